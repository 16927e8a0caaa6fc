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

import re
from functools import lru_cache
from typing import Any

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
    # a NOTIFICATION whose code the line does not give
    "notification": M("A NOTIFICATION whose code the line does not give"),
    # the BGP daemon itself crashed (FRR lib/sigevent.c: "Received signal 11 ... aborting"): every session drops
    "daemon_crash": M("The BGP daemon crashed"),
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
                     "treat_as_withdraw", "daemon_crash"}
# Reasons where the session stays up and routes are what is missing: shown with the category's `no_routes_title`,
# and led to the no-traffic tree's policy diagnosis, not to "Why BGP is down".
NO_ROUTES = frozenset({"no_policy", "treat_as_withdraw"})
# Which reason names the cause best when one paste shows several (a bad OPEN first, the Down line that follows).
PRIORITY = (
    "daemon_crash", "bad_peer_as", "open_error", "peer_not_configured", "tcp_auth", "peer_closed_after_open",
    "no_afi_activated", "no_policy", "treat_as_withdraw", "hold_timer_expired", "send_hold_timer_expired",
    "rtt_exceeded", "max_prefix", "bfd_down", "interface_down", "restart_timeout",
    "update_error", "message_error", "fsm_error", "local_address", "peer_closed", "connection_refused", "connect_failed",
    "never_established", "config_change", "admin_shutdown", "admin_reset", "graceful_restart", "collision", "notification",
)

_CODE_REASON = {1: "message_error", 2: "open_error", 3: "update_error", 4: "hold_timer_expired", 5: "fsm_error",
                7: "message_error", 8: "send_hold_timer_expired"}
_CEASE_REASON = {1: "max_prefix", 2: "admin_shutdown", 3: "peer_not_configured", 4: "admin_reset",
                 5: "peer_not_configured", 6: "config_change", 7: "collision", 8: "notification", 10: "bfd_down"}
# Cease 6/9 Hard Reset (RFC 8538 section 3) is not an operator's reset: it wraps the NOTIFICATION that would have
# been sent without graceful restart, whose code and subcode are the first two octets of its data
# ("6/9 (Cease/Hard Reset) 2 bytes 0601": Cease / Maximum Number of Prefixes Reached).

# "4/0", "2/2" after NOTIFICATION (Cisco, FRR, Arista); "code 6 (Cease) subcode 5" (Junos); "Code=4 ... Subcode=0"
# (GoBGP); "notification code 0x0400" (MetalLB: code and subcode in one hex word).
_SLASH = re.compile(r"(?i:NOTIFICATION)[^/]{0,80}?(?<![\w.:])(?P<code>[1-8])/(?P<sub>\d{1,3})\b")
# (GoBGP's peer-down reason glues the name to the number: "notification-sent code 6(cease) subcode 3(peer deconfigured)")
_JUNOS = re.compile(r"\bcode (?P<code>[1-8])\b(?: ?\([^)]*\))?(?: subcode (?P<sub>\d{1,3}))?")
# (GoBGP's JSON output: "Code":4 … "Subcode":0, in either logger's key order, Code first)
_GOBGP = re.compile(r'\bCode"?[=:](?P<code>[1-8])\b(?:[^\n]{0,200}?\bSubcode"?[=:](?P<sub>\d{1,3})\b)?')
# libbgp (src/bgp-fsm.cc): "BgpFsm::run: got NOTIFICATION: OPEN Message Error (2): Bad Peer AS (2)."
_LIBBGP = re.compile(r"got NOTIFICATION: [^()\n]{1,60} \((?P<code>[1-8])\): [^()\n]{0,80}\((?P<sub>\d{1,3})\)")
_EXABGP = re.compile(r"notification (?:sent|received) \((?P<code>[1-8]),(?P<sub>\d{1,3})\)")
# Huawei VRP's BGP/2/bgpBackwardTransNotification: "BgpPeerLastError=40" is code 4, subcode 0 (0 alone: no error).
_HUAWEI = re.compile(r"\bBgpPeerLastError=(?P<code>[1-8])(?P<sub>\d{1,2})\b")
# D-Link DxS (DGS-3620 Web UI Reference Guide, log entries BGP(3) and BGP(7); BGP-4-NOTIFYCLOSE on DGS-3630):
# "closed due to error (Code:<2> Subcode:<7> Field:<...> Peer:<IP>)", "closed due to Notify: Code 4 Subcode 0 (Peer:<IP>)"
_DLINK = re.compile(r"\bclosed due to (?:error \(|Notify: )Code:? ?<?(?P<code>[1-8])>? Subcode:? ?<?(?P<sub>\d{1,3})>?")
# BIRD 1.x's packet trace (proto/bgp/packets.c): "Sending NOTIFICATION(code=6.3)".
_BIRD_TRACE = re.compile(r"NOTIFICATION\(code=(?P<code>[1-8])\.(?P<sub>\d{1,3})\)")
# Juniper E-series (JunosE) bgpMessages: "Send NOTIFICATION message to peer X in core error-code = 3 (update message),
# error-subcode = 9 (optional attribute error)".
_ERX = re.compile(r"\berror-code = (?P<code>[1-8])\b[^\n]{0,80}?\berror-subcode = (?P<sub>\d{1,3})\b")
# FRR names the code and the subcode in words, joined by a slash (bgpd/bgp_debug.c bgp_notify_msg and its subcode
# tables), as in `show bgp neighbors`: "Last reset 00:00:31,  Notification sent (OPEN Message Error/Bad BGP Identifier)".
# (FRR's words are the RFC names above, but for the FSM error, which it calls "Neighbor Events Error" and whose subcodes
# it starts with "Receive ", and "Unspecific" for subcode 0.)
_FRR_CODES = {name.lower(): code for code, name in NOTIFICATION_CODES.items()} | {"neighbor events error": 5}
_FRR_SUBCODES = {(code, name.lower()): sub for (code, sub), name in NOTIFICATION_SUBCODES.items()}
_FRR_NAMED = re.compile(r"(?i)\b(?P<err>Message Header Error|OPEN Message Error|UPDATE Message Error|(?:Send )?Hold Timer "
                        r"Expired|Neighbor Events Error|Cease|ROUTE-REFRESH Message Error)/(?P<sub>[A-Za-z][\w -]{0,60}"
                        r"?[A-Za-z_])(?:/Hard Reset)?(?=\s*(?:\)|,|$))")
