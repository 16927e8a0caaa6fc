"""Shared test set-up: no test reaches a real AWS account or the internet.

The suite runs in parallel (pytest-xdist; `addopts` in pyproject.toml: `-n auto --dist=loadgroup`),
including while another copy of it runs on the same machine. To keep it that way, a test or fixture:

- Keeps its state to itself. Files go under `tmp_path` / `tmp_path_factory` (per worker), never in
  the project or a fixed /tmp path. A `scope="session"` fixture runs once *per worker*, so each worker
  starts its own servers (moto in tests/aws/fakes.py, streamlit in tests/e2e/conftest.py, a database
  in its own temp dir): never share one through a fixed port, path or name.
- Gets ports from the OS: start a server on port 0 and ask it which port it got (moto), or use
  `tests.net.free_port()` and retry when the server says the port is taken (`start_app`). For a
  port that must refuse connections, hold `tests.net.closed_port()`.
- Does not depend on the machine's speed: wait for a state (a server's health URL, Streamlit's
  script-state attribute, an element), never `sleep` a fixed time hoping it is enough; timeouts are
  generous (AppTest `APPTEST_TIMEOUT_S`, browser `WAIT_MS`, AWS clients `SLOW_MACHINE_ENV`).
- Does not depend on order: another worker runs the tests before and after it. Module-level caches
  (Streamlit's, `lab.aws` clients) are cleared by fixtures, not by the previous test.

Order and workers (`pytest_collection_modifyitems`, `pytest_xdist_auto_num_workers`,
`pytest_xdist_make_scheduler`): longest first, one worker per core and one more; the browser tests run in groups,
one per worker but one, while the remaining worker takes the other tests, so the time a browser test spends
waiting for the server or the browser is not lost.

`python3 tasks.py test ARGS` passes ARGS to pytest: `-n 0 --pdb` debugs in one process,
`tests/unit -x -q` runs a part. Browser screenshots: `VPN_LAB_SHOTS=folder`.
"""

from __future__ import annotations

import atexit
import gc
import itertools
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import PostgresServer, pg_bin, postgres_server

TESTS_DIR = Path(__file__).resolve().parent
# The longest single tests with their wall seconds on a quiet 2-core machine, longest first.
SLOW_FIRST = (
    ("test_class_two_servers.py::", 29),
    ("test_korean.py::test_korean_pages_after_the_usual_interactions", 22),
    ("e2e/test_scenario_lab.py::test_s4_gateway_a_failure_end_to_end", 16),
    ("e2e/test_troubleshooter.py::test_not_sure_candidates", 11),
    ("test_learner_language.py::test_language_follows_the_resume_link", 9),
    ("e2e/test_scenario_lab.py::test_selecting_a_gateway_on_the_diagram", 9),
    ("e2e/test_troubleshooter.py::test_dpd_case_from_pasted_log", 8),
    ("e2e/test_monitor.py::test_monitor_live_region", 9),
)
BROWSER_TEST_S = 3  # a browser test not listed above, on average
# Browser tests that need the same extra browser profile (a phone, a Korean browser): kept in one group, so the
# profile is started (and its first page compiled) on one worker only.
SAME_PROFILE = (
    ("e2e/test_monitor.py::test_the_inventory_reads", "e2e/test_scenario_lab.py::test_a_phone_gets"),
    ("e2e/test_korean.py::test_browser_language_chooses", "e2e/test_learner_language.py::test_a_visitor_without"),
)
# Then by folder, the slowest tests per item first (a browser test takes seconds, a content check milliseconds).
FOLDER_ORDER = ("e2e", "app", "aws", "store", "unit", "content")


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: one worker per core (at most two) and one more. A browser test leaves its core idle part of the
    time (it waits for the server and the browser in turn); the extra worker runs the other tests meanwhile."""
    return min(os.cpu_count() or 1, 2) + 1


def pytest_configure(config: pytest.Config) -> None:
    """With workers (`-n`), the test modules' asserts are rewritten once, here, on two cores, before the workers
    start: each worker would otherwise rewrite every module itself (pytest keeps no rewritten copy where
    PYTHONDONTWRITEBYTECODE is set, and the workers start at the same moment). Measured: 2.4 CPU-seconds less
    per worker. Anything unexpected leaves it to the workers, as without this.

    A worker process ends without tearing its interpreter down (see _exit_now)."""
    if hasattr(config, "workerinput"):
        atexit.register(_exit_now)
        return
    if not config.getoption("numprocesses", None):
        return
    try:
        _rewrite_test_modules(config)
    except Exception:  # pytest's internals changed: the workers rewrite as usual
        return


def pytest_collection_finish(session: pytest.Session) -> None:
    """Once the tests are collected, everything alive (the modules, the test items and their parameters, the
    patterns and lessons loaded for them) is left out of garbage collection, and a collection waits for 10,000 new
    objects instead of 700: each collection otherwise walks hundreds of thousands of objects that live to the end
    of the run. Measured on 2 cores: the analyzer and content tests take 6 % less CPU time, the app, AWS and store
    tests 12-17 % less. Newer objects are collected as before, in fewer, larger steps; what was alive at that moment
    is freed by reference counting only (a cycle among those objects stays until the worker ends)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 20, 20)


