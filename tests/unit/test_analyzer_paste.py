"""Lines a mail, an archive or a fixed-width page wrapped are joined back before they are read (`lab.analyzer.paste`):
checked on development excerpts of the real-log corpus (`datasets/real-logs/dev/`, sources in `corpus.yaml`) that were
collected wrapped, and on excerpts wrapped the way a mail client wraps them."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.paste import rejoin_wrapped, strip_line_prefixes
from scripts.paste_robustness import mail_wrapped, starts_every_line, terminal_cut
from tests.timing import best_pair

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
SAMPLES = Path(__file__).resolve().parents[2] / "lab" / "data"


# The development excerpts that were collected wrapped; every other one is whole.
COLLECTED_WRAPPED = {
    "strongswan-v2-rekey-policy-conflict-cisco-asa", "strongswan-v2-peer-requested-ike-delete",
    "libreswan-v2-ike-auth-no-proposal-whack", "cisco-ios-bgp-hold-time-two-sided",
    # copied from a page that wraps Cisco's debug output
    "cisco-asa-v2-cert-auth-peer-id-check-fails-no-ip-in-san", "cisco-ios-v2-cert-auth-asa-dn-identity-no-ikev2-profile",
    # FreeS/WAN's FAQ wraps the pluto line it quotes at the page's width
    "freeswan-v1-pgpnet-quick-mode-no-connection-known-leftsubnet-mismatch",
    # a swan-dev mail (format=flowed: its soft breaks end in one space), breaking lines shorter than its longest
    "libreswan-v2-child-rekey-state-vanished-expire-raced-replace",
    # a FortiGate debug file wrapped at its viewer's width (the long VID and "sent IKE msg" lines)
    "fortigate-v1-aggressive-xauth-psk-mismatch-client-informational-negotiation-timeout",
    "fortigate-v1-xauth-ldap-no-dn-found-fnbam-denied",
    "fortigate-v1-xauth-ldap-server-tcp-389-connect-timeout-fnbam-timeout",
    # a blog post's IOS console output, continued on indented lines at the page's width
    "cisco-ios-bgp-tracked-route-to-peer-lost-interface-down",
    # a Fortinet article's FortiGate event log lines, wrapped at the page's width
    "fortigate-ipsec-dpd-failure-bgp-vrf-hold-timer-expired",
    # two FortiGate debug captures kept in a repository as the terminal wrapped them (the long "sent IKE msg" lines)
    "fortigate-ikev1-xauth-ldap-dialup-up-dpd-r-u-there", "fortigate-ikev1-xauth-local-user-wrong-password",
    # an FRR debug log pasted into a GitHub issue with one zebra line broken in two ("(vrf VRF" / "default)")
    "metallb-frr-nexthop-unresolved-ubuntu-dhcp",
    # a FortiGate debug capture in a forum post, its hex dumps and "sent IKE msg" lines cut at the page's width
    "fortigate-v2-dialup-saml-group-mismatch-eap-denied",
    # GoBGP's JSON lines in a GitHub issue, the closing brace of the two longest on a line of its own
    "gobgp-ebgp-multihop-ttl-hold-timer-expired",
}


def _log(name: str) -> str:
    return (DEV / f"{name}.log").read_text(encoding="utf-8")




def _category(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


def test_excerpts_collected_wrapped_read_whole() -> None:
    # A mailing-list post cut inside words ("polic" / "y"), an issue thread cut inside an address and a port, a
    # pluto line cut inside "message", a Cisco BGP line wrapped at a space.
    text, joined = rejoin_wrapped(_log("strongswan-v2-rekey-policy-conflict-cisco-asa"))
    assert joined == 2
    assert "10.0.0.0/8 in for reqid 16, the same policy for reqid 1 exists" in text
    text, _ = rejoin_wrapped(_log("strongswan-v2-peer-requested-ike-delete"))
    assert "209.97.151.23[209.97.151.23]...207.96.115.200[jedipapi]" in text
    assert "to 207.96.115.200[4500] (57 bytes)" in text
    text, _ = rejoin_wrapped(_log("libreswan-v2-ike-auth-no-proposal-whack"))
    assert "notification; message payloads: SK;" in text
    text, _ = rejoin_wrapped(_log("cisco-ios-bgp-hold-time-two-sided"))
    assert "received from neighbor 4/0 (hold time expired) 0 bytes" in text
    for name in COLLECTED_WRAPPED:
        assert rejoin_wrapped(_log(name))[1] > 0
        assert _category(_log(name)) == _category(rejoin_wrapped(_log(name))[0])


@pytest.mark.parametrize("width", [72, 80, 100])
@pytest.mark.parametrize("name", [
    "libreswan-v1-old-ah-mismatch-quick-deleted",
    "libreswan-v1-responder-mr1-unanswered-firewall",
    "libreswan-v2-create-child-no-proposal",
    "openbgpd-peer-closes-in-opensent-side-not-yet-configured",
    "libreswan-v1-old-ipcomp-mismatch-quick-timeout",
    "pfsense-v1-p2-pfs-mismatch",
    "libreswan-v1-android-xauth-all-proposals-modp1024-refused",
])
def test_an_excerpt_wrapped_by_a_mail_client_reads_as_the_original(name: str, width: int) -> None:
    original = _log(name)
    assert _category(mail_wrapped(original, width)) == _category(original)


@pytest.mark.parametrize("width", [80, 100])
@pytest.mark.parametrize("name", [
    "libreswan-v2-no-matching-conn-psk",  # AUTHENTICAT / ION_FAILED, cip / her
    "libreswan-v2-x509-no-ca",
    "strongswan-v2-responder-failed-cp-required",  # 10.3.198. / 133[500], N(FAIL_CP / _REQ)
    "openbgpd-peer-closes-in-opensent-peer-misconfiguration",  # Ac / tive (the paste holds "Active" whole)
    "libreswan-v2-extra-child-ts-unacceptable",
])
def test_an_excerpt_cut_at_a_terminals_width_reads_as_the_original(name: str, width: int) -> None:
    original = _log(name)
    cut = terminal_cut(original, width)
    assert cut != original
    assert _category(cut) == _category(original)


@pytest.mark.parametrize(("name", "shape"), [
    # GoBGP's JSON lines: the wrap breaks a record where its long tokens leave a space, its braces say where it ends
    ("gobgp-ebgp-multihop-ttl-hold-timer-expired", "mail"),
    ("gobgp-open-as-mismatch-wrong-source-address-juniper", "mail"),
    ("gobgp-neighbor-reset-operation-cease-admin-reset-peer-down", "mail"),
    # Docker's json-file record of a MetalLB line, cut at 80 columns inside its escaped quotes
    ("metallb-bgp-open-message-type-3-router-already-peered-by-calico", "terminal"),
    # FortiOS `diagnose debug application ike` lines: "ike V=root:0:to-FG2:5293: ..." starts a line
    ("fortigate-v2-child-sa-rekey-unanswered-sa-hard-expired", "mail"),
    ("fortigate-v2-child-sa-rekey-unanswered-sa-hard-expired", "terminal"),
    # a FortiGate event log line cut before a quoted value ('"outbound" role=...'): no pluto line's start
    ("fortigate-event-azure-phase2-rekey-error", "terminal"),
    # one line broken at 76 columns where its 58 columns are the longest: the width is at least a mail's narrowest
    ("juniper-kernel-tcp-md5-wrong-digest", "mail"),
    ("junos-bgp-tcp-md5-digest-missing-from-peer", "mail"),
])
def test_records_and_debug_lines_a_wrap_broke_read_as_the_original(name: str, shape: str) -> None:
    original = _log(name)
    broken = mail_wrapped(original, 76) if shape == "mail" else terminal_cut(original, 80)
    assert broken != original
    assert _category(broken) == _category(original)


def test_a_json_record_cut_by_a_terminal_is_joined_back_exactly() -> None:
    record = ('{"log":"E1213 22:09:35.960710       1 bgp.go:48] read OPEN from \\"10.1.105.1:179\\": message type '
              'is not OPEN, got 3, want 1\\n","stream":"stderr","time":"2017-12-13T22:09:35.961076973Z"}')
    joined, n = rejoin_wrapped(terminal_cut(record + "\n" + record, 80) + "\n")
    assert n == 4 and [line for line in joined.splitlines() if line.strip()] == [record, record]
    # a record that never closes is left as it is (the paste ends inside it)
    cut_off = terminal_cut(record[:150], 80) + "\n"
    assert rejoin_wrapped(cut_off) == (cut_off, 0)


def test_a_cut_that_leaves_the_arrows_head_first_is_no_mail_quote() -> None:
    # charon's and pluto's "{ESPinUDP=>0xaca6680e <0xc2f360be ...}" cut after the "=": the ">" starting the next line
    # is the arrow's head, glued to the SPI, not a mail's quote mark (which the lines of a reply carry with a space)
    original = _log("libreswan-v2-ike-rekey-unanswered-reauth")
    cut = terminal_cut(original, 80)
    assert "\n>0x" in cut
    analysis = analyze_text(cut)
    assert _category(cut) == _category(original)
    assert not any("quote marks" in str(note) for note in analysis.notes)
    # a quoted log line is still read without its mark, with or without the space after it
    for mark in ("> ", ">", ">> "):
        quoted = "\n".join(mark + line for line in original.splitlines())
        assert _category(quoted) == _category(original), mark


def test_a_terminal_cut_keeps_the_space_it_fell_on() -> None:
    lines = ['"aws-tunnel-1"[1] 203.0.113.5 #1: IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED',
             '"aws-tunnel-1"[1] 203.0.113.5 #3: IKE SA authentication request rejected by peer: AUTHENTICATION_FAILED']
    width = lines[0].index(" rejected")  # the first cut falls on the space before "rejected"
    cut = terminal_cut("\n".join(lines), width)
    assert cut.splitlines()[1].startswith(" rejected")
    joined, n = rejoin_wrapped(cut)
    assert n == 2 and [line for line in joined.splitlines() if line.strip()] == lines


@pytest.mark.parametrize("name", ["cisco-asa-v1-mm-wait-msg4-peer-lacks-psk", "libreswan-v1-responder-mr1-unanswered-firewall",
                                  "fortigate-event-azure-phase2-rekey-error"])
def test_a_wrapped_excerpt_quoted_in_a_reply_reads_as_the_original(name: str) -> None:
    original = _log(name)
    quoted = "\n".join("> " + part for part in mail_wrapped(original, 76).splitlines())
    assert _category(quoted) == _category(original)
    assert " > " not in rejoin_wrapped(quoted)[0]  # the quote marks of the wrapped rest are not kept


def test_findings_keep_the_line_numbers_of_the_paste() -> None:
    original = _log("libreswan-v1-responder-mr1-unanswered-firewall")
    paste = mail_wrapped(original, 72)
    result = analyze_text(paste)
    lines = paste.splitlines()
    assert result.lines == len(lines)
    for finding in result.findings:
        first_part = lines[finding.line - 1]
        assert finding.text.startswith(first_part.rstrip()[:40])  # shown whole, at the number of its first part
    assert any("joined back" in str(note) for note in result.notes)
    # Windows line ends stay where they were.
    crlf, joined = rejoin_wrapped(paste.replace("\n", "\r\n"))
    assert joined and crlf.count("\r\n") == paste.count("\n")


def test_unwrapped_logs_are_left_as_they_are() -> None:
    samples = sorted(SAMPLES.rglob("*.log")) + sorted(DEV.glob("*.log"))
    assert len(samples) > 200
    for path in samples:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.stem in COLLECTED_WRAPPED:
            continue
        assert rejoin_wrapped(text) == (text, 0), path.name
    # A log line and a remark after it: the remark is no part of the line.
    remark = ('"east-west" #1: STATE_MAIN_I1: 60 second timeout exceeded after 7 retransmits. No response\n'
              "this is what I see on both gateways\n")
    assert rejoin_wrapped(remark) == (remark, 0)
    # ... but one break that cuts a word at the page's width is a cut.
    line = remark.splitlines()[0]
    cut = f'{line[:66]}\n{line[66:]}\n"east-west" #1: initiating Main Mode'
    assert line[62:70] == "r 7 retr"
    assert rejoin_wrapped(cut) == (f'{line}\n\n"east-west" #1: initiating Main Mode', 1)
    # Prose with a few log lines in it: nothing says where a log line starts.
    prose = "\n".join(["I set up the tunnel as the guide says and the log shows the following lines when I try"] * 4
                      + ['"east-west" #1: initiating Main Mode', "and then nothing else happens at all for a minute."])
    assert rejoin_wrapped(prose) == (prose, 0)


def test_a_flowed_mails_soft_breaks_are_joined_whatever_the_width() -> None:
    # RFC 3676 (format=flowed): a line that ends in one space goes on at the next line. The mail broke these lines
    # at about 78 columns and left a longer line whole, so the width alone does not show the breaks.
    # https://lists.libreswan.org/pipermail/swan-dev/2020-April/003748.html
    name = "libreswan-v2-child-rekey-state-vanished-expire-raced-replace"
    text, joined = rejoin_wrapped(_log(name))
    assert joined == 2
    assert '#3699: CHILD SA to rekey #3500 vanished abort this exchange' in text
    assert "| duplicating state object #3606 \"west/100x0\" as #3699 for IPSEC SA" in text
    assert _category(_log(name)) == "rekey_issue"
    # Padding is no soft break: Cisco pads its state names with several spaces, and an indented line goes on a
    # line of its own.
    padded = ("*Oct 25 20:37:02.884: ISAKMP: (1001):set new node 0 to QM_IDLE      \n"
              "spoke2#\n*Oct 25 20:37:02.890: ISAKMP: (1001):processing HASH payload. message ID = 1148084868\n")
    assert rejoin_wrapped(padded) == (padded, 0)
    indented = ('"east-west" #1: STATE_MAIN_I1: 60 second timeout exceeded after 7 retransmits. No response (or no '
                'acceptable response) to our first IKEv1 message\n"east-west" #1: sent MR3, expecting MR4 \n'
                "    this is what I see on both gateways\n")
    assert rejoin_wrapped(indented) == (indented, 0)


def _uniform_mail(pairs: int) -> str:
    # One daemon's lines of one shape, each wrapped by a mail between two words at the same column: every broken line
    # is as wide as the widest, and no break shows a terminal's cut (the case that asks the paste's own words).
    head = "Oct 13 13:29:25 lg02 bgpd[101680]: neighbor 2001:910::5 (GITOYEN1-v6) state change"
    return "\n".join(f"{head}\nConnect -> OpenSent, reason: Connection opened" for _ in range(pairs))


def test_telling_a_terminal_from_a_mail_costs_in_proportion_to_the_paste() -> None:
    # (Reading the paste's words once per break made a 4,000-break paste take about a minute.)
    small, large = best_pair(rejoin_wrapped, _uniform_mail(250), _uniform_mail(4000), rounds=3)
    assert rejoin_wrapped(_uniform_mail(4000))[1] == 4000
    assert large <= 40 * small + 0.05, (small, large)  # 16 times the paste; quadratic would be about 256 times


ARROWS = ("   <-----", "   <== here", " ←", "  # <-- this", " >>>")


@pytest.mark.parametrize("arrow", ARROWS)
def test_an_arrow_an_article_adds_to_the_key_lines_changes_no_reading(arrow: str) -> None:
    # Knowledge-base articles and forum posts mark the lines that matter ("... refused   <-----"): every tenth
    # development excerpt, with its finding lines marked so, reads as it does without the marks.
    for path in sorted(DEV.glob("*.log"))[::10]:
        if path.stem in COLLECTED_WRAPPED:
            continue  # (a mark at the end of a wrapped line's first part is no longer at the end of the line)
        text = path.read_text(encoding="utf-8")
        plain = analyze_text(text)
        keys = {f.line for f in plain.findings}
        marked = "".join(line + (arrow if n in keys else "") + "\n" for n, line in enumerate(text.splitlines(), 1))
        result = analyze_text(marked).primary
        assert (result.category if result else None) == (plain.primary.category if plain.primary else None), path.name


def test_a_refused_transform_marked_with_an_arrow_is_still_the_refused_offer() -> None:
    # pluto lists each refused Oakley transform; a paste that ends there is the offer refused (phase 1), with or
    # without the arrow a post adds after "refused".
    text = _log("libreswan-v1-android-xauth-all-proposals-modp1024-refused")
    marked = "".join(line + ("   <-----" if "refused" in line else "") + "\n" for line in text.splitlines())
    assert analyze_text(marked).primary.category == analyze_text(text).primary.category == "phase1_proposal_mismatch"


# ---- Pastes whose lines do not say where a line starts: a daemon's output without prefixes, a line or two in a mail

@pytest.mark.parametrize(("name", "width"), [
    # charon's `swanctl --initiate` output (no time stamps, no thread ids), wrapped by a mail at 80 columns
    ("strongswan-v2-transport-requested-tunnel-installed", 80),
    # one PAN-OS system-log line, broken twice by a mail
    ("paloalto-v1-phase1-initiator-main-mode-timeout", 72),
    ("paloalto-v1-phase1-initiator-main-mode-timeout", 80),
    # one FRR line with its syslog prefix, broken once
    ("sonic-frr-bgpd-adjchange-down-interface-down", 80),
    # pluto's status listing (ipsec status): the row and its pending Phase 2, broken after "EVENT_RETRANSMIT"
    ("openswan-v1-aws-security-group-blocks-ike-stuck-main-i1", 80),
])
def test_a_wrapped_paste_without_line_starts_reads_as_the_original(name: str, width: int) -> None:
    original = _log(name)
    wrapped = mail_wrapped(original, width)
    assert rejoin_wrapped(wrapped)[1] == 0  # (the paste's shape alone does not tell the breaks)
    result = analyze_text(wrapped)
    assert _category(original) is not None
    assert (result.primary.category if result.primary else None) == _category(original)
    assert any("joined back" in str(note) for note in result.notes)


def test_a_cause_read_from_the_broken_parts_of_lines_gives_way_to_the_whole_lines() -> None:
    # A simultaneous IKE_AUTH exchange resolved by the nonces (libreswan's test suite): healthy. Wrapped at 80
    # columns, the rests of the broken lines ("encrypted notification AUTHENTICATION_FAILED") read as a refusal
    # of their own; read whole, they are the loser's side of the collision again.
    original = _log("libreswan-v2-simultaneous-ike-auth-collision-higher-nonce-wins")
    assert _category(original) is None
    assert _category(mail_wrapped(original, 80)) is None


@pytest.mark.parametrize("text", [
    # a GoBGP peer stopped here and back up: two logrus lines of about the same width
    'time="2024-04-24T17:22:11Z" level=info msg="Peer Down" Key=169.254.21.1 Reason=dying State=BGP_FSM_ESTABLISHED '
    'Topic=Peer\n'
    'time="2024-04-24T17:22:40Z" level=info msg="Peer Up" Key=169.254.21.1 State=BGP_FSM_OPENCONFIRM Topic=Peer\n',
    # `gobgp neighbor`: table rows start like the row before them
    "Peer          AS  Up/Down State       |#Received Accepted\n"
    "172.20.32.20  64512 00:07:58 Establ      |        1         1\n"
    "172.20.33.99  64512    never Active      |        0         0\n"
    "172.20.34.2   64512    never Active      |        0         0\n",
])
def test_whole_lines_of_about_the_same_width_are_not_glued_together(text: str) -> None:
    # (The width alone would join each of these lines to the one before: the first word of each would not have fit.)
    # Lines that start alike (time stamps, the rows' addresses) stay apart; a table's header may take its first row.
    lines = text.splitlines()
    joined = rejoin_wrapped(text, strict=False)[0].splitlines()
    assert joined[-2:] == lines[-2:] and len(joined) == len(lines)
    assert _category(text) == _category("\n\n".join(lines))  # (blank lines between: nothing to join)


def test_json_records_are_not_glued_together() -> None:
    # GoBGP's JSON lines wrapped by a mail: each record's parts are joined back, and a record is not joined to the
    # whole one before it (a record has too few spaces for its first word to tell).
    records = [
        '{"level":"info","msg":"Peer 213.133.111.200 is added, passive mode, idle hold time 5 seconds",'
        '"time":"2016-02-05T17:02:35+03:00","Topic":"Peer"}',
        '{"Key":"213.133.111.200","Topic":"Peer","level":"debug","msg":"IdleHoldTimer expired",'
        '"time":"2016-02-05T17:02:35+03:00","Duration":0}',
        '{"Key":"213.133.111.200","Topic":"Peer","level":"debug","msg":"state changed","new":"BGP_FSM_ACTIVE",'
        '"old":"BGP_FSM_IDLE","reason":"idle hold timer expired","time":"2016-02-05T17:02:35+03:00"}',
    ]
    wrapped = mail_wrapped("\n".join(records), 90)
    joined, n = rejoin_wrapped(wrapped, strict=False)
    assert n > 0 and [line for line in joined.splitlines() if line.strip()] == records


def test_a_code_fence_around_a_wrapped_paste_changes_nothing() -> None:
    # A GitHub issue or a forum post puts the log between ``` lines: they are no log line and no broken one.
    for name in ("libreswan-v2-child-rekey-state-vanished-expire-raced-replace",
                 "freeswan-v1-pgpnet-quick-mode-no-connection-known-leftsubnet-mismatch"):
        original = _log(name)
        assert rejoin_wrapped(original)[1] > 0
        assert _category("```\n" + original + "```\n") == _category("~~~log\n" + original + "~~~\n") == _category(
            original) is not None


def test_quote_marks_before_a_console_excerpt_are_left_out() -> None:
    # The operator's commands in libreswan's test console ("road #", " ipsec whack --rekey-ipsec ...") say what the
    # rekey was asked for; quoted in a mail reply ("> ", "> > ") they are read the same, with a note saying so.
    original = _log("libreswan-v2-child-rekey-responder-supernet-road-keeps-old-sa")
    for marks in ("> ", ">", "> > ", ">> "):
        quoted = "".join(marks + line + "\n" for line in original.splitlines())
        result = analyze_text(quoted)
        assert result.primary is not None and result.primary.category == _category(original) == "rekey_issue"
        assert any("quote marks (>)" in str(note) for note in result.notes)
    assert not any("quote marks" in str(note) for note in analyze_text(original).notes)


def test_most_development_excerpts_read_the_same_after_a_mails_wrap() -> None:
    # Every fifth development excerpt, wrapped at 72 columns, and quoted in a reply wrapped at 80: at least 97 % of
    # those the analyzer reads right read the same (the misses: a paste of short lines whose breaks nothing tells).
    same = total = 0
    for path in sorted(DEV.glob("*.log"))[::5]:
        if path.stem in COLLECTED_WRAPPED:
            continue
        original = path.read_text(encoding="utf-8")
        want = _category(original)
        for variant in (mail_wrapped(original, 72), "\n".join("> " + part for part in mail_wrapped(original, 78).splitlines())):
            total += 1
            same += _category(variant) == want
    assert total > 150 and same >= 0.97 * total, (same, total)


def _numbered(text: str) -> str:
    return "".join(f"{no:4d}  {line}\n" for no, line in enumerate(text.splitlines(), start=1))


def _cri(text: str) -> str:
    return "".join(f"2024-06-10T10:{no // 60 % 60:02d}:{no % 60:02d}.123456789Z stdout F {line}\n"
                   for no, line in enumerate(text.splitlines()))


# What a viewer or a collector puts before every line, and the words of the note that says it was left out.
LINE_PREFIXES = {
    "numbers": (_numbered, "line numbers"),
    "cat -n": (lambda text: "".join(f"{no:6d}\t{line}\n" for no, line in enumerate(text.splitlines(), 1)),
               "line numbers"),
    "bullets": (lambda text: "".join(f"- {line}\n" for line in text.splitlines()), "list marks"),
    "kubectl": (lambda text: "".join(f"[pod/libreswan-6f9c7d/pluto] {line}\n" for line in text.splitlines()),
                "kubectl logs --prefix"),
    "compose": (lambda text: "".join(f"vpn-1  | {line}\n" for line in text.splitlines()), "docker compose"),
    "cri": (_cri, "container runtime"),
}


PREFIXED_EXCERPTS = [
    # the operator's rekey command, matched where a console line starts
    "libreswan-v2-child-rekey-responder-supernet-road-keeps-old-sa",
    "libreswan-v2-child-rekey-responder-narrows-to-subnet-rekey-fails",
    # wrapped lines: a prefix on every part hid where a line starts
    "freeswan-v1-pgpnet-quick-mode-no-connection-known-leftsubnet-mismatch",
    "libreswan-v2-pfs-dh19-auth-failed-rejected-by-peer-authby",
    "libreswan-v2-pending-child-ike-sa-init-unanswered-peer-down",
]


@pytest.mark.parametrize(("name", "kind"), [
    (name, kind) for name in PREFIXED_EXCERPTS for kind in sorted(LINE_PREFIXES)
    # (CRI holds a daemon's whole lines: no shell commands, no line a page wrapped)
    if kind != "cri" or not (name.startswith("libreswan-v2-child-rekey") or name in COLLECTED_WRAPPED)])
def test_a_prefix_before_every_line_is_left_out(name: str, kind: str) -> None:
    # Line numbers (an editor, `cat -n`, a pastebin), list marks, `kubectl logs --prefix`, `docker compose logs` and
    # a container runtime's log file put something before every line: the excerpt reads as without it, with a note.
    prefixed, words = LINE_PREFIXES[kind]
    original = _log(name)
    result = analyze_text(prefixed(original))
    assert result.primary is not None and result.primary.category == _category(original) is not None
    assert any(words in str(note) for note in result.notes), [str(n) for n in result.notes]


def test_what_only_looks_like_a_prefix_is_kept() -> None:
    # pluto's whack codes ("002 ") do not count up; a table's rows start with addresses; one line with a mark before
    # it is a line; two pods' lines are two logs.
    for text in ('002 "west" #1: initiating IKEv2 connection\n002 "west" #1: sent IKE_SA_INIT request\n'
                 '003 "west" #1: STATE_V2_PARENT_I1: retransmission; will wait 0.5 seconds for response\n',
                 "10.0.0.1 4 65001 0 0 1 0 0 never Active\n10.0.0.2 4 65002 0 0 1 0 0 never Active\n"
                 "10.0.0.3 4 65003 0 0 1 0 0 never Active\n",
                 "- 12[IKE] no IKE config found for 192.0.2.1...198.51.100.7, sending NO_PROPOSAL_CHOSEN\n",
                 "[pod/a-1/charon] 12[IKE] initiating IKE_SA\n[pod/b-2/charon] 12[IKE] initiating IKE_SA\n"):
        assert strip_line_prefixes(text) == (text, None)


def test_a_container_runtimes_partial_lines_are_joined() -> None:
    # CRI writes a line longer than its buffer in parts: "P" for each part the next goes on with, "F" for the last.
    line = "13[IKE] received AUTHENTICATION_FAILED notify error"
    text = (f"2024-06-10T10:00:00.1Z stdout P {line[:20]}\n2024-06-10T10:00:00.1Z stdout F {line[20:]}\n"
            "2024-06-10T10:00:01.5Z stderr F 13[IKE] establishing IKE_SA failed, peer not responding\n")
    stripped, kind = strip_line_prefixes(text)
    assert kind == "cri"
    assert stripped.splitlines() == [f"2024-06-10T10:00:00.1Z {line}", "",
                                     "2024-06-10T10:00:01.5Z 13[IKE] establishing IKE_SA failed, peer not responding"]


def test_an_indented_code_block_is_read_as_the_lines_in_it() -> None:
    # A post's code block indents every line by four spaces (Markdown) or a tab; a console's commands keep their own.
    original = _log("libreswan-v2-child-rekey-responder-supernet-road-keeps-old-sa")
    for indent in ("    ", "\t"):
        indented = "".join(indent + line + "\n" if line.strip() else "\n" for line in original.splitlines())
        assert _category(indented) == _category(original) == "rekey_issue"


# pluto's counters as `ipsec whack --globalstatus` prints them, one a line without spaces (libreswan's test
# whack-globalstatus-01, https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/whack-globalstatus-01/west.console.txt).
GLOBALSTATUS = (
    "west #\n"
    " ipsec whack --globalstatus\n"
    "total.ikev2.sent.notifies.error.UNSUPPORTED_CRITICAL_PAYLOAD=0\n"
    "total.ikev2.sent.notifies.error.INVALID_IKE_SPI=0\n"
    "total.ikev2.sent.notifies.error.INVALID_MAJOR_VERSION=0\n"
    "total.ikev2.sent.notifies.error.INVALID_SYNTAX=0\n"
    "total.ikev2.sent.notifies.error.INVALID_MESSAGE_ID=0\n"
    "total.ikev2.sent.notifies.error.INVALID_SPI=0\n"
    "total.ikev2.sent.notifies.error.NO_PROPOSAL_CHOSEN=0\n"
    "total.ikev2.sent.notifies.error.INVALID_KE_PAYLOAD=0\n"
    "total.ikev2.sent.notifies.error.AUTHENTICATION_FAILED=0\n"
    "total.ikev2.sent.notifies.error.SINGLE_PAIR_REQUIRED=0\n"
    "total.ikev2.sent.notifies.error.NO_ADDITIONAL_SAS=0\n"
    "total.ikev2.sent.notifies.error.INTERNAL_ADDRESS_FAILURE=0\n"
    "total.ikev2.sent.notifies.error.FAILED_CP_REQUIRED=0\n"
    "total.ikev2.sent.notifies.error.TS_UNACCEPTABLE=0\n"
    "total.ikev2.sent.notifies.error.INVALID_SELECTORS=0\n"
    "total.ikev2.sent.notifies.error.UNACCEPTABLE_ADDRESSES=0\n"
    "total.ikev2.sent.notifies.error.UNEXPECTED_NAT_DETECTED=0\n"
    "total.ikev2.sent.notifies.error.USE_ASSIGNED_HoA=0\n"
    "total.ikev2.sent.notifies.error.TEMPORARY_FAILURE=0\n"
    "total.ikev2.sent.notifies.error.CHILD_SA_NOT_FOUND=0\n"
    "total.ikev2.sent.notifies.error.INVALID_GROUP_ID=0\n"
    "total.ikev2.sent.notifies.error.AUTHORIZATION_FAILED=0\n"
    "total.ikev2.sent.notifies.error.STATE_NOT_FOUND=0\n"
    "total.ikev2.sent.notifies.error.TS_MAX_QUEUE=0\n"
    "total.ikev2.sent.notifies.error.REGISTRATION_FAILED=0\n"
    "total.ikev2.sent.notifies.error.other=0\n"
)


def test_a_listing_of_one_word_rows_is_no_wrapped_line() -> None:
    # Each counter is too long to follow the one before within a mail's width, as a wrapped line's rest would be; rows
    # that start with the same key are a listing. Joined, "...FAILED_CP_REQUIRED=0 ...TS_UNACCEPTABLE=0" read as a
    # refusal of the selectors.
    joined = rejoin_wrapped(GLOBALSTATUS, strict=False)[0].splitlines()
    counters = [line for line in GLOBALSTATUS.splitlines() if line.startswith("total.")]
    assert all(row in joined for row in counters[1:])  # (the first may go on the command's line: no counter of its own)
    assert analyze_text(GLOBALSTATUS).primary is None
    # A long word a mail put alone on its line, and the next one, still join: their starts differ.
    wrapped = ("Dec  1 10:00:00 gw charon[1]: 13[IKE] received proposals inacceptable, local proposals:\n"
               "IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048,AES_CBC_256/HMAC_SHA2_256_128/MODP_2048\n"
               "ESP:AES_GCM_16_128/NO_EXT_SEQ\n")
    assert rejoin_wrapped(wrapped, strict=False)[1] >= 1


def test_a_table_row_that_carries_on_a_long_cell_is_joined_to_the_row_above() -> None:
    # calicoctl node status as pasted in projectcalico/calicoctl#1883: the INFO cell goes on in the next row.
    from lab.analyzer.paste import join_table_cells

    table = ("+----------------+-------------------+-------+----------+--------------------------------+\n"
             "|  PEER ADDRESS  |     PEER TYPE     | STATE |  SINCE   |              INFO              |\n"
             "+----------------+-------------------+-------+----------+--------------------------------+\n"
             "| 192.168.63.204 | node-to-node mesh | start | 17:19:38 | Active Socket: Connection      |\n"
             "|                |                   |       |          | refused                        |\n"
             "+----------------+-------------------+-------+----------+--------------------------------+\n")
    joined, count = join_table_cells(table)
    rows = joined.split("\n")
    assert count == 1 and rows[4] == "" and len(rows) == len(table.split("\n"))  # every other line keeps its number
    assert "Active Socket: Connection refused" in rows[3]
    analysis = analyze_text(table)
    assert analysis.primary is not None and analysis.primary.category == "bgp_down"
    assert analysis.primary.facts.get("bgp_reason") == "connection_refused"
    assert analysis.primary.facts.get("peer") == "192.168.63.204"
    assert any("joined to that row" in str(n) for n in analysis.notes)
    # A table without such rows is returned as it is.
    plain = table.replace("|                |                   |       |          | refused                        |\n", "")
    assert join_table_cells(plain) == (plain, 0)


# Development excerpts whose every line starts with a timestamp, charon's thread or an ASA message id (every 3rd)
RUN_TOGETHER = sorted(p.stem for p in DEV.glob("*.log") if starts_every_line(p.read_text(errors="replace")))[::3]


@pytest.mark.parametrize("name", RUN_TOGETHER)
def test_lines_a_page_ran_together_read_as_the_original(name: str) -> None:
    # A forum or a chat that lost a pasted log's line breaks shows its lines one after the other on one line.
    text = (DEV / f"{name}.log").read_text(errors="replace")
    original = analyze_text(text)
    run = analyze_text(" ".join(line.strip() for line in text.splitlines() if line.strip()))
    assert (run.primary.category if run.primary else None) == (
        original.primary.category if original.primary else None)
    assert [f.text.rstrip() for f in run.findings] == [f.text.rstrip() for f in original.findings]
    assert any("run together" in str(n) for n in run.notes)


def test_a_time_inside_a_message_does_not_start_a_line() -> None:
    from lab.analyzer.paste import split_run_together

    # charon's certificate check quotes two dates with times; journald puts its own timestamp before charon's
    for line in ("Nov 30 15:56:23 10[CFG] <gw|1> subject certificate invalid (valid from Jan 01 15:56:23 2020 to "
                 "Dec 31 15:56:23 2020)",
                 "Apr 02 14:15:55 supriya-ipsec charon-systemd[499408]: Apr  2 14:15:55 14[IKE] deleting IKE_SA "
                 "test-1[1] between fe80::bae9:24ff:fe9d:1256[fe80::bae9:24ff:fe9d:1256]"):
        assert split_run_together(line) == (line, 0)
    # ... while three such lines run together are three lines (journald's prefix, not charon's, starts each)
    three = " ".join(["Apr 02 14:15:55 gw charon-systemd[1]: Apr  2 14:15:55 14[IKE] sending DELETE for IKE_SA t[1]"] * 3)
    text, count = split_run_together(three)
    assert count == 1 and text.split("\n") == [
        "Apr 02 14:15:55 gw charon-systemd[1]: Apr  2 14:15:55 14[IKE] sending DELETE for IKE_SA t[1]"] * 3


def test_lines_that_go_on_with_different_words_are_still_split_where_their_timestamps_are() -> None:
    from lab.analyzer.paste import split_run_together

    # pluto with microseconds (dev excerpt libreswan-v2-established-ike-retransmit-timeout-unreachable-peer): its
    # three lines go on with a connection's name, "ABORT:" and "Initializing"; a Junos trace with "bgp_listen_accept:"
    # and "BGP SEND"
    pluto = ['Aug 18 22:12:31.908467: "_tu-706-705" #1: STATE_V2_ESTABLISHED_IKE_SA: 60 second timeout exceeded after '
             '7 retransmits.  No response (or no acceptable response) to our IKEv2 message',
             "Aug 18 22:12:31.908580: ABORT: ASSERTION FAILED: switch (ike->sa.st_connection->config->dpd.action) "
             "case 0 (0x0) unexpected (retransmit_timeout_action() +100 /programs/pluto/timer.c:213)",
             'Aug 18 22:12:32.472914: Initializing NSS using read-write database "sql:/etc/ipsec.d"']
    junos = ["Nov  3 21:02:34.678678 BGP SEND Notification code 6 (Cease) subcode 5 (Connection Rejected)",
             "Nov  3 21:02:34.678687 bgp_listen_accept:5610: NOTIFICATION sent to fe80::225:90ff:fe5f:603d+53674 "
             "(proto): code 6 (Cease) subcode 5 (Connection Rejected)",
             "Nov  3 21:02:34.678700 BGP SEND Notification code 6 (Cease) subcode 5 (Connection Rejected)"]
    # FortiOS's IKE debug and fnbamd's beside it (lvannstruth-ftnt/fgt-ike-debugger)
    fortios = ["2025-01-20 14:30:53.727266 ike V=root:0:ikev1-radius_0: XAUTH 700221448252 pending",
               "2025-01-20 14:30:53 [918] fnbamd_cfg_get_radius_list-Total rad servers to try: 1",
               "2025-01-20 14:30:58 [730] __rad_conn_timeout-Connction with labDC-radius:10.21.1.101 timed out."]
    for lines in (pluto, junos, fortios):
        assert split_run_together(" ".join(lines)) == ("\n".join(lines), 1)
