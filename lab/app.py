"""Streamlit entry point: settles the page language, builds the navigation from the page registry and runs
the chosen page."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab.ui import identity, lang, style
from lab.ui.lang import _
from lab.ui.registry import PAGES, SECTIONS

HERE = Path(__file__).resolve().parent


def main() -> None:
    st.set_page_config(page_title="VPN Lab", page_icon=":material/vpn_lock:", layout="wide")
    style.apply()
    # A signed-in learner's language is kept in their profile and comes back with their resume link
    # (unless another profile was registered, as a test may do).
    if not lang.profile_registered():
        lang.use_profile(identity.profile_language, identity.keep_language)
    lang.choose()
    nav: dict[str, list[st.Page]] = {}
    for spec in PAGES:
        nav.setdefault(spec.section, []).append(
            st.Page(
                str(HERE / spec.script),
                title=_(spec.title),
                icon=spec.icon,
                url_path=spec.url_path or None,
                default=spec.url_path == "",
            )
        )
    st.navigation({_(s): nav[s] for s in SECTIONS if s in nav}).run()


main()
