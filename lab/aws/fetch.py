"""What the monitor and `vpn-lab status` read from AWS, as domain objects.

- `identity`: STS GetCallerIdentity → the caller's ARN ("Connected as ...").
- `list_connections`: DescribeVpnConnections once per region (+ DescribeCustomerGateways once for
  the customer gateways' IPs).
- `fetch_details`: for the selected connections, one paginated GetMetricData request carrying every
  series, endpoint maintenance for tunnels with lifecycle control, AWS Health VPN events and the
  latest tunnel log lines when logging is on. Optional parts that fail become `notes` (message +
  what to do) so the view keeps working; failures of the core calls raise AwsError.
- `fetch_health`: DescribeEvents, then DescribeAffectedEntities (10 event ARNs per request) to put
  each event on the connections it affects; events that affect none are region-wide.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from lab.aws import convert
from lab.aws.failures import REPLAYS
from lab.aws.metrics import build_queries, choose_period, collect, request_batches, window_bounds
from lab.aws.session import Aws
from lab.errors import AwsError, CredentialsError, EndpointError, ThrottledError
from lab.model import Event, LogRecord, Snapshot, TunnelSeries, VpnConnection, utc

# How much of the tunnel log the view reads: the last hour of the window, at most this many events.
LOG_LOOKBACK = timedelta(hours=1)
MAX_LOG_EVENTS = 500
# DescribeAffectedEntities accepts at most 10 event ARNs in its filter.
HEALTH_ARN_BATCH = 10
# Health entities whose value is not a resource id (AWS writes "UNKNOWN" when it cannot say).
_NO_ENTITY = {"", "UNKNOWN"}


@dataclass(frozen=True)
class LiveResult:
    """A live snapshot, the optional parts that could not be read, and the calls it took."""

    snapshot: Snapshot
    notes: tuple[str, ...] = ()
    calls: tuple[tuple[str, int], ...] = ()
    period_s: int = 0
    # AWS Health events that affect none of the region's connections: listed once, on no timeline.
    region_events: tuple[Event, ...] = ()

    @property
    def call_count(self) -> int:
        return sum(n for _, n in self.calls)


def identity(aws: Aws) -> str:
    """The ARN of the identity the credential chain resolved to."""
    return str(aws.call("sts", "GetCallerIdentity").get("Arn", ""))


def list_connections(aws: Aws, vpn_ids: tuple[str, ...] | list[str] = ()) -> tuple[VpnConnection, ...]:
    """The region's VPN connections (not deleted), or exactly `vpn_ids` (unknown id → ResourceNotFoundError)."""
    params: dict[str, Any] = {}
    if vpn_ids:
        params["VpnConnectionIds"] = list(vpn_ids)
    # DescribeVpnConnections has no paginator: one call returns every connection of the region.
    response = aws.call("ec2", "DescribeVpnConnections", **params)
    items = [i for i in response.get("VpnConnections", []) if vpn_ids or i.get("State") != "deleted"]
    cgw_ids = sorted({i["CustomerGatewayId"] for i in items if i.get("CustomerGatewayId")})
    cgw_ips: dict[str, str] = {}
    if cgw_ids:
        gateways = aws.call("ec2", "DescribeCustomerGateways", CustomerGatewayIds=cgw_ids)
        cgw_ips = {g["CustomerGatewayId"]: g.get("IpAddress", "") for g in gateways.get("CustomerGateways", [])}
    return tuple(convert.connection(i, cgw_ips) for i in items)


def fetch_metrics(
    aws: Aws, connections: tuple[VpnConnection, ...], start: datetime, end: datetime, now: datetime
) -> tuple[list[TunnelSeries], int]:
    """Every tunnel series of `connections` through one paginated GetMetricData request (per 500 queries)."""
    period = choose_period(start, end, now)
    queries = build_queries(connections)
    pages: list[dict[str, Any]] = []
    for params in request_batches(queries, start, end, period):
        pages.extend(aws.pages("cloudwatch", "GetMetricData", **params))
    return collect(pages, queries, period), period


