"""Plain records the store returns: no SQLAlchemy objects leave `lab/store/`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class LearnerRow:
    id: str
    name: str
    created_at: datetime
    oidc_subject: str | None = None
    lang: str | None = None  # the page language the learner chose, if any


@dataclass(frozen=True)
class QuizAnswerRow:
    learner_id: str
    lesson_id: str
    question: int
    attempt: int  # 1 = the first answer, the one that counts
    choice: int
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class ClassRow:
    id: str
    code: str
    title: str
    key_hash: str
    created_at: datetime


@dataclass(frozen=True)
class DrillRow:
    id: str
    class_id: str
    title: str
    spec: dict[str, Any]  # the drill as data (lab.classes.drills.DrillSpec + its computed answer)
    opened_at: datetime
    closes_at: datetime
    revealed_at: datetime | None


@dataclass(frozen=True)
class DrillAnswerRow:
    drill_id: str
    learner_id: str
    answer: str
    correct: bool
    answered_at: datetime


@dataclass(frozen=True)
class SavedDrillRow:
    id: str
    title: str
    spec: dict[str, Any]
    created_at: datetime
