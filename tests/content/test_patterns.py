"""Every log pattern proves itself: its match samples match, its no_match samples do not."""

from __future__ import annotations

import re._constants as sre  # the regex parser's own node names
import re._parser as sre_parse
from pathlib import Path
from typing import Any

import pytest

from lab.analyzer import FORMATS, analyze_text, load_patterns
from lab.analyzer.diagnosis import categories
from lab.analyzer.model import CATEGORIES
from lab.analyzer.patterns import load_file, unguarded_starts
from lab.analyzer.prefilter import Prefilter, keyword_in
from lab.analyzer.scan import Scanner
from lab.errors import DataError
from lab.triage.tree import resolve

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


def test_a_regex_python_warns_about_is_refused_with_the_warning(tmp_path: Path) -> None:
    # "[[" in a set: a later Python reads a nested set there, so the pattern could change its meaning
    bad = tmp_path / "ambiguous.yaml"
    bad.write_text("""
patterns:
  - id: ambiguous
    formats: [strongswan]
    keyword: abc
    regex: 'abc[[x]'
    event: dpd_dead
    explanation: a set that starts with a bracket
    source: https://example.org/
    samples: {match: ['abc['], no_match: [abd]}
""", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_file(bad)
    assert "regex is ambiguous: Possible nested set" in str(err.value)


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


def test_a_regex_that_a_long_line_makes_slow_is_refused(tmp_path: Path) -> None:
    """A repeat of a character class at the start of an alternative is tried at every position of a long run
    of such characters (a second a pattern for 20,000 characters): the file is refused, with the fix."""
    bad = tmp_path / "slow.yaml"
    bad.write_text(
        """
patterns:
  - id: slow-start
    formats: [libreswan]
    keyword: SA expired
    regex: 'xauth failed|(?P<sa>\\S+) SA expired'
    event: rekey_failed
    explanation: the second alternative starts with a repeated class
    source: https://example.org/
    samples: {match: ['"c" #2: IPsec SA expired'], no_match: ['IPsec SA established']}
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_file(bad)
    assert "slow-start: alternative 2 starts with a repeated character class" in str(err.value)
    assert "(?<!\\S)" in str(err.value)


@pytest.mark.parametrize(("regex", "where"), [
    (r"(?P<sa>\S+) SA expired", ["the pattern"]),
    (r"BADOPEN|[0-9a-f.:]{7,} bad OPEN", ["alternative 2"]),
    (r"(?:gone|.* left)", ["alternative 2"]),
    (r"peer (?:gone|.* left)", []),
    (r"(?<!\S)(?P<sa>\S+) SA expired", []),
    (r"SA (?P<sa>\S+) expired", []),
    (r"\d{1,3} retransmits", []),
])
def test_unguarded_starts(regex: str, where: list[str]) -> None:
    assert unguarded_starts(regex) == where


@pytest.mark.parametrize("pattern", [p for p in load_patterns() if "(?<!" in p.regex.pattern and p.match_samples],
                         ids=lambda p: p.id)
def test_a_guarded_pattern_reads_its_sample_after_a_long_token(pattern) -> None:
    """The lookbehind keeps the match where it was: a sample's line after a 70,000-character token (a pasted
    blob) still matches, with the same groups."""
    sample = pattern.match_samples[0]
    short = pattern.regex.search(sample)
    long = pattern.regex.search("b" * 70_000 + " " + sample)
    assert short and long and long.groupdict() == short.groupdict()


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


def _candidate(line: str) -> bool:
    """Whether the scanner's prefilter, built from every pattern keyword, lets the line through."""
    return bool(_PREFILTER.lines(line.encode("utf-8")))


_PREFILTER = Prefilter([k for p in PATTERNS for k in p.keywords])


def test_every_match_sample_passes_the_prefilter_and_is_read_alone() -> None:
    """Each sample line is a prefilter candidate, and read alone by the analyzer's scanner (in its
    pattern's format; informational lines give events, not findings) it is an event of its pattern;
    every failure is listed at once."""
    failures = []
    for p in PATTERNS:
        for line in p.match_samples:
            if not _candidate(line):
                failures.append(f"{p.file}: {p.id}: not a prefilter candidate: {line}")
            elif p.id not in _read_as(line, p.formats[0]):
                failures.append(f"{p.file}: {p.id}: no event of this pattern: {line}")
    assert not failures, "\n".join(failures)


_CLASS_CHAR = {
    sre.CATEGORY_DIGIT: "1", sre.CATEGORY_NOT_DIGIT: "x", sre.CATEGORY_SPACE: " ",
    sre.CATEGORY_NOT_SPACE: "x", sre.CATEGORY_WORD: "a", sre.CATEGORY_NOT_WORD: " ",
}
_MAX_STRINGS = 256


def _strings(items: list[tuple[Any, Any]]) -> list[str]:
    """Short strings a parsed regex can match, one for every combination of its alternatives (capped):
    each branch taken, each optional part both present and absent, a repeat once, a class by one of
    its characters."""
    out = [""]
    for op, av in items:
        out = [a + b for a in out for b in _node(op, av)][:_MAX_STRINGS]
    return out


def _node(op: Any, av: Any) -> list[str]:
    if op is sre.LITERAL:
        return [chr(av)]
    if op is sre.NOT_LITERAL:
        return [" " if av != ord(" ") else "x"]
    if op is sre.ANY:
        return [" "]
    if op is sre.CATEGORY:
        return [_CLASS_CHAR[av]]
    if op is sre.IN:
        if av[0][0] is sre.NEGATE:
            return ["x" if any(o is sre.LITERAL and a == ord(" ") for o, a in av) else " "]
        o, a = av[0]
        return [chr(a) if o is sre.LITERAL else chr(a[0]) if o is sre.RANGE else _CLASS_CHAR[a]]
    if op is sre.BRANCH:
        return [s for branch in av[1] for s in _strings(list(branch))][:_MAX_STRINGS]
    if op is sre.SUBPATTERN:
        return _strings(list(av[-1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, high, sub = av
        inner = _strings(list(sub))
        if low == 0:
            return ["", *inner] if high == 1 else inner  # optional: with and without; a star: once
        return [s * low for s in inner]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return [""]
    raise AssertionError(f"regex construct {op} not handled")


def test_every_regex_alternative_carries_a_keyword() -> None:
    """A line written for any alternative of a pattern's regex (nested ones too) contains one of the
    pattern's keywords; otherwise the prefilter would drop it before the regex could fire."""
    failures = []
    for p in PATTERNS:
        for text in _strings(list(sre_parse.parse(p.regex.pattern, p.regex.flags))):
            if p.regex.search(text) and not any(keyword_in(k, text) for k in p.keywords):
                failures.append(f"{p.file}: {p.id}: {text!r}")
    assert not failures, "alternatives no keyword reaches:\n" + "\n".join(failures)
