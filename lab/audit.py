"""Audit rules on a VpnConnection: HA, tunnel options and maintenance, each with severity,
explanation, fix and an AWS documentation link.

The wording lives in `lab/data/audit/rules.yaml` (validated at load); the checks are the functions
in `CHECKS`, one per rule id. Defaults and thresholds come from `lab.facts`. Pure: the same rules
run on a live connection, a replay and a simulation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR, facts
from lab.errors import DataError
from lab.model import Tunnel, VpnConnection, utc
from lab.schema import load_yaml_model

RULES_FILE = DATA_DIR / "audit" / "rules.yaml"
Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_FACT_REF = re.compile(r"\{fact:([a-z0-9_]+)\}")

# Algorithms the audit calls weak: SHA1 integrity and the MODP groups 2 (1024-bit) and 5 (1536-bit).
WEAK_INTEGRITY = frozenset({"SHA1"})
WEAK_DH_GROUPS = frozenset({2, 5})


class _RuleSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    severity: Severity
    title: str = Field(min_length=1)
    message: str = Field(min_length=1)
    explanation: str = Field(min_length=1)
    fix: str = Field(min_length=1)
    doc: str = Field(pattern=r"^https://docs\.aws\.amazon\.com/")


class _FileSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: dict[str, _RuleSchema]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    message: str
    explanation: str
    fix: str
    doc: str


@dataclass(frozen=True)
class Finding:
    """One rule that fired on one connection (and tunnel, when it is about one)."""

    rule: str
    severity: Severity
    title: str
    message: str
    explanation: str
    fix: str
    doc: str
    vpn_id: str
    tunnel_ip: str = ""

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity, "message": self.message}


def _fill_facts(text: str, where: str, problems: list[str]) -> str:
    def _sub(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in facts.facts():
            problems.append(f"{where}: unknown fact '{key}'")
            return match.group(0)
        return str(facts.fact(key).text)

    return _FACT_REF.sub(_sub, text)


def load_rules(path: Path = RULES_FILE) -> dict[str, Rule]:
    """Load and validate the rule texts; DataError names the file and every problem."""
    parsed = load_yaml_model(_FileSchema, path)
    problems: list[str] = []
    rules = {
        rid: Rule(
            id=rid,
            severity=r.severity,
            title=r.title,
            message=r.message,
            explanation=_fill_facts(r.explanation, f"rules.{rid}.explanation", problems),
            fix=_fill_facts(r.fix, f"rules.{rid}.fix", problems),
            doc=r.doc,
        )
        for rid, r in parsed.rules.items()
    }
    problems += [f"rules.{rid}: no check in lab/audit.py" for rid in rules if rid not in CHECKS]
    problems += [f"rules: check '{rid}' has no text" for rid in CHECKS if rid not in rules]
    if problems:
        raise DataError(path, problems)
    return rules


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    return load_rules()


# A check yields (tunnel or None, detail) for each place its rule fires.
Hit = tuple[Tunnel | None, str]
Check = Callable[[VpnConnection, datetime], Iterator[Hit]]


def _since(t: Tunnel, now: datetime) -> str:
    if t.last_status_change is None:
        return ""
    seconds = (utc(now) - utc(t.last_status_change)).total_seconds()
    if seconds < 0:
        return ""
    minutes, hours = seconds / 60, seconds / 3600
    if hours >= 48:
        return f" for {hours / 24:.1f} days"
    if hours >= 2:
        return f" for {hours:.1f} hours"
    return f" for {max(1, round(minutes))} minutes"


def _tunnel_down(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        if t.status != "UP":
            detail = f": {t.status_message}" if t.status_message else ""
            since = _since(t, now).strip()
            yield t, detail + (f" ({since})" if since else "")


def _single_tunnel(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    up = [t for t in c.tunnels if t.status == "UP"]
    down = [t for t in c.tunnels if t.status != "UP"]
    if len(up) != 1 or len(down) != 1:
        return
    threshold = timedelta(hours=float(facts.value("single_tunnel_notice_threshold")))
    for t in down:
        long_down = t.last_status_change is None or utc(now) - utc(t.last_status_change) > threshold
        if long_down:
            yield t, _since(t, now) or " (since an unknown time)"


def _dpd_clear_with_add(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        if t.options.dpd_timeout_action == "clear" and t.options.startup_action == "add":
            yield t, ""


def _ikev1_allowed(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        if "ikev1" in t.options.ike_versions:
            yield t, ", ".join(t.options.ike_versions)


def _weak_crypto(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        o = t.options
        weak = []
        integrity = sorted(WEAK_INTEGRITY & (set(o.phase1_integrity) | set(o.phase2_integrity)))
        if integrity:
            weak.append("integrity " + ", ".join(integrity))
        p1 = sorted(WEAK_DH_GROUPS & set(o.phase1_dh_groups))
        p2 = sorted(WEAK_DH_GROUPS & set(o.phase2_dh_groups))
        if p1:
            weak.append("phase 1 DH group " + ", ".join(map(str, p1)))
        if p2:
            weak.append("phase 2 DH group " + ", ".join(map(str, p2)))
        if weak:
            yield t, "; ".join(weak)


def _logging_off(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        if not t.options.log_enabled:
            yield t, ""


def _static_routing(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    if c.routing == "static":
        routes = f" ({', '.join(c.static_routes)})" if c.static_routes else ""
        yield None, routes


def _pending_maintenance(c: VpnConnection, now: datetime) -> Iterator[Hit]:
    for t in c.tunnels:
        m = t.maintenance
        if m and m.pending:
            after = f", auto-applied after {m.auto_applied_after:%Y-%m-%d %H:%M} UTC" if m.auto_applied_after else ""
            yield t, m.pending + after


CHECKS: dict[str, Check] = {
    "tunnel-down": _tunnel_down,
    "single-tunnel": _single_tunnel,
    "dpd-clear-with-add": _dpd_clear_with_add,
    "ikev1-allowed": _ikev1_allowed,
    "weak-crypto": _weak_crypto,
    "logging-off": _logging_off,
    "static-routing": _static_routing,
    "pending-maintenance": _pending_maintenance,
}


def tunnel_label(c: VpnConnection, ip: str) -> str:
    """'Tunnel 1' / 'Tunnel 2' in the order AWS lists them."""
    for i, t in enumerate(c.tunnels, start=1):
        if t.outside_ip == ip:
            return f"Tunnel {i}"
    return "Tunnel"


def audit(connection: VpnConnection, now: datetime | None = None) -> list[Finding]:
    """Every finding on one connection, most severe first."""
    now = utc(now or datetime.now())
    table = rules()
    found: list[Finding] = []
    for rule_id, check in CHECKS.items():
        rule = table[rule_id]
        for tunnel, detail in check(connection, now):
            ip = tunnel.outside_ip if tunnel else ""
            message = rule.message.format(tunnel=tunnel_label(connection, ip), ip=ip or "-", detail=detail)
            found.append(
                Finding(
                    rule=rule_id,
                    severity=rule.severity,
                    title=rule.title,
                    message=message,
                    explanation=rule.explanation,
                    fix=rule.fix,
                    doc=rule.doc,
                    vpn_id=connection.id,
                    tunnel_ip=ip,
                )
            )
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])


def audit_all(connections: Iterable[VpnConnection], now: datetime | None = None) -> list[Finding]:
    """Findings of several connections, most severe first (stable within a severity)."""
    found = [f for c in connections for f in audit(c, now)]
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])
