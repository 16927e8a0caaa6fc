"""Plotly figures of a simulation, built by pure functions: the topology (with a time slider and
play button) and the per-tunnel timeline. Every state is shown by colour AND a text label.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab.i18n import D, M, Seq, render, using
from lab.sim.failures import failure_kind
from lab.sim.result import SimResult

UP, DOWN, WARN, GREY = "#1b7f3b", "#c62828", "#d98200", "#607d8b"
TO_ONPREM, TO_AWS = "#1f5fbf", "#7b3fb3"
TUNNEL_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd")
X = {"onprem": 0.0, "cgw": 1.5, "endpoint": 4.5, "gateway": 5.9, "rtb": 7.2, "vpc": 8.5}
NOT_FAILABLE = ("gateway", "rtb", "vpc")
VSCALE_X = 1.25  # the phone diagram's horizontal stretch: the rows of tunnels and endpoints need the width
# Node labels are drawn over the lines with a halo in the background colour, so a line never hides them.
HALO = ", ".join([*(f"{x}px {y}px 0 white" for x in (-2, -1, 0, 1, 2) for y in (-2, -1, 0, 1, 2) if x or y),
                  "0 0 4px white"])
LABEL = "#263238"  # node labels in dark grey on their halo, not the theme's light grey


@dataclass(frozen=True)
class Element:
    """A selectable element of the topology: its id is what a selection on the diagram returns."""

    id: str  # onprem, cgw-a, tunnel-1, endpoint:tunnel-1, gateway, rtb, vpc
    label: str
    x: float
    y: float


def _r(message: str) -> str:
    """A label in the language the figure is being drawn in (see `lab.i18n.using`)."""
    return render(message)


def _ys(n: int, spread: float) -> list[float]:
    if n == 1:
        return [0.0]
    step = 2 * spread / (n - 1)
    return [spread - i * step for i in range(n)]


def elements(result: SimResult, vertical: bool = False) -> list[Element]:
    """The diagram's elements, left to right (on premises → AWS), or top to bottom for a phone (`vertical`)."""
    spec = result.scenario
    rows = spec.tunnel_rows()
    out = [Element("onprem", M("On-premises network {cidr}", cidr=spec.onprem.cidr), X["onprem"], 0.0)]
    for key, y in zip(spec.cgw_keys(), _ys(len(spec.customer_gateways), 1.5), strict=True):
        out.append(Element(key, D("scenario.gateway", spec.cgw(key).name), X["cgw"], y))
    tys = _ys(len(rows), 2.25 if len(rows) > 2 else 0.9)
    for (tid, _c, t, _g), y in zip(rows, tys, strict=True):
        out.append(Element(f"endpoint:{tid}", M("AWS endpoint of {tunnel} ({az})", tunnel=tid, az=t.az), X["endpoint"], y))
    if spec.gateway.type == "tgw":
        gname = M("Transit gateway {id}", id=spec.gateway.id)
    else:
        gname = M("Virtual private gateway {id}", id=spec.gateway.id)
    out.append(Element("gateway", gname, X["gateway"], 0.0))
    out.append(Element("rtb", M("Route table {id}", id=spec.vpc.route_table_id), X["rtb"], 0.0))
    out.append(Element("vpc", f"VPC {spec.vpc.cidr}", X["vpc"], 0.0))
    # A tunnel's diamond sits on its line; on a phone nearer the endpoint, where the tunnels are further apart.
    share = 0.85 if vertical else 0.5
    for (tid, _c, _t, g), y in zip(rows, tys, strict=True):
        cg = next(e for e in out if e.id == g.key)
        out.append(Element(tid, tid, cg.x + share * (X["endpoint"] - cg.x), cg.y + share * (y - cg.y)))
    if vertical:  # on premises at the top, the VPC at the bottom; the first gateway/tunnel on the left
        out = [Element(e.id, e.label, -e.y * VSCALE_X, -e.x) for e in out]
    return out


def _tunnel_state(result: SimResult, i: int, t: int) -> tuple[str, str]:
    tr = result.trace
    state, ok, cgw = tr.state[i][t], tr.ok[i][t], tr.cgw_sa[i][t]
    if i % 2 >= result.settings.cgw_tunnels:
        return M("NOT CONFIGURED on the gateway"), GREY
    if not tr.endpoint[i][t]:
        return M("ENDPOINT REPLACED"), DOWN
    if state and ok:
        return "UP", UP
    if ok and not state:
        return M("IPsec up, BGP down"), WARN
    if state or cgw:
        # One side still believes in the tunnel while nothing gets through: a black hole.
        return M("BLACK HOLE"), WARN
    return "DOWN", DOWN


