"""Scenario lab page in AppTest: pick a scenario, change options, build a failure script, run, read results."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from lab import facts
from lab.ui.registry import PAGES
from tests.app.conftest import OpenPage, show_tab

PAGE = "ui/pages/scenario_lab.py"


def _add(at: AppTest, kind: str, target: str, at_s: int = 60, dur: int = 0) -> AppTest:
    at.selectbox(key="sl_new_kind").select(kind).run()
    at.selectbox(key="sl_new_target").select(target).run()
    at.number_input(key="sl_new_at").set_value(at_s).run()
    if not at.number_input(key="sl_new_dur").disabled:  # an instant failure has no duration
        at.number_input(key="sl_new_dur").set_value(dur).run()
    return at.button(key="sl_add").click().run()


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_page_opens_showing_the_healthy_design(open_page: OpenPage) -> None:
    """With no failure yet, the page runs the design as it is, so the topology shows at once."""
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Scenario lab"
    assert any("No failure yet" in i.value for i in at.info)
    assert at.metric and at.get("plotly_chart")


def test_another_scenario_with_no_failure_runs_at_once(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s4").run()
    assert not at.exception
    assert at.get("plotly_chart")


def test_s4_gateway_a_down_shows_the_outcome(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s4").run()
    _add(at, "cgw-down", "cgw-a")
    at.button(key="sl_run").click().run()
    assert not at.exception
    m = _metrics(at)
    assert m["VPC → on-prem outage"] == "30 s"
    assert m["Person needed"] == "YES"  # traffic fails over, but gateway A's tunnels stay down
    assert len(at.get("plotly_chart")) == 3  # the diagram (wide and phone drawings) and the timeline
    assert any("traffic recovers through the other tunnels after 30 s" in s.value
               and "a person must restore it" in s.value for s in at.error)
    assert not any("on its own" in s.value for s in [*at.error, *at.success])


def test_changing_an_option_changes_the_result(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s3").run()
    _add(at, "cgw-down", "cgw-a")
    at.button(key="sl_run").click().run()
    m = _metrics(at)
    assert m["On-prem → VPC outage"] == "10 s"  # S3 runs with the article's health check (a ping every 10 s)
    assert m["Time to recover"] != "none"
    assert m["Person needed"] == "YES"  # traffic recovers, but gateway A and its tunnels stay down
    at.number_input(key="sl_opt_health_check_s").set_value(0).run()
    at.button(key="sl_run").click().run()
    assert not at.exception
    assert _metrics(at)["Time to recover"] == "none"


def test_failure_time_beyond_the_run_shows_a_clear_message(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    _add(at, "cgw-down", "cgw-a", at_s=700)
    at.button(key="sl_run").click().run()
    assert not at.exception
    assert any("outside the run (0 to 599 s)" in e.value for e in at.error)
    assert len(at.session_state["sl_failures"]) == 1  # the script is kept to be fixed


def test_option_below_the_aws_minimum_is_refused(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.number_input(key="sl_opt_dpd_timeout_s").set_value(10).run()
    at.button(key="sl_run").click().run()
    assert not at.exception
    assert any("below the minimum 30" in e.value for e in at.error)


def test_remove_a_failure_row(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    _add(at, "cgw-down", "cgw-a")
    _add(at, "idle", "all", at_s=120)
    assert len(at.session_state["sl_failures"]) == 2
    at.button(key="sl_rm_0").click().run()
    assert [f["kind"] for f in at.session_state["sl_failures"]] == ["idle"]


def test_fail_a_component_from_the_fallback_picker(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s1").run()
    at.button(key="sl_run").click().run()
    assert _metrics(at)["VPC → on-prem outage"] == "0 s"
    at.selectbox(key="sl_fail_element").select("endpoint:tunnel-1").run()
    at.number_input(key="sl_fail_at").set_value(120).run()
    at.button(key="sl_fail_btn").click().run()
    assert not at.exception
    assert at.session_state["sl_failures"][-1] == {"kind": "endpoint-replacement", "target": "tunnel-1",
                                                   "at": 120, "dur": None}
    assert any("ran again" in s.value for s in at.success)


def test_comparison_covers_s1_to_s4(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    _add(at, "cgw-down", "cgw-a")
    at.button(key="sl_run").click().run()
    show_tab(at, "sl_results", "Same failure, S1 to S4 side by side")
    table = at.table[0].value
    assert list(table["Design"].str[:2]) == ["S1", "S2", "S3", "S4"]
    # A dead gateway always needs a person; the designs differ in whether traffic recovers meanwhile
    # (S3 moves its static route with the article's health check; S1 has nothing to fail over to).
    assert table["Person needed"].tolist() == ["YES", "YES", "YES", "YES"]
    recovers = ["traffic recovers through the other tunnels" in v for v in table["Verdict"]]
    assert recovers == [False, True, True, True]


def test_logs_are_shown_and_handed_to_the_troubleshooter(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s3").run()
    _add(at, "cgw-link-down", "cgw-a", dur=300)
    at.button(key="sl_run").click().run()
    show_tab(at, "sl_results", "Generated logs")
    codes = "\n".join(c.value for c in at.code)
    assert "AWS tunnel DPD timed out after 3 retransmits" in codes
    assert "charon:" in codes
    assert any(b.label == "Download all logs" for b in at.get("download_button"))


def test_open_in_troubleshooter_hands_over_logs_and_snapshot(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s3").run()
    _add(at, "cgw-link-down", "cgw-a", dur=300)
    at.button(key="sl_run").click().run()
    show_tab(at, "sl_results", "Generated logs")
    registered = any(p.url_path == "troubleshooter" for p in PAGES)
    assert ("sl_to_troubleshooter" in [b.key for b in at.button]) is registered
    if registered:
        at.button(key="sl_to_troubleshooter").click().run()
        assert "giving up after 5 retransmits" in at.session_state["shared_log_text"]
        assert at.session_state["shared_snapshot"].source == "simulation"


def test_assumptions_are_shown(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.button(key="sl_run").click().run()
    text = " ".join(md.value for md in at.markdown)
    assert "DPD probes" in text


def test_a_lesson_link_preselects_the_scenario_and_runs_the_failure(open_page: OpenPage) -> None:
    at = open_page(PAGE, scenario="s3", fail="cgw-down:cgw-a@60")
    assert not at.exception
    assert at.selectbox(key="sl_scenario").value == "s3"
    assert _metrics(at)["Time to recover"] != "none"  # S3's health check moves the on-premises route
    at = open_page(PAGE, scenario="s3", fail="cgw-down:cgw-a@60", health_check_s="0")
    assert _metrics(at)["Time to recover"] == "none"


def test_a_link_with_an_unescaped_plus_still_reads_the_duration(open_page: OpenPage) -> None:
    at = open_page(PAGE, scenario="s1", fail="idle@60 300")
    assert not at.exception
    assert at.session_state["sl_failures"] == [{"kind": "idle", "target": "all", "at": 60, "dur": 300}]


def test_reset_puts_every_option_back_to_its_default(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.number_input(key="sl_opt_dpd_timeout_s").set_value(90).run()
    at.selectbox(key="sl_opt_dpd_timeout_action").select("restart").run()
    at.button(key="sl_reset").click().run()
    assert not at.exception
    assert at.number_input(key="sl_opt_dpd_timeout_s").value == facts.value("dpd_timeout_default")
    assert at.selectbox(key="sl_opt_dpd_timeout_action").value == facts.value("dpd_timeout_action_default")


def test_failures_for_parts_another_scenario_lacks_are_removed_with_a_note(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s4").run()
    _add(at, "cgw-down", "cgw-b")
    at.selectbox(key="sl_scenario").select("s1").run()
    assert not at.exception
    assert any("cgw-down on cgw-b" in w.value for w in at.warning)
    at.button(key="sl_run").click().run()
    assert not at.exception and not at.error


def test_unknown_scenario_in_a_link_is_named(open_page: OpenPage) -> None:
    at = open_page(PAGE, scenario="s9")
    assert not at.exception
    assert any("unknown scenario `s9`" in w.value for w in at.warning)


def test_a_link_sets_options_and_runs(open_page: OpenPage) -> None:
    at = open_page(PAGE, scenario="s1", fail="idle@60+300", dpd_timeout_action="restart", keepalive_s="30")
    assert not at.exception
    assert at.session_state["sl_opt_dpd_timeout_action"] == "restart"
    assert at.session_state["sl_opt_keepalive_s"] == 30


def test_a_link_with_a_bad_option_value_says_so_and_still_runs(open_page: OpenPage) -> None:
    at = open_page(PAGE, scenario="s1", startup_action="<b>now</b>")
    assert not at.exception
    assert any("option Startup action was ignored" in w.value and "<b>" not in w.value for w in at.warning)


def test_switching_scenario_takes_the_new_designs_defaults(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.selectbox(key="sl_scenario").select("s1").run()
    assert at.session_state["sl_opt_health_check_s"] == 0
    at.selectbox(key="sl_scenario").select("s3").run()
    assert at.session_state["sl_opt_health_check_s"] == 10


def test_only_the_open_result_tab_is_built(open_page: OpenPage) -> None:
    """The timeline is the first tab; the comparison's four extra runs happen only when its tab is open."""
    at = open_page(PAGE)
    _add(at, "cgw-down", "cgw-a")
    at.button(key="sl_run").click().run()
    assert len(at.get("plotly_chart")) == 3 and not at.table  # two drawings of the diagram, the timeline
    show_tab(at, "sl_results", "Same failure, S1 to S4 side by side")
    assert len(at.get("plotly_chart")) == 2 and at.table


