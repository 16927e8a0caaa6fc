"""The schema of a replay's incident.yaml (pydantic, unknown keys rejected) and its conversion into the model."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lab.analyzer.model import CATEGORIES
from lab.model import Maintenance, Tunnel, TunnelOptions, VpnConnection, utc

_CIDR = r"^(?:$|(?:\d{1,3}\.){3}\d{1,3}/\d{1,2})$"


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")
    dpd_timeout_s: int = Field(default=TunnelOptions.dpd_timeout_s, ge=30)
    dpd_timeout_action: Literal["clear", "none", "restart"] = "clear"
    startup_action: Literal["add", "start"] = "add"
    ike_versions: list[Literal["ikev1", "ikev2"]] = Field(default=["ikev1", "ikev2"], min_length=1)
    phase1_lifetime_s: int = Field(default=28800, ge=900, le=28800)
    phase2_lifetime_s: int = Field(default=3600, ge=900, le=3600)
    rekey_margin_s: int = 270
    rekey_fuzz_pct: int = Field(default=100, ge=0, le=100)
    replay_window_size: int = Field(default=1024, ge=64, le=2048)
    phase1_encryption: list[str] | None = None
    phase2_encryption: list[str] | None = None
    phase1_integrity: list[str] | None = None
    phase2_integrity: list[str] | None = None
    phase1_dh_groups: list[int] | None = None
    phase2_dh_groups: list[int] | None = None
    inside_cidr: str = ""
    log_enabled: bool = False
    lifecycle_control: bool = False


class _Maintenance(BaseModel):
    model_config = ConfigDict(extra="forbid")
    pending: str = ""
    auto_applied_after: datetime | None = None
    last_applied: datetime | None = None


class _Tunnel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outside_ip: str = Field(pattern=r"^\d{1,3}(\.\d{1,3}){3}$")
    status: Literal["UP", "DOWN"]
    status_message: str = ""
    last_status_change: datetime | None = None
    accepted_route_count: int = Field(default=0, ge=0)
    availability_zone: str = ""
    options: _Options = _Options()
    maintenance: _Maintenance | None = None


class _Connection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^vpn-[0-9a-f]{8,17}$")
    name: str = ""
    state: Literal["pending", "available", "deleting", "deleted"] = "available"
    routing: Literal["static", "bgp"]
    gateway_type: Literal["vgw", "tgw"] = "vgw"
    gateway_id: str = Field(pattern=r"^(vgw|tgw)-[0-9a-f]{8,17}$")
    customer_gateway_id: str = Field(pattern=r"^cgw-[0-9a-f]{8,17}$")
    customer_gateway_ip: str = ""
    category: str = "VPN"
    static_routes: list[str] = []
    tunnel_bandwidth: Literal["standard", "large"] = "standard"
    # The connection's local (customer gateway side) and remote (AWS side) IPv4 network CIDRs, as AWS returns them.
    local_ipv4_network_cidr: str = Field(default="", pattern=_CIDR)
    remote_ipv4_network_cidr: str = Field(default="", pattern=_CIDR)
    tunnels: list[_Tunnel] = Field(min_length=2, max_length=2)


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid")
    time: datetime
    kind: str
    detail: str = ""
    vpn_id: str = ""
    tunnel_ip: str = ""
    target: str = ""


class _LogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    file: str = Field(pattern=r"^[a-z0-9][a-z0-9_.-]*\.log$")
    format: str


class _Logs(BaseModel):
    model_config = ConfigDict(extra="forbid")
    aws: _LogFile
    cgw: _LogFile


class _Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: Literal[CATEGORIES]  # type: ignore[valid-type]
    tree_node: str = Field(default="", pattern=r"^([a-z0-9_-]+/[a-z0-9_-]+)?$")
    explanation: str = Field(min_length=1)


class Incident(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    description: str = Field(min_length=1)
    scenario: str = ""
    start: datetime
    end: datetime
    connections: list[_Connection] = Field(min_length=1)
    events: list[_Event] = Field(min_length=1)
    logs: _Logs
    expected: _Expected


def _options(o: _Options) -> TunnelOptions:
    d = TunnelOptions()
    return TunnelOptions(
        dpd_timeout_s=o.dpd_timeout_s,
        dpd_timeout_action=o.dpd_timeout_action,
        startup_action=o.startup_action,
        ike_versions=tuple(o.ike_versions),
        phase1_lifetime_s=o.phase1_lifetime_s,
        phase2_lifetime_s=o.phase2_lifetime_s,
        rekey_margin_s=o.rekey_margin_s,
        rekey_fuzz_pct=o.rekey_fuzz_pct,
        replay_window_size=o.replay_window_size,
        phase1_encryption=tuple(o.phase1_encryption) if o.phase1_encryption else d.phase1_encryption,
        phase2_encryption=tuple(o.phase2_encryption) if o.phase2_encryption else d.phase2_encryption,
        phase1_integrity=tuple(o.phase1_integrity) if o.phase1_integrity else d.phase1_integrity,
        phase2_integrity=tuple(o.phase2_integrity) if o.phase2_integrity else d.phase2_integrity,
        phase1_dh_groups=tuple(o.phase1_dh_groups) if o.phase1_dh_groups else d.phase1_dh_groups,
        phase2_dh_groups=tuple(o.phase2_dh_groups) if o.phase2_dh_groups else d.phase2_dh_groups,
        inside_cidr=o.inside_cidr,
        log_enabled=o.log_enabled,
        lifecycle_control=o.lifecycle_control,
    )


def connection(c: _Connection) -> VpnConnection:
    return VpnConnection(
        id=c.id,
        tunnels=tuple(
            Tunnel(
                outside_ip=t.outside_ip,
                options=_options(t.options),
                status=t.status,
                status_message=t.status_message,
                last_status_change=utc(t.last_status_change) if t.last_status_change else None,
                accepted_route_count=t.accepted_route_count,
                availability_zone=t.availability_zone,
                maintenance=Maintenance(
                    pending=t.maintenance.pending,
                    auto_applied_after=utc(t.maintenance.auto_applied_after)
                    if t.maintenance.auto_applied_after
                    else None,
                    last_applied=utc(t.maintenance.last_applied) if t.maintenance.last_applied else None,
                )
                if t.maintenance
                else None,
            )
            for t in c.tunnels
        ),
        routing=c.routing,
        name=c.name,
        state=c.state,
        gateway_type=c.gateway_type,
        gateway_id=c.gateway_id,
        customer_gateway_id=c.customer_gateway_id,
        customer_gateway_ip=c.customer_gateway_ip,
        category=c.category,
        static_routes=tuple(c.static_routes),
        tunnel_bandwidth=c.tunnel_bandwidth,
        local_ipv4_cidr=c.local_ipv4_network_cidr,
        remote_ipv4_cidr=c.remote_ipv4_network_cidr,
    )
