"""`vpn-lab`: start the app, or use the core from a terminal.

Each subcommand lives in `lab/commands/<name>.py` with `register(subparsers)`; its handler returns
the exit code. Exit codes: 0 success, 1 a finding worth alerting on (where a command says so),
2 bad input or an error (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from lab import i18n
from lab.errors import LabError

COMMAND_MODULES = (
    "lab.commands.run",
    "lab.commands.lessons",
    "lab.commands.facts",
    "lab.commands.logs",
    "lab.commands.simulate",
    "lab.commands.status",
    "lab.commands.replays",
    "lab.commands.db",
    "lab.commands.classes",
    "lab.commands.triage",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vpn-lab",
        description="VPN Lab: an interactive learning lab and troubleshooting guide for site-to-site VPNs. "
        "With no command, starts the app.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command, p in sub.choices.items():
        if command != "run" and not any("--lang" in a.option_strings for a in p._actions):
            p.add_argument("--lang", choices=i18n.LANGS, help=LANG_HELP)
            _lang_on_actions(p)
    return parser


def _lang_on_actions(parser: argparse.ArgumentParser) -> None:
    """`vpn-lab class show CODE --lang ko` as well as `vpn-lab class --lang ko show CODE` (an action's own
    --lang sets the value only when given, so it never hides the command's)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if not any("--lang" in a.option_strings for a in child._actions):
                    child.add_argument("--lang", choices=i18n.LANGS, default=argparse.SUPPRESS, help=LANG_HELP)


LANG_HELP = "language of the output: en or ko (default: from LC_ALL / LC_MESSAGES / LANG, else en); JSON keys stay English"


def _choose_language(args: argparse.Namespace) -> object:
    """--lang, else the POSIX locale (LANG=ko_KR.UTF-8), else English; returns the token to undo it."""
    return i18n.set_language(getattr(args, "lang", None) or i18n.from_environment() or i18n.DEFAULT_LANG)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        args_list = ["run"]
    parser = build_parser()
    # `vpn-lab run ARGS...` passes everything after `run` to streamlit untouched.
    if args_list[0] == "run":
        args, rest = parser.parse_known_args(args_list)
        args.streamlit_args = rest
    else:
        args = parser.parse_args(args_list)
    token = _choose_language(args)
    try:
        return int(args.func(args))
    except LabError as exc:
        print(f"vpn-lab: {exc}", file=sys.stderr)
        if exc.hint:
            print(f"vpn-lab: {exc.hint}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    finally:
        i18n.reset_language(token)


if __name__ == "__main__":
    sys.exit(main())
