"""How the log analyzer's reading holds up when the development excerpts are pasted the way logs reach it in the field.

Every development excerpt of the real-log corpus (datasets/real-logs/dev) that the analyzer reads right is pasted
again, changed the way a page, a mail, a chat or a gateway's other tunnels change it, and the script counts the
excerpts whose primary cause changes (a "flip"). Held-out excerpts are never read.

Changes of the paste itself (`paste` checks):
- crlf, cr (a carriage return alone ends each line, as classic Mac OS writes them), nbsp, tab, indent4, quote (a
  mail reply), fence (Markdown), trailing spaces, blank lines between lines;
- texturized: what WordPress's wptexturize does to text outside a code block (dashes, ellipsis, primes, quotes);
- zero-width: a zero-width space at every line end;
- colours: a terminal's colour codes around every line (`docker logs` of a container run with a TTY, a `script`
  capture);
- run-together: the lines joined by spaces on one line (a page or a chat that lost the line breaks), counted only on
  excerpts whose every line starts with a timestamp, charon's thread or an ASA message id;
- newest-first: the lines reversed, counted only on the same excerpts (the times tell the order).

A gateway's other tunnels (`tunnels` checks): a healthy development excerpt of the same daemon whose addresses and
connection names share nothing with the failing one, its pluto state serials and charon SA numbers moved on as one
daemon numbers them, pasted after the failing excerpt (after), before it (before), or line by line in turn
(interleaved). A fixed seed picks the healthy excerpt.

    .venv/bin/python scripts/paste_robustness.py [paste|tunnels|all] [--list] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import html
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.analyzer import analyze_text  # noqa: E402
from lab.analyzer.paste.runs import _STARTS  # noqa: E402

CORPUS = ROOT / "datasets" / "real-logs"


def _category(text: str) -> str:
    primary = analyze_text(text).primary
    return primary.category if primary else "none"


def wptexturize(text: str) -> str:
    """What WordPress's wptexturize (wp-includes/formatting.php) does to a log outside a code block: its dash,
    ellipsis and prime rules in its order, then typographic double quotes."""
    text = text.replace("...", "\u2026").replace("---", "\u2014")
    text = re.sub(r"(?<=^|(?<=[ \t]))--(?=$|[ \t])", "\u2014", text, flags=re.M)
    text = re.sub(r"(?<!xn)--", "\u2013", text)
    text = re.sub(r"(?<=^|(?<=[ \t]))-(?=$|[ \t])", "\u2013", text, flags=re.M)
    text = re.sub(r"(?<=\d)'", "\u2032", text)
    return re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def starts_every_line(text: str) -> bool:
    """Whether every line (three or more) starts with a timestamp, charon's thread or an ASA message id."""
    lines = _lines(text)
    return len(lines) >= 3 and all(any(s.match(line) for s in _STARTS) for line in lines)


PASTE: dict[str, tuple[Callable[[str], str], Callable[[str], bool] | None]] = {
    "crlf": (lambda t: t.replace("\n", "\r\n"), None),
    "cr": (lambda t: t.replace("\n", "\r"), None),
    "nbsp": (lambda t: t.replace(" ", "\u00a0"), None),
    "tab": (lambda t: "\n".join("\t" + line for line in t.splitlines()), None),
    "indent4": (lambda t: "\n".join("    " + line for line in t.splitlines()), None),
    "quote": (lambda t: "\n".join("> " + line for line in t.splitlines()), None),
    "fence": (lambda t: "```\n" + t + "\n```", None),
    "html-entities": (html.escape, None),
    "trailing-spaces": (lambda t: "\n".join(line + "  " for line in t.splitlines()), None),
    "blank-lines": (lambda t: "\n\n".join(t.splitlines()), None),
    "texturized": (wptexturize, None),
    "zero-width": (lambda t: t.replace("\n", "\u200b\n"), None),
    "colours": (lambda t: "\n".join(f"\x1b[32m{line}\x1b[0m" for line in t.splitlines()), None),
    "run-together": (lambda t: " ".join(_lines(t)), starts_every_line),
    "newest-first": (lambda t: "\n".join(reversed(t.splitlines())), starts_every_line),
}

