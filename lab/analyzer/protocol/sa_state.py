"""What the SAs already up say about a line: a negotiation beside an SA that is up, replaced SAs, and the
versions and modes each side uses."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from lab.analyzer.protocol.algorithms import pfs_groups
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import _CHARON_V2_RETRANSMIT, _ike_key, _later_request, _new_child_state
from lab.analyzer.protocol.meaning import _CHARON_TAG, _exchange_of, _set, _State
from lab.analyzer.protocol.ordering import _CHARON_CHILD, _CHARON_IKE_SA, _PLUTO_RETRANSMIT
from lab.analyzer.protocol.streams import _DELETED_QUIETLY, _PAYLOADS, _replaced_serial, _serial_of, conn_of

_USING_ISAKMP = re.compile(r"\busing isakmp ?#(\d+)")


def _pluto_quick_mode_refusals(events: list[Event]) -> None:
    """pluto's "initiating Quick Mode ... {using isakmp#1 ...}" says ISAKMP SA #1 is up and carries Quick Mode: a
    refusal it logs on state #1 naming no exchange ("#1: ignoring informational payload NO_PROPOSAL_CHOSEN") is the
    peer's answer to that Quick Mode (RFC 2409 section 5.5), also in a paste that starts after Main Mode."""
    in_use: set[tuple[int, int]] = set()
    quick: set[tuple[int, int]] = set()  # Quick Mode states: "#66: initiating Quick Mode ... to replace #65"
    for ev in events:
        if ev.fmt != "libreswan" or not (m := _USING_ISAKMP.search(ev.text)):
            continue
        in_use.add((ev.stream, int(m.group(1))))
        if (serial := _serial_of(ev.text)) is not None:
            quick.add((ev.stream, serial))
        if (replaced := _replaced_serial(ev)) is not None:
            quick.add((ev.stream, replaced))
    if not in_use:
        return
    for ev in events:
        if ev.fmt != "libreswan" or ev.exchange or ev.sa or (serial := _serial_of(ev.text)) is None:
            continue
        if ev.kind in ("notify", "no_proposal") and (ev.stream, serial) in in_use:
            ev.exchange = "QUICK_MODE"
        elif ev.kind in ("retransmit", "give_up") and (ev.stream, serial) in quick:
            # a Quick Mode state's timeout: over an ISAKMP SA that is up, so the peer was reached (see classify)
            ev.exchange = "QUICK_MODE"


_QUICK_UP_STATE = re.compile(r"\b(?:STATE_)?QUICK_[IR]2\b|\bIPsec SA established\b")
_IPSEC_STATE = re.compile(r"\bIPsec State #(\d+)")
_QUICK_WAITING = re.compile(r"\b(?:STATE_)?QUICK_I1\b")
# pluto's "#2: ESP traffic information: in=0B out=0B" when it deletes an IPsec SA that was installed (state.c): that SA
# was up until this line, as its QUICK_I2 / QUICK_R2 state says when the line that deletes it is pasted instead.
_TRAFFIC_AT_DELETE = "lib-ipsec-sa-traffic-at-delete"
# pluto IKEv1: an ISAKMP SA that is up (its state MAIN_I4 / MAIN_R3, AGGR_I2 / AGGR_R2, or the line saying so), and a
# Main Mode this side initiated still waiting for an answer (MAIN_I1 to MAIN_I3).
_ISAKMP_UP_STATE = re.compile(
    r"\b(?:STATE_)?(?:MAIN_I4|MAIN_R3|AGGR_I2|AGGR_R2)\b|\bISAKMP SA established\b|\b(?:IKE|ISAKMP) SA expired\b")
_MAIN_WAITING = re.compile(r"\b(?:STATE_)?MAIN_I[123]\b")
_ISAKMP_SA_DELETED = "lib-established-isakmp-deleted"


