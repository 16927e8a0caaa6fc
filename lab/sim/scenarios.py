"""Failover scenarios S1-S5 as data: the schema of `lab/data/scenarios/*.yaml` and its loader.

A scenario describes the VPC (CIDR, route table), the AWS gateway (VGW or TGW), the VPN
connections (two tunnels each, endpoints in different AZs, routing type), the customer gateway
devices (their IKE and DPD configuration) and the on-premises network with its routing. Tunnel
options are not in the files: they default to `lab.facts` and the user changes them per run.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.errors import DataError, NotFoundError
from lab.schema import load_yaml_model

SCENARIO_DIR = DATA_DIR / "scenarios"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VpcSpec(_Strict):
    id: str = Field(pattern=r"^vpc-[0-9a-f]+$")
    cidr: str
    route_table_id: str = Field(pattern=r"^rtb-[0-9a-f]+$")
    propagation: bool  # route propagation from the gateway into the VPC route table


class GatewaySpec(_Strict):
    type: Literal["vgw", "tgw"]
    id: str = Field(pattern=r"^(vgw|tgw)-[0-9a-f]+$")
    asn: int = 64512
    ecmp: bool = False  # only a transit gateway with BGP can spread traffic over tunnels


class TunnelSpec(_Strict):
    outside_ip: str
    az: str
    inside_cidr: str  # the /30 from 169.254.0.0/16: AWS uses the first address, the CGW the second


class ConnectionSpec(_Strict):
    id: str = Field(pattern=r"^vpn-[0-9a-f]+$")
    name: str
    customer_gateway: str  # a CustomerGatewaySpec.key
    routing: Literal["static", "bgp"]
    static_routes: list[str] = []  # on-premises prefixes configured on the AWS side (static only)
    tunnels: list[TunnelSpec] = Field(min_length=2, max_length=2)


class CustomerGatewaySpec(_Strict):
    key: str = Field(pattern=r"^cgw-[a-z]$")  # failure target id, e.g. cgw-a
    id: str = Field(pattern=r"^cgw-[0-9a-f]{8,}$")  # the AWS customer gateway id
    name: str
    ip: str
    device: str  # shown to the user, e.g. "strongSwan 5.9 on Linux"
    hostname: str  # syslog host name of the generated charon log
    asn: int | None = None
    ike_version: Literal["ikev1", "ikev2"] = "ikev2"
    initiates: Literal["always", "on-traffic", "never"] = "on-traffic"
    dpd_delay_s: int = Field(default=10, ge=5)
    retransmit_tries: int = Field(default=5, ge=1, le=10)


class OnPremSpec(_Strict):
    cidr: str
    routing: Literal["static", "cluster", "bgp"]
    primary: str  # the customer gateway the on-premises routers use first
    health_check_s: int = Field(default=0, ge=0)  # 0: no health check (static routing only)
    failover_s: int = Field(default=3, ge=0)  # cluster / internal routing reaction time
    ecmp: bool = False
    keepalive_s: int = Field(default=0, ge=0)  # 0: no keepalive pings
    to_aws_bps: int = Field(default=40_000, ge=1)
    to_onprem_bps: int = Field(default=60_000, ge=1)


class ScenarioSpec(_Strict):
    id: str = Field(pattern=r"^s[0-9]+$")
    title: str
    short: str  # a few words for tables: "single connection"
    article: str  # the article section, e.g. "4.3"
    summary: str
    description: str
    lesson: str  # what the scenario teaches, one sentence
    vpc: VpcSpec
    gateway: GatewaySpec
    customer_gateways: list[CustomerGatewaySpec] = Field(min_length=1)
    connections: list[ConnectionSpec] = Field(min_length=1)
    onprem: OnPremSpec

    # Derived names used as failure targets and labels --------------------------------------
    def tunnel_ids(self) -> list[str]:
        return [f"tunnel-{i + 1}" for i in range(2 * len(self.connections))]

    def cgw_keys(self) -> list[str]:
        return [c.key for c in self.customer_gateways]

    def cgw(self, key: str) -> CustomerGatewaySpec:
        return next(c for c in self.customer_gateways if c.key == key)

    def tunnel_rows(self) -> list[tuple[str, ConnectionSpec, TunnelSpec, CustomerGatewaySpec]]:
        """(tunnel id, connection, tunnel, customer gateway) in tunnel-id order."""
        rows = []
        for c in self.connections:
            for t in c.tunnels:
                rows.append((f"tunnel-{len(rows) + 1}", c, t, self.cgw(c.customer_gateway)))
        return rows


def _cross_problems(spec: ScenarioSpec, stem: str) -> list[str]:
    problems: list[str] = []
    if spec.id != stem:
        problems.append(f"id: '{spec.id}' must match the file name '{stem}'")
    keys = spec.cgw_keys()
    if len(set(keys)) != len(keys):
        problems.append("customer_gateways: keys must be unique")
    for i, conn in enumerate(spec.connections):
        where = f"connections.{i}"
        if conn.customer_gateway not in keys:
            problems.append(f"{where}.customer_gateway: unknown '{conn.customer_gateway}' (known: {', '.join(keys)})")
        if conn.tunnels[0].az == conn.tunnels[1].az:
            problems.append(f"{where}.tunnels: the two tunnels must end in different Availability Zones")
        if conn.routing == "static" and not conn.static_routes:
            problems.append(f"{where}.static_routes: a static connection needs at least one route")
        if conn.routing == "bgp" and conn.static_routes:
            problems.append(f"{where}.static_routes: a BGP connection learns routes, it has no static routes")
        for j, t in enumerate(conn.tunnels):
            try:
                net = ipaddress.ip_network(t.inside_cidr)
                if net.prefixlen != 30 or not net.subnet_of(ipaddress.ip_network("169.254.0.0/16")):
                    problems.append(f"{where}.tunnels.{j}.inside_cidr: must be a /30 inside 169.254.0.0/16")
            except ValueError as exc:
                problems.append(f"{where}.tunnels.{j}.inside_cidr: {exc}")
            try:
                ipaddress.ip_address(t.outside_ip)
            except ValueError as exc:
                problems.append(f"{where}.tunnels.{j}.outside_ip: {exc}")
    for label, cidr in (("vpc.cidr", spec.vpc.cidr), ("onprem.cidr", spec.onprem.cidr)):
        try:
            ipaddress.ip_network(cidr)
        except ValueError as exc:
            problems.append(f"{label}: {exc}")
    if spec.onprem.primary not in keys:
        problems.append(f"onprem.primary: unknown customer gateway '{spec.onprem.primary}'")
    routings = {c.routing for c in spec.connections}
    if spec.onprem.routing == "bgp" and routings != {"bgp"}:
        problems.append("onprem.routing: 'bgp' needs BGP on every connection")
    if spec.onprem.health_check_s and spec.onprem.routing != "static":
        problems.append("onprem.health_check_s: a health check only moves static routes (routing: static)")
    if spec.gateway.ecmp and (spec.gateway.type != "tgw" or routings != {"bgp"}):
        problems.append("gateway.ecmp: ECMP needs a transit gateway and BGP on every connection")
    used = {c.customer_gateway for c in spec.connections}
    for key in keys:
        if key not in used:
            problems.append(f"customer_gateways: '{key}' has no connection")
    return problems


def load_scenario_file(path: Path) -> ScenarioSpec:
    """Load and validate one scenario file; DataError names the file and every problem."""
    spec = load_yaml_model(ScenarioSpec, path)
    problems = _cross_problems(spec, path.stem)
    if problems:
        raise DataError(path, problems)
    return spec


@lru_cache(maxsize=1)
def _all() -> dict[str, ScenarioSpec]:
    specs = [load_scenario_file(p) for p in sorted(SCENARIO_DIR.glob("*.yaml"))]
    return {s.id: s for s in sorted(specs, key=lambda s: int(s.id[1:]))}


def list_scenarios() -> list[ScenarioSpec]:
    """Every shipped scenario, in order (s1, s2, ...)."""
    return list(_all().values())


def scenario_ids() -> list[str]:
    return list(_all())


def load_scenario(scenario_id: str) -> ScenarioSpec:
    """One shipped scenario; NotFoundError with the valid ids for an unknown one."""
    table = _all()
    key = scenario_id.strip().lower()
    if key not in table:
        raise NotFoundError("scenario", scenario_id, list(table))
    return table[key]
