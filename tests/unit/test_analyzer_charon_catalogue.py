"""charon (strongSwan 4.x-6.x, and pfSense, OPNsense, VyOS, Android I/charon that print it) and Junos kmd:
the message strings for selectors, phase 2, identities, rekeying, IPsec mode and IKE version, read through
the protocol layer to the right category, with and without the prefixes the products add.

Message texts are charon's own format strings (file named beside each, github.com/strongswan/strongswan at
3b902ea59b, and the same strings at tags 4.6.4, 5.0.0, 5.5.3 and 5.9.0 where the wording differed) filled
with real-looking values; Junos lines follow the kmd messages of Juniper's system log reference. Addresses
are documentation ranges (RFC 5737) or the libreswan test network (192.1.2.0/24).
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.protocol import reason_meaning


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# The prefixes a charon line comes with: syslog with the <conn|N> prefix (pfSense, VyOS 1.3+), bare
# charon: (OPNsense, older VyOS), Android logcat, and none (ipsec up / swanctl --initiate output).
PREFIXES = (
    "Nov 30 03:12:44 fw1 charon[24311]: 14[IKE] <con1|7> ",
    "charon: 09[IKE] ",
    "11-30 03:12:44.512 I/charon ( 2211): 09[IKE] ",
    "",
)

CHARON_LINES = [
    # src/libcharon/sa/ikev2/tasks/ike_init.c
    ("peer's key exchange method selection invalid", "phase1_proposal_mismatch"),
    ("peer DH group selection invalid", "phase1_proposal_mismatch"),  # 5.x wording
    # src/libcharon/sa/ikev1/tasks/aggressive_mode.c
    ("DH group selection failed", "phase1_proposal_mismatch"),
    # src/libcharon/sa/ikev2/task_manager_v2.c and ikev1/task_manager_v1.c
    ("no IKE config found for 198.51.100.20...203.0.113.10, sending NO_PROPOSAL_CHOSEN", "auth_failure"),
    # src/libcharon/sa/ikev1/phase1.c
    ("found 1 matching config, but none allows pre-shared key authentication using Aggressive Mode",
     "ike_mode_mismatch"),
    # (in Main Mode a connection refuses on the mode only when set to Aggressive Mode: the method is the likelier)
    ("found 2 matching configs, but none allows RSA signature authentication using Main Mode", "auth_failure"),
    # src/libcharon/sa/ikev1/tasks/xauth.c, aggressive_mode.c
    ("XAuth username 'jdoe' does not match to configured username 'vpnuser'", "auth_failure"),
    ("own identity not known", "auth_failure"),
    # src/libcharon/sa/ikev1/tasks/quick_mode.c
    ("remote traffic selector missing in configuration", "traffic_selector_mismatch"),
    ("negotiated DH group MODP_768 not supported", "phase2_proposal_mismatch"),  # (Quick Mode's PFS group)
    # src/libcharon/sa/ikev2/tasks/ike_init.c (6.0): with no exchange before it, phase 1
    ("negotiated key exchange method MODP_768 not supported", "phase1_proposal_mismatch"),
    # src/libcharon/sa/ikev2/tasks/child_create.c
    ("not using transport mode, connection NATed", "ipsec_mode_mismatch"),
    ("not using BEET mode, not host-to-host", "ipsec_mode_mismatch"),
    ("TRANSPORT mode requested by responder is unacceptable", "ipsec_mode_mismatch"),
    ("unable to install inbound and outbound IPsec SA (SAD) in kernel", "rekey_issue"),
    # src/libcharon/sa/ikev1/task_manager_v1.c, ikev2/task_manager_v2.c
    ("received quick mode request for unestablished IKE_SA, ignored", "rekey_issue"),
    ("received CREATE_CHILD_SA request for unestablished IKE_SA, rejected", "rekey_issue"),
]


@pytest.mark.parametrize("prefix", PREFIXES, ids=["syslog-conn", "charon", "android", "bare"])
@pytest.mark.parametrize(("message", "category"), CHARON_LINES, ids=[m[:40] for m, _ in CHARON_LINES])
def test_charon_message_with_every_prefix(prefix: str, message: str, category: str) -> None:
    assert primary_of(prefix + message + "\n") == category


def test_pfs_group_the_peer_asks_for_in_create_child_sa_is_phase_2() -> None:
    # child_create.c: the responder's INVALID_KE_PAYLOAD asks for a group the initiator does not offer.
    log = """\
