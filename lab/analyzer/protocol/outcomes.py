"""Reading the other events in their stream: authentication, IKE versions and modes, BGP, traffic selectors,
and what an operator did."""

from __future__ import annotations

import re
from collections.abc import Callable

from lab.analyzer import bgp
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.meaning import (
    _BGP_STATE,
    _CHARON_TAG,
    _LAST_NOTIFICATION,
    _LAST_RESET,
    _V1_DECRYPT,
    BGP_COLLISION_LOOP,
    BGP_SETUP_RESET_S,
    KIND_CATEGORY,
    _set,
    _State,
    bgp_peer,
)
from lab.analyzer.protocol.ordering import _PLUTO_PACKET_FROM
from lab.analyzer.protocol.rekeys import (
    _auth_step_fatal,
)
from lab.analyzer.protocol.sa_state import (
    _ANSWERS_LOST,
    _FIRST_EXCHANGE_VERSION,
    LISTING_PATTERNS,
    _child_replaced,
    _expired_unreplaced,
    _listed_versions,
    _note_refusal,
    _quick_mode_guess,
    _superseded,
)
from lab.analyzer.protocol.streams import (
    FIRST_MESSAGE_REPEATED,
    _serial_of,
)

# rsyslog's line for a message logged again and again ("message repeated 3 times: [ ... ]"): the message N times over
_SYSLOG_REPEATED = re.compile(r"\bmessage repeated (\d+) times: \[")


def _times(ev: Event) -> int:
    """How many messages the line stands for: N for rsyslog's "message repeated N times: [...]", else 1."""
    m = _SYSLOG_REPEATED.search(ev.text)
    return max(1, int(m.group(1))) if m else 1


def _packet_sender(ev: Event) -> str:
    """The sender pluto's line about a message no state owns yet names ("packet from 203.0.113.5:500: ..."), or ""."""
    m = _PLUTO_PACKET_FROM.search(ev.text)
    return m.group(1) if m else ""


def _version_refused(ev: Event, kind: str) -> str | None:
    """The IKE version of a request pluto found no connection for: the one its weak version-mismatch line names, or
    IKEv1 for its Main or Aggressive Mode refusal ("initial Main Mode message received but no connection has been
    authorized"), which it looks up among its IKEv1 connections alone (ikev1_host_pair.c)."""
    if kind == "ike_version_mismatch" and ev.weak and ev.values.get("version"):
        return str(ev.values["version"])
    if kind == "auth_failed" and ev.pattern == "lib-no-connection-authorized":
        return "IKEv1"
    return None


def _v1_hash_notify(ev: Event) -> bool:
    """charon's INVALID_HASH_INFORMATION notify in an IKEv1 Informational exchange, sent or received ("generating
    INFORMATIONAL_V1 request 1327218239 [ HASH N(INVAL_HASH) ]", "received INVALID_HASH_INFORMATION error notify"):
    a message whose HASH payload did not verify."""
    return ev.fmt == "strongswan" and ev.kind == "notify" and ev.notify == "INVALID_HASH_INFORMATION" and (
        ev.exchange in (None, "INFORMATIONAL_V1"))


