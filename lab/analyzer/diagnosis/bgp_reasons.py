"""Why a BGP session went down, in words, from the reason a line gives (RFC 4271 NOTIFICATION codes, hold
timer, TCP) or the state it was left in."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from lab.analyzer import bgp
from lab.i18n import M, Msg

# Where the troubleshooter continues for a BGP reason that names one cause (else the category's question node).
BGP_TREE_NODES = {
    "bad_peer_as": "tunnel-down/d-bgp-asn",
    "hold_timer_expired": "tunnel-down/d-bgp-hold-timer",
    "send_hold_timer_expired": "tunnel-down/d-bgp-hold-timer",
    "connect_failed": "tunnel-down/d-bgp-hold-timer",
    "max_prefix": "tunnel-down/d-bgp-max-prefix",
    "admin_shutdown": "tunnel-down/d-bgp-shutdown",
    "admin_reset": "tunnel-down/d-bgp-shutdown",
    "config_change": "tunnel-down/d-bgp-shutdown",
    "no_policy": "no-traffic/d-bgp-policy",
    "treat_as_withdraw": "no-traffic/d-bgp-policy",
}
# The two-octet AS a four-octet AS speaker puts in its OPEN (RFC 6793 section 9).
AS_TRANS = 23456
# A VPN tunnel's inside addresses, where AWS's BGP neighbor is: a /30 of 169.254.0.0/16, or a /126 of fd00::/8 for
# IPv6 VPN connections (facts sheet 1.6).
_TUNNEL_INSIDE = (ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fd00::/8"))


def _not_aws_neighbor(facts: dict[str, Any]) -> bool:
    """Whether the line names a BGP neighbor address outside every VPN tunnel's inside range: not AWS's side of a
    tunnel, so AWS's route quotas do not apply to it. False when no address is named."""
    try:
        address = ipaddress.ip_address(str(facts.get("peer") or "").split("%")[0])
    except ValueError:
        return False
    return not any(address in net for net in _TUNNEL_INSIDE if net.version == address.version)


def as_trans(facts: dict[str, Any]) -> bool:
    """Whether a bad-peer-AS line's OPEN carried AS_TRANS, on either side (the neighbor's, or this side's echoed)."""
    return AS_TRANS in (facts.get("peer_open_asn"), facts.get("remote_asn"), facts.get("own_open_asn"))
_ASN_KEYS = ("remote_asn", "local_asn", "expected_asn", "peer_open_asn", "configured_peer_asn", "own_open_asn")
_BGP_KEYS = ("bgp_reason", "bgp_notification", "bgp_error", "md5_set_error", "direction", "peer", "bgp_state",
             *_ASN_KEYS)


# A refused OPEN's words for a bad router ID: FRR "bad OPEN, wrong router identifier", libbgp "peer BGP ID (...) invalid",
# "Bad BGP Identifier" / "Bad Peer BGP ID".
# FRR's refusal of an OPEN whose address families share none with those activated for the neighbor (bgpd/bgp_open.c)
_NO_COMMON_AFI = re.compile(r"Configured AFI/SAFIs do not overlap with received MP capabilities")
_BAD_ID = re.compile(r"wrong router identifier|\bBGP ID\b[^\n]{0,40}\binvalid|Bad (?:Peer )?BGP Ident|Bad Peer BGP ID",
                     re.I)
# FRR's bgpd/bgp_network.c bgp_socket: "no usable addresses please check other programs usage of specified port 179"
_LISTEN_PORT = re.compile(r"usage of specified port (?P<port>\d+)")
# setsockopt(TCP_MD5SIG) on a kernel without TCP MD5 signatures: ENOPROTOOPT, "Protocol not available".
_NO_MD5_IN_KERNEL = re.compile(r"Protocol not available|ENOPROTOOPT", re.I)
# FRR bgpd/bgp_fsm.c: "[FSM] Waiting for NHT" (next-hop tracking found no route to the neighbor's address).
NHT_WAIT = "Waiting for NHT"