def test_a_run_without_failures_says_no_log_lines_instead_of_an_empty_box(open_page: OpenPage) -> None:
    at = show_tab(open_page(PAGE), "sl_results", "Generated logs")
    assert not at.exception
    assert not at.code
    assert any("No log lines in this run" in i.value for i in at.info)


def test_bgp_timers_are_offered_only_for_designs_that_run_bgp(open_page: OpenPage) -> None:
    at = open_page(PAGE)  # S1 routes statically
    keys = {w.key for w in at.number_input}
    assert "sl_opt_bgp_hold_s" not in keys and "sl_opt_bgp_keepalive_s" not in keys
    assert any("No BGP timers here" in c.value for c in at.caption)
    at.selectbox(key="sl_scenario").select("s4").run()
    assert not at.exception
    assert {"sl_opt_bgp_hold_s", "sl_opt_bgp_keepalive_s"} <= {w.key for w in at.number_input}


def test_a_link_sets_the_run_length_and_a_bad_one_is_refused(open_page: OpenPage) -> None:
    """An exercise of 90 minutes links here with &duration=5400; a value out of range keeps the default."""
    at = open_page(PAGE, scenario="s1", fail="endpoint-replacement:tunnel-1@60", duration="5400")
    assert not at.exception
    assert at.number_input(key="sl_duration").value == 5400
    assert not at.warning
    at = open_page(PAGE, scenario="s1", fail="idle@60", duration="99999")
    assert not at.exception
    assert at.number_input(key="sl_duration").value == 600
    assert any("run length was ignored" in w.value for w in at.warning)


