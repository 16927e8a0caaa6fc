"""The first reading of an event in its stream (`classify`'s loop): notifies placed by their exchange, exchanges,
initiations, rekey requests, certificates and mode checks."""

from __future__ import annotations

from lab.analyzer.protocol.algorithms import _policy_words, key_length_flaw, rare_transform
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.exchanges import (
    _IMPAIRED_TIMEOUT,
    _new_child_state,
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
    INFO_EXCHANGES,
    NOTIFY_MEANING,
    _exchange_of,
    _phase_of,
    _set,
    _State,
    reason_meaning,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES, exchange_name
from lab.analyzer.protocol.rekeys import (
    _V1_AUTH_FATAL,
    _auth_step_fatal,
)
from lab.analyzer.protocol.sa_state import (
    _FIRST_EXCHANGE_VERSION,
    _REMOTE_ACCESS_WORDS,
    _SIGNED_WITH_DN,
    _charon_ike_rekey,
    _mode_mismatch,
)
from lab.analyzer.protocol.streams import (
    _PAYLOADS,
    _replaced_serial,
    _serial_of,
)


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
            child = _phase_of(ev, st) == "child" and ex not in ("IKE_SA_INIT", "IKE_AUTH")
            if ex == "IKE_AUTH":
                # IKE_AUTH carries no KE payload (RFC 7296 section 1.2: its Child SA takes its keys from the IKE
                # SA's exchange): the key exchange refused there is IKE_SA_INIT's, whose shared secret could not be
                # computed from the peer's KE value (pluto answers the IKE_AUTH request so, in the clear: no keys):
                # the IKE SA's DH group or its implementation, phase 1.
                ev.sa = "ike"
                kind = "no_proposal"
            elif ex in ("MAIN_MODE", "AGGRESSIVE_MODE") and not child:
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
            if (not kind and ex == "QUICK_MODE" and ev.fmt == "strongswan" and ev.direction == "received"
                    and st.ike_up and (st.child_up or st.rekeying)):
                # charon receives the peer's PAYLOAD_MALFORMED for its Quick Mode message over an ISAKMP SA whose keys
                # worked, with an IPsec SA up (a rekey, or one more SA beside it): the peer could not decrypt it, the
                # exchange is out of step (RFC 2409 appendix B: its IV) and the peer does not install what this side
                # did, so the SAs are out of step. (pluto's count of such notifies names no exchange.)
                kind = "rekey_failed"
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
    if kind == "established" and ev.sa != "child":
        st.reauth_running = False
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
            st.reauth_running = True
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
        elif word == "new" and ((st.rekeying and st.rekey_waiting) or st.rekey_unanswered):
            # A Child SA added while a rekey of the same IKE SA still waits for its answer: the exchanges queue
            # behind that rekey, so what times out next is the rekey's (libreswan's pluto queues the new Child SA's
            # CREATE_CHILD_SA behind the unanswered one).
            pass
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
        elif ev.pattern == "swan-establishing-child" and ev.exchange == "CREATE_CHILD_SA":
            # (charon builds it once the request before it has its answer: see sa_state._charon_create_child)
            st.pending = ev.exchange
            st.dpd_pending = False
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
