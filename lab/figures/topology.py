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
    finish,
    link,
    node,
    text,
)


def hq_branch_vs_remote_worker() -> go.Figure:
    """Network-to-network IPsec (device at each end) above host-to-network SSL/TLS (client on a laptop)."""
    fig = canvas("HQ to branch: IPsec between two network devices.<br>HQ to a remote worker: an SSL/TLS client.",
                 height=480, y_max=8)
    box(fig, 0.2, 4.3, 2.9, 7.6, "Branch office (trusted)", TRUSTED)
    box(fig, 3.2, 0.3, 6.8, 7.6, "Internet (untrusted)", UNTRUSTED, dash="dot", fill=0.03)
    box(fig, 7.1, 0.3, 9.8, 7.6, "Head office (trusted)", TRUSTED)
    # network-to-network
    node(fig, 0.9, 5.8, "Branch PCs", NEUTRAL)
    node(fig, 2.3, 5.8, "IPsec<br>gateway", TUNNEL)
    node(fig, 7.7, 5.8, "IPsec<br>gateway", TUNNEL)
    node(fig, 9.1, 4.1, "Servers", NEUTRAL)
    link(fig, 0.9, 5.8, 2.3, 5.8, "", NEUTRAL, width=2)
    link(fig, 2.3, 5.8, 7.7, 5.8, "IPsec tunnel<br>(network-to-network)", TUNNEL, width=6, label_dy=-0.55)
    link(fig, 7.7, 5.8, 9.1, 4.1, "", NEUTRAL, width=2)
    text(fig, 5.0, 6.75, "Both ends need an<br>IPsec-capable network device", color=TUNNEL, size=11)
    # host-to-network
    box(fig, 0.2, 0.3, 2.9, 3.7, "Home (no VPN device)", NEUTRAL, dash="dash", fill=0.03)
    node(fig, 1.4, 1.9, "Laptop with<br>VPN client", NEUTRAL, symbol="diamond")
    node(fig, 7.7, 1.9, "SSL/TLS VPN<br>gateway", WARN)
    link(fig, 1.4, 1.9, 7.7, 1.9, "SSL/TLS tunnel<br>(host-to-network)", WARN, width=5, label_dy=0.55)
    link(fig, 7.7, 1.9, 9.1, 4.1, "", NEUTRAL, width=2)
    text(fig, 5.0, 0.95, "Only a client on the laptop;<br>typical for working from home", color=WARN, size=11)
    text(fig, 5.0, 3.9, "In AWS: Site-to-Site VPN (IPsec) above,<br>Client VPN (OpenVPN, TLS) below", color=AWS,
         size=11, bg=True)
    return finish(fig)


def hybrid_cloud() -> go.Figure:
    """On-premises data centre + VPN over the internet + a VPC, with a dedicated line as the alternative."""
    fig = canvas("Hybrid cloud: the data centre (IDC) and the cloud, joined privately", height=440, y_max=7)
    box(fig, 0.2, 0.4, 3.2, 6.6, "Data centre (IDC)", TRUSTED)
    node(fig, 1.0, 4.9, "Member DB", NEUTRAL, symbol="circle")
    node(fig, 2.3, 4.9, "Payment /<br>legacy system", NEUTRAL)
    node(fig, 1.6, 2.6, "Customer<br>gateway", TUNNEL)
    box(fig, 6.8, 0.4, 9.8, 6.6, "AWS Region: VPC", AWS)
    node(fig, 8.3, 2.6, "Virtual private<br>gateway", TUNNEL)
    for i, x in enumerate((7.4, 8.0, 8.6, 9.2)):
        node(fig, x, 4.9, "web" if i < 2 else "web+", NEUTRAL if i < 2 else WARN, size=18)
    text(fig, 8.3, 4.0, "grey: always on<br>amber (web+): added for a peak", color=WARN, size=11)
    link(fig, 1.6, 2.6, 8.3, 2.6, "Site-to-Site VPN over the internet<br>(IPsec, encrypted)", TUNNEL, width=6,
         label_dy=0.5)
    link(fig, 1.6, 1.0, 8.3, 1.0, "or: leased line / AWS Direct Connect<br>(dedicated; often with a VPN as backup)",
         NEUTRAL, dash="dash", width=3, label_dy=-0.45)
    text(fig, 5.0, 5.5, "Workloads stay separate;<br>data management is<br>shared over the link", size=12)
    return finish(fig)


