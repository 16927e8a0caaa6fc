"""Putting events in the order they happened: newest-first pastes, two logs pasted one after the other,
excerpts without time stamps."""

from __future__ import annotations

import re
from typing import Any

from lab.analyzer.protocol.events import Event, stamp_kind
from lab.analyzer.protocol.streams import _CHARON_GROUPS, _PLUTO_SERIAL, _PLUTO_STATE_OF, _serial_of


def _protocol_rank(ev: Event) -> float | None:
    """Where an event sits in one negotiation attempt, for logs without timestamps."""
    if ev.kind == "initiate":
        return 0.0
    if ev.kind == "retransmit":
        n = ev.values.get("count")
        return 1.0 + (int(n) / 1000 if isinstance(n, str) and n.isdigit() else 0.0)
    if ev.kind in ("give_up", "dpd_dead"):
        return 2.0
    return None


# Order signals the daemons' own lines carry, for excerpts without timestamps.
# libreswan/pluto: state serials `"conn" #N:` are allocated increasing; within one serial the state
# moves forward (STATE_MAIN_I1 -> I2 -> I3 -> I4, STATE_QUICK_I1 -> I2, PARENT_I1 -> I2) and the words
# go initiating -> sent -> established/negotiated -> deleting. (An IKE SA "responding to CREATE_CHILD_SA message (ID 2)"
# answers inside the SA, long after it was established: not the start of a negotiation.)
_PLUTO_STATE = re.compile(r"\bSTATE_(?:V2_)?(?:MAIN|AGGR|QUICK|PARENT)_[IR](\d)\b")
_PLUTO_STEP = re.compile(
    r"#\d+: (?:STATE_\w+: )?(?:(initiating|responding to(?! [A-Z_]+ message \(ID))|(deleting|sent INFORMATIONAL request to delete)"
    r"|(sent|sending (?:encrypted )?notification)|.*?\b(established|negotiated|rekeyed)\b)"
)
# A request pluto sends again comes after it was first sent and before the state is deleted; the waits
# double ("will wait 0.5 seconds", "1 second", "2 seconds") and the timeout ends the series. Not on an
# established SA's own state (it also retransmits the requests it sends once up: rekeys, liveness).
_PLUTO_RETRANSMIT = re.compile(
    r"#\d+: (?!(?:STATE_)?(?:V2_)?ESTABLISHED)(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+: )?"
    r"(?:retransmission; will wait ([\d.]+) ?(ms|s|seconds?)|(?:\d+ second )?(timeout exceeded)|(max number of retransmissions))"
)
# IKEv2 in pluto: IKE_SA_INIT before IKE_AUTH, and a request before its response (sent by the
# initiator, processed by the responder).
_PLUTO_V2_MSG = re.compile(r"#\d+: (sent|processed|processing|received) (IKE_SA_INIT|IKE_AUTH) (request|response)\b")
# strongSwan/charon: IKE_SA unique ids `name[N]` and CHILD_SA ids `name{N}` are allocated increasing;
# "initiating IKE_SA name[N]" comes before "IKE_SA name[N] established" (and "establishing CHILD_SA
# name{N}" before "CHILD_SA name{N} established"); IKEv2 message ids grow per direction, and a request
# is generated before its response is parsed (the peer's requests: parsed before answered).
_CHARON_IKE = re.compile(r"(?<![\w\"-])([A-Za-z][\w.-]*)\[(\d+)\](?!:)")
_CHARON_IKE_PREFIX = re.compile(r"<[\w.-]+\|(\d+)>")  # the `<conn|N>` prefix charon logs with (pfSense)
# A line of charon's `ipsec status` / `swanctl --list-sas` listing ("  aws{7}:  INSTALLED, TUNNEL, ...",
# "  aws[8]: ESTABLISHED ...").
_CHARON_LISTING = re.compile(r"\s+[A-Za-z][\w.-]*(?:\[\d+\]|\{\d+\}): ")
_CHARON_CHILD = re.compile(r"(?<![\w\"-])(?P<name>[A-Za-z][\w.-]*)\{(?P<id>\d+)\}")
_CHARON_IKE_SA = re.compile(r"\bIKE_SA (?P<name>[A-Za-z][\w.-]*)\[(?P<id>\d+)\]")  # "IKE_SA gw[2] rekeyed"
_CHARON_IKE_STEP = re.compile(r"\b(initiating) IKE_SA [\w.-]+\[(\d+)\]|\bIKE_SA [\w.-]+\[(\d+)\] (established)\b")
_CHARON_CHILD_STEP = re.compile(r"\b(establishing) CHILD_SA [\w.-]+\{(\d+)\}|\bCHILD_SA [\w.-]+\{(\d+)\} (established)\b")
# IKEv2 exchanges only: IKEv1 message ids are random.
_CHARON_MID = re.compile(
    r"\b(generating|parsed) (?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL|IKE_INTERMEDIATE|IKE_FOLLOWUP_KE)"
    r" (request|response) (\d{1,9})\b"
)

