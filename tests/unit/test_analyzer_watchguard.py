"""WatchGuard Firebox (Fireware) VPN messages: each is read by its catalogue wording into the same protocol events as
the daemons' lines (the exchange or phase it names, what was received and what was expected).

The lines are quoted from the log samples of Elastic's WatchGuard integration, which quotes WatchGuard's Fireware
Log Message Catalog (its message IDs and wordings, with example addresses):
https://github.com/elastic/integrations/blob/6366e43ba91dc934f4ef0ccd6b43c6704f77034a/packages/watchguard_firebox/data_stream/log/_dev/test/pipeline/test-diagnostic.log
"""

from __future__ import annotations

import pytest

from lab.analyzer import analyze_text

PREFIX = "<142>May 10 15:19:05 WatchGuard-Firebox FVE6035FD3AE3 (2024-05-10T09:49:05) firewall[10]: "


CATALOGUE = [
    ('msg_id="0203-0002" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Received 'Aggressive mode' exchange type. Expecting main mode.",
     'ike_mode_mismatch'),
    ('msg_id="0203-0004" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Received DH group 2, expecting 14",
     'phase1_proposal_mismatch'),
    ('msg_id="0203-0005" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Received hash SHA1, expecting MD5",
     'phase1_proposal_mismatch'),
    ('msg_id="0203-0007" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Received authentication method PSK, expecting RSA certificate",
     'auth_failure'),
    ('msg_id="0203-0010" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Rea'
        'son=Main mode matching policy not found',
     'auth_failure'),
    ('msg_id="0203-0012" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Pre-shared key authentication failure",
     'auth_failure'),
    ('msg_id="0203-0015" IKE phase-1 negotiation from 172.16.12.81:500 to 172.16.12.82:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Message retry timeout. Check the connection between local and re"
        'mote gateway endpoints.',
     'peer_unreachable'),
    ('msg_id="0203-0018" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Peer certificate is not issued by known trusted CA",
     'auth_failure'),
    ('msg_id="0203-0020" IKE phase-1 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1' Reason=Message decryption failed due to possible shared secret mismatch",
     'auth_failure'),
    ('msg_id="0203-0022" Remote gateway \'gateway.1\' with IP 172.16.13.204:500 presumed dead due to DPD'
        ' failure. Deleted all tunnels that use this gateway. Check the connection between local and remo'
        'te gateway endpoints.',
     'dpd_timeout'),
    ('msg_id="0203-0024" Remote gateway \'gateway.1\' with IP 172.16.13.204:500 presumed dead due to kee'
        'p-alive negotiation failure. Deleted all tunnels that use this gateway. Check the connection bet'
        'ween local and remote gateway endpoints.',
     'dpd_timeout'),
    ('msg_id="0203-002A" IKE phase-1 negotiation from 81.2.69.144:500 to 81.2.69.144:500 failed. Gatew'
        "ay-Endpoint='gateway.1' Reason=Received IKE version did not match the configured IKE version",
     'ike_version_mismatch'),
    ('msg_id="0205-0002" IKE phase-2 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Tun'
        "nel='tunnel.1' Reason=Received proposal without PFS, Expecting PFS enabled",
     'phase2_proposal_mismatch'),
    ('msg_id="0205-0003" IKE phase-2 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Tun'
        "nel='tunnel.1' Reason=Received protocol 'AH'. Expecting 'ESP' in phase-2 proposal.",
     'ipsec_mode_mismatch'),
    ('msg_id="0205-0006" IKE phase-2 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Tun'
        "nel='tunnel.1' Reason=Received PFS DH group 2, expecting 5",
     'phase2_proposal_mismatch'),
    ('msg_id="0205-000A" IKE phase-2 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "eway='gateway.1' Reason=No matching tunnel route for peer proposed local:192.168.81.0/24 remote:"
        '192.168.82.0/28',
     'traffic_selector_mismatch'),
    ('msg_id="0205-000D" IKE phase-2 negotiation from 172.16.12.82:500 to 172.16.12.81:500 failed. Tun'
        "nel='tunnel.1' Reason=Received proposal with PFS. PFS not enabled.",
     'phase2_proposal_mismatch'),
    ('msg_id="0205-0010" Received \'No Proposal Chosen\' message from 172.16.12.81:500 for \'tunnel.1\' tu'
        'nnel. Check VPN IKE diagnostic log messages on the remote gateway endpoint for more information.',
     'phase2_proposal_mismatch'),
    ('msg_id="0206-0004" XAuth negotiation from 172.16.24.1:4500 failed due to a mismatched XAuthMode.',
     'auth_failure'),
    ('msg_id="021A-0006" IKEv2 IKE_SA_INIT exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. '
        'Reason=Matching gateway endpoint not found.',
     'auth_failure'),
    ('msg_id="021A-0007" IKEv2 IKE_SA_INIT exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. '
        "GatewayEndpoint='gateway.1'. Reason=Received IKE version did not match the configured IKE versio"
        'n.',
     'ike_version_mismatch'),
    ('msg_id="021A-000B" IKEv2 IKE_AUTH exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1'. Reason=Received ID did not match the configured remote gateway endpoin"
        't ID.',
     'auth_failure'),
    ('msg_id="021A-000E" IKEv2 IKE_SA_INIT exchange from 81.2.69.144:500 to 81.2.69.144:500 failed. Ga'
        "tewayEndpoint='gateway.1'. Reason=IKE proposal did not match. Received encryption 3DES, expected"
        ' AES.',
     'phase1_proposal_mismatch'),
    ('msg_id="021A-000F" IKEv2 IKE_SA_INIT exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. '
        "GatewayEndpoint='gateway.1'. Reason=DH-Group 14 in the KE payload does not match DH-Group 5 sele"
        'cted in the IKE_SA_INIT response proposal.',
     'phase1_proposal_mismatch'),
    ('msg_id="021A-0010" IKEv2 CREATE_CHILD_SA exchange from 172.16.12.82:500 to 172.16.12.81:500 fail'
        "ed. Tunnel='tunnel.1'. Reason=DH-Group 14 in the KE payload does not match DH-Group 5 selected i"
        'n the CREATE_CHILD_SA request proposal.',
     'phase2_proposal_mismatch'),
    ('msg_id="021A-0011" IKEv2 IKE_AUTH exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1'. Reason=Received unacceptable traffic selector in IKE_AUTH request.",
     'traffic_selector_mismatch'),
    ('msg_id="021A-0014" IKEv2 IKE_AUTH exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. Gat'
        "ewayEndpoint='gateway.1'. Reason=Remote gateway endpoint authentication failed due to a possible"
        ' shared secret mismatch.',
     'auth_failure'),
    ('msg_id="021A-0015" IKEv2 IKE_SA_INIT exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. '
        "GatewayEndpoint='gateway.1'. Reason=Received N(NO_PROPOSAL_CHOSEN) message.",
     'phase1_proposal_mismatch'),
    ('msg_id="021A-0016" IKEv2 IKE_AUTH exchange from 10.139.36.185:500 to 10.139.36.195:500 failed. T'
        "unnel='tunnel.1'. Reason=Received N(NO_PROPOSAL_CHOSEN) message.",
     'phase2_proposal_mismatch'),
    ('msg_id="021A-0018" IKEv2 CREATE_CHILD_SA exchange from 81.2.69.144:500 to 81.2.69.144:500 failed'
        ". Tunnel='tunnel.1'. Reason=IPSec proposal did not match. Received encryption 3DES, expected AES"
        '.',
     'phase2_proposal_mismatch'),
    ('msg_id="021A-001A" IKEv2 CREATE_CHILD_SA exchange from 172.16.12.82:500 to 172.16.12.81:500 fail'
        "ed. Tunnel='tunnel.1'. Reason=Could not find child SA by received SPI 0xbaba1509 in CREATE_CHILD"
        '_SA(REKEY[CHILD SA]) request.',
     'rekey_issue'),
    ('msg_id="021A-001B" IKEv2 exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. GatewayEndpo'
        "int='gateway.1'. Reason=No response for IKE_AUTH request message. Check the connection between t"
        'he local and remote gateway endpoints.',
     'peer_unreachable'),
    ('msg_id="0203-0021" Remote gateway \'gateway.1\' with IP 172.16.13.204:500 did not send DPD R_U_THE'
        'RE_ACK message. 2 retries left',
     None),
    ('msg_id="0205-0011" Dropped a simultaneous phase-2 negotiation from the peer 172.16.13.204:500',
     None),
    ('msg_id="021A-0019" IKEv2 IKE_AUTH exchange from 172.16.12.82:500 to 172.16.12.81:500 failed. Tun'
        "nel='tunnel.1'. Reason=Peer proposed invalid SPI in IKE_AUTH request.",
     None),
    ('msg_id="0208-0001" BOVPN phase-1 mainmode completed successfully as initiator for \'gateway.1\' ga'
        'teway endpoint. localgw:172.16.12.81:500 remotegw:172.16.13.204:500 SA ID:0x9d5e7809',
     None),
    ('msg_id="021A-0017" IKEv2 IKE SA established successfully as initiator for \'gateway.1\' gateway en'
        'dpoint. local-gw:10.139.36.185:500 remote-gw:10.139.36.195:500 SA ID:0xbc2188a5.',
     None),
    ('msg_id="0206-0007" MUVPN user \'user.1\' is a member of \'muvpn\' group.',
     None),
]


