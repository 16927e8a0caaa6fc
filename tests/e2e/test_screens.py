"""Every page at the three sizes people use it at: a projector in a training room (1920x1080), a laptop
(1400x900) and a phone (390x844). Each screenshot goes to VPN_LAB_SHOTS (default: screenshots/ in the
project, which git ignores): look at them after a change to a page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab import PROJECT_DIR
from lab.ui.registry import PAGES
from tests.e2e.conftest import capture, context_for, keep_screenshot, resize, settle, wait_idle

pytestmark = pytest.mark.e2e

SIZES: dict[str, dict[str, dict[str, int]]] = {
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
    "1400x900": {"viewport": {"width": 1400, "height": 900}},
    "390x844": {"viewport": {"width": 390, "height": 844}},
}

# A chart the reader can see: the scenario lab draws its diagram twice and the browser shows the one that fits.
PLOT = '[data-testid="stPlotlyChart"] .main-svg >> visible=true'

# (name, path and query, what shows that the view is ready)
VIEWS = [
    ("home", "", "h1"),
    ("lessons", "lessons", "h1"),
    ("lesson-dpd", "lessons?lesson=dead-peer-detection", '[data-testid="stPlotlyChart"] .main-svg'),
    ("glossary", "glossary", "h1"),
    ("scenario-lab", "scenario-lab", PLOT),
    ("scenario-lab-s5-failures",
     "scenario-lab?scenario=s5&fail=cgw-down:cgw-a@60%2B240&fail=ike-delete:tunnel-3@200", PLOT),
    # A long run with a long failure script: the timeline's failure tags must stay readable.
    ("scenario-lab-long-script",
     "scenario-lab?scenario=s5&duration=3600&fail=cgw-down:cgw-a@60%2B240&fail=ike-delete:tunnel-3@100"
     "&fail=ike-delete:tunnel-4@120&fail=idle@200%2B300&fail=cgw-link-down:cgw-b@400%2B200"
     "&fail=endpoint-replacement:tunnel-1@900&fail=bgp-reset:tunnel-2@950&fail=psk-mismatch:tunnel-3@1800%2B300"
     "&fail=proposal-mismatch:tunnel-4@1830%2B200&fail=cgw-down:cgw-b@2400%2B60", PLOT),
    ("troubleshooter", "troubleshooter", "h1"),
    # The inventory is a table on a wide screen and one card per connection on a phone.
    ("monitor", "monitor?replay=dpd-idle-tunnel",
     '.st-key-monitor_inventory_table canvas, .st-key-monitor_inventory_cards [data-testid="stMarkdown"] >> visible=true'),
]


# The registry's pages that a view above opens as their link does: their heading is checked here, at every
# size, instead of in test_pages.py's one load per page.
HEADINGS = {spec.url_path: spec.heading for spec in PAGES if spec.url_path in {v[1] for v in VIEWS}}


@pytest.fixture(scope="module")
def shots_dir() -> Iterator[None]:
    """Screenshots are kept in screenshots/ unless VPN_LAB_SHOTS names another folder."""
    if os.environ.get("VPN_LAB_SHOTS"):
        yield
        return
    os.environ["VPN_LAB_SHOTS"] = str(PROJECT_DIR / "screenshots")
    try:
        yield
    finally:
        del os.environ["VPN_LAB_SHOTS"]


def _shoot_whole_page(page, tmp_path: Path, name: str, size: str, width: int) -> None:
    """The app scrolls inside its main area: grow the window to the content's height so the screenshot shows
    the whole page, as a reader scrolling through it would see it."""
    assert page.locator('[data-testid="stException"]').count() == 0, f"{name} at {size}"
    height = page.evaluate(
        "Math.max(...Array.from(document.querySelectorAll("
        "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"], body')).map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(height), 400), 9000)})
    wait_idle(page)
    settle(page)
    shot = tmp_path / f"{name}-{size}.png"
    capture(page, shot)
    keep_screenshot(shot)


def _assert_footer_rule_as_wide_as_text(page, size: str) -> None:
    """The rule above a lesson's Previous/Next buttons spans the lesson's text column, not the page."""
    rule = page.locator(".st-key-lesson-footer hr").bounding_box()
    text = page.locator(".st-key-lesson-objectives").bounding_box()
    assert rule and text, size
    assert abs(rule["x"] - text["x"]) <= 2 and abs(rule["width"] - text["width"]) <= 2, (size, rule, text)


@pytest.mark.parametrize("name, path, ready", VIEWS, ids=[v[0] for v in VIEWS])
def test_every_page_at_projector_laptop_and_phone_size(
    browser_contexts, app_url: str, tmp_path: Path, shots_dir: None, name: str, path: str, ready: str
) -> None:
    # One page load for the three sizes: the layout follows the window (responsive CSS, charts redrawn at their
    # new width, the phone's own elements shown below 640 px), so each picture is the one a fresh load at that
    # size shows. (A phone's touch screen is emulated where it matters: tests/e2e/test_scenario_lab.py's
    # top-to-bottom diagram and tests/e2e/test_monitor.py's inventory cards.)
    first = SIZES["1920x1080"]["viewport"]
    with context_for(browser_contexts, None, "desktop", viewport=first).tab() as page:
        page.goto(f"{app_url}/{path}")
        wait_idle(page)
        page.locator(ready).first.wait_for(state="visible")
        wait_idle(page)
        if path in HEADINGS:  # a page of the registry, as its link opens it (tests/e2e/test_pages.py)
            page.get_by_role("heading", name=HEADINGS[path], exact=True).first.wait_for(state="visible")
        for size, options in SIZES.items():
            viewport = options["viewport"]
            if viewport != first:
                resize(page, viewport["width"], viewport["height"])  # type: ignore[index]
                page.locator(ready).first.wait_for(state="visible")
            if name == "lesson-dpd":
                _assert_footer_rule_as_wide_as_text(page, size)
            _shoot_whole_page(page, tmp_path, name, size, viewport["width"])  # type: ignore[index]
