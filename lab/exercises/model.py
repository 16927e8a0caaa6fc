"""What an exercise is once loaded: plain frozen dataclasses, hashable so results can be cached."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlencode

DEFAULT_DURATION_S = 600  # the scenario lab's default run length (a link names any other)

LabKind = Literal["scenario", "troubleshooter", "analyzer"]
AnswerKind = Literal["choice", "number"]
Value = str | int | float | bool | None

LAB_TITLES: dict[str, str] = {
    "scenario": "Scenario lab",
    "troubleshooter": "Troubleshooter",
    "analyzer": "Log analyzer (in the troubleshooter)",
}


@dataclass(frozen=True)
class Choice:
    """One answer a learner can pick; `value` is what the lab's measure returns when it is right."""

    text: str
    value: str


@dataclass(frozen=True)
class Claim:
    """A further statement the explanation makes, checked against the lab like the answer."""

    measure: str
    equals: str


@dataclass(frozen=True)
class Target:
    """Where the situation is loaded and what is read from it.

    scenario:        simulate `scenario` with `failures` (failure specs such as "cgw-down:cgw-a@60")
                     and `options` (option key, value) for `duration_s` seconds.
    troubleshooter:  walk tree `tree` from `node` with the evidence of a simulation (the scenario
                     fields above) or of a sample log (`sample`).
    analyzer:        analyze the sample log `sample`.
    """

    lab: LabKind
    measure: str
    scenario: str | None = None
    failures: tuple[str, ...] = ()
    options: tuple[tuple[str, str | int], ...] = ()
    duration_s: int = DEFAULT_DURATION_S
    tree: str | None = None
    node: str | None = None
    sample: str | None = None

    def url(self) -> str:
        """The link that opens the lab on this situation (the page also receives any logs/snapshot)."""
        if self.lab == "scenario":
            params: list[tuple[str, str]] = [("scenario", self.scenario or "")]
            params += [("fail", f) for f in self.failures]
            params += [(k, str(v)) for k, v in self.options]
            if self.duration_s != DEFAULT_DURATION_S:  # the lab runs the same length as the computed answer
                params.append(("duration", str(self.duration_s)))
            return "/scenario-lab?" + urlencode(params)
        if self.lab == "troubleshooter":
            return "/troubleshooter?" + urlencode({"tree": self.tree or "", "node": self.node or ""})
        return "/troubleshooter"

    def query_params(self) -> dict[str, str | list[str]]:
        """The same link as query parameters (for st.switch_page)."""
        if self.lab == "scenario":
            q: dict[str, str | list[str]] = {"scenario": self.scenario or ""}
            if self.failures:
                q["fail"] = list(self.failures)
            q.update({k: str(v) for k, v in self.options})
            if self.duration_s != DEFAULT_DURATION_S:
                q["duration"] = str(self.duration_s)
            return q
        if self.lab == "troubleshooter":
            return {"tree": self.tree or "", "node": self.node or ""}
        return {}


@dataclass(frozen=True)
class Exercise:
    """A situation, a prediction to make first, the lab that shows what happens, and why.

    `answer` is what the lesson states (a choice index, or a number); the runner computes the
    real answer from the lab and a test checks that both agree, so lesson and lab cannot drift.
    """

    id: str
    lesson: str
    title: str
    situation: str
    question: str
    kind: AnswerKind
    answer: float
    target: Target
    explanation: str
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    tolerance: float = 0.0
    claims: tuple[Claim, ...] = ()

    @property
    def key(self) -> str:
        """Unique across the curriculum: lesson id and exercise id."""
        return f"{self.lesson}/{self.id}"

    @property
    def lab_title(self) -> str:
        return LAB_TITLES[self.target.lab]

    def stated_value(self) -> str | float:
        """The stated answer in the measure's terms: the chosen choice's value, or the number."""
        if self.kind == "choice":
            return self.choices[int(self.answer)].value
        return self.answer


def as_text(value: Value) -> str:
    """A measured value in the form choices use: yes/no for booleans, none for no value."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
