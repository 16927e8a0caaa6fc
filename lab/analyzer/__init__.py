"""The log analyzer: VPN logs in, findings and one primary diagnosis out.

Two layers (DESIGN.md section 5): vendor patterns turn lines into protocol events (`patterns`,
`scan`, with one multi-pattern prefilter in `prefilter`); the protocol layer (`protocol`) puts the
events in order, separates the logs of a two-sided paste and reads what each event means in its
exchange; `diagnosis` names the primary cause with the lines that led to it and the facts they carry
(`listings` adds the proposals a device lists one item a line: FortiGate's and Cisco IOS's debug output).

    analyze(lines, fmt)       any iterable of lines (a file object streams)
    analyze_text(text, fmt)   pasted text
    analyze_bytes(data, fmt)  an upload; checks size, binary content and encoding first
    analyze_path(path, fmt)   a file on disk, read in blocks (the CLI)

One pass, memory flat in the input size (see `lab.analyzer.scan`). It never executes, renders or
stores what it reads.
"""

from __future__ import annotations

import dataclasses
import gzip
import os
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from lab.analyzer import bgp
from lab.analyzer import formats as fmts
from lab.analyzer.diagnosis import (
    bgp_connection_collision,
    bgp_graceful_restart,
    bgp_recovered,
    categories,
    diagnose,
    established_after,
    findings_of,
    recovered_first_attempt,
    refused_then_timed_out,
    resolved_collision,
    stray_esp,
    unmatched_esp,
    with_identity,
    with_peer,
    with_selectors,
)
from lab.analyzer.listings import with_proposals
from lab.analyzer.model import CATEGORIES, PHASES, Analysis, Finding, Primary
from lab.analyzer.paste import join_table_cells, rejoin_wrapped, strip_line_prefixes, unquote_mail
from lab.analyzer.patterns import FORMAT_NAMES, FORMATS, Pattern, load_patterns
from lab.analyzer.protocol import classify, exchange_words, facts_of, put_in_order
from lab.analyzer.scan import CHUNK, Scanner, blocks_from_lines, blocks_from_text, plain_chars
from lab.analyzer.scan import scanner as _scanner
from lab.errors import InputError
from lab.i18n import M, Mn, Msg, Seq

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

# The upload cap of the app (.streamlit/config.toml server.maxUploadSize = 20 MB) applies here too.
MAX_BYTES = 20 * 1024 * 1024
LOOSE_JOINS_TO_OVERRIDE = 3  # a paste's loose joins that make a cause read from broken parts give way to whole lines


