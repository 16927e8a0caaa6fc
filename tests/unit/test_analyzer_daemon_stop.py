"""A log that runs to the daemon's own stop: what the daemon logs on its way out is the stop, not a cause.

charon ("SIGTERM received, shutting down") and pluto ("Pluto is shutting down", "shutting down" before libreswan 4.7)
delete their SAs when they stop, and their last messages may find no interface left ("error writing to socket:
Network is unreachable"). An engineer who copies a whole log file copies that too. The logs are real: the lab's
charon 5.9.8 and pluto logs (tests/data/strongswan-lab, whole files, start-up and stop included) and a libreswan 3.x
restart from a public issue (datasets/real-logs/dev).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from lab.analyzer import analyze_text

ROOT = Path(__file__).resolve().parents[2]
LAB = ROOT / "tests" / "data" / "strongswan-lab"
SCENARIOS = yaml.load((LAB / "scenarios.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["scenarios"]


def _healthy_whole_logs() -> list[Path]:
    """Every side of every scenario (and release variant, and charon at log level 2) whose tunnel stayed healthy."""
    logs = []
    for s in SCENARIOS:
        for variant, spec in [("", s), *(s.get("variants") or {}).items()]:
            if spec.get("expected", s["expected"]) != "none":
                continue
            for folder in [variant] if variant else ["", "charon-level2"]:
                logs += [p for side in "LR" if (p := LAB / s["name"] / folder / f"{side}.log").exists()]
    return logs


HEALTHY = _healthy_whole_logs()


def test_there_are_healthy_whole_logs_that_end_with_the_daemons_stop() -> None:
    assert len(HEALTHY) >= 100
    assert sum("SIGTERM received, shutting down" in p.read_text() for p in HEALTHY) >= 80


@pytest.mark.parametrize("path", HEALTHY, ids=lambda p: str(p.relative_to(LAB)))
def test_a_healthy_whole_log_names_no_cause(path: Path) -> None:
    # Before, 55 of these named one: the Deletes charon sends on its way out read as the peer's ("The peer deleted the
    # IKE SA"), its last socket error as an unreachable peer, its closing of the rekeyed SAs as a rekey problem.
    result = analyze_text(path.read_text(encoding="utf-8"))
    assert result.primary is None, result.primary and result.primary.summary_in("en")


def _read_sides_whole() -> list[tuple[str, str, str, str]]:
    """(scenario, variant, side, expected) for every side a scenario is read on (scenarios.yaml: its sides, less those
    not read yet), whole files; variants that do not happen with that release are left out."""
    cases = []
    for s in SCENARIOS:
        for variant, spec in [("", s), *(s.get("variants") or {}).items()]:
            if spec.get("not_applicable"):
                continue
            not_read = spec.get("not_read") or {}
            cases += [(s["name"], variant, side, spec.get("expected", s["expected"]))
                      for side in spec.get("sides", s["sides"]) if side in "LR" and side not in not_read
                      and (LAB / s["name"] / variant / f"{side}.log").exists()]
    return cases


WHOLE = _read_sides_whole()


def test_every_side_is_also_read_as_a_whole_file() -> None:
    # The other tests of the lab read each log as an engineer copies an excerpt (after start-up, before the stop);
    # copying the whole file (start-up, the connection loaded again, the daemon's stop) must not change the cause.
    # One file is one log: charon logs the peer's rekey of the IKE SA ("192.0.2.2 is initiating an IKE_SA") and an
    # IKEv1 reauthentication's first messages under the old IKE SA's id, which once read as the other peer's log
    # starting ("2 separate logs were found").
    assert len(WHOLE) >= 300
    wrong, split = [], []
    for name, variant, side, expected in WHOLE:
        result = analyze_text((LAB / name / variant / f"{side}.log").read_text(encoding="utf-8"))
        p = result.primary
        if (p.category if p else "none") != expected:
            wrong.append((name, variant, side, expected, p and p.category))
        if result.streams != 1:
            split.append((name, variant, side, result.streams))
    assert not wrong
    assert not split


def test_the_stop_is_named_and_what_follows_is_not_a_finding() -> None:
    text = (LAB / "v2-rekey-dpd-healthy" / "L.log").read_text(encoding="utf-8")
    lines = text.splitlines()
    stop = next(i for i, line in enumerate(lines, 1) if "SIGTERM received, shutting down" in line)
    assert lines[-1].endswith("error writing to socket: Network is unreachable")
    result = analyze_text(text)
    assert result.primary is None
    assert not [f for f in result.findings if f.line > stop and f.category]
    said = [n.render("en") for n in result.notes]
    assert any(n.startswith(f"Line {stop}: the IKE daemon that wrote this log was stopped (") and "start it" in n
               for n in said), said


def test_a_failure_before_the_stop_is_said_with_the_stop_in_brief() -> None:
    text = (LAB / "v2-ts" / "L.log").read_text(encoding="utf-8")
    stop = next(i for i, line in enumerate(text.splitlines(), 1) if "SIGTERM received" in line)
    result = analyze_text(text)
    assert result.primary is not None and result.primary.category == "traffic_selector_mismatch"
    said = [n.render("en") for n in result.notes]
    assert (f"Line {stop}: the IKE daemon that wrote this log was stopped there; what it logged after that line is "
            "the stop, not read as a cause.") in said


def test_a_pluto_restart_is_read_as_the_stop_then_the_daemon_again() -> None:
    # libreswan 3.x: "shutting down", the connections and interfaces deleted, then a new pluto initialising NSS
    # (https://github.com/hwdsl2/setup-ipsec-vpn/issues/343)
    text = (ROOT / "datasets" / "real-logs" / "dev" /
            "libreswan-setup-ipsec-vpn-orderly-pluto-restart-shutting-down.log").read_text(encoding="utf-8")
    result = analyze_text(text)
    assert result.primary is None
    assert [n.render("en") for n in result.notes][:1] == [
        "Line 3: the IKE daemon that wrote this log was stopped, and it ran again from line 14: what it logged in "
        "between is the stop, not read as a cause."]


def _without_start_up(path: Path) -> str:
    """A charon log from its first line about a connection (no "Starting IKE charon daemon", no plugins loaded)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if "[DMN]" not in line and "[LIB]" not in line and "[CFG] loaded" not in line
                   and "added vici connection" not in line and "[JOB] spawning" not in line)


