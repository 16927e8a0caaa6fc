"""Readings added from systematic sweeps of message catalogues: the Cisco ASA syslog messages guide, libreswan's
and Openswan's log strings across releases, racoon-derived IKEv1 daemons, and vendor lines whose notify or phase
was lost. Each line is written in the message format its catalogue documents (URL beside it) with documentation
addresses (RFC 5737), or quoted from the public page named beside it.
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# https://www.cisco.com/c/en/us/td/docs/security/asa/syslog/asa-syslog/syslog-messages-701001-to-714011.html
# https://www.cisco.com/c/en/us/td/docs/security/asa/syslog/asa-syslog/syslog-messages-715001-to-721019.html
# https://www.cisco.com/c/en/us/td/docs/security/asa/syslog/asa-syslog/syslog-messages-722001-to-776254.html
ASA = "Jun 10 2023 17:36:13: "


@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("%ASA-3-713061: Group = 203.0.113.10, IP = 203.0.113.10, Tunnel rejected: Crypto Map Policy not found "
         "for Src:10.1.0.0, Dst: 172.16.0.0!", "traffic_selector_mismatch"),
        ("%ASA-3-751022: Local:198.51.100.1:500 Remote:203.0.113.10:500 Username:203.0.113.10 IKEv2 Tunnel rejected: "
         "Crypto Map Policy not found for remote traffic selector 10.1.0.0/10.1.255.255/0/0/0 local traffic selector "
         "172.16.0.0/172.16.255.255/0/0/0!", "traffic_selector_mismatch"),
        ("%ASA-3-713138: IP = 203.0.113.10, Group 203.0.113.10 not found and BASE GROUP default preshared key not "
         "configured", "auth_failure"),
        ("%ASA-3-751004: Local:198.51.100.1:500 Remote:203.0.113.10:500 Username:Unknown IKEv2 No remote "
         "authentication method configured for peer in tunnel group 203.0.113.10", "auth_failure"),
        ("%ASA-3-751008: Local:198.51.100.1:500 Remote:203.0.113.10:500 Username:Unknown IKEv2 Group=203.0.113.10, "
         "Tunnel rejected: IKEv2 not enabled in group policy", "ike_version_mismatch"),
        ("%ASA-3-715052: Group = 203.0.113.10, IP = 203.0.113.10, Old P1 SA is being deleted but new SA is DEAD, "
         "cannot transition centries", "rekey_issue"),
    ],
)
def test_asa_guide_messages(line: str, category: str) -> None:
    assert primary_of(ASA + line + "\n") == category


def test_asa_dropping_bgp_to_itself_is_a_session_that_cannot_come_up() -> None:
    # 710003 / 710005 (syslog-messages-701001-to-714011): a TCP packet to the firewall's own port 179 dropped
    for line in ("%ASA-3-710003: TCP access denied by ACL from 203.0.113.10/44321 to outside:198.51.100.1/179",
                 "%ASA-7-710005: TCP request discarded from 203.0.113.10/44321 to outside:198.51.100.1/179"):
        primary = analyze_text(ASA + line + "\n").primary
        assert primary is not None and primary.category == "bgp_down"
        assert primary.facts.get("peer") == "203.0.113.10" and primary.facts.get("bgp_reason") == "connect_failed"
    assert primary_of(ASA + "%ASA-7-710005: TCP request discarded from 203.0.113.10/44321 to outside:198.51.100.1/443\n"
                      ) is None


def test_asa_crypto_map_refusal_names_the_networks() -> None:
    line = ("%ASA-3-713061: Group = 203.0.113.10, IP = 203.0.113.10, Tunnel rejected: Crypto Map Policy not found "
            "for Src:10.1.0.0, Dst: 172.16.0.0!\n")
    primary = analyze_text(ASA + line).primary
    assert primary is not None
    assert "10.1.0.0" in str(primary.facts)


def test_asa_fallback_to_the_default_group_is_only_a_hint() -> None:
    # 713139 alone is weak: a later, firmer reason wins.
    text = (ASA + "%ASA-4-713139: IP = 203.0.113.10, 203.0.113.10 not found, using BASE GROUP default preshared key\n"
            + ASA + "%ASA-5-713257: Phase 1 failure:  Mismatched attribute types for class Group Description:  "
            "Rcv'd: Group 2  Cfg'd: Group 14\n")
    assert primary_of(text) == "phase1_proposal_mismatch"


# Cisco IOS "debug crypto ikev2 packet" printed on one line (a web page joins "Payload contents:" and its NOTIFY);
# https://www.cisco.com/c/en/us/support/docs/security/ios-easy-vpn/117258-config-l2l-00.html
IOS_PACKET = ("IKEv2:(SESSION ID = 1,SA ID = 1):Received Packet [From 203.0.113.10:500/To 198.51.100.1:500/VRF i0:f0] "
              "Initiator SPI : 1A2B3C4D5E6F7081 - Responder SPI : {rspi} Message id: {mid} IKEv2 {ex} Exchange "
              "RESPONSE Payload contents: NOTIFY(NO_PROPOSAL_CHOSEN)\n")


def test_ios_one_line_packet_dump_names_its_notify_and_exchange() -> None:
    assert primary_of(IOS_PACKET.format(rspi="0000000000000000", mid=0, ex="IKE_SA_INIT")) == "phase1_proposal_mismatch"
    assert primary_of(IOS_PACKET.format(rspi="1122334455667788", mid=2, ex="CREATE_CHILD_SA")) == (
        "phase2_proposal_mismatch")


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        # IOS-XE "debug crypto ikev2" errors, and the lines of an SA not yet bound to a session (IOS-XE 16 debugs)
        ("*Apr 21 16:02:43.319: IKEv2-ERROR:(SESSION ID = 71,SA ID = 1):: Auth exchange failed", "cisco-ios"),
        ("*Mar  1 00:01:10.515: IKEv2:(SA ID = 1):Failed to find a matching policy", "cisco-ios"),
        # the ASA's "debug crypto ikev2 protocol" (https://www.cisco.com/c/en/us/support/docs/security/
        # asa-5500-x-series-next-generation-firewalls/118652-configure-asa-00.html)
        ("IKEv2-PROTO-2: (36): Received Packet [From 203.0.113.10:500/To 198.51.100.1:500/VRF i0:f0] Initiator SPI : "
         "1A2B3C4D5E6F7081 - Responder SPI : 8A2B3C4D5E6F7081 Message id: 1 IKEv2 IKE_AUTH Exchange RESPONSE Payload "
         "contents: VID IDr AUTH SA TSi TSr NOTIFY(TS_UNACCEPTABLE)", "cisco-asa"),
        # the ASA's "debug crypto ikev1" (Cisco TAC's "General IPsec troubleshooting" deck 123399, as quoted at
        # https://studylib.net/doc/9552345/123399-general-ipsec-troubleshooting)
        ("[IKEv1 DEBUG]IP = 172.18.254.89, All SA proposals found unacceptable", "cisco-asa"),
        ("[IKEv1 DEBUG]IP = 172.18.254.89, IKE SA Proposal # 1, Transform # 1 acceptable Matches global IKE entry # 5",
         "cisco-asa"),
        # IOS BGP session messages (https://networkengineering.stackexchange.com/questions/40678)
        ("Apr 25 10:30:09.899: %BGP_SESSION-5-ADJCHANGE: neighbor 169.254.10.1 IPv4 Unicast topology base removed "
         "from session  BGP Notification sent", "cisco-ios"),
    ],
)
def test_cisco_debug_and_session_lines_are_recognised(line: str, fmt: str) -> None:
    assert analyze_text(line + "\n").format == fmt


def test_ios_reserved_not_zero_is_a_weak_key_mismatch() -> None:
    # Cisco's debug guide (5409): "reserved not zero on payload 5 ... the ISAKMP keys do not match"
    line = "*Mar  1 00:01:10.515: ISAKMP: reserved not zero on ID payload!\n"
    primary = analyze_text(line).primary
    assert primary is not None and primary.category == "auth_failure"
    # a firmer reading wins over it
    text = line + "*Mar  1 00:01:10.519: ISAKMP:(0): phase 1 SA policy not acceptable! (local 198.51.100.1 remote 203.0.113.10)\n"
    assert primary_of(text) == "phase1_proposal_mismatch"


# IOS debug crypto isakmp wording and the IKMP_NO_PRESHARED_KEY syslog message as quoted on
# https://exampost.net/which-of-the-following-commands-should-you-issue-when-troubleshooting-basic-ike-peering-to-determine-whether-psks-are-present-and-matching-on-both-peers-select-the-best-answer/
def test_ios_missing_preshared_key() -> None:
    assert primary_of("*Oct 25 18:50:01.497: ISAKMP-ERROR: (0):No pre-shared key with 198.51.100.7!\n") == (
        "auth_failure")
    assert primary_of("1d00h: %CRYPTO-4-IKMP_NO_PRESHARED_KEY: Preshared key for remote peer at 203.0.113.10 is "
                      "missing\n") == "auth_failure"


# The gateway's identity by address (the peer's packets arrive, so it is not an unreachable peer), and RouterOS's
# identity lookups.
# https://docs.paloaltonetworks.com/pan-os/10-1/pan-os-admin/vpns/set-up-site-to-site-vpn/interpret-vpn-error-messages
# https://community.fortinet.com/t5/FortiGate/Troubleshooting-Tip-IPsec-VPNs-tunnels/ta-p/195955
@pytest.mark.parametrize(
    "line",
    [
        "IKE phase-1 negotiation is failed. Couldn't find configuration for IKE phase-1 request for peer IP "
        "203.0.113.10[500].",
        "ike 0: IKEv1 exchange=Identity Protection id=1a2b3c4d5e6f7081/0000000000000000 len=524 no matching gateway "
        "for new request",
        # RouterOS identity lookups, as public troubleshooting notes quote them (addresses replaced with RFC 5737 ones)
        "10:00:01 ipsec,error identity not found for responder: ADDR4:198.51.100.1 peer: ADDR4:203.0.113.10",
        "10:00:01 ipsec,error initiator can't find identity for peer: aws-tun1",
    ],
)
def test_no_gateway_for_the_peer_address_is_an_identity_problem(line: str) -> None:
    assert primary_of(line + "\n") == "auth_failure"


def test_pan_os_non_rekey_is_no_rekey_and_the_line_names_the_phase() -> None:
    line = ("IKEv2 child SA negotiation is failed as initiator, non-rekey. Failed SA: 198.51.100.1[500]-"
            "203.0.113.10[500] message id:0x00000002. received notify type NO_PROPOSAL_CHOSEN\n")
    assert primary_of(line) == "phase2_proposal_mismatch"


def test_a_line_that_names_its_phase_in_words_places_a_refusal() -> None:
    # Check Point's wording names the exchange in words; no pattern captured it.
    assert primary_of("Create Child SA Exchange Received notification from peer: No proposal chosen\n") == (
        "phase2_proposal_mismatch")
    assert primary_of("IKE: Main Mode Received Notification from Peer: no proposal chosen\n") == (
        "phase1_proposal_mismatch")


# libreswan's log strings (programs/pluto/state.c, ikev2_parent.c of v3.25-v4.x; timer.c)
def test_pluto_rekey_that_cannot_proceed() -> None:
    for line in (
        '"aws-vpn-1" #7: no new CREATE_CHILD_SA exchange using #1. Parent lifetime 60s < st_margin 540s',
        '"aws-vpn-1" #9: expiring STATE_V2_REKEY_CHILD_I state. Possible Message Id deadlock?  Parent #1 '
        "unacknowledged 1 next Message Id=5 IKE exchange window 1",
    ):
        assert primary_of(line + "\n") == "rekey_issue", line


def test_pluto_3x_ike_rekey_refused_is_a_rekey_problem() -> None:
    text = ('"aws" #1: initiate rekey of IKEv2 CREATE_CHILD_SA IKE Rekey\n'
            '"aws" #5: dropping unexpected CREATE_CHILD_SA message containing NO_PROPOSAL_CHOSEN notification; '
            "message payloads: SK; encrypted payloads: N; missing payloads: SA,Ni,KE\n")
    assert primary_of(text) == "rekey_issue"
    # the same refusal with no rekey before it is a phase 2 refusal
    assert primary_of(text.split("\n", 1)[1]) == "phase2_proposal_mismatch"


def test_pluto_status_listings_say_an_sa_is_up() -> None:
    listing = ('#2: "westnet-eastnet-ikev2":500 ESTABLISHED_CHILD_SA (established Child SA); REKEY in 27894s; '
               "REPLACE in 28774s; newest; eroute owner; IKE SA #1; idle;\n"
               "#3: \"east\"[1] 192.0.2.254, type=ESP, add_time=1234567890, inBytes=84, outBytes=84, "
               "maxBytes=2^63B, id='@road', lease=192.0.2.100/32\n")
    analysis = analyze_text(listing)
    assert analysis.primary is None
    assert analysis.signals.get("established") == 2


def test_dpd_support_is_no_dpd_failure() -> None:
    assert primary_of('"aws-vpn-1" #1: DPD: Peer supports Dead Peer Detection\n') is None


# racoon's message, as RouterOS prints it: https://help.mikrotik.com/docs/display/ROS/IPsec
def test_racoon_preprocess_failure_follows_its_phase() -> None:
    text = ("17:12:32 ipsec,error no suitable proposal found.\n"
            "17:12:32 ipsec,error 192.0.2.112 failed to get valid proposal.\n"
            "17:12:32 ipsec,error 192.0.2.112 failed to pre-process ph1 packet (side: 1, status 1).\n"
            "17:12:32 ipsec,error 192.0.2.112 phase1 negotiation failed.\n")
    assert primary_of(text) == "phase1_proposal_mismatch"
    assert primary_of("ipsec,error 192.0.2.15 failed to pre-process ph2 packet (side: 1, status: 1).\n") == (
        "phase2_proposal_mismatch")


def test_gobgp_json_notification() -> None:
    line = ('{"Code":2,"Data":"/ek=","Key":"169.254.21.1","Subcode":2,"Topic":"Peer","level":"warning",'
            '"msg":"received notification","time":"2023-05-01T10:00:01Z"}\n')
    assert primary_of(line) == "bgp_down"


# Packets this side could not get to the peer, as the daemon reports them:
# - pluto's report of an ICMP error for a packet it sent (programs/pluto/iface_udp.c); the first line is quoted from a
#   2011 forum post about an L2TP/IPsec guide, the second is the same message with EMSGSIZE;
# - charon's socket errors (src/libcharon/plugins/socket_default/socket_default_socket.c);
# - FortiOS, as a public troubleshooting write-up quotes it (addresses replaced with RFC 5737 ones there masked).
@pytest.mark.parametrize(
    ("line", "category"),
    [
        ("Jul 13 16:51:24 ubuntu-server pluto[11098]: ERROR: asynchronous network error report on br0 (sport=4500) "
         "for message to 192.168.1.1 port 4500, complainant 192.168.1.1: Connection refused [errno 111, origin ICMP "
         "type 3 code 3 (not authenticated)]", "peer_unreachable"),
        ("pluto[2211]: ERROR: asynchronous network error report on eth0 (sport=4500) for message to 203.0.113.10 "
         "port 4500, complainant 198.51.100.9: Message too long [errno 90, origin ICMP type 3 code 4 "
         "(not authenticated)]", "nat_t_or_fragmentation"),
        ("Jan 10 03:12:01 gw charon: 07[NET] error writing to socket: Network is unreachable", "peer_unreachable"),
        ("Jan 10 03:12:01 gw charon: 07[NET] error writing to socket: Message too long", "nat_t_or_fragmentation"),
        ("2015-09-08 18:29:41 ike 0:mandhana:79: could not send IKE Packet(ISAKMP SA DELETE-NOTIFY):"
         "198.51.100.1:500->203.0.113.10:500, len=92: error 101:Network is unreachable", "peer_unreachable"),
    ],
)
def test_packets_that_could_not_reach_the_peer(line: str, category: str) -> None:
    assert primary_of(line + "\n") == category


# debug crypto isakmp output as Cisco's "IPsec Negotiation/IKE Protocols" debug guide shows it
# (https://www.cisco.com/c/en/us/support/docs/security-vpn/ipsec-negotiation-ike-protocols/5409-ipsec-debug-00.html):
# the router checks the offer against each local ISAKMP policy / transform set in turn.
IOS_POLICY_SEARCH = [
    "*Nov 30 10:01:02.100: ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy",
    "*Nov 30 10:01:02.100: ISAKMP:      encryption AES-CBC",
    "*Nov 30 10:01:02.100: ISAKMP:(0):Encryption algorithm offered does not match policy!",
    "*Nov 30 10:01:02.100: ISAKMP:(0):atts are not acceptable. Next payload is 3",
    "*Nov 30 10:01:02.101: ISAKMP:(0):Checking ISAKMP transform 1 against priority 20 policy",
    "*Nov 30 10:01:02.101: ISAKMP:(0):atts are acceptable. Next payload is 3",
    "*Nov 30 10:01:02.300: ISAKMP:(1001):Old State = IKE_I_MM6  New State = IKE_P1_COMPLETE",
    "*Nov 30 10:01:02.310: ISAKMP:(1001):Checking IPSec proposal 1",
    "*Nov 30 10:01:02.310: ISAKMP:(1001):IPSec policy invalidated proposal with error 256",
    "*Nov 30 10:01:02.311: ISAKMP:(1001):Checking IPSec proposal 2",
    "*Nov 30 10:01:02.311: ISAKMP:(1001):atts are acceptable.",
    "*Nov 30 10:01:02.400: %CRYPTO-5-SESSION_STATUS: Crypto tunnel is UP  .  Peer 198.51.100.2:500       Id: "
    "198.51.100.2",
]


def test_ios_policy_search_that_ends_in_a_match_is_no_refusal() -> None:
    assert primary_of("\n".join(IOS_POLICY_SEARCH) + "\n") is None
    # without the match, the same lines are the refusal of phase 1
    assert primary_of("\n".join(IOS_POLICY_SEARCH[:4]) + "\n") == "phase1_proposal_mismatch"
    # phase 1 matched, then no transform set did: phase 2
    quick = IOS_POLICY_SEARCH[:10] + ["*Nov 30 10:01:02.312: ISAKMP:(1001): phase 2 SA policy not acceptable! "
                                      "(local 203.0.113.1 remote 198.51.100.2)"]
    assert primary_of("\n".join(quick) + "\n") == "phase2_proposal_mismatch"


# Cisco IOS BGP lines an engineer pastes when the session to the AWS neighbor does not come up: debug ip bgp output
# and TCP MD5 messages as published (networklessons.com, Cisco's MD5 BGP configuration example), and the neighbor
# lines of "show ip bgp summary".
@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["*Aug 16 08:41:54.093: BGP: 169.254.10.1 active went from Idle to Active",
          "*Aug 16 08:41:54.093: BGP: 169.254.10.1 open active, local address 169.254.10.2",
          "*Aug 16 08:41:54.095: BGP: 169.254.10.1 open failed: Connection refused by remote host"],
         "connection_refused"),
        (["*Aug 23 00:52:10.010: BGP: nbr global 169.254.10.1 Active open failed - no route to peer"], "connect_failed"),
        (["*Oct 22 17:37:43.987: %TCP-6-BADAUTH: Invalid MD5 digest from 169.254.10.1(39656) to 169.254.10.2(179) "
          "tableid - 0"], "tcp_auth"),
        (["Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
          "169.254.10.1    4        64512       0       0        1    0    0 never    Active"], "connect_failed"),
        (["169.254.10.1    4        64512       0       0        1    0    0 never    Idle (Admin)"], "admin_shutdown"),
        (["*Aug 23 00:47:13.104: BGP: 169.254.10.1 active went from Established to Idle"], None),
    ],
)
def test_ios_bgp_session_that_does_not_come_up(lines: list[str], reason: str | None) -> None:
    primary = analyze_text("\n".join(lines) + "\n").primary
    assert primary is not None and primary.category == "bgp_down"
    if reason:
        assert primary.facts.get("bgp_reason") == reason


def test_a_summary_with_the_neighbor_established_is_no_bgp_failure() -> None:
    summary = [
        "Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd",
        "169.254.10.1    4        64512    2045    2051       42    0    0 1d02h          2",
    ]
    assert analyze_text("\n".join(summary) + "\n").primary is None


def test_pan_os_rekey_that_times_out_is_a_rekey_problem() -> None:
    # PAN-OS system log: the firewall names the exchange "rekey" or "non-rekey"; a first negotiation that times out
    # stays a reachability problem. A non-rekey child SA exchange with message ID 7 is no first negotiation: six
    # exchanges were answered before on the IKE SA (RFC 7296 section 2.2), the peer stopped answering.
    line = ("IKEv2 child SA negotiation is failed as initiator, {kind}. Failed SA: 198.51.100.1[500]-203.0.113.10[500] "
            "message id:0x00000007. due to timeout.\n")
    assert primary_of(line.format(kind="rekey")) == "rekey_issue"
    assert primary_of(line.format(kind="non-rekey")) == "dpd_timeout"
    first = ("IKEv2 IKE SA negotiation is failed as initiator, non-rekey. Failed SA: 198.51.100.1[500]-203.0.113.10[500] "
             "SPI:1a2b3c4d5e6f7081:0000000000000000. due to timeout.\n")
    assert primary_of(first) == "peer_unreachable"


def test_show_ip_bgp_neighbors_reads_the_state_and_keeps_an_old_reset_as_history() -> None:
    # the listing of a session that is down names why it last went down
    down = ["BGP neighbor is 169.254.10.1,  remote AS 64512, external link",
            "  BGP state = Active",
            "  Last reset 00:00:36, due to BGP Notification sent, hold time expired"]
    primary = analyze_text("\n".join(down) + "\n").primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts.get("bgp_reason") == "hold_timer_expired"
    # the same reset in the listing of a session that is established now is no fault
    up = [down[0], "  BGP state = Established, up for 1d02h", down[2].replace("00:00:36", "1d02h")]
    assert analyze_text("\n".join(up) + "\n").primary is None


def test_junos_bgp_summary_peer_that_is_not_established() -> None:
    lines = [
        "Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...",
        "169.254.10.1          64512          0          0       0       0       5:18 Active",
    ]
    primary = analyze_text("\n".join(lines) + "\n").primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary_of(lines[0] + "\n169.254.10.1          64512        120        118       0       0       5:18 Establ\n") is None


# RouterOS is racoon-derived: with `topics=ipsec,!debug` it names the phase 1 attribute that differs, local value
# first (https://help.mikrotik.com/docs/display/ROS/IPsec, Troubleshooting/FAQ). A rejection with nothing after it
# is the offer refused; one followed by an SA established was only one transform of several.
def test_routeros_rejected_attribute_is_phase_1_unless_an_sa_follows() -> None:
    line = "17:21:08 ipsec rejected hashtype: DB(prop#1:trns#1):Peer(prop#1:trns#1) = MD5:SHA\n"
    result = analyze_text(line)
    assert result.format == "mikrotik"
    assert result.primary is not None and result.primary.category == "phase1_proposal_mismatch"
    racoon = ("racoon: ERROR: rejected enctype: DB(prop#1:trns#1):Peer(prop#1:trns#1) = AES-CBC:3DES-CBC\n"
              "racoon: INFO: ISAKMP-SA established 203.0.113.5[500]-198.51.100.7[500] "
              "spi:2cd389a89b786de9:870409ed40da6e62\n")
    assert primary_of(racoon) is None


def test_pan_os_peer_id_mismatch_and_junos_policy_lookup_are_identity_problems() -> None:
    # PAN-OS IKEv2 responder (the PAN side of a RouterOS v7 tunnel, forum.mikrotik.com thread 1119654)
    result = analyze_text("received ID_I (type ipaddr [10.222.191.127]) does not match peers id\n")
    assert result.primary is not None and result.primary.category == "auth_failure"
    assert "10.222.191.127" in str(result.primary.facts)
    # the older kmd wording of a phase 1 request no IKE gateway matches
    assert primary_of("(FPC Slot 1, PIC Slot 0) SPC1_PIC0 kmd[1843]: IKE Phase-1: (Responder) Policy lookup "
                      "failed\n") == "auth_failure"


def test_bare_charon_lines_and_ios_sa_in_negotiation_name_their_format() -> None:
    # a paste that kept only charon's messages (no thread number, no [IKE] group)
    result = analyze_text("parsed IKE_AUTH response 1 [ N(TS_UNACCEPT) ]\n")
    assert result.format == "strongswan"
    assert result.primary is not None and result.primary.category == "traffic_selector_mismatch"
    # Cisco bug CSCvd69373's one debug line: a leaked IKE SA rekey blocks every new negotiation (weak)
    result = analyze_text("IKEv2:SA is already in negotiation, hence not negotiating again\n")
    assert result.format == "cisco-ios"
    assert result.primary is not None and result.primary.category == "rekey_issue"


@pytest.mark.parametrize("line", [
    # pluto's state listing (ipsec showstates): a rekey sent and not answered yet, a retransmit scheduled (4.x, 3.x
    # with whack's code, 5.x's wording)
    '#3: "westnet-eastnet-ikev2":500 STATE_V2_REKEY_CHILD_I1 (sent CREATE_CHILD_SA request to rekey IPsec SA); '
    'RETRANSMIT in 8s; REPLACE in 14s; idle;',
    '000 #3: "westnet-eastnet-ikev2":500 STATE_V2_REKEY_CHILD_I (sent CREATE_CHILD_SA request to rekey IPsec SA); '
    'EVENT_RETRANSMIT in 8s; idle;',
    '#4: "west":500 sent CREATE_CHILD_SA request to rekey IKE SA; RETRANSMIT in 1s; REPLACE in 24s; idle;',
])
def test_a_listing_of_a_rekey_waiting_for_its_answer_is_a_weak_rekey_reading(line: str) -> None:
    result = analyze_text(line + "\n")
    assert result.format == "libreswan"
    assert result.primary is not None and result.primary.category == "rekey_issue"
    # an established Child SA of the same connection listed after it (the rekey answered) leaves nothing to fix
    conn = line.split('"')[1]
    up = (f'#5: "{conn}":500 STATE_V2_ESTABLISHED_CHILD_SA (established Child SA); REKEY in 18s; '
          'REPLACE in 28s; IKE SA #1; idle;\n')
    rekeyed = (f'"{conn}" #5: initiator rekeyed Child SA #2 using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] '
               '{ESP/ESN=>0xabcd1235 <0x1234abce}\n')
    assert primary_of(line + "\n" + rekeyed + up) is None
    # another connection's Child SA coming up says nothing about this one's rekey
    other = "west" if conn != "west" else "westnet-eastnet-ikev2"
    assert primary_of(line + "\n" + rekeyed.replace(conn, other) + up.replace(conn, other)) == "rekey_issue"


def test_the_peer_asking_again_for_a_create_child_sa_answered_is_a_rekey_out_of_step() -> None:
    # (pluto 4.10, the responder of pp-v2-child-rekey-response-lost, from its first duplicate on): a CREATE_CHILD_SA
    # request comes over an IKE SA that is up, so an excerpt that starts there needs nothing before it
    line = '"gw" #1: CREATE_CHILD_SA request has duplicate Message ID 2; retransmitting response\n'
    assert primary_of(line * 3) == "rekey_issue"
    assert primary_of(line) is None  # once is a lost packet


# Huawei VRP / USG: the IPsec negotiation-failure log (alarm hwIPSecNegoFail) and the teardown messages name their
# cause in a Reason= / OfflineReason= field, from the list of Huawei's IPSec Fault Cause Reference
# (https://support.huawei.com/enterprise/en/doc/EDOC1100086053); message formats from Huawei's alarm references
# (https://support.huawei.com/enterprise/en/doc/EDOC1100127008/8be225cc/ipsec,
# https://support.huaweicloud.com/intl/en-us/moredocuments-qiankuncs/alarm_detail_278561515_4285734913.html).
HUAWEI_NEGO = ("Dec  2 2026 10:01:02 AR2220 %%01IPSEC/4/IPSECNEGOFAIL(l)[3]:OID 1.3.6.1.4.1.2011.6.122.26.6.14 IPSec "
               "tunnel negotiation fails. (Ifindex=4, SeqNum=10, Reason={reason}, ReasonCode={code}, "
               "PeerAddress=203.0.113.10, PeerPort=500, VsysName=public, InterfaceName=GigabitEthernet0/0/1)\n")
HUAWEI_DOWN = ("Dec  2 2026 10:01:02 USG6330 %%01IPSEC/5/IPSEC_TUNNEL_TEARED_DOWN(l):An IPSec tunnel is teared down. "
               "(PolicyName=map1, IfIndex=6, SeqNum=10, RuleNum=5, SrcIP=198.51.100.1, DstIP=203.0.113.10, "
               "InboundSPI=3421783302, Slot=0, CpuID=0, OfflineReason={reason}, State=Normal)\n")
HUAWEI_STOP = ("IPSEC/4/IPSECTUNNELSTOP:OID 1.3.6.1.4.1.2011.6.122.26.6.2 The IPSec tunnel is deleted. (Ifindex=4, "
               "SeqNum=10, TunnelIndex=1, RuleNum=5, DstIP=203.0.113.10, InsideIP=203.0.113.10, RemotePort=500, CpuID=0, "
               "SrcIP=198.51.100.1, FlowInfo=10.1.1.0-10.2.2.0 0 0, OfflineReason={reason}, VsysName=public, "
               "InterfaceName=GigabitEthernet0/0/1, SlotID=0)\n")


@pytest.mark.parametrize(("reason", "code", "category"), [
    ("phase1 proposal mismatch", 1, "phase1_proposal_mismatch"),
    ("phase1 proposal encryption algorithm mismatch", 1, "phase1_proposal_mismatch"),  # the responder's wording
    ("responder dh mismatch", 6, "phase1_proposal_mismatch"),
    ("phase2 proposal or pfs mismatch", 2, "phase2_proposal_mismatch"),
    ("encapsulation mode mismatch", 3, "ipsec_mode_mismatch"),
    ("flow or peer mismatch", 4, "traffic_selector_mismatch"),
    ("netmask mismatch", 48, "traffic_selector_mismatch"),
    ("version mismatch", 5, "ike_version_mismatch"),
    ("peer address mismatch", 12, "auth_failure"),
    ("config ID mismatch", 13, "auth_failure"),
    ("authentication fail", 15, "auth_failure"),
    ("rekey no find old sa", 16, "rekey_issue"),
    ("rekey fail", 17, "rekey_issue"),
    ("exchange mode mismatch", 32, "ike_mode_mismatch"),
    ("nat detection fail", 40, "nat_t_or_fragmentation"),
    ("fragment packet reassemble timeout", 51, "nat_t_or_fragmentation"),
    ("max transmit reached", 53, "peer_unreachable"),
])
def test_huawei_negotiation_failures_by_reason(reason: str, code: int, category: str) -> None:
    analysis = analyze_text(HUAWEI_NEGO.format(reason=reason, code=code))
    assert analysis.format == "huawei"
    assert analysis.primary is not None and analysis.primary.category == category
    assert analysis.primary.facts.get("peer") == "203.0.113.10"


@pytest.mark.parametrize(("reason", "category"), [
    ("dpd timeout", "dpd_timeout"),
    ("peer request", "ike_sa_deleted_by_peer"),
    ("phase2 hard expiry", None),  # on its own: an idle SA expiring (a failed rekey shows in the lines before it)
    ("receive invalid spi notify", "rekey_issue"),
    ("config modify or manual offline", None),  # an orderly teardown
    ("phase2 sa replace", None),  # a rekey that worked
])
def test_huawei_teardowns_by_reason(reason: str, category: str | None) -> None:
    for template in (HUAWEI_DOWN, HUAWEI_STOP):
        assert primary_of(template.format(reason=reason)) == category


def test_huawei_is_a_format_of_its_own() -> None:
    from lab.analyzer import FORMAT_NAMES, FORMATS

    assert "huawei" in FORMATS and "Huawei" in FORMAT_NAMES["huawei"]
    # the BGP messages of the same devices stay the BGP daemons' format
    assert analyze_text("Apr 10 2016 02:55:56 R1 %%01BGP/3/STATE_CHG_UPDOWN(l):The status of the peer 10.1.1.2 "
                        "changed from ESTABLISHED to IDLE. (InstanceName=Public, StateChangeReason=Hold Timer "
                        "Expired)\n").format == "bgp-generic"


# Tencent Cloud VPN gateway: the negotiation error messages of its VPN Connections documentation
# (https://cloud.tencent.com/document/product/554/79960), with documentation addresses in place of its x.x.x.x.
TENCENT = "IKE_SA_ESTABLISH_FAIL:Failed to establish IKE SA for the reason of {reason}. ike connection: vpnx-4k7q2m1a, " \
          "my ip: 203.0.113.10, peer ip: 198.51.100.20.\n"


@pytest.mark.parametrize(("reason", "category"), [
    ("peer no response", "peer_unreachable"),
    ("no matching secret", "auth_failure"),
    ("no matching proposal, configured [IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024], received "
     "[IKE:3DES_CBC/HMAC_MD5_96/PRF_HMAC_MD5/MODP_768]", "phase1_proposal_mismatch"),
    ("responder no peer config found by ID payload, received[ID_IPV4_ADDR:10.0.0.1]", "auth_failure"),
])
def test_tencent_cloud_gateway_failures(reason: str, category: str) -> None:
    primary = analyze_text(TENCENT.format(reason=reason)).primary
    assert primary is not None and primary.category == category
    assert primary.facts.get("peer", "198.51.100.20") == "198.51.100.20"  # (the sentence's full stop is not in it)


def test_tencent_cloud_gateway_proposals_and_retransmits() -> None:
    primary = analyze_text(TENCENT.format(reason="no matching proposal, configured [IKE:AES_CBC_128/HMAC_SHA1_96/"
                                                 "PRF_HMAC_SHA1/MODP_1024], received [IKE:3DES_CBC/HMAC_MD5_96/"
                                                 "PRF_HMAC_MD5/MODP_768]")).primary
    assert primary is not None
    assert primary.facts["proposals_received"] == ["IKE:3DES_CBC/HMAC_MD5_96/PRF_HMAC_MD5/MODP_768"]
    assert primary.facts["proposals_configured"] == ["IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"]
    # the gateway sent Main Mode's fifth message again, unanswered: its table says the peer does not respond
    assert primary_of("IKE_NEGO: retransmit IKEv1 Main Mode Initiator 5th message 2 times, message ID 0\n") == (
        "peer_unreachable")


# Openswan and libreswan 3.x log a failed IKEv2 state transition as "<state it was in>: <notification>"
# (https://github.com/xelerance/Openswan/blob/86dff2b44667566f5cfbdca9de987aab8ef60b36/programs/pluto/ikev2.c,
# complete_v2_state_transition, STF_FAIL): the state names the exchange whose message failed. PARENT_I1 waits for
# the IKE_SA_INIT answer, PARENT_I2 for the IKE_AUTH answer, PARENT_R1 for the IKE_AUTH request.
@pytest.mark.parametrize(("line", "category"), [
    # libreswan's interop test with racoon2 (the corpus's libreswan-v2-racoon2-x509-peer-invalid-id-information)
    ('218 "west--east-ikev2" #2: STATE_PARENT_I2: INVALID_ID_INFORMATION', "auth_failure"),
    ('"west" #1: STATE_PARENT_I1: NO_PROPOSAL_CHOSEN', "phase1_proposal_mismatch"),
    ('"east" #1: STATE_PARENT_R1: AUTHENTICATION_FAILED', "auth_failure"),
    ('"east" #1: STATE_PARENT_R1: NO_PROPOSAL_CHOSEN', "phase2_proposal_mismatch"),  # IKE_AUTH's Child SA
])
def test_a_failed_ikev2_state_names_the_exchange_of_its_notification(line: str, category: str) -> None:
    assert primary_of(line + "\n") == category


def test_ios_15_transform_refusal_is_phase_2_with_the_offered_transform() -> None:
    # IOS 15's debug crypto ipsec, misspelt as IOS prints it, quoted in lab notes (github.com/hmchen47/DevOps,
    # Networking/CiscoCert/350-701.SCOR/CBT/11-DebugIPsec.md): R1 offered esp-aes only, R2's transform set wants SHA-384.
    text = """IPSEC(validate_proposal_request): proposal part #1,
  (key eng. msg) INBOUND local= 25.2.2.2:0, remote= 15.1.1.1:0,
    local_proxy= 10.2.0.0/255.255.0.0/256/0
    remote_proxy= 10.1.0.0/255.255.0.0/256/0
    protocol= ESP, transform=esp-aes (Tunnel),
