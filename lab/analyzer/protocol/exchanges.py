"""Before reading: what a line is about when it does not say and the lines around it do: its exchange (a new
SA or a rekey), its direction, and its SA."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event, drop_kind
from lab.analyzer.protocol.meaning import (
    _CHARON_UNIQUE,
    _PLUTO_ANSWERS,
    _PLUTO_RECEIVED_NOTIFY,
    _PLUTO_RESPONSE_READ,
    _V1_HASHED,
    NOTIFY_MEANING,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES
from lab.analyzer.protocol.ordering import _CHARON_IKE_SA
from lab.analyzer.protocol.streams import _PAYLOADS, conn_of, tunnel_name

_REKEY_WORDS = ("rekey", "replac", "re-key", "reauth")
_NEW_WORDS = ("new", "create", "additional")


def _later_request(ev: Event) -> bool:
    """The retransmitted request is numbered after the exchanges that set an IKE SA up (message ID 2 or more)."""
    mid = ev.values.get("msgid")
    return isinstance(mid, str) and mid.isdigit() and int(mid) >= 2


def _rekey_word(ev: Event) -> str:
    """"rekey" when the line says the exchange replaces an SA, "new" when it adds one, else ""."""
    if ev.pattern == "lib-new-child-initiate":
        return "new"  # (pluto's "initiating Child SA using IKE SA #1": the words say it by what they leave out)
    words = str(ev.values.get("rekey") or "").lower().split()
    if any(w.startswith(_REKEY_WORDS) for w in words):
        return "rekey"
    if any(w.startswith(_NEW_WORDS) for w in words):
        return "new"
    if ev.exchange and "REKEY" in str(ev.values.get("exchange") or "").upper():
        return "rekey"
    payloads = str(ev.values.get("notify") or "")
    if "REKEY_SA" in payloads:  # RFC 7296 REKEY_SA notify in the payload list
        return "rekey"
    if ev.exchange == "CREATE_CHILD_SA" and ev.kind == "exchange" and " request" in ev.text:
        listed = set(_PAYLOADS.findall(payloads))
        if {"SA", "TSi", "TSr"} <= listed:
            return "new"  # a Child SA request without REKEY_SA adds a Child SA (RFC 7296 section 1.3.1)
        if {"SA", "KE"} <= listed:
            return "rekey"  # SA and KE without selectors: the IKE SA is rekeyed (section 1.3.2)
    return ""


def adds_child(ev: Event) -> bool:
    """Whether the line starts or sends an exchange that adds a Child SA (it replaces none)."""
    return _rekey_word(ev) == "new"


_PLUTO_MAIN_I3 = re.compile(r"#\d+: (?:STATE_)?MAIN_I3: retransmission")
_IMPAIRED_TIMEOUT = re.compile(r"IMPAIR: .*retransmit so timing out SA")


def _rekey_state(ev: Event) -> bool:
    """The daemon's state name says the exchange rekeys an SA (pluto's STATE_V2_REKEY_CHILD_I,
    REKEY_IKE_I1, ...): only an SA that was up is rekeyed, so its failure is a rekey's."""
    return "REKEY" in str(ev.values.get("exchange") or "").upper()


def _new_child_state(ev: Event) -> bool:
    """The daemon's state name says the exchange adds a Child SA (pluto's STATE_V2_CREATE_I,
    NEW_CHILD_I1; 5.3+ "retransmitting new Child SA request"): it replaces nothing."""
    state = str(ev.values.get("exchange") or "").upper()
    return "V2_CREATE" in state or "NEW_CHILD" in state or "NEW CHILD" in state


_CHARON_THREAD = re.compile(r"\b(\d{1,3})\[(?:IKE|CFG|ENC|NET|CHD|MGR)\] ")


def _pluto_notify_directions(events: list[Event]) -> None:
    """The direction of pluto's notify lines whose pattern leaves it open, from their wording."""
    for ev in events:
        if ev.direction is None and ev.kind == "notify" and ev.fmt == "libreswan":
            if "responding to " in ev.text and _PLUTO_ANSWERS.search(ev.text):
                ev.direction = "sent"  # pluto's "responding to <exchange> message ... with encrypted notification X"
            elif "authenticated v2N_" in ev.text and _PLUTO_RECEIVED_NOTIFY.search(ev.text):
                ev.direction = "received"  # libreswan 3.x: "received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored"
            elif "response" in ev.text and _PLUTO_RESPONSE_READ.search(ev.text):
                ev.direction = "received"  # the peer's response, which this side read (or ignored): the peer answered
            elif "received and ignored notification payload" in ev.text:
                ev.direction = "received"  # libreswan 3.x/4.x, IKEv1: a notification the peer sent, read and ignored


