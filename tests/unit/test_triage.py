"""Triage you can trust: per-tunnel evidence with provenance, 'not sure', links that reproduce a position."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from lab import DATASETS_DIR, replay
from lab.analyzer import Analysis, Finding, Primary, analyze_text
from lab.errors import InputError, NotFoundError
from lab.model import Event, LogRecord, Snapshot, Tunnel, TunnelOptions, VpnConnection
from lab.triage import case, tree
from lab.triage.evidence import from_analysis, rule, scopes, scopes_from_text
from lab.triage.tree import NOT_SURE, answer, answers_token, candidates, parse_answers_token, start, walk

T1, T2 = "203.0.113.10", "203.0.113.20"
VPN = "vpn-0123456789abcdef0"


def _aws(ip: str, details: str, p1: str = "Down", p2: str = "Down") -> str:
    return (f'{{"event_timestamp":1764404400000,"tunnel_outside_ip":"{ip}","details":"{details}",'
            f'"ike_phase1_state":"{p1}","ike_phase2_state":"{p2}"}}')


def _snapshot(records: list[LogRecord], status: tuple[str, str] = ("DOWN", "DOWN"), **opts: object) -> Snapshot:
    o = TunnelOptions(**opts)  # type: ignore[arg-type]
    conn = VpnConnection(VPN, (Tunnel(T1, o, status[0]), Tunnel(T2, o, status[1])), customer_gateway_ip="198.51.100.7")
    return Snapshot("replay", "two tunnels", (conn,), logs=tuple(records))


# --- the engine: "not sure", candidates, shortlists ---------------------------------------------


def test_not_sure_continues_with_a_question_that_still_separates_the_diagnoses() -> None:
    s = answer(start("tunnel-down"), NOT_SURE)
    assert s.steps[0].label == "Not sure"
    assert not s.current.is_diagnosis
    assert s.open, "the other branches stay open"
    found = [c.ref for c in candidates(s)]
    assert "tunnel-down/d-peer-unreachable" in found and "tunnel-down/d-auth" in found
    assert len(found) == len(set(found))


def test_not_sure_everywhere_ends_at_a_shortlist_the_person_can_pick_from() -> None:
    s = start("tunnel-down")
    for _ in range(60):
        if s.is_shortlist or s.is_diagnosis:
            break
        s = answer(s, NOT_SURE)
    assert s.is_shortlist
    refs = [s.current.ref, *s.open]
    picked = answer(s, refs.index("tunnel-down/d-auth"))
    assert picked.is_diagnosis and picked.current.ref == "tunnel-down/d-auth"


def test_candidates_put_the_logs_primary_cause_first() -> None:
    ev = from_analysis(analyze_text(_aws(T1, "AWS tunnel is sending AUTHENTICATION_FAILED as the response")))
    s = answer(tree.goto("tunnel-down/phase1-cause"), NOT_SURE)
    assert candidates(s, ev)[0].ref == "tunnel-down/d-auth"


def test_a_persons_answer_wins_over_the_evidence() -> None:
    ev = from_analysis(analyze_text(_aws(T1, "AWS tunnel received DELETE for IKE_SA from CGW")))
    s = walk(tree.goto("tunnel-down/phase1-cause"), {"tunnel-down/phase1-cause": "2"}, ev)
    assert s.current.ref == "tunnel-down/d-auth"
    assert s.steps[0].by == "person"


@pytest.mark.parametrize("answers", [
    {"scope": "1", "ike-traffic": "2"},
    {"tunnel-down/scope": "not-sure"},
    {"tunnel-down/scope": "?", "tunnel-down/ike-traffic": "1"},
])
def test_a_link_token_reproduces_the_same_position(answers: dict[str, str]) -> None:
    s = walk(start("tunnel-down"), answers, {})
    again = walk(start("tunnel-down"), parse_answers_token(answers_token(s)), {})
    assert again.steps == s.steps


def test_a_link_carries_evidence_answers_and_the_logs_skip() -> None:
    result = case.run(log_text=(DATASETS_DIR / "samples" / "aws-dpd-timeout.jsonl").read_text())
    token = answers_token(result.session)
    assert ":>tunnel-down/" in token
    again = walk(start("tunnel-down"), parse_answers_token(token), {})
    assert again.current.ref == result.session.current.ref
    assert [s.by for s in again.steps] == [s.by for s in result.session.steps]


def test_a_malformed_link_token_is_named() -> None:
    with pytest.raises(InputError, match="nonsense"):
        parse_answers_token("nonsense")
    with pytest.raises(NotFoundError):
        walk(start("tunnel-down"), {"tunnel-down/scope": "9"}, {})


# --- evidence: per tunnel, with provenance, never combined ----------------------------------------


def test_each_tunnel_is_answered_from_its_own_lines_only() -> None:
    recs = [
        LogRecord(_aws(T1, "AWS tunnel received DELETE for IKE_SA from CGW"), "aws-json", 1, tunnel_ip=T1),
        LogRecord(_aws(T2, "AWS tunnel is sending AUTHENTICATION_FAILED as the response"), "aws-json", 2, tunnel_ip=T2),
    ]
    by_tunnel = {s.tunnel: s for s in scopes(_snapshot(recs))}
    assert by_tunnel[T1].evidence["log.primary"].value == "ike_sa_deleted_by_peer"
    assert by_tunnel[T2].evidence["log.primary"].value == "auth_failure"
    assert by_tunnel[T1].evidence["log.category:auth_failure"].value == "no"
    for scope in by_tunnel.values():
        assert {e.tunnel for e in scope.evidence.values()} == {scope.tunnel}


def test_every_automatic_answer_names_connection_tunnel_and_origin() -> None:
    recs = [LogRecord(_aws(T1, "AWS tunnel received DELETE for IKE_SA from CGW"), "aws-json", 1, tunnel_ip=T1)]
    result = case.run(snapshot=_snapshot(recs))
    auto = [s for s in result.session.steps if s.by_evidence]
    assert auto
    for step in auto:
        assert VPN in step.source and T1 in step.source


def test_a_customer_gateway_line_is_attributed_by_the_tunnel_ip_it_names() -> None:
    recs = [
        LogRecord(f"Jan 15 09:00:00 cgw charon: 05[IKE] <aws-1|3> initiating IKE_SA aws-1[3] to {T2}", "strongswan", 1),
        LogRecord("Jan 15 09:00:04 cgw charon: 06[IKE] <aws-1|3> retransmit 1 of request with message ID 0", "strongswan", 2),
    ]
    by_tunnel = {s.tunnel: s for s in scopes(_snapshot(recs))}
    assert by_tunnel[T2].lines == 2 and by_tunnel[T1].lines == 0


def test_unanswered_retransmits_prove_one_side_sends_not_that_the_path_works() -> None:
    log = (DATASETS_DIR / "samples" / "strongswan-dpd-unreachable.log").read_text()
    ev = scopes_from_text(log)[0].evidence
    assert ev["log.ike_activity"].value in ("one-way", "yes")
    only_requests = "\n".join(
        f"Jan 15 09:00:0{i} cgw charon: 0{i}[IKE] retransmit {i} of request with message ID 0" for i in range(1, 4)
    ) + "\nJan 15 09:00:09 cgw charon: 09[IKE] giving up after 3 retransmits"
    one_way = scopes_from_text(only_requests)
    assert one_way and one_way[0].evidence["log.ike_activity"].value == "one-way"
    assert "not that the path works" in rule("log.ike_activity").does_not_prove


def test_a_refusal_or_a_bgp_notification_is_not_read_as_one_way() -> None:
    # Only an unanswered request says "one side sends, nothing comes back": a Cease the AWS side received came from the
    # neighbor, so it answers nothing about one-way traffic (monitoring-logs.html message text).
    bgp = ('{"resource_id":"vpn-0a1b2c3d4e5f60718_203.0.113.5","event_timestamp":1762580429641,'
           '"timestamp":"2025-11-08 05:40:29.641Z","type":"BGPStatus","status":"DOWN","message":{"details":'
           '"AWS-side peer received notification 6/2 (Cease/Administrative Shutdown) from neighbor 169.254.10.2"}}')
    scoped = scopes_from_text(bgp)
    assert scoped and scoped[0].evidence["log.ike_activity"].value == "yes"  # the notification came from the peer
    refused = scopes_from_text("Jan 15 09:00:00 cgw charon: 05[ENC] invalid major version 1 received\n")
    assert not refused or refused[0].evidence.get("log.ike_activity") is None or \
        refused[0].evidence["log.ike_activity"].value != "one-way"


@pytest.mark.parametrize(("text", "cause"), [
    # a reason that names one answer of "Why BGP is down"
    ("AWS-side peer detected a bad OPEN message from neighbor 169.254.44.2 - remote AS is 65001, expected 65000", "asn"),
    ("AWS-side peer sent a Hold Timer Expired notification to neighbor 169.254.44.2", "hold_timer"),
    ("AWS-side peer BGP session state has changed from Connect to Active with neighbor 169.254.10.2", "hold_timer"),
    ("AWS-side peer detected the maximum prefix limit was exceeded with neighbor 169.254.10.2", "max_prefix"),
    ("AWS-side peer received notification 6/2 (Cease/Administrative Shutdown) from neighbor 169.254.10.2", "shutdown"),
    # a session down without its reason: the question stays with the person (it used to read "hold timer")
    ("AWS-side peer BGP session state has changed from Established to Idle with neighbor 169.254.10.2", None),
    ("%BGP-5-ADJCHANGE: neighbor 169.254.10.1 vpn vrf AWS Down BGP Notification sent", None),
])
def test_why_bgp_is_down_is_answered_only_by_a_reason_the_log_names(text: str, cause: str | None) -> None:
    (scoped,) = scopes_from_text(text + "\n")
    got = scoped.evidence.get("log.bgp_cause")
    assert (got.value if got else None) == cause


def test_every_bgp_cause_the_evidence_gives_leads_where_the_analyzer_continues() -> None:
    """The evidence's answer to "Why BGP is down" and the analyzer's tree node for the same reason agree."""
    from lab.analyzer.bgp import NO_ROUTES
    from lab.analyzer.diagnosis import BGP_TREE_NODES
    from lab.triage.evidence import _BGP_CAUSES

    node = tree.goto("tunnel-down/bgp-cause").current
    leads = {w: a.next for a in node.answers for w in (a.when or [])}
    assert set(_BGP_CAUSES) | NO_ROUTES == set(BGP_TREE_NODES)
    for reason, cause in _BGP_CAUSES.items():
        assert leads[cause] == BGP_TREE_NODES[reason], reason
    # A session that stays up without routes: "Is BGP established" leads on to the no-traffic tree's routes
    # question, whose answer for the same evidence is where the analyzer continues.
    state = tree.goto("tunnel-down/bgp-state").current
    routes = tree.goto("no-traffic/routing-type").current
    assert state.evidence == routes.evidence == "log.bgp_session"
    assert next(a.next for a in state.answers if "no_routes" in (a.when or [])) == "no-traffic/routing-type"
    policy = next(a.next for a in routes.answers if "no_routes" in (a.when or []))
    assert all(BGP_TREE_NODES[reason] == policy for reason in NO_ROUTES)


# FRR's "show bgp summary" under its RFC 8212 check (doc/user/bgp.rst, "bgp ebgp-requires-policy": the session is
# Established, "(Policy)" stands where the prefix counts would), and FRR's warning for the same neighbor
# (bgpd/bgp_route.c: "%pBP rcvd UPDATE EBGP inbound policy not properly setup, ...").
FRR_POLICY = (
    "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc\n"
    "169.254.10.1    4      64512         8        10        0    0    0 00:03:09     (Policy) (Policy) N/A\n"
)


@pytest.mark.parametrize("text", [
    FRR_POLICY,
    "2024/04/02 15:04:10 BGP: [M2FFZ-XYZ12] 169.254.10.1(Unknown) rcvd UPDATE EBGP inbound policy not properly setup,"
    " please configure in order for your peering to work correctly\n",
])
def test_a_session_up_without_routes_leads_to_the_policy_not_to_why_bgp_is_down(text: str) -> None:
    (scoped,) = scopes_from_text(text)
    assert scoped.evidence["log.bgp_session"].value == "no_routes"
    assert "log.bgp_cause" not in scoped.evidence  # no answer to "Why BGP is down": it is not down
    s = walk(tree.goto("tunnel-down/bgp-state"), {}, scoped.evidence)
    assert s.current.ref == "no-traffic/d-bgp-policy"
    assert [step.by for step in s.steps[:-1]] == ["evidence", "evidence"]
    analysis = analyze_text(text)
    assert analysis.primary is not None and analysis.primary.tree_node == s.current.ref
    assert analysis.primary.title == "BGP up, but routes are not exchanged"


def test_a_session_down_answers_is_bgp_established_with_no() -> None:
    (scoped,) = scopes_from_text(
        "AWS-side peer BGP session state has changed from Established to Idle with neighbor 169.254.10.2\n")
    assert scoped.evidence["log.bgp_session"].value == "down"
    s = walk(tree.goto("tunnel-down/bgp-state"), {}, scoped.evidence)
    assert s.current.ref == "tunnel-down/bgp-cause"  # no reason in the line: the question stays with the person


def test_an_ikev1_main_mode_initiation_names_who_brought_the_tunnel_back() -> None:
    from lab.triage.evidence import _CHARON_CGW_INITIATES, _CHARON_PEER_INITIATES

    # strongSwan main_mode.c and ike_init.c (6.0.6 and later name the new SA)
    assert _CHARON_CGW_INITIATES.search("09[IKE] <aws|2> initiating Main Mode IKE_SA aws[2] to 203.0.113.5")
    assert _CHARON_PEER_INITIATES.search("09[IKE] 203.0.113.5 is initiating a Main Mode IKE_SA")
    assert _CHARON_PEER_INITIATES.search("09[IKE] 203.0.113.5 is initiating IKE_SA aws[7]")
    assert _CHARON_PEER_INITIATES.search("09[IKE] 203.0.113.5 is initiating an IKE_SA")


def test_conflicting_sources_leave_the_question_to_the_person() -> None:
    t0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    snap = _snapshot([])
    snap = Snapshot(snap.source, snap.label, snap.connections, events=(
        Event(t0, "dpd-timeout", "DPD", tunnel_ip=T1), Event(t0.replace(minute=5), "tunnel-up", "", tunnel_ip=T1)))
    log = (DATASETS_DIR / "samples" / "strongswan-dpd-unreachable.log").read_text()
    result = case.run(snapshot=snap, log_text=log)
    alive = result.evidence["log.peer_alive_after_dpd"]
    assert alive.value == "" and {p.value for p in alive.conflicts} == {"yes", "no"}
    s = walk(tree.goto("tunnel-down/dpd-peer-alive"), {}, result.evidence)
    assert s.current.ref == "tunnel-down/dpd-peer-alive", "a conflict answers nothing"


def test_every_evidence_key_a_tree_uses_has_a_rule() -> None:
    for t in tree.load_trees().values():
        for node in t.nodes.values():
            if node.evidence:
                r = rule(node.evidence)
                assert r is not None and r.proves and r.does_not_prove, node.ref


# --- the cases the on-call write-ups named ------------------------------------------------------


def test_a_replay_with_two_connections_never_answers_with_the_healthy_ones_facts() -> None:
    result = case.run(snapshot=replay.incident("bgp-failover-s4").snapshot)
    answers = {s.ref: s.label for s in result.session.steps if s.by_evidence}
    # (Startup action start is not documented to restart IKE after a DPD timeout with action clear, so the evidence
    # does not say whether the peer answered afterwards; it must not borrow the healthy connection's "yes".)
    assert not answers.get("tunnel-down/dpd-peer-alive", "").startswith("Yes")
    assert not result.session.is_diagnosis or result.session.current.ref == "tunnel-down/d-peer-unreachable"
    assert result.session.current.ref != "tunnel-down/dpd-cgw"


def test_s4_dead_gateway_with_a_delete_on_the_other_gateway_is_not_a_delete_diagnosis() -> None:
    from lab.sim import Failure, simulate

    res = simulate("s4", [Failure("cgw-down", "cgw-a", 60), Failure("ike-delete", "tunnel-3", 60)])
    result = case.run(snapshot=res.snapshot)
    assert result.scope is not None and result.scope.connection == res.snapshot.connections[0].id
    assert result.session.current.ref not in ("tunnel-down/d-ike-sa-deleted-add", "tunnel-down/d-ike-sa-deleted-ikev1")


def test_s4_delete_that_gateway_b_recovers_from_is_set_up_again_with_the_line_that_shows_it() -> None:
    """Open in the troubleshooter, pick tunnel-3, follow the evidence: its Delete was followed by gateway B's
    new IKE SA 10 s later, so the answer is "set up again", with the charon line as the source."""
    from lab.sim import Failure, simulate

    res = simulate("s4", [Failure("cgw-down", "cgw-a", 60), Failure("ike-delete", "tunnel-3", 60)])
    ip = res.scenario.connections[1].tunnels[0].outside_ip
    result = case.run(snapshot=res.snapshot, tunnel=ip)
    assert result.session.current.ref == "tunnel-down/d-ike-sa-deleted-recovered"
    back = result.evidence["tunnel.reestablished_after_delete"]
    assert back.value == "cgw" and back.tunnel == ip
    assert "IKE_SA office-b-1[4] established between" in back.reason and "initiated by the customer gateway" in back.reason
    step = next(s for s in result.session.steps if s.ref == "tunnel-down/ike-sa-reinitiation")
    assert step.by_evidence and f"line {back.line}" in step.source
    # the variant with gateway B's Delete alone, in S5 too
    for sid in ("s4", "s5"):
        alone = simulate(sid, [Failure("ike-delete", "tunnel-3", 60)])
        ip = alone.scenario.connections[1].tunnels[0].outside_ip
        assert case.run(snapshot=alone.snapshot, tunnel=ip).session.current.ref == "tunnel-down/d-ike-sa-deleted-recovered"


def test_a_delete_nobody_recovers_from_still_says_nobody_re_initiates() -> None:
    """S1: the Delete on tunnel-1, traffic follows tunnel-2 and the on-traffic gateway never initiates tunnel-1."""
    from lab.sim import Failure, simulate

    res = simulate("s1", [Failure("ike-delete", "tunnel-1", 60)])
    ip = res.scenario.connections[0].tunnels[0].outside_ip
    result = case.run(snapshot=res.snapshot, tunnel=ip)
    assert result.evidence["tunnel.reestablished_after_delete"].value == "no"
    assert result.evidence["tunnel.after_delete"].value == "add"
    assert result.session.current.ref == "tunnel-down/d-ike-sa-deleted-add"


def test_after_delete_is_derived_from_the_lines_then_the_status_then_the_startup_action() -> None:
    from lab.triage.evidence import Evidence, derive

    def e(key: str, value: str, source: str = "log") -> Evidence:
        return Evidence(key, value, f"{key} is {value}", source=source, tunnel="203.0.113.10")

    startup = e("options.startup_action", "add", "options")
    assert derive({"options.startup_action": startup})["tunnel.after_delete"].value == "add"
    no = e("tunnel.reestablished_after_delete", "no")
    down, up = e("tunnel.status", "DOWN", "state"), e("tunnel.status", "UP", "state")
    base = {"options.startup_action": startup, "tunnel.reestablished_after_delete": no}
    assert derive({**base, "tunnel.status": down})["tunnel.after_delete"].value == "add"
    derived = derive({**base, "tunnel.status": up})["tunnel.after_delete"]
    assert derived.value == "reestablished" and derived.source == "state"  # UP at the end: someone set it up
    yes = e("tunnel.reestablished_after_delete", "aws")
    assert derive({**base, "tunnel.reestablished_after_delete": yes})["tunnel.after_delete"].value == "reestablished"
    # "no" from one source and a line that shows it from another: the line settles it
    from lab.triage.evidence import combine

    k = "tunnel.reestablished_after_delete"
    mixed = combine({k: no}, {k: yes})[k]
    assert derive({**base, "tunnel.reestablished_after_delete": mixed})["tunnel.after_delete"].value == "reestablished"
    # two lines naming different initiators stay with the person
    other = e("tunnel.reestablished_after_delete", "cgw")
    clash = combine({k: yes}, {k: other})[k]
    assert derive({**base, "tunnel.reestablished_after_delete": clash})["tunnel.after_delete"].value == ""
    assert derive(derive({**base, "tunnel.status": up})) == derive({**base, "tunnel.status": up})


def test_a_pasted_charon_log_with_the_delete_and_the_new_sa_is_set_up_again() -> None:
    """Lines shaped like strongSwan's own messages (charon's ike_delete.c / ike_auth.c log texts)."""
    text = "\n".join([
        "Jan 15 09:01:00 gw charon: 07[IKE] deleting IKE_SA aws-1[3] between 203.0.113.20[203.0.113.20]...198.51.100.43[198.51.100.43]",
        "Jan 15 09:01:00 gw charon: 08[IKE] sending DELETE for IKE_SA aws-1[3]",
        "Jan 15 09:01:10 gw charon: 10[IKE] 198.51.100.43 is initiating an IKE_SA",
        "Jan 15 09:01:10 gw charon: 11[IKE] IKE_SA aws-1[4] established between 203.0.113.20[203.0.113.20]...198.51.100.43[198.51.100.43]",
    ])
    result = case.run(log_text=text)
    assert result.evidence["tunnel.reestablished_after_delete"].value == "aws"
    assert result.evidence["tunnel.after_delete"].value == "reestablished"


# --- with its logs, every replay and sample reaches its diagnosis in at most 3 answers ------------


def _truthful(session: tree.Session, expected: set[str]) -> str:
    """The answer a person who knows the cause gives: one whose branch still leads to it."""
    node = session.current
    if session.is_shortlist:
        return next(r for r in [node.ref, *session.open] if r in expected)
    for i, a in enumerate(node.answers):
        if set(tree.reachable_diagnoses(a.next)) & expected:
            return str(i + 1)
    return "not-sure"


def _expected_for(category: str, node: str = "") -> set[str]:
    if node:
        return {node}
    return {n.ref for t in tree.load_trees().values() for n in t.nodes.values() if n.is_diagnosis and n.category == category}


def _answers_needed(snapshot: Snapshot | None, log_text: str, expected: set[str]) -> tuple[int, tree.Session]:
    answers: dict[str, str] = {}
    for _ in range(10):
        result = case.run(snapshot=snapshot, log_text=log_text, answers=answers)
        if result.session.is_diagnosis:
            return len(answers), result.session
        key = tree.SHORTLIST if result.session.is_shortlist else result.session.current.ref
        answers[key] = _truthful(result.session, expected)
    raise AssertionError("no diagnosis after 10 answers")


@pytest.mark.parametrize("slug", replay.slugs())
def test_every_replay_reaches_its_diagnosis_with_at_most_three_answers(slug: str) -> None:
    from lab.triage.matrix import replay_expected

    inc = replay.incident(slug)
    expected = set(replay_expected(inc))
    n, session = _answers_needed(inc.snapshot, inc.log_text, expected)
    assert session.current.ref in expected
    assert n <= 3, f"{slug}: {n} answers"


SAMPLES = {
    "aws-dpd-timeout.jsonl": "dpd_timeout",
    "aws-ike-sa-deleted.jsonl": "ike_sa_deleted_by_peer",
    "strongswan-dpd-unreachable.log": "peer_unreachable",
    "strongswan-auth-failure.log": "auth_failure",
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_sample_log_reaches_its_diagnosis_with_at_most_three_answers(name: str) -> None:
    text = (DATASETS_DIR / "samples" / name).read_text()
    expected = _expected_for(SAMPLES[name])
    n, session = _answers_needed(None, text, expected)
    assert session.current.ref in expected and n <= 3, f"{name}: {n} answers"


# --- fixes with the values filled in --------------------------------------------------------------


def _analysis_with(category: str, facts: dict[str, str]) -> Analysis:
    primary = Primary(category, "tunnel-down/x", "summary", ("why",), (1,), "title", facts)
    finding = Finding(1, None, category, "IKE", "p", "line", "", "tunnel-down/x")
    return Analysis("aws-json", 1, (finding,), primary)


def test_a_phase2_mismatch_with_3des_names_it_and_what_aws_accepts() -> None:
    from lab.triage.fixes import build_fix, values

    vals = values(tunnel=T1, analysis=_analysis_with("phase2_proposal_mismatch",
                  {"proposals_received": "ESP:3DES_CBC/HMAC_SHA1_96/NO_EXT_SEQ"}), phase=2)
    fix = build_fix("tunnel-down/d-phase2-proposal", vals, "cisco-asa")
    text = "\n".join(fix.lines)
    assert "3DES" in text and "AES128, AES256" in text and T1 in text
    asa = next(c for c in fix.commands if c.action == "set-ipsec-proposal")
    assert "crypto ipsec ikev2 ipsec-proposal" in asa.command and asa.source.startswith("https://")


def test_a_bgp_asn_mismatch_says_which_asn_to_set() -> None:
    from lab.triage.fixes import build_fix, values

    vals = values(tunnel=T1, options=TunnelOptions(inside_cidr="169.254.10.0/30"),
                  analysis=_analysis_with("bgp_down", {"remote_asn": "65010", "expected_asn": "65001"}))
    fix = build_fix("tunnel-down/d-bgp-asn", vals, "fortigate")
    text = "\n".join(fix.lines)
    assert "AS 65010" in text and "set the device's local AS to 65001" in text and "169.254.10.1" in text
    assert "set as 65001" in fix.commands[0].command and "edit 169.254.10.1" in fix.commands[0].command


def test_a_new_customer_gateway_for_another_asn_warns_that_both_tunnels_go_down() -> None:
    """Moving the connection to a new customer gateway resource is a ModifyVpnConnection: both tunnels drop."""
    from lab.triage.fixes import build_fix, values

    vals = values(tunnel=T1, analysis=_analysis_with("bgp_down", {"remote_asn": "65010", "expected_asn": "65001"}))
    text = "\n".join(build_fix("tunnel-down/d-bgp-asn", vals).lines)
    assert "create a customer gateway resource with AS 65010" in text and "BOTH tunnels down" in text


def test_the_fix_speaks_the_pages_language_with_the_values_unchanged() -> None:
    from lab import i18n
    from lab.triage.fixes import build_fix, values

    vals = values(tunnel=T1, options=TunnelOptions(inside_cidr="169.254.10.0/30"),
                  analysis=_analysis_with("bgp_down", {"remote_asn": "65010", "expected_asn": "65001"}))
    token = i18n.set_language("ko")
    try:
        fix = build_fix("tunnel-down/d-bgp-asn", vals, "fortigate")
    finally:
        i18n.reset_language(token)
    text = "\n".join(fix.lines)
    assert "두 터널 모두" in text and "AS 65010" in text and "169.254.10.1" in text and T1 in text
    assert fix.commands[0].title == "올바른 AS 번호로 AWS 내부 주소와 피어링"
    assert "set as 65001" in fix.commands[0].command


def test_the_asa_gets_asa_syntax_and_ios_gets_ios_syntax() -> None:
    from lab.triage.fixes import build_fix, values

    vals = values(tunnel=T1)
    asa = build_fix("tunnel-down/d-phase1-proposal", vals, "cisco-asa").commands[0].command
    ios = build_fix("tunnel-down/d-phase1-proposal", vals, "cisco-ios").commands[0].command
    assert "crypto ikev2 policy" in asa and "crypto ikev2 proposal" not in asa
    assert "crypto ikev2 proposal" in ios


def test_a_missing_value_stays_a_visible_placeholder_and_a_key_is_never_filled_in() -> None:
    from lab.triage.fixes import build_fix

    fix = build_fix("tunnel-down/d-auth", {"aws_ip": T1, "psk": "hunter2secret"}, "strongswan")
    cmd = next(c for c in fix.commands if c.action == "set-psk").command
    assert T1 in cmd and "hunter2secret" not in cmd and "<the tunnel's pre-shared key>" in cmd
    assert not any("{" in line for line in fix.lines)


def test_the_device_option_names_every_family() -> None:
    import argparse

    from lab.commands import triage as triage_cmd
    from lab.triage.fixes import families

    parser = argparse.ArgumentParser()
    triage_cmd.register(parser.add_subparsers())
    action = next(a for a in parser._subparsers._group_actions[0].choices["triage"]._actions if a.dest == "device")
    assert all(f in action.help for f in families()), action.help


def test_every_family_can_at_least_check_the_sas_and_every_command_names_its_source() -> None:
    from lab.triage.fixes import commands, families

    data = commands()
    assert set(families()) == {"cisco-asa", "cisco-ios", "juniper-srx", "fortigate", "paloalto", "strongswan",
                               "libreswan", "pfsense", "vyos", "opnsense", "mikrotik", "azure"}
    assert set(data.actions["show-sa"].commands) == set(families())
    for action in data.actions.values():
        for cmd in action.commands.values():
            assert cmd.source.startswith(("https://", "http://"))


def test_every_command_says_whether_its_syntax_was_checked_against_its_source() -> None:
    """Every entry has a source and a verified flag; a verified one says what its source showed."""
    import yaml

    from lab.triage.fixes import COMMANDS_FILE, commands

    raw = yaml.safe_load(COMMANDS_FILE.read_text())
    entries = [(aid, fam, c) for aid, a in raw["actions"].items() for fam, c in a["commands"].items()]
    assert entries and all("source" in c and isinstance(c.get("verified"), bool) for _, _, c in entries)
    verified = {(aid, fam) for aid, fam, c in entries if c["verified"]}
    assert all(len(c.get("checked", "")) >= 10 for _, _, c in entries if c["verified"])
    # the ones checked against the vendor's own text stay checked
    assert {("show-sa", "strongswan"), ("set-peer", "strongswan"), ("show-sa", "azure"), ("clear-sa", "fortigate"),
            ("initiate", "juniper-srx")} <= verified
    assert commands().actions["show-sa"].commands["strongswan"].verified


def test_the_asa_mtu_fix_uses_the_asa_s_own_commands() -> None:
    """The ASA sets an MTU with the global `mtu <ifname> <bytes>` and a VTI follows its source interface (Cisco's
    VTI chapter): the fix clamps the MSS instead of an IOS-style `interface Tunnel1` / `mtu 1399`."""
    from lab.triage.fixes import commands

    asa = commands().actions["set-tunnel-mtu"].commands["cisco-asa"]
    assert asa.verified and "vpn-vti" in asa.source
    lines = [line for line in (asa.command or "").splitlines() if not line.startswith("!")]
    assert lines == ["sysopt connection tcpmss 1379"]
    assert "mtu <interface name> <bytes>" in (asa.command or "")


def test_a_command_entry_that_claims_verified_without_saying_what_was_checked_is_refused(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from lab.errors import DataError
    from lab.triage import fixes as fx

    text = fx.COMMANDS_FILE.read_text()
    bad = tmp_path / "cgw-commands.yaml"
    bad.write_text(text.replace("\n        verified: false\n", "\n        verified: true\n", 1))
    monkeypatch.setattr(fx, "COMMANDS_FILE", bad)
    fx.commands.cache_clear()
    try:
        with pytest.raises(DataError, match="needs checked"):
            fx.commands()
    finally:
        fx.commands.cache_clear()


def test_endpoint_replacement_fix_considers_a_gateway_that_initiates_only_on_traffic() -> None:
    from lab.triage.fixes import build_fix

    fix = build_fix("tunnel-down/d-endpoint-replacement", {"aws_ip": T1, "cgw_ip": "198.51.100.7", "vpn_id": VPN})
    assert any("only when traffic needs a tunnel" in line for line in fix.lines)


def test_the_report_of_a_shortlist_names_no_diagnosis_yet() -> None:
    from lab.triage.report import build_report

    s = start("tunnel-down")
    for _ in range(60):
        if s.is_shortlist:
            break
        s = answer(s, NOT_SURE)
    report = build_report(None, s, {})
    assert "Diagnosis: **" not in report and "Several diagnoses remain" in report
    assert "answered by the person" in report and "Diagnoses still possible" in report


# --- commands for every diagnosis and every customer-gateway family -------------------------------


def _diagnoses() -> list[str]:
    from lab.triage.tree import load_trees

    return [n.ref for t in load_trees().values() for n in t.nodes.values() if n.is_diagnosis]


def test_every_diagnosis_has_for_every_family_a_command_or_the_place_it_is_set() -> None:
    from lab.triage.fixes import build_fix, families

    vals = {"aws_ip": T1, "cgw_ip": "198.51.100.7", "vpn_id": VPN, "aws_inside": "169.254.10.1",
            "cgw_inside": "169.254.10.2", "cgw_asn": "65001", "amazon_asn": "64512"}
    for ref in _diagnoses():
        for fam in families():
            fix = build_fix(ref, vals, fam)
            assert fix.commands or fix.device, (ref, fam)
            for c in fix.commands:
                assert c.source.startswith("https://"), (ref, fam, c.action)
                assert bool(c.command) != bool(c.note), (ref, fam, c.action)
                assert not re.search(r"\{[a-z_]+\}", c.command + c.note), (ref, fam, c.action)  # every value filled in


def test_the_azure_gateway_says_where_instead_of_inventing_a_command() -> None:
    from lab.triage.fixes import build_fix

    fix = build_fix("no-traffic/d-mtu", {"aws_ip": T1}, "azure")
    (mtu,) = fix.commands
    assert mtu.command == "" and "has no tunnel MTU or MSS setting" in mtu.note and "1350" in mtu.note and "learn.microsoft.com" in mtu.source
    ipsec = build_fix("tunnel-down/d-phase1-proposal", {"aws_ip": T1}, "azure").commands[0]
    assert "New-AzIpsecPolicy" in ipsec.command and "-DhGroup DHGroup14" in ipsec.command


def test_a_fix_on_the_aws_side_says_nothing_changes_on_the_device() -> None:
    from lab.triage.fixes import build_fix

    fix = build_fix("no-traffic/d-security-group", {"aws_ip": T1}, "fortigate")
    assert not fix.commands and "security group" in fix.device and "nothing changes on the customer gateway" in fix.device


def test_bgp_fixes_fill_the_neighbor_and_both_as_numbers_on_every_family() -> None:
    from lab.triage.fixes import build_fix, families, values

    vals = values(tunnel=T1, options=TunnelOptions(inside_cidr="169.254.10.0/30"),
                  analysis=_analysis_with("bgp_down", {"remote_asn": "65010", "expected_asn": "65001"}))
    for fam in families():
        cmd = next(c for c in build_fix("tunnel-down/d-bgp-asn", vals, fam).commands if c.action == "set-bgp-asn")
        assert "169.254.10.1" in cmd.command and "65001" in cmd.command, fam


def test_a_family_missing_from_an_action_or_a_diagnosis_without_a_fix_is_refused_at_load(tmp_path, monkeypatch) -> None:
    import yaml

    from lab.errors import DataError
    from lab.triage import fixes as fx

    data = yaml.safe_load(fx.COMMANDS_FILE.read_text())
    del data["actions"]["set-psk"]["commands"]["mikrotik"]
    data["actions"]["show-sa"]["commands"]["azure"] = {"source": "https://example.org/x", "verified": False}
    bad = tmp_path / "cgw-commands.yaml"
    bad.write_text(yaml.safe_dump(data))
    monkeypatch.setattr(fx, "COMMANDS_FILE", bad)
    fx.commands.cache_clear()
    try:
        with pytest.raises(DataError) as err:
            fx.commands()
        assert "actions.set-psk: no entry for family 'mikrotik'" in str(err.value)
        assert "actions.show-sa.azure: give exactly one of command or none" in str(err.value)
    finally:
        fx.commands.cache_clear()
    fixes_data = yaml.safe_load(fx.FIXES_FILE.read_text())
    del fixes_data["fixes"]["no-traffic/d-mtu"]
    bad_fixes = tmp_path / "fixes.yaml"
    bad_fixes.write_text(yaml.safe_dump(fixes_data))
    monkeypatch.setattr(fx, "COMMANDS_FILE", fx.DATA_DIR / "cgw-commands.yaml")
    monkeypatch.setattr(fx, "FIXES_FILE", bad_fixes)
    fx.fixes.cache_clear()
    try:
        with pytest.raises(DataError) as err:
            fx.fixes()
        assert "no entry for the diagnosis 'no-traffic/d-mtu'" in str(err.value)
    finally:
        fx.fixes.cache_clear()


def test_the_report_writes_the_fix_in_the_report_language_whatever_the_page_built() -> None:
    from lab.i18n import reset_language, set_language
    from lab.triage.fixes import build_fix
    from lab.triage.report import build_report

    token = set_language("ko")
    try:
        fix = build_fix("tunnel-down/d-auth", {"aws_ip": T1, "cgw_ip": "198.51.100.7", "vpn_id": VPN}, "azure")
        assert "사전 공유 키를 설정하세요" in fix.lines[0]
        english = build_report(None, tree.goto("tunnel-down/d-auth"), {}, fix=fix, lang="en")
        korean = build_report(None, tree.goto("tunnel-down/d-auth"), {}, fix=fix)  # the page's language
    finally:
        reset_language(token)
    assert "Set the pre-shared key of tunnel" in english and "사전 공유 키" not in english
    assert "사전 공유 키를 설정하세요" in korean and "Set the pre-shared key of tunnel" not in korean
    assert "Set-AzVirtualNetworkGatewayConnectionSharedKey" in english and "Set-AzVirtualNetworkGatewayConnectionSharedKey" in korean


def test_a_command_carries_only_values_the_evidence_shows_never_a_guess_in_words() -> None:
    """An Amazon side ASN the evidence does not show stays a placeholder: a command is pasted as it stands."""
    from lab.triage.fixes import build_fix, families

    vals = {"aws_ip": T1, "aws_inside": "169.254.10.1", "cgw_inside": "169.254.10.2", "cgw_asn": "65001"}
    for fam in families():
        for c in build_fix("tunnel-down/d-bgp-asn", vals, fam).commands:
            assert "(the default" not in c.command, (fam, c.action)
    asa_like = [c.command for fam in families() for c in build_fix("tunnel-down/d-bgp-asn", vals, fam).commands
                if "remote-as" in c.command]
    assert asa_like and all("<Amazon side ASN>" in c for c in asa_like)


def test_the_selectors_and_identity_a_log_shows_are_named_also_without_what_aws_expects() -> None:
    from lab.triage.fixes import build_fix

    fix = build_fix("tunnel-down/d-traffic-selectors", {"ts_offered": "192.0.1.0/24, 192.0.2.0/24"}, "libreswan")
    assert "Traffic selectors proposed, as the log shows them: 192.0.1.0/24, 192.0.2.0/24." in fix.lines
    # A log names the selectors proposed and, for some devices, this side's own: neither is what AWS accepts.
    both = build_fix("tunnel-down/d-traffic-selectors",
                     {"ts_offered": "10.0.0.0/16", "ts_expected": "0.0.0.0/0", "aws_ip": "52.95.1.10"}, "libreswan")
    assert "This side's own traffic selectors, as the log shows them: 0.0.0.0/0." in both.lines
    assert not any("accepts" in line for line in both.lines)
    ident = build_fix("tunnel-down/d-auth", {"id_sent": "@east"}, "libreswan")
    assert "Identity the peer sent, as the log shows it: @east." in ident.lines


def test_the_selector_pair_aws_negotiates_is_named_from_the_connection() -> None:
    """DescribeVpnConnections' LocalIpv4NetworkCidr (the customer gateway's side) and RemoteIpv4NetworkCidr (the AWS
    side) are the one pair AWS negotiates; without them (a log alone) the sentence is left out."""
    from lab.model import VpnConnection
    from lab.triage.fixes import build_fix, values

    conn = VpnConnection(id="vpn-0a1b2c3d4e5f60718", tunnels=(), local_ipv4_cidr="10.20.0.0/16",
                         remote_ipv4_cidr="172.31.0.0/16")
    fix = build_fix("tunnel-down/d-traffic-selectors", values(connection=conn), "cisco-asa")
    assert ("Connection vpn-0a1b2c3d4e5f60718 negotiates one traffic selector pair: local IPv4 network CIDR "
            "10.20.0.0/16 (the customer gateway's side) and remote IPv4 network CIDR 172.31.0.0/16 (the AWS side)."
            in fix.lines)
    bare = build_fix("tunnel-down/d-traffic-selectors", values(connection=VpnConnection(id="vpn-0a1b2c3d", tunnels=())),
                     "cisco-asa")
    assert not any("negotiates one traffic selector pair" in line for line in bare.lines)


def test_this_sides_own_certificate_is_named_as_its_own() -> None:
    from lab.analyzer import analyze_text
    from lab.triage.fixes import build_fix

    # charon cannot sign with its own key ("(myself)"), and verifies the peer's AUTH and fails: two identities
    own = analyze_text("Dec  3 10:00:01 gw charon: 09[IKE] authentication of 'gw-l.example.net' (myself) with "
                       "RSA_EMSA_PKCS1_SHA2_256 failed\n").primary
    assert own is not None and own.facts.get("id_local") == "gw-l.example.net" and "id_sent" not in own.facts
    peer = analyze_text("Dec  3 10:00:01 gw charon: 09[IKE] authentication of 'gw-r.example.net' with "
                        "RSA_EMSA_PKCS1_SHA2_256 failed\n").primary
    assert peer is not None and peer.facts.get("id_sent") == "gw-r.example.net" and "id_local" not in peer.facts
    fix = build_fix("tunnel-down/d-auth", {"id_local": "gw-l.example.net"}, "strongswan")
    assert any("This side's own ID or certificate, as the log shows it: gw-l.example.net." in line for line in fix.lines)
    assert not any("Identity the peer sent" in line for line in fix.lines)


@pytest.mark.parametrize(("line", "own", "peer"), [
    # charon prints its own identity first (psk_authenticator.c, ikev1/phase1.c: my_id, other_id; eap_md5.c: me, other)
    ("charon: 11[IKE] tried 1 shared key for '198.51.100.10' - '203.0.113.5', but MAC mismatched",
     "198.51.100.10", "203.0.113.5"),
    ("charon: 13[IKE] no shared key found for '21.14.132.91'[21.14.132.91] - '71.166.136.112'[71.166.136.112]",
     "21.14.132.91", "71.166.136.112"),
    ("charon: 11[IKE] no EAP key found for hosts 'moon.strongswan.org' - 'carol@strongswan.org'",
     "moon.strongswan.org", "carol@strongswan.org"),
])
def test_charons_key_lookups_name_this_sides_identity_first(line: str, own: str, peer: str) -> None:
    from lab.analyzer import analyze_text

    primary = analyze_text(line + "\n").primary
    assert primary is not None and primary.category == "auth_failure"
    assert primary.facts.get("id_local") == own and primary.facts.get("id_sent") == peer


def test_a_devices_log_names_what_the_device_expects_of_its_peer_not_what_aws_expects() -> None:
    # libreswan (the customer gateway) expected its peer to be 'xx.xx.xx.xx' and received 192.168.1.2: the peer's
    # identity, which from a device's log is not "what AWS expects of the customer gateway".
    from lab import PROJECT_DIR
    from lab.analyzer import analyze_text
    from lab.triage.fixes import build_fix, values

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / "libreswan-v1-l2tp-peer-id-behind-nat.log").read_text(
        encoding="utf-8")
    fix = build_fix("tunnel-down/d-auth", values(analysis=analyze_text(text)), "libreswan")
    assert "This side expects the peer to identify itself as xx.xx.xx.xx." in fix.lines
    assert "Identity the peer sent, as the log shows it: 192.168.1.2." in fix.lines
    assert not any("AWS expects" in line for line in fix.lines)


def test_pluto_s_numbered_proposals_are_listed_one_proposal_each() -> None:
    from lab.analyzer.protocol import proposal_list

    assert proposal_list("1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128;DH=MODP2048;ESN=DISABLED "
                         "2:ESP:ENCR=AES_CBC_128;ENCR=AES_CBC_192") == [
        "1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128;DH=MODP2048;ESN=DISABLED", "2:ESP:ENCR=AES_CBC_128;ENCR=AES_CBC_192"]


def test_a_failed_rekey_is_not_read_as_a_rekey_collision() -> None:
    # A refused or unanswered rekey is a rekey problem, not a collision: the tree used to answer "Collisions show in
    # the logs" for any rekey finding. Only a collision line (AWS's CHILD_REKEY collision, charon's) says collision.
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev"
            / "strongswan-v2-windows10-child-rekey-without-pfs-no-acceptable-proposal.log").read_text(encoding="utf-8")
    failed = case.run(log_text=text)
    assert failed.evidence["log.rekey_kind"].value == "failed"
    assert failed.session.current.ref == "tunnel-down/d-rekey-failed"
    collided = case.run(log_text=_aws(T1, "AWS tunnel detected a (CHILD_REKEY) collision as CHILD_DELETE",
                                      "Established", "Established") + "\n")
    assert collided.evidence["log.rekey_kind"].value == "collision"
    assert collided.session.current.ref == "tunnel-down/d-rekey-collision"


def test_the_bgp_reason_that_answers_is_the_analyzers_not_a_later_consequence() -> None:
    # FRR refused an UPDATE (3/5 sent), then stopped the session (Established->Clearing, read as a reset): the
    # cause is the UPDATE error, which none of the answers names, so the question stays with the person.
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev"
            / "frr-bgpd-aggregator-fetch-error-attribute-length-error-session-stop.log").read_text(encoding="utf-8")
    result = case.run(log_text=text)
    assert "log.bgp_cause" not in result.evidence
    assert result.session.current.ref == "tunnel-down/bgp-cause"


def test_libreswan_s_delete_and_revival_answer_who_set_the_tunnel_up_again() -> None:
    # libreswan's own wordings (testing/pluto, programs/pluto): the revival after a Delete, this side as initiator.
    from lab import PROJECT_DIR
    from lab.triage.evidence import _PLUTO_ESTABLISHED

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / "libreswan-v2-auto-keep-peer-delete-revival.log").read_text(
        encoding="utf-8")
    back = case.run(log_text=text).evidence["tunnel.reestablished_after_delete"]
    assert back.value == "cgw"
    assert _PLUTO_ESTABLISHED.search('"new-east"[2] 192.1.2.45 #3: responder established IKE SA; authenticated peer')
    assert not _PLUTO_ESTABLISHED.search('"gw" #1: deleting IKE SA (established IKE SA)')


def test_a_failed_rekey_s_fix_names_the_algorithms_of_the_sa_it_rekeyed() -> None:
    # charon's reauthentication is a rekey of the IKE SA: phase 1's lists (with phase 1's DH groups), not phase 2's
    ike = case.run(log_text=(
        "Nov 30 01:44:40 pfsense charon[71234]: 11[IKE] <con1000|7> initiating IKE_SA con1000[7] to 203.0.113.10\n"
        "Nov 30 01:44:51 pfsense charon[71234]: 11[IKE] <con1000|7> reauthentication failed, trying to reestablish "
        "IKE_SA\n"))
    assert ike.session.current.ref == "tunnel-down/d-rekey-failed"
    (line,) = ike.fix.lines
    assert line.startswith("For the SA whose rekey failed (phase 1, the IKE SA), tunnel 203.0.113.10 accepts:")
    assert "DH groups 2, 14," in line  # phase 1's list (phase 2's also allows group 5)


def test_an_asa_rekey_collision_is_a_collision() -> None:
    result = case.run(log_text=(
        "%ASA-4-750003: Local:198.51.100.7:500 Remote:203.0.113.10:500 Username:203.0.113.10 IKEv2 Negotiation "
        "aborted due to ERROR: Failed to insert SA due to ipsec rekey collision\n"))
    assert result.evidence["log.rekey_kind"].value == "collision"
    assert result.session.current.ref == "tunnel-down/d-rekey-collision"


def test_a_cisco_ios_policy_mismatch_names_the_attribute_that_differs() -> None:
    # debug crypto isakmp: "<attribute> offered does not match policy!" for each local policy tried
    from lab.triage.fixes import values

    text = ("ISAKMP:(0):Checking ISAKMP transform 1 against priority 10 policy\n"
            "ISAKMP:(0): Hash algorithm offered does not match policy!\n"
            "ISAKMP:(0):Checking ISAKMP transform 1 against priority 20 policy\n"
            "ISAKMP:(0): Diffie-Hellman group offered does not match policy!\n"
            "ISAKMP:(0): No offers accepted!\n")
    analysis = analyze_text(text)
    assert analysis.primary is not None and analysis.primary.facts["mismatch"] == ["Hash algorithm",
                                                                                    "Diffie-Hellman group"]
    result = case.run(log_text=text)
    assert "Compared with this side's policies, the offer differed in: Hash algorithm, Diffie-Hellman group." in (
        result.fix.lines)
    assert values(analysis=analysis)["mismatch"] == "Hash algorithm, Diffie-Hellman group"


@pytest.mark.parametrize(("excerpt", "says", "not_says"), [
    # Cisco IOS refused the neighbor's OPEN (2/2 sent), which carried AS 100
    ("cisco-ios-bgp-open-peer-in-wrong-as", "This device refused the neighbor's OPEN, which carried AS 100", "AWS expects AS"),
    # BIRD's OPEN (AS 64512) was refused by its neighbor (2/2 received)
    ("calico-bird-received-bad-peer-as-default-asn", "The neighbor refused this device's OPEN, which carried AS 64512",
     "This device refused"),
    # a two-sided paste: the same refused OPEN, told once
    ("cisco-ios-bgp-local-as-changed-peer-in-wrong-as-two-sided", "which carried AS 65400", "The neighbor refused"),
])
def test_a_devices_bgp_asn_refusal_is_told_from_the_devices_side(excerpt: str, says: str, not_says: str) -> None:
    from lab import PROJECT_DIR

    text = (PROJECT_DIR / "datasets" / "real-logs" / "dev" / f"{excerpt}.log").read_text(encoding="utf-8")
    result = case.run(log_text=text)
    assert result.session.current.ref == "tunnel-down/d-bgp-asn"
    lines = " ".join(result.fix.lines)
    assert says in lines and not_says not in lines


def test_a_bgp_diagnosis_s_peer_is_an_inside_address_not_the_tunnel_s_outside_ip() -> None:
    from lab.triage.fixes import values

    # AWS's BGP log names the customer gateway's inside address; the /30 gives AWS's (the first usable)
    aws = analyze_text('{"resource_id":"vpn-0a1b2c3d4e5f60718_52.10.20.30","type":"BGPStatus","status":"DOWN",'
                       '"message":{"details":"AWS-side peer sent a Hold Timer Expired notification to neighbor '
                       '169.254.44.2"}}\n')
    v = values(analysis=aws)
    assert (v.get("aws_inside"), v.get("cgw_inside")) == ("169.254.44.1", "169.254.44.2") and "aws_ip" not in v
    # a device's own BGP log names its neighbor (AWS's inside address): never the tunnel's outside IP
    dev = analyze_text("%BGP-3-NOTIFICATION: received from neighbor 169.254.10.1 4/0 (hold time expired) 0 bytes\n")
    v = values(analysis=dev)
    assert (v.get("aws_inside"), v.get("cgw_inside")) == ("169.254.10.1", "169.254.10.2") and "aws_ip" not in v
    other = analyze_text("%BGP-3-NOTIFICATION: received from neighbor 10.191.19.33 4/0 (hold time expired) 0 bytes\n")
    v = values(analysis=other)
    assert v.get("aws_inside") == "10.191.19.33" and "cgw_inside" not in v and "aws_ip" not in v
