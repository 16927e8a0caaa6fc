"""A class served by two app servers on one PostgreSQL database, in a real browser.

A participant on server A joins and answers the facilitator's drill; the facilitator's live view on
server B shows the answer arrive; the reveal reaches the participant on A and opens the scenario lab
with that simulation. Screenshots at 1920x1080, 1400x900 and 390x844.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lab.classes import create_class
from lab.store import upgrade
from tests.e2e.conftest import (
    FACILITATOR_SIZES,
    PARTICIPANT_SIZES,
    RUN_COUNTER_JS,
    SHOT_SIZES,
    capture,
    choose,
    click_and_wait,
    keep_screenshot,
    resize,
    running_app,
    save_shot,
    shoot_sizes,
    wait_idle,
)

pytestmark = pytest.mark.e2e


def test_participant_on_a_facilitator_on_b(browser, page, postgres, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url = postgres.create_database("two_servers")
    monkeypatch.setenv("VPNLAB_DATABASE_URL", url)
    upgrade()
    from lab.store import open_store

    cls, key = create_class(open_store(), "Network team, week 1", datetime.now(UTC))
    env = {"VPNLAB_DATABASE_URL": url}
    with running_app(env) as server_a, running_app(env) as server_b:
        # The participant in the run's laptop window, the facilitator in a window of their own (other cookies).
        facilitator_ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        facilitator_ctx.add_init_script(RUN_COUNTER_JS)
        try:
            p = page
            p.set_viewport_size({"width": 1400, "height": 900})
            f = facilitator_ctx.new_page()
            for pg in (p, f):
                pg.set_default_timeout(30_000)
            # The facilitator opens the class on server B and starts the S4 drill.
            f.goto(f"{server_b}/facilitator")
            wait_idle(f)
            f.get_by_label("Join code").fill(cls.code)
            f.get_by_label("Facilitator key").fill(key)
            main_f = f.get_by_test_id("stMain")  # the sidebar has buttons too (the language picker's "Open")
            click_and_wait(f, main_f.get_by_role("button", name="Open", exact=True))
            f.get_by_text("Participants open this link").wait_for()
            # The participant joins on server A.
            p.goto(f"{server_a}/class?code={cls.code}")
            wait_idle(p)
            p.get_by_role("textbox", name="Display name").fill("Mina <b>Park</b>")
            click_and_wait(p, p.get_by_test_id("stMain").get_by_role("button", name="Join", exact=True))
            p.get_by_text("No drill yet").wait_for()
            shoot_sizes(p, tmp_path, "class-joined", PARTICIPANT_SIZES)
            f.get_by_text("Live drill", exact=True).click()
            wait_idle(f)
            choose(f, f.get_by_test_id("stSelectbox").filter(has_text="Drill").first,
                   "Ready-made: S4: gateway A dies, BGP")
            click_and_wait(f, f.get_by_role("button", name="Start this drill"))
            # Server A's participant sees it within its refresh interval and answers.
            # (generous waits: the two servers poll the database every few seconds on a busy machine)
            p.get_by_text("How many seconds is traffic from the VPC to on-premises lost?").wait_for(timeout=90_000)
            # The drill's failure in words, not the script syntax.
            p.get_by_text("Customer gateway device down on cgw-a (Customer gateway A) at 60 s", exact=False).wait_for()
            assert p.get_by_text("cgw-down:cgw-a@60", exact=False).count() == 0
            shoot_sizes(p, tmp_path, "class-drill-open", PARTICIPANT_SIZES)
            p.get_by_text("30 s", exact=True).click()
            click_and_wait(p, p.get_by_role("button", name="Send answer"))
            p.get_by_text("Your answer is in").wait_for()
            # Server B's facilitator sees the answer arrive.
            f.get_by_test_id("stMetric").filter(has_text="Answers").filter(has_text="1 of 1").wait_for(timeout=90_000)
            f.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            shoot_sizes(f, tmp_path, "facilitator-drill-answers", FACILITATOR_SIZES)
            click_and_wait(f, f.get_by_role("button", name="Reveal to the room"))
            # The reveal reaches the participant on A: the right answer, the explanation, the simulation.
            p.get_by_text("Right! The simulator says").wait_for(timeout=90_000)
            p.get_by_text("Mina <b>Park</b>", exact=False).first.wait_for()  # the name shows as typed
            assert p.locator("b", has_text="Park").count() == 0
            shoot_sizes(p, tmp_path, "class-drill-revealed", PARTICIPANT_SIZES)
            click_and_wait(p, p.get_by_role("link", name="Open this simulation in the scenario lab"))
            p.get_by_role("heading", name="Scenario lab").wait_for()
            metric = p.get_by_test_id("stMetric").filter(has_text="VPC → on-prem outage")
            metric.get_by_test_id("stMetricValue").wait_for()
            assert metric.get_by_test_id("stMetricValue").inner_text() == "30 s"
            # The facilitator's dashboard on B lists the participant from A.
            f.get_by_text("Dashboard", exact=True).click()
            wait_idle(f)
            f.get_by_test_id("stMetric").filter(has_text="Participants").filter(has_text="1").wait_for(timeout=90_000)
            f.locator('[data-testid="stPlotlyChart"] .main-svg').first.wait_for()
            # The progress matrix's legend says what each colour means.
            legend = f.locator('[data-testid="stPlotlyChart"]').first.locator(".legend").text_content() or ""
            assert "not read yet" in legend and "done: read, every quiz question answered right" in legend
            shoot_sizes(f, tmp_path, "facilitator-dashboard", FACILITATOR_SIZES)
            matrix = f.locator('.st-key-fac_matrix [data-testid="stPlotlyChart"]')
            for w, h in SHOT_SIZES:  # the progress matrix and its legend in view, as a reader scrolls to it
                resize(f, w, h)
                matrix.locator(".legend").wait_for()
                matrix.scroll_into_view_if_needed()
                # Every lesson number stands apart from its neighbours (a phone scrolls the matrix sideways).
                ticks = matrix.locator(".xtick text").evaluate_all(
                    "ts => ts.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })")
                assert len(ticks) >= 12, (w, ticks)
                assert all(a[1] + 6 <= b[0] for a, b in zip(ticks, ticks[1:], strict=False)), (w, ticks)
                # A phone says that the matrix scrolls; a wider screen shows it whole and says nothing.
                assert f.locator(".st-key-fac_matrix_hint").is_visible() == (w <= 640), w
                legend_box = matrix.locator(".legend").bounding_box()  # in view without scrolling sideways
                assert legend_box and legend_box["x"] + legend_box["width"] <= w, (w, legend_box)
                shot = tmp_path / f"facilitator-progress-matrix-{w}x{h}.png"
                capture(f, shot)
                keep_screenshot(shot)
            for pg in (p, f):
                assert pg.locator('[data-testid="stException"]').count() == 0
        except Exception:
            for name, pg in (("failure-participant", p), ("failure-facilitator", f)):
                with contextlib.suppress(Exception):
                    save_shot(pg, tmp_path, name)
            raise
        finally:
            with contextlib.suppress(Exception):
                facilitator_ctx.close()