# charon's kernel interface (kernel_netlink_ipsec.c, debug level 2) adds an SA, later deletes it and says it is gone:
# "adding SAD entry with SPI c1d2e3f4 ..." -> "deleting SAD entry with SPI c1d2e3f4" -> "deleted SAD entry with SPI ...".
_CHARON_SAD = re.compile(r"\b(adding|deleting|deleted) SAD entry with SPI ([0-9a-fA-F]{8})\b")
_SAD_STEP = {"adding": 0, "deleting": 1, "deleted": 2}
# charon's kernel refusing an SA: the kernel's error, then its "unable to add SAD entry" for that SPI, then, after both
# directions, its "unable to install ... IPsec SA (SAD) in kernel" (kernel_netlink_shared.c, kernel_netlink_ipsec.c,
# child_sa.c)
_CHARON_KERNEL_STEP = re.compile(r"\b(?:(received netlink error)|(unable to add SAD entry)|(unable to install "
                                 r"(?:inbound and outbound |inbound |outbound )?IPsec SA \(SAD\)))")

# charon handles a message in one job: a worker thread logs "received packet" and then "parsed ...", and
# "generating ..." then "sending packet" (IKEv1 too). Two neighbouring lines of the same thread in the other
# order are the paste read backwards.
_CHARON_PACKET = re.compile(
    r"(?:\b(\d{1,3})\[(?:NET|ENC)\] )?(?:(received packet): |(parsed) [A-Z]|(generating) [A-Z]|(sending packet): )"
)


def _packet_votes(texts: list[str], numbers: list[int] | None = None) -> tuple[int, int]:
    """Votes from neighbouring charon lines of one thread: received packet -> parsed, generating -> sending.
    `numbers`: the texts' line numbers (lines in between break the pair), else the texts are the lines."""
    up = down = 0
    prev: tuple[str, str] | None = None
    for i, text in enumerate(texts):
        m = _CHARON_PACKET.search(text)
        if not m:
            prev = None
            continue
        step = "recv" if m.group(2) else "parsed" if m.group(3) else "gen" if m.group(4) else "send"
        cur = (m.group(1) or "", step)
        if numbers is not None and i and numbers[i] != numbers[i - 1] + 1:
            prev = None
        if prev is not None and prev[0] == cur[0]:
            pair = (prev[1], step)
            if pair in (("recv", "parsed"), ("gen", "send")):
                up += 1
            elif pair in (("parsed", "recv"), ("send", "gen")):
                down += 1
        prev = cur
    return up, down


# A log whose lines carry the time of day only ("00:12:59", no date) passes midnight when the time falls from late in
# the evening to early in the morning: from `_LATE` or later to `_EARLY` or earlier.
_LATE, _EARLY = 22 * 3600.0, 2 * 3600.0


def _past_midnight(a: float, b: float) -> bool:
    """Time-of-day stamps (no date) `a` then `b` that passed midnight: `b` is the next day, later than `a`."""
    return stamp_kind(a) == stamp_kind(b) == 3 and a >= _LATE and b <= _EARLY


def _steps(seq: list[Any], wraps: bool = False) -> tuple[int, int]:
    """(up, down): consecutive pairs of a sequence of comparable values that rise / fall (with `wraps`, time-of-day
    stamps that passed midnight rise)."""
    up = down = 0
    for a, b in zip(seq, seq[1:], strict=False):
        if b > a or (wraps and _past_midnight(a, b)):
            up += 1
        elif b < a:
            down += 1
    return up, down


def _allocation_votes(ids: list[int]) -> tuple[int, int]:
    """Votes from ids allocated increasing over time: the order of their first mentions (an older SA
    may still be mentioned after a newer one, its first mention cannot come later)."""
    first: dict[int, int] = {}
    for i, n in enumerate(ids):
        first.setdefault(n, i)
    return _steps(sorted(first, key=first.__getitem__))


def _per_key_votes(pairs: list[tuple[Any, Any]]) -> tuple[int, int]:
    """Votes from (key, rank) pairs whose rank rises over time within one key."""
    by_key: dict[Any, list[Any]] = {}
    for key, rank in pairs:
        by_key.setdefault(key, []).append(rank)
    up = down = 0
    for seq in by_key.values():
        u, d = _steps(seq)
        up, down = up + u, down + d
    return up, down


# A BGP neighbor's state changes chain (RFC 4271's FSM): each one leaves the state the one before it entered
# (OpenBGPD "state change Active -> OpenSent", Junos "changed state from OpenConfirm to Established", FRR's debug
# "went from OpenSent to OpenConfirm", Arista "old state OpenConfirm event ... new state Established", Huawei
# "PrevState=OPENSENT, CurrState=OPENCONFIRM"). Read in the wrong order the chain runs backwards. The neighbor: the
# first address on the line ("" when it names none).
_BGP_STATES = "Idle|Connect|Active|OpenSent|OpenConfirm|Established"
_BGP_CHANGE = re.compile(
    r"(?i)(?:\bstate change |\bchanged state from |\bwent from |\bold state |\bPrevState=)"
    r"(?P<a>" + _BGP_STATES + r")(?: event \w+ new state | ?-> ?| to |, CurrState=)(?P<b>" + _BGP_STATES + r")\b"
)
_BGP_NEIGHBOR = re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])")


