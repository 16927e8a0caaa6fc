"""AppTest helpers: open any registered page, with query parameters, caches cleared between tests."""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.components.v2 import manifest_scanner
from streamlit.runtime.scriptrunner import ScriptRunnerEvent
from streamlit.testing.v1 import AppTest, local_script_runner

from lab import PACKAGE_DIR

APP = str(PACKAGE_DIR / "app.py")
# AppTest's default of 3 s per run fails on a busy machine; a run that finishes is all that matters.
APPTEST_TIMEOUT_S = 300


def _wait_for_script(runner: local_script_runner.LocalScriptRunner, timeout: float = 3) -> None:
    """AppTest's wait for a script run, without its busy loop.

    Streamlit's `require_widgets_deltas` checks every millisecond whether the run has ended by scanning
    every event the run has sent so far; while the script runs, that loop takes the interpreter lock a
    thousand times a second and costs more the more the page draws. This waits for the SHUTDOWN event
    instead, with the same timeout and the same clean-up and error when it passes.
    """
    done = threading.Event()

    def _on_event(sender: object, event: ScriptRunnerEvent, **_: object) -> None:
        if event == ScriptRunnerEvent.SHUTDOWN:
            done.set()

    runner.on_event.connect(_on_event, weak=False)
    try:
        if runner.script_stopped() or done.wait(timeout):
            return
    finally:
        runner.on_event.disconnect(_on_event)
    runner.request_stop()
    runner.join()
    raise RuntimeError(f"AppTest script run timed out after {timeout}(s)")


assert callable(local_script_runner.require_widgets_deltas), "Streamlit moved AppTest's wait: update _wait_for_script"
local_script_runner.require_widgets_deltas = _wait_for_script
# Every new AppTest scans the metadata of every installed package for Streamlit components; what is
# installed does not change during a test run, so the scan runs once per test process.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


# Caches whose functions depend on their arguments only (a simulation and its figures are a function of the run's
# inputs and the language): kept from test to test, as a server keeps them from visitor to visitor. Every other
# cache (data files a test may replace, live AWS answers, replays) is emptied around each test.
SHARED_CACHES = ("lab.ui.scenario_cache",)


def _clear_caches() -> None:
    from streamlit.runtime.caching.cache_utils import CachedFunc

    st.cache_data.clear()
    for name, module in list(sys.modules.items()):
        if not name.startswith("lab.") or name in SHARED_CACHES:
            continue
        for value in list(vars(module).values()):
            if isinstance(value, CachedFunc):
                value.clear()


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    _clear_caches()
    yield
    _clear_caches()


# Functions the page modules import by name (`from lab.ui.lang import _, current`): a test that replaced one of them
# while such a module was first imported would leave its replacement in that module for every later test of the
# worker (the pages would mix languages). A test sets a language with `lab.i18n.set_language`, never by replacing
# these; this check names a test that does.
_IMPORTED_BY_NAME = ("_", "_n", "current", "d")


@pytest.fixture(autouse=True)
def _page_modules_keep_the_language_functions(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    left = [
        f"{mod_name}.{name}"
        for mod_name, module in list(sys.modules.items())
        if mod_name.startswith("lab.") and mod_name != "lab.ui.lang"  # (a monkeypatch there may still be undone)
        for name in _IMPORTED_BY_NAME
        if str(getattr(vars(module).get(name), "__module__", "") or "").startswith("tests")
    ]
    assert not left, f"{request.node.nodeid} left a test's replacement of a language function in {left}"


OpenPage = Callable[..., AppTest]


@pytest.fixture
def open_page() -> OpenPage:
    """open_page("ui/pages/lessons.py", lesson="what-is-a-vpn") -> a run AppTest on that page."""

    def _open(script: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=APPTEST_TIMEOUT_S)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if script is not None:
            at.switch_page(script)
            for key, value in query.items():
                at.query_params[key] = value
            at.run()
        return at

    return _open


def show_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab `label` of the lazy `st.tabs(..., key=key, on_change="rerun")` and rerun: only the
    open tab's content runs, so a test looks at one tab at a time."""
    at.session_state[key] = label
    return at.run()
