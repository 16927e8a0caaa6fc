"""A live drill in a class: start, answer within the time limit, close, reveal. Pure, on the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from lab.classes.drills import distribution, judge, phase
from lab.errors import InputError
from lab.i18n import t
from lab.store import ClassRow, DrillAnswerRow, DrillRow, Store
from lab.store.repo import DuplicateError


def start_drill(store: Store, cls: ClassRow, prepared: dict[str, Any], now: datetime,
                time_limit_s: int | None = None) -> DrillRow:
    """Open a drill for the room; a drill still open is closed first (one live drill at a time)."""
    current = store.latest_drill(cls.id)
    if current is not None and phase(current, now) == "open":
        store.close_drill(current.id, now)
    limit = int(time_limit_s or prepared.get("time_limit_s") or 60)
    return store.create_drill(cls.id, str(prepared["title"])[:120], prepared, now, now + timedelta(seconds=limit))


def submit_answer(store: Store, drill: DrillRow, learner_id: str, raw: str, now: datetime) -> tuple[str, bool]:
    """A participant's answer: refused after the time limit or a second time; returns (answer, right)."""
    if phase(drill, now) != "open":
        raise InputError(t("Time is up for this drill: answers are closed."))
    answer, correct = judge(drill.spec, raw)
    try:
        store.add_drill_answer(drill.id, learner_id, answer, correct, now)
    except DuplicateError:
        raise InputError(t("You already answered this drill; the first answer counts.")) from None
    return answer, correct


@dataclass(frozen=True)
class DrillStatus:
    drill: DrillRow
    phase: Literal["open", "closed", "revealed"]
    answers: list[DrillAnswerRow]
    participants: int

    def mine(self, learner_id: str) -> DrillAnswerRow | None:
        return next((a for a in self.answers if a.learner_id == learner_id), None)

    def distribution(self) -> list[tuple[str, int, bool]]:
        return distribution(self.drill.spec, self.answers)


def drill_status(store: Store, cls: ClassRow, now: datetime) -> DrillStatus | None:
    state = store.latest_drill_state(cls.id)
    if state is None:
        return None
    drill, answers, participants = state
    return DrillStatus(drill, phase(drill, now), answers, participants)


def participant_drill_status(store: Store, cls: ClassRow, learner_id: str, now: datetime) -> DrillStatus | None:
    """The latest drill as one participant sees it: their own answer until the reveal, the room's after it
    (`participants` is not read: it is the facilitator's figure)."""
    state = store.participant_drill_state(cls.id, learner_id)
    if state is None:
        return None
    drill, answers = state
    return DrillStatus(drill, phase(drill, now), answers, 0)
