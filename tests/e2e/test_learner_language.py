"""The learner's language comes back with their resume link, in a real browser.

A learner starts a profile on an English browser, picks Korean in the sidebar, and opens their resume link
on another device whose browser asks for English: the pages are Korean there too. Picking English on the
second device is kept as well. Screenshots at 1920x1080, 1400x900 and 390x844.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import WAIT_MS, choose, click_and_wait, context_for, save_shot, shoot_sizes, wait_idle

pytestmark = pytest.mark.e2e


def _pick(page: object, language: str) -> None:
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), language)  # type: ignore[attr-defined]


def test_language_follows_the_resume_link_to_a_new_device(browser, app_url: str, tmp_path: Path) -> None:
    first = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900})
    second = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900})
    third = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 900})
    try:
        a = first.new_page()
        a.set_default_timeout(WAIT_MS)
        a.goto(f"{app_url}/progress")
        wait_idle(a)
        a.get_by_role("textbox", name="Display name").fill("Jisoo")
        click_and_wait(a, a.get_by_role("button", name="Save my progress"))
        link = a.get_by_test_id("stCode").inner_text().strip()
        assert "/progress?resume=" in link
        _pick(a, "한국어")
        a.get_by_role("heading", name="내 진도", exact=True).wait_for()

        # Another device, an English browser: the resume link brings the Korean pages back.
        b = second.new_page()
        b.set_default_timeout(WAIT_MS)
        b.goto(link)
        wait_idle(b)
        b.get_by_role("heading", name="내 진도", exact=True).wait_for()
        b.get_by_text("Jisoo", exact=False).first.wait_for()
        assert "resume=" not in b.url  # the token leaves the address bar once read
        shoot_sizes(b, tmp_path, "resume-link-korean")
        b.get_by_test_id("stSidebarNav").get_by_text("레슨", exact=True).click()
        wait_idle(b)
        b.get_by_role("heading", name="레슨", exact=True).wait_for()

        # A pick on the second device is the learner's new choice: a third device follows it.
        _pick(b, "English")
        b.get_by_role("heading", name="Lessons", exact=True).wait_for()
        c = third.new_page()
        c.set_default_timeout(WAIT_MS)
        c.goto(link)
        wait_idle(c)
        c.get_by_role("heading", name="My progress", exact=True).wait_for()
        for pg in (a, b, c):
            assert pg.locator('[data-testid="stException"]').count() == 0
    finally:
        for ctx in (first, second, third):
            ctx.close()


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
