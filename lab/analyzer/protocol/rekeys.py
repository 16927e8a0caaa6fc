"""Rekeys and how they end (requests left unanswered, refused or started again; Deletes that belong to a
rekey rather than to a failure), and the pluto lines that lend a notify its state and direction."""

from __future__ import annotations

import bisect
import re

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import _rekey_state, _rekey_word
from lab.analyzer.protocol.meaning import _CHARON_TAG, _KE_RETRY, _set, _State
from lab.analyzer.protocol.names import CHARON_MESSAGE, IKE_EXCHANGES
from lab.analyzer.protocol.ordering import _CHARON_IKE_SA
from lab.analyzer.protocol.streams import _REVIVALS, _replaced_serial, _serial_of, conn_of

# States of an exchange in progress; MAIN_I4, MAIN_R3, AGGR_I2, AGGR_R2 and QUICK_I2, QUICK_R2 are the states
# after it completed, which say nothing about the exchange a later message belongs to.
_PLUTO_V1_STATE = re.compile(r"\b(?:STATE_)?(MAIN_I[123]|MAIN_R[012]|AGGR_I1|AGGR_R[01]|QUICK_I1|QUICK_R[01])\b")


# How near (events of the same log) after a peer's ISAKMP SA Delete its IPsec SA Delete must come to count as the
# same teardown: pluto logs each Delete payload of one message on a line of its own, one after the other.
_SAME_TEARDOWN = 3


def _isakmp_only_deletes(events: list[Event]) -> set[int]:
    """The peer's IKEv1 Deletes of an ISAKMP SA that leave an IPsec SA up: no Delete of an IPsec SA from the peer
    since the last IPsec SA came up, nor among the `_SAME_TEARDOWN` events of the same log after it. See the reading
    in `classify`. pluto's only: it deletes just the ISAKMP state (ikev1_main.c accept_delete), where charon ends the
    IKE_SA with its CHILD_SAs and sets both up again (isakmp_delete.c). One pass over the events."""
    def peer_deletes_child(e: Event) -> bool:
        return e.kind == "delete" and e.direction == "received" and e.sa == "child"

    found: set[int] = set()
    child_deleted: dict[int, bool] = {}  # per log: the peer deleted an IPsec SA since the last one came up
    for i, ev in enumerate(events):
        if ev.kind == "established" and ev.sa == "child":
            child_deleted[ev.stream] = False
        elif peer_deletes_child(ev):
            child_deleted[ev.stream] = True
        elif (ev.kind == "delete" and ev.direction == "received" and ev.sa == "ike" and ev.fmt == "libreswan"
              and (ev.ike == 1 or (ev.ike is None and "ISAKMP" in ev.text))  # (pluto: "deleting ISAKMP State #1")
              and not child_deleted.get(ev.stream, False)
              and not any(e.stream == ev.stream and peer_deletes_child(e)
                          for e in events[i + 1 : i + _SAME_TEARDOWN + 1])):
            found.add(id(ev))
    return found


# pluto's IKEv1 states whose fatal error ends an authentication step (see lib-v1-state-fatal in classify)
_V1_AUTH_FATAL = re.compile(r"fatal error in state (?:STATE_)?(?:MAIN_I3|MAIN_R2|AGGR_I1|AGGR_R1)\b")


def _auth_step_fatal(ev: Event, st: _State) -> None:
    """pluto ended the negotiation for good in an authentication step (see `_V1_AUTH_FATAL`, lib-auth-exchange-fatal):
    the line names no reason, and authentication or identity is what those steps check. A guess, which a line naming
    the cause (a refused Child SA, a proposal) outweighs; over an IKE SA already up it is not the negotiation's, nor
    after the peer refused the request with an error that names no setting (INVALID_SYNTAX,
    UNSUPPORTED_CRITICAL_PAYLOAD: it could not process the message)."""
    ev.values["guess"] = True
    ev.weak = True
    _set(ev, None if st.ike_up or st.refused_by is not None else "auth_failure", "weak")


