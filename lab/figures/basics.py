"""Figures for the first lessons: a VPN across the internet, and the three kinds of VPN."""

from __future__ import annotations

import plotly.graph_objects as go

from lab.figures._draw import NEUTRAL, TRUSTED, TUNNEL, UNTRUSTED, annotate, box, canvas, finish, link, node


def vpn_over_internet() -> go.Figure:
    """Two trusted networks joined by an encrypted tunnel across the untrusted internet."""
    fig = canvas("A VPN: a private tunnel across a public network", height=360)
    box(fig, 0.2, 0.6, 2.8, 5.6, "Head office (trusted)", TRUSTED)
    box(fig, 3.2, 0.6, 6.8, 5.6, "Internet (untrusted)", UNTRUSTED, dash="dot")
    box(fig, 7.2, 0.6, 9.8, 5.6, "Branch office (trusted)", TRUSTED)
    node(fig, 1.0, 3.0, "Servers", NEUTRAL)
    node(fig, 2.3, 3.0, "VPN gateway", TUNNEL)
    node(fig, 7.7, 3.0, "VPN gateway", TUNNEL)
    node(fig, 9.0, 3.0, "PCs", NEUTRAL)
    link(fig, 1.0, 3.0, 2.3, 3.0, "plain", NEUTRAL, width=2)
    link(fig, 2.3, 3.0, 7.7, 3.0, "encrypted tunnel<br>(IPsec)", TUNNEL, width=6, label_dy=0.5)
    link(fig, 7.7, 3.0, 9.0, 3.0, "plain", NEUTRAL, width=2)
    annotate(
        fig, x=5.0, y=1.6, showarrow=False,
        text="An eavesdropper here sees<br>only encrypted packets<br>between the gateways'<br>public addresses",
        font={"color": UNTRUSTED},
    )
    return finish(fig)


def vpn_types() -> go.Figure:
    """Host-to-host, host-to-network and network-to-network, side by side."""
    fig = canvas("The three kinds of VPN: where the tunnel ends", height=420, y_max=9)
    rows = [
        (7.5, "Host-to-host", "Laptop", "Server", "one machine to one machine (rare as a VPN design)"),
        (4.5, "Host-to-network", "Remote worker", "VPN gateway -> office LAN", "remote access (SSL/TLS or IPsec)"),
        (1.5, "Network-to-network", "Gateway -> branch LAN", "Gateway -> HQ LAN",
         "site-to-site (IPsec), e.g. AWS Site-to-Site VPN"),
    ]
    for y, name, left, right, note in rows:
        annotate(fig, x=0.1, y=y + 0.9, text=f"<b>{name}</b>: {note}", showarrow=False, xanchor="left")
        node(fig, 1.5, y, left, NEUTRAL)
        node(fig, 8.5, y, right, NEUTRAL)
        link(fig, 1.5, y, 8.5, y, "tunnel", TUNNEL, width=5)
    return finish(fig)
