"""IKE major-version mismatches told by the order of events, and refusals of an exchange that replaces a Child SA.

Every log here is real pluto output from libreswan's test suite, at the tagged commit named above it (the
console output of one host, without the test's shell commands).
"""

from __future__ import annotations

from lab.analyzer import Primary, analyze_text
from lab.i18n import render

# https://github.com/libreswan/libreswan/blob/c00211359b44bf51a436a7189624843a7d14d4f1/testing/pluto/ikev2-01-fallback-ikev1/west-console.txt
# (v3.0). The responder does not speak IKEv2 and drops it; the initiator falls back to IKEv1, which the responder
# answers at once.
FALLBACK_AFTER_SILENCE = """\
002 "westnet--eastnet-ikev2" #1: initiating v2 parent SA
133 "westnet--eastnet-ikev2" #1: STATE_PARENT_I1: initiate
133 "westnet--eastnet-ikev2" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
031 "westnet--eastnet-ikev2" #1: max number of retransmissions (2) reached STATE_PARENT_I1.  No response (or no acceptable response) to our first IKE message
000 "westnet--eastnet-ikev2" #1: starting keying attempt 2 of at most 12
002 "westnet--eastnet-ikev2" #2: initiating v2 parent SA to replace #1
133 "westnet--eastnet-ikev2" #2: STATE_PARENT_I1: initiate, replacing #1
133 "westnet--eastnet-ikev2" #2: STATE_PARENT_I1: sent v2I1, expected v2R1
031 "westnet--eastnet-ikev2" #2: max number of retransmissions (2) reached STATE_PARENT_I1.  No response (or no acceptable response) to our first IKE message
000 "westnet--eastnet-ikev2" #2: starting keying attempt 3 of at most 12
000 "westnet--eastnet-ikev2" #2: next attempt will be IKEv1
002 "westnet--eastnet-ikev2" #3: initiating Main Mode to replace #2
104 "westnet--eastnet-ikev2" #3: STATE_MAIN_I1: initiate, replacing #2
003 "westnet--eastnet-ikev2" #3: received Vendor ID payload [Dead Peer Detection]
106 "westnet--eastnet-ikev2" #3: STATE_MAIN_I2: sent MI2, expecting MR2
108 "westnet--eastnet-ikev2" #3: STATE_MAIN_I3: sent MI3, expecting MR3
002 "westnet--eastnet-ikev2" #3: Main mode peer ID is ID_FQDN: '@east'
004 "westnet--eastnet-ikev2" #3: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG cipher=aes_128 prf=oakley_sha group=modp1536}
002 "westnet--eastnet-ikev2" #4: initiating Quick Mode RSASIG+ENCRYPT+TUNNEL+PFS+UP+IKEv2ALLOW+IKEv2Init
117 "westnet--eastnet-ikev2" #4: STATE_QUICK_I1: initiate
004 "westnet--eastnet-ikev2" #4: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode
"""

# https://github.com/libreswan/libreswan/blob/329edadae4ee8a13dcaeecda5465d2d4d703e94f/testing/pluto/ikev2-01-fallback-ikev1/west.console.txt
# (v3.20). The responder (ikev2=never) answers every IKE_SA_INIT with NO_PROPOSAL_CHOSEN; the status at the end
# shows the same connection's ISAKMP (IKEv1) SA established after the fallback.
FALLBACK_AFTER_REFUSAL = """\
002 "westnet-eastnet-ikev2-fallback" #1: initiating v2 parent SA
133 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: initiate
133 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
002 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored
010 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: retransmission; will wait 500ms for response
002 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored
010 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: retransmission; will wait 1000ms for response
002 "westnet-eastnet-ikev2-fallback" #1: STATE_PARENT_I1: received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored
031 "westnet-eastnet-ikev2-fallback" #1: max number of retransmissions (8) reached STATE_PARENT_I1.  No response (or no acceptable response) to our first IKEv2 message
000 "westnet-eastnet-ikev2-fallback" #1: starting keying attempt 2 of at most 12, but releasing whack
000 #3: "westnet-eastnet-ikev2-fallback":500 STATE_MAIN_I4 (ISAKMP SA established); EVENT_SA_REPLACE in  00s; newest ISAKMP; lastdpd=-1s(seq in:0 out:0); idle; import:admin initiate
"""

