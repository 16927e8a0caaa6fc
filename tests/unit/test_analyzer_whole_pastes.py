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


def test_a_refused_rekey_stays_the_cause_of_the_liveness_failure_after_it() -> None:
    """dev/libreswan-v2-vsrx-child-rekey-no-proposal.log (https://github.com/libreswan/libreswan/issues/515: the
    vSRX refuses every Child SA rekey, "until the connection fails due to rekey timeout"), then pluto's liveness
    action from dev/libreswan-v2-liveness-action-restart.log. The failed rekey came first: the liveness failure is
    its consequence. The other way round, the peer was already dead when the rekey failed."""
    rekey, liveness = _lines("libreswan-v2-vsrx-child-rekey-no-proposal"), _lines("libreswan-v2-liveness-action-restart")
    got = analyze_text("\n".join(rekey + liveness) + "\n")
    assert got.primary is not None and got.primary.category == "rekey_issue"
    reasoning = " ".join(got.primary.reasoning_in("en"))
    assert f"(line {len(rekey) + 1}) are its consequence" in reasoning
    assert _primary(liveness + rekey) == "dpd_timeout"


def test_a_refused_rekey_says_what_the_refusal_was_and_where_to_look() -> None:
    got = analyze_text((DEV / "libreswan-v2-vsrx-child-rekey-no-proposal.log").read_text(encoding="utf-8"))
    assert got.primary is not None and got.primary.category == "rekey_issue"
    english = got.primary.reasoning_in("en")
    assert any("refused the exchange that replaces the SA with NO_PROPOSAL_CHOSEN" in r and "DH (PFS) group" in r
               for r in english)
    korean = got.primary.reasoning_in("ko")
    assert any("NO_PROPOSAL_CHOSEN" in r and "키 재생성" in r for r in korean)
    assert not any("{" in r for r in korean)


def _from(name: str, first: int) -> list[str]:
    """An excerpt pasted from its line `first` on (1-based): the part of a log an engineer copies around the error."""
    return _lines(name)[first - 1 :]


def test_a_responders_paste_of_its_refusal_says_which_sa_from_the_proposals_it_lists() -> None:
    """dev/pfsense-v1-p2-pfs-mismatch.log (pfSense documentation): the responder's lines only. charon logs "no
    acceptable DIFFIE_HELLMAN_GROUP found" before it lists the proposals it received (ESP:...): the refusal is
    of the Child SA (phase 2), also when nothing before it names Quick Mode."""
    lines = _lines("pfsense-v1-p2-pfs-mismatch")
    responder = [line for line in lines if line.startswith("charon: 08[")]
    assert responder and "no acceptable DIFFIE_HELLMAN_GROUP" in responder[1]
    assert _primary(responder) == "phase2_proposal_mismatch"
    assert _primary(list(reversed(responder))) == "phase2_proposal_mismatch"
    # The IKE SA's own refusal keeps saying phase 1 (dev/pfsense-v1-p1-dh-mismatch.log lists IKE: proposals).
    assert _primary(_lines("pfsense-v1-p1-dh-mismatch")) == "phase1_proposal_mismatch"


def test_a_refusal_sent_or_received_encrypted_is_of_a_child_sa() -> None:
    """dev/libreswan-v1-quick-no-proposal-two-sided.log (libreswan test ikev1-algo-04-mismatch) pasted from the
    refusal on: "ignoring secured informational payload NO_PROPOSAL_CHOSEN" and "sending encrypted notification
    NO_PROPOSAL_CHOSEN" travel under the ISAKMP SA, so Main Mode was done and Quick Mode was refused."""
    assert _primary(_from("libreswan-v1-quick-no-proposal-two-sided", 9)) == "phase2_proposal_mismatch"
    assert _primary(_from("libreswan-v1-quick-no-proposal-two-sided", 11)) == "phase2_proposal_mismatch"


