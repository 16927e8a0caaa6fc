"""Listings. Proposal listings printed one item a line: Cisco IOS's debug crypto isakmp lists the peer's offer attribute
by attribute while it checks it, and the analyzer reads those lines together into the proposals received. Counters,
settings and statistics tables of show outputs, and a login to the device itself, name no tunnel failure."""

from __future__ import annotations

import pytest

from lab import PROJECT_DIR
from lab.analyzer import analyze_text
from lab.triage import fixes

# Cisco's own IPsec troubleshooting appendix, "Transform Set Mismatch; Tunnel Initiated From CE1", as CE1 printed it
# (https://docstore.mik.ua/univercd/cc/td/doc/product/vpn/solution/aswan15/omt/omt_apb.htm): the router accepts the
# peer's ISAKMP transform, so phase 1 goes on and nothing is refused.
IOS_ACCEPTED = """\
00:27:07: ISAKMP (0:2): beginning Main Mode exchange
00:27:07: ISAKMP (0:2): sending packet to 10.15.58.38 (I) MM_NO_STATE
00:27:07: ISAKMP (0:2): received packet from 10.15.58.38 (I) MM_NO_STATE
00:27:07: ISAKMP (0:2): processing SA payload. message ID = 0
00:27:07: ISAKMP (0:2): found peer pre-shared key matching 10.15.58.38
00:27:07: ISAKMP (0:2): Checking ISAKMP transform 1 against priority 10 policy
00:27:07: ISAKMP: encryption DES-CBC
00:27:07: ISAKMP: hash MD5
00:27:07: ISAKMP: default group 1
00:27:07: ISAKMP: . auth pre-share
00:27:07: ISAKMP (0:2): atts are acceptable. Next payload is 0
"""

# A Cisco 3640 (IOS 12.2(23a)) refusing a racoon peer's Quick Mode offer, from the 2005 blog post "Getting Cisco IOS &
# Racoon IPSec to play ball" (simonm), as a public repository keeps it; the post's blank lines and bold markup removed.
IOS_QUICK_MODE_REFUSED = """\
ISAKMP (0:1): Checking IPSec proposal 1
ISAKMP: transform 1, ESP_3DES
ISAKMP: attributes in transform:
ISAKMP: SA life type in seconds
ISAKMP: SA life duration (basic) of 28800
ISAKMP: encaps is 1
ISAKMP: authenticator is HMAC-SHA
ISAKMP: group is 2
validate proposal 0
IPSEC(vaidate_proposal): transform proposal (prot 3, trans 3, hmac_alg 2) not supported
ISAKMP (0:1): atts not acceptable. Next payload is 0
ISAKMP (0:1): phase 2 SA not acceptable!
"""


def test_ios_main_mode_offer_is_read_into_proposals_received() -> None:
    # sendthepayload.com's "Mismatch in Encryption Algorithms" case (the corpus's development excerpt): the post
    # left out the key-length line, so AES is named without a size rather than with a guessed one
    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / "cisco-ios-v1-no-shared-encryption.log").read_text()
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    assert primary.facts["proposals_received"] == ["IKE:AES_CBC/HMAC_SHA1_96/MODP_1536"]
    assert "proposals_configured" not in primary.facts  # IOS lists only the peer's offer


def test_ios_quick_mode_offer_is_read_into_proposals_received() -> None:
    primary = analyze_text(IOS_QUICK_MODE_REFUSED).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts["proposals_received"] == ["ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024"]


def test_ios_accepted_offer_gives_no_proposal_facts() -> None:
    result = analyze_text(IOS_ACCEPTED)
    assert result.primary is None or "proposals_received" not in result.primary.facts
    assert all(f.category != "phase1_proposal_mismatch" for f in result.findings)


def test_ios_listing_stops_at_the_accepted_phase_1() -> None:
    """Phase 1 accepted, then the Quick Mode offer refused: only the IPsec transform is the refused offer."""
    primary = analyze_text(IOS_ACCEPTED + IOS_QUICK_MODE_REFUSED).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    assert primary.facts["proposals_received"] == ["ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024"]


def test_a_device_s_received_offer_is_named_not_held_against_aws() -> None:
    """IOS lists what its peer offered: in a device's log that is AWS's offer, so the fix names it and does not call
    it something AWS refuses."""
    values = fixes.values(analysis=analyze_text(IOS_QUICK_MODE_REFUSED), phase=2)
    assert values["proposals_received"] == "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024"
    assert "offending" not in values