# https://github.com/libreswan/libreswan/blob/c00211359b44bf51a436a7189624843a7d14d4f1/testing/pluto/ikev2-07-biddown/west-console.txt
# (v3.0). A local packet filter drops the first IKEv2 packets; after the IKEv1 fallback the peer asks for IKEv2 and
# the IKEv2 SA comes up: the peer speaks IKEv2, so no version mismatch.
BID_DOWN_THEN_IKEV2 = """\
002 "westnet--eastnet-ikev2" #1: initiating v2 parent SA
133 "westnet--eastnet-ikev2" #1: STATE_PARENT_I1: initiate
003 ERROR: "westnet--eastnet-ikev2" #1: sendto on eth1 to 192.1.2.23:500 failed in ikev2_parent_outI1_common. Errno 1: Operation not permitted
133 "westnet--eastnet-ikev2" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
031 "westnet--eastnet-ikev2" #1: max number of retransmissions (2) reached STATE_PARENT_I1.  No response (or no acceptable response) to our first IKE message
000 "westnet--eastnet-ikev2" #2: next attempt will be IKEv1
002 "westnet--eastnet-ikev2" #3: initiating Main Mode to replace #2
104 "westnet--eastnet-ikev2" #3: STATE_MAIN_I1: initiate, replacing #2
106 "westnet--eastnet-ikev2" #3: STATE_MAIN_I2: sent MI2, expecting MR2
108 "westnet--eastnet-ikev2" #3: STATE_MAIN_I3: sent MI3, expecting MR3
003 "westnet--eastnet-ikev2" #3: received Vendor ID payload [CAN-IKEv2]
002 "westnet--eastnet-ikev2" #3: Bid-down to IKEv1 attack detected, attempting to rekey connection with IKEv2
004 "westnet--eastnet-ikev2" #3: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG cipher=aes_128 prf=oakley_sha group=modp1536}
002 "westnet--eastnet-ikev2" #4: initiating v2 parent SA to replace #3
133 "westnet--eastnet-ikev2" #4: STATE_PARENT_I1: initiate, replacing #3
133 "westnet--eastnet-ikev2" #4: STATE_PARENT_I1: sent v2I1, expected v2R1
134 "westnet--eastnet-ikev2" #5: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=aes_128 integ=sha1 prf=oakley_sha group=modp1536}
004 "westnet--eastnet-ikev2" #5: STATE_PARENT_I3: PARENT SA established tunnel mode
"""

# https://github.com/libreswan/libreswan/blob/960fdc2d5f17cd049a56c257b738bb964cea3eb5/testing/pluto/ikev1-policy-02-reject/west.console.txt
# (v4.15). An IKEv1 initiator; the responder rejects IKEv1 with an INVALID_MAJOR_VERSION notify.
IKEV1_REJECTED = """\
002 "ikev1" #1: initiating IKEv1 Main Mode connection
102 "ikev1" #1: sent Main Mode request
003 "ikev1" #1: ignoring informational payload INVALID_MAJOR_VERSION, msgid=00000000, length=12
003 "ikev1" #1: received and ignored notification payload: INVALID_MAJOR_VERSION
"""


def _primary(text: str) -> Primary:
    primary = analyze_text(text).primary
    assert primary is not None
    return primary


def test_an_ikev2_attempt_ignored_then_answered_in_ikev1_is_a_version_mismatch() -> None:
    primary = _primary(FALLBACK_AFTER_SILENCE)
    assert primary.category == "ike_version_mismatch"
    assert primary.facts["ike_refused"] == "IKEv2" and primary.facts["ike_answered"] == "IKEv1"
    assert 18 in primary.evidence_lines  # STATE_MAIN_I4: the peer answered IKEv1
    text = " ".join(render(r, "en") for r in primary.reasoning)
    assert "speaks only IKEv1" in text and "fix may already be in" not in text
    assert any("IKEv1만 사용합니다" in render(r, "ko") for r in primary.reasoning)


def test_an_ikev2_attempt_refused_then_an_ikev1_sa_is_a_version_mismatch_not_a_proposal_mismatch() -> None:
    primary = _primary(FALLBACK_AFTER_REFUSAL)
    assert primary.category == "ike_version_mismatch"
    assert primary.facts["notify"] == "NO_PROPOSAL_CHOSEN"
    assert {f.category for f in primary.chain} == {"ike_version_mismatch"}


def test_the_same_refusals_without_the_ikev1_sa_stay_a_proposal_refusal() -> None:
    # Without the fallback's answer nothing says the peer speaks IKEv1: a responder refusing the proposals says the same.
    text = FALLBACK_AFTER_REFUSAL.rsplit("\n", 2)[0]
    assert _primary(text).category == "phase1_proposal_mismatch"


def test_an_ikev2_sa_after_the_fallback_means_the_peer_speaks_ikev2() -> None:
    # the first attempts got no answer, then the tunnel came up: a recovery, and no version mismatch
    analysis = analyze_text(BID_DOWN_THEN_IKEV2)
    assert analysis.primary is None
    assert any("the first attempt got no answer" in str(n) for n in analysis.notes)


def test_plain_silence_is_not_a_version_mismatch() -> None:
    # The IKEv2 attempts of the first log alone: nothing was answered, in any version.
    text = "\n".join(FALLBACK_AFTER_SILENCE.splitlines()[:9])
    assert _primary(text).category == "peer_unreachable"