def fetch_maintenance(
    aws: Aws, connections: tuple[VpnConnection, ...], now: datetime
) -> tuple[tuple[VpnConnection, ...], list[Event]]:
    """Maintenance details for tunnels with lifecycle control on (the only ones AWS reports them for)."""
    updated, events = [], []
    for c in connections:
        tunnels = []
        for t in c.tunnels:
            if t.options.lifecycle_control:
                response = aws.call(
                    "ec2", "GetVpnTunnelReplacementStatus", VpnConnectionId=c.id, VpnTunnelOutsideIpAddress=t.outside_ip
                )
                m = convert.maintenance(response)
                t = replace(t, maintenance=m)
                events.extend(convert.maintenance_events(c.id, t.outside_ip, m, now))
            tunnels.append(t)
        updated.append(replace(c, tunnels=tuple(tunnels)))
    return tuple(updated), events


@dataclass(frozen=True)
class HealthEvents:
    """AWS Health VPN events sorted onto the connections they affect.

    `events` go on timelines: each names the connection (and tunnel, when AWS names its outside IP)
    it affects. `region_wide` affect no known connection. When the affected entities could not be
    read, `note` says why and `events` holds every event without a connection, as for the whole region.
    """

    events: tuple[Event, ...] = ()
    region_wide: tuple[Event, ...] = ()
    note: str = ""


def _batches(arns: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(arns), HEALTH_ARN_BATCH):
        yield arns[i : i + HEALTH_ARN_BATCH]


def fetch_affected_entities(aws: Aws, event_arns: list[str]) -> dict[str, list[str]]:
    """event ARN → the entity values DescribeAffectedEntities reports for it (paginated, 10 ARNs a request)."""
    entities: dict[str, list[str]] = {arn: [] for arn in event_arns}
    for batch in _batches(event_arns):
        for page in aws.pages("health", "DescribeAffectedEntities", filter={"eventArns": batch}, max_pages=10):
            for entity in page.get("entities", []):
                value = str(entity.get("entityValue", "") or "")
                arn = str(entity.get("eventArn", ""))
                if arn in entities and value not in _NO_ENTITY:
                    entities[arn].append(value)
    return entities


def _scoped(event: Event, values: list[str], connections: tuple[VpnConnection, ...]) -> list[Event]:
    """`event` once per connection its entity values name; a tunnel only when no value names the whole connection."""
    targets: dict[str, set[str]] = {}
    for value in values:
        found = convert.affected_target(value, connections)
        if found:
            targets.setdefault(found[0], set()).add(found[1])
    scoped = []
    for vpn_id, ips in targets.items():
        for ip in sorted(ips) if "" not in ips else [""]:
            scoped.append(replace(event, vpn_id=vpn_id, tunnel_ip=ip))
    return scoped


def fetch_health(aws: Aws, start: datetime, connections: tuple[VpnConnection, ...] = ()) -> HealthEvents:
    """AWS Health events of service VPN in the region since `start`, tied to the `connections` they affect.

    Events AWS publishes for everyone (eventScopeCode PUBLIC) have no affected entities in the
    account, so they are not asked about. If DescribeAffectedEntities fails (access, support plan,
    throttling, ...), every event is returned without a connection and `note` says why; failing
    credentials or endpoints raise, as the next call would fail the same way.
    """
    raw: list[dict[str, Any]] = []
    criteria = {"services": ["VPN"], "regions": [aws.region], "lastUpdatedTimes": [{"from": utc(start)}]}
    for page in aws.pages("health", "DescribeEvents", filter=criteria, max_pages=5):
        raw.extend(page.get("events", []))
    events = [(str(e.get("arn", "")), convert.health_event(e)) for e in raw]
    if not connections:
        return HealthEvents(region_wide=tuple(e for _, e in events))
    asked = list(dict.fromkeys(str(e["arn"]) for e in raw if e.get("arn") and e.get("eventScopeCode") != "PUBLIC"))
    try:
        entities = fetch_affected_entities(aws, asked) if asked else {}
    except (CredentialsError, EndpointError):
        raise
    except AwsError as error:
        note = _note("AWS Health events could not be tied to connections", error, dropped=True)
        return HealthEvents(events=tuple(e for _, e in events), note=note)
    on_connections: list[Event] = []
    region_wide: list[Event] = []
    for arn, event in events:
        values = entities.get(arn, [])
        placed = _scoped(event, values, connections)
        if placed:
            on_connections.extend(placed)
        else:
            shown = ", ".join(values[:3]) + (f" and {len(values) - 3} more" if len(values) > 3 else "")
            region_wide.append(replace(event, detail=event.detail + (f"; affects {shown}" if shown else "")))
    return HealthEvents(tuple(on_connections), tuple(region_wide))


