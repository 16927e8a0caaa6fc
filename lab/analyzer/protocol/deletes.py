"""After the first reading: the peer's Deletes of Child SAs, routine after a rekey or the end of the tunnel's traffic
when nothing replaced the SA, the Deletes that belong to a re-authentication, and Deletes of SAs already gone here.
Before it: what an IKE daemon logs between its own stop and its next start (its Deletes, errors, the peer's answers)."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event, stamp_kind
from lab.analyzer.protocol.exchanges import _CHARON_THREAD, _rekey_word
from lab.analyzer.protocol.meaning import _set
from lab.analyzer.protocol.ordering import _daemon_pid
from lab.analyzer.protocol.refusals import _ikev1_from
from lab.analyzer.protocol.streams import (
    _serial_of,
    conn_of,
)

# Lines for a Delete the peer sent for an IPsec SA, and the state they delete. pluto (IKEv1: always the peer's own
# request, an informational exchange has no answer): "#2: received Delete SA payload via #1" (libreswan 5: logged on
# the IPsec SA), "#1: received Delete SA payload: replace IPsec State #2 now" (3 and 4: logged on the IKE SA; 4 also
# prints "replace CHILD SA #2 now" when it revives the connection). charon
# logs "received DELETE for ESP CHILD_SA with SPI x" for the peer's request and for the answer to its own Delete alike:
# only one right after a parsed INFORMATIONAL request (the peer's) counts.
_PEER_CHILD_DELETES = frozenset({
    "lib-delete-received", "lib-delete-received-ipsec", "lib-revival-replace-child", "swan-received-delete-child",
})
_NAMES_DELETED_STATE = frozenset({"lib-delete-received", "lib-revival-replace-child"})  # "... State #N" / "CHILD SA #N"
_DELETED_STATE = re.compile(r"(?:State|SA) #(\d+)")
_DELETED_SPI = re.compile(r"with SPI ([0-9a-fA-F]{8})\b")
_CHILD_SPIS = re.compile(r"with SPIs ([0-9a-fA-F]{8})_i ([0-9a-fA-F]{8})_o")
_INFO_REQUEST = re.compile(r"\bparsed INFORMATIONAL(?:_V1)? request\b")


def _peer_request_before(events: list[Event], i: int, v1_from: dict[int, int]) -> bool:
    """Whether charon's Delete line at events[i] comes right after it parsed an INFORMATIONAL request (the peer's).
    v1_from: `_ikev1_from(events)`."""
    ev = events[i]
    for prev in reversed(events[max(0, i - 2):i]):
        if prev.stream != ev.stream:
            break
        if prev.kind == "exchange":
            return bool(_INFO_REQUEST.search(prev.text))
    # Without the [ENC] lines: this side answers the peer's Delete with its own for the same Child SA, in the same
    # thread right after it ("received DELETE ... SPI 5af06c82", "closing CHILD_SA", "sending DELETE ... SPI
    # a66dccde"); when this side deletes first, its own Delete comes before the peer's.
    if (thread := _CHARON_THREAD.search(ev.text)) is None:
        return False

    def own_delete(other: Event) -> bool:
        t = _CHARON_THREAD.search(other.text)
        return (other.stream == ev.stream and other.kind == "delete" and other.direction == "sent"
                and t is not None and t.group(1) == thread.group(1))

    if any(own_delete(prev) for prev in events[max(0, i - 3):i]):
        return False
    if v1_from.get(ev.stream, i) < i:
        # IKEv1: a Delete travels in a one-way Informational exchange, no response (RFC 2408 section 4.8): the
        # peer's own request
        return True
    return any(own_delete(nxt) for nxt in events[i + 1:i + 3])


REAUTH_SECONDS = 5.0  # a peer that deletes its IKE SA and at once sets up a new one reauthenticates
REAUTH_EVENTS = 12  # ... or, without time stamps, within this many of the log's next events (IKE_SA_INIT to IKE_AUTH and up)


def _reauthentication_deletes(events: list[Event]) -> None:
    """The peer deletes the IKE SA and, within seconds, starts a new one itself that comes up: it reauthenticates
    (charon's reauth_time, break-before-make: it deletes the old IKE SA first, then sets up a new one from
    IKE_SA_INIT or Main Mode; RFC 7296 section 2.8.3). The Delete is part of that, not the peer ending the tunnel.
    A new IKE SA that this side starts, or one that does not come up, leaves the Delete as it was read. Without time
    stamps (a console copy) the new IKE SA must follow within the next REAUTH_EVENTS events of the log."""
    for i, ev in enumerate(events):
        if not (ev.kind == "delete" and ev.direction == "received" and ev.sa != "child"
                and ev.category == "ike_sa_deleted_by_peer" and ev.weight == "decisive"):
            continue
        peer_started = False
        seen = 0
        for nxt in events[i + 1:]:
            if nxt.stream != ev.stream or nxt.pattern == "swan-ike-deleting":
                continue  # (charon's level-2 state change of the SA being deleted: the same Delete)
            seen += 1
            if ev.stamp is None and (nxt.stamp is not None or seen > REAUTH_EVENTS):
                break
            if ev.stamp is not None and (nxt.stamp is None or nxt.stamp - ev.stamp > REAUTH_SECONDS):
                break
            if nxt.weight == "decisive":
                break
            if nxt.kind == "initiate" and nxt.sa != "child":
                break  # this side sets the new IKE SA up: not the peer's reauthentication
            if (nxt.kind == "exchange" and nxt.direction == "received"
                    and (" request" in nxt.text or nxt.pattern in ("swan-peer-initiating", "swan-peer-initiating-v1"))
                    and nxt.exchange in ("IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE")):
                peer_started = True
            elif nxt.kind == "established" and nxt.sa != "child" and peer_started:
                ev.weight = "context"
                break


def _deletes_of_the_other_logs_reauthentication(events: list[Event]) -> None:
    """Both peers' logs in one paste: the Delete one log receives for an IKE SA is the one the other log sends at the
    same moment as it reauthenticates or replaces that SA (charon's reauth_time, break-before-make: "reauthenticating
    IKE_SA gw[1]", then "sending DELETE for IKE_SA gw[1]"; or a new IKE SA initiated seconds before the Delete). The
    Delete is the reauthentication's first step, not the peer ending the tunnel; what the reauthentication runs into
    (its new IKE SA unanswered, refused) is read on its own."""
    if len({ev.stream for ev in events}) < 2:
        return
    reauth_deletes = []
    for i, ev in enumerate(events):
        if ev.kind == "delete" and ev.direction == "sent" and ev.sa != "child" and ev.stamp is not None:
            before = [e for e in events[max(0, i - REAUTH_EVENTS):i] if e.stream == ev.stream]
            # ("reauthenticating IKE_SA gw[1]" just before, or a new IKE SA initiated seconds before: charon
            # replaces an IKEv1 ISAKMP SA by a new Main Mode, "initiating Main Mode IKE_SA gw[2]", then deletes gw[1])
            if any(e.kind == "initiate" and e.sa == "ike" and _rekey_word(e) == "rekey" for e in before[-3:]) or any(
                    e.kind == "initiate" and e.sa == "ike" and e.stamp is not None
                    and 0 <= ev.stamp - e.stamp <= REAUTH_SECONDS for e in before):
                reauth_deletes.append(ev)
    if not reauth_deletes:
        return
    for ev in events:
        if not (ev.kind == "delete" and ev.direction == "received" and ev.sa != "child"
                and ev.category == "ike_sa_deleted_by_peer" and ev.weight == "decisive" and ev.stamp is not None):
            continue
        if any(sent.stream != ev.stream and stamp_kind(sent.stamp) == stamp_kind(ev.stamp)
               and abs(sent.stamp - ev.stamp) <= REAUTH_SECONDS for sent in reauth_deletes):
            ev.weight = "context"


def _child_deletes_not_replaced(events: list[Event]) -> None:
    """A Delete for an IPsec SA from the peer is routine after a rekey (the old SA goes once the new one is up),
    so it is context. When no newer IPsec SA of the connection is up before it and none comes up after it, the peer
    took the tunnel's traffic down: the peer ended the SA (a guess, the weakest reading; anything firmer wins)."""
    deletes = [i for i, ev in enumerate(events)
               if ev.pattern in _PEER_CHILD_DELETES and ev.sa == "child" and ev.category == "rekey_issue"]
    if not deletes:
        return
    # (order, connection, pluto serial, charon SPIs) of every IPsec SA established
    ups = [(up.order, conn_of(up), _serial_of(up.text), set(m.groups()) if (m := _CHILD_SPIS.search(up.text)) else None)
           for up in events if up.kind == "established" and up.sa == "child"]
    ended = [(e.order, e.stream) for e in events if e.kind == "session_end"]
    v1_from = _ikev1_from(events)
    for i in deletes:
        ev = events[i]
        conn = conn_of(ev)
        if ev.values.get("rekey_unanswered"):
            # The peer ends the Child SA while this side's rekey of it is still unanswered: the peer never answered
            # the exchange that was to replace it (IKEv1 negotiates the lifetime, so the peer's copy expires with
            # ours), as for an IKE SA (classify): the rekey failed, and the Delete is how the traffic stopped.
            ev.weight = "decisive"
            continue
        if any(order < ev.order and stream == ev.stream for order, stream in ended):
            continue  # the L2TP/PPP session inside ended first: the client disconnected on purpose (see classify)
        if ev.fmt == "strongswan":
            if not _peer_request_before(events, i, v1_from) or not (m := _DELETED_SPI.search(ev.text)):
                continue
            spi = m.group(1).lower()
            # replaced: an SA of the connection up after the Delete, or one up before it that holds other SPIs
            replaced = any(order > ev.order or spis is None or spi not in {s.lower() for s in spis}
                           for order, up_conn, _, spis in ups if not conn or up_conn == conn)
        else:
            m = _DELETED_STATE.search(ev.text) if ev.pattern in _NAMES_DELETED_STATE else None
            deleted = int(m.group(1)) if m else _serial_of(ev.text)
            replaced = any(order > ev.order or deleted is None or (serial is not None and serial > deleted)
                           for order, up_conn, serial, _ in ups if not conn or up_conn == conn)
        if not replaced:
            ev.category, ev.weight = "ike_sa_deleted_by_peer", "weak"
            ev.values["guess"] = True


def _deletes_of_sas_already_gone(events: list[Event]) -> None:
    """charon answers a Delete for an IPsec SA it no longer has with "CHILD_SA not found, ignored" right after the
    "received DELETE for ESP CHILD_SA with SPI x" line (IKEv1, quick_delete.c): the SA was already closed here (after
    a rekey, or at its expiry), so the peer's Delete takes nothing down. The Delete before it carries no cause."""
    for i, ev in enumerate(events):
        if ev.kind != "delete_ignored":
            continue
        for before in reversed(events[max(0, i - 3):i]):
            if before.stream == ev.stream and before.kind == "delete" and before.sa == "child":
                _set(before, None)
                break


# An IKE daemon's own stop (charon: "SIGTERM received, shutting down", charon.c; pluto: "Pluto is shutting down",
# whack_shutdown.c, "shutting down" before libreswan 4.7), and its next start ("Starting IKE charon daemon",
# "Starting Pluto", pluto's "Initializing NSS" before it).
DAEMON_STOPS = frozenset({"swan-daemon-shutdown", "lib-daemon-shutdown"})
# A stopping daemon deletes its SAs and exits within seconds (it waits for no answer); a line of the same log this
# much later was written by a daemon that runs again, whether or not the paste holds its start-up lines.
DAEMON_STOP_S = 60
# Nor does a stopping daemon start a negotiation or set an SA up: a line that does is the daemon's running again.
_RUNNING = frozenset({"daemon_start", "initiate", "established"})


def _runs_again(ev: Event, stop: Event) -> bool:
    return ev.kind in _RUNNING or (ev.stamp is not None and stop.stamp is not None
                                   and ev.stamp - stop.stamp > DAEMON_STOP_S)


def daemon_stops(events: list[Event]) -> list[tuple[Event, Event | None]]:
    """Each stop of an IKE daemon in the ordered events, with the first event of the same log written by the daemon
    running again (its start, or a line too late to be the stop's: see DAEMON_STOP_S); None when it does not run
    again in these lines."""
    stops: list[tuple[Event, Event | None]] = []
    stopped: dict[int, int] = {}  # stream -> index in stops
    for ev in events:
        if (i := stopped.get(ev.stream)) is not None and _runs_again(ev, stops[i][0]):
            del stopped[ev.stream]
            stops[i] = (stops[i][0], ev)
        if ev.pattern in DAEMON_STOPS and ev.stream not in stopped:
            stopped[ev.stream] = len(stops)
            stops.append((ev, None))
    return stops


# What a daemon logs first when it starts: its start line, or pluto adding its connections
_STARTING = frozenset({"daemon_start", "conn_added"})
# What a daemon that stops in order logs last: its connections and states deleted (the stop line may be cut off)
_TEARDOWN = re.compile(r"\bdeleting (?:connection|state|ISAKMP SA|IKE SA|IPsec SA|Child SA|non-instance connection)"
                       r"|\bshutting down\b|\bterminating SAs\b")


def daemon_crashes(events: list[Event]) -> list[tuple[Event, Event]]:
    """Each time an IKE daemon's process id changes on one host without a stop logged in between, the new process
    starting (its start line, pluto adding its connections): (the last event of the old process, the first of the
    new). The old process crashed or was killed; systemd started it again."""
    crashes: list[tuple[Event, Event]] = []
    last: dict[tuple[int, str], tuple[str, Event]] = {}  # (stream, host) -> (process id, its last event)
    for ev in events:
        if ev.pattern in DAEMON_STOPS:
            last = {k: v for k, v in last.items() if k[0] != ev.stream}
            continue
        if not (pid := _daemon_pid(ev.text)):
            continue
        key = (ev.stream, ev.host or "")
        before = last.get(key)
        if before and before[0] != pid and ev.kind in _STARTING and not _TEARDOWN.search(before[1].text):
            crashes.append((before[1], ev))
        last[key] = (pid, ev)
    return crashes


def _cut_off_by_crashes(events: list[Event]) -> None:
    """What a crashed daemon was negotiating when it died (the state of its last line) is cut off there: pluto logs a
    transform it refuses and goes on to the next one, so a refusal the crash cut short is no verdict of its own
    (libreswan/libreswan#99: pluto 3.20 crashing on every Main Mode a peer started, right after "Oakley Transform ...
    refused"). Those lines become context, marked with the line where the daemon ran again."""
    crashes = daemon_crashes(events)
    if not crashes:
        return
    # the events that read as a cause, by process and state (one pass; a process's states end at its crash)
    read: dict[tuple[int, str, str, int], list[Event]] = {}
    for ev in events:
        if ev.category and ev.weight != "context" and (serial := _serial_of(ev.text)) is not None:
            read.setdefault((ev.stream, ev.host or "", _daemon_pid(ev.text), serial), []).append(ev)
    for last, again in crashes:
        if (serial := _serial_of(last.text)) is None:
            continue
        for ev in read.get((last.stream, last.host or "", _daemon_pid(last.text), serial), []):
            if ev.order <= last.order:
                ev.values["cut_off_by_crash"] = again.line
                _set(ev, ev.category, "context")


def _after_the_daemon_stopped(events: list[Event]) -> set[int]:
    """The events an IKE daemon logged after its own stop and before it ran again (their ids), each without a
    category. A daemon that stops deletes its SAs on the way out (the Deletes it sends, the peer's answers), and its
    last messages may find no interface or route left ("error writing to socket: Network is unreachable"): all of it is
    the stop, not a cause of the tunnel's trouble, and none of it is read with the lines before the stop."""
    after: set[int] = set()
    ends = {id(stop): again for stop, again in daemon_stops(events)}
    stopped: dict[int, Event | None] = {}  # stream -> the event from which its daemon runs again
    for ev in events:
        if ev.stream in stopped:
            if ev is stopped[ev.stream]:
                del stopped[ev.stream]
            else:
                after.add(id(ev))
                _set(ev, None)
                continue
        if id(ev) in ends:
            stopped[ev.stream] = ends[id(ev)]
    return after
