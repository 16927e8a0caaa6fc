"""EC2/CloudWatch/Health response dicts → the domain model (`lab.model`).

Missing option fields mean "the defaults stay associated" (AWS VPNTunnels page), so they are filled
from `lab.facts`. The pre-shared key in TunnelOptions and in CustomerGatewayConfiguration is never
copied into the model.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

from lab import facts
from lab.model import Event, LogRecord, Maintenance, Tunnel, TunnelOptions, VpnConnection, utc

_DEFAULT = TunnelOptions()
# Only the AWS outside addresses of the <vpn_gateway> blocks; nothing else of the XML (it holds the PSK).
_XML_VGW_OUTSIDE = re.compile(
    r"<vpn_gateway>\s*<tunnel_outside_address>\s*<ip_address>([0-9.]+)</ip_address>", re.S
)
_IPV4 = re.compile(r"\b(\d{1,3}(?:\.\d{1,3}){3})\b")


def _values(options: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(str(item["Value"]) for item in options.get(key, []) if "Value" in item)


def _ints(options: dict[str, Any], key: str) -> tuple[int, ...]:
    return tuple(int(item["Value"]) for item in options.get(key, []) if "Value" in item)


def tunnel_options(raw: dict[str, Any]) -> TunnelOptions:
    """TunnelOption (describe side) → TunnelOptions; absent fields take the documented defaults."""
    logs = raw.get("LogOptions", {}).get("CloudWatchLogOptions", {})
    return TunnelOptions(
        dpd_timeout_s=int(raw.get("DpdTimeoutSeconds", facts.value("dpd_timeout_default"))),
        dpd_timeout_action=raw.get("DpdTimeoutAction", facts.value("dpd_timeout_action_default")),
        startup_action=raw.get("StartupAction", facts.value("startup_action_default")),
        ike_versions=_values(raw, "IkeVersions") or tuple(facts.value("ike_versions_default")),
        phase1_lifetime_s=int(raw.get("Phase1LifetimeSeconds", facts.value("phase1_lifetime_default"))),
        phase2_lifetime_s=int(raw.get("Phase2LifetimeSeconds", facts.value("phase2_lifetime_default"))),
        rekey_margin_s=int(raw.get("RekeyMarginTimeSeconds", facts.value("rekey_margin_default"))),
        rekey_fuzz_pct=int(raw.get("RekeyFuzzPercentage", facts.value("rekey_fuzz_default"))),
        replay_window_size=int(raw.get("ReplayWindowSize", facts.value("replay_window_default"))),
        phase1_encryption=_values(raw, "Phase1EncryptionAlgorithms") or _DEFAULT.phase1_encryption,
        phase2_encryption=_values(raw, "Phase2EncryptionAlgorithms") or _DEFAULT.phase2_encryption,
        phase1_integrity=_values(raw, "Phase1IntegrityAlgorithms") or _DEFAULT.phase1_integrity,
        phase2_integrity=_values(raw, "Phase2IntegrityAlgorithms") or _DEFAULT.phase2_integrity,
        phase1_dh_groups=_ints(raw, "Phase1DHGroupNumbers") or _DEFAULT.phase1_dh_groups,
        phase2_dh_groups=_ints(raw, "Phase2DHGroupNumbers") or _DEFAULT.phase2_dh_groups,
        inside_cidr=str(raw.get("TunnelInsideCidr", "")),
        log_enabled=bool(logs.get("LogEnabled", False)),
        log_group_arn=str(logs.get("LogGroupArn", "")) if logs.get("LogEnabled") else "",
        lifecycle_control=bool(raw.get("EnableTunnelLifecycleControl", False)),
    )


def connection(item: dict[str, Any], cgw_ips: dict[str, str] | None = None) -> VpnConnection:
    """One DescribeVpnConnections item → VpnConnection (tunnels from TunnelOptions and VgwTelemetry)."""
    options = item.get("Options", {}) or {}
    raw_options = {o.get("OutsideIpAddress", ""): o for o in options.get("TunnelOptions", [])}
    telemetry = {t.get("OutsideIpAddress", ""): t for t in item.get("VgwTelemetry", [])}
    ips = [ip for ip in [*raw_options, *telemetry] if ip]
    if not ips:
        # Endpoints that return neither (moto) still carry the outside addresses in the device config.
        ips = _XML_VGW_OUTSIDE.findall(item.get("CustomerGatewayConfiguration", ""))
    tunnels = []
    for ip in dict.fromkeys(ips):  # ordered, without duplicates
        tele = telemetry.get(ip)
        last = tele.get("LastStatusChange") if tele else None
        tunnels.append(
            Tunnel(
                outside_ip=ip,
                options=tunnel_options(raw_options.get(ip, {})),
                status="UP" if tele and tele.get("Status") == "UP" else "DOWN",
                status_message=str(tele.get("StatusMessage", "")) if tele else "no VgwTelemetry returned",
                last_status_change=utc(last) if isinstance(last, datetime) else None,
                accepted_route_count=int(tele.get("AcceptedRouteCount", 0)) if tele else 0,
            )
        )
    tags = {t.get("Key"): t.get("Value", "") for t in item.get("Tags", [])}
    tgw = item.get("TransitGatewayId", "")
    cgw = item.get("CustomerGatewayId", "")
    return VpnConnection(
        id=item["VpnConnectionId"],
        tunnels=tuple(tunnels),
        routing="static" if options.get("StaticRoutesOnly") else "bgp",
        name=str(tags.get("Name", "")),
        state=str(item.get("State", "")),
        gateway_type="tgw" if tgw else "vgw",
        gateway_id=tgw or str(item.get("VpnGatewayId", "")),
        customer_gateway_id=cgw,
        customer_gateway_ip=(cgw_ips or {}).get(cgw, ""),
        category=str(item.get("Category", "VPN")),
        static_routes=tuple(
            r["DestinationCidrBlock"]
            for r in item.get("Routes", [])
            if r.get("State") not in {"deleted", "deleting"} and "DestinationCidrBlock" in r
        ),
        tunnel_bandwidth=str(options.get("TunnelBandwidth", "standard")),
        local_ipv4_cidr=str(options.get("LocalIpv4NetworkCidr", "") or ""),
        remote_ipv4_cidr=str(options.get("RemoteIpv4NetworkCidr", "") or ""),
    )


def maintenance(response: dict[str, Any]) -> Maintenance:
    """GetVpnTunnelReplacementStatus → Maintenance."""
    details = response.get("MaintenanceDetails", {}) or {}
    after = details.get("MaintenanceAutoAppliedAfter")
    last = details.get("LastMaintenanceApplied")
    return Maintenance(
        pending=str(details.get("PendingMaintenance", "") or ""),
        auto_applied_after=utc(after) if isinstance(after, datetime) else None,
        last_applied=utc(last) if isinstance(last, datetime) else None,
    )


def maintenance_events(vpn_id: str, ip: str, m: Maintenance, now: datetime) -> list[Event]:
    """Timeline events for a tunnel's maintenance details."""
    events = []
    if m.last_applied:
        events.append(
            Event(m.last_applied, "endpoint-replacement", "Last maintenance applied (endpoint replaced)", vpn_id, ip)
        )
    if m.pending:
        after = f"; auto-applied after {m.auto_applied_after:%Y-%m-%d %H:%M} UTC" if m.auto_applied_after else ""
        events.append(Event(utc(now), "maintenance-pending", f"Pending maintenance: {m.pending}{after}", vpn_id, ip))
    return events


