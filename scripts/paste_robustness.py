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
- mail-wrap-76: each line broken at the last space within 76 columns, as a mail or a mailing-list archive wraps it;
- terminal-cut-80: each line cut every 80 columns, wherever the cut falls, as a terminal or a fixed-width page does;
- run-together: the lines joined by spaces on one line (a page or a chat that lost the line breaks), counted only on
  excerpts whose every line starts with a timestamp, charon's thread or an ASA message id;
- newest-first: the lines reversed, counted only on the same excerpts (the times tell the order).

A gateway's other tunnels (`tunnels` checks): a healthy development excerpt of the same daemon whose addresses and
connection names share nothing with the failing one, its pluto state serials and charon SA numbers moved on as one
daemon numbers them, pasted after the failing excerpt (after), before it (before), or line by line in turn
(interleaved). A fixed seed picks the healthy excerpt.

The lab's real daemon logs (`lab` checks, scripts/lab_logs.py): every side of tests/data/strongswan-lab whose cause
scenarios.yaml names (charon and pluto, every release run), reshaped as it reaches an engineer, counted where it reads
otherwise than the side's log as written: through syslog (a host and the daemon's name and pid), journald's ISO form,
pfSense's log table (tab columns, newest first), charon-systemd's journal (no thread, subsystem or IKE SA tag), charon's
bare messages as `ipsec up` prints them, without the IKE SA tags (charon's ike_name = no), without charon's [ENC] and
[NET] lines (log levels that leave those subsystems out, or a paste filtered to the rest), without time stamps, newest
first, and a syslog file with other programs' lines in between; and both peers' logs pasted together: without time
stamps, the responder's first, one side's GUI lines (newest first) before or after the other side's log, and through
syslog with each side's host.

    .venv/bin/python scripts/paste_robustness.py [paste|tunnels|lab|all] [--list] [--limit N]
"""

from __future__ import annotations

import argparse
import collections
import html
import random
import re
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lab.analyzer import analyze_text  # noqa: E402
from lab.analyzer.paste.runs import _STARTS  # noqa: E402
from scripts import lab_logs  # noqa: E402

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
    "mail-wrap-76": (lambda t: mail_wrapped(t, 76), None),
    "terminal-cut-80": (lambda t: terminal_cut(t, 80), None),
}


def mail_wrapped(text: str, width: int) -> str:
    """The text as a mail wraps it: each line broken at the last space that fits, the space dropped."""
    return "\n".join(part for line in text.splitlines()
                     for part in textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False) or [""])


def terminal_cut(text: str, width: int) -> str:
    """What a terminal or a fixed-width page does: every line cut every `width` characters, wherever the cut falls."""
    return "\n".join(line[i:i + width] for line in text.splitlines() for i in range(0, max(len(line), 1), width))

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


_CHARON_TAG = re.compile(r"(\d\d\[\w+\] )<[^>]*> ")
_OTHER_PROGRAMS = ("systemd[1]: Started Session 5 of user root.",
                   "CRON[1234]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
                   "kernel: [12345.678901] e1000: eth0 NIC Link is Up 1000 Mbps Full Duplex, Flow Control: RX",
                   "dhclient[812]: DHCPREQUEST for 10.0.0.5 on eth0 to 10.0.0.1 port 67")


def _syslog(text: str, host: str = "gw") -> str:
    if lab_logs.PLUTO_LINE.search(text):
        return lab_logs.PLUTO_LINE.sub(rf"\1 {host} pluto[4242]: ", text)
    return lab_logs.CHARON_LINE.sub(rf"\1 {host} charon[4242]: \2", text)


def _journal_iso(text: str) -> str:
    if lab_logs.PLUTO_LINE.search(text):
        return lab_logs.PLUTO_LINE.sub("2026-12-01T06:05:34+0900 gw pluto[4242]: ", text)
    return lab_logs.CHARON_LINE.sub(lambda m: "2026-12-01T06:05:34+0900 gw charon[4242]: " + m.group(2), text)


def _newest_first(text: str) -> str:
    return "".join(reversed(text.splitlines(keepends=True)))


def _systemd(text: str) -> str:
    """charon-systemd's journal: the time, host and program, then the message without thread, subsystem or tag."""
    if lab_logs.PLUTO_LINE.search(text):
        return _syslog(text)
    return lab_logs.CHARON_FRAME.sub(r"\1 gw charon-systemd[4242]: ", text)


def _no_stamps(text: str) -> str:
    return lab_logs.CHARON_LINE.sub(r"\2", lab_logs.PLUTO_LINE.sub("", text))


def _noisy(text: str) -> str:
    out = []
    for i, line in enumerate(_syslog(text).splitlines(keepends=True)):
        out.append(line)
        if i % 4 == 3 and (m := re.match(r"(\w{3} [ \d]\d \d\d:\d\d:\d\d) gw ", line)):
            out.append(f"{m.group(1)} gw {_OTHER_PROGRAMS[(i // 4) % len(_OTHER_PROGRAMS)]}\n")
    return "".join(out)


LAB_SIDE: dict[str, Callable[[str], str]] = {
    "syslog": _syslog,
    "journald-iso": _journal_iso,
    "gui-newest-first": lab_logs.gui_newest_first,
    "charon-systemd": _systemd,
    "bare": lambda text: _no_stamps(text) if lab_logs.PLUTO_LINE.search(text) else lab_logs.CHARON_FRAME.sub("", text),
    "untagged": lambda text: _CHARON_TAG.sub(r"\1", text),
    "no-enc-net": lab_logs.without_enc_net,
    "no-stamps": _no_stamps,
    "newest-first": _newest_first,
    "syslog-noisy": _noisy,
}
LAB_BOTH: dict[str, Callable[[str, str], str]] = {
    "no-stamps": lambda left, right: _no_stamps(left) + _no_stamps(right),
    "responder-first": lambda left, right: right + left,
    "gui-first": lambda left, right: lab_logs.gui_newest_first(left) + right,
    "gui-last": lambda left, right: right + lab_logs.gui_newest_first(left),
    "syslog-hosts": lambda left, right: _syslog(left, "gw-a") + _syslog(right, "gw-b"),
}


def _lab(limit: int, listing: bool) -> None:
    sides = ([(n, "", s) for n, s, _ in lab_logs.CASES]
             + [(n, v, s) for n, v, s, _ in lab_logs.VARIANT_CASES]
             + [(n, v, s) for n, v, s, _ in lab_logs.CHARON_RELEASE_CASES])
    one = [c for c in sides if c[2] != "B"][: limit or None]
    both = [c for c in sides if c[2] == "B"][: limit or None]
    print(f"{len(one)} lab sides and {len(both)} two-sided lab pastes")
    base = {c: _category(lab_logs.paste(c[0], c[2], c[1])) for c in (*one, *both)}
    for name, change in LAB_SIDE.items():
        flips = [(*c, base[c], got) for c in one if (got := _category(change(lab_logs.excerpt(c[0], c[2], c[1]))))
                 != base[c]]
        print(f"lab {name:20} {len(flips):4} of {len(one)} read otherwise")
        for flip in flips if listing else ():
            print("   ", *flip)
    for name, join in LAB_BOTH.items():
        flips = [(*c, base[c], got) for c in both
                 if (got := _category(join(lab_logs.excerpt(c[0], "L", c[1]), lab_logs.excerpt(c[0], "R", c[1]))))
                 != base[c]]
        print(f"lab both {name:15} {len(flips):4} of {len(both)} read otherwise")
        for flip in flips if listing else ():
            print("   ", *flip)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="?", choices=("paste", "tunnels", "lab", "all"), default="all")
    parser.add_argument("--list", action="store_true", help="list every flip (excerpt ids, and the category read)")
    parser.add_argument("--limit", type=int, default=0,
                        help="read only the first N development excerpts, lab sides and two-sided pastes (a quick look)")
    args = parser.parse_args()
    if args.checks == "lab":
        _lab(args.limit, args.list)
        return 0
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
    if args.checks == "all":
        _lab(args.limit, args.list)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
