"""The monitor's figures: per-tunnel TunnelState read for the routing type, data with its warning,
events on the same time axis."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from lab import replay
from lab.errors import NotFoundError
from lab.figures.monitor import connection_figure, data_note, has_metrics, state_meaning
from lab.model import Snapshot

STATIC = "dpd-idle-tunnel"
BGP = "cgw-deleted-ike-sa"


def _figure(slug: str) -> tuple[Snapshot, go.Figure]:
    snap = replay.snapshot(slug)
    return snap, connection_figure(snap, snap.connections[0].id)


def test_one_tunnelstate_row_and_trace_per_tunnel() -> None:
    snap, fig = _figure(STATIC)
    names = [t.name for t in fig.data if t.name and t.name.endswith("TunnelState")]
    assert names == [f"Tunnel {i} ({t.outside_ip}) TunnelState" for i, t in enumerate(snap.connections[0].tunnels, 1)]


def test_static_connection_reads_tunnelstate_as_tunnel_up() -> None:
    snap, fig = _figure(STATIC)
    assert "1 = UP" in fig.layout.yaxis.title.text and "1 = UP" in fig.layout.yaxis2.title.text
    assert "UP" in state_meaning(snap.connections[0])


def test_bgp_connection_reads_tunnelstate_as_bgp_established() -> None:
    snap, fig = _figure(BGP)
    assert "1 = BGP up" in fig.layout.yaxis.title.text
    assert "ESTABLISHED" in state_meaning(snap.connections[0])


def test_data_chart_says_data_is_not_liveness() -> None:
    _, fig = _figure(STATIC)
    titles = [a.text for a in fig.layout.annotations]
    assert any("data is not liveness" in t for t in titles)
    assert "not a liveness signal" in data_note().lower()


def test_data_traces_in_and_out_per_tunnel() -> None:
    _, fig = _figure(STATIC)
    data = [t.name for t in fig.data if t.name and ("DataIn" in t.name or "DataOut" in t.name)]
    assert len(data) == 4


def test_events_share_the_time_axis() -> None:
    snap, fig = _figure(STATIC)
    events = [t for t in fig.data if t.name and t.name.startswith("Events")]
    assert sum(len(t.x) for t in events) == len(snap.events)
    assert fig.layout.xaxis.matches == fig.layout.xaxis3.matches == "x4"  # every row shares the events row's time axis
    assert fig.layout.xaxis4.range[0] == snap.start


def test_down_tunnel_values_reach_zero() -> None:
    snap = replay.snapshot(STATIC)
    state = next(s for s in snap.series if s.tunnel_ip == "203.0.113.138" and s.metric == "TunnelState")
    assert min(state.values) == 0.0 and max(state.values) == 1.0


def test_unknown_connection_is_a_not_found_error() -> None:
    snap = replay.snapshot(STATIC)
    with pytest.raises(NotFoundError):
        connection_figure(snap, "vpn-0000000000000000")


def test_has_metrics_is_false_without_points() -> None:
    from dataclasses import replace

    snap = replay.snapshot(STATIC)
    assert has_metrics(snap, snap.connections[0].id)
    assert not has_metrics(replace(snap, series=()), snap.connections[0].id)


def test_a_window_without_events_says_so_on_the_timeline() -> None:
    from dataclasses import replace

    from lab.figures.monitor import NO_EVENTS

    snap = replace(replay.snapshot(STATIC), events=())
    fig = connection_figure(snap, snap.connections[0].id)
    assert any(list(t.y) == [NO_EVENTS, NO_EVENTS] for t in fig.data if t.y is not None and len(t.y) == 2)


def test_tunnel_log_findings_become_timeline_events() -> None:
    from lab.analyzer import analyze_text
    from lab.figures.monitor import log_finding_events

    inc = replay.incident("psk-mismatch-after-rotation")
    analysis = analyze_text(inc.aws_log)
    events = log_finding_events(analysis.findings, "vpn-0c2d4e6f8a0b1c3d5")
    assert events and {e.kind for e in events} == {"auth-failure"}
    assert all(e.time and e.vpn_id == "vpn-0c2d4e6f8a0b1c3d5" for e in events)
    assert events == sorted(events, key=lambda e: e.time)
