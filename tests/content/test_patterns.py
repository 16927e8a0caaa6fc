"""Every log pattern proves itself: its match samples match, its no_match samples do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import FORMATS, analyze_text, load_patterns
from lab.analyzer.diagnosis import categories
from lab.analyzer.model import CATEGORIES
from lab.analyzer.patterns import load_file
from lab.analyzer.prefilter import keyword_in
from lab.analyzer.scan import Scanner
from lab.errors import DataError
from lab.tree import resolve

PATTERNS = load_patterns()


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_match_samples_match(pattern) -> None:
    for line in pattern.match_samples:
        assert pattern.regex.search(line), f"{pattern.id} should match {line!r}"
        assert any(keyword_in(k, line) for k in pattern.keywords), f"{pattern.id}: no keyword in {line!r}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_no_match_samples_do_not_match(pattern) -> None:
    for line in pattern.no_match_samples:
        assert not pattern.regex.search(line), f"{pattern.id} should not match {line!r}"


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_pattern_cites_a_public_source(pattern) -> None:
    assert pattern.source.startswith(("https://", "http://"))


@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.tree_node], ids=lambda p: p.id)
def test_pattern_tree_node_resolves(pattern) -> None:
    assert resolve(pattern.tree_node).ref == pattern.tree_node


def test_every_format_has_patterns() -> None:
    covered = {f for p in PATTERNS for f in p.formats}
    assert covered == set(FORMATS)


def test_every_category_has_a_pattern_and_a_tree_node() -> None:
    """Some pattern's sample line, read alone, is diagnosed as each category; each category has a node."""
    seen = set()
    for p in PATTERNS:
        for line in p.match_samples:
            primary = analyze_text(line).primary
            if primary:
                seen.add(primary.category)
    assert seen == set(CATEGORIES)
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
    event: dpd_dead
    explanation: this regex does not compile
    source: https://example.org/
    samples: {match: [a], no_match: [b]}
  - id: no-samples
    formats: [nowhere]
    keyword: abc
    regex: abc
    event: nothing
    explanation: an unknown format and event
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
    event: dpd_probe
    explanation: the match sample does not match the regex
    source: https://example.org/
    samples: {match: ['received DPD reply'], no_match: ['sending DPD request']}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_file(bad)
    assert "match sample does not match" in str(err.value)
    assert "no_match sample matches" in str(err.value)


def _read_as(line: str, fmt: str = "auto") -> list[str]:
    scanner = Scanner(fmt)
    scanner.feed(line)
    return [ev.pattern for ev in scanner.result().events]


@pytest.mark.parametrize("pattern", PATTERNS, ids=lambda p: p.id)
def test_analyzer_reads_every_match_sample_with_its_pattern(pattern) -> None:
    """Detected automatically, or with the pattern's own format chosen, no earlier pattern shadows a sample."""
    for line in pattern.match_samples:
        assert _read_as(line) == [pattern.id], line
        assert _read_as(line, pattern.formats[0]) == [pattern.id], line