def _finish(scanner: Scanner, event_lines: set[int] | None = None) -> Analysis:
    """The analysis of what the scanner read; `event_lines` (when given) gets the numbers of the lines read as
    events."""
    result = scanner.result()
    if result.lines == 0:
        raise InputError(M("The log is empty: paste or upload at least one log line."))
    states: dict[str, str] = {}
    if result.last_state_line:
        fields = fmts.aws_fields(result.last_state_line)
        if fields:
            for key in ("ike_phase1_state", "ike_phase2_state"):
                if value := fmts.aws_state(fields, key):
                    states[key] = value
    events, newest_first, streams = put_in_order(result.events, result.order_texts, result.order_lines)
    if event_lines is not None:
        event_lines.update(e.line for e in events)
    classify(events)
    primary = diagnose(events)
    for step in (with_peer, with_selectors, with_identity, with_proposals):  # facts from the lines around its own
        primary = step(primary, events)
    confirmed = {primary.category} if primary else set()
    if primary and "peer_alive_after_dpd" in primary.facts:  # the reasoning rests on the DPD exchange: show it
        confirmed.add("dpd_timeout")
    findings = findings_of(events, confirmed)
    stray = stray_esp(events)  # (a note below says what they are: no cause of theirs)
    if stray_lines := {e.line for e in stray}:
        findings = [dataclasses.replace(f, category="", phase="", tree_node="") if f.line in stray_lines else f for f in findings]
    notes = list(result.notes)
    if primary is None and (recovered := recovered_first_attempt(events)) is not None:
        notes.append(M("Line {line}: the first attempt got no answer from the peer; a later attempt established the "
                       "tunnel at line {up}. It recovered: nothing to fix now. If every bring-up starts this way, "
                       "check that the peer is ready when this side starts and that UDP 500/4500 pass.",
                       line=recovered[0].line, up=recovered[1].line))
    if primary is None and (collision := resolved_collision(events)) is not None:
        if established_after(events, collision):
            notes.append(M("Line {line}: both sides rekeyed the same SA at once; the protocol kept one and an SA was "
                           "established after it. That is normal, nothing to fix.", line=collision.line))
        else:
            notes.append(M("Line {line}: both sides rekeyed the same SA at once and the protocol kept one (the log "
                           "says which). That is normal, nothing to fix unless it repeats.", line=collision.line))
    if primary is None and (bgp_collision := bgp_connection_collision(events)) is not None:
        notes.append(M("Line {line}: both sides opened a BGP connection at once and the protocol closed one of the "
                       "two (Cease 6/7, connection collision resolution); the session goes on over the other. "
                       "Normal while a session starts, nothing to fix unless it repeats.", line=bgp_collision.line))
    if primary is None and (restart := bgp_graceful_restart(events)) is not None:
        notes.append(M("Line {line}: the BGP neighbor closed the session to restart with graceful restart (RFC 4724): "
                       "its routes are kept, marked stale, while it comes back, so traffic keeps flowing. Nothing is "
                       "down yet; if the neighbor does not return within its restart time, the routes are withdrawn "
                       "and the log says the restart timed out.", line=restart.line))
    bgp_noted = primary is None and (bgp_collision is not None or restart is not None)
    if primary is None and not bgp_noted and (back := bgp_recovered(events)) is not None:
        reason = bgp.read(back[0].text).get("bgp_reason") or ""
        notes.append(M("Line {line}: the BGP session went down and came up again at line {up}: it recovered, "
                       "nothing to fix now. Why it went down: {reason}. While it was down, the routes learned over it "
                       "were withdrawn (traffic moved to another tunnel, or stopped if there was none). If it keeps "
                       "happening, find out why it goes down.",
                       line=back[0].line, up=back[1].line,
                       reason=bgp.REASON_WORDS.get(reason, M("no reason given"))))
    if primary is None and (refused := refused_then_timed_out(events)) is not None:
        notes.append(M("Line {line}: the peer answered {exchange} with {notify}: it could not process this side's "
                       "request, and the negotiation timed out at line {timeout}. The peer is reachable, so this is no "
                       "path problem: compare the two sides' software versions and the options that change the request "
                       "(fragmentation, unusual proposals or payloads).",
                       line=refused[0].line, exchange=exchange_words(refused[0].exchange or "IKE"), notify=refused[0].notify or "",
                       timeout=refused[1].line))
    any_recovered = len(notes) > len(result.notes)  # the notes above: a failure seen that recovered or was resolved
    if stray:
        notes.append(M("Lines {lines}: ESP with an SPI this side has no SA for came from {n} different addresses, none "
                       "of them a peer named in these lines: stray ESP from the Internet (a scan), not a tunnel's SAs "
                       "out of step, and not read as a cause.", lines=", ".join(str(e.line) for e in stray[:10]),
                       n=len({facts_of(e)["peer"] for e in stray})))
    if unmatched := unmatched_esp(events):
        notes.append(Mn("Line {lines}: ESP with an unknown SPI matched no tunnel at all: stray ESP from the Internet, "
                        "dropped by this side, not a failure of a tunnel and not read as a cause.",
                        "Lines {lines}: ESP with an unknown SPI matched no tunnel at all: stray ESP from the Internet, "
                        "dropped by this side, not a failure of a tunnel and not read as a cause.",
                        len(unmatched), lines=", ".join(str(e.line) for e in unmatched[:10])))
    if newest_first:
        notes.append(M("The lines are newest first (as a web GUI shows them); they were read oldest first."))
    if streams > 1:
        notes.append(M("{streams} separate logs were found (two sides or several hosts); each was read on its own.",
                       streams=streams))
    truncated = result.truncated
    cap = _scanner.MAX_FINDINGS
    if len(findings) > cap:
        findings, truncated = findings[:cap], True
        notes.append(M("More than {cap:,} findings: the first {cap:,} are listed.", cap=cap))
    signals: dict[str, int] = {}
    for ev in events:
        if ev.kind in ("established", "initiate", "exchange", "bgp_up"):
            signals[ev.kind] = signals.get(ev.kind, 0) + 1
    return Analysis(
        format=result.format,
        lines=result.lines,
        findings=tuple(findings),
        primary=primary,
        detected_formats=result.formats,
        notes=tuple(notes),
        recovered=any_recovered,
        signals=signals,
        truncated=truncated,
        last_states=states,
        order="newest-first" if newest_first else "oldest-first",
        streams=max(streams, 1),
    )


