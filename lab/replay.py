"""Recorded incidents (`datasets/incidents/<slug>/`) loaded into the domain model, source "replay".

Each incident folder holds:
- `incident.yaml`: title, summary, description, the time window, the connection(s) with their
  tunnel options and telemetry at the end of the window, events, the names of the log files, and the
  expected diagnosis (an analyzer category and, when agreed, a troubleshooter node "<tree>/<node>");
- `metrics.csv`: CloudWatch's long format (Timestamp, Namespace, MetricName, VpnId, TunnelIpAddress,
  Statistic, Period, Value);
- the AWS tunnel log (JSON lines as exported from CloudWatch Logs) and the customer gateway's log.

Everything is validated at load; a DataError names the file and every problem.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from lab import DATASETS_DIR
from lab.errors import DataError, NotFoundError
from lab.model import (
    EVENT_KINDS,
    METRICS,
    Event,
    LogRecord,
    Maintenance,
    Snapshot,
    Tunnel,
    TunnelOptions,
    TunnelSeries,
    VpnConnection,
    utc,
)

INCIDENTS_DIR = DATASETS_DIR / "incidents"
# The analyzer's categories (lab/analyzer/model.py CATEGORIES); kept here so replays load without it.
CATEGORIES = (
    "dpd_timeout",
    "ike_sa_deleted_by_peer",
    "phase1_proposal_mismatch",
    "phase2_proposal_mismatch",
    "auth_failure",
    "traffic_selector_mismatch",
    "peer_unreachable",
    "bgp_down",
    "rekey_issue",
)
CSV_COLUMNS = ("Timestamp", "Namespace", "MetricName", "VpnId", "TunnelIpAddress", "Statistic", "Period", "Value")
AWS_LOG_FORMATS = ("aws-json", "aws-text")
CGW_LOG_FORMATS = ("strongswan", "libreswan", "cisco-ios", "cisco-asa", "fortigate", "paloalto")


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


class _Incident(BaseModel):
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


@dataclass(frozen=True)
class Incident:
    """One replay: what it is, what it holds, what the troubleshooter should conclude."""

    slug: str
    title: str
    summary: str
    description: str
    scenario: str
    expected_category: str
    expected_tree_node: str
    expected_explanation: str
    snapshot: Snapshot
    aws_log: str  # the AWS tunnel log as exported
    cgw_log: str  # the customer gateway's log

    @property
    def log_text(self) -> str:
        """Both logs merged in time order: what a person exports from both sides for the log analyzer.

        The analyzer reads cause and effect from line order, so the two logs are interleaved by
        timestamp (a line without one stays after the line before it).
        """
        return merged_log_text(self.snapshot.logs)


def merged_log_text(records: tuple[LogRecord, ...] | list[LogRecord]) -> str:
    """Log records as one text, ordered by time; untimed lines keep their place after their predecessor."""
    keyed = []
    last: datetime | None = None
    for index, record in enumerate(records):
        last = record.time or last
        keyed.append((last.timestamp() if last else float("-inf"), index, record.text))
    return "".join(f"{text}\n" for _, _, text in sorted(keyed))


def _problems(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


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


def _connection(c: _Connection) -> VpnConnection:
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
    )


def read_metrics(path: Path, tunnels: set[tuple[str, str]], problems: list[str]) -> list[TunnelSeries]:
    """metrics.csv (CloudWatch long format) → one TunnelSeries per (VpnId, TunnelIpAddress, metric, stat)."""
    rows: dict[tuple[str, str, str, str, int], list[tuple[datetime, float]]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if tuple(reader.fieldnames or ()) != CSV_COLUMNS:
                problems.append(f"{path.name}: columns must be {', '.join(CSV_COLUMNS)}")
                return []
            for n, row in enumerate(reader, start=2):
                try:
                    ts = utc(datetime.fromisoformat(row["Timestamp"].replace("Z", "+00:00")))
                    value, period = float(row["Value"]), int(row["Period"])
                except ValueError as exc:
                    problems.append(f"{path.name}:{n}: {exc}")
                    continue
                if row["Namespace"] != "AWS/VPN" or row["MetricName"] not in METRICS:
                    problems.append(f"{path.name}:{n}: not an AWS/VPN metric: {row['Namespace']} {row['MetricName']}")
                    continue
                if (row["VpnId"], row["TunnelIpAddress"]) not in tunnels:
                    problems.append(f"{path.name}:{n}: unknown tunnel {row['VpnId']} {row['TunnelIpAddress']}")
                    continue
                key = (row["VpnId"], row["TunnelIpAddress"], row["MetricName"], row["Statistic"], period)
                rows.setdefault(key, []).append((ts, value))
    except OSError as exc:
        problems.append(f"{path.name}: {exc}")
        return []
    series = []
    for (vpn_id, ip, metric, stat, period), points in sorted(rows.items()):
        points.sort()
        series.append(
            TunnelSeries(vpn_id, ip, metric, stat, period, tuple(p[0] for p in points), tuple(p[1] for p in points))
        )
    return series


def aws_log_records(text: str, fmt: str) -> list[LogRecord]:
    """The AWS tunnel log (JSON lines, old or new keys, or the BGP log) → LogRecords."""
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        fields: dict[str, str] = {}
        when: datetime | None = None
        vpn_id = ip = ""
        if fmt == "aws-json":
            try:
                data = json.loads(line)
            except ValueError:
                data = {}
            if isinstance(data, dict):
                fields = {k: (json.dumps(v) if isinstance(v, dict) else str(v)) for k, v in data.items()}
                vpn_id = str(data.get("VpnConnectionId", ""))
                ip = str(data.get("TunnelOutsideIPAddress", ""))
                if "resource_id" in data and "_" in str(data["resource_id"]):
                    vpn_id, ip = str(data["resource_id"]).split("_", 1)
                stamp = data.get("VpnLogCreationTimestamp") or data.get("timestamp")
                if isinstance(data.get("event_timestamp"), int | float):
                    when = datetime.fromtimestamp(data["event_timestamp"] / 1000).astimezone()
                    when = utc(when)
                elif isinstance(stamp, str):
                    try:
                        when = utc(datetime.fromisoformat(stamp.replace("Z", "+00:00")))
                    except ValueError:
                        when = None
        records.append(LogRecord(line, fmt, n, when, vpn_id, ip, fields))
    return records


def cgw_log_records(text: str, fmt: str) -> list[LogRecord]:
    """The customer gateway's log → LogRecords (ISO timestamps, as `journalctl -o short-iso` writes)."""
    records = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        when = None
        head = line.split(" ", 1)[0]
        try:
            when = utc(datetime.fromisoformat(head.replace("Z", "+00:00")))
        except ValueError:
            when = None
        records.append(LogRecord(line, fmt, n, when))
    return records


