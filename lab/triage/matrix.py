"""The consistency matrix: every scenario x every failure kind, and every bundled replay, is simulated
(or loaded), its logs analyzed, and the evidence followed through the trees with no person answering.

Each cell must end at one of the diagnoses its failure can cause, or stop at a question (the engine
asks the person); a cell that reaches any other diagnosis is wrong. `render()` prints the matrix as a
table a person can read (`vpn-lab triage --matrix`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lab import replay
from lab.sim import FAILURE_KINDS, Failure, scenario_ids, simulate, valid_targets
from lab.sim.scenarios import load_scenario
from lab.triage import case, tree

# What each failure kind can be diagnosed as. An empty set: no diagnosis in the trees names it, so the
# only right outcome is to ask.
EXPECTED: dict[str, frozenset[str]] = {
    "cgw-down": frozenset({"tunnel-down/d-peer-unreachable"}),
    "cgw-link-down": frozenset({"tunnel-down/d-peer-unreachable", "tunnel-down/d-path-blocked"}),
    "endpoint-replacement": frozenset({"tunnel-down/d-endpoint-replacement"}),
    "ike-delete": frozenset({"tunnel-down/d-ike-sa-deleted-add", "tunnel-down/d-ike-sa-deleted-ikev1"}),
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


@dataclass(frozen=True)
class Cell:
    row: str  # scenario id or "replay"
    column: str  # failure kind or replay slug
    target: str
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


def _cell(row: str, column: str, target: str, snapshot: Any, expected: frozenset[str]) -> Cell:
    result = case.run(snapshot=snapshot)
    s = result.session
    steps = sum(1 for st in s.steps if st.by_evidence and st.answer is not None)
    return Cell(row, column, target, s.current.ref, s.is_diagnosis, expected, steps)


def scenario_cells(scenario: str) -> list[Cell]:
    spec = load_scenario(scenario)
    out = []
    for kind in FAILURE_KINDS:
        targets = valid_targets(spec, kind.id)
        if not targets:
            continue
        result = simulate(scenario, [Failure(kind.id, targets[0], FAILURE_AT_S)], duration_s=DURATION_S)
        out.append(_cell(scenario, kind.id, targets[0], result.snapshot, EXPECTED[kind.id]))
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


def run_matrix() -> list[Cell]:
    cells = [c for sid in scenario_ids() for c in scenario_cells(sid)]
    return cells + replay_cells()


def render(cells: list[Cell]) -> str:
    """A plain-text table: one line per cell, then the totals."""
    lines = [f"{'scenario':<9} {'failure / replay':<32} {'outcome':<7} reached"]
    lines.append("-" * 100)
    for c in cells:
        where = c.reached if c.is_diagnosis else f"asks at {c.reached}"
        col = c.column + (f":{c.target}" if c.target else "")
        lines.append(f"{c.row:<9} {col:<32} {c.outcome:<7} {where}")
    right = sum(c.outcome == "right" for c in cells)
    asks = sum(c.outcome == "asks" for c in cells)
    wrong = sum(c.wrong for c in cells)
    lines.append("-" * 100)
    lines.append(f"{len(cells)} cells: {right} right diagnosis, {asks} stop and ask the person, {wrong} wrong.")
    return "\n".join(lines)
