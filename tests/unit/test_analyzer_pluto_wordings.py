"""pluto's wording in every major version: Openswan 2.6, libreswan 3.x, 4.x and 5.x.

Each log is written in the daemon's exact format from its message strings (the source file at the
named tag or commit), with real-looking values; the same log is read with and without a syslog or
timestamp prefix, and in a web GUI's newest-first order when its lines carry timestamps.
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.protocol import classify, exchange_name, order_votes, put_in_order
from lab.analyzer.scan import Scanner
from lab.masking import mask_secrets

PREFIXES = {
    "none": lambda i: "",
    "syslog": lambda i: f"Nov 29 10:{i // 60:02d}:{i % 60:02d} gw1 pluto[2211]: ",
    "timestamp": lambda i: f"Nov 29 10:{i // 60:02d}:{i % 60:02d}.{i * 1371 % 1000000:06d}: ",
    "journal": lambda i: f"2026-11-29T10:{i // 60:02d}:{i % 60:02d}.123456+00:00 gw1 pluto[2211]: ",
    "whack": lambda i: "002 ",
}


def _render(body: str, prefix: str, newest_first: bool = False) -> str:
    lines = [PREFIXES[prefix](i * 3) + line for i, line in enumerate(body.strip().splitlines())]
    return "\n".join(reversed(lines) if newest_first else lines) + "\n"


# Openswan 2.6: programs/pluto/ikev1_quick.c ("initiating Quick Mode %s%s {using isakmp#%lu msgid:%08x
# proposal=%s pfsgroup=%s}", " to replace #%lu") and timer.c ("max number of retransmissions (%d) reached
# %s%s", ".  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal").
OPENSWAN_QUICK_MODE_REKEY_UNANSWERED = """\
"aws-vpn-1" #19: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY cipher=aes_128 prf=oakley_sha group=modp1024}
"aws-vpn-1" #20: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x7f3c1a22 <0x2d9e4b10 xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=enabled}
"aws-vpn-1" #21: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK to replace #20 {using isakmp#19 msgid:5e7ac0de proposal=AES(12)_128-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}
"aws-vpn-1" #21: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal
"""
# Openswan 2.6: programs/pluto/ikev1.c "ignoring informational payload, type %s msgid=%08x".
OPENSWAN_QUICK_MODE_REKEY_REFUSED = """\
"aws-vpn-1" #20: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x7f3c1a22 <0x2d9e4b10 xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=enabled}
"aws-vpn-1" #21: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK to replace #20 {using isakmp#19 msgid:5e7ac0de proposal=AES(12)_128-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}
"aws-vpn-1" #19: ignoring informational payload, type NO_PROPOSAL_CHOSEN msgid=00000000
"aws-vpn-1" #21: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable response to our first Quick Mode message: perhaps peer likes no proposal
"""
# libreswan 3.x IKEv2 (v3.27 programs/pluto/ikev2_parent.c, timer.c): the Child SA rekey runs in state
# STATE_V2_REKEY_CHILD_I, the IKE SA rekey in STATE_V2_REKEY_IKE_I; "%s: retransmission; will wait %s
# seconds for response", "%s: %ld second timeout exceeded after %lu retransmits.  No response (or no
# acceptable response) to our IKEv2 message".
LIBRESWAN3_CHILD_REKEY_UNANSWERED = """\
"aws-vpn-1" #2: STATE_PARENT_I3: PARENT SA established tunnel mode {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #3: STATE_V2_REKEY_CHILD_I: retransmission; will wait 0.5 seconds for response
"aws-vpn-1" #3: STATE_V2_REKEY_CHILD_I: retransmission; will wait 1 seconds for response
"aws-vpn-1" #3: STATE_V2_REKEY_CHILD_I: 60 second timeout exceeded after 7 retransmits.  No response (or no acceptable response) to our IKEv2 message
"""
LIBRESWAN3_IKE_REKEY_UNANSWERED = """\
"aws-vpn-1" #2: STATE_PARENT_I3: PARENT SA established tunnel mode {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #4: STATE_V2_REKEY_IKE_I: retransmission; will wait 0.5 seconds for response
"aws-vpn-1" #4: STATE_V2_REKEY_IKE_I: 60 second timeout exceeded after 7 retransmits.  No response (or no acceptable response) to our IKEv2 message
"""
# libreswan 3.x ikev2.c: "dropping unexpected %s message containing %s notification; message payloads:
# ...; encrypted payloads: ...; missing payloads: ..." for the peer's refusal of the rekey.
LIBRESWAN3_CHILD_REKEY_REFUSED = """\
"aws-vpn-1" #1: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048}
"aws-vpn-1" #2: STATE_PARENT_I3: PARENT SA established tunnel mode {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #3: dropping unexpected CREATE_CHILD_SA message containing NO_PROPOSAL_CHOSEN notification; message payloads: SK; encrypted payloads: N; missing payloads: SA,Ni,TSi,TSr
"""
# libreswan 3.x: STATE_V2_CREATE_I adds a Child SA; it replaces none (not a rekey). It is asked for over an IKE SA
# that is up, so the peer went silent on an established tunnel, as libreswan 4.x says with its liveness action.
LIBRESWAN3_NEW_CHILD_UNANSWERED = """\
"aws-vpn-1" #2: STATE_PARENT_I3: PARENT SA established tunnel mode {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #3: STATE_V2_CREATE_I: retransmission; will wait 0.5 seconds for response
"aws-vpn-1" #3: STATE_V2_CREATE_I: 60 second timeout exceeded after 7 retransmits.  No response (or no acceptable response) to our IKEv2 message
"""
# libreswan 4.10 programs/pluto/ikev2_create_child_sa.c: "initiating rekey to replace %s SA #%lu",
# "sent CREATE_CHILD_SA request to rekey IPsec SA", "CREATE_CHILD_SA failed with error notification %s",
# "rekey of Child SA abandoned".
LIBRESWAN4_CHILD_REKEY_TS_REFUSED = """\
"aws-vpn-1"[1] 203.0.113.10 #2: established Child SA; IPsec tunnel [10.0.0.0-10.0.0.255:0-65535 0] -> [172.31.0.0-172.31.255.255:0-65535 0] {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1"[1] 203.0.113.10 #3: initiating rekey to replace Child SA #2
"aws-vpn-1"[1] 203.0.113.10 #3: sent CREATE_CHILD_SA request to rekey IPsec SA
"aws-vpn-1"[1] 203.0.113.10 #3: CREATE_CHILD_SA failed with error notification TS_UNACCEPTABLE
"""
LIBRESWAN4_CHILD_REKEY_ABANDONED = """\
"aws-vpn-1"[1] 203.0.113.10 #3: initiating rekey to replace Child SA #2
"aws-vpn-1"[1] 203.0.113.10 #1: rekey of Child SA abandoned
"""


@pytest.mark.parametrize(
    ("body", "category"),
    [
        (OPENSWAN_QUICK_MODE_REKEY_UNANSWERED, "rekey_issue"),
        (OPENSWAN_QUICK_MODE_REKEY_REFUSED, "rekey_issue"),
        (LIBRESWAN3_CHILD_REKEY_UNANSWERED, "rekey_issue"),
        (LIBRESWAN3_IKE_REKEY_UNANSWERED, "rekey_issue"),
        (LIBRESWAN3_CHILD_REKEY_REFUSED, "rekey_issue"),
        (LIBRESWAN3_NEW_CHILD_UNANSWERED, "dpd_timeout"),
        (LIBRESWAN4_CHILD_REKEY_TS_REFUSED, "rekey_issue"),
        (LIBRESWAN4_CHILD_REKEY_ABANDONED, "rekey_issue"),
    ],
)
@pytest.mark.parametrize("prefix", list(PREFIXES))
def test_pluto_rekeys_in_every_wording_and_prefix(body: str, category: str, prefix: str) -> None:
    primary = analyze_text(_render(body, prefix)).primary
    assert primary is not None and primary.category == category


@pytest.mark.parametrize(
    "body",
    [OPENSWAN_QUICK_MODE_REKEY_UNANSWERED, LIBRESWAN3_CHILD_REKEY_UNANSWERED, LIBRESWAN3_CHILD_REKEY_REFUSED,
     LIBRESWAN4_CHILD_REKEY_TS_REFUSED],
)
@pytest.mark.parametrize("prefix", ["none", "syslog", "timestamp", "journal"])
def test_pluto_rekeys_pasted_newest_first(body: str, prefix: str) -> None:
    analysis = analyze_text(_render(body, prefix, newest_first=True))
    assert analysis.primary is not None and analysis.primary.category == "rekey_issue"


def test_a_quick_mode_rekey_timing_out_orders_a_two_line_paste() -> None:
    # Without timestamps: the retransmission limit of a state comes after the state was initiated.
    lines = OPENSWAN_QUICK_MODE_REKEY_UNANSWERED.strip().splitlines()[2:]
    assert order_votes(lines) == (1, 0)
    assert order_votes(list(reversed(lines))) == (0, 1)
    primary = analyze_text("\n".join(reversed(lines))).primary
    assert primary is not None and primary.category == "rekey_issue"


def test_doubling_retransmission_waits_order_the_lines() -> None:
    lines = LIBRESWAN3_CHILD_REKEY_UNANSWERED.strip().splitlines()[1:]
    up, down = order_votes(lines)
    assert up > 0 and down == 0
    up, down = order_votes(list(reversed(lines)))
    assert down > 0 and up == 0


def test_libreswan3_state_names() -> None:
    assert exchange_name("STATE_V2_REKEY_CHILD_I") == "CREATE_CHILD_SA"
    assert exchange_name("STATE_V2_CREATE_I") == "CREATE_CHILD_SA"
    assert exchange_name("NEW_CHILD_I1") == "CREATE_CHILD_SA"
    assert exchange_name("STATE_PARENT_I2") == "IKE_AUTH"


@pytest.mark.parametrize(
    ("line", "rekey"),
    [
        # libreswan 4.x and later: programs/pluto/ikev2_ike_sa_init.c
        ('"aws-vpn-1" #1: initiating IKEv2 connection to 198.51.100.7 using UDP', False),
        ('"road-east-x509-ipv4"[1] 192.1.2.23 #4: initiating IKEv2 connection to replace established IKE SA #1', True),
        # libreswan 3.x: programs/pluto/ikev2_parent.c ("initiating IKEv2 IKE SA", " to replace #%lu"; the first as
        # libreswan 3.32 logs it in tests/data/strongswan-lab), and Openswan's
        ('Dec  1 23:35:11.740381: "gw" #1: initiating IKEv2 IKE SA', False),
        ('"aws-vpn-1" #3: initiating IKEv2 IKE SA to replace #1', True),
        ('"aws-vpn-1" #3: initiating v2 parent SA to replace #1', True),
    ],
)
def test_an_ikev2_initiation_is_read_as_its_ike_sa_init(line: str, rekey: bool) -> None:
    """Every wording pluto starts an IKEv2 IKE SA with names the exchange it sends, IKE_SA_INIT (the page shows it as
    a fact), and says whether it replaces an IKE SA that was up."""
    scanner = Scanner()
    scanner.feed(line + "\n")
    (event,) = scanner.result().events
    assert event.kind == "initiate" and event.exchange == "IKE_SA_INIT"
    assert any(key.startswith("rekey") and value for key, value in event.values.items()) == rekey


@pytest.mark.parametrize(
    ("line", "category"),
    [
        # libreswan 3.20 programs/pluto/ikev2_parent.c
        ("packet from 198.51.100.7:500: initial parent SA message received on 203.0.113.10:500 but no suitable "
         "connection found with IKEv2 policy", "ike_version_mismatch"),
        # libreswan 3.32 programs/pluto/demux.c
        ("packet from 198.51.100.7:500: message contains unsupported IKE major version '2'", "ike_version_mismatch"),
        # libreswan 4.10 programs/pluto/ikev1.c (before "global" was added to the wording)
        ("packet from 198.51.100.7:500: rejecting IKEv1 packet as policy is set to reject all IKEv1 packets",
         "ike_version_mismatch"),
        # Openswan 2.6 programs/pluto/ikev2_parent_R1.c and connections.c
        ("packet from 198.51.100.7:500: connection refused, IKEv2 not authorized", "ike_version_mismatch"),
        ("packet from 198.51.100.7:500: connection aws-vpn-1 (policy=PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK) would "
         "have matched, but ike version policy was wrong", "ike_version_mismatch"),
        # libreswan 3.32 programs/pluto/ikev1.c: an IKEv2 payload (type 33) where IKEv1 expects its own
        ("packet from 198.51.100.7:500: Main Mode message ignored because it contains an unknown or unexpected "
         "payload type (ISAKMP_NEXT_v2SA) at the outermost level", "ike_version_mismatch"),
        # libreswan 3.20 / 4.5 programs/pluto/ikev2_child.c
        ('"aws-vpn-1" #2: Initiator policy is tunnel, responder sends v2N_USE_TRANSPORT_MODE notification in '
         "inR2, ignoring it", "ipsec_mode_mismatch"),
        # Openswan 2.6 programs/pluto/ikev2_child.c
        ('"aws-vpn-1" #2: received TSi[0] selector with range 10.0.0.0~10.0.0.255, incompatible with TRANSPORT '
         "mode -- refusing", "ipsec_mode_mismatch"),
        # libreswan 5.0 programs/pluto/ikev2_ts.c (lower case since 5.0)
        ('"aws-vpn-1"[1] 198.51.100.7 #1: no IKEv2 connection found with compatible Traffic Selectors',
         "traffic_selector_mismatch"),
        # libreswan programs/pluto/keys.c at 0c4e3ecc
        ('"westnet-eastnet-ikev2" #1: private key matching certificate west has type ECDSA but RSA is needed',
         "auth_failure"),
    ],
)
def test_pluto_version_mode_selector_and_key_lines(line: str, category: str) -> None:
    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == category


def test_openswan_informational_payload_wording_in_main_mode_is_phase_1() -> None:
    text = (
        '"aws-vpn-1" #1: STATE_MAIN_I3: sent MI3, expecting MR3\n'
        '"aws-vpn-1" #1: ignoring informational payload, type PAYLOAD_MALFORMED msgid=00000000\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"


def test_openswan_invalid_id_information_after_quick_mode_is_selectors() -> None:
    text = (
        '"aws-vpn-1" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY cipher=aes_128 '
        "prf=oakley_sha group=modp1024}\n"
        '"aws-vpn-1" #2: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK {using isakmp#1 '
        "msgid:5e7ac0de proposal=AES(12)_128-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}\n"
        '"aws-vpn-1" #1: ignoring informational payload, type INVALID_ID_INFORMATION msgid=00000000\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"


# Openswan 2.6 timer.c and libreswan 3.0-3.10: "%s: retransmission; will wait %lus for response";
# libreswan 3.16-3.22: "%s: retransmission; will wait %lums for response".
OPENSWAN_MAIN_MODE_UNANSWERED = """\
"aws-vpn-1" #1: initiating Main Mode
"aws-vpn-1" #1: STATE_MAIN_I1: retransmission; will wait 20s for response
"aws-vpn-1" #1: STATE_MAIN_I1: retransmission; will wait 40s for response
"aws-vpn-1" #1: max number of retransmissions (2) reached STATE_MAIN_I1.  No response (or no acceptable response) to our first IKE message
"""
LIBRESWAN316_CHILD_REKEY_UNANSWERED = """\
"aws-vpn-1" #2: STATE_PARENT_I3: PARENT SA established tunnel mode {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #3: STATE_V2_REKEY_CHILD_I: retransmission; will wait 500ms for response
"aws-vpn-1" #3: STATE_V2_REKEY_CHILD_I: retransmission; will wait 1000ms for response
"aws-vpn-1" #3: max number of retransmissions (8) reached STATE_V2_REKEY_CHILD_I.  No response (or no acceptable response) to our IKEv2 message
"""


@pytest.mark.parametrize(
    ("body", "category"),
    [(OPENSWAN_MAIN_MODE_UNANSWERED, "peer_unreachable"), (LIBRESWAN316_CHILD_REKEY_UNANSWERED, "rekey_issue")],
)
def test_older_retransmission_wait_units(body: str, category: str) -> None:
    analysis = analyze_text(body)
    assert analysis.primary is not None and analysis.primary.category == category
    assert sum(f.event == "retransmit" for f in analysis.findings) + sum(
        e.event == "retransmit" for e in analysis.primary.chain
    ) >= 2
    up, down = order_votes(body.splitlines())
    assert up > 0 and down == 0


# libreswan 4.x (programs/pluto/ikev2_create_child_sa.c, ikev2_ike_sa_init.c; the lines of
# https://github.com/libreswan/libreswan/issues/514): the IKE SA's rekey goes unanswered and the IKE SA is
# re-authenticated before it completes.
IKE_REKEY_UNANSWERED_THEN_REAUTHENTICATED = """\
"road-east-x509-ipv4"[1] 192.1.2.23 #2: established Child SA; IPsec tunnel [192.0.2.100-192.0.2.100:0-65535 0] -> [0.0.0.0-255.255.255.255:0-65535 0] {ESPinUDP=>0xaca6680e <0xc2f360be xfrm=AES_GCM_16_256-NONE NATD=192.1.2.23:4500 DPD=passive}
"road-east-x509-ipv4"[1] 192.1.2.23 #3: initiating rekey to replace IKE SA #1
"road-east-x509-ipv4"[1] 192.1.2.23 #3: sent CREATE_CHILD_SA request to rekey IKE SA
"road-east-x509-ipv4"[1] 192.1.2.23 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 2 seconds for response
"road-east-x509-ipv4"[1] 192.1.2.23 #1: initiate reauthentication of IKE SA
"road-east-x509-ipv4"[1] 192.1.2.23 #4: initiating IKEv2 connection to replace established IKE SA #1
"road-east-x509-ipv4"[1] 192.1.2.23 #4: sent IKE_SA_INIT request
"""


def test_an_ike_sa_replaced_while_its_rekey_is_unanswered_is_a_rekey_problem() -> None:
    analysis = analyze_text(IKE_REKEY_UNANSWERED_THEN_REAUTHENTICATED)
    assert analysis.primary is not None and analysis.primary.category == "rekey_issue"
    # the retransmission of the established IKE SA's state is the rekey's, not a liveness probe
    assert all(f.category != "dpd_timeout" for f in analysis.findings)


def test_an_answered_rekey_followed_by_a_reauthentication_is_no_problem() -> None:
    lines = IKE_REKEY_UNANSWERED_THEN_REAUTHENTICATED.splitlines()
    answered = lines[:4] + [
        '"road-east-x509-ipv4"[1] 192.1.2.23 #3: initiator rekeyed IKE SA #1 {cipher=AES_GCM_16_256 integ=n/a '
        "prf=HMAC_SHA2_512 ke=DH19}"
    ] + lines[4:]
    assert analyze_text("\n".join(answered) + "\n").primary is None


@pytest.mark.parametrize(
    "line",
    [
        '"road-east-x509-ipv4"[1] 192.1.2.23 #4: initiating IKEv2 connection to replace established IKE SA #1',
        '"west" #2: sent INFORMATIONAL request to delete established Child SA using IKE SA #1',
        '"west" #2: deleting established Child SA using IKE SA #1',
    ],
)
def test_lines_naming_an_established_sa_they_replace_or_delete_are_no_establishment(line: str) -> None:
    scanner = Scanner("libreswan")
    scanner.feed(line + "\n")
    assert [e.kind for e in scanner.result().events if e.kind == "established"] == []


@pytest.mark.parametrize(
    "line",
    [
        # libreswan 3.32 programs/pluto/ikev2_parent.c, 4.5 ikev2_create_child_sa.c
        '"west/55x0" #458: CHILD SA to rekey #273 vanished abort this exchange',
        '"aws-vpn-1"[1] 203.0.113.10 #12: Child SA to rekey #9 vanished abort this exchange',
        # libreswan 3.32 programs/pluto/ikev2_rekey_now.c
        "can not rekey IPsec SA, newest IPsec SA is SOS_NOBODY",
    ],
)
def test_rekeys_pluto_abandons_before_sending(line: str) -> None:
    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == "rekey_issue"


def test_openswan_child_sa_rekey_refused() -> None:
    # Openswan 2.6.49 programs/pluto/ikev2_child.c: "starting rekey of CHILD SA for state=#%lu (expired) using
    # PARENT SA #%lu as %s" and "received notification %u: %s".
    text = (
        '"openswan" #3: starting rekey of CHILD SA for state=#2 (expired) using PARENT SA #1 as INITIATOR\n'
        '"openswan" #3: received notification 14: v2N_NO_PROPOSAL_CHOSEN\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"


@pytest.mark.parametrize(
    "line",
    [
        # libreswan 3.32 programs/pluto/ikev1_hash.c (IKEv1: the pre-shared keys differ)
        "\"aws-vpn-1\" #1: received 'main_inI3_outR3' message HASH(1) data does not match computed value",
        # Openswan 2.6 programs/pluto/ikev1.c
        "\"aws-vpn-1\" #1: received 'informational' message HASH(1) data does not match computed value",
        # libreswan 3.20 programs/pluto/keys.c
        '"aws-vpn-1" #1: RSA Signature NOT verified',
        # Openswan 2.6 programs/pluto/ikev1_main.c
        '"aws-vpn-1" #1: unable to locate my private key for RSA Signature  (IKEv1 mainmode initiator)',
        # Openswan 2.6 programs/pluto/ikev2_parent_R2.c
        '"openswan" #1: No policy for initiator with id=@road (me:@gateway)',
        # libreswan 3.32 programs/pluto/nss_cert_verify.c
        "\"aws-vpn-1\"[1] 198.51.100.7 #1: certificate contains no subjectAltName extension to match ID_FQDN "
        "'@road.example.com'",
    ],
)
def test_authentication_failures_in_older_wording(line: str) -> None:
    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == "auth_failure"


def test_libreswan3_esp_transform_refusals_list_the_proposals_of_a_phase_2_failure() -> None:
    # libreswan 3.20 programs/pluto/ikev1_spdb_struct.c "IPsec encryption transform rejected: %s" and
    # "no acceptable Proposal in IPsec SA".
    text = (
        '"aws-vpn-1" #2: responding to Quick Mode proposal {msgid:8f2d1c0a}\n'
        '"aws-vpn-1" #2: IPsec encryption transform rejected: 3DES_CBC\n'
        '"aws-vpn-1" #2: no acceptable Proposal in IPsec SA\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts.get("proposals_received") == ["3DES_CBC"]
    # a single refused transform is no failure by itself: the peer may accept another one
    assert analyze_text('"aws-vpn-1" #2: ESP IPsec Transform [AES_CBC (256), HMAC_SHA2_256_128] refused\n').primary is None


# Both peers' pluto logs pasted one after the other, without host names or timestamps (libreswan 4.x
# wording, programs/pluto/ikev2_ike_sa_init.c and ikev2_ike_auth.c): each daemon numbers its states from #1.
INITIATOR_THEN_RESPONDER = """\
"aws-vpn-1" #1: initiating IKEv2 connection
"aws-vpn-1" #1: sent IKE_SA_INIT request
"aws-vpn-1" #1: sent IKE_AUTH request {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
"aws-vpn-1" #1: IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED
"aws-vpn-1"[1] 198.51.100.7 #1: processing decrypted IKE_AUTH request: SK{IDi,AUTH,SA,TSi,TSr}
"aws-vpn-1"[1] 198.51.100.7 #1: Signature check (on @left) failed (wrong key?); tried *AwEAAb4x
"aws-vpn-1"[1] 198.51.100.7 #1: responding to IKE_AUTH message (ID 1) from 198.51.100.7:500 with encrypted notification AUTHENTICATION_FAILED
"""


def test_a_pasted_second_pluto_log_is_read_on_its_own() -> None:
    analysis = analyze_text(INITIATOR_THEN_RESPONDER)
    assert analysis.primary is not None and analysis.primary.category == "auth_failure"
    assert any("separate logs" in str(note) for note in analysis.notes)


def test_a_gateway_answering_one_peer_and_initiating_another_is_one_log() -> None:
    text = (
        '"aws-vpn-1"[1] 198.51.100.7 #1: processing decrypted IKE_AUTH request: SK{IDi,AUTH,SA,TSi,TSr}\n'
        '"aws-vpn-1"[1] 198.51.100.7 #1: responder established IKE SA; authenticated peer using authby=secret and '
        "ID_IPV4_ADDR '198.51.100.7'\n"
        '"aws-vpn-2" #2: initiating IKEv2 connection\n'
        '"aws-vpn-2" #2: sent IKE_SA_INIT request\n'
    )
    assert not any("separate logs" in str(note) for note in analyze_text(text).notes)


# Orderly rekeys in each version's wording: nothing to fix, whatever the prefix or order.
HEALTHY_REKEYS = [
    # libreswan 5.x programs/pluto/ikev2_create_child_sa.c
    """\
