"""What ties lines to one negotiation: pluto's state serials, the connection a line names, and whether a
line answers a request."""

from __future__ import annotations

import re
from functools import lru_cache

from lab.analyzer.protocol.events import Event

# pluto's state serial, `"conn" #N:` (also with an instance number and peer, or after "pluto").
_PLUTO_SERIAL = re.compile(r"(?:\"[^\"]*\"(?:\[\d+\])?(?: [^#\s]+)?|\bpluto\b[^#]*?|^) ?#(\d+): ")
# charon's log groups (`09[IKE]`): a group's name in brackets is not a connection's.
_CHARON_GROUPS = frozenset(
    ["IKE", "CFG", "NET", "ENC", "KNL", "MGR", "CHD", "JOB", "LIB", "DMN", "ASN", "APP", "ESP", "TLS", "TNC", "IMC", "IMV", "PTS"]
)


_PLUTO_STATE_OF = re.compile(r'"([^"]+)"(?:(\[\d+\])(?: [^\s#:]+)?(?: #\d+)?|(?: [^\s#]+)? #\d+): ')


_PAYLOADS = re.compile(r"[^\s\[\]]+")
_REPLACES = re.compile(r"\b(?:to replace|replacing)(?: (?:established|establishing) (?:IKE|Child) SA)? #(\d+)")


def _replaced_serial(ev: Event) -> int | None:
    """The pluto state a negotiation replaces ("initiating Main Mode to replace #2", "initiate, replacing #1")."""
    if ev.fmt != "libreswan":
        return None
    m = _REPLACES.search(ev.text)
    return int(m.group(1)) if m else None


@lru_cache(maxsize=4096)  # asked of the same lines again and again by the readings of one analysis
def _serial_of(text: str) -> int | None:
    """pluto's state serial (`"conn" #N:`) of a line, or None."""
    m = _PLUTO_SERIAL.search(text)
    return int(m.group(1)) if m else None


# pluto's revival lines, printed for any revival whoever ended the SAs: libreswan 4/5's "connection is supposed to
# remain up; revival attempt N scheduled", libreswan 3/4's fixed "initiating connection which received a Delete/Notify
# but must remain up" (revival.c) and libreswan 5's "reviving connection which received Delete/Notify but must remain
# up" (routing.c; 5.x logs no line of its own for the peer's Delete).
_REVIVALS = frozenset({"lib-revival-scheduled", "lib-revive-v3-v4", "lib-revive-after-delete"})
_OWN_END_REVIVALS = frozenset({"lib-revival-scheduled", "lib-revive-after-delete"})


_DELETED_QUIETLY = "lib-established-ike-deleted-quietly"
_AGED = re.compile(r"\baged ([\d.]+)s\b")


# pluto's instance prefix names the peer: `"l2tp-psk"[2] 198.51.100.7 #21:`.
_INSTANCE_PEER = re.compile(r'"[^"]+"\[\d+\] ([0-9a-fA-F.:]{3,}) #\d+:')
_R1_DELETED = re.compile(r"deleting (?:state|ISAKMP SA) \((?:STATE_)?(?:MAIN|AGGR)_R1\)")
_INCOMPLETE = re.compile(r"deleting incomplete state after ([\d.]+) seconds")
# pluto as Main Mode responder seeing the peer's first message again after its first reply (lib-v1-duplicate-at-first-reply)
FIRST_MESSAGE_REPEATED = "lib-v1-duplicate-at-first-reply"
_RESPONDING = re.compile(r"\bresponding to (?:Main|Aggressive) Mode\b|\bprocessing IKE_SA_INIT request\b")


# The connection a line belongs to: pluto's `"name"` (before its instance number), charon's `<name|N>` / `name[N]`.
_CONN = re.compile(r'"([^"]+)"|<([\w.-]+)\|\d+>|(?<![\w"-])([A-Za-z][\w.-]*)\[\d+\](?!:)')


def conn_of(ev: Event) -> str:
    """The connection a line names (pluto's "conn", charon's <conn|N> or conn[N]), "" when none; pluto's instance
    suffix ("/1x0") is dropped."""
    return _conn_in(ev.text)


@lru_cache(maxsize=4096)  # asked of the same lines again and again by the readings of one analysis
def _conn_in(text: str) -> str:
    m = _CONN.search(text)
    if not m:
        return ""
    name = m.group(1) or m.group(2) or m.group(3) or ""
    return "" if name in _CHARON_GROUPS else name.split("/")[0]


# FortiOS's IKE debug names the phase 1 (the tunnel) after the VDOM: "ike V=root:0:to-FG2:4962: negotiation timeout",
# "ike 0:aws-1: IPsec SA connect ..." (a dial-up instance carries its number: "ikev1-ldap_0").
_FORTIGATE_TUNNEL = re.compile(r"\bike (?:V=[\w-]+:)?\d+:(?P<name>[^:\s]+)(?=[:\s]|$)")


# charon's tag of a line about an IKE SA (`ike_name = yes`): "<name|unique id>", the name its connection's (the peer
# config's), or "<unique id>" alone before the responder has chosen the peer config
CHARON_NAMED_TAG = re.compile(r"<([\w.-]+)\|(\d+)>")
# either form, where charon writes it: after the thread and group ("09[IKE] <3> ..."; a syslog priority "<30>" is not)
CHARON_TAG = re.compile(r"\d\[[A-Z]{2,4}\] <(?:([\w.-]+)\|)?(\d+)>")


def tunnel_name(ev: Event) -> str:
    """The tunnel a line names, where its daemon names one tunnel by one name: pluto's connection, FortiOS's phase 1,
    the connection in charon's tag ("<aws-t2|3>": the same over the IKE SA's rekeys; "" otherwise: the names in
    charon's own words, "IKE_SA gw[1]" and "CHILD_SA net{1}", name the IKE SA and its Child SAs apart)."""
    if ev.fmt == "libreswan":
        return conn_of(ev)
    if ev.fmt == "fortigate" and (m := _FORTIGATE_TUNNEL.search(ev.text)):
        return m.group("name")
    if ev.fmt == "strongswan" and "|" in ev.text and (m := CHARON_NAMED_TAG.search(ev.text)):
        return m.group(1)
    return ""


# A request the peer starts (charon "parsed INFORMATIONAL request 5", pluto "responding to Main Mode"): not an answer.
_PEER_REQUEST = re.compile(r"\bparsed \S+ request\b|\bresponding to (?:Main|Aggressive|Quick) Mode\b")


def _is_answer(ev: Event) -> bool:
    """The peer answered: a message received from it, an SA established, a DPD answer."""
    return ev.kind in ("established", "dpd_answer") or (
        ev.kind in ("exchange", "notify", "proposals") and ev.direction == "received"
    )
