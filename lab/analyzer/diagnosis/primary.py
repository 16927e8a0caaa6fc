"""The primary diagnosis: the rules applied in an engineer's order to the classified, ordered events."""

from __future__ import annotations

import functools
from collections.abc import Callable

from lab.analyzer.diagnosis.bgp_cause import _bgp_graceful, _bgp_primary, _bgp_recovery
from lab.analyzer.diagnosis.causes import CONFIG_STAGES, _primary, categories
from lab.analyzer.diagnosis.config import _config_primary
from lab.analyzer.diagnosis.kernel import kernel_primary
from lab.analyzer.diagnosis.liveness import _liveness_primary
from lab.analyzer.diagnosis.readings import _also, _echo, _title, line_meaning
from lab.analyzer.diagnosis.recovery import (
    _CHILD_GUESSES,
    _after_refused_rekey,
    _collision_resolved,
    _later,
    _rekey_trouble_start,
    recovered_first_attempt,
    relisted_older,
    same_tunnel,
    stray_esp,
    stray_probes,
    tunnel_peers,
)
from lab.analyzer.diagnosis.rekeys import _rekey_primary
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    tunnel_name,
)
from lab.i18n import D, M, Mn, Msg

# Lines where this side found no connection for the addresses a tunnel was asked for: pluto's acquire.c ("no routed
# template covers this pair"), racoon's isakmp.c ("no configuration found for").
_NO_CONNECTION_FOR_PAIR = frozenset({"lib-no-template-covers-pair", "rac-no-remote-config"})

# Lines that name their own NAT-T or fragmentation cause: (pattern, summary, what the line says and what to do).
_OWN_NAT_READINGS: tuple[tuple[str, Msg, Callable[[int], list[Msg]]], ...] = (
    # pluto ikev1.c: a fragment for no state is dropped; libreswan commit 738701a8 (forced fragmentation also
    # fragmented the first Main Mode message, which the peer then ignored)
    ("lib-v1-fragment-without-state",
     M("The peer fragments its first IKE message, which this side cannot put together: fragmentation."),
     lambda line: [
         M("Line {line}: an IKE fragment arrived for no state of this side: the peer sent its first Main Mode "
           "message in IKE fragments (fragmentation forced on its side), and a first message cannot be put "
           "together before a state exists, so this side ignored it and never answered.", line=line),
         M("Let the peer fragment only when a message does not fit (libreswan: fragmentation=yes rather than "
           "force; the vendor's IKE fragmentation setting)."),
     ]),
    # pluto's demux.c / iface_udp.c: ESP in UDP and NAT-T keepalives are the kernel's, never pluto's
    ("lib-esp-in-udp-reaches-pluto",
     M("ESP in UDP port 4500 reaches the IKE daemon instead of the kernel: NAT traversal is not in place for the IPsec "
       "SAs."),
     lambda line: [
         M("Line {line}: a packet on UDP port 4500 without the Non-ESP marker (ESP in UDP) or a 1-byte NAT-T "
           "keepalive reached pluto, which dropped it. The kernel's ESP-in-UDP layer takes those before they "
           "reach pluto: here it did not, so the traffic the peer sends through the tunnel is lost.", line=line),
         M("Check that this host's kernel supports ESP in UDP (NAT-T) and that both sides agree on NAT "
           "traversal (UDP 4500) for the IPsec SAs; restarting the IPsec service after a kernel or module "
           "change sets the encapsulation up again."),
     ]),
)


