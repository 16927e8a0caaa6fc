"""Hostile data files: alias bombs, deep nesting, huge numbers and oversize files are refused quickly,
as `path: problem` lines (exit 2 in the CLI, a message on the Lessons page), never a traceback."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from lab import lessons as lessons_module
from lab.cli import main
from lab.errors import DataError
from lab.lessons import load_lesson
from lab.schema import MAX_DEPTH, MAX_NUMBER_CHARS, MAX_YAML_BYTES, parse_yaml, read_yaml

# The "billion laughs" shape: 9^7 strings from a few hundred bytes.
BOMB = """a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
covers: [*f,*f,*f,*f,*f,*f,*f,*f,*f]
"""
HOSTILE = {
    "aliases": (BOMB, "aliases (*a) are not allowed"),
    "deep-flow": ("x: " + "[" * 20_000 + "]" * 20_000, f"nested more than {MAX_DEPTH} levels"),
    "deep-block": ("".join("  " * i + "- \n" for i in range(200)), f"nested more than {MAX_DEPTH} levels"),
    "long-int": ("n: " + "9" * 5_000, f"longer than {MAX_NUMBER_CHARS} characters"),
    "long-float": ("n: 1" + "0" * 5_000 + ".5", f"longer than {MAX_NUMBER_CHARS} characters"),
    "broken": ("a: [1, 2\nb: {", "not valid YAML"),
}


def _bounded(fn) -> None:
    tracemalloc.start()
    start = time.perf_counter()
    try:
        fn()
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 30, f"took {elapsed:.1f} s"
    assert peak < 64 * 1024 * 1024, f"used {peak // (1024 * 1024)} MB"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_yaml_is_a_data_error_with_the_place(name: str) -> None:
    text, expected = HOSTILE[name]

    def run() -> None:
        with pytest.raises(DataError) as info:
            parse_yaml(text, "lab/data/x.yaml")
        line = info.value.lines()[0]
        assert line.startswith("lab/data/x.yaml: ") and expected in line and "\n" not in line

    _bounded(run)


def test_oversize_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" + b"#" * (MAX_YAML_BYTES + 10))
    with pytest.raises(DataError) as info:
        read_yaml(path)
    assert "limit" in info.value.problems[0]


def test_ordinary_yaml_still_loads() -> None:
    assert parse_yaml("a: 1\nb: [x, {c: 2.5}]\nanchor: &k v\n", "f.yaml") == {"a": 1, "b": ["x", {"c": 2.5}], "anchor": "v"}


LESSON = """---
id: sample-lesson
title: Sample
summary: A sample lesson.
minutes: 5
objectives: [Learn a thing]
keypoints: [A thing]
{covers}
references:
  - title: AWS tunnel options
    url: https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html
quiz:
  - question: Which?
    choices: [A, B]
    answer: 1
    explanation: B because.
---
## Part

Text.
"""
BOMB_LESSON = LESSON.format(covers=BOMB.replace("covers:", "covers:"))


def _lesson_dir(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "en"
    folder.mkdir(parents=True)
    (folder / "01-sample-lesson.md").write_text(text, encoding="utf-8")
    return folder / "01-sample-lesson.md"


def test_alias_bomb_in_lesson_front_matter(tmp_path: Path) -> None:
    path = _lesson_dir(tmp_path, BOMB_LESSON)

    def run() -> None:
        with pytest.raises(DataError) as info:
            load_lesson(path)
        assert any("front matter is not valid YAML" in p and "aliases" in p for p in info.value.problems)

    _bounded(run)


def test_lessons_check_reports_the_bomb_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _lesson_dir(tmp_path, BOMB_LESSON)
    monkeypatch.setattr(lessons_module, "LESSONS_DIR", tmp_path)
    start = time.perf_counter()
    assert main(["lessons", "--check", "--lang", "en"]) == 2
    assert time.perf_counter() - start < 10
    out, err = capsys.readouterr()
    text = out + err
    assert "01-sample-lesson.md: front matter is not valid YAML" in text and "aliases" in text
    assert "Traceback" not in text


@pytest.mark.parametrize("covers", ["covers: " + "[" * 20_000 + "]" * 20_000, "covers: [" + "9" * 5_000 + "]"])
def test_deep_or_huge_front_matter_is_a_problem_line(tmp_path: Path, covers: str) -> None:
    path = _lesson_dir(tmp_path, LESSON.format(covers=covers))
    with pytest.raises(DataError) as info:
        load_lesson(path)
    assert any("front matter is not valid YAML" in p for p in info.value.problems)
