"""AWS Health events tied to the connections they affect (DescribeAffectedEntities through botocore's
Stubber): per-connection events, region-wide ones, pagination and batching, and the fallback when the
affected entities cannot be read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import boto3
import pytest
from botocore.stub import Stubber

from lab import aws
from lab.aws.convert import affected_target
from lab.errors import CredentialsError
from lab.model import Tunnel, VpnConnection

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
VPN_A = "vpn-0a3f9c21d4e5b6a70"
VPN_B = "vpn-0b4e8d32c5f6a7b81"
A = VpnConnection(VPN_A, (Tunnel("203.0.113.10"), Tunnel("203.0.113.138")), name="branch-oslo")
B = VpnConnection(VPN_B, (Tunnel("203.0.113.20"), Tunnel("203.0.113.148")), name="dc-bergen")
REGION = (A, B)


def _client(service: str) -> object:
    return boto3.client(service, region_name="us-east-1", endpoint_url="http://127.0.0.1:9")


def _arn(n: int) -> str:
    return f"arn:aws:health:us-east-1::event/VPN/AWS_VPN_REDUNDANCY_LOSS/event-{n:02d}"


def _event(n: int, scope: str = "ACCOUNT_SPECIFIC", code: str = "AWS_VPN_REDUNDANCY_LOSS") -> dict:
    return {
        "arn": _arn(n), "service": "VPN", "eventTypeCode": code, "eventTypeCategory": "issue",
        "region": "us-east-1", "startTime": NOW - timedelta(hours=n + 1), "statusCode": "open",
        "eventScopeCode": scope,
    }


def _entity(n: int, value: str) -> dict:
    return {"entityArn": f"arn:aws:health:us-east-1:123456789012:entity/{n}", "eventArn": _arn(n), "entityValue": value}


def _stub(events: list[dict], entity_pages: list[tuple[list[str], dict]]) -> tuple[aws.Aws, Stubber]:
    """A session whose Health client answers DescribeEvents with `events`, then each (ARNs, page)."""
    health = _client("health")
    stub = Stubber(health)
    stub.add_response("describe_events", {"events": events})
    for arns, page in entity_pages:
        params: dict = {"filter": {"eventArns": arns}}
        if page.get("_token_in"):
            params["nextToken"] = page.pop("_token_in")
        stub.add_response("describe_affected_entities", page, params)
    return aws.Aws(region="us-east-1", clients={"health": health}), stub


def test_an_event_affecting_connection_a_is_only_on_a() -> None:
    session, stub = _stub([_event(1)], [([_arn(1)], {"entities": [_entity(1, VPN_A)]})])
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    stub.assert_no_pending_responses()
    assert [(e.vpn_id, e.tunnel_ip) for e in found.events] == [(VPN_A, "")]
    assert found.region_wide == () and found.note == ""


def test_an_event_with_no_matching_entity_is_region_wide() -> None:
    gone = "vpn-0fffffffffffffff0"
    session, stub = _stub([_event(1), _event(2)], [([_arn(1), _arn(2)], {"entities": [_entity(1, gone)]})])
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    assert found.events == ()
    assert [e.vpn_id for e in found.region_wide] == ["", ""]
    assert f"affects {gone}" in found.region_wide[0].detail
    assert "affects" not in found.region_wide[1].detail


def test_public_events_are_region_wide_without_asking_for_entities() -> None:
    session, stub = _stub([_event(1, scope="PUBLIC")], [])
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    assert len(found.region_wide) == 1 and found.events == ()
    assert session.calls["DescribeAffectedEntities"] == 0


def test_affected_entities_are_paginated_and_asked_ten_event_arns_at_a_time() -> None:
    events = [_event(n) for n in range(12)]
    first, rest = [_arn(n) for n in range(10)], [_arn(10), _arn(11)]
    session, stub = _stub(
        events,
        [
            (first, {"entities": [_entity(0, VPN_A)], "nextToken": "page-2"}),
            (first, {"entities": [_entity(9, VPN_B)], "_token_in": "page-2"}),
            (rest, {"entities": [_entity(11, VPN_B)]}),
        ],
    )
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    stub.assert_no_pending_responses()
    assert session.calls["DescribeAffectedEntities"] == 3
    assert sorted(e.vpn_id for e in found.events) == [VPN_A, VPN_B, VPN_B]
    assert len(found.region_wide) == 9


def test_an_event_affecting_two_connections_is_on_each() -> None:
    session, stub = _stub(
        [_event(1)], [([_arn(1)], {"entities": [_entity(1, VPN_A), _entity(1, VPN_B), _entity(1, "UNKNOWN")]})]
    )
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    assert sorted(e.vpn_id for e in found.events) == [VPN_A, VPN_B]
    assert found.region_wide == ()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (VPN_A, (VPN_A, "")),
        (f"arn:aws:ec2:us-east-1:123456789012:vpn-connection/{VPN_A}", (VPN_A, "")),
        ("203.0.113.148", (VPN_B, "203.0.113.148")),
        ("203.0.113.1", None),
        (VPN_A + "1", None),
        ("", None),
    ],
)
def test_entity_values_match_ids_arns_ending_with_the_id_and_outside_ips(value: str, expected: tuple | None) -> None:
    assert affected_target(value, REGION) == expected


def test_an_entity_naming_a_tunnel_puts_the_event_on_that_tunnel() -> None:
    session, stub = _stub([_event(1)], [([_arn(1)], {"entities": [_entity(1, "203.0.113.138")]})])
    with stub:
        found = aws.fetch_health(session, NOW - timedelta(days=1), REGION)
    assert [(e.vpn_id, e.tunnel_ip) for e in found.events] == [(VPN_A, "203.0.113.138")]


@pytest.mark.parametrize(
    ("code", "says"),
    [
        ("AccessDeniedException", "health:DescribeAffectedEntities"),
        ("SubscriptionRequiredException", "support plan"),
        ("ThrottlingException", "throttling"),
    ],
)
def test_unreadable_affected_entities_fall_back_to_the_region_wide_listing(code: str, says: str) -> None:
    health = _client("health")
    stub = Stubber(health)
    stub.add_response("describe_events", {"events": [_event(1), _event(2)]})
    stub.add_client_error("describe_affected_entities", service_error_code=code, service_message="no")
    with stub:
        found = aws.fetch_health(aws.Aws(region="us-east-1", clients={"health": health}), NOW - timedelta(days=1), REGION)
    assert [e.vpn_id for e in found.events] == ["", ""], "every event stays, on every timeline"
    assert found.region_wide == ()
    assert found.note.startswith("AWS Health events could not be tied to connections")
    assert says in found.note and "every connection's timeline" in found.note


def test_expired_credentials_while_reading_entities_still_raise() -> None:
    health = _client("health")
    stub = Stubber(health)
    stub.add_response("describe_events", {"events": [_event(1)]})
    stub.add_client_error("describe_affected_entities", service_error_code="ExpiredToken", service_message="expired")
    with stub, pytest.raises(CredentialsError):
        aws.fetch_health(aws.Aws(region="us-east-1", clients={"health": health}), NOW - timedelta(days=1), REGION)


def _details(entity_reply: dict | None, error: str = "") -> aws.LiveResult:
    """fetch_details for connection A of REGION: no metric data, Health answering as given."""
    cw, health = _client("cloudwatch"), _client("health")
    cw_stub, health_stub = Stubber(cw), Stubber(health)
    cw_stub.add_response("get_metric_data", {"MetricDataResults": []})
    health_stub.add_response("describe_events", {"events": [_event(1), _event(2)]})
    if error:
        health_stub.add_client_error("describe_affected_entities", service_error_code=error, service_message="no")
    else:
        health_stub.add_response("describe_affected_entities", entity_reply or {"entities": []})
    session = aws.Aws(region="us-east-1", clients={"cloudwatch": cw, "health": health})
    with cw_stub, health_stub:
        return aws.fetch_details(session, (A,), window="1 day", now=NOW, logs=False, region_connections=REGION)


def test_details_keep_region_wide_events_off_the_timeline_and_count_the_calls() -> None:
    result = _details({"entities": [_entity(1, VPN_B)]})
    health = [e for e in result.snapshot.events if e.kind == "health-notice"]
    assert [e.vpn_id for e in health] == [VPN_B], "B's event is B's, never region-wide or A's"
    assert len(result.region_events) == 1 and result.region_events[0].vpn_id == ""
    assert dict(result.calls)["DescribeAffectedEntities"] == 1
    assert result.notes == ()


def test_details_with_throttled_entities_show_a_note_and_every_event() -> None:
    result = _details(None, error="ThrottlingException")
    health = [e for e in result.snapshot.events if e.kind == "health-notice"]
    assert [e.vpn_id for e in health] == ["", ""]
    assert result.region_events == ()
    assert any("could not be tied to connections" in n for n in result.notes)
