"""The tree engine: start, answer, back, goto, resolve, and the evidence walk."""

from __future__ import annotations

import pytest

from lab.errors import NotFoundError
from lab.triage.evidence import Evidence
from lab.triage.tree import (
    answer,
    auto_walk,
    back,
    goto,
    path,
    resolve,
    session_with_evidence,
    start,
    suggest,
)


def ev(key: str, value: str) -> Evidence:
    return Evidence(key, value, f"test: {key}={value}")


def test_start_opens_the_first_question() -> None:
    s = start("tunnel-down")
    assert s.current.ref == "tunnel-down/scope"
    assert not s.current.is_diagnosis


def test_answer_moves_to_the_next_node_and_records_the_label() -> None:
    s = answer(start("tunnel-down"), 0)
    assert s.current.ref == "tunnel-down/ike-traffic"
    assert s.steps[0].label == "Both tunnels are down"


def test_back_returns_to_the_previous_question_unanswered() -> None:
    s = back(answer(answer(start("tunnel-down"), 0), 0))
    assert s.current.ref == "tunnel-down/ike-traffic"
    assert s.steps[-1].answer is None


def test_back_at_the_first_node_changes_nothing() -> None:
    s = start("tunnel-down")
    assert back(s) == s


def test_answer_can_cross_into_another_tree() -> None:
    s = answer(start("tunnel-down"), 2)
    assert s.current.ref == "no-traffic/start"
    assert s.tree == "no-traffic"


def test_goto_deep_links_a_node() -> None:
    assert goto("tunnel-down/d-dpd-clear-add").current.is_diagnosis


def test_answering_a_diagnosis_is_refused() -> None:
    with pytest.raises(ValueError):
        answer(goto("tunnel-down/d-auth"), 0)


@pytest.mark.parametrize("ref", ["nope/scope", "tunnel-down/nope", "tunnel-down", "/x"])
def test_resolve_rejects_unknown_references(ref: str) -> None:
    with pytest.raises(NotFoundError):
        resolve(ref)


def test_unknown_tree_lists_the_choices() -> None:
    with pytest.raises(NotFoundError) as err:
        start("nope")
    assert "tunnel-down" in str(err.value)


def test_suggest_uses_the_node_evidence_key() -> None:
    node = resolve("tunnel-down/dpd-action")
    index, used = suggest(node, {"options.dpd_timeout_action": ev("options.dpd_timeout_action", "clear")})
    assert node.answers[index].next == "tunnel-down/dpd-who-restarts"
    assert used.value == "clear"


def test_suggest_ignores_values_no_answer_lists() -> None:
    assert suggest(resolve("tunnel-down/dpd-action"), {"options.dpd_timeout_action": ev("x", "maybe")}) is None


DPD_CASE = {
    "connection.tunnels_down": ev("connection.tunnels_down", "both"),
    "log.ike_activity": ev("log.ike_activity", "yes"),
    "tunnel.phase1_state": ev("tunnel.phase1_state", "Down"),
    "log.primary": ev("log.primary", "dpd_timeout"),
    "log.peer_alive_after_dpd": ev("log.peer_alive_after_dpd", "yes"),
    "options.dpd_timeout_action": ev("options.dpd_timeout_action", "clear"),
    "options.startup_action": ev("options.startup_action", "add"),
}


def test_auto_walk_follows_evidence_to_the_dpd_diagnosis() -> None:
    walk = auto_walk("tunnel-down", DPD_CASE)
    assert walk.final == "tunnel-down/d-dpd-clear-add"
    assert walk.diagnosis == walk.final
    assert [s.ref.split("/")[1] for s in walk.steps] == [
        "scope", "ike-traffic", "phase1-state", "phase1-cause", "dpd-peer-alive", "dpd-action", "dpd-who-restarts",
    ]


def test_auto_walk_reaches_the_ike_sa_diagnosis() -> None:
    from lab.triage.evidence import derive

    case = {**DPD_CASE, "log.primary": ev("log.primary", "ike_sa_deleted_by_peer")}
    # the Delete question reads the derived key: nothing set the tunnel up again, so the startup action decides
    assert auto_walk("tunnel-down", derive(case)).final == "tunnel-down/d-ike-sa-deleted-add"


def test_auto_walk_stops_where_evidence_runs_out() -> None:
    walk = auto_walk("tunnel-down", {"connection.tunnels_down": ev("connection.tunnels_down", "one")})
    assert walk.final == "tunnel-down/maintenance"
    assert walk.diagnosis is None


def test_auto_walk_can_start_at_a_node() -> None:
    walk = auto_walk("tunnel-down", DPD_CASE, start_ref="tunnel-down/dpd-action")
    assert walk.final == "tunnel-down/d-dpd-clear-add"


def test_session_with_evidence_marks_steps_as_evidence_answers() -> None:
    s = session_with_evidence(start("tunnel-down"), DPD_CASE)
    assert s.current.ref == "tunnel-down/d-dpd-clear-add"
    assert all(step.by_evidence for step in s.steps[:-1])


def test_path_lists_every_node_with_its_answer() -> None:
    steps = path(answer(start("tunnel-down"), 0))
    assert [(n.id, s.label) for n, s in steps] == [("scope", "Both tunnels are down"), ("ike-traffic", "")]
