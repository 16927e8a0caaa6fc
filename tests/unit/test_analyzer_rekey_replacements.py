"""Replacing an SA that was up: pluto's "to replace #N" read against what the log shows of state #N, and charon
naming the task that gave up.

Logs are real pluto output from libreswan's test suite (at the tagged commit named above each), or lines in the
daemon's exact format taken from its source where no public log shows that path.
"""

from __future__ import annotations

from lab.analyzer import analyze_text
from lab.i18n import render
from tests.unit.test_analyzer_ike_versions import FALLBACK_AFTER_SILENCE

# https://github.com/libreswan/libreswan/blob/960fdc2d5f17cd049a56c257b738bb964cea3eb5/testing/pluto/pluto-rekey-01/west.console.txt
# (v4.15): an IKEv1 connection with a very short lifetime; the ISAKMP SA #1 is replaced by #3, which comes up.
IKEV1_REPLACED = """\
002 "westnet-eastnet-ipv4-psk-ikev2" #1: initiating IKEv1 Main Mode connection
1v1 "westnet-eastnet-ipv4-psk-ikev2" #1: sent Main Mode request
1v1 "westnet-eastnet-ipv4-psk-ikev2" #1: sent Main Mode I2
1v1 "westnet-eastnet-ipv4-psk-ikev2" #1: sent Main Mode I3
002 "westnet-eastnet-ipv4-psk-ikev2" #1: Peer ID is ID_FQDN: '@east'
004 "westnet-eastnet-ipv4-psk-ikev2" #1: IKE SA established {auth=PRESHARED_KEY cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}
002 "westnet-eastnet-ipv4-psk-ikev2" #2: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP+IKE_FRAG_ALLOW+ESN_NO+ESN_YES
1v1 "westnet-eastnet-ipv4-psk-ikev2" #2: sent Quick Mode request
004 "westnet-eastnet-ipv4-psk-ikev2" #2: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_CBC_128-HMAC_SHA1_96 DPD=passive}
"westnet-eastnet-ipv4-psk-ikev2" #3: initiating IKEv1 Main Mode connection to replace #1
000 #3: "westnet-eastnet-ipv4-psk-ikev2":500 STATE_MAIN_I4 (IKE SA established); REPLACE in XXs; newest; lastdpd=-1s(seq in:0 out:0); idle;
"""

# The same replacement timing out: the timeout line in pluto's format (ikev1.c / timer.c, as in
# https://github.com/libreswan/libreswan/issues/2184), for state #3 still in Main Mode.
REPLACEMENT_TIMEOUT = (
    '"westnet-eastnet-ipv4-psk-ikev2" #3: STATE_MAIN_I1: 60 second timeout exceeded after 7 retransmits.  '
    "No response (or no acceptable response) to our first IKEv1 message\n"
)


def test_a_replaced_ikev1_sa_that_comes_up_is_no_problem() -> None:
    assert analyze_text(IKEV1_REPLACED).primary is None


def test_a_replacement_of_an_ikev1_sa_that_was_up_timing_out_is_a_rekey_problem() -> None:
    text = IKEV1_REPLACED.rsplit("\n", 2)[0] + "\n" + REPLACEMENT_TIMEOUT
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert any("got no answer" in render(r, "en") for r in primary.reasoning)


def test_a_keying_attempt_that_replaces_a_state_which_never_came_up_is_not_a_rekey() -> None:
    # libreswan's ikev2-01-fallback-ikev1 (v3.0, see FALLBACK_AFTER_SILENCE) up to its second attempt: pluto's second
    # keying attempt says "to replace #1", but #1 never got an answer.
    text = "".join(FALLBACK_AFTER_SILENCE.splitlines(keepends=True)[:9])
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "peer_unreachable"