def test_the_facts_say_which_lines_the_listing_was_read_from() -> None:
    """The listing's lines are not among the chain's (a FortiGate's run to dozens): the facts name them."""
    assert analyze_text(IOS_QUICK_MODE_REFUSED).primary.facts["proposals_lines"] == "1-8"  # type: ignore[union-attr]
    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / "fortigate-v2-sa-init-des-md5-vs-aes-no-proposal-chosen.log")
    facts = analyze_text(text.read_text()).primary.facts  # type: ignore[union-attr]
    first, last = (int(n) for n in facts["proposals_lines"].split("-"))
    assert first < last < 57  # before the refusal on line 57


def test_statistics_tables_count_events_and_are_none_of_them() -> None:
    # genieparser's IOS-XE golden outputs of "show crypto ikev2 stats" and "show crypto ikev2 stats exchange"
    stats = ("Total outgoing IKEv2 SA Count:    1        active:        1        negotiating: 0     \n"
             "PPK Identity Mismatch: 0        \n"
             "PPK Authentication Failure - ALL:      0        With PPK Required:    0 \n")
    exchange = ("EXCHANGE/NOTIFY                   TX(REQ)    TX(RES)    RX(REQ)    RX(RES)\n"
                "ERROR NOTIFY\n"
                "INVALID_SPI                             0          0        288          0\n"
                "NO_PROPOSAL_CHOSEN                      0         53          0          0\n"
                "TS_UNACCEPTABLE                         0          1          0          0\n")
    for table in (stats, exchange):
        result = analyze_text(table)
        assert result.primary is None and not result.findings, table
    # a log line of words and numbers, single-spaced, is still read (charon without its prefix)
    assert analyze_text("retransmit 5 of request with message ID 0\ngiving up after 5 retransmits\n").primary is not None