def _pluto_notify_echoes(events: list[Event]) -> None:
    """pluto 3.x/4.x log one IKEv1 notification on two lines: "ignoring [secured|unsecured] informational payload X,
    msgid=..." and then "received and ignored notification payload: X" (ikev1.c). The first says how it came
    (encrypted under the ISAKMP SA or in the clear); the second, which says nothing of that, is its echo."""
    for i, ev in enumerate(events):
        if not (ev.fmt == "libreswan" and ev.kind == "notify" and "received and ignored notification payload" in ev.text):
            continue
        for prev in reversed(events[max(0, i - 2) : i]):
            if (prev.stream == ev.stream and prev.kind == "notify" and prev.notify == ev.notify
                    and prev.pattern == "lib-informational-payload" and _serial_of(prev.text) == _serial_of(ev.text)):
                ev.values["echo_of"] = prev.line
                break


def _borrow_pluto_state(events: list[Event]) -> None:
    """A notify pluto received without naming the exchange belongs to the exchange its state is in, which the
    state's next line names ("#3: ignoring secured informational payload INVALID_ID_INFORMATION", then "#3:
    STATE_MAIN_I3: 10 second timeout exceeded"): Main Mode's INVALID_ID_INFORMATION is about identities, Quick
    Mode's about selectors. A refusal pluto logs before its answer belongs to the exchange of that answer ("#3: KE
    has 256 byte DH public value; 512 required", then "#3: responding to CREATE_CHILD_SA message (ID 2) ... with
    encrypted notification INVALID_SYNTAX"): a Child SA's DH group is phase 2's."""
    for i, ev in enumerate(events):
        if (ev.kind not in ("notify", "no_proposal") or ev.exchange or ev.fmt != "libreswan"
                or (serial := _serial_of(ev.text)) is None):
            continue
        for nxt in events[i + 1 : i + 4]:
            if nxt.stream != ev.stream:
                break
            if _serial_of(nxt.text) != serial or (nxt.kind == ev.kind and nxt.notify == ev.notify and not nxt.exchange):
                continue  # (pluto logs one notification on two lines: "ignoring informational payload X", then
                # "received and ignored notification payload: X")
            m = _PLUTO_V1_STATE.search(nxt.text)
            if m and ev.kind == "notify":
                ev.exchange = {"MAIN": "MAIN_MODE", "AGGR": "AGGRESSIVE_MODE", "QUICK": "QUICK_MODE"}[m.group(1)[:-3]]
                ev.values["pluto_state"] = m.group(1)
            elif ev.kind == "no_proposal" and nxt.kind == "notify" and nxt.exchange in ("IKE_SA_INIT", "CREATE_CHILD_SA"):
                ev.exchange = nxt.exchange
            break


# pluto 3.x / Openswan: the responder's IKE SA moving to PARENT_R2, which it does when it answers the IKE_AUTH request
_PLUTO_R2 = re.compile(r"\bSTATE_PARENT_R2: received v2I2\b|\btransition from state STATE_PARENT_R1 to state STATE_PARENT_R2\b")


def _pluto_notify_in_auth_answer(events: list[Event]) -> None:
    """An IKEv2 notify in pluto's debug dump of a message it builds ("| Notify Message Type: v2N_NO_PROPOSAL_CHOSEN")
    names no exchange; when the next line of the log with a reading is the responder's IKE SA entering PARENT_R2
    ("STATE_PARENT_R2: received v2I2, PARENT SA established"), the notify went out in that IKE_AUTH answer, beside an
    IKE SA that came up: it refuses the Child SA (RFC 7296 section 1.2), not the IKE SA. A paste that starts at the
    dump is then read as phase 2's refusal, as the whole log is."""
    for i, ev in enumerate(events[:-1]):
        if ev.kind != "notify" or ev.exchange or "v2N_" not in ev.text:  # (the dump line is read by a generic pattern)
            continue
        nxt = events[i + 1]
        if nxt.stream == ev.stream and 0 < nxt.line - ev.line <= 4 and _PLUTO_R2.search(nxt.text):
            ev.exchange = "IKE_AUTH"
            ev.direction = ev.direction or "sent"


