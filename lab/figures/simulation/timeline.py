"""The per-tunnel timeline figure, its event tags, and which element a failure names."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.figures.simulation.states import DOWN, TO_AWS, TO_ONPREM, TUNNEL_COLOURS, UP, _r
from lab.i18n import M, using
from lab.sim.failures import failure_kind
from lab.sim.result import SimResult

MAX_POINTS = 1800
TAG_GAP = 0.05  # failure tags closer than this share of the run go on separate rows (a phone is narrow)
TAG_ROW = 18  # px per row of failure tags
# A band at the top of the timeline kept for plotly's toolbar, which a touch screen always shows: the failure
# tags start below it, so the toolbar never covers them.
MODEBAR_BAND = 34
TAGS_BAND = 40  # above the first panel with failures: its title and the first row of tags
TITLE_BAND = 30  # above the first panel without failures: its title alone


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _bucket(values: list, k: int, how: Callable[[list], float]) -> list:
    return list(values) if k == 1 else [how(values[i:i + k]) for i in range(0, len(values), k)]


def timeline_figure(result: SimResult, lang: str | None = None) -> go.Figure:
    """Per tunnel: TunnelState lanes with events, bytes in/out, and delivered traffic per direction (labels the
    lab writes itself in `lang`, default the current language)."""
    with using(lang):
        return _timeline_figure(result)


def _timeline_figure(result: SimResult) -> go.Figure:
    tr, spec = result.trace, result.scenario
    T = result.duration_s
    rows = spec.tunnel_rows()
    # Long runs are drawn in buckets (a DOWN second keeps its bucket DOWN) so the browser stays fast.
    k = max(1, -(-T // MAX_POINTS))
    ts = list(range(0, T, k))
    state = [_bucket(x, k, min) for x in tr.state]
    data_in = [_bucket(x, k, _mean) for x in tr.data_in]
    data_out = [_bucket(x, k, _mean) for x in tr.data_out]
    frac_on, frac_aws = _bucket(tr.frac_onprem, k, min), _bucket(tr.frac_aws, k, min)
    off_on, off_aws = _bucket(tr.offered_onprem, k, max), _bucket(tr.offered_aws, k, max)
    # Short panel titles, left-aligned, so they fit a phone.
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.08, row_heights=[0.42, 0.33, 0.25],
                        subplot_titles=("Tunnel state and events",
                                        "TunnelDataIn (solid) / TunnelDataOut (dotted), bytes/s",
                                        "Traffic delivered, % (shaded: lost)"))
    for note in fig.layout.annotations:
        note.update(x=0, xanchor="left", font={"size": 13, "color": "#31333f"}, bgcolor="white")
    lanes = {tid: len(rows) - 1 - i for i, (tid, *_rest) in enumerate(rows)}
    for label, want, colour in (("UP", 1, UP), ("DOWN", 0, DOWN)):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for i, (tid, *_rest) in enumerate(rows):
            st = state[i]
            for n, t in enumerate(ts):
                if st[n] == want:
                    xs.append(t)
                    ys.append(lanes[tid])
                else:
                    if xs and xs[-1] is not None:
                        xs.append(None)
                        ys.append(None)
            xs.append(None)
            ys.append(None)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=f"TunnelState {want} ({label})",
                                 line={"color": colour, "width": 12}, legendgroup="state",
                                 hovertemplate=_r(M("t=%{{x}} s: {state}", state=label)) + "<extra></extra>"), row=1, col=1)
    start = result.snapshot.start
    shown = ("dpd-timeout", "bgp-down", "bgp-up", "ike-sa-deleted", "endpoint-replacement", "auth-failure",
             "proposal-mismatch", "ike-negotiation", "traffic-shift", "health-notice")
    ex: list[int] = []
    ey: list[float] = []
    et: list[str] = []
    for ev in result.snapshot.events:
        if ev.kind not in shown or start is None:
            continue
        tid = ev.target if ev.target in lanes else next((r[0] for r in rows if r[2].outside_ip == ev.tunnel_ip), None)
        t = int((ev.time - start).total_seconds())
        ex.append(t)
        ey.append(lanes[tid] + 0.32 if tid else len(rows) - 0.4)
        et.append(_r(M("t={t} s {kind}: {detail}", t=t, kind=ev.kind, detail=ev.detail)))
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="markers", name="events (hover for detail)", hovertext=et,
                             hoverinfo="text", marker={"symbol": "triangle-down", "size": 10, "color": "#263238"}),
                  row=1, col=1)
    for i, (tid, *_rest) in enumerate(rows):
        colour = TUNNEL_COLOURS[i % len(TUNNEL_COLOURS)]
        fig.add_trace(go.Scatter(x=ts, y=data_in[i], mode="lines", name=_r(M("{tunnel} in", tunnel=tid)), legendgroup=tid,
                                 line={"color": colour, "width": 1.5}), row=2, col=1)
        fig.add_trace(go.Scatter(x=ts, y=data_out[i], mode="lines", name=_r(M("{tunnel} out", tunnel=tid)), legendgroup=tid,
                                 line={"color": colour, "width": 1.5, "dash": "dot"}), row=2, col=1)
    for label, frac, off, colour in ((M("delivered VPC → on-premises"), frac_on, off_on, TO_ONPREM),
                                     (M("delivered on-premises → VPC"), frac_aws, off_aws, TO_AWS)):
        ys2 = [100 * f if o > 0 else None for f, o in zip(frac, off, strict=True)]
        fig.add_trace(go.Scatter(x=ts, y=ys2, mode="lines", name=_r(label), line={"color": colour,
                                 "width": 2}, line_shape="hv"), row=3, col=1)
    # Shade the seconds in which traffic was lost in either direction; mark each failure. Shapes
    # are added in one layout update: plotly's add_vline/add_vrect are slow per call.
    shapes: list[dict] = []
    notes = list(fig.layout.annotations)
    lost = [(o1 > 0 and f1 < 1) or (o2 > 0 and f2 < 1) for o1, f1, o2, f2 in
            zip(tr.offered_onprem, tr.frac_onprem, tr.offered_aws, tr.frac_aws, strict=True)]
    t0 = None
    for t, bad in enumerate([*lost, False]):
        if bad and t0 is None:
            t0 = t
        elif not bad and t0 is not None:
            shapes.append({"type": "rect", "xref": "x3", "yref": "y3 domain", "x0": t0, "x1": t, "y0": 0, "y1": 1,
                           "fillcolor": DOWN, "opacity": 0.10, "line": {"width": 0}, "layer": "below"})
            t0 = None
    # Each failure is a numbered tag above the chart (the page lists the numbers beside the chart, and the
    # tag's hover says it all): a long script of names would overlap. Tags too close to fit side by side
    # go up a row.
    rows_used = 0
    last_x: list[float] = []
    for n, f in enumerate(result.failures, 1):
        level = next((lv for lv, x in enumerate(last_x) if f.at_s - x >= T * TAG_GAP), len(last_x))
        if level == len(last_x):
            last_x.append(f.at_s)
        last_x[level] = f.at_s
        rows_used = max(rows_used, level + 1)
        shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": f.at_s, "x1": f.at_s, "y0": 0, "y1": 1,
                       "line": {"color": DOWN, "dash": "dash", "width": 1}})
        instant = failure_kind(f.kind).instant
        if instant:
            hover = M("{n}: {kind} {target}, at {at} s", n=n, kind=f.kind, target=f.target, at=f.at_s)
        else:
            until = M("until {seconds} s", seconds=f.end_s) if f.end_s is not None else M("until the end")
            hover = M("{n}: {kind} {target}, {at} s {until}", n=n, kind=f.kind, target=f.target, at=f.at_s,
                      until=until)
        notes.append({"x": f.at_s, "y": 1.0, "xref": "x", "yref": "paper", "yanchor": "bottom", "text": str(n),
                      "hovertext": _r(hover), "showarrow": False,
                      "xanchor": "center", "font": {"color": DOWN, "size": 11}, "yshift": 22 + TAG_ROW * level,
                      "bgcolor": "white", "bordercolor": DOWN, "borderwidth": 1, "borderpad": 1})
        if f.end_s is not None and f.end_s < T and not instant:
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": f.end_s, "x1": f.end_s, "y0": 0,
                           "y1": 1, "line": {"color": UP, "dash": "dash", "width": 1}})
    fig.update_layout(shapes=shapes, annotations=notes)
    fig.update_yaxes(tickvals=list(lanes.values()), tickfont={"size": 11},
                     ticktext=[f"{tid}<br>{g.key} · {t.az}" for tid, _c, t, g in rows],
                     range=[-0.6, len(rows) - 0.2], row=1, col=1)
    fig.update_yaxes(title_text="bytes/s", row=2, col=1)
    fig.update_yaxes(range=[-5, 105], title_text="%", row=3, col=1)
    fig.update_xaxes(title_text="seconds since the start of the run", row=3, col=1)
    # Above the panels, top down: the toolbar's band, the rows of failure tags, the first panel's title. The paper
    # is transparent: on a screen with a mouse the page draws the chart over the space above it by the toolbar's
    # band (lab/ui/style.py), where the toolbar shows only on hover.
    top = MODEBAR_BAND + TAG_ROW * rows_used + (TAGS_BAND if rows_used else TITLE_BAND)
    fig.update_layout(height=720 + top - TAGS_BAND, margin={"l": 10, "r": 10, "t": top, "b": 10},
                      paper_bgcolor="rgba(0,0,0,0)",
                      hovermode="closest",
                      legend={"orientation": "h", "y": -0.12}, plot_bgcolor="white")
    fig.update_xaxes(showgrid=True, gridcolor="#eceff1")
    return fig


def element_failure(element_id: str) -> tuple[str, str] | None:
    """The failure a selection on the diagram injects: (kind, target), or None for AWS-managed parts."""
    if element_id.startswith("cgw-"):
        return "cgw-down", element_id
    if element_id.startswith("endpoint:"):
        return "endpoint-replacement", element_id.split(":", 1)[1]
    if element_id.startswith("tunnel-"):
        return "ike-delete", element_id
    if element_id == "onprem":
        return "idle", "all"
    return None
