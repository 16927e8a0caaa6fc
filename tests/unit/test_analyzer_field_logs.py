"""Field logs from public issue threads (development excerpts of the real-log corpus, `datasets/real-logs/dev/`,
each with its source URL in `corpus.yaml`): a resolved rekey collision is no fault, a certificate missing from
pluto's NSS database is the cause of the "no suitable connection" answers, and a peer that restarts Main Mode
after every first reply has a path problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from scripts.paste_robustness import wptexturize
from tests.timing import best_pair

DEV = Path(__file__).resolve().parents[2] / "datasets" / "real-logs" / "dev"


def _log(name: str) -> str:
    return (DEV / f"{name}.log").read_text(encoding="utf-8")


def _reversed(text: str) -> str:
    return "\n".join(reversed(text.splitlines()))


def test_a_rekey_collision_the_protocol_resolved_is_no_fault() -> None:
    # strongswan/strongswan#1896: TEMPORARY_FAILURE, "abort active rekeying", then the new outbound SA.
    text = _log("strongswan-v2-rekey-collision-temp-fail-recovered")
    for paste in (text, _reversed(text)):
        result = analyze_text(paste)
        assert result.primary is None
        assert any("rekeyed the same SA at once" in str(n) for n in result.notes)


def test_a_rekey_collision_without_a_new_sa_or_repeated_stays_a_rekey_problem() -> None:
    text = _log("strongswan-v2-rekey-collision-temp-fail-recovered")
    unfinished = "\n".join(line for line in text.splitlines() if "established with SPIs" not in line)
    assert analyze_text(unfinished).primary.category == "rekey_issue"
    lines = text.splitlines()
    storm = "\n".join(lines[:4] * 3 + lines[4:])  # three collisions before the SA settles
    assert analyze_text(storm).primary.category == "rekey_issue"


def test_a_certificate_missing_from_the_nss_database_is_the_cause() -> None:
    # hwdsl2/setup-ipsec-vpn#669: "no suitable connection" / NO_PROPOSAL_CHOSEN, then pluto says why.
    result = analyze_text(_log("libreswan-v2-server-cert-missing-from-nss-db"))
    assert result.primary.category == "auth_failure"
    assert any("NSS DB" in f.text and f.category == "auth_failure" for f in result.findings)
    for line in (
        '"west": failed to add connection: left certificate \'west\' not found in the NSS database',
        '"road": failed to find certificate named \'road\' in the NSS database',
    ):
        assert analyze_text(line).primary.category == "auth_failure"


def test_main_mode_restarted_after_every_first_reply_is_a_path_problem() -> None:
    # hwdsl2/setup-ipsec-vpn#327: four "STATE_MAIN_R1: sent MR1, expecting MI2" from one peer, nothing further.
    text = _log("libreswan-v1-responder-mr1-unanswered-firewall")
    for paste in (text, _reversed(text)):
        primary = analyze_text(paste).primary
        assert primary is not None and primary.category == "peer_unreachable"
        assert "accepted the peer's proposal" in " ".join(str(r) for r in primary.reasoning)
        assert primary.facts["peer"] == "61.148.245.103" and primary.facts["first_replies_unanswered"] == 4
        assert "one direction" in str(primary.summary)
    # Two starts are a hiccup, not a pattern.
    assert analyze_text("\n".join(text.splitlines()[:4])).primary is None
    # A negotiation that gets further once is not unanswered.
    further = text.rstrip("\n") + (
        '\nFeb 27 04:31:09 ip-172-31-26-228 pluto[3455]: "l2tp-psk"[2] 61.148.245.103 #24: STATE_MAIN_R2: sent MR2,'
        " expecting MI3"
    )
    assert analyze_text(further).primary is None


def test_a_responder_state_timed_out_after_its_first_reply_is_a_path_problem() -> None:
    # hwdsl2/setup-ipsec-vpn#322 (with the syslog prefix) and #793 (the bare messages).
    for name in ("libreswan-v1-responder-main-r1-timeout-firewall-blocked",
                 "libreswan-v1-main-r1-client-never-gets-replies-network-interference"):
        primary = analyze_text(_log(name)).primary
        assert primary is not None and primary.category == "peer_unreachable", name
        assert "waited 60.000 seconds" in " ".join(str(r) for r in primary.reasoning)
    # A state deleted in MAIN_R1 without the timeout (an operator's restart, say) names nothing.
    assert analyze_text('"l2tp-psk"[6] 198.51.100.5 #10: deleting state (STATE_MAIN_R1)').primary is None


def test_charon_giving_up_on_an_established_ike_sa_is_a_dpd_timeout() -> None:
    # strongSwan users list, May 2010: the peer was stopped (SIGSTOP) with DPD on; the surviving end gives up.
    text = _log("strongswan-v2-dpd-peer-sigstopped-giving-up-clear")
    assert analyze_text(text).primary.category == "dpd_timeout"
    # Without the state change the log does not say the SA was up: no answer at all.
    alone = "\n".join(line for line in text.splitlines() if "state change" not in line)
    assert analyze_text(alone).primary.category == "peer_unreachable"


def test_every_phase1_transform_refused_reads_as_a_proposal_mismatch_refused_here() -> None:
    # hwdsl2/setup-ipsec-vpn#1244: an Android client offers only MODP1024 transforms; the paste ends there.
    text = _log("libreswan-v1-android-xauth-all-proposals-modp1024-refused")
    primary = analyze_text(text).primary
    assert primary.category == "phase1_proposal_mismatch"
    assert "This side refused" in " ".join(str(r) for r in primary.reasoning)
    # One transform refused and the negotiation goes on: no cause.
    lines = text.splitlines()
    going_on = "\n".join(lines[:3] + [lines[0].split('"xauth-psk"')[0] + '"xauth-psk"[1] 116.162.94.109 #2: '
                                      "STATE_MAIN_R1: sent MR1, expecting MI2"])
    assert analyze_text(going_on).primary is None


def test_a_cisco_quick_mode_refusal_names_the_crypto_acl_as_well() -> None:
    # A Cisco IOS XE lab write-up: the spoke sees only NOTIFY PROPOSAL_NOT_CHOSEN; the cause was the crypto ACL.
    text = _log("cisco-ios-v1-spoke-quick-mode-notify-proposal-not-chosen")
    primary = analyze_text(text).primary
    assert primary.category == "phase2_proposal_mismatch"
    reasoning = " ".join(str(r) for r in primary.reasoning)
    assert "crypto ACL" in reasoning
    # The IKE SA staying in IKE_P1_COMPLETE while it reads the notify is not an SA established again.
    assert "established again" not in reasoning


def test_racoons_own_log_file_and_its_id_comparison() -> None:
    # F5's IPsec troubleshooting guide: BIG-IP racoon.log, "Selector Mismatch".
    result = analyze_text(_log("f5-racoon-v1-check-and-compare-ids-selector-mismatch"))
    assert result.format == "racoon"
    assert result.primary.category == "traffic_selector_mismatch"
    # racoon compares every sainfo: a mismatch followed by an established SA is no failure.
    healthy = (
        "2018-03-20 09:38:16: DEBUG: check and compare ids : value mismatch (IPv4_address)\n"
        "2018-03-20 09:38:16: INFO: IPsec-SA established: ESP 203.0.113.9[500]->198.51.100.4[500] spi=13453(0x348d)\n"
    )
    assert analyze_text(healthy).primary is None


def test_an_ikev1_refusal_protected_by_a_hash_payload_is_about_phase_2() -> None:
    # Alibaba Cloud's IPsec FAQ (zh-CN copy): a phase 2 algorithm mismatch; the message ID is masked as "xxxx".
    primary = analyze_text(_log("alibaba-v1-phase2-cipher-mismatch-no-proposal-chosen-notify")).primary
    assert primary.category == "phase2_proposal_mismatch"
    # pfSense (charon): the same notify without HASH comes before the ISAKMP SA exists: phase 1.
    clear = ("charon: 11[ENC] parsed INFORMATIONAL_V1 request 316473468 [ N(NO_PROP) ]\n"
             "charon: 11[IKE] received NO_PROPOSAL_CHOSEN error notify\n")
    assert analyze_text(clear).primary.category == "phase1_proposal_mismatch"


def test_spaces_copied_from_a_web_page_read_as_plain_spaces() -> None:
    # Blogs and forums turn some spaces into no-break spaces (&nbsp;), CJK pages into ideographic spaces.
    from lab.analyzer import analyze_bytes

    text = _log("libreswan-v1-android-psk-mismatch-malformed-payload")
    for wide in ("\u00a0", "\u3000", "\u202f"):
        pasted = text.replace(" ", wide, 12)
        assert analyze_text(pasted).primary.category == "auth_failure"
        assert analyze_bytes(pasted.encode()).primary.category == "auth_failure"


def test_typographic_quotes_from_a_blog_or_forum_read_as_the_daemons_quotes() -> None:
    # A blog or forum engine turns pluto's straight quotes into typographic ones: "conn" becomes “conn”.
    from lab.analyzer import analyze_bytes

    for name, category in (("libreswan-v2-old-create-child-ts-unacceptable-fatal", "traffic_selector_mismatch"),
                           ("libreswan-v1-old-crl-fetched-then-established", None),
                           ("fortigate-event-azure-phase2-rekey-error", "rekey_issue")):
        text = _log(name)
        pasted = re.sub(r'"([^"\n]*)"', "\u201c\\1\u201d", text).replace("'", "\u2019")
        assert pasted != text
        for result in (analyze_text(pasted), analyze_bytes(pasted.encode())):
            assert (result.primary.category if result.primary else None) == category, name
    # A wrapped line is told by its spaces: no-break spaces are read as spaces before the rest is joined back.
    wrapped = _log("freeswan-v1-pgpnet-quick-mode-no-connection-known-leftsubnet-mismatch")
    assert "\n" in wrapped.strip()
    assert analyze_text(wrapped.replace(" ", "\u00a0")).primary.category == "traffic_selector_mismatch"


@pytest.mark.parametrize(("name", "category"), [
    # the operator's `ipsec whack --rekey-ipsec` that starts the rekey: "--" became an en dash
    ("libreswan-v2-child-rekey-responder-narrows-to-subnet-rekey-fails", "rekey_issue"),
    ("libreswan-v2-child-rekey-responder-supernet-road-keeps-old-sa", "rekey_issue"),
    # the IDs' closing quote after a digit became a prime: '192.168.1.2′
    ("libreswan-v1-l2tp-peer-id-behind-nat", "auth_failure"),
    ("libreswan-v2-peer-restart-delete-revive-conn7", "ike_sa_deleted_by_peer"),
    # "..." between the two ends became an ellipsis
    ("freeswan-v1-pgpnet-quick-mode-no-connection-known-leftsubnet-mismatch", "traffic_selector_mismatch"),
])
def test_a_log_a_blog_engine_texturized_reads_as_the_daemon_wrote_it(name: str, category: str) -> None:
    from lab.analyzer import analyze_bytes

    text = _log(name)
    pasted = wptexturize(text)
    assert pasted != text
    facts = analyze_text(text).primary.facts
    for result in (analyze_text(pasted), analyze_bytes(pasted.encode())):
        assert result.primary is not None and result.primary.category == category
        assert result.primary.facts == facts
    # a page's zero-width spaces at the line ends are invisible in the copy
    hidden = text.replace("\n", "\u200b\n")
    assert analyze_text(hidden).primary.category == category
    assert analyze_bytes(hidden.encode()).primary.category == category


@pytest.mark.parametrize(("name", "category"), [
    ("arista-eos-ebgp-neighbor-shut-down-hold-timer-expired-connect", "bgp_down"),
    ("fortigate-bgp-md5-password-missing-stuck-active", "bgp_down"),
    ("libreswan-v2-child-rekey-responder-narrows-to-subnet-rekey-fails", "rekey_issue"),
    ("strongswan-v2-dpd-peer-sigstopped-giving-up-clear", "dpd_timeout"),
])
def test_a_log_saved_with_a_terminals_colours_reads_as_the_daemon_wrote_it(
        name: str, category: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `docker logs` of a container run with a TTY, a `script` capture: colour codes, a title, `tput sgr0`'s reset
    import gzip

    from lab.analyzer import analyze_bytes, analyze_path
    from lab.analyzer import files as files_module

    text = _log(name)
    lines = text.splitlines()
    coloured = "\x1b]0;gw: ~\x07" + "\n".join(
        f"\x1b[{32 if i % 2 else 33};1m{line}\x1b(B\x1b[m\x1b[K" for i, line in enumerate(lines)) + "\n"
    clear = analyze_text(text)
    results = [analyze_text(coloured), analyze_bytes(coloured.encode())]
    monkeypatch.setattr(files_module, "MAX_BYTES", 100)  # a rotated log, unpacked and read in blocks, as bytes
    (tmp_path / "gw.log.gz").write_bytes(gzip.compress(coloured.encode()))
    results.append(analyze_path(tmp_path / "gw.log.gz"))
    for result in results:
        assert result.primary is not None and result.primary.category == category
        assert result.primary.facts == clear.primary.facts
        assert [(f.line, f.text) for f in result.findings] == [(f.line, f.text) for f in clear.findings]


def test_lines_copied_from_a_web_pages_source_read_as_the_daemon_wrote_them() -> None:
    # A mail archive's or ticket's HTML source turns pluto's quotes into &quot; and its IDs' quotes into &#39;.
    from lab.analyzer import analyze_bytes

    for name, category in (("libreswan-v1-peer-declares-fqdn-id-not-ip", "auth_failure"),
                           ("libreswan-v2-old-create-child-ts-unacceptable-fatal", "traffic_selector_mismatch"),
                           ("libreswan-v1-old-crl-fetched-then-established", None)):
        text = _log(name)
        pasted = text.replace('"', "&quot;").replace("'", "&#39;").replace(">", "&gt;")
        for result in (analyze_text(pasted), analyze_bytes(pasted.encode())):
            assert (result.primary.category if result.primary else None) == category, name
            assert any("&quot;" in str(n) for n in result.notes)
            if result.primary:
                assert all("&quot;" not in f.text for f in result.findings)
    # A reference for a line end or a control character is left as it is: the line numbers stay the paste's.
    kept = analyze_text('&quot;c&quot; #1: STATE_MAIN_I1: initiate&#10;&#x0a;&#0;\n'
                        '&quot;c&quot; #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response')
    assert kept.lines == 2
    assert [(f.line, f.text) for f in kept.findings] == [
        (2, '"c" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response')]
    plain = analyze_text(_log("libreswan-v1-peer-declares-fqdn-id-not-ip"))
    assert not any("&quot;" in str(n) for n in plain.notes)


def test_first_replies_are_read_per_peer_and_an_sa_after_them_clears_them() -> None:
    # A public server answers single Main Mode probes from many addresses: that is no peer restarting.
    probes = "\n".join(
        f'Feb 27 04:3{i}:58 vpn pluto[3455]: "l2tp-psk"[{i}] 198.51.100.{i} #{20 + i}: STATE_MAIN_R1: sent MR1, expecting MI2'
        for i in range(1, 5)
    )
    assert analyze_text(probes).primary is None
    # A state that timed out in MAIN_R1, then the same peer's next attempt gets its SA up: nothing to fix.
    timeout = _log("libreswan-v1-responder-main-r1-timeout-firewall-blocked").rstrip("\n")
    recovered = timeout + (
        '\nFeb 20 14:44:40 wangfei23 pluto[13499]: "l2tp-psk"[7] 114.242.248.5 #11: STATE_MAIN_R3: sent MR3, ISAKMP SA'
        " established {auth=PRESHARED_KEY cipher=aes_256 integ=sha group=MODP2048}"
    )
    assert analyze_text(recovered).primary is None


def test_a_status_listing_waiting_for_the_first_answer_is_a_weak_reachability_reading() -> None:
    # A blog's AWS VPC software-VPN series: Openswan's status after the security group rules were removed.
    primary = analyze_text(_log("openswan-v1-aws-security-group-blocks-ike-stuck-main-i1")).primary
    assert primary.category == "peer_unreachable"
    assert "list again" in " ".join(str(r) for r in primary.reasoning)
    # libreswan 4 and 5 listings say the same in other words (testing/pluto ikev2-53-clean-pending, v4.15, v5.1 and
    # main).
    for line in ('000 #2: "westnet-eastnet-ipv4-psk-ikev2":500 STATE_V2_PARENT_I1 (sent IKE_SA_INIT request); '
                 "RETRANSMIT in 9s; idle;",
                 '#1: "westnet-eastnet-ipv4-psk-ikev2":500 IKE_SA_INIT_I (sent IKE_SA_INIT request); RETRANSMIT in XXs; '
                 "idle;",
                 '#1: "westnet-eastnet-ipv4-psk-ikev2":500 sent IKE_SA_INIT request; RETRANSMIT in 9s; idle;'):
        assert analyze_text(line).primary.category == "peer_unreachable"
    # An established state's listing with a retransmit pending is no waiting for a first answer.
    assert analyze_text('#1: "east-west":500 established IKE SA; RETRANSMIT in 10s; REKEY in 2800s; newest; idle;'
                        ).primary is None


def test_a_listing_right_after_the_operator_took_the_connection_down_is_its_revival() -> None:
    # libreswan testing/pluto: the connection is taken down here, auto=start brings it up again at once; the listing
    # right after shows the new IKE SA waiting for its first answer, one moment in an orderly restart.
    text = (
        '"west-east-auto": terminating SAs using this connection\n'
        '"west-east-auto" #1: deleting IKE SA (ESTABLISHED_IKE_SA) and sending notification\n'
        '"west-east-auto" #2: connection is supposed to remain up; revival attempt 1 scheduled in 0 seconds\n'
        '#3: "west-east-auto":500 sent IKE_SA_INIT request; RETRANSMIT in 9s; idle;\n'
        '#3: pending Child SA for "west-east-auto"\n'
    )
    assert analyze_text(text).primary is None
    # Without the operator's command, the same listing is the weak reachability reading above.
    assert analyze_text(text.split("\n", 2)[2]).primary.category == "peer_unreachable"


def test_a_later_listing_with_the_sa_established_clears_the_waiting_state() -> None:
    # libreswan v4.15 testing/pluto/ikev2-labeled-ipsec-06-reauth-ike-acquire: the first IKE_SA_INIT was dropped
    # on purpose; a later listing shows the SAs up.
    listings = (
        '000 #3: "labeled":500 STATE_V2_PARENT_I1 (sent IKE_SA_INIT request); RETRANSMIT in 9s; idle;\n'
        '000 #1: "labeled":500 STATE_V2_ESTABLISHED_IKE_SA (established IKE SA); REPLACE in 28s; newest; idle;\n'
        '000 #2: "labeled"[1] 192.1.2.23:500 STATE_V2_ESTABLISHED_CHILD_SA (established Child SA); REKEY in 20s; '
        "REPLACE in 28s; newest; IKE SA #1; idle;\n"
    )
    result = analyze_text(listings)
    assert result.primary is None and result.signals.get("established") == 2


def _many_states(kind: str, n: int) -> str:
    lines = []
    for i in range(n):
        peer = f"198.51.{i // 250}.{i % 250}"
        if kind == "refused":
            lines += [f'"xauth-psk"[1] {peer} #{i}: Oakley Transform [AES_CBC (256), HMAC_SHA1, MODP1024] refused',
                      f'"xauth-psk"[1] {peer} #{i}: Oakley Transform [AES_CBC (128), HMAC_SHA1, MODP1024] refused']
        elif kind == "restarts":
            lines += [f'"l2tp-psk"[{i}] {peer} #{3 * i + k}: STATE_MAIN_R1: sent MR1, expecting MI2' for k in range(3)]
        elif kind == "rekeys":  # an operator's rekey of each connection, and each one's listing after it
            lines += [f'004 "road-{i}" #{2 * i + 1}: established Child SA; IPsec tunnel [{peer}/32===0.0.0.0/0]',
                      f'road # ipsec whack --rekey-child --name road-{i} --async',
                      f'006 #{2 * i + 1}: "road-{i}", type=ESP, add_time=1234567890, inBytes=84, outBytes=84, id=\'@gw\'']
        else:
            lines += [f'"l2tp-psk"[{i}] {peer} #{i}: deleting incomplete state after 60.000 seconds',
                      f'"l2tp-psk"[{i}] {peer} #{i}: deleting state (STATE_MAIN_R1)']
    return "\n".join(lines)


@pytest.mark.parametrize("kind", ["refused", "restarts", "timeouts", "rekeys"])
def test_many_states_cost_in_proportion_to_the_log(kind: str) -> None:
    # Each state's "nothing further" is a lookup: eight times the states take about eight times as long (the
    # search through every later line took sixty-four times as long, 10 s for 6,000 lines). The bound lies between
    # the two: a loaded 2-core machine stretched the larger run to 27 times the smaller once.
    small, large = best_pair(analyze_text, _many_states(kind, 150), _many_states(kind, 1200), rounds=3)
    assert large <= 40 * small + 0.05


def test_a_proposal_that_did_not_match_before_one_that_did_is_no_refusal() -> None:
    # A pfSense responder to Google Cloud VPN (dev excerpt, from a public write-up): charon compares GCP's proposals
    # one by one ("  no acceptable ENCRYPTION_ALGORITHM found" for the AES-GCM one), the next one matches, it asks
    # for another DH group (INVALID_KE_PAYLOAD), and the IKE and Child SAs come up. Nothing to fix.
    text = _log("pfsense-v2-gcp-cloud-vpn-invalid-ke-retry-then-established-healthy")
    assert analyze_text(text).primary is None
    assert analyze_text(_reversed(text)).primary is None
    # Every proposal refused: the per-proposal lines and charon's conclusion are a phase 1 mismatch.
    refused = "\n".join(line for line in text.splitlines()[:11] if "proposal matches" not in line)
    refused += "\nApr 22 12:30:32 pf charon: 01[IKE] <1> no acceptable proposal found"
    assert analyze_text(refused).primary.category == "phase1_proposal_mismatch"


def test_a_refused_rekey_shows_the_sa_that_was_up_and_the_rekey_it_started() -> None:
    # libreswan/libreswan#515: the Child SA comes up (line 6), pluto starts its rekey (line 7), the vSRX refuses it
    # (line 9). The chain holds all three, so the reader sees why this is a rekey and not a first negotiation.
    primary = analyze_text(_log("libreswan-v2-vsrx-child-rekey-no-proposal")).primary
    assert primary is not None and primary.category == "rekey_issue"
    assert [(f.line, f.event) for f in primary.chain] == [(6, "established"), (7, "initiate"), (9, "notify")]
    assert "Line 6: an SA was established before it" in str(primary.reasoning[1])
    assert primary.facts.get("notify") == "NO_PROPOSAL_CHOSEN"


def test_asking_the_peer_for_another_dh_group_is_a_phase1_mismatch_only_when_nothing_comes_up() -> None:
    # GoogleCloudPlatform/community#1222: strongSwan (ike=...-modp4096) answers Cloud VPN's MODP_2048 with
    # INVALID_KE_PAYLOAD and the tunnel never comes up.
    text = _log("strongswan-v2-gcp-cloud-vpn-dh-group-inacceptable-modp4096")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"
    assert (primary.facts["proposals_received"], primary.facts["proposals_configured"]) == (["MODP_2048"], ["MODP_4096"])
    # The usual first round of choosing a group: the peer retries with the requested one and the IKE SA comes up.
    retried = text + (
        "charon: 12[IKE] IKE_SA gcp[1] established between 203.0.113.5[203.0.113.5]...198.51.100.7[198.51.100.7]\n"
    )
    assert analyze_text(retried).primary is None


def test_an_ikev1_refusal_names_the_exchange_it_answers_not_its_informational() -> None:
    # pfSense's IKEv1 examples (dev excerpts): the refusal travels in an INFORMATIONAL_V1 exchange of its own; the
    # reading names the Quick Mode it answers, and says nothing of an informational exchange otherwise.
    first = str(analyze_text(_log("pfsense-v1-p2-pfs-mismatch")).primary.reasoning[0])
    assert "in answer to Quick Mode" in first
    for name in ("pfsense-v1-p2-pfs-mismatch", "pfsense-v1-p1-dh-mismatch", "pfsense-v1-identifier-mismatch"):
        assert "INFORMATIONAL" not in str(analyze_text(_log(name)).primary.reasoning[0]), name


# hwdsl2/docker-ipsec-vpn-server#424 (https://github.com/hwdsl2/docker-ipsec-vpn-server/issues/424): an iPhone on mobile
# data starts IKE_SA_INIT again and again; the maintainer: the provider likely blocks IPsec (UDP 4500).
IKEV2_RESTARTS = """\
2024-04-14T15:53:58.799696+00:00 a5079bcc965f pluto[2486]: "ikev2-cp"[1] 5.101.18.17 #1: proposal 1:IKE=AES_CBC_256-HMAC_SHA2_256-HMAC_SHA2_256_128-MODP2048 chosen from remote proposals 1:IKE:ENCR=AES_CBC_256;PRF=HMAC_SHA2_256;INTEG=HMAC_SHA2_256_128;DH=MODP2048[first-match]
2024-04-14T15:53:58.810924+00:00 a5079bcc965f pluto[2486]: "ikev2-cp"[1] 5.101.18.17 #1: sent IKE_SA_INIT reply {cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048}
2024-04-14T15:54:30.080742+00:00 a5079bcc965f pluto[2486]: "ikev2-cp"[1] 5.101.18.17 #2: proposal 1:IKE=AES_CBC_256-HMAC_SHA2_256-HMAC_SHA2_256_128-MODP2048 chosen from remote proposals 1:IKE:ENCR=AES_CBC_256;PRF=HMAC_SHA2_256;INTEG=HMAC_SHA2_256_128;DH=MODP2048[first-match]
2024-04-14T15:54:30.085858+00:00 a5079bcc965f pluto[2486]: "ikev2-cp"[1] 5.101.18.17 #2: sent IKE_SA_INIT reply {cipher=AES_CBC_256 integ=HMAC_SHA2_256_128 prf=HMAC_SHA2_256 group=MODP2048}
"""


def test_ikev1_exchanges_read_by_their_rfc_names_and_json_keeps_the_keys() -> None:
    """RFC 2409 names IKEv1's exchanges Main Mode, Aggressive Mode and Quick Mode: the facts, the reasoning and the
    report use those names, in Korean as Korean engineers write them (메인 모드, 퀵 모드); `--json` keeps the one-word
    keys scripts match on."""
    from lab.analyzer.protocol import exchange_words, fact_rows

    assert [exchange_words(x) for x in ("MAIN_MODE", "AGGRESSIVE_MODE", "QUICK_MODE", "IKE_SA_INIT")] == [
        "Main Mode", "Aggressive Mode", "Quick Mode", "IKE_SA_INIT"]
    text = (DEV / "cisco-ios-v1-dh-group-not-in-policy.log").read_text()
    analysis = analyze_text(text)
    assert analysis.to_json()["primary"]["facts"]["exchange"] == "MAIN_MODE"
    assert ("Exchange", "Main Mode") in fact_rows(analysis.primary.facts, "en")
    assert any("in Main Mode" in line for line in analysis.primary.reasoning_in("en"))
    assert any("메인 모드" in line for line in analysis.primary.reasoning_in("ko"))
    assert not any("Main Mode" in line for line in analysis.primary.reasoning_in("ko"))
    assert ("교환", "메인 모드") in fact_rows(analysis.primary.facts, "ko")


def test_ike_sa_init_restarted_after_every_reply_is_a_path_problem() -> None:
    primary = analyze_text(IKEV2_RESTARTS).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert primary.facts["first_replies_unanswered"] == 2
    assert "IKE_AUTH never came" in " ".join(primary.reasoning_in("en"))
    # one start alone is no pattern; and an IKE_AUTH that arrives after the restarts ends it
    assert analyze_text("".join(IKEV2_RESTARTS.splitlines(keepends=True)[:2])).primary is None
    auth = ('2024-04-14T15:54:30.300000+00:00 a5079bcc965f pluto[2486]: "ikev2-cp"[1] 5.101.18.17 #2: processing '
            'decrypted IKE_AUTH request: SK{IDi,CERT,AUTH,SA,TSi,TSr}\n')
    assert analyze_text(IKEV2_RESTARTS + auth).primary is None


def test_silence_to_aggressive_mode_also_names_a_missing_pre_shared_key() -> None:
    # libreswan's ikev1-aggr-psk test (corpus excerpt libreswan-v1-aggr-psk-responder-lacks-road-psk): east has no
    # pre-shared key for road, and road's Aggressive Mode gets no answer. The silence stays a reachability reading,
    # with the key named as the other explanation.
    primary = analyze_text(_log("libreswan-v1-aggr-psk-responder-lacks-road-psk")).primary
    assert primary is not None and primary.category == "peer_unreachable"
    assert "pre-shared key for this side's identity" in " ".join(primary.reasoning_in("en"))


# A Cisco ASA's debug crypto ikev2 on the responder (github.com/jesusbrochado/CAIDA logs/TSet_Mismatch_responder.txt
# and logs/acl_mismatch.txt: captures of a lab where each fault was set up on purpose, named after it).
ASA_IKE_AUTH_NO_POLICY = """IKEv2-PROTO-5: (19): SM Trace-> SA: I_SPI=8B54A15A627B9C8A R_SPI=D86FA512E26B1066 (R) MsgID = 00000001 CurState: R_VERIFY_AUTH Event: EV_PROC_SA_TS
IKEv2-PROTO-2: (19): Processing IKE_AUTH message
{platform}IKEv2-PROTO-1: (19): Failed to find a matching policy
IKEv2-PROTO-1: (19): Received Policies:
ESP: Proposal 1:  AES-CBC-256 SHA256 Don't use ESN

