"""Reading the ordered events with one state per stream: each event's category and weight (`classify`)."""

from __future__ import annotations

from lab.analyzer.protocol.algorithms import _policy_words, key_length_flaw, rare_transform
from lab.analyzer.protocol.deletes import (
    _child_deletes_not_replaced,
    _deletes_of_the_other_logs_reauthentication,
    _reauthentication_deletes,
)
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import (
    _IMPAIRED_TIMEOUT,
    _borrow_exchange,
    _cisco_packet_dumps,
    _new_child_state,
    _pluto_auth_guess_exchange,
    _pluto_notify_directions,
    _rekey_word,
)
from lab.analyzer.protocol.meaning import (
    _CHARON_TAG,
    _FAILED_STATE_EXCHANGE,
    _KE_RETRY,
    _POLICY_CHECK,
    _STATE_BEFORE_NOTIFY,
    _TO_500,
    _TO_4500,
    _UNNAMED_REFUSALS,
    _V1_HASHED,
    INFO_EXCHANGES,
    NOTIFY_MEANING,
    _exchange_of,
    _listing_neighbors,
    _phase_of,
    _set,
    _State,
    reason_meaning,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES, IKE_EXCHANGES, IKEV1_EXCHANGES, exchange_name
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
    _V1_AUTH_FATAL,
    _auth_step_fatal,
    _borrow_pluto_state,
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
    _FIRST_EXCHANGE_VERSION,
    _REMOTE_ACCESS_WORDS,
    _SIGNED_WITH_DN,
    _USING_ISAKMP,
    LISTING_PATTERNS,
    _borrow_proposal_sa,
    _charon_create_child,
    _charon_ike_rekey,
    _host_to_host,
    _listed_versions,
    _mode_mismatch,
    _own_versions,
    _pluto_quick_mode_refusals,
    _quick_modes_beside_an_up_sa,
)
from lab.analyzer.protocol.streams import (
    _PAYLOADS,
    _PEER_REQUEST,
    _is_answer,
    _replaced_serial,
    _serial_of,
    conn_of,
)
from lab.analyzer.protocol.unanswered import (
    _bgp_notification_named_next,
    _first_replies_unanswered,
    _gave_up_while_established,
    _quick_mode_still_unanswered,
    _refusals_beside_a_lost_rekey,
    _rekey_gave_up,
    _rekey_still_unanswered,
    _transform_refusals_settled,
    _transforms_all_refused,
)
from lab.analyzer.protocol.versions import _established_version, _version_answers


def classify(events: list[Event]) -> None:
    """Give each ordered event its category and weight, reading each stream with its own state."""
    states: dict[int, _State] = {}
    _pluto_notify_directions(events)
    _pluto_auth_guess_exchange(events)
    _cisco_packet_dumps(events)
    _borrow_exchange(events)
    _charon_create_child(events)
    _refused_rekeys(events)
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
        st = states.get(ev.stream)
        if st is None:  # a new stream
            st = states.setdefault(ev.stream, _State())
            st.replacing_serials.update(serial for stream, serial in beside_up if stream == ev.stream)
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
    for loop in (loop for st in states.values() for loop in st.bgp_collision_loops):
        for e in loop:
            e.values["bgp_collisions"] = len(loop)
    _version_answers(events)
    _rekey_gave_up(events)
    _transform_refusals_settled(events)
    _first_replies_unanswered(events)
    _gave_up_while_established(events)
    _transforms_all_refused(events)
    _child_deletes_not_replaced(events)
    _refusals_beside_a_lost_rekey(events)
    _rekey_still_unanswered(events)
    _quick_mode_still_unanswered(events)
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


def _track(ev: Event, st: _State) -> None:
    """What an event tells about its stream before it is read: the peer, the IKE version, the exchange and
    its direction, the traffic selectors, an SA that is up."""
    if st.retransmits and _is_answer(ev):
        for r in st.retransmits:  # the peer did answer: the retransmits were packet loss, not a cause
            r.weight = "context"
        st.retransmits = []
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


