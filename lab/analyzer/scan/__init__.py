"""The streaming scan: one pass, memory flat in the size of the input.

Text is processed in blocks of whole lines. Each block goes once through the multi-pattern prefilter
(`lab.analyzer.prefilter`: every pattern keyword in one Hyperscan database), so only lines that
contain a keyword ever meet a regex; each candidate line is tried against the patterns of the
keywords it contains, in pattern order, and the first that matches turns it into a protocol event.
What is kept per file is bounded: the first and the last MAX_EVENTS events, and every failure in between
(up to MAX_FINDINGS) with the context line before it.

A long log is mostly lines that can change none of that, so after the first MAX_EVENTS events a block is
scanned only for the keywords of failure patterns, and a line is read (located, decoded, matched) only
when it may be a failure, is the context line before one (found by scanning a small window before it
for all keywords), or is among the last MAX_EVENTS events - found by scanning and reading backwards from
the newest line once PENDING_BYTES of input wait. A file on disk is looked at that way only at its end:
its waiting blocks leave memory and are read again from the file where a line is needed. The result is
exactly that of reading every candidate line in order (`Scanner(lazy=False)`;
tests/unit/test_analyzer_lazy.py compares the two).
"""

from __future__ import annotations

from lab.analyzer.scan.lines import (
    CHUNK,
    LONG_LINE,
    blocks_from_lines,
    blocks_from_text,
    plain_chars,
    shown,
    unmasked,
)
from lab.analyzer.scan.scanner import Scanner, ScanResult

# The caps the scanner reads (MAX_EVENTS, MAX_FINDINGS, PENDING_BYTES, BACKED_*) live in `scanner` only: a test
# or a caller that changes one changes it there.
__all__ = [
    "CHUNK",
    "LONG_LINE",
    "ScanResult",
    "Scanner",
    "blocks_from_lines",
    "blocks_from_text",
    "plain_chars",
    "shown",
    "unmasked",
]