def analyze(lines: Iterable[str], fmt: str = "auto") -> Analysis:
    """Analyze lines (with or without line ends) in one streaming pass."""
    scanner = Scanner(fmt)
    for block in blocks_from_lines(lines):
        scanner.feed(block)
    return _finish(scanner)


def analyze_text(text: str, fmt: str = "auto") -> Analysis:
    """Analyze pasted text."""
    if not text.strip():
        raise InputError(M("The log is empty: paste or upload at least one log line."))
    # (typographic quotes and wide spaces first: telling a wrapped line needs the spaces and quotes the daemon wrote)
    plain, quoted = unquote_mail(plain_chars(text))  # (a log quoted in a mail reply: its lines after the "> ")
    plain, prefix = strip_line_prefixes(plain)  # (line numbers, list marks, a container runtime's prefix)
    plain, cells = join_table_cells(plain)  # (a status table's long cells wrapped onto the next row)
    notes = ([_QUOTED_NOTE] if quoted else []) + ([_PREFIX_NOTES[prefix]] if prefix else [])
    if cells:
        notes.append(Mn("{n} row of a table that carried on a long cell from the row above was joined to that row: "
                        "each row is read whole.", "{n} rows of a table that carried on a long cell from the row above "
                        "were joined to that row: each row is read whole.", cells))
    joined, rejoined = rejoin_wrapped(plain)
    read: set[int] = set()
    analysis = _analyze_pasted(joined, fmt, rejoined, read, notes)
    if rejoined:
        return analysis
    # Nothing said where a line starts (a daemon's output without prefixes, a line or two quoted in a mail), so a
    # wrap was not told from the paste's shape: the lines as a wrap would have broken them are read too. That reading
    # is kept when it finds a cause and made a line readable, or when the cause found rests on broken parts only.
    loose, count = rejoin_wrapped(plain, strict=False)
    if not count:
        return analysis
    if analysis.primary is None:
        loose_read: set[int] = set()
        other = _analyze_pasted(loose, fmt, count, loose_read, notes)
        return other if other.primary is not None and _made_readable(read, loose_read, plain, loose) else analysis
    # (A join or two may glue whole lines of about the same length: in a short paste nothing tells them apart.)
    if count >= LOOSE_JOINS_TO_OVERRIDE and _rests_on_parts(analysis.primary, plain, loose):
        return _analyze_pasted(loose, fmt, count, notes=notes)
    return analysis


def _rests_on_parts(primary: Primary, before: str, after: str) -> bool:
    """Whether every line a diagnosis rests on is the rest of a line a wrap broke (joined to the line before it)."""
    old, new = before.split("\n"), after.split("\n")
    return bool(primary.evidence_lines) and all(
        no <= len(new) and not new[no - 1].strip() and old[no - 1].strip() for no in primary.evidence_lines)


def _made_readable(read: set[int], loose_read: set[int], before: str, after: str) -> bool:
    """Whether joining a line's parts made it readable: the whole line is read as an event (`loose_read`) and no part
    was as pasted (`read`). Where a part was, the join glued whole lines together rather than mending a broken one."""
    old, new = before.split("\n"), after.split("\n")
    for no in sorted(loose_read):
        if no > len(new) or new[no - 1] == old[no - 1]:
            continue
        parts = [no]  # the line and the lines joined to it (left empty)
        while (nxt := no + len(parts)) <= len(new) and not new[nxt - 1].strip() and old[nxt - 1].strip():
            parts.append(nxt)
        if len(parts) > 1 and not read.intersection(parts):
            return True
    return False


