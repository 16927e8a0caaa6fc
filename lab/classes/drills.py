"""Drills: a scenario-lab simulation plus a prediction question whose right answer the simulator computes.

A drill is data (`DrillSpec`, validated like every data file): a scenario, a failure script, a
question kind and a time limit. `prepare()` runs the simulation once and freezes what the room
needs into a plain dict stored with the live drill: the prompt, the choices (or a number with a
tolerance), the right answer, the explanation and the scenario-lab link that replays it. Ready-made
drills ship in `lab/data/drills/*.yaml`; lesson exercises (front matter) are accepted as drills too.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lab import PACKAGE_DIR
from lab.errors import DataError, InputError, LabError
from lab.i18n import LANGS, N_, data_text, render, t
from lab.schema import load_yaml_model, validation_problems
from lab.store import DrillAnswerRow, DrillRow

DRILLS_DIR = PACKAGE_DIR / "data" / "drills"
RUN_S = 600  # the scenario lab's default run length: the reveal link replays exactly this run

QuestionKind = Literal["outage_to_onprem", "outage_to_aws", "person_needed", "first_log_line", "detect_s",
                       "recover_s"]

# Prompts and the person-needed choices are stored in English with the drill and shown in each
# participant's language through the message catalogue (N_ marks them for it).
QUESTIONS: dict[str, tuple[str, str]] = {
    "outage_to_onprem": (N_("How many seconds is traffic from the VPC to on-premises lost?"), "number"),
    "outage_to_aws": (N_("How many seconds is traffic from on-premises to the VPC lost?"), "number"),
    "person_needed": (N_("Does a person have to act to bring traffic back?"), "choice"),
    "first_log_line": (N_("Which message do the AWS VPN logs (tunnel or BGP) write first after the failure?"),
                       "choice"),
    "detect_s": (N_("How many seconds after the failure does something first react (DPD, BGP, a route move)?"),
                 "number"),
    "recover_s": (N_("How many seconds after the failure does traffic flow again in both directions?"), "number"),
}
PERSON_CHOICES = (N_("Yes: traffic stays down until a person acts"), N_("No: it recovers on its own"))

# Documented AWS tunnel log messages (https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html):
# the wrong choices of a "which line first" question come from here.
AWS_MESSAGES = (
    "AWS tunnel received DELETE for IKE_SA from CGW",
    "Peer is not responsive - Declaring peer dead",
    "AWS tunnel DPD timed out after 3 retransmits",
    "AWS tunnel is sending AUTHENTICATION_FAILED as the response",
    "No Proposal Match Found by AWS",
    "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key",
    "AWS-side peer received notification 6/4 (Cease/Administrative Reset) from neighbor",
)


class DrillSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,60}$")
    title: str = Field(min_length=3, max_length=120)
    scenario: str
    failures: list[str] = Field(min_length=1, max_length=6)
    question: QuestionKind
    choices: list[int] | None = Field(default=None, description="number questions asked as multiple choice")
    tolerance_s: int = Field(default=5, ge=0, le=600)
    time_limit_s: int = Field(default=60, ge=10, le=900)
    note: str = Field(default="", max_length=1000, description="what the facilitator wants the room to take away")

    @field_validator("choices")
    @classmethod
    def _choices(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and (len(v) < 2 or len(set(v)) != len(v)):
            raise ValueError("give at least two different numbers")
        return v


class DrillFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drills: list[dict[str, Any]]


def _first_aws_message(result: Any, after_s: int) -> str | None:
    for rec in result.snapshot.logs:
        details = rec.fields.get("details") if rec.fields else None
        if details and rec.time is not None and result.seconds(rec.time) >= after_s:
            return re.sub(r"\s+", " ", str(details))
    return None


def prepare(spec: DrillSpec) -> dict[str, Any]:
    """Simulate once and return the drill as stored: prompt, choices, answer, explanation, link.

    InputError when the scenario, a failure or the question cannot be answered by this run.
    """
    from lab.sim import load_scenario, parse_failure, simulate

    failures = [parse_failure(f) for f in spec.failures]
    result = simulate(spec.scenario, failures, duration_s=RUN_S)
    o = result.outcome
    first_at = min(f.at_s for f in failures)
    prompt, fmt = QUESTIONS[spec.question]
    choices: list[str] = []
    number: int | None = None
    answer: str
    if spec.question == "person_needed":
        choices = list(PERSON_CHOICES)
        answer = "0" if o.manual_action_required else "1"
    elif spec.question == "first_log_line":
        first = _first_aws_message(result, first_at)
        if first is None:
            raise InputError(t("{drill}: the AWS tunnel log writes nothing after the failure in this run; ask "
                               "another question", drill=spec.id))
        wrong = [m for m in AWS_MESSAGES if m != first and not _same_family(m, first)][:3]
        choices = sorted([first, *wrong])
        answer = str(choices.index(first))
    else:
        value = {
            "outage_to_onprem": o.outage_s["to_onprem"],
            "outage_to_aws": o.outage_s["to_aws"],
            "detect_s": o.detect_s,
            "recover_s": o.recover_s,
        }[spec.question]
        if value is None:
            raise InputError(t("{drill}: '{question}' has no answer in this run (nothing reacted, or traffic never "
                               "recovered); ask another question", drill=spec.id, question=spec.question))
        number = int(value)
        if spec.choices is not None:
            fmt = "choice"
            if number not in spec.choices:
                raise InputError(t("{drill}: the simulator's answer {number} s is not among the choices {choices}",
                                   drill=spec.id, number=number, choices=spec.choices))
            choices = [f"{c} s" for c in sorted(spec.choices)]
            answer = str(sorted(spec.choices).index(number))
        else:
            answer = str(number)
    steps = [f"t = {t} s: {text}" for t, text in o.explanation[:8]]
    explanation = " ".join([o.verdict, *([spec.note] if spec.note else [])])
    # The room may read several languages: the reveal shows each participant the simulator's words in theirs.
    explanations = {lang: " ".join([o.verdict_text(lang), *([data_text("drill.note", spec.note, lang)] if spec.note else [])])
                    for lang in LANGS}
    steps_by_lang = {lang: [f"t = {at} s: {render(text, lang)}" for at, text in o.explanation[:8]] for lang in LANGS}
    fail_q = "&".join(f"fail={quote(f.label(), safe=':@')}" for f in result.failures)
    return {
        "drill_id": spec.id,
        "title": spec.title,
        "scenario": spec.scenario,
        "scenario_title": load_scenario(spec.scenario).title,
        "failures": [f.label() for f in result.failures],
        "question": spec.question,
        "prompt": prompt,
        "format": fmt,
        "choices": choices,
        "answer": answer,
        "number": number,
        "tolerance_s": spec.tolerance_s if fmt == "number" else 0,
        "time_limit_s": spec.time_limit_s,
        "explanation": explanation,
        "explanations": explanations,
        "steps": steps,
        "steps_by_lang": steps_by_lang,
        "link": f"scenario={quote(spec.scenario)}&{fail_q}",
    }


def explanation_in(stored: dict[str, Any], lang: str) -> str:
    """The drill's explanation in `lang` (a drill saved before it carried its languages: as saved)."""
    return (stored.get("explanations") or {}).get(lang) or stored["explanation"]


