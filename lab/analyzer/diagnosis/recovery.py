"""What came after a failure and what went with it: an SA set up again, a collision the protocol resolved, a
BGP session back up, a refusal and then silence, ESP for an SA that is gone, the version the other side used, and
where the trouble before a failed rekey started."""

from __future__ import annotations

import re

from lab.analyzer import bgp
from lab.analyzer.diagnosis.bgp_cause import _bgp_graceful, _bgp_recovery
from lab.analyzer.protocol import (
    LISTING_PATTERNS,
    NOTIFY_MEANING,
    Event,
    conn_of,
    facts_of,
    name_value,
    same_bgp_peer,
    stamp_kind,
    tunnel_name,
)
from lab.analyzer.protocol.events import later as _later
from lab.analyzer.protocol.names import CHARON_IKE_SA_REKEYED
from lab.analyzer.protocol.streams import _REVIVALS, _serial_of
from lab.analyzer.protocol.versions import first_request_version
from lab.i18n import M

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
    if not evs:
        return []
    known = {facts_of(e).get("peer") for e in events if e.pattern not in _STRAY_ESP_PATTERNS} - {None}
    unknown = [e for e in evs if facts_of(e)["peer"] not in known]
    return unknown if len({facts_of(e)["peer"] for e in unknown}) >= 2 else []


# pluto names the peer of a template's instance after the connection: '"ikev2-cp"[2] 106.121.9.95 #3: ...'
_PLUTO_INSTANCE_PEER = re.compile(r'"[^"\n]+"\[\d+\] ([0-9a-fA-F.:]{3,})\b')
# What a scan of UDP ports 500 and 4500 from the Internet gets as much as a peer does: pluto's refusal of an IKEv1 Main
# Mode request no connection is configured for, and its "has no Non-ESP marker" / "too small packet (1)" for a packet
# to port 4500 without the marker.
_PROBE_PATTERNS = frozenset({"lib-no-connection-authorized", "lib-esp-in-udp-reaches-pluto"})


def stray_probes(events: list[Event]) -> list[Event]:
    """Single packets to UDP port 500 or 4500 that were refused or dropped, each from an address that sent only one
    and that no other line names, in a log whose other lines are about other peers: scans from the Internet, not a
    tunnel's peer. A paste of such lines alone keeps them (it is about the tunnel the engineer is looking at)."""
    evs = [e for e in events if e.pattern in _PROBE_PATTERNS and facts_of(e).get("peer")]
    if not evs:
        return []
    known = {facts_of(e).get("peer") for e in events if e.pattern not in _PROBE_PATTERNS} - {None}
    known |= {m.group(1) for e in events if (m := _PLUTO_INSTANCE_PEER.search(e.text))}
    if not known:
        return []
    sent: dict[object, int] = {}
    for e in evs:
        sent[facts_of(e)["peer"]] = sent.get(facts_of(e)["peer"], 0) + 1
    return [e for e in evs if (src := facts_of(e)["peer"]) not in known and sent[src] < 2]


def unmatched_esp(events: list[Event]) -> list[Event]:
    """ESP that the device says matched no tunnel at all (FortiOS's unknown-SPI event with vpntunnel "N/A")."""
    return [e for e in events if e.kind == "unmatched_esp"]


def tunnel_peers(events: list[Event]) -> dict[int, str]:
    """The IKE peer each line is about (by `id`): the one it names, else the one the latest line before it names in
    the same log (of the same tunnel, where the daemon names it: see `tunnel_name`). A daemon's "giving up after 3
    retransmits" or "established IKE SA" that names no address is about the negotiation the lines before it started
    ("initiating IKE_SA aws-1[3] to 203.0.113.5"); a line with no such line before it is about no peer known."""
    latest: dict[tuple[int, str], str] = {}
    peers: dict[int, str] = {}
    for ev in events:
        conn = tunnel_name(ev)
        if peer := (name_value(ev.values["peer"]) if ev.values.get("peer") else ""):  # (facts_of's "peer")
            latest[(ev.stream, conn)] = peer
        elif not (peer := latest.get((ev.stream, conn), "")):
            continue
        peers[id(ev)] = peer
    return peers


