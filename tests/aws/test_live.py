"""Live AWS against a moto server seeded with two connections and a week of metrics."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from lab import aws
from lab.cli import main
from lab.errors import ResourceNotFoundError
from tests.aws.fakes import seed_two_connections


def test_inventory_lists_both_seeded_connections(moto: str) -> None:
    made = seed_two_connections(moto)
    connections = aws.list_connections(aws.Aws(region="us-east-1"))
    assert {c.id for c in connections} == set(made)
    names = {c.name for c in connections}
    assert names == {"branch-a", "dc-b"}


def test_inventory_reads_routing_telemetry_and_customer_gateway_ip(moto: str) -> None:
    seed_two_connections(moto)
    by_name = {c.name: c for c in aws.list_connections(aws.Aws(region="us-east-1"))}
    assert by_name["branch-a"].routing == "static"
    assert by_name["dc-b"].routing == "bgp"
    assert by_name["branch-a"].tunnels_up == 1
    assert by_name["dc-b"].tunnels_up == 2
    assert by_name["branch-a"].customer_gateway_ip == "198.51.100.10"
    assert by_name["dc-b"].tunnels[0].options.ike_versions == ("ikev2",)


def test_inventory_costs_one_describe_call_per_region(moto: str) -> None:
    seed_two_connections(moto)
    session = aws.Aws(region="us-east-1")
    aws.list_connections(session)
    assert session.calls["DescribeVpnConnections"] == 1
    assert session.calls["DescribeCustomerGateways"] == 1


def test_metrics_of_a_week_come_back_per_tunnel_in_one_request(moto: str) -> None:
    seed_two_connections(moto, days=7, step_minutes=180)  # moto filters every point for every period: keep it small
    session = aws.Aws(region="us-east-1")
    connections = aws.list_connections(session)
    result = aws.fetch_details(session, connections, window="1 week", health=False, logs=False)
    assert session.calls["GetMetricData"] == 1
    assert len(result.snapshot.series) == 2 * 2 * 3
    state = [s for s in result.snapshot.series if s.metric == "TunnelState"]
    assert all(len(s.values) >= 7 * 8 - 1 for s in state)  # one point per 3 hours seeded
    assert result.period_s == 900


def test_down_tunnel_reads_zero_at_the_end_of_the_window(moto: str) -> None:
    made = seed_two_connections(moto)
    vpn_id, ips = next((v, i) for v, i in made.items())
    session = aws.Aws(region="us-east-1")
    connections = aws.list_connections(session, [vpn_id])
    result = aws.fetch_details(session, connections, window="1 day", health=False, logs=False)
    down = next(s for s in result.snapshot.series if s.tunnel_ip == ips[1] and s.metric == "TunnelState")
    assert down.values[-1] == 0.0
    assert down.values[0] == 1.0


def test_unknown_connection_id_is_a_clear_error(moto: str) -> None:
    seed_two_connections(moto)
    with pytest.raises(ResourceNotFoundError) as err:
        aws.list_connections(aws.Aws(region="us-east-1"), ["vpn-0123456789abcdef0"])
    assert "vpn-0123456789abcdef0" in str(err.value)
    assert "region" in err.value.hint


def test_health_unavailable_on_the_endpoint_becomes_a_note(moto: str) -> None:
    seed_two_connections(moto)
    session = aws.Aws(region="us-east-1")
    connections = aws.list_connections(session)
    result = aws.fetch_details(session, connections, window="1 hour", health=True, logs=False)
    assert any(n.startswith("AWS Health events could not be read") for n in result.notes)
    assert result.snapshot.series


def test_identity_shows_the_callers_arn(moto: str) -> None:
    assert aws.identity(aws.Aws(region="us-east-1")).startswith("arn:aws:")


def test_status_json_shows_both_connections(moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    made = seed_two_connections(moto)
    code = main(["status", "--region", "us-east-1", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["source"] == "aws"
    assert {c["id"] for c in doc["connections"]} == set(made)
    first = doc["connections"][0]
    assert set(first) == {"id", "routing", "tunnels", "findings"}
    assert set(first["tunnels"][0]) == {"outside_ip", "status", "status_message"}
    assert set(first["findings"][0]) == {"rule", "severity", "message"}
    assert code == 1  # branch-a has a tunnel down


def test_status_exits_0_when_every_tunnel_is_up_and_nothing_is_high(moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    made = seed_two_connections(moto)
    healthy = [v for v, ips in made.items() if ips[0] == "203.0.113.20"][0]
    assert main(["status", "--region", "us-east-1", "--vpn-id", healthy]) == 0
    assert healthy in capsys.readouterr().out


def test_status_with_unknown_id_exits_2_with_message(moto: str, capsys: pytest.CaptureFixture[str]) -> None:
    seed_two_connections(moto)
    assert main(["status", "--region", "us-east-1", "--vpn-id", "vpn-0123456789abcdef0"]) == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err


def test_status_with_unreachable_endpoint_exits_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.net import closed_port

    with closed_port() as port:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
        aws.forget_clients()
        assert main(["status", "--region", "us-east-1"]) == 2
    assert "Could not reach the AWS endpoint" in capsys.readouterr().err


def test_window_end_is_minute_aligned() -> None:
    start, end = aws.window_bounds("1 hour", datetime(2026, 1, 1, 10, 30, 45, tzinfo=UTC))
    assert end == datetime(2026, 1, 1, 10, 30, tzinfo=UTC)
    assert (end - start).total_seconds() == 3600


def test_tunnel_log_lines_are_read_for_tunnels_with_logging_on(moto: str) -> None:
    made = seed_two_connections(moto, days=1, tunnel_log=True)
    session = aws.Aws(region="us-east-1")
    connections = aws.list_connections(session)
    result = aws.fetch_details(session, connections, window="1 hour", health=False, logs=True)
    (record,) = result.snapshot.logs
    static_id = next(v for v, ips in made.items() if ips[0] == "203.0.113.10")
    assert record.vpn_id == static_id and record.tunnel_ip == "203.0.113.138"
    assert "DPD timed out" in record.text and record.format == "aws-json"
    assert session.calls["FilterLogEvents"] == 1


def test_status_warns_when_maintenance_cannot_be_read_and_still_reports(
    moto: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from moto.backends import get_backend

    made = seed_two_connections(moto)
    vpn_id = next(iter(made))
    model = get_backend("ec2")["123456789012"]["us-east-1"].vpn_connections[vpn_id]
    model.options["TunnelOptions"][0]["EnableTunnelLifecycleControl"] = True
    # The local server has no GetVpnTunnelReplacementStatus: it answers HTTP 500.
    code = main(["status", "--region", "us-east-1", "--vpn-id", vpn_id])
    captured = capsys.readouterr()
    assert "warning: endpoint maintenance could not be read" in captured.err
    assert vpn_id in captured.out
    assert code == 1  # a tunnel is down, not an error
