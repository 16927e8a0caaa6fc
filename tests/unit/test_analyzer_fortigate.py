"""FortiGate's IKE debug (`diagnose debug application ike -1`, FortiOS 6.4 and 7.x wording, with and without the
`V=root:` VDOM prefix), read on development excerpts of the real-log corpus (`datasets/real-logs/dev/`): a Fortinet
engineer's labelled lab debugs, github.com/lvannstruth-ftnt/fgt-ike-debugger."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def _log(name: str) -> str:
    return (DEV / f"{name}.log").read_text(encoding="utf-8")


def _category(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


@pytest.mark.parametrize(("name", "category"), [
    # A phase 2's own refusal (the line names the phase 2): its PFS group, not phase 1.
    ("fortigate-v2-create-child-pfs-mismatch-no-proposal-chosen", "phase2_proposal_mismatch"),
    # A CREATE_CHILD rekey of an IPsec SA retransmitted until the IKE SA times out: a rekey problem.
    ("fortigate-v2-child-sa-rekey-unanswered-sa-hard-expired", "rekey_issue"),
    # The gateway re-validated with the peer's ID and refused it.
    ("fortigate-v2-dialup-peer-id-gw-validation-failed", "auth_failure"),
    # NAT detected, IKE moved to UDP 4500, and IKE_AUTH on 4500 never answered.
    ("fortigate-v2-nat-t-float-to-4500-auth-unanswered-negotiation-timeout", "nat_t_or_fragmentation"),
    ("fortigate-v2-sa-init-network-unreachable-negotiation-timeout", "peer_unreachable"),
    ("fortigate-v2-responder-auth-child-sa-added-tunnel-up-healthy", None),
    # The responder answered the client's IKE_AUTH (with an EAP request) and the negotiation then timed out: the
    # client got there and gave up on this side's authentication (its pre-shared key differs), not unreachable.
    ("fortigate-ikev2-dialup-eap-psk-mismatch-negotiation-timeout", "auth_failure"),
])
def test_labelled_fortigate_debugs(name: str, category: str | None) -> None:
    assert _category(_log(name)) == category


@pytest.mark.parametrize("skip", range(6, 12))
def test_a_paste_that_starts_after_the_rekey_went_out_is_still_a_rekey(skip: int) -> None:
    # Only the CREATE_CHILD retransmissions are left of the rekey: a CREATE_CHILD_SA travels inside an IKE SA that
    # is up (RFC 7296 section 1.3), so the silence is not the peer being unreachable.
    lines = _log("fortigate-v2-child-sa-rekey-unanswered-sa-hard-expired").splitlines()[skip:]
    assert "rekey" not in lines[0]
    assert _category("\n".join(lines) + "\n") == "rekey_issue"


def test_a_phase_1_refusal_stays_phase_1_and_a_new_child_is_no_rekey() -> None:
    assert _category("ike 0:to_aws:21: no SA proposal chosen") == "phase1_proposal_mismatch"
    # The same IKEv2 refusal as a first Child SA (no rekey word): phase 2, not a rekey.
    text = _log("fortigate-v2-create-child-pfs-mismatch-no-proposal-chosen")
    assert "rekey" not in text.lower()


def test_an_sa_that_hard_expires_alone_is_no_fault() -> None:
    # An idle phase 2 without auto-negotiate expires this way; after an unanswered rekey it is the consequence.
    line = "ike V=root:0:to-FG2: IPsec SA 6e64c630/287f891e hard expired 6 1.1.1.254->2.2.2.254:4500 SA count 1 of 1"
    assert analyze_text(line).primary is None
    # A retransmission timeout without a rekey before it is the peer not answering.
    timeout = ("ike V=root:0:to-FG2:12: sent IKE msg (SA_INIT): 1.1.1.254:500->2.2.2.254:500, len=620\n"
               "ike V=root:0:to-FG2:12: sent IKE msg (RETRANSMIT_SA_INIT): 1.1.1.254:500->2.2.2.254:500, len=620\n"
               "ike V=root:0:to-FG2:12: 0d1269f1e87c45d7/0000000000000000 retransmission timeout")
    assert _category(timeout) == "peer_unreachable"


def test_an_invalid_spi_fortios_says_it_ignores_is_no_fault() -> None:
    # github.com/lvannstruth-ftnt/fgt-ike-debugger ike_fnbamd_local.txt: a remote-access tunnel that works.
    line = "ike V=root:0:ikev2-ra_0:22:ikev2-ra:15: ignoring invalid SPI 33fd7e58, IPsec SA just negotiated"
    assert analyze_text("\n".join([line] * 3)).primary is None
    assert _category("ike V=root:0:to-FG2:5293: received notify type INVALID_SPI") == "rekey_issue"


# FortiOS's "IPsec ESP" event (logid 0101037131), as Fortinet's articles show it: for a named tunnel (ta-p/190530,
# with single quotes) and for ESP that matched no tunnel at all (ta-p/199842: stray ESP from the Internet).
UNKNOWN_SPI_TUNNEL = (
    "date=2022-09-08 time=16:29:21 eventtime=1662679761670200983 tz='-0700' logid='0101037131' type='event' "
    "subtype='vpn' level='error' vd='root' logdesc='IPsec ESP' msg='IPsec ESP' action='error' remip=x.x.x.175 "
    "locip=x.x.x.242 remport=500 locport=500 outintf='port1' cookies='N/A' user='N/A' group='N/A' useralt='N/A' "
    "xauthuser='N/A' xauthgroup='N/A' assignip=N/A vpntunnel='BC_Tun' status='esp_error' "
    "error_num='Received ESP packet with unknown SPI.' spi='3a4e6946' seq='0000002d'"
)
UNKNOWN_SPI_NO_TUNNEL = (
    'date=2024-08-13 time=20:08:54 eventtime=1723604934176251061 tz="-0700" logid="0101037131" type="event" '
    'subtype="vpn" level="error" vd="root" logdesc="IPsec ESP" msg="IPsec ESP" action="error" remip=10.x.x.140 '
    'locip=172.x.x.143 remport=4500 locport=500 outintf="port1" cookies="N/A" user="N/A" group="N/A" useralt="N/A" '
    'xauthuser="N/A" xauthgroup="N/A" assignip=N/A vpntunnel="N/A" status="esp_error" '
    'error_num="Received ESP packet with unknown SPI." spi="2c65ad60" seq="00000007" fctuid="N/A" advpnsc=0'
)


def test_esp_with_an_unknown_spi_is_sas_out_of_step_only_for_a_named_tunnel() -> None:
    result = analyze_text(UNKNOWN_SPI_TUNNEL)
    assert result.format == "fortigate"  # (its values in single quotes)
    assert result.primary is not None and result.primary.category == "rekey_issue"
    assert result.primary.facts.get("conn") == "BC_Tun"
    stray = analyze_text(UNKNOWN_SPI_NO_TUNNEL)
    assert stray.format == "fortigate" and stray.primary is None and not stray.findings
    assert [str(n) for n in stray.notes] == ["Line 1: ESP with an unknown SPI matched no tunnel at all: stray ESP from "
                                             "the Internet, dropped by this side, not a failure of a tunnel and not "
                                             "read as a cause."]
    # Next to a tunnel's own failure it changes nothing of the diagnosis.
    both = analyze_text(UNKNOWN_SPI_NO_TUNNEL + "\n" + UNKNOWN_SPI_TUNNEL)
    assert both.primary is not None and both.primary.category == "rekey_issue"


@pytest.mark.parametrize("line", [
    'date=2025-11-08 time=05:40:29 logid="0101037136" type="event" subtype="vpn" level="error" vd="root" '
    'logdesc="IPsec DPD failed" msg="IPsec DPD failed" action="dpd" remip=203.0.113.10 locip=198.51.100.1 '
    'status="dpd_failure" vpntunnel="to_aws"',
    'date=2021-01-03 time=04:22:03 eventtime=1609618924346452242 tz="+0800" logid="0101037129" type="event" '
    'subtype="vpn" level="notice" vd="root" logdesc="Progress IPsec phase 2" msg="progress IPsec phase 2" '
    'action="negotiate" remport=500 locport=500 outintf="wan1" vpntunnel="AZURE-XYZ" status="success" '
    'init="remote" exch="CREATE_CHILD" dir="outbound" role="responder" result="DONE" version="IKEv2"',
    'date=2025-11-08 time=05:41:02 logid="0101037138" type="event" subtype="vpn" level="notice" vd="root" '
    'logdesc="IPsec connection status changed" msg="IPsec connection status changed" action="tunnel-up" '
    'remip=203.0.113.10 vpntunnel="to_aws"',
])
def test_an_event_record_in_single_quotes_reads_like_one_in_double_quotes(line: str) -> None:
    """FortiOS records are shown with either quote (Fortinet's own articles use both): the same events either way."""
    double, single = analyze_text(line), analyze_text(line.replace('"', "'"))
    assert single.format == double.format == "fortigate"
    assert [(f.pattern, f.event, f.facts) for f in single.findings] == [(f.pattern, f.event, f.facts) for f in double.findings]
    assert single.signals == double.signals
    assert double.findings or double.signals  # (each of these lines is read as something: a failure, or an SA up)


# https://github.com/lvannstruth-ftnt/fgt-ike-debugger/blob/23a3ee50218f0ee650077d5a5d4f580ad41b3418/IKE_LOG_V1_ldap_PSK_Mismatch.txt
# (lines of it; not a corpus excerpt): the FortiGate answers Aggressive Mode, the FortiClient answers that with an
# encrypted Informational instead of the third message, and phase 1 times out. The file is labelled a PSK mismatch.
FGT_V1_AGGRESSIVE_PSK_MISMATCH = """\
2025-01-15 08:59:24.142419 ike V=root:0:60e4660a4071c32a/0000000000000000:35404: responder: aggressive mode get 1st message...
2025-01-15 08:59:24.146282 ike V=root:0:ikev1-ldap:35404: sent IKE msg (agg_r1send): 10.128.202.142:500->10.21.4.174:1012, len=556, vrf=0,
 id=60e4660a4071c32a/425bca7299b159b7
2025-01-15 08:59:24.257305 ike V=root:0: comes 10.21.4.174:1012->10.128.202.142:500,ifindex=6,vrf=0,len=92....
2025-01-15 08:59:24.257416 ike V=root:0: IKEv1 exchange=Informational id=60e4660a4071c32a/425bca7299b159b7:eb88c9a9 len=92 vrf=0
2025-01-15 08:59:27.165805 ike V=root:0:ikev1-ldap:35404: sent IKE msg (P1_RETRANSMIT): 10.128.202.142:500->10.21.4.174:1012, len=556, vrf
=0, id=60e4660a4071c32a/425bca7299b159b7
2025-01-15 08:59:27.171504 ike V=root:0: comes 10.21.4.174:1012->10.128.202.142:500,ifindex=6,vrf=0,len=92....
2025-01-15 08:59:27.171606 ike V=root:0: IKEv1 exchange=Informational id=60e4660a4071c32a/425bca7299b159b7:bb9be9e5 len=92 vrf=0
2025-01-15 08:59:45.185866 ike V=root:0:ikev1-ldap:35404: sent IKE msg (P1_RETRANSMIT): 10.128.202.142:500->10.21.4.174:1012, len=556, vrf
=0, id=60e4660a4071c32a/425bca7299b159b7
2025-01-15 08:59:54.145524 ike V=root:0:ikev1-ldap:35404: negotiation timeout, deleting
2025-01-15 08:59:54.145766 ike V=root:0:ikev1-ldap: connection expiring due to phase1 down
"""
# https://github.com/lvannstruth-ftnt/fgt-ike-debugger/blob/23a3ee50218f0ee650077d5a5d4f580ad41b3418/IKE_LOG_V1_radius_pswd_wrong.txt
FGT_V1_XAUTH_FAILED = """\
2025-01-20 18:34:55.374466 ike V=root:0:ikev1-radius_0:45703: XAUTH 700221448254 result FNBAM_TIMEOUT
2025-01-20 18:34:55.374562 ike V=root:0:ikev1-radius_0: XAUTH failed for user "vito", retry(2).
"""


def test_an_aggressive_mode_answered_with_an_informational_then_timed_out_is_an_authentication_failure() -> None:
    primary = analyze_text(FGT_V1_AGGRESSIVE_PSK_MISMATCH).primary
    assert primary is not None and primary.category == "auth_failure"
    said = " ".join(str(r) for r in primary.reasoning)
    assert "Line 5: the peer answered this side's phase 1 message with an Informational" in said
    # without the peer's Informationals it is the peer not answering
    silent = "\n".join(line for line in FGT_V1_AGGRESSIVE_PSK_MISMATCH.splitlines() if "exchange=Informational" not in line)
    assert analyze_text(silent + "\n").primary.category == "peer_unreachable"


def test_a_fortigate_xauth_failure_is_an_authentication_failure() -> None:
    primary = analyze_text(FGT_V1_XAUTH_FAILED).primary
    assert primary is not None and primary.category == "auth_failure"


# https://github.com/lvannstruth-ftnt/fgt-ike-debugger/blob/23a3ee50218f0ee650077d5a5d4f580ad41b3418/IKE_LOG_V2_4500_responder.txt
# (lines of it): the responder's side of the NAT-T case whose initiator side is a dev excerpt. It answers IKE_SA_INIT,
# finds NAT, and the initiator's IKE_AUTH (on UDP 4500) never arrives.
FGT_V2_RESPONDER_NAT_T = """\
ike V=root:0: IKEv2 exchange=SA_INIT id=b7a3ea0b1497423a/0000000000000000 len=597
ike V=root:0:b7a3ea0b1497423a/0000000000000000:1932: responder received SA_INIT msg
ike V=root:0:b7a3ea0b1497423a/0000000000000000:1932: received notify type NAT_DETECTION_SOURCE_IP
ike V=root:0:b7a3ea0b1497423a/0000000000000000:1932: received notify type NAT_DETECTION_DESTINATION_IP
ike V=root:0:eveS2S:1932: NAT not detected
ike V=root:0:eveS2S:1932: NAT detected: ME
ike V=root:0:eveS2S:1932: sent IKE msg (SA_INIT_RESPONSE): 2.2.2.254:500->1.1.1.254:500, len=432, vrf=0, id=b7a3ea0b1497423a/84db0bbd6640a4ad, oif=4
ike V=root:0:eveS2S:1932: negotiation timeout, deleting
"""


def test_a_responder_that_found_nat_and_never_got_ike_auth_points_at_udp_4500() -> None:
    primary = analyze_text(FGT_V2_RESPONDER_NAT_T).primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert "this side answered the peer's IKE_SA_INIT and found NAT" in str(primary.reasoning[0])
    # without NAT between the peers the same silence stays a reachability question
    no_nat = FGT_V2_RESPONDER_NAT_T.replace("NAT detected: ME", "NAT not detected")
    assert analyze_text(no_nat).primary.category == "peer_unreachable"


def test_a_responder_that_answered_ike_auth_then_timed_out_guesses_authentication() -> None:
    analysis = analyze_text(_log("fortigate-ikev2-dialup-eap-psk-mismatch-negotiation-timeout"))
    assert analysis.primary is not None and analysis.primary.certainty == "guess"
    assert any("answered the peer's IKE_AUTH" in str(r) for r in analysis.primary.reasoning)
    # Without its answer to IKE_AUTH in the paste the same timeout stays the peer's silence: nothing says it got there.
    lines = [line for line in _log("fortigate-ikev2-dialup-eap-psk-mismatch-negotiation-timeout").splitlines()
             if "AUTH" not in line and "4500" not in line]
    assert _category("\n".join(lines) + "\n") == "peer_unreachable"


# github.com/lvannstruth-ftnt/fgt-ike-debugger, IKE_LOG_V2_policy_not_found.txt (lines 2-7, 45-47): the responding
# FortiGate has no firewall policy for the tunnel interface, so it drops the peer's IKE_SA_INIT without an answer.
IGNORED_NO_POLICY = """\
FG1 # ike 0: comes 2.2.2.254:500->1.1.1.254:500,ifindex=6,vrf=0....
ike 0: IKEv2 exchange=SA_INIT id=75182ea269d7d772/0000000000000000 len=609
ike 0:75182ea269d7d772/0000000000000000:50865: responder received SA_INIT msg
ike 0:75182ea269d7d772/0000000000000000:50865: received notify type NAT_DETECTION_SOURCE_IP
ike 0:75182ea269d7d772/0000000000000000:50865: received notify type NAT_DETECTION_DESTINATION_IP
ike 0:to-FG2: ignoring IKEv2 request, no policy configured
ike 0:75182ea269d7d772/0000000000000000:50865: negotiation failure
ike Negotiate SA Error: ike ike  [11087]
"""


def test_a_peer_s_ike_dropped_for_want_of_a_firewall_policy_is_this_side_declining() -> None:
    primary = analyze_text(IGNORED_NO_POLICY).primary
    assert primary is not None and primary.category == "cgw_not_initiating"
    assert "no firewall policy" in primary.summary and primary.evidence_lines == (6,)
    assert any("the path works" in str(r) for r in primary.reasoning)
    # a tunnel set up afterwards (the policy was added meanwhile; IKE_LOG_V2.txt of the same repository): nothing left
    later = "ike 0:to-FG2:34538: established IKE SA 7296e98108a42bd1/85eb659ca85c20f9\nike 0:to-FG2: set oper up\n"
    assert analyze_text(IGNORED_NO_POLICY + later).primary is None
    # the FortiGate that traffic asks to start the tunnel and that declines stays a customer gateway not starting IKE
    assert _category("ike 0:to-FG2: ignoring request to establish IPsec SA, no policy configured\n") == \
        "cgw_not_initiating"


def test_fnbamd_timing_out_on_the_radius_server_is_no_wrong_password() -> None:
    # fnbamd's debug beside the IKE debug: "__rad_conn_timeout-Connction with labDC-radius:10.21.1.101 timed out."
    # again and again, the XAUTH still pending when the lines end (lvannstruth-ftnt/fgt-ike-debugger)
    p = analyze_text((DEV / "fortigate-v1-xauth-radius-server-unreachable-conn-timeouts.log").read_text()).primary
    assert p is not None and p.category == "auth_failure"
    said = " ".join(p.reasoning_in("en"))
    assert "got no answer from the RADIUS server it asked to check the user" in said
    assert "FNBAM_TIMEOUT" not in said  # (the lines end before fnbamd gives its result)


def test_a_radius_server_that_timed_out_before_another_answered_is_no_failure() -> None:
    # One fnbamd timeout, then the XAUTH succeeds and the tunnel comes up: the user was authenticated
    lines = (DEV / "fortigate-ikev1-xauth-ldap-dialup-up-dpd-r-u-there.log").read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if "FNBAM_SUCCESS" in line)
    timeout = "2025-01-15 08:43:20 [730] __rad_conn_timeout-Connction with labDC-radius:10.21.1.101 timed out."
    assert analyze_text("\n".join([*lines[:at], timeout, *lines[at:]]) + "\n").primary is None
