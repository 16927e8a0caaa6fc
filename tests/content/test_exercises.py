"""Every lesson's exercises: the lab computes the answer the lesson states, and every claim still holds."""

from __future__ import annotations

import pytest

from lab import exercises
from lab.exercises import Exercise
from lab.lessons import load_catalog

LESSONS = load_catalog("en").lessons
EXERCISES = [ex for lesson in LESSONS for ex in lesson.exercises]


def test_every_lesson_from_2_to_12_has_an_exercise() -> None:
    missing = [lesson.number for lesson in LESSONS if 2 <= lesson.number <= 12 and not lesson.exercises]
    assert not missing


def test_the_three_labs_are_all_used() -> None:
    assert {ex.target.lab for ex in EXERCISES} == {"scenario", "troubleshooter", "analyzer"}


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.key)
def test_the_lab_computes_the_stated_answer_and_the_claims(ex: Exercise) -> None:
    assert exercises.consistency_problems(ex) == []


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.key)
def test_the_stated_answer_checks_as_right_and_another_as_wrong(ex: Exercise) -> None:
    if ex.kind == "choice":
        right = exercises.expected_choice(ex)
        assert right == int(ex.answer)
        assert exercises.check(ex, right).correct
        assert not exercises.check(ex, (right + 1) % len(ex.choices)).correct
    else:
        assert exercises.check(ex, ex.answer + ex.tolerance).correct
        assert not exercises.check(ex, ex.answer + ex.tolerance + 1).correct


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.key)
def test_the_lab_can_be_opened_on_the_situation(ex: Exercise) -> None:
    h = exercises.handoff(ex)
    assert h.page in ("scenario-lab", "troubleshooter")
    if ex.target.lab == "scenario":
        assert h.query["scenario"] == ex.target.scenario
    else:
        assert h.log_text or h.snapshot is not None
    assert ex.target.url().startswith("/" + h.page)


def test_exercises_are_found_by_key_for_a_drill() -> None:
    ex = EXERCISES[0]
    assert exercises.find(ex.key) == ex
    assert exercises.lesson_exercises(ex.lesson)[0] == ex
