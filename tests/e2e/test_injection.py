"""Real browser: hostile links cannot run script, render a link or an image, or break a page.

Every query parameter a page reads (lesson, lang, tree, node, term, scenario, fail, source, replay) is
opened with payloads that try script (`<script>`, `onerror=`, a `*/ ... /*` break-out of a script
comment), Markdown links and images, autolinks and Streamlit directives. The page must show the value
as text, open no dialog, request nothing from the attacker's host, and keep working.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.e2e.conftest import resize

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
}
# (page path, fixed query, the parameter under attack, the heading that proves the page still works)
TARGETS = [
    ("lessons", "", "lesson", "Lessons"),
    ("lessons", "", "lang", "Lessons"),
    ("troubleshooter", "", "tree", "Troubleshooter"),
    ("troubleshooter", "tree=tunnel-down&", "node", "Troubleshooter"),
    ("glossary", "", "term", "Glossary"),
    ("scenario-lab", "", "scenario", "Scenario lab"),
    ("scenario-lab", "scenario=s1&", "fail", "Scenario lab"),
    ("monitor", "", "source", "Monitor"),
    ("monitor", "", "replay", "Monitor"),
]
# Every payload on the three ways a value reaches a page: a code span (lesson), a code span in a
# message built by the page (tree), an error message that quotes it (fail).
DEEP = [t for t in TARGETS if t[2] in ("lesson", "tree", "fail")]


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
    return page


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


@pytest.mark.parametrize(("path", "fixed", "param", "heading"), TARGETS, ids=[f"{t[0]}-{t[2]}" for t in TARGETS])
def test_every_query_parameter_shows_a_link_and_image_as_text(app_url, guarded, path, fixed, param, heading) -> None:
    guarded.goto(f"{app_url}/{path}?{fixed}{param}={quote(LINK_AND_IMAGE, safe='')}")
    wait_idle(guarded)
    _assert_inert(guarded, heading)


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p != "markdown"])
@pytest.mark.parametrize(("path", "fixed", "param", "heading"), DEEP, ids=[f"{t[0]}-{t[2]}" for t in DEEP])
def test_script_html_and_autolinks_stay_text(app_url, guarded, path, fixed, param, heading, payload) -> None:
    guarded.goto(f"{app_url}/{path}?{fixed}{param}={quote(PAYLOADS[payload], safe='')}")
    wait_idle(guarded)
    _assert_inert(guarded, heading)


def test_issue_links_in_the_browser(app_url, guarded, shoot) -> None:
    """The reported links: the lesson link survives clicking a lesson and pressing Back; the alerts show text."""
    page = guarded
    page.goto(f"{app_url}/lessons?lesson={quote('*/alert(document.cookie);/*', safe='')}")
    wait_idle(page)
    page.get_by_text("There is no lesson with the id").first.wait_for()
    page.get_by_role("button", name="What a VPN is", exact=False).first.click()
    page.get_by_role("heading", name="What a VPN is").first.wait_for()
    page.go_back()
    page.get_by_text("There is no lesson with the id").first.wait_for()  # Back reruns the hostile link
    wait_idle(page)
    _assert_inert(page, "Lessons")
    shoot("injection-lesson-back")

    page.goto(f"{app_url}/troubleshooter?tree={quote(PAYLOADS['markdown'], safe='')}")
    wait_idle(page)
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="does not exist").first
    alert.wait_for()
    assert "**Urgent:** [re-enter your AWS keys](" in alert.inner_text(), "the value is shown literally"
    _assert_inert(page, "Troubleshooter")
    page.get_by_role("button", name="Both tunnels are down", exact=False).first.wait_for()  # the tree still works
    for width, height in ((1920, 1080), (1400, 900), (390, 844)):
        resize(page, width, height)
        shoot(f"injection-troubleshooter-{width}x{height}")
    resize(page, 1400, 1000)

    page.goto(f"{app_url}/monitor?source={quote(PAYLOADS['image'], safe='')}")
    wait_idle(page)
    page.locator('[data-testid="stAlert"]').filter(has_text="unknown source").first.wait_for()
    _assert_inert(page, "Monitor")
    shoot("injection-monitor")
