"""Careless-user guards in the CLI: every one is exit 2 with a message that names the problem."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from lab import DATASETS_DIR
from lab.cli import main

SAMPLE = DATASETS_DIR / "samples" / "aws-dpd-timeout.jsonl"


def test_report_onto_the_log_is_refused_and_the_log_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "tunnel.log"
    log.write_bytes(SAMPLE.read_bytes())
    assert main(["logs", str(log), "--report", str(tmp_path / "." / "tunnel.log")]) == 2
    assert "would be overwritten" in capsys.readouterr().err
    assert log.read_bytes() == SAMPLE.read_bytes()


def test_empty_replay_name_is_not_live_aws(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["status", "--replay", ""]) == 2
    err = capsys.readouterr().err
    assert "Unknown replay ''" in err and "Traceback" not in err


def test_lessons_check_in_an_unknown_language_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lessons", "--check", "--lang", "nosuch"])
    assert info.value.code == 2
    assert "All 0 lessons are valid" not in capsys.readouterr().out


def test_standard_input_decode_error_names_the_right_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = b"first line\nsecond line\nthird \xff line\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert main(["logs", "-"]) == 2
    assert "on line 3" in capsys.readouterr().err