# OpenBGPD names the code and subcode in words (usr.sbin/bgpd/bgpd.h: errnames, suberr_*_names; logmsg.c
# log_notification: "neighbor ADDR (DESCR): sending notification: error in UPDATE message, AS-Path unacceptable").
_OPENBGPD_ERRORS: dict[str, tuple[int, tuple[str, ...]]] = {
    "header error": (1, ("none", "synchronization error", "wrong length", "unknown message type")),
    "error in open message": (2, ("none", "version mismatch", "as unacceptable", "bgpid invalid",
                                  "optional parameter error", "authentication error", "unacceptable holdtime",
                                  "unsupported capability", "", "", "", "role mismatch")),
    "error in update message": (3, ("none", "attribute list error", "unknown well-known attribute",
                                    "well-known attribute missing", "attribute flags error", "attribute length wrong",
                                    "origin unacceptable", "loop detected", "nexthop unacceptable",
                                    "optional attribute error", "network unacceptable", "as-path unacceptable")),
    "holdtimer expired": (4, ()),
    "finite state machine error": (5, ("unspecified error", "received unexpected message in opensent",
                                       "received unexpected message in openconfirm",
                                       "received unexpected message in established")),
    "cease": (6, ("none", "max-prefix exceeded", "administratively down", "peer unconfigured", "administrative reset",
                  "connection rejected", "other config change", "collision", "resource exhaustion", "hard reset")),
    "error in route-refresh message": (7, ("none", "invalid message length")),
}
_OPENBGPD_NOTE = re.compile(r"\b(?:received|sent|sending)(?: graceful| hard-reset)? notification: (?P<err>[^,\n]+?)"
                            r"(?:, (?P<sub>[^\n]+?))?\s*$")
_HARD_RESET_DATA = re.compile(r"\b6/9\b[^\n]{0,200}?\b\d{1,4} bytes? (?P<code>0[1-8])(?P<sub>[0-9A-Fa-f]{2})")
_HEX = re.compile(r"notification code 0x0(?P<code>[1-8])(?P<sub>[0-9a-fA-F]{2})\b")
# The data after the code: Cisco/FRR "2 bytes FDE8" (2/2: the AS number the OPEN carried); BIRD "Bad peer AS: 76118".
_DATA_ASN = re.compile(r"\b[1-8]/2\b[^\n]{0,200}?\b(?:2|4) bytes (?P<hex>[0-9A-Fa-f]{4}(?: ?[0-9A-Fa-f]{4})?)\b")
_DEC_ASN = re.compile(r"(?i)bad peer AS(?: number)?:? (?P<asn>\d+)|peer sent wrong AS (?P<asn2>\d+)|from AS (?P<asn3>\d+) found")
# An OPEN's AS in a Cisco MSGDUMP: marker, length, type 01, version 04, then the 2-octet AS.
_OPEN_DUMP = re.compile(r"FFFF FFFF\s+(?:[0-9A-F]{4}\s+){0,3}?[0-9A-F]{4}\s+01(?P<ver>04)\s+(?P<as>[0-9A-F]{4})\b")

