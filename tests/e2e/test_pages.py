"""Real browser: every registered page renders its heading with no exception; a lesson's quiz works."""

from __future__ import annotations

import pytest

from lab.ui.registry import PAGES, PageSpec
from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_page_renders_heading_without_exception(app_url, page, shoot, spec: PageSpec) -> None:
    page.goto(f"{app_url}/{spec.url_path}")
    wait_idle(page)
    page.get_by_role("heading", name=spec.heading, exact=True).first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot(f"page-{spec.url_path or 'home'}")


def test_lesson_quiz_gives_feedback_in_the_browser(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons?lesson=what-is-a-vpn")
    wait_idle(page)
    page.get_by_role("heading", name="What a VPN is").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    page.get_by_text("It gives private connectivity over a shared public network", exact=False).first.click()
    page.get_by_text("Correct.").first.wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("lesson-quiz")


def test_unknown_lesson_link_shows_message(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons?lesson=does-not-exist")
    wait_idle(page)
    page.get_by_text("There is no lesson with the id 'does-not-exist'").wait_for()
    page.get_by_role("heading", name="Lessons", exact=True).wait_for()
    shoot("lesson-unknown")
