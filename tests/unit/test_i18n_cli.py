"""The CLI in Korean: `--lang ko` or a Korean POSIX locale; JSON keys stay English; bad languages exit 2."""

from __future__ import annotations

import json

import pytest

from lab import i18n
from lab.analyzer.samples import sample_logs
from lab.lessons import languages
from tests.unit.test_cli import run


def test_lessons_lang_ko_lists_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lessons", "--lang", "ko")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) >= 12 and all("분, 퀴즈" in line for line in lines)
    if "ko" not in languages():
        assert "영어로 표시합니다" in err  # said once, on stderr, so stdout stays a clean list


def test_lessons_json_keys_stay_english_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lessons", "--lang", "ko", "--json")
    assert code == 0
    doc = json.loads(out)
    assert {"id", "title", "minutes"} <= set(doc[0])


def test_lessons_check_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lessons", "--check", "--lang", "ko")
    if "ko" in languages():
        assert code == 0 and "유효합니다" in out
    else:
        assert code == 2
        assert "한국어 레슨이 아직 없습니다" in err


def test_unknown_language_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "facts", "--lang", "xx")
    assert code == 2
    assert "invalid choice: 'xx'" in err and "'ko'" in err


def test_posix_locale_chooses_korean_and_lang_overrides_it(capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    code, out, _ = run(capsys, "facts")
    assert code == 0 and "출처: https://" in out
    code, out, _ = run(capsys, "facts", "--lang", "en")
    assert code == 0 and "source: https://" in out and "출처" not in out
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")  # LC_ALL wins over LANG, as in every POSIX tool
    code, out, _ = run(capsys, "facts")
    assert "source: https://" in out


def test_a_korean_command_leaves_the_next_one_english(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "facts", "--lang", "ko")
    assert i18n.language() == "en"
    code, out, _ = run(capsys, "facts")
    assert "source: https://" in out


def test_simulate_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "simulate", "s4", "--fail", "cgw-down:cgw-a@60", "--duration", "300", "--lang", "ko")
    assert code == 0
    for label in ("VPC -> 온프레미스 중단:", "감지까지 걸린 시간:", "사람 개입 필요:", "무슨 일이 있었나:",
                  "가정(AWS가 문서화하지 않은 부분):"):
        assert label in out, label
    code, out, _ = run(capsys, "simulate", "--list-failures", "--lang", "ko")
    assert code == 0 and "장애 종류" in out and "대상: " in out


def test_simulate_json_is_the_same_in_every_language(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("simulate", "s1", "--fail", "idle@60", "--duration", "200", "--json")
    _, english, _ = run(capsys, *args)
    _, korean, _ = run(capsys, *args, "--lang", "ko")
    assert json.loads(english).keys() == json.loads(korean).keys()


def test_status_replay_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "status", "--replay", "dpd-idle-tunnel", "--lang", "ko")
    assert code in (0, 1)
    assert "활성 터널" in out and "소스: replay" in out and "터널 1" in out
    # The findings' messages too, as the Monitor page shows them; rule ids and severities stay the --json tokens.
    assert "[medium] dpd-clear-with-add: 터널 1(203.0.113.10)의 DPD 제한 시간 초과 작업이 'clear'이고" in out
    assert "has DPD timeout action" not in out


def test_facts_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    """Each fact's value in Korean, as the lessons insert it, next to its summary and sources."""
    code, out, _ = run(capsys, "facts", "--lang", "ko")
    assert code == 0
    assert "tunnels_per_connection: 두 개의 터널" in out and "dpd_timeout_min: 30초" in out
    assert "30 seconds" not in out


def test_logs_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    sample = next(s for s in sample_logs())
    code, out, _ = run(capsys, "logs", str(sample.path), "--lang", "ko")
    assert code == 0
    assert out.startswith("형식: ") and "주요 진단" in out


def test_a_skip_the_logs_made_reads_in_korean_in_the_path_and_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    from lab import DATASETS_DIR
    from lab.analyzer import analyze_text
    from lab.triage import case
    from lab.triage.report import build_report

    log = DATASETS_DIR / "samples" / "strongswan-auth-failure.log"
    code, out, _err = run(capsys, "triage", "--log", str(log), "--lang", "ko")
    assert code == 0
    assert "건너뜀: 로그가 '인증 실패'을(를) 가리킵니다" in out and "Skipped" not in out
    text = log.read_text(encoding="utf-8")
    result = case.run(log_text=text)
    report = build_report(analysis=analyze_text(text), session=result.session, lang="ko")
    assert "건너뜀: 로그가 '인증 실패'을(를) 가리킵니다" in report and "Skipped" not in report
