"""The app's few style rules on top of the theme in .streamlit/config.toml (static CSS, no user values)."""

from __future__ import annotations

import streamlit as st

CSS = """
/* Less empty space above every page's title (Streamlit leaves 6rem; the header is minimal here). */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* On a phone the header (with the sidebar's open button) stays on top: the title starts below it. */
@media (max-width: 640px) { [data-testid="stMainBlockContainer"] { padding-top: 4rem; } }
/* A quiz question reads at body size, never smaller than the explanation under it. */
[data-testid="stRadio"] > [data-testid="stWidgetLabel"] p { font-size: 1rem; line-height: 1.5; }
/* Lesson titles in the list are links to the lesson: they look like links. */
[class*="st-key-open-"] button p { color: #1f5fa8; text-decoration: underline; text-underline-offset: 3px;
  font-size: 1.05rem; text-align: left; }
[class*="st-key-open-"] button:hover p { color: #123f73; }
/* The scenario lab's Play/Pause buttons read as buttons (plotly draws them in SVG). */
.st-key-sl_topology .updatemenu-button rect { rx: 6px; }
"""


def apply() -> None:
    """Add the style rules to the page (call once per run, from the entry point)."""
    st.html(f"<style>{CSS}</style>")
