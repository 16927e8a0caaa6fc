"""`vpn-lab lessons [--json | --check] [--lang LANG]`: list or validate the lessons."""

from __future__ import annotations

import argparse
import json
import sys

from lab import i18n
from lab.i18n import t, tn
from lab.lessons import DEFAULT_LANG, languages, load_catalog


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lessons",
        help=t("list the lessons, or validate every lesson file"),
        description=t("List the lessons (default), print them as JSON, or validate every lesson file."),
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help=t("print a JSON array of lessons"))
    mode.add_argument(
        "--check", action="store_true", help=t("validate every lesson; exit 2 and print `path: problem` lines if any is invalid")
    )
    p.add_argument(
        "--lang",
        choices=i18n.LANGS,
        help=t("language of the lessons and the output (default: every language for --check; otherwise from "
        "LC_ALL / LC_MESSAGES / LANG, else en). Lessons not yet written in a language are listed in English."),
    )
    p.set_defaults(func=_lessons)


def _check(args: argparse.Namespace) -> int:
    langs = [args.lang] if args.lang else languages() or [DEFAULT_LANG]
    missing = [lang for lang in langs if lang not in languages()]
    for lang in missing:
        print(t("There are no lessons in {language} yet (lessons/{lang}/ is empty or missing).",
                language=i18n.LANGUAGE_NAMES[lang], lang=lang), file=sys.stderr)
    catalogs = [load_catalog(lang) for lang in langs if lang not in missing]
    errors = [line for c in catalogs for err in c.errors for line in err.lines()]
    for line in errors:
        print(line, file=sys.stderr)
    count = sum(len(c.lessons) for c in catalogs)
    if errors or missing:
        print(tn("{n} problem; {count} valid lesson(s).", "{n} problems; {count} valid lesson(s).",
                 len(errors) + len(missing), count=count), file=sys.stderr)
        return 2
    print(t("All {count} lessons are valid.", count=count))
    return 0


def _lessons(args: argparse.Namespace) -> int:
    if args.check:
        return _check(args)
    wanted = i18n.language()
    lang = wanted if wanted in languages() else DEFAULT_LANG
    if lang != wanted:
        print(t("The lessons are not written in {language} yet; listing them in English.",
                language=i18n.LANGUAGE_NAMES[wanted]), file=sys.stderr)
    catalog = load_catalog(lang)
    if args.json:
        print(json.dumps([lesson.to_json() for lesson in catalog.lessons], indent=2, ensure_ascii=False))
    else:
        for lesson in catalog.lessons:
            print(t("{number:02d}  {title}  ({minutes} min, {questions} quiz questions)  [{id}]", number=lesson.number,
                    title=lesson.title, minutes=lesson.minutes, questions=len(lesson.quiz), id=lesson.id))
    for err in catalog.errors:
        for line in err.lines():
            print(t("invalid lesson skipped: {problem}", problem=line), file=sys.stderr)
    return 0
