"""Plotly figures of a simulation, built by pure functions: the topology (with a time slider and
play button) and the per-tunnel timeline. Every state is shown by colour AND a text label.
"""

from __future__ import annotations

from lab.figures.simulation.frames import AnimatedFigure, Trace
from lab.figures.simulation.states import (
    DOWN,
    GREY,
    HALO,
    LABEL,
    TO_AWS,
    TO_ONPREM,
    TUNNEL_COLOURS,
    UP,
    VSCALE_X,
    WARN,
    Element,
    X,
    elements,
)
from lab.figures.simulation.timeline import (
    MAX_POINTS,
    MODEBAR_BAND,
    TAG_GAP,
    TAG_ROW,
    TAGS_BAND,
    TITLE_BAND,
    element_failure,
    timeline_figure,
)
from lab.figures.simulation.topology import (
    MAX_FRAMES,
    STEPS,
    frame_step,
    frame_times,
    initial_time,
    topology_figure,
)

__all__ = [
    "AnimatedFigure",
    "DOWN",
    "Element",
    "GREY",
    "HALO",
    "LABEL",
    "MAX_FRAMES",
    "MAX_POINTS",
    "MODEBAR_BAND",
    "STEPS",
    "TAGS_BAND",
    "TAG_GAP",
    "TAG_ROW",
    "TITLE_BAND",
    "TO_AWS",
    "TO_ONPREM",
    "TUNNEL_COLOURS",
    "Trace",
    "UP",
    "VSCALE_X",
    "WARN",
    "X",
    "element_failure",
    "elements",
    "frame_step",
    "frame_times",
    "initial_time",
    "timeline_figure",
    "topology_figure",
]
