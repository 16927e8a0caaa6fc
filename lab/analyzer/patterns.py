"""Log patterns: loaded once from `lab/data/patterns/*.yaml`, validated, compiled once.

Each pattern names its formats, a cheap `keyword` that every matching line contains (the scanner
looks for keywords with `str.find` before it runs any regex), the regex, and either a `category`
(a finding) or a `signal` (a fact the diagnosis uses for order and causality, such as "an IKE_SA was
established"). Every pattern carries `match` / `no_match` sample lines and a public `source`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lab import DATA_DIR
from lab.analyzer.model import CATEGORIES, PHASES
from lab.errors import DataError
from lab.schema import load_yaml_model

PATTERNS_DIR = DATA_DIR / "patterns"
FORMATS = ("aws-json", "aws-text", "strongswan", "libreswan", "cisco-asa", "cisco-ios", "fortigate", "paloalto")
SIGNALS = ("established",)


class _Samples(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


class _PatternSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    formats: list[Literal[FORMATS]] = Field(min_length=1)  # type: ignore[valid-type]
    keyword: str = Field(min_length=3)
    regex: str = Field(min_length=3)
    category: Literal[CATEGORIES] | None = None  # type: ignore[valid-type]
    signal: Literal[SIGNALS] | None = None  # type: ignore[valid-type]
    phase: Literal[PHASES]  # type: ignore[valid-type]
    decisive: bool = True
    explanation: str = Field(min_length=10)
    tree_node: str = ""
    source: str = Field(pattern=r"^https?://")
    samples: _Samples

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        # re.error inside a validator is not turned into a ValidationError, so re-raise as ValueError.
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"regex does not compile: {exc}") from None
        return value


class _FileSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    patterns: list[_PatternSchema] = Field(min_length=1)


@dataclass(frozen=True)
class Pattern:
    id: str
    formats: tuple[str, ...]
    keyword: str
    regex: re.Pattern[str]
    category: str | None
    signal: str | None
    phase: str
    decisive: bool
    explanation: str
    tree_node: str
    source: str
    match_samples: tuple[str, ...]
    no_match_samples: tuple[str, ...]
    file: str


def _check(p: _PatternSchema) -> list[str]:
    problems: list[str] = []
    if (p.category is None) == (p.signal is None):
        problems.append(f"pattern {p.id}: set exactly one of category or signal")
    if p.category and not p.tree_node:
        problems.append(f"pattern {p.id}: a finding pattern needs a tree_node")
    rx = re.compile(p.regex)
    for line in p.samples.match:
        if p.keyword not in line:
            problems.append(f"pattern {p.id}: keyword {p.keyword!r} is not in match sample {line[:60]!r}")
        if not rx.search(line):
            problems.append(f"pattern {p.id}: match sample does not match: {line[:80]!r}")
    for line in p.samples.no_match:
        if rx.search(line):
            problems.append(f"pattern {p.id}: no_match sample matches: {line[:80]!r}")
    return problems


def load_file(path: Path) -> list[Pattern]:
    """Validate one pattern file; raises DataError naming the file and every problem."""
    data = load_yaml_model(_FileSchema, path)
    problems: list[str] = []
    for p in data.patterns:
        problems.extend(_check(p))
    if problems:
        raise DataError(path, problems)
    return [
        Pattern(
            id=p.id,
            formats=tuple(p.formats),
            keyword=p.keyword,
            regex=re.compile(p.regex),
            category=p.category,
            signal=p.signal,
            phase=p.phase,
            decisive=p.decisive,
            explanation=p.explanation.strip(),
            tree_node=p.tree_node,
            source=p.source,
            match_samples=tuple(p.samples.match),
            no_match_samples=tuple(p.samples.no_match),
            file=path.name,
        )
        for p in data.patterns
    ]


@lru_cache(maxsize=4)
def load_patterns(directory: Path = PATTERNS_DIR) -> tuple[Pattern, ...]:
    """All patterns, in file-name order then file order (earlier wins when a line matches several)."""
    patterns: list[Pattern] = []
    seen: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        for p in load_file(path):
            if p.id in seen:
                problems.append(f"pattern id {p.id} is defined in {seen[p.id]} and {path.name}")
            seen[p.id] = path.name
            patterns.append(p)
    if problems:
        raise DataError(directory, problems)
    return tuple(patterns)


def patterns_for(formats: tuple[str, ...] | None) -> tuple[Pattern, ...]:
    """The patterns that apply to these formats (all patterns when `formats` is None)."""
    every = load_patterns()
    if formats is None:
        return every
    wanted = set(formats)
    return tuple(p for p in every if wanted.intersection(p.formats))