@pytest.mark.parametrize(("message", "category"), CATALOGUE)
def test_watchguard_catalogue_messages(message: str, category: str | None) -> None:
    result = analyze_text(PREFIX + message + "\n")
    assert result.format == "watchguard"
    assert (result.primary.category if result.primary else None) == category, message


def test_the_message_id_makes_the_line_watchguard_s_and_pan_os_keeps_its_own() -> None:
    # both say "IKE phase-1 negotiation ... failed"; PAN-OS's system log has no msg_id (60-paloalto.yaml's sample)
    pan = ("IKE phase-1 negotiation is failed as initiator, main mode. Failed SA: 198.51.100.1[500]-203.0.113.10[500] "
           "cookie:1a2b3c4d5e6f7081:0000000000000000. Due to timeout.\n")
    assert analyze_text(pan).format == "paloalto"
    assert analyze_text(PREFIX + CATALOGUE[1][0] + "\n").format == "watchguard"


def test_a_phase_1_mismatch_says_what_was_received_and_what_was_expected() -> None:
    primary = analyze_text(PREFIX + CATALOGUE[1][0] + "\n").primary
    assert primary is not None
    assert primary.facts["mismatch"] == ["DH group"]
    assert primary.facts["proposals_received"] == ["DH group 2"]
    assert primary.facts["proposals_configured"] == ["14"]


