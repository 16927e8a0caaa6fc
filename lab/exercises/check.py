"""Checking a prediction against the lab, and checking an exercise's references before it is run."""

from __future__ import annotations

from dataclasses import dataclass

from lab.analyzer.samples import sample_logs
from lab.errors import LabError
from lab.exercises.model import Exercise, Target, as_text
from lab.exercises.run import (
    LOG_MEASURES,
    SCENARIO_MEASURE_PREFIXES,
    SCENARIO_MEASURES,
    TREE_MEASURES,
    expected,
    measure_of,
)
from lab.sim import load_scenario, option_catalogue, parse_failure, scenario_ids, valid_targets
from lab.triage import tree as engine


@dataclass(frozen=True)
class Verdict:
    """A learner's prediction next to what the lab shows."""

    correct: bool
    prediction: str  # as the learner gave it
    expected: str  # as the lab shows it (the choice text, or the number with its unit)
    explanation: str


def _number(value: float, unit: str) -> str:
    text = f"{value:g}"
    return f"{text} {unit}".strip()


def check(ex: Exercise, prediction: int | float) -> Verdict:
    """Compare a prediction (a choice index, or a number) with the answer the lab computes."""
    want = expected(ex)
    if ex.kind == "choice":
        index = int(prediction)
        given = ex.choices[index].text if 0 <= index < len(ex.choices) else "(no choice)"
        right = next((c.text for c in ex.choices if c.value == want), f"(the lab shows {want})")
        return Verdict(0 <= index < len(ex.choices) and ex.choices[index].value == want, given, right, ex.explanation)
    assert isinstance(want, float)  # expected() returns a float for number exercises
    ok = abs(float(prediction) - want) <= ex.tolerance
    return Verdict(ok, _number(float(prediction), ex.unit), _number(want, ex.unit), ex.explanation)


def consistency_problems(ex: Exercise) -> list[str]:
    """What no longer holds when the lab runs: the stated answer and each claim of the explanation."""
    problems: list[str] = []
    try:
        want = expected(ex)
    except (LabError, ValueError) as err:
        return [f"the lab cannot compute the answer: {err}"]
    stated = ex.stated_value()
    if ex.kind == "choice" and stated != want:
        problems.append(f"the lesson says '{stated}' but the lab shows '{want}'")
    if ex.kind == "number" and stated != want:
        problems.append(f"the lesson says {stated:g} but the lab shows {want:g}")
    for claim in ex.claims:
        got = as_text(measure_of(ex.target, claim.measure))
        if got != claim.equals:
            problems.append(f"claim {claim.measure} = {claim.equals}: the lab shows {got}")
    return problems


def _measure_known(target: Target, name: str) -> bool:
    if target.lab == "scenario":
        return name in SCENARIO_MEASURES or name.startswith(SCENARIO_MEASURE_PREFIXES)
    if target.lab == "troubleshooter":
        return name in TREE_MEASURES
    return name in LOG_MEASURES


def reference_problems(target: Target, claims: tuple[str, ...] = ()) -> list[str]:
    """Problems with what a target names (scenario, failures, options, tree node, sample log, measures).

    Cheap: nothing is simulated, so lessons can be checked at load time.
    """
    problems: list[str] = []
    for name in (target.measure, *claims):
        if not _measure_known(target, name):
            problems.append(f"measure '{name}' is not one the {target.lab} lab provides")
    if target.scenario is not None:
        if target.scenario not in scenario_ids():
            problems.append(f"scenario '{target.scenario}' does not exist (there are {', '.join(scenario_ids())})")
        else:
            spec = load_scenario(target.scenario)
            for text in target.failures:
                try:
                    f = parse_failure(text)
                except LabError as err:
                    problems.append(f"fail '{text}': {err}")
                    continue
                if f.target and f.target not in valid_targets(spec, f.kind):
                    problems.append(f"fail '{text}': {target.scenario} has no '{f.target}' for {f.kind}")
            catalogue = {o.key: o for o in option_catalogue(spec)}
            for key, value in target.options:
                opt = catalogue.get(key)
                if opt is None:
                    problems.append(f"option '{key}' does not exist (options: {', '.join(catalogue)})")
                elif opt.choices and value not in opt.choices:
                    problems.append(f"option {key}: '{value}' is not one of {', '.join(opt.choices)}")
                elif not opt.choices and not isinstance(value, int):
                    problems.append(f"option {key}: '{value}' is not a whole number")
    if target.tree is not None:
        try:
            engine.resolve(f"{target.tree}/{target.node}")
        except LabError as err:
            problems.append(f"tree node '{target.tree}/{target.node}': {err}")
    if target.sample is not None:
        try:
            names = [s.name for s in sample_logs()]
        except LabError as err:
            problems.append(f"sample logs cannot be read: {err}")
        else:
            if target.sample not in names:
                problems.append(f"sample '{target.sample}' is not a shipped sample log ({', '.join(names)})")
    return problems