def test_an_instant_failure_is_listed_at_its_time_without_a_duration(open_page: OpenPage) -> None:
    """A Delete IKE_SA happens at one moment: "at 60 s", never "until the end"; the duration field is off."""
    at = open_page(PAGE, scenario="s4")
    at.selectbox(key="sl_new_kind").select("ike-delete").run()
    assert at.number_input(key="sl_new_dur").disabled
    _add(at, "ike-delete", "tunnel-1")
    _add(at, "cgw-down", "cgw-b", at_s=120, dur=60)
    assert at.session_state["sl_failures"][0]["dur"] is None
    lines = [m.value for m in at.markdown if m.value[:3] in ("1. ", "2. ")]
    assert lines[0].startswith("1. Customer gateway sends Delete IKE_SA on tunnel-1 (") and lines[0].endswith(
        " at 60 s"), lines
    assert lines[1].endswith("at 120 s, for 60 s"), lines


def test_the_failure_list_is_in_korean_on_a_korean_page(open_page: OpenPage) -> None:
    at = open_page(PAGE, lang="ko", scenario="s4", fail=["ike-delete:tunnel-1@60", "cgw-down:cgw-a@90"])
    assert not at.exception
    lines = [m.value for m in at.markdown if m.value[:3] in ("1. ", "2. ")]
    assert lines[0].startswith("1. 60초 시점 tunnel-1 (고객 게이트웨이 A") and lines[0].endswith("Delete IKE_SA 전송")
    assert lines[1] == "2. 90초 시점 cgw-a (고객 게이트웨이 A): 고객 게이트웨이 디바이스 다운, 끝까지"


def test_the_timeline_lists_its_numbered_failures_as_sentences(open_page: OpenPage) -> None:
    """The numbers tagged on the chart are explained in words below it (no table to scroll sideways on a phone)."""
    at = open_page(PAGE, scenario="s4", fail=["cgw-down:cgw-a@60+240", "endpoint-replacement:tunnel-3@200"])
    assert not at.exception
    listed = [m.value for m in at.markdown if m.value.startswith("1. ") and "\n2. " in m.value]
    assert listed == ["1. Customer gateway device down on cgw-a (Customer gateway A) at 60 s, for 240 s\n"
                      "2. AWS tunnel endpoint replacement on tunnel-3 (Customer gateway B, us-east-1a) at 200 s"]
