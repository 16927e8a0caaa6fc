"""The primary diagnosis: the most likely root cause, reasoned from the order of protocol events.

Events arrive classified by the protocol layer (`lab.analyzer.protocol`), in the order they happened.
Rules, in the order an engineer would apply them (AWS's own order is IKE -> IPsec -> tunnel -> BGP):
1. A configuration failure proves the peer answers, so it wins over any timeout or retransmit: the
   earliest failing stage of the negotiation (IKE version/mode, phase 1 proposal, authentication,
   traffic selectors, IPsec mode, phase 2 proposal). Retransmits after a refusal are its consequence.
   Messages lost after the peer answered the first exchange point at NAT-T or fragmentation.
2. Otherwise the earliest liveness event decides: the customer gateway's Delete for the IKE_SA
   (did anyone set the tunnel up again afterwards?), or a DPD timeout (a reachability problem until
   the log shows the peer alive again), or unanswered negotiation (reachability).
3. Then rekey collisions; BGP only when IKE and IPsec show no failure (BGP rides on the tunnel).
A daemon's guess (a weak event) counts only when nothing firmer is seen, and not at all when an SA
of the same tunnel was established after it: the tunnel recovered and there is nothing to fix (another
connection's or another peer's SA coming up answers nothing: see `same_tunnel`).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from lab import DATA_DIR
from lab.analyzer import bgp
from lab.analyzer import formats as fmts
from lab.analyzer.model import CATEGORIES, Finding, Primary
from lab.analyzer.protocol import (
    INFO_EXCHANGES,
    LISTING_PATTERNS,
    NOTIFY_MEANING,
    Event,
    bgp_listing_line,
    bgp_peer,
    cidrs_in,
    conn_of,
    exchange_words,
    facts_of,
    name_value,
    pfs_groups,
    pluto_peer,
    same_bgp_peer,
    stamp_kind,
    version_of,
)
from lab.analyzer.scan import shown
from lab.errors import DataError
from lab.i18n import N_, D, M, Mn, Msg, Seq
from lab.schema import load_yaml_model

CATEGORIES_FILE = DATA_DIR / "categories.yaml"
_STALE_SPI = re.compile(r"invalid spi|no matching SA|INVALID_SPI", re.IGNORECASE)
CONFIG_STAGES = (
    "ike_version_mismatch",
    "ike_mode_mismatch",
    "phase1_proposal_mismatch",
    "auth_failure",
    "traffic_selector_mismatch",
    "ipsec_mode_mismatch",
    "phase2_proposal_mismatch",
)


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    phase: str
    tree_node: str
    no_routes_title: str | None = None  # bgp_down: the session is up but routes are not exchanged (bgp.NO_ROUTES)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: dict[str, _Category]


@lru_cache(maxsize=1)
def categories() -> dict[str, _Category]:
    """Category id -> title, phase and the tree node to continue with."""
    data = load_yaml_model(_File, CATEGORIES_FILE)
    problems = [f"missing category {c}" for c in CATEGORIES if c not in data.categories]
    problems += [f"unknown category {c}" for c in data.categories if c not in CATEGORIES]
    if problems:
        raise DataError(CATEGORIES_FILE, problems)
    return data.categories


def category_title(category: str, facts: dict[str, Any] | None = None) -> str:
    """The English title of a category (the data catalogue translates it, domain "category.title"), for a finding or
    a primary diagnosis with these facts: a BGP reason where the session stays up has a title of its own."""
    cat = categories()[category]
    if cat.no_routes_title and (facts or {}).get("bgp_reason") in bgp.NO_ROUTES:
        return cat.no_routes_title
    return cat.title


def _finding(ev: Event) -> Finding:
    cat = categories()[ev.category] if ev.category else None
    return Finding(
        line=ev.line,
        time=fmts.line_time(ev.text, ev.fmt),
        category=ev.category or "",
        phase=cat.phase if cat else "",
        pattern=ev.pattern,
        text=shown(ev.text),
        explanation=ev.explanation,
        tree_node=ev.tree_node or (cat.tree_node if cat else ""),
        decisive=ev.weight == "decisive",
        facts=facts_of(ev),
        event=ev.kind,
        order=ev.order,
    )


def findings_of(events: list[Event], confirmed: set[str]) -> list[Finding]:
    """Decisive events, and context lines of the confirmed categories, as findings in line order."""
    out = [
        _finding(ev)
        for ev in events
        if ev.category and (ev.weight == "decisive" or ev.category in confirmed)
    ]
    out.sort(key=lambda f: f.line)
    return out


def _merge_facts(events: list[Event]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for ev in events:
        for key, value in facts_of(ev).items():
            if isinstance(value, list):
                merged = facts.setdefault(key, [])
                if isinstance(merged, list):
                    merged.extend(v for v in value if v not in merged)
            elif key not in facts or key in ("exchange", "direction", "notify", "sa") and ev.weight == "decisive":
                facts[key] = value
    return facts


def _primary(
    category: str,
    summary: Msg,
    reasoning: list[Msg],
    chain: list[Event],
    extra: dict[str, Any] | None = None,
    lead: list[Event] | None = None,
) -> Primary:
    """`lead`: lines without a category of their own that the reasoning relied on (the SA that was up before its
    rekey failed): shown in the chain, not read for facts."""
    cat = categories()[category]
    chain = sorted({id(e): e for e in chain}.values(), key=lambda e: e.order)
    if len(chain) > 40:
        chain = chain[:20] + chain[-20:]
    facts = _merge_facts([e for e in chain if e.weight == "decisive"] + [e for e in chain if e.weight != "decisive"])
    facts.update(extra or {})
    if lead:
        chain = sorted({id(e): e for e in chain + lead}.values(), key=lambda e: e.order)
    return Primary(
        category=category,
        tree_node=cat.tree_node,
        summary=summary,
        reasoning=tuple(reasoning),
        evidence_lines=tuple(sorted({e.line for e in chain if e.weight != "context"} or {e.line for e in chain})),
        title=cat.title,
        facts=facts,
        chain=tuple(_finding(e) for e in chain),
        certainty=_certainty(chain),
    )


# Lines whose address is not always the peer's: the kernel's expiry of an SA names the SA's destination, which is
# this side's own address for an inbound SA.
_NOT_THE_PEER = frozenset({"swan-kernel-rekey-job"})


# pluto names an instance of a connection (a responder's, or one an opportunistic or road-warrior template made for
# one peer) by the peer's address after its number: "east"[1] 192.1.3.209 #1: ...
_PLUTO_INSTANCE = re.compile(r'"[^"]+"\[\d+\] (?:\.\.\.)?(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F]+)(?= #\d|:)')


# Cisco ASA names the IKE peer of a tunnel's messages after the message id: "%ASA-5-713119: Group = 77.88.99.100,
# IP = 77.88.99.100, PHASE 1 COMPLETED" (the tunnel group, the user for remote access, then the peer's address).
_ASA_PEER = re.compile(r"%(?:ASA|FTD)-(?:[a-z]+-)?\d-\d+: (?:Group = [^,]+, )?(?:Username = [^,]+, )?IP = ([0-9a-fA-FxX*.:]+),")


def _pluto_instance_peer(ev: Event) -> str:
    m = _PLUTO_INSTANCE.search(ev.text) if ev.fmt == "libreswan" else None
    return m.group(1) if m else ""


def chain_scope(primary: Primary, events: list[Event]) -> tuple[list[Event], set[int], set[str]]:
    """The events the primary's chain rests on, the logs (streams) they are in and the connections they name: where
    the steps below look for a fact the chain's own lines do not say."""
    orders = {f.order for f in primary.chain}
    chain = [e for e in events if e.order in orders]
    return chain, {e.stream for e in chain}, {name for e in chain if (name := conn_of(e))}


