"""Classes: create with a join code and a facilitator key, join, the facilitator's report, CSV, delete."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lab.classes.identity import (
    clean_name,
    clean_title,
    hash_secret,
    new_join_code,
    new_secret,
    normalize_code,
    secret_matches,
)
from lab.classes.progress import LearnerProgress, progress_of
from lab.errors import InputError, NotFoundError
from lab.i18n import t
from lab.store import ClassRow, DrillRow, LearnerRow, Store
from lab.store.repo import DuplicateError


def create_class(store: Store, title: str, now: datetime) -> tuple[ClassRow, str]:
    """A new class; returns it and the facilitator key (shown once; only its hash is stored)."""
    title = clean_title(title)
    key = new_secret()
    for _ in range(20):
        try:
            return store.create_class(new_join_code(), title, hash_secret(key), now), key
        except DuplicateError:
            continue  # a code already taken: draw another
    raise InputError(t("Could not find a free join code; try again."))


def find_class(store: Store, code: str) -> ClassRow:
    norm = normalize_code(code)
    row = store.class_by_code(norm) if norm else None
    if row is None:
        shown = code.strip()[:20] or t("(empty)")
        raise NotFoundError("class code", shown, message=t("Unknown class code '{code}'. Check the code your "
                                                             "facilitator gave the room.", code=shown))
    return row


def verify_facilitator(store: Store, code: str, key: str) -> ClassRow:
    """The class, if `key` is its facilitator key; InputError otherwise (same message for both cases)."""
    try:
        row = find_class(store, code)
    except NotFoundError:
        row = None
    if row is None or not key or not secret_matches(key, row.key_hash):
        raise InputError(t("That class code and facilitator key do not match a class."))
    return row


def join_class(store: Store, code: str, now: datetime, *, name: str | None = None,
               learner: LearnerRow | None = None, lang: str | None = None) -> tuple[ClassRow, LearnerRow, str | None]:
    """Join with a display name (a new learner, returns its resume token; `lang` is the page language it
    keeps) or as an existing learner."""
    row = find_class(store, code)
    token = None
    if learner is None:
        from lab.classes.progress import new_learner

        learner, token = new_learner(store, clean_name(name or ""), now, lang=lang)
    store.join(row.id, learner.id, now)
    return row, learner, token


def delete_class(store: Store, code: str) -> int:
    row = find_class(store, code)
    return store.delete_class(row.id)


@dataclass
class ParticipantReport:
    learner: LearnerRow
    progress: LearnerProgress
    drills: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ClassReport:
    cls: ClassRow
    lessons: list[str]  # lesson ids in course order
    participants: list[ParticipantReport]
    drills: list[DrillRow]
    drill_answers: dict[str, dict[str, Any]]  # drill id -> learner id -> DrillAnswerRow

    def question_success(self) -> list[tuple[str, int, int, int]]:
        """(lesson id, question index, answered, first-try correct) for every question anyone answered."""
        counts: dict[tuple[str, int], list[int]] = {}
        for p in self.participants:
            for key, state in p.progress.per_question.items():
                c = counts.setdefault(key, [0, 0])
                c[0] += 1
                c[1] += state.first_try_correct
        order = {lesson: i for i, lesson in enumerate(self.lessons)}
        return [(k[0], k[1], v[0], v[1]) for k, v in
                sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 999), kv[0][1]))]

    def to_json(self) -> dict[str, Any]:
        from lab.classes.drills import answer_label

        return {
            "code": self.cls.code,
            "title": self.cls.title,
            "created_at": self.cls.created_at.isoformat(),
            "participants": [
                {
                    "name": p.learner.name,
                    "lessons_done": p.progress.lessons_done,
                    "lessons_read": sorted(p.progress.lessons_read, key=lambda x: (x not in self.lessons,
                                           self.lessons.index(x) if x in self.lessons else 0, x)),
                    "quiz": {"answered": p.progress.answered, "first_try_correct": p.progress.first_try_correct,
                             "eventually_correct": p.progress.eventually_correct},
                    "drills": p.drills,
                }
                for p in self.participants
            ],
            "drills": [
                {
                    "id": d.id,
                    "title": d.title,
                    "question": d.spec.get("prompt", ""),
                    "right_answer": answer_label(d.spec, d.spec.get("answer")),
                    "opened_at": d.opened_at.isoformat(),
                    "revealed": d.revealed_at is not None,
                    "answers": len(self.drill_answers.get(d.id, {})),
                    "correct": sum(1 for a in self.drill_answers.get(d.id, {}).values() if a.correct),
                }
                for d in self.drills
            ],
        }


def class_report(store: Store, code: str, quiz_sizes: Mapping[str, int]) -> ClassReport:
    """Everything the facilitator sees about a class, read fresh from the store."""
    from lab.classes.drills import answer_label

    row = find_class(store, code)
    members = store.members(row.id)
    progress = progress_of([m.id for m in members], store, quiz_sizes)
    drills = store.drills(row.id)
    by_drill: dict[str, dict[str, Any]] = {}
    for a in store.drill_answers([d.id for d in drills]):
        by_drill.setdefault(a.drill_id, {})[a.learner_id] = a
    participants = []
    for m in members:
        mine = []
        for d in drills:
            a = by_drill.get(d.id, {}).get(m.id)
            if a is not None:
                mine.append({"drill": d.title, "answer": answer_label(d.spec, a.answer), "correct": a.correct})
        participants.append(ParticipantReport(m, progress[m.id], mine))
    return ClassReport(row, list(quiz_sizes), participants, drills, by_drill)


def export_csv(report: ClassReport) -> str:
    """One row per participant: lessons done, quiz scores, then one column per drill (answer, right?)."""
    from lab.classes.drills import answer_label

    buf = io.StringIO()
    w = csv.writer(buf)
    header = ["name", "lessons_read", "lessons_done", "quiz_answered", "quiz_first_try_correct",
              "quiz_eventually_correct", "exercises_done"]
    for d in report.drills:
        header += [f"drill: {d.title} (answer)", f"drill: {d.title} (correct)"]
    w.writerow(header)
    for p in report.participants:
        pr = p.progress
        line = [_csv_safe(p.learner.name), len(pr.lessons_read), " ".join(pr.lessons_done), pr.answered,
                pr.first_try_correct, pr.eventually_correct, len(pr.exercises)]
        for d in report.drills:
            a = report.drill_answers.get(d.id, {}).get(p.learner.id)
            line += ["", ""] if a is None else [_csv_safe(answer_label(d.spec, a.answer)),
                                                 "yes" if a.correct else "no"]
        w.writerow(line)
    return buf.getvalue()


def _csv_safe(value: str) -> str:
    """A name opened in a spreadsheet must not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