def test_a_notify_pluto_received_takes_the_exchange_its_state_is_in() -> None:
    """dev/libreswan-v1-self-signed-cert-unexpected-peer.log (libreswan test ikev1-x509-21-selfsigned) pasted from
    the refusal on: INVALID_ID_INFORMATION for state #3, whose next line is STATE_MAIN_I3: in Main Mode it refuses
    the identity (authentication), not the selectors as it would in Quick Mode."""
    lines = _from("libreswan-v1-self-signed-cert-unexpected-peer", 7)
    assert "INVALID_ID_INFORMATION" in lines[0] and "STATE_MAIN_I3" in lines[1]
    assert _primary(lines) == "auth_failure"
    assert _primary(_lines("libreswan-v1-self-signed-cert-unexpected-peer")) == "auth_failure"


def test_only_states_of_an_exchange_in_progress_lend_their_exchange() -> None:
    from lab.analyzer.protocol.rekeys import _PLUTO_V1_STATE

    # pluto's IKEv1 states (libreswan programs/pluto/ikev1_states.c): MAIN_I1..I3 / R0..R2 are Main Mode in
    # progress, MAIN_I4 / MAIN_R3 the ISAKMP SA established after it; QUICK_I2 / QUICK_R2 a finished Quick Mode.
    assert _PLUTO_V1_STATE.search('"road-x509" #3: STATE_MAIN_I3: 10 second timeout exceeded')
    assert _PLUTO_V1_STATE.search('"westnet-eastnet-ipv4-psk-ikev1" #2: deleting IPsec SA (QUICK_I1) and NOT sending notification')
    for done in ("STATE_MAIN_I4: ISAKMP SA established", "STATE_MAIN_R3: sent MR3, ISAKMP SA established",
                 "STATE_QUICK_I2: sent QI2, IPsec SA established", "STATE_AGGR_I2: sent AI2, ISAKMP SA established"):
        assert not _PLUTO_V1_STATE.search(done), done


def test_an_ike_sa_timeout_is_the_rekeys_when_the_unfinished_rekey_state_is_deleted_after_it() -> None:
    """dev/libreswan-v2-rekey-response-dropped-whack.log (libreswan test ikev2-child-rekey-06-deadlock at v4.5)
    pasted from the timeout on, without the line that started the rekey: the established IKE SA timed out, then
    pluto deleted the unfinished rekey's state (STATE_V2_REKEY_CHILD_I1): the request left unanswered was the
    rekey, as the whole excerpt says."""
    lines = _from("libreswan-v2-rekey-response-dropped-whack", 9)
    assert "STATE_V2_ESTABLISHED_IKE_SA" in lines[0] and any("STATE_V2_REKEY_CHILD_I1" in line for line in lines)
    assert _primary(_lines("libreswan-v2-rekey-response-dropped-whack")) == "rekey_issue"
    assert _primary(lines) == "rekey_issue"
    # Without that line, the same timeout is a liveness failure (nothing says a rekey was pending).
    assert _primary([line for line in lines if "REKEY" not in line]) == "dpd_timeout"


def test_the_sa_that_was_up_listed_again_after_an_unanswered_rekey_is_no_recovery() -> None:
    """dev/libreswan-v2-second-child-rekey-response-dropped-msgid-blocked.log, and the `ipsec whack --trafficstatus`
    that the same console (libreswan's test ikev2-68-sa-clones-rekey) prints after it: the listing shows rekey #4
    waiting for its answer, then only SA #3, which was up before it. pluto numbers its states in one sequence, so a
    row of a lower serial is the old SA listed again, not one the rekey set up."""
    lines = _lines("libreswan-v2-second-child-rekey-response-dropped-msgid-blocked")
    assert _primary(lines) == "rekey_issue"
    relisted = [" ipsec whack --trafficstatus", "006 #3: \"west\", type=ESP, add_time=1234567890, inBytes=0, outBytes=0, "
                "id='@east'"]
    assert _primary(lines + relisted) == "rekey_issue"
    # A row of the rekey's own SA, or of a newer one, is the tunnel up again after it.
    for serial in ("4", "6"):
        newer = [relisted[0], relisted[1].replace("#3:", f"#{serial}:")]
        assert _primary(lines + newer) == "none"
