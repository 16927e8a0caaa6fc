"""Every lesson figure builds from a pure function, has a title, and writes its meaning as text."""

from __future__ import annotations

import json
from functools import cache

import plotly.graph_objects as go
import pytest

from lab.facts import fact
from lab.figures import FIGURES, _draw

NAMES = sorted(FIGURES)


@cache
def _built(name: str) -> go.Figure:
    """FIGURES[name](), built once for the tests that only read it."""
    return FIGURES[name]()


def _texts(fig: go.Figure) -> list[str]:
    texts = [a.text for a in fig.layout.annotations if a.text]
    for trace in fig.data:
        for attr in ("text", "name"):
            value = getattr(trace, attr, None)
            if isinstance(value, str) and value:
                texts.append(value)
            elif isinstance(value, tuple | list):
                texts.extend(str(v) for v in value if v)
    if fig.layout.yaxis.ticktext:
        texts.extend(fig.layout.yaxis.ticktext)
    return texts


@pytest.mark.parametrize("name", NAMES)
def test_figure_builds_with_a_title(name: str) -> None:
    fig = _built(name)
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text and len(fig.layout.title.text) > 10


@pytest.mark.parametrize("name", NAMES)
def test_figure_carries_text_labels(name: str) -> None:
    """Colour is never the only carrier of meaning: every figure has several text labels."""
    assert len(_texts(_built(name))) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_figure_is_plain_data(name: str) -> None:
    """A figure serialises to JSON (what st.plotly_chart sends to the browser) and has a fixed height."""
    fig = _built(name)
    json.loads(fig.to_json())
    assert 250 <= fig.layout.height <= 800


@pytest.mark.parametrize("name", NAMES)
def test_figure_is_deterministic(name: str) -> None:
    assert FIGURES[name]().to_json() == _built(name).to_json()


@pytest.mark.parametrize("name", NAMES)
def test_shapes_and_labels_set_at_once_are_those_added_one_by_one(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The drawing helpers set a figure's shapes and annotations in one update (`_draw.finish`): the figure is
    the one that adding them one by one makes, in the same order, with nothing left unset."""
    fig = _built(name)
    assert _draw._PENDING not in fig.__dict__
    monkeypatch.setattr(_draw, "DEFER", False)
    assert FIGURES[name]().to_plotly_json() == fig.to_plotly_json()


def test_figure_names_are_lesson_directive_names() -> None:
    import re

    assert all(re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", n) for n in NAMES)


def test_dpd_timeline_states_the_documented_default_and_its_dispute() -> None:
    title = FIGURES["dpd-timeline"]().layout.title.text
    assert f"timeout {fact('dpd_timeout_default').value} s" in title
    assert "30 per create-time API and older docs" in title
    labels = " ".join(_texts(FIGURES["dpd-timeline"]()))
    assert "action = clear (the default)" in labels
    assert "routes removed" in labels


def test_startup_action_timeline_states_who_initiates() -> None:
    fig = FIGURES["startup-action-timeline"]()
    labels = " ".join(_texts(fig))
    assert fact("aws_initiation_after_replacement").text in fig.layout.title.text
    assert "nobody initiates" in labels


def test_packet_figure_uses_the_protocol_facts() -> None:
    labels = " ".join(_texts(FIGURES["packet-encapsulation"]()))
    assert f"protocol {fact('esp_ip_protocol').value}" in labels
    assert f"UDP {fact('natt_udp_port').value}" in labels
    assert f"UDP {fact('ike_udp_port').value}" in labels


def test_topology_figures_say_what_survives() -> None:
    assert "Does not survive: the customer gateway failing" in " ".join(_texts(FIGURES["topology-s1"]()))
    assert "MANUAL" in " ".join(_texts(FIGURES["topology-s3"]()))
    assert "AUTOMATIC" in " ".join(_texts(FIGURES["topology-s4"]()))


def test_tunnelstate_figure_names_both_meanings() -> None:
    names = " ".join(_texts(FIGURES["tunnelstate-static-vs-bgp"]()))
    assert "static" in names and "BGP ESTABLISHED" in names