def test_silence_up_to_the_fallback_names_the_other_version_as_the_other_suspect() -> None:
    # The first log cut where pluto starts IKEv1 (line 12, "initiating Main Mode to replace #2", and its first
    # state): the IKEv2 silence is still the reading, and the reasoning says what the IKEv1 attempt will tell.
    lines = FALLBACK_AFTER_SILENCE.splitlines()
    primary = _primary("\n".join(lines[:13]))
    assert primary.category == "peer_unreachable"
    text = " ".join(render(r, "en") for r in primary.reasoning)
    assert "Line 12: this side then tries IKEv1 for the same connection" in text
    assert "drops IKEv2 requests without any reply" in text
    assert any("12번째 줄: 이쪽이 같은 연결을 이어서 IKEv1(으)로 시도" in render(r, "ko") for r in primary.reasoning)
    # The IKEv1 attempt left unanswered too: silence to both versions, nothing more to suspect.
    unanswered = lines[:13] + [
        '031 "westnet--eastnet-ikev2" #3: max number of retransmissions (2) reached STATE_MAIN_I1.  No response (or no '
        'acceptable response) to our first IKEv1 message']
    primary = _primary("\n".join(unanswered))
    assert primary.category == "peer_unreachable"
    assert "this side then tries" not in " ".join(render(r, "en") for r in primary.reasoning)


def test_an_ikev1_request_answered_with_invalid_major_version_is_a_version_mismatch() -> None:
    assert _primary(IKEV1_REJECTED).category == "ike_version_mismatch"


def test_the_settings_listing_that_names_ikev1_policy_is_not_a_refusal() -> None:
    # https://github.com/libreswan/libreswan/blob/5eb03b7772b312e705feab9ad5868678a3c007e6/testing/pluto/ikev2-29-no-rekey/west.console.txt
    # (v5.4): `ipsec status` prints the global settings; IKEv2 works in this test.
    text = (
        '"westnet-eastnet-ikev2": added oriented IKEv2 connection\n'
        "ddos-cookies-threshold=25000, ddos-max-halfopen=50000, ddos-mode=auto, ikev1-policy=drop\n"
    )
    assert analyze_text(text).primary is None


# https://github.com/libreswan/libreswan/blob/960fdc2d5f17cd049a56c257b738bb964cea3eb5/testing/pluto/ikev2-child-rekey-10-impair-rekey-initiate-subnet/road.console.txt
# (v4.15): the Child SA is up; its rekey, sent with a different subnet, is refused with TS_UNACCEPTABLE (pluto's
# debug log names only the notify).
CHILD_REKEY_TS_REFUSED = "\n".join([
    '003 "road-east-x509-ipv4"[1] 192.1.2.23 #1: initiator established IKE SA; authenticated peer \'3nnn-bit RSASSA-PSS with SHA2_512\' digital signature using peer certificate \'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=east.testing.libreswan.org, E=user-east@testing.libreswan.org\' issued by CA \'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=Libreswan test CA for mainca, E=testing@libreswan.org\'',
    '002 "road-east-x509-ipv4"[1] 192.1.2.23 #2: received INTERNAL_IP4_ADDRESS 192.0.2.100',
    '004 "road-east-x509-ipv4"[1] 192.1.2.23 #2: initiator established Child SA using #1; IPsec tunnel [192.0.2.100-192.0.2.100:0-65535 0] -> [0.0.0.0-255.255.255.255:0-65535 0] {ESPinUDP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATD=192.1.2.23:4500 DPD=passive}',
    '|    Notify Message Type: v2N_TS_UNACCEPTABLE (0x26)',
]) + "\n"

# https://github.com/libreswan/libreswan/blob/a0d37f5f94d2a3e94a2dd11660ea0c4e10f7ce01/testing/pluto/ikev2-child-restart-mismatch/west.console.txt
# (v3.32): one connection's Child SA is up; two other connections ask for new Child SAs over the same IKE SA with
# selectors the peer does not have.
NEW_CHILD_TS_REFUSED = """\
003 "westnet-eastnet-ikev2a" #2: Authenticated using authby=secret
002 "westnet-eastnet-ikev2a" #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]
004 "westnet-eastnet-ikev2a" #2: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}
003 "westnet-eastnet-ikev2b" #3: dropping unexpected ISAKMP_v2_CREATE_CHILD_SA message containing v2N_TS_UNACCEPTABLE notification; message payloads: SK; encrypted payloads: N; missing payloads: SA,Ni,TSi,TSr
036 "westnet-eastnet-ikev2b" #3: encountered fatal error in state STATE_V2_CREATE_I
"""


def test_a_selector_refusal_after_the_child_sa_is_up_fails_its_rekey() -> None:
    primary = _primary(CHILD_REKEY_TS_REFUSED)
    assert primary.category == "rekey_issue"
    assert primary.evidence_lines == (4,)
    assert any("TS_UNACCEPTABLE" in render(r, "en") for r in primary.reasoning)


def test_a_selector_refusal_of_another_connections_new_child_sa_stays_a_selector_mismatch() -> None:
    assert _primary(NEW_CHILD_TS_REFUSED).category == "traffic_selector_mismatch"