IPSEC(ipsec_process_proposal): transforma proposal not supported for idenitty: {esp-aes }
"""
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts.get("proposals_received") == ["esp-aes"]


def test_a_fragment_for_no_state_is_the_peers_first_message_fragmented() -> None:
    # libreswan commit 738701a8 quotes pluto 3.x: forced IKE fragmentation also cut the first Main Mode message
    primary = analyze_text("packet from 10.0.11.203:500: received IKE fragment, but have no state. Ignoring packet\n"
                           ).primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert primary.facts.get("peer") == "10.0.11.203"
    assert "first Main Mode message" in " ".join(str(r) for r in primary.reasoning)


def test_an_error_notify_that_names_no_setting_is_said_not_hidden() -> None:
    # RFC 7296 3.10.1: INVALID_SYNTAX for a value out of range or a request refused by policy, UNSUPPORTED_CRITICAL_
    # PAYLOAD for a payload the peer does not support. Outside a rekey no category names such a refusal, but the
    # page must not read as if nothing failed.
    from pathlib import Path

    from lab.analyzer import analyze_path

    def unprocessed(analysis: object) -> list[str]:
        return [str(n) for n in analysis.notes if "it did not take this side's request" in str(n)]  # type: ignore[attr-defined]

    # charon asks libreswan 3.29 for an IKE SA without a Child SA (RFC 6023), which 3.29 refuses (the lab's own log)
    lab = Path(__file__).resolve().parents[1] / "data" / "strongswan-lab" / "cl-v2-ike-rekey-healthy" / "libreswan-3.29"
    analysis = analyze_path(lab / "L.log")
    assert analysis.primary is None and not analysis.recovered
    (note,) = unprocessed(analysis)
    assert note.startswith("Line 22: the peer answered IKE_AUTH with INVALID_SYNTAX") and "RFC 6023" in note
    # an additional Child SA refused (traffic selectors, no REKEY_SA): the exchange is the parsed response's
    text = ("Dec  6 05:30:30 gw charon: 12[ENC] <gw|1> generating CREATE_CHILD_SA request 2 [ SA No KE TSi TSr ]\n"
            "Dec  6 05:30:33 gw charon: 12[ENC] <gw|1> parsed CREATE_CHILD_SA response 2 [ N(INVAL_SYN) ]\n"
            "Dec  6 05:30:33 gw charon: 12[IKE] <gw|1> received INVALID_SYNTAX notify error, destroying IKE_SA\n")
    analysis = analyze_text(text)
    assert analysis.primary is None and unprocessed(analysis)[0].startswith(
        "Line 2: the peer answered CREATE_CHILD_SA with INVALID_SYNTAX")
    # the same answer to a rekey is a refused rekey, named as such, with no such note
    rekey = analyze_text(text.replace("[ SA No KE TSi TSr ]", "[ N(REKEY_SA) SA No TSi TSr ]"))
    assert rekey.primary is not None and rekey.primary.category == "rekey_issue" and not unprocessed(rekey)
    assert analysis.refused_unnamed and not rekey.refused_unnamed and not analysis.recovered
    # the command line and the incident report say so instead of "no known failure"
    import subprocess
    import sys

    from lab.triage.report import build_report

    out = subprocess.run([sys.executable, "-m", "lab.cli", "logs", str(lab / "L.log")], capture_output=True, text=True,
                         check=True).stdout
    assert "Primary diagnosis: none named - the peer refused a request without naming a setting" in out
    assert "no known failure" not in out
    report = build_report(analyze_path(lab / "L.log"))
    assert "The peer refused a request without naming a setting" in report and "No known failure" not in report


# ---- libreswan 5.x and strongSwan 6.0 wordings (sweeps of the words new since 4.15 and 5.9.14) ------------------

# pluto answering the same IKE_SA_INIT again and again: 5.1 and later (programs/pluto/ikev2_unsecured.c at v5.3.2),
# 3.x to 5.0 ("received duplicate %s message request (Message ID %jd)", ikev2.c / ikev2_ike_sa_init.c)
_INIT_ANSWERED = ('"aws-tunnel-1"[1] 198.51.100.20 #1: sent IKE_SA_INIT response to 198.51.100.20:UDP/500 '
                  '{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=DH19}, expecting IKE_AUTH request\n')


@pytest.mark.parametrize("repeat", [
    '"aws-tunnel-1"[1] 198.51.100.20 #1: received duplicate IKE_SA_INIT request; retransmitting response\n',
    '"aws-tunnel-1"[1] 198.51.100.20 #1: received duplicate IKE_SA_INIT message request (Message ID 0); '
    'retransmitting response\n',
])
def test_pluto_answering_the_same_ike_sa_init_again_and_again_is_a_one_way_path(repeat: str) -> None:
    analysis = analyze_text(_INIT_ANSWERED + repeat * 4)
    assert analysis.primary is not None and analysis.primary.category == "peer_unreachable"
    assert "IKE_SA_INIT requests arrive" in analysis.primary.summary_in("en")
    # once is a lost packet
    assert primary_of(_INIT_ANSWERED + repeat) is None
    # the peer went on to IKE_AUTH: its repeats were copies delivered again, not answers lost
    auth = '"aws-tunnel-1"[1] 198.51.100.20 #1: processing IKE_AUTH request from 198.51.100.20:UDP/4500\n'
    assert primary_of(_INIT_ANSWERED + repeat * 4 + auth) is None


# pluto unable to send at all (programs/pluto/send.c: 3.x LOG_ERRNO ". Errno N: ...", 4.x and 5.x ": ... (errno N)");
# the lines of a Delete sent while pluto shuts down are tests/data/strongswan-lab's, and stay harmless
@pytest.mark.parametrize(("line", "category"), [
    ('ERROR: "aws-tunnel-1" #1: send on eth0 from 192.0.2.10:500 to 198.51.100.20:500 using UDP failed in '
     'IKE_SA_INIT request: Network is unreachable (errno 101)', "peer_unreachable"),
    ('ERROR: "aws-tunnel-1" #1: sendto on eth0 to 198.51.100.20:500 failed in main_outI1. Errno 113: No route to host',
     "peer_unreachable"),
    ('ERROR: "aws-tunnel-1" #1: send on eth0 from 192.0.2.10:4500 to 198.51.100.20:4500 using UDP failed in IKE_AUTH '
     'request: Message too long (errno 90)', "nat_t_or_fragmentation"),
    ('Dec  3 22:00:13.555083: ERROR: "gw" #1: send on vl from 192.0.2.1:500 to 192.0.2.2:500 using UDP failed in '
     'delete notification: Network is unreachable (errno 101)', None),
])
def test_pluto_send_failures(line: str, category: str | None) -> None:
    assert primary_of((line + "\n") * 3) == category


# charon unable to make a key exchange method (src/libcharon/sa/ikev2/tasks/ike_init.c and child_create.c at 5.9.14
# and 6.0.6; ikev1/tasks/main_mode.c)
@pytest.mark.parametrize(("line", "category"), [
    ("Dec  6 10:00:01 gw charon: 07[IKE] requested DH group MODP_8192 not supported", "phase1_proposal_mismatch"),
    ("Dec  6 10:00:01 gw charon: 07[IKE] <aws-tunnel-1|1> configured key exchange method CURVE_448 not supported",
     "phase1_proposal_mismatch"),
    ("Dec  6 10:00:01 gw charon: 11[IKE] negotiated DH group not supported", "phase1_proposal_mismatch"),
    ("Dec  6 10:00:02 gw charon: 11[IKE] selected key exchange method ECP_384 not supported",
     "phase2_proposal_mismatch"),
])
def test_charon_key_exchange_methods_it_cannot_make(line: str, category: str) -> None:
    assert primary_of(line + "\n") == category


def test_racoons_pfkey_align_error_points_at_phase_2_lifetimes() -> None:
    # pfSense's "Troubleshooting IPsec VPNs" (https://docs.netgate.com/pfsense/en/latest/troubleshooting/ipsec.html,
    # racoon's common errors): check that the phase 2 timeouts match up on both ends of the tunnel
    analysis = analyze_text("racoon: ERROR: libipsec failed pfkey align (Invalid sadb message)\n")
    assert analysis.format == "racoon"
    assert analysis.primary is not None and analysis.primary.category == "rekey_issue"
    # the same page: "pfkey DELETE received" shows up as phase 2 is renegotiated, with the tunnels working
    assert primary_of("racoon: ERROR: pfkey DELETE received\n") is None


# pluto's IKEv1 DPD actions: 3.21-3.27 "IKEv1 DPD: action - ..." (programs/pluto/connections.c liveness_action at
# v3.25), 3.20 and Openswan 2.6 "DPD: Restarting all connections that share this peer" (ikev1_dpd.c, dpd.c)
@pytest.mark.parametrize("line", [
    '"aws-tunnel-1" #1: IKEv1 DPD: action - restarting all connections that share this peer',
    '"roadwarriors"[1] 198.51.100.20 #1: IKEv1 DPD: action - clearing connection kind CK_INSTANCE',
    '"aws-tunnel-1" #1: IKEv1 DPD: action - putting connection into hold',
    '"aws-tunnel-1" #1: DPD: Restarting all connections that share this peer',
])
def test_plutos_ikev1_dpd_actions(line: str) -> None:
    assert primary_of(line + "\n") == "dpd_timeout"


def test_a_delete_for_an_ipsec_sa_charon_no_longer_has_takes_nothing_down() -> None:
    # src/libcharon/sa/ikev1/tasks/quick_delete.c (5.5.3 to 6.0.6): "received DELETE for %N CHILD_SA with SPI %.8x",
    # then "CHILD_SA not found, ignored" when the SA is already gone
    delete = ("Dec  6 10:00:00 gw charon: 10[ENC] <aws-tunnel-1|1> parsed INFORMATIONAL_V1 request 3104885512 [ HASH D ]\n"
              "Dec  6 10:00:01 gw charon: 10[IKE] <aws-tunnel-1|1> received DELETE for ESP CHILD_SA with SPI 9f00a1c4\n")
    assert primary_of(delete) == "ike_sa_deleted_by_peer"
    analysis = analyze_text(delete + "Dec  6 10:00:02 gw charon: 10[IKE] <aws-tunnel-1|1> CHILD_SA not found, ignored\n")
    assert analysis.primary is None and not analysis.findings
