"""The glossary loads and validates its data, searches, and explains the first use of a term on hover."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.errors import DataError
from lab.lessons.glossary import annotate_html, glossary, load_glossary

VALID = """\
terms:
  - term: IKE
    expansion: Internet Key Exchange
    definition: Negotiates keys on {{fact:ike_udp_port}}.
    lesson: ipsec-vs-ssl
    source: https://www.rfc-editor.org/rfc/rfc7296
  - term: IKE_SA
    expansion: IKE Security Association
    definition: The parent "SA" of IKEv2.
    lesson: ike-sa-and-startup-action
  - term: Route propagation
    expansion: VPC route table route propagation
    definition: Adds VPN routes to a route table.
    lesson: high-availability
    aliases: [route propagation]
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "glossary.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def small(tmp_path: Path):
    return load_glossary(_write(tmp_path, VALID))


def test_shipped_glossary_loads() -> None:
    assert len(glossary().terms) >= 30


def test_fact_references_in_definitions_are_substituted(small) -> None:
    assert small.get("IKE").definition == "Negotiates keys on UDP port 500."


def test_every_problem_in_a_bad_file_is_reported_at_once(tmp_path: Path) -> None:
    bad = VALID.replace("{{fact:ike_udp_port}}", "{{fact:no_such_fact}}").replace(
        "https://www.rfc-editor.org/rfc/rfc7296", "http://example.com"
    ) + "  - term: ike\n    expansion: x\n    definition: y\n    lesson: Not An Id\n    aliases: [IKE]\n"
    with pytest.raises(DataError) as err:
        load_glossary(_write(tmp_path, bad))
    text = str(err.value)
    assert "no_such_fact" in text and "not an https URL" in text and "not a lesson id" in text
    assert "already used by 'IKE'" in text


def test_unknown_key_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="colour: unknown key"):
        load_glossary(_write(tmp_path, VALID.replace("    lesson: high-availability", "    lesson: high-availability\n    colour: red")))


def test_search_matches_term_alias_expansion_and_definition(small) -> None:
    assert [t.term for t in small.search("exchange")] == ["IKE"]
    assert [t.term for t in small.search("ROUTE propagation")] == ["Route propagation"]
    assert len(small.search("")) == 3
    assert small.search("nothing like this") == []


def test_first_use_gets_a_hover_and_later_uses_do_not(small) -> None:
    seen: set[str] = set()
    out = annotate_html("<p>IKE builds keys. IKE again.</p>", small, seen)
    assert out.count("<abbr") == 1 and 'title="Internet Key Exchange: Negotiates keys on UDP port 500."' in out
    assert "IKE" in seen
    assert "<abbr" not in annotate_html("<p>IKE in the next block.</p>", small, seen)


def test_longer_term_wins_and_parts_of_words_never_match(small) -> None:
    out = annotate_html("<p>The IKE_SA of IKEv2 and a BIKE.</p>", small, set())
    assert '">IKE_SA</abbr>' in out
    assert out.count("<abbr") == 1  # not "IKE" inside IKE_SA, IKEv2 or BIKE
    assert out.endswith("of IKEv2 and a BIKE.</p>")


def test_code_links_and_headings_are_left_alone(small) -> None:
    html = '<h2>IKE</h2><p><code>IKE</code> <a href="https://x.example">IKE</a></p>'
    assert annotate_html(html, small, set()) == html


def test_ordinary_words_match_in_any_case_and_titles_are_escaped(small) -> None:
    out = annotate_html("<p>Turn on Route Propagation. The IKE_SA.</p>", small, set())
    assert '">Route Propagation</abbr>' in out
    assert "&quot;SA&quot;" in out


def test_plural_acronym_gets_the_singular_definition(small) -> None:
    out = annotate_html("<p>Two IKE_SAs.</p>", small, set())
    assert '">IKE_SAs</abbr>' in out
