"""Reading a negotiation event in its stream: initiations, SAs that come up, refusals, proposals, liveness
checks, retransmits, negotiations given up, and Deletes."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import (
    _CHARON_V1_RETRANSMIT,
    _PLUTO_MAIN_I3,
    _new_child_state,
    _rekey_state,
    _rekey_word,
)
from lab.analyzer.protocol.meaning import (
    _CHARON_TAG,
    _FIRST_REQUEST,
    _TUNNEL_SA,
    _exchange_of,
    _phase_of,
    _set,
    _State,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES, IKE_SETUP_EXCHANGES
from lab.analyzer.protocol.ordering import _CHARON_CHILD, _CHARON_IKE_SA
from lab.analyzer.protocol.sa_state import (
    _CHARON_CHILD_TS,
    _ISAKMP_SA_DELETED,
    _QUICK_R1,
    _SAME_MESSAGE_LINES,
    _duplicate_ike_sa,
    _mark_auth_unanswered,
    _note_newest,
    _note_refusal,
    _quick_mode_guess,
    _request_on_up_sa,
    _superseded_ike,
    _ts_pair,
)
from lab.analyzer.protocol.streams import (
    _serial_of,
    conn_of,
    tunnel_name,
)

# pluto as XAUTH server waiting for the client's answer to its user name / password request (ikev1_xauth.c), in the
# state names of its retransmission and timeout lines ("STATE_XAUTH_R0: retransmission", "STATE_XAUTH_R0: 60 second
# timeout exceeded"; libreswan 5 drops the STATE_ prefix)
_XAUTH_SERVER_WAITS = re.compile(r"#\d+: (?:STATE_)?XAUTH_R[01]: (?:retransmission|\d+ second timeout exceeded)")


def _xauth_unanswered(ev: Event, st: _State) -> None:
    """pluto sends its XAUTH request only once Main Mode has authenticated both gateways (MAIN_R3 -> XAUTH_R0): the
    peer answered all of phase 1, so the path works; it leaves the user name / password request unanswered. The client
    is not set up for XAUTH (a plain IKEv1 pre-shared key profile, L2TP/IPsec instead of "IPsec Xauth PSK"), or its
    user never entered the credentials. A guess, as pluto's own words for it are: firmer lines outweigh it."""
    st.ike_up = True
    ev.exchange = None  # (the state's name, XAUTH_R0, is no exchange: XAUTH runs in IKEv1 Transaction exchanges)
    ev.direction = None  # (this side's request, sent again: nobody refused anything)
    ev.values["xauth_unanswered"] = True
    ev.values["guess"] = True
    _set(ev, "auth_failure", "weak")


# the IKE SA a Child SA was set up over, as pluto names it ("initiator established Child SA using #1")
_CHILD_USING = re.compile(r"\bChild SA using #(\d+)")

