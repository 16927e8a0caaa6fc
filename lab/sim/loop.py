"""The second-by-second loop of the simulator: failures, timers, negotiation, routing, traffic.

Order within one second: failures start/end; DPD and hold timers fire (from what was heard up to
the previous second); sides that want a tunnel initiate IKE; the data plane is evaluated; BGP
comes up; AWS and the office routers choose paths; traffic is counted. After the run's duration
the loop keeps going silently for a settle period to learn whether an ongoing outage would end
without a person.
"""

from __future__ import annotations

from lab.i18n import M, Seq
from lab.sim import loglines as L
from lab.sim.engine import (
    BGP_CONNECT_S,
    BGP_KEEPALIVE_BYTES,
    PING_BYTES,
    REPLACEMENT_S,
    RETRY_S,
    Engine,
    Trace,
)
from lab.sim.failures import failure_kind
from lab.sim.state import Tun, gw_name


def run(e: Engine) -> Trace:
    s, rec, tuns, gws = e.s, e.rec, e.tuns, e.gws
    T, H = e.T, e.horizon
    jr = e.rng.random
    base_on, base_aws = e.spec.onprem.to_onprem_bps, e.spec.onprem.to_aws_bps
    jitter = [(0.9 + 0.2 * jr(), 0.9 + 0.2 * jr()) for _ in range(T)]
    starts: dict[int, list] = {}
    ends: dict[int, list] = {}
    for f in e.failures:
        starts.setdefault(f.at_s, []).append(f)
        if f.end_s is not None and not failure_kind(f.kind).instant:
            ends.setdefault(f.end_s, []).append(f)
    D, hold, K, HC = s.dpd_timeout_s, s.bgp_hold_s, s.keepalive_s, s.health_check_s
    bgp_ka, idle_to, fo = s.bgp_keepalive_s, s.idle_timeout_s, s.onprem_failover_s
    routing = e.spec.onprem.routing
    onprem_ecmp = e.spec.onprem.ecmp
    tr = Trace(
        duration_s=T,
        state=[[0] * T for _ in tuns], ok=[[0] * T for _ in tuns], cgw_sa=[[0] * T for _ in tuns],
        endpoint=[[1] * T for _ in tuns], data_in=[[0.0] * T for _ in tuns], data_out=[[0.0] * T for _ in tuns],
        cgw_status=[["up"] * T for _ in gws], egress=[()] * T, onprem=[()] * T,
        frac_onprem=[1.0] * T, frac_aws=[1.0] * T, offered_onprem=[0.0] * T, offered_aws=[0.0] * T,
    )
    out_on = out_aws = False
    last_sig: list = []
    egress: tuple[int, ...] = ()
    onprem: tuple[int, ...] = ()
    frac_on = frac_aws = 0.0
    share_in: dict[int, float] = {}
    hungry: list[Tun] = []
    for t in range(H):
        if t == T:
            rec.on = False
            # The settle period asks "would it come back without a person?": traffic that an idle period
            # stopped comes back, as it would when people start working again.
            e.idle = 0
        for f in starts.get(t, ()):
            e._start_failure(t, f)
        for f in ends.get(t, ()):
            e._end_failure(t, f)
        idle = e.idle > 0
        if t < T:
            j_on, j_aws = jitter[t]
        else:
            j_on = j_aws = 1.0
        off_on = 0.0 if idle else base_on * j_on
        off_aws = 0.0 if idle else base_aws * j_aws

        # Reachability and timers -----------------------------------------------------------------
        for tun in tuns:
            gw = gws[tun.cgw]
            if tun.ok and not idle and tun.aws_sa and tun.cgw_sa:
                # Both ends heard each other last second: no timer can fire, nobody needs to initiate.
                tun.path = gw.alive and gw.link and tun.endpoint_back is None and tun.configured
                continue
            if tun.endpoint_back == t:
                tun.endpoint_back = None
                rec.event(t, "health-notice", M("Tunnel endpoint replacement notification (AWS Health)"), tun)
                if tun.aws_initiates:
                    tun.aws_init_at = t
                rec.step(t, M("The new endpoint of {tunnel} is in service (same outside IP {ip}) but has no IKE "
                              "SA; AWS Health sends a tunnel endpoint replacement notification. {who}", tunnel=tun.id,
                              ip=tun.ip, who=e._who_initiates(tun)))
                if tun.operator_test and gw.alive:
                    # The person who changed the key or the proposals tests the tunnel from the customer
                    # gateway: it drops its old SA and negotiates with the new endpoint.
                    tun.operator_test = False
                    tun.cgw_sa = tun.bgp_cgw = False
                    tun.cgw_want = True
                    tun.cgw_init_at = t
                    rec.step(t, M("Whoever changed the options of {tunnel} tests the tunnel: {gateway} drops its old "
                                  "SA and initiates IKE towards the new endpoint.", tunnel=tun.id, gateway=gw_name(gw)))
            tun.path = gw.alive and gw.link and tun.endpoint_back is None and tun.configured
            if tun.aws_sa and t - tun.aws_heard > D:
                e._aws_dpd(t, tun)
            if tun.bgp_aws and t - tun.bgp_ok > hold:
                tun.bgp_aws = False
                rec.bgp(t, tun, "DOWN", L.BGP_HOLD_EXPIRED.format(ip=tun.cgw_inside))
                rec.event(t, "bgp-down", M("hold timer expired ({seconds} s without a keepalive)", seconds=hold), tun)
                rec.event(t, "route-withdrawn", M("on-premises routes learned over {tunnel} withdrawn", tunnel=tun.id), tun)
                rec.step(t, M("AWS heard no BGP keepalive over {tunnel} for {seconds} s (hold time): it drops "
                              "the session and withdraws the on-premises routes learned over it.", tunnel=e._tname(tun),
                              seconds=hold))
            if gw.alive:
                if tun.cgw_sa and t - tun.cgw_heard >= gw.dpd_delay:
                    e._cgw_dpd(t, tun, gw)
                if tun.bgp_cgw and t - tun.bgp_ok > hold:
                    tun.bgp_cgw = False
                    rec.step(t, M("{gateway}'s BGP session over {tunnel} expires too: it stops using the tunnel "
                                  "and stops advertising the VPC route to the office routers through it.",
                                  gateway=gw_name(gw), tunnel=tun.id))
                if idle and tun.cgw_sa and not tun.aws_initiates and t - tun.last_traffic > idle_to:
                    tun.cgw_sa = tun.bgp_cgw = False
                    tun.cgw_init_at = t + 1
                    rec.step(t, M("{tunnel} has carried nothing for more than {seconds} s. The customer gateway lets "
                                  "its idle SA lapse without telling AWS (AWS: 'a period of idle time ... the tunnel "
                                  "might go down' when AWS does not initiate).", tunnel=tun.id, seconds=idle_to))

        # Initiation --------------------------------------------------------------------------------
        for tun in tuns:
            if tun.aws_sa and tun.cgw_sa:
                continue
            if not tun.aws_sa and tun.aws_init_at is not None and t >= tun.aws_init_at and tun.endpoint_back is None:
                e._attempt(t, tun, by_aws=True)
            gw = gws[tun.cgw]
            if (gw.alive and not tun.cgw_sa and tun.cgw_init_at is not None and t >= tun.cgw_init_at
                    and e._cgw_wants(tun, gw)):
                e._attempt(t, tun, by_aws=False)

        # Data plane and BGP ------------------------------------------------------------------------
        for tun in tuns:
            ok = tun.path and tun.aws_sa and tun.cgw_sa
            if ok:
                if not tun.ok:
                    tun.data_since = t
                tun.aws_heard = tun.cgw_heard = tun.bgp_ok = t
                if tun.rekey_at == t:
                    _rekey(e, t, tun)
                if (tun.bgp and not (tun.bgp_aws and tun.bgp_cgw) and t - tun.data_since >= BGP_CONNECT_S
                        and t >= tun.bgp_retry_at):
                    _bgp_up(e, t, tun)
            elif tun.rekey_at <= t:
                tun.rekey_at = e._next_rekey(t)
            tun.ok = ok

        # Paths -------------------------------------------------------------------------------------
        # Paths depend only on these flags (and on time while an on-premises timer runs): when
        # nothing changed since the last second, the last second's choice still holds.
        sig = [(x.aws_sa, x.bgp_aws, x.cgw_sa, x.bgp_cgw, x.ok) for x in tuns]
        sig.append((idle, off_aws > 0))
        sig.extend((g.alive, g.link) for g in gws)
        timers = any(g.bad_since is not None for g in gws)
        if sig != last_sig or timers:
            last_sig = sig
            cands = [x for x in tuns if x.aws_sa and (not x.bgp or x.bgp_aws)]
            if e.ecmp:
                egress = tuple(x.idx for x in cands)
            else:
                static = [x for x in cands if not x.bgp]
                pool = static or cands
                keep = [x.idx for x in pool if e.egress and x.idx == e.egress[0]]
                egress = tuple(keep) if keep else ((pool[0].idx,) if pool else ())
            if egress != e.egress:
                if t > 0:
                    _tell_egress(e, t, egress)
                e.egress = egress
            for gw in gws:
                gw.usable = [x for x in gw.tunnels if x.cgw_sa and (not x.bgp or x.bgp_cgw)] if gw.alive else []
                gw.frac = (sum(1 for x in gw.usable if x.ok) / len(gw.usable)) if gw.usable else 0.0
            onprem = _onprem_choice(e, t, routing, onprem_ecmp, HC, fo, off_aws)
            frac_on = (sum(1 for i in egress if tuns[i].ok) / len(egress)) if egress else 0.0
            frac_aws = (sum(gws[c].frac for c in onprem) / len(onprem)) if onprem else 0.0
            # Share of on-premises -> VPC traffic per tunnel: office routers spread over gateways,
            # each gateway over its usable tunnels.
            share_in = {}
            for c in onprem:
                usable = gws[c].usable
                for x in usable:
                    share_in[x.idx] = 1.0 / len(onprem) / len(usable)
            hungry = [x for c in onprem if gws[c].alive and not gws[c].usable for x in gws[c].tunnels]
        elif HC and routing == "static" and t % HC == 0:
            onprem = _onprem_choice(e, t, routing, onprem_ecmp, HC, fo, off_aws)

        # Traffic -----------------------------------------------------------------------------------
        if off_aws > 0:
            for x in hungry:  # traffic arrives at a gateway with no usable tunnel: it triggers IKE
                if not x.cgw_sa:
                    x.cgw_want = True
                    if x.cgw_init_at is None:
                        x.cgw_init_at = t + 1
        out_on = off_on > 0 and frac_on < 1.0
        out_aws = off_aws > 0 and frac_aws < 1.0
        if t >= T:
            continue
        share_on = off_on / len(egress) if egress else 0.0
        ping = K > 0 and t % K == 0
        ka = t % bgp_ka == 0
        for tun in tuns:
            i = tun.idx
            d_out = share_on if i in egress else 0.0
            d_in = 0.0
            if tun.ok:
                d_in = share_in.get(i, 0.0) * off_aws
                if ping:
                    d_in += PING_BYTES
                    d_out += PING_BYTES
                if ka and tun.bgp_aws and tun.bgp_cgw:
                    d_in += BGP_KEEPALIVE_BYTES
                    d_out += BGP_KEEPALIVE_BYTES
                if d_in > 0 or d_out > 0:
                    tun.last_traffic = t
            else:
                d_in = 0.0
            tr.data_in[i][t] = d_in
            tr.data_out[i][t] = d_out
            st = tun.aws_sa and (not tun.bgp or tun.bgp_aws)
            if st != tun.state and t > 0:
                kind = "tunnel-up" if st else "tunnel-down"
                rec.event(t, kind, f"TunnelState {int(st)}" + (" (BGP)" if tun.bgp else ""), tun)
            tun.state = st
            tr.state[i][t] = int(st)
            tr.ok[i][t] = int(tun.ok)
            tr.cgw_sa[i][t] = int(tun.cgw_sa)
            tr.endpoint[i][t] = int(tun.endpoint_back is None)
        for gw in gws:
            tr.cgw_status[gw.idx][t] = "down" if not gw.alive else ("link-down" if not gw.link else "up")
        tr.egress[t] = egress
        tr.onprem[t] = onprem
        tr.frac_onprem[t], tr.frac_aws[t] = frac_on, frac_aws
        tr.offered_onprem[t], tr.offered_aws[t] = off_on, off_aws
    tr.outage_end_onprem, tr.outage_end_aws = out_on, out_aws
    tr.up_after_settle = [bool(x.aws_sa and (not x.bgp or x.bgp_aws)) for x in tuns]
    return tr


