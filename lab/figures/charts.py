"""Chart figures with real axes: elastic capacity, TunnelState illustrations, the route-selection ladder,
overlapping CIDR ranges.

The series are illustrations (labelled as such), not measurements; the rules they illustrate come from
lab/data/facts.yaml.
"""

from __future__ import annotations

import ipaddress

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.figures._draw import AWS, FONT, NEUTRAL, TITLE_SIZE, TRUSTED, TUNNEL, UNTRUSTED, WARN, title_margin


def _chart(title: str, height: int = 380) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": TITLE_SIZE}},
        height=height,
        margin={"l": 60, "r": 20, "t": title_margin(title), "b": 60},
        font=FONT,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.22, "x": 0},
    )
    fig.update_xaxes(showgrid=True, gridcolor="#e5e8ec", zeroline=False)
    fig.update_yaxes(showgrid=True, gridcolor="#e5e8ec", zeroline=False)
    return fig


def elastic_capacity() -> go.Figure:
    """A ticket sale: demand spikes for a few hours; data-centre capacity is fixed, cloud capacity follows."""
    hours = list(range(0, 25))
    demand = [20, 18, 16, 15, 15, 18, 25, 35, 45, 60, 150, 170, 160, 120, 70, 55, 50, 48, 52, 55, 50, 40, 30, 25, 20]
    idc = [60] * len(hours)
    cloud = [max(0, d - 60 + 10) if d > 55 else 0 for d in demand]
    fig = _chart("Elasticity (illustration): a ticket sale at 10:00<br>needs about three times the usual servers",
                 height=420)
    fig.add_trace(go.Scatter(x=hours, y=demand, name="demand (servers needed)", line={"color": UNTRUSTED, "width": 3}))
    fig.add_trace(go.Scatter(x=hours, y=idc, name="data-centre capacity (fixed)", line={"color": TRUSTED, "width": 3,
                                                                                       "dash": "dash"}))
    fig.add_trace(go.Bar(x=hours, y=cloud, name="cloud instances added for the peak", marker={"color": AWS},
                         opacity=0.55))
    fig.add_annotation(x=11, y=172, text="peak: ~120 extra instances,<br>pre-warmed before 10:00",
                       showarrow=True, arrowhead=2, ax=-150, ay=0, font={"color": AWS})
    fig.update_xaxes(title="hour of the day", dtick=2)
    fig.update_yaxes(title="servers", range=[0, 200])
    return fig


def route_selection_ladder() -> go.Figure:
    """How AWS picks a route: VPC route table rules first, then the virtual private gateway's preference."""
    steps = [
        ("1. The VPC local route always wins", "even over a more specific propagated route", TUNNEL),
        ("2. Longest prefix match", "a /24 beats a /16 for an address in both", TUNNEL),
        ("3. Static entries beat propagated ones", "identical prefixes in the VPC route table", TUNNEL),
        ("4. Direct Connect BGP routes", "at the virtual private gateway, same prefix", AWS),
        ("5. Static routes of a Site-to-Site VPN", "manually added on the VPN connection", AWS),
        ("6. BGP routes of a Site-to-Site VPN", "learned from your device", AWS),
        ("7. Shortest AS_PATH", "among BGP VPN routes", AWS),
        ("8. Lowest MED", "same AS_PATH length and same first AS; AWS also steers maintenance with MED", AWS),
    ]
    fig = go.Figure()
    n = len(steps)
    for i, (name, detail, color) in enumerate(steps):
        y = n - i
        fig.add_trace(go.Bar(x=[10 - i * 0.5], y=[y], orientation="h", marker={"color": color}, opacity=0.22,
                             hoverinfo="text", hovertext=[f"{name}: {detail}"], showlegend=False))
        fig.add_annotation(x=0.1, y=y, text=f"<b>{name}</b><br>{detail}", showarrow=False, xanchor="left", align="left",
                           font={"size": 12})
    fig.add_annotation(x=0.1, y=n + 0.8, text="blue: VPC route table rules · orange: virtual private gateway "
                                              "preference", showarrow=False, xanchor="left",
                       font={"size": 11, "color": NEUTRAL})
    title = "Route selection: the first rule that decides wins"
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": TITLE_SIZE}},
        height=600, margin={"l": 10, "r": 10, "t": title_margin(title), "b": 10}, font=FONT, plot_bgcolor="white",
        bargap=0.12,
        xaxis={"visible": False, "range": [0, 10]}, yaxis={"visible": False, "range": [0.4, n + 1.1]},
    )
    return fig