def _bgp_chain_votes(texts: list[str]) -> tuple[int, int]:
    """Votes from three consecutive state changes of one BGP neighbor that chain: each leaves the state the one before
    it entered (oldest first), or each enters the state the one before it left (newest first). Two changes alone do
    not vote: an excerpt of only the interesting lines (Established -> Idle, then OpenConfirm -> Established, the
    steps between left out) looks like a chain read backwards."""
    chains: dict[str, list[tuple[str, str]]] = {}
    for text in texts:
        m = _BGP_CHANGE.search(text)
        if not m:
            continue
        a, b = m.group("a").lower(), m.group("b").lower()
        if a != b:
            n = _BGP_NEIGHBOR.search(text)
            chains.setdefault(n.group(0) if n else "", []).append((a, b))
    up = down = 0
    for seq in chains.values():
        for (a1, b1), (a2, b2), (a3, b3) in zip(seq, seq[1:], seq[2:], strict=False):
            forward = b1 == a2 and b2 == a3
            backward = b3 == a2 and b2 == a1
            if forward != backward:
                up, down = up + forward, down + backward
    return up, down


def order_votes(texts: list[str], numbers: list[int] | None = None) -> tuple[int, int]:
    """(oldest-first votes, newest-first votes) from the order signals in the lines' own text. Only
    pairs of lines that both carry the same kind of signal vote. `numbers`: the lines' numbers when the
    texts are not every line (neighbouring lines vote on charon's packet steps)."""
    serials: list[int] = []
    states: list[tuple[int, int]] = []
    words: list[tuple[int, float]] = []
    exchanges: list[tuple[int, int]] = []
    ike_ids: list[int] = []
    child_ids: list[int] = []
    steps: list[tuple[tuple[str, int], int]] = []
    mids: list[tuple[str, tuple[int, int]]] = []
    sad: list[tuple[str, int]] = []
    for text in texts:
        if _CHARON_LISTING.match(text):
            continue  # `ipsec status` lists SAs in no order of time
        m = _PLUTO_SERIAL.search(text)
        if m:
            serial = int(m.group(1))
            informative = False
            if s := _PLUTO_STATE.search(text):
                states.append((serial, int(s.group(1))))
                informative = True
            if r := _PLUTO_RETRANSMIT.search(text, m.start()):
                seconds = float(r.group(1)) / (1000 if r.group(2) == "ms" else 1) if r.group(1) else 0.0
                wait = min(seconds, 999.0) / 10000 if r.group(1) else 0.2  # waits in Openswan's "20s", 3.x's "500ms"
                words.append((serial, 1.5 + wait))
                informative = True
            elif w := _PLUTO_STEP.search(text, m.start()):
                words.append((serial, 0 if w.group(1) else 3 if w.group(2) else 1 if w.group(3) else 2))
                # a parent SA is deleted after its children were created, an SA after the one that replaced it
                informative = informative or not w.group(2)
            if v2 := _PLUTO_V2_MSG.search(text, m.start()):
                _verb, exchange, kind = v2.groups()
                exchanges.append((serial, (exchange == "IKE_AUTH") * 2 + (kind == "response")))
                informative = True
            # A parent (IKE) SA keeps speaking after its children were created: only lines that show
            # where a state is in its own negotiation count for the order of allocation.
            if informative:
                serials.append(serial)
        if p := _CHARON_IKE_PREFIX.search(text):
            ike_ids.append(int(p.group(1)))
        else:
            for name, n in _CHARON_IKE.findall(text):
                if name not in _CHARON_GROUPS:
                    ike_ids.append(int(n))
                    break
        if c := _CHARON_CHILD.search(text):
            child_ids.append(int(c["id"]))
        if s := _CHARON_IKE_STEP.search(text):
            steps.append((("ike", int(s.group(2) or s.group(3))), 0 if s.group(1) else 1))
        if s := _CHARON_CHILD_STEP.search(text):
            steps.append((("child", int(s.group(2) or s.group(3))), 0 if s.group(1) else 1))
        if mid := _CHARON_MID.search(text):
            verb, kind, n = mid.groups()
            ours = (verb == "generating") == (kind == "request")
            first_step = verb == ("generating" if ours else "parsed")
            mids.append(("ours" if ours else "peer", (int(n), 0 if first_step else 1)))
        if k := _CHARON_SAD.search(text):
            sad.append((k.group(2).lower(), _SAD_STEP[k.group(1)]))
        if k := _CHARON_KERNEL_STEP.search(text):
            sad.append(("kernel", 0 if k.group(1) else 1 if k.group(2) else 2))
    up = down = 0
    for u, d in (
        _allocation_votes(serials),
        _per_key_votes(states),
        _per_key_votes(words),
        _per_key_votes(exchanges),
        _allocation_votes(ike_ids),
        _allocation_votes(child_ids),
        _per_key_votes(steps),
        _per_key_votes(mids),
        _per_key_votes(sad),
        _packet_votes(texts, numbers),
        _bgp_chain_votes(texts),
    ):
        up, down = up + u, down + d
    return up, down


