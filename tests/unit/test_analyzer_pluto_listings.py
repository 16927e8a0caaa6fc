"""What pluto prints about itself rather than about a negotiation: its statistics counters name every notify type
(no event), and its connection listing says whether a connection runs between the two gateways only (which decides
how a refused Child SA is read).

Real pluto output from libreswan's test suite at the tagged commit named above each log.
"""

from __future__ import annotations

from lab.analyzer import analyze_text

# https://github.com/libreswan/libreswan/blob/a0d37f5f94d2a3e94a2dd11660ea0c4e10f7ce01/testing/pluto/whack-02-globalstatus/west.console.txt
# (v3.32): `ipsec whack --globalstatus`.
GLOBAL_STATUS = """\
total.ikev1.sent.notifies.error.INVALID_MAJOR_VERSION=0
total.ikev1.sent.notifies.error.INVALID_SPI=0
total.ikev1.sent.notifies.error.ADDRESS_NOTIFICATION=0
total.ikev2.sent.notifies.error.INVALID_MAJOR_VERSION=0
total.ikev2.sent.notifies.error.INVALID_SPI=0
total.ikev2.sent.notifies.error.TS_UNACCEPTABLE=0
total.ikev2.recv.notifies.error.INVALID_MAJOR_VERSION=0
"""


def test_globalstatus_counters_are_not_events() -> None:
    analysis = analyze_text(GLOBAL_STATUS)
    assert analysis.primary is None and not analysis.findings


# https://github.com/libreswan/libreswan/blob/a0d37f5f94d2a3e94a2dd11660ea0c4e10f7ce01/testing/pluto/ikev2-21-mode-mismatch-02/west.console.txt
# (v3.32): west proposes tunnel mode, east's connection requires transport mode ("the reverse of
# ikev2-21-mode-mismatch-01"); the listing shows a connection between the two gateways only.
MODE_MISMATCH = """\
002 added connection description "ipv4-psk-ikev2-transport"
000 "ipv4-psk-ikev2-transport": 192.1.2.45<192.1.2.45>[@west]...192.1.2.23<192.1.2.23>[@east]; unrouted; eroute owner: #0
000 "ipv4-psk-ikev2-transport":   policy: PSK+ENCRYPT+TUNNEL+PFS+IKEV2_ALLOW+SAREF_TRACK+IKE_FRAG_ALLOW+ESN_NO;
1v2 "ipv4-psk-ikev2-transport" #1: initiating IKEv2 IKE SA
1v2 "ipv4-psk-ikev2-transport" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
1v2 "ipv4-psk-ikev2-transport" #2: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
002 "ipv4-psk-ikev2-transport" #2: IKE_AUTH response contained the error notification NO_PROPOSAL_CHOSEN
000 "ipv4-psk-ikev2-transport" #2: scheduling retry attempt 1 of an unlimited number, but releasing whack
"""


def test_a_refused_child_sa_between_the_two_gateways_points_at_the_ipsec_mode() -> None:
    primary = analyze_text(MODE_MISMATCH).primary
    assert primary is not None and primary.category == "ipsec_mode_mismatch"
    assert primary.facts.get("host_to_host") is True


def test_the_same_refusal_between_subnets_stays_a_proposal_refusal() -> None:
    # The listing of a connection between subnets (testing/pluto/ikev2-01-fallback-ikev1 at v3.20 lists one so).
    text = MODE_MISMATCH.replace(
        "192.1.2.45<192.1.2.45>[@west]...192.1.2.23<192.1.2.23>[@east];",
        "192.0.1.0/24===192.1.2.45<192.1.2.45>[@west]...192.1.2.23<192.1.2.23>[@east]===192.0.2.0/24;",
    )
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase2_proposal_mismatch"
