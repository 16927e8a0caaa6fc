"""The analyzer on real FRR 8.4 and BIRD 2.0 logs whose cause is known by construction (tests/data/bgp-lab).

Two BGP speakers in network namespaces, each scenario with one configuration difference or one action (see the
folder's README.md). Every side that shows the cause must be read as it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lab.analyzer import analyze_text

LAB = Path(__file__).resolve().parent.parent / "data" / "bgp-lab"
SCENARIOS = yaml.load((LAB / "scenarios.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["scenarios"]
# bgpd without zebra (the lab's -Z) and the daemons' own start-up lines (ExaBGP's banner names the lab's host and
# folders)
_LAB_ONLY = re.compile(r"zclient_send_message|<INFO> Started|"
                       r"^\d\d:\d\d:\d\d \| \d+ +\| (?:welcome|version|interpreter|os|installation|cli|cli control) +\|")
# where the harness stops the daemons: FRR, BIRD, GoBGP, ExaBGP, OpenBGPD (its parent's orderly stop, or a child that
# sees the parent go first)
_STOPPED = re.compile(r"Terminating on signal|<INFO> Shutting down|stopping gobgpd server|\| SIGTERM received|"
                      r"^waiting for children to terminate$|^peer closed imsg connection$")


def excerpt(name: str, side: str) -> str:
    """One daemon's log as an engineer copies it: up to the moment the lab stopped the daemons."""
    out = []
    for line in (LAB / name / f"{side}.log").read_text(encoding="utf-8").splitlines(keepends=True):
        if _STOPPED.search(line):
            break
        if not _LAB_ONLY.search(line):
            out.append(line)
    return "".join(out)


def paste(name: str, side: str) -> str:
    return excerpt(name, "L") + excerpt(name, "R") if side == "B" else excerpt(name, side)


# (sides listed under not_read in scenarios.yaml are those the analyzer cannot tell yet, with the reason)
CASES = [(s["name"], side, s["expected"]) for s in SCENARIOS for side in s["sides"]
         if side not in (s.get("not_read") or {})]


@pytest.mark.parametrize(("name", "side", "expected"), CASES, ids=[f"{n}-{s}" for n, s, _ in CASES])
def test_each_side_names_the_cause_the_scenario_built(name: str, side: str, expected: str) -> None:
    primary = analyze_text(paste(name, side)).primary
    assert (primary.category if primary else "none") == expected


def test_a_connection_collision_closes_a_connection_not_the_session() -> None:
    # both FRR speakers connected at once: each closes one connection with Cease 6/7 and the session stays up
    text = paste("bgp-frr-frr-healthy", "B")
    assert "6/7 (Cease/Connection Collision Resolution)" in text
    assert analyze_text(text).primary is None


def test_birds_state_trace_tells_a_lost_session() -> None:
    # BIRD with debug { states } prints no reason when the hold timer ends a session: up, then start again
    text = paste("bgp-frr-bird-hold-expired", "R")
    assert "State changed to up" in text and text.rstrip().endswith("State changed to start")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts.get("peer") == "aws"


def test_birds_own_log_file_is_recognised_as_a_bgp_log() -> None:
    # BIRD's `log "file" all` lines carry no program name ("2026-12-04 08:46:56.043 <RMT> aws: Received: ..."): the
    # message class in brackets after the time tells them, so the page does not call the format unknown
    result = analyze_text(paste("bgp-frr-bird-operator-resets-session", "R"))
    assert result.format == "bgp-generic" and result.primary is None


def test_a_prefix_limit_names_its_reason_on_both_sides() -> None:
    for side in "LR":
        primary = analyze_text(paste("bgp-frr-bird-max-prefix-exceeded", side)).primary
        assert primary is not None and primary.facts.get("bgp_reason") == "max_prefix", side


def test_a_hold_timer_flap_that_recovered_is_still_named() -> None:
    # the path dropped TCP 179 for 14 s: L's hold timer expired and the session came back; the outage happened
    for side in "LB":
        primary = analyze_text(paste("bgp-frr-bird-hold-expired-then-back", side)).primary
        assert primary is not None and primary.facts.get("bgp_reason") == "hold_timer_expired", side


@pytest.mark.parametrize(("name", "side", "reason"), [
    # FRR 8.4's older wording, "EBGP inbound/outbound policy not properly setup", without the neighbor
    ("bgp-frr-frr-no-policy", "L", "no_policy"),
    ("bgp-frr-frr-afi-not-activated-debug", "L", "no_afi_activated"),
    ("bgp-frr-frr-afi-not-activated-debug", "B", "no_afi_activated"),
    # L only saw its connections reset; R (BIRD) says why, on a line that alone is weak
    ("bgp-frr-bird-neighbor-address-wrong", "L", "peer_closed"),
    ("bgp-frr-bird-neighbor-address-wrong", "B", "peer_not_configured"),
    ("bgp-frr-frr-hold-expired-debug", "B", "hold_timer_expired"),
    ("bgp-frr-frr-bad-as-debug", "B", "bad_peer_as"),
    # BIRD handles its own hold timer expiry as the neighbor's graceful restart (FRR announces long-lived GR)
    ("bgp-frr-bird-hold-expired-bird-events", "R", "hold_timer_expired"),
    ("bgp-frr-bird-no-common-afi", "B", "open_error"),
    # the connections R resets after its operator shut the neighbor down are that shutdown
    ("bgp-frr-frr-neighbor-shuts-down", "L", "admin_shutdown"),
    ("bgp-frr-frr-neighbor-shuts-down", "B", "admin_shutdown"),
    # GoBGP 3.10's own words: the threshold warning (Pct) first, then over the limit
    ("bgp-frr-gobgp-max-prefix-exceeded", "R", "max_prefix"),
    ("bgp-frr-openbgpd-max-prefix-exceeded", "R", "max_prefix"),
    ("bgp-frr-gobgp-neighbor-address-wrong", "R", "peer_not_configured"),
])
def test_the_new_scenarios_name_their_reason(name: str, side: str, reason: str) -> None:
    primary = analyze_text(paste(name, side)).primary
    assert primary is not None and primary.facts.get("bgp_reason") == reason


