"""Learners and lasting progress, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lab.classes import answer_question, learner_progress, new_learner, quiz_state, resume_learner
from lab.classes.identity import clean_name, hash_secret
from lab.errors import InputError
from lab.store import Store, open_store, schema_status

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_upgrade_creates_the_schema_and_reports_it(db_url: str) -> None:
    status = schema_status(db_url if not db_url.startswith("postgresql://") else
                           "postgresql+psycopg://" + db_url.split("://", 1)[1])
    assert status.current is None and status.known
    open_store()
    from lab.store.db import database_url

    after = schema_status(database_url())
    assert after.up_to_date and after.current == after.head == "0002"


def test_resume_token_finds_the_learner_and_only_its_hash_is_stored(store: Store) -> None:
    learner, token = new_learner(store, "  Mina   Park ", T0)
    assert learner.name == "Mina Park"
    assert resume_learner(store, token) == learner
    assert resume_learner(store, token + "x") is None
    assert resume_learner(store, "") is None
    with store.engine.connect() as conn:
        from sqlalchemy import text

        stored = conn.execute(text("SELECT token_hash FROM learners")).scalar_one()
    assert stored == hash_secret(token) and token not in stored


def test_first_answer_counts_and_retries_are_kept(store: Store) -> None:
    learner, _ = new_learner(store, "Kim", T0)
    answer_question(store, learner.id, "dead-peer-detection", 0, 2, False, T0)
    state = answer_question(store, learner.id, "dead-peer-detection", 0, 1, True, T0 + timedelta(seconds=30))
    assert [a.attempt for a in state.attempts] == [1, 2]
    assert not state.first_try_correct and state.eventually_correct
    assert state.first.choice == 2
    answer_question(store, learner.id, "dead-peer-detection", 1, 0, True, T0)
    p = learner_progress(store, learner.id, {"dead-peer-detection": 2, "what-is-a-vpn": 3})
    assert (p.answered, p.first_try_correct, p.eventually_correct) == (2, 1, 2)
    assert p.lessons_done == ["dead-peer-detection"]
    assert set(quiz_state(store, learner.id, "dead-peer-detection")) == {0, 1}


def test_an_answer_reads_the_questions_attempts_once(store: Store) -> None:
    """Recording an answer numbers it from the question's earlier attempts and returns them all, with one read
    of the quiz answers (no second read of the lesson's state afterwards)."""
    from sqlalchemy import event

    learner, _ = new_learner(store, "Kim", T0)
    answer_question(store, learner.id, "dead-peer-detection", 1, 0, True, T0)  # another question: not returned
    answer_question(store, learner.id, "dead-peer-detection", 0, 2, False, T0)
    reads: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT") and "quiz_answers" in statement:
            reads.append(statement)

    event.listen(store.engine, "before_cursor_execute", count)
    try:
        state = answer_question(store, learner.id, "dead-peer-detection", 0, 1, True, T0 + timedelta(seconds=30))
    finally:
        event.remove(store.engine, "before_cursor_execute", count)
    assert len(reads) == 1, reads
    assert [(a.question, a.attempt, a.choice) for a in state.attempts] == [(0, 1, 2), (0, 2, 1)]
    assert quiz_state(store, learner.id, "dead-peer-detection")[0] == state


def test_progress_survives_a_new_process(db_url: str) -> None:
    """Nothing in memory: a second Store on the same database (another replica) sees everything."""
    from lab.store.db import dispose_all

    first = open_store()
    learner, token = new_learner(first, "Alex", T0)
    first.record_lesson_read(learner.id, "what-is-a-vpn", T0)
    answer_question(first, learner.id, "what-is-a-vpn", 0, 1, True, T0)
    dispose_all()  # forget every pooled connection and the "schema checked" flag
    second = open_store()
    again = resume_learner(second, token)
    assert again is not None and again.id == learner.id
    p = learner_progress(second, learner.id, {"what-is-a-vpn": 1})
    assert p.lessons_read == {"what-is-a-vpn"} and p.lessons_done == ["what-is-a-vpn"]


@pytest.mark.parametrize("name, problem", [
    ("", "Enter a display name"),
    ("x" * 41, "at most 40"),
    ("bad\u202ename", "control or invisible"),
    ("tab\x07", "control or invisible"),
])
def test_names_are_plain_and_length_limited(name: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        clean_name(name)


def test_markup_in_a_name_is_kept_as_text(store: Store) -> None:
    learner, _ = new_learner(store, "<b>Eve</b> [x](javascript:1)", T0)
    assert store.learner(learner.id).name == "<b>Eve</b> [x](javascript:1)"  # type: ignore[union-attr]
