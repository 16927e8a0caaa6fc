"""Drawing helpers shared by the lesson figures: a blank canvas, labelled boxes, nodes, links, arrows.

Figures are diagrams drawn on a fixed 0..10 x 0..H data canvas with shapes and annotations, so that they
scale with the page width (readable at 1400 px) and every colour has its meaning written next to it.
"""

from __future__ import annotations

import plotly.graph_objects as go

# One palette for every figure; a colour always comes with a text label that says the same thing.
TRUSTED = "#2e7d32"  # green: a protected network, "up", "established"
UNTRUSTED = "#c62828"  # red: the internet, "down", failures
TUNNEL = "#1f5fa8"  # blue: tunnels, encrypted data, AWS side
NEUTRAL = "#5f6b7a"  # grey: hosts, plain data
WARN = "#b26a00"  # amber: degraded, waiting, "not documented"
AWS = "#d45b07"  # orange: AWS-managed resources
AZURE = "#0b6fb8"  # Azure resources

FONT = {"family": "Inter, Arial, sans-serif", "size": 12, "color": "#1f2933"}
TITLE_SIZE = 15
# Figures are designed for the lesson column (about 650 px wide at a 1400 px window) and scale up from there.
DESIGN_WIDTH_PX = 650


def title_margin(title: str) -> int:
    """Top margin that fits a title of one or more lines (<br>)."""
    return 40 + 20 * (title.count("<br>") + 1)


