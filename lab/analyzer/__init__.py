"""The log analyzer: VPN logs in, findings and one primary diagnosis out.

Two layers (DESIGN.md section 5): vendor patterns turn lines into protocol events (`patterns`,
`scan`, with one multi-pattern prefilter in `prefilter`); the protocol layer (`protocol`) puts the
events in order, separates the logs of a two-sided paste and reads what each event means in its
exchange; `diagnosis` names the primary cause with the lines that led to it and the facts they carry
(`listings` adds the proposals a device lists one item a line: FortiGate's and Cisco IOS's debug output);
`result` builds the analysis out of what the scan read. `pasted` undoes what a mail, a terminal or a table did to
pasted lines; `files` checks an upload or a file (size, binary content, encoding) and reads a large one in blocks.

    analyze(lines, fmt)       any iterable of lines (a file object streams)
    analyze_text(text, fmt)   pasted text
    analyze_bytes(data, fmt)  an upload; checks size, binary content and encoding first
    analyze_path(path, fmt)   a file on disk, read in blocks (the CLI)

One pass, memory flat in the input size (see `lab.analyzer.scan`). It never executes, renders or
stores what it reads. `MAX_BYTES` is re-exported here for reading only: the functions read it from `files`.
"""

from __future__ import annotations

from collections.abc import Iterable

from lab.analyzer.diagnosis import categories
from lab.analyzer.files import MAX_BYTES, analyze_bytes, analyze_path, analyze_stream, check_bytes
from lab.analyzer.model import CATEGORIES, PHASES, Analysis, Finding, Primary
from lab.analyzer.pasted import analyze_text
from lab.analyzer.patterns import FORMAT_NAMES, FORMATS, Pattern, load_patterns
from lab.analyzer.result import _finish
from lab.analyzer.scan import Scanner, blocks_from_lines

__all__ = [
    "CATEGORIES",
    "FORMATS",
    "FORMAT_NAMES",
    "MAX_BYTES",
    "PHASES",
    "Analysis",
    "Finding",
    "Pattern",
    "Primary",
    "analyze",
    "analyze_bytes",
    "analyze_path",
    "analyze_stream",
    "analyze_text",
    "categories",
    "check_bytes",
    "load_patterns",
]


def analyze(lines: Iterable[str], fmt: str = "auto") -> Analysis:
    """Analyze lines (with or without line ends) in one streaming pass."""
    scanner = Scanner(fmt)
    for block in blocks_from_lines(lines):
        scanner.feed(block)
    return _finish(scanner)
