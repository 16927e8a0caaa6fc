"""High-availability topologies from the article's case study (S1-S4) and transit gateway ECMP.

Each figure writes what survives a failure as text under the drawing, so the colours are never the only
carrier of meaning.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import fact
from lab.figures._draw import (
    AWS,
    NEUTRAL,
    TRUSTED,
    TUNNEL,
    UNTRUSTED,
    WARN,
    box,
    canvas,
    finish,
    link,
    node,
    text,
)


def _sites(fig: go.Figure, aws_label: str = "AWS: VPC") -> None:
    box(fig, 0.2, 0.9, 3.4, 6.6, "On-premises network", TRUSTED)
    box(fig, 6.6, 0.9, 9.8, 6.6, aws_label, AWS)
    node(fig, 0.9, 3.75, "LAN", NEUTRAL, symbol="circle")


def _endpoint_pair(fig: go.Figure, top: float, bottom: float, label: str) -> None:
    node(fig, 7.4, top, f"{label}<br>tunnel 1<br>(AZ a)", AWS, symbol="diamond", size=18)
    node(fig, 7.4, bottom, f"{label}<br>tunnel 2<br>(AZ b)", AWS, symbol="diamond", size=18)
    link(fig, 7.4, top, 9.1, 3.75, "", AWS, width=2)
    link(fig, 7.4, bottom, 9.1, 3.75, "", AWS, width=2)


def topology_s1() -> go.Figure:
    """S1: one customer gateway, one connection, two tunnels."""
    fig = canvas("S1 - one VPN connection, one customer gateway device", height=460, y_max=7)
    _sites(fig)
    node(fig, 2.5, 3.75, "Customer<br>gateway", TUNNEL)
    link(fig, 0.9, 3.75, 2.5, 3.75, "", NEUTRAL, width=2)
    node(fig, 9.1, 3.75, "Virtual<br>private<br>gateway", TUNNEL)
    _endpoint_pair(fig, 5.2, 2.3, "endpoint,")
    link(fig, 2.5, 3.75, 7.4, 5.2, "tunnel 1 (UP)", TUNNEL, width=5)
    link(fig, 2.5, 3.75, 7.4, 2.3, "tunnel 2 (UP:<br>configure it too)", TUNNEL, width=5, label_dy=-0.6)
    text(fig, 5.0, 0.35, "Survives: one AWS endpoint failing or being replaced.<br>"
                         "Does not survive: the customer gateway failing (both tunnels end on it).",
         color=UNTRUSTED, size=11)
    return finish(fig)


def topology_s2() -> go.Figure:
    """S2: two clustered customer gateways, two connections."""
    fig = canvas("S2 - two customer gateways that cluster,<br>two VPN connections", height=460, y_max=7)
    _sites(fig)
    node(fig, 2.5, 5.0, "Customer<br>gateway A", TUNNEL)
    node(fig, 2.5, 2.5, "Customer<br>gateway B", TUNNEL)
    link(fig, 2.5, 5.0, 2.5, 2.5, "cluster<br>(shared state)", TRUSTED, dash="dot", width=3, label_dy=0)
    link(fig, 0.9, 3.75, 2.5, 5.0, "", NEUTRAL, width=2)
    link(fig, 0.9, 3.75, 2.5, 2.5, "", NEUTRAL, width=2)
    node(fig, 9.1, 3.75, "Virtual<br>private<br>gateway", TUNNEL)
    node(fig, 7.4, 5.2, "connection 1<br>2 tunnels", AWS, symbol="diamond", size=18)
    node(fig, 7.4, 2.3, "connection 2<br>2 tunnels", AWS, symbol="diamond", size=18)
    link(fig, 7.4, 5.2, 9.1, 3.75, "", AWS, width=2)
    link(fig, 7.4, 2.3, 9.1, 3.75, "", AWS, width=2)
    link(fig, 2.5, 5.0, 7.4, 5.2, "connection 1 (A)", TUNNEL, width=5)
    link(fig, 2.5, 2.5, 7.4, 2.3, "connection 2 (B)", TUNNEL, width=5, label_dy=-0.45)
    text(fig, 5.0, 0.35, "Survives: an AWS endpoint failing and one customer gateway failing.<br>"
                         "Requires: devices that can cluster with each other.", color=TRUSTED, size=11)
    return finish(fig)


def topology_s3() -> go.Figure:
    """S3: two non-clustered customer gateways with static routes: failover needs detection and a person."""
    fig = canvas("S3 - two customer gateways that cannot cluster,<br>static routing", height=480, y_max=7)
    _sites(fig)
    node(fig, 2.5, 5.0, "Customer<br>gateway A", TUNNEL)
    node(fig, 2.5, 2.5, "Customer<br>gateway B", TUNNEL)
    link(fig, 0.9, 3.75, 2.5, 5.0, "", NEUTRAL, width=2)
    link(fig, 0.9, 3.75, 2.5, 2.5, "", WARN, width=2, dash="dash")
    text(fig, 1.3, 1.45, "on-prem static route:<br>to A now (solid),<br>to B by hand (dashed)", color=WARN, size=11)
    node(fig, 9.1, 3.75, "Virtual<br>private<br>gateway", TUNNEL)
    node(fig, 7.4, 5.2, "connection A<br>static<br>prefixes", AWS, symbol="diamond", size=18)
    node(fig, 7.4, 2.3, "connection B<br>static<br>prefixes", AWS, symbol="diamond", size=18)
    link(fig, 7.4, 5.2, 9.1, 3.75, "", AWS, width=2)
    link(fig, 7.4, 2.3, 9.1, 3.75, "", AWS, width=2)
    link(fig, 2.5, 5.0, 7.4, 5.2, "A: DPD + health-check ping", TUNNEL, width=5)
    link(fig, 2.5, 2.5, 7.4, 2.3, "B: DPD + health-check ping", TUNNEL, width=5, label_dy=-0.45)
    text(fig, 8.2, 1.25, "route propagation on", color=AWS, size=11)
    text(fig, 5.0, 0.35, "Failover is MANUAL: a dead tunnel must be detected (DPD, ping)<br>"
                         "and on-premises routes moved by a person or a script.", color=WARN, size=11)
    return finish(fig)


def topology_s4() -> go.Figure:
    """S4: two customer gateways with BGP: routes are withdrawn and re-learned automatically."""
    fig = canvas("S4 - two customer gateways with dynamic routing (BGP)", height=480, y_max=7)
    _sites(fig)
    node(fig, 2.5, 5.0, "Customer<br>gateway A", TUNNEL)
    node(fig, 2.5, 2.5, "Customer<br>gateway B", TUNNEL)
    link(fig, 0.9, 3.75, 2.5, 5.0, "", NEUTRAL, width=2)
    link(fig, 0.9, 3.75, 2.5, 2.5, "", NEUTRAL, width=2)
    node(fig, 9.1, 3.75, "Virtual<br>private<br>gateway", TUNNEL)
    node(fig, 7.4, 5.2, "connection A", AWS, symbol="diamond", size=18)
    node(fig, 7.4, 2.3, "connection B", AWS, symbol="diamond", size=18)
    link(fig, 7.4, 5.2, 9.1, 3.75, "", AWS, width=2)
    link(fig, 7.4, 2.3, 9.1, 3.75, "", AWS, width=2)
    link(fig, 2.5, 5.0, 7.4, 5.2, "BGP: prefixes learned", TUNNEL, width=5)
    link(fig, 2.5, 2.5, 7.4, 2.3, "BGP: the standby", TRUSTED, width=5, label_dy=-0.45)
    keepalive, hold = fact("bgp_keepalive").text, fact("bgp_hold_time").text
    text(fig, 5.0, 3.75, f"sample configs:<br>keepalive {keepalive}<br>hold time {hold}", color=TUNNEL, size=11)
    text(fig, 5.0, 0.35, "Failover is AUTOMATIC: when a tunnel or device dies, its BGP routes<br>"
                         "are withdrawn and traffic follows the routes that remain.", color=TRUSTED, size=11)
    return finish(fig)


def tgw_ecmp() -> go.Figure:
    """Transit gateway with several BGP tunnels sharing the load (ECMP)."""
    per_tunnel = fact("tunnel_bandwidth_standard").text
    fig = canvas("The next step: ECMP across tunnels on a transit gateway<br>(BGP required)", height=480, y_max=7)
    box(fig, 0.2, 0.9, 3.4, 6.6, "On-premises network", TRUSTED)
    box(fig, 6.6, 0.9, 9.8, 6.6, "AWS", AWS)
    node(fig, 0.9, 3.75, "LAN", NEUTRAL, symbol="circle")
    node(fig, 2.5, 5.0, "Customer<br>gateway A", TUNNEL)
    node(fig, 2.5, 2.5, "Customer<br>gateway B", TUNNEL)
    link(fig, 0.9, 3.75, 2.5, 5.0, "", NEUTRAL, width=2)
    link(fig, 0.9, 3.75, 2.5, 2.5, "", NEUTRAL, width=2)
    node(fig, 7.6, 3.75, "Transit<br>gateway", TUNNEL, size=30)
    node(fig, 9.2, 5.3, "VPC 1", NEUTRAL, symbol="circle")
    node(fig, 9.2, 2.2, "VPC 2", NEUTRAL, symbol="circle")
    link(fig, 7.6, 3.75, 9.2, 5.3, "", AWS, width=2)
    link(fig, 7.6, 3.75, 9.2, 2.2, "", AWS, width=2)
    for y0, y1 in ((5.0, 4.35), (5.0, 4.0), (2.5, 3.5), (2.5, 3.15)):
        link(fig, 2.5, y0, 7.6, y1, "", TUNNEL, width=4)
    text(fig, 5.0, 5.5, "4 tunnels, equal BGP<br>attributes, all active", color=TUNNEL, size=11, bg=True)
    text(fig, 5.0, 2.0, "each standard tunnel:<br>" + per_tunnel.replace(" (", "<br>("), color=TUNNEL, size=11,
         bg=True)
    text(fig, 5.0, 0.35, "ECMP spreads flows across all equal tunnels (one flow stays on one tunnel).<br>"
                         "A virtual private gateway cannot do this; static routes cannot either.",
         color=NEUTRAL, size=11)
    return finish(fig)
