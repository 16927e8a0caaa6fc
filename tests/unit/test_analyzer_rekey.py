"""Rekeys, proposals a peer must refuse, FortiGate's same-second event order and L2TP disconnects.

Every log here is real daemon output (libreswan's test suite, pfSense's documentation, a FortiGate
event log quoted in a public thread) or a line in the daemon's exact format taken from its source.
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.protocol import key_length_flaw, stamp_of

# libreswan testing/pluto/ikev2-intermediate-11-rekey-ike-omit-addke-initiator/west.console.txt at commit
# 0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f: the IKE SA rekey (CREATE_CHILD_SA) is never answered.
IKE_REKEY_UNANSWERED = """\
"west-cuckold" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west-cuckold" #2: initiator established Child SA using #1; IPsec tunnel [198.18.66.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
"west-cuckoo" #3: initiating Child SA using IKE SA #1
"west-cuckoo" #3: sent CREATE_CHILD_SA request to create Child SA using IKE SA #1 {ESP <0xESPESP} [198.18.66.0/24===192.0.20.0/24]
"west-cuckoo" #3: initiator established Child SA using #1; IPsec tunnel [198.18.66.0/24===192.0.20.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-DH31 DPD=passive}
"west-cuckold" #4: initiating rekey to replace IKE SA #1 using IKE SA #1
"west-cuckold" #4: sent CREATE_CHILD_SA request to rekey IKE SA #1 (using IKE SA #1)
"west-cuckold" #1: ESTABLISHED_IKE_SA: 30 second timeout exceeded after 0 retransmits.  No response (or no acceptable response) to our IKEv2 message
"west-cuckold" #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"west-cuckold" #4: deleting larval Child SA
"west-cuckold" #1: deleting IKE SA (established IKE SA)
"""


def test_an_unanswered_ike_sa_rekey_is_a_rekey_problem() -> None:
    primary = analyze_text(IKE_REKEY_UNANSWERED).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert 8 in primary.evidence_lines


def test_a_refused_child_sa_rekey_is_a_rekey_problem_even_without_the_first_negotiation() -> None:
    # The excerpt starts at the rekey: pluto's own words say the CREATE_CHILD_SA replaces a Child SA.
    text = (
        '"west" #4: initiating rekey to replace Child SA #3 using IKE SA #1\n'
        '"west" #4: sent CREATE_CHILD_SA request to rekey Child SA #3 using IKE SA #1 {ESP <0xESPESP} '
        "[192.1.2.45/32===192.1.2.23/32]\n"
        '"west" #4: CREATE_CHILD_SA failed with error notification INVALID_KE_PAYLOAD\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"


def test_a_refused_new_child_sa_stays_a_phase_2_proposal_problem() -> None:
    # testing/pluto/ikev2-rw-multiple-subnets-4-mismatch-split-up wording, with the phase 2 refusal of
    # libreswan's ikev2_child.c: "request to create Child SA" adds an SA, it replaces nothing.
    text = (
        '"road/0x2" #3: initiating Child SA using IKE SA #1\n'
        '"road/0x2" #3: sent CREATE_CHILD_SA request to create Child SA using IKE SA #1 {ESPinUDP <0xESPESP} '
        "[198.18.66.0/24===192.0.4.0/24]\n"
        '"road/0x2" #3: CREATE_CHILD_SA failed with error notification NO_PROPOSAL_CHOSEN\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"


def test_a_quick_mode_that_replaces_an_ipsec_sa_and_times_out_is_a_rekey_problem() -> None:
    # ikev1_quick.c logs "<story>, to replace #N" when Quick Mode rekeys an IPsec SA.
    text = (
        '"westnet-eastnet" #3: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP+IKE_FRAG_ALLOW+ESN_NO+ESN_YES '
        "to replace #2 {using isakmp#1 msgid:MSGID proposal=AES_CBC-HMAC_SHA1_96 pfsgroup=MODP2048 "
        "192.0.1.0/24===192.0.2.0/24}\n"
        '"westnet-eastnet" #3: sent Quick Mode request, to replace #2\n'
        '"westnet-eastnet" #3: STATE_QUICK_I1: 60 second timeout exceeded after 0 retransmits.  No acceptable '
        "response to our first Quick Mode message: perhaps peer likes no proposal\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"
    # The timeout is silence, pluto's guess: the reasoning names no notify the peer never showed sending.
    reasoning = " ".join(primary.reasoning_in("en"))
    assert "TS_UNACCEPTABLE" not in reasoning and "NO_PROPOSAL_CHOSEN" not in reasoning
    assert "got no acceptable answer" in reasoning and "Line 3:" in reasoning
    korean = " ".join(primary.reasoning_in("ko"))
    assert "TS_UNACCEPTABLE" not in korean and "3번째 줄" in korean
    # The same when only the abandoned state's deletion shows it (ikev1_quick.c: an IPsec SA deleted in QUICK_I1).
    dropped = text.rsplit('"westnet-eastnet" #3: STATE_QUICK_I1', 1)[0] + (
        '"westnet-eastnet" #3: deleting IPsec SA (QUICK_I1) and NOT sending notification\n')
    primary = analyze_text(dropped).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert "TS_UNACCEPTABLE" not in " ".join(primary.reasoning_in("en"))


# testing/pluto/algo-pluto-13-invalid-3des/west.console.txt at 0c4e3ecc: west offers 3DES with a key
# length of 333 bits, which east must refuse; west only sees Quick Mode time out.
INVALID_3DES = """\
"westnet-eastnet-aes256" #1: ISAKMP SA established {auth=RSA_SIG cipher=AES_CBC_128 integ=HMAC_SHA1 group=MODP2048}
"westnet-eastnet-aes256" #2: initiating Quick Mode IKEv1+RSASIG+ENCRYPT+TUNNEL+PFS+UP+IKE_FRAG_ALLOW+ESN_NO+ESN_YES {using isakmp#1 msgid:MSGID proposal=3DES_CBC_333-HMAC_SHA1_96 pfsgroup=MODP2048 192.0.1.0/24===192.0.2.0/24}
"westnet-eastnet-aes256" #2: sent Quick Mode request
"westnet-eastnet-aes256" #2: STATE_QUICK_I1: 30 second timeout exceeded after 0 retransmits.  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal
"""


def test_a_key_length_the_algorithm_does_not_have_is_a_phase_2_proposal_problem() -> None:
    primary = analyze_text(INVALID_3DES).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts.get("invalid_key_length") == "3DES_CBC_333"


def test_key_length_flaws() -> None:
    assert key_length_flaw("proposal=3DES_CBC_333-HMAC_SHA1_96") == "3DES_CBC_333"
    assert key_length_flaw("AES_CBC_100-HMAC_SHA2_256_128") == "AES_CBC_100"
    assert key_length_flaw("AES_CBC_256-HMAC_SHA1_96, AES_GCM_16_128, 3DES_CBC-HMAC_SHA1_96") == ""
    assert key_length_flaw("AES_XCBC_96 AES_CMAC_96") == ""


def test_the_responder_refusing_the_key_length_says_so() -> None:
    text = '"westnet-eastnet-aes256" #2: kernel algorithm does not like: 3DES_CBC key_len 333 is incorrect\n'
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"


# A FortiGate event log quoted in a public thread (https://snapoverflow.com/server/question/1048360/):
# newest first, three records in the same second told apart only by eventtime (nanoseconds). Azure
# re-creates phase 2 with CREATE_CHILD_SA over the IKE SA and the FortiGate refuses the proposal.
FORTIGATE_REKEY = """\
date=2021-01-03 time=04:22:03 eventtime=1609618924346452242 tz="+0800" logid="0101037129" type="event" subtype="vpn" level="notice" vd="root" logdesc="Progress IPsec phase 2" msg="progress IPsec phase 2" action="negotiate" remip= locip= remport=500 locport=500 outintf="wan1" cookies="xxxxxxxxxxxxxxxx/xxxxxxxxxxxxxxxx" user="N/A" group="N/A" useralt="N/A" xauthuser="N/A" xauthgroup="N/A" assignip=N/A vpntunnel="AZURE-XYZ" status="success" init="remote" exch="CREATE_CHILD" dir="outbound" role="responder" result="DONE" version="IKEv2"
date=2021-01-03 time=04:22:03 eventtime=1609618924346420462 tz="+0800" logid="0101037125" type="event" subtype="vpn" level="error" vd="root" logdesc="IPsec phase 2 error" msg="IPsec phase 2 error" action="negotiate" remip= locip= remport=500 locport=500 outintf="wan1" cookies="xxxxxxxxxxxxxxxx/xxxxxxxxxxxxxxxx" user="N/A" group="N/A" useralt="N/A" xauthuser="N/A" xauthgroup="N/A" assignip=N/A vpntunnel="AZURE-XYZ" status="negotiate_error" reason="peer SA proposal not match local policy"
date=2021-01-03 time=04:22:03 eventtime=1609618924346376500 tz="+0800" logid="0101037120" type="event" subtype="vpn" level="notice" vd="root" logdesc="Negotiate IPsec phase 1" msg="negotiate IPsec phase 1" action="negotiate" remip= locip= remport=500 locport=500 outintf="wan1" cookies="xxxxxxxxxxxxxxxx/xxxxxxxxxxxxxxxx" user="N/A" group="N/A" useralt="N/A" xauthuser="N/A" xauthgroup="N/A" assignip=N/A vpntunnel="AZURE-XYZ" status="success" result="N/A" peer_notif="N/A"
"""


def test_fortigate_eventtime_orders_records_of_one_second() -> None:
    lines = FORTIGATE_REKEY.splitlines()
    stamps = [stamp_of(line) for line in lines]
    assert stamps[0] > stamps[1] > stamps[2]
    assert int(stamps[0]) == int(stamps[2])  # still the same second of time=


def test_fortigate_phase_2_refused_in_create_child_sa_over_an_up_ike_sa_is_a_rekey_problem() -> None:
    result = analyze_text(FORTIGATE_REKEY)
    assert result.order == "newest-first"
    assert result.primary is not None and result.primary.category == "rekey_issue"
    refusal = next(f for f in result.findings if f.pattern == "fgt-peer-sa-proposal-local")
    assert refusal.facts.get("exchange") == "CREATE_CHILD_SA"


def test_fortigate_phase_2_refused_without_an_ike_sa_is_a_proposal_problem() -> None:
    result = analyze_text(FORTIGATE_REKEY.splitlines()[1])
    assert result.primary is not None and result.primary.category == "phase2_proposal_mismatch"


# pfSense documentation (source/vpn/ipsec/l2tp-ipsec.rst at 74ca3ce0): an L2TP/IPsec client connects
# and hangs up; its Deletes follow the end of the L2TP session.
L2TP_DISCONNECT = """\
Feb 4 13:56:37 charon: 14[IKE] <con1|1> CHILD_SA con1{1} established with SPIs cfcf5cfc_i 4beb8c5a_o and TS 192.0.2.90/32|/0[udp/l2f] === 192.0.2.52/32|/0[udp/l2f]
Feb 4 13:56:40 charon: 14[KNL] interface l2tp0 activated
Feb 4 13:57:07 charon: 12[KNL] 192.168.32.1 disappeared from l2tp0
Feb 4 13:57:07 charon: 12[KNL] interface l2tp0 deactivated
Feb 4 13:57:11 charon: 13[ENC] parsed INFORMATIONAL_V1 request 3840243157 [ HASH D ]
Feb 4 13:57:11 charon: 13[IKE] <con1|1> received DELETE for ESP CHILD_SA with SPI 4beb8c5a
Feb 4 13:57:11 charon: 13[ENC] parsed INFORMATIONAL_V1 request 1351826790 [ HASH D ]
Feb 4 13:57:11 charon: 13[IKE] <con1|1> received DELETE for IKE_SA con1[1]
"""


def test_an_l2tp_client_hanging_up_is_no_problem() -> None:
    assert analyze_text(L2TP_DISCONNECT).primary is None


def test_a_delete_without_the_session_ending_first_is_still_the_peers_delete() -> None:
    text = "\n".join(line for line in L2TP_DISCONNECT.splitlines() if "l2tp0" not in line)
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"


def test_libreswan_ikev1_packets_dropped_by_an_ikev2_only_responder() -> None:
    # libreswan ikev1.c: the responder's side of an IKEv1 initiator meeting ikev1-policy=drop.
    text = "packet from 192.1.2.45:500: ignoring IKEv1 packet as global policy is set to silently drop all IKEv1 packets\n"
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "ike_version_mismatch"


def test_the_rekey_reasoning_speaks_of_what_the_lines_show() -> None:
    # Dev excerpts: an FTD that declares its own new SPI invalid (Cisco bug CSCvx23833) and a FortiGate rekey that
    # is never answered. Neither shows a collision, so the reasoning does not talk about collisions.
    from pathlib import Path

    from lab.analyzer import analyze_text

    dev = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
    stale = analyze_text((dev / "cisco-ftd-v2-ftd-initiated-child-sa-rekey-invalid-spi-palo-alto-peer.log")
                         .read_text(encoding="utf-8")).primary.reasoning_in("en")
    assert any("unknown SPI" in r for r in stale) and not any("Collisions" in r for r in stale)
    unanswered = analyze_text((dev / "fortigate-v2-child-sa-rekey-unanswered-sa-hard-expired.log")
                              .read_text(encoding="utf-8")).primary.reasoning_in("en")
    assert any("got no answer" in r for r in unanswered) and not any("Collisions" in r for r in unanswered)


# libreswan/libreswan#3037 (https://github.com/libreswan/libreswan/issues/3037): a Child SA rekey trips one of
# pluto's internal checks while reading the answer's traffic selectors.
REKEY_EXPECTATION_FAILED = """\
Sep  7 00:35:34 tuomo pluto[1544493]: "foo-v6"[1] 2a00:1190:c02d:fff::2 #20: initiating rekey to replace Child SA #19 using IKE SA #13
Sep  7 00:35:34 tuomo pluto[1544493]: "foo-v6"[1] 2a00:1190:c02d:fff::2 #20: sent CREATE_CHILD_SA request to rekey Child SA #19 using IKE SA #13 {ESP <0x5ddd73e2}
Sep  7 00:35:34 tuomo pluto[1544493]: EXPECTATION FAILED: "foo-v6"[1] 2a00:1190:c02d:fff::2 #20: selector_eq_selector(c->child.spds->table->local->client, c->local->child.selectors.proposed->table[0]) (process_v2TS_response_payloads() +1081 programs/pluto/ikev2_ts.c)
"""


def test_plutos_failed_internal_check_counts_only_during_a_rekey() -> None:
    primary = analyze_text(REKEY_EXPECTATION_FAILED).primary
    assert primary is not None and primary.category == "rekey_issue"
    alone = REKEY_EXPECTATION_FAILED.splitlines()[2] + "\n"
    assert analyze_text(alone).primary is None


def test_plutos_failed_check_on_a_stale_sa_is_a_rekey_problem_of_old_releases() -> None:
    # libreswan 3.29 (libreswan/libreswan#678, also hwdsl2/setup-ipsec-vpn#1144): both ends rekeyed at the same moment
    # (rekeyfuzz=0%, a 60 s IKE lifetime), pluto's rekey code did not expect the stale SA, and the connection dropped
    # right after it; the developers pointed to rekey code rewritten in 4.x.
    log = (
        "EXPECTATION FAILED: proposal->remote_spi.size <= sizeof(proposal->remote_spi.size) (in print_proposal() at "
        "ikev2_spdb_struct.c:351)\n"
        "EXPECTATION FAILED: not replacing stale IKE SA #2; as already got a newer #5 (in v2_event_sa_rekey() at "
        "ikev2_parent.c:6373)\n"
    )
    primary = analyze_text(log).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert primary.evidence_lines == (2,), "the stale SA, not the unrelated check before it"
    # libreswan 4.7 and later log the same as a plain line and expire the old SA: nothing wrong
    assert analyze_text('"west" #3: not rekeying stale Child SA #2; as already got a newer #4\n').primary is None


def test_message_ids_out_of_step_on_an_established_sa_are_a_rekey_problem() -> None:
    # Openswan's unit test lp51-rekeytwice-inCI1 (xelerance/Openswan at 86dff2b4, output1.txt): the second rekey's
    # request is refused with INVALID_MESSAGE_ID (RFC 7296 section 3.10.1).
    log = (
        './rekeytwice-inCI1 STATE_PARENT_R2: received v2I2, PARENT SA established {auth=IKEv2 cipher=aes_128 integ=sha1_96}\n'
        './rekeytwice-inCI1 STATE_CHILD_C1_KEYED: CHILD SA established tunnel mode {ESP=>0x12345678 <0x12345678 xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=none}\n'
        './rekeytwice-inCI1 sending  notification v2N_INVALID_MESSAGE_ID to 192.168.1.1:500\n'
    )
    primary = analyze_text(log).primary
    assert primary is not None and primary.category == "rekey_issue"
    # charon's own wording (src/libcharon/sa/ikev2/task_manager_v2.c): a request outside the window is ignored
    charon = "Dec  1 10:00:01 gw charon: 09[IKE] <aws-tunnel-1|3> received message ID 7, expected 5, ignored\n"
    primary = analyze_text(charon).primary
    assert primary is not None and primary.category == "rekey_issue"


def test_an_openswan_rekey_started_again_before_the_first_came_up_is_a_rekey_problem() -> None:
    # Openswan's unit test lp50-rekey-no-reply-rekey (dev excerpt): the CREATE_CHILD_SA that rekeys #2 is never
    # answered, the state it created (#3, STATE_CHILD_C1_REKEY) expires and is rekeyed in turn. The status listing
    # between the two starts shows #2 still up: no new SA.
    from pathlib import Path

    dev = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
    text = (dev / "openswan-v2-child-rekey-no-reply-rekeys-again.log").read_text(encoding="utf-8")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"
    lines = text.splitlines()
    second = next(i for i, line in enumerate(lines) if "starting rekey of CHILD SA for state=#3" in line) + 1
    first = next(i for i, line in enumerate(lines) if "starting rekey of CHILD SA for state=#2" in line) + 1
    assert primary.evidence_lines[0] == second
    reasoning = " ".join(primary.reasoning_in("en"))
    assert f"Line {second}: a rekey started again before the one started on line {first}" in reasoning
    assert f"{second}번째 줄: {first}번째 줄에서 시작한 키 재생성" in " ".join(primary.reasoning_in("ko"))
    # The first rekey answered (its new SA established, Openswan's transition line): the second start is an
    # ordinary rekey of the new SA, no finding.
    answered = list(lines)
    answered.insert(second - 1, "./rekey-no-reply-I1 STATE_CHILD_C1_KEYED: CHILD SA established (msgid: 00000002/4294967295)")
    assert analyze_text("\n".join(answered) + "\n").primary is None


def test_the_peer_deleting_one_of_two_ike_sas_up_at_once_is_a_collision_not_a_tunnel_down() -> None:
    # strongSwan 5.3.5 reauthenticates while a FortiGate starts its own IKE SA: both come up, the FortiGate deletes
    # one, and the Child SA it kept sending on went with it here (lists.strongswan.org/pipermail/users/2016-August/
    # 009872.html; the archive removed the addresses).
    text = """15[IKE] sending DELETE for IKE_SA tun1[6447]
