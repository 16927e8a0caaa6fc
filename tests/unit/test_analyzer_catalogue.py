"""Catalogue entries taken from the daemons' own message strings: ipsec-tools racoon, libreswan pluto and
strongSwan charon, and the protocol rules they feed (host-to-host Child SAs refused for their mode,
a CREATE_CHILD_SA refused after the Child SA was up).

Lines are real output (libreswan's test suite, pfSense's documentation, public threads) or written in
the daemon's exact format from its source file, with the values its test suite uses.
"""

from __future__ import annotations

import pytest

from lab.analyzer import FORMAT_NAMES, FORMATS, analyze_text


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# ---- racoon (ipsec-tools src/racoon: isakmp_inf.c, isakmp_quick.c, proposal.c, oakley.c, isakmp.c) ----


def test_racoon_is_a_format_of_its_own() -> None:
    assert "racoon" in FORMATS and "racoon" in FORMAT_NAMES
    # pfSense documentation (source/vpn/ipsec/ipsec-troubleshooting.rst at 1d100e79), racoon era.
    result = analyze_text("Feb 20 10:33:41  racoon: ERROR: failed to pre-process packet.\n"
                          "Feb 20 10:33:41  racoon: ERROR: failed to get sainfo.\n")
    assert result.format == "racoon"
    assert result.primary is not None and result.primary.category == "traffic_selector_mismatch"


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # isakmp_inf.c isakmp_log_notify(): the exchange names the phase.
        ("racoon: INFO: begin Identity Protection mode.\n"
         "racoon: ERROR: notification NO-PROPOSAL-CHOSEN received in identity exchange.\n",
         "phase1_proposal_mismatch"),
        ("racoon: INFO: ISAKMP-SA established 200.XX.XX.146[500]-66.XXX.XXX.14[500] spi:2cd389a89b786de9:870409ed40da6e62\n"
         "racoon: INFO: initiate new phase 2 negotiation: 200.XX.XX.146[500]<=>66.XXX.XXX.14[500]\n"
         "racoon: ERROR: notification INVALID-ID-INFORMATION received in informational exchange.\n",
         "traffic_selector_mismatch"),
        # proposal.c cmpsaprop_alloc(): the encapsulation mode differs before any transform is compared.
        ("racoon: INFO: respond new phase 2 negotiation: 200.XX.XX.146[500]<=>66.XXX.XXX.14[500]\n"
         "racoon: ERROR: encmode mismatched: my:Tunnel peer:Transport\n"
         "racoon: ERROR: no proposal chosen.\n",
         "ipsec_mode_mismatch"),
        ("racoon: INFO: respond new phase 2 negotiation: 200.XX.XX.146[500]<=>66.XXX.XXX.14[500]\n"
         "racoon: ERROR: pfs group mismatched: my:2 peer:5\n"
         "racoon: ERROR: no proposal chosen.\n",
         "phase2_proposal_mismatch"),
        ("racoon: INFO: initiate new phase 1 negotiation: 200.XX.XX.146[500]<=>66.XXX.XXX.14[500]\n"
         "racoon: ERROR: phase1 negotiation failed due to time up. 2cd389a89b786de9:0000000000000000\n",
         "peer_unreachable"),
        ("racoon: ERROR: exchange Aggressive not allowed in any applicable rmconf.\n", "ike_mode_mismatch"),
        ("racoon: ERROR: couldn't find the pskey for 66.XXX.XXX.14.\n", "auth_failure"),
        ("racoon: INFO: DPD: remote (ISAKMP-SA spi=2cd389a89b786de9:870409ed40da6e62) seems to be dead.\n", "dpd_timeout"),
    ],
)
def test_racoon_messages(text: str, category: str) -> None:
    assert primary_of(text) == category


def test_racoon_pfs_mismatch_names_both_groups() -> None:
    result = analyze_text("racoon: ERROR: pfs group mismatched: my:2 peer:5\nracoon: ERROR: no proposal chosen.\n")
    assert result.primary is not None
    assert result.primary.facts["proposals_received"] == ["5"] and result.primary.facts["proposals_configured"] == ["2"]