def same_tunnel(a: Event, b: Event, peers: dict[int, str] | None = None) -> bool:
    """Whether two lines can be about the same tunnel: not when both name the IKE peer and the addresses differ (with
    `peers` from `tunnel_peers`: the peer of the negotiation each line is part of, also where the line names none),
    nor when both name different tunnels (`tunnel_name`: pluto's connection, FortiOS's phase 1; charon names the
    IKE SA and its Child SAs apart, so its names are not compared). A gateway's log holds its other tunnels
    too: another peer's SA coming up says nothing about this one."""
    if peers is None:
        pa, pb = facts_of(a).get("peer"), facts_of(b).get("peer")
    else:
        pa, pb = peers.get(id(a)), peers.get(id(b))
    if pa and pb and pa != pb:
        return False
    ca, cb = (tunnel_name(a), tunnel_name(b)) if a.fmt == b.fmt else ("", "")
    return not (ca and cb and ca != cb)


# A row of pluto's status listing (`#3: "conn":500 STATE_V2_ESTABLISHED_CHILD_SA ...`) or of `ipsec trafficstatus`
# (`#3: "conn", type=ESP, ...`), the whack code before it or not; its log lines name the state after the connection.
_PLUTO_ROW = re.compile(r'^(?:\d{3} )?#(\d+): "')


def relisted_older(up: Event, failed: Event) -> bool:
    """Whether `up` is a row of pluto's status or traffic listing showing a state older than the one `failed` is about:
    the SA that was up before, listed again, not one set up after the failure (pluto numbers its states in one
    sequence: an SA that replaced the failing state's work has a higher serial, or is that state itself)."""
    if up.fmt != "libreswan" or failed.fmt != "libreswan" or not (row := _PLUTO_ROW.match(up.text.lstrip())):
        return False
    failing = _serial_of(failed.text)
    if failing is None and (own := _PLUTO_ROW.match(failed.text.lstrip())):
        failing = int(own.group(1))
    return failing is not None and int(row.group(1)) < failing


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
    """The first line of a BGP neighbor's graceful restart still within its restart time (see
    `bgp_cause._bgp_graceful`), or None."""
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
    # One collision is counted once: charon prints two lines for it, that it saw it ("detected rekey collision for
    # CHILD_SA net{6}") and which rekey it kept ("CHILD_SA rekey collision won, deleting old child net{6}"), and either
    # may be all a paste shows; with both peers' logs pasted, each side logs the same collision. The side that lost
    # then sees the winner delete the SA both rekeyed (RFC 7296 section 2.8.1): charon 5.x logs that as one more
    # collision of its rekey task ("detected CHILD_REKEY collision with CHILD_DELETE"), the end of the same one.
    seen: dict[int, int] = {}
    outcomes: dict[int, int] = {}
    lost: set[int] = set()  # the streams whose last collision line is a lost one
    for e in rekey:
        if not _is_collision(e):
            continue
        if e.stream in lost and _DELETE_AFTER_LOSS.search(e.text):
            lost.discard(e.stream)
            continue
        outcome = _COLLISION_OUTCOME.search(e.text)
        counts = outcomes if outcome else seen
        counts[e.stream] = counts.get(e.stream, 0) + 1
        if outcome and outcome.group(1) == "lost":
            lost.add(e.stream)
        else:
            lost.discard(e.stream)
    if not 0 < max((*seen.values(), *outcomes.values()), default=0) <= RESOLVED_COLLISIONS:
        return False
    last = max(rekey, key=lambda e: e.order)
    return established_after(events, last) or any(_COLLISION_OUTCOME.search(e.text) for e in rekey)


# The line that says which of two colliding rekeys was kept (strongSwan's child_rekey.c and ike_rekey.c).
_COLLISION_OUTCOME = re.compile(r"rekey collision (won|lost), ")
# The rekey task of the side that lost meeting the winner's Delete of the SA both rekeyed (strongSwan 5.x child_rekey.c).
_DELETE_AFTER_LOSS = re.compile(r"detected CHILD_REKEY collision with CHILD_DELETE")


