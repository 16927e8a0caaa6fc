"""The topology's frames: the traces of every element at each moment, and the figure they animate."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go

from lab.figures.simulation.states import (
    DOWN,
    GREY,
    HALO,
    LABEL,
    TO_AWS,
    TO_ONPREM,
    UP,
    WARN,
    Element,
    _cgw_state,
    _pct,
    _r,
    _tunnel_state,
)
from lab.i18n import M, Seq
from lab.sim.result import SimResult

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