# Each side of libreswan's version tests at several tags: the side that says it refuses the other version, or the
# side that receives INVALID_MAJOR_VERSION. https://github.com/libreswan/libreswan/blob/<commit>/testing/pluto/<test>/<host>.console.txt
VERSION_EXCERPTS = {
    # a0d37f5f94d2a3e94a2dd11660ea0c4e10f7ce01 (v3.32) ikev2-major-version-initiator/west
    "v3.32 initiator": """\
1v2 "westnet-eastnet-ikev2-major" #1: initiating IKEv2 IKE SA
1v2 "westnet-eastnet-ikev2-major" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
002 "westnet-eastnet-ikev2-major" #1: STATE_PARENT_I1: received unauthenticated v2N_INVALID_MAJOR_VERSION - ignored
002 "westnet-eastnet-ikev2-major" #1: deleting state (STATE_PARENT_I1) and NOT sending notification
""",
    # 960fdc2d5f17cd049a56c257b738bb964cea3eb5 (v4.15) ikev2-major-version-initiator/west
    "v4.15 initiator": """\
1v2 "westnet-eastnet-ikev2-major" #1: initiating IKEv2 connection
1v2 "westnet-eastnet-ikev2-major" #1: sent IKE_SA_INIT request to 192.1.2.23:500
003 "westnet-eastnet-ikev2-major" #1: dropping unexpected IKE_SA_INIT message containing INVALID_MAJOR_VERSION notification; message payloads: N; missing payloads: SA,KE,Ni
002 "westnet-eastnet-ikev2-major" #1: deleting state (STATE_V2_PARENT_I1) and NOT sending notification
""",
    # 0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f (main) ikev2-major-version-initiator/west
    "main initiator": """\
"westnet-eastnet-ikev2-major" #1: initiating IKEv2 connection to 192.1.2.23 using UDP
"westnet-eastnet-ikev2-major" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"westnet-eastnet-ikev2-major" #1: ignoring IKE_SA_INIT response containing INVALID_MAJOR_VERSION notification (Message ID 0; message payloads N, missing SA,KE,Ni)
"westnet-eastnet-ikev2-major" #1: deleting IKE SA (sent IKE_SA_INIT request)
""",
    # 960fdc2d5f17cd049a56c257b738bb964cea3eb5 (v4.15) ikev1-policy-01-drop/east: IKEv2 only, IKEv1 dropped
    "v4.15 IKEv2-only responder": """\
000 ddos-cookies-threshold=25000, ddos-max-halfopen=50000, ddos-mode=auto, ikev1-policy=drop
036 "ikev1": failed to add IKEv1 connection: global ikev1-policy does not allow IKEv1 connections
packet from 192.1.2.45:500: ignoring IKEv1 packet as policy is set to silently drop all IKEv1 packets
""",
    # 5eb03b7772b312e705feab9ad5868678a3c007e6 (v5.4) ikev1-policy-02-reject/east: IKEv2 only, IKEv1 rejected
    "v5.4 IKEv2-only responder": """\
ddos-cookies-threshold=25000, ddos-max-halfopen=50000, ddos-mode=auto, ikev1-policy=reject
"ikev1": failed to add connection: global ikev1-policy=reject does not allow IKEv1 connections
packet from 192.1.2.45:500: sending notification INVALID_MAJOR_VERSION to 192.1.2.45:500
""",
    # 5eb03b7772b312e705feab9ad5868678a3c007e6 (v5.4) ikev1-policy-02-reject/west: the IKEv1 initiator
    "v5.4 IKEv1 initiator": """\
"ikev1": added oriented IKEv1 connection
"ikev1" #1: initiating IKEv1 Main Mode connection
"ikev1" #1: sent Main Mode request
"ikev1" #1: ignoring unsecured informational payload INVALID_MAJOR_VERSION, length=12
"ikev1" #1: deleting ISAKMP SA (MAIN_I1) and NOT sending notification
""",
}


def test_every_side_that_sees_the_other_version_refused_names_a_version_mismatch() -> None:
    verdicts = {name: getattr(analyze_text(text).primary, "category", None) for name, text in VERSION_EXCERPTS.items()}
    assert verdicts == dict.fromkeys(VERSION_EXCERPTS, "ike_version_mismatch")


def test_the_initiator_an_ikev2_only_peer_drops_sees_only_silence() -> None:
    # 960fdc2d5f17cd049a56c257b738bb964cea3eb5 (v4.15) ikev1-policy-01-drop/west: nothing answers, so nothing says
    # which version the peer speaks; the reasoning mentions the possibility.
    text = """\
002 "ikev1": added IKEv1 connection
002 "ikev1" #1: initiating IKEv1 Main Mode connection
1v1 "ikev1" #1: sent Main Mode request
002 "ikev1" #1: IMPAIR: retransmit so deleting SA
002 "ikev1" #1: deleting state (STATE_MAIN_I1) and NOT sending notification
"""
    primary = analyze_text(text).primary
    assert primary is None or primary.category != "ike_version_mismatch"