def _read_negotiation(
    ev: Event, st: _State, kind: str, both_sides: bool, phase1_only: set[int]
) -> tuple[bool, str, bool]:
    """Negotiation events (initiations, SAs up, refusals, proposals, liveness checks, retransmits, ends and
    Deletes): whether the event is one of them, its kind, and whether the reading of it is done."""
    if kind == "initiate":
        v1 = (ev.ike or st.ike) == 1
        child = ev.sa == "child" or ev.exchange in CHILD_EXCHANGES
        if child:
            st.exchange = ev.exchange or ("QUICK_MODE" if v1 else "CREATE_CHILD_SA")
        else:
            st.exchange = ev.exchange or ("MAIN_MODE" if v1 else "IKE_SA_INIT")
        st.answered = False
        st.refused_by = None
        if not child:
            st.v1_info_answer = st.v1_repeat = None
            st.answered_init = False
            st.answered_auth = None
        if not child and st.rekey_unanswered:
            # The IKE SA is set up anew while its rekey is still unanswered: the rekey did not complete
            # before the SA had to be replaced (pluto re-authenticates at the end of its lifetime).
            st.rekey_unanswered = st.rekeying = False
            st.ike_up = False
            _set(ev, "rekey_issue")
            return True, kind, True
        if not child and not st.rekeying:
            st.ike_up = False
            st.child_refused = False
            st.operator_down = False
        _set(ev, None)
    elif kind == "established" and ev.values.get("rekey_not_done"):
        # (see _operator_rekey_unfinished: the listing shows the old SA only) The row says the rekey failed,
        # not that an SA came up.
        ev.kind = "rekey_failed"
        _set(ev, "rekey_issue")
    elif kind == "operator_rekey":
        _set(ev, None)
    elif kind == "rekey_failed" and ev.pattern == "oci-no-rekey":
        # This side will not rekey: nothing failed yet; the peer is to replace the SA (see lib-quick-state-ended).
        st.no_rekey = ev
        _set(ev, "rekey_issue", "context")
    elif kind == "rekey_failed" and ev.pattern == "lib-quick-state-ended":
        # pluto deletes an IPsec SA that was up. After this side said it would not rekey it and with no newer SA
        # since, the SA reached its lifetime and nobody replaced it: the tunnel's traffic stops until it is set up
        # again (the peer, expected to rekey, did not). Otherwise a routine deletion (an SA replaced before, the
        # operator's command): nothing to read.
        if st.no_rekey is not None and not st.operator_down:
            _set(ev, "rekey_issue")
            ev.values["no_rekey_line"] = st.no_rekey.line
            st.no_rekey = None
        else:
            _set(ev, None)
    elif kind == "established":
        # an SA set up after the operator's down (or pluto's "terminating SAs" as a connection is loaded again):
        # what fails from here on is no longer explained by that command
        st.operator_down = False
        if name := tunnel_name(ev):
            st.up_tunnels.add(name)
        if ev.sa == "child":
            st.no_rekey = None  # (the peer replaced the SA)
        serial = _serial_of(ev.text)
        if serial in st.refused:
            # The same negotiation (pluto's state serial) completed after the peer refused it: the refusal was
            # transient (the peer fetched a CRL, loaded its connection, found the key on a retry). The tunnel
            # is up; the refusal is context, not a cause.
            kept = []
            for refusal in st.refused.pop(serial):
                # pluto's own complaint counts only when the state is established while it processes the same
                # message (a few lines on): another daemon's state of the same number, pasted after it, is not
                # it. (libreswan 3.x processes IKEv2's IKE_AUTH on the Child SA's state, so its establishment
                # counts there; a refusal by the peer is cleared by the IKE SA only.)
                own = bool(refusal.values.get("own_complaint"))
                near = abs(ev.line - refusal.line) <= _SAME_MESSAGE_LINES
                if (own and near) or (not own and ev.sa != "child"):
                    refusal.weight = "context"
                else:
                    kept.append(refusal)
            if kept and ev.sa == "child":
                st.refused[serial] = kept
        parent = (int(m.group(1)) if (m := _CHILD_USING.search(ev.text)) else serial - 1) if serial else None
        if ev.sa == "child" and parent in st.refused:
            # A Child SA set up right after pluto's own complaint about the peer's credentials on its IKE SA's state
            # (the one it names, "using #1", else the state numbered just before it: libreswan 4 logs the complaint
            # on IKE SA #1 and the establishment on Child SA #2, with "authenticated using ..." for #1 in between):
            # the authentication went through, a policy let the complaint pass ("X509: connection allows unmatched
            # IKE ID and certificate SAN").
            let_pass = [r for r in st.refused[parent] if r.values.get("own_complaint")
                        and 0 < ev.line - r.line <= _SAME_MESSAGE_LINES]
            for refusal in let_pass:
                refusal.weight = "context"
            if rest := [r for r in st.refused[parent] if r not in let_pass]:
                st.refused[parent] = rest
            else:
                del st.refused[parent]
        st.pending = None
        st.rekeying = False
        if ev.sa != "child":
            st.rekey_trouble = False  # a new IKE SA: earlier rekey trouble explains nothing after it
            st.duplicate_requests = 0
        if ev.sa == "child":
            st.child_up = True
            st.child_conn = conn_of(ev)
            _note_newest(_CHARON_CHILD, st.child_ids, ev.text)
            if ts := _CHARON_CHILD_TS.search(ev.text):
                st.up_ts.add(_ts_pair(ts.group(1)))
        else:
            st.ike_up = True
            # (charon's IKEv2 IKE SA rekey, ike_rekey.c: the keys of the IKE SA up now come from that CREATE_CHILD_SA)
            st.ike_rekeyed_line = ev.line if ev.fmt == "strongswan" and " rekeyed between " in ev.text else None
            if st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE"):
                # Phase 1 is over: what comes next on this ISAKMP SA is Quick Mode or Informational (RFC 2409
                # section 5.5), also when the log does not name the exchange (charon's [ENC] lines left out).
                st.exchange = None
            elif st.exchange == "IKE_SA_INIT":
                # An IKEv2 IKE SA comes up in IKE_AUTH, which goes on with the first Child SA (RFC 7296 section
                # 1.2): a refusal right after it is that Child SA's, also without the [ENC] line naming IKE_AUTH.
                st.exchange = "IKE_AUTH"
            _note_newest(_CHARON_IKE_SA, st.ike_ids, ev.text)
            if ev.fmt == "strongswan" and (tag := _CHARON_TAG.search(ev.text)):
                st.up_ike_tags.add(tag.group(1))
            if ev.fmt == "strongswan" and (named := _CHARON_IKE_SA.search(ev.text)):
                st.up_ike_sas.setdefault(named["name"], {})[int(named["id"])] = ev.line
            if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
                conn = conn_of(ev)
                st.pluto_ike[conn] = max(st.pluto_ike.get(conn, 0), serial)
        st.answered, st.dpd_pending = True, False
        if ev.sa == "child" and st.transport_requested and _TUNNEL_SA.search(ev.text):
            # The peer asked for transport mode (N(USE_TRANSPORT_MODE) in its request) and this side set the SA up
            # in tunnel mode: libreswan 5 ignores the request without a word when its connection is type=tunnel
            # (ikev2_child.c; 4.x said "policy dictates Tunnel Mode, ignoring peer's request for Transport Mode").
            # The two sides' modes differ; the peer, which requires transport, deletes the SA.
            ev.values.update(mode_requested="transport", mode_used="tunnel")
            _set(ev, "ipsec_mode_mismatch")
        else:
            _set(ev, None)
    elif kind == "no_proposal":
        phase = _phase_of(ev, st)
        if phase == "child" and (ev.values.get("received") or ev.values.get("configured")):
            st.child_proposals = True  # the refusal lists the proposals: they are what differs
        ex = _exchange_of(ev, st)
        ikev2_child_was_up = st.ike_up and (st.ike or ev.ike) == 2 and not st.child_refused
        # (the SAs up belong to other tunnels, which a gateway's log interleaves: this tunnel's CREATE_CHILD_SA
        # replaces none of them)
        own_up = not ((name := tunnel_name(ev)) and st.up_tunnels and name not in st.up_tunnels)
        if phase == "child" and (
            st.rekeying or (ex == "CREATE_CHILD_SA" and not st.new_child and own_up
                            and (st.child_up or ikev2_child_was_up))
            # the line itself says the refused negotiation was a rekey (PAN-OS: "... failed as responder, rekey")
            or _rekey_word(ev) == "rekey" or ev.values.get("rekey_refused")
        ):
            # The Child SA was negotiated before (IKEv2 carries the first one in IKE_AUTH) with these
            # proposals; only its rekey is refused (a PFS group or lifetime that applies to rekeys
            # only): a rekey problem.
            _set(ev, "rekey_issue")
            st.rekey_refused = True
        elif (phase == "child" and ex == "CREATE_CHILD_SA" and st.child_deleted and not st.rekey_refused
              and (st.ike or ev.ike) == 2):
            # IKEv2: a Child SA of this IKE SA was set up and deleted, and the CREATE_CHILD_SA that sets one up
            # again is refused. The first Child SA came up in IKE_AUTH, which carries no KE payload (RFC 7296
            # section 1.2); a CREATE_CHILD_SA carries the PFS group (section 1.3.1), so what is refused now
            # applies to rekeys and later Child SAs only - also when the log starts after the rekey's own
            # refusal (strongSwan deletes the SA when it expires and sets it up again with the same proposals).
            _set(ev, "rekey_issue")
            ev.values["set_up_again"] = True
        elif phase == "child" and ev.notify == "NO_PROPOSAL_CHOSEN" and st.host_to_host and not st.child_proposals:
            # A Child SA between the two gateways themselves refused although the IKE SA's algorithms
            # were accepted and no ESP proposal listing says otherwise: the one thing such an SA can
            # differ in beyond the algorithms is its mode, transport against tunnel (libreswan answers
            # a mode it does not allow with NO_PROPOSAL_CHOSEN, ikev2_child.c).
            _set(ev, "ipsec_mode_mismatch")
            ev.values["host_to_host"] = True
            ev.values.setdefault("ts_offered", st.child_ts)
        elif phase == "ike" and st.rekeying and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT"):
            # The IKE SA was set up with this configuration before; only its replacement is refused (a
            # reauthentication that offers other proposals, or a peer that changed its own).
            _set(ev, "rekey_issue")
        else:
            _set(ev, "phase1_proposal_mismatch" if phase == "ike" else "phase2_proposal_mismatch")
            if phase == "ike" and ev.kind == "notify" and ev.direction == "received":
                _note_refusal(ev, st)
        if phase == "child" and not st.rekeying:
            st.child_refused = True
    elif kind == "proposals":
        st.proposal_sa = ev.sa or st.proposal_sa
        phase = _phase_of(ev, st)
        st.child_proposals = st.child_proposals or phase == "child"
        _set(ev, "phase1_proposal_mismatch" if phase == "ike" else "phase2_proposal_mismatch", "context")
    elif kind == "dpd_probe":
        if ev.direction == "received":
            # The peer's own liveness probe came in (charon: "parsed INFORMATIONAL_V1 request ... [ HASH N(DPD) ]"):
            # the peer is there, and no probe of this side's waits for an answer because of it.
            st.answered = True
        else:
            st.dpd_pending = True
        _set(ev, "dpd_timeout", "context")
    elif kind == "dpd_answer":
        st.dpd_pending = False
        st.answered = True
        _set(ev, "dpd_timeout", "context")
    elif kind == "retransmit":
        if (ev.fmt == "strongswan" and ev.values.get("step") is not None and not ev.exchange
                and str(ev.values.get("msgid") or "0") != "0" and _CHARON_V1_RETRANSMIT in ev.text):
            # charon's IKEv1 "sending retransmit 1 of request message ID 2582167491, seq 12" where no [ENC] line names
            # the request: message ID 0 is phase 1's (RFC 2408 section 3.1), another one goes over an ISAKMP SA that
            # is up, and charon never sends an IKEv1 Informational (its DPD R_U_THERE, a Delete) again
            # (task_manager_v1.c: only a request that expects a response is retransmitted, and a task that completes
            # in one message expects none). The request is a Quick Mode (a remote-access client's Mode Config
            # Transaction has one too), not a liveness check.
            ev.exchange = "QUICK_MODE"
        if (ev.fmt == "strongswan" and ev.values.get("msgid") == "0"
                and int(ev.values.get("step") or 0) >= 3):
            # charon's IKEv1 "sending retransmit 1 of request message ID 0, seq 3": this side's third phase 1
            # message, Main Mode's first encrypted one (RFC 2409 section 5: Aggressive Mode has two), sent only
            # after the peer answered the two before it. Also without the [ENC] lines that show them, and while
            # another ISAKMP SA is up (another tunnel's, in a log whose lines do not name their tunnel): message ID 0
            # is phase 1's (RFC 2408 section 3.1), a liveness check or a Quick Mode has one of its own.
            if not st.ike_up:
                st.v1_encrypted = st.answered = True
                st.exchange = st.exchange or "MAIN_MODE"
            else:
                st.exchange = "MAIN_MODE"
            ev.exchange = ev.exchange or "MAIN_MODE"
        _request_on_up_sa(ev, st)
        if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            st.retransmitted.setdefault(serial, ev.line)
        rekey_pending = st.rekeying or (st.ike_up and st.pending == "CREATE_CHILD_SA" and not st.new_child)
        if (st.dpd_pending and ev.exchange not in IKE_SETUP_EXCHANGES and not (
                ev.fmt == "strongswan" and ev.exchange == "QUICK_MODE")) or (
                ev.exchange in ("INFORMATIONAL", "INFORMATIONAL_V1") and not rekey_pending):
            # (an established IKE SA's state retransmits whatever it sent last: its rekey when one is
            # pending, else its liveness probe; charon names an IKEv1 request it sends again, and never sends its
            # one-way DPD again)
            _set(ev, "dpd_timeout", "context")
        elif st.rekeying or _rekey_state(ev) or _serial_of(ev.text) in st.replacing_serials or (
            (st.ike_up or st.create_child_seen) and "CREATE_CHILD_SA" in (st.pending, ev.exchange)
            and not _new_child_state(ev) and not st.new_child
        ) or (
            # A Quick Mode over an ISAKMP SA that is up, after an IPsec SA was up: the exchange that replaces it
            # (either side: the responder retransmits QR1 while it waits for QI2).
            (ev.exchange or st.exchange) == "QUICK_MODE" and st.ike_up and st.child_up and not st.new_child
        ):
            # a rekey over an established IKE SA goes unanswered (a status listing's snapshot of one waiting for
            # its answer is all there is to read when the excerpt is that listing: a weak reading)
            _set(ev, "rekey_issue", "weak" if ev.values.get("snapshot") else "context")
            st.rekey_unanswered = True
        elif (st.ike_up or st.child_up) and (st.new_child or _new_child_state(ev)):
            # A new Child SA asked for over an IKE SA that is up (pluto's STATE_V2_CREATE_I): the peer
            # that answered the IKE SA stops answering on it. No rekey, and the path worked before.
            _set(ev, "dpd_timeout", "context")
        elif (ev.exchange or st.exchange) == "QUICK_MODE" and st.ike_up and not st.child_up and not st.rekeying:
            # The first Quick Mode over an ISAKMP SA the peer set up moments ago goes unanswered: the peer is
            # reachable; it drops the Quick Mode (see give_up, and _quick_mode_still_unanswered for a paste that
            # ends before the daemon gives up).
            _set(ev, "traffic_selector_mismatch", "context")
            ev.values["quick_guess"] = _quick_mode_guess(ev, st)
        elif _QUICK_R1.search(ev.text):
            # The responder of a Quick Mode sends QR1 again: the initiator's QI1 came in (the peer is reachable)
            # but its QI2 does not (see give_up).
            _set(ev, "rekey_issue", "context")
        elif st.answered_phase1_with_info or not st.ike_up and (
                (st.v1_encrypted and st.answered and (ev.exchange or st.exchange) == "MAIN_MODE"
                 and ev.fmt == "strongswan") or _PLUTO_MAIN_I3.search(ev.text)):
            # the peer already answered this phase 1 with an Informational, or answered the two Main Mode messages
            # before the first encrypted one that is now retransmitted (charon's log shows them; pluto waits in
            # MAIN_I3 only after them): it is reachable (see give_up)
            _set(ev, "auth_failure", "context")
        elif ev.fmt == "libreswan" and _XAUTH_SERVER_WAITS.search(ev.text):
            # pluto, the XAUTH server, sends its user name / password request again: see _xauth_unanswered
            _xauth_unanswered(ev, st)
        elif st.ike_up and (ev.exchange or st.exchange) is None:
            # a request of unknown exchange over an IKE SA that is up: the peer that answered stops answering
            _set(ev, "dpd_timeout", "context")
        elif ev.values.get("snapshot") and st.operator_down:
            # a status listing taken right after the operator took the connection down: the state waiting for its
            # first answer is the connection set up again (revival, auto=start). One moment says nothing of the peer.
            _set(ev, None)
        elif ev.values.get("answered_by"):
            # a message came in from the peer after it (charon's "received packet", see answered_by_packets): the
            # peer answers; one request or its answer was lost on the way
            _set(ev, "peer_unreachable", "context")
        else:
            _set(ev, "peer_unreachable", "decisive")
            _mark_auth_unanswered(ev, st)
            st.retransmits.append(ev)
            st.retransmit_peers[id(ev)] = st.peer
    elif kind == "give_up" and ev.fmt == "libreswan" and _XAUTH_SERVER_WAITS.search(ev.text):
        _xauth_unanswered(ev, st)  # (its timeout: "STATE_XAUTH_R0: 60 second timeout exceeded")
    elif kind == "give_up" and ev.values.get("abandoned") in _FIRST_REQUEST:
        # pluto deleted a state still waiting for the answer to its first message (state.c). It is the peer's
        # silence unless something else ended the state: an answer (a refusal has its own line), a redirect
        # to another gateway, the operator deleting the connection.
        if st.answered or st.operator_down or _serial_of(ev.text) in st.redirected_serials:
            _set(ev, None)
        elif _serial_of(ev.text) in st.replacing_serials:
            # (a Main Mode "to replace #N" of an ISAKMP SA that was up: the peer answered that one; its
            # replacement went unanswered)
            _set(ev, "rekey_issue")
            st.rekey_unanswered = True
        else:
            _set(ev, "peer_unreachable")
    elif kind == "give_up":
        _request_on_up_sa(ev, st)  # (also pluto's timeout in ESTABLISHED_IKE_SA, an INFORMATIONAL)
        # (a request sent before the paste began, see exchanges._charon_retransmitted_requests, or, in charon's log,
        # after an SA came up at the end of the exchange the lines were at last: not that exchange. pluto names the
        # state each line is about instead, and libreswan 3 logs its IKE SA up late, after a later Child SA's request.)
        done = st.exchange_done and ev.fmt == "strongswan"
        ex = ev.exchange or (None if ev.values.get("request_unseen") or done else st.exchange)
        # charon gave up on an IKE SA still being set up (see exchanges._charon_connecting_give_ups): its own first
        # exchanges went unanswered, not a rekey or a liveness check of an SA that is up (in a log whose lines do not
        # name their tunnel, another tunnel's), unless a reauthentication is setting that IKE SA up
        connecting = bool(ev.values.get("ike_connecting")) and not st.reauth_running and not _rekey_state(ev)
        if connecting and ex not in IKE_SETUP_EXCHANGES:
            ex = None
        elif connecting and ev.exchange:
            ex = ev.exchange  # (what its own retransmissions say, not the exchange another tunnel's lines were at)
        rekey_state = _rekey_state(ev) or bool(ev.values.get("rekey_pending")) or (
            # (a pluto Quick Mode beside an older IPsec SA of its connection that was up: its replacement)
            ex == "QUICK_MODE" and _serial_of(ev.text) in st.replacing_serials
        ) or (
            # charon names the task that gave up ("rekeying IKE_SA failed, peer not responding", ike_sa.c: the
            # IKE_SA was in IKE_REKEYING): the SA that was up was not replaced.
            _rekey_word(ev) == "rekey" and ev.kind == "give_up"
        ) or (
            # A Quick Mode / CREATE_CHILD_SA over an IKE SA that is up, after a Child SA was up: the
            # exchange that replaces it got no (usable) answer.
            ex in CHILD_EXCHANGES and st.ike_up and st.child_up and not st.dpd_pending
            and not st.new_child
        )
        if st.answered_phase1_with_info and not rekey_state and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", None):
            # IKEv1 phase 1 timed out although the peer answered this side's last message with an Informational
            # (encrypted, so this side could not read it) instead of the next phase 1 message: the peer could not
            # verify this side's hash. With pre-shared keys the keys differ (a guess: firmer lines outweigh it).
            _set(ev, "auth_failure", "weak")
            if st.v1_info_answer is not None:
                ev.values["v1_info_answer"] = st.v1_info_answer.line
            elif st.v1_repeat is not None:
                ev.values["v1_repeat"] = st.v1_repeat.line
        elif not connecting and (st.rekey_trouble or rekey_state or (st.rekeying and not st.dpd_pending) or (
            (st.ike_up or st.create_child_seen) and "CREATE_CHILD_SA" in (st.pending, ev.exchange)
            and not st.dpd_pending and not _new_child_state(ev) and not st.new_child
        ) or (
            # the retransmissions before it were a rekey's (pluto 5.3+ "retransmitting rekey Child SA request",
            # a REKEY state), unanswered since: a paste that starts after the rekey began
            st.rekey_unanswered and not st.dpd_pending and not st.new_child
        )):
            # A CREATE_CHILD_SA that replaces an SA over an established IKE SA got no usable answer. (One
            # that adds a new Child SA replaces nothing: its timeout is the peer no longer answering.)
            _set(ev, "rekey_issue")
            st.rekey_trouble = True
        elif not connecting and (st.dpd_pending or (st.ike_up and ex in ("INFORMATIONAL", "INFORMATIONAL_V1", None)) or (
            (st.ike_up or st.child_up) and (st.new_child or _new_child_state(ev))
        )):
            _set(ev, "dpd_timeout")
            st.dpd_pending = False
        elif ev.values.get("abandoned") == "MAIN_I3":
            # pluto deleted the ISAKMP SA still waiting for the answer to MI3, the first encrypted message: the
            # peer answered the first two exchanges, so it is reachable. With a certificate in MI3 the message
            # left as IP fragments (below: the same reading of pluto's timeout); otherwise pluto's own guess
            # applies: the keys differ. Without MI3 in the log, an answer in the paste (a refusal in the clear),
            # an operator or another exchange says more than the state; otherwise the paste starts at the
            # deletion, the state's name says MI3 went out unanswered, and pluto's own guess is what is left (a
            # certificate in MI3 cannot be seen, so it stays a guess).
            if st.ike_up or (not st.v1_encrypted and (
                    st.answered or st.operator_down or st.exchange not in (None, "MAIN_MODE"))):
                _set(ev, None)
            elif not st.v1_encrypted:
                ev.values["guess"] = True
                _set(ev, "auth_failure", "weak")
            elif st.cert_sent:
                ev.values["cert_sent"] = True
                _set(ev, "nat_t_or_fragmentation")
            else:
                ev.values["guess"] = True
                _set(ev, "auth_failure", "weak")
        elif st.nat_or_frag and not st.ike_up and (
            (st.answered and ex == "IKE_AUTH")
            # the responder's side: it answered IKE_SA_INIT, found NAT, and the initiator's IKE_AUTH (sent to UDP
            # 4500 from then on, RFC 7296 section 2.23) never came
            or (st.answered_init and ex in ("IKE_SA_INIT", None))
        ):
            if ex != "IKE_AUTH":
                ev.values["responder_waited"] = True
            elif st.moved_to_4500:
                ev.values["moved_to_4500"] = True
            _set(ev, "nat_t_or_fragmentation")
        elif ex == "QUICK_MODE" and st.ike_up and not st.child_up and ev.kind == "give_up" and not _QUICK_R1.search(ev.text):
            # Main Mode completed with this peer, then its first Quick Mode was never answered (charon: "giving
            # up after N retransmits" in QUICK_MODE): a guess, read as pluto's "perhaps peer likes no proposal" is
            # (kind ts_unacceptable with a guess, in `outcomes`).
            ev.values["guess"] = True
            _set(ev, _quick_mode_guess(ev, st), "weak")
        elif st.large_sent and st.answered and not st.ike_up and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_AUTH"):
            # The peer answered the first, small messages; the one that went unanswered needed IP fragments
            # (an IKE_AUTH or Main Mode's third exchange with certificates): fragments dropped on the path.
            ev.values["packet_bytes"] = st.large_sent
            _set(ev, "nat_t_or_fragmentation")
        elif st.v1_encrypted and st.answered and not st.ike_up and ex == "MAIN_MODE" and ev.fmt == "strongswan":
            # charon gave up on its first encrypted Main Mode message (MI3, "[ ID HASH ]") after the peer answered
            # the two before it: the peer is reachable and did not accept MI3. pluto reads its own such timeout as
            # "Possible authentication failure: no acceptable response to our first encrypted message"; with
            # pre-shared keys the keys differ (a guess).
            ev.values["guess"] = True
            _set(ev, "auth_failure", "weak")
        elif st.answered_auth is not None and not st.ike_up and ex in ("IKE_AUTH", None):
            # This side (the responder) answered the peer's IKE_AUTH and the negotiation then timed out waiting
            # for the peer's next IKE_AUTH message (an EAP round, RFC 7296 section 2.16): the peer is reachable
            # (its IKE_AUTH arrived) and did not go on. An initiator that cannot verify the responder's AUTH
            # payload ends the negotiation (section 2.15), often without a word: a guess, firmer lines win.
            ev.values["guess"] = True
            ev.values["auth_answered"] = st.answered_auth.line
            _set(ev, "auth_failure", "weak")
            _set(st.answered_auth, "auth_failure", "context")  # (shown in the chain of lines)
        elif _QUICK_R1.search(ev.text):
            # The responder's Quick Mode timed out waiting for QI2: the initiator sent QI1 (it is reachable) and
            # considers the IPsec SA up once it sends QI2, which never arrived. The two sides' SAs are out of
            # step (a rekey's failure when it replaced an SA that was up, read above). In a first negotiation
            # the peer may also have refused this side's answer without saying so: no cause to name from it.
            _set(ev, None)
        elif st.refused_by is not None and (st.refused_by.exchange or ex) == ex:
            # The peer answered this exchange, with an error notify that names no cause of its own (it could not
            # process the request: UNSUPPORTED_CRITICAL_PAYLOAD, INVALID_SYNTAX), and pluto, which ignores an
            # unauthenticated notify in IKE_SA_INIT, waited until its timeout: not the peer's silence.
            ev.values["refused_by"] = st.refused_by.line
            _set(ev, None)
        else:
            _set(ev, "peer_unreachable")
            _mark_auth_unanswered(ev, st)
        st.ike_up = st.child_up = False
    elif kind == "session_end":
        st.session_end = ev
        _set(ev, None)
    elif kind == "delete":
        # (every Delete of a charon IKE SA takes it out of the ones up, whoever sent it and whatever it means)
        duplicate = _duplicate_ike_sa(ev, st) if ev.sa != "child" else None
        if ev.pattern == _ISAKMP_SA_DELETED:
            # pluto removes an ISAKMP SA that was up (its lifetime ended, or it was given up): a marker for
            # the Main Mode that was to replace it (see _main_modes_beside_an_up_isakmp_sa), nothing more - the
            # line does not say the peer was told, and the IPsec SAs over it stay up.
            _set(ev, None)
        elif ev.sa == "child":
            if ev.pattern != "lib-larval-deleted":
                st.child_deleted = True
            elif st.child_deleted and (st.ike or ev.ike) == 2:
                # pluto 5 deletes a Child SA still being negotiated ("larval") after it deleted the connection's
                # Child SA that was up: a CREATE_CHILD_SA was under way over the IKE SA that carried it, to replace
                # it, and never completed before the teardown (it went unanswered).
                st.rekey_unanswered = True
                st.larval_replacement = st.larval_replacement or ev
            _set(ev, "rekey_issue", "context")
            if ev.direction == "received" and st.rekey_unanswered:
                # the peer deletes the Child SA this side's unanswered rekey was to replace (its copy expired)
                ev.values["rekey_unanswered"] = True
        elif ev.weak and ev.direction is None:
            # "The VPN went down" with no reason (Junos KMD_VPN_DOWN_ALARM_USER): the SAs are gone, but
            # nothing says the peer ended them. Shown when the cause is confirmed, never a cause itself.
            _set(ev, "ike_sa_deleted_by_peer", "context")
            st.ike_up = st.child_up = False
        elif ev.direction == "received" and st.session_end is not None:
            # The L2TP/PPP session inside the SA ended first: the client disconnected on purpose and
            # its Delete follows. Nothing to fix.
            _set(ev, "ike_sa_deleted_by_peer", "context")
            st.ike_up = st.child_up = False
        elif (ev.direction == "received" and ev.values.get("redundant")) or (
                ev.direction in ("received", "sent") and _superseded_ike(ev, st)):
            # charon: the Delete for IKE_SA gw[1] after "IKE_SA gw[2] rekeyed" (or established) is how an IKE SA
            # rekey ends (RFC 7296 section 2.18: the old SA is deleted once the new one is up), and the Delete for
            # the redundant IKE SA of a rekey collision this side won is how the collision ends. Nothing went down.
            # (The side that rekeyed sends that Delete: "sending DELETE for IKE_SA gw[1]" after gw[2] is up.)
            _set(ev, None)
        elif ev.direction == "received" and st.rekey_unanswered:
            # The peer ends the IKE SA while this side's rekey is still unanswered: it never answered the exchange
            # that was to replace an SA (IKEv1 negotiates the lifetimes, so its copy of the SA expires with ours):
            # the rekey failed, and the Delete is how the tunnel went down after it.
            _set(ev, "rekey_issue")
            if st.larval_replacement is not None:
                ev.values["larval_line"] = st.larval_replacement.line
                st.larval_replacement = None
            st.ike_up = st.child_up = False
        elif ev.direction == "received" and duplicate is not None:
            # The peer deletes one of two IKE SAs of the same connection that are up at once, and the other stays:
            # both sides set one up at the same time (a reauthentication or a rekey that crossed the peer's own),
            # and the peer removes its duplicate. The connection still has an IKE SA; the Child SAs of the deleted
            # one go with it, and when the two sides do not drop the same ones, traffic stops on the Child SA one
            # side still uses.
            _set(ev, "rekey_issue", "weak")
            ev.values["duplicate_kept"] = duplicate
        elif ev.direction == "received" and id(ev) in phase1_only and st.child_up and (st.ike or ev.ike) != 2:
            # IKEv1: the peer deleted its ISAKMP SA and none of the IPsec SAs, which stay up (unlike IKEv2's Child
            # SAs, IKEv1's IPsec SAs do not depend on the phase 1 SA they were negotiated under, RFC 2409 section
            # 5.5): its phase 1 lifetime ended, or it keeps no idle ISAKMP SA. Traffic goes on; a new Main Mode
            # comes when an SA needs replacing.
            _set(ev, "ike_sa_deleted_by_peer", "context")
            st.ike_up = False
        elif ev.direction == "received":
            _set(ev, "ike_sa_deleted_by_peer")
            st.ike_up = st.child_up = False
        elif ev.direction == "sent" and not both_sides:
            # This side deletes the IKE SA: the operator took the connection down (ipsec down / whack
            # --delete), the SA's lifetime ended, or the daemon gave up on it. Whatever the reason, it is
            # not the peer ending the tunnel, so the line is context, never "the peer deleted". (In a
            # paste of both peers' logs it is what the other peer sees as its peer deleting the IKE SA.)
            _set(ev, "ike_sa_deleted_by_peer", "context")
            st.ike_up = st.child_up = False
        else:
            _set(ev, "ike_sa_deleted_by_peer", "weak")
            if ev.direction is None:
                st.pending_delete = ev
            st.ike_up = st.child_up = False
    else:
        return False, kind, False
    return True, kind, False