def _quick_modes_beside_an_up_sa(events: list[Event]) -> set[tuple[int, int]]:
    """pluto: a Quick Mode state waiting for its answer (QUICK_I1) while an older IPsec SA of the same connection is
    up (QUICK_I2 / QUICK_R2, or its traffic counts when it is deleted, only after the Quick Mode started) is that SA's
    replacement, its rekey, also in a paste that starts after the "initiating Quick Mode ... to replace #2" line.
    Returns the (stream, serial) of such Quick Mode states."""
    up: dict[tuple[int, str], list[tuple[int, int]]] = {}  # (stream, conn) -> (serial, order of its last line)
    waiting: dict[tuple[int, int], tuple[str, int]] = {}  # (stream, serial) -> (conn, order of its first line)
    for ev in events:
        if ev.fmt != "libreswan" or (serial := _serial_of(ev.text)) is None:
            continue
        conn = conn_of(ev)
        if named := _IPSEC_STATE.search(ev.text):  # the peer's Delete names the IPsec SA ("replace IPsec State #2")
            up.setdefault((ev.stream, conn), []).append((int(named.group(1)), ev.order))
        elif _QUICK_UP_STATE.search(ev.text) or ev.pattern == _TRAFFIC_AT_DELETE:
            up.setdefault((ev.stream, conn), []).append((serial, ev.order))
        elif _QUICK_WAITING.search(ev.text) and (ev.stream, serial) not in waiting:
            waiting[(ev.stream, serial)] = (conn, ev.order)
    latest: dict[tuple[int, str], tuple[list[int], list[int]]] = {}  # serials in order, the latest line up to each
    for key, rows in up.items():
        rows.sort()
        running, lasts = -1, []
        for _, last in rows:
            running = max(running, last)
            lasts.append(running)
        latest[key] = ([serial for serial, _ in rows], lasts)
    replacing: set[tuple[int, int]] = set()
    for (stream, serial), (conn, first) in waiting.items():
        serials, lasts = latest.get((stream, conn), ([], []))
        k = bisect.bisect_left(serials, serial)  # the older SAs
        if k and lasts[k - 1] > first:
            replacing.add((stream, serial))
    return replacing | _main_modes_beside_an_up_isakmp_sa(events)


def _main_modes_beside_an_up_isakmp_sa(events: list[Event]) -> set[tuple[int, int]]:
    """pluto IKEv1, the same for the ISAKMP SA: a Main Mode this side initiated, still waiting for an answer (MAIN_I1
    to MAIN_I3), while an older ISAKMP SA of the same connection is up (its last line, such as its expiry "IKE SA
    expired (LATEST!)" or "deleting ISAKMP SA (MAIN_I4)", comes after the Main Mode started) is that SA's
    replacement, its rekey - also in a paste that starts after the "initiating Main Mode ... to replace #1" line.
    Returns the (stream, serial) of such Main Mode states."""
    up: dict[tuple[int, str], list[tuple[int, int, float | None]]] = {}
    waiting: dict[tuple[int, int], tuple[str, int, float | None]] = {}
    for ev in events:
        if ev.fmt != "libreswan" or (serial := _serial_of(ev.text)) is None:
            continue
        if _ISAKMP_UP_STATE.search(ev.text):
            up.setdefault((ev.stream, conn_of(ev)), []).append((serial, ev.order, ev.stamp))
        elif _MAIN_WAITING.search(ev.text) and (ev.stream, serial) not in waiting:
            # When the paste starts in the middle of the Main Mode's retransmissions, the wait it names tells how
            # long ago it began at least: the waits double, so the previous one was half of it.
            began = ev.stamp
            if began is not None and (m := _PLUTO_RETRANSMIT.search(ev.text)) and m.group(1):
                wait = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
                began -= wait / 2 if wait >= 1 else 0
            waiting[(ev.stream, serial)] = (conn_of(ev), ev.order, began)

    def while_up(serial: int, first: int, began: float | None, older: int, last: int, last_stamp: float | None) -> bool:
        if older >= serial:
            return False
        if last > first:
            return True  # the older SA's last line comes after the Main Mode's first
        return began is not None and last_stamp is not None and began < last_stamp

    return {(stream, serial) for (stream, serial), (conn, first, began) in waiting.items()
            if any(while_up(serial, first, began, *older) for older in up.get((stream, conn), ()))}