# Wordings, tried in order (first match wins): the daemons' notification texts and down reasons.
_WORDS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I), reason)
    for rx, reason in (
        # GoBGP's peer state (api/gobgp.proto PeerState.DisconnectReason, since 2025; pkg/apiutil PeerState as agents
        # embedding GoBGP print it): why the session last went down
        (r"DISCONNECT_REASON_ADMIN_DOWN\b", "admin_shutdown"),
        (r"DISCONNECT_REASON_(?:READ|WRITE)_FAILED\b", "peer_closed"),
        (r"DISCONNECT_REASON_BAD_PEER_AS\b", "bad_peer_as"),
        (r"DISCONNECT_REASON_RESTART_TIMER_EXPIRED\b", "restart_timeout"),
        (r"DISCONNECT_REASON_GRACEFUL_RESTART\b", "graceful_restart"),
        (r"DISCONNECT_REASON_INVALID_MSG\b", "message_error"),
        (r"DISCONNECT_REASON_DECONFIGURED\b", "config_change"),
        (r"DISCONNECT_REASON_NOTIFICATION_(?:SENT|RECEIVED)\b", "notification"),
        (r"bad peer AS|peer in wrong AS|wrong AS|AS unacceptable|bad OPEN, remote AS|remote AS is \d+|"
         r"peer as mismatch|unexpected peer ASN|BADOPEN|bad-peer-as|as number mismatch|"
         # FRR bgp_open_receive: the AS4 capability disagrees with the neighbor's configured AS, or the AS is 0
         r"mismatch with 16bit 'myasn'|bad OPEN, got AS(?:4 capability, but AS4)? set to 0|"
         r"bad OPEN, remote AS is unspecified|"
         # FlapAlerted bgp/bgp.go: the AS of the neighbor's OPEN is not the one configured for it
         r"remote ASN \(\d+\) does not match", "bad_peer_as"),
        # FRR (bgpd.c PEER_DOWN_NOAFI_ACTIVATED): a neighbor with no address family activated ("no bgp default
        # ipv4-unicast" without "neighbor X activate")
        (r"No AFI/SAFI activated for peer|incoming conn rejected - no AF activated", "no_afi_activated"),
        # FRR bgp_attr.c / bgp_packet.c, RFC 7606 treat-as-withdraw: the session stays up, the UPDATE's routes do not
        (r"parse error - treating as withdrawal|rcvd UPDATE with errors in attr\(s\)", "treat_as_withdraw"),
        # FRR's RFC 8212 check (bgpd/bgp_route.c, doc/user/bgp.rst "bgp ebgp-requires-policy"): the warning, the
        # "(Policy)" of `show bgp summary` and the line of `show bgp neighbor`
        (r"EBGP (?:inbound|outbound|inbound/outbound) policy not properly setup|\(Policy\)|(?:Inbound|Outbound) updates discarded due "
         r"to missing policy", "no_policy"),
        (r"Bad BGP Identifier|BGPID invalid|wrong router identifier|Unacceptable Hold ?time|Unsupported Capability|"
         r"Unsupported Version|Unsupported Optional Parameter|Role Mismatch|Required capability missing|"
         r"No supported AFI/SAFI|Invalid OPEN message|OPEN Message Error|error in OPEN message|OpenFail|"
         r"Configured AFI/SAFIs do not overlap|router-id \S+ is the same as ours|BGP identifier is missing|"
         r"due missing BGP identifier|Router ID is missing|"  # (FRR bgpd/bgp_fsm.c peer_down_str PEER_DOWN_RID_MISSING)
         # libbgp src/bgp-fsm.cc openRecv; FlapAlerted bgp/bgp.go
         r"peer BGP ID \(\S+\) invalid|BgpFsm::openRecv: invalid hold timer|unacceptable peer hold time",
         "open_error"),
        # FRR lib/sigevent.c core_handler: the daemon caught a fatal signal and aborts
        (r"Received signal \d+ at \d+ \(si_addr[^)]*\); aborting|"
         # OpenBGPD (bgpd/log.c fatal()): one of its processes (SE, RDE, RTR) stopped on a fatal error, bgpd exits
         r"\bfatal in (?:SE|RDE|RTR): ", "daemon_crash"),
        # GoBGP pkg/server/server.go: the MD5 password could not be set on the listening socket
        (r"MD5 digest|TCP-AO|Authentication (?:failure|error)|Unable to set TCP MD5 option|MD5 auth|"
         r"failed to set md5\b|"
         # ExaBGP (reactor/network/tcp.py): the kernel has no TCP MD5 support
         r"does not support TCP_MD5SIG|"
         # BIRD's last error in show protocols (proto/bgp/bgp.h BEM_INVALID_AUTH: the kernel refused the MD5/AO request)
         r"\bError: Authentication failed\s*$", "tcp_auth"),
        # Graceful restart (RFC 4724): GoBGP's "graceful restart timer expired" (pkg/server/fsm.go) and BIRD's
        # "Neighbor graceful restart timeout" (proto/bgp/bgp.c) end a restart that did not come back; GoBGP's
        # peer-down reason "graceful-restart" and "peer graceful restart", FRR's "NSF peer closed the session"
        # (bgpd/bgp_fsm.c peer_down_str) and BIRD's "Neighbor graceful restart detected" start one.
        (r"graceful restart (?:timer expired|timeout)|"
         # OpenBGPD (bgpd/session.c session_graceful_stop): the neighbor's restart time ran out, its routes are flushed
         r"graceful restart of [\w ]+?, time-?out, flushing", "restart_timeout"),
        # FRR (bgpd/bgp_fsm.c): the neighbor's session dropped while it announced graceful restart, so its routes are
        # kept for the restart time ("graceful restart timer started for 120 sec")
        (r"\bReason\W{0,3}graceful-restart\b|NSF peer closed the session|\bpeer graceful restart\b|"
         r"graceful restart detected|graceful restart (?:stalepath )?timer started\b|"
         # OpenBGPD (bgpd/session.c session_graceful_restart): the neighbor restarts, its routes are kept as stale
         r"graceful restart of [\w ]+?, keeping routes", "graceful_restart"),
        (r"Send ?Hold ?Timer Expired|SendQ progress for 2 holdtimes|send-hold", "send_hold_timer_expired"),
        (r"(?<!idle-)hold[ _-]?tim(?:er|e)[ _-]?expired|holdtime expired|event HoldTime|Hold_Timer_expired|HoldTimer expired|"
         r"bgp_hold_timeout|(?<!idle-)hold-timer-expired|Hold Timer Expired Error|on event HOLD_TIMER\b|"
         # FRR's neighbor-events debug (bgpd/bgp_fsm.c bgp_fsm_holdtime_expire)
         r"\[FSM\] Hold timer expire for|"
         # Huawei VRP BGP/6/PEER_STATE_CHG: the event that moved the peer out of Established
         r"\bInputEvent=HOLD_TIMER\b", "hold_timer_expired"),
        (r"peer de-?configured|peer unconfigured|Connection Rejected|not configured|unconfigured neighbor|"
         r"no group for|connection from non-peer|connect from unknown address|"
         # GoBGP (pkg/server/server.go): a connection from an address with no neighbor configured here
         r"Can't find configuration for a new passive connection", "peer_not_configured"),
        (r"Maximum Number of Prefixes|max-prefix|prefix-limit|prefix count|event MaxPath\b|Prefix limit reached|"
         r"Route limit exceeded|MAXPFXEXCEED|maximum prefix limit was exceeded",
         "max_prefix"),
        (r"BFD", "bfd_down"),
        (r"Administrative Shutdown|Admin\. shutdown|administratively down|Neighbor is shutdown|admin-down|admin(?:istratively)? shut|"
         # OpenBGPD's parent stopping on purpose (bgpd.c main, as OpenBSD's daemons do: a SIGTERM, bgpctl)
         r"^(?:[^\n]*\bbgpd(?:\[\d+\])?: )?waiting for children to terminate\s*$|"
         # FRR's daemons stopping on a signal (lib/sigevent.c, bgpd/bgp_main.c sigint: a service stop or restart)
         r"\bTerminating on signal\b",
         "admin_shutdown"),
        # GoBGP's peer-down reasons for this side's own doing (pkg/server/fsm.go): "dying", the peer's FSM stopped
        # because gobgpd (or the agent embedding it: Cilium, kube-router, MetalLB) stops or removes the peer;
        # "deconfigured", the neighbor was removed from the configuration.
        (r"\bReason\W{0,3}dying\b", "admin_shutdown"),
        (r"\bReason\W{0,3}deconfigured\b", "config_change"),
        (r"Administrative Reset|User reset|clear ip bgp|AdminReset|BGP_Stop|reason: Stop\b|\(event Stop\)|"
         # Arista EOS's ADJCHANGE names the RFC 4271 FSM event: ManualStop (a shutdown or clear of the neighbor)
         r"\bevent (?:Manual)?Stop new state\b|"
         # Huawei VRP BGP/6/PEER_STATE_CHG: "STOP: interrupts a connection" (a reset or shutdown of the peer here)
         r"\bInputEvent=STOP\b", "admin_reset"),
        (r"Other Config(?:uration)? Change|config(?:uration)? change|(?:Router ID|Remote AS|Cluster ID|Capability) "
         r"changed|Local AS change|Confederation (?:identifier|peer) changed|Update source change|"
         r"Address family activated|Peer-group (?:add|delete) member|Suppress Fib|Password config change|"
         # FRR's PEER_DOWN_NEIGHBOR_DELETE: this side's operator removed the neighbor ("no neighbor ...")
         r"Neighbor deleted", "config_change"),
        # ExaBGP (lib/exabgp/reactor/peer.py, Interrupted): the neighbor's connection arrived while this side's
        # own was still opening; ExaBGP drops its own and carries on with the neighbor's (RFC 4271 section 6.8)
        (r"Connection Collision|\bcollision\b|connection received before we could fully establish one", "collision"),
        # Cisco IOS (neighbor fall-over, BGP next-hop tracking): the route to the neighbor left the routing table
        (r"Interface (?:down|flap)|Link down|Route to peer lost|\bIdle\(NoIf\)|Neighbor address lost|"
         r"No path to specified Neighbor|Waiting for peer address|Neighbor lost|Interface: \S+ does not have|"
         # BIRD's "Invalid next hop" (proto/bgp/bgp.c: "Invalid remote address", the session disabled)
         r"\bError: Invalid next hop\s*$|"
         # FRR's next-hop tracking has no route to the neighbor (bgpd/bgp_fsm.c; the failed summary's reason)
         r"\bWaiting for NHT\b", "interface_down"),
        (r"UPDATE Message Error|Invalid UPDATE|error in UPDATE|Malformed (?:attribute|AS_PATH)|"
         r"Update packet error|attribute (?:flags|length|list) error|illegal network|malformed BGP update message|"
         # GoBGP's UPDATE checks (pkg/packet/bgp/validate.go): an address family the session did not negotiate,
         # NLRI out of order, a malformed AS_PATH
         r"not available for this session|violate strict type ordering|AS PATH (?:header is short|length is not odd|"
         r"segment has zero AS count)|empty AS_PATH for confederation|unknown AS_PATH seg type|seg length is short|"
         r"segment type is not confederation seq|"
         # FRR bgpd/bgp_packet.c: an UPDATE it could not accept stopped the session
         r"BGP UPDATE receipt failed", "update_error"),
        (r"Finite State Machine|Neighbor Events Error|Unexpected message in|received unexpected message",
         "fsm_error"),
        (r"Message Header Error|Invalid message header|Bad Message (?:Length|Type)|mal-?formatted|"
         r"Connection not synchronized|inavlid-msg|invalid-msg|malformed BGP (?:Header|message)\b", "message_error"),
        # BIRD (sysdep/unix/io.c sk_log_error): "Mesh_10_0_5_102: Socket error: bind: Address not available"; FRR
        # (bgpd/bgp_network.c bgp_getsockname): "nexthop_set failed, ... resetting connection"; BIRD's "No listening
        # socket" (proto/bgp/bgp.c): it could not listen on TCP 179 here; kube-router's GoBGP server that cannot listen
        # ("listen tcp4 0.0.0.0:179: bind: address already in use")
        (r"Socket error: bind: |nexthop_set failed\b|Cannot assign requested address|No listening socket|"
         r"bind: address already in use|address family not supported by protocol", "local_address"),
        # calico/node's readiness check: BIRD has not established the session (it does not say why)
        (r"BGP not established with|Waiting for peer OPEN", "never_established"),
        (r"Connection refused", "connection_refused"),
        # GoBGP's peer-state event (api/gobgp.proto PeerState.SessionState) in a state before Established
        (r"\bsession_state:(?:IDLE|CONNECT|ACTIVE|OPENSENT|OPENCONFIRM)\b", "never_established"),
        # `gobgp neighbor` (cmd/gobgp/neighbor.go): "10.0.255.1 65001    never Idle(Admin) |        0        0"
        (r"\sIdle\(Admin\)\s+\|\s*\d+\s+\d+\s*$", "admin_shutdown"),
        (r"\sIdle\(PfxCt\)\s+\|\s*\d+\s+\d+\s*$", "max_prefix"),
        (r"\s(?:Active|Connect|Idle)\s+\|\s*\d+\s+\d+\s*$", "connect_failed"),
        (r"\s(?:Sent|Confirm)\s+\|\s*\d+\s+\d+\s*$", "never_established"),  # OPEN sent or confirmed, no further
        # show ip bgp summary, and FRR's JSON listings ('"state":"Idle (Admin)"'): the neighbor is shut down here, or
        # the prefix limit was exceeded
        (r"\bIdle \(Admin\)\"?,?\s*$", "admin_shutdown"),
        (r"\bIdle \(PfxCt\)\"?,?\s*$", "max_prefix"),
        # FRR's JSON listings (show bgp summary json: "state"; show bgp neighbors json: "bgpState")
        (r'"(?:bgpState|state)":\s*"(?:Active|Connect|Idle)"', "connect_failed"),
        (r'"(?:bgpState|state)":\s*"(?:OpenSent|OpenConfirm)"', "never_established"),
        # show ip bgp summary / show bgp summary: a state instead of the prefixes received (not established)
        (r"\s(?:never|\d[\dwdhms:]*)\s+(?:Active|Connect|Idle)\s*(?:\d+\s+N/A\s*|\d+(?:\s+[\w.-]+)?\s*)?(?:\s<\d{1,2}>\s*)?$",
         "connect_failed"),
        # the same listing with the session between OPENs: TCP is up, the OPEN exchange does not complete
        (r"\s(?:never|\d[\dwdhms:]*)\s+(?:OpenSent|OpenConfirm)\s*(?:\d+(?:\s+[\w.-]+)?\s*)?(?:\s<\d{1,2}>\s*)?$",
         "never_established"),
        # Cisco ASA / FTD 710005, 710003: the firewall dropped a BGP connection's packet addressed to itself
        (r"TCP (?:request discarded|access denied by ACL) from \S+ to \S+/(?:179|bgp)\b", "connect_failed"),
        (r"no route to peer|dial tcp [^\n]*:179: i/o timeout|Ignoring event BGP_Start in state (?:Connect|Active)\b|"
         r"\bconnection to \S+:179 failed\b|"  # (ExaBGP's outgoing connection)
         r"\[FSM\] Connect error for",  # (FRR's neighbor-events debug: the TCP connection to the neighbor failed)
         "connect_failed"),  # GoBGP: the TCP connect timed out
        # show ip bgp neighbors (Cisco, FRR) and birdc show protocols all (BIRD): not established
        (r"BGP state(?: =|:) *(?:Active|Connect|Idle)\b", "connect_failed"),
        (r"can't connect to \S+ fd -?\d+ : |Connection (?:open failed|timed out)|TCP_connection_open_failed|No route to host|"
         r"Network is unreachable|open failed|BGP_CONNECT_FAILED|Host is unreachable|ConnectRetry|CR Timer Expired|"
         # Nokia SR OS / SR Linux: back from Active or Connect, before any OPEN ("due to event TCP SOCKET ERROR")
         r"moved from higher state (?:ACTIVE|CONNECT) to lower state",
         "connect_failed"),
        (r"Peer closed the session|Peer closing down the session|\bevent Closed new state\b|Connection (?:closed|reset)|reset by peer|remote end closed|read-failed|"
         r"TCP_connection_closed|Connection lost|TransportError|BGP_IO_ERROR_CLOSE_SESSION|Socket Error|write-failed|"
         # ExaBGP 4.2 and 5.0 (reactor/network/connection.py): the TCP connection went away under the session
         r"closed by the remote end|lost the TCP connection|Broken TCP connection|issue reading on the socket|"
         r"lost TCP (?:session|connection) with peer|"
         # RFC 4271 Event 18 as Arista EOS names it ("old state Established event TcpConnectionFails new state Idle")
         r"\bevent TcpConnectionFails\b|"
         r"TCP_fatal_error|\bInputEvent=TCP_FAIL\b", "peer_closed"),
        # GoBGP's "hard-reset" (RFC 8538): a NOTIFICATION whose inner error the line does not give.
        # FlapAlerted (bgp/bgp.go): the neighbor answered the OPEN with a NOTIFICATION (message type 3)
        # MetalLB's native speaker (internal/bgp/native/messages.go): the answer to its OPEN was a NOTIFICATION
        (r"NOTIFICATION|RecvNotify|notification-(?:received|sent)|hard[ -]reset|unexpected message of type '3'|"
         r"peer reported an error|notification during open|message type is not OPEN, got 3\b", "notification"),
    )
)
# A state change that leaves OpenSent because the peer closed the connection (OpenBGPD, Junos, FRR): the peer
# dropped the session right after this side's OPEN.
_OPENSENT_CLOSED = re.compile(
    r"(?i)OpenSent ?(?:->| to ) ?(?:Active|Idle|Connect)\b[^\n]{0,200}?\b(?:Connection closed|TransportError|"
    r"TCP_connection_closed|reset by peer)|Connection closed[^\n]{0,200}?\bin OpenSent|"
    # GoBGP's "state changed" debug line (pkg/server/server.go): old=BGP_FSM_OPENSENT ... reason=read-failed
    r"\bold\W{1,3}BGP_FSM_OPENSENT\b[^\n]{0,200}?\breason\W{1,3}read-failed|"
    # Nokia SR OS / SR Linux (bgpBackwardTransNotification): the TCP connection broke while waiting for the peer's OPEN
    r"moved from higher state OPENSENT to lower state \w+ due to event TCP SOCKET ERROR|"
    # Arista EOS: RFC 4271 Event 18 (TcpConnectionFails) while waiting for the peer's OPEN
    r"old state OpenSent event TcpConnectionFails\b|"
    # Huawei VRP BGP/6/PEER_STATE_CHG: the TCP connection failed while waiting for the peer's OPEN
    r"PrevState=OPENSENT, CurrState=\w+, InputEvent=TCP_FAIL\b"
)
# FRR's automatic shutdown of a neighbor whose round-trip time stays over `neighbor X shutdown rtt` (bgp_packet.c,
# PEER_DOWN_RTT_SHUTDOWN in bgp_fsm.c): its log line, the reset reason it lists, and the shutdown message it sends.
_RTT = re.compile(r"Admin\. shutdown \(RTT\)|shutdown due to high round-trip-time")
_DIRECTION = re.compile(
    r"(?i)\b(?P<sent>sent to|sent (?:a )?notification|sending notification|notification sent|notification send|Sending NOTIFICATION|"
    r"notification-sent|\bSend Notification with|closed due to error \(Code)|(?P<received>received from|received (?:a )?notification|notification received|"
    r"peer sent notification|Received: |closed due to Notify: |notification-received|\bReceive Notification with|RecvNotify|got BGP notification|got NOTIFICATION|"
    r"unexpected message of type '3'|peer reported an error|notification during open|message type is not OPEN, got 3\b)"
)
# This side's own prefix limit tripped by what the neighbor sent (IOS/Quagga "%BGP-3-MAXPFXEXCEED: No. of prefix
# received from X ...: N exceed limit M", Junos "BGP_CEASE_PREFIX_LIMIT_EXCEEDED: ... Shutting down peer"): "received"
# there is about the prefixes, and the NOTIFICATION closing the session is this side's.
_OWN_PREFIX_LIMIT = re.compile(r"MAXPFXEXCEED|Shutting down peer due to exceeding configured maximum prefix-limit"
                               r"|AWS-side peer detected the maximum prefix limit was exceeded"
                               # GoBGP (pkg/server/peer.go, server.go): its own count went over the limit
                               r"|\bmsg\W{1,3}prefix limit reached\b|Administrative shutdown\(Prefix limit reached\)")
