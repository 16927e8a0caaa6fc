"""Real browser: a lesson's figures render as plotly charts, glossary terms explain themselves on hover,
the curriculum map opens on the Lessons page, and the Glossary page searches."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e


def test_lesson_figures_render_in_the_browser(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons?lesson=high-availability")
    wait_idle(page)
    page.get_by_role("heading", name="High availability: from one connection to BGP failover and ECMP").first.wait_for()
    charts = page.locator('[data-testid="stPlotlyChart"] .main-svg')
    charts.first.wait_for()
    # The lesson draws its figures one after another: wait for all six, do not count them once.
    expect(page.locator('[data-testid="stPlotlyChart"]')).to_have_count(6, timeout=90_000)
    # the diagram's own words are drawn into the SVG, not only colours
    page.locator('[data-testid="stPlotlyChart"]').first.get_by_text("Does not survive", exact=False).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("curriculum-lesson-figures")


def test_curriculum_map_opens_a_lesson_whose_figure_and_glossary_hover_work(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons")
    wait_idle(page)
    page.get_by_text("Curriculum map", exact=False).first.click()
    page.get_by_text("Case study: support cases", exact=False).first.wait_for()
    link = page.get_by_role("button", name="7. Case 1: the tunnel that keeps going down (dead peer detection)").first
    link.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("curriculum-map")
    link.click()  # same tab, same session
    page.get_by_role("heading", name="Case 1: the tunnel that keeps going down (dead peer detection)").first.wait_for()
    page.wait_for_url("**lesson=dead-peer-detection**")
    wait_idle(page)
    # The lesson's timeline figure draws; its glossary terms explain themselves on hover.
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    term = page.locator('abbr.vpnlab-term[title^="Dead Peer Detection:"]').first
    term.wait_for()
    term.hover()
    assert "30 seconds" in (term.get_attribute("title") or "")
    page.get_by_text("The default is documented two ways", exact=False).first.wait_for()
    shoot("curriculum-dpd-lesson")


def test_glossary_page_searches(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/glossary")
    wait_idle(page)
    page.get_by_role("heading", name="Glossary", exact=True).wait_for()
    box = page.get_by_role("textbox", name="Search the glossary")
    box.fill("startup")
    box.press("Enter")
    # the list shrinks to the matching terms: BGP's entry goes away, the startup action stays
    page.get_by_text("Border Gateway Protocol", exact=False).first.wait_for(state="detached")
    wait_idle(page)
    page.get_by_text("Who starts IKE for a new or modified tunnel", exact=False).first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("curriculum-glossary")