def _pluto_auth_guess_exchange(events: list[Event]) -> None:
    """pluto's "Possible authentication failure: no acceptable response to our first encrypted message" names the
    state it timed out in: IKEv1 Main Mode's MAIN_I3 (also when the paste leaves the state out: the usual case), or,
    in libreswan 3.x, IKEv2's PARENT_I2 (IKE_AUTH)."""
    for ev in events:
        if ev.pattern == "lib-timeout-auth":
            ev.exchange = ev.exchange or "MAIN_MODE"
            ev.ike = 2 if ev.exchange == "IKE_AUTH" else 1


# RFC 2407 section 4.4.1: the IPsec protocol IDs of AH, ESP and IPCOMP (1 is ISAKMP itself)
_IPSEC_PROTOCOL_IDS = {"2": "AH", "3": "ESP", "4": "IPCOMP"}
_DUMPED_NOTIFY = "Notify Message Type:"
NOTIFY_ECHO_LINES = 12  # pluto logs what it does with a dumped notification within a few lines of the dump


def _pluto_notify_protocols(events: list[Event]) -> None:
    """pluto's debug dump of an IKEv1 Notification payload prints its Protocol-ID two lines above its type
    ("| protocol ID: 3 (0x3)", "| SPI size: 4 (0x4)", "| Notify Message Type: NO_PROPOSAL_CHOSEN (0xe)"). A
    notification for AH, ESP or IPCOMP is about an IPsec SA (RFC 2408 section 3.14): phase 2, also when the state
    it arrives on is not named anywhere else in the paste. So are pluto's next lines about that notification
    ("ignoring informational payload NO_PROPOSAL_CHOSEN", "processing informational NO_PROPOSAL_CHOSEN"). A
    Protocol-ID of 1 (ISAKMP) decides nothing: some peers send it for phase 2 refusals too. The Protocol-ID lines
    are then dropped and the rest numbered again: they are read for this only."""
    if not any(ev.kind == "notify_protocol" for ev in events):
        return
    for i, ev in enumerate(events):
        protocol = _IPSEC_PROTOCOL_IDS.get(str(ev.values.get("protocol_id"))) if ev.kind == "notify_protocol" else None
        if protocol is None:
            continue
        j = next((j for j in range(i + 1, min(i + 3, len(events))) if events[j].stream == ev.stream
                  and abs(events[j].line - ev.line) == 2 and events[j].kind == "notify"
                  and _DUMPED_NOTIFY in events[j].text), None)
        if j is None or events[j].sa:
            continue
        dumped = events[j]
        said = {"notify_protocol": protocol, "notify_protocol_line": ev.line}
        dumped.sa = "child"
        dumped.values.update(said)
        for nxt in events[j + 1 :]:
            if (nxt.stream != dumped.stream or nxt.kind != "notify" or nxt.notify != dumped.notify
                    or abs(nxt.line - dumped.line) > NOTIFY_ECHO_LINES):
                break
            if not nxt.sa:
                nxt.sa = "child"
                nxt.values.update(said)
    drop_kind(events, "notify_protocol")


_PACKET_HEADER = "cisco-ikev2-packet-header"
_PACKET_EXCHANGE = "cisco-ikev2-exchange-line"


