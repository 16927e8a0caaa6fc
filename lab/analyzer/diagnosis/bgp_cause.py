"""BGP as the cause: sessions that came back, graceful restarts, and the reason read with the lines around
it."""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from typing import Any

from lab.analyzer import bgp
from lab.analyzer.diagnosis.bgp_reasons import (
    _ASN_KEYS,
    _BGP_KEYS,
    BGP_TREE_NODES,
    NHT_WAIT,
    _bgp_reason_text,
    as_trans,
)
from lab.analyzer.diagnosis.causes import _merge_facts, _primary, category_title
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    bgp_listing_line,
    bgp_peer,
    facts_of,
    same_bgp_peer,
)
from lab.analyzer.protocol.events import later
from lab.i18n import M, Mn, Msg


def _came_up_after(up: Event, down: Event) -> bool:
    """A BGP Up after a down: in one log by the order of its lines (whatever pattern read each: a daemon's lines are
    read by several vendors' patterns), across two logs by their time stamps (`later`)."""
    return up.order > down.order if up.stream == down.stream else later(up, down)


def _bgp_recovery(events: list[Event]) -> Callable[[Event], bool]:
    """Whether the same neighbor's session came up after a BGP down line (`same_bgp_peer`: the same address, or a
    line that names none), answered from the latest Up per neighbor and log rather than a pass over every event per
    line. In both sides' logs pasted together, an Up in the other log counts when its time stamp is later
    (`_came_up_after`): the second log's lines all come after the first's in the paste, whenever they happened."""
    latest: dict[tuple[str, int], Event] = {}  # (neighbor or "", stream) -> its last Up
    for e in events:
        if e.kind == "bgp_up":
            key = (bgp_peer(e) or "", e.stream)
            if key not in latest or e.order > latest[key].order:
                latest[key] = e

    # FRR found the route to a neighbor it waited for ("Waiting for NHT", then next-hop tracking's "NHT nexthops 1"):
    # the wait and the connection it could not open meanwhile (fd -1) were FRR starting
    paths = [e for e in events if e.kind == "bgp_path"]

    def recovered(ev: Event) -> bool:
        peer = bgp_peer(ev)
        if paths and (NHT_WAIT in ev.text or "fd -1" in ev.text) and any(
                p.stream == ev.stream and p.order > ev.order and (not peer or bgp_peer(p) == peer) for p in paths):
            return True
        return any(_came_up_after(up, ev) for (named, _), up in latest.items()
                   if not peer or not named or named == peer)

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

# Reasons that point at the tunnel or the path under BGP (an interface or BFD down), and reasons of a session that was
# established (its ASNs and addresses worked) or of a daemon that does not run (the reasoning says what to fix): the
# closing advice of a BGP diagnosis does not send the reader to the ASNs.
_PATH_REASONS = frozenset({"interface_down", "bfd_down"})
_ESTABLISHED_REASONS = frozenset({"hold_timer_expired", "send_hold_timer_expired", "rtt_exceeded", "max_prefix",
                                  "update_error", "message_error", "fsm_error", "daemon_crash", "admin_reset",
                                  "admin_shutdown", "config_change", "graceful_restart", "restart_timeout",
                                  "listen_failed"})

