"""`vpn-lab run [--team [--live-aws] [--aws-profile P]] [streamlit args]`: start the app (what `vpn-lab` alone does).

By default the app listens on 127.0.0.1 (this computer only). `--team` serves a training room or a
shared server (listening on every interface unless `--server.address` says otherwise): live AWS is
off unless `--live-aws` is given, and visitors never see or choose the server's AWS profiles (the
server reads with `--aws-profile`, or the default credential chain). A non-loopback
`--server.address` without `--team` is served in team mode too, and says so.

`vpn-lab` stays the parent of the Streamlit server: a stop signal it receives (SIGTERM from `docker stop` or a
service manager, SIGINT from Ctrl-C) is passed on to the server, and `vpn-lab` exits with the server's code.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from lab import PACKAGE_DIR, PROJECT_DIR
from lab.errors import InputError
from lab.i18n import M, t
from lab.ui.serving import LIVE_ENV, PROFILE_ENV, TEAM_ENV

LOOPBACK = "127.0.0.1"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help=t("start the app (default); extra arguments go to `streamlit run`"),
        description=t("Start the VPN Lab app on http://127.0.0.1:8501 (this computer only). Extra arguments are "
        "passed to `streamlit run`, e.g. `vpn-lab run --server.port 8600`. To serve a team, add --team "
        "(see the README's Security section)."),
    )
    p.add_argument("--team", action="store_true", help=t("serve other people over the network (every interface)"))
    p.add_argument("--live-aws", action="store_true", help=t("with --team: let visitors read live AWS with the server's identity"))
    p.add_argument("--aws-profile", metavar="P", help=t("with --team --live-aws: the one AWS profile the server reads with"))
    p.set_defaults(func=_run, streamlit_args=[])


def command(streamlit_args: list[str]) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(PACKAGE_DIR / "app.py"), *streamlit_args]


def _address(streamlit_args: list[str]) -> str | None:
    for i, arg in enumerate(streamlit_args):
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
        if arg == "--server.address" and i + 1 < len(streamlit_args):
            return streamlit_args[i + 1]
    return None


def _is_loopback(address: str) -> bool:
    if address in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def plan(args: argparse.Namespace) -> tuple[list[str], dict[str, str], str]:
    """(streamlit command, environment additions, the line that tells the operator how it is served)."""
    extra = list(args.streamlit_args)
    address = _address(extra)
    team = bool(args.team) or (address is not None and not _is_loopback(address))
    if (args.live_aws or args.aws_profile) and not team:
        raise InputError(M("--live-aws and --aws-profile configure team serving: add --team."))
    if args.aws_profile and not args.live_aws:
        raise InputError(M("--aws-profile names the profile for live AWS: add --live-aws."))
    if address is None:
        address = "0.0.0.0" if team else LOOPBACK
        extra = ["--server.address", address, *extra]
    env = {TEAM_ENV: "1" if team else "0", LIVE_ENV: "1" if args.live_aws else "0"}
    if args.aws_profile:
        env[PROFILE_ENV] = args.aws_profile
    if not team:
        note = f"VPN Lab listens on {address} (this computer only). To serve a team: vpn-lab run --team."
    else:
        live = (
            f"live AWS ON, read-only, as profile {args.aws_profile or '(default credential chain)'}"
            if args.live_aws
            else "live AWS OFF (add --live-aws to enable it)"
        )
        note = f"VPN Lab serves a team on {address}: {live}; visitors never see the local AWS profiles."
    return command(extra), env, note


FORWARDED = (signal.SIGTERM, signal.SIGINT)


def _wait(child: subprocess.Popen[bytes]) -> int:
    """The child's exit code, waiting in short steps: Python runs a signal handler between two steps of the program,
    and a signal that arrives just before a blocking wait(2) starts would wait with it until the child ends on its
    own (CI saw a stop request lost that way once). Between the steps the handler runs at once."""
    while True:
        try:
            return child.wait(timeout=1)
        except subprocess.TimeoutExpired:
            continue


def supervise(cmd: Sequence[str], cwd: Path, env: dict[str, str]) -> int:
    """Run `cmd` as a child, pass SIGTERM/SIGINT on to it, and return its exit code (128 + N when signal N
    ended it, as a shell reports it).

    The handlers go in before the child starts: a signal that comes while the child is being started is kept
    and passed on as soon as it exists, so no stop request is lost or ends this process on its own."""
    child: subprocess.Popen[bytes] | None = None
    pending: list[int] = []

    def forward(signum: int, _frame: object) -> None:
        # Ctrl-C in a terminal reaches the child too (same process group); a second SIGINT only repeats
        # Streamlit's own stop request, which it ignores once stopping.
        if child is None:
            pending.append(signum)
        elif child.poll() is None:
            child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in FORWARDED}
    try:
        child = subprocess.Popen(list(cmd), cwd=cwd, env=env)
        while pending:
            forward(pending.pop(0), None)
        code = _wait(child)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 128 - code if code < 0 else code


def _run(args: argparse.Namespace) -> int:
    cmd, env, note = plan(args)
    print(f"vpn-lab: {note}", file=sys.stderr)
    # Run from the project folder so that .streamlit/config.toml applies wherever vpn-lab was typed.
    return supervise(cmd, PROJECT_DIR, {**os.environ, **env})
