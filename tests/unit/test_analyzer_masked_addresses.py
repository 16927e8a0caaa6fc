"""Addresses masked the way people mask them before pasting a log in public (x.x.x.x, xxx.xxx.xxx.xxx,
**.***.73.249, 203.0.x.x, XX.XX.XX.XX): every pattern that reads an address still reads its line.

Forum and issue-thread pastes hide the public addresses; a pattern that insists on digits finds nothing in them.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.patterns import load_patterns
from lab.analyzer.prefilter import keyword_in
from lab.analyzer.scan import unmasked

IPV4 = re.compile(r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?!\w)")
MASKS = {
    "x.x.x.x": lambda m: "x.x.x.x",
    "xxx.xxx.xxx.xxx": lambda m: "xxx.xxx.xxx.xxx",
    "**.***.n.n": lambda m: f"**.***.{m[3]}.{m[4]}",
    "n.n.x.x": lambda m: f"{m[1]}.{m[2]}.x.x",
    "XX.XX.XX.XX": lambda m: "XX.XX.XX.XX",
}


@pytest.mark.parametrize("mask", sorted(MASKS))
def test_every_pattern_reads_its_samples_with_masked_addresses(mask: str) -> None:
    missed = []
    for pattern in load_patterns():
        for sample in pattern.match_samples:
            if not IPV4.search(sample):
                continue
            masked = IPV4.sub(MASKS[mask], sample)
            if pattern.regex.search(masked) is None or not any(keyword_in(k, masked) for k in pattern.keywords):
                missed.append((pattern.id, masked))
    assert not missed, missed


def test_a_masked_icmp_refusal_is_still_an_unreachable_peer() -> None:
    # hwdsl2/setup-ipsec-vpn issue 217 as pasted (the user masked the client's address)
    text = (
        'pluto[3213]: "l2tp-psk"[1] **.***.73.249 #21: responding to Main Mode from unknown peer **.***.73.249\n'
        'pluto[3213]: "l2tp-psk"[1] **.***.73.249 #21: STATE_MAIN_R1: sent MR1, expecting MI2\n'
        'pluto[3213]: "l2tp-psk"[1] **.***.73.249 #21: ERROR: asynchronous network error report on eth0 (sport=500) '
        "for message to **.***.73.249 port 500, complainant **.***.73.249: Connection refused [errno 111, origin ICMP "
        "type 3 code 3 (not authenticated)]\n"
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.facts["peer"] == "**.***.73.249"


# One of each kind people write: in angle brackets, in square brackets, a bare word.
PLACEHOLDERS = ("<your server's public ip>", "[redacted]", "MY_SERVER_IP")


@cache
def _read_samples() -> tuple[tuple[str, str], ...]:
    """(pattern id, sample) for every sample with an address that its own pattern reads in a whole analysis."""
    return tuple(
        (pattern.id, sample)
        for pattern in load_patterns()
        for sample in pattern.match_samples
        if IPV4.search(sample) and pattern.id in {f.pattern for f in analyze_text(sample).findings}
    )


@pytest.mark.parametrize("placeholder", PLACEHOLDERS)
def test_an_address_replaced_by_a_placeholder_is_read_as_a_masked_address(placeholder: str) -> None:
    # Each sample line with its addresses replaced by what people write instead of them is still read by its pattern.
    missed = []
    for pattern_id, sample in _read_samples():
        masked = IPV4.sub(placeholder, sample)
        if pattern_id not in {f.pattern for f in analyze_text(masked).findings}:
            missed.append((pattern_id, masked))
    assert not missed, missed


def test_a_placeholder_is_shown_as_pasted() -> None:
    text = "charon: 06[IKE] no IKE config found for <SERVER IP>...<CLIENT IP>, sending NO_PROPOSAL_CHOSEN\n"
    finding = analyze_text(text).findings[0]
    assert finding.pattern == "swan-no-ike-config" and "<SERVER IP>...<CLIENT IP>" in finding.text


def test_brackets_that_hide_nothing_are_left_alone() -> None:
    assert unmasked("Nov 29 10:01:02 cgw charon: 09[NET] sending packet: from 198.51.100.10[4500] to 203.0.113.7[4500]") is None
    assert unmasked('"aws" #2: IPsec SA established tunnel mode {ESP=>0x1a2b3c4d <0x5e6f7a8b xfrm=AES_CBC_256}') is None
    assert unmasked("peer <REMOTE IP> [redacted] SERVER_IP") == "peer x.x.x.x x.x.x.x x.x.x.x"
