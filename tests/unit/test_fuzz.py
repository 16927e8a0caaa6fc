"""Property-based fuzzing (Hypothesis) of everything that reads outside input: the log analyzer, the lesson
front-matter loader and every YAML data loader.

Inputs are generated three ways: text from an alphabet heavy in the syntax that matters (YAML and log
punctuation), random JSON-like structures dumped as YAML, and the project's real files with random
cuts and insertions. The only exception allowed out is the project's own `LabError`; every example
must finish in bounded time, and the run must not grow the process's memory without bound. Each target
gets 100 examples in the suite, with deadlines off, so the suite stays fast on a slow machine; set
VPNLAB_FUZZ_EXAMPLES (e.g. 5000) for a longer hunt.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lab import DATASETS_DIR, LESSONS_DIR
from lab.analyzer import FORMATS, analyze_bytes, analyze_text
from lab.analyzer.diagnosis import causes
from lab.analyzer.patterns import load_file as load_patterns_file
from lab.errors import LabError
from lab.facts import load_facts
from lab.facts.audit import load_rules
from lab.lessons import load_lesson
from lab.lessons.curriculum import load_outline
from lab.lessons.glossary import load_glossary
from lab.masking import mask_secrets
from lab.replay import load_incident
from lab.schema import load_yaml_model
from lab.sim.scenarios import load_scenario_file
from lab.triage.tree import load_tree_file

DATA = Path(__file__).resolve().parents[2] / "lab" / "data"
FUZZ = settings(
    max_examples=int(os.environ.get("VPNLAB_FUZZ_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
    database=None,
)
EXAMPLE_SECONDS = 20  # generous: a slow, shared machine must not fail the suite; a hang or blow-up still does

SYNTAX = list("abcXYZ019 \t\n:-_[]{}&*!|>#'\",.?%@`~=\\/") + ["\u00e9", "\u2028", "\x00", "\r\n", "---", "...", "- ", ": "]
syntax_text = st.lists(st.sampled_from(SYNTAX), max_size=400).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
structures = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=30,
)
dumped = structures.map(lambda value: yaml.safe_dump(value, allow_unicode=True))


def _mutated(original: str) -> st.SearchStrategy[str]:
    """The real text with a random slice removed and random syntax inserted."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        start = draw(st.integers(0, len(original)))
        end = draw(st.integers(start, min(len(original), start + 200)))
        return original[:start] + draw(syntax_text) + original[end:]

    return build()


def _bounded(fn: Callable[[], Any]) -> None:
    start = time.perf_counter()
    with contextlib.suppress(LabError):
        fn()
    assert time.perf_counter() - start < EXAMPLE_SECONDS


@pytest.fixture(scope="module", autouse=True)
def _memory_stays_bounded() -> Any:
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    yield
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 512, f"peak memory grew by {grown_mb:.0f} MB during fuzzing"


# --- the log analyzer ------------------------------------------------------------------------------

_REAL_LINES = [
    line
    for path in sorted((DATASETS_DIR / "samples").glob("*.*"))
    if path.suffix in (".log", ".jsonl")
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
log_text = st.lists(st.sampled_from(_REAL_LINES) | syntax_text | st.text(max_size=200), max_size=40).map("\n".join)


@FUZZ
@given(text=log_text, fmt=st.sampled_from(["auto", *FORMATS]))
def test_analyzer_on_generated_text(text: str, fmt: str) -> None:
    def run() -> None:
        analysis = analyze_text(text, fmt)
        for finding in analysis.findings:
            assert mask_secrets(finding.text) == finding.text, "findings are already masked"
        analysis.to_json()

    _bounded(run)


@FUZZ
@given(data=st.binary(max_size=2000) | log_text.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_analyzer_on_generated_bytes(data: bytes) -> None:
    _bounded(lambda: analyze_bytes(data, "auto", "The upload"))


# --- lesson front matter -------------------------------------------------------------------------

_LESSON = next(iter(sorted((LESSONS_DIR / "en").glob("*.md"))))
_LESSON_TEXT = _LESSON.read_text(encoding="utf-8")
_FRONT, _BODY = _LESSON_TEXT.split("\n---\n", 1)[0].removeprefix("---\n"), _LESSON_TEXT.split("\n---\n", 1)[1]


@FUZZ
@given(front=syntax_text | dumped | _mutated(_FRONT))
def test_lesson_front_matter_loader(tmp_path_factory: pytest.TempPathFactory, front: str) -> None:
    # One file rewritten by every example (a new numbered folder per example costs more than the load).
    folder = tmp_path_factory.getbasetemp() / "fuzz-lessons" / "en"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / _LESSON.name
    path.write_text(f"---\n{front}\n---\n{_BODY}", encoding="utf-8", errors="surrogatepass")
    _bounded(lambda: load_lesson(path))


# --- every YAML data loader --------------------------------------------------------------------------


_INCIDENT = DATASETS_DIR / "incidents" / "dpd-idle-tunnel"


def _incident(path: Path) -> Any:
    """The real incident folder (logs, metrics) with the fuzzed incident.yaml."""
    folder = path.parent / "incident"
    if not folder.exists():
        shutil.copytree(_INCIDENT, folder)
    shutil.copy(path, folder / "incident.yaml")
    return load_incident(folder)


LOADERS: dict[str, tuple[Callable[[Path], Any], Path]] = {
    "facts": (load_facts, DATA / "facts.yaml"),
    "glossary": (load_glossary, DATA / "glossary.yaml"),
    "outline": (load_outline, DATA / "outline.yaml"),
    "audit rules": (load_rules, DATA / "audit" / "rules.yaml"),
    "categories": (lambda p: load_yaml_model(causes._File, p), DATA / "categories.yaml"),
    "patterns": (load_patterns_file, DATA / "patterns" / "10-aws.yaml"),
    "tree": (load_tree_file, DATA / "trees" / "tunnel-down.yaml"),
    "scenario": (load_scenario_file, DATA / "scenarios" / "s1.yaml"),
    "incident": (_incident, _INCIDENT / "incident.yaml"),
}


@pytest.mark.parametrize("name", LOADERS)
def test_yaml_loader(name: str, tmp_path_factory: pytest.TempPathFactory) -> None:
    loader, real = LOADERS[name]
    original = real.read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp(name.replace(" ", "-")) / real.name  # rewritten by every example

    @FUZZ
    @given(text=syntax_text | dumped | _mutated(original))
    def check(text: str) -> None:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _bounded(lambda: loader(path))

    check()
