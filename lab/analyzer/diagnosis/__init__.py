"""The primary diagnosis: the most likely root cause, reasoned from the order of protocol events.

Events arrive classified by the protocol layer (`lab.analyzer.protocol`), in the order they happened.
Rules, in the order an engineer would apply them (AWS's own order is IKE -> IPsec -> tunnel -> BGP):
1. A configuration failure proves the peer answers, so it wins over any timeout or retransmit: the
   earliest failing stage of the negotiation (IKE version/mode, phase 1 proposal, authentication,
   traffic selectors, IPsec mode, phase 2 proposal). Retransmits after a refusal are its consequence.
   Messages lost after the peer answered the first exchange point at NAT-T or fragmentation.
2. Otherwise the earliest liveness event decides: the customer gateway's Delete for the IKE_SA
   (did anyone set the tunnel up again afterwards?), or a DPD timeout (a reachability problem until
   the log shows the peer alive again), or unanswered negotiation (reachability).
3. Then rekey collisions; BGP only when IKE and IPsec show no failure (BGP rides on the tunnel).
A daemon's guess (a weak event) counts only when nothing firmer is seen, and not at all when an SA
of the same tunnel was established after it: the tunnel recovered and there is nothing to fix (another
connection's or another peer's SA coming up answers nothing: see `same_tunnel`).
"""

from __future__ import annotations

from lab.analyzer.diagnosis.bgp_reasons import BGP_TREE_NODES
from lab.analyzer.diagnosis.causes import categories, category_title, findings_of
from lab.analyzer.diagnosis.details import (
    chain_scope,
    with_certificate,
    with_identity,
    with_peer,
    with_selectors,
)
from lab.analyzer.diagnosis.primary import diagnose
from lab.analyzer.diagnosis.recovery import (
    answered_retransmission,
    bgp_connection_collision,
    bgp_graceful_restart,
    bgp_recovered,
    established_after,
    recovered_first_attempt,
    refused_then_timed_out,
    refused_unprocessed,
    resolved_collision,
    stray_esp,
    stray_probes,
    unmatched_esp,
)

__all__ = [
    "BGP_TREE_NODES",
    "answered_retransmission",
    "bgp_connection_collision",
    "bgp_graceful_restart",
    "bgp_recovered",
    "categories",
    "category_title",
    "chain_scope",
    "diagnose",
    "established_after",
    "findings_of",
    "recovered_first_attempt",
    "refused_then_timed_out",
    "refused_unprocessed",
    "resolved_collision",
    "stray_esp",
    "stray_probes",
    "unmatched_esp",
    "with_certificate",
    "with_identity",
    "with_peer",
    "with_selectors",
]
