"""Secrets on a matched log line or in AWS data never reach CLI output: logs text, --json, --report, status."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lab.cli import main
from lab.model import Tunnel, VpnConnection

SECRET = "Abc123secretKEY"
# AWS tunnel log line (https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html) with a pasted key line.
LOG = (
    '{"event_timestamp":1764404400000,"details":"AWS tunnel received DELETE for IKE_SA from CGW",'
    f'"ike_phase1_state":"Down","ike_phase2_state":"Down","note":"ikev1 pre-shared-key {SECRET}"}}\n'
)


@pytest.fixture
def log(tmp_path: Path) -> Path:
    path = tmp_path / "tunnel.log"
    path.write_text(LOG, encoding="utf-8")
    return path


def test_logs_text_is_masked(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(log)]) == 0
    out = capsys.readouterr().out
    assert "DELETE for IKE_SA" in out and SECRET not in out


def test_logs_json_is_masked(log: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(log), "--json"]) == 0
    raw = capsys.readouterr().out
    assert SECRET not in raw
    assert "pre-shared-key ****" in json.loads(raw)["findings"][0]["text"]


def test_logs_report_is_masked(log: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    assert main(["logs", str(log), "--report", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "DELETE for IKE_SA" in text and SECRET not in text


def test_status_output_is_masked(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    conn = VpnConnection(
        "vpn-0123456789abcdef0",
        (Tunnel("203.0.113.10", status="UP", status_message=f"password={SECRET}"), Tunnel("203.0.113.11", status="UP")),
        name=f"aws psk {SECRET}",
    )
    from lab.commands import status

    monkeypatch.setattr(status, "_from_replay", lambda args: ((conn,), datetime(2026, 11, 29, tzinfo=UTC)))
    main(["status", "--replay", "any"])
    main(["status", "--replay", "any", "--json"])
    out = capsys.readouterr().out
    assert "vpn-0123456789abcdef0" in out and SECRET not in out
