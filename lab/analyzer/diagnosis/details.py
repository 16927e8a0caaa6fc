"""What a finding adds from the lines around it: the peer, the identities and the traffic selectors."""

from __future__ import annotations

import dataclasses
import re

from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    cidrs_in,
    conn_of,
    name_value,
    pluto_peer,
)

# Lines whose address is not always the peer's: the kernel's expiry of an SA names the SA's destination, which is
# this side's own address for an inbound SA.
_NOT_THE_PEER = frozenset({"swan-kernel-rekey-job"})


# pluto names an instance of a connection (a responder's, or one an opportunistic or road-warrior template made for
# one peer) by the peer's address after its number: "east"[1] 192.1.3.209 #1: ...
_PLUTO_INSTANCE = re.compile(r'"[^"]+"\[\d+\] (?:\.\.\.)?(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F]+)(?= #\d|:)')


# Cisco ASA names the IKE peer of a tunnel's messages after the message id: "%ASA-5-713119: Group = 77.88.99.100,
# IP = 77.88.99.100, PHASE 1 COMPLETED" (the tunnel group, the user for remote access, then the peer's address).
_ASA_PEER = re.compile(r"%(?:ASA|FTD)-(?:[a-z]+-)?\d-\d+: (?:Group = [^,]+, )?(?:Username = [^,]+, )?IP = ([0-9a-fA-FxX*.:]+),")


def _pluto_instance_peer(ev: Event) -> str:
    m = _PLUTO_INSTANCE.search(ev.text) if ev.fmt == "libreswan" else None
    return m.group(1) if m else ""


def chain_scope(primary: Primary, events: list[Event]) -> tuple[list[Event], set[int], set[str]]:
    """The events the primary's chain rests on, the logs (streams) they are in and the connections they name: where
    the steps below look for a fact the chain's own lines do not say."""
    orders = {f.order for f in primary.chain}
    chain = [e for e in events if e.order in orders]
    return chain, {e.stream for e in chain}, {name for e in chain if (name := conn_of(e))}


def with_peer(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the peer's address among its facts when the lines it rests on do not name it, from the other
    lines of the same log about the same connection that name the address an IKE SA is set up with (charon's
    "initiating IKE_SA gw[1] to 203.0.113.10", "203.0.113.10 is initiating an IKE_SA", "IKE_SA gw[1] established
    between ...", pluto's "initiating IKEv2 connection to", "sent IKE_SA_INIT request to"). Only when those lines
    name exactly one address: a gateway's log holds its other tunnels too, and a two-sided paste the other peer's
    log (each side's lines are read apart)."""
    if primary is None or primary.category == "bgp_down" or primary.facts.get("peer"):
        return primary
    _chain, streams, names = chain_scope(primary, events)
    found: set[str] = set()
    for e in events:  # (a long log has many: the cheap tests first)
        if e.stream not in streams or e.pattern in _NOT_THE_PEER:
            continue
        peer = name_value(e.values["peer"]) if e.values.get("peer") else ""
        if not peer and e.fmt == "libreswan":
            peer = (state := pluto_peer(e)) and state[1] or _pluto_instance_peer(e)
        elif not peer and ("%ASA-" in e.text or "%FTD-" in e.text) and (asa := _ASA_PEER.search(e.text)):
            peer = asa.group(1)
        if peer and not (names and (name := conn_of(e)) and name not in names):
            found.add(peer)
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "peer": found.pop()})


def with_identity(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the identity the peer sent among its facts when it names an authentication failure and its own
    lines do not say it, from the line where this side read that identity (pluto's "Peer ID is FQDN: '@east'",
    charon's "looking for peer configs matching ...192.0.2.1[@east]") about the same connection in the same log;
    only when those lines name one identity."""
    if primary is None or primary.category != "auth_failure" or primary.facts.get("id_sent"):
        return primary
    _chain, streams, names = chain_scope(primary, events)
    found = {name_value(e.values["id_sent"]) for e in events
             if e.kind == "identity" and e.stream in streams and e.values.get("id_sent")
             and not (names and (name := conn_of(e)) and name not in names)}
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "id_sent": found.pop()})


_PLUTO_SERIALS = re.compile(r"#(\d+)\b")


def with_selectors(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the traffic selectors this side offered among its facts when it names a refusal of them and
    its own lines do not say them, from pluto's request that offered them ("sent IKE_AUTH request ... Child SA #2
    {ESP ...} [192.0.1.0/24===192.0.2.0/24]", "sent CREATE_CHILD_SA request to create Child SA ... [...]"): the one
    request whose state numbers (the IKE SA's, the Child SA's) the refusal's lines name, in the same log."""
    if primary is None or primary.category != "traffic_selector_mismatch" or primary.facts.get("ts_offered"):
        return primary
    chain, streams, _names = chain_scope(primary, events)
    serials = {n for e in chain if e.fmt == "libreswan" for n in _PLUTO_SERIALS.findall(e.text)}
    found = {str(e.values["ts_offered"]) for e in events
             if e.fmt == "libreswan" and e.stream in streams and e.values.get("ts_offered") and e.direction == "sent"
             and serials & set(_PLUTO_SERIALS.findall(e.text))}
    offered = cidrs_in(found.pop()) if len(found) == 1 else []
    return dataclasses.replace(primary, facts={**primary.facts, "ts_offered": offered}) if offered else primary
