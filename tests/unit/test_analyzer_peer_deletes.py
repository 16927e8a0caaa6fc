"""Deletes the peer sends for IPsec SAs, and pluto's revival after a peer's Delete: a Delete for an IPsec SA is
routine after a rekey (the old SA goes once the new one is up); with no newer SA of the connection before it and
none after it, the peer took the tunnel's traffic down. charon's Delete line counts only after the peer's request."""

from __future__ import annotations

from pathlib import Path

from lab.analyzer import analyze_text

# libreswan/libreswan#1496 (libreswan 5, test dpd-04): east receives west's Deletes for its IPsec SAs.
PEER_DELETES = """\
"westnet-east" #4: received Delete SA payload via #1
"westnet-east" #4: deleting IPsec SA (QUICK_R2) aged 33.30716s and NOT sending notification
"westnet-east" #4: ESP traffic information: in=0B out=0B
"west-eastnet" #3: received Delete SA payload via #1
"west-eastnet" #3: deleting IPsec SA (QUICK_R2) aged 33.685538s and NOT sending notification
"west-eastnet" #3: ESP traffic information: in=0B out=0B
"west-east" #2: received Delete SA payload via #1
"""


def test_the_peers_deletes_of_every_ipsec_sa_with_none_after_them_take_the_tunnel_down() -> None:
    primary = analyze_text(PEER_DELETES).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    assert str(primary.summary) == "The peer deleted the IPsec SA and no new one came up."
    assert "IPsec (phase 2) SA" in str(primary.reasoning[0])
    assert [f.line for f in primary.chain][:1] == [1]


def test_a_delete_of_the_old_ipsec_sa_after_its_replacement_is_routine() -> None:
    # IKEv1 rekey (libreswan 3 and 4 wording): the new SA #3 is up, then the peer deletes the old one, #2.
    rekey = (
        '"aws-tunnel-1" #3: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP to replace #2\n'
        '"aws-tunnel-1" #3: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x5a1b2c3d <0x6e7f8091}\n'
        '"aws-tunnel-1" #1: received Delete SA payload: replace IPsec State #2 now\n'
    )
    assert analyze_text(rekey).primary is None
    # The same Deletes with a new SA of each connection set up after them (pluto's revival): the tunnel came back.
    def revival(conn: str, serial: int) -> str:
        return (f'"{conn}" #{serial}: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP {{using isakmp#1 msgid:5d2c1a0b}}\n'
                f'"{conn}" #{serial}: IPsec SA established tunnel mode {{ESP=>0x1a2b3c4d <0x5e6f7081 '
                'xfrm=AES_CBC_128-HMAC_SHA1_96}\n')

    conns = ("west-east", "westnet-east", "west-eastnet")
    assert analyze_text(PEER_DELETES + "".join(revival(c, 5 + i) for i, c in enumerate(conns))).primary is None
    # Only one of the three connections (one pair of subnets each) set up again: the other two stay down.
    one = analyze_text(PEER_DELETES + revival("west-east", 5)).primary
    assert one is not None and one.category == "ike_sa_deleted_by_peer" and one.certainty == "guess"
    # A Delete for the IKE SA still names the IKE SA.
    ike = analyze_text('"aws-tunnel-1" #1: received Delete SA payload: deleting ISAKMP State #1\n').primary
    assert ike is not None and "a Delete for the IKE SA" in str(ike.reasoning[0])


