"""Newest-first pastes without timestamps: the order is read from the daemons' own lines.

The unit tests use lines from the development excerpts of the real-log corpus (`datasets/real-logs/dev/`,
each with its public source in `corpus.yaml`); the corpus test reverses every oldest-first development
excerpt and checks that the analyzer reads it back in the right order with the same diagnosis.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lab.analyzer import analyze_text
from lab.analyzer.protocol import order_votes, stamp_of

CORPUS = Path(__file__).resolve().parents[2] / "datasets" / "real-logs"

# dev/libreswan-v1-old-ah-integrity-mismatch-quick-timeout.log, from
# https://github.com/libreswan/libreswan/blob/329edadae4ee8a13dcaeecda5465d2d4d703e94f/testing/pluto/ah-pluto-10/west.console.txt
PLUTO_V1 = [
    '002 "westnet-eastnet-ah" #1: initiating Main Mode',
    '104 "westnet-eastnet-ah" #1: STATE_MAIN_I1: initiate',
    '106 "westnet-eastnet-ah" #1: STATE_MAIN_I2: sent MI2, expecting MR2',
    '108 "westnet-eastnet-ah" #1: STATE_MAIN_I3: sent MI3, expecting MR3',
    '004 "westnet-eastnet-ah" #1: STATE_MAIN_I4: ISAKMP SA established {auth=RSA_SIG cipher=aes_256 integ=sha group=MODP2048}',
    '002 "westnet-eastnet-ah" #2: initiating Quick Mode RSASIG+AUTHENTICATE+TUNNEL+PFS+UP+IKEV1_ALLOW+IKEV2_ALLOW',
    '117 "westnet-eastnet-ah" #2: STATE_QUICK_I1: initiate',
]

# dev/libreswan-v2-san-dn-mismatch.log, from
# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/ikev2-x509-14-san-dn-mismatch/west.console.txt
PLUTO_V2 = [
    '"san" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
    '"san" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
    '"san" #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH',
    '"san" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with digital-signature RSASSA-PSS with SHA2_512',
    '"san" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,CERT,AUTH,SA,TSi,TSr}',
]

# dev/libreswan-v2-rekey-crossing-streams.log, from
# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/crossing-streams-04-ikev2-initiator-ike-rekey-responder-child-up/east.console.txt
PLUTO_PARENT_SPEAKS_LAST = [
    '"east/0x2" #4: initiating Child SA using IKE SA #1',
    '"east/0x2" #4: sent CREATE_CHILD_SA request for new IPsec SA',
    '"east/0x2" #1: ISAKMP_v2_CREATE_CHILD_SA message response with Message ID 0 has no matching SA',
    '"east/0x2" #1: deleting IKE SA (established IKE SA)',
]

# dev/strongswan-v2-psk-healthy.log and dev/strongswan-v2-second-child-healthy.log, from
# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/interop-ikev2-strongswan-15-child-sa/west.console.txt
CHARON_V2 = [
    "initiating IKE_SA westnet-eastnet-ikev2[1] to 192.1.2.23",
    "generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]",
    "sending packet: from 192.1.2.45[500] to 192.1.2.23[500] (XXX bytes)",
    "parsed IKE_SA_INIT response 0 [ SA KE No N(FRAG_SUP) N(NATD_S_IP) N(NATD_D_IP) N(CHDLESS_SUP) ]",
    "establishing CHILD_SA westnet-eastnet-ikev2{1}",
    "generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) ]",
    "parsed IKE_AUTH response 1 [ IDr AUTH SA TSi TSr ]",
    "IKE_SA westnet-eastnet-ikev2[1] established between 192.1.2.45[west]...192.1.2.23[east]",
    "CHILD_SA westnet-eastnet-ikev2{1} established with SPIs SPISPI_i SPISPI_o and TS 192.0.1.0/24 === 192.0.2.0/24",
]


def votes(lines: list[str]) -> tuple[int, int]:
    return order_votes(lines)


def test_pluto_state_progression_and_serials_order_the_lines() -> None:
    up, down = votes(PLUTO_V1)
    assert up >= 5 and down == 0  # MAIN_I1 -> I4, initiating -> sent -> established, #1 before #2
    assert votes(PLUTO_V1[::-1]) == (down, up)


def test_pluto_main_mode_states_alone() -> None:
    states = [line for line in PLUTO_V1 if "STATE_MAIN" in line]
    # Only the state numbers (and the words "sent"/"established") speak here: no serial changes.
    assert votes(states)[1] == 0 and votes(states[::-1])[0] == 0
    assert votes(states[::-1])[1] >= 3


def test_pluto_new_serial_is_later() -> None:
    pair = [PLUTO_V1[4], PLUTO_V1[5]]  # #1 established, then #2 initiating
    assert votes(pair) == (1, 0)
    assert votes(pair[::-1]) == (0, 1)


def test_pluto_ikev2_request_before_response_and_init_before_auth() -> None:
    up, down = votes(PLUTO_V2)
    assert down == 0 and up >= 4
    assert votes(PLUTO_V2[::-1]) == (down, up)


def test_a_parent_sa_speaking_after_its_child_is_no_order_signal() -> None:
    """The IKE SA #1 is mentioned (and deleted) after Child SA #4 was created: that says nothing against
    the given order; only #4's own progression (initiating -> sent) votes."""
    assert votes(PLUTO_PARENT_SPEAKS_LAST) == (1, 0)
    assert votes(PLUTO_PARENT_SPEAKS_LAST[::-1]) == (0, 1)


