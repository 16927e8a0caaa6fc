"""Classes and live drills, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from lab.classes import (
    answer_question,
    class_report,
    create_class,
    delete_class,
    export_csv,
    join_class,
    new_learner,
    resume_learner,
    verify_facilitator,
)
from lab.classes.drills import ready_made
from lab.classes.live import drill_status, participant_drill_status, start_drill, submit_answer
from lab.errors import InputError, NotFoundError
from lab.store import Store

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
SIZES = {"what-is-a-vpn": 2, "dead-peer-detection": 1}


def _drill(drill_id: str) -> dict:
    return next(p for s, p in ready_made() if s.id == drill_id)


def test_facilitator_key_is_needed_and_only_its_hash_is_stored(store: Store) -> None:
    cls, key = create_class(store, "Network team", T0)
    assert len(cls.code) == 6 and cls.key_hash != key and key not in cls.key_hash
    assert verify_facilitator(store, cls.code.lower(), key).id == cls.id  # codes are typed: case ignored
    with pytest.raises(InputError, match="do not match"):
        verify_facilitator(store, cls.code, key[:-1] + ("A" if key[-1] != "A" else "B"))
    with pytest.raises(InputError, match="do not match"):
        verify_facilitator(store, "NOCODE", key)


def test_join_report_and_csv(store: Store) -> None:
    cls, _key = create_class(store, "Week 1", T0)
    _, mina, token = join_class(store, cls.code, T0, name="Mina")
    assert token and resume_learner(store, token) == mina
    _, bo, _ = join_class(store, f" {cls.code.lower()} ", T0 + timedelta(seconds=1), name="=HYPERLINK(\"x\")")
    store.record_lesson_read(mina.id, "what-is-a-vpn", T0)
    answer_question(store, mina.id, "what-is-a-vpn", 0, 1, True, T0)
    answer_question(store, mina.id, "what-is-a-vpn", 1, 0, False, T0)
    answer_question(store, mina.id, "what-is-a-vpn", 1, 2, True, T0)
    answer_question(store, bo.id, "what-is-a-vpn", 0, 3, False, T0)
    report = class_report(store, cls.code, SIZES)
    data = report.to_json()
    assert [p["name"] for p in data["participants"]] == ["Mina", "=HYPERLINK(\"x\")"]
    first = data["participants"][0]
    assert first["lessons_done"] == ["what-is-a-vpn"]
    assert first["quiz"] == {"answered": 2, "first_try_correct": 1, "eventually_correct": 2}
    assert report.question_success() == [("what-is-a-vpn", 0, 2, 1), ("what-is-a-vpn", 1, 1, 0)]
    rows = list(csv.reader(io.StringIO(export_csv(report))))
    assert rows[0][:3] == ["name", "lessons_read", "lessons_done"]
    assert rows[1][0] == "Mina" and rows[1][2] == "what-is-a-vpn"
    assert rows[2][0] == "'=HYPERLINK(\"x\")", "a name never runs as a spreadsheet formula"


def test_unknown_code(store: Store) -> None:
    with pytest.raises(NotFoundError, match="Unknown class code 'ZZZZZZ'"):
        class_report(store, "ZZZZZZ", SIZES)
    with pytest.raises(NotFoundError):
        join_class(store, "ZZZZZZ", T0, name="Mina")


def test_drill_answers_time_limit_reveal_and_privacy(store: Store) -> None:
    cls, _key = create_class(store, "Drills", T0)
    _, a, _ = join_class(store, cls.code, T0, name="A")
    _, b, _ = join_class(store, cls.code, T0, name="B")
    _, c, _ = join_class(store, cls.code, T0, name="C")
    prepared = _drill("s4-bgp-failover")
    drill = start_drill(store, cls, prepared, T0, 45)
    assert drill.closes_at == T0 + timedelta(seconds=45)
    assert submit_answer(store, drill, a.id, prepared["answer"], T0 + timedelta(seconds=5))[1] is True
    assert submit_answer(store, drill, b.id, "0", T0 + timedelta(seconds=6))[1] is False
    with pytest.raises(InputError, match="already answered"):
        submit_answer(store, drill, a.id, "0", T0 + timedelta(seconds=7))
    with pytest.raises(InputError, match="Time is up"):
        submit_answer(store, drill, c.id, "1", T0 + timedelta(seconds=46))
    status = drill_status(store, cls, T0 + timedelta(seconds=10))
    assert status is not None and status.phase == "open" and status.participants == 3
    assert status.mine(a.id).correct and status.mine(c.id) is None  # type: ignore[union-attr]
    store.reveal_drill(drill.id, T0 + timedelta(seconds=20))
    revealed = drill_status(store, cls, T0 + timedelta(seconds=21))
    assert revealed.phase == "revealed"  # type: ignore[union-attr]
    dist = {label: (n, right) for label, n, right in revealed.distribution()}  # type: ignore[union-attr]
    assert dist["30 s"] == (1, True) and dist["0 s"] == (1, False)
    data = class_report(store, cls.code, SIZES).to_json()
    assert data["drills"][0]["answers"] == 2 and data["drills"][0]["correct"] == 1
    assert data["drills"][0]["right_answer"] == "30 s"
    assert data["participants"][0]["drills"] == [{"drill": prepared["title"], "answer": "30 s", "correct": True}]


def test_a_participant_reads_only_their_own_answer_until_the_reveal(store: Store) -> None:
    cls, _key = create_class(store, "Privacy", T0)
    _, a, _ = join_class(store, cls.code, T0, name="A")
    _, b, _ = join_class(store, cls.code, T0, name="B")
    _, c, _ = join_class(store, cls.code, T0, name="C")
    assert participant_drill_status(store, cls, a.id, T0) is None  # no drill yet
    prepared = _drill("s4-bgp-failover")
    drill = start_drill(store, cls, prepared, T0, 45)
    submit_answer(store, drill, a.id, prepared["answer"], T0 + timedelta(seconds=5))
    submit_answer(store, drill, b.id, "0", T0 + timedelta(seconds=6))
    mine = participant_drill_status(store, cls, a.id, T0 + timedelta(seconds=10))
    assert mine is not None and mine.phase == "open" and mine.drill.spec == drill.spec
    assert [x.learner_id for x in mine.answers] == [a.id] and mine.mine(a.id).correct  # type: ignore[union-attr]
    waiting = participant_drill_status(store, cls, c.id, T0 + timedelta(seconds=10))
    assert waiting is not None and waiting.answers == []  # nobody else's answer reaches C's page
    store.reveal_drill(drill.id, T0 + timedelta(seconds=20))
    revealed = participant_drill_status(store, cls, c.id, T0 + timedelta(seconds=21))
    assert revealed is not None and revealed.phase == "revealed" and revealed.mine(c.id) is None
    assert {x.learner_id for x in revealed.answers} == {a.id, b.id}
    dist = {label: (n, right) for label, n, right in revealed.distribution()}
    assert dist["30 s"] == (1, True) and dist["0 s"] == (1, False)


def test_reads_share_one_transaction_and_writes_still_land(store: Store) -> None:
    cls, _key = create_class(store, "One read", T0)
    _, a, token = join_class(store, cls.code, T0, name="A")
    with store.reading() as s:
        assert s is store and resume_learner(s, token) == a  # type: ignore[arg-type]
        assert [x.id for x in s.classes_of(a.id)] == [cls.id]
        with store.reading():  # nested: the same transaction
            assert store.class_by_code(cls.code) == cls
    store.record_lesson_read(a.id, "what-is-a-vpn", T0)  # outside it, a write commits on its own
    assert store.lesson_reads([a.id]) == {a.id: {"what-is-a-vpn"}}


def test_a_new_drill_closes_the_open_one(store: Store) -> None:
    cls, _key = create_class(store, "Two drills", T0)
    first = start_drill(store, cls, _drill("s2-cluster-failover"), T0)
    start_drill(store, cls, _drill("dpd-idle-tunnel"), T0 + timedelta(seconds=10))
    assert store.drill(first.id).closes_at == T0 + timedelta(seconds=10)  # type: ignore[union-attr]


def test_delete_removes_the_class_and_everything_about_its_participants(store: Store) -> None:
    cls, _key = create_class(store, "Gone", T0)
    other, _ = create_class(store, "Stays", T0)
    _, only_here, token = join_class(store, cls.code, T0, name="Only here")
    _, both, _ = join_class(store, cls.code, T0, name="Both")
    store.join(other.id, both.id, T0)
    answer_question(store, only_here.id, "what-is-a-vpn", 0, 1, True, T0)
    drill = start_drill(store, cls, _drill("s2-cluster-failover"), T0)
    submit_answer(store, drill, only_here.id, "40", T0)
    submit_answer(store, drill, both.id, "40", T0)
    assert delete_class(store, cls.code) == 1
    assert store.class_by_code(cls.code) is None
    assert resume_learner(store, token) is None
    assert store.quiz_answers([only_here.id]) == []
    assert store.drill(drill.id) is None and store.drill_answers([drill.id]) == []
    assert [m.name for m in store.members(other.id)] == ["Both"]


def test_guest_learner_joining_keeps_its_progress(store: Store) -> None:
    me, _token = new_learner(store, "Guest", T0)
    answer_question(store, me.id, "what-is-a-vpn", 0, 1, True, T0)
    cls, _key = create_class(store, "Room", T0)
    _, joined, token = join_class(store, cls.code, T0, learner=me)
    assert joined.id == me.id and token is None
    assert class_report(store, cls.code, SIZES).to_json()["participants"][0]["quiz"]["answered"] == 1


def test_a_ready_made_drill_reads_in_the_participants_language() -> None:
    # The shipped drills' titles and notes are catalogue texts: a Korean room reads them in Korean, while a drill a
    # facilitator typed keeps the words typed (data_text returns text it does not know unchanged).
    from lab.i18n import data_text

    for spec, prepared in ready_made():
        assert data_text("drill.title", spec.title, "ko") != spec.title
        if spec.note:
            assert data_text("drill.note", spec.note, "ko") in prepared["explanations"]["ko"]
            assert spec.note in prepared["explanations"]["en"]
    assert data_text("drill.title", "Week 1: our own drill", "ko") == "Week 1: our own drill"
