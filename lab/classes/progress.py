"""A learner's lasting progress: identity by resume token or SSO subject, lessons read, quiz answers.

The first answer to a question is the one that counts (first-try score); a learner may answer
again after the explanation, each retry kept as the next attempt (eventual score). A lesson is
done once every question of its quiz has been answered correctly, at the first try or later.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from lab.classes.identity import clean_name, hash_secret, new_secret
from lab.store import LearnerRow, QuizAnswerRow, Store

GUEST_NAME = "Guest"


def new_learner(store: Store, name: str, now: datetime, *, lang: str | None = None) -> tuple[LearnerRow, str]:
    """Create a learner (with the page language they use, if given); returns the row and the resume token
    (only its hash is stored)."""
    token = new_secret()
    row = store.create_learner(clean_name(name), token_hash=hash_secret(token), now=now, lang=lang)
    return row, token


def resume_learner(store: Store, token: str) -> LearnerRow | None:
    token = (token or "").strip()
    if not token or len(token) > 200:
        return None
    return store.learner_by_token_hash(hash_secret(token))


def sso_learner(store: Store, subject: str, name: str, now: datetime) -> LearnerRow:
    """The learner of a single-sign-on identity (issuer + subject), created on first login."""
    found = store.learner_by_subject(subject)
    if found is not None:
        return found
    try:
        display = clean_name(name)
    except Exception:
        display = GUEST_NAME
    return store.create_learner(display, oidc_subject=subject, now=now)


@dataclass(frozen=True)
class QuestionState:
    """One question as the learner left it."""

    attempts: tuple[QuizAnswerRow, ...]

    @property
    def first(self) -> QuizAnswerRow:
        return self.attempts[0]

    @property
    def first_try_correct(self) -> bool:
        return self.first.correct

    @property
    def eventually_correct(self) -> bool:
        return any(a.correct for a in self.attempts)

    @property
    def last(self) -> QuizAnswerRow:
        return self.attempts[-1]


def _group(rows: Iterable[QuizAnswerRow]) -> dict[tuple[str, str, int], list[QuizAnswerRow]]:
    out: dict[tuple[str, str, int], list[QuizAnswerRow]] = {}
    for r in rows:
        out.setdefault((r.learner_id, r.lesson_id, r.question), []).append(r)
    for v in out.values():
        v.sort(key=lambda a: a.attempt)
    return out


def quiz_state(store: Store, learner_id: str, lesson_id: str) -> dict[int, QuestionState]:
    rows = store.quiz_answers([learner_id], lesson_id)
    return {q: QuestionState(tuple(v)) for (_l, _s, q), v in _group(rows).items()}


def answer_question(store: Store, learner_id: str, lesson_id: str, question: int, choice: int,
                    correct: bool, now: datetime) -> QuestionState:
    """Record an answer (the first, or a retry) and return the question's state afterwards (the store reads the
    question's attempts once, to number this one, and returns them: nothing is read again)."""
    return QuestionState(store.add_quiz_answer(learner_id, lesson_id, question, choice, correct, now))


@dataclass
class LearnerProgress:
    learner_id: str
    lessons_read: set[str] = field(default_factory=set)
    lessons_done: list[str] = field(default_factory=list)  # in course order
    answered: int = 0  # questions answered at least once
    first_try_correct: int = 0
    eventually_correct: int = 0
    per_question: dict[tuple[str, int], QuestionState] = field(default_factory=dict)
    exercises: set[str] = field(default_factory=set)


def progress_of(learner_ids: list[str], store: Store, quiz_sizes: Mapping[str, int]) -> dict[str, LearnerProgress]:
    """Progress of several learners at once (three queries, whatever the room size)."""
    reads = store.lesson_reads(learner_ids)
    exercises = store.exercises(learner_ids)
    out = {i: LearnerProgress(i, reads.get(i, set()), exercises=exercises.get(i, set())) for i in learner_ids}
    for (learner, lesson, q), attempts in _group(store.quiz_answers(learner_ids)).items():
        state = QuestionState(tuple(attempts))
        p = out[learner]
        p.per_question[(lesson, q)] = state
        p.answered += 1
        p.first_try_correct += state.first_try_correct
        p.eventually_correct += state.eventually_correct
    for p in out.values():
        for lesson, size in quiz_sizes.items():
            if size and all(p.per_question.get((lesson, q)) and p.per_question[(lesson, q)].eventually_correct
                            for q in range(size)):
                p.lessons_done.append(lesson)
    return out


def learner_progress(store: Store, learner_id: str, quiz_sizes: Mapping[str, int]) -> LearnerProgress:
    return progress_of([learner_id], store, quiz_sizes)[learner_id]
