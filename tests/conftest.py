"""Shared test set-up: no test reaches a real AWS account or the internet.

The suite runs in parallel (pytest-xdist; `addopts` in pyproject.toml: `-n auto --maxprocesses=2`),
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

Order: the longest tests start first and each worker gets a share of them (`pytest_collection_modifyitems`),
so no worker is left running a long browser test alone at the end while the other has nothing to do.

`python3 tasks.py test ARGS` passes ARGS to pytest: `-n 0 --pdb` debugs in one process,
`tests/unit -x -q` runs a part. Browser screenshots: `VPN_LAB_SHOTS=folder`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import PostgresServer, pg_bin, postgres_server

TESTS_DIR = Path(__file__).resolve().parent
# The longest single tests (CPU-seconds on a quiet 2-core machine: 27, 17, 12, 11, 11, 11, 9, 9), longest first.
SLOW_FIRST = (
    "test_class_two_servers.py::",
    "test_korean.py::test_korean_pages_after_the_usual_interactions",
    "test_learner_language.py::test_language_follows_the_resume_link",
    "e2e/test_troubleshooter.py::test_not_sure_candidates",
    "e2e/test_monitor.py::test_monitor_live_region",
    "e2e/test_scenario_lab.py::test_s4_gateway_a_failure_end_to_end",
    "e2e/test_scenario_lab.py::test_selecting_a_gateway_on_the_diagram",
    "e2e/test_curriculum.py::test_lesson_figures_render",
)
# Then by folder, the slowest tests per item first (a browser test takes seconds, a content check milliseconds).
FOLDER_ORDER = ("e2e", "app", "aws", "store", "unit", "content")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Longest first, dealt out to the xdist workers in turn.

    `--dist=worksteal` gives each worker a contiguous share of this list and lets an idle worker take
    tests from the end of another's share; dealt in turn, every share starts with its part of the
    longest tests and ends with the quick ones, which are the ones taken. Without xdist: longest first.
    """

    def rank(item: pytest.Item) -> tuple[int, int]:
        for i, key in enumerate(SLOW_FIRST):
            if key in item.nodeid:
                return (0, i)
        try:
            folder = item.path.resolve().relative_to(TESTS_DIR).parts[0]
        except ValueError:
            folder = ""
        return (1, FOLDER_ORDER.index(folder) if folder in FOLDER_ORDER else len(FOLDER_ORDER))

    ordered = sorted(items, key=rank)  # stable: a module's tests keep their order
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    items[:] = [item for w in range(workers) for item in ordered[w::workers]]


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


@pytest.fixture(autouse=True)
def _own_database(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test writes progress to its own SQLite file, never to the user's data directory."""
    monkeypatch.setenv("VPNLAB_DATABASE_URL", f"sqlite:///{tmp_path}/vpn-lab.sqlite3")


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
