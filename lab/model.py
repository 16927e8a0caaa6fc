"""The one domain model that every source fills and every consumer reads.

Sources: the simulator (`lab.sim`), bundled incident datasets (`lab.replay`) and live AWS
(`lab.aws`). Consumers: lessons' figures, charts, the audit, the troubleshooter, the log analyzer
and the report. Names follow AWS where data crosses the boundary (TunnelState, VgwTelemetry,
TunnelIpAddress); inside, snake_case.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Routing = Literal["static", "bgp"]
GatewayType = Literal["vgw", "tgw"]
DpdAction = Literal["clear", "none", "restart"]
StartupAction = Literal["add", "start"]
TunnelStatus = Literal["UP", "DOWN"]
SourceKind = Literal["simulation", "replay", "aws"]

# CloudWatch metric names in namespace AWS/VPN (dimensions VpnId and TunnelIpAddress).
METRIC_TUNNEL_STATE = "TunnelState"
METRIC_DATA_IN = "TunnelDataIn"
METRIC_DATA_OUT = "TunnelDataOut"
METRICS = (METRIC_TUNNEL_STATE, METRIC_DATA_IN, METRIC_DATA_OUT)

# Event kinds shared by every source. A source may only emit these; consumers may rely on them.
EVENT_KINDS = (
    "failure-injected",  # simulator: a failure from the catalogue starts (detail names it)
    "failure-cleared",  # simulator: the failure ends (device back, link back)
    "tunnel-up",
    "tunnel-down",
    "dpd-timeout",  # a side declared its peer dead
    "ike-sa-deleted",  # a side received a Delete for the IKE_SA
    "ike-negotiation",  # phase 1 started or failed (detail says)
    "ipsec-negotiation",  # phase 2 started or failed
    "auth-failure",
    "proposal-mismatch",
    "bgp-up",
    "bgp-down",
    "route-withdrawn",
    "route-advertised",
    "endpoint-replacement",  # AWS replaced a tunnel endpoint
    "maintenance-pending",  # GetVpnTunnelReplacementStatus shows pending maintenance
    "health-notice",  # an AWS Health event (detail holds the type code)
    "manual-action",  # a person changed something (moved a static route)
    "traffic-shift",  # traffic moved to another tunnel or gateway
)


def utc(ts: datetime) -> datetime:
    """Return `ts` as an aware UTC datetime (naive values are taken as UTC)."""
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


@dataclass(frozen=True)
class TunnelOptions:
    """What is configured on one tunnel (AWS TunnelOption). Defaults come from `lab.facts`."""

    dpd_timeout_s: int = 40
    dpd_timeout_action: DpdAction = "clear"
    startup_action: StartupAction = "add"
    ike_versions: tuple[str, ...] = ("ikev1", "ikev2")
    phase1_lifetime_s: int = 28800
    phase2_lifetime_s: int = 3600
    rekey_margin_s: int = 270
    rekey_fuzz_pct: int = 100
    replay_window_size: int = 1024
    phase1_encryption: tuple[str, ...] = ("AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16")
    phase2_encryption: tuple[str, ...] = ("AES128", "AES256", "AES128-GCM-16", "AES256-GCM-16")
    phase1_integrity: tuple[str, ...] = ("SHA1", "SHA2-256", "SHA2-384", "SHA2-512")
    phase2_integrity: tuple[str, ...] = ("SHA1", "SHA2-256", "SHA2-384", "SHA2-512")
    phase1_dh_groups: tuple[int, ...] = (2, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
    phase2_dh_groups: tuple[int, ...] = (2, 5, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24)
    inside_cidr: str = ""
    log_enabled: bool = False
    lifecycle_control: bool = False
    log_group_arn: str = ""  # CloudWatch Logs group of the tunnel log, when logging is on


@dataclass(frozen=True)
class Maintenance:
    """GetVpnTunnelReplacementStatus's MaintenanceDetails."""

    pending: str = ""
    auto_applied_after: datetime | None = None
    last_applied: datetime | None = None


@dataclass(frozen=True)
class Tunnel:
    """One of the two tunnels of a connection: options plus VgwTelemetry."""

    outside_ip: str
    options: TunnelOptions = field(default_factory=TunnelOptions)
    status: TunnelStatus = "DOWN"
    status_message: str = ""
    last_status_change: datetime | None = None
    accepted_route_count: int = 0
    availability_zone: str = ""
    maintenance: Maintenance | None = None


@dataclass(frozen=True)
class VpnConnection:
    """A Site-to-Site VPN connection (DescribeVpnConnections) in the app's terms."""

    id: str
    tunnels: tuple[Tunnel, ...]
    routing: Routing = "bgp"
    name: str = ""
    state: str = "available"
    gateway_type: GatewayType = "vgw"
    gateway_id: str = ""
    customer_gateway_id: str = ""
    customer_gateway_ip: str = ""
    category: str = "VPN"
    static_routes: tuple[str, ...] = ()
    tunnel_bandwidth: str = "standard"
    # The one traffic selector pair AWS negotiates for the connection's tunnels (Options.LocalIpv4NetworkCidr: the
    # customer gateway's side; RemoteIpv4NetworkCidr: the AWS side); "" when the response did not say.
    local_ipv4_cidr: str = ""
    remote_ipv4_cidr: str = ""

    @property
    def tunnels_up(self) -> int:
        return sum(1 for t in self.tunnels if t.status == "UP")

    def tunnel(self, outside_ip: str) -> Tunnel | None:
        return next((t for t in self.tunnels if t.outside_ip == outside_ip), None)


@dataclass(frozen=True)
class TunnelSeries:
    """One CloudWatch series: a metric of one tunnel (VpnId + TunnelIpAddress), one statistic."""

    vpn_id: str
    tunnel_ip: str
    metric: str
    stat: str
    period_s: int
    timestamps: tuple[datetime, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        if len(self.timestamps) != len(self.values):
            raise ValueError("timestamps and values differ in length")


@dataclass(frozen=True)
class Event:
    """Something that happened at a moment, on a connection or one of its tunnels."""

    time: datetime
    kind: str
    detail: str = ""
    vpn_id: str = ""
    tunnel_ip: str = ""
    target: str = ""  # the simulator's failure target or element id (cgw-a, tunnel-1, ...)


@dataclass(frozen=True)
class LogRecord:
    """One log line as read or generated. `fields` holds AWS tunnel-log keys when known."""

    text: str
    format: str
    line_no: int = 0
    time: datetime | None = None
    vpn_id: str = ""
    tunnel_ip: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """Everything one source knows about a set of connections over a time window."""

    source: SourceKind
    label: str
    connections: tuple[VpnConnection, ...]
    series: tuple[TunnelSeries, ...] = ()
    events: tuple[Event, ...] = ()
    logs: tuple[LogRecord, ...] = ()
    start: datetime | None = None
    end: datetime | None = None

    def connection(self, vpn_id: str) -> VpnConnection | None:
        return next((c for c in self.connections if c.id == vpn_id), None)

    def series_for(self, vpn_id: str, metric: str) -> list[TunnelSeries]:
        return [s for s in self.series if s.vpn_id == vpn_id and s.metric == metric]