def test_charon_ids_steps_and_message_ids() -> None:
    up, down = votes(CHARON_V2)
    assert down == 0 and up >= 5
    assert votes(CHARON_V2[::-1]) == (down, up)
    # Each signal on its own.
    assert votes([CHARON_V2[0], CHARON_V2[7]]) == (1, 0)  # initiating IKE_SA x[1] -> IKE_SA x[1] established
    assert votes([CHARON_V2[4], CHARON_V2[8]]) == (1, 0)  # establishing CHILD_SA x{1} -> CHILD_SA x{1} established
    assert votes([CHARON_V2[1], CHARON_V2[3]]) == (1, 0)  # request 0 generated -> response 0 parsed
    assert votes([CHARON_V2[3], CHARON_V2[5]]) == (1, 0)  # message id 0 -> 1
    assert votes([CHARON_V2[6], CHARON_V2[1]]) == (0, 1)


def test_charon_unique_ids_increase() -> None:
    # dev/strongswan-v2-windows-*: pfSense's "<conn|N>" prefix and "name[N]" carry the IKE_SA unique id.
    older = "Nov 19 09:35:58 \tcharon: 10[IKE] <con1|1> initiating IKE_SA con1[2] to 192.0.2.52"
    a = "charon: 15[IKE] IKE_SA con1[1] established between 192.0.2.90[192.0.2.90]...192.0.2.52[192.0.2.52]"
    b = "charon: 10[IKE] initiating IKE_SA con1[2] to 192.0.2.52"
    assert votes([a, b]) == (1, 0) and votes([b, a]) == (0, 1)
    assert votes([older]) == (0, 0)
    assert votes(["L2TP-PSK{30} x", "CHILD_SA L2TP-PSK{31} established with SPIs c5f602ad_i 09b7ea2c_o"]) == (1, 0)


def test_charon_thread_groups_and_process_ids_are_not_ids() -> None:
    lines = ["charon[4321]: 05[IKE] retransmit 1 of request with message ID 0",
             "charon[1234]: 02[IKE] retransmit 2 of request with message ID 0"]
    assert votes(lines) == (0, 0)


def test_ikev1_message_ids_are_random_and_not_used() -> None:
    # dev/strongswan-v1-quick-mode-rekey-l2tp-healthy.log
    lines = ["charon: 13[ENC] generating QUICK_MODE response 6 [ HASH SA No ID ID NAT-OA NAT-OA ]",
             "charon: 12[ENC] parsed QUICK_MODE request 6 [ HASH ]",
             "charon: 09[ENC] parsed INFORMATIONAL_V1 request 1167094233 [ HASH D ]"]
    assert votes(lines) == (0, 0)


def test_retransmit_counts_order_a_newest_first_paste() -> None:
    # dev/android-flutter-vpn-peer-not-responding.log
    text = "I/charon: 02[IKE] retransmit 2 of request with message ID 0\nI/charon: 05[IKE] retransmit 1 of request with message ID 0\n"
    assert analyze_text(text).order == "newest-first"


