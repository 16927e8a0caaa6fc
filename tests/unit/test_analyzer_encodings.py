"""Logs saved as UTF-16 (Windows PowerShell 5's `>` and `Out-File`, Notepad's "Unicode") are read as text, and
rotated logs compressed with gzip are read unpacked; binary files, damaged or oversized archives and text in other
encodings are refused with a message that says what to do."""

from __future__ import annotations

import gzip
import io
import tarfile
from pathlib import Path

import pytest

from lab.analyzer import analyze_bytes, analyze_path, check_bytes
from lab.analyzer import files as files_module  # the file readers and the limit they read
from lab.analyzer.files import utf16_codec
from lab.errors import InputError

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
LOG = (DEV / "strongswan-v2-dpd-peer-sigstopped-giving-up-clear.log").read_text(encoding="utf-8")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_or_without_a_byte_order_mark_reads_like_utf8(codec: str, tmp_path: Path) -> None:
    data = LOG.encode(codec)
    assert check_bytes(data) == LOG
    expected = analyze_bytes(LOG.encode())
    for analysis in (analyze_bytes(data), analyze_path(_write(tmp_path / "cgw.log", data))):
        assert analysis.primary is not None and expected.primary is not None
        assert analysis.primary.category == expected.primary.category == "dpd_timeout"
        assert analysis.lines == expected.lines


def test_a_large_utf16_file_is_read_in_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files_module, "MAX_BYTES", 4096)  # (past the whole-file limit: the streaming path)
    text = "Dec  2 10:00:00 gw kernel: padding line\n" * 400 + LOG
    analysis = analyze_path(_write(tmp_path / "big.log", text.encode("utf-16")))
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"
    assert analysis.lines == text.count("\n")


def test_broken_utf16_names_the_way_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = LOG.encode("utf-16") + b"\x00\xd8A\x00"  # a lone surrogate
    with pytest.raises(InputError, match="UTF-16 text with a broken character.*iconv -f utf-16 -t utf-8"):
        check_bytes(data)
    monkeypatch.setattr(files_module, "MAX_BYTES", 100)  # a large file, read in blocks: the same message, not "UTF-8"
    with pytest.raises(InputError, match="UTF-16 text with a broken character.*iconv -f utf-16 -t utf-8"):
        analyze_path(_write(tmp_path / "cgw.log", data))


@pytest.mark.parametrize("data", [b"\x00\x01binary", b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16), b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_binary_files_are_still_refused(data: bytes) -> None:
    assert utf16_codec(data) is None
    with pytest.raises(InputError, match="looks binary"):
        check_bytes(data)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_a_rotated_gzip_log_is_read_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = gzip.compress(LOG.encode())
    assert check_bytes(data) == LOG  # (an upload)
    assert analyze_path(_write(tmp_path / "charon.log.1.gz", data)).primary.category == "dpd_timeout"  # type: ignore[union-attr]
    monkeypatch.setattr(files_module, "MAX_BYTES", 100)  # a file: unpacked as it is read, whatever its size
    assert analyze_path(_write(tmp_path / "charon.log.2.gz", data)).lines == LOG.count("\n")


def test_damaged_oversized_or_archived_gzip_gets_its_own_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = gzip.compress(LOG.encode())
    for damaged in (data[:60], data[:10] + bytes(len(data) - 10), b"\x1f\x8b\x08\x00\x00binary"):
        with pytest.raises(InputError, match="damaged gzip file"):
            check_bytes(damaged)
        with pytest.raises(InputError, match="damaged gzip file"):
            analyze_path(_write(tmp_path / "cut.gz", damaged))
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        archive.addfile(tarfile.TarInfo("charon.log"), io.BytesIO(b""))
    with pytest.raises(InputError, match="looks binary"):
        analyze_path(_write(tmp_path / "logs.tar.gz", tar.getvalue()))
    monkeypatch.setattr(files_module, "MAX_BYTES", 4096)  # an upload that unpacks past the limit (a "zip bomb")
    with pytest.raises(InputError, match="unpacks to more than"):
        check_bytes(gzip.compress(b"A" * 100_000))


def test_lines_that_end_in_a_carriage_return_alone_are_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Classic Mac OS line ends (and some export tools'): each carriage return ends a line, as an editor shows it,
    # in a paste, an upload, a file, a rotated log, standard input and a large file read in blocks.
    import subprocess
    import sys

    from lab.analyzer import analyze_stream, analyze_text
    from lab.analyzer.pasted import CR_NOTE, cr_line_ends

    text = LOG.replace("\n", "\r")
    assert cr_line_ends(text.encode()) and cr_line_ends(text)
    assert not cr_line_ends(LOG.encode()) and not cr_line_ends(LOG.replace("\n", "\r\n"))
    expected = analyze_text(LOG)
    results = [analyze_text(text), analyze_bytes(text.encode()), analyze_stream(io.StringIO(text), cr=True),
               analyze_path(_write(tmp_path / "mac.log", text.encode()))]
    monkeypatch.setattr(files_module, "MAX_BYTES", 100)  # past the whole-file limit: read in blocks
    results += [analyze_path(_write(tmp_path / "mac.log.gz", gzip.compress(text.encode()))),
                analyze_path(_write(tmp_path / "big.log", text.encode())),
                analyze_path(_write(tmp_path / "big16.log", text.encode("utf-16")))]
    for result in results:
        assert result.primary is not None and expected.primary is not None
        assert result.primary.category == "dpd_timeout"
        assert result.primary.evidence_lines == expected.primary.evidence_lines
        assert result.lines == expected.lines and CR_NOTE in result.notes
    assert CR_NOTE not in expected.notes
    # A stray carriage return inside a file with line feeds stays part of its line: the line numbers are grep's.
    stray = LOG.replace("\n", "\r\n", 1)
    assert analyze_text(stray).lines == expected.lines and CR_NOTE not in analyze_text(stray).notes
    # The command line reads standard input the same way.
    out = subprocess.run([sys.executable, "-m", "lab.cli", "logs", "-", "--json"], input=text.encode(),
                         capture_output=True, check=True).stdout
    assert b'"dpd_timeout"' in out and b"carriage return alone" in out
