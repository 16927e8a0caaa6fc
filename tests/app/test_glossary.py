"""The Glossary page: every term listed, search that filters, deep link by term, clear empty result."""

from __future__ import annotations

from lab.lessons.glossary import glossary
from tests.app.conftest import OpenPage

PAGE = "ui/pages/glossary.py"


def _count(at) -> str:
    return next(c.value for c in at.caption if " of " in c.value and c.value.endswith("terms"))


def test_glossary_lists_every_term(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Glossary"
    total = len(glossary().terms)
    assert _count(at) == f"{total} of {total} terms"
    assert any(m.value == "**DPD** - Dead Peer Detection" for m in at.markdown)


def test_search_filters_terms_and_keeps_the_query(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.text_input(key="glossary-search").input("startup action").run()
    assert not at.exception
    assert _count(at).startswith("1 of ") or _count(at).startswith("2 of ")
    assert any(m.value.startswith("**Startup action**") for m in at.markdown)
    assert at.text_input(key="glossary-search").value == "startup action"


def test_entry_links_to_its_lesson_and_source(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.text_input(key="glossary-search").input("APIPA").run()
    links = [el.proto for el in at.get("page_link")]
    assert [link.label for link in links] == ["Taught in lesson 10: Hands-on: a VPN between AWS and Azure"]
    assert links[0].page.endswith("lessons")
    caption = next(c.value for c in at.caption if "Official source" in c.value)
    assert "https://learn.microsoft.com/azure/vpn-gateway/vpn-gateway-howto-aws-bgp" in caption


def test_no_match_says_so(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.text_input(key="glossary-search").input("qwertyuiop").run()
    assert not at.exception
    assert "No term matches `qwertyuiop`" in at.info[0].value


def test_term_query_parameter_prefills_the_search(open_page: OpenPage) -> None:
    at = open_page(PAGE, term="TunnelState")
    assert not at.exception
    assert at.text_input(key="glossary-search").value == "TunnelState"
    assert any(m.value.startswith("**TunnelState**") for m in at.markdown)


def test_an_a_to_z_index_jumps_to_each_letter_group(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    index = next(m.value for m in at.markdown if m.value.startswith("Jump to a letter:"))
    letters = {t.term[:1].upper() for t in glossary().terms}
    assert "[D](#letter-d)" in index and "[I](#letter-i)" in index
    assert all(f":gray[{c}]" in index for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in letters)
    headings = [h.value for h in at.subheader]
    assert "D" in headings and headings.index("D") < headings.index("I")
    at.text_input(key="glossary-search").input("startup action").run()
    found = {m.value[2] for m in at.markdown if m.value.startswith("**")}
    assert [h.value for h in at.subheader] == sorted(found), "only the letters of the terms found"
