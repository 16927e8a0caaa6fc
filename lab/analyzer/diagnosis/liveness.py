"""Rule 2: without a configuration failure, the earliest liveness event decides: the peer's Delete, a DPD
timeout, or a negotiation left unanswered."""

from __future__ import annotations

import re
from collections.abc import Callable

from lab.analyzer.diagnosis.causes import _primary
from lab.analyzer.diagnosis.readings import _also
from lab.analyzer.diagnosis.recovery import (
    _ONE_WAY,
    _V1_EXCHANGES,
    _falls_back,
    _other_side_version,
    _peer_dpd_behind_delete,
    same_tunnel,
    sets_up_again,
)
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    exchange_words,
    facts_of,
    stamp_kind,
    tunnel_name,
)
from lab.analyzer.protocol.names import IKE_SETUP_EXCHANGES
from lab.i18n import M, Mn

# A peer's Delete this soon after this side's request answers it (seconds)
_DELETE_ANSWERS_S = 2


def _refused_by_delete(events: list[Event], delete: Event) -> Event | None:
    """This side's Quick Mode request the peer's Delete of the IKE SA answered (IKEv1): sent just before it (within
    `_DELETE_ANSWERS_S`, by the time stamps both carry), in a log where no Child SA came up before the Delete. None
    otherwise (a Delete of a tunnel that worked is a teardown)."""
    if delete.stamp is None:
        return None
    before = [e for e in events if e.stream == delete.stream and e.order < delete.order]
    if any(e.kind == "established" and e.sa == "child" for e in before):
        return None
    asked = next((e for e in reversed(before) if e.kind == "exchange" and e.direction == "sent"
                  and e.exchange == "QUICK_MODE" and " request" in e.text), None)
    if asked is None or asked.stamp is None or not 0 <= delete.stamp - asked.stamp <= _DELETE_ANSWERS_S:
        return None
    return asked


def _up_after(established: list[Event], ev: Event, peers: dict[int, str]) -> Event | None:
    """The last SA established after `ev` in its tunnel (`same_tunnel`: another peer's or connection's SA coming up
    says nothing of this one; `sets_up_again`: nor does a Child SA rekeyed over another IKE SA), or None."""
    later = [e for e in established if e.order > ev.order and same_tunnel(e, ev, peers) and sets_up_again(e, ev)]
    return later[-1] if later else None



def _restart_answered(events: list[Event], ev: Event, peers: dict[int, str]) -> tuple[Event, Event] | None:
    """(this side's initiation, the peer's first answer) of a new IKE SA of the tunnel started after `ev`, when nothing
    failed after it up to the end of the log; None otherwise."""
    later = [e for e in events if e.order > ev.order and e.stream == ev.stream]
    start = next((e for e in later if e.kind == "initiate" and e.sa != "child" and same_tunnel(e, ev, peers)), None)
    if start is None or any(e.category and e.weight != "context" for e in later if e.order > start.order):
        return None
    answer = next((e for e in later if e.order > start.order and e.kind == "exchange" and e.direction == "received"
                   and e.exchange in IKE_SETUP_EXCHANGES), None)
    return (start, answer) if answer is not None else None


# Seconds within which a tunnel set up again after a DPD timeout shows a peer that was answering all along: an IKE
# negotiation with a peer that answers takes a few seconds, and its first retransmission comes after a few more.
_QUICK_RETURN_SECONDS = 30


def _seconds_between(a: Event, b: Event) -> float | None:
    """Seconds from `a` to `b` when both lines carry a time stamp of the same kind (None otherwise)."""
    if a.stamp is None or b.stamp is None or stamp_kind(a.stamp) != stamp_kind(b.stamp) or b.stamp < a.stamp:
        return None
    return b.stamp - a.stamp


# pluto's redirect lines name the gateway this side is sent to (ikev2_redirect.c)
_REDIRECT_TO = re.compile(r"redirects? to new gateway (?:\(address: )?([0-9a-fA-F.:]+[0-9a-fA-F])")


