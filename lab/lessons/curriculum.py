"""The curriculum map: the source article's numbered topics and which lessons cover each.

`lab/data/outline.yaml` holds the article's sections and topics (1.1 to 8.2). Lessons name the topics they
teach in their front matter (`covers`); `coverage` joins the two. Pure: it takes any objects with `id`,
`number`, `title` and `covers`, so the Lessons page and the content tests share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lab import DATA_DIR
from lab.errors import DataError
from lab.schema import load_yaml_model

OUTLINE_FILE = DATA_DIR / "outline.yaml"


class _TopicSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    number: str
    text: str = Field(min_length=1)

    @field_validator("number")
    @classmethod
    def _number(cls, v: str) -> str:
        if not re.fullmatch(r"\d+\.\d+", v):
            raise ValueError(f"not a topic number like '5.1': {v!r}")
        return v


class _SectionSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    number: str
    title: str = Field(min_length=1)
    topics: list[_TopicSchema] = Field(min_length=1)


class _OutlineSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    source: str = Field(min_length=1)
    sections: list[_SectionSchema] = Field(min_length=1)


@dataclass(frozen=True)
class Topic:
    number: str
    text: str


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class Outline:
    source: str
    sections: tuple[Section, ...]

    @property
    def topic_numbers(self) -> tuple[str, ...]:
        return tuple(t.number for s in self.sections for t in s.topics)


class LessonLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def covers(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class LessonRef:
    id: str
    number: int
    title: str


@dataclass(frozen=True)
class TopicCoverage:
    topic: Topic
    lessons: tuple[LessonRef, ...]

    @property
    def covered(self) -> bool:
        return bool(self.lessons)


@dataclass(frozen=True)
class SectionCoverage:
    section: Section
    topics: tuple[TopicCoverage, ...]

    @property
    def lessons(self) -> tuple[LessonRef, ...]:
        """Every lesson that covers a topic of this section, in lesson order, once."""
        seen: dict[str, LessonRef] = {}
        for tc in self.topics:
            for ref in tc.lessons:
                seen.setdefault(ref.id, ref)
        return tuple(sorted(seen.values(), key=lambda r: (r.number, r.id)))


def load_outline(path: Path = OUTLINE_FILE) -> Outline:
    """Load and validate the outline; raise DataError naming every problem."""
    parsed = load_yaml_model(_OutlineSchema, path)
    problems: list[str] = []
    seen: set[str] = set()
    for s in parsed.sections:
        for t in s.topics:
            if t.number.split(".")[0] != s.number:
                problems.append(f"topic {t.number} is listed under section {s.number}")
            if t.number in seen:
                problems.append(f"topic {t.number} appears twice")
            seen.add(t.number)
    if problems:
        raise DataError(path, problems)
    return Outline(
        source=parsed.source,
        sections=tuple(
            Section(s.number, s.title, tuple(Topic(t.number, t.text) for t in s.topics)) for s in parsed.sections
        ),
    )


@lru_cache(maxsize=1)
def outline() -> Outline:
    """The shipped outline, loaded once per process."""
    return load_outline()


def coverage(out: Outline, lessons: Iterable[LessonLike]) -> tuple[SectionCoverage, ...]:
    """For every section and topic of the outline, the lessons whose `covers` name it (in lesson order)."""
    ordered = sorted(lessons, key=lambda lesson: (lesson.number, lesson.id))
    return tuple(
        SectionCoverage(
            section=s,
            topics=tuple(
                TopicCoverage(
                    topic=t,
                    lessons=tuple(LessonRef(x.id, x.number, x.title) for x in ordered if t.number in x.covers),
                )
                for t in s.topics
            ),
        )
        for s in out.sections
    )


def uncovered(out: Outline, lessons: Iterable[LessonLike]) -> list[str]:
    """Outline topic numbers that no lesson covers."""
    return [tc.topic.number for sc in coverage(out, lessons) for tc in sc.topics if not tc.covered]


def unknown_covers(out: Outline, lessons: Iterable[LessonLike]) -> list[str]:
    """'<lesson id>: <number>' for every `covers` entry that is not a topic of the outline."""
    known = set(out.topic_numbers)
    return [f"{x.id}: {n}" for x in lessons for n in x.covers if n not in known]
