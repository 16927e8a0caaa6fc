"""The BGP catalogue: the daemons' own message strings read into a `bgp_down` / `bgp_up` event with the reason as a
fact (`bgp_reason`, the NOTIFICATION's code/subcode and RFC name, who sent it, the ASNs of a bad OPEN), and the
diagnosis saying which reason it is and what to check.

Lines are quoted from the development excerpts of the real-log corpus (`datasets/real-logs/dev`, URLs in
`corpus.yaml`), from napalm-logs' test messages (Junos, Arista:
https://github.com/napalm-automation/napalm-logs/tree/1778d79ccd0eaa0d5205d369637e8f557365fa65/tests/config), or
written in the daemons' message formats from their sources at a fixed commit:
FRR https://github.com/FRRouting/frr/blob/fbfc8222da75dff28696b0d17f257cdf0808ba21/bgpd/bgp_fsm.c (peer_down_str,
%ADJCHANGE) and bgpd/bgp_debug.c (%NOTIFICATION, notification texts); BIRD
https://github.com/CZ-NIC/bird/blob/639423360c8006aef492a25444535320a882a8b3/proto/bgp/packets.c (bgp_msg_table,
bgp_log_error) and proto/bgp/bgp.c ("Connection lost (%M)"); OpenBGPD
https://github.com/openbsd/src/blob/06af690f26fdd4a12253880e6a6c9456b682ebb9/usr.sbin/bgpd/logmsg.c (state changes,
notifications) with the names of bgpd.h, and session.c ("peer sent wrong AS", "connect"); MetalLB's native speaker
("unexpected peer ASN %d, want %d"). Addresses of the written lines are AWS inside addresses or RFC 5737 ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text, bgp
from lab.i18n import render

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def primary_of(text: str):
    return analyze_text(text).primary


def reversed_lines(text: str) -> str:
    return "\n".join(reversed(text.strip().splitlines())) + "\n"


# ---- the reason read from one line ---------------------------------------------------------------------------

# FRR: "%%ADJCHANGE: neighbor %pBP in vrf %s Down %s" with each peer_down_str entry it prints.
FRR_DOWN = "2024/01/15 03:12:40 BGP: [RZMGQ-A03CG] %ADJCHANGE: neighbor 169.254.21.1(Unknown) in vrf default Down {}"


@pytest.mark.parametrize(
    ("reason_text", "reason"),
    [
        ("BGP Notification received", "notification"),
        ("BGP Notification send", "notification"),
        ("Peer closed the session", "peer_closed"),
        ("Interface down", "interface_down"),
        ("BFD down initiated", "bfd_down"),
        ("User reset", "admin_reset"),
        ("Admin. shutdown", "admin_shutdown"),
        ("Neighbor deleted", "peer_not_configured"),
        ("Remote AS changed", "config_change"),
        ("Router ID changed", "config_change"),
        ("Cease: peer de-configured", "peer_not_configured"),
        ("Cease: connection rejected", "peer_not_configured"),
        ("Cease: other config change", "config_change"),
        ("Password config change", "tcp_auth"),
        ("Socket Error", "peer_closed"),
        ("No path to specified Neighbor", "interface_down"),
    ],
)
def test_frr_adjchange_down_reasons(reason_text: str, reason: str) -> None:
    assert bgp.reason_of(FRR_DOWN.format(reason_text)) == reason


@pytest.mark.parametrize(
    ("line", "code", "reason", "error"),
    [
        # Cisco IOS (corpus dev excerpts) and FRR's %NOTIFICATION
        ("*Jul 4 13:47:13.106: %BGP-3-NOTIFICATION: sent to neighbor 192.168.12.1 active 2/2 (peer in wrong AS) "
         "2 bytes 0064", (2, 2), "bad_peer_as", "OPEN Message Error / Bad Peer AS"),
        ("*Mar 1 00:40:31.483: %BGP-3-NOTIFICATION: sent to neighbor 4/0 (hold", (4, 0), "hold_timer_expired",
         "Hold Timer Expired"),
        ("2021/12/02 11:46:04.740 BGP: %NOTIFICATION: received from neighbor 172.18.0.4 6/6 (Cease/Other "
         "Configuration Change) 0 bytes ", (6, 6), "config_change", "Cease / Other Configuration Change"),
        ("*Nov 16 10:47:30.973: %BGP-3-NOTIFICATION_MANY: sent to 1 sessions 6/4 (Administrative Reset) for all "
         "peers", (6, 4), "admin_reset", "Cease / Administrative Reset"),
        # Junos rpd (napalm-logs test messages)
        ("<87>Jul  5 05:52:44  vmx01 rpd[1848]: bgp_read_message:2764: NOTIFICATION received from 1.2.3.4 "
         "(External AS 1234): code 6 (Cease) subcode 5 (Connection Rejected)", (6, 5), "peer_not_configured",
         "Cease / Connection Rejected"),
        ("<172>2020-03-31T08:41:59+00:00 some-switch rpd[4936]: bgp_pp_recv:4609: NOTIFICATION sent to "
         "10.37.96.6+44759 (proto): code 2 (Open Message Error) subcode 2 (bad peer AS number), Reason: no group "
         "for 10.37.96.6+44759 (proto) from AS 4292019902 found (peer as mismatch) in master(ae1.0), dropping him",
         (2, 2), "bad_peer_as", "OPEN Message Error / Bad Peer AS"),
        # GoBGP and MetalLB (corpus dev excerpts)
        ('2024-04-24T17:37:12.600Z time="2024-04-24T17:37:12Z" level=warning msg="received notification" Code=4 '
         'Data="[]" Key=240.64.112.200 Subcode=0 Topic=Peer', (4, 0), "hold_timer_expired", "Hold Timer Expired"),
        ('{"caller":"bgp.go:408","error":"got BGP notification code 0x0400 (unknown code)",', (4, 0),
         "hold_timer_expired", "Hold Timer Expired"),
        # ExaBGP reactor/peer/peer.py: "peer reset, message [notification sent (%d,%d)] error[<code> / <subcode>]"
        ("14:02:11 | 4211   | reactor       | peer 169.254.21.1 ASN 64512   peer reset, message [notification sent "
         "(4,0)] error[Hold timer expired / Unspecific]", (4, 0), "hold_timer_expired", "Hold Timer Expired"),
        # AWS's own BGP log wording
        ("AWS-side peer received a notification 6/2 (Cease/Administrative Shutdown) from neighbor 169.254.10.2",
         (6, 2), "admin_shutdown", "Cease / Administrative Shutdown"),
    ],
)
def test_notification_code_subcode_and_meaning(line: str, code: tuple[int, int], reason: str, error: str) -> None:
    assert bgp.notification_of(line) == code
    facts = bgp.read(line)
    assert facts["bgp_reason"] == reason
    assert facts["bgp_error"] == error
    assert facts["bgp_notification"] == f"{code[0]}/{code[1]}"


@pytest.mark.parametrize(
    ("line", "reason", "direction"),
    [
        # BIRD: "Error:" is the NOTIFICATION BIRD sent, "Received:" the neighbor's (packets.c bgp_log_error)
        ("Sep 10 00:51:53 vpn03 bird6[19663]: icvpn_rhein_neckar: Error: Bad peer AS: 76118", "bad_peer_as", "sent"),
        ("2021-03-05 10:45:13.612 <RMT> bgp1: Received: Hold timer expired", "hold_timer_expired", "received"),
        ("2024-05-02 08:35:42.981 <RMT> aws_t1: Received: Unacceptable hold time: 2", "open_error", "received"),
        ("2024-05-02 08:35:42.981 <RMT> aws_t1: Received: Peer de-configured", "peer_not_configured", "received"),
        # OpenBGPD: errnames / suberr_*_names
        ("Mar  2 04:10:11 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): received notification: HoldTimer "
         "expired", "hold_timer_expired", "received"),
        ("Mar  2 04:12:03 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): sent notification: error in OPEN "
         "message, AS unacceptable", "bad_peer_as", "sent"),
        ("Mar  2 04:12:03 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): received notification: Cease, "
         "administrative reset", "admin_reset", "received"),
    ],
)
def test_daemon_wordings_give_the_reason_and_who_sent_it(line: str, reason: str, direction: str) -> None:
    facts = bgp.read(line)
    assert facts["bgp_reason"] == reason
    assert facts["direction"] == direction


@pytest.mark.parametrize(
    ("reason_text", "reason"),
    [
        # GoBGP pkg/server/fsm.go (fsmStateReason.String), commit b7d523b6b3e5339b6567478d475fa3cf378560f8
        ("hold-timer-expired", "hold_timer_expired"),
        ("bad-peer-as", "bad_peer_as"),
        ("admin-down", "admin_shutdown"),
        ("read-failed", "peer_closed"),
        ("write-failed", "peer_closed"),
        ("hard-reset", "admin_reset"),
        ("idle-hold-timer-expired", None),
    ],
)
def test_gobgp_peer_down_reasons(reason_text: str, reason: str | None) -> None:
    line = (f'time="2024-04-24T17:22:11Z" level=info msg="Peer Down" Key=169.254.21.1 Reason={reason_text} '
            "State=BGP_FSM_ESTABLISHED Topic=Peer")
    assert bgp.reason_of(line) == reason


def test_bad_open_asns_are_read_from_whichever_side_reports_them() -> None:
    # Sent: this side refused the peer's OPEN, whose AS is the data (0x0064 = 100).
    sent = bgp.read("*Jul 4 13:47:13.106: %BGP-3-NOTIFICATION: sent to neighbor 192.168.12.1 active 2/2 "
                    "(peer in wrong AS) 2 bytes 0064")
    assert sent["peer_open_asn"] == 100 and sent["direction"] == "sent"
    # Received: the peer refused this side's OPEN and echoes the AS this side announced (0xFF78 = 65400).
    received = bgp.read("*Dec  3 02:09:00.808: %BGP-3-NOTIFICATION: received from neighbor 10.12.1.2 active 2/2 "
                        "(peer in wrong AS) 2 bytes FF78")
    assert received["own_open_asn"] == 65400 and received["direction"] == "received"
    # BIRD prints the AS in decimal; OpenBGPD and MetalLB say it in words.
    assert bgp.read("bird: aws_t1: Error: Bad peer AS: 64512")["peer_open_asn"] == 64512
    assert bgp.read("neighbor 169.254.21.1 (aws-tunnel1): peer sent wrong AS 64512")["peer_open_asn"] == 64512


# ---- whole excerpts: the diagnosis and its facts -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason", "node"),
    [
        ("bird-bad-peer-as-old-asn-over-icvpn", "bad_peer_as", "tunnel-down/d-bgp-asn"),
        ("bird-bgp-hold-timer-expired-slow-reconfigure", "hold_timer_expired", "tunnel-down/d-bgp-hold-timer"),
        ("cisco-ios-bgp-open-peer-in-wrong-as", "bad_peer_as", "tunnel-down/d-bgp-asn"),
        ("cisco-ios-bgp-local-as-changed-peer-in-wrong-as-two-sided", "bad_peer_as", "tunnel-down/d-bgp-asn"),
        ("cisco-ios-bgp-hold-time-two-sided", "hold_timer_expired", "tunnel-down/d-bgp-hold-timer"),
        ("frr-hold-timer-received-sendq-stuck", "hold_timer_expired", "tunnel-down/d-bgp-hold-timer"),
        ("frr-cease-other-configuration-change", "config_change", "tunnel-down/bgp-cause"),
        ("gobgp-hold-timer-expired-newest-first", "hold_timer_expired", "tunnel-down/d-bgp-hold-timer"),
        ("metallb-bgp-hold-timer-notification", "hold_timer_expired", "tunnel-down/d-bgp-hold-timer"),
        ("openbgpd-peer-closes-in-opensent-peer-misconfiguration", "peer_closed_after_open", "tunnel-down/bgp-cause"),
        ("openbgpd-peer-closes-in-opensent-side-not-yet-configured", "peer_closed_after_open", "tunnel-down/bgp-cause"),
    ],
)
def test_dev_excerpts_name_the_reason_in_either_order(name: str, reason: str, node: str) -> None:
    text = (DEV / f"{name}.log").read_text()
    for variant in (text, reversed_lines(text)):
        primary = primary_of(variant)
        assert primary is not None and primary.category == "bgp_down", name
        assert primary.facts["bgp_reason"] == reason, name
        assert primary.tree_node == node, name


def test_admin_reset_that_comes_back_up_is_nothing_to_fix() -> None:
    text = (DEV / "cisco-ios-bgp-admin-reset-recovers.log").read_text()
    assert primary_of(text) is None
    assert primary_of(reversed_lines(text)) is None


def test_admin_reset_that_stays_down_is_bgp_down_and_says_so() -> None:
    text = """\