# How many events apart a closed connection and the NOTIFICATION behind it may be (a daemon logs the close, the
# NOTIFICATION, the state change and the neighbor down one after the other).
_SAME_DOWN = 3


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
    stopped = [x for x in stop if bgp.DAEMON_STOP.search(x.text)]
    if reason == "config_change" and stop and all(
            (bgp.DELETED_ON_STOP.search(e.text) and any(x.order < e.order for x in stop))
            or (facts[id(e)].get("direction") == "sent" and any(x.order < e.order and x.stream == e.stream
                                                                for x in stopped)) for e in own):
        # FRR's bgpd stopping on a signal deletes every neighbor and tells each it was removed (Cease 6/3 sent,
        # bgp_terminate): the daemon stopped, no configuration changed
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
    elif reason == "peer_closed":
        # The connection seen closed, and next to it a line of the same neighbor names the NOTIFICATION that closed
        # it (FRR logs "BGP connection closed fd 27", then "%NOTIFICATION(Hard Reset): received from neighbor ... 6/4
        # (Cease/Administrative Reset)" in the same second): the NOTIFICATION says why, the close is its consequence.
        closed = [e for e, f in read if f.get("bgp_reason") == "peer_closed"]
        told = [x for x in every if facts[id(x)].get("bgp_notification") and x.weight != "context"
                and facts[id(x)].get("bgp_reason") not in _BGP_SYMPTOMS
                and any(abs(x.order - e.order) <= _SAME_DOWN and same_bgp_peer(x, e) for e in closed)]
        if told:
            read = instead({"peer_closed"}, told)
    elif reason == "never_established" and (mirrored := _mirrored_notifications(read, every, facts)):
        # A state snapshot of the session (GoBGP's watch event "session_state:IDLE") next to the other end's lines
        # of the same session: they name the NOTIFICATION that took it down from Established (Cilium's speaker and
        # its GoBGP test peer in one log). The snapshot is the state after that down, not a session that never came up.
        read = instead({"never_established"}, mirrored)
    return read, bgp.best([f.get("bgp_reason", "") for _, f in read])


# The addresses of the session a GoBGP watch event names: this side's (transport local_address) and the neighbor's.
_GOBGP_LOCAL = re.compile(r'local_address:\\?"([0-9a-fA-F.:]+)\\?"')


def _mirrored_notifications(read: _Read, every: list[Event], facts: dict[int, dict[str, Any]]) -> list[Event]:
    """The lines naming a NOTIFICATION (a Cease, an error) of the other end of the session the never-established
    snapshots in `read` show: lines whose neighbor is the snapshot's own local address, within a few lines of it."""
    snapshots = [(e, m.group(1)) for e, f in read if f.get("bgp_reason") == "never_established"
                 and (m := _GOBGP_LOCAL.search(e.text))]
    if not snapshots or len(snapshots) != sum(1 for _, f in read if f.get("bgp_reason") == "never_established"):
        return []
    return [x for x in every if facts[id(x)].get("bgp_notification") and facts[id(x)].get("bgp_reason")
            not in _BGP_SYMPTOMS and any(str(facts[id(x)].get("peer") or "") == local
                                         and abs(x.order - e.order) <= _SAME_DOWN for e, local in snapshots)]