def _exit_now() -> None:
    """A worker's last step, after its results are sent, its fixtures torn down and every exit handler registered
    after its start has run: leave at once. Tearing down a worker's interpreter (freeing every module and object
    of a process that ran browsers, servers and thousands of tests) kept the run waiting 2-4 seconds at its end."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _rewrite_test_modules(config: pytest.Config) -> None:
    from _pytest.assertion import rewrite

    state = config.stash[rewrite.assertstate_key]
    todo = []
    for fn in sorted([*TESTS_DIR.rglob("test_*.py"), *TESTS_DIR.rglob("conftest.py")]):
        pyc = rewrite.get_cache_dir(fn) / (fn.name[:-3] + rewrite.PYC_TAIL)
        if rewrite._read_pyc(fn, pyc) is None:  # missing or out of date
            todo.append((fn, pyc))
    if not todo:
        return
    with warnings.catch_warnings():  # a fork beside threads is warned about; the child only writes files
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork() if len(todo) > 4 else -1  # two processes, half of the modules each
    try:
        for fn, pyc in todo if pid < 0 else todo[pid == 0 :: 2]:
            if rewrite.try_makedirs(pyc.parent):
                source_hash, co = rewrite._rewrite_test(fn, config)
                rewrite._write_pyc(state, co, source_hash, pyc)
    finally:
        if pid == 0:
            os._exit(0)
        if pid > 0:
            os.waitpid(pid, 0)


def _slow_index(nodeid: str) -> int | None:
    for i, (key, _seconds) in enumerate(SLOW_FIRST):
        if key in nodeid:
            return i
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest first: the long browser tests, then by folder (see FOLDER_ORDER)."""

    folders: dict[Path, str] = {}  # a module's folder, resolved once per module (not once per test)

    def rank(item: pytest.Item) -> tuple[int, int]:
        i = _slow_index(item.nodeid)
        if i is not None:
            return (0, i)
        folder = folders.get(item.path)
        if folder is None:
            try:
                folder = folders[item.path] = item.path.resolve().relative_to(TESTS_DIR).parts[0]
            except ValueError:
                folder = folders[item.path] = ""
        return (1, FOLDER_ORDER.index(folder) if folder in FOLDER_ORDER else len(FOLDER_ORDER))

    items.sort(key=rank)  # stable: a module's tests keep their order