def load_incident(folder: Path) -> Incident:
    """Load and validate one incident folder."""
    path = folder / "incident.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        parsed = _Incident.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(path, [str(exc)]) from exc
    except ValidationError as exc:
        raise DataError(path, _problems(exc)) from exc
    problems: list[str] = []
    start, end = utc(parsed.start), utc(parsed.end)
    if end <= start:
        problems.append("end: must be after start")
    connections = [_connection(c) for c in parsed.connections]
    tunnels = {(c.id, t.outside_ip) for c in connections for t in c.tunnels}
    vpn_ids = {c.id for c in connections}
    if len(tunnels) != 2 * len(connections):
        problems.append("connections: tunnel outside IPs must be unique")
    events = []
    for i, e in enumerate(parsed.events):
        where = f"events.{i}"
        if e.kind not in EVENT_KINDS:
            problems.append(f"{where}.kind: unknown event kind '{e.kind}'")
        if e.vpn_id and e.vpn_id not in vpn_ids:
            problems.append(f"{where}.vpn_id: unknown connection '{e.vpn_id}'")
        if e.tunnel_ip and (e.vpn_id, e.tunnel_ip) not in tunnels:
            problems.append(f"{where}.tunnel_ip: '{e.tunnel_ip}' is not a tunnel of '{e.vpn_id}'")
        if not start <= utc(e.time) <= end:
            problems.append(f"{where}.time: outside the incident window")
        events.append(Event(utc(e.time), e.kind, e.detail, e.vpn_id, e.tunnel_ip, e.target))
    if parsed.logs.aws.format not in AWS_LOG_FORMATS:
        problems.append(f"logs.aws.format: must be one of {', '.join(AWS_LOG_FORMATS)}")
    if parsed.logs.cgw.format not in CGW_LOG_FORMATS:
        problems.append(f"logs.cgw.format: must be one of {', '.join(CGW_LOG_FORMATS)}")
    texts = {}
    for side, spec in (("aws", parsed.logs.aws), ("cgw", parsed.logs.cgw)):
        try:
            texts[side] = (folder / spec.file).read_text(encoding="utf-8")
        except OSError as exc:
            problems.append(f"logs.{side}.file: {exc.strerror}: {spec.file}")
            texts[side] = ""
    series = read_metrics(folder / "metrics.csv", tunnels, problems)
    if problems:
        raise DataError(path, problems)
    logs = [*aws_log_records(texts["aws"], parsed.logs.aws.format), *cgw_log_records(texts["cgw"], parsed.logs.cgw.format)]
    snapshot = Snapshot(
        source="replay",
        label=f"Replay: {parsed.title}",
        connections=tuple(connections),
        series=tuple(series),
        events=tuple(sorted(events, key=lambda e: e.time)),
        logs=tuple(logs),
        start=start,
        end=end,
    )
    return Incident(
        slug=folder.name,
        title=parsed.title,
        summary=parsed.summary,
        description=parsed.description.strip(),
        scenario=parsed.scenario,
        expected_category=parsed.expected.category,
        expected_tree_node=parsed.expected.tree_node,
        expected_explanation=parsed.expected.explanation.strip(),
        snapshot=snapshot,
        aws_log=texts["aws"],
        cgw_log=texts["cgw"],
    )


def slugs(directory: Path = INCIDENTS_DIR) -> list[str]:
    """Incident slugs (folders with an incident.yaml), sorted."""
    if not directory.is_dir():
        return []
    return sorted(p.name for p in directory.iterdir() if (p / "incident.yaml").is_file())


@lru_cache(maxsize=32)
def incident(slug: str) -> Incident:
    """One bundled incident by slug; NotFoundError lists the valid slugs."""
    if slug not in slugs():
        raise NotFoundError("replay", slug, slugs())
    return load_incident(INCIDENTS_DIR / slug)


def incidents() -> list[Incident]:
    """Every bundled incident, sorted by slug."""
    return [incident(s) for s in slugs()]


def snapshot(slug: str) -> Snapshot:
    """The replay's Snapshot (what the monitor, the audit and the troubleshooter read)."""
    return incident(slug).snapshot
