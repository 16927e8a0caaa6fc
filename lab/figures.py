"""Figures that lessons embed with `{{figure:name}}`: pure functions returning plotly figures.

Every state or role shown by colour is also written as text, so a figure reads without colour.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

TRUSTED = "#2e7d32"
UNTRUSTED = "#c62828"
TUNNEL = "#1f5fa8"
NEUTRAL = "#5f6b7a"


def _canvas(title: str, height: int = 360) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        showlegend=False,
        plot_bgcolor="white",
        xaxis={"visible": False, "range": [0, 10]},
        yaxis={"visible": False, "range": [0, 6]},
    )
    return fig


def _box(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, label: str, color: str, dash: str = "solid") -> None:
    fig.add_shape(
        type="rect", x0=x0, y0=y0, x1=x1, y1=y1,
        line={"color": color, "width": 2, "dash": dash}, fillcolor=color, opacity=0.08, layer="below",
    )
    fig.add_annotation(x=(x0 + x1) / 2, y=y1 - 0.3, text=f"<b>{label}</b>", showarrow=False, font={"color": color})


def _node(fig: go.Figure, x: float, y: float, label: str, color: str = NEUTRAL) -> None:
    fig.add_trace(
        go.Scatter(
            x=[x], y=[y], mode="markers+text", text=[label], textposition="bottom center",
            marker={"size": 26, "color": color, "symbol": "square"}, hoverinfo="text", hovertext=[label],
        )
    )


def _link(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, label: str, color: str, dash: str = "solid", width: int = 3) -> None:
    fig.add_trace(
        go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", line={"color": color, "width": width, "dash": dash}, hoverinfo="skip")
    )
    if label:
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2 + 0.35, text=label, showarrow=False, font={"color": color})


def vpn_over_internet() -> go.Figure:
    """Two trusted networks joined by an encrypted tunnel across the untrusted internet."""
    fig = _canvas("A VPN: a private tunnel across a public network")
    _box(fig, 0.2, 0.6, 2.8, 5.6, "Head office (trusted)", TRUSTED)
    _box(fig, 3.2, 0.6, 6.8, 5.6, "Internet (untrusted)", UNTRUSTED, dash="dot")
    _box(fig, 7.2, 0.6, 9.8, 5.6, "Branch office (trusted)", TRUSTED)
    _node(fig, 1.0, 3.0, "Servers", NEUTRAL)
    _node(fig, 2.3, 3.0, "VPN gateway", TUNNEL)
    _node(fig, 7.7, 3.0, "VPN gateway", TUNNEL)
    _node(fig, 9.0, 3.0, "PCs", NEUTRAL)
    _link(fig, 1.0, 3.0, 2.3, 3.0, "plain", NEUTRAL, width=2)
    _link(fig, 2.3, 3.0, 7.7, 3.0, "encrypted tunnel (IPsec)", TUNNEL, width=6)
    _link(fig, 7.7, 3.0, 9.0, 3.0, "plain", NEUTRAL, width=2)
    fig.add_annotation(
        x=5.0, y=1.5, showarrow=False,
        text="An eavesdropper here sees only encrypted packets<br>between the two gateways' public addresses",
        font={"color": UNTRUSTED},
    )
    return fig


def vpn_types() -> go.Figure:
    """Host-to-host, host-to-network and network-to-network, side by side."""
    fig = _canvas("The three kinds of VPN: where the tunnel ends", height=420)
    fig.update_yaxes(range=[0, 9])
    rows = [
        (7.5, "Host-to-host", "Laptop", "Server", "one machine to one machine (rare as a VPN design)"),
        (4.5, "Host-to-network", "Remote worker", "VPN gateway -> office LAN", "remote access (SSL/TLS or IPsec)"),
        (1.5, "Network-to-network", "Gateway -> branch LAN", "Gateway -> HQ LAN", "site-to-site (IPsec), e.g. AWS Site-to-Site VPN"),
    ]
    for y, name, left, right, note in rows:
        fig.add_annotation(x=0.1, y=y + 0.9, text=f"<b>{name}</b>: {note}", showarrow=False, xanchor="left")
        _node(fig, 1.5, y, left, NEUTRAL)
        _node(fig, 8.5, y, right, NEUTRAL)
        _link(fig, 1.5, y, 8.5, y, "tunnel", TUNNEL, width=5)
    return fig


FIGURES: dict[str, Callable[[], go.Figure]] = {
    "vpn-over-internet": vpn_over_internet,
    "vpn-types": vpn_types,
}
