"""The log analyzer: format detection, causal diagnosis, streaming, and bad input."""

from __future__ import annotations

import json

import pytest

from lab.analyzer import MAX_BYTES, analyze, analyze_bytes, analyze_text, load_patterns
from lab.analyzer import scan as scan_module
from lab.analyzer.scan import lines as scan_lines
from lab.analyzer.scan import scanner as scan_scanner
from lab.errors import InputError


def aws(details: str, p1: str = "Down", p2: str = "Down") -> str:
    return json.dumps(
        {"event_timestamp": 1764404400000, "details": details, "dpd_enabled": True, "nat_t_detected": False,
         "ike_phase1_state": p1, "ike_phase2_state": p2}
    )


def charon(msg: str, t: str = "08:20:00") -> str:
    return f"Nov 29 {t} cgw-a charon: 09[IKE] {msg}"


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        (aws("AWS tunnel DPD timed out after 3 retransmits"), "aws-json"),
        ('{"VpnLogCreationTimestamp":"2024-01-01 00:00:00","VpnLogDetail":"AWS tunnel received DELETE for IKE_SA from CGW","TunnelIKEPhase1State":"Down"}', "aws-json"),
        ("2025-11-08 05:40:29.641Z AWS tunnel DPD timed out after 5 retransmits", "aws-text"),
        ("Nov 13 14:35:05 cgw charon: 08[IKE] sending DPD request", "strongswan"),
        ('Jul  4 08:35:05 host pluto[2814]: "conn" #9884: liveness action - restarting all connections', "libreswan"),
        ("%ASA-3-713123: Group = 203.0.113.10, IP = 203.0.113.10, IKE lost contact with remote peer", "cisco-asa"),
        ("%CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 1.2.3.22 failed its sanity check or is malformed", "cisco-ios"),
        ("*Sep  6 12:03:11.223: BGP: 2.2.2.2 Active open failed - no route to peer", "cisco-ios"),  # debug ip bgp
        # FortiGate quoting its BGP daemon's Cisco-style message: the event log, and the routing debug's form
        ('date=2024-12-01 time=10:11:12 logid="0103020300" type="event" subtype="router" level="information" '
         'msg="BGP: %BGP-5-ADJCHANGE: neighbor 169.254.44.1 Down BGP Notification FSM-ERR"', "fortigate"),
        ('id=20300 msg="BGP: %BGP-5-ADJCHANGE: VRF 0 neighbor 1.1.1.254 Down Peer being deleted"', "fortigate"),
        ('date=2019-05-13 time=14:21:42 logid="0101037127" type="event" subtype="vpn" msg="progress IPsec phase 1"', "fortigate"),
        ("IKE phase-1 negotiation is failed as initiator, main mode. Failed SA: x[500]-y[500] due to timeout.", "paloalto"),
        # PAN-OS ikemgr.log naming the source of its message (knowledgebase.paloaltonetworks.com kA10g000000ClgcCAC),
        # and routed.log's BGP exception (kA14u000000sZBWCA2)
        ("2016-03-01 14:32:24 [INFO]: ike_sa.c:275:ikev2_abort(): 6:1.1.1.1[500] - 2.2.2.2[500]:(nil):aborting IKEv2 "
         "SA GW:6", "paloalto"),
        ("2016-03-01 14:32:24.890 +0800 debug: pan_ikev2_debug(protocols/ikev2/ikev2.c:6946): ... IKEv2 SA state "
         "{GW:6-I}: SA dying from state ESTABLISHED, caller ikev2_abort", "paloalto"),
        ("qbnmsnd2.c 167 :at 10:53:51, 6 December 2022 (326534161 ms)", "paloalto"),
        # Junos kmd's trace file, no syslog prefix (the datasets/real-logs excerpt juniper-kmd-dpd-r-u-there-ack-peer-up)
        ("Mar 4 14:32:36 Received IKE DPD R_U_THERE_ACK from IKE peer: 169.132.58.9", "juniper"),
        ("Mar 4 14:32:36 ike_st_i_n: Start, doi = 1, protocol = 1, code = unknown (36137), spi[0..16] = cd11b885 "
         "588eeb56 ..., data[0..4] = 003d65fc 00000000 ...", "juniper"),
        # Azure Network Watcher's VPN troubleshoot: Windows' IKEEXT trace (MicrosoftDocs azure-docs,
        # articles/network-watcher/vpn-troubleshoot-overview.md)
        ("[0]0368.03A4::02/02/2017-17:36:01.496 [ikeext] 3038|52.161.24.36|IKE diagnostic event:", "azure"),
        # FRR's and Quagga's own log file, without and with milliseconds (FRRouting/frr#4438, metallb/metallb#1807),
        # and the reset line of a "show bgp neighbors" block pasted without its header (FRRouting/frr#8941)
        ("2019/06/02 19:22:48 BGP: 46.166.184.248 [FSM] Non blocking connect waiting result, fd 25", "bgp-generic"),
        ("2023/01/26 14:33:29.411 BGP: 192.168.120.1 [FSM] BGP_Start (Idle->Connect), fd -1", "bgp-generic"),
        ("Last reset 00:00:05,   Notification sent (UPDATE Message Error/Invalid Network Field)", "bgp-generic"),
        # IOS "debug crypto ikev2 internal" (qiita.com/dj5fs/items/677d6743a29f3bac3bbf)
        ("*Feb 9 06:16:08.442: IKEv2-INTERNAL:Parse Notify Payload: AUTHENTICATION_FAILED NOTIFY(AUTHENTICATION_FAILED) "
         "Next payload: NONE, reserved: 0x0, length: 8", "cisco-ios"),
        # Junos: rpd's trace (kb.juniper.net KB13623), the "show bgp summary" header (vincentbernat/network-lab
        # lab-bgp-llgr), the kernel's TCP-MD5 check (napalm-logs tests/config/junos/BGP_MD5_INCORRECT)
        ("Jan 01 15:58:25.388607 bgp_read_v4_message: NOTIFICATION received from", "juniper"),
        ("Groups: 3 Peers: 3 Down peers: 1", "juniper"),
        ("<4>Jul 20 21:23:00 vmx01 /kernel: tcp_auth_ok: Packet from 192.168.140.254:61664 wrong MD5 digest", "juniper"),
        # ExaBGP 3.x's own log (Exa-Networks/exabgp#505), Brocade NetIron (napalm-logs tests/config/netiron), D-Link
        # DxS (nocproject/noc's DLink/DxS BGP classification rules)
        ("Mon, 03 Oct 2016 09:25:18 3670   network       Peer      10.251.1.1 ASN 27294   out loop, peer reset, message "
         "[notification received (6,5)] error[Cease / Connection Rejected]", "bgp-generic"),
        ("<13>May 19 05:01:59 HOSTNAME BGP: Peer (VRF: default-vrf) 2607:a999:4999::1 DOWN (Rcv Notification:Hold "
         "Timer Expired)", "bgp-generic"),
        ("WARN(4) [BGP(3):] BGP connection is closed due to error (Code:<2> Subcode:<7> Field:<Open Opt: Strict, "
         "Err-Data present> Peer:<192.168.1.1>).", "bgp-generic"),
    ],
)
def test_format_is_detected(line: str, fmt: str) -> None:
    assert analyze_text(line).format == fmt


