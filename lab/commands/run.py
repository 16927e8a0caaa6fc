"""`vpn-lab run [streamlit args]`: start the app (what `vpn-lab` alone does)."""

from __future__ import annotations

import argparse
import subprocess
import sys

from lab import PACKAGE_DIR, PROJECT_DIR


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "run",
        help="start the app (default); extra arguments go to `streamlit run`",
        description="Start the VPN Lab app on http://localhost:8501. Extra arguments are passed to "
        "`streamlit run`, e.g. `vpn-lab run --server.port 8600`.",
    )
    p.set_defaults(func=_run, streamlit_args=[])


def command(streamlit_args: list[str]) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(PACKAGE_DIR / "app.py"), *streamlit_args]


def _run(args: argparse.Namespace) -> int:
    # Run from the project folder so that .streamlit/config.toml applies wherever vpn-lab was typed.
    try:
        return subprocess.call(command(args.streamlit_args), cwd=PROJECT_DIR)
    except KeyboardInterrupt:
        return 0
