"""The Lessons page: list, deep links, quiz feedback, progress, broken lesson files."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab import LESSONS_DIR
from lab.lessons import load_lesson
from tests.app.conftest import OpenPage

PAGE = "ui/pages/lessons.py"
FIRST = load_lesson(LESSONS_DIR / "en" / "01-what-is-a-vpn.md")


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.error, *at.success, *at.info, *at.warning)]
    return "\n".join(str(p) for p in parts)


def test_list_shows_lessons_with_minutes_and_progress(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.button(key="open-what-is-a-vpn").label.endswith("What a VPN is**")
    assert "10 min" in texts(at) and "Not done yet" in texts(at)


def test_deep_link_opens_a_lesson(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    assert not at.exception
    assert at.title[0].value == "What a VPN is"
    body = texts(at)
    assert "In this lesson you will learn to" in body and "Key takeaways" in [h.value for h in at.header]
    assert at.get("plotly_chart"), "the lesson's figure is shown"


def test_unknown_lesson_id_shows_message_and_list(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="no-such-lesson")
    assert not at.exception
    assert "no lesson with the id `no-such-lesson`" in at.error[0].value
    assert at.title[0].value == "Lessons"


def test_opening_from_the_list_and_going_back(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.button(key="open-three-kinds-of-vpn").click().run()
    assert at.title[0].value == "The three kinds of VPN"
    assert at.query_params["lesson"] in ("three-kinds-of-vpn", ["three-kinds-of-vpn"])
    at.button(key="back-to-list").click().run()
    assert at.title[0].value == "Lessons"


def test_right_answer_gets_correct_and_explanation(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    q = FIRST.quiz[0]
    at.radio(key="quiz-what-is-a-vpn-0-0").set_value(q.answer).run()
    assert not at.exception
    assert "Correct at the first try." in [s.value for s in at.success]
    assert any(q.explanation[:40] in m.value for m in at.markdown)


def test_wrong_first_answer_counts_and_a_changed_answer_does_not(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    q = FIRST.quiz[0]
    wrong = (q.answer + 1) % len(q.choices)
    at.radio(key="quiz-what-is-a-vpn-0-0").set_value(wrong).run()
    assert any("first answer is the one that counts" in e.value for e in at.error)
    assert any(q.explanation[:40] in m.value for m in at.markdown)
    # The first answer is locked on screen: it cannot be changed into a right one.
    locked = at.radio(key="quiz-what-is-a-vpn-0-first")
    assert locked.value == wrong and locked.disabled
    # Trying again after the explanation is recorded as a second attempt.
    at.button(key="try-what-is-a-vpn-0").click().run()
    at.radio(key="quiz-what-is-a-vpn-0-1").set_value(q.answer).run()
    assert not at.exception
    assert any("right answer on attempt 2" in i.value for i in at.info)
    assert at.radio(key="quiz-what-is-a-vpn-0-first").value == wrong
    assert any("First try: 0 of 1 right · in the end: 1 of 1 right" in i.value for i in at.info)


def test_all_correct_marks_lesson_done_in_the_list(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    for i, q in enumerate(FIRST.quiz):
        at.radio(key=f"quiz-what-is-a-vpn-{i}-0").set_value(q.answer)
    at.run()
    assert any("marked as done" in s.value for s in at.success)
    at.button(key="back-to-list").click().run()
    assert "Done" in texts(at)


def test_progress_survives_a_new_session_with_the_resume_token(open_page: OpenPage) -> None:
    """F5 or another device: a new session with the browser's token finds the answers in the database."""
    at = open_page(PAGE, lesson="what-is-a-vpn")
    q = FIRST.quiz[0]
    at.radio(key="quiz-what-is-a-vpn-0-0").set_value(q.answer).run()
    token = at.session_state["learner_token"]
    fresh = open_page(PAGE, lesson="what-is-a-vpn", resume=token)
    assert not fresh.exception
    assert fresh.radio(key="quiz-what-is-a-vpn-0-first").value == q.answer
    assert "Correct at the first try." in [s.value for s in fresh.success]


def test_next_and_previous_links(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    assert "Next:" in at.button(key="next-lesson").label
    at.button(key="next-lesson").click().run()
    assert at.query_params["lesson"] not in ("what-is-a-vpn", ["what-is-a-vpn"])
    assert at.button(key="prev-lesson")


def test_broken_lesson_is_reported_and_others_still_work(
    open_page: OpenPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lab import lessons

    (tmp_path / "en").mkdir()
    for src in (LESSONS_DIR / "en").glob("0[12]-*.md"):
        (tmp_path / "en" / src.name).write_text(src.read_text())
    bad = tmp_path / "en" / "02-three-kinds-of-vpn.md"
    bad.write_text(bad.read_text().replace("minutes: 8", "minutes: 8\nlevel: easy", 1))
    monkeypatch.setattr(lessons, "LESSONS_DIR", tmp_path)
    at = open_page(PAGE)
    assert not at.exception
    assert at.button(key="open-what-is-a-vpn")
    assert any("could not be loaded" in e.value for e in at.error)
    assert any("level: unknown key" in t.value for t in at.text)


def test_related_links_lead_to_scenario_and_troubleshooter(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="dead-peer-detection")
    assert not at.exception
    assert "Practise it" in [h.value for h in at.header]
    labels = [el.proto.label for el in at.get("page_link")]
    assert any(label.startswith("Scenario lab:") for label in labels)
    assert len(labels) >= 2, labels


def test_quiz_answers_are_still_there_after_visiting_another_lesson(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    q = FIRST.quiz[0]
    at.radio(key="quiz-what-is-a-vpn-0-0").set_value(q.answer).run()
    at.button(key="next-lesson").click().run()
    at.button(key="prev-lesson").click().run()
    assert not at.exception
    assert at.radio(key="quiz-what-is-a-vpn-0-first").value == q.answer
    assert "Correct at the first try." in [s.value for s in at.success]