"aws-vpn-1" #2: initiator established Child SA using #1; IPsec tunnel [10.0.0.0/24===172.31.0.0/16] {ESP/ESN=>0xcafe1234 <0x1a2b3c4d xfrm=AES_GCM_16_256-NONE DPD=active}
"aws-vpn-1" #3: initiating rekey to replace IKE SA #1 using IKE SA #1
"aws-vpn-1" #3: sent CREATE_CHILD_SA request to rekey IKE SA #1 (using IKE SA #1)
"aws-vpn-1" #3: initiator rekeyed IKE SA #1 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}
"aws-vpn-1" #1: deleting IKE SA (ESTABLISHED_IKE_SA) aged 28800.1s and sending notification
""",
    # libreswan 4.x: one retransmission of the rekey, then its answer
    """\
"aws-vpn-1" #2: established Child SA; IPsec tunnel [10.0.0.0-10.0.0.255:0-65535 0] -> [172.31.0.0-172.31.255.255:0-65535 0] {ESP=>0xcafe1234 <0x1a2b3c4d xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
"aws-vpn-1" #3: initiating rekey to replace Child SA #2
"aws-vpn-1" #3: sent CREATE_CHILD_SA request to rekey IPsec SA
"aws-vpn-1" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response
"aws-vpn-1" #3: established Child SA; IPsec tunnel [10.0.0.0-10.0.0.255:0-65535 0] -> [172.31.0.0-172.31.255.255:0-65535 0] {ESP=>0xcafe5555 <0x1a2b6666 xfrm=AES_CBC_256-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=active}
""",
    # Openswan 2.6: a Quick Mode replacing an IPsec SA, answered after one retransmission
    """\