def test_reversed_pluto_and_charon_excerpts_are_read_newest_first() -> None:
    for lines in (PLUTO_V1, PLUTO_V2, CHARON_V2):
        assert analyze_text("\n".join(lines) + "\n").order == "oldest-first"
        assert analyze_text("\n".join(reversed(lines)) + "\n").order == "newest-first"


def test_timestamps_still_decide_when_present() -> None:
    """Timestamps rising win over protocol signals read the other way (the lines as given are kept)."""
    lines = [f"Feb 4 13:56:{37 + i:02d} charon: 15[IKE] {line}" for i, line in enumerate(reversed(CHARON_V2))]
    assert all(stamp_of(line) is not None for line in lines)
    assert analyze_text("\n".join(lines) + "\n").order == "oldest-first"
    lines = [f"Feb 4 13:56:{37 + i:02d} charon: 15[IKE] {line}" for i, line in enumerate(CHARON_V2)]
    assert analyze_text("\n".join(reversed(lines)) + "\n").order == "newest-first"


def _dev_oldest_first() -> list[tuple[str, Path]]:
    data = yaml.load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return [(str(e["id"]), CORPUS / str(e["file"])) for e in data["entries"]
            if e.get("split") == "dev" and e.get("order", "oldest-first") == "oldest-first"]


def test_every_reversed_dev_excerpt_is_read_back_in_order() -> None:
    """Reverse each oldest-first development excerpt (four lines or more): the analyzer must read it
    newest first and reach the diagnosis it reaches on the original. Excerpts whose lines carry no
    order signal the analyzer reads (no timestamps that differ, no vote from `order_votes` on the
    lines that carry one, events or not) are skipped and counted; every other one must pass."""
    from lab.analyzer.protocol.ordering import stamp_votes
    from lab.analyzer.scan import Scanner, blocks_from_text  # the event lines the analyzer reads

    failures: list[str] = []
    checked = skipped = 0
    for case_id, path in _dev_oldest_first():
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        if len(lines) < 4:
            continue
        original = analyze_text(text)
        if original.order != "oldest-first" or original.streams > 1:
            continue  # two-sided pastes: each side has its own clock
        reversed_text = "\n".join(reversed(lines)) + "\n"
        scanner = Scanner("auto")
        for block in blocks_from_text(reversed_text):
            scanner.feed(block)
        result = scanner.result()
        # (stamps of one second at two precisions, "06:38:53Z" beside "06:38:53.541447815Z", tell no order)
        stamp_steps = stamp_votes([ev.stamp for ev in result.events if ev.stamp is not None])
        numbers = [n for n, _ in result.order_texts]
        if stamp_steps == (0, 0) and order_votes([t for _, t in result.order_texts], numbers) == (0, 0):
            skipped += 1
            continue
        checked += 1
        got = analyze_text(reversed_text)
        want = original.primary.category if original.primary else "none"
        have = got.primary.category if got.primary else "none"
        if got.order != "newest-first" or have != want:
            failures.append(f"{case_id}: read {got.order}, primary {have} (original: {want})")
    assert checked >= 80, f"only {checked} excerpts carried an order signal ({skipped} skipped)"
    assert not failures, f"{len(failures)} of {checked} reversed excerpts:\n" + "\n".join(failures)


def _excerpt(name: str) -> list[str]:
    return [line for line in (CORPUS / "dev" / f"{name}.log").read_text(encoding="utf-8").splitlines() if line.strip()]


def test_lines_that_are_no_event_still_vote_on_the_order() -> None:
    """dev/libreswan-v2-rekey-crossing-streams.log: "#4: initiating Child SA using IKE SA #1" and "#1: deleting
    IKE SA" match no pattern, yet they order the paste. Read backwards, the rekey's refusal must stay the cause
    (not the IKE SA's timeout that follows it), with or without syslog prefixes that share one second."""
    lines = _excerpt("libreswan-v2-rekey-crossing-streams")
    assert "initiating Child SA" in lines[0]
    forward = analyze_text("\n".join(lines) + "\n")
    assert forward.order == "oldest-first" and forward.primary and forward.primary.category == "rekey_issue"
    backward = analyze_text("\n".join(reversed(lines)) + "\n")
    assert backward.order == "newest-first"
    assert backward.primary and backward.primary.category == "rekey_issue"
    syslog = [f"Nov 29 10:01:02 east pluto[2211]: {line}" for line in reversed(lines)]
    got = analyze_text("\n".join(syslog) + "\n")
    assert got.order == "newest-first" and got.primary and got.primary.category == "rekey_issue"