# ---- libreswan: a Child SA between the two gateways refused for its mode -------------------------

# testing/pluto/newoe-02-whack-wrong-mode-initiator/west.console.txt at 0c4e3ecc: west insists on transport
# mode, east falls back to tunnel mode, so the host-to-host Child SA is answered NO_PROPOSAL_CHOSEN.
WRONG_MODE_INITIATOR = """\
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: initiating IKEv2 connection to 192.1.2.23 using UDP
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with null and NULL 'ID_NULL'; Child SA #2 {ESP <0xESPESP} [192.1.2.45/32===192.1.2.23/32]
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,N(NO_PROPOSAL_CHOSEN)}
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: initiator established IKE SA; authenticated peer using authby=null and NULL 'ID_NULL'
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #2: IKE_AUTH response rejected Child SA with NO_PROPOSAL_CHOSEN
"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: peer rejected Child SA  (NO_PROPOSAL_CHOSEN) and IKE SA does not have policy UP
"""


def test_a_host_to_host_child_sa_refused_with_no_proposal_chosen_is_a_mode_mismatch() -> None:
    primary = analyze_text(WRONG_MODE_INITIATOR).primary
    assert primary is not None and primary.category == "ipsec_mode_mismatch"
    assert primary.facts.get("host_to_host") is True
    assert primary.facts.get("ts_offered") == ["192.1.2.45/32", "192.1.2.23/32"]


def test_a_subnet_child_sa_refused_with_no_proposal_chosen_stays_a_proposal_mismatch() -> None:
    text = WRONG_MODE_INITIATOR.replace("[192.1.2.45/32===192.1.2.23/32]", "[192.0.1.0/24===192.0.2.0/24]")
    assert primary_of(text) == "phase2_proposal_mismatch"


def test_a_host_to_host_child_sa_with_proposals_listed_stays_a_proposal_mismatch() -> None:
    listing = ('"private-or-clear#192.1.2.0/24"[1] ...192.1.2.23 #1: no local proposal matches remote proposals '
               "1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128;ESN=DISABLED\n")
    assert primary_of(listing + WRONG_MODE_INITIATOR) == "phase2_proposal_mismatch"


# ---- libreswan: other message strings ---------------------------------------------------------------

# testing/pluto/impair-20-ikev2-rekey-sa-protoid/west.console.txt at 0c4e3ecc (CVE-2023-38710).
REKEY_INVALID_SYNTAX = """\
"west" #4: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west" #5: initiator established Child SA using #4; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
"west" #6: CREATE_CHILD_SA failed with error notification INVALID_SYNTAX
"""


def test_invalid_syntax_refusing_a_create_child_sa_over_an_up_child_sa_is_a_rekey_problem() -> None:
    assert primary_of(REKEY_INVALID_SYNTAX) == "rekey_issue"


