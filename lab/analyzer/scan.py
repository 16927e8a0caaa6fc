"""The streaming scan: one pass, memory flat in the size of the input.

Text is processed in blocks of whole lines. Each block goes once through the multi-pattern prefilter
(`lab.analyzer.prefilter`: every pattern keyword in one Hyperscan database), so only lines that
contain a keyword ever meet a regex; each candidate line is tried against the patterns of the
keywords it contains, in pattern order, and the first that matches turns it into a protocol event.
What is kept per file is bounded: counters, the first and the last MAX_EVENTS events.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from lab.analyzer import formats as fmts
from lab.analyzer import protocol as proto
from lab.analyzer.patterns import FORMATS, Pattern, patterns_for
from lab.analyzer.prefilter import Prefilter
from lab.errors import InputError
from lab.masking import mask_secrets

MAX_FINDINGS = 5000
MAX_EVENTS = 5000  # events kept from the start of the log, and again from its end
# Event kinds that can name a cause on their own (kept from the middle of a long log), and the context
# a failure is read against (the exchange in progress, proposals, SA state).
FAILURE_EVENTS = frozenset(
    {"notify", "no_proposal", "auth_failed", "ts_unacceptable", "give_up", "dpd_dead", "delete", "rekey_collision",
     "rekey_failed", "bgp_down", "ike_mode_mismatch", "ike_version_mismatch", "ipsec_mode_mismatch",
     "nat_t_or_fragmentation"}
)
CONTEXT_EVENTS = frozenset({"exchange", "initiate", "established", "proposals", "dpd_probe", "nat_or_fragments"})
Raw = tuple[int, Pattern, str]  # (line number, the pattern that matched, the line) - parsed when kept
MAX_TEXT = 2000  # characters of a line kept in a finding
LONG_LINE = 65536
CHUNK = 1 << 22  # characters read at a time in stream mode
SMALL_BLOCK = 1 << 20  # blocks up to this size are format-checked line by line
SAMPLE_CHARS = 2000  # characters of a line the format detection looks at
SPREAD_LATER = 100  # lines sampled from each later block to notice a second source
_PAYLOAD_NOTIFY = re.compile(r"N\((\w+)\)")
_SENT = {
    "sent", "send", "sending", "sends", "to", "generating", "outbound", "out", "initiator", "tx", "local",
    "is sending", "sent to",
}
_RECEIVED = {
    "received", "receive", "receiving", "recv", "from", "parsed", "inbound", "in", "rx", "remote", "peer",
    "processed", "processing", "processing decrypted", "rcv'd", "rcvd", "received from",
}
_IKE_WORDS = ("ike", "isakmp", "phase1", "phase 1", "phase-1", "p1", "parent", "main", "aggressive", "ike_sa")
_CHILD_WORDS = ("child", "ipsec", "esp", "phase2", "phase 2", "phase-2", "p2", "quick", "ah")


@dataclass
class Stat:
    count: int = 0
    first: int = 0
    last: int = 0

    def add(self, line: int) -> None:
        self.count += 1
        self.first = self.first or line
        self.last = line


@dataclass
class ScanResult:
    format: str
    formats: tuple[str, ...]
    lines: int
    events: list[proto.Event]
    patterns: dict[str, Stat]
    notes: list[str]
    truncated: bool
    last_state_line: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _direction(raw: str) -> str | None:
    word = raw.strip().lower()
    if word in _SENT:
        return "sent"
    if word in _RECEIVED:
        return "received"
    return None


def _sa(raw: str) -> str | None:
    word = raw.strip().lower().replace("_", " ").replace("-", " ")
    if word.startswith(("child", "ipsec", "esp", "quick", "ah", "phase 2", "phase2", "p2", "established child", "2")):
        return "child"
    if word.startswith(
        ("ike", "isakmp", "oakley", "phase 1", "phase1", "p1", "parent", "main", "aggressive", "established ike", "1")
    ):
        return "ike"
    return None


class Scanner:
    """Feed blocks of complete lines (joined with "\\n"), then call result()."""

    def __init__(self, fmt: str = "auto") -> None:
        if fmt != "auto" and fmt not in FORMATS:
            raise InputError(f"Unknown log format '{fmt}'. Valid formats: auto, " + ", ".join(FORMATS))
        self.requested = fmt
        self.format = fmt if fmt != "auto" else ""
        self.formats: tuple[str, ...] = (fmt,) if fmt != "auto" else ()
        self.prefilter = Prefilter(())
        self.by_keyword: list[list[Pattern]] = []
        self.lines = 0
        self.head: list[Raw] = []
        self.middle: list[Raw] = []
        self.tail: deque[Raw] = deque(maxlen=MAX_EVENTS)
        self._context: Raw | None = None
        self.patterns: dict[str, Stat] = {}
        self.notes: list[str] = []
        self.truncated = False
        self.last_state_line = ""
        self._crlf_noted = False
        self._long_noted = False
        self._rank: dict[str, tuple[int, int]] = {}
        self._merged: dict[frozenset[int], list[Pattern]] = {}

    def _activate(self, formats: tuple[str, ...] | None) -> None:
        groups: dict[str, list[Pattern]] = {}
        for p in patterns_for(formats):
            for k in p.keywords:
                groups.setdefault(k, []).append(p)
        self.prefilter = _prefilter(tuple(groups))
        self.by_keyword = list(groups.values())
        self._merged = {}

    def _detect(self, block: str) -> None:
        """Detect formats in this block; a log that mixes sources gains patterns as new formats appear."""
        first = not self.format
        if first and len(block) <= SMALL_BLOCK:
            sample = block.split("\n")
        else:  # the first lines (first block only) plus lines spread over the whole block
            sample = block.split("\n", fmts.DETECT_LINES)[: fmts.DETECT_LINES] if first else []
            spots = fmts.DETECT_LINES if first else SPREAD_LATER
            step, last = max(1, len(block) // spots), -1
            for pos in range(step, len(block), step):
                start = block.rfind("\n", 0, pos) + 1
                if start != last:  # one sample per line, however long the line
                    last = start
                    end = block.find("\n", start, start + SAMPLE_CHARS)
                    sample.append(block[start : end if end >= 0 else start + SAMPLE_CHARS])
        best, seen = fmts.detect(line[:SAMPLE_CHARS] for line in sample)
        if not self.format:  # first block
            self.format, self.formats = best, seen
            if best == "unknown":
                self.notes.append(
                    "The format was not recognised; every pattern was tried. Choose the format if you know it."
                )
            # Every pattern stays active: excerpts mix devices, and a line of a format the first
            # lines did not show must still be read. The prefilter makes this cost nothing extra.
            # The detected formats' own patterns are tried first on each line.
            self._activate(None)
            self._prefer(seen)
            return
        if self.format == "unknown":
            if seen:
                self.format, self.formats = best, seen
            return
        new = tuple(f for f in seen if f not in self.formats)
        if new:
            self.formats += new
            self.notes.append(f"{', '.join(new)} lines appear from line {self.lines + 1:,} on.")
            self._prefer(self.formats)

    def _prefer(self, formats: tuple[str, ...]) -> None:
        """Order each keyword's patterns: those of the detected formats first, then file order."""
        wanted = set(formats)
        rank = {p.id: (0 if wanted.intersection(p.formats) else 1, _order(p)) for group in self.by_keyword for p in group}
        self._rank = rank
        self._merged = {}
        self.by_keyword = [sorted(group, key=lambda p: rank[p.id]) for group in self.by_keyword]

    def feed(self, block: str) -> None:
        """Scan a block of whole lines (no trailing newline needed)."""
        if not block:
            return
        if self.requested == "auto":
            self._detect(block)
        elif not self.by_keyword:
            self._activate(self.formats)
        if not self._crlf_noted and "\r\n" in block[:100000]:
            self._crlf_noted = True
            self.notes.append("Windows line endings (CRLF) were read as plain line ends.")
        base = self.lines
        last_line = 0 if block.endswith("\n") else 1  # a block may end without its line end
        self._remember_state(block)
        data = block.encode("utf-8", "surrogatepass")
        hits = self.prefilter.lines(data)
        line_no, counted_to = base + 1, 0
        for start, stop, ids in hits:
            line_no += data.count(b"\n", counted_to, start)
            counted_to = start
            self._classify(line_no, data[start:stop].decode("utf-8", "replace").rstrip("\r"), ids)
        # Line ends before the last hit were counted on the way; count only the rest of the block.
        self.lines = line_no - 1 + data.count(b"\n", counted_to) + last_line

    def _remember_state(self, block: str) -> None:
        pos = max(block.rfind('"ike_phase1_state"'), block.rfind('"TunnelIKEPhase1State"'))
        if pos >= 0:
            start = block.rfind("\n", 0, pos) + 1
            end = block.find("\n", pos)
            self.last_state_line = block[start : end if end >= 0 else len(block)]

    def _classify(self, line_no: int, line: str, ids: set[int]) -> None:
        if len(ids) == 1:
            candidates = self.by_keyword[next(iter(ids))]  # already in preference order
        else:
            key = frozenset(ids)
            candidates = self._merged.get(key)  # type: ignore[assignment]
            if candidates is None:
                rank = self._rank
                merged = {id(p): p for k in ids for p in self.by_keyword[k]}.values()
                candidates = self._merged[key] = sorted(merged, key=(lambda p: rank[p.id]) if rank else _order)
        for p in candidates:
            m = p.regex.search(line)
            if m is None:
                continue
            stat = self.patterns.get(p.id)
            if stat is None:
                stat = self.patterns[p.id] = Stat()
            stat.add(line_no)
            if len(line) > LONG_LINE and not self._long_noted:
                self._long_noted = True
                self.notes.append(f"Line {line_no} is {len(line):,} characters long; findings show it shortened.")
            if len(line) > MAX_TEXT + 256:  # keep what shows, and the part the pattern matched
                keep = MAX_TEXT + 256
                line = line[:keep] if m.end() <= keep else "… " + line[max(0, m.start() - 200) : m.end() + 200]
            self._add((line_no, p, line))
            return

    def _add(self, raw: Raw) -> None:
        """Keep the first MAX_EVENTS lines, the last MAX_EVENTS, and every failure line in between (up to
        MAX_FINDINGS) with the context line just before it (the exchange, proposals or SA state it refers
        to). Lines are parsed into events only when kept, so a long log costs a regex search per line."""
        if len(self.head) < MAX_EVENTS:
            self.head.append(raw)
            return
        if len(self.tail) == MAX_EVENTS:
            dropped = self.tail[0]
            self.truncated = True
            if dropped[1].event in FAILURE_EVENTS and len(self.middle) < MAX_FINDINGS:
                ctx = self._context
                if ctx is not None and ctx[0] < dropped[0] and (not self.middle or self.middle[-1][0] < ctx[0]):
                    self.middle.append(ctx)
                self.middle.append(dropped)
            elif dropped[1].event in CONTEXT_EVENTS:
                self._context = dropped
        self.tail.append(raw)

    def result(self) -> ScanResult:
        if self.truncated:
            self.notes.append(
                f"More than {2 * MAX_EVENTS:,} log events: the first and the last {MAX_EVENTS:,} and every failure "
                "in between were read in detail."
            )
        return ScanResult(
            format=self.format or "unknown",
            formats=self.formats,
            lines=self.lines,
            events=[_event(p, line_no, line) for line_no, p, line in (*self.head, *self.middle, *self.tail)],
            patterns=self.patterns,
            notes=self.notes,
            truncated=self.truncated,
            last_state_line=self.last_state_line,
        )