def _cgw_state(result: SimResult, c: int, t: int) -> tuple[str, str]:
    status = result.trace.cgw_status[c][t]
    return {"up": ("UP", UP), "down": (M("DEVICE DOWN"), DOWN), "link-down": (M("LINK DOWN"), DOWN)}[status]


def _pct(frac: float, offered: float) -> tuple[str, str]:
    if offered == 0:
        return M("no traffic"), GREY
    if frac >= 1.0:
        return M("delivered"), TO_ONPREM
    if frac <= 0.0:
        return M("LOST"), DOWN
    return M("{percent} % lost", percent=round(100 * (1 - frac))), WARN


Trace = dict[str, object]  # a plotly scatter trace as plain data: validated once, when the figure is built


def _frame_data(result: SimResult, t: int, els: list[Element], vertical: bool = False) -> tuple[list[Trace], str]:
    spec, tr = result.scenario, result.trace
    pos = {e.id: e for e in els}
    rows = spec.tunnel_rows()
    keys = spec.cgw_keys()
    traces: list[Trace] = []

    def line(a: Element, b: Element, colour: str, dash: str, name: str, width: float = 2.0) -> Trace:
        return {"type": "scatter", "x": [a.x, b.x], "y": [a.y, b.y], "mode": "lines", "hoverinfo": "skip",
                "showlegend": False, "line": {"color": colour, "width": width, "dash": dash}, "name": name}

    for c, key in enumerate(keys):
        text, colour = _cgw_state(result, c, t)
        traces.append(line(pos["onprem"], pos[key], colour if text != "UP" else GREY, "solid", f"lan-{key}"))
    tun_text, tun_colour = [], []
    for i, (tid, _c, _t, g) in enumerate(rows):
        text, colour = _tunnel_state(result, i, t)
        tun_text.append(text)
        tun_colour.append(colour)
        dash = "solid" if text == "UP" else ("dash" if colour == WARN else "dot")
        traces.append(line(pos[g.key], pos[f"endpoint:{tid}"], colour, dash, tid, width=3))
    for i, (tid, _c, _t, _g) in enumerate(rows):
        ok = tr.endpoint[i][t] and tr.state[i][t]
        traces.append(line(pos[f"endpoint:{tid}"], pos["gateway"], GREY if ok else "#b0bec5",
                           "solid" if ok else "dot", f"attach-{tid}"))
    has_route = bool(tr.egress[t])
    traces.append(line(pos["gateway"], pos["rtb"], GREY if has_route else DOWN, "solid" if has_route else "dot", "gw-rtb"))
    traces.append(line(pos["rtb"], pos["vpc"], GREY, "solid", "rtb-vpc"))

    # Traffic paths: VPC -> on-premises through the egress tunnel(s), on-premises -> VPC through the
    # customer gateway(s) the office routers use. Offset a little so both stay visible.
    def path(points: list[list[Element]], shift: float, colour: str, name: str, dash: str) -> Trace:
        dx, dy = (shift, 0.0) if vertical else (0.0, shift)
        xs: list[float | None] = []
        ys: list[float | None] = []
        for seq in points:
            for e in seq:
                xs.append(e.x + dx)
                ys.append(e.y + dy)
            xs.append(None)
            ys.append(None)
        return {"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": name, "hoverinfo": "skip",
                "showlegend": True, "line": {"color": colour, "width": 6, "dash": dash}, "opacity": 0.45}

    on_label, on_colour = _pct(tr.frac_onprem[t], tr.offered_onprem[t])
    aws_label, aws_colour = _pct(tr.frac_aws[t], tr.offered_aws[t])
    to_onprem = [[pos["vpc"], pos["rtb"], pos["gateway"], pos[f"endpoint:{rows[i][0]}"], pos[rows[i][3].key],
                  pos["onprem"]] for i in tr.egress[t]]
    to_aws = []
    for c in tr.onprem[t]:
        key = keys[c]
        used = [tid for i, (tid, _cn, _tn, g) in enumerate(rows) if g.key == key and tr.cgw_sa[i][t]]
        for tid in used:
            to_aws.append([pos["onprem"], pos[key], pos[f"endpoint:{tid}"], pos["gateway"], pos["rtb"], pos["vpc"]])
        if not used:  # the office routers still send to this gateway, which cannot forward: traffic ends here
            to_aws.append([pos["onprem"], pos[key]])
    traces.append(path(to_onprem if tr.offered_onprem[t] else [], 0.07,
                       TO_ONPREM if on_colour == TO_ONPREM else on_colour, _r(M("VPC → on-premises: {state}", state=on_label)),
                       "solid"))
    traces.append(path(to_aws if tr.offered_aws[t] else [], -0.07,
                       TO_AWS if aws_colour == TO_ONPREM else aws_colour, _r(M("on-premises → VPC: {state}", state=aws_label)),
                       "dot"))

    node_els = [e for e in els if not e.id.startswith("tunnel-")]
    texts, colours, hovers, places = [], [], [], []
    for e in node_els:
        if e.id in keys:
            state, colour = _cgw_state(result, keys.index(e.id), t)
            texts.append(_r(Seq([Seq(["<b>", e.label, "</b>"], ""), spec.cgw(e.id).ip, state], "<br>")))
        elif e.id.startswith("endpoint:"):
            i = spec.tunnel_ids().index(e.id.split(":", 1)[1])
            replaced = not tr.endpoint[i][t]
            state, colour = (M("REPLACING"), DOWN) if replaced else (M("IN SERVICE"), UP)
            texts.append(_r(Seq([rows[i][2].outside_ip, rows[i][2].az, state], "<br>")))
        elif e.id == "rtb":
            state, colour = (M("route to on-premises"), UP) if has_route else (M("NO ROUTE to on-premises"), DOWN)
            how = M("propagated, active") if spec.vpc.propagation else M("static, active")
            texts.append(_r(Seq([M("<b>Route table</b>"), f"{spec.onprem.cidr} → {spec.gateway.type.upper()}",
                                 how if has_route else state], "<br>")))
        elif e.id == "gateway":
            colour = UP
            numbers = ", ".join(rows[i][0].split("-")[1] for i in tr.egress[t])
            egress = (M("ECMP over tunnels {numbers}", numbers=numbers) if len(tr.egress[t]) > 1
                      else M("egress: tunnel {numbers}", numbers=numbers)) if numbers else M("egress: NONE")
            texts.append(_r(Seq([f"<b>{spec.gateway.type.upper()}</b>", spec.gateway.id, egress], "<br>")))
        elif e.id == "vpc":
            colour = UP
            texts.append(f"<b>VPC</b><br>{spec.vpc.cidr}")
        else:
            colour = UP
            via = ", ".join(keys[c] for c in tr.onprem[t]) or M("no gateway")
            texts.append(_r(Seq([M("<b>On-premises</b>"), spec.onprem.cidr, M("routes via {via}", via=via)], "<br>")))
        colours.append(colour)
        hovers.append(_r(e.label))
        # On a phone a lone element of its row (on premises, gateway, route table, VPC) is labelled beside
        # itself, so the line going down is not under its label; a row of several is labelled below each.
        alone = sum(1 for o in node_els if abs(o.y - e.y) < 0.01) == 1
        places.append("middle right" if vertical and alone else "bottom center")
    size = 10 if vertical else 11
    traces.append({
        "type": "scatter", "x": [e.x for e in node_els], "y": [e.y for e in node_els], "mode": "markers+text",
        "name": "elements", "text": texts, "textposition": places, "hovertext": hovers,
        "hoverinfo": "text", "showlegend": False, "customdata": [e.id for e in node_els],
        "textfont": {"size": size, "shadow": HALO, "color": LABEL},
        "marker": {"size": 22 if vertical else 26, "color": colours, "symbol": "square",
                   "line": {"color": "#263238", "width": 1}},
    })
    tun_els = [e for e in els if e.id.startswith("tunnel-")]
    # On a phone the tunnels stand close together: the state goes under the name, one short line each.
    sep = "<br>" if vertical else ": "
    tun_text = [_r(s) for s in tun_text]
    tun_labels = [f"{e.id}{sep}{s.replace(', ', ',<br>').replace(' on the', '<br>on the') if vertical else s}"
                  for e, s in zip(tun_els, tun_text, strict=True)]
    traces.append({
        "type": "scatter", "x": [e.x for e in tun_els], "y": [e.y for e in tun_els], "mode": "markers+text",
        "name": "tunnels", "text": tun_labels, "textposition": "top center",
        "hovertext": [_r(M("{tunnel}: {state} (select to fail it)", tunnel=e.id, state=s))
                      for e, s in zip(tun_els, tun_text, strict=True)],
        "hoverinfo": "text", "showlegend": False, "customdata": [e.id for e in tun_els],
        "textfont": {"size": size, "shadow": HALO, "color": LABEL},
        "marker": {"size": 16, "color": tun_colour, "symbol": "diamond", "line": {"color": "#263238", "width": 1}},
    })
    sep = "<br>" if vertical else " · "
    title = _r(M("t = {t} s{sep}VPC → on-premises: {to_onprem}{sep}on-premises → VPC: {to_aws}", t=t, sep=sep,
                 to_onprem=on_label, to_aws=aws_label))
    return traces, title