"aws-vpn-1" #21: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK to replace #20 {using isakmp#19 msgid:5e7ac0de proposal=AES(12)_128-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}
"aws-vpn-1" #21: STATE_QUICK_I1: retransmission; will wait 20s for response
"aws-vpn-1" #21: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x99e449b2 <0x4edb3379 xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=enabled}
"aws-vpn-1" #19: received Delete SA(0xd7c9d296) payload: deleting IPSEC State #20
""",
]


@pytest.mark.parametrize("body", HEALTHY_REKEYS)
@pytest.mark.parametrize("prefix", list(PREFIXES))
@pytest.mark.parametrize("newest_first", [False, True])
def test_orderly_rekeys_raise_no_alarm(body: str, prefix: str, newest_first: bool) -> None:
    assert analyze_text(_render(body, prefix, newest_first)).primary is None


# Quick Mode refusals of libreswan 3.x and Openswan 2.6 (libreswan v3.32 programs/pluto/ikev1_spdb_struct.c,
# ikev1.c; xelerance/Openswan programs/pluto/spdb_v1_struct.c, ikev1.c).
_MR3 = ('"aws-vpn-1"[2] 203.0.113.5 #1: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY '
        "cipher=aes_256 prf=oakley_sha group=modp2048}\n")
QUICK_MODE_REFUSALS = {
    "pfs-groups-differ": '"aws-vpn-1"[2] 203.0.113.5 #1: GROUP_DESCRIPTION inconsistent with that of ESP in IPsec SA',
    "kernel-algorithm": '"aws-vpn-1"[2] 203.0.113.5 #1: kernel algorithm does not like: ESP transform CAST_CBC is not '
                        "supported\n" '"aws-vpn-1"[2] 203.0.113.5 #1: no acceptable Proposal in IPsec SA',
    "compression": '"aws-vpn-1"[2] 203.0.113.5 #1: compression proposed by 203.0.113.5, but policy for "aws-vpn-1"[2] '
                   "203.0.113.5 forbids it",
    "openswan-transforms": '"aws-vpn-1"[2] 203.0.113.5 #1: unsupported ESP Transform ESP_CAST from 203.0.113.5\n'
                           '"aws-vpn-1"[2] 203.0.113.5 #1: no acceptable Proposal in IPsec SA',
}


@pytest.mark.parametrize("name", list(QUICK_MODE_REFUSALS))
@pytest.mark.parametrize("prefix", list(PREFIXES))
def test_quick_mode_refusals_of_older_versions_are_phase_2(name: str, prefix: str) -> None:
    primary = analyze_text(_render(_MR3 + QUICK_MODE_REFUSALS[name], prefix)).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch", name


def test_one_refused_transform_of_several_is_no_fault_when_the_sa_comes_up() -> None:
    body = _MR3 + (
        '"aws-vpn-1"[2] 203.0.113.5 #1: unsupported ESP Transform ESP_CAST from 203.0.113.5\n'
        '"aws-vpn-1"[2] 203.0.113.5 #2: STATE_QUICK_R2: IPsec SA established tunnel mode {ESP=>0x1234abcd <0xabcd1234 '
        "xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=none}")
    assert analyze_text(_render(body, "syslog")).primary is None


def test_openswan_quick_mode_for_an_expired_isakmp_sa_is_a_rekey_problem() -> None:
    body = (
        '"aws-vpn-1" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_PRESHARED_KEY cipher=aes_256 prf=oakley_sha '
        "group=modp1024}\n"
        '"aws-vpn-1" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x99e449b2 <0x4edb3379 '
        "xfrm=AES_128-HMAC_SHA1 NATOA=none NATD=none DPD=enabled}\n"
        '"aws-vpn-1" #2: Quick Mode message is for a non-existent (expired?) ISAKMP SA')
    assert analyze_text(_render(body, "syslog")).primary.category == "rekey_issue"


def test_openswan_counting_malformed_payload_notifies_after_main_mode_i3_is_a_psk_mismatch() -> None:
    # A field excerpt (datasets/real-logs/dev/openswan-v1-wrong-psk-malformed-payload-notify.log): wrong PSK.
    from pathlib import Path

    dev = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
    text = (dev / "openswan-v1-wrong-psk-malformed-payload-notify.log").read_text(encoding="utf-8")
    for prefix in PREFIXES:
        assert analyze_text(_render(text, prefix)).primary.category == "auth_failure", prefix


# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/ikev1-algo-04-mismatch/east.console.txt
# The responder refuses the Quick Mode (phase 2). The console shows the command that searched the log, then pluto's
# debug trace and its own line about the refusal.
RESPONDER_QUICK_MODE_REFUSED_CONSOLE = """\
east #
 grep NO_PROPOSAL_CHOSEN /tmp/pluto.log
| complete v1 state transition with NO_PROPOSAL_CHOSEN
"westnet-eastnet-ipv4-psk-ikev1" #2: sending encrypted notification NO_PROPOSAL_CHOSEN to 192.1.2.45:500
|    Notify Message Type: v1N_NO_PROPOSAL_CHOSEN (0xe)
| state transition function for STATE_QUICK_R0 failed: NO_PROPOSAL_CHOSEN
"""


def test_a_search_command_and_the_debug_trace_do_not_outvote_the_refusal_pluto_logs() -> None:
    primary = analyze_text(RESPONDER_QUICK_MODE_REFUSED_CONSOLE).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.evidence_lines == (4,)


@pytest.mark.parametrize("command", [
    " grep NO_PROPOSAL_CHOSEN /tmp/pluto.log",
    "[root@gw ~]# grep -i 'no_proposal_chosen' /var/log/secure",
    "admin@vyos:~$ sudo journalctl -u strongswan | grep AUTHENTICATION_FAILED",
    "$ ipsec status | grep TS_UNACCEPTABLE",
    "root@gw:~# tail -f /var/log/pluto.log  # waiting for NO_PROPOSAL_CHOSEN",
    # further along a command line, after a pipe or a shell keyword (libreswan test consoles' final.sh lines)
    " hostname | grep east > /dev/null && grep NO_PROPOSAL_CHOSEN /tmp/pluto.log",
    ' if [ -f /var/run/charon.pid ]; then grep " NO_PROPOSAL_CHOSEN" /tmp/charon.log ; fi',
    " ipsec whack --listcerts | egrep -i 'no_proposal_chosen'",
])
def test_a_command_that_searches_for_a_notify_is_no_event(command: str) -> None:
    # Only the command was pasted: its search words are not what a daemon logged.
    assert analyze_text(command + "\n").primary is None
    # The daemon's own line after it still counts.
    answer = '"aws-tunnel-1" #2: sending encrypted notification NO_PROPOSAL_CHOSEN to 192.0.2.1:500\n'
    assert analyze_text(command + "\n" + answer).primary.category == "phase2_proposal_mismatch"


# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/interop-ikev2-strongswan-48-chacha20poly1305-ikeesp/west.console.txt
# The test's last command searches strongSwan's log for an integrity failure and finds none: the tunnel works.
CHACHA_INTEROP_CONSOLE_END = """\
"chacha" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"chacha" #2: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP=>0xESPESP <0xESPESP xfrm=CHACHA20_POLY1305 DPD=passive}
west #
 if [ -f /var/run/charon.pid -o -f /var/run/strongswan/charon.pid ]; then grep " verifying encrypted payload integrity failed" /tmp/charon.log ; fi
west #
"""


def test_a_search_that_finds_nothing_in_a_shell_if_is_no_authentication_failure() -> None:
    assert analyze_text(CHACHA_INTEROP_CONSOLE_END).primary is None


def test_plutos_guess_at_a_silent_main_mode_names_the_other_suspects() -> None:
    # pluto's Main Mode initiator (lines as libreswan 4.x prints them): MR1 and MR2 came back, the first encrypted
    # message (MI3) never got an answer, and pluto guesses an authentication failure. With pre-shared keys the guess
    # stands, and the reasoning names the other suspects.
    text = "\n".join([
        '002 "psk" #1: initiating IKEv1 Main Mode connection',
        '1v1 "psk" #1: sent Main Mode request',
        '1v1 "psk" #1: sent Main Mode I2',
        '1v1 "psk" #1: sent Main Mode I3',
        '031 "psk" #1: STATE_MAIN_I3: 60 second timeout exceeded after 7 retransmits.  Possible authentication '
        "failure: no acceptable response to our first encrypted message",
    ]) + "\n"
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"
    said = " ".join(str(r) for r in primary.reasoning)
    assert "reachable on UDP 500" in said and "UDP 4500 is blocked" in said and "IP fragments" in said
    assert "the peer answered, so the path works" not in said


_CERT_MI3 = [
    '002 "x509" #1: initiating IKEv1 Main Mode connection',
    '1v1 "x509" #1: sent Main Mode request',
    '1v1 "x509" #1: sent Main Mode I2',
    '002 "x509" #1: I am sending my cert',
    '002 "x509" #1: I am sending a certificate request',
    '1v1 "x509" #1: sent Main Mode I3',
]


@pytest.mark.parametrize("end", [
    # pluto's own guess (libreswan 4.x wording)
    ['031 "x509" #1: STATE_MAIN_I3: 60 second timeout exceeded after 7 retransmits.  Possible authentication '
     "failure: no acceptable response to our first encrypted message",
     '002 "x509" #1: deleting state (STATE_MAIN_I3) and NOT sending notification'],
    # the state deleted while still waiting for the answer (libreswan 5.x; test x509-pluto-frag-00's console)
    ['"x509" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds',
     '"x509" #1: deleting ISAKMP SA (MAIN_I3) and NOT sending notification'],
])
def test_a_silent_peer_after_this_sides_certificate_points_at_lost_fragments(end: list[str]) -> None:
    # libreswan's tests x509-pluto-frag-00 and -03: MI3 carries the certificate, is larger than one packet and the
    # path drops it; the peer says nothing. A peer that rejects a certificate or an identity answers MI3 with a
    # notification (every certificate refusal in the same test suite), which the next test keeps as auth.
    primary = analyze_text("\n".join(_CERT_MI3 + end) + "\n").primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    said = " ".join(str(r) for r in primary.reasoning)
    assert "carried its certificate" in said and "IKE fragmentation" in said


def test_a_certificate_refused_with_a_notification_stays_an_authentication_failure() -> None:
    lines = _CERT_MI3 + [
        '"x509" #1: ignoring secured informational payload INVALID_ID_INFORMATION, msgid=MSGID, length=12',
        '"x509" #1: STATE_MAIN_I3: 30 second timeout exceeded after 0 retransmits.  Possible authentication failure: '
        "no acceptable response to our first encrypted message",
        '"x509" #1: deleting ISAKMP SA (MAIN_I3) and NOT sending notification',
    ]
    primary = analyze_text("\n".join(lines) + "\n").primary
    assert primary is not None and primary.category == "auth_failure"


def test_a_paste_that_starts_at_the_deleted_mi3_state_is_plutos_own_guess() -> None:
    # The last two lines of a libreswan 5 console whose peer never answered MI3 (x509-crl-01-revoked-initiator-ikev1,
    # nss-cert-04-ikev1): the state's name says MI3 went out unanswered; what is left is pluto's guess (keys or
    # identities), a guess since the certificate in MI3 cannot be seen.
    end = ['"nss-cert" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds',
           '"nss-cert" #1: deleting ISAKMP SA (MAIN_I3) and NOT sending notification']
    primary = analyze_text("\n".join(end) + "\n").primary
    assert primary is not None and primary.category == "auth_failure" and primary.certainty == "guess"
    # An IKE SA that was up, or an operator who took the connection down, ends the state for other reasons.
    up = ['"nss-cert" #1: IKE SA established {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}']
    assert analyze_text("\n".join(up + end[1:]) + "\n").primary is None


def test_a_reading_of_plutos_debug_trace_is_only_a_guess() -> None:
    # plutodebug traces an informational message for an SA it no longer has ("| Informational Exchange is for an
    # unknown (expired?) SA", programs/pluto/ikev1.c); the IPsec SA comes up right after: nothing to fix.
    text = (
        '004 "westnet-eastnet" #3: IKE SA established {auth=RSA_SIG cipher=AES_CBC_256 integ=HMAC_SHA2_256 '
        "group=MODP2048}\n"
        "| Informational Exchange is for an unknown (expired?) SA with MSGID:0x00000001\n"
        '004 "westnet-eastnet" #4: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP '
        "xfrm=AES_CBC_128-HMAC_SHA1_96 DPD=passive}\n"
    )
    assert analyze_text(text).primary is None


# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/ikev2-x509-32-id-any/west.console.txt
UNMATCHED_ID_ALLOWED_V2 = """\
1v2 "ikev2-westnet-eastnet-x509-cr" #1: sent IKE_AUTH request {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
003 "ikev2-westnet-eastnet-x509-cr" #1: peer certificate contains no subjectAltName extension to match ID_IPV4_ADDR '192.1.2.23'
002 "ikev2-westnet-eastnet-x509-cr" #1: X509: connection allows unmatched IKE ID and certificate SAN
003 "ikev2-westnet-eastnet-x509-cr" #1: initiator established IKE SA; authenticated peer '3nnn-bit RSASSA-PSS with SHA2_512' digital signature using peer certificate '192.1.2.23' issued by CA 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=Libreswan test CA for mainca, E=testing@libreswan.org'
"""
# https://github.com/libreswan/libreswan/blob/v4.5/testing/pluto/ikev2-asymmetric-16-auth-mismatch/west.console.txt:
# west refuses east's NULL authentication; the test then greps east's log, where east's own state #1 is established.
REFUSED_THEN_OTHER_DAEMONS_STATE = """\
1v2 "westnet-eastnet-ikev2" #1: sent IKE_AUTH request {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
003 "westnet-eastnet-ikev2" #1: authentication failed: peer attempted NULL authentication but we want rsasig
002 "westnet-eastnet-ikev2" #1: deleting state (STATE_V2_PARENT_I2) and sending notification
002 "westnet-eastnet-ikev2" #1: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
west #
 echo done
