"""NOTIFICATION error codes and subcodes (RFC 4271 section 4.5 and the RFCs that add to it), and the reasons a
session goes down, in the order a reader weighs them."""

from __future__ import annotations

from lab.i18n import M, Msg

# RFC 4271 section 4.5 error codes, RFC 9687 (8); subcodes of RFC 4271 6.1-6.3, RFC 4486 / RFC 9384 (Cease),
# RFC 6608 (FSM), RFC 9234 (Role Mismatch); UPDATE subcode 7 is deprecated but still logged by older daemons.
NOTIFICATION_CODES = {
    1: "Message Header Error",
    2: "OPEN Message Error",
    3: "UPDATE Message Error",
    4: "Hold Timer Expired",
    5: "Finite State Machine Error",
    6: "Cease",
    7: "ROUTE-REFRESH Message Error",
    8: "Send Hold Timer Expired",
}
NOTIFICATION_SUBCODES = {
    (1, 1): "Connection Not Synchronized",
    (1, 2): "Bad Message Length",
    (1, 3): "Bad Message Type",
    (2, 1): "Unsupported Version Number",
    (2, 2): "Bad Peer AS",
    (2, 3): "Bad BGP Identifier",
    (2, 4): "Unsupported Optional Parameter",
    (2, 5): "Authentication Failure",
    (2, 6): "Unacceptable Hold Time",
    (2, 7): "Unsupported Capability",
    (2, 11): "Role Mismatch",
    (3, 1): "Malformed Attribute List",
    (3, 2): "Unrecognized Well-known Attribute",
    (3, 3): "Missing Well-known Attribute",
    (3, 4): "Attribute Flags Error",
    (3, 5): "Attribute Length Error",
    (3, 6): "Invalid ORIGIN Attribute",
    (3, 7): "AS Routing Loop",
    (3, 8): "Invalid NEXT_HOP Attribute",
    (3, 9): "Optional Attribute Error",
    (3, 10): "Invalid Network Field",
    (3, 11): "Malformed AS_PATH",
    (5, 1): "Unexpected Message in OpenSent State",
    (5, 2): "Unexpected Message in OpenConfirm State",
    (5, 3): "Unexpected Message in Established State",
    (6, 1): "Maximum Number of Prefixes Reached",
    (6, 2): "Administrative Shutdown",
    (6, 3): "Peer De-configured",
    (6, 4): "Administrative Reset",
    (6, 5): "Connection Rejected",
    (6, 6): "Other Configuration Change",
    (6, 7): "Connection Collision Resolution",
    (6, 8): "Out of Resources",
    (6, 9): "Hard Reset",
    (6, 10): "BFD Down",
}