def _newest_first_by_protocol(events: list[Event], texts: list[tuple[int, str]] | None = None, upto: int = 0) -> bool:
    """For logs without usable timestamps: newest first only when the protocol's own order signals
    say so by a clear majority (at least two votes, and twice those for the given order); otherwise the
    given order is kept. `texts`: (line number, line) of the input's first `upto` lines that carry an order
    signal, events or not (the events after them add their own lines)."""
    seq = [r for r in map(_protocol_rank, events) if r is not None]
    up, down = _steps(seq)
    if texts is None:
        texts, upto = [], 0
    later = [ev for ev in events if ev.line > upto]
    u, d = order_votes([t for _, t in texts] + [ev.text for ev in later], [n for n, _ in texts] + [ev.line for ev in later])
    up, down = up + u, down + d
    return down >= 1 and down >= 2 * up


# The role a pluto state plays, from words only the initiator (or only the responder) of an IKE SA logs:
# a state serial keeps its role for its whole life, so the same serial in the other role is the other
# peer's log pasted after the first (both daemons number their states from #1).
_PLUTO_ROLE = re.compile(
    r"#(\d+): (?:STATE_(?:MAIN|AGGR|QUICK|PARENT)_(?P<state>[IR])\d|(?P<i>initiating (?:IKEv[12] )?(?:Main Mode|Aggressive"
    r" Mode|IKEv2 connection|v2 parent)|sent (?:IKE_SA_INIT|IKE_AUTH) request|sent Main Mode (?:request|I\d)"
    r"|processed IKE_SA_INIT response|processing IKE_AUTH response|initiator established IKE SA)"
    r"|(?P<r>responding to (?:Main|Aggressive) Mode|process(?:ed|ing)(?: decrypted)? (?:IKE_SA_INIT|IKE_AUTH) request"
    r"|sent (?:IKE_SA_INIT|IKE_AUTH) (?:response|reply)|sent Main Mode R\d|responder established IKE SA))"
)


# The peer a pluto state talks to, from the lines that name the address a message goes to or comes from: a state
# serial is allocated once by a daemon, so the same serial initiating again, to another peer, is the other
# daemon's log.
_PLUTO_PEER = re.compile(
    r"#(\d+): (?:initiating IKEv[12] connection to|sent [A-Z_]+ (?:request|response) to"
    r"|process(?:ed|ing) [A-Z_]+ (?:request|response) from) (?:\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?:UDP|TCP)/\d+|:\d+)?"
    r"|(?P<v4>\d{1,3}(?:\.\d{1,3}){3})(?::(?:UDP|TCP)/\d+|:\d+)?|(?P<bare>[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*?)(?::(?:UDP|TCP)/\d+)?)"
    r"(?=[\s,]|$)"
)


def pluto_peer(ev: Event) -> tuple[int, str] | None:
    """(state serial, peer address) when a libreswan line names the address its state talks to."""
    if ev.fmt != "libreswan":
        return None
    m = _PLUTO_PEER.search(ev.text)
    return (int(m.group(1)), m.group("v6") or m.group("v4") or m.group("bare")) if m else None


# pluto's lines about a message no state owns yet: "packet from 192.0.2.1:500: ..." (the sender's address)
_PLUTO_PACKET_FROM = re.compile(r"(?:^|: )packet from \[?([0-9A-Fa-f.:]+?)\]?:(?:(?:UDP|TCP)/)?\d+: ")


_DAEMON_PID = re.compile(r"\b(?:charon(?:-systemd)?|pluto|iked|kmd|racoon)\[(\d+)\]:")


# The role charon's IKE SA plays, from its IKE_SA_INIT (IKEv1: its Main or Aggressive Mode): an IKE SA's unique id
# (`<conn|N>`, `<N>`, `conn[N]`) keeps its role, so the same id in the other role is the other daemon's log (both
# number their IKE SAs from 1).
_CHARON_ROLE = re.compile(
    r"(?P<i>initiating (?:(?:Main|Aggressive) Mode )?IKE_SA [\w.-]+\[(?P<n>\d+)\]"
    r"|generating (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) request 0 |parsed (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) response 0 )"
    r"|(?P<r>\S+ is initiating an? (?:(?:Main|Aggressive) Mode )?IKE_SA"
    r"|parsed (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) request 0 |generating (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) response 0 )"
)
_CHARON_ANY_PREFIX = re.compile(r"<(?:[\w.-]+\|)?(\d+)> ")
# The peer rekeying the IKE SA: charon reads the new IKE SA's IKE_SA_INIT part from the CREATE_CHILD_SA request and
# logs "192.0.2.2 is initiating an IKE_SA" under the old IKE SA's id (ike_rekey.c runs ike_init.c for the new one).
# That id keeps its role: the line is no role of its own.
_CHARON_IKE_REKEY_REQUEST = re.compile(r"\bparsed CREATE_CHILD_SA request \d+ \[")


