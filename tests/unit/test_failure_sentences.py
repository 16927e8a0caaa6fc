"""A failure script in plain words: the sentence the scenario lab lists and a drill shows its participants."""

from __future__ import annotations

import pytest

from lab.classes.drills import failures_in, ready_made
from lab.i18n import render
from lab.sim import FAILURE_KINDS, Failure, load_scenario, parse_failure, simulate
from lab.sim.failures import failure_sentence


@pytest.mark.parametrize("text", ["ike-delete:tunnel-1@60", "endpoint-replacement:tunnel-1@60",
                                  "bgp-reset:tunnel-1@60", "ike-delete:tunnel-1@60+300"])
def test_an_instant_failure_is_an_event_at_one_time(text: str) -> None:
    sentence = failure_sentence(parse_failure(text), load_scenario("s4"))
    assert str(sentence).endswith(" at 60 s"), sentence
    assert "until" not in sentence and "for " not in sentence
    assert render(sentence, "ko").startswith("60초 시점 tunnel-1")
    assert "끝까지" not in render(sentence, "ko") and "동안" not in render(sentence, "ko")


def test_a_lasting_failure_says_how_long() -> None:
    s4 = load_scenario("s4")
    down = failure_sentence(parse_failure("cgw-down:cgw-a@60"), s4)
    assert down == "Customer gateway device down on cgw-a (Customer gateway A) at 60 s, until the end"
    assert render(down, "ko") == "60초 시점 cgw-a (고객 게이트웨이 A): 고객 게이트웨이 디바이스 다운, 끝까지"
    idle = failure_sentence(parse_failure("idle@200+300"), s4)
    assert idle == "No traffic for a while (idle) at 200 s, for 300 s"
    assert render(idle, "ko").endswith("300초 동안")


def test_a_tunnel_is_named_with_its_gateway_and_zone() -> None:
    s4 = load_scenario("s4")
    tid, _conn, tunnel, gateway = s4.tunnel_rows()[0]
    sentence = failure_sentence(Failure("endpoint-replacement", tid, 30), s4)
    assert f"{tid} ({gateway.name}, {tunnel.az})" in sentence


def test_the_instant_kinds_are_those_the_simulator_never_ends() -> None:
    """A duration given to an instant failure changes nothing in the run: the sentence is right to omit it."""
    instant = {k.id for k in FAILURE_KINDS if k.instant}
    assert instant == {"endpoint-replacement", "ike-delete", "bgp-reset"}
    plain = simulate("s4", [parse_failure("ike-delete:tunnel-1@60")], duration_s=600).outcome
    timed = simulate("s4", [parse_failure("ike-delete:tunnel-1@60+120")], duration_s=600).outcome
    assert plain.down_s == timed.down_s and plain.outage_s == timed.outage_s


def test_a_drill_shows_its_failures_in_words_in_each_language() -> None:
    prepared = next(p for s, p in ready_made() if s.id == "s4-bgp-failover")
    assert prepared["failures"] == ["cgw-down:cgw-a@60"]
    assert failures_in(prepared, "en") == [
        "Customer gateway device down on cgw-a (Customer gateway A) at 60 s, until the end"]
    assert failures_in(prepared, "ko") == ["60초 시점 cgw-a (고객 게이트웨이 A): 고객 게이트웨이 디바이스 다운, 끝까지"]


def test_a_drill_failure_that_cannot_be_read_is_shown_as_written() -> None:
    assert failures_in({"scenario": "nope", "failures": ["cgw-down:cgw-a@60", "<b>x</b>"]}, "en") == [
        "Customer gateway device down on cgw-a at 60 s, until the end", "<b>x</b>"]
