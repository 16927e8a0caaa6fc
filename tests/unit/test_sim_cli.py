"""`vpn-lab simulate`: the CLI contract of the scenario lab."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab.cli import main


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    assert main(["simulate", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_has_the_contract_keys(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "s4", "--fail", "cgw-down:cgw-a@60")
    for key in ("scenario", "duration_s", "outage_s", "detect_s", "recover_s", "manual_action_required",
                "events", "tunnels", "logs"):
        assert key in data
    assert set(data["outage_s"]) == {"to_onprem", "to_aws"}
    assert {"t", "kind", "target", "detail"} <= set(data["events"][0])
    assert {"id", "down_s"} <= set(data["tunnels"][0])
    assert {"t", "format", "line"} <= set(data["logs"][0])


def test_json_recover_is_null_when_not_recovered(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "s1", "--fail", "cgw-down@60")
    assert data["recover_s"] is None and data["manual_action_required"] is True


def test_options_reach_the_simulation(capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, "s3", "--fail", "cgw-down:cgw-a@60", "--health-check", "10", "--dpd-timeout", "30",
                 "--dpd-action", "restart", "--startup-action", "start", "--ike", "v2", "--keepalive", "5",
                 "--cgw-initiates", "always", "--cgw-tunnels", "2", "--duration", "300")
    assert data["duration_s"] == 300
    assert data["options"]["dpd_timeout_s"] == 30 and data["options"]["health_check_s"] == 10
    assert data["outage_s"]["to_aws"] <= 10 and data["recover_s"] is not None
    assert data["manual_action_required"] is True  # gateway A is down for good: its tunnels stay down


def test_text_output_shows_outcome_and_the_dpd_assumption(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "s4", "--fail", "cgw-down:cgw-a@60"]) == 0
    out = capsys.readouterr().out
    assert "Outage VPC -> on-premises:  30 s" in out
    assert "DPD probes" in out and "What happened:" in out


def test_list_failures_prints_the_catalogue(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--list-failures"]) == 0
    out = capsys.readouterr().out
    for kind in ("cgw-down", "cgw-link-down", "endpoint-replacement", "ike-delete", "idle", "psk-mismatch",
                 "proposal-mismatch", "bgp-reset"):
        assert f"\n{kind}: " in out


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["s9"], "Valid choices: s1, s2, s3, s4, s5"),
        (["s4", "--fail", "melt@5"], "Valid choices: cgw-down"),
        (["s1", "--fail", "cgw-down:cgw-b@5"], "Valid choices: cgw-a"),
        (["s4", "--fail", "cgw-down@900"], "outside the run"),
        (["s4", "--dpd-timeout", "5"], "below the minimum 30"),
        ([], "Valid choices: s1"),
    ],
)
def test_bad_input_exits_2_with_the_choices(capsys: pytest.CaptureFixture[str], argv: list[str], needle: str) -> None:
    assert main(["simulate", *argv]) == 2
    assert needle in capsys.readouterr().err


def test_unknown_option_value_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["simulate", "s4", "--dpd-action", "drop"])
    assert exc.value.code == 2
    assert "choose from 'clear', 'none', 'restart'" in capsys.readouterr().err


def test_emit_logs_writes_aws_and_cgw_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "logs"
    assert main(["simulate", "s3", "--fail", "cgw-link-down:cgw-a@60+300", "--emit-logs", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["aws-tunnel.log", "cgw-a-charon.log", "cgw-b-charon.log"]
    assert "DPD timed out" in (out / "aws-tunnel.log").read_text()
    assert "charon:" in (out / "cgw-a-charon.log").read_text()
