"""Refusals and revivals read with the lines after them: a refusal logged twice, an SA brought back after
it went down, the two sides' different modes."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import _CHARON_THREAD, _IMPAIRED_TIMEOUT
from lab.analyzer.protocol.meaning import _set
from lab.analyzer.protocol.names import CHARON_MESSAGE, IKEV1_EXCHANGES
from lab.analyzer.protocol.ordering import _CHARON_IKE_SA
from lab.analyzer.protocol.streams import (
    _AGED,
    _DELETED_QUIETLY,
    _OWN_END_REVIVALS,
    _RESPONDING,
    _REVIVALS,
    _serial_of,
    conn_of,
)

_IKE_SA_NAME = re.compile(r"\bIKE_SA (\S+\[\d+\])")


def _charon_state_change_echoes(events: list[Event]) -> None:
    """charon at log level 2 logs the IKE SA's state change ("IKE_SA gw[1] state change: ESTABLISHED => DELETING")
    between the lines of a Delete: after "received DELETE for IKE_SA gw[1]" when the peer deletes it, before "sending
    DELETE for IKE_SA gw[1]" when this side does. It is the same Delete, read as the line that says who sent it was
    (the peer ending the tunnel, this side's own, or a reauthentication's or rekey's step)."""
    for i, ev in enumerate(events):
        if ev.pattern != "swan-ike-deleting" or not (name := _IKE_SA_NAME.search(ev.text)):
            continue
        near = [e for e in events[max(0, i - 4):i + 5] if e is not ev and e.stream == ev.stream
                and e.kind == "delete" and e.sa != "child" and e.direction in ("received", "sent")
                and (m := _IKE_SA_NAME.search(e.text)) and m.group(1) == name.group(1)]
        if near:
            said = min(near, key=lambda e: abs(e.order - ev.order))
            ev.category, ev.weight = said.category, said.weight


def _ikev1_from(events: list[Event]) -> dict[int, int]:
    """Per log (stream), the index of its first event that shows IKEv1 (an IKEv1 exchange or pattern)."""
    first: dict[int, int] = {}
    for i, ev in enumerate(events):
        if ev.stream not in first and (ev.ike == 1 or ev.exchange in IKEV1_EXCHANGES):
            first[ev.stream] = i
    return first


def _ikev1_expiries_of_unknown_sas(events: list[Event]) -> None:
    """charon's IKEv1 keeps the CHILD_SA a Quick Mode rekey replaced until it expires ("closing expired CHILD_SA
    net{7}" in a healthy log): when the log shows neither that SA's establishment nor any of its name (the paste
    starts after them), its expiry is the routine end of a replaced SA as likely as a missed rekey, so it is no
    reading on its own. (Known the newest of its name, or followed by charon's recreate, it stays a rekey problem.)"""
    v1_streams = _ikev1_from(events)
    if not v1_streams:
        return
    for ev in events:
        if (ev.pattern == "swan-child-sa-hard-expired" and ev.stream in v1_streams and ev.category == "rekey_issue"
                and ev.weight == "weak" and not ev.values.get("expired_unreplaced")):
            _set(ev, None)


def _impaired_timeouts_echoed(events: list[Event]) -> None:
    """pluto's test impairment "IMPAIR: #N: retransmit so timing out SA" stands for the state's timeout; when the
    state's own deletion follows ("#N: deleting state (STATE_MAIN_I1)"), both lines are the one give-up, read by the
    deletion: the impairment's line is shown as context so that one give-up is not counted twice."""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or ev.weight != "decisive" or not _IMPAIRED_TIMEOUT.search(ev.text):
            continue
        serial = _serial_of(ev.text)
        for nxt in events[i + 1 : i + 6]:
            if nxt.stream == ev.stream and nxt.kind == "give_up" and nxt.values.get("abandoned") and (
                    _serial_of(nxt.text) == serial):
                ev.weight = "context"
                break


_SWITCH_EVENTS = 4


def _complaint_then_switched(events: list[Event]) -> None:
    """pluto checks the peer's identity or certificate against the connection it picked first; when that one does not
    fit it says so ("X509: CERT payload does not match connection ID") and then switches the state to a connection
    that does ("switched from "a" to "b"", libreswan's ikev1.c / ikev2.c; 5.x: "switched to "b""). The complaint was
    about the first pick, not the peer: context. charon does the same as IKE_AUTH responder ("selected peer config 'a'
    unacceptable: ...", then "switching to peer config 'b'", ike_auth.c): its complaint is no failure at all."""
    for i, ev in enumerate(events):
        if ev.kind == "conn_switched" and ev.fmt == "strongswan":
            # charon's IKE_AUTH responder (ike_auth.c update_peer_cfg): the peer config it selected first does not
            # fit the authentication done ("selected peer config 'a' unacceptable: ..."), so it switches to the next
            # candidate ("switching to peer config 'b'"): the complaint was about its first pick.
            thread = _CHARON_THREAD.search(ev.text)
            for prev in reversed(events[max(0, i - _SWITCH_EVENTS):i]):
                if (prev.stream == ev.stream and prev.pattern == "swan-identity" and "' unacceptable: " in prev.text
                        and (thread is None or (t := _CHARON_THREAD.search(prev.text)) is None
                             or t.group(1) == thread.group(1))):
                    _set(prev, None)
                    break
            continue
        if ev.kind != "conn_switched" or (serial := _serial_of(ev.text)) is None:
            continue
        for prev in reversed(events[max(0, i - _SWITCH_EVENTS):i]):
            if prev.stream == ev.stream and prev.category == "auth_failure" and prev.fmt == "libreswan" and (
                    _serial_of(prev.text) == serial and prev.values.get("own_complaint")):
                prev.weight = "context"


# This side ending an SA itself: the operator, an expiry, a peer declared dead, a negotiation given up, a redirect.
_ENDS_OF_OUR_OWN = frozenset({"operator_down", "rekey_failed", "dpd_dead", "give_up", "redirect"})
# Lines that only an SA that is up logs (an established SA, liveness checks and their answers) or that end one.
_SA_WAS_UP = frozenset({"established", "dpd_probe", "dpd_answer", "delete"})


# pluto's IPsec SA up, with its mode and SPIs: IKEv1 "IPsec SA established tunnel mode {ESP=>0x1 <0x2", IKEv2
# "established Child SA using #1; IPsec transport [..] {ESP/ESN=>0x1 <0x2" (test suites mask the SPIs: not read).
_PLUTO_SA_MODE = re.compile(
    r"(?:established (?P<m1>tunnel|transport) mode|IPsec (?P<m2>tunnel|transport) \[[^\]]*\]) \{(?:ESP|AH)\w*(?:/ESN)?"
    r"=>0x(?P<out>[0-9a-fA-F]{8}) <0x(?P<inb>[0-9a-fA-F]{8})")


def _modes_differ_across_sides(events: list[Event]) -> None:
    """Both peers' logs pasted: the same IPsec SA (this side's outbound SPI is the other side's inbound one) up in
    tunnel mode on one side and in transport mode on the other. IKEv1 does not refuse it (RFC 2407 section 4.5: the
    encapsulation mode is an attribute the responder may accept as it is configured), so neither log complains;
    traffic then fails (one side sends tunnel-mode ESP the other cannot unwrap)."""
    if len({ev.stream for ev in events}) < 2:
        return
    seen: dict[tuple[str, str], tuple[str, Event]] = {}
    for ev in events:
        if ev.kind != "established" or ev.fmt != "libreswan" or not (m := _PLUTO_SA_MODE.search(ev.text)):
            continue
        mode = m.group("m1") or m.group("m2")
        out, inb = m.group("out").lower(), m.group("inb").lower()
        other = seen.get((inb, out))
        if other is not None and other[1].stream != ev.stream and other[0] != mode:
            ev.values["modes"] = f"{other[0]} / {mode}"
            _set(ev, "ipsec_mode_mismatch")
        seen[(out, inb)] = (mode, ev)


# pluto: this side answered the peer's IKE_AUTH and its IKE SA came up (4.x/5.x wording, 3.x's state name)
_RESPONDER_UP = re.compile(r"\bresponder established IKE SA\b|\bSTATE_PARENT_R2: received v2I2, PARENT SA established\b")


# charon: the peer starts the negotiation (this side responds)
_CHARON_REQUEST_PARSED = re.compile(r"\bparsed \w+ request\b")

_CHARON_RESPONDS = re.compile(r"\bis initiating (?:an IKE_SA|IKE_SA \S+\[\d+\]|a (?:Main|Aggressive) Mode IKE_SA)"
                              # (this side answers the messages that set an IKE SA up: also in a paste that starts after
                              # the peer's first request)
                              r"|\bgenerating (?:ID_PROT|AGGRESSIVE|IKE_SA_INIT|IKE_AUTH) response\b")


def _deleted_right_after_authentication(events: list[Event]) -> None:
    """The peer deletes an IKE SA that this side set up as the responder less than two seconds earlier (pluto: deleting
    it without a notification; charon: "received DELETE for IKE_SA gw[1]" within the second of "IKE_SA gw[1]
    established"): the initiator deleted it as soon as it read this side's last answer. An initiator that cannot
    accept the responder's authentication (its identity or certificate) ends the IKE SA (IKEv2: RFC 7296 section
    2.21.2); pluto, and charon in IKEv1, say why only in their own log, so the responder's log shows the SA up and
    gone at once. A guess (weak): the initiator's log names the refusal."""
    if not any(ev.pattern == _DELETED_QUIETLY or (ev.kind == "delete" and ev.fmt == "strongswan" and ev.sa != "child"
                                                  and ev.direction == "received") for ev in events):
        return  # most logs: no such line
    def refused(ev: Event, up: Event) -> None:
        _set(ev, "auth_failure", "weak")
        ev.values["guess"] = True
        ev.values["deleted_at_once"] = up.line

    answered: dict[tuple[int, int], Event] = {}  # (stream, serial) -> the line of the IKE SA up as the responder
    responding: dict[int, bool] = {}  # charon, per log: the last negotiation seen was started by the peer
    charon_up: dict[tuple[int, str, str], Event] = {}  # (stream, name, id) -> the line of that IKE SA up as responder
    # charon, per log: the peer's requests parsed since the last IKE SA came up as the responder (a paste without time
    # stamps: the Delete must come in the peer's first request after this side's last answer, nothing in between)
    requests_since_up: dict[int, int] = {}
    for ev in events:
        if ev.fmt == "strongswan":
            ike_sa = _CHARON_IKE_SA.search(ev.text)
            if _CHARON_RESPONDS.search(ev.text):
                responding[ev.stream] = True
            elif ev.kind == "initiate" and ev.sa != "child":
                responding[ev.stream] = False
            elif (ev.kind == "established" and ike_sa and " established between " in ev.text
                  and responding.get(ev.stream)):
                charon_up[(ev.stream, *ike_sa.group("name", "id"))] = ev
                requests_since_up[ev.stream] = 0
            elif ev.pattern == CHARON_MESSAGE and _CHARON_REQUEST_PARSED.search(ev.text):
                if ev.stream in requests_since_up:
                    requests_since_up[ev.stream] += 1
            elif ev.kind == "delete" and ev.direction == "received" and ev.category and ike_sa:
                up = charon_up.get((ev.stream, *ike_sa.group("name", "id")))
                if up is None:
                    continue
                if up.stamp is not None and ev.stamp is not None:
                    at_once = 0 <= ev.stamp - up.stamp <= 1
                else:  # no time stamps: the peer's first request after the SA came up carried the Delete
                    at_once = requests_since_up.get(ev.stream) == 1
                if at_once:
                    refused(ev, up)
            continue
        if ev.kind == "established" and ev.fmt == "libreswan" and _RESPONDER_UP.search(ev.text):
            serial = _serial_of(ev.text)
            if serial is not None:
                answered[(ev.stream, serial)] = ev
        elif ev.pattern == _DELETED_QUIETLY and ev.category:
            serial = _serial_of(ev.text)
            up = answered.get((ev.stream, serial)) if serial is not None else None
            if up is not None and (aged := _AGED.search(ev.text)) and float(aged.group(1)) < 2:
                refused(ev, up)


_MR3_REPEATS = "lib-v1-duplicate-after-main-mode"


# A pluto state that answers Main Mode: "sent Main Mode R1" (4.x/5.x), "STATE_MAIN_R1: sent MR1" (3.x), "already
# STATE_MAIN_R3" (a repeated message): R states are the responder's (RFC 2409 section 5: the responder sends MR1-MR3).
_V1_RESPONDER_STATE = re.compile(r"\bsent Main Mode R[1-3]\b|\bSTATE_MAIN_R[0-3]\b")


def _main_mode_answer_refused(events: list[Event]) -> None:
    """IKEv1, pluto the responder: right after this side's last Main Mode answer set the ISAKMP SA up, the peer sends
    an encrypted message this side cannot read (pluto: "malformed payload") and its last Main Mode message again.
    This side decrypted that message of the peer's, so the keys agree; the peer got this side's answer (it answered
    it) and did not go on: it did not accept this side's identity or authentication (the message this side cannot
    read is most likely its notification of that). A guess (weak): the initiator's log names the refusal."""
    if not any(ev.pattern == "lib-v1-malformed" and ev.category is None for ev in events):
        return  # most logs: no such line
    responder: set[tuple[int, int]] = set()
    up_at: dict[tuple[int, int], float | None] = {}  # the responder's ISAKMP SA up, and when
    unreadable: dict[tuple[int, int], Event] = {}
    repeated: set[tuple[int, int]] = set()
    keyed = [(ev, (ev.stream, serial)) for ev in events
             if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None]
    # (this side answers the peer's Main Mode, wherever the state's lines say so: also in a paste that starts after
    # its first answer, where only a later "already STATE_MAIN_R3" shows the role)
    responder.update(key for ev, key in keyed if _RESPONDING.search(ev.text) or _V1_RESPONDER_STATE.search(ev.text))
    next_to_up: set[tuple[int, int]] = set()  # the state's first unreadable message is its next line after the SA up
    last: dict[tuple[int, int], Event] = {}  # each state's last line so far
    for ev, key in keyed:
        if ev.kind == "established" and key in responder:
            up_at.setdefault(key, ev.stamp)
        elif ev.pattern == "lib-v1-malformed" and ev.category is None and key in up_at:
            if key not in unreadable and last[key].kind == "established":
                next_to_up.add(key)
            unreadable.setdefault(key, ev)  # (read as nothing: over an ISAKMP SA that is up)
        elif ev.pattern == _MR3_REPEATS and key in responder:
            repeated.add(key)
        last[key] = ev
    for key, ev in unreadable.items():
        up = up_at[key]
        # the peer's last Main Mode message repeated, or (a peer that gives up at once repeats nothing) its unreadable
        # message within two seconds of the SA coming up (without time stamps: the state's next line after it)
        at_once = 0 <= ev.stamp - up < 2 if up is not None and ev.stamp is not None else key in next_to_up
        if key in repeated or at_once:
            _set(ev, "auth_failure", "weak")
            ev.values["guess"] = True
            ev.values["main_mode_answer_refused"] = True


def _revival_of_an_sa_that_was_up(events: list[Event]) -> None:
    """pluto schedules a revival ("connection is supposed to remain up") whenever a state of a connection that must
    stay up is deleted, whoever deleted it: also this side's own delete (an operator's `ipsec down`, an expiry) and a
    negotiation that never came up (refused, unanswered, a Child SA it could not install). The line is read as the
    peer's delete (a guess) only when nothing in the paste says otherwise: no end of this side's own before it
    (`_ENDS_OF_OUR_OWN`, a Delete it sent) and no negotiation in vain: the line's state (or, before any sign of an SA
    that was up, the connection) seen negotiating and never up."""
    revivals = [i for i, ev in enumerate(events)
                if ev.pattern in _REVIVALS and ev.category and not ev.values.get("rekey_pending")]
    if not revivals:
        return  # most logs: no line to check, no state serials to read
    negotiating: set[tuple[int, int | None]] = set()
    up: set[tuple[int, int | None]] = set()
    own_ends: set[int] = set()  # the logs (streams: both peers' may be pasted) where this side ended SAs itself
    kept: list[int] = []  # revivals still read as the peer's Delete, with no Delete received before them
    received: set[int] = set()  # the logs where a Delete from the peer was received (its own line)
    unproven: set[int] = set()  # the logs where the same revival text follows a state that never came up
    first: dict[int, int] = {}  # each log's first event (both peers' logs may be pasted)
    # (log, connection) whose last end was this side's own timeout (its liveness action, a negotiation given up)
    timed_out: set[tuple[int, str]] = set()
    for i, ev in enumerate(events[: revivals[-1] + 1]):
        first.setdefault(ev.stream, i)
        key = (ev.stream, _serial_of(ev.text))
        if ev.pattern in _REVIVALS and ev.category and not ev.values.get("rekey_pending"):
            # (libreswan 3/4's fixed text follows pluto's own deletion lines for the peer's Delete too: only a
            # connection never seen up, or one whose last end was its own timeout, tells it apart)
            own = (ev.stream in own_ends and ev.pattern in _OWN_END_REVIVALS) or (ev.stream, conn_of(ev)) in timed_out
            if own or any(k in negotiating and k not in up for k in (key, (ev.stream, None))):
                _set(ev, None)
                if key[1] is not None and key in negotiating and key not in up:
                    unproven.add(ev.stream)  # (printed for a state of this log that never came up)
            elif ev.stream not in received:
                kept.append(i)
            continue
        if ev.kind == "delete" and ev.direction == "received":
            received.add(ev.stream)
            if ev.pattern != _DELETED_QUIETLY:  # (pluto's own deletion line, after its timeout too)
                timed_out.discard((ev.stream, conn_of(ev)))
        elif ev.kind in ("dpd_dead", "give_up") and ev.fmt == "libreswan" and conn_of(ev):
            timed_out.add((ev.stream, conn_of(ev)))
        # (an exchange this side dropped while still waiting for its answer, pluto's "deleting IPsec SA (QUICK_I1)",
        # is an end of its own too)
        if ev.kind in _ENDS_OF_OUR_OWN or (ev.kind == "delete" and ev.direction == "sent") or ev.values.get("abandoned"):
            own_ends.add(ev.stream)
        elif ev.pattern == "lib-orphan-response":
            # (the peer answered this side's Delete of an SA this side already dropped: the end was this side's)
            own_ends.add(ev.stream)
        for k in (key, (ev.stream, None)):
            (up if ev.kind in _SA_WAS_UP else negotiating).add(k)
    for i in kept:
        ev = events[i]
        # The same log prints the same revival text for a state of its own that never came up (a negotiation that
        # timed out), or the negotiation the revival starts gets no answer at all: the text says nothing about who
        # ended the SA, and no line of the peer's Delete is in view before it - a paste that starts at the revival.
        # (A peer that deleted the SA on purpose answers the next IKE_SA_INIT, if only to refuse it.) It stays a
        # guess, which firmer lines outweigh.
        if ev.category != "ike_sa_deleted_by_peer":
            continue
        unanswered = _revival_unanswered(events, i)
        # A paste that starts at the revival line, whose attempt then fails the way a negotiation that never came up
        # fails (the peer's answers unreadable or refused): nothing before it tells a Delete from this side's own
        # failed attempt, which the next one repeats.
        # (libreswan 3/4's fixed text only: libreswan 5 says "received Delete/Notify" only after a Delete)
        unproven_start = ev.pattern == "lib-revive-v3-v4" and first[ev.stream] == i and _revival_fails(events, i)
        if ev.stream in unproven and unanswered:
            # Both: the log prints this text after its own attempts that never came up, and the attempt it starts
            # goes unanswered like them - one more round of the same unanswered negotiation, no sign of a Delete.
            _set(ev, None)
        elif ev.stream in unproven or unanswered or unproven_start:
            _set(ev, ev.category, "weak")


def _revival_fails(events: list[Event], i: int) -> bool:
    """The negotiation after the revival line events[i] fails before anything comes up: its first finding is an
    authentication failure or a refusal."""
    revival = events[i]
    for nxt in events[i + 1 :]:
        if nxt.stream != revival.stream:
            continue
        if nxt.kind == "established":
            return False
        if nxt.category in ("auth_failure", "phase1_proposal_mismatch", "phase2_proposal_mismatch"):
            return True
        if nxt.category and nxt.weight == "decisive":
            return False
    return False


def _revival_unanswered(events: list[Event], i: int) -> bool:
    """The negotiation after the revival line events[i] got no answer: its requests were sent again or given up, read
    as the peer's silence, before anything from the peer came in."""
    revival = events[i]
    for nxt in events[i + 1 :]:
        if nxt.stream != revival.stream:
            continue
        if nxt.kind in ("established", "notify", "no_proposal", "auth_failed") or nxt.direction == "received":
            return False
        if nxt.category == "peer_unreachable" and nxt.kind in ("retransmit", "give_up"):
            return True
    return False


_PEERS_DELETE = re.compile(r"received (?:a )?Delete/Notify")


def _revival_refused_after_the_peers_delete(events: list[Event]) -> None:
    """pluto revives a connection that must stay up after the peer's Delete ("reviving connection which received
    Delete/Notify"); when the peer answers that revival's IKE_SA_INIT with NO_PROPOSAL_CHOSEN, the proposals it
    accepted until then are not what changed: the peer no longer has a connection for this side (it was removed or
    changed there, which is why it sent the Delete). The Delete is the cause; the refusal, and the retries and
    timeout after it, are what it leads to."""
    for i, ev in enumerate(events):
        if (ev.pattern not in _REVIVALS or ev.category != "ike_sa_deleted_by_peer" or ev.weight != "decisive"
                or not _PEERS_DELETE.search(ev.text)):
            continue
        refusal: Event | None = None
        after: list[Event] = []
        for nxt in events[i + 1 :]:
            if nxt.stream != ev.stream:
                continue
            if nxt.kind in ("established", "delete", "operator_down"):
                break
            if (nxt.category == "phase1_proposal_mismatch" and nxt.kind in ("notify", "no_proposal")
                    and nxt.direction != "sent" and nxt.notify == "NO_PROPOSAL_CHOSEN"):
                refusal = refusal or nxt
                after.append(nxt)
            elif nxt.category == "peer_unreachable" and nxt.kind in ("retransmit", "give_up"):
                after.append(nxt)
            elif nxt.category:
                break  # another finding: not only the revival's refusal
        if refusal is not None:
            for e in after:
                e.weight = "context"
            ev.values["revival_refused"] = refusal.line


_NO_PSK = "Can't authenticate: no preshared key found"
_NO_PSK_ECHO_EVENTS = 8


def _missing_key_refusal_echo(events: list[Event]) -> None:
    """pluto refuses each Oakley transform whose authentication method it has no key for ("Can't authenticate: no
    preshared key found for ... Attribute OAKLEY_AUTHENTICATION_METHOD", ikev1_spdb_struct.c), then says "no acceptable
    Oakley Transform" and sends NO_PROPOSAL_CHOSEN: a missing pre-shared key, not a proposal mismatch."""
    for i, ev in enumerate(events):
        if ev.category != "auth_failure" or ev.fmt != "libreswan" or _NO_PSK not in ev.text:
            continue
        serial = _serial_of(ev.text)
        for nxt in events[i + 1:i + 1 + _NO_PSK_ECHO_EVENTS]:
            if nxt.stream != ev.stream or _serial_of(nxt.text) not in (serial, None):
                break
            if nxt.category == "phase1_proposal_mismatch" and nxt.weight == "decisive":
                nxt.weight = "context"


def _mode_refusal_echo(events: list[Event]) -> None:
    """charon answers a Main or Aggressive Mode its matching connection does not allow ("found 1 matching config,
    but none allows pre-shared key authentication using Main Mode") with an AUTHENTICATION_FAILED notify: the notify
    it sends is the echo of that refusal (strongSwan's ikev1/phase1.c), not a second cause."""
    for i, ev in enumerate(events):
        if ev.kind != "ike_mode_mismatch" or ev.category not in ("ike_mode_mismatch", "auth_failure"):
            continue
        for nxt in events[i + 1:i + 4]:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction == "sent"
                    and nxt.category == "auth_failure"):
                nxt.weight = "context"
                break


