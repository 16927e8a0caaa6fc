"""Repositories: every read and write of learners, progress, classes and drills, one transaction each."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from lab.i18n import t
from lab.store.db import StoreError, _reason, describe_url, unreachable
from lab.store.records import ClassRow, DrillAnswerRow, DrillRow, LearnerRow, QuizAnswerRow, SavedDrillRow
from lab.store.tables import (
    LANG_LEN,
    Class,
    Drill,
    DrillAnswer,
    ExerciseDone,
    Learner,
    LessonRead,
    Membership,
    QuizAnswer,
    SavedDrill,
)


def _new_id() -> str:
    return uuid.uuid4().hex


def _utc(ts: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; every datetime leaving the store is aware UTC."""
    if ts is None:
        return None
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def _learner(r: Learner) -> LearnerRow:
    return LearnerRow(r.id, r.name, _utc(r.created_at), r.oidc_subject, r.lang)  # type: ignore[arg-type]


def _class(r: Class) -> ClassRow:
    return ClassRow(r.id, r.code, r.title, r.key_hash, _utc(r.created_at))  # type: ignore[arg-type]


def _drill(r: Drill) -> DrillRow:
    return DrillRow(r.id, r.class_id, r.title, dict(r.spec), _utc(r.opened_at), _utc(r.closes_at),  # type: ignore[arg-type]
                    _utc(r.revealed_at))


def _answer(r: QuizAnswer) -> QuizAnswerRow:
    return QuizAnswerRow(r.learner_id, r.lesson_id, r.question, r.attempt, r.choice, r.correct,
                         _utc(r.answered_at))  # type: ignore[arg-type]


# The statements a room's drill refreshes run every two seconds per participant, built once (building a
# statement costs more Python time than running it).
_LATEST_DRILL = (select(Drill).where(Drill.class_id == bindparam("class_id"))
                 .order_by(Drill.opened_at.desc()).limit(1))
_ANSWER_COLUMNS = (DrillAnswer.drill_id, DrillAnswer.learner_id, DrillAnswer.answer, DrillAnswer.correct,
                   DrillAnswer.answered_at)
_OWN_ANSWER = select(*_ANSWER_COLUMNS).where(DrillAnswer.drill_id == bindparam("drill_id"),
                                             DrillAnswer.learner_id == bindparam("learner_id"))
_ALL_ANSWERS = (select(*_ANSWER_COLUMNS).where(DrillAnswer.drill_id == bindparam("drill_id"))
                .order_by(DrillAnswer.answered_at))


class DuplicateError(StoreError):
    """A row that must be unique already exists (a join code, a second answer to a drill)."""


