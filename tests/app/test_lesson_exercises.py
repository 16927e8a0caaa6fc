"""A lesson's exercises: predict first, open the lab on the same situation, then check against the lab."""

from __future__ import annotations

from lab.exercises import find
from tests.app.conftest import OpenPage

PAGE = "ui/pages/lessons.py"
NIGHT = find("dead-peer-detection/the-quiet-night")
TREE = find("ike-sa-and-startup-action/who-brings-it-back-after-a-delete")


def _k(ex, part: str) -> str:  # type: ignore[no-untyped-def]
    return f"ex-{ex.lesson}-{ex.id}-{part}"


def test_a_number_prediction_is_checked_against_the_simulation(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="dead-peer-detection")
    assert not at.exception
    assert "Exercises" in [h.value for h in at.header]
    assert at.button(key=_k(NIGHT, "lock")).disabled  # answer first
    at.number_input(key=_k(NIGHT, "number")).set_value(NIGHT.answer).run()
    at.button(key=_k(NIGHT, "lock")).click().run()
    at.toggle(key=_k(NIGHT, "show")).set_value(True).run()
    assert not at.exception
    assert any(f"The lab shows: {NIGHT.answer:g} s" in s.value for s in at.success)
    assert any("assumption" in m.value for m in at.markdown)  # the explanation is shown


def test_a_wrong_choice_shows_what_the_tree_concludes(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="ike-sa-and-startup-action")
    wrong = next(i for i in range(len(TREE.choices)) if i != int(TREE.answer))
    at.radio(key=_k(TREE, "pick")).set_value(wrong).run()
    at.button(key=_k(TREE, "lock")).click().run()
    at.toggle(key=_k(TREE, "show")).set_value(True).run()
    assert not at.exception
    right = TREE.choices[int(TREE.answer)].text
    assert any(f"Not quite. The lab shows: {right}" in e.value for e in at.error)


def test_opening_the_troubleshooter_hands_over_the_simulation(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="ike-sa-and-startup-action")
    at.radio(key=_k(TREE, "pick")).set_value(0).run()
    at.button(key=_k(TREE, "lock")).click().run()
    at.button(key=_k(TREE, "open")).click().run()
    assert not at.exception
    assert at.session_state["shared_snapshot"].source == "simulation"
    assert "DELETE for IKE_SA" in at.session_state["shared_log_text"]


def test_try_again_clears_the_prediction(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="dead-peer-detection")
    at.number_input(key=_k(NIGHT, "number")).set_value(10).run()
    at.button(key=_k(NIGHT, "lock")).click().run()
    at.button(key=_k(NIGHT, "again")).click().run()
    assert not at.exception
    assert at.button(key=_k(NIGHT, "lock")).disabled


def test_a_lesson_without_exercises_has_no_exercise_section(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="what-is-a-vpn")
    assert "Exercises" not in [h.value for h in at.header]


def test_opening_the_scenario_lab_loads_the_situation(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson="dead-peer-detection")
    at.number_input(key=_k(NIGHT, "number")).set_value(100).run()
    at.button(key=_k(NIGHT, "lock")).click().run()
    at.button(key=_k(NIGHT, "open")).click().run()
    assert not at.exception
    assert at.session_state["sl_scenario"] == "s1"
    assert at.session_state["sl_failures"] == [{"kind": "idle", "target": "all", "at": 60, "dur": 300}]