_NO_CONNECTION_ECHO_EVENTS = 3


def _no_connection_refusal_echo(events: list[Event]) -> None:
    """pluto answers an IKE_SA_INIT no connection accepts for this IKE version ("no suitable connection found with
    IKEv2 policy", libreswan 3.x to 5.x) with NO_PROPOSAL_CHOSEN: no proposal was compared, the notify is the echo of
    the refusal, not a phase 1 proposal mismatch. In a paste of both peers' logs, the initiator's "received
    NO_PROPOSAL_CHOSEN" in IKE_SA_INIT is the same echo, seen from the other side."""
    refusals = [i for i, ev in enumerate(events)
                if ev.pattern == "lib-no-connection-for-ike-version" and ev.category == "ike_version_mismatch"]
    for i in refusals:
        ev = events[i]
        # (next to it on either side: a copy without time stamps may keep the lines in the wrong order)
        near = events[i + 1:i + 1 + _NO_CONNECTION_ECHO_EVENTS] + events[max(0, i - _NO_CONNECTION_ECHO_EVENTS):i][::-1]
        for nxt in near:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction != "received"
                    and nxt.notify == "NO_PROPOSAL_CHOSEN" and nxt.exchange == "IKE_SA_INIT"):
                nxt.weight = "context"
    if refusals:
        logs = {(events[i].stream, events[i].fmt) for i in refusals}
        answered: set[tuple[int, str]] = set()
        for other in events:
            log = (other.stream, other.fmt)
            if log in logs:
                continue
            if (other.kind == "notify" and other.direction == "received" and other.notify == "NO_PROPOSAL_CHOSEN"
                    and other.category == "phase1_proposal_mismatch" and other.weight == "decisive"):
                other.weight = "context"
                answered.add(log)
            elif (log in answered and other.category == "peer_unreachable" and other.exchange == "IKE_SA_INIT"
                  and other.kind in ("retransmit", "give_up")):
                # (libreswan 3.x drops the unauthenticated answer and retransmits: the peer did answer)
                other.weight = "context"