# charon's ike_sa.c (https://github.com/strongswan/strongswan/blob/3b902ea59b86a8ac097e27a34db85feb877a00f9/src/libcharon/sa/ike_sa.c,
# retransmit(): "rekeying IKE_SA failed, peer not responding" when the IKE_SA was in IKE_REKEYING) logs which task
# gave up only after "giving up after N retransmits"; the liveness check before it was answered.
CHARON_REKEY_UNANSWERED = """\
Nov 30 01:00:00 gw charon: 09[IKE] <aws|1> IKE_SA aws[1] established between 198.51.100.10[198.51.100.10]...203.0.113.5[203.0.113.5]
Nov 30 01:30:00 gw charon: 11[ENC] <aws|1> generating INFORMATIONAL request 61 [ ]
Nov 30 01:30:00 gw charon: 12[ENC] <aws|1> parsed INFORMATIONAL response 61 [ ]
Nov 30 01:50:00 gw charon: 07[IKE] <aws|1> giving up after 5 retransmits
Nov 30 01:50:00 gw charon: 07[IKE] <aws|1> rekeying IKE_SA failed, peer not responding
"""


def test_charon_giving_up_on_an_ike_sa_rekey_is_a_rekey_problem_not_a_dead_peer() -> None:
    primary = analyze_text(CHARON_REKEY_UNANSWERED).primary
    assert primary is not None and primary.category == "rekey_issue"
    # the chain holds the rekey's lines and the line that shows the SA was up before it: no DPD or timeout line
    assert {f.category for f in primary.chain} - {""} == {"rekey_issue"}
    assert [f.event for f in primary.chain if not f.category] == ["established"]


def test_charon_giving_up_on_a_new_ike_sa_stays_reachability() -> None:
    text = CHARON_REKEY_UNANSWERED.replace("rekeying IKE_SA failed", "establishing IKE_SA failed").splitlines()
    primary = analyze_text("\n".join(text[3:])).primary
    assert primary is not None and primary.category == "peer_unreachable"


# https://github.com/xelerance/Openswan/issues/70 (Openswan 2.6.32, the responder's log): Windows Server rekeys every
# few minutes; pluto says the Quick Mode it answers replaces the connection's IPsec SA.
OPENSWAN_RESPONDER_REKEY = """\
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #432: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY cipher=aes_256 prf=OAKLEY_SHA2_256 group=modp1024}
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #432: the peer proposed: 172.16.1.2/32:0/0 -> 172.16.33.2/32:0/0
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #433: responding to Quick Mode proposal {msgid:01000000}
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #433:     us: 172.16.1.2[+S=C]
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #433:   them: 172.16.33.2<172.16.33.2>[+S=C]
Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #433: keeping refhim=4294901761 during rekey
"""
# What Openswan logs next when the initiator's last Quick Mode message (QI2) never arrives: the responder's state
# waits in STATE_QUICK_R1 (Openswan's ikev1_quick.c state names and timer.c's timeout line).
QI2_NEVER_ARRIVES = (
    'Feb 26 06:31:45 <10.4> localhost pluto[2531]: "winserver1" #433: STATE_QUICK_R1: sent QR1, inbound IPsec SA '
    "installed, expecting QI2\n"
    'Feb 26 06:32:05 <10.4> localhost pluto[2531]: "winserver1" #433: STATE_QUICK_R1: retransmission; will wait 20s '
    "for response\n"
    'Feb 26 06:32:45 <10.4> localhost pluto[2531]: "winserver1" #433: max number of retransmissions (2) reached '
    "STATE_QUICK_R1\n"
)


def test_a_responders_quick_mode_that_replaces_an_ipsec_sa_is_no_problem_by_itself() -> None:
    assert analyze_text(OPENSWAN_RESPONDER_REKEY).primary is None


def test_a_responders_rekey_that_never_gets_qi2_is_a_rekey_problem_not_reachability() -> None:
    primary = analyze_text(OPENSWAN_RESPONDER_REKEY + QI2_NEVER_ARRIVES).primary
    assert primary is not None and primary.category == "rekey_issue"


def test_a_first_quick_mode_that_never_gets_qi2_names_no_cause() -> None:
    # Without the rekey: the peer sent QI1, so it is reachable; the timeout alone does not say why QI2 never came.
    text = "\n".join(OPENSWAN_RESPONDER_REKEY.splitlines()[2:5]) + "\n" + QI2_NEVER_ARRIVES
    assert analyze_text(text).primary is None