def _bgp_reason_text(reason: str, facts: dict[str, Any], line: int, aws: bool = False, text: str = "",
                     flaps: int = 0) -> list[Msg]:
    """What a BGP reason means and what to check, from the facts (and the text) of the line that gave it; `flaps`:
    how many times a status listing says the session went down from Established (Junos "Flaps")."""
    error = facts.get("bgp_error") or facts.get("bgp_notification") or ""
    sent = facts.get("direction") == "sent"
    received = facts.get("direction") == "received"
    if reason == "bad_peer_as":
        # A customer gateway's own log (peer_open_asn / configured_peer_asn / own_open_asn), or AWS's log, which
        # says the same from the AWS side (remote_asn: the customer gateway's OPEN; expected_asn).
        remote = facts.get("peer_open_asn") or facts.get("remote_asn")
        expected = facts.get("configured_peer_asn") or facts.get("expected_asn")
        local = facts.get("own_open_asn")
        if remote and expected:
            first = M("Line {line}: the neighbor's OPEN carried AS {remote}, but AS {expected} is configured for it "
                      "(bad peer AS).", line=line, remote=remote, expected=expected)
        elif received and local:
            first = M("Line {line}: the neighbor refused this side's OPEN, which carried AS {asn}, with NOTIFICATION "
                      "2/2 (bad peer AS): the neighbor is configured with another AS for this side.", line=line, asn=local)
        elif remote:
            first = M("Line {line}: this side refused the neighbor's OPEN, which carried AS {asn}, with NOTIFICATION "
                      "2/2 (bad peer AS): another AS is configured for the neighbor here.", line=line, asn=remote)
        else:
            first = M("Line {line}: an OPEN was refused with NOTIFICATION 2/2 (bad peer AS): the AS a side announces "
                      "is not the AS the other side has configured for it.", line=line)
        if as_trans(facts):
            # RFC 6793 section 4.2.2: a speaker whose AS does not fit in two octets writes AS_TRANS in the OPEN's My
            # Autonomous System field and its AS in the four-octet AS capability; read without the capability, the
            # OPEN says 23456. The ASNs may well be right.
            return [first, M("AS {asn} is AS_TRANS (RFC 6793): a speaker whose AS does not fit in two octets writes "
                             "it in the OPEN and sends its real AS in the four-octet AS capability. The OPEN was read "
                             "without that capability: check that both sides have four-octet AS support on (and that "
                             "the OPEN comes from the neighbor and address configured) before changing any ASN.",
                             asn=AS_TRANS)]
        if received and local and not remote:
            # the neighbor refused the AS this side announced: it is this side's own AS (or the neighbor's idea of it)
            return [first, M("The neighbor expects another AS for this side: set this side's own AS to the one the "
                             "neighbor is configured with for it (with AWS: the BGP ASN of the customer gateway "
                             "resource), or correct the neighbor's configuration.")]
        return [first, M("Make the ASNs agree: the customer gateway device must use the BGP ASN of the customer gateway "
                         "resource, and its neighbor statements must name the Amazon-side ASN (64512 unless another "
                         "was set).")]
    if reason == "open_error" and (facts.get("bgp_notification") == "2/3" or _BAD_ID.search(text)):
        # RFC 4271 section 6.2: a BGP Identifier that is not a valid unicast host address is "Bad BGP Identifier";
        # RFC 6286 section 2.2: so is zero, and (from an internal peer) the receiver's own identifier
        return [M("Line {line}: the router ID (BGP Identifier) in an OPEN was refused: it must be a valid unicast "
                  "address and not 0.0.0.0 (RFC 4271 section 6.2, RFC 6286), and between iBGP neighbors it must "
                  "differ from the receiver's own. Set an explicit, unique router ID on the side whose OPEN was "
                  "refused (a daemon on a router without an IPv4 address has none to pick one from).", line=line)]
    if reason == "open_error" and _NO_COMMON_AFI.search(text):
        # FRR bgpd/bgp_open.c: none of the neighbor's Multiprotocol capabilities is an AFI/SAFI activated here
        return [M("Line {line}: the neighbor's OPEN announced no address family (AFI/SAFI) that is activated for it "
                  "here, so the OPEN was refused (Unsupported Capability): one side runs IPv4 unicast and the other "
                  "only IPv6, for example, or the neighbor is not activated in its address family on this side. "
                  "Activate the same address family for the neighbor on both sides (address-family ipv4 unicast or "
                  "ipv6 unicast, neighbor ... activate).", line=line)]
    if reason == "open_error":
        if not error:  # the line names the refused parameter in its own words, not a NOTIFICATION
            return [M("Line {line}: an OPEN was refused: the two sides disagree on a session parameter (router ID, "
                      "hold time, capabilities or address families). Compare the neighbor settings of both sides.",
                      line=line)]
        return [M("Line {line}: an OPEN was refused ({error}): the two sides disagree on a session parameter (router "
                  "ID, hold time, capabilities or address families). Compare the neighbor settings of both sides.",
                  line=line, error=error)]
    if reason in ("hold_timer_expired", "send_hold_timer_expired"):
        if reason == "send_hold_timer_expired":
            first = M("Line {line}: the neighbor stopped reading what this side sends (nothing left the send queue "
                      "for a hold time), so the session was closed.", line=line)
        elif sent:
            first = M("Line {line}: this side's hold timer expired: no KEEPALIVE or UPDATE came from the neighbor "
                      "within the hold time, so this side closed the session.", line=line)
        elif received:
            first = M("Line {line}: the neighbor's hold timer expired: it got nothing from this side within the "
                      "hold time and closed the session.", line=line)
        else:
            first = M("Line {line}: the hold timer expired: no KEEPALIVE or UPDATE arrived within the hold time.",
                      line=line)
        return [first, M("Over a VPN this means the tunnel stopped carrying BGP for a while (IPsec down or rekeying, "
                         "a firewall dropping TCP 179, the tunnel interface down), or one side was too busy to send "
                         "keepalives. AWS's example configurations use keepalive 10 s and hold time 30 s.")]
    if reason == "peer_not_configured":
        if not (error or facts.get("bgp_state")):
            return [M("Line {line}: the session was refused because one side has no neighbor configured for the "
                      "other. Check that each side's neighbor address is the other side's inside tunnel address, "
                      "and that the neighbor is configured and enabled on both sides.", line=line)]
        return [M("Line {line}: the session was refused because one side has no neighbor configured for the other "
                  "({error}). Check that each side's neighbor address is the other side's inside tunnel address, "
                  "and that the neighbor is configured and enabled on both sides.", line=line,
                  error=error or facts.get("bgp_state", ""))]
    if reason == "peer_closed_after_open":
        return [M("Line {line}: the neighbor closed the TCP connection right after this side's OPEN, without a "
                  "NOTIFICATION: it does not accept this session. Check the neighbor's side: a neighbor statement "
                  "for this side's address, the AS it expects for this side, and a TCP MD5 password if one is set.",
                  line=line)]
    if reason == "tcp_auth":
        md5_error = str(facts.get("md5_set_error") or "")
        if md5_error and _NO_MD5_IN_KERNEL.search(md5_error):
            # ENOPROTOOPT from setsockopt(TCP_MD5SIG): the kernel was built without TCP MD5 signatures (Linux:
            # CONFIG_TCP_MD5SIG)
            return [M("Line {line}: this side could not set the BGP password (TCP MD5) on its socket: the operating "
                      "system has no TCP MD5 signature support ({error}; on Linux a kernel built without "
                      "CONFIG_TCP_MD5SIG). No password can be used on this host: run the BGP daemon on a kernel with "
                      "that support, or set no password on both sides.", line=line, error=md5_error)]
        if md5_error:
            return [M("Line {line}: this side could not set the BGP password (TCP MD5) on its socket, so it cannot "
                      "check the digest the neighbor's connections carry and the session does not come up. The "
                      "operating system refused it ({error}). With "
                      "many MD5 neighbors on Linux, an out-of-memory error here is most often the socket option "
                      "memory (net.core.optmem_max) running out.", line=line, error=md5_error)]
        return [M("Line {line}: the TCP MD5 (or TCP-AO) digest of the BGP connection is missing or wrong: set the "
                  "same BGP password on both sides, or none on both.", line=line)]
    if reason == "listen_failed":
        port = _LISTEN_PORT.search(text)
        return [M("Line {line}: the BGP daemon could not listen on TCP port {port} on any address and exited (FRR's "
                  "bgpd stops when it cannot bind its BGP port). Another program already holds the port: most often "
                  "a second BGP daemon (BIRD, GoBGP, a bgpd left running) on the same host. Every BGP session of this "
                  "router stays down until bgpd runs. Find the program with \"ss -ltnp 'sport = :{port}'\", stop it or "
                  "move it to another port, then start bgpd again.", line=line,
                  port=port.group("port") if port else "179")]
    if reason == "daemon_crash" and error and not error.startswith("signal "):
        return [M("Line {line}: the BGP daemon stopped on a fatal error ({error}), so every BGP session of this router "
                  "is down until it is started again. The lines just before it say what failed; if they name no "
                  "configuration or system problem, look for a fixed release.", line=line, error=error)]
    if reason == "daemon_crash":
        return [M("Line {line}: the BGP daemon itself crashed ({error}), so every BGP session of this router dropped "
                  "at once and its routes were withdrawn. That is a software fault, not the tunnel or the neighbor: "
                  "keep the backtrace that follows the line for the vendor, and look for a fixed release.",
                  line=line, error=error or "")]
    if reason in ("connection_refused", "connect_failed") and flaps:
        # Junos "show bgp summary": Flaps counts the times the session left Established; Last Up/Dwn is since when
        return [M("Line {line}: the listing shows the neighbor retrying the TCP connection to port 179 (Active or "
                  "Connect) and counts {flaps} flaps: the session was up and went down, and it has not come back. "
                  "Look at what changed at the time of the last flap (the tunnel, the route to the inside address, "
                  "a firewall on TCP 179), and at the neighbor's log for why it dropped.", line=line, flaps=flaps)]
    if reason == "connection_refused":
        return [M("Line {line}: the TCP connection to the neighbor's port 179 was refused: nothing accepts BGP from "
                  "this side at that address (the neighbor is not configured or not running there, or a firewall "
                  "rejects it). Daemons retry such connections while the neighbor starts; here the session never "
                  "came up.", line=line)]
    if reason == "connect_failed":
        return [M("Line {line}: the TCP connection to the neighbor's port 179 got no answer: the path does not carry "
                  "it (tunnel down, no route to the inside address, a firewall dropping TCP 179). Daemons retry "
                  "such connections while the neighbor starts; here the session never came up.", line=line)]
    if reason == "no_afi_activated":
        return [M("Line {line}: the neighbor has no address family activated on this side (FRR: \"No AFI/SAFI "
                  "activated for peer\"), so no session can run with it. With \"no bgp default ipv4-unicast\" a "
                  "neighbor must be activated in its address family: under address-family ipv4 unicast, \"neighbor "
                  "... activate\" (VyOS: set protocols bgp neighbor ... address-family ipv4-unicast).", line=line)]
    if reason == "no_policy":
        return [M("Line {line}: the session is up, but FRR exchanges no routes with this eBGP neighbor: with \"bgp "
                  "ebgp-requires-policy\" (RFC 8212; FRR's default outside its datacenter profile) an eBGP neighbor "
                  "needs an inbound and an outbound policy, and without them no routes are accepted or announced "
                  "(\"(Policy)\" in show bgp summary). Apply a route-map in both directions (neighbor ... route-map "
                  "NAME in / out), or turn the check off with \"no bgp ebgp-requires-policy\" and clear the session.",
                  line=line)]
    if reason == "treat_as_withdraw":
        return [M("Line {line}: the session stays up, but this side could not parse an attribute of the neighbor's "
                  "UPDATE and treated its routes as withdrawn (RFC 7606), so those routes are missing. One side "
                  "encodes the attribute in a way the other does not accept (the line names it): look for a fixed "
                  "release of either side, or stop sending that attribute.", line=line)]
    if reason == "rtt_exceeded":
        return [M("Line {line}: FRR shut the session down by itself: the round-trip time to the neighbor stayed over "
                  "the limit set with \"neighbor ... shutdown rtt\" (it lists the reset as \"Admin. shutdown (RTT)\"), "
                  "and it stays shut down until someone enables it again. Find out why the path is slow (a congested "
                  "or rerouted tunnel, the internet path under the VPN), then enable the neighbor again (no neighbor "
                  "... shutdown) or raise the limit.", line=line)]
    if reason == "local_address":
        return [M("Line {line}: this side cannot use its own address for the session: the address is not configured "
                  "on this host, or another BGP speaker on it already holds the address and port 179 (a socket it "
                  "cannot bind), or it has no address of the session's family on the interface to give as next hop. "
                  "Check the local address the session uses (update-source, the node's detected address) and that "
                  "only one BGP daemon runs on the host.", line=line)]
    if reason == "never_established":
        return [M("Line {line}: the neighbor's session goes through the states before Established and never "
                  "reaches it in this log. This side's log does not say why: the neighbor's log does (a refused OPEN: "
                  "AS numbers, router ID, neighbor address or password), or TCP 179 does not get through between "
                  "the two.", line=line)]
    if reason == "peer_closed":
        return [M("Line {line}: the neighbor closed or reset the TCP connection without a NOTIFICATION: it "
                  "restarted or dropped the session, or the path broke (tunnel down, a firewall or NAT dropping "
                  "the connection).", line=line)]
    if reason == "collision" and facts.get("bgp_collisions"):
        return [M("Line {line}: the neighbor's connections are closed by connection collision resolution again and "
                  "again (Cease 6/7, {count} times) and the session never comes up: each time both sides open a "
                  "connection at once and no connection survives. Check that both sides use the same pair of "
                  "addresses for the session and that the two BGP identifiers (router IDs) differ, and let only one "
                  "side open the connection (make the other passive).", line=line, count=facts["bgp_collisions"])]
    if reason == "collision":
        return [M("Line {line}: both sides opened a BGP connection at once and the protocol closed one of the two "
                  "(Cease 6/7, connection collision resolution): normal while a session starts, nothing to fix unless "
                  "it repeats and the session never stays up.", line=line)]
    if reason == "graceful_restart":
        return [M("Line {line}: the session dropped while graceful restart (RFC 4724) keeps the neighbor's routes "
                  "until it is back: the neighbor restarted its BGP, or the connection broke (some daemons, GoBGP "
                  "among them, log a hold timer expiry or a lost connection this way when graceful restart is on). "
                  "Look at the neighbor's BGP and at the tunnel carrying it.", line=line)]
    if reason == "restart_timeout":
        return [M("Line {line}: the neighbor did not come back within its graceful restart time, so the routes kept "
                  "for it are withdrawn. Look at why its BGP did not return: the tunnel carrying it, or the "
                  "neighbor's BGP daemon.", line=line)]
    if reason == "admin_shutdown" and bgp.DAEMON_STOP.search(text):
        return [M("Line {line}: the BGP daemon itself was stopped (the service stopped or restarted, an upgrade or a "
                  "reboot): it closes every session of this router on its way out, so every neighbor is down until it "
                  "runs again. Start it, and find out what stopped it.", line=line)]
    if reason in bgp.ON_PURPOSE:
        return [M("Line {line}: the session was reset or shut down on purpose ({error}) and does not come back up in "
                  "this log: check that the neighbor was enabled again and that the configuration change is "
                  "complete on both sides.", line=line, error=error or bgp.REASON_WORDS.get(reason, reason))]
    if reason == "max_prefix":
        # AWS quotas (facts sheet): a VPN connection accepts at most 100 routes from the customer gateway and
        # advertises up to 1,000 to it; neither can be increased. A prefix limit closes the session with Cease 6/1
        # (RFC 4486), also where the line shows no NOTIFICATION.
        error = error or bgp.meaning(6, 1)
        if not aws and _not_aws_neighbor(facts):  # (another router, not a VPN tunnel's AWS side)
            if sent:
                return [M("Line {line}: this side's maximum-prefix limit for the neighbor was exceeded by the routes "
                          "the neighbor advertised, so this side closed the session ({error}). Raise the limit above "
                          "the number of routes the neighbor sends, or filter what it accepts. The neighbor's address "
                          "is not a VPN tunnel's inside address (169.254.0.0/16), so AWS's route limits do not apply "
                          "to it.", line=line, error=error)]
            if received:
                return [M("Line {line}: the neighbor's maximum-prefix limit was exceeded by the routes this side "
                          "advertised, so the neighbor closed the session ({error}). Advertise fewer (summarise), or "
                          "have the neighbor's limit raised. The neighbor's address is not a VPN tunnel's inside "
                          "address (169.254.0.0/16), so AWS's route limits do not apply to it.", line=line,
                          error=error)]
            return [M("Line {line}: more prefixes arrived than the configured maximum, so the session was closed "
                      "({error}): raise the limit above the number of routes the neighbor sends, or have it advertise "
                      "fewer. The neighbor's address is not a VPN tunnel's inside address (169.254.0.0/16), so AWS's "
                      "route limits do not apply to it.", line=line, error=error)]
        if aws and sent:  # AWS's own log: AWS counted the customer gateway's prefixes
            return [M("Line {line}: AWS's maximum-prefix limit was exceeded by the routes the customer gateway "
                      "advertised, so AWS closed the session ({error}). AWS accepts at most 100 routes per VPN "
                      "connection from the customer gateway (a limit that cannot be raised): advertise fewer "
                      "(summarise) from the customer gateway.", line=line, error=error)]
        if aws and received:  # AWS's own log: the customer gateway sent the NOTIFICATION
            return [M("Line {line}: the customer gateway's maximum-prefix limit for AWS was exceeded by the routes AWS "
                      "advertised, so the customer gateway closed the session ({error}). AWS advertises up to 1,000 "
                      "routes to a customer gateway: raise the customer gateway's maximum-prefix limit for the AWS "
                      "neighbor above the number of routes AWS sends, or filter what it accepts.", line=line,
                      error=error)]
        if sent:
            return [M("Line {line}: this side's maximum-prefix limit for the neighbor was exceeded by the routes the "
                      "neighbor advertised, so this side closed the session ({error}). AWS advertises up to 1,000 "
                      "routes to a customer gateway: raise this neighbor's maximum-prefix limit on the customer "
                      "gateway above the number of routes AWS sends, or filter what it accepts.", line=line,
                      error=error)]
        if received:
            return [M("Line {line}: the neighbor's maximum-prefix limit was exceeded by the routes this side "
                      "advertised, so the neighbor closed the session ({error}). AWS accepts at most 100 routes per "
                      "VPN connection from the customer gateway (a limit that cannot be raised): advertise fewer "
                      "(summarise) from the customer gateway.", line=line, error=error)]
        return [M("Line {line}: more prefixes arrived than the configured maximum, so the session was closed "
                  "({error}). AWS accepts at most 100 routes per VPN connection from the customer gateway, and "
                  "advertises up to 1,000 to it: if AWS closed it, advertise fewer (summarise); if the customer "
                  "gateway closed it, raise its maximum-prefix limit for the AWS neighbor.", line=line, error=error)]
    if reason == "interface_down" and NHT_WAIT in text:
        # FRR doc/user/zebra.rst: "ip nht resolve-via-default: Allow IPv4 nexthop tracking to resolve via the default
        # route ... enabled by default for a traditional profile" (the datacenter profile leaves it off)
        return [M("Line {line}: FRR's next-hop tracking has no route to the neighbor's address, so bgpd does not "
                  "open the TCP connection at all (fd -1): nothing went down, the session cannot start. Give this "
                  "host a route to the neighbor (for a tunnel's inside address, the connected route of the tunnel "
                  "interface), or, when only the default route leads there, turn on \"ip nht resolve-via-default\" "
                  "(off in FRR's datacenter profile).", line=line)]
    if reason in ("interface_down", "bfd_down"):
        return [M("Line {line}: the interface, the path or BFD toward the neighbor went down first: look at the "
                  "tunnel interface and IPsec before BGP.", line=line)]
    if reason in ("update_error", "message_error", "fsm_error"):
        return [M("Line {line}: a BGP message was refused as malformed or unexpected ({error}): a software or "
                  "attribute problem on one side; the NOTIFICATION's data names what was wrong.", line=line,
                  error=error)]
    if reason == "notification" and facts.get("bgp_notification"):
        # a code the line gives but that names no particular reason (Cease 6/0 "Unspecific", RFC 4486 section 4)
        code = facts["bgp_notification"]
        if received:
            return [M("Line {line}: the neighbor closed the session with NOTIFICATION {code} ({error}), a code that "
                      "names no particular reason: the neighbor's own log says why.", line=line, code=code,
                      error=error)]
        if sent:
            return [M("Line {line}: this side closed the session with NOTIFICATION {code} ({error}), a code that names "
                      "no particular reason: the lines before it here say why.", line=line, code=code, error=error)]
        return [M("Line {line}: a NOTIFICATION {code} ({error}) closed the session, a code that names no particular "
                  "reason: the log of the side that sent it says why.", line=line, code=code, error=error)]
    return [M("Line {line}: a NOTIFICATION closed the session; the line does not say which error.", line=line)]