# https://github.com/libreswan/libreswan/tree/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/ikev2-12-x509-ikev1
# (west.console.txt then east.console.txt, the shell commands left out): west adds the connection as IKEv1, east as
# IKEv2 only; west's Main Mode goes unanswered.
BOTH_SIDES_V1_AGAINST_V2 = """\
"westnet-eastnet-ikev2": added oriented IKEv1 connection
"westnet-eastnet-ikev2": 192.0.1.0/24===192.1.2.45[%fromcert]...192.1.2.23[%fromcert]===192.0.2.0/24; unrouted; my_ip=unset; their_ip=unset;
"westnet-eastnet-ikev2" #1: initiating IKEv1 Main Mode connection
"westnet-eastnet-ikev2" #1: sent Main Mode request
"westnet-eastnet-ikev2" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response
"westnet-eastnet-ikev2" #1: STATE_MAIN_I1: retransmission; will wait 1 second for response
"westnet-eastnet-ikev2" #1: STATE_MAIN_I1: 30 second timeout exceeded after 6 retransmits.  No response (or no acceptable response) to our first IKEv1 message
"westnet-eastnet-ikev2" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"westnet-eastnet-ikev2" #1: deleting ISAKMP SA (MAIN_I1) and NOT sending notification
"westnet-eastnet-ikev2": added oriented IKEv2 connection
"westnet-eastnet-ikev2": 192.0.2.0/24===192.1.2.23[%fromcert]...192.1.2.45[%fromcert]===192.0.1.0/24; unrouted; my_ip=unset; their_ip=unset;
"""


def test_both_sides_pasted_show_the_connection_added_with_different_ike_versions() -> None:
    primary = analyze_text(BOTH_SIDES_V1_AGAINST_V2).primary
    assert primary is not None and primary.category == "ike_version_mismatch"
    assert (primary.facts["ike_sent"], primary.facts["peer_conn_version"]) == ("IKEv1", "IKEv2")
    assert "conn_versions" not in primary.facts  # that fact is about this side's connections
    assert 10 in [e.line for e in primary.chain]  # the other side's line the reasoning relies on is shown
    assert "Line 10: the other side's log (pasted too) adds the same connection as IKEv2" in render(
        primary.reasoning[1], "en")
    # West's log alone: silence, which says nothing about the version.
    west = "\n".join(BOTH_SIDES_V1_AGAINST_V2.splitlines()[:9]) + "\n"
    assert analyze_text(west).primary.category == "peer_unreachable"
    # Another connection of the other version says nothing about this one.
    other = BOTH_SIDES_V1_AGAINST_V2.replace('"westnet-eastnet-ikev2": added oriented IKEv2', '"road": added oriented IKEv2')
    assert analyze_text(other).primary.category == "peer_unreachable"


# charon's own message formats (src/libcharon/encoding/message.c exchange names, notify_payload.c short notify names,
# ike_sa.c / ike_init.c lines at https://github.com/strongswan/strongswan/tree/3b902ea59b86a8ac097e27a34db85feb877a00f9):
# no public log of these paths was found, so the lines are written in charon's exact format.
CHARON = "Nov 30 01:00:00 gw charon: "


def _charon(*lines: str) -> str:
    return "".join(CHARON + line + "\n" for line in lines)


def test_an_ikev1_notify_in_answer_to_ike_sa_init_is_a_version_mismatch() -> None:
    primary = _primary(_charon(
        "09[IKE] <aws|1> initiating IKE_SA aws[1] to 203.0.113.5",
        "09[ENC] <aws|1> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]",
        "10[NET] <aws|1> received packet: from 203.0.113.5[500] to 198.51.100.10[500] (40 bytes)",
        "10[ENC] <aws|1> parsed INFORMATIONAL_V1 request 0 [ N(NO_PROP) ]",
    ))
    assert primary.category == "ike_version_mismatch"
    assert (primary.facts["ike_sent"], primary.facts["ike_answered"]) == ("IKEv2", "IKEv1")
    assert any("IKEv1" in render(r, "en") and "speaks only" in render(r, "en") for r in primary.reasoning)


def test_an_ikev2_answer_to_main_mode_is_a_version_mismatch() -> None:
    primary = _primary(_charon(
        "09[IKE] <aws|1> initiating Main Mode IKE_SA aws[1] to 203.0.113.5",
        "09[ENC] <aws|1> generating ID_PROT request 0 [ SA V V V V V ]",
        "10[ENC] <aws|1> parsed INFORMATIONAL response 0 [ N(INVAL_MAJOR) ]",
    ))
    assert primary.category == "ike_version_mismatch"
    assert (primary.facts["ike_sent"], primary.facts["ike_answered"]) == ("IKEv1", "IKEv2")


def test_an_answer_of_the_same_version_is_no_version_mismatch() -> None:
    primary = _primary(_charon(
        "09[IKE] <aws|1> initiating IKE_SA aws[1] to 203.0.113.5",
        "09[ENC] <aws|1> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]",
        "10[ENC] <aws|1> parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]",
    ))
    assert primary.category == "phase1_proposal_mismatch"


def test_another_connections_ikev1_message_is_not_an_answer() -> None:
    text = _charon(
        "09[IKE] <aws|1> initiating IKE_SA aws[1] to 203.0.113.5",
        "09[ENC] <aws|1> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]",
        "10[ENC] <legacy|2> parsed INFORMATIONAL_V1 request 3112457373 [ HASH N(DPD) ]",
    )
    primary = analyze_text(text).primary
    assert primary is None or primary.category != "ike_version_mismatch"


