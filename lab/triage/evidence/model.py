"""The evidence model: one fact of one scope with its provenance (`Evidence`), the rules that say what each key
proves and does not prove (`lab/data/evidence.yaml`), and how a second value for the same key becomes a conflict."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.i18n import t
from lab.schema import load_yaml_model

RULES_FILE = DATA_DIR / "evidence.yaml"


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=3)
    source: str = Field(min_length=5)
    proves: str = Field(min_length=5)
    does_not_prove: str = Field(min_length=5)


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_Rule] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    key: str
    source: str
    proves: str
    does_not_prove: str


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Evidence rules by key (a key ending in ':' covers a family)."""
    data = load_yaml_model(_Rules, RULES_FILE)
    return {r.key: Rule(r.key, r.source.strip(), r.proves.strip(), r.does_not_prove.strip()) for r in data.rules}


def rule(key: str) -> Rule | None:
    table = rules()
    if key in table:
        return table[key]
    family = key.split(":", 1)[0] + ":" if ":" in key else ""
    return table.get(family)


@dataclass(frozen=True)
class Evidence:
    """One fact of one scope: its value, why we believe it, and exactly where it came from.

    `value` is "" when sources conflict; `conflicts` then holds the disagreeing pieces.
    """

    key: str
    value: str
    reason: str
    line: int | None = None
    source: str = "log"  # log | state | options | event | metric
    connection: str = ""
    tunnel: str = ""
    origin: str = ""  # "line 12", "VgwTelemetry Status", "TunnelOptions StartupAction", ...
    conflicts: tuple[Evidence, ...] = ()

    @property
    def source_text(self) -> str:
        """Connection, tunnel and the line, metric or field: the provenance shown beside an automatic answer."""
        parts = [t("connection {id}", id=self.connection) if self.connection else "",
                 t("tunnel {ip}", ip=self.tunnel) if self.tunnel else "",
                 self.origin or (t("line {n}", n=self.line) if self.line else self.source)]
        return ", ".join(p for p in parts if p)

    @property
    def rule(self) -> Rule | None:
        return rule(self.key)


def _conflict(a: Evidence, b: Evidence) -> Evidence:
    pieces = (*(a.conflicts or (a,)), *(b.conflicts or (b,)))
    reason = t("The sources disagree: {pieces}",
               pieces="; ".join(f"{p.value} ({p.source_text}: {p.reason})" for p in pieces))
    return Evidence(a.key, "", reason, source="conflict", connection=a.connection or b.connection,
                    tunnel=a.tunnel or b.tunnel, origin=t("conflicting sources"), conflicts=pieces)


def _put(out: dict[str, Evidence], ev: Evidence) -> None:
    """Add a fact; a different value for the same key becomes a conflict for the person to settle."""
    old = out.get(ev.key)
    if old is None:
        out[ev.key] = ev
    elif old.value != ev.value or old.conflicts:
        if old.value == ev.value:
            return
        out[ev.key] = _conflict(old, ev)
