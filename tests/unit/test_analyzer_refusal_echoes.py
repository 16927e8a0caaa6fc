"""Refusals whose follow-up line names another cause, read as the cause they are: FortiOS ends a negotiation it
ignored for the peer's ID with its generic "no SA proposal chosen"; pluto refuses a KE payload of the wrong size before
it answers the CREATE_CHILD_SA it came in (the Child SA's DH group: phase 2), and refuses every transform when it has no
pre-shared key; charon answers a mode its connection does not allow with AUTH_FAILED. And a responder's half-open IKE SA
dropped after NAT was found: the initiator's next message, sent to UDP 4500, never came; and pluto's complaint about
the connection it picked first, before it switched to one that fits."""

from __future__ import annotations

from lab.analyzer import analyze_text

# Summerice7/FortiGate-Handbook (IPsec negotiation failure debug examples): FGT-BJ expects another peer ID in
# Aggressive Mode.
FGT_INCORRECT_ID = """\
ike 0: comes 200.1.1.2:500->100.1.1.2:500,ifindex=10,vrf=0....
ike 0: IKEv1 exchange=Aggressive id=e6280452ac6300c3/0000000000000000 len=720 vrf=0
ike 0:e6280452ac6300c3/0000000000000000:24: responder: aggressive mode get 1st message...
ike 0::24: peer identifier IPV4_ADDR 200.1.1.2
ike 0:VPN-to-SH: local:100.1.1.2, remote:200.1.1.2
ike 0:VPN-to-SH: ignoring IKE request, incorrect ID.
ike 0:e6280452ac6300c3/0000000000000000:24: negotiation failure
ike Negotiate ISAKMP SA Error: ike 0:e6280452ac6300c3/0000000000000000:24: no SA proposal chosen
"""


def test_fortigates_proposal_line_after_an_ignored_peer_id_is_its_echo() -> None:
    primary = analyze_text(FGT_INCORRECT_ID).primary
    assert primary is not None and primary.category == "auth_failure"
    assert primary.chain[0].line == 6
    # Without the ID line the same ending is a proposal mismatch.
    alone = "\n".join(line for line in FGT_INCORRECT_ID.splitlines() if "incorrect ID" not in line)
    assert analyze_text(alone).primary.category == "phase1_proposal_mismatch"