def _event(p: Pattern, line_no: int, line: str) -> proto.Event:
    m = p.regex.search(line)
    assert m is not None  # the line was kept because this pattern matched it
    values: dict[str, str] = {}
    for name, value in m.groupdict().items():
        if value:
            values.setdefault(name.rstrip("0123456789"), value)
    kind = p.event
    notify = p.notify or (proto.notify_name(values["notify"]) if "notify" in values and kind != "exchange" else None)
    exchange = p.exchange or (proto.exchange_name(values["exchange"]) if "exchange" in values else None)
    direction = p.direction or (_direction(values["direction"]) if "direction" in values else None)
    sa = p.sa or (_sa(values["sa"]) if "sa" in values else None)
    if kind == "exchange" and "notify" in values:
        # A payload list such as "[ N(AUTH_FAILED) ]": the first notify that means something decides.
        for raw in _PAYLOAD_NOTIFY.findall(values["notify"]):
            name = proto.notify_name(raw)
            if name in proto.NOTIFY_MEANING:
                kind, notify = "notify", name
                break
    text = line  # masked and shortened when shown (lab.analyzer.diagnosis)
    return proto.Event(
        line=line_no,
        text=text,
        pattern=p.id,
        kind=kind,
        explanation=p.explanation,
        fmt=p.formats[0],
        exchange=exchange,
        notify=notify,
        direction=direction,
        sa=sa,
        ike=p.ike or (1 if exchange in proto.IKEV1_EXCHANGES else None),
        values=values,
        tree_node=p.tree_node,
        weak=p.weak,
        stamp=proto.stamp_of(line),
        host=proto.host_of(line),
    )