def _rekey_left_unanswered(events: list[Event]) -> None:
    """An established IKE SA's timeout followed by the deletion of an unfinished Child SA rekey state (pluto's
    "deleting state (STATE_V2_REKEY_CHILD_I1)"): the request the IKE SA sent and never got an answer to was that
    rekey, so the timeout is the rekey's, also in a paste that starts after the rekey was initiated. pluto 5 names no
    state: it deletes the Child SA that was up ("#2: ESP traffic information: in=0B out=0B") and then a "larval" one
    still being negotiated ("#4: deleting larval Child SA"), the CREATE_CHILD_SA that was to replace it. (A liveness
    probe that times out leaves no larval Child SA: IKEv2 has one request outstanding, RFC 7296 section 2.3.)"""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or "ESTABLISHED" not in str(ev.values.get("exchange", "")).upper():
            continue
        installed = False  # a Child SA that was up was deleted in this teardown
        for nxt in events[i + 1 : i + 7]:
            if nxt.stream != ev.stream or nxt.kind in ("initiate", "established"):
                break
            if nxt.kind == "delete" and (_rekey_state(nxt) or (installed and nxt.pattern == "lib-larval-deleted")):
                ev.values["rekey_pending"] = True
                break
            installed = installed or (nxt.kind == "delete" and nxt.pattern == "lib-ipsec-sa-traffic-at-delete")


# pluto's deletion of a rekey it started and never finished: 5.x "deleting larval Child SA" (also for an IKE SA
# rekey's state), 3.x/4.x "deleting state (STATE_V2_REKEY_CHILD_I1)".
_UNFINISHED_REKEY = frozenset({"lib-larval-deleted", "lib-rekey-child-state-deleted"})
# What ends a rekey request other than silence: an answer (an SA up, a refusal, the response processed), the peer's
# Delete, the operator's teardown.
_REKEY_ENDS = frozenset({"established", "notify", "no_proposal", "ts_unacceptable", "operator_down"})


def _rekey_deleted_unanswered(events: list[Event]) -> None:
    """pluto deletes the state of a rekey it started ("#3: initiating rekey to replace Child SA #2", "#3: sent
    CREATE_CHILD_SA request to rekey ...") with nothing for that state in between ("#3: deleting larval Child SA"):
    the rekey got no answer before the IKE SA was torn down. This is what shows it when the excerpt has no timeout
    line: a shortened paste, or a pluto made to give up at once (libreswan's test suite, `timeout_on_retransmit`).
    The deletion is then the rekey's give-up, an end of this side's own (the revival lines after it are no peer
    Delete)."""
    for i, ev in enumerate(events):
        if ev.pattern not in _UNFINISHED_REKEY or ev.kind != "delete" or (serial := _serial_of(ev.text)) is None:
            continue
        # (pluto 3.x/4.x name the state: REKEY_CHILD_I / REKEY_IKE_I sent the rekey and wait for its answer, I0 has
        # not sent it yet)
        asked = ev.pattern == "lib-rekey-child-state-deleted" and not str(ev.values.get("exchange", "")).endswith("I0")
        for prev in reversed(events[:i]):
            if prev.stream != ev.stream:
                continue
            same = _serial_of(prev.text) == serial
            if (prev.kind in _REKEY_ENDS and (prev.kind == "operator_down" or same)) or (
                prev.kind == "delete" and prev.direction == "received" and prev.pattern not in _REVIVALS) or (
                # (pluto's "processed CREATE_CHILD_SA response" for that state: it was answered)
                prev.kind == "exchange" and prev.direction in ("received", None) and same):
                asked = False
                break
            if same and prev.kind in ("initiate", "exchange") and _rekey_word(prev) == "rekey":
                asked = True
                break
            if prev.kind == "established":
                break  # a rekey starts after the SAs it replaces came up: nothing before that ends it
        if asked:  # (no longer a guess: the state's own request is in view, and nothing answered or ended it)
            ev.kind, ev.exchange, ev.weak = "give_up", "CREATE_CHILD_SA", False
            ev.values["rekey_pending"] = True


# pluto's status listings name a state before its connection: `ipsec status` / `showstates` rows
# (`#3: "conn"[1] 192.0.2.1:500 STATE_V2_REKEY_CHILD_I1 ...`), of which the `ipsec trafficstatus` rows list the IPsec
# SAs that are up (`#3: "conn"[1] 192.0.2.1, type=ESP`). (Its log lines name it after: `_serial_of`.)
_STATE_ROW = re.compile(r'#(\d+): "[^"\n]+"')
_TRAFFIC_ROW = re.compile(r'#(\d+): "[^"\n]+"(?:\[\d+\])?[^,\n]*, type=')


