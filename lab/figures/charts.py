"""Chart figures with real axes: elastic capacity, TunnelState illustrations, the route-selection ladder,
overlapping CIDR ranges.

The series are illustrations (labelled as such), not measurements; the rules they illustrate come from
lab/data/facts.yaml.
"""

from __future__ import annotations

import ipaddress

import plotly.graph_objects as go

from lab.figures._draw import AWS, FONT, NEUTRAL, TRUSTED, TUNNEL, UNTRUSTED


def _chart(title: str, height: int = 380) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 18}},
        height=height,
        margin={"l": 70, "r": 20, "t": 60, "b": 60},
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
    fig = _chart("Elasticity (illustration): a ticket sale at 10:00 needs three times the usual servers")
    fig.add_trace(go.Scatter(x=hours, y=demand, name="demand (servers needed)", line={"color": UNTRUSTED, "width": 3}))
    fig.add_trace(go.Scatter(x=hours, y=idc, name="data-centre capacity (fixed)", line={"color": TRUSTED, "width": 3,
                                                                                       "dash": "dash"}))
    fig.add_trace(go.Bar(x=hours, y=cloud, name="cloud instances added for the peak", marker={"color": AWS},
                         opacity=0.55))
    fig.add_annotation(x=11, y=172, text="peak: ~120 extra instances,<br>provisioned and pre-warmed before 10:00",
                       showarrow=True, arrowhead=2, ax=170, ay=15, font={"color": AWS})
    fig.update_xaxes(title="hour of the day", dtick=2)
    fig.update_yaxes(title="servers", range=[0, 200])
    return fig


def route_selection_ladder() -> go.Figure:
    """How AWS picks a route: VPC route table rules first, then the virtual private gateway's preference."""
    steps = [
        ("1. Longest prefix match", "a /24 beats a /16 for an address in both", TUNNEL),
        ("2. The VPC local route always wins", "even over a more specific propagated route", TUNNEL),
        ("3. Static route table entries beat propagated ones", "for identical prefixes in the VPC route table",
         TUNNEL),
        ("4. Direct Connect BGP routes", "virtual private gateway, same prefix: most preferred", AWS),
        ("5. Static routes of a Site-to-Site VPN", "manually added on the VPN connection", AWS),
        ("6. BGP routes of a Site-to-Site VPN", "learned from your device", AWS),
        ("7. Shortest AS_PATH", "among BGP VPN routes", AWS),
        ("8. Lowest MED", "same AS_PATH length and first AS; AWS also uses MED to steer maintenance", AWS),
    ]
    fig = go.Figure()
    n = len(steps)
    for i, (name, detail, color) in enumerate(steps):
        y = n - i
        fig.add_trace(go.Bar(x=[10 - i * 0.6], y=[y], orientation="h", marker={"color": color}, opacity=0.25,
                             hoverinfo="text", hovertext=[f"{name}: {detail}"], showlegend=False))
        fig.add_annotation(x=0.1, y=y, text=f"<b>{name}</b> - {detail}", showarrow=False, xanchor="left",
                           font={"size": 13})
    fig.add_annotation(x=9.9, y=n + 0.75, text="blue = VPC route table rules, orange = virtual private gateway "
                                               "preference", showarrow=False, xanchor="right",
                       font={"size": 12, "color": NEUTRAL})
    fig.update_layout(
        title={"text": "Route selection, top rule first: the first rule that decides wins", "x": 0.01,
               "font": {"size": 18}},
        height=460, margin={"l": 10, "r": 10, "t": 60, "b": 10}, font=FONT, plot_bgcolor="white", bargap=0.25,
        xaxis={"visible": False, "range": [0, 10]}, yaxis={"visible": False, "range": [0.4, n + 1.1]},
    )
    return fig


def cidr_overlap() -> go.Figure:
    """Address ranges on a number line: a VPC, an overlapping on-premises range and a non-overlapping one."""
    ranges = [
        ("VPC 10.0.0.0/16", "10.0.0.0/16", AWS),
        ("on-premises 10.0.128.0/20 (overlaps the VPC)", "10.0.128.0/20", UNTRUSTED),
        ("on-premises 10.1.0.0/16 (no overlap)", "10.1.0.0/16", TRUSTED),
    ]
    fig = _chart("Address plans: an overlapping range stays inside the VPC (the local route wins)", height=360)
    base = int(ipaddress.ip_network("10.0.0.0/16").network_address)
    for label, cidr, color in ranges:
        net = ipaddress.ip_network(cidr)
        start = (int(net.network_address) - base) / 256
        width = net.num_addresses / 256
        fig.add_trace(go.Bar(x=[width], y=[label], base=[start], orientation="h", marker={"color": color},
                             opacity=0.55, name=label, text=[cidr], textposition="inside",
                             hovertext=[f"{cidr}: {net.num_addresses} addresses"], hoverinfo="text",
                             showlegend=False))
    fig.update_xaxes(title="third octet position from 10.0.0.0 (256 addresses per step)",
                     tickvals=[0, 64, 128, 192, 256, 320, 384, 512],
                     ticktext=["10.0.0.0", "10.0.64.0", "10.0.128.0", "10.0.192.0", "10.1.0.0", "10.1.64.0",
                               "10.1.128.0", "10.2.0.0"])
    fig.update_yaxes(autorange="reversed")
    fig.add_annotation(x=136, y=1, text="traffic from the VPC to 10.0.130.5 never enters the tunnel",
                       showarrow=True, arrowhead=2, ax=160, ay=-40, font={"color": UNTRUSTED})
    fig.add_annotation(x=384, y=2, text="reachable through the VPN", showarrow=False, font={"color": TRUSTED},
                       yshift=24)
    return fig