Nov 30 03:20:01 gw charon[1234]: 05[IKE] <aws-tunnel-1|2> establishing CHILD_SA aws-tunnel-1{3}
Nov 30 03:20:01 gw charon[1234]: 05[ENC] <aws-tunnel-1|2> generating CREATE_CHILD_SA request 4 [ SA No KE TSi TSr ]
Nov 30 03:20:01 gw charon[1234]: 13[ENC] <aws-tunnel-1|2> parsed CREATE_CHILD_SA response 4 [ N(INVAL_KE) ]
Nov 30 03:20:01 gw charon[1234]: 13[IKE] <aws-tunnel-1|2> requested DH group MODP_1024 not contained in any of our proposals
"""
    assert primary_of(log) == "phase2_proposal_mismatch"


def test_transport_mode_refused_with_no_proposal_chosen_is_an_ipsec_mode_mismatch() -> None:
    # A Child SA that asks for transport mode (N(USE_TRANSP)) is host-to-host; refused with NO_PROPOSAL_CHOSEN
    # after the IKE SA's algorithms were accepted and with no ESP proposal listing, the mode is what differs
    # (libreswan refuses a mode it does not allow that way). Lines in charon's format (ike_init.c, ike_auth.c,
    # child_create.c).
    log = """\
initiating IKE_SA host-host[1] to 192.1.2.23
generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
parsed IKE_SA_INIT response 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) ]
selected proposal: IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
establishing CHILD_SA host-host{1}
generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH N(USE_TRANSP) SA TSi TSr N(MOBIKE_SUP) ]
parsed IKE_AUTH response 1 [ IDr AUTH N(NO_PROP) ]
IKE_SA host-host[1] established between 192.1.2.45[west]...192.1.2.23[east]
received NO_PROPOSAL_CHOSEN notify, no CHILD_SA built
failed to establish CHILD_SA, keeping IKE_SA
"""
    assert primary_of(log) == "ipsec_mode_mismatch"
    # Without the transport-mode request it stays a phase 2 proposal mismatch.
    assert primary_of(log.replace(" N(USE_TRANSP)", "")) == "phase2_proposal_mismatch"


# ---- Junos kmd: errors named in words --------------------------------------------------------------------

JUNOS = "<27>1 2023-07-04T12:22:36.461+10:00 SRX1 kmd 9812 - - "
JUNOS_TAIL = (". IKE Version: 2, VPN: vpn-aws-1 Gateway: gw-aws-1, Local: 198.51.100.1/500, "
              "Remote: 203.0.113.10/500, Local IKE-ID: 198.51.100.1, Remote IKE-ID: 203.0.113.10, VR-ID: 0, "
              "Role: Responder")


@pytest.mark.parametrize(("error", "category"), [
    ("No proposal chosen", "phase1_proposal_mismatch"),
    ("Authentication failed", "auth_failure"),
    ("TS unacceptable", "traffic_selector_mismatch"),
    ("Peer's IKE-ID validation failed", "auth_failure"),
    ("Traffic selectors are not acceptable", "traffic_selector_mismatch"),
    ("Timed out", "peer_unreachable"),
])
def test_junos_negotiation_error_words(error: str, category: str) -> None:
    assert primary_of(JUNOS + "IKE negotiation failed with error: " + error + JUNOS_TAIL + "\n") == category


def test_junos_vpn_down_alarm_without_a_reason_names_no_cause() -> None:
    # KMD_VPN_DOWN_ALARM_USER says the SAs are gone, not who ended them.
    line = (JUNOS + "KMD_VPN_DOWN_ALARM_USER: VPN vpn-aws-1 from 203.0.113.10 is down. Local-ip: 198.51.100.1, "
            "gateway name: gw-aws-1, vpn name: vpn-aws-1, tunnel-id: 131073, local tunnel-if: st0.1\n")
    assert primary_of(line) is None
    with_reason = line.rstrip("\n") + ", Reason: Received delete from peer\n"
    assert primary_of(with_reason) == "ike_sa_deleted_by_peer"
    assert primary_of(line.rstrip("\n") + ", SA Type: Static, Reason: DPD failure\n") == "dpd_timeout"
    # A reason that names no stage names no cause.
    assert primary_of(line.rstrip("\n") + ", SA Type: Static, Reason: IKE SA negotiation failed\n") is None


@pytest.mark.parametrize(("name", "meaning"), [
    ("TS_NOT_ACCEPTABLE", "ts_unacceptable"),
    ("PROXY_IDS_DO_NOT_MATCH", "ts_unacceptable"),
    ("PROPOSAL_MISMATCH", "no_proposal"),
    ("PEER'S_IKE_ID_VALIDATION_FAILED", "auth_failed"),
    ("PRE_SHARED_KEY_MISMATCH", "auth_failed"),
    ("TIMED_OUT", "give_up"),
    ("DPD_FAILURE", "dpd_dead"),
    ("PEER_IS_DEAD", "dpd_dead"),
    ("DEAD_PEER_DETECTION_TIMEOUT", "dpd_dead"),
    ("IKE_SA_NEGOTIATION_FAILED", None),
    # RFC 2408 section 3.14.1 error types the notify table does not list
    ("INVALID_TRANSFORM_ID", "no_proposal"),
    ("ATTRIBUTES_NOT_SUPPORTED", "no_proposal"),
    ("BAD_PROPOSAL_SYNTAX", "no_proposal"),
    ("CERTIFICATE_UNAVAILABLE", "auth_failed"),
    ("INVALID_KEY_INFORMATION", None),
    ("UNSUPPORTED_CRITICAL_PAYLOAD", None),
    # Informational notifies name no failure: they stay informational.
    ("AUTH_LIFETIME", None),
    ("SIGNATURE_HASH_ALGORITHMS", None),
    ("USE_TRANSPORT_MODE", None),
    ("MULTIPLE_AUTH_SUPPORTED", None),
])
def test_reason_words(name: str, meaning: str | None) -> None:
    assert reason_meaning(name) == meaning


# ---- two peers' logs in one paste: the refusing side's reason, not the other side's echo ---------------------

def test_two_sided_paste_names_the_responders_reason_not_the_initiators_echo() -> None:
    # The initiator only sees NO_PROPOSAL_CHOSEN in IKE_SA_INIT (a phase 1 refusal in the peer's words); the
    # responder's own log says why it refused: no connection names these addresses. charon's strings from
    # ike_init.c, task_manager_v2.c.
    initiator = """\