def test_invalid_syntax_elsewhere_names_no_cause() -> None:
    text = '"west" #1: IKE_SA_INIT request failed with error notification INVALID_SYNTAX\n'
    assert primary_of(text) is None


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ('"westnet-eastnet-ikev2" #1: no local proposal matches remote proposals '
         "1:IKE:ENCR=3DES;PRF=HMAC_SHA1;INTEG=HMAC_SHA1_96;DH=MODP1024", "phase1_proposal_mismatch"),
        ('"westnet-eastnet2-ikev2" #4: no local proposal matches remote proposals '
         "1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128;DH=MODP2048;ESN=DISABLED", "phase2_proposal_mismatch"),
        ('"east" #2: non-CIDR Traffic Selector range 192.0.2.1-192.0.2.200 is not supported (not a CIDR)',
         "traffic_selector_mismatch"),
        ('"east" #1: Peer attempted EAP authentication, but EAP is not allowed', "auth_failure"),
        ('"xauth-road-eastnet" #1: XAUTH: failure user(use1:xauth-road-eastnet) ', "auth_failure"),
        ("\"westnet-eastnet-ikev2\" #2: expecting no DH but remote's accepted proposal includes MODP2048",
         "phase2_proposal_mismatch"),
        ('"westnet-eastnet-ikev2" #1: rekey of IKE SA abandoned', "rekey_issue"),
        ('"westnet-eastnet" #2: CHILD SA expired (LATEST!)', "rekey_issue"),
        ("packet from 192.1.2.45:500: ignoring packet with IKE major version '1'", "ike_version_mismatch"),
        ('"westnet-eastnet" #2: no acceptable Proposal in IPsec SA', "phase2_proposal_mismatch"),
        # libreswan 3.x and 4.x wordings (programs/pluto at tags v3.32 and v4.5).
        ('"westnet-eastnet-ikev2" #1: IKE_AUTH response contained the error notification TS_UNACCEPTABLE',
         "traffic_selector_mismatch"),
        ('"westnet-eastnet-ikev2" #2: No IKEv2 connection found with compatible Traffic Selectors',
         "traffic_selector_mismatch"),
        ('"ipv4-psk-ikev2-transport" #2: Local policy is transport mode, but peer did not request that',
         "ipsec_mode_mismatch"),
        ('"westnet-eastnet-ikev2" #1: No matching PSK found for connection: westnet-eastnet-ikev2', "auth_failure"),
        ('"road-east-x509-ipv4"[1] 192.1.2.23 #3: rekey: received Traffic Selectors does not contain existing '
         "IPsec SA Traffic Selectors", "rekey_issue"),
        ('"westnet-eastnet" #2: IDcr subnet returned doesn\'t match my proposal - us: 192.0.2.0/24 vs them: '
         "192.0.3.0/24", "traffic_selector_mismatch"),
        ('"westnet-eastnet-aes256" #2: ESP algo 3DES_CBC=3 with key_len 333 is not valid (3DES_CBC has fixed key '
         "length of 192)", "phase2_proposal_mismatch"),
        ('packet from 192.1.2.45:500: initial Main Mode message received on 192.1.2.23:500 but "westnet-eastnet" '
         "forbids connection", "auth_failure"),
        # libreswan 4.1-4.5 name the refusal's notification after "STF_FAIL+" (ikev2.c jam_v2_stf_status; the test
        # ikev2-leak-01-db_v2_prop_conj, east.console.txt at v4.5).
        ('"westnet-eastnet-ipv4-psk-ikev2" #2: IKE_AUTH responder matching remote ESP/AH proposals failed, responder '
         "SA processing returned STF_FAIL+v2N_NO_PROPOSAL_CHOSEN", "phase2_proposal_mismatch"),
        # libreswan 3.25-4.x's certificate and key lines, as the test suite's expected output prints them at those
        # tags (nss-cert-10-notyetvalid-responder-ikev1, ikev1-x509-06-san-email-mismatch, basic-pluto-01-nokey): a
        # subject with spaces, and the older words for an identity the certificate does not carry.
        ('003 "nss-cert" #1: certificate E=user-notyetvalid@testing.libreswan.org,CN=notyetvalid.testing.libreswan.org,'
         "OU=Test Department,O=Libreswan,L=Toronto,ST=Ontario,C=CA failed IPsec verification", "auth_failure"),
        ('002 "san" #1: Peer public key SubjectAltName does not match peer ID for this connection', "auth_failure"),
        ('003 "san" #1: No matching subjectAltName found', "auth_failure"),
        # IKE over TCP (libreswan 4+, iface_tcp.c; the test ikev2-tcp-01-listen-default): nothing takes the TCP
        # connection on the peer's port.
        ('ERROR: "tcp": TCP: socket XX: connecting to 192.1.2.23:4500: Connection refused (errno 111)',
         "peer_unreachable"),
        ('003 "westnet-eastnet" #1: private key matching CKAID \'4651cb327d8ee9c2a0f71f176c7d172f33205dc2\' not found: '
         "can't find the private key matching the NSS CKAID", "auth_failure"),
    ],
)
def test_libreswan_message_strings(line: str, category: str) -> None:
    assert primary_of(line + "\n") == category


