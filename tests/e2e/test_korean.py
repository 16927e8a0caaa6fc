"""The app in Korean in a real browser: every page with ?lang=ko, the browser's language on a first visit, the
picker; screenshots at 1920x1080, 1400x900 and 390x844 (Korean text must render in a CJK font, not boxes)."""

from __future__ import annotations

import pytest

from lab import i18n
from lab.ui.registry import PAGES, PageSpec
from tests.e2e.conftest import choose, click_and_wait, resize, wait_idle

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
        resize(page, width, height)
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


def _ko(text: str) -> str:
    return i18n.t(text, "ko")


def test_korean_pages_after_the_usual_interactions(app_url, page, tmp_path) -> None:
    """A scenario run with a failure, a sample log analyzed with its report, a replay in the Monitor - in Korean,
    with screenshots at every size (the simulator's, the analyzer's and the report's sentences are Korean)."""
    from tests.e2e.conftest import shoot_sizes

    page.goto(f"{app_url}/scenario-lab?lang=ko&scenario=s2&fail=cgw-down:cgw-a@60")  # a link runs it at once
    wait_idle(page)
    page.get_by_role("heading", name=_ko("Scenario lab"), exact=True).wait_for()
    page.get_by_text("40초 뒤 다른 터널로 복구", exact=False).first.wait_for()
    page.wait_for_function("document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 2")
    assert "디바이스 다운" in page.get_by_test_id("stPlotlyChart").first.text_content()
    shoot_sizes(page, tmp_path, "ko-scenario-lab-failure")
    tab = page.get_by_role("tab", name=_ko("What happened, step by step"))
    tab.scroll_into_view_if_needed()
    click_and_wait(page, tab)
    page.get_by_text("고객 게이트웨이 A(203.0.113.10)이(가) 멈춥니다", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-scenario-lab-steps")

    page.goto(f"{app_url}/troubleshooter?lang=ko")
    wait_idle(page)
    page.get_by_role("heading", name=_ko("Troubleshooter"), exact=True).wait_for()
    page.get_by_test_id("stExpander").filter(has_text=_ko("Analyze logs")).first.locator("summary").click()
    picker = page.get_by_test_id("stSelectbox").filter(has_text=_ko("…or practise on a sample log")).first
    picker.wait_for()
    choose(page, picker, "strongswan-auth-failure.log", exact=False)
    click_and_wait(page, page.get_by_role("button", name=_ko("Load and analyze")))
    page.get_by_text("양쪽 설정이 일치할 때까지 터널을 협상할 수 없습니다", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-troubleshooter-analysis")
    page.get_by_text(_ko("Preview the report"), exact=True).click()
    page.get_by_text("VPN 장애 보고서", exact=False).first.wait_for()
    shoot_sizes(page, tmp_path, "ko-troubleshooter-report")

    page.goto(f"{app_url}/monitor?lang=ko&replay=psk-mismatch-after-rotation")
    wait_idle(page)
    page.get_by_role("heading", name=_ko("Monitor"), exact=True).wait_for()
    click_and_wait(page, page.get_by_role("tab", name=_ko("Connection")))
    page.wait_for_function("document.querySelectorAll('[data-testid=stPlotlyChart] .main-svg').length >= 1")
    assert "터널별 TunnelState" in page.get_by_test_id("stPlotlyChart").first.text_content()
    shoot_sizes(page, tmp_path, "ko-monitor-replay")