_QUOTED_NOTE = M("The quote marks (>) a mail reply puts before the lines it quotes were left out: each line is read as "
                 "the daemon wrote it.")
_PREFIX_NOTES = {
    "cri": M("The container runtime's prefix before every line (time, stream, F or P) was left out, its time kept: "
             "each line is read as the daemon wrote it, and a long line's parts (P) are joined."),
    "kubectl": M("The pod name that kubectl logs --prefix puts before every line was left out: each line is read as "
                 "the daemon wrote it."),
    "compose": M("The service name that docker compose puts before every line was left out: each line is read as the "
                 "daemon wrote it."),
    "numbers": M("The line numbers before every line were left out: each line is read as the daemon wrote it."),
    "bullets": M("The list marks (-, *) before every line were left out: each line is read as the daemon wrote it."),
}


def _analyze_pasted(text: str, fmt: str, rejoined: int, event_lines: set[int] | None = None,
                    notes: list[Msg] | None = None) -> Analysis:
    scanner = Scanner(fmt)
    scanner.notes.extend(notes or ())
    if rejoined:
        scanner.notes.append(M(
            "{count} line breaks that a mail, an archive or a terminal put inside log lines were joined back: each "
            "line is read whole, and shown at the number of its first part.", count=rejoined))
    for block in blocks_from_text(text):
        scanner.feed(block)
    if tunnels := fmts.vpn_tunnel_statuses(text):
        # (said instead of "the format was not recognised": it was, as no log)
        scanner.notes[:] = [n for n in scanner.notes if n is not scanner.unknown_format_note]
        scanner.notes.append(_status_note(tunnels))
    return _finish(scanner, event_lines)


def _status_note(tunnels: list[tuple[str, str, str]]) -> Msg:
    """What pasted `aws ec2 describe-vpn-connections` output says, and where the cause is to be found instead."""
    parts = [
        M("tunnel {ip} {status} ({message})", ip=ip, status=status, message=message) if message
        else M("tunnel {ip} {status}", ip=ip, status=status)
        for ip, status, message in tunnels[:fmts.MAX_TUNNELS_LISTED]
    ]
    return M("This is the VPN connection's status as `aws ec2 describe-vpn-connections` prints it, not log lines: "
             "{tunnels}. It tells which tunnel is down, not why. For the cause, paste the tunnel's log (CloudWatch "
             "Logs) or the customer gateway's log here, or walk the troubleshooter (`vpn-lab triage --vpn-id` with "
             "the connection's id reads the same status live).", tunnels=Seq(parts, "; "))


def utf16_codec(head: bytes) -> str | None:
    """The codec of UTF-16 text (what Windows PowerShell 5's `>` and `Out-File` write, and Notepad's "Unicode"), from
    its byte order mark or, without one, from ASCII characters alternating with zero bytes; None for anything else."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:4096] if len(head) % 2 == 0 else head[:4095]
    if len(sample) >= 8:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
    return None


_GZIP = b"\x1f\x8b"  # a rotated log (charon.log.1.gz, /var/log/syslog.2.gz)
_BINARY_STARTS = (_GZIP, b"PK\x03\x04", b"%PDF", b"\x89PNG")


def _looks_binary(head: bytes) -> bool:
    return b"\x00" in head or head.startswith(_BINARY_STARTS)


def _empty_file(name: str) -> InputError:
    return InputError(M("{name} is empty: there is nothing to analyze.", name=name))


def _binary_file(name: str) -> InputError:
    return InputError(M("{name} looks binary (compressed, an archive or an image), not a text log.", name=name))


def _damaged_gzip(name: str | Msg) -> InputError:
    return InputError(M("{name} is a damaged gzip file: unpack it with `gunzip` and look at what it holds.", name=name))


def _gunzipped(data: bytes, name: str | Msg) -> bytes:
    """An uploaded gzip file's content, at most MAX_BYTES of it (a small file can unpack to gigabytes)."""
    unpack = zlib.decompressobj(wbits=31)
    try:
        out = unpack.decompress(data, MAX_BYTES + 1)
    except zlib.error:
        raise _damaged_gzip(name) from None
    if len(out) <= MAX_BYTES and not unpack.eof:  # (the file ends before the compressed data does)
        raise _damaged_gzip(name)
    if len(out) > MAX_BYTES:
        raise InputError(M(
            "{name} unpacks to more than {limit} MB. Cut the log to the time around the incident first (for example "
            "with `zgrep` or `zcat ... | tail`).", name=name, limit=MAX_BYTES // 1048576,
        ))
    return out  # (a gzip inside it is refused as binary by check_bytes, like any compressed file)


