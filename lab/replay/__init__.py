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

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lab import DATASETS_DIR
from lab.errors import DataError, NotFoundError
from lab.model import EVENT_KINDS, Event, Snapshot, utc
from lab.replay.files import CSV_COLUMNS, aws_log_records, cgw_log_records, merged_log_text, read_metrics
from lab.replay.schema import CATEGORIES, connection
from lab.replay.schema import Incident as _IncidentSchema
from lab.schema import load_yaml_model

__all__ = [
    "AWS_LOG_FORMATS",
    "CATEGORIES",
    "CGW_LOG_FORMATS",
    "CSV_COLUMNS",
    "INCIDENTS_DIR",
    "Incident",
    "incident",
    "incidents",
    "load_incident",
    "merged_log_text",
    "slugs",
    "snapshot",
]

INCIDENTS_DIR = DATASETS_DIR / "incidents"
AWS_LOG_FORMATS = ("aws-json", "aws-text")
CGW_LOG_FORMATS = ("strongswan", "libreswan", "cisco-ios", "cisco-asa", "fortigate", "paloalto")


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


def load_incident(folder: Path) -> Incident:
    """Load and validate one incident folder."""
    path = folder / "incident.yaml"
    parsed = load_yaml_model(_IncidentSchema, path)
    problems: list[str] = []
    start, end = utc(parsed.start), utc(parsed.end)
    if end <= start:
        problems.append("end: must be after start")
    connections = [connection(c) for c in parsed.connections]
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


def slugs(directory: Path | None = None) -> list[str]:
    """Incident slugs (folders with an incident.yaml), sorted."""
    directory = directory or INCIDENTS_DIR
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