def _operator_rekey_unfinished(events: list[Event]) -> None:
    """The operator asked pluto to rekey a connection's Child SA (`ipsec whack --rekey-child --name conn`, often
    `--async`: the terminal shows nothing more), and a later `ipsec trafficstatus` of that connection still lists
    only the SAs that were up before, with no line in between or after naming a newer state of it: no new SA
    replaced the old one. (Any newer state - the rekey's own lines, a refusal, a new SA - leaves the judgement to
    what those lines say.) The row that shows it carries the finding. One pass, a search per pluto line only when
    the paste has such a command."""
    if not any(ev.kind == "operator_rekey" for ev in events):
        return
    # per (stream, connection): one pluto's serials say nothing of another's (another peer's log, a restart)
    newest: dict[tuple[int, str], int] = {}  # the highest state serial seen so far
    asked: dict[tuple[int, str], tuple[Event, int, Event | None]] = {}  # (its rekey, newest before it, old row)
    for ev in events:
        if ev.kind == "operator_down":  # (what was listed before it stands; what comes after is another story)
            for command, _, row in asked.values():
                _rekey_not_done(command, row)
            asked.clear()
            continue
        if ev.kind == "operator_rekey" and ev.values.get("conn"):
            conn = (ev.stream, str(ev.values["conn"]))
            if (pending := asked.pop(conn, None)) is not None:
                _rekey_not_done(pending[0], pending[2])
            if ev.values.get("rekey") in ("ipsec", "child") and conn in newest:
                asked[conn] = (ev, newest[conn], None)
            continue
        if ev.fmt != "libreswan" or "#" not in ev.text:
            continue
        row = _TRAFFIC_ROW.search(ev.text)
        listed = row or _STATE_ROW.search(ev.text)  # (a state being negotiated counts: the rekey is under way)
        serial = int(listed.group(1)) if listed else _serial_of(ev.text)
        name = conn_of(ev)
        if serial is None or not name:
            continue
        conn = (ev.stream, name)
        newest[conn] = max(newest.get(conn, 0), serial)
        if (pending := asked.get(conn)) is None:
            continue
        if serial > pending[1]:
            del asked[conn]  # a newer state of the connection: its own lines say how the rekey went
        elif row is not None and ev.kind == "established" and pending[2] is None:
            asked[conn] = (pending[0], pending[1], ev)
    for command, _, row in asked.values():
        _rekey_not_done(command, row)


def _rekey_not_done(command: Event, row: Event | None) -> None:
    """Mark the listing row that shows the operator's rekey did not replace the SA (none: nothing to mark)."""
    if row is None:
        return
    row.values["rekey_not_done"] = command.line
    row.values["rekey_conn"] = str(command.values["conn"])
    row.values["rekey_serial"] = int(_TRAFFIC_ROW.search(row.text).group(1))  # type: ignore[union-attr]


# pluto deleting a state that never came up: it was still in the first exchanges (Main/Aggressive Mode, a first Quick
# Mode, IKE_SA_INIT / IKE_AUTH) - 3.x/4.x "deleting state (STATE_MAIN_I1)", 5.x "deleting ISAKMP SA (MAIN_I1)",
# "deleting IKE SA (sent IKE_SA_INIT request)".
_NEVER_UP_DELETED = re.compile(
    r"#\d+: deleting (?:state|ISAKMP SA|IKE SA|IPsec SA|Child SA) \((?:STATE_)?(?:MAIN_I[123]|AGGR_I1|QUICK_I1|"
    r"(?:V2_)?PARENT_I[12]|IKE_SA_INIT_I\d?|IKE_AUTH_I\d?|sent IKE_SA_INIT request|sent IKE_AUTH request)\)")


def _retries_of_failed_attempts(events: list[Event]) -> None:
    """pluto starts its next keying attempt "to replace #2" right before it deletes #2, when #2 never came up
    ("#2: starting keying attempt 3 of an unlimited number", "#3: initiating Main Mode to replace #2", "#2: deleting
    state (STATE_MAIN_I1)"): the new state is a retry of a failed first negotiation, not the rekey of an SA that was
    up, also in a paste that starts after #2's own failure lines. The deletion of #2 in a state before its SA was up,
    within the next few lines of the same log, says so."""
    for i, ev in enumerate(events):
        if ev.kind != "initiate" or (replaced := _replaced_serial(ev)) is None:
            continue
        for nxt in events[i + 1 : i + 5]:
            if nxt.stream != ev.stream or nxt.kind == "established":
                break
            if _serial_of(nxt.text) == replaced and _NEVER_UP_DELETED.search(nxt.text):
                ev.values["retry"] = True
                break