def test_two_tunnels_of_one_daemon_in_different_versions_are_no_fallback() -> None:
    # charon without the `<conn|N>` prefix: tunnel a (IKEv2) gets no answer while tunnel b (IKEv1) comes up and
    # answers a liveness check. Neither the IKEv1 DPD nor b's Main Mode answers a's IKE_SA_INIT.
    primary = _primary(_charon(
        "09[IKE] initiating IKE_SA a[1] to 203.0.113.5",
        "09[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]",
        "13[ENC] parsed INFORMATIONAL_V1 request 3112457373 [ HASH N(DPD) ]",
        "11[IKE] retransmit 1 of request with message ID 0",
        "10[IKE] initiating Main Mode IKE_SA b[2] to 198.51.100.9",
        "10[ENC] generating ID_PROT request 0 [ SA V V V V V ]",
        "12[ENC] parsed ID_PROT response 0 [ SA V V ]",
        "12[IKE] IKE_SA b[2] established between 198.51.100.10[198.51.100.10]...198.51.100.9[198.51.100.9]",
        "11[IKE] giving up after 5 retransmits",
        "11[IKE] establishing IKE_SA failed, peer not responding",
    ))
    assert primary.category == "peer_unreachable"


def test_an_ike_sa_init_refused_with_no_proposal_chosen_also_suggests_a_missing_ikev2_connection() -> None:
    # libreswan 3.x answers NO_PROPOSAL_CHOSEN when it finds no IKEv2 connection for the peer (connections.c,
    # ikev2_find_host_connection, v3.27), strongSwan when it finds no IKE config: the category stays phase 1, the
    # reasoning names the other possibility. The side that refuses is told nothing of the kind.
    from lab.analyzer import analyze_text

    initiator = ('"west" #1: initiating IKEv2 connection\n"west" #1: sent IKE_SA_INIT request to 192.1.2.23:500\n'
                 '"west" #1: IKE_SA_INIT response contained the error notification NO_PROPOSAL_CHOSEN')
    primary = analyze_text(initiator).primary
    assert primary.category == "phase1_proposal_mismatch"
    assert any("no IKEv2 connection" in r for r in primary.reasoning_in("en"))
    responder = ("charon: 06[IKE] no acceptable proposal found\n"
                 "charon: 06[ENC] generating IKE_SA_INIT response 0 [ N(NO_PROP) ]")
    assert not any("no IKEv2 connection" in r for r in analyze_text(responder).primary.reasoning_in("en"))


# tests/data/strongswan-lab/v1v2/R.log (charon 5.9.8, IKEv2-only responder, IKEv1 initiator), with the responder's
# `ipsec statusall` connection listing pasted after it (stroke_list.c) or `swanctl --list-conns` (list_conns.c).
_CHARON_V1_REFUSED = (
    "Nov 30 15:04:26 15[ENC] <1> parsed ID_PROT request 0 [ SA V V V V V ]\n"
    "Nov 30 15:04:26 15[IKE] <1> no IKE config found for 192.0.2.2...192.0.2.1, sending NO_PROPOSAL_CHOSEN\n"
    "Nov 30 15:04:26 15[ENC] <1> generating INFORMATIONAL_V1 request 1465900044 [ N(NO_PROP) ]\n"
)


def test_charons_refusal_with_its_connections_listed_in_the_other_version_is_a_version_mismatch() -> None:
    statusall = "Connections:\n          gw:  192.0.2.2...192.0.2.1  IKEv2, dpddelay=30s\n"
    primary = analyze_text(_CHARON_V1_REFUSED + statusall).primary
    assert primary is not None and primary.category == "ike_version_mismatch"
    assert primary.facts["ike_requested"] == "IKEv1" and primary.facts["conn_versions"] == "IKEv2"
    swanctl = "gw: IKEv2, no reauthentication, rekeying every 14400s\n"
    assert analyze_text(swanctl + _CHARON_V1_REFUSED).primary.category == "ike_version_mismatch"


def test_charons_refusal_without_a_listing_or_with_a_connection_of_that_version_names_the_addresses() -> None:
    # Without the listing, or with a connection that allows IKEv1: the addresses are the suspect (auth_failure with
    # the requested version named).
    assert analyze_text(_CHARON_V1_REFUSED).primary.category == "auth_failure"
    either = "          gw:  192.0.2.2...192.0.2.1  IKEv1/2, dpddelay=30s\n"
    assert analyze_text(_CHARON_V1_REFUSED + either).primary.category == "auth_failure"
    v1 = "          gw:  198.51.100.2...198.51.100.1  IKEv1, dpddelay=30s\n"
    assert analyze_text(_CHARON_V1_REFUSED + v1).primary.category == "auth_failure"