# BIRD's own notification line: "<proto>: Error: Hold timer expired" is the one BIRD sent, "Received: ..." the
# peer's (proto/bgp/packets.c bgp_log_error).
_BIRD = re.compile(r"(?<=[\w-]): (?P<dir>Error|Received): ")
_STATE = re.compile(
    r"(?i)(?:from |went from |state change |old state |\()(?P<from>Idle|Connect|Active|OpenSent|OpenConfirm|Established)"
    r"(?: event \w+ new state | ?-> ?| to )(?P<to>Idle|Connect|Active|OpenSent|OpenConfirm|Established|Clearing)\b"
)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


# A NOTIFICATION's code and subcode named by the OpenConfig identities (openconfig-bgp-errors.yang, which network
# OSes built on OpenConfig log by name), and Nokia SR Linux's own CONN_COLL_RES ("... a NOTIFICATION with code CEASE
# and subcode CONN_COLL_RES").
_NAMED_CODES = {"MESSAGE_HEADER_ERROR": 1, "OPEN_MESSAGE_ERROR": 2, "UPDATE_MESSAGE_ERROR": 3, "HOLD_TIMER_EXPIRED": 4,
                "FINITE_STATE_MACHINE_ERROR": 5, "CEASE": 6, "ROUTE_REFRESH_MESSAGE_ERROR": 7}
