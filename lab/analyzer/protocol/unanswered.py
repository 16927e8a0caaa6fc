"""After the first reading: requests still unanswered at the end of a log, first replies never followed up,
transforms all refused, refusals beside a rekey that lost its SA, give-ups of an SA that was up, and a BGP
NOTIFICATION named on the next line."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

from lab.analyzer import bgp
from lab.analyzer.protocol.events import Event, drop_kind
from lab.analyzer.protocol.exchanges import _rekey_word
from lab.analyzer.protocol.meaning import _CHARON_TAG, _set, bgp_peer
from lab.analyzer.protocol.ordering import _CHARON_IKE_SA
from lab.analyzer.protocol.streams import (
    _INCOMPLETE,
    _INSTANCE_PEER,
    _R1_DELETED,
    _RESPONDING,
    FIRST_MESSAGE_REPEATED,
    _serial_of,
    conn_of,
)

# How many times a rekey request must have been sent again, unanswered up to the end of the log, to be read as a
# rekey the peer does not answer (the waits double: the third retransmission comes seconds after the request).
STILL_UNANSWERED = 3


# What ends a run of retransmissions still unanswered: an answer, a refusal or the end of the SA.
_RUN_ENDS = frozenset({"established", "notify", "no_proposal", "ts_unacceptable", "auth_failed", "give_up", "delete",
                       "operator_down"})


def _unanswered_at_end(events: list[Event], member: Callable[[Event], bool],
                       ends: frozenset[str] = _RUN_ENDS) -> list[list[Event]]:
    """Per log (stream), the retransmissions `member` picks that nothing answered up to the end of the log: the last
    run of them after the last answer (an event of a kind in `ends`, or a message received)."""
    run: dict[int, list[Event]] = {}
    for ev in events:
        if ev.kind == "retransmit" and member(ev):
            if (got := run.get(ev.stream)) and _new_request(got[-1], ev):
                got.clear()  # the wait starts over: a new request, so the one before was answered
            run.setdefault(ev.stream, []).append(ev)
        elif ev.kind in ends or (ev.kind == "exchange" and ev.direction == "received"):
            run.pop(ev.stream, None)
    return list(run.values())


def _new_request(before: Event, ev: Event) -> bool:
    """Whether pluto's retransmission `ev` is of another request than `before`, of the same state: pluto doubles its
    wait for each retransmission of one request ("will wait 0.5 seconds", "1 seconds", "2 seconds"), so a wait no
    longer than the one before starts a new request's series (the request before it was answered: pluto does not
    log answers to its liveness checks)."""
    a, b = _WILL_WAIT.search(before.text), _WILL_WAIT.search(ev.text)
    return (a is not None and b is not None and float(b.group(1)) <= float(a.group(1))
            and _serial_of(before.text) == _serial_of(ev.text))


def answered_by_packets(events: list[Event]) -> None:
    """charon logs every IKE message that comes in for an IKE SA ("received packet: from 203.0.113.5[500] to ...",
    process_message_job.c) before it reads it. A retransmission followed by such a message from the same peer (and
    for the same connection, when both lines name one: "<aws-1|4>") was answered, also when the lines that read the
    answer are missing (a paste cut after it, [ENC] lines not logged): it is marked `answered_by` that line. The
    packet lines are then dropped and the rest numbered again: they are read for this only."""
    if not any(ev.kind == "packet_in" for ev in events):
        return
    waiting: dict[int, list[tuple[Event, str]]] = {}
    peers: dict[int, str] = {}
    for i, ev in enumerate(events):
        if ev.kind == "retransmit" and ev.fmt == "strongswan":
            waiting.setdefault(ev.stream, []).append((ev, peers.get(ev.stream, "")))
        elif ev.kind == "packet_in" and waiting.get(ev.stream) and not _a_repeat(events, i):
            source, sa = str(ev.values.get("peer") or ""), conn_of(ev)
            still = []
            for retransmit, sent_to in waiting[ev.stream]:
                other = conn_of(retransmit)
                if (sent_to and source and sent_to != source) or (sa and other and sa != other):
                    still.append((retransmit, sent_to))
                else:
                    retransmit.values["answered_by"] = ev.line
            waiting[ev.stream] = still
        if ev.values.get("peer") and ev.kind != "packet_in":
            peers[ev.stream] = str(ev.values["peer"])
    drop_kind(events, "packet_in")


def _a_repeat(events: list[Event], i: int) -> bool:
    """Whether the message charon received at `events[i]` is the peer's previous answer sent again, which charon's
    next line about it says ("received retransmit of response with ID 0, but next request already sent"): no answer
    to the request this side retransmitted."""
    return next((e.kind == "peer_repeats" for e in events[i + 1:i + 3] if e.stream == events[i].stream), False)


def _v1_repeats_to_the_end(events: list[Event]) -> None:
    """charon, IKEv1 initiator: after this side's first encrypted Main Mode message (the fifth), the peer sends its
    fourth again, and again after this side retransmits the fifth, up to the end of the log: the peer gets the fifth
    message and cannot decrypt or verify it (RFC 2409 section 5), so the two sides hold different pre-shared keys.
    The paste ends before charon gives up (which reads so with the repeat as its reason): a guess, read from the
    second repeat on, which firmer lines outweigh."""
    repeats: dict[int, list[Event]] = {}
    for ev in events:
        if ev.kind == "peer_repeats" and ev.fmt == "strongswan" and ev.category == "auth_failure":
            repeats.setdefault(ev.stream, []).append(ev)
        elif ev.kind in ("established", "give_up", "delete") or (ev.category and ev.weight != "context"):
            repeats.pop(ev.stream, None)
    for evs in repeats.values():
        if len(evs) >= 2 and any(e.kind == "retransmit" and e.stream == evs[0].stream
                                 and evs[0].order < e.order < evs[-1].order for e in events):
            last = evs[-1]
            last.values.update(v1_repeat=evs[0].line, repeats_to_end=len(evs), guess=True)
            _set(last, "auth_failure", "weak")


def _rekey_still_unanswered(events: list[Event]) -> None:
    """A rekey this side sent over an SA that was up, retransmitted again and again with no answer up to the end of
    the log (the paste ends before the daemon gives up): the peer does not answer the rekey. A weak reading, the last
    retransmission carries it; anything firmer wins. (Each retransmission on its own is context: one answered
    later was only packet loss.) A DPD answer ends the run too: the peer answers over that SA."""
    for retransmits in _unanswered_at_end(
            events, lambda ev: ev.category == "rekey_issue" and ev.weight == "context", _RUN_ENDS | {"dpd_answer"}):
        if len(retransmits) >= STILL_UNANSWERED:
            last = retransmits[-1]
            _set(last, "rekey_issue", "weak")
            last.values["still_unanswered"] = len(retransmits)


_WILL_WAIT = re.compile(r"\bwill wait (\d+(?:\.\d+)?) ?s(?:econds?)?\b")
QUICK_SILENCE_SECONDS = 16  # pluto waits 0.5 s, then twice as long each time: 16 s is its sixth retransmission


def _long_silence(retransmits: list[Event], lossy: bool = False) -> bool:
    """Whether a run of retransmissions still unanswered is a long silence: the last one waits QUICK_SILENCE_SECONDS
    or more (pluto's "will wait 20s for response"), or there are more than STILL_UNANSWERED of them. On a `lossy` path
    (the peer answered earlier requests of the log only after retransmissions) only the wait counts, where the lines
    say it: pluto's fourth retransmission comes some 4 s after its request, which such a path loses as often."""
    waits = [float(m.group(1)) for e in retransmits if (m := _WILL_WAIT.search(e.text))]
    if lossy and waits:
        return max(waits) >= QUICK_SILENCE_SECONDS
    return (max(waits, default=0.0) >= QUICK_SILENCE_SECONDS) or len(retransmits) > STILL_UNANSWERED


def _quick_mode_still_unanswered(events: list[Event]) -> None:
    """The first Quick Mode over an ISAKMP SA the peer set up moments ago, sent again and again with no answer up to
    the end of the log (the paste ends before the daemon gives up): read as its timeout is (see classify's give_up,
    a guess). It counts once the silence is long, the last retransmission waiting QUICK_SILENCE_SECONDS or more
    (pluto's "will wait 20s for response") or STILL_UNANSWERED + 1 retransmissions; a shorter silence is packet loss
    as much as a refusal."""
    for retransmits in _unanswered_at_end(
            events, lambda ev: bool(ev.values.get("quick_guess")) and ev.weight == "context"):
        last = retransmits[-1]
        if _long_silence(retransmits):
            last.values["guess"] = True
            last.values["still_unanswered"] = len(retransmits)
            last.direction = None  # (this side's request, sent again: no refusal either side sent)
            _set(last, last.values["quick_guess"], "weak")


def _liveness_still_unanswered(events: list[Event]) -> None:
    """A request on an established IKE SA (a liveness or DPD probe, an INFORMATIONAL) sent again and again with no
    answer up to the end of the log: the paste ends before the daemon gives up. Read as that timeout is (classify's
    give_up on an SA that is up), a guess, once the silence is as long as for a Quick Mode (see
    _quick_mode_still_unanswered); a shorter one is packet loss as much as a peer gone."""
    def member(ev: Event) -> bool:
        return ev.category == "dpd_timeout" and ev.weight == "context"

    for retransmits in _unanswered_at_end(events, member, _RUN_ENDS | {"dpd_answer", "dpd_dead"}):
        last = retransmits[-1]
        # the peer answered earlier checks of the log after retransmissions (pluto's wait started over for a new one)
        before = [e for e in events if e.stream == last.stream and e.kind == "retransmit" and member(e)
                  and e.order < retransmits[0].order]
        lossy = any(_new_request(a, b) for a, b in zip(before, [*before[1:], retransmits[0]], strict=False))
        if _long_silence(retransmits, lossy):
            last.values["guess"] = True
            last.values["still_unanswered"] = len(retransmits)
            last.values["first_retransmit"] = retransmits[0].line
            _set(last, "dpd_timeout", "weak")


# What this side's own requests over an IKE SA meet when the peer never answers them: sent again, given up, the peer
# declared dead.
_UNANSWERED_KINDS = frozenset({"retransmit", "give_up", "dpd_dead"})


def _answers_lost_then_silent(events: list[Event]) -> None:
    """IKEv2, this side the responder (pluto): the peer sent again the IKE_AUTH request this side had answered (fewer
    times than `_ANSWERS_LOST`), and from then on left this side's own requests over that IKE SA unanswered (its
    liveness checks sent again to the end of the log, given up). The peer never got the IKE_AUTH answer, so it has no
    IKE SA to answer on: the repeats name the cause (the answers do not reach the peer), the silence follows from it.
    (docker-ipsec-vpn-server#363: an iOS client's fragmented IKE_AUTH sent again twice, then the server's liveness
    checks of that IKE SA unanswered.)"""
    # each pluto state's events in order (one pass), read from its last repeat of the IKE_AUTH request on
    states: dict[tuple[int, int], list[Event]] = {}
    for ev in events:
        if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            states.setdefault((ev.stream, serial), []).append(ev)
    for evs in states.values():
        repeats = [i for i, e in enumerate(evs) if e.kind == "out_of_step"]
        if not repeats or (ev := evs[repeats[-1]]).exchange != "IKE_AUTH" or ev.weight == "decisive":
            continue
        later = evs[repeats[-1] + 1:]
        silent = [e for e in later if e.kind in _UNANSWERED_KINDS]
        if len(silent) >= 2 and all(e.kind in _UNANSWERED_KINDS | {"delete"} for e in later):
            ev.values["silent_after"] = silent[-1].line
            _set(ev, "peer_unreachable")
            for e in silent:
                _set(e, "peer_unreachable", "context")


def _bgp_notification_named_next(events: list[Event]) -> None:
    """A NOTIFICATION line that names no error ("sent notification", GoBGP's warning) followed by the neighbor's
    down line that names it (GoBGP's Peer Down "Reason": "notification-sent code 6(cease) subcode 3(peer
    deconfigured)") within the same few lines: both are one NOTIFICATION, and when the named one was sent or received
    on purpose (an operator's reset, shutdown, a neighbor removed from the configuration) the first is no fault of its
    own either."""
    for i, ev in enumerate(events):
        if ev.kind != "bgp_down" or ev.weight != "decisive" or bgp.read(ev.text).get("bgp_reason") != "notification":
            continue
        for nxt in events[i + 1 : i + 4]:
            if nxt.stream != ev.stream or nxt.kind != "bgp_down":
                continue
            if bgp_peer(nxt) and bgp_peer(ev) and bgp_peer(nxt) != bgp_peer(ev):
                continue
            if bgp.read(nxt.text).get("bgp_reason") in bgp.ON_PURPOSE:
                _set(ev, "bgp_down", "weak")
            break


_LOST_REKEY = "swan-rekey-job-sa-gone"


def _refusals_beside_a_lost_rekey(events: list[Event]) -> None:
    """charon: a Child SA's pending rekey found the SA gone ("CHILD_SA ESP/0x.../... not found for rekey"): its rekey
    was still being retried (charon retries a refused rekey after some seconds) when the SA reached its hard lifetime
    and was deleted. A CREATE_CHILD_SA of the same log refused with NO_PROPOSAL_CHOSEN is then the Child SA set up
    again after it expired, refused like its rekeys: the first Child SA came up in IKE_AUTH, which carries no KE
    payload, a CREATE_CHILD_SA carries the PFS group (RFC 7296 sections 1.2, 1.3.1), so what is refused applies to
    rekeys - also when the paste starts after the rekey's own refusal and the SA's expiry. On its own the line is
    context (a pending rekey can also find an SA the peer deleted)."""
    lost: dict[int, Event] = {}
    for ev in events:
        if ev.pattern == _LOST_REKEY:
            _set(ev, "rekey_issue", "context")
            lost.setdefault(ev.stream, ev)
    if not lost:
        return
    refusals = [ev for ev in events if ev.stream in lost and ev.fmt == "strongswan" and ev.weight == "decisive"
                and ev.category == "phase2_proposal_mismatch" and ev.notify == "NO_PROPOSAL_CHOSEN"]
    for stream, first in lost.items():
        mine = [ev for ev in refusals if ev.stream == stream]
        if not any(ev.exchange == "CREATE_CHILD_SA" for ev in mine):
            continue
        if any(ev.stream == stream and ev.category == "rekey_issue" and ev.weight == "decisive" for ev in events):
            continue  # a rekey reading of its own (the rekey's refusal) is in the paste: the refusals stay as they are
        # (an IKE SA negotiated before the refusal: the Child SA is that IKE SA's first own one, not the expired one's
        # replacement; the rekey pending for the old IKE SA's Child SA says nothing of it)
        start = min(ev.order for ev in mine)
        if any(ev.stream == stream and ev.order < start and ev.exchange in ("IKE_SA_INIT", "IKE_AUTH") for ev in events):
            continue
        for ev in mine:
            _set(ev, "rekey_issue")
            ev.values["rekey_lost_line"] = first.line


# pluto's "Oakley Transform [...] refused" / "ESP IPsec Transform [...] refused" (what follows it on the line, such as
# an arrow an article adds to mark the line, does not matter)
_TRANSFORM_REFUSED = re.compile(r"Transform \[[^\]\n]+\] refused\b")


def _conn_key(ev: Event) -> str:
    """The connection a pluto line names ("" for other daemons' lines and pluto's lines that name none)."""
    return conn_of(ev) if ev.fmt == "libreswan" else ""


def _transforms_all_refused(events: list[Event]) -> None:
    """pluto lists each phase 1 transform of the peer's offer it refuses ("Oakley Transform [AES_CBC (256),
    HMAC_SHA1, MODP1024] refused"), racoon and RouterOS each attribute that differs ("rejected hashtype:
    DB(prop#1:trns#1):Peer(prop#1:trns#1) = MD5:SHA"); when one is acceptable it goes on (MR1). A refusal (two for
    Quick Mode's transforms) and nothing further from that state (a paste that ends there) read as the offer
    refused, as the daemon's final "no acceptable Oakley Transform" would say: a weak reading, dropped when anything
    firmer is seen or an SA comes up. "Nothing further" is looked up, not searched for in every later line: a log of
    many such states stays linear."""
    refused: dict[tuple[int, int], list[Event]] = {}
    for ev in events:
        if ev.kind == "proposals" and ev.fmt == "libreswan" and _TRANSFORM_REFUSED.search(ev.text) and (
            serial := _serial_of(ev.text)
        ) is not None:
            refused.setdefault((ev.stream, serial), []).append(ev)
        elif ev.pattern == "rac-phase1-rejected":
            # racoon and RouterOS name no state: a stream's rejections count as one negotiation's
            refused.setdefault((ev.stream, -1), []).append(ev)
    # One refusal is enough for phase 1 (the paste ends on the transform the peer offered); the Quick Mode
    # transforms of one proposal are refused one by one as a matter of course, so those need two.
    groups = [(key, evs) for key, evs in refused.items()
              if len(evs) >= 2 or "Oakley" in evs[-1].text or evs[-1].pattern == "rac-phase1-rejected"]
    if not groups:
        return
    # The state's first line may come later in a reversed paste: "responding to Main Mode" lines never count.
    counted = [e for e in events if not _RESPONDING.search(e.text)]
    refusal = {id(e) for evs in refused.values() for e in evs}
    state_line: dict[tuple[int, int], int] = {}  # the latest other line of each state
    for e in counted:
        serial = _serial_of(e.text)
        if serial is not None and id(e) not in refusal:
            state_line[(e.stream, serial)] = max(state_line.get((e.stream, serial), -1), e.order)
    # per stream and connection, in order: SAs up and lines with a reading. (pluto names the connection of each
    # line: another connection's SA or refusal says nothing of this one's offer; a line naming none may be any's.)
    firmer: dict[tuple[int, str], list[int]] = {}
    for e in counted:
        if e.kind == "established" or e.category:
            firmer.setdefault((e.stream, _conn_key(e)), []).append(e.order)
    for (stream, serial), evs in groups:
        first = evs[0].order
        if state_line.get((stream, serial), -1) > first:
            continue
        conn = _conn_key(evs[0])
        own = sum(1 for e in evs if e.order > first and (e.kind == "established" or e.category))
        lists = [firmer.get((stream, conn), [])] + ([firmer.get((stream, ""), [])] if conn else [])
        later = sum(len(orders) - bisect.bisect_right(orders, first) for orders in lists)
        if later > own:
            continue
        last = evs[-1]
        if not last.category:
            bisect.insort(firmer.setdefault((stream, conn), []), last.order)
        phase1 = "Oakley" in last.text or "OAKLEY" in last.text or last.pattern == "rac-phase1-rejected"
        _set(last, "phase1_proposal_mismatch" if phase1 else "phase2_proposal_mismatch", "weak")
        last.direction = "sent"  # this side refuses the offer it received
        last.values.setdefault("transforms_refused", len(evs))


_UP_DESTROYED = re.compile(r"IKE_SA \S+ state change: ESTABLISHED => DESTROYING")


def _gave_up_while_established(events: list[Event]) -> None:
    """charon's "giving up after N retransmits" followed by the IKE SA going from ESTABLISHED straight to
    DESTROYING: the request that went unanswered was sent on an established IKE SA (a liveness check, or another
    request on it), so the peer stopped answering an SA that worked: a DPD timeout, also in a paste that starts
    after the SA was set up."""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or ev.category != "peer_unreachable" or ev.fmt != "strongswan":
            continue
        for nxt in events[i + 1 : i + 3]:
            if nxt.stream == ev.stream and _UP_DESTROYED.search(nxt.text):
                _set(ev, "dpd_timeout")
                break


# Responder: pluto answered the peer's first message, IKEv1 Main or Aggressive Mode (MR1 / AR1) or IKEv2 IKE_SA_INIT
# (libreswan 3.x "STATE_PARENT_R1: received v2I1, sent v2R1", 4.x "sent IKE_SA_INIT reply", 5.x "... response").
_FIRST_REPLY = re.compile(r"\bSTATE_(?:MAIN|AGGR)_R1\b|\bsent (?:MR1|AR1)\b|\bsent (?:Main|Aggressive) Mode R1\b"
                          r"|\bSTATE_PARENT_R1: received v2I1, sent v2R1\b|\bsent IKE_SA_INIT (?:reply|response)\b")
# A pluto state past its first reply (a later state, or an SA up).
_LATER_STATE = re.compile(r"\bSTATE_\w+|\bsent (?:Main|Aggressive) Mode R[23]\b|\bsent (?:MR|AR)[23]\b|\bestablished\b")
_FIRST_REPLY_V2 = re.compile(r"\bv2R1\b|\bIKE_SA_INIT\b")
# This many new attempts from one peer, each left after this side's first reply, are a pattern, not a hiccup. An IKEv2
# initiator starts a new IKE_SA_INIT only after its whole retransmission schedule for IKE_AUTH ran out (RFC 7296
# section 2.1), so two such starts already are.
FIRST_REPLY_RESTARTS = 3
FIRST_REPLY_RESTARTS_V2 = 2


def _first_reply_v2(ev: Event) -> bool:
    """Whether a first reply of `_FIRST_REPLY` answers IKEv2's IKE_SA_INIT (not IKEv1's Main or Aggressive Mode)."""
    return _FIRST_REPLY_V2.search(ev.text) is not None


def _init_repeats_followed_up(events: list[Event]) -> None:
    """The peer resending an IKE_SA_INIT request this side answered means the answers are lost only while the peer
    gets no further: an IKE_AUTH request from it for the same IKE SA (or that SA up) shows an answer arrived, and the
    repeats were copies the network (or a test's impairment) delivered again. Wherever that proof is in the log."""
    further = {(ev.stream, _serial_of(ev.text)) for ev in events
               if ev.fmt == "libreswan" and (ev.exchange == "IKE_AUTH" or ev.kind == "established")}
    for ev in events:
        if ev.pattern == "lib-v2-duplicate-ike-sa-init" and ev.category and (ev.stream, _serial_of(ev.text)) in further:
            ev.values.pop("answers_lost", None)
            _set(ev, None)


def _first_replies_unanswered(events: list[Event]) -> None:
    """The peer starts Main (or Aggressive) Mode again and again, a new pluto state each time; this side answers
    each with its first reply and the peer's next message never comes. The first reply carries no keys yet (RFC
    2409 section 5): it means this side accepted the peer's proposal, so no configuration mismatch is in play;
    the replies do not reach the peer, or its next messages do not reach this side (a firewall, NAT or provider
    filter that passes one direction only). Read per peer (a public server also gets single probes from many
    addresses), and only when nothing else about that peer names a cause or an SA."""
    firsts: dict[tuple[int, str, str], list[Event]] = {}
    repeats: dict[tuple[int, str, str], int] = {}  # the peer's first message seen again after the first reply
    deleted = []
    at_r1: dict[tuple[int, int], bool] = {}  # (stream, serial) -> whether its last state line was the first reply
    for i, ev in enumerate(events):
        if ev.fmt != "libreswan":
            continue
        serial = _serial_of(ev.text)
        if ev.pattern == FIRST_MESSAGE_REPEATED:
            key = (ev.stream, *_conn_peer(ev))
            repeats[key] = repeats.get(key, 0) + 1
            continue
        if _FIRST_REPLY.search(ev.text) and serial is not None:
            firsts.setdefault((ev.stream, *_conn_peer(ev)), []).append(ev)
            at_r1[(ev.stream, serial)] = True
        elif serial is not None and _LATER_STATE.search(ev.text):
            at_r1[(ev.stream, serial)] = False
        if _R1_DELETED.search(ev.text) or (
                _INCOMPLETE.search(ev.text) and at_r1.get((ev.stream, serial or -1))
                and not any(_R1_DELETED.search(e.text) for e in events[i + 1 : i + 2] if e.stream == ev.stream)):
            # (pluto 3.x may print only "deleting incomplete state after 60.000 seconds" for a state it left at its
            # first reply: that line, with the reply before it, says the same as the deletion of an R1 state)
            deleted.append(i)
    # (each time the peer sent its first message again counts as a start of its own: it did not get the reply)
    restarts = [(key, replies) for key, replies in firsts.items()
                if len({_serial_of(ev.text) for ev in replies}) + repeats.get(key, 0) >= (
                    FIRST_REPLY_RESTARTS_V2 if _first_reply_v2(replies[-1]) else FIRST_REPLY_RESTARTS)]
    if not restarts and not deleted:
        return
    about = [(e, (e.stream, *_conn_peer(e))) for e in events]
    # A cause is named, or the negotiation got further than the first reply at least once. (The proposal this side
    # chose for its first reply, pluto's "proposal 1:IKE=... chosen from remote proposals", is part of that reply.)
    further = _LatestAbout(about, lambda e: not (e.kind == "proposals" and e.weight == "context")
                           and e.pattern != FIRST_MESSAGE_REPEATED and bool(
        e.category or e.kind != "exchange" or not (_FIRST_REPLY.search(e.text) or _RESPONDING.search(e.text))))
    for key, replies in restarts:
        if further.since(key, replies[0].order):
            continue
        last = replies[-1]
        last.values["first_replies_unanswered"] = len({_serial_of(ev.text) for ev in replies})
        if repeats.get(key):
            last.values["first_message_repeats"] = repeats[key]
        last.values["_first_reply_orders"] = tuple(ev.order for ev in replies[:-1])  # shown with the finding
        if _first_reply_v2(last):
            last.ike = last.ike or 2
        if key[2]:
            last.values.setdefault("peer", key[2])
        _set(last, "peer_unreachable")
        further.add(last, key)
    # The same with one attempt: pluto waited its whole timeout after the first reply ("deleting incomplete state
    # after 60 seconds" next to the deletion of a state still in MAIN_R1 / AGGR_R1).
    settled = _LatestAbout(about, lambda e: bool(e.category and e.weight != "context" or e.kind == "established"))
    for i in deleted:
        ev = events[i]
        if ev.category:
            continue
        near = [e for e in events[max(0, i - 1) : i + 2] if e is not ev and e.stream == ev.stream]
        timeout = next((m for e in (ev, *near) if (m := _INCOMPLETE.search(e.text))), None)
        if timeout is None:
            continue
        key = (ev.stream, *_conn_peer(ev))
        if settled.since(key, 0):
            continue  # another cause, or the peer got an SA up after all
        ev.values["first_reply_timeout"] = timeout.group(1)
        if key[2]:
            ev.values.setdefault("peer", key[2])
        _set(ev, "peer_unreachable")
        settled.add(ev, key)


def _conn_peer(ev: Event) -> tuple[str, str]:
    """pluto's connection name and, for an instance (`"conn"[2] 198.51.100.7 #21:`), the peer's address."""
    m = _INSTANCE_PEER.search(ev.text)
    return conn_of(ev), (m.group(1) if m else "")


class _LatestAbout:
    """The latest order of the events a test picks, per connection and peer of a stream, kept up to date as readings
    are added: "is there such an event about this peer from `since` on" is a lookup, not a pass over every event.
    A line that names no peer counts for every peer of its connection, and a peer of none asks about them all."""

    def __init__(self, about: list[tuple[Event, tuple[int, str, str]]], test: Any) -> None:
        self.exact: dict[tuple[int, str, str], int] = {}
        self.no_peer: dict[tuple[int, str], int] = {}
        self.any: dict[tuple[int, str], int] = {}
        for ev, key in about:
            if test(ev):
                self.add(ev, key)

    def add(self, ev: Event, key: tuple[int, str, str]) -> None:
        stream, conn, peer = key
        table, where = (self.exact, key) if peer else (self.no_peer, (stream, conn))
        table[where] = max(table.get(where, -1), ev.order)  # type: ignore[index]
        self.any[(stream, conn)] = max(self.any.get((stream, conn), -1), ev.order)

    def since(self, key: tuple[int, str, str], order: int) -> bool:
        stream, conn, peer = key
        if not peer:
            return self.any.get((stream, conn), -1) >= order
        return max(self.exact.get(key, -1), self.no_peer.get((stream, conn), -1)) >= order


def _transform_refusals_settled(events: list[Event]) -> None:
    """charon compares the peer's proposals one by one and says for each that fails which transform type had no
    match ("  no acceptable ENCRYPTION_ALGORITHM found", proposal.c); when a later proposal matches ("proposal
    matches", "selected proposal: ...") those refusals were steps of a selection that succeeded: context."""
    pending: dict[int, list[Event]] = {}
    for ev in events:
        if ev.pattern == "swan-no-acceptable-transform":
            pending.setdefault(ev.stream, []).append(ev)
        elif ev.pattern == "swan-proposal-selected":
            for refusal in pending.pop(ev.stream, ()):
                refusal.weight = "context"
        elif ev.kind == "no_proposal":
            pending.pop(ev.stream, None)  # the selection ended in a refusal: the steps stand


_REAUTH_GAVE_UP_EVENTS = 6  # retransmits, "giving up", "establishing IKE_SA failed", then "reauthentication failed"


def _v1_reauthentication_gave_up(events: list[Event]) -> None:
    """charon's IKEv1 reauthentication whose new Main Mode goes unanswered: the new IKE SA's "establishing IKE_SA failed,
    peer not responding" ends a replacement of an ISAKMP SA that was up (the path worked until then), a rekey that
    failed - also where no "reauthentication failed, trying to reestablish IKE_SA" follows it (strongSwan 5.6.2 and
    earlier log none: the line came with 5.6.3's ike_sa.c; where it follows, `_rekey_gave_up` reads it)."""
    # (charon's IKEv1 reauthentication: the ISAKMP SA that is up starts a new Main or Aggressive Mode, "<gw|1> initiating
    # Main Mode IKE_SA gw[2] to ..."; charon does not rekey an ISAKMP SA, task_manager_v1.c's queue_ike_rekey queues a
    # reauthentication)
    # (charon's default ike_name = no leaves the lines untagged: there the new IKE SA is the one its name's healthy IKE
    # SA starts, "initiating Main Mode IKE_SA gw[2]" while gw[1] is up with nothing wrong since, and the next
    # "establishing IKE_SA failed" in that log is its end)
    up: set[tuple[int, str]] = set()
    reauths: dict[tuple[int, str], Event] = {}  # (log, the new IKE SA's "<name|id>") -> the line that started it
    healthy: dict[int, dict[str, str]] = {}  # untagged: log -> name -> the id of its IKE SA up with nothing wrong since
    pending: dict[int, Event] = {}  # untagged: log -> the reauthentication under way
    for i, ev in enumerate(events):
        if ev.fmt != "strongswan":
            continue
        tag, sa = _CHARON_TAG.search(ev.text), _CHARON_IKE_SA.search(ev.text)
        named = f"{sa['name']}|{sa['id']}" if sa else ""  # the IKE SA the line names, as its tag would
        if not tag:
            if ev.kind == "established" and sa and " established between " in ev.text:
                healthy.setdefault(ev.stream, {})[sa["name"]] = sa["id"]
                pending.pop(ev.stream, None)
            elif ev.kind == "initiate" and ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") and sa:
                if healthy.get(ev.stream, {}).get(sa["name"], sa["id"]) != sa["id"]:
                    pending[ev.stream] = ev
                else:
                    pending.pop(ev.stream, None)
            elif (ev.kind == "give_up" and ev.pattern == "swan-peer-not-responding" and ev.category == "peer_unreachable"
                  and (start := pending.pop(ev.stream, None)) is not None):
                _reauthentication_unanswered(events, i, start)
            elif ev.stream not in pending and (ev.kind == "give_up" or (ev.kind == "delete" and ev.direction == "received")):
                # (something went wrong with the SA that was up: what it starts next is no reauthentication of a
                # healthy SA)
                healthy.pop(ev.stream, None)
            continue
        if ev.kind == "established" and sa:
            up.add((ev.stream, tag.group(1)))
        elif (ev.kind == "initiate" and ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") and sa
              and (ev.stream, tag.group(1)) in up and tag.group(1) != named):
            reauths[(ev.stream, named)] = ev
        elif (ev.kind == "give_up" and ev.category == "peer_unreachable" and ev.pattern == "swan-peer-not-responding"
              and (ev.stream, tag.group(1)) in reauths):
            _reauthentication_unanswered(events, i, reauths[(ev.stream, tag.group(1))])


def _reauthentication_unanswered(events: list[Event], i: int, start: Event) -> None:
    """events[i], charon's "establishing IKE_SA failed, peer not responding" for the IKE SA a reauthentication started
    (`start`), and the retransmissions and give-up before it back to that start: a rekey that failed (unless a
    "reauthentication failed" line follows, which `_rekey_gave_up` reads)."""
    ev = events[i]
    later = (n for n in events[i + 1 : i + 4] if n.stream == ev.stream)
    if any(n.pattern == "swan-reauth-failed" for n in later):
        return
    _set(ev, "rekey_issue")
    for prev in reversed(events[:i]):
        if prev.stream != ev.stream or prev is start:
            break
        if prev.kind in ("give_up", "retransmit") and prev.category == "peer_unreachable":
            prev.category, prev.weight = "rekey_issue", "context"


def _rekey_gave_up(events: list[Event]) -> None:
    """charon logs "giving up after N retransmits" and only then which task gave up ("rekeying IKE_SA failed, peer
    not responding"; for a reauthentication, the new IKE SA's "establishing IKE_SA failed, peer not responding" and then
    "reauthentication failed, trying to reestablish IKE_SA"): the timeout before it is that rekey's, not a liveness
    check's or a first contact's."""
    for i, ev in enumerate(events):
        reauth = ev.pattern == "swan-reauth-failed" and ev.category == "rekey_issue"
        if not reauth and (ev.kind != "give_up" or ev.category != "rekey_issue" or _rekey_word(ev) != "rekey"):
            continue
        # (the other peer's lines merged in by time, a central syslog, are skipped: the walk counts this log's own)
        own = (prev for prev in reversed(events[:i]) if prev.stream == ev.stream)
        for _, prev in zip(range(_REAUTH_GAVE_UP_EVENTS if reauth else 3), own, strict=False):
            if prev.kind not in ("give_up", "retransmit"):
                break
            if prev.category in ("dpd_timeout", "peer_unreachable"):
                prev.category, prev.weight = "rekey_issue", "context"
