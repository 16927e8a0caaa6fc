"""Log lines that ran together on one line: a forum, a chat or a web page that lost the line breaks of a pasted log
shows its lines one after the other, separated by a space (`split_run_together`)."""

from __future__ import annotations

import re

# How a log line starts, in the shapes that repeat on every line of a log (tried in order; the first shape the line
# starts with and that recurs in it decides):
# - a syslog timestamp ("Mar  1 10:00:00"; the ASA's "Mar 01 2024 10:00:00");
# - an ISO 8601 or slashed date and time (RFC 5424 syslog, journald's short-iso, FRR, Go loggers);
# - charon's thread and group when the daemon writes no timestamp ("14[IKE] ");
# - a Cisco ASA or FTD message id without the ASA's timestamp ("%ASA-4-750003: ").
_STARTS = tuple(re.compile(p) for p in (
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2}(?: \d{4})? \d\d:\d\d:\d\d\b",
    r"\d{4}[-/]\d\d[-/]\d\d[T ]\d\d:\d\d:\d\d\b",
    r"\d\d\[(?:IKE|NET|ENC|CFG|KNL|CHD|LIB|JOB|MGR|ASN|DMN|ESP|APP|TLS|IMC|IMV|PTS|TNC)\] ",
    r"%(?:ASA|FTD)-\d-\d{6}: ",
))
_ALTERNATIVES = "|".join(f"(?:{s.pattern})" for s in _STARTS)
# (Two line starts after a space on one line: where none is, nothing ran together, told by one search of the text.)
_TWICE = re.compile(rf"[ \t](?:{_ALTERNATIVES})[^\n]*?[ \t](?:{_ALTERNATIVES})")
# A line that starts with the shape and has it again this many times after a space is lines that ran together. (Once
# is not enough: journald and a relay put their own timestamp before the daemon's, "Apr 02 14:15:55 host
# charon-systemd[1]: Apr  2 14:15:55 14[IKE] ...".)
MIN_REPEATS = 2
# Lines ran together only where the paste's lines are this long on average: log lines are 60 to 250 characters, three
# of them run together longer. (Telling it by one count keeps the cost of a long paste of whole lines nil.)
MIN_AVERAGE_WIDTH = 240


# Only the timestamps (the first two shapes) also stand inside a message ("certificate invalid (valid from Jan 01
# 15:56:23 2020 to Dec 31 15:56:23 2020)"): a line starts there only where the word after it starts like the word
# after the line's own timestamp: with a digit (charon's thread, "10[CFG]"; a year inside a message) or not (the host,
# the daemon, a connection's quoted name, a bracketed process id: "gw", '"conn"', "[1757]"). Only that counts: one
# daemon's lines go on with different words ('"conn" #5:' and '"conn":' in pluto's, "bgp_listen_accept:5610:" and
# "BGP SEND" in a Junos trace, FortiOS's "ike ..." and fnbamd's "[1757] handle_req-..." in one debug). A timestamp that carries what
# the line's own carries after its seconds (a fraction of a second of the same length, a colon: pluto's
# "22:12:31.908467: ") is a line's start whatever word follows it: no message quotes a time that way.
_TIMESTAMPS = _STARTS[:2]
_AFTER = re.compile(r"(\S*)\s+(\S)")
_DIGITS = re.compile(r"\d")


def _after(body: str, end: int) -> tuple[str, str]:
    """What follows a timestamp that ends at `end`: its tail up to the next space (".908467:" as ".999999:") and how
    the next word starts: "9" with a digit (a year, charon's thread number), else "a" (a host, a daemon, a quoted
    name, a bracketed process id or tag)."""
    m = _AFTER.match(body, end)
    if not m:
        return "", ""
    return _DIGITS.sub("9", m.group(1)), "9" if m.group(2).isdigit() else "a"


def _starts_like(own: tuple[str, str], other: tuple[str, str]) -> bool:
    return other[1] == own[1] or (len(own[0]) > 1 and other[0] == own[0])


def _split_line(line: str) -> list[str]:
    body = line.lstrip()
    for shape in _STARTS:
        if not (start := shape.match(body)):
            continue
        own = _after(body, start.end()) if shape in _TIMESTAMPS else None
        cuts = [m.start() for m in shape.finditer(body, 1) if body[m.start() - 1] in " \t"
                and (own is None or _starts_like(own, _after(body, m.end())))]
        if len(cuts) < MIN_REPEATS:
            continue
        bounds = [0, *cuts, len(body)]
        return [body[a:b].rstrip() for a, b in zip(bounds, bounds[1:], strict=False)]
    return [line]


def split_run_together(text: str) -> tuple[str, int]:
    """The text with every line that holds several log lines run together split into those lines, and how many lines
    were split (0: the text is returned as is). A line is split only before a log line's start of the same shape as
    its own start (see `_STARTS`), so a line that only quotes a time or a date stays whole."""
    if len(text) < MIN_AVERAGE_WIDTH * (text.count("\n") + 1) or not _TWICE.search(text):
        return text, 0
    out: list[str] = []
    split = 0
    for line in text.split("\n"):
        parts = _split_line(line) if len(line) >= 80 else [line]
        split += len(parts) > 1
        out.extend(parts)
    return ("\n".join(out), split) if split else (text, 0)