def fetch_logs(aws: Aws, connections: tuple[VpnConnection, ...], end: datetime) -> list[LogRecord]:
    """The latest tunnel log lines (last hour before `end`) of tunnels with logging on."""
    groups: dict[str, set[str]] = {}
    for c in connections:
        for t in c.tunnels:
            if t.options.log_enabled and t.options.log_group_arn:
                groups.setdefault(convert.log_group_name(t.options.log_group_arn), set()).add(c.id)
    records: list[LogRecord] = []
    start_ms = int((utc(end) - LOG_LOOKBACK).timestamp() * 1000)
    end_ms = int(utc(end).timestamp() * 1000)
    for group, vpn_ids in groups.items():
        seen = 0
        for page in aws.pages(
            "logs", "FilterLogEvents", logGroupName=group, startTime=start_ms, endTime=end_ms, max_pages=5
        ):
            for raw in page.get("events", []):
                # A log group may hold other connections' streams; keep this view's connections only.
                owner = next(
                    (v for v in vpn_ids if v in raw.get("logStreamName", "") or v in raw.get("message", "")), ""
                )
                if owner:
                    seen += 1
                    records.append(convert.log_record(raw, owner, seen))
            if seen >= MAX_LOG_EVENTS:
                break
    records.sort(key=lambda r: r.time or utc(end))
    return records[-MAX_LOG_EVENTS:]


def _note(part: str, error: AwsError, *, dropped: bool = False) -> str:
    message = str(error).rstrip(".")
    # The rest of the view works, so the pointer to the replays is left out of a note.
    hint = error.hint.replace(REPLAYS, "").strip()
    if dropped:
        # Only the affected entities are missing: the events are still shown, on every timeline.
        message += ". They are shown on every connection's timeline, whichever connection they affect"
    return f"{part}: {message}." + (f" {hint}" if hint else "")


def fetch_details(
    aws: Aws,
    connections: tuple[VpnConnection, ...],
    *,
    window: str = "1 day",
    now: datetime | None = None,
    label: str = "",
    health: bool = True,
    logs: bool = True,
    region_connections: tuple[VpnConnection, ...] = (),
) -> LiveResult:
    """A live Snapshot of `connections` over `window` ending `now`.

    AWS Health events are matched against `region_connections` (default: `connections`): an event
    affecting another connection of the region keeps that connection's id, and one affecting none
    goes to `LiveResult.region_events`. Metrics failing raises (nothing to show); maintenance,
    Health and logs failing with access, availability or unknown-API errors become notes.
    Credential, endpoint and throttling errors always raise: the next call would fail the same way.
    """
    now = utc(now or datetime.now())
    start, end = window_bounds(window, now)
    series, period = fetch_metrics(aws, connections, start, end, now)
    notes: list[str] = []
    events: list[Event] = []
    region_events: tuple[Event, ...] = ()
    fatal = (CredentialsError, EndpointError, ThrottledError)
    try:
        connections, maintenance_events = fetch_maintenance(aws, connections, now)
        events.extend(maintenance_events)
    except fatal:
        raise
    except AwsError as error:
        notes.append(_note("Endpoint maintenance could not be read", error))
    if health:
        try:
            # Kept even when they started before the window (an open monthly notice): the events
            # table lists them; the chart shows what falls inside the window.
            found = fetch_health(aws, start, region_connections or connections)
            events.extend(found.events)
            region_events = tuple(sorted(found.region_wide, key=lambda e: e.time))
            if found.note:
                notes.append(found.note)
        except fatal:
            raise
        except AwsError as error:
            notes.append(_note("AWS Health events could not be read", error))
    records: list[LogRecord] = []
    if logs:
        try:
            records = fetch_logs(aws, connections, end)
        except fatal:
            raise
        except AwsError as error:
            notes.append(_note("Tunnel logs could not be read", error))
    snapshot = Snapshot(
        source="aws",
        label=label or f"Live AWS {aws.region}",
        connections=connections,
        series=tuple(series),
        events=tuple(sorted(events, key=lambda e: e.time)),
        logs=tuple(records),
        start=start,
        end=end,
    )
    return LiveResult(snapshot, tuple(notes), tuple(sorted(aws.calls.items())), period, region_events)