_PREFILTERS: dict[tuple[str, ...], Prefilter] = {}


def _prefilter(keywords: tuple[str, ...]) -> Prefilter:
    """One compiled prefilter per keyword set, built once per process."""
    pf = _PREFILTERS.get(keywords)
    if pf is None:
        pf = _PREFILTERS[keywords] = Prefilter(keywords)
    return pf


_ORDER: dict[str, int] = {}


def _order(p: Pattern) -> int:
    if not _ORDER:
        for i, q in enumerate(patterns_for(None)):
            _ORDER[q.id] = i
    return _ORDER[p.id]


def _line_at(block: str, start: int) -> str:
    end = block.find("\n", start)
    return block[start : end if end >= 0 else len(block)].rstrip("\r")


def blocks_from_lines(lines: Iterable[str], size: int = 8192) -> Iterator[str]:
    """Group an iterable of lines (with or without line ends) into blocks of whole lines."""
    batch: list[str] = []
    for line in lines:
        batch.append(line[:-1] if line.endswith("\n") else line)
        if len(batch) >= size:
            yield "\n".join(batch)
            batch = []
    if batch:
        yield "\n".join(batch)


def blocks_from_text(text: str, size: int = CHUNK) -> Iterator[str]:
    """Cut a text into blocks that end on a line end, without copying the whole text line by line."""
    start = 0
    n = len(text)
    while start < n:
        end = min(start + size, n)
        if end < n:
            cut = text.rfind("\n", start, end)
            end = cut if cut > start else text.find("\n", end)
            end = n if end < 0 else end
        yield text[start:end]
        start = end + 1


@lru_cache(maxsize=8192)
def shown(line: str) -> str:
    """The line as findings show it: secrets masked (before shortening, so a cut key is still seen), at most
    MAX_TEXT. Only lines that become findings pay for masking; repeated lines are masked once."""
    text = mask_secrets(line)
    return text if len(line) <= MAX_TEXT and len(text) <= MAX_TEXT else text[:MAX_TEXT] + " …"
