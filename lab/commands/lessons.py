"""`vpn-lab lessons [--json | --check] [--lang LANG]`: list or validate the lessons."""

from __future__ import annotations

import argparse
import json
import sys

from lab.lessons import DEFAULT_LANG, languages, load_catalog


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lessons",
        help="list the lessons, or validate every lesson file",
        description="List the lessons (default), print them as JSON, or validate every lesson file.",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print a JSON array of lessons")
    mode.add_argument(
        "--check", action="store_true", help="validate every lesson; exit 2 and print `path: problem` lines if any is invalid"
    )
    p.add_argument("--lang", help="language folder (default: every language for --check, en otherwise)")
    p.set_defaults(func=_lessons)


def _lessons(args: argparse.Namespace) -> int:
    if args.check:
        langs = [args.lang] if args.lang else languages() or [DEFAULT_LANG]
        catalogs = [load_catalog(lang) for lang in langs]
        errors = [line for c in catalogs for err in c.errors for line in err.lines()]
        for line in errors:
            print(line, file=sys.stderr)
        count = sum(len(c.lessons) for c in catalogs)
        if errors:
            print(f"{len(errors)} problem(s); {count} valid lesson(s).", file=sys.stderr)
            return 2
        print(f"All {count} lessons are valid.")
        return 0

    lang = args.lang or DEFAULT_LANG
    catalog = load_catalog(lang)
    if args.json:
        print(json.dumps([lesson.to_json() for lesson in catalog.lessons], indent=2, ensure_ascii=False))
    else:
        for lesson in catalog.lessons:
            print(f"{lesson.number:02d}  {lesson.title}  ({lesson.minutes} min, {len(lesson.quiz)} quiz questions)  [{lesson.id}]")
    for err in catalog.errors:
        for line in err.lines():
            print(f"invalid lesson skipped: {line}", file=sys.stderr)
    return 0