def _ike_role(ev: Event, moved: dict[int, int] | None = None) -> tuple[tuple[str, int], str] | None:
    """((daemon, pluto's state serial or charon's IKE SA unique id), "I" or "R") when the line says which side of its
    IKE SA it is. `moved`: charon's IKE SA ids whose lines started another IKE SA (an IKEv1 reauthentication logs
    "<gw|1> initiating Main Mode IKE_SA gw[2]", then gw[2]'s first messages under <gw|1>): the id a line's prefix
    stands for (updated from the line)."""
    if ev.fmt == "libreswan" and (m := _PLUTO_ROLE.search(ev.text)):
        return ("libreswan", int(m.group(1))), m.group("state") or ("I" if m.group("i") else "R")
    if ev.fmt == "strongswan" and (m := _CHARON_ROLE.search(ev.text)):
        prefix = (p := _CHARON_ANY_PREFIX.search(ev.text, 0, m.start() + 1)) and int(p.group(1))
        if m.group("n"):
            n = int(m.group("n"))
            if moved is not None and prefix and prefix != n:
                moved[prefix] = n
        else:
            n = (moved or {}).get(prefix, prefix) if prefix else 0
        if n:
            return ("strongswan", n), "I" if m.group("i") else "R"
    return None


# charon's IKE SA up: "IKE_SA gw[1] established between 192.0.2.1[...]...192.0.2.2[...]" (or "rekeyed between")
_CHARON_IKE_UP = re.compile(
    r"\bIKE_SA [\w.-]+\[(?P<id>\d+)\] (?:established|rekeyed) between [^\s\[]+\[[^\]]*\]\.\.\.(?P<remote>[^\s\[]+)\[")
_CHARON_PEER_INITIATING = re.compile(r"<(?:[\w.-]+\|)?(\d+)> (\S+) is initiating an IKE_SA")


def _peer_rekeys_up_sa(ev: Event, stream: int, up_remote: dict[tuple[int, int], str]) -> bool:
    """charon's "<gw|1> 192.0.2.2 is initiating an IKE_SA" under the id of an IKE SA that is up with that peer: the
    peer rekeys it (ike_rekey.c runs ike_init.c for the new SA under the old one's id), also where no [ENC] line shows
    the CREATE_CHILD_SA request. No role of its own: a new IKE SA the peer starts gets an id of its own."""
    m = _CHARON_PEER_INITIATING.search(ev.text) if ev.fmt == "strongswan" else None
    return m is not None and up_remote.get((stream, int(m.group(1)))) == m.group(2)


def _daemon_pid(text: str) -> str:
    """The process id of the IKE daemon a syslog line names ("charon[2436]:", "pluto[7015]:"), or ""."""
    m = _DAEMON_PID.search(text, 0, 120)
    return m.group(1) if m else ""


# pluto starting a new state (an IKE SA, a Child SA, a rekey's state): the serial before "initiating" is the new one
# ("initiating IKE_AUTH redirect", "initiating delete of connection's IKE SA #2" start none).
_PLUTO_NEW_STATE = re.compile(
    r"#(\d+): initiating (?:IKEv[12] |v2 parent|Main Mode|Aggressive Mode|Quick Mode|rekey |Child SA |IKEv2 connection)")
_PLUTO_STARTS = ("lib-connection-added", "lib-connection-added-3x")  # the lines pluto starts its log with
_ADDED_NAME = re.compile(r'"([^"]+)"(?::| *$)')


def _newest_first(events: list[Event], texts: list[tuple[int, str]] | None, upto: int) -> bool:
    """Whether these events are newest first: their timestamps decide; without usable ones, the protocol's own order
    signals (`_newest_first_by_protocol`)."""
    up, down = stamp_votes([ev.stamp for ev in events if ev.stamp is not None])
    return _newest_first_by_protocol(events, texts, upto) if up == 0 and down == 0 else down > up


def stamp_votes(stamps: list[float]) -> tuple[int, int]:
    """(up, down) of consecutive time stamps (`_steps` with midnight), where two of the same second, one of them in
    whole seconds, cast no vote: one log written at two precisions (Go's logrus "19:33:20Z" beside
    "19:33:20.378997735Z" from another component) says nothing of order there, either way."""
    up = down = 0
    for a, b in zip(stamps, stamps[1:], strict=False):
        if int(a) == int(b) and (a == int(a) or b == int(b)):
            continue
        u, d = _steps([a, b], wraps=True)
        up, down = up + u, down + d
    return up, down