def test_openbgpd_stopped_on_purpose_is_not_a_crash() -> None:
    """The whole OpenBGPD log, with the stop the harness made (SIGTERM): the parent's "waiting for children to
    terminate" comes first, then its processes' "fatal in RDE/RTR: Lost connection to parent". The daemon stopped,
    it did not crash; the sessions are down on purpose."""
    text = (LAB / "bgp-frr-openbgpd-healthy" / "R.log").read_text(encoding="utf-8")
    result = analyze_text(text)
    assert result.format == "bgp-generic"
    assert result.primary is not None and result.primary.facts.get("bgp_reason") == "admin_shutdown"
    # the facts are the stop's (the Cease it sent, Established -> Idle), not the first connect attempt's state before
    # the session came up, nor the orphaned processes' "Lost connection to parent"
    facts = result.primary.facts
    assert (facts.get("bgp_state"), facts.get("bgp_notification"), facts.get("direction")) == (
        "Established -> Idle", "6/2", "sent")
    assert "parent" not in str(facts.get("bgp_error", ""))


def test_frr_stopped_on_a_signal_is_not_a_configuration_change() -> None:
    """FRR's whole log with the stop the harness made: "Terminating on signal", then every neighbor's "Down Neighbor
    deleted". The daemon stopped on purpose; no configuration changed."""
    text = "".join(line for line in (LAB / "bgp-frr-frr-healthy" / "L.log").read_text(encoding="utf-8")
                   .splitlines(keepends=True) if not _LAB_ONLY.search(line))
    primary = analyze_text(text).primary
    assert primary is not None and primary.facts.get("bgp_reason") == "admin_shutdown"
    # a neighbor deleted from the configuration while bgpd runs is a configuration change
    deleted = "2026/11/30 15:47:58.273 BGP: [PXVXG-TFNNT] %ADJCHANGE: neighbor 192.0.2.2(vm) in vrf default Down Neighbor deleted\n"
    primary = analyze_text(deleted).primary
    assert primary is not None and primary.facts.get("bgp_reason") == "config_change"


def test_birds_first_start_is_no_session_that_went_down() -> None:
    """BIRD's whole log as it starts: "Starting", "State changed to start", then "up". The first "start" is the
    session starting, not one that went down and recovered: no cause and no recovery note."""
    result = analyze_text((LAB / "bgp-frr-bird-healthy" / "R.log").read_text(encoding="utf-8"))
    assert result.primary is None and not result.notes


def test_every_side_pasted_newest_first_reads_as_its_log() -> None:
    # as a web GUI lists log lines; OpenBGPD's own log (bgpd -d) has no time stamps, so its state changes tell the order
    wrong = []
    for name, side, expected in CASES:
        if side == "B":
            continue
        text = paste(name, side)
        primary = analyze_text("".join(reversed(text.splitlines(keepends=True)))).primary
        if (primary.category if primary else "none") != expected:
            wrong.append((name, side))
    assert not wrong


def test_openbgpd_state_changes_tell_a_newest_first_paste_without_time_stamps() -> None:
    text = paste("bgp-frr-openbgpd-healthy", "R")
    assert "state change Active -> OpenSent" in text and not re.search(r"\d\d:\d\d:\d\d", text)
    reversed_text = "".join(reversed(text.splitlines(keepends=True)))
    analysis = analyze_text(reversed_text)
    assert analysis.order == "newest-first" and analysis.primary is None
    assert analyze_text(text).order == "oldest-first"


@pytest.mark.parametrize(("side", "neighbor", "other"), [("L", "192.0.2.3", "192.0.2.2"), ("R", "tunnel2", "tunnel1")])
def test_of_two_bgp_sessions_the_reading_is_the_failing_one_s(side: str, neighbor: str, other: str) -> None:
    # An AWS VPN connection's two BGP sessions, one per tunnel: neighbor 2's hold timer expires, neighbor 1 stays up.
    # The reading names neighbor 2, and neither its lines nor its findings carry neighbor 1's.
    analysis = analyze_text(excerpt("bgp2-n2-hold-expired", side))
    assert analysis.primary is not None and analysis.primary.category == "bgp_down"
    assert analysis.primary.facts["peer"] == neighbor
    for lines in (analysis.primary.chain, analysis.findings):
        assert lines and not any(other in f.text for f in lines), [f.text for f in lines]