_ESTABLISHING_CHILD = "swan-establishing-child"
# a CHILD_SA that is gone: "closing expired CHILD_SA net{2} ...", "CHILD_SA net{1} closed" (child_sa.c, ike_sa.c)
_CHARON_CHILD_GONE = re.compile(r"\bclosing expired CHILD_SA [A-Za-z][\w.-]*\{(?P<id>\d+)\}|\{(?P<id2>\d+)\} closed\b")


def _charon_create_child(events: list[Event]) -> None:
    """A Child SA refused for its DH group alone, on a charon IKE SA ("<gw|1>") that already set up a CHILD_SA: the
    Child SA of IKE_AUTH carries no KE and IKE_AUTH carries the first Child SA only (RFC 7296 sections 1.2, 1.3.1),
    so the request was a CREATE_CHILD_SA (a rekey, or another Child SA), also when the [ENC] lines naming the
    exchange are left out of the log.

    The same holds for charon's "establishing CHILD_SA net{4} reqid 1" on such an IKE SA: it builds a CREATE_CHILD_SA
    request (child_create.c; IKE_AUTH's Child SA is built before the IKE SA is up). charon sends one request at a
    time (task_manager_v2.c delays a task while an exchange is in progress), so until an answer shows (a CHILD_SA
    established) or another request or attempt starts, the request it retransmits and gives up on is that
    CREATE_CHILD_SA, not a liveness check sent before it: a log without its [ENC] lines shows no answer to the DPD
    requests, nor which request is retransmitted."""
    with_child: set[tuple[int, str]] = set()
    v1: set[tuple[int, str]] = set()  # IKEv1 SAs: Main or Aggressive Mode, Quick Mode (no CREATE_CHILD_SA)
    creating: set[tuple[int, str]] = set()  # IKE SAs whose CREATE_CHILD_SA request is out, no answer seen yet
    children: dict[tuple[int, str], dict[str, str]] = {}  # each IKE SA's CHILD_SAs up: name -> the newest's id
    for i, ev in enumerate(events):
        if ev.fmt != "strongswan":
            continue
        key = _ike_key(ev)  # (charon's default ike_name = no: no tag, one key per log)
        if ev.ike == 1 or ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE", "QUICK_MODE", "INFORMATIONAL_V1"):
            v1.add(key)
        if ev.pattern == _ESTABLISHING_CHILD:
            if key in with_child and key not in v1:
                ev.exchange = "CREATE_CHILD_SA"
                creating.add(key)
                # a Child SA of a name up on the IKE SA is rekeyed; another one is added (also one set up again
                # after its SA expired or was closed)
                named = _CHARON_CHILD.search(ev.text)
                ev.values["rekey"] = "rekey" if named and named["name"] in children.get(key, {}) else "new"
            continue
        if key in creating:
            if ev.pattern == "swan-retransmit" and not ev.exchange and _CHARON_V2_RETRANSMIT in ev.text:
                ev.exchange = "CREATE_CHILD_SA"
                continue
            if ev.kind == "give_up" and ev.exchange in (None, "CREATE_CHILD_SA"):
                ev.exchange = "CREATE_CHILD_SA"
            if ev.kind in ("give_up", "established", "initiate", "dpd_probe", "exchange", "delete"):
                creating.discard(key)
        if key in children and ev.kind != "established" and (gone := _CHARON_CHILD_GONE.search(ev.text)):
            up = children[key]
            for name in [name for name, unique in up.items() if unique == (gone["id"] or gone["id2"])]:
                del up[name]
        if ev.kind == "established" and "CHILD_SA" in ev.text:
            with_child.add(key)
            if named := _CHARON_CHILD.search(ev.text):
                children.setdefault(key, {})[named["name"]] = named["id"]  # (a rekey's new SA replaces the old)
        elif (key in with_child and key not in v1 and not ev.exchange and ev.kind == "no_proposal"
              and pfs_groups(events[max(0, i - 8):i], ev) is not None):  # (the listing printed just before it)
            ev.exchange = "CREATE_CHILD_SA"


