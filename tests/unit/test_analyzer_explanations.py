"""What the diagnosis says is true of the lines it was read from: who refused, what went down, what the numbers mean.

The cause of each paste was already named right; these are the sentences around it that an engineer acts on. Each
paste is a development excerpt of the real-log corpus (its source is in datasets/real-logs/corpus.yaml) or lines quoted
from the public page named beside it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.model import Primary

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def primary(text: str) -> Primary:
    found = analyze_text(text).primary
    assert found is not None
    return found


def dev(name: str) -> Primary:
    return primary((DEV / f"{name}.log").read_text())


def said(p: Primary) -> str:
    return " ".join([p.summary_in("en"), *p.reasoning_in("en")])


def test_a_routeros_reply_notify_is_this_routers_refusal() -> None:
    # RouterOS as responder found no identity for the received ID_R and answered AUTHENTICATION_FAILED
    # (andre4freelance/cloud-chr-peering-ipsec-bgp, docs/lessons.md)
    p = dev("mikrotik-v2-identity-not-found-responder-nat")
    assert p.category == "auth_failure"
    assert p.facts["direction"] == "sent"
    assert "This side refused what the peer proposed" in said(p)
    assert "The peer sent the refusal" not in said(p)


def test_failed_cp_required_sent_by_this_responder_puts_the_fix_on_the_right_side() -> None:
    p = dev("strongswan-v2-responder-failed-cp-required")
    text = said(p)
    assert "FAILED_CP_REQUIRED, sent by this side, means this side (the responder) expected the peer to ask" in text
    assert "have this side request an address" not in text


def test_failed_cp_required_received_keeps_the_initiators_reading() -> None:
    text = said(primary(
        "Jan 10 03:12:01 gw charon: 09[ENC] parsed IKE_AUTH response 1 [ IDr AUTH N(FAIL_CP_REQ) ]\n"
        "Jan 10 03:12:01 gw charon: 09[IKE] received FAILED_CP_REQUIRED notify, no CHILD_SA built\n"))
    assert "the responder expected this side to ask for an internal address" in text


def test_a_close_next_to_the_notification_that_caused_it_is_read_as_that_notification() -> None:
    # FRR logs the connection closed, then the NOTIFICATION (Hard Reset, Cease 6/4) received in the same second
    p = dev("frr-hard-reset-admin-reset-received-with-gr")
    assert p.facts["bgp_reason"] == "admin_reset"
    assert p.facts["bgp_notification"] == "6/4"
    assert "without a NOTIFICATION" not in said(p)


def test_as_trans_in_an_open_points_at_the_four_octet_capability_not_at_the_asns() -> None:
    p = dev("gobgp-open-as-mismatch-wrong-source-address-juniper")
    text = said(p)
    assert "AS 23456 is AS_TRANS (RFC 6793)" in text
    assert "Make the ASNs agree" not in text
    assert "AS_TRANS" in p.summary_in("en")


def test_a_bad_peer_as_without_as_trans_still_asks_to_make_the_asns_agree() -> None:
    # osrg/gobgp's log, as the corpus's other GoBGP excerpts print it, with another AS in the OPEN
    text = said(primary(
        '{"Key":"169.254.21.1","Topic":"Peer","Data":"as number mismatch expected 65000, received 65010",'
        '"level":"warning","msg":"sent notification","Code":2,"Subcode":2,"time":"2023-05-01T10:00:01Z"}\n'))
    assert "Make the ASNs agree" in text
    assert "AS_TRANS" not in text


def test_a_host_that_cannot_send_ike_is_told_to_fix_its_own_route() -> None:
    p = dev("fortigate-v2-sa-init-network-unreachable-negotiation-timeout")
    assert p.category == "peer_unreachable"
    assert p.facts["send_error"] == "Network is unreachable"
    text = said(p)
    assert "this host could not send its IKE message at all (Network is unreachable; 4 times)" in text
    assert "got no answer from the peer" not in text
    assert [f.line for f in p.chain] == [10, 12, 14, 17, 18]  # the page's "lines that led to the diagnosis"


def test_charon_socket_errors_read_the_same() -> None:
    p = primary(
        "Jan 10 03:12:01 gw charon: 07[IKE] initiating IKE_SA aws-1[1] to 203.0.113.10\n"
        "Jan 10 03:12:01 gw charon: 07[NET] error writing to socket: Network is unreachable\n"
        "Jan 10 03:12:05 gw charon: 09[IKE] retransmit 1 of request with message ID 0\n"
        "Jan 10 03:12:05 gw charon: 09[NET] error writing to socket: Network is unreachable\n"
        "Jan 10 03:13:17 gw charon: 11[IKE] giving up after 5 retransmits\n")
    assert p.category == "peer_unreachable"
    assert "could not send its IKE message at all" in said(p)


def test_a_dpd_timeout_the_tunnel_took_a_minute_to_recover_from_is_not_called_a_false_alarm() -> None:
    # racoon: DPD declared the peer dead at 07:19:37, the new IPsec SA came up at 07:20:49
    p = dev("aviatrix-racoon-v1-dpd-remote-dead-purge-and-renegotiate")
    text = said(p)
    assert "72 seconds after the timeout" in text
    assert "although the peer was reachable" not in text
    assert p.facts["peer_alive_after_dpd"] == "yes"  # (alive now: evidence.yaml says no more)


def test_a_dpd_timeout_the_tunnel_came_straight_back_from_still_points_at_dpd() -> None:
    text = said(primary(
        "2020-01-29T07:19:37.064245+00:00 gw racoon: INFO: DPD: remote (ISAKMP-SA spi=8d6ba0f7a74593d0:71fa69ac6b4afef3) "
        "seems to be dead.\n"
        "2020-01-29T07:19:37.064354+00:00 gw racoon: INFO: purging ISAKMP-SA spi=8d6ba0f7a74593d0:71fa69ac6b4afef3.\n"
        "2020-01-29T07:19:38.199040+00:00 gw racoon: INFO: initiate new phase 1 negotiation: "
        "10.66.243.108[500]<=>198.51.100.7[500]\n"
        "2020-01-29T07:19:39.311786+00:00 gw racoon: INFO: IPsec-SA established: ESP/Tunnel "
        "10.66.243.108[500]->198.51.100.7[500] spi=215564738(0xcd941c2)\n"))
    assert "so the peer is reachable: look at DPD itself" in text


def test_dpd_probes_after_the_timeout_show_the_tunnel_came_back() -> None:
    p = dev("forticlient-dpd-remote-dead-lossy-network")
    text = said(p)
    assert "DPD probes start again after the timeout" in text
    assert "DPD declared the peer dead again (2 times in all)" in text
    assert "was not set up again" not in text


def test_transport_mode_left_out_of_the_answer_is_not_a_refusal() -> None:
    p = dev("strongswan-v2-transport-requested-tunnel-installed")
    text = said(p)
    assert p.category == "ipsec_mode_mismatch"
    assert "came up in tunnel mode" in p.summary_in("en")
    assert "Nothing was refused" in text
    assert "The peer sent the refusal" not in text
    assert "the fix may already be in" not in text


def test_frr_waiting_for_next_hop_tracking_is_no_route_not_a_link_that_went_down() -> None:
    p = dev("frr-bgpd-passive-peer-only-default-route-waiting-for-nht")
    text = said(p)
    assert "next-hop tracking has no route to the neighbor's address" in text
    assert "ip nht resolve-via-default" in text
    assert "went down first" not in text
    assert "did not come up" in text


def test_a_hold_timer_notification_while_the_session_opens_is_not_lost_keepalives() -> None:
    p = dev("frr-hold-timer-notification-in-opensent")
    text = said(p)
    assert "while it was still being opened (OpenSent)" in text
    assert "it got nothing from this side within the hold time" not in text


def test_an_established_sessions_hold_timer_keeps_its_reading() -> None:
    text = said(primary(
        "2019/12/24 21:49:19 BGP: 192.168.1.100 went from OpenConfirm to Established\n"
        "2019/12/24 21:52:19 BGP: %NOTIFICATION: received from neighbor 192.168.1.100 4/0 (Hold Timer Expired) 0 bytes\n"
        "2019/12/24 21:52:19 BGP: 192.168.1.100 [FSM] Receive_NOTIFICATION_message (Established->Clearing), fd 23\n"))
    assert "it got nothing from this side within the hold time" in text


def test_a_junos_summary_row_with_flaps_was_up_before() -> None:
    p = dev("juniper-vrr-show-bgp-summary-peer-active-control-plane-ddos-llgr-lab")
    text = said(p)
    assert "counts 2 flaps: the session was up and went down" in text
    assert "never came up" not in text


@pytest.mark.parametrize("row, never", [
    # Junos "show bgp summary" rows (the pattern's own samples): no flap, and three
    ("169.254.10.1          64512          0          0       0       0       5:18 Active", True),
    ("169.254.11.1          64512         12         14       0       3     1d 2:03:11 Connect", False),
])
def test_junos_summary_rows_say_whether_the_session_was_ever_up(row: str, never: bool) -> None:
    text = said(primary(
        "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/"
        "Accepted/Damped...\n" + row + "\n"))
    assert ("never came up" in text) is never


def test_an_eap_failure_the_client_received_is_not_called_its_own_refusal() -> None:
    p = dev("strongswan-v2-tnc-access-denied-eap-failure")
    assert "This side refused what the peer proposed" not in said(p)


def test_fortigates_own_proposal_refusal_in_its_event_log_is_this_sides() -> None:
    p = dev("fortigate-event-azure-phase2-rekey-error")
    text = said(p)
    assert p.category == "rekey_issue"
    assert "this side refused the peer's exchange that replaces the SA" in text
    assert "the peer refused the exchange" not in text


def test_no_shared_key_of_its_own_is_not_called_a_refusal_of_the_peer() -> None:
    # a strongSwan IKEv1 Main Mode initiator without the key for the pair (the corpus's L2TP client)
    p = dev("strongswan-v1-main-mode-no-shared-key")
    text = said(p)
    assert "this side has no pre-shared key for this pair of identities" in text
    assert "This side refused what the peer proposed" not in text


def test_charons_inval_ke_in_an_ikev1_informational_is_not_read_as_ikev2s_invalid_ke_payload() -> None:
    # notify type 17 is INVALID-KEY-INFORMATION in IKEv1 (RFC 2408 section 3.14.1), INVALID_KE_PAYLOAD in IKEv2
    import json

    v1 = analyze_text((DEV / "strongswan-v1-main-mode-no-shared-key.log").read_text())  # [ N(INVAL_KE) ] on line 17
    assert "INVALID_KE_PAYLOAD" not in json.dumps(v1.to_json(), default=str)


@pytest.mark.parametrize("name, closing", [
    # an established session's hold timer: its ASNs and addresses worked
    ("frr-hold-timer-notification-in-opensent", "No IKE or IPsec failure was seen in these lines."),
    # the path under BGP went down: the tunnel is what to look at
    ("cisco-ios-bgp-tracked-route-to-peer-lost-interface-down",
     "check that the tunnel (its IPsec SA and tunnel interface) is up before looking at BGP"),
    # a refused OPEN: the ASNs and the neighbor addresses are what to compare
    ("gobgp-open-as-mismatch-wrong-source-address-juniper", "look at BGP (ASN, neighbor addresses"),
])
def test_the_closing_advice_of_a_bgp_diagnosis_follows_its_reason(name: str, closing: str) -> None:
    assert closing in said(dev(name))


def test_a_cease_without_a_subcode_is_a_code_that_names_no_reason_not_a_missing_code() -> None:
    # FRR received Cease/Unspecific (6/0) from its BIRD upstream, twice
    p = dev("frr-cease-unspecific-from-bird-upstream")
    text = said(p)
    assert "the neighbor closed the session with NOTIFICATION 6/0 (Cease), a code that names no particular reason" in text
    assert "does not give its error code" not in text and "does not say which error" not in text


def test_frr_losing_the_connection_in_opensent_is_the_neighbor_refusing_the_open() -> None:
    # FRR sent its OPEN, the peer reset the connection in the same second: TCP_fatal_error (OpenSent->Active)
    p = dev("frr-connection-reset-by-peer-opensent")
    assert p.facts["bgp_reason"] == "peer_closed_after_open"
    assert "right after this side's OPEN" in said(p)


def test_other_neighbors_down_in_the_same_lines_are_named() -> None:
    # NX-OS: a hardware table error, then three neighbors down with holdtimer expired
    p = dev("cisco-nxos-bgp-holdtimer-expired-nat-tcam-exhausted")
    assert "2 other neighbors went down in these lines too (3.3.3.3, 4.4.4.4)" in said(p)
    ko = " ".join(p.reasoning_in("ko"))
    assert "다른 네이버 2개도 다운되었습니다(3.3.3.3, 4.4.4.4)" in ko


@pytest.mark.parametrize("name", [
    "frr-open-bad-router-identifier-calico-ipv6-multicast-id",  # FRR: "bad OPEN, wrong router identifier"
    "libbgp-open-bad-bgp-identifier-bird-peer",  # libbgp: "peer BGP ID (0.0.0.11) invalid"
    "vyos-frr-ipv6-only-vrf-missing-router-id-bad-bgp-identifier",  # NOTIFICATION 2/3 Bad BGP Identifier
])
def test_a_refused_router_id_is_named_not_a_list_of_open_parameters(name: str) -> None:
    text = said(dev(name))
    assert "the router ID (BGP Identifier) in an OPEN was refused" in text
    assert "hold time, capabilities or address families" not in text


def test_a_neighbor_refusing_this_sides_as_is_told_to_fix_this_sides_own_as() -> None:
    # BIRD (Calico) received Bad peer AS for the 64512 it announced: Calico's default AS, the one to change
    text = said(dev("calico-bird-received-bad-peer-as-default-asn"))
    assert "set this side's own AS to the one the neighbor is configured with for it" in text
    assert "name the Amazon-side ASN (64512" not in text


@pytest.mark.parametrize("name", [
    "exabgp-client-connect-fails-tcp-md5sig-unsupported-no-auth-configured",  # ExaBGP: does not support TCP_MD5SIG
    "frr-bgpd-tcp-md5-protocol-not-available-kernel-missing-md5sig",  # FRR: setsockopt(22): Protocol not available
    # FRR 7 on OpenWrt: "can't set TCP_MD5SIG option on socket 13", then lib/sockopt.c's "sockopt_tcp_signature"
    "frr-bgpd-openwrt-cannot-set-tcp-md5sig-kernel-option-missing",
])
def test_a_kernel_without_tcp_md5_is_not_a_wrong_password(name: str) -> None:
    p = dev(name)
    text = said(p)
    assert "the operating system has no TCP MD5 signature support (Protocol not available" in text
    assert "set the same BGP password on both sides" not in text and "optmem_max" not in text


def test_frrs_library_line_under_bgpds_own_is_no_second_neighbor_down() -> None:
    # lib/sockopt.c's "sockopt_tcp_signature: setsockopt(22): ..." comes before bgpd's line naming the neighbor
    text = said(dev("frr-bgpd-tcp-md5-protocol-not-available-kernel-missing-md5sig"))
    assert "Line 2: the BGP session went down (1×)." in text
    assert "1 other neighbor went down in these lines too (10.0.0.2)" in text


def test_a_dpd_timeout_on_the_last_line_does_not_claim_the_tunnel_stayed_down() -> None:
    # pluto's one line: "liveness action - restarting all connections that share this peer"
    p = dev("libreswan-v2-liveness-action-restart")
    assert "the lines end before the tunnel could be set up again" in p.summary_in("en")
    assert "was not set up again" not in said(p)


def test_a_pan_os_routing_record_is_read_with_its_fields() -> None:
    # PAN-OS routed.log: the NOTIFICATION's code and subcode come on lines of their own, after the message
    p = dev("paloalto-routed-bgp-notification-received-cease-max-prefixes-peer-capacity")
    assert p.facts["bgp_notification"] == "6/1" and p.facts["direction"] == "received"
    assert "does not give its error code" not in said(p)


def test_record_fields_keep_every_line_number() -> None:
    from lab.analyzer.paste import join_record_fields

    text = ("qbnmmsg.c 1466 :at 18:04:41, 17 February 2022 (1392686 ms)\n"
            "A NOTIFICATION message has been received from a neighbor.\n"
            "Remote address = 10.249.246.49\n"
            "Error code = Cease (6)\n"
            "\n"
            "Error subcode = not a field of the record above\n")
    joined, count = join_record_fields(text)
    assert count == 2
    assert joined.split("\n") == [
        "qbnmmsg.c 1466 :at 18:04:41, 17 February 2022 (1392686 ms)",
        "A NOTIFICATION message has been received from a neighbor.; Remote address = 10.249.246.49; "
        "Error code = Cease (6)", "", "", "", "Error subcode = not a field of the record above", ""]
    assert join_record_fields("no record here\nKey = value\n") == ("no record here\nKey = value\n", 0)


def test_pluto_rejecting_the_peers_child_sa_answer_is_this_sides_refusal() -> None:
    # "policy dictates Transport Mode, but peer requested Tunnel Mode", then "response for Child SA #2 was rejected
    # with NO_PROPOSAL_CHOSEN; initiating delete of Child SA" (ikev2_ike_auth.c: this end did not like the answer)
    p = dev("libreswan-v2-transport-vs-tunnel")
    assert p.category == "ipsec_mode_mismatch"
    assert p.facts["direction"] == "sent"
    assert "The peer sent the refusal" not in said(p)


@pytest.mark.parametrize("name", [
    "libreswan-v1-mangled-rsa-key",  # "#1: private key matching CKAID ... not found in NSS DB" after MI2
    "libreswan-v1-missing-private-key",  # "#1: Can't find the certificate or private key from the NSS CKA_ID"
])
def test_pluto_missing_its_own_key_while_negotiating_did_load_the_connection(name: str) -> None:
    p = dev(name)
    text = said(p)
    assert "while negotiating, this side could not find its own private key" in text
    assert "could not load the connection" not in text and "This side refused what the peer proposed" not in text


def test_pluto_missing_its_certificate_when_loading_the_connection_keeps_that_reading() -> None:
    # a connection's line without a state (libreswan's addconn: the certificate it names is not in NSS)
    text = said(primary('"road": certificate \'road-cert\' not found in NSS DB\n'
                        '"road": failed to add connection: left certificate \'road-cert\' not found in the NSS database\n'))
    assert "pluto could not load the connection" in text


def test_an_xauth_failure_after_phase_1_points_at_the_user_not_the_keys() -> None:
    # libreswan's test suite: phase 1 authenticated with certificates, then the server's PAM check timed out
    text = said(dev("libreswan-v1-xauth-pam-timeout-two-sided"))
    assert "XAUTH, the user authentication that runs after phase 1 has authenticated both sides, failed" in text
    assert "the server's PAM check did not finish in time (ABORTED)" in text
    assert "A negotiation failure means the peer answered" not in text


def test_a_delete_this_side_tried_to_recover_from_is_not_blamed_on_a_missing_initiator() -> None:
    # libreswan auto=keep revives the connection after the peer's Delete; the peer answers NO_PROPOSAL_CHOSEN
    p = dev("libreswan-v2-auto-keep-peer-deleted-revival-fails")
    text = said(p)
    assert "this side's attempt to set it up again failed" in p.summary_in("en")
    assert "AWS does not start IKE itself" not in text and "nobody set the tunnel up again" not in text


@pytest.mark.parametrize("name, gateway", [
    # libreswan's test suite: east redirects north (RFC 5685) to addresses that do not answer
    ("libreswan-v2-load-balancer-redirect-to-dead-address", "192.1.2.44"),
    ("libreswan-v2-redirect-target-down", "192.1.3.33"),  # "IKE_SA_INIT response redirects to new gateway"
    ("libreswan-v2-redirect-ike-auth-new-gateway-no-response", "192.1.3.33"),  # "IKE_AUTH redirect ... (address: )"
])
def test_requests_left_unanswered_after_a_redirect_name_the_gateway_they_went_to(name: str, gateway: str) -> None:
    p = dev(name)
    assert p.category == "peer_unreachable"
    assert f"redirected this side to {gateway} (RFC 5685)" in said(p)


def test_an_answer_that_matched_no_sa_is_a_crossing_not_an_unanswered_rekey() -> None:
    # libreswan's test suite: west rekeys the IKE SA while east adds a Child SA over it (crossing streams)
    p = dev("libreswan-v2-rekey-crossing-streams")
    text = said(p)
    assert p.category == "rekey_issue"
    assert "the exchange crossed another one on the same IKE SA" in text
    assert "got no answer" not in text and "an unknown SPI" not in text


def test_a_maximum_prefix_limit_with_a_router_that_is_not_aws_gives_no_aws_limits() -> None:
    # PAN-OS (advanced routing engine): the neighbor 192.168.1.1 closed the session with Cease 6/1. That address is no
    # VPN tunnel's inside address (169.254.0.0/16), so AWS's 100-route limit says nothing about this neighbor.
    p = dev("paloalto-are-bgp-cease-max-prefixes-from-peer")
    assert p.facts["peer"] == "192.168.1.1"
    assert "AWS accepts at most 100 routes" not in said(p)
    assert "the neighbor's maximum-prefix limit was exceeded by the routes this side advertised" in said(p)
    assert "not a VPN tunnel's inside address (169.254.0.0/16)" in said(p)
    # The lab's FRR with its neighbor at 192.0.2.2 limiting what it accepts: raise the limit, no AWS figures
    lab = Path(__file__).resolve().parents[1] / "data" / "bgp-lab" / "bgp-frr-bird-max-prefix-exceeded" / "L.log"
    p = primary(lab.read_text())
    assert "this side's maximum-prefix limit for the neighbor was exceeded" in said(p)
    assert "AWS advertises up to 1,000" not in said(p)
    # A neighbor the lines give no address for may be AWS's side of a tunnel: AWS's limits are still named
    p = dev("paloalto-routed-bgp-notification-received-cease-max-prefixes-peer-capacity")
    assert "AWS accepts at most 100 routes per VPN connection" in said(p)


def test_a_pluto_timeout_on_an_established_ike_sa_names_the_request_it_ended_or_none() -> None:
    # "#1: ESTABLISHED_IKE_SA: 30 second timeout exceeded" names the IKE SA's state: the request that timed out was
    # the CREATE_CHILD_SA "#4" sent over it (libreswan's crossing-streams test), not an INFORMATIONAL
    p = dev("libreswan-v2-rekey-crossing-streams")
    assert p.facts["exchange"] == "CREATE_CHILD_SA"
    # One line, nothing before it: the log does not say which request it was
    p = dev("libreswan-v2-established-ike-retransmit-timeout-unreachable-peer")
    assert "exchange" not in p.facts


@pytest.mark.parametrize(("name", "reading"), [
    # pluto with NSS (libreswan's test suite): SEC_ERROR_REVOKED_CERTIFICATE, SEC_ERROR_EXPIRED_CERTIFICATE, a
    # subjectAltName that does not hold the ID; charon (Android): "certificate does not confirm identity"
    ("libreswan-v2-crl-revoked-peer-cert", "the peer's certificate was revoked by its CA"),
    ("libreswan-v2-x509-responder-cert-expired", "the peer's certificate is outside its validity period"),
    ("libreswan-v2-san-dns-mismatch", "an identity and a certificate do not match"),
    ("strongswan-android-v2-server-address-not-certificate-identity-constraint-check",
     "an identity and a certificate do not match"),
])
def test_what_a_certificate_check_found_is_said(name: str, reading: str) -> None:
    p = dev(name)
    assert p.category == "auth_failure"
    assert reading in said(p)


@pytest.mark.parametrize(("code", "reading"), [
    # NSS's verdicts as pluto prints them (nss_cert_verify.c; the codes of /usr/include/nss3/secerr.h)
    ("SEC_ERROR_INADEQUATE_CERT_TYPE: Certificate type not approved for application.", "lacks the key usage"),
    ("SEC_ERROR_INADEQUATE_KEY_USAGE: Certificate key usage inadequate for attempted operation.", "lacks the key usage"),
    ("SEC_ERROR_BAD_SIGNATURE: Peer's certificate has an invalid signature.", "cannot verify the peer's certificate"),
    ("SEC_ERROR_CA_CERT_INVALID: Issuer certificate is invalid.", "cannot verify the peer's certificate"),
    ("SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE: Peer's certificate issuer has expired.", "a CA certificate of the peer's"),
])
def test_nss_verdicts_on_the_peers_certificate_are_said(code: str, reading: str) -> None:
    line = ('"gw"[1] 192.0.2.1 #2: NSS: ERROR: IPsec certificate CN=gw-L.example.net,O=VPN Lab,C=KR invalid: '
            f"{code}\n")
    p = analyze_text(line).primary
    assert p is not None and p.category == "auth_failure"
    assert reading in said(p) and "()" not in said(p)


def test_an_asa_without_the_peers_ca_is_told_to_install_it() -> None:
    # Cisco ASA 717009 (the ASA syslog guide's wording), then 713904 ending the negotiation
    text = ("%ASA-3-717009: Certificate validation failed. No suitable trustpoints found to validate certificate serial "
            "number: 3A2B, subject name: cn=gw.example.com.\n")
    p = analyze_text(text).primary
    assert p is not None and p.category == "auth_failure"
    assert "cannot verify the peer's certificate" in said(p)


@pytest.mark.parametrize("line", [
    # AWS's tunnel log (the Site-to-Site VPN log reference's wording)
    '{"event_timestamp":1762580429641,"details":"AWS tunnel detected a pre-shared key mismatch with cgw: 198.51.100.10",'
    '"ike_phase1_state":"Negotiating","ike_phase2_state":"Down"}',
    # Cisco ASA 713902
    "%ASA-3-713902: Group = 203.0.113.10, IP = 203.0.113.10, ERROR, had problems decrypting packet, probably due to "
    "mismatched pre-shared key.  Aborting",
])
def test_a_pre_shared_key_mismatch_is_named_whoever_logs_it(line: str) -> None:
    p = analyze_text(line + "\n").primary
    assert p is not None and p.category == "auth_failure"
    assert "the two sides hold different pre-shared keys" in said(p)
    assert "on AWS each tunnel has its own pre-shared key" in said(p)


def test_no_peer_config_for_the_identity_the_peer_sent_names_it() -> None:
    # pfSense (charon, IKEv1): "looking for pre-shared key peer configs matching 192.0.2.74...192.0.2.90[someid]",
    # then "no peer config found"
    p = dev("pfsense-v1-identifier-mismatch")
    assert p.category == "auth_failure"
    assert "this side has no connection for the identity the peer sent (someid)" in said(p)


def test_a_traffic_selector_mismatch_says_how_the_selectors_must_mirror_each_other() -> None:
    # FortiGate responder (IKEv2): "failed to match peer selectors", no subnets named on its lines
    p = dev("fortigate-v2-responder-failed-to-match-peer-selectors")
    assert p.category == "traffic_selector_mismatch"
    assert "must mirror each other" in said(p) and "0.0.0.0/0 on both sides" in said(p)


def test_a_reading_that_says_only_the_category_adds_what_its_line_means() -> None:
    """Where no reading of its own applies, the line's pattern explanation (otherwise only in the findings' details)
    says what the line means, in English and in Korean; a specific reading does not get it as well."""
    primary = analyze_text("charon: 10[IKE] Aggressive Mode PSK disabled for security reasons\n").primary
    assert primary is not None and primary.category == "ike_mode_mismatch"
    assert primary.reasoning[-1].render("en").startswith("What line 1 means: The peer starts IKEv1 Aggressive Mode")
    assert primary.reasoning[-1].render("ko").startswith("1번째 줄의 의미: ")
    specific = analyze_text("charon: 10[CFG] no IKE config found for 198.51.100.10...203.0.113.9, sending "
                            "NO_PROPOSAL_CHOSEN\n").primary
    assert specific is not None and not any(r.render("en").startswith("What line") for r in specific.reasoning)
