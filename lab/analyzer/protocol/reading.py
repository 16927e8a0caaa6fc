"""Reading the ordered events with one state per stream (per tunnel in a pluto or FortiOS log): each event's category
and weight (`classify`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lab.analyzer.protocol.deletes import (
    _after_the_daemon_stopped,
    _child_deletes_not_replaced,
    _cut_off_by_crashes,
    _deletes_of_sas_already_gone,
    _deletes_of_the_other_logs_reauthentication,
    _reauthentication_deletes,
)
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import (
    _borrow_exchange,
    _charon_connecting_give_ups,
    _charon_repeated_requests,
    _charon_retransmitted_requests,
    _cisco_packet_dumps,
    _established_timeouts,
    _pluto_auth_guess_exchange,
    _pluto_notify_directions,
    _pluto_notify_protocols,
)
from lab.analyzer.protocol.first_reading import _first_reading
from lab.analyzer.protocol.kernel import kernel_refusal_consequences, kernel_refusals
from lab.analyzer.protocol.meaning import (
    _V1_HASHED,
    INFO_EXCHANGES,
    _listing_neighbors,
    _State,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES, IKE_EXCHANGES, IKE_SETUP_EXCHANGES, IKEV1_EXCHANGES
from lab.analyzer.protocol.negotiation import _read_negotiation
from lab.analyzer.protocol.outcomes import _read_outcome
from lab.analyzer.protocol.refusals import (
    _charon_state_change_echoes,
    _child_refusal_without_identity,
    _complaint_then_switched,
    _deleted_right_after_authentication,
    _fortigate_no_gateway_echo,
    _ikev1_expiries_of_unknown_sas,
    _impaired_timeouts_echoed,
    _main_mode_answer_refused,
    _missing_key_refusal_echo,
    _mode_refusal_echo,
    _modes_differ_across_sides,
    _no_connection_refusal_echo,
    _revival_of_an_sa_that_was_up,
    _revival_refused_after_the_peers_delete,
)
from lab.analyzer.protocol.rekeys import (
    _borrow_pluto_state,
    _cut_off_child_refusals,
    _deletes_of_rekeyed_ike_sas,
    _isakmp_only_deletes,
    _ke_retried,
    _operator_rekey_unfinished,
    _pluto_notify_echoes,
    _pluto_notify_in_auth_answer,
    _redundant_ike_deletes,
    _refused_rekeys,
    _rekey_deleted_unanswered,
    _rekey_left_unanswered,
    _rekey_started_again,
    _retries_of_failed_attempts,
    _revival_during_unanswered_rekey,
)
from lab.analyzer.protocol.sa_state import (
    _USING_ISAKMP,
    LISTING_PATTERNS,
    _borrow_proposal_sa,
    _charon_create_child,
    _host_to_host,
    _listed_versions,
    _own_versions,
    _pluto_quick_mode_refusals,
    _quick_modes_beside_an_up_sa,
)
from lab.analyzer.protocol.streams import (
    _PEER_REQUEST,
    CHARON_NAMED_TAG,
    CHARON_TAG,
    _is_answer,
    _serial_of,
    conn_of,
    tunnel_name,
)
from lab.analyzer.protocol.unanswered import (
    _answers_lost_then_silent,
    _bgp_notification_named_next,
    _first_replies_unanswered,
    _gave_up_while_established,
    _init_repeats_followed_up,
    _liveness_still_unanswered,
    _quick_mode_still_unanswered,
    _refusals_beside_a_lost_rekey,
    _rekey_gave_up,
    _rekey_still_unanswered,
    _transform_refusals_settled,
    _transforms_all_refused,
    _v1_reauthentication_gave_up,
    _v1_repeats_to_the_end,
    answered_by_packets,
)
from lab.analyzer.protocol.versions import _established_version, _version_answers

# A pluto connection seen in an exchange that sets up an IKE SA (IKE_SETUP_EXCHANGES), or with its IKE SA established,
# runs its own. The words that name the IKE SA a Child SA uses ("initiator established Child SA using #1", "initiating
# Child SA using IKE SA #1", "{using isakmp#4 ...}"): a connection whose Child SA uses another's IKE SA shares its
# tunnel.
_USING_IKE_SA = re.compile(r"\busing (?:IKE SA |isakmp ?)?#(\d+)")
# A line about the connection's own IKE SA: its state ("STATE_V2_ESTABLISHED_IKE_SA: retransmission"), its rekey or
# deletion ("initiating rekey to replace IKE SA #1", "deleting IKE SA", "ISAKMP SA expired").
_OWN_IKE_SA_WORDS = re.compile(r"\bIKE SA\b|\bISAKMP SA\b|"
                               r"\bSTATE_(?:MAIN|AGGR|PARENT|V2_ESTABLISHED_IKE_SA|V2_REKEY_IKE)")
# pluto's line about a message that matched no state of any connection: "packet from 192.0.2.1:500: ..."
_PACKET_FROM = re.compile(r"\bpacket from \[?([0-9A-Fa-f.:]+?)\]?:\d+: ")


# charon's SPIs in its tagged lines ("with SPIs c852c10c_i 433604d1_o", "(0 bytes)" between them when it closes one;
# "for ESP CHILD_SA with SPI c852c10c"), and the SPI its kernel interface names in a job it creates for a Child SA
# (kernel_netlink, kernel_libipsec: "creating rekey job for CHILD_SA ESP/0xc852c10c/192.0.2.1", "creating delete job")
_CHARON_TAGGED_SPI = re.compile(r"\b([0-9a-fA-F]{8})_[io]\b|\bwith SPI ([0-9a-fA-F]{8})\b")
_CHARON_KERNEL_JOB = re.compile(r"\[KNL\] creating (?:rekey|delete) job for CHILD_SA ESP/0x([0-9a-fA-F]{8})/")


@dataclass
class _Tunnels:
    """The state each line is read in: one per stream, and in a pluto or FortiOS log one per tunnel.

    pluto names the connection of nearly every line and runs each connection's IKE SA on its own: a connection seen
    setting one up (IKE_SA_INIT or IKE_AUTH, Main or Aggressive Mode), or with a line about its own IKE SA
    (established, rekeyed, retransmitting, deleted), is read as a tunnel of its own, so one tunnel's SA up or refusal
    does not change how another's lines read. So is a connection first seen while another tunnel is under way whose
    line uses an IKE SA, or names a state outside a Child SA's exchange, that no tunnel has shown (a paste that
    starts mid-way through its exchanges; a Child SA's exchange that names no IKE SA may run over that tunnel's, as
    pluto 3.x's second connection to the same peer does). pluto's "packet from PEER:PORT:" lines, about a message that
    matched no state, are that peer's while another tunnel is under way. A connection whose Child SA uses another's
    IKE SA ("using #1" naming an SA seen) shares that one's tunnel; a connection not seen doing any of these yet, and
    a line that names none (the test harness's, the kernel's), go with the tunnel of the line before. FortiOS names
    the phase 1 (its IKE SA's tunnel) on every line about it: each is a tunnel of its own. The lines before a
    stream's first tunnel are its, unless they named another connection first and none of their states is that
    tunnel's line's: then they are that connection's. charon, when it tags its lines with the IKE SA's name
    (`ike_name = yes`: "<aws-t2|3>"), names the connection (its peer config) that way: each connection is a tunnel of
    its own, kept over its IKE SAs' rekeys and reauthentications (the unique id changes, the name stays); a line
    tagged with the unique id alone ("<3>", a responder's lines before it chose the peer config) is the tunnel the
    same id is named with elsewhere in the log, and an untagged line (the kernel's, a vici or stroke command) goes
    with the tunnel of the line before. Other daemons' logs, and charon's without those tags, are read whole."""

    states: dict[tuple[int, str], _State] = field(default_factory=dict)
    current: dict[int, str] = field(default_factory=dict)  # per stream, the tunnel of its latest line that named one
    conn_tunnels: dict[tuple[int, str], str] = field(default_factory=dict)  # pluto connections placed in a tunnel
    serial_tunnels: dict[tuple[int, int], str] = field(default_factory=dict)  # the tunnel of each pluto serial seen
    # per stream, before any tunnel is placed: the first connection named and the serials its lines name
    first_conn: dict[int, tuple[str, set[int]]] = field(default_factory=dict)
    # charon: the connection each IKE SA unique id is tagged with anywhere in the log ((stream, id) -> name)
    charon_names: dict[tuple[int, str], str] = field(default_factory=dict)
    # charon: the connection each Child SA's SPI is tagged with anywhere in the log ((stream, SPI) -> name)
    charon_spis: dict[tuple[int, str], str] = field(default_factory=dict)

    def learn_charon_names(self, events: list[Event]) -> None:
        """The connection name of every IKE SA unique id the charon lines tag with both ("<aws-t2|3>"), and of every
        SPI those lines name ("CHILD_SA net{3} established with SPIs c852c10c_i 433604d1_o", "sending DELETE for ESP
        CHILD_SA with SPI c852c10c")."""
        for ev in events:
            if ev.fmt == "strongswan" and "|" in ev.text and (m := CHARON_NAMED_TAG.search(ev.text)):
                self.charon_names.setdefault((ev.stream, m.group(2)), m.group(1))
                if "SPI" in ev.text:
                    for spi in _CHARON_TAGGED_SPI.finditer(ev.text):
                        self.charon_spis.setdefault((ev.stream, (spi.group(1) or spi.group(2)).lower()), m.group(1))

    def state_of(self, ev: Event) -> tuple[_State, bool]:
        """The state `ev` is read in, and whether it is new."""
        if ev.fmt == "libreswan" and (conn := conn_of(ev)):
            serial = _serial_of(ev.text)
            tunnel = self.conn_tunnels.get((ev.stream, conn))
            if tunnel is None:
                used = _USING_IKE_SA.search(ev.text)
                if used and (shared := self.serial_tunnels.get((ev.stream, int(used.group(1))))):
                    tunnel = self.conn_tunnels[(ev.stream, conn)] = shared
                elif self._own_tunnel(ev, used, serial):
                    tunnel = self.conn_tunnels[(ev.stream, conn)] = conn
            if tunnel is not None:
                self._enter(ev.stream, tunnel, serial)
                if serial is not None:
                    self.serial_tunnels.setdefault((ev.stream, serial), tunnel)
            elif ev.stream not in self.current:
                first, serials = self.first_conn.setdefault(ev.stream, (conn, set()))
                if first == conn and serial is not None:
                    serials.add(serial)
        elif ev.fmt == "libreswan" and ev.stream in self.current and (packet := _PACKET_FROM.search(ev.text)):
            # pluto's "packet from PEER:PORT: ..." is about a message that matched no state of any connection (a new
            # negotiation's first message, or one for an SA pluto does not have): while another tunnel is under way,
            # it is read as that peer's, not as the tunnel of the line before
            self._enter(ev.stream, "packet from " + packet.group(1))
        elif ev.fmt == "fortigate" and (phase1 := tunnel_name(ev)):
            self._enter(ev.stream, phase1)
        elif ev.fmt == "strongswan" and "<" in ev.text and (tag := CHARON_TAG.search(ev.text)):
            name = tag.group(1) or self.charon_names.get((ev.stream, tag.group(2)))
            if name:
                self._enter(ev.stream, name)
        elif ev.fmt == "strongswan" and self.charon_spis and (job := _CHARON_KERNEL_JOB.search(ev.text)) and (
                name := self.charon_spis.get((ev.stream, job.group(1).lower()))):
            # the kernel's own line about a Child SA ("05[KNL] creating rekey job for CHILD_SA ESP/0xc852c10c/...",
            # never tagged): the tunnel whose lines name that SPI, not the tunnel of the line before
            self._enter(ev.stream, name)
        key = (ev.stream, self.current.get(ev.stream, ""))
        if (st := self.states.get(key)) is not None:
            return st, False
        st = self.states[key] = _State()
        return st, True

    def _own_tunnel(self, ev: Event, used: re.Match[str] | None, serial: int | None) -> bool:
        """Whether a pluto connection not placed yet runs a tunnel of its own from this line: it sets up its IKE SA or
        says something of it, or another tunnel is under way and the IKE SA this connection says it uses, or its state
        outside a Child SA's exchange, is none of that tunnel's (a Child SA's exchange that names no IKE SA may run over
        that tunnel's own, as pluto 3.x's second connection to the same peer does)."""
        if ev.exchange in IKE_SETUP_EXCHANGES or (ev.kind == "established" and ev.sa == "ike") or (
                not used and _OWN_IKE_SA_WORDS.search(ev.text)):
            return True
        if ev.stream not in self.current:
            return False
        named = int(used.group(1)) if used else (None if ev.exchange in CHILD_EXCHANGES else serial)
        return named is not None and (ev.stream, named) not in self.serial_tunnels

    def _enter(self, stream: int, tunnel: str, serial: int | None = None) -> None:
        if stream not in self.current and (stream, "") in self.states:
            # The lines before were this tunnel's, unless they named another connection first and none of its states
            # is this line's (pluto switching a connection keeps the state: "#1: switched to ...").
            owner = tunnel
            if (first := self.first_conn.get(stream)) is not None and first[0] != tunnel and serial not in first[1]:
                owner = self.conn_tunnels[(stream, first[0])] = first[0]
                for n in first[1]:
                    self.serial_tunnels.setdefault((stream, n), owner)
            self.states[(stream, owner)] = self.states.pop((stream, ""))
        self.current[stream] = tunnel


def classify(events: list[Event]) -> None:
    """Give each ordered event its category and weight, reading each stream (each pluto or FortiOS tunnel: see
    `_Tunnels`) with its own state. What a daemon logged after its own stop is left out (see
    `_after_the_daemon_stopped`)."""
    # The lines read only for what they say about others leave the caller's list itself, which is numbered again: the
    # readings after this one (the diagnosis, the facts it gathers by event order) see one numbering.
    answered_by_packets(events)
    _pluto_notify_protocols(events)
    if stopped := _after_the_daemon_stopped(events):
        events = [ev for ev in events if id(ev) not in stopped]
    tunnels = _Tunnels()
    tunnels.learn_charon_names(events)
    kernel_refusals(events)
    _pluto_notify_directions(events)
    _pluto_auth_guess_exchange(events)
    _cisco_packet_dumps(events)
    _borrow_exchange(events)
    _charon_repeated_requests(events)
    _charon_retransmitted_requests(events)
    _charon_connecting_give_ups(events)
    _charon_create_child(events)
    _refused_rekeys(events)
    _cut_off_child_refusals(events)
    _pluto_quick_mode_refusals(events)
    _borrow_proposal_sa(events)
    _rekey_left_unanswered(events)
    _retries_of_failed_attempts(events)
    _ke_retried(events)
    _rekey_deleted_unanswered(events)
    _rekey_started_again(events)
    _revival_during_unanswered_rekey(events)
    _operator_rekey_unfinished(events)
    _redundant_ike_deletes(events)
    _deletes_of_rekeyed_ike_sas(events)
    _borrow_pluto_state(events)
    _pluto_notify_in_auth_answer(events)
    _pluto_notify_echoes(events)
    _listing_neighbors(events)
    # Both peers' logs in one paste: several streams, or lines of two different daemons.
    both_sides = len({ev.stream for ev in events}) > 1 or len({ev.fmt for ev in events}) > 1
    # The IKE versions of the connections a status listing shows (charon's statusall / swanctl --list-conns, pluto's
    # `ipsec status` policies), wherever the listing is in the paste (it is often pasted after the log).
    listed_versions = {v for ev in events if ev.pattern in LISTING_PATTERNS for v in _listed_versions(ev)}
    own_versions = _own_versions(events)
    beside_up = _quick_modes_beside_an_up_sa(events)
    phase1_only = _isakmp_only_deletes(events)
    for ev in events:
        st, new = tunnels.state_of(ev)
        if new:  # a new stream, or a new tunnel of it
            st.replacing_serials.update(serial for stream, serial in beside_up if stream == ev.stream)
        if ev.kind == "established":
            st.exchange_done = True
        elif ev.kind == "initiate" or (ev.exchange and ev.exchange not in INFO_EXCHANGES):
            st.exchange_done = False
        _track(ev, st)
        kind, done = _first_reading(ev, st)
        if done:
            continue
        matched, kind, done = _read_negotiation(ev, st, kind, both_sides, phase1_only)
        if not matched:
            kind, done = _read_outcome(ev, st, kind, listed_versions, own_versions)
        if done:
            continue
        if ev.exchange and kind not in ("initiate",) and ev.exchange not in INFO_EXCHANGES:
            st.exchange = ev.exchange
    for loop in (loop for st in tunnels.states.values() for loop in st.bgp_collision_loops):
        for e in loop:
            e.values["bgp_collisions"] = len(loop)
    _version_answers(events)
    _v1_reauthentication_gave_up(events)
    _rekey_gave_up(events)
    _transform_refusals_settled(events)
    _init_repeats_followed_up(events)
    _first_replies_unanswered(events)
    _gave_up_while_established(events)
    _transforms_all_refused(events)
    _child_deletes_not_replaced(events)
    _deletes_of_sas_already_gone(events)
    _refusals_beside_a_lost_rekey(events)
    _rekey_still_unanswered(events)
    _quick_mode_still_unanswered(events)
    _liveness_still_unanswered(events)
    _answers_lost_then_silent(events)
    _v1_repeats_to_the_end(events)
    _bgp_notification_named_next(events)
    _fortigate_no_gateway_echo(events)
    _mode_refusal_echo(events)
    _missing_key_refusal_echo(events)
    _child_refusal_without_identity(events)
    _no_connection_refusal_echo(events)
    _complaint_then_switched(events)
    _revival_of_an_sa_that_was_up(events)
    _revival_refused_after_the_peers_delete(events)
    _reauthentication_deletes(events)
    _deletes_of_the_other_logs_reauthentication(events)
    _modes_differ_across_sides(events)
    _impaired_timeouts_echoed(events)
    _ikev1_expiries_of_unknown_sas(events)
    _deleted_right_after_authentication(events)
    _main_mode_answer_refused(events)
    _charon_state_change_echoes(events)
    kernel_refusal_consequences(events)
    _established_timeouts(events)
    _cut_off_by_crashes(events)


def _same_tunnel_answer(retransmit: Event, answer: Event, st: _State) -> bool:
    """Whether an answer can be the one a retransmitted request waited for: not when both lines are pluto's and name
    different connections, nor when the answer names a peer other than the one the request was sent to."""
    if retransmit.fmt == answer.fmt == "libreswan" and (a := conn_of(retransmit)) and (b := conn_of(answer)) and a != b:
        return False
    sent_to, answered_by = st.retransmit_peers.get(id(retransmit), ""), str(answer.values.get("peer") or "")
    return not (sent_to and answered_by and sent_to != answered_by)


def _track(ev: Event, st: _State) -> None:
    """What an event tells about its stream before it is read: the peer, the IKE version, the exchange and
    its direction, the traffic selectors, an SA that is up."""
    if st.retransmits and _is_answer(ev):
        # the peer did answer: the retransmits were packet loss, not a cause. (Not another tunnel's answer: a
        # gateway's log holds its other connections and peers too, whose answers say nothing about this one.)
        answered = [r for r in st.retransmits if _same_tunnel_answer(r, ev, st)]
        for r in answered:
            r.weight = "context"
        st.retransmits = [r for r in st.retransmits if all(r is not a for a in answered)]
    if st.rekey_waiting and (_is_answer(ev) or ev.kind in ("notify", "no_proposal", "ts_unacceptable")):
        st.rekey_waiting = False  # (a refusal, whichever way the daemon words its direction, is an answer)
    if st.rekey_unanswered and _is_answer(ev) and not _PEER_REQUEST.search(ev.text):
        # (a request of the peer's own, such as its liveness check or its own Main Mode, answers nothing)
        st.rekey_unanswered = False
    if ev.values.get("peer"):
        st.peer = str(ev.values["peer"])
    if ev.fmt == "libreswan" and (using := _USING_ISAKMP.search(ev.text)):
        # pluto's Quick Mode "{using isakmp#4 ...}": ISAKMP SA #4 is up, also when the paste starts after it came
        # up, so a Delete of an older ISAKMP SA of the connection is the end of one it replaced
        conn = conn_of(ev)
        st.pluto_ike[conn] = max(st.pluto_ike.get(conn, 0), int(using.group(1)))
    if ev.values.get("host_to_host") and ev.kind == "exchange":
        st.host_to_host = True  # pluto's connection listing: no client subnets on either side
    if ev.values.get("ts_offered") and ev.kind in ("exchange", "initiate", "established"):
        st.child_ts = str(ev.values["ts_offered"])
        st.host_to_host = _host_to_host(st.child_ts, st.peer)
    if ev.exchange in IKE_EXCHANGES and ev.kind in ("initiate", "exchange"):
        # a new IKE SA is negotiated: the Child SAs deleted before belonged to the one that ended
        st.child_deleted, st.larval_replacement = False, None
    if ev.ike:
        st.ike = ev.ike
    elif ev.kind == "established" and (up_version := _established_version(ev)):
        st.ike = st.ike or up_version  # pluto's IKEv2 wording ("initiator established IKE SA", PARENT SA)
    elif ev.exchange in ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA"):
        st.ike = st.ike or 2  # exchanges only IKEv2 has
    if ev.exchange:
        if ev.exchange in IKEV1_EXCHANGES:
            st.ike = st.ike or 1
        if ev.direction == "received":
            st.answered = True
            st.large_sent = 0
            st.cert_sent = False
    if ev.exchange == "CREATE_CHILD_SA" and ev.kind in ("exchange", "retransmit"):
        # A CREATE_CHILD_SA travels only inside an established IKE SA (RFC 7296 section 1.3): a paste that starts
        # after the IKE SA came up still shows it was up (whether a Child SA was up too, it does not say).
        st.create_child_seen = True
    if ev.exchange == "INFORMATIONAL_V1" and _V1_HASHED.search(ev.text):
        # An IKEv1 informational carrying a HASH payload is protected by an ISAKMP SA (RFC 2409 section 5.7):
        # phase 1 is done, so a refusal it carries is about phase 2 (charon: "[ HASH N(NO_PROP) ]").
        st.ike_up = True
    if ev.fmt == "libreswan" and ev.kind == "exchange" and ev.direction == "received" and ev.exchange in (
            "IKE_AUTH", "CREATE_CHILD_SA") and " request" in ev.text:
        st.transport_requested = "N(USE_TRANSPORT_MODE)" in ev.text
    if ev.pattern == "lib-ke-guessed-wrong" and st.ike_up and (st.ike or 2) == 2:
        # libreswan 5 checks the KE of a CREATE_CHILD_SA (a PFS group, an IKE SA rekey) with the same words as
        # IKE_SA_INIT's (ikev2_create_child_sa.c calls v2_accept_ke_for_proposal): over an IKE SA that is up, the
        # request is a CREATE_CHILD_SA.
        ev.exchange = "CREATE_CHILD_SA"