def _revival_during_unanswered_rekey(events: list[Event]) -> None:
    """pluto revives a connection while the rekey it started for that connection ("#3: sent Quick Mode request, to
    replace #2") is still being sent again, unanswered: the SA it was to replace reached the end of its lifetime (or
    the peer dropped it) before its replacement came up. Whoever ended the SA, the cause is the unanswered rekey.
    This is what shows it in a paste cut before the rekey's own timeout. (The revival line names the connection's
    serial, "$N", not the state's: any rekey of the connection still waiting counts.)"""
    for i, ev in enumerate(events):
        if ev.pattern not in _REVIVALS:
            continue
        conn = conn_of(ev)
        retransmitted: set[int | None] = set()
        for prev in reversed(events[:i]):
            if prev.stream != ev.stream:
                continue
            serial = _serial_of(prev.text)
            if prev.kind == "retransmit":
                retransmitted.add(serial)
                continue
            if prev.kind in ("initiate", "exchange") and _replaced_serial(prev) is not None and (
                    _rekey_word(prev) == "rekey"):
                other = conn_of(prev)
                if serial is not None and serial in retransmitted and (not conn or not other or conn == other):
                    ev.kind, ev.direction, ev.weak = "give_up", None, False
                    ev.exchange = "QUICK_MODE" if prev.exchange == "QUICK_MODE" else "CREATE_CHILD_SA"
                    ev.values["rekey_pending"] = True
                    ev.values["replaced_ended"] = prev.line
                break
            if prev.kind in _REKEY_ENDS or prev.kind in ("established", "give_up", "dpd_dead", "delete") or (
                    prev.kind == "exchange" and prev.direction in ("received", None)):
                break  # the rekey was answered, given up, or something else ended the SA


def _rekey_started_again(events: list[Event]) -> None:
    """Openswan starts a Child SA rekey when the SA reaches its lifetime ("starting rekey of CHILD SA for state=#2
    (expired)"); the state the rekey creates is listed as STATE_CHILD_C1_REKEY until the peer answers and the new SA
    is established. A second rekey started in the same log before any Child SA came up after the first (a status
    listing's rows show SAs still up, not new ones) means the first one got no usable answer: the state it created
    reached its own lifetime still being rekeyed (Openswan's test rekey-no-reply: the peer never answers the
    CREATE_CHILD_SA). The second start carries the finding."""
    pending: dict[int, Event] = {}  # stream -> the rekey started and not yet followed by an established Child SA
    for ev in events:
        if ev.pattern == "os-child-rekey" and "starting rekey" in ev.text:
            if (first := pending.get(ev.stream)) is not None:
                ev.kind, ev.direction, ev.weak = "rekey_failed", None, False
                ev.values["rekey_again"] = first.line
            else:
                pending[ev.stream] = ev
        elif ev.kind == "established" and ev.stream in pending and not _STATE_ROW.search(ev.text):
            del pending[ev.stream]  # (a status listing's row shows an SA still up, not one set up now)


def _ke_retried(events: list[Event]) -> None:
    """charon's INVALID_KE_PAYLOAD in a parsed message ("[ N(INVAL_KE) ]") followed by its retry with the group the
    peer asked for ("peer didn't accept DH group X, it requested Y"): the notify is the same round as the retry line."""
    for i, ev in enumerate(events):
        if ev.notify != "INVALID_KE_PAYLOAD" or ev.pattern == "swan-ke-retry":
            continue
        for nxt in events[i + 1 : i + 3]:
            if nxt.stream == ev.stream and nxt.pattern == "swan-ke-retry":
                if _KE_RETRY.search(nxt.text):
                    ev.values["ke_retried"] = True
                break


_REDUNDANT_IKE = re.compile(r"waiting for delete for redundant IKE_SA (\S+\[\d+\])")