def _cisco_packet_dumps(events: list[Event]) -> None:
    """IOS-XE's debug crypto ikev2 packet prints one packet over several lines: "Received Packet [From ...]", the
    SPIs, "IKEv2 IKE_AUTH Exchange RESPONSE", "Payload contents:", then the payloads (" VID IDr AUTH
    NOTIFY(NO_PROPOSAL_CHOSEN)"). Each line reads as little alone; put together, the exchange line is the packet
    (sent or received) and a notification on the payload line travels in that exchange, in that direction. The
    header lines themselves are dropped once read."""
    if not any(ev.pattern == _PACKET_HEADER for ev in events):
        return
    header: Event | None = None
    packet: Event | None = None
    building: list[Event] = []  # notifications of a packet being built ("Building packet for encryption"), not sent yet
    keep: list[Event] = []
    for ev in events:
        if ev.pattern == _PACKET_HEADER:
            header, packet = ev, None
            continue
        if ev.pattern == _PACKET_EXCHANGE and header is not None and header.stream == ev.stream and (
                0 < ev.line - header.line <= 3):
            ev.direction = header.direction
            packet = ev
            if ev.direction == "sent":
                # the packet built just before goes out in this exchange (encrypted, its payloads listed first)
                for built in building:
                    if built.stream == ev.stream and 0 < ev.line - built.line <= 8:
                        built.exchange, built.direction = ev.exchange, "sent"
            building = []
        elif ev.kind == "notify" and not ev.exchange:
            if packet is not None and packet.stream == ev.stream and 0 < ev.line - packet.line <= 3:
                ev.exchange, ev.direction = packet.exchange, packet.direction
            else:
                building.append(ev)
        keep.append(ev)
    events[:] = keep


_CHARON_PARSED_REQUEST = re.compile(r"\bparsed (IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL) request (\d+) \[")
_CHARON_REPEATED = re.compile(r"\breceived retransmit of request with ID (\d+), retransmitting response")


def _charon_repeated_requests(events: list[Event]) -> None:
    """charon answers a request it already answered again ("received retransmit of request with ID 1, retransmitting
    response", task_manager_v2.c): the peer did not get that answer. The line names the message ID only; the request
    charon parsed with that ID before it (same stream) names the exchange. Repeats of IKE_SA_INIT, IKE_AUTH and
    CREATE_CHILD_SA are read as answers that do not reach the peer; any other (a liveness check's, or one whose request
    the paste does not show) is only an exchange."""
    for i, ev in enumerate(events):
        if ev.pattern != "swan-retransmit-response" or (m := _CHARON_REPEATED.search(ev.text)) is None:
            continue
        exchange = None
        for prev in reversed(events[max(0, i - 200) : i]):
            if prev.stream == ev.stream and (p := _CHARON_PARSED_REQUEST.search(prev.text)) and p.group(2) == m.group(1):
                exchange = p.group(1)
                break
        if exchange in ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA"):
            ev.exchange = exchange
        else:
            ev.kind = "exchange"


# charon's IKEv2 request it sends and its retransmission: "generating INFORMATIONAL request 2 [ ]", "retransmit 1 of
# request with message ID 2" (task_manager_v2.c)
_CHARON_GENERATED_REQUEST = re.compile(r"\bgenerating ([A-Z_]+) request (\d+) \[")
_CHARON_PARSED_RESPONSE = re.compile(r"\bparsed ([A-Z_]+) response (\d+) \[")
# IKEv2's wording of a request charon sends again ("retransmit 2 of request with message ID 0"; IKEv1's reads "sending
# retransmit 2 of request message ID 0, seq 3"): swan-retransmit reads the message ID of both
_CHARON_V2_RETRANSMIT = " of request with message ID "
_CHARON_V1_RETRANSMIT = " of request message ID "


_CHARON_DELETE_SENT = re.compile(r"\bsending DELETE for IKE_SA [\w.-]+\[(\d+)\]")


def _ike_key(ev: Event) -> tuple[int, str]:
    """The charon IKE SA a line is about: its unique id ("<gw|2>"), or the whole log where lines carry none."""
    tag = _CHARON_UNIQUE.search(ev.text)
    return ev.stream, tag.group(1) if tag else ""


