"""Generated logs: AWS lines use only documented messages and keys; charon lines look like charon's."""

from __future__ import annotations

import json
import re

import pytest

from lab.sim import FAILURE_KINDS, Failure, Overrides, list_scenarios, simulate
from lab.sim.export import log_files, log_text
from lab.sim.failures import valid_targets

# Verbatim from https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html and monitoring-logs.html
# (the fact sheet, sections 4 and 4b); xxx / {name} stand for values.
AWS_DOC_MESSAGES = [
    "Peer is not responsive - Declaring peer dead",
    "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
    "No Proposal Match Found by AWS",
    'No Proposal Match Found. Notifying with "No proposal chosen"',
    "AWS tunnel received DELETE for Phase 2 SA with SPI: xxx",
    "AWS tunnel received DELETE for IKE_SA from CGW",
    "AWS tunnel DPD timed out after xxx retransmits",
    "AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
    "AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected collision",
    "AWS tunnel Phase 2 was unable to establish while keeping Phase 1",
    "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
    "AWS tunnel is sending AUTHENTICATION_FAILED as the response",
    "AWS tunnel detected a pre-shared key mismatch with cgw: xxx",
    "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: xxx",
    "AWS tunnel processed request (id=xxx) for CREATE_CHILD_SA",
    "AWS tunnel is sending response (id=xxx) for CREATE_CHILD_SA",
    "AWS tunnel is sending request (id=xxx) for CREATE_CHILD_SA",
    "AWS tunnel processed response (id=xxx) for CREATE_CHILD_SA",
    "AWS-side peer BGP session state has changed from xxx to xxx with neighbor {ip: xxx}",
    "AWS-side peer sent a Hold Timer Expired notification to neighbor {ip: xxx}",
    "AWS-side peer received notification 6/4 (Cease/Administrative Reset) from neighbor {ip: xxx}",
    "AWS-side peer sent an End-of-RIB message to neighbor {ip: xxx}",
]
# "{ip: xxx}" is the documentation's placeholder for the neighbor's address, which real lines print bare.
_DOC = [re.compile("^" + re.escape(m).replace(re.escape("{ip: xxx}"), r"[0-9.]+").replace("xxx", r"[^\s{}]+") + "$")
        for m in AWS_DOC_MESSAGES]
TUNNEL_KEYS = {"event_timestamp", "timestamp", "details", "dpd_enabled", "nat_t_detected", "ike_phase1_state",
               "ike_phase2_state", "vpn_connection_id", "tunnel_outside_ip"}
PHASE_STATES = {"Established", "Rekeying", "Negotiating", "Down"}
CHARON = re.compile(r"^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d cgw-[a-z] charon: \d\d\[(IKE|ENC|NET|JOB|DMN|KNL|CFG)\] \S.*$")


def _all_runs() -> list:
    runs = []
    for spec in list_scenarios():
        for fk in FAILURE_KINDS:
            targets = valid_targets(spec, fk.id)
            for ike in ("ikev1", "ikev2"):
                if targets:
                    ov = Overrides(ike_version=ike, cgw_initiates="always")
                    runs.append(simulate(spec.id, [Failure(fk.id, targets[0], 60, 200)], overrides=ov))
    runs.append(simulate("s1", [Failure("cgw-down", "cgw-a", 60)], overrides=Overrides(dpd_timeout_action="restart")))
    runs.append(simulate("s4", duration_s=3600, overrides=Overrides(phase2_lifetime_s=900)))  # rekeys
    return runs


@pytest.fixture(scope="module")
def runs() -> list:
    return _all_runs()


def test_every_aws_line_uses_a_documented_message(runs: list) -> None:
    seen = set()
    for res in runs:
        for rec in res.snapshot.logs:
            if rec.format != "aws-json":
                continue
            data = json.loads(rec.text)
            details = data["details"] if "details" in data else data["message"]["details"]
            assert any(p.match(details) for p in _DOC), details
            seen.add(details.split(" ")[2] if details.startswith("AWS") else details[:10])
    assert len(seen) >= 8  # the runs exercise many different messages


