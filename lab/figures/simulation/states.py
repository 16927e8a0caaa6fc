"""The diagram's elements (gateways, tunnels, the VPN connection) and their state at a moment, each state
by colour and by a text label."""

from __future__ import annotations

from dataclasses import dataclass

from lab.i18n import D, M, render
from lab.sim.result import SimResult

UP, DOWN, WARN, GREY = "#1b7f3b", "#c62828", "#d98200", "#607d8b"
TO_ONPREM, TO_AWS = "#1f5fbf", "#7b3fb3"
TUNNEL_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd")
X = {"onprem": 0.0, "cgw": 1.5, "endpoint": 4.5, "gateway": 5.9, "rtb": 7.2, "vpc": 8.5}
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