# IKE daemons whose lines never share one daemon's log: a run of each, one after the other, is two logs.
_IKE_DAEMONS = frozenset({"strongswan", "libreswan"})

# The fewest events each of two pasted logs must have for its order to be read on its own.
_BLOCK_EVENTS = 3


def _two_blocks(events: list[Event]) -> tuple[list[Event], list[Event]] | None:
    """Two logs in different formats pasted one after the other (a gateway's web GUI export, newest first, and the
    other peer's daemon log, oldest first): the events of each, when the paste is exactly two runs of one format each
    with at least `_BLOCK_EVENTS` events. Lines of two formats taken turn about (one merged syslog) are no such
    paste."""
    cut = next((i for i in range(1, len(events)) if events[i].fmt != events[i - 1].fmt), None)
    if cut is None or cut < _BLOCK_EVENTS or len(events) - cut < _BLOCK_EVENTS:
        return None
    if any(ev.fmt != events[cut].fmt for ev in events[cut:]):
        return None
    return events[:cut], events[cut:]


# The frame of a line around the daemon's message, to tell where one pasted log ends and the next starts: the tab
# columns of a web GUI's table ("15:08:32<TAB>charon<TAB>4242<TAB>08[NET] ..."), the time's own form (pluto's
# "22:14:27.518433: ") and the shape of the first word after it ("08[NET]" as "a[a]"), the same on every line of one
# log.
_AFTER_TIME = re.compile(r"\d:\d\d:\d\d([.,]\d+)?(:?)[ \t]*(\S*)")
_WORD = re.compile(r"\w+")


def _shape(ev: Event) -> tuple[int, int, str, str]:
    """(tabs, digits of the second's fraction, ":" after the time or "", the first word's shape)."""
    m = _AFTER_TIME.search(ev.text, 0, 200)
    if m is None:
        return ev.text.count("\t"), 0, "", ""
    return ev.text.count("\t"), len(m.group(1) or ""), m.group(2), _WORD.sub("a", m.group(3))


def _two_orders(events: list[Event]) -> tuple[int, bool] | None:
    """Two logs of one format pasted one after the other in opposite orders (a web GUI's lines, newest first, and the
    other peer's log, oldest first, or the other way round): (where the second starts, whether the first is the
    newest-first one), read from the time stamps. The cut leaves each part's stamps going one way (at most one step in
    fifty against it) and each part at least two steps its way (one, where the lines change shape there: a GUI's
    columns, the daemon's own prefix); where several cuts do (the two logs' first and last seconds alike), the one
    where the lines change shape, else the first."""
    stamped = [(i, ev.stamp) for i, ev in enumerate(events) if ev.stamp is not None]
    n = len(events)
    if len(stamped) < 2 * _BLOCK_EVENTS or len(stamped) < 0.9 * n:
        return None
    # Each step between neighbouring stamped events that rises or falls (equal stamps say nothing), counted by where
    # it lies: wholly before a cut (its later event before it) or wholly after (its earlier event at or after it).
    before = {1: [0] * (n + 1), -1: [0] * (n + 1)}  # steps whose later event's index < i
    after = {1: [0] * (n + 1), -1: [0] * (n + 1)}  # steps whose earlier event's index >= i
    for (i, a), (j, b) in zip(stamped, stamped[1:], strict=False):
        if a != b:
            before[1 if b > a else -1][j + 1] += 1
            after[1 if b > a else -1][i] += 1
    for way in (1, -1):
        for i in range(1, n + 1):
            before[way][i] += before[way][i - 1]
        for i in range(n - 1, -1, -1):
            after[way][i] += after[way][i + 1]
    best: tuple[int, list[tuple[int, bool]]] | None = None
    for cut in range(_BLOCK_EVENTS, n - _BLOCK_EVENTS + 1):
        for first_new in (True, False):
            way = -1 if first_new else 1
            its_way = min(before[way][cut], after[-way][cut])
            if its_way < 1 or (its_way < 2 and _shape(events[cut - 1]) == _shape(events[cut])):
                continue
            against = before[-way][cut] + after[way][cut]
            if against > (before[1][cut] + before[-1][cut] + after[1][cut] + after[-1][cut]) // 50:
                continue
            if best is None or against < best[0]:
                best = (against, [(cut, first_new)])
            elif against == best[0]:
                best[1].append((cut, first_new))
    if best is None:
        return None
    return next((c for c in best[1] if _shape(events[c[0] - 1]) != _shape(events[c[0]])), best[1][0])


def _texts_within(texts: list[tuple[int, str]] | None, block: list[Event]) -> list[tuple[int, str]] | None:
    """The order-signal lines among a block's own lines."""
    if texts is None:
        return None
    first, last = block[0].line, block[-1].line
    return [(n, t) for n, t in texts if first <= n <= last]


