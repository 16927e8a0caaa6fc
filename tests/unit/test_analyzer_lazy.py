"""The fast scan reads candidate lines only when they can matter; it must give exactly what reading every
candidate line in order gives (`Scanner(lazy=False)`, the straightforward per-line path).

Compared on everything the scan hands on (every kept event with its line number, pattern, text and
parsed values, the notes, the line count, the truncation) and on the whole analysis (findings, primary,
facts, order handling, masking, `--json`), for the real-log corpus, the sample and incident logs, and
generated logs; with the real caps and with tiny caps and blocks, so the backward look for the last
events, the middle failures with their context lines and block boundaries are all exercised on real lines.
"""

from __future__ import annotations

import copy
import dataclasses
import random
import sys
from pathlib import Path

import pytest

from lab import DATASETS_DIR
from lab.analyzer import analyze_path, analyze_text
from lab.analyzer import files as files_module  # the file readers and the limits they read
from lab.analyzer import pasted as pasted_module
from lab.analyzer.formats import SIGNATURES, _signatures
from lab.analyzer.patterns import load_patterns
from lab.analyzer.result import _finish
from lab.analyzer.scan import Scanner, ScanResult, blocks_from_text
from lab.analyzer.scan import lines as scan_lines
from lab.analyzer.scan import scanner as scan_module  # the scanner and the caps it reads
from lab.analyzer.scan import segments as scan_segments
from lab.errors import InputError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_analyzer  # the benchmark's log generators

LOGS = sorted(
    p for p in DATASETS_DIR.rglob("*") if p.is_file() and p.suffix in (".log", ".jsonl", ".txt") and p.name != "README.md"
)


def _snapshot(result: ScanResult) -> ScanResult:
    """The scan result as it is now: the analysis changes its events (weights, categories, values) in place. Every
    event is copied with its own values (a deep copy of the whole result costs a fifth of these tests' time)."""
    return dataclasses.replace(
        result, events=[dataclasses.replace(e, values=copy.deepcopy(e.values)) for e in result.events],
        notes=list(result.notes), extra=dict(result.extra), order_texts=list(result.order_texts), formats=result.formats)


def _both(text: str, size: int = scan_lines.CHUNK, fmt: str = "auto") -> tuple[tuple, tuple]:
    out = []
    for lazy in (False, True):
        scanner = Scanner(fmt, lazy=lazy)
        for block in blocks_from_text(text, size):
            scanner.feed(block)
        scanned = _snapshot(scanner.result())  # the analysis below works on the result's own events
        try:
            out.append((scanned, _finish(scanner)))
        except InputError as exc:  # an empty log: the same message either way
            out.append((scanned, str(exc)))
    return out[0], out[1]


def _same(text: str, size: int = scan_lines.CHUNK, fmt: str = "auto") -> None:
    (scan_ref, ref), (scan_fast, fast) = _both(text, size, fmt)
    assert [(e.line, e.pattern, e.text) for e in scan_fast.events] == [(e.line, e.pattern, e.text) for e in scan_ref.events]
    assert scan_fast == scan_ref  # every field of every event, notes, lines, truncation, formats
    assert fast == ref
    if not isinstance(ref, str):
        assert fast.to_json() == ref.to_json()


def _tiny_caps(monkeypatch: pytest.MonkeyPatch, events: int = 3, findings: int = 4, pending: int = 300) -> None:
    monkeypatch.setattr(scan_module, "MAX_EVENTS", events)
    monkeypatch.setattr(scan_module, "MAX_FINDINGS", findings)
    monkeypatch.setattr(scan_module, "PENDING_BYTES", pending)


def test_the_corpus_and_sample_logs_are_there() -> None:
    assert len([p for p in LOGS if "real-logs" in p.parts]) >= 150
    assert any("samples" in p.parts for p in LOGS) and any("incidents" in p.parts for p in LOGS)


