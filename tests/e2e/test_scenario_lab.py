"""Scenario lab in a real browser: pick S4, fail customer gateway A, run, see the outage and the timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e.conftest import capture, choose, click_and_wait, wait_idle

pytestmark = pytest.mark.e2e


def _select(page: Page, label: str, option: str) -> None:
    choose(page, page.get_by_test_id("stSelectbox").filter(has_text=label).first, option)


def _topology(page: Page):  # -> Locator
    """The diagram as a laptop shows it (the page also draws a top-to-bottom one that only a phone shows)."""
    return page.locator('.st-key-sl_topo_wide [data-testid="stPlotlyChart"]')


def _tab(page: Page, name: str) -> None:
    """Open a result tab (each is built when opened) and bring it into view."""
    tab = page.get_by_role("tab", name=name)
    tab.scroll_into_view_if_needed()
    click_and_wait(page, tab)
    tab.scroll_into_view_if_needed()


def test_s4_gateway_a_failure_end_to_end(page, app_url: str, shoot) -> None:
    page.goto(f"{app_url}/scenario-lab")
    page.get_by_role("heading", name="Scenario lab").wait_for()
    wait_idle(page)
    _select(page, "Scenario", "S4: two customer gateways with BGP")
    _select(page, "Failure", "Customer gateway device down")
    _select(page, "Target", "cgw-a (Customer gateway A)")
    click_and_wait(page, page.get_by_role("button", name="Add failure"))
    click_and_wait(page, page.get_by_role("button", name="Run simulation"))
    metric = page.get_by_test_id("stMetric").filter(has_text="VPC → on-prem outage")
    metric.get_by_test_id("stMetricValue").wait_for()
    assert metric.get_by_test_id("stMetricValue").inner_text() == "30 s"
    person = page.get_by_test_id("stMetric").filter(has_text="Person needed")
    assert person.get_by_test_id("stMetricValue").inner_text() == "YES"  # gateway A stays down: its tunnels need a person
    # The wide diagram (a laptop; the phone's top-to-bottom drawing is hidden at this width) and the timeline.
    topology = _topology(page)
    topology.locator(".main-svg").first.wait_for()
    timeline = page.get_by_test_id("stPlotlyChart").filter(has_text="Tunnel state and events")
    timeline.locator(".main-svg").first.wait_for()
    assert "DEVICE DOWN" in topology.text_content()
    shoot("scenario-lab-s4-top")  # the whole page: the diagram and the timeline below it
    _tab(page, "What happened, step by step")
    shoot("scenario-lab-s4-explanation")
    _tab(page, "Same failure, S1 to S4 side by side")
    page.get_by_test_id("stTable").first.wait_for()
    shoot("scenario-lab-s4-compare")
    _tab(page, "Generated logs")
    page.get_by_role("button", name="Download all logs").wait_for()
    shoot("scenario-lab-s4-logs")
    # Play moves the diagram through time in the browser: the title names a later moment.
    topology = _topology(page)
    topology.scroll_into_view_if_needed()
    title = topology.locator(".gtitle")
    before = title.text_content()
    topology.get_by_text("Play").click()
    page.wait_for_function("t => { const e = document.querySelector('.st-key-sl_topo_wide .gtitle'); "
                           "return e && e.textContent !== t; }", arg=before)
    topology.get_by_text("Pause").click()
    shoot("scenario-lab-s4-after-play")


def test_selecting_a_gateway_on_the_diagram_fails_it_and_its_logs_open_in_the_troubleshooter(
        page, app_url: str, shoot) -> None:
    page.goto(f"{app_url}/scenario-lab")
    page.get_by_role("heading", name="Scenario lab").wait_for()
    wait_idle(page)
    _select(page, "Scenario", "S3: two customer gateways, static routing")
    click_and_wait(page, page.get_by_role("button", name="Run simulation"))
    topology = _topology(page)
    topology.locator(".main-svg").first.wait_for()
    topology.scroll_into_view_if_needed()
    # The element markers are the second-to-last trace; customer gateway A is its second point.
    nodes = topology.locator(".scatterlayer .trace").nth(-2).locator(".points path")
    box = nodes.nth(1).bounding_box()
    assert box is not None
    # plotly listens on its drag layer, so click at the marker's position rather than on the path.
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    topology.locator(".hoverlayer .hovertext").first.wait_for()  # plotly has the point under the pointer
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_idle(page)
    page.get_by_text("Added “Customer gateway device down” on cgw-a at 60 s").wait_for()
    person = page.get_by_test_id("stMetric").filter(has_text="Person needed")
    # S3 runs with the article's health check, which moves the on-premises route; gateway A itself stays down.
    assert person.get_by_test_id("stMetricValue").inner_text() == "YES"  # the route moves, but gateway A stays down
    shoot("scenario-lab-s3-selected-cgw-a")

    # The run's generated logs open in the troubleshooter.
    _tab(page, "Generated logs")
    page.get_by_role("button", name="Download all logs").wait_for()
    button = page.get_by_role("button", name="Open in troubleshooter")
    button.scroll_into_view_if_needed()
    button.click()
    page.get_by_role("heading", name="Troubleshooter").first.wait_for()
    page.get_by_text("Logs from the scenario lab / replay are available", exact=False).wait_for()
    wait_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    shoot("scenario-lab-to-troubleshooter")


# The timeline's texts (failure tags, panel titles) under its toolbar: [text top, text left, toolbar bottom].
TOOLBAR_COVERS = """() => {
    const chart = document.querySelector('.st-key-sl_timeline');
    const b = chart.querySelector('.modebar').getBoundingClientRect();
    return Array.from(chart.querySelectorAll('.annotation')).map(a => a.getBoundingClientRect())
        .filter(r => r.width > 0 && r.top < b.bottom && r.bottom > b.top && r.right > b.left && r.left < b.right)
        .map(r => [r.top, r.left, b.bottom]);
}"""


def test_a_phone_gets_the_top_to_bottom_diagram(browser_contexts, app_url: str, tmp_path) -> None:
    """At 390 px the left-to-right diagram is hidden and the vertical one shows every element's label."""
    from tests.e2e.conftest import context_for, keep_screenshot

    context = context_for(browser_contexts, None, "390x844", viewport={"width": 390, "height": 844},
                          is_mobile=True, has_touch=True, device_scale_factor=2)
    with context.tab() as page:
        page.goto(f"{app_url}/scenario-lab?scenario=s5&fail=cgw-down:cgw-a@60")
        tall = page.locator('.st-key-sl_topo_tall [data-testid="stPlotlyChart"]')
        tall.locator(".main-svg").first.wait_for(state="visible")
        wait_idle(page)
        assert not page.locator(".st-key-sl_topo_wide").is_visible()
        text = tall.text_content()
        assert "Customer gateway A" in text and "DEVICE DOWN" in text and "BLACK HOLE" in text
        # Fits the phone: no label runs past the chart's right edge.
        box = tall.bounding_box()
        right = page.evaluate("Math.max(...Array.from(document.querySelectorAll("
                              "'.st-key-sl_topo_tall .textpoint text')).map(e => e.getBoundingClientRect().right))")
        assert box is not None and right <= box["x"] + box["width"] + 1
        # A touch screen shows the timeline's toolbar all the time: it covers neither a failure tag nor a title.
        page.locator(".st-key-sl_timeline .modebar").first.wait_for(state="attached")
        covered = page.evaluate(TOOLBAR_COVERS)
        assert not covered, covered
        tall.scroll_into_view_if_needed()
        shot = tmp_path / "scenario-lab-phone-topology.png"
        capture(page, shot)
        keep_screenshot(shot)