def test_a_daemon_that_starts_a_negotiation_after_its_stop_runs_again() -> None:
    # The same charon stopped (v2-healthy's last lines), then restarted without its start-up lines in the paste, then
    # found its peer's daemon not running (v2-unreachable, a minute later): the failure after the restart is read.
    stopped = (LAB / "v2-healthy" / "L.log").read_text(encoding="utf-8")
    after = _without_start_up(LAB / "v2-unreachable" / "L.log")
    text = stopped + after.split(" SIGTERM received")[0]
    result = analyze_text(text)
    assert result.primary is not None and result.primary.category == "peer_unreachable"
    stop = next(i for i, line in enumerate(text.splitlines(), 1) if "SIGTERM received" in line)
    again = stop + next(i for i, line in enumerate(text.splitlines()[stop:], 1) if "initiating IKE_SA" in line)
    assert any(n.render("en").startswith(f"Line {stop}: the IKE daemon that wrote this log was stopped, and it ran "
                                          f"again from line {again}:") for n in result.notes)


@pytest.mark.parametrize(("name", "expected"), [
    ("v2-peer-delete", "ike_sa_deleted_by_peer"),  # R's operator deleted the IKE SA, then the lab stopped L
    ("v2-dpd", "dpd_timeout"),  # R stopped answering, L's DPD declared it dead, then the lab stopped L
    ("v2-ts", "traffic_selector_mismatch"),
    ("v2-unreachable", "peer_unreachable"),  # R's daemon not running: L's own retransmits, not its stop's last error
])
def test_whole_failure_logs_keep_their_cause(name: str, expected: str) -> None:
    result = analyze_text((LAB / name / "L.log").read_text(encoding="utf-8"))
    assert result.primary is not None and result.primary.category == expected


