"""Every shipped lesson file is valid, and the CLI's check agrees."""

from __future__ import annotations

import pytest

from lab import LESSONS_DIR
from lab.lessons import languages, load_lesson

LESSON_FILES = sorted(LESSONS_DIR.glob("*/*.md"))


def test_there_are_lessons() -> None:
    assert "en" in languages() and LESSON_FILES


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_lesson_file_is_valid(path) -> None:
    lesson = load_lesson(path, path.parent.name)
    assert lesson.title and lesson.quiz and lesson.references
