"""The `vpn-lab` entry point: lessons, facts, usage errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab import cli
from lab.commands import run as run_command


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_lessons_json_lists_lessons_with_quiz_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lessons", "--json")
    data = json.loads(out)
    assert code == 0
    by_id = {item["id"]: item for item in data}
    assert {"what-is-a-vpn", "three-kinds-of-vpn"} <= set(by_id)
    for item in data:
        assert {"id", "title", "minutes", "lang", "objectives", "quiz_questions", "path"} <= set(item)
        assert isinstance(item["objectives"], list) and item["quiz_questions"] >= 1


def test_lessons_plain_lists_titles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lessons")
    assert code == 0 and "What a VPN is" in out


def test_lessons_check_passes_on_shipped_lessons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "lessons", "--check")
    assert code == 0, err
    assert "valid" in out


def test_lessons_check_fails_naming_file_and_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab import LESSONS_DIR, lessons

    for src in (LESSONS_DIR / "en").glob("*.md"):
        (tmp_path / "en").mkdir(exist_ok=True)
        (tmp_path / "en" / src.name).write_text(src.read_text())
    broken = tmp_path / "en" / "01-what-is-a-vpn.md"
    broken.write_text(broken.read_text().replace("minutes: 10", "minutes: 10\nlevel: beginner", 1))
    monkeypatch.setattr(lessons, "LESSONS_DIR", tmp_path)
    code, _, err = run(capsys, "lessons", "--check")
    assert code == 2
    assert "01-what-is-a-vpn.md: level: unknown key" in err


def test_lessons_json_counts_exercises_beside_quiz_questions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lessons", "--json")
    by_number = {item["number"]: item for item in json.loads(out)}
    assert code == 0
    assert all(by_number[n]["exercises"] >= 1 for n in range(2, 13))
    assert by_number[1]["exercises"] == 0


def test_lessons_check_names_a_broken_exercise(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exercise that names a scenario, an option or a measure that does not exist is reported, like a quiz."""
    from lab import LESSONS_DIR, lessons

    (tmp_path / "en").mkdir()
    for src in (LESSONS_DIR / "en").glob("*.md"):
        (tmp_path / "en" / src.name).write_text(src.read_text())
    broken = tmp_path / "en" / "02-three-kinds-of-vpn.md"
    text = broken.read_text()
    text = text.replace("    scenario: s1\n    fail: [\"cgw-down:cgw-a@60\"]",
                        "    scenario: s9\n    fail: [\"cgw-down:cgw-a@60\"]\n    options: {dpd_timeout_s: 20}", 1)
    text = text.replace("    measure: outage_s.to_onprem\n", "    measure: outage_minutes\n", 1)
    broken.write_text(text)
    monkeypatch.setattr(lessons, "LESSONS_DIR", tmp_path)
    code, _, err = run(capsys, "lessons", "--check", "--lang", "en")
    assert code == 2
    assert "02-three-kinds-of-vpn.md: exercises.0 (one-device-carries-the-site): scenario 's9' does not exist" in err
    assert "measure 'outage_minutes' is not one the scenario lab provides" in err


def test_facts_json_has_sources(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "facts", "--json")
    facts = {f["key"]: f for f in json.loads(out)}
    assert code == 0
    assert facts["dpd_timeout_action_default"]["value"] == "clear"
    assert facts["dpd_timeout_default"]["disputed"][0]["value"] == 30
    assert all(f["sources"] and all(u.startswith("https://") for u in f["sources"]) for f in facts.values())


def test_unknown_subcommand_exits_2_with_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "teleport")
    assert code == 2 and "usage: vpn-lab" in err


def test_bad_argument_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "lessons", "--nope")
    assert code == 2 and "usage" in err


def test_run_passes_streamlit_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}

    def fake_call(cmd: list[str], cwd: Path, env: dict[str, str]) -> int:
        seen["cmd"], seen["cwd"] = cmd, cwd
        return 0

    monkeypatch.setattr(run_command, "supervise", fake_call)
    assert cli.main(["run", "--server.port", "8600"]) == 0
    cmd = seen["cmd"]
    assert isinstance(cmd, list) and cmd[1:4] == ["-m", "streamlit", "run"]
    assert cmd[-2:] == ["--server.port", "8600"] and str(cmd[4]).endswith("lab/app.py")


def test_no_arguments_starts_the_app(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setattr(run_command, "supervise", lambda cmd, cwd, env: calls.append(cmd) or 0)
    assert cli.main([]) == 0 and calls and "streamlit" in calls[0]
