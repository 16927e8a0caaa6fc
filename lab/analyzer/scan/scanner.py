"""The scanner: blocks of lines in, the events and findings worth keeping out, with the caps that keep memory
flat in the size of the input."""

from __future__ import annotations

import bisect
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from lab.analyzer import formats as fmts
from lab.analyzer import protocol as proto
from lab.analyzer.paste import unwrap_records
from lab.analyzer.patterns import FORMATS
from lab.analyzer.prefilter import Prefilter
from lab.analyzer.scan.lines import (
    _COMMAND_EVENTS,
    _COUNTER,
    _COUNTER_START,
    _DEVICE_LOGIN,
    _ENTITY,
    _ENTITY_BYTES,
    _ESCAPE_BYTES,
    _NOT_A_TUNNEL,
    _TYPOGRAPHIC_BYTES,
    FAILURE_EVENTS,
    LONG_LINE,
    MAX_TEXT,
    Raw,
    _entity_char,
    _event,
    _long_lines,
    _statistics_row,
    _typed_command,
    _with_event_header,
    plain_chars,
    unmasked,
)
from lab.analyzer.scan.segments import _MISSING, _activation, _preferred, _Ranking, _Segment
from lab.errors import InputError
from lab.i18n import M, Msg

MAX_FINDINGS = 5000
MAX_EVENTS = 5000  # events kept from the start of the log, and again from its end
CONTEXT_EVENTS = frozenset(
    {"exchange", "initiate", "established", "proposals", "dpd_probe", "nat_or_fragments", "peer_repeats", "conn_added",
     "conn_switched", "remote_access"}
)
SMALL_BLOCK = 1 << 20  # blocks up to this size are format-checked line by line
SAMPLE_CHARS = 2000  # characters of a line the format detection looks at
SPREAD_LATER = 100  # lines sampled from each later block to notice a second source
# Input read between two looks for the last MAX_EVENTS events (lazy mode): each look reads MAX_EVENTS
# events backwards, so a larger window reads fewer lines but holds more of the input.
PENDING_BYTES = 24 << 20
# A file on disk is read again where it is needed instead (`Scanner.back_with`): its waiting blocks leave memory
# once this much of it waits, and only the end of the log is looked at, once (a stream - a pipe, a gzip
# file, pasted text - has nothing to read again: it is looked at every PENDING_BYTES).
BACKED_IN_MEMORY = 8 << 20
# What waits for that one look is bounded too: the failure keywords' hits (eight bytes each) and the blocks.
BACKED_HITS = 1 << 21
BACKED_BLOCKS = 4096
# Order signals (pluto state serials, charon SA ids and message ids) are read from every line of the start of
# the input, not only from the lines patterns turn into events: "#4: initiating Child SA using IKE SA #1" or
# "sent CREATE_CHILD_SA request" match no pattern yet tell which way a paste runs. Pastes are short; the start
# of a long log is enough (its timestamps decide anyway).
ORDER_CHARS = 1 << 18
ORDER_LINE = re.compile(
    r"^[^\n]*?(?:#\d+: |\[\d+\](?!:)|\{\d+\}|\|\d+>|(?:generating|parsed) [A-Z]|(?:adding|deleting|deleted) SAD entry "
    # charon's kernel refusing an SA (see protocol.ordering._CHARON_KERNEL_STEP)
    r"|unable to add SAD entry |received netlink error: |unable to install [\w ]{0,22}IPsec SA \(SAD\)"
    # a BGP neighbor's state change (see protocol.ordering._BGP_CHANGE)
    r"|state change [A-Z]\w+ ?->|changed state from [A-Z]|went from [A-Z]\w+ to|old state [A-Z]\w+ event|PrevState=)[^\n]*",
    re.M,
)


@dataclass
class ScanResult:
    format: str
    formats: tuple[str, ...]
    lines: int
    events: list[proto.Event]
    notes: list[Msg]
    truncated: bool
    last_state_line: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # (line number, line) of the input's start that carry a protocol order signal, in input order, and the
    # number of lines they were collected from (events after that line add their own text).
    order_texts: list[tuple[int, str]] = field(default_factory=list)
    order_lines: int = 0