def test_charon_packet_steps_order_a_two_sided_ikev1_paste() -> None:
    """dev/pfsense-v1-p2-encryption-mismatch.log and dev/pfsense-v1-p2-pfs-mismatch.log (pfSense forum: the
    initiator's Quick Mode, then the responder refusing its ESP proposal): charon's worker thread logs
    "received packet" before "parsed", "generating" before "sending packet". Reversed, the paste is read
    newest first and the refusal stays a phase 2 one."""
    for name in ("pfsense-v1-p2-encryption-mismatch", "pfsense-v1-p2-pfs-mismatch"):
        lines = _excerpt(name)
        up, down = order_votes(lines)
        assert up > 0 and down == 0
        got = analyze_text("\n".join(reversed(lines)) + "\n")
        assert got.order == "newest-first", name
        assert got.primary and got.primary.category == "phase2_proposal_mismatch", name


def test_packet_steps_need_neighbouring_lines_of_one_thread() -> None:
    # dev/strongswan-v2-windows-machine-cert-client-connects.log: fragments, each "received packet" then
    # "parsed IKE_AUTH request 1 [ EF(n/7) ]" with a line between the pairs.
    lines = [
        "received packet: from 212.51.148.80[63707] to 10.10.0.150[4500] (580 bytes)",
        "parsed IKE_AUTH request 1 [ EF(1/7) ]",
        "received fragment #1 of 7, waiting for complete IKE message",
        "received packet: from 212.51.148.80[63707] to 10.10.0.150[4500] (580 bytes)",
        "parsed IKE_AUTH request 1 [ EF(2/7) ]",
    ]
    assert order_votes(lines) == (2, 0)
    assert order_votes(list(reversed(lines))) == (0, 2)
    # Only the signal lines, with their line numbers: the pairs across the gap do not vote.
    kept = [0, 1, 3, 4]
    assert order_votes([lines[i] for i in kept], kept) == (2, 0)
    back = [4, 3, 1, 0]
    assert order_votes([lines[i] for i in back], [0, 1, 3, 4]) == (0, 2)
    # Different worker threads are different jobs: no vote.
    assert order_votes(["charon: 06[ENC] parsed INFORMATIONAL_V1 request 1 [ HASH N(NO_PROP) ]",
                        "charon: 08[NET] received packet: from 192.0.2.74[500] to 192.0.2.90[500] (76 bytes)"]) == (0, 0)


def test_stamps_of_every_shape_and_none_in_a_json_line_without_one() -> None:
    assert stamp_of("Nov 29 10:01:05 cgw-a charon: 05[IKE] retransmit 3 of request") == (11 * 31 + 29) * 86400 + 36065
    assert stamp_of("2026-12-01T10:01:02.5+09:00 gw charon: x") == ((2026 * 12 + 12) * 31 + 1) * 86400 + 36062.5
    assert stamp_of("11-29 10:01:02.123 I/charon: x") == pytest.approx((11 * 31 + 29) * 86400 + 36062.123)
    assert stamp_of("Mon Dec 1 2025 10:01:02 x") == ((2025 * 12 + 12) * 31 + 1) * 86400 + 36062
    assert stamp_of("*Mar  1 00:10:02.107: %BGP-3-NOTIFICATION: received from neighbor 4/0") == (3 * 31 + 1) * 86400 + 602.107
    # AWS's JSON tunnel log carries its time as epoch milliseconds, not as a time of day in the first 200 characters
    assert stamp_of('{"event_timestamp":1764404412345,"details":"AWS tunnel processed response (id=12) for '
                    'CREATE_CHILD_SA","dpd_enabled":true}') is None
    assert stamp_of("x" * 300 + " 10:01:02") is None  # a time of day only after the first 200 characters


