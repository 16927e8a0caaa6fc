"""AppTest helpers: open any registered page, with query parameters, caches cleared between tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lab import PACKAGE_DIR

APP = str(PACKAGE_DIR / "app.py")
# AppTest's default of 3 s per run fails on a busy machine; a run that finishes is all that matters.
APPTEST_TIMEOUT_S = 300


@pytest.fixture(autouse=True)
def _clear_streamlit_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


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