def _borrow_proposal_sa(events: list[Event]) -> None:
    """A refusal of proposals that names no SA takes it from the proposal listing the daemon prints right after
    it: charon logs "no acceptable DIFFIE_HELLMAN_GROUP found" and only then "received proposals: ESP:...", so a
    responder's log without the exchange before it still says which SA was refused. Likewise from the daemon's own
    phase-specific refusal that follows it: IOS prints "atts are not acceptable" for Main and Quick Mode alike and
    then "phase 2 SA policy not acceptable!" (or "phase 1 ..."); racoon and RouterOS print "no suitable proposal
    found" and then "failed to pre-process ph2 packet". Failing those, from the listing printed right before it
    (charon 5.x at log level 1: "received proposals: IKE:...", "configured proposals: IKE:...", then "received
    proposals unacceptable"), which says which SA is being negotiated even where another tunnel's SA was set up just
    before in the same log."""
    for i, ev in enumerate(events):
        if ev.kind != "no_proposal" or ev.sa or ev.exchange:
            continue
        for nxt in events[i + 1 : i + 5]:
            if nxt.stream != ev.stream or nxt.kind in ("exchange", "initiate", "established"):
                break
            if nxt.kind in ("proposals", "no_proposal") and nxt.sa:
                ev.sa = nxt.sa
                break
        if ev.sa:
            continue
        for prev in reversed(events[max(0, i - 4) : i]):
            if prev.stream != ev.stream or prev.kind in ("exchange", "initiate", "established"):
                break
            if prev.kind == "proposals" and prev.sa:
                ev.sa = prev.sa
                break


_HOST_CIDR = re.compile(r"^([0-9a-fA-F.:]+)/(32|128)$")


def _host_to_host(selectors: str, peer: str) -> bool:
    """Selectors "a/32===b/32" whose remote host is the IKE peer: an SA between the two gateways only,
    the one case where transport mode can be negotiated (RFC 4301 section 4.1)."""
    sides = [p.strip() for p in selectors.split("===")]
    hosts = [_HOST_CIDR.match(p) for p in sides]
    if len(sides) != 2 or not all(hosts):
        return False
    return not peer or peer in (hosts[0].group(1), hosts[1].group(1))  # type: ignore[union-attr]


_REMOTE_ACCESS_WORDS = frozenset({"XAUTH", "MODECFG_PULL", "MODECFG_PUSH"})


def _quick_mode_guess(ev: Event, st: _State) -> str:
    """What a first Quick Mode left unanswered after phase 1 is read as (a guess: the responder's refusal is an
    encrypted notification the excerpt does not show, libreswan's ikev1.c): between two gateways pluto's own reading,
    the phase 2 proposal (PFS, algorithms); for a remote-access client (XAUTH / ModeCFG) the address it proposes."""
    if st.remote_access:
        ev.values["remote_access"] = True
        return "traffic_selector_mismatch"
    return "phase2_proposal_mismatch"


def _mode_mismatch(ev: Event, st: _State) -> bool:
    """Transport mode asked for and not granted: an IKE_AUTH / CREATE_CHILD_SA request carrying
    N(USE_TRANSP) answered by a response that carries the Child SA (SA, TSi, TSr) without it. RFC 7296
    section 1.3.1: without USE_TRANSPORT_MODE in the response the SA is a tunnel-mode SA, so one side
    runs transport mode's configuration over a tunnel-mode SA. Returns True when the event was read."""
    if ev.exchange not in ("IKE_AUTH", "CREATE_CHILD_SA") or "notify" not in ev.values:
        return False
    payloads = set(_PAYLOADS.findall(str(ev.values["notify"])))
    transport = any(p.upper() in ("N(USE_TRANSP)", "N(USE_TRANSPORT_MODE)") for p in payloads)
    if " request" in ev.text:
        st.transport_asked = ev.exchange if transport else ""
        if transport:
            # Transport mode is asked for an SA between the two IKE endpoints only (RFC 4301 section 4.1):
            # the Child SA is host-to-host whether or not the log prints its selectors.
            st.host_to_host = True
        return False
    if " response" not in ev.text or st.transport_asked != ev.exchange:
        return False
    st.transport_asked = ""
    if transport or not {"SA", "TSi", "TSr"} <= payloads:
        return False
    st.exchange = ev.exchange
    _set(ev, "ipsec_mode_mismatch")
    ev.values["mode_asked"] = "transport"
    ev.values["mode_granted"] = "tunnel"
    st.child_refused = True
    return True


