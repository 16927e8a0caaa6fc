"""The simulator's outcome fields agree with its own timeline: the rules of lab/sim/result.py, as
properties over random failure scripts (bounded example counts so the suite stays fast)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab.sim import FAILURE_KINDS, Failure, SimResult, scenario_ids, simulate, valid_targets
from lab.sim.scenarios import load_scenario

DURATION = 600


@st.composite
def runs(draw: st.DrawFn) -> tuple[str, list[Failure]]:
    scenario = draw(st.sampled_from(scenario_ids()))
    spec = load_scenario(scenario)
    kinds = [k.id for k in FAILURE_KINDS if valid_targets(spec, k.id)]
    failures = []
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(kinds))
        target = draw(st.sampled_from(valid_targets(spec, kind)))
        at = draw(st.integers(0, DURATION - 100))
        dur = draw(st.one_of(st.none(), st.integers(1, 400)))
        failures.append(Failure(kind, target, at, dur))
    return scenario, failures


def _run(case: tuple[str, list[Failure]]) -> SimResult:
    scenario, failures = case
    return simulate(scenario, failures, duration_s=DURATION)


PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(runs())
def test_outage_counts_only_seconds_with_offered_traffic_lost(case: tuple[str, list[Failure]]) -> None:
    res = _run(case)
    tr, o = res.trace, res.outcome
    lost_on = sum(1 for t in range(DURATION) if tr.offered_onprem[t] > 0 and tr.frac_onprem[t] < 1.0)
    lost_aws = sum(1 for t in range(DURATION) if tr.offered_aws[t] > 0 and tr.frac_aws[t] < 1.0)
    assert o.outage_s == {"to_onprem": lost_on, "to_aws": lost_aws}
    idle = [t for t in range(DURATION) if tr.offered_onprem[t] == 0 and tr.offered_aws[t] == 0]
    assert o.outage_s["to_onprem"] + o.outage_s["to_aws"] <= 2 * (DURATION - len(idle))


@PROPERTY
@given(runs())
def test_recovery_spans_the_lost_seconds_and_never_the_idle_time_before(case: tuple[str, list[Failure]]) -> None:
    res = _run(case)
    tr, o = res.trace, res.outcome
    lost = [t for t in range(DURATION) if (tr.offered_onprem[t] > 0 and tr.frac_onprem[t] < 1.0)
            or (tr.offered_aws[t] > 0 and tr.frac_aws[t] < 1.0)]
    if lost and lost[-1] == DURATION - 1:
        assert o.recover_s is None
    elif not lost:
        assert o.recover_s == 0
    else:
        assert o.recover_s == lost[-1] + 1 - lost[0]
        assert max(o.outage_s.values()) <= o.recover_s


@PROPERTY
@given(runs())
def test_detection_is_a_reaction_after_the_failure_never_the_failure_itself(case: tuple[str, list[Failure]]) -> None:
    o = _run(case).outcome
    assert o.detect_s is None or o.detect_s >= 1


@PROPERTY
@given(runs())
def test_person_needed_agrees_with_the_tunnels_and_the_verdict(case: tuple[str, list[Failure]]) -> None:
    res = _run(case)
    tr, o = res.trace, res.outcome
    first = res.failures[0].at_s
    stuck = [i for i in range(len(tr.state)) if tr.state[i][first] and not tr.up_after_settle[i]]
    if stuck:
        assert o.manual_action_required, "a tunnel that stays down needs a person"
    if o.manual_action_required:
        assert "Recovers on its own" not in o.verdict
        assert o.verdict.startswith("Needs a person")
    else:
        assert not stuck and not (tr.outage_end_onprem or tr.outage_end_aws)
    if o.recover_s is None:
        assert o.manual_action_required or o.verdict.startswith("Still losing")