def browser_groups(nodeids: list[str], workers: int) -> dict[str, str]:
    """The browser tests dealt into one group per worker but one (at least two): longest first, each to the group
    with the least work so far, so the groups end at about the same time, except that the tests of one SAME_PROFILE
    entry share a group. {nodeid: group name}."""
    load = [0.0] * max(2, workers - 1)
    groups = {}
    profile_group: dict[int, int] = {}  # SAME_PROFILE index -> group
    for nodeid in nodeids:
        if not nodeid.startswith("tests/e2e/"):
            continue
        i = _slow_index(nodeid)
        profile = next((k for k, keys in enumerate(SAME_PROFILE) if any(key in nodeid for key in keys)), None)
        group = profile_group.get(profile, load.index(min(load))) if profile is not None else load.index(min(load))
        if profile is not None:
            profile_group[profile] = group
        load[group] += SLOW_FIRST[i][1] if i is not None else BROWSER_TEST_S
        groups[nodeid] = f"browser-{group}"
    return groups


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """`--dist=loadgroup`: each group of browser tests (`browser_groups`) runs on one worker from start to end,
    and the remaining worker takes the other tests one at a time; a worker whose group is done joins it. So at
    every moment some worker runs tests that keep a core busy, filling the time a browser test spends waiting for
    the server or the browser. (xdist's own `xdist_group` marks do not reach its scheduler under pytest 9: the
    groups are made here, from the collected test ids.)"""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserGroupScheduling(LoadScopeScheduling):
        groups: dict[str, str] = {}

        def schedule(self) -> None:
            if self.collection is None and self.registered_collections:
                ids = list(next(iter(self.registered_collections.values())))
                self.groups = browser_groups(ids, len(self.nodes))
            super().schedule()

        def _split_scope(self, nodeid: str) -> str:
            return self.groups.get(nodeid, nodeid)

        # xdist's own bookkeeping is quadratic in the number of tests when every test is a unit of its own: it keeps
        # each finished unit and recounts all of them after every test, and finds each test's index with list.index.
        # Measured on tests/unit and tests/content (9,400 tests, two workers): 11.6 CPU-seconds in the controller,
        # most of it in that recount. The same steps, with a finished unit dropped and the indexes looked up in a dict.
        indexes: dict[object, dict[str, int]] = {}

        def _assign_work_unit(self, node: object) -> None:
            scope, work_unit = self.workqueue.popitem(last=False)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            index = self.indexes.get(node)
            if index is None:
                index = self.indexes[node] = {n: i for i, n in enumerate(self.registered_collections[node])}
            node.send_runtest_some([index[nodeid] for nodeid, done in work_unit.items() if not done])  # type: ignore[attr-defined]

        def mark_test_complete(self, node: object, item_index: int, duration: float = 0) -> None:
            nodeid = self.registered_collections[node][item_index]
            scope = self._split_scope(nodeid)
            work = self.assigned_work[node]
            work[scope][nodeid] = True
            if all(work[scope].values()):
                del work[scope]
            self._reschedule(node)

    return BrowserGroupScheduling(config, log)


@pytest.fixture(autouse=True)
def _no_real_aws(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Dummy credentials and an empty AWS config, so nothing can use a developer's real account."""
    home = tmp_path_factory.getbasetemp() / "aws-home"
    home.mkdir(exist_ok=True)
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "credentials"))
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


_DATABASES = itertools.count()


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every test writes progress to its own SQLite file, never to the user's data directory. The file is named
    in the worker's temp folder, not in a folder of its own: most tests never open it, and making and removing
    a folder per test cost the content tests a third of their time."""
    db = tmp_path_factory.getbasetemp() / f"vpn-lab-{next(_DATABASES)}.sqlite3"
    monkeypatch.setenv("VPNLAB_DATABASE_URL", f"sqlite:///{db}")


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server for this test worker (under xdist, one per worker), stopped at the end."""
    if pg_bin() is None:
        pytest.skip("PostgreSQL server binaries are not installed (/usr/lib/postgresql/*/bin/initdb); "
                    "`apt-get install postgresql` to run the PostgreSQL tests")
    from lab.store.db import dispose_all

    with postgres_server() as server:
        yield server
        dispose_all()


@pytest.fixture(autouse=True)
def _english_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output in English whatever the developer's locale is (LANG=ko_KR would make the CLI print Korean);
    a test that wants another language says so."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