09[IKE] initiating IKE_SA tun1[6471] to
12[IKE] is initiating an IKE_SA
10[IKE] IKE_SA tun1[6471] established between[]...[]
10[IKE] CHILD_SA tun1{14549} established with SPIs cc122363_i 104b86c4_o and TS ===
06[IKE] IKE_SA tun1[6472] established between[]...[]
06[IKE] CHILD_SA tun1{14551} established with SPIs c1f9cea7_i 104b86c3_o and TS ===
14[IKE] received DELETE for IKE_SA tun1[6472]
"""
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"
    said = " ".join(str(r) for r in primary.reasoning)
    assert "tun1[6472]" in said and "tun1[6471]" in said and "line 4" in said
    assert [e.line for e in primary.chain] == [4, 6, 8]  # the two IKE SAs up at once, then the Delete of one
    # The peer deleting the only IKE SA of the connection is the tunnel going down from its side.
    alone = text.replace("06[IKE] IKE_SA tun1[6472] established between[]...[]\n", "").replace(
        "10[IKE] IKE_SA tun1[6471] established", "10[IKE] IKE_SA tun1[6472] established")
    assert analyze_text(alone).primary.category == "ike_sa_deleted_by_peer"


def test_an_ike_sa_rekeyed_then_deleted_by_the_peer_is_no_duplicate() -> None:
    # The old IKE SA is deleted once its rekey is up (RFC 7296 section 2.18); the peer deleting the new one later
    # leaves the connection without an IKE SA: the tunnel went down from the peer's side.
    text = """Dec  1 19:00:00 13[IKE] IKE_SA gw[1] established between 192.0.2.2[192.0.2.2]...192.0.2.1[192.0.2.1]
