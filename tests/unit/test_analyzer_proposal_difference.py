"""What keeps a proposal offered from matching those configured: the kinds of transform the two share no value of,
said after a proposal mismatch's first reading (lab.analyzer.listings.proposal_difference)."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from lab.analyzer.listings import proposal_difference

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"
LAB = Path(__file__).resolve().parent.parent / "data" / "strongswan-lab"


@pytest.mark.parametrize(("received", "configured", "expected"), [
    # charon's notation: only the DH group differs
    (["IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_3072"], ["IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/MODP_4096"],
     [("dh", ["MODP_3072"], ["MODP_4096"])]),
    # a Child SA proposal without a DH group is one without PFS
    (["ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ"], ["ESP:AES_CBC_128/HMAC_SHA2_256_128/MODP_2048/NO_EXT_SEQ"],
     [("pfs", ["none"], ["MODP_2048"])]),
    # pluto's notation against charon's: the same names written otherwise are the same
    (["1:IKE:ENCR=AES_CBC_256;INTEG=HMAC_SHA2_512_256;PRF=HMAC_SHA2_512;DH=MODP4096"],
     ["IKE:AES_CBC_256/HMAC_SHA2_512_256/PRF_HMAC_SHA2_512/MODP_2048"], [("dh", ["MODP4096"], ["MODP_2048"])]),
    # one proposal offered matches one configured: nothing to say
    (["IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048", "IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024"],
     ["IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048"], []),
    # every kind has a value in common, only the combinations differ: nothing to say either
    (["IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_2048", "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024"],
     ["IKE:AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_1024"], []),
])
def test_the_kinds_with_no_value_in_common(received: list[str], configured: list[str], expected: list) -> None:
    assert proposal_difference(received, configured) == expected


@pytest.mark.parametrize(("path", "reading"), [
    # AMZETTA's gateway (charon) refusing a DH group it does not have
    (DEV / "amzetta-v2-responder-ike-dh-group-modp3072-vs-modp4096-no-proposal.log",
     "no Diffie-Hellman group in common: the peer offered MODP_3072, this side accepts MODP_4096"),
    # pfSense refusing a Quick Mode with PFS it does not use
    (DEV / "pfsense-v1-p2-pfs-mismatch.log",
     "no PFS (Diffie-Hellman group of the Child SA) in common: the peer offered MODP_2048, this side accepts no DH group (no PFS)"),
    # the strongSwan lab: pluto L with pfs=no against charon R requiring MODP_2048
    (LAB / "pl-v1-pfs" / "R.log",
     "no PFS (Diffie-Hellman group of the Child SA) in common: the peer offered no DH group (no PFS), this side accepts MODP_2048"),
])
def test_a_proposal_mismatch_names_what_differs(path: Path, reading: str) -> None:
    p = analyze_text(path.read_text(encoding="utf-8")).primary
    assert p is not None and p.category in ("phase1_proposal_mismatch", "phase2_proposal_mismatch")
    assert reading in " ".join(p.reasoning_in("en"))
    assert "PFS" in " ".join(p.reasoning_in("ko")) or "Diffie-Hellman" in " ".join(p.reasoning_in("ko"))
    # (what differs is known: the hint that a Quick Mode refusal may be about the selectors is left out)
    assert "Cisco IOS among them" not in " ".join(p.reasoning_in("en"))