def test_libreswan_4s_child_delete_and_revival_lines_are_read() -> None:
    # libreswan 4 (test ikev2-crossing-streams-02's description, at f0fabcd8): the peer restarts and deletes; pluto
    # revives the connection, whose IKE_SA_INIT meets "Connection refused" until the peer is back.
    text = (
        'Mar  1 03:44:29.442960: "conn7" #2362: received Delete SA payload: replace CHILD SA #2361 now\n'
        'Mar  1 03:44:29.456249: "conn7" #2362: deleting IKE SA but connection is supposed to remain up; '
        "schedule EVENT_REVIVE_CONNS\n"
        "Mar  1 03:44:29.456365: \"conn7\": initiating connection 'conn7' with serial $1 which received a "
        "Delete/Notify but must remain up per local policy\n"
        'Mar  1 03:44:29.458461: "conn7" #2364: sent IKE_SA_INIT request\n'
        'Mar  1 03:44:29.959113: "conn7" #2364: STATE_PARENT_I1: retransmission; will wait 0.5 seconds for response\n'
        'Mar  1 03:44:29.960020: "conn7" #2364: ERROR: asynchronous network error report on ens192 (172.16.1.2:500), '
        "complainant 172.16.2.2: Connection refused [errno 111, origin ICMP type 3 code 3 (not authenticated)]\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    # line 2 (the IKE SA deleted, revival scheduled) is read too, as the weakest reading of a delete
    assert [f.line for f in primary.chain][:3] == [1, 2, 3]
    assert "Line 3: a Delete for the IKE SA" in str(primary.reasoning[0])


def test_a_revival_scheduled_after_an_sa_was_up_reads_as_the_peers_delete_only_when_nothing_else_explains_it() -> None:
    # libreswan 3.29 test ikev2-delete-sa-04 (east.console.txt at e364be77): east is told to delete the IKE SA and
    # only logs that the SA went away and a revival is scheduled.
    up = '"west-east-auto" #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]\n'
    alone = up + (
        "\"west-east-auto\" #1: deleting IKE SA for connection 'west-east-auto' but connection is supposed to remain "
        "up; schedule EVENT_REVIVE_CONNS\n"
    )
    primary = analyze_text(alone).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    assert primary.certainty == "guess"
    # libreswan 5 logs the first revival attempt; the same line after a liveness timeout: the timeout is the cause
    dead = (
        '"aws-tunnel-1" #3: liveness action - restarting all connections that share this peer\n'
        '"aws-tunnel-1" #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds\n'
    )
    primary = analyze_text(dead).primary
    assert primary is not None and primary.category == "dpd_timeout"


def test_charons_delete_line_counts_only_after_the_peers_request() -> None:
    # strongSwan lab (tests/data/strongswan-lab, charon 5.9.8): charon logs "received DELETE for ESP CHILD_SA" for the
    # peer's Delete request and for the peer's answer to its own Delete alike. The hard expiry below is this side's
    # own Delete (a response follows it), so nothing is read into the line; only a peer's request is the peer's act.
    own = (
        "Dec  1 05:24:09 06[IKE] <gw|1> CHILD_SA net{1} established with SPIs 8a08e782_i 3fb31089_o and TS "
        "10.1.0.0/16 === 10.2.0.0/16\n"
        "Dec  1 05:24:29 04[IKE] <gw|1> sending DELETE for ESP CHILD_SA with SPI 8a08e782\n"
        "Dec  1 05:24:29 04[ENC] <gw|1> generating INFORMATIONAL request 2 [ D ]\n"
        "Dec  1 05:24:29 07[ENC] <gw|1> parsed INFORMATIONAL response 2 [ D ]\n"
        "Dec  1 05:24:29 07[IKE] <gw|1> received DELETE for ESP CHILD_SA with SPI 3fb31089\n"
        "Dec  1 05:24:29 07[IKE] <gw|1> CHILD_SA closed\n"
    )
    assert analyze_text(own).primary is None
    peer = (
        "Dec  1 06:56:58 03[IKE] <gw|1> CHILD_SA net{1} established with SPIs a66dccde_i 5af06c82_o and TS "
        "10.1.0.0/16 === 10.2.0.0/16\n"
        "Dec  1 06:57:01 08[ENC] <gw|1> parsed INFORMATIONAL request 0 [ D ]\n"
        "Dec  1 06:57:01 08[IKE] <gw|1> received DELETE for ESP CHILD_SA with SPI 5af06c82\n"
        "Dec  1 06:57:01 08[IKE] <gw|1> closing CHILD_SA net{1} with SPIs a66dccde_i (0 bytes) 5af06c82_o (0 bytes) and "
        "TS 10.1.0.0/16 === 10.2.0.0/16\n"
    )
    primary = analyze_text(peer).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    # The same Delete for the old SA after a rekey put a new one up (other SPIs) is routine.
    rekeyed = peer.replace(
        "Dec  1 06:57:01 08[ENC]",
        "Dec  1 06:57:00 03[IKE] <gw|1> CHILD_SA net{2} established with SPIs c1d2e3f4_i 0a1b2c3d_o and TS "
        "10.1.0.0/16 === 10.2.0.0/16\nDec  1 06:57:01 08[ENC]", 1)
    assert analyze_text(rekeyed).primary is None


def test_messages_for_sas_the_operator_deleted_are_no_rekey_failure() -> None:
    # Openswan 2.5 (testing/pluto/netkey-pluto-02/west-console.txt at xelerance/Openswan 175df9e): the operator takes
    # the tunnel down; the peer's Delete then arrives for SAs this side no longer has. Openswan logs nothing for the
    # command itself, so the pasted command is what says it.
    up = (
        '004 "westnet-eastnet" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG cipher=aes_128 '
        "prf=oakley_sha group=modp2048}\n"
        '117 "westnet-eastnet" #2: STATE_QUICK_I1: initiate\n'
        '004 "westnet-eastnet" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x6e20ef9a '
        "<0x08e4af15 xfrm=3DES_0-HMAC_MD5 NATOA=none NATD=none DPD=none}\n"
    )
    late = "packet from 192.1.2.23:500: Informational Exchange is for an unknown (expired?) SA\n"
    result = analyze_text(up + "west:~# ipsec auto --down  westnet-eastnet\n" + late)
    assert result.primary is None
    # Without the command the line says no more: an Informational (a Delete, a DPD probe) met an ISAKMP SA this side no
    # longer has, which a delete crossing another does as a matter of course; libreswan 3.x logs it at debug level
    # only (programs/pluto/ikev1.c, "quiet" when no state is found), and Openswan's own tests show it after an
    # orderly `ipsec auto --delete` (netkey-pluto-01, its pluto log).
    assert analyze_text(up + late).primary is None


# libreswan's test auto-keep-02-revival-through-nat-cleanfail-ikev2 (corpus, dev): road deletes its connection and
# sends a Delete; east revives the connection and road, which no longer has it, answers NO_PROPOSAL_CHOSEN.
REVIVAL_REFUSED = (Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
                   / "libreswan-v2-auto-keep-peer-deleted-revival-fails.log").read_text(encoding="utf-8")


def test_a_revival_the_peer_refuses_after_its_delete_is_the_peers_delete() -> None:
    east = REVIVAL_REFUSED[REVIVAL_REFUSED.index('IMPAIR: "road-eastnet-ikev2"[1]'):]
    for text in (east, REVIVAL_REFUSED):  # east's log alone, and road's then east's
        primary = analyze_text(text).primary
        assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
        assert any("NO_PROPOSAL_CHOSEN" in str(r) and "no longer has a connection" in str(r)
                   for r in primary.reasoning)


def test_the_permanent_connection_and_the_template_instance_of_one_name_are_two_logs() -> None:
    # road's permanent "road-eastnet-ikev2" #1 and east's instance "road-eastnet-ikev2"[1] 192.1.2.254 #3
    assert analyze_text(REVIVAL_REFUSED).streams == 2


def test_a_refusal_with_no_delete_before_it_stays_a_proposal_mismatch() -> None:
    refused = "\n".join(line for line in REVIVAL_REFUSED.splitlines()
                        if "reviving" not in line and "Delete/Notify" not in line and '"[1]' in line) + "\n"
    primary = analyze_text(refused).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"


# libreswan 3.x wording (programs/pluto/ikev1_main.c accept_delete, ikev1_quick.c): the peer deletes its ISAKMP SA
# at the end of its phase 1 lifetime, the IPsec SA negotiated under it stays.
ISAKMP_ONLY = """\
Jan 10 10:00:00 gw pluto[2211]: "tun" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_128 integ=sha group=MODP2048}
Jan 10 10:00:01 gw pluto[2211]: "tun" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0x1234abcd <0xabcd1234 xfrm=AES_CBC_128-HMAC_SHA1_96 NATOA=none NATD=none DPD=passive}
Jan 10 18:00:00 gw pluto[2211]: "tun" #1: received Delete SA payload: deleting ISAKMP State #1
"""


def test_the_peers_delete_of_its_isakmp_sa_alone_leaves_the_ipsec_sa_up() -> None:
    assert analyze_text(ISAKMP_ONLY).primary is None
    # with the IPsec SA's Delete in the same message (before or after it), the peer took the tunnel down
    ipsec = 'Jan 10 18:00:00 gw pluto[2211]: "tun" #1: received Delete SA(0x1234abcd) payload: deleting IPSEC State #2\n'
    lines = ISAKMP_ONLY.splitlines(keepends=True)
    for both in ("".join(lines[:2] + [ipsec] + lines[2:]), ISAKMP_ONLY + ipsec):
        primary = analyze_text(both).primary
        assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
    # without the IPsec SA in the paste nothing says it stays up
    primary = analyze_text(lines[2]).primary
    assert primary is not None and primary.category == "ike_sa_deleted_by_peer"