def test_unknown_format_tries_every_pattern() -> None:
    result = analyze_text("some appliance: AWS tunnel received DELETE for IKE_SA from CGW maybe\nother line")
    assert result.primary is not None
    result2 = analyze_text("nothing to see here\nreally nothing")
    assert result2.format == "unknown" and result2.primary is None
    assert any("not recognised" in n for n in result2.notes)


def test_format_override_limits_the_patterns() -> None:
    line = charon("sending DPD request") + "\n" + charon("giving up after 5 retransmits")
    assert analyze_text(line, "aws-json").findings == ()
    assert analyze_text(line, "strongswan").primary is not None


def test_unknown_format_name_is_refused() -> None:
    with pytest.raises(InputError, match="Unknown log format"):
        analyze_text("x", "notaformat")


def test_simulator_strongswan_lines_are_recognised() -> None:
    lines = [
        "charon: 09[IKE] sending DPD request",
        "charon: 05[IKE] retransmit 1 of request with message ID 12",
        "charon: 13[IKE] giving up after 5 retransmits",
        "charon: 12[IKE] received DELETE for IKE_SA aws-tunnel-1[3]",
    ]
    pats = {f.pattern for f in analyze_text("\n".join(lines)).findings}
    assert {"swan-dpd-request", "swan-retransmit", "swan-giving-up", "swan-received-delete-ike-sa"} <= pats


