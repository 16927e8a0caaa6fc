"""How sure a reading is and how it is said: a daemon's guess, a refusal's own words, the IKE versions the
order of the events shows."""

from __future__ import annotations

import functools
import re

from lab.analyzer.diagnosis.causes import categories
from lab.analyzer.patterns import load_patterns
from lab.analyzer.protocol import (
    Event,
    adds_child,
)
from lab.i18n import N_, D, M, Msg, Seq

# pluto's "encountered fatal error in state IKE_AUTH_I": the state it gave up in
_FATAL_STATE = re.compile(r"fatal error in state (\S+)")


def _quick_mode_silence(stage: str, first: Event) -> bool:
    """The phase 2 proposals (between gateways) or the client's address (a remote-access client) are read as the
    cause only because the peer left a Quick Mode unanswered after phase 1 completed (protocol.classify's guess, or
    pluto's weak "perhaps peer likes no proposal")."""
    return stage in ("traffic_selector_mismatch", "phase2_proposal_mismatch") and bool(first.values.get("guess")) and (
        first.kind == "give_up" or (first.weak and first.exchange == "QUICK_MODE" and first.kind == "ts_unacceptable")
        or bool(first.values.get("still_unanswered"))  # protocol.unanswered._quick_mode_still_unanswered
    )


def _rekey_lead(events: list[Event], first: Event) -> list[Event]:
    """What shows that the failing exchange replaced an SA that was up: the last SA established before it in the same
    log, and the start of the rekey after that (pluto's "initiating rekey to replace Child SA #2", or the operator's
    `ipsec whack --rekey-child`)."""
    before = [e for e in events if e.stream == first.stream and e.order < first.order]
    up = [e for e in before if e.kind == "established"]
    if not up:
        return []
    started = [e for e in before if e.order > up[-1].order and e.kind in ("initiate", "operator_rekey")
               and not adds_child(e)]  # (a Child SA added meanwhile replaces nothing)
    return [up[-1]] + started[-1:]


@functools.cache
def _explanations() -> dict[str, str]:
    """Each pattern's explanation of the line it reads, by pattern id (the catalogue's own words)."""
    return {p.id: p.explanation for p in load_patterns()}


def line_meaning(ev: Event) -> Msg | None:
    """What the line a reading rests on means, in its pattern's explanation: added where the reading itself says no
    more than the category (the explanation is otherwise only in the findings' details)."""
    explanation = _explanations().get(ev.pattern)
    if not explanation:
        return None
    return M("What line {line} means: {meaning}", line=ev.line, meaning=D("pattern.explanation", explanation))


def is_line_meaning(msg: object) -> bool:
    """Whether a sentence of a reasoning is `line_meaning`'s (a later, more specific reading replaces it)."""
    return getattr(msg, "text", None) == "What line {line} means: {meaning}"


def _title(category: str) -> Msg:
    """A category's title inside a sentence (lower-cased in English)."""
    return D("category.title", categories()[category].title, lower=True)


def _also(cats: dict[str, list[Event]], chosen: str) -> list[Msg]:
    others = [
        M("{title} (line {line}, {count}×)", title=_title(c), line=evs[0].line, count=len(evs))
        for c, evs in cats.items() if c != chosen
    ]
    return [M("Also seen, read as consequences or side issues: {others}.", others=Seq(others, "; "))] if others else []


def _who(evs: list[Event]) -> Msg | str:
    directions = {e.direction for e in evs if e.direction}
    if directions == {"received"}:
        return M(" The peer sent the refusal: its configuration does not accept what this side proposed.")
    if directions == {"sent"}:
        return M(" This side refused what the peer proposed.")
    return ""


# Child SA refusals that are about something else than the algorithms or the subnets both sides configured (RFC 7296
# section 3.10.1): the address a responder hands out (and section 3.15.4), or how many SAs it takes. The reading says
# what they mean. AWS: "One unique SA pair (in + out) per tunnel" (the fact sheet, Your customer gateway device).
_NOTIFY_READINGS: dict[str, str] = {
    "INTERNAL_ADDRESS_FAILURE": N_(
        "Line {line}: INTERNAL_ADDRESS_FAILURE means the responder could not give this side an internal address "
        "(RFC 7296 sections 3.10.1 and 3.15.4): its address pool is used up, or the address asked for is leased to "
        "someone else. Between two gateways, one side asks for an address (a mode-config / virtual IP setting) "
        "that the other does not hand out: remove that request, or give the responder a pool."),
    "FAILED_CP_REQUIRED": N_(
        "Line {line}: FAILED_CP_REQUIRED means the responder expected this side to ask for an internal address "
        "(a configuration payload) and it did not (RFC 7296 section 3.10.1): the responder is set up for "
        "remote-access clients. Between two gateways, remove the address pool from the responder's connection, or "
        "have this side request an address."),
    "NO_ADDITIONAL_SAS": N_(
        "Line {line}: NO_ADDITIONAL_SAS means the peer accepts no more Child SAs on this IKE SA (RFC 7296 section "
        "3.10.1); a minimal implementation refuses every CREATE_CHILD_SA, rekeys included. If this side was adding "
        "an SA for another pair of subnets rather than replacing one: an AWS tunnel takes one SA pair, so limit a "
        "policy-based device to one pair of traffic selectors (a summary of the on-premises and VPC ranges that "
        "matches the VPN's local and remote IPv4 network CIDRs, or any to any only with filtering so that other "
        "traffic does not enter the tunnel), or use a route-based tunnel."),
    "SINGLE_PAIR_REQUIRED": N_(
        "Line {line}: SINGLE_PAIR_REQUIRED means the peer accepts only traffic selectors that name a single pair "
        "of addresses, one host on each side (RFC 7296 section 3.10.1), and this side proposed ranges or subnets. "
        "Narrow the selectors to the host pair, or let the peer accept subnet selectors; an AWS tunnel takes one "
        "SA pair, so with AWS use one pair of selectors that matches the VPN's local and remote IPv4 network "
        "CIDRs, or a route-based tunnel."),
}


