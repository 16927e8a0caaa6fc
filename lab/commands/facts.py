"""`vpn-lab facts [--json]`: the AWS facts the lab states, with their sources."""

from __future__ import annotations

import argparse
import json

from lab.facts import facts
from lab.i18n import data_text, t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("facts", help=t("list the AWS facts the lab states, with sources"))
    p.add_argument("--json", action="store_true", help=t("print a JSON array"))
    p.set_defaults(func=_facts)


def _facts(args: argparse.Namespace) -> int:
    table = facts()
    if args.json:
        print(json.dumps([f.to_json() for f in table.values()], indent=2))
        return 0
    for f in table.values():
        print(f"{f.key}: {data_text('fact.text', f.text)}")
        print(f"    {data_text('fact.summary', f.summary)}")
        for alt in f.disputed:
            print("    " + t("disputed: {value} - {note}", value=alt.value, note=data_text("fact.disputed", alt.note)))
        for url in f.sources:
            print("    " + t("source: {url}", url=url))
    return 0