def test_no_matching_tunnel_route_names_the_networks_the_peer_proposed() -> None:
    line = next(m for m, _ in CATALOGUE if "0205-000A" in m)
    primary = analyze_text(PREFIX + line + "\n").primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"
    assert primary.facts["ts_offered"] == ["192.168.81.0/24", "192.168.82.0/28"]


@pytest.mark.parametrize(("exchange", "category"), [
    ("IKE_SA_INIT", "phase1_proposal_mismatch"),
    ("IKE_AUTH", "phase2_proposal_mismatch"),  # the Child SA part of IKE_AUTH
    ("CREATE_CHILD_SA", "phase2_proposal_mismatch"),
])
def test_an_ikev2_refusal_is_placed_by_the_exchange_the_line_names(exchange: str, category: str) -> None:
    line = (f'msg_id="021A-0016" IKEv2 {exchange} exchange from 10.139.36.185:500 to 10.139.36.195:500 failed. '
            "Tunnel='tunnel.1'. Reason=Received N(NO_PROPOSAL_CHOSEN) message.")
    primary = analyze_text(PREFIX + line + "\n").primary
    assert primary is not None and primary.category == category
    assert primary.facts["exchange"] == exchange


def test_dpd_retries_then_the_peer_presumed_dead() -> None:
    probes = [m for m, _ in CATALOGUE if "0203-0021" in m] * 2
    dead = next(m for m, _ in CATALOGUE if "0203-0022" in m)
    primary = analyze_text("".join(PREFIX + m + "\n" for m in [*probes, dead])).primary
    assert primary is not None and primary.category == "dpd_timeout"
    assert primary.facts["peer"] == "172.16.13.204"


def test_the_devices_other_messages_name_no_tunnel_failure() -> None:
    # the same sample file's system, cluster, DHCP, DynDNS and USB messages (the catalogue's other chapters)
    other = [
        'msg_id="3000-0027" Firewall is starting up',
        'msg_id="3A00-0008" Virtual Router with cluster ID 1 state changed from master to backup',
        'msg_id="3800-0004" Cluster interface eth5 is down.',
        'msg_id="5A00-0008" Could not connect to members.dyndns.org / 81.2.69.144, connection refused',
        'msg_id="5A00-000A" No response from server members.dyndns.org / 81.2.69.144',
        'msg_id="3800-0264" Cluster time synchronization failed.',
    ]
    assert analyze_text("".join(PREFIX + m + "\n" for m in other)).primary is None
