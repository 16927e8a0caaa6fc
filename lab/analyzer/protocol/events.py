"""The event a vendor pattern makes of a line, and the time stamps and hosts that put events in order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@dataclass
class Event:
    """One line read as a protocol event."""

    line: int
    text: str
    pattern: str
    kind: str
    explanation: str
    fmt: str
    exchange: str | None = None
    notify: str | None = None
    direction: str | None = None
    sa: str | None = None
    ike: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    tree_node: str = ""
    weak: bool = False  # the pattern reads a daemon's guess: decisive only when nothing firmer is seen
    stamp: float | None = None  # seconds, for ordering only (date when known, else time of day)
    host: str = ""  # the syslog host or device the line came from, when it says
    order: int = 0
    stream: int = 0
    category: str | None = None
    weight: str = "context"  # decisive | weak | context
    # the exchange an IKEv1 notification refers to: it travels in an informational exchange of its own
    refers_to: str | None = None


# Syslog / ISO / Android prefixes, for ordering and for telling two logs apart.
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_STAMP = re.compile(
    r"(?:(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})[ T,]+|(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? +(?P<d2>\d{1,2}),?(?: (?P<y2>\d{4}))? +|(?P<mo3>\d{2})-(?P<d3>\d{2}) )?"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?"
)
_TIME_OF_DAY = re.compile(r"\d:\d\d:\d\d")
_FORTI_STAMP = re.compile(r"date=(\d{4})-(\d{2})-(\d{2}) time=(\d{2}):(\d{2}):(\d{2})")
# FortiOS 6.2+ adds eventtime= (epoch in ns, or in s/us on some builds) to every log: it orders lines
# logged within the same second, which time= cannot.
_FORTI_EVENTTIME = re.compile(r"\beventtime=(\d{10,19})\b")
_HOST = re.compile(
    r"^(?:<\d+>\d? ?)?(?:\S+T\S+|\w{3} +\d+ \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\S*)\s+(?P<host>[A-Za-z][\w.-]*)\s+(?:\w[\w./-]*(?:\[\d+\])?:|%)"
)


def drop_kind(events: list[Event], kind: str) -> None:
    """Remove the events of `kind` (lines read only for what they say about other lines) and number the rest again,
    as put_in_order numbers them: readings look a few events around."""
    events[:] = [ev for ev in events if ev.kind != kind]
    for i, ev in enumerate(events, 1):
        ev.order = i


def stamp_of(line: str) -> float | None:
    """Seconds usable for ordering lines of one log (date when given, else the time of day)."""
    m = _FORTI_STAMP.search(line) if "date=" in line else None
    if m:
        y, mo, d, h, mi, s = map(int, m.groups())
        secs = float((((y * 12 + mo) * 31 + d) * 86400) + h * 3600 + mi * 60 + s)
        ev = _FORTI_EVENTTIME.search(line)
        if ev:
            digits = ev.group(1)
            fraction = int(digits[10:] or 0) / 10 ** len(digits[10:]) if len(digits) > 10 else 0.0
            secs += fraction * 0.999  # the order inside the second, kept inside it
        return secs
    # Every stamp has a time of day: look for one first (a JSON line has none in its first 200 characters and made
    # the full search try each position), then read the stamp from just before it (a date is at most 20 characters).
    hint = _TIME_OF_DAY.search(line, 0, 200)
    if not hint:
        return None
    ws = max(0, hint.start() - 40)
    end = hint.end() + _STAMP_AFTER
    if end > 200:  # near the 200th character: read in place (the search stops there)
        return _stamp_at(line, ws, 200)
    # Only this window decides the stamp (and the two characters around it a table column is told by): lines
    # logged in the same second share it, so it is read once for them.
    lo = max(0, ws - 2)
    return _stamp_window(line[lo:end], ws - lo)


_STAMP_AFTER = 9  # characters after the time of day a stamp can use: a fraction of up to 6 digits, and 2 more


@lru_cache(maxsize=4096)
def _stamp_window(window: str, at: int) -> float | None:
    return _stamp_at(window, at, len(window))


def _stamp_at(line: str, pos: int, endpos: int) -> float | None:
    m = _STAMP.search(line, pos, endpos)
    if not m:
        return None
    g = m.groupdict()
    secs = int(g["h"]) * 3600 + int(g["mi"]) * 60 + int(g["s"]) + (float("0." + g["f"]) if g["f"] else 0.0)
    if g["y"]:
        return (((int(g["y"]) * 12 + int(g["mo"])) * 31 + int(g["d"])) * 86400) + secs
    if g["mon"]:
        year = int(g["y2"]) if g["y2"] else 0
        return (((year * 12 + MONTHS[g["mon"]]) * 31 + int(g["d2"])) * 86400) + secs
    if g["mo3"]:  # Android logcat "11-29 10:01:02.123"
        return ((int(g["mo3"]) * 31 + int(g["d3"])) * 86400) + secs
    if line[max(0, m.start() - 2):m.start()] == "  " and line[m.end():m.end() + 2] == "  ":
        return None  # a column of a status table (BIRD's `show protocols` "since"): when a state began, not log order
    return secs


def stamp_kind(stamp: float) -> int:
    """What a stamp of `stamp_of` carries: a year (1), a month and day only (2), the time of day only (3). Stamps of two
    kinds do not compare (a syslog line has no year, an ISO one has)."""
    return 1 if stamp >= 1e9 else 2 if stamp >= 86400 else 3


def host_of(line: str) -> str:
    m = _HOST.match(line)
    return m.group("host") if m else ""


def later(ev: Event, than: Event) -> bool:
    """`ev` happened after `than`: in one log by the order of its lines; across two logs pasted one after the other
    (both peers) by their time stamps when both have one, since the second log's lines all come after the first's
    (two daemons' logs without time stamps: not known)."""
    if ev.stream != than.stream and ev.stamp is not None and than.stamp is not None and (
        stamp_kind(ev.stamp) == stamp_kind(than.stamp)
    ):
        return ev.stamp > than.stamp
    if ev.fmt != than.fmt and (ev.stamp is None or than.stamp is None):
        return False  # another daemon's log (the peer's) pasted after this one, with no time to compare: not known
    return ev.order > than.order