# The same notifies sent by this side: this side is the responder that refused the peer's request, so the fix
# is on the other end of the sentence.
_NOTIFY_READINGS_SENT: dict[str, str] = {
    "INTERNAL_ADDRESS_FAILURE": N_(
        "Line {line}: INTERNAL_ADDRESS_FAILURE, sent by this side, means this side (the responder) could not give "
        "the peer an internal address (RFC 7296 sections 3.10.1 and 3.15.4): its address pool is used up, or the "
        "address asked for is leased to someone else. Between two gateways, the peer asks for an address (a "
        "mode-config / virtual IP setting) that this side does not hand out: remove that request on the peer, or "
        "give this side's connection a pool."),
    "FAILED_CP_REQUIRED": N_(
        "Line {line}: FAILED_CP_REQUIRED, sent by this side, means this side (the responder) expected the peer to "
        "ask for an internal address (a configuration payload) and it did not (RFC 7296 section 3.10.1): this "
        "side's connection is set up for remote-access clients. Between two gateways, remove the address pool from "
        "this side's connection, or have the peer request an address."),
    "NO_ADDITIONAL_SAS": N_(
        "Line {line}: NO_ADDITIONAL_SAS, sent by this side, means this side accepts no more Child SAs on this IKE "
        "SA and refused the peer's request for one (RFC 7296 section 3.10.1). If the peer was adding an SA for "
        "another pair of subnets rather than replacing one, have the peer propose one pair of traffic selectors "
        "that covers both sides' networks, or raise the number of Child SAs this side takes."),
    "SINGLE_PAIR_REQUIRED": N_(
        "Line {line}: SINGLE_PAIR_REQUIRED, sent by this side, means this side accepts only traffic selectors that "
        "name a single pair of addresses, one host on each side (RFC 7296 section 3.10.1), and the peer proposed "
        "ranges or subnets. Narrow the peer's selectors to the host pair, or let this side accept subnet "
        "selectors."),
}


def _notify_reading(ev: Event) -> Msg:
    """What a notify of `_NOTIFY_READINGS` means, on its line: sent by the peer (or of unknown direction), or sent
    by this side."""
    readings = _NOTIFY_READINGS_SENT if ev.direction == "sent" else _NOTIFY_READINGS
    return M(readings[ev.notify or ""], line=ev.line)


def _echo(ev: Event) -> bool:
    """A refusal told only by its notify type (received from the peer, or the one this side sends): the verdict,
    not the refusing side's own reading of why."""
    return ev.kind == "notify"


def _version_reading(ev: Event) -> Msg | None:
    """What the order of the events says about the IKE versions (see `lab.analyzer.protocol.versions._version_answers`)."""
    if refused := ev.values.get("ike_refused"):
        return M(
            "This side tried {refused} first: the peer refused it or did not answer, then answered {answered} from "
            "the same address at line {line}. The peer is reachable and speaks only {answered}; its proposals were "
            "never compared. Set both sides to the same IKE version (the AWS tunnel options allow IKEv1 and IKEv2 "
            "unless they were restricted).",
            refused=refused, answered=ev.values.get("ike_answered", ""), line=ev.line,
        )
    if conns := ev.values.get("conn_versions"):
        return M(
            "Line {line}: the peer asked for an {refused} SA and this side found no connection for it; this side's "
            "connections were added as {conns} only. The two sides run different IKE versions: set both to the same "
            "one (the AWS tunnel options allow IKEv1 and IKEv2 unless they were restricted).",
            line=ev.line, refused=ev.values.get("ike_requested", ""), conns=conns,
        )
    if (sent := ev.values.get("ike_sent")) and (requested := ev.values.get("ike_requested")):
        return M(
            "Line {line}: the peer asked for an {requested} SA and this side found no connection for it, while this "
            "side itself sends {sent} requests to the same address: it has a connection for the peer, only not for "
            "{requested}. The two sides run different IKE versions: set both to the same one (the AWS tunnel options "
            "allow IKEv1 and IKEv2 unless they were restricted).",
            line=ev.line, requested=requested, sent=sent,
        )
    if sent:
        return M(
            "Line {line}: this side sent an {sent} request and the peer answered with an {answered} message: the peer "
            "speaks only {answered}. Set both sides to the same IKE version.",
            line=ev.line, sent=sent, answered=ev.values.get("ike_answered", ""),
        )
    return None