def test_auth_failure_followed_by_retransmits_is_authentication() -> None:
    log = "\n".join([
        charon("received AUTHENTICATION_FAILED notify error"),
        charon("retransmit 1 of request with message ID 0"),
        charon("giving up after 5 retransmits"),
    ])
    p = analyze_text(log).primary
    assert p.category == "auth_failure"
    assert any("consequence" in r for r in p.reasoning)


def test_dpd_timeout_then_unanswered_reinitiation_is_reachability() -> None:
    log = "\n".join([
        charon("sending DPD request"),
        charon("retransmit 1 of request with message ID 12"),
        charon("giving up after 5 retransmits"),
        charon("establishing IKE_SA failed, peer not responding"),
    ])
    p = analyze_text(log).primary
    assert p.category == "peer_unreachable"
    assert p.facts["peer_alive_after_dpd"] == "no"


def test_aws_dpd_timeout_alone_is_dpd_treated_as_reachability_first() -> None:
    p = analyze_text(aws("AWS tunnel DPD timed out after 3 retransmits")).primary
    assert p.category == "dpd_timeout"
    assert p.tree_node == "tunnel-down/dpd-peer-alive"
    assert any("reachability" in r for r in p.reasoning)


def test_dpd_timeout_then_established_means_the_peer_was_alive() -> None:
    log = "\n".join([
        aws("AWS tunnel DPD timed out after 3 retransmits"),
        charon("IKE_SA aws-1[5] established between 198.51.100.10[198.51.100.10]...203.0.113.10[203.0.113.10]"),
    ])
    p = analyze_text(log).primary
    assert p.category == "dpd_timeout"
    assert p.facts["peer_alive_after_dpd"] == "yes"


def test_delete_from_cgw_without_reinitiation_is_the_ike_sa_case() -> None:
    log = "\n".join([aws("AWS tunnel received DELETE for IKE_SA from CGW"), aws("AWS tunnel DPD timed out after 3 retransmits")])
    p = analyze_text(log).primary
    assert p.category == "ike_sa_deleted_by_peer"
    assert any("startup action add" in r for r in p.reasoning)
    assert any("consequence" in r for r in p.reasoning)


def test_bgp_down_alone_is_bgp_but_not_when_ipsec_fails() -> None:
    bgp = '{"type":"BGPStatus","status":"DOWN","message":{"details":"AWS-side peer sent a Hold Timer Expired notification to neighbor {ip: 169.254.10.2}"}}'
    assert analyze_text(bgp).primary.category == "bgp_down"
    both = bgp + "\n" + aws("No Proposal Match Found by AWS")
    assert analyze_text(both).primary.category == "phase1_proposal_mismatch"


def test_healthy_log_has_no_primary_and_hides_context_lines() -> None:
    result = analyze_text("\n".join([charon("sending DPD request")] * 5))
    assert result.primary is None
    assert result.findings == ()


def test_finding_carries_line_time_and_node() -> None:
    f = analyze_text("header\n" + aws("AWS tunnel DPD timed out after 3 retransmits")).findings[0]
    assert f.line == 2 and f.time is not None and f.time.year == 2025
    assert f.category == "dpd_timeout" and f.phase == "DPD" and f.tree_node == "tunnel-down/dpd-peer-alive"


def test_frr_log_file_time_stamps_are_read() -> None:
    # FRR's own log file writes the date with slashes (tests/data/bgp-lab/bgp-frr-bird-neighbor-address-wrong/L.log)
    line = "2026/12/05 14:50:09.838 BGP: [MJ4D6-VBJKV][EC 33554454] 192.0.2.2 [Error] bgp_read_packet error: Connection reset by peer\n"
    f = analyze_text(line).findings[0]
    assert f.time is not None and (f.time.year, f.time.month, f.time.day, f.time.second) == (2026, 12, 5, 9)
    # (not a date whose separators differ)
    assert analyze_text(line.replace("2026/12/05", "2026/12-05")).findings[0].time is None


