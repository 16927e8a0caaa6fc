"""Evidence from log lines: what one tunnel's analyzed lines answer (the categories and patterns seen, whether the
peer answered, the BGP session's state and cause, the kind of rekey trouble, who set the tunnel up again after a Delete)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lab.analyzer import CATEGORIES, Analysis, Finding
from lab.analyzer.bgp import NO_ROUTES as BGP_NO_ROUTES
from lab.analyzer.bgp import PRIORITY as BGP_PRIORITY
from lab.analyzer.model import GUESS_NOTE
from lab.i18n import render, t
from lab.model import LogRecord
from lab.triage.evidence.model import Evidence, _put

# The answers of "Why BGP is down" that a finding's reason (lab.analyzer.bgp, the `bgp_reason` fact) gives: an
# OPEN with another AS; the hold timer, or TCP 179 not answered; more prefixes than the limit; a Cease sent on
# purpose (shutdown, reset, configuration change). Any other reason (a NOTIFICATION without its code, a neighbor
# down without a reason, an UPDATE error) answers none of them: the question stays with the person.
_BGP_CAUSES = {"bad_peer_as": "asn", "hold_timer_expired": "hold_timer", "send_hold_timer_expired": "hold_timer",
               "connect_failed": "hold_timer", "max_prefix": "max_prefix", "admin_shutdown": "shutdown",
               "admin_reset": "shutdown", "config_change": "shutdown"}
# AWS's BGP log says a session is stuck before Established by its state change alone.
_AWS_BGP_STUCK = re.compile(r"AWS-side peer BGP session state has changed from (?:Connect to Active|Active to Connect)\b")
# A category that needs an answer from the peer: seeing it proves the peer answered.
# (The kernel refuses an SA only after the negotiation with the peer agreed on it.)
_ANSWERED = {"phase1_proposal_mismatch", "auth_failure", "traffic_selector_mismatch", "phase2_proposal_mismatch",
             "ike_sa_deleted_by_peer", "rekey_issue", "kernel_sa_install"}
# The categories that are themselves requests nobody answered (retransmits, give-ups, DPD timeouts).
_UNANSWERED = {"peer_unreachable", "dpd_timeout"}
# A Delete of the IKE SA: AWS's tunnel log line, or strongSwan sending / receiving one.
# libreswan (pluto): "received Delete SA payload: self-deleting ISAKMP State #1", "reviving connection which received
# Delete/Notify but must remain up per local policy".
_DELETE_IKE = re.compile(r"AWS tunnel received DELETE for IKE_SA|sending DELETE for IKE_SA|received DELETE for IKE_SA"
                         r"|received Delete SA(?:\(0x[0-9a-f]+\))? payload: (?:self-)?deleting ISAKMP"
                         r"|reviving connection which received Delete/Notify")
# An SA set up again: strongSwan's "IKE_SA name[n] established between", an AWS line whose phase 1 is Established,
# or the AWS BGP log's "... to Established" (BGP runs inside the tunnel, so IPsec is up).
_CHARON_ESTABLISHED = re.compile(r"\bIKE_SA \S+\[\d+\] established between\b")
# pluto, the customer gateway's own log: "initiator established IKE SA" (this side initiated), "responder ..." (the
# peer did); IKEv1 "STATE_MAIN_I4: ISAKMP SA established" (this side initiated Main Mode) or "STATE_MAIN_R3: sent MR3,
# ISAKMP SA established" (the peer did); libreswan 4.x "established IKE SA" does not say which ("deleting IKE SA
# (established IKE SA)" names the state of the SA it deletes).
_PLUTO_ESTABLISHED = re.compile(r"\b(?:(?P<role>initiator|responder) )?(?<!\()established IKE SA\b"
                                r"|(?:STATE_MAIN_(?P<state>[IR])\d:[^\n]*?)?\bISAKMP SA established\b")
_BGP_ESTABLISHED = re.compile(r"BGP session state has changed from \w+ to Established")
# Who initiated it, as the customer gateway's charon writes it: "initiating IKE_SA x[n] to <AWS>" (the customer
# gateway) or "<AWS ip> is initiating an IKE_SA" (AWS).
# (IKEv1: "initiating Main Mode IKE_SA ... to", "<ip> is initiating a Main Mode IKE_SA"; strongSwan 6.0.6 and later:
# "<ip> is initiating IKE_SA name[n]".)
_CHARON_CGW_INITIATES = re.compile(r"\binitiating (?:(?:Main|Aggressive) Mode )?IKE_SA \S+\[\d+\] to\b")
_CHARON_PEER_INITIATES = re.compile(r"\bis initiating (?:an? )?(?:(?:Main|Aggressive) Mode )?IKE_SA\b")


def _line_text(f: Finding) -> str:
    return t("Line {n}: {text}", n=f.line, text=f.text)


def from_analysis(
    analysis: Analysis,
    *,
    connection: str = "",
    tunnel: str = "",
    records: Sequence[LogRecord] = (),
) -> dict[str, Evidence]:
    """Evidence from the analyzed lines of one scope (one tunnel, or one pasted log).

    `records` (when the lines came as LogRecords) add what a line's AWS fields say, e.g. that an
    SA was Established at some point.
    """
    out: dict[str, Evidence] = {}
    scope = {"connection": connection, "tunnel": tunnel}

    def ev(key: str, value: str, reason: str, line: int | None = None, origin: str = "") -> None:
        _put(out, Evidence(key, value, reason, line, "log", origin=origin or (t("line {n}", n=line) if line else t("log")), **scope))

    firsts: dict[str, Finding] = {}
    for f in analysis.findings:
        if f.decisive and f.category not in firsts:
            firsts[f.category] = f
        key = f"log.pattern:{f.pattern}"
        if key not in out:
            ev(key, "yes", _line_text(f), f.line)
    # a collision line, or the TEMPORARY_FAILURE a responder answers a colliding rekey with (RFC 7296 section 2.25)
    collision = next((f for f in analysis.findings
                      if f.event == "rekey_collision" or (f.facts or {}).get("notify") == "TEMPORARY_FAILURE"), None)
    failed = firsts.get("rekey_issue")
    if failed is None and analysis.primary is not None and analysis.primary.category == "rekey_issue":
        # a primary the analyzer built from lines that alone are not decisive (a rekey that did not happen in time)
        lines = set(analysis.primary.evidence_lines)
        failed = next((f for f in analysis.findings if f.category == "rekey_issue" and f.line in lines), None)
    if collision is not None:
        ev("log.rekey_kind", "collision", _line_text(collision), collision.line)
    elif failed is not None:
        ev("log.rekey_kind", "failed", _line_text(failed), failed.line)
    for cat in CATEGORIES:
        f = firsts.get(cat)
        if f is not None:
            ev(f"log.category:{cat}", "yes", _line_text(f), f.line)
        else:
            ev(f"log.category:{cat}", "no", t("Not in the {n} analyzed log lines.", n=f"{analysis.lines:,}"),
               origin=t("all analyzed lines"))
    p = analysis.primary
    if p:
        line = p.evidence_lines[0] if p.evidence_lines else None
        why = p.reasoning[-1] if p.reasoning else p.summary
        shown = next((f for f in analysis.findings if f.line == line), None)
        why_line = f"{_line_text(shown)} - " if shown else ""
        said = why_line + t("log analysis: {summary}", summary=p.summary)
        if p.certainty == "guess":  # an answer preselected from a guess says so where it is shown
            said += " " + render(GUESS_NOTE)
        ev("log.primary", p.category, said, line)
        ev("log.primary_node", p.tree_node, said, line)
        for key, value in p.facts.items():
            if isinstance(value, str) and key in ("peer_alive_after_dpd",):
                ev(f"log.{key}", value, t("Log analysis: {why}", why=why), line)
    else:
        ev("log.primary", "none", t("No known failure in the {n} analyzed log lines.", n=f"{analysis.lines:,}"),
           origin=t("all analyzed lines"))

    # Did the peer ever answer? An unanswered retransmit proves only that its sender sends.
    established_line = next((r.line_no for r in records if r.fields.get("ike_phase1_state") == "Established"), None)
    answered = [firsts[c] for c in _ANSWERED if c in firsts]
    # A message the log writer received from its peer (the analyzer's extracted direction) is an answer too.
    answered += [f for f in analysis.findings if (getattr(f, "facts", None) or {}).get("direction") == "received"][:1]
    if analysis.signals.get("established") or established_line or answered:
        if answered:
            f = min(answered, key=lambda x: x.line)
            ev("log.ike_activity", "yes", t("{line} (an answer from the peer)", line=_line_text(f)), f.line)
        elif established_line:
            ev("log.ike_activity", "yes", t("Line {n}: AWS reports phase 1 Established.", n=established_line),
               established_line)
        else:
            ev("log.ike_activity", "yes", t("The log shows an SA established with the peer."),
               origin=t("an 'established' line"))
    elif analysis.findings and analysis.findings[0].category in _UNANSWERED:
        # Only a finding that is itself an unanswered request says so; a BGP notification, a version or mode
        # refusal and the like may well have come back from the peer, so they answer nothing here.
        f = analysis.findings[0]
        ev("log.ike_activity", "one-way",
           t("{line} - only requests, retransmits or timeouts: one side sends, nothing comes back.", line=_line_text(f)),
           f.line)
    for key in ("ike_phase1_state", "ike_phase2_state"):
        if key in analysis.last_states:
            name = "tunnel.phase1_state" if key == "ike_phase1_state" else "tunnel.phase2_state"
            value = analysis.last_states[key]
            last = next((r.line_no for r in reversed(records) if key in r.fields), None)
            ev(name, value, t("Last AWS tunnel log line: {field} = {value}.", field=key, value=value), last,
               origin=t("{field} of the last AWS line", field=key))
    _reestablished(records, ev)
    reason = _bgp_reason(analysis)
    bgp_cause = _bgp_cause(reason)
    if bgp_cause is not None:
        cause, f = bgp_cause
        out["log.bgp_cause"] = Evidence("log.bgp_cause", cause, _line_text(f), f.line, "log",
                                        origin=t("line {n}", n=f.line), **scope)
    bgp_session = _bgp_session(analysis, reason)
    if bgp_session is not None:
        state, f = bgp_session
        out["log.bgp_session"] = Evidence("log.bgp_session", state, _line_text(f), f.line, "log",
                                          origin=t("line {n}", n=f.line), **scope)
    return out


def _bgp_reason(analysis: Analysis) -> tuple[str, Finding] | None:
    """The reason this scope's BGP lines name and the line that names it: the primary's when the primary is BGP, else
    the first by the analyzer's order of reasons (lab.analyzer.bgp.PRIORITY). A session that stops after this side
    refused an UPDATE is the UPDATE error, not the stop that follows it."""
    found: list[tuple[str, Finding]] = []
    for f in analysis.findings:
        if f.category != "bgp_down":
            continue
        reason = str((f.facts or {}).get("bgp_reason", ""))
        if not reason and f.pattern == "aws-bgp-session-down" and _AWS_BGP_STUCK.search(f.text):
            reason = "connect_failed"  # AWS's log: stuck in Connect/Active
        if reason:
            found.append((reason, f))
    if not found:
        return None
    primary = analysis.primary
    if primary is not None and primary.category == "bgp_down" and primary.facts.get("bgp_reason"):
        return next(((r, f) for r, f in found if r == primary.facts["bgp_reason"]), None)
    order = {r: i for i, r in enumerate(BGP_PRIORITY)}
    return min(found, key=lambda rf: (order.get(rf[0], len(order)), rf[1].line))


def _bgp_cause(chosen: tuple[str, Finding] | None) -> tuple[str, Finding] | None:
    """The answer to "Why BGP is down" and the line that gives it, from the reason the lines name (_bgp_reason)."""
    if chosen is None or chosen[0] not in _BGP_CAUSES:
        return None
    return _BGP_CAUSES[chosen[0]], chosen[1]


def _bgp_session(analysis: Analysis, chosen: tuple[str, Finding] | None) -> tuple[str, Finding] | None:
    """The answer to "Is the BGP session established" from the lines: "no_routes" when the reason they name (chosen,
    _bgp_reason) keeps the session up and drops or holds back its routes (lab.analyzer.bgp.NO_ROUTES), else "down"
    when a line says the session is down; nothing when no line does."""
    if chosen is not None and chosen[0] in BGP_NO_ROUTES:
        return "no_routes", chosen[1]
    down = next((f for f in analysis.findings if f.category == "bgp_down" and f.decisive
                 and str((f.facts or {}).get("bgp_reason", "")) not in BGP_NO_ROUTES), None)
    return ("down", down) if down is not None else None


def _is_delete(record: LogRecord) -> bool:
    return bool(_DELETE_IKE.search(record.text) or _DELETE_IKE.search(record.fields.get("details", "")))


def _reestablished(records: Sequence[LogRecord], ev: Callable[..., None]) -> None:
    """`tunnel.reestablished_after_delete`: was an SA set up again after the last Delete IKE_SA, and by whom.

    Read from the lines after the last Delete: the first SA established (strongSwan's "IKE_SA ...
    established between", an AWS line with phase 1 Established, or the AWS BGP log reaching Established),
    and who initiated it (the customer gateway's "initiating IKE_SA ... to" or "<AWS> is initiating an
    IKE_SA"). "no" only says that no line after the Delete shows it.
    """
    last = next((i for i in range(len(records) - 1, -1, -1) if _is_delete(records[i])), None)
    if last is None:
        return
    who = ""
    for r in records[last + 1:]:
        if _CHARON_CGW_INITIATES.search(r.text):
            who = "cgw"
        elif _CHARON_PEER_INITIATES.search(r.text):
            who = "aws"
        pluto = _PLUTO_ESTABLISHED.search(r.text)
        if pluto and (pluto.group("role") or pluto.group("state")):
            who = "cgw" if pluto.group("role") == "initiator" or pluto.group("state") == "I" else "aws"
        if (_CHARON_ESTABLISHED.search(r.text) or _BGP_ESTABLISHED.search(r.text) or pluto
                or r.fields.get("ike_phase1_state") == "Established"):
            by = {"cgw": t("initiated by the customer gateway"), "aws": t("initiated by AWS")}.get(
                who, t("the lines do not say which side initiated"))
            ev("tunnel.reestablished_after_delete", who or "yes",
               t("Line {n}: the SA was set up again after the Delete IKE_SA of line {d} ({by}): {text}",
                 n=r.line_no, d=records[last].line_no, by=by, text=r.text.strip()), r.line_no)
            return
    ev("tunnel.reestablished_after_delete", "no",
       t("Line {d}: Delete IKE_SA; no line after it shows an SA set up again.", d=records[last].line_no),
       records[last].line_no)