def _charon_retransmitted_requests(events: list[Event]) -> None:
    """charon's "retransmit 1 of request with message ID 2" names the message ID only; the request it generated with
    that ID before (same log, same tunnel where the lines name one) names the exchange, and its "giving up after 3
    retransmits" ends the retransmissions before it. A request whose response came in ("parsed CREATE_CHILD_SA
    response 2") is not sent again: of the requests generated with that ID, the latest still unanswered is the one
    (two tunnels' IKE SAs number their requests each on its own, and a log whose lines do not name their tunnel shows
    both tunnels' request 2; failing an unanswered one, the latest). Read so, a liveness check left unanswered on one
    tunnel is not taken for the exchange another tunnel's lines were at (a gateway's log interleaves its tunnels, whose
    own requests carry their own message IDs). One pass over the lines.

    A "giving up" whose retransmissions name a message ID no request in the log was generated with, in a log that
    shows charon's requests (its [ENC] lines), is marked `request_unseen`: the request went out before the paste
    began, so the exchange the lines were at last (another request, answered) is not the one left unanswered."""
    # (stream, tunnel or "", message ID) -> the exchanges generated with it, latest last; those answered since removed
    generated: dict[tuple[int, str, str], list[str]] = {}
    latest_generated: dict[tuple[int, str, str], str] = {}
    latest: dict[tuple[int, str], str] = {}  # (stream, tunnel) -> the exchange of the latest retransmission read
    retransmitted: dict[tuple[int, str], str] = {}  # (stream, tunnel) -> message ID of the latest retransmission read
    series: dict[tuple[int, str], int] = {}  # (stream, tunnel) -> order of the first retransmission of its request
    requests_shown: set[int] = set()  # streams whose charon lines show the requests it generates
    setting_up: dict[tuple[int, str], bool] = {}  # (stream, IKE SA's unique id or "") -> initiated and not up yet
    deleting: set[tuple[int, str]] = set()  # (stream, IKE SA's unique id) this side sent a Delete for
    for ev in events:
        if ev.fmt != "strongswan":
            continue
        name = tunnel_name(ev)
        if ev.kind == "delete" and ev.direction == "sent" and (gone := _CHARON_DELETE_SENT.search(ev.text)):
            deleting.add((ev.stream, gone.group(1)))
        if ev.pattern == "swan-initiate" or (ev.kind == "established" and "IKE_SA " in ev.text):
            # ("<gw|1> initiating IKE_SA gw[2] to ...": the SA's own number, as its lines' "<gw|2>" say it)
            named = _CHARON_IKE_SA.search(ev.text)
            for key in ((ev.stream, named["id"] if named else ""), (ev.stream, "")):
                setting_up[key] = ev.kind == "initiate"
        if g := _CHARON_GENERATED_REQUEST.search(ev.text):
            key = (ev.stream, name, g.group(2))
            generated.setdefault(key, []).append(g.group(1))
            latest_generated[key] = g.group(1)
            requests_shown.add(ev.stream)
        elif (r := _CHARON_PARSED_RESPONSE.search(ev.text)) and (
                waiting := generated.get((ev.stream, name, r.group(2)))) and r.group(1) in waiting:
            del waiting[len(waiting) - 1 - waiting[::-1].index(r.group(1))]  # (the latest one of that exchange)
        elif ev.pattern == "swan-retransmit" and not ev.exchange and _CHARON_V2_RETRANSMIT in ev.text and (
                msgid := ev.values.get("msgid")):
            # (an untagged request line may be any tunnel's)
            for key in ((ev.stream, name, msgid), (ev.stream, "", msgid)):
                if exchange := (generated.get(key) or [None])[-1] or latest_generated.get(key):
                    ev.exchange = exchange
                    break
            else:
                if ev.stream not in requests_shown and _ike_key(ev) in deleting:
                    # The IKE SA this side sent a Delete for ("sending DELETE for IKE_SA gw[2]", the redundant SA of a
                    # lost rekey collision) sends nothing after it: what it retransmits is that Delete, an
                    # INFORMATIONAL (its first request, message ID 0, when a rekey made the SA), not a new IKE SA's
                    # IKE_SA_INIT nor a liveness check.
                    ev.exchange = "INFORMATIONAL"
                elif str(msgid) == "0" and ev.stream not in requests_shown and setting_up.get(_ike_key(ev)):
                    # An IKE SA charon initiated ("initiating IKE_SA gw[2] to ...") and that is not up yet sends
                    # IKE_SA_INIT with message ID 0 (RFC 7296 section 2.2): its retransmission is that request, not a
                    # liveness check, also where no [ENC] line names it. (The SA an IKE SA rekey makes starts again at
                    # 0 too, section 2.18, for whatever it sends first: no initiating line for it.)
                    ev.exchange = "IKE_SA_INIT"
        if ev.pattern == "swan-retransmit" and _CHARON_V2_RETRANSMIT in ev.text and (msgid := ev.values.get("msgid")):
            if retransmitted.get((ev.stream, name)) != str(msgid):
                series[(ev.stream, name)] = ev.order
            retransmitted[(ev.stream, name)] = str(msgid)
        if ev.kind == "give_up" and not ev.exchange and ev.stream in requests_shown and (
                msgid := retransmitted.get((ev.stream, name))) is not None and not any(
                (ev.stream, n, msgid) in latest_generated for n in (name, "")):
            ev.values["request_unseen"] = True
        if ev.kind == "give_up" and (start := series.pop((ev.stream, name), None)) is not None:
            ev.values["retransmitted_from"] = start  # (details.with_peer: where the request it ends was sent again)
            retransmitted.pop((ev.stream, name), None)
        if ev.pattern == "swan-retransmit" and ev.exchange:
            latest[(ev.stream, name)] = ev.exchange
        elif ev.kind == "give_up" and not ev.exchange and (exchange := latest.get((ev.stream, name))):
            ev.exchange = exchange


