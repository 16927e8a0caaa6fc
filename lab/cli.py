"""`vpn-lab`: start the app, or use the core from a terminal.

Each subcommand lives in `lab/commands/<name>.py` with `register(subparsers)`; its handler returns
the exit code. Exit codes: 0 success, 1 a finding worth alerting on (where a command says so),
2 bad input or an error (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from lab import i18n
from lab.errors import LabError
from lab.i18n import t

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
        description=t("VPN Lab: an interactive learning lab and troubleshooting guide for site-to-site VPNs. "
        "With no command, starts the app."),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    for command, p in sub.choices.items():
        if command != "run" and not any("--lang" in a.option_strings for a in p._actions):
            p.add_argument("--lang", choices=i18n.LANGS, help=i18n.t(LANG_HELP))
            _lang_on_actions(p)
    return parser


def _lang_on_actions(parser: argparse.ArgumentParser) -> None:
    """`vpn-lab class show CODE --lang ko` as well as `vpn-lab class --lang ko show CODE` (an action's own
    --lang sets the value only when given, so it never hides the command's)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                if not any("--lang" in a.option_strings for a in child._actions):
                    child.add_argument("--lang", choices=i18n.LANGS, default=argparse.SUPPRESS,
                                       help=i18n.t(LANG_HELP))


LANG_HELP = i18n.N_("language of the output: en or ko (default: from LC_ALL / LC_MESSAGES / LANG, else en); "
                    "JSON keys stay English")
# argparse's own words (usage, section titles, errors), translated through the catalogue while a command runs in
# another language (argparse looks them up with its module-level gettext `_`).
ARGPARSE_MESSAGES = (
    i18n.N_("usage: "), i18n.N_("positional arguments"), i18n.N_("options"), i18n.N_("show this help message and exit"),
    i18n.N_("the following arguments are required: %s"), i18n.N_("unrecognized arguments: %s"),
    i18n.N_("invalid choice: %(value)r (choose from %(choices)s)"), i18n.N_("argument %(argument_name)s: %(message)s"),
    i18n.N_("%(prog)s: error: %(message)s\n"), i18n.N_("expected one argument"),
    i18n.N_("invalid %(type)s value: %(value)r"), i18n.N_("ambiguous option: %(option)s could match %(matches)s"),
    i18n.N_("not allowed with argument %s"), i18n.N_("one of the arguments %s is required"),
    i18n.N_("expected at least one argument"), i18n.N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


def _language_of(argv: Sequence[str]) -> str:
    """The language a command line asks for before it is parsed (help and errors are written in it):
    `--lang ko` / `--lang=ko`, else the POSIX locale, else English."""
    for i, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in i18n.LANGS:
            return value
    return i18n.from_environment() or i18n.DEFAULT_LANG


@contextmanager
def _argparse_in(lang: str) -> Iterator[None]:
    """argparse's own messages in `lang` while the block runs."""
    original = argparse._  # type: ignore[attr-defined]
    if lang != i18n.DEFAULT_LANG:
        argparse._ = lambda message: i18n.t(message, lang)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


def _choose_language(args: argparse.Namespace) -> object:
    """--lang, else the POSIX locale (LANG=ko_KR.UTF-8), else English; returns the token to undo it."""
    return i18n.set_language(getattr(args, "lang", None) or i18n.from_environment() or i18n.DEFAULT_LANG)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        args_list = ["run"]
    early = i18n.set_language(_language_of(args_list))
    try:
        with _argparse_in(i18n.language()):
            parser = build_parser()
            # `vpn-lab run ARGS...` passes everything after `run` to streamlit untouched.
            if args_list[0] == "run":
                args, rest = parser.parse_known_args(args_list)
                args.streamlit_args = rest
            else:
                args = parser.parse_args(args_list)
    finally:
        i18n.reset_language(early)
    token = _choose_language(args)
    try:
        return int(args.func(args))
    except LabError as exc:
        print(f"vpn-lab: {i18n.render(exc)}", file=sys.stderr)
        if exc.hint:
            print(f"vpn-lab: {exc.hint}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    finally:
        i18n.reset_language(token)


if __name__ == "__main__":
    sys.exit(main())