def test_a_ke_of_the_wrong_size_in_a_create_child_sa_is_a_phase2_dh_mismatch() -> None:
    # libreswan/libreswan#1266: the responder chose MODP4096 for the Child SA, the initiator's KE was MODP2048's.
    text = (
        '"east/0x2" #3: KE has 256 byte DH public value; 512 required\n'
        '"east/0x2" #3: responding to CREATE_CHILD_SA message (ID 2) from 192.1.2.45:500 with encrypted notification '
        "INVALID_SYNTAX\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
    # In IKE_SA_INIT the same refusal is about the IKE SA's group (libreswan 5 names the exchange itself).
    v5 = '"aws-tunnel-1"[1] 203.0.113.9 #1: initiator IKE_SA_INIT KE payload is 256 bytes; 384 required\n'
    assert analyze_text(v5).primary.category == "phase1_proposal_mismatch"


def test_charons_auth_failed_after_no_config_allowing_the_mode_is_its_echo() -> None:
    # opnsense/core#6276 (copied from the GUI, newest first): charon matches a connection but none allows PSK in Main
    # Mode, and answers AUTH_FAILED. The AUTH_FAILED it sends is the refusal's echo; the reading names both suspects.
    # strongSwan's phase1.c skips a connection whose authentication method or whose Aggressive Mode setting differs;
    # a peer asking in Main Mode is refused on the mode only by a connection set to Aggressive Mode (not the
    # default), so the authentication method is the likelier difference (xiaoqingfengATGH/HomeLede#86: fixed in the
    # connection's authentication). In Aggressive Mode the mode is the likelier one (next test).
    text = "".join(line + "\n" for line in (
        '2023-01-27T13:26:23\tInformational\tcharon\t10[CFG] ignoring acquire for reqid 2, connection attempt pending\t',
        '2023-01-27T13:26:23\tInformational\tcharon\t15[KNL] creating acquire job for policy 51.xxx.xxx.xxx/32 === 109.xxx.xxx.xxx/32 with reqid {2}\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[NET] <86> sending packet: from 51.xxx.xxx.xxx[500] to 80.xxx.xxx.xxx[500] (140 bytes)\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[ENC] <86> generating INFORMATIONAL_V1 request 4140104851 [ HASH N(AUTH_FAILED) ]\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[IKE] <86> found 1 matching config, but none allows pre-shared key authentication using Main Mode\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[CFG] <86> looking for pre-shared key peer configs matching 51.xxx.xxx.xxx...80.xxx.xxx.xxx[80.xxx.xxx.xxx]\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[ENC] <86> parsed ID_PROT request 0 [ ID HASH N(INITIAL_CONTACT) ]\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[NET] <86> received packet: from 80.xxx.xxx.xxx[500] to 51.xxx.xxx.xxx[500] (140 bytes)\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[NET] <86> sending packet: from 51.xxx.xxx.xxx[500] to 80.xxx.xxx.xxx[500] (460 bytes)\t',
        '2023-01-27T13:26:22\tInformational\tcharon\t15[ENC] <86> generating ID_PROT response 0 [ KE No NAT-D NAT-D ]\t',
    ))
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"
    assert "pre-shared key authentication in Main Mode" in " ".join(str(r) for r in primary.reasoning)
    # Every output masks secrets: no word of the reading may look like a key's value ("pre-shared key <value>").
    from lab.masking import mask_secrets

    for lang in ("en", "ko"):
        for reason in primary.reasoning_in(lang):
            assert mask_secrets(str(reason)) == str(reason), lang


def test_unsupported_exchange_type_in_answer_to_aggressive_mode_is_a_mode_mismatch() -> None:
    # opnsense/core#6269: the peer answers Aggressive Mode with ISAKMP notify 29 (RFC 2408 UNSUPPORTED-EXCHANGE-TYPE),
    # which charon prints as a number.
    text = (
        "[IKE] initiating Aggressive Mode IKE_SA con1[5] to xx.xx.xx.xx\n"
        "[ENC] generating AGGRESSIVE request 0 [ SA KE No ID V V V V V ]\n"
        "[NET] sending packet: from xx.xx.xx.xx[500] to xx.xx.xx.xx[500] (488 bytes)\n"
        "[NET] received packet: from xx.xx.xx.xx[500] to xx.xx.xx.xx[500] (40 bytes)\n"
        "[ENC] parsed INFORMATIONAL_V1 request 0 [ N((29)) ]\n"
        "[IKE] received (29) error notify\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "ike_mode_mismatch"
    assert "UNSUPPORTED-EXCHANGE-TYPE" in " ".join(str(r) for r in primary.reasoning)
    # The same notify in answer to Main Mode names no mode: nothing is read into it.
    main = text.replace("Aggressive Mode", "Main Mode").replace("AGGRESSIVE request 0 [ SA KE No ID V V V V V ]",
                                                                 "ID_PROT request 0 [ SA V V V V V ]")
    assert (analyze_text(main).primary or None) is None or analyze_text(main).primary.category != "ike_mode_mismatch"


def test_pluto_refusing_every_transform_for_want_of_a_key_is_a_missing_secret() -> None:
    # nm-l2tp/NetworkManager-l2tp#100 (whack output): no pre-shared key for the ID pair, so every Oakley transform is
    # refused and pluto sends NO_PROPOSAL_CHOSEN. The secret is missing; the proposals may well match.
    conn = '"68a34a10-dd17-4d97-bfcb-25fe0f38809c" #1:'
    text = (
        f"003 {conn} ignoring unknown Vendor ID payload [8299031757a36082c6a621de00000000]\n"
        f"003 {conn} Can't authenticate: no preshared key found for `125.17.22.12' and `135.17.72.96'.  "
        "Attribute OAKLEY_AUTHENTICATION_METHOD\n"
        f"003 {conn} no acceptable Oakley Transform\n"
        f"214 {conn} STATE_MAIN_I1: NO_PROPOSAL_CHOSEN\n"
        f"002 {conn} sending notification NO_PROPOSAL_CHOSEN to 135.17.72.96:500\n"
        f"010 {conn} STATE_MAIN_I1: retransmission; will wait 2 seconds for response\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "auth_failure"
    assert primary.chain[0].line == 2
    # Transforms refused for their algorithms stay a proposal mismatch.
    algorithms = text.replace("Can't authenticate: no preshared key found for `125.17.22.12' and `135.17.72.96'.  "
                              "Attribute OAKLEY_AUTHENTICATION_METHOD", "OAKLEY_GROUP 1 not supported.  Attribute "
                              "OAKLEY_GROUP_DESCRIPTION")
    assert analyze_text(algorithms).primary.category == "phase1_proposal_mismatch"


def test_a_half_open_ike_sa_dropped_after_nat_was_found_is_a_nat_t_reading() -> None:
    # quericy/one-key-ikev2-vpn#65: charon answers a macOS client's IKE_SA_INIT, finds it behind NAT, and its IKE_AUTH
    # (sent to UDP 4500 from then on) never arrives; rebooting the client's router fixed it.
    text = (
        "Nov 27 12:43:59 localhost charon: 09[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(REDIR_SUP) N(NATD_S_IP) "
        "N(NATD_D_IP) N(FRAG_SUP) ]\n"
        "Nov 27 12:43:59 localhost charon: 09[IKE] 110.110.110.110 is initiating an IKE_SA\n"
        "Nov 27 12:43:59 localhost charon: 09[IKE] remote host is behind NAT\n"
        "Nov 27 12:43:59 localhost charon: 09[ENC] generating IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) "
        "N(NATD_D_IP) CERTREQ N(FRAG_SUP) N(MULT_AUTH) ]\n"
        "Nov 27 12:44:29 localhost charon: 16[JOB] deleting half open IKE_SA after timeout\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "nat_t_or_fragmentation"
    # Only a guess: the same client connecting a moment later clears it.
    later = text + (
        "Nov 27 12:45:02 localhost charon: 12[IKE] IKE_SA ikev2-vpn[3] established between "
        "120.120.120.120[vpn.example.net]...110.110.110.110[client]\n"
    )
    assert analyze_text(later).primary is None


def test_a_complaint_about_the_first_connection_pluto_switched_away_from_is_no_fault() -> None:
    # libreswan test ikev1-connswitch-01 (at 0c4e3ecc): the decoy connection's ID does not match the certificate,
    # pluto switches to the connection that fits and goes on.
    text = (
        '"distraction"[1] 192.1.2.45 #1: X509: CERT payload does not match connection ID\n'
        '"distraction"[1] 192.1.2.45 #1: switched from "distraction"[1] 192.1.2.45 to "westnet-eastnet"\n'
        '"westnet-eastnet"[1] 192.1.2.45 #1: deleting connection "distraction"[1] 192.1.2.45 instance with peer '
        "192.1.2.45 {isakmp=#0/ipsec=#0}\n"
        "\"westnet-eastnet\"[1] 192.1.2.45 #1: Peer ID is ID_DER_ASN1_DN: 'C=CA, ST=Ontario, L=Toronto, O=Libreswan, "
        "OU=Test Department, CN=west.testing.libreswan.org, E=user-west@testing.libreswan.org'\n"
    )
    assert analyze_text(text).primary is None
    # Without the switch the complaint stands.
    alone = text.splitlines()[0] + "\n"
    assert analyze_text(alone).primary.category == "auth_failure"