# charon as the responder of a Child SA rekey that carries a KE payload (PFS) its ESP proposals have no group for
# (charon's own messages: child_create.c, proposal.c; payload lists as its [ENC] lines print them).
CHARON_REFUSES_PFS_REKEY = """\
Nov 30 10:00:00 gw charon: 05[ENC] parsed CREATE_CHILD_SA request 5 [ N(REKEY_SA) SA No KE TSi TSr ]
Nov 30 10:00:00 gw charon: 05[CFG] received proposals: ESP:AES_CBC_256/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ
Nov 30 10:00:00 gw charon: 05[CFG] configured proposals: ESP:AES_CBC_256/HMAC_SHA2_256_128/NO_EXT_SEQ
Nov 30 10:00:00 gw charon: 05[IKE] no acceptable proposal found
Nov 30 10:00:00 gw charon: 05[IKE] failed to establish CHILD_SA, keeping IKE_SA
Nov 30 10:00:00 gw charon: 05[ENC] generating CREATE_CHILD_SA response 5 [ N(NO_PROP) ]
"""


def test_a_rekey_this_side_refuses_for_its_pfs_group_says_so() -> None:
    primary = analyze_text(CHARON_REFUSES_PFS_REKEY).primary
    assert primary is not None and primary.category == "rekey_issue"
    said = [str(r) for r in primary.reasoning]
    assert any("this side refused the peer's exchange" in r for r in said)
    assert any("DH group only: received MODP_2048, configured none" in r for r in said)
    # another algorithm differing too is no PFS-only difference
    other = CHARON_REFUSES_PFS_REKEY.replace("configured proposals: ESP:AES_CBC_256", "configured proposals: ESP:AES_CBC_128")
    assert not any("DH group only" in str(r) for r in analyze_text(other).primary.reasoning)


# Ubuntu Forums, "Site to Site Ipsec Openswan and Azure disconnecting every hour" (2014-05-13, archived in
# https://github.com/Ubuntu-Community-Team/Ubuntu-Forums-Archive): Openswan's replacement Quick Modes with an Azure
# gateway. Azure sets the commit bit; Openswan ignores its final HASH message and answers INVALID_PAYLOAD_TYPE, Azure
# deletes the SAs. The poster fixed it with Azure's lifetimes (ikelifetime=8h, keylife=1h).
OPENSWAN_AZURE_REPLACEMENTS = """\
May 13 15:06:46 ip-172-16-0-215 pluto[26141]: "amznazure/8x0" #172: received Delete SA payload: replace IPSEC State #181 in 10 seconds
May 13 15:06:46 ip-172-16-0-215 pluto[26141]: "amznazure/8x0" #172: received and ignored informational message
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: initiating Quick Mode PSK+ENCRYPT+TUNNEL+UP+IKEv2ALLOW+SAREFTRACK to replace #181 {using isakmp#172 msgid:fd85910c proposal=AES(12)_128-SHA1(2)_160 pfsgroup=no-pfs}
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: IKE message has the Commit Flag set but Pluto doesn't implement this feature; ignoring flag
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: ignoring informational payload, type IPSEC_RESPONDER_LIFETIME msgid=fd85910c
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: transition from state STATE_QUICK_I1 to state STATE_QUICK_I2
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x8e84d9d4 <0x36a23a30 xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=none}
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: IKE message has the Commit Flag set but Pluto doesn't implement this feature; ignoring flag
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: message ignored because it contains an unexpected payload type (ISAKMP_NEXT_HASH)
May 13 15:06:56 ip-172-16-0-215 pluto[26141]: "amznazure/2x0" #195: sending encrypted notification INVALID_PAYLOAD_TYPE to 137.117.216.139:4500
May 13 15:09:29 ip-172-16-0-215 pluto[26141]: "amznazure/8x0" #1: received Delete SA payload: deleting ISAKMP State #1
"""


def test_a_replacement_quick_mode_the_two_sides_parse_differently_is_a_rekey_problem() -> None:
    primary = analyze_text(OPENSWAN_AZURE_REPLACEMENTS).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert 10 in [f.line for f in primary.chain]  # the INVALID_PAYLOAD_TYPE sent in the replacement
    # The same refusal in a first Quick Mode (no SA replaced) is no rekey: it says nothing on its own.
    first = OPENSWAN_AZURE_REPLACEMENTS.replace(" to replace #181", "")
    first = "\n".join(first.splitlines()[2:-1]) + "\n"
    assert analyze_text(first).primary is None