# The BGP daemons of tests/data/bgp-lab (FRR 8.4's bgpd, OpenBGPD 7.7), whole logs to their stop: FRR's "Terminating
# on signal" with the Cease 6/3 and 6/2 it sends every neighbor as it removes them, OpenBGPD's "waiting for children
# to terminate" with its processes' "Lost connection to parent".
BGP_LAB = ROOT / "tests" / "data" / "bgp-lab"


@pytest.mark.parametrize(("name", "side"), [
    ("bgp-frr-bird-healthy", "L"), ("bgp-frr-frr-healthy", "L"), ("bgp-frr-frr-healthy", "R"),
    ("bgp-frr-gobgp-healthy", "L"), ("bgp-frr-exabgp-healthy", "L"), ("bgp-frr-openbgpd-healthy", "L"),
    ("bgp-frr-openbgpd-healthy", "R"),
])
def test_a_bgp_daemon_stopped_at_the_end_is_named_as_such(name: str, side: str) -> None:
    # Before: "the session was shut down on purpose ... check that the neighbor was enabled again", or "a configuration
    # change reset or removed the session" (the Cease 6/3 FRR sends as it stops).
    p = analyze_text((BGP_LAB / name / f"{side}.log").read_text(encoding="utf-8")).primary
    assert p is not None and p.category == "bgp_down"
    assert p.summary_in("en") == "BGP is down: the BGP daemon itself was stopped, and it does not run again in these lines."
    assert any(r.startswith("Line ") and "the BGP daemon itself was stopped" in r and "Start it" in r
               for r in p.reasoning_in("en"))


@pytest.mark.parametrize(("name", "side"), [
    ("bgp-frr-bird-hold-expired-then-back", "L"), ("bgp-frr-gobgp-hold-expired-then-back", "L"),
    ("bgp-frr-exabgp-hold-expired-then-back", "L"), ("bgp-frr-openbgpd-hold-expired-then-back", "L"),
    ("bgp-frr-openbgpd-hold-expired-then-back", "R"),
])
def test_a_bgp_fault_before_the_daemons_stop_is_the_reading_and_the_stop_comes_after(name: str, side: str) -> None:
    text = (BGP_LAB / name / f"{side}.log").read_text(encoding="utf-8")
    p = analyze_text(text).primary
    assert p is not None and p.category == "bgp_down"
    assert p.summary_in("en").startswith("BGP flaps: it went down and came up again at line ")
    assert p.summary_in("en").endswith("Why it went down: Hold timer expired.")
    stop = next(i for i, line in enumerate(text.splitlines(), 1)
                if "Terminating on signal" in line or line.strip().endswith("waiting for children to terminate"))
    assert p.reasoning_in("en")[-1] == (
        f"Line {stop}: then the BGP daemon itself was stopped (the service stopped or restarted, an upgrade or a "
        "reboot), which closes every session of this router until it runs again.")


