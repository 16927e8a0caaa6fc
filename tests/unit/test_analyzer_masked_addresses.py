"""Addresses masked the way people mask them before pasting a log in public (x.x.x.x, xxx.xxx.xxx.xxx,
**.***.73.249, 203.0.x.x, XX.XX.XX.XX): every pattern that reads an address still reads its line.

Forum and issue-thread pastes hide the public addresses; a pattern that insists on digits finds nothing in them.
"""

from __future__ import annotations

import re

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.patterns import load_patterns
from lab.analyzer.prefilter import keyword_in

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
