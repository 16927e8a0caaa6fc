"""`vpn-lab status --replay` and `vpn-lab replays`: the CLI contract without an AWS account."""

from __future__ import annotations

import json

import pytest

from lab import replay
from lab.cli import main


def test_status_json_contract_on_a_replay(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["status", "--replay", "psk-mismatch-after-rotation", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"] == "replay"
    (c,) = doc["connections"]
    assert set(c) == {"id", "routing", "tunnels", "findings"}
    assert c["tunnels"][0] == {"outside_ip": "203.0.113.100", "status": "DOWN", "status_message": "IPSEC IS DOWN"}
    assert {"rule", "severity", "message"} == set(c["findings"][0])
    assert code == 1


def test_status_text_lists_tunnels_and_findings(capsys: pytest.CaptureFixture[str]) -> None:
    main(["status", "--replay", "dpd-idle-tunnel"])
    out = capsys.readouterr().out
    assert "vpn-0a3f9c21d4e5b6a70 (branch-oslo)  routing static  tunnels up 1/2" in out
    assert "[high] tunnel-down:" in out


def test_status_exits_0_when_all_tunnels_are_up_and_nothing_is_high(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--replay", "bgp-failover-s4", "--vpn-id", "vpn-05f6e7d8c9b0a1f2e"]) == 0
    assert "vpn-03a1b2c3d4e5f6a7b" not in capsys.readouterr().out


def test_unknown_vpn_id_in_a_replay_exits_2_naming_the_choices(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--replay", "dpd-idle-tunnel", "--vpn-id", "vpn-0123456789abcdef0"]) == 2
    err = capsys.readouterr().err
    assert "vpn-0a3f9c21d4e5b6a70" in err and "Traceback" not in err


def test_unknown_replay_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--replay", "nope"]) == 2
    assert "Unknown replay 'nope'" in capsys.readouterr().err


def test_replay_with_a_profile_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--replay", "dpd-idle-tunnel", "--profile", "prod"]) == 2
    assert "--replay" in capsys.readouterr().err


def test_replays_lists_every_incident(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replays"]) == 0
    out = capsys.readouterr().out
    for slug in replay.slugs():
        assert out.count(f"{slug}: ") == 1


def test_replays_json_names_connections_and_expected_category(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replays", "--json"]) == 0
    items = {i["slug"]: i for i in json.loads(capsys.readouterr().out)}
    assert items["cgw-deleted-ike-sa"]["expected_category"] == "ike_sa_deleted_by_peer"
    assert items["bgp-failover-s4"]["connections"] == ["vpn-03a1b2c3d4e5f6a7b", "vpn-05f6e7d8c9b0a1f2e"]