# tests/data/strongswan-lab/v1v2-both-initiate/R.log: the IKEv2-only side refuses the peer's Main Mode, then sends
# its own IKE_SA_INIT to the same address.
_CHARON_V1_REFUSED_V2_SENT = (
    "Dec  3 08:20:41 16[NET] <1> received packet: from 192.0.2.1[500] to 192.0.2.2[500] (180 bytes)\n"
    "Dec  3 08:20:41 16[ENC] <1> parsed ID_PROT request 0 [ SA V V V V V ]\n"
    "Dec  3 08:20:41 16[IKE] <1> no IKE config found for 192.0.2.2...192.0.2.1, sending NO_PROPOSAL_CHOSEN\n"
    "Dec  3 08:20:41 16[ENC] <1> generating INFORMATIONAL_V1 request 4244581461 [ N(NO_PROP) ]\n"
    "Dec  3 08:20:43 15[IKE] <gw|2> initiating IKE_SA gw[2] to 192.0.2.1\n"
    "Dec  3 08:20:43 15[ENC] <gw|2> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]\n"
    "Dec  3 08:20:43 13[ENC] <gw|2> parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]\n"
)


def test_charons_refusal_while_it_sends_the_other_version_to_the_same_address_is_a_version_mismatch() -> None:
    primary = analyze_text(_CHARON_V1_REFUSED_V2_SENT).primary
    assert primary is not None and primary.category == "ike_version_mismatch"
    assert primary.facts["ike_requested"] == "IKEv1" and primary.facts["ike_sent"] == "IKEv2"
    assert "only not for IKEv1" in " ".join(render(m, "en") for m in primary.reasoning)
    # Its own requests to another address say nothing about this peer's connection: the addresses stay the suspect.
    other = _CHARON_V1_REFUSED_V2_SENT.replace("IKE_SA gw[2] to 192.0.2.1", "IKE_SA gw[2] to 192.0.2.9")
    assert analyze_text(other).primary.category == "auth_failure"
    # Nor do its own requests of the same version the peer asked for.
    same = _CHARON_V1_REFUSED_V2_SENT.replace("parsed ID_PROT request 0 [ SA V V V V V ]",
                                              "parsed IKE_SA_INIT request 0 [ SA KE No ]")
    assert analyze_text(same).primary.category != "ike_version_mismatch"


# libreswan 4.10's pluto (Debian 12) set to IKEv1 only, run by tests/data/strongswan-lab/generate/run.py against a
# pluto set to IKEv2 only, both initiating; the paste starts after the "added IKEv1 connection" line.
_PLUTO_V2_REFUSED_V1_SENT = (
    'Dec  3 08:22:59.600789: packet from 192.0.2.1:500: ISAKMP_v2_IKE_SA_INIT message received on 192.0.2.2:500 but no suitable connection found with IKEv2 policy\n'
    'Dec  3 08:22:59.600799: packet from 192.0.2.1:500: responding to IKE_SA_INIT (34) message (Message ID 0) with unencrypted notification NO_PROPOSAL_CHOSEN\n'
    'Dec  3 08:23:00.097608: packet from 192.0.2.1:500: ISAKMP_v2_IKE_SA_INIT message received on 192.0.2.2:500 but no suitable connection found with IKEv2 policy\n'
    'Dec  3 08:23:00.097624: packet from 192.0.2.1:500: responding to IKE_SA_INIT (34) message (Message ID 0) with unencrypted notification NO_PROPOSAL_CHOSEN\n'
    'Dec  3 08:23:00.598559: packet from 192.0.2.1:500: ISAKMP_v2_IKE_SA_INIT message received on 192.0.2.2:500 but no suitable connection found with IKEv2 policy\n'
    'Dec  3 08:23:00.598573: packet from 192.0.2.1:500: responding to IKE_SA_INIT (34) message (Message ID 0) with unencrypted notification NO_PROPOSAL_CHOSEN\n'
    'Dec  3 08:23:01.599691: packet from 192.0.2.1:500: ISAKMP_v2_IKE_SA_INIT message received on 192.0.2.2:500 but no suitable connection found with IKEv2 policy\n'
    'Dec  3 08:23:01.599707: packet from 192.0.2.1:500: responding to IKE_SA_INIT (34) message (Message ID 0) with unencrypted notification NO_PROPOSAL_CHOSEN\n'
    'Dec  3 08:23:01.601351: "gw" #1: initiating IKEv1 Main Mode connection\n'
    'Dec  3 08:23:01.601486: "gw" #1: sent Main Mode request\n'
    'Dec  3 08:23:02.102086: "gw" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response\n'
    'Dec  3 08:23:02.602875: "gw" #1: STATE_MAIN_I1: retransmission; will wait 1 seconds for response\n'
    'Dec  3 08:23:03.596335: packet from 192.0.2.1:500: ISAKMP_v2_IKE_SA_INIT message received on 192.0.2.2:500 but no suitable connection found with IKEv2 policy\n'
)


def test_plutos_refusal_while_it_sends_the_other_version_is_a_version_mismatch() -> None:
    primary = analyze_text(_PLUTO_V2_REFUSED_V1_SENT).primary
    assert primary is not None and primary.category == "ike_version_mismatch"
    assert primary.facts["ike_requested"] == "IKEv2" and primary.facts["ike_sent"] == "IKEv1"
    # Without its own requests the refusal is pluto's reading alone: no version of this side's to name.
    alone = "".join(line + "\n" for line in _PLUTO_V2_REFUSED_V1_SENT.splitlines() if '"gw"' not in line)
    primary = analyze_text(alone).primary
    assert primary.category == "ike_version_mismatch" and "ike_sent" not in primary.facts


