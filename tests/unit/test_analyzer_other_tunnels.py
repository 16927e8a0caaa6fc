"""A gateway's log holds its other tunnels too: another connection's SA coming up does not answer this one's failure.
Built from two development excerpts of libreswan's test suite pasted one after the other, as one pluto prints them
when it runs both connections."""

from __future__ import annotations

from lab import DATASETS_DIR
from lab.analyzer import analyze_text

DEV = DATASETS_DIR / "real-logs" / "dev"


def _pasted(*names: str) -> str:
    return "".join((DEV / f"{name}.log").read_text(encoding="utf-8") + "\n" for name in names)


def _category(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


def test_an_unanswered_first_attempt_stays_the_cause_when_another_connection_comes_up() -> None:
    # "west": IKE_SA_INIT to 192.1.2.23 never answered (UDP 500 and 4500 dropped); "x509": a tunnel that comes up
    failing = _pasted("libreswan-v2-udp-blocked-ike-sa-init-no-response")
    assert _category(failing) == "peer_unreachable"
    assert _category(failing + _pasted("libreswan-v2-x509-auth-reassembled-fragments-healthy")) == "peer_unreachable"


def test_a_daemons_guess_stays_when_only_another_connection_comes_up() -> None:
    # "westnet-eastnet-x509-cr": the peer's INVALID_ID_INFORMATION ignored, a guess about its certificate;
    # "westnet-eastnet-ikev2": a tunnel that comes up
    failing = _pasted("libreswan-v1-main-mode-cert-signed-by-wrong-ca")
    assert _category(failing) == "auth_failure"
    assert _category(failing + _pasted("libreswan-v2-fragmented-ike-auth-healthy")) == "auth_failure"


def test_the_same_connection_coming_up_again_still_clears_a_guess() -> None:
    # the same excerpt's connection set up again afterwards (its own established lines, renamed to that connection)
    failing = _pasted("libreswan-v1-main-mode-cert-signed-by-wrong-ca")
    again = _pasted("libreswan-v2-fragmented-ike-auth-healthy").replace("westnet-eastnet-ikev2", "westnet-eastnet-x509-cr")
    assert _category(failing + again) is None