def steps_in(stored: dict[str, Any], lang: str) -> list[str]:
    """The simulator's step-by-step account of the drill's run in `lang` (or as saved)."""
    return (stored.get("steps_by_lang") or {}).get(lang) or list(stored.get("steps") or [])


def failures_in(stored: dict[str, Any], lang: str) -> list[str]:
    """The drill's failure script in plain words in `lang`, the sentences of the scenario lab's failure list
    ("Customer gateway device down on cgw-a (Customer gateway A) at 60 s, until the end"); a failure that
    cannot be read is given as written."""
    from lab.sim import load_scenario, parse_failure
    from lab.sim.failures import failure_sentence

    try:
        design = load_scenario(str(stored.get("scenario")))
    except LabError:
        design = None
    out: list[str] = []
    for text in stored.get("failures") or []:
        try:
            out.append(render(failure_sentence(parse_failure(str(text)), design), lang))
        except LabError:
            out.append(str(text))
    return out


def _same_family(a: str, b: str) -> bool:
    """Two wordings of one event (IKEv1 and IKEv2 DPD) are not offered side by side."""
    dpd = ("Declaring peer dead", "DPD timed out")
    return any(x in a for x in dpd) and any(x in b for x in dpd)


def judge(stored: dict[str, Any], raw: str) -> tuple[str, bool]:
    """Normalize a participant's answer and say whether it is right. InputError for an unusable answer."""
    text = (raw or "").strip()
    if stored["format"] == "choice":
        if not text.isdigit() or not 0 <= int(text) < len(stored["choices"]):
            raise InputError(t("Pick one of the choices."))
        return str(int(text)), text == stored["answer"]
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise InputError(t("'{text}' is not a number of seconds.", text=text[:20])) from None
    if not 0 <= value <= 86_400:
        raise InputError(t("Give a number of seconds between 0 and 86400."))
    value_i = round(value)
    return str(value_i), abs(value_i - int(stored["answer"])) <= int(stored.get("tolerance_s", 0))


def answer_label(stored: dict[str, Any], answer: str | None) -> str:
    if answer is None:
        return ""
    if stored.get("format") == "choice":
        try:
            return str(stored["choices"][int(answer)])
        except (ValueError, IndexError, KeyError):
            return str(answer)
    return f"{answer} s"


def phase(drill: DrillRow, now: datetime) -> Literal["open", "closed", "revealed"]:
    if drill.revealed_at is not None:
        return "revealed"
    return "open" if now < drill.closes_at else "closed"


def seconds_left(drill: DrillRow, now: datetime) -> int:
    return max(0, int((drill.closes_at - now).total_seconds() + 0.999))