# charon's words for giving up on an IKE SA still being set up (ike_sa.c retransmit(), state IKE_CONNECTING)
_CHARON_CONNECTING = re.compile(r"\bestablishing IKE_SA failed, peer not responding|\bpeer not responding, trying again\b")


def _charon_connecting_give_ups(events: list[Event]) -> None:
    """charon says which state its IKE SA was in when it gave up (ike_sa.c, retransmit()): "establishing IKE_SA failed,
    peer not responding" and "peer not responding, trying again (2/3)" only for an IKE SA still being set up
    (IKE_CONNECTING); "rekeying IKE_SA failed" for one being rekeyed, nothing of its own for one that was up (a
    liveness check, a Child SA's rekey). Such a line, and the "giving up after N retransmits" right before it (same
    log, same thread), are marked `ike_connecting`: the request left unanswered set up a new IKE SA, not an exchange
    over an IKE SA that is up, such as another tunnel's in a log whose lines do not name their tunnel. (A
    reauthentication sets up a new IKE SA too: `classify` reads that with the "reauthenticating IKE_SA" line before
    it.) An IKE SA being set up sends IKE_SA_INIT with message ID 0 and IKE_AUTH with 1 (RFC 7296 sections 1.2,
    2.2): the message ID of the retransmissions before (IKEv2's "retransmit 2 of request with message ID 0", same
    tunnel where the lines name it) names the exchange that went unanswered where the lines naming the request are
    not in the log; a higher one is an exchange over an IKE SA that was up (a liveness check), and the "giving up"
    after it is not the setup's. One pass over the lines."""
    retransmitted: dict[tuple[int, str], str] = {}  # (stream, tunnel) -> message ID of the latest IKEv2 retransmission
    for i, ev in enumerate(events):
        if ev.fmt != "strongswan":
            continue
        if ev.pattern == "swan-retransmit" and _CHARON_V2_RETRANSMIT in ev.text and (msgid := ev.values.get("msgid")):
            retransmitted[(ev.stream, tunnel_name(ev))] = str(msgid)
            continue
        if ev.kind != "give_up" or not _CHARON_CONNECTING.search(ev.text):
            continue
        message_id = retransmitted.pop((ev.stream, tunnel_name(ev)), None)
        setup = message_id in (None, "0", "1")  # (a higher one was an exchange over an IKE SA that was up: a DPD's)
        marked = [ev]
        thread = _CHARON_THREAD.search(ev.text)
        prev = next((e for e in reversed(events[max(0, i - 3) : i]) if e.stream == ev.stream), None)
        if setup and prev is not None and prev.kind == "give_up" and prev.fmt == "strongswan" and (
                thread is None or ((t := _CHARON_THREAD.search(prev.text)) is not None and t.group(1) == thread.group(1))):
            marked.append(prev)
        for e in marked:
            e.values["ike_connecting"] = True
            if not e.exchange and message_id in ("0", "1"):
                e.exchange = "IKE_SA_INIT" if message_id == "0" else "IKE_AUTH"