# Patterns of a daemon that could not send its IKE message at all (see `_liveness_primary`).
_UNSENT = frozenset({"swan-socket-error", "lib-send-failed", "fgt-send-error", "rac-send-error"})


# The daemon could not resolve the peer's host name, so it sent nothing: charon's ike_sa.c "unable to resolve %s,
# initiate aborted", pluto's initiate.c "cannot initiate connection without resolved dynamic peer IP address".
_UNRESOLVED = frozenset({"swan-resolve-failed", "lib-peer-unresolved"})


# An ICMP error came back for an IKE packet (pluto's iface_udp.c "asynchronous network error report", its TCP
# connect): who sent it (the complainant) and what it says tell a stopped IKE service from a broken path.
_ICMP_REPORT = "lib-icmp-unreachable"
_COMPLAINANT = re.compile(r"\bcomplainant ([0-9a-fA-FxX*.:]+)")
_REFUSED = frozenset({"Connection refused", "ECONNREFUSED"})


def _reachability_events(cats: dict[str, list[Event]], context: dict[str, list[Event]], evs: list[Event],
                         keep: Callable[[Event], bool]) -> list[Event]:
    """The reachability events of every weight that `keep` selects, each once, in order (a send failure or an ICMP
    report after each retransmission is read with the retransmissions)."""
    every = {id(e): e for e in (*cats.get("peer_unreachable", []), *context.get("peer_unreachable", []), *evs)}
    return sorted((e for e in every.values() if keep(e)), key=lambda e: e.order)


def _icmp_reports(cats: dict[str, list[Event]], context: dict[str, list[Event]], evs: list[Event]) -> list[Event]:
    """The ICMP errors reported for this side's IKE packets."""
    return _reachability_events(cats, context, evs, lambda e: e.pattern == _ICMP_REPORT and bool(e.values.get("reason")))


def _unsent(cats: dict[str, list[Event]], context: dict[str, list[Event]], evs: list[Event]) -> list[Event]:
    """The events that say the daemon could not send at all."""
    return _reachability_events(cats, context, evs, lambda e: e.pattern in _UNSENT)


def _one_peer(events: list[Event], stream: int) -> bool:
    """Whether a log names one peer at most. Where it names more (a gateway's two tunnels), charon's lines without
    their IKE SA tags ("sending DPD request") may be either tunnel's."""
    return len({peer for e in events if e.stream == stream and (peer := facts_of(e).get("peer"))}) <= 1


def _unsent_primary(sends: list[Event], evs: list[Event], cats: dict[str, list[Event]]) -> Primary:
    """The daemon could not hand its IKE message to the network at all: charon "error writing to socket", pluto
    "sendto ... failed", FortiOS "could not send IKE Packet", racoon "failed due to send error". Nothing left this
    host, so the peer cannot have answered: the fix is here (route, interface, firewall)."""
    unsent, reason = sends[0], sends[0].values.get("reason")
    times = Mn("{n} time", "{n} times", len(sends))
    reasoning = [
        M("Line {line}: this host could not send its IKE message at all ({reason}; {times}): the request never "
          "left, so the peer had nothing to answer.", line=unsent.line, reason=reason, times=times)
        if reason else
        M("Line {line}: this host could not send its IKE message at all ({times}): the request never left, so "
          "the peer had nothing to answer.", line=unsent.line, times=times),
        M("Fix this host's side first: its route to the peer's address (the default route, the WAN interface, "
          "the routing table or VRF the tunnel uses) and its own firewall rules for UDP 500/4500 out."),
    ]
    return _primary(
        "peer_unreachable",
        M("This host cannot send IKE to the peer: no route (or a local rule) stops the request before it "
          "leaves."),
        reasoning + _also(cats, "peer_unreachable"),
        sorted({id(e): e for e in (*sends, *evs)}.values(), key=lambda e: e.order),  # (the lines that say so)
        {"send_error": reason} if reason else {})