Dec  1 19:09:24 13[IKE] <gw|1> IKE_SA gw[2] rekeyed between 192.0.2.2[192.0.2.2]...192.0.2.1[192.0.2.1]
Dec  1 19:09:24 13[IKE] <gw|1> sending DELETE for IKE_SA gw[1]
Dec  1 19:30:00 09[IKE] <gw|2> received DELETE for IKE_SA gw[2]
"""
    assert analyze_text(text).primary.category == "ike_sa_deleted_by_peer"


# lists.libreswan.org/pipermail/swan/2021/003845.html: OCI's pluto (a customised libreswan) as the IKEv1 responder of
# an Azure tunnel; Azure ignored the configured lifetime and never rekeyed within OCI's 3600 s.
OCI_NO_REKEY = (
    "00:12:59 no rekeying on traffic selector override connection\n"
    "00:17:29 deleting state (STATE_QUICK_R2) aged 3600.122s and sending notification\n"
)


def test_an_ipsec_sa_ended_after_this_side_said_it_would_not_rekey_is_a_rekey_problem() -> None:
    primary = analyze_text(OCI_NO_REKEY).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert "3600.122 seconds" in " ".join(primary.reasoning_in("en"))
    # the deletion alone is routine (an SA replaced before it, the operator's command) ...
    assert analyze_text(OCI_NO_REKEY.splitlines(keepends=True)[1]).primary is None
    # ... and so is the statement when the peer replaced the SA in time
    replaced = OCI_NO_REKEY.replace("00:17:29 deleting", '00:16:00 "oci" #3: STATE_QUICK_R2: IPsec SA established '
                                    "tunnel mode {ESP=>0x12345678 <0x87654321 xfrm=AES_CBC_256-HMAC_SHA1_96}\n"
                                    "00:17:29 deleting")
    assert analyze_text(replaced).primary is None


# pluto's lines for a Child SA whose IKE SA is gone when its rekey or expiry comes due, in the exact format of
# libreswan's source: programs/pluto/timer.c at v3.32 and v4.15, ikev2_parent.c at v4.15 (llog_pexpect), and
# ikev2_replace.c at v5.4 (the source spells it "diasppeared").
@pytest.mark.parametrize("line", [
    '"westnet-eastnet" #2: CHILD SA #2 lost its IKE SA',
    'Dec  6 10:00:00 gw pluto[1234]: "westnet-eastnet" #2: Child SA lost its IKE SA #1',
    'EXPECTATION FAILED: "westnet-eastnet" #2: not rekeying Child SA #2; as IKE SA #1 has diasppeared '
    '(in state_is_expired() at ikev2_parent.c:570)',
])
def test_a_child_sa_that_lost_its_ike_sa_at_its_rekey_is_a_rekey_problem(line: str) -> None:
    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == "rekey_issue"


def test_libreswans_stale_sa_not_rekeyed_after_a_newer_one_stays_harmless() -> None:
    # libreswan 4.7 and later (programs/pluto/ikev2_replace.c): the SA was already replaced
    assert analyze_text('"west" #3: not rekeying stale Child SA #2; as already got a newer #4\n').primary is None


# strongSwan 6.0 words the CHILD_SA collision in a line of its own (src/libcharon/sa/ikev2/tasks/child_rekey.c at
# 6.0.1, line 1157); 5.9 says "detected CHILD_REKEY collision with CHILD_REKEY". Resolved, either is no fault.
_CHARON_60_COLLISION = """\
Dec  6 10:00:00 gw charon: 09[KNL] creating rekey job for CHILD_SA ESP/0xc3a1b2f4/192.0.2.10
Dec  6 10:00:02 gw charon: 09[ENC] <net-net|1> generating CREATE_CHILD_SA request 4 [ N(REKEY_SA) SA No KE TSi TSr ]
Dec  6 10:00:04 gw charon: 07[IKE] <net-net|1> detected rekey collision for CHILD_SA net-net{2}
Dec  6 10:00:05 gw charon: 12[IKE] <net-net|1> CHILD_SA rekey collision won, deleting old child net-net{2}
"""


def test_strongswan_60s_resolved_child_sa_collision_is_no_fault() -> None:
    analysis = analyze_text(_CHARON_60_COLLISION)
    assert analysis.primary is None
    assert any(f.category == "rekey_issue" for f in analysis.findings)
    assert any("both sides rekeyed the same SA at once" in str(n) for n in analysis.notes)


# strongSwan 5.8.2, both sides rekeying the Child SA every few seconds (tests/data/strongswan-lab/v2-collision): the side
# that lost the first collision then meets the winner's Delete of the SA both rekeyed, and its rekey task logs that as
# a collision too ("with CHILD_DELETE", child_rekey.c's collide()); the second collision it wins. Two collisions.
_CHARON_58_TWO_COLLISIONS = """\
Dec  7 18:32:12 09[IKE] <gw|1> inbound CHILD_SA net{4} established with SPIs 20693be4_i 06a75eeb_o and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 18:32:12 09[IKE] <gw|1> detected CHILD_REKEY collision with CHILD_REKEY
Dec  7 18:32:12 09[IKE] <gw|1> CHILD_SA rekey collision lost, deleting redundant child net{3}
Dec  7 18:32:12 09[IKE] <gw|1> sending DELETE for ESP CHILD_SA with SPI 0b9eb4b3
Dec  7 18:32:12 11[IKE] <gw|1> received DELETE for ESP CHILD_SA with SPI 157205a8
Dec  7 18:32:12 11[IKE] <gw|1> closing CHILD_SA net{2} with SPIs bb1e584a_i (0 bytes) 157205a8_o (0 bytes) and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 18:32:12 11[IKE] <gw|1> outbound CHILD_SA net{4} established with SPIs 20693be4_i 06a75eeb_o and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 18:32:12 11[IKE] <gw|1> detected CHILD_REKEY collision with CHILD_DELETE
Dec  7 18:32:27 14[IKE] <gw|1> detected CHILD_REKEY collision with CHILD_REKEY
Dec  7 18:32:27 01[IKE] <gw|1> CHILD_SA rekey collision won, deleting old child net{7}
"""


def test_the_winner_s_delete_after_a_lost_collision_is_the_end_of_that_collision() -> None:
    analysis = analyze_text(_CHARON_58_TWO_COLLISIONS)
    assert analysis.primary is None
    assert any("both sides rekeyed the same SA at once" in str(n) for n in analysis.notes)
    # A rekey that meets the peer's Delete with no collision lost before it is a collision of its own: three are a
    # pattern worth fixing.
    lines = _CHARON_58_TWO_COLLISIONS.splitlines(keepends=True)
    without_loss = "".join(line for line in lines if "collision lost" not in line)
    assert analyze_text(without_loss).primary.category == "rekey_issue"


# strongSwan 5.7.2, both sides rekeying IKEv1 Quick Modes every few seconds (tests/data/strongswan-lab/
# v1-both-rekey-healthy): a retransmitted Quick Mode request no longer verifies over the ISAKMP SA that carried the
# earlier ones, and charon answers it with INVALID_HASH_INFORMATION. The ISAKMP SA's keys were agreed and worked.
_CHARON_57_QUICK_MODE_HASH = """\
Dec  7 19:46:27 03[IKE] <gw|1> IKE_SA gw[1] established between 192.0.2.1[192.0.2.1]...192.0.2.2[192.0.2.2]
Dec  7 19:46:27 10[IKE] <gw|1> CHILD_SA net{1} established with SPIs f855f9e5_i a7a42fae_o and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 19:46:52 16[ENC] <gw|1> parsed QUICK_MODE request 4193808156 [ HASH SA No KE ID ID ]
Dec  7 19:46:52 16[ENC] <gw|1> received HASH payload does not match
Dec  7 19:46:52 16[IKE] <gw|1> integrity check failed
Dec  7 19:46:52 16[ENC] <gw|1> generating INFORMATIONAL_V1 request 1327218239 [ HASH N(INVAL_HASH) ]
"""


def test_an_invalid_hash_notify_over_an_isakmp_sa_that_is_up_is_no_key_mismatch() -> None:
    analysis = analyze_text(_CHARON_57_QUICK_MODE_HASH)
    assert not any(f.category == "auth_failure" for f in analysis.findings)
    assert analysis.primary is None
    # The same notify in Main Mode, before the ISAKMP SA is up: the keys derived from the pre-shared keys differ.
    main_mode = """\