class Scanner:
    """Feed blocks of complete lines (joined with "\\n"), then call result().

    Every line with a pattern keyword is a candidate; reading one (its patterns' regexes) is the cost. The
    first MAX_EVENTS events are read as they come. After that a candidate line is read only when it can
    matter: when it may be a failure (its keywords belong to a failure pattern), when it is the context line
    before a failure, or when it ends up among the last MAX_EVENTS events (found by reading backwards from
    the newest line, every PENDING_BYTES of input). The result is the same as reading every candidate in
    order (`lazy=False`, the reference the tests compare with); only the work differs.
    """

    def __init__(self, fmt: str = "auto", lazy: bool = True) -> None:
        if fmt != "auto" and fmt not in FORMATS:
            raise InputError(M("Unknown log format '{format}'. Valid formats: {formats}", format=fmt,
                               formats="auto, " + ", ".join(FORMATS)))
        self.requested = fmt
        self.lazy = lazy
        self.format = fmt if fmt != "auto" else ""
        self.formats: tuple[str, ...] = (fmt,) if fmt != "auto" else ()
        self.prefilter = self._failures = Prefilter(())
        self.ranking = _Ranking([], {})
        self.lines = 0
        self.head: list[Raw] = []
        self.middle: list[Raw] = []
        self.tail: deque[Raw] = deque(maxlen=MAX_EVENTS)
        self._pending: list[_Segment] = []
        self._pending_bytes = 0  # of the waiting blocks' bytes held in memory
        self._pending_hits = 0  # failure keyword hits of the waiting blocks
        self._reader: Callable[[int, int], bytes] | None = None  # reads the file again (`back_with`)
        self._file_pos = 0  # where the next block fed as bytes starts in that file
        self._context: Raw | None = None
        self.notes: list[Msg] = []
        self.truncated = False
        self._result: ScanResult | None = None  # what result() gave, until the next block
        self.last_state_line = ""
        self._crlf_noted = False
        self._entities_noted = False
        self._records_noted = False
        self.unknown_format_note: Msg | None = None  # the note that the first block matched no format, if it did not
        self._long_noted = False
        self.order_texts: list[tuple[int, str]] = []
        self.order_lines = 0
        self._order_chars = 0

    def back_with(self, read: Callable[[int, int], bytes], offset: int = 0) -> None:
        """The blocks fed as bytes from now on are the bytes of a file from `offset` on, in order, and
        `read(offset, size)` reads them again: waiting blocks leave memory and are read again when needed."""
        self._reader, self._file_pos = read, offset

    def _activate(self, formats: tuple[str, ...] | None) -> None:
        self.prefilter, self.ranking, self._failures = _activation(formats)

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
                self.unknown_format_note = M(
                    "The format was not recognised; every pattern was tried. Choose the format if you know it."
                )
                self.notes.append(self.unknown_format_note)
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
            self.notes.append(M("{formats} lines appear from line {line:,} on.", formats=", ".join(new),
                                 line=self.lines + 1))
            self._prefer(self.formats)

    def _prefer(self, formats: tuple[str, ...]) -> None:
        """Order each keyword's patterns: those of the detected formats first, then file order."""
        self.ranking = _preferred(frozenset(formats))

    def feed(self, block: str) -> None:
        """Scan a block of whole lines (no trailing newline needed)."""
        if block:
            block = plain_chars(block)
            if "&" in block and _ENTITY.search(block):
                block = self._decoded(block)
            block = self._unwrapped(block)
            self._feed(block, block.encode("utf-8", "surrogatepass"))

    def feed_bytes(self, data: bytes) -> None:
        """Scan a block of whole lines read as bytes; invalid UTF-8 raises UnicodeDecodeError."""
        if data:
            as_read, offset = data, self._file_pos
            self._file_pos += len(data)
            if b"\x1b" in data:
                data = _ESCAPE_BYTES.sub(b"", data)
            if not data.isascii():  # (isascii is far cheaper than a search per wide space)
                for wide, plain in _TYPOGRAPHIC_BYTES:
                    if wide in data:
                        data = data.replace(wide, plain)
            text = data.decode("utf-8")
            block = self._decoded(text) if b"&" in data and _ENTITY_BYTES.search(data) else text
            block = self._unwrapped(block)
            # (the bytes as read when nothing was changed: no encoding again, and the file can give them again)
            if block is text:
                self._feed(block, data, offset if data is as_read and self._reader is not None else None)
            else:
                self._feed(block, block.encode("utf-8", "surrogatepass"))

    def _unwrapped(self, block: str) -> str:
        """The block with exported JSON records or CSV rows read as the daemon's lines (see lab.analyzer.paste)."""
        block, count = unwrap_records(block)
        if count and not self._records_noted:
            self._records_noted = True
            self.notes.append(M("Lines exported as JSON records or CSV rows (from a log platform, a firewall's export "
                                "or journalctl -o json) were read by their message field, with the record's time, "
                                "host and program."))
        return block

    def _decoded(self, block: str) -> str:
        if not self._entities_noted:
            self._entities_noted = True
            self.notes.append(M("HTML character references such as &quot; were read as the characters they stand for "
                                "(the lines were copied from a web page's source)."))
        return _ENTITY.sub(_entity_char, block)

    def _feed(self, block: str, data: bytes, offset: int | None = None) -> None:
        """Scan a block; `offset`: where its bytes are in the file `back_with` reads, when they are the file's."""
        self._result = None
        if self.requested == "auto":
            self._detect(block)
        elif not self.ranking.by_keyword:
            self._activate(self.formats)
        if not self._crlf_noted and "\r\n" in block[:100000]:
            self._crlf_noted = True
            self.notes.append(M("Windows line endings (CRLF) were read as plain line ends."))
        base = self.lines
        last_line = 0 if block.endswith("\n") else 1  # a block may end without its line end
        self._remember_state(block)
        if self._order_chars < ORDER_CHARS:
            self._collect_order(block)
        total = data.count(b"\n")
        if self.lazy:
            self._feed_lazy(data, base + 1, total, offset)
        else:  # the reference: every candidate line read in order
            for _stop, raw in self._candidates(data, base + 1):
                self._add(raw)
        self.lines = base + total + last_line

    def _candidates(self, data: bytes, line_no: int) -> Iterator[tuple[int, Raw]]:
        """The block's candidate lines read in order, as (end offset, event) for those that are events;
        `line_no` is the block's first line number."""
        counted_to, ranking = 0, self.ranking
        for start, stop, ids in self.prefilter.lines(data):
            line_no += data.count(b"\n", counted_to, start)
            counted_to = start
            line = _with_event_header(data, start, data[start:stop].decode("utf-8", "replace").rstrip("\r"))
            raw = self._read(line_no, line, ids, ranking)
            if raw is not None:
                yield stop, raw

    def _feed_lazy(self, data: bytes, start_line: int, total: int, offset: int | None = None) -> None:
        begin, head = 0, self.head
        if len(head) < MAX_EVENTS:  # the first events, read in order
            for stop, raw in self._candidates(data, start_line):
                head.append(raw)
                if len(head) == MAX_EVENTS:
                    begin = stop + 1
                    break
            else:
                return
            if begin >= len(data):
                return
        fails = self._failures.packed(data)
        if begin:
            fails = fails[bisect.bisect_left(fails, begin << self._failures.shift) :]
        source = (self._reader, offset) if offset is not None and self._reader is not None else None
        seg = _Segment(data, begin, fails, self.prefilter, self.ranking, start_line, total, source=source)
        if not self._long_noted:
            # The note names the first long event line: read long lines now, in order.
            for start, stop in _long_lines(data):
                if start >= begin:
                    self._read_at(seg, start, stop)
                    if self._long_noted:
                        break
        self._pending.append(seg)
        self._pending_bytes += len(data) - begin
        self._pending_hits += len(fails)
        if seg.source is not None and self._pending_bytes > BACKED_IN_MEMORY:
            # Blocks of a file wait on disk: the older ones leave memory, and nothing is looked at yet (a look reads
            # the last MAX_EVENTS events, which the next blocks would replace).
            # (newest first, up to one already let go: every block before it was let go with it)
            for older in reversed(self._pending[:-1]):
                if older.source is None:
                    continue  # bytes changed on reading (or events only): they stay
                if older.data is None:
                    break
                older.evict()
                self._pending_bytes -= older.size - older.begin
        if (self._pending_bytes > PENDING_BYTES or self._pending_hits > BACKED_HITS
                or len(self._pending) > BACKED_BLOCKS):
            self._settle()

    def _collect_order(self, block: str) -> None:
        """Keep the lines of the input's first ORDER_CHARS characters that carry an order signal."""
        room = ORDER_CHARS - self._order_chars
        part = block
        if len(block) > room:
            cut = block.rfind("\n", 0, room)
            part = block[:cut] if cut > 0 else ""
            self._order_chars = ORDER_CHARS
        else:
            self._order_chars += len(block) + 1
        if part:
            line, at = self.lines + 1, 0
            for m in ORDER_LINE.finditer(part):
                line += part.count("\n", at, m.start())
                at = m.start()
                self.order_texts.append((line, m.group(0).rstrip("\r")))
            self.order_lines = self.lines + part.count("\n") + 1

    def _remember_state(self, block: str) -> None:
        pos = max(block.rfind('"ike_phase1_state"'), block.rfind('"TunnelIKEPhase1State"'))
        if pos >= 0:
            start = block.rfind("\n", 0, pos) + 1
            end = block.find("\n", pos)
            self.last_state_line = block[start : end if end >= 0 else len(block)]

    def _read(self, line_no: int | _Segment, line: str, ids: set[int], ranking: _Ranking, start: int = 0) -> Raw | None:
        """The event a candidate line is (the first of its patterns that matches), or None. `line_no` may be
        the line's segment, asked for the number only when the line is an event."""
        if line.startswith(_COUNTER_START) and _COUNTER.match(line):
            return None  # a statistics counter names an event type, it is no event
        readable: str | None | bool = False  # the line with address placeholders read (once, when needed)
        for p in ranking.candidates(ids):
            m = p.regex.search(line)
            if m is None:
                if readable is False:
                    readable = unmasked(line)
                if readable is None or (m := p.regex.search(readable)) is None:  # type: ignore[arg-type]
                    continue
            if p.event not in _COMMAND_EVENTS and _typed_command(m.string, m.start()):
                return None  # a command and its arguments, not what the daemon wrote
            if _statistics_row(line):
                return None  # a counter of events of a kind, not one of them
            if (p.event == "auth_failed" and _DEVICE_LOGIN.search(line)) or _NOT_A_TUNNEL.search(line):
                return None  # a login to the device itself, or a remote user's SSL VPN session: not the tunnel's
            if isinstance(line_no, _Segment):
                line_no = line_no.line_no(start)
            if len(line) > LONG_LINE and not self._long_noted:
                self._long_noted = True
                self.notes.append(M("Line {line} is {length:,} characters long; findings show it shortened.",
                                     line=line_no, length=len(line)))
            if len(line) > MAX_TEXT + 256:  # keep what shows, and the part the pattern matched
                keep = MAX_TEXT + 256
                line = line[:keep] if m.end() <= keep else "… " + line[max(0, m.start() - 200) : m.end() + 200]
                return (line_no, p, line, None)
            return (line_no, p, line, m)
        return None

    def _read_at(self, seg: _Segment, start: int, stop: int, ids: set[int] | None = None) -> Raw | None:
        """The line data[start:stop] of a segment, read once (its keyword ids are found if not given)."""
        res: dict[int, Raw | None] = seg.res  # type: ignore[assignment]
        raw = res.get(start, _MISSING)
        if raw is _MISSING:
            data = seg.data
            assert data is not None and seg.ranking is not None and seg.prefilter is not None
            if ids is None:
                found = seg.prefilter.lines(data[start:stop])
                ids = found[0][2] if found else set()
            line = _with_event_header(data, start, data[start:stop].decode("utf-8", "replace").rstrip("\r"))
            raw = res[start] = self._read(seg, line, ids, seg.ranking, start) if ids else None
        return raw  # type: ignore[return-value]

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

    def _settle(self) -> None:
        """Find the last MAX_EVENTS events of the pending lines, reading backwards from the newest line;
        everything before them leaves the window in order (as `_add` drops it from the tail), and what
        stays is kept as events only."""
        need = MAX_EVENTS
        cut: tuple[int, int] | None = None
        pending = self._pending
        for k in range(len(pending) - 1, -1, -1):
            seg = pending[k]
            if seg.events_only:
                if len(seg.res) >= need:
                    cut = (k, len(seg.res) - need)
                    break
                need -= len(seg.res)
                continue
            loaded = seg.load()
            for start, stop, ids in seg.lines_back(seg.begin, seg.size, 1 << 16):
                if self._read_at(seg, start, stop, ids) is not None:
                    need -= 1
                    if need == 0:
                        cut = (k, start)
                        break
            if loaded:  # (what reading its lines gave stays: the events after the cut come from it)
                seg.evict()
            if cut is not None:
                break
        first_k, first_at = cut if cut is not None else (0, pending[0].begin)
        for k in range(first_k):
            self._drop(pending[k], pending[k].begin, pending[k].end())
        self._drop(pending[first_k], pending[first_k].begin, first_at)
        kept: list[Raw] = []
        for k in range(first_k, len(pending)):
            kept += pending[k].events(first_at if k == first_k else 0)
        self._pending = [_Segment(None, events=kept)] if kept else []
        self._pending_bytes = self._pending_hits = 0

    def _drop(self, seg: _Segment, lo: int, hi: int) -> None:
        """The lines lo..hi-1 of a segment (offsets of line starts; indexes when events only) leave the
        window of the last events, in order: the same as `_add` dropping each of their events from the tail,
        reading only the lines that can matter - a possible failure, and the last context event before it."""
        if lo >= hi or (self.truncated and len(self.middle) >= MAX_FINDINGS):
            return  # (nothing to read)
        loaded = seg.load()
        try:
            self._drop_loaded(seg, lo, hi)
        finally:
            if loaded:
                seg.evict()

    def _drop_loaded(self, seg: _Segment, lo: int, hi: int) -> None:
        events = seg.events_only
        if not self.truncated:
            if events:
                self.truncated = True
            else:
                for start, stop, ids in seg.lines_forward(lo, hi):
                    if self._read_at(seg, start, stop, ids) is not None:
                        self.truncated = True
                        break
        if len(self.middle) >= MAX_FINDINGS:
            return
        context_from = lo
        if events:
            found: Iterable[tuple[int, Raw | None, int]] = ((i, r, i + 1) for i, r in enumerate(seg.res[lo:hi], lo))  # type: ignore[index]
        else:
            found = self._failure_lines(seg, lo, hi)
        for at, raw, after in found:
            if raw is None or raw[1].event not in FAILURE_EVENTS:
                continue
            if len(self.middle) >= MAX_FINDINGS:
                return
            self._find_context(seg, context_from, at)
            context_from = after
            ctx = self._context
            if ctx is not None and ctx[0] < raw[0] and (not self.middle or self.middle[-1][0] < ctx[0]):
                self.middle.append(ctx)
            self.middle.append(raw)
        if len(self.middle) < MAX_FINDINGS:
            self._find_context(seg, context_from, hi)

    def _failure_lines(self, seg: _Segment, lo: int, hi: int) -> Iterator[tuple[int, Raw | None, int]]:
        """(start, what reading it gave, next line start) of each line in lo..hi-1 with a failure keyword."""
        data, fails, shift = seg.data, seg.fails, self._failures.shift
        assert data is not None
        last_stop = -1
        for v in fails[bisect.bisect_left(fails, (lo + 1) << shift) : bisect.bisect_left(fails, (hi + 1) << shift)]:
            end = v >> shift
            if end <= last_stop:  # another keyword of the same line
                continue
            start = data.rfind(b"\n", 0, end) + 1
            stop = data.find(b"\n", end)
            if stop < 0:
                stop = len(data)
            last_stop = stop
            yield start, self._read_at(seg, start, stop), stop + 1

    def _find_context(self, seg: _Segment, lo: int, hi: int) -> None:
        """The last context event among the lines lo..hi-1, if any, becomes the context."""
        if seg.events_only:
            for i in range(hi - 1, lo - 1, -1):
                raw: Raw = seg.res[i]  # type: ignore[index,assignment]
                if raw[1].event in CONTEXT_EVENTS:
                    self._context = raw
                    return
            return
        for start, stop, ids in seg.lines_back(lo, hi):
            found = self._read_at(seg, start, stop, ids)
            if found is not None and found[1].event in CONTEXT_EVENTS:
                self._context = found
                return

    def result(self) -> ScanResult:
        """What the blocks fed so far hold; asked again before the next block, the same result."""
        if self._result is None:
            self._result = self._compute_result()
        return self._result

    def _compute_result(self) -> ScanResult:
        if self._pending:
            self._settle()
        tail = self._pending[0].events(0) if self._pending else list(self.tail)
        if self.truncated:
            self.notes.append(M(
                "More than {total:,} log events: the first and the last {kept:,} and every failure "
                "in between were read in detail.", total=2 * MAX_EVENTS, kept=MAX_EVENTS
            ))
        return ScanResult(
            format=self.format or "unknown",
            formats=self.formats,
            lines=self.lines,
            events=[_event(p, line_no, line, m) for line_no, p, line, m in (*self.head, *self.middle, *tail)],  # type: ignore[misc]
            notes=self.notes,
            truncated=self.truncated,
            last_state_line=self.last_state_line,
            order_texts=self.order_texts,
            order_lines=self.order_lines,
        )
