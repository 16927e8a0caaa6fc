"""`vpn-lab run`: loopback by default, team serving as a deliberate mode, the mode reaching the app."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from lab import cli
from lab.commands import run as run_command
from lab.ui.serving import LIVE_ENV, PROFILE_ENV, TEAM_ENV, serving


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_call(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
        calls.append((cmd, env))
        return 0

    monkeypatch.setattr(run_command.subprocess, "call", fake_call)
    return calls


def _address(cmd: list[str]) -> str:
    return cmd[cmd.index("--server.address") + 1]


def test_default_listens_on_loopback_only(launched, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run"]) == 0
    cmd, env = launched[0]
    assert _address(cmd) == "127.0.0.1" and env[TEAM_ENV] == "0"
    assert "this computer only" in capsys.readouterr().err


def test_the_shipped_streamlit_config_listens_on_loopback() -> None:
    from lab import PROJECT_DIR

    assert 'address = "127.0.0.1"' in (PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8")


def test_team_mode_serves_the_network_with_live_aws_off(launched, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--team", "--server.port", "8600"]) == 0
    cmd, env = launched[0]
    assert _address(cmd) == "0.0.0.0" and cmd[-2:] == ["--server.port", "8600"]
    assert env[TEAM_ENV] == "1" and env[LIVE_ENV] == "0"
    assert "live AWS OFF" in capsys.readouterr().err


def test_team_mode_with_live_aws_and_one_profile(launched) -> None:
    assert cli.main(["run", "--team", "--live-aws", "--aws-profile", "training-ro"]) == 0
    _, env = launched[0]
    assert env[LIVE_ENV] == "1" and env[PROFILE_ENV] == "training-ro"


def test_a_network_address_is_team_mode(launched, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--server.address", "0.0.0.0"]) == 0
    cmd, env = launched[0]
    assert cmd.count("--server.address") == 1 and env[TEAM_ENV] == "1"
    assert "serves a team" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [["run", "--live-aws"], ["run", "--team", "--aws-profile", "x"]])
def test_live_aws_options_without_team_are_refused(launched, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(argv) == 2
    assert "vpn-lab:" in capsys.readouterr().err and not launched


@pytest.mark.parametrize(
    ("env", "team", "live", "profile", "choose"),
    [
        ({}, False, True, None, True),
        ({TEAM_ENV: "1"}, True, False, None, False),
        ({TEAM_ENV: "1", LIVE_ENV: "1", PROFILE_ENV: "ro"}, True, True, "ro", False),
        ({TEAM_ENV: "0", PROFILE_ENV: "ignored"}, False, True, None, True),
    ],
)
def test_serving_mode_from_the_environment(monkeypatch: pytest.MonkeyPatch, env, team, live, profile, choose) -> None:
    for key in (TEAM_ENV, LIVE_ENV, PROFILE_ENV):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    srv = serving()
    assert (srv.team, srv.live_aws, srv.profile, srv.choose_profile) == (team, live, profile, choose)


def test_run_help_mentions_team_mode() -> None:
    out = subprocess.run(
        [str(Path(run_command.sys.executable)), "-m", "lab.cli", "run", "--help"], capture_output=True, text=True, check=False
    ).stdout
    assert "--team" in out and "127.0.0.1" in out
