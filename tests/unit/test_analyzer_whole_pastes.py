"""Whole pastes as engineers post them: a refusal stays the cause whatever comes around it.

Every excerpt is a development excerpt of the real-log corpus (`datasets/real-logs/dev/`, each with its public
source and the source's own resolution in `corpus.yaml`). The two-sided pastes below put two of them one after
the other, the way an issue thread quotes the initiator's log and then the responder's: the lines are real, the
pairing is the test's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.protocol import NOTIFY_MEANING, notify_name

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def _lines(name: str) -> list[str]:
    return [line for line in (DEV / f"{name}.log").read_text(encoding="utf-8").splitlines() if line.strip()]


def _primary(lines: list[str]) -> str:
    got = analyze_text("\n".join(lines) + "\n")
    return got.primary.category if got.primary else "none"


def test_charon_short_names_of_the_configuration_payload_notifies() -> None:
    # strongSwan's notify_payload.c prints these two as INT_ADDR_FAIL and FAIL_CP_REQ in payload lists.
    assert notify_name("INT_ADDR_FAIL") == "INTERNAL_ADDRESS_FAILURE"
    assert notify_name("FAIL_CP_REQ") == "FAILED_CP_REQUIRED"
    assert NOTIFY_MEANING["INTERNAL_ADDRESS_FAILURE"] == NOTIFY_MEANING["FAILED_CP_REQUIRED"] == "ts_unacceptable"


def test_failed_cp_required_is_a_refusal_of_the_child_sa_inner_addresses() -> None:
    """dev/strongswan-v2-responder-failed-cp-required.log (https://github.com/FDio/vpp/issues/3374): the strongSwan
    responder wants the initiator to ask for a virtual IP and refuses the Child SA with FAILED_CP_REQUIRED."""
    lines = _lines("strongswan-v2-responder-failed-cp-required")
    got = analyze_text("\n".join(lines) + "\n")
    assert got.primary is not None and got.primary.category == "traffic_selector_mismatch"
    assert got.primary.facts["notify"] == "FAILED_CP_REQUIRED"
    assert got.primary.facts["exchange"] == "IKE_AUTH"
    assert got.primary.facts["direction"] == "sent"
    # Read backwards, or without the syslog prefix, the same.
    assert _primary(list(reversed(lines))) == "traffic_selector_mismatch"
    assert _primary([line.split(": ", 1)[1] for line in lines]) == "traffic_selector_mismatch"


@pytest.mark.parametrize(
    "line",
    [
        # strongSwan child_create.c: `received %N notify, no CHILD_SA built` for INTERNAL_ADDRESS_FAILURE,
        # FAILED_CP_REQUIRED, TS_UNACCEPTABLE and INVALID_SELECTORS alike.
        "charon: 09[IKE] received INTERNAL_ADDRESS_FAILURE notify, no CHILD_SA built",
        "charon: 09[IKE] received FAILED_CP_REQUIRED notify, no CHILD_SA built",
        "charon: 09[ENC] parsed IKE_AUTH response 1 [ IDr AUTH N(INT_ADDR_FAIL) ]",
    ],
)
def test_configuration_payload_refusals_received(line: str) -> None:
    got = analyze_text(line + "\n")
    assert got.primary is not None and got.primary.category == "traffic_selector_mismatch"
    assert got.primary.facts["direction"] == "received"


@pytest.mark.parametrize(
    ("responder", "initiator"),
    [
        ("vyos-v2-ts-mismatch-responder", "libreswan-v2-ike-sa-init-timeout"),
        ("strongswan-v2-responder-failed-cp-required", "libreswan-v2-ike-sa-init-timeout"),
        ("strongswan-v2-responder-failed-cp-required", "opnsense-v2-giving-up-newest-first"),
        ("libreswan-v2-child-ts-unacceptable", "libreswan-v2-udp-blocked-init-retransmits"),
    ],
)
def test_the_refusal_a_responder_logs_outweighs_the_other_sides_timeouts(responder: str, initiator: str) -> None:
    """The responder's refusal is the cause; retransmits and timeouts pasted before or after it (the other
    side's log) are its consequence, whichever side comes first in the paste."""
    refusal, timeouts = _lines(responder), _lines(initiator)
    assert _primary(timeouts) == "peer_unreachable"  # alone, the timeouts read as reachability
    assert _primary(timeouts + refusal) == "traffic_selector_mismatch"
    assert _primary(refusal + timeouts) == "traffic_selector_mismatch"