@pytest.mark.parametrize("text", [
    # a Linux gateway's syslog: someone failing to log in over SSH or to sudo (the device, not the tunnel)
    "Dec  1 10:00:00 gw sshd[1234]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= "
    "rhost=203.0.113.5  user=root",
    "Dec  1 10:00:00 gw sudo: pam_unix(sudo:auth): authentication failure; logname=admin uid=1000 euid=0 tty=/dev/pts/0 "
    "ruser=admin rhost=  user=admin",
    # old PAM's "program(module)" form, and a switch port's 802.1X client (wazuh's ruleset tests:
    # github.com/wazuh/wazuh/blob/35bf878cf3cf4048b7ede519da1b746a7d21e9aa/ruleset/testing/tests/pam.ini,
    # github.com/wazuh/wazuh/blob/c283485dfc757622716441052bb0fec29525efbd/ruleset/testing/tests/cisco_ios.ini)
    "Nov 11 22:46:29 localhost su(pam_unix)[23164]: authentication failure; logname= uid=1342 euid=0 tty= ruser=dcid "
    "rhost=  user=osaudit",
    "Apr 30 15:10:58: %DOT1X-5-FAIL: Authentication failed for client (Unknown MAC) on Interface Fa0/3 AuditSessionID",
    # Kerberos rlogin and an SSH session ending (loghub's Linux and Thunderbird samples:
    # github.com/logpai/loghub/blob/dd61d0952749ee7963bde24220d1be5ede023033/Linux/Linux_2k.log, and
    # .../Thunderbird/Thunderbird_2k.log, whose host names the dataset masks as "#8#")
    "Jun 30 20:53:04 combo klogind[19272]: Authentication failed from 163.27.187.39 (163.27.187.39): Permission denied "
    "in replay cache code",
    "Jul 11 11:33:13 combo gdm(pam_unix)[2803]: authentication failure; logname= uid=0 euid=0 tty=:0 ruser= rhost= ",
    "- 1131566479 2005.11.09 #8# Nov 9 12:01:19 #8#/#8# sshd[19023]: Local disconnected: Connection closed.",
    # Check Point's audit log of an administrator's SmartConsole login (Elastic's Check Point integration tests:
    # github.com/elastic/integrations/blob/3f50849f9f4ccf9e90fc49067fbfd6edbcc00351/packages/checkpoint/data_stream/
    # firewall/_dev/test/pipeline/test-checkpoint-authentication.log)
    '<134>1 2023-12-27T09:39:55Z CP-Manager CheckPoint 10547 - [action:"Accept"; flags:"163872"; ifdir:"o'
    'utbound"; loguid:"{0x658bf0ed,0x0,0x6401a8c0,0x3c7878a}"; origin:"192.168.1.153"; originsicname:"cn='
    'cp_mgmt,o=CP-Manager.example.local"; sequencenum:"1"; time:"1703669995"; version:"5"; additional_inf'
    'o:"Administrator failed to log in: Wrong Password"; administrator:"i.biachi@customer.com"; audit_sta'
    'tus:"Failure"; client_ip:"172.28.11.213"; machine:"relay599.rdnssender.com"; operation:"Log In"; ope'
    'ration_number:"11"; product:"SmartConsole"; subject:"Administrator Login"]',
    # an ASA's AnyConnect (SSL VPN) user session ended by its DPD: a remote user's laptop, no site-to-site peer
    # (Elastic's Cisco ASA integration tests: github.com/elastic/integrations/blob/137f63390edfd082e341aa06970d4eb79372539d/
    # packages/cisco_asa/data_stream/log/_dev/test/pipeline/test-asa-missing-groups.log)
    'Oct 20 2019 15:42:54: %ASA-4-722037: Group <GroupPolicy_TheBeatles> User <Paul> IP <81.2.69.142> SVC closing connection: DPD failure.',
    # login(1), Cyrus SASL, Apache basic authentication, pure-ftpd, sshd's PAM, without their syslog program name
    # (syslog-ng's pattern database test messages, github.com/balabit/syslog-ng-patterndb at
    # 801fd131760972f5e289bd51f4e57088b579ecb4: access/login.pdb, applications/cyrus/cyrus.xml,
    # file-service/apache2.pdb, file-service/pure-ftpd.pdb, incoming/cee-demo.xml, applications/openssh/sshd.xml)
    "FAILED LOGIN (1) on '/dev/pts/1' from '192.168.2.179' FOR 'czanik', Authentication failure",
    'badlogin: akr.fert.com [10.123.21.162] plaintext towheaded@chiropractors.com SASL(-13): authentication failure: checkpass failed',
    '[error] [client 10.10.66.7] user xxxx: authentication failure for "/": Password Mismatch',
    '(?@192.168.2.52) [WARNING] Authentication failed for user [root]',
    'error: PAM: Authentication failure for czanik from localhost',
    '(pam_unix) authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=212.247.220.16',
    # IOS-XR's exec login (genieparser's ShowLogging golden output)
    "RP/0/RP0/CPU0:Sep 25 23:26:15.803 UTC: exec[67271]: %MGBL-exec-3-LOGIN_AUTHEN : Login Authentication failed. "
    "Exiting...",
    # counters and settings of listings (genieparser golden outputs: redundancy group, CTS, NX-OS PIM, IOS-XR OSPF)
    "\t\tAuthentication Failure: 0",
    "  port auth failure     : 0",
    "      Authentication failed: 0",
    "   802.11 authentication failure                                   : 0",
    "  Adjacency hold timer expired last : Never",
    # a Junos interface table whose counter happens to be an Azure error number, and Junos OSPF statistics
    "ge-0/0/4      Up             47          (0)            13801          (0)",
    "        12 subnet mismatches",
])
def test_device_logins_counters_and_settings_name_no_tunnel_failure(text: str) -> None:
    assert analyze_text(text + "\n").primary is None, text


def test_pam_under_charon_s_xauth_is_still_the_tunnel_s_authentication() -> None:
    # strongSwan's xauth-pam plugin asks PAM (service "login" by default): PAM's line is logged under charon
    line = ("Dec  1 10:00:00 gw charon: pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty= ruser= "
            "rhost=  user=alice\n")
    primary = analyze_text(line).primary
    assert primary is not None and primary.category == "auth_failure"


# FRR's JSON listings: the topotests' expected outputs (github.com/FRRouting/frr at
# fbfc8222da75dff28696b0d17f257cdf0808ba21, tests/topotests/bgp_features/r2/bgp_delayopen_summary_connect.json and
# r1/bgp_shutdown_summary.json), and a summary with AWS's two tunnels in the same format (bgpd/bgp_vty.c).
FRR_CONNECT = """{
"ipv4Unicast":{
  "as":65000,
  "peers":{
    "192.168.201.2":{
      "remoteAs":65200,
      "state":"Connect"
    }
  }
}
}
"""
FRR_SHUTDOWN = """{
"ipv4Unicast":{
  "routerId":"192.168.0.1",
  "as":65000,
  "vrfName":"default",
  "peerCount":2,
  "peers":{
    "192.168.0.2":{
      "remoteAs":65000,
      "state":"Idle (Admin)"
    },
    "192.168.101.2":{
      "remoteAs":65100,
      "state":"Idle (Admin)"
    }
  },
  "totalPeers":2
}
}
"""
FRR_TWO_TUNNELS = """{
  "ipv4Unicast":{
    "peers":{
      "169.254.10.1":{
        "remoteAs":64512,
        "state":"Established",
        "pfxRcd":2
      },
      "169.254.11.1":{
        "remoteAs":64512,
        "state":"Active",
        "pfxRcd":0
      }
    }
  }
}
"""