def cidr_overlap() -> go.Figure:
    """Address ranges on a number line: a VPC, an overlapping on-premises range and a non-overlapping one."""
    ranges = [
        ("VPC<br>10.0.0.0/16", "10.0.0.0/16", AWS),
        ("branch<br>10.0.128.0/20", "10.0.128.0/20", UNTRUSTED),
        ("branch<br>10.1.0.0/16", "10.1.0.0/16", TRUSTED),
    ]
    fig = _chart("Address plans: an overlapping range stays inside the VPC<br>(the local route wins)", height=380)
    base = int(ipaddress.ip_network("10.0.0.0/16").network_address)
    for label, cidr, color in ranges:
        net = ipaddress.ip_network(cidr)
        start = (int(net.network_address) - base) / 256
        width = net.num_addresses / 256
        fig.add_trace(go.Bar(x=[width], y=[label], base=[start], orientation="h", marker={"color": color},
                             opacity=0.55, name=label, text=[cidr], textposition="none",
                             hovertext=[f"{cidr}: {net.num_addresses} addresses"], hoverinfo="text",
                             showlegend=False))
    fig.update_xaxes(title="IPv4 addresses from 10.0.0.0 to 10.2.0.0",
                     tickvals=[0, 128, 256, 384, 512], ticktext=["10.0.0.0", "10.0.128.0", "10.1.0.0", "10.1.128.0",
                                                                 "10.2.0.0"])
    fig.update_yaxes(autorange="reversed")
    fig.add_annotation(x=144, y=1, text="overlaps the VPC: traffic to<br>10.0.130.5 never enters the tunnel",
                       showarrow=True, arrowhead=2, ax=40, ay=0, xanchor="left", font={"color": UNTRUSTED, "size": 11})
    fig.add_annotation(x=384, y=2, text="no overlap: reachable through the VPN", showarrow=False,
                       font={"color": TRUSTED, "size": 11})
    return fig


def _steps(fig: go.Figure, x: list[float], y: list[float], name: str, color: str, row: int, dash: str = "solid",
           width: int = 3) -> None:
    fig.add_trace(go.Scatter(x=x, y=y, name=name, mode="lines", line={"shape": "hv", "color": color, "width": width,
                                                                      "dash": dash}), row=row, col=1)


def tunnelstate_static_vs_bgp() -> go.Figure:
    """IPsec and BGP states of one tunnel, and the TunnelState a static and a BGP connection would report."""
    t = [0, 15, 30, 40, 60]
    ipsec = [1, 1, 0, 1, 1]
    bgp = [1, 0, 0, 1, 1]
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.09,
                        subplot_titles=("IPsec (phase 2 SA): 1 = established, 0 = down",
                                        "BGP session: 1 = ESTABLISHED, 0 = any other state",
                                        "CloudWatch TunnelState for the same tunnel"))
    _steps(fig, t, ipsec, "IPsec established", TUNNEL, 1)
    _steps(fig, t, bgp, "BGP established", WARN, 2)
    _steps(fig, t, ipsec, "TunnelState if the VPN is static (= IPsec UP)", TRUSTED, 3, width=4)
    _steps(fig, t, bgp, "TunnelState if the VPN uses BGP (= BGP ESTABLISHED)", UNTRUSTED, 3, dash="dash", width=3)
    for row in (1, 2, 3):
        fig.update_yaxes(range=[-0.2, 1.3], tickvals=[0, 1], row=row, col=1)
    fig.add_annotation(x=22.5, y=0.5, xref="x2", yref="y2", showarrow=False,
                       text="BGP down (hold timer expired)<br>while IPsec is still up", font={"color": WARN, "size": 11})
    fig.add_annotation(x=22.5, y=0.5, xref="x3", yref="y3", showarrow=False,
                       text="static: 1 (UP)<br>BGP: 0", font={"color": UNTRUSTED, "size": 11},
                       bgcolor="rgba(255,255,255,0.9)")
    fig.add_annotation(x=35, y=0.5, xref="x3", yref="y3", showarrow=False, text="both 0",
                       font={"color": NEUTRAL, "size": 11})
    fig.update_xaxes(title="minutes (illustration)", row=3, col=1)
    fig.update_layout(title={"text": "TunnelState: a BGP tunnel is 'up' only when BGP is established", "x": 0.01,
                             "font": {"size": TITLE_SIZE}},
                      height=600, font=FONT, plot_bgcolor="white", margin={"l": 40, "r": 20, "t": 90, "b": 80},
                      legend={"orientation": "h", "y": -0.16, "x": 0})
    return fig


