"""The learner's language in their profile: migration 0002 (upgraded from 0001 with data in it), storing
and reading the choice, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from lab.classes import create_class, join_class, new_learner, resume_learner
from lab.store import Store, open_store, schema_status
from lab.store.db import database_url, dispose_all, engine_for, upgrade

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def test_upgrade_from_0001_keeps_the_learners_and_adds_their_language(db_url: str) -> None:
    url = database_url()
    assert upgrade(url, revision="0001").current == "0001"
    engine = engine_for(url)
    assert "lang" not in {c["name"] for c in inspect(engine).get_columns("learners")}
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO learners (id, name, token_hash, created_at) VALUES "
                          "('l1', 'Mina', 'h1', :t)"), {"t": T0})
    dispose_all()
    status = upgrade(url)
    assert status.current == status.head == "0002" and schema_status(url).up_to_date
    store = open_store()
    kept = store.learner("l1")
    assert kept is not None and kept.name == "Mina" and kept.lang is None
    store.set_learner_lang("l1", "ko")
    assert store.learner("l1").lang == "ko"  # type: ignore[union-attr]


def test_a_new_learner_keeps_the_page_language_and_a_pick_replaces_it(store: Store) -> None:
    learner, token = new_learner(store, "Jisoo", T0, lang="ko")
    assert resume_learner(store, token).lang == "ko"  # type: ignore[union-attr]
    store.set_learner_lang(learner.id, "en")
    assert resume_learner(store, token).lang == "en"  # type: ignore[union-attr]
    plain, _ = new_learner(store, "Alex", T0)
    assert plain.lang is None


def test_joining_a_class_with_a_display_name_keeps_the_language(store: Store) -> None:
    cls, _key = create_class(store, "Room", T0)
    _row, me, token = join_class(store, cls.code, T0, name="Hana", lang="ko")
    assert token and resume_learner(store, token).lang == "ko" == me.lang  # type: ignore[union-attr]