_CHARON_CHILD_TS = re.compile(r"\band TS (.+? === \S+)")


def _ts_pair(text: str) -> frozenset[str]:
    """The two sides of "A === B" selectors, either way round (each side's log names its own first)."""
    if "===" not in text:
        return frozenset()
    a, _, b = text.partition("===")
    return frozenset({a.strip(), b.strip()})


def _child_replaced(ev: Event, st: _State) -> bool:
    """A refusal that can only be about an exchange replacing an IKEv2 Child SA that is up (see classify)."""
    if not st.child_up or st.new_child or (st.ike or ev.ike) != 2 or _new_child_state(ev) or "IKE_AUTH" in ev.text:
        return False
    conn = conn_of(ev)
    if conn and st.child_conn and conn != st.child_conn:
        return False  # another connection's Child SA over the same IKE SA: a new one, not a replacement
    refused = _ts_pair(str(ev.values.get("ts_offered") or ""))
    if refused and st.up_ts and refused not in st.up_ts:
        return False  # selectors no Child SA up has: a rekey carries the SA's own (RFC 7296 section 2.8), so a new one
    ex = _exchange_of(ev, st)
    return ev.exchange == "CREATE_CHILD_SA" or (ev.exchange is None and ex in ("IKE_AUTH", "CREATE_CHILD_SA", None))


_QUICK_R1 = re.compile(r"\b(?:STATE_)?QUICK_R1\b")


# The IKE version of a negotiation's first exchange.
_FIRST_EXCHANGE_VERSION = {"MAIN_MODE": 1, "AGGRESSIVE_MODE": 1, "IKE_SA_INIT": 2}

LISTING_PATTERNS = frozenset({"swan-conn-listing", "lib-status-policy"})  # status listings, read wherever they are


def _listed_versions(ev: Event) -> set[str]:
    """The IKE versions a connection line names: "IKEv1", "IKEv2", charon's "IKEv1/2", pluto 3.x's IKEVn_ALLOW."""
    if version := ev.values.get("version"):
        return {str(version)}
    policy = str(ev.values.get("policy") or "")
    return {f"IKEv{n}" for n in "12" if f"IKEV{n}_ALLOW" in policy}


def _note_newest(pattern: re.Pattern[str], newest: dict[str, int], text: str) -> None:
    """Remember the highest unique id charon has established an SA of this name with (`name{id}` / `IKE_SA name[id]`)."""
    if m := pattern.search(text):
        newest[m["name"]] = max(newest.get(m["name"], 0), int(m["id"]))


def _older_than_newest(pattern: re.Pattern[str], newest: dict[str, int], text: str) -> bool:
    """The SA the line names is older than one of its name established since (charon's unique ids grow)."""
    m = pattern.search(text)
    return m is not None and newest.get(m["name"], 0) > int(m["id"])


def _superseded(ev: Event, st: _State) -> bool:
    """The expired CHILD_SA is older than one of its name established since."""
    return _older_than_newest(_CHARON_CHILD, st.child_ids, ev.text)


def _charon_ike_rekey(ev: Event, st: _State) -> bool:
    """charon's "<gw|1> initiating IKE_SA gw[2] to ...": a new IKE SA started by the task of an IKE SA that is up
    (its "<name|id>" tag names another SA than the line): the IKE SA rekey's new SA (ike_rekey.c), whose exchange
    is a CREATE_CHILD_SA over the SA that is up, also when the [ENC] lines naming it are left out of the log."""
    sa, tag = _CHARON_IKE_SA.search(ev.text), _CHARON_TAG.search(ev.text)
    return (ev.fmt == "strongswan" and sa is not None and tag is not None and tag.group(1) in st.up_ike_tags
            and tag.group(1) != f"{sa['name']}|{sa['id']}")


