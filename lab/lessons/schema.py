"""The lesson front-matter schema: unknown keys are rejected, every problem is reported."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _QuestionSchema(_Strict):
    question: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)
    explanation: str = Field(min_length=1)

    @field_validator("choices")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("choices must be distinct")
        if any(not c.strip() for c in v):
            raise ValueError("choices must not be empty")
        return v


class _ReferenceSchema(_Strict):
    title: str = Field(min_length=1)
    url: str

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if not re.match(r"^https://[^\s/]+\.[^\s]+$", v):
            raise ValueError(f"not an https URL: {v!r}")
        return v


class _RelatedSchema(_Strict):
    scenario: str | None = None
    tree_nodes: list[str] = []
    patterns: list[str] = []


class _ExerciseChoiceSchema(_Strict):
    text: str = Field(min_length=1)
    value: str = Field(min_length=1)  # what the lab's measure shows when this choice is right

    @field_validator("value", mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:
        # YAML reads yes/no/true/12 as booleans and numbers; choices compare as text.
        if isinstance(v, bool):
            return "yes" if v else "no"
        return str(v) if isinstance(v, int | float) else v


class _ClaimSchema(_Strict):
    measure: str = Field(min_length=1)
    equals: str

    @field_validator("equals", mode="before")
    @classmethod
    def _as_text(cls, v: object) -> object:
        if isinstance(v, bool):
            return "yes" if v else "no"
        if v is None:
            return "none"
        return str(v) if isinstance(v, int | float) else v


class _ExerciseSchema(_Strict):
    """A situation, a prediction, the lab target that computes the answer, and the explanation."""

    id: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    title: str = Field(min_length=1)
    situation: str = Field(min_length=1)
    question: str = Field(min_length=1)
    kind: Literal["choice", "number"]
    choices: list[_ExerciseChoiceSchema] = []
    answer: float  # the choice index, or the number the lesson states
    unit: str = ""
    tolerance: float = Field(default=0, ge=0)
    lab: Literal["scenario", "troubleshooter", "analyzer"]
    measure: str = Field(min_length=1)
    scenario: str | None = None
    fail: list[str] = []
    options: dict[str, str | int] = {}
    duration_s: int = Field(default=600, ge=10, le=86400)
    tree: str | None = None
    node: str | None = None
    sample: str | None = None
    explanation: str = Field(min_length=1)
    claims: list[_ClaimSchema] = []

    @model_validator(mode="after")
    def _consistent(self) -> _ExerciseSchema:
        problems: list[str] = []
        if self.kind == "choice":
            if len(self.choices) < 2:
                problems.append("a choice exercise needs at least two choices")
            if len({c.value for c in self.choices}) != len(self.choices):
                problems.append("choice values must be distinct")
            if len({c.text for c in self.choices}) != len(self.choices):
                problems.append("choice texts must be distinct")
            if not self.answer.is_integer() or not 0 <= self.answer < len(self.choices):
                problems.append(f"answer {self.answer:g} is not an index of its {len(self.choices)} choices")
        elif self.choices:
            problems.append("a number exercise has no choices (give unit and tolerance)")
        scenario_fields = self.scenario is not None or bool(self.fail) or bool(self.options)
        if self.lab == "scenario":
            if self.scenario is None:
                problems.append("lab scenario needs 'scenario'")
            if self.tree or self.node or self.sample:
                problems.append("lab scenario takes no tree, node or sample")
        elif self.lab == "troubleshooter":
            if not self.tree or not self.node:
                problems.append("lab troubleshooter needs 'tree' and 'node'")
            if (self.sample is None) == (self.scenario is None):
                problems.append("lab troubleshooter needs its evidence from exactly one of 'scenario' or 'sample'")
            if self.sample is not None and scenario_fields:
                problems.append("evidence from a sample log takes no scenario, fail or options")
        else:
            if self.sample is None:
                problems.append("lab analyzer needs 'sample' (a shipped sample log)")
            if scenario_fields or self.tree or self.node:
                problems.append("lab analyzer takes only a sample log")
        if problems:
            raise ValueError("; ".join(problems))
        return self


class FrontMatterSchema(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120)
    objectives: list[str] = Field(min_length=1)
    keypoints: list[str] = Field(min_length=1)
    covers: list[str] = []
    related: _RelatedSchema = _RelatedSchema()
    references: list[_ReferenceSchema] = Field(min_length=1)
    quiz: list[_QuestionSchema] = Field(min_length=1)
    exercises: list[_ExerciseSchema] = []

    @field_validator("exercises")
    @classmethod
    def _unique_exercise_ids(cls, v: list[_ExerciseSchema]) -> list[_ExerciseSchema]:
        ids = [e.id for e in v]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"exercise ids must be unique in a lesson: {', '.join(dupes)}")
        return v
