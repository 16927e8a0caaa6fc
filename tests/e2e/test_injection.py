"""Real browser: hostile links cannot run script, render a link or an image, or break a page.

Every query parameter a page reads (lesson, lang, tree, node, term, scenario, fail, source, replay) is
opened with payloads that try script (`<script>`, `onerror=`, a `*/ ... /*` break-out of a script
comment), Markdown links and images, autolinks and Streamlit directives. The page must show the value
as text, open no dialog, request nothing from the attacker's host, and keep working.

One page load per page carries the first hostile values; the page's other payloads arrive as the browser's
Back and Forward bring a link back (the app reruns the page with the address's query, the same script and
the same drawing as for a link that was opened).
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from lab.ui.echo import shorten
from tests.e2e.conftest import analyze_paste, follow_link, resize

pytestmark = pytest.mark.e2e

EVIL = "evil.example"
# Values are echoed shortened (60 characters), so each payload fits in that length.
LINK_AND_IMAGE = f"[k](https://{EVIL}/l)![x](https://{EVIL}/t.png)"
PAYLOADS = {
    "markdown": f"**Urgent:** [re-enter your AWS keys](https://{EVIL}/login)",
    "image": f"![x](https://{EVIL}/track.png)",
    "html": f"<img src=//{EVIL}/i onerror=alert(1)><script>alert(2)</script>",
    "script-comment": "*/alert(document.cookie);/*",
    "autolink": f"https://{EVIL}/x www.{EVIL} a@{EVIL} :red[r] $x$",
    "link-and-image": LINK_AND_IMAGE,
}


def q(value: str) -> str:
    return quote(value, safe="")


@pytest.fixture
def guarded(page):
    """The page, with dialogs and requests to the attacker's host recorded (and blocked)."""
    seen: dict[str, list[str]] = {"dialogs": [], "requests": []}

    def on_dialog(dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    def on_route(route) -> None:
        seen["requests"].append(route.request.url)
        route.abort()

    page.set_default_timeout(90_000)  # a loaded machine is slow; a broken page still fails
    page.on("dialog", on_dialog)
    page.route(f"**/*{EVIL}*/**", on_route)
    page.route(f"**://{EVIL}/**", on_route)
    page.seen = seen
    yield page
    page.remove_listener("dialog", on_dialog)  # the tab is reused by the next test (its routes go with it)


def wait_idle(page) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000)


def _assert_inert(page, heading: str) -> None:
    page.get_by_role("heading", name=heading, exact=True).first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator(f'a[href*="{EVIL}"]').count() == 0, "no link to the attacker's host"
    assert page.locator(f'img[src*="{EVIL}"]').count() == 0, "no image from the attacker's host"
    assert page.locator('[data-testid="stMain"] script').count() <= 1, "no script element beyond the app's own"
    assert page.seen["dialogs"] == [], f"a dialog opened: {page.seen['dialogs']}"
    assert page.seen["requests"] == [], f"the page fetched {page.seen['requests']}"


def _shown_as_text(page, alert_text: str, value: str) -> None:
    """The alert saying `alert_text` quotes `value` character for character (shortened as the app shortens it)."""
    alert = page.locator('[data-testid="stAlert"]').filter(has_text=alert_text).filter(has_text=shorten(value)).first
    alert.wait_for()


def test_lesson_and_lang_links(app_url, guarded, shoot) -> None:
    """The reported link (a script-comment break-out as the lesson) with a hostile language: both refused as
    text; the lesson link survives clicking a lesson and pressing Back; then every other payload as the lesson."""
    page = guarded
    page.goto(f"{app_url}/lessons?lesson={q(PAYLOADS['script-comment'])}&lang={q(LINK_AND_IMAGE)}")
    wait_idle(page)
    _shown_as_text(page, "There is no lesson with the id", PAYLOADS["script-comment"])
    page.get_by_test_id("stSidebar").get_by_text("does not have", exact=False).wait_for()  # the lang refused
    _assert_inert(page, "Lessons")
    page.get_by_role("button", name="What a VPN is", exact=False).first.click()
    page.get_by_role("heading", name="What a VPN is").first.wait_for()
    page.go_back()
    page.get_by_text("There is no lesson with the id").first.wait_for()  # Back reruns the hostile link
    wait_idle(page)
    _assert_inert(page, "Lessons")
    shoot("injection-lesson-back")
    for name, value in PAYLOADS.items():
        if name == "script-comment":
            continue
        follow_link(page, f"/lessons?lesson={q(value)}")
        _shown_as_text(page, "There is no lesson with the id", value)
        _assert_inert(page, "Lessons")


