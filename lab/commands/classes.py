"""`vpn-lab class`: create a class, show its progress, export it as CSV, delete it.

    vpn-lab class create "Network team, week 1" [--json]   -> code, facilitator key, join URL
    vpn-lab class show CODE [--json]
    vpn-lab class export CODE --csv results.csv
    vpn-lab class delete CODE

The database is the one `vpn-lab db upgrade` names (VPNLAB_DATABASE_URL or the SQLite file).
Errors (unknown code, unreachable database, newer schema) exit 2 with one line.
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from lab.errors import InputError
from lab.i18n import t

PUBLIC_URL_VAR = "VPNLAB_PUBLIC_URL"
JOIN_PATH = "class"  # the registry's url_path of the participants' page


def join_url(code: str) -> str:
    base = os.environ.get(PUBLIC_URL_VAR, "").strip().rstrip("/") or "http://localhost:8501"
    return f"{base}/{JOIN_PATH}?code={code}"


def quiz_sizes() -> dict[str, int]:
    """Lesson id -> number of quiz questions, in course order (English catalogue: ids are shared)."""
    from lab.lessons import load_catalog

    return {lesson.id: len(lesson.quiz) for lesson in load_catalog("en").lessons}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("class", help=t("create, show, export or delete a training class"),
                       description=t("Team training classes: a facilitator creates one, participants join with "
                       "its code. Set VPNLAB_PUBLIC_URL to the address participants open (for the join URL)."))
    csub = p.add_subparsers(dest="class_command", metavar="ACTION", required=True)
    c = csub.add_parser("create", help=t("create a class; prints its join code and the facilitator key"))
    c.add_argument("title", metavar="TITLE")
    c.add_argument("--json", action="store_true", help=t('print {"code", "facilitator_key", "url"}'))
    c.set_defaults(func=_create)
    s = csub.add_parser("show", help=t("participants, lessons done, quiz scores and drills of a class"))
    s.add_argument("code", metavar="CODE")
    s.add_argument("--json", action="store_true", help=t("print one JSON object"))
    s.set_defaults(func=_show)
    e = csub.add_parser("export", help=t("write a class's results as CSV"))
    e.add_argument("code", metavar="CODE")
    e.add_argument("--csv", type=Path, required=True, metavar="FILE", help=t("where to write ('-' for stdout)"))
    e.set_defaults(func=_export)
    d = csub.add_parser("delete", help=t("delete a class and everything about its participants"))
    d.add_argument("code", metavar="CODE")
    d.set_defaults(func=_delete)


def _now() -> datetime:
    return datetime.now(UTC)


def _create(args: argparse.Namespace) -> int:
    from lab.classes import create_class
    from lab.store import open_store

    row, key = create_class(open_store(), args.title, _now())
    out = {"code": row.code, "facilitator_key": key, "url": join_url(row.code)}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    print(f"Class \"{row.title}\" created.")
    print(f"  Join code:        {row.code}   (participants open {out['url']})")
    print(f"  Facilitator key:  {key}")
    print("Keep the facilitator key: it is shown only now and opens the class dashboard and drills.")
    return 0


def _show(args: argparse.Namespace) -> int:
    from lab.classes import class_report
    from lab.store import open_store

    report = class_report(open_store(), args.code, quiz_sizes())
    data = report.to_json()
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(f"{data['title']} (code {data['code']}): {len(data['participants'])} participant(s), "
          f"{len(data['drills'])} drill(s)")
    for p in data["participants"]:
        q = p["quiz"]
        print(f"  {p['name']}: {len(p['lessons_done'])} lesson(s) done, quiz {q['first_try_correct']}/"
              f"{q['answered']} right at the first try, drills answered {len(p['drills'])}")
    for d in data["drills"]:
        print(f"  drill \"{d['title']}\": {d['answers']} answer(s), {d['correct']} right"
              + (" (revealed)" if d["revealed"] else ""))
    return 0


def _export(args: argparse.Namespace) -> int:
    from lab.classes import class_report, export_csv
    from lab.store import open_store

    text = export_csv(class_report(open_store(), args.code, quiz_sizes()))
    if str(args.csv) == "-":
        print(text, end="")
        return 0
    try:
        args.csv.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"Cannot write {args.csv}: {exc.strerror or exc}") from exc
    print(f"Wrote {args.csv}")
    return 0


def _delete(args: argparse.Namespace) -> int:
    from lab.classes import delete_class
    from lab.store import open_store

    gone = delete_class(open_store(), args.code)
    print(f"Deleted class {args.code.strip().upper()}, its drills and answers, and {gone} participant(s) "
          "with their progress.")
    return 0
