"""The Lessons page with a hostile lesson file (a YAML alias bomb): a `path: problem` message, the other
lessons still listed, the page quick and whole."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from lab import LESSONS_DIR
from lab import lessons as lessons_module
from tests.unit.test_hostile_yaml import BOMB_LESSON

PAGE = "ui/pages/lessons.py"


def test_alias_bomb_lesson_is_reported_and_the_rest_work(open_page, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(LESSONS_DIR / "en", tmp_path / "en")
    (tmp_path / "en" / "99-sample-lesson.md").write_text(BOMB_LESSON.replace("sample-lesson", "sample-lesson"), encoding="utf-8")
    monkeypatch.setattr(lessons_module, "LESSONS_DIR", tmp_path)
    start = time.perf_counter()
    at = open_page(PAGE)
    assert time.perf_counter() - start < 60
    assert not at.exception
    assert any("could not be loaded" in e.value for e in at.error)
    problems = "\n".join(t.value for t in at.text)
    assert "front matter is not valid YAML" in problems and "aliases" in problems
    assert at.button(key="open-what-is-a-vpn"), "the valid lessons are still listed"