class Store:
    """The database as the rest of the app sees it. Holds only the engine (a connection pool)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._shared: Session | None = None  # the transaction of `reading()`, while one is open

    @contextmanager
    def reading(self) -> Iterator[Store]:
        """Several reads in one transaction on one connection (a page run reads the learner, their progress
        and the class at once instead of taking a pooled connection for each). Reads only: a write inside
        keeps its own transaction semantics only outside this block."""
        if self._shared is not None:
            yield self
            return
        with self._session() as s:
            self._shared = s
            try:
                yield self
            finally:
                self._shared = None

    @property
    def location(self) -> str:
        return describe_url(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def _session(self) -> Iterator[Session]:
        if self._shared is not None:  # inside `reading()`: its transaction; errors are converted there
            yield self._shared
            return
        try:
            with Session(self.engine, expire_on_commit=False) as s, s.begin():
                yield s
        except IntegrityError as exc:
            raise DuplicateError(t("Already recorded: {reason}", reason=_reason(exc))) from exc
        except DBAPIError as exc:
            raise unreachable(self.location, exc) from exc

    # --- learners ------------------------------------------------------------------------------------
    def create_learner(self, name: str, *, token_hash: str | None = None, oidc_subject: str | None = None,
                       now: datetime, lang: str | None = None) -> LearnerRow:
        with self._session() as s:
            row = Learner(id=_new_id(), name=name, token_hash=token_hash, oidc_subject=oidc_subject,
                          created_at=now, lang=lang)
            s.add(row)
        return _learner(row)

    def learner(self, learner_id: str) -> LearnerRow | None:
        with self._session() as s:
            row = s.get(Learner, learner_id)
            return _learner(row) if row else None

    def learner_by_token_hash(self, token_hash: str) -> LearnerRow | None:
        with self._session() as s:
            row = s.scalar(select(Learner).where(Learner.token_hash == token_hash))
            return _learner(row) if row else None

    def learner_by_subject(self, subject: str) -> LearnerRow | None:
        with self._session() as s:
            row = s.scalar(select(Learner).where(Learner.oidc_subject == subject))
            return _learner(row) if row else None

    def rename_learner(self, learner_id: str, name: str) -> None:
        with self._session() as s:
            s.execute(update(Learner).where(Learner.id == learner_id).values(name=name))

    def set_learner_lang(self, learner_id: str, lang: str) -> None:
        """Keep the page language a learner chose (a short language code, checked by the caller)."""
        with self._session() as s:
            s.execute(update(Learner).where(Learner.id == learner_id).values(lang=lang[:LANG_LEN]))

    def set_token_hash(self, learner_id: str, token_hash: str) -> None:
        with self._session() as s:
            s.execute(update(Learner).where(Learner.id == learner_id).values(token_hash=token_hash))

    def record_lesson_read(self, learner_id: str, lesson_id: str, now: datetime) -> None:
        with self._session() as s:
            if s.get(LessonRead, (learner_id, lesson_id)) is None:
                s.add(LessonRead(learner_id=learner_id, lesson_id=lesson_id, first_read_at=now))

    def lesson_reads(self, learner_ids: Iterable[str]) -> dict[str, set[str]]:
        ids = list(learner_ids)
        out: dict[str, set[str]] = {i: set() for i in ids}
        if not ids:
            return out
        with self._session() as s:
            for lid, lesson in s.execute(select(LessonRead.learner_id, LessonRead.lesson_id)
                                         .where(LessonRead.learner_id.in_(ids))):
                out[lid].add(lesson)
        return out

    def add_quiz_answer(self, learner_id: str, lesson_id: str, question: int, choice: int, correct: bool,
                        now: datetime) -> tuple[QuizAnswerRow, ...]:
        """Record one answer as the next attempt at that question (attempt 1 is the one that counts) and return
        every attempt at it, this one last: the question's earlier attempts are read once, in the same
        transaction, to number this one."""
        for _ in range(5):  # two tabs answering at the same instant: the unique key decides, retry
            try:
                with self._session() as s:
                    earlier = [_answer(r) for r in s.scalars(select(QuizAnswer).where(
                        QuizAnswer.learner_id == learner_id, QuizAnswer.lesson_id == lesson_id,
                        QuizAnswer.question == question).order_by(QuizAnswer.attempt))]
                    row = QuizAnswer(learner_id=learner_id, lesson_id=lesson_id, question=question,
                                     attempt=(earlier[-1].attempt if earlier else 0) + 1, choice=choice,
                                     correct=correct, answered_at=now)
                    s.add(row)
                return (*earlier, _answer(row))
            except DuplicateError:
                continue
        raise StoreError(t("Could not record the answer; please answer again."))

    def quiz_answers(self, learner_ids: Iterable[str], lesson_id: str | None = None) -> list[QuizAnswerRow]:
        ids = list(learner_ids)
        if not ids:
            return []
        with self._session() as s:
            q = select(QuizAnswer).where(QuizAnswer.learner_id.in_(ids))
            if lesson_id is not None:
                q = q.where(QuizAnswer.lesson_id == lesson_id)
            q = q.order_by(QuizAnswer.lesson_id, QuizAnswer.question, QuizAnswer.attempt)
            return [_answer(r) for r in s.scalars(q)]

    def mark_exercise(self, learner_id: str, exercise_id: str, now: datetime) -> None:
        with self._session() as s:
            if s.get(ExerciseDone, (learner_id, exercise_id)) is None:
                s.add(ExerciseDone(learner_id=learner_id, exercise_id=exercise_id, done_at=now))

    def exercises(self, learner_ids: Iterable[str]) -> dict[str, set[str]]:
        ids = list(learner_ids)
        out: dict[str, set[str]] = {i: set() for i in ids}
        if not ids:
            return out
        with self._session() as s:
            for lid, ex in s.execute(select(ExerciseDone.learner_id, ExerciseDone.exercise_id)
                                     .where(ExerciseDone.learner_id.in_(ids))):
                out[lid].add(ex)
        return out

    # --- classes -------------------------------------------------------------------------------------
    def create_class(self, code: str, title: str, key_hash: str, now: datetime) -> ClassRow:
        with self._session() as s:
            row = Class(id=_new_id(), code=code, title=title, key_hash=key_hash, created_at=now)
            s.add(row)
        return _class(row)

    def class_by_code(self, code: str) -> ClassRow | None:
        with self._session() as s:
            row = s.scalar(select(Class).where(Class.code == code))
            return _class(row) if row else None

    def join(self, class_id: str, learner_id: str, now: datetime) -> None:
        with self._session() as s:
            if s.get(Membership, (class_id, learner_id)) is None:
                s.add(Membership(class_id=class_id, learner_id=learner_id, joined_at=now))

    def is_member(self, class_id: str, learner_id: str) -> bool:
        with self._session() as s:
            return s.get(Membership, (class_id, learner_id)) is not None

    def classes_of(self, learner_id: str) -> list[ClassRow]:
        """The classes a learner joined, the latest first."""
        with self._session() as s:
            rows = s.scalars(select(Class).join(Membership, Membership.class_id == Class.id)
                             .where(Membership.learner_id == learner_id).order_by(Membership.joined_at.desc()))
            return [_class(r) for r in rows]

    def latest_drill(self, class_id: str) -> DrillRow | None:
        with self._session() as s:
            row = s.scalar(select(Drill).where(Drill.class_id == class_id)
                           .order_by(Drill.opened_at.desc()).limit(1))
            return _drill(row) if row else None

    def latest_drill_state(self, class_id: str) -> tuple[DrillRow, list[DrillAnswerRow], int] | None:
        """The class's latest drill, its answers and the number of participants, read in one transaction
        (what every participant's drill area reads every two seconds; one connection instead of three)."""
        with self._session() as s:
            row = s.scalar(select(Drill).where(Drill.class_id == class_id)
                           .order_by(Drill.opened_at.desc()).limit(1))
            if row is None:
                return None
            answers = s.scalars(select(DrillAnswer).where(DrillAnswer.drill_id == row.id)
                                .order_by(DrillAnswer.answered_at))
            found = [DrillAnswerRow(a.drill_id, a.learner_id, a.answer, a.correct, _utc(a.answered_at))  # type: ignore[arg-type]
                     for a in answers]
            n = s.scalar(select(func.count()).select_from(Membership).where(Membership.class_id == class_id))
            return _drill(row), found, int(n or 0)

    def participant_drill_state(self, class_id: str, learner_id: str
                                ) -> tuple[DrillRow, list[DrillAnswerRow]] | None:
        """What one participant's drill area reads every two seconds, in one transaction: the class's latest
        drill and the participant's own answer; everyone's answers only once the drill is revealed."""
        with self._session() as s:
            row = s.scalar(_LATEST_DRILL, {"class_id": class_id})
            if row is None:
                return None
            if row.revealed_at is None:
                rows = s.execute(_OWN_ANSWER, {"drill_id": row.id, "learner_id": learner_id})
            else:
                rows = s.execute(_ALL_ANSWERS, {"drill_id": row.id})
            found = [DrillAnswerRow(d, lid, a, bool(c), _utc(at))  # type: ignore[arg-type]
                     for d, lid, a, c, at in rows]
            return _drill(row), found

    def members(self, class_id: str) -> list[LearnerRow]:
        with self._session() as s:
            rows = s.scalars(select(Learner).join(Membership, Membership.learner_id == Learner.id)
                             .where(Membership.class_id == class_id)
                             .order_by(Membership.joined_at, Learner.name))
            return [_learner(r) for r in rows]

    def delete_class(self, class_id: str) -> int:
        """Delete the class, its drills and answers, and every participant who is in no other class
        (with all their progress). Returns the number of learners deleted."""
        with self._session() as s:
            member_ids = list(s.scalars(select(Membership.learner_id).where(Membership.class_id == class_id)))
            drill_ids = list(s.scalars(select(Drill.id).where(Drill.class_id == class_id)))
            if drill_ids:
                s.execute(delete(DrillAnswer).where(DrillAnswer.drill_id.in_(drill_ids)))
                s.execute(delete(Drill).where(Drill.id.in_(drill_ids)))
            s.execute(delete(Membership).where(Membership.class_id == class_id))
            elsewhere = set(s.scalars(select(Membership.learner_id).where(Membership.learner_id.in_(member_ids))))
            gone = [m for m in member_ids if m not in elsewhere]
            if gone:
                s.execute(delete(DrillAnswer).where(DrillAnswer.learner_id.in_(gone)))
                s.execute(delete(QuizAnswer).where(QuizAnswer.learner_id.in_(gone)))
                s.execute(delete(LessonRead).where(LessonRead.learner_id.in_(gone)))
                s.execute(delete(ExerciseDone).where(ExerciseDone.learner_id.in_(gone)))
                s.execute(delete(Learner).where(Learner.id.in_(gone)))
            s.execute(delete(Class).where(Class.id == class_id))
            return len(gone)

    # --- drills --------------------------------------------------------------------------------------
    def create_drill(self, class_id: str, title: str, spec: dict[str, Any], opened_at: datetime,
                     closes_at: datetime) -> DrillRow:
        with self._session() as s:
            row = Drill(id=_new_id(), class_id=class_id, title=title, spec=spec, opened_at=opened_at,
                        closes_at=closes_at, revealed_at=None)
            s.add(row)
        return _drill(row)

    def drills(self, class_id: str) -> list[DrillRow]:
        with self._session() as s:
            rows = s.scalars(select(Drill).where(Drill.class_id == class_id).order_by(Drill.opened_at))
            return [_drill(r) for r in rows]

    def drill(self, drill_id: str) -> DrillRow | None:
        with self._session() as s:
            row = s.get(Drill, drill_id)
            return _drill(row) if row else None

    def close_drill(self, drill_id: str, now: datetime) -> None:
        with self._session() as s:
            s.execute(update(Drill).where(Drill.id == drill_id, Drill.closes_at > now).values(closes_at=now))

    def reveal_drill(self, drill_id: str, now: datetime) -> None:
        with self._session() as s:
            s.execute(update(Drill).where(Drill.id == drill_id, Drill.revealed_at.is_(None))
                      .values(revealed_at=now))
            s.execute(update(Drill).where(Drill.id == drill_id, Drill.closes_at > now).values(closes_at=now))

    def add_drill_answer(self, drill_id: str, learner_id: str, answer: str, correct: bool, now: datetime) -> None:
        """Record a participant's answer; DuplicateError when they already answered this drill."""
        with self._session() as s:
            s.add(DrillAnswer(drill_id=drill_id, learner_id=learner_id, answer=answer, correct=correct,
                              answered_at=now))

    def drill_answers(self, drill_ids: Iterable[str]) -> list[DrillAnswerRow]:
        ids = list(drill_ids)
        if not ids:
            return []
        with self._session() as s:
            rows = s.scalars(select(DrillAnswer).where(DrillAnswer.drill_id.in_(ids))
                             .order_by(DrillAnswer.answered_at))
            return [DrillAnswerRow(r.drill_id, r.learner_id, r.answer, r.correct, _utc(r.answered_at))  # type: ignore[arg-type]
                    for r in rows]

    # --- saved drills --------------------------------------------------------------------------------
    def save_drill(self, title: str, spec: dict[str, Any], now: datetime) -> SavedDrillRow:
        with self._session() as s:
            row = SavedDrill(id=_new_id(), title=title, spec=spec, created_at=now)
            s.add(row)
        return SavedDrillRow(row.id, row.title, dict(row.spec), _utc(row.created_at))  # type: ignore[arg-type]

    def saved_drills(self) -> list[SavedDrillRow]:
        with self._session() as s:
            rows = s.scalars(select(SavedDrill).order_by(SavedDrill.created_at))
            return [SavedDrillRow(r.id, r.title, dict(r.spec), _utc(r.created_at)) for r in rows]  # type: ignore[arg-type]

    def delete_saved_drill(self, saved_id: str) -> None:
        with self._session() as s:
            s.execute(delete(SavedDrill).where(SavedDrill.id == saved_id))