_NAMED_SUBCODES = {  # the subcodes of each code in order, from 1 ("" where the model names none)
    1: ("CONNECTION_NOT_SYNCHRONIZED", "BAD_MESSAGE_LENGTH", "BAD_MESSAGE_TYPE"),
    2: ("UNSUPPORTED_VERSION_NUMBER", "BAD_PEER_AS", "BAD_BGP_IDENTIFIER", "UNSUPPORTED_OPTIONAL_PARAMETER", "",
        "UNACCEPTABLE_HOLD_TIME", "UNSUPPORTED_CAPABILITY"),
    3: ("MALFORMED_ATTRIBUTE_LIST", "UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE", "MISSING_WELL_KNOWN_ATTRIBUTE",
        "ATTRIBUTE_FLAGS_ERROR", "ATTRIBUTE_LENGTH_ERROR", "INVALID_ORIGIN_ATTRIBUTE", "", "INVALID_NEXT_HOP_ATTRIBUTE",
        "OPTIONAL_ATTRIBUTE_ERROR", "INVALID_NETWORK_FIELD", "MALFORMED_AS_PATH"),
    5: ("RECEIVE_UNEXPECTED_MESSAGE_OPENSENT", "RECEIVE_UNEXPECTED_MESSAGE_OPENCONFIRM",
        "RECEIVE_UNEXPECTED_MESSAGE_ESTABLISHED"),
    6: ("MAX_NUM_PREFIXES_REACHED", "ADMINISTRATIVE_SHUTDOWN", "PEER_DE_CONFIGURED", "ADMINISTRATIVE_RESET",
        "CONNECTION_REJECTED", "OTHER_CONFIG_CHANGE", "CONN_COLLISION_RESOLUTION", "OUT_OF_RESOURCES"),
    7: ("INVALID_MESSAGE_LENGTH",),
}
# (code, subcode name) -> subcode number; SR Linux's CONN_COLL_RES is Cease 6/7 too
_SUBCODE = {(code, name): i for code, names in _NAMED_SUBCODES.items() for i, name in enumerate(names, 1) if name}
_SUBCODE[(6, "CONN_COLL_RES")] = 7
_NAMED = re.compile(r"\b[Cc]ode:? (?P<code>" + "|".join(_NAMED_CODES) + r")\b(?:[^\n]{0,40}?\b[Ss]ubcode:? (?P<sub>[A-Z][A-Z_]+))?")