def test_an_sa_expiring_after_a_new_one_came_up_is_no_cause() -> None:
    text = ('"westnet-eastnet" #2: CHILD SA expired (LATEST!)\n'
            '"westnet-eastnet" #3: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24]\n')
    assert primary_of(text) is None



# libreswan's test ikev2-x509-32-id-any at v4.12 (west.console.txt): require-id-on-certificate=no lets the IKE SA
# come up although the peer's certificate does not carry its ID. The same state (#1) came up after the complaint.
ID_ANY = """\
003 "ikev2-westnet-eastnet-x509-cr" #1: peer certificate contains no subjectAltName extension to match ID_IPV4_ADDR '192.1.2.23'
002 "ikev2-westnet-eastnet-x509-cr" #1: X509: connection allows unmatched IKE ID and certificate SAN
003 "ikev2-westnet-eastnet-x509-cr" #1: initiator established IKE SA; authenticated peer '3nnn-bit RSASSA-PSS with SHA2_512' digital signature using peer certificate '192.1.2.23' issued by CA 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, OU=Test Department, CN=Libreswan test CA for mainca, E=testing@libreswan.org'
004 "ikev2-westnet-eastnet-x509-cr" #2: initiator established Child SA using #1; IPsec tunnel [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE DPD=passive}
"""


def test_a_complaint_the_same_pluto_state_got_past_is_no_failure() -> None:
    assert primary_of(ID_ANY) is None


def test_a_complaint_stands_when_only_another_state_came_up() -> None:
    # Another IKE SA (#3) coming up does not say that state #1 got past its complaint.
    lines = ID_ANY.splitlines()
    text = "\n".join([lines[0], lines[2].replace(" #1: ", " #3: ")]) + "\n"
    assert primary_of(text) == "auth_failure"



def test_a_child_sa_added_over_an_up_ike_sa_and_refused_is_no_rekey() -> None:
    # libreswan's test ikev2-rw-multiple-subnets-4-mismatch-split-up at v4.12 (road.console.txt): one Child SA per
    # pair of subnets; the peer refuses the pairs it does not have. pluto 4.5+ says "initiating Child SA using IKE SA
    # #1" for a Child SA it adds (ikev2_create_child_sa.c, submit_v2_CREATE_CHILD_SA_new_child): no SA is replaced.
    text = (
        '003 "road/0x1" #1: initiator established IKE SA; authenticated peer using authby=secret and ID_FQDN \'@east\'\n'
        '004 "road/0x1" #2: initiator established Child SA using #1; IPsec tunnel [192.0.3.0-192.0.3.255:0-65535 0] -> '
        "[192.0.2.0-192.0.2.255:0-65535 0] {ESPinUDP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE DPD=passive}\n"
        '002 "road/0x2" #3: initiating Child SA using IKE SA #1\n'
        '003 "road/0x2" #3: CREATE_CHILD_SA failed with error notification TS_UNACCEPTABLE\n'
        "200 \"road/0x2\" #3: state transition 'initiate create Child SA (CREATE_CHILD_SA)' failed\n"
    )
    assert primary_of(text) == "traffic_selector_mismatch"



def test_the_proposal_pluto_chose_names_the_sa_a_refusal_after_it_is_about() -> None:
    # The development excerpt libreswan-v2-create-child-ke-size-mismatch-invalid-syntax without its last line: the
    # KE payload of the wrong size comes right after pluto chose an ESP proposal (ikev2_proposals.c), so it is the
    # Child SA's PFS group that differs, not the IKE SA's group.
    text = (
        '"east/0x2" #3: proposal 1:ESP=AES_CBC_128-HMAC_SHA1_96-MODP4096-ENABLED SPI=19d65136 chosen from remote '
        "proposals 1:ESP:ENCR=AES_CBC_128;ENCR=AES_CBC_256;INTEG=HMAC_SHA1_96;DH=MODP2048;DH=MODP4096;ESN=ENABLED;"
        "ESN=DISABLED[first-match]\n"
        '"east/0x2" #3: KE has 256 byte DH public value; 512 required\n'
    )
    assert primary_of(text) == "phase2_proposal_mismatch"


