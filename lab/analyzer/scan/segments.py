"""Blocks waiting to be read (what a block holds, where its lines are, which of its findings rank among those
kept), and the patterns ranked per keyword for the formats in play."""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator

from lab.analyzer.patterns import Pattern, patterns_for
from lab.analyzer.prefilter import Prefilter
from lab.analyzer.scan.lines import _CHECK, FAILURE_EVENTS, Raw, _order, _prefilter
from lab.errors import InputError
from lab.i18n import M

_MERGED_KEPT = 4096


class _Ranking:
    """The patterns a candidate line tries, in order, for the lines read while it applies (format detection
    may reorder them for later lines; lines read earlier keep the order they were read under)."""

    __slots__ = ("by_keyword", "failure", "merged", "rank")

    def __init__(self, by_keyword: list[list[Pattern]], rank: dict[str, tuple[int, int]]) -> None:
        self.by_keyword = by_keyword
        self.rank = rank
        self.merged: dict[frozenset[int], list[Pattern]] = {}
        # Keywords whose lines may be a failure event: the middle of a long log is scanned for these only.
        self.failure = frozenset(k for k, group in enumerate(by_keyword) if any(p.event in FAILURE_EVENTS for p in group))

    def candidates(self, ids: set[int]) -> list[Pattern]:
        if len(ids) == 1:
            return self.by_keyword[next(iter(ids))]  # already in preference order
        key = frozenset(ids)
        found = self.merged.get(key)
        if found is None:
            if len(self.merged) >= _MERGED_KEPT:  # shared by every log read in this process: bounded
                self.merged.clear()
            rank = self.rank
            merged = {id(p): p for k in ids for p in self.by_keyword[k]}.values()
            found = self.merged[key] = sorted(merged, key=(lambda p: rank[p.id]) if rank else _order)
        return found


_MISSING = object()  # a candidate line not read yet