def check_bytes(data: bytes, name: str | Msg = "") -> str:
    """Decode an upload, or raise InputError saying exactly what is wrong with it."""
    name = name or M("The file")
    if not data or not data.strip():
        raise InputError(M("{name} is empty: there is nothing to analyze.", name=name))
    if len(data) > MAX_BYTES:
        raise InputError(M(
            "{name} is {size:.1f} MB; the limit is {limit} MB. "
            "Cut the log to the time around the incident (for example with `grep` or `tail`).",
            name=name, size=len(data) / 1048576, limit=MAX_BYTES // 1048576,
        ))
    if data.startswith(_GZIP):
        data = _gunzipped(data, name)
    head = data[:8192]
    if codec := utf16_codec(head):
        try:
            return data.decode(codec).lstrip("\ufeff")
        except UnicodeDecodeError as exc:
            raise InputError(M(
                "{name} is UTF-16 text with a broken character near byte {offset:,}. "
                "Save it again as UTF-8, for example with `iconv -f utf-16 -t utf-8`.", name=name, offset=exc.start,
            )) from None
    if _looks_binary(head):
        raise InputError(M(
            "{name} looks binary (compressed, an archive or an image), not a text log. "
            "Unpack it or export the log as text first.", name=name
        ))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(M(
            "{name} is not UTF-8 text (invalid byte 0x{byte:02x} on line {line}). "
            "Save or convert it as UTF-8, for example with `iconv -f latin1 -t utf-8`.",
            name=name, byte=data[exc.start], line=line,
        )) from None


def analyze_bytes(data: bytes, fmt: str = "auto", name: str | Msg = "") -> Analysis:
    """Analyze uploaded bytes; bad input raises InputError with a specific message."""
    return analyze_text(check_bytes(data, name), fmt)


