"""Exercises: every lesson ends in practice - predict, run the lab, check.

An exercise is data in a lesson's front matter (`exercises:`, validated with the lesson by
`lab/lessons/schema.py`): a situation, a question the learner answers first (a choice or a number
with a tolerance), a target that loads the same situation into the scenario lab (a simulation), the
troubleshooter (a tree walked with the evidence of a simulation or a sample log) or the log analyzer
(a shipped sample log), the measure read from that lab, and an explanation. This package is pure:
`expected(ex)` computes the right answer by running the simulator, the tree engine or the analyzer
(never a typed-in answer), `check(ex, prediction)` compares a prediction with it, `handoff(ex)` says
how a page opens the lab on that situation, and `consistency_problems(ex)` is what the content test
runs so that a lesson and the lab cannot drift apart.

For a facilitator's live drill (`lab.classes`): `all_exercises(lang)` and `lesson_exercises(id)` give
the same `Exercise` objects the lesson pages use; run `expected` once the room has answered.
"""

from __future__ import annotations

from lab.exercises.check import Verdict, check, consistency_problems, reference_problems
from lab.exercises.model import LAB_TITLES, Choice, Claim, Exercise, Target, as_text
from lab.exercises.run import Handoff, expected, expected_choice, handoff, measure, simulation

__all__ = [
    "LAB_TITLES",
    "Choice",
    "Claim",
    "Exercise",
    "Handoff",
    "Target",
    "Verdict",
    "all_exercises",
    "as_text",
    "check",
    "consistency_problems",
    "expected",
    "expected_choice",
    "find",
    "handoff",
    "lesson_exercises",
    "measure",
    "reference_problems",
    "simulation",
]


def all_exercises(lang: str = "en") -> list[Exercise]:
    """Every exercise of the curriculum in lesson order (lessons that fail to load contribute none)."""
    from lab.lessons import load_catalog  # the lesson loader imports this package's model

    return [ex for lesson in load_catalog(lang).lessons for ex in lesson.exercises]


def lesson_exercises(lesson_id: str, lang: str = "en") -> list[Exercise]:
    return [ex for ex in all_exercises(lang) if ex.lesson == lesson_id]


def find(key: str, lang: str = "en") -> Exercise | None:
    """An exercise by its key, "<lesson id>/<exercise id>"."""
    return next((ex for ex in all_exercises(lang) if ex.key == key), None)
