"""Logs saved as UTF-16 (Windows PowerShell 5's `>` and `Out-File`, Notepad's "Unicode") are read as text; binary
files and text in other encodings are still refused with a message that says what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

import lab.analyzer as analyzer
from lab.analyzer import analyze_bytes, analyze_path, check_bytes, utf16_codec
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
    monkeypatch.setattr(analyzer, "MAX_BYTES", 4096)  # (past the whole-file limit: the streaming path)
    text = "Dec  2 10:00:00 gw kernel: padding line\n" * 400 + LOG
    analysis = analyze_path(_write(tmp_path / "big.log", text.encode("utf-16")))
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"
    assert analysis.lines == text.count("\n")


def test_broken_utf16_names_the_way_out() -> None:
    data = LOG.encode("utf-16") + b"\x00\xd8A\x00"  # a lone surrogate
    with pytest.raises(InputError, match="UTF-16 text with a broken character.*iconv -f utf-16 -t utf-8"):
        check_bytes(data)


@pytest.mark.parametrize("data", [b"\x00\x01binary", b"\x1f\x8b\x08\x00\x00binary", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_binary_files_are_still_refused(data: bytes) -> None:
    assert utf16_codec(data) is None
    with pytest.raises(InputError, match="looks binary"):
        check_bytes(data)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
