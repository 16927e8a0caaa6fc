"""A daemon's own guess (a weak event) is no cause when the tunnel came up again after it; and pluto's
deletion lines, which name the state being deleted, are not read as an SA being established."""

from __future__ import annotations

from lab.analyzer import analyze_text

# libreswan test-suite output (testing/pluto/host-to-host-transport-linux/west.console.txt at commit
# 0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f): an orderly teardown by the operator.
TEARDOWN = """\
"west-east" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west-east" #2: initiator established Child SA using #1; IPsec transport [192.1.2.45/32===192.1.2.23/32]
"west-east": initiating delete of connection's IKE SA #1 (and Child SA #2)
"west-east" #1: sent INFORMATIONAL request to delete IKE SA
"west-east" #1: deleting IKE SA (established IKE SA)
"""


def test_a_deletion_line_is_not_an_established_sa() -> None:
    result = analyze_text(TEARDOWN)
    assert result.signals.get("established") == 2
    # The operator took the tunnel down ("initiating delete of connection's ..."): no cause to name.
    assert result.primary is None
    # The same Delete without the operator's command is still this side's own Delete: not the peer's.
    alone = analyze_text(TEARDOWN.replace('"west-east": initiating delete of connection\'s IKE SA #1 (and Child SA #2)\n', ""))
    assert alone.primary is None


def test_a_weak_reading_followed_by_a_new_sa_is_no_cause() -> None:
    again = TEARDOWN + '"west-east" #3: initiator established IKE SA; authenticated peer using authby=secret\n'
    assert analyze_text(again).primary is None