def test_a_late_time_field_of_a_json_record_is_read() -> None:
    # GoBGP's default JSON log puts "time" last (tests/data/bgp-lab/bgp-frr-gobgp-hold-expired-json/R.log)
    line = ('{"Key":"192.0.2.1","Reason":"hold-timer-expired","State":"BGP_FSM_ESTABLISHED","Topic":"Peer",'
            '"level":"info","msg":"Peer Down","time":"2026-12-05T15:30:03Z"}\n')
    f = analyze_text(line).findings[0]
    assert f.time is not None and (f.time.hour, f.time.minute, f.time.second) == (15, 30, 3)


@pytest.mark.parametrize(("line", "when"), [
    # Huawei VRP (BGP/6/PEER_STATE_CHG, as tests/unit/test_analyzer_bgp.py quotes it)
    ("Sep 22 2026 14:16:07 BGP-RT.02 %%01BGP/6/PEER_STATE_CHG(l):CID=0x801304ef;The state of the peer changed after "
     "receiving an event. (PrevState=ESTABLISHED, CurrState=IDLE, InputEvent=HOLD_TIMER, Peer=45.68.79.254, "
     "SourceInterface=-, VpnInstance=_public_)", (2026, 9, 22, 14, 16, 7)),
    # Cisco NX-OS (the CIS NX-OS benchmark's example)
    ("2020 May 20 13:08:15 CISNXOS9 %BGP-5-ADJCHANGE: bgp- [7984] (default) neighbor 10.10.10.11 Down - sent: "
     "holdtimer expired error", (2020, 5, 20, 13, 8, 15)),
    # Cisco IOS with `service timestamps log datetime year`
    ("*Mar  1 2024 00:12:54.311: %BGP-5-ADJCHANGE: neighbor 169.254.10.1 Down BGP Notification received",
     (2024, 3, 1, 0, 12, 54)),
])
def test_month_name_dates_with_a_year_are_read(line: str, when: tuple[int, ...]) -> None:
    f = analyze_text(line + "\n").findings[0]
    assert f.time is not None and (f.time.year, f.time.month, f.time.day, f.time.hour, f.time.minute,
                                   f.time.second) == when
    # a syslog date without a year gives no time
    assert analyze_text("Jun 10 14:22:01 " + line.split(" ", 4)[-1] + "\n").findings[0].time is None


def test_to_json_matches_the_cli_contract() -> None:
    data = analyze_text(aws("AWS tunnel DPD timed out after 3 retransmits")).to_json()
    assert {"format", "lines", "primary", "findings"} <= set(data)
    assert {"category", "tree_node", "summary", "facts"} <= set(data["primary"])
    assert {"line", "category", "phase", "pattern", "text", "tree_node", "facts"} <= set(data["findings"][0])
    assert isinstance(data["primary"]["facts"], dict) and isinstance(data["findings"][0]["facts"], dict)


def test_crlf_gives_the_same_result_and_a_note() -> None:
    lines = [charon("received AUTHENTICATION_FAILED notify error"), charon("giving up after 2 retransmits")]
    unix, dos = analyze_text("\n".join(lines)), analyze_text("\r\n".join(lines) + "\r\n")
    assert [f.text for f in dos.findings] == [f.text for f in unix.findings]
    assert any("CRLF" in n for n in dos.notes)


def test_one_megabyte_single_line_is_handled() -> None:
    line = "x" * 1_048_576 + " AWS tunnel DPD timed out after 3 retransmits"
    result = analyze_text(line)
    assert result.lines == 1 and result.primary.category == "dpd_timeout"
    assert len(result.findings[0].text) < 3000
    assert any("characters long" in n for n in result.notes)


def test_streaming_keeps_line_numbers_across_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = (charon("received DELETE for IKE_SA x[1]") if i % 997 == 0 else f"noise {i}" for i in range(10_000))
    result = analyze(lines)
    assert result.lines == 10_000
    assert [f.line for f in result.findings] == [i + 1 for i in range(0, 10_000, 997)]


def test_stream_of_file_lines_with_line_ends() -> None:
    result = analyze(iter([charon("sending DPD request") + "\n", charon("giving up after 5 retransmits") + "\n"]))
    assert result.lines == 2 and result.primary is not None


