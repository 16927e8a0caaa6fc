"""Run an exercise's target and read its measure: the answer the lab itself shows.

Measures by lab (values are str, int, float, bool or None; `model.as_text` gives the form choices use):

scenario (lab.sim.simulate):
    outage_s.to_onprem | outage_s.to_aws      seconds of lost traffic per direction
    lost_pct.to_onprem | lost_pct.to_aws      share of the offered traffic lost
    detect_s | recover_s                      first failure -> first reaction / end of the outage (None: never)
    manual_action_required                    a person has to act
    down_s.<tunnel id>                        seconds the tunnel's TunnelState was 0 (tunnel-1, ...)
    tunnels_down_at_end                       tunnels DOWN when the run ends
    audit.<rule id>                           yes/no: the audit (lab.facts.audit) raises that finding at the end
    log.first_pattern | log.primary           the log analyzer on the run's logs: first finding's pattern id,
                                              primary category (None when nothing was recognised)
troubleshooter (lab.triage.tree.auto_walk with lab.triage.evidence):
    diagnosis                                 the node where the evidence leads ("tree/node")
analyzer (lab.analyzer on a shipped sample log):
    log.first_pattern | log.primary | log.first_line
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lab.analyzer import Analysis, analyze_text
from lab.analyzer.samples import sample_log
from lab.errors import InputError
from lab.exercises.model import Exercise, Target, Value, as_text
from lab.facts import audit
from lab.model import Snapshot
from lab.sim import Overrides, SimResult, parse_failure, simulate
from lab.triage import evidence
from lab.triage import tree as engine

SCENARIO_MEASURES = (
    "outage_s.to_onprem", "outage_s.to_aws", "lost_pct.to_onprem", "lost_pct.to_aws", "detect_s", "recover_s",
    "manual_action_required", "tunnels_down_at_end", "log.first_pattern", "log.primary",
)
SCENARIO_MEASURE_PREFIXES = ("down_s.", "audit.")
TREE_MEASURES = ("diagnosis",)
LOG_MEASURES = ("log.first_pattern", "log.primary", "log.first_line")


@dataclass(frozen=True)
class Handoff:
    """What opening the lab needs: the page, its query parameters, and what to hand over to it."""

    page: str  # url path of the page: scenario-lab | troubleshooter
    query: dict[str, str | list[str]]
    log_text: str | None = None
    snapshot: Snapshot | None = None


@lru_cache(maxsize=64)
def simulation(target: Target) -> SimResult:
    """The deterministic run behind a scenario target (or the evidence of a troubleshooter target)."""
    failures = [parse_failure(f) for f in target.failures]
    overrides = Overrides(**dict(target.options))  # type: ignore[arg-type]
    return simulate(target.scenario or "", failures, duration_s=target.duration_s, overrides=overrides)


def _analysis_of(text: str) -> Analysis | None:
    try:
        return analyze_text(text)
    except InputError:
        return None


def _log_measure(analysis: Analysis | None, measure: str) -> Value:
    if analysis is None:
        return None
    decisive = [f for f in analysis.findings if f.decisive]
    if measure == "log.primary":
        return analysis.primary.category if analysis.primary else None
    if measure == "log.first_pattern":
        return decisive[0].pattern if decisive else None
    if measure == "log.first_line":
        return decisive[0].line if decisive else None
    raise ValueError(f"unknown log measure {measure!r}")


def _scenario_measure(result: SimResult, measure: str) -> Value:
    out = result.outcome
    head, _, rest = measure.partition(".")
    if head in ("outage_s", "lost_pct", "down_s"):
        table: dict[str, int] | dict[str, float] = getattr(out, head)
        if rest not in table:
            raise ValueError(f"{measure!r}: the run has no {rest!r} (it has {', '.join(table)})")
        return table[rest]
    if measure in ("detect_s", "recover_s", "manual_action_required"):
        return getattr(out, measure)  # type: ignore[no-any-return]
    snap = result.snapshot
    if measure == "tunnels_down_at_end":
        return sum(1 for c in snap.connections for t in c.tunnels if t.status != "UP")
    if head == "audit":
        findings = audit.audit_all(snap.connections, snap.end or snap.start, snap.series)
        return any(f.rule == rest for f in findings)
    if head == "log":
        return _log_measure(_analysis_of("\n".join(r.text for r in snap.logs)), measure)
    raise ValueError(f"unknown scenario measure {measure!r}")


def _evidence(target: Target) -> dict[str, evidence.Evidence]:
    if target.sample:
        analysis = _analysis_of(sample_log(target.sample).text())
        return evidence.from_analysis(analysis) if analysis else {}
    return evidence.from_snapshot(simulation(target).snapshot)


def measure(target: Target) -> Value:
    """The value the lab shows for the target's measure."""
    return measure_of(target, target.measure)


@lru_cache(maxsize=256)
def measure_of(target: Target, name: str) -> Value:
    if target.lab == "scenario":
        return _scenario_measure(simulation(target), name)
    if target.lab == "troubleshooter":
        if name != "diagnosis":
            raise ValueError(f"unknown troubleshooter measure {name!r}")
        start = f"{target.tree}/{target.node}"
        return engine.auto_walk(target.tree or "", _evidence(target), start).final
    if target.lab == "analyzer":
        return _log_measure(_analysis_of(sample_log(target.sample or "").text()), name)
    raise ValueError(f"unknown lab {target.lab!r}")


def expected(ex: Exercise) -> str | float:
    """The right answer, computed: a choice's value, or a number."""
    value = measure(ex.target)
    if ex.kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{ex.key}: measure {ex.target.measure!r} gave {value!r}, not a number")
        return float(value)
    return as_text(value)


def expected_choice(ex: Exercise) -> int | None:
    """Index of the choice the lab confirms (None when no choice matches: a broken exercise)."""
    want = expected(ex)
    return next((i for i, c in enumerate(ex.choices) if c.value == want), None)


def handoff(ex: Exercise) -> Handoff:
    """How to open the lab on the exercise's situation."""
    t = ex.target
    if t.lab == "scenario":
        return Handoff("scenario-lab", t.query_params())
    if t.sample:
        return Handoff("troubleshooter", t.query_params(), log_text=sample_log(t.sample).text())
    result = simulation(t)
    text = "\n".join(r.text for r in result.snapshot.logs)
    return Handoff("troubleshooter", t.query_params(), log_text=text or None, snapshot=result.snapshot)
