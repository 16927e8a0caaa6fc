"""Topology figures: who connects to whom (sites, hybrid cloud, the parts of an AWS Site-to-Site VPN).

Every box, device and link carries its name as text; colours repeat what the text says.
"""

from __future__ import annotations

import plotly.graph_objects as go

from lab.facts import value
from lab.figures._draw import (
    AWS,
    AZURE,
    NEUTRAL,
    TRUSTED,
    TUNNEL,
    UNTRUSTED,
    WARN,
    box,
    canvas,
    link,
    node,
    text,
)


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


def aws_azure_static() -> go.Figure:
    """The article's lab with static routing: which address goes into which resource on each side."""
    fig = canvas("Hands-on (static routing): Azure plays the on-premises site", height=520, y_max=8)
    box(fig, 0.2, 0.4, 3.6, 7.6, "Azure resource group", AZURE)
    node(fig, 1.0, 6.0, "Virtual network<br>10.1.0.0/16", NEUTRAL, symbol="circle")
    node(fig, 2.6, 4.3, "VPN gateway<br>public IP 20.0.0.10", AZURE)
    node(fig, 1.0, 2.4, "Local network gateway<br>IP = AWS tunnel 1 outside IP<br>space = 10.0.0.0/16",
         WARN, symbol="diamond")
    text(fig, 1.9, 0.95, "Connection: Site-to-site (IPsec),<br>shared key = tunnel 1 PSK", color=AZURE, size=12)
    box(fig, 6.4, 0.4, 9.8, 7.6, "AWS: VPC 10.0.0.0/16", AWS)
    node(fig, 7.2, 5.6, "Tunnel 1 endpoint<br>outside IP 203.0.113.10", AWS, symbol="diamond")
    node(fig, 7.2, 3.0, "Tunnel 2 endpoint<br>outside IP 203.0.113.20", AWS, symbol="diamond")
    node(fig, 9.1, 4.3, "Virtual private<br>gateway", TUNNEL)
    link(fig, 7.2, 5.6, 9.1, 4.3, "", AWS, width=2)
    link(fig, 7.2, 3.0, 9.1, 4.3, "", AWS, width=2)
    text(fig, 8.1, 1.5, "Customer gateway = 20.0.0.10 (Azure's public IP)<br>"
                        "VPN connection: static route 10.1.0.0/16<br>route table: propagation on", color=AWS, size=12)
    link(fig, 1.0, 6.0, 2.6, 4.3, "", NEUTRAL, width=2)
    link(fig, 2.6, 4.3, 7.2, 5.6, "Tunnel 1: UP", TRUSTED, width=6)
    link(fig, 2.6, 4.3, 7.2, 3.0, "Tunnel 2: DOWN (no local network gateway for it)", UNTRUSTED, dash="dash",
         width=3, label_dy=-0.45)
    return fig


def aws_azure_bgp() -> go.Figure:
    """The BGP variant: active-active Azure gateway, 2 customer gateways x 2 tunnels, APIPA inside addresses."""
    lo, hi = value("azure_apipa_range")
    asn = value("amazon_side_asn_default")
    fig = canvas(f"Hands-on (BGP): active-active Azure gateway, four tunnels, inside /30s in {lo}-{hi}",
                 height=560, y_max=9)
    box(fig, 0.2, 0.4, 3.6, 8.6, "Azure: active-active VPN gateway, ASN 65010", AZURE)
    node(fig, 2.4, 6.4, "instance 1<br>public IP 1", AZURE)
    node(fig, 2.4, 2.6, "instance 2<br>public IP 2", AZURE)
    text(fig, 1.2, 4.5, "4 local network gateways<br>(one per AWS tunnel:<br>outside IP + BGP peer IP)<br>"
                        "4 connections, BGP on", color=AZURE, size=12)
    box(fig, 6.4, 0.4, 9.8, 8.6, f"AWS: virtual private gateway, ASN {asn}", AWS)
    rows = [(7.3, "169.254.21.0/30", "connection A<br>(CGW = IP 1)"), (5.6, "169.254.21.4/30", ""),
            (3.4, "169.254.22.0/30", "connection B<br>(CGW = IP 2)"), (1.7, "169.254.22.4/30", "")]
    for i, (y, cidr, conn) in enumerate(rows):
        base = cidr.rsplit(".", 1)[0]
        last = int(cidr.rsplit(".", 1)[1].split("/")[0])
        label = f"tunnel {i % 2 + 1}: {cidr}<br>AWS {base}.{last + 1}, Azure {base}.{last + 2}"
        node(fig, 7.4, y, label, AWS, symbol="diamond", size=16, text_pos="middle right")
        src = 6.4 if i < 2 else 2.6
        link(fig, 2.4, src, 7.4, y, "", TUNNEL if i % 2 == 0 else TRUSTED, width=4)
        if conn:
            text(fig, 6.95, y - 0.85, conn, color=AWS, size=12)
    text(fig, 5.0, 0.15, "ASNs must differ · AWS startup action Start · Azure address space blank (BGP learns it)",
         color=NEUTRAL, size=12)
    return fig


def reachability_path() -> go.Figure:
    """What Reachability Analyzer models from an instance to a virtual private gateway, and what it cannot see."""
    fig = canvas("Reachability Analyzer: the modelled path from an instance to the virtual private gateway (port 22)",
                 height=380, y_max=6)
    hops = [
        (0.8, "EC2 instance<br>i-06afea8b..."), (2.2, "Security group<br>(outbound 22?)"),
        (3.6, "Network ACL<br>(subnet rules)"), (5.0, "Route table<br>(route to vgw?)"),
        (6.4, "Virtual private<br>gateway"),
    ]
    for i, (x, label) in enumerate(hops):
        node(fig, x, 3.6, label, TRUSTED if i < len(hops) - 1 else TUNNEL)
        if i:
            link(fig, hops[i - 1][0], 3.6, x, 3.6, "", TRUSTED, width=4)
    box(fig, 0.2, 1.9, 7.0, 5.4, "Modelled by Reachability Analyzer (configuration only, no packets)", TRUSTED,
        fill=0.04)
    node(fig, 8.0, 3.6, "VPN tunnels<br>(IKE, IPsec, BGP)", WARN, symbol="diamond")
    node(fig, 9.3, 3.6, "On-premises<br>network", NEUTRAL, symbol="circle")
    link(fig, 6.4, 3.6, 8.0, 3.6, "", WARN, dash="dash", width=3)
    link(fig, 8.0, 3.6, 9.3, 3.6, "", NEUTRAL, dash="dash", width=3)
    box(fig, 7.3, 1.9, 9.8, 5.4, "Not seen: live state", WARN, dash="dash", fill=0.03)
    text(fig, 5.0, 1.0, "Blocked? The analysis names the component and an explanation code, "
                        "e.g. NO_ROUTE_TO_DESTINATION at the route table.", color=UNTRUSTED, size=13)
    return fig
