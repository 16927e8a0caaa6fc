"""The daemons' own wordings of a NOTIFICATION and of a session's end: code and subcode as each daemon
prints them, and the words that name a reason."""

from __future__ import annotations

import re

from lab.analyzer.bgp.codes import NOTIFICATION_CODES, NOTIFICATION_SUBCODES

# Cease 6/9 Hard Reset (RFC 8538 section 3) is not an operator's reset: it wraps the NOTIFICATION that would have
# been sent without graceful restart, whose code and subcode are the first two octets of its data
# ("6/9 (Cease/Hard Reset) 2 bytes 0601": Cease / Maximum Number of Prefixes Reached).

# "4/0", "2/2" after NOTIFICATION (Cisco, FRR, Arista); "code 6 (Cease) subcode 5" (Junos); "Code=4 ... Subcode=0"
# (GoBGP); "notification code 0x0400" (MetalLB: code and subcode in one hex word).
_SLASH = re.compile(r"(?i:NOTIFICATION)[^/]{0,80}?(?<![\w.:])(?P<code>[1-8])/(?P<sub>\d{1,3})\b")
# (GoBGP's peer-down reason glues the name to the number: "notification-sent code 6(cease) subcode 3(peer deconfigured)")
# (ScreenOS: "Notification(Hold Timer Expired)(code 4 : subcode 0)")
_JUNOS = re.compile(r"\bcode (?P<code>[1-8])\b(?: ?\([^)]*\))?(?: :)?(?: subcode (?P<sub>\d{1,3}))?")
# (GoBGP's JSON output: "Code":4 … "Subcode":0, in either logger's key order, Code first; GoBGP 1.x logs the message
# itself: "Data":{"Header":{...},"Body":{"ErrorCode":6,"ErrorSubcode":4,"Data":null}}, server/fsm.go "sent notification")
_GOBGP = re.compile(r'(?:\b|"Error)Code"?[=:](?P<code>[1-8])\b(?:[^\n]{0,200}?(?:\b|"Error)Subcode"?[=:](?P<sub>\d{1,3})\b)?')
# libbgp (src/bgp-fsm.cc): "BgpFsm::run: got NOTIFICATION: OPEN Message Error (2): Bad Peer AS (2)."
_LIBBGP = re.compile(r"got NOTIFICATION: [^()\n]{1,60} \((?P<code>[1-8])\): [^()\n]{0,80}\((?P<sub>\d{1,3})\)")
_EXABGP = re.compile(r"notification (?:sent|received) \((?P<code>[1-8]),(?P<sub>\d{1,3})\)")
# "code=4, subcode=0": small BGP speakers and debug builds ("Received NOTIFICATION: code=6, subcode=5"; BIRD's
# DBG "Sending notification: code=6, sub=2")
_EQUALS = re.compile(r"(?i)\bcode ?= ?(?P<code>[1-8])\b[,;]? ?(?:error_)?sub(?:code)? ?= ?(?P<sub>\d{1,3})\b")
# PAN-OS routed.log (the legacy routing engine's BGP exceptions, a field a line, read as one record by
# lab.analyzer.paste.join_record_fields): "Error code = Cease (6); Error subcode = Maximum Number of Prefixes Reached (1)"
_PANOS_FIELDS = re.compile(r"\bError code = [^;\n(]*\((?P<code>[1-8])\)"
                           r"(?:; Error subcode = [^;\n(]*\((?P<sub>\d{1,3})\))?")
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
# (after the subcode: the shutdown communication of RFC 8203, 'reason "..."', or the capability an OPEN refused)
_OPENBGPD_NOTE = re.compile(r"\b(?:received|sent|sending)(?: graceful| hard-reset)? notification: (?P<err>[^,\n]+?)"
                            r"(?:, (?P<sub>[^:\n]+?)(?:: [^\n]*)?)?\s*$")
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
         r"peer BGP ID \(\S+\) invalid|BgpFsm::openRecv: invalid hold timer|unacceptable peer hold time|"
         # MetalLB's native speaker (internal/bgp/native/native.go): its AS needs 4 octets, the neighbor's OPEN lacks them
         r"peer does not support 4-byte ASNs",
         "open_error"),
        # FRR bgpd/bgp_network.c bgp_socket: no address could be bound to the BGP port (another program holds it), and
        # bgpd exits ("Program cannot continue")
        (r"\bno usable addresses please check other programs usage of specified port \d+", "listen_failed"),
        # FRR lib/sigevent.c core_handler: the daemon caught a fatal signal and aborts
        (r"Received signal \d+ at \d+ \(si_addr[^)]*\); aborting|"
         # OpenBGPD (bgpd/log.c fatal()): one of its processes (SE, RDE, RTR) stopped on a fatal error, bgpd exits
         r"\bfatal in (?:SE|RDE|RTR): ", "daemon_crash"),
        # GoBGP pkg/server/server.go: the MD5 password could not be set on the listening socket
        (r"MD5 digest|TCP-AO|Authentication (?:failure|error)|Unable to set TCP MD5 option|MD5 auth|"
         r"failed to set md5\b|"
         # ExaBGP (lib/exabgp/reactor/network/tcp.py): the connect failed with the MD5 option set
         r"check your MD5 password|"
         # ExaBGP (reactor/network/tcp.py): the kernel has no TCP MD5 support
         r"does not support TCP_MD5SIG|"
         # FRR's and Quagga's bgpd (bgpd/bgp_network.c, lib/sockopt.c): the password could not be set on a socket
         r"(?:can't|cannot) set TCP_MD5SIG option on socket|"
         # BIRD's last error in show protocols (proto/bgp/bgp.h BEM_INVALID_AUTH: the kernel refused the MD5/AO request)
         r"\bError: Authentication failed\s*$|"
         # the Linux kernel (net/ipv4/tcp.c tcp_inbound_md5_hash, include/net/tcp_ao.h tcp_hash_fail) dropped a segment
         r"\bMD5 Hash (?:failed|mismatch|not found) for |\bUnexpected MD5 Hash found for ", "tcp_auth"),
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
         # Nokia SR OS bgpConnNoKA: no KEEPALIVE within the hold time on a new connection
         r"\bdid not receive \"keepalive\"|"
         # Huawei VRP BGP/6/PEER_STATE_CHG: the event that moved the peer out of Established
         r"\bInputEvent=HOLD_TIMER\b", "hold_timer_expired"),
        (r"peer de-?configured|peer unconfigured|Connection Rejected|not configured|unconfigured neighbor|"
         # Nokia SR OS bgpPeerNotFound: a connection from an address with no enabled neighbor
         r"not enabled or not in configuration|"
         r"no group for|connection from non-peer|connect from unknown address|"
         # GoBGP (pkg/server/server.go): a connection from an address with no neighbor configured here
         r"Can't find configuration for a new passive connection|"
         # ExaBGP (lib/exabgp/reactor/listener.py): a connection from an address with no neighbor configured
         r"\bno session configured for\b|more than one neighbor match", "peer_not_configured"),
        (r"Maximum Number of Prefixes|max-prefix|prefix-limit|prefix count|event MaxPath\b|Prefix limit reached|"
         # Arista EOS: the maximum-routes limit shut the session (AFI_SAFI_MAX_ROUTES_LIMIT, show ip bgp summary)
         r"maximum total number of routes \(\d+\)[^\n]*?Put into idle state|\bIdle\(MaxPath\)|"
         r"Route limit exceeded|MAXPFXEXCEED|maximum prefix limit was exceeded",
         "max_prefix"),
        # (not a setting's name: MikroTik's "use-bfd=no", a "bfd=" field)
        (r"(?<!use-)BFD(?!=)", "bfd_down"),
        (r"Administrative Shutdown|Admin\. shutdown|administratively down|Neighbor is shutdown|admin-down|admin(?:istratively)? shut|"
         # OpenBGPD's parent stopping on purpose (bgpd.c main, as OpenBSD's daemons do: a SIGTERM, bgpctl)
         r"^(?:[^\n]*\bbgpd(?:\[\d+\])?: )?waiting for children to terminate\s*$|"
         # FRR's daemons stopping on a signal (lib/sigevent.c, bgpd/bgp_main.c sigint: a service stop or restart)
         r"\bTerminating on signal\b|"
         # Nokia SR OS bgpConnMgrTerminated: BGP shut down or deleted on the router
         r"\bBGP connection manager for address family \S+ has terminated",
         "admin_shutdown"),
        # GoBGP's peer-down reasons for this side's own doing (pkg/server/fsm.go): "dying", the peer's FSM stopped
        # because gobgpd (or the agent embedding it: Cilium, kube-router, MetalLB) stops or removes the peer;
        # "deconfigured", the neighbor was removed from the configuration.
        (r"\bReason\W{0,3}dying\b", "admin_shutdown"),
        (r"\bReason\W{0,3}deconfigured\b", "config_change"),
        (r"Administrative Reset|User reset|clear ip bgp|AdminReset|BGP_Stop|reason: Stop\b|\(event Stop\)|"
         r"was hard reset by admin\b|"  # (Arista EOS PEER_CLEAR: clear ip bgp neighbor)
         # Arista EOS's ADJCHANGE names the RFC 4271 FSM event: ManualStop (a shutdown or clear of the neighbor)
         r"\bevent (?:Manual)?Stop new state\b|"
         # Huawei VRP BGP/6/PEER_STATE_CHG: "STOP: interrupts a connection" (a reset or shutdown of the peer here)
         r"\bInputEvent=STOP\b", "admin_reset"),
        (r"Other Config(?:uration)? Change|config(?:uration)? change|(?:Router ID|Remote AS|Cluster ID|Capability) "
         r"changed|\bevent OtherConfigurationChange\b|Local AS change|Confederation (?:identifier|peer) changed|Update source change|"
         r"Address family activated|Peer-group (?:add|delete) member|Suppress Fib|Password config change|"
         # FRR's PEER_DOWN_NEIGHBOR_DELETE: this side's operator removed the neighbor ("no neighbor ...")
         r"Neighbor deleted", "config_change"),
        # ExaBGP (lib/exabgp/reactor/peer.py, Interrupted): the neighbor's connection arrived while this side's
        # own was still opening; ExaBGP drops its own and carries on with the neighbor's (RFC 4271 section 6.8)
        (r"Connection Collision|\bcollision\b|connection received before we could fully establish one", "collision"),
        # Cisco IOS (neighbor fall-over, BGP next-hop tracking): the route to the neighbor left the routing table
        (r"Interface (?:down|flap)|Link down|Route to peer lost|\bIdle\(NoIf\)|Neighbor address lost|"
         r"being disabled because the interface is operationally disabled|"  # (Nokia SR OS bgpInterfaceDown)
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
         r"bind: address already in use|address family not supported by protocol|"
         # ExaBGP (lib/exabgp/reactor/network/tcp.py, listener.py): the local address, or port 179, cannot be bound
         r"Could not bind to local ip|\bcan not bind to \S+:\d+|"
         # FRR's reset reason "Socket Error" (PEER_DOWN_SOCKET_ERROR, bgpd/bgp_network.c bgp_connect): its own socket
         # to the neighbor could not be made, given its TTL or bound to the update-source address
         r"(?-i:\bSocket Error\b)", "local_address"),
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
         r"\[FSM\] Connect error for|"  # (FRR's neighbor-events debug: the TCP connection to the neighbor failed)
         r'\bdial \\?"[^"\n]{3,60}:179\\?": timeout\b',  # (MetalLB's native speaker: no answer within 10 s)
         "connect_failed"),  # GoBGP: the TCP connect timed out
        # show ip bgp neighbors (Cisco, FRR, Arista EOS) and birdc show protocols all (BIRD): not established
        (r"BGP state(?: =|:| is) *(?:Active|Connect|Idle)\b", "connect_failed"),  # (Arista EOS: "BGP state is Active")
        (r"can't connect to \S+ fd -?\d+ : |Connection (?:open failed|timed out)|TCP_connection_open_failed|No route to host|"
         r"Network is unreachable|open failed|BGP_CONNECT_FAILED|Host is unreachable|ConnectRetry|CR Timer Expired|"
         # Nokia SR OS / SR Linux: back from Active or Connect, before any OPEN ("due to event TCP SOCKET ERROR")
         r"moved from higher state (?:ACTIVE|CONNECT) to lower state",
         "connect_failed"),
        (r"Peer closed the session|Peer closing down the session|\bevent Closed new state\b|Connection (?:closed|reset)|reset by peer|remote end closed|read-failed|"
         r"TCP_connection_closed|Connection lost|TransportError|BGP_IO_ERROR_CLOSE_SESSION|write-failed|TCP SOCKET ERROR|"
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
         r"RecvHardReset|"  # (Arista EOS: the neighbor's Cease/Hard Reset, RFC 8538)
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
    r"PrevState=OPENSENT, CurrState=\w+, InputEvent=TCP_FAIL\b|"
    # FRR bgpd/bgp_fsm.c: the TCP connection failed (TCP_fatal_error, "Connection reset by peer") while waiting for
    # the peer's OPEN
    r"\[FSM\] TCP_fatal_error \(OpenSent->(?:Active|Idle|Connect)\)|"
    # MetalLB's native speaker (internal/bgp/native/native.go: sendOpen, then readOpen): the connection ended
    # before the neighbor's OPEN came
    r'read OPEN from \\?"[^"\n]{3,60}\\?": EOF\b'
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