def _redundant_ike_deletes(events: list[Event]) -> None:
    """charon wins an IKE SA rekey collision ("IKE_SA rekey collision won, waiting for delete for redundant IKE_SA
    gw[7]", RFC 7296 section 2.8.2): the peer's Delete for that IKE SA, when it comes, is the collision's expected end.
    So is the peer's Delete for IKE_SA gw[9] when another IKE SA of the connection (`<gw|8>`) goes on exchanging
    messages with the peer after it: the tunnel stays up over that one (a paste that starts after the collision)."""
    awaited: set[tuple[int, str]] = set()
    for ev in events:
        if "redundant IKE_SA" in ev.text and (m := _REDUNDANT_IKE.search(ev.text)):
            awaited.add((ev.stream, m.group(1)))
        elif (awaited and ev.kind == "delete" and ev.direction == "received" and (m := _CHARON_IKE_SA.search(ev.text))
              and (ev.stream, f"{m['name']}[{m['id']}]") in awaited):
            ev.values["redundant"] = True
    if not any(ev.kind == "delete" and ev.direction == "received" and ev.fmt == "strongswan" and ev.sa != "child"
               for ev in events):
        return  # most logs: no Delete of an IKE SA from the peer, nothing to look up after it
    later: dict[tuple[int, str], set[str]] = {}  # (stream, connection) -> the IKE SA ids seen answering later on
    set_up: dict[tuple[int, str], set[str]] = {}  # ... and those seen being set up later on (not up before)
    for ev in reversed(events):
        if ev.fmt != "strongswan":
            continue
        if ev.kind == "delete" and ev.direction == "received" and ev.sa != "child" and (
                m := _CHARON_IKE_SA.search(ev.text)):
            key = (ev.stream, m["name"])
            if later.get(key, set()) - set_up.get(key, set()) - {m["id"]}:
                ev.values["redundant"] = True
        elif tag := _CHARON_TAG.search(ev.text):
            name, _, unique = tag.group(1).rpartition("|")
            if ev.exchange in IKE_EXCHANGES or ev.kind == "initiate" or (ev.kind == "established" and ev.sa != "child"):
                set_up.setdefault((ev.stream, name), set()).add(unique)
            elif ev.kind == "exchange" and _PARSED_FROM_PEER.search(ev.text):
                later.setdefault((ev.stream, name), set()).add(unique)


# charon parsed a request or response of the peer's on an IKE SA that is up (not one that sets an IKE SA up)
_PARSED_FROM_PEER = re.compile(r"\bparsed (?:INFORMATIONAL|CREATE_CHILD_SA)(?:_V1)? (?:request|response)\b")


def _deletes_of_rekeyed_ike_sas(events: list[Event]) -> None:
    """charon: the Delete for IKE_SA gw[3] while a newer IKE SA of the name (lines tagged "<gw|4>") is at work without
    being set up after that Delete is the end of gw[3]'s rekey (RFC 7296 section 2.18: the old IKE SA is deleted
    once its replacement is up), also in a paste that starts after the "IKE_SA gw[4] rekeyed" line."""
    # per (stream, name): each unique id seen in a tag, and the order of the last line that sets it up from scratch
    # (this side's initiation, the first exchange, "IKE_SA gw[4] established"; a rekey says "rekeyed"), -1 if none
    started: dict[tuple[int, str], dict[int, int]] = {}
    last_exchange: dict[tuple[int, str], str | None] = {}  # per (stream, tag): the exchange of its last message
    for ev in events:
        if ev.fmt == "strongswan" and (tag := _CHARON_TAG.search(ev.text)):
            name, _, unique = tag.group(1).rpartition("|")
            ids = started.setdefault((ev.stream, name), {})
            # (the responder of an IKE SA rekey prints "<gw|2> 192.0.2.2 is initiating an IKE_SA" right after the
            # CREATE_CHILD_SA request it parsed: the new SA, gw[3], not gw[2] set up anew)
            in_rekey = last_exchange.get((ev.stream, tag.group(1))) == "CREATE_CHILD_SA"
            setup = not in_rekey and (ev.kind == "initiate" or (
                ev.kind == "exchange" and ev.exchange in ("IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE")) or (
                ev.kind == "established" and "IKE_SA" in ev.text and "rekeyed" not in ev.text))
            if ev.kind == "exchange":
                last_exchange[(ev.stream, tag.group(1))] = ev.exchange
            ids[int(unique)] = max(ids.get(int(unique), -1), ev.order if setup else -1)
    # per (stream, name): the ids in order and, from each on, the earliest of their last set-ups
    tables: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
    for key, ids in started.items():
        order = sorted(ids)
        least = [0] * len(order)
        low = None
        for k in range(len(order) - 1, -1, -1):
            low = ids[order[k]] if low is None else min(low, ids[order[k]])
            least[k] = low
        tables[key] = (order, least)
    for ev in events:
        if not (ev.kind == "delete" and ev.direction == "received" and ev.fmt == "strongswan"
                and (m := _CHARON_IKE_SA.search(ev.text)) and "IKE_SA" in ev.text.split("DELETE", 1)[-1]):
            continue
        order, least = tables.get((ev.stream, m["name"]), ([], []))
        k = bisect.bisect_right(order, int(m["id"]))
        if k < len(order) and least[k] < ev.order:  # a newer IKE SA not set up after the Delete
            ev.values["redundant"] = True