def _liveness_primary(
    cats: dict[str, list[Event]], context: dict[str, list[Event]], established: list[Event],
    events: list[Event], liveness: dict[str, list[Event]], rekey_first: bool,
    tunnel_peers: Callable[[], dict[int, str]],
) -> tuple[bool, Primary | None]:
    """Rule 2: the earliest liveness event (the peer's Delete, a DPD timeout, a negotiation left
    unanswered), unless a failed rekey came first. Whether it decided, and the primary (None: no fault).
    `tunnel_peers` gives `recovery.tunnel_peers(events)`."""
    if liveness and not rekey_first:
        peers = tunnel_peers()
        order = ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable")
        first = min(liveness, key=lambda c: (liveness[c][0].order, order.index(c)))
        evs = liveness[first]
        if first != "ike_sa_deleted_by_peer" and "ike_sa_deleted_by_peer" in liveness and _peer_dpd_behind_delete(
                cats, liveness["ike_sa_deleted_by_peer"][0]) is not None:
            # both peers' logs, the one whose DPD timed out pasted first: the Delete the other log received is that
            # DPD's action, read as when the logs come the other way round (the paste's order is not the events')
            first, evs = "ike_sa_deleted_by_peer", liveness["ike_sa_deleted_by_peer"]
        if first == "ike_sa_deleted_by_peer" and all(e.sa == "child" for e in evs):
            # (only a guess: see protocol.unanswered._child_deletes_not_replaced; an SA set up after it would have cleared it)
            reasoning = [M("Line {line}: the peer sent a Delete for the IPsec (phase 2) SA, and no newer IPsec SA of "
                           "that connection was up: the tunnel stopped carrying traffic from the peer's side.",
                           line=evs[0].line),
                         M("No IPsec SA was set up after it. Find out on the peer why it deleted the SA (an operator, "
                           "a restart, a changed policy or lifetime), then set the tunnel up again from the customer "
                           "gateway.")]
            reasoning += _also(cats, first)
            return True, _primary(first, M("The peer deleted the IPsec SA and no new one came up."), reasoning,
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
                  "that expired) before touching DPD settings.", line=evs[0].line)
                if evs[0].stamp is not None else
                # (the two logs without time stamps: paired because neither log has another such line, see
                # recovery._peer_dpd_behind_unstamped_delete)
                M("Line {line}: the Delete this side received is most likely that DPD action: it is the only Delete "
                  "of an IKE SA this side received, and the peer's log shows that DPD timeout (the lines have no time "
                  "stamps to say when). The peer stopped receiving this side's packets while its own (the Delete) still "
                  "arrived here: traffic from this side to the peer is dropped, in that direction only. Look for "
                  "what drops it (a firewall or security group in front of the peer, a NAT mapping that expired) "
                  "before touching DPD settings.", line=evs[0].line),
            ]
            reasoning += _also(cats, "dpd_timeout")
            return True, _primary("dpd_timeout", M("The peer's DPD timed out and it deleted the tunnel: it stopped hearing "
                                             "this side."), reasoning, context["dpd_timeout"] + evs,
                            {"peer_alive_after_dpd": "yes"})
        if first == "ike_sa_deleted_by_peer" and (asked := _refused_by_delete(events, evs[0])) is not None:
            # the peer deleted the IKE SA right after this side's request, before any Child SA came up: a refusal
            xauth = any(e.stream == asked.stream and e.order < asked.order and "TRANSACTION" in e.text
                        and abs((e.stamp or 0) - (asked.stamp or 0)) <= _DELETE_ANSWERS_S for e in events)
            reasoning = [
                M("Line {line}: the peer deleted the IKE SA right after this side's {exchange} request (line {asked}), "
                  "before any IPsec SA came up: it refused that request rather than tearing a working tunnel down (an "
                  "IKEv1 peer often deletes the ISAKMP SA instead of sending a notification).", line=evs[0].line,
                  exchange=exchange_words(asked.exchange or ""), asked=asked.line),
                M("The XAUTH credentials this side had just sent (a Mode Config / XAUTH Transaction), or the Quick "
                  "Mode's proposals (PFS group) or subnets: the peer's log says which it refused.") if xauth else
                M("The Quick Mode's proposals (the PFS group, the ESP algorithms) or its subnets (the traffic "
                  "selectors): the peer's log says which it refused."),
            ]
            reasoning += _also(cats, first)
            summary = M("The peer deleted the IKE SA in answer to this side's request: a refusal, not a teardown.")
            return True, _primary(first, summary, reasoning, context[first])
        if first == "ike_sa_deleted_by_peer":
            reasoning = [M("Line {line}: a Delete for the IKE SA; the tunnel went down from the peer's side.",
                           line=evs[0].line)]
            if (refused := evs[0].values.get("revival_refused")) is not None:
                reasoning.append(M(
                    "Line {line}: the peer refused this side's attempt to set the tunnel up again with "
                    "NO_PROPOSAL_CHOSEN, although it had accepted the same proposals before: it no longer has a "
                    "connection for this side (removed or changed on the peer). Check the peer's configuration "
                    "rather than this side's proposals.", line=refused))
            if (up := _up_after(established, evs[-1], peers)) is not None:
                reasoning.append(M("An IKE_SA was established again at line {line}, so someone re-initiated.",
                                   line=up.line))
                summary = M("The peer deleted the IKE SA; the tunnel came back later.")
            elif (restart := _restart_answered(events, evs[-1], peers)) is not None:
                reasoning.append(M(
                    "Line {line}: this side started a new IKE SA after the Delete, and the peer answered it at "
                    "line {answer}; the log ends before the new IKE SA is established. Look further on in the log "
                    "for whether it came up.", line=restart[0].line, answer=restart[1].line))
                summary = M("The peer deleted the IKE SA; this side is setting it up again, and the log ends before "
                            "it is up.")
            elif (again := next((e for e in events if e.order > evs[-1].order and e.stream == evs[-1].stream
                                 and e.kind == "initiate" and e.sa != "child" and same_tunnel(e, evs[-1], peers)),
                                None)) is not None:
                # this side did start IKE again: what stopped that attempt is the lead, not a missing initiator
                failed = any(e.category and e.weight != "context" for e in events
                             if e.order > again.order and e.stream == again.stream)
                if refused is None and failed:
                    reasoning.append(M(
                        "Line {line}: this side started IKE again after the Delete, and no IKE SA came up after it: "
                        "what went wrong with that attempt (the lines after it) is what to look at.", line=again.line))
                elif refused is None:
                    reasoning.append(M(
                        "Line {line}: this side started IKE again after the Delete; the log ends before the peer "
                        "answered it. Look further on in the log for whether it came up.", line=again.line))
                summary = (M("The peer deleted the IKE SA, and this side's attempt to set it up again failed.")
                           if failed or refused is not None else
                           M("The peer deleted the IKE SA; this side is setting it up again, and the log ends before "
                             "it is up."))
            else:
                reasoning.append(M(
                    "No IKE_SA was established after it. With startup action add (the default) AWS does not "
                    "start IKE itself: the customer gateway must start IKE again, so the tunnel stays down."
                ))
                summary = M("The peer deleted the IKE SA and nobody set the tunnel up again.")
            if "dpd_timeout" in cats and cats["dpd_timeout"][0].order > evs[0].order:
                reasoning.append(M("The DPD timeouts after the Delete are a consequence of the missing IKE_SA."))
            reasoning += _also(cats, first)
            return True, _primary(first, summary, reasoning, context[first])
        if first == "dpd_timeout":
            s = evs[0]
            one_peer = _one_peer(events, s.stream)
            # (the tunnel's own SA last up before it: another tunnel's rekey says nothing of this one's checks)
            up = max((e.order for e in established if e.stream == s.stream and e.order < s.order
                      and same_tunnel(e, s, peers)), default=-1)
            if sends := [e for e in _unsent(cats, context, evs) if e.stream == s.stream and up < e.order < s.order]:
                # the liveness checks never left this host (its own firewall or route): not the peer's silence
                return True, _unsent_primary(sends, evs, cats)
            if s.values.get("still_unanswered"):
                # protocol: the request on the established IKE SA is still being sent again when the log ends
                reasoning = [M("Lines {first}-{line}: the peer has not answered a request sent on the established IKE "
                               "SA (a liveness or DPD check): {count} retransmissions and no answer, up to the end of "
                               "the log. If nothing answers, the daemon gives up after its last retransmission and "
                               "clears the SAs.", first=s.values.get("first_retransmit", s.line), line=s.line,
                               count=s.values["still_unanswered"])]
            elif s.kind == "give_up":
                # A request on the established IKE SA timed out (a liveness probe, or a new Child SA asked for on
                # it): the daemon may call it liveness or say nothing more, the fact is the same.
                reasoning = [M("Line {line}: the peer stopped answering on the established IKE SA: the request "
                               "sent on it timed out without an answer.", line=s.line)]
            else:
                reasoning = [M("Line {line}: dead peer detection declared the peer dead after it stopped answering.",
                               line=s.line)]
            unreach = [e for e in cats.get("peer_unreachable", []) if e.order > s.order]
            if unreach and _up_after(established, unreach[-1], peers) is None:
                reasoning.append(M(
                    "The attempts to set the tunnel up again also got no answer (line {line}): "
                    "the peer is unreachable. Check that the customer gateway is up and that UDP 500/4500 "
                    "and ESP pass before touching DPD settings.", line=unreach[-1].line
                ))
                reasoning += _also(cats, "peer_unreachable")
                return True, _primary(
                    "peer_unreachable",
                    M("DPD timed out because the peer stopped answering, and it still does not answer: reachability."),
                    reasoning,
                    context["dpd_timeout"] + unreach,
                    {"peer_alive_after_dpd": "no"},
                )
            if (up := _up_after(established, s, peers)) is not None and (
                    (gap := _seconds_between(s, up)) is not None and gap > _QUICK_RETURN_SECONDS):
                # A negotiation with a peer that answers takes seconds; one that took longer retransmitted into a
                # silence first: the peer (or the path) was down for part of that time, which is what DPD saw.
                reasoning.append(M(
                    "The tunnel was established again at line {line}, {seconds} seconds after the timeout: the peer "
                    "answers again, but a negotiation with a peer that answers takes seconds, so the peer or the path "
                    "was likely down for part of that time. Look at the path and at the customer gateway around the "
                    "timeout before changing DPD settings.", line=up.line, seconds=int(gap)
                ))
                summary = M("DPD timed out while the peer stopped answering; the tunnel came back {seconds} seconds "
                            "later.", seconds=int(gap))
                extra = {"peer_alive_after_dpd": "yes"}  # (alive now: the evidence says no more, see evidence.yaml)
            elif up is not None:
                reasoning.append(M(
                    "The tunnel was established again at line {line}, so the peer is reachable: "
                    "look at DPD itself (idle tunnel, customer gateway DPD off, timeout action).", line=up.line
                ))
                summary = M("DPD timed out and cleared the tunnel although the peer was reachable.")
                extra = {"peer_alive_after_dpd": "yes"}
            elif (resumed := next((e for e in events if e.kind == "dpd_probe" and e.order > s.order
                                   and e.stream == s.stream and same_tunnel(e, s)
                                   # (told to be this tunnel's: both lines name it, or the log has one peer)
                                   and (tunnel_name(e) and tunnel_name(s) or one_peer)), None)) is not None:
                # DPD probes go out only on an established IKE SA (RFC 3706 section 5): probes after the peer was
                # declared dead watch a new SA, so the tunnel came back (FortiClient's DPD monitoring restarts under
                # a new process after each "remote seems to be dead").
                deaths = [e for e in cats["dpd_timeout"] if e.order > resumed.order and same_tunnel(e, s)]
                reasoning.append(M(
                    "Line {line}: DPD probes start again after the timeout, and DPD runs only on an established IKE "
                    "SA, so the tunnel came back.", line=resumed.line))
                if deaths:
                    reasoning.append(M(
                        "Line {line}: DPD declared the peer dead again ({times} in all): the tunnel keeps coming "
                        "back and being lost. The path to the peer loses its packets for a while at a time: look "
                        "at the path (loss, congestion, the network the client is on) before DPD settings.",
                        line=deaths[-1].line, times=Mn("{n} time", "{n} times", len(deaths) + 1)))
                summary = (M("DPD timed out again and again: the tunnel comes back and the peer stops answering "
                             "again.") if deaths else
                           M("DPD timed out; the tunnel came back afterwards."))
                extra = {"peer_alive_after_dpd": "yes"}
            else:
                reasoning.append(M(
                    "Nothing after it shows the peer alive: treat it as a reachability problem until shown "
                    "otherwise, then check who brings the tunnel back (DPD timeout action, startup action)."
                ))
                # (the lines may end at the timeout: nothing after it says whether the tunnel came back)
                last = not any(e.order > s.order and e.stream == s.stream for e in events)
                summary = (M("The peer stopped answering on the established IKE SA: its liveness check goes "
                             "unanswered to the end of the log.") if s.values.get("still_unanswered") else
                           M("DPD timed out: the peer stopped answering; the lines end before the tunnel could be set "
                             "up again.") if last else
                           M("DPD timed out: the peer stopped answering and the tunnel was not set up again."))
                extra = {}
            reasoning += _also(cats, "dpd_timeout")
            return True, _primary("dpd_timeout", summary, reasoning, context["dpd_timeout"], extra)
        restarts = evs[0].values.get("first_replies_unanswered")
        waited = evs[0].values.get("first_reply_timeout")
        if waited and not restarts:
            reasoning = [
                M("Line {line}: this side answered the peer's first phase 1 message and waited {seconds} seconds for "
                  "the next one, which never came.", line=evs[0].line, seconds=waited),
                _ONE_WAY,
            ]
        elif evs[0].values.get("answers_lost"):
            # protocol: the peer resends the IKE_SA_INIT or IKE_AUTH request this side answered
            reasoning = [
                M("Line {line}: the peer sent its {exchange} request again after this side had answered it ({times} by "
                  "line {last}): this side's answers do not reach the peer.", line=evs[0].line, last=evs[-1].line,
                  exchange=evs[0].exchange,
                  times=Mn("{n} time", "{n} times", max(e.values.get("answers_lost", 0) for e in evs))),
                _ONE_WAY if evs[0].exchange == "IKE_SA_INIT" else
                M("The peer's requests arrive, so the path works toward this side; the way back drops the answers. "
                  "This side's IKE_AUTH answer is the first large message (with a certificate it leaves as IP "
                  "fragments or IKE fragments) and goes to UDP 4500 after NAT detection: check that UDP 4500 and IP "
                  "fragments pass toward the peer (firewalls, NAT, the provider's filtering)."),
            ]
            if silent := next((e.values["silent_after"] for e in evs if e.values.get("silent_after")), None):
                # protocol.unanswered._answers_lost_then_silent
                reasoning.insert(1, M(
                    "This side's own requests over that IKE SA then went unanswered (up to line {line}): the peer never "
                    "got the IKE_AUTH answer, so it has no IKE SA to answer them on. That silence follows from the lost "
                    "answer; it is no dead peer.", line=silent))
        elif evs[0].values.get("snapshot") and len(evs) == 1:
            reasoning = [
                M("Line {line}: the status listing shows a state that sent its first request and still waits for the "
                  "peer's first answer, with a retransmit scheduled.", line=evs[0].line) if evs[0].fmt == "libreswan"
                else M("Line {line}: the status listing shows an IKE SA this side started whose responder SPI is still "
                       "zero: the peer has not answered its first request.", line=evs[0].line),
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
        elif evs[0].values.get("cert_sent") and _up_after(established, evs[0], peers) is None and all(
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
            return True, _primary(
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
            if repeated := evs[0].values.get("first_message_repeats"):
                reasoning.insert(1, M("The peer also sent its first message again {times} after this side had "
                                      "answered it: it did not get the answer.",
                                      times=Mn("{n} time", "{n} times", repeated)))
        elif (unresolved := [e for e in evs if e.pattern in _UNRESOLVED]) and _up_after(
                established, unresolved[0], peers) is None:
            # Nothing was sent: the peer's address is a host name this host could not resolve. The peer is not silent;
            # it was never asked.
            name = str(facts_of(unresolved[0]).get("peer") or "")
            return True, _primary(
                "peer_unreachable",
                M("The peer's host name does not resolve on this side, so no IKE message is sent to it."),
                [
                    M("Line {line}: this side could not resolve the peer's host name ({name}) to an address ({times}), so "
                      "it sent nothing: the peer had nothing to answer.", line=unresolved[0].line,
                      name=name or "?", times=Mn("{n} time", "{n} times", len(unresolved))) if name else
                    M("Line {line}: this side could not resolve the peer's host name to an address ({times}), so it sent "
                      "nothing: the peer had nothing to answer.", line=unresolved[0].line,
                      times=Mn("{n} time", "{n} times", len(unresolved))),
                    M("Check the name in the tunnel's configuration and this host's DNS (its resolver must answer "
                      "before the tunnel is up). For an AWS tunnel, configure its outside IP address itself rather "
                      "than a name: the address stays the same when AWS replaces the tunnel's endpoint."),
                ] + _also(cats, "peer_unreachable"),
                unresolved)
        elif (icmp := _icmp_reports(cats, context, evs)) and _up_after(established, icmp[0], peers) is None:
            report, reason = icmp[0], str(icmp[0].values["reason"])
            times = Mn("{n} time", "{n} times", len(icmp))
            by = _COMPLAINANT.search(report.text)
            if reason in _REFUSED:
                reasoning = [
                    M("Line {line}: the peer's address answered this side's IKE with a refusal ({reason}; {times}): "
                      "the path reaches it, but nothing accepts IKE there.", line=report.line, reason=reason,
                      times=times),
                    M("The peer's IKE service is stopped or restarting, this side sends to an address that is not the "
                      "VPN gateway (a wrong peer address, or a NAT rule that forwards UDP 500/4500 elsewhere), or a "
                      "firewall on the path rejects IKE (a reject rule answers the same way). Check that the peer's "
                      "IKE daemon runs and listens on UDP 500/4500 (TCP 4500 with IKE over TCP), the peer address "
                      "configured on this side, and the firewalls in between."),
                ]
                summary = M("The peer's address refuses IKE: nothing accepts it there, or a firewall rejects it.")
            else:
                reasoning = [
                    M("Line {line}: {complainant} reported the peer's address unreachable for this side's IKE packets "
                      "({reason}; {times}): a router on the way has no route to it, or the peer's host is down.",
                      line=report.line, reason=reason, times=times,
                      complainant=by.group(1).rstrip(":") if by else M("a router on the path")),
                    M("Check the route toward the peer's address from this host and along the path (the ICMP error "
                      "names the router that gave up), and that the peer's host is up."),
                ]
                summary = M("The peer's address is unreachable: a router on the path reports no route to it (ICMP).")
            return True, _primary("peer_unreachable", summary, reasoning + _also(cats, "peer_unreachable"), icmp)
        elif (sends := _unsent(cats, context, evs)) and _up_after(established, sends[0], peers) is None:
            return True, _unsent_primary(sends, evs, cats)
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
            redirect = next((e for e in events if e.kind == "redirect" and e.stream == evs[0].stream
                             and e.order < evs[0].order and _REDIRECT_TO.search(e.text)), None)
            if redirect is not None and (to := _REDIRECT_TO.search(redirect.text)):
                # RFC 5685: the gateway contacted first answered with a REDIRECT; the unanswered requests went to
                # the gateway it named
                reasoning.insert(1, M(  # (before the general advice: it says where the silence is)
                    "Line {line}: the gateway this side contacted first did answer: it redirected this side to {gateway} "
                    "(RFC 5685), and the requests left unanswered went there. Check the redirect list on the first "
                    "gateway (it may name addresses that do not answer) and the gateway it redirects to.",
                    line=redirect.line, gateway=to.group(1)))
        if (up := _up_after(established, evs[-1], peers)) is not None:
            reasoning.append(M(
                "An IKE or IPsec SA was established later (line {line}): the peer answered a later attempt, so "
                "what failed was the path or the peer at that time (a peer still starting, a blocked port or "
                "transport that a retry avoided).", line=up.line
            ))
        elif not established and not restarts and not waited and (other := _other_side_version(events, evs)):
            # Both peers' logs pasted: the connection this side could not get an answer for was added on the other
            # side with the other IKE version only (keyexchange=ikev1 against ikev2). A peer drops a request of a
            # version it has no connection for without a reply, so the silence is the version mismatch.
            sent, added, added_at = other
            return True, _primary("ike_version_mismatch", M("The two sides run different IKE versions: {sent} requests go "
                                                      "unanswered by a peer set up for {added}.", sent=sent, added=added), [
                M("Line {line}: negotiation got no answer from the peer ({times}).", line=evs[0].line,
                  times=Mn("{n} time", "{n} times", len(evs))),
                M("Line {line}: the other side's log (pasted too) adds the same connection as {added}, while this side "
                  "sends {sent}. pluto drops a request of an IKE version it has no connection for without any "
                  "reply. Set the same IKE version on both sides (AWS: the tunnel options' IKE versions).",
                  line=added_at.line, added=added, sent=sent),
            ] + _also(cats, first), evs, {"ike_sent": sent, "peer_conn_version": added}, lead=[added_at])
        elif not established and not restarts and not waited and (fallback := _falls_back(events, evs)):
            sent, tried, start = fallback
            reasoning.append(M(
                "Line {line}: this side then tries {tried} for the same connection, and the log ends before that "
                "attempt is answered. A peer that speaks only {tried} drops {sent} requests without any reply, as an "
                "unreachable peer does: if the {tried} attempt is answered, the two sides run different IKE versions "
                "(set the same one on both sides); if it is not answered either, the peer is unreachable.",
                line=start.line, sent=sent, tried=tried))
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
            summary = M("The peer's {exchange} requests arrive, but this side's answers do not reach it: the path drops "
                        "them.", exchange=evs[0].exchange)
        elif evs[0].values.get("snapshot") and len(evs) == 1:
            summary = M("The status shows this side still waiting for the peer's first answer: most likely reachability.")
        elif restarts or waited:
            summary = M("The peer's first IKE message arrives, but the exchange never gets past this side's first "
                        "reply: the path loses one direction.")
        earlier = set(evs[0].values.get("_first_reply_orders", ()))
        lead = [e for e in events if e.order in earlier] if restarts else None
        return True, _primary(first, summary, reasoning, context[first], lead=lead)
    return False, None
