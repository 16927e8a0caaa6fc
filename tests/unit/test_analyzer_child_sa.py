"""Child SA reasoning of the protocol layer: new Child SA against rekey, transport mode asked and not
granted, AH/IPComp offers, echoes of a refusal, revivals after a peer's Delete.

The lines are in the daemons' exact formats, taken from their sources at the commits below (values
filled with real-looking addresses, connection names and SPIs):
- libreswan 0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f: programs/pluto/ikev2_create_child_sa.c
  ("sent CREATE_CHILD_SA request to create Child SA" / "to rekey Child SA"), programs/pluto/revival.c
  ("reviving connection which %s but must remain up per local policy"), programs/pluto/routing.c
  ("received Delete/Notify"), programs/pluto/ikev1_quick.c (Quick Mode policy words);
- strongSwan 3b902ea59b86a8ac097e27a34db85feb877a00f9: src/libcharon/sa/ikev2/tasks/child_create.c and
  child_rekey.c (N(REKEY_SA) marks a rekey; "establishing CHILD_SA" / "rekeying CHILD_SA"),
  src/libcharon/encoding/payloads/notify_payload.c (N(USE_TRANSP)).
"""

from __future__ import annotations

from lab import DATASETS_DIR
from lab.analyzer import analyze_text
from lab.analyzer.protocol import rare_transform

VYOS_UP = (
    "Nov 30 01:02:03 vyos charon[2034]: 09[IKE] IKE_SA peer-203.0.113.5-tunnel-1[1] established between "
    "198.51.100.10[198.51.100.10]...203.0.113.5[203.0.113.5]\n"
    "Nov 30 01:02:03 vyos charon[2034]: 09[IKE] CHILD_SA peer-203.0.113.5-tunnel-1{1} established with SPIs "
    "c1a2b3c4_i 0d1e2f3a_o and TS 10.0.0.0/24 === 10.1.0.0/24\n"
)


