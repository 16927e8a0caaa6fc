"""`vpn-lab run`: loopback by default, team serving as a deliberate mode, the mode reaching the app."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from lab import cli
from lab.commands import run as run_command
from lab.ui.serving import LIVE_ENV, PROFILE_ENV, TEAM_ENV, serving
from tests.net import free_port

START_S = 120  # the app's first start imports plotly, pandas and SQLAlchemy: slow on a busy machine


@pytest.fixture
def launched(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake_call(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
        calls.append((cmd, env))
        return 0

    monkeypatch.setattr(run_command, "supervise", fake_call)
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


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie still answers kill(pid, 0): it has ended, its parent has not collected it yet.
    stat = Path(f"/proc/{pid}/stat")
    return not stat.exists() or stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"


def _wait_until(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def _start_vpn_lab_run(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`vpn-lab run` on a free loopback port, once its app answers (another port if one was taken meanwhile)."""
    for _attempt in range(3):
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "lab.cli", "run", "--server.port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_until(lambda p=proc, n=port: p.poll() is not None or _healthy(n), START_S)
        if proc.poll() is None:
            assert _healthy(port), f"the app did not answer on port {port} within {START_S} s"
            return proc
    pytest.fail("no free port for the app in 3 attempts")


def test_a_stop_signal_reaches_the_server_and_both_exit(tmp_path: Path) -> None:
    """`docker stop` sends SIGTERM to `vpn-lab run` only: the Streamlit server it started stops with it, at once."""
    proc = _start_vpn_lab_run({**os.environ, "VPNLAB_DATABASE_URL": f"sqlite:///{tmp_path / 'lab.sqlite3'}"})
    servers = _children(proc.pid)
    try:
        assert servers, "vpn-lab run has no child process"
        proc.send_signal(signal.SIGTERM)
        # Streamlit stops in well under a second; the margin is for a busy machine, still below docker's 10 s.
        assert proc.wait(timeout=8) == 0
        assert _wait_until(lambda: all(_gone(pid) for pid in servers), 5)
    finally:
        for pid in servers:
            if not _gone(pid):
                os.kill(pid, signal.SIGKILL)
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def test_vpn_lab_exits_with_the_code_the_server_ends_with() -> None:
    """A server that stops with code 3 on SIGTERM makes `vpn-lab run` exit 3; one killed by a signal, 128 + N."""
    # The child takes SIGTERM with sigwait, SIGTERM blocked from before it says it is ready: a Python handler
    # around a sleep would miss a signal that lands between its last check and the sleep's system call (the
    # handler runs when the sleep ends), and the test would wait for that instead of for `supervise`.
    child = ("import signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM}); "
             "print('ready', flush=True); signal.sigwait({signal.SIGTERM}); sys.exit(3)")
    parent = ("import sys; from pathlib import Path; from lab.commands.run import supervise; "
              f"sys.exit(supervise([sys.executable, '-c', {child!r}], Path('.'), {{}}))")
    proc = subprocess.Popen([sys.executable, "-c", parent], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 3
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_a_stop_signal_that_comes_while_the_server_starts_is_passed_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """SIGTERM while the server process is being created is neither lost nor ends `vpn-lab run` by itself: it reaches
    the server as soon as that exists, and a server killed by it gives 128 + 15, as a shell reports it."""
    real_popen = subprocess.Popen

    def popen_interrupted(*args: object, **kwargs: object) -> subprocess.Popen[bytes]:
        os.kill(os.getpid(), signal.SIGTERM)  # the handler runs here, before the server exists
        return real_popen(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(run_command.subprocess, "Popen", popen_interrupted)
    before = signal.getsignal(signal.SIGTERM)
    code = run_command.supervise([sys.executable, "-c", "import time; time.sleep(600)"], Path("."), {})
    assert code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is before