def analyze_path(path: Path | str, fmt: str = "auto") -> Analysis:
    """Analyze a file in blocks (any size, memory flat); bad input raises InputError."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(8192)
        if head.startswith(_GZIP):
            return _analyze_gzip(p, fmt)
        if not head.strip():
            raise _empty_file(str(p))
        codec = utf16_codec(head)
        if codec is None and _looks_binary(head):
            raise _binary_file(str(p))
        if codec is not None and p.stat().st_size > MAX_BYTES:
            return _analyze_text_file(p, codec, fmt)
        if p.stat().st_size <= MAX_BYTES:
            # Small enough to check as a whole: exact messages (line of a bad byte) for free.
            return analyze_bytes(p.read_bytes(), fmt, str(p))
        return _analyze_file(p.open("rb"), fmt, str(p))
    except OSError as exc:
        raise InputError(M("Cannot read {path}: {error}.", path=str(p), error=exc.strerror or exc)) from None


def _line_blocks(fh: Any, first: AnyStr) -> Iterator[AnyStr]:
    """The stream's content in large blocks cut at line ends (the last block may lack its line end); `first` is
    what was read before (bytes or str, which also decides the newline to cut at)."""
    rest, newline = first, "\n" if isinstance(first, str) else b"\n"
    while True:
        data = fh.read(CHUNK)
        if not data:
            break
        data = rest + data
        cut = data.rfind(newline)
        if cut < 0:
            rest = data
            continue
        rest = data[cut + 1 :]
        yield data[: cut + 1]  # with its line end: a block ending in a blank line keeps that line
    if rest:
        yield rest


def _scan_blocks(scanner: Scanner, fh: Any, blocks: Iterator[Any], feed: Callable[[Any], None],
                 name: str | Msg, invalid: Msg | None = None) -> Analysis:
    """Feed every block to the scanner; text that is not UTF-8 is refused with the line it was found near (or with
    `invalid`, for a file in another encoding)."""
    done_lines = 0
    try:
        with fh:
            for block in blocks:
                feed(block)
                done_lines = scanner.lines
            scanner.result()  # while the file is open: its blocks may be read again
    except UnicodeDecodeError:
        if invalid is not None:
            raise InputError(invalid) from None
        raise InputError(M(
            "{name} is not UTF-8 text (an invalid byte near line {line:,}). "
            "Convert it to UTF-8, for example with `iconv -f latin1 -t utf-8`.", name=name, line=done_lines + 1,
        )) from None
    return _finish(scanner)


def _analyze_gzip(p: Path, fmt: str) -> Analysis:
    """Analyze a gzip-compressed log (a rotated one), unpacked as it is read: memory stays flat."""
    try:
        with gzip.open(p, "rb") as fh:
            head = fh.read(8192)
    except (OSError, EOFError, zlib.error):
        raise _damaged_gzip(str(p)) from None
    if not head.strip():
        raise _empty_file(str(p))
    if _looks_binary(head) or utf16_codec(head):
        raise _binary_file(str(p))
    scanner = Scanner(fmt)
    stream = gzip.open(p, "rb")  # noqa: SIM115 (closed by _scan_blocks)
    first = stream.read(3)
    first = b"" if first == b"\xef\xbb\xbf" else first  # a UTF-8 byte order mark is not part of the text
    try:
        return _scan_blocks(scanner, stream, _line_blocks(stream, first), scanner.feed_bytes, str(p))
    except (OSError, EOFError, zlib.error):
        raise _damaged_gzip(str(p)) from None


def _analyze_text_file(p: Path, codec: str, fmt: str) -> Analysis:
    """Analyze a large UTF-16 file, decoded as it is read, in blocks cut at line ends."""
    scanner = Scanner(fmt)
    fh = p.open(encoding=codec, newline="")
    broken = M("{name} is UTF-16 text with a broken character. Save it again as UTF-8, for example with "
               "`iconv -f utf-16 -t utf-8`.", name=str(p))
    try:
        first = fh.read(1).lstrip("\ufeff")
    except UnicodeDecodeError:
        fh.close()
        raise InputError(broken) from None
    return _scan_blocks(scanner, fh, _line_blocks(fh, first), scanner.feed, str(p), broken)


def _analyze_file(fh: BinaryIO, fmt: str, name: str) -> Analysis:
    """Analyze a file opened in binary mode, read in large blocks cut at line ends (bytes go to the scan
    as they are; each block is decoded once, to check it is UTF-8 and for format detection)."""
    scanner = Scanner(fmt)
    head = fh.read(3)
    first = b"" if head == b"\xef\xbb\xbf" else head  # a UTF-8 byte order mark is not part of the text
    try:
        regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # (not a file descriptor: an in-memory stream)
        regular = False
    if regular and hasattr(os, "pread"):  # the blocks can be read again from the file instead of waiting in memory
        fd = fh.fileno()
        scanner.back_with(lambda offset, size: os.pread(fd, size, offset), len(head) - len(first))
    return _scan_blocks(scanner, fh, _line_blocks(fh, first), scanner.feed_bytes, name)


def analyze_stream(fh: object, fmt: str = "auto", name: str | Msg = "") -> Analysis:
    """Analyze an open text stream read in large blocks (cut at line ends)."""
    scanner = Scanner(fmt)
    return _scan_blocks(scanner, fh, _line_blocks(fh, ""), scanner.feed, name or M("The input"))
