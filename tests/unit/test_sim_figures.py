"""Figures of a run: pure plotly data with states in text as well as colour."""

from __future__ import annotations

from lab.sim import Failure, simulate
from lab.sim.compare import compare
from lab.sim.figures import element_failure, elements, frame_times, timeline_figure, topology_figure

RUN = simulate("s4", [Failure("cgw-down", "cgw-a", 60)])


def test_topology_has_a_frame_per_moment_with_play_and_slider() -> None:
    fig = topology_figure(RUN)
    names = [f.name for f in fig.frames]
    assert names == [str(t) for t in frame_times(RUN)]
    assert {"60", "61", "90"} <= set(names)  # the failure and the hold-timer expiry are moments of their own
    assert fig.layout.updatemenus[0].buttons[0].label.endswith("Play")
    assert len(fig.layout.sliders[0].steps) == len(names)


def test_topology_states_are_written_not_only_coloured() -> None:
    frame = {f.name: f for f in topology_figure(RUN).frames}["61"]
    texts = " ".join(" ".join(tr.text) for tr in frame.data if tr.text is not None)
    assert "DEVICE DOWN" in texts and "tunnel-1: BLACK HOLE" in texts and "tunnel-3: UP" in texts
    assert "LOST" in frame.layout.title.text


def test_every_failable_element_maps_to_a_failure() -> None:
    ids = [e.id for e in elements(RUN)]
    assert {"onprem", "cgw-a", "cgw-b", "tunnel-1", "endpoint:tunnel-4", "gateway", "rtb", "vpc"} <= set(ids)
    assert element_failure("cgw-b") == ("cgw-down", "cgw-b")
    assert element_failure("endpoint:tunnel-2") == ("endpoint-replacement", "tunnel-2")
    assert element_failure("tunnel-3") == ("ike-delete", "tunnel-3")
    assert element_failure("gateway") is None


def test_timeline_has_state_lanes_traffic_and_delivery() -> None:
    fig = timeline_figure(RUN)
    names = [tr.name for tr in fig.data]
    assert "TunnelState 1 (UP)" in names and "TunnelState 0 (DOWN)" in names
    assert "tunnel-3 in" in names and "delivered VPC → on-premises" in names


def test_long_runs_are_drawn_in_buckets() -> None:
    fig = timeline_figure(simulate("s1", duration_s=7200))
    delivered = next(tr for tr in fig.data if tr.name == "delivered VPC → on-premises")
    assert len(delivered.x) <= 1800


def test_comparison_marks_failures_a_design_cannot_have() -> None:
    rows = compare([Failure("cgw-down", "cgw-b", 60)])
    s1 = rows[0]
    assert s1.manual is None and "no target" in s1.note
    assert [r.scenario for r in rows] == ["s1", "s2", "s3", "s4"]
