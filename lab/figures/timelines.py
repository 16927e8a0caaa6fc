"""Timeline figures: a DPD timeout and its three actions, and tunnel recovery after an endpoint replacement.

Times are illustrative; the rules drawn (timeout minimum and default, action default, who initiates after a
replacement) come from lab/data/facts.yaml. AWS does not publish its DPD probe interval, so probes are drawn
without claiming one.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import fact, value
from lab.figures._draw import FONT, NEUTRAL, TRUSTED, TUNNEL, UNTRUSTED, WARN


def _timeline(title: str, lanes: list[str], x_max: float, x_title: str, height: int = 440) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 18}},
        height=height, font=FONT, plot_bgcolor="white", showlegend=False,
        margin={"l": 250, "r": 20, "t": 60, "b": 60},
        xaxis={"range": [0, x_max], "title": x_title, "showgrid": True, "gridcolor": "#e5e8ec", "zeroline": False},
        yaxis={"range": [-0.6, len(lanes) - 0.4], "tickvals": list(range(len(lanes))),
               "ticktext": [f"<b>{lane}</b>" for lane in reversed(lanes)], "showgrid": False, "zeroline": False},
    )
    return fig


def _span(fig: go.Figure, lane: int, x0: float, x1: float, color: str, label: str, opacity: float = 0.3) -> None:
    fig.add_shape(type="rect", x0=x0, x1=x1, y0=lane - 0.32, y1=lane + 0.32, fillcolor=color, opacity=opacity,
                  line={"color": color, "width": 1})
    fig.add_annotation(x=(x0 + x1) / 2, y=lane, text=label, showarrow=False, font={"size": 12, "color": "#1f2933"})


def _mark(fig: go.Figure, x: float, label: str, color: str, y_top: float) -> None:
    fig.add_shape(type="line", x0=x, x1=x, y0=-0.5, y1=y_top, line={"color": color, "width": 2, "dash": "dash"})
    fig.add_annotation(x=x, y=y_top, text=label, showarrow=False, yanchor="bottom", font={"size": 12, "color": color},
                       bgcolor="rgba(255,255,255,0.9)")


def dpd_timeline() -> go.Figure:
    """Peer goes silent, DPD probes go unanswered, the timeout expires, and clear / restart / none diverge."""
    timeout = value("dpd_timeout_default")
    lanes = ["Customer gateway", "AWS DPD", "action = clear (default)", "action = restart", "action = none"]
    fig = _timeline(f"Dead peer detection: the peer goes silent at 20 s; timeout {timeout} s (default in current "
                    f"docs; older docs say 30; minimum {value('dpd_timeout_min')})", lanes, 140, "seconds (illustration; AWS does not publish its probe interval or retry count)")
    y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    dead_at, fires = 20, 20 + timeout
    _span(fig, y["Customer gateway"], 0, dead_at, TRUSTED, "alive: traffic and replies")
    _span(fig, y["Customer gateway"], dead_at, 140, UNTRUSTED, "gone (reboot, link or NAT failure): no replies")
    _span(fig, y["AWS DPD"], 0, dead_at, TRUSTED, "traffic = alive")
    _span(fig, y["AWS DPD"], dead_at, fires, WARN, "probes unanswered (R-U-THERE / INFORMATIONAL)")
    fig.add_trace(go.Scatter(x=[dead_at + 8, dead_at + 18, dead_at + 28], y=[y["AWS DPD"] + 0.45] * 3,
                             mode="markers+text", text=["probe", "probe", "probe"], textposition="top center",
                             marker={"symbol": "triangle-down", "size": 11, "color": WARN}, hoverinfo="text",
                             hovertext=["probe (AWS does not publish the interval)"] * 3))
    _span(fig, y["AWS DPD"], fires, 140, UNTRUSTED, "peer declared dead")
    _span(fig, y["action = clear (default)"], 0, fires, TRUSTED, "tunnel UP")
    _span(fig, y["action = clear (default)"], fires, 140, UNTRUSTED,
          "IKE stopped, tunnel DOWN, routes removed; waits for the customer gateway")
    _span(fig, y["action = restart"], 0, fires, TRUSTED, "tunnel UP")
    _span(fig, y["action = restart"], fires, 140, WARN, "AWS restarts the IKE session: the tunnel renegotiates once the peer answers")
    _span(fig, y["action = none"], 0, fires, TRUSTED, "tunnel UP")
    _span(fig, y["action = none"], fires, 140, NEUTRAL, "AWS takes no action: the tunnel is not torn down, traffic to the dead peer is lost")
    _mark(fig, dead_at, "last reply", UNTRUSTED, len(lanes) - 0.55)
    _mark(fig, fires, f"DPD timeout ({timeout} s)", UNTRUSTED, len(lanes) - 0.55)
    return fig


def startup_action_timeline() -> go.Figure:
    """After an AWS endpoint replacement: who brings the tunnel back, per IKE version and startup action."""
    rule = fact("aws_initiation_after_replacement").text
    lanes = ["IKEv2 + start", "IKEv1 or add, device initiates itself", "IKEv1 or add, device waits for traffic"]
    fig = _timeline("After a tunnel endpoint replacement the tunnel is DOWN until someone initiates IKE",
                    lanes, 60, "minutes (illustration)", height=400)
    y = {name: len(lanes) - 1 - i for i, name in enumerate(lanes)}
    replaced = 10
    for lane in lanes:
        _span(fig, y[lane], 0, replaced, TRUSTED, "UP")
    _span(fig, y["IKEv2 + start"], replaced, replaced + 2, UNTRUSTED, "DOWN")
    _span(fig, y["IKEv2 + start"], replaced + 2, 60, TRUSTED, "AWS initiates IKE → UP again")
    _span(fig, y["IKEv1 or add, device initiates itself"], replaced, replaced + 3, UNTRUSTED, "DOWN")
    _span(fig, y["IKEv1 or add, device initiates itself"], replaced + 3, 60, TRUSTED,
          "customer gateway retries IKE → UP again")
    _span(fig, y["IKEv1 or add, device waits for traffic"], replaced, 45, UNTRUSTED,
          "DOWN: AWS waits (add), device waits (no traffic) - nobody initiates")
    _span(fig, y["IKEv1 or add, device waits for traffic"], 45, 60, TRUSTED, "first packet → UP")
    _mark(fig, replaced, "endpoint replaced (outside IP unchanged)", TUNNEL, len(lanes) - 0.55)
    fig.add_annotation(x=0.5, y=-0.36, xref="paper", yref="paper", showarrow=False,
                       text=f"AWS initiates {rule}.", font={"size": 13, "color": TUNNEL})
    fig.update_layout(margin={"b": 110})
    return fig