def _named_code(text: str) -> tuple[int, int | None] | None:
    m = _NAMED.search(text) if "_" in text or "CEASE" in text else None
    if m is None:
        return None
    code, sub = _NAMED_CODES[m.group("code")], m.group("sub")
    return code, 0 if sub == "UNSPECIFIC" else _SUBCODE.get((code, sub or ""))


def notification_of(text: str) -> tuple[int, int | None] | None:
    """The (code, subcode) of the NOTIFICATION a line reports, or None."""
    for rx in (_SLASH, _JUNOS, _GOBGP, _EXABGP, _HUAWEI, _LIBBGP, _DLINK, _BIRD_TRACE, _ERX):
        m = rx.search(text)
        if m:
            return int(m.group("code")), _int(m.group("sub"))
    if named := _named_code(text):
        return named
    m = _FRR_NAMED.search(text)
    if m:
        code, sub = _FRR_CODES[m.group("err").lower()], m.group("sub").strip().lower().removeprefix("receive ")
        return code, 0 if sub == "unspecific" else _FRR_SUBCODES.get((code, sub))
    m = _HEX.search(text)
    if m:
        return int(m.group("code")), int(m.group("sub"), 16)
    m = _OPENBGPD_NOTE.search(text)
    if m and (known := _OPENBGPD_ERRORS.get(m.group("err").strip().lower())):
        code, subs = known
        # "received max-prefix exceeded" / "sent max-prefix exceeded" are both Cease 6/1 (OpenBGPD's own split)
        sub = (m.group("sub") or "").strip().lower().removeprefix("received ").removeprefix("sent ")
        if not sub:
            return code, None
        for i, name in enumerate(subs):
            if name and name.removeprefix("received ") == sub:
                return code, i
        return code, None
    return None


