"""`simulate()`: run a scenario under a failure script and return a Snapshot plus the outcome.

The Snapshot is the domain model every consumer reads (source "simulation"): connections with
their options and end status, CloudWatch-shaped series per tunnel (TunnelState Average,
TunnelDataIn/Out Sum at 1 s or 60 s), events and log records. The Outcome holds what a learner
asks first: how long each direction was down, when it was noticed, when it recovered, whether a
person had to act, and why, step by step.

Outcome rules (each one is a property test over random failure scripts, tests/unit/test_sim_outcome.py):
1. `outage_s[d]` counts the seconds of the run in which traffic was offered in direction d and some
   of it was lost. A second in which nothing was offered (idle) is never an outage second.
2. `recover_s` is None when traffic is still being lost in the run's last second. Otherwise it is 0
   when nothing was lost, else the span from the first lost second to the end of the last one; so
   `outage_s[d] <= recover_s`, and an idle period before the loss does not count.
3. `detect_s` is the time from the first failure to the first event strictly after that second at
   which some side reacts (a DPD timeout, a BGP session down, a received Delete, a tunnel down, a
   route withdrawn, a traffic shift); what the failure itself emits in its own second is not its
   detection. None when nothing reacted; otherwise at least 1.
4. `manual_action_required` is True when, after the settle period (automatic mechanisms get one
   more chance, and an idle period is over), traffic is still lost or a tunnel that was UP when the
   first failure started is still DOWN. Then the verdict never says the run recovers on its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from lab import facts
from lab.errors import InputError
from lab.i18n import N_
from lab.model import (
    METRIC_DATA_IN,
    METRIC_DATA_OUT,
    METRIC_TUNNEL_STATE,
    Event,
    LogRecord,
    Snapshot,
    Tunnel,
    TunnelOptions,
    TunnelSeries,
    VpnConnection,
)
from lab.sim.engine import Engine, Trace
from lab.sim.failures import Failure, resolve_failures
from lab.sim.loop import run
from lab.sim.options import Overrides, Settings, resolve_settings
from lab.sim.scenarios import ScenarioSpec, load_scenario

DEFAULT_START = datetime(2026, 1, 15, 9, 0, 0, tzinfo=UTC)
MAX_DURATION_S = 24 * 3600
REACTION_KINDS = ("dpd-timeout", "bgp-down", "tunnel-down", "route-withdrawn", "traffic-shift", "ike-sa-deleted")


@dataclass(frozen=True)
class Outcome:
    outage_s: dict[str, int]  # to_onprem (VPC -> on-premises), to_aws (on-premises -> VPC)
    lost_pct: dict[str, float]  # share of the offered traffic lost over the run, per direction
    detect_s: int | None  # first failure -> first reaction (DPD, hold timer, route move, ...)
    recover_s: int | None  # first failure -> end of the last outage second; None: not recovered
    manual_action_required: bool
    down_s: dict[str, int]  # tunnel id -> seconds with TunnelState 0
    explanation: tuple[tuple[int, str], ...]
    verdict: str  # in English (JSON, logs); verdict_text() gives it in the page's language
    verdict_template: str = ""  # the catalogue message the verdict was filled from
    verdict_values: dict[str, object] = field(default_factory=dict)

    def verdict_text(self, lang: str | None = None) -> str:
        """The verdict in `lang` (default: the current language)."""
        if not self.verdict_template:
            return self.verdict
        from lab.i18n import t

        return t(self.verdict_template, lang, **self.verdict_values)


@dataclass(frozen=True)
class SimResult:
    scenario: ScenarioSpec
    settings: Settings
    failures: tuple[Failure, ...]
    duration_s: int
    seed: int
    snapshot: Snapshot
    outcome: Outcome
    trace: Trace

    def seconds(self, ts: datetime) -> int:
        start = self.snapshot.start or DEFAULT_START
        return int((ts - start).total_seconds())


def simulate(
    scenario_id: str,
    failures: Sequence[Failure] = (),
    *,
    duration_s: int = 600,
    overrides: Overrides | None = None,
    seed: int = 0,
    resolution_s: int = 1,
    start: datetime = DEFAULT_START,
) -> SimResult:
    """Simulate one scenario; same inputs and seed give identical output."""
    spec = load_scenario(scenario_id)
    if not 10 <= duration_s <= MAX_DURATION_S:
        raise InputError(f"Duration {duration_s} s is outside 10 to {MAX_DURATION_S} s.")
    if resolution_s not in (1, 60):
        raise InputError(f"Resolution {resolution_s} s is not supported; use 1 or 60.")
    settings = resolve_settings(spec, overrides)
    script = resolve_failures(spec, failures, duration_s)
    engine = Engine(spec, settings, script, duration_s, seed, start)
    trace = run(engine)
    outcome = _outcome(engine, trace, script)
    snapshot = _snapshot(engine, trace, resolution_s, start)
    return SimResult(spec, settings, tuple(script), duration_s, seed, snapshot, outcome, trace)


def _outcome(e: Engine, tr: Trace, script: list[Failure]) -> Outcome:
    T = tr.duration_s
    lost_on = [tr.offered_onprem[t] > 0 and tr.frac_onprem[t] < 1.0 for t in range(T)]
    lost_aws = [tr.offered_aws[t] > 0 and tr.frac_aws[t] < 1.0 for t in range(T)]
    off_on, off_aws = sum(tr.offered_onprem), sum(tr.offered_aws)
    bytes_on = sum(o * (1 - f) for o, f in zip(tr.offered_onprem, tr.frac_onprem, strict=True))
    bytes_aws = sum(o * (1 - f) for o, f in zip(tr.offered_aws, tr.frac_aws, strict=True))
    first = script[0].at_s if script else None
    detect = None
    if first is not None:
        detect = next((ev[0] - first for ev in e.rec.events if ev[1] in REACTION_KINDS and ev[0] > first), None)
    lost_any = [a or b for a, b in zip(lost_on, lost_aws, strict=True)]
    ongoing = lost_any[-1] if T else False
    lost_seconds = [t for t in range(T) if lost_any[t]]
    if ongoing:
        recover = None
    elif not lost_seconds:
        recover = 0
    else:
        recover = lost_seconds[-1] + 1 - lost_seconds[0]
    down = {tun.id: T - sum(tr.state[tun.idx]) for tun in e.tuns}
    stuck: list[str] = []
    if first is not None and first < T and tr.up_after_settle is not None:
        stuck = [tun.id for tun in e.tuns if tr.state[tun.idx][first] and not tr.up_after_settle[tun.idx]]
    manual = bool((ongoing and (tr.outage_end_onprem or tr.outage_end_aws)) or stuck)
    outage = {"to_onprem": sum(lost_on), "to_aws": sum(lost_aws)}
    devices = sorted({f.target for f in script if f.kind in _DEVICE_FAILURES and f.end_s is None and f.target})
    verdict, values = _verdict(outage, recover, manual, ongoing, bool(script), stuck, devices)
    return Outcome(
        outage_s=outage,
        lost_pct={"to_onprem": round(100 * bytes_on / off_on, 1) if off_on else 0.0,
                  "to_aws": round(100 * bytes_aws / off_aws, 1) if off_aws else 0.0},
        detect_s=detect,
        recover_s=recover,
        manual_action_required=manual,
        down_s=down,
        explanation=tuple(e.rec.steps),
        verdict=verdict.format(**values),
        verdict_template=verdict,
        verdict_values=values,
    )


_DEVICE_FAILURES = ("cgw-down", "cgw-link-down")


def _verdict(outage: dict[str, int], recover: int | None, manual: bool, ongoing: bool, failed: bool,
             stuck: list[str] | None = None, devices: list[str] | None = None) -> tuple[str, dict[str, object]]:
    """The verdict as a catalogue message and its values (rule 4: never "on its own" while a person is needed)."""
    if not failed:
        return N_("No failure injected: traffic flows all the time."), {}
    stuck = stuck or []
    if manual and not ongoing and stuck:
        values: dict[str, object] = {"tunnels": ", ".join(stuck), "recover": recover, "devices": ", ".join(devices or [])}
        lost = bool(outage["to_onprem"] or outage["to_aws"])
        if devices:
            if lost:
                return N_("Needs a person: traffic recovers through the other tunnels after {recover} s, but {devices} "
                          "stays down and {tunnels} with it; a person must restore it (redundancy is lost until "
                          "then)."), values
            return N_("Needs a person: no traffic was lost, but {devices} stays down and {tunnels} with it; a person "
                      "must restore it (redundancy is lost until then)."), values
        if lost:
            return N_("Needs a person: traffic recovers through the other tunnels after {recover} s, but the tunnels "
                      "{tunnels} stay down and nothing automatic brings them back (redundancy is lost)."), values
        return N_("Needs a person: no traffic was lost, but the tunnels {tunnels} stay down and nothing automatic "
                  "brings them back (redundancy is lost)."), values
    if manual:
        return N_("Needs a person: traffic is still lost at the end and nothing automatic will fix it."), {}
    if ongoing:
        return N_("Still losing traffic at the end of the run; it would recover on its own later."), {}
    if not outage["to_onprem"] and not outage["to_aws"]:
        return N_("No traffic lost."), {}
    return (N_("Recovers on its own after {recover} s (VPC -> on-premises lost {to_onprem} s, on-premises -> VPC "
               "lost {to_aws} s)."), {"recover": recover, **outage})


def _options(s: Settings, ike: str | None) -> dict[str, object]:
    return {
        "dpd_timeout_s": s.dpd_timeout_s,
        "dpd_timeout_action": s.dpd_timeout_action,
        "startup_action": s.startup_action,
        "ike_versions": (ike,) if ike else tuple(facts.value("ike_versions_default")),
        "phase1_lifetime_s": s.phase1_lifetime_s,
        "phase2_lifetime_s": s.phase2_lifetime_s,
        "rekey_margin_s": s.rekey_margin_s,
        "rekey_fuzz_pct": s.rekey_fuzz_pct,
        "replay_window_size": int(facts.value("replay_window_default")),
    }


def _snapshot(e: Engine, tr: Trace, res: int, start: datetime) -> Snapshot:
    T = tr.duration_s
    spec = e.spec
    opts = _options(e.s, e.s.ike_version)
    conns = []
    for ci, conn in enumerate(spec.connections):
        gw = spec.cgw(conn.customer_gateway)
        tunnels = []
        for tun in [x for x in e.tuns if x.conn_idx == ci]:
            states = tr.state[tun.idx]
            last_change = max((t for t in range(1, T) if states[t] != states[t - 1]), default=0)
            up = states[-1] == 1
            tunnels.append(Tunnel(
                outside_ip=tun.ip,
                options=TunnelOptions(**opts, inside_cidr=conn.tunnels[tun.idx % 2].inside_cidr),  # type: ignore[arg-type]
                status="UP" if up else "DOWN",
                status_message="" if tr.ok[tun.idx][-1] or up else "IPSEC IS DOWN",
                last_status_change=start + timedelta(seconds=last_change),
                accepted_route_count=1 if (up and tun.bgp) else 0,
                availability_zone=tun.az,
            ))
        conns.append(VpnConnection(
            id=conn.id, tunnels=tuple(tunnels), routing=conn.routing, name=conn.name,
            gateway_type=spec.gateway.type, gateway_id=spec.gateway.id, customer_gateway_id=gw.id,
            customer_gateway_ip=gw.ip, static_routes=tuple(conn.static_routes),
            # the lab's connections keep AWS's default selector pair (route-based, 0.0.0.0/0 both ways)
            local_ipv4_cidr=str(facts.value("connection_cidr_default")),
            remote_ipv4_cidr=str(facts.value("connection_cidr_default")),
        ))
    series = []
    buckets = range(0, T, res)
    stamps = tuple(start + timedelta(seconds=b) for b in buckets)
    for tun in e.tuns:
        i = tun.idx
        for metric, data, stat in ((METRIC_TUNNEL_STATE, tr.state[i], "Average"),
                                   (METRIC_DATA_IN, tr.data_in[i], "Sum"),
                                   (METRIC_DATA_OUT, tr.data_out[i], "Sum")):
            if res == 1:
                values = tuple(float(v) for v in data)
            elif stat == "Average":
                values = tuple(sum(data[b:b + res]) / len(data[b:b + res]) for b in buckets)
            else:
                values = tuple(float(sum(data[b:b + res])) for b in buckets)
            series.append(TunnelSeries(tun.vpn_id, tun.ip, metric, stat, res, stamps, values))
    events = tuple(Event(start + timedelta(seconds=t), kind, detail, vpn, ip, target)
                   for t, kind, detail, vpn, ip, target in e.rec.events)
    logs = tuple(LogRecord(text=line, format=fmt, line_no=n + 1, time=start + timedelta(seconds=t),
                           vpn_id=vpn, tunnel_ip=ip, fields=fields)
                 for n, (t, fmt, line, vpn, ip, fields) in enumerate(e.rec.logs))
    label = f"{spec.title}: " + (", ".join(f.label() for f in e.failures) or "no failure")
    return Snapshot(source="simulation", label=label, connections=tuple(conns), series=tuple(series),
                    events=events, logs=logs, start=start, end=start + timedelta(seconds=T))
