"""The protocol layer: order of events, two-sided pastes, phase from the exchange, extracted facts."""

from __future__ import annotations

import json

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.prefilter import ENGINE, Prefilter
from lab.analyzer.protocol import algorithms_in, notify_name


def swan(t: str, msg: str, host: str = "cgw-a", sub: str = "IKE") -> str:
    return f"Nov 29 {t} {host} charon: 09[{sub}] {msg}"


DPD_FAILURE = [
    swan("08:20:00", "sending DPD request"),
    swan("08:20:04", "retransmit 1 of request with message ID 12"),
    swan("08:20:11", "retransmit 2 of request with message ID 12"),
    swan("08:20:24", "giving up after 2 retransmits"),
]


def test_dpd_request_then_giving_up_is_a_dpd_timeout() -> None:
    result = analyze_text("\n".join(DPD_FAILURE))
    assert result.primary is not None and result.primary.category == "dpd_timeout"
    assert result.order == "oldest-first"


def test_newest_first_paste_is_read_oldest_first() -> None:
    """A web GUI lists the newest line first: the analyzer reverses it and reaches the same diagnosis."""
    result = analyze_text("\n".join(reversed(DPD_FAILURE)))
    assert result.order == "newest-first"
    assert result.primary is not None and result.primary.category == "dpd_timeout"
    assert any("newest first" in n for n in result.notes)
    # The lines that led to the diagnosis are listed in the order they happened.
    assert [f.line for f in result.primary.chain] == [4, 3, 2, 1]


def test_lines_without_timestamps_or_with_android_prefix_are_read() -> None:
    lines = [
        "I/charon ( 2211): 09[IKE] sending DPD request",
        "I/charon ( 2211): 09[IKE] retransmit 1 of request with message ID 12",
        "I/charon ( 2211): 09[IKE] giving up after 1 retransmits",
    ]
    assert analyze_text("\n".join(lines)).primary.category == "dpd_timeout"
    bare = [line.split(": ", 1)[1] for line in lines]
    assert analyze_text("\n".join(bare)).primary.category == "dpd_timeout"


def test_newest_first_without_timestamps_is_recognised_from_the_protocol_order() -> None:
    lines = ["09[IKE] giving up after 3 retransmits", "09[IKE] retransmit 3 of request with message ID 0",
             "09[IKE] retransmit 2 of request with message ID 0", "09[IKE] retransmit 1 of request with message ID 0",
             "09[IKE] initiating IKE_SA aws-1[1] to 203.0.113.5"]
    result = analyze_text("\n".join(lines))
    assert result.order == "newest-first"
    assert result.primary.category == "peer_unreachable"


def test_two_logs_pasted_one_after_the_other_are_separate_streams() -> None:
    initiator = [
        swan("10:00:00", "initiating IKE_SA aws-1[1] to 203.0.113.5", host="west"),
        swan("10:00:01", "parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]", host="west", sub="ENC"),
    ]
    responder = [
        swan("10:00:00", "tried 1 shared key for '198.51.100.10' - '203.0.113.5', but MAC mismatched", host="east"),
    ]
    result = analyze_text("\n".join(initiator + responder))
    assert result.streams == 2
    assert result.primary.category == "auth_failure"


@pytest.mark.parametrize(
    ("exchange", "category"),
    [("IKE_SA_INIT", "phase1_proposal_mismatch"), ("IKE_AUTH", "phase2_proposal_mismatch"),
     ("CREATE_CHILD_SA", "phase2_proposal_mismatch")],
)
def test_the_same_notify_means_phase_1_or_phase_2_by_its_exchange(exchange: str, category: str) -> None:
    line = swan("10:00:01", f"parsed {exchange} response 1 [ N(NO_PROP) ]", sub="ENC")
    result = analyze_text(line)
    assert result.primary.category == category
    assert result.primary.facts["notify"] == "NO_PROPOSAL_CHOSEN"
    assert result.primary.facts["exchange"] == exchange
    assert result.primary.facts["direction"] == "received"


def test_ikev1_invalid_id_in_quick_mode_is_a_selector_problem_and_in_main_mode_an_identity_one() -> None:
    quick = ['"aws" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_128}',
             '"aws" #2: initiating Quick Mode IKEv1+PSK+ENCRYPT+TUNNEL+PFS+UP',
             '"aws" #2: ignoring informational payload INVALID_ID_INFORMATION, msgid=00000000, length=12']
    assert analyze_text("\n".join(quick)).primary.category == "traffic_selector_mismatch"
    main = ['"aws" #1: initiating IKEv1 Main Mode connection', '"aws" #1: STATE_MAIN_I2: sent MI2, expecting MR2',
            '"aws" #1: STATE_MAIN_I3: sent MI3, expecting MR3',
            '"aws" #1: ignoring informational payload PAYLOAD_MALFORMED, msgid=00000000, length=12']
    assert analyze_text("\n".join(main)).primary.category == "auth_failure"


