"""GetMetricData for AWS/VPN: time windows, the period that keeps every series within CloudWatch's limits,
and the batch of queries for all tunnels of the selected connections.

Pure functions (no client): `build_queries` → `request_batches` → (the fetch sends them) →
`collect` turns the pages back into `TunnelSeries`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lab.model import (
    METRIC_DATA_IN,
    METRIC_DATA_OUT,
    METRIC_TUNNEL_STATE,
    TunnelSeries,
    VpnConnection,
    utc,
)

NAMESPACE = "AWS/VPN"

# The statistic read for each metric. TunnelState Average = the share of the period the tunnel was up
# (for BGP connections: BGP established); the data metrics are bytes since the previous data point, so Sum.
# Source: https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-cloudwatch-vpn.html
STATS: dict[str, str] = {
    METRIC_TUNNEL_STATE: "Average",
    METRIC_DATA_IN: "Sum",
    METRIC_DATA_OUT: "Sum",
}

# Time ranges offered by the monitor, from 1 hour to CloudWatch's 15-month retention.
WINDOWS: dict[str, timedelta] = {
    "1 hour": timedelta(hours=1),
    "3 hours": timedelta(hours=3),
    "12 hours": timedelta(hours=12),
    "1 day": timedelta(days=1),
    "3 days": timedelta(days=3),
    "1 week": timedelta(days=7),
    "2 weeks": timedelta(days=14),
    "1 month": timedelta(days=30),
    "3 months": timedelta(days=91),
    "6 months": timedelta(days=182),
    "15 months": timedelta(days=456),
}

# GetMetricData only returns data for start times older than 3 hours / 15 days / 63 days when the
# period is a multiple of 60 / 300 / 3600 seconds, because CloudWatch keeps 1-minute data 15 days,
# 5-minute data 63 days and 1-hour data 15 months.
# Source: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html
_RETENTION_STEPS = ((timedelta(days=63), 3600), (timedelta(days=15), 300), (timedelta(hours=3), 60))
# A chart needs no more points than a screen has pixels; 1,440 keeps each series far below the
# 100,800 data points one GetMetricData response may carry.
MAX_POINTS_PER_SERIES = 1440
PERIODS = (60, 300, 900, 3600, 21600, 86400)
MAX_QUERIES_PER_REQUEST = 500  # GetMetricData's limit on MetricDataQueries per request


def window_bounds(window: str, now: datetime) -> tuple[datetime, datetime]:
    """(start, end) of a named window ending at `now` (minute-aligned so caches line up)."""
    if window not in WINDOWS:
        from lab.errors import NotFoundError

        raise NotFoundError("time window", window, list(WINDOWS))
    end = utc(now).replace(second=0, microsecond=0)
    return end - WINDOWS[window], end


def choose_period(start: datetime, end: datetime, now: datetime) -> int:
    """The smallest standard period that keeps a series ≤ MAX_POINTS_PER_SERIES and honours retention."""
    start, end, now = utc(start), utc(end), utc(now)
    span = max((end - start).total_seconds(), 60.0)
    age = now - start
    minimum = 60
    for older_than, multiple in _RETENTION_STEPS:
        if age > older_than:
            minimum = multiple
            break
    for period in PERIODS:
        if period >= minimum and span / period <= MAX_POINTS_PER_SERIES:
            return period
    return PERIODS[-1]


@dataclass(frozen=True)
class SeriesQuery:
    """One GetMetricData query and the tunnel series it stands for."""

    id: str
    vpn_id: str
    tunnel_ip: str
    metric: str
    stat: str


def build_queries(connections: tuple[VpnConnection, ...] | list[VpnConnection]) -> list[SeriesQuery]:
    """One query per tunnel, metric and statistic of every connection."""
    queries: list[SeriesQuery] = []
    for c_index, connection in enumerate(connections):
        for t_index, tunnel in enumerate(connection.tunnels):
            for m_index, (metric, stat) in enumerate(STATS.items()):
                # Ids must start with a lowercase letter and be unique within the request.
                queries.append(
                    SeriesQuery(f"q{c_index}_{t_index}_{m_index}", connection.id, tunnel.outside_ip, metric, stat)
                )
    return queries


def request_batches(
    queries: list[SeriesQuery], start: datetime, end: datetime, period: int
) -> list[dict[str, Any]]:
    """GetMetricData parameters, at most MAX_QUERIES_PER_REQUEST queries each (usually one request)."""
    batches = []
    for i in range(0, len(queries), MAX_QUERIES_PER_REQUEST):
        chunk = queries[i : i + MAX_QUERIES_PER_REQUEST]
        batches.append(
            {
                "MetricDataQueries": [
                    {
                        "Id": q.id,
                        "MetricStat": {
                            "Metric": {
                                "Namespace": NAMESPACE,
                                "MetricName": q.metric,
                                "Dimensions": [
                                    {"Name": "VpnId", "Value": q.vpn_id},
                                    {"Name": "TunnelIpAddress", "Value": q.tunnel_ip},
                                ],
                            },
                            "Period": period,
                            "Stat": q.stat,
                        },
                        "ReturnData": True,
                    }
                    for q in chunk
                ],
                "StartTime": utc(start),
                "EndTime": utc(end),
                "ScanBy": "TimestampAscending",
            }
        )
    return batches


def collect(pages: list[dict[str, Any]], queries: list[SeriesQuery], period: int) -> list[TunnelSeries]:
    """Merge GetMetricData pages (a series may span pages) into one sorted TunnelSeries per query."""
    by_id = {q.id: q for q in queries}
    points: dict[str, dict[datetime, float]] = {q.id: {} for q in queries}
    for page in pages:
        for result in page.get("MetricDataResults", []):
            qid = result.get("Id", "")
            if qid not in points:
                continue
            for ts, value in zip(result.get("Timestamps", []), result.get("Values", []), strict=False):
                points[qid][utc(ts)] = float(value)
    series = []
    for qid, values in points.items():
        q = by_id[qid]
        ordered = sorted(values.items())
        series.append(
            TunnelSeries(
                vpn_id=q.vpn_id,
                tunnel_ip=q.tunnel_ip,
                metric=q.metric,
                stat=q.stat,
                period_s=period,
                timestamps=tuple(t for t, _ in ordered),
                values=tuple(v for _, v in ordered),
            )
        )
    return series
