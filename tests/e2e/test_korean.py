"""The app in Korean in a real browser: every page with ?lang=ko, the browser's language on a first visit, the
picker; screenshots at 1920x1080, 1400x900 and 390x844 (Korean text must render in a CJK font, not boxes)."""

from __future__ import annotations

import pytest

from lab import i18n
from lab.ui.registry import PAGES, PageSpec
from tests.e2e.conftest import choose, wait_idle

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1920, 1080), "laptop": (1400, 900), "phone": (390, 844)}


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_every_page_in_korean(app_url, page, shoot, spec: PageSpec) -> None:
    page.goto(f"{app_url}/{spec.url_path}?lang=ko")
    wait_idle(page)
    page.get_by_role("heading", name=i18n.t(spec.heading, "ko"), exact=True).first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0
    nav = page.get_by_test_id("stSidebarNav")
    for other in PAGES:  # the navigation is Korean too
        assert nav.get_by_text(i18n.t(other.title, "ko"), exact=True).count() >= 1
    for name, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        shoot(f"ko-{spec.url_path or 'home'}-{name}")


def test_browser_language_chooses_korean_on_the_first_visit(browser, app_url) -> None:
    context = browser.new_context(locale="ko-KR", viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{app_url}/glossary")
        wait_idle(page)
        page.get_by_role("heading", name="용어집", exact=True).wait_for()
        page.get_by_placeholder("예: DPD, 시작 작업, 169.254").fill("DPD")
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_text("데드 피어 감지(Dead Peer Detection)", exact=False).first.wait_for()
    finally:
        context.close()


def test_picker_switches_to_korean_and_back(app_url, page, shoot) -> None:
    page.goto(f"{app_url}/lessons")
    wait_idle(page)
    page.get_by_role("heading", name="Lessons", exact=True).wait_for()
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), "한국어")
    page.get_by_role("heading", name="레슨", exact=True).wait_for()
    shoot("ko-picker-lessons")
    page.get_by_test_id("stSidebarNav").get_by_text("트러블슈터", exact=True).click()
    wait_idle(page)
    page.get_by_role("heading", name="트러블슈터", exact=True).wait_for()  # kept for the session
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), "English")
    page.get_by_role("heading", name="Troubleshooter", exact=True).wait_for()