initiating IKE_SA gw-gw[1] to 203.0.113.10
generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]
received NO_PROPOSAL_CHOSEN notify error
"""
    responder = """\
parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
no IKE config found for 203.0.113.10...198.51.100.20, sending NO_PROPOSAL_CHOSEN
generating IKE_SA_INIT response 0 [ N(NO_PROP) ]
"""
    assert primary_of(initiator) == "phase1_proposal_mismatch"  # one side only: the peer's word is all there is
    assert primary_of(initiator + responder) == "auth_failure"
    assert primary_of(responder + initiator) == "auth_failure"


def test_two_sided_proposal_mismatch_stays_a_proposal_mismatch() -> None:
    # Both sides agree on the stage: the responder lists what it received and what it has.
    log = """\
initiating IKE_SA gw-gw[1] to 203.0.113.10
parsed IKE_SA_INIT response 0 [ N(NO_PROP) ]
received NO_PROPOSAL_CHOSEN notify error
received proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024
configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048
received proposals unacceptable
generating IKE_SA_INIT response 0 [ N(NO_PROP) ]
"""
    assert primary_of(log) == "phase1_proposal_mismatch"


@pytest.mark.parametrize("line", [
    # eap_authenticator.c "%N method failed", libtls tls_alert.c, tnccs_20 / tnc_pdp recommendations
    "Nov 30 03:14:02 vpn charon[812]: 11[IKE] <rw-eap|3> EAP_TTLS method failed",
    "09[TLS] <rw-eap|3> sending fatal TLS alert 'certificate unknown'",
    "06[TNC] PB-TNC access recommendation is 'Access Denied'",
    "16[TNC] final recommendation is 'isolate' and evaluation is 'non-compliant minor'",
])
def test_eap_tls_and_tnc_refusals_are_authentication_failures(line: str) -> None:
    assert primary_of(line + "\n") == "auth_failure"


def test_two_charon_processes_in_one_paste_are_two_logs() -> None:
    # VyOS forum paste of both peers (datasets/real-logs/dev/vyos-v2-psk-mismatch-two-sided.log): no host names,
    # but two charon process ids; each side is read on its own, and the responder's MAC mismatch is the cause.
    from lab import DATASETS_DIR

    text = (DATASETS_DIR / "real-logs" / "dev" / "vyos-v2-psk-mismatch-two-sided.log").read_text(encoding="utf-8")
    result = analyze_text(text)
    assert result.streams == 2
    assert result.primary is not None and result.primary.category == "auth_failure"
    # One process only: one log, whatever the thread numbers.
    one = "\n".join(line for line in text.splitlines() if "[2440]" in line) + "\n"
    assert analyze_text(one).streams == 1


def test_a_credential_charon_could_not_load_is_an_authentication_reading_without_a_negotiation() -> None:
    # https://github.com/trailofbits/algo/issues/1758: the client's charon cannot parse the CA certificate (a critical
    # Name Constraints extension), so no peer certificate it issued can be verified.
    log = """\
