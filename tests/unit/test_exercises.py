"""The exercise schema and runner on hand-made exercises: every mistake is named, checks compare right."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from lab import exercises
from lab.exercises import Choice, Exercise, Target
from lab.lessons.schema import _ExerciseSchema

BASE = {
    "id": "x", "title": "t", "situation": "s", "question": "q", "kind": "number", "answer": 540, "unit": "s",
    "lab": "scenario", "scenario": "s1", "fail": ["cgw-down:cgw-a@60"], "measure": "outage_s.to_onprem",
    "explanation": "e",
}


def _problems(**change: object) -> str:
    with pytest.raises(ValidationError) as exc:
        _ExerciseSchema.model_validate({**BASE, **change})
    return str(exc.value)


def test_a_valid_exercise_passes() -> None:
    assert _ExerciseSchema.model_validate(BASE).measure == "outage_s.to_onprem"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "choice"}, "a choice exercise needs at least two choices"),
        ({"kind": "choice", "choices": [{"text": "a", "value": "1"}, {"text": "b", "value": "2"}], "answer": 2},
         "answer 2 is not an index of its 2 choices"),
        ({"choices": [{"text": "a", "value": "1"}, {"text": "b", "value": "2"}]}, "a number exercise has no choices"),
        ({"lab": "troubleshooter"}, "lab troubleshooter needs 'tree' and 'node'"),
        ({"lab": "analyzer"}, "lab analyzer needs 'sample'"),
        ({"lab": "troubleshooter", "tree": "tunnel-down", "node": "scope", "sample": "x.log"},
         "exactly one of 'scenario' or 'sample'"),
        ({"tolerance": -1}, "greater than or equal to 0"),
        ({"shortcut": True}, "Extra inputs are not permitted"),
    ],
)
def test_schema_names_each_mistake(change: dict[str, object], message: str) -> None:
    assert message in _problems(**change)


def test_references_are_checked_without_running_anything() -> None:
    t = Target(lab="scenario", measure="outage_s.to_onprem", scenario="s1",
               failures=("cgw-down:cgw-z@60",), options=(("dpd_timeout_action", "reboot"), ("keepalive", 5)))
    problems = " | ".join(exercises.reference_problems(t))
    assert "cgw-z" in problems
    assert "option dpd_timeout_action: 'reboot' is not one of clear, none, restart" in problems
    assert "option 'keepalive' does not exist" in problems


def test_a_prediction_within_the_tolerance_is_right() -> None:
    ex = Exercise("x", "l", "t", "s", "q", "number", 540, Target("scenario", "outage_s.to_onprem", "s1",
                  ("cgw-down:cgw-a@60",)), "e", unit="s", tolerance=30)
    assert exercises.check(ex, 520).correct
    assert not exercises.check(ex, 500).correct
    assert exercises.check(ex, 520).expected == "540 s"


def test_a_choice_is_right_when_its_value_is_what_the_lab_shows() -> None:
    ex = Exercise("x", "l", "t", "s", "q", "choice", 1, Target("scenario", "manual_action_required", "s1",
                  ("cgw-down:cgw-a@60",)), "e", choices=(Choice("No", "no"), Choice("Yes", "yes")))
    assert exercises.expected(ex) == "yes"
    assert exercises.check(ex, 1).correct and not exercises.check(ex, 0).correct
    assert exercises.consistency_problems(ex) == []


def test_a_drifted_stated_answer_is_reported() -> None:
    ex = Exercise("x", "l", "t", "s", "q", "number", 300, Target("scenario", "outage_s.to_onprem", "s1",
                  ("cgw-down:cgw-a@60",)), "e", unit="s")
    assert exercises.consistency_problems(ex) == ["the lesson says 300 but the lab shows 540"]


def test_scenario_links_carry_failures_and_options() -> None:
    t = Target("scenario", "down_s.tunnel-1", "s1", ("idle@60+300",), (("dpd_timeout_action", "restart"),))
    assert t.url() == "/scenario-lab?scenario=s1&fail=idle%4060%2B300&dpd_timeout_action=restart"


def test_a_longer_exercise_opens_the_lab_with_its_run_length() -> None:
    """Lesson 9's audit exercise runs 90 minutes: the lab opens on the same length, so it shows the same answer."""
    t = Target("scenario", "audit.single-tunnel", "s1", ("endpoint-replacement:tunnel-1@60",), duration_s=5400)
    assert t.url().endswith("&duration=5400")
    assert t.query_params()["duration"] == "5400"
    assert "duration" not in Target("scenario", "down_s.tunnel-1", "s1", ("idle@60",)).url()