Dec  7 19:46:27 03[ENC] <gw|1> parsed ID_PROT request 0 [ ID HASH ]
Dec  7 19:46:27 03[ENC] <gw|1> received HASH payload does not match
Dec  7 19:46:27 03[IKE] <gw|1> integrity check failed
Dec  7 19:46:27 03[ENC] <gw|1> generating INFORMATIONAL_V1 request 1327218239 [ HASH N(INVAL_HASH) ]
"""
    assert analyze_text(main_mode).primary.category == "auth_failure"
    # The peer's INVALID_HASH_INFORMATION over the ISAKMP SA that is up: the same exchange out of step, seen from the
    # side whose Quick Mode message the peer could not verify.
    received = _CHARON_57_QUICK_MODE_HASH.splitlines(keepends=True)[:2] + [
        "Dec  7 19:46:52 09[ENC] <gw|1> parsed INFORMATIONAL_V1 request 1327218239 [ HASH N(INVAL_HASH) ]\n",
        "Dec  7 19:46:52 09[IKE] <gw|1> received INVALID_HASH_INFORMATION error notify\n"]
    assert not any(f.category == "auth_failure" for f in analyze_text("".join(received)).findings)


# The same run, L's side: its Quick Mode that replaces net{9} completes here (its third message sent), and the peer
# answers that message with PAYLOAD_MALFORMED: it could not decrypt it over the ISAKMP SA that is up, so it never
# installs the SA this side did.
_CHARON_57_QUICK_MODE_MALFORMED = """\
Dec  7 19:46:27 03[IKE] <gw|1> IKE_SA gw[1] established between 192.0.2.1[192.0.2.1]...192.0.2.2[192.0.2.2]
Dec  7 19:46:27 10[IKE] <gw|1> CHILD_SA net{1} established with SPIs f855f9e5_i a7a42fae_o and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 19:46:51 11[ENC] <gw|1> parsed QUICK_MODE response 2498076297 [ HASH SA No KE ID ID ]
Dec  7 19:46:51 11[CFG] <gw|1> selected proposal: ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ
Dec  7 19:46:51 11[IKE] <gw|1> CHILD_SA net{14} established with SPIs a660fbb7_i 58c0c91d_o and TS 10.1.0.0/16 === 10.2.0.0/16
Dec  7 19:46:51 11[ENC] <gw|1> generating QUICK_MODE request 2498076297 [ HASH ]
Dec  7 19:46:51 16[ENC] <gw|1> parsed INFORMATIONAL_V1 request 608995586 [ HASH N(PLD_MAL) ]
Dec  7 19:46:51 16[IKE] <gw|1> received PAYLOAD_MALFORMED error notify
"""


def test_the_peer_s_payload_malformed_for_a_quick_mode_beside_an_ipsec_sa_that_is_up_is_a_rekey_problem() -> None:
    primary = analyze_text(_CHARON_57_QUICK_MODE_MALFORMED).primary
    assert primary is not None and primary.category == "rekey_issue"
    # In Main Mode it is the classic sign of different pre-shared keys.
    main_mode = """\
Dec  7 19:46:27 03[ENC] <gw|1> generating ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]
Dec  7 19:46:27 16[ENC] <gw|1> parsed INFORMATIONAL_V1 request 608995586 [ N(PLD_MAL) ]
Dec  7 19:46:27 16[IKE] <gw|1> received PAYLOAD_MALFORMED error notify
"""
    assert analyze_text(main_mode).primary.category == "auth_failure"
