"""Option defaults come from the facts file and bad values are refused with every problem named."""

from __future__ import annotations

import pytest

from lab import facts
from lab.errors import InputError
from lab.sim import Overrides, load_scenario, parse_failure
from lab.sim.options import option_catalogue, resolve_settings


def test_defaults_come_from_the_facts() -> None:
    s = resolve_settings(load_scenario("s4"), None)
    assert s.dpd_timeout_s == facts.value("dpd_timeout_default")
    assert s.dpd_timeout_action == facts.value("dpd_timeout_action_default")
    assert s.startup_action == facts.value("startup_action_default")
    assert s.bgp_keepalive_s == facts.value("bgp_keepalive")
    assert s.bgp_hold_s == facts.value("bgp_hold_time")
    assert s.phase2_lifetime_s == facts.value("phase2_lifetime_default")
    assert s.rekey_margin_s == facts.value("rekey_margin_default")
    assert s.idle_timeout_s == facts.value("idle_timeout_typical")


def test_every_option_has_help_text() -> None:
    for opt in option_catalogue(load_scenario("s3")):
        assert opt.label and len(opt.help) > 20


def test_dpd_timeout_below_the_minimum_is_refused() -> None:
    with pytest.raises(InputError, match="below the minimum 30"):
        resolve_settings(load_scenario("s4"), Overrides(dpd_timeout_s=10))


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InputError) as exc:
        resolve_settings(load_scenario("s4"), Overrides(dpd_timeout_action="drop", bgp_keepalive_s=40,
                                                        health_check_s=10))
    text = str(exc.value)
    assert "DPD timeout action" in text and "BGP keepalive" in text and "Health check" in text


def test_phase2_must_be_shorter_than_phase1() -> None:
    with pytest.raises(InputError, match="less than the phase 1"):
        resolve_settings(load_scenario("s1"), Overrides(phase1_lifetime_s=1000, phase2_lifetime_s=1200))


def test_rekey_margin_at_most_half_of_phase2() -> None:
    with pytest.raises(InputError, match="at most half"):
        resolve_settings(load_scenario("s1"), Overrides(phase2_lifetime_s=900, rekey_margin_s=500))


def test_failure_syntax_reads_target_time_and_duration() -> None:
    f = parse_failure("cgw-down:cgw-b@60+120")
    assert (f.kind, f.target, f.at_s, f.duration_s, f.end_s) == ("cgw-down", "cgw-b", 60, 120, 180)


def test_bad_failure_syntax_says_how_to_write_it() -> None:
    with pytest.raises(InputError, match=r"KIND\[:TARGET\]@SECONDS"):
        parse_failure("cgw-down at 60")