# ---- strongSwan charon (src/libcharon/sa/ikev2/tasks/child_rekey.c, ike_auth.c, ike_sa.c) -------------


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("charon: 12[IKE] closing CHILD_SA aws{5} we tried to rekey because the peer started to delete it "
         "before receiving our request", "rekey_issue"),
        ("charon: 08[IKE] unable to resolve vpn.example.com, initiate aborted", "peer_unreachable"),
        ("charon: 08[IKE] IKE version 1 not supported", "ike_version_mismatch"),
        ("charon: 09[CFG] no alternative config found", "auth_failure"),
    ],
)
def test_strongswan_message_strings(line: str, category: str) -> None:
    assert primary_of(line + "\n") == category


# A libreswan 4.x test log (testing/pluto/ikev2-child-rekey-03-deadlock era wording, whack output with
# its numeric prefixes): the answer to the second Child SA rekey is dropped, the exchange times out and
# pluto's liveness action follows: the liveness action is the rekey's consequence.
REKEY_THEN_LIVENESS = """\
003 "west" #1: established IKE SA; authenticated using authby=secret and peer ID_FQDN '@east'
004 "west" #2: established Child SA; IPsec tunnel [192.1.2.45-192.1.2.45:0-65535 0] -> [192.1.2.23-192.1.2.23:0-65535 0] {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}
002 "west" #4: initiating rekey to replace Child SA #3
031 "west" #1: STATE_V2_ESTABLISHED_IKE_SA: 60 second timeout exceeded after 0 retransmits.  No response (or no acceptable response) to our IKEv2 message
002 "west" #1: liveness action - putting connection into hold
"""


def test_a_liveness_action_after_a_timed_out_rekey_is_the_rekeys_consequence() -> None:
    assert primary_of(REKEY_THEN_LIVENESS) == "rekey_issue"


def test_a_liveness_action_without_a_rekey_is_dead_peer_detection() -> None:
    text = "\n".join(line for line in REKEY_THEN_LIVENESS.splitlines() if "rekey" not in line and "timeout" not in line)
    assert primary_of(text) == "dpd_timeout"


def test_a_quick_mode_refused_by_the_responder_is_phase_2() -> None:
    """pluto as responder: "responding to Quick Mode proposal" puts the refusal in Quick Mode, not in the
    Main Mode that came before it (ikev1_quick.c, ikev1_spdb_struct.c, ikev1_notification.c)."""
    text = (
        '"westnet-eastnet" #1: STATE_MAIN_R3: sent MR3, ISAKMP SA established {auth=PRESHARED_KEY '
        "cipher=AES_CBC_256 integ=HMAC_SHA2_256 group=MODP2048}\n"
        '"westnet-eastnet" #2: responding to Quick Mode proposal {msgid:a4d4a0f6}\n'
        '"westnet-eastnet" #1: sending encrypted notification NO_PROPOSAL_CHOSEN to 192.1.2.45:500\n'
    )
    assert primary_of(text) == "phase2_proposal_mismatch"


# testing/pluto/ikev1-xauth-36-cisco-split/road.console.txt at 0c4e3ecc: the server answers with other
# selectors (a Cisco split), pluto allows it and the IPsec SA comes up: nothing to fix.
CISCO_SPLIT = """\
"road-east" #2: peer client subnet returned doesn't match my proposal - us: 192.0.2.0/24 vs them: 0.0.0.0/0
"road-east" #2: Allowing questionable (microsoft) proposal anyway
"road-east" #2: IPsec SA established tunnel mode {ESPinUDP=>0xESPESP <0xESPESP xfrm=AES_CBC_128-HMAC_SHA1_96 NATD=192.1.2.23:4500 DPD=passive username=xroad}
"""


def test_returned_selectors_that_pluto_accepts_are_no_cause() -> None:
    assert primary_of(CISCO_SPLIT) is None
    assert primary_of(CISCO_SPLIT.splitlines()[0] + "\n") == "traffic_selector_mismatch"


# ---- Child SA refusals about the responder's internal address (RFC 7296 sections 3.10.1 and 3.15.4) ----

