"""Audit rules on a VpnConnection: each fires when it should and stays quiet otherwise."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from lab import facts
from lab.errors import DataError
from lab.facts import audit
from lab.model import METRIC_TUNNEL_STATE, Maintenance, Tunnel, TunnelOptions, TunnelSeries, VpnConnection

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
GOOD = TunnelOptions(
    dpd_timeout_action="restart",
    startup_action="start",
    ike_versions=("ikev2",),
    phase1_integrity=("SHA2-256",),
    phase2_integrity=("SHA2-256",),
    phase1_dh_groups=(20,),
    phase2_dh_groups=(20,),
    log_enabled=True,
)


def _conn(*tunnels: Tunnel, routing: str = "bgp") -> VpnConnection:
    return VpnConnection(id="vpn-0a3f9c21d4e5b6a70", tunnels=tunnels, routing=routing)  # type: ignore[arg-type]


def _up(ip: str = "203.0.113.10", options: TunnelOptions = GOOD) -> Tunnel:
    return Tunnel(ip, options=options, status="UP")


def _rules(c: VpnConnection) -> list[str]:
    return [f.rule for f in audit.audit(c, NOW)]


def test_healthy_connection_has_no_findings() -> None:
    assert _rules(_conn(_up(), _up("203.0.113.138"))) == []


def test_tunnel_down_is_high_and_quotes_the_status_message() -> None:
    down = Tunnel("203.0.113.138", options=GOOD, status="DOWN", status_message="IPSEC IS DOWN", last_status_change=NOW - timedelta(minutes=20))
    (f,) = [f for f in audit.audit(_conn(_up(), down), NOW) if f.rule == "tunnel-down"]
    assert f.severity == "high"
    assert "Tunnel 2" in f.message and "IPSEC IS DOWN" in f.message


def test_single_tunnel_fires_after_the_health_notice_threshold() -> None:
    hours = float(facts.value("single_tunnel_notice_threshold"))
    long_down = Tunnel("203.0.113.138", options=GOOD, status="DOWN", last_status_change=NOW - timedelta(hours=hours + 1))
    assert "single-tunnel" in _rules(_conn(_up(), long_down))


def test_single_tunnel_stays_quiet_for_a_short_blip() -> None:
    blip = Tunnel("203.0.113.138", options=GOOD, status="DOWN", last_status_change=NOW - timedelta(minutes=10))
    assert "single-tunnel" not in _rules(_conn(_up(), blip))


def _state_series(ip: str, down_minutes: set[int], period_s: int = 300) -> TunnelSeries:
    """A day of per-tunnel TunnelState (Average, 5-minute periods) ending at NOW; listed periods are down."""
    n = 24 * 3600 // period_s
    stamps = tuple(NOW - timedelta(seconds=period_s * (n - i)) for i in range(n))
    values = tuple(0.0 if i in down_minutes else 1.0 for i in range(n))
    return TunnelSeries("vpn-0a3f9c21d4e5b6a70", ip, METRIC_TUNNEL_STATE, "Average", period_s, stamps, values)


def test_single_tunnel_adds_up_several_drops_in_a_day() -> None:
    """Four separate 20-minute drops (80 minutes in the day) fire the rule, as AWS's notice would."""
    drops = {p for start in (10, 60, 120, 200) for p in range(start, start + 4)}  # 4 periods x 5 min each
    series = (_state_series("203.0.113.10", set()), _state_series("203.0.113.138", drops))
    c = _conn(_up(), _up("203.0.113.138"))
    (f,) = [f for f in audit.audit(c, NOW, series) if f.rule == "single-tunnel"]
    assert "80 minutes in the last 24 hours" in f.message
    assert audit.single_tunnel_seconds(c, series, NOW) == 80 * 60


def test_single_tunnel_stays_quiet_under_an_hour_in_a_day() -> None:
    drops = {p for start in (10, 120) for p in range(start, start + 4)}  # 40 minutes
    series = (_state_series("203.0.113.10", set()), _state_series("203.0.113.138", drops))
    assert "single-tunnel" not in [f.rule for f in audit.audit(_conn(_up(), _up("203.0.113.138")), NOW, series)]


def test_both_tunnels_down_together_is_not_single_tunnel_time() -> None:
    both = set(range(10, 30))  # 100 minutes with both tunnels down: an outage, not a single-tunnel connection
    series = (_state_series("203.0.113.10", both), _state_series("203.0.113.138", both))
    assert audit.single_tunnel_seconds(_conn(_up(), _up("203.0.113.138")), series, NOW) == 0


def test_drops_older_than_a_day_do_not_count() -> None:
    series = tuple(
        replace(s, timestamps=tuple(t - timedelta(days=1) for t in s.timestamps))
        for s in (_state_series("203.0.113.10", set()), _state_series("203.0.113.138", set(range(0, 40))))
    )
    assert audit.single_tunnel_seconds(_conn(_up(), _up("203.0.113.138")), series, NOW) == 0