def _expired_unreplaced(ev: Event, st: _State) -> bool:
    """The expired CHILD_SA is the newest of its name established in this log (not a replaced one)."""
    m = _CHARON_CHILD.search(ev.text)
    return m is not None and st.child_ids.get(m["name"]) == int(m["id"])


_PLUTO_DELETED_IKE = re.compile(r"\b(?:ISAKMP|IKE) (?:State|SA) #(\d+)")  # "self-deleting ISAKMP State #1"


def _superseded_ike(ev: Event, st: _State) -> bool:
    """The deleted IKE_SA is older than one of its name that is up since: charon's IKE_SA name[id], or pluto's ISAKMP /
    IKE SA serial of a connection that has established a newer one (IKEv1's replacement: "initiating IKEv1 Main Mode
    connection to replace #1", then the peer deletes #1)."""
    if ev.fmt == "libreswan":
        m = _PLUTO_DELETED_IKE.search(ev.text)
        # (libreswan 3.x names the state on the line itself: '"gw" #1: deleting state (STATE_IKESA_DEL)')
        deleted = int(m.group(1)) if m else _serial_of(ev.text) if ev.pattern in (
            "lib3-ike-sa-deleted-on-request", _DELETED_QUIETLY) else None
        return deleted is not None and st.pluto_ike.get(conn_of(ev), 0) > deleted
    return _older_than_newest(_CHARON_IKE_SA, st.ike_ids, ev.text)


def _duplicate_ike_sa(ev: Event, st: _State) -> dict[str, object] | None:
    """charon: the IKE SA a Delete names is one of two of its connection up in this log, and the other is still up
    ({"name", "deleted", "kept", "kept_line", "deleted_line"}: the ids and the lines they came up on); the deleted one
    leaves the set either way."""
    if ev.fmt != "strongswan" or not (named := _CHARON_IKE_SA.search(ev.text)):
        return None
    ups = st.up_ike_sas.get(named["name"], {})
    deleted = int(named["id"])
    if (deleted_line := ups.pop(deleted, None)) is None or not ups:
        return None
    kept = max(ups)
    return {"name": named["name"], "deleted": deleted, "kept": kept, "kept_line": ups[kept], "deleted_line": deleted_line}


_ANSWERS_LOST = 3  # the peer's request received again this often after this side answered it: the answers are lost
_SAME_MESSAGE_LINES = 6  # pluto logs a state's complaint and its establishment within a few lines of each other


# Exchanges that exist only on an IKE SA that is up: IKEv2's INFORMATIONAL comes after the initial exchanges (RFC 7296
# section 1.4), IKEv1's Quick Mode is protected by the ISAKMP SA of phase 1 (RFC 2409 section 5.5). (IKEv1's
# Informational may be sent unprotected before phase 1 ends: not one of them. A CREATE_CHILD_SA is read on its own:
# whether it replaces an SA or adds one decides more than the IKE SA being up.)
_ON_UP_SA = frozenset({"INFORMATIONAL", "QUICK_MODE"})


def _request_on_up_sa(ev: Event, st: _State) -> None:
    """A request of an exchange that exists only on an IKE SA that is up (`_ON_UP_SA`), retransmitted or given up,
    shows the SA was up even when the paste starts after it came up (charon's "generating INFORMATIONAL request 7
    [ ]" or "generating QUICK_MODE request 2840373152 [ HASH SA No KE ID ID ]", then its retransmits): the peer answered
    before, so its silence is no reachability problem of the path to it."""
    if not st.ike_up and (ev.exchange in _ON_UP_SA or st.pending in _ON_UP_SA or (
            # Only the SA's own request numbers are in view: IKE_SA_INIT is message ID 0 and IKE_AUTH 1 (RFC 7296
            # section 2.2), Main and Aggressive Mode carry 0 (RFC 2408 section 3.1). A request numbered later went
            # over an IKE SA that was up (charon's "retransmit 1 of request with message ID 7", PAN-OS's "IKEv2 child
            # SA negotiation is failed ... message id:0x00000002 ... Due to negotiation timeout").
            not (ev.exchange or st.exchange or st.pending) and _later_request(ev))):
        st.ike_up = True