def meaning(code: int, subcode: int | None) -> str:
    """"Cease / Administrative Reset", "Hold Timer Expired": the RFC names of a code and subcode."""
    name = NOTIFICATION_CODES.get(code, f"code {code}")
    sub = NOTIFICATION_SUBCODES.get((code, subcode or 0))
    return f"{name} / {sub}" if sub else name


def hard_reset_inner(text: str) -> tuple[int, int] | None:
    """The (code, subcode) a Cease 6/9 Hard Reset carries in its data (RFC 8538 section 3), or None."""
    m = _HARD_RESET_DATA.search(text)
    return (int(m.group("code"), 16), int(m.group("sub"), 16)) if m else None


def _reason_of_code(code: int, subcode: int | None, text: str = "") -> str:
    if (code, subcode) == (6, 9):
        inner = hard_reset_inner(text)
        return _reason_of_code(*inner) if inner and inner != (6, 9) else "notification"
    if code == 2:
        return "bad_peer_as" if subcode == 2 else "open_error"
    if code == 6:
        return _CEASE_REASON.get(subcode or 0, "notification")
    return _CODE_REASON.get(code, "notification")


# Down lines that say what broke but not why: ExaBGP's TooSlowError (reactor/network/connection.py), a connection
# that was up stopped in the middle of a message (its "Connection timed out" is not a connect failure).
_UNSTATED = re.compile(r"Timeout while reading data from the network|\bpeer is too slow\b")


# OpenBGPD's children when the parent process goes away (log.c fatal): after a parent that stopped on purpose this is
# the stop, not a crash of its own.
ORPHANED = re.compile(r"\bfatal in (?:SE|RDE|RTR): Lost connection to parent\b")
# FRR removes every neighbor as bgpd stops: after "Terminating on signal" their "Down Neighbor deleted" is the stop.
DELETED_ON_STOP = re.compile(r"\bDown Neighbor deleted\b")


# D-Link DxS (DGS-3620 Web UI Reference Guide, log entry BGP(6)): "BGP connection is closed due to Event: <10>
# (Peer:<IP>)", the event numbered as in RFC 4271 section 8.1. The events that end a session and say why.
_FSM_EVENT = re.compile(r"\bclosed due to Event: <(?P<event>\d{1,2})>")
_FSM_EVENT_REASON = {2: "admin_reset", 10: "hold_timer_expired", 18: "peer_closed", 21: "message_error",
                     22: "open_error", 23: "collision", 24: "notification", 25: "notification", 28: "update_error"}


def reason_of(text: str) -> str | None:
    """The reason key (see `REASONS`) a BGP line gives, or None when it gives none."""
    if (event := _FSM_EVENT.search(text)) is not None:
        return _FSM_EVENT_REASON.get(int(event.group("event")))
    if _OPENSENT_CLOSED.search(text):
        return "peer_closed_after_open"
    if _RTT.search(text):  # (before its NOTIFICATION: a Cease / Administrative Shutdown no operator sent)
        return "rtt_exceeded"
    note = notification_of(text)
    if note == (6, 3) and (m := _DIRECTION.search(text)) and m.group("sent"):
        return "config_change"  # Cease / Peer De-configured sent: this side's operator removed the neighbor
    if note is not None:
        return _reason_of_code(*note, text)
    if _UNSTATED.search(text):
        return None
    for rx, reason in _WORDS:
        if rx.search(text):
            state = _STATE.search(text)
            if reason == "peer_closed" and state and state.group("from") in ("Connect", "Active"):
                return "connect_failed"  # the TCP connection never came up (Junos "Connect to Active (event TransportError)")
            return reason
    return None