def test_findings_are_capped_for_flat_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scan_scanner, "MAX_FINDINGS", 10)
    result = analyze(charon("received DELETE for IKE_SA x[1]") for _ in range(50))
    assert len(result.findings) == 10 and result.truncated


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x1f\x8b\x08\x00binary", "damaged gzip"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"log\x00with\x00nul", "binary"),
        (b"fine line\ncaf\xe9 DPD\n", "not UTF-8"),
    ],
)
def test_bad_bytes_get_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        analyze_bytes(data)


def test_non_utf8_message_names_the_line() -> None:
    with pytest.raises(InputError, match="line 2"):
        analyze_bytes(b"fine line\ncaf\xe9 DPD\n")


def test_oversize_upload_is_refused_with_the_limit() -> None:
    with pytest.raises(InputError, match="limit is 20 MB"):
        analyze_bytes(b"a" * (MAX_BYTES + 1))


def test_utf8_bom_is_accepted() -> None:
    assert analyze_bytes(b"\xef\xbb\xbf" + aws("AWS tunnel DPD timed out after 3 retransmits").encode()).format == "aws-json"


def test_patterns_compile_once() -> None:
    assert load_patterns() is load_patterns()


def test_text_blocks_cut_only_at_line_ends() -> None:
    text = "\n".join(f"line {i} " + "x" * (i % 13) for i in range(200))
    blocks = list(scan_module.blocks_from_text(text, size=37))
    assert "\n".join(blocks) == text


def test_file_stream_in_small_chunks_matches_whole_text(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lab.analyzer import files as files_module  # the stream reader and the block size it reads

    lines = [charon("received DELETE for IKE_SA x[1]") if i % 7 == 0 else f"noise {i}" for i in range(300)]
    path = tmp_path / "big.log"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    monkeypatch.setattr(files_module, "CHUNK", 64)
    streamed = files_module.analyze_stream(path.open("r", encoding="utf-8", newline=""))
    whole = analyze_text("\n".join(lines))
    assert [(f.line, f.text) for f in streamed.findings] == [(f.line, f.text) for f in whole.findings]
    assert streamed.lines == 300


def test_a_second_source_later_in_the_log_is_picked_up() -> None:
    lines = [charon(f"sending packet {i}") for i in range(10_000)]
    lines += [aws("AWS tunnel received DELETE for IKE_SA from CGW")] + [aws(f"AWS tunnel processed request (id={i}) for CREATE_CHILD_SA") for i in range(500)]
    result = analyze(lines)
    assert "aws-json" in result.detected_formats
    assert result.primary is not None and result.primary.category == "ike_sa_deleted_by_peer"
    assert result.findings[0].line == 10_001
    assert any("aws-json lines appear" in n for n in result.notes)


def test_a_pattern_of_several_dialects_reads_each_line_as_the_dialect_it_is_in() -> None:
    # the RFC notify names are one pattern for every dialect: a pluto line is read as pluto's (its state serials count)
    generic = next(p for p in load_patterns() if p.id == "gen-notify-name")
    pluto = 'Dec  1 23:30:52.885610: "gw" #1: received and ignored notification payload: NO_PROPOSAL_CHOSEN'
    charon = "Dec  1 10:00:01 09[IKE] <gw|1> received NO_PROPOSAL_CHOSEN notify error"
    assert scan_lines._line_format(generic, pluto) == "libreswan"
    assert scan_lines._line_format(generic, '"aws"[1] 203.0.113.10 #4: NO_PROPOSAL_CHOSEN') == "libreswan"
    assert scan_lines._line_format(generic, charon) == "strongswan"
    assert scan_lines._line_format(generic, "vpn: tunnel aws-1: peer replied NO_PROPOSAL_CHOSEN") == generic.formats[0]


def test_a_pluto_line_in_pan_os_words_is_pluto_s() -> None:
    # pluto's "initiating IKEv2 IKE SA" (libreswan 3.x ikev2_parent.c) uses words PAN-OS's ikemgr uses too ("IKEv2 IKE
    # SA negotiation is started as initiator"): the connection and state serial make the line pluto's
    from lab.analyzer.formats import detect

    assert detect(['181 "mtntest" #1056: initiating IKEv2 IKE SA']) == ("libreswan", ("libreswan",))
    assert detect(["2024/03/01 10:00:00 ikemgr: IKEv2 IKE SA negotiation is started as initiator, non-rekey. "
                   "Initiated SA: 192.0.2.1[500]-198.51.100.1[500] SPI:0x1"])[0] == "paloalto"
