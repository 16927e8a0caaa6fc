"""The consistency matrix: every scenario x every failure kind, the two-failure combinations a training room
meets, and every bundled replay, simulated (or loaded), its logs analyzed, and the evidence followed through
the trees with no person answering.

A cell triages one tunnel: for one failure the most troubled tunnel (what "Open in the troubleshooter"
shows first); for two failures, the first tunnel each failure hits. The walk must end at one of the
diagnoses the failures that hit *that tunnel* can cause, or stop at a question (the engine asks the
person); a cell that reaches any other diagnosis is wrong. What a failure can be diagnosed as depends on
what the simulator's own timeline says happened to the tunnel: a Delete IKE_SA that the customer gateway
(or AWS) recovered from is "set up again", one that nobody recovered from is "nobody re-initiates"; a
failure that found nothing to act on (a Delete on a tunnel whose device is already down) causes nothing.
`render()` prints the matrix as a table a person can read (`vpn-lab triage --matrix`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lab import replay
from lab.sim import FAILURE_KINDS, Failure, SimResult, parse_failure, scenario_ids, simulate, valid_targets
from lab.sim.scenarios import ScenarioSpec, load_scenario
from lab.triage import case, tree

# What each failure kind can be diagnosed as. An empty set: no diagnosis in the trees names it, so the
# only right outcome is to ask.
EXPECTED: dict[str, frozenset[str]] = {
    "cgw-down": frozenset({"tunnel-down/d-peer-unreachable"}),
    "cgw-link-down": frozenset({"tunnel-down/d-peer-unreachable", "tunnel-down/d-path-blocked"}),
    "endpoint-replacement": frozenset({"tunnel-down/d-endpoint-replacement"}),
    "ike-delete": frozenset({"tunnel-down/d-ike-sa-deleted-add", "tunnel-down/d-ike-sa-deleted-ikev1"}),
    # a Delete the tunnel came back from (the simulator's timeline shows the tunnel up again after it)
    "ike-delete/recovered": frozenset({"tunnel-down/d-ike-sa-deleted-recovered"}),
    "idle": frozenset({"tunnel-down/d-idle-tunnel", "tunnel-down/d-dpd-clear-add", "tunnel-down/d-dpd-cgw-off"}),
    "psk-mismatch": frozenset({"tunnel-down/d-auth"}),
    "proposal-mismatch": frozenset({"tunnel-down/d-phase1-proposal"}),
    "bgp-reset": frozenset(),
}
# Replays whose walk needs a person's answer name no tree node; their diagnosis, when it differs from the
# analyzer category's diagnoses: in bgp-failover-s4 the log lines show DPD timeouts, the cause is that
# gateway A lost power, so the troubleshooter must end at "the customer gateway does not answer".
REPLAY_DIAGNOSES: dict[str, frozenset[str]] = {
    "bgp-failover-s4": frozenset({"tunnel-down/d-peer-unreachable"}),
}
FAILURE_AT_S = 60
DURATION_S = 600
# Two failures a training room meets together. Targets: {A} / {B} the first / second customer gateway,
# {A1} {A2} {B1} their first and second tunnels. A pair that names B runs only where there are two gateways.
PAIRS: tuple[tuple[str, str], ...] = (
    ("cgw-down:{A}@60", "ike-delete:{B1}@60"),  # the walkthrough: S4, gateway A off, a Delete on B
    ("cgw-down:{A}@60", "ike-delete:{A2}@60"),  # a Delete on the dead device's other tunnel does nothing
    ("cgw-link-down:{A}@60", "endpoint-replacement:{B1}@120"),  # DPD timeouts on A, a replacement on B
    ("idle@60+300", "endpoint-replacement:{A2}@120"),  # the quiet night on one tunnel, a replacement on the other
    ("cgw-down:{A}@60", "psk-mismatch:{B1}@60"),
    ("cgw-down:{A}@60", "psk-mismatch:{A2}@120"),
    ("ike-delete:{A1}@60", "endpoint-replacement:{A2}@60"),
    ("psk-mismatch:{A1}@60", "proposal-mismatch:{A2}@60"),
    ("cgw-link-down:{A}@60", "bgp-reset:{B1}@60"),
)


@dataclass(frozen=True)
class Cell:
    row: str  # scenario id or "replay"
    column: str  # failure kind, a two-failure script, or replay slug
    target: str  # the failure's target, or (two failures) the tunnel triaged
    reached: str  # the node where the walk stopped
    is_diagnosis: bool
    expected: frozenset[str]
    evidence_steps: int

    @property
    def wrong(self) -> bool:
        return self.is_diagnosis and self.reached not in self.expected

    @property
    def outcome(self) -> str:
        if not self.is_diagnosis:
            return "asks"
        return "WRONG" if self.wrong else "right"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "target": self.target, "reached": self.reached,
                "is_diagnosis": self.is_diagnosis, "outcome": self.outcome, "expected": sorted(self.expected)}


def _cell(row: str, column: str, target: str, snapshot: Any, expected: frozenset[str], tunnel: str = "") -> Cell:
    result = case.run(snapshot=snapshot, tunnel=tunnel)
    s = result.session
    steps = sum(1 for st in s.steps if st.by_evidence and st.answer is not None)
    return Cell(row, column, target, s.current.ref, s.is_diagnosis, expected, steps)


@lru_cache(maxsize=256)
def _simulate(scenario: str, failures: tuple[Failure, ...]) -> SimResult:
    """One run of the matrix (the same script gives the same run, so it is computed once)."""
    return simulate(scenario, list(failures), duration_s=DURATION_S)


def _tunnels_hit(spec: ScenarioSpec, failure: Failure) -> list[str]:
    """Tunnel ids a failure acts on (a gateway's tunnels, one tunnel, or all)."""
    rows = spec.tunnel_rows()
    if failure.target == "all":
        return [tid for tid, *_ in rows]
    if failure.target in spec.cgw_keys():
        return [tid for tid, conn, _t, _c in rows if conn.customer_gateway == failure.target]
    return [failure.target]


def _took_effect(result: SimResult, failure: Failure, ip: str) -> bool:
    """False for a Delete IKE_SA that found no IKE SA (its device already down): it changed nothing."""
    if failure.kind != "ike-delete":
        return True
    return any(e.kind == "ike-sa-deleted" and e.tunnel_ip == ip and result.seconds(e.time) == failure.at_s
               for e in result.snapshot.events)


def _came_back(result: SimResult, failure: Failure, ip: str) -> bool:
    """The simulator's timeline has the tunnel up again (an SA established) after the failure."""
    return any(e.kind == "ike-negotiation" and e.tunnel_ip == ip and "established" in str(e.detail)
               and result.seconds(e.time) > failure.at_s for e in result.snapshot.events)


def expected_for(result: SimResult, tunnel_id: str) -> frozenset[str]:
    """The diagnoses the failures that hit one tunnel can cause, by what the timeline says happened."""
    spec = result.scenario
    ip = next(t.outside_ip for tid, _c, t, _g in spec.tunnel_rows() if tid == tunnel_id)
    out: set[str] = set()
    for f in result.failures:
        if tunnel_id not in _tunnels_hit(spec, f) or not _took_effect(result, f, ip):
            continue
        kind = "ike-delete/recovered" if f.kind == "ike-delete" and _came_back(result, f, ip) else f.kind
        out |= EXPECTED[kind]
    return frozenset(out)


def _tunnel_id(spec: ScenarioSpec, ip: str) -> str:
    return next((tid for tid, _c, t, _g in spec.tunnel_rows() if t.outside_ip == ip), "")


def scenario_cells(scenario: str) -> list[Cell]:
    spec = load_scenario(scenario)
    out = []
    for kind in FAILURE_KINDS:
        targets = valid_targets(spec, kind.id)
        if not targets:
            continue
        result = _simulate(scenario, (Failure(kind.id, targets[0], FAILURE_AT_S),))
        first = case.build_scopes(result.snapshot)
        triaged = _tunnel_id(spec, first[0].tunnel) if first else ""
        expected = expected_for(result, triaged) if triaged else frozenset()
        out.append(_cell(scenario, kind.id, targets[0], result.snapshot, expected))
    return out


def pair_scripts(spec: ScenarioSpec) -> list[list[Failure]]:
    """The PAIRS that apply to a scenario, with its gateways and tunnels filled in."""
    gws = spec.cgw_keys()
    rows = spec.tunnel_rows()
    names: dict[str, str] = {}
    for letter, key in zip("AB", gws, strict=False):
        names[letter] = key
        mine = [tid for tid, conn, _t, _c in rows if conn.customer_gateway == key]
        for i, tid in enumerate(mine[:2], 1):
            names[f"{letter}{i}"] = tid
    out = []
    for pair in PAIRS:
        try:
            failures = [parse_failure(text.format(**names)) for text in pair]
        except KeyError:  # names a gateway or tunnel the scenario does not have
            continue
        if all(f.target in valid_targets(spec, f.kind) or (not f.target and valid_targets(spec, f.kind))
               for f in failures):
            out.append(failures)
    return out


def pair_cells(scenario: str) -> list[Cell]:
    """Two failures at once: one cell per failure, triaging the first tunnel it hits."""
    spec = load_scenario(scenario)
    out = []
    for failures in pair_scripts(spec):
        result = _simulate(scenario, tuple(failures))
        label = " + ".join(f.label() for f in result.failures)
        ips = {tid: t.outside_ip for tid, _c, t, _g in spec.tunnel_rows()}
        triaged: list[str] = []
        for f in result.failures:
            hit = _tunnels_hit(spec, f)
            tid = hit[0] if f.target != "all" else _tunnel_id(spec, case.build_scopes(result.snapshot)[0].tunnel)
            if tid not in triaged:
                triaged.append(tid)
        for tid in triaged:
            out.append(_cell(scenario, label, tid, result.snapshot, expected_for(result, tid), tunnel=ips[tid]))
    return out


def replay_cells() -> list[Cell]:
    return [_cell("replay", inc.slug, "", inc.snapshot, replay_expected(inc)) for inc in replay.incidents()]


def replay_expected(inc: replay.Incident) -> frozenset[str]:
    """The diagnoses a replay may end at."""
    if inc.expected_tree_node:
        return frozenset({inc.expected_tree_node})
    if inc.slug in REPLAY_DIAGNOSES:
        return REPLAY_DIAGNOSES[inc.slug]
    return frozenset(
        n.ref for t in tree.load_trees().values() for n in t.nodes.values()
        if n.is_diagnosis and n.category == inc.expected_category
    )


def run_matrix(pairs: bool = True) -> list[Cell]:
    cells = [c for sid in scenario_ids() for c in scenario_cells(sid)]
    if pairs:
        cells += [c for sid in scenario_ids() for c in pair_cells(sid)]
    return cells + replay_cells()


def totals(cells: Sequence[Cell]) -> dict[str, int]:
    return {"cells": len(cells), "right": sum(c.outcome == "right" for c in cells),
            "asks": sum(c.outcome == "asks" for c in cells), "wrong": sum(c.wrong for c in cells)}


def render(cells: list[Cell]) -> str:
    """A plain-text table: one line per cell, then the totals."""
    width = max([32, *(len(c.column) + len(c.target) + 1 for c in cells)])
    lines = [f"{'scenario':<9} {'failure / replay':<{width}} {'outcome':<7} reached"]
    lines.append("-" * (width + 60))
    for c in cells:
        where = c.reached if c.is_diagnosis else f"asks at {c.reached}"
        col = c.column + (f" → {c.target}" if " + " in c.column else (f":{c.target}" if c.target else ""))
        lines.append(f"{c.row:<9} {col:<{width}} {c.outcome:<7} {where}")
    n = totals(cells)
    lines.append("-" * (width + 60))
    lines.append(f"{n['cells']} cells: {n['right']} right diagnosis, {n['asks']} stop and ask the person, "
                 f"{n['wrong']} wrong.")
    return "\n".join(lines)
