"""The data files of a replay: metrics.csv in CloudWatch's long format and the two logs, as the model's
TunnelSeries and LogRecords."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from lab.model import METRICS, LogRecord, TunnelSeries, utc

CSV_COLUMNS = ("Timestamp", "Namespace", "MetricName", "VpnId", "TunnelIpAddress", "Statistic", "Period", "Value")


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
                # AWS names the connection and the tunnel in the log stream; a record exported with them carries
                # the lab's keys (lab/sim/loglines.py) or, in older files, AWS's field names.
                vpn_id = str(data.get("vpn_connection_id") or data.get("VpnConnectionId", ""))
                ip = str(data.get("tunnel_outside_ip") or data.get("TunnelOutsideIPAddress", ""))
                if "resource_id" in data and "_" in str(data["resource_id"]):
                    vpn_id, ip = str(data["resource_id"]).split("_", 1)
                stamp = data.get("VpnLogCreationTimestamp") or data.get("timestamp")
                if isinstance(data.get("event_timestamp"), int | float):
                    when = datetime.fromtimestamp(data["event_timestamp"] / 1000, UTC)
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


def merged_log_text(records: tuple[LogRecord, ...] | list[LogRecord]) -> str:
    """Log records as one text, ordered by time; untimed lines keep their place after their predecessor."""
    keyed = []
    last: datetime | None = None
    for index, record in enumerate(records):
        last = record.time or last
        keyed.append((last.timestamp() if last else float("-inf"), index, record.text))
    return "".join(f"{text}\n" for _, _, text in sorted(keyed))