def health_event(raw: dict[str, Any]) -> Event:
    """An AWS Health DescribeEvents item (service VPN) → Event of no connection (see `affected_target`)."""
    when = raw.get("startTime") or raw.get("lastUpdatedTime")
    code = str(raw.get("eventTypeCode", ""))
    status = str(raw.get("statusCode", ""))
    category = str(raw.get("eventTypeCategory", ""))
    detail = f"AWS Health: {code}" + (f" ({category}, {status})" if status or category else "")
    return Event(utc(when) if isinstance(when, datetime) else utc(datetime.now()), "health-notice", detail)


def affected_target(value: str, connections: tuple[VpnConnection, ...]) -> tuple[str, str] | None:
    """(vpn_id, tunnel_ip) an AWS Health affected-entity value names among `connections`, else None.

    entityValue is usually the connection id; an ARN ending with the id or a tunnel's outside IP
    address is accepted too (tunnel_ip is set only for the latter).
    """
    value = value.strip()
    if not value:
        return None
    for c in connections:
        if value == c.id or value.endswith(("/" + c.id, ":" + c.id)):
            return c.id, ""
        for t in c.tunnels:
            if t.outside_ip and value == t.outside_ip:
                return c.id, t.outside_ip
    return None


def log_record(raw: dict[str, Any], vpn_id: str, line_no: int) -> LogRecord:
    """A FilterLogEvents event of an AWS tunnel log (json or text) → LogRecord."""
    text = str(raw.get("message", "")).rstrip("\n")
    stream = str(raw.get("logStreamName", ""))
    found = _IPV4.search(stream)
    fields: dict[str, str] = {}
    fmt = "aws-text"
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            fmt = "aws-json"
            fields = {str(k): str(v) for k, v in parsed.items()}
    ts = raw.get("timestamp")
    return LogRecord(
        text=text,
        format=fmt,
        line_no=line_no,
        time=datetime.fromtimestamp(ts / 1000, UTC) if isinstance(ts, int | float) else None,
        vpn_id=vpn_id,
        tunnel_ip=found.group(1) if found else fields.get("tunnel_outside_ip", ""),
        fields=fields,
    )


def log_group_name(arn: str) -> str:
    """The log group name inside a log-group ARN (arn:aws:logs:REGION:ACCOUNT:log-group:NAME[:*])."""
    if ":log-group:" not in arn:
        return arn
    name = arn.split(":log-group:", 1)[1]
    return name[:-2] if name.endswith(":*") else name