def test_plutos_status_listing_names_the_versions_of_its_connections() -> None:
    # libreswan 4/5 list a connection's policy with its version first ("IKEv1+..."), 3.x with IKEVn_ALLOW
    # (whack_connectionstatus.c); the refusal names the version requested (ikev2_ike_sa_init.c).
    refusal = ("packet from 192.1.2.45:500: dropping IKE_SA_INIT request from 192.1.2.45:500 received on "
               "192.1.2.23:500, no suitable connection found with IKEv2 policy\n")
    for listing in ('"westnet-eastnet":   policy: IKEv1+PSK+ENCRYPT+TUNNEL+PFS+IKE_FRAG_ALLOW+ESN_NO\n',
                    '000 "westnet-eastnet":   policy: RSASIG+ENCRYPT+TUNNEL+PFS+IKEV1_ALLOW+SAREF_TRACK+ESN_NO\n'):
        primary = analyze_text(refusal + listing).primary
        assert primary is not None and primary.category == "ike_version_mismatch", listing
        assert primary.facts["conn_versions"] == "IKEv1" and primary.facts["ike_requested"] == "IKEv2", listing


def test_a_proposal_refused_when_the_connection_loads_is_the_cause_not_the_silence() -> None:
    # libreswan 3.x's fips-03-ikev1-md5 (https://github.com/libreswan/libreswan/tree/
    # 329edadae4ee8a13dcaeecda5465d2d4d703e94f/testing/pluto/fips-03-ikev1-md5): east in FIPS mode cannot load the
    # MD5 proposal, west's Main Mode then gets no answer.
    log = (
        '003 PRF algorithm MD5=1 is not supported\n'
        '003 got 0 transforms for ike="aes-md5"\n'
        '002 "westnet-eastnet-md5" #1: initiating Main Mode\n'
        '104 "westnet-eastnet-md5" #1: STATE_MAIN_I1: initiate\n'
        '031 "westnet-eastnet-md5" #1: max number of retransmissions (0) reached STATE_MAIN_I1.  No response (or no '
        'acceptable response) to our first IKEv1 message\n'
    )
    primary = analyze_text(log).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    text = " ".join(primary.reasoning_in("en"))
    assert "refused the connection's own proposal" in text and "the peer answered" not in text


def test_this_sides_request_for_another_dh_group_is_a_guess_until_the_peer_fails_to_retry() -> None:
    # charon (src/libcharon/sa/ikev2/tasks/ike_init.c): the responder asks for its own group with INVALID_KE_PAYLOAD;
    # RFC 7296 section 1.2: the initiator starts again with that group.
    ask = "Dec  1 10:00:01 gw charon: 14[IKE] key exchange method ECP_256 unacceptable, requesting MODP_2048\n"
    primary = analyze_text(ask).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch" and primary.certainty == "guess"
    assert "normal first round" in " ".join(primary.reasoning_in("en"))
    up = ("Dec  1 10:00:02 gw charon: 15[IKE] IKE_SA aws[1] established between 198.51.100.1[198.51.100.1]..."
          "203.0.113.9[203.0.113.9]\n")
    assert analyze_text(ask + up).primary is None


# pluto 4.x/5.x looks an IKEv1 Main Mode request up among its IKEv1 connections only
# (https://github.com/libreswan/libreswan/blob/v5.3.2/programs/pluto/ikev1_host_pair.c, line 368): with every
# connection the log shows added as IKEv2, its refusal is the versions differing, not the authentication method.
_MAIN_MODE_TO_IKEV2_ONLY = (
    'Dec  6 09:14:02 gw-east pluto[2841]: "site-b": added IKEv2 connection\n'
    "Dec  6 09:14:03 gw-east pluto[2841]: packet from 198.51.100.20:500: initial Main Mode message received but no "
    "connection has been authorized with authby=PSK and xauth=no\n"
)


def test_plutos_main_mode_refusal_with_only_ikev2_connections_is_a_version_mismatch() -> None:
    primary = analyze_text(_MAIN_MODE_TO_IKEV2_ONLY).primary
    assert primary is not None and primary.category == "ike_version_mismatch"
    assert primary.facts["ike_requested"] == "IKEv1" and primary.facts["conn_versions"] == "IKEv2"
    # An IKEv1 connection loaded beside it, or no connection line at all: the method or the address may differ.
    v1_too = _MAIN_MODE_TO_IKEV2_ONLY.replace('"site-b": added IKEv2', '"site-a": added IKEv1 connection\n'
                                              'Dec  6 09:14:02 gw-east pluto[2841]: "site-b": added IKEv2')
    for log in (v1_too, _MAIN_MODE_TO_IKEV2_ONLY.split("\n", 1)[1]):
        primary = analyze_text(log).primary
        assert primary is not None and primary.category == "auth_failure"