def test_tunnel_log_lines_have_the_documented_keys(runs: list) -> None:
    count = 0
    for res in runs:
        for rec in res.snapshot.logs:
            data = json.loads(rec.text) if rec.format == "aws-json" else {}
            if "details" in data:
                count += 1
                assert set(data) == TUNNEL_KEYS
                assert {data["ike_phase1_state"], data["ike_phase2_state"]} <= PHASE_STATES
                assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}Z$", data["timestamp"])
    assert count > 20


def test_bgp_log_lines_have_the_documented_shape(runs: list) -> None:
    for res in runs:
        for rec in res.snapshot.logs:
            data = json.loads(rec.text) if rec.format == "aws-json" else {}
            if "resource_id" in data:
                assert data["type"] == "BGPStatus" and data["status"] in ("UP", "DOWN")
                assert data["resource_id"] == f"{rec.vpn_id}_{rec.tunnel_ip}"


def test_charon_lines_look_like_charon(runs: list) -> None:
    lines = [rec.text for res in runs for rec in res.snapshot.logs if rec.format == "strongswan"]
    assert lines
    for line in lines:
        assert CHARON.match(line), line
    text = "\n".join(lines)
    for needle in ("sending DPD request", "giving up after 5 retransmits", "DPD check timed out",
                   "initiating IKE_SA", "established between", "received AUTHENTICATION_FAILED notify error",
                   "sending DELETE for IKE_SA"):
        assert needle in text


def test_ikev1_dpd_uses_the_ikev1_message() -> None:
    res = simulate("s3", [Failure("cgw-down", "cgw-a", 60)], overrides=Overrides(ike_version="ikev1"))
    details = [json.loads(r.text)["details"] for r in res.snapshot.logs if r.format == "aws-json"]
    assert "Peer is not responsive - Declaring peer dead" in details


def test_ikev2_dpd_counts_retransmits_from_the_timeout() -> None:
    res = simulate("s3", [Failure("cgw-down", "cgw-a", 60)])
    details = [json.loads(r.text)["details"] for r in res.snapshot.logs if r.format == "aws-json"]
    assert "AWS tunnel DPD timed out after 3 retransmits" in details  # 40 s timeout, 10 s probes


def test_log_files_split_aws_and_each_customer_gateway() -> None:
    res = simulate("s4", [Failure("cgw-link-down", "cgw-a", 60, 120)])
    files = log_files(res)
    assert set(files) == {"aws-tunnel.log", "aws-bgp.log", "cgw-a-charon.log", "cgw-b-charon.log"}
    assert "giving up" in files["cgw-a-charon.log"]
    assert "# aws-tunnel.log" in log_text(res)


@pytest.mark.parametrize(
    ("scenario", "failure", "overrides", "category"),
    [
        ("s3", Failure("cgw-link-down", "cgw-a", 60, 300), Overrides(health_check_s=0), "dpd_timeout"),
        ("s1", Failure("psk-mismatch", "tunnel-1", 60, 400), Overrides(cgw_initiates="always"), "auth_failure"),
        ("s1", Failure("proposal-mismatch", "tunnel-1", 60, 400), Overrides(cgw_initiates="always"),
         "phase1_proposal_mismatch"),
        ("s1", Failure("ike-delete", "tunnel-1", 60), None, "ike_sa_deleted_by_peer"),
    ],
)
def test_the_log_analyzer_reads_the_generated_logs(scenario: str, failure: Failure, overrides: Overrides | None,
                                                   category: str) -> None:
    from lab.analyzer import analyze_text

    analysis = analyze_text(log_text(simulate(scenario, [failure], overrides=overrides)))
    assert analysis.primary is not None
    assert analysis.primary.category == category


def test_a_bgp_reset_that_came_back_is_told_as_recovered() -> None:
    """The BGP reset drill: AWS's log shows the customer gateway's Cease 6/4 and then the session Established again
    ("from OpenConfirm to Established"). The session is up at the end, so nothing is down: the analyzer says it went
    down, why, and that it came back, and names no cause to fix."""
    from lab.analyzer import analyze_text
    from lab.i18n import render

    analysis = analyze_text(log_text(simulate("s4", [Failure("bgp-reset", "tunnel-1", 60)])))
    assert analysis.primary is None
    notes = [render(n, "en") for n in analysis.notes]
    assert any("came up again at line" in n and "Why it went down: Administrative reset" in n for n in notes), notes
