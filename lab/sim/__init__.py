"""The scenario lab's simulator: failover scenarios S1-S5 as data and a deterministic simulator.

    simulate("s4", [Failure("cgw-down", "cgw-a", 60)]) -> SimResult(.snapshot, .outcome, .trace)

The simulator is the first of the three sources of the domain model (`lab.model.Snapshot`).
"""

from lab.sim.assumptions import ASSUMPTIONS, Assumption
from lab.sim.failures import FAILURE_KINDS, Failure, FailureKind, parse_failure, valid_targets
from lab.sim.options import Overrides, Settings, option_catalogue
from lab.sim.result import Outcome, SimResult, simulate
from lab.sim.scenarios import ScenarioSpec, list_scenarios, load_scenario, scenario_ids

__all__ = [
    "ASSUMPTIONS",
    "FAILURE_KINDS",
    "Assumption",
    "Failure",
    "FailureKind",
    "Outcome",
    "Overrides",
    "ScenarioSpec",
    "Settings",
    "SimResult",
    "list_scenarios",
    "load_scenario",
    "option_catalogue",
    "parse_failure",
    "scenario_ids",
    "simulate",
    "valid_targets",
]
