"""Topology figures: who connects to whom (sites, hybrid cloud, the parts of an AWS Site-to-Site VPN).

Every box, device and link carries its name as text; colours repeat what the text says.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import value
from lab.figures._draw import AWS, NEUTRAL, TRUSTED, TUNNEL, UNTRUSTED, WARN, box, canvas, link, node, text


def hq_branch_vs_remote_worker() -> go.Figure:
    """Network-to-network IPsec (device at each end) above host-to-network SSL/TLS (client on a laptop)."""
    fig = canvas("HQ to branch uses IPsec between two devices; HQ to a remote worker uses an SSL/TLS client",
                 height=470, y_max=8)
    box(fig, 0.2, 4.3, 2.9, 7.6, "Branch office (trusted)", TRUSTED)
    box(fig, 3.2, 0.3, 6.8, 7.6, "Internet (untrusted)", UNTRUSTED, dash="dot", fill=0.03)
    box(fig, 7.1, 0.3, 9.8, 7.6, "Head office (trusted)", TRUSTED)
    # network-to-network
    node(fig, 0.9, 5.8, "Branch PCs", NEUTRAL)
    node(fig, 2.3, 5.8, "IPsec<br>gateway", TUNNEL)
    node(fig, 7.7, 5.8, "IPsec<br>gateway", TUNNEL)
    node(fig, 9.1, 4.1, "Servers", NEUTRAL)
    link(fig, 0.9, 5.8, 2.3, 5.8, "", NEUTRAL, width=2)
    link(fig, 2.3, 5.8, 7.7, 5.8, "IPsec tunnel (network-to-network)", TUNNEL, width=6)
    link(fig, 7.7, 5.8, 9.1, 4.1, "", NEUTRAL, width=2)
    text(fig, 5.0, 6.8, "Both ends need an IPsec-capable network device", color=TUNNEL, size=12)
    # host-to-network
    box(fig, 0.2, 0.3, 2.9, 3.7, "Home (no VPN device)", NEUTRAL, dash="dash", fill=0.03)
    node(fig, 1.4, 1.9, "Laptop with<br>VPN client", NEUTRAL, symbol="diamond")
    node(fig, 7.7, 1.9, "SSL/TLS VPN<br>gateway", WARN)
    link(fig, 1.4, 1.9, 7.7, 1.9, "SSL/TLS tunnel (host-to-network)", WARN, width=5)
    link(fig, 7.7, 1.9, 9.1, 4.1, "", NEUTRAL, width=2)
    text(fig, 5.0, 1.0, "Only a client on the laptop; typical for working from home", color=WARN, size=12)
    text(fig, 5.0, 4.1, "AWS: Site-to-Site VPN (IPsec) above, Client VPN (OpenVPN, TLS) below", color=AWS, size=12,
         bg=True)
    return fig


def hybrid_cloud() -> go.Figure:
    """On-premises data centre + VPN over the internet + a VPC, with a dedicated line as the alternative."""
    fig = canvas("Hybrid cloud: the data centre (IDC) and the cloud, joined privately", height=430, y_max=7)
    box(fig, 0.2, 0.4, 3.2, 6.6, "On-premises data centre (IDC)", TRUSTED)
    node(fig, 1.0, 4.9, "Member DB", NEUTRAL, symbol="circle")
    node(fig, 2.3, 4.9, "Payment /<br>legacy system", NEUTRAL)
    node(fig, 1.6, 2.6, "Customer<br>gateway", TUNNEL)
    box(fig, 6.8, 0.4, 9.8, 6.6, "AWS Region: VPC", AWS)
    node(fig, 8.3, 2.6, "Virtual private<br>gateway", TUNNEL)
    for i, x in enumerate((7.4, 8.0, 8.6, 9.2)):
        node(fig, x, 4.9, "web" if i < 2 else "web+", NEUTRAL if i < 2 else WARN, size=18)
    text(fig, 8.3, 4.1, "grey = always on, amber = added for a peak", color=WARN, size=11)
    link(fig, 1.6, 2.6, 8.3, 2.6, "Site-to-Site VPN over the internet (IPsec, encrypted)", TUNNEL, width=6)
    link(fig, 1.6, 1.3, 8.3, 1.3, "Leased line / AWS Direct Connect (dedicated; main link or the VPN's partner)",
         NEUTRAL, dash="dash", width=3)
    text(fig, 5.0, 5.6, "Workloads stay separate;<br>data management is shared over the link", size=13)
    return fig


def aws_vpn_anatomy() -> go.Figure:
    """Customer gateway, VPN connection with two tunnels in two AZs, virtual private gateway, VPC route table."""
    fig = canvas("The parts of an AWS Site-to-Site VPN connection", height=520, y_max=8)
    box(fig, 0.2, 0.4, 3.0, 7.6, "Your network (on-premises)", TRUSTED)
    node(fig, 1.0, 5.8, "LAN<br>192.168.0.0/16", NEUTRAL, symbol="circle")
    node(fig, 2.2, 4.0, "Your VPN device<br>public IP 198.51.100.10", TUNNEL)
    text(fig, 1.6, 1.6, "AWS 'customer gateway' resource =<br>a record of this device:<br>public IP, BGP ASN or "
                        "certificate", color=AWS, size=12)
    box(fig, 3.4, 0.4, 6.6, 7.6, f"VPN connection: {value('tunnels_per_connection')} tunnels", TUNNEL, dash="dot",
        fill=0.03)
    box(fig, 7.0, 0.4, 9.8, 7.6, "AWS: VPC 10.0.0.0/16", AWS)
    node(fig, 7.7, 5.5, "AZ a endpoint<br>tunnel 1 outside IP", AWS, symbol="diamond")
    node(fig, 7.7, 2.5, "AZ b endpoint<br>tunnel 2 outside IP", AWS, symbol="diamond")
    node(fig, 9.1, 4.0, "Virtual private<br>gateway", TUNNEL)
    link(fig, 2.2, 4.0, 7.7, 5.5, "tunnel 1 (IPsec), inside 169.254.10.0/30", TUNNEL, width=5, label_dy=0.45)
    link(fig, 2.2, 4.0, 7.7, 2.5, "tunnel 2 (IPsec), inside 169.254.11.0/30", TUNNEL, width=5, label_dy=-0.45)
    link(fig, 7.7, 5.5, 9.1, 4.0, "", AWS, width=2)
    link(fig, 7.7, 2.5, 9.1, 4.0, "", AWS, width=2)
    link(fig, 1.0, 5.8, 2.2, 4.0, "", NEUTRAL, width=2)
    text(fig, 8.4, 1.1, "VPC route table: 192.168.0.0/16 → vgw<br>(static route or route propagation)", size=12)
    text(fig, 5.0, 6.45, "each tunnel: own pre-shared key, own options<br>(IKE versions, DPD, startup action, ...)",
         color=TUNNEL, size=12)
    text(fig, 5.0, 1.0, "Two tunnels protect against an AWS endpoint failing,<br>"
                        "not against your one device failing", color=UNTRUSTED, size=12)
    return fig