def _rekey(e: Engine, t: int, tun: Tun) -> None:
    rec, gw = e.rec, e.gws[tun.cgw]
    if tun.ike == "ikev2":
        tun.msg_id += 1
        rec.aws(t, tun, L.AWS_REKEY_REQUEST.format(id=tun.msg_id), "Established", "Rekeying")
        rec.aws(t, tun, L.AWS_REKEY_RESPONSE.format(id=tun.msg_id), "Established", "Established")
    old = tun.child_no
    tun.child_no += 1
    rec.charon(t, gw, "IKE", f"CHILD_SA {tun.name}{{{tun.child_no}}} established with SPIs {e._spi()}_i "
                             f"{e._spi()}_o and TS {e.spec.onprem.cidr} === {e.spec.vpc.cidr}", tun)
    rec.charon(t, gw, "IKE", f"closing CHILD_SA {tun.name}{{{old}}} with SPIs {e._spi()}_i "
                             f"({int(tun.idx * 1000 + t) % 99999} bytes) {e._spi()}_o", tun)
    rec.event(t, "ipsec-negotiation", M("phase 2 rekeyed by AWS (rekey margin and fuzz)"), tun)
    tun.rekey_at = e._next_rekey(t)


def _bgp_up(e: Engine, t: int, tun: Tun) -> None:
    rec = e.rec
    ip = tun.cgw_inside
    for old, new in (("Idle", "Connect"), ("Connect", "OpenSent"), ("OpenSent", "OpenConfirm")):
        rec.bgp(t, tun, "DOWN", L.BGP_STATE.format(old=old, new=new, ip=ip))
    rec.bgp(t, tun, "UP", L.BGP_STATE.format(old="OpenConfirm", new="Established", ip=ip))
    rec.bgp(t, tun, "UP", L.BGP_END_OF_RIB.format(ip=ip))
    tun.bgp_aws = tun.bgp_cgw = True
    rec.event(t, "bgp-up", M("BGP session Established"), tun)
    rec.event(t, "route-advertised", M("{cidr} learned over {tunnel}", cidr=e.spec.onprem.cidr, tunnel=tun.id), tun)
    rec.step(t, M("BGP over {tunnel} is Established again: AWS learns {cidr} through it and the "
                  "customer gateway learns the VPC prefix.", tunnel=tun.id, cidr=e.spec.onprem.cidr))