class AnimatedFigure(go.Figure):
    """A figure with many animation frames, validated by plotly only when something reads them as objects.

    plotly validates every property of every trace of every frame when a figure is built: for the topology's
    60 moments, three quarters of the time a new run takes to draw. The frames are made by the same code as
    the figure's own traces, which plotly does validate, so they are kept as the plain data they were built
    as: `to_dict()` (what Streamlit and `plotly.io` draw from) includes them as they are, and `frames`
    returns them as validated `go.Frame` objects when read.
    """

    _raw_frames: tuple[dict[str, Any], ...] = ()
    _frame_objects: tuple[go.Frame, ...] | None = None
    # True for a figure whose dict is computed once and never changed (a cached, frozen figure): its dict then
    # shares the frames instead of copying them (a deep copy of 60 moments is most of what making the dict costs).
    _share_frames: bool = False

    @property
    def frames(self) -> tuple[go.Frame, ...]:
        if self._frame_objects is None:
            self._frame_objects = go.Figure(frames=list(self._raw_frames)).frames
        return self._frame_objects

    @frames.setter
    def frames(self, frames: Iterable[dict[str, Any] | go.Frame]) -> None:
        self._raw_frames = tuple(f.to_plotly_json() if isinstance(f, go.Frame) else f for f in frames)
        self._frame_objects = None

    def to_dict(self) -> dict[str, Any]:
        res = super().to_dict()
        if self._raw_frames:
            res["frames"] = list(self._raw_frames) if self._share_frames else copy.deepcopy(list(self._raw_frames))
        return res


