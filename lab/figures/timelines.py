"""Timeline figures: a DPD timeout and its three actions, and tunnel recovery after an endpoint replacement.

Times are illustrative; the rules drawn (timeout minimum and default, action default, who initiates after a
replacement) come from lab/data/facts.yaml. AWS does not publish its DPD probe interval, so probes are drawn
without claiming one.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import fact, value
from lab.figures._draw import (
    DESIGN_WIDTH_PX,
    FONT,
    NEUTRAL,
    TITLE_SIZE,
    TRUSTED,
    TUNNEL,
    UNTRUSTED,
    WARN,
    annotate,
    finish,
    shape,
    title_margin,
)


def _timeline(title: str, lanes: list[str], x_max: float, x_title: str, height: int = 440) -> go.Figure:
    """Lanes stacked top to bottom; each lane's name is written above its bar so bars get the full width.

    `x_title` may break into lines with <br> (plotly does not wrap it, and the lesson column is narrow).
    """
    fig = go.Figure()
    extra_lines = x_title.count("<br>")
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": TITLE_SIZE}},
        height=height + 16 * extra_lines, font=FONT, plot_bgcolor="white", showlegend=False,
        margin={"l": 10, "r": 10, "t": title_margin(title), "b": 50 + 16 * extra_lines},
        xaxis={"range": [0, x_max], "title": x_title, "showgrid": True, "gridcolor": "#e5e8ec", "zeroline": False},
        yaxis={"range": [-0.5, len(lanes) + 0.15], "visible": False},
    )
    for i, lane in enumerate(lanes):
        y = len(lanes) - 1 - i
        annotate(fig, x=0, y=y + 0.3, xref="x", text=f"<b>{lane}</b>", showarrow=False, xanchor="left",
                           yanchor="bottom", font={"size": 12})
    return finish(fig)


def _span(fig: go.Figure, lane: int, x0: float, x1: float, color: str, label: str, opacity: float = 0.3,
          x_max: float = 100) -> None:
    """A state that lasts from x0 to x1; its name is written inside when it fits the lesson column."""
    shape(fig, type="rect", x0=x0, x1=x1, y0=lane - 0.25, y1=lane + 0.25, fillcolor=color, opacity=opacity,
                  line={"color": color, "width": 1})
    fits = (x1 - x0) / x_max * DESIGN_WIDTH_PX >= len(label) * 6.2 + 6
    if label and fits:
        # The label sits on a patch of the bar's own (blended) colour, so a moment's dashed line that crosses
        # the bar stops at the label instead of running through its words.
        annotate(fig, x=(x0 + x1) / 2, y=lane, text=label, showarrow=False, font={"size": 11, "color": "#1f2933"},
                           bgcolor=_on_white(color, opacity), borderpad=1)


def _on_white(color: str, opacity: float) -> str:
    """The colour a #rrggbb fill at `opacity` shows over the white plot background."""
    rgb = [int(color[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(opacity * c + (1 - opacity) * 255):02x}" for c in rgb)


def _mark(fig: go.Figure, x: float, label: str, color: str, y_top: float) -> None:
    """A moment: a dashed line through every lane's bar (not through the lane names above the bars)."""
    for lane in range(int(y_top) + 1):
        top = min(lane + 0.27, y_top)
        shape(fig, type="line", x0=x, x1=x, y0=lane - 0.32, y1=top,
                      line={"color": color, "width": 2, "dash": "dash"})
    annotate(fig, x=x, y=y_top, text=label, showarrow=False, yanchor="bottom", font={"size": 11, "color": color},
                       bgcolor="rgba(255,255,255,0.9)")


def dpd_timeline() -> go.Figure:
    """Peer goes silent, DPD probes go unanswered, the timeout expires, and clear / restart / none diverge."""
    timeout = value("dpd_timeout_default")
    x_max = 140
    lanes = ["Customer gateway", "AWS dead peer detection", "DPD timeout action = clear (the default)",
             "DPD timeout action = restart", "DPD timeout action = none"]
    # Three title lines: the disputed default does not fit the lesson column (about 650 px) on one line.
    fig = _timeline(f"Dead peer detection: the peer goes silent at 20 s<br>timeout {timeout} s ({timeout} per "
                    f"current modify API/user guide;<br>30 per create-time API and older docs; "
                    f"minimum {value('dpd_timeout_min')})", lanes, x_max,
                    "seconds (an illustration: AWS does not document its probe interval<br>or exactly when "
                    "the timeout starts)", height=520)
    y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    dead_at, fires = 20, 20 + timeout

    def span(lane: str, x0: float, x1: float, color: str, label: str) -> None:
        _span(fig, y[lane], x0, x1, color, label, x_max=x_max)

    span("Customer gateway", 0, dead_at, TRUSTED, "alive")
    span("Customer gateway", dead_at, x_max, UNTRUSTED, "gone: no replies (reboot, link or NAT failure)")
    span("AWS dead peer detection", 0, dead_at, TRUSTED, "ok")
    span("AWS dead peer detection", dead_at, fires, WARN, "probes: no reply")
    span("AWS dead peer detection", fires, x_max, UNTRUSTED, "peer declared dead")
    for lane in lanes[2:]:
        span(lane, 0, fires, TRUSTED, "tunnel UP")
    span("DPD timeout action = clear (the default)", fires, x_max, UNTRUSTED,
         "IKE stopped, tunnel DOWN, routes removed")
    span("DPD timeout action = restart", fires, x_max, WARN, "AWS restarts the IKE session")
    span("DPD timeout action = none", fires, x_max, NEUTRAL, "AWS takes no action")
    _mark(fig, dead_at, "last reply", UNTRUSTED, len(lanes) - 0.05)
    _mark(fig, fires, f"timeout ({timeout} s)", UNTRUSTED, len(lanes) - 0.05)
    return finish(fig)


def startup_action_timeline() -> go.Figure:
    """After an AWS endpoint replacement: who brings the tunnel back, per IKE version and startup action."""
    rule = fact("aws_initiation_after_replacement").text
    x_max = 60
    lanes = ["IKEv2 + startup action start: AWS initiates", "IKEv1 or add: the device initiates by itself",
             "IKEv1 or add: the device waits for traffic - nobody initiates"]
    fig = _timeline(f"After an endpoint replacement the tunnel is DOWN<br>until someone initiates IKE. AWS initiates"
                    f"<br>{rule}.", lanes, x_max, "minutes (illustration)", height=440)
    y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    replaced = 10

    def span(lane: str, x0: float, x1: float, color: str, label: str) -> None:
        _span(fig, y[lane], x0, x1, color, label, x_max=x_max)

    for lane in lanes:
        span(lane, 0, replaced, TRUSTED, "UP")
    span(lanes[0], replaced, replaced + 2, UNTRUSTED, "DOWN")
    span(lanes[0], replaced + 2, x_max, TRUSTED, "UP again (AWS initiated IKE)")
    span(lanes[1], replaced, replaced + 3, UNTRUSTED, "DOWN")
    span(lanes[1], replaced + 3, x_max, TRUSTED, "UP again (the device retried IKE)")
    span(lanes[2], replaced, 45, UNTRUSTED, "DOWN: AWS waits (add), the device waits")
    span(lanes[2], 45, x_max, TRUSTED, "first packet: UP")
    _mark(fig, replaced, "endpoint replaced (outside IP unchanged)", TUNNEL, len(lanes) - 0.05)
    return finish(fig)
