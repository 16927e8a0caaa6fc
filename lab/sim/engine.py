"""The failover simulator: steps a scenario second by second under a failure script.

Mechanics, each from the AWS documentation (see `lab.facts`) unless named in `assumptions.py`:
- AWS DPD: the peer is declared dead `dpd_timeout` seconds after it was last heard from; then
  clear (IKE stopped, tunnel down, routes removed), restart (AWS restarts IKE) or none.
- Who initiates IKE: AWS only with startup action start and IKEv2; the customer gateway always,
  when traffic (or its BGP speaker) needs the tunnel, or never.
- Routing: static routes on the AWS side exist while the tunnel is UP on the AWS side; BGP routes
  while the session is up (hold timer); a VGW prefers static over BGP and uses one egress tunnel;
  a TGW with ECMP uses every tunnel with BGP up. On premises: a static route (moved by a health
  check or a person), a cluster, or BGP-learned routes.
- TunnelState as CloudWatch reports it: for BGP connections 1 only while BGP is established.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from lab.i18n import M, Msg
from lab.sim import loglines as L
from lab.sim.assumptions import assumption_value, strongswan_giveup_s, strongswan_retransmit_offsets
from lab.sim.failures import Failure
from lab.sim.options import Settings
from lab.sim.scenarios import ScenarioSpec
from lab.sim.state import Gw, Recorder, Tun, gw_name

PROBE_S = assumption_value("aws_dpd_probe_interval_s")
RETRY_S = assumption_value("retry_s")
REPLACEMENT_S = assumption_value("replacement_s")
BGP_CONNECT_S = assumption_value("bgp_connect_s")
BGP_RECONNECT_S = assumption_value("bgp_reconnect_s")
BGP_KEEPALIVE_BYTES = 59  # a 19-byte BGP KEEPALIVE in TCP/IP
PING_BYTES = 84  # an ICMP echo of the default size


@dataclass
class Trace:
    """Per-second record of a run (index = second), for the outcome, the series and the figures."""

    duration_s: int
    state: list[list[int]]  # [tunnel][t] TunnelState
    ok: list[list[int]]  # [tunnel][t] data plane works end to end
    cgw_sa: list[list[int]]  # [tunnel][t] the customer gateway believes the tunnel is up
    endpoint: list[list[int]]  # [tunnel][t] AWS endpoint in service (0 while replaced)
    data_in: list[list[float]]
    data_out: list[list[float]]
    cgw_status: list[list[str]]  # [cgw][t] up | down | link-down
    egress: list[tuple[int, ...]]  # tunnels AWS sends VPC -> on-premises traffic into
    onprem: list[tuple[int, ...]]  # customer gateways the office routers send VPC traffic to
    frac_onprem: list[float]
    frac_aws: list[float]
    offered_onprem: list[float]
    offered_aws: list[float]
    outage_end_onprem: bool = False  # still losing traffic after the settle period
    outage_end_aws: bool = False
    up_after_settle: list[bool] | None = None  # [tunnel] TunnelState 1 at the end of the settle period


class Engine:
    def __init__(self, spec: ScenarioSpec, settings: Settings, failures: Sequence[Failure],
                 duration_s: int, seed: int, start: datetime) -> None:
        self.spec, self.s, self.failures, self.T = spec, settings, list(failures), duration_s
        self.rng = random.Random(seed)
        self.rec = Recorder(start)
        self.gws: list[Gw] = []
        for i, c in enumerate(spec.customer_gateways):
            self.gws.append(Gw(i, c, settings.cgw_initiates or c.initiates,
                               settings.cgw_dpd_delay_s or c.dpd_delay_s,
                               settings.cgw_retransmit_tries or c.retransmit_tries))
        gw_index = {g.key: g for g in self.gws}
        self.tuns: list[Tun] = []
        for ci, conn in enumerate(spec.connections):
            gw = gw_index[conn.customer_gateway]
            for tspec in conn.tunnels:
                configured = len(gw.tunnels) % 2 < settings.cgw_tunnels
                tun = Tun(len(self.tuns), f"tunnel-{len(self.tuns) + 1}", ci, conn, tspec, gw.idx,
                          settings.ike_version or gw.spec.ike_version, configured)
                tun.aws_initiates = settings.startup_action == "start" and tun.ike == "ikev2"
                tun.rekey_at = self._next_rekey(0)
                gw.tunnels.append(tun)
                self.tuns.append(tun)
        giveups = {g.idx: strongswan_giveup_s(g.tries) for g in self.gws}
        self.giveup = giveups
        self.retrans = {g.idx: strongswan_retransmit_offsets(g.tries) for g in self.gws}
        longest = max([settings.dpd_timeout_s, settings.bgp_hold_s, settings.health_check_s,
                       settings.onprem_failover_s, REPLACEMENT_S, RETRY_S]
                      + [g.dpd_delay + giveups[g.idx] for g in self.gws])
        self.settle = longest + 60  # long enough for every automatic mechanism to act once more
        self.horizon = duration_s + self.settle
        self.idle = 0
        self.egress: tuple[int, ...] = ()
        # The office routers start on the primary gateway, or on all of them with ECMP.
        self.onprem: tuple[int, ...] = (tuple(g.idx for g in self.gws) if spec.onprem.ecmp
                                         else (gw_index[spec.onprem.primary].idx,))
        self.manual_told = False
        self.ecmp = spec.gateway.ecmp

    # --- small utilities -----------------------------------------------------------------------
    def _next_rekey(self, t: int) -> int:
        s = self.s
        fuzz = int(self.rng.random() * s.rekey_margin_s * s.rekey_fuzz_pct / 100)
        return t + s.phase2_lifetime_s - s.rekey_margin_s - fuzz

    def _spi(self) -> str:
        return f"{self.rng.getrandbits(32):08x}"

    def _gw(self, tun: Tun) -> Gw:
        return self.gws[tun.cgw]

    def _tname(self, tun: Tun) -> Msg:
        return M("{tunnel} ({gateway}, {az})", tunnel=tun.id, gateway=gw_name(self._gw(tun)), az=tun.az)

    # --- failures ------------------------------------------------------------------------------
    def _start_failure(self, t: int, f: Failure) -> None:
        rec = self.rec
        rec.event(t, "failure-injected", f.label(), target=f.target)
        if f.kind in ("cgw-down", "cgw-link-down"):
            gw = next(g for g in self.gws if g.key == f.target)
            if f.kind == "cgw-down":
                gw.alive = False
                for tun in gw.tunnels:
                    tun.cgw_sa = tun.bgp_cgw = tun.cgw_want = False
                    tun.cgw_init_at = None
                rec.step(t, M("{gateway} ({ip}) stops. Its tunnels carry nothing from now on, but "
                              "AWS does not know yet: it keeps them UP until DPD or the BGP hold timer notices.",
                              gateway=gw_name(gw), ip=gw.spec.ip))
            else:
                gw.link = False
                rec.step(t, M("The internet link of {gateway} fails. Nothing reaches the AWS endpoints; the "
                              "device itself still believes its tunnels are up until its own DPD gives up.",
                              gateway=gw_name(gw)))
            return
        if f.kind == "idle":
            self.idle += 1
            rec.step(t, M("Traffic stops in both directions: nobody on either side sends anything for {seconds} s.",
                          seconds=f.duration_s) if f.duration_s else
                     M("Traffic stops in both directions: nobody on either side sends anything."))
            return
        tun = next(x for x in self.tuns if x.id == f.target)
        if f.kind in ("endpoint-replacement", "psk-mismatch", "proposal-mismatch"):
            if f.kind == "psk-mismatch":
                tun.psk_bad = True
                why = M("The pre-shared key of {tunnel} is changed on the AWS side only. Modifying tunnel options "
                        "replaces that tunnel's endpoint, so the tunnel must negotiate again with the new key.",
                        tunnel=self._tname(tun))
            elif f.kind == "proposal-mismatch":
                tun.prop_bad = True
                why = M("The allowed proposals of {tunnel} are changed on the AWS side and no longer match the customer "
                        "gateway's. Modifying tunnel options replaces that tunnel's endpoint, so it must negotiate again.",
                        tunnel=self._tname(tun))
            else:
                why = M("AWS replaces the endpoint of {tunnel} (maintenance, one tunnel at a time). The tunnel is down at "
                        "once and its routes are removed.", tunnel=self._tname(tun))
            self._endpoint_away(t, tun)
            tun.operator_test = f.kind != "endpoint-replacement"
            rec.step(t, M("{why} The customer gateway is not told and keeps sending into it until its own DPD gives up.",
                          why=why))
        elif f.kind == "ike-delete":
            self._ike_delete(t, tun)
        elif f.kind == "bgp-reset":
            if tun.bgp_aws or tun.bgp_cgw:
                rec.bgp(t, tun, "DOWN", L.BGP_RESET_RECEIVED.format(ip=tun.cgw_inside))
                rec.event(t, "bgp-down", M("Cease notification 6/4 (Administrative Reset) received"), tun)
                rec.event(t, "route-withdrawn", M("routes learned over {tunnel} withdrawn", tunnel=tun.id), tun)
            tun.bgp_aws = tun.bgp_cgw = False
            tun.bgp_retry_at = t + BGP_RECONNECT_S
            rec.step(t, M("The BGP session on {tunnel} is reset. IPsec stays up, but both sides withdraw "
                          "the routes learned over it; the peers reconnect after about {seconds} s.",
                          tunnel=self._tname(tun), seconds=BGP_RECONNECT_S))

    def _end_failure(self, t: int, f: Failure) -> None:
        rec = self.rec
        rec.event(t, "failure-cleared", f.label(), target=f.target)
        if f.kind in ("cgw-down", "cgw-link-down"):
            gw = next(g for g in self.gws if g.key == f.target)
            if f.kind == "cgw-down":
                gw.alive = True
                rec.charon(t, gw, "DMN", "Starting IKE charon daemon (strongSwan 5.9.13, Linux 6.1.0-18-amd64, x86_64)")
                for tun in gw.tunnels:
                    tun.cgw_init_at = t
                rec.step(t, M("{gateway} is running again, with no IPsec or BGP state: every tunnel must be "
                              "negotiated again.", gateway=gw_name(gw)))
            else:
                gw.link = True
                rec.step(t, M("The internet link of {gateway} is back.", gateway=gw_name(gw)))
        elif f.kind == "idle":
            self.idle = max(0, self.idle - 1)
            rec.step(t, M("Traffic starts again in both directions."))
        elif f.kind in ("psk-mismatch", "proposal-mismatch"):
            tun = next(x for x in self.tuns if x.id == f.target)
            tun.psk_bad = tun.prop_bad = False
            tun.cgw_init_at = t if tun.cgw_init_at is None else tun.cgw_init_at
            rec.step(t, M("The keys of {tunnel} match again; the next negotiation can succeed.", tunnel=tun.id)
                     if f.kind == "psk-mismatch" else
                     M("The proposals of {tunnel} match again; the next negotiation can succeed.", tunnel=tun.id))

    def _endpoint_away(self, t: int, tun: Tun) -> None:
        was_up = tun.aws_sa
        self._aws_down(t, tun, bgp_reason=M("state"))
        tun.endpoint_back = t + REPLACEMENT_S
        tun.aws_init_at = None
        tun.aws_restart = False
        self.rec.event(t, "endpoint-replacement",
                       M("endpoint of {ip} being replaced", ip=tun.ip) if was_up else
                       M("endpoint of {ip} being replaced (tunnel was already down)", ip=tun.ip), tun)

    def _ike_delete(self, t: int, tun: Tun) -> None:
        rec, gw = self.rec, self._gw(tun)
        if not (tun.cgw_sa and gw.alive):
            rec.step(t, M("{tunnel}: the customer gateway has no IKE SA to delete; nothing happens.", tunnel=tun.id))
            return
        ends = f"{gw.spec.ip}[{gw.spec.ip}]...{tun.ip}[{tun.ip}]"
        rec.charon(t, gw, "IKE", f"deleting IKE_SA {tun.name}[{tun.ike_no}] between {ends}", tun)
        rec.charon(t, gw, "IKE", f"sending DELETE for IKE_SA {tun.name}[{tun.ike_no}]", tun)
        rec.charon(t, gw, "IKE", "IKE_SA deleted", tun)
        reachable = gw.link and tun.endpoint_back is None
        tun.cgw_sa = tun.bgp_cgw = False
        if reachable and tun.aws_sa:
            if tun.ike == "ikev1":
                rec.aws(t, tun, L.AWS_DELETE_PHASE2.format(spi=self._spi()), "Established", "Down")
            tun.aws_sa = False
            rec.aws(t, tun, L.AWS_DELETE_IKE_SA)
            rec.event(t, "ike-sa-deleted", M("AWS received DELETE for IKE_SA from the customer gateway"), tun)
            self._aws_down(t, tun, bgp_reason=M("state"), log=False)
        # An operator or a reload deleted it: the device tries again only after a pause.
        tun.cgw_init_at = t + RETRY_S
        if tun.aws_initiates:
            tun.aws_init_at = t + 1
        rec.step(t, M("{gateway} sends Delete for the IKE SA of {tunnel}. AWS takes the tunnel down and removes "
                      "its routes; IKE has to be negotiated again from scratch. {who}", gateway=gw_name(gw),
                      tunnel=tun.id, who=self._who_initiates(tun)))

    def _who_initiates(self, tun: Tun) -> Msg:
        gw = self._gw(tun)
        if tun.aws_initiates:
            return M("With IKEv2 and startup action start, AWS initiates IKE itself.")
        why = M("IKEv1") if tun.ike == "ikev1" and self.s.startup_action == "start" else M("startup action add")
        mode = {"always": M("it re-initiates on its own"),
                "on-traffic": M("it initiates only when traffic (or its BGP speaker) needs this tunnel"),
                "never": M("it never initiates (responder only)")}[gw.initiates]
        return M("With {why}, AWS waits for {gateway} to initiate; {mode}.", why=why, gateway=gw_name(gw), mode=mode)

    # --- AWS side -------------------------------------------------------------------------------
    def _aws_down(self, t: int, tun: Tun, bgp_reason: str, log: bool = True) -> None:
        tun.aws_sa = False
        if tun.bgp_aws:
            tun.bgp_aws = False
            if log:
                self.rec.bgp(t, tun, "DOWN", L.BGP_STATE.format(old="Established", new="Idle", ip=tun.cgw_inside))
            self.rec.event(t, "bgp-down", M("BGP session over {tunnel} closed ({reason})", tunnel=tun.id, reason=bgp_reason), tun)
        self.rec.event(t, "route-withdrawn", M("routes via {tunnel} removed on the AWS side", tunnel=tun.id), tun)

    def _aws_dpd(self, t: int, tun: Tun) -> None:
        s, rec = self.s, self.rec
        d = s.dpd_timeout_s
        if tun.ike == "ikev1":
            msg = L.AWS_DPD_IKEV1
        else:
            msg = L.AWS_DPD_IKEV2.format(retries=max(1, (d - PROBE_S) // PROBE_S))
        action = s.dpd_timeout_action
        after = {"clear": ("Down", "Down"), "restart": ("Negotiating", "Down"), "none": ("Established", "Established")}
        rec.aws(t, tun, msg, *after[action])
        rec.event(t, "dpd-timeout", M("AWS: no answer from the peer for {seconds} s (action {action})", seconds=d, action=action), tun)
        head = M("AWS declared the peer of {tunnel} dead after the DPD timeout ({seconds} s without an answer)",
                 tunnel=self._tname(tun), seconds=d)
        if action == "none":
            tun.aws_heard = t
            rec.step(t, M("{head}; action none: AWS keeps the tunnel UP and its routes, so traffic keeps going into it.",
                          head=head))
            return
        self._aws_down(t, tun, bgp_reason=M("DPD timeout"))
        if action == "restart":
            tun.aws_restart, tun.aws_init_at = True, t
            rec.step(t, M("{head}; action restart: AWS stops the IKE session and immediately starts a new one.", head=head))
        else:
            tun.aws_init_at = t if tun.aws_initiates else None
            rec.step(t, M("{head}; action clear: the IKE session stops, the tunnel is down and its routes are "
                          "removed. {who}", head=head, who=self._who_initiates(tun)))

    def _attempt(self, t: int, tun: Tun, by_aws: bool) -> None:
        rec, gw = self.rec, self._gw(tun)
        first = tun.fail_streak == 0
        if not by_aws:
            rec.charon(t, gw, "IKE", f"initiating IKE_SA {tun.name}[{tun.ike_no + 1}] to {tun.ip}", tun)
        if not tun.path or not (by_aws or gw.link):
            tun.fail_streak += 1
            if by_aws:
                tun.aws_init_at = t + RETRY_S
                if tun.ike == "ikev2":
                    rec.aws(t, tun, L.AWS_HALF_OPEN.format(cgw=gw.spec.ip), "Negotiating", "Down")
            else:
                tun.cgw_init_at = t + RETRY_S
            if first:
                who = "AWS" if by_aws else gw_name(gw)
                rec.event(t, "ike-negotiation", M("{who} initiated IKE; no answer", who=who), tun)
                rec.step(t, M("{who} tries to bring {tunnel} up, but the other end does not answer; it retries every "
                              "{seconds} s.", who="AWS" if by_aws else gw_name(gw), tunnel=tun.id, seconds=RETRY_S))
            return
        if tun.psk_bad or tun.prop_bad:
            tun.fail_streak += 1
            if tun.psk_bad:
                if tun.ike == "ikev1":
                    rec.aws(t, tun, L.AWS_PSK_IKEV1, "Down", "Down")
                else:
                    rec.aws(t, tun, L.AWS_PSK_IKEV2.format(cgw=gw.spec.ip), "Down", "Down")
                    rec.aws(t, tun, L.AWS_AUTH_FAILED, "Down", "Down")
                rec.charon(t, gw, "IKE", "received AUTHENTICATION_FAILED notify error", tun)
                kind, what = "auth-failure", M("authentication failed (pre-shared key mismatch)")
            else:
                rec.aws(t, tun, L.AWS_NO_PROPOSAL, "Down", "Down")
                rec.charon(t, gw, "IKE", "received NO_PROPOSAL_CHOSEN notify error", tun)
                kind, what = "proposal-mismatch", M("no proposal chosen (proposal mismatch)")
            if by_aws:
                tun.aws_init_at = t + RETRY_S
            else:
                tun.cgw_init_at = t + RETRY_S
            if first:
                rec.event(t, kind, what, tun)
                rec.step(t, M("Negotiation of {tunnel} fails: {what}. Every retry fails the same way until the "
                              "configuration matches on both sides.", tunnel=tun.id, what=what))
            return
        self._establish(t, tun, by_aws)

    def _establish(self, t: int, tun: Tun, by_aws: bool) -> None:
        rec, gw = self.rec, self._gw(tun)
        was_fail = tun.fail_streak
        why: Msg | str
        if by_aws:
            why = M(" (DPD action restart)") if tun.aws_restart else M(" (startup action start)")
        elif tun.cgw_want:
            why = M(" because traffic from on-premises needs it (the first packets are lost while IKE negotiates)")
        elif tun.bgp and gw.initiates == "on-traffic":
            why = M(" because its BGP speaker keeps trying to reach the AWS neighbour through it")
        else:
            why = ""
        tun.ike_no += 1
        tun.child_no += 1
        tun.aws_sa = tun.cgw_sa = True
        tun.aws_heard = tun.cgw_heard = tun.last_traffic = t
        tun.aws_restart = tun.cgw_want = False
        tun.aws_init_at = tun.cgw_init_at = None
        tun.fail_streak = 0
        tun.rekey_at = self._next_rekey(t)
        if by_aws:
            rec.charon(t, gw, "IKE", f"{tun.ip} is initiating an IKE_SA", tun)
        rec.charon(t, gw, "IKE", f"IKE_SA {tun.name}[{tun.ike_no}] established between "
                                 f"{gw.spec.ip}[{gw.spec.ip}]...{tun.ip}[{tun.ip}]", tun)
        rec.charon(t, gw, "IKE", f"CHILD_SA {tun.name}{{{tun.child_no}}} established with SPIs {self._spi()}_i "
                                 f"{self._spi()}_o and TS {self.spec.onprem.cidr} === {self.spec.vpc.cidr}", tun)
        who = "AWS" if by_aws else gw_name(gw)
        rec.event(t, "ike-negotiation", M("IKE and IPsec SAs established, initiated by {who}", who=who), tun)
        extra = M(" after {count} failed attempt(s)", count=was_fail) if was_fail else ""
        bgp = M(" BGP can now start over it.") if tun.bgp else ""
        rec.step(t, M("{who} initiates IKE for {tunnel}{why} and the negotiation succeeds{extra}: the tunnel is up "
                      "again.{bgp}", who="AWS" if by_aws else gw_name(gw), tunnel=tun.id, why=why, extra=extra, bgp=bgp))

    # --- customer gateway side ----------------------------------------------------------------------
    def _cgw_dpd(self, t: int, tun: Tun, gw: Gw) -> None:
        silent = t - tun.cgw_heard
        rec = self.rec
        if silent == gw.dpd_delay:
            tun.msg_id += 1
            rec.charon(t, gw, "IKE", "sending DPD request", tun)
            if tun.ike == "ikev2":
                rec.charon(t, gw, "ENC", f"generating INFORMATIONAL request {tun.msg_id} [ ]", tun)
            return
        since = silent - gw.dpd_delay
        if since <= 0:
            return
        if since >= self.giveup[gw.idx]:
            if tun.ike == "ikev2":
                rec.charon(t, gw, "IKE", f"giving up after {gw.tries} retransmits", tun)
            else:
                rec.charon(t, gw, "JOB", "DPD check timed out, enforcing DPD action", tun)
            rec.charon(t, gw, "IKE", f"IKE_SA {tun.name}[{tun.ike_no}] state change: ESTABLISHED => DESTROYING", tun)
            tun.cgw_sa = tun.bgp_cgw = False
            tun.cgw_init_at = t
            rec.event(t, "dpd-timeout", M("{gateway}: no answer from AWS, giving up", gateway=gw_name(gw)), tun, target=gw.key)
            then = {"always": M("It initiates IKE again at once."),
                    "on-traffic": M("It initiates IKE again when traffic (or its BGP speaker) needs this tunnel."),
                    "never": M("It never initiates IKE itself.")}[gw.initiates]
            rec.step(t, M("{gateway}'s own DPD gives up on {tunnel} ({seconds} s without an answer) and removes "
                          "its SA; it no longer sends traffic into this tunnel. {then}", gateway=gw_name(gw),
                          tunnel=tun.id, seconds=silent, then=then))
        elif tun.ike == "ikev2" and since in self.retrans[gw.idx]:
            n = self.retrans[gw.idx].index(since) + 1
            rec.charon(t, gw, "IKE", f"retransmit {n} of request with message ID {tun.msg_id}", tun)

    def _cgw_wants(self, tun: Tun, gw: Gw) -> bool:
        if gw.initiates == "always":
            return True
        if gw.initiates == "on-traffic":
            # A BGP speaker keeps trying to reach its neighbour through the tunnel: that is traffic.
            return tun.bgp or tun.cgw_want
        return False
