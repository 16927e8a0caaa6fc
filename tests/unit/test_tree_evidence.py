"""Evidence from analyzed logs and from a Snapshot, as the trees and other pages consume it."""

from __future__ import annotations

from datetime import UTC, datetime

from lab.analyzer import analyze_text
from lab.model import Event, LogRecord, Maintenance, Snapshot, Tunnel, TunnelOptions, VpnConnection
from lab.triage.evidence import from_analysis, from_snapshot, merge
from lab.triage.tree import auto_walk

DPD_JSON = '{"event_timestamp":1764404400000,"details":"AWS tunnel DPD timed out after 3 retransmits","dpd_enabled":true,"ike_phase1_state":"Down","ike_phase2_state":"Down"}'
DELETE_JSON = '{"event_timestamp":1764404400000,"details":"AWS tunnel received DELETE for IKE_SA from CGW","ike_phase1_state":"Down","ike_phase2_state":"Down"}'


def snapshot(logs: tuple[str, ...] = (), **opts: object) -> Snapshot:
    options = TunnelOptions(**opts)  # type: ignore[arg-type]
    conn = VpnConnection(
        id="vpn-0123456789abcdef0",
        tunnels=(Tunnel("203.0.113.10", options, "DOWN"), Tunnel("203.0.113.20", options, "DOWN")),
    )
    return Snapshot(
        source="replay",
        label="dpd case",
        connections=(conn,),
        logs=tuple(LogRecord(text=t, format="aws-json", line_no=i, tunnel_ip="203.0.113.10") for i, t in enumerate(logs, 1)),
    )


def test_log_evidence_names_the_line() -> None:
    ev = from_analysis(analyze_text(DPD_JSON))
    assert ev["log.category:dpd_timeout"].value == "yes"
    assert ev["log.category:dpd_timeout"].line == 1
    assert "DPD timed out" in ev["log.category:dpd_timeout"].reason
    assert ev["log.category:auth_failure"].value == "no"
    assert ev["log.pattern:aws-ikev2-dpd-timeout"].value == "yes"
    assert ev["log.primary"].value == "dpd_timeout"
    assert ev["tunnel.phase1_state"].value == "Down"


def test_snapshot_evidence_reads_tunnel_options() -> None:
    ev = from_snapshot(snapshot(dpd_timeout_action="clear", startup_action="add"))
    assert ev["connection.tunnels_down"].value == "both"
    assert ev["options.dpd_timeout_action"].value == "clear"
    assert ev["options.startup_action"].value == "add"
    assert ev["tunnel.maintenance_pending"].value == "no"
    assert "203.0.113.10" in ev["options.startup_action"].reason


def test_snapshot_maintenance_comes_from_events_or_details() -> None:
    snap = snapshot()
    replaced = Snapshot(
        source="simulation",
        label="replacement",
        connections=snap.connections,
        events=(Event(datetime(2026, 1, 1, tzinfo=UTC), "endpoint-replacement", "AWS replaced tunnel 1", tunnel_ip="203.0.113.10"),),
    )
    assert from_snapshot(replaced)["tunnel.maintenance_pending"].value == "yes"
    conn = snap.connections[0]
    pending = Tunnel("203.0.113.10", TunnelOptions(), "DOWN", maintenance=Maintenance(pending="update"))
    snap2 = Snapshot("aws", "live", (VpnConnection(conn.id, (pending,)),))
    assert from_snapshot(snap2)["tunnel.maintenance_pending"].value == "yes"


def test_replay_snapshot_walks_to_the_ike_sa_diagnosis() -> None:
    walk = auto_walk("tunnel-down", from_snapshot(snapshot((DELETE_JSON,))))
    assert walk.final == "tunnel-down/d-ike-sa-deleted-add"


def test_replay_snapshot_with_ikev2_start_points_at_reachability() -> None:
    ev = from_snapshot(snapshot((DELETE_JSON,), startup_action="start", ike_versions=("ikev2",)))
    assert auto_walk("tunnel-down", ev).final == "tunnel-down/path-open"


def test_merge_leaves_a_conflict_to_the_person_with_both_pieces() -> None:
    a = from_snapshot(snapshot(startup_action="start"))
    b = from_snapshot(snapshot(startup_action="add"))
    merged = merge(a, b)["options.startup_action"]
    assert merged.value == ""
    assert {p.value for p in merged.conflicts} == {"start", "add"}


def test_recovered_snapshot_counts_tunnels_that_went_down_in_the_window() -> None:
    conn = VpnConnection("vpn-0123456789abcdef0", (Tunnel("203.0.113.10", TunnelOptions(), "UP"), Tunnel("203.0.113.20", TunnelOptions(), "UP")))
    snap = Snapshot(
        source="simulation",
        label="recovered",
        connections=(conn,),
        events=(Event(datetime(2026, 1, 1, tzinfo=UTC), "tunnel-down", "DPD", tunnel_ip="203.0.113.20"),),
    )
    ev = from_snapshot(snap)
    assert ev["connection.tunnels_down"].value == "one"
    assert "went down during the window" in ev["connection.tunnels_down"].reason
    assert "203.0.113.20" in ev["options.startup_action"].reason


def test_tunnel_back_up_after_dpd_shows_the_peer_alive() -> None:
    base = snapshot()
    t0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    snap = Snapshot(
        source="simulation",
        label="idle",
        connections=base.connections,
        events=(
            Event(t0, "dpd-timeout", "DPD", tunnel_ip="203.0.113.10"),
            Event(t0.replace(minute=5), "tunnel-up", "", tunnel_ip="203.0.113.10"),
        ),
    )
    assert from_snapshot(snap)["log.peer_alive_after_dpd"].value == "yes"


def test_an_answer_taken_from_a_guess_says_it_is_one() -> None:
    silence = analyze_text(
        '"west" #1: STATE_MAIN_I4: ISAKMP SA established {auth=RSA_SIG cipher=aes_256 integ=sha group=MODP2048}\n'
        '"west" #2: STATE_QUICK_I1: 10 second timeout exceeded after 0 retransmits.  No acceptable response to our '
        "first Quick Mode message: perhaps peer likes no proposal\n"
    )
    assert "what the log does not show" in from_analysis(silence)["log.primary"].reason
    refused = analyze_text("Nov 29 10:00:03 cgw charon: 09[IKE] received NO_PROPOSAL_CHOSEN notify error\n")
    assert "what the log does not show" not in from_analysis(refused)["log.primary"].reason