@pytest.mark.parametrize(("text", "peer", "reason"), [
    (FRR_CONNECT, "192.168.201.2", "connect_failed"),
    (FRR_SHUTDOWN, "192.168.0.2", "admin_shutdown"),
    (FRR_TWO_TUNNELS, "169.254.11.1", "connect_failed"),
])
def test_frr_json_listing_reads_each_neighbor_s_state(text: str, peer: str, reason: str) -> None:
    result = analyze_text(text)
    assert result.format == "bgp-generic"
    assert result.primary is not None and result.primary.category == "bgp_down"
    assert result.primary.facts["peer"] == peer
    assert result.primary.facts["bgp_reason"] == reason


def test_frr_json_listing_with_every_neighbor_established_is_healthy() -> None:
    up = FRR_TWO_TUNNELS.replace('"state":"Active"', '"state":"Established"')
    assert analyze_text(up).primary is None


# FRR's show bgp neighbors json (bgpd/bgp_vty.c; the keys as FRR's topotests expect them, e.g.
# tests/topotests/bgp_gr_notification/test_bgp_gr_notification.py): "lastNotificationReason" is the NOTIFICATION of the
# last reset, so it gives the reason of a neighbor that is down, and is history for one that is Established.
FRR_NEIGHBOR_DOWN = """{
  "169.254.10.1":{
    "remoteAs":64512,
    "bgpState":"Active",
    "lastResetDueTo":"BGP Notification received",
    "lastNotificationReason":"Hold Timer Expired",
    "connectionsEstablished":3,
    "connectionsDropped":3
  }
}
"""


def test_frr_json_neighbor_down_takes_its_reason_from_its_last_notification() -> None:
    primary = analyze_text(FRR_NEIGHBOR_DOWN).primary
    assert primary is not None and primary.category == "bgp_down"
    assert primary.facts["bgp_reason"] == "hold_timer_expired"
    assert primary.facts["peer"] == "169.254.10.1"


def test_a_listing_s_lines_are_one_state_not_repeated_downs() -> None:
    # the state line and the last reset under it say how the session is now: not "went down (3x)"
    primary = analyze_text(FRR_NEIGHBOR_DOWN).primary
    assert primary is not None
    assert str(primary.reasoning[0]) == "Line 4: the listing shows the BGP session down (3 lines)."


def test_frr_json_established_neighbor_s_last_notification_is_history() -> None:
    up = FRR_NEIGHBOR_DOWN.replace('"bgpState":"Active"', '"bgpState":"Established"')
    assert analyze_text(up).primary is None


@pytest.mark.parametrize("text", [
    # Cisco's text listing and FRR's JSON: the Established neighbor's history names a NOTIFICATION it received
    "BGP neighbor is 169.254.10.1,  remote AS 64512, external link\n"
    "  BGP state = Established, up for 00:10:11\n"
    "  Last reset 00:10:40, due to BGP Notification received, hold time expired\n"
    "BGP neighbor is 169.254.11.1,  remote AS 64513, external link\n"
    "  BGP state = Active\n"
    "  Last reset never\n",
    '{\n  "169.254.10.1":{\n    "bgpState":"Established",\n    "lastResetDueTo":"BGP Notification received",\n'
    '    "lastNotificationReason":"Hold Timer Expired"\n  },\n  "169.254.11.1":{\n    "bgpState":"Active",\n'
    '    "lastResetDueTo":"Waiting for peer OPEN"\n  }\n}\n',
])
def test_the_down_neighbor_s_facts_are_not_read_from_another_neighbor_s_history(text: str) -> None:
    primary = analyze_text(text).primary
    assert primary is not None and primary.facts["peer"] == "169.254.11.1"
    assert primary.facts["bgp_reason"] == "connect_failed"
    assert "direction" not in primary.facts and "bgp_notification" not in primary.facts


def test_a_show_bgp_neighbors_listing_is_recognised_by_its_block_header() -> None:
    # genieparser's IOS golden output header (see bgp-neighbor-listing-header): no "format not recognised" note
    result = analyze_text("BGP neighbor is 10.136.199.57,  remote AS 209, external link\n  BGP state = Active\n")
    assert result.format == "bgp-generic"
    assert result.primary is not None and result.primary.category == "bgp_down"