def test_default_options_flag_dpd_clear_with_add() -> None:
    defaults = TunnelOptions()
    assert defaults.dpd_timeout_action == facts.value("dpd_timeout_action_default")
    assert "dpd-clear-with-add" in _rules(_conn(_up(options=defaults), _up("203.0.113.138", defaults)))


def test_dpd_restart_with_add_is_fine() -> None:
    options = replace(GOOD, startup_action="add")
    assert "dpd-clear-with-add" not in _rules(_conn(_up(options=options), _up("203.0.113.138", options)))


def test_ikev1_allowed_is_flagged() -> None:
    options = replace(GOOD, ike_versions=("ikev1", "ikev2"))
    assert _rules(_conn(_up(options=options), _up("203.0.113.138"))) == ["ikev1-allowed"]


@pytest.mark.parametrize(
    ("change", "text"),
    [
        ({"phase1_integrity": ("SHA1", "SHA2-256")}, "integrity SHA1"),
        ({"phase1_dh_groups": (2, 14)}, "phase 1 DH group 2"),
        ({"phase2_dh_groups": (5, 20)}, "phase 2 DH group 5"),
        # RFC 5114's group 22 is a 1024-bit MODP group, as weak as group 2
        ({"phase1_dh_groups": (14, 22)}, "phase 1 DH group 22"),
    ],
)
def test_weak_algorithms_and_groups_are_named(change: dict, text: str) -> None:
    c = _conn(_up(options=replace(GOOD, **change)), _up("203.0.113.138"))
    (f,) = [f for f in audit.audit(c, NOW) if f.rule == "weak-crypto"]
    assert text in f.message


def test_logging_off_is_low() -> None:
    c = _conn(_up(options=replace(GOOD, log_enabled=False)), _up("203.0.113.138"))
    (f,) = audit.audit(c, NOW)
    assert (f.rule, f.severity) == ("logging-off", "low")


def test_static_routing_is_flagged_once_per_connection() -> None:
    c = replace(_conn(_up(), _up("203.0.113.138"), routing="static"), static_routes=("10.40.0.0/16",))
    assert _rules(c) == ["static-routing"]


def test_pending_maintenance_names_the_auto_apply_time() -> None:
    m = Maintenance(pending="Endpoint update", auto_applied_after=NOW + timedelta(days=3))
    c = _conn(replace(_up(), maintenance=m), _up("203.0.113.138"))
    (f,) = audit.audit(c, NOW)
    assert f.rule == "pending-maintenance" and "2026-03-05" in f.message


def test_findings_come_most_severe_first() -> None:
    down = Tunnel("203.0.113.138", status="DOWN")
    severities = [f.severity for f in audit.audit(_conn(_up(options=TunnelOptions()), down), NOW)]
    order = [audit.SEVERITY_ORDER[s] for s in severities]
    assert order == sorted(order)


def test_every_finding_has_explanation_fix_and_aws_doc_link() -> None:
    for f in audit.audit(_conn(Tunnel("203.0.113.10"), Tunnel("203.0.113.138")), NOW):
        assert f.explanation and f.fix and f.doc.startswith("https://docs.aws.amazon.com/")
        assert "{fact:" not in f.explanation + f.fix


def test_rule_texts_and_checks_match() -> None:
    assert set(audit.rules()) == set(audit.CHECKS)


def test_bad_rules_file_names_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "rules.yaml"
    bad.write_text(
        "rules:\n  tunnel-down:\n    severity: urgent\n    title: x\n    message: x\n    explanation: x\n"
        "    fix: x\n    doc: http://example.com\n    colour: red\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        audit.load_rules(bad)
    text = str(err.value)
    assert "rules.yaml" in text and "severity" in text and "doc" in text and "colour" in text


def test_unknown_fact_in_a_rule_is_reported(tmp_path: Path) -> None:
    source = audit.RULES_FILE.read_text(encoding="utf-8").replace("{fact:tunnels_per_connection}", "{fact:no_such_fact}")
    path = tmp_path / "rules.yaml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(DataError, match="no_such_fact"):
        audit.load_rules(path)


def test_down_duration_reads_in_minutes_hours_or_days() -> None:
    """A short outage is said in minutes, not as a fraction of an hour."""
    from datetime import UTC, datetime, timedelta

    from lab.facts.audit import _since
    from lab.model import Tunnel

    now = datetime(2026, 1, 10, tzinfo=UTC)
    tunnel = lambda ago: Tunnel(outside_ip="203.0.113.1", last_status_change=now - ago)  # noqa: E731
    assert _since(tunnel(timedelta(minutes=18)), now) == " for 18 minutes"
    assert _since(tunnel(timedelta(hours=5)), now) == " for 5.0 hours"
    assert _since(tunnel(timedelta(days=3)), now) == " for 3.0 days"