# libreswan's test addresspool-4in4-exhausted-ikev1-ikev2 (road.console.txt at libreswan commit
# 0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f): east's one-address pool is already leased.
POOL_USED_UP = (
    '"road-east" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN \'@road\'; '
    "Child SA #2 {ESP <0xESPESP} [192.1.3.209/32===192.0.2.0/24]\n"
    '"road-east" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing '
    "SK{IDr,AUTH,N(INTERNAL_ADDRESS_FAILURE)}\n"
    "\"road-east\" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'\n"
    '"road-east" #2: IKE_AUTH response rejected Child SA with INTERNAL_ADDRESS_FAILURE\n'
)


@pytest.mark.parametrize(
    ("text", "notify", "words"),
    [
        (POOL_USED_UP, "INTERNAL_ADDRESS_FAILURE", "could not give this side an internal address"),
        # strongSwan child_create.c: "received %N notify, no CHILD_SA built" with the notify's full name
        ("Jun  2 10:00:01 gw charon: 09[IKE] received INTERNAL_ADDRESS_FAILURE notify, no CHILD_SA built\n",
         "INTERNAL_ADDRESS_FAILURE", "could not give this side an internal address"),
        ("Jun  2 10:00:01 gw charon: 09[IKE] received FAILED_CP_REQUIRED notify, no CHILD_SA built\n",
         "FAILED_CP_REQUIRED", "expected this side to ask for an internal address"),
    ],
)
def test_an_address_refusal_says_what_the_responder_could_not_do(text: str, notify: str, words: str) -> None:
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"
    said = [r for r in primary.reasoning if notify in r]
    assert said and words in said[0]
    assert any(notify in r for r in primary.reasoning_in("ko"))


# libreswan's test interop-ikev2-strongswan-15-create_child_sa (west.console.txt at libreswan commit
# 33a180414f4eac7b59ea338a13cd069ef0a23bac, release 3.10): strongSwan asks for a second Child SA on the IKE SA it set up
# and the libreswan of the time refuses it.
SECOND_CHILD_SA_REFUSED = """\
IKE_SA westnet-eastnet-ikev2[1] established between 192.1.2.45[west]...192.1.2.23[east]
connection 'westnet-eastnet-ikev2' established successfully
west #
 strongswan up westnet-eastnet-ikev2b
establishing CHILD_SA westnet-eastnet-ikev2b
generating CREATE_CHILD_SA request 2 [ SA No TSi TSr ]
parsed CREATE_CHILD_SA response 2 [ N(NO_ADD_SAS) ]
received NO_ADDITIONAL_SAS notify, no CHILD_SA built
failed to establish CHILD_SA, keeping IKE_SA
"""


def test_no_additional_sas_says_the_peer_takes_no_more_child_sas() -> None:
    primary = analyze_text(SECOND_CHILD_SA_REFUSED).primary
    assert primary is not None
    said = [r for r in primary.reasoning if "NO_ADDITIONAL_SAS means" in r]
    assert said and "one SA pair" in said[0]
    assert any("NO_ADDITIONAL_SAS" in r for r in primary.reasoning_in("ko"))


def test_a_selector_refusal_does_not_talk_about_addresses() -> None:
    primary = analyze_text("Jun  2 10:00:01 gw charon: 09[IKE] received TS_UNACCEPTABLE notify, no CHILD_SA built\n").primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"
    assert not any("internal address" in r for r in primary.reasoning)


def test_single_pair_required_asks_for_one_pair_of_addresses() -> None:
    # strongSwan child_create.c: "received %N notify, no CHILD_SA built"; RFC 7296 section 3.10.1: the sender "is only
    # willing to accept traffic selectors specifying a single pair of addresses"
    primary = analyze_text("Jun  2 10:00:01 gw charon: 09[IKE] received SINGLE_PAIR_REQUIRED notify, no CHILD_SA built\n").primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"
    said = [r for r in primary.reasoning if "SINGLE_PAIR_REQUIRED means" in r]
    assert said and "single pair of addresses, one host on each side" in said[0] and "0.0.0.0/0" not in said[0]