_SIGNED_WITH_DN = re.compile(r"\bwith digital-signature\b[^\n]{0,80}? and DER_ASN1_DN\b")


def _mark_auth_unanswered(ev: Event, st: _State) -> None:
    """An unanswered IKE_AUTH request: this side sends it only once the peer answered IKE_SA_INIT (RFC 7296 section
    1.2), so the path carried UDP 500 both ways. The diagnosis says what stops IKE_AUTH while IKE_SA_INIT passes."""
    if (ev.exchange or st.exchange or st.pending) == "IKE_AUTH":
        ev.values["auth_unanswered"] = True
        if st.cert_sent:  # (pluto signed it with its certificate's key: the certificate goes in it)
            ev.values["cert_sent"] = True


def _note_refusal(ev: Event, st: _State,
                  exchanges: tuple[str | None, ...] = ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT")) -> None:
    """Remember a refusal the peer sent during phase 1 under its pluto state serial (see "established")."""
    serial = _serial_of(ev.text)
    if serial is not None and _exchange_of(ev, st) in exchanges:
        st.refused.setdefault(serial, []).append(ev)


_CHARON_OWN_INITIATION = re.compile(
    r"\binitiating (?P<mode>(?:Main|Aggressive) Mode )?IKE_SA [A-Za-z][\w.-]*\[\d+\] to (?P<peer>[0-9a-fA-F.:]+)")


def _own_versions(events: list[Event]) -> Callable[[Event], set[str]]:
    """The IKE versions of the first requests a log's own side sends to the peer a refusal names: charon's
    "generating IKE_SA_INIT request 0" or "generating ID_PROT request 0", pluto's "sent Main Mode request", to the
    peer the lines before it name (in a log that names a single peer address, or none, to that one). Wherever they
    are in the log: a gateway that refuses the peer's request of one version for want of a connection, before or
    after it sends its own requests of the other version to that address, has a connection for the address."""
    sent: dict[tuple[int, str], set[str]] = {}
    peers: dict[int, str] = {}
    named: dict[int, set[str]] = {}
    for ev in events:
        if ev.values.get("peer"):
            peers[ev.stream] = str(ev.values["peer"])
            named.setdefault(ev.stream, set()).add(peers[ev.stream])
        if (ev.kind == "exchange" and ev.direction == "sent" and ev.exchange in _FIRST_EXCHANGE_VERSION
                and " request" in ev.text):
            version = f"IKEv{_FIRST_EXCHANGE_VERSION[ev.exchange]}"
            sent.setdefault((ev.stream, peers.get(ev.stream, "")), set()).add(version)
        elif ev.kind == "initiate" and ev.fmt == "strongswan" and (own := _CHARON_OWN_INITIATION.search(ev.text)):
            # charon's own "initiating Main Mode IKE_SA gw[1] to 192.0.2.2" (IKEv1) or "initiating IKE_SA gw[2] to
            # 192.0.2.1" (IKEv2): its first request, also where the [ENC] lines that show it are left out
            version = "IKEv1" if own["mode"] else "IKEv2"
            sent.setdefault((ev.stream, own["peer"]), set()).add(version)
            if not named.get(ev.stream):
                named.setdefault(ev.stream, set()).add(own["peer"])

    anywhere: dict[int, set[str]] = {}  # per log, whichever peer the request went to
    for (stream, _), vs in sent.items():
        anywhere.setdefault(stream, set()).update(vs)

    def versions(ev: Event) -> set[str]:
        if len(named.get(ev.stream, ())) <= 1:  # one peer in view: every request of this log's side went to it
            return anywhere.get(ev.stream, set())
        return sent.get((ev.stream, str(ev.values.get("peer") or "")), set())

    return versions