def _borrow_exchange(events: list[Event]) -> None:
    """A failure line that names no exchange belongs to the message this side sends right after it (same
    stream, same second): FortiGate's event log writes "IPsec phase 2 error" before the progress line
    that names the exchange (exch=CREATE_CHILD) the refusal is sent in, and charon "no acceptable proposal
    found" before "generating CREATE_CHILD_SA response 0 [ N(NO_PROP) ]" (in the same thread, when its lines
    carry no time), pluto 5.3+ "no local proposal matches remote proposals" before "responding to CREATE_CHILD_SA
    message ... with encrypted notification NO_PROPOSAL_CHOSEN" (the IKE SA's line; 5.2 and earlier also said
    "CREATE_CHILD_SA request failed" on the Child SA's), charon's "failed to establish CHILD_SA, keeping IKE_SA" after
    its refusal (no exchange named, but the SA is a Child SA): a paste that starts there still tells a Child SA's
    refusal from an IKE SA's. pluto's lines without time count when the answer is the very next line."""
    for i, ev in enumerate(events):
        if ev.exchange or ev.kind not in ("no_proposal", "ts_unacceptable", "notify"):
            continue
        thread = _CHARON_THREAD.search(ev.text) if ev.stamp is None else None
        # pluto's lines without time (a test console, a paste that cut the stamps): its answer is the next line
        adjacent = ev.stamp is None and thread is None and ev.fmt == "libreswan"
        if ev.stamp is None and thread is None and not adjacent:
            continue
        # (charon's "establishing CHILD_SA" names no exchange of its own here: the request line after it does)
        for nxt in [e for e in events[i + 1 : i + 5] if e.pattern != "swan-establishing-child"][:3]:
            if nxt.stream != ev.stream or (adjacent and abs(nxt.line - ev.line) != 1):
                break
            if ev.stamp is not None and (nxt.stamp is None or abs(nxt.stamp - ev.stamp) >= 1):
                break
            if thread is not None and ((t := _CHARON_THREAD.search(nxt.text)) is None or t.group(1) != thread.group(1)):
                break
            if ev.fmt == "libreswan" and (mine := conn_of(ev)) and (theirs := conn_of(nxt)) and mine != theirs:
                continue  # another pluto connection's line, interleaved (a gateway's tunnels): not this refusal's answer
            if nxt.kind == "exchange" and nxt.direction == "sent" and nxt.exchange in CHILD_EXCHANGES:
                ev.exchange = nxt.exchange
                break
            if nxt.pattern == "swan-child-failed-keeping-ike":
                if ev.kind != "notify":
                    ev.sa = ev.sa or "child"  # charon: the Child SA failed and the IKE SA stays: phase 2's refusal
                break
            if nxt.kind == "no_proposal" and ev.fmt == "libreswan":
                break  # pluto refused another state's proposals first: the answer after it is that state's
            if (ev.kind == "no_proposal" and nxt.kind == "notify" and nxt.direction == "sent" and nxt.exchange
                    and NOTIFY_MEANING.get(nxt.notify or "") == "no_proposal"):
                ev.exchange = nxt.exchange  # the refusal this side sends, in the exchange it names
                if nxt.exchange == "INFORMATIONAL_V1" and not ev.sa and _V1_HASHED.search(nxt.text):
                    # ... sent under the ISAKMP SA (a HASH payload, RFC 2409 section 5.7): phase 1 is done, so
                    # the proposals refused were Quick Mode's (charon: "[ HASH N(NO_PROP) ]").
                    ev.sa = "child"
                break


# pluto's timeout of a request on an established IKE SA ("#1: ESTABLISHED_IKE_SA: 30 second timeout exceeded") names the
# IKE SA's state, not the exchange: libreswan 4 and later time out every request sent over an IKE SA there (a liveness
# check, a Delete, the CREATE_CHILD_SA of a Child SA using it: ikev2_retransmit.c works per IKE SA).
_ESTABLISHED_TIMEOUT = re.compile(r"(?<![A-Z])(?:STATE_V2_)?ESTABLISHED_IKE_SA: \d+ second timeout exceeded\b")


def _established_timeouts(events: list[Event]) -> None:
    """The exchange of the request each of pluto's timeouts on an established IKE SA ended: that of the connection's
    last request before it (pluto's "sent CREATE_CHILD_SA request", "sent INFORMATIONAL request") when no answer of the
    same exchange came after it, else none named (the log does not say which request it was)."""
    for i, ev in enumerate(events):
        if ev.fmt != "libreswan" or ev.kind != "give_up" or not _ESTABLISHED_TIMEOUT.search(ev.text):
            continue
        conn = conn_of(ev)
        request, at = None, i
        for at in range(i - 1, -1, -1):
            e = events[at]
            if e.stream == ev.stream and e.exchange and (not conn or conn_of(e) == conn) and (
                    e.direction == "sent" and " request" in e.text):
                request = e
                break
        answered = request is not None and any(
            e.stream == ev.stream and e.direction == "received" and e.exchange == request.exchange
            and (not conn or conn_of(e) == conn) for e in events[at + 1:i])
        ev.exchange = request.exchange if request is not None and not answered else None