def test_proposals_received_and_configured_become_facts() -> None:
    lines = [
        swan("10:00:00", "received proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024", sub="CFG"),
        swan("10:00:00", "configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", sub="CFG"),
        swan("10:00:00", "no acceptable proposal found"),
    ]
    primary = analyze_text("\n".join(lines)).primary
    assert primary.category == "phase1_proposal_mismatch"
    assert primary.facts["proposals_received"] == ["IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"]
    assert primary.facts["proposals_configured"] == ["IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"]
    assert {"3DES", "MODP_1024", "AES_CBC_256", "MODP_2048"} <= set(primary.facts["algorithms"])
    assert [f.line for f in primary.chain] == [1, 2, 3]


def test_identities_selectors_and_peer_are_extracted() -> None:
    auth = analyze_text(swan("10:00:00", "tried 1 shared key for 'cgw.example.com' - '203.0.113.5', but MAC mismatched"))
    # charon names its own identity first, the peer's second (psk_authenticator.c: my_id, other_id)
    assert auth.primary.facts["id_local"] == "cgw.example.com" and auth.primary.facts["id_sent"] == "203.0.113.5"
    asa = ("%ASA-3-713061: Group = 203.0.113.10, IP = 203.0.113.10, Rejecting IPSec tunnel: no matching crypto map "
           "entry for remote proxy 10.1.0.0/255.255.0.0/0/0 local proxy 172.31.0.0/255.255.0.0/0/0 on interface outside")
    facts = analyze_text(asa).primary.facts
    # both proxies are the peer's proposal (remote, then local as the ASA sees them): nothing says what it expects
    assert facts["ts_offered"] == ["10.1.0.0/16", "172.31.0.0/16"] and "ts_expected" not in facts


def test_aws_bgp_line_with_a_real_neighbour_address_is_found_with_its_asns() -> None:
    line = json.dumps({"resource_id": "vpn-0a1b2c3d4e5f60718_52.10.20.30", "type": "BGPStatus", "status": "DOWN",
                       "message": {"details": "AWS-side peer detected a bad OPEN message from neighbor 169.254.44.2 - "
                                              "remote AS is 65010, expected 65000"}})
    result = analyze_text(line)
    assert result.primary.category == "bgp_down"
    assert result.findings[0].tree_node == "tunnel-down/d-bgp-asn"
    assert result.primary.facts["peer"] == "169.254.44.2"
    assert result.primary.facts["remote_asn"] == 65010 and result.primary.facts["expected_asn"] == 65000


def test_a_later_established_sa_is_noted_but_does_not_hide_the_failure() -> None:
    lines = [swan("10:00:00", "received AUTHENTICATION_FAILED notify error"),
             swan("10:05:00", "IKE_SA aws-1[2] established between 198.51.100.10[a]...203.0.113.5[b]")]
    primary = analyze_text("\n".join(lines)).primary
    assert primary.category == "auth_failure"
    assert any("established again" in r for r in primary.reasoning)


def test_notify_names_and_algorithms_are_normalised() -> None:
    assert notify_name("NO_PROP") == "NO_PROPOSAL_CHOSEN"
    assert notify_name("v2N_TS_UNACCEPTABLE") == "TS_UNACCEPTABLE"
    assert notify_name("No proposal chosen") == "NO_PROPOSAL_CHOSEN"
    assert notify_name("INVALID-ID-INFORMATION") == "INVALID_ID_INFORMATION"
    assert set(algorithms_in("aes256-sha256-modp2048")) == {"AES_CBC_256", "SHA2_256", "MODP_2048"}
    assert set(algorithms_in("3DES_CBC (192), HMAC_SHA1, MODP1024")) == {"3DES", "SHA1", "MODP_1024"}
    assert "MODP_1024" in algorithms_in("Group 2")


def test_prefilter_finds_lines_by_keyword_lower_case_in_any_case_capitals_exactly() -> None:
    data = b"alpha\nsome DPD line\nGIVING UP after\nnothing\nlast dpd_enabled"
    pf = Prefilter(("DPD", "giving up"))
    lines = [(data[s:e], sorted(ids)) for s, e, ids in pf.lines(data)]
    assert lines == [(b"some DPD line", [0]), (b"GIVING UP after", [1])]
    assert ENGINE in ("hyperscan", "python")