def aws_vpn_anatomy() -> go.Figure:
    """Customer gateway, VPN connection with two tunnels in two AZs, virtual private gateway, VPC route table."""
    fig = canvas("The parts of an AWS Site-to-Site VPN connection", height=520, y_max=8)
    box(fig, 0.2, 0.4, 3.0, 7.6, "Your network (on-premises)", TRUSTED)
    node(fig, 1.0, 5.8, "LAN<br>192.168.0.0/16", NEUTRAL, symbol="circle")
    node(fig, 2.2, 4.0, "Your VPN device<br>198.51.100.10", TUNNEL)
    text(fig, 1.6, 1.6, "AWS 'customer gateway'<br>= a record of this device:<br>public IP, BGP ASN<br>"
                        "or certificate", color=AWS, size=11)
    box(fig, 3.4, 0.4, 6.6, 7.6, f"VPN connection:<br>{value('tunnels_per_connection')} tunnels", TUNNEL,
        dash="dot", fill=0.03)
    box(fig, 7.0, 0.4, 9.8, 7.6, "AWS: VPC<br>10.0.0.0/16", AWS)
    node(fig, 7.7, 5.5, "tunnel 1<br>outside IP<br>(AZ a)", AWS, symbol="diamond")
    node(fig, 7.7, 2.5, "tunnel 2<br>outside IP<br>(AZ b)", AWS, symbol="diamond")
    node(fig, 9.1, 4.0, "Virtual<br>private<br>gateway", TUNNEL)
    link(fig, 2.2, 4.0, 7.7, 5.5, "tunnel 1 (IPsec)<br>inside 169.254.10.0/30", TUNNEL, width=5, label_dy=0.6)
    link(fig, 2.2, 4.0, 7.7, 2.5, "tunnel 2 (IPsec)<br>inside 169.254.11.0/30", TUNNEL, width=5, label_dy=-0.6)
    link(fig, 7.7, 5.5, 9.1, 4.0, "", AWS, width=2)
    link(fig, 7.7, 2.5, 9.1, 4.0, "", AWS, width=2)
    link(fig, 1.0, 5.8, 2.2, 4.0, "", NEUTRAL, width=2)
    text(fig, 8.4, 1.1, "route table:<br>192.168.0.0/16 → vgw", size=11)
    text(fig, 5.0, 6.4, "each tunnel: own<br>pre-shared key and options<br>(IKE, DPD, startup action)",
         color=TUNNEL, size=11)
    text(fig, 5.0, 1.2, "Two tunnels protect against<br>an AWS endpoint failing,<br>"
                        "not against your one device", color=UNTRUSTED, size=11)
    return finish(fig)


def aws_azure_static() -> go.Figure:
    """The article's lab with static routing: which address goes into which resource on each side."""
    fig = canvas("Hands-on (static routing): Azure plays the on-premises site", height=540, y_max=8)
    box(fig, 0.2, 0.4, 3.6, 7.6, "Azure resource group", AZURE)
    node(fig, 1.0, 6.2, "Virtual network<br>10.1.0.0/16", NEUTRAL, symbol="circle")
    node(fig, 2.7, 4.3, "VPN gateway<br>20.0.0.10", AZURE)
    node(fig, 1.9, 2.6, "Local network gateway<br>IP = tunnel 1 outside IP<br>space = 10.0.0.0/16",
         WARN, symbol="diamond")
    text(fig, 1.9, 0.85, "Connection (IPsec),<br>key = tunnel 1 PSK", color=AZURE, size=11)
    box(fig, 6.4, 0.4, 9.8, 7.6, "AWS: VPC 10.0.0.0/16", AWS)
    node(fig, 7.2, 5.8, "tunnel 1<br>203.0.113.10", AWS, symbol="diamond")
    node(fig, 7.2, 3.2, "tunnel 2<br>203.0.113.20", AWS, symbol="diamond")
    node(fig, 9.1, 4.5, "Virtual<br>private<br>gateway", TUNNEL)
    link(fig, 7.2, 5.8, 9.1, 4.5, "", AWS, width=2)
    link(fig, 7.2, 3.2, 9.1, 4.5, "", AWS, width=2)
    text(fig, 8.1, 1.4, "customer gateway =<br>20.0.0.10 (Azure)<br>static route 10.1.0.0/16<br>"
                        "route propagation on", color=AWS, size=11)
    link(fig, 1.0, 6.2, 2.7, 4.3, "", NEUTRAL, width=2)
    link(fig, 2.7, 4.3, 7.2, 5.8, "Tunnel 1: UP", TRUSTED, width=6, label_dy=0.4)
    link(fig, 2.7, 4.3, 7.2, 3.2, "Tunnel 2: DOWN<br>(no local network<br>gateway for it)", UNTRUSTED, dash="dash",
         width=3, label_dy=-0.75)
    return finish(fig)