def sets_up_again(up: Event, failed: Event) -> bool:
    """Whether an SA established after a failure can be the tunnel set up again: in charon's log, not a Child SA
    established after charon gave up setting up an IKE SA (`ike_connecting`, see
    protocol.exchanges._charon_connecting_give_ups) or after dead peer detection gave up on the IKE SA. A Child SA needs
    an IKE SA that is up, and charon logs every IKE SA it sets up ("IKE_SA gw[2] established between ..."), so a Child
    SA alone runs over another IKE SA (in a gateway's log whose lines do not name their tunnel, another tunnel's,
    rekeying its Child SA); so does an IKE SA rekeyed ("IKE_SA gw[4] rekeyed between ...", a CREATE_CHILD_SA over the
    IKE SA it replaces)."""
    if up.fmt != "strongswan" or not (failed.values.get("ike_connecting") or failed.category == "dpd_timeout"):
        return True
    return up.sa != "child" and CHARON_IKE_SA_REKEYED not in up.text


def recovered_first_attempt(events: list[Event], peers: dict[int, str] | None = None) -> tuple[Event, Event] | None:
    """(the first unanswered attempt, the SA established after it) when the only failure in the log is a first
    negotiation that got no answer and a later attempt of the same bring-up established the tunnel: a peer still
    starting, an on-demand tunnel whose first packet came before the peer was ready, a transport that a retry
    avoided (libreswan's tests ikev2-ondemand-04-timeout-*, ikev2-tcp-00-enable-tcp-fallback). Nothing was up before
    the silence, so it is no outage; a tunnel that was up and then went quiet is read as DPD or reachability.
    `peers`: `tunnel_peers(events)`, when the caller has it."""
    decisive = [e for e in events if e.category and e.weight == "decisive"]
    if not decisive or any(e.category != "peer_unreachable" for e in decisive):
        return None
    first, last = decisive[0], decisive[-1]
    if any(e.kind == "established" and e.order < first.order for e in events):
        return None
    peers = tunnel_peers(events) if peers is None else peers
    up = next((e for e in events if e.kind == "established" and e.order > last.order and same_tunnel(e, last, peers)
               and sets_up_again(e, last)), None)
    return (first, up) if up is not None else None


def answered_retransmission(events: list[Event]) -> Event | None:
    """The first request this side sent again whose answer came in after all (a message from the peer after it:
    protocol.unanswered.answered_by_packets), when nothing else in the log is a failure: one message lost on the way."""
    if any(e.category and e.weight == "decisive" for e in events):
        return None
    return next((e for e in events if e.kind == "retransmit" and e.values.get("answered_by")), None)


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


# Error notifies that name no setting (RFC 7296 section 3.10.1): INVALID_SYNTAX, for a message with a type, length or
# value out of range or a request refused for policy reasons; UNSUPPORTED_CRITICAL_PAYLOAD, for a payload marked
# critical that the receiver does not support.
_UNPROCESSED = frozenset({"INVALID_SYNTAX", "UNSUPPORTED_CRITICAL_PAYLOAD"})


def refused_unprocessed(events: list[Event]) -> tuple[Event, str] | None:
    """(the first error notify the peer answered a request with that names no setting (INVALID_SYNTAX,
    UNSUPPORTED_CRITICAL_PAYLOAD) and that was read as no cause, the exchange it answers): outside a rekey and with
    no timeout after it, the peer is reachable and did not take the request, and the lines do not say why. The
    exchange is the line's, or the last one named before it (charon names it on the parsed message before)."""
    for i, ev in enumerate(events):
        if ev.direction == "received" and ev.notify in _UNPROCESSED and not ev.category:
            exchange = ev.exchange or next((e.exchange for e in reversed(events[:i]) if e.exchange), None)
            return ev, exchange or "IKE"
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


def _unanswered_version(unanswered: list[Event]) -> tuple[int, str] | None:
    """(IKE major version, connection) of pluto's unanswered requests when all are the first exchange of one version
    (Main or Aggressive Mode, or IKE_SA_INIT) and of one connection; None otherwise."""
    exchanges = {e.exchange for e in unanswered}
    if exchanges <= _V1_EXCHANGES:
        version = 1
    elif exchanges <= {"IKE_SA_INIT"}:
        version = 2
    else:
        return None
    names = {conn_of(e) for e in unanswered if e.fmt == "libreswan"}
    if len(names) != 1 or "" in names:
        return None
    return version, names.pop()


