"""GetMetricData planning: periods that honour CloudWatch's retention and keep every series small,
and batches of at most 500 queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lab.aws.metrics import (
    MAX_POINTS_PER_SERIES,
    MAX_QUERIES_PER_REQUEST,
    WINDOWS,
    build_queries,
    choose_period,
    collect,
    request_batches,
    window_bounds,
)
from lab.errors import NotFoundError
from lab.model import Tunnel, VpnConnection

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("window", "period"),
    [("1 hour", 60), ("1 day", 60), ("1 week", 900), ("1 month", 3600), ("3 months", 21600), ("15 months", 86400)],
)
def test_period_grows_with_the_window(window: str, period: int) -> None:
    start, end = window_bounds(window, NOW)
    assert choose_period(start, end, NOW) == period


@pytest.mark.parametrize("window", list(WINDOWS))
def test_every_window_stays_within_the_point_budget_and_retention(window: str) -> None:
    start, end = window_bounds(window, NOW)
    period = choose_period(start, end, NOW)
    assert (end - start).total_seconds() / period <= MAX_POINTS_PER_SERIES
    age = NOW - start
    if age > timedelta(days=63):
        assert period % 3600 == 0
    elif age > timedelta(days=15):
        assert period % 300 == 0
    else:
        assert period % 60 == 0


def test_windows_run_from_one_hour_to_fifteen_months() -> None:
    assert min(WINDOWS.values()) == timedelta(hours=1)
    assert max(WINDOWS.values()) >= timedelta(days=455)


def test_unknown_window_lists_the_choices() -> None:
    with pytest.raises(NotFoundError, match="1 hour"):
        window_bounds("1 fortnight", NOW)


def _connections(n: int) -> list[VpnConnection]:
    return [
        VpnConnection(id=f"vpn-{i:017x}", tunnels=(Tunnel(f"203.0.113.{i % 250}"), Tunnel(f"198.51.100.{i % 250}")))
        for i in range(n)
    ]


def test_one_request_carries_every_series_of_a_few_connections() -> None:
    queries = build_queries(_connections(2))
    batches = request_batches(queries, NOW - timedelta(days=1), NOW, 60)
    assert len(queries) == 12 and len(batches) == 1
    q = batches[0]["MetricDataQueries"][0]
    assert q["MetricStat"]["Metric"]["Namespace"] == "AWS/VPN"
    assert {d["Name"] for d in q["MetricStat"]["Metric"]["Dimensions"]} == {"VpnId", "TunnelIpAddress"}


def test_requests_never_exceed_500_queries() -> None:
    queries = build_queries(_connections(100))
    batches = request_batches(queries, NOW - timedelta(days=1), NOW, 60)
    assert len(queries) == 600
    assert [len(b["MetricDataQueries"]) for b in batches] == [MAX_QUERIES_PER_REQUEST, 100]
    ids = [q["Id"] for b in batches for q in b["MetricDataQueries"]]
    assert len(set(ids)) == len(ids) and all(i[0].islower() for i in ids)


def test_a_series_split_over_pages_is_merged_in_time_order() -> None:
    queries = build_queries(_connections(1))
    qid = queries[0].id
    t0 = NOW - timedelta(minutes=2)
    pages = [
        {"MetricDataResults": [{"Id": qid, "Timestamps": [NOW], "Values": [0.0]}]},
        {"MetricDataResults": [{"Id": qid, "Timestamps": [t0, NOW - timedelta(minutes=1)], "Values": [1.0, 0.5]}]},
    ]
    series = {s.metric + s.tunnel_ip: s for s in collect(pages, queries, 60)}
    first = series[queries[0].metric + queries[0].tunnel_ip]
    assert first.values == (1.0, 0.5, 0.0)
    assert first.timestamps[0] == t0
