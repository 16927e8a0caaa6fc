"""Drills as data: the shipped ones load with answers the simulator computes; bad files name every problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.classes.drills import DrillSpec, judge, prepare, ready_made
from lab.errors import DataError, InputError
from lab.sim import parse_failure, simulate


def test_ready_made_drills_cover_s1_to_s4_and_both_support_cases() -> None:
    drills = {spec.id: (spec, prepared) for spec, prepared in ready_made()}
    assert {spec.scenario for spec, _ in drills.values()} >= {"s1", "s2", "s3", "s4"}
    assert {"dpd-idle-tunnel", "ike-sa-deleted"} <= set(drills)
    for spec, prepared in drills.values():
        assert prepared["prompt"] and prepared["explanation"]
        assert prepared["link"].startswith(f"scenario={spec.scenario}&fail=")


def test_answers_are_the_simulators() -> None:
    drills = {spec.id: prepared for spec, prepared in ready_made()}
    s4 = simulate("s4", [parse_failure("cgw-down:cgw-a@60")])
    assert drills["s4-bgp-failover"]["choices"][int(drills["s4-bgp-failover"]["answer"])] == \
        f"{s4.outcome.outage_s['to_onprem']} s"
    s3 = simulate("s3", [parse_failure("cgw-down:cgw-a@60")])
    person = drills["s3-static-person-needed"]
    assert person["choices"][int(person["answer"])].startswith("Yes" if s3.outcome.manual_action_required else "No")
    ike = drills["ike-sa-deleted"]
    assert ike["choices"][int(ike["answer"])] == "AWS tunnel received DELETE for IKE_SA from CGW"
    dpd = drills["dpd-idle-tunnel"]
    assert dpd["choices"][int(dpd["answer"])] == "AWS tunnel DPD timed out after 3 retransmits"
    assert dpd["link"] == "scenario=s1&fail=idle:all@60"


def test_judge_numbers_with_tolerance_and_choices() -> None:
    number = {"format": "number", "answer": "40", "tolerance_s": 5, "choices": []}
    assert judge(number, "44") == ("44", True)
    assert judge(number, "46") == ("46", False)
    assert judge(number, " 39,6 ") == ("40", True)
    with pytest.raises(InputError, match="not a number"):
        judge(number, "forty")
    choice = {"format": "choice", "answer": "1", "choices": ["a", "b"]}
    assert judge(choice, "1") == ("1", True)
    with pytest.raises(InputError, match="Pick one"):
        judge(choice, "7")


def test_a_number_question_whose_choices_miss_the_answer_is_refused() -> None:
    spec = DrillSpec(id="x-drill", title="Wrong choices", scenario="s4", failures=["cgw-down:cgw-a@60"],
                     question="outage_to_onprem", choices=[1, 2, 3])
    with pytest.raises(InputError, match="not among the choices"):
        prepare(spec)


def test_a_broken_drill_file_names_every_problem(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(
        "drills:\n"
        "  - {id: one, title: Unknown scenario, scenario: s9, failures: ['cgw-down:cgw-a@60'], question: person_needed}\n"
        "  - {id: two, title: Bad failure, scenario: s1, failures: ['melt@60'], question: person_needed}\n"
        "  - {id: three, title: Bad target, scenario: s1, failures: ['cgw-down:cgw-b@60'], question: person_needed}\n"
        "  - {id: four, title: Unknown key, scenario: s1, failures: ['idle@60'], question: detect_s, colour: red}\n"
    )
    ready_made.cache_clear()
    try:
        with pytest.raises(DataError) as info:
            ready_made(tmp_path)
    finally:
        ready_made.cache_clear()
    text = str(info.value)
    assert "drills[0].scenario: unknown scenario 's9'" in text
    assert "drills[1].failures[0]" in text and "melt" in text
    assert "drills[2].failures[0]: no target 'cgw-b' in s1" in text
    assert "drills[3].colour: unknown key" in text


def test_lesson_exercises_run_as_drills_with_the_answer_the_lesson_checks() -> None:
    """The scenario-lab exercises of the lessons are offered as live drills: same question, computed answer."""
    from lab.classes.drills import exercise_drills, judge
    from lab.exercises import all_exercises, expected

    drills = {d["drill_id"]: d for d in exercise_drills("en")}
    by_key = {f"exercise-{ex.lesson}-{ex.id}": ex for ex in all_exercises("en")}
    assert len(drills) >= 5
    for drill_id, d in drills.items():
        ex = by_key[drill_id]
        assert d["prompt"] == ex.question
        assert judge(d, d["answer"])[1], drill_id
        if d["format"] == "number":
            assert int(d["answer"]) == round(float(expected(ex)))
        assert d["link"].startswith(f"scenario={ex.target.scenario}")
    quiet = drills["exercise-dead-peer-detection-the-quiet-night"]
    assert "fail=idle@60+300" in quiet["link"]


def test_korean_exercise_drills_ask_in_korean_with_the_same_answers() -> None:
    from lab.classes.drills import exercise_drills

    en = {d["drill_id"]: d for d in exercise_drills("en")}
    ko = {d["drill_id"]: d for d in exercise_drills("ko")}
    assert en.keys() == ko.keys()
    for key, d in ko.items():
        assert d["answer"] == en[key]["answer"]
        assert d["prompt"] != en[key]["prompt"]


def test_the_reveal_explains_in_each_participants_language() -> None:
    """A room may read Korean and English: the saved drill carries the simulator's verdict and steps in both."""
    from lab.classes.drills import catalogue, explanation_in, steps_in

    stored = next(p for _, s, p in catalogue() if s.scenario == "s4")
    assert explanation_in(stored, "en") == stored["explanation"]
    ko = explanation_in(stored, "ko")
    assert ko != stored["explanation"] and any("\uac00" <= ch <= "\ud7a3" for ch in ko)
    assert steps_in(stored, "en") == stored["steps"]
    assert any(any("\uac00" <= ch <= "\ud7a3" for ch in step) for step in steps_in(stored, "ko"))
    old = {k: v for k, v in stored.items() if k not in ("explanations", "steps_by_lang")}  # saved before
    assert explanation_in(old, "ko") == stored["explanation"] and steps_in(old, "ko") == stored["steps"]
