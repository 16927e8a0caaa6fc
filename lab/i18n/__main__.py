"""`python -m lab.i18n update|check`: bring the .po files in step with the code and the data, or report.

    update   add new messages (untranslated), mark changed data text fuzzy, drop what is gone
    check    list what is missing, unused, untranslated or has wrong placeholders (exit 1 if anything)
"""

from __future__ import annotations

import sys

from lab.i18n.catalogue import check, scan, update
from lab.i18n.data import data_messages


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] not in {"update", "check"}:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    messages, problems = scan()
    for p in problems:
        print(f"{p.where}: {p.text}", file=sys.stderr)
    data = data_messages()
    if argv[0] == "update":
        for domain, found in (("messages", messages), ("data", data)):
            counts = update(found, domain)
            print(f"{domain}: {len(found)} messages; untranslated: "
                  + ", ".join(f"{lang} {n}" for lang, n in counts.items() if lang != "en"))
        return 1 if problems else 0
    bad = bool(problems)
    for domain, found in (("messages", messages), ("data", data)):
        report = check(found, domain)
        for name in ("missing", "unused", "untranslated", "placeholders"):
            items = getattr(report, name)
            if items:
                bad = bad or name != "untranslated" or domain == "messages"
                print(f"{domain}: {len(items)} {name}")
                for item in items[:50]:
                    print(f"  {item}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
