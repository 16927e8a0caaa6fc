"""The protocol layer: what an IKE/BGP event means, read in the order the events happened.

Vendor patterns (`lab.analyzer.patterns`) turn lines into `Event`s: the exchange, the notify type
(RFC 7296 section 3.10.1 and RFC 2408 section 3.14.1 names), the direction, the SA kind, retransmits,
DPD probes and answers, Deletes, BGP state changes. Here the events are put in order (a newest-first
paste is reversed, two logs pasted one after the other are told apart) and read per stream with a
small state machine per peer: the same NO_PROPOSAL_CHOSEN is a phase 1 failure in IKE_SA_INIT or Main
Mode, and a phase 2 failure in IKE_AUTH's Child SA part, CREATE_CHILD_SA or Quick Mode; a retransmit
after a DPD probe is a dead peer, after IKE_SA_INIT an unreachable one.
"""

from __future__ import annotations

from lab.analyzer.protocol.algorithms import (
    DH_NAMES,
    algorithms_in,
    key_length_flaw,
    pfs_groups,
    proposal_list,
    rare_transform,
)
from lab.analyzer.protocol.deletes import daemon_crashes, daemon_stops
from lab.analyzer.protocol.events import MONTHS, Event, host_of, stamp_kind, stamp_of
from lab.analyzer.protocol.exchanges import adds_child
from lab.analyzer.protocol.facts import FACT_LABELS, cidrs_in, fact_rows, facts_of, name_value
from lab.analyzer.protocol.meaning import (
    INFO_EXCHANGES,
    KIND_CATEGORY,
    NOTIFY_MEANING,
    bgp_listing_line,
    bgp_peer,
    reason_meaning,
    same_bgp_peer,
)
from lab.analyzer.protocol.names import IKEV1_EXCHANGES, exchange_name, exchange_words, notify_name
from lab.analyzer.protocol.ordering import order_votes, pluto_peer, put_in_order
from lab.analyzer.protocol.reading import classify
from lab.analyzer.protocol.sa_state import LISTING_PATTERNS
from lab.analyzer.protocol.streams import conn_of, tunnel_name
from lab.analyzer.protocol.versions import version_of

__all__ = [
    "DH_NAMES",
    "Event",
    "FACT_LABELS",
    "IKEV1_EXCHANGES",
    "INFO_EXCHANGES",
    "KIND_CATEGORY",
    "LISTING_PATTERNS",
    "MONTHS",
    "NOTIFY_MEANING",
    "adds_child",
    "algorithms_in",
    "bgp_listing_line",
    "bgp_peer",
    "cidrs_in",
    "classify",
    "daemon_crashes",
    "daemon_stops",
    "conn_of",
    "exchange_name",
    "exchange_words",
    "fact_rows",
    "facts_of",
    "host_of",
    "key_length_flaw",
    "name_value",
    "notify_name",
    "order_votes",
    "pfs_groups",
    "pluto_peer",
    "proposal_list",
    "put_in_order",
    "rare_transform",
    "reason_meaning",
    "same_bgp_peer",
    "stamp_kind",
    "stamp_of",
    "tunnel_name",
    "version_of",
]