def _other_side_version(events: list[Event], unanswered: list[Event]) -> tuple[str, str, Event] | None:
    """(version sent, version the other side added, the line adding it) when pluto's unanswered requests (all of one IKE version)
    belong to a connection that the log shows added twice, once with each version: the logs of both daemons pasted,
    the same connection configured with different IKE versions. (One daemon re-adding it with the other version and
    trying that one has requests or an SA of that version in the log, so this does not apply.)"""
    if (found := _unanswered_version(unanswered)) is None:
        return None
    version, name = found
    sent, other = f"IKEv{version}", f"IKEv{3 - version}"
    versions: dict[str, list[Event]] = {}
    for e in events:
        if (e.kind == "conn_added" and conn_of(e) == name and e.pattern not in LISTING_PATTERNS  # "added" lines only
                and e.values.get("version")):  # (3.x names no version)
            versions.setdefault(str(e.values["version"]), []).append(e)
    if sent in versions and other in versions and len(versions) == 2:
        return sent, other, versions[other][0]
    return None


def _falls_back(events: list[Event], unanswered: list[Event]) -> tuple[str, str, Event] | None:
    """(version sent, version tried next, the line starting it) when, after pluto's unanswered requests (all of one
    IKE version, one connection), the same connection starts its first exchange in the other version (libreswan 3.x
    and Openswan with ikev2=permit: "next attempt will be IKEv1", then "initiating Main Mode to replace #2") and the log
    ends before that attempt is answered or given up. (An answer to it is read as the versions differing:
    protocol.versions._version_answers; that attempt left unanswered too is the peer's silence to both.)"""
    if (found := _unanswered_version(unanswered)) is None:
        return None
    sent, name = found
    last = unanswered[-1]
    start = next((e for e in events if e.stream == last.stream and e.order > last.order and conn_of(e) == name
                  and first_request_version(e) == 3 - sent), None)
    if start is None or any(e.stream == start.stream and e.order > start.order and conn_of(e) == name
                            and e.weight == "decisive" for e in events):
        return None
    return f"IKEv{sent}", f"IKEv{3 - sent}", start


def _peer_dpd_behind_delete(cats: dict[str, list[Event]], delete: Event) -> Event | None:
    """In both peers' logs pasted together: the other log's DPD timeout that the IKE SA Delete this side received
    carries out (the peer's DPD action clears the SAs and sends Deletes at once: within seconds by the two clocks,
    which in one incident are a host's apart at most)."""
    if delete.sa == "child":
        return None
    if delete.stamp is None:
        return _peer_dpd_behind_unstamped_delete(cats, delete)
    for dpd in cats.get("dpd_timeout", ()):
        if dpd.stream != delete.stream and dpd.stamp is not None and (
            stamp_kind(dpd.stamp) == stamp_kind(delete.stamp)
        ) and -1 < delete.stamp - dpd.stamp <= _DPD_DELETE_S:  # (-1: one log's stamps may be whole seconds)
            return dpd
    return None


_DPD_DELETE_S = 5.0


def _peer_dpd_behind_unstamped_delete(cats: dict[str, list[Event]], delete: Event) -> Event | None:
    """Both peers' logs without time stamps: the other log's DPD timeout when it is that log's only one (all its DPD
    lines in one log) and this Delete is the only IKE SA Delete its own log received; nothing else in the two logs
    ends an IKE SA from the peer's side, so the Delete is that DPD action's (the order across two logs without time
    is unknown)."""
    dpds = [dpd for dpd in cats.get("dpd_timeout", ()) if dpd.stream != delete.stream and dpd.stamp is None]
    if not dpds or len({dpd.stream for dpd in dpds}) != 1:
        return None
    # (pluto's revival after a Delete restates that Delete: not one more)
    received = [ev for ev in cats.get("ike_sa_deleted_by_peer", ()) if ev.stream == delete.stream
                and ev.kind == "delete" and ev.direction == "received" and ev.sa != "child"
                and ev.pattern not in _REVIVALS]
    return dpds[0] if received == [delete] else None


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