def _bgp_primary(evs: list[Event], chain: list[Event], events: list[Event]) -> Primary:
    """The BGP session is down: which reason the lines give (see `lab.analyzer.bgp`) and what to check. A down the
    same neighbor recovered from is left out (a connection refused while the neighbor starts, the other tunnel's
    reset), unless every down recovered: then the session flaps and the downs are why. The reason comes from the
    decisive lines first, the weak ones only when no line is decisive."""
    every = sorted({id(e): e for e in evs + chain if e.kind == "bgp_down"}.values(), key=lambda e: e.order)
    facts = {id(e): facts_of(e) for e in every}  # (each line's facts are read once)
    # The BGP daemon stopped on purpose (FRR's "Terminating on signal", OpenBGPD's parent): what went down before it
    # in the same log is read first when a fault of its own took a session down then; the stop closes every session
    # anyway and is named after it.
    stops = [e for e in every if bgp.DAEMON_STOP.search(e.text)]
    before = [e for e in every if not any(s.stream == e.stream and s.order <= e.order for s in stops)
              and not bgp.ORPHANED.search(e.text)]  # (OpenBGPD's processes that lost their parent: the stop too)
    stopped_after = None
    if stops and any(facts[id(e)].get("bgp_reason") in bgp.FAULTS for e in before if e.weight != "context"):
        every, stopped_after = before, stops[0]
    recovered = _bgp_recovery(events)
    standing = [e for e in every if not recovered(e)]
    pool = standing or every
    # (a weak line that the session is down now before a line of history: a listing's last reset of a neighbor it
    # shows established)
    firm = ([e for e in pool if e.weight == "decisive"] or [e for e in pool if e.weight != "context"] or pool)
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
    # (FRR waiting for next-hop tracking never opened the connection: the session did not come up, nothing went down)
    nht = reason == "interface_down" and any(NHT_WAIT in e.text for e, f in read if f.get("bgp_reason") == reason)
    # (a hold timer the neighbor says expired while the session was still being opened: see the reasoning below)
    opening = reason == "hold_timer_expired" and any(
        f.get("direction") == "received" and f.get("bgp_reason") == reason and any(
            str(facts[id(x)].get("bgp_state", "")).startswith("OpenSent") and abs(x.order - e.order) <= _SAME_DOWN
            and same_bgp_peer(x, e) for x in every) for e, f in read)
    never_up = reason == "never_established" or nht or opening or (reason == "collision" and any(
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
    # Other neighbors down in the same lines (not a status listing, which lists every neighbor): what they share is
    # the likelier place to look (NX-OS dropping three sessions after a hardware table error).
    own_peer = bgp_peer(named)
    others = sorted({p for e in standing if (p := bgp_peer(e)) and own_peer and p != own_peer
                     and not bgp_listing_line(e)})
    if others:
        reasoning.append(Mn("{n} other neighbor went down in these lines too ({peers}): look first at what they share "
                            "(this router, an interface or the path they use) rather than at one neighbor's settings.",
                            "{n} other neighbors went down in these lines too ({peers}): look first at what they share "
                            "(this router, an interface or the path they use) rather than at one neighbor's settings.",
                            len(others), peers=", ".join(others[:5]) + (", ..." if len(others) > 5 else "")))
    extra: dict[str, Any] = {}
    daemon_stopped = False
    if reason:
        line_facts = facts
        ev, facts = next((e, f) for e, f in read if f.get("bgp_reason") == reason)
        if "peer" not in facts and (peer := next((line_facts[id(e)]["peer"] for e in downs
                                                  if line_facts[id(e)].get("peer")), None)):
            # (the neighbor's address from another line of the same neighbor's down: PAN-OS names it by its name on
            # the NOTIFICATION's line and by its address on the next)
            facts = {**facts, "peer": peer}
        daemon_stopped = reason == "admin_shutdown" and bool(bgp.DAEMON_STOP.search(ev.text))
        # The facts of the line that names the reason, and its NOTIFICATION's code and direction, win over the
        # other lines' (a two-sided paste shows the same refusal from both sides).
        for key in _BGP_KEYS:
            if key in facts:
                extra[key] = facts[key]
        if opening:
            # RFC 4271 section 8: in OpenSent this side waits for the neighbor's OPEN under the large initial hold
            # time (4 minutes suggested); no KEEPALIVE is due before the OPENs are exchanged
            reasoning.append(M(
                "Line {line}: the neighbor ended the session with Hold Timer Expired ({error}) while it was still "
                "being opened (OpenSent): no KEEPALIVE is due before both OPENs are exchanged (RFC 4271 section 8), so "
                "these are not keepalives lost on an established session. Either the neighbor got no OPEN from this "
                "side within its initial hold time (RFC 4271 suggests 4 minutes: this side's OPEN does not reach "
                "it), or it ended the session for a reason of its own: its log says which.", line=ev.line,
                error=facts.get("bgp_notification") or facts.get("bgp_error") or ""))
        else:
            flaps = int(ev.values.get("flaps") or 0) if bgp_listing_line(ev) else 0
            reasoning += _bgp_reason_text(reason, facts, ev.line, aws=ev.fmt.startswith("aws"), text=ev.text,
                                          flaps=flaps)
    no_routes = reason in bgp.NO_ROUTES
    if no_routes:
        reasoning.append(M("No IKE or IPsec failure was seen: the tunnel and the BGP session are up, and the routes "
                           "are what is missing. Check the accepted route count of each tunnel on the AWS side."))
    elif reason in _PATH_REASONS:
        # (the reason itself points at the tunnel or the path: the lines just do not show the IPsec side)
        reasoning.append(M("No IKE or IPsec failure was seen in these lines, which do not show the tunnel itself: check "
                           "that the tunnel (its IPsec SA and tunnel interface) is up before looking at BGP."))
    elif reason in _ESTABLISHED_REASONS:
        # (a session that was established: its ASNs and addresses worked, the reasoning above says what to look at)
        reasoning.append(M("No IKE or IPsec failure was seen in these lines."))
    else:
        reasoning.append(M("No IKE or IPsec failure was seen, so the tunnel itself is likely up: look at BGP (ASN, "
                           "neighbor addresses on the inside CIDR, hold timer, TCP 179 through the customer gateway's "
                           "firewall)."))
    # (a session that stays up does not flap: an Up line after the policy warning is a session cleared or restarted)
    ups = [] if no_routes else [e for e in events if e.kind == "bgp_up" and _came_up_after(e, named)
                                and same_bgp_peer(e, named)]
    if ups and reason in bgp.REASON_WORDS:
        reasoning.append(M("The session came up again at line {line}: it flaps, and the reason above is why it went "
                           "down.", line=ups[-1].line))
    elif ups and reason is None:
        reasoning.append(M("The session came up again at line {line}: it flaps. The lines do not say why it went "
                           "down: look at the neighbor's log and at the path between the two (keepalives, TCP 179) "
                           "around that time.", line=ups[-1].line))
    if stopped_after is not None:
        reasoning.append(M("Line {line}: then the BGP daemon itself was stopped (the service stopped or restarted, an "
                           "upgrade or a reboot), which closes every session of this router until it runs again.",
                           line=stopped_after.line))
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
        "listen_failed": M("BGP is down: the BGP daemon could not listen on its TCP port, another program holds it, "
                           "and the daemon exited."),
        "tcp_auth": M("BGP is down: the BGP password (TCP MD5) is missing, wrong or could not be set on one side."),
        "peer_closed": M("BGP is down: the neighbor closed or reset the TCP connection of the session."),
        "update_error": M("BGP is down: an UPDATE was refused as malformed (a route or an attribute), which closed the "
                          "session."),
        "message_error": M("BGP is down: a BGP message could not be parsed, which closed the session."),
        "fsm_error": M("BGP is down: a BGP message arrived in a state that does not expect it (FSM error), which "
                       "closed the session."),
        "notification": M("BGP is down: a NOTIFICATION closed the session; the line does not give its error code."),
    }.get(reason or "", M("BGP is down while IPsec shows no failure."))
    if opening:
        summary = M("BGP did not come up: the neighbor ended the session with Hold Timer Expired while it was being "
                    "opened.")
    if reason == "notification" and extra.get("bgp_notification"):
        summary = M("BGP is down: a NOTIFICATION ({code}) closed the session, a code that names no particular reason.",
                    code=extra["bgp_notification"])
    if daemon_stopped:
        summary = M("BGP is down: the BGP daemon itself was stopped, and it does not run again in these lines.")
    if nht:
        summary = M("BGP cannot start: this host has no route to the neighbor's address (FRR next-hop tracking), so "
                    "it does not open the connection.")
    if reason == "bad_peer_as" and as_trans(extra):
        summary = M("BGP is down: an OPEN carried AS_TRANS (23456) instead of a four-octet AS, so the AS numbers "
                    "look different.")
    if ups and reason in bgp.REASON_WORDS:
        # the session is up at the end of the lines: it flaps, and the reason is why it went down, not its state now
        summary = M("BGP flaps: it went down and came up again at line {line}. Why it went down: {reason}.",
                    reason=bgp.REASON_WORDS[reason], line=ups[-1].line)
    elif ups and reason is None:
        summary = M("BGP flaps: it went down and came up again at line {line}. The lines do not say why it went down.",
                    line=ups[-1].line)
    primary = _primary("bgp_down", summary, reasoning, chain, extra, first=firm[0] if firm else None)
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