def test_stamps_read_once_per_second_are_the_stamps_of_each_line() -> None:
    """Lines of the same second share the part of the line a stamp is read from (read once for them): the stamp is
    that of each line, near the 200th character too, and a status column stays no stamp next to a logged line."""
    first = stamp_of("Nov 29 10:01:05.250 cgw-a charon: 05[IKE] retransmit 3 of request")
    assert first == (11 * 31 + 29) * 86400 + 36065.25
    assert stamp_of("Nov 29 10:01:05.250 cgw-a charon: 07[IKE] giving up after 5 retransmits") == first
    assert stamp_of("Nov 29 10:01:05.251 cgw-a charon: 07[IKE] giving up after 5 retransmits") != first
    assert stamp_of("x" * 180 + " 10:01:02.123456 y") == 36062.123456  # the window ends just before the 200th character
    assert stamp_of("x" * 186 + " 10:01:02.123456 y") == 36062.1234  # read up to the 200th character, as before
    assert stamp_of("x" * 188 + " 10:01:02.123456 y") == 36062.12
    assert stamp_of("  up     20:16:31    Established") is None
    assert stamp_of("x up     20:16:31 Established") == 72991


def test_status_listings_give_no_order() -> None:
    """A status table's "since" column (BIRD's `show protocols`) is no log time, and `ipsec status` lists SAs in
    no order of time: neither votes on the order of the lines."""
    assert stamp_of("IBGP_V2_1 BGP      master   up     20:16:31    Established") is None
    assert stamp_of("2016-02-05 17:02:35 <INFO> IBGP_V2_1: Established") is not None
    listing = ["        V2-2{7}:  INSTALLED, TUNNEL, reqid 2, ESP SPIs: cb08fed4_i c39e2f0b_o",
               "        V3-1{8}:  INSTALLED, TUNNEL, reqid 4, ESP SPIs: c6510832_i cff1ad0b_o",
               "        V2-1{4}:  INSTALLED, TUNNEL, reqid 3, ESP SPIs: cc64a328_i c6fe7aa1_o"]
    assert order_votes(listing) == (0, 0)


def test_charon_kernel_sa_steps_give_the_order() -> None:
    # dev/strongswan-v2-dpd-peer-sigstopped-giving-up-clear.log: charon gives up on the peer and its kernel interface
    # deletes each SA, then says it is deleted (kernel_netlink_ipsec.c); no timestamps, no SA ids that move.
    lines = (CORPUS / "dev" / "strongswan-v2-dpd-peer-sigstopped-giving-up-clear.log").read_text().splitlines()
    assert sum("SAD entry with SPI" in line for line in lines) >= 4
    assert order_votes(lines)[0] >= 2 and order_votes(lines)[1] == 0
    assert order_votes(list(reversed(lines)))[1] >= 2
    analysis = analyze_text("\n".join(reversed(lines)) + "\n")
    assert analysis.order == "newest-first"
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"


# pluto's own logfile, time of day only (the form quoted in lists.libreswan.org threads)
PAST_MIDNIGHT = (
    '23:59:58 "aws" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=aes_128 integ=sha '
    'group=MODP2048}\n'
    '23:59:59 "aws" #2: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+IKEV1_ALLOW {using isakmp#1 msgid:a1b2c3d4 '
    'proposal=AES_CBC_128-HMAC_SHA1_96 pfsgroup=MODP2048}\n'
    '00:00:59 "aws" #2: STATE_QUICK_I1: 60 second timeout exceeded after 7 retransmits.  No acceptable response to our '
    'first Quick Mode message: perhaps peer likes no proposal\n'
)


def test_a_time_of_day_log_that_passes_midnight_is_one_log_in_its_order() -> None:
    result = analyze_text(PAST_MIDNIGHT)
    assert result.streams == 1 and result.order == "oldest-first"
    two = "".join(PAST_MIDNIGHT.splitlines(keepends=True)[i] for i in (0, 2))
    assert analyze_text(two).order == "oldest-first"
    # time falling back during the day is still a second log pasted after the first
    second = PAST_MIDNIGHT.replace("00:00:59", "12:00:59").replace("23:59:5", "13:59:5")
    assert analyze_text(second).streams == 2