done
west #
 grep -e 'auth method: ' -e 'hash algorithm identifier' -e "^[^|].*: established IKE SA" OUTPUT/*pluto.log
OUTPUT/east.pluto.log:| parsing 2 raw bytes of IKEv2 Notify Payload into hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:| hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:| parsing 2 raw bytes of IKEv2 Notify Payload into hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:| hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:| parsing 2 raw bytes of IKEv2 Notify Payload into hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:| hash algorithm identifier (network ordered)
OUTPUT/east.pluto.log:|    auth method: IKEv2_AUTH_NULL (0xd)
OUTPUT/east.pluto.log:"westnet-eastnet-ikev2" #1: established IKE SA; authenticated using authby=null and peer ID_NULL 'ID_NULL'
"""


# The same test at https://github.com/libreswan/libreswan/blob/v3.32/testing/pluto/ikev2-x509-32-id-any/west.console.txt:
# libreswan 3.x handles IKE_AUTH on the Child SA's state (#2), which is what comes up.
UNMATCHED_ID_ALLOWED_V2_OLD = """\
1v2 "ikev2-westnet-eastnet-x509-cr" #2: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
002 "ikev2-westnet-eastnet-x509-cr" #2: certificate verified OK: E=user-east-nosan@testing.libreswan.org,CN=east-nosan.testing.libreswan.org,OU=Test Department,O=Libreswan,L=Toronto,ST=Ontario,C=CA
003 "ikev2-westnet-eastnet-x509-cr" #2: certificate contains no subjectAltName extension to match ID_IPV4_ADDR '192.1.2.23'
002 "ikev2-westnet-eastnet-x509-cr" #2: Peer CERT payload SubjectAltName does not match peer ID for this connection
002 "ikev2-westnet-eastnet-x509-cr" #2: X509: connection allows unmatched IKE ID and certificate SAN
003 "ikev2-westnet-eastnet-x509-cr" #2: Authenticated using RSA with IKEv2_AUTH_HASH_SHA2_512
002 "ikev2-westnet-eastnet-x509-cr" #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]
004 "ikev2-westnet-eastnet-x509-cr" #2: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}
"""


def test_an_ikev2_state_established_right_after_its_own_complaint_was_let_through() -> None:
    assert analyze_text(UNMATCHED_ID_ALLOWED_V2).primary is None
    assert analyze_text(UNMATCHED_ID_ALLOWED_V2_OLD).primary is None
    # another daemon's state with the same number, further down the paste, does not clear a refusal
    assert analyze_text(REFUSED_THEN_OTHER_DAEMONS_STATE).primary.category == "auth_failure"


def test_a_crossing_ike_auth_refused_to_keep_one_ike_sa_is_no_authentication_failure() -> None:
    # libreswan test crossing-streams-12-ikev2-permanent-ike-auth-west (west's console): both sides initiate at once,
    # west keeps its own IKE SA and refuses east's IKE_AUTH with AUTHENTICATION_FAILED; its own IKE SA comes up.
    lines = [
        '"east-west" #1: sent IKE_SA_INIT response to 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a '
        "prf=HMAC_SHA2_512 ke=DH19}, expecting IKE_AUTH, IKE_INTERMEDIATE, or IKE_AUTH (EAP)",
        '"east-west" #2: initiating IKEv2 connection to 192.1.2.23 using UDP',
        '"east-west" #2: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
        '"east-west" #2: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a '
        "prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH",
        "\"east-west\" #2: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN '@west'; "
        "Child SA #3 {ESP <0xESPESP} [192.1.2.45/32===192.1.2.23/32]",
        '"east-west" #1: IKE SA #2 has outstanding IKE_AUTH request',
        '"east-west" #1: responding to IKE_AUTH message (ID 1) from 192.1.2.23:500 with encrypted notification '
        "AUTHENTICATION_FAILED",
        '"east-west" #1: deleting IKE SA (sent IKE_SA_INIT response)',
        '"east-west" #3: initiator established Child SA using #2; IPsec tunnel [192.1.2.45/32===192.1.2.23/32] '
        "{ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}",
    ]
    assert analyze_text("\n".join(lines) + "\n").primary is None
    # the same refusal without the crossing is an authentication failure
    alone = [line for line in lines if "outstanding IKE_AUTH" not in line]
    primary = analyze_text("\n".join(alone) + "\n").primary
    assert primary is not None and primary.category == "auth_failure"


_CHILD_UP = [
    "\"west\" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'",
    '"west" #2: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] '
    "{ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}",
    '"west" #3: initiating rekey to replace Child SA #2',
    '"west" #3: sent CREATE_CHILD_SA request to rekey Child SA #2 using IKE SA #1 {ESP <0xESPESP}',
    '"west" #3: received unauthenticated INVALID_KE_PAYLOAD response to DH MODP2048; resending with suggested DH '
    "MODP3072",
]


def test_a_rekey_retried_with_the_peers_dh_group_is_no_failure_once_it_completes() -> None:
    # RFC 7296 section 1.3: INVALID_KE_PAYLOAD in CREATE_CHILD_SA names the group to retry with (libreswan test
    # ikev2-invalid-ke-08-rekey-child: east and west prefer different PFS groups; the rekey completes).
    rekeyed = '"west" #4: initiator rekeyed Child SA #2 using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] ' \
              "{ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-MODP3072 DPD=passive}"
    assert analyze_text("\n".join([*_CHILD_UP, rekeyed]) + "\n").primary is None
    # no SA after the retry: the PFS groups may differ, read as the rekey's problem
    primary = analyze_text("\n".join(_CHILD_UP) + "\n").primary
    assert primary is not None and primary.category == "rekey_issue"


@pytest.mark.parametrize("lines", [
    # libreswan tests whack-delete-03-up-revival-ikev2 / -ikev1 (no peer running; the timeout line is the test's own)
    ['"west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
     '"west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
     '"west" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds',
     '"west" #1: deleting IKE SA (sent IKE_SA_INIT request)'],
    ['"west" #1: initiating IKEv1 Main Mode connection',
     '"west" #1: sent Main Mode request',
     '"west" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds',
     '"west" #1: deleting ISAKMP SA (MAIN_I1) and NOT sending notification'],
])
def test_a_state_deleted_while_waiting_for_the_first_answer_is_an_unanswered_peer(lines: list[str]) -> None:
    primary = analyze_text("\n".join(lines) + "\n").primary
    assert primary is not None and primary.category == "peer_unreachable"


def test_a_first_request_deleted_after_a_redirect_or_by_the_operator_says_nothing() -> None:
    redirected = [
        '"north-east" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
        '"north-east" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
        '"north-east" #1: IKE_SA_INIT response redirects to new gateway 192.1.2.45',
        '"north-east" #1: scheduling redirect 1 to 192.1.2.45',
        '"north-east" #1: deleting IKE SA (sent IKE_SA_INIT request)',
    ]
    assert analyze_text("\n".join(redirected) + "\n").primary is None
    deleted = [
        '"west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
        '"west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
        "\"west\": initiating delete of connection's IKE SA #1",
        '"west" #1: deleting IKE SA (sent IKE_SA_INIT request)',
    ]
    assert analyze_text("\n".join(deleted) + "\n").primary is None


def _ike_auth_unanswered(sent: str) -> list[str]:
    """pluto 5.x: IKE_SA_INIT answered, then the IKE_AUTH request (`sent`: what follows "sent IKE_AUTH request to")
    timed out."""
    return [
        '"west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
        '"west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
        '"west" #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a '
        "prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH",
        f'"west" #1: sent IKE_AUTH request to {sent}',
        '"west" #1: IKE_AUTH_I: 10 second timeout exceeded after 5 retransmits.  No response (or no acceptable '
        "response) to our IKEv2 message",
    ]


def test_ike_auth_unanswered_after_moving_to_udp_4500_points_at_nat_traversal() -> None:
    lines = _ike_auth_unanswered("192.1.2.23:UDP/4500 with shared-key-mac and FQDN '@west'; Child SA #2 "
                                 "{ESPinUDP <0xESPESP} [192.0.1.0/24===192.0.2.0/24]")
    primary = analyze_text("\n".join(lines) + "\n").primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert any("UDP 4500" in str(r) and "RFC 7296" in str(r) for r in primary.reasoning)
    # the same silence with IKE_AUTH on UDP 500 (no NAT) is not read as NAT traversal
    on_500 = [line.replace("UDP/4500", "UDP/500").replace("ESPinUDP", "ESP") for line in lines]
    primary = analyze_text("\n".join(on_500) + "\n").primary
    assert primary is not None and primary.category != "nat_t_or_fragmentation"


def test_ike_auth_signed_with_a_certificate_left_unanswered_points_at_fragments() -> None:
    # pluto 5.x names how it authenticates: a signature with the certificate's subject (DER_ASN1_DN) as identity puts
    # the certificate in IKE_AUTH, too large for one IP packet; raw RSA keys name an FQDN or address instead
    signed = "192.1.2.23:UDP/500 with digital-signature RSASSA-PSS with SHA2_512 and {id}; Child SA #2 {{ESP <0xESPESP}} "
    dn = ("DER_ASN1_DN 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=west.testing.libreswan.org, "
          "E=user-west@testing.libreswan.org'")
    primary = analyze_text("\n".join(_ike_auth_unanswered(signed.format(id=dn))) + "\n").primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert any("certificate" in str(r) and "fragments" in str(r) for r in primary.reasoning)
    raw_key = _ike_auth_unanswered(signed.format(id="FQDN '@west'"))
    primary = analyze_text("\n".join(raw_key) + "\n").primary
    assert primary is not None and primary.category == "peer_unreachable"


# libreswan's test suite shortens timeouts with `ipsec whack --impair timeout_on_retransmit`: the state's timeout is
# then printed as "IMPAIR: "conn" #N: retransmit so timing out SA (may retry)" (programs/pluto/retransmit.c), which
# names no state. Its test consoles are full of it; it is read as the timeout of what the state sent last.
IMPAIRED_QUICK_MODE = """\
"aes128" #11: initiating IKEv1 Main Mode connection
"aes128" #11: sent Main Mode request
"aes128" #11: sent Main Mode I2
"aes128" #11: sent Main Mode I3
"aes128" #11: Peer ID is FQDN: '@east'
"aes128" #11: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_128 integ=HMAC_SHA1 group=MODP2048}
"aes128" #12: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP+IKE_FRAG_ALLOW+ESN_NO+ESN_YES {using isakmp#11 \
msgid:7a1c0b3e proposal=AES_CBC_128-HMAC_SHA1_96-MODP2048 pfsgroup=MODP2048 192.0.1.0/24===192.0.2.0/24}
"aes128" #12: sent Quick Mode request
IMPAIR: "aes128" #12: retransmit so timing out SA (may retry)
"aes128" #12: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"""
IMPAIRED_MAIN_I3_WITH_CERT = """\
"x509" #1: initiating IKEv1 Main Mode connection
"x509" #1: sent Main Mode request
"x509" #1: sent Main Mode I2
"x509" #1: I am sending my cert
"x509" #1: sent Main Mode I3
IMPAIR: "x509" #1: retransmit so timing out SA (may retry)
"x509" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"x509" #1: deleting ISAKMP SA (MAIN_I3) and NOT sending notification
"""
IMPAIRED_ESTABLISHED_IKE_SA = """\
"gw" #1: initiating IKEv2 connection
"gw" #1: sent IKE_SA_INIT request to 192.0.2.2:500
"gw" #1: sent IKE_AUTH request {cipher=AES_CBC_128 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048}
"gw" #1: initiator established IKE SA; authenticated peer using authby=secret and ID_IPV4_ADDR '192.0.2.2'
"gw" #2: initiator established Child SA using #1; IPsec tunnel [10.1.0.0-10.1.255.255:0-65535 0] -> \
[10.2.0.0-10.2.255.255:0-65535 0] {ESP/ESN=>0xc5104000 <0xc50fe000 xfrm=AES_CBC_128-HMAC_SHA2_256_128 DPD=active}
"gw" #1: IMPAIR: retransmit so timing out SA (may retry)
"gw" #1: liveness action - clearing connection kind CK_PERMANENT
"gw" #1: deleting state (STATE_V2_ESTABLISHED_IKE_SA) aged 8.519636s and NOT sending notification
"gw" #3: initiating IKEv2 connection
"gw" #3: sent IKE_SA_INIT request to 192.0.2.2:500
"gw" #3: IMPAIR: retransmit so timing out SA (may retry)
"gw" #3: deleting state (STATE_V2_PARENT_I1) aged 0.504333s and NOT sending notification
"gw" #4: initiating IKEv2 connection
"gw" #4: sent IKE_SA_INIT request to 192.0.2.2:500
"gw" #4: IMPAIR: retransmit so timing out SA (may retry)
"gw" #4: deleting state (STATE_V2_PARENT_I1) aged 0.502711s and NOT sending notification
"""


@pytest.mark.parametrize(("body", "expected"), [
    (IMPAIRED_QUICK_MODE, "phase2_proposal_mismatch"),  # the first Quick Mode never answered: pluto's own guess
    (IMPAIRED_MAIN_I3_WITH_CERT, "nat_t_or_fragmentation"),  # MI3 carried the certificate: IP fragments lost
    (IMPAIRED_ESTABLISHED_IKE_SA, "dpd_timeout"),  # the established IKE SA timed out; the retries find nobody
])
@pytest.mark.parametrize("prefix", ["none", "timestamp"])
def test_a_test_suites_impaired_timeout_is_the_states_timeout(body: str, expected: str, prefix: str) -> None:
    analysis = analyze_text(_render(body, prefix))
    assert analysis.primary is not None and analysis.primary.category == expected
    impaired = [f for f in analysis.findings if "IMPAIR" in f.text]
    assert impaired and all(f.event == "give_up" for f in impaired)


def test_an_impaired_timeout_and_the_states_deletion_count_once() -> None:
    # each unanswered IKE_SA_INIT prints both lines: one give-up, read by the deletion
    retries = IMPAIRED_ESTABLISHED_IKE_SA.split("CK_PERMANENT\n")[1]
    scanner = Scanner("libreswan")
    scanner.feed(retries)
    result = scanner.result()
    events, _, _ = put_in_order(result.events, result.order_texts, result.order_lines)
    classify(events)
    weights = {ev.text: ev.weight for ev in events if ev.category == "peer_unreachable"}
    assert weights['"gw" #3: IMPAIR: retransmit so timing out SA (may retry)'] == "context"
    assert weights['"gw" #3: deleting state (STATE_V2_PARENT_I1) aged 0.504333s and NOT sending notification'] != "context"


# An operator's rekey (`ipsec whack --rekey-child`, often --async: nothing more on the terminal) and the state
# listing after it. Console form of libreswan's test suite (testing/pluto/*/road.console.txt), RFC 5737 addresses.
REKEY_ASKED = """\
road # ipsec auto --up road-gw
003 "road-gw"[1] 192.0.2.23 #1: established IKE SA; authenticated using RSA with SHA2_512
004 "road-gw"[1] 192.0.2.23 #2: established Child SA; IPsec tunnel [198.51.100.100-198.51.100.100:0-65535 0] -> [0.0.0.0-255.255.255.255:0-65535 0] {ESPinUDP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE}
road # ipsec whack --trafficstatus
006 #2: "road-gw"[1] 192.0.2.23, type=ESP, add_time=1234567890, inBytes=84, outBytes=84, id='@gw'
road # ipsec whack --{what} --name road-gw --async
road # sleep 40
{after}"""
ROW_OLD = """road # ipsec whack --trafficstatus
006 #2: "road-gw"[1] 192.0.2.23, type=ESP, add_time=1234567890, inBytes=84, outBytes=168, id='@gw'
"""
ROW_NEW = """road # ipsec whack --trafficstatus
006 #3: "road-gw"[1] 192.0.2.23, type=ESP, add_time=1234567890, inBytes=0, outBytes=0, id='@gw'
"""
REKEYED = """002 "road-gw"[1] 192.0.2.23 #3: initiating rekey to replace Child SA #2
004 "road-gw"[1] 192.0.2.23 #3: initiator rekeyed Child SA #2 using #1; IPsec tunnel [198.51.100.100/32===0.0.0.0/0]
""" + ROW_NEW
GW_ROWS = """gw # ipsec whack --trafficstatus
006 #2: "gw-road"[1] 192.0.2.254, type=ESP, add_time=1234567890, inBytes=168, outBytes=84, id='@road'
006 #3: "gw-road"[1] 192.0.2.254, type=ESP, add_time=1234567890, inBytes=0, outBytes=84, id='@road'
"""


