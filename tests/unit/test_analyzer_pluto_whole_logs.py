"""Whole pluto logs from libreswan's own test suite: what the state of the negotiation says about a line.

The excerpts are development excerpts of the real-log corpus (`datasets/real-logs/dev/`, each with its public
source in `corpus.yaml`: the test's `west.console.txt` at a fixed commit of github.com/libreswan/libreswan).
The variants change one fact of a real log (which Main Mode message came before, which state serial
established, what the Quick Mode offered) to check that the reading follows that fact, not the wording.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lab.analyzer import analyze_text

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def _lines(name: str) -> list[str]:
    return (DEV / f"{name}.log").read_text(encoding="utf-8").splitlines()


def _category(lines: list[str]) -> str | None:
    primary = analyze_text("\n".join(lines)).primary
    return primary.category if primary else None


# --- INVALID_KEY_INFORMATION: the key exchange refused, or the signature --------------------------------------


def test_encrypted_invalid_key_information_after_main_mode_i3_is_the_peer_refusing_authentication() -> None:
    # nss-cert-05-ikev1 (current wording): the peer does not trust the certificate west sent
    lines = _lines("libreswan-v1-cert-untrusted-invalid-key-info")
    assert any("ignoring secured informational payload INVALID_KEY_INFORMATION" in line for line in lines)
    analysis = analyze_text("\n".join(lines))
    assert analysis.primary is not None
    assert analysis.primary.category == "auth_failure"
    assert analysis.primary.facts["notify"] == "INVALID_KEY_INFORMATION"
    assert analysis.primary.facts["direction"] == "received"


def test_the_chain_gap_test_reads_the_same() -> None:
    assert _category(_lines("libreswan-v1-cert-chain-gap-invalid-key-info")) == "auth_failure"


def test_invalid_key_information_sent_in_the_clear_refuses_the_key_exchange_not_the_identity() -> None:
    # The same notify unencrypted answers Main Mode's second message (a KE payload the peer cannot use,
    # ikev1_main.c): nothing says the identity or the certificate is wrong.
    lines = [
        line.replace("ignoring secured informational", "ignoring unsecured informational")
        for line in _lines("libreswan-v1-cert-untrusted-invalid-key-info")
        if "sent Main Mode I3" not in line
    ]
    assert _category(lines) != "auth_failure"


def test_older_wording_without_secured_is_read_from_the_main_mode_step() -> None:
    # libreswan 4.5 (and 3.x) print "ignoring informational payload" without saying it was encrypted;
    # after "sent Main Mode I3" it was.
    lines = _lines("libreswan-v1-old-cert-untrusted-invalid-key-info")
    assert not any("secured" in line for line in lines)
    assert _category(lines) == "auth_failure"
    # the state pluto deletes, MAIN_I3, also says MI3 went out: a paste that starts at the notify is read the same
    assert _category(lines[lines.index(next(line for line in lines if "INVALID_KEY" in line)):]) == "auth_failure"
    before_i3 = [line for line in lines if "sent Main Mode I3" not in line and "STATE_MAIN_I3" not in line]
    assert _category(before_i3) is None


# --- a refusal the same negotiation got past ----------------------------------------------------------------


def test_a_refusal_followed_by_the_same_state_establishing_is_transient() -> None:
    # x509-crl-02 (libreswan 3.20): east refuses until it has fetched the CRL, then the same #1 establishes.
    lines = _lines("libreswan-v1-old-crl-fetched-then-established")
    assert any("INVALID_KEY_INFORMATION" in line for line in lines)
    assert any("#1: STATE_MAIN_I4: ISAKMP SA established" in line for line in lines)
    analysis = analyze_text("\n".join(lines))
    assert analysis.primary is None
    # the refusal is still shown as context of the log, not dropped
    assert not [f for f in analysis.findings if f.decisive]


def test_libreswan_3_state_wording_marks_main_mode_encrypted_too() -> None:
    # "STATE_MAIN_I3: sent MI3, expecting MR3" (libreswan 3.x, Openswan) is the same step as "sent Main Mode I3":
    # cut before the same Main Mode establishes, the refusal is the peer rejecting this side's certificate.
    lines = _lines("libreswan-v1-old-crl-fetched-then-established")
    assert any("STATE_MAIN_I3: sent MI3" in line for line in lines)
    cut = lines[: next(i for i, line in enumerate(lines) if "ISAKMP SA established" in line)]
    assert _category(cut) == "auth_failure"


def test_a_refusal_is_not_cancelled_by_another_negotiation_establishing() -> None:
    lines = [
        line.replace("#1: STATE_MAIN_I4", "#3: STATE_MAIN_I4")
        for line in _lines("libreswan-v1-old-crl-fetched-then-established")
    ]
    assert _category(lines) == "auth_failure"


# --- a Quick Mode abandoned in QUICK_I1 ----------------------------------------------------------------------


def test_quick_mode_deleted_in_quick_i1_with_an_ah_offer_reads_as_a_phase_2_proposal_failure() -> None:
    # ah-pluto-10 (libreswan 3.32): AH integrity differs on the two ends; the harness's impaired timeout line is
    # dropped, so only the deletion of the still-waiting Quick Mode state says it failed.
    lines = _lines("libreswan-v1-old-ah-mismatch-quick-deleted")
    assert not any("timeout" in line or "retransmissions" in line for line in lines)
    analysis = analyze_text("\n".join(lines))
    assert analysis.primary is not None
    assert analysis.primary.category == "phase2_proposal_mismatch"
    assert analysis.primary.facts["transforms"] == "AH"
    # a reading from silence is never shown as a decisive line
    assert not [f for f in analysis.findings if f.decisive]


def test_quick_mode_deleted_in_quick_i1_without_anything_in_the_offer_names_no_cause() -> None:
    lines = [line.replace("+AUTHENTICATE+", "+ENCRYPT+") for line in _lines("libreswan-v1-old-ah-mismatch-quick-deleted")]
    assert _category(lines) is None


def test_a_rekey_quick_mode_deleted_in_quick_i1_is_a_failed_rekey() -> None:
    lines = _lines("libreswan-v1-old-ah-mismatch-quick-deleted")
    lines = [line.replace("+AUTHENTICATE+", "+ENCRYPT+") for line in lines]
    at = next(i for i, line in enumerate(lines) if "initiating Quick Mode" in line)
    # the first Quick Mode #2 came up; #3 replaces it and is left waiting
    up = '004 "westnet-eastnet-ah" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP}'
    rekey = [
        lines[at].replace("#2:", "#3:") + " to replace #2",
        lines[at + 1].replace("#2:", "#3:"),
        lines[at + 2].replace("#2:", "#3:"),
    ]
    assert _category(lines[: at + 2] + [up] + rekey) == "rekey_issue"


# --- the excerpts taken from the test suite for these readings, as the corpus labels them ---------------------

SUITE_EXCERPTS = (
    "libreswan-v1-cert-untrusted-invalid-key-info",
    "libreswan-v1-cert-chain-gap-invalid-key-info",
    "libreswan-v1-old-cert-untrusted-invalid-key-info",
    "libreswan-v1-old-crl-fetched-then-established",
    "libreswan-v1-old-ah-mismatch-quick-deleted",
    "libreswan-v2-major-version-refused",
    "libreswan-v2-crl-revoked-peer-cert",
    "libreswan-v2-ipcomp-not-agreed-healthy",
    "libreswan-v2-rekey-crossing-streams-two-sided",
)


@pytest.mark.parametrize("name", SUITE_EXCERPTS)
def test_suite_excerpt_reads_as_its_test_describes(name: str) -> None:
    entries = {e["id"]: e for e in yaml.load((DEV.parent / "corpus.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["entries"]}
    entry = entries[name]
    assert entry["split"] == "dev"
    assert "github.com/libreswan/libreswan/" in entry["source"]
    expected = None if entry["expected"] == "none" else entry["expected"]
    assert _category(_lines(name)) == expected


# --- silence to IKEv1: also what an IKEv2-only peer does ---------------------------------------------------------


def test_unanswered_ikev1_main_mode_names_reachability_and_mentions_an_ikev2_only_peer() -> None:
    # ikev2-12-x509-ikev1: the responder allows only IKEv2 and drops the IKEv1 Main Mode request without a reply.
    # From the initiator's log alone that is silence, so the cause stays reachability (nothing says otherwise),
    # and the reasoning names the other way the same silence arises.
    analysis = analyze_text("\n".join(_lines("libreswan-v1-to-v2-only-responder")))
    assert analysis.primary is not None
    assert analysis.primary.category == "peer_unreachable"
    assert any("accepts only IKEv2" in str(r) for r in analysis.primary.reasoning)


def test_unanswered_ikev2_ike_sa_init_does_not_mention_ikev1() -> None:
    analysis = analyze_text("\n".join(_lines("libreswan-v2-ike-sa-init-timeout")))
    assert analysis.primary is not None
    assert analysis.primary.category == "peer_unreachable"
    assert not any("IKEv1" in str(r) for r in analysis.primary.reasoning)


def test_unanswered_main_mode_after_an_ike_sa_was_up_does_not_mention_the_version() -> None:
    # an IKEv1 Main Mode that worked before (ISAKMP SA established) rules out a version mismatch
    lines = _lines("libreswan-v1-old-ah-mismatch-quick-deleted")
    up = next(line for line in lines if "ISAKMP SA established" in line)
    retry = _lines("libreswan-v1-to-v2-only-responder")
    analysis = analyze_text("\n".join([up, *retry]))
    assert analysis.primary is not None
    assert not any("accepts only IKEv2" in str(r) for r in analysis.primary.reasoning)


def test_unanswered_first_attempt_followed_by_an_established_sa_is_a_recovery() -> None:
    # ikev2-tcp-00-enable-tcp-fallback (libreswan test suite, current wording): UDP to the responder is blocked,
    # IKE_SA_INIT over UDP times out, the retry over TCP establishes. Nothing was up before the silence and the
    # tunnel is up after it: no cause to name, and a note says what happened (corpus excerpt
    # libreswan-v2-udp-blocked-tcp-fallback-established-healthy).
    lines = [
        '"west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP',
        '"west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500',
        '"west" #1: IKE_SA_INIT_I: 10 second timeout exceeded after 5 retransmits.  No response (or no acceptable'
        ' response) to our first IKEv2 message',
        '"west" #1: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds',
        '"west" #1: deleting IKE SA (sent IKE_SA_INIT request)',
        '"west" #2: initiating IKEv2 connection to 192.1.2.23 using TCP',
        '"west" #2: sent IKE_SA_INIT request to 192.1.2.23:TCP/4500',
        '"west" #2: processed IKE_SA_INIT response from 192.1.2.23:TCP/4500 {cipher=AES_GCM_16_256 integ=n/a'
        ' prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH',
        '"west" #2: initiator established IKE SA; authenticated peer using authby=secret and FQDN \'@east\'',
    ]
    analysis = analyze_text("\n".join(lines))
    assert analysis.primary is None
    assert any("Line 3: the first attempt got no answer" in str(n) and "at line 9" in str(n) for n in analysis.notes)
    # once the tunnel was up, silence is an outage again: up, then a new bring-up that nobody answers
    up_first = [lines[-1].replace("#2", "#0"), *lines]
    analysis = analyze_text("\n".join(up_first))
    assert analysis.primary is not None and analysis.primary.category == "peer_unreachable"
    assert any("established later" in str(r) for r in analysis.primary.reasoning)
    assert not any("accepts only IKEv2" in str(r) for r in analysis.primary.reasoning)


# libreswan 3.32 (lab scenario pp-v1-pfs-required, pluto L made to give up at the first retransmission as libreswan's
# test suite does): pluto starts its next attempt "to replace #2" before it logs #2's deletion.
_QUICK_RETRIED_AT_ONCE = """\
Dec  2 03:21:52.609680: "gw" #1: STATE_MAIN_I4: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_128 integ=HMAC_SHA2_256 group=MODP2048}
Dec  2 03:21:52.609724: "gw" #2: initiating Quick Mode PSK+ENCRYPT+TUNNEL+UP+IKEV1_ALLOW+SAREF_TRACK+IKE_FRAG_ALLOW+ESN_NO {using isakmp#1 msgid:79399aef proposal=AES_CBC_128-HMAC_SHA2_256_128 pfsgroup=no-pfs}
Dec  2 03:21:52.610083: "gw" #2: STATE_QUICK_I1: sent QI1, expecting QR1
Dec  2 03:21:53.110875: "gw" #2: starting keying attempt 2 of an unlimited number, but releasing whack
Dec  2 03:21:53.111286: "gw" #3: initiating Quick Mode PSK+ENCRYPT+TUNNEL+UP+IKEV1_ALLOW+SAREF_TRACK+IKE_FRAG_ALLOW+ESN_NO to replace #2 {using isakmp#1 msgid:ef2c0fa6 proposal=AES_CBC_128-HMAC_SHA2_256_128 pfsgroup=no-pfs}
Dec  2 03:21:53.111406: "gw" #2: deleting state (STATE_QUICK_I1) aged 0.501s and NOT sending notification
Dec  2 03:21:53.111589: "gw" #3: STATE_QUICK_I1: sent QI1, expecting QR1, to replace #2
Dec  2 03:21:53.609274: "gw" #3: starting keying attempt 3 of an unlimited number
Dec  2 03:21:53.609337: "gw" #4: initiating Quick Mode PSK+ENCRYPT+TUNNEL+UP+IKEV1_ALLOW+SAREF_TRACK+IKE_FRAG_ALLOW+ESN_NO to replace #3 {using isakmp#1 msgid:b4dc7eb5 proposal=AES_CBC_128-HMAC_SHA2_256_128 pfsgroup=no-pfs}
Dec  2 03:21:53.609478: "gw" #3: deleting state (STATE_QUICK_I1) aged 0.498s and NOT sending notification
Dec  2 03:21:53.609669: "gw" #4: STATE_QUICK_I1: sent QI1, expecting QR1, to replace #3
"""


def test_a_first_quick_mode_tried_again_is_no_rekey_even_before_its_deletion_is_logged() -> None:
    # "#3 ... to replace #2" replaces a first Quick Mode never seen up, and #4 replaces #3: retries, not rekeys.
    got = analyze_text(_QUICK_RETRIED_AT_ONCE)
    assert all(f.category != "rekey_issue" for f in got.findings)
    # When #2 had come up, the Quick Mode that replaces it is a rekey, and its abandonment that rekey's failure.
    up = _QUICK_RETRIED_AT_ONCE.replace(
        '"gw" #2: starting keying attempt 2 of an unlimited number, but releasing whack',
        '"gw" #2: STATE_QUICK_I2: sent QI2, IPsec SA established tunnel mode {ESP=>0xc5548000 <0xc553c000 '
        'xfrm=AES_CBC_128-HMAC_SHA2_256_128 NATOA=none NATD=none DPD=passive}').replace(
        '"gw" #2: deleting state (STATE_QUICK_I1) aged 0.501s and NOT sending notification',
        '"gw" #3: starting keying attempt 2 of an unlimited number')
    primary = analyze_text(up).primary
    assert primary is not None and primary.category == "rekey_issue"


# --- Openswan's responder: the peer's identity marks IKE_AUTH ----------------------------------------------------


def test_a_refusal_after_the_peer_id_is_read_is_about_the_child_sa() -> None:
    # Openswan's unit test lp171-childTSwrong: the responder read the peer's ID (IKE_AUTH, RFC 7296 1.2), found its
    # connection does not fit the proposed traffic selectors, and answered NO_PROPOSAL_CHOSEN in the IKE_AUTH reply.
    lines = _lines("openswan-v2-natt-child-ts-wrong-no-proposal-chosen")
    assert _category(lines) == "traffic_selector_mismatch"
    # Without the debug line that names the selectors, the refusal is still the Child SA's, not phase 1's.
    without = [line for line in lines if "rejected by Traffic Selectors" not in line]
    assert _category(without) == "phase2_proposal_mismatch"