class _Segment:
    """The part of one block after the first events, waiting to be read: the block's bytes, where the part
    begins (a line start), the hits of failure keywords in it (packed integers, see `Prefilter.packed`),
    what reading a line gave (by its start offset: a Raw, or None for no event) and a cursor for line
    numbers. Other candidate lines are found when needed, by scanning a window of the block again. A block
    read from a file may let its bytes go while it waits (`data` is None until `load` reads them again).
    Once every line that matters has been read, only the events are kept (`events_only`, `res` a list of
    Raw in order)."""

    __slots__ = ("begin", "check", "data", "events_only", "fails", "nl", "pos", "prefilter", "ranking", "res",
                 "size", "source", "start_line", "total")

    def __init__(self, data: bytes | None, begin: int = 0, fails: array[int] | None = None,
                 prefilter: Prefilter | None = None, ranking: _Ranking | None = None, start_line: int = 0,
                 total: int = 0, events: list[Raw] | None = None,
                 source: tuple[Callable[[int, int], bytes], int] | None = None) -> None:
        self.data = data
        self.events_only = events is not None
        # Where the block is in the file it was read from (a reader and the offset), when it can be read again
        # there: its bytes then leave memory while it waits (`evict`) and come back when needed (`load`).
        self.source = source
        self.size = len(data) if data is not None else 0
        self.check = data[:_CHECK] + data[-_CHECK:] if data is not None and source is not None else b""
        self.begin = begin
        self.fails = fails if fails is not None else array("q")
        self.prefilter = prefilter
        self.ranking = ranking
        self.res: dict[int, Raw | None] | list[Raw] = events if events is not None else {}
        self.start_line = start_line  # the line number of data[0]
        self.pos = self.nl = 0  # line ends in data[:pos]
        self.total = total  # line ends in data

    def line_no(self, start: int) -> int:
        """The line number at byte `start`, counting line ends from the nearest known point."""
        data, pos = self.data, self.pos
        assert data is not None
        if start >= pos:
            if len(data) - start < start - pos:
                nl = self.total - data.count(b"\n", start)
            else:
                nl = self.nl + data.count(b"\n", pos, start)
        elif start < pos - start:
            nl = data.count(b"\n", 0, start)
        else:
            nl = self.nl - data.count(b"\n", start, pos)
        self.pos, self.nl = start, nl
        return self.start_line + nl

    def end(self) -> int:
        return len(self.res) if self.events_only else self.size

    def evict(self) -> None:
        """Let the block's bytes go (they are read again from the file when needed)."""
        if self.source is not None:
            self.data = None

    def load(self) -> bool:
        """Bring the block's bytes back if they were let go; whether they were."""
        if self.data is not None or self.events_only or self.source is None:
            return False
        read, offset = self.source
        data = read(offset, self.size)
        if len(data) != self.size or data[:_CHECK] + data[-_CHECK:] != self.check:
            raise InputError(M("The log file changed while it was read (it was rotated or written over). "
                               "Read a copy of it, for example `cp` it to another file first."))
        self.data = data
        return True

    def events(self, lo: int) -> list[Raw]:
        """The events of the lines from offset lo on (from index lo when events only), in order."""
        if self.events_only:
            return self.res[lo:]  # type: ignore[return-value, index]
        res: dict[int, Raw | None] = self.res  # type: ignore[assignment]
        return [raw for start, raw in sorted(res.items()) if start >= lo and raw is not None]

    def lines_back(self, lo: int, hi: int, width: int = 512) -> Iterator[tuple[int, int, set[int]]]:
        """(start, stop, keyword ids) of the candidate lines starting in lo..hi-1, newest first; lo and hi
        are line starts (or the block's end). Windows grow from `width` bytes, each scanned once."""
        data, lines = self.data, self.prefilter.lines  # type: ignore[union-attr]
        assert data is not None
        end = hi
        while end > lo:
            ws = end - width
            if ws <= lo:
                ws = lo
            else:
                nl = data.rfind(b"\n", lo, ws)
                ws = nl + 1 if nl >= 0 else lo
            for start, stop, ids in reversed(lines(data[ws:end])):
                yield ws + start, ws + stop, ids
            end, width = ws, min(width * 4, 1 << 20)

    def lines_forward(self, lo: int, hi: int) -> Iterator[tuple[int, int, set[int]]]:
        """(start, stop, keyword ids) of the candidate lines starting in lo..hi-1, oldest first."""
        data, lines = self.data, self.prefilter.lines  # type: ignore[union-attr]
        assert data is not None
        start_at, width = lo, 4096
        while start_at < hi:
            if start_at + width >= hi:
                end = hi
            else:
                nl = data.find(b"\n", start_at + width - 1, hi)
                end = nl + 1 if nl >= 0 else hi
            for start, stop, ids in lines(data[start_at:end]):
                yield start_at + start, start_at + stop, ids
            start_at, width = end, min(width * 4, 1 << 20)


# Built once per process for each pattern set (a reload of the patterns makes new ones): every short paste read
# would otherwise spend milliseconds grouping and sorting a thousand patterns before its first line.
_ACTIVATIONS: dict[tuple[str, ...] | None, tuple[tuple[Pattern, ...], Prefilter, _Ranking, Prefilter]] = {}
_PREFERRED: dict[frozenset[str], tuple[_Ranking, _Ranking]] = {}


def _activation(formats: tuple[str, ...] | None) -> tuple[Prefilter, _Ranking, Prefilter]:
    """The prefilter, the patterns per keyword in file order and the failure-only prefilter for these formats
    (all patterns when None)."""
    every = patterns_for(None)
    hit = _ACTIVATIONS.get(formats)
    if hit is not None and hit[0] is every:
        return hit[1:]
    groups: dict[str, list[Pattern]] = {}
    for p in patterns_for(formats):
        for k in p.keywords:
            groups.setdefault(k, []).append(p)
    ranking = _Ranking(list(groups.values()), {})
    built = (_prefilter(tuple(groups)), ranking, _prefilter(tuple(groups), ranking.failure))
    _ACTIVATIONS[formats] = (every, *built)
    return built


def _preferred(wanted: frozenset[str]) -> _Ranking:
    """Every pattern per keyword (format detection reads with all of them, see Scanner._detect), those of the
    `wanted` formats first, then file order."""
    base = _activation(None)[1]
    hit = _PREFERRED.get(wanted)
    if hit is not None and hit[0] is base:
        return hit[1]
    groups = base.by_keyword
    rank = {p.id: (0 if wanted.intersection(p.formats) else 1, _order(p)) for group in groups for p in group}
    preferred = _PREFERRED[wanted] = (base, _Ranking([sorted(group, key=lambda p: rank[p.id]) for group in groups], rank))
    return preferred[1]
