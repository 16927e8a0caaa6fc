"""The app's few style rules on top of the theme in .streamlit/config.toml (static CSS, no user values;
the one computed value is a width in pixels)."""

from __future__ import annotations

import re

import streamlit as st

from lab.figures.simulation import MODEBAR_BAND

CSS = """
/* Less empty space above every page's title (Streamlit leaves 6rem; the header is minimal here). */
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; }
/* On a phone the header is opaque (it holds the sidebar button, 60 px): the title starts below it. */
@media (max-width: 640px) { [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; } }
/* A table's toolbar (show/hide columns, download, search, full screen) sits just above the table, over whatever is
   there; a touch screen shows it all the time (no hover): leave it room of its own there. */
@media (max-width: 640px), (hover: none) { [data-testid="stDataFrame"] { margin-top: 2.25rem; } }
/* A quiz question reads at body size, never smaller than the explanation under it. */
[data-testid="stRadio"] > [data-testid="stWidgetLabel"] p { font-size: 1rem; line-height: 1.5; }
/* Its choices too: answers are read on a projector and tapped on a phone. */
[data-testid="stRadio"] [role="radiogroup"] label p { font-size: 1rem; }
/* Lesson titles in the list are links to the lesson: they look like links. */
[class*="st-key-open-"] button p { color: #1f5fa8; text-decoration: underline; text-underline-offset: 3px;
  font-size: 1.05rem; text-align: left; }
[class*="st-key-open-"] button:hover p { color: #123f73; }
/* A long lesson title wraps onto a second line on a phone instead of ending in "…". */
[class*="st-key-open-"] button div, [class*="st-key-open-"] button p,
[data-testid="stPageLink"] span, [data-testid="stPageLink"] p {
  white-space: normal; overflow: visible; text-overflow: clip; }
[class*="st-key-open-"] button, [class*="st-key-open-"] button div { justify-content: flex-start; text-align: left; }
/* The scenario lab's Play/Pause buttons read as buttons (plotly draws them in SVG). */
[class*="st-key-sl_topo_"] .updatemenu-button rect { rx: 6px; }
[class*="st-key-sl_topo_"] .updatemenu-button:hover rect { fill: #f0f2f6 !important; }
/* The scenario lab draws its diagram twice: left to right for wide screens, top to bottom for phones. */
@media (max-width: 640px) { .st-key-sl_topo_wide { display: none; } }
@media (min-width: 641px) { .st-key-sl_topo_tall { display: none; } }
/* The monitor's inventory: a table on a wide screen, one card per connection on a phone. */
@media (max-width: 640px) { .st-key-monitor_inventory_table { display: none; } }
@media (min-width: 641px) { .st-key-monitor_inventory_cards { display: none; } }
/* A long token in a table cell (a proposal list, a SPI, a path) breaks inside the cell instead of running out of the
   table on a phone. */
[data-testid="stTable"] td, [data-testid="stTable"] td p { overflow-wrap: anywhere !important; }
/* ... except the label column (an event or a cause, second to last) of the analysis's line tables: its words stay whole
   ("BGP 세션 다운", not "BGP 세/션 다/운" on a phone), and the message beside it takes the room. */
.st-key-ts_chain_table [data-testid="stTable"] td:nth-last-child(2),
.st-key-ts_chain_table [data-testid="stTable"] td:nth-last-child(2) p,
.st-key-ts_lines_table [data-testid="stTable"] td:nth-last-child(2),
.st-key-ts_lines_table [data-testid="stTable"] td:nth-last-child(2) p {
  overflow-wrap: normal !important; word-break: keep-all;
}
/* ... and the line number column (first of the three) stays on one line ("220", not "22/0" on a phone). */
.st-key-ts_chain_table [data-testid="stTable"] td:nth-last-child(3),
.st-key-ts_chain_table [data-testid="stTable"] td:nth-last-child(3) p,
.st-key-ts_lines_table [data-testid="stTable"] td:nth-last-child(3),
.st-key-ts_lines_table [data-testid="stTable"] td:nth-last-child(3) p {
  overflow-wrap: normal !important; white-space: nowrap;
}
/* The facilitator's progress matrix scrolls sideways on a phone (scroll_on_phone): a line says so there. */
@media (min-width: 641px) { .st-key-fac_matrix_hint { display: none; } }
"""

# The scenario lab's timeline keeps a band at its top for plotly's toolbar, which a touch screen shows all the time;
# with a mouse the toolbar shows only on hover, so the chart (its paper is transparent) moves up over the gap above it.
CSS += (f"@media (hover: hover) and (min-width: 641px) {{ .st-key-sl_timeline {{ margin-top: -{MODEBAR_BAND}px; }} }}"
        "\n")


def scroll_on_phone(key: str, width_px: int) -> None:
    """On a phone, keep the element with `key` at least `width_px` wide and let the container with key
    `{key}_scroll` around it scroll sideways (a chart too wide for the phone, still readable).

    `key` goes into a style rule: it must be a widget key written in the code (letters, digits, `_`, `-`)."""
    if not re.fullmatch(r"[A-Za-z0-9_-]+", key):
        raise ValueError(f"not a container key: {key!r}")
    st.html(f"<style>@media (max-width: 640px) {{ .st-key-{key}_scroll {{ overflow-x: auto; }} "
            f".st-key-{key} {{ min-width: {int(width_px)}px; }} }}</style>")


def apply() -> None:
    """Add the style rules to the page (call once per run, from the entry point)."""
    st.html(f"<style>{CSS}</style>")