def test_a_rekey_the_listing_shows_no_sa_for_is_a_rekey_problem() -> None:
    # the road still lists only #2 after the rekey it was told to do (the gateway, pasted after it, installed #3)
    for after in (ROW_OLD, ROW_OLD + GW_ROWS):
        analysis = analyze_text(_asked("rekey-child", after))
        assert analysis.primary is not None and analysis.primary.category == "rekey_issue"
        finding = next(f for f in analysis.findings if f.category == "rekey_issue")
        assert finding.line == 9 and 'type=ESP' in finding.text and finding.event == "rekey_failed"
        # the chain: the SA listed before, the operator's rekey, the listing that still shows it
        assert [(f.line, f.event) for f in analysis.primary.chain] == [
            (5, "established"), (6, "operator_rekey"), (9, "rekey_failed")]
        reasons = " ".join(str(r) for r in analysis.primary.reasoning)
        assert "only SA #2 of connection road-gw" in reasons and "asked for on line 6" in reasons
    commands = [e for e in _events(_asked("rekey-ipsec", ROW_OLD)) if e.kind == "operator_rekey"]
    assert [(e.line, e.values["rekey"], e.values["conn"], e.category) for e in commands] == [
        (6, "ipsec", "road-gw", None)]


@pytest.mark.parametrize(("what", "after"), [
    ("rekey-child", REKEYED),  # the rekey's own lines and the new SA
    ("rekey-child", ROW_NEW),  # --async: the listing shows the new SA
    ("rekey-child", ""),  # nothing after the command: nothing to judge
    ("rekey-ike", ROW_OLD),  # an IKE SA rekey leaves the Child SA listed as it was
    ("rekey-child", ROW_OLD.replace('"road-gw"', '"other"')),  # another connection's listing
])
def test_a_rekey_the_listing_or_the_log_shows_done_or_cannot_show_is_no_problem(what: str, after: str) -> None:
    analysis = analyze_text(_asked(what, after))
    assert analysis.primary is None or analysis.primary.category != "rekey_issue"


def test_a_rekey_still_waiting_for_its_answer_reads_the_same_with_the_old_sa_listed_after_it() -> None:
    # `ipsec status` 40 seconds after the operator's rekey shows its state #3 still retransmitting: the listing's own
    # reading (a rekey not answered yet, weak). The traffic listing after it shows SA #2, which was up before the rekey:
    # that SA listed again is no tunnel set up after it, and the rekey is under way, so it is no "rekey not done".
    waiting = ('000 #3: "road-gw"[1] 192.0.2.23:4500 STATE_V2_REKEY_CHILD_I1 (sent CREATE_CHILD_SA request to rekey '
               'IPsec SA); EVENT_RETRANSMIT in 9s; idle;\n')
    alone, listed = (analyze_text(_asked("rekey-child", after)) for after in (waiting, waiting + ROW_OLD))
    assert alone.primary is not None and listed.primary is not None
    assert alone.primary.category == listed.primary.category == "rekey_issue"
    assert [str(r) for r in alone.primary.reasoning] == [str(r) for r in listed.primary.reasoning]
    assert not any("did not replace it" in str(r) for r in listed.primary.reasoning)


def _asked(what: str, after: str) -> str:
    return REKEY_ASKED.replace("{what}", what).replace("{after}", after)


def _events(text: str) -> list:
    scanner = Scanner("libreswan")
    scanner.feed(text)
    result = scanner.result()
    events, _, _ = put_in_order(result.events, result.order_texts, result.order_lines)
    classify(events)
    return events


# https://github.com/libreswan/libreswan/blob/v4.1/testing/pluto/ikev2-asymmetric-16-auth-mismatch/west.console.txt
# libreswan 4.1 writes the refusal with a lower-case "peer" and names the payload (4.5 prefixes "authentication failed:").
REFUSED_AUTH_METHOD_V41 = """\
1v2 "westnet-eastnet-ikev2" #1: sent IKE_AUTH request {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
002 "westnet-eastnet-ikev2" #2: IKEv2 mode peer ID is ID_FQDN: '@east'
002 "westnet-eastnet-ikev2" #1: peer attempted NULL authentication but we want rsasig in R2 Auth Payload
036 "westnet-eastnet-ikev2" #2: encountered fatal error in state STATE_PARENT_I2
"""


def test_libreswan_41_refusal_of_the_peers_authentication_method_is_an_auth_failure() -> None:
    primary = analyze_text(REFUSED_AUTH_METHOD_V41).primary
    assert primary is not None and primary.category == "auth_failure"


# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/ikev2-unknown-payload-01-sa-init/west.console.txt
# east answers west's IKE_SA_INIT (which carries an unknown critical payload) with UNSUPPORTED_CRITICAL_PAYLOAD; pluto
# ignores the unauthenticated notify and times out.
REFUSED_WITH_UNSUPPORTED_CRITICAL_PAYLOAD = """\
"westnet-eastnet-ipv4-psk-ikev2" #3: initiating IKEv2 connection to 192.1.2.23 using UDP
IMPAIR: "westnet-eastnet-ipv4-psk-ikev2" #3: adding 1 unencrypted unknown critical payload(s) of type 255 to IKE_SA_INIT message containing 6 payloads
IMPAIR: "westnet-eastnet-ipv4-psk-ikev2" #3: setting (should be off) critical payload bit
"westnet-eastnet-ipv4-psk-ikev2" #3: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"westnet-eastnet-ipv4-psk-ikev2" #3: non-critical payload ignored because it contains an unknown or unexpected payload type (255) at the outermost level
"westnet-eastnet-ipv4-psk-ikev2" #3: ignoring IKE_SA_INIT response containing UNSUPPORTED_CRITICAL_PAYLOAD notification (Message ID 0; message payloads N, missing SA,KE,Ni)
IMPAIR: "westnet-eastnet-ipv4-psk-ikev2" #3: retransmit so timing out SA (may retry)
"westnet-eastnet-ipv4-psk-ikev2" #3: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
IMPAIR: "westnet-eastnet-ipv4-psk-ikev2" #3: revival: skip scheduling CONNECTION_REVIVAL event in 0 seconds
"westnet-eastnet-ipv4-psk-ikev2" #3: deleting IKE SA (sent IKE_SA_INIT request)
"""


def test_a_timeout_after_the_peer_refused_the_request_is_not_called_unreachable() -> None:
    """The peer answered (an error notify that names no setting), so its silence is not the cause: no primary, and a
    note that says the peer is reachable and which line refused."""
    result = analyze_text(REFUSED_WITH_UNSUPPORTED_CRITICAL_PAYLOAD)
    assert result.primary is None
    notes = [n.render("en") for n in result.notes]
    assert any(n.startswith("Line 6: the peer answered IKE_SA_INIT with UNSUPPORTED_CRITICAL_PAYLOAD") for n in notes)
    # a peer that says nothing at all is still read as unreachable
    silent = "\n".join(line for line in REFUSED_WITH_UNSUPPORTED_CRITICAL_PAYLOAD.splitlines()
                       if "UNSUPPORTED_CRITICAL_PAYLOAD" not in line) + "\n"
    primary = analyze_text(silent).primary
    assert primary is not None and primary.category == "peer_unreachable"


# In the format of libreswan's ikev2_ike_sa_init.c at 0c4e3eccfbb2 (no test console prints it): the responder asks for
# a DH group that is not in this side's proposals, pluto ignores each answer and times out.
KE_SUGGESTION_REFUSED = """\
"aws-tunnel-1" #1: initiating IKEv2 connection to 52.95.1.10 using UDP
"aws-tunnel-1" #1: sent IKE_SA_INIT request to 52.95.1.10:UDP/500
"aws-tunnel-1" #1: discarding unauthenticated INVALID_KE_PAYLOAD response to KEM DH19; suggested KEM MODP2048 is not acceptable
"aws-tunnel-1" #1: retransmitting IKE_SA_INIT request; will wait 0.5 seconds for response
"aws-tunnel-1" #1: discarding unauthenticated INVALID_KE_PAYLOAD response to KEM DH19; suggested KEM MODP2048 is not acceptable
"aws-tunnel-1" #1: IKE_SA_INIT_I: 5 second timeout exceeded after 4 retransmits.  No response (or no acceptable response) to our first IKEv2 message
"""


def test_a_dh_group_the_peer_asks_for_and_this_side_lacks_is_a_phase1_mismatch_not_silence() -> None:
    primary = analyze_text(KE_SUGGESTION_REFUSED).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    assert primary.facts["proposals_received"] == ["MODP2048"]
    assert primary.facts["proposals_configured"] == ["DH19"]


@pytest.mark.parametrize(("line", "expected"), [
    # Openswan's unit tests at 86dff2b4 (tests/unit/libpluto/lp101-v1rwnatQR1failed, lp187-v1certN3,
    # lp178-parentN3wrongpolicy): the responder names the state whose transition failed before the notify it sends
    ("RC=218 STATE_QUICK_R0: INVALID_ID_INFORMATION", "traffic_selector_mismatch"),  # Quick Mode: the proxy IDs
    ("RC=218 STATE_MAIN_R2: INVALID_ID_INFORMATION", "auth_failure"),  # Main Mode: the identity
    ("RC=214 STATE_MAIN_R0: NO_PROPOSAL_CHOSEN", "phase1_proposal_mismatch"),
    # libreswan 3.20's test console (testing/pluto/psk-pluto-02/road.console.txt at 329edada)
    ('223 "road-eastnet-psk" #1: STATE_AGGR_I1: INVALID_HASH_INFORMATION', "auth_failure"),
])
def test_the_state_named_before_a_notify_is_its_exchange(line: str, expected: str) -> None:
    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == expected


# libreswan 5 (testing/pluto at 0c4e3eccfb, ikev2-x509-07-san-ip-mismatch/west.console.txt and, for the refusal that
# names no setting, cve-2026-12413-max-payloads/west.console.txt): the tail of a log that ends in an authentication
# step, pasted without the refusal above it.
IKE_AUTH_FATAL_TAIL = """\
"san" #1: encountered fatal error in state IKE_AUTH_I
"san" #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds
"san" #1: deleting IKE SA (sent IKE_AUTH request)
"""


@pytest.mark.parametrize("prefix", ["none", "syslog", "journal"])
def test_a_fatal_error_in_an_authentication_step_is_a_guess_at_authentication(prefix: str) -> None:
    primary = analyze_text(_render(IKE_AUTH_FATAL_TAIL, prefix)).primary
    assert primary is not None and primary.category == "auth_failure" and primary.certainty == "guess"
    reasoning = " ".join(primary.reasoning_in("en"))
    # (the secret masking every output goes through leaves the sentence whole: no "pre-shared key ****")
    assert "IKE_AUTH_I, an authentication step" in reasoning and mask_secrets(reasoning) == reasoning
    # XAUTH (IKEv1) and the step that prepares this side's own AUTH payload read the same.
    for state in ("STATE_XAUTH_I1", "IKE_SA_INIT_IR", "STATE_V2_PARENT_I2"):
        one = analyze_text(f'"vpn" #1: encountered fatal error in state {state}\n').primary
        assert one is not None and (one.category, one.certainty) == ("auth_failure", "guess"), state
    # IKEv1's own authentication steps read the same (libreswan's fail-x509-10 test: "037 "north-east-x509-pluto-02"
    # #1: encountered fatal error in state STATE_MAIN_I3" after the peer's certificate was refused) ...
    for state in ("STATE_MAIN_I3", "STATE_MAIN_R2", "STATE_AGGR_I1"):
        one = analyze_text(f'037 "north-east-x509-pluto-02" #1: encountered fatal error in state {state}\n').primary
        assert one is not None and (one.category, one.certainty) == ("auth_failure", "guess"), state
    # ... and a Child SA's or a Quick Mode's own state names no authentication step.
    assert analyze_text('"vpn" #3: encountered fatal error in state STATE_V2_CREATE_I\n').primary is None
    assert analyze_text('"vpn" #2: encountered fatal error in state STATE_QUICK_I1\n').primary is None


