"""Simulator behaviour beyond the known answers: determinism, series shape, events, timers."""

from __future__ import annotations

import pytest

from lab.errors import InputError, NotFoundError
from lab.model import EVENT_KINDS, METRICS
from lab.sim import FAILURE_KINDS, Failure, Overrides, list_scenarios, load_scenario, simulate
from lab.sim.failures import valid_targets

SCRIPT = [Failure("cgw-down", "cgw-a", 60, 200), Failure("endpoint-replacement", "tunnel-3", 300)]


def test_same_inputs_give_identical_output() -> None:
    a = simulate("s4", SCRIPT, seed=7)
    b = simulate("s4", SCRIPT, seed=7)
    assert a.snapshot == b.snapshot
    assert a.outcome == b.outcome


def test_seed_changes_only_the_jitter_not_the_outcome() -> None:
    a = simulate("s4", SCRIPT, seed=1)
    b = simulate("s4", SCRIPT, seed=2)
    assert a.outcome.outage_s == b.outcome.outage_s
    assert a.snapshot.series != b.snapshot.series


def test_snapshot_has_three_metrics_per_tunnel_at_one_second() -> None:
    snap = simulate("s4").snapshot
    assert snap.source == "simulation"
    assert len(snap.series) == 4 * len(METRICS)
    assert {len(s.values) for s in snap.series} == {600}
    assert {s.period_s for s in snap.series} == {1}


def test_sixty_second_resolution_averages_state_and_sums_bytes() -> None:
    one = simulate("s4", SCRIPT, resolution_s=1).snapshot
    sixty = simulate("s4", SCRIPT, resolution_s=60).snapshot
    key = ("vpn-0a1b2c3d4e5f6004a", "198.51.100.41")
    state1 = next(s for s in one.series if (s.vpn_id, s.tunnel_ip) == key and s.metric == "TunnelState")
    state60 = next(s for s in sixty.series if (s.vpn_id, s.tunnel_ip) == key and s.metric == "TunnelState")
    assert len(state60.values) == 10
    assert state60.values[1] == pytest.approx(sum(state1.values[60:120]) / 60)
    in1 = next(s for s in one.series if (s.vpn_id, s.tunnel_ip) == key and s.metric == "TunnelDataIn")
    in60 = next(s for s in sixty.series if (s.vpn_id, s.tunnel_ip) == key and s.metric == "TunnelDataIn")
    assert in60.values[0] == pytest.approx(sum(in1.values[:60]))


def test_bgp_tunnel_state_is_zero_while_ipsec_is_up_but_bgp_is_down() -> None:
    res = simulate("s4", [Failure("bgp-reset", "tunnel-1", 60)])
    assert res.trace.ok[0][62] == 1  # IPsec carries packets
    assert res.trace.state[0][62] == 0  # but TunnelState counts BGP
    assert res.trace.state[0][-1] == 1


def test_data_out_counts_bytes_sent_into_a_dead_tunnel() -> None:
    res = simulate("s3", [Failure("cgw-down", "cgw-a", 60)])
    assert res.trace.data_out[0][80] > 0  # AWS still sends into tunnel 1 before DPD fires
    assert res.trace.data_in[0][80] == 0


def test_every_event_kind_is_a_domain_event_kind() -> None:
    kinds = set()
    for spec in list_scenarios():
        for fk in FAILURE_KINDS:
            targets = valid_targets(spec, fk.id)
            if targets:
                res = simulate(spec.id, [Failure(fk.id, targets[0], 60, 400)])
                kinds |= {e.kind for e in res.snapshot.events}
    assert kinds <= set(EVENT_KINDS)
    assert {"dpd-timeout", "bgp-down", "tunnel-down", "tunnel-up", "traffic-shift", "auth-failure",
            "proposal-mismatch", "ike-sa-deleted", "endpoint-replacement"} <= kinds


def test_dpd_action_none_keeps_the_black_hole() -> None:
    res = simulate("s3", [Failure("cgw-down", "cgw-a", 60)], overrides=Overrides(dpd_timeout_action="none"))
    assert res.outcome.outage_s["to_onprem"] == 540
    assert res.trace.state[0][-1] == 1


def test_shorter_dpd_timeout_shortens_the_static_outage() -> None:
    res = simulate("s3", [Failure("cgw-down", "cgw-a", 60)], overrides=Overrides(dpd_timeout_s=30))
    assert res.outcome.outage_s["to_onprem"] == 30


def test_psk_mismatch_fails_until_fixed() -> None:
    res = simulate("s1", [Failure("psk-mismatch", "tunnel-1", 60, 300)], overrides=Overrides(cgw_initiates="always"))
    failures = [e for e in res.snapshot.events if e.kind == "auth-failure"]
    assert failures and res.seconds(failures[0].time) < 360
    assert res.trace.state[0][-1] == 1


def test_ecmp_on_tgw_loses_only_a_share() -> None:
    s4 = simulate("s4", [Failure("cgw-down", "cgw-a", 60)]).outcome
    s5 = simulate("s5", [Failure("cgw-down", "cgw-a", 60)]).outcome
    assert s5.lost_pct["to_onprem"] < s4.lost_pct["to_onprem"]
    assert simulate("s5").trace.egress[10] == (0, 1, 2, 3)


def test_explanation_steps_are_in_time_order() -> None:
    steps = simulate("s3", SCRIPT[:1], overrides=Overrides(health_check_s=10)).outcome.explanation
    assert steps and [t for t, _ in steps] == sorted(t for t, _ in steps)
    assert any("health check" in text for _, text in steps)


def test_no_failure_means_no_outage() -> None:
    out = simulate("s2").outcome
    assert out.outage_s == {"to_onprem": 0, "to_aws": 0}
    assert out.detect_s is None and out.recover_s == 0


def test_unknown_scenario_lists_the_choices() -> None:
    with pytest.raises(NotFoundError) as exc:
        load_scenario("s9")
    assert exc.value.choices == ["s1", "s2", "s3", "s4", "s5"]


def test_failure_after_the_end_is_refused() -> None:
    with pytest.raises(InputError, match="outside the run"):
        simulate("s4", [Failure("cgw-down", "cgw-a", 700)])


def test_unknown_target_lists_the_choices() -> None:
    with pytest.raises(NotFoundError) as exc:
        simulate("s1", [Failure("cgw-down", "cgw-b", 60)])
    assert exc.value.choices == ["cgw-a"]


def test_bgp_reset_has_no_target_in_a_static_scenario() -> None:
    with pytest.raises(InputError, match="no valid target"):
        simulate("s3", [Failure("bgp-reset", "", 60), Failure("idle", "all", 60)])