def tunnelstate_aggregates() -> go.Figure:
    """Two tunnels per minute, and what Minimum, Maximum and Average report per 5-minute period."""
    minutes = list(range(60))
    t1 = [1] * 60
    t2 = [0 if 22 <= m < 43 else 1 for m in minutes]
    periods = list(range(0, 60, 5))
    per_t2_max = [max(t2[p:p + 5]) for p in periods]
    per_t2_min = [min(t2[p:p + 5]) for p in periods]
    conn_avg = [sum(t1[p:p + 5] + t2[p:p + 5]) / 10 for p in periods]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14,
                        subplot_titles=("Per minute: tunnel 1 UP (1) all hour,<br>tunnel 2 DOWN (0) from minute 22 "
                                        "to 43",
                                        "Per 5-minute period: what the statistics report"))
    _steps(fig, minutes + [60], t1 + [1], "tunnel 1 TunnelState", TRUSTED, 1, width=4)
    _steps(fig, minutes + [60], t2 + [1], "tunnel 2 TunnelState", UNTRUSTED, 1, dash="dash")
    x_mid = [p + 2.5 for p in periods]
    fig.add_trace(go.Scatter(x=x_mid, y=per_t2_max, mode="lines+markers", name="tunnel 2, Maximum: "
                             "0 only if down the WHOLE period", line={"color": TUNNEL, "width": 3},
                             marker={"symbol": "square", "size": 9}), row=2, col=1)
    fig.add_trace(go.Scatter(x=x_mid, y=per_t2_min, mode="lines+markers", name="tunnel 2, Minimum: "
                             "0 if down at ANY point", line={"color": WARN, "width": 3, "dash": "dot"},
                             marker={"symbol": "diamond", "size": 9}), row=2, col=1)
    fig.add_trace(go.Scatter(x=x_mid, y=conn_avg, mode="lines+markers", name="connection (VpnId), Average:<br>"
                             "between 0 and 1 = at least one tunnel not UP", line={"color": NEUTRAL, "width": 3,
                                                                                  "dash": "dash"},
                             marker={"symbol": "circle", "size": 8}), row=2, col=1)
    for row in (1, 2):
        fig.update_yaxes(range=[-0.15, 1.2], tickvals=[0, 0.5, 1], row=row, col=1)
    fig.add_annotation(x=22.5, y=0.12, xref="x2", yref="y2", text="period 20-25: Max 1, Min 0", showarrow=True,
                       arrowhead=2, ax=-90, ay=-30, font={"color": WARN})
    fig.update_xaxes(title="minutes (illustration)", row=2, col=1)
    fig.update_layout(title={"text": "Reading TunnelState: Maximum, Minimum<br>and the connection-level average",
                             "x": 0.01, "font": {"size": TITLE_SIZE}},
                      height=680, font=FONT, plot_bgcolor="white", margin={"l": 40, "r": 20, "t": 140, "b": 120},
                      legend={"orientation": "h", "y": -0.2, "x": 0})
    return fig
