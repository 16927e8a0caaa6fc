"""What moto lacks, through botocore's Stubber: VgwTelemetry and TunnelOptions, replacement status,
AWS Health and tunnel logs, and the AWS errors each with its message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from lab import aws
from lab.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    ResourceNotFoundError,
    ServiceUnavailableError,
    ThrottledError,
)

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
VPN = "vpn-0a3f9c21d4e5b6a70"


def _client(service: str, region: str = "us-east-1") -> object:
    return boto3.client(service, region_name=region, endpoint_url="http://127.0.0.1:9")


def _describe_response(lifecycle: bool = False, log_group: str = "") -> dict:
    options = [
        {
            "OutsideIpAddress": ip,
            "DpdTimeoutSeconds": 30,
            "DpdTimeoutAction": "restart",
            "StartupAction": "start",
            "IkeVersions": [{"Value": "ikev2"}],
            "Phase1EncryptionAlgorithms": [{"Value": "AES256"}],
            "Phase1IntegrityAlgorithms": [{"Value": "SHA2-256"}],
            "Phase1DHGroupNumbers": [{"Value": 20}],
            "Phase2DHGroupNumbers": [{"Value": 20}],
            "PreSharedKey": "neverStoredAnywhere_123",
            "TunnelInsideCidr": "169.254.44.0/30",
            "EnableTunnelLifecycleControl": lifecycle,
            "LogOptions": {"CloudWatchLogOptions": {"LogEnabled": bool(log_group), "LogGroupArn": log_group}},
        }
        for ip in ("203.0.113.10", "203.0.113.138")
    ]
    return {
        "VpnConnections": [
            {
                "VpnConnectionId": VPN,
                "State": "available",
                "Type": "ipsec.1",
                "Category": "VPN",
                "CustomerGatewayId": "cgw-0b2c3d4e5f6a7b8c9",
                "TransitGatewayId": "tgw-0e1f2a3b4c5d6e7f8",
                "Options": {"StaticRoutesOnly": False, "TunnelOptions": options,
                            "LocalIpv4NetworkCidr": "10.20.0.0/16", "RemoteIpv4NetworkCidr": "0.0.0.0/0"},
                "Tags": [{"Key": "Name", "Value": "branch-oslo"}],
                "VgwTelemetry": [
                    {"OutsideIpAddress": "203.0.113.10", "Status": "UP", "StatusMessage": "", "AcceptedRouteCount": 4,
                     "LastStatusChange": NOW - timedelta(days=2)},
                    {"OutsideIpAddress": "203.0.113.138", "Status": "DOWN", "StatusMessage": "IPSEC IS DOWN",
                     "AcceptedRouteCount": 0, "LastStatusChange": NOW - timedelta(hours=3)},
                ],
            }
        ]
    }


def _stubbed_ec2(response: dict) -> tuple[object, Stubber]:
    ec2 = _client("ec2")
    stub = Stubber(ec2)
    stub.add_response("describe_vpn_connections", response, {})
    stub.add_response(
        "describe_customer_gateways",
        {"CustomerGateways": [{"CustomerGatewayId": "cgw-0b2c3d4e5f6a7b8c9", "IpAddress": "198.51.100.20", "State": "available", "Type": "ipsec.1", "BgpAsn": "65000"}]},
        {"CustomerGatewayIds": ["cgw-0b2c3d4e5f6a7b8c9"]},
    )
    return ec2, stub


def test_telemetry_and_tunnel_options_become_the_model() -> None:
    ec2, stub = _stubbed_ec2(_describe_response())
    with stub:
        (c,) = aws.list_connections(aws.Aws(region="us-east-1", clients={"ec2": ec2}))
    assert c.name == "branch-oslo" and c.routing == "bgp" and c.gateway_type == "tgw"
    assert [t.status for t in c.tunnels] == ["UP", "DOWN"]
    assert c.tunnels[1].status_message == "IPSEC IS DOWN"
    assert c.tunnels[0].accepted_route_count == 4
    o = c.tunnels[0].options
    assert (o.dpd_timeout_s, o.dpd_timeout_action, o.startup_action) == (30, "restart", "start")
    assert o.phase1_dh_groups == (20,) and o.ike_versions == ("ikev2",)
    assert c.customer_gateway_ip == "198.51.100.20"
    assert (c.local_ipv4_cidr, c.remote_ipv4_cidr) == ("10.20.0.0/16", "0.0.0.0/0")


def test_pre_shared_key_never_reaches_the_model() -> None:
    ec2, stub = _stubbed_ec2(_describe_response())
    with stub:
        connections = aws.list_connections(aws.Aws(region="us-east-1", clients={"ec2": ec2}))
    assert "neverStoredAnywhere_123" not in repr(connections)


def test_missing_options_take_the_documented_defaults() -> None:
    from lab import facts
    from lab.aws.convert import tunnel_options

    o = tunnel_options({"OutsideIpAddress": "203.0.113.10"})
    assert o.dpd_timeout_s == facts.value("dpd_timeout_default")
    assert o.dpd_timeout_action == facts.value("dpd_timeout_action_default")
    assert o.startup_action == facts.value("startup_action_default")


def test_replacement_status_fills_maintenance_and_events() -> None:
    ec2, stub = _stubbed_ec2(_describe_response(lifecycle=True))
    for ip in ("203.0.113.10", "203.0.113.138"):
        stub.add_response(
            "get_vpn_tunnel_replacement_status",
            {
                "VpnConnectionId": VPN,
                "VpnTunnelOutsideIpAddress": ip,
                "MaintenanceDetails": {
                    "PendingMaintenance": "Tunnel endpoint software update" if ip.endswith(".10") else "",
                    "MaintenanceAutoAppliedAfter": NOW + timedelta(days=9),
                    "LastMaintenanceApplied": NOW - timedelta(days=30),
                },
            },
            {"VpnConnectionId": VPN, "VpnTunnelOutsideIpAddress": ip},
        )
    session = aws.Aws(region="us-east-1", clients={"ec2": ec2})
    with stub:
        connections = aws.list_connections(session)
        updated, events = aws.fetch_maintenance(session, connections, NOW)
    m = updated[0].tunnels[0].maintenance
    assert m is not None and m.pending == "Tunnel endpoint software update"
    assert m.auto_applied_after == NOW + timedelta(days=9)
    kinds = sorted(e.kind for e in events)
    assert kinds == ["endpoint-replacement", "endpoint-replacement", "maintenance-pending"]
    assert session.calls["GetVpnTunnelReplacementStatus"] == 2


def test_maintenance_is_not_asked_for_tunnels_without_lifecycle_control() -> None:
    ec2, stub = _stubbed_ec2(_describe_response(lifecycle=False))
    session = aws.Aws(region="us-east-1", clients={"ec2": ec2})
    with stub:
        connections = aws.list_connections(session)
        aws.fetch_maintenance(session, connections, NOW)
    assert session.calls["GetVpnTunnelReplacementStatus"] == 0


def test_health_events_become_health_notices() -> None:
    health = _client("health")
    stub = Stubber(health)
    stub.add_response(
        "describe_events",
        {"events": [{"arn": "arn:aws:health:us-east-1::event/VPN/AWS_VPN_SINGLE_TUNNEL_NOTIFICATION/x",
                     "service": "VPN", "eventTypeCode": "AWS_VPN_SINGLE_TUNNEL_NOTIFICATION",
                     "eventTypeCategory": "accountNotification", "region": "us-east-1",
                     "startTime": NOW - timedelta(days=1), "statusCode": "open"}]},
    )
    with stub:
        events = aws.fetch_health(aws.Aws(region="us-east-1", clients={"health": health}), NOW - timedelta(days=7)).region_wide
    assert [e.kind for e in events] == ["health-notice"]
    assert "AWS_VPN_SINGLE_TUNNEL_NOTIFICATION" in events[0].detail


def test_tunnel_log_lines_of_the_connection_are_read_when_logging_is_on() -> None:
    group = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/vpn:*"
    ec2, stub = _stubbed_ec2(_describe_response(log_group=group))
    logs = _client("logs")
    logs_stub = Stubber(logs)
    line = '{"details": "AWS tunnel DPD timed out after 3 retransmits", "ike_phase1_state": "Down"}'
    logs_stub.add_response(
        "filter_log_events",
        {"events": [
            {"logStreamName": f"{VPN}-203.0.113.138", "timestamp": int(NOW.timestamp() * 1000) - 60000, "message": line},
            {"logStreamName": "vpn-0ffffffffffffffff-192.0.2.1", "timestamp": int(NOW.timestamp() * 1000), "message": "other"},
        ]},
    )
    session = aws.Aws(region="us-east-1", clients={"ec2": ec2, "logs": logs})
    with stub, logs_stub:
        connections = aws.list_connections(session)
        records = aws.fetch_logs(session, connections, NOW)
    assert [r.text for r in records] == [line]
    assert records[0].tunnel_ip == "203.0.113.138" and records[0].format == "aws-json"


@pytest.mark.parametrize(
    ("code", "message", "error", "says"),
    [
        ("ExpiredToken", "The security token included in the request is expired", CredentialsError, "expired"),
        ("UnauthorizedOperation",
         "You are not authorized to perform this operation. User: arn:aws:iam::1:user/x is not authorized to perform: ec2:DescribeVpnConnections",
         AccessDeniedError, "ec2:DescribeVpnConnections"),
        ("RequestLimitExceeded", "Request limit exceeded.", ThrottledError, "throttling"),
        ("InvalidVpnConnectionID.NotFound", "The vpnConnection ID 'vpn-0123456789abcdef0' does not exist",
         ResourceNotFoundError, "vpn-0123456789abcdef0"),
    ],
)
def test_each_aws_error_has_its_message_and_what_to_do(code: str, message: str, error: type, says: str) -> None:
    ec2 = _client("ec2")
    stub = Stubber(ec2)
    stub.add_client_error("describe_vpn_connections", service_error_code=code, service_message=message, http_status_code=400)
    with stub, pytest.raises(error) as raised:
        aws.list_connections(aws.Aws(region="us-east-1", clients={"ec2": ec2}))
    assert says in str(raised.value)
    assert raised.value.hint


def test_access_denied_names_the_permission_even_without_aws_saying_it() -> None:
    cw = _client("cloudwatch")
    stub = Stubber(cw)
    stub.add_client_error("get_metric_data", service_error_code="AccessDenied", service_message="Access denied")
    with stub, pytest.raises(AccessDeniedError) as raised:
        list(aws.Aws(region="us-east-1", clients={"cloudwatch": cw}).pages("cloudwatch", "GetMetricData",
              MetricDataQueries=[], StartTime=NOW - timedelta(hours=1), EndTime=NOW))
    assert raised.value.permission == "cloudwatch:GetMetricData"


def test_health_without_a_support_plan_is_service_unavailable() -> None:
    health = _client("health")
    stub = Stubber(health)
    stub.add_client_error("describe_events", service_error_code="SubscriptionRequiredException", service_message="x")
    with stub, pytest.raises(ServiceUnavailableError) as raised:
        aws.fetch_health(aws.Aws(region="us-east-1", clients={"health": health}), NOW)
    assert "support plan" in str(raised.value)


def test_no_credentials_is_a_credentials_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    aws.forget_clients()
    with pytest.raises(CredentialsError) as raised:
        aws.identity(aws.Aws(region="us-east-1"))
    assert "No AWS credentials" in str(raised.value)
    assert "aws configure" in raised.value.hint


def test_expired_sso_session_says_to_log_in_again() -> None:
    from botocore.exceptions import UnauthorizedSSOTokenError

    from lab.aws.failures import translate

    err = translate(UnauthorizedSSOTokenError(), service="sts", operation="GetCallerIdentity", profile="prod", region="eu-west-1")
    assert isinstance(err, CredentialsError)
    assert "aws sso login --profile prod" in err.hint


def test_unknown_profile_is_a_credentials_error_naming_it() -> None:
    aws.forget_clients()
    with pytest.raises(CredentialsError) as raised:
        aws.identity(aws.Aws(profile="no-such-profile", region="us-east-1"))
    assert "no-such-profile" in str(raised.value)


def test_html_error_pages_are_not_shown_raw() -> None:
    ec2 = _client("ec2")
    stub = Stubber(ec2)
    stub.add_client_error("describe_vpn_connections", service_error_code="500", service_message="<!doctype html><title>500</title>", http_status_code=500)
    with stub, pytest.raises(AwsError) as raised:
        aws.list_connections(aws.Aws(region="us-east-1", clients={"ec2": ec2}))
    assert "<" not in str(raised.value)
