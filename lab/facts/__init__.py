"""AWS facts and the audit that checks a connection against them: the single source of the numbers
and defaults the lab states. Every fact lives once in `lab/data/facts.yaml` with its source URL(s);
where official sources disagree, the fact carries the other values too (`disputed`). Lessons
reference facts by key (`{{fact:dpd_timeout_default}}`), the simulator reads its defaults from here,
and `lab.facts.audit` turns the same numbers into findings on a VpnConnection (HA, tunnel options,
maintenance) with a fix and an AWS documentation link each.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.errors import DataError, NotFoundError
from lab.schema import load_yaml_model

FACTS_FILE = DATA_DIR / "facts.yaml"


class _AltSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any
    note: str
    sources: list[str] = Field(min_length=1)


class _FactSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: Any
    text: str = Field(min_length=1)  # how a lesson says it, e.g. "40 seconds"
    summary: str = Field(min_length=1)  # what the fact is
    unit: str = ""
    sources: list[str] = Field(min_length=1)
    disputed: list[_AltSchema] = []
    note: str = ""


class _FileSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    facts: dict[str, _FactSchema]


@dataclass(frozen=True)
class AltValue:
    value: Any
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    key: str
    value: Any
    text: str
    summary: str
    unit: str
    sources: tuple[str, ...]
    disputed: tuple[AltValue, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": self.value,
            "text": self.text,
            "summary": self.summary,
            "unit": self.unit,
            "sources": list(self.sources),
            "disputed": [
                {"value": a.value, "note": a.note, "sources": list(a.sources)} for a in self.disputed
            ],
            "note": self.note,
        }


def load_facts(path: Path = FACTS_FILE) -> dict[str, Fact]:
    """Load and validate the facts file; raise DataError naming every problem."""
    parsed = load_yaml_model(_FileSchema, path)
    problems = [
        f"facts.{key}.sources: not an https URL: {url}"
        for key, f in parsed.facts.items()
        for url in [*f.sources, *(u for a in f.disputed for u in a.sources)]
        if not url.startswith("https://")
    ]
    if problems:
        raise DataError(path, problems)
    return {
        key: Fact(
            key=key,
            value=f.value,
            text=f.text,
            summary=f.summary,
            unit=f.unit,
            sources=tuple(f.sources),
            disputed=tuple(AltValue(a.value, a.note, tuple(a.sources)) for a in f.disputed),
            note=f.note,
        )
        for key, f in parsed.facts.items()
    }


@lru_cache(maxsize=1)
def facts() -> dict[str, Fact]:
    """The shipped facts, loaded once per process."""
    return load_facts()


def fact(key: str) -> Fact:
    """One shipped fact by key; NotFoundError for an unknown key."""
    table = facts()
    if key not in table:
        raise NotFoundError("fact", key, sorted(table))
    return table[key]


def value(key: str) -> Any:
    """The value of one shipped fact (shortcut for defaults in the simulator and the audit)."""
    return fact(key).value
