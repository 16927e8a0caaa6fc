"""Every bundled incident replay: valid, internally consistent, realistic log lines, and the
troubleshooter (the real log analyzer and tree walk) reaches the expected diagnosis."""

from __future__ import annotations

import json
import re

import pytest

from lab import replay
from lab.model import METRIC_TUNNEL_STATE

SLUGS = replay.slugs()

# Verbatim AWS tunnel-log and BGP-log messages (aws-vpn-facts.md §4/§4b, from log-contents.html and
# monitoring-logs.html); placeholders (xxx, {retry_count}, ids, addresses) become wildcards.
AWS_MESSAGES = [
    "Peer is not responsive - Declaring peer dead",
    "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
    "No Proposal Match Found by AWS",
    'No Proposal Match Found. Notifying with "No proposal chosen"',
    "AWS tunnel received DELETE for Phase 2 SA with SPI: *",
    "AWS tunnel received DELETE for IKE_SA from CGW",
    "AWS tunnel DPD timed out after * retransmits",
    "AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
    "AWS tunnel (CHILD_SA) redundant SA is being deleted due to detected collision",
    "AWS tunnel Phase 2 was unable to establish while keeping Phase 1",
    "AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder",
    "AWS tunnel is sending AUTHENTICATION_FAILED as the response",
    "AWS tunnel detected a pre-shared key mismatch with cgw: *",
    "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: *",
    "AWS tunnel processed request (id=*) for CREATE_CHILD_SA",
    "AWS tunnel is sending response (id=*) for CREATE_CHILD_SA",
    "AWS tunnel is sending request (id=*) for CREATE_CHILD_SA",
    "AWS tunnel processed response (id=*) for CREATE_CHILD_SA",
    "AWS-side peer BGP session state has changed from * to * with neighbor *",
    "AWS-side peer sent a Hold Timer Expired notification to neighbor *",
]
_KNOWN = [re.compile("^" + re.escape(m).replace(r"\*", ".+") + "$") for m in AWS_MESSAGES]
IKE_STATES = {"Established", "Rekeying", "Negotiating", "Down"}


@pytest.fixture(params=SLUGS)
def incident(request: pytest.FixtureRequest) -> replay.Incident:
    return replay.incident(request.param)


def test_there_are_at_least_six_incidents() -> None:
    assert len(SLUGS) >= 6


def test_incident_has_description_logs_metrics_and_events(incident: replay.Incident) -> None:
    snap = incident.snapshot
    assert incident.description and incident.summary
    assert snap.series and snap.events and incident.cgw_log.strip()
    assert {s.metric for s in snap.series} == {"TunnelState", "TunnelDataIn", "TunnelDataOut"}


def test_aws_log_uses_only_documented_messages(incident: replay.Incident) -> None:
    for line in incident.aws_log.splitlines():
        data = json.loads(line)
        detail = data.get("details") or data.get("message", {}).get("details", "")
        assert any(rx.match(detail) for rx in _KNOWN), f"{incident.slug}: undocumented AWS message: {detail}"
        assert "VpnLogDetail" not in data, "AWS's documented JSON keys (event_timestamp, details, ...), not its field names"
        for key in ("ike_phase1_state", "ike_phase2_state"):
            if key in data:
                assert data[key] in IKE_STATES


CGW_LINE = {
    "strongswan": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00 \S+ charon\[\d+\]: \d{2}\[[A-Z]{3}\] "),
    "libreswan": re.compile(r'^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00 \S+ pluto\[\d+\]: "[^"]+" #\d+: '),
}


def test_cgw_log_lines_look_like_the_named_device(incident: replay.Incident) -> None:
    fmt = next(r.format for r in incident.snapshot.logs if r.format in replay.CGW_LOG_FORMATS)
    for line in incident.cgw_log.splitlines():
        assert CGW_LINE[fmt].match(line), line


def test_log_lines_fall_inside_the_window(incident: replay.Incident) -> None:
    snap = incident.snapshot
    assert snap.start and snap.end
    for record in snap.logs:
        if record.time:
            assert snap.start <= record.time <= snap.end, f"{incident.slug}: {record.text}"


def test_final_tunnelstate_matches_the_telemetry(incident: replay.Incident) -> None:
    snap = incident.snapshot
    for c in snap.connections:
        for t in c.tunnels:
            (state,) = [s for s in snap.series_for(c.id, METRIC_TUNNEL_STATE) if s.tunnel_ip == t.outside_ip]
            expected = 1.0 if t.status == "UP" else 0.0
            assert state.values[-1] == expected, f"{incident.slug} {t.outside_ip}"


def test_tunnel_down_events_show_in_tunnelstate(incident: replay.Incident) -> None:
    snap = incident.snapshot
    for e in snap.events:
        if e.kind != "tunnel-down":
            continue
        (state,) = [s for s in snap.series_for(e.vpn_id, METRIC_TUNNEL_STATE) if s.tunnel_ip == e.tunnel_ip]
        after = [v for ts, v in zip(state.timestamps, state.values, strict=True) if ts > e.time][:1]
        assert after and after[0] < 1.0, f"{incident.slug}: {e.detail}"


def test_last_status_change_matches_the_last_state_event(incident: replay.Incident) -> None:
    snap = incident.snapshot
    for c in snap.connections:
        for t in c.tunnels:
            changes = [e.time for e in snap.events if e.tunnel_ip == t.outside_ip and e.kind in {"tunnel-up", "tunnel-down"}]
            if changes and t.last_status_change:
                assert t.last_status_change == max(changes), f"{incident.slug} {t.outside_ip}"


def test_analyzer_finds_the_expected_category(incident: replay.Incident) -> None:
    analyzer = pytest.importorskip("lab.analyzer")
    analysis = analyzer.analyze_text(incident.log_text)
    assert analysis.primary is not None, f"{incident.slug}: the analyzer found no diagnosis"
    assert analysis.primary.category == incident.expected_category


# Incidents whose walk needs a person's answer on the way name no tree node.
WITH_NODE = [s for s in SLUGS if replay.incident(s).expected_tree_node]


@pytest.mark.parametrize("slug", WITH_NODE)
def test_troubleshooter_walk_reaches_the_expected_node(slug: str) -> None:
    """The replay's own evidence, per tunnel (never merged across tunnels), walks to the expected node."""
    incident = replay.incident(slug)
    case = pytest.importorskip("lab.triage.case")
    tree_id = incident.expected_tree_node.split("/", 1)[0]
    result = case.run(tree_id=tree_id, snapshot=incident.snapshot)
    assert result.session.is_diagnosis
    assert result.session.current.ref == incident.expected_tree_node


@pytest.mark.parametrize("slug", WITH_NODE)
def test_expected_tree_node_is_a_diagnosis(slug: str) -> None:
    tree = pytest.importorskip("lab.triage.tree")
    assert tree.resolve(replay.incident(slug).expected_tree_node).is_diagnosis
