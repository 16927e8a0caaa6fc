"""Audit rules on a VpnConnection: HA, tunnel options and maintenance, each with severity,
explanation, fix and an AWS documentation link.

The wording lives in `lab/data/audit/rules.yaml` (validated at load); the checks are the functions
in `CHECKS`, one per rule id. Defaults and thresholds come from `lab.facts`. Pure: the same rules
run on a live connection, a replay and a simulation. Rules that need history (the single-tunnel
rule counts the time in the last day that a connection ran on one tunnel) read the TunnelState
series of the same snapshot when they are given, and fall back to the current state otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR, facts
from lab.errors import DataError
from lab.model import METRIC_TUNNEL_STATE, Tunnel, TunnelSeries, VpnConnection, utc
from lab.schema import load_yaml_model

RULES_FILE = DATA_DIR / "audit" / "rules.yaml"
Severity = Literal["high", "medium", "low"]
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
_FACT_REF = re.compile(r"\{fact:([a-z0-9_]+)\}")

# Algorithms the audit calls weak: SHA1 integrity and the MODP groups 2 (1024-bit), 5 (1536-bit) and 22 (RFC 5114's
# 1024-bit MODP group with a 160-bit prime order subgroup).
WEAK_INTEGRITY = frozenset({"SHA1"})
WEAK_DH_GROUPS = frozenset({2, 5, 22})


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
    problems += [f"rules.{rid}: no check in lab/facts/audit.py" for rid in rules if rid not in CHECKS]
    problems += [f"rules: check '{rid}' has no text" for rid in CHECKS if rid not in rules]
    if problems:
        raise DataError(path, problems)
    return rules


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    return load_rules()


# A check yields (tunnel or None, detail) for each place its rule fires.
Hit = tuple[Tunnel | None, str]
Check = Callable[[VpnConnection, datetime, Sequence[TunnelSeries]], Iterator[Hit]]
DAY = timedelta(days=1)


def _duration(seconds: float) -> str:
    minutes, hours = seconds / 60, seconds / 3600
    if hours >= 48:
        return f"{hours / 24:.1f} days"
    if hours >= 2:
        return f"{hours:.1f} hours"
    return f"{max(1, round(minutes))} minutes"


def _since(t: Tunnel, now: datetime) -> str:
    if t.last_status_change is None:
        return ""
    seconds = (utc(now) - utc(t.last_status_change)).total_seconds()
    if seconds < 0:
        return ""
    return " for " + _duration(seconds)


def single_tunnel_seconds(c: VpnConnection, series: Sequence[TunnelSeries], now: datetime) -> float | None:
    """Seconds in the day before `now` during which one tunnel of `c` was down and the other up.

    Read from the connection's per-tunnel TunnelState series (Average: the share of each period the
    tunnel was up). Where both tunnels were partly down in the same period, the overlap is unknown,
    so the period counts the difference of the two down shares (a lower bound). None when the
    series of both tunnels are not available.
    """
    if len(c.tunnels) != 2:
        return None
    by_ip = {s.tunnel_ip: s for s in series
             if s.vpn_id == c.id and s.metric == METRIC_TUNNEL_STATE and s.stat == "Average"}
    pair = [by_ip.get(t.outside_ip) for t in c.tunnels]
    if pair[0] is None or pair[1] is None:
        return None
    end, begin = utc(now), utc(now) - DAY
    second = dict(zip((utc(t) for t in pair[1].timestamps), pair[1].values, strict=True))
    total = 0.0
    for stamp, v1 in zip(pair[0].timestamps, pair[0].values, strict=True):
        t0 = utc(stamp)
        v2 = second.get(t0)
        if v2 is None:
            continue
        t1 = t0 + timedelta(seconds=pair[0].period_s)
        inside = (min(t1, end) - max(t0, begin)).total_seconds()
        if inside <= 0:
            continue
        total += abs((1 - v1) - (1 - v2)) * inside
    return total


def _tunnel_down(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    for t in c.tunnels:
        if t.status != "UP":
            detail = f": {t.status_message}" if t.status_message else ""
            since = _since(t, now).strip()
            yield t, detail + (f" ({since})" if since else "")


def _single_tunnel(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    # AWS's rule: one tunnel up and the other down for more than one hour IN A DAY - the time adds up
    # over several drops, it need not be one continuous hour.
    threshold = timedelta(hours=float(facts.value("single_tunnel_notice_threshold"))).total_seconds()
    up = [t for t in c.tunnels if t.status == "UP"]
    down = [t for t in c.tunnels if t.status != "UP"]
    now_single = len(up) == 1 and len(down) == 1
    current = 0.0
    if now_single:
        changed = down[0].last_status_change
        current = DAY.total_seconds() if changed is None else min(
            max(0.0, (utc(now) - utc(changed)).total_seconds()), DAY.total_seconds())
    counted = single_tunnel_seconds(c, series, now)
    seconds = max(current, counted or 0.0)
    if seconds <= threshold:
        return
    if now_single and down[0].last_status_change is None and counted is None:
        detail = "since an unknown time (more than the threshold is assumed)"
    else:
        detail = f"for {_duration(seconds)} in the last 24 hours"
    state = f"; {tunnel_label(c, down[0].outside_ip)} ({down[0].outside_ip}) is DOWN now" if now_single else ""
    yield (down[0] if now_single else None), detail + state


def _dpd_clear_with_add(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    for t in c.tunnels:
        if t.options.dpd_timeout_action == "clear" and t.options.startup_action == "add":
            yield t, ""


def _ikev1_allowed(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    for t in c.tunnels:
        if "ikev1" in t.options.ike_versions:
            yield t, ", ".join(t.options.ike_versions)


def _weak_crypto(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
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


def _logging_off(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    for t in c.tunnels:
        if not t.options.log_enabled:
            yield t, ""


def _static_routing(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
    if c.routing == "static":
        routes = f" ({', '.join(c.static_routes)})" if c.static_routes else ""
        yield None, routes


def _pending_maintenance(c: VpnConnection, now: datetime, series: Sequence[TunnelSeries] = ()) -> Iterator[Hit]:
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


def audit(connection: VpnConnection, now: datetime | None = None,
          series: Sequence[TunnelSeries] = ()) -> list[Finding]:
    """Every finding on one connection, most severe first (`series`: the snapshot's metric series)."""
    now = utc(now or datetime.now())
    table = rules()
    found: list[Finding] = []
    for rule_id, check in CHECKS.items():
        rule = table[rule_id]
        for tunnel, detail in check(connection, now, series):
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


def audit_all(connections: Iterable[VpnConnection], now: datetime | None = None,
              series: Sequence[TunnelSeries] = ()) -> list[Finding]:
    """Findings of several connections, most severe first (stable within a severity)."""
    found = [f for c in connections for f in audit(c, now, series)]
    return sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])
