"""A log from an upload, a file or a stream: its size, binary content and encoding checked first, with a specific
message for each problem; a large file read in blocks cut at line ends (gzip unpacked and UTF-16 decoded as it is
read), memory flat in its size."""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from lab.analyzer.model import Analysis
from lab.analyzer.pasted import CR_NOTE, analyze_text, cr_line_ends
from lab.analyzer.result import _finish
from lab.analyzer.scan import CHUNK, Scanner
from lab.errors import InputError
from lab.i18n import M, Msg

# The upload cap of the app (.streamlit/config.toml server.maxUploadSize = 20 MB) applies here too.
MAX_BYTES = 20 * 1024 * 1024


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
            return _analyze_text_file(p, codec, fmt, cr_line_ends(head.decode(codec, "ignore")))
        if p.stat().st_size <= MAX_BYTES:
            # Small enough to check as a whole: exact messages (line of a bad byte) for free.
            return analyze_bytes(p.read_bytes(), fmt, str(p))
        return _analyze_file(p.open("rb"), fmt, str(p), cr_line_ends(head))
    except OSError as exc:
        raise InputError(M("Cannot read {path}: {error}.", path=str(p), error=exc.strerror or exc)) from None


def _scanner(fmt: str, cr: bool) -> Scanner:
    """A scanner for a file or stream; `cr`: its lines end in a carriage return alone, which a note says."""
    scanner = Scanner(fmt)
    if cr:
        scanner.notes.append(CR_NOTE)
    return scanner


def _line_blocks(fh: Any, first: AnyStr, cr: bool = False) -> Iterator[AnyStr]:
    """The stream's content in large blocks cut at line ends (the last block may lack its line end); `first` is
    what was read before (bytes or str, which also decides the newline to cut at). `cr`: the lines end in a
    carriage return alone, read as line feeds."""
    newline, carriage = ("\n", "\r") if isinstance(first, str) else (b"\n", b"\r")
    rest = first.replace(carriage, newline) if cr else first
    while True:
        data = fh.read(CHUNK)
        if not data:
            break
        data = rest + (data.replace(carriage, newline) if cr else data)
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
    cr = cr_line_ends(head)
    scanner = _scanner(fmt, cr)
    stream = gzip.open(p, "rb")  # noqa: SIM115 (closed by _scan_blocks)
    first = stream.read(3)
    first = b"" if first == b"\xef\xbb\xbf" else first  # a UTF-8 byte order mark is not part of the text
    try:
        return _scan_blocks(scanner, stream, _line_blocks(stream, first, cr), scanner.feed_bytes, str(p))
    except (OSError, EOFError, zlib.error):
        raise _damaged_gzip(str(p)) from None


def _analyze_text_file(p: Path, codec: str, fmt: str, cr: bool = False) -> Analysis:
    """Analyze a large UTF-16 file, decoded as it is read, in blocks cut at line ends."""
    scanner = _scanner(fmt, cr)
    fh = p.open(encoding=codec, newline="")
    broken = M("{name} is UTF-16 text with a broken character. Save it again as UTF-8, for example with "
               "`iconv -f utf-16 -t utf-8`.", name=str(p))
    try:
        first = fh.read(1).lstrip("\ufeff")
    except UnicodeDecodeError:
        fh.close()
        raise InputError(broken) from None
    return _scan_blocks(scanner, fh, _line_blocks(fh, first, cr), scanner.feed, str(p), broken)


def _analyze_file(fh: BinaryIO, fmt: str, name: str, cr: bool = False) -> Analysis:
    """Analyze a file opened in binary mode, read in large blocks cut at line ends (bytes go to the scan
    as they are; each block is decoded once, to check it is UTF-8 and for format detection). `cr`: its lines end
    in a carriage return alone (read as line feeds, so its blocks are not read again from the file)."""
    scanner = _scanner(fmt, cr)
    head = fh.read(3)
    first = b"" if head == b"\xef\xbb\xbf" else head  # a UTF-8 byte order mark is not part of the text
    try:
        regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):  # (not a file descriptor: an in-memory stream)
        regular = False
    # (the blocks can be read again from the file instead of waiting in memory)
    if regular and hasattr(os, "pread") and not cr:
        fd = fh.fileno()
        scanner.back_with(lambda offset, size: os.pread(fd, size, offset), len(head) - len(first))
    return _scan_blocks(scanner, fh, _line_blocks(fh, first, cr), scanner.feed_bytes, name)


def analyze_stream(fh: object, fmt: str = "auto", name: str | Msg = "", cr: bool = False) -> Analysis:
    """Analyze an open text stream read in large blocks (cut at line ends); `cr`: its lines end in a carriage
    return alone (`cr_line_ends` of its first bytes)."""
    scanner = _scanner(fmt, cr)
    return _scan_blocks(scanner, fh, _line_blocks(fh, "", cr), scanner.feed, name or M("The input"))
