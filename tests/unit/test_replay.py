"""Incident replays load into the domain model and bad incident files are rejected with every problem."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lab import replay
from lab.errors import DataError, NotFoundError

SLUG = "dpd-idle-tunnel"


def test_bundled_incidents_are_at_least_the_six_listed() -> None:
    assert set(replay.slugs()) >= {
        "dpd-idle-tunnel",
        "cgw-deleted-ike-sa",
        "endpoint-replacement-ikev1-add",
        "single-tunnel-notice",
        "bgp-failover-s4",
        "psk-mismatch-after-rotation",
    }


def test_replay_snapshot_has_source_replay_and_the_window() -> None:
    snap = replay.snapshot(SLUG)
    assert snap.source == "replay"
    assert snap.label.startswith("Replay: ")
    assert snap.start and snap.end and snap.start < snap.end


def test_metrics_become_one_series_per_tunnel_metric_and_statistic() -> None:
    snap = replay.snapshot(SLUG)
    keys = {(s.tunnel_ip, s.metric, s.stat) for s in snap.series}
    assert len(keys) == len(snap.series) == 2 * 3
    assert all(s.timestamps == tuple(sorted(s.timestamps)) for s in snap.series)


def test_aws_log_lines_carry_connection_and_tunnel() -> None:
    snap = replay.snapshot(SLUG)
    aws = [r for r in snap.logs if r.format == "aws-json"]
    assert aws and all(r.vpn_id == "vpn-0a3f9c21d4e5b6a70" and r.tunnel_ip == "203.0.113.138" for r in aws)
    assert all(r.time is not None for r in aws)


def test_bgp_log_lines_name_their_tunnel_through_resource_id() -> None:
    snap = replay.snapshot("bgp-failover-s4")
    bgp = [r for r in snap.logs if "resource_id" in r.fields]
    assert bgp and {r.tunnel_ip for r in bgp} == {"203.0.113.21", "203.0.113.149"}


def test_log_text_interleaves_both_logs_in_time_order() -> None:
    inc = replay.incident(SLUG)
    text = inc.log_text
    assert text.index("CHILD_SA aws-t2{7} established") < text.index("Peer is not responsive")
    assert text.index("Peer is not responsive") < text.index("giving up after 5 retransmits")
    assert len(text.splitlines()) == len(inc.aws_log.splitlines()) + len(inc.cgw_log.splitlines())


def test_unknown_slug_lists_the_choices() -> None:
    with pytest.raises(NotFoundError) as err:
        replay.incident("no-such-incident")
    assert SLUG in str(err.value)


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(replay.INCIDENTS_DIR / SLUG, folder)
    return folder


def test_bad_incident_names_the_file_and_every_problem(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "incident.yaml").read_text(encoding="utf-8")
    text = text.replace("routing: static", "routing: ospf").replace("category: dpd_timeout", "category: gremlins")
    (folder / "incident.yaml").write_text(text + "colour: blue\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        replay.load_incident(folder)
    message = str(err.value)
    assert "incident.yaml" in message
    assert "routing" in message and "category" in message and "colour" in message


def test_cross_references_are_checked(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    text = (folder / "incident.yaml").read_text(encoding="utf-8")
    text = text.replace("kind: dpd-timeout, vpn_id: vpn-0a3f9c21d4e5b6a70, tunnel_ip: 203.0.113.138", "kind: dpd-timeout, vpn_id: vpn-0a3f9c21d4e5b6a70, tunnel_ip: 192.0.2.1", 1)
    text = text.replace("kind: tunnel-up", "kind: tunnel-sideways")
    (folder / "incident.yaml").write_text(text, encoding="utf-8")
    (folder / "cgw.log").unlink()
    with pytest.raises(DataError) as err:
        replay.load_incident(folder)
    message = str(err.value)
    assert "192.0.2.1" in message and "tunnel-sideways" in message and "cgw.log" in message


def test_metrics_with_wrong_columns_or_unknown_tunnels_are_rejected(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lines = (folder / "metrics.csv").read_text(encoding="utf-8").splitlines()
    lines.append(lines[1].replace("vpn-0a3f9c21d4e5b6a70", "vpn-0ffffffffffffffff"))
    (folder / "metrics.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="unknown tunnel"):
        replay.load_incident(folder)
    (folder / "metrics.csv").write_text("time,value\n2026-03-02T00:00:00Z,1\n", encoding="utf-8")
    with pytest.raises(DataError, match="columns must be"):
        replay.load_incident(folder)
