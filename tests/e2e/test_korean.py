"""The app in Korean in a real browser: every page (from a ?lang=ko link, from the picker, and after the usual
interactions), the browser's language on a first visit; screenshots at 1920x1080, 1400x900 and 390x844 (Korean
text must render in a CJK font, not boxes). tests/app/test_i18n_pages.py checks every page's Korean text."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab import i18n
from lab.ui.registry import PAGES, PageSpec
from tests.e2e.conftest import (
    choose,
    click_and_wait,
    context_for,
    follow_link,
    open_log_form,
    resize,
    save_shot,
    shoot_sizes,
    wait_idle,
)

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1920, 1080), "laptop": (1400, 900), "phone": (390, 844)}
# The other pages (the scenario lab, the troubleshooter and the monitor) are shown in Korean after the usual
# interactions, in test_korean_pages_after_the_usual_interactions.


def _korean_nav(page, spec: PageSpec) -> None:
    """`spec`'s page is on screen in Korean, its navigation too, without an exception."""
    page.get_by_role("heading", name=i18n.t(spec.heading, "ko"), exact=True).first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0
    nav = page.get_by_test_id("stSidebarNav")
    for other in PAGES:  # the navigation is Korean too
        assert nav.get_by_text(i18n.t(other.title, "ko"), exact=True).count() >= 1


def _korean_page(page, tmp_path: Path, spec: PageSpec) -> None:
    """`spec`'s page in Korean (see _korean_nav), with screenshots at every size (the window goes back to the
    laptop size afterwards)."""
    _korean_nav(page, spec)
    # (the laptop size last: the way back to it is then a change of height only, which redraws no chart)
    for name, (width, height) in sorted(SIZES.items(), key=lambda item: item[0] == "laptop"):
        resize(page, width, height)
        save_shot(page, tmp_path, f"ko-{spec.url_path or 'home'}-{name}", restore=False)  # the next size follows
    resize(page, 1400, 900)


def test_a_korean_link_then_the_next_pages(app_url, page, tmp_path) -> None:
    """`?lang=ko` on the first page; the next pages (opened in the same visit) stay Korean."""
    first, *others = [spec for spec in PAGES if spec.url_path in {"", "lessons", "glossary"}]
    page.goto(f"{app_url}/{first.url_path}?lang=ko")
    wait_idle(page)
    _korean_page(page, tmp_path, first)
    for spec in others:
        follow_link(page, f"/{spec.url_path}")
        _korean_page(page, tmp_path, spec)


def test_picker_switches_to_korean_and_back(app_url, page, tmp_path) -> None:
    """The sidebar's picker turns the app Korean; the choice is kept from page to page; English comes back."""
    page.goto(f"{app_url}/lessons")
    wait_idle(page)
    page.get_by_role("heading", name="Lessons", exact=True).wait_for()
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), "한국어")
    page.get_by_role("heading", name="레슨", exact=True).wait_for()
    save_shot(page, tmp_path, "ko-picker-lessons")
    click_and_wait(page, page.get_by_test_id("stSidebarNav").get_by_text("내 진도", exact=True))
    page.mouse.move(1390, 890)  # off the link: the screenshots show the page as it is read, not a hovered link
    by_path = {spec.url_path: spec for spec in PAGES}
    _korean_page(page, tmp_path, by_path["progress"])  # kept for the session
    for path in ("class", "facilitator"):
        follow_link(page, f"/{path}")
        _korean_page(page, tmp_path, by_path[path])
    choose(page, page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox"), "English")
    page.get_by_role("heading", name="Facilitator", exact=True).wait_for()


def test_browser_language_chooses_korean_on_the_first_visit(browser_contexts, app_url) -> None:
    korean_browser = context_for(browser_contexts, None, "ko-KR", viewport={"width": 1400, "height": 900},
                                 locale="ko-KR")
    with korean_browser.tab() as page:
        page.goto(f"{app_url}/glossary")
        wait_idle(page)
        page.get_by_role("heading", name="용어집", exact=True).wait_for()
        page.get_by_placeholder("예: DPD, 시작 작업, 169.254").fill("DPD")
        page.keyboard.press("Enter")
        wait_idle(page)
        page.get_by_text("데드 피어 감지(Dead Peer Detection)", exact=False).first.wait_for()


def _ko(text: str) -> str:
    return i18n.t(text, "ko")


def test_korean_pages_after_the_usual_interactions(app_url, page, tmp_path) -> None:
    """A scenario run with a failure, a sample log analyzed with its report, a replay in the Monitor - in Korean,
    with screenshots at every size (the simulator's, the analyzer's and the report's sentences are Korean). The
    troubleshooter and the monitor are opened from there in the same visit, as their links do."""
    by_path = {spec.url_path: spec for spec in PAGES}

    page.goto(f"{app_url}/scenario-lab?lang=ko&scenario=s2&fail=cgw-down:cgw-a@60")  # a link runs it at once
    wait_idle(page)
    _korean_nav(page, by_path["scenario-lab"])
    page.get_by_text("40초 뒤 다른 터널로 복구", exact=False).first.wait_for()
    page.wait_for_function("document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 2")
    assert "디바이스 다운" in page.get_by_test_id("stPlotlyChart").first.text_content()
    shoot_sizes(page, tmp_path, "ko-scenario-lab-failure")
    tab = page.get_by_role("tab", name=_ko("What happened, step by step"))
    tab.scroll_into_view_if_needed()
    click_and_wait(page, tab)
    page.get_by_text("고객 게이트웨이 A(203.0.113.10)이(가) 멈춥니다", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-scenario-lab-steps")

    follow_link(page, "/troubleshooter")
    _korean_nav(page, by_path["troubleshooter"])
    open_log_form(page, _ko("Analyze logs"))
    picker = page.get_by_test_id("stSelectbox").filter(has_text=_ko("…or practise on a sample log")).first
    picker.wait_for()
    choose(page, picker, "strongswan-auth-failure.log", exact=False)
    click_and_wait(page, page.get_by_role("button", name=_ko("Load and analyze")))
    page.get_by_text("양쪽 설정이 일치할 때까지 터널을 협상할 수 없습니다", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-troubleshooter-analysis")
    page.get_by_text(_ko("Preview the report"), exact=True).click()
    page.get_by_text("VPN 장애 보고서", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-troubleshooter-report")

    follow_link(page, "/monitor?replay=psk-mismatch-after-rotation")
    _korean_nav(page, by_path["monitor"])
    click_and_wait(page, page.get_by_role("tab", name=_ko("Connection")))
    page.wait_for_function("document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 1")
    assert "터널별 TunnelState" in page.get_by_test_id("stPlotlyChart").first.text_content()
    shoot_sizes(page, tmp_path, "ko-monitor-replay")