def canvas(title: str, height: int = 380, y_max: float = 6.0, x_max: float = 10.0) -> go.Figure:
    """A blank diagram canvas with a title; axes hidden, aspect free so it fills the page width."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": TITLE_SIZE}},
        height=height,
        margin={"l": 10, "r": 10, "t": title_margin(title), "b": 10},
        showlegend=False,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=FONT,
        xaxis={"visible": False, "range": [0, x_max], "fixedrange": True},
        yaxis={"visible": False, "range": [0, y_max], "fixedrange": True},
    )
    return fig


# Shapes and annotations are collected as the helpers draw them and set on the figure in one layout update by
# `finish` (every figure function built on `canvas` or its own blank figure ends with `return finish(fig)`): plotly
# checks every earlier shape or annotation again on each add_shape/add_annotation, so a diagram of 40 labels was
# checked ~800 times (all lesson figures: 0.50 -> 0.19 CPU-seconds). DEFER = False adds them one by one (the tests
# compare both).
DEFER = True
_PENDING = "_vpnlab_pending"  # an attribute of the figure: plotly lets a figure carry "_" attributes


def shape(fig: go.Figure, **props: object) -> None:
    """fig.add_shape(**props), set on the figure by `finish`."""
    if not DEFER:
        fig.add_shape(**props)
        return
    _pending(fig)[0].append(props)


def annotate(fig: go.Figure, **props: object) -> None:
    """fig.add_annotation(**props), set on the figure by `finish`."""
    if not DEFER:
        fig.add_annotation(**props)
        return
    _pending(fig)[1].append(props)


def _pending(fig: go.Figure) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    pending = fig.__dict__.get(_PENDING)
    if pending is None:
        pending = fig.__dict__[_PENDING] = ([], [])
    return pending


def finish(fig: go.Figure) -> go.Figure:
    """Set the shapes and annotations drawn so far on `fig`, after those it has, in the order they were drawn."""
    pending = fig.__dict__.pop(_PENDING, None)
    if pending and (pending[0] or pending[1]):
        fig.update_layout(shapes=[*fig.layout.shapes, *pending[0]],
                          annotations=[*fig.layout.annotations, *pending[1]])
    return fig


def box(
    fig: go.Figure, x0: float, y0: float, x1: float, y1: float, label: str, color: str,
    dash: str = "solid", fill: float = 0.07, label_pos: str = "top",
) -> None:
    """A labelled rectangle (a network, a site, a cloud); the label is bold text in the same colour."""
    shape(
        fig, type="rect", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
        line={"color": color, "width": 2, "dash": dash}, fillcolor=color, opacity=fill,
    )
    shape(
        fig, type="rect", x0=x0, y0=y0, x1=x1, y1=y1, layer="below",
        line={"color": color, "width": 2, "dash": dash}, fillcolor="rgba(0,0,0,0)",
    )
    y = y1 - 0.28 if label_pos == "top" else y0 + 0.28
    annotate(fig, x=(x0 + x1) / 2, y=y, text=f"<b>{label}</b>", showarrow=False,
                       font={"color": color, "size": 13})


def node(fig: go.Figure, x: float, y: float, label: str, color: str = NEUTRAL, symbol: str = "square",
         size: int = 24, text_pos: str = "bottom center") -> None:
    """A device or host: a marker with its name written below it."""
    fig.add_trace(
        go.Scatter(
            x=[x], y=[y], mode="markers+text", text=[label], textposition=text_pos,
            marker={"size": size, "color": color, "symbol": symbol, "line": {"color": "white", "width": 1}},
            hoverinfo="text", hovertext=[label.replace("<br>", " ")], textfont={"size": 12},
        )
    )


def link(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, label: str = "", color: str = NEUTRAL,
         dash: str = "solid", width: int = 3, label_dy: float = 0.3) -> None:
    """A line between two points with an optional label above its middle."""
    fig.add_trace(
        go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", line={"color": color, "width": width, "dash": dash},
                   hoverinfo="skip")
    )
    if label:
        annotate(fig, x=(x0 + x1) / 2, y=(y0 + y1) / 2 + label_dy, text=label, showarrow=False,
                           font={"color": color, "size": 12}, bgcolor="rgba(255,255,255,0.85)")


def arrow(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, label: str = "", color: str = NEUTRAL,
          width: int = 2, label_side: str = "above", dash_text: bool = False) -> None:
    """An arrow from (x0, y0) to (x1, y1) with a label beside it (sequence diagrams, flows)."""
    annotate(
        fig, x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="", showarrow=True,
        arrowhead=3, arrowsize=1.2, arrowwidth=width, arrowcolor=color,
    )
    if label:
        dy = 0.18 if label_side == "above" else -0.18
        annotate(fig, x=(x0 + x1) / 2, y=(y0 + y1) / 2 + dy, text=label, showarrow=False,
                           font={"color": color, "size": 11}, bgcolor="rgba(255,255,255,0.9)")


def text(fig: go.Figure, x: float, y: float, label: str, color: str = "#1f2933", size: int = 12,
         anchor: str = "center", bg: bool = False) -> None:
    """Free text on the canvas."""
    annotate(fig, x=x, y=y, text=label, showarrow=False, xanchor=anchor, font={"color": color, "size": size},
                       bgcolor="rgba(255,255,255,0.9)" if bg else None)


def segment(fig: go.Figure, x0: float, x1: float, y: float, label: str, color: str, h: float = 0.7,
            fill: float = 0.25) -> None:
    """One field of a packet drawn as a labelled cell (packet diagrams)."""
    shape(fig, type="rect", x0=x0, y0=y - h / 2, x1=x1, y1=y + h / 2, line={"color": color, "width": 2},
                  fillcolor=color, opacity=fill, layer="below")
    shape(fig, type="rect", x0=x0, y0=y - h / 2, x1=x1, y1=y + h / 2, line={"color": color, "width": 2},
                  fillcolor="rgba(0,0,0,0)", layer="below")
    annotate(fig, x=(x0 + x1) / 2, y=y, text=label, showarrow=False, font={"size": 11})


def band(fig: go.Figure, x0: float, x1: float, y0: float, y1: float, color: str, label: str = "",
         opacity: float = 0.18) -> None:
    """A shaded horizontal span on a timeline (a state that lasts), with its name written inside."""
    shape(fig, type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=color, opacity=opacity,
                  line={"width": 0}, layer="below")
    if label:
        annotate(fig, x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=label, showarrow=False,
                           font={"size": 12, "color": color})
