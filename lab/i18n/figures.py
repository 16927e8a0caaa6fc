"""Figure labels in another language: the visible strings of a plotly figure (annotations, trace names, node
labels, hover texts, tick labels, buttons) are looked up in the data catalogue under the context
`figure.label`; anything without a translation (a value, an address, a live timestamp) stays as drawn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from lab.i18n import DEFAULT_LANG, data_text

CONTEXT = "figure.label"
FIELDS = frozenset({"text", "hovertext", "name", "ticktext", "label"})


def _walk(node: Any, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _walk(v, k)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _walk(v, key)
    elif isinstance(node, str) and key in FIELDS and node.strip():
        yield node


def figure_strings(figure: Any) -> Iterator[str]:
    """Every visible label of a figure (a plotly Figure or its dict)."""
    data = figure.to_dict() if hasattr(figure, "to_dict") else figure
    yield from _walk(data)


def _replace(node: Any, lang: str, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _replace(v, lang, k) for k, v in node.items()}
    if isinstance(node, list):
        return [_replace(v, lang, key) for v in node]
    if isinstance(node, tuple):
        return tuple(_replace(v, lang, key) for v in node)
    if isinstance(node, str) and key in FIELDS:
        return data_text(CONTEXT, node, lang)
    return node


def localize_dict(figure: dict[str, Any], lang: str) -> dict[str, Any]:
    """A copy of a figure's dict with its labels in `lang`."""
    return _replace(figure, lang)


def localize_figure(figure: Any, lang: str) -> Any:
    """A copy of the plotly figure with its labels in `lang` (the figure itself when lang is English)."""
    if lang == DEFAULT_LANG:
        return figure
    import plotly.graph_objects as go

    return go.Figure(_replace(figure.to_dict(), lang))