charon: 11[CFG] rereading ca certificates from '/etc/ipsec.d/cacerts'
charon: 11[LIB] found unsupported critical X.509 extension: X509v3 Name Constraints
charon: 11[LIB] OpenSSL X.509 parsing failed
charon: 11[CFG]   loading ca certificate from '/etc/ipsec.d/cacerts/cacert.pem' failed
"""
    primary = analyze_text(log).primary
    assert primary is not None and primary.category == "auth_failure"
    reasoning = " ".join(map(str, primary.reasoning))
    assert "could not load a certificate or private key" in reasoning
    assert "the peer answered" not in reasoning  # no negotiation took place
    # A later IKE SA that comes up means the credential loaded after all: nothing to fix.
    up = log + "charon: 09[IKE] IKE_SA home[1] established between 192.0.2.10[client]...198.51.100.1[vpn.example.net]\n"
    assert analyze_text(up).primary is None


@pytest.mark.parametrize("prefix", PREFIXES)
def test_an_ike_sa_between_certificate_identities_is_up_with_its_peer(prefix: str) -> None:
    """charon prints each end as address[identity] (ike_sa.c "IKE_SA %s[%d] established between %H[%Y]...%H[%Y]"),
    and a certificate's distinguished name has spaces: the line is still the IKE SA coming up, with its peer, so a
    Child SA refused after it is read with the peer named (it was read as no event, the peer unknown)."""
    up = (prefix + "IKE_SA gw[1] established between 192.0.2.1[C=DE, O=Example, CN=gw1.example.com]..."
          "198.51.100.2[C=DE, O=Example, CN=gw2.example.com]")
    analysis = analyze_text(up)
    assert analysis.primary is None and analysis.signals.get("established") == 1
    refused = analyze_text(up + "\n" + prefix + "received TS_UNACCEPTABLE notify, no CHILD_SA built\n")
    assert refused.primary is not None and refused.primary.category == "traffic_selector_mismatch"
    assert refused.primary.facts.get("peer") == "198.51.100.2"


@pytest.mark.parametrize("prefix", PREFIXES)
def test_a_peer_name_that_does_not_resolve_names_the_name_not_a_silent_peer(prefix: str) -> None:
    """ike_sa.c "unable to resolve %s, initiate aborted": nothing was sent, so the peer did not fail to answer; the
    reading names the host name and says to check it and DNS."""
    primary = analyze_text(prefix + "unable to resolve vpn.example.com, initiate aborted\n").primary
    assert primary is not None and primary.category == "peer_unreachable"
    reading = " ".join(r.render("en") for r in primary.reasoning)
    assert "could not resolve the peer's host name (vpn.example.com)" in reading
    assert "negotiation got no answer" not in reading


@pytest.mark.parametrize("message", ["IKE version 1 not supported", "configured DH group CURVE_448 not supported"])
def test_what_charon_itself_cannot_do_is_fixed_on_this_side(message: str) -> None:
    """charon built without the IKE version, or without a plugin for the DH group its own proposal names: the
    reading points at this side's build, not at a peer that answered."""
    primary = analyze_text("charon: 08[IKE] " + message + "\n").primary
    assert primary is not None
    reading = " ".join(r.render("en") for r in primary.reasoning)
    assert "This side's own software lacks what the negotiation needs" in reading
    assert "the peer answered" not in reading


