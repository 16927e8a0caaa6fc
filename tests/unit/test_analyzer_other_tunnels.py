"""A gateway's log holds its other tunnels too: another connection's or another peer's SA coming up does not answer
this one's failure (the customer gateway's two AWS tunnels, or its tunnels to other sites). Built from two development
excerpts pasted one after the other, as one daemon prints them when it runs both tunnels."""

from __future__ import annotations

import pytest

from lab import DATASETS_DIR
from lab.analyzer import analyze_text
from scripts.paste_robustness import interleaved, renumbered

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


@pytest.mark.parametrize(("failing", "healthy", "category"), [
    # charon: the IKE_SA to one peer is never answered; a tunnel to another peer comes up after it
    ("android-flutter-vpn-peer-not-responding", "strongswan-v2-eap-healthy", "peer_unreachable"),
    # pluto: one connection's IKE_SA_INIT retransmitted without an answer; another connection's SAs come up after it
    ("libreswan-v2-whack-init-retransmissions-no-answer", "libreswan-v1-x509-id-mismatch-ignored-with-any-id",
     "peer_unreachable"),
    # Arista: one neighbor stuck in Connect in the summary; another neighbor's session comes up after it
    ("arista-eos-ebgp-neighbor-shut-down-hold-timer-expired-connect", "arista-eos-bgp-adjchange-openconfirm-established",
     "bgp_down"),
    # pluto refuses every transform one connection's peer offers; another connection's SAs come up after it
    ("libreswan-v1-android-xauth-all-proposals-modp1024-refused", "libreswan-v1-main-quick-healthy",
     "phase1_proposal_mismatch"),
    # FortiOS: phase 1 "to-FG2" times out; the dial-up phase 1 "ikev1-ldap_0" comes up after it
    ("fortigate-v2-sa-init-network-unreachable-negotiation-timeout", "fortigate-ikev1-xauth-ldap-dialup-up-dpd-r-u-there",
     "peer_unreachable"),
    # BIRD: one protocol (neighbor) refused for a bad peer AS; another neighbor restarts gracefully after it
    ("calico-bird-received-bad-peer-as-default-asn", "calico-bird-neighbor-graceful-restart-on-node-restart", "bgp_down"),
])
def test_another_tunnel_coming_up_does_not_answer_a_failing_one(failing: str, healthy: str, category: str) -> None:
    alone = _pasted(failing)
    assert _category(alone) == category
    both = alone + renumbered(_pasted(healthy))
    assert _category(both) == category
    assert _category(_pasted(healthy)) is None


def test_the_same_tunnel_coming_up_after_retransmits_still_answers_them() -> None:
    # The tunnel the retransmits were for comes up: they were packet loss, nothing to fix (a charon excerpt whose
    # first IKE_SA_INIT went unanswered and whose next attempt to the same peer came up).
    retried = (
        "initiating IKE_SA west[1] to 192.1.2.23\n"
        "generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]\n"
        "sending packet: from 192.1.2.45[500] to 192.1.2.23[500] (336 bytes)\n"
        "retransmit 1 of request with message ID 0\n"
        "sending packet: from 192.1.2.45[500] to 192.1.2.23[500] (336 bytes)\n"
        "received packet: from 192.1.2.23[500] to 192.1.2.45[500] (248 bytes)\n"
        "parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(CHDLESS_SUP) ]\n"
        "IKE_SA west[1] established between 192.1.2.45[west]...192.1.2.23[east]\n"
        "CHILD_SA west{1} established with SPIs c1a2b3c4_i c5d6e7f8_o and TS 192.0.1.0/24 === 192.0.2.0/24\n"
    )
    assert _category(retried) is None
    # ... while the same answer from another peer leaves the retransmits to 192.1.2.23 unanswered
    other = retried.replace("retransmit 1 of request with message ID 0\n",
                            "retransmit 1 of request with message ID 0\ngiving up after 5 retransmits\n"
                            "establishing IKE_SA failed, peer not responding\n"
                            "initiating IKE_SA site-b[2] to 198.51.100.7\n")
    other = other.replace("IKE_SA west[1] established between 192.1.2.45[west]...192.1.2.23[east]",
                          "IKE_SA site-b[2] established between 192.1.2.45[west]...198.51.100.7[siteb]")
    other = other.replace("received packet: from 192.1.2.23[500]", "received packet: from 198.51.100.7[500]")
    assert _category(other) == "peer_unreachable"