def test_prefilter_without_hyperscan_gives_the_same_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    from lab.analyzer import prefilter

    data = b"alpha\nsome DPD line\nGIVING UP after\nnothing\nlast dpd_enabled"
    fast = Prefilter(("DPD", "giving up")).lines(data)
    monkeypatch.setattr(prefilter, "_hs", None)
    assert Prefilter(("DPD", "giving up")).lines(data) == fast


def test_a_regex_keyword_reports_only_the_values_it_names(monkeypatch: pytest.MonkeyPatch) -> None:
    # charon's packet lines are worth reading only when the message needs IP fragments (more than 1472 bytes)
    from lab.analyzer import prefilter

    data = (b"09[NET] sending packet: from 10.0.0.5[500] to 52.14.33.8[500] (464 bytes)\n"
            b"09[NET] sending packet: from 10.0.0.5[4500] to 52.14.33.8[4500] (1884 bytes)\n"
            b"09[NET] sending packet: from 10.0.0.5[4500] to 52.14.33.8[4500] (1472 bytes)\n"
            b"09[NET] sending packet: from 10.0.0.5[4500] to 52.14.33.8[4500] (2048 bytes) (2048 bytes)\n")
    keywords = ("giving up", r"re:\((?:147[3-9]|14[89][0-9]|1[5-9][0-9][0-9]|[2-9][0-9]{3}) bytes\)")
    fast = Prefilter(keywords).lines(data)
    assert [(data[s:e].split(b"(")[-1], sorted(ids)) for s, e, ids in fast] == [(b"1884 bytes)", [1]), (b"2048 bytes)", [1])]
    monkeypatch.setattr(prefilter, "_hs", None)
    assert Prefilter(keywords).lines(data) == fast
    assert prefilter.keyword_in(keywords[1], "sending packet: ... (1500 bytes)")
    assert not prefilter.keyword_in(keywords[1], "sending packet: ... (1500 bytes")


@pytest.mark.parametrize("stamped", [True, False])
@pytest.mark.parametrize(("exchange", "category"), [("CREATE_CHILD_SA", "phase2_proposal_mismatch"),
                                                    ("IKE_AUTH", "phase2_proposal_mismatch"),
                                                    ("IKE_SA_INIT", "phase1_proposal_mismatch")])
def test_a_paste_that_starts_at_charons_refusal_takes_the_exchange_of_its_answer(
    stamped: bool, exchange: str, category: str
) -> None:
    # charon logs "no acceptable proposal found" for an IKE SA and for a Child SA alike; the answer it sends next,
    # in the same thread, names the exchange (an excerpt that starts there has no request before it).
    lines = ["07[IKE] <IPSEC00|422> no acceptable proposal found",
             "07[IKE] <IPSEC00|422> failed to establish CHILD_SA, keeping IKE_SA" if exchange != "IKE_SA_INIT" else "",
             f"07[ENC] <IPSEC00|422> generating {exchange} response 0 [ N(NO_PROP) ]"]
    text = "\n".join(f"Jun  3 12:53:51 {line}" if stamped else line for line in lines if line)
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == category
    # another thread's answer is another negotiation's (without the same thread's "failed to establish CHILD_SA,
    # keeping IKE_SA", which alone says the refused proposals were a Child SA's)
    other = "\n".join(line for line in text.replace("07[ENC]", "11[ENC]").splitlines() if "keeping IKE_SA" not in line)
    if not stamped and exchange != "IKE_SA_INIT":
        first = next(f for f in analyze_text(other).findings if "no acceptable" in f.text)
        assert first.category == "phase1_proposal_mismatch"
        kept = "\n".join(lines[:2]) + "\n"
        assert analyze_text(kept).primary.category == "phase2_proposal_mismatch"


def _tunnel(name: str, n: int, peer: str, t: str = "08:10:00") -> list[str]:
    """charon's lines (with the IKE SA tag, as the strongswan-lab logs have them) setting one tunnel up."""
    return [swan(t, f"<{name}|{n}> initiating IKE_SA {name}[{n}] to {peer}"),
            swan(t, f"<{name}|{n}> IKE_SA {name}[{n}] established between 198.51.100.7[198.51.100.7]...{peer}[{peer}]")]


