"""Mutable per-run state of the simulator (tunnels, gateways) and the recorder of what happened.

Kept apart from the stepping logic in `engine.py`: these are plain containers with `__slots__`
so that one second of simulated time costs a few attribute reads per tunnel.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lab.i18n import D, Msg
from lab.sim.loglines import aws_bgp_line, aws_tunnel_line, charon_line
from lab.sim.scenarios import ConnectionSpec, CustomerGatewaySpec, TunnelSpec


class Tun:
    """One tunnel as both ends see it."""

    __slots__ = (
        "idx", "id", "vpn_id", "ip", "az", "aws_inside", "cgw_inside", "bgp", "cgw", "ike",
        "name", "aws_sa", "cgw_sa", "aws_heard", "cgw_heard", "bgp_aws", "bgp_cgw", "bgp_ok",
        "data_since", "bgp_retry_at", "aws_init_at", "aws_restart", "cgw_init_at", "cgw_want",
        "endpoint_back", "psk_bad", "prop_bad", "last_traffic", "ike_no", "child_no", "msg_id",
        "rekey_at", "ok", "path", "state", "fail_streak", "aws_initiates", "conn_idx", "configured", "operator_test",
    )

    def __init__(self, idx: int, tid: str, conn_idx: int, conn: ConnectionSpec, spec: TunnelSpec,
                 cgw_idx: int, ike: str, configured: bool = True) -> None:
        hosts = list(ipaddress.ip_network(spec.inside_cidr).hosts())
        self.idx, self.id, self.conn_idx = idx, tid, conn_idx
        self.vpn_id, self.ip, self.az = conn.id, spec.outside_ip, spec.az
        self.aws_inside, self.cgw_inside = str(hosts[0]), str(hosts[1])
        self.bgp = conn.routing == "bgp"
        self.cgw, self.ike = cgw_idx, ike
        self.name = f"{conn.name}-{idx % 2 + 1}"  # the strongSwan connection name
        # A tunnel the customer gateway does not have in its configuration never comes up.
        self.configured = configured
        self.aws_sa = self.cgw_sa = configured
        self.aws_heard = self.cgw_heard = self.bgp_ok = self.data_since = self.last_traffic = 0
        self.bgp_aws = self.bgp_cgw = self.bgp and configured
        self.bgp_retry_at = 0
        self.aws_init_at: int | None = None
        self.aws_restart = False
        self.cgw_init_at: int | None = None
        self.cgw_want = False
        self.endpoint_back: int | None = None
        self.psk_bad = self.prop_bad = False
        self.ike_no, self.child_no, self.msg_id = idx + 1, idx + 1, 0
        self.rekey_at = -1
        self.ok = self.path = self.state = configured
        self.fail_streak = 0
        self.aws_initiates = False
        self.operator_test = False  # whoever changed the tunnel's options tests it from the customer gateway

    @property
    def phase_states(self) -> tuple[str, str]:
        return ("Established", "Established") if self.aws_sa else ("Down", "Down")


class Gw:
    """One customer gateway device."""

    __slots__ = ("idx", "key", "spec", "alive", "link", "tunnels", "initiates", "dpd_delay",
                 "tries", "frac", "usable", "bad_since")

    def __init__(self, idx: int, spec: CustomerGatewaySpec, initiates: str, dpd_delay: int, tries: int) -> None:
        self.idx, self.key, self.spec = idx, spec.key, spec
        self.alive = self.link = True
        self.tunnels: list[Tun] = []
        self.initiates, self.dpd_delay, self.tries = initiates, dpd_delay, tries
        self.frac = 1.0
        self.usable: list[Tun] = []
        self.bad_since: int | None = None

    @property
    def letter(self) -> str:
        return self.key.split("-")[-1].upper()


@dataclass
class Recorder:
    """Collects events, log lines and explanation steps while the run is inside its duration."""

    start: datetime
    on: bool = True
    events: list[tuple[int, str, str, str, str, str]] = field(default_factory=list)
    logs: list[tuple[int, str, str, str, str, dict[str, str]]] = field(default_factory=list)
    steps: list[tuple[int, str]] = field(default_factory=list)
    thread: int = 6

    def ts(self, t: int) -> datetime:
        return self.start + timedelta(seconds=t)

    def event(self, t: int, kind: str, detail: str, tun: Tun | None = None, target: str = "") -> None:
        if self.on:
            vpn, ip = (tun.vpn_id, tun.ip) if tun else ("", "")
            self.events.append((t, kind, detail, vpn, ip, target or (tun.id if tun else "")))

    def step(self, t: int, text: str) -> None:
        if self.on:
            self.steps.append((t, text))

    def aws(self, t: int, tun: Tun, details: str, phase1: str | None = None, phase2: str | None = None) -> None:
        if self.on:
            p1, p2 = tun.phase_states
            p1, p2 = phase1 or p1, phase2 or p2
            line = aws_tunnel_line(self.ts(t), tun.vpn_id, tun.ip, details, p1, p2)
            fields = {"details": details, "ike_phase1_state": p1, "ike_phase2_state": p2}
            self.logs.append((t, "aws-json", line, tun.vpn_id, tun.ip, fields))

    def bgp(self, t: int, tun: Tun, status: str, details: str) -> None:
        if self.on:
            line = aws_bgp_line(self.ts(t), tun.vpn_id, tun.ip, status, details)
            self.logs.append((t, "aws-json", line, tun.vpn_id, tun.ip, {"details": details, "status": status}))

    def charon(self, t: int, gw: Gw, group: str, message: str, tun: Tun | None = None) -> None:
        if self.on:
            self.thread = self.thread % 15 + 1
            line = charon_line(self.ts(t), gw.spec.hostname, self.thread, group, message)
            self.logs.append((t, "strongswan", line, tun.vpn_id if tun else "", tun.ip if tun else "", {}))


def gw_name(gw: Gw) -> Msg:
    """A customer gateway's name ("Customer gateway A") as data text, shown in the reader's language."""
    return D("scenario.gateway", gw.spec.name)
