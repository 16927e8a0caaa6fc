"""The Monitor page in AppTest: replays without an account, live AWS against a moto server, every
AWS error with its message while the page keeps working, and the hand-off to the troubleshooter."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError
from streamlit.testing.v1 import AppTest

from lab import replay
from lab.aws.failures import translate
from lab.errors import AwsError
from tests.app.conftest import OpenPage, show_tab
from tests.aws.fakes import moto, moto_url, seed_two_connections  # noqa: F401 - pytest fixtures

PAGE = "ui/pages/monitor.py"


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in at.error] + [i.value for i in at.info] + [s.value for s in at.success]
    parts += [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def _charts(at: AppTest) -> list:
    return at.get("plotly_chart")


def _connection(at: AppTest) -> AppTest:
    """The Connection tab (chart, telemetry, events, logs); the page opens on the Inventory tab."""
    return show_tab(at, "monitor_tab", "Connection")


def test_without_credentials_the_page_opens_on_a_replay_with_a_chart(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Monitor"
    assert at.selectbox(key="monitor_source").value.startswith("replay:")
    assert "choose Live AWS in Source" in _texts(at)
    assert len(_charts(_connection(at))) == 1


@pytest.mark.parametrize("slug", replay.slugs())
def test_every_replay_renders(open_page: OpenPage, slug: str) -> None:
    at = open_page(PAGE, replay=slug)
    assert not at.exception
    assert at.selectbox(key="monitor_source").value == f"replay:{slug}"
    assert at.dataframe, "inventory table"
    assert replay.incident(slug).title in _texts(at)
    _connection(at)
    assert not at.exception
    assert len(_charts(at)) == 1
    assert at.dataframe, "telemetry table"


def test_chart_traces_are_per_tunnel(open_page: OpenPage) -> None:
    at = _connection(open_page(PAGE, replay="dpd-idle-tunnel"))
    spec = _charts(at)[0].proto.spec
    assert "Tunnel 1 (203.0.113.10) TunnelState" in spec and "Tunnel 2 (203.0.113.138) TunnelState" in spec
    assert "data is not liveness" in spec


def test_inventory_filter_keeps_matching_rows_and_says_when_none_match(open_page: OpenPage) -> None:
    at = open_page(PAGE, replay="bgp-failover-s4")
    at.text_input(key="monitor_filter").input("cgw-b").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["hq-cgw-b"]
    at.text_input(key="monitor_filter").input("nothing-like-this").run()
    assert any("No connection matches" in w.value for w in at.warning)


def test_a_phone_gets_one_card_per_connection_with_every_column(open_page: OpenPage) -> None:
    """Beside the table (shown on wide screens) each connection is a card (shown on phones): no sideways scroll."""
    at = open_page(PAGE, replay="bgp-failover-s4")
    assert not at.exception
    table = at.dataframe[0].value
    cards = [m.value for m in at.get("markdown") if m.value.startswith("**vpn-")]
    assert len(cards) == len(table)
    first = table.iloc[0]
    assert "Tunnels up: **" + str(first["Tunnels up"]) + "**" in cards[0]
    assert all(f"{column}: **" in cards[0] for column in table.columns[2:])
    at.text_input(key="monitor_filter").input("cgw-b").run()
    assert [m.value for m in at.get("markdown") if m.value.startswith("**vpn")][0].endswith("**VPN**")
    assert len([m for m in at.get("markdown") if m.value.startswith("**vpn")]) == 1, "the filter applies to cards"


def test_inventory_card_shows_aws_values_as_plain_text() -> None:
    from lab.ui.monitor_views import inventory_card

    card = inventory_card({"Connection": "vpn-1", "Name": "**x** [a](b)", "Tunnels up": "1/2", "Category": ""})
    assert card == "**vpn-1** · \\*\\*x\\*\\* \\[a\\](b)  \nTunnels up: **1/2**"


def test_the_options_table_names_the_selector_pair_aws_negotiates() -> None:
    from lab.model import Tunnel, TunnelOptions, VpnConnection
    from lab.ui.monitor_views import options_rows

    o = TunnelOptions()
    c = VpnConnection("vpn-0a1b2c3d", (Tunnel("203.0.113.10", o, "UP"), Tunnel("203.0.113.20", o, "UP")),
                      local_ipv4_cidr="10.20.0.0/16", remote_ipv4_cidr="0.0.0.0/0")
    rows = options_rows(c).set_index("Option")
    assert list(rows.loc["Local IPv4 network CIDR (customer gateway side)"]) == ["10.20.0.0/16", "10.20.0.0/16"]
    assert list(rows.loc["Remote IPv4 network CIDR (AWS side)"]) == ["0.0.0.0/0", "0.0.0.0/0"]
    unknown = options_rows(VpnConnection("vpn-0a1b2c3d", (Tunnel("203.0.113.10", o, "UP"),))).set_index("Option")
    assert list(unknown.loc["Remote IPv4 network CIDR (AWS side)"]) == ["-"]


def test_choosing_a_connection_shows_its_telemetry(open_page: OpenPage) -> None:
    at = _connection(open_page(PAGE, replay="bgp-failover-s4"))
    at.selectbox(key="monitor_vpn").set_value("vpn-05f6e7d8c9b0a1f2e").run()
    assert not at.exception
    telemetry = at.dataframe[0].value
    assert list(telemetry["Status"]) == ["UP", "UP"]


def test_audit_tab_lists_findings_with_fix_and_link(open_page: OpenPage) -> None:
    at = show_tab(open_page(PAGE, replay="psk-mismatch-after-rotation"), "monitor_tab", "Audit")
    labels = [e.label for e in at.expander]
    assert any(label.startswith("High: Tunnel down") for label in labels)
    assert "[AWS documentation](https://docs.aws.amazon.com/" in _texts(at)


def test_replay_logs_are_analyzed(open_page: OpenPage) -> None:
    at = _connection(open_page(PAGE, replay="psk-mismatch-after-rotation"))
    assert "Log analyzer:" in _texts(at)
    assert any("AUTHENTICATION_FAILED" in c.value for c in at.code)


def test_handoff_fills_the_troubleshooter_inputs(open_page: OpenPage) -> None:
    at = _connection(open_page(PAGE, replay="cgw-deleted-ike-sa"))
    at.button(key="monitor_handoff").click().run()
    assert not at.exception
    assert "AWS tunnel received DELETE for IKE_SA from CGW" in at.session_state["shared_log_text"]
    assert at.session_state["shared_snapshot"].source == "replay"
    from lab.ui.registry import page

    assert at.title[0].value == page("troubleshooter").heading


def test_simulation_source_renders_when_the_simulator_exists(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    sims = [o for o in at.selectbox(key="monitor_source").options if o.startswith("Simulation: ")]
    if not sims:
        pytest.skip("lab.sim is not installed")
    option = next(k for k in _option_ids(at) if k.startswith("sim:"))
    at.selectbox(key="monitor_source").set_value(option).run()
    assert not at.exception
    assert len(_charts(_connection(at))) == 1


def _option_ids(at: AppTest) -> list[str]:
    from lab.ui.monitor_sources import source_options

    return list(source_options()[0])


def test_live_aws_shows_both_seeded_connections(open_page: OpenPage, moto: str) -> None:  # noqa: F811
    made = seed_two_connections(moto)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any(s.value.startswith("Connected as `arn:aws:") for s in at.success)
    table = at.dataframe[0].value
    assert set(table["Connection"]) == set(made)
    assert set(table["Tunnels up"]) == {"1/2", "2/2"}
    assert len(_charts(_connection(at))) == 1
    calls = next(c.value for c in at.caption if c.value.startswith("AWS calls for this view"))
    assert "DescribeVpnConnections 1" in calls and "GetMetricData 1" in calls


def test_live_refresh_within_the_ttl_makes_no_new_calls_and_keeps_no_credentials(open_page: OpenPage, moto: str) -> None:  # noqa: F811
    seed_two_connections(moto)
    at = open_page(PAGE, source="aws")
    at.run()
    calls = next(c.value for c in at.caption if c.value.startswith("AWS calls for this view"))
    assert "0 made in this refresh" in calls
    # Only profile names and regions are kept: no credential is ever in session state.
    secret = os.environ["AWS_SECRET_ACCESS_KEY"]
    state = at.session_state.to_dict()
    assert state and all(secret not in repr(value) for value in state.values())


def _client_error(code: str, message: str, operation: str = "DescribeVpnConnections") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, operation)


ERRORS = {
    "no-credentials": (NoCredentialsError(), "No AWS credentials found"),
    "expired-token": (_client_error("ExpiredToken", "expired"), "has expired"),
    "access-denied": (
        _client_error("UnauthorizedOperation", "is not authorized to perform: ec2:DescribeVpnConnections"),
        "lacks ec2:DescribeVpnConnections",
    ),
    "throttled": (_client_error("RequestLimitExceeded", "Request limit exceeded."), "kept throttling"),
    "unreachable": (EndpointConnectionError(endpoint_url="https://ec2.us-east-1.amazonaws.com/"), "Could not reach"),
    "unknown-id": (_client_error("InvalidVpnConnectionID.NotFound", "The vpnConnection ID 'vpn-0123456789abcdef0' does not exist"), "does not exist"),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_each_aws_error_shows_its_message_and_the_page_keeps_working(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    exc, says = ERRORS[case]
    error = translate(exc, service="ec2", operation="DescribeVpnConnections", profile=None, region="us-east-1")

    def _fail(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr("lab.aws.identity", lambda *_: "arn:aws:iam::123456789012:user/test")
    monkeypatch.setattr("lab.aws.list_connections", _fail)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any(says in e.value for e in at.error), [e.value for e in at.error]
    assert at.info and "replays" in at.info[0].value
    at.button(key="monitor_open_replay").click().run()
    assert not at.exception
    assert at.selectbox(key="monitor_source").value.startswith("replay:")
    assert len(_charts(_connection(at))) == 1


def test_health_without_support_plan_is_a_note_and_the_rest_shows(open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, moto: str) -> None:  # noqa: F811
    seed_two_connections(moto)
    error = translate(_client_error("SubscriptionRequiredException", "x", "DescribeEvents"), service="health",
                      operation="DescribeEvents", profile=None, region="us-east-1")

    def _no_health(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr("lab.aws.fetch.fetch_health", _no_health)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any("support plan" in w.value for w in at.warning)
    assert len(_charts(_connection(at))) == 1
    assert isinstance(error, AwsError)


def test_unreachable_endpoint_end_to_end(open_page: OpenPage, monkeypatch: pytest.MonkeyPatch) -> None:
    from lab.aws import forget_clients
    from tests.net import closed_port

    with closed_port() as port:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        forget_clients()
        at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any("Could not reach the AWS endpoint" in e.value for e in at.error)
    forget_clients()


def test_auto_refresh_is_off_by_default_and_refreshes_the_charts_when_on(open_page: OpenPage, moto: str) -> None:  # noqa: F811
    seed_two_connections(moto)
    at = _connection(open_page(PAGE, source="aws"))
    assert at.toggle(key="monitor_autorefresh").value is False
    at.toggle(key="monitor_autorefresh").set_value(True).run()
    assert not at.exception
    assert any("refreshing every 1 min" in c.value for c in at.caption)
    assert len(_charts(at)) == 1


def test_replays_offer_no_auto_refresh(open_page: OpenPage) -> None:
    at = _connection(open_page(PAGE, replay="dpd-idle-tunnel"))
    assert at.dataframe, "the Connection tab is shown"
    assert not [t for t in at.toggle if t.key == "monitor_autorefresh"]


def test_a_malformed_aws_config_is_a_clear_message(
    open_page: OpenPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "config"
    bad.write_text("[profile broken\nregion = eu-west-1\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(bad))
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any("AWS config file could not be read" in e.value for e in at.error)


def test_an_unknown_replay_in_the_link_falls_back_with_a_warning(open_page: OpenPage) -> None:
    at = open_page(PAGE, replay="no-such-incident")
    assert not at.exception
    assert any("unknown source `replay:no-such-incident`" in w.value for w in at.warning)
    assert len(_charts(_connection(at))) == 1


def test_live_tunnel_log_is_analyzed_and_put_on_the_timeline(open_page: OpenPage, moto: str) -> None:  # noqa: F811
    seed_two_connections(moto, days=1, tunnel_log=True)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    static = next(c for c in at.dataframe[0].value.itertuples() if c.Name == "branch-a").Connection
    _connection(at)
    at.selectbox(key="monitor_vpn").set_value(static).run()
    assert not at.exception
    assert "Log analyzer:" in _texts(at)
    spec = _charts(at)[0].proto.spec
    assert "Events: failures" in spec and "Tunnel log line" in spec


def test_a_region_without_connections_says_so(open_page: OpenPage, moto: str) -> None:  # noqa: F811
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert any("No Site-to-Site VPN connections in this region" in i.value for i in at.info)
    show_tab(at, "monitor_tab", "Audit")
    assert any("No connections to audit" in i.value for i in at.info)


def test_a_broken_incident_is_reported_and_the_others_still_work(
    open_page: OpenPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    incidents = tmp_path / "incidents"
    shutil.copytree(replay.INCIDENTS_DIR / "dpd-idle-tunnel", incidents / "dpd-idle-tunnel")
    (incidents / "broken").mkdir()
    (incidents / "broken" / "incident.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    monkeypatch.setattr(replay, "INCIDENTS_DIR", incidents)
    replay.incident.cache_clear()
    try:
        at = open_page(PAGE)
        assert not at.exception
        assert any("Replay 'broken' cannot be loaded" in e.value for e in at.error)
        assert at.selectbox(key="monitor_source").value == "replay:dpd-idle-tunnel"
        assert len(_charts(_connection(at))) == 1
    finally:
        replay.incident.cache_clear()


def test_health_events_show_on_their_connection_and_region_wide_ones_once(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, moto: str  # noqa: F811
) -> None:
    from datetime import UTC, datetime, timedelta

    from lab.aws import HealthEvents
    from lab.model import Event

    made = seed_two_connections(moto)
    first, second = sorted(made)
    when = datetime.now(UTC) - timedelta(hours=2)

    def _health(_aws: object, _start: object, connections: tuple) -> HealthEvents:
        assert {c.id for c in connections} == set(made), "matched against every connection of the region"
        return HealthEvents(
            events=(Event(when, "health-notice", "AWS Health: SECOND_ONLY", second),),
            region_wide=(Event(when, "health-notice", "AWS Health: REGION_NOTICE"),),
        )

    monkeypatch.setattr("lab.aws.fetch.fetch_health", _health)
    at = _connection(open_page(PAGE, source="aws"))
    assert not at.exception
    at.selectbox(key="monitor_vpn").set_value(first).run()
    assert not at.exception
    assert "Region-wide AWS Health events" in _texts(at)
    tables = [d.value for d in at.dataframe]
    region = [t for t in tables if "Event" in t.columns]
    assert len(region) == 1 and list(region[0]["Event"]) == ["AWS Health: REGION_NOTICE"]
    details = [str(v) for t in tables if "Detail" in t.columns for v in t["Detail"]]
    assert not any("SECOND_ONLY" in d or "REGION_NOTICE" in d for d in details), "neither is on the first connection"
    at.selectbox(key="monitor_vpn").set_value(second).run()
    assert not at.exception
    details = [str(v) for t in (d.value for d in at.dataframe) if "Detail" in t.columns for v in t["Detail"]]
    assert any("SECOND_ONLY" in d for d in details)


def test_choosing_a_simulation_puts_it_in_the_link(open_page: OpenPage) -> None:
    """The URL names the shown source, so a reload or a shared link opens the same one."""
    at = open_page(PAGE, replay="dpd-idle-tunnel")
    at.selectbox(key="monitor_source").set_value("sim:s4").run()
    assert not at.exception
    assert at.query_params["source"] in ("sim:s4", ["sim:s4"])
    assert "replay" not in at.query_params


def _team(monkeypatch: pytest.MonkeyPatch, live: bool) -> None:
    from lab.ui.serving import LIVE_ENV, PROFILE_ENV, TEAM_ENV

    monkeypatch.setenv(TEAM_ENV, "1")
    monkeypatch.setenv(LIVE_ENV, "1" if live else "0")
    monkeypatch.delenv(PROFILE_ENV, raising=False)


def test_team_server_without_live_aws_offers_no_live_source(open_page: OpenPage, monkeypatch: pytest.MonkeyPatch) -> None:
    _team(monkeypatch, live=False)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert "aws" not in at.selectbox(key="monitor_source").options
    assert not any(o == "Live AWS" for o in at.selectbox(key="monitor_source").options)
    assert any("Live AWS is off on this shared server" in i.value for i in at.info)
    assert len(_charts(_connection(at))) == 1, "the replay still works"


def test_team_server_with_live_aws_hides_profiles_and_names_the_identity(
    open_page: OpenPage, monkeypatch: pytest.MonkeyPatch, moto: str  # noqa: F811
) -> None:
    seed_two_connections(moto)
    _team(monkeypatch, live=True)
    at = open_page(PAGE, source="aws")
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "monitor_profile"], "no profile list for visitors"
    assert "operator's identity" in _texts(at)
    assert any(s.value.startswith("Connected as `arn:aws:") for s in at.success)


def test_only_the_open_tab_is_built_and_the_chosen_connection_survives_another_tab(open_page: OpenPage) -> None:
    at = open_page(PAGE, replay="bgp-failover-s4")
    assert not _charts(at), "the chart is not built while the Inventory tab is open"
    _connection(at).selectbox(key="monitor_vpn").set_value("vpn-05f6e7d8c9b0a1f2e").run()
    show_tab(at, "monitor_tab", "Inventory")
    audit = [e for e in at.expander if e.label.startswith(("High:", "Medium:", "Low:"))]
    assert not _charts(at) and not audit, "neither the chart nor the audit findings are built"
    _connection(at)
    assert at.selectbox(key="monitor_vpn").value == "vpn-05f6e7d8c9b0a1f2e"


def test_inventory_shows_tunnels_up_before_the_long_gateway_columns(open_page: OpenPage) -> None:
    """A narrow window cuts the last columns of the table: tunnels up is never among them."""
    at = open_page(PAGE, replay="dpd-idle-tunnel")
    columns = list(at.dataframe[0].value.columns)
    assert columns[:3] == ["Connection", "Name", "Tunnels up"]
    assert columns.index("Tunnels up") < columns.index("Gateway") < columns.index("Customer gateway")


def _tunnel_state_minimum(at: AppTest) -> float:
    """The lowest TunnelState any tunnel of the shown connection reached on the chart."""
    import json

    spec = json.loads(_charts(at)[0].proto.spec)
    values = [v for tr in spec["data"] if tr.get("name", "").endswith("TunnelState") for v in tr["y"] if v is not None]
    return min(values)


def test_a_simulation_takes_a_failure_script_and_its_charts_show_it(open_page: OpenPage) -> None:
    """The simulation source is healthy until a failure from the scenario lab's catalogue is added; then the
    Connection tab's metric, chart and events show the failure."""
    at = open_page(PAGE, source="sim:s4")
    assert not at.exception
    assert any("No failure: the design runs healthy" in i.value for i in at.info)
    assert _tunnel_state_minimum(_connection(at)) == 1.0
    at.selectbox(key="monitor_fail_new_kind").set_value("cgw-down").run()
    at.selectbox(key="monitor_fail_new_target").set_value("cgw-a").run()
    at.number_input(key="monitor_fail_new_at").set_value(120).run()
    at.button(key="monitor_fail_add").click().run()
    assert not at.exception
    assert any("down on cgw-a (Customer gateway A) at 120 s, until the end" in m.value for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Tunnels up"] == "0/2"  # gateway A's connection, after the failure
    assert _tunnel_state_minimum(at) == 0.0
    events = next(d.value for d in at.dataframe if "Kind" in d.value.columns)
    assert len(events) > 0
    # Removing the failure brings the healthy design back.
    at.button(key="monitor_fail_rm_0").click().run()
    assert not at.exception
    assert _tunnel_state_minimum(_connection(at)) == 1.0


def test_a_failure_script_the_simulator_refuses_is_explained_and_kept(open_page: OpenPage) -> None:
    """A failure that starts after the run ends: the simulator's message, and the script stays as entered."""
    at = open_page(PAGE, source="sim:s3")
    at.selectbox(key="monitor_fail_new_kind").set_value("cgw-link-down").run()
    at.number_input(key="monitor_fail_new_at").set_value(900).run()
    at.button(key="monitor_fail_add").click().run()
    assert not at.exception
    assert any("starts at 900 s, outside the run (0 to 599 s)" in e.value for e in at.error)
    assert at.session_state["monitor_failures"] == [{"kind": "cgw-link-down", "target": "cgw-a", "at": 900, "dur": None}]
    at.number_input(key="monitor_sim_duration").set_value(1200).run()  # lengthen the run: it works, nothing re-entered
    assert not at.exception and not at.error
    assert _tunnel_state_minimum(_connection(at)) == 0.0


def test_a_link_carries_a_simulation_failure_and_a_bad_one_is_named(open_page: OpenPage) -> None:
    at = open_page(PAGE, source="sim:s4", fail="cgw-down:cgw-b@60+120")
    assert not at.exception
    assert at.session_state["monitor_failures"] == [{"kind": "cgw-down", "target": "cgw-b", "at": 60, "dur": 120}]
    at = open_page(PAGE, source="sim:s4", fail="melt-down@60")
    assert not at.exception
    assert any("Link ignored a failure" in w.value and "melt-down" in w.value for w in at.warning)
    assert at.session_state["monitor_failures"] == []


def test_a_script_naming_parts_the_next_design_lacks_loses_only_those(open_page: OpenPage) -> None:
    at = open_page(PAGE, source="sim:s4", fail="cgw-down:cgw-b@60")
    at.selectbox(key="monitor_source").set_value("sim:s1").run()  # S1 has one customer gateway
    assert not at.exception
    assert any("no such part" in w.value and "cgw-b" in w.value for w in at.warning)
    assert at.session_state["monitor_failures"] == []


def test_a_bgp_reset_that_came_back_reads_as_nothing_to_fix_with_the_analyzer_s_note(open_page: OpenPage) -> None:
    """The simulated BGP reset: the session went down and came up again. The connection's log reading says nothing
    needs fixing and shows the analyzer's note (why it went down, where it came back), not "no known failure"."""
    at = open_page(PAGE, source="sim:s4", fail="bgp-reset:tunnel-1@60")
    assert not at.exception
    at = _connection(at)
    texts = _texts(at)
    assert "no failure that needs fixing in these lines" in texts
    assert any("came up again at line" in c.value for c in at.caption)