IKEv2-PROTO-1: (19): Failed to find a matching policy
IKEv2-PROTO-1: (19): Expected Policies:
{expected}IKEv2-PROTO-5: (19): Failed to verify the proposed policies
IKEv2-PROTO-1: (19): Failed to find a matching policy
IKEv2-PROTO-5: (19): SM Trace-> SA: I_SPI=8B54A15A627B9C8A R_SPI=D86FA512E26B1066 (R) MsgID = 00000001 CurState: R_VERIFY_AUTH Event: EV_NO_PROP_CHOSEN
IKEv2-PROTO-2: (19): Sending no proposal chosen notify
"""


@pytest.mark.parametrize(("platform", "expected", "category"), [
    # the transform sets differ: the Child SA's ESP proposal carried in IKE_AUTH is refused (phase 2)
    ("", "ESP: Proposal 0:  AES-CBC-128 SHA256 Don't use ESN\n", "phase2_proposal_mismatch"),
    # the crypto ACL does not cover the peer's selectors, or the crypto map has none
    ("IKEv2-PLAT-2: (19): Crypto Map: No proxy match on map VPN_MAP seq 1\n", "", "traffic_selector_mismatch"),
    ("IKEv2-PLAT-2: Crypto map VPN_MAP seq 1 is incomplete due to missing ACL\n", "", "traffic_selector_mismatch"),
])
def test_an_asa_policy_not_found_in_ike_auth_is_the_child_sas(platform: str, expected: str, category: str) -> None:
    # "Failed to find a matching policy" while the ASA processes IKE_AUTH is about the Child SA carried in it, not the
    # IKE proposal; the syslog line alone (no exchange said) stays phase 1's.
    result = analyze_text(ASA_IKE_AUTH_NO_POLICY.format(platform=platform, expected=expected))
    assert result.primary is not None and result.primary.category == category
    alone = analyze_text("%ASA-4-750003: Local:198.51.100.1:500 Remote:203.0.113.10:500 Username:Unknown IKEv2 "
                         "Negotiation aborted due to ERROR: Failed to find a matching policy")
    assert alone.primary is not None and alone.primary.category == "phase1_proposal_mismatch"


def test_an_asa_initiator_told_no_proposal_chosen_in_ike_auth_has_a_phase_2_mismatch() -> None:
    # CAIDA logs/TSet_Mismatch_initiator.txt: the platform lines say which exchange the notify came in.
    text = """IKEv2-PLAT-3: (15): SENT PKT [IKE_AUTH] [20.20.20.1]:500->[30.30.30.1]:500 InitSPI=0x8b54a15a627b9c8a RespSPI=0xd86fa512e26b1066 MID=00000001
