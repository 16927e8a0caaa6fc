"""The curriculum map: the outline loads and validates, and coverage joins topics to lessons."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from lab.errors import DataError
from lab.lessons.curriculum import coverage, load_outline, outline, uncovered, unknown_covers

OUTLINE = """\
source: test
sections:
  - number: "1"
    title: One
    topics:
      - {number: "1.1", text: first}
      - {number: "1.2", text: second}
  - number: "2"
    title: Two
    topics:
      - {number: "2.1", text: third}
"""


@dataclass(frozen=True)
class FakeLesson:
    id: str
    number: int
    title: str
    covers: tuple[str, ...]


def _outline(tmp_path: Path, text: str = OUTLINE):
    path = tmp_path / "outline.yaml"
    path.write_text(text, encoding="utf-8")
    return load_outline(path)


def test_shipped_outline_has_every_article_topic() -> None:
    numbers = outline().topic_numbers
    assert numbers[0] == "1.1" and numbers[-1] == "8.2" and len(numbers) == 27


def test_coverage_lists_lessons_per_topic_in_lesson_order(tmp_path: Path) -> None:
    out = _outline(tmp_path)
    lessons = [FakeLesson("b", 2, "B", ("1.1", "2.1")), FakeLesson("a", 1, "A", ("1.1",))]
    sections = coverage(out, lessons)
    assert [r.id for r in sections[0].topics[0].lessons] == ["a", "b"]
    assert not sections[0].topics[1].covered
    assert [r.id for r in sections[0].lessons] == ["a", "b"]
    assert uncovered(out, lessons) == ["1.2"]


def test_unknown_covers_are_reported(tmp_path: Path) -> None:
    out = _outline(tmp_path)
    assert unknown_covers(out, [FakeLesson("a", 1, "A", ("1.1", "9.9"))]) == ["a: 9.9"]


def test_bad_outline_reports_every_problem(tmp_path: Path) -> None:
    bad = OUTLINE.replace('{number: "2.1", text: third}', '{number: "1.1", text: third}')
    with pytest.raises(DataError) as err:
        _outline(tmp_path, bad)
    assert "topic 1.1 is listed under section 2" in str(err.value)
    assert "topic 1.1 appears twice" in str(err.value)


def test_topic_numbers_are_validated(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="not a topic number"):
        _outline(tmp_path, OUTLINE.replace('"1.2"', '"one-two"'))
