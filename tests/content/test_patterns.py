"""Every log pattern proves itself: its match samples match, its no_match samples do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import FORMATS, analyze_text, load_patterns
from lab.analyzer.diagnosis import categories
from lab.analyzer.model import CATEGORIES
from lab.analyzer.patterns import load_file
from lab.errors import DataError
from lab.triage.tree import resolve

PATTERNS = load_patterns()


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_match_samples_match(pattern) -> None:
    for line in pattern.match_samples:
        assert pattern.regex.search(line), f"{pattern.id} should match {line!r}"
        assert pattern.keyword in line, f"{pattern.id}: keyword {pattern.keyword!r} missing from {line!r}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_no_match_samples_do_not_match(pattern) -> None:
    for line in pattern.no_match_samples:
        assert not pattern.regex.search(line), f"{pattern.id} should not match {line!r}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_pattern_cites_a_public_source(pattern) -> None:
    assert pattern.source.startswith(("https://", "http://"))


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.category], ids=lambda p: p.id)
def test_pattern_tree_node_resolves(pattern) -> None:
    assert resolve(pattern.tree_node).ref == pattern.tree_node


def test_every_format_has_patterns() -> None:
    covered = {f for p in PATTERNS for f in p.formats}
    assert covered == set(FORMATS)


def test_every_category_has_a_pattern_and_a_tree_node() -> None:
    assert {p.category for p in PATTERNS if p.category} == set(CATEGORIES)
    for cat in categories().values():
        assert resolve(cat.tree_node)


def test_pattern_ids_are_unique() -> None:
    ids = [p.id for p in PATTERNS]
    assert len(ids) == len(set(ids))


def test_invalid_pattern_file_names_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        """
patterns:
  - id: broken
    formats: [strongswan]
    keyword: xyz
    regex: '(unclosed'
    category: dpd_timeout
    phase: DPD
    explanation: this regex does not compile
    tree_node: tunnel-down/dpd-peer-alive
    source: https://example.org/
    samples: {match: [a], no_match: [b]}
  - id: no-samples
    formats: [nowhere]
    keyword: abc
    regex: abc
    category: nothing
    phase: DPD
    explanation: an unknown format and category
    source: https://example.org/
    unknown_key: 1
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_file(bad)
    text = str(err.value)
    assert "bad.yaml" in text
    assert "does not compile" in text
    assert "formats" in text and "samples" in text and "unknown_key" in text


def test_sample_that_does_not_match_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "wrong.yaml"
    bad.write_text(
        """
patterns:
  - id: wrong-sample
    formats: [strongswan]
    keyword: DPD
    regex: 'sending DPD request'
    category: dpd_timeout
    phase: DPD
    explanation: the match sample does not match the regex
    tree_node: tunnel-down/dpd-peer-alive
    source: https://example.org/
    samples: {match: ['received DPD reply'], no_match: ['sending DPD request']}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_file(bad)
    assert "match sample does not match" in str(err.value)
    assert "no_match sample matches" in str(err.value)


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.category and p.decisive], ids=lambda p: p.id)
def test_analyzer_finds_every_match_sample(pattern) -> None:
    """Detected automatically, or with the pattern's own format chosen, each sample becomes a finding."""
    for line in pattern.match_samples:
        assert pattern.id in {f.pattern for f in analyze_text(line).findings}, line
        assert pattern.id in {f.pattern for f in analyze_text(line, pattern.formats[0]).findings}, line