_CHILD_REKEY_FAILED = re.compile(r"\bCHILD_SA rekeying failed\b")

# charon's [ENC] line of a CREATE_CHILD_SA message: parsed (received) or generating (sent), request or response, its
# message ID and payloads
_CHARON_CHILD_MESSAGE = re.compile(r"\b(parsed|generating) CREATE_CHILD_SA (request|response) (\d+) \[([^\]]*)\]")
_NOTIFIES = re.compile(r"\bN\((\w+)\)")
_OTHER_WAY = {"parsed": "generating", "generating": "parsed"}


def _cut_off_child_refusals(events: list[Event]) -> None:
    """charon's CREATE_CHILD_SA response that refuses (an error notify: N(NO_PROP), N(TS_UNACCEPT), ...) a request the
    paste does not hold (it starts after that request: a log's last lines) says nothing itself of whether a new Child
    SA or a rekey was refused. When the next such request in the log is a rekey (RFC 7296 REKEY_SA) refused with the
    same notify, the cut-off one was that rekey's earlier attempt (charon tries a refused rekey again: "CHILD_SA
    rekeying failed, trying again in N seconds"): a refused rekey too."""
    messages: dict[int, list[tuple[Event, str, str, str, frozenset[str]]]] = {}
    for ev in events:
        if ev.fmt == "strongswan" and ev.exchange == "CREATE_CHILD_SA" and (m := _CHARON_CHILD_MESSAGE.search(ev.text)):
            word, kind, mid, payloads = m.groups()
            messages.setdefault(ev.stream, []).append((ev, word, kind, mid, frozenset(_NOTIFIES.findall(payloads))))
    for found in messages.values():
        first_request = next((k for k, msg in enumerate(found) if msg[2] == "request"), len(found))
        orphan = next((msg for msg in found[:first_request] if msg[2] == "response" and msg[4] - {"REKEY_SA"}), None)
        if orphan is None:
            continue
        asked = _OTHER_WAY[orphan[1]]  # how this log wrote the request it answered (or got the answer to)
        request = next((msg for msg in found[first_request:] if msg[2] == "request" and msg[1] == asked), None)
        if request is None or _rekey_word(request[0]) != "rekey":
            continue
        answer = next((msg for msg in found if msg[2] == "response" and msg[1] == orphan[1] and msg[3] == request[3]
                       and msg[0].order > request[0].order), None)
        if answer is not None and answer[4] == orphan[4]:
            orphan[0].values["rekey_refused"] = True
            # (and the lines of that refusal before its answer, back to the log's message before it: "no acceptable
            # proposal found", ...)
            tag = _CHARON_TAG.search(orphan[0].text)
            for ev in reversed(events[: events.index(orphan[0])]):
                if ev.stream != orphan[0].stream or (tag and (t := _CHARON_TAG.search(ev.text))
                                                     and t.group(1) != tag.group(1)):
                    continue
                if ev.pattern == CHARON_MESSAGE:
                    break
                if ev.kind in ("no_proposal", "ts_unacceptable", "notify") and ev.exchange in (None, "CREATE_CHILD_SA"):
                    ev.values["rekey_refused"] = True


def _refused_rekeys(events: list[Event]) -> None:
    """charon's "CHILD_SA rekeying failed, trying again in N seconds" right after a refusal of a Child SA (the same
    IKE SA, within a few events): the refused request was the rekey (child_rekey.c logs it when its CREATE_CHILD_SA
    fails), also in a paste that starts after the SA and its rekey began."""
    for i, ev in enumerate(events):
        if ev.kind != "rekey_failed" or not _CHILD_REKEY_FAILED.search(ev.text):
            continue
        tag = _CHARON_TAG.search(ev.text)
        for prev in reversed(events[max(0, i - 4):i]):
            if prev.stream != ev.stream or (tag and (t := _CHARON_TAG.search(prev.text)) and t.group(1) != tag.group(1)):
                continue
            if prev.kind in ("no_proposal", "ts_unacceptable", "notify") and prev.exchange in (None, "CREATE_CHILD_SA"):
                prev.values["rekey_refused"] = True
