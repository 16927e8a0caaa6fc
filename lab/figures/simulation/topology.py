"""The topology figure, with a time slider and a play button, and the moments its frames show."""

from __future__ import annotations

import plotly.graph_objects as go

from lab.figures.simulation.frames import AnimatedFigure, _frame_data
from lab.figures.simulation.states import elements
from lab.i18n import using
from lab.sim.result import SimResult

# Round steps for the slider, in seconds: the finest one that keeps a run within MAX_FRAMES moments.
STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)
MAX_FRAMES = 60


def frame_step(duration_s: int) -> int:
    return next((s for s in STEPS if -(-duration_s // s) <= MAX_FRAMES), STEPS[-1])


def frame_times(result: SimResult) -> list[int]:
    """Seconds shown by the slider: an even grid of round steps (the slider spaces its ticks by position, so
    only an even grid gives evenly spaced, readable tick labels)."""
    return list(range(0, result.duration_s, frame_step(result.duration_s)))


def initial_time(result: SimResult) -> int:
    """The moment the diagram opens at: the first moment of the grid after the first failure, or the start."""
    if not result.failures:
        return 0
    after = result.failures[0].at_s + 1
    return next((t for t in frame_times(result) if t >= after), result.duration_s - 1)


def topology_figure(result: SimResult, at: int | None = None, vertical: bool = False,
                    lang: str | None = None) -> go.Figure:
    """The topology with each element's state and the traffic paths; slider and play over time.

    `vertical` draws it top to bottom (on premises above, the VPC below) for a phone's narrow screen. The labels
    the lab writes itself are in `lang` (default: the current language); fixed labels are translated afterwards
    (`lab.i18n.figures.localize_dict`).
    """
    with using(lang):
        return _topology_figure(result, at, vertical)


def _topology_figure(result: SimResult, at: int | None, vertical: bool) -> go.Figure:
    els = elements(result, vertical)
    times = frame_times(result)
    first = initial_time(result) if at is None else at
    if first not in times:
        times = sorted({*times, first})
    frames = []
    for t in times:
        data, title = _frame_data(result, t, els, vertical)
        frames.append({"data": data, "name": str(t), "layout": {"title": {"text": title}}})
    active = times.index(first)
    base, title = _frame_data(result, first, els, vertical)
    fig = AnimatedFigure(data=base)
    fig.frames = frames
    slider_steps = [{"method": "animate", "label": f"{t}",
                     "args": [[str(t)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                         "transition": {"duration": 0}}]} for t in times]
    grey = {"color": "#455a64"}
    # Play and Pause look like the page's other buttons: white, a thin grey border, a text label.
    buttons = {
        "type": "buttons", "direction": "left", "xanchor": "left", "yanchor": "top", "showactive": False,
        "bgcolor": "white", "bordercolor": "#c4c7cf", "borderwidth": 1, "font": {"size": 13, "color": "#31333f"},
        "pad": {"r": 8, "t": 4, "b": 4, "l": 4},
        "buttons": [
            {"label": "▶ Play", "method": "animate",
             "args": [None, {"frame": {"duration": 400, "redraw": True}, "fromcurrent": True,
                             "transition": {"duration": 0}}]},
            {"label": "Pause", "method": "animate",
             "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}]},
        ],
    }
    # The figure's title already says the moment shown: the slider has no "current value" line of its own.
    slider = {"active": active, "steps": slider_steps, "currentvalue": {"visible": False}, "yanchor": "top",
              "font": {"size": 11}, "pad": {"t": 6, "b": 0}, "ticklen": 5, "minorticklen": 3}
    if vertical:
        spread = max(abs(e.x) for e in els)
        height, bottom = 840, 150
        plot_h = height - 84 - bottom
        fig.update_layout(
            title={"text": title, "x": 0.01, "y": 0.985, "yanchor": "top", "font": {"size": 13}},
            height=height, margin={"l": 4, "r": 4, "t": 84, "b": bottom}, plot_bgcolor="white",
            xaxis={"visible": False, "range": [-spread - 0.95, spread + 0.95], "fixedrange": True},
            yaxis={"visible": False, "range": [-9.2, 0.45], "fixedrange": True},
            legend={"orientation": "h", "y": -0.005, "x": 0.0, "yanchor": "top", "font": {"size": 11}},
            shapes=[{"type": "rect", "y0": -2.3, "y1": -4.3, "x0": -spread - 0.95, "x1": spread + 0.95,
                     "fillcolor": "#eceff1", "line": {"width": 0}, "layer": "below"}],
            annotations=[
                {"x": -spread - 0.9, "y": 0.3, "xanchor": "left", "text": "On premises", "showarrow": False,
                 "font": grey},
                {"x": -spread - 0.9, "y": -2.45, "xanchor": "left", "yanchor": "top", "text": "Internet",
                 "showarrow": False, "font": grey},
                {"x": -spread - 0.9, "y": -5.6, "xanchor": "left", "text": "AWS", "showarrow": False, "font": grey},
            ],
            updatemenus=[{**buttons, "x": 0.0, "y": -52 / plot_h}],
            sliders=[{**slider, "x": 0.0, "len": 1.0, "y": -92 / plot_h}],
        )
        return fig
    plot_h = 560 - 60 - 80
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        height=560, margin={"l": 10, "r": 10, "t": 60, "b": 80}, plot_bgcolor="white",
        xaxis={"visible": False, "range": [-0.9, 9.4], "fixedrange": True},
        yaxis={"visible": False, "range": [-3.6, 3.1], "fixedrange": True},
        legend={"orientation": "h", "y": -0.005, "x": 0.3, "yanchor": "top"},
        shapes=[{"type": "rect", "x0": 2.55, "x1": 3.45, "y0": -3.0, "y1": 2.9, "fillcolor": "#eceff1",
                 "line": {"width": 0}, "layer": "below"}],
        annotations=[
            {"x": 3.0, "y": 2.95, "text": "Internet", "showarrow": False, "font": grey},
            {"x": 0.0, "y": 2.95, "text": "On premises", "showarrow": False, "font": grey},
            {"x": 6.9, "y": 2.95, "text": "AWS", "showarrow": False, "font": grey},
        ],
        updatemenus=[{**buttons, "x": 0.0, "y": -36 / plot_h}],
        sliders=[{**slider, "x": 0.16, "len": 0.84, "y": -30 / plot_h}],
    )
    return fig