def _other_pluto_heard(ev: Event, peers: dict[int, str]) -> bool:
    """After a connection was added again, with no state serial to decide by: the other peer's pluto refusing this
    one's first message before it makes a state ("packet from 192.0.2.1:500: ... no suitable connection"). A packet
    from an address other than the one peer this log's states talked to is the other peer's pluto hearing from this
    one. Where no state named its peer (libreswan 3's "sent v2I1"), a message refused for want of a connection is read
    so too (were it this pluto, with the connection changed as it was added again, the refusal would say the same:
    the versions differ)."""
    if (sender := _PLUTO_PACKET_FROM.search(ev.text)) is None:
        return False
    if peers:
        return len(set(peers.values())) == 1 and sender.group(1) not in peers.values()
    return "no suitable connection" in ev.text


def put_in_order(
    events: list[Event], texts: list[tuple[int, str]] | None = None, upto: int = 0
) -> tuple[list[Event], bool, int]:
    """Events oldest first, split into streams. Returns (events, input was newest-first, streams). `texts`:
    the order-signal lines of the input's first `upto` lines (see `lab.analyzer.scan.scanner.ORDER_LINE`)."""
    if len(events) < 2:
        for i, ev in enumerate(events, 1):
            ev.order = i
        return events, False, 1 if events else 0
    newest_first = _newest_first(events, texts, upto)
    ordered = list(reversed(events)) if newest_first else list(events)
    boundary = None  # where the second of two logs in different formats and orders starts (see _two_blocks)
    if (blocks := _two_blocks(events)) is not None:
        first, second = blocks
        first_new, second_new = (_newest_first(b, _texts_within(texts, b), upto) for b in blocks)
        if first_new != second_new:
            ordered = [*(reversed(first) if first_new else first), *(reversed(second) if second_new else second)]
            newest_first, boundary = first_new or second_new, len(first)
        elif {first[0].fmt, second[0].fmt} <= _IKE_DAEMONS and not any(ev.host for ev in events):
            # charon's log and pluto's one after the other, in the same order: two daemons (both peers' logs), also
            # without time stamps to tell where the second starts
            boundary = len(second) if newest_first else len(first)
    elif not any(ev.host for ev in events) and (two := _two_orders(events)) is not None:
        cut, first_new = two
        first, second = events[:cut], events[cut:]
        ordered = [*(reversed(first) if first_new else first), *(second if first_new else reversed(second))]
        newest_first, boundary = True, cut
    # Streams: a host change, or time jumping back (a second log pasted after the first); without host names,
    # the IKE daemon's process id (two charon[pid] or pluto[pid] in one paste are two daemons: both peers'
    # logs, or one daemon restarted, whose new process starts with no SA either way).
    pids = set() if any(ev.host for ev in ordered) else {p for ev in ordered if (p := _daemon_pid(ev.text))}
    if len(pids) < 2:
        pids = set()
    stream, prev, hosts = 0, None, {}
    roles: dict[tuple[str, int], str] = {}  # (daemon, state serial or IKE SA id) -> the role it plays
    moved: dict[int, int] = {}  # charon: an IKE SA id -> the IKE SA its lines started (see _ike_role)
    peers: dict[int, str] = {}
    states = False  # a pluto state has spoken in this stream (no time stamps)
    added: set[str] = set()  # the connections pluto added in this stream
    forms: dict[str, bool] = {}  # pluto: connection name -> its states are an instance's ("conn"[1] 192.0.2.1 #3)
    last = 0  # with process ids: a line that names none belongs with the line before it
    readded: int | None = None  # pluto: where a connection was added again, till a state serial tells whose log it is
    readded_name = ""
    tops: dict[int, int] = {}  # pluto: the highest state serial of each stream
    started: dict[int, int] = {}  # pluto: the highest serial of a state each stream's log started
    up_remote: dict[tuple[int, int], str] = {}  # charon: (stream, IKE SA id) up -> the peer's address it names
    for i, ev in enumerate(ordered, 1):
        ev.order = i
        if i - 1 == boundary and not pids:
            stream += 1  # the other log starts here (its own stream, as another host's)
            roles, peers, states, added, forms, prev = {}, {}, False, set(), {}, None
            moved = {}
        if pids:
            pid = _daemon_pid(ev.text)
            if pid:
                if pid not in hosts:
                    hosts[pid] = len(hosts)
                last = hosts[pid] * 1000
            ev.stream = last
            continue
        if not ev.host and ev.stamp is None and ev.pattern in _PLUTO_STARTS:
            # pluto adds its connections when it starts: a connection added again after states have spoken is
            # another pluto's log starting (the other peer's, pasted after the first without time stamps, both
            # naming the connection alike; or a restart: no SA carries over). One added for the first time is
            # an operator adding it to the running daemon.
            name = _ADDED_NAME.search(ev.text)
            if states and name and name.group(1) in added and readded is None:
                # Decided at the next state serial: pluto numbers its states in one sequence for as long as it runs,
                # so a serial that goes on from this log's highest is the same daemon (the operator deleted the
                # connection and added it again: `ipsec delete` / `ipsec add`, a test's up-down script); one that
                # starts again is another pluto (or this one restarted).
                readded, readded_name = i - 1, name.group(1)
            if name:
                added.add(name.group(1))
        if readded is not None and ev.fmt == "libreswan" and (
                (serial := _serial_of(ev.text)) is not None or _other_pluto_heard(ev, peers)):
            # The connection added again: decided at the next state serial, or at a message the other pluto refuses
            # before it makes a state (see _other_pluto_heard).
            if serial is None or serial <= tops.get(stream, 0):
                stream += 1
                roles, peers, states, added = {}, {}, False, {readded_name}
                moved = {}
                for earlier in ordered[readded:i - 1]:
                    earlier.stream = stream if not earlier.host else earlier.stream + 1
            readded = None
        if ev.fmt == "strongswan" and ev.kind == "established" and (up := _CHARON_IKE_UP.search(ev.text)):
            up_remote[(stream, int(up["id"]))] = up["remote"]
        if not ev.host and (role := _ike_role(ev, moved)) and not (
                i > 1 and ev.fmt == "strongswan" and _CHARON_IKE_REKEY_REQUEST.search(ordered[i - 2].text)
        ) and not _peer_rekeys_up_sa(ev, stream, up_remote):
            sa, side = role
            if roles.get(sa, side) != side:
                stream += 1  # the other peer's log starts here
                roles, peers = {}, {}
                moved = {}
            roles[sa] = side
        if (not ev.host and ev.stamp is None and ev.fmt == "libreswan"
                and (new := _PLUTO_NEW_STATE.search(ev.text)) and new.group(1) == "1" and started.get(stream, 0) > 1):
            # pluto numbers its states in one sequence for as long as it runs, from #1: a state #1 it starts after
            # higher ones is another pluto's, or this one's after a restart (a test's `ipsec stop` and `ipsec start`,
            # the connection not added again in the log): no state carries over. (Only the states it starts count: a
            # status listing names older states after newer ones, and a line shown twice repeats one. A serial that
            # only goes back, not to #1, is left to the other signs: two tunnels' excerpts run together.)
            stream += 1
            roles, peers, states, added, forms = {}, {}, False, set(), {}
            moved = {}
            if role := _ike_role(ev):
                roles[role[0]] = role[1]
        if not states and ev.fmt == "libreswan" and _serial_of(ev.text) is not None:
            states = True
        if not ev.host and ev.stamp is None and ev.fmt == "libreswan" and (state := _PLUTO_STATE_OF.search(ev.text)):
            # One pluto's states of a connection are all of a permanent connection ("conn" #3) or all of a template's
            # instances ("conn"[1] 192.0.2.1 #3, "conn"[1] 192.0.2.1: ...): both forms of one name are two plutos (a
            # road warrior's permanent connection and the server's template of the same name, their logs pasted one
            # after the other). (A template's own lines, "conn": added ..., name no state and count for neither.)
            name, instance = state.group(1), state.group(2) is not None
            if forms.get(name, instance) != instance:
                stream += 1
                roles, peers, states, added, forms = {}, {}, True, set(), {}
                moved = {}
            forms[name] = instance
        if not ev.host and ev.stamp is None and (talk := pluto_peer(ev)):
            # Both peers initiating the same connection (crossing streams) play the same roles with the same
            # serials; the address each state talks to differs: the other peer's log starts here.
            # Only a state that starts again counts: one daemon's state may hear from another address of the peer.
            serial, peer = talk
            if peers.get(serial, peer) != peer and "initiating IKEv" in ev.text:
                stream += 1
                roles, peers = {}, {}
                moved = {}
                if role := _ike_role(ev):
                    roles[role[0]] = role[1]
            peers[serial] = peer
        if ev.host:
            if ev.host not in hosts:
                hosts[ev.host] = len(hosts)
            ev.stream = hosts[ev.host] * 1000 + stream
        else:
            ev.stream = stream
        if ev.stamp is not None:
            if prev is not None and ev.stamp < prev - 1 and not ev.host and not _past_midnight(prev, ev.stamp):
                stream += 1
                ev.stream = stream
                # another log: its IKE SAs are numbered and play their roles on their own (both daemons number from 1)
                roles, peers, moved = {}, {}, {}
                if role := _ike_role(ev, moved):
                    roles[role[0]] = role[1]
            prev = ev.stamp
        if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            tops[stream] = max(tops.get(stream, 0), serial)
        if ev.fmt == "libreswan" and (new := _PLUTO_NEW_STATE.search(ev.text)):
            started[stream] = max(started.get(stream, 0), int(new.group(1)))
    return ordered, newest_first, len({ev.stream for ev in ordered})
