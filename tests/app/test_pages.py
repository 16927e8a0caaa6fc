"""Every page in the registry opens without an exception and shows its heading."""

from __future__ import annotations

import pytest

from lab.ui.registry import PAGES, PageSpec
from tests.app.conftest import OpenPage


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_page_opens_with_its_heading(open_page: OpenPage, spec: PageSpec) -> None:
    at = open_page(spec.script)
    assert not at.exception, [e.value for e in at.exception]
    headings = [t.value for t in at.title]
    assert spec.heading in headings, headings


def test_home_links_every_section_that_exists(open_page: OpenPage) -> None:
    at = open_page()
    assert not at.exception
    links = [el.proto.label for el in at.get("page_link")]
    for spec in PAGES:
        if spec.url_path:
            assert spec.title in links


def test_home_offers_incident_replays_for_practice(open_page: OpenPage) -> None:
    at = open_page()
    replay_links = [el for el in at.get("page_link") if el.proto.label == "Incident replays"]
    assert replay_links and "replay=dpd-idle-tunnel" in replay_links[0].proto.query_string