def _dpd_gives_up(name: str = "", n: int = 0) -> list[str]:
    tag = f"<{name}|{n}> " if name else ""
    return [swan("08:20:00", f"{tag}sending DPD request"),
            swan("08:20:04", f"{tag}retransmit 1 of request with message ID 12"),
            swan("08:20:24", f"{tag}giving up after 1 retransmits")]


def test_the_peer_address_comes_from_the_same_ike_sa_s_other_lines() -> None:
    """The lines of a DPD timeout do not name the peer; the same IKE SA's set-up lines do."""
    primary = analyze_text("\n".join(_tunnel("aws-tun1", 1, "52.95.1.10") + _dpd_gives_up("aws-tun1", 1))).primary
    assert primary is not None and primary.category == "dpd_timeout"
    assert primary.facts["peer"] == "52.95.1.10"


def test_the_peer_address_of_one_of_two_tunnels_is_the_failing_ones() -> None:
    up = _tunnel("aws-tun1", 1, "52.95.1.10") + _tunnel("aws-tun2", 2, "52.95.2.20")
    primary = analyze_text("\n".join(up + _dpd_gives_up("aws-tun2", 2))).primary
    assert primary is not None and primary.facts["peer"] == "52.95.2.20"
    # without the IKE SA tags, nothing says which of the two tunnels gave up: no address rather than a wrong one
    untagged = [line.replace("<aws-tun1|1> ", "").replace("<aws-tun2|2> ", "") for line in up]
    primary = analyze_text("\n".join(untagged + _dpd_gives_up())).primary
    assert primary is not None and primary.category == "dpd_timeout"
    assert "peer" not in primary.facts


def test_pluto_s_peer_address_comes_from_the_connection_s_initiating_line() -> None:
    # libreswan 5.2 (tests/data/strongswan-lab/pl-v2-unreachable/libreswan-5.2/L.log): the timeout names no address
    lines = [
        'Dec  1 23:47:22.197629: "aws-tun1" #1: initiating IKEv2 connection to 52.95.1.10 using UDP',
        'Dec  1 23:47:22.199423: "aws-tun1" #1: sent IKE_SA_INIT request to 52.95.1.10:UDP/500',
        'Dec  1 23:47:38.211317: "aws-tun1" #1: IKE_SA_INIT_I: 15 second timeout exceeded after 5 retransmits.  '
        'No response (or no acceptable response) to our first IKEv2 message',
    ]
    primary = analyze_text("\n".join(lines)).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.facts["peer"] == "52.95.1.10"


def test_aws_s_own_log_names_the_customer_gateway_not_the_aws_endpoint() -> None:
    """The peer in AWS's tunnel log is the customer gateway: the fixes' device commands must not use it as the AWS
    tunnel's outside address."""
    from lab.triage import fixes

    analysis = analyze_text("2024-03-01T10:00:00Z AWS tunnel detected a pre-shared key mismatch with cgw: 203.0.113.10\n")
    assert analysis.primary is not None and analysis.primary.facts["peer"] == "203.0.113.10"
    assert not fixes.values(analysis=analysis).get("aws_ip")
    device_log = analyze_text("\n".join(_tunnel("aws-tun1", 1, "52.95.1.10") + _dpd_gives_up("aws-tun1", 1)))
    assert fixes.values(analysis=device_log)["aws_ip"] == "52.95.1.10"


@pytest.mark.parametrize(("excerpt", "offered"), [
    # the refusal names the Child SA (#2) the IKE SA's IKE_AUTH request (#1) offered the selectors for
    ("libreswan-v2-child-ts-unacceptable", ["192.0.1.0/24", "192.0.2.0/24"]),
    # a Child SA of its own, asked for in a CREATE_CHILD_SA
    ("libreswan-v2-rw-subnets-split-up", ["198.18.66.0/24", "192.0.4.0/24"]),
])
def test_refused_selectors_are_those_pluto_s_request_offered(excerpt: str, offered: list[str]) -> None:
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / f"{excerpt}.log").read_text(encoding="utf-8")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "traffic_selector_mismatch"
    assert primary.facts["ts_offered"] == offered


def test_selectors_of_another_child_sa_are_not_the_refused_ones() -> None:
    lines = [
        '"road/0x1" #2: sent CREATE_CHILD_SA request to create Child SA using IKE SA #1 {ESPinUDP <0xESPESP} '
        '[198.18.66.0/24===192.0.2.0/24]',
        '"road/0x2" #3: sent CREATE_CHILD_SA request to create Child SA using IKE SA #1 {ESPinUDP <0xESPESP} '
        '[198.18.66.0/24===192.0.4.0/24]',
        '"road/0x2" #3: CREATE_CHILD_SA failed with error notification TS_UNACCEPTABLE',
    ]
    primary = analyze_text("\n".join(lines)).primary
    assert primary is not None and primary.facts["ts_offered"] == ["198.18.66.0/24", "192.0.4.0/24"]


