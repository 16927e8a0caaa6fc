"""`vpn-lab replays [--json]`: the bundled incident replays (for `vpn-lab status --replay SLUG` and the Monitor)."""

from __future__ import annotations

import argparse
import json

from lab import replay
from lab.i18n import data_text, t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replays", help=t("list the bundled incident replays"))
    p.add_argument("--json", action="store_true", help=t("print a JSON array"))
    p.set_defaults(func=_replays)


def _replays(args: argparse.Namespace) -> int:
    incidents = replay.incidents()
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "slug": i.slug,
                        "title": i.title,
                        "summary": i.summary,
                        "connections": [c.id for c in i.snapshot.connections],
                        "expected_category": i.expected_category,
                    }
                    for i in incidents
                ],
                indent=2,
            )
        )
        return 0
    for i in incidents:
        print(f"{i.slug}: {data_text('replay.title', i.title)}")
        print(f"    {data_text('replay.summary', i.summary)}")
    return 0