_IPV4 = re.compile(r"\b\d{1,3}(?:\.\d{1,3}){3}\b")
_NAMES = re.compile(r'"([\w.-]+)"|\b([\w-]+)[\[{]\d+[\]}]')


def renumbered(text: str) -> str:
    """The excerpt as the same daemon would number it later on: pluto's #N and charon's name[N], name{N} plus 500."""
    text = re.sub(r"#(\d+)", lambda m: f"#{int(m.group(1)) + 500}", text)
    return re.sub(r"(?<=[\w-])([\[{])(\d+)([\]}])", lambda m: f"{m.group(1)}{int(m.group(2)) + 500}{m.group(3)}", text)


def interleaved(first: str, second: str) -> str:
    """Two logs' lines taken in turn, as a daemon running both tunnels at once prints them."""
    a, b = first.splitlines(), second.splitlines()
    out = [line for pair in zip(a, b, strict=False) for line in pair] + (a[len(b):] or b[len(a):])
    return "\n".join(out) + "\n"


TUNNELS: dict[str, Callable[[str, str], str]] = {
    "after": lambda failing, healthy: failing.rstrip("\n") + "\n" + healthy,
    "before": lambda failing, healthy: healthy.rstrip("\n") + "\n" + failing,
    "interleaved": interleaved,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="?", choices=("paste", "tunnels", "all"), default="all")
    parser.add_argument("--list", action="store_true", help="list every flip (excerpt ids, and the category read)")
    parser.add_argument("--limit", type=int, default=0, help="read only the first N development excerpts (a quick look)")
    args = parser.parse_args()
    manifest = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))
    entries = manifest if isinstance(manifest, list) else manifest.get("excerpts", manifest.get("entries"))
    dev = [e for e in entries if e["split"] == "dev"][: args.limit or None]
    text = {e["id"]: (CORPUS / e["file"]).read_text(encoding="utf-8", errors="replace") for e in dev}
    right = [e for e in dev if _category(text[e["id"]]) == e["expected"]]
    print(f"{len(right)} of {len(dev)} development excerpts read right as collected")
    if args.checks in ("paste", "all"):
        for name, (change, eligible) in PASTE.items():
            pool = [e for e in right if eligible is None or eligible(text[e["id"]])]
            flips = [(e["id"], c) for e in pool if (c := _category(change(text[e["id"]]))) != e["expected"]]
            print(f"paste {name:16} {len(flips):4} of {len(pool)} read otherwise")
            for flip in flips if args.list else ():
                print("   ", *flip)
    if args.checks in ("tunnels", "all"):
        healthy = [e for e in right if e["expected"] == "none"]
        failing = [e for e in right if e["expected"] != "none"]
        for name, paste in TUNNELS.items():
            rng = random.Random(7)
            count, flips = 0, []
            for e in failing:
                t = text[e["id"]]
                ips, names = set(_IPV4.findall(t)), {n for pair in _NAMES.findall(t) for n in pair if n}
                pool = [h for h in healthy if h["vendor"] == e["vendor"] and not ips & set(_IPV4.findall(text[h["id"]]))
                        and not names & {n for pair in _NAMES.findall(text[h["id"]]) for n in pair if n}]
                if not pool:
                    continue
                other = rng.choice(pool)
                count += 1
                if (c := _category(paste(t, renumbered(text[other["id"]])))) != e["expected"]:
                    flips.append((e["id"], other["id"], c))
            by = collections.Counter((e_id.split("-")[0], c) for e_id, _, c in flips)
            print(f"tunnels {name:12} {len(flips):4} of {count} read otherwise  {dict(by.most_common(4))}")
            for flip in flips if args.list else ():
                print("   ", *flip)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