*Nov 16 10:47:30.973: %BGP-3-NOTIFICATION_MANY: sent to 1 sessions 6/4 (Administrative Reset) for all peers
*Nov 16 10:47:30.976: %BGP-5-ADJCHANGE: neighbor 10.0.2.10 Down User reset
"""
    primary = primary_of(text)
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts["bgp_reason"] == "admin_reset"
    assert any("on purpose" in line for line in primary.reasoning_in("en"))


BIRD_REFUSED = """\
2024-05-02 08:35:40.113 <TRACE> aws_t1: Connecting to 169.254.21.1 from local address 169.254.21.2
2024-05-02 08:35:40.113 <TRACE> aws_t1: Connection lost (Connection refused)
2024-05-02 08:35:45.201 <TRACE> aws_t1: Connecting to 169.254.21.1 from local address 169.254.21.2
2024-05-02 08:35:45.202 <TRACE> aws_t1: Connection lost (Connection refused)
"""


def test_connection_refused_that_never_comes_up_is_tcp_179_refused() -> None:
    primary = primary_of(BIRD_REFUSED)
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts["bgp_reason"] == "connection_refused"
    assert "179" in primary.summary


def test_frr_connect_failed_is_tcp_179_refused_until_the_session_comes_up() -> None:
    # bgp_fsm.c: "%s [Event] Connect failed %d(%s) for connection %s", then "%ADJCHANGE: ... Up"
    refused = ("2024/01/15 03:10:02 BGP: [ZWCSR-M7FG9] 169.254.21.1 [Event] Connect failed 111(Connection refused) "
               "for connection outgoing\n")
    primary = primary_of(refused * 3)
    assert primary is not None and primary.facts["bgp_reason"] == "connection_refused"
    up = "2024/01/15 03:10:40 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 169.254.21.1(Unknown) in vrf default Up\n"
    assert primary_of(refused * 3 + up) is None


def test_connection_refused_while_the_neighbor_starts_then_up_is_no_alarm() -> None:
    text = BIRD_REFUSED + "2024-05-02 08:35:50.310 <TRACE> aws_t1: BGP session established\n"
    assert primary_of(text) is None
    openbgpd = """\