def test_a_fatal_error_after_a_refusal_that_names_no_setting_or_a_named_cause_is_not_called_authentication() -> None:
    rejected = (
        '"westnet-eastnet-ikev2" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with digital-signature RSASSA-PSS '
        "with SHA2_512 and DER_ASN1_DN 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=west'\n"
        '"westnet-eastnet-ikev2" #1: IKE SA authentication request rejected by peer: INVALID_SYNTAX\n'
        '"westnet-eastnet-ikev2" #1: encountered fatal error in state IKE_AUTH_I\n'
    )
    assert analyze_text(rejected).primary is None
    # the peer's own word wins over the guess
    failed = rejected.replace("INVALID_SYNTAX", "AUTHENTICATION_FAILED")
    primary = analyze_text(failed).primary
    assert primary is not None and (primary.category, primary.certainty) == ("auth_failure", "firm")


def test_pluto_s_second_line_about_a_notification_is_read_with_the_first() -> None:
    # libreswan 3.x/4.x (ikev1.c): "ignoring secured informational payload X" says the notification came encrypted
    # under the ISAKMP SA, so it refuses a Quick Mode (Main Mode's proposals are refused in the clear); the line pluto
    # adds after it ("received and ignored notification payload: X") is the same notification, not a second one.
    both = ('"tun" #1: ignoring secured informational payload NO_PROPOSAL_CHOSEN, msgid=a1b2c3d4, length=12\n'
            '"tun" #1: received and ignored notification payload: NO_PROPOSAL_CHOSEN\n')
    primary = analyze_text(both).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert [f.line for f in primary.chain] == [1]
    # the second line alone still reads as the refusal it reports
    alone = analyze_text(both.splitlines(keepends=True)[1]).primary
    assert alone is not None and alone.category == "phase1_proposal_mismatch"


def test_the_peers_malformed_payload_notifies_alone_are_a_guess_at_the_pre_shared_keys() -> None:
    # Openswan/libreswan 3.x (ikev1.c): the count of PAYLOAD_MALFORMED notifies the peer sent for a phase 1 state
    line = '"peer" #1: received 1 malformed payload notifies\n'
    primary = analyze_text(line).primary
    assert primary is not None and (primary.category, primary.certainty) == ("auth_failure", "guess")
    # over an ISAKMP SA that is up it says nothing about the keys
    up = ('"peer" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_128 integ=sha '
          'group=MODP2048}\n')
    assert analyze_text(up + line).primary is None


# libreswan 4.x/5.x writes an IPv6 endpoint in brackets ("sent IKE_AUTH request to [2001:db8:1:2::23]:UDP/500",
# testing/pluto/addresspool-46in6-ikev2/west.console.txt); the opportunistic transport-mode initiator of the
# development excerpt libreswan-v2-oe-transport-initiator-rejects-tunnel, with IPv6 addresses.
OE_TRANSPORT_REFUSED_IPV6 = """\
"private-or-clear#2001:db8:1:2::/64"[1] ...2001:db8:1:2::23 #1: sent IKE_AUTH request to [2001:db8:1:2::23]:UDP/500 with null and NULL 'ID_NULL'; Child SA #2 {ESP <0xESPESP} [2001:db8:1:2::45/128===2001:db8:1:2::23/128]
"private-or-clear#2001:db8:1:2::/64"[1] ...2001:db8:1:2::23 #1: processing IKE_AUTH response from [2001:db8:1:2::23]:UDP/500 containing SK{IDr,AUTH,N(NO_PROPOSAL_CHOSEN)}
"private-or-clear#2001:db8:1:2::/64"[1] ...2001:db8:1:2::23 #1: initiator established IKE SA; authenticated peer using authby=null and NULL 'ID_NULL'
"private-or-clear#2001:db8:1:2::/64"[1] ...2001:db8:1:2::23 #2: IKE_AUTH response rejected Child SA with NO_PROPOSAL_CHOSEN
"""


@pytest.mark.parametrize("prefix", ["none", "syslog", "journal"])
def test_an_ipv6_peer_in_brackets_gives_the_peer_and_the_child_sa_s_selectors(prefix: str) -> None:
    """The bracketed IPv6 endpoint is the peer, and the selectors after it are the Child SA's: host to host between
    the two gateways, so the refused Child SA is the IPsec mode (it was read as a phase 2 proposal mismatch: neither
    the peer nor the selectors were read from the line)."""
    primary = analyze_text(_render(OE_TRANSPORT_REFUSED_IPV6, prefix)).primary
    assert primary is not None and primary.category == "ipsec_mode_mismatch"
    assert primary.facts.get("peer") == "2001:db8:1:2::23"


# libreswan 4.x/5.x writes every endpoint of an IPv6 peer as [address]:port (lib/libswan/ip/ip_endpoint.c
# jam_endpoint): send.c's "send on %s from %s to %s using %s failed in %s: ", iface_tcp.c's "TCP: socket %d:
# connecting to %s: ", and the "packet from %s: " of a packet no connection took.
@pytest.mark.parametrize(("line", "category"), [
    ('"aws-tunnel-1" #1: send on eth1 from [2001:db8:1:2::45]:500 to [2001:db8:1:2::23]:500 using UDP failed in '
     "IKE_SA_INIT request: Network is unreachable (errno 101)", "peer_unreachable"),
    ('ERROR: "tcp": TCP: socket 7: connecting to [2001:db8:1:2::23]:4500: Connection refused (errno 111)',
     "peer_unreachable"),
    ("packet from [2001:db8:1:2::23]:500: initial Main Mode message received on [2001:db8:1:2::45]:500 but no "
     "connection has been authorized with policy PSK+IKEV1_ALLOW", "auth_failure"),
])
def test_ipv6_endpoints_in_brackets_are_read_with_their_peer(line: str, category: str) -> None:
    """The same lines with an IPv4 peer are read; with an IPv6 peer the send failure was not read at all."""
    analysis = analyze_text(_render(line, "syslog"))
    assert analysis.format == "libreswan"
    assert analysis.primary is not None and analysis.primary.category == category
    assert analysis.primary.facts.get("peer") == "2001:db8:1:2::23"


# libreswan 3.x (the libreswan wiki's opportunistic IPsec HOWTO) and 5.x (acquire.c cannot_ondemand, kernel.c
# jam_kernel_acquire): asked to initiate for a pair of addresses that no connection covers, pluto starts nothing.
@pytest.mark.parametrize("line", [
    "Cannot opportunistically initiate for 192.0.2.10 to 203.0.113.9: no routed template covers this pair",
    "cannot initiate on-demand for packet 192.0.2.10:8-ICMP->203.0.113.9:0 by whack: no routed template covers this pair",
])
@pytest.mark.parametrize("prefix", ["syslog", "whack"])
def test_no_connection_for_the_pair_is_a_tunnel_this_side_does_not_start(line: str, prefix: str) -> None:
    analysis = analyze_text(_render(line, prefix))
    assert analysis.format == "libreswan"
    primary = analysis.primary
    assert primary is not None and primary.category == "cgw_not_initiating"
    assert primary.facts.get("peer") == "203.0.113.9"
    assert any("No connection of this side covers the two addresses" in r.render("en") for r in primary.reasoning)


@pytest.mark.parametrize("prefix", ["syslog", "none"])
def test_a_peer_name_that_does_not_resolve_is_no_silent_peer(prefix: str) -> None:
    """pluto's initiate.c: the peer is a host name that has not resolved, so nothing was sent (the reading said the
    peer did not answer, for charon's "unable to resolve"); a connection with no peer address at all (right=%any)
    cannot be started from this side."""
    unresolved = analyze_text(_render('"named": cannot initiate connection without resolved dynamic peer IP address, '
                                      "will keep retrying (kind=CK_PERMANENT)", prefix)).primary
    assert unresolved is not None and unresolved.category == "peer_unreachable"
    assert "does not resolve" in unresolved.summary.render("en")
    assert not any("no answer" in r.render("en") for r in unresolved.reasoning)
    template = analyze_text(_render('"aws-tunnel-1": cannot initiate connection (serial $1) without knowing peer IP '
                                    "address (kind=CK_TEMPLATE)", prefix)).primary
    assert template is not None and template.category == "cgw_not_initiating"
    assert any("names no peer address" in r.render("en") for r in template.reasoning)


# libreswan 3.32's test ikev2-initiate-template-01, west's console: a template (right=%any) cannot be started, then it
# is started with the peer's address given, and comes up.
# https://github.com/libreswan/libreswan/blob/v3.32/testing/pluto/ikev2-initiate-template-01/west.console.txt
TEMPLATE_STARTED_WITH_ADDRESS = (
    ' ipsec auto --up  westnet-eastnet-ipv4-psk-ikev2\n'
    '029 "westnet-eastnet-ipv4-psk-ikev2": cannot initiate connection without knowing peer IP address (kind=CK_TEMPLATE)\n'
    '036 failed to initiate westnet-eastnet-ipv4-psk-ikev2\n'
    ' # Now we specify the remote ip, so the connection knows how to initiate\n'
    ' ipsec auto --remote-host 192.1.2.23 --up westnet-eastnet-ipv4-psk-ikev2\n'
    '002 "westnet-eastnet-ipv4-psk-ikev2": instantiated connection "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 with remote IP set to 192.1.2.23\n'
    '1v2 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #1: initiating IKEv2 IKE SA\n'
    '1v2 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #1: STATE_PARENT_I1: sent v2I1, expected v2R1\n'
    '1v2 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #2: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}\n'
    '002 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #2: IKEv2 mode peer ID is ID_FQDN: \'@east\'\n'
    '003 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #2: Authenticated using authby=secret\n'
    '002 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]\n'
    '004 "westnet-eastnet-ipv4-psk-ikev2"[1] 192.1.2.23 #2: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}\n'
    ' ping -n -c 4 -I 192.0.1.254 192.0.2.254\n'
)


def test_a_template_that_could_not_start_is_no_cause_once_it_came_up_with_the_peers_address() -> None:
    assert analyze_text(TEMPLATE_STARTED_WITH_ADDRESS).primary is None
    declined = TEMPLATE_STARTED_WITH_ADDRESS.split(" # Now")[0]
    primary = analyze_text(declined).primary
    assert primary is not None and primary.category == "cgw_not_initiating"
    # traffic no connection covers (the line names none: dev/libreswan-oe-whack-oppo-no-routed-template-covers-pair),
    # then another connection up: the first stays unstarted
    uncovered = ("002 initiate on demand from 76.10.157.68:0 to 1.2.3.4:0 proto=0 because: whack\n"
                 "002 Cannot opportunistically initiate for 76.10.157.68 to 1.2.3.4: no routed template covers this "
                 "pair\n")
    primary = analyze_text(uncovered + TEMPLATE_STARTED_WITH_ADDRESS.split(" # Now")[1]).primary
    assert primary is not None and primary.category == "cgw_not_initiating"


@pytest.mark.parametrize("line", ["unable to resolve %any, initiate aborted", "unable to resolve %any, retrying in 30s"])
def test_charon_asked_to_start_a_connection_to_any_cannot_start_it(line: str) -> None:
    """charon's ike_sa.c prints the connection's remote address it could not resolve: %any is no name that failed to
    resolve but a connection without a peer address (right=%any), which only the peer can start."""
    primary = analyze_text("Dec  7 10:00:01 gw charon: 08[IKE] " + line + "\n").primary
    assert primary is not None and primary.category == "cgw_not_initiating"
    assert any("names no peer address" in r.render("en") for r in primary.reasoning)


# libreswan's iface_udp.c: an ICMP error came back for an IKE packet (the test suite's and a field report's wording,
# lab/data/patterns/30-libreswan.yaml lib-icmp-unreachable); who sent it and what it says tell a stopped IKE service
# from a broken path, where the reading said only that the peer did not answer.
def test_an_icmp_refusal_is_a_peer_that_does_not_accept_ike_and_no_route_is_the_path() -> None:
    refused = analyze_text(_render(
        "ERROR: asynchronous network error report on br0 (sport=4500) for message to 192.168.1.1 port 4500, "
        "complainant 192.168.1.1: Connection refused [errno 111, origin ICMP type 3 code 3 (not authenticated)]",
        "syslog")).primary
    assert refused is not None and refused.category == "peer_unreachable"
    reading = " ".join(r.render("en") for r in refused.reasoning)
    assert "nothing accepts IKE there" in reading and "negotiation got no answer" not in reading
    no_route = analyze_text(_render(
        "ERROR: asynchronous network error report on eth0 (sport=500) for message to 203.0.113.9 port 500, "
        "complainant 198.51.100.1: No route to host [errno 113, origin ICMP type 3 code 1 (not authenticated)]",
        "syslog")).primary
    assert no_route is not None and no_route.category == "peer_unreachable"
    assert "198.51.100.1 reported the peer's address unreachable" in no_route.reasoning[0].render("en")
    assert "no route" in no_route.summary.render("en")


def test_retransmissions_each_answered_by_an_icmp_refusal_are_a_refusal_not_silence() -> None:
    # tests/data/strongswan-lab/pl-v2-unreachable (libreswan 5.4, the peer's IKE daemon stopped): every retransmitted
    # IKE_SA_INIT is followed by the ICMP port unreachable the peer's host sent back.
    body = "\n".join(['"gw" #1: sent IKE_SA_INIT request to 192.0.2.2:UDP/500'] + [
        line for wait in ("0.5 seconds", "1 second", "2 seconds") for line in (
            '"gw" #1: ERROR: asynchronous network error report on vl (192.0.2.1:500), complainant 192.0.2.2: '
            "Connection refused [errno 111, origin ICMP type 3 code 3 (not authenticated)]",
            f'"gw" #1: retransmitting IKE_SA_INIT request; will wait {wait} for response')])
    primary = analyze_text(_render(body, "timestamp")).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert "refuses IKE" in primary.summary.render("en")
    assert "(Connection refused; 3 times)" in primary.reasoning[0].render("en")


