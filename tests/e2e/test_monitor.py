"""Browser test of the Monitor: a replay's per-tunnel chart, and a live region served by a local moto server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.aws.fakes import SLOW_MACHINE_ENV, moto_url, seed_two_connections  # noqa: F401 - pytest fixture
from tests.e2e.conftest import capture, running_app, wait_idle

pytestmark = pytest.mark.e2e


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _open_connection_tab(page) -> None:
    page.get_by_role("tab", name="Connection").click()
    chart = page.locator('[data-testid="stPlotlyChart"] .main-svg').first
    chart.wait_for(state="visible")
    chart.scroll_into_view_if_needed()


# The tables whose toolbar covers the element just above them: [toolbar top, that element's bottom, its text].
TOOLBAR_OVERLAPS = """() => Array.from(document.querySelectorAll('[data-testid="stDataFrame"]')).flatMap(table => {
    const bar = table.querySelector('[data-testid="stElementToolbar"]');
    const above = table.closest('[data-testid="stElementContainer"]')?.previousElementSibling;
    if (!bar || !above || table.offsetParent === null) return [];
    const top = bar.getBoundingClientRect().top, bottom = above.getBoundingClientRect().bottom;
    return top < bottom - 1 ? [[top, bottom, above.innerText.slice(0, 60)]] : [];
})"""


def _wait_tables(page) -> None:
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(state="visible")


def test_monitor_replay_shows_the_per_tunnel_chart(page, app_url: str, shoot) -> None:
    page.goto(f"{app_url}/monitor?replay=dpd-idle-tunnel")
    wait_idle(page)
    page.get_by_role("heading", name="Monitor").wait_for()
    _no_exception(page)
    _wait_tables(page)
    page.get_by_test_id("stTabs").scroll_into_view_if_needed()
    shoot("monitor-replay-inventory")
    _open_connection_tab(page)
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    legend = chart.locator(".legend").text_content() or ""
    assert "Tunnel 1 (203.0.113.10) TunnelState" in legend
    assert "Tunnel 2 (203.0.113.138) TunnelState" in legend
    assert "data is not liveness" in (chart.text_content() or "")
    _no_exception(page)
    shoot("monitor-replay-connection")
    page.get_by_role("tab", name="Audit").click()
    page.get_by_text("High: Tunnel down").first.wait_for()
    page.get_by_text("High: Tunnel down").first.scroll_into_view_if_needed()
    shoot("monitor-replay-audit")


@pytest.fixture
def live_app(moto_url: str) -> Iterator[str]:  # noqa: F811
    import urllib.request

    urllib.request.urlopen(urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST"), timeout=600).close()
    seed_two_connections(moto_url)  # the page opens on the last day
    with running_app({"AWS_ENDPOINT_URL": moto_url, **SLOW_MACHINE_ENV}) as url:
        yield url


def test_monitor_live_region_from_a_local_aws_endpoint(page, live_app: str, shoot) -> None:
    page.goto(f"{live_app}/monitor?source=aws")
    wait_idle(page)
    page.get_by_text("Connected as arn:aws:").wait_for()
    page.get_by_text("2 of 2 connection(s)").wait_for()  # both seeded connections are listed
    _no_exception(page)
    _wait_tables(page)
    shoot("monitor-live-inventory")
    _open_connection_tab(page)
    _no_exception(page)
    shoot("monitor-live-connection")


def test_monitor_simulation_shows_a_failure_from_its_script(page, app_url: str, tmp_path) -> None:
    """A simulation with a failure script (from a link, as the scenario lab writes them): the failed gateway's
    connection has no tunnel up at the end, and its chart and events show when it went down."""
    from tests.e2e.conftest import SHOT_SIZES, resize, save_shot

    page.goto(f"{app_url}/monitor?source=sim:s4&fail=cgw-down:cgw-a@120")
    wait_idle(page)
    page.get_by_role("heading", name="Monitor").wait_for()
    page.get_by_text("Customer gateway device down").first.wait_for()
    _no_exception(page)
    page.get_by_role("tab", name="Connection").click()
    tunnels_up = page.get_by_test_id("stMetric").filter(has_text="Tunnels up").get_by_test_id("stMetricValue")
    tunnels_up.wait_for()
    assert tunnels_up.inner_text() == "0/2"
    chart = page.locator('[data-testid="stPlotlyChart"]').first
    chart.locator(".main-svg").first.wait_for(state="visible")
    assert "TunnelState" in (chart.locator(".legend").text_content() or "")
    _no_exception(page)
    # At each size, the chart in view: the screenshot shows the failure as a reader scrolling to it sees it. The
    # window's own width first (a new width redraws the chart), and each size follows the last picture at once.
    now = page.viewport_size["width"]
    for width, height in sorted(SHOT_SIZES, key=lambda size: size[0] != now):
        resize(page, width, height)
        chart = page.locator('[data-testid="stPlotlyChart"]').first
        chart.locator(".main-svg").first.wait_for(state="visible")
        chart.scroll_into_view_if_needed()
        save_shot(page, tmp_path, f"monitor-simulation-failure-chart-{width}x{height}", restore=False)


def test_the_inventory_reads_without_sideways_scrolling_on_a_phone_and_a_laptop(
        browser_contexts, page, app_url: str, tmp_path) -> None:
    """390 px: one card per connection, every column's label and value on the screen; 1400 px: the table, whose
    last column ("Category", after "Tunnels up") fits without the grid scrolling sideways."""
    from tests.e2e.conftest import context_for, keep_screenshot

    page.goto(f"{app_url}/monitor?replay=bgp-failover-s4")
    _wait_tables(page)
    assert not page.locator(".st-key-monitor_inventory_cards").is_visible()
    scroller = page.locator('.st-key-monitor_inventory_table [data-testid="stDataFrame"] .dvn-scroller').first
    assert scroller.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), "the table scrolls sideways at 1400 px"

    phone_profile = context_for(browser_contexts, None, "390x844", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True, device_scale_factor=2)
    with phone_profile.tab() as phone:
        phone.goto(f"{app_url}/monitor?replay=bgp-failover-s4")
        cards = phone.locator('.st-key-monitor_inventory_cards [data-testid="stMarkdown"]')
        phone.get_by_text("Tunnels up:").first.wait_for(state="visible")
        wait_idle(phone)
        # The page's style rules arrive with its first elements: wait until they have hidden the table.
        phone.locator(".st-key-monitor_inventory_table").wait_for(state="hidden")
        expect(cards).to_have_count(2, timeout=90_000)
        text = cards.first.inner_text()
        assert all(label in text for label in ("Tunnels up:", "State:", "Routing:", "Gateway:", "Customer gateway:",
                                                "Category:")), text
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways"
        widest = phone.evaluate("Math.max(...Array.from(document.querySelectorAll("
                                "'.st-key-monitor_inventory_cards p')).map(e => e.getBoundingClientRect().right))")
        assert widest <= 390
        cards.first.scroll_into_view_if_needed()
        shot = tmp_path / "monitor-inventory-phone.png"
        capture(phone, shot)
        keep_screenshot(shot)
        # A touch screen shows every table's toolbar all the time: it must not cover the heading above the table.
        phone.get_by_role("tab", name="Connection").click()
        phone.locator('[data-testid="stDataFrame"] [data-testid="stElementToolbar"] >> visible=true').first.wait_for()
        covered = phone.evaluate(TOOLBAR_OVERLAPS)
        assert not covered, covered
