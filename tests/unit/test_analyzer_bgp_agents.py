"""BGP lines from sweeps of the event lists and sources of Nokia SR OS and SR Linux, Arista EOS, ExaBGP, and the
Kubernetes agents that embed GoBGP (kube-router, kube-vip): each line is written in the format its source documents
(named beside it) with documentation addresses, or quoted from it. A session that went down, was refused or never
came up reads as bgp_down with the reason the line gives; the healthy lines beside them read as no fault.
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text


def _read(lines: list[str]) -> tuple[str | None, str | None, str]:
    analysis = analyze_text("\n".join(lines) + "\n")
    primary = analysis.primary
    if primary is None:
        return None, None, analysis.format
    return primary.category, primary.facts.get("bgp_reason"), analysis.format


# Nokia SR OS: https://documentation.nokia.com/sr/23-10-1/books/7x50-shared/log-events/log-bgp.html (events 2006,
# 2007, 2008, 2012, 2013), in the memory log's form and as remote syslog (nokia/SReXperts
# docs/nos/sros/beginner/57-SROS_remote_logging_with_Syslog_and_Loki.md). SR Linux:
# https://documentation.nokia.com/srlinux/23-10/books/log-events/log-bgp.html
NOKIA = [
    (['2214 2024/03/14 09:13:05.118 UTC WARNING: BGP #2006 Base Peer 1: 169.254.10.1 "(ASN 65000) VR 1: Group '
      'aws-tunnel-1: Peer 1: 169.254.10.1: received notification: code CEASE subcode CONN_REJECT"'],
     "peer_not_configured"),
    (["Mar 14 09:13:05 pe1 TMNX: 2214 Base BGP-WARNING-receiveNotification-2006 [Peer 1: 169.254.10.1]:  (ASN 65000) "
      "VR 1: Group aws-tunnel-1: Peer 1: 169.254.10.1: received notification: code HOLD_TIMER_EXPIRED subcode "
      "UNSPECIFIC"], "hold_timer_expired"),
    (["May  8 15:13:50 g3-pe1 TMNX: 67158 Base BGP-WARNING-bgpPeerNotFound-2012 [PEER 1: 169.254.10.1]:  (ASN 0) "
      "PEER 1: 169.254.10.1: Closing connection: PEER 1: 169.254.10.1 not enabled or not in configuration"],
     "peer_not_configured"),
    (['2215 2024/03/14 09:14:35.402 UTC WARNING: BGP #2008 Base Peer 1: 169.254.10.1 "(ASN 65000) VR 1: Group '
      'aws-tunnel-1: Peer 1: 169.254.10.1: closing inbound connection because the BGP peer did not receive '
      '"keepalive""'], "hold_timer_expired"),
    (["Mar 14 09:16:00 pe1 TMNX: 2222 Base BGP-WARNING-bgpConnMgrTerminated-2013 [VR 1]:  VR 1: BGP connection "
      "manager for address family IPv4 has terminated"], "admin_shutdown"),
    (["(ASN 65000) VR 7: Group aws-tunnel-1: Peer 169.254.10.1: being disabled because the interface is "
      "operationally disabled"], "interface_down"),
    (["Mar 14 09:20:01 leaf1 sr_bgp_mgr: bgp|1894|1965|00112|C: In network-instance default, the BGP session with "
      "169.254.10.1 was terminated immediately because BGP has out of memory."], None),
    (["Mar 14 09:21:07 leaf1 sr_bgp_mgr: bgp|1894|1965|00113|N: In network-instance default, an incoming BGP "
      "connection from 169.254.10.1 was rejected because the limit for the maximum number of incoming dynamic peers, "
      "16, has been reached."], None),
]

# Arista EOS, as cEOS printed it in https://github.com/bgplab/bgplab/blob/5a9fab68658ce69317b147396481714ee3478482/docs/basic/b-max-prefix.md
ARISTA = [
    (["Mar 14 09:30:11 leaf1 Bgp: %BGP-5-AFI_SAFI_MAX_ROUTES_LIMIT: Peer 169.254.10.1 (VRF default AS 64512) has "
      "exceeded its configured maximum total number of routes (20) of address family IPv4 Unicast; Put into idle "
      "state forever"], "max_prefix"),
    (["Neighbor Status Codes: m - Under maintenance",
      "  Description              Neighbor         V AS           MsgRcvd   MsgSent  InQ OutQ  Up/Down State   PfxRcd PfxAcc",
      "  aws-tunnel-1             169.254.10.1     4 64512            257       288    0    0 00:01:02 Idle(MaxPath)"],
     "max_prefix"),
    (["Mar 14 09:30:11 leaf1 Bgp: %BGP-5-ADJCHANGE: peer 169.254.10.1 (VRF default AS 64512) old state Established "
      "event OtherConfigurationChange new state Idle"], "config_change"),
]

# kube-router (https://github.com/cloudnativelabs/kube-router/blob/7c2c2779e397b15b85dc5fd2b6e6ff2c64c38596/pkg/controllers/routing/bgp_peers.go,
# pkg/cmd/kube-router.go) and kube-vip (https://github.com/kube-vip/kube-vip/blob/bee5cfe4a249e6cb0859c0483028066066d49d4a/pkg/manager/worker/bgp.go)
# in klog, logrus and Go's default slog forms, with the GoBGP lines they print
# (https://github.com/osrg/gobgp/blob/b7d523b6b3e5339b6567478d475fa3cf378560f8/pkg/server/fsm.go, bfd_peer.go)
AGENTS = [
    (["I0821 10:16:01.004512       1 bgp_peers.go:118] Not peering with the Node 10.0.0.12 as ASN number of the node "
      "is unknown."], None),
    (["E0821 10:16:01.004512       1 bgp_peers.go:192] Failed to add node 10.0.0.12 as peer due to can't overwrite the "
      "existing peer: 10.0.0.12"], None),
    (["failed to run kube-router: failed to create network routing controller: invalid peer router config, the number "
      "of IPs and ASN numbers must be equal"], None),
    (['2026/08/21 10:15:00 ERROR command failed err="new manager: creating BGP server: you need to provide at least '
      'one peer"'], None),
    (['time="2024-03-01T10:15:42Z" level=info msg="[BGP] type:STATE peer:{conf:{local_asn:65001 neighbor_address:'
      '\\"192.0.2.1\\" peer_asn:64512} state:{local_asn:65001 neighbor_address:\\"192.0.2.1\\" peer_asn:64512 '
      'session_state:ACTIVE router_id:\\"<nil>\\"}}"'] * 3, "never_established"),
    (['2026/08/21 10:15:42 INFO sent notification Topic=Peer Key=192.0.2.1 State=BGP_FSM_OPENSENT Code=2 Subcode=2 '
      'Data="\\xfd\\xe9"'], "bad_peer_as"),
    (["2026/08/21 10:15:42 WARN Expired Topic=bfd Peer=192.0.2.1",
      "2026/08/21 10:15:42 INFO Peer Down Topic=Peer Key=192.0.2.1 State=BGP_FSM_ESTABLISHED Reason=admin-down"],
     "bfd_down"),
    # a small BGP speaker's own wording of a received NOTIFICATION
    (["2026-08-21T10:15:42Z WARN 192.0.2.1: Received NOTIFICATION: code=4, subcode=0"], "hold_timer_expired"),
]


# ExaBGP 4.2's own messages (https://github.com/Exa-Networks/exabgp/blob/ee02a9e87d3e0a10d33231bf9b67bc4c3a0e496b/lib/exabgp/reactor/network/connection.py,
# tcp.py, listener.py) in its stdout form: time, pid, source, then the message (the connection's name is
# direction-id, then local-peer addresses)
EXABGP = [
    (["09:25:18 | 13387  | outgoing-1      | outgoing-1 192.0.2.2-192.0.2.1 192.0.2.1 lost TCP session with peer"],
     "peer_closed"),
    (["09:25:18 | 13387  | outgoing-1      | Could not connect to peer 192.0.2.1:179 (Connection refused)"],
     "connection_refused"),
    (["09:25:18 | 13387  | outgoing-1      | Could not connect to peer 192.0.2.1:179, check your MD5 password ([Errno 22] "
      "Invalid argument)"], "tcp_auth"),
    (["09:25:18 | 13387  | outgoing-1      | Could not bind to local ip 192.0.2.2 - [Errno 99] Cannot assign requested "
      "address"], "local_address"),
    (["09:25:18 | 13387  | network         | can not bind to 0.0.0.0:179 (could not listen on 0.0.0.0:179, the port may "
      "already be in use by another application)"], "local_address"),
    (["09:25:18 | 13387  | network         | no session configured for incoming-1 192.0.2.2-192.0.2.1"],
     "peer_not_configured"),
]


# Arista EOS: BFD takes the session down, and the ADJCHANGE names only the FSM event Stop
# (https://github.com/FRRouting/frr/issues/4133, the Arista side's log)
ARISTA_BFD = [
    (["May  6 18:25:35 leaf Rib: %BGP-BFD-STATE-CHANGE: peer 10.255.255.255 (AS 65100) Up to Down",
      "May  6 18:25:35 leaf Rib: %BGP-5-ADJCHANGE: peer 10.255.255.255 (AS 65100) old state Established event Stop "
      "new state Idle"], "bfd_down"),
]

# Quagga and FRR before 3.0 refusing a connection from an address with no neighbor statement (bgpd/bgp_network.c at
# FRRouting/frr 3f9c7369f7, with debug bgp events)
QUAGGA = [
    (["2015/04/01 10:00:00 BGP: [Event] BGP connection IP address 198.51.100.7 is not configured"],
     "peer_not_configured"),
]


@pytest.mark.parametrize(("lines", "reason"), NOKIA + ARISTA + ARISTA_BFD + AGENTS + EXABGP + QUAGGA)
def test_a_session_down_reads_as_bgp_down_with_its_reason(lines: list[str], reason: str | None) -> None:
    category, read_reason, _ = _read(lines)
    assert category == "bgp_down"
    if reason:
        assert read_reason == reason


@pytest.mark.parametrize(
    "lines",
    [
        # SR OS remote syslog of a session coming up (nokia/SReXperts, as above)
        ["May  8 15:14:02 g3-pe1 TMNX: 67160 Base BGP-MINOR-bgpEstablishedNotification-2038 [Peer 1: 169.254.10.1]:  "
         "VR 1: Group aws-tunnel-1: Peer 1: 169.254.10.1: moved into established state"],
        # Arista: a warning-only maximum-routes limit drops routes but keeps the session
        ["%BGP-5-AFI_SAFI_MAX_ROUTES_WARNING: Peer 10.1.0.1 (VRF default AS 65100) has exceeded its configured maximum "
         "total number of routes (10) of address family IPv4 Unicast; ROUTING INFORMATION IS BEING LOST"],
        # Arista: an operator's clear, and the session back at once (bgplab, as above)
        ["%BGP-5-PEER_CLEAR: BGP peering for neighbor 10.1.0.1 (vrf default) was hard reset by admin on vty8 "
         "(192.168.121.1)",
         "%BGP-5-ADJCHANGE: peer 10.1.0.1 (VRF default AS 65100) old state OpenConfirm event Established new state "
         "Established"],
        # ExaBGP: a session that came up
        ["09:25:18 | 13387  | reactor         | connected to peer-1 with outgoing-1 192.0.2.2-192.0.2.1"],
        # kube-router skips nodes of another ASN by design
        ["I0821 10:16:01.004512       1 bgp_peers.go:132] Not peering with the Node 10.0.0.12 as ASN number of the node "
         "is different."],
    ],
)
def test_healthy_lines_beside_them_are_no_fault(lines: list[str]) -> None:
    assert _read(lines)[0] is None


def test_sr_os_remote_syslog_is_read_as_a_bgp_log() -> None:
    assert _read(["May  8 15:13:50 g3-pe1 TMNX: 67158 Base BGP-WARNING-bgpPeerNotFound-2012 [PEER 1: 169.254.10.1]:  "
                  "(ASN 0) PEER 1: 169.254.10.1: Closing connection: PEER 1: 169.254.10.1 not enabled or not in "
                  "configuration"])[2] == "bgp-generic"



# https://github.com/cilium/cilium/issues/25968: a test run's log with Cilium's BGP speaker (172.16.100.1) and its
# GoBGP test peer (172.16.100.2) together; the test changes the peer, Cilium resets the session.
RESET_SEEN_FROM_BOTH_ENDS = (
    '2023-06-07T07:36:34.2092690Z time="2023-06-07T07:35:15Z" level=info msg="GoBGP test instance: Peer Event: {65001 IDLE}"\n'
    '2023-06-07T07:36:34.2093630Z time="2023-06-07T07:35:15Z" level=warning msg="received notification" Code=6 Communicated-Reason="Peer configuration changed" Data="[]" Key=172.16.100.1 Subcode=4 Topic=Peer asn=65011 component=tests.BGP subsys=basic\n'
    '2023-06-07T07:36:34.2094902Z time="2023-06-07T07:35:15Z" level=info msg="Peer Down" Key=172.16.100.1 Reason="notification-received code 6(cease) subcode 4(administrative reset)" State=BGP_FSM_ESTABLISHED Topic=Peer asn=65011 component=tests.BGP subsys=basic\n'
    '2023-06-07T07:36:34.2095887Z level=info msg="type:STATE peer:{conf:{local_asn:65001 neighbor_address:\\"172.16.100.2\\" peer_asn:65011} state:{local_asn:65001 neighbor_address:\\"172.16.100.2\\" peer_asn:65011 session_state:IDLE router_id:\\"172.16.100.2\\"} transport:{local_address:\\"172.16.100.1\\" local_port:1790 remote_port:46807}}"\n'
    '2023-06-07T07:36:34.2097156Z time="2023-06-07T07:35:15Z" level=debug msg="state changed" Key=172.16.100.1 Topic=Peer asn=65011 component=tests.BGP new=BGP_FSM_IDLE old=BGP_FSM_ESTABLISHED reason="notification-received code 6(cease) subcode 4(administrative reset)" subsys=basic\n'
)


def test_a_state_snapshot_after_the_other_end_s_reset_is_that_reset_not_a_session_that_never_came_up() -> None:
    # The watch event's IDLE (its local address is the neighbor the other lines name) came after the Cease that took
    # the session down from Established (it read as a session that never reached Established, 172.16.100.2)
    primary = analyze_text(RESET_SEEN_FROM_BOTH_ENDS).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts.get("bgp_notification") == "6/4" and primary.facts.get("peer") == "172.16.100.1"
    assert "never reaches Established" not in primary.summary.render("en")
    # the snapshot alone still says the session is not up
    alone = analyze_text(RESET_SEEN_FROM_BOTH_ENDS.splitlines()[3] + "\n").primary
    assert alone is not None and alone.facts.get("bgp_reason") == "never_established"



# https://github.com/cilium/cilium/issues/35872: a test's GoBGP peer and Cilium's speaker, one component's time stamps
# in whole seconds, the other's in nanoseconds.
TWO_PRECISIONS = (
    'time="2024-11-08T19:33:15Z" level=debug msg="state changed" Key=172.16.100.1 Topic=Peer asn=65012 component=tests.BGP new=BGP_FSM_ACTIVE old=BGP_FSM_IDLE reason=idle-hold-timer-expired subsys=basic\n'
    'time="2024-11-08T19:33:20Z" level=debug msg="try to connect" Key=172.16.100.1 Topic=Peer asn=65012 component=tests.BGP subsys=basic\n'
    'time="2024-11-08T19:33:20Z" level=debug msg="state changed" Key=172.16.100.1 Topic=Peer asn=65012 component=tests.BGP new=BGP_FSM_OPENSENT old=BGP_FSM_ACTIVE reason=new-connection subsys=basic\n'
    'time="2024-11-08T19:33:20.378997735Z" level=info msg="Can\'t find configuration for a new passive connection" Key=172.16.100.3 Topic=Peer asn=65001 component=gobgp.BgpServerInstance subsys=bgp-control-plane\n'
    'time="2024-11-08T19:33:20Z" level=debug msg="state changed" Key=172.16.100.1 Topic=Peer asn=65012 component=tests.BGP new=BGP_FSM_IDLE old=BGP_FSM_OPENSENT reason=read-failed subsys=basic\n'
    'time="2024-11-08T19:33:25Z" level=debug msg="IdleHoldTimer expired" Duration=5 Key=172.16.100.1 Topic=Peer asn=65012 component=tests.BGP subsys=basic\n'
)


def test_whole_seconds_after_a_finer_stamp_of_the_same_second_are_no_step_back_in_time() -> None:
    # (it read as lines newest first)
    result = analyze_text(TWO_PRECISIONS)
    assert result.order == "oldest-first"
    assert not any("newest first" in n.render("en") for n in result.notes)
    assert result.primary is not None and result.primary.category == "bgp_down"



# https://github.com/librenms/librenms/issues/15287: BIRD 2's `birdc show protocols all` for two sessions.
BIRD_PROTOCOLS_ALL = (
    'gateway2_4 BGP        ---        start  2023-08-21    Active        Socket: Connection reset by peer\n'
    '  BGP state:          Active\n'
    '    Neighbor address: *\n'
    '    Neighbor AS:      65300\n'
    '    Local AS:         65300\n'
    '    Connect delay:    2.639/5\n'
    '    Last error:       Socket: Connection reset by peer\n'
    '  Channel ipv4\n'
    '    State:          DOWN\n'
    '    Table:          master4\n'
    '    Preference:     100\n'
    '    Input filter:   (unnamed)\n'
    '    Output filter:  (unnamed)\n'
    '    IGP IPv4 table: master4\n'
    '  Channel ipv6\n'
    '    State:          DOWN\n'
    '    Table:          master6\n'
    '    Preference:     100\n'
    '    Input filter:   (unnamed)\n'
    '    Output filter:  (unnamed)\n'
    '    IGP IPv6 table: master6\n'
    '\n'
    'accessswitch3_4 BGP        ---        start  2023-08-21    Active        Socket: Connection reset by peer\n'
    '  BGP state:          Active\n'
    '    Neighbor address: *\n'
    '    Neighbor AS:      65300\n'
    '    Local AS:         65300\n'
    '    Connect delay:    1.324/5\n'
    '    Last error:       Socket: Connection reset by peer\n'
)


def test_bird_s_show_protocols_all_is_a_listing_not_a_session_going_down_again_and_again() -> None:
    # its summary row, "BGP state:" and "Last error:" lines are the state now (it read as "went down (6x)")
    primary = analyze_text(BIRD_PROTOCOLS_ALL).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.reasoning[0].render("en") == "Line 1: the listing shows the BGP session down (6 lines)."



# https://github.com/FRRouting/frr/issues/17337: FRR starting, with debug bgp nht.
NHT_WAIT_THEN_ROUTE = (
    '2024/11/04 12:42:43.009 BGP: [S7AHN-X0695] 172.18.0.3 [FSM] Waiting for NHT, no path to neighbor present\n'
    '2024/11/04 12:42:43.009 BGP: [T91AW-FGMHW] bgp_fsm_change_status : vrf default(0), Status: Connect established_peers 0\n'
    '2024/11/04 12:42:43.009 BGP: [HKWM3-ZC5QP] 172.18.0.3 fd -1 went from Idle to Connect\n'
    '2024/11/04 12:42:43.009 BGP: [ZWCSR-M7FG9] 172.18.0.3 [FSM] TCP_connection_open_failed (Connect->Active), fd -1\n'
    '2024/11/04 12:42:43.009 BGP: [T91AW-FGMHW] bgp_fsm_change_status : vrf default(0), Status: Active established_peers 0\n'
    '2024/11/04 12:42:43.009 BGP: [HKWM3-ZC5QP] 172.18.0.3 fd -1 went from Connect to Active\n'
    '2024/11/04 12:42:43.009 BGP: [ZJYCS-KQYD6] VRF default(0): Rcvd NH update 172.18.0.0/16(0)(0) - metric 0/0 #nhops 1/0 flags Reg Conn \n'
    '2024/11/04 12:42:43.009 BGP: [HJ3XJ-8EHF0]     nhop via if 11 (0 labels)\n'
    '2024/11/04 12:42:43.009 BGP: [K7JBS-J1T3G] NH update for 172.18.0.3/32(0)(0)(VRF default) - flags Valid Reg Conn  chgflags Changed - evaluate paths\n'
    '2024/11/04 12:42:43.009 BGP: [MZNH7-XJV7F] evaluate_paths: Updating peer (172.18.0.3(VRF default)) status with NHT nexthops 1\n'
    '2024/11/04 12:42:43.009 BGP: [W3632-R2FGS] parse nexthop update 172.18.0.0/16(0)(VRF default): bnc info not found for import check\n'
    '2024/11/04 12:42:43.009 BGP: [ZWCSR-M7FG9] 172.18.0.3 [FSM] ConnectRetry_timer_expired (Active->Connect), fd -1\n'
)


def test_frr_waiting_for_nht_then_finding_the_route_is_frr_starting() -> None:
    # (it read as no route to the neighbor's address)
    assert analyze_text(NHT_WAIT_THEN_ROUTE).primary is None
    # the wait alone stays what it was
    waiting = "".join(line + "\n" for line in NHT_WAIT_THEN_ROUTE.splitlines()[:6])
    primary = analyze_text(waiting).primary
    assert primary is not None and primary.category == "bgp_down"
