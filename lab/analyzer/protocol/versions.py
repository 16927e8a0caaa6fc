"""The IKE version of a negotiation and of its answer: a peer answering in the other major version."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.names import CHILD_EXCHANGES, IKEV1_EXCHANGES
from lab.analyzer.protocol.streams import conn_of

IKEV2_EXCHANGES = {"IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "INFORMATIONAL"}
_FIRST_EXCHANGES = {"IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE"}


def version_of(ev: Event) -> int | None:
    """The IKE major version of the message a line is about: what the pattern says, else its exchange."""
    if ev.ike:
        return ev.ike
    if ev.exchange in IKEV1_EXCHANGES:
        return 1
    if ev.exchange in IKEV2_EXCHANGES:
        return 2
    return None


_FIRST_I1 = re.compile(r"\b(?:STATE_)?(?:MAIN|AGGR|PARENT)_I1\b|\bsent v2I1\b")


def first_request_version(ev: Event) -> int | None:
    """The IKE version of a first-exchange request this side starts (IKE_SA_INIT, Main or Aggressive Mode)."""
    if ev.kind == "initiate" and ev.sa != "child" and ev.exchange not in CHILD_EXCHANGES:
        return version_of(ev) or (1 if ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") else None)
    if ev.kind == "exchange" and ev.direction == "sent" and ev.exchange in _FIRST_EXCHANGES and (
        " request" in ev.text or _FIRST_I1.search(ev.text)
    ):
        return version_of(ev)
    return None


_V1_UP = re.compile(r"\bSTATE_(?:MAIN|AGGR)_[IR]\d\b|\bISAKMP SA\b|\bMain Mode IKE_SA\b")
_V2_UP = re.compile(r"\bSTATE_PARENT_[IR]\d\b|\bPARENT SA\b|\b(?:initiator|responder) established IKE SA\b")


def _established_version(ev: Event) -> int | None:
    """The IKE version of an IKE SA an established line names (pluto's IKEv1 STATE_MAIN_I4 / "ISAKMP SA" against
    IKEv2's PARENT SA / "IKE SA"), when it says."""
    if (version := version_of(ev)) is not None:
        return version
    return 1 if _V1_UP.search(ev.text) else 2 if _V2_UP.search(ev.text) else None


def _version_answers(events: list[Event]) -> None:
    """Two readings that only the order of one stream's events gives, both meaning that the peer speaks the other
    IKE major version (RFC 7296 section 2.5; RFC 2408 section 3.1):
    - a first-exchange request of one version answered with a message of the other (an IKEv1 notify such as
      NO_PROPOSAL_CHOSEN in answer to IKE_SA_INIT: an IKEv1-only peer; an IKEv2 INFORMATIONAL to Main Mode);
    - a first exchange of one version refused by the peer, then the same connection falls back to the other
      version (libreswan 3.x ikev2=permit: "next attempt will be IKEv1") and the peer answers that one: the
      refusal was the peer not accepting the first version, not its proposals.
    Silence is neither: a peer that drops the other version says nothing, which is also what an unreachable peer
    does."""
    pending: dict[int, tuple[int, str]] = {}  # stream -> (version of this side's first request, its connection)
    failed: dict[int, tuple[int, str, list[Event]]] = {}  # stream -> (version refused or ignored, connection, events)
    fallbacks: list[tuple[Event, int, str]] = []  # (the answer in the other version, the version that failed, conn)
    up: list[tuple[int, int, int]] = []  # (stream, order, version) of the IKE SAs established
    for ev in events:
        if (version := first_request_version(ev)) is not None:
            pending[ev.stream] = (version, conn_of(ev))
            continue
        mine = pending.get(ev.stream)
        if mine is None:
            continue  # nothing asked yet
        conn = conn_of(ev)
        if conn and mine[1] and conn != mine[1]:
            continue  # another connection of the same daemon
        if ev.kind == "established" and ev.sa != "child":
            pending.pop(ev.stream, None)
            mine = (_established_version(ev) or mine[0], mine[1])
            up.append((ev.stream, ev.order, mine[0]))
        answered = ev.direction == "received" and ev.kind in ("exchange", "notify", "no_proposal", "proposals")
        explicit = version_of(ev)
        if explicit is not None and explicit != mine[0]:
            # Only an error notify answers a first exchange in the other version: a whole exchange, a liveness
            # check or a message protected by an SA (IKEv1 HASH) belongs to another negotiation of the daemon.
            if answered and ev.kind in ("notify", "no_proposal") and ev.notify not in ("R_U_THERE", "R_U_THERE_ACK") and (
                "HASH" not in str(ev.values.get("notify") or "") and "[ HASH" not in ev.text
            ):
                ev.category, ev.weight = "ike_version_mismatch", "decisive"
                ev.values["ike_sent"] = f"IKEv{mine[0]}"
                ev.values["ike_answered"] = f"IKEv{explicit}"
            continue
        if ev.weight == "decisive" and ev.category in ("phase1_proposal_mismatch", "ike_version_mismatch", "peer_unreachable") and (
            ev.kind in ("notify", "no_proposal", "retransmit", "give_up")
        ):
            # The first exchange refused by the peer, or left without an answer.
            same = ev.stream in failed and failed[ev.stream][0] == mine[0] and failed[ev.stream][1] == mine[1]
            failed[ev.stream] = (mine[0], mine[1], (failed[ev.stream][2] if same else []) + [ev])
            continue
        earlier = failed.get(ev.stream)
        if earlier is not None and earlier[0] != mine[0] and (answered or ev.kind == "established") and (
            not (earlier[1] and mine[1]) or earlier[1] == mine[1]
        ):
            fallbacks.append((ev, earlier[0], earlier[1]))
            del failed[ev.stream]
    for ev, version, conn in fallbacks:
        if any(stream == ev.stream and order > ev.order and v == version for stream, order, v in up):
            continue  # the first version came up later after all: the peer speaks it
        failures = [e for e in events if e.stream == ev.stream and e.order < ev.order and e.weight == "decisive"
                    and e.category in ("phase1_proposal_mismatch", "ike_version_mismatch", "peer_unreachable")
                    and conn_of(e) in ("", conn)]
        for e in failures:
            e.category, e.weight = "ike_version_mismatch", "context"
        # The peer refused or ignored the first version and answers the other one: it speaks only the other one
        # (it is reachable, and its proposals were never compared).
        ev.category, ev.weight = "ike_version_mismatch", "decisive"
        ev.values["ike_refused"] = f"IKEv{version}"
        ev.values["ike_answered"] = f"IKEv{3 - version}"