def _category(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


def test_strongswan_second_child_sa_refused_is_a_phase_2_proposal_problem() -> None:
    # CREATE_CHILD_SA with SA, TSi, TSr and no REKEY_SA adds a Child SA (RFC 7296 section 1.3.1): its
    # refusal is about that Child SA's proposal (a PFS group, say), not a rekey.
    text = VYOS_UP + (
        "Nov 30 01:05:10 vyos charon[2034]: 12[IKE] establishing CHILD_SA peer-203.0.113.5-tunnel-2{2}\n"
        "Nov 30 01:05:10 vyos charon[2034]: 12[ENC] generating CREATE_CHILD_SA request 2 [ SA No KE TSi TSr ]\n"
        "Nov 30 01:05:10 vyos charon[2034]: 14[ENC] parsed CREATE_CHILD_SA response 2 [ N(NO_PROP) ]\n"
        "Nov 30 01:05:10 vyos charon[2034]: 14[IKE] received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built\n"
    )
    assert _category(text) == "phase2_proposal_mismatch"


def test_strongswan_child_sa_rekey_refused_is_a_rekey_problem() -> None:
    text = VYOS_UP + (
        "Nov 30 02:02:03 vyos charon[2034]: 12[IKE] rekeying CHILD_SA peer-203.0.113.5-tunnel-1{1}\n"
        "Nov 30 02:02:03 vyos charon[2034]: 12[ENC] generating CREATE_CHILD_SA request 2 [ N(REKEY_SA) SA No KE TSi TSr ]\n"
        "Nov 30 02:02:03 vyos charon[2034]: 14[ENC] parsed CREATE_CHILD_SA response 2 [ N(NO_PROP) ]\n"
        "Nov 30 02:02:03 vyos charon[2034]: 14[IKE] received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built\n"
    )
    assert _category(text) == "rekey_issue"


def test_libreswan_new_child_sa_refused_over_an_up_tunnel_is_a_phase_2_proposal_problem() -> None:
    text = (
        "\"aws\"[1] 203.0.113.5 #1: initiator established IKE SA; authenticated peer using authby=secret and "
        "ID_IPV4_ADDR '203.0.113.5'\n"
        '"aws"[1] 203.0.113.5 #2: initiator established Child SA using #1; IPsec tunnel [10.0.0.0/24===10.1.0.0/24] '
        "{ESP/ESN=>0x9a3c21f0 <0x4b7d0e12 xfrm=AES_GCM_16_256 DPD=passive}\n"
        '"aws"[1] 203.0.113.5 #3: sent CREATE_CHILD_SA request to create Child SA using IKE SA #1 '
        "{ESP <0x3c9a1b2e} [10.0.1.0/24===10.1.1.0/24]\n"
        '"aws"[1] 203.0.113.5 #3: CREATE_CHILD_SA failed with error notification NO_PROPOSAL_CHOSEN\n'
    )
    assert _category(text) == "phase2_proposal_mismatch"
    rekey = text.replace("to create Child SA using", "to rekey Child SA #2 using")
    assert _category(rekey) == "rekey_issue"


def test_quick_mode_responder_waiting_for_qi2_of_a_rekey_is_a_rekey_problem() -> None:
    # The ISAKMP SA and an IPsec SA were up; the Quick Mode replacing it never completed (QI2 never came).
    text = (
        '"westnet-eastnet" #1: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_256 '
        "integ=sha group=MODP2048}\n"
        '"westnet-eastnet" #2: STATE_QUICK_R2: IPsec SA established tunnel mode {ESP=>0x1a2b3c4d <0x5e6f7a8b '
        "xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=passive}\n"
        '"westnet-eastnet" #3: responding to Quick Mode proposal {msgid:9c2d4e1f}\n'
        '"westnet-eastnet" #3: max number of retransmissions (2) reached STATE_QUICK_R1\n'
    )
    assert _category(text) == "rekey_issue"


def test_transport_mode_asked_and_not_granted_is_an_ipsec_mode_mismatch() -> None:
    # The IKE_AUTH request carries N(USE_TRANSP); the response carries the Child SA without it, so the SA
    # is a tunnel-mode SA (RFC 7296 section 1.3.1) although this side is configured for transport mode.
    asked = (
        "Nov 30 01:10:00 gw charon: 07[ENC] generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH "
        "N(USE_TRANSP) SA TSi TSr N(MOBIKE_SUP) N(ADD_4_ADDR) ]\n"
    )
    text = asked + (
        "Nov 30 01:10:00 gw charon: 08[ENC] parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]\n"
        "Nov 30 01:10:00 gw charon: 08[IKE] CHILD_SA host-host{1} established with SPIs c6d1e2f3_i c0a9b8c7_o "
        "and TS 198.51.100.10/32 === 203.0.113.5/32\n"
    )
    analysis = analyze_text(text)
    assert analysis.primary is not None and analysis.primary.category == "ipsec_mode_mismatch"
    assert analysis.primary.facts["mode_asked"] == "transport"
    assert analysis.primary.facts["mode_granted"] == "tunnel"
    granted = text.replace("[ IDr AUTH SA TSi TSr ]", "[ IDr AUTH N(USE_TRANSP) SA TSi TSr ]")
    assert _category(granted) is None


def test_the_responder_not_granting_transport_mode_is_read_on_its_side_too() -> None:
    text = (
        "Nov 30 01:10:00 gw charon: 07[ENC] parsed IKE_AUTH request 1 [ IDi IDr AUTH N(USE_TRANSP) SA TSi TSr ]\n"
        "Nov 30 01:10:00 gw charon: 07[ENC] generating IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]\n"
    )
    assert _category(text) == "ipsec_mode_mismatch"


def test_an_unanswered_quick_mode_asking_for_ah_or_ipcomp_is_a_phase_2_proposal_problem() -> None:
    base = (
        '002 "westnet-eastnet-ah" #1: STATE_MAIN_I4: ISAKMP SA established {auth=RSA_SIG cipher=aes_256 integ=sha '
        "group=MODP2048}\n"
        '002 "westnet-eastnet-ah" #2: initiating Quick Mode RSASIG+{FLAGS}+TUNNEL+PFS+UP+IKEV1_ALLOW+IKEV2_ALLOW\n'
        '031 "westnet-eastnet-ah" #2: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable '
        "response to our first Quick Mode message: perhaps peer likes no proposal\n"
    )
    ah = analyze_text(base.replace("{FLAGS}", "AUTHENTICATE")).primary
    assert ah is not None and ah.category == "phase2_proposal_mismatch" and ah.facts["transforms"] == "AH"
    assert _category(base.replace("{FLAGS}", "ENCRYPT+COMPRESS")) == "phase2_proposal_mismatch"
    # A plain ESP offer left unanswered is pluto's own reading, a guess: the proposals.
    plain = analyze_text(base.replace("{FLAGS}", "ENCRYPT")).primary
    assert plain is not None and plain.category == "phase2_proposal_mismatch" and plain.certainty == "guess"
    assert "transforms" not in plain.facts


# https://github.com/libreswan/libreswan/blob/v4.15/testing/pluto/ah-pluto-10/west.console.txt: the same test as
# above in libreswan 4 and 5, whose policy words start with "IKEv1+".
AH_OFFER_UNANSWERED_V4 = """\
004 "westnet-eastnet-ah" #1: IKE SA established {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}
002 "westnet-eastnet-ah" #2: initiating Quick Mode IKEv1+RSASIG+AUTHENTICATE+TUNNEL+PFS+UP+IKE_FRAG_ALLOW+ESN_NO+ESN_YES
1v1 "westnet-eastnet-ah" #2: sent Quick Mode request
002 "westnet-eastnet-ah" #2: IMPAIR: retransmit so deleting SA
002 "westnet-eastnet-ah" #2: deleting state (STATE_QUICK_I1) and NOT sending notification
"""


def test_the_offer_is_read_in_every_libreswan_wording() -> None:
    primary = analyze_text(AH_OFFER_UNANSWERED_V4).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts["transforms"] == "AH"
    said = " ".join(str(r) for r in primary.reasoning)
    assert "Phase 1 completed" in said and "compare the subnets" in said and "the peer answered" not in said


def test_rare_transform_words() -> None:
    assert rare_transform("RSASIG+AUTHENTICATE+TUNNEL+PFS") == "AH"
    assert rare_transform("PSK+ENCRYPT+COMPRESS+TUNNEL") == "IPComp"
    assert rare_transform("PSK+ENCRYPT+TUNNEL+PFS+UP") == ""
    assert rare_transform("") == ""


def test_possible_authentication_failure_after_a_child_sa_refusal_is_its_echo() -> None:
    # IKEv2: the IKE_AUTH response that refuses the Child SA has authenticated the IKE SA; pluto's later
    # guess on the timeout is not a second cause (libreswan 3.x wording, programs/pluto/ikev2_parent.c).
    text = (
        "003 \"host-transport\" #2: Authenticated using authby=secret\n"
        "003 \"host-transport\" #2: local policy requires Transport Mode but peer requires required Tunnel Mode\n"
        "214 \"host-transport\" #2: state transition 'Initiator: process IKE_AUTH response' failed with "
        "v2N_NO_PROPOSAL_CHOSEN\n"
        '031 "host-transport" #2: STATE_PARENT_I2: 60 second timeout exceeded after 0 retransmits.  Possible '
        "authentication failure: no acceptable response to our first encrypted message\n"
    )
    assert _category(text) == "ipsec_mode_mismatch"
    # Alone, the guess still names authentication (IKEv1 Main Mode, the classic wrong pre-shared key).
    alone = (
        '"aws-tunnel-1" #1: STATE_MAIN_I3: 60 second timeout exceeded after 7 retransmits.  Possible '
        "authentication failure: no acceptable response to our first encrypted message\n"
    )
    assert _category(alone) == "auth_failure"


def test_a_revival_after_the_peers_delete_is_a_peer_delete() -> None:
    text = (
        '"aws-tunnel-2"[1] 198.51.100.17 #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds\n'
        '"aws-tunnel-2"[1] 198.51.100.17: reviving connection which received Delete/Notify but must remain up per '
        "local policy (serial $4)\n"
        '"aws-tunnel-2"[1] 198.51.100.17 #3: initiating IKEv2 connection to 198.51.100.17 using UDP\n'
        "\"aws-tunnel-2\"[1] 198.51.100.17 #3: initiator established IKE SA; authenticated peer using authby=secret "
        "and ID_IPV4_ADDR '198.51.100.17'\n"
    )
    assert _category(text) == "ike_sa_deleted_by_peer"


def test_old_libreswan_liveness_wording_is_a_dpd_timeout() -> None:
    text = '"aws-tunnel-1" #2: IKEv2 liveness: action - restarting all connections that share this peer\n'
    assert _category(text) == "dpd_timeout"


MIKROTIK_UP = (
    "\"mikrotik\"[1] 198.51.100.44 #1: responder established IKE SA; authenticated peer using authby=secret and "
    "ID_IPV4_ADDR '198.51.100.44'\n"
    '"mikrotik"[1] 198.51.100.44 #2: responder established Child SA using #1; IPsec tunnel [10.10.0.0/24===10.20.0.0/24] '
    "{ESP=>0x0b1c2d3e <0x4f5a6b7c xfrm=AES_CBC_256-HMAC_SHA2_256_128 DPD=passive}\n"
)


def test_a_rekey_request_dropped_for_its_payloads_is_a_rekey_problem() -> None:
    # libreswan v4.5 programs/pluto/ikev2_states.c: "dropping unexpected %s message ...; unexpected payloads: %s".
    text = MIKROTIK_UP + (
        '"mikrotik"[1] 198.51.100.44 #1: dropping unexpected CREATE_CHILD_SA message; message payloads: SK; '
        "encrypted payloads: SA,Ni,KE,TSi,TSr,CP; unexpected payloads: CP\n"
    )
    assert _category(text) == "rekey_issue"
    refused = MIKROTIK_UP + (
        '"mikrotik"[1] 198.51.100.44 #1: dropping unexpected CREATE_CHILD_SA message containing INVALID_SYNTAX '
        "notification; message payloads: SK; encrypted payloads: N\n"
    )
    assert _category(refused) == "rekey_issue"


def test_quick_mode_pfs_disagreement_is_a_phase_2_proposal_problem() -> None:
    # libreswan programs/pluto/ikev1_quick.c.
    text = (
        '"aws-tunnel-1" #1: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_128 '
        "integ=sha group=MODP1024}\n"
        '"aws-tunnel-1" #2: we require PFS but Quick I1 SA specifies no GROUP_DESCRIPTION\n'
        '"aws-tunnel-1" #2: sending encrypted notification NO_PROPOSAL_CHOSEN to 203.0.113.5:500\n'
    )
    assert _category(text) == "phase2_proposal_mismatch"


def test_ppk_insisted_on_and_missing_is_an_authentication_problem() -> None:
    # libreswan programs/pluto/ikev2_ike_sa_init.c and ikev2_ike_auth.c.
    for line in (
        "connection has ppk=insist but peer does not support PPK",
        "connection requires PPK, but we didn't find one",
        "failed to receive PPK confirmation and connection has ppk=insist",
    ):
        assert _category(f'"west-east-ppk"[1] 192.1.2.23 #1: {line}\n') == "auth_failure", line


OPERATOR_DOWN = (
    "\"west\"[1] 192.1.2.23 #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'\n"
    '"west"[1] 192.1.2.23 #2: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] '
    "{ESP/ESN=>0x1a2b3c4d <0x5e6f7a8b xfrm=AES_GCM_16_256-NONE DPD=passive}\n"
    "\"west\"[1] 192.1.2.23: initiating delete of connection's IKE SA #1 (and Child SA #2)\n"
    '"west"[1] 192.1.2.23 #2: ESP traffic information: in=84B out=84B\n'
    '"west"[1] 192.1.2.23 #1: sent INFORMATIONAL request to delete IKE SA\n'
    '"west"[1] 192.1.2.23 #1: deleting IKE SA (established IKE SA)\n'
)


def test_an_operator_teardown_is_no_cause() -> None:
    # libreswan programs/pluto/whack_down.c: "initiating delete of connection's ..." is printed for
    # `ipsec down` / whack --down; the Delete that follows is the teardown the operator asked for.
    assert _category(OPERATOR_DOWN) is None
    # Without the operator's command, a Delete this side sends is still its own, never the peer's.
    without = OPERATOR_DOWN.replace("\"west\"[1] 192.1.2.23: initiating delete of connection's IKE SA #1 (and Child SA #2)\n", "")
    assert _category(without) is None


def test_an_operator_teardown_is_the_peers_delete_for_the_other_side_of_a_two_sided_paste() -> None:
    # strongSwan's side (charon) first, then libreswan's side whose operator deletes the IKE SA.
    strongswan_side = (
        "parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]\n"
        "IKE_SA west-east[1] established between 192.1.2.45[west]...192.1.2.23[east]\n"
        "CHILD_SA west-east{1} established with SPIs c1d2e3f4_i a1b2c3d4_o and TS 192.0.1.0/24 === 192.0.2.0/24\n"
    )
    assert _category(strongswan_side + OPERATOR_DOWN) == "ike_sa_deleted_by_peer"


def test_charon_eap_failures_on_the_server_are_authentication_problems() -> None:
    # strongSwan src/libcharon/sa/ikev2/tasks/ike_auth.c and authenticators/eap_authenticator.c,
    # src/libcharon/plugins/eap_mschapv2/eap_mschapv2.c: lines the prefilter used to skip.
    for line in (
        "Nov 30 01:12:09 moon charon: 11[IKE] EAP method EAP_TTLS failed for peer carol@strongswan.org",
        "Nov 30 01:12:09 moon charon: 11[IKE] verification of AUTH payload without EAP MSK failed",
        "Nov 30 01:12:09 moon charon: 11[IKE] EAP-MS-CHAPv2 failed with error ERROR_AUTHENTICATION_FAILURE: "
        "'E=691 R=1 C=5f3c1a2b9d8e7f60a1b2c3d4e5f60718 V=3 M=Login incorrect'",
        "Nov 30 01:12:09 moon charon: 11[IKE] no EAP key found for hosts 'moon.strongswan.org' - 'carol@strongswan.org'",
    ):
        assert _category(line + "\n") == "auth_failure", line


def test_charon_disabling_ipcomp_is_no_cause_when_the_sa_comes_up() -> None:
    # strongSwan src/libcharon/sa/ikev1/tasks/quick_mode.c: the IPsec SA is set up without IPComp.
    text = (
        "Nov 30 01:20:44 gw charon: 09[IKE] expected IPComp proposal but peer did not send one, IPComp disabled\n"
        "Nov 30 01:20:44 gw charon: 09[IKE] CHILD_SA branch{3} established with SPIs c8a1b2c3_i 0f1e2d3c_o and TS "
        "10.20.0.0/24 === 10.30.0.0/24\n"
    )
    assert _category(text) is None


def test_more_daemon_lines_from_their_sources() -> None:
    # libreswan v3.32 programs/pluto/ikev2_parent.c, v4.5 ikev2_ike_auth.c, lib/libswan/kernel_mode.c;
    # strongSwan src/libcharon/sa/ike_sa.c, ikev2/tasks/ike_auth.c, ikev2/tasks/child_rekey.c.
    cases = {
        '"aws-tunnel-1" #1: Discarding unauthenticated INVALID_KE_PAYLOAD response to DH MODP2048; '
        "suggested DH MODP1024 is not acceptable": "phase1_proposal_mismatch",
        '"aws-tunnel-1" #1: DigSig: failed to find our RSA key': "auth_failure",
        '"west-east"[1] 192.1.2.23 #2: policy dictates IP-TFS Mode, but peer requested Tunnel Mode': "ipsec_mode_mismatch",
        "Nov 30 01:44:51 pfsense charon[71234]: 11[IKE] <con1000|7> reauthentication failed, trying to "
        "reestablish IKE_SA": "rekey_issue",
        "Nov 30 01:50:02 gw charon: 09[IKE] <ppk-net|1> PPK required but peer does not support PPK": "auth_failure",
        "Nov 30 01:50:02 gw charon: 07[IKE] <aws-tunnel-1|1> IDr payload missing": "auth_failure",
        "Nov 30 01:40:12 vyos charon[2034]: 14[IKE] <tunnel-1|3> abort active rekeying for CHILD_SA tunnel-1{7} "
        "because it was successfully rekeyed by the peer before it received our request": "rekey_issue",
    }
    for line, expected in cases.items():
        assert _category(line + "\n") == expected, line


def test_no_common_signature_hash_is_an_authentication_problem_not_a_proposal_one() -> None:
    # libreswan v3.32 programs/pluto/ikev2_parent.c: pluto refuses with NO_PROPOSAL_CHOSEN in IKE_AUTH, but
    # what differs is the digital-signature hash (RFC 7427).
    text = (
        '002 "west-east" #1: DigSig: no compatible DigSig hash algo\n'
        "214 \"west-east\" #1: state transition 'Responder: process IKE_AUTH request' failed with "
        "v2N_NO_PROPOSAL_CHOSEN\n"
    )
    assert _category(text) == "auth_failure"


def test_quick_mode_left_unanswered_between_gateways_names_the_proposals_first_and_the_subnets_second() -> None:
    # Openswan 2.5 (testing/pluto/basic-pluto-09/north-console.txt at xelerance/Openswan 175df9e): pfs=yes on the
    # responder, pfs=no here; the Quick Mode gets no answer this side can read. Silence cannot tell a subnet
    # mismatch from a proposal/PFS mismatch: the reading is pluto's guess, and the reasoning names both.
    text = (
        '004 "northnet--eastnet-nat" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG '
        "cipher=oakley_3des_cbc_192 prf=oakley_md5 group=modp1536}\n"
        '117 "northnet--eastnet-nat" #2: STATE_QUICK_I1: initiate\n'
        '031 "northnet--eastnet-nat" #2: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable '
        "response to our first Quick Mode message: perhaps peer likes no proposal\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch" and primary.certainty == "guess"
    reasoning = " ".join(str(m) for m in primary.reasoning)
    assert "the peer answered" not in reasoning
    assert "never answered this side's Quick Mode" in reasoning and "PFS group" in reasoning
    assert "subnets (proxy IDs)" in reasoning


# libreswan's testing/pluto/ikev1-xauth-35-xauth-only-lease-wrong/road.console.txt (0c4e3ec): the client skips ModeCFG
# and proposes a wrong address as its subnet; the server refuses the Quick Mode (the corpus has it as a dev excerpt).
XAUTH_CLIENT_QUICK_UNANSWERED = """\
"road-east" #1: ISAKMP SA established {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}
"road-east" #1: XAUTH: Answering XAUTH challenge with user='gooduser90'
"road-east" #1: XAUTH client - possibly awaiting CFG_set {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}
"road-east" #1: XAUTH: Successfully Authenticated
"road-east" #1: XAUTH completed; ModeCFG skipped as per configuration
"road-east" #1: ISAKMP SA established {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}
"road-east" #2: initiating Quick Mode IKEv1+RSASIG+ENCRYPT+TUNNEL+PFS+UP+XAUTH+MODECFG_PULL+IKE_FRAG_ALLOW+ESN_NO+ESN_YES
"road-east" #2: sent Quick Mode request
"road-east" #2: STATE_QUICK_I1: 30 second timeout exceeded after 0 retransmits.  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal
"road-east" #2: deleting IPsec SA (QUICK_I1) and NOT sending notification
"""


def test_a_remote_access_client_s_quick_mode_left_unanswered_points_at_its_address() -> None:
    primary = analyze_text(XAUTH_CLIENT_QUICK_UNANSWERED).primary
    assert primary is not None and primary.category == "traffic_selector_mismatch" and primary.certainty == "guess"
    reasoning = " ".join(str(m) for m in primary.reasoning)
    assert "remote-access client" in reasoning and "address pool" in reasoning
    # The XAUTH lines alone say so, without the policy words of the Quick Mode line ...
    no_policy = XAUTH_CLIENT_QUICK_UNANSWERED.replace("+XAUTH+MODECFG_PULL", "")
    assert _category(no_policy) == "traffic_selector_mismatch"
    # ... and so do the policy words without the XAUTH lines.
    policy_only = "".join(line + "\n" for line in XAUTH_CLIENT_QUICK_UNANSWERED.splitlines() if "XAUTH:" not in line
                          and "XAUTH c" not in line)
    assert _category(policy_only) == "traffic_selector_mismatch"
    # Between two gateways the same silence reads as the proposals.
    gateway = "".join(line + "\n" for line in no_policy.splitlines() if "XAUTH" not in line)
    assert _category(gateway) == "phase2_proposal_mismatch"


def test_a_diagnosis_from_silence_is_a_guess_and_a_refusal_is_firm() -> None:
    silence = '"west" #1: STATE_MAIN_I4: ISAKMP SA established {auth=RSA_SIG cipher=aes_256 integ=sha group=MODP2048}\n' + (
        '"west" #2: STATE_QUICK_I1: 10 second timeout exceeded after 0 retransmits.  No acceptable response to our '
        "first Quick Mode message: perhaps peer likes no proposal\n"
    )
    primary = analyze_text(silence).primary
    assert primary is not None and primary.certainty == "guess"
    assert analyze_text(silence).to_json()["primary"]["certainty"] == "guess"
    refused = analyze_text("Nov 29 10:00:03 cgw charon: 09[IKE] received NO_PROPOSAL_CHOSEN notify error\n").primary
    assert refused is not None and refused.certainty == "firm"


def test_charon_refusing_quick_mode_under_the_isakmp_sa_is_phase_2_without_the_proposal_listing() -> None:
    # pfSense's IPsec troubleshooting page (phase 2 encryption mismatch, responder), pasted from the refusal on:
    # the refusal goes out in an informational protected by the ISAKMP SA (HASH payload), so phase 1 was up.
    refusal = (
        "charon: 13[IKE] no matching proposal found, sending NO_PROPOSAL_CHOSEN\n"
        "charon: 13[IKE] queueing INFORMATIONAL task\n"
        "charon: 13[IKE] activating new tasks\n"
        "charon: 13[IKE] activating INFORMATIONAL task\n"
        "charon: 13[ENC] generating INFORMATIONAL_V1 request 1275272345 [ HASH N(NO_PROP) ]\n"
    )
    assert analyze_text(refusal).primary.category == "phase2_proposal_mismatch"
    # charon prints "no matching proposal found" only in Quick Mode (ikev1/tasks/quick_mode.c): phase 2 on its own.
    assert analyze_text(refusal.splitlines()[0] + "\n").primary.category == "phase2_proposal_mismatch"
    # Main Mode's refusal ("no proposal found", main_mode.c) travels in the clear (no HASH): phase 1.
    clear = refusal.replace("no matching proposal found, sending NO_PROPOSAL_CHOSEN", "no proposal found").replace(
        "[ HASH N(NO_PROP) ]", "[ N(NO_PROP) ]")
    assert analyze_text(clear).primary.category == "phase1_proposal_mismatch"


# The last ten lines of two development excerpts of the real-log corpus (datasets/real-logs/dev; sources in
# corpus.yaml), as an engineer pastes the end of a log: an Openswan responder's debug dump of its IKE_AUTH answer,
# and libreswan 3.9's refusal of the peer's IKE SA proposals.
_DEV = DATASETS_DIR / "real-logs" / "dev"


def _tail(name: str, lines: int = 10) -> str:
    return "\n".join((_DEV / f"{name}.log").read_text(encoding="utf-8").splitlines()[-lines:]) + "\n"


def test_a_notify_in_the_dump_of_the_ike_auth_answer_refuses_the_child_sa() -> None:
    # "| Notify Message Type: v2N_NO_PROPOSAL_CHOSEN", then "STATE_PARENT_R2: received v2I2, PARENT SA established":
    # the refusal went out in the IKE_AUTH answer beside an IKE SA that came up, so it is phase 2's.
    result = analyze_text(_tail("openswan-v2-natt-child-ts-wrong-no-proposal-chosen"))
    assert result.primary is not None and result.primary.category == "phase2_proposal_mismatch"
    assert result.primary.facts.get("exchange") == "IKE_AUTH"
    # The same dump line without the state change after it names no exchange: no phase 2 reading is made up.
    alone = analyze_text("|    Notify Message Type: v2N_NO_PROPOSAL_CHOSEN\n")
    assert alone.primary is None or alone.primary.facts.get("exchange") != "IKE_AUTH"


def test_pluto_3_9_no_proposal_selected_is_phase_1() -> None:
    assert _category(_tail("libreswan-v2-ike-aes-keysize-no-proposal-chosen")) == "phase1_proposal_mismatch"