def diagnose(events: list[Event]) -> Primary | None:
    """The primary cause from classified, ordered events (see `lab.analyzer.protocol.classify`)."""
    cats: dict[str, list[Event]] = {}
    peers = functools.cache(lambda: tunnel_peers(events))  # (the peer of each line's tunnel, read once if needed)
    stray = {id(e) for e in (*stray_esp(events), *stray_probes(events))}
    for ev in events:
        if ev.category and ev.weight == "decisive" and id(ev) not in stray:
            cats.setdefault(ev.category, []).append(ev)
    if not cats:
        for ev in events:
            if ev.category and ev.weight == "weak" and id(ev) not in stray:
                cats.setdefault(ev.category, []).append(ev)
        if "bgp_down" in cats and all(map(_bgp_recovery(events), cats["bgp_down"])):
            del cats["bgp_down"]  # reset on purpose (or not connected yet) and back up: nothing to fix
        for cat in [c for c in cats if c != "bgp_down"]:
            # a guess about a Child SA holds until a Child SA comes up; an IKE SA set up again does not answer it
            last = cats[cat][-1]
            if any(e.kind == "established" and (e.sa == "child" or cat not in _CHILD_GUESSES) and _later(e, last)
                   and same_tunnel(e, last, peers()) and not relisted_older(e, last) for e in events):
                del cats[cat]  # only a daemon's guess, and the tunnel came up again after it: nothing to fix
    if "bgp_down" in cats and all(map(_bgp_graceful(events), cats["bgp_down"])):
        del cats["bgp_down"]  # the neighbor restarts gracefully (RFC 4724), its routes kept: nothing is down yet
    if _collision_resolved(events, cats.get("rekey_issue", [])):
        del cats["rekey_issue"]
    if not cats or recovered_first_attempt(events, peers()) is not None:
        return None
    context: dict[str, list[Event]] = {}
    for ev in events:
        if ev.category and id(ev) not in stray:
            context.setdefault(ev.category, []).append(ev)
    established = [e for e in events if e.kind == "established"]
    # the refusals that setting an SA up again met after its refused rekey (see _after_refused_rekey)
    again = sorted((e for stage in _after_refused_rekey(cats) for e in cats.pop(stage)), key=lambda e: e.order)

    if "kernel_sa_install" in cats and not any(e.order < cats["kernel_sa_install"][0].order
                                               for stage in CONFIG_STAGES for e in cats.get(stage, ())):
        # this host's kernel refused the SA the negotiation agreed on: what this side refused or sent after it
        # follows from it. (A setting that differed before it, a mode this side ignored, is read first: the SA the
        # kernel refused was not the one the peer asked for, and that is fixed in the configuration either way.)
        done, primary = kernel_primary(cats, context, events, peers)
        if done:
            return primary
        if not cats:
            return None
    # A notify type is a refusal's verdict, not its reason (NO_PROPOSAL_CHOSEN is also what a responder sends when
    # no connection matches the peer's addresses). When the paste also holds a side's own reading of a refusal
    # (both peers' logs, or a side that says why it refused), that reading names the cause: the notifies both
    # sides print about it are its echo, not a second cause.
    first_hand = {stage for stage in CONFIG_STAGES if any(not _echo(e) for e in cats.get(stage, ()))}
    done, primary = _config_primary(cats, context, established, events, first_hand)
    if done:
        return primary

    if "nat_t_or_fragmentation" in cats:
        evs = cats["nat_t_or_fragmentation"]
        waited = next((e for e in evs if e.values.get("responder_waited")), None)
        if waited is not None:
            reasoning = [
                M("Line {line}: this side answered the peer's IKE_SA_INIT and found NAT between the peers, then the "
                  "peer's IKE_AUTH never came. With NAT the initiator sends it to UDP 4500: UDP 4500 is blocked or "
                  "changed on the path while UDP 500 passes, or its fragments are dropped.", line=waited.line),
            ] + _also(cats, "nat_t_or_fragmentation")
        else:
            reasoning = [
                M("Line {line}: the peer answered the first exchange, then the next messages were lost "
                  "or refused: NAT-T or fragmentation (large IKE_AUTH messages, UDP 4500, IP fragments dropped).",
                  line=evs[0].line),
            ] + _also(cats, "nat_t_or_fragmentation")
        if moved := next((e for e in evs if e.values.get("moved_to_4500")), None):
            reasoning.insert(1, M(
                "This side sent IKE_SA_INIT to UDP 500 and, having detected NAT, its IKE_AUTH to UDP 4500 (RFC 7296 "
                "section 2.23); the answers stopped at line {line}. Check that UDP 4500 passes in both directions "
                "(firewalls, security groups, the NAT device) and that the peer has NAT traversal on.", line=moved.line))
        if cert := next((e for e in evs if e.values.get("cert_sent")), None):
            reasoning = [
                M("Line {line}: the peer answered Main Mode's first two exchanges, then never answered this side's "
                  "third message, which carried its certificate, and sent no notification either. A peer that cannot "
                  "verify a certificate or an identity says so (INVALID_ID_INFORMATION, INVALID_KEY_INFORMATION); "
                  "silence after the small messages were answered means the large one was lost: a certificate makes "
                  "it larger than one IP packet, so it leaves as IP fragments, which firewalls and NAT devices often "
                  "drop. With NAT traversal it is also the first message sent to UDP 4500.", line=cert.line),
                M("Turn on IKE fragmentation on both sides (libreswan: fragmentation=yes; the vendor's IKEv1 "
                  "fragmentation), send a shorter certificate chain, or let IP fragments and UDP 4500 through."),
            ] + _also(cats, "nat_t_or_fragmentation")
        if big := next((e for e in evs if e.values.get("packet_bytes")), None):
            reasoning.insert(1, M(
                "The message that went unanswered was {bytes} bytes, more than one 1500-byte IP packet holds, so it left "
                "as IP fragments, while the smaller messages before it were answered: the path drops fragments. Turn "
                "on IKE fragmentation on both sides (RFC 7383 for IKEv2; the vendor's IKEv1 fragmentation) or send a "
                "shorter certificate chain.", bytes=big.values["packet_bytes"]))
        summary = M("IKE messages are lost after the first exchange: NAT traversal or fragmentation.")
        for pattern, own_summary, said in _OWN_NAT_READINGS:
            if own := next((e for e in evs if e.pattern == pattern), None):
                summary, reasoning = own_summary, [*said(own.line), *_also(cats, "nat_t_or_fragmentation")]
                break
        return _primary(
            "nat_t_or_fragmentation",
            summary,
            reasoning,
            context["nat_t_or_fragmentation"],
        )

    declined = [e for e in cats.get("cgw_not_initiating", ()) if e.kind != "ike_ignored"]
    if up := [e for e in declined if (name := tunnel_name(e)) and any(
            u.order > e.order and tunnel_name(u) == name and same_tunnel(u, e, peers()) for u in established)]:
        # this side declined to start IKE (a connection with no peer address: pluto's "cannot initiate connection
        # without knowing peer IP address"), and the same connection came up after it all the same (started with the
        # peer's address given, or by the peer): nothing left to fix. (A line that names no connection, pluto's "no
        # routed template covers this pair", is about traffic no connection covers: another tunnel up says nothing.)
        cats["cgw_not_initiating"] = [e for e in cats["cgw_not_initiating"] if e not in up]
        if not cats["cgw_not_initiating"]:
            del cats["cgw_not_initiating"]
        if not cats:
            return None
    ignored = [e for e in cats.get("cgw_not_initiating", ()) if e.kind == "ike_ignored"]
    if ignored and any(e.order > ignored[-1].order for e in established):
        # a tunnel set up after the requests this side ignored: the policy was added meanwhile, nothing left of it
        if rest := [e for e in cats["cgw_not_initiating"] if e.kind != "ike_ignored"]:
            cats["cgw_not_initiating"] = rest
        else:
            del cats["cgw_not_initiating"]
        if not cats:
            return None
    elif ignored:
        # (FortiGate: "ignoring IKEv2 request, no policy configured") this side read the peer's request and dropped it
        # because of its own configuration: the peer's silence that follows is this side's, not the path's
        reasoning = [
            M("Line {line}: the peer started IKE and this side dropped its request without an answer ({times}): no "
              "firewall policy uses the tunnel interface, and FortiGate negotiates a tunnel only when a policy lets "
              "traffic through it.", line=ignored[0].line, times=Mn("{n} time", "{n} times", len(ignored))),
            M("The peer sees no answer at all, as if UDP 500 were blocked; the path works. Add the firewall policies "
              "that allow traffic to and from the tunnel interface (both directions), then let the peer start IKE "
              "again."),
        ]
        reasoning += _also(cats, "cgw_not_initiating")
        return _primary("cgw_not_initiating", M("This side ignores the peer's IKE: no firewall policy uses the tunnel, "
                                                "so to the peer nobody answers."), reasoning, ignored)

    liveness = {c: cats[c] for c in ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable") if c in cats}
    # A rekey that failed (refused, unanswered, SAs out of step) before the peer went quiet or deleted the SA is
    # the cause: the timeouts, DPD and deletes after it are what a failed rekey leads to. (A collision is
    # resolved by the protocol: it does not take precedence.)
    rekey_failure = next((e for e in cats.get("rekey_issue", ()) if e.kind != "rekey_collision"), None)
    # (both peers' logs pasted: the failure line comes late, after the retransmissions, so the peer's delete or DPD
    # that the rekey led to may bear an earlier time; before it in the paste, or before it in time, within the hour
    # of one incident, when the peer's log was pasted first)
    trouble = _rekey_trouble_start(events, rekey_failure) if rekey_failure is not None else None
    rekey_first = rekey_failure is not None and bool(liveness) and all(
        rekey_failure.order < evs[0].order or any(
            _later(evs[0], since) and evs[0].stamp is not None and since.stamp is not None
            and evs[0].stamp - since.stamp <= 3600 for since in (rekey_failure, trouble) if since is not None
        ) for evs in liveness.values()
    )
    done, primary = _liveness_primary(cats, context, established, events, liveness, rekey_first, peers)
    if done:
        return primary

    done, primary = _rekey_primary(again, cats, context, events, liveness, rekey_failure, rekey_first, trouble)
    if done:
        return primary

    if declined := [e for e in cats.get("cgw_not_initiating", ()) if e.kind != "ike_ignored"]:
        # (fact sheet 1.5: with startup action add, the default, the customer gateway must initiate IKE; AWS
        # initiates only with startup action start, and only with IKEv2)
        evs = declined
        reasons = {str(e.values.get("reason") or "") for e in evs}
        reasoning = [M("Line {line}: this side was asked to bring the tunnel up and declined without sending anything "
                       "to the peer ({times}).", line=evs[0].line, times=Mn("{n} time", "{n} times", len(evs)))]
        if "gateway is in passive mode" in reasons:
            reasoning.append(M("The phase 1 is in passive mode: it only answers a peer that starts IKE. Turn passive "
                               "mode off on the customer gateway (FortiGate: set passive-mode disable on the phase 1 "
                               "interface)."))
        if "no policy configured" in reasons:
            reasoning.append(M("No firewall policy uses the tunnel interface, so the customer gateway does not start "
                               "the tunnel: add the policies that allow traffic to and from the tunnel interface."))
        if any(e.pattern in ("lib-initiate-no-peer-address", "swan-initiate-to-any") for e in evs):
            reasoning.append(M("The connection names no peer address (right=%any, or remote_addrs = %any in "
                               "swanctl.conf: a connection that only answers peers), so this side cannot start IKE for "
                               "it; only the peer can. For a site-to-site tunnel, set the peer's address in the "
                               "connection (right=, remote_addrs)."))
        if any(e.pattern in _NO_CONNECTION_FOR_PAIR for e in evs):
            reasoning.append(M("No connection of this side covers the two addresses the tunnel was asked for (the "
                               "traffic's or the operator's): its configuration has no tunnel for them, so it starts "
                               "none. Check that a loaded connection's local and remote subnets (libreswan: leftsubnet "
                               "and rightsubnet, routed with auto=route or start; racoon: a remote section for the "
                               "peer) cover both addresses."))
        reasoning.append(M("With the tunnel's startup action add (the default) AWS waits for the customer gateway to "
                           "start IKE, so nobody starts it and the tunnel stays down. With IKEv2 the startup action "
                           "start makes AWS initiate instead."))
        reasoning += _also(cats, "cgw_not_initiating")
        return _primary("cgw_not_initiating", M("The customer gateway declines to start IKE, and AWS waits for it: "
                                                "nobody brings the tunnel up."),
                        reasoning, context["cgw_not_initiating"])
    if "bgp_down" in cats:
        return _bgp_primary(cats["bgp_down"], context["bgp_down"], events)
    chosen = min(cats, key=lambda c: cats[c][0].order)
    evs = cats[chosen]
    title = D("category.title", categories()[chosen].title)
    meaning = line_meaning(evs[0])  # (no reading of its own: what the line means, in its pattern's words)
    return _primary(chosen, M("{title}.", title=title),
                    [M("Line {line}: {title}.", line=evs[0].line, title=_title(chosen)),
                     *([meaning] if meaning is not None else [])] + _also(cats, chosen),
                    context[chosen])