# The reason a session went down, as one key (the finding's `bgp_reason` fact; `--json` gives the key), and the
# words the page, the text output and the report show for it.
REASON_WORDS: dict[str, Msg] = {
    # OPEN error 2/2: the ASN in the OPEN is not the one configured for the neighbor
    "bad_peer_as": M("AS number mismatch (OPEN error: bad peer AS)"),
    # another OPEN error: router ID, hold time, capability, authentication, role
    "open_error": M("OPEN message refused"),
    # Cease 6/3 or 6/5, "not configured", "unconfigured neighbor": one side lacks the neighbor
    "peer_not_configured": M("Neighbor not configured on one side"),
    # the peer closed the TCP connection right after this side's OPEN
    "peer_closed_after_open": M("The peer closed the connection right after this side's OPEN"),
    # no KEEPALIVE/UPDATE within the hold time (notification 4, or the daemon's own timer)
    "hold_timer_expired": M("Hold timer expired"),
    # the peer stopped reading what this side sends (RFC 9687, FRR SendQ)
    "send_hold_timer_expired": M("Send hold timer expired (the peer stopped reading)"),
    # FRR shut the session down itself: its round-trip time exceeded `neighbor X shutdown rtt`
    "rtt_exceeded": M("Round-trip time above the configured limit"),
    # FRR: the neighbor has no address family activated here, so no session can run
    "no_afi_activated": M("No address family activated for the neighbor"),
    # FRR's RFC 8212 check (bgp ebgp-requires-policy): no inbound or outbound policy, so no routes are exchanged
    "no_policy": M("No import or export policy for the eBGP neighbor (RFC 8212): routes dropped"),
    # RFC 7606: an UPDATE with an attribute this side cannot parse; its routes are treated as withdrawn, the session stays
    "treat_as_withdraw": M("An UPDATE's routes treated as withdrawn (an attribute that could not be parsed, RFC 7606)"),
    # TCP 179 refused (RST): nothing listens, or the peer refuses this address
    "connection_refused": M("TCP port 179 connection refused"),
    # TCP 179 not answered (timeout, no route)
    "connect_failed": M("TCP port 179 connection not answered"),
    # this side cannot use its own address for the session: a socket it cannot bind (the address is
    # not on this host, or another BGP speaker holds it and port 179), no next hop of its own (FRR nexthop_set)
    "local_address": M("This side cannot use its own address for the session"),
    # the session goes through the states before Established (a GoBGP peer-state event) only
    "never_established": M("The session never reached Established"),
    # the peer closed or reset the established TCP connection
    "peer_closed": M("The peer closed or reset the TCP connection"),
    # an operator reset the session (Cease 6/4, "User reset", clear ip bgp)
    "admin_reset": M("Administrative reset (an operator's doing)"),
    # an operator shut the neighbor down (Cease 6/2, "Admin. shutdown")
    "admin_shutdown": M("Administrative shutdown (an operator's doing)"),
    # Cease 6/6 and the daemons' "... changed" reasons: a configuration change reset it
    "config_change": M("Configuration change"),
    # Cease 6/1: more prefixes than the configured limit
    "max_prefix": M("Maximum number of prefixes reached"),
    # Cease 6/7: two connections at once, one closed (normal)
    "collision": M("Connection collision resolution (normal)"),
    # the session dropped while graceful restart (RFC 4724) keeps the neighbor's routes: the
    # neighbor restarted, or (GoBGP names any read/write failure or hold timer expiry so when GR is on) it broke
    "graceful_restart": M("Graceful restart (the neighbor's routes are kept meanwhile)"),
    # ... and it did not come back within the restart time it announced
    "restart_timeout": M("The neighbor did not return within its graceful restart time"),
    # the interface or the path to the neighbor went away
    "interface_down": M("The interface or path to the neighbor went down"),
    # BFD declared the neighbor down
    "bfd_down": M("BFD declared the neighbor down"),
    # TCP MD5 / TCP-AO digest missing or wrong
    "tcp_auth": M("TCP MD5 or TCP-AO authentication missing or wrong"),
    # UPDATE error (code 3): a malformed route or attribute
    "update_error": M("Malformed UPDATE (a route or an attribute)"),
    # a message the daemon could not parse (code 1, MSGDUMP)
    "message_error": M("A message the daemon could not parse"),
    # code 5: a message in the wrong state
    "fsm_error": M("A message in the wrong state (FSM error)"),
    # a NOTIFICATION whose code the line does not give, or a code that names no particular reason (Cease 6/0)
    "notification": M("A NOTIFICATION that names no particular reason (or whose code the line does not give)"),
    # the BGP daemon itself crashed (FRR lib/sigevent.c: "Received signal 11 ... aborting"): every session drops
    "daemon_crash": M("The BGP daemon crashed"),
    # FRR's bgpd could not bind its TCP port (another program holds it) and exited (bgpd/bgp_network.c bgp_socket)
    "listen_failed": M("The BGP daemon could not listen on its TCP port and exited"),
}
REASONS = tuple(REASON_WORDS)
# Reasons that are an operator's doing: when the session comes back up afterwards there is nothing to fix.
ON_PURPOSE = frozenset({"admin_reset", "admin_shutdown", "config_change", "collision"})
# Reasons that only say the TCP connection did not come up: a daemon retries them all the time while its peer
# is still starting, so they are a cause only when the session never comes up.
CONNECTING = frozenset({"connection_refused", "connect_failed", "never_established"})
# Reasons that are a configuration mismatch between the two sides (ASN, addresses, OPEN parameters).
MISMATCH = frozenset({"bad_peer_as", "open_error", "peer_not_configured", "peer_closed_after_open", "tcp_auth"})
# Reasons that name a fault of their own, whatever the operator did just before (a refused OPEN after a clear).
FAULTS = MISMATCH | {"hold_timer_expired", "send_hold_timer_expired", "max_prefix", "update_error", "message_error",
                     "fsm_error", "restart_timeout", "local_address", "rtt_exceeded", "no_afi_activated", "no_policy",
                     "treat_as_withdraw", "daemon_crash", "listen_failed"}
# Reasons where the session stays up and routes are what is missing: shown with the category's `no_routes_title`,
# and led to the no-traffic tree's policy diagnosis, not to "Why BGP is down".
NO_ROUTES = frozenset({"no_policy", "treat_as_withdraw"})
# Which reason names the cause best when one paste shows several (a bad OPEN first, the Down line that follows).
PRIORITY = (
    # (a side that says it has no address family activated explains the other side's connection closed after its OPEN)
    "daemon_crash", "listen_failed", "bad_peer_as", "open_error", "peer_not_configured", "tcp_auth", "no_afi_activated",
    "peer_closed_after_open", "no_policy", "treat_as_withdraw", "hold_timer_expired", "send_hold_timer_expired",
    "rtt_exceeded", "max_prefix", "bfd_down", "interface_down", "restart_timeout",
    "update_error", "message_error", "fsm_error", "local_address", "peer_closed", "connection_refused", "connect_failed",
    "never_established", "config_change", "admin_shutdown", "admin_reset", "graceful_restart", "collision", "notification",
)

_CODE_REASON = {1: "message_error", 2: "open_error", 3: "update_error", 4: "hold_timer_expired", 5: "fsm_error",
                7: "message_error", 8: "send_hold_timer_expired"}
_CEASE_REASON = {1: "max_prefix", 2: "admin_shutdown", 3: "peer_not_configured", 4: "admin_reset",
                 5: "peer_not_configured", 6: "config_change", 7: "collision", 8: "notification", 10: "bfd_down"}
