"""Readings added from sweeps of real lines that engineers and vendors published (AWS's ScreenOS troubleshooting guide,
Cisco ASA debug captures, GoBGP and OpenBGPD issue threads, Openswan's NAT-T issue, a libreswan-to-ASA thread, a
keepalived issue, a MikroTik question, a libreswan debug paste, a pyikev2 issue, a strongSwan Android client log, a
libreswan revival). Each line is quoted from the page named beside it, or written in the format its source prints
with documentation addresses.
"""

from __future__ import annotations

from lab.analyzer import analyze_text
from lab.analyzer.protocol import put_in_order
from lab.analyzer.scan import Scanner


def primary_of(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


# AWS's troubleshooting guide for a Juniper ScreenOS customer gateway (awsdocs/amazon-vpc-network-administrator-guide
# at fdb7913b, doc_source/Juniper_ScreenOs_Troubleshooting.md): the good state, with an old reset in its history.
SCREENOS_NEIGHBOR = """\
ssg5-serial-> get vr trust-vr prot bgp neigh 169.254.255.1
peer: 169.254.255.1,  remote AS: 7224, admin status: enable
type: EBGP, multihop: 0(disable), MED: node default(0)
connection state: {state}, connection id: 18 retry interval: node default(120s), cur retry time 15s
configured hold time: node default(90s), configured keepalive: node default(30s)
local IP address/port: 169.254.255.2/13946, remote IP address/port: 169.254.255.1/179
negotiated hold time: 30s, negotiated keepalive interval: 10s
total messages to peer: 106, from peer: 106
last reset 00:05:33 ago, due to BGP send Notification(Hold Timer Expired)(code 4 : subcode 0)
number of total successful connections: 4
connected: 2 minutes 6 seconds
"""


def test_screenos_neighbor_established_with_an_old_reset_is_healthy() -> None:
    assert primary_of(SCREENOS_NEIGHBOR.format(state="ESTABLISH")) is None
    # the same listing with the session not established: the last reset says why it went down
    down = analyze_text(SCREENOS_NEIGHBOR.format(state="ACTIVE")).primary
    assert down is not None and down.category == "bgp_down"
    assert down.facts.get("bgp_notification") == "4/0"


# ASA/PIX message 715065 (Cisco ASA syslog reference): the phase 1 state machine's history, newest first.
# http://darenmatthews.com/blog/?p=1971 prints the arrows with an en dash.
ASA_HISTORY = ("Jan 24 09:02:44 [IKEv1 DEBUG]: IP = 123.123.123.123, IKE MM Initiator FSM error history "
               "(struct &0xafd4cc28)  <state>, <event>:  {history}\n")


def test_asa_state_history_ending_while_waiting_for_the_first_answer() -> None:
    waited = ("MM_DONE, EV_ERROR\u2013>MM_WAIT_MSG2, EV_RETRY\u2013>MM_WAIT_MSG2, EV_TIMEOUT\u2013>MM_WAIT_MSG2, "
              "NullEvent\u2013>MM_SND_MSG1, EV_SND_MSG\u2013>MM_SND_MSG1, EV_START_TMR\u2013>MM_SND_MSG1, "
              "EV_RESEND_MSG\u2013>MM_WAIT_MSG2, EV_RETRY")
    assert primary_of(ASA_HISTORY.format(history=waited)) == "peer_unreachable"
    assert primary_of(ASA_HISTORY.format(history=waited.replace("\u2013>", "-->"))) == "peer_unreachable"
    # a history that ends later in Main Mode: the peer had answered, the history alone does not say why it stopped
    later = "MM_DONE, EV_ERROR-->MM_WAIT_MSG6, EV_TIMEOUT-->MM_WAIT_MSG6, EV_SND_MSG-->MM_SND_MSG5"
    assert primary_of(ASA_HISTORY.format(history=later)) is None


def test_gobgp_1_logs_the_notification_message_itself() -> None:
    # https://github.com/osrg/gobgp/issues/596 (GoBGP 1.x server/fsm.go: the message as JSON in "Data")
    text = (
        '{"Key":"192.0.2.7","Topic":"Operation","level":"info","msg":"Neighbor reset","time":"2016-02-01T10:20:48+03:00"}\n'
        '{"Data":{"Header":{"Marker":null,"Len":21,"Type":3},"Body":{"ErrorCode":6,"ErrorSubcode":4,"Data":null}},'
        '"Key":"192.0.2.7","State":5,"Topic":"Peer","level":"warning","msg":"sent notification",'
        '"time":"2016-02-01T10:20:48+03:00"}\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.facts.get("bgp_notification") == "6/4"
    assert primary.facts.get("bgp_reason") == "admin_reset"


def test_openbgpd_summary_rows_of_sessions_that_never_came_up() -> None:
    # bgpctl show (https://github.com/NLNOG/ring-ansible/pull/172); OpenBGPD bgpctl/output.c show_summary
    text = ("root@lg02:~# bgpctl show | grep EWPRAT\n"
            "EWPRATTEN1-v4           54041          0          0     0 Never    Connect\n"
            "EWPRATTEN1-v6           54041          0          0     0 Never    Connect\n")
    assert primary_of(text) == "bgp_down"
    # an established session shows its prefix count instead of a state
    assert primary_of("GITOYEN1-v4              20766      81232        114     0 1d02h13m  10412\n") is None


PLUTO = "Dec  6 10:02:{s:02d} gw pluto[2211]: "


def test_esp_in_udp_reaching_pluto_is_nat_traversal_not_in_place() -> None:
    # https://github.com/xelerance/Openswan/issues/63 (Openswan 2.6.38, programs/pluto/demux.c)
    text = ("packet from 137.116.215.28:4500: recvfrom 137.116.215.28:4500 has no Non-ESP marker\n" * 2
            + "packet from 137.116.215.28:4500: recvfrom 137.116.215.28:4500 too small packet (1)\n")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    assert "kernel" in primary.summary
    # one packet from an address no other line names, in a log about another peer: anything sent to UDP 4500 gets
    # this line (a scan); pasted alone, the line is about the tunnel the engineer looks at
    probe = PLUTO.format(s=11) + "packet from 198.51.100.77:4500: has no Non-ESP marker\n"
    other = PLUTO.format(s=1) + '"aws-1"[1] 203.0.113.9 #2: ESP traffic information: in=1MB out=2MB\n'
    assert primary_of(other + probe) is None
    assert primary_of(probe) == "nat_t_or_fragmentation"
    # two from one address: a peer's ESP in UDP, not a probe
    assert primary_of(PLUTO.format(s=11) + "packet from 198.51.100.77:4500: has no Non-ESP marker\n"
                      + PLUTO.format(s=12) + "packet from 198.51.100.77:4500: has no Non-ESP marker\n") == (
        "nat_t_or_fragmentation")


def test_quick_mode_beside_an_ipsec_sa_deleted_with_its_traffic_counts_is_its_rekey() -> None:
    # https://github.com/libreswan/libreswan/issues/270 (libreswan 3.15 and a Cisco ASA): the Quick Mode times out, and
    # the older IPsec SAs of the connection, deleted after it, were up (pluto logs their traffic when it deletes them)
    text = (
        '"myconnname/0x2" #20969: max number of retransmissions (8) reached STATE_QUICK_I1\n'
        '"myconnname/0x2" #20969: starting keying attempt 11 of an unlimited number\n'
        '"myconnname/0x2" #20972: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+IKEV1_ALLOW+IKEV2_ALLOW+SAREF_TRACK'
        '+IKE_FRAG_ALLOW to replace #20969 {using isakmp#20497 msgid:2a68bb36 proposal=AES(12)_256-SHA1(2)_000 '
        'pfsgroup=OAKLEY_GROUP_MODP1024}\n'
        'deleting state #20969 (STATE_QUICK_I1)\n'
        '"myconnname/0x2" #20498: deleting state #20498 (STATE_QUICK_I2)\n'
        '"myconnname/0x2" #20498: ESP traffic information: in=0B out=0B\n'
    )
    assert primary_of(text) == "rekey_issue"
    # without an older IPsec SA of the connection, the Quick Mode's timeout stays a guess about phase 2
    first = text.split("deleting state #20969")[0]
    assert primary_of(first) != "rekey_issue"


def test_rsyslog_repeated_message_counts_as_its_repeats() -> None:
    # https://github.com/hwdsl2/setup-ipsec-vpn/issues/1786 (libreswan 5): the client sends its IKE_AUTH again and
    # again after this side answered it; rsyslog folds three of the repeats into one line
    host = "2025-07-09T07:30:{s}+00:00 ip-172-31-37-140 pluto[15608]: "
    dup = '"ikev2-cp"[1] 223.223.193.194 #3: IKE_AUTH request fragment 1 of 4 has duplicate Message ID 1; retransmitting response'
    text = (host.format(s="34.756493") + dup + "\n"
            + host.format(s="48.766654") + "message repeated 3 times: [ " + dup + "]\n")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "peer_unreachable"
    # the two lines alone, without the fold, are one repeat too few
    assert primary_of(host.format(s="34.756493") + dup + "\n" + host.format(s="48.766654") + dup + "\n") is None


# A 2017 forum post (strongSwan client of a SonicWall GroupVPN with XAuth): the SonicWall's log as its web GUI exports
# it, newest first with its row numbers, then charon's output, oldest first; the poster masked the addresses.
SONICWALL_GUI = """\
1\t11/15/2017 10:34:02.176\tInfo\tVPN IKE\tIKE Responder: Remote party timeout - Retransmitting IKE request.\t98.xxx.xxx.xxx, 4500\t192.yyy.yyy.yyy, 4500\tVPN Policy: WAN GroupVPN\t
2\t11/15/2017 10:33:51.176\tInfo\tVPN IKE\tIKE Responder: Remote party timeout - Retransmitting IKE request.\t98.xxx.xxx.xxx, 4500\t192.yyy.yyy.yyy, 4500\tVPN Policy: WAN GroupVPN\t
3\t11/15/2017 10:33:44.592\tInfo\tVPN IKE\tIKE Responder: Received Aggressive Mode request (Phase 1)\t192.yyy.yyy.yyy 4500 (admin)\t98.xxx.xxx.xxx, 4500\t\t
5\t11/15/2017 10:33:14.592\tInfo\tVPN IKE\tIKE Responder: Aggressive Mode complete (Phase 1)\t192.yyy.yyy.yyy, 4500 (admin)\t98.xxx.xxx.xxx, 4500\tVPN Policy: WAN GroupVPN;3DES; MD5; DH Group 2; lifetime=10800 secs\t
8\t11/15/2017 10:33:14.544\tInfo\tVPN IKE\tIKE Responder: Received Aggressive Mode request (Phase 1)\t192.yyy.yyy.yyy, 500 (admin)\t98.xxx.xxx.xxx, 500\t
"""
CHARON_XAUTH = """\
initiating Aggressive Mode IKE_SA APC[1] to 98.xxx.xxx.xxx
generating AGGRESSIVE request 0 [ SA KE No ID V V V V V ]
parsed AGGRESSIVE response 0 [ SA KE No ID V V V NAT-D NAT-D V V HASH ]
generating AGGRESSIVE request 0 [ HASH NAT-D NAT-D ]
parsed TRANSACTION request 3963242572 [ HASH CPRQ(X_TYPE X_USER X_PWD) ]
no XAuth password found for 'GroupVPN' - 'APCNet'
generating TRANSACTION response 3963242572 [ HASH CP ]
peer did not initiate expected exchange, reestablishing IKE_SA
establishing connection 'APC' failed
"""


def test_a_newest_first_gui_export_then_an_oldest_first_daemon_log() -> None:
    analysis = analyze_text(SONICWALL_GUI + CHARON_XAUTH)
    assert analysis.primary is not None and analysis.primary.category == "auth_failure"
    assert analysis.order == "newest-first"
    assert any("One of the two logs is newest first" in str(n) for n in analysis.notes)
    # the GUI's rows were reversed, charon's lines kept their order, and each log is a stream of its own
    scanner = Scanner()
    scanner.feed(SONICWALL_GUI + CHARON_XAUTH)
    result = scanner.result()
    events, newest_first, streams = put_in_order(result.events, result.order_texts, result.order_lines)
    assert newest_first and streams == 2
    assert [ev.line for ev in events if ev.line <= 5] == [5, 4, 3, 2, 1]
    assert [ev.line for ev in events if ev.line > 5] == sorted(ev.line for ev in events if ev.line > 5)
    assert max(ev.order for ev in events if ev.line <= 5) < min(ev.order for ev in events if ev.line > 5)
    # each log alone keeps the order it has
    alone = analyze_text(CHARON_XAUTH)
    assert alone.order == "oldest-first" and alone.primary is not None and alone.primary.category == "auth_failure"


def test_cisco_operator_clearing_the_sas_explains_the_invalid_spi_after_it() -> None:
    # an IOS-XE lab capture that starts with the operator's abbreviated command and ends with the tunnel up again
    text = (
        "HQ#clear cry sa   \n"
        "ISAKMP: (0):Deleting peer node by peer_reap for 103.1.1.1: 7EFF7C24E120\n"
        "*Oct 24 04:31:10.058: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for "
        "destaddr=61.128.1.1, prot=50, spi=0x3EA71AED(1051138797), srcaddr=103.1.1.1, input interface=GigabitEthernet1\n"
        "ISAKMP: (0):Old State = IKE_READY  New State = IKE_R_MM1 \n"
        "ISAKMP: (1003):Successfully installed IPSEC SA (SPI:0xF5AC7011) on GigabitEthernet1\n"
        "ISAKMP: (1003):Old State = IKE_QM_R_QM2  New State = IKE_QM_PHASE2_COMPLETE\n"
    )
    assert primary_of(text) is None
    assert primary_of(text.replace("HQ#clear cry sa   \n", "")) == "rekey_issue"


def test_racoon_generating_the_policy_itself_is_no_selector_mismatch() -> None:
    # OSSEC's racoon log samples (ossec/ossec-docs, docs/log_samples/vpn/racoon.rst): "the last 3 error lines are NOT
    # errors"; racoon generates the policy for the road warrior (generate_policy)
    text = (
        "2006-08-10 19:22:42: INFO: respond new phase 2 negotiation: 111.111.111.194[0]<=>83.36.51.44[0]\n"
        "2006-08-10 19:22:42: INFO: no policy found, try to generate the policy : 10.0.1.5/32[0] 10.15.13.224/27[0] proto=any dir=in\n"
        "2006-08-10 19:22:42: INFO: IPsec-SA established: ESP/Tunnel 83.36.51.44->111.111.111.194 spi=188599340(0xb3dcc2c)\n"
        "2006-08-10 19:22:42: ERROR: such policy does not already exist: 10.0.1.5/32[0] 10.15.13.224/27[0] proto=any dir=in\n"
    )
    assert primary_of(text) is None


def test_mikrotik_bgp_peer_status_not_established() -> None:
    # ntc-templates' RouterOS 6 fixture (routing_bgp_peer_print_status_without-paging_2.raw): Hub02 up, Hub01 idle
    text = (
        "Flags: X - disabled, E - established \n"
        ' 0 E name="Hub02" instance=default remote-address=172.16.66.254 remote-as=64564 tcp-md5-key="" passive=no '
        "use-bfd=no remote-id=100.64.164.253 local-address=172.16.66.1 uptime=5w3d1h12m48s prefix-count=8 \n"
        "     remote-hold-time=9s used-hold-time=9s used-keepalive-time=3s refresh-capability=yes as4-capability=yes "
        "state=established \n"
        ' 1   name="Hub01" instance=default remote-address=172.16.65.254 remote-as=64564 tcp-md5-key="" '
        "remove-private-as=no as-override=no passive=no use-bfd=no state=idle \n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts.get("peer") == "172.16.65.254"
    assert "BFD" not in primary.summary  # "use-bfd=no" is a setting, not BFD taking the session down
    assert primary_of(text.replace("state=idle", "state=established").replace(" 1   name", " 1 E name")) is None


# Router listings contributed to networktocode/ntc-templates (tests/<platform>/<command>/*.raw at d0bc5a48), as the
# devices printed them: a session that is not established reads as BGP down, one that is up as nothing.
LISTINGS_DOWN = {
    "IOS XR show bgp summary": (
        "Neighbor        Spk    AS MsgRcvd MsgSent   TblVer  InQ OutQ  Up/Down  St/PfxRcd\n"
        "10.10.17.161      0 64924   36190   64731        0    0    0 00:00:00 Idle\n"
        "10.10.132.240     0 64727   74112   76220    94623    0    0     7w2d         82\n"),
    "Huawei VRP display bgp peer": (
        "  Peer        V    AS  MsgRcvd  MsgSent  OutQ  Up/Down       State PrefRcv\n"
        "  10.1.1.1    4   100        0        0     0 00:00:07        Idle       0\n"
        "  10.2.5.6    4   200       32       35     0 00:17:49 Established       0\n"),
    "Comware display bgp peer": (
        "  Peer                    AS  MsgRcvd  MsgSent OutQ PrefRcv Up/Down  State\n"
        "  12.123.123.189        100   101225   113460    0       1 0286h47m Established\n"
        "  2.114.82.34        100        0        0    0       0 0129h15m Connect\n"),
    "SR OS show router bgp summary": (
        "Neighbor\n"
        "                   AS PktRcvd PktSent  InQ OutQ Up/Down   State|Recv/Actv/Sent\n"
        "192.0.2.110\n"
        "               42598   271035  249777    0    0 29d11h41m 1/1/1\n"
        "192.0.2.126\n"
        "               42598*       0       0    0    0 54d18h43m Connect\n"),
    # napalm's EOS test data (test/eos/mocked_data/test_get_bgp_neighbors_detail/issue1416)
    "EOS show ip bgp neighbors": (
        "BGP neighbor is 100.64.2.0, remote AS 65004, external link\n"
        "  Failed connection attempts is 9\n"
        "  BGP state is Active\n"),
}


def test_router_bgp_listings_with_a_session_not_established() -> None:
    for name, text in LISTINGS_DOWN.items():
        assert primary_of(text) == "bgp_down", name


def test_router_bgp_listings_with_every_session_up() -> None:
    up = {
        "IOS XR": "10.10.132.240     0 64727   74112   76220    94623    0    0     7w2d         82\n",
        "VRP": "  10.2.5.6    4   200       32       35     0 00:17:49 Established       0\n",
        "Comware": "  12.123.123.189        100   101225   113460    0       1 0286h47m Established\n",
        "SR OS": "192.0.2.110\n               42598   271035  249777    0    0 29d11h41m 1/1/1\n",
        "EOS": "BGP neighbor is 100.64.2.0, remote AS 65004, external link\n  BGP state is Established, up for 16d07h\n",
    }
    for name, text in up.items():
        assert primary_of(text) is None, name


def test_ios_neighbor_known_by_a_host_name_closing_the_session() -> None:
    # kongou-ae/blog at 3258187f (content/archives/2012-04-15-*.md): IOS debug with a VyOS neighbor named "vyatta"
    text = ("Apr 14 15:21:49.881 JST: BGP: vyatta active went from Active to OpenSent\n"
            "Apr 14 15:21:49.909 JST: BGP: ses global vyatta (0x8AF0CF94:0) act Reset (Peer closed the session).\n"
            "Apr 14 15:21:49.909 JST: BGP: vyatta active went from OpenSent to Idle\n"
            "Apr 14 15:21:49.909 JST: %BGP_SESSION-5-ADJCHANGE: neighbor vyatta IPv6 Unicast topology base removed "
            "from session  Peer closed the session\n")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts.get("bgp_state") == "OpenSent -> Idle"


def test_fortigate_xauth_whose_radius_server_does_not_answer() -> None:
    # lvannstruth-ftnt/fgt-ike-debugger at 23a3ee50 (IKE_LOG_V1_radius_wrong_account.txt): fnbamd's RADIUS requests
    # time out, and the XAuth result is FNBAM_TIMEOUT
    ike = "2025-01-20 18:37:{t} ike V=root:0:ikev1-radius_0{s}: {m}\n"
    text = (ike.format(t="05.318267", s=":45723", m="established IKE SA 149a0c08d95f0f49/60294cdea923ec43")
            + ike.format(t="05.318963", s=":45723", m="sending XAUTH request")
            + ike.format(t="05.321612", s=":45723", m="received XAUTH_USER_NAME 'vitosdf' length 7")
            + "2025-01-20 18:37:10 [730] __rad_conn_timeout-Connction with labDC-radius:10.21.1.101 timed out.\n"
            + "2025-01-20 18:37:17 [1003] __rad_try_next_server-No more server to try.\n"
            + ike.format(t="17.344487", s=":45723", m="XAUTH 700221448256 result FNBAM_TIMEOUT")
            + ike.format(t="17.344579", s="", m='XAUTH failed for user "vitosdf", retry(2).'))
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"
    assert any("FNBAM_TIMEOUT" in line and "not a wrong password" in line for line in primary.reasoning_in("en"))
    # a wrong password (FNBAM_DENIED) gets no such sentence
    denied = analyze_text(text.replace("FNBAM_TIMEOUT", "FNBAM_DENIED")).primary
    assert denied is not None and not any("FNBAM_TIMEOUT" in line for line in denied.reasoning_in("en"))


def test_a_scanner_s_single_main_mode_probe_is_no_cause_of_another_peer_s_tunnel() -> None:
    # https://github.com/hwdsl2/docker-ipsec-vpn-server/issues/363 (libreswan 4): an iOS client's IKE_AUTH answers get
    # lost while an Internet host's one Main Mode probe is refused
    host = "2023-03-31T03:{t}+00:00 d5b04a77cc0c pluto[1025]: "
    dup = '"ikev2-cp"[2] 106.121.9.95 #3: IKE_AUTH request fragment 1 of 4 has duplicate Message ID 1; retransmitting response'
    probe = ("packet from 184.105.247.244:17702: initial Main Mode message received but no connection has been "
             "authorized with authby=none and xauth=no")
    text = (host.format(t="46:51.720843") + dup + "\n"
            + host.format(t="46:59.900381") + dup + "\n"
            + host.format(t="47:04.188436") + probe + "\n")
    analysis = analyze_text(text)
    assert analysis.primary is None
    assert any("184.105.247.244" in str(n) and "scan" in str(n) for n in analysis.notes)
    assert all(f.category == "" for f in analysis.findings if f.line == 3)
    # the refusal alone is about the tunnel the engineer is looking at; and a peer that keeps trying is no scanner
    assert primary_of(host.format(t="47:04.188436") + probe + "\n") == "auth_failure"
    again = text + host.format(t="47:09.188436") + probe + "\n"
    assert primary_of(again) == "auth_failure"


def test_a_listing_row_is_not_read_as_the_rest_of_the_header_above_it() -> None:
    # ntc-templates tests/aruba_aoscx/show_bgp_all-vrfs_all_summary (at d0bc5a48): the rows are about as long as a
    # wrapped mail line, so a loose reading would glue each row to the header above it
    text = (
        "VRF : default\n"
        "BGP Summary\n"
        "-----------\n"
        " Local AS               : 4290020685   BGP Router Identifier  : 192.168.100.1\n"
        " Peers                  : 4            Log Neighbor Changes   : No\n"
        " Cfg. Hold Time         : 180          Cfg. Keep Alive        : 60\n"
        "Address-family : IPv4 Unicast\n"
        "-----------------------------\n"
        " Neighbor        Remote-AS MsgRcvd MsgSent   Up/Down Time State        AdminStatus\n"
        " 10.252.13.2     4290020685  0       0       00h:00m:00s  Idle          Up\n"
        " 172.25.0.1      4290000000  116314  133774  02m:02w:06d  Established   Up\n"
        "Address-family : IPv6 Unicast\n"
        "-----------------------------\n"
    )
    analysis = analyze_text(text)
    assert analysis.primary is not None and analysis.primary.category == "bgp_down"
    assert analysis.primary.evidence_lines == (10,)
    assert not any("joined back" in str(n) for n in analysis.notes)


# SONiC's "show ip bgp summary" (sonic-net/sonic-utilities, utilities_common/bgp_util.py display_bgp_summary): FRR's
# table with SONiC's own header ("Neighbhor", sic) and the neighbor's name after the state. Rows as posted in
# sonic-net/sonic-utilities pull request 3457 and sonic-net/sonic-mgmt issue 2390.
SONIC_SUMMARY = """\
admin@sonic:~$ show ip bgp summary

IPv4 Unicast Summary:
BGP router identifier 10.1.0.32, local AS number 65100 vrf-id 0
BGP table version 1
RIB entries 1, using 192 bytes of memory
Peers 2, using 1483952 KiB of memory
Peer groups 2, using 128 bytes of memory


Neighbhor      V     AS    MsgRcvd    MsgSent    TblVer    InQ    OutQ  Up/Down    State/PfxRcd    NeighborName
-----------  ---  -----  ---------  ---------  --------  -----  ------  ---------  --------------  --------------
10.0.0.1       4  65200        961       2862         0      0    1146  00:00:11   615             ARISTA01T2
10.0.0.5       4  65200          0          0         0      0       0  never      {state}          ARISTA03T2

Total number of neighbors 2
"""


def test_sonic_bgp_summary_reads_the_state_before_the_neighbor_name() -> None:
    result = analyze_text(SONIC_SUMMARY.format(state="Active"))
    assert result.format == "bgp-generic"
    assert result.primary is not None and result.primary.category == "bgp_down"
    assert result.primary.facts.get("peer") == "10.0.0.5"
    # every neighbor established (prefix counts in the column): nothing is down
    assert primary_of(SONIC_SUMMARY.format(state="1354  ")) is None


# The Linux kernel under a BGP daemon drops a segment whose TCP MD5 signature does not verify: before 6.7
# (net/ipv4/tcp.c tcp_inbound_md5_hash) "MD5 Hash failed for (saddr, sport)->(daddr, dport)"; from 6.7
# (include/net/tcp_ao.h tcp_hash_fail) "saddr.sport->daddr.dport [flags]". The first line is quoted in osrg/gobgp
# issue 2573.
def test_linux_kernel_tcp_md5_failures_on_port_179_are_a_bgp_password_problem() -> None:
    for line in (
        "kernel: [ 1499.654001] TCP: MD5 Hash failed for (192.168.189.3, 64698)->(192.168.189.184, 179)",
        "Dec  6 10:02:11 bgp1 kernel: [88412.120331] TCP: MD5 Hash failed for (169.254.10.1, 179)->"
        "(169.254.10.2, 41822) L3 index 0",
        "Dec  6 10:02:11 bgp1 kernel: TCP: MD5 Hash not found for 169.254.10.1.40233->169.254.10.2.179 [S] L3 index 0",
        "Dec  6 10:02:11 bgp1 kernel: TCP: Unexpected MD5 Hash found for 169.254.10.1.179->169.254.10.2.40233 [S.]",
    ):
        result = analyze_text(line + "\n")
        assert result.primary is not None and result.primary.category == "bgp_down", line
        assert result.primary.facts.get("peer") in ("169.254.10.1", "192.168.189.3")
        assert result.primary.facts.get("bgp_reason") == "tcp_auth"
    # the same check on another TCP service (LDP, port 646) is not BGP
    assert primary_of("kernel: TCP: MD5 Hash failed for (10.0.0.1, 646)->(10.0.0.2, 40123)\n") is None


# hwdsl2/docker-ipsec-vpn-server issue 57 as posted (the client's address masked by the poster): pluto answers Main
# Mode (MR1), the client sends its first message again and again, and pluto 3.x drops the state after its timeout with
# no other line about it. The transforms refused before the reply are the ones pluto skipped, not a refusal.
INCOMPLETE_AT_R1 = """\
Feb 22 19:01:55 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: responding to Main Mode from unknown peer xxx.xxx.xxx.xxx on port 500
Feb 22 19:01:55 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: Oakley Transform [AES_CBC (256), HMAC_SHA1, DH20] refused
Feb 22 19:01:55 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: Oakley Transform [AES_CBC (128), HMAC_SHA1, DH19] refused
Feb 22 19:01:55 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: STATE_MAIN_R1: sent MR1, expecting MI2
Feb 22 19:01:56 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1
Feb 22 19:01:57 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: retransmitting in response to duplicate packet; already STATE_MAIN_R1
Feb 22 19:02:55 63e180cacf32 pluto[2747]: "l2tp-psk"[1] xxx.xxx.xxx.xxx #1: deleting incomplete state after 60.000 seconds
"""


def test_a_state_dropped_after_its_first_reply_without_a_deletion_line_is_one_way_loss() -> None:
    primary = analyze_text(INCOMPLETE_AT_R1).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.facts.get("first_reply_timeout") == "60.000"
    # the same state got further (MR2 sent) before it was dropped: not the first reply left unanswered
    further = INCOMPLETE_AT_R1.replace(
        "#1: retransmitting in response to duplicate packet; already STATE_MAIN_R1\n",
        "#1: STATE_MAIN_R2: sent MR2, expecting MI3\n", 1)
    assert analyze_text(further).primary is None


# hwdsl2/setup-ipsec-vpn issue 1068 as posted: a road-warrior client's Child SA is up, two minutes later pluto's
# request on the IKE SA (its liveness check) goes unanswered through seven retransmissions, and the paste ends.
LIVENESS_UNANSWERED = """\
Dec 16 17:28:08 vpn pluto[184801]: "ikev2-cp"[19] 118.112.59.121 #21: established Child SA; IPsec tunnel [0.0.0.0-255.255.255.255:0-65535 0] -> [192.168.43.11-192.168.43.11:0-65535 0] {ESPinUDP=>0x08e4c279 <0x5d70c264 xfrm=AES_CBC_128-HMAC_SHA1_96 NATOA=none NATD=118.112.59.121:4500 DPD=active}
""" + "".join(
    f'Dec 16 17:30:{s:02d} vpn pluto[184801]: "ikev2-cp"[19] 118.112.59.121 #20: STATE_V2_ESTABLISHED_IKE_SA: '
    f"retransmission; will wait {w} seconds for response\n"
    for s, w in ((9, "0.5"), (9, "1"), (10, "2"), (12, "4"), (16, "8"), (24, "16"), (40, "32"))
)
# charon's DPD (sending DPD request, then its retransmissions: "retransmit %d of request with message ID %d")
CHARON_DPD_UNANSWERED = """\
Dec  6 10:00:00 gw charon: 10[IKE] <aws|3> sending DPD request
Dec  6 10:00:00 gw charon: 10[ENC] <aws|3> generating INFORMATIONAL request 12 [ ]
Dec  6 10:00:04 gw charon: 11[IKE] <aws|3> retransmit 1 of request with message ID 12
Dec  6 10:00:11 gw charon: 12[IKE] <aws|3> retransmit 2 of request with message ID 12
Dec  6 10:00:24 gw charon: 13[IKE] <aws|3> retransmit 3 of request with message ID 12
Dec  6 10:00:47 gw charon: 14[IKE] <aws|3> retransmit 4 of request with message ID 12
"""


def test_a_liveness_check_unanswered_to_the_end_of_the_log_is_read_as_its_timeout() -> None:
    for text in (LIVENESS_UNANSWERED, CHARON_DPD_UNANSWERED):
        primary = analyze_text(text).primary
        assert primary is not None and primary.category == "dpd_timeout", text
        assert primary.certainty == "guess"
        assert "unanswered to the end of the log" in str(primary.summary)
    # a short silence is packet loss as much as a peer gone: two retransmissions say nothing yet
    short = "".join(CHARON_DPD_UNANSWERED.splitlines(keepends=True)[:4])
    assert analyze_text(short).primary is None
    # an answer after the retransmissions: the peer is there
    answered = CHARON_DPD_UNANSWERED + "Dec  6 10:00:48 gw charon: 15[ENC] <aws|3> parsed INFORMATIONAL response 12 [ ]\n"
    assert analyze_text(answered).primary is None


# libreswan 4.x: its connections as added at start ('"%s": added %s connection'), then an IKE_SA_INIT it finds no
# connection for (ikev2.c: "%s message received on %s but no suitable connection found with IKEv2 policy").
NO_CONN_FOR_PEER = """\
Dec  6 10:00:00 gw pluto[1201]: "aws-1": added IKEv2 connection
Dec  6 10:00:00 gw pluto[1201]: "aws-2": added {second} connection
Dec  6 10:00:05 gw pluto[1201]: packet from 198.51.100.9:500: IKE_SA_INIT message received on 192.0.2.1:500 but no suitable connection found with IKEv2 policy
Dec  6 10:00:05 gw pluto[1201]: packet from 198.51.100.9:500: responding to IKE_SA_INIT (34) message (Message ID 0) from 198.51.100.9:500 with unencrypted notification NO_PROPOSAL_CHOSEN
"""


def test_no_connection_for_an_ikev2_request_when_every_connection_allows_ikev2_is_no_version_mismatch() -> None:
    primary = analyze_text(NO_CONN_FOR_PEER.format(second="IKEv2")).primary
    assert primary is not None and primary.category == "auth_failure"
    assert "right=" in " ".join(str(r) for r in primary.reasoning)
    # one of the connections is IKEv1: the one meant for this peer may be that one, a version mismatch is possible
    assert analyze_text(NO_CONN_FOR_PEER.format(second="IKEv1")).primary.category == "ike_version_mismatch"


# One pluto daemon's log with two tunnels: another connection's IKE and Child SA come up, then a CREATE_CHILD_SA of
# this connection is refused (the development excerpt libreswan-v2-create-child-no-proposal after
# libreswan-v2-ppk-id-missing-continue-without-ppk, as scripts/paste_robustness.py pastes them).
OTHER_TUNNEL_UP = """\
"westnet-eastnet-ipv4-psk-ppk" #501: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"westnet-eastnet-ipv4-psk-ppk" #502: initiator established Child SA using #501; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0x1a2b3c4d <0x5e6f7a8b xfrm=AES_GCM_16_256 DPD=passive}
"""
REFUSED_CHILD = """\
"{conn}" #4: CREATE_CHILD_SA request failed, responder SA processing returned NO_PROPOSAL_CHOSEN
"{conn}" #2: responding to CREATE_CHILD_SA message (ID 2) from 192.1.2.45:4500 with encrypted notification NO_PROPOSAL_CHOSEN
"""


def test_a_child_sa_refused_beside_another_tunnels_sas_is_no_rekey() -> None:
    other = analyze_text(OTHER_TUNNEL_UP + REFUSED_CHILD.format(conn="westnet-eastnet2-ikev2")).primary
    assert other is not None and other.category == "phase2_proposal_mismatch"
    # the same connection's Child SA up before: the refused CREATE_CHILD_SA replaces it
    same = analyze_text(OTHER_TUNNEL_UP + REFUSED_CHILD.format(conn="westnet-eastnet-ipv4-psk-ppk")).primary
    assert same is not None and same.category == "rekey_issue"


def test_no_acceptable_oakley_transform_is_phase_1_even_beside_another_tunnels_quick_mode() -> None:
    # pluto refuses one peer's Main Mode while it runs another connection's Quick Mode (the development excerpt
    # libreswan-v1-des-phase1-refused-no-proposal-chosen interleaved with a healthy Aggressive Mode tunnel)
    text = (
        '"west-east" #501: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP+AGGRESSIVE\n'
        '"west--east-psk" #1: no acceptable Oakley Transform\n'
        '"west-east" #502: sent Quick Mode request\n'
        '"west--east-psk" #1: sending notification NO_PROPOSAL_CHOSEN to 192.1.2.23:500\n'
        '"west-east" #502: IPsec SA established tunnel mode {ESP=>0x1a2b3c4d <0x5e6f7a8b xfrm=AES_CBC_128-HMAC_SHA1_96}\n'
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    # ... named for what it is: no Quick Mode in its sentence, and the SA another tunnel set up after it is no sign
    # that this one was fixed
    reasoning = " ".join(str(r) for r in primary.reasoning)
    assert "Quick Mode" not in reasoning and "fix may already be in" not in reasoning


# charon at log level 2 (https://pastebin.com/QjsA0XW2): the peer's first proposal lacks an encryption algorithm this
# side accepts, the next one matches (proposal.c prints "  no acceptable %N found" for each pair that fails and
# "  proposal matches" for the one chosen, both at level 2).
PROPOSAL_STEPS = """\
06[NET] sending packet: from 203.0.113.1[500] to 203.0.113.2[500] (248 bytes)
13[NET] received packet: from 203.0.113.2[500] to 203.0.113.1[500] (200 bytes)
13[IKE] received NAT-T (RFC 3947) vendor ID
13[IKE] received DPD vendor ID
13[CFG] selecting proposal:
13[CFG] no acceptable ENCRYPTION_ALGORITHM found
13[CFG] selecting proposal:
13[CFG] proposal matches
13[CFG] received proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1536
"""


def test_a_transform_refused_in_a_proposal_selection_that_then_matches_is_no_mismatch() -> None:
    assert primary_of(PROPOSAL_STEPS) is None
    # the same step in a selection that ends without a match is still read as the mismatch
    refused = PROPOSAL_STEPS.replace("13[CFG] selecting proposal:\n13[CFG] proposal matches\n", "")
    assert primary_of(refused) == "phase1_proposal_mismatch"
    assert primary_of(refused + "13[IKE] no acceptable proposal found\n") == "phase1_proposal_mismatch"


# keepalived's issue 539 (https://github.com/acassen/keepalived/issues/539), the poster's charon log: the VRRP address
# was not up yet when charon first sent IKE_SA_INIT ("error writing to socket"); once it appeared, the retransmitted
# request was answered ("received packet", process_message_job.c) and the paste ends there. (The peer's address is
# printed as the poster masked it.)
ANSWERED_RETRANSMIT = """\
15:23:04 srv-test charon: 12[CFG] received stroke: initiate 'conn1_1'
15:23:04 srv-test charon: 12[IKE] initiating IKE_SA conn1_1[1] to 20.1.1..3
15:23:04 srv-test charon: 12[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
15:23:04 srv-test charon: 12[NET] sending packet: from 10.1.1.3[500] to 20.1.1..3[500] (296 bytes)
15:23:04 srv-test charon: 03[NET] error writing to socket: Invalid argument
15:23:06 srv-test Keepalived_vrrp_vrf1[53027]: VRRP_Instance(wan) Entering MASTER STATE
15:23:06 srv-test Keepalived_vrrp_vrf1[53027]: VRRP_Instance(wan) using locally configured advertisement interval (1000 milli-sec)
15:23:06 srv-test charon: 04[KNL] 10.1.1.3 appeared on wan
15:23:08 srv-test charon: 06[IKE] retransmit 1 of request with message ID 0
15:23:08 srv-test charon: 06[NET] sending packet: from 10.1.1.3[500] to 20.1.1..3[500] (296 bytes)
15:23:08 srv-test charon: 12[NET] received packet: from 20.1.1..3[500] to 10.1.1.3[500] (341 bytes)
"""


def test_a_retransmission_followed_by_a_message_from_the_peer_was_answered() -> None:
    analysis = analyze_text(ANSWERED_RETRANSMIT)
    assert analysis.primary is None
    assert all(f.category != "peer_unreachable" for f in analysis.findings)
    # said in a note, as a failure that recovered: the request of line 9 was answered by the message of line 11
    assert analysis.recovered
    assert [str(n) for n in analysis.notes] == [
        "Line 9: this side sent a request again, and a message from the peer came in at line 11: the peer answers, "
        "one message was lost on the way. Nothing to fix unless it keeps happening."]
    # a failure after it is the diagnosis, and the lost message is not worth a note beside it
    refused = analyze_text(ANSWERED_RETRANSMIT + "15:23:08 srv-test charon: 12[IKE] received AUTHENTICATION_FAILED "
                           "notify error\n")
    assert refused.primary is not None and refused.primary.category == "auth_failure"
    assert not any("sent a request again" in str(n) for n in refused.notes)
    # the packet line is read for this only: it is no event of the analysis
    assert all("received packet" not in f.text for f in analysis.findings)
    # without the answer, or with a message from another address, the peer is silent
    unanswered = ANSWERED_RETRANSMIT.rsplit("15:23:08 srv-test charon: 12[NET]", 1)[0]
    assert primary_of(unanswered) == "peer_unreachable"
    assert primary_of(ANSWERED_RETRANSMIT.replace("from 20.1.1..3[500]", "from 198.51.100.77[500]")) == "peer_unreachable"


def test_a_message_for_another_connection_answers_no_retransmission() -> None:
    lines = """\
Dec  6 10:00:00 gw charon: 09[IKE] <aws-1|4> initiating IKE_SA aws-1[4] to 203.0.113.5
Dec  6 10:00:04 gw charon: 09[IKE] <aws-1|4> retransmit 1 of request with message ID 0
Dec  6 10:00:04 gw charon: 11[NET] <aws-2|5> received packet: from 203.0.113.5[4500] to 198.51.100.10[4500] (80 bytes)
"""
    assert primary_of(lines) == "peer_unreachable"
    assert primary_of(lines.replace("<aws-2|5>", "<aws-1|4>")) is None


def test_a_mikrotik_time_up_retyped_with_a_space_is_read() -> None:
    # hwdsl2/setup-ipsec-vpn#455: the poster typed RouterOS's message as "phase 1"; the maintainer: the traffic did
    # not reach the VPN server
    assert primary_of("phase 1 negotiation failed due to time up") == "peer_unreachable"
    assert primary_of("ipsec,error phase1 negotiation failed due to time up 198.51.100.1[500]<=>203.0.113.10[500] "
                      "1a2b3c4d5e6f7081:0000000000000000") == "peer_unreachable"


# strongSwan 5.2.1's `ipsec statusall` as a status parser's test data holds it
# (https://github.com/danos/vyatta-security-vpn/blob/2864b0bf2d652cd811881fec48cc9a7aa2210346/tests/TestData_OPMode.pm,
# @charon_ipsec_statusall_init_down; the spaces that end two lines dropped): this side started Main Mode and the
# responder's SPI is still zero.
STATUSALL_CONNECTING = """\
Connections:
peer-192.168.100.6-tunnel-1:  192.168.100.7...192.168.100.6  IKEv1
peer-192.168.100.6-tunnel-1:   local:  [192.168.100.7] uses pre-shared key authentication
peer-192.168.100.6-tunnel-1:   remote: [192.168.100.6] uses pre-shared key authentication
peer-192.168.100.6-tunnel-1:   child:  192.168.248.0/24 === 192.168.40.0/24 TUNNEL
Security Associations (1 up, 0 connecting):
peer-192.168.100.6-tunnel-1[1]: CONNECTING, 192.168.100.7[%any]...192.168.100.6[%any]
peer-192.168.100.6-tunnel-1[1]: IKEv1 SPIs: cbbafc95affa94fc_i* 0000000000000000_r
peer-192.168.100.6-tunnel-1[1]: Tasks queued: QUICK_MODE
peer-192.168.100.6-tunnel-1[1]: Tasks active: ISAKMP_VENDOR ISAKMP_CERT_PRE MAIN_MODE ISAKMP_CERT_POST ISAKMP_NATD
"""


def test_a_charon_status_listing_waiting_for_the_first_answer_is_read_as_a_snapshot() -> None:
    analysis = analyze_text(STATUSALL_CONNECTING)
    assert analysis.format == "strongswan"
    primary = analysis.primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.chain[0].line == 8
    reasoning = " ".join(str(r) for r in primary.reasoning)
    assert "responder SPI is still zero" in reasoning and "A listing is one moment" in reasoning
    # the same IKE SA once the peer answered (its SPI is known), and the same listing from swanctl --list-sas
    answered = STATUSALL_CONNECTING.replace("0000000000000000_r", "624b9b54d221f51e_r")
    assert primary_of(answered) is None
    assert primary_of("peer-192.168.100.6-tunnel-1: #1, CONNECTING, IKEv1, cbbafc95affa94fc_i* 0000000000000000_r\n"
                      "  local  '192.168.100.7' @ 192.168.100.7[500]\n"
                      "  remote '192.168.100.6' @ 192.168.100.6[500]\n") == "peer_unreachable"
    # the peer's own IKE SA (the star on its side) is not one this side waits on
    assert primary_of(STATUSALL_CONNECTING.replace("cbbafc95affa94fc_i* 0000000000000000_r",
                                                   "cbbafc95affa94fc_i 0000000000000000_r*")) is None


# A libreswan 3.x debug paste (plutodebug, https://pastebin.com/b8t7rSyd): the peer's notification carries Protocol-ID 3,
# ESP, and a 4-byte SPI: it refuses an IPsec SA's proposal (RFC 2408 section 3.14), though state #10 is named nowhere
# else in the paste.
NOTIFY_FOR_ESP = """\
Oct 26 03:55:46.004479: | next payload type: ISAKMP_NEXT_N (0xb)
Oct 26 03:55:46.004486: | length: 24 (0x18)
Oct 26 03:55:46.004493: | got payload 0x800 (ISAKMP_NEXT_N) needed: 0x0opt: 0x0
Oct 26 03:55:46.004501: | ***parse ISAKMP Notification Payload:
Oct 26 03:55:46.004507: | next payload type: ISAKMP_NEXT_NONE (0x0)
Oct 26 03:55:46.004513: | length: 66 (0x42)
Oct 26 03:55:46.004520: | DOI: ISAKMP_DOI_IPSEC (0x1)
Oct 26 03:55:46.004526: | protocol ID: 3 (0x3)
Oct 26 03:55:46.004532: | SPI size: 4 (0x4)
Oct 26 03:55:46.004539: | Notify Message Type: NO_PROPOSAL_CHOSEN (0xe)
Oct 26 03:55:46.004545: | removing 6 bytes of padding
Oct 26 03:55:46.004555: "myvpn" #10: ignoring informational payload NO_PROPOSAL_CHOSEN, msgid=00000000, length=66
Oct 26 03:55:46.004561: | ISAKMP Notification Payload
Oct 26 03:55:46.004567: | 00 00 00 42 00 00 00 01 03 04 00 0e
Oct 26 03:55:46.004574: | info: 51 d3 40 26 80 0c 00 01 00 06 00 22 43 6f 75 6c
Oct 26 03:55:46.004580: | info: 64 20 6e 6f 74 20 66 69 6e 64 20 61 63 63 65 70
Oct 26 03:55:46.004586: | info: 74 61 62 6c 65 20 70 72 6f 70 6f 73 61 6c 00 08
Oct 26 03:55:46.004592: | info: 00 04 69 77 e6 4f
Oct 26 03:55:46.004599: | processing informational NO_PROPOSAL_CHOSEN (14)
"""


def test_a_dumped_notification_for_esp_is_about_phase_2() -> None:
    analysis = analyze_text(NOTIFY_FOR_ESP)
    assert analysis.primary is not None and analysis.primary.category == "phase2_proposal_mismatch"
    assert analysis.primary.facts["sa"] == "child"
    assert ("Line 8: the notification's Protocol-ID is ESP: it is about an IPsec SA, phase 2 (RFC 2408 section 3.14), "
            "also where the paste does not show the Quick Mode it answers.") in analysis.primary.reasoning_in("en")
    # newest first (a web GUI's order) and without time stamps, read the same, naming the line as pasted
    lines = NOTIFY_FOR_ESP.splitlines()
    newest_first = analyze_text("\n".join(reversed(lines)) + "\n").primary
    assert newest_first is not None and newest_first.category == "phase2_proposal_mismatch"
    assert any(r.startswith("Line 12: the notification's Protocol-ID is ESP") for r in newest_first.reasoning_in("en"))
    assert primary_of("\n".join(line.split(": ", 1)[1] for line in lines) + "\n") == "phase2_proposal_mismatch"
    # the Protocol-ID line is read for its notification only: it is no finding and no line of the chain
    assert all("protocol ID" not in f.text for f in analysis.findings)
    assert [f.line for f in analysis.primary.chain] == sorted(f.line for f in analysis.primary.chain)
    # ISAKMP's own Protocol-ID decides nothing (some peers send it for phase 2 refusals too): read as before
    isakmp = NOTIFY_FOR_ESP.replace("protocol ID: 3 (0x3)", "protocol ID: 1 (0x1)")
    assert primary_of(isakmp) == primary_of(NOTIFY_FOR_ESP.replace("| protocol ID: 3 (0x3)\n", "| \n")) \
        == "phase1_proposal_mismatch"
    # a Delete payload's Protocol-ID two lines above something else says nothing about a notification
    delete = NOTIFY_FOR_ESP.replace("| ***parse ISAKMP Notification Payload:", "| ***parse ISAKMP Delete Payload:") \
        .replace("| SPI size: 4 (0x4)\n", "| SPI size: 4 (0x4)\nOct 26 03:55:46.004532: | number of SPIs: 1 (0x1)\n")
    assert primary_of(delete) == "phase1_proposal_mismatch"


# pyikev2's issue 30 (https://github.com/alejandro-perez/pyikev2/issues/30), its log as the reporter posted it: the peer's
# CREATE_CHILD_SA proposal had no DH transform while pyikev2's asked for DH 14 (the maintainer: RFC 7296 section 2.7,
# no match). Every line starts with its IKE SA ("IKE_SA: <SPI>."); the exchange the line names decides the phase.
CREATE_CHILD_REFUSED = """\
[2021-11-07 08:47:22.276] [WARNING] IKE_SA: bb36586ae47d3325. CHILD_SA negotiation failed. Could not find a suitable matching Proposal
[2021-11-07 08:47:22.276] [INFO   ] IKE_SA: bb36586ae47d3325. Sent CREATE_CHILD_SA response (80 bytes) to 192.168.22.90 [N(NO_PROPOSAL_CHOSEN)]
"""


def test_a_refusal_in_a_line_that_names_create_child_sa_is_phase_2_beside_the_ike_sa_label() -> None:
    assert primary_of(CREATE_CHILD_REFUSED) == "phase2_proposal_mismatch"
    assert primary_of(CREATE_CHILD_REFUSED.replace("CREATE_CHILD_SA", "IKE_SA_INIT")) == "phase1_proposal_mismatch"
    # a CREATE_CHILD_SA that rekeys the IKE SA is about the IKE SA's proposals: the words decide nothing then
    rekey = CREATE_CHILD_REFUSED.replace("Sent CREATE_CHILD_SA response", "Sent CREATE_CHILD_SA response rekeying IKE_SA")
    assert primary_of(rekey) == "phase1_proposal_mismatch"


# hwdsl2/setup-ipsec-vpn#1120: the strongSwan Android client's log. The server deletes the IKE SA, the client starts a
# new one at once and the server answers its IKE_SA_INIT; the paste ends there.
ANDROID_DELETE_RESTART = """\
Mar 11 03:12:57 16[NET] received packet: from *[4500] to 192.168.1.172[43971] (80 bytes)
Mar 11 03:12:57 16[ENC] parsed INFORMATIONAL request 3 [ D ]
Mar 11 03:12:57 16[IKE] received DELETE for IKE_SA android[30]
Mar 11 03:12:57 16[IKE] deleting IKE_SA android[30] between 192.168.1.172[CN=mi9t, O=IKEv2 VPN]...*[*]
Mar 11 03:12:57 16[DMN] setting up TUN device without DNS
Mar 11 03:12:58 16[DMN] successfully created TUN device without DNS
Mar 11 03:12:58 16[IKE] installing new virtual IP 192.168.43.10
Mar 11 03:12:58 16[IKE] restarting CHILD_SA android
Mar 11 03:12:58 16[IKE] initiating IKE_SA android[31] to *
Mar 11 03:12:58 16[ENC] generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]
Mar 11 03:12:58 16[NET] sending packet: from 192.168.1.172[37284] to *[500] (464 bytes)
Mar 11 03:12:58 16[IKE] IKE_SA deleted
Mar 11 03:12:58 16[ENC] generating INFORMATIONAL response 3 [ ]
Mar 11 03:12:58 16[NET] sending packet: from 192.168.1.172[43971] to *[4500] (80 bytes)
Mar 11 03:12:58 06[NET] received packet: from *[500] to 192.168.1.172[37284] (465 bytes)
Mar 11 03:12:58 06[ENC] parsed IKE_SA_INIT response 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) CERTREQ ]
"""


def test_a_new_ike_sa_started_and_answered_after_the_peers_delete_is_not_nobody_set_it_up() -> None:
    from lab.i18n import render

    a = analyze_text(ANDROID_DELETE_RESTART)
    assert a.primary is not None and a.primary.category == "ike_sa_deleted_by_peer"
    text = " ".join(render(r, "en") for r in (a.primary.summary, *a.primary.reasoning))
    assert "nobody set the tunnel up again" not in text
    assert "Line 9: this side started a new IKE SA" in text and "answered it at line 16" in text
    # cut before the peer's answer, the paste shows this side starting again and ends there
    cut = "".join(ANDROID_DELETE_RESTART.splitlines(keepends=True)[:14])
    cut_text = " ".join(render(r, "en") for r in analyze_text(cut).primary.reasoning)
    assert "this side started IKE again after the Delete; the log ends before the peer answered it" in cut_text
    assert "AWS does not start IKE itself" not in cut_text


# libreswan/libreswan#635 (libreswan 4.x): pluto deletes its own IKE SA while still waiting for the IKE_AUTH answer
# (STATE_V2_PARENT_I2) and revives the connection with its fixed words "which received a Delete/Notify": no IKE SA
# was up, so no Delete of the peer's ended it.
LIBRESWAN_HALF_OPEN_REVIVAL = """\
Feb  9 09:43:43.985995: "elvis"[1] 82.138.51.188 #1: deleting state (STATE_V2_PARENT_I2) aged 8.506636s and NOT sending notification
Feb  9 09:43:43.986738: "elvis"[1] 82.138.51.188 #1: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
Feb  9 09:43:43.992478: "elvis"[1] 82.138.51.188: initiating connection 'elvis' with serial $2 which received a Delete/Notify but must remain up per local policy
Feb  9 09:43:52.591180: "elvis"[1] 82.138.51.188 #2: deleting state (STATE_V2_PARENT_I2) aged 8.605537s and NOT sending notification
Feb  9 09:43:52.591461: "elvis"[1] 82.138.51.188 #2: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
Feb  9 09:43:52.591522: "elvis"[1] 82.138.51.188: deleting connection instance with peer 82.138.51.188 {isakmp=#0/ipsec=#0}
"""


def test_a_revival_after_pluto_deleted_its_own_half_open_ike_sa_is_no_peers_delete() -> None:
    assert primary_of(LIBRESWAN_HALF_OPEN_REVIVAL) != "ike_sa_deleted_by_peer"
    # the same revival after an established IKE SA's state is deleted stays the peer's Delete (a guess or firmer)
    up = LIBRESWAN_HALF_OPEN_REVIVAL.replace("STATE_V2_PARENT_I2", "STATE_V2_ESTABLISHED_IKE_SA")
    assert primary_of(up) == "ike_sa_deleted_by_peer"
