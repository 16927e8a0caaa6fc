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
    at.radio(key="quiz-what-is-a-vpn-0").set_value(q.answer).run()
    assert not at.exception
    assert "Correct." in [s.value for s in at.success]
    assert any(q.explanation[:40] in m.value for m in at.markdown)


def test_wrong_answer_shows_right_one_and_explanation(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    q = FIRST.quiz[0]
    wrong = (q.answer + 1) % len(q.choices)
    at.radio(key="quiz-what-is-a-vpn-0").set_value(wrong).run()
    assert any(q.choices[q.answer] in e.value for e in at.error)
    assert any(q.explanation[:40] in m.value for m in at.markdown)


def test_all_correct_marks_lesson_done_in_the_list(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    for i, q in enumerate(FIRST.quiz):
        at.radio(key=f"quiz-what-is-a-vpn-{i}").set_value(q.answer)
    at.run()
    assert any("marked as done" in s.value for s in at.success)
    at.button(key="back-to-list").click().run()
    assert "Done" in texts(at)


def test_reset_quiz_clears_answers(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    at.radio(key="quiz-what-is-a-vpn-0").set_value(0).run()
    at.button(key="reset-what-is-a-vpn").click().run()
    assert at.radio(key="quiz-what-is-a-vpn-0").value is None


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
    at.radio(key="quiz-what-is-a-vpn-0").set_value(q.answer).run()
    at.button(key="next-lesson").click().run()
    at.button(key="prev-lesson").click().run()
    assert not at.exception
    assert at.radio(key="quiz-what-is-a-vpn-0").value == q.answer
    assert "Correct." in [s.value for s in at.success]
