"""The streaming scan: one pass, memory flat in the size of the input.

Text is processed in blocks of whole lines. For each block the scanner looks for every pattern
keyword with `str.find` (fast C search), so only lines that contain a keyword ever meet a regex;
each candidate line is then tried against the patterns of the keywords it contains, in pattern order.
What is kept per file is bounded: counters, first/last line per category and signal, at most
MAX_FINDINGS findings and a short window of context lines per category.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from lab.analyzer import formats as fmts
from lab.analyzer.model import Finding
from lab.analyzer.patterns import FORMATS, Pattern, patterns_for
from lab.errors import InputError
from lab.masking import mask_secrets

MAX_FINDINGS = 5000
CONTEXT_PER_CATEGORY = 20
MAX_TEXT = 2000  # characters of a line kept in a finding
LONG_LINE = 65536
CHUNK = 1 << 22  # characters read at a time in stream mode
SMALL_BLOCK = 1 << 20  # blocks up to this size are format-checked line by line
SAMPLE_CHARS = 2000  # characters of a line the format detection looks at
SPREAD_LATER = 100  # lines sampled from each later block to notice a second source


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
    findings: list[Finding]
    context: dict[str, deque[Finding]]
    categories: dict[str, Stat]
    patterns: dict[str, Stat]
    signals: dict[str, Stat]
    notes: list[str]
    truncated: bool
    last_state_line: str = ""
    extra: dict[str, str] = field(default_factory=dict)


class Scanner:
    """Feed blocks of complete lines (joined with "\\n"), then call result()."""

    def __init__(self, fmt: str = "auto") -> None:
        if fmt != "auto" and fmt not in FORMATS:
            raise InputError(f"Unknown log format '{fmt}'. Valid formats: auto, " + ", ".join(FORMATS))
        self.requested = fmt
        self.format = fmt if fmt != "auto" else ""
        self.formats: tuple[str, ...] = (fmt,) if fmt != "auto" else ()
        self.by_keyword: dict[str, list[Pattern]] = {}
        self.lines = 0
        self.findings: list[Finding] = []
        self.context: dict[str, deque[Finding]] = {}
        self.categories: dict[str, Stat] = {}
        self.patterns: dict[str, Stat] = {}
        self.signals: dict[str, Stat] = {}
        self.notes: list[str] = []
        self.truncated = False
        self.last_state_line = ""
        self._crlf_noted = False
        self._long_noted = False

    def _activate(self, formats: tuple[str, ...] | None) -> None:
        self.by_keyword = {}
        for p in patterns_for(formats):
            self.by_keyword.setdefault(p.keyword, []).append(p)

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
                self._activate(None)
            else:
                self._activate(seen)
            return
        if self.format == "unknown":
            if seen:
                self.format, self.formats = best, seen
            return  # every pattern is already active
        new = tuple(f for f in seen if f not in self.formats)
        if new:
            self.formats += new
            self.notes.append(f"{', '.join(new)} lines appear from line {self.lines + 1:,} on.")
            self._activate(self.formats)

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
        found: list[tuple[int, str]] = []
        for keyword in self.by_keyword:
            pos = block.find(keyword)
            while pos >= 0:
                found.append((pos, keyword))
                eol = block.find("\n", pos)
                pos = block.find(keyword, eol + 1) if eol >= 0 else -1
        if not found:
            self.lines = base + block.count("\n") + last_line
            return
        found.sort()
        # Walk the hits in order, counting line ends between them once (no per-line split of the block).
        line_no, counted_to, start = base + 1, 0, -1
        keywords: list[str] = []
        for pos, keyword in found:
            line_start = block.rfind("\n", 0, pos) + 1
            if line_start == start:
                keywords.append(keyword)
                continue
            if keywords:
                self._classify(line_no, _line_at(block, start), keywords)
            line_no += block.count("\n", counted_to, line_start)
            counted_to, start, keywords = line_start, line_start, [keyword]
        self._classify(line_no, _line_at(block, start), keywords)
        # Line ends before the last hit were counted on the way; count only the rest of the block.
        self.lines = line_no - 1 + block.count("\n", counted_to) + last_line

    def _remember_state(self, block: str) -> None:
        pos = max(block.rfind('"ike_phase1_state"'), block.rfind('"TunnelIKEPhase1State"'))
        if pos >= 0:
            start = block.rfind("\n", 0, pos) + 1
            end = block.find("\n", pos)
            self.last_state_line = block[start : end if end >= 0 else len(block)]

    def _classify(self, line_no: int, line: str, keywords: list[str]) -> None:
        candidates = sorted({id(p): p for k in keywords for p in self.by_keyword[k]}.values(), key=_order)
        for p in candidates:
            if not p.regex.search(line):
                continue
            self.patterns.setdefault(p.id, Stat()).add(line_no)
            if p.signal:
                self.signals.setdefault(p.signal, Stat()).add(line_no)
                return
            assert p.category is not None  # guaranteed by the loader
            if len(line) > LONG_LINE and not self._long_noted:
                self._long_noted = True
                self.notes.append(f"Line {line_no} is {len(line):,} characters long; findings show it shortened.")
            finding = Finding(
                line=line_no,
                time=fmts.line_time(line, _line_format(line)),
                category=p.category,
                phase=p.phase,
                pattern=p.id,
                text=_shown(line),
                explanation=p.explanation,
                tree_node=p.tree_node,
                decisive=p.decisive,
            )
            if p.decisive:
                self.categories.setdefault(p.category, Stat()).add(line_no)
                if len(self.findings) < MAX_FINDINGS:
                    self.findings.append(finding)
                else:
                    self.truncated = True
            else:
                self.context.setdefault(p.category, deque(maxlen=CONTEXT_PER_CATEGORY)).append(finding)
            return

    def result(self) -> ScanResult:
        if self.truncated:
            self.notes.append(f"More than {MAX_FINDINGS:,} findings: the first {MAX_FINDINGS:,} are listed.")
        return ScanResult(
            format=self.format or "unknown",
            formats=self.formats,
            lines=self.lines,
            findings=self.findings,
            context=self.context,
            categories=self.categories,
            patterns=self.patterns,
            signals=self.signals,
            notes=self.notes,
            truncated=self.truncated,
            last_state_line=self.last_state_line,
        )


_ORDER: dict[str, int] = {}


def _order(p: Pattern) -> int:
    if not _ORDER:
        for i, q in enumerate(patterns_for(None)):
            _ORDER[q.id] = i
    return _ORDER[p.id]


def _line_at(block: str, start: int) -> str:
    end = block.find("\n", start)
    return block[start : end if end >= 0 else len(block)].rstrip("\r")


def _line_format(line: str) -> str:
    if line.lstrip().startswith("{"):
        return "aws-json"
    if "date=" in line:
        return "fortigate"
    return "other"


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


def _shown(line: str) -> str:
    """The line as findings show it: secrets masked (before shortening, so a cut key is still seen), at most MAX_TEXT."""
    text = mask_secrets(line[: MAX_TEXT + 256])
    return text if len(line) <= MAX_TEXT and len(text) <= MAX_TEXT else text[:MAX_TEXT] + " …"