# Round steps for the slider, in seconds: the finest one that keeps a run within MAX_FRAMES moments.
STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600)
MAX_FRAMES = 60


def frame_step(duration_s: int) -> int:
    return next((s for s in STEPS if -(-duration_s // s) <= MAX_FRAMES), STEPS[-1])


def frame_times(result: SimResult) -> list[int]:
    """Seconds shown by the slider: an even grid of round steps (the slider spaces its ticks by position, so
    only an even grid gives evenly spaced, readable tick labels)."""
    return list(range(0, result.duration_s, frame_step(result.duration_s)))


def initial_time(result: SimResult) -> int:
    """The moment the diagram opens at: the first moment of the grid after the first failure, or the start."""
    if not result.failures:
        return 0
    after = result.failures[0].at_s + 1
    return next((t for t in frame_times(result) if t >= after), result.duration_s - 1)


def topology_figure(result: SimResult, at: int | None = None, vertical: bool = False,
                    lang: str | None = None) -> go.Figure:
    """The topology with each element's state and the traffic paths; slider and play over time.

    `vertical` draws it top to bottom (on premises above, the VPC below) for a phone's narrow screen. The labels
    the lab writes itself are in `lang` (default: the current language); fixed labels are translated afterwards
    (`lab.i18n.figures.localize_dict`).
    """
    with using(lang):
        return _topology_figure(result, at, vertical)


def _topology_figure(result: SimResult, at: int | None, vertical: bool) -> go.Figure:
    els = elements(result, vertical)
    times = frame_times(result)
    first = initial_time(result) if at is None else at
    if first not in times:
        times = sorted({*times, first})
    frames = []
    for t in times:
        data, title = _frame_data(result, t, els, vertical)
        frames.append({"data": data, "name": str(t), "layout": {"title": {"text": title}}})
    active = times.index(first)
    base, title = _frame_data(result, first, els, vertical)
    fig = AnimatedFigure(data=base)
    fig.frames = frames
    slider_steps = [{"method": "animate", "label": f"{t}",
                     "args": [[str(t)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                         "transition": {"duration": 0}}]} for t in times]
    grey = {"color": "#455a64"}
    # Play and Pause look like the page's other buttons: white, a thin grey border, a text label.
    buttons = {
        "type": "buttons", "direction": "left", "xanchor": "left", "yanchor": "top", "showactive": False,
        "bgcolor": "white", "bordercolor": "#c4c7cf", "borderwidth": 1, "font": {"size": 13, "color": "#31333f"},
        "pad": {"r": 8, "t": 4, "b": 4, "l": 4},
        "buttons": [
            {"label": "▶ Play", "method": "animate",
             "args": [None, {"frame": {"duration": 400, "redraw": True}, "fromcurrent": True,
                             "transition": {"duration": 0}}]},
            {"label": "Pause", "method": "animate",
             "args": [[None], {"mode": "immediate", "frame": {"duration": 0, "redraw": False}}]},
        ],
    }
    # The figure's title already says the moment shown: the slider has no "current value" line of its own.
    slider = {"active": active, "steps": slider_steps, "currentvalue": {"visible": False}, "yanchor": "top",
              "font": {"size": 11}, "pad": {"t": 6, "b": 0}, "ticklen": 5, "minorticklen": 3}
    if vertical:
        spread = max(abs(e.x) for e in els)
        height, bottom = 840, 150
        plot_h = height - 84 - bottom
        fig.update_layout(
            title={"text": title, "x": 0.01, "y": 0.985, "yanchor": "top", "font": {"size": 13}},
            height=height, margin={"l": 4, "r": 4, "t": 84, "b": bottom}, plot_bgcolor="white",
            xaxis={"visible": False, "range": [-spread - 0.95, spread + 0.95], "fixedrange": True},
            yaxis={"visible": False, "range": [-9.2, 0.45], "fixedrange": True},
            legend={"orientation": "h", "y": -0.005, "x": 0.0, "yanchor": "top", "font": {"size": 11}},
            shapes=[{"type": "rect", "y0": -2.3, "y1": -4.3, "x0": -spread - 0.95, "x1": spread + 0.95,
                     "fillcolor": "#eceff1", "line": {"width": 0}, "layer": "below"}],
            annotations=[
                {"x": -spread - 0.9, "y": 0.3, "xanchor": "left", "text": "On premises", "showarrow": False,
                 "font": grey},
                {"x": -spread - 0.9, "y": -2.45, "xanchor": "left", "yanchor": "top", "text": "Internet",
                 "showarrow": False, "font": grey},
                {"x": -spread - 0.9, "y": -5.6, "xanchor": "left", "text": "AWS", "showarrow": False, "font": grey},
            ],
            updatemenus=[{**buttons, "x": 0.0, "y": -52 / plot_h}],
            sliders=[{**slider, "x": 0.0, "len": 1.0, "y": -92 / plot_h}],
        )
        return fig
    plot_h = 560 - 60 - 80
    fig.update_layout(
        title={"text": title, "x": 0.01, "font": {"size": 15}},
        height=560, margin={"l": 10, "r": 10, "t": 60, "b": 80}, plot_bgcolor="white",
        xaxis={"visible": False, "range": [-0.9, 9.4], "fixedrange": True},
        yaxis={"visible": False, "range": [-3.6, 3.1], "fixedrange": True},
        legend={"orientation": "h", "y": -0.005, "x": 0.3, "yanchor": "top"},
        shapes=[{"type": "rect", "x0": 2.55, "x1": 3.45, "y0": -3.0, "y1": 2.9, "fillcolor": "#eceff1",
                 "line": {"width": 0}, "layer": "below"}],
        annotations=[
            {"x": 3.0, "y": 2.95, "text": "Internet", "showarrow": False, "font": grey},
            {"x": 0.0, "y": 2.95, "text": "On premises", "showarrow": False, "font": grey},
            {"x": 6.9, "y": 2.95, "text": "AWS", "showarrow": False, "font": grey},
        ],
        updatemenus=[{**buttons, "x": 0.0, "y": -36 / plot_h}],
        sliders=[{**slider, "x": 0.16, "len": 0.84, "y": -30 / plot_h}],
    )
    return fig


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