def _tell_egress(e: Engine, t: int, egress: tuple[int, ...]) -> None:
    gateway = e.spec.gateway.type.upper()
    if not egress:
        e.rec.event(t, "traffic-shift", M("no tunnel left for VPC -> on-premises traffic"))
        e.rec.step(t, M("The {gateway} has no route to {cidr} left: VPC -> on-premises traffic is "
                        "dropped (the propagated route disappears from the VPC route table).", gateway=gateway,
                        cidr=e.spec.onprem.cidr))
        return
    names = Seq(M("{tunnel} ({gateway})", tunnel=e.tuns[i].id, gateway=gw_name(e.gws[e.tuns[i].cgw])) for i in egress)
    e.rec.event(t, "traffic-shift", M("VPC -> on-premises now via {tunnels}", tunnels=", ".join(e.tuns[i].id for i in egress)),
                target=e.tuns[egress[0]].id)
    if len(egress) > 1:
        e.rec.step(t, M("The {gateway} spreads VPC -> on-premises traffic over {names}.", gateway=gateway, names=names))
    else:
        e.rec.step(t, M("The {gateway} now sends VPC -> on-premises traffic through {names}.", gateway=gateway,
                        names=names))


def _onprem_choice(e: Engine, t: int, routing: str, ecmp: bool, hc: int, fo: int, offered: float) -> tuple[int, ...]:
    gws, rec = e.gws, e.rec
    cur = e.onprem
    if routing == "static":
        c = cur[0]
        g = gws[c]
        if g.frac > 0.0 or offered == 0:
            g.bad_since = None
            return cur
        if g.bad_since is None:
            g.bad_since = t
        others = [x for x in gws if x.idx != c and x.frac > 0]
        # A health-check ping sent at one check is judged at the next: the route moves at the
        # first check at least one second after the path broke.
        if hc and t % hc == 0 and t > g.bad_since and others:
            new = (others[0].idx,)
            rec.event(t, "traffic-shift", M("health check moved the on-premises static route to {gateway}", gateway=others[0].key),
                      target=others[0].key)
            rec.step(t, M("The on-premises health check (every {seconds} s) finds {gateway} cannot reach the VPC "
                          "and moves the static route to {other}.", seconds=hc, gateway=gw_name(g),
                          other=gw_name(others[0])))
            e.onprem = new
            g.bad_since = None
            return new
        if not hc and not e.manual_told and t - g.bad_since >= RETRY_S:
            e.manual_told = True
            if len(gws) > 1:
                rec.step(t, M("On premises, the static route still points at {gateway}, which has not delivered "
                              "anything for {seconds} s. No health check is configured, so on-premises -> VPC "
                              "traffic stays lost until a person moves the route.", gateway=gw_name(g),
                              seconds=t - g.bad_since))
            else:
                rec.step(t, M("There is no other customer gateway: on-premises -> VPC traffic stays lost until "
                              "{gateway} works again.", gateway=gw_name(g)))
        return cur
    # cluster or BGP: a gateway is eligible while it can serve; routers notice a loss after `fo` s.
    vis = []
    for g in gws:
        eligible = g.alive and (g.link if routing == "cluster" else any(x.bgp_cgw for x in g.tunnels))
        if eligible:
            g.bad_since = None
        elif g.bad_since is None:
            g.bad_since = t
        # A cluster notices a failed member after `fo` s; with BGP a device that is alive withdraws its
        # routes at once, while a dead one must be noticed by internal routing (`fo` s).
        slow = routing == "cluster" or not g.alive
        if eligible or (slow and g.bad_since is not None and t - g.bad_since < fo):
            vis.append(g.idx)
    if ecmp:
        new: tuple[int, ...] = tuple(vis)
    elif cur and cur[0] in vis:
        new = cur
    else:
        new = (vis[0],) if vis else ()
    if new != cur:
        if new:
            names = Seq((gw_name(gws[i]) for i in new), M(" and "))
            how = M("The cluster fails over") if routing == "cluster" else M("Internal routing converges")
            rec.event(t, "traffic-shift", M("on-premises -> VPC now via {gateways}", gateways=", ".join(gws[i].key for i in new)),
                      target=gws[new[0]].key)
            rec.step(t, M("{how}: the office routers now send VPC traffic to {names}.", how=how, names=names))
        else:
            rec.event(t, "traffic-shift", M("no customer gateway left for on-premises -> VPC traffic"))
            rec.step(t, M("No customer gateway can reach the VPC: on-premises -> VPC traffic is lost."))
        e.onprem = new
    return new


__all__ = ["REPLACEMENT_S", "run"]
