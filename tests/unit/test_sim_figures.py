"""Figures of a run: pure plotly data with states in text as well as colour."""

from __future__ import annotations

from lab.figures.simulation import element_failure, elements, frame_times, timeline_figure, topology_figure
from lab.sim import Failure, parse_failure, simulate
from lab.sim.compare import compare

RUN = simulate("s4", [Failure("cgw-down", "cgw-a", 60)])


def test_topology_has_a_frame_per_moment_with_play_and_slider() -> None:
    fig = topology_figure(RUN)
    names = [f.name for f in fig.frames]
    assert names == [str(t) for t in frame_times(RUN)]
    assert {"60", "70", "90"} <= set(names)  # the failure, just after it, and the hold-timer expiry
    assert fig.layout.updatemenus[0].buttons[0].label.endswith("Play")
    assert len(fig.layout.sliders[0].steps) == len(names)


def test_topology_states_are_written_not_only_coloured() -> None:
    frame = {f.name: f for f in topology_figure(RUN).frames}["70"]
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


def test_slider_moments_are_an_even_grid_of_round_steps() -> None:
    """The slider spaces its ticks by position: only evenly spaced moments give evenly spaced tick labels."""
    for duration, step in ((600, 10), (120, 2), (3600, 60), (14400, 300)):
        times = frame_times(simulate("s1", duration_s=duration))
        assert times[0] == 0 and {b - a for a, b in zip(times, times[1:], strict=False)} == {step}
        assert len(times) <= 60
    fig = topology_figure(RUN)
    assert [s.label for s in fig.layout.sliders[0].steps] == [f.name for f in fig.frames]
    assert fig.layout.sliders[0].currentvalue.visible is False  # the title says the moment


def test_phone_diagram_runs_top_to_bottom_with_every_label() -> None:
    """On a phone the diagram is vertical: on premises at the top, the VPC at the bottom, same elements and labels."""
    wide = {e.id: e for e in elements(RUN)}
    tall = {e.id: e for e in elements(RUN, vertical=True)}
    assert wide.keys() == tall.keys()
    assert tall["onprem"].y > tall["cgw-a"].y > tall["tunnel-1"].y > tall["endpoint:tunnel-1"].y > tall["vpc"].y
    assert tall["cgw-a"].x < tall["cgw-b"].x
    frame = {f.name: f for f in topology_figure(RUN, vertical=True).frames}["70"]
    texts = " ".join(" ".join(tr.text) for tr in frame.data if tr.text is not None)
    assert "DEVICE DOWN" in texts and "tunnel-1<br>BLACK HOLE" in texts


def test_node_labels_sit_on_a_halo_above_the_lines() -> None:
    """Labels are drawn after every line, on a white halo, so a traffic line never hides one (S5 has eight)."""
    fig = topology_figure(simulate("s5", [Failure("cgw-down", "cgw-a", 60)]))
    labelled = [i for i, tr in enumerate(fig.data) if tr.text is not None]
    lines = [i for i, tr in enumerate(fig.data) if tr.mode == "lines"]
    assert labelled and min(labelled) > max(lines)
    assert all("white" in fig.data[i].textfont.shadow for i in labelled)


def test_failure_tags_are_numbered_and_staggered_on_a_long_script() -> None:
    """Ten failures in an hour: each is a numbered tag (full text on hover); close tags go up a row."""
    script = ["cgw-down:cgw-a@60+240", "ike-delete:tunnel-3@100", "ike-delete:tunnel-4@120", "idle@200+300",
              "cgw-link-down:cgw-b@400+200", "endpoint-replacement:tunnel-1@900", "bgp-reset:tunnel-2@950",
              "psk-mismatch:tunnel-3@1800+300", "proposal-mismatch:tunnel-4@1830+200", "cgw-down:cgw-b@2400+60"]
    result = simulate("s5", [parse_failure(x) for x in script], duration_s=3600)
    fig = timeline_figure(result)
    tags = [a for a in fig.layout.annotations if a.text and a.text.isdigit()]
    assert [a.text for a in tags] == [str(n) for n in range(1, 11)]
    assert tags[0].hovertext.startswith("1: cgw-down cgw-a, 60 s until 300 s")
    px_per_s = 1200 / 3600  # a laptop-wide chart
    for a, b in zip(tags, tags[1:], strict=False):
        if a.yshift == b.yshift:  # on the same row: far enough apart not to overlap
            assert (b.x - a.x) * px_per_s >= 20
    assert len({a.yshift for a in tags}) > 1


def test_timeline_keeps_a_band_for_the_toolbar_above_the_tags_and_no_more() -> None:
    """A touch screen shows plotly's toolbar all the time: a band at the top keeps it off the failure tags and the
    first panel's title; without failures only the title sits below it (the page pulls the chart up over the band
    where a mouse shows the toolbar on hover only, so the paper is transparent)."""
    from lab.figures.simulation import MODEBAR_BAND, TAG_ROW

    quiet = timeline_figure(simulate("s1")).layout
    assert MODEBAR_BAND <= quiet.margin.t <= MODEBAR_BAND + 32 and quiet.paper_bgcolor == "rgba(0,0,0,0)"
    fig = timeline_figure(RUN)
    top_tag = max(a.yshift for a in fig.layout.annotations if a.text and a.text.isdigit())
    assert fig.layout.margin.t >= top_tag + TAG_ROW + MODEBAR_BAND
    # the panels themselves are as tall with or without failures
    assert quiet.height - quiet.margin.t == fig.layout.height - fig.layout.margin.t


def test_topology_frames_are_what_plotly_validation_makes_of_them() -> None:
    """The topology's frames are drawn as built, without plotly's per-frame validation: every frame of every
    design, wide and phone, must come out of a full validation unchanged."""
    import plotly.graph_objects as go

    for scenario in ("s1", "s4", "s5"):
        for vertical in (False, True):
            drawn = topology_figure(simulate(scenario, [Failure("cgw-down", "cgw-a", 60)]), vertical=vertical).to_dict()
            assert len(drawn["frames"]) == len(frame_times(RUN))
            assert go.Figure(drawn).to_dict() == drawn
