"""The learner's language comes back with their resume link, in a real browser.

A learner starts a profile on an English browser, picks Korean in the sidebar, and opens their resume link
on another device whose browser asks for English: the pages are Korean there too. Picking English on the
second device is kept as well. Screenshots at 1920x1080, 1400x900 and 390x844.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import choose, click_and_wait, context_for, save_shot, shoot_sizes, wait_idle

pytestmark = pytest.mark.e2e


def _pick(page: object, language: str) -> None:
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), language)  # type: ignore[attr-defined]


def test_language_follows_the_resume_link_to_a_new_device(page, app_url: str, tmp_path: Path) -> None:
    """Each device is the English browser window with its cookies cleared: what another device has (no cookie,
    so no learner until the resume link names one)."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{app_url}/progress")
    wait_idle(page)
    page.get_by_role("textbox", name="Display name").fill("Jisoo")
    click_and_wait(page, page.get_by_role("button", name="Save my progress"))
    link = page.get_by_test_id("stCode").inner_text().strip()
    assert "/progress?resume=" in link
    _pick(page, "한국어")
    page.get_by_role("heading", name="내 진도", exact=True).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0

    # Another device, an English browser: the resume link brings the Korean pages back.
    page.context.clear_cookies()
    page.goto(link)
    wait_idle(page)
    page.get_by_role("heading", name="내 진도", exact=True).wait_for()
    page.get_by_text("Jisoo", exact=False).first.wait_for()
    assert "resume=" not in page.url  # the token leaves the address bar once read
    shoot_sizes(page, tmp_path, "resume-link-korean")
    page.get_by_test_id("stSidebarNav").get_by_text("레슨", exact=True).click()
    wait_idle(page)
    page.get_by_role("heading", name="레슨", exact=True).wait_for()

    # A pick on the second device is the learner's new choice: a third device follows it.
    _pick(page, "English")
    page.get_by_role("heading", name="Lessons", exact=True).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0
    page.context.clear_cookies()
    page.goto(link)
    wait_idle(page)
    page.get_by_role("heading", name="My progress", exact=True).wait_for()
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_visitor_without_a_profile_still_gets_the_browser_language(browser_contexts, app_url: str,
                                                                     tmp_path: Path) -> None:
    korean_browser = context_for(browser_contexts, None, "ko-KR", viewport={"width": 1400, "height": 900},
                                 locale="ko-KR")
    with korean_browser.tab() as page:  # no cookie: no profile
        page.goto(f"{app_url}/progress")
        wait_idle(page)
        try:
            page.get_by_role("heading", name="내 진도", exact=True).wait_for()
        except Exception:
            save_shot(page, tmp_path, "visitor-language-failure")
            raise