@pytest.mark.parametrize("prefix", PREFIXES)
def test_no_ike_config_for_the_address_pair_names_the_addresses_to_compare(prefix: str) -> None:
    """task_manager_v2.c: no connection names the pair of addresses the peer's IKE_SA_INIT came from and went to, so
    charon answers NO_PROPOSAL_CHOSEN without comparing algorithms: the reading names the pair and the addresses to
    check (left/right, NAT), not only "authentication failed"."""
    primary = analyze_text(prefix + "no IKE config found for 198.51.100.10...203.0.113.9, sending NO_PROPOSAL_CHOSEN\n"
                           ).primary
    assert primary is not None and primary.category == "auth_failure"
    reading = " ".join(r.render("en") for r in primary.reasoning)
    assert "(198.51.100.10...203.0.113.9)" in reading and "without comparing any algorithm" in reading



@pytest.mark.parametrize(("message", "said"), [
    ("no private key found for 'C=DE, O=Example, CN=gw1.example.com'",
     "this side has no private key for its own identity (C=DE, O=Example, CN=gw1.example.com)"),
    ("no trusted RSA public key found for 'C=DE, O=Example, CN=gw2.example.com'",
     "no trusted public key for the peer's identity (C=DE, O=Example, CN=gw2.example.com)"),
])
def test_a_missing_own_key_and_an_untrusted_peer_key_say_which_side_and_identity(message: str, said: str) -> None:
    """pubkey_authenticator.c: this side's own private key is missing (fixed here), or no certificate this side
    trusts carries the peer's identity (a CA, the peer's certificate, or the identity expected): the readings say which,
    with the identity, instead of the general authentication explanation."""
    primary = analyze_text("charon: 10[IKE] " + message + "\n").primary
    assert primary is not None and primary.category == "auth_failure"
    reading = " ".join(r.render("en") for r in primary.reasoning)
    assert said in reading and "What line" not in reading



# https://github.com/jawj/IKEv2-setup/issues/142: strongSwan 5.9.5 starting on a Raspberry Pi kernel.
NO_KERNEL_IPSEC = (
    'Aug  9 20:39:37 raspberrypi charon: 00[DMN] Starting IKE charon daemon (strongSwan 5.9.5, Linux 5.15.0-1012-raspi, aarch64)\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[LIB] providers loaded by OpenSSL: legacy default\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[KNL] unable to create netlink socket: Protocol not supported (93)\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] installing IKE bypass policy failed\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] installing IKE bypass policy failed\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] enabling UDP decapsulation for IPv6 on port 4500 failed\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] installing IKE bypass policy failed\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] installing IKE bypass policy failed\n'
    'Aug  9 20:39:37 raspberrypi charon: 00[NET] enabling UDP decapsulation for IPv4 on port 4500 failed\n'
)