# libreswan 3.20's test ikev2-45-impair-gx-01, east's console: west sends a KE value of zero (impair-send-zero-gx),
# and east, computing the IKE SA's shared secret as it reads the IKE_AUTH request, cannot.
# https://github.com/libreswan/libreswan/blob/v3.20/testing/pluto/ikev2-45-impair-gx-01/east.console.txt
KE_REFUSED_IN_IKE_AUTH = (
    "| ikev2_parent_inI2outR2_tail returned STF_FAIL with v2N_INVALID_KE_PAYLOAD\n"
    "| #1 complete v2 state transition from STATE_PARENT_R1 with v2N_INVALID_KE_PAYLOAD\n"
    '"westnet-eastnet-ipv4-psk-ikev2" #1: sending unencrypted notification v2N_INVALID_KE_PAYLOAD to 192.1.2.45:500\n'
    "|    Notify Message Type: v2N_INVALID_KE_PAYLOAD (0x11)\n"
    "| state transition function for STATE_PARENT_R1 failed: v2N_INVALID_KE_PAYLOAD\n"
)


def test_invalid_ke_payload_in_ike_auth_is_the_ike_sas_key_exchange() -> None:
    # IKE_AUTH carries no KE payload (RFC 7296 section 1.2): the Child SA in it is not what was refused, the IKE SA's
    # key exchange of IKE_SA_INIT is (it read as a phase 2 PFS mismatch).
    primary = analyze_text(KE_REFUSED_IN_IKE_AUTH).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    assert primary.facts.get("exchange") == "IKE_AUTH" and primary.facts.get("sa") == "ike"


# libreswan 4.0's test ikev2-x509-32-id-any, west's console: the peer's certificate has no subjectAltName for its IKE
# ID, and require-id-on-certificate=no lets that pass; the IKE SA (#1) authenticates and the Child SA (#2) comes up.
# https://github.com/libreswan/libreswan/blob/v4.0/testing/pluto/ikev2-x509-32-id-any/west.console.txt
SAN_MISMATCH_ALLOWED = (
    '1v2 "ikev2-westnet-eastnet-x509-cr" #1: initiating IKEv2 connection\n'
    '1v2 "ikev2-westnet-eastnet-x509-cr" #1: sent IKE_SA_INIT request\n'
    '1v2 "ikev2-westnet-eastnet-x509-cr" #1: sent IKE_AUTH request {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}\n'
    '002 "ikev2-westnet-eastnet-x509-cr" #1: certificate verified OK: E=user-east-nosan@testing.libreswan.org,CN=east-nosan.testing.libreswan.org,OU=Test Department,O=Libreswan,L=Toronto,ST=Ontario,C=CA\n'
    '003 "ikev2-westnet-eastnet-x509-cr" #1: certificate contains no subjectAltName extension to match ID_IPV4_ADDR \'192.1.2.23\'\n'
    '002 "ikev2-westnet-eastnet-x509-cr" #1: Peer CERT payload SubjectAltName does not match peer ID for this connection\n'
    '002 "ikev2-westnet-eastnet-x509-cr" #1: X509: connection allows unmatched IKE ID and certificate SAN\n'
    '003 "ikev2-westnet-eastnet-x509-cr" #1: authenticated using RSA with SHA2_512\n'
    '002 "ikev2-westnet-eastnet-x509-cr" #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]\n'
    '004 "ikev2-westnet-eastnet-x509-cr" #2: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}\n'
)


def test_a_complaint_about_the_peers_certificate_that_a_policy_lets_pass_is_no_cause() -> None:
    # libreswan 4 logs the complaint on the IKE SA's state and the establishment on the Child SA's (it read as an
    # authentication failure of a tunnel that came up)
    assert analyze_text(SAN_MISMATCH_ALLOWED).primary is None
    # without the Child SA the complaint stands
    failed = SAN_MISMATCH_ALLOWED.split("003 \"ikev2-westnet-eastnet-x509-cr\" #1: authenticated")[0]
    primary = analyze_text(failed).primary
    assert primary is not None and primary.category == "auth_failure"


# libreswan 3.25's test ikev1-impair-01-replay-duplicates, east's console (the responder; every packet west sends
# arrives twice): its log's duplicate lines, as the test greps them.
# https://github.com/libreswan/libreswan/blob/v3.25/testing/pluto/ikev1-impair-01-replay-duplicates/east.console.txt
DUPLICATES_AT_THE_RESPONDER = (
    " grep 'duplicate packet' /tmp/pluto.log\n"
    "IMPAIR: start duplicate packet\n"
    '"westnet-eastnet" #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1\n'
    "IMPAIR: stop duplicate packet\n"
    "IMPAIR: start duplicate packet\n"
    '"westnet-eastnet" #1: retransmitting in response to duplicate packet; already STATE_MAIN_R3\n'
    "IMPAIR: stop duplicate packet\n"
    "IMPAIR: start duplicate packet\n"
    '| "westnet-eastnet" #2: discarding duplicate packet; already STATE_QUICK_R2\n'
    "IMPAIR: stop duplicate packet\n"
)


def test_a_duplicate_the_quick_mode_responder_discards_leaves_nothing_out_of_step() -> None:
    # The responder installs its IPsec SA on the initiator's third Quick Mode message: a packet seen again in QUICK_R2
    # is a duplicate, not a lost message (it read as SAs out of step after a rekey).
    assert analyze_text(DUPLICATES_AT_THE_RESPONDER).primary is None
    # The initiator seeing the responder's answer again (QUICK_I2) means its third message was lost: out of step.
    lost = '"westnet-eastnet" #2: discarding duplicate packet; already STATE_QUICK_I2\n'
    primary = analyze_text(lost).primary
    assert primary is not None and primary.category == "rekey_issue"


# https://github.com/hwdsl2/docker-ipsec-vpn-server/issues/363: an iOS client stays "connecting"; the server's log.
IKE_AUTH_ANSWER_LOST = (
    '2023-03-31T03:46:51.720843+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[2] 106.121.9.95 #3: IKE_AUTH request fragment 1 of 4 has duplicate Message ID 1; retransmitting response\n'
    '2023-03-31T03:46:59.107102+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[1] 106.121.9.95 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 16 seconds for response\n'
    '2023-03-31T03:46:59.900381+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[2] 106.121.9.95 #3: IKE_AUTH request fragment 1 of 4 has duplicate Message ID 1; retransmitting response\n'
    '2023-03-31T03:47:04.188436+00:00 d5b04a77cc0c pluto[1025]: packet from 184.105.247.244:17702: initial Main Mode message received but no connection has been authorized with authby=none and xauth=no\n'
    '2023-03-31T03:47:15.107750+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[1] 106.121.9.95 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 32 seconds for response\n'
    '2023-03-31T03:47:15.223689+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[2] 106.121.9.95 #3: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    '2023-03-31T03:47:15.731258+00:00 d5b04a77cc0c pluto[1025]: "ikev2-cp"[2] 106.121.9.95 #3: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 1 seconds for response\n'
)


def test_the_peer_repeating_its_ike_auth_then_silence_over_that_ike_sa_is_the_lost_answer() -> None:
    # The client sent its IKE_AUTH request again twice after the server had answered, and never answered the server's
    # liveness checks of that IKE SA: it never got the answer (it read as a dead peer).
    primary = analyze_text(IKE_AUTH_ANSWER_LOST).primary
    assert primary is not None and primary.category == "peer_unreachable"
    reasons = " ".join(r.render("en") for r in primary.reasoning)
    assert "do not reach the peer" in reasons and "has no IKE SA to answer them on" in reasons
    # the repeats alone (no request of this side's after them) stay a lost packet or two
    repeats = "".join(line + "\n" for line in IKE_AUTH_ANSWER_LOST.splitlines() if "duplicate" in line)
    assert analyze_text(repeats).primary is None


# https://github.com/hwdsl2/setup-ipsec-vpn/issues/331: an L2TP/IPsec client never gets past Main Mode.
FIRST_MESSAGE_REPEATED = (
    'Mar  6 06:17:25 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: responding to Main Mode from unknown peer 120.85.64.3 on port 7576\n'
    'Mar  6 06:17:25 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: WARNING: connection l2tp-psk PSK length of 8 bytes is too short for sha2_256 PRF in FIPS mode (16 bytes required)\n'
    'Mar  6 06:17:25 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: STATE_MAIN_R1: sent MR1, expecting MI2\n'
    'Mar  6 06:17:28 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1\n'
    'Mar  6 06:17:31 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1\n'
    'Mar  6 06:17:34 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1\n'
    'Mar  6 06:17:41 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #2: responding to Main Mode from unknown peer 120.85.64.3 on port 7576\n'
    'Mar  6 06:17:41 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #2: WARNING: connection l2tp-psk PSK length of 8 bytes is too short for sha2_256 PRF in FIPS mode (16 bytes required)\n'
    'Mar  6 06:17:41 6a4c93e34bea pluto[608]: "l2tp-psk"[1] 120.85.64.3 #2: STATE_MAIN_R1: sent MR1, expecting MI2\n'
)


def test_the_peer_repeating_its_first_main_mode_message_counts_as_starts_the_first_reply_did_not_reach() -> None:
    # Two states, each left at this side's first reply, and the client's first message received again three times in
    # between: the reply does not reach the client (it read as nothing to fix).
    primary = analyze_text(FIRST_MESSAGE_REPEATED).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert "sent its first message again 3 times" in " ".join(r.render("en") for r in primary.reasoning)
    # one state and one repeat is a lost packet
    once = "".join(line + "\n" for line in FIRST_MESSAGE_REPEATED.splitlines()[:4])
    assert analyze_text(once).primary is None


# https://github.com/hwdsl2/setup-ipsec-vpn/issues/1068: a server's liveness checks of a client, as its log shows them.
LIVENESS_ON_A_LOSSY_PATH = (
    'Dec 15 13:19:07 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    'Dec 15 13:28:07 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    'Dec 15 13:28:08 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 1 seconds for response\n'
    'Dec 15 13:29:07 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    'Dec 15 13:30:07 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    'Dec 15 13:31:07 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response\n'
    'Dec 15 13:31:08 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 1 seconds for response\n'
    'Dec 15 13:31:09 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 2 seconds for response\n'
    'Dec 15 13:31:11 vpn pluto[184801]: "ikev2-cp"[2] 171.218.43.53 #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 4 seconds for response\n'
)


def test_liveness_checks_answered_after_retransmissions_are_separate_requests() -> None:
    # pluto doubles its wait for each retransmission of one request: a wait that starts over at 0.5 s is a new check,
    # so the ones before were answered. Five checks, each answered after one or two retransmissions, and the last one
    # 4 s into its retransmissions when the log ends: packet loss, not a dead peer (it read as 9 retransmissions of
    # one unanswered check).
    assert analyze_text(LIVENESS_ON_A_LOSSY_PATH).primary is None
    # the last check alone (no check before it in the paste)
    assert analyze_text("".join(line + "\n" for line in LIVENESS_ON_A_LOSSY_PATH.splitlines()[-4:])).primary is not None
    # the same check still unanswered 16 s on is a dead peer's silence
    longer = LIVENESS_ON_A_LOSSY_PATH + LIVENESS_ON_A_LOSSY_PATH.splitlines()[-1].replace(
        "13:31:11", "13:31:15").replace("wait 4 seconds", "wait 8 seconds") + "\n" + LIVENESS_ON_A_LOSSY_PATH.splitlines(
        )[-1].replace("13:31:11", "13:31:23").replace("wait 4 seconds", "wait 16 seconds") + "\n"
    primary = analyze_text(longer).primary
    assert primary is not None and primary.category == "dpd_timeout"
    assert primary.reasoning[0].render("en").startswith("Lines 6-11: ")  # (the last check's own retransmissions)
    assert "6 retransmissions" in primary.reasoning[0].render("en")


# https://github.com/hwdsl2/setup-ipsec-vpn/issues/1190
XAUTH_TIMED_OUT = (
    'Jun 30 19:20:19 orangepizero pluto[3268]: "xauth-psk"[47] YYY.YYY.YYY.YYY #135: STATE_XAUTH_R0: retransmission; will wait 32 seconds for response\n'
    'Jun 30 19:20:19 orangepizero pluto[3268]: "xauth-psk"[47] YYY.YYY.YYY.YYY #135: XAUTH: Sending Username/Password request (XAUTH_R0->XAUTH_R0)\n'
    'Jun 30 19:20:51 orangepizero pluto[3268]: "xauth-psk"[47] YYY.YYY.YYY.YYY #135: STATE_XAUTH_R0: 60 second timeout exceeded after 7 retransmits.  No response (or no acceptable response) to our IKEv1 message\n'
    'Jun 30 19:20:51 orangepizero pluto[3268]: "xauth-psk"[47] YYY.YYY.YYY.YYY #135: deleting state (STATE_XAUTH_R0) aged 66.039479s and sending notification\n'
    'Jun 30 19:20:51 orangepizero pluto[3268]: "xauth-psk"[47] YYY.YYY.YYY.YYY: deleting connection instance with peer YYY.YYY.YYY.YYY {isakmp=#0/ipsec=#0}\n'
    'Jun 30 19:20:52 orangepizero pluto[3268]: "xauth-psk"[48] YYY.YYY.YYY.YYY #136: responding to Main Mode from unknown peer YYY.YYY.YYY.YYY:61713\n'
    'Jun 30 19:20:52 orangepizero pluto[3268]: "xauth-psk"[48] YYY.YYY.YYY.YYY #136: sent Main Mode R1\n'
    'Jun 30 19:20:52 orangepizero pluto[3268]: "xauth-psk"[48] YYY.YYY.YYY.YYY #136: sent Main Mode R2\n'
    'Jun 30 19:20:52 orangepizero pluto[3268]: "xauth-psk"[48] YYY.YYY.YYY.YYY #136: Peer ID is ID_IPV4_ADDR: \'10.X.X.190\'\n'
)