_IDR_ECHO_EVENTS = 4


def _child_refusal_without_identity(events: list[Event]) -> None:
    """Some responders (libreswan 3.x) answer an IKE_AUTH whose Child SA they refuse with the error notify alone, no
    identity and no AUTH payload ("parsed IKE_AUTH response 1 [ N(NO_PROP) ]"). charon then cannot authenticate the
    peer: it says "IDr payload missing" and sends AUTHENTICATION_FAILED (strongSwan's ike_auth.c). Both are the echo of
    the refusal the response carried, which names the cause (the ESP proposal, the traffic selectors)."""
    for i, ev in enumerate(events):
        if ev.pattern != "swan-idr-missing" or ev.category != "auth_failure":
            continue
        refusal = next((prev for prev in reversed(events[max(0, i - _IDR_ECHO_EVENTS):i])
                        if prev.stream == ev.stream and prev.direction == "received" and prev.exchange == "IKE_AUTH"
                        and prev.category and prev.category != "auth_failure"), None)
        if refusal is None:
            continue
        ev.weight = "context"
        for nxt in events[i + 1:i + 1 + _IDR_ECHO_EVENTS]:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction == "sent"
                    and nxt.category == "auth_failure"):
                nxt.weight = "context"
                break


# FortiOS ignores a request no phase 1 accepts (the peer's address or, in Aggressive Mode, its peer ID), and then ends
# the negotiation with its generic "negotiation failure" / "no SA proposal chosen" (FortiGate-Handbook's peer-ID
# example): that line is the echo of the refusal, not a proposal mismatch.
_FGT_NO_GATEWAY = frozenset({"fgt-incorrect-id", "fgt-no-gateway"})
_FGT_NO_PROPOSAL = frozenset({"fgt-peer-sa-proposal", "fgt-peer-sa-proposal-local", "fgt-child-no-proposal"})
_FGT_ECHO_EVENTS = 6


def _fortigate_no_gateway_echo(events: list[Event]) -> None:
    """FortiOS's "no SA proposal chosen" right after it ignored the request for its address or peer ID is context."""
    for i, ev in enumerate(events):
        if ev.pattern not in _FGT_NO_GATEWAY or ev.category != "auth_failure":
            continue
        for nxt in events[i + 1:i + 1 + _FGT_ECHO_EVENTS]:
            if nxt.stream == ev.stream and nxt.pattern in _FGT_NO_PROPOSAL and nxt.weight == "decisive":
                nxt.weight = "context"
