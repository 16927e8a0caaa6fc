"""Readings added from sweeps of Openswan's pluto, FortiOS's event log and the BGP speakers run in Kubernetes
(GoBGP, OpenBGPD, MetalLB). Each line is written in the format its source prints (the file or page beside it)
with documentation addresses, or quoted from the public fixture named beside it.
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# FortiOS log message reference, 37130 MESGID_NEG_PROGRESS_P2_ERROR ("Progress IPsec phase 2", severity error);
# the line is SEKOIA-IO/intake-formats' FortiGate fixture with its device name and addresses.
FGT_P2_ERROR = (
    'date=2024-05-21 time={time} devname="FGT-HQ-01" devid="FG100FTK21008877" logid="0101037130" type="event" '
    'subtype="vpn" level="error" vd="root" eventtime=1716284652 logdesc="Progress IPsec phase 2" '
    'msg="progress IPsec phase 2" action="negotiate" remip=198.51.100.140 locip=203.0.113.66 remport=500 locport=500 '
    'outintf="wan1" cookies="8a41d0c2e97f1b35/5c02e9a7d4b18f60" user="N/A" group="N/A" xauthuser="N/A" '
    'xauthgroup="N/A" assignip=N/A vpntunnel="to-branch7" status="{status}" init="local" exch="CREATE_CHILD" '
    'dir="inbound" role="initiator" result="{result}" version="IKEv2"\n'
)
FGT_TUNNEL_UP = (
    'date=2024-05-21 time=01:44:02 devname="FGT-HQ-01" devid="FG100FTK21008877" logid="0101037138" type="event" '
    'subtype="vpn" level="notice" vd="root" eventtime=1716255842 logdesc="IPsec connection status changed" '
    'msg="IPsec connection status change" action="tunnel-up" remip=198.51.100.140 locip=203.0.113.66 remport=500 '
    'locport=500 outintf="wan1" cookies="8a41d0c2e97f1b35/5c02e9a7d4b18f60" vpntunnel="to-branch7" '
    'tunnelip=N/A tunnelid=3177245120 tunneltype="ipsec" duration=0 sentbyte=0 rcvdbyte=0 nextstat=0\n'
)


def test_fortigate_phase_2_progress_error_is_a_phase_2_failure_whose_reason_is_not_logged() -> None:
    failed = FGT_P2_ERROR.format(time="09:44:12", status="failure", result="ERROR")
    analysis = analyze_text(failed * 2)
    assert analysis.primary is not None and analysis.primary.category == "phase2_proposal_mismatch"
    assert any("without saying why" in str(r) for r in analysis.primary.reasoning)
    # on a tunnel that was up, the CREATE_CHILD that fails renegotiates its phase 2
    rekey = analyze_text(FGT_TUNNEL_UP + failed).primary
    assert rekey is not None and rekey.category == "rekey_issue"
    assert any("37130" in str(r) for r in rekey.reasoning)
    assert primary_of(FGT_P2_ERROR.format(time="09:44:12", status="success", result="DONE")) is None


# Openswan 2.6 / HEAD, programs/pluto (xelerance/Openswan)
OSW = "Mar 25 18:02:40 ipsec-hq pluto[1876]: "


def test_openswan_gives_up_on_invalid_ke_payload() -> None:
    # ikev2_parent_I2.c: "received notify: %s %s" with "SA deleted" when no other proposal is left to retry
    text = (OSW + '"hq-v2" #12: initiating v2 parent SA\n'
            + OSW + '"hq-v2" #12: received notify: v2N_INVALID_KE_PAYLOAD SA deleted\n'
            + OSW + '"hq-v2" #12: deleting state #12 (STATE_PARENT_I1)\n')
    assert primary_of(text) == "phase1_proposal_mismatch"
    assert primary_of(OSW + '"hq-v2" #12: received notify: v2N_INVALID_KE_PAYLOAD will retry\n') is None


def test_openswan_quick_mode_answer_without_ke_is_a_pfs_mismatch() -> None:
    # ikev1_quick.c accept_PFS_KE(..., "Quick Mode R1"): "missing KE payload in %s message"
    text = (OSW + '"branch-ny" #6: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP {using isakmp#5 msgid:5c2a9e01 '
            'proposal=3DES(3)_192-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}\n'
            + OSW + '"branch-ny" #6: missing KE payload in Quick Mode R1 message\n')
    assert primary_of(text) == "phase2_proposal_mismatch"


def test_a_pending_negotiation_that_took_too_long() -> None:
    # Openswan initiate.c / libreswan 3.x initiate.c / libreswan 4.x+ pending.c (pending_check_timeout: three DPD
    # timeouts without the pending IPsec SA set up)
    rekey = (OSW + '"dc1-to-dc2" #76: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+SAREFTRACK to replace #72 '
             '{using isakmp#74 msgid:88c1d0e4 proposal=AES(12)_128-SHA1(2)_160 pfsgroup=OAKLEY_GROUP_MODP1024}\n'
             + OSW + 'pending Quick Mode with 203.0.113.5 "dc1-to-dc2" took too long -- replacing phase 1\n'
             + OSW + '"dc1-to-dc2" #78: initiating Main Mode to replace #74\n')
    assert primary_of(rekey) == "rekey_issue"
    for line in ('pending IPsec SA negotiation with 203.0.113.5 "dc1-to-dc2"[1] took too long -- replacing phase 1',
                 '"dc1-to-dc2": ISAKMP SA negotiating with 203.0.113.5 took too long -- replacing'):
        assert primary_of(OSW + line + "\n") == "peer_unreachable"


def bgp_facts(text: str) -> dict[str, str]:
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "bgp_down"
    return primary.facts


def test_gobgp_json_log_with_its_fields_in_alphabetical_order() -> None:
    # osrg/gobgp pkg/server/fsm.go "failed to connect" with the Error field; Go's JSON escapes ">" as \u003e
    line = ('{"Error":"dial tcp 0.0.0.0:0-\\u003e10.0.12.1:179: connect: connection refused","Key":"10.0.12.1",'
            '"Topic":"Peer","level":"debug","msg":"failed to connect","time":"2025-08-02T09:00:14Z"}\n')
    facts = bgp_facts(line * 2)
    assert facts["peer"] == "10.0.12.1" and facts["bgp_reason"] == "connection_refused"


OBGPD = "Feb 17 22:00:00 rs1 bgpd[51277]: neighbor 10.50.0.9 (k8s-node-9): "


def test_openbgpd_socket_errors_say_why_the_connection_did_not_open() -> None:
    # openbgpd 9.0 session.c: log_peer_warn(..., "socket error") appends strerror
    assert bgp_facts(OBGPD + "socket error: Connection refused\n")["bgp_reason"] == "connection_refused"
    facts = bgp_facts(OBGPD + "state change Idle -> Connect, reason: Start\n" + OBGPD
                      + "socket error: Operation timed out\n" + OBGPD
                      + "state change Connect -> Active, reason: Connection open failed\n")
    assert facts["bgp_reason"] == "connect_failed"


def test_openbgpd_shutdown_communication_keeps_the_subcode() -> None:
    # openbgpd 9.0 logmsg.c log_notification: '%s: %s notification: %s, %s: reason "%s"' (RFC 8203)
    facts = bgp_facts(OBGPD + 'received notification: Cease, administratively down: reason "node drain for kernel '
                      'upgrade"\n' + OBGPD + "state change Established -> Idle, reason: NOTIFICATION received\n")
    assert facts["bgp_reason"] == "admin_shutdown" and facts["bgp_notification"] == "6/2"


def test_metallb_neighbor_closing_before_its_open() -> None:
    # metallb internal/bgp/native/native.go: sendOpen, then readOpen -> 'read OPEN from %q: %s'
    line = ('{"caller":"native.go:109","error":"read OPEN from \\"192.168.10.254:179\\": EOF","level":"error",'
            '"localASN":64512,"msg":"failed to connect to peer","op":"connect","peer":"192.168.10.254:179",'
            '"peerASN":64512,"ts":"2025-03-13T07:31:11Z"}\n')
    assert bgp_facts(line)["bgp_reason"] == "peer_closed_after_open"


def test_a_neighbor_that_deconfigured_this_side_is_a_configuration_change() -> None:
    # RFC 4486 Cease subcode 3; FRR sends it to every peer when bgpd stops (bgpd.c bgp_terminate, frr-8.4.7).
    # Formats: FRR 8.4 %NOTIFICATION / %ADJCHANGE (bgp_debug.c, bgp_fsm.c).
    frr = "Mar 16 04:00:{s} rr1-par bgpd[2210]: "
    down = (frr.format(s="01") + "[HZN6M-XRM1G] %NOTIFICATION: received from neighbor 203.0.113.10 6/3 "
            "(Cease/Peer De-configured) 0 bytes\n"
            + frr.format(s="01") + "[PXVXG-TFNNT] %ADJCHANGE: neighbor 203.0.113.10(edge-ams2) in vrf default Down BGP "
            "Notification received\n")
    assert bgp_facts(down)["bgp_reason"] == "config_change"
    # back 15 seconds later: a restart on the neighbor's side, nothing to fix
    up = frr.format(s="16") + "[N9HHH-F8H1M] %ADJCHANGE: neighbor 203.0.113.10(edge-ams2) in vrf default Up\n"
    assert primary_of(down + up) is None


# PAN-OS system log reference (informational and low severity system log messages), syslog CSV as the firewall
# forwards it
PAN = ('<14>Mar 12 11:44:07 pa-3220-edge01 1,2025/03/12 11:44:07,013201008123,SYSTEM,{subtype},0,2025/03/12 11:44:07,,'
       '{eid},{obj},0,0,general,{severity},"{desc}",7261883003,0x8000000000000000,0,0,0,0,,pa-3220-edge01\n')


@pytest.mark.parametrize(
    ("eid", "desc", "category"),
    [
        ("ike-nego-p2-proxy-id-bad", "IKE phase-2 negotiation failed when processing proxy ID.",
         "traffic_selector_mismatch"),
        ("ike-nego-p2-proposal-bad", "IKE phase-2 negotiation failed when processing SA payload.",
         "phase2_proposal_mismatch"),
        ("ike-recv-p1-delete", "IKE protocol phase-1 SA delete message received from peer.", "ike_sa_deleted_by_peer"),
        ("ikev2-recv-p1-delete", "IKEv2 IKE SA delete message received from peer.", "ike_sa_deleted_by_peer"),
        ("ike-nego-p2-no-p1", "IKE phase-2 negotiation request received but no phase-1 SA is found.", "rekey_issue"),
        ("ikev2-nego-stale-p2", "Deleting a possible stale IKEv2 child SA.", "rekey_issue"),
        ("ike-nego-p2-dup-rekey", "duplicate phase-2 rekey request detected", "rekey_issue"),
        ("ike-nego-p1-succ", "IKE phase-1 negotiation is succeeded", None),
    ],
)
def test_pan_os_vpn_system_log_event_ids(eid: str, desc: str, category: str | None) -> None:
    line = PAN.format(subtype="vpn", eid=eid, obj="ike-gw-branch12", severity="informational", desc=desc)
    assert primary_of(line * 2) == category


def test_pan_os_routing_system_log_bgp_peer() -> None:
    failed = PAN.format(subtype="routing", eid="routed-BGP-peer-failed", obj="default", severity="low",
                        desc="BGP peer session has failed and may restart.")
    analysis = analyze_text(failed * 2)
    assert analysis.format == "paloalto"
    assert analysis.primary is not None and analysis.primary.category == "bgp_down"
    up = PAN.format(subtype="routing", eid="routed-BGP-peer-enter-established", obj="default", severity="informational",
                    desc="BGP peer session enters established state. peer name: aws-tunnel-1, peer IP: 169.254.21.1.")
    assert primary_of(up) is None


def test_junos_kernel_md5_digest_from_a_neighbor_without_a_key_here() -> None:
    # the Junos kernel's TCP-MD5 check (tcp_auth_ok), a line quoted in a public Junos event script's README
    line = "Mar  9 18:48:53  vrr2 kernel: tcp_auth_ok: Packet from 212.23.38.1:60042 unexpectedly has MD5 digest\n"
    assert bgp_facts(line)["bgp_reason"] == "tcp_auth"


def test_aws_phase_2_failure_line_gives_way_to_the_refusal_before_it() -> None:
    # https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html: both lines are AWS tunnel log messages
    aws = ('{{"event_timestamp":1763496672618,"timestamp":"2025-11-18 20:11:12.618Z","details":"{details}",'
           '"dpd_enabled":true,"nat_t_detected":false,"ike_phase1_state":"established","ike_phase2_state":"down"}}\n')
    failed = aws.format(details="AWS tunnel Phase 2 was unable to establish while keeping Phase 1")
    refused = aws.format(details="AWS: Traffic Selector: TS_UNACCEPTABLE: received from responder")
    assert primary_of(refused + failed) == "traffic_selector_mismatch"
    assert primary_of(failed) == "phase2_proposal_mismatch"


def test_charon_cannot_decrypt_the_peer_right_after_an_ike_sa_rekey() -> None:
    # strongSwan 6.0 src/libcharon: ike_rekey.c "IKE_SA %s[%u] rekeyed between", encrypted_payload.c "verifying
    # encrypted payload integrity failed", message.c "could not decrypt payloads", task_manager_v2.c "integrity check
    # failed" / "%N request with message ID %u processing failed"
    c = "Aug  3 18:50:{s} east charon: {t}"
    text = "".join(c.format(s=s, t=t) + "\n" for s, t in [
        ("12", "14[IKE] IKE_SA gw[2] rekeyed between 192.0.2.23[east]...198.51.100.45[west]"),
        ("12", "15[IKE] received DELETE for IKE_SA gw[1]"),
        ("12", "15[IKE] IKE_SA deleted"),
    ] + [(s, t) for s in ("13", "15", "19") for t in (
        "16[NET] received packet: from 198.51.100.45[500] to 192.0.2.23[500] (1456 bytes)",
        "16[ENC] verifying encrypted payload integrity failed",
        "16[ENC] could not decrypt payloads",
        "16[IKE] integrity check failed",
        "16[IKE] CREATE_CHILD_SA request with message ID 0 processing failed")])
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert any("derived different keys" in line for line in primary.reasoning_in("en"))


# strongSwan 5.9.14 src/libcharon/sa/ikev2: task_manager_v2.c, tasks/ike_auth.c, tasks/ike_init.c
CH = "Mar  5 09:14:{s} gw-a charon: {t}\n"


def test_charon_answering_the_same_ike_auth_again_and_again() -> None:
    # "received retransmit of request with ID %u, retransmitting response": the peer does not get the answer
    up = [("02", "07[ENC] parsed IKE_AUTH request 1 [ IDi CERT N(INIT_CONTACT) IDr AUTH SA TSi TSr ]"),
          ("02", "07[IKE] IKE_SA branches[79] established between 192.0.2.10[gw-a]...198.51.100.20[branch20]"),
          ("02", "07[ENC] generating IKE_AUTH response 1 [ IDr CERT AUTH SA TSi TSr ]"),
          ("02", "07[NET] sending packet: from 192.0.2.10[4500] to 198.51.100.20[4500] (1804 bytes)")]
    again = [(s, t) for s in ("06", "13", "26") for t in (
        "11[NET] received packet: from 198.51.100.20[4500] to 192.0.2.10[4500] (1612 bytes)",
        "11[IKE] received retransmit of request with ID 1, retransmitting response",
        "11[NET] sending packet: from 192.0.2.10[4500] to 198.51.100.20[4500] (1804 bytes)")]
    primary = analyze_text("".join(CH.format(s=s, t=t) for s, t in up + again)).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.facts.get("exchange") == "IKE_AUTH"
    # once is a lost packet; a liveness check's repeat is no exchange that sets anything up
    assert analyze_text("".join(CH.format(s=s, t=t) for s, t in up + again[:3])).primary is None
    dpd = [("40", "07[ENC] parsed INFORMATIONAL request 2 [ ]")] + [
        (s, "11[IKE] received retransmit of request with ID 2, retransmitting response") for s in ("41", "45", "52")]
    assert analyze_text("".join(CH.format(s=s, t=t) for s, t in up + dpd)).primary is None


def test_charon_trying_another_config_is_no_failure() -> None:
    switched = [
        ("02", "07[CFG] selected peer config 'branches-psk'"),
        ("02", "07[CFG] selected peer config 'branches-psk' unacceptable: non-matching authentication done"),
        ("02", "07[CFG] switching to peer config 'branches-cert'"),
        ("02", "07[IKE] IKE_SA branches-cert[160] established between 192.0.2.10[gw-a]...198.51.100.41[branch41]")]
    assert analyze_text("".join(CH.format(s=s, t=t) for s, t in switched)).primary is None
    none_left = [("02", "07[CFG] selected peer config 'branches-psk' unacceptable: non-matching authentication done"),
                 ("02", "07[CFG] no alternative config found")]
    assert primary_of("".join(CH.format(s=s, t=t) for s, t in none_left)) == "auth_failure"
    alternative = [
        ("02", "07[CFG] <42> received proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"),
        ("02", "07[CFG] <42> configured proposals: IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/MODP_2048"),
        ("02", "07[IKE] <42> no matching proposal found, trying alternative config"),
        ("02", "07[CFG] <42> selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048")]
    assert analyze_text("".join(CH.format(s=s, t=t) for s, t in alternative)).primary is None


def test_pluto_5_responder_fatal_error_processing_ike_auth() -> None:
    # libreswan 5.3.2 ikev2.c: "encountered fatal error in state %s"; ikev2_ike_auth.c drops the peer-ID message
    lsw = 'Aug 02 10:20:30 dcgw1 pluto[1207]: "branch-dc" #6: '
    text = (lsw + "processing decrypted IKE_AUTH request from 203.0.113.10:UDP/500 containing "
            "SK{IDi,N(INITIAL_CONTACT),IDr,AUTH,SA,TSi,TSr}\n" + lsw + "encountered fatal error in state IKE_SA_INIT_R\n")
    primary = analyze_text(text).primary
    assert primary is not None and (primary.category, primary.certainty) == ("auth_failure", "guess")


def test_fortigate_tunnel_list_with_dpd_failing() -> None:
    # Fortinet KB 416613 ("diagnose vpn tunnel list", FortiOS 7.4.4+): DPD fails, the tunnel's route goes inactive
    listing = ("name=IPSec ver=2 serial=1 10.56.6.245:4500->10.10.88.246:4500 nexthop=10.56.6.241 tun_id=10.0.0.1 "
               "status=up dst_mtu=1500 weight=1\n"
               "stat: rxp=1198 txp=0 rxb=100632 txb=0\n"
               "dpd: mode=on-idle on=1 status=fail idle=10000ms\n")
    analysis = analyze_text(listing)
    assert analysis.format == "fortigate"
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"
    # Fortinet KB 267783: DPD off, nothing failing
    assert primary_of(listing.replace("dpd: mode=on-idle on=1 status=fail idle=10000ms",
                                      "dpd: mode=off on=0 idle=20000ms retry=3 count=0 seqno=0")) is None


def test_pan_os_sas_out_of_step_say_what_to_compare() -> None:
    line = PAN.format(subtype="vpn", eid="ike-nego-p2-no-p1", obj="branch12-vpn", severity="informational",
                      desc="IKE phase-2 negotiation request received but no phase-1 SA is found.")
    primary = analyze_text(line * 3).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert any("lifetimes of both sides" in r for r in primary.reasoning_in("en"))