def test_the_cli_json_and_the_report_say_the_daemon_was_stopped(capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime

    from lab.cli import main
    from lab.triage.report import build_report

    path = LAB / "v2-rekey-dpd-healthy" / "L.log"
    assert main(["logs", str(path)]) == 0
    assert "Primary diagnosis: none - no failure before the IKE daemon was stopped (see the notes above)." in (
        capsys.readouterr().out)
    assert main(["logs", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["primary"] is None and out["daemon_stopped"] is True and out["recovered"] is False
    report = build_report(analyze_text(path.read_text(encoding="utf-8")), None, None, datetime(2026, 12, 7, tzinfo=UTC))
    assert "No failure was found before the IKE daemon was stopped: the notes below name the line." in report
    # a daemon that ran again, or a failure before the stop: not this verdict
    for other in (ROOT / "datasets" / "real-logs" / "dev" / "libreswan-setup-ipsec-vpn-orderly-pluto-restart-shutting-down.log",
                  LAB / "v2-ts" / "L.log"):
        assert main(["logs", str(other), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["daemon_stopped"] is False


@pytest.mark.parametrize("name", ["bgp-frr-bird-healthy", "bgp-frr-frr-healthy", "bgp-frr-gobgp-healthy",
                                  "bgp-frr-bird-late-peer"])
def test_both_whole_bgp_logs_pasted_together_read_as_the_stop(name: str) -> None:
    # L's whole log (FRR, to its "Terminating on signal"), then R's: R's Up lines come after L's stop in the paste but
    # happened before it (their time stamps). Before, they were read as the session coming back ("BGP flaps: it went
    # down and came up again at line 12. Why it went down: Administrative shutdown").
    left, right = ((BGP_LAB / name / f"{side}.log").read_text(encoding="utf-8") for side in "LR")
    p = analyze_text(left + right).primary
    assert p is not None and p.category == "bgp_down"
    assert p.summary_in("en") == "BGP is down: the BGP daemon itself was stopped, and it does not run again in these lines."


def test_the_lines_that_led_to_a_two_sided_reading_are_in_the_order_they_happened() -> None:
    # FRR's whole log, then BIRD's: BIRD's lines come later in the paste but some happened first. The page's table
    # ("Lines that led to the diagnosis, in order") and --json's evidence_lines follow their time stamps.
    left, right = ((BGP_LAB / "bgp-frr-bird-healthy" / f"{side}.log").read_text(encoding="utf-8") for side in "LR")
    text = left + right
    p = analyze_text(text).primary
    assert p is not None and len({f.line <= len(left.splitlines()) for f in p.chain}) == 2  # lines of both logs
    stamps = [text.splitlines()[f.line - 1][:23].replace("/", "-") for f in p.chain]
    assert stamps == sorted(stamps)
    assert [f.line for f in p.chain] != sorted(f.line for f in p.chain)


@pytest.mark.parametrize("name", ["v2-healthy", "v2-ts", "v1-healthy", "v2-responder-rekeys-healthy"])
def test_both_whole_charon_logs_pasted_together_are_two_logs(name: str) -> None:
    # R's log starts with its clock going back to its own start; both daemons number their IKE SAs from 1, in
    # opposite roles. Before, the second log's first IKE SA read as a third log starting ("3 separate logs").
    left, right = ((LAB / name / f"{side}.log").read_text(encoding="utf-8") for side in "LR")
    result = analyze_text(left + right)
    assert result.streams == 2
    assert ("2 separate logs were found (two sides, several hosts, or a daemon that restarted); each was read on its "
            "own.") in [n.render("en") for n in result.notes]


# libreswan's test impair-13-ikev2-transform-integ-none, west's console: Child SA rekeys asked for with `ipsec whack
# --rekey-child`, then `ipsec stop` / `ipsec start` and the same again; every rekey replaced its SA.
# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/impair-13-ikev2-transform-integ-none/west.console.txt
PLUTO_RESTARTED = (
    ' ipsec whack --rekey-child --name integ\n'
    '"integ" #6: initiating rekey to replace Child SA #4 using IKE SA #5\n'
    '"integ" #6: sent CREATE_CHILD_SA request to rekey Child SA #4 using IKE SA #5 {ESP <0xESPESP} [192.0.1.0/24===192.0.2.0/24]\n'
    '"integ" #6: initiator rekeyed Child SA #4 using #5; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_128-MODP2048 DPD=passive}\n'
    '"integ" #4: sent INFORMATIONAL request to delete established Child SA using IKE SA #5\n'
    '"integ" #4: ESP traffic information: in=84B out=84B\n'
    'west #\n'
    ' ../../guestbin/ping-once.sh --up -I 192.0.1.254 192.0.2.254\n'
    'up\n'
    'west #\n'
    ' ipsec trafficstatus\n'
    '#6: "integ", type=ESP, add_time=1234567890, inBytes=84, outBytes=84, maxBytes=2^63B, id=\'@east\'\n'
    'west #\n'
    ' ipsec stop\n'
    'Redirecting to: [initsystem]\n'
    'west #\n'
    ' # ALLOW\n'
    'west #\n'
    ' ipsec start\n'
    'Redirecting to: [initsystem]\n'
    'west #\n'
    ' ../../guestbin/wait-until-pluto-started\n'
    'west #\n'
    ' ipsec whack --impair v2_proposal_integ:allow-none\n'
    ' ipsec up integ\n'
    '"integ" #1: initiating IKEv2 connection to 192.1.2.23 using UDP\n'
    '"integ" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500\n'
    '"integ" #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_128 integ=n/a prf=HMAC_SHA1 ke=MODP2048}, initiating IKE_AUTH\n'
    '"integ" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN \'@west\'; Child SA #2 {ESP <0xESPESP} [192.0.1.0/24===192.0.2.0/24]\n'
    '"integ" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,SA,TSi,TSr}\n'
    '"integ" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN \'@east\'\n'
    '"integ" #2: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_128 DPD=passive}\n'
    'west #\n'
    ' ../../guestbin/ping-once.sh --up -I 192.0.1.254 192.0.2.254\n'
    'up\n'
    'west #\n'
    ' ipsec trafficstatus\n'
    '#2: "integ", type=ESP, add_time=1234567890, inBytes=84, outBytes=84, maxBytes=2^63B, id=\'@east\'\n'
    'west #\n'
    ' # DROP\n'
    'west #\n'
    ' ipsec whack --impair v2_proposal_integ:drop-none\n'
    'west #\n'
    ' ipsec whack --rekey-ike   --name integ\n'
    '"integ" #3: initiating rekey to replace IKE SA #1 using IKE SA #1\n'
    '"integ" #3: sent CREATE_CHILD_SA request to rekey IKE SA #1 (using IKE SA #1)\n'
    '"integ" #3: initiator rekeyed IKE SA #1 {cipher=AES_GCM_16_128 integ=n/a prf=HMAC_SHA1 ke=MODP2048}\n'
    '"integ" #1: deleting IKE SA (ESTABLISHED_IKE_SA) and sending notification\n'
    'west #\n'
    ' ipsec whack --rekey-child --name integ\n'
    '"integ" #4: initiating rekey to replace Child SA #2 using IKE SA #3\n'
    '"integ" #4: sent CREATE_CHILD_SA request to rekey Child SA #2 using IKE SA #3 {ESP <0xESPESP} [192.0.1.0/24===192.0.2.0/24]\n'
    '"integ" #4: initiator rekeyed Child SA #2 using #3; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_128-MODP2048 DPD=passive}\n'
    '"integ" #2: sent INFORMATIONAL request to delete established Child SA using IKE SA #3\n'
    '"integ" #2: ESP traffic information: in=84B out=84B\n'
    'west #\n'
    ' ../../guestbin/ping-once.sh --up -I 192.0.1.254 192.0.2.254\n'
    'up\n'
    'west #\n'
    ' ipsec trafficstatus\n'
    '#4: "integ", type=ESP, add_time=1234567890, inBytes=84, outBytes=84, maxBytes=2^63B, id=\'@east\'\n'
)


def test_a_pluto_that_restarted_without_its_start_lines_numbers_its_states_again() -> None:
    # The console shows the restart as commands only: the states pluto starts (#1 again after #6) tell it. Read as one
    # numbering, the restarted pluto's new SA #4 looked like the SA #4 that was up before the rekey asked on line 1 of
    # the second run, so the rekey read as not done.
    result = analyze_text(PLUTO_RESTARTED)
    assert result.primary is None
    assert result.streams == 2
    first_run = PLUTO_RESTARTED.split(" ipsec stop")[0]
    assert analyze_text(first_run).streams == 1



# https://github.com/libreswan/libreswan/issues/99: pluto 3.20 crashing on every Main Mode a peer started (segfault),
# systemd starting it again each time.
PLUTO_CRASHING = (
    '2017-06-01T20:10:16+02:00 firewall1 pluto[14061]: "customer": deleting connection\n'
    '2017-06-01T20:10:16+02:00 firewall1 pluto[14061]: "customer" #13535: deleting state (STATE_QUICK_R2)\n'
    '2017-06-01T20:10:16+02:00 firewall1 pluto[14061]: "customer" #13570: deleting state (STATE_MAIN_I4)\n'
    '2017-06-01T20:11:41+02:00 firewall1 pluto[3432]: added connection description "customer"\n'
    '2017-06-01T20:11:56+02:00 firewall1 pluto[3432]: "customer" #2532: responding to Main Mode\n'
    '2017-06-01T20:11:56+02:00 firewall1 pluto[3432]: "customer" #2532: Oakley Transform [OAKLEY_AES_CBC (128), OAKLEY_MD5, OAKLEY_GROUP_MODP2048] refused\n'
    '2017-06-01T20:12:09+02:00 firewall1 pluto[6250]: added connection description "customer"\n'
    '2017-06-01T20:12:38+02:00 firewall1 pluto[6250]: "customer" #3227: responding to Main Mode\n'
    '2017-06-01T20:12:38+02:00 firewall1 pluto[6250]: "customer" #3227: Oakley Transform [OAKLEY_AES_CBC (128), OAKLEY_MD5, OAKLEY_GROUP_MODP2048] refused\n'
    '2017-06-01T20:12:51+02:00 firewall1 pluto[8958]: added connection description "customer"\n'
    '2017-06-01T20:12:55+02:00 firewall1 pluto[8958]: "customer": deleting non-instance connection\n'
    '2017-06-01T20:13:46+02:00 firewall1 pluto[11376]: added connection description "customer"\n'
    '2017-06-01T20:13:54+02:00 firewall1 pluto[11376]: "customer" #1305: responding to Main Mode\n'
)


def test_a_daemon_that_starts_again_as_a_new_process_without_a_stop_crashed_mid_negotiation() -> None:
    # pluto logs each transform it refuses and goes on to the next: the refusal the crash cut short is no verdict (it
    # read as a phase 1 proposal mismatch)
    result = analyze_text(PLUTO_CRASHING)
    assert result.primary is None
    notes = [n.render("en") for n in result.notes]
    assert any(n.startswith("Lines 7, 10, 12: the IKE daemon started again as a new process 3 times") for n in notes)
    # the old process deleting its states before the new one starts is a stop whose stop line the paste left out
    assert not any("Lines 4," in n for n in notes)
    # without the new process after it, the refusal stands as before
    cut = "".join(line + "\n" for line in PLUTO_CRASHING.splitlines()[3:6])
    primary = analyze_text(cut).primary
    assert primary is not None and primary.category == "phase1_proposal_mismatch"



# https://github.com/kitten/setup-strong-strongswan/issues/30: charon failing to start (a critical plugin feature).
CHARON_DID_NOT_START = (
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[CFG]   loaded IKE secret for %any\n'
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[CFG]   loaded EAP secret for ma*****sh\n'
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[CFG]   loaded EAP secret for ma*****sh\n'
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[CFG] loaded 0 RADIUS server configurations\n'
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[LIB] failed to load 1 critical plugin feature\n'
    'Nov 21 16:11:31 localhost.localdomain charon[29833]: 00[DMN] initialization failed - aborting charon\n'
    'Nov 21 16:11:32 localhost.localdomain ipsec[25836]: charon has died -- restart scheduled (5sec)\n'
)


def test_a_daemon_that_could_not_start_is_said_so() -> None:
    # (it read as nothing to say)
    result = analyze_text(CHARON_DID_NOT_START)
    assert result.primary is None
    assert any(n.render("en").startswith("Line 5: the IKE daemon did not start") for n in result.notes)
