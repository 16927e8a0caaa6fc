"""Real browser: every registered page renders its heading with no exception; a lesson's quiz works, its Next
button opens the next lesson at its top, its table of contents points at its headings. (An unknown lesson's
message: tests/app/test_lessons_page.py, and with a hostile id in tests/e2e/test_injection.py.)"""

from __future__ import annotations

import pytest

from lab.ui.registry import PAGES, PageSpec
from tests.e2e.conftest import click_and_wait, follow_link, settle, wait_idle
from tests.e2e.test_screens import HEADINGS

pytestmark = pytest.mark.e2e

# How far the page is scrolled (the app scrolls inside its main area).
TOP_OFFSET = ("Math.max(window.scrollY, ...Array.from(document.querySelectorAll("
              "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"]')).map(e => e.scrollTop))")


# Pages that test_screens.py opens as their link does are checked there (heading, no exception, screenshots
# at every size): the others here.
OTHER_PAGES = [spec for spec in PAGES if spec.url_path not in HEADINGS]


@pytest.mark.parametrize("spec", OTHER_PAGES, ids=lambda s: s.url_path or "home")
def test_page_renders_heading_without_exception(app_url, page, shoot, spec: PageSpec) -> None:
    page.goto(f"{app_url}/{spec.url_path}")
    wait_idle(page)
    page.get_by_role("heading", name=spec.heading, exact=True).first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot(f"page-{spec.url_path or 'home'}")


def test_lesson_quiz_gives_feedback_and_the_next_lesson_opens_at_its_top(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons?lesson=what-is-a-vpn")
    wait_idle(page)
    page.get_by_role("heading", name="What a VPN is").first.wait_for()
    page.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
    page.get_by_text("It gives private connectivity over a shared public network", exact=False).first.click()
    page.get_by_text("Correct at the first try.").first.wait_for()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("lesson-quiz")

    button = page.get_by_role("button", name="Next:", exact=False)
    button.scroll_into_view_if_needed()
    click_and_wait(page, button)
    page.get_by_role("heading", name="The three kinds of VPN").first.wait_for()
    # The new lesson comes to the top, and stays there once the page has drawn itself.
    page.wait_for_function(f"() => {TOP_OFFSET} === 0")
    settle(page)
    assert page.evaluate(TOP_OFFSET) == 0


def test_table_of_contents_links_have_targets(app_url, page) -> None:
    """Every "On this page" link points at an element with that id (headings like "IKEv1" included)."""
    from lab.lessons import load_catalog

    for n, lesson_id in enumerate(["ipsec-vs-ssl", "monitoring"]):
        lesson = load_catalog().get(lesson_id)
        assert lesson is not None
        if n == 0:
            page.goto(f"{app_url}/lessons?lesson={lesson_id}")
            wait_idle(page)
        else:  # the next lesson's link, in the same visit
            follow_link(page, f"/lessons?lesson={lesson_id}")
        page.get_by_role("heading", name=lesson.title).first.wait_for()
        missing = [h.anchor for h in lesson.toc if page.locator(f'[id="{h.anchor}"]').count() == 0]
        assert not missing, lesson_id
