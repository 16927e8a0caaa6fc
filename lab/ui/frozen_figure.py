"""Figures that are built once and drawn on many reruns.

`st.plotly_chart` turns a figure into a dict on every rerun (`Figure.to_dict()` deep-copies every
trace and frame and re-encodes every array), which costs more than the rest of a page together on
the Scenario lab and the Monitor. A cached figure is never changed after it is built, so its dict is
computed once, when the figure is frozen, and shared with every rerun.
"""

from __future__ import annotations

import functools
from typing import Any

import plotly.graph_objects as go


class FrozenFigure(go.Figure):
    """A plotly figure whose dict is computed once. Do not change it after `freeze`."""

    _frozen_dict: dict[str, Any] | None = None
    _share_frames = True  # nothing changes a frozen figure's dict: the scenario lab's moments are not copied for it

    def to_dict(self) -> dict[str, Any]:
        if self._frozen_dict is None:
            self._frozen_dict = super().to_dict()
        return self._frozen_dict


@functools.cache
def _frozen(cls: type[go.Figure]) -> type[FrozenFigure]:
    """The frozen version of a figure class: a subclass of plotly's Figure (such as the scenario lab's
    `AnimatedFigure`) keeps its own behaviour under the frozen dict."""
    if cls is go.Figure:
        return FrozenFigure
    return type(f"Frozen{cls.__name__}", (FrozenFigure, cls), {})


def freeze(fig: go.Figure) -> FrozenFigure:
    """The same figure object, from now on drawn from a dict computed once (for figures kept in a cache).

    The object changes class in place rather than being copied: copying a figure validates every
    trace and frame again, which would double the time to show a new run.
    """
    if not isinstance(fig, FrozenFigure):
        fig.__class__ = _frozen(type(fig))
    frozen: FrozenFigure = fig  # type: ignore[assignment]
    frozen.to_dict()
    return frozen
