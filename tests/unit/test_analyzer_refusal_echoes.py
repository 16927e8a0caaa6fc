"""Refusals whose follow-up line names another cause: FortiOS ends a negotiation it ignored for the peer's ID with
its generic "no SA proposal chosen", and pluto refuses a KE payload of the wrong size before it answers the
CREATE_CHILD_SA it came in (the Child SA's DH group: phase 2)."""

from __future__ import annotations

from lab.analyzer import analyze_text

# Summerice7/FortiGate-Handbook (IPsec negotiation failure debug examples): FGT-BJ expects another peer ID in
# Aggressive Mode.
FGT_INCORRECT_ID = """\
ike 0: comes 200.1.1.2:500->100.1.1.2:500,ifindex=10,vrf=0....
ike 0: IKEv1 exchange=Aggressive id=e6280452ac6300c3/0000000000000000 len=720 vrf=0
ike 0:e6280452ac6300c3/0000000000000000:24: responder: aggressive mode get 1st message...
ike 0::24: peer identifier IPV4_ADDR 200.1.1.2
ike 0:VPN-to-SH: local:100.1.1.2, remote:200.1.1.2
ike 0:VPN-to-SH: ignoring IKE request, incorrect ID.
ike 0:e6280452ac6300c3/0000000000000000:24: negotiation failure
ike Negotiate ISAKMP SA Error: ike 0:e6280452ac6300c3/0000000000000000:24: no SA proposal chosen
"""


def test_fortigates_proposal_line_after_an_ignored_peer_id_is_its_echo() -> None:
    primary = analyze_text(FGT_INCORRECT_ID).primary
    assert primary is not None and primary.category == "auth_failure"
    assert primary.chain[0].line == 6
    # Without the ID line the same ending is a proposal mismatch.
    alone = "\n".join(line for line in FGT_INCORRECT_ID.splitlines() if "incorrect ID" not in line)
    assert analyze_text(alone).primary.category == "phase1_proposal_mismatch"


def test_a_ke_of_the_wrong_size_in_a_create_child_sa_is_a_phase2_dh_mismatch() -> None:
    # libreswan/libreswan#1266: the responder chose MODP4096 for the Child SA, the initiator's KE was MODP2048's.
    text = (
        '"east/0x2" #3: KE has 256 byte DH public value; 512 required\n'
        '"east/0x2" #3: responding to CREATE_CHILD_SA message (ID 2) from 192.1.2.45:500 with encrypted notification '
        "INVALID_SYNTAX\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    # In IKE_SA_INIT the same refusal is about the IKE SA's group (libreswan 5 names the exchange itself).
    v5 = '"aws-tunnel-1"[1] 203.0.113.9 #1: initiator IKE_SA_INIT KE payload is 256 bytes; 384 required\n'
    assert analyze_text(v5).primary.category == "phase1_proposal_mismatch"