def test_charon_that_cannot_open_the_kernels_ipsec_interface_can_install_no_sa() -> None:
    # kernel_netlink_shared.c: no netlink XFRM socket, so no SA or policy can be installed (it read as nothing to fix)
    result = analyze_text(NO_KERNEL_IPSEC)
    assert result.primary is not None and result.primary.category == "kernel_sa_install"
    assert result.primary.facts.get("kernel_error") == "Protocol not supported (errno 93)"
    assert "no IPsec interface" in result.primary.summary.render("en")
    assert [f.line for f in result.findings] == [3]



# https://github.com/siomiz/SoftEtherVPN/issues/45: charon, IKEv1 initiator, against a SoftEther server.
FOURTH_MESSAGE_REPEATED = (
    'Apr  2 14:56:02 expert-carbon charon: 03[NET] sending packet: from 192.168.1.5[4500] to 13.79.121.8[4500] (68 bytes)\n'
    'Apr  2 14:56:04 expert-carbon charon: 04[NET] received packet: from 13.79.121.8[4500] to 192.168.1.5[4500] (228 bytes)\n'
    'Apr  2 14:56:04 expert-carbon charon: 04[IKE] received retransmit of response with ID 0, but next request already sent\n'
    'Apr  2 14:56:06 expert-carbon charon: 12[IKE] sending retransmit 1 of request message ID 0, seq 3\n'
    'Apr  2 14:56:06 expert-carbon charon: 12[NET] sending packet: from 192.168.1.5[4500] to 13.79.121.8[4500] (68 bytes)\n'
    'Apr  2 14:56:06 expert-carbon charon: 11[NET] received packet: from 13.79.121.8[4500] to 192.168.1.5[4500] (228 bytes)\n'
    'Apr  2 14:56:06 expert-carbon charon: 11[IKE] received retransmit of response with ID 0, but next request already sent\n'
)


def test_the_peer_repeating_its_fourth_main_mode_message_to_the_end_is_a_key_it_cannot_decrypt_with() -> None:
    # The peer answers this side's fifth message (and its retransmission) with its fourth again: it cannot decrypt it
    # (RFC 2409 section 5). The repeated message is no answer (it read as "the peer answers, one message was lost").
    result = analyze_text(FOURTH_MESSAGE_REPEATED)
    assert result.primary is not None and result.primary.category == "auth_failure"
    assert "different keys" in " ".join(r.render("en") for r in result.primary.reasoning)
    assert not any("one message was lost" in n.render("en") for n in result.notes)
    # one repeat, before this side sent its message again, is no pattern yet
    once = "".join(line + "\n" for line in FOURTH_MESSAGE_REPEATED.splitlines()[:3])
    assert analyze_text(once).primary is None