@pytest.mark.parametrize("path", LOGS, ids=lambda p: str(p.relative_to(DATASETS_DIR)))
def test_each_log_reads_the_same(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_text(encoding="utf-8")
    _same(text)
    _tiny_caps(monkeypatch)
    _same(text)
    _same(text, size=97)  # blocks of a line or two: segments, cuts and line numbers across blocks


def test_reversed_and_two_sided_pastes_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Newest-first and two-sided pastes (the protocol layer's ordering) over the fast scan."""
    _tiny_caps(monkeypatch, events=5, findings=7)
    for path in LOGS[::7]:
        lines = path.read_text(encoding="utf-8").splitlines()
        _same("\n".join(reversed(lines)), size=211)
    samples = DATASETS_DIR / "samples"
    _same((samples / "strongswan-dpd-unreachable.log").read_text() + "\n" + (samples / "aws-dpd-timeout.jsonl").read_text())


def test_whole_corpus_as_one_long_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every excerpt one after the other: formats appear mid-stream and reorder the patterns for later
    lines, while earlier lines wait to be read under the order they came in."""
    text = "\n".join(p.read_text(encoding="utf-8").rstrip("\n") for p in LOGS)
    _same(text)
    _same(text, size=4096)
    for events, findings, pending in ((3, 4, 300), (50, 20, 5000), (200, 1000, 20000), (1000, 3, 100)):
        _tiny_caps(monkeypatch, events, findings, pending)
        _same(text, size=1500)
    _same(text, size=1500, fmt="strongswan")


@pytest.mark.parametrize("kind", ["sparse", "dense"])
def test_benchmark_logs_read_the_same(kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / f"{kind}.log"
    generate = bench_analyzer.generate if kind == "sparse" else bench_analyzer.generate_dense
    generate(path, 20_000)  # the dense log has more events than the first and last MAX_EVENTS: a middle part too
    text = path.read_text(encoding="utf-8")
    _same(text, size=200_000)
    monkeypatch.setattr(scan_module, "MAX_EVENTS", 700)
    monkeypatch.setattr(scan_module, "MAX_FINDINGS", 300)
    monkeypatch.setattr(scan_module, "PENDING_BYTES", 300_000)
    _same(text, size=100_000)


def test_random_logs_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """Random mixes of real corpus lines, pattern samples, noise, blank lines, CRLF and very long lines."""
    real = [line for p in LOGS for line in p.read_text(encoding="utf-8").splitlines()]
    samples = [s for p in load_patterns() for s in (*p.match_samples, *p.no_match_samples)]
    noise = ["noise line {i}", "", "Nov 29 10:01:02 host kernel: eth0 up {i}", '{{"ok": {i}}}']
    for seed in range(12):
        rnd = random.Random(seed)
        out = []
        for i in range(rnd.randint(200, 2500)):
            pick = rnd.random()
            if pick < 0.4:
                line = rnd.choice(real)
            elif pick < 0.7:
                line = rnd.choice(samples)
            elif pick < 0.995:
                line = rnd.choice(noise).format(i=i)
            else:  # a line over the long-line limit, with or without a keyword at its end
                line = "x" * (scan_lines.LONG_LINE + rnd.randint(1, 70_000)) + rnd.choice(["", " " + rnd.choice(samples)])
            out.append(line)
        text = ("\r\n" if seed % 3 == 0 else "\n").join(out)
        _tiny_caps(monkeypatch, rnd.randint(1, 60), rnd.randint(1, 40), rnd.randint(100, 200_000))
        _same(text, size=rnd.choice([500, 3000, 70_000, 1 << 20]))


def test_long_line_note_names_the_same_line(monkeypatch: pytest.MonkeyPatch) -> None:
    # Caps a tenth of the real ones keep the long lines past the first events, with a tenth of the lines to read.
    _tiny_caps(monkeypatch, events=500, findings=500, pending=2 << 20)
    long_noise = "y" * (scan_lines.LONG_LINE + 10)
    hit = "x" * (scan_lines.LONG_LINE + 5) + " AWS tunnel DPD timed out after 3 retransmits"
    lines = [f"Nov 29 10:01:02 cgw charon: 09[IKE] sending DPD request {i}" for i in range(1_200)]
    lines[1_100:1_100] = [long_noise, hit]
    _same("\n".join(lines))
    assert any("Line 1,102 is" in n or "Line 1102 is" in n for n in analyze_text("\n".join(lines)).notes)


def test_file_path_is_the_fast_path_and_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "sparse.log"
    bench_analyzer.generate(path, 30_000)
    fast = analyze_path(path)
    def eager(fmt: str = "auto") -> Scanner:
        return Scanner(fmt, lazy=False)

    monkeypatch.setattr(files_module, "Scanner", eager)
    monkeypatch.setattr(pasted_module, "Scanner", eager)
    assert analyze_path(path) == fast


def test_format_signatures_match_like_python() -> None:
    """Detection matches the format signatures with Hyperscan; the answer must be Python's for every line."""
    matched = _signatures().matched
    lines = [line for p in LOGS for line in p.read_text(encoding="utf-8").splitlines()]
    lines += [s for p in load_patterns() for s in (*p.match_samples, *p.no_match_samples)]
    lines += ["charon\x1c x", "é charon: 09[IKE] x", "pluto[12]: é", ""]
    for line in lines:
        assert sorted(matched(line[:2000])) == sorted(n for n, rx in SIGNATURES.items() if rx.search(line[:2000])), line


@pytest.mark.parametrize(("in_memory", "hits", "blocks"), [
    (8 << 20, 1 << 21, 4096),  # the real bounds: every block of this file stays in memory
    (6000, 1 << 21, 4096),  # blocks leave memory and are read again from the file, looked at once at the end
    (6000, 25, 4096),  # ... and looked at whenever the failure hits waiting pass a bound
    (6000, 1 << 21, 3),  # ... or the blocks waiting do
])
def test_big_file_read_as_bytes_reads_like_the_text_stream(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           in_memory: int, hits: int, blocks: int) -> None:
    """Files over the in-memory limit are read as bytes in blocks; the result is the text stream's, also when the
    blocks waiting to be read leave memory and are read again from the file (after a byte order mark, with CRLF)."""
    text = "\r\n".join(p.read_text(encoding="utf-8").rstrip("\n") for p in LOGS if p.read_text(encoding="utf-8").isascii())
    path = tmp_path / "big.log"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode() + b"\r\n")
    monkeypatch.setattr(files_module, "MAX_BYTES", 1000)
    monkeypatch.setattr(files_module, "CHUNK", 5000)
    monkeypatch.setattr(scan_module, "MAX_EVENTS", 40)
    monkeypatch.setattr(scan_module, "MAX_FINDINGS", 30)
    monkeypatch.setattr(scan_module, "PENDING_BYTES", 20_000)
    monkeypatch.setattr(scan_module, "BACKED_IN_MEMORY", in_memory)
    monkeypatch.setattr(scan_module, "BACKED_HITS", hits)
    monkeypatch.setattr(scan_module, "BACKED_BLOCKS", blocks)
    loads: list[int] = []
    load = scan_segments._Segment.load

    def counted(seg: scan_segments._Segment) -> bool:
        loaded = load(seg)
        loads.append(loaded)
        return loaded

    monkeypatch.setattr(scan_segments._Segment, "load", counted)
    from_file = analyze_path(path)
    streamed = files_module.analyze_stream(path.open("r", encoding="utf-8-sig", newline=""))
    assert from_file == streamed and from_file.lines == text.count("\n") + 1
    assert any(loads) == (in_memory < 1 << 20)  # blocks were read again from the file exactly when they left memory


def test_a_file_that_changes_while_it_is_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log rotated or written over between reading a block and reading it again gives a clear error, not the
    other file's lines."""
    path = tmp_path / "live.log"
    lines = [f"Nov 29 10:01:{i % 60:02d} cgw-a charon: 05[IKE] retransmit {i % 5 + 1} of request with message ID {i}"
             for i in range(3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(files_module, "MAX_BYTES", 1000)
    monkeypatch.setattr(files_module, "CHUNK", 20_000)
    monkeypatch.setattr(scan_module, "MAX_EVENTS", 40)
    monkeypatch.setattr(scan_module, "BACKED_IN_MEMORY", 30_000)
    original = scan_module.Scanner.back_with

    def rotated(self: Scanner, read, offset: int = 0) -> None:  # type: ignore[no-untyped-def]
        original(self, lambda at, size: read(at, size).replace(b"cgw-a", b"cgw-b"), offset)

    monkeypatch.setattr(scan_module.Scanner, "back_with", rotated)
    with pytest.raises(InputError, match="changed while it was read"):
        analyze_path(path)
    monkeypatch.setattr(scan_module.Scanner, "back_with", original)
    assert analyze_path(path).lines == 3000  # the same file, unchanged: read


def test_big_file_with_a_bad_byte_names_where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bad.log"
    path.write_bytes(b"fine line\n" * 3000 + b"caf\xe9 DPD\n" + b"fine line\n" * 10)
    monkeypatch.setattr(files_module, "MAX_BYTES", 1000)
    monkeypatch.setattr(files_module, "CHUNK", 4096)
    with pytest.raises(InputError, match=r"not UTF-8 text \(an invalid byte near line 2,8\d\d\)"):
        analyze_path(path)


def test_a_blank_line_at_a_block_end_is_counted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A block cut right after a blank line keeps that line (line numbers stay those of the file)."""
    path = tmp_path / "blank.log"
    path.write_bytes(b"abc\n\nxyz\n" * 50)
    monkeypatch.setattr(files_module, "MAX_BYTES", 10)
    monkeypatch.setattr(files_module, "CHUNK", 5)
    assert analyze_path(path).lines == 150
    assert files_module.analyze_stream(path.open("r", encoding="utf-8", newline="")).lines == 150


def test_asking_for_the_result_twice_gives_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The truncation note is not repeated, and a block fed later is in the next result."""
    _tiny_caps(monkeypatch)
    text = "\n".join(p.read_text(encoding="utf-8").rstrip("\n") for p in LOGS[:40])
    for lazy in (False, True):
        scanner = Scanner(lazy=lazy)
        scanner.feed(text)
        first = copy.deepcopy(scanner.result())
        assert first.truncated and scanner.result() == first
        assert sum("More than" in str(n) for n in first.notes) == 1
        scanner.feed("Nov 29 10:01:02 cgw charon: 09[IKE] giving up after 5 retransmits")
        assert scanner.result().lines == first.lines + 1
