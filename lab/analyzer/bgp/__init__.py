"""What a BGP line says about why a session went down: the reason as a fact.

The vendor patterns (`lab/data/patterns/45-bgp.yaml`) turn a BGP daemon's line into a `bgp_down` or `bgp_up`
event; here the line is read for the reason the daemon gives, whatever its wording: a NOTIFICATION's error
code and subcode (RFC 4271 section 4.5, Cease subcodes of RFC 4486 and RFC 9384, Send Hold Timer of RFC 9687)
and who sent it, the OPEN's AS numbers, a TCP connection refused or closed by the peer, an operator's reset.
The wordings come from the daemons' own message tables: FRR `bgpd/bgp_debug.c` (bgp_notify_*_msg) and
`bgpd/bgp_fsm.c` (peer_down_str), BIRD `proto/bgp/packets.c` (bgp_msg_table), OpenBGPD `bgpd.h`
(errnames, suberr_*_names), Junos rpd and Cisco IOS `%BGP-3-NOTIFICATION` text, GoBGP's peer-down reasons.
"""

from __future__ import annotations

from lab.analyzer.bgp.codes import (
    CONNECTING,
    FAULTS,
    MISMATCH,
    NO_ROUTES,
    NOTIFICATION_CODES,
    NOTIFICATION_SUBCODES,
    ON_PURPOSE,
    PRIORITY,
    REASON_WORDS,
    REASONS,
)
from lab.analyzer.bgp.reading import (
    DAEMON_STOP,
    DELETED_ON_STOP,
    ORPHANED,
    best,
    hard_reset_inner,
    meaning,
    notification_of,
    read,
    reason_of,
)

__all__ = [
    "CONNECTING",
    "DAEMON_STOP",
    "DELETED_ON_STOP",
    "FAULTS",
    "MISMATCH",
    "NOTIFICATION_CODES",
    "NOTIFICATION_SUBCODES",
    "NO_ROUTES",
    "ON_PURPOSE",
    "ORPHANED",
    "PRIORITY",
    "REASONS",
    "REASON_WORDS",
    "best",
    "hard_reset_inner",
    "meaning",
    "notification_of",
    "read",
    "reason_of",
]