def _asn_hex(raw: str) -> int | None:
    digits = raw.replace(" ", "")
    try:
        return int(digits, 16)
    except ValueError:
        return None


def read(text: str) -> dict[str, Any]:
    """See `_read` (a copy: one line is read again for each finding it is part of)."""
    return dict(_read(text))


# This side could not set the BGP password on its socket, and the operating system's error: FRR bgpd/bgp_network.c
# "Unable to set TCP MD5 option on socket for peer X (sock=27): Operation not permitted"; GoBGP pkg/server/server.go
# "failed to set md5" with the error in the message (older releases) or in Err=.
_MD5_NOT_SET = re.compile(r"(?:failed to set md5|Unable to set TCP MD5 option on socket for peer \S+(?: \(sock=\d+\))?)"
                          r"(?::\s*(?P<err>[^\"\n]+?))?(?=\"|\s*$|\s+\w+=)(?:[^\n]*?\bErr=\"?(?P<err2>[^\"\n]+))?")
# GoBGP's peer messages (pkg/server/peer.go: the logger carries Topic=Peer and Key=<neighbor address>), logrus or
# log/slog, text or JSON, with the fields in any order.
_GOBGP_PEER_TOPIC = re.compile(r'\bTopic\W{1,3}Peer\b')
_GOBGP_KEY = re.compile(r'\bKey\W{1,3}(?P<peer>[0-9a-fA-FxX*.:]{3,})')
_CRASH = re.compile(r"Received signal (?P<signal>\d+) at \d+ \(si_addr")
_FATAL = re.compile(r"\bfatal in (?:SE|RDE|RTR): (?P<error>[^\n]+?)\s*$")


@lru_cache(maxsize=16384)  # every line an analysis keeps (the first and last events, the findings between)
def _read(text: str) -> dict[str, Any]:
    """The facts of one BGP line: `bgp_reason`, `bgp_notification` ("2/2"), `bgp_error` (its RFC name),
    `direction` (who sent the NOTIFICATION), `bgp_state` ("Established -> Idle") and the AS numbers a bad OPEN
    carries, from the logging side's view (`peer_open_asn`: the AS the neighbor's OPEN announced; `own_open_asn`:
    the AS this side announced, as the neighbor's refusal echoes it back). AWS's own BGP log says the same from the
    AWS side with `remote_asn` / `expected_asn` (see the AWS patterns); a customer gateway's log never fills those,
    so a fix never reads the Amazon-side ASN as the customer gateway's."""
    facts: dict[str, Any] = {}
    reason = reason_of(text)
    if reason:
        facts["bgp_reason"] = reason
    note = notification_of(text)
    if note is not None:
        code, sub = note
        facts["bgp_notification"] = f"{code}/{sub}" if sub is not None else str(code)
        facts["bgp_error"] = meaning(code, sub)
        inner = hard_reset_inner(text) if (code, sub) == (6, 9) else None
        if inner:
            facts["bgp_error"] += f" ({meaning(*inner)})"
    if reason == "tcp_auth" and (md5 := _MD5_NOT_SET.search(text)):
        facts["md5_set_error"] = (md5.group("err") or md5.group("err2") or "").strip() or "?"
    if reason == "daemon_crash" and (crash := _CRASH.search(text)):
        facts["bgp_error"] = f"signal {crash.group('signal')}"
    elif reason == "daemon_crash" and (fatal := _FATAL.search(text)):
        facts["bgp_error"] = fatal.group("error")
    direction = None
    bird = _BIRD.search(text)
    if bird:
        direction = "sent" if bird.group("dir") == "Error" else "received"
    else:
        m = _DIRECTION.search(text)
        if m:
            direction = "sent" if m.group("sent") else "received"
    if reason == "max_prefix" and _OWN_PREFIX_LIMIT.search(text):
        direction = "sent"  # this side counted the neighbor's prefixes and closed the session (Cease 6/1)
    if direction and (note is not None or reason not in (None, "peer_closed", "connection_refused", "connect_failed")):
        facts["direction"] = direction
    state = _STATE.search(text)
    if state:
        facts["bgp_state"] = f"{state.group('from')} -> {state.group('to')}"
    if reason == "bad_peer_as":
        asn: int | None = None
        m = _DATA_ASN.search(text)
        if m:
            asn = _asn_hex(m.group("hex"))
        else:
            d = _DEC_ASN.search(text)
            if d:
                asn = int(next(g for g in d.groups() if g))
        if asn is not None:
            # Sent: this side refused the peer's OPEN, whose AS is in the data. Received: the peer refused this
            # side's OPEN and echoes the AS this side announced.
            facts["own_open_asn" if direction == "received" else "peer_open_asn"] = asn
    dump = _OPEN_DUMP.search(text)
    if dump:
        asn = _asn_hex(dump.group("as"))
        if asn:
            facts["peer_open_asn"] = asn
    if _GOBGP_PEER_TOPIC.search(text) and (key := _GOBGP_KEY.search(text)):
        facts["peer"] = key.group("peer")
    return facts


def best(reasons: list[str]) -> str | None:
    """The reason that names the cause best among several (see `PRIORITY`)."""
    known = [r for r in reasons if r in PRIORITY]
    return min(known, key=PRIORITY.index) if known else None