# https://github.com/hwdsl2/setup-ipsec-vpn/issues/307: charon (IKEv2, certificates, fragmented IKE_AUTH) against a
# libreswan server that answers in the clear.
IKE_AUTH_ANSWER_UNREADABLE = (
    'Jan 15 10:36:48 04[ENC] generating IKE_AUTH request 1 [ EF(2/2) ]\n'
    'Jan 15 10:36:48 04[NET] sending packet: from 192.168.2.78[50127] to S.S.S.S[4500] (1368 bytes)\n'
    'Jan 15 10:36:48 04[NET] sending packet: from 192.168.2.78[50127] to S.S.S.S[4500] (1016 bytes)\n'
    'Jan 15 10:36:49 03[NET] received packet: from S.S.S.S[4500] to 192.168.2.78[50127] (36 bytes)\n'
    'Jan 15 10:36:49 03[ENC] payload type NOTIFY was not encrypted\n'
    'Jan 15 10:36:49 03[ENC] could not decrypt payloads\n'
    'Jan 15 10:36:49 03[IKE] integrity check failed\n'
    'Jan 15 10:36:49 03[IKE] IKE_AUTH response with message ID 0 processing failed\n'
    'Jan 15 10:36:50 14[IKE] retransmit 1 of request with message ID 1\n'
    'Jan 15 10:36:50 14[NET] sending packet: from 192.168.2.78[50127] to S.S.S.S[4500] (1368 bytes)\n'
    'Jan 15 10:36:50 14[NET] sending packet: from 192.168.2.78[50127] to S.S.S.S[4500] (1016 bytes)\n'
    'Jan 15 10:36:51 02[NET] received packet: from S.S.S.S[4500] to 192.168.2.78[50127] (36 bytes)\n'
    'Jan 15 10:36:51 02[ENC] payload type NOTIFY was not encrypted\n'
    'Jan 15 10:36:51 16[MGR] ignoring request with ID 0, already processing\n'
    'Jan 15 10:36:51 02[ENC] could not decrypt payloads\n'
    'Jan 15 10:36:51 02[IKE] integrity check failed\n'
    'Jan 15 10:36:51 02[IKE] IKE_AUTH response with message ID 0 processing failed\n'
    'Jan 15 10:36:53 15[IKE] retransmit 2 of request with message ID 1\n'
)


def test_an_ike_auth_answer_charon_cannot_read_is_no_pre_shared_key_matter() -> None:
    # IKEv2's keys come from the DH exchange (RFC 7296 section 2.14): the reasoning no longer says "Main Mode's fifth or
    # sixth message ... different pre-shared keys"
    primary = analyze_text(IKE_AUTH_ANSWER_UNREADABLE).primary
    assert primary is not None and primary.category == "auth_failure" and primary.facts.get("exchange") == "IKE_AUTH"
    reasons = " ".join(r.render("en") for r in primary.reasoning)
    assert "not from the pre-shared key" in reasons and "Main Mode" not in reasons



# https://github.com/nm-l2tp/NetworkManager-l2tp/issues/46: charon (IKEv1, XAUTH) through NetworkManager; the server
# deletes the ISAKMP SA in the second this side sends its XAUTH answer and its first Quick Mode.
DELETE_ANSWERING_A_REQUEST = (
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: maximum IKE_SA lifetime 10625s\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: parsed TRANSACTION request 2527681045 [ HASH CPRQ(X_TYPE X_USER X_PWD) ]\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: generating TRANSACTION response 2527681045 [ HASH CP ]\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: sending packet: from 192.168.15.68[4500] to xx.xx.xx.xx[4500] (68 bytes)\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: generating QUICK_MODE request 506351935 [ HASH SA No ID ID NAT-OA NAT-OA ]\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: sending packet: from 192.168.15.68[4500] to xx.xx.xx.xx[4500] (220 bytes)\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: received packet: from xx.xx.xx.xx[4500] to 192.168.15.68[4500] (84 bytes)\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: parsed INFORMATIONAL_V1 request 1623582993 [ HASH D ]\n'
    'тра 29 10:31:37 maxzubr-K53SC ipsec_starter[16402]: child 16403 (charon) has been killed by sig 6\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: received DELETE for IKE_SA e15702fb-0564-4118-bf00-b4fbb1010465[1]\n'
    'тра 29 10:31:37 maxzubr-K53SC NetworkManager[975]: deleting IKE_SA e15702fb-0564-4118-bf00-b4fbb1010465[1] between 192.168.15.68[192.168.15.68]...xx.xx.xx.xx[xx.xx.xx.xx]\n'
)


def test_the_peer_deleting_the_ike_sa_right_after_the_first_quick_mode_is_a_refusal_not_a_teardown() -> None:
    # (it read as a tunnel the peer took down, to be started again from the customer gateway)
    primary = analyze_text(DELETE_ANSWERING_A_REQUEST).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    assert primary.summary.render("en").endswith("a refusal, not a teardown.")
    assert "XAUTH credentials" in primary.reasoning[1].render("en")