def distribution(stored: dict[str, Any], answers: Iterable[DrillAnswerRow]) -> list[tuple[str, int, bool]]:
    """(answer label, count, is right) in a stable order: every choice, or every number given."""
    counts = Counter(a.answer for a in answers)
    if stored["format"] == "choice":
        return [(c, counts.get(str(i), 0), str(i) == stored["answer"]) for i, c in enumerate(stored["choices"])]
    tol = int(stored.get("tolerance_s", 0))
    right = int(stored["answer"])
    return [(f"{v} s", n, abs(int(v) - right) <= tol) for v, n in sorted(counts.items(), key=lambda kv: int(kv[0]))]


# --- ready-made drills and lesson exercises -------------------------------------------------------------
def parse_drills(raw: Sequence[Any], display: str) -> tuple[list[DrillSpec], list[str]]:
    """Validate drill entries; problems are `drills[i].field: message` lines."""
    from pydantic import ValidationError

    from lab.sim import list_scenarios, load_scenario, parse_failure, valid_targets

    specs: list[DrillSpec] = []
    problems: list[str] = []
    scenarios = {s.id for s in list_scenarios()}
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"drills[{i}]"
        try:
            spec = DrillSpec.model_validate(item)
        except ValidationError as exc:
            problems += [f"{where}.{p}" for p in validation_problems(exc)]
            continue
        if spec.id in seen:
            problems.append(f"{where}.id: '{spec.id}' is used twice")
        seen.add(spec.id)
        if spec.scenario not in scenarios:
            problems.append(f"{where}.scenario: unknown scenario '{spec.scenario}' (valid: {', '.join(sorted(scenarios))})")
            continue
        for j, text in enumerate(spec.failures):
            try:
                f = parse_failure(text)
                if f.target and f.target not in valid_targets(load_scenario(spec.scenario), f.kind):
                    problems.append(f"{where}.failures[{j}]: no target '{f.target}' in {spec.scenario}")
                if not 0 <= f.at_s < RUN_S:
                    problems.append(f"{where}.failures[{j}]: starts outside the {RUN_S} s run")
            except LabError as exc:
                problems.append(f"{where}.failures[{j}]: {exc}")
        specs.append(spec)
    return specs, problems


@functools.cache
def ready_made(directory: Path = DRILLS_DIR) -> tuple[tuple[DrillSpec, dict[str, Any]], ...]:
    """The shipped drills with their computed answers; DataError naming every problem of every file."""
    out: list[tuple[DrillSpec, dict[str, Any]]] = []
    for path in sorted(directory.glob("*.yaml")):
        display = str(path.relative_to(PACKAGE_DIR.parent)) if path.is_relative_to(PACKAGE_DIR.parent) else str(path)
        data = load_yaml_model(DrillFile, path, display)
        specs, problems = parse_drills(data.drills, display)
        for spec in specs:
            try:
                out.append((spec, prepare(spec)))
            except LabError as exc:
                problems.append(f"{spec.id}: {exc}")
        if problems:
            raise DataError(display, problems)
    return tuple(out)


def catalogue(extra: Iterable[tuple[DrillSpec, dict[str, Any]]] = ()) -> list[tuple[str, DrillSpec, dict[str, Any]]]:
    """Every drill a facilitator can pick: (source, spec, prepared), ready-made first."""
    rows = [("ready-made", s, p) for s, p in ready_made()]
    rows += [("saved", s, p) for s, p in extra]
    return rows


@functools.cache
def exercise_drills(lang: str = "en") -> tuple[dict[str, Any], ...]:
    """The lessons' scenario-lab exercises, frozen like a prepared drill for a live class.

    The prompt, choices and explanation are the exercise's own (in the lesson's language); the right answer
    is computed by `lab.exercises` from the same simulation the lesson checks; the reveal link opens that
    run (with the exercise's options) in the scenario lab. Exercises that need another lab, another run
    length or a unit other than seconds stay lesson-only.
    """
    from urllib.parse import urlencode

    from lab.exercises import all_exercises, expected, expected_choice
    from lab.sim import load_scenario

    out: list[dict[str, Any]] = []
    for ex in all_exercises(lang):
        t = ex.target
        if t.lab != "scenario" or not t.scenario or t.duration_s != RUN_S or ex.unit not in ("", "s"):
            continue
        number: int | None = None
        if ex.kind == "number":
            number = round(float(expected(ex)))
            fmt, choices, answer = "number", [], str(number)
        else:
            index = expected_choice(ex)
            if index is None:  # a broken exercise: the content test names it; never ask a room about it
                continue
            fmt, choices, answer = "choice", [c.text for c in ex.choices], str(index)
        out.append({
            "drill_id": f"exercise-{ex.lesson}-{ex.id}",
            "title": ex.title,
            "scenario": t.scenario,
            "scenario_title": load_scenario(t.scenario).title,
            "failures": list(t.failures),
            "question": "exercise",
            "prompt": ex.question,
            "format": fmt,
            "choices": choices,
            "answer": answer,
            "number": number,
            "tolerance_s": int(ex.tolerance) if fmt == "number" else 0,
            "time_limit_s": 90,
            "explanation": ex.explanation,
            "steps": [],
            "link": urlencode(t.query_params(), doseq=True, safe=":@+"),
        })
    return tuple(out)
