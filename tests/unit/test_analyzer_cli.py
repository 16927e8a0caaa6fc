"""`vpn-lab logs`: the CLI contract (JSON shape, exit codes, report)."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import pytest

from lab import DATASETS_DIR
from lab.cli import main

SAMPLES = DATASETS_DIR / "samples"


def test_json_output_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(SAMPLES / "aws-dpd-timeout.jsonl"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["format"] == "aws-json" and data["lines"] == 4
    assert data["primary"]["category"] == "dpd_timeout"
    assert data["primary"]["tree_node"] == "tunnel-down/dpd-peer-alive"
    assert data["primary"]["summary"] and isinstance(data["primary"]["facts"], dict)
    assert all(isinstance(f["facts"], dict) for f in data["findings"])
    assert data["findings"][0]["line"] == 3


def test_nothing_found_still_exits_zero_with_null_primary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "quiet.log"
    log.write_text("Nov 29 08:00:00 cgw charon: 09[NET] sending packet: from a to b\n")
    assert main(["logs", str(log), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["primary"] is None


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02binary", b"caf\xe9\n"])
def test_unreadable_input_exits_two(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "bad.log"
    log.write_bytes(content)
    assert main(["logs", str(log)]) == 2
    assert "vpn-lab:" in capsys.readouterr().err


def test_missing_file_exits_two(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "/no/such/file.log"]) == 2
    assert "Cannot read" in capsys.readouterr().err


def test_standard_input_is_read(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    data = (SAMPLES / "aws-ike-sa-deleted.jsonl").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))
    assert main(["logs", "-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["primary"]["category"] == "ike_sa_deleted_by_peer"


def test_format_override_and_bad_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(SAMPLES / "strongswan-auth-failure.log"), "--format", "aws-json", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    with pytest.raises(SystemExit) as err:
        main(["logs", str(SAMPLES / "strongswan-auth-failure.log"), "--format", "no-such-format"])
    assert err.value.code == 2


def test_report_is_written(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "incident.md"
    assert main(["logs", str(SAMPLES / "aws-ike-sa-deleted.jsonl"), "--report", str(out)]) == 0
    text = out.read_text()
    assert "# VPN incident report" in text and "ike_sa_deleted_by_peer" in text
    assert "Report written" in capsys.readouterr().out


def test_human_output_names_the_diagnosis(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", str(SAMPLES / "strongswan-auth-failure.log")]) == 0
    out = capsys.readouterr().out
    assert "Primary diagnosis: Authentication failed" in out and "tunnel-down/d-auth" in out


def test_eval_prints_accuracy_per_split_and_dev_misses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "--eval", str(DATASETS_DIR / "real-logs")]) == 0
    out = capsys.readouterr().out
    assert "== dev:" in out and "== heldout:" in out
    assert "by category:" in out and "by vendor:" in out and "by format:" in out
    assert "held-out misses are not listed" in out


def test_eval_report_in_korean() -> None:
    """`--lang ko` gives the accuracy report's words in Korean; categories, vendors, formats and ids stay as in the
    corpus (built here from two outcomes, without analyzing the corpus again)."""
    from lab.analyzer.corpus import Case, Outcome, SplitReport, render
    from lab.i18n import reset_language, set_language

    dev, held = SplitReport("dev"), SplitReport("heldout")
    case = Case(id="x-1", file=Path("dev/x-1.log"), vendor="strongswan", format="strongswan",
                expected="dpd_timeout", split="dev")
    dev.add(Outcome(case, "peer_unreachable", ""))
    held.add(Outcome(case, "dpd_timeout", ""))
    token = set_language("ko")
    try:
        text = "\n".join(render({"dev": dev, "heldout": held}))
    finally:
        reset_language(token)
    assert "== dev: 0/1 (0%) 맞음" in text and "분류별:" in text and "벤더별:" in text and "형식별:" in text
    assert "놓친 것(1건):" in text and "기대 dpd_timeout, 진단 peer_unreachable: x-1" in text
    assert "held-out 부분은 패턴을 작성할 때 쓰지 않으므로" in text
    assert not re.search(r"\b(right|by category|misses|expected|got)\b", text)


def test_eval_json_and_bad_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["logs", "--eval", str(DATASETS_DIR / "real-logs"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["heldout"]["misses"] == [] and 0 <= data["dev"]["accuracy"] <= 1
    assert main(["logs", "--eval", str(tmp_path)]) == 2
    assert "corpus.yaml" in capsys.readouterr().err
    assert main(["logs"]) == 2


def test_eval_counts_misses_by_expected_and_named_cause_in_every_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two cases labelled with another cause than the samples show, one per split: the held-out one is counted by its
    # causes, never named (its lines are not read while patterns are written).
    for split in ("dev", "heldout"):
        (tmp_path / split).mkdir()
    entries = []
    for case_id, split, sample, expected in (
        ("dev-right", "dev", "strongswan-auth-failure.log", "auth_failure"),
        ("dev-wrong", "dev", "strongswan-dpd-unreachable.log", "dpd_timeout"),
        ("held-wrong", "heldout", "strongswan-dpd-unreachable.log", "dpd_timeout"),
    ):
        (tmp_path / split / f"{case_id}.log").write_bytes((SAMPLES / sample).read_bytes())
        entries.append(f"- id: {case_id}\n  file: {split}/{case_id}.log\n  expected: {expected}\n  split: {split}\n")
    (tmp_path / "corpus.yaml").write_text("entries:\n" + "".join(entries), encoding="utf-8")

    assert main(["logs", "--eval", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    dev, held = out.split("== heldout:")
    assert "misses by expected and named cause (counts):" in held
    assert "dpd_timeout -> peer_unreachable: 1" in dev and "dpd_timeout -> peer_unreachable: 1" in held
    assert "dev-wrong" in dev and "held-wrong" not in out

    assert main(["logs", "--eval", str(tmp_path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["heldout"]["confusion"] == [{"expected": "dpd_timeout", "got": "peer_unreachable", "count": 1}]
    assert data["heldout"]["misses"] == [] and [m["id"] for m in data["dev"]["misses"]] == ["dev-wrong"]


def test_help_names_every_supported_format(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["logs", "--help"])
    out = capsys.readouterr().out
    for fmt in ("juniper", "mikrotik", "azure", "checkpoint", "sonicwall", "f5", "watchguard", "bgp-generic", "libreswan"):
        assert fmt in out


def test_eval_with_a_broken_pattern_catalogue_says_so_instead_of_scoring_zero(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lab.analyzer import corpus
    from lab.errors import DataError

    def broken(path: Path) -> None:
        raise DataError(Path("lab/data/patterns/20-strongswan.yaml"), ["pattern swan-x: unknown named groups ['bytes']"])

    monkeypatch.setattr(corpus, "analyze_path", broken)
    assert main(["logs", "--eval", str(DATASETS_DIR / "real-logs")]) == 2
    captured = capsys.readouterr()
    assert "unknown named groups" in captured.err and "== dev:" not in captured.out


def test_a_diagnosis_from_silence_says_so_in_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log = tmp_path / "quick.log"
    log.write_text(
        '"west" #1: STATE_MAIN_I4: ISAKMP SA established {auth=RSA_SIG cipher=aes_256 integ=sha group=MODP2048}\n'
        '"west" #2: STATE_QUICK_I1: 10 second timeout exceeded after 0 retransmits.  No acceptable response to our '
        "first Quick Mode message: perhaps peer likes no proposal\n",
        encoding="utf-8",
    )
    assert main(["logs", str(log)]) == 0
    assert "A reading of what the log does not show" in capsys.readouterr().out
    assert main(["logs", str(log), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["primary"]["certainty"] == "guess"


def test_text_output_says_what_the_lines_say(capsys: pytest.CaptureFixture[str]) -> None:
    """The facts the JSON output carries, in words under the diagnosis (the peer's address, the selectors offered)."""
    excerpt = DATASETS_DIR / "real-logs" / "dev" / "libreswan-v2-child-ts-unacceptable.log"
    assert main(["logs", str(excerpt)]) == 0
    out = capsys.readouterr().out
    facts = out.split("What the lines say:")[1].split("Troubleshooter:")[0]
    assert "Peer address: 192.1.2.23" in facts
    assert "Traffic selectors offered: 192.0.1.0/24, 192.0.2.0/24" in facts
    assert "Direction (sent or received): received" in facts


def test_a_failure_that_recovered_is_no_failure_to_fix_and_the_notes_say_why(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The scenario lab's BGP reset: the session went down and came back. Nothing needs fixing, and the output does
    not claim no failure message was seen (the reset's line matched): the note says what happened."""
    from lab.sim import Failure, simulate
    from lab.sim.export import log_text

    log = tmp_path / "bgp-reset.log"
    log.write_text(log_text(simulate("s4", [Failure("bgp-reset", "tunnel-1", 60)])), encoding="utf-8")
    report = tmp_path / "report.md"
    assert main(["logs", str(log), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "Primary diagnosis: none - no failure that needs fixing (see the notes above)." in out
    assert "came up again at line" in out and "no known failure message" not in out
    text = report.read_text(encoding="utf-8")
    assert "No failure that needs fixing was found: the notes below say what the lines show." in text


def test_a_log_nothing_was_recognised_in_is_not_called_fine(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Text no pattern reads (only a note that the format was not recognised) says no known failure message was
    found: a note about the input is no sign that a failure recovered, so "nothing needs fixing" would be a claim
    the lines do not back."""
    log = tmp_path / "notes.log"
    log.write_text("tunnel to the office is down again\nrebooted the router at 10:02, no change\n", encoding="utf-8")
    report = tmp_path / "report.md"
    assert main(["logs", str(log), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "The format was not recognised" in out
    assert "Primary diagnosis: none - no known failure message was found." in out
    assert "needs fixing" not in out
    text = report.read_text(encoding="utf-8")
    assert "No known failure pattern matched." in text and "needs fixing" not in text
    assert main(["logs", str(log), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["primary"] is None and data["recovered"] is False
    assert data["notes"] == ["The format was not recognised; every pattern was tried. Choose the format if you know it."]


def test_json_says_a_failure_recovered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from lab.sim import Failure, simulate
    from lab.sim.export import log_text

    log = tmp_path / "bgp-reset.log"
    log.write_text(log_text(simulate("s4", [Failure("bgp-reset", "tunnel-1", 60)])), encoding="utf-8")
    assert main(["logs", str(log), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["primary"] is None and data["recovered"] is True
    assert any("came up again at line" in n for n in data["notes"])