def test_tree_and_node_links(app_url, guarded, shoot) -> None:
    """The reported link (Markdown asking for AWS keys as the tree) shows literally and the tree still works, at
    every size; then every other payload as the tree, and a hostile node in a real tree."""
    page = guarded
    page.goto(f"{app_url}/troubleshooter?tree={q(PAYLOADS['markdown'])}")
    wait_idle(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="does not exist").first
    alert.wait_for()
    assert "**Urgent:** [re-enter your AWS keys](" in alert.inner_text(), "the value is shown literally"
    _assert_inert(page, "Troubleshooter")
    page.get_by_role("button", name="Both tunnels are down", exact=False).first.wait_for()  # the tree still works
    for width, height in ((1920, 1080), (390, 844), (1400, 900)):  # (the laptop's width last: see shoot_sizes)
        resize(page, width, height)
        shoot(f"injection-troubleshooter-{width}x{height}")
    resize(page, 1400, 1000)
    for name, value in PAYLOADS.items():
        if name == "markdown":
            continue
        follow_link(page, f"/troubleshooter?tree={q(value)}")
        _shown_as_text(page, "does not exist", value)
        _assert_inert(page, "Troubleshooter")
    follow_link(page, f"/troubleshooter?tree=tunnel-down&node={q(LINK_AND_IMAGE)}")
    _shown_as_text(page, "in tree tunnel-down", LINK_AND_IMAGE)
    _assert_inert(page, "Troubleshooter")


def test_a_hostile_log_is_shown_as_text_in_the_findings(app_url, guarded, shoot) -> None:
    """Log lines carry what a sender put in them (a connection name, an ID): the findings table (st.table renders
    Markdown in its cells) and every other piece of the analysis show them literally."""
    page = guarded
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    analyze_paste(page, f"Nov 29 10:00:01 gw charon: 09[IKE] <{PAYLOADS['markdown']}|1> no acceptable proposal found\n"
                  f"Nov 29 10:00:02 gw charon: 09[IKE] <{LINK_AND_IMAGE}|1> no acceptable proposal found\n"
                  f"Nov 29 10:00:03 gw charon: 09[IKE] <{PAYLOADS['html']}|1> no acceptable proposal found")
    table = page.locator('[data-testid="stTable"]').filter(has_text="no acceptable proposal found").first
    table.wait_for()
    assert "**Urgent:** [re-enter your AWS keys](" in table.inner_text(), "the value is shown literally"
    assert table.locator("strong, a, img").count() == 0, "no formatting, link or image from the log"
    _assert_inert(page, "Troubleshooter")
    shoot("injection-troubleshooter-log")
    page.get_by_text("Preview the report").first.click()  # the incident report quotes the same lines
    page.get_by_text("VPN incident report").first.wait_for()
    _assert_inert(page, "Troubleshooter")


def test_glossary_term_link(app_url, guarded) -> None:
    guarded.goto(f"{app_url}/glossary?term={q(LINK_AND_IMAGE)}")
    wait_idle(guarded)
    _assert_inert(guarded, "Glossary")
    # The box is drawn before the script has put the link's term in it: wait for the value, do not read it once.
    expect(guarded.get_by_role("textbox", name="Search the glossary")).to_have_value(LINK_AND_IMAGE, timeout=90_000)


def test_scenario_and_failure_links(app_url, guarded) -> None:
    """A hostile scenario is refused by name; every payload as a failure of a real scenario, all in one link,
    each refused in a warning of its own."""
    page = guarded
    page.goto(f"{app_url}/scenario-lab?scenario={q(LINK_AND_IMAGE)}")
    wait_idle(page)
    _shown_as_text(page, "unknown scenario", LINK_AND_IMAGE)
    _assert_inert(page, "Scenario lab")
    follow_link(page, "/scenario-lab?scenario=s1&" + "&".join(f"fail={q(v)}" for v in PAYLOADS.values()))
    warnings = page.locator('[data-testid="stAlert"]').filter(has_text="Link ignored a failure")
    warnings.nth(len(PAYLOADS) - 1).wait_for()
    assert warnings.count() == len(PAYLOADS)
    _assert_inert(page, "Scenario lab")


@pytest.mark.parametrize("param", ["source", "replay"])
def test_monitor_source_links(app_url, guarded, shoot, param: str) -> None:
    """The Monitor reads its source once per visit: a load for each parameter."""
    page = guarded
    page.goto(f"{app_url}/monitor?{param}={q(LINK_AND_IMAGE)}")
    wait_idle(page)
    _shown_as_text(page, "unknown source", ("replay:" if param == "replay" else "") + LINK_AND_IMAGE)
    _assert_inert(page, "Monitor")
    shoot(f"injection-monitor-{param}")