# https://github.com/hwdsl2/setup-ipsec-vpn/issues/1383
XAUTH_UNANSWERED = (
    'May 24 03:29:00 racknerd-06b6073 pluto[13088]: "xauth-psk"[1] 39.144.45.236: deleting connection instance with peer 39.144.45.236\n'
    'May 24 03:29:00 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}\n'
    'May 24 03:29:00 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: XAUTH: Sending Username/Password request (MAIN_R3->XAUTH_R0)\n'
    'May 24 03:29:01 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: STATE_XAUTH_R0: retransmission; will wait 0.5 seconds for response\n'
    'May 24 03:29:01 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: XAUTH: Sending Username/Password request (XAUTH_R0->XAUTH_R0)\n'
    'May 24 03:29:01 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: STATE_XAUTH_R0: retransmission; will wait 1 seconds for response\n'
    'May 24 03:29:01 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: XAUTH: Sending Username/Password request (XAUTH_R0->XAUTH_R0)\n'
    'May 24 03:29:02 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: STATE_XAUTH_R0: retransmission; will wait 2 seconds for response\n'
    'May 24 03:29:02 racknerd-06b6073 pluto[13088]: "xauth-psk"[2] 39.144.45.236 #1: XAUTH: Sending Username/Password request (XAUTH_R0->XAUTH_R0)\n'
)


@pytest.mark.parametrize("log", [XAUTH_TIMED_OUT, XAUTH_UNANSWERED], ids=["timed-out", "unanswered"])
def test_an_xauth_request_the_client_never_answers_is_the_client_s_xauth_setup(log: str) -> None:
    # pluto sends its XAUTH request only after Main Mode authenticated both sides: the client is reachable and the
    # pre-shared key matched (it read as the peer not answering IKE at all)
    primary = analyze_text(log).primary
    assert primary is not None and primary.category == "auth_failure"
    reasons = " ".join(r.render("en") for r in primary.reasoning)
    assert "the XAUTH server" in reasons and "refused" not in reasons



# https://github.com/xelerance/Openswan/issues/77: Openswan 2.6.32 as Main Mode initiator with certificates.
OWN_KEY_NOT_IN_NSS = (
    '104 "office_b_tun" #3: STATE_MAIN_I1: initiate\n'
    '003 "office_b_tun" #3: received Vendor ID payload [Openswan (this version) 2.6.32 ]\n'
    '003 "office_b_tun" #3: received Vendor ID payload [Dead Peer Detection]\n'
    '003 "office_b_tun" #3: received Vendor ID payload [RFC 3947] method set to=109\n'
    '106 "office_b_tun" #3: STATE_MAIN_I2: sent MI2, expecting MR2\n'
    '003 "office_b_tun" #3: NAT-Traversal: Result using RFC 3947 (NAT-Traversal): no NAT detected\n'
    '003 "office_b_tun" #3: Can\'t find the private key from the NSS CERT (err -12285)\n'
    '108 "office_b_tun" #3: STATE_MAIN_I3: sent MI3, expecting MR3\n'
    '003 "office_b_tun" #3: ignoring informational payload, type INVALID_KEY_INFORMATION msgid=00000000\n'
    '003 "office_b_tun" #3: received and ignored informational message\n'
    '010 "office_b_tun" #3: STATE_MAIN_I3: retransmission; will wait 20s for response\n'
    '003 "office_b_tun" #3: ignoring informational payload, type INVALID_KEY_INFORMATION msgid=00000000\n'
    '003 "office_b_tun" #3: received and ignored informational message\n'
    '003 "office_b_tun" #3: discarding duplicate packet; already STATE_MAIN_I3\n'
    '010 "office_b_tun" #3: STATE_MAIN_I3: retransmission; will wait 40s for response\n'
    '003 "office_b_tun" #3: ignoring informational payload, type INVALID_KEY_INFORMATION msgid=00000000\n'
)


def test_openswans_own_private_key_missing_from_nss_is_the_cause_not_the_peers_refusal() -> None:
    # The peer's INVALID_KEY_INFORMATION answers a Main Mode message this side could not sign (it read as the peer's
    # refusal of an unnamed credential)
    primary = analyze_text(OWN_KEY_NOT_IN_NSS).primary
    assert primary is not None and primary.category == "auth_failure"
    assert "could not find its own private key" in primary.reasoning[1].render("en")


# https://github.com/libreswan/libreswan/issues/270
UNKNOWN_PHASE1_EXCHANGE = (
    'packet from asaglobalip:500: phase 1 message is part of an unknown exchange\n'
    'packet from asaglobalip:500: phase 1 message is part of an unknown exchange\n'
    'packet from asaglobalip:500: phase 1 message is part of an unknown exchange\n'
    'packet from asaglobalip:500: phase 1 message is part of an unknown exchange\n'
    'initiate on demand from 192.168.15.15:37760 to 10.22.8.18:1025 proto=17 because: acquire\n'
    'assign_holdpass() no bare shunt to remove? - mismatch?\n'
)


# https://github.com/hwdsl2/setup-ipsec-vpn/issues/595
PLUTO_LOGFILE_START = (
    'Aug  9 14:08:35.595762: NSS DB directory: sql:/etc/ipsec.d\n'
    'Aug  9 14:08:35.596256: Initializing NSS\n'
    'Aug  9 14:08:35.596278: Opening NSS database "sql:/etc/ipsec.d" read-only\n'
    'Aug  9 14:08:35.715615: NSS initialized\n'
    'Aug  9 14:08:35.715668: NSS crypto library initialized\n'
    'Aug  9 14:08:35.715680: FIPS HMAC integrity support [disabled]\n'
    'Aug  9 14:08:35.716044: libcap-ng support [enabled]\n'
    'Aug  9 14:08:35.716059: Linux audit support [disabled]\n'
    'Aug  9 14:08:35.716074: Starting Pluto (Libreswan Version 3.29 XFRM(netkey) esp-hw-offload FORK PTHREAD_SETSCHEDPRIO NSS (AVA copy) SYSTEMD_WATCHDOG LABELED_IPSEC LIBCAP_NG XAUTH_PAM NETWORKMANAGER CURL(non-NSS)) pid:8740\n'
    'Aug  9 14:08:35.716085: core dump dir: /run/pluto\n'
    'Aug  9 14:08:35.716096: secrets file: /etc/ipsec.secrets\n'
    'Aug  9 14:08:35.716106: leak-detective enabled\n'
    'Aug  9 14:08:35.716115: NSS crypto [enabled]\n'
    'Aug  9 14:08:35.716125: XAUTH PAM support [enabled]\n'
    'Aug  9 14:08:35.716263: Initializing libevent in pthreads mode: headers: 2.0.21-stable (2001500); library: 2.0.21-stable (2001500)\n'
    'Aug  9 14:08:35.716448: NAT-Traversal support  [enabled]\n'
)


# https://github.com/submariner-io/submariner/issues/1081
PLUTO_LOGFILE_QUEUING = (
    'Jan 26 08:12:44.996002: added IKEv2 connection "submariner-cable-pkomarov-cluster-a-10-1-64-160-1-1"\n'
    'Jan 26 08:12:44.997500: "submariner-cable-pkomarov-cluster-a-10-1-64-160-1-1": queuing pending IPsec SA negotiating with 18.225.31.220 IKE SA #1 "submariner-cable-pkomarov-cluster-a-10-1-64-160-0-0"\n'
    'Jan 26 08:12:44.998269: added IKEv2 connection "submariner-cable-pkomarov-cluster-a-10-1-64-160-1-2"\n'
    'Jan 26 08:12:44.999795: "submariner-cable-pkomarov-cluster-a-10-1-64-160-1-2": queuing pending IPsec SA negotiating with 18.225.31.220 IKE SA #1 "submariner-cable-pkomarov-cluster-a-10-1-64-160-0-0"\n'
    'Jan 26 08:12:45.000607: added IKEv2 connection "submariner-cable-pkomarov-cluster-a-10-1-64-160-2-0"\n'
    'Jan 26 08:12:45.001969: "submariner-cable-pkomarov-cluster-a-10-1-64-160-2-0": queuing pending IPsec SA negotiating with 18.225.31.220 IKE SA #1 "submariner-cable-pkomarov-cluster-a-10-1-64-160-0-0"\n'
    'Jan 26 08:12:45.002788: added IKEv2 connection "submariner-cable-pkomarov-cluster-a-10-1-64-160-2-1"\n'
    'Jan 26 08:12:45.004098: "submariner-cable-pkomarov-cluster-a-10-1-64-160-2-1": queuing pending IPsec SA negotiating with 18.225.31.220 IKE SA #1 "submariner-cable-pkomarov-cluster-a-10-1-64-160-0-0"\n'
)


@pytest.mark.parametrize("log", [UNKNOWN_PHASE1_EXCHANGE, PLUTO_LOGFILE_START, PLUTO_LOGFILE_QUEUING],
                         ids=["unknown-exchange", "starting", "queuing"])
def test_pluto_s_own_log_file_without_a_syslog_tag_is_read_as_libreswan(log: str) -> None:
    # logfile= lines carry no pluto[pid]: tag (they read as a format not recognised)
    assert analyze_text(log).format == "libreswan"


def test_a_phase_1_message_of_an_exchange_pluto_has_no_state_for_is_phase_1_out_of_step() -> None:
    # libreswan/libreswan#270: a Cisco ASA goes on with a phase 1 pluto no longer has, again and again (it read as
    # nothing to fix)
    primary = analyze_text(UNKNOWN_PHASE1_EXCHANGE).primary
    assert primary is not None and primary.category == "rekey_issue" and primary.facts.get("sa") == "ike"



# https://github.com/libreswan/libreswan/issues/282: pluto's debug output as responder (AWS instance, OE with AUTHNULL)
NO_CONNECTION_FOR_THE_PEERS_ADDRESS = (
    'Oct 25 18:52:28.892228: | find_next_host_connection returns empty\n'
    'Oct 25 18:52:28.892232: | find_host_connection me=172.31.24.85:500 him=%any:500 policy=AUTHNULL+IKEV2_ALLOW\n'
    'Oct 25 18:52:28.892236: | find_host_pair: comparing 172.31.24.85:500 to 54.196.99.188:500\n'
    'Oct 25 18:52:28.892240: | find_next_host_connection policy=AUTHNULL+IKEV2_ALLOW\n'
    'Oct 25 18:52:28.892242: | find_next_host_connection returns empty\n'
    'Oct 25 18:52:28.892247: | initial parent SA message received on 172.31.24.85:500 but no connection has been authorized with policy AUTHNULL+IKEV2_ALLOW\n'
    'Oct 25 18:52:28.892252: packet from 54.166.242.47:500: initial parent SA message received on 172.31.24.85:500 but no suitable connection found with IKEv2 policy\n'
    'Oct 25 18:52:28.892258: | skip start processing: state #0 (in complete_v2_state_transition() at ikev2.c:3157)\n'
    'Oct 25 18:52:28.892264: | #0 complete v2 state transition from UNDEFINED md.from_state=PARENT_R0 svm.state=PARENT_R0 to PARENT_R1 with status STF_FAIL+v2N_NO_PROPOSAL_CHOSEN\n'
    'Oct 25 18:52:28.892267: | sending a notification reply\n'
    'Oct 25 18:52:28.892273: packet from 54.166.242.47:500: responding to IKE_SA_INIT (34) message (Message ID 0) from 54.166.242.47:500 with unencrypted notification NO_PROPOSAL_CHOSEN\n'
    'Oct 25 18:52:28.892280: | Opening output PBS unencrypted notification\n'
)


def test_a_request_from_an_address_no_connection_names_is_no_version_mismatch() -> None:
    # The debug lines name the connection's peer address (54.196.99.188); the IKEv2 request came from 54.166.242.47
    # and pluto searched its IKEv2 connections (it read as an IKE version mismatch)
    primary = analyze_text(NO_CONNECTION_FOR_THE_PEERS_ADDRESS).primary
    assert primary is not None and primary.category == "auth_failure"
    assert primary.facts.get("peer") == "54.166.242.47"
    assert "54.196.99.188" in primary.reasoning[1].render("en")



# https://github.com/xelerance/Openswan/issues/124: an Openswan server whose connection requires XAUTH, a client
# offering plain RSA signatures.
XAUTH_REQUIRED_BY_POLICY = (
    'packet from 192.168.1.100:500: received Vendor ID payload [Openswan (this version) 2.6.37 ]\n'
    'packet from 192.168.1.100:500: received Vendor ID payload [Dead Peer Detection]\n'
    '"xauth_cert"[1] 192.168.1.100 #2: responding to Main Mode from unknown peer 192.168.1.100\n'
    '"xauth_cert"[1] 192.168.1.100 #2: policy mandates Extended Authentication (XAUTH) with RSA of initiator (we are responder).  Attribute OAKLEY_AUTHENTICATION_METHOD\n'
    '"xauth_cert"[1] 192.168.1.100 #2: policy mandates Extended Authentication (XAUTH) with RSA of initiator (we are responder).  Attribute OAKLEY_AUTHENTICATION_METHOD\n'
    '"xauth_cert"[1] 192.168.1.100 #2: policy mandates Extended Authentication (XAUTH) with RSA of initiator (we are responder).  Attribute OAKLEY_AUTHENTICATION_METHOD\n'
    '"xauth_cert"[1] 192.168.1.100 #2: policy mandates Extended Authentication (XAUTH) with RSA of initiator (we are responder).  Attribute OAKLEY_AUTHENTICATION_METHOD\n'
    '"xauth_cert"[1] 192.168.1.100 #2: policy mandates Extended Authentication (XAUTH) with RSA of initiator (we are responder).  Attribute OAKLEY_AUTHENTICATION_METHOD\n'
)


def test_an_offer_whose_authentication_method_the_connection_does_not_allow_is_an_authentication_mismatch() -> None:
    # (it read as nothing to fix)
    primary = analyze_text(XAUTH_REQUIRED_BY_POLICY).primary
    assert primary is not None and primary.category == "auth_failure"
