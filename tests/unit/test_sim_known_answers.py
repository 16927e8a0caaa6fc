"""The issue's known answers, pinned: each derived from the documented mechanics and the facts' timers."""

from __future__ import annotations

from lab import facts
from lab.sim import Failure, Overrides, simulate

CGW_A_DOWN = [Failure("cgw-down", "cgw-a", 60)]
IDLE = [Failure("idle", "all", 60, 300)]
REPLACE_T1 = [Failure("endpoint-replacement", "tunnel-1", 120)]


def test_s4_cgw_a_down_fails_over_within_bgp_hold_or_dpd() -> None:
    out = simulate("s4", CGW_A_DOWN).outcome
    bound = min(facts.value("bgp_hold_time"), facts.value("dpd_timeout_default"))
    assert 0 < out.outage_s["to_onprem"] <= bound
    assert out.recover_s is not None and out.recover_s <= bound


def test_s4_cgw_a_down_for_good_needs_a_person_for_its_tunnels() -> None:
    """Traffic recovers through gateway B, but gateway A's tunnels stay down: redundancy is lost."""
    out = simulate("s4", CGW_A_DOWN).outcome
    assert out.manual_action_required is True
    assert "Recovers on its own" not in out.verdict and "on its own" not in out.verdict
    assert f"traffic recovers through the other tunnels after {out.recover_s} s" in out.verdict
    assert "cgw-a stays down and tunnel-1, tunnel-2 with it; a person must restore it" in out.verdict


def test_s3_and_s4_say_both_in_korean_too() -> None:
    """The page shows the verdict in the page's language: the recovery time and that a person must restore cgw-a."""
    for scenario in ("s3", "s4"):
        out = simulate(scenario, CGW_A_DOWN).outcome
        ko = out.verdict_text("ko")
        assert f"트래픽은 {out.recover_s}초 뒤 다른 터널로 복구되지만" in ko
        assert "cgw-a이(가) 다운 상태로 남고 tunnel-1, tunnel-2도 함께 다운됩니다. 사람이 디바이스를 복구해야 합니다" in ko
        assert "스스로 복구" not in ko
        assert out.verdict_text("en") == out.verdict


def test_s4_traffic_moves_to_gateway_b_on_its_own() -> None:
    res = simulate("s4", CGW_A_DOWN)
    last = res.trace.egress[-1]
    assert [res.trace.egress[-1], res.trace.onprem[-1]] == [last, (1,)]
    assert all(res.scenario.tunnel_rows()[i][3].key == "cgw-b" for i in last)
    assert not any(e.kind == "manual-action" for e in res.snapshot.events)


def test_s3_includes_the_articles_health_check_by_default() -> None:
    """The health check moves the office's traffic within one interval; the dead device still needs a person."""
    out = simulate("s3", CGW_A_DOWN).outcome
    assert 0 < out.outage_s["to_aws"] <= 10
    assert out.recover_s is not None, "traffic recovers on its own"
    assert out.manual_action_required is True, "device A's tunnels stay down until it is repaired"


def test_s3_without_health_check_needs_a_person() -> None:
    out = simulate("s3", CGW_A_DOWN, overrides=Overrides(health_check_s=0)).outcome
    assert out.manual_action_required is True
    assert out.recover_s is None
    assert out.outage_s["to_aws"] == 600 - 60  # on-premises -> VPC down until the end


def test_s3_aws_side_recovers_after_dpd() -> None:
    out = simulate("s3", CGW_A_DOWN).outcome
    assert out.outage_s["to_onprem"] == facts.value("dpd_timeout_default")


def test_s3_with_health_check_outage_bounded_by_its_interval() -> None:
    out = simulate("s3", CGW_A_DOWN, overrides=Overrides(health_check_s=15)).outcome
    assert 0 < out.outage_s["to_aws"] <= 15
    assert out.recover_s is not None
    assert out.manual_action_required is True  # gateway A and its tunnels stay down


def test_s1_single_gateway_down_never_recovers() -> None:
    out = simulate("s1", CGW_A_DOWN).outcome
    assert out.recover_s is None
    assert out.manual_action_required is True
    assert out.outage_s == {"to_onprem": 540, "to_aws": 540}


def test_idle_with_clear_and_add_goes_down_until_onprem_sends() -> None:
    res = simulate("s1", IDLE)  # defaults: DPD action clear, startup action add, no keepalive
    state = res.trace.state[0]
    assert state[200] == 0 and state[359] == 0  # down while idle
    assert state[361] == 1  # back once on-premises traffic resumes at 360 s
    assert res.outcome.down_s["tunnel-1"] > 200


def test_idle_with_dpd_restart_stays_up() -> None:
    res = simulate("s1", IDLE, overrides=Overrides(dpd_timeout_action="restart"))
    assert res.outcome.down_s == {"tunnel-1": 0, "tunnel-2": 0}


def test_idle_with_keepalive_ping_stays_up() -> None:
    res = simulate("s1", IDLE, overrides=Overrides(keepalive_s=5))
    assert res.outcome.down_s == {"tunnel-1": 0, "tunnel-2": 0}
    assert not any(e.kind == "dpd-timeout" for e in res.snapshot.events)


def test_replacement_ikev1_add_stays_down_while_tunnel_2_carries_traffic() -> None:
    res = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev1", startup_action="add"))
    assert res.trace.state[0][-1] == 0  # tunnel 1 never comes back: nobody initiates
    assert res.outcome.down_s["tunnel-2"] == 0
    assert res.outcome.outage_s["to_onprem"] == 0
    assert sum(res.trace.data_in[1][130:]) > 0  # on-premises -> VPC keeps flowing on tunnel 2


def test_replacement_ikev1_add_returns_when_customer_gateway_initiates() -> None:
    res = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev1", cgw_initiates="always"))
    up_again = next(t for t in range(121, 600) if res.trace.state[0][t])
    initiated = [e for e in res.snapshot.events if e.kind == "ike-negotiation" and "initiated by Customer" in e.detail]
    assert initiated and res.seconds(initiated[0].time) == up_again


def test_replacement_ikev2_start_aws_brings_it_back() -> None:
    res = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev2", startup_action="start",
                                                        cgw_initiates="never"))
    assert res.trace.state[0][-1] == 1
    assert any(e.kind == "ike-negotiation" and "initiated by AWS" in e.detail for e in res.snapshot.events)
    assert res.outcome.down_s["tunnel-1"] < 120


def test_startup_start_with_ikev1_does_not_make_aws_initiate() -> None:
    res = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev1", startup_action="start",
                                                        cgw_initiates="never"))
    assert res.trace.state[0][-1] == 0


def test_replacement_with_only_one_tunnel_configured_stops_traffic() -> None:
    both = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev1")).outcome
    one = simulate("s1", REPLACE_T1, overrides=Overrides(ike_version="ikev1", cgw_tunnels=1,
                                                        cgw_initiates="never")).outcome
    assert both.outage_s["to_onprem"] == 0
    assert one.outage_s["to_onprem"] == 600 - 120
    assert one.manual_action_required is True
