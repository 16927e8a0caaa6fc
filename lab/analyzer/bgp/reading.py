"""Reading a BGP line: the NOTIFICATION it carries, who sent it, and the reason the session went down."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from lab.analyzer.bgp.codes import (
    _CEASE_REASON,
    _CODE_REASON,
    NOTIFICATION_CODES,
    NOTIFICATION_SUBCODES,
    PRIORITY,
)
from lab.analyzer.bgp.wordings import (
    _BIRD,
    _BIRD_TRACE,
    _DATA_ASN,
    _DEC_ASN,
    _DIRECTION,
    _DLINK,
    _EQUALS,
    _ERX,
    _EXABGP,
    _FRR_CODES,
    _FRR_NAMED,
    _FRR_SUBCODES,
    _GOBGP,
    _HARD_RESET_DATA,
    _HEX,
    _HUAWEI,
    _JUNOS,
    _LIBBGP,
    _OPEN_DUMP,
    _OPENBGPD_ERRORS,
    _OPENBGPD_NOTE,
    _OPENSENT_CLOSED,
    _OWN_PREFIX_LIMIT,
    _PANOS_FIELDS,
    _RTT,
    _SLASH,
    _STATE,
    _WORDS,
)


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


# A NOTIFICATION's code and subcode named by the OpenConfig identities (openconfig-bgp-errors.yang, which network
# OSes built on OpenConfig log by name), Nokia SR Linux's own CONN_COLL_RES ("... a NOTIFICATION with code CEASE
# and subcode CONN_COLL_RES") and SR OS's CONN_REJECT.
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
_SUBCODE[(6, "CONN_REJECT")] = 5  # Nokia SR OS receiveNotification: "code CEASE subcode CONN_REJECT"
_NAMED = re.compile(r"\b[Cc]ode:? (?P<code>" + "|".join(_NAMED_CODES) + r")\b(?:[^\n]{0,40}?\b[Ss]ubcode:? (?P<sub>[A-Z][A-Z_]+))?")


def _named_code(text: str) -> tuple[int, int | None] | None:
    m = _NAMED.search(text) if "_" in text or "CEASE" in text else None
    if m is None:
        return None
    code, sub = _NAMED_CODES[m.group("code")], m.group("sub")
    return code, 0 if sub == "UNSPECIFIC" else _SUBCODE.get((code, sub or ""))


def notification_of(text: str) -> tuple[int, int | None] | None:
    """The (code, subcode) of the NOTIFICATION a line reports, or None."""
    for rx in (_SLASH, _JUNOS, _GOBGP, _EXABGP, _HUAWEI, _LIBBGP, _DLINK, _BIRD_TRACE, _ERX, _EQUALS, _PANOS_FIELDS):
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
# The BGP daemon itself stopping on purpose: FRR's bgpd on a signal (bgp_main.c), OpenBGPD's parent process (bgpd.c).
DAEMON_STOP = re.compile(r"\bTerminating on signal\b|\bwaiting for children to terminate\s*$")


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
    if note == (6, 3) and _DIRECTION.search(text):
        # Cease / Peer De-configured (RFC 4486): sent, this side's operator removed the neighbor; received, the
        # neighbor removed this side from its configuration or stopped its BGP (FRR's bgp_terminate sends it to every
        # peer): a configuration change on one side either way, not a session refused for want of a neighbor
        return "config_change"
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
                          r"(?::\s*(?P<err>[^\"\n]+?))?(?=\"|\s*$|\s+\w+=)(?:[^\n]*?\bErr=\"?(?P<err2>[^\"\n]+))?"
                          # ExaBGP (src/exabgp/reactor/network/tcp.py): "This linux machine does not support TCP_MD5SIG,
                          # you can not use MD5 ([Errno ENOPROTOOPT] [Errno 92] Protocol not available)"
                          r"|does not support TCP_MD5SIG, you can not use MD5 \((?:\[[^\]]*\] )*(?P<err3>[^)\n]+)\)"
                          # FRR's (before 4.0) and Quagga's bgpd (bgpd/bgp_network.c): "can't set TCP_MD5SIG option on
                          # socket 13: Protocol not available"
                          r"|(?:can't|cannot) set TCP_MD5SIG option on socket \d+: (?P<err4>[^\n]+?)\s*$")
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
        facts["md5_set_error"] = (md5.group("err") or md5.group("err2") or md5.group("err3") or md5.group("err4")
                                  or "").strip() or "?"
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