Mar  2 04:09:40 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): state change Idle -> Connect, reason: Start
Mar  2 04:09:41 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): connect: Connection refused
Mar  2 04:09:41 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): state change Connect -> Active, reason: Connection open failed
Mar  2 04:10:11 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): state change Active -> OpenSent, reason: Connection opened
Mar  2 04:10:11 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): state change OpenSent -> OpenConfirm, reason: OPEN message received
Mar  2 04:10:11 obgp bgpd[5123]: neighbor 169.254.21.1 (aws-tunnel1): state change OpenConfirm -> Established, reason: KEEPALIVE message received
"""
    assert primary_of(openbgpd) is None


def test_junos_session_coming_up_is_healthy_and_going_down_names_the_event() -> None:
    # napalm-logs' RPD_BGP_NEIGHBOR_STATE_CHANGED test messages, in the order a session comes up.
    up = """\
<28>Jun 21 14:03:12  vmx01 rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from Idle to Connect (event Start) (instance master)
<28>Jun 21 14:03:12  vmx01 rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from Connect to OpenSent (event Open) (instance master)
<28>Jun 21 14:03:12  vmx01 rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from OpenSent to OpenConfirm (event RecvOpen) (instance master)
<28>Jun 21 14:03:12  vmx01 rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS 2222) changed state from OpenConfirm to Established (event RecvKeepAlive) (instance master)
"""
    assert primary_of(up) is None
    down = ("<28>Jun 21 14:03:12  vmx01 rpd[2902]: RPD_BGP_NEIGHBOR_STATE_CHANGED: BGP peer 1.1.1.1 (External AS "
            "2222) changed state from Established to Idle (event HoldTime) (instance master)\n")
    primary = primary_of(up + down)
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts["bgp_reason"] == "hold_timer_expired"
    assert primary.facts["configured_peer_asn"] == 2222


def test_junos_connection_rejected_by_an_unconfigured_neighbor() -> None:
    text = ("<87>Jul  5 05:52:44  vmx01 rpd[1848]: bgp_read_message:2764: NOTIFICATION received from 1.2.3.4 "
            "(External AS 1234): code 6 (Cease) subcode 5 (Connection Rejected)\n")
    result = analyze_text(text)
    assert result.format == "juniper"
    assert result.primary is not None and result.primary.category == "bgp_down"
    assert result.primary.facts["bgp_reason"] == "peer_not_configured"
    assert result.primary.facts["direction"] == "received"
    assert result.primary.facts["bgp_error"] == "Cease / Connection Rejected"


def test_frr_bad_open_gives_both_asns_with_a_syslog_prefix() -> None:
    text = "Oct  3 10:11:12 vyos bgpd[1021]: 169.254.44.1 bad OPEN, remote AS is 64512, expected 65000\n"
    primary = primary_of(text)
    assert primary is not None and primary.tree_node == "tunnel-down/d-bgp-asn"
    assert primary.facts["peer_open_asn"] == 64512 and primary.facts["configured_peer_asn"] == 65000
    assert any("AS 64512" in line and "65000" in line for line in primary.reasoning_in("en"))


def test_metallb_unexpected_peer_asn() -> None:
    text = ('{"caller":"native.go:412","error":"unexpected peer ASN 64512, want 64513","level":"error",'
            '"localASN":64513,"msg":"failed to connect to peer","peer":"172.18.0.5:179","peerASN":64513}\n')
    primary = primary_of(text)
    assert primary is not None and primary.facts["bgp_reason"] == "bad_peer_as"
    assert primary.facts["peer_open_asn"] == 64512 and primary.facts["configured_peer_asn"] == 64513


def test_flapping_session_says_it_came_back() -> None:
    text = (DEV / "cisco-ios-bgp-hold-time-two-sided.log").read_text()
    primary = primary_of(text)
    assert primary is not None
    assert any("came up again" in line for line in primary.reasoning_in("en"))


def test_bgp_reasoning_is_in_korean_too() -> None:
    primary = primary_of((DEV / "cisco-ios-bgp-open-peer-in-wrong-as.log").read_text())
    assert primary is not None
    korean = primary.reasoning_in("ko")
    assert any("AS 100" in line and "NOTIFICATION 2/2" in line and "거부" in line for line in korean)
    assert "BGP 다운" in render(primary.summary, "ko")


def test_json_carries_the_reason_facts() -> None:
    text = (DEV / "frr-hold-timer-received-sendq-stuck.log").read_text()
    data = analyze_text(text).to_json()
    facts = data["primary"]["facts"]
    assert facts["bgp_reason"] == "hold_timer_expired"
    assert facts["bgp_notification"] == "4/0" and facts["direction"] == "received"
    assert any(f["facts"].get("bgp_reason") == "hold_timer_expired" for f in data["findings"])


def test_a_gateways_own_log_never_fills_the_aws_side_asn_facts() -> None:
    """AWS's log says remote AS (the customer gateway's OPEN) and expected AS (the customer gateway resource's) from
    the AWS side, and the fix names them so; the customer gateway's own log says the same words the other way round
    (its remote is the Amazon side), so it gives them under its own names."""
    for text in (
        "Oct  3 10:11:12 vyos bgpd[1021]: 169.254.44.1 bad OPEN, remote AS is 64512, expected 65000\n",
        (DEV / "cisco-ios-bgp-open-peer-in-wrong-as.log").read_text(),
        (DEV / "cisco-ios-bgp-local-as-changed-peer-in-wrong-as-two-sided.log").read_text(),
        (DEV / "bird-bad-peer-as-old-asn-over-icvpn.log").read_text(),
    ):
        result = analyze_text(text)
        assert result.primary is not None
        for facts in [result.primary.facts] + [f.facts for f in result.findings]:
            assert not {"remote_asn", "expected_asn", "local_asn"} & set(facts), facts
    aws = analyze_text('{"resource_id":"vpn-0a1b2c3d4e5f60718_52.10.20.30","type":"BGPStatus","status":"DOWN",'
                       '"message":{"details":"AWS-side peer detected a bad OPEN message from neighbor 169.254.44.2 - '
                       'remote AS is 65010, expected 65000"}}\n')
    assert aws.primary is not None
    assert aws.primary.facts["remote_asn"] == 65010 and aws.primary.facts["expected_asn"] == 65000
    assert any("AS 65010" in line and "65000" in line for line in aws.primary.reasoning_in("en"))


FRR_ADMIN_RESET = """\
2024/01/15 03:20:11 BGP: [HZN6M-XRM1G] %NOTIFICATION: received from neighbor 169.254.21.1 6/4 (Cease/Administrative Reset) 0 bytes
2024/01/15 03:20:11 BGP: 169.254.21.1 [FSM] Receive_NOTIFICATION_message (Established->Clearing), fd 28
2024/01/15 03:20:11 BGP: 169.254.21.1 went from Established to Clearing
2024/01/15 03:20:11 BGP: [RZMGQ-A03CG] %ADJCHANGE: neighbor 169.254.21.1(Unknown) in vrf default Down BGP Notification received
"""


def test_frr_lines_that_follow_an_admin_reset_are_the_same_reset() -> None:
    # The peer's Cease 6/4 comes first; FRR's FSM and ADJCHANGE lines after it give no reason of their own.
    up = "2024/01/15 03:20:20 BGP: [N9HHH-F8H1M] %ADJCHANGE: neighbor 169.254.21.1(Unknown) in vrf default Up\n"
    assert primary_of(FRR_ADMIN_RESET + up) is None
    assert primary_of(reversed_lines(FRR_ADMIN_RESET + up)) is None
    stays_down = primary_of(FRR_ADMIN_RESET)
    assert stays_down is not None and stays_down.facts["bgp_reason"] == "admin_reset"
    # A hold timer after the session came back is a new failure.
    hold = ("2024/01/15 03:40:11 BGP: [HZN6M-XRM1G] %NOTIFICATION: sent to neighbor 169.254.21.1 4/0 (Hold Timer "
            "Expired) 0 bytes\n")
    again = primary_of(FRR_ADMIN_RESET + up + hold)
    assert again is not None and again.facts["bgp_reason"] == "hold_timer_expired"