def with_peer(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the peer's address among its facts when the lines it rests on do not name it, from the other
    lines of the same log about the same connection that name the address an IKE SA is set up with (charon's
    "initiating IKE_SA gw[1] to 203.0.113.10", "203.0.113.10 is initiating an IKE_SA", "IKE_SA gw[1] established
    between ...", pluto's "initiating IKEv2 connection to", "sent IKE_SA_INIT request to"). Only when those lines
    name exactly one address: a gateway's log holds its other tunnels too, and a two-sided paste the other peer's
    log (each side's lines are read apart)."""
    if primary is None or primary.category == "bgp_down" or primary.facts.get("peer"):
        return primary
    _chain, streams, names = chain_scope(primary, events)
    found: set[str] = set()
    for e in events:  # (a long log has many: the cheap tests first)
        if e.stream not in streams or e.pattern in _NOT_THE_PEER:
            continue
        peer = name_value(e.values["peer"]) if e.values.get("peer") else ""
        if not peer and e.fmt == "libreswan":
            peer = (state := pluto_peer(e)) and state[1] or _pluto_instance_peer(e)
        elif not peer and ("%ASA-" in e.text or "%FTD-" in e.text) and (asa := _ASA_PEER.search(e.text)):
            peer = asa.group(1)
        if peer and not (names and (name := conn_of(e)) and name not in names):
            found.add(peer)
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "peer": found.pop()})


def with_identity(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the identity the peer sent among its facts when it names an authentication failure and its own
    lines do not say it, from the line where this side read that identity (pluto's "Peer ID is FQDN: '@east'",
    charon's "looking for peer configs matching ...192.0.2.1[@east]") about the same connection in the same log;
    only when those lines name one identity."""
    if primary is None or primary.category != "auth_failure" or primary.facts.get("id_sent"):
        return primary
    _chain, streams, names = chain_scope(primary, events)
    found = {name_value(e.values["id_sent"]) for e in events
             if e.kind == "identity" and e.stream in streams and e.values.get("id_sent")
             and not (names and (name := conn_of(e)) and name not in names)}
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "id_sent": found.pop()})


_PLUTO_SERIALS = re.compile(r"#(\d+)\b")


def with_selectors(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the traffic selectors this side offered among its facts when it names a refusal of them and
    its own lines do not say them, from pluto's request that offered them ("sent IKE_AUTH request ... Child SA #2
    {ESP ...} [192.0.1.0/24===192.0.2.0/24]", "sent CREATE_CHILD_SA request to create Child SA ... [...]"): the one
    request whose state numbers (the IKE SA's, the Child SA's) the refusal's lines name, in the same log."""
    if primary is None or primary.category != "traffic_selector_mismatch" or primary.facts.get("ts_offered"):
        return primary
    chain, streams, _names = chain_scope(primary, events)
    serials = {n for e in chain if e.fmt == "libreswan" for n in _PLUTO_SERIALS.findall(e.text)}
    found = {str(e.values["ts_offered"]) for e in events
             if e.fmt == "libreswan" and e.stream in streams and e.values.get("ts_offered") and e.direction == "sent"
             and serials & set(_PLUTO_SERIALS.findall(e.text))}
    offered = cidrs_in(found.pop()) if len(found) == 1 else []
    return dataclasses.replace(primary, facts={**primary.facts, "ts_offered": offered}) if offered else primary


# pluto's "encountered fatal error in state IKE_AUTH_I": the state it gave up in
_FATAL_STATE = re.compile(r"fatal error in state (\S+)")


def _certainty(chain: list[Event]) -> str:
    """"guess" when no line of the chain names the cause and one of them is a guess (values["guess"]): the protocol
    layer's reading of silence, or a daemon's own guess (pluto's "Possible authentication failure", "perhaps peer
    likes no proposal"); else "firm"."""
    if any(e.weight == "decisive" for e in chain):
        return "firm"
    return "guess" if any(e.values.get("guess") for e in chain) else "firm"


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
    started = [e for e in before if e.order > up[-1].order and e.kind in ("initiate", "operator_rekey")]
    return [up[-1]] + started[-1:]


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


def _notify_reading(ev: Event) -> Msg:
    """What a notify of `_NOTIFY_READINGS` means, on its line."""
    return M(_NOTIFY_READINGS[ev.notify or ""], line=ev.line)


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


# The advice when this side's first phase 1 reply is never followed up (see protocol.unanswered._first_replies_unanswered).
_ONE_WAY = M("This side's first reply means it accepted the peer's proposal, so no configuration error is in play yet: "
             "its replies do not reach the peer, or the peer's next messages do not reach this side. Check firewalls, "
             "security groups and NAT on the path for UDP 500 and 4500 in both directions.")


def _is_collision(ev: Event) -> bool:
    return ev.kind == "rekey_collision" or NOTIFY_MEANING.get(ev.notify or "") == "rekey_collision"


# More collisions than this in one paste are a pattern worth fixing (lifetimes and margins in step on both sides).
RESOLVED_COLLISIONS = 2


def resolved_collision(events: list[Event]) -> Event | None:
    """The first line of a rekey collision the protocol resolved (see `_collision_resolved`), or None."""
    rekey = [e for e in events if e.category == "rekey_issue" and e.weight == "decisive"]
    return rekey[0] if _collision_resolved(events, rekey) else None


# Lines of ESP that arrived with an SPI the router has no SA for, naming the packet's source.
_STRAY_ESP_PATTERNS = frozenset({"ios-invalid-spi"})


def stray_esp(events: list[Event]) -> list[Event]:
    """ESP with unknown SPIs from the Internet, not a tunnel's SAs out of step: the lines whose source is no peer named
    by any other line, when those sources are two or more different addresses (a scan sends the same SPIs from many;
    a peer whose SA the router lost sends from one). A paste with one source, or only masked ones, stays a rekey
    problem."""
    evs = [e for e in events if e.pattern in _STRAY_ESP_PATTERNS and facts_of(e).get("peer")]
    known = {facts_of(e).get("peer") for e in events if e.pattern not in _STRAY_ESP_PATTERNS} - {None}
    unknown = [e for e in evs if facts_of(e)["peer"] not in known]
    return unknown if len({facts_of(e)["peer"] for e in unknown}) >= 2 else []


def unmatched_esp(events: list[Event]) -> list[Event]:
    """ESP that the device says matched no tunnel at all (FortiOS's unknown-SPI event with vpntunnel "N/A")."""
    return [e for e in events if e.kind == "unmatched_esp"]


def same_tunnel(a: Event, b: Event) -> bool:
    """Whether two lines can be about the same tunnel: not when both name the IKE peer and the addresses differ, nor
    when both are pluto's and name different connections (pluto names the IKE SA and its Child SAs by the one
    connection; charon names them apart, so its names are not compared). A gateway's log holds its other tunnels
    too: another peer's SA coming up says nothing about this one."""
    pa, pb = facts_of(a).get("peer"), facts_of(b).get("peer")
    if pa and pb and pa != pb:
        return False
    ca, cb = (conn_of(a), conn_of(b)) if a.fmt == b.fmt == "libreswan" else ("", "")
    return not (ca and cb and ca != cb)


def established_after(events: list[Event], ev: Event) -> bool:
    """Whether an SA was established after `ev`."""
    return any(e.kind == "established" and e.order > ev.order for e in events)


def bgp_connection_collision(events: list[Event]) -> Event | None:
    """The first BGP Cease 6/7 (connection collision resolution) read as no fault (RFC 4271 section 6.8: the session
    goes on over the other connection), or None."""
    for e in events:
        if e.kind == "bgp_down" and e.category is None and bgp.read(e.text).get("bgp_reason") == "collision":
            return e
    return None


def bgp_recovered(events: list[Event]) -> tuple[Event, Event] | None:
    """(the first BGP down line that names a cause, the neighbor's Up after it) when every down of the lines came up
    again and none counts as a fault (`diagnose` left them out: a reset or a shutdown on purpose, a connection that
    was still starting), or None. The session is up at the end of the lines."""
    downs = [e for e in events if e.kind == "bgp_down" and e.category == "bgp_down"]
    recovered = _bgp_recovery(events)
    if not downs or not all(map(recovered, downs)):
        return None
    # A state line before the neighbor's first Up (BIRD's "State changed to start" as it starts, GoBGP's IDLE/ACTIVE
    # peer states) is the session coming up, not going down.
    ups = [u for u in events if u.kind == "bgp_up"]
    downs = [e for e in downs if not e.weak or any(u.order < e.order and same_bgp_peer(u, e) for u in ups)]
    if not downs:
        return None
    first = next((e for e in downs if bgp.read(e.text).get("bgp_reason")), downs[0])
    up = next((u for u in ups if u.order > first.order and same_bgp_peer(u, first)), None)
    return (first, up) if up is not None else None


def bgp_graceful_restart(events: list[Event]) -> Event | None:
    """The first line of a BGP neighbor's graceful restart still within its restart time (see `_bgp_graceful`), or
    None."""
    graceful = _bgp_graceful(events)
    for e in events:
        if e.kind == "bgp_down" and bgp.read(e.text).get("bgp_reason") == "graceful_restart" and graceful(e):
            return e
    return None


def _collision_resolved(events: list[Event], rekey: list[Event]) -> bool:
    """A rekey collision the protocol resolved: every rekey event is a collision (the peer's TEMPORARY_FAILURE
    answer, charon's "abort active rekeying ... because the peer successfully rekeyed it"), there are few of them,
    and an SA was established after the last one or the daemon names the outcome (charon's "CHILD_SA rekey collision
    won, deleting old child", "IKE_SA rekey collision lost, deleting redundant IKE_SA": RFC 7296 section 2.25, one of
    the two rekeys wins). That is the protocol working, not a fault."""
    if not rekey or not all(_is_collision(e) for e in rekey if e.weight == "decisive"):
        return False
    if not 0 < sum(_is_collision(e) for e in rekey) <= RESOLVED_COLLISIONS:
        return False
    last = max(rekey, key=lambda e: e.order)
    return established_after(events, last) or any(_COLLISION_OUTCOME.search(e.text) for e in rekey)


# The line that says which of two colliding rekeys was kept (strongSwan's child_rekey.c and ike_rekey.c).
_COLLISION_OUTCOME = re.compile(r"rekey collision (?:won|lost), ")


def recovered_first_attempt(events: list[Event]) -> tuple[Event, Event] | None:
    """(the first unanswered attempt, the SA established after it) when the only failure in the log is a first
    negotiation that got no answer and a later attempt of the same bring-up established the tunnel: a peer still
    starting, an on-demand tunnel whose first packet came before the peer was ready, a transport that a retry
    avoided (libreswan's tests ikev2-ondemand-04-timeout-*, ikev2-tcp-00-enable-tcp-fallback). Nothing was up before
    the silence, so it is no outage; a tunnel that was up and then went quiet is read as DPD or reachability."""
    decisive = [e for e in events if e.category and e.weight == "decisive"]
    if not decisive or any(e.category != "peer_unreachable" for e in decisive):
        return None
    first, last = decisive[0], decisive[-1]
    if any(e.kind == "established" and e.order < first.order for e in events):
        return None
    up = next((e for e in events if e.kind == "established" and e.order > last.order and same_tunnel(e, last)), None)
    return (first, up) if up is not None else None


def refused_then_timed_out(events: list[Event]) -> tuple[Event, Event] | None:
    """(the peer's error notify, the timeout after it) when a negotiation timed out although the peer had answered
    it with an error notify that names no setting (UNSUPPORTED_CRITICAL_PAYLOAD, INVALID_SYNTAX): the peer is
    reachable and could not process the request; the protocol layer marks such a timeout (`refused_by`)."""
    for ev in events:
        line = ev.values.get("refused_by")
        if ev.kind == "give_up" and line is not None:
            refusal = next((e for e in events if e.line == line and e.notify), None)
            if refusal is not None:
                return refusal, ev
    return None


def _silence_guess(ev: Event) -> bool:
    """A line that reads the peer's silence, or an exchange this side dropped unanswered, as a refusal (pluto's
    "perhaps peer likes no proposal", an SA deleted in QUICK_I1): it names no notify the peer sent."""
    return not ev.notify and bool(ev.values.get("guess") or ev.values.get("abandoned"))


def _is_refusal(ev: Event) -> bool:
    return ev.kind in ("no_proposal", "ts_unacceptable") or NOTIFY_MEANING.get(ev.notify or "") in (
        "no_proposal", "ts_unacceptable", "ke")


# Guesses about a Child SA (phase 2): only a Child SA established after them shows the guess wrong.
_CHILD_GUESSES = ("traffic_selector_mismatch", "phase2_proposal_mismatch", "ipsec_mode_mismatch")

# Child SA refusals that a refused rekey explains when they come after it.
_CHILD_STAGES = ("phase2_proposal_mismatch", "traffic_selector_mismatch")


def _after_refused_rekey(cats: dict[str, list[Event]]) -> list[str]:
    """The Child SA stages whose every refusal comes after a refused rekey of an SA that was up. The peer refused the
    exchange that replaces the SA (its DH group, selectors or proposals); the SA then expired and setting it up
    again meets the same refusal (strongSwan: "closing expired CHILD_SA", then a new CREATE_CHILD_SA with the same
    proposals). The first refusal, on the rekey, is the cause the reasoning names."""
    firsts: dict[int, Event] = {}  # each log's first refused rekey (both peers' logs pasted, in either order)
    for e in cats.get("rekey_issue", ()):
        if _is_refusal(e):
            firsts.setdefault(e.stream, e)
    if not firsts:
        return []
    first = min(firsts.values(), key=lambda e: e.order)

    def after(e: Event) -> bool:
        rekey = firsts.get(e.stream)
        return e.order > rekey.order if rekey is not None else _later(e, first)

    return [s for s in _CHILD_STAGES if s in cats and all(map(after, cats[s]))
            and any(_is_refusal(e) and e.stream in firsts for e in cats[s])]


_V1_EXCHANGES = frozenset({"MAIN_MODE", "AGGRESSIVE_MODE"})


def _other_side_version(events: list[Event], unanswered: list[Event]) -> tuple[str, str, Event] | None:
    """(version sent, version the other side added, the line adding it) when pluto's unanswered requests (all of one IKE version)
    belong to a connection that the log shows added twice, once with each version: the logs of both daemons pasted,
    the same connection configured with different IKE versions. (One daemon re-adding it with the other version and
    trying that one has requests or an SA of that version in the log, so this does not apply.)"""
    exchanges = {e.exchange for e in unanswered}
    if exchanges <= _V1_EXCHANGES:
        sent, other = "IKEv1", "IKEv2"
    elif exchanges <= {"IKE_SA_INIT"}:
        sent, other = "IKEv2", "IKEv1"
    else:
        return None
    names = {conn_of(e) for e in unanswered if e.fmt == "libreswan"}
    if len(names) != 1 or "" in names:
        return None
    versions: dict[str, list[Event]] = {}
    for e in events:
        if (e.kind == "conn_added" and conn_of(e) in names and e.pattern not in LISTING_PATTERNS  # "added" lines only
                and e.values.get("version")):  # (3.x names no version)
            versions.setdefault(str(e.values["version"]), []).append(e)
    if sent in versions and other in versions and len(versions) == 2:
        return sent, other, versions[other][0]
    return None


def _later(ev: Event, than: Event) -> bool:
    """`ev` happened after `than`: in one log by the order of its lines; across two logs pasted one after the other
    (both peers) by their time stamps when both have one, since the second log's lines all come after the first's
    (two daemons' logs without time stamps: not known)."""
    if ev.stream != than.stream and ev.stamp is not None and than.stamp is not None and (
        stamp_kind(ev.stamp) == stamp_kind(than.stamp)
    ):
        return ev.stamp > than.stamp
    if ev.fmt != than.fmt and (ev.stamp is None or than.stamp is None):
        return False  # another daemon's log (the peer's) pasted after this one, with no time to compare: not known
    return ev.order > than.order


def _peer_dpd_behind_delete(cats: dict[str, list[Event]], delete: Event) -> Event | None:
    """In both peers' logs pasted together: the other log's DPD timeout that the IKE SA Delete this side received
    carries out (the peer's DPD action clears the SAs and sends Deletes at once: within seconds by the two clocks,
    which in one incident are a host's apart at most)."""
    if delete.stamp is None or delete.sa == "child":
        return None
    for dpd in cats.get("dpd_timeout", ()):
        if dpd.stream != delete.stream and dpd.stamp is not None and (
            stamp_kind(dpd.stamp) == stamp_kind(delete.stamp)
        ) and 0 <= delete.stamp - dpd.stamp <= _DPD_DELETE_S:
            return dpd
    return None


_DPD_DELETE_S = 5.0


def _rekey_trouble_start(events: list[Event], failure: Event) -> Event | None:
    """The first retransmission of the rekey that failed, in the failure's own log: pluto's REKEY states
    ("#3: STATE_V2_REKEY_IKE_I: retransmission"), or a rekey exchange sent again since the SA last came up. By the
    clock the rekey was in trouble from then on: the peer's Delete or DPD a few seconds later, in the peer's log
    pasted first, came after it even when the failure line itself (a timeout, a revival) bears a later time."""
    first = None
    for ev in events:
        if ev.order >= failure.order:
            break
        if ev.stream != failure.stream:
            continue
        if ev.kind == "established":
            first = None
        elif first is None and ev.kind == "retransmit" and ev.stamp is not None and (
                "REKEY" in str(ev.values.get("exchange") or "").upper() or ev.category == "rekey_issue"):
            first = ev
    return first


def diagnose(events: list[Event]) -> Primary | None:
    """The primary cause from classified, ordered events (see `lab.analyzer.protocol.classify`)."""
    cats: dict[str, list[Event]] = {}
    stray = {id(e) for e in stray_esp(events)}
    for ev in events:
        if ev.category and ev.weight == "decisive" and id(ev) not in stray:
            cats.setdefault(ev.category, []).append(ev)
    if not cats:
        for ev in events:
            if ev.category and ev.weight == "weak":
                cats.setdefault(ev.category, []).append(ev)
        if "bgp_down" in cats and all(map(_bgp_recovery(events), cats["bgp_down"])):
            del cats["bgp_down"]  # reset on purpose (or not connected yet) and back up: nothing to fix
        for cat in [c for c in cats if c != "bgp_down"]:
            # a guess about a Child SA holds until a Child SA comes up; an IKE SA set up again does not answer it
            last = cats[cat][-1]
            if any(e.kind == "established" and (e.sa == "child" or cat not in _CHILD_GUESSES) and _later(e, last)
                   and same_tunnel(e, last) for e in events):
                del cats[cat]  # only a daemon's guess, and the tunnel came up again after it: nothing to fix
    if "bgp_down" in cats and all(map(_bgp_graceful(events), cats["bgp_down"])):
        del cats["bgp_down"]  # the neighbor restarts gracefully (RFC 4724), its routes kept: nothing is down yet
    if _collision_resolved(events, cats.get("rekey_issue", [])):
        del cats["rekey_issue"]
    if not cats or recovered_first_attempt(events) is not None:
        return None
    context: dict[str, list[Event]] = {}
    for ev in events:
        if ev.category and id(ev) not in stray:
            context.setdefault(ev.category, []).append(ev)
    established = [e for e in events if e.kind == "established"]
    last_up = established[-1].order if established else 0
    # the refusals that setting an SA up again met after its refused rekey (see _after_refused_rekey)
    again = sorted((e for stage in _after_refused_rekey(cats) for e in cats.pop(stage)), key=lambda e: e.order)

    # A notify type is a refusal's verdict, not its reason (NO_PROPOSAL_CHOSEN is also what a responder sends when
    # no connection matches the peer's addresses). When the paste also holds a side's own reading of a refusal
    # (both peers' logs, or a side that says why it refused), that reading names the cause: the notifies both
    # sides print about it are its echo, not a second cause.
    first_hand = {stage for stage in CONFIG_STAGES if any(not _echo(e) for e in cats.get(stage, ()))}
    for stage in CONFIG_STAGES:
        if stage not in cats or (first_hand and stage not in first_hand):
            continue
        evs = cats[stage]
        first = evs[0]
        # (an IKEv1 notification travels in an informational exchange of its own: name the exchange it answers)
        where: Msg | str = (M(" in answer to {exchange}", exchange=exchange_words(first.refers_to))
                            if first.refers_to else M(" in {exchange}", exchange=exchange_words(first.exchange))
                            if first.exchange and first.exchange not in INFO_EXCHANGES else "")
        reasoning = [M("Line {line}: {title}{where} ({lines}).{who}", line=first.line, title=_title(stage), where=where,
                       lines=Mn("{n} line", "{n} lines", len(evs)), who=_who(evs))]
        if stage == "auth_failure" and first.values.get("v1_info_answer"):
            # protocol.classify: an IKEv1 phase 1 that timed out after the peer sent an Informational instead of
            # the next phase 1 message
            reasoning.append(M(
                "Line {line}: the peer answered this side's phase 1 message with an Informational this side did not "
                "read, instead of the next phase 1 message, then phase 1 timed out. The peer is reachable and "
                "refused what this side sent, most likely because it could not verify this side's hash: with "
                "pre-shared keys the keys differ. Check the identity the peer expects as well.",
                line=first.values["v1_info_answer"]))
        elif stage == "auth_failure" and first.values.get("ike_requested"):
            # protocol.classify: charon's "no IKE config found" for a request of this IKE version
            reasoning.append(M(
                "Line {line}: no connection here matches the peer's {version} request. charon matches a connection by "
                "both addresses and the IKE version: check that local_addrs/remote_addrs (left/right) are the "
                "addresses the packets use, and that this side's connection for the peer allows {version} (the other "
                "side may run the other version).", line=first.line, version=first.values["ike_requested"]))
        elif stage == "auth_failure" and first.values.get("v1_repeat"):
            reasoning.append(M(
                "Line {line}: the peer sent its previous phase 1 answer again instead of the next one: it got this "
                "side's first encrypted message but could not decrypt or verify it, then phase 1 timed out. With "
                "pre-shared keys the encryption keys derive from the key, so the two sides hold different keys.",
                line=first.values["v1_repeat"]))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "MAIN_MODE":
            reasoning.append(M("The peer answered Main Mode's first exchanges, so it is reachable on UDP 500."))
        elif stage == "auth_failure" and first.values.get("auth_answered"):
            # protocol.classify: the responder answered the peer's IKE_AUTH, then its negotiation timed out
            reasoning.append(M(
                "Line {answer}: this side answered the peer's IKE_AUTH, then heard nothing more from it until the "
                "negotiation timed out (line {line}). The peer is reachable (its IKE_AUTH arrived) and did not go on: "
                "most likely it could not verify this side's authentication (a pre-shared key or certificate it does "
                "not accept) and gave up without saying so. Compare the keys and identities on both sides; if this "
                "side's answer is large (certificates), dropped IP fragments end the same way.",
                answer=first.values["auth_answered"], line=first.line))
        elif stage == "auth_failure" and first.values.get("deleted_at_once"):
            # protocol.refusals._deleted_right_after_authentication: the initiator deleted the IKE SA this side had just set up
            reasoning.append(M(
                "Line {up}: this side answered the peer's authentication (IKE_AUTH, or Main Mode's last message) and "
                "the IKE SA came up; line {line}: the peer "
                "deleted it less than two seconds later. An initiator that cannot accept the responder's "
                "authentication ends the IKE SA this way (IKEv2: RFC 7296 section 2.21.2): most likely it expects another "
                "identity or does not trust this side's certificate. Its own log names the refusal; compare the "
                "identity it expects (rightid / remote id) with the one this side sends.",
                up=first.values["deleted_at_once"], line=first.line))
        elif stage == "auth_failure" and first.values.get("main_mode_answer_refused"):
            # protocol.refusals._main_mode_answer_refused: IKEv1, the initiator did not accept this side's last Main Mode answer
            reasoning.append(M(
                "Line {line}: right after this side's last Main Mode answer set the ISAKMP SA up, the peer sent a "
                "message this side cannot read instead of going on to Quick Mode. This side could decrypt the "
                "peer's messages, so the pre-shared keys (or certificates) agree; the peer did not accept this "
                "side's answer: most likely it expects another identity from this side. Its own log names the "
                "refusal; compare the identity it expects (rightid / remote id) with the one this side sends.",
                line=first.line))
        elif stage == "auth_failure" and first.pattern == "swan-credential-load-failed":
            reasoning.append(M(
                "Line {line}: charon could not load a certificate or private key it was configured with, before any "
                "negotiation: certificates issued by a CA that did not load cannot be verified, and without its own "
                "certificate or key this side cannot authenticate. Fix the file (its format, a critical extension "
                "charon does not support, the key's passphrase) and load the credentials again.", line=first.line))
        elif first.values.get("transforms") or first.values.get("invalid_key_length") or _quick_mode_silence(
            stage, first
        ):
            # a guess from a Quick Mode the peer left unanswered (protocol.classify): phase 1 did complete
            reasoning.append(M("Phase 1 completed with this peer, so the path works: the silence in phase 2 points at "
                               "configuration."))
        elif stage == "phase1_proposal_mismatch" and first.notify == "INVALID_KE_PAYLOAD" and first.values.get("guess"):
            reasoning.append(M(
                "Line {line}: this side asked the peer to start again with another DH group (INVALID_KE_PAYLOAD, RFC "
                "7296 section 1.2). That is the normal first round when the two sides' first choices differ: it is a "
                "mismatch only if the peer never comes back with that group (no new IKE_SA_INIT from it, or the same "
                "refusal again). Compare the DH groups both sides allow.", line=first.line))
        elif stage == "auth_failure" and ("failed to add connection" in first.text or (
                first.pattern == "lib-own-cert-missing" and "private key not found" not in first.text)):
            # (pluto names the connection's own certificate missing when it loads it: no negotiation took place)
            reasoning.append(M(
                "Line {line}: pluto could not load the connection, so nothing was negotiated with the peer: fix what "
                "the line names on this side (a certificate that expired or is missing, a key of another type than "
                "the connection needs) and load the connection again.",
                line=first.line))
        elif first.pattern in ("lib-conn-ike-alg-unsupported", "lib-conn-child-alg-unsupported"):
            reasoning.append(M(
                "Line {line}: pluto refused the connection's own proposal when it loaded it, before any negotiation: "
                "with no usable proposal this side cannot answer (or start) the negotiation, so the peer sees "
                "silence or a refusal.", line=first.line))
        else:
            reasoning.append(M("A negotiation failure means the peer answered, so the path works: this is configuration."))
        if stage == "ike_mode_mismatch" and first.notify == "UNSUPPORTED_EXCHANGE_TYPE":
            reasoning.append(M(
                "The peer answered this side's Aggressive Mode with UNSUPPORTED-EXCHANGE-TYPE (RFC 2408): it does not "
                "accept Aggressive Mode. Use Main Mode on both sides (AWS accepts Main Mode only with IKEv1)."))
        if stage in ("ike_mode_mismatch", "auth_failure") and first.pattern == "swan-none-allows-mode":
            reasoning.append(M(
                "charon found a connection for this peer, but none that allows {method} authentication in {mode} Mode: "
                "either the peer uses the other IKEv1 mode (Aggressive against Main), or another authentication method "
                "than the connection (certificates against a pre-shared key). Compare both settings on the two sides.",
                method=first.values.get("reason", ""), mode=first.values.get("exchange", "")))
        if stage == "ike_mode_mismatch" and first.values.get("am_first_refused"):
            reasoning.append(M(
                "The peer refused this side's first Aggressive Mode message with AUTHENTICATION_FAILED. That message "
                "carries no hash, so no pre-shared key was compared yet: the peer does not accept Aggressive Mode "
                "(AWS accepts Main Mode only with IKEv1), or it knows no connection for the identity sent in it. "
                "Use Main Mode on both sides."))
        version = _version_reading(first) if stage == "ike_version_mismatch" else None
        if version is not None:
            reasoning.append(version)
        if (stage == "phase2_proposal_mismatch" and first.direction == "received" and version_of(first) == 1
                and NOTIFY_MEANING.get(first.notify or "") == "no_proposal"):
            # Cisco IOS refuses a Quick Mode whose proxy IDs match no crypto ACL with "phase 2 SA policy not
            # acceptable" and sends the initiator the same NO_PROPOSAL_CHOSEN as for a transform mismatch
            # (corpus excerpts cisco-ios-v1-hub-phase2-policy-not-acceptable-crypto-acl and its spoke's side).
            reasoning.append(M(
                "In IKEv1 Quick Mode some gateways (Cisco IOS among them) answer an encryption-domain (crypto ACL, "
                "proxy ID) mismatch with the same NO_PROPOSAL_CHOSEN: if the transform sets and the PFS group "
                "match, compare the local and remote subnets both sides configured."
            ))
        if stage == "auth_failure" and first.pattern in ("lib-auth-exchange-fatal", "lib-v1-state-fatal") and (
                state := _FATAL_STATE.search(first.text)):
            # protocol: pluto's fatal error in an authentication step, no reason on the line (a guess)
            reasoning.append(M(
                "Line {line}: pluto ended the negotiation for good in {state}, an authentication step, and this line "
                "gives no reason. In the full log the lines just before it name it: the peer's AUTHENTICATION_FAILED, "
                "a certificate or identity this side could not verify, a missing or different pre-shared key, or "
                "(XAUTH) a user name and password the server refused. Paste the lines "
                "above it to confirm; a refusal there that names something else (a proposal, the traffic selectors) "
                "outweighs this reading.", line=first.line, state=state.group(1)))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "MAIN_MODE":
            # pluto's "Possible authentication failure: no acceptable response to our first encrypted message" is a
            # guess from silence. RFC 3947 section 4: with NAT-T the initiator moves to UDP 4500 from Main Mode's
            # message 5 on, the first encrypted one; with certificates it is also the largest.
            reasoning.append(M(
                "pluto only guesses here: the peer never answered this side's first encrypted Main Mode message. "
                "Differing pre-shared keys are the usual cause, but the same silence follows when UDP 4500 is blocked "
                "(with NAT traversal this is the first message sent to port 4500) or when the message carries "
                "certificates and its IP fragments are dropped: check those too if the keys match."))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "IKE_AUTH":
            # libreswan 3.x prints the same guess for IKEv2's IKE_AUTH (protocol: lib-timeout-auth, weak there)
            reasoning.append(M(
                "pluto only guesses here: its IKE_AUTH request got no answer it could use. In IKEv2 a peer that "
                "cannot verify this side's authentication answers with AUTHENTICATION_FAILED, so silence points as "
                "much at the path: IKE_AUTH is the largest message (certificates), sent as IP fragments, and with NAT "
                "traversal the first one to UDP 4500. Check that fragments and UDP 4500 pass (or turn on IKE "
                "fragmentation), then the pre-shared key or certificate."))
        if _quick_mode_silence(stage, first) and first.values.get("remote_access"):
            # A remote-access client (XAUTH / ModeCFG before the Quick Mode) proposes the address it got or brings.
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. This side is a remote-access client (XAUTH / "
                "ModeCFG): its Quick Mode proposes the address it was given, or brings, as its subnet, and a server "
                "refuses an address it did not lease or one already in use with a notification this log does not "
                "show. Check the server's address pool and this client's subnet settings; if they are right, compare "
                "the phase 2 proposals and the PFS group of both sides."))
        elif _quick_mode_silence(stage, first) and (first.fmt != "libreswan" or first.values.get("still_unanswered")):
            if first.values.get("still_unanswered"):  # protocol.unanswered._quick_mode_still_unanswered
                reasoning.append(M("Line {line}: this side's Quick Mode was sent again {times} and got no answer up to "
                                   "the end of the log.", line=first.line,
                                   times=Mn("{n} time", "{n} times", first.values["still_unanswered"])))
            # (RFC 2409 section 5.5 leaves the refusal notify optional; charon gives up without a guess of its own)
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. A responder refuses a Quick Mode it cannot accept "
                "with a notification (NO_PROPOSAL_CHOSEN for the transforms or the PFS group, INVALID_ID_INFORMATION "
                "for the subnets) that this log does not show, or with none at all: compare the phase 2 transforms "
                "and the PFS group of both sides; if they match, compare the subnets (proxy IDs) both sides "
                "configured."))
        elif _quick_mode_silence(stage, first):
            # RFC 2409 section 5.5 leaves the refusal notify optional; libreswan sends it encrypted (ikev1.c)
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. A responder refuses a Quick Mode it cannot accept "
                "with a notification (NO_PROPOSAL_CHOSEN for the transforms or the PFS group, INVALID_ID_INFORMATION "
                "for the subnets) that this log does not show, or with none at all. pluto's own line guesses the "
                "proposals (\"perhaps peer likes no proposal\"): compare the phase 2 transforms and the PFS group of "
                "both sides; if they match, compare the subnets (proxy IDs) both sides configured."))
        if first.notify in _NOTIFY_READINGS:
            reasoning.append(_notify_reading(first))
        if stage == "ipsec_mode_mismatch" and first.values.get("modes"):
            # protocol.refusals._modes_differ_across_sides: both peers' logs, the same SA up in two modes
            reasoning.append(M(
                "Line {line}: the two logs show the same IPsec SA (one side's outbound SPI is the other's inbound) "
                "up in a different mode on each side ({modes}): IKEv1 lets each side keep its own configured mode, so neither complains, but "
                "the traffic is encapsulated one way and expected the other. Set the same type (tunnel or transport) "
                "on both sides.", line=first.line, modes=first.values["modes"]))
        if stage == "ipsec_mode_mismatch" and first.values.get("mode_requested") == "transport":
            # protocol.classify: the peer's request carried N(USE_TRANSPORT_MODE), the SA came up in tunnel mode
            reasoning.append(M(
                "Line {line}: the peer asked for transport mode (USE_TRANSPORT_MODE in its request) and this side set "
                "the SA up in tunnel mode, as its connection says (type=tunnel); libreswan 5 does that without a "
                "word. A peer that requires transport mode deletes such an SA and tries again. Set the same type "
                "(tunnel or transport) on both sides.", line=first.line))
        if stage == "phase2_proposal_mismatch" and first.values.get("transforms"):
            # libreswan's compress= (configs/d.ipsec.conf/conn/compress.xml): "For IKEv1, compress settings on both
            # peers must match." The initiator's log reads the same when the responder has no connection for the
            # offered subnets (libreswan test linux-audit-03-ipsec-fail-ikev1, with compress=yes).
            reasoning.append(M(
                "The peer never answered this side's Quick Mode, and the offer asks for {transforms}: in IKEv1 both "
                "sides must be configured for it (libreswan: the compress settings of both peers must match). If the "
                "peer is, compare the subnets (proxy IDs) both sides configured: a responder with no connection for "
                "the offered subnets stays silent too.", transforms=first.values["transforms"]))
        if (stage == "phase1_proposal_mismatch" and first.direction != "sent" and first.exchange == "IKE_SA_INIT"
                and NOTIFY_MEANING.get(first.notify or "") == "no_proposal"):
            # A responder answers an IKE_SA_INIT with NO_PROPOSAL_CHOSEN also when it has no IKEv2 connection for
            # this peer at all, before comparing any proposal: libreswan 3.x (connections.c,
            # ikev2_find_host_connection) and strongSwan ("no IKE config found for ..., sending NO_PROPOSAL_CHOSEN").
            reasoning.append(M(
                "A responder also answers IKE_SA_INIT with NO_PROPOSAL_CHOSEN when it has no IKEv2 connection for this "
                "peer's address at all (libreswan 3.x, strongSwan): if the proposals match, check that the peer has a "
                "connection for this address and accepts IKEv2 on it."
            ))
        later = [e for e in events if e.order > first.order and e.category in ("peer_unreachable", "dpd_timeout")]
        if later:
            reasoning.append(M(
                "The retransmits and timeouts after it are a consequence: once a peer rejects the "
                "negotiation it stops answering, so they do not point at reachability."
            ))
        # a Child SA stage is answered by a Child SA established after it; an IKE SA set up again is not the fix
        up_again = [e for e in established
                    if e.order > evs[-1].order and (stage not in _CHILD_GUESSES or e.sa == "child")]
        if up_again and not first.values.get("ike_refused"):
            reasoning.append(M("An SA was established again at line {line}: the fix may already be in.",
                               line=up_again[-1].line))
        reasoning += _also(cats, stage)
        summary = M("{title}: the tunnel cannot be negotiated until both sides agree.",
                    title=D("category.title", categories()[stage].title))
        if stage == "ike_version_mismatch" and first.values.get("ike_refused"):
            summary = M("{title}: the peer answers only {answered}; this side's {refused} attempts failed first.",
                        title=D("category.title", categories()[stage].title),
                        answered=first.values.get("ike_answered", ""), refused=first.values["ike_refused"])
        return _primary(stage, summary, reasoning, context[stage])

    if "nat_t_or_fragmentation" in cats:
        evs = cats["nat_t_or_fragmentation"]
        waited = next((e for e in evs if e.values.get("responder_waited")), None)
        if waited is not None:
            reasoning = [
                M("Line {line}: this side answered the peer's IKE_SA_INIT and found NAT between the peers, then the "
                  "peer's IKE_AUTH never came. With NAT the initiator sends it to UDP 4500: UDP 4500 is blocked or "
                  "changed on the path while UDP 500 passes, or its fragments are dropped.", line=waited.line),
            ] + _also(cats, "nat_t_or_fragmentation")
        else:
            reasoning = [
                M("Line {line}: the peer answered the first exchange, then the next messages were lost "
                  "or refused: NAT-T or fragmentation (large IKE_AUTH messages, UDP 4500, IP fragments dropped).",
                  line=evs[0].line),
            ] + _also(cats, "nat_t_or_fragmentation")
        if moved := next((e for e in evs if e.values.get("moved_to_4500")), None):
            reasoning.insert(1, M(
                "This side sent IKE_SA_INIT to UDP 500 and, having detected NAT, its IKE_AUTH to UDP 4500 (RFC 7296 "
                "section 2.23); the answers stopped at line {line}. Check that UDP 4500 passes in both directions "
                "(firewalls, security groups, the NAT device) and that the peer has NAT traversal on.", line=moved.line))
        if cert := next((e for e in evs if e.values.get("cert_sent")), None):
            reasoning = [
                M("Line {line}: the peer answered Main Mode's first two exchanges, then never answered this side's "
                  "third message, which carried its certificate, and sent no notification either. A peer that cannot "
                  "verify a certificate or an identity says so (INVALID_ID_INFORMATION, INVALID_KEY_INFORMATION); "
                  "silence after the small messages were answered means the large one was lost: a certificate makes "
                  "it larger than one IP packet, so it leaves as IP fragments, which firewalls and NAT devices often "
                  "drop. With NAT traversal it is also the first message sent to UDP 4500.", line=cert.line),
                M("Turn on IKE fragmentation on both sides (libreswan: fragmentation=yes; the vendor's IKEv1 "
                  "fragmentation), send a shorter certificate chain, or let IP fragments and UDP 4500 through."),
            ] + _also(cats, "nat_t_or_fragmentation")
        if big := next((e for e in evs if e.values.get("packet_bytes")), None):
            reasoning.insert(1, M(
                "The message that went unanswered was {bytes} bytes, more than one 1500-byte IP packet holds, so it left "
                "as IP fragments, while the smaller messages before it were answered: the path drops fragments. Turn "
                "on IKE fragmentation on both sides (RFC 7383 for IKEv2; the vendor's IKEv1 fragmentation) or send a "
                "shorter certificate chain.", bytes=big.values["packet_bytes"]))
        summary = M("IKE messages are lost after the first exchange: NAT traversal or fragmentation.")
        if first_frag := next((e for e in evs if e.pattern == "lib-v1-fragment-without-state"), None):
            # pluto ikev1.c: a fragment for no state is dropped; libreswan commit 738701a8 (forced fragmentation also
            # fragmented the first Main Mode message, which the peer then ignored)
            summary = M("The peer fragments its first IKE message, which this side cannot put together: "
                        "fragmentation.")
            reasoning = [
                M("Line {line}: an IKE fragment arrived for no state of this side: the peer sent its first Main Mode "
                  "message in IKE fragments (fragmentation forced on its side), and a first message cannot be put "
                  "together before a state exists, so this side ignored it and never answered.", line=first_frag.line),
                M("Let the peer fragment only when a message does not fit (libreswan: fragmentation=yes rather than "
                  "force; the vendor's IKE fragmentation setting)."),
            ] + _also(cats, "nat_t_or_fragmentation")
        return _primary(
            "nat_t_or_fragmentation",
            summary,
            reasoning,
            context["nat_t_or_fragmentation"],
        )

    ignored = [e for e in cats.get("cgw_not_initiating", ()) if e.kind == "ike_ignored"]
    if ignored and any(e.order > ignored[-1].order for e in established):
        # a tunnel set up after the requests this side ignored: the policy was added meanwhile, nothing left of it
        if rest := [e for e in cats["cgw_not_initiating"] if e.kind != "ike_ignored"]:
            cats["cgw_not_initiating"] = rest
        else:
            del cats["cgw_not_initiating"]
        if not cats:
            return None
    elif ignored:
        # (FortiGate: "ignoring IKEv2 request, no policy configured") this side read the peer's request and dropped it
        # because of its own configuration: the peer's silence that follows is this side's, not the path's
        reasoning = [
            M("Line {line}: the peer started IKE and this side dropped its request without an answer ({times}): no "
              "firewall policy uses the tunnel interface, and FortiGate negotiates a tunnel only when a policy lets "
              "traffic through it.", line=ignored[0].line, times=Mn("{n} time", "{n} times", len(ignored))),
            M("The peer sees no answer at all, as if UDP 500 were blocked; the path works. Add the firewall policies "
              "that allow traffic to and from the tunnel interface (both directions), then let the peer start IKE "
              "again."),
        ]
        reasoning += _also(cats, "cgw_not_initiating")
        return _primary("cgw_not_initiating", M("This side ignores the peer's IKE: no firewall policy uses the tunnel, "
                                                "so to the peer nobody answers."), reasoning, ignored)

    liveness = {c: cats[c] for c in ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable") if c in cats}
    # A rekey that failed (refused, unanswered, SAs out of step) before the peer went quiet or deleted the SA is
    # the cause: the timeouts, DPD and deletes after it are what a failed rekey leads to. (A collision is
    # resolved by the protocol: it does not take precedence.)
    rekey_failure = next((e for e in cats.get("rekey_issue", ()) if e.kind != "rekey_collision"), None)
    # (both peers' logs pasted: the failure line comes late, after the retransmissions, so the peer's delete or DPD
    # that the rekey led to may bear an earlier time; before it in the paste, or before it in time, within the hour
    # of one incident, when the peer's log was pasted first)
    trouble = _rekey_trouble_start(events, rekey_failure) if rekey_failure is not None else None
    rekey_first = rekey_failure is not None and liveness and all(
        rekey_failure.order < evs[0].order or any(
            _later(evs[0], since) and evs[0].stamp is not None and since.stamp is not None
            and evs[0].stamp - since.stamp <= 3600 for since in (rekey_failure, trouble) if since is not None
        ) for evs in liveness.values()
    )
    if liveness and not rekey_first:
        order = ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable")
        first = min(liveness, key=lambda c: (liveness[c][0].order, order.index(c)))
        evs = liveness[first]
        if first == "ike_sa_deleted_by_peer" and all(e.sa == "child" for e in evs):
            # (only a guess: see protocol.unanswered._child_deletes_not_replaced; an SA set up after it would have cleared it)
            reasoning = [M("Line {line}: the peer sent a Delete for the IPsec (phase 2) SA, and no newer IPsec SA of "
                           "that connection was up: the tunnel stopped carrying traffic from the peer's side.",
                           line=evs[0].line),
                         M("No IPsec SA was set up after it. Find out on the peer why it deleted the SA (an operator, "
                           "a restart, a changed policy or lifetime), then set the tunnel up again from the customer "
                           "gateway.")]
            reasoning += _also(cats, first)
            return _primary(first, M("The peer deleted the IPsec SA and no new one came up."), reasoning,
                            context[first])
        if first == "ike_sa_deleted_by_peer" and (dpd := _peer_dpd_behind_delete(cats, evs[0])) is not None:
            # both peers' logs: the Delete this side received is the peer's DPD action (its log shows the DPD timeout
            # a moment before): the peer stopped hearing this side, which the Delete alone does not say
            reasoning = [
                M("Line {line}: the peer's dead peer detection declared this side dead and cleared the tunnel.",
                  line=dpd.line),
                M("Line {line}: the Delete this side received a moment later is that DPD action, not an operator or a "
                  "changed configuration on the peer. The peer stopped receiving this side's packets while its own "
                  "(the Delete) still arrived here: traffic from this side to the peer is dropped, in that direction "
                  "only. Look for what drops it (a firewall or security group in front of the peer, a NAT mapping "
                  "that expired) before touching DPD settings.", line=evs[0].line),
            ]
            reasoning += _also(cats, "dpd_timeout")
            return _primary("dpd_timeout", M("The peer's DPD timed out and it deleted the tunnel: it stopped hearing "
                                             "this side."), reasoning, context["dpd_timeout"] + evs,
                            {"peer_alive_after_dpd": "yes"})
        if first == "ike_sa_deleted_by_peer":
            reasoning = [M("Line {line}: a Delete for the IKE SA; the tunnel went down from the peer's side.",
                           line=evs[0].line)]
            if (refused := evs[0].values.get("revival_refused")) is not None:
                reasoning.append(M(
                    "Line {line}: the peer refused this side's attempt to set the tunnel up again with "
                    "NO_PROPOSAL_CHOSEN, although it had accepted the same proposals before: it no longer has a "
                    "connection for this side (removed or changed on the peer). Check the peer's configuration "
                    "rather than this side's proposals.", line=refused))
            if last_up > evs[-1].order:
                line = next(e.line for e in established if e.order == last_up)
                reasoning.append(M("An IKE_SA was established again at line {line}, so someone re-initiated.", line=line))
                summary = M("The peer deleted the IKE SA; the tunnel came back later.")
            else:
                reasoning.append(M(
                    "No IKE_SA was established after it. With startup action add (the default) AWS does not "
                    "start IKE itself: the customer gateway must start IKE again, so the tunnel stays down."
                ))
                summary = M("The peer deleted the IKE SA and nobody set the tunnel up again.")
            if "dpd_timeout" in cats and cats["dpd_timeout"][0].order > evs[0].order:
                reasoning.append(M("The DPD timeouts after the Delete are a consequence of the missing IKE_SA."))
            reasoning += _also(cats, first)
            return _primary(first, summary, reasoning, context[first])
        if first == "dpd_timeout":
            s = evs[0]
            if s.kind == "give_up":
                # A request on the established IKE SA timed out (a liveness probe, or a new Child SA asked for on
                # it): the daemon may call it liveness or say nothing more, the fact is the same.
                reasoning = [M("Line {line}: the peer stopped answering on the established IKE SA: the request "
                               "sent on it timed out without an answer.", line=s.line)]
            else:
                reasoning = [M("Line {line}: dead peer detection declared the peer dead after it stopped answering.",
                               line=s.line)]
            unreach = [e for e in cats.get("peer_unreachable", []) if e.order > s.order]
            if unreach and last_up < unreach[-1].order:
                reasoning.append(M(
                    "The attempts to set the tunnel up again also got no answer (line {line}): "
                    "the peer is unreachable. Check that the customer gateway is up and that UDP 500/4500 "
                    "and ESP pass before touching DPD settings.", line=unreach[-1].line
                ))
                reasoning += _also(cats, "peer_unreachable")
                return _primary(
                    "peer_unreachable",
                    M("DPD timed out because the peer stopped answering, and it still does not answer: reachability."),
                    reasoning,
                    context["dpd_timeout"] + unreach,
                    {"peer_alive_after_dpd": "no"},
                )
            if last_up > s.order:
                line = next(e.line for e in established if e.order == last_up)
                reasoning.append(M(
                    "The tunnel was established again at line {line}, so the peer is reachable: "
                    "look at DPD itself (idle tunnel, customer gateway DPD off, timeout action).", line=line
                ))
                summary = M("DPD timed out and cleared the tunnel although the peer was reachable.")
                extra = {"peer_alive_after_dpd": "yes"}
            else:
                reasoning.append(M(
                    "Nothing after it shows the peer alive: treat it as a reachability problem until shown "
                    "otherwise, then check who brings the tunnel back (DPD timeout action, startup action)."
                ))
                summary = M("DPD timed out: the peer stopped answering and the tunnel was not set up again.")
                extra = {}
            reasoning += _also(cats, "dpd_timeout")
            return _primary("dpd_timeout", summary, reasoning, context["dpd_timeout"], extra)
        restarts = evs[0].values.get("first_replies_unanswered")
        waited = evs[0].values.get("first_reply_timeout")
        if waited and not restarts:
            reasoning = [
                M("Line {line}: this side answered the peer's first phase 1 message and waited {seconds} seconds for "
                  "the next one, which never came.", line=evs[0].line, seconds=waited),
                _ONE_WAY,
            ]
        elif evs[0].values.get("answers_lost"):  # protocol: the peer resends the IKE_AUTH request this side answered
            reasoning = [
                M("Line {line}: the peer sent its IKE_AUTH request again after this side had answered it ({times} by "
                  "line {last}): this side's answers do not reach the peer.", line=evs[0].line, last=evs[-1].line,
                  times=Mn("{n} time", "{n} times", max(e.values.get("answers_lost", 0) for e in evs))),
                M("The peer's requests arrive, so the path works toward this side; the way back drops the answers. "
                  "This side's IKE_AUTH answer is the first large message (with a certificate it leaves as IP fragments "
                  "or IKE fragments) and goes to UDP 4500 after NAT detection: check that UDP 4500 and IP fragments "
                  "pass toward the peer (firewalls, NAT, the provider's filtering)."),
            ]
        elif evs[0].values.get("snapshot") and len(evs) == 1:
            reasoning = [
                M("Line {line}: the status listing shows a state that sent its first request and still waits for the "
                  "peer's first answer, with a retransmit scheduled.", line=evs[0].line),
                M("A listing is one moment: list again after a minute. If the state (or a new one in its place) still "
                  "waits, the peer does not answer: check reachability (peer IP, UDP 500/4500 through firewalls and "
                  "security groups, the customer gateway itself)."),
            ]
        elif restarts and evs[0].ike == 2:
            reasoning = [
                M("Line {line}: the peer started IKE_SA_INIT {count} times and this side answered each start, but the "
                  "peer's IKE_AUTH never came.", line=evs[0].line, count=restarts),
                _ONE_WAY,
                M("IKE_AUTH is the first message sent to UDP 4500 after NAT detection and, with certificates, the "
                  "first large one: a path that blocks UDP 4500 or drops IP fragments (mobile networks, some "
                  "firewalls) stops it while IKE_SA_INIT passes. IKE fragmentation (RFC 7383) on both sides avoids "
                  "the fragments."),
            ]
        elif evs[0].values.get("cert_sent") and last_up < evs[0].order and all(
            e.values.get("auth_unanswered")
            # (both peers' logs: the responder's, whose answered IKE_SA_INITs were followed by no IKE_AUTH)
            or (e.stream != evs[0].stream and e.ike == 2 and e.values.get("first_replies_unanswered")) for e in evs
        ):
            # (protocol.sa_state._mark_auth_unanswered) Every unanswered request is IKE_AUTH, carrying this side's certificate,
            # and no SA came up after them: the peer answered IKE_SA_INIT, so it is reachable on UDP 500, and what
            # this side sent next was lost. A peer that cannot verify this side answers AUTHENTICATION_FAILED (RFC
            # 7296 section 2.21.2); silence is the path stopping the second exchange, large enough with a
            # certificate to leave as IP fragments (or sent to UDP 4500). Without a sign of a certificate or of UDP
            # 4500 the same silence stays a reachability reading (below), its reasoning naming both.
            return _primary(
                "nat_t_or_fragmentation",
                M("IKE_SA_INIT was answered, then IKE_AUTH with this side's certificate got no answer: IP fragments "
                  "(or UDP 4500) are lost on the path."),
                [
                    M("Line {line}: IKE_AUTH got no answer from the peer ({times}).", line=evs[0].line,
                      times=Mn("{n} time", "{n} times", len(evs))),
                    M("This side sends IKE_AUTH only after the peer answered IKE_SA_INIT (RFC 7296 section 1.2): the "
                      "peer was reached on UDP 500. A peer that cannot verify this side's authentication answers "
                      "AUTHENTICATION_FAILED rather than nothing. This side signed its IKE_AUTH with its certificate's "
                      "key, so the message carries the certificate and is too large for one IP packet: check that IP "
                      "fragments pass on the path (IKE fragmentation, RFC 7383, on both sides avoids them), and UDP "
                      "4500 if NAT is involved, then that the peer has a connection for this side's identity."),
                ] + _also(cats, "peer_unreachable"),
                evs,
            )
        elif restarts:
            reasoning = [
                M("Line {line}: the peer started phase 1 (Main or Aggressive Mode) {count} times and this side "
                  "answered each start, but the peer's next message never came.", line=evs[0].line, count=restarts),
                _ONE_WAY,
            ]
        else:
            reasoning = [
                M("Line {line}: negotiation got no answer from the peer ({times}).", line=evs[0].line,
                  times=Mn("{n} time", "{n} times", len(evs))),
                M("The request left unanswered is IKE_AUTH, which this side sends only after the peer answered "
                  "IKE_SA_INIT (RFC 7296 section 1.2): the peer was reached on UDP 500. IKE_AUTH is the first message "
                  "sent to UDP 4500 after NAT detection and, with certificates, the first large one: check that UDP "
                  "4500 and IP fragments pass on the path (IKE fragmentation, RFC 7383, on both sides avoids the "
                  "fragments), then that the peer has a connection for this side's identity.")
                if any(e.values.get("auth_unanswered") for e in evs)  # protocol.sa_state._mark_auth_unanswered
                else M("No configuration error was seen, which needs an answer from the peer: check reachability "
                       "(peer IP, UDP 500/4500 and ESP through firewalls, NAT-T, the customer gateway itself)."),
            ]
        if last_up > evs[-1].order:
            line = next(e.line for e in established if e.order == last_up)
            reasoning.append(M(
                "An IKE or IPsec SA was established later (line {line}): the peer answered a later attempt, so "
                "what failed was the path or the peer at that time (a peer still starting, a blocked port or "
                "transport that a retry avoided).", line=line
            ))
        elif not established and not restarts and not waited and (other := _other_side_version(events, evs)):
            # Both peers' logs pasted: the connection this side could not get an answer for was added on the other
            # side with the other IKE version only (keyexchange=ikev1 against ikev2). A peer drops a request of a
            # version it has no connection for without a reply, so the silence is the version mismatch.
            sent, added, added_at = other
            return _primary("ike_version_mismatch", M("The two sides run different IKE versions: {sent} requests go "
                                                      "unanswered by a peer set up for {added}.", sent=sent, added=added), [
                M("Line {line}: negotiation got no answer from the peer ({times}).", line=evs[0].line,
                  times=Mn("{n} time", "{n} times", len(evs))),
                M("Line {line}: the other side's log (pasted too) adds the same connection as {added}, while this side "
                  "sends {sent}. pluto drops a request of an IKE version it has no connection for without any "
                  "reply. Set the same IKE version on both sides (AWS: the tunnel options' IKE versions).",
                  line=added_at.line, added=added, sent=sent),
            ] + _also(cats, first), evs, {"ike_sent": sent, "peer_conn_version": added}, lead=[added_at])
        elif not established and not restarts and not waited and {e.exchange for e in evs} <= _V1_EXCHANGES:
            # libreswan's test suite: a responder that allows only IKEv2 (keyexchange=ikev2, ikev1-policy=drop)
            # drops IKEv1 packets without a reply (tests ikev2-12-x509-ikev1, ikev1-policy-01-drop).
            reasoning.append(M(
                "The unanswered requests are IKEv1 (Main or Aggressive Mode). A peer that accepts only IKEv2 may drop "
                "IKEv1 packets without any reply (libreswan does; strongSwan answers NO_PROPOSAL_CHOSEN), which looks "
                "the same: check that both sides allow the same IKE "
                "version (the AWS tunnel options allow IKEv1 and IKEv2 unless they were restricted)."
            ))
            if {e.exchange for e in evs} == {"AGGRESSIVE_MODE"}:
                # RFC 2409 section 5.4: the responder's first Aggressive Mode message already carries its
                # authentication (HASH_R or a signature), so a responder with no key for the initiator's identity
                # cannot build it (libreswan's test ikev1-aggr-psk: road's pre-shared key missing on east).
                reasoning.append(M(
                    "In Aggressive Mode the responder's first answer already carries its authentication, made with "
                    "the pre-shared key for this side's identity: a responder that has no key (or a different "
                    "identity) for this side may stay silent too (libreswan does). Check the identity this side "
                    "sends and the key the peer has for it."
                ))
        reasoning += _also(cats, first)
        summary = M("The peer does not answer IKE: a reachability problem.")
        if evs[0].values.get("answers_lost"):
            summary = M("The peer's IKE_AUTH requests arrive, but this side's answers do not reach it: the path drops "
                        "them.")
        elif evs[0].values.get("snapshot") and len(evs) == 1:
            summary = M("The status shows this side still waiting for the peer's first answer: most likely reachability.")
        elif restarts or waited:
            summary = M("The peer's first IKE message arrives, but the exchange never gets past this side's first "
                        "reply: the path loses one direction.")
        earlier = set(evs[0].values.get("_first_reply_orders", ()))
        lead = [e for e in events if e.order in earlier] if restarts else None
        return _primary(first, summary, reasoning, context[first], lead=lead)

    if "rekey_issue" in cats:
        evs = cats["rekey_issue"]
        reasoning = [
            M("Line {line}: rekeying went wrong ({count}×): a collision, a failed rekey or SAs out of step.",
              line=evs[0].line, count=len(evs)),
        ]
        if any(e.kind == "rekey_collision" for e in evs):
            reasoning.append(M("Collisions are resolved by the protocol, but repeated ones point at matching lifetimes "
                               "and rekey margins on both sides, or a side that rekeys too eagerly."))
        stale = next((e for e in evs if e.notify in ("INVALID_SPI", "CHILD_SA_NOT_FOUND")
                      or _STALE_SPI.search(e.text)), None)
        if stale is not None:
            reasoning.append(M(
                "Line {line}: one side used an SA the other had already replaced or deleted (an unknown SPI): the two "
                "sides' SAs are out of step, typically after a rekey or a Delete one side did not get. Compare the "
                "lifetimes of both sides and check that Deletes and rekeys reach the peer.", line=stale.line,
            ))
        dup = next((e for e in evs if e.values.get("duplicate_kept")), None)
        if dup is not None:  # protocol: the peer deleted one of two IKE SAs of the connection that were up at once
            kept = dup.values["duplicate_kept"]
            reasoning.append(M(
                "Line {line}: the peer deleted IKE SA {name}[{deleted}] while IKE SA {name}[{kept}] of the same "
                "connection (up since line {kept_line}) stays up: both sides set up an IKE SA at the same time (a "
                "reauthentication or a rekey that crossed the peer's own), and the peer removed the duplicate. The "
                "Child SAs of the deleted IKE SA go with it: if traffic stops after this, the two sides did not keep the "
                "same Child SA. Let only one side reauthenticate or rekey first (a shorter lifetime on one side, or "
                "rekeying started by one side only), and compare the lifetimes of both sides.",
                line=dup.line, name=kept["name"], deleted=kept["deleted"], kept=kept["kept"],
                kept_line=kept["kept_line"]))
        # pluto's Quick Mode that times out or is dropped unanswered is read as a refusal (event ts_unacceptable), but
        # the line names no notify: no refusal is shown, only silence (the peer's answer is encrypted if it sent one).
        refusal = next((e for e in evs if _is_refusal(e) and not _silence_guess(e)), None)
        unanswered = next((e for e in evs if e.kind == "give_up"), None)
        silent = next((e for e in evs if _silence_guess(e)), None) if refusal is None else None
        if silent is not None and unanswered is None:
            reasoning.append(M(
                "Line {line}: the exchange that replaces an SA that was up got no acceptable answer (a refusal in IKEv1 "
                "Quick Mode is encrypted and may not show in this log), although the peer accepted the SA with the "
                "same configuration before. Look at what applies to rekeys only: the DH (PFS) group a rekey carries, "
                "the lifetimes, or selectors narrowed when the SA was set up; the peer's log names its refusal.",
                line=silent.line,
            ))
        if refusal is not None:
            notify = refusal.notify or ("TS_UNACCEPTABLE" if refusal.kind == "ts_unacceptable" else "NO_PROPOSAL_CHOSEN")
            if refusal.values.get("rekey_lost_line"):  # protocol: charon's pending rekey found its Child SA gone
                reasoning.append(M(
                    "Line {lost}: the rekey charon still had pending for a Child SA found the SA gone (it expired while "
                    "its rekey was being retried), and the CREATE_CHILD_SA that sets one up again was refused with "
                    "{notify} (line {line}). The first Child SA comes up in IKE_AUTH, which carries no DH (PFS) group; a "
                    "CREATE_CHILD_SA carries one whenever PFS is configured (AWS: the phase 2 DH groups), rekeys "
                    "included. Look at what applies to rekeys only: the PFS "
                    "group, the lifetimes, or selectors narrowed when the SA was set up.",
                    lost=refusal.values["rekey_lost_line"], line=refusal.line, notify=notify,
                ))
            elif refusal.values.get("set_up_again"):  # protocol: a CREATE_CHILD_SA after a Child SA was deleted
                reasoning.append(M(
                    "Line {line}: a Child SA of this IKE SA was deleted, and the CREATE_CHILD_SA that sets one up again "
                    "was refused with {notify}. The first Child SA comes up in IKE_AUTH, which carries no DH (PFS) "
                    "group; a CREATE_CHILD_SA carries one whenever PFS is configured (AWS: the phase 2 DH groups), rekeys "
                    "included. Look at what applies to rekeys only: the "
                    "PFS group, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            elif refusal.direction == "sent":
                reasoning.append(M(
                    "Line {line}: this side refused the peer's exchange that replaces the SA ({notify}). It accepted "
                    "the SA with the same configuration before, so look at what applies to rekeys only: the DH (PFS) "
                    "group a rekey carries, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            else:
                reasoning.append(M(
                    "Line {line}: the peer refused the exchange that replaces the SA with {notify}. It accepted the "
                    "SA with the same configuration before, so look at what applies to rekeys only: the DH (PFS) "
                    "group a rekey carries, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            pfs = pfs_groups(events, refusal)
            if pfs is not None:
                reasoning.append(M(
                    "The proposals listed before it differ in the DH group only: received {received}, configured "
                    "{configured}. The Child SA set up with the IKE SA carries no DH group, its rekey does: set the "
                    "same PFS group (AWS: the phase 2 DH group numbers) on both sides.",
                    received=pfs[0] or M("none"), configured=pfs[1] or M("none"),
                ))
        told = next((e for e in evs if e.notify in _NOTIFY_READINGS), None)
        if told is not None:
            reasoning.append(_notify_reading(told))  # (NO_ADDITIONAL_SAS: not about the rekey's settings)
        still = next((e for e in evs if e.values.get("still_unanswered")), None)
        if still is not None and unanswered is None and refusal is None:  # protocol.unanswered._rekey_still_unanswered
            reasoning.append(M(
                "Line {line}: this side's rekey request was sent again {count} times and got no answer up to the end "
                "of the log: the peer does not answer the exchange that replaces the SA (if it goes on, the daemon gives "
                "up and the SA expires). The peer answered when the SA was set up: read its log for that exchange, and "
                "compare the lifetimes and rekey settings of both sides.",
                line=still.line, count=still.values["still_unanswered"]))
        ended = next((e for e in evs if e.values.get("no_rekey_line")), None)
        if ended is not None:  # protocol: lib-quick-state-ended after oci-no-rekey
            reasoning.append(M(
                "Line {line}: the IPsec SA was deleted {age} seconds after it came up, and no newer SA replaced it; on "
                "line {said} this side said it would not rekey the connection itself. The SA reached its lifetime "
                "before the peer rekeyed it, so traffic stopped until the tunnel was set up again. Each side rekeys on its "
                "own lifetime, so the side whose lifetime ends first has to start the rekey: let this side rekey, or "
                "give the peer a shorter lifetime than this side's.",
                line=ended.line, age=ended.values.get("count", "?"), said=ended.values["no_rekey_line"]))
        not_done = next((e for e in evs if e.values.get("rekey_not_done")), None)
        if not_done is not None:  # protocol.rekeys._operator_rekey_unfinished
            reasoning.append(M(
                "Line {line}: the state listing still shows only SA #{serial} of connection {conn}, the one that was up "
                "before the rekey asked for on line {asked}, and no line names a newer SA of that connection: the rekey "
                "did not replace it. Read both sides' logs for that exchange (CREATE_CHILD_SA, or Quick Mode in IKEv1): a "
                "peer that does not answer it, or answers with something this side does not accept (selectors narrower "
                "or wider than the SA's, another PFS group), ends this way.",
                line=not_done.line, serial=not_done.values["rekey_serial"], conn=not_done.values["rekey_conn"],
                asked=not_done.values["rekey_not_done"]))
        if again:
            reasoning.append(M(
                "Line {line}: setting the SA up again after it expired met the same refusal, so the tunnel stays "
                "down until the rekey's difference is fixed.", line=again[0].line,
            ))
        restarted = next((e for e in evs if e.values.get("rekey_again")), None)
        if restarted is not None:  # protocol.rekeys._rekey_started_again
            reasoning.append(M(
                "Line {line}: a rekey started again before the one started on line {first} had set up its SA: that "
                "rekey got no usable answer, and the state it created reached its own lifetime while still being "
                "rekeyed. Read the peer's log for the CREATE_CHILD_SA it was sent; compare the lifetimes and rekey "
                "settings of both sides.", line=restarted.line, first=restarted.values["rekey_again"],
            ))
        dropped = next((e for e in evs if e.kind == "delete" and e.values.get("rekey_unanswered")), None)
        if dropped is not None and unanswered is None and refusal is None:
            # the first retransmission of the rekey the Delete cut short, in the same log
            waiting = next((e for e in events if e.kind == "retransmit" and e.category == "rekey_issue"
                            and e.stream == dropped.stream and e.order < dropped.order), None)
            reasoning.append(M(
                "Line {line}: the peer deleted the SA while this side's exchange to replace it was still unanswered "
                "(sent again since line {waiting}): the peer never answered the rekey, and its copy of the SA ended. "
                "Compare the lifetimes and rekey "
                "settings of both sides (AWS: phase 1 and phase 2 lifetimes, rekey margin time); a peer that answers "
                "liveness checks but not rekeys may expect to rekey itself.",
                line=dropped.line, waiting=waiting.line if waiting else dropped.line))
        cut = next((e for e in evs if e.values.get("larval_line")), None)
        if cut is not None and dropped is None and unanswered is None and refusal is None:  # protocol: pluto 5 larval
            reasoning.append(M(
                "Line {line}: the IKE SA ended while the Child SA this side was negotiating to replace the one that was "
                "up had no answer (pluto deleted it unfinished, \"larval\", at line {larval}): the rekey never "
                "completed. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and phase 2 lifetimes, "
                "rekey margin time); a peer that answers liveness checks but not rekeys may expect to rekey itself.",
                line=cut.line, larval=cut.values["larval_line"]))
        outlived = next((e for e in evs if e.values.get("expired_unanswered")), None)
        if outlived is not None and unanswered is None and refusal is None:  # protocol: lib-sa-expired
            reasoning.append(M(
                "Line {line}: the SA expired while it was still the newest of its connection, so nothing had replaced "
                "it, and its own request had been sent again unanswered since line {first}: the rekey that starts "
                "before the lifetime ends got no answer. Compare the lifetimes and rekey settings of both sides (AWS: "
                "phase 1 and phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not "
                "rekeys may expect to rekey itself.", line=outlived.line, first=outlived.values["expired_unanswered"]))
        expired = next((e for e in evs if e.values.get("expired_unreplaced")), None)
        if expired is not None and refusal is None and unanswered is None:  # protocol: swan-child-sa-hard-expired
            reasoning.append(M(
                "Line {line}: the Child SA reached its hard lifetime without being replaced, so it was closed and "
                "traffic stopped until an SA was set up again. Neither side rekeyed it in time: rekeying is off on this side "
                "(rekey_time = 0 in swanctl.conf, rekey=no in ipsec.conf), or an earlier rekey was refused or "
                "unanswered. Keep rekeying on, with this side's phase 2 lifetime no longer than the peer's (AWS: "
                "3,600 s by default), so that a rekey comes before either side's SA expires.", line=expired.line,
            ))
        if unanswered is not None and refusal is None and unanswered.values.get("replaced_ended"):
            reasoning.append(M(
                "Line {line}: the SA that the rekey on line {rekey} was to replace ended while that rekey was still "
                "being sent again, unanswered: the SA reached the end of its lifetime (or the peer dropped it) before "
                "its replacement came up. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and "
                "phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not rekeys may expect "
                "to rekey itself.", line=unanswered.line, rekey=unanswered.values["replaced_ended"],
            ))
        elif unanswered is not None and refusal is None:
            reasoning.append(M(
                "Line {line}: the exchange that replaces an SA that was up got no answer, although the peer answered "
                "when the SA was set up. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and "
                "phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not rekeys may expect "
                "to rekey itself.", line=unanswered.line,
            ))
        if rekey_first:
            consequence = min((e for v in liveness.values() for e in v), key=lambda e: e.order)
            if trouble is not None and consequence.order < rekey_failure.order and _later(consequence, trouble):
                # (the peer's log pasted first: its Delete or DPD comes before the failure line in the paste)
                reasoning.append(M(
                    "The timeouts, DPD or Deletes in the peer's log (line {line}) bear a time after this rekey was "
                    "first sent again unanswered (line {start}): they are its consequence, the SA that failed to rekey "
                    "expired, so the tunnel went down.", line=consequence.line, start=trouble.line))
            else:
                reasoning.append(M(
                    "The timeouts, DPD or Deletes after it (line {line}) are its consequence: the SA that failed to "
                    "rekey expired, so the tunnel went down.", line=consequence.line
                ))
        lead = _rekey_lead(events, evs[0])
        if dup is not None:  # the two IKE SAs that came up at once, shown before the Delete of one
            lead = [e for e in events if e.line in (kept["kept_line"], kept["deleted_line"]) and e.kind == "established"]
        elif lead:
            reasoning.insert(1, M("Line {line}: an SA was established before it, so what went wrong concerns an SA that "
                                  "worked, not a first negotiation.", line=lead[0].line))
        reasoning += _also(cats, "rekey_issue")
        return _primary("rekey_issue", M("Rekeying problem: collisions, failed rekeys or SAs out of step."), reasoning,
                        context["rekey_issue"], lead=lead + again)

    if declined := [e for e in cats.get("cgw_not_initiating", ()) if e.kind != "ike_ignored"]:
        # (fact sheet 1.5: with startup action add, the default, the customer gateway must initiate IKE; AWS
        # initiates only with startup action start, and only with IKEv2)
        evs = declined
        reasons = {str(e.values.get("reason") or "") for e in evs}
        reasoning = [M("Line {line}: this side was asked to bring the tunnel up and declined without sending anything "
                       "to the peer ({times}).", line=evs[0].line, times=Mn("{n} time", "{n} times", len(evs)))]
        if "gateway is in passive mode" in reasons:
            reasoning.append(M("The phase 1 is in passive mode: it only answers a peer that starts IKE. Turn passive "
                               "mode off on the customer gateway (FortiGate: set passive-mode disable on the phase 1 "
                               "interface)."))
        if "no policy configured" in reasons:
            reasoning.append(M("No firewall policy uses the tunnel interface, so the customer gateway does not start "
                               "the tunnel: add the policies that allow traffic to and from the tunnel interface."))
        reasoning.append(M("With the tunnel's startup action add (the default) AWS waits for the customer gateway to "
                           "start IKE, so nobody starts it and the tunnel stays down. With IKEv2 the startup action "
                           "start makes AWS initiate instead."))
        reasoning += _also(cats, "cgw_not_initiating")
        return _primary("cgw_not_initiating", M("The customer gateway declines to start IKE, and AWS waits for it: "
                                                "nobody brings the tunnel up."),
                        reasoning, context["cgw_not_initiating"])
    if "bgp_down" in cats:
        return _bgp_primary(cats["bgp_down"], context["bgp_down"], events)
    chosen = min(cats, key=lambda c: cats[c][0].order)
    evs = cats[chosen]
    title = D("category.title", categories()[chosen].title)
    return _primary(chosen, M("{title}.", title=title),
                    [M("Line {line}: {title}.", line=evs[0].line, title=_title(chosen))] + _also(cats, chosen),
                    context[chosen])


# Where the troubleshooter continues for a BGP reason that names one cause (else the category's question node).
BGP_TREE_NODES = {
    "bad_peer_as": "tunnel-down/d-bgp-asn",
    "hold_timer_expired": "tunnel-down/d-bgp-hold-timer",
    "send_hold_timer_expired": "tunnel-down/d-bgp-hold-timer",
    "connect_failed": "tunnel-down/d-bgp-hold-timer",
    "max_prefix": "tunnel-down/d-bgp-max-prefix",
    "admin_shutdown": "tunnel-down/d-bgp-shutdown",
    "admin_reset": "tunnel-down/d-bgp-shutdown",
    "config_change": "tunnel-down/d-bgp-shutdown",
    "no_policy": "no-traffic/d-bgp-policy",
    "treat_as_withdraw": "no-traffic/d-bgp-policy",
}
_ASN_KEYS = ("remote_asn", "local_asn", "expected_asn", "peer_open_asn", "configured_peer_asn", "own_open_asn")
_BGP_KEYS = ("bgp_reason", "bgp_notification", "bgp_error", "md5_set_error", "direction", "peer", "bgp_state",
             *_ASN_KEYS)


def _bgp_reason_text(reason: str, facts: dict[str, Any], line: int, aws: bool = False) -> list[Msg]:
    """What a BGP reason means and what to check, from the facts of the line that gave it."""
    error = facts.get("bgp_error") or facts.get("bgp_notification") or ""
    sent = facts.get("direction") == "sent"
    received = facts.get("direction") == "received"
    if reason == "bad_peer_as":
        # A customer gateway's own log (peer_open_asn / configured_peer_asn / own_open_asn), or AWS's log, which
        # says the same from the AWS side (remote_asn: the customer gateway's OPEN; expected_asn).
        remote = facts.get("peer_open_asn") or facts.get("remote_asn")
        expected = facts.get("configured_peer_asn") or facts.get("expected_asn")
        local = facts.get("own_open_asn")
        if remote and expected:
            first = M("Line {line}: the neighbor's OPEN carried AS {remote}, but AS {expected} is configured for it "
                      "(bad peer AS).", line=line, remote=remote, expected=expected)
        elif received and local:
            first = M("Line {line}: the neighbor refused this side's OPEN, which carried AS {asn}, with NOTIFICATION "
                      "2/2 (bad peer AS): the neighbor is configured with another AS for this side.", line=line, asn=local)
        elif remote:
            first = M("Line {line}: this side refused the neighbor's OPEN, which carried AS {asn}, with NOTIFICATION "
                      "2/2 (bad peer AS): another AS is configured for the neighbor here.", line=line, asn=remote)
        else:
            first = M("Line {line}: an OPEN was refused with NOTIFICATION 2/2 (bad peer AS): the AS a side announces "
                      "is not the AS the other side has configured for it.", line=line)
        return [first, M("Make the ASNs agree: the customer gateway device must use the BGP ASN of the customer gateway "
                         "resource, and its neighbor statements must name the Amazon-side ASN (64512 unless another "
                         "was set).")]
    if reason == "open_error":
        if not error:  # the line names the refused parameter in its own words, not a NOTIFICATION
            return [M("Line {line}: an OPEN was refused: the two sides disagree on a session parameter (router ID, "
                      "hold time, capabilities or address families). Compare the neighbor settings of both sides.",
                      line=line)]
        return [M("Line {line}: an OPEN was refused ({error}): the two sides disagree on a session parameter (router "
                  "ID, hold time, capabilities or address families). Compare the neighbor settings of both sides.",
                  line=line, error=error)]
    if reason in ("hold_timer_expired", "send_hold_timer_expired"):
        if reason == "send_hold_timer_expired":
            first = M("Line {line}: the neighbor stopped reading what this side sends (nothing left the send queue "
                      "for a hold time), so the session was closed.", line=line)
        elif sent:
            first = M("Line {line}: this side's hold timer expired: no KEEPALIVE or UPDATE came from the neighbor "
                      "within the hold time, so this side closed the session.", line=line)
        elif received:
            first = M("Line {line}: the neighbor's hold timer expired: it got nothing from this side within the "
                      "hold time and closed the session.", line=line)
        else:
            first = M("Line {line}: the hold timer expired: no KEEPALIVE or UPDATE arrived within the hold time.",
                      line=line)
        return [first, M("Over a VPN this means the tunnel stopped carrying BGP for a while (IPsec down or rekeying, "
                         "a firewall dropping TCP 179, the tunnel interface down), or one side was too busy to send "
                         "keepalives. AWS's example configurations use keepalive 10 s and hold time 30 s.")]
    if reason == "peer_not_configured":
        if not (error or facts.get("bgp_state")):
            return [M("Line {line}: the session was refused because one side has no neighbor configured for the "
                      "other. Check that each side's neighbor address is the other side's inside tunnel address, "
                      "and that the neighbor is configured and enabled on both sides.", line=line)]
        return [M("Line {line}: the session was refused because one side has no neighbor configured for the other "
                  "({error}). Check that each side's neighbor address is the other side's inside tunnel address, "
                  "and that the neighbor is configured and enabled on both sides.", line=line,
                  error=error or facts.get("bgp_state", ""))]
    if reason == "peer_closed_after_open":
        return [M("Line {line}: the neighbor closed the TCP connection right after this side's OPEN, without a "
                  "NOTIFICATION: it does not accept this session. Check the neighbor's side: a neighbor statement "
                  "for this side's address, the AS it expects for this side, and a TCP MD5 password if one is set.",
                  line=line)]
    if reason == "tcp_auth":
        if facts.get("md5_set_error"):
            return [M("Line {line}: this side could not set the BGP password (TCP MD5) on its socket, so it cannot "
                      "check the digest the neighbor's connections carry and the session does not come up. The "
                      "operating system refused it ({error}). With "
                      "many MD5 neighbors on Linux, an out-of-memory error here is most often the socket option "
                      "memory (net.core.optmem_max) running out.", line=line, error=facts["md5_set_error"])]
        return [M("Line {line}: the TCP MD5 (or TCP-AO) digest of the BGP connection is missing or wrong: set the "
                  "same BGP password on both sides, or none on both.", line=line)]
    if reason == "daemon_crash" and error and not error.startswith("signal "):
        return [M("Line {line}: the BGP daemon stopped on a fatal error ({error}), so every BGP session of this router "
                  "is down until it is started again. The lines just before it say what failed; if they name no "
                  "configuration or system problem, look for a fixed release.", line=line, error=error)]
    if reason == "daemon_crash":
        return [M("Line {line}: the BGP daemon itself crashed ({error}), so every BGP session of this router dropped "
                  "at once and its routes were withdrawn. That is a software fault, not the tunnel or the neighbor: "
                  "keep the backtrace that follows the line for the vendor, and look for a fixed release.",
                  line=line, error=error or "")]
    if reason == "connection_refused":
        return [M("Line {line}: the TCP connection to the neighbor's port 179 was refused: nothing accepts BGP from "
                  "this side at that address (the neighbor is not configured or not running there, or a firewall "
                  "rejects it). Daemons retry such connections while the neighbor starts; here the session never "
                  "came up.", line=line)]
    if reason == "connect_failed":
        return [M("Line {line}: the TCP connection to the neighbor's port 179 got no answer: the path does not carry "
                  "it (tunnel down, no route to the inside address, a firewall dropping TCP 179). Daemons retry "
                  "such connections while the neighbor starts; here the session never came up.", line=line)]
    if reason == "no_afi_activated":
        return [M("Line {line}: the neighbor has no address family activated on this side (FRR: \"No AFI/SAFI "
                  "activated for peer\"), so no session can run with it. With \"no bgp default ipv4-unicast\" a "
                  "neighbor must be activated in its address family: under address-family ipv4 unicast, \"neighbor "
                  "... activate\" (VyOS: set protocols bgp neighbor ... address-family ipv4-unicast).", line=line)]
    if reason == "no_policy":
        return [M("Line {line}: the session is up, but FRR exchanges no routes with this eBGP neighbor: with \"bgp "
                  "ebgp-requires-policy\" (RFC 8212; FRR's default outside its datacenter profile) an eBGP neighbor "
                  "needs an inbound and an outbound policy, and without them no routes are accepted or announced "
                  "(\"(Policy)\" in show bgp summary). Apply a route-map in both directions (neighbor ... route-map "
                  "NAME in / out), or turn the check off with \"no bgp ebgp-requires-policy\" and clear the session.",
                  line=line)]
    if reason == "treat_as_withdraw":
        return [M("Line {line}: the session stays up, but this side could not parse an attribute of the neighbor's "
                  "UPDATE and treated its routes as withdrawn (RFC 7606), so those routes are missing. One side "
                  "encodes the attribute in a way the other does not accept (the line names it): look for a fixed "
                  "release of either side, or stop sending that attribute.", line=line)]
    if reason == "rtt_exceeded":
        return [M("Line {line}: FRR shut the session down by itself: the round-trip time to the neighbor stayed over "
                  "the limit set with \"neighbor ... shutdown rtt\" (it lists the reset as \"Admin. shutdown (RTT)\"), "
                  "and it stays shut down until someone enables it again. Find out why the path is slow (a congested "
                  "or rerouted tunnel, the internet path under the VPN), then enable the neighbor again (no neighbor "
                  "... shutdown) or raise the limit.", line=line)]
    if reason == "local_address":
        return [M("Line {line}: this side cannot use its own address for the session: the address is not configured "
                  "on this host, or another BGP speaker on it already holds the address and port 179 (a socket it "
                  "cannot bind), or it has no address of the session's family on the interface to give as next hop. "
                  "Check the local address the session uses (update-source, the node's detected address) and that "
                  "only one BGP daemon runs on the host.", line=line)]
    if reason == "never_established":
        return [M("Line {line}: the neighbor's session goes through the states before Established and never "
                  "reaches it in this log. This side's log does not say why: the neighbor's log does (a refused OPEN: "
                  "AS numbers, router ID, neighbor address or password), or TCP 179 does not get through between "
                  "the two.", line=line)]
    if reason == "peer_closed":
        return [M("Line {line}: the neighbor closed or reset the TCP connection without a NOTIFICATION: it "
                  "restarted or dropped the session, or the path broke (tunnel down, a firewall or NAT dropping "
                  "the connection).", line=line)]
    if reason == "collision" and facts.get("bgp_collisions"):
        return [M("Line {line}: the neighbor's connections are closed by connection collision resolution again and "
                  "again (Cease 6/7, {count} times) and the session never comes up: each time both sides open a "
                  "connection at once and no connection survives. Check that both sides use the same pair of "
                  "addresses for the session and that the two BGP identifiers (router IDs) differ, and let only one "
                  "side open the connection (make the other passive).", line=line, count=facts["bgp_collisions"])]
    if reason == "collision":
        return [M("Line {line}: both sides opened a BGP connection at once and the protocol closed one of the two "
                  "(Cease 6/7, connection collision resolution): normal while a session starts, nothing to fix unless "
                  "it repeats and the session never stays up.", line=line)]
    if reason == "graceful_restart":
        return [M("Line {line}: the session dropped while graceful restart (RFC 4724) keeps the neighbor's routes "
                  "until it is back: the neighbor restarted its BGP, or the connection broke (some daemons, GoBGP "
                  "among them, log a hold timer expiry or a lost connection this way when graceful restart is on). "
                  "Look at the neighbor's BGP and at the tunnel carrying it.", line=line)]
    if reason == "restart_timeout":
        return [M("Line {line}: the neighbor did not come back within its graceful restart time, so the routes kept "
                  "for it are withdrawn. Look at why its BGP did not return: the tunnel carrying it, or the "
                  "neighbor's BGP daemon.", line=line)]
    if reason in bgp.ON_PURPOSE:
        return [M("Line {line}: the session was reset or shut down on purpose ({error}) and does not come back up in "
                  "this log: check that the neighbor was enabled again and that the configuration change is "
                  "complete on both sides.", line=line, error=error or bgp.REASON_WORDS.get(reason, reason))]
    if reason == "max_prefix":
        # AWS quotas (facts sheet): a VPN connection accepts at most 100 routes from the customer gateway and
        # advertises up to 1,000 to it; neither can be increased. A prefix limit closes the session with Cease 6/1
        # (RFC 4486), also where the line shows no NOTIFICATION.
        error = error or bgp.meaning(6, 1)
        if aws and sent:  # AWS's own log: AWS counted the customer gateway's prefixes
            return [M("Line {line}: AWS's maximum-prefix limit was exceeded by the routes the customer gateway "
                      "advertised, so AWS closed the session ({error}). AWS accepts at most 100 routes per VPN "
                      "connection from the customer gateway (a limit that cannot be raised): advertise fewer "
                      "(summarise) from the customer gateway.", line=line, error=error)]
        if aws and received:  # AWS's own log: the customer gateway sent the NOTIFICATION
            return [M("Line {line}: the customer gateway's maximum-prefix limit for AWS was exceeded by the routes AWS "
                      "advertised, so the customer gateway closed the session ({error}). AWS advertises up to 1,000 "
                      "routes to a customer gateway: raise the customer gateway's maximum-prefix limit for the AWS "
                      "neighbor above the number of routes AWS sends, or filter what it accepts.", line=line,
                      error=error)]
        if sent:
            return [M("Line {line}: this side's maximum-prefix limit for the neighbor was exceeded by the routes the "
                      "neighbor advertised, so this side closed the session ({error}). AWS advertises up to 1,000 "
                      "routes to a customer gateway: raise this neighbor's maximum-prefix limit on the customer "
                      "gateway above the number of routes AWS sends, or filter what it accepts.", line=line,
                      error=error)]
        if received:
            return [M("Line {line}: the neighbor's maximum-prefix limit was exceeded by the routes this side "
                      "advertised, so the neighbor closed the session ({error}). AWS accepts at most 100 routes per "
                      "VPN connection from the customer gateway (a limit that cannot be raised): advertise fewer "
                      "(summarise) from the customer gateway.", line=line, error=error)]
        return [M("Line {line}: more prefixes arrived than the configured maximum, so the session was closed "
                  "({error}). AWS accepts at most 100 routes per VPN connection from the customer gateway, and "
                  "advertises up to 1,000 to it: if AWS closed it, advertise fewer (summarise); if the customer "
                  "gateway closed it, raise its maximum-prefix limit for the AWS neighbor.", line=line, error=error)]
    if reason in ("interface_down", "bfd_down"):
        return [M("Line {line}: the interface, the path or BFD toward the neighbor went down first: look at the "
                  "tunnel interface and IPsec before BGP.", line=line)]
    if reason in ("update_error", "message_error", "fsm_error"):
        return [M("Line {line}: a BGP message was refused as malformed or unexpected ({error}): a software or "
                  "attribute problem on one side; the NOTIFICATION's data names what was wrong.", line=line,
                  error=error)]
    return [M("Line {line}: a NOTIFICATION closed the session; the line does not say which error.", line=line)]


def _bgp_recovery(events: list[Event]) -> Callable[[Event], bool]:
    """Whether the same neighbor's session came up after a BGP down line (`same_bgp_peer`: the same address, or a
    line that names none), answered from the latest Up per neighbor rather than a pass over every event per line."""
    by_peer: dict[str, int] = {}
    unnamed = latest = -1
    for e in events:
        if e.kind == "bgp_up":
            peer = bgp_peer(e)
            if peer:
                by_peer[peer] = max(by_peer.get(peer, -1), e.order)
            else:
                unnamed = max(unnamed, e.order)
            latest = max(latest, e.order)

    def recovered(ev: Event) -> bool:
        peer = bgp_peer(ev)
        return (max(by_peer.get(peer, -1), unnamed) if peer else latest) > ev.order

    return recovered


# Down reasons that, before a graceful-restart line of the same episode, are what happened: the daemon handles the
# loss as a restart (keeps the routes), but the session was lost to a fault: a hold timer, or an error in what the
# neighbor sent, whose NOTIFICATION keeps graceful restart's routes under RFC 8538 (OpenBGPD after "error in UPDATE
# message": "graceful restart of IPv4 unicast, keeping routes").
_GR_AFTER_FAULT = frozenset({"hold_timer_expired", "send_hold_timer_expired", "update_error", "message_error",
                             "fsm_error"})


def _bgp_graceful(events: list[Event]) -> Callable[[Event], bool]:
    """Whether a BGP down line is part of its neighbor's graceful restart (RFC 4724): between the neighbor's last Up
    and its next one, a line says the neighbor restarts gracefully (BIRD "Neighbor graceful restart detected", GoBGP's
    down reason "graceful-restart", FRR "NSF peer closed the session") and none says the restart time ran out (BIRD
    "graceful restart timeout", GoBGP "graceful restart timer expired"). The routes are kept meanwhile: the session
    going down is the restart itself, not an outage."""
    reasons = [(e, bgp.read(e.text).get("bgp_reason")) for e in events if e.kind in ("bgp_down", "bgp_up")]
    restarts = [e for e, reason in reasons if reason == "graceful_restart"]
    if not restarts:
        return lambda ev: False
    # The latest restart timeout per neighbor ("" for a line that names none: it may be any neighbor's), and the Ups
    # in order: each restart's episode (from the neighbor's last Up before it to its next one) is found once.
    expired: dict[str, int] = {}
    for e, reason in reasons:
        if reason == "restart_timeout":
            expired[bgp_peer(e)] = max(expired.get(bgp_peer(e), -1), e.order)
    ups: dict[str, list[int]] = {}  # the orders of the Ups per neighbor ("" for a line that names none)
    for e in events:
        if e.kind == "bgp_up":
            ups.setdefault(bgp_peer(e), []).append(e.order)
    for orders in ups.values():
        orders.sort()
    every_up = sorted(order for orders in ups.values() for order in orders)
    # Per restarting neighbor, its episodes as (after, before) orders, sorted; one neighbor's episodes do not overlap.
    episodes: dict[str, list[tuple[int, int]]] = {}
    for gr in restarts:
        peer = bgp_peer(gr)
        last_timeout = max(expired.values(), default=-1) if not peer else max(expired.get(peer, -1),
                                                                              expired.get("", -1))
        if last_timeout > gr.order:
            continue  # the restart time ran out: the session is down
        lo, hi = -1, 1 << 62
        for orders in ((ups.get(peer, []), ups.get("", [])) if peer else (every_up,)):
            k = bisect.bisect_left(orders, gr.order)
            lo = max(lo, orders[k - 1]) if k else lo
            hi = min(hi, orders[k]) if k < len(orders) else hi
        if any(lo < e.order < gr.order and reason in _GR_AFTER_FAULT and same_bgp_peer(e, gr)
               for e, reason in reasons):
            # A fault came first (_GR_AFTER_FAULT): BIRD (proto/bgp/bgp.c bgp_hold_timeout with long-lived graceful
            # restart), GoBGP (pkg/server/fsm.go) and OpenBGPD then keep the routes as for a restart, but nothing
            # restarted.
            continue
        episodes.setdefault(peer, []).append((lo, hi))
    for spans in episodes.values():
        spans.sort()

    def within(spans: list[tuple[int, int]], order: int) -> bool:
        k = bisect.bisect_left(spans, (order, -1)) - 1  # the last episode starting before the line
        return k >= 0 and spans[k][1] > order

    def graceful(ev: Event) -> bool:
        peer = bgp_peer(ev)
        peers = (peer, "") if peer else tuple(episodes)  # (same_bgp_peer: a line naming none may be any neighbor's)
        return any(within(episodes[p], ev.order) for p in peers if p in episodes)

    return graceful


# Reasons that only say the session's TCP connection went away or did not come up, not why.
_BGP_SYMPTOMS = frozenset({None, "peer_closed", "connection_refused", "connect_failed", "never_established"})


_Read = list[tuple[Event, dict[str, Any]]]


def _bgp_reason_in_context(read: _Read, every: list[Event], firm: list[Event],
                           facts: dict[int, dict[str, Any]]) -> tuple[_Read, str | None]:
    """The reason the lines give (`bgp.best` of the lines read), where other lines of the paste say what a reason
    really was: the other side's refusal behind a connection one side only saw closed, a daemon that stopped on
    purpose behind its neighbors deleted or its processes orphaned, a shutdown behind the connections reset after it.
    Returns the lines the reason rests on, and the reason."""

    def by(name: str | None) -> list[Event]:
        return [e for e in every if facts[id(e)].get("bgp_reason") == name]

    def instead(old: set[str | None], new: list[Event]) -> _Read:
        """`read` with the lines of the `old` reasons replaced by the `new` lines."""
        return [(e, f) for e, f in read if f.get("bgp_reason") not in old] + [(e, facts[id(e)]) for e in new
                                                                               if all(e is not r for r, _ in read)]

    reason = bgp.best([f.get("bgp_reason", "") for _, f in read])
    if reason in _BGP_SYMPTOMS and len({e.stream for e in every}) > 1:
        # Two sides pasted: one side only saw its connection closed or refused, the other says why, on a line that
        # alone is weak (BIRD's "Unexpected connect from unknown address"): the other side's reason explains it.
        why = [e for e in every if e not in firm and facts[id(e)].get("bgp_reason") in bgp.MISMATCH
               and all(e.stream != f.stream for f in firm)]
        if why:
            read = instead(set(), why)
    reason = bgp.best([f.get("bgp_reason", "") for _, f in read])
    own = [e for e, f in read if f.get("bgp_reason") == reason]
    stop = by("admin_shutdown")
    if reason == "config_change" and stop and all(
            bgp.DELETED_ON_STOP.search(e.text) and any(x.order < e.order for x in stop) for e in own):
        # FRR's bgpd stopping on a signal deletes every neighbor: the daemon stopped, no configuration changed
        read = instead({"config_change"}, stop)
    elif reason == "daemon_crash" and stop and all(bgp.ORPHANED.search(e.text) for e in own):
        # OpenBGPD's processes lose their parent when bgpd is stopped on purpose ("waiting for children to terminate"
        # comes first): the daemon stopped, it did not crash
        read = instead({"daemon_crash"}, stop)
    elif reason in _BGP_SYMPTOMS and stop and all(
            any(x.order < e.order and same_bgp_peer(e, x) for x in stop) for e, f in read
            if f.get("bgp_reason") in _BGP_SYMPTOMS):
        # Connections closed or refused after one side shut the neighbor down (Cease 6/2 sent or received) are that
        # shutdown: a shut-down neighbor resets every new connection until it is enabled again
        read = instead(set(_BGP_SYMPTOMS), stop)
    return read, bgp.best([f.get("bgp_reason", "") for _, f in read])


def _bgp_primary(evs: list[Event], chain: list[Event], events: list[Event]) -> Primary:
    """The BGP session is down: which reason the lines give (see `lab.analyzer.bgp`) and what to check. A down the
    same neighbor recovered from is left out (a connection refused while the neighbor starts, the other tunnel's
    reset), unless every down recovered: then the session flaps and the downs are why. The reason comes from the
    decisive lines first, the weak ones only when no line is decisive."""
    every = sorted({id(e): e for e in evs + chain if e.kind == "bgp_down"}.values(), key=lambda e: e.order)
    recovered = _bgp_recovery(events)
    standing = [e for e in every if not recovered(e)]
    pool = standing or every
    # (a weak line that the session is down now before a line of history: a listing's last reset of a neighbor it
    # shows established)
    firm = ([e for e in pool if e.weight == "decisive"] or [e for e in pool if e.weight != "context"] or pool)
    facts = {id(e): facts_of(e) for e in every}  # (firm is part of every: each line's facts are read once)
    read = [(ev, facts[id(ev)]) for ev in firm]
    # This side shut the neighbor down (Cease 6/2 sent, a summary row "Idle(Admin)"): the Cease / Connection Rejected
    # it sends to the neighbor's next attempts is that shutdown (RFC 4486 section 4: a speaker that decides to
    # disallow a connection sends it), not a neighbor missing from the configuration.
    shut = [e for e in every if facts[id(e)].get("bgp_reason") == "admin_shutdown"
            and facts[id(e)].get("direction") != "received"]
    read = [next(((s, facts[id(s)]) for s in reversed(shut) if s.order < e.order and same_bgp_peer(e, s)), (e, f))
            if f.get("bgp_reason") == "peer_not_configured" and f.get("bgp_notification") == "6/5"
            and f.get("direction") == "sent" else (e, f) for e, f in read]
    read, reason = _bgp_reason_in_context(read, every, firm, facts)
    if reason is None and (named_lines := [(e, facts[id(e)]) for e in pool if facts[id(e)].get("bgp_reason")
                                           and e.weight != "context" and same_bgp_peer(e, firm[0])]):
        # The decisive lines say only that the session went down (BIRD's "BGP session closed", "State changed to
        # start"); a line of the same down names why (its "Sending NOTIFICATION(code=6.3)"): that is the reason.
        # (Not a line of history, as a listing's last reset of an established neighbor, nor another neighbor's.)
        read = named_lines
        reason = bgp.best([f.get("bgp_reason", "") for _, f in read])
    # The neighbor whose down names the reason (else the first one's): its downs are counted, its Up says it flaps.
    named = next((e for e, f in read if f.get("bgp_reason") == reason), firm[0]) if reason else firm[0]
    downs = [e for e in pool if same_bgp_peer(e, named)]
    never_up = reason == "never_established" or (reason == "collision" and any(
        f.get("bgp_collisions") for _, f in read))
    lines = Mn("{n} line", "{n} lines", len(downs))
    if never_up:
        first = M("Line {line}: the BGP session did not come up ({lines}).", line=downs[0].line, lines=lines)
    elif reason == "no_policy":  # (the session is up: its routes are what is missing)
        first = M("Line {line}: the BGP session exchanges no routes ({lines}).", line=downs[0].line, lines=lines)
    elif reason == "treat_as_withdraw":
        first = M("Line {line}: routes of the BGP session were treated as withdrawn ({lines}).", line=downs[0].line,
                  lines=lines)
    elif all(bgp_listing_line(e) for e in downs):  # a status listing: the state now and why it last went down
        first = M("Line {line}: the listing shows the BGP session down ({lines}).", line=downs[0].line, lines=lines)
    else:
        first = M("Line {line}: the BGP session went down ({count}×).", line=downs[0].line, count=len(downs))
    reasoning: list[Msg] = [first]
    extra: dict[str, Any] = {}
    if reason:
        ev, facts = next((e, f) for e, f in read if f.get("bgp_reason") == reason)
        # The facts of the line that names the reason, and its NOTIFICATION's code and direction, win over the
        # other lines' (a two-sided paste shows the same refusal from both sides).
        for key in _BGP_KEYS:
            if key in facts:
                extra[key] = facts[key]
        reasoning += _bgp_reason_text(reason, facts, ev.line, aws=ev.fmt.startswith("aws"))
    no_routes = reason in bgp.NO_ROUTES
    if no_routes:
        reasoning.append(M("No IKE or IPsec failure was seen: the tunnel and the BGP session are up, and the routes "
                           "are what is missing. Check the accepted route count of each tunnel on the AWS side."))
    else:
        reasoning.append(M("No IKE or IPsec failure was seen, so the tunnel itself is likely up: look at BGP (ASN, "
                           "neighbor addresses on the inside CIDR, hold timer, TCP 179 through the customer gateway's "
                           "firewall)."))
    # (a session that stays up does not flap: an Up line after the policy warning is a session cleared or restarted)
    ups = [] if no_routes else [e for e in events if e.kind == "bgp_up" and e.order > named.order
                                and same_bgp_peer(e, named)]
    if ups and reason in bgp.REASON_WORDS:
        reasoning.append(M("The session came up again at line {line}: it flaps, and the reason above is why it went "
                           "down.", line=ups[-1].line))
    elif ups and reason is None:
        reasoning.append(M("The session came up again at line {line}: it flaps. The lines do not say why it went "
                           "down: look at the neighbor's log and at the path between the two (keepalives, TCP 179) "
                           "around that time.", line=ups[-1].line))
    summary = {
        "bad_peer_as": M("BGP is down: the two sides' AS numbers do not match (bad peer AS)."),
        "hold_timer_expired": M("BGP is down: the hold timer expired, keepalives did not get through."),
        "send_hold_timer_expired": M("BGP is down: the neighbor stopped reading what this side sends."),
        "rtt_exceeded": M("BGP is down: FRR shut the session down because the round-trip time stayed over its limit."),
        "no_afi_activated": M("BGP is down: no address family is activated for the neighbor."),
        "no_policy": M("BGP exchanges no routes: the eBGP neighbor has no import or export policy (RFC 8212)."),
        "treat_as_withdraw": M("BGP is up but drops the neighbor's routes: an attribute of its UPDATE could not be "
                               "parsed (RFC 7606)."),
        "peer_not_configured": M("BGP is down: one side has no neighbor configured for the other."),
        "open_error": M("BGP is down: an OPEN was refused, the two sides disagree on a session parameter."),
        "peer_closed_after_open": M("BGP is down: the neighbor closes the connection after this side's OPEN."),
        "connection_refused": M("BGP is down: the TCP connection to port 179 is refused."),
        "connect_failed": M("BGP is down: the TCP connection to port 179 gets no answer."),
        "local_address": M("BGP does not come up: this side cannot use its own address for the session."),
        "never_established": M("BGP does not come up: the session never reaches Established."),
        "collision": M("BGP does not come up: connection collisions close every connection to the neighbor."),
        "max_prefix": M("BGP is down: a maximum-prefix limit was exceeded and the session was closed."),
        "admin_shutdown": M("BGP is down: the session was shut down on purpose and is not back up."),
        "admin_reset": M("BGP is down: the session was reset on purpose and is not back up."),
        "config_change": M("BGP is down: a configuration change reset or removed the session, and it is not back up."),
        "bfd_down": M("BGP is down: BFD declared the neighbor down."),
        "graceful_restart": M("BGP went down: the session dropped while graceful restart kept the neighbor's routes."),
        "restart_timeout": M("BGP is down: the neighbor did not come back within its graceful restart time."),
        "interface_down": M("BGP is down: the interface or the route to the neighbor went away."),
        "daemon_crash": M("BGP is down: the BGP daemon crashed, and every session dropped with it."),
        "tcp_auth": M("BGP is down: the BGP password (TCP MD5) is missing, wrong or could not be set on one side."),
        "peer_closed": M("BGP is down: the neighbor closed or reset the TCP connection of the session."),
        "update_error": M("BGP is down: an UPDATE was refused as malformed (a route or an attribute), which closed the "
                          "session."),
        "message_error": M("BGP is down: a BGP message could not be parsed, which closed the session."),
        "fsm_error": M("BGP is down: a BGP message arrived in a state that does not expect it (FSM error), which "
                       "closed the session."),
        "notification": M("BGP is down: a NOTIFICATION closed the session; the line does not give its error code."),
    }.get(reason or "", M("BGP is down while IPsec shows no failure."))
    if ups and reason in bgp.REASON_WORDS:
        # the session is up at the end of the lines: it flaps, and the reason is why it went down, not its state now
        summary = M("BGP flaps: it went down and came up again at line {line}. Why it went down: {reason}.",
                    reason=bgp.REASON_WORDS[reason], line=ups[-1].line)
    elif ups and reason is None:
        summary = M("BGP flaps: it went down and came up again at line {line}. The lines do not say why it went down.",
                    line=ups[-1].line)
    primary = _primary("bgp_down", summary, reasoning, chain, extra)
    if reason:
        # Only the line that names the reason says which side announced which AS; the session's state, error and
        # NOTIFICATION come from the lines that stand (not a down the session came back from, nor a process that
        # only lost its parent as the daemon stopped).
        # (Nor another neighbor's lines of the same listing: its history names no cause of this neighbor's down.)
        down_peer = str(primary.facts.get("peer") or "")
        standing_facts = _merge_facts([e for e in chain if not (e.kind == "bgp_down" and recovered(e)) and not (
            reason != "daemon_crash" and bgp.ORPHANED.search(e.text)) and not (
            down_peer and bgp_peer(e) and bgp_peer(e) != down_peer)])
        facts = {k: extra.get(k, standing_facts.get(k, v)) for k, v in primary.facts.items()
                 if (k not in _ASN_KEYS or k in extra) and (k not in _BGP_KEYS or k in extra or k in standing_facts)}
        primary = dataclasses.replace(primary, facts=facts)
    else:
        # No line of this down says why: a reason, NOTIFICATION or AS read elsewhere (another neighbor's history in a
        # listing, a down it came back from) is not said of it.
        kept = {k: v for k, v in primary.facts.items()
                if k not in ("bgp_reason", "bgp_notification", "bgp_error", "direction", *_ASN_KEYS)
                or any(k in facts[id(e)] for e in downs)}  # (the lines' facts, read once above)
        primary = dataclasses.replace(primary, facts=kept)
    if no_routes:
        primary = dataclasses.replace(primary, title=category_title("bgp_down", {"bgp_reason": reason}))
    node = BGP_TREE_NODES.get(reason or "")
    return dataclasses.replace(primary, tree_node=node) if node else primary