def _read_outcome(
    ev: Event, st: _State, kind: str, listed_versions: set[str], own_versions: Callable[[Event], set[str]]
) -> tuple[str, bool]:
    """Every other event (authentication, versions and modes, BGP, traffic selectors, what an operator did):
    its kind, and whether the reading of it is done."""
    if kind == "out_of_step" and ev.exchange == "CREATE_CHILD_SA":
        # IKEv2: the peer resends a CREATE_CHILD_SA request this side answered. A lost answer is resent once or
        # twice; when the peer keeps asking (_ANSWERS_LOST times), this side's answers do not reach it, and the
        # exchange that replaces an SA that was up never completes on the peer's side.
        st.duplicate_requests += _times(ev)
        st.ike_up = True  # (a CREATE_CHILD_SA request comes over an IKE SA that is up)
        lost = st.duplicate_requests >= _ANSWERS_LOST
        _set(ev, "rekey_issue", "decisive" if lost else "context")
    elif kind == "out_of_step" and ev.exchange in ("IKE_AUTH", "IKE_SA_INIT"):
        # IKEv2, this side the responder: the peer resends the IKE_AUTH (or IKE_SA_INIT) request this side answered.
        # Once, a lost packet; _ANSWERS_LOST times, this side's answers do not reach the peer (the path drops them:
        # UDP 500 or 4500 out, the IP fragments of a large answer). The peer is reachable one way: its requests arrive.
        key = (_serial_of(ev.text) or 0, ev.exchange)
        count = st.answered_repeats[key] = st.answered_repeats.get(key, 0) + _times(ev)
        ev.values["answers_lost"] = count
        _set(ev, "peer_unreachable", "decisive" if count >= _ANSWERS_LOST else "context")
    elif kind == "out_of_step":
        # The peer sends again a message of a Quick Mode this side has completed: it never got this
        # side's last message (QI2), so its IPsec SA is not up while ours is. When the Quick Mode
        # replaced an SA that was up (a rekey), the rekey left the SAs out of step.
        _set(ev, "rekey_issue", "decisive" if st.child_up or st.rekeying else "weak")
    elif kind == "auth_failed" and ev.pattern == "lib-timeout-auth" and ev.exchange == "IKE_AUTH":
        # libreswan 3.x's guess for IKEv2: a peer that cannot verify this side's AUTH payload answers
        # AUTHENTICATION_FAILED (RFC 7296 section 2.21.2); silence in IKE_AUTH is as often a path that drops the
        # larger, fragmented IKE_AUTH message or UDP 4500, and pluto also stops waiting after an error notify
        # it was answered with ("suppressing retransmits; will wait ... for retry"). A guess, which firmer lines
        # outweigh.
        _set(ev, "auth_failure", "weak")
    elif kind == "auth_failed" and ev.pattern == "lib-auth-exchange-fatal":
        # (IKE_AUTH_I, PARENT_I2, IKE_SA_INIT_IR, XAUTH)
        _auth_step_fatal(ev, st)
    elif kind == "auth_failed" and ev.pattern == "lib-v1-malformed":
        # pluto cannot parse the peer's encrypted IKEv1 message: before the ISAKMP SA is up, the keys derived from
        # the pre-shared key differ; over an SA that is up (a Quick Mode out of step) no authentication problem.
        _set(ev, None if st.ike_up else "auth_failure", "weak")
    elif (kind == "auth_failed" and ev.pattern in _V1_DECRYPT and st.exchange == "IKE_AUTH" and not st.ike_up
          and ev.fmt == "strongswan"):
        # charon cannot read the peer's answer to its IKE_AUTH request (IKEv2): the keys of the IKE SA come from the
        # DH exchange, not from the pre-shared key (RFC 7296 section 2.14), so this is no key that differs. The
        # answer came in the clear ("payload type NOTIFY was not encrypted"), or not under the IKE SA's keys: the
        # peer could not process the request under the IKE SA (it has none for it, or could not reassemble or
        # decrypt it) and said so in an error notification charon does not read.
        ev.exchange, ev.ike = "IKE_AUTH", 2
        ev.values["ikev2_answer_unreadable"] = True
        _set(ev, "auth_failure")
    elif kind == "auth_failed" and ev.pattern in _V1_DECRYPT and st.ike_rekeyed_line is not None and st.ike_up and (
            st.exchange not in ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT", "IKE_AUTH")):
        # charon cannot verify or decrypt the peer's messages right after an IKEv2 IKE SA rekey: the new IKE SA's keys
        # (derived from the rekey's own key exchange, RFC 7296 section 2.18) differ on the two sides, so every
        # request over it fails and the tunnel goes down when the peer gives up. Not a pre-shared key matter.
        ev.values["rekeyed_line"] = st.ike_rekeyed_line
        _set(ev, "rekey_issue")
    elif kind == "auth_failed" and (ev.pattern in _V1_DECRYPT or _v1_hash_notify(ev)) and (
            (tag := _CHARON_TAG.search(ev.text)) and tag.group(1) in st.up_ike_tags
            # (charon without ike_name, its default: no tag; an ISAKMP SA up and no phase 1 under way since)
            or not tag and st.ike_up and st.exchange not in ("MAIN_MODE", "AGGRESSIVE_MODE")):
        # An IKEv1 message over an ISAKMP SA that is up could not be decrypted or verified (by this side, or by the
        # peer, which says so with INVALID_HASH_INFORMATION): that SA's keys were agreed and worked, so the
        # pre-shared keys match; what is out of step is the exchange (a Quick Mode retransmitted after it was
        # settled, or two at once, whose IV no longer fits: RFC 2409 appendix B). No authentication problem.
        _set(ev, None)
    elif kind == "auth_failed" and ev.pattern == "swan-no-ike-config" and (
            st.peer_first is None and len(sent := own_versions(ev)) == 1):
        # charon finds no connection for the peer's addresses in the IKE version of its request (backend_manager.c
        # matches both), while this side itself starts IKE to that address with a connection of its own: the
        # addresses match, so the version does not. (The log leaves out the request it parsed: its [ENC] lines.)
        (own,) = sent
        ev.values["ike_sent"] = own
        ev.values["ike_requested"] = "IKEv2" if own == "IKEv1" else "IKEv1"
        _set(ev, "ike_version_mismatch")
    elif kind == "auth_failed" and ev.pattern == "swan-no-ike-config" and (
            st.peer_first or st.exchange) in _FIRST_EXCHANGE_VERSION:
        # charon finds no connection for the peer's addresses in this IKE version (backend_manager.c matches
        # both): name the version of the request it just parsed, which is one of the two suspects.
        requested = ev.values["ike_requested"] = f"IKEv{_FIRST_EXCHANGE_VERSION[st.peer_first or st.exchange]}"
        sent = own_versions(ev)
        if listed_versions and requested not in listed_versions and "IKEv1/2" not in listed_versions:
            # ... and the connections the paste lists (statusall, swanctl --list-conns) are all of the other
            # version: the versions differ.
            ev.values["conn_versions"] = "/".join(sorted(listed_versions))
            _set(ev, "ike_version_mismatch")
        elif sent and requested not in sent:
            # ... while this side itself sends requests of the other version to the same peer address: it has
            # a connection for the addresses, only not for this version (and the peer, for its part, answers
            # this side's requests no better). The versions differ.
            ev.values["ike_sent"] = "/".join(sorted(sent))
            _set(ev, "ike_version_mismatch")
        else:
            _set(ev, "auth_failure")
    elif kind == "conn_switched":
        _set(ev, None)
    elif kind == "remote_access":
        st.remote_access = True
        _set(ev, None)
    elif kind == "endpoint" and ev.pattern == "lib-debug-host-pair":
        if (remote := str(ev.values.get("peer") or "")) and remote not in ("%any", "0.0.0.0", "::"):
            st.host_pair_remotes.add(remote)
        _set(ev, None)
    elif ((requested := _version_refused(ev, kind)) and ev.fmt == "libreswan" and st.host_pair_remotes
          and (peer := str(ev.values.get("peer") or "") or _packet_sender(ev)) and peer not in st.host_pair_remotes):
        # pluto's debug shows the peer addresses of the connections it compared the first message's addresses with,
        # and the address the request came from is none of them: no connection is for this peer's address (a
        # changed public address, NAT), whatever the version (libreswan/libreswan#282)
        ev.values["ike_requested"] = requested
        ev.values["host_pair_remotes"] = ", ".join(sorted(st.host_pair_remotes))
        ev.values.setdefault("peer", peer)
        ev.category, ev.weight = "auth_failure", "decisive"
    elif kind == "conn_added":
        if ev.pattern not in LISTING_PATTERNS:
            st.conn_versions.update(_listed_versions(ev))
        _set(ev, None)
    elif ((requested := _version_refused(ev, kind)) and (known := st.conn_versions | listed_versions)
          and requested not in known and "IKEv1/2" not in known):
        # pluto found no connection for the peer's request of one IKE version, and the log shows it added its
        # connections with the other version only ("added IKEv1 connection"), or its status listing shows only
        # that version: the versions differ.
        ev.values["ike_requested"] = requested
        ev.values["conn_versions"] = "/".join(sorted(known))
        ev.category, ev.weight = "ike_version_mismatch", "decisive"
    elif (kind == "ike_version_mismatch" and (requested := _version_refused(ev, kind))
          and (known := st.conn_versions | listed_versions) and known <= {requested, "IKEv1/2"}
          and not own_versions(ev) - {requested}):
        # ... but every connection the log shows this side added (or lists) allows the very version the peer asked
        # for: the version is not what differs. pluto picks the connection for an IKE_SA_INIT by the two addresses,
        # so none of them is for this peer's address (a right= that is not the address the packets come from, or
        # the connection meant for the peer not loaded): the peer's identity is not one this side knows.
        ev.values["ike_requested"] = requested
        ev.values["conn_versions"] = "/".join(sorted(known))
        ev.values["conn_for_version"] = True
        ev.category, ev.weight = "auth_failure", "decisive"
    elif (kind == "ike_version_mismatch" and ev.weak and ev.values.get("version") and (
            sent := own_versions(ev))
          and ev.values["version"] not in sent):
        # ... or it sends its own requests of the other version to the same address (see _own_versions).
        ev.values["ike_requested"] = ev.values["version"]
        ev.values["ike_sent"] = "/".join(sorted(sent))
        ev.category, ev.weight = "ike_version_mismatch", "decisive"
    elif kind == "peer_repeats":
        # (IKEv1's message ID 0 is phase 1's: a paste that starts after Main Mode began still says so)
        if ev.pattern == FIRST_MESSAGE_REPEATED:
            _set(ev, None)  # the peer repeats its first message: read with the first replies (_first_replies_unanswered)
        elif not st.ike_up and (st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") or (
                st.exchange is None and "with ID 0," in ev.text)):
            # RFC 2409: Main Mode's fifth message is the first encrypted one. A peer that answers it with its
            # fourth message again did not accept it (it could not decrypt or verify it): the keys differ.
            st.v1_repeat = st.v1_repeat or ev
            _set(ev, "auth_failure", "context")
            for earlier in st.retransmits:  # the peer got them: it is reachable
                _set(earlier, "auth_failure", "context")
            st.retransmits.clear()
        else:
            _set(ev, None)
    elif kind == "operator_down":
        st.operator_down = True
        _set(ev, None)
    elif kind == "redirect":
        st.redirected = True
        if (redirected := _serial_of(ev.text)) is not None:
            st.redirected_serials.add(redirected)
        _set(ev, None)
    elif kind == "rekey_failed" and ev.weak and ev.sa == "child" and _superseded(ev, st):
        # charon closes an IKEv1 CHILD_SA it already rekeyed when that SA's lifetime ends ("closing expired
        # CHILD_SA net{1}" after net{2} was established: charon.delete_rekeyed is off by default, the old SA
        # stays for traffic still in flight). A newer SA of the same name carries the traffic: nothing failed.
        _set(ev, None)
    elif kind == "rekey_failed" and ev.weak and ev.pattern == "swan-child-sa-hard-expired" and (
            "recreate" in ev.text or _expired_unreplaced(ev, st)):
        # The CHILD_SA that expired is the newest of its name this log shows up: it reached its hard lifetime
        # without a replacement, so traffic stopped until it was set up again. charon queues that recreate only
        # for such an SA (child_delete.c; an IKEv2 SA it rekeyed is deleted by the rekey, not by its expiry).
        # The rekey failed earlier or is off: setting it up again does not undo the gap.
        ev.category, ev.weight = "rekey_issue", "decisive"
        ev.values["expired_unreplaced"] = True
    elif (kind == "rekey_failed" and ev.pattern == "swan-install-failed" and st.ike_up and not st.child_up
          and not st.rekeying and not st.create_child_seen):
        # The kernel refused the SA or policies of a Child SA set up with the IKE SA (IKE_AUTH), no Child SA up
        # before it and no CREATE_CHILD_SA in view: a first Child SA, nothing rekeyed. What it conflicts with
        # (another policy, the route to the peer itself) is this host's own setup, not a rekey.
        _set(ev, None)
    elif kind == "rekey_failed" and st.operator_down:
        # The operator took the connection down: the peer's messages for the SAs deleted on that command
        # ("Informational Exchange is for an unknown (expired?) SA", INVALID_SPI) find nothing. Expected.
        _set(ev, None)
    elif kind == "rekey_failed" and ev.weak and ev.pattern == "lib-sa-expired" and (
            first := st.retransmitted.get(_serial_of(ev.text) or -1)) and not st.redirected and not st.operator_down:
        # pluto says "(LATEST!)" of an SA that was still the connection's newest when it expired: nothing replaced
        # it. Its own request was being sent again, unanswered, until then: the rekey (or reauthentication) that
        # starts before the lifetime ends never got an answer, and the SA reached its end.
        ev.category, ev.weight = "rekey_issue", "decisive"
        ev.values["expired_unanswered"] = first
    elif kind == "rekey_failed" and ev.weak and st.redirected and ev.sa != "child":
        # pluto follows a REDIRECT (RFC 5685) by expiring the IKE SA it leaves behind ("IKE SA expired
        # (LATEST!)"): the old SA was dropped on purpose, no rekey failed.
        st.redirected = False
        _set(ev, None)
    elif kind == "bgp_neighbor":
        st.bgp_listing_up = False  # a new neighbor's block: its own state line says whether it is up
        _set(ev, None)
    elif kind == "bgp_up":
        st.operator_down = False  # (a session up after the operator's command: what fails next is not its doing)
        downs = st.bgp_downs.get(bgp_peer(ev), []) if bgp_peer(ev) else []
        if (len(downs) == 1 and (first := downs[0][0]).stamp is not None and ev.stamp is not None
                and 0 <= ev.stamp - first.stamp <= BGP_SETUP_RESET_S
                and downs[0][1] in ("peer_closed", "no_afi_activated")):
            # The neighbor's only down so far, a connection reset without a NOTIFICATION (the other connection
            # of a collision closed, RFC 4271 section 6.8) or FRR bringing the neighbor up before its address
            # family (configuration still loading), and the session up within seconds: how a session was set
            # up, not a fault. A second down of the same neighbor stays a flap.
            _set(first, "bgp_down", "context")
        st.bgp_listing_up = bool(_BGP_STATE.search(ev.text))
        st.bgp_up.add(bgp_peer(ev))
        st.bgp_collisions.pop(bgp_peer(ev), None)
        if bgp_peer(ev):
            st.bgp_on_purpose -= {bgp_peer(ev), ""}
        else:
            st.bgp_on_purpose.clear()
        _set(ev, "bgp_down", "context")
    elif kind == "bgp_down" and (_LAST_NOTIFICATION.match(ev.text) or _LAST_RESET.match(ev.text) and (
            st.bgp_listing_up or bgp.read(ev.text).get("bgp_reason") in bgp.ON_PURPOSE)):
        # "show ip bgp neighbors": the last reset of a session the same listing shows established now is
        # history, no current fault; an operator's reset or a configuration change, however long ago, says
        # nothing about the session now either (the state line does); nor does the last NOTIFICATION or error
        # (IOS-XR, FortiOS, Junos), which may be older than the last reset
        _set(ev, "bgp_down", "context")
    elif kind == "bgp_down":
        if _BGP_STATE.search(ev.text):
            st.bgp_listing_up = False
        reason = bgp.read(ev.text).get("bgp_reason")  # read once per line: the facts reuse it
        if reason == "collision" and "Down" not in ev.text:
            # RFC 4271 section 6.8: both speakers opened a connection at once and one of the two is closed with
            # Cease / Connection Collision Resolution; the session goes on over the other, whether the paste
            # shows it up or not. (A "Down" line says the session itself went down.) Unless it keeps happening
            # to a neighbor that is never up: then no connection survives and the session does not come up.
            peer = bgp_peer(ev)
            seen = st.bgp_collisions.setdefault(peer, [])
            seen.append(ev)
            if len(seen) >= BGP_COLLISION_LOOP and not ({peer, ""} & st.bgp_up):
                if len(seen) == BGP_COLLISION_LOOP:
                    st.bgp_collision_loops.append(seen)
                for e in seen if len(seen) == BGP_COLLISION_LOOP else (ev,):
                    _set(e, "bgp_down", "decisive")
            else:
                _set(ev, None)
            return kind, True
        if st.operator_down and reason not in bgp.FAULTS:
            # The operator shut an interface or the neighbor, cleared the session, or took the tunnel down in
            # the same terminal session: the session goes down because of it. A fault named after it still counts.
            _set(ev, "bgp_down", "context")
            return kind, True
        if reason == "bad_peer_as" and not ev.tree_node:
            ev.tree_node = "tunnel-down/d-bgp-asn"
        # An operator reset or shut the session (RFC 4486 Cease subcodes 2-4), a configuration change reset it,
        # or the TCP connection did not come up yet (a daemon retries while its peer starts): a cause only if
        # the session stays down. The lines that follow such a reset without a reason of their own (FRR's
        # "[FSM] Receive_NOTIFICATION_message", "Down BGP Notification received") are the same reset.
        # Per neighbor: an AWS VPN has two, and one's reset does not explain the other's outage.
        peer = bgp_peer(ev)
        on_purpose = reason in bgp.ON_PURPOSE
        if on_purpose:
            st.bgp_on_purpose.add(peer)
        elif reason not in (None, "notification", "peer_closed") and reason not in bgp.CONNECTING:
            st.bgp_on_purpose.discard(peer)
        reset_before = bool(st.bgp_on_purpose) if not peer else bool({peer, ""} & st.bgp_on_purpose)
        weak = on_purpose or reason in bgp.CONNECTING or (
            reset_before and reason in (None, "notification", "peer_closed")
        )
        _set(ev, "bgp_down", "weak" if weak else "decisive")
        if peer:
            st.bgp_downs.setdefault(peer, []).append((ev, reason))
    elif kind == "nat_or_fragments":
        st.nat_or_frag = True
        if size := ev.values.get("bytes"):
            st.large_sent = int(size)
        _set(ev, "nat_t_or_fragmentation", "context")
    elif kind == "dpd_dead" and st.rekey_trouble and not st.dpd_pending:
        # The liveness action pluto takes when the rekey exchange timed out: a consequence of the rekey.
        _set(ev, "rekey_issue", "context")
    elif kind == "dpd_dead" and st.rekeying and st.rekey_waiting and ev.fmt == "libreswan" and not st.dpd_pending:
        # pluto 3.x/4.x take the liveness action whenever the established IKE SA's request times out; with a
        # rekey sent and never answered (and no liveness probe of its own in view), that request was the rekey
        # (IKEv2 keeps one request outstanding, RFC 7296 section 2.3): also without the timeout line before it.
        _set(ev, "rekey_issue")
    elif kind == "ts_unacceptable" and ev.weak and (st.rekeying or st.proposal_flaw or st.rare_transform):
        # A daemon's guess from a Quick Mode left unanswered: when the Quick Mode replaced an SA that
        # was up, the selectors were accepted before, so the rekey failed; when the offer carries a key
        # length its algorithm does not have, the peer refused the proposal.
        _set(ev, "rekey_issue" if st.rekeying else "phase2_proposal_mismatch")
        if st.rekeying and ev.values.get("abandoned"):
            st.rekey_unanswered = True  # (pluto gave up on the rekey's Quick Mode: nothing answered it)
        if st.proposal_flaw and not st.rekeying:
            ev.values.setdefault("algorithms", st.proposal_flaw)
            ev.values["invalid_key_length"] = st.proposal_flaw
        elif st.rare_transform and not st.rekeying:
            ev.values["transforms"] = st.rare_transform
    elif kind == "ts_unacceptable" and ev.weak and ev.values.get("guess") and (
            ev.exchange == "QUICK_MODE" or st.remote_access):
        # pluto's "No acceptable response to our first Quick Mode message: perhaps peer likes no proposal"
        _set(ev, _quick_mode_guess(ev, st), "weak")
    elif kind == "ts_unacceptable" and ev.values.get("abandoned"):
        # An exchange dropped while still waiting for its answer, with nothing in the offer or a rekey to say
        # why: no cause to name from it alone.
        _set(ev, None)
    elif kind == "ts_unacceptable" and not ev.weak and not st.rekeying and _child_replaced(ev, st):
        # IKEv2: the Child SA is up over an IKE SA that is up, and the refusal comes in a later exchange (a
        # CREATE_CHILD_SA, or a line that names none: the IKE_AUTH that carried the Child SA is over). Unless the
        # exchange says it adds a Child SA, it replaces the one that is up (RFC 7296 section 2.8), which the
        # peer accepted with these selectors before: the rekey fails.
        _set(ev, "rekey_issue")
    elif kind == "ts_unacceptable" and (st.rekeying or ev.values.get("rekey_refused")) and not ev.weak:
        # The peer refuses the selectors of an exchange that replaces a Child SA it accepted with those
        # selectors before (RFC 7296 section 2.8: a rekey carries the SA's traffic selectors again):
        # the rekey fails, typically because one side narrowed the selectors when the SA was created.
        _set(ev, "rekey_issue")
    elif (kind == "auth_failed" and ev.kind == "notify" and ev.direction == "received" and not st.ike_up and (
            # (or pluto's state waits for the answer to Aggressive Mode's first message: AGGR_I1)
            st.am_unanswered or ev.values.get("pluto_state") == "AGGR_I1")):
        # RFC 2409 section 5.4: Aggressive Mode's first message carries SA, KE, nonce and ID, no HASH. A peer that
        # answers it with AUTHENTICATION_FAILED has checked no pre-shared key: it refuses Aggressive Mode itself
        # (a Main Mode-only peer: AWS accepts Main Mode only; strongSwan refuses Aggressive Mode with PSK unless
        # told otherwise) or the identity in it.
        ev.values["am_first_refused"] = True
        _set(ev, "ike_mode_mismatch")
    elif kind == "auth_failed" and ev.direction != "received" and _serial_of(ev.text) in st.crossed:
        # pluto refuses the peer's IKE_AUTH that crossed its own (both sides initiated at once, ikev2_auth.c
        # check_simultaneous_ike_auth): one IKE SA is kept, the refusal is how the other is dropped.
        _set(ev, None)
    elif (kind == "auth_failed" and ev.values.get("guess") and st.cert_sent and st.v1_encrypted
          and not st.ike_up and not st.answered_phase1_with_info):
        # pluto's "Possible authentication failure: no acceptable response to our first encrypted message"
        # when that message (MI3) carried this side's certificate and the peer said nothing at all. A peer that
        # cannot verify a certificate or an identity answers MI3 with a notification (INVALID_ID_INFORMATION,
        # INVALID_KEY_INFORMATION: libreswan's test suite, every certificate refusal); a certificate makes MI3
        # larger than one IP packet, and silence after the small messages were answered is lost fragments.
        ev.values["cert_sent"] = True
        _set(ev, "nat_t_or_fragmentation", "weak")
    elif kind == "auth_failed" and (ev.weak or ev.values.get("guess")) and st.child_refused:
        # A daemon's guess ("possible authentication failure") after the peer already refused the Child
        # SA in the same IKE_AUTH: the IKE SA authenticated, the refusal is the cause and this its echo.
        _set(ev, "auth_failure", "context")
    elif kind == "ike_mode_mismatch" and ev.pattern == "swan-none-allows-mode" and ev.values.get("exchange") == "Main":
        # charon's phase1.c skips a connection whose authentication method or whose Aggressive Mode setting differs
        # from the request. The peer asked in Main Mode, which a connection refuses only when it is set to
        # Aggressive Mode (not the default): the authentication method is the likelier difference (a pre-shared
        # key against certificates or XAuth). The reading names both.
        _set(ev, "auth_failure")
    elif kind in KIND_CATEGORY:
        if kind in ("rekey_failed", "rekey_collision"):
            st.rekey_trouble = True
        if kind == "auth_failed" and ev.kind == "notify" and ev.direction == "received":
            _note_refusal(ev, st)
        elif kind == "auth_failed" and ev.fmt == "libreswan":
            ev.values["own_complaint"] = True
            # pluto's own complaint about the peer's credentials: when the same state is established after it
            # (the IKE SA of IKEv2's IKE_AUTH too), a policy let it pass ("connection allows unmatched IKE ID").
            # Also when no line before it names the exchange: pluto's console prints the complaint and the state's
            # establishment without the exchanges (libreswan 4's test ikev2-x509-32-id-any).
            _note_refusal(ev, st, ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT", "IKE_AUTH", None))
        if kind in ("ts_unacceptable", "ipsec_mode_mismatch") and not st.rekeying:
            st.child_refused = True
        _set(ev, KIND_CATEGORY[kind])
    else:
        _set(ev, None)
    return kind, False