def test_a_firm_failure_stays_the_cause_after_a_later_sa() -> None:
    text = (
        '"aws" #1: STATE_MAIN_I3: 60 second timeout exceeded after 0 retransmits.  Possible authentication '
        "failure: no acceptable response to our first encrypted message\n"
        '"aws" #3: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_256}\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"


# ---- A retransmitted request's message ID tells whether the IKE SA was up (RFC 7296 section 2.2) ----------

def _charon_retransmits(message_id: int) -> str:
    return "".join(
        f"Dec  1 10:00:{n * 7:02d} gw charon: 09[IKE] <aws|3> retransmit {n} of request with message ID {message_id}\n"
        for n in (1, 2, 3)
    ) + "Dec  1 10:00:30 gw charon: 09[IKE] <aws|3> giving up after 3 retransmits\n"


def test_unanswered_first_request_reads_as_an_unreachable_peer() -> None:
    result = analyze_text(_charon_retransmits(0))
    assert result.primary is not None and result.primary.category == "peer_unreachable"


def test_unanswered_later_request_is_a_peer_that_stopped_answering_an_sa_that_was_up() -> None:
    # Message ID 7: six exchanges were answered before, so the peer was reachable; the lines alone do not say
    # which exchange went unanswered, and an established SA's requests are mostly liveness checks.
    result = analyze_text(_charon_retransmits(7))
    assert result.primary is not None and result.primary.category == "dpd_timeout"


def test_an_unanswered_informational_request_is_on_an_sa_that_was_up() -> None:
    # charon names the exchange before retransmitting it: an IKEv2 INFORMATIONAL (here an empty one, the liveness
    # check) exists only on an IKE SA the initial exchanges set up (RFC 7296 section 1.4), so a paste that starts
    # after the SA came up is a peer that stopped answering, not one never reached.
    text = "Dec  1 10:00:00 gw charon: 09[ENC] <aws|3> generating INFORMATIONAL request 7 [ ]\n" + _charon_retransmits(7)
    result = analyze_text(text)
    assert result.primary is not None and result.primary.category == "dpd_timeout"
    assert any("established IKE SA" in r for r in result.primary.reasoning_in("en"))
    # The first exchange unanswered stays a reachability problem.
    first = "Dec  1 10:00:00 gw charon: 09[ENC] <aws|3> generating IKE_SA_INIT request 0 [ SA KE No ]\n"
    result = analyze_text(first + _charon_retransmits(0))
    assert result.primary is not None and result.primary.category == "peer_unreachable"


def test_an_unanswered_quick_mode_is_no_reachability_problem() -> None:
    # IKEv1 Quick Mode is protected by the ISAKMP SA of phase 1 (RFC 2409 section 5.5): a paste that starts at it
    # shows a peer that answered phase 1, so its silence is read as a phase 2 refusal it did not show (a guess).
    text = """\
Dec  3 10:00:00 vpn charon: 09[ENC] <aws|3> generating QUICK_MODE request 2840373152 [ HASH SA No KE ID ID ]
Dec  3 10:00:04 vpn charon: 12[IKE] <aws|3> sending retransmit 1 of request message ID 2840373152, seq 1
Dec  3 10:00:11 vpn charon: 13[IKE] <aws|3> sending retransmit 2 of request message ID 2840373152, seq 1
Dec  3 10:02:11 vpn charon: 14[IKE] <aws|3> giving up after 5 retransmits
"""
    primary = analyze_text(text).primary
    assert primary is not None and primary.certainty == "guess"
    assert primary.category in ("phase2_proposal_mismatch", "traffic_selector_mismatch")
    reasoning = " ".join(primary.reasoning_in("en"))
    assert "Quick Mode" in reasoning and "pluto" not in reasoning  # (charon's log: no word of pluto's own guess)


def test_a_pan_os_child_sa_timeout_numbered_after_the_initial_exchanges_is_no_first_contact() -> None:
    # PAN-OS names the IKEv2 message ID of the exchange that timed out: 2 or more went over an IKE SA that was up
    # (RFC 7296 section 2.2), so the peer stopped answering; 1 is IKE_AUTH, which this side sends once the peer
    # answered IKE_SA_INIT, and stays for the reading of an unanswered negotiation.
    line = ("2024/05/02 10:11:12 info vpn aws-gw ikev2-nego-child-fail 0 IKEv2 child SA negotiation is failed as "
            "initiator, non-rekey. Failed SA: 198.51.100.1[500]-203.0.113.5[500] message id:0x{mid}. Due to "
            "negotiation timeout.\n")
    later = analyze_text(line.format(mid="00000002")).primary
    assert later is not None and later.category == "dpd_timeout"
    first = analyze_text(line.format(mid="00000001")).primary
    assert first is not None and first.category == "peer_unreachable"


def test_an_unanswered_ike_auth_says_the_peer_was_reached_on_udp_500() -> None:
    # charon sends IKE_AUTH only after the peer's IKE_SA_INIT answer (RFC 7296 section 1.2): a paste that starts at
    # it keeps the reachability reading but points at UDP 4500 and fragments, not at the peer's address.
    text = ("Dec  3 10:00:00 gw charon: 09[ENC] <aws|3> generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA "
            "TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) ]\n") + _charon_retransmits(1)
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "peer_unreachable"
    reasoning = " ".join(primary.reasoning_in("en"))
    assert "IKE_AUTH" in reasoning and "UDP 4500" in reasoning and "check reachability" not in reasoning
    assert "IKE_AUTH" in " ".join(primary.reasoning_in("ko"))


def test_an_unanswered_ike_auth_with_a_certificate_points_at_fragments() -> None:
    # the same paste, with this side's certificate in the IKE_AUTH (a CERT payload): too large for one IP packet, and
    # a peer that could not verify it would answer AUTHENTICATION_FAILED, not nothing
    text = ("Dec  3 10:00:00 gw charon: 09[ENC] <aws|3> generating IKE_AUTH request 1 [ IDi CERT N(INIT_CONTACT) CERTREQ "
            "IDr AUTH SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) ]\n") + _charon_retransmits(1)
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert "certificate" in " ".join(primary.reasoning_in("en"))
