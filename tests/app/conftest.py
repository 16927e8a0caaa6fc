"""AppTest helpers: open any registered page, with query parameters, caches cleared between tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lab import PACKAGE_DIR

APP = str(PACKAGE_DIR / "app.py")


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
        at = AppTest.from_file(APP, default_timeout=60)
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