def aws_azure_bgp() -> go.Figure:
    """The BGP variant: active-active Azure gateway, 2 customer gateways x 2 tunnels, APIPA inside addresses."""
    lo, hi = value("azure_apipa_range")
    asn = value("amazon_side_asn_default")
    fig = canvas(f"Hands-on (BGP): active-active Azure gateway, four tunnels,<br>inside /30s in {lo} to {hi}",
                 height=580, y_max=9.4)
    box(fig, 0.2, 0.9, 3.4, 9.2, "Azure<br>active-active, ASN 65010", AZURE)
    node(fig, 2.4, 6.6, "instance 1<br>public IP 1", AZURE)
    node(fig, 2.4, 3.0, "instance 2<br>public IP 2", AZURE)
    text(fig, 1.2, 4.8, "4 local network<br>gateways (outside IP<br>+ BGP peer IP),<br>4 connections", color=AZURE,
         size=11)
    box(fig, 5.6, 0.9, 9.8, 9.2, f"AWS<br>virtual private gateway, ASN {asn}", AWS)
    rows = [(7.6, "169.254.21.0/30", "A"), (6.0, "169.254.21.4/30", "A"), (3.8, "169.254.22.0/30", "B"),
            (2.2, "169.254.22.4/30", "B")]
    for i, (y, cidr, conn) in enumerate(rows):
        last = int(cidr.rsplit(".", 1)[1].split("/")[0])
        label = f"{conn}, tunnel {i % 2 + 1}: {cidr}<br>AWS .{last + 1}, Azure .{last + 2}"
        node(fig, 6.0, y, label, AWS, symbol="diamond", size=14, text_pos="middle right")
        src = 6.6 if i < 2 else 3.0
        link(fig, 2.4, src, 6.0, y, "", TUNNEL if i % 2 == 0 else TRUSTED, width=4)
    text(fig, 7.7, 1.35, "connection A: customer gateway = IP 1<br>connection B: customer gateway = IP 2",
         color=AWS, size=11)
    text(fig, 5.0, 0.35, "ASNs must differ · AWS startup action Start<br>Azure address space blank (BGP learns it)",
         color=NEUTRAL, size=11)
    return finish(fig)


def reachability_path() -> go.Figure:
    """What Reachability Analyzer models from an instance to a virtual private gateway, and what it cannot see."""
    fig = canvas("Reachability Analyzer: the modelled path<br>from an instance to the virtual private gateway, port 22",
                 height=420, y_max=6.4)
    hops = [
        (0.8, "EC2<br>instance"), (2.2, "Security<br>group"), (3.6, "Network<br>ACL"), (5.0, "Route<br>table"),
        (6.4, "Virtual<br>private<br>gateway"),
    ]
    for i, (x, label) in enumerate(hops):
        node(fig, x, 3.8, label, TRUSTED if i < len(hops) - 1 else TUNNEL)
        if i:
            link(fig, hops[i - 1][0], 3.8, x, 3.8, "", TRUSTED, width=4)
    box(fig, 0.2, 1.9, 7.0, 5.9, "Modelled: configuration only, no packets", TRUSTED, fill=0.04)
    node(fig, 8.0, 3.8, "VPN<br>tunnels", WARN, symbol="diamond")
    node(fig, 9.3, 3.8, "On-<br>premises", NEUTRAL, symbol="circle")
    link(fig, 6.4, 3.8, 8.0, 3.8, "", WARN, dash="dash", width=3)
    link(fig, 8.0, 3.8, 9.3, 3.8, "", NEUTRAL, dash="dash", width=3)
    box(fig, 7.3, 1.9, 9.8, 5.9, "Not seen:<br>IKE, IPsec, BGP", WARN, dash="dash", fill=0.03)
    text(fig, 5.0, 1.0, "Blocked? The analysis names the component and an explanation code,<br>"
                        "e.g. NO_ROUTE_TO_DESTINATION at the route table.", color=UNTRUSTED, size=11)
    return finish(fig)