def test_pluto_s_instance_of_a_connection_names_its_peer() -> None:
    """A responder's instance of a road-warrior connection carries the peer's address after its number (libreswan's
    test suite, ikev2-liveness-12-clear-rw-restart: "east"[1] 192.1.3.209 #1: ...)."""
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / "libreswan-v2-liveness-rw-restart.log").read_text(
        encoding="utf-8")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "dpd_timeout"
    assert primary.facts["peer"] == "192.1.3.209"


@pytest.mark.parametrize(("excerpt", "received", "configured"), [
    # IKEv2 IKE_SA_INIT: the peer offers DES/MD5, this side AES with SHA2 (FortiOS debug, one item a line)
    ("fortigate-v2-sa-init-des-md5-vs-aes-no-proposal-chosen",
     ["IKE:DES_CBC/HMAC_MD5_96/PRF_HMAC_MD5/MODP_2048/MODP_1536"],
     ["IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
      "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
      "IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/MODP_2048", "IKE:AES_GCM_16_256/PRF_HMAC_SHA2_384/MODP_2048",
      "IKE:CHACHA20_POLY1305_256/PRF_HMAC_SHA2_256/MODP_2048"]),
    # a Child SA: the peer asks for PFS (DH groups), this side has PFS disabled
    ("fortigate-v2-create-child-pfs-mismatch-no-proposal-chosen",
     ["ESP:AES_GCM_16_128/MODP_2048/MODP_1536/NO_EXT_SEQ"],
     ["ESP:AES_GCM_16_128/NO_EXT_SEQ/no PFS", "ESP:AES_CBC_128/SHA256/NO_EXT_SEQ/no PFS"]),
])
def test_fortigate_s_proposal_listing_is_read_together(excerpt: str, received: list[str], configured: list[str]) -> None:
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / f"{excerpt}.log").read_text(encoding="utf-8")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category.endswith("_proposal_mismatch")
    assert primary.facts["proposals_received"] == received
    assert primary.facts["proposals_configured"] == configured


def test_the_fix_holds_the_devices_own_proposals_against_aws_not_the_peers() -> None:
    """A device's log receives its peer's proposals (AWS's, when the device is AWS's customer gateway): what AWS does
    not accept is read from the device's own listed proposals, and the peer's are only named."""
    from lab import PROJECT_DIR
    from lab.triage import fixes

    def values_of(name: str) -> dict[str, str]:
        text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / f"{name}.log").read_text(encoding="utf-8")
        return fixes.values(analysis=analyze_text(text), phase=1)

    # the FortiGate's own proposals are AES/SHA-256/MODP_2048 (AWS accepts them); the peer offered DES/MD5
    fgt = values_of("fortigate-v2-sa-init-des-md5-vs-aes-no-proposal-chosen")
    assert "offending" not in fgt and fgt["proposals_received"].startswith("IKE:DES_CBC/HMAC_MD5_96")
    # charon lists its own configured proposals: AES-192, which AWS does not accept
    assert values_of("intra2net-v1-main-mode-no-proposal-found")["offending"] == "AES192"


@pytest.mark.parametrize(("excerpt", "peer"), [
    # the initiator: "IPsec SA connect 6 1.1.1.254->2.2.2.254:0"
    ("fortigate-v2-sa-init-network-unreachable-negotiation-timeout", "2.2.2.254"),
    # the responder: "created connection: 0xf2316d0 4 2.2.2.254->1.1.1.254:500."
    ("fortigate-v2-responder-psk-auth-failed-probable-psk-mismatch", "1.1.1.254"),
    # Cisco ASA: "%ASA-5-713119: Group = 77.88.99.100, IP = 77.88.99.100, PHASE 1 COMPLETED"
    ("cisco-asa-v1-aws-no-matching-crypto-map", "77.88.99.100"),
    ("cisco-asa-v1-mm-wait-msg4-peer-lacks-psk", "233.22.22.233"),
])
def test_the_vendor_s_connection_lines_name_the_peer(excerpt: str, peer: str) -> None:
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / f"{excerpt}.log").read_text(encoding="utf-8")
    primary = analyze_text(text).primary
    assert primary is not None and primary.facts["peer"] == peer
