"""What a lesson is once loaded: the dataclasses the Lessons page renders."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from lab.errors import DataError
from lab.exercises.model import Exercise
from lab.facts import Fact


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str

    def is_correct(self, choice: int | None) -> bool:
        return choice == self.answer


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Related:
    scenario: str | None = None
    tree_nodes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One piece of a lesson body: a section heading, rendered Markdown, a callout, or a figure."""

    kind: Literal["heading", "markdown", "callout", "figure"]
    html: str = ""  # markdown and callout bodies, rendered with raw HTML disabled
    markdown: str = ""  # the callout body's Markdown source (shown inside an alert box)
    callout: str = ""  # tip | note | warning | important
    title: str = ""  # callout title
    figure: str = ""  # figure name in lab.figures.FIGURES
    level: int = 0  # heading level (2 or 3)
    anchor: str = ""  # heading anchor, the same one the table of contents links to


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Lesson:
    id: str
    lang: str
    number: int
    path: Path
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    keypoints: tuple[str, ...]
    covers: tuple[str, ...]
    related: Related
    references: tuple[Reference, ...]
    quiz: tuple[QuizQuestion, ...]
    blocks: tuple[Block, ...]
    toc: tuple[Heading, ...]
    facts_used: tuple[Fact, ...] = ()
    exercises: tuple[Exercise, ...] = ()

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(b.figure for b in self.blocks if b.kind == "figure")

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "minutes": self.minutes,
            "lang": self.lang,
            "number": self.number,
            "objectives": list(self.objectives),
            "keypoints": list(self.keypoints),
            "covers": list(self.covers),
            "quiz_questions": len(self.quiz),
            "exercises": len(self.exercises),
            "figures": list(self.figures),
            "references": [r.url for r in self.references],
            "path": str(self.path),
        }


@dataclass
class Catalog:
    """The lessons of one language, in order, plus the files that failed validation."""

    lang: str
    lessons: list[Lesson] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        ids = [lesson.id for lesson in self.lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        return (self.lessons[i - 1] if i > 0 else None, self.lessons[i + 1] if i + 1 < len(ids) else None)