def _first_reading(ev: Event, st: _State) -> tuple[str, bool]:
    """The event's kind as its stream reads it, and whether the reading of it is done: notifies (placed by
    their exchange), exchanges, initiations, rekey requests, certificates and mode checks."""
    kind = ev.kind
    if ev.pattern == "lib-expectation-failed" and not (
            st.rekeying or _serial_of(ev.text) in st.replacing_serials):
        kind = ""  # pluto's internal check failed outside a rekey: no cause by itself
    if kind == "bgp_down" and ev.values.get("up"):
        kind = ev.kind = "bgp_up"  # BIRD's state trace: "State changed to up"
    if kind == "notify" and ev.values.get("echo_of"):
        # pluto's second line about a notification it logged just before (see _pluto_notify_echoes): read once
        _set(ev, None)
        return kind, True
    if kind == "notify" and ev.notify:
        if not ev.exchange and (state := _STATE_BEFORE_NOTIFY.search(ev.text)):
            # pluto 3.x / Openswan name the state whose transition failed before the notify it sends
            # ("#2: STATE_QUICK_R0: INVALID_ID_INFORMATION"): the exchange is the state's
            ev.exchange = _FAILED_STATE_EXCHANGE.get(state.group(1)) or exchange_name(state.group(1))
        meaning = NOTIFY_MEANING.get(ev.notify) or reason_meaning(ev.notify)
        if meaning == "give_up":  # "Timed out", "Peer not responding": the negotiation got no answer
            kind = "give_up"
        elif meaning is None:
            _set(ev, None)
            if ev.exchange:
                st.exchange = ev.exchange
            if ev.direction == "received" and ev.notify in _UNNAMED_REFUSALS:
                st.answered = True
                st.refused_by = st.refused_by or ev
            return kind, True
        kind = meaning
        ex = _exchange_of(ev, st)
        if ex and ev.exchange in INFO_EXCHANGES and ex not in INFO_EXCHANGES:
            ev.refers_to = ex
        if meaning == "id":
            quick = ex == "QUICK_MODE" or (ex in INFO_EXCHANGES | {None} and st.ike_up and (st.ike or 1) == 1)
            kind = "ts_unacceptable" if quick or (ex in INFO_EXCHANGES | {None} and st.ike != 2) else "auth_failed"
        elif meaning == "ke":
            # In CREATE_CHILD_SA or Quick Mode the PFS group is refused. In IKE_SA_INIT an INVALID_KE_PAYLOAD is
            # the normal first round of choosing a DH group; only this side's own request for another group
            # (a weak reading) is kept, as a guess that counts when nothing is established after it.
            child = _phase_of(ev, st) == "child" and ex != "IKE_SA_INIT"
            if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") and not child:
                # IKEv1 has no DH group round: the group is agreed in the SA payloads, whose mismatch is
                # NO-PROPOSAL-CHOSEN. Type 17 there is RFC 2408's INVALID-KEY-INFORMATION (charon logs it under
                # IKEv2's name, INVALID_KE_PAYLOAD), sent when the keys cannot be derived after the KE exchange:
                # no pre-shared key for the peer (charon's main_mode.c, "no shared key found").
                kind = "auth_failed"
            else:
                kind = "no_proposal" if child or (ev.weak and ev.direction == "sent") else ""
                if kind and not child:
                    # this side's own "requesting <group>" in IKE_SA_INIT: the normal first round of choosing a DH
                    # group (RFC 7296 section 1.2); a mismatch only if the peer never retries with that group
                    ev.values["guess"] = True
            if child and (_KE_RETRY.search(ev.text) or ev.values.get("ke_retried") or ev.direction == "sent"):
                # RFC 7296 section 1.3: a CREATE_CHILD_SA answered INVALID_KE_PAYLOAD is retried with the group the
                # peer asked for (pluto: "resending with suggested DH ..."). Like the IKE_SA_INIT round it is a
                # guess that counts only when nothing is established after the retry. So is this side's own
                # INVALID_KE_PAYLOAD (charon: "DH group MODP_2048 unacceptable, requesting MODP_3072"): the peer
                # may retry with the group asked for.
                ev.weak = True
        elif meaning == "malformed":
            kind = "auth_failed" if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") else ""
            if not kind and ex is None and ev.pattern == "openswan-malformed-notifies" and not st.ike_up:
                # pluto's count of the peer's PAYLOAD_MALFORMED notifies for a state that is not an ISAKMP SA
                # up: the peer could not decrypt this side's first encrypted phase 1 message, the keys differ
                # (the line alone names no exchange: a guess, which firmer lines outweigh)
                kind = "auth_failed"
                ev.weak = True
                ev.values["guess"] = True
        elif meaning == "exchange_type":
            # RFC 2408 UNSUPPORTED-EXCHANGE-TYPE: the responder does not do the exchange it was sent. In answer to
            # Aggressive Mode that is a Main Mode-only peer (opnsense/core#6269: "N((29))" after an AGGRESSIVE
            # request).
            kind = "ike_mode_mismatch" if ex == "AGGRESSIVE_MODE" else ""
        elif meaning == "key_info":
            # RFC 2408 INVALID-KEY-INFORMATION. Sent in the clear it refuses the key exchange payload (message
            # 2); sent encrypted, the keys were agreed, so what failed is the signature of message 3: the peer
            # could not authenticate this side (pluto: ikev1_main.c, ikev1_peer_id.c).
            secured = ev.values.get("secured")
            # (pluto's state MAIN_I3 says this side sent MI3, the first encrypted message: also in a paste that
            # starts after it, see _borrow_pluto_state)
            encrypted = secured == "secured" or (secured is None and (
                st.v1_encrypted or ev.values.get("pluto_state") == "MAIN_I3"))
            kind = "auth_failed" if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") and encrypted else ""
        elif meaning == "message_id":
            kind = "rekey_failed" if (st.ike_up or st.child_up or st.rekeying) else ""
        elif meaning == "syntax":
            # (a CREATE_CHILD_SA travels only inside an IKE SA that is up, RFC 7296 section 1.3: also in a paste
            # that starts at its answer; one that says it adds a Child SA replaces none)
            up_before = st.child_up or st.rekeying or (st.ike_up and (st.ike or ev.ike) == 2) or (
                ex == "CREATE_CHILD_SA" and not st.new_child and not _new_child_state(ev))
            replacing = st.rekeying or _serial_of(ev.text) in st.replacing_serials
            kind = "rekey_failed" if (ex == "CREATE_CHILD_SA" and up_before) or (
                ex == "QUICK_MODE" and replacing) else ""
            if not kind and ev.direction == "received":
                st.refused_by = st.refused_by or ev
        if ev.direction == "received":
            st.answered = True
    if (kind == "exchange" and ev.fmt == "strongswan" and ev.exchange == "QUICK_MODE" and ev.direction == "received"
            and (tag := _CHARON_TAG.search(ev.text))):
        # charon parsed a Quick Mode message: it decrypted it with that ISAKMP SA's keys, so the SA is up and its
        # keys agree (RFC 2409 section 5.5), also in a paste that starts after Main Mode
        st.up_ike_tags.add(tag.group(1))
    if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
        if kind == "established":
            st.up_serials.add(serial)
        elif kind in ("give_up", "retransmit", "no_proposal", "ts_unacceptable", "auth_failed"):
            # (also a state that timed out waiting for an acceptable answer: pluto's "STATE_QUICK_I1: timeout
            # exceeded ... perhaps peer likes no proposal" - a state never seen up that failed)
            st.failed_serials.add(serial)
        st.seen_serials.add(serial)
    if kind in ("exchange", "initiate"):
        word = _rekey_word(ev)
        replaced = _replaced_serial(ev)
        child_exchange = ev.sa == "child" or ev.exchange in CHILD_EXCHANGES
        if (kind == "initiate" and ev.exchange == "QUICK_MODE" and replaced is None and ev.fmt == "libreswan"
                and (quick := _serial_of(ev.text)) is not None):
            st.first_quick_serials.add(quick)
        ike_reauth = False
        if kind == "initiate" and not word and not st.reauth_pending and _charon_ike_rekey(ev, st):
            word = "rekey"
        if word == "rekey" and replaced is not None:
            # pluto's "to replace #N" also starts the next keying attempt after state #N failed: only a state that
            # was up is rekeyed. An IKE SA set up anew (Main Mode, IKEv2 IKE_SA_INIT) replaces an SA that was up
            # only when the log shows it up; a Quick Mode replacing a state the log shows failing is a retry.
            if not child_exchange:
                # (a paste that starts at the replacement shows nothing of #N: pluto retries a first attempt
                # right after that attempt's failure lines, so an SA never seen is one that was up)
                ike_reauth = replaced in st.up_serials or (
                    replaced not in st.seen_serials and ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE")
                    and not ev.values.get("retry"))
                word = "rekey" if ike_reauth else ""
            elif replaced not in st.up_serials and (
                    replaced in st.failed_serials or replaced in st.first_quick_serials
                    or (ev.values.get("retry") and replaced not in st.replacing_serials)):
                # (a retry of a state that was itself a rekey carries on that rekey: not here)
                # (also a first Quick Mode never seen up: pluto's next keying attempt "to replace #2" comes before
                # #2's own deletion when #2 is given up at once; each next attempt is such a retry again)
                word = ""
                if ev.fmt == "libreswan" and (retry := _serial_of(ev.text)) is not None:
                    st.first_quick_serials.add(retry)
        if word == "rekey" and ev.pattern == "swan-reauth-start":
            st.reauth_pending = True
        if word == "rekey" and (child_exchange or (st.ike or ev.ike) != 1 or ike_reauth):
            # Replacing an SA that was up (a Child SA, or an IKEv2 IKE SA over CREATE_CHILD_SA):
            # whatever fails in this exchange fails a rekey.
            st.rekeying = True
            st.ike_up = True
            st.rekey_waiting = True
            if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
                st.replacing_serials.add(serial)
            if ev.sa == "child" or ev.exchange in CHILD_EXCHANGES or "child" in str(ev.values.get("rekey", "")).lower():
                st.child_up = True
            st.new_child = False
        elif kind == "initiate" and st.reauth_pending and ev.sa == "ike":
            # charon's reauthentication ("reauthenticating IKE_SA gw[1]") sets up a new IKE SA ("initiating
            # IKE_SA gw[2]"): whatever fails in it fails the replacement of the SA that was up.
            st.reauth_pending = False
        elif word == "new" or kind == "initiate":
            st.rekeying = False
            st.new_child = word == "new" and ev.exchange == "CREATE_CHILD_SA"
    if kind == "initiate" and ev.values.get("algorithms"):
        st.proposal_flaw = key_length_flaw(str(ev.values["algorithms"]))
    if kind == "initiate" and (ev.sa == "child" or ev.exchange in CHILD_EXCHANGES):
        st.rare_transform = rare_transform(str(ev.values.get("policy") or ""))
        if _REMOTE_ACCESS_WORDS & _policy_words(str(ev.values.get("policy") or "")):
            st.remote_access = True
    if kind == "exchange" and ev.exchange == "MAIN_MODE" and (str(ev.values.get("step") or "0") >= "3" or (
            # charon's third Main Mode message, the first encrypted one: "generating ID_PROT request 0 [ ID HASH ]"
            ev.direction == "sent" and "HASH" in _PAYLOADS.findall(str(ev.values.get("notify") or "")))):
        st.v1_encrypted = True
    elif kind == "initiate" and ev.sa != "child" and ev.exchange not in CHILD_EXCHANGES:
        st.v1_encrypted = False  # a new Main Mode starts in the clear
        st.cert_sent = False
    if kind == "exchange" and ev.fmt == "libreswan" and ev.direction == "sent" and ev.exchange == "IKE_AUTH" and (
        _TO_4500.search(ev.text) and st.init_port == "500"
    ):
        # RFC 7296 section 2.23: the initiator moves from UDP 500 to 4500 after IKE_SA_INIT when NAT was detected
        # (pluto names the port of each request): what goes unanswered from here on points at NAT-T first.
        st.nat_or_frag = st.moved_to_4500 = True
    elif kind == "exchange" and ev.fmt == "libreswan" and ev.exchange == "IKE_SA_INIT" and ev.direction == "sent":
        st.init_port = "500" if _TO_500.search(ev.text) else ""
    if ev.fmt in ("cisco-ios", "cisco-asa") and _POLICY_CHECK.search(ev.text):
        st.policy_checks.append(ev)
    elif kind == "exchange" and ev.values.get("policy_ok"):
        # IOS compares the offer with each local ISAKMP policy / transform set in turn and says why each one
        # before the match did not fit: that was the search, not a refusal (5409-ipsec-debug-00).
        for checked in st.policy_checks:
            if checked.category:
                checked.weight = "context"
        st.policy_checks.clear()
    if kind == "exchange" and ev.values.get("cert_sent"):
        st.cert_sent = True
    elif kind == "exchange" and ev.direction == "sent" and ev.exchange == "IKE_AUTH" and (
        ev.fmt == "libreswan" and _SIGNED_WITH_DN.search(ev.text)
        or ev.fmt == "strongswan" and "CERT" in _PAYLOADS.findall(str(ev.values.get("notify") or ""))
    ):
        # pluto 4.x/5.x: "sent IKE_AUTH request to ... with digital-signature ... and DER_ASN1_DN '...'": signed,
        # with the certificate's subject as identity, so the certificate goes in it (raw RSA keys name an FQDN or
        # an address instead); charon: "generating IKE_AUTH request 1 [ IDi CERT ... ]"
        st.cert_sent = True
    elif kind == "give_up" and ev.fmt == "libreswan" and _IMPAIRED_TIMEOUT.search(ev.text):
        # pluto's test impairment that times a state out at its first retransmission names no state: it is the
        # timeout of what the state sent last
        if st.v1_encrypted and st.exchange == "MAIN_MODE" and not st.ike_up:
            # after "sent Main Mode I3", the MAIN_I3 timeout (read as "deleting ISAKMP SA (MAIN_I3)" is, in
            # `negotiation`)
            ev.values["abandoned"] = "MAIN_I3"
        elif not ev.exchange and _serial_of(ev.text) in st.pluto_ike.values():
            # on an IKE SA that is up, pluto's "STATE_V2_ESTABLISHED_IKE_SA: timeout exceeded"
            ev.exchange = "INFORMATIONAL"
            ev.values["exchange"] = "ESTABLISHED_IKE_SA"
    if kind == "exchange" and ev.values.get("simultaneous") and (crossing := _serial_of(ev.text)) is not None:
        st.crossed.add(crossing)
    if kind == "exchange" and _mode_mismatch(ev, st):
        return kind, True
    if kind == "initiate" and ev.fmt == "libreswan" and ev.exchange == "AGGRESSIVE_MODE" and (
            _rekey_word(ev) != "rekey" or ev.values.get("retry")):
        # libreswan 3.2x logs only "initiating Aggressive Mode" and sends its first message at once (also its next
        # keying attempt "to replace #2" after #2 failed: _retries_of_failed_attempts)
        st.am_unanswered = True
    elif kind == "initiate" and ev.fmt == "strongswan" and ev.exchange == "AGGRESSIVE_MODE":
        # charon's "initiating Aggressive Mode IKE_SA gw[1] to ..." sends the first message with it (its [ENC]
        # "generating AGGRESSIVE request 0" line, when logged, says the same)
        st.am_unanswered = True
    if kind == "exchange":
        if st.pending_delete is not None and ev.exchange in INFO_EXCHANGES and ev.direction == "sent":
            # Answering with an INFORMATIONAL response while deleting: the peer asked for the delete.
            if " response" in ev.text:
                st.pending_delete.direction = "received"
                st.pending_delete.weight = "decisive"
            st.pending_delete = None
        if ev.exchange and ev.exchange not in INFO_EXCHANGES:
            st.exchange = ev.exchange
        if ev.direction == "sent" and ev.exchange == "IKE_SA_INIT" and "RESPONSE" in ev.text.upper():
            st.answered_init = True
        if ev.direction == "sent" and ev.exchange == "IKE_AUTH" and "RESPONSE" in ev.text.upper():
            st.answered_auth = ev
        if ev.direction == "sent" and "request" in ev.text:
            st.pending = ev.exchange
        elif ev.direction == "received":
            st.pending = None
        if ev.direction == "received" and ev.exchange in _FIRST_EXCHANGE_VERSION and " request" in ev.text:
            st.peer_first = ev.exchange
        if ev.exchange == "AGGRESSIVE_MODE":
            # its first message: charon's "generating AGGRESSIVE request 0", pluto's "sent Aggressive Mode request"
            # (libreswan 3.x: "STATE_AGGR_I1: sent AI1, expecting AR1")
            st.am_unanswered = ev.direction == "sent" and (
                " request 0 " in ev.text + " " or "Aggressive Mode request" in ev.text or "sent AI1" in ev.text)
        elif ev.exchange in ("MAIN_MODE", "IKE_SA_INIT"):
            st.am_unanswered = False
        if (ev.direction == "received" and ev.exchange in INFO_EXCHANGES and (ev.ike or st.ike) == 1 and not st.ike_up
                and st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") and st.v1_info_answer is None):
            st.v1_info_answer = ev
        if ev.direction == "received" and st.dpd_pending and ev.exchange in ("INFORMATIONAL", "INFORMATIONAL_V1"):
            st.dpd_pending = False
            _set(ev, "dpd_timeout", "context")
            ev.kind = "dpd_answer"
        elif ev.pattern == "lib-v1-state-fatal" and _V1_AUTH_FATAL.search(ev.text):
            # IKEv1's authentication steps (MAIN_I3 and MAIN_R2 process the encrypted identity and hash or
            # signature, Aggressive Mode's AGGR_I1 and AGGR_R1 the same in its second and third messages)
            _auth_step_fatal(ev, st)
        else:
            _set(ev, None)
        return kind, True
    return kind, False