@pytest.mark.parametrize(("failing", "healthy", "category"), [
    # pluto: another connection's IKE SA is up, so this connection's refusal in its own IKE_AUTH is no rekey's
    ("libreswan-v2-responder-ts-unacceptable-debug", "libreswan-v2-responder-initiated-ike-rekey-healthy",
     "traffic_selector_mismatch"),
    ("libreswan-v2-ike-auth-no-proposal-whack", "libreswan-v2-xfrmi-child-rekeys-then-readd-terminates-sas",
     "phase2_proposal_mismatch"),
    # FortiOS: a dial-up phase 1 up and answering before this phase 1's IKE_AUTH to UDP 4500 goes unanswered
    ("fortigate-v2-nat-t-float-to-4500-auth-unanswered-negotiation-timeout",
     "fortigate-ikev1-xauth-ldap-dialup-up-dpd-r-u-there", "nat_t_or_fragmentation"),
    # pluto: another connection's SAs up before this one's Quick Mode goes unanswered (PFS differs)
    ("libreswan-v1-quick-mode-pfs-mismatch-no-acceptable-response", "libreswan-v1-xauth-cisco-split-questionable-proposal",
     "phase2_proposal_mismatch"),
    # pluto: "packet from PEER: sending notification NO_PROPOSAL_CHOSEN" answers a new peer's first Main Mode message
    # (no state, no connection): another connection's ISAKMP and IPsec SAs up before it make it no Quick Mode's
    ("libreswan-v1-client-3des-md5-modp1024-no-proposal-chosen", "libreswan-v1-xauth-dropped-modecfg-recovered",
     "phase1_proposal_mismatch"),
    # pluto: a connection first seen mid-way (its pending Child SA, state #3, that no other tunnel has) after another
    # connection's SAs came up
    ("libreswan-v2-pending-child-ike-sa-init-unanswered-peer-down",
     "libreswan-v1-x509-crl-fetch-during-exchange-retransmit-ok", "peer_unreachable"),
])
def test_another_connection_up_before_does_not_change_how_this_ones_lines_read(
        failing: str, healthy: str, category: str) -> None:
    alone = _pasted(failing)
    assert _category(alone) == category
    assert _category(renumbered(_pasted(healthy)) + alone) == category


@pytest.mark.parametrize(("failing", "healthy", "category"), [
    # pluto refuses the peer's phase 1 transforms while another connection's SAs come and go
    ("libreswan-v1-tplink-war302-modp1024-refused", "libreswan-v2-admin-down-two-child-sas-shared-ike",
     "phase1_proposal_mismatch"),
    # the peer's ID is not the one configured, while another connection retries its key exchange and comes up
    ("libreswan-v1-rawrsa-peer-id-mismatch-invalid-id", "libreswan-v2-strongswan-invalid-ke-initiator", "auth_failure"),
    # this connection's lines come first, before any tunnel sets up its IKE SA: they are its own, not the first
    # tunnel's (its rekey "using IKE SA #13", a state no other tunnel has)
    ("libreswan-v2-child-rekey-expectation-failed-selectors", "libreswan-v2-strongswan-responder-invalid-ke-dh19-retry",
     "rekey_issue"),
    ("libreswan-v2-modp1536-not-accepted", "libreswan-v2-ike-rekey-pqc-healthy", "phase1_proposal_mismatch"),
    ("libreswan-v2-whack-rekey-child-liveness-timeout-deadlock-test", "libreswan-v1-aggressive-psk-healthy",
     "rekey_issue"),
])
def test_another_connections_lines_in_between_do_not_change_how_this_ones_read(
        failing: str, healthy: str, category: str) -> None:
    alone = _pasted(failing)
    assert _category(alone) == category
    assert _category(interleaved(alone, renumbered(_pasted(healthy)))) == category


def test_the_reasoning_names_no_other_tunnels_sa_as_this_ones_recovery() -> None:
    # "An IKE or IPsec SA was established later (line N)" is said of this tunnel's SA only
    both = _pasted("libreswan-v2-whack-init-retransmissions-no-answer") + renumbered(
        _pasted("libreswan-v1-x509-id-mismatch-ignored-with-any-id"))
    primary = analyze_text(both).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert not any("established later" in str(r) for r in primary.reasoning)
    # ... and still of this tunnel's own SA coming up after its first attempt went unanswered
    own = _pasted("libreswan-v2-whack-init-retransmissions-no-answer") + (
        '002 "mtntest" #1057: initiating IKEv2 IKE SA\n'
        '004 "mtntest" #1058: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP '
        'xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}\n')
    assert analyze_text(own).primary is None
