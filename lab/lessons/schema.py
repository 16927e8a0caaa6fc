"""The lesson front-matter schema: unknown keys are rejected, every problem is reported."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator


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
