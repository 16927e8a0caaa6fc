"""The Korean curriculum mirrors the English one: same lessons, same quizzes and answers, same facts and topics."""

from __future__ import annotations

import pytest

from lab.i18n import data_text
from lab.lessons import load_catalog

EN = load_catalog("en")
KO = load_catalog("ko")
IDS = [lesson.id for lesson in EN.lessons]


def test_every_korean_lesson_loads_without_problems() -> None:
    assert not KO.errors, KO.errors


def test_every_english_lesson_has_a_korean_one_with_the_same_id_and_number() -> None:
    assert [(lesson.number, lesson.id) for lesson in KO.lessons] == [(lesson.number, lesson.id) for lesson in EN.lessons]


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_quiz_has_the_same_questions_and_answers(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert len(ko.quiz) == len(en.quiz)
    for q_en, q_ko in zip(en.quiz, ko.quiz, strict=True):
        assert q_ko.answer == q_en.answer
        assert len(q_ko.choices) == len(q_en.choices)
        assert q_ko.question != q_en.question, "the question is still in English"


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_lesson_teaches_the_same_topics_with_the_same_facts(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert ko.covers == en.covers
    assert ko.minutes == en.minutes
    assert [f.key for f in ko.facts_used] == [f.key for f in en.facts_used]
    assert [r.url for r in ko.references] == [r.url for r in en.references]
    assert ko.related == en.related
    assert len(ko.objectives) == len(en.objectives)
    assert len(ko.keypoints) == len(en.keypoints)


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_lesson_shows_the_same_figures_and_sections(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert [b.figure for b in ko.blocks if b.kind == "figure"] == [b.figure for b in en.blocks if b.kind == "figure"]
    assert len(ko.toc) == len(en.toc)


def test_facts_inside_korean_lessons_are_in_korean() -> None:
    """A fact inserted into a Korean sentence reads in Korean (the data catalogue's `fact.text`)."""
    untranslated = sorted(
        {f.key for lesson in KO.lessons for f in lesson.facts_used
         if any(ch.isalpha() and ch.isascii() for ch in f.text)
         and data_text("fact.text", f.text, "ko") == f.text
         and " " in f.text}
    )
    assert not untranslated, untranslated
