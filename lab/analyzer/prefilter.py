"""The multi-pattern prefilter: which lines of a block contain any pattern keyword, in one pass.

Every pattern's literal keyword is compiled once into one Hyperscan database (Intel's maintained
multi-pattern engine, https://intel.github.io/hyperscan/) and a block of lines is scanned once,
whatever the number of patterns. A keyword written in lower case matches in any case (vendors
differ in capitalisation: "Hold Timer Expired", "hold time expired"); one with capitals matches
exactly (so "DPD" does not fire on every "dpd_enabled" field of an AWS JSON line). A keyword written
`re:<regex>` is a regular expression, matched exactly: for a line that only some values make worth reading
(charon's "sending packet ... (N bytes)" when N needs IP fragments), so the common values never leave the
engine. Only the lines it reports meet Python regexes. Without Hyperscan (a platform without its wheel) the same answer comes
from one `bytes.find` sweep per keyword.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Sequence

try:  # pragma: no cover - depends on the platform's wheels
    import hyperscan as _hs
except ImportError:  # pragma: no cover
    _hs = None

ENGINE = "hyperscan" if _hs is not None else "python"


class Prefilter:
    """Compiled once for a set of keywords; `lines(data)` gives (line start, line end, keyword ids)."""

    def __init__(self, keywords: Sequence[str], only: Iterable[int] | None = None) -> None:
        """`only`: the ids of the keywords to look for (a subset; ids stay those of `keywords`)."""
        self.keywords = tuple(keywords)
        self.ids = sorted(only) if only is not None else list(range(len(self.keywords)))
        self.shift = max(1, len(self.keywords)).bit_length()  # bits of a keyword id in a packed hit
        self._db = None
        if _hs is not None and self.ids:
            db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
            exprs = [_hs_literal(self.keywords[i]) for i in self.ids]
            flags = [_hs.HS_FLAG_CASELESS if caseless(self.keywords[i]) else 0 for i in self.ids]
            db.compile(expressions=exprs, ids=self.ids, elements=len(exprs), flags=flags)
            self._db = db
            self._scratch = _hs.Scratch(db)

    def hits(self, data: bytes) -> list[tuple[int, int]]:
        """(end offset, keyword id) of every keyword occurrence, in offset order."""
        if not self.ids:
            return []
        if self._db is not None:
            out: list[tuple[int, int]] = []
            append = out.append

            def on_match(kid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                append((end, kid))

            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
            return out
        found: list[tuple[int, int]] = []
        lowered = data.lower()
        for kid in self.ids:
            kw = self.keywords[kid]
            needle = kw.encode("utf-8")
            if kw.startswith(REGEX):
                eol = -1
                for m in re.finditer(kw[len(REGEX):].encode("utf-8"), data):
                    if m.start() > eol:  # the first occurrence on a line, as below
                        found.append((m.end(), kid))
                        eol = data.find(b"\n", m.end())
                        eol = len(data) if eol < 0 else eol
                continue
            hay = lowered if caseless(kw) else data
            pos = hay.find(needle)
            while pos >= 0:
                found.append((pos + len(needle), kid))
                eol = hay.find(b"\n", pos)
                pos = hay.find(needle, eol + 1) if eol >= 0 else -1
        found.sort()
        return found

    def packed(self, data: bytes) -> array[int]:
        """Every keyword occurrence as one integer, (end offset << shift) | keyword id, in offset order:
        eight bytes a hit, for blocks whose lines are read later (`lab.analyzer.scan`)."""
        out: array[int] = array("q")
        if not self.ids:
            return out
        shift = self.shift
        if self._db is not None:
            append = out.append

            def on_match(kid: int, _start: int, end: int, _flags: int, _ctx: object) -> None:
                append(end << shift | kid)

            self._db.scan(data, match_event_handler=on_match, scratch=self._scratch)
            return out
        out.extend(end << shift | kid for end, kid in self.hits(data))  # pragma: no cover
        return out

    def lines(self, data: bytes) -> list[tuple[int, int, set[int]]]:
        """The lines (start, end offsets, keyword ids) that contain at least one keyword."""
        out: list[tuple[int, int, set[int]]] = []
        last_start, last_end = -1, -1
        ids: set[int] = set()
        for end, kid in self.hits(data):
            if end <= last_end:
                ids.add(kid)
                continue
            start = data.rfind(b"\n", 0, end) + 1
            if start == last_start:
                ids.add(kid)
                continue
            stop = data.find(b"\n", end)
            stop = len(data) if stop < 0 else stop
            ids = {kid}
            out.append((start, stop, ids))
            last_start, last_end = start, stop
        return out


REGEX = "re:"  # the prefix of a keyword that is a regular expression


def caseless(keyword: str) -> bool:
    """A keyword in lower case matches in any case; one with capitals matches exactly (a regex: exactly)."""
    return keyword == keyword.lower() and not keyword.startswith(REGEX)


def keyword_in(keyword: str, line: str) -> bool:
    if keyword.startswith(REGEX):
        return re.search(keyword[len(REGEX):], line) is not None
    return keyword in line.lower() if caseless(keyword) else keyword in line


def _hs_literal(keyword: str) -> bytes:
    """A keyword as a Hyperscan expression matching it literally (a regex keyword as itself)."""
    if keyword.startswith(REGEX):
        return keyword[len(REGEX):].encode("utf-8")
    out = []
    for ch in keyword.encode("utf-8"):
        c = chr(ch)
        out.append(c if c.isalnum() or c == " " else f"\\x{ch:02x}")
    return "".join(out).encode("ascii")