IKEv2-PLAT-3: RECV PKT [IKE_AUTH] [30.30.30.1]:500->[20.20.20.1]:500 InitSPI=0x8b54a15a627b9c8a RespSPI=0xd86fa512e26b1066 MID=00000001
IKEv2-PROTO-2: (15): Received Packet [From 30.30.30.1:500/To 20.20.20.1:500/VRF i0:f0]
(15): IKEv2 IKE_AUTH Exchange RESPONSEIKEv2-PROTO-3: (15): Next payload: ENCR, version: 2.0 (15): Exchange type: IKE_AUTH, flags: RESPONDER MSG-RESPONSE (15): Message id: 1, length: 144(15):
IKEv2-PROTO-5: Parse Notify Payload: NO_PROPOSAL_CHOSEN NOTIFY(NO_PROPOSAL_CHOSEN)  Next payload: NONE, reserved: 0x0, length: 8
    Security protocol id: IKE, spi size: 0, type: NO_PROPOSAL_CHOSEN
IKEv2-PROTO-2: (15): Process auth response notify
"""
    result = analyze_text(text)
    assert result.primary is not None and result.primary.category == "phase2_proposal_mismatch"


def test_an_asa_initiator_without_a_tunnel_group_or_key_has_an_authentication_problem() -> None:
    # CAIDA pub/debugs/iniciator.txt, annotated "No tunnel-group" and "Tunnel-group with no keys".
    for text in ("IKEv2-PLAT-1: Can't find tunnel group for peer 1.1.1.1\n"
                 "IKEv2-PLAT-1: unable to set self auth method. Probable misconfiguration.\n"
                 "IKEv2-PLAT-1: Failed to set P1 auth to build policy\nIKEv2-PLAT-1: Could not build ikev2 policy\n"
                 "IKEv2-PLAT-1: asa connect start L2L failed\n",
                 "IKEv2-PLAT-2: attempting to find tunnel group for IP: 1.1.1.1\n"
                 "IKEv2-PLAT-2: mapped to tunnel group 1.1.1.1 using peer IP\n"
                 "IKEv2-PLAT-1: Failed to set P1 auth to build policy\nIKEv2-PLAT-1: Could not build ikev2 policy\n"):
        result = analyze_text(text)
        assert result.primary is not None and result.primary.category == "auth_failure"


def test_ikev2_first_messages_sent_again_unanswered_mean_the_peer_does_not_answer() -> None:
    # CAIDA logs/PSK_Init.txt and P1MismatchInit.txt: only the initiator's IKE_SA_INIT, sent again and again.
    step = ("IKEv2-PLAT-3: (8): SENT PKT [IKE_SA_INIT] [20.20.20.1]:500->[30.30.30.1]:500 InitSPI=0x0c6ef96ec28eea32 "
            "RespSPI=0x0000000000000000 MID=00000000\nIKEv2-PROTO-5: (8): SM Trace-> SA: I_SPI=0C6EF96EC28EEA32 "
            "R_SPI=0000000000000000 (I) MsgID = 00000000 CurState: I_WAIT_INIT Event: EV_RE_XMT\n"
            "IKEv2-PROTO-2: (8): Retransmitting packet\n")
    result = analyze_text(step * 4)
    assert result.primary is not None and result.primary.category == "peer_unreachable"


# hwdsl2/setup-ipsec-vpn#1295: a Windows client's IKE_AUTH requests reach the server, the server's answers never reach
# the client (the maintainer: the provider's filtering), so the client sends its request again and again.
IKE_AUTH_AGAIN = ('Dec  8 18:00:{s:02d} VM-4-15-centos pluto[6241]: "ikev2-cp"[4] 222.191.246.242 #9: IKE_AUTH request '
                  "fragment 1 of 4 has duplicate Message ID 1; retransmitting response\n")


def test_ike_auth_requests_sent_again_after_this_side_answered_mean_its_answers_are_lost() -> None:
    again = "".join(IKE_AUTH_AGAIN.format(s=s) for s in (54, 56, 58, 59))
    result = analyze_text(again)
    assert result.primary is not None and result.primary.category == "peer_unreachable"
    assert "answers do not reach" in str(result.primary.summary)
    assert "4 times" in " ".join(result.primary.reasoning_in("en"))
    # once or twice is a lost packet, resent as the protocol wants
    assert analyze_text("".join(IKE_AUTH_AGAIN.format(s=s) for s in (54, 56))).primary is None


def test_a_quick_mode_whose_subnet_is_outside_the_address_pool_connection_is_refused_for_its_selectors() -> None:
    # libreswan/libreswan#2026 (libreswan 5.1): a router proposes its LAN to an xauth-psk connection with an address
    # pool (0.0.0.0/0); pluto refuses the Quick Mode.
    text = ('Feb  1 01:03:50.609515: "xauth-psk"[210] 120.231.135.232 #293: Quick Mode request rejected, peer requested '
            "lease but proposed local selector 192.168.43.0/24 does not match connection 0.0.0.0/0; deleting ISAKMP SA\n"
            'Feb  1 01:03:50.609559: "xauth-psk"[210] 120.231.135.232 #293: encountered fatal error in state '
            "STATE_MAIN_R3\n")
    result = analyze_text(text)
    assert result.primary is not None and result.primary.category == "traffic_selector_mismatch"
    assert result.primary.facts.get("ts_offered") == ["192.168.43.0/24"]
    assert result.primary.facts.get("ts_expected") == ["0.0.0.0/0"]


# xelerance/Openswan#191: Main Mode to a Cisco ASA completes, the Quick Mode is never answered (the ASA wanted PFS).
QUICK_MODE_UNANSWERED = """004 "myConn" #281: STATE_MAIN_I4: ISAKMP SA established {{auth=OAKLEY_PRESHARED_KEY cipher=aes_128 prf=oakley_sha group=modp1024}}
117 "myConn" #282: STATE_QUICK_I1: initiate
010 "myConn" #282: STATE_QUICK_I1: retransmission; will wait {first} for response
010 "myConn" #282: STATE_QUICK_I1: retransmission; will wait {second} for response
"""


def test_a_first_quick_mode_unanswered_for_long_is_read_as_its_timeout_would_be() -> None:
    # The paste ends before pluto gives up; the silence has lasted long (waits of 20 s and 40 s): the same guess as the
    # timeout's, the phase 2 proposal between two gateways, said as a guess.
    result = analyze_text(QUICK_MODE_UNANSWERED.format(first="20s", second="40s"))
    assert result.primary is not None and result.primary.category == "phase2_proposal_mismatch"
    assert result.primary.certainty == "guess"
    assert "sent again 2 times" in " ".join(result.primary.reasoning_in("en"))
    # a second of silence is packet loss as much as a refusal
    assert analyze_text(QUICK_MODE_UNANSWERED.format(first="0.5 seconds", second="1 second")).primary is None


def test_a_policy_another_reqid_holds_is_named_with_both_reqids() -> None:
    # strongswan/strongswan#1150 (dev excerpt): the rekey's CREATE_CHILD_SA succeeds on the wire, then the kernel
    # refuses the new Child SA's policies because reqid 1 holds the same selectors. The reading names the selectors and
    # both reqids instead of only "a collision, a failed rekey or SAs out of step".
    primary = analyze_text(_log("strongswan-v2-rekey-policy-conflict-cisco-asa")).primary
    assert primary is not None and primary.category == "rekey_issue"
    reading = " ".join(r.render("en") for r in primary.reasoning)
    assert "(10.12.112.0/21 === 10.0.0.0/8) under another Child SA (reqid 1)" in reading
    assert "policy (reqid 16) could not be installed" in reading


def test_a_refusal_after_an_ike_proposal_listing_is_phase_1_after_another_tunnel_came_up() -> None:
    # strongswan/strongMan#164 (dev excerpt): charon prints the IKE proposals it compared, then "received proposals
    # unacceptable"; "IKE:" there names the SA being negotiated. Pasted after another tunnel's healthy negotiation from
    # the same gateway's log (the paste robustness script's "tunnels before" check), the refusal read as phase 2.
    refused = _log("strongswan-v2-strongman-default-ike-proposal-rejects-macos-proposals-unacceptable")
    other = _log("strongswan-v2-strongswan-healthy")
    for text in (refused, other.rstrip("\n") + "\n" + refused):
        primary = analyze_text(text).primary
        assert primary is not None and primary.category == "phase1_proposal_mismatch"


def test_a_charon_give_up_after_another_tunnel_s_rekey_completed_is_no_rekey_problem() -> None:
    # Another tunnel's Quick Mode rekey (answered, its Child SA up again), then charon's "giving up after 5
    # retransmits" of a peer stopped with SIGSTOP (lists.strongswan.org users 2010-May/000322: DPD gives up, then
    # clears the SAs). The Child SA that came up ended the exchange the lines were at: the request left unanswered is
    # a later one, not that rekey.
    text = _log("strongswan-v1-quick-mode-rekey-l2tp-healthy") + _log("strongswan-v2-dpd-peer-sigstopped-giving-up-clear")
    primary = analyze_text(text).primary
    assert primary is not None and primary.category == "dpd_timeout", primary and primary.category
