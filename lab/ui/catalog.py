"""The lesson catalog as every page sees it: parsed once per language and kept for a minute."""

from __future__ import annotations

import streamlit as st

from lab.lessons import DEFAULT_LANG, Catalog, load_catalog


@st.cache_resource(ttl=60, show_spinner=False)
def catalog(lang: str = DEFAULT_LANG) -> Catalog:
    # cache_resource, not cache_data: a Catalog holds DataErrors, which do not round-trip through pickle.
    return load_catalog(lang)
