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

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from lab.analyzer import bgp
from lab.i18n import M, Msg, render

# Notify names as daemons print them -> RFC name. strongSwan's short names come from
# src/libcharon/encoding/payloads/notify_payload.c (notify_type_short_names); libreswan prefixes v2N_.
NOTIFY_ALIASES = {
    "NO_PROP": "NO_PROPOSAL_CHOSEN",
    "AUTH_FAILED": "AUTHENTICATION_FAILED",
    "TS_UNACCEPT": "TS_UNACCEPTABLE",
    "INVAL_ID": "INVALID_ID_INFORMATION",
    "INVAL_KE": "INVALID_KE_PAYLOAD",
    "INVAL_SPI": "INVALID_SPI",
    "INVAL_IKE_SPI": "INVALID_IKE_SPI",
    "INVAL_MAJOR": "INVALID_MAJOR_VERSION",
    "INVAL_SYN": "INVALID_SYNTAX",
    "INVAL_MID": "INVALID_MESSAGE_ID",
    "INVAL_HASH": "INVALID_HASH_INFORMATION",
    "INVAL_CERT": "INVALID_CERTIFICATE",
    "INVAL_CA": "INVALID_CERT_AUTHORITY",
    "INVAL_SEL": "INVALID_SELECTORS",
    "PLD_MAL": "PAYLOAD_MALFORMED",
    "SINGLE_PAIR": "SINGLE_PAIR_REQUIRED",
    "NO_ADD_SAS": "NO_ADDITIONAL_SAS",
    "TEMP_FAIL": "TEMPORARY_FAILURE",
    "NO_CHILD_SA": "CHILD_SA_NOT_FOUND",
    "UNEXPECT_NAT": "UNEXPECTED_NAT_DETECTED",
    "INT_ADDR_FAIL": "INTERNAL_ADDRESS_FAILURE",  # charon's short names (notify_payload.c)
    "FAIL_CP_REQ": "FAILED_CP_REQUIRED",
    "DPD": "R_U_THERE",
    "DPD_R_U_THERE": "R_U_THERE",
    "DPD_ACK": "R_U_THERE_ACK",
    "DPD_R_U_THERE_ACK": "R_U_THERE_ACK",
    "ISAKMP_N_NO_PROPOSAL_CHOSEN": "NO_PROPOSAL_CHOSEN",
    "INVALID_ID_INFO": "INVALID_ID_INFORMATION",
    "INVALID_HASH_INFO": "INVALID_HASH_INFORMATION",
    "INVALID-ID-INFORMATION": "INVALID_ID_INFORMATION",
    "NO-PROPOSAL-CHOSEN": "NO_PROPOSAL_CHOSEN",
    "PROPOSAL_NOT_CHOSEN": "NO_PROPOSAL_CHOSEN",  # Cisco IOS debug crypto isakmp
    "AUTHENTICATION-FAILED": "AUTHENTICATION_FAILED",
    "TS-UNACCEPTABLE": "TS_UNACCEPTABLE",
    "TRAFFIC_SELECTORS_UNACCEPTABLE": "TS_UNACCEPTABLE",
    "TS_UNACCEPTABLE_": "TS_UNACCEPTABLE",
    "INVALID_ID": "INVALID_ID_INFORMATION",
    "NO_PROPOSAL": "NO_PROPOSAL_CHOSEN",
    "DPD/R_U_THERE": "R_U_THERE",
    "DPD/R_U_THERE_ACK": "R_U_THERE_ACK",
    "R-U-THERE": "R_U_THERE",
    "R-U-THERE-ACK": "R_U_THERE_ACK",
    # RFC 2408 3.14.1 type 29 (IKEv2 leaves 29 unassigned): charon has no name for it and prints the number
    "UNSUPPORTED-EXCHANGE-TYPE": "UNSUPPORTED_EXCHANGE_TYPE",
    "(29)": "UNSUPPORTED_EXCHANGE_TYPE",
    "(29": "UNSUPPORTED_EXCHANGE_TYPE",
}
# Exchange names as daemons print them -> one name (IKEv1 Main Mode is ISAKMP's Identity Protection).
EXCHANGE_ALIASES = {
    "ID_PROT": "MAIN_MODE",
    "MAIN": "MAIN_MODE",
    "MAIN MODE": "MAIN_MODE",
    "MM": "MAIN_MODE",
    "AGGRESSIVE": "AGGRESSIVE_MODE",
    "AGGRESSIVE MODE": "AGGRESSIVE_MODE",
    "AM": "AGGRESSIVE_MODE",
    "QUICK_MODE": "QUICK_MODE",
    "QUICK MODE": "QUICK_MODE",
    "QUICK": "QUICK_MODE",
    "QM": "QUICK_MODE",
    "INFORMATIONAL_V1": "INFORMATIONAL_V1",
    "TRANSACTION": "INFORMATIONAL_V1",
    "INFORMATIONAL": "INFORMATIONAL",
    "IKE_SA_INIT": "IKE_SA_INIT",
    "SA_INIT": "IKE_SA_INIT",
    "IKE_AUTH": "IKE_AUTH",
    "V2 PARENT SA": "IKE_SA_INIT",  # libreswan 3.x / Openswan "initiating v2 parent SA"
    "AUTH": "IKE_AUTH",
    "AUTH EXCHANGE": "IKE_AUTH",  # Check Point SmartLog "Auth exchange: ..."
    "CREATE_CHILD_SA": "CREATE_CHILD_SA",
    "CREATE_CHILD": "CREATE_CHILD_SA",
    # libreswan 5.3+ names the request it retransmits ("retransmitting liveness probe informational request")
    "LIVENESS PROBE": "INFORMATIONAL",
    "MOBIKE": "INFORMATIONAL",
    "ACTIVE REDIRECT": "INFORMATIONAL",
    "DELETE": "INFORMATIONAL",
    "INTERMEDIATE": "IKE_INTERMEDIATE",
    "FOLLOWUP": "IKE_FOLLOWUP_KE",
}
IKE_EXCHANGES = {"IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE"}
CHILD_EXCHANGES = {"CREATE_CHILD_SA", "QUICK_MODE"}
IKEV1_EXCHANGES = {"MAIN_MODE", "AGGRESSIVE_MODE", "QUICK_MODE", "INFORMATIONAL_V1"}


# IKEv1's exchanges by the names RFC 2409 gives them, for a reader (the page, the text output, the report), in the
# reader's language (Korean writes 메인 모드, 퀵 모드); the one-word keys above stay those of `--json`. IKEv2's exchange
# names are RFC 7296's own and are shown as they are in every language.
_EXCHANGE_WORDS = {
    "MAIN_MODE": M("Main Mode"),
    "AGGRESSIVE_MODE": M("Aggressive Mode"),
    "QUICK_MODE": M("Quick Mode"),
    "INFORMATIONAL_V1": M("Informational (IKEv1)"),
}


def exchange_words(name: str) -> str:
    """An exchange key (`exchange_name`) as a reader knows it: "Main Mode", "Quick Mode", "IKE_SA_INIT" (IKEv1's
    names are a `Msg`, shown in the reader's language where the text is rendered)."""
    return _EXCHANGE_WORDS.get(name, name)


def notify_name(raw: str) -> str:
    name = raw.strip().upper().removeprefix("V2N_").removeprefix("V1N_").removeprefix("N(").rstrip(")")
    name = name.replace(" ", "_")
    return NOTIFY_ALIASES.get(name, name.replace("-", "_"))


def exchange_name(raw: str) -> str:
    key = raw.strip().upper().replace("-", "_")
    found = EXCHANGE_ALIASES.get(key, EXCHANGE_ALIASES.get(key.replace("_", " ")))
    if found:
        return found
    # Daemon states and wordings: libreswan STATE_MAIN_I1, IKE_SA_INIT_I, STATE_PARENT_I2; "phase 1" ...
    for needle, name in (
        ("REKEY", "CREATE_CHILD_SA"),  # libreswan 3.x STATE_V2_REKEY_CHILD_I / STATE_V2_REKEY_IKE_I
        ("V2_CREATE", "CREATE_CHILD_SA"),  # libreswan 3.x STATE_V2_CREATE_I0 / _I / _R (a new Child SA)
        ("SA_INIT", "IKE_SA_INIT"),
        ("IDENT", "MAIN_MODE"),  # racoon "identity exchange", ISAKMP "Identity Protection"
        ("PHASE2", "QUICK_MODE"),  # racoon "phase2 exchange"
        ("PARENT_I1", "IKE_SA_INIT"),
        ("PARENT_R1", "IKE_SA_INIT"),
        ("IKE_AUTH", "IKE_AUTH"),
        ("PARENT_I2", "IKE_AUTH"),
        ("PARENT_R2", "IKE_AUTH"),
        ("V2_AUTH", "IKE_AUTH"),  # Openswan's exchange names: ISAKMP_v2_SA_INIT, ISAKMP_v2_AUTH, ISAKMP_v2_CHILD_SA
        ("CHILD", "CREATE_CHILD_SA"),
        ("MAIN", "MAIN_MODE"),
        ("AGGR", "AGGRESSIVE_MODE"),
        ("AGG_", "AGGRESSIVE_MODE"),  # FortiOS "sent IKE msg (agg_r1send)"
        ("QUICK", "QUICK_MODE"),
        ("ESTABLISHED", "INFORMATIONAL"),
        ("INFO", "INFORMATIONAL"),
    ):
        if needle in key:
            return name
    return key


# ---- algorithms -------------------------------------------------------------------------------

DH_NAMES = {
    "1": "MODP_768", "2": "MODP_1024", "5": "MODP_1536", "14": "MODP_2048", "15": "MODP_3072",
    "16": "MODP_4096", "17": "MODP_6144", "18": "MODP_8192", "19": "ECP_256", "20": "ECP_384",
    "21": "ECP_521", "22": "MODP_1024_160", "23": "MODP_2048_224", "24": "MODP_2048_256",
    "31": "CURVE_25519", "32": "CURVE_448",
}  # IANA IKEv2 Transform Type 4 numbers (RFC 7296, RFC 5903, RFC 8031)
_ALGO_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I), name)
    for rx, name in (
        (r"^(?:3des|des3|3des_cbc|des3_cbc|3des-cbc|tripledes|des-ede3(?:-cbc)?)(?:[_-]?\d{3})?$", "3DES"),
        (r"^(?:des|des_cbc|des-cbc)$", "DES"),
        (r"^aes(?:_cbc|-cbc|cbc)?[_-]?(128|192|256)$", "AES_CBC_{0}"),
        (r"^aes(?:_cbc|-cbc)?$", "AES_CBC_128"),
        (r"^aes[_-]?gcm(?:[_-]?(?:16|128|c16|-?16))?[_-]?(128|192|256)$", "AES_GCM_16_{0}"),
        (r"^aes(128|192|256)[_-]?gcm(?:16|128)?$", "AES_GCM_16_{0}"),
        (r"^aes[_-]?gcm(?:16)?$", "AES_GCM_16_128"),
        (r"^(?:hmac[_-]?)?md5(?:[_-]96)?$", "MD5"),
        (r"^(?:hmac[_-]?|auth_hmac_)?sha1?(?:[_-]96|[_-]160)?$", "SHA1"),
        (r"^(?:hmac[_-]?)?sha2?[_-]?(256|384|512)(?:[_-]\d+)?$", "SHA2_{0}"),
        (r"^prf[_-]?(?:hmac[_-]?)?sha1$", "PRF_SHA1"),
        (r"^prf[_-]?(?:hmac[_-]?)?sha2?[_-]?(256|384|512)$", "PRF_SHA2_{0}"),
        (r"^prf[_-]?(?:hmac[_-]?)?md5$", "PRF_MD5"),
        (r"^modp[_-]?(768|1024|1536|2048|3072|4096|6144|8192)$", "MODP_{0}"),
        (r"^ecp[_-]?(256|384|521)$", "ECP_{0}"),
        (r"^(?:dh|group|dh[_-]?group|pfs)[_ -]?(\d{1,2})$", "DH{0}"),
        (r"^curve[_-]?25519$|^x25519$", "CURVE_25519"),
    )
)
_ALGO_SPLIT = re.compile(r"[\s/,;:+|]+")
_ALGO_TOKEN = re.compile(r"\b(?:[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*)\b")
_IGNORE = {"ike", "esp", "ah", "no_ext_seq", "ext_seq", "noesn", "esn", "none", "proposal", "transform"}


def algorithm(token: str) -> str | None:
    """One normalised algorithm name (3DES, AES_CBC_128, SHA1, SHA2_256, MODP_1024, ECP_256), or None."""
    t = token.strip().strip("[]()").replace(" ", "")
    if not t or t.lower() in _IGNORE:
        return None
    for rx, name in _ALGO_RULES:
        m = rx.match(t)
        if m:
            out = name.format(*m.groups())
            if out.startswith("DH"):
                return DH_NAMES.get(out[2:])
            return out
    return None


# From the start of a run of letters and digits only (see _MASKED): the same matches in linear time.
_PAREN_BITS = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]+)[_ ]?(?:CBC)?\s*\((\d{3})\)")  # libreswan "AES_CBC (256)"
_GROUP_WORDS = re.compile(r"\b(?:DH|dh|[Gg]roup|GROUP|MODP|modp)[ _-]?(\d{1,4})\b")


def algorithms_in(text: str) -> list[str]:
    """Every algorithm named in a proposal text, normalised, in order, without repeats."""
    out: list[str] = []
    text = _PAREN_BITS.sub(lambda m: f"{m.group(1)}_{m.group(2)}", text)
    for m in _GROUP_WORDS.finditer(text):
        n = m.group(1)
        name = f"MODP_{n}" if len(n) >= 3 else DH_NAMES.get(n)
        if name and name not in out:
            out.append(name)
    for token in _ALGO_SPLIT.split(text):
        for part in _ALGO_TOKEN.findall(token) or [token]:
            for name in _names(part):
                if name not in out:
                    out.append(name)
    return out


def _names(token: str) -> list[str]:
    """Algorithms in one token: itself, or its dash-separated pieces ("aes256-sha256-modp2048")."""
    name = algorithm(token)
    if name:
        return [name]
    parts, found, i = token.split("-"), [], 0
    while i < len(parts):
        for width in (3, 2, 1):
            piece = "-".join(parts[i : i + width])
            name = algorithm(piece) if i + width <= len(parts) else None
            if name:
                found.append(name)
                i += width
                break
        else:
            i += 1
    return found


def proposal_list(text: str) -> list[str]:
    """A proposal listing ("IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:...") as a list. pluto numbers
    its proposals and joins a proposal's transforms with ";" ("1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128 2:ESP:...").
    """
    if re.match(r"\s*\d+:(?:IKE|ESP|AH):", text):
        return [p.strip() for p in re.split(r"\s+(?=\d+:(?:IKE|ESP|AH):)", text.strip()) if p.strip()][:16]
    parts = [p.strip().strip(",;") for p in re.split(r",\s*(?=[A-Za-z]+:)|\s{2,}|;\s*", text) if p.strip()]
    return [p for p in parts if p][:16]


# ---- events -------------------------------------------------------------------------------------


@dataclass
class Event:
    """One line read as a protocol event."""

    line: int
    text: str
    pattern: str
    kind: str
    explanation: str
    fmt: str
    exchange: str | None = None
    notify: str | None = None
    direction: str | None = None
    sa: str | None = None
    ike: int | None = None
    values: dict[str, Any] = field(default_factory=dict)
    tree_node: str = ""
    weak: bool = False  # the pattern reads a daemon's guess: decisive only when nothing firmer is seen
    stamp: float | None = None  # seconds, for ordering only (date when known, else time of day)
    host: str = ""  # the syslog host or device the line came from, when it says
    order: int = 0
    stream: int = 0
    category: str | None = None
    weight: str = "context"  # decisive | weak | context
    # the exchange an IKEv1 notification refers to: it travels in an informational exchange of its own
    refers_to: str | None = None


# Syslog / ISO / Android prefixes, for ordering and for telling two logs apart.
MONTHS = {m: i for i, m in enumerate(("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_STAMP = re.compile(
    r"(?:(?P<y>\d{4})[-/](?P<mo>\d{1,2})[-/](?P<d>\d{1,2})[ T,]+|(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? +(?P<d2>\d{1,2}),?(?: (?P<y2>\d{4}))? +|(?P<mo3>\d{2})-(?P<d3>\d{2}) )?"
    r"(?P<h>\d{1,2}):(?P<mi>\d{2}):(?P<s>\d{2})(?:[.,](?P<f>\d{1,6}))?"
)
_TIME_OF_DAY = re.compile(r"\d:\d\d:\d\d")
_FORTI_STAMP = re.compile(r"date=(\d{4})-(\d{2})-(\d{2}) time=(\d{2}):(\d{2}):(\d{2})")
# FortiOS 6.2+ adds eventtime= (epoch in ns, or in s/us on some builds) to every log: it orders lines
# logged within the same second, which time= cannot.
_FORTI_EVENTTIME = re.compile(r"\beventtime=(\d{10,19})\b")
_HOST = re.compile(
    r"^(?:<\d+>\d? ?)?(?:\S+T\S+|\w{3} +\d+ \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\S*)\s+(?P<host>[A-Za-z][\w.-]*)\s+(?:\w[\w./-]*(?:\[\d+\])?:|%)"
)


def stamp_of(line: str) -> float | None:
    """Seconds usable for ordering lines of one log (date when given, else the time of day)."""
    m = _FORTI_STAMP.search(line) if "date=" in line else None
    if m:
        y, mo, d, h, mi, s = map(int, m.groups())
        secs = float((((y * 12 + mo) * 31 + d) * 86400) + h * 3600 + mi * 60 + s)
        ev = _FORTI_EVENTTIME.search(line)
        if ev:
            digits = ev.group(1)
            fraction = int(digits[10:] or 0) / 10 ** len(digits[10:]) if len(digits) > 10 else 0.0
            secs += fraction * 0.999  # the order inside the second, kept inside it
        return secs
    # Every stamp has a time of day: look for one first (a JSON line has none in its first 200 characters and made
    # the full search try each position), then read the stamp from just before it (a date is at most 20 characters).
    hint = _TIME_OF_DAY.search(line, 0, 200)
    if not hint:
        return None
    ws = max(0, hint.start() - 40)
    end = hint.end() + _STAMP_AFTER
    if end > 200:  # near the 200th character: read in place (the search stops there)
        return _stamp_at(line, ws, 200)
    # Only this window decides the stamp (and the two characters around it a table column is told by): lines
    # logged in the same second share it, so it is read once for them.
    lo = max(0, ws - 2)
    return _stamp_window(line[lo:end], ws - lo)


_STAMP_AFTER = 9  # characters after the time of day a stamp can use: a fraction of up to 6 digits, and 2 more


@lru_cache(maxsize=4096)
def _stamp_window(window: str, at: int) -> float | None:
    return _stamp_at(window, at, len(window))


def _stamp_at(line: str, pos: int, endpos: int) -> float | None:
    m = _STAMP.search(line, pos, endpos)
    if not m:
        return None
    g = m.groupdict()
    secs = int(g["h"]) * 3600 + int(g["mi"]) * 60 + int(g["s"]) + (float("0." + g["f"]) if g["f"] else 0.0)
    if g["y"]:
        return (((int(g["y"]) * 12 + int(g["mo"])) * 31 + int(g["d"])) * 86400) + secs
    if g["mon"]:
        year = int(g["y2"]) if g["y2"] else 0
        return (((year * 12 + MONTHS[g["mon"]]) * 31 + int(g["d2"])) * 86400) + secs
    if g["mo3"]:  # Android logcat "11-29 10:01:02.123"
        return ((int(g["mo3"]) * 31 + int(g["d3"])) * 86400) + secs
    if line[max(0, m.start() - 2):m.start()] == "  " and line[m.end():m.end() + 2] == "  ":
        return None  # a column of a status table (BIRD's `show protocols` "since"): when a state began, not log order
    return secs


def stamp_kind(stamp: float) -> int:
    """What a stamp of `stamp_of` carries: a year (1), a month and day only (2), the time of day only (3). Stamps of two
    kinds do not compare (a syslog line has no year, an ISO one has)."""
    return 1 if stamp >= 1e9 else 2 if stamp >= 86400 else 3


def host_of(line: str) -> str:
    m = _HOST.match(line)
    return m.group("host") if m else ""


# ---- ordering ----------------------------------------------------------------------------------


def _protocol_rank(ev: Event) -> float | None:
    """Where an event sits in one negotiation attempt, for logs without timestamps."""
    if ev.kind == "initiate":
        return 0.0
    if ev.kind == "retransmit":
        n = ev.values.get("count")
        return 1.0 + (int(n) / 1000 if isinstance(n, str) and n.isdigit() else 0.0)
    if ev.kind in ("give_up", "dpd_dead"):
        return 2.0
    return None


# Order signals the daemons' own lines carry, for excerpts without timestamps.
# libreswan/pluto: state serials `"conn" #N:` are allocated increasing; within one serial the state
# moves forward (STATE_MAIN_I1 -> I2 -> I3 -> I4, STATE_QUICK_I1 -> I2, PARENT_I1 -> I2) and the words
# go initiating -> sent -> established/negotiated -> deleting. (An IKE SA "responding to CREATE_CHILD_SA message (ID 2)"
# answers inside the SA, long after it was established: not the start of a negotiation.)
_PLUTO_SERIAL = re.compile(r"(?:\"[^\"]*\"(?:\[\d+\])?(?: [^#\s]+)?|\bpluto\b[^#]*?|^) ?#(\d+): ")
_PLUTO_STATE = re.compile(r"\bSTATE_(?:V2_)?(?:MAIN|AGGR|QUICK|PARENT)_[IR](\d)\b")
_PLUTO_STEP = re.compile(
    r"#\d+: (?:STATE_\w+: )?(?:(initiating|responding to(?! [A-Z_]+ message \(ID))|(deleting|sent INFORMATIONAL request to delete)"
    r"|(sent|sending (?:encrypted )?notification)|.*?\b(established|negotiated|rekeyed)\b)"
)
# A request pluto sends again comes after it was first sent and before the state is deleted; the waits
# double ("will wait 0.5 seconds", "1 second", "2 seconds") and the timeout ends the series. Not on an
# established SA's own state (it also retransmits the requests it sends once up: rekeys, liveness).
_PLUTO_RETRANSMIT = re.compile(
    r"#\d+: (?!(?:STATE_)?(?:V2_)?ESTABLISHED)(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+: )?"
    r"(?:retransmission; will wait ([\d.]+) ?(ms|s|seconds?)|(?:\d+ second )?(timeout exceeded)|(max number of retransmissions))"
)
# IKEv2 in pluto: IKE_SA_INIT before IKE_AUTH, and a request before its response (sent by the
# initiator, processed by the responder).
_PLUTO_V2_MSG = re.compile(r"#\d+: (sent|processed|processing|received) (IKE_SA_INIT|IKE_AUTH) (request|response)\b")
# strongSwan/charon: IKE_SA unique ids `name[N]` and CHILD_SA ids `name{N}` are allocated increasing;
# "initiating IKE_SA name[N]" comes before "IKE_SA name[N] established" (and "establishing CHILD_SA
# name{N}" before "CHILD_SA name{N} established"); IKEv2 message ids grow per direction, and a request
# is generated before its response is parsed (the peer's requests: parsed before answered).
_CHARON_GROUPS = frozenset(
    ["IKE", "CFG", "NET", "ENC", "KNL", "MGR", "CHD", "JOB", "LIB", "DMN", "ASN", "APP", "ESP", "TLS", "TNC", "IMC", "IMV", "PTS"]
)
_CHARON_IKE = re.compile(r"(?<![\w\"-])([A-Za-z][\w.-]*)\[(\d+)\](?!:)")
_CHARON_IKE_PREFIX = re.compile(r"<[\w.-]+\|(\d+)>")  # the `<conn|N>` prefix charon logs with (pfSense)
# A line of charon's `ipsec status` / `swanctl --list-sas` listing ("  aws{7}:  INSTALLED, TUNNEL, ...",
# "  aws[8]: ESTABLISHED ...").
_CHARON_LISTING = re.compile(r"\s+[A-Za-z][\w.-]*(?:\[\d+\]|\{\d+\}): ")
_CHARON_CHILD = re.compile(r"(?<![\w\"-])(?P<name>[A-Za-z][\w.-]*)\{(?P<id>\d+)\}")
_CHARON_IKE_SA = re.compile(r"\bIKE_SA (?P<name>[A-Za-z][\w.-]*)\[(?P<id>\d+)\]")  # "IKE_SA gw[2] rekeyed"
_CHARON_IKE_STEP = re.compile(r"\b(initiating) IKE_SA [\w.-]+\[(\d+)\]|\bIKE_SA [\w.-]+\[(\d+)\] (established)\b")
_CHARON_CHILD_STEP = re.compile(r"\b(establishing) CHILD_SA [\w.-]+\{(\d+)\}|\bCHILD_SA [\w.-]+\{(\d+)\} (established)\b")
# IKEv2 exchanges only: IKEv1 message ids are random.
_CHARON_MID = re.compile(
    r"\b(generating|parsed) (?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL|IKE_INTERMEDIATE|IKE_FOLLOWUP_KE)"
    r" (request|response) (\d{1,9})\b"
)

# charon's kernel interface (kernel_netlink_ipsec.c, debug level 2) adds an SA, later deletes it and says it is gone:
# "adding SAD entry with SPI c1d2e3f4 ..." -> "deleting SAD entry with SPI c1d2e3f4" -> "deleted SAD entry with SPI ...".
_CHARON_SAD = re.compile(r"\b(adding|deleting|deleted) SAD entry with SPI ([0-9a-fA-F]{8})\b")
_SAD_STEP = {"adding": 0, "deleting": 1, "deleted": 2}

# charon handles a message in one job: a worker thread logs "received packet" and then "parsed ...", and
# "generating ..." then "sending packet" (IKEv1 too). Two neighbouring lines of the same thread in the other
# order are the paste read backwards.
_CHARON_PACKET = re.compile(
    r"(?:\b(\d{1,3})\[(?:NET|ENC)\] )?(?:(received packet): |(parsed) [A-Z]|(generating) [A-Z]|(sending packet): )"
)


def _packet_votes(texts: list[str], numbers: list[int] | None = None) -> tuple[int, int]:
    """Votes from neighbouring charon lines of one thread: received packet -> parsed, generating -> sending.
    `numbers`: the texts' line numbers (lines in between break the pair), else the texts are the lines."""
    up = down = 0
    prev: tuple[str, str] | None = None
    for i, text in enumerate(texts):
        m = _CHARON_PACKET.search(text)
        if not m:
            prev = None
            continue
        step = "recv" if m.group(2) else "parsed" if m.group(3) else "gen" if m.group(4) else "send"
        cur = (m.group(1) or "", step)
        if numbers is not None and i and numbers[i] != numbers[i - 1] + 1:
            prev = None
        if prev is not None and prev[0] == cur[0]:
            pair = (prev[1], step)
            if pair in (("recv", "parsed"), ("gen", "send")):
                up += 1
            elif pair in (("parsed", "recv"), ("send", "gen")):
                down += 1
        prev = cur
    return up, down


# A log whose lines carry the time of day only ("00:12:59", no date) passes midnight when the time falls from late in
# the evening to early in the morning: from `_LATE` or later to `_EARLY` or earlier.
_LATE, _EARLY = 22 * 3600.0, 2 * 3600.0


def _past_midnight(a: float, b: float) -> bool:
    """Time-of-day stamps (no date) `a` then `b` that passed midnight: `b` is the next day, later than `a`."""
    return stamp_kind(a) == stamp_kind(b) == 3 and a >= _LATE and b <= _EARLY


def _steps(seq: list[Any], wraps: bool = False) -> tuple[int, int]:
    """(up, down): consecutive pairs of a sequence of comparable values that rise / fall (with `wraps`, time-of-day
    stamps that passed midnight rise)."""
    up = down = 0
    for a, b in zip(seq, seq[1:], strict=False):
        if b > a or (wraps and _past_midnight(a, b)):
            up += 1
        elif b < a:
            down += 1
    return up, down


def _allocation_votes(ids: list[int]) -> tuple[int, int]:
    """Votes from ids allocated increasing over time: the order of their first mentions (an older SA
    may still be mentioned after a newer one, its first mention cannot come later)."""
    first: dict[int, int] = {}
    for i, n in enumerate(ids):
        first.setdefault(n, i)
    return _steps(sorted(first, key=first.__getitem__))


def _per_key_votes(pairs: list[tuple[Any, Any]]) -> tuple[int, int]:
    """Votes from (key, rank) pairs whose rank rises over time within one key."""
    by_key: dict[Any, list[Any]] = {}
    for key, rank in pairs:
        by_key.setdefault(key, []).append(rank)
    up = down = 0
    for seq in by_key.values():
        u, d = _steps(seq)
        up, down = up + u, down + d
    return up, down


# A BGP neighbor's state changes chain (RFC 4271's FSM): each one leaves the state the one before it entered
# (OpenBGPD "state change Active -> OpenSent", Junos "changed state from OpenConfirm to Established", FRR's debug
# "went from OpenSent to OpenConfirm", Arista "old state OpenConfirm event ... new state Established", Huawei
# "PrevState=OPENSENT, CurrState=OPENCONFIRM"). Read in the wrong order the chain runs backwards. The neighbor: the
# first address on the line ("" when it names none).
_BGP_STATES = "Idle|Connect|Active|OpenSent|OpenConfirm|Established"
_BGP_CHANGE = re.compile(
    r"(?i)(?:\bstate change |\bchanged state from |\bwent from |\bold state |\bPrevState=)"
    r"(?P<a>" + _BGP_STATES + r")(?: event \w+ new state | ?-> ?| to |, CurrState=)(?P<b>" + _BGP_STATES + r")\b"
)
_BGP_NEIGHBOR = re.compile(r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])")


def _bgp_chain_votes(texts: list[str]) -> tuple[int, int]:
    """Votes from three consecutive state changes of one BGP neighbor that chain: each leaves the state the one before
    it entered (oldest first), or each enters the state the one before it left (newest first). Two changes alone do
    not vote: an excerpt of only the interesting lines (Established -> Idle, then OpenConfirm -> Established, the
    steps between left out) looks like a chain read backwards."""
    chains: dict[str, list[tuple[str, str]]] = {}
    for text in texts:
        m = _BGP_CHANGE.search(text)
        if not m:
            continue
        a, b = m.group("a").lower(), m.group("b").lower()
        if a != b:
            n = _BGP_NEIGHBOR.search(text)
            chains.setdefault(n.group(0) if n else "", []).append((a, b))
    up = down = 0
    for seq in chains.values():
        for (a1, b1), (a2, b2), (a3, b3) in zip(seq, seq[1:], seq[2:], strict=False):
            forward = b1 == a2 and b2 == a3
            backward = b3 == a2 and b2 == a1
            if forward != backward:
                up, down = up + forward, down + backward
    return up, down


def order_votes(texts: list[str], numbers: list[int] | None = None) -> tuple[int, int]:
    """(oldest-first votes, newest-first votes) from the order signals in the lines' own text. Only
    pairs of lines that both carry the same kind of signal vote. `numbers`: the lines' numbers when the
    texts are not every line (neighbouring lines vote on charon's packet steps)."""
    serials: list[int] = []
    states: list[tuple[int, int]] = []
    words: list[tuple[int, float]] = []
    exchanges: list[tuple[int, int]] = []
    ike_ids: list[int] = []
    child_ids: list[int] = []
    steps: list[tuple[tuple[str, int], int]] = []
    mids: list[tuple[str, tuple[int, int]]] = []
    sad: list[tuple[str, int]] = []
    for text in texts:
        if _CHARON_LISTING.match(text):
            continue  # `ipsec status` lists SAs in no order of time
        m = _PLUTO_SERIAL.search(text)
        if m:
            serial = int(m.group(1))
            informative = False
            if s := _PLUTO_STATE.search(text):
                states.append((serial, int(s.group(1))))
                informative = True
            if r := _PLUTO_RETRANSMIT.search(text, m.start()):
                seconds = float(r.group(1)) / (1000 if r.group(2) == "ms" else 1) if r.group(1) else 0.0
                wait = min(seconds, 999.0) / 10000 if r.group(1) else 0.2  # waits in Openswan's "20s", 3.x's "500ms"
                words.append((serial, 1.5 + wait))
                informative = True
            elif w := _PLUTO_STEP.search(text, m.start()):
                words.append((serial, 0 if w.group(1) else 3 if w.group(2) else 1 if w.group(3) else 2))
                # a parent SA is deleted after its children were created, an SA after the one that replaced it
                informative = informative or not w.group(2)
            if v2 := _PLUTO_V2_MSG.search(text, m.start()):
                _verb, exchange, kind = v2.groups()
                exchanges.append((serial, (exchange == "IKE_AUTH") * 2 + (kind == "response")))
                informative = True
            # A parent (IKE) SA keeps speaking after its children were created: only lines that show
            # where a state is in its own negotiation count for the order of allocation.
            if informative:
                serials.append(serial)
        if p := _CHARON_IKE_PREFIX.search(text):
            ike_ids.append(int(p.group(1)))
        else:
            for name, n in _CHARON_IKE.findall(text):
                if name not in _CHARON_GROUPS:
                    ike_ids.append(int(n))
                    break
        if c := _CHARON_CHILD.search(text):
            child_ids.append(int(c["id"]))
        if s := _CHARON_IKE_STEP.search(text):
            steps.append((("ike", int(s.group(2) or s.group(3))), 0 if s.group(1) else 1))
        if s := _CHARON_CHILD_STEP.search(text):
            steps.append((("child", int(s.group(2) or s.group(3))), 0 if s.group(1) else 1))
        if mid := _CHARON_MID.search(text):
            verb, kind, n = mid.groups()
            ours = (verb == "generating") == (kind == "request")
            first_step = verb == ("generating" if ours else "parsed")
            mids.append(("ours" if ours else "peer", (int(n), 0 if first_step else 1)))
        if k := _CHARON_SAD.search(text):
            sad.append((k.group(2).lower(), _SAD_STEP[k.group(1)]))
    up = down = 0
    for u, d in (
        _allocation_votes(serials),
        _per_key_votes(states),
        _per_key_votes(words),
        _per_key_votes(exchanges),
        _allocation_votes(ike_ids),
        _allocation_votes(child_ids),
        _per_key_votes(steps),
        _per_key_votes(mids),
        _per_key_votes(sad),
        _packet_votes(texts, numbers),
        _bgp_chain_votes(texts),
    ):
        up, down = up + u, down + d
    return up, down


def _newest_first_by_protocol(events: list[Event], texts: list[tuple[int, str]] | None = None, upto: int = 0) -> bool:
    """For logs without usable timestamps: newest first only when the protocol's own order signals
    say so by a clear majority (at least two votes, and twice those for the given order); otherwise the
    given order is kept. `texts`: (line number, line) of the input's first `upto` lines that carry an order
    signal, events or not (the events after them add their own lines)."""
    seq = [r for r in map(_protocol_rank, events) if r is not None]
    up, down = _steps(seq)
    if texts is None:
        texts, upto = [], 0
    later = [ev for ev in events if ev.line > upto]
    u, d = order_votes([t for _, t in texts] + [ev.text for ev in later], [n for n, _ in texts] + [ev.line for ev in later])
    up, down = up + u, down + d
    return down >= 1 and down >= 2 * up


# The role a pluto state plays, from words only the initiator (or only the responder) of an IKE SA logs:
# a state serial keeps its role for its whole life, so the same serial in the other role is the other
# peer's log pasted after the first (both daemons number their states from #1).
_PLUTO_ROLE = re.compile(
    r"#(\d+): (?:STATE_(?:MAIN|AGGR|QUICK|PARENT)_(?P<state>[IR])\d|(?P<i>initiating (?:IKEv[12] )?(?:Main Mode|Aggressive"
    r" Mode|IKEv2 connection|v2 parent)|sent (?:IKE_SA_INIT|IKE_AUTH) request|sent Main Mode (?:request|I\d)"
    r"|processed IKE_SA_INIT response|processing IKE_AUTH response|initiator established IKE SA)"
    r"|(?P<r>responding to (?:Main|Aggressive) Mode|process(?:ed|ing)(?: decrypted)? (?:IKE_SA_INIT|IKE_AUTH) request"
    r"|sent (?:IKE_SA_INIT|IKE_AUTH) (?:response|reply)|sent Main Mode R\d|responder established IKE SA))"
)


# The peer a pluto state talks to, from the lines that name the address a message goes to or comes from: a state
# serial is allocated once by a daemon, so the same serial initiating again, to another peer, is the other
# daemon's log.
_PLUTO_PEER = re.compile(
    r"#(\d+): (?:initiating IKEv[12] connection to|sent [A-Z_]+ (?:request|response) to"
    r"|process(?:ed|ing) [A-Z_]+ (?:request|response) from) (?:\[(?P<v6>[0-9A-Fa-f:.]+)\](?::(?:UDP|TCP)/\d+|:\d+)?"
    r"|(?P<v4>\d{1,3}(?:\.\d{1,3}){3})(?::(?:UDP|TCP)/\d+|:\d+)?|(?P<bare>[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*?)(?::(?:UDP|TCP)/\d+)?)"
    r"(?=[\s,]|$)"
)


def pluto_peer(ev: Event) -> tuple[int, str] | None:
    """(state serial, peer address) when a libreswan line names the address its state talks to."""
    if ev.fmt != "libreswan":
        return None
    m = _PLUTO_PEER.search(ev.text)
    return (int(m.group(1)), m.group("v6") or m.group("v4") or m.group("bare")) if m else None


_DAEMON_PID = re.compile(r"\b(?:charon(?:-systemd)?|pluto|iked|kmd|racoon)\[(\d+)\]:")


# The role charon's IKE SA plays, from its IKE_SA_INIT (IKEv1: its Main or Aggressive Mode): an IKE SA's unique id
# (`<conn|N>`, `<N>`, `conn[N]`) keeps its role, so the same id in the other role is the other daemon's log (both
# number their IKE SAs from 1).
_CHARON_ROLE = re.compile(
    r"(?P<i>initiating (?:(?:Main|Aggressive) Mode )?IKE_SA [\w.-]+\[(?P<n>\d+)\]"
    r"|generating (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) request 0 |parsed (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) response 0 )"
    r"|(?P<r>\S+ is initiating an? (?:(?:Main|Aggressive) Mode )?IKE_SA"
    r"|parsed (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) request 0 |generating (?:IKE_SA_INIT|ID_PROT|AGGRESSIVE) response 0 )"
)
_CHARON_ANY_PREFIX = re.compile(r"<(?:[\w.-]+\|)?(\d+)> ")


def _ike_role(ev: Event) -> tuple[tuple[str, int], str] | None:
    """((daemon, pluto's state serial or charon's IKE SA unique id), "I" or "R") when the line says which side of its
    IKE SA it is."""
    if ev.fmt == "libreswan" and (m := _PLUTO_ROLE.search(ev.text)):
        return ("libreswan", int(m.group(1))), m.group("state") or ("I" if m.group("i") else "R")
    if ev.fmt == "strongswan" and (m := _CHARON_ROLE.search(ev.text)):
        n = m.group("n") or ((p := _CHARON_ANY_PREFIX.search(ev.text, 0, m.start() + 1)) and p.group(1))
        if n:
            return ("strongswan", int(n)), "I" if m.group("i") else "R"
    return None


def _daemon_pid(text: str) -> str:
    """The process id of the IKE daemon a syslog line names ("charon[2436]:", "pluto[7015]:"), or ""."""
    m = _DAEMON_PID.search(text, 0, 120)
    return m.group(1) if m else ""


_PLUTO_STARTS = ("lib-connection-added", "lib-connection-added-3x")  # the lines pluto starts its log with
_ADDED_NAME = re.compile(r'"([^"]+)"(?::| *$)')


def put_in_order(
    events: list[Event], texts: list[tuple[int, str]] | None = None, upto: int = 0
) -> tuple[list[Event], bool, int]:
    """Events oldest first, split into streams. Returns (events, input was newest-first, streams). `texts`:
    the order-signal lines of the input's first `upto` lines (see `lab.analyzer.scan.ORDER_LINE`)."""
    if len(events) < 2:
        for i, ev in enumerate(events, 1):
            ev.order = i
        return events, False, 1 if events else 0
    up, down = _steps([ev.stamp for ev in events if ev.stamp is not None], wraps=True)
    # Without usable timestamps, the protocol's own order signals decide.
    newest_first = _newest_first_by_protocol(events, texts, upto) if up == 0 and down == 0 else down > up
    ordered = list(reversed(events)) if newest_first else list(events)
    # Streams: a host change, or time jumping back (a second log pasted after the first); without host names,
    # the IKE daemon's process id (two charon[pid] or pluto[pid] in one paste are two daemons: both peers'
    # logs, or one daemon restarted, whose new process starts with no SA either way).
    pids = set() if any(ev.host for ev in ordered) else {p for ev in ordered if (p := _daemon_pid(ev.text))}
    if len(pids) < 2:
        pids = set()
    stream, prev, hosts = 0, None, {}
    roles: dict[tuple[str, int], str] = {}  # (daemon, state serial or IKE SA id) -> the role it plays
    peers: dict[int, str] = {}
    states = False  # a pluto state has spoken in this stream (no time stamps)
    added: set[str] = set()  # the connections pluto added in this stream
    forms: dict[str, bool] = {}  # pluto: connection name -> its states are an instance's ("conn"[1] 192.0.2.1 #3)
    last = 0  # with process ids: a line that names none belongs with the line before it
    readded: int | None = None  # pluto: where a connection was added again, till a state serial tells whose log it is
    readded_name = ""
    tops: dict[int, int] = {}  # pluto: the highest state serial of each stream
    for i, ev in enumerate(ordered, 1):
        ev.order = i
        if pids:
            pid = _daemon_pid(ev.text)
            if pid:
                if pid not in hosts:
                    hosts[pid] = len(hosts)
                last = hosts[pid] * 1000
            ev.stream = last
            continue
        if not ev.host and ev.stamp is None and ev.pattern in _PLUTO_STARTS:
            # pluto adds its connections when it starts: a connection added again after states have spoken is
            # another pluto's log starting (the other peer's, pasted after the first without time stamps, both
            # naming the connection alike; or a restart: no SA carries over). One added for the first time is
            # an operator adding it to the running daemon.
            name = _ADDED_NAME.search(ev.text)
            if states and name and name.group(1) in added and readded is None:
                # Decided at the next state serial: pluto numbers its states in one sequence for as long as it runs,
                # so a serial that goes on from this log's highest is the same daemon (the operator deleted the
                # connection and added it again: `ipsec delete` / `ipsec add`, a test's up-down script); one that
                # starts again is another pluto (or this one restarted).
                readded, readded_name = i - 1, name.group(1)
            if name:
                added.add(name.group(1))
        if readded is not None and ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            if serial <= tops.get(stream, 0):
                stream += 1
                roles, peers, states, added = {}, {}, False, {readded_name}
                for earlier in ordered[readded:i - 1]:
                    earlier.stream = stream if not earlier.host else earlier.stream + 1
            readded = None
        if not ev.host and (role := _ike_role(ev)):
            sa, side = role
            if roles.get(sa, side) != side:
                stream += 1  # the other peer's log starts here
                roles, peers = {}, {}
            roles[sa] = side
        if not states and ev.fmt == "libreswan" and _serial_of(ev.text) is not None:
            states = True
        if not ev.host and ev.stamp is None and ev.fmt == "libreswan" and (state := _PLUTO_STATE_OF.search(ev.text)):
            # One pluto's states of a connection are all of a permanent connection ("conn" #3) or all of a template's
            # instances ("conn"[1] 192.0.2.1 #3, "conn"[1] 192.0.2.1: ...): both forms of one name are two plutos (a
            # road warrior's permanent connection and the server's template of the same name, their logs pasted one
            # after the other). (A template's own lines, "conn": added ..., name no state and count for neither.)
            name, instance = state.group(1), state.group(2) is not None
            if forms.get(name, instance) != instance:
                stream += 1
                roles, peers, states, added, forms = {}, {}, True, set(), {}
            forms[name] = instance
        if not ev.host and ev.stamp is None and (talk := pluto_peer(ev)):
            # Both peers initiating the same connection (crossing streams) play the same roles with the same
            # serials; the address each state talks to differs: the other peer's log starts here.
            # Only a state that starts again counts: one daemon's state may hear from another address of the peer.
            serial, peer = talk
            if peers.get(serial, peer) != peer and "initiating IKEv" in ev.text:
                stream += 1
                roles, peers = {}, {}
                if role := _ike_role(ev):
                    roles[role[0]] = role[1]
            peers[serial] = peer
        if ev.host:
            if ev.host not in hosts:
                hosts[ev.host] = len(hosts)
            ev.stream = hosts[ev.host] * 1000 + stream
        else:
            ev.stream = stream
        if ev.stamp is not None:
            if prev is not None and ev.stamp < prev - 1 and not ev.host and not _past_midnight(prev, ev.stamp):
                stream += 1
                ev.stream = stream
            prev = ev.stamp
        if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            tops[stream] = max(tops.get(stream, 0), serial)
    return ordered, newest_first, len({ev.stream for ev in ordered})


# ---- meaning ----------------------------------------------------------------------------------

# Notify type -> what it tells (RFC 7296 3.10.1, RFC 2408 3.14.1). Phase-dependent ones are resolved
# with the exchange below; informational notifies (NAT detection, cookies, ...) carry no failure.
NOTIFY_MEANING = {
    "NO_PROPOSAL_CHOSEN": "no_proposal",
    "AUTHENTICATION_FAILED": "auth_failed",
    "INVALID_HASH_INFORMATION": "auth_failed",
    "INVALID_SIGNATURE": "auth_failed",
    "INVALID_CERTIFICATE": "auth_failed",
    "INVALID_CERT_AUTHORITY": "auth_failed",
    "CERT_TYPE_UNSUPPORTED": "auth_failed",
    "INVALID_CERT_ENCODING": "auth_failed",
    "INVALID_KEY_INFORMATION": "key_info",  # IKEv1: a KE payload it cannot use, or (encrypted) a signature that fails
    "AUTHENTICATION_REQUIRED": "auth_failed",
    "TS_UNACCEPTABLE": "ts_unacceptable",
    "SINGLE_PAIR_REQUIRED": "ts_unacceptable",
    # The Child SA's inner addresses (RFC 7296 section 3.10.1, configuration payloads): the responder could not
    # assign the virtual IP the initiator asked for (no pool, pool exhausted, address family not offered), or it
    # requires the initiator to ask for one and it did not. Either way the two sides disagree on the addresses
    # the Child SA carries: what each side puts in its traffic selectors (vips / leftsourceip against the
    # subnets), so the fix is in the same place as for a selector mismatch.
    "INTERNAL_ADDRESS_FAILURE": "ts_unacceptable",
    "FAILED_CP_REQUIRED": "ts_unacceptable",
    "INVALID_SELECTORS": "ts_unacceptable",
    "INVALID_ID_INFORMATION": "id",  # Quick Mode: proxy IDs (selectors); Main/Aggressive/IKE_AUTH: identity
    "INVALID_KE_PAYLOAD": "ke",  # IKE_SA_INIT: a normal DH-group retry; CREATE_CHILD_SA/Quick Mode: PFS group
    "PAYLOAD_MALFORMED": "malformed",  # IKEv1 Main Mode: the classic sign of a wrong pre-shared key
    "INVALID_COOKIE": "malformed",  # IKEv1 Main Mode after the key exchange: the peer has no key for us
    "CHILD_SA_NOT_FOUND": "rekey_failed",
    "INVALID_SYNTAX": "syntax",  # CREATE_CHILD_SA over an SA that was up: its rekey was refused
    # RFC 2408 3.14.1: a message one side could not parse (IKEv1). In a Quick Mode that replaces an SA that was up,
    # the two implementations disagree on the rekey exchange itself (e.g. the commit bit of RFC 2408 3.1).
    "INVALID_PAYLOAD_TYPE": "syntax",
    "INVALID_SPI": "rekey_failed",
    # RFC 7296 section 3.10.1: a request whose message ID is outside the window the receiver expects. On an IKE SA
    # that was up the two sides no longer agree on the SA's message counters (a rekey or retransmission gone wrong,
    # one side restarted): they are out of step.
    "INVALID_MESSAGE_ID": "message_id",
    "TEMPORARY_FAILURE": "rekey_collision",
    "NO_ADDITIONAL_SAS": "rekey_failed",
    "INVALID_MAJOR_VERSION": "ike_version_mismatch",
    "INVALID_EXCHANGE_TYPE": "ike_version_mismatch",
    "UNSUPPORTED_EXCHANGE_TYPE": "exchange_type",  # answering Aggressive Mode: the peer does not allow that mode
    "UNEXPECTED_NAT_DETECTED": "nat_t_or_fragmentation",
    "R_U_THERE": "dpd_probe",
    "R_U_THERE_ACK": "dpd_answer",
}
# Vendors that print an error as words rather than an RFC notify name (Junos "IKE negotiation failed with
# error: ...", Palo Alto, Check Point): the words say which stage refused. Only a name that says it failed
# (a failure word) is read this way, so informational notifies (AUTH_LIFETIME, SIGNATURE_HASH_ALGORITHMS,
# USE_TRANSPORT_MODE) stay informational.
_FAILURE_WORDS = frozenset({
    "FAIL", "FAILED", "FAILURE", "FAILS", "MISMATCH", "MISMATCHED", "INVALID", "UNACCEPTABLE", "INACCEPTABLE", "NOT",
    "NO", "REJECTED", "REJECT", "UNSUPPORTED", "ERROR", "WRONG", "RANGE", "DENIED", "UNKNOWN", "TIMEOUT", "TIMED",
    "DEAD", "BAD", "UNAVAILABLE",
})
_REASON_WORDS: tuple[tuple[frozenset[str], str], ...] = (
    (frozenset({"TS", "TSI", "TSR", "SELECTOR", "SELECTORS", "PROXY", "PROXIES", "PROXY_ID", "PROXY_IDS", "IDS",
                "SUBNET", "SUBNETS", "DOMAIN"}), "ts_unacceptable"),
    (frozenset({"PROPOSAL", "PROPOSALS", "TRANSFORM", "TRANSFORMS", "ALGORITHM", "ALGORITHMS", "CIPHER", "DH", "GROUP",
                "ENCRYPTION", "INTEGRITY", "PFS", "LIFETIME", "ATTRIBUTE", "ATTRIBUTES"}), "no_proposal"),
    (frozenset({"AUTH", "AUTHENTICATION", "PSK", "PRE", "SHARED", "SECRET", "SIGNATURE", "CERTIFICATE", "CERT",
                "ID", "IKE_ID", "IDENTITY", "IDENTIFIER", "PEER_ID", "HASH", "XAUTH", "EAP", "PASSWORD"}), "auth_failed"),
    (frozenset({"DPD", "DEAD", "LIVENESS"}), "dpd_dead"),
    (frozenset({"TIMEOUT", "TIMED", "RESPONDING", "RESPONSE", "UNREACHABLE", "RETRANSMISSION", "RETRANSMISSIONS"}),
     "give_up"),
)


def reason_meaning(name: str) -> str | None:
    """What an error named in words means ("TS_NOT_IN_RANGE", "PEER'S_IKE_ID_VALIDATION_FAILED", "PROPOSAL_MISMATCH"),
    or None when the words name no failure or no stage. Selectors are tried first: "proxy IDs" or "subnet" words
    decide for them even next to "ID"."""
    words = set(re.split(r"[^A-Z0-9]+", name.upper().replace("'S", ""))) - {""}
    if not words & _FAILURE_WORDS:
        return None
    for vocabulary, meaning in _REASON_WORDS:
        if words & vocabulary:
            return meaning
    return None


KIND_CATEGORY = {
    "auth_failed": "auth_failure",
    "ts_unacceptable": "traffic_selector_mismatch",
    "dpd_dead": "dpd_timeout",
    "rekey_collision": "rekey_issue",
    "rekey_failed": "rekey_issue",
    "bgp_down": "bgp_down",
    "ike_mode_mismatch": "ike_mode_mismatch",
    "ike_version_mismatch": "ike_version_mismatch",
    "ipsec_mode_mismatch": "ipsec_mode_mismatch",
    "nat_t_or_fragmentation": "nat_t_or_fragmentation",
    "cgw_not_initiating": "cgw_not_initiating",
    "ike_ignored": "cgw_not_initiating",
}


def bgp_peer(ev: Event) -> str:
    """The BGP neighbor a line names ("" when it names none)."""
    return str(ev.values.get("peer") or "")


def same_bgp_peer(a: Event, b: Event) -> bool:
    """Whether two BGP lines may be about the same neighbor: the same address, or one of them names none (an AWS
    VPN has two neighbors, one per tunnel: one's reset or recovery says nothing about the other)."""
    pa, pb = bgp_peer(a), bgp_peer(b)
    return not pa or not pb or pa == pb


@dataclass
class _State:
    """What one stream has shown so far."""

    exchange: str | None = None
    ike: int | None = None
    ike_up: bool = False
    child_up: bool = False
    dpd_pending: bool = False
    answered: bool = False  # the peer answered something since the last initiate
    # the peer's answer to this negotiation was an error notify that names no cause of its own (RFC 7296's
    # UNSUPPORTED_CRITICAL_PAYLOAD, INVALID_SYNTAX outside a rekey): it is reachable, and refused the request
    refused_by: Event | None = None
    # this side said it will not rekey the connection (OCI's pluto: "no rekeying on traffic selector override
    # connection"): the peer must replace the SA before it ends
    no_rekey: Event | None = None
    # IKEv1: the peer sent an Informational while phase 1 was still under way (before any IKE SA was up): its answer
    # to this side's last phase 1 message instead of the next one, usually a refusal this side could not read
    v1_info_answer: Event | None = None
    # IKEv1: the peer sent its previous phase 1 answer again after this side's next message (charon: "received
    # retransmit of response with ID 0, but next request already sent"): it could not decrypt or verify that message
    v1_repeat: Event | None = None
    conn_versions: set[str] = field(default_factory=set)  # pluto: the IKE versions of the connections it added
    peer_first: str | None = None  # the first exchange of the peer's last request this side parsed (IKE_SA_INIT, ...)
    bgp_up: set[str] = field(default_factory=set)  # the BGP neighbors seen up ("" when the line names none)

    @property
    def answered_phase1_with_info(self) -> bool:
        """IKEv1 phase 1 is still under way and the peer has already answered this side's last message with an
        Informational, or with its previous answer again."""
        return (self.v1_info_answer is not None or self.v1_repeat is not None) and not self.ike_up
    nat_or_frag: bool = False
    answered_init: bool = False  # this side (the responder) sent its IKE_SA_INIT response in this negotiation
    answered_auth: Event | None = None  # this side's (the responder's) IKE_AUTH response in this negotiation
    rekey_trouble: bool = False  # a rekey failed or collided: later timeouts on the SA are its consequence
    proposal_sa: str | None = None  # the SA kind of the last proposal list printed (IKE: or ESP:)
    pending_delete: Event | None = None  # an IKE SA delete whose initiator the next INFORMATIONAL tells
    pending: str | None = None  # the exchange of the last request sent and not yet answered
    rekeying: bool = False  # the Child SA exchange in progress rekeys (replaces) an SA that was up
    child_refused: bool = False  # a Child SA was refused since the IKE SA came up
    operator_down: bool = False  # the operator took the connection down (ipsec down, whack --delete)
    redirected: bool = False  # the peer redirected this side to another gateway: the old IKE SA expires on purpose
    new_child: bool = False  # the CREATE_CHILD_SA in progress adds a Child SA (says so), it replaces none
    child_deleted: bool = False  # a Child SA of this stream was deleted (it had been set up)
    rekey_refused: bool = False  # a Child SA's rekey was refused in this stream
    larval_replacement: Event | None = None  # pluto 5: a Child SA still negotiating, deleted after the one that was up
    child_conn: str = ""  # the connection of the Child SA last established, when the line names it
    up_serials: set[int] = field(default_factory=set)  # pluto state serials seen established
    child_ids: dict[str, int] = field(default_factory=dict)  # charon: the newest CHILD_SA name{id} established
    ike_ids: dict[str, int] = field(default_factory=dict)  # charon: the newest IKE_SA name[id] established
    duplicate_requests: int = 0  # IKEv2: the peer's CREATE_CHILD_SA requests this side answered and received again
    auth_duplicates: dict[int, int] = field(default_factory=dict)  # pluto serial: IKE_AUTH requests answered, received again
    pluto_ike: dict[str, int] = field(default_factory=dict)  # pluto: the newest IKE / ISAKMP SA serial established per conn
    failed_serials: set[int] = field(default_factory=set)  # pluto state serials seen retransmitting or giving up
    seen_serials: set[int] = field(default_factory=set)  # pluto state serials seen at all
    # pluto Quick Modes that replace no SA that was up: a first one, and each next attempt after it ("to replace #2")
    first_quick_serials: set[int] = field(default_factory=set)
    # pluto state serials started to replace an SA that was up ("to replace #N"): an IKEv1 Quick Mode is established
    # on this side before its last message (the responder's commit-bit CONNECTED, RFC 2408 3.1) is processed
    replacing_serials: set[int] = field(default_factory=set)
    reauth_pending: bool = False  # charon reauthenticates: the IKE SA it initiates next replaces the one that was up
    transport_asked: str = ""  # the exchange whose request asked for transport mode (N(USE_TRANSP))
    am_unanswered: bool = False  # this side sent Aggressive Mode's first message and got no Aggressive Mode answer
    large_sent: int = 0  # the size of the last message sent when it needs IP fragments (charon prints it), till an answer
    policy_checks: list[Event] = field(default_factory=list)  # Cisco IOS: offers that did not match one local policy
    redirected_serials: set[int] = field(default_factory=set)  # pluto: states the peer redirected (RFC 5685)
    moved_to_4500: bool = False  # pluto: IKE_AUTH went to UDP 4500 after IKE_SA_INIT on 500 (NAT detected)
    init_port: str = ""  # pluto: "500" when this side sent its IKE_SA_INIT to UDP 500
    bgp_listing_up: bool = False  # "show ip bgp neighbors": the neighbor listed last is "BGP state = Established"
    crossed: set[int] = field(default_factory=set)  # pluto: IKE SA serials that refuse a crossing IKE_AUTH (simultaneous)
    cert_sent: bool = False  # IKEv1: this side's certificate went into its Main Mode MI3 (pluto), till an answer
    rare_transform: str = ""  # the Quick Mode offer asks for AH or IPComp, which many peers do not accept
    remote_access: bool = False  # this side is an XAUTH / ModeCFG client: its Quick Mode proposes the address it got or brings
    session_end: Event | None = None  # the L2TP/PPP session inside the SA ended here (a user disconnect)
    create_child_seen: bool = False  # a CREATE_CHILD_SA went out or came in: an IKE SA was up, shown or not
    proposal_flaw: str = ""  # a key length the offered algorithm does not have (the peer must refuse it)
    peer: str = ""  # the IKE peer's address, when a line names it
    host_to_host: bool = False  # the Child SA's selectors are the two IKE endpoints themselves
    child_ts: str = ""  # the selectors of the Child SA last proposed
    up_ts: set[frozenset[str]] = field(default_factory=set)  # charon: the selectors of the CHILD_SAs established
    # pluto: the line of the first retransmission of each state's request (state serial -> line)
    retransmitted: dict[int, int] = field(default_factory=dict)
    child_proposals: bool = False  # ESP/AH proposals were listed (received or configured)
    retransmits: list[Event] = field(default_factory=list)  # unanswered so far; an answer makes them harmless
    up_ike_tags: set[str] = field(default_factory=set)  # charon's "<gw|1>" of the IKE SAs established
    # charon's IKE SAs established in this log and not deleted since: name -> {unique id: line}
    up_ike_sas: dict[str, dict[int, int]] = field(default_factory=dict)
    transport_requested: bool = False  # the peer's last Child SA request carried N(USE_TRANSPORT_MODE) (pluto)
    rekey_unanswered: bool = False  # a rekey request was sent again and the peer has not answered since
    rekey_waiting: bool = False  # a rekey was started and nothing from the peer has come since
    v1_encrypted: bool = False  # IKEv1 Main Mode reached its third messages: from now on they are encrypted
    refused: dict[int, list[Event]] = field(default_factory=dict)  # the peer's phase 1 refusals by pluto state serial
    # The BGP neighbors whose session was last reset or shut down on purpose (Cease 6/2, 6/4, 6/6; "" for a line that
    # names no neighbor).
    bgp_on_purpose: set[str] = field(default_factory=set)
    # The BGP downs per named neighbor so far (decisive or weak), to tell a reset while a session is set up from a flap.
    bgp_downs: dict[str, list[tuple[Event, str | None]]] = field(default_factory=dict)  # (the line, its reason)
    # The connection collisions (Cease 6/7) per BGP neighbor so far, while the neighbor was not seen up.
    bgp_collisions: dict[str, list[Event]] = field(default_factory=dict)
    # Those runs of collisions that reached BGP_COLLISION_LOOP: each event is given its run's length once, at the end.
    bgp_collision_loops: list[list[Event]] = field(default_factory=list)


# RFC 4271 section 6.8 closes one of two connections opened at once and the session goes on over the other: a
# collision this many times for one neighbor that never came up is the session failing to come up, not a race.
BGP_COLLISION_LOOP = 3
# A neighbor's only down followed by its Up within this many seconds is part of setting the session up (see bgp_up).
BGP_SETUP_RESET_S = 5

INFO_EXCHANGES = {"INFORMATIONAL", "INFORMATIONAL_V1"}


def _exchange_of(ev: Event, st: _State) -> str | None:
    """The exchange a message refers to. An IKEv1 notify travels in its own informational exchange, so
    it refers to the exchange in progress (Main Mode, Quick Mode) before it."""
    if ev.exchange and ev.exchange not in INFO_EXCHANGES:
        return ev.exchange
    return st.exchange or ev.exchange


_CHARON_TAG = re.compile(r"<([\w.-]+\|\d+)>")  # charon's IKE_SA name and unique id
_CHARON_UNIQUE = re.compile(r"<(?:[\w.-]+\|)?(\d+)>")  # its unique id alone ("<1>" before the config is known)
_V1_DECRYPT = frozenset({"swan-ikev1-decrypt", "swan-decrypt-failed"})
_TUNNEL_SA = re.compile(r"\bIPsec tunnel\b|\btunnel mode\b")
# Error notifies (RFC 7296 section 3.10.1) that say the peer could not process a request without naming a setting
# that differs and that NOTIFY_MEANING leaves without a meaning: an answer, so the peer is reachable, but no cause of
# the five stages. (INVALID_SYNTAX has a meaning of its own, "syntax", and is marked where that is read.)
_UNNAMED_REFUSALS = frozenset({"UNSUPPORTED_CRITICAL_PAYLOAD", "INVALID_IKE_SPI"})
_PLUTO_RECEIVED_NOTIFY = re.compile(r"\breceived (?:un)?authenticated v2N_[A-Z_]+")
_PLUTO_ANSWERS = re.compile(r"\bresponding to [A-Z_]+ (?:\(\d+\) )?(?:message|request)\b[^\n]*? with (?:un)?encrypted notification ")
# pluto reading the peer's response: "ignoring IKE_SA_INIT response containing X notification", "processing IKE_AUTH
# response from ... containing ...N(X)", "IKE_AUTH response contained the error notification X" (3.x "AUTH response")
_PLUTO_RESPONSE_READ = re.compile(
    r"\b(?:ignoring|processing|processed) (?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL) response\b"
    r"|\b(?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|AUTH) response contained the\b")
_V1_HASHED = re.compile(r"\bINFORMATIONAL_V1 (?:request|response) \S+ \[ HASH\b")
_PROTECTED = re.compile(r"\bsecured informational payload\b|\bsending encrypted notification\b|\bwith encrypted notification\b")


# pluto 3.x / Openswan: "<state>: <notify>" when a state transition fails and the notify is sent (ikev1.c, ikev2.c)
_STATE_BEFORE_NOTIFY = re.compile(
    r"(?:#\d+: |^|\s)(?:STATE_)?((?:MAIN|AGGR|QUICK)_[IR]\d|PARENT_I[12]|PARENT_R1): [A-Z][A-Z_-]+\s*$")
# The exchange whose message an IKEv2 state was waiting for when its transition failed: PARENT_I1 sent IKE_SA_INIT,
# PARENT_I2 sent IKE_AUTH, PARENT_R1 answered IKE_SA_INIT and processes the IKE_AUTH request (Openswan, libreswan 3.x).
_FAILED_STATE_EXCHANGE = {"PARENT_I1": "IKE_SA_INIT", "PARENT_I2": "IKE_AUTH", "PARENT_R1": "IKE_AUTH"}


# Words with which a line names the phase it is about, when its pattern captured none (Check Point's "Quick Mode
# Received Notification", a gateway's "phase-2 negotiation failed", "Create Child SA exchange").
_NAMES_CHILD = re.compile(r"(?i)\b(?:quick mode|phase[- ]?2|create[ _]child[ _]sa|child[ _]sa|ipsec[ -]sa)\b")
_NAMES_IKE = re.compile(r"(?i)\b(?:main mode|aggressive mode|phase[- ]?1|ike_sa_init|isakmp[ -]sa|ike[ _]sa)\b")


def _named_phase(text: str) -> str | None:
    """The phase a line names in words, when it names only one."""
    child, ike = _NAMES_CHILD.search(text) is not None, _NAMES_IKE.search(text) is not None
    return "child" if child and not ike else "ike" if ike and not child else None


def _phase_of(ev: Event, st: _State) -> str:
    """"ike" or "child": which SA a failure belongs to, from the line, the exchange or what came before."""
    if ev.sa:
        return ev.sa
    if (not ev.exchange or ev.exchange in INFO_EXCHANGES) and (named := _named_phase(ev.text)):
        return named
    ex = _exchange_of(ev, st)
    if ex in IKE_EXCHANGES:
        return "ike"
    if _PROTECTED.search(ev.text):
        # A refusal sent or received encrypted under the IKE SA: the IKE SA is up, so what was refused is a
        # Child SA (pluto's "secured informational payload", "encrypted notification"; IKEv1 refuses Main
        # Mode proposals in the clear).
        return "child"
    if ex in CHILD_EXCHANGES or ex == "IKE_AUTH":
        # In IKE_AUTH, NO_PROPOSAL_CHOSEN / TS_UNACCEPTABLE are about the Child SA carried in it.
        return "child"
    if st.proposal_sa:
        return st.proposal_sa
    return "child" if st.ike_up else "ike"




# "show ip bgp neighbors" (Cisco, FRR, FortiOS; Junos "show bgp neighbor"): the neighbor's state now ("BGP state =
# Active", Junos "Type: External  State: Established"), and why it last went down (history): "Last reset 00:00:36, due
# to ..." (IOS, IOS-XR), "Last reset by us 6d01h, due to ..." (NX-OS), "Last reset 00:00:31,  Notification sent (...)"
# (FRR), "Last Reset: 4d14h38m, due to ..." (FortiOS).
_BGP_STATE = re.compile(r"BGP state = \w+|^\s*Type: (?:Internal|External)\s+State: \w+"
                        r'|^\s*"(?:bgpState|state)":\s*"')  # FRR's JSON listings, under the neighbor's key
# (FRR's show bgp neighbors json gives the last reset's NOTIFICATION, when it was one, on a line of its own:
# "lastNotificationReason" is that reset's reason, not an older NOTIFICATION)
_LAST_RESET = re.compile(r"\s*Last [Rr]eset:? (?:by (?:us|peer) )?\S+, +(?:due to )?\S"
                         r'|\s*"(?:lastResetDueTo|lastNotificationReason)":\s*"')
# IOS-XR's "Error Code: hold time expired" under "Time since last notification sent to neighbor: 2w3d", FortiOS's
# "Notification Error Message: (Hold Timer Expired/...)" under "Last Reset: 4d14h38m, due to BGP Notification sent":
# the last NOTIFICATION, which may be older than the last reset (the "Last reset" line says why the session last went
# down). Junos's "show bgp neighbor": "Last Error: Hold Timer Expired Error" and its counts per error ("Error: 'Hold
# Timer Expired Error' Sent: 156 Recv: 17"), whatever the neighbor's state now.
_LAST_NOTIFICATION = re.compile(r"\s*(?:(?:Error Code|Notification Error Message|Last Error): "
                                r"|Error: '[^'\n]*' Sent: \d+ Recv: \d+)")

# pluto names the transport of each request ("sent IKE_AUTH request to 192.0.2.1:UDP/4500")
_TO_500 = re.compile(r":UDP/500\b")
_TO_4500 = re.compile(r":UDP/4500\b")

# pluto's states still waiting for the answer to the first message of a negotiation
_FIRST_REQUEST = {"IKE_SA_INIT", "MAIN_I1", "AGGR_I1", "PARENT_I1", "V2_PARENT_I1"}

# This side retries with the DH group the peer asked for after INVALID_KE_PAYLOAD (pluto).
# pluto "resending with suggested DH ...", charon "peer didn't accept DH group X, it requested Y": a retry follows
_KE_RETRY = re.compile(r"resending with suggested|, it requested ", re.IGNORECASE)

# Cisco IOS debug crypto isakmp: the reasons one local policy or transform set did not match the offer. IOS checks
# them in turn; "atts are acceptable" after these lines means a later one matched.
_POLICY_CHECK = re.compile(
    r"offered does not match policy|Proposed key length does not match policy|atts are not acceptable"
    r"|IPSec policy invalidated proposal with error"
)


def bgp_listing_line(ev: Event) -> bool:
    """A line of a BGP status listing (a neighbor's state, its last reset or last error; a summary row): the session
    as the listing shows it, not an event of the log."""
    return bool(ev.values.get("snapshot") or _BGP_STATE.search(ev.text) or _LAST_RESET.match(ev.text)
                or _LAST_NOTIFICATION.match(ev.text))


def _listing_neighbors(events: list[Event]) -> None:
    """"show ip bgp neighbors" (Cisco IOS, IOS-XE, IOS-XR, NX-OS; FRR; FortiOS) and Junos's "show bgp neighbor": a
    block's state, last-reset and last-error lines name no neighbor, its header does ("BGP neighbor is
    169.254.44.233,  remote AS 64512", "Peer: 10.169.14.240+60606 AS 65151 Local: ...", the neighbor's key in FRR's
    JSON: '"169.254.44.233":{'). Each such line takes the
    neighbor of the header above it, so two neighbors of one listing (AWS's two tunnels) are two sessions: one down,
    one established, not one session that went down and came back."""
    current: dict[str, str] = {}
    for ev in events:
        if ev.kind == "bgp_neighbor":
            current[ev.stream] = bgp_peer(ev)
        elif ev.kind in ("bgp_down", "bgp_up") and not bgp_peer(ev) and current.get(ev.stream) and bgp_listing_line(ev):
            ev.values["peer"] = current[ev.stream]


def _set(ev: Event, category: str | None, weight: str = "decisive") -> None:
    if ev.weak and weight == "decisive":
        weight = "weak"
    ev.category, ev.weight = category, weight if category else "context"


_REKEY_WORDS = ("rekey", "replac", "re-key", "reauth")
_NEW_WORDS = ("new", "create", "additional")
# A key length an algorithm does not have ("3DES_CBC_333", "AES_CBC_100"): the peer must refuse such a
# proposal whatever its configuration (RFC 2409 appendix A, RFC 3602: AES keys are 128, 192 or 256 bits).
_KEY_LENGTH = re.compile(
    r"\b(?P<algo>3DES|DES3|TRIPLEDES|DES)(?:_CBC)?[_-](?P<bits>\d{2,4})\b"
    r"|\b(?P<algo2>AES)(?:_(?:CBC|CTR|GCM_(?:8|12|16|C)|CCM_(?:8|12|16|C)|GCM|CCM))?[_-](?P<bits2>\d{2,4})\b",
    re.I,
)
_VALID_BITS = {"3DES": {"192", "168"}, "DES3": {"192", "168"}, "TRIPLEDES": {"192", "168"}, "DES": {"64", "56"},
               "AES": {"128", "192", "256"}}


def key_length_flaw(text: str) -> str:
    """The first algorithm in a proposal text with a key length it does not have, e.g. "3DES_CBC_333", or ""."""
    for m in _KEY_LENGTH.finditer(text):
        algo = (m.group("algo") or m.group("algo2") or "").upper()
        bits = m.group("bits") or m.group("bits2") or ""
        if algo in _VALID_BITS and bits not in _VALID_BITS[algo]:
            return m.group(0)
    return ""


def _later_request(ev: Event) -> bool:
    """The retransmitted request is numbered after the exchanges that set an IKE SA up (message ID 2 or more)."""
    mid = ev.values.get("msgid")
    return isinstance(mid, str) and mid.isdigit() and int(mid) >= 2


def _rekey_word(ev: Event) -> str:
    """"rekey" when the line says the exchange replaces an SA, "new" when it adds one, else ""."""
    words = str(ev.values.get("rekey") or "").lower().split()
    if any(w.startswith(_REKEY_WORDS) for w in words):
        return "rekey"
    if any(w.startswith(_NEW_WORDS) for w in words):
        return "new"
    if ev.exchange and "REKEY" in str(ev.values.get("exchange") or "").upper():
        return "rekey"
    payloads = str(ev.values.get("notify") or "")
    if "REKEY_SA" in payloads:  # RFC 7296 REKEY_SA notify in the payload list
        return "rekey"
    if ev.exchange == "CREATE_CHILD_SA" and ev.kind == "exchange" and " request" in ev.text:
        listed = set(_PAYLOADS.findall(payloads))
        if {"SA", "TSi", "TSr"} <= listed:
            return "new"  # a Child SA request without REKEY_SA adds a Child SA (RFC 7296 section 1.3.1)
        if {"SA", "KE"} <= listed:
            return "rekey"  # SA and KE without selectors: the IKE SA is rekeyed (section 1.3.2)
    return ""


_PLUTO_STATE_OF = re.compile(r'"([^"]+)"(?:(\[\d+\])(?: [^\s#:]+)?(?: #\d+)?|(?: [^\s#]+)? #\d+): ')
_PLUTO_MAIN_I3 = re.compile(r"#\d+: (?:STATE_)?MAIN_I3: retransmission")
_IMPAIRED_TIMEOUT = re.compile(r"IMPAIR: .*retransmit so timing out SA")


def _rekey_state(ev: Event) -> bool:
    """The daemon's state name says the exchange rekeys an SA (pluto's STATE_V2_REKEY_CHILD_I,
    REKEY_IKE_I1, ...): only an SA that was up is rekeyed, so its failure is a rekey's."""
    return "REKEY" in str(ev.values.get("exchange") or "").upper()


def _new_child_state(ev: Event) -> bool:
    """The daemon's state name says the exchange adds a Child SA (pluto's STATE_V2_CREATE_I,
    NEW_CHILD_I1; 5.3+ "retransmitting new Child SA request"): it replaces nothing."""
    state = str(ev.values.get("exchange") or "").upper()
    return "V2_CREATE" in state or "NEW_CHILD" in state or "NEW CHILD" in state


_CHARON_THREAD = re.compile(r"\b(\d{1,3})\[(?:IKE|CFG|ENC|NET|CHD|MGR)\] ")


def _pluto_notify_directions(events: list[Event]) -> None:
    """The direction of pluto's notify lines whose pattern leaves it open, from their wording."""
    for ev in events:
        if ev.direction is None and ev.kind == "notify" and ev.fmt == "libreswan":
            if "responding to " in ev.text and _PLUTO_ANSWERS.search(ev.text):
                ev.direction = "sent"  # pluto's "responding to <exchange> message ... with encrypted notification X"
            elif "authenticated v2N_" in ev.text and _PLUTO_RECEIVED_NOTIFY.search(ev.text):
                ev.direction = "received"  # libreswan 3.x: "received unauthenticated v2N_NO_PROPOSAL_CHOSEN - ignored"
            elif "response" in ev.text and _PLUTO_RESPONSE_READ.search(ev.text):
                ev.direction = "received"  # the peer's response, which this side read (or ignored): the peer answered
            elif "received and ignored notification payload" in ev.text:
                ev.direction = "received"  # libreswan 3.x/4.x, IKEv1: a notification the peer sent, read and ignored


def _pluto_auth_guess_exchange(events: list[Event]) -> None:
    """pluto's "Possible authentication failure: no acceptable response to our first encrypted message" names the
    state it timed out in: IKEv1 Main Mode's MAIN_I3 (also when the paste leaves the state out: the usual case), or,
    in libreswan 3.x, IKEv2's PARENT_I2 (IKE_AUTH)."""
    for ev in events:
        if ev.pattern == "lib-timeout-auth":
            ev.exchange = ev.exchange or "MAIN_MODE"
            ev.ike = 2 if ev.exchange == "IKE_AUTH" else 1


_PACKET_HEADER = "cisco-ikev2-packet-header"
_PACKET_EXCHANGE = "cisco-ikev2-exchange-line"


def _cisco_packet_dumps(events: list[Event]) -> None:
    """IOS-XE's debug crypto ikev2 packet prints one packet over several lines: "Received Packet [From ...]", the
    SPIs, "IKEv2 IKE_AUTH Exchange RESPONSE", "Payload contents:", then the payloads (" VID IDr AUTH
    NOTIFY(NO_PROPOSAL_CHOSEN)"). Each line reads as little alone; put together, the exchange line is the packet
    (sent or received) and a notification on the payload line travels in that exchange, in that direction. The
    header lines themselves are dropped once read."""
    if not any(ev.pattern == _PACKET_HEADER for ev in events):
        return
    header: Event | None = None
    packet: Event | None = None
    building: list[Event] = []  # notifications of a packet being built ("Building packet for encryption"), not sent yet
    keep: list[Event] = []
    for ev in events:
        if ev.pattern == _PACKET_HEADER:
            header, packet = ev, None
            continue
        if ev.pattern == _PACKET_EXCHANGE and header is not None and header.stream == ev.stream and (
                0 < ev.line - header.line <= 3):
            ev.direction = header.direction
            packet = ev
            if ev.direction == "sent":
                # the packet built just before goes out in this exchange (encrypted, its payloads listed first)
                for built in building:
                    if built.stream == ev.stream and 0 < ev.line - built.line <= 8:
                        built.exchange, built.direction = ev.exchange, "sent"
            building = []
        elif ev.kind == "notify" and not ev.exchange:
            if packet is not None and packet.stream == ev.stream and 0 < ev.line - packet.line <= 3:
                ev.exchange, ev.direction = packet.exchange, packet.direction
            else:
                building.append(ev)
        keep.append(ev)
    events[:] = keep


def _borrow_exchange(events: list[Event]) -> None:
    """A failure line that names no exchange belongs to the message this side sends right after it (same
    stream, same second): FortiGate's event log writes "IPsec phase 2 error" before the progress line
    that names the exchange (exch=CREATE_CHILD) the refusal is sent in, and charon "no acceptable proposal
    found" before "generating CREATE_CHILD_SA response 0 [ N(NO_PROP) ]" (in the same thread, when its lines
    carry no time), pluto 5.3+ "no local proposal matches remote proposals" before "responding to CREATE_CHILD_SA
    message ... with encrypted notification NO_PROPOSAL_CHOSEN" (the IKE SA's line; 5.2 and earlier also said
    "CREATE_CHILD_SA request failed" on the Child SA's), charon's "failed to establish CHILD_SA, keeping IKE_SA" after
    its refusal (no exchange named, but the SA is a Child SA): a paste that starts there still tells a Child SA's
    refusal from an IKE SA's. pluto's lines without time count when the answer is the very next line."""
    for i, ev in enumerate(events):
        if ev.exchange or ev.kind not in ("no_proposal", "ts_unacceptable", "notify"):
            continue
        thread = _CHARON_THREAD.search(ev.text) if ev.stamp is None else None
        # pluto's lines without time (a test console, a paste that cut the stamps): its answer is the next line
        adjacent = ev.stamp is None and thread is None and ev.fmt == "libreswan"
        if ev.stamp is None and thread is None and not adjacent:
            continue
        for nxt in events[i + 1 : i + 4]:
            if nxt.stream != ev.stream or (adjacent and abs(nxt.line - ev.line) != 1):
                break
            if ev.stamp is not None and (nxt.stamp is None or abs(nxt.stamp - ev.stamp) >= 1):
                break
            if thread is not None and ((t := _CHARON_THREAD.search(nxt.text)) is None or t.group(1) != thread.group(1)):
                break
            if nxt.kind == "exchange" and nxt.direction == "sent" and nxt.exchange in CHILD_EXCHANGES:
                ev.exchange = nxt.exchange
                break
            if nxt.pattern == "swan-child-failed-keeping-ike":
                if ev.kind != "notify":
                    ev.sa = ev.sa or "child"  # charon: the Child SA failed and the IKE SA stays: phase 2's refusal
                break
            if nxt.kind == "no_proposal" and ev.fmt == "libreswan":
                break  # pluto refused another state's proposals first: the answer after it is that state's
            if (ev.kind == "no_proposal" and nxt.kind == "notify" and nxt.direction == "sent" and nxt.exchange
                    and NOTIFY_MEANING.get(nxt.notify or "") == "no_proposal"):
                ev.exchange = nxt.exchange  # the refusal this side sends, in the exchange it names
                if nxt.exchange == "INFORMATIONAL_V1" and not ev.sa and _V1_HASHED.search(nxt.text):
                    # ... sent under the ISAKMP SA (a HASH payload, RFC 2409 section 5.7): phase 1 is done, so
                    # the proposals refused were Quick Mode's (charon: "[ HASH N(NO_PROP) ]").
                    ev.sa = "child"
                break


# States of an exchange in progress; MAIN_I4, MAIN_R3, AGGR_I2, AGGR_R2 and QUICK_I2, QUICK_R2 are the states
# after it completed, which say nothing about the exchange a later message belongs to.
_PLUTO_V1_STATE = re.compile(r"\b(?:STATE_)?(MAIN_I[123]|MAIN_R[012]|AGGR_I1|AGGR_R[01]|QUICK_I1|QUICK_R[01])\b")


# How near (events of the same log) after a peer's ISAKMP SA Delete its IPsec SA Delete must come to count as the
# same teardown: pluto logs each Delete payload of one message on a line of its own, one after the other.
_SAME_TEARDOWN = 3


def _isakmp_only_deletes(events: list[Event]) -> set[int]:
    """The peer's IKEv1 Deletes of an ISAKMP SA that leave an IPsec SA up: no Delete of an IPsec SA from the peer
    since the last IPsec SA came up, nor among the `_SAME_TEARDOWN` events of the same log after it. See the reading
    in `classify`. pluto's only: it deletes just the ISAKMP state (ikev1_main.c accept_delete), where charon ends the
    IKE_SA with its CHILD_SAs and sets both up again (isakmp_delete.c). One pass over the events."""
    def peer_deletes_child(e: Event) -> bool:
        return e.kind == "delete" and e.direction == "received" and e.sa == "child"

    found: set[int] = set()
    child_deleted: dict[int, bool] = {}  # per log: the peer deleted an IPsec SA since the last one came up
    for i, ev in enumerate(events):
        if ev.kind == "established" and ev.sa == "child":
            child_deleted[ev.stream] = False
        elif peer_deletes_child(ev):
            child_deleted[ev.stream] = True
        elif (ev.kind == "delete" and ev.direction == "received" and ev.sa == "ike" and ev.fmt == "libreswan"
              and (ev.ike == 1 or (ev.ike is None and "ISAKMP" in ev.text))  # (pluto: "deleting ISAKMP State #1")
              and not child_deleted.get(ev.stream, False)
              and not any(e.stream == ev.stream and peer_deletes_child(e)
                          for e in events[i + 1 : i + _SAME_TEARDOWN + 1])):
            found.add(id(ev))
    return found


# pluto's IKEv1 states whose fatal error ends an authentication step (see lib-v1-state-fatal in classify)
_V1_AUTH_FATAL = re.compile(r"fatal error in state (?:STATE_)?(?:MAIN_I3|MAIN_R2|AGGR_I1|AGGR_R1)\b")


def _auth_step_fatal(ev: Event, st: _State) -> None:
    """pluto ended the negotiation for good in an authentication step (see `_V1_AUTH_FATAL`, lib-auth-exchange-fatal):
    the line names no reason, and authentication or identity is what those steps check. A guess, which a line naming
    the cause (a refused Child SA, a proposal) outweighs; over an IKE SA already up it is not the negotiation's, nor
    after the peer refused the request with an error that names no setting (INVALID_SYNTAX,
    UNSUPPORTED_CRITICAL_PAYLOAD: it could not process the message)."""
    ev.values["guess"] = True
    ev.weak = True
    _set(ev, None if st.ike_up or st.refused_by is not None else "auth_failure", "weak")


def _pluto_notify_echoes(events: list[Event]) -> None:
    """pluto 3.x/4.x log one IKEv1 notification on two lines: "ignoring [secured|unsecured] informational payload X,
    msgid=..." and then "received and ignored notification payload: X" (ikev1.c). The first says how it came
    (encrypted under the ISAKMP SA or in the clear); the second, which says nothing of that, is its echo."""
    for i, ev in enumerate(events):
        if not (ev.fmt == "libreswan" and ev.kind == "notify" and "received and ignored notification payload" in ev.text):
            continue
        for prev in reversed(events[max(0, i - 2) : i]):
            if (prev.stream == ev.stream and prev.kind == "notify" and prev.notify == ev.notify
                    and prev.pattern == "lib-informational-payload" and _serial_of(prev.text) == _serial_of(ev.text)):
                ev.values["echo_of"] = prev.line
                break


def _borrow_pluto_state(events: list[Event]) -> None:
    """A notify pluto received without naming the exchange belongs to the exchange its state is in, which the
    state's next line names ("#3: ignoring secured informational payload INVALID_ID_INFORMATION", then "#3:
    STATE_MAIN_I3: 10 second timeout exceeded"): Main Mode's INVALID_ID_INFORMATION is about identities, Quick
    Mode's about selectors. A refusal pluto logs before its answer belongs to the exchange of that answer ("#3: KE
    has 256 byte DH public value; 512 required", then "#3: responding to CREATE_CHILD_SA message (ID 2) ... with
    encrypted notification INVALID_SYNTAX"): a Child SA's DH group is phase 2's."""
    for i, ev in enumerate(events):
        if (ev.kind not in ("notify", "no_proposal") or ev.exchange or ev.fmt != "libreswan"
                or (serial := _serial_of(ev.text)) is None):
            continue
        for nxt in events[i + 1 : i + 4]:
            if nxt.stream != ev.stream:
                break
            if _serial_of(nxt.text) != serial or (nxt.kind == ev.kind and nxt.notify == ev.notify and not nxt.exchange):
                continue  # (pluto logs one notification on two lines: "ignoring informational payload X", then
                # "received and ignored notification payload: X")
            m = _PLUTO_V1_STATE.search(nxt.text)
            if m and ev.kind == "notify":
                ev.exchange = {"MAIN": "MAIN_MODE", "AGGR": "AGGRESSIVE_MODE", "QUICK": "QUICK_MODE"}[m.group(1)[:-3]]
                ev.values["pluto_state"] = m.group(1)
            elif ev.kind == "no_proposal" and nxt.kind == "notify" and nxt.exchange in ("IKE_SA_INIT", "CREATE_CHILD_SA"):
                ev.exchange = nxt.exchange
            break


# pluto 3.x / Openswan: the responder's IKE SA moving to PARENT_R2, which it does when it answers the IKE_AUTH request
_PLUTO_R2 = re.compile(r"\bSTATE_PARENT_R2: received v2I2\b|\btransition from state STATE_PARENT_R1 to state STATE_PARENT_R2\b")


def _pluto_notify_in_auth_answer(events: list[Event]) -> None:
    """An IKEv2 notify in pluto's debug dump of a message it builds ("| Notify Message Type: v2N_NO_PROPOSAL_CHOSEN")
    names no exchange; when the next line of the log with a reading is the responder's IKE SA entering PARENT_R2
    ("STATE_PARENT_R2: received v2I2, PARENT SA established"), the notify went out in that IKE_AUTH answer, beside an
    IKE SA that came up: it refuses the Child SA (RFC 7296 section 1.2), not the IKE SA. A paste that starts at the
    dump is then read as phase 2's refusal, as the whole log is."""
    for i, ev in enumerate(events[:-1]):
        if ev.kind != "notify" or ev.exchange or "v2N_" not in ev.text:  # (the dump line is read by a generic pattern)
            continue
        nxt = events[i + 1]
        if nxt.stream == ev.stream and 0 < nxt.line - ev.line <= 4 and _PLUTO_R2.search(nxt.text):
            ev.exchange = "IKE_AUTH"
            ev.direction = ev.direction or "sent"


def _rekey_left_unanswered(events: list[Event]) -> None:
    """An established IKE SA's timeout followed by the deletion of an unfinished Child SA rekey state (pluto's
    "deleting state (STATE_V2_REKEY_CHILD_I1)"): the request the IKE SA sent and never got an answer to was that
    rekey, so the timeout is the rekey's, also in a paste that starts after the rekey was initiated. pluto 5 names no
    state: it deletes the Child SA that was up ("#2: ESP traffic information: in=0B out=0B") and then a "larval" one
    still being negotiated ("#4: deleting larval Child SA"), the CREATE_CHILD_SA that was to replace it. (A liveness
    probe that times out leaves no larval Child SA: IKEv2 has one request outstanding, RFC 7296 section 2.3.)"""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or "ESTABLISHED" not in str(ev.values.get("exchange", "")).upper():
            continue
        installed = False  # a Child SA that was up was deleted in this teardown
        for nxt in events[i + 1 : i + 7]:
            if nxt.stream != ev.stream or nxt.kind in ("initiate", "established"):
                break
            if nxt.kind == "delete" and (_rekey_state(nxt) or (installed and nxt.pattern == "lib-larval-deleted")):
                ev.values["rekey_pending"] = True
                break
            installed = installed or (nxt.kind == "delete" and nxt.pattern == "lib-ipsec-sa-traffic-at-delete")


# pluto's deletion of a rekey it started and never finished: 5.x "deleting larval Child SA" (also for an IKE SA
# rekey's state), 3.x/4.x "deleting state (STATE_V2_REKEY_CHILD_I1)".
_UNFINISHED_REKEY = frozenset({"lib-larval-deleted", "lib-rekey-child-state-deleted"})
# What ends a rekey request other than silence: an answer (an SA up, a refusal, the response processed), the peer's
# Delete, the operator's teardown.
_REKEY_ENDS = frozenset({"established", "notify", "no_proposal", "ts_unacceptable", "operator_down"})


def _rekey_deleted_unanswered(events: list[Event]) -> None:
    """pluto deletes the state of a rekey it started ("#3: initiating rekey to replace Child SA #2", "#3: sent
    CREATE_CHILD_SA request to rekey ...") with nothing for that state in between ("#3: deleting larval Child SA"):
    the rekey got no answer before the IKE SA was torn down. This is what shows it when the excerpt has no timeout
    line: a shortened paste, or a pluto made to give up at once (libreswan's test suite, `timeout_on_retransmit`).
    The deletion is then the rekey's give-up, an end of this side's own (the revival lines after it are no peer
    Delete)."""
    for i, ev in enumerate(events):
        if ev.pattern not in _UNFINISHED_REKEY or ev.kind != "delete" or (serial := _serial_of(ev.text)) is None:
            continue
        # (pluto 3.x/4.x name the state: REKEY_CHILD_I / REKEY_IKE_I sent the rekey and wait for its answer, I0 has
        # not sent it yet)
        asked = ev.pattern == "lib-rekey-child-state-deleted" and not str(ev.values.get("exchange", "")).endswith("I0")
        for prev in reversed(events[:i]):
            if prev.stream != ev.stream:
                continue
            same = _serial_of(prev.text) == serial
            if (prev.kind in _REKEY_ENDS and (prev.kind == "operator_down" or same)) or (
                prev.kind == "delete" and prev.direction == "received" and prev.pattern not in _REVIVALS) or (
                # (pluto's "processed CREATE_CHILD_SA response" for that state: it was answered)
                prev.kind == "exchange" and prev.direction in ("received", None) and same):
                asked = False
                break
            if same and prev.kind in ("initiate", "exchange") and _rekey_word(prev) == "rekey":
                asked = True
                break
            if prev.kind == "established":
                break  # a rekey starts after the SAs it replaces came up: nothing before that ends it
        if asked:  # (no longer a guess: the state's own request is in view, and nothing answered or ended it)
            ev.kind, ev.exchange, ev.weak = "give_up", "CREATE_CHILD_SA", False
            ev.values["rekey_pending"] = True


# pluto's status listings name a state before its connection: `ipsec status` / `showstates` rows
# (`#3: "conn"[1] 192.0.2.1:500 STATE_V2_REKEY_CHILD_I1 ...`), of which the `ipsec trafficstatus` rows list the IPsec
# SAs that are up (`#3: "conn"[1] 192.0.2.1, type=ESP`). (Its log lines name it after: `_serial_of`.)
_STATE_ROW = re.compile(r'#(\d+): "[^"\n]+"')
_TRAFFIC_ROW = re.compile(r'#(\d+): "[^"\n]+"(?:\[\d+\])?[^,\n]*, type=')


def _operator_rekey_unfinished(events: list[Event]) -> None:
    """The operator asked pluto to rekey a connection's Child SA (`ipsec whack --rekey-child --name conn`, often
    `--async`: the terminal shows nothing more), and a later `ipsec trafficstatus` of that connection still lists
    only the SAs that were up before, with no line in between or after naming a newer state of it: no new SA
    replaced the old one. (Any newer state - the rekey's own lines, a refusal, a new SA - leaves the judgement to
    what those lines say.) The row that shows it carries the finding. One pass, a search per pluto line only when
    the paste has such a command."""
    if not any(ev.kind == "operator_rekey" for ev in events):
        return
    newest: dict[str, int] = {}  # the highest state serial seen so far per connection
    asked: dict[str, tuple[Event, int, Event | None]] = {}  # connection -> (its rekey, newest before it, old row)
    for ev in events:
        if ev.kind == "operator_down":  # (what was listed before it stands; what comes after is another story)
            for command, _, row in asked.values():
                _rekey_not_done(command, row)
            asked.clear()
            continue
        if ev.kind == "operator_rekey" and ev.values.get("conn"):
            conn = str(ev.values["conn"])
            if (pending := asked.pop(conn, None)) is not None:
                _rekey_not_done(pending[0], pending[2])
            if ev.values.get("rekey") in ("ipsec", "child") and conn in newest:
                asked[conn] = (ev, newest[conn], None)
            continue
        if ev.fmt != "libreswan" or "#" not in ev.text:
            continue
        row = _TRAFFIC_ROW.search(ev.text)
        listed = row or _STATE_ROW.search(ev.text)  # (a state being negotiated counts: the rekey is under way)
        serial = int(listed.group(1)) if listed else _serial_of(ev.text)
        conn = conn_of(ev)
        if serial is None or not conn:
            continue
        newest[conn] = max(newest.get(conn, 0), serial)
        if (pending := asked.get(conn)) is None:
            continue
        if serial > pending[1]:
            del asked[conn]  # a newer state of the connection: its own lines say how the rekey went
        elif row is not None and ev.kind == "established" and pending[2] is None:
            asked[conn] = (pending[0], pending[1], ev)
    for command, _, row in asked.values():
        _rekey_not_done(command, row)


def _rekey_not_done(command: Event, row: Event | None) -> None:
    """Mark the listing row that shows the operator's rekey did not replace the SA (none: nothing to mark)."""
    if row is None:
        return
    row.values["rekey_not_done"] = command.line
    row.values["rekey_conn"] = str(command.values["conn"])
    row.values["rekey_serial"] = int(_TRAFFIC_ROW.search(row.text).group(1))  # type: ignore[union-attr]


# pluto deleting a state that never came up: it was still in the first exchanges (Main/Aggressive Mode, a first Quick
# Mode, IKE_SA_INIT / IKE_AUTH) - 3.x/4.x "deleting state (STATE_MAIN_I1)", 5.x "deleting ISAKMP SA (MAIN_I1)",
# "deleting IKE SA (sent IKE_SA_INIT request)".
_NEVER_UP_DELETED = re.compile(
    r"#\d+: deleting (?:state|ISAKMP SA|IKE SA|IPsec SA|Child SA) \((?:STATE_)?(?:MAIN_I[123]|AGGR_I1|QUICK_I1|"
    r"(?:V2_)?PARENT_I[12]|IKE_SA_INIT_I\d?|IKE_AUTH_I\d?|sent IKE_SA_INIT request|sent IKE_AUTH request)\)")


def _retries_of_failed_attempts(events: list[Event]) -> None:
    """pluto starts its next keying attempt "to replace #2" right before it deletes #2, when #2 never came up
    ("#2: starting keying attempt 3 of an unlimited number", "#3: initiating Main Mode to replace #2", "#2: deleting
    state (STATE_MAIN_I1)"): the new state is a retry of a failed first negotiation, not the rekey of an SA that was
    up, also in a paste that starts after #2's own failure lines. The deletion of #2 in a state before its SA was up,
    within the next few lines of the same log, says so."""
    for i, ev in enumerate(events):
        if ev.kind != "initiate" or (replaced := _replaced_serial(ev)) is None:
            continue
        for nxt in events[i + 1 : i + 5]:
            if nxt.stream != ev.stream or nxt.kind == "established":
                break
            if _serial_of(nxt.text) == replaced and _NEVER_UP_DELETED.search(nxt.text):
                ev.values["retry"] = True
                break


def _revival_during_unanswered_rekey(events: list[Event]) -> None:
    """pluto revives a connection while the rekey it started for that connection ("#3: sent Quick Mode request, to
    replace #2") is still being sent again, unanswered: the SA it was to replace reached the end of its lifetime (or
    the peer dropped it) before its replacement came up. Whoever ended the SA, the cause is the unanswered rekey.
    This is what shows it in a paste cut before the rekey's own timeout. (The revival line names the connection's
    serial, "$N", not the state's: any rekey of the connection still waiting counts.)"""
    for i, ev in enumerate(events):
        if ev.pattern not in _REVIVALS:
            continue
        conn = conn_of(ev)
        retransmitted: set[int | None] = set()
        for prev in reversed(events[:i]):
            if prev.stream != ev.stream:
                continue
            serial = _serial_of(prev.text)
            if prev.kind == "retransmit":
                retransmitted.add(serial)
                continue
            if prev.kind in ("initiate", "exchange") and _replaced_serial(prev) is not None and (
                    _rekey_word(prev) == "rekey"):
                other = conn_of(prev)
                if serial is not None and serial in retransmitted and (not conn or not other or conn == other):
                    ev.kind, ev.direction, ev.weak = "give_up", None, False
                    ev.exchange = "QUICK_MODE" if prev.exchange == "QUICK_MODE" else "CREATE_CHILD_SA"
                    ev.values["rekey_pending"] = True
                    ev.values["replaced_ended"] = prev.line
                break
            if prev.kind in _REKEY_ENDS or prev.kind in ("established", "give_up", "dpd_dead", "delete") or (
                    prev.kind == "exchange" and prev.direction in ("received", None)):
                break  # the rekey was answered, given up, or something else ended the SA


def _rekey_started_again(events: list[Event]) -> None:
    """Openswan starts a Child SA rekey when the SA reaches its lifetime ("starting rekey of CHILD SA for state=#2
    (expired)"); the state the rekey creates is listed as STATE_CHILD_C1_REKEY until the peer answers and the new SA
    is established. A second rekey started in the same log before any Child SA came up after the first (a status
    listing's rows show SAs still up, not new ones) means the first one got no usable answer: the state it created
    reached its own lifetime still being rekeyed (Openswan's test rekey-no-reply: the peer never answers the
    CREATE_CHILD_SA). The second start carries the finding."""
    pending: dict[int, Event] = {}  # stream -> the rekey started and not yet followed by an established Child SA
    for ev in events:
        if ev.pattern == "os-child-rekey" and "starting rekey" in ev.text:
            if (first := pending.get(ev.stream)) is not None:
                ev.kind, ev.direction, ev.weak = "rekey_failed", None, False
                ev.values["rekey_again"] = first.line
            else:
                pending[ev.stream] = ev
        elif ev.kind == "established" and ev.stream in pending and not _STATE_ROW.search(ev.text):
            del pending[ev.stream]  # (a status listing's row shows an SA still up, not one set up now)


def _ke_retried(events: list[Event]) -> None:
    """charon's INVALID_KE_PAYLOAD in a parsed message ("[ N(INVAL_KE) ]") followed by its retry with the group the
    peer asked for ("peer didn't accept DH group X, it requested Y"): the notify is the same round as the retry line."""
    for i, ev in enumerate(events):
        if ev.notify != "INVALID_KE_PAYLOAD" or ev.pattern == "swan-ke-retry":
            continue
        for nxt in events[i + 1 : i + 3]:
            if nxt.stream == ev.stream and nxt.pattern == "swan-ke-retry":
                if _KE_RETRY.search(nxt.text):
                    ev.values["ke_retried"] = True
                break


_REDUNDANT_IKE = re.compile(r"waiting for delete for redundant IKE_SA (\S+\[\d+\])")


def _redundant_ike_deletes(events: list[Event]) -> None:
    """charon wins an IKE SA rekey collision ("IKE_SA rekey collision won, waiting for delete for redundant IKE_SA
    gw[7]", RFC 7296 section 2.8.2): the peer's Delete for that IKE SA, when it comes, is the collision's expected end.
    So is the peer's Delete for IKE_SA gw[9] when another IKE SA of the connection (`<gw|8>`) goes on exchanging
    messages with the peer after it: the tunnel stays up over that one (a paste that starts after the collision)."""
    awaited: set[tuple[int, str]] = set()
    for ev in events:
        if "redundant IKE_SA" in ev.text and (m := _REDUNDANT_IKE.search(ev.text)):
            awaited.add((ev.stream, m.group(1)))
        elif (awaited and ev.kind == "delete" and ev.direction == "received" and (m := _CHARON_IKE_SA.search(ev.text))
              and (ev.stream, f"{m['name']}[{m['id']}]") in awaited):
            ev.values["redundant"] = True
    if not any(ev.kind == "delete" and ev.direction == "received" and ev.fmt == "strongswan" and ev.sa != "child"
               for ev in events):
        return  # most logs: no Delete of an IKE SA from the peer, nothing to look up after it
    later: dict[tuple[int, str], set[str]] = {}  # (stream, connection) -> the IKE SA ids seen answering later on
    set_up: dict[tuple[int, str], set[str]] = {}  # ... and those seen being set up later on (not up before)
    for ev in reversed(events):
        if ev.fmt != "strongswan":
            continue
        if ev.kind == "delete" and ev.direction == "received" and ev.sa != "child" and (
                m := _CHARON_IKE_SA.search(ev.text)):
            key = (ev.stream, m["name"])
            if later.get(key, set()) - set_up.get(key, set()) - {m["id"]}:
                ev.values["redundant"] = True
        elif tag := _CHARON_TAG.search(ev.text):
            name, _, unique = tag.group(1).rpartition("|")
            if ev.exchange in IKE_EXCHANGES or ev.kind == "initiate" or (ev.kind == "established" and ev.sa != "child"):
                set_up.setdefault((ev.stream, name), set()).add(unique)
            elif ev.kind == "exchange" and _PARSED_FROM_PEER.search(ev.text):
                later.setdefault((ev.stream, name), set()).add(unique)


# charon parsed a request or response of the peer's on an IKE SA that is up (not one that sets an IKE SA up)
_PARSED_FROM_PEER = re.compile(r"\bparsed (?:INFORMATIONAL|CREATE_CHILD_SA)(?:_V1)? (?:request|response)\b")


def _deletes_of_rekeyed_ike_sas(events: list[Event]) -> None:
    """charon: the Delete for IKE_SA gw[3] while a newer IKE SA of the name (lines tagged "<gw|4>") is at work without
    being set up after that Delete is the end of gw[3]'s rekey (RFC 7296 section 2.18: the old IKE SA is deleted
    once its replacement is up), also in a paste that starts after the "IKE_SA gw[4] rekeyed" line."""
    # per (stream, name): each unique id seen in a tag, and the order of the last line that sets it up from scratch
    # (this side's initiation, the first exchange, "IKE_SA gw[4] established"; a rekey says "rekeyed"), -1 if none
    started: dict[tuple[int, str], dict[int, int]] = {}
    last_exchange: dict[tuple[int, str], str | None] = {}  # per (stream, tag): the exchange of its last message
    for ev in events:
        if ev.fmt == "strongswan" and (tag := _CHARON_TAG.search(ev.text)):
            name, _, unique = tag.group(1).rpartition("|")
            ids = started.setdefault((ev.stream, name), {})
            # (the responder of an IKE SA rekey prints "<gw|2> 192.0.2.2 is initiating an IKE_SA" right after the
            # CREATE_CHILD_SA request it parsed: the new SA, gw[3], not gw[2] set up anew)
            in_rekey = last_exchange.get((ev.stream, tag.group(1))) == "CREATE_CHILD_SA"
            setup = not in_rekey and (ev.kind == "initiate" or (
                ev.kind == "exchange" and ev.exchange in ("IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE")) or (
                ev.kind == "established" and "IKE_SA" in ev.text and "rekeyed" not in ev.text))
            if ev.kind == "exchange":
                last_exchange[(ev.stream, tag.group(1))] = ev.exchange
            ids[int(unique)] = max(ids.get(int(unique), -1), ev.order if setup else -1)
    # per (stream, name): the ids in order and, from each on, the earliest of their last set-ups
    tables: dict[tuple[int, str], tuple[list[int], list[int]]] = {}
    for key, ids in started.items():
        order = sorted(ids)
        least = [0] * len(order)
        low = None
        for k in range(len(order) - 1, -1, -1):
            low = ids[order[k]] if low is None else min(low, ids[order[k]])
            least[k] = low
        tables[key] = (order, least)
    for ev in events:
        if not (ev.kind == "delete" and ev.direction == "received" and ev.fmt == "strongswan"
                and (m := _CHARON_IKE_SA.search(ev.text)) and "IKE_SA" in ev.text.split("DELETE", 1)[-1]):
            continue
        order, least = tables.get((ev.stream, m["name"]), ([], []))
        k = bisect.bisect_right(order, int(m["id"]))
        if k < len(order) and least[k] < ev.order:  # a newer IKE SA not set up after the Delete
            ev.values["redundant"] = True


_DH_GROUP = re.compile(r"\b(?:MODP_?\d{3,4}|ECP_?\d{3}(?:_BP)?|CURVE_?(?:25519|448)|DH\d{1,2}|MLKEM\d+)\b", re.IGNORECASE)


def pfs_groups(events: list[Event], refusal: Event) -> tuple[str, str] | None:
    """(received, configured) DH groups when the Child SA proposals listed just before a refused rekey differ in
    their DH group only (RFC 7296 section 1.3.1: a CREATE_CHILD_SA may carry a KE for PFS; the Child SA created
    with IKE_AUTH never does, so a PFS mismatch shows at the first rekey)."""
    near = [e for e in events if e.stream == refusal.stream and refusal.order - 6 <= e.order < refusal.order
            and e.kind == "proposals"]
    received = next((str(e.values["received"]) for e in reversed(near) if e.values.get("received")), "")
    configured = next((str(e.values["configured"]) for e in reversed(near) if e.values.get("configured")), "")
    if not received or not configured:
        return None
    groups_r = sorted({g.upper() for g in _DH_GROUP.findall(received)})
    groups_c = sorted({g.upper() for g in _DH_GROUP.findall(configured)})
    if groups_r == groups_c:
        return None
    if _DH_GROUP.sub("", received).replace("//", "/") != _DH_GROUP.sub("", configured).replace("//", "/"):
        return None  # other algorithms differ too: not the PFS group alone
    return ", ".join(groups_r), ", ".join(groups_c)


_CHILD_REKEY_FAILED = re.compile(r"\bCHILD_SA rekeying failed\b")


def _refused_rekeys(events: list[Event]) -> None:
    """charon's "CHILD_SA rekeying failed, trying again in N seconds" right after a refusal of a Child SA (the same
    IKE SA, within a few events): the refused request was the rekey (child_rekey.c logs it when its CREATE_CHILD_SA
    fails), also in a paste that starts after the SA and its rekey began."""
    for i, ev in enumerate(events):
        if ev.kind != "rekey_failed" or not _CHILD_REKEY_FAILED.search(ev.text):
            continue
        tag = _CHARON_TAG.search(ev.text)
        for prev in reversed(events[max(0, i - 4):i]):
            if prev.stream != ev.stream or (tag and (t := _CHARON_TAG.search(prev.text)) and t.group(1) != tag.group(1)):
                continue
            if prev.kind in ("no_proposal", "ts_unacceptable", "notify") and prev.exchange in (None, "CREATE_CHILD_SA"):
                prev.values["rekey_refused"] = True


_USING_ISAKMP = re.compile(r"\busing isakmp ?#(\d+)")


def _pluto_quick_mode_refusals(events: list[Event]) -> None:
    """pluto's "initiating Quick Mode ... {using isakmp#1 ...}" says ISAKMP SA #1 is up and carries Quick Mode: a
    refusal it logs on state #1 naming no exchange ("#1: ignoring informational payload NO_PROPOSAL_CHOSEN") is the
    peer's answer to that Quick Mode (RFC 2409 section 5.5), also in a paste that starts after Main Mode."""
    in_use: set[tuple[int, int]] = set()
    quick: set[tuple[int, int]] = set()  # Quick Mode states: "#66: initiating Quick Mode ... to replace #65"
    for ev in events:
        if ev.fmt != "libreswan" or not (m := _USING_ISAKMP.search(ev.text)):
            continue
        in_use.add((ev.stream, int(m.group(1))))
        if (serial := _serial_of(ev.text)) is not None:
            quick.add((ev.stream, serial))
        if (replaced := _replaced_serial(ev)) is not None:
            quick.add((ev.stream, replaced))
    if not in_use:
        return
    for ev in events:
        if ev.fmt != "libreswan" or ev.exchange or ev.sa or (serial := _serial_of(ev.text)) is None:
            continue
        if ev.kind in ("notify", "no_proposal") and (ev.stream, serial) in in_use:
            ev.exchange = "QUICK_MODE"
        elif ev.kind in ("retransmit", "give_up") and (ev.stream, serial) in quick:
            # a Quick Mode state's timeout: over an ISAKMP SA that is up, so the peer was reached (see classify)
            ev.exchange = "QUICK_MODE"


_QUICK_UP_STATE = re.compile(r"\b(?:STATE_)?QUICK_[IR]2\b|\bIPsec SA established\b")
_IPSEC_STATE = re.compile(r"\bIPsec State #(\d+)")
_QUICK_WAITING = re.compile(r"\b(?:STATE_)?QUICK_I1\b")
# pluto IKEv1: an ISAKMP SA that is up (its state MAIN_I4 / MAIN_R3, AGGR_I2 / AGGR_R2, or the line saying so), and a
# Main Mode this side initiated still waiting for an answer (MAIN_I1 to MAIN_I3).
_ISAKMP_UP_STATE = re.compile(
    r"\b(?:STATE_)?(?:MAIN_I4|MAIN_R3|AGGR_I2|AGGR_R2)\b|\bISAKMP SA established\b|\b(?:IKE|ISAKMP) SA expired\b")
_MAIN_WAITING = re.compile(r"\b(?:STATE_)?MAIN_I[123]\b")
_ISAKMP_SA_DELETED = "lib-established-isakmp-deleted"


def _quick_modes_beside_an_up_sa(events: list[Event]) -> set[tuple[int, int]]:
    """pluto: a Quick Mode state waiting for its answer (QUICK_I1) while an older IPsec SA of the same connection is
    up (QUICK_I2 / QUICK_R2, deleted only after the Quick Mode started) is that SA's replacement, its rekey, also in a
    paste that starts after the "initiating Quick Mode ... to replace #2" line. Returns the (stream, serial) of such
    Quick Mode states."""
    up: dict[tuple[int, str], list[tuple[int, int]]] = {}  # (stream, conn) -> (serial, order of its last line)
    waiting: dict[tuple[int, int], tuple[str, int]] = {}  # (stream, serial) -> (conn, order of its first line)
    for ev in events:
        if ev.fmt != "libreswan" or (serial := _serial_of(ev.text)) is None:
            continue
        conn = conn_of(ev)
        if named := _IPSEC_STATE.search(ev.text):  # the peer's Delete names the IPsec SA ("replace IPsec State #2")
            up.setdefault((ev.stream, conn), []).append((int(named.group(1)), ev.order))
        elif _QUICK_UP_STATE.search(ev.text):
            up.setdefault((ev.stream, conn), []).append((serial, ev.order))
        elif _QUICK_WAITING.search(ev.text) and (ev.stream, serial) not in waiting:
            waiting[(ev.stream, serial)] = (conn, ev.order)
    latest: dict[tuple[int, str], tuple[list[int], list[int]]] = {}  # serials in order, the latest line up to each
    for key, rows in up.items():
        rows.sort()
        running, lasts = -1, []
        for _, last in rows:
            running = max(running, last)
            lasts.append(running)
        latest[key] = ([serial for serial, _ in rows], lasts)
    replacing: set[tuple[int, int]] = set()
    for (stream, serial), (conn, first) in waiting.items():
        serials, lasts = latest.get((stream, conn), ([], []))
        k = bisect.bisect_left(serials, serial)  # the older SAs
        if k and lasts[k - 1] > first:
            replacing.add((stream, serial))
    return replacing | _main_modes_beside_an_up_isakmp_sa(events)


def _main_modes_beside_an_up_isakmp_sa(events: list[Event]) -> set[tuple[int, int]]:
    """pluto IKEv1, the same for the ISAKMP SA: a Main Mode this side initiated, still waiting for an answer (MAIN_I1
    to MAIN_I3), while an older ISAKMP SA of the same connection is up (its last line, such as its expiry "IKE SA
    expired (LATEST!)" or "deleting ISAKMP SA (MAIN_I4)", comes after the Main Mode started) is that SA's
    replacement, its rekey - also in a paste that starts after the "initiating Main Mode ... to replace #1" line.
    Returns the (stream, serial) of such Main Mode states."""
    up: dict[tuple[int, str], list[tuple[int, int, float | None]]] = {}
    waiting: dict[tuple[int, int], tuple[str, int, float | None]] = {}
    for ev in events:
        if ev.fmt != "libreswan" or (serial := _serial_of(ev.text)) is None:
            continue
        if _ISAKMP_UP_STATE.search(ev.text):
            up.setdefault((ev.stream, conn_of(ev)), []).append((serial, ev.order, ev.stamp))
        elif _MAIN_WAITING.search(ev.text) and (ev.stream, serial) not in waiting:
            # When the paste starts in the middle of the Main Mode's retransmissions, the wait it names tells how
            # long ago it began at least: the waits double, so the previous one was half of it.
            began = ev.stamp
            if began is not None and (m := _PLUTO_RETRANSMIT.search(ev.text)) and m.group(1):
                wait = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
                began -= wait / 2 if wait >= 1 else 0
            waiting[(ev.stream, serial)] = (conn_of(ev), ev.order, began)

    def while_up(serial: int, first: int, began: float | None, older: int, last: int, last_stamp: float | None) -> bool:
        if older >= serial:
            return False
        if last > first:
            return True  # the older SA's last line comes after the Main Mode's first
        return began is not None and last_stamp is not None and began < last_stamp

    return {(stream, serial) for (stream, serial), (conn, first, began) in waiting.items()
            if any(while_up(serial, first, began, *older) for older in up.get((stream, conn), ()))}


def _charon_create_child(events: list[Event]) -> None:
    """A Child SA refused for its DH group alone, on a charon IKE SA ("<gw|1>") that already set up a CHILD_SA: the
    Child SA of IKE_AUTH carries no KE and IKE_AUTH carries the first Child SA only (RFC 7296 sections 1.2, 1.3.1),
    so the request was a CREATE_CHILD_SA (a rekey, or another Child SA), also when the [ENC] lines naming the
    exchange are left out of the log."""
    with_child: set[tuple[int, str]] = set()
    v1: set[tuple[int, str]] = set()  # IKEv1 SAs: Main or Aggressive Mode, Quick Mode (no CREATE_CHILD_SA)
    for i, ev in enumerate(events):
        if ev.fmt != "strongswan":
            continue
        tag = _CHARON_UNIQUE.search(ev.text)
        key = (ev.stream, tag.group(1) if tag else "")  # (charon's default ike_name = no: no tag, one key per log)
        if ev.ike == 1 or ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE", "QUICK_MODE", "INFORMATIONAL_V1"):
            v1.add(key)
        if ev.kind == "established" and "CHILD_SA" in ev.text:
            with_child.add(key)
        elif (key in with_child and key not in v1 and not ev.exchange and ev.kind == "no_proposal"
              and pfs_groups(events[max(0, i - 8):i], ev) is not None):  # (the listing printed just before it)
            ev.exchange = "CREATE_CHILD_SA"


def _borrow_proposal_sa(events: list[Event]) -> None:
    """A refusal of proposals that names no SA takes it from the proposal listing the daemon prints right after
    it: charon logs "no acceptable DIFFIE_HELLMAN_GROUP found" and only then "received proposals: ESP:...", so a
    responder's log without the exchange before it still says which SA was refused. Likewise from the daemon's own
    phase-specific refusal that follows it: IOS prints "atts are not acceptable" for Main and Quick Mode alike and
    then "phase 2 SA policy not acceptable!" (or "phase 1 ..."); racoon and RouterOS print "no suitable proposal
    found" and then "failed to pre-process ph2 packet"."""
    for i, ev in enumerate(events):
        if ev.kind != "no_proposal" or ev.sa or ev.exchange:
            continue
        for nxt in events[i + 1 : i + 5]:
            if nxt.stream != ev.stream or nxt.kind in ("exchange", "initiate", "established"):
                break
            if nxt.kind in ("proposals", "no_proposal") and nxt.sa:
                ev.sa = nxt.sa
                break


_HOST_CIDR = re.compile(r"^([0-9a-fA-F.:]+)/(32|128)$")


def _host_to_host(selectors: str, peer: str) -> bool:
    """Selectors "a/32===b/32" whose remote host is the IKE peer: an SA between the two gateways only,
    the one case where transport mode can be negotiated (RFC 4301 section 4.1)."""
    sides = [p.strip() for p in selectors.split("===")]
    hosts = [_HOST_CIDR.match(p) for p in sides]
    if len(sides) != 2 or not all(hosts):
        return False
    return not peer or peer in (hosts[0].group(1), hosts[1].group(1))  # type: ignore[union-attr]


_RARE_TRANSFORMS = (("AUTHENTICATE", "AH"), ("COMPRESS", "IPComp"))


def _policy_words(policy: str) -> set[str]:
    return set(policy.upper().split("+"))


def rare_transform(policy: str) -> str:
    """The transforms beyond ESP a Quick Mode offer asks for, from pluto's policy words
    ("RSASIG+AUTHENTICATE+TUNNEL+PFS": AH; "+COMPRESS+": IPComp): a peer without them cannot accept it."""
    words = _policy_words(policy)
    return "+".join(name for word, name in _RARE_TRANSFORMS if word in words)


_REMOTE_ACCESS_WORDS = frozenset({"XAUTH", "MODECFG_PULL", "MODECFG_PUSH"})


def _quick_mode_guess(ev: Event, st: _State) -> str:
    """What a first Quick Mode left unanswered after phase 1 is read as (a guess: the responder's refusal is an
    encrypted notification the excerpt does not show, libreswan's ikev1.c): between two gateways pluto's own reading,
    the phase 2 proposal (PFS, algorithms); for a remote-access client (XAUTH / ModeCFG) the address it proposes."""
    if st.remote_access:
        ev.values["remote_access"] = True
        return "traffic_selector_mismatch"
    return "phase2_proposal_mismatch"


_PAYLOADS = re.compile(r"[^\s\[\]]+")


def _mode_mismatch(ev: Event, st: _State) -> bool:
    """Transport mode asked for and not granted: an IKE_AUTH / CREATE_CHILD_SA request carrying
    N(USE_TRANSP) answered by a response that carries the Child SA (SA, TSi, TSr) without it. RFC 7296
    section 1.3.1: without USE_TRANSPORT_MODE in the response the SA is a tunnel-mode SA, so one side
    runs transport mode's configuration over a tunnel-mode SA. Returns True when the event was read."""
    if ev.exchange not in ("IKE_AUTH", "CREATE_CHILD_SA") or "notify" not in ev.values:
        return False
    payloads = set(_PAYLOADS.findall(str(ev.values["notify"])))
    transport = any(p.upper() in ("N(USE_TRANSP)", "N(USE_TRANSPORT_MODE)") for p in payloads)
    if " request" in ev.text:
        st.transport_asked = ev.exchange if transport else ""
        if transport:
            # Transport mode is asked for an SA between the two IKE endpoints only (RFC 4301 section 4.1):
            # the Child SA is host-to-host whether or not the log prints its selectors.
            st.host_to_host = True
        return False
    if " response" not in ev.text or st.transport_asked != ev.exchange:
        return False
    st.transport_asked = ""
    if transport or not {"SA", "TSi", "TSr"} <= payloads:
        return False
    st.exchange = ev.exchange
    _set(ev, "ipsec_mode_mismatch")
    ev.values["mode_asked"] = "transport"
    ev.values["mode_granted"] = "tunnel"
    st.child_refused = True
    return True


_CHARON_CHILD_TS = re.compile(r"\band TS (.+? === \S+)")


def _ts_pair(text: str) -> frozenset[str]:
    """The two sides of "A === B" selectors, either way round (each side's log names its own first)."""
    if "===" not in text:
        return frozenset()
    a, _, b = text.partition("===")
    return frozenset({a.strip(), b.strip()})


def _child_replaced(ev: Event, st: _State) -> bool:
    """A refusal that can only be about an exchange replacing an IKEv2 Child SA that is up (see classify)."""
    if not st.child_up or st.new_child or (st.ike or ev.ike) != 2 or _new_child_state(ev) or "IKE_AUTH" in ev.text:
        return False
    conn = conn_of(ev)
    if conn and st.child_conn and conn != st.child_conn:
        return False  # another connection's Child SA over the same IKE SA: a new one, not a replacement
    refused = _ts_pair(str(ev.values.get("ts_offered") or ""))
    if refused and st.up_ts and refused not in st.up_ts:
        return False  # selectors no Child SA up has: a rekey carries the SA's own (RFC 7296 section 2.8), so a new one
    ex = _exchange_of(ev, st)
    return ev.exchange == "CREATE_CHILD_SA" or (ev.exchange is None and ex in ("IKE_AUTH", "CREATE_CHILD_SA", None))


_QUICK_R1 = re.compile(r"\b(?:STATE_)?QUICK_R1\b")
_REPLACES = re.compile(r"\b(?:to replace|replacing)(?: (?:established|establishing) (?:IKE|Child) SA)? #(\d+)")


def _replaced_serial(ev: Event) -> int | None:
    """The pluto state a negotiation replaces ("initiating Main Mode to replace #2", "initiate, replacing #1")."""
    if ev.fmt != "libreswan":
        return None
    m = _REPLACES.search(ev.text)
    return int(m.group(1)) if m else None


# The IKE version of a negotiation's first exchange.
_FIRST_EXCHANGE_VERSION = {"MAIN_MODE": 1, "AGGRESSIVE_MODE": 1, "IKE_SA_INIT": 2}

LISTING_PATTERNS = frozenset({"swan-conn-listing", "lib-status-policy"})  # status listings, read wherever they are


def _listed_versions(ev: Event) -> set[str]:
    """The IKE versions a connection line names: "IKEv1", "IKEv2", charon's "IKEv1/2", pluto 3.x's IKEVn_ALLOW."""
    if version := ev.values.get("version"):
        return {str(version)}
    policy = str(ev.values.get("policy") or "")
    return {f"IKEv{n}" for n in "12" if f"IKEV{n}_ALLOW" in policy}


def _note_newest(pattern: re.Pattern[str], newest: dict[str, int], text: str) -> None:
    """Remember the highest unique id charon has established an SA of this name with (`name{id}` / `IKE_SA name[id]`)."""
    if m := pattern.search(text):
        newest[m["name"]] = max(newest.get(m["name"], 0), int(m["id"]))


def _older_than_newest(pattern: re.Pattern[str], newest: dict[str, int], text: str) -> bool:
    """The SA the line names is older than one of its name established since (charon's unique ids grow)."""
    m = pattern.search(text)
    return m is not None and newest.get(m["name"], 0) > int(m["id"])


def _superseded(ev: Event, st: _State) -> bool:
    """The expired CHILD_SA is older than one of its name established since."""
    return _older_than_newest(_CHARON_CHILD, st.child_ids, ev.text)


def _charon_ike_rekey(ev: Event, st: _State) -> bool:
    """charon's "<gw|1> initiating IKE_SA gw[2] to ...": a new IKE SA started by the task of an IKE SA that is up
    (its "<name|id>" tag names another SA than the line): the IKE SA rekey's new SA (ike_rekey.c), whose exchange
    is a CREATE_CHILD_SA over the SA that is up, also when the [ENC] lines naming it are left out of the log."""
    sa, tag = _CHARON_IKE_SA.search(ev.text), _CHARON_TAG.search(ev.text)
    return (ev.fmt == "strongswan" and sa is not None and tag is not None and tag.group(1) in st.up_ike_tags
            and tag.group(1) != f"{sa['name']}|{sa['id']}")


def _expired_unreplaced(ev: Event, st: _State) -> bool:
    """The expired CHILD_SA is the newest of its name established in this log (not a replaced one)."""
    m = _CHARON_CHILD.search(ev.text)
    return m is not None and st.child_ids.get(m["name"]) == int(m["id"])


_PLUTO_DELETED_IKE = re.compile(r"\b(?:ISAKMP|IKE) (?:State|SA) #(\d+)")  # "self-deleting ISAKMP State #1"


def _superseded_ike(ev: Event, st: _State) -> bool:
    """The deleted IKE_SA is older than one of its name that is up since: charon's IKE_SA name[id], or pluto's ISAKMP /
    IKE SA serial of a connection that has established a newer one (IKEv1's replacement: "initiating IKEv1 Main Mode
    connection to replace #1", then the peer deletes #1)."""
    if ev.fmt == "libreswan":
        m = _PLUTO_DELETED_IKE.search(ev.text)
        # (libreswan 3.x names the state on the line itself: '"gw" #1: deleting state (STATE_IKESA_DEL)')
        deleted = int(m.group(1)) if m else _serial_of(ev.text) if ev.pattern in (
            "lib3-ike-sa-deleted-on-request", _DELETED_QUIETLY) else None
        return deleted is not None and st.pluto_ike.get(conn_of(ev), 0) > deleted
    return _older_than_newest(_CHARON_IKE_SA, st.ike_ids, ev.text)


def _duplicate_ike_sa(ev: Event, st: _State) -> dict[str, object] | None:
    """charon: the IKE SA a Delete names is one of two of its connection up in this log, and the other is still up
    ({"name", "deleted", "kept", "kept_line", "deleted_line"}: the ids and the lines they came up on); the deleted one
    leaves the set either way."""
    if ev.fmt != "strongswan" or not (named := _CHARON_IKE_SA.search(ev.text)):
        return None
    ups = st.up_ike_sas.get(named["name"], {})
    deleted = int(named["id"])
    if (deleted_line := ups.pop(deleted, None)) is None or not ups:
        return None
    kept = max(ups)
    return {"name": named["name"], "deleted": deleted, "kept": kept, "kept_line": ups[kept], "deleted_line": deleted_line}


def _serial_of(text: str) -> int | None:
    """pluto's state serial (`"conn" #N:`) of a line, or None."""
    m = _PLUTO_SERIAL.search(text)
    return int(m.group(1)) if m else None


_ANSWERS_LOST = 3  # the peer's request received again this often after this side answered it: the answers are lost
_SAME_MESSAGE_LINES = 6  # pluto logs a state's complaint and its establishment within a few lines of each other


# Exchanges that exist only on an IKE SA that is up: IKEv2's INFORMATIONAL comes after the initial exchanges (RFC 7296
# section 1.4), IKEv1's Quick Mode is protected by the ISAKMP SA of phase 1 (RFC 2409 section 5.5). (IKEv1's
# Informational may be sent unprotected before phase 1 ends: not one of them. A CREATE_CHILD_SA is read on its own:
# whether it replaces an SA or adds one decides more than the IKE SA being up.)
_ON_UP_SA = frozenset({"INFORMATIONAL", "QUICK_MODE"})


def _request_on_up_sa(ev: Event, st: _State) -> None:
    """A request of an exchange that exists only on an IKE SA that is up (`_ON_UP_SA`), retransmitted or given up,
    shows the SA was up even when the paste starts after it came up (charon's "generating INFORMATIONAL request 7
    [ ]" or "generating QUICK_MODE request 2840373152 [ HASH SA No KE ID ID ]", then its retransmits): the peer answered
    before, so its silence is no reachability problem of the path to it."""
    if not st.ike_up and (ev.exchange in _ON_UP_SA or st.pending in _ON_UP_SA or (
            # Only the SA's own request numbers are in view: IKE_SA_INIT is message ID 0 and IKE_AUTH 1 (RFC 7296
            # section 2.2), Main and Aggressive Mode carry 0 (RFC 2408 section 3.1). A request numbered later went
            # over an IKE SA that was up (charon's "retransmit 1 of request with message ID 7", PAN-OS's "IKEv2 child
            # SA negotiation is failed ... message id:0x00000002 ... Due to negotiation timeout").
            not (ev.exchange or st.exchange or st.pending) and _later_request(ev))):
        st.ike_up = True


_SIGNED_WITH_DN = re.compile(r"\bwith digital-signature\b[^\n]{0,80}? and DER_ASN1_DN\b")


def _mark_auth_unanswered(ev: Event, st: _State) -> None:
    """An unanswered IKE_AUTH request: this side sends it only once the peer answered IKE_SA_INIT (RFC 7296 section
    1.2), so the path carried UDP 500 both ways. The diagnosis says what stops IKE_AUTH while IKE_SA_INIT passes."""
    if (ev.exchange or st.exchange or st.pending) == "IKE_AUTH":
        ev.values["auth_unanswered"] = True
        if st.cert_sent:  # (pluto signed it with its certificate's key: the certificate goes in it)
            ev.values["cert_sent"] = True


def _note_refusal(ev: Event, st: _State, exchanges: tuple[str, ...] = ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT")
                  ) -> None:
    """Remember a refusal the peer sent during phase 1 under its pluto state serial (see "established")."""
    serial = _serial_of(ev.text)
    if serial is not None and _exchange_of(ev, st) in exchanges:
        st.refused.setdefault(serial, []).append(ev)


_CHARON_OWN_INITIATION = re.compile(
    r"\binitiating (?P<mode>(?:Main|Aggressive) Mode )?IKE_SA [A-Za-z][\w.-]*\[\d+\] to (?P<peer>[0-9a-fA-F.:]+)")


def _own_versions(events: list[Event]) -> Callable[[Event], set[str]]:
    """The IKE versions of the first requests a log's own side sends to the peer a refusal names: charon's
    "generating IKE_SA_INIT request 0" or "generating ID_PROT request 0", pluto's "sent Main Mode request", to the
    peer the lines before it name (in a log that names a single peer address, or none, to that one). Wherever they
    are in the log: a gateway that refuses the peer's request of one version for want of a connection, before or
    after it sends its own requests of the other version to that address, has a connection for the address."""
    sent: dict[tuple[int, str], set[str]] = {}
    peers: dict[int, str] = {}
    named: dict[int, set[str]] = {}
    for ev in events:
        if ev.values.get("peer"):
            peers[ev.stream] = str(ev.values["peer"])
            named.setdefault(ev.stream, set()).add(peers[ev.stream])
        if (ev.kind == "exchange" and ev.direction == "sent" and ev.exchange in _FIRST_EXCHANGE_VERSION
                and " request" in ev.text):
            version = f"IKEv{_FIRST_EXCHANGE_VERSION[ev.exchange]}"
            sent.setdefault((ev.stream, peers.get(ev.stream, "")), set()).add(version)
        elif ev.kind == "initiate" and ev.fmt == "strongswan" and (own := _CHARON_OWN_INITIATION.search(ev.text)):
            # charon's own "initiating Main Mode IKE_SA gw[1] to 192.0.2.2" (IKEv1) or "initiating IKE_SA gw[2] to
            # 192.0.2.1" (IKEv2): its first request, also where the [ENC] lines that show it are left out
            version = "IKEv1" if own["mode"] else "IKEv2"
            sent.setdefault((ev.stream, own["peer"]), set()).add(version)
            if not named.get(ev.stream):
                named.setdefault(ev.stream, set()).add(own["peer"])

    anywhere: dict[int, set[str]] = {}  # per log, whichever peer the request went to
    for (stream, _), vs in sent.items():
        anywhere.setdefault(stream, set()).update(vs)

    def versions(ev: Event) -> set[str]:
        if len(named.get(ev.stream, ())) <= 1:  # one peer in view: every request of this log's side went to it
            return anywhere.get(ev.stream, set())
        return sent.get((ev.stream, str(ev.values.get("peer") or "")), set())

    return versions


def classify(events: list[Event]) -> None:
    """Give each ordered event its category and weight, reading each stream with its own state."""
    states: dict[int, _State] = {}
    _pluto_notify_directions(events)
    _pluto_auth_guess_exchange(events)
    _cisco_packet_dumps(events)
    _borrow_exchange(events)
    _charon_create_child(events)
    _refused_rekeys(events)
    _pluto_quick_mode_refusals(events)
    _borrow_proposal_sa(events)
    _rekey_left_unanswered(events)
    _retries_of_failed_attempts(events)
    _ke_retried(events)
    _rekey_deleted_unanswered(events)
    _rekey_started_again(events)
    _revival_during_unanswered_rekey(events)
    _operator_rekey_unfinished(events)
    _redundant_ike_deletes(events)
    _deletes_of_rekeyed_ike_sas(events)
    _borrow_pluto_state(events)
    _pluto_notify_in_auth_answer(events)
    _pluto_notify_echoes(events)
    _listing_neighbors(events)
    # Both peers' logs in one paste: several streams, or lines of two different daemons.
    both_sides = len({ev.stream for ev in events}) > 1 or len({ev.fmt for ev in events}) > 1
    # The IKE versions of the connections a status listing shows (charon's statusall / swanctl --list-conns, pluto's
    # `ipsec status` policies), wherever the listing is in the paste (it is often pasted after the log).
    listed_versions = {v for ev in events if ev.pattern in LISTING_PATTERNS for v in _listed_versions(ev)}
    own_versions = _own_versions(events)
    beside_up = _quick_modes_beside_an_up_sa(events)
    phase1_only = _isakmp_only_deletes(events)
    for ev in events:
        st = states.get(ev.stream)
        if st is None:  # a new stream
            st = states.setdefault(ev.stream, _State())
            st.replacing_serials.update(serial for stream, serial in beside_up if stream == ev.stream)
        if st.retransmits and _is_answer(ev):
            for r in st.retransmits:  # the peer did answer: the retransmits were packet loss, not a cause
                r.weight = "context"
            st.retransmits = []
        if st.rekey_waiting and (_is_answer(ev) or ev.kind in ("notify", "no_proposal", "ts_unacceptable")):
            st.rekey_waiting = False  # (a refusal, whichever way the daemon words its direction, is an answer)
        if st.rekey_unanswered and _is_answer(ev) and not _PEER_REQUEST.search(ev.text):
            # (a request of the peer's own, such as its liveness check or its own Main Mode, answers nothing)
            st.rekey_unanswered = False
        if ev.values.get("peer"):
            st.peer = str(ev.values["peer"])
        if ev.fmt == "libreswan" and (using := _USING_ISAKMP.search(ev.text)):
            # pluto's Quick Mode "{using isakmp#4 ...}": ISAKMP SA #4 is up, also when the paste starts after it came
            # up, so a Delete of an older ISAKMP SA of the connection is the end of one it replaced
            conn = conn_of(ev)
            st.pluto_ike[conn] = max(st.pluto_ike.get(conn, 0), int(using.group(1)))
        if ev.values.get("host_to_host") and ev.kind == "exchange":
            st.host_to_host = True  # pluto's connection listing: no client subnets on either side
        if ev.values.get("ts_offered") and ev.kind in ("exchange", "initiate", "established"):
            st.child_ts = str(ev.values["ts_offered"])
            st.host_to_host = _host_to_host(st.child_ts, st.peer)
        if ev.exchange in IKE_EXCHANGES and ev.kind in ("initiate", "exchange"):
            # a new IKE SA is negotiated: the Child SAs deleted before belonged to the one that ended
            st.child_deleted, st.larval_replacement = False, None
        if ev.ike:
            st.ike = ev.ike
        elif ev.kind == "established" and (up_version := _established_version(ev)):
            st.ike = st.ike or up_version  # pluto's IKEv2 wording ("initiator established IKE SA", PARENT SA)
        elif ev.exchange in ("IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA"):
            st.ike = st.ike or 2  # exchanges only IKEv2 has
        if ev.exchange:
            if ev.exchange in IKEV1_EXCHANGES:
                st.ike = st.ike or 1
            if ev.direction == "received":
                st.answered = True
                st.large_sent = 0
                st.cert_sent = False
        if ev.exchange == "CREATE_CHILD_SA" and ev.kind in ("exchange", "retransmit"):
            # A CREATE_CHILD_SA travels only inside an established IKE SA (RFC 7296 section 1.3): a paste that starts
            # after the IKE SA came up still shows it was up (whether a Child SA was up too, it does not say).
            st.create_child_seen = True
        if ev.exchange == "INFORMATIONAL_V1" and _V1_HASHED.search(ev.text):
            # An IKEv1 informational carrying a HASH payload is protected by an ISAKMP SA (RFC 2409 section 5.7):
            # phase 1 is done, so a refusal it carries is about phase 2 (charon: "[ HASH N(NO_PROP) ]").
            st.ike_up = True
        if ev.fmt == "libreswan" and ev.kind == "exchange" and ev.direction == "received" and ev.exchange in (
                "IKE_AUTH", "CREATE_CHILD_SA") and " request" in ev.text:
            st.transport_requested = "N(USE_TRANSPORT_MODE)" in ev.text
        if ev.pattern == "lib-ke-guessed-wrong" and st.ike_up and (st.ike or 2) == 2:
            # libreswan 5 checks the KE of a CREATE_CHILD_SA (a PFS group, an IKE SA rekey) with the same words as
            # IKE_SA_INIT's (ikev2_create_child_sa.c calls v2_accept_ke_for_proposal): over an IKE SA that is up, the
            # request is a CREATE_CHILD_SA.
            ev.exchange = "CREATE_CHILD_SA"
        kind = ev.kind
        if ev.pattern == "lib-expectation-failed" and not (
                st.rekeying or _serial_of(ev.text) in st.replacing_serials):
            kind = ""  # pluto's internal check failed outside a rekey: no cause by itself
        if kind == "bgp_down" and ev.values.get("up"):
            kind = ev.kind = "bgp_up"  # BIRD's state trace: "State changed to up"
        if kind == "notify" and ev.values.get("echo_of"):
            # pluto's second line about a notification it logged just before (see _pluto_notify_echoes): read once
            _set(ev, None)
            continue
        if kind == "notify" and ev.notify:
            if not ev.exchange and (state := _STATE_BEFORE_NOTIFY.search(ev.text)):
                # pluto 3.x / Openswan name the state whose transition failed before the notify it sends
                # ("#2: STATE_QUICK_R0: INVALID_ID_INFORMATION"): the exchange is the state's
                ev.exchange = _FAILED_STATE_EXCHANGE.get(state.group(1)) or exchange_name(state.group(1))
            meaning = NOTIFY_MEANING.get(ev.notify) or reason_meaning(ev.notify)
            if meaning == "give_up":  # "Timed out", "Peer not responding": the negotiation got no answer
                kind = "give_up"
            elif meaning is None:
                _set(ev, None)
                if ev.exchange:
                    st.exchange = ev.exchange
                if ev.direction == "received" and ev.notify in _UNNAMED_REFUSALS:
                    st.answered = True
                    st.refused_by = st.refused_by or ev
                continue
            kind = meaning
            ex = _exchange_of(ev, st)
            if ex and ev.exchange in INFO_EXCHANGES and ex not in INFO_EXCHANGES:
                ev.refers_to = ex
            if meaning == "id":
                quick = ex == "QUICK_MODE" or (ex in INFO_EXCHANGES | {None} and st.ike_up and (st.ike or 1) == 1)
                kind = "ts_unacceptable" if quick or (ex in INFO_EXCHANGES | {None} and st.ike != 2) else "auth_failed"
            elif meaning == "ke":
                # In CREATE_CHILD_SA or Quick Mode the PFS group is refused. In IKE_SA_INIT an INVALID_KE_PAYLOAD is
                # the normal first round of choosing a DH group; only this side's own request for another group
                # (a weak reading) is kept, as a guess that counts when nothing is established after it.
                child = _phase_of(ev, st) == "child" and ex != "IKE_SA_INIT"
                if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") and not child:
                    # IKEv1 has no DH group round: the group is agreed in the SA payloads, whose mismatch is
                    # NO-PROPOSAL-CHOSEN. Type 17 there is RFC 2408's INVALID-KEY-INFORMATION (charon logs it under
                    # IKEv2's name, INVALID_KE_PAYLOAD), sent when the keys cannot be derived after the KE exchange:
                    # no pre-shared key for the peer (charon's main_mode.c, "no shared key found").
                    kind = "auth_failed"
                else:
                    kind = "no_proposal" if child or (ev.weak and ev.direction == "sent") else ""
                    if kind and not child:
                        # this side's own "requesting <group>" in IKE_SA_INIT: the normal first round of choosing a DH
                        # group (RFC 7296 section 1.2); a mismatch only if the peer never retries with that group
                        ev.values["guess"] = True
                if child and (_KE_RETRY.search(ev.text) or ev.values.get("ke_retried") or ev.direction == "sent"):
                    # RFC 7296 section 1.3: a CREATE_CHILD_SA answered INVALID_KE_PAYLOAD is retried with the group the
                    # peer asked for (pluto: "resending with suggested DH ..."). Like the IKE_SA_INIT round it is a
                    # guess that counts only when nothing is established after the retry. So is this side's own
                    # INVALID_KE_PAYLOAD (charon: "DH group MODP_2048 unacceptable, requesting MODP_3072"): the peer
                    # may retry with the group asked for.
                    ev.weak = True
            elif meaning == "malformed":
                kind = "auth_failed" if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") else ""
                if not kind and ex is None and ev.pattern == "openswan-malformed-notifies" and not st.ike_up:
                    # pluto's count of the peer's PAYLOAD_MALFORMED notifies for a state that is not an ISAKMP SA
                    # up: the peer could not decrypt this side's first encrypted phase 1 message, the keys differ
                    # (the line alone names no exchange: a guess, which firmer lines outweigh)
                    kind = "auth_failed"
                    ev.weak = True
                    ev.values["guess"] = True
            elif meaning == "exchange_type":
                # RFC 2408 UNSUPPORTED-EXCHANGE-TYPE: the responder does not do the exchange it was sent. In answer to
                # Aggressive Mode that is a Main Mode-only peer (opnsense/core#6269: "N((29))" after an AGGRESSIVE
                # request).
                kind = "ike_mode_mismatch" if ex == "AGGRESSIVE_MODE" else ""
            elif meaning == "key_info":
                # RFC 2408 INVALID-KEY-INFORMATION. Sent in the clear it refuses the key exchange payload (message
                # 2); sent encrypted, the keys were agreed, so what failed is the signature of message 3: the peer
                # could not authenticate this side (pluto: ikev1_main.c, ikev1_peer_id.c).
                secured = ev.values.get("secured")
                # (pluto's state MAIN_I3 says this side sent MI3, the first encrypted message: also in a paste that
                # starts after it, see _borrow_pluto_state)
                encrypted = secured == "secured" or (secured is None and (
                    st.v1_encrypted or ev.values.get("pluto_state") == "MAIN_I3"))
                kind = "auth_failed" if ex in ("MAIN_MODE", "AGGRESSIVE_MODE") and encrypted else ""
            elif meaning == "message_id":
                kind = "rekey_failed" if (st.ike_up or st.child_up or st.rekeying) else ""
            elif meaning == "syntax":
                # (a CREATE_CHILD_SA travels only inside an IKE SA that is up, RFC 7296 section 1.3: also in a paste
                # that starts at its answer; one that says it adds a Child SA replaces none)
                up_before = st.child_up or st.rekeying or (st.ike_up and (st.ike or ev.ike) == 2) or (
                    ex == "CREATE_CHILD_SA" and not st.new_child and not _new_child_state(ev))
                replacing = st.rekeying or _serial_of(ev.text) in st.replacing_serials
                kind = "rekey_failed" if (ex == "CREATE_CHILD_SA" and up_before) or (
                    ex == "QUICK_MODE" and replacing) else ""
                if not kind and ev.direction == "received":
                    st.refused_by = st.refused_by or ev
            if ev.direction == "received":
                st.answered = True
        if (kind == "exchange" and ev.fmt == "strongswan" and ev.exchange == "QUICK_MODE" and ev.direction == "received"
                and (tag := _CHARON_TAG.search(ev.text))):
            # charon parsed a Quick Mode message: it decrypted it with that ISAKMP SA's keys, so the SA is up and its
            # keys agree (RFC 2409 section 5.5), also in a paste that starts after Main Mode
            st.up_ike_tags.add(tag.group(1))
        if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
            if kind == "established":
                st.up_serials.add(serial)
            elif kind in ("give_up", "retransmit", "no_proposal", "ts_unacceptable", "auth_failed"):
                # (also a state that timed out waiting for an acceptable answer: pluto's "STATE_QUICK_I1: timeout
                # exceeded ... perhaps peer likes no proposal" - a state never seen up that failed)
                st.failed_serials.add(serial)
            st.seen_serials.add(serial)
        if kind in ("exchange", "initiate"):
            word = _rekey_word(ev)
            replaced = _replaced_serial(ev)
            child_exchange = ev.sa == "child" or ev.exchange in CHILD_EXCHANGES
            if (kind == "initiate" and ev.exchange == "QUICK_MODE" and replaced is None and ev.fmt == "libreswan"
                    and (quick := _serial_of(ev.text)) is not None):
                st.first_quick_serials.add(quick)
            ike_reauth = False
            if kind == "initiate" and not word and not st.reauth_pending and _charon_ike_rekey(ev, st):
                word = "rekey"
            if word == "rekey" and replaced is not None:
                # pluto's "to replace #N" also starts the next keying attempt after state #N failed: only a state that
                # was up is rekeyed. An IKE SA set up anew (Main Mode, IKEv2 IKE_SA_INIT) replaces an SA that was up
                # only when the log shows it up; a Quick Mode replacing a state the log shows failing is a retry.
                if not child_exchange:
                    # (a paste that starts at the replacement shows nothing of #N: pluto retries a first attempt
                    # right after that attempt's failure lines, so an SA never seen is one that was up)
                    ike_reauth = replaced in st.up_serials or (
                        replaced not in st.seen_serials and ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE")
                        and not ev.values.get("retry"))
                    word = "rekey" if ike_reauth else ""
                elif replaced not in st.up_serials and (
                        replaced in st.failed_serials or replaced in st.first_quick_serials
                        or (ev.values.get("retry") and replaced not in st.replacing_serials)):
                    # (a retry of a state that was itself a rekey carries on that rekey: not here)
                    # (also a first Quick Mode never seen up: pluto's next keying attempt "to replace #2" comes before
                    # #2's own deletion when #2 is given up at once; each next attempt is such a retry again)
                    word = ""
                    if ev.fmt == "libreswan" and (retry := _serial_of(ev.text)) is not None:
                        st.first_quick_serials.add(retry)
            if word == "rekey" and ev.pattern == "swan-reauth-start":
                st.reauth_pending = True
            if word == "rekey" and (child_exchange or (st.ike or ev.ike) != 1 or ike_reauth):
                # Replacing an SA that was up (a Child SA, or an IKEv2 IKE SA over CREATE_CHILD_SA):
                # whatever fails in this exchange fails a rekey.
                st.rekeying = True
                st.ike_up = True
                st.rekey_waiting = True
                if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
                    st.replacing_serials.add(serial)
                if ev.sa == "child" or ev.exchange in CHILD_EXCHANGES or "child" in str(ev.values.get("rekey", "")).lower():
                    st.child_up = True
                st.new_child = False
            elif kind == "initiate" and st.reauth_pending and ev.sa == "ike":
                # charon's reauthentication ("reauthenticating IKE_SA gw[1]") sets up a new IKE SA ("initiating
                # IKE_SA gw[2]"): whatever fails in it fails the replacement of the SA that was up.
                st.reauth_pending = False
            elif word == "new" or kind == "initiate":
                st.rekeying = False
                st.new_child = word == "new" and ev.exchange == "CREATE_CHILD_SA"
        if kind == "initiate" and ev.values.get("algorithms"):
            st.proposal_flaw = key_length_flaw(str(ev.values["algorithms"]))
        if kind == "initiate" and (ev.sa == "child" or ev.exchange in CHILD_EXCHANGES):
            st.rare_transform = rare_transform(str(ev.values.get("policy") or ""))
            if _REMOTE_ACCESS_WORDS & _policy_words(str(ev.values.get("policy") or "")):
                st.remote_access = True
        if kind == "exchange" and ev.exchange == "MAIN_MODE" and (str(ev.values.get("step") or "0") >= "3" or (
                # charon's third Main Mode message, the first encrypted one: "generating ID_PROT request 0 [ ID HASH ]"
                ev.direction == "sent" and "HASH" in _PAYLOADS.findall(str(ev.values.get("notify") or "")))):
            st.v1_encrypted = True
        elif kind == "initiate" and ev.sa != "child" and ev.exchange not in CHILD_EXCHANGES:
            st.v1_encrypted = False  # a new Main Mode starts in the clear
            st.cert_sent = False
        if kind == "exchange" and ev.fmt == "libreswan" and ev.direction == "sent" and ev.exchange == "IKE_AUTH" and (
            _TO_4500.search(ev.text) and st.init_port == "500"
        ):
            # RFC 7296 section 2.23: the initiator moves from UDP 500 to 4500 after IKE_SA_INIT when NAT was detected
            # (pluto names the port of each request): what goes unanswered from here on points at NAT-T first.
            st.nat_or_frag = st.moved_to_4500 = True
        elif kind == "exchange" and ev.fmt == "libreswan" and ev.exchange == "IKE_SA_INIT" and ev.direction == "sent":
            st.init_port = "500" if _TO_500.search(ev.text) else ""
        if ev.fmt in ("cisco-ios", "cisco-asa") and _POLICY_CHECK.search(ev.text):
            st.policy_checks.append(ev)
        elif kind == "exchange" and ev.values.get("policy_ok"):
            # IOS compares the offer with each local ISAKMP policy / transform set in turn and says why each one
            # before the match did not fit: that was the search, not a refusal (5409-ipsec-debug-00).
            for checked in st.policy_checks:
                if checked.category:
                    checked.weight = "context"
            st.policy_checks.clear()
        if kind == "exchange" and ev.values.get("cert_sent"):
            st.cert_sent = True
        elif kind == "exchange" and ev.direction == "sent" and ev.exchange == "IKE_AUTH" and (
            ev.fmt == "libreswan" and _SIGNED_WITH_DN.search(ev.text)
            or ev.fmt == "strongswan" and "CERT" in _PAYLOADS.findall(str(ev.values.get("notify") or ""))
        ):
            # pluto 4.x/5.x: "sent IKE_AUTH request to ... with digital-signature ... and DER_ASN1_DN '...'": signed,
            # with the certificate's subject as identity, so the certificate goes in it (raw RSA keys name an FQDN or
            # an address instead); charon: "generating IKE_AUTH request 1 [ IDi CERT ... ]"
            st.cert_sent = True
        elif kind == "give_up" and ev.fmt == "libreswan" and _IMPAIRED_TIMEOUT.search(ev.text):
            # pluto's test impairment that times a state out at its first retransmission names no state: it is the
            # timeout of what the state sent last
            if st.v1_encrypted and st.exchange == "MAIN_MODE" and not st.ike_up:
                # after "sent Main Mode I3", the MAIN_I3 timeout (read as "deleting ISAKMP SA (MAIN_I3)" is, below)
                ev.values["abandoned"] = "MAIN_I3"
            elif not ev.exchange and _serial_of(ev.text) in st.pluto_ike.values():
                # on an IKE SA that is up, pluto's "STATE_V2_ESTABLISHED_IKE_SA: timeout exceeded"
                ev.exchange = "INFORMATIONAL"
                ev.values["exchange"] = "ESTABLISHED_IKE_SA"
        if kind == "exchange" and ev.values.get("simultaneous") and (crossing := _serial_of(ev.text)) is not None:
            st.crossed.add(crossing)
        if kind == "exchange" and _mode_mismatch(ev, st):
            continue
        if kind == "initiate" and ev.fmt == "libreswan" and ev.exchange == "AGGRESSIVE_MODE" and (
                _rekey_word(ev) != "rekey" or ev.values.get("retry")):
            # libreswan 3.2x logs only "initiating Aggressive Mode" and sends its first message at once (also its next
            # keying attempt "to replace #2" after #2 failed: _retries_of_failed_attempts)
            st.am_unanswered = True
        elif kind == "initiate" and ev.fmt == "strongswan" and ev.exchange == "AGGRESSIVE_MODE":
            # charon's "initiating Aggressive Mode IKE_SA gw[1] to ..." sends the first message with it (its [ENC]
            # "generating AGGRESSIVE request 0" line, when logged, says the same)
            st.am_unanswered = True
        if kind == "exchange":
            if st.pending_delete is not None and ev.exchange in INFO_EXCHANGES and ev.direction == "sent":
                # Answering with an INFORMATIONAL response while deleting: the peer asked for the delete.
                if " response" in ev.text:
                    st.pending_delete.direction = "received"
                    st.pending_delete.weight = "decisive"
                st.pending_delete = None
            if ev.exchange and ev.exchange not in INFO_EXCHANGES:
                st.exchange = ev.exchange
            if ev.direction == "sent" and ev.exchange == "IKE_SA_INIT" and "RESPONSE" in ev.text.upper():
                st.answered_init = True
            if ev.direction == "sent" and ev.exchange == "IKE_AUTH" and "RESPONSE" in ev.text.upper():
                st.answered_auth = ev
            if ev.direction == "sent" and "request" in ev.text:
                st.pending = ev.exchange
            elif ev.direction == "received":
                st.pending = None
            if ev.direction == "received" and ev.exchange in _FIRST_EXCHANGE_VERSION and " request" in ev.text:
                st.peer_first = ev.exchange
            if ev.exchange == "AGGRESSIVE_MODE":
                # its first message: charon's "generating AGGRESSIVE request 0", pluto's "sent Aggressive Mode request"
                # (libreswan 3.x: "STATE_AGGR_I1: sent AI1, expecting AR1")
                st.am_unanswered = ev.direction == "sent" and (
                    " request 0 " in ev.text + " " or "Aggressive Mode request" in ev.text or "sent AI1" in ev.text)
            elif ev.exchange in ("MAIN_MODE", "IKE_SA_INIT"):
                st.am_unanswered = False
            if (ev.direction == "received" and ev.exchange in INFO_EXCHANGES and (ev.ike or st.ike) == 1 and not st.ike_up
                    and st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") and st.v1_info_answer is None):
                st.v1_info_answer = ev
            if ev.direction == "received" and st.dpd_pending and ev.exchange in ("INFORMATIONAL", "INFORMATIONAL_V1"):
                st.dpd_pending = False
                _set(ev, "dpd_timeout", "context")
                ev.kind = "dpd_answer"
            elif ev.pattern == "lib-v1-state-fatal" and _V1_AUTH_FATAL.search(ev.text):
                # IKEv1's authentication steps (MAIN_I3 and MAIN_R2 process the encrypted identity and hash or
                # signature, Aggressive Mode's AGGR_I1 and AGGR_R1 the same in its second and third messages)
                _auth_step_fatal(ev, st)
            else:
                _set(ev, None)
            continue
        if kind == "initiate":
            v1 = (ev.ike or st.ike) == 1
            child = ev.sa == "child" or ev.exchange in CHILD_EXCHANGES
            if child:
                st.exchange = ev.exchange or ("QUICK_MODE" if v1 else "CREATE_CHILD_SA")
            else:
                st.exchange = ev.exchange or ("MAIN_MODE" if v1 else "IKE_SA_INIT")
            st.answered = False
            st.refused_by = None
            if not child:
                st.v1_info_answer = st.v1_repeat = None
                st.answered_init = False
                st.answered_auth = None
            if not child and st.rekey_unanswered:
                # The IKE SA is set up anew while its rekey is still unanswered: the rekey did not complete
                # before the SA had to be replaced (pluto re-authenticates at the end of its lifetime).
                st.rekey_unanswered = st.rekeying = False
                st.ike_up = False
                _set(ev, "rekey_issue")
                continue
            if not child and not st.rekeying:
                st.ike_up = False
                st.child_refused = False
                st.operator_down = False
            _set(ev, None)
        elif kind == "established" and ev.values.get("rekey_not_done"):
            # (see _operator_rekey_unfinished: the listing shows the old SA only) The row says the rekey failed,
            # not that an SA came up.
            ev.kind = "rekey_failed"
            _set(ev, "rekey_issue")
        elif kind == "operator_rekey":
            _set(ev, None)
        elif kind == "rekey_failed" and ev.pattern == "oci-no-rekey":
            # This side will not rekey: nothing failed yet; the peer is to replace the SA (see lib-quick-state-ended).
            st.no_rekey = ev
            _set(ev, "rekey_issue", "context")
        elif kind == "rekey_failed" and ev.pattern == "lib-quick-state-ended":
            # pluto deletes an IPsec SA that was up. After this side said it would not rekey it and with no newer SA
            # since, the SA reached its lifetime and nobody replaced it: the tunnel's traffic stops until it is set up
            # again (the peer, expected to rekey, did not). Otherwise a routine deletion (an SA replaced before, the
            # operator's command): nothing to read.
            if st.no_rekey is not None and not st.operator_down:
                _set(ev, "rekey_issue")
                ev.values["no_rekey_line"] = st.no_rekey.line
                st.no_rekey = None
            else:
                _set(ev, None)
        elif kind == "established":
            # an SA set up after the operator's down (or pluto's "terminating SAs" as a connection is loaded again):
            # what fails from here on is no longer explained by that command
            st.operator_down = False
            if ev.sa == "child":
                st.no_rekey = None  # (the peer replaced the SA)
            serial = _serial_of(ev.text)
            if serial in st.refused:
                # The same negotiation (pluto's state serial) completed after the peer refused it: the refusal was
                # transient (the peer fetched a CRL, loaded its connection, found the key on a retry). The tunnel
                # is up; the refusal is context, not a cause.
                kept = []
                for refusal in st.refused.pop(serial):
                    # pluto's own complaint counts only when the state is established while it processes the same
                    # message (a few lines on): another daemon's state of the same number, pasted after it, is not
                    # it. (libreswan 3.x processes IKEv2's IKE_AUTH on the Child SA's state, so its establishment
                    # counts there; a refusal by the peer is cleared by the IKE SA only.)
                    own = bool(refusal.values.get("own_complaint"))
                    near = abs(ev.line - refusal.line) <= _SAME_MESSAGE_LINES
                    if (own and near) or (not own and ev.sa != "child"):
                        refusal.weight = "context"
                    else:
                        kept.append(refusal)
                if kept and ev.sa == "child":
                    st.refused[serial] = kept
            st.pending = None
            st.rekeying = False
            if ev.sa != "child":
                st.rekey_trouble = False  # a new IKE SA: earlier rekey trouble explains nothing after it
                st.duplicate_requests = 0
            if ev.sa == "child":
                st.child_up = True
                st.child_conn = conn_of(ev)
                _note_newest(_CHARON_CHILD, st.child_ids, ev.text)
                if ts := _CHARON_CHILD_TS.search(ev.text):
                    st.up_ts.add(_ts_pair(ts.group(1)))
            else:
                st.ike_up = True
                if st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE"):
                    # Phase 1 is over: what comes next on this ISAKMP SA is Quick Mode or Informational (RFC 2409
                    # section 5.5), also when the log does not name the exchange (charon's [ENC] lines left out).
                    st.exchange = None
                elif st.exchange == "IKE_SA_INIT":
                    # An IKEv2 IKE SA comes up in IKE_AUTH, which goes on with the first Child SA (RFC 7296 section
                    # 1.2): a refusal right after it is that Child SA's, also without the [ENC] line naming IKE_AUTH.
                    st.exchange = "IKE_AUTH"
                _note_newest(_CHARON_IKE_SA, st.ike_ids, ev.text)
                if ev.fmt == "strongswan" and (tag := _CHARON_TAG.search(ev.text)):
                    st.up_ike_tags.add(tag.group(1))
                if ev.fmt == "strongswan" and (named := _CHARON_IKE_SA.search(ev.text)):
                    st.up_ike_sas.setdefault(named["name"], {})[int(named["id"])] = ev.line
                if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
                    conn = conn_of(ev)
                    st.pluto_ike[conn] = max(st.pluto_ike.get(conn, 0), serial)
            st.answered, st.dpd_pending = True, False
            if ev.sa == "child" and st.transport_requested and _TUNNEL_SA.search(ev.text):
                # The peer asked for transport mode (N(USE_TRANSPORT_MODE) in its request) and this side set the SA up
                # in tunnel mode: libreswan 5 ignores the request without a word when its connection is type=tunnel
                # (ikev2_child.c; 4.x said "policy dictates Tunnel Mode, ignoring peer's request for Transport Mode").
                # The two sides' modes differ; the peer, which requires transport, deletes the SA.
                ev.values.update(mode_requested="transport", mode_used="tunnel")
                _set(ev, "ipsec_mode_mismatch")
            else:
                _set(ev, None)
        elif kind == "no_proposal":
            phase = _phase_of(ev, st)
            if phase == "child" and (ev.values.get("received") or ev.values.get("configured")):
                st.child_proposals = True  # the refusal lists the proposals: they are what differs
            ex = _exchange_of(ev, st)
            ikev2_child_was_up = st.ike_up and (st.ike or ev.ike) == 2 and not st.child_refused
            if phase == "child" and (
                st.rekeying or (ex == "CREATE_CHILD_SA" and not st.new_child and (st.child_up or ikev2_child_was_up))
                # the line itself says the refused negotiation was a rekey (PAN-OS: "... failed as responder, rekey")
                or _rekey_word(ev) == "rekey" or ev.values.get("rekey_refused")
            ):
                # The Child SA was negotiated before (IKEv2 carries the first one in IKE_AUTH) with these
                # proposals; only its rekey is refused (a PFS group or lifetime that applies to rekeys
                # only): a rekey problem.
                _set(ev, "rekey_issue")
                st.rekey_refused = True
            elif (phase == "child" and ex == "CREATE_CHILD_SA" and st.child_deleted and not st.rekey_refused
                  and (st.ike or ev.ike) == 2):
                # IKEv2: a Child SA of this IKE SA was set up and deleted, and the CREATE_CHILD_SA that sets one up
                # again is refused. The first Child SA came up in IKE_AUTH, which carries no KE payload (RFC 7296
                # section 1.2); a CREATE_CHILD_SA carries the PFS group (section 1.3.1), so what is refused now
                # applies to rekeys and later Child SAs only - also when the log starts after the rekey's own
                # refusal (strongSwan deletes the SA when it expires and sets it up again with the same proposals).
                _set(ev, "rekey_issue")
                ev.values["set_up_again"] = True
            elif phase == "child" and ev.notify == "NO_PROPOSAL_CHOSEN" and st.host_to_host and not st.child_proposals:
                # A Child SA between the two gateways themselves refused although the IKE SA's algorithms
                # were accepted and no ESP proposal listing says otherwise: the one thing such an SA can
                # differ in beyond the algorithms is its mode, transport against tunnel (libreswan answers
                # a mode it does not allow with NO_PROPOSAL_CHOSEN, ikev2_child.c).
                _set(ev, "ipsec_mode_mismatch")
                ev.values["host_to_host"] = True
                ev.values.setdefault("ts_offered", st.child_ts)
            elif phase == "ike" and st.rekeying and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT"):
                # The IKE SA was set up with this configuration before; only its replacement is refused (a
                # reauthentication that offers other proposals, or a peer that changed its own).
                _set(ev, "rekey_issue")
            else:
                _set(ev, "phase1_proposal_mismatch" if phase == "ike" else "phase2_proposal_mismatch")
                if phase == "ike" and ev.kind == "notify" and ev.direction == "received":
                    _note_refusal(ev, st)
            if phase == "child" and not st.rekeying:
                st.child_refused = True
        elif kind == "proposals":
            st.proposal_sa = ev.sa or st.proposal_sa
            phase = _phase_of(ev, st)
            st.child_proposals = st.child_proposals or phase == "child"
            _set(ev, "phase1_proposal_mismatch" if phase == "ike" else "phase2_proposal_mismatch", "context")
        elif kind == "dpd_probe":
            if ev.direction == "received":
                # The peer's own liveness probe came in (charon: "parsed INFORMATIONAL_V1 request ... [ HASH N(DPD) ]"):
                # the peer is there, and no probe of this side's waits for an answer because of it.
                st.answered = True
            else:
                st.dpd_pending = True
            _set(ev, "dpd_timeout", "context")
        elif kind == "dpd_answer":
            st.dpd_pending = False
            st.answered = True
            _set(ev, "dpd_timeout", "context")
        elif kind == "retransmit":
            if (ev.fmt == "strongswan" and not st.ike_up and ev.values.get("msgid") == "0"
                    and str(ev.values.get("step") or "0") >= "3"):
                # charon's IKEv1 "sending retransmit 1 of request message ID 0, seq 3": this side's third phase 1
                # message, Main Mode's first encrypted one (RFC 2409 section 5: Aggressive Mode has two), sent only
                # after the peer answered the two before it. Also without the [ENC] lines that show them.
                st.v1_encrypted = st.answered = True
                st.exchange = st.exchange or "MAIN_MODE"
            _request_on_up_sa(ev, st)
            if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None:
                st.retransmitted.setdefault(serial, ev.line)
            rekey_pending = st.rekeying or (st.ike_up and st.pending == "CREATE_CHILD_SA" and not st.new_child)
            if st.dpd_pending or (ev.exchange in ("INFORMATIONAL", "INFORMATIONAL_V1") and not rekey_pending):
                # (an established IKE SA's state retransmits whatever it sent last: its rekey when one is
                # pending, else its liveness probe)
                _set(ev, "dpd_timeout", "context")
            elif st.rekeying or _rekey_state(ev) or _serial_of(ev.text) in st.replacing_serials or (
                (st.ike_up or st.create_child_seen) and "CREATE_CHILD_SA" in (st.pending, ev.exchange)
                and not _new_child_state(ev) and not st.new_child
            ) or (
                # A Quick Mode over an ISAKMP SA that is up, after an IPsec SA was up: the exchange that replaces it
                # (either side: the responder retransmits QR1 while it waits for QI2).
                (ev.exchange or st.exchange) == "QUICK_MODE" and st.ike_up and st.child_up and not st.new_child
            ):
                # a rekey over an established IKE SA goes unanswered (a status listing's snapshot of one waiting for
                # its answer is all there is to read when the excerpt is that listing: a weak reading)
                _set(ev, "rekey_issue", "weak" if ev.values.get("snapshot") else "context")
                st.rekey_unanswered = True
            elif (st.ike_up or st.child_up) and (st.new_child or _new_child_state(ev)):
                # A new Child SA asked for over an IKE SA that is up (pluto's STATE_V2_CREATE_I): the peer
                # that answered the IKE SA stops answering on it. No rekey, and the path worked before.
                _set(ev, "dpd_timeout", "context")
            elif (ev.exchange or st.exchange) == "QUICK_MODE" and st.ike_up and not st.child_up and not st.rekeying:
                # The first Quick Mode over an ISAKMP SA the peer set up moments ago goes unanswered: the peer is
                # reachable; it drops the Quick Mode (see give_up, and _quick_mode_still_unanswered for a paste that
                # ends before the daemon gives up).
                _set(ev, "traffic_selector_mismatch", "context")
                ev.values["quick_guess"] = _quick_mode_guess(ev, st)
            elif _QUICK_R1.search(ev.text):
                # The responder of a Quick Mode sends QR1 again: the initiator's QI1 came in (the peer is reachable)
                # but its QI2 does not (see give_up).
                _set(ev, "rekey_issue", "context")
            elif st.answered_phase1_with_info or not st.ike_up and (
                    (st.v1_encrypted and st.answered and (ev.exchange or st.exchange) == "MAIN_MODE"
                     and ev.fmt == "strongswan") or _PLUTO_MAIN_I3.search(ev.text)):
                # the peer already answered this phase 1 with an Informational, or answered the two Main Mode messages
                # before the first encrypted one that is now retransmitted (charon's log shows them; pluto waits in
                # MAIN_I3 only after them): it is reachable (see give_up)
                _set(ev, "auth_failure", "context")
            elif st.ike_up and (ev.exchange or st.exchange) is None:
                # a request of unknown exchange over an IKE SA that is up: the peer that answered stops answering
                _set(ev, "dpd_timeout", "context")
            elif ev.values.get("snapshot") and st.operator_down:
                # a status listing taken right after the operator took the connection down: the state waiting for its
                # first answer is the connection set up again (revival, auto=start). One moment says nothing of the peer.
                _set(ev, None)
            else:
                _set(ev, "peer_unreachable", "decisive")
                _mark_auth_unanswered(ev, st)
                st.retransmits.append(ev)
        elif kind == "give_up" and ev.values.get("abandoned") in _FIRST_REQUEST:
            # pluto deleted a state still waiting for the answer to its first message (state.c). It is the peer's
            # silence unless something else ended the state: an answer (a refusal has its own line), a redirect
            # to another gateway, the operator deleting the connection.
            if st.answered or st.operator_down or _serial_of(ev.text) in st.redirected_serials:
                _set(ev, None)
            elif _serial_of(ev.text) in st.replacing_serials:
                # (a Main Mode "to replace #N" of an ISAKMP SA that was up: the peer answered that one; its
                # replacement went unanswered)
                _set(ev, "rekey_issue")
                st.rekey_unanswered = True
            else:
                _set(ev, "peer_unreachable")
        elif kind == "give_up":
            _request_on_up_sa(ev, st)  # (also pluto's timeout in ESTABLISHED_IKE_SA, an INFORMATIONAL)
            ex = ev.exchange or st.exchange
            rekey_state = _rekey_state(ev) or bool(ev.values.get("rekey_pending")) or (
                # charon names the task that gave up ("rekeying IKE_SA failed, peer not responding", ike_sa.c: the
                # IKE_SA was in IKE_REKEYING): the SA that was up was not replaced.
                _rekey_word(ev) == "rekey" and ev.kind == "give_up"
            ) or (
                # A Quick Mode / CREATE_CHILD_SA over an IKE SA that is up, after a Child SA was up: the
                # exchange that replaces it got no (usable) answer.
                ex in CHILD_EXCHANGES and st.ike_up and st.child_up and not st.dpd_pending
                and not st.new_child
            )
            if st.answered_phase1_with_info and not rekey_state and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", None):
                # IKEv1 phase 1 timed out although the peer answered this side's last message with an Informational
                # (encrypted, so this side could not read it) instead of the next phase 1 message: the peer could not
                # verify this side's hash. With pre-shared keys the keys differ (a guess: firmer lines outweigh it).
                _set(ev, "auth_failure", "weak")
                if st.v1_info_answer is not None:
                    ev.values["v1_info_answer"] = st.v1_info_answer.line
                elif st.v1_repeat is not None:
                    ev.values["v1_repeat"] = st.v1_repeat.line
            elif st.rekey_trouble or rekey_state or (st.rekeying and not st.dpd_pending) or (
                (st.ike_up or st.create_child_seen) and "CREATE_CHILD_SA" in (st.pending, ev.exchange)
                and not st.dpd_pending and not _new_child_state(ev) and not st.new_child
            ) or (
                # the retransmissions before it were a rekey's (pluto 5.3+ "retransmitting rekey Child SA request",
                # a REKEY state), unanswered since: a paste that starts after the rekey began
                st.rekey_unanswered and not st.dpd_pending and not st.new_child
            ):
                # A CREATE_CHILD_SA that replaces an SA over an established IKE SA got no usable answer. (One
                # that adds a new Child SA replaces nothing: its timeout is the peer no longer answering.)
                _set(ev, "rekey_issue")
                st.rekey_trouble = True
            elif st.dpd_pending or (st.ike_up and ex in ("INFORMATIONAL", "INFORMATIONAL_V1", None)) or (
                (st.ike_up or st.child_up) and (st.new_child or _new_child_state(ev))
            ):
                _set(ev, "dpd_timeout")
                st.dpd_pending = False
            elif ev.values.get("abandoned") == "MAIN_I3":
                # pluto deleted the ISAKMP SA still waiting for the answer to MI3, the first encrypted message: the
                # peer answered the first two exchanges, so it is reachable. With a certificate in MI3 the message
                # left as IP fragments (below: the same reading of pluto's timeout); otherwise pluto's own guess
                # applies: the keys differ. Without MI3 in the log, an answer in the paste (a refusal in the clear),
                # an operator or another exchange says more than the state; otherwise the paste starts at the
                # deletion, the state's name says MI3 went out unanswered, and pluto's own guess is what is left (a
                # certificate in MI3 cannot be seen, so it stays a guess).
                if st.ike_up or (not st.v1_encrypted and (
                        st.answered or st.operator_down or st.exchange not in (None, "MAIN_MODE"))):
                    _set(ev, None)
                elif not st.v1_encrypted:
                    ev.values["guess"] = True
                    _set(ev, "auth_failure", "weak")
                elif st.cert_sent:
                    ev.values["cert_sent"] = True
                    _set(ev, "nat_t_or_fragmentation")
                else:
                    ev.values["guess"] = True
                    _set(ev, "auth_failure", "weak")
            elif st.nat_or_frag and not st.ike_up and (
                (st.answered and ex == "IKE_AUTH")
                # the responder's side: it answered IKE_SA_INIT, found NAT, and the initiator's IKE_AUTH (sent to UDP
                # 4500 from then on, RFC 7296 section 2.23) never came
                or (st.answered_init and ex in ("IKE_SA_INIT", None))
            ):
                if ex != "IKE_AUTH":
                    ev.values["responder_waited"] = True
                elif st.moved_to_4500:
                    ev.values["moved_to_4500"] = True
                _set(ev, "nat_t_or_fragmentation")
            elif ex == "QUICK_MODE" and st.ike_up and not st.child_up and ev.kind == "give_up" and not _QUICK_R1.search(ev.text):
                # Main Mode completed with this peer, then its first Quick Mode was never answered (charon: "giving
                # up after N retransmits" in QUICK_MODE): a guess, read as pluto's "perhaps peer likes no proposal" is
                # (below, kind ts_unacceptable with a guess).
                ev.values["guess"] = True
                _set(ev, _quick_mode_guess(ev, st), "weak")
            elif st.large_sent and st.answered and not st.ike_up and ex in ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_AUTH"):
                # The peer answered the first, small messages; the one that went unanswered needed IP fragments
                # (an IKE_AUTH or Main Mode's third exchange with certificates): fragments dropped on the path.
                ev.values["packet_bytes"] = st.large_sent
                _set(ev, "nat_t_or_fragmentation")
            elif st.v1_encrypted and st.answered and not st.ike_up and ex == "MAIN_MODE" and ev.fmt == "strongswan":
                # charon gave up on its first encrypted Main Mode message (MI3, "[ ID HASH ]") after the peer answered
                # the two before it: the peer is reachable and did not accept MI3. pluto reads its own such timeout as
                # "Possible authentication failure: no acceptable response to our first encrypted message"; with
                # pre-shared keys the keys differ (a guess).
                ev.values["guess"] = True
                _set(ev, "auth_failure", "weak")
            elif st.answered_auth is not None and not st.ike_up and ex in ("IKE_AUTH", None):
                # This side (the responder) answered the peer's IKE_AUTH and the negotiation then timed out waiting
                # for the peer's next IKE_AUTH message (an EAP round, RFC 7296 section 2.16): the peer is reachable
                # (its IKE_AUTH arrived) and did not go on. An initiator that cannot verify the responder's AUTH
                # payload ends the negotiation (section 2.15), often without a word: a guess, firmer lines win.
                ev.values["guess"] = True
                ev.values["auth_answered"] = st.answered_auth.line
                _set(ev, "auth_failure", "weak")
                _set(st.answered_auth, "auth_failure", "context")  # (shown in the chain of lines)
            elif _QUICK_R1.search(ev.text):
                # The responder's Quick Mode timed out waiting for QI2: the initiator sent QI1 (it is reachable) and
                # considers the IPsec SA up once it sends QI2, which never arrived. The two sides' SAs are out of
                # step (a rekey's failure when it replaced an SA that was up, read above). In a first negotiation
                # the peer may also have refused this side's answer without saying so: no cause to name from it.
                _set(ev, None)
            elif st.refused_by is not None and (st.refused_by.exchange or ex) == ex:
                # The peer answered this exchange, with an error notify that names no cause of its own (it could not
                # process the request: UNSUPPORTED_CRITICAL_PAYLOAD, INVALID_SYNTAX), and pluto, which ignores an
                # unauthenticated notify in IKE_SA_INIT, waited until its timeout: not the peer's silence.
                ev.values["refused_by"] = st.refused_by.line
                _set(ev, None)
            else:
                _set(ev, "peer_unreachable")
                _mark_auth_unanswered(ev, st)
            st.ike_up = st.child_up = False
        elif kind == "session_end":
            st.session_end = ev
            _set(ev, None)
        elif kind == "delete":
            # (every Delete of a charon IKE SA takes it out of the ones up, whoever sent it and whatever it means)
            duplicate = _duplicate_ike_sa(ev, st) if ev.sa != "child" else None
            if ev.pattern == _ISAKMP_SA_DELETED:
                # pluto removes an ISAKMP SA that was up (its lifetime ended, or it was given up): a marker for
                # the Main Mode that was to replace it (see _main_modes_beside_an_up_isakmp_sa), nothing more - the
                # line does not say the peer was told, and the IPsec SAs over it stay up.
                _set(ev, None)
            elif ev.sa == "child":
                if ev.pattern != "lib-larval-deleted":
                    st.child_deleted = True
                elif st.child_deleted and (st.ike or ev.ike) == 2:
                    # pluto 5 deletes a Child SA still being negotiated ("larval") after it deleted the connection's
                    # Child SA that was up: a CREATE_CHILD_SA was under way over the IKE SA that carried it, to replace
                    # it, and never completed before the teardown (it went unanswered).
                    st.rekey_unanswered = True
                    st.larval_replacement = st.larval_replacement or ev
                _set(ev, "rekey_issue", "context")
                if ev.direction == "received" and st.rekey_unanswered:
                    # the peer deletes the Child SA this side's unanswered rekey was to replace (its copy expired)
                    ev.values["rekey_unanswered"] = True
            elif ev.weak and ev.direction is None:
                # "The VPN went down" with no reason (Junos KMD_VPN_DOWN_ALARM_USER): the SAs are gone, but
                # nothing says the peer ended them. Shown when the cause is confirmed, never a cause itself.
                _set(ev, "ike_sa_deleted_by_peer", "context")
                st.ike_up = st.child_up = False
            elif ev.direction == "received" and st.session_end is not None:
                # The L2TP/PPP session inside the SA ended first: the client disconnected on purpose and
                # its Delete follows. Nothing to fix.
                _set(ev, "ike_sa_deleted_by_peer", "context")
                st.ike_up = st.child_up = False
            elif (ev.direction == "received" and ev.values.get("redundant")) or (
                    ev.direction in ("received", "sent") and _superseded_ike(ev, st)):
                # charon: the Delete for IKE_SA gw[1] after "IKE_SA gw[2] rekeyed" (or established) is how an IKE SA
                # rekey ends (RFC 7296 section 2.18: the old SA is deleted once the new one is up), and the Delete for
                # the redundant IKE SA of a rekey collision this side won is how the collision ends. Nothing went down.
                # (The side that rekeyed sends that Delete: "sending DELETE for IKE_SA gw[1]" after gw[2] is up.)
                _set(ev, None)
            elif ev.direction == "received" and st.rekey_unanswered:
                # The peer ends the IKE SA while this side's rekey is still unanswered: it never answered the exchange
                # that was to replace an SA (IKEv1 negotiates the lifetimes, so its copy of the SA expires with ours):
                # the rekey failed, and the Delete is how the tunnel went down after it.
                _set(ev, "rekey_issue")
                if st.larval_replacement is not None:
                    ev.values["larval_line"] = st.larval_replacement.line
                    st.larval_replacement = None
                st.ike_up = st.child_up = False
            elif ev.direction == "received" and duplicate is not None:
                # The peer deletes one of two IKE SAs of the same connection that are up at once, and the other stays:
                # both sides set one up at the same time (a reauthentication or a rekey that crossed the peer's own),
                # and the peer removes its duplicate. The connection still has an IKE SA; the Child SAs of the deleted
                # one go with it, and when the two sides do not drop the same ones, traffic stops on the Child SA one
                # side still uses.
                _set(ev, "rekey_issue", "weak")
                ev.values["duplicate_kept"] = duplicate
            elif ev.direction == "received" and id(ev) in phase1_only and st.child_up and (st.ike or ev.ike) != 2:
                # IKEv1: the peer deleted its ISAKMP SA and none of the IPsec SAs, which stay up (unlike IKEv2's Child
                # SAs, IKEv1's IPsec SAs do not depend on the phase 1 SA they were negotiated under, RFC 2409 section
                # 5.5): its phase 1 lifetime ended, or it keeps no idle ISAKMP SA. Traffic goes on; a new Main Mode
                # comes when an SA needs replacing.
                _set(ev, "ike_sa_deleted_by_peer", "context")
                st.ike_up = False
            elif ev.direction == "received":
                _set(ev, "ike_sa_deleted_by_peer")
                st.ike_up = st.child_up = False
            elif ev.direction == "sent" and not both_sides:
                # This side deletes the IKE SA: the operator took the connection down (ipsec down / whack
                # --delete), the SA's lifetime ended, or the daemon gave up on it. Whatever the reason, it is
                # not the peer ending the tunnel, so the line is context, never "the peer deleted". (In a
                # paste of both peers' logs it is what the other peer sees as its peer deleting the IKE SA.)
                _set(ev, "ike_sa_deleted_by_peer", "context")
                st.ike_up = st.child_up = False
            else:
                _set(ev, "ike_sa_deleted_by_peer", "weak")
                if ev.direction is None:
                    st.pending_delete = ev
                st.ike_up = st.child_up = False
        elif kind == "out_of_step" and ev.exchange == "CREATE_CHILD_SA":
            # IKEv2: the peer resends a CREATE_CHILD_SA request this side answered. A lost answer is resent once or
            # twice; when the peer keeps asking (_ANSWERS_LOST times), this side's answers do not reach it, and the
            # exchange that replaces an SA that was up never completes on the peer's side.
            st.duplicate_requests += 1
            st.ike_up = True  # (a CREATE_CHILD_SA request comes over an IKE SA that is up)
            lost = st.duplicate_requests >= _ANSWERS_LOST
            _set(ev, "rekey_issue", "decisive" if lost else "context")
        elif kind == "out_of_step" and ev.exchange == "IKE_AUTH":
            # IKEv2, this side the responder: the peer resends the IKE_AUTH request this side answered. Once, a lost
            # packet; _ANSWERS_LOST times, this side's answers do not reach the peer (the path drops them: UDP 4500,
            # the IP fragments of a large answer). The peer is reachable one way: its requests arrive.
            serial = _serial_of(ev.text) or 0
            count = st.auth_duplicates[serial] = st.auth_duplicates.get(serial, 0) + 1
            ev.values["answers_lost"] = count
            _set(ev, "peer_unreachable", "decisive" if count >= _ANSWERS_LOST else "context")
        elif kind == "out_of_step":
            # The peer sends again a message of a Quick Mode this side has completed: it never got this
            # side's last message (QI2), so its IPsec SA is not up while ours is. When the Quick Mode
            # replaced an SA that was up (a rekey), the rekey left the SAs out of step.
            _set(ev, "rekey_issue", "decisive" if st.child_up or st.rekeying else "weak")
        elif kind == "auth_failed" and ev.pattern == "lib-timeout-auth" and ev.exchange == "IKE_AUTH":
            # libreswan 3.x's guess for IKEv2: a peer that cannot verify this side's AUTH payload answers
            # AUTHENTICATION_FAILED (RFC 7296 section 2.21.2); silence in IKE_AUTH is as often a path that drops the
            # larger, fragmented IKE_AUTH message or UDP 4500, and pluto also stops waiting after an error notify
            # it was answered with ("suppressing retransmits; will wait ... for retry"). A guess, which firmer lines
            # outweigh.
            _set(ev, "auth_failure", "weak")
        elif kind == "auth_failed" and ev.pattern == "lib-auth-exchange-fatal":
            # (IKE_AUTH_I, PARENT_I2, IKE_SA_INIT_IR, XAUTH)
            _auth_step_fatal(ev, st)
        elif kind == "auth_failed" and ev.pattern == "lib-v1-malformed":
            # pluto cannot parse the peer's encrypted IKEv1 message: before the ISAKMP SA is up, the keys derived from
            # the pre-shared key differ; over an SA that is up (a Quick Mode out of step) no authentication problem.
            _set(ev, None if st.ike_up else "auth_failure", "weak")
        elif kind == "auth_failed" and ev.pattern in _V1_DECRYPT and (
                (tag := _CHARON_TAG.search(ev.text)) and tag.group(1) in st.up_ike_tags
                # (charon without ike_name, its default: no tag; an ISAKMP SA up and no phase 1 under way since)
                or not tag and st.ike_up and st.exchange not in ("MAIN_MODE", "AGGRESSIVE_MODE")):
            # An IKEv1 message over an ISAKMP SA that is up could not be decrypted: that SA's keys were agreed and
            # worked, so the pre-shared keys match; what is out of step is the exchange (a Quick Mode retransmitted
            # after it was settled, whose IV no longer fits: RFC 2409 appendix B). No authentication problem.
            _set(ev, None)
        elif kind == "auth_failed" and ev.pattern == "swan-no-ike-config" and (
                st.peer_first is None and len(sent := own_versions(ev)) == 1):
            # charon finds no connection for the peer's addresses in the IKE version of its request (backend_manager.c
            # matches both), while this side itself starts IKE to that address with a connection of its own: the
            # addresses match, so the version does not. (The log leaves out the request it parsed: its [ENC] lines.)
            (own,) = sent
            ev.values["ike_sent"] = own
            ev.values["ike_requested"] = "IKEv2" if own == "IKEv1" else "IKEv1"
            _set(ev, "ike_version_mismatch")
        elif kind == "auth_failed" and ev.pattern == "swan-no-ike-config" and (
                st.peer_first or st.exchange) in _FIRST_EXCHANGE_VERSION:
            # charon finds no connection for the peer's addresses in this IKE version (backend_manager.c matches
            # both): name the version of the request it just parsed, which is one of the two suspects.
            requested = ev.values["ike_requested"] = f"IKEv{_FIRST_EXCHANGE_VERSION[st.peer_first or st.exchange]}"
            sent = own_versions(ev)
            if listed_versions and requested not in listed_versions and "IKEv1/2" not in listed_versions:
                # ... and the connections the paste lists (statusall, swanctl --list-conns) are all of the other
                # version: the versions differ.
                ev.values["conn_versions"] = "/".join(sorted(listed_versions))
                _set(ev, "ike_version_mismatch")
            elif sent and requested not in sent:
                # ... while this side itself sends requests of the other version to the same peer address: it has
                # a connection for the addresses, only not for this version (and the peer, for its part, answers
                # this side's requests no better). The versions differ.
                ev.values["ike_sent"] = "/".join(sorted(sent))
                _set(ev, "ike_version_mismatch")
            else:
                _set(ev, "auth_failure")
        elif kind == "conn_switched":
            _set(ev, None)
        elif kind == "remote_access":
            st.remote_access = True
            _set(ev, None)
        elif kind == "conn_added":
            if ev.pattern not in LISTING_PATTERNS:
                st.conn_versions.update(_listed_versions(ev))
            _set(ev, None)
        elif (kind == "ike_version_mismatch" and ev.weak and (known := st.conn_versions | listed_versions)
              and ev.values.get("version") and ev.values["version"] not in known):
            # pluto found no connection for the peer's request of one IKE version, and the log shows it added its
            # connections with the other version only ("added IKEv1 connection"), or its status listing shows only
            # that version: the versions differ.
            ev.values["ike_requested"] = ev.values["version"]
            ev.values["conn_versions"] = "/".join(sorted(known))
            ev.category, ev.weight = "ike_version_mismatch", "decisive"
        elif (kind == "ike_version_mismatch" and ev.weak and ev.values.get("version") and (
                sent := own_versions(ev))
              and ev.values["version"] not in sent):
            # ... or it sends its own requests of the other version to the same address (see _own_versions).
            ev.values["ike_requested"] = ev.values["version"]
            ev.values["ike_sent"] = "/".join(sorted(sent))
            ev.category, ev.weight = "ike_version_mismatch", "decisive"
        elif kind == "peer_repeats":
            # (IKEv1's message ID 0 is phase 1's: a paste that starts after Main Mode began still says so)
            if not st.ike_up and (st.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") or (
                    st.exchange is None and "with ID 0," in ev.text)):
                # RFC 2409: Main Mode's fifth message is the first encrypted one. A peer that answers it with its
                # fourth message again did not accept it (it could not decrypt or verify it): the keys differ.
                st.v1_repeat = st.v1_repeat or ev
                _set(ev, "auth_failure", "context")
                for earlier in st.retransmits:  # the peer got them: it is reachable
                    _set(earlier, "auth_failure", "context")
                st.retransmits.clear()
            else:
                _set(ev, None)
        elif kind == "operator_down":
            st.operator_down = True
            _set(ev, None)
        elif kind == "redirect":
            st.redirected = True
            if (redirected := _serial_of(ev.text)) is not None:
                st.redirected_serials.add(redirected)
            _set(ev, None)
        elif kind == "rekey_failed" and ev.weak and ev.sa == "child" and _superseded(ev, st):
            # charon closes an IKEv1 CHILD_SA it already rekeyed when that SA's lifetime ends ("closing expired
            # CHILD_SA net{1}" after net{2} was established: charon.delete_rekeyed is off by default, the old SA
            # stays for traffic still in flight). A newer SA of the same name carries the traffic: nothing failed.
            _set(ev, None)
        elif kind == "rekey_failed" and ev.weak and ev.pattern == "swan-child-sa-hard-expired" and (
                "recreate" in ev.text or _expired_unreplaced(ev, st)):
            # The CHILD_SA that expired is the newest of its name this log shows up: it reached its hard lifetime
            # without a replacement, so traffic stopped until it was set up again. charon queues that recreate only
            # for such an SA (child_delete.c; an IKEv2 SA it rekeyed is deleted by the rekey, not by its expiry).
            # The rekey failed earlier or is off: setting it up again does not undo the gap.
            ev.category, ev.weight = "rekey_issue", "decisive"
            ev.values["expired_unreplaced"] = True
        elif (kind == "rekey_failed" and ev.pattern == "swan-install-failed" and st.ike_up and not st.child_up
              and not st.rekeying and not st.create_child_seen):
            # The kernel refused the SA or policies of a Child SA set up with the IKE SA (IKE_AUTH), no Child SA up
            # before it and no CREATE_CHILD_SA in view: a first Child SA, nothing rekeyed. What it conflicts with
            # (another policy, the route to the peer itself) is this host's own setup, not a rekey.
            _set(ev, None)
        elif kind == "rekey_failed" and st.operator_down:
            # The operator took the connection down: the peer's messages for the SAs deleted on that command
            # ("Informational Exchange is for an unknown (expired?) SA", INVALID_SPI) find nothing. Expected.
            _set(ev, None)
        elif kind == "rekey_failed" and ev.weak and ev.pattern == "lib-sa-expired" and (
                first := st.retransmitted.get(_serial_of(ev.text) or -1)) and not st.redirected and not st.operator_down:
            # pluto says "(LATEST!)" of an SA that was still the connection's newest when it expired: nothing replaced
            # it. Its own request was being sent again, unanswered, until then: the rekey (or reauthentication) that
            # starts before the lifetime ends never got an answer, and the SA reached its end.
            ev.category, ev.weight = "rekey_issue", "decisive"
            ev.values["expired_unanswered"] = first
        elif kind == "rekey_failed" and ev.weak and st.redirected and ev.sa != "child":
            # pluto follows a REDIRECT (RFC 5685) by expiring the IKE SA it leaves behind ("IKE SA expired
            # (LATEST!)"): the old SA was dropped on purpose, no rekey failed.
            st.redirected = False
            _set(ev, None)
        elif kind == "bgp_neighbor":
            st.bgp_listing_up = False  # a new neighbor's block: its own state line says whether it is up
            _set(ev, None)
        elif kind == "bgp_up":
            st.operator_down = False  # (a session up after the operator's command: what fails next is not its doing)
            downs = st.bgp_downs.get(bgp_peer(ev), []) if bgp_peer(ev) else []
            if (len(downs) == 1 and (first := downs[0][0]).stamp is not None and ev.stamp is not None
                    and 0 <= ev.stamp - first.stamp <= BGP_SETUP_RESET_S
                    and downs[0][1] in ("peer_closed", "no_afi_activated")):
                # The neighbor's only down so far, a connection reset without a NOTIFICATION (the other connection
                # of a collision closed, RFC 4271 section 6.8) or FRR bringing the neighbor up before its address
                # family (configuration still loading), and the session up within seconds: how a session was set
                # up, not a fault. A second down of the same neighbor stays a flap.
                _set(first, "bgp_down", "context")
            st.bgp_listing_up = bool(_BGP_STATE.search(ev.text))
            st.bgp_up.add(bgp_peer(ev))
            st.bgp_collisions.pop(bgp_peer(ev), None)
            if bgp_peer(ev):
                st.bgp_on_purpose -= {bgp_peer(ev), ""}
            else:
                st.bgp_on_purpose.clear()
            _set(ev, "bgp_down", "context")
        elif kind == "bgp_down" and (_LAST_NOTIFICATION.match(ev.text) or _LAST_RESET.match(ev.text) and (
                st.bgp_listing_up or bgp.read(ev.text).get("bgp_reason") in bgp.ON_PURPOSE)):
            # "show ip bgp neighbors": the last reset of a session the same listing shows established now is
            # history, no current fault; an operator's reset or a configuration change, however long ago, says
            # nothing about the session now either (the state line does); nor does the last NOTIFICATION or error
            # (IOS-XR, FortiOS, Junos), which may be older than the last reset
            _set(ev, "bgp_down", "context")
        elif kind == "bgp_down":
            if _BGP_STATE.search(ev.text):
                st.bgp_listing_up = False
            reason = bgp.read(ev.text).get("bgp_reason")  # read once per line: the facts reuse it
            if reason == "collision" and "Down" not in ev.text:
                # RFC 4271 section 6.8: both speakers opened a connection at once and one of the two is closed with
                # Cease / Connection Collision Resolution; the session goes on over the other, whether the paste
                # shows it up or not. (A "Down" line says the session itself went down.) Unless it keeps happening
                # to a neighbor that is never up: then no connection survives and the session does not come up.
                peer = bgp_peer(ev)
                seen = st.bgp_collisions.setdefault(peer, [])
                seen.append(ev)
                if len(seen) >= BGP_COLLISION_LOOP and not ({peer, ""} & st.bgp_up):
                    if len(seen) == BGP_COLLISION_LOOP:
                        st.bgp_collision_loops.append(seen)
                    for e in seen if len(seen) == BGP_COLLISION_LOOP else (ev,):
                        _set(e, "bgp_down", "decisive")
                else:
                    _set(ev, None)
                continue
            if st.operator_down and reason not in bgp.FAULTS:
                # The operator shut an interface or the neighbor, cleared the session, or took the tunnel down in
                # the same terminal session: the session goes down because of it. A fault named after it still counts.
                _set(ev, "bgp_down", "context")
                continue
            if reason == "bad_peer_as" and not ev.tree_node:
                ev.tree_node = "tunnel-down/d-bgp-asn"
            # An operator reset or shut the session (RFC 4486 Cease subcodes 2-4), a configuration change reset it,
            # or the TCP connection did not come up yet (a daemon retries while its peer starts): a cause only if
            # the session stays down. The lines that follow such a reset without a reason of their own (FRR's
            # "[FSM] Receive_NOTIFICATION_message", "Down BGP Notification received") are the same reset.
            # Per neighbor: an AWS VPN has two, and one's reset does not explain the other's outage.
            peer = bgp_peer(ev)
            on_purpose = reason in bgp.ON_PURPOSE
            if on_purpose:
                st.bgp_on_purpose.add(peer)
            elif reason not in (None, "notification", "peer_closed") and reason not in bgp.CONNECTING:
                st.bgp_on_purpose.discard(peer)
            reset_before = bool(st.bgp_on_purpose) if not peer else bool({peer, ""} & st.bgp_on_purpose)
            weak = on_purpose or reason in bgp.CONNECTING or (
                reset_before and reason in (None, "notification", "peer_closed")
            )
            _set(ev, "bgp_down", "weak" if weak else "decisive")
            if peer:
                st.bgp_downs.setdefault(peer, []).append((ev, reason))
        elif kind == "nat_or_fragments":
            st.nat_or_frag = True
            if size := ev.values.get("bytes"):
                st.large_sent = int(size)
            _set(ev, "nat_t_or_fragmentation", "context")
        elif kind == "dpd_dead" and st.rekey_trouble and not st.dpd_pending:
            # The liveness action pluto takes when the rekey exchange timed out: a consequence of the rekey.
            _set(ev, "rekey_issue", "context")
        elif kind == "dpd_dead" and st.rekeying and st.rekey_waiting and ev.fmt == "libreswan" and not st.dpd_pending:
            # pluto 3.x/4.x take the liveness action whenever the established IKE SA's request times out; with a
            # rekey sent and never answered (and no liveness probe of its own in view), that request was the rekey
            # (IKEv2 keeps one request outstanding, RFC 7296 section 2.3): also without the timeout line before it.
            _set(ev, "rekey_issue")
        elif kind == "ts_unacceptable" and ev.weak and (st.rekeying or st.proposal_flaw or st.rare_transform):
            # A daemon's guess from a Quick Mode left unanswered: when the Quick Mode replaced an SA that
            # was up, the selectors were accepted before, so the rekey failed; when the offer carries a key
            # length its algorithm does not have, the peer refused the proposal.
            _set(ev, "rekey_issue" if st.rekeying else "phase2_proposal_mismatch")
            if st.rekeying and ev.values.get("abandoned"):
                st.rekey_unanswered = True  # (pluto gave up on the rekey's Quick Mode: nothing answered it)
            if st.proposal_flaw and not st.rekeying:
                ev.values.setdefault("algorithms", st.proposal_flaw)
                ev.values["invalid_key_length"] = st.proposal_flaw
            elif st.rare_transform and not st.rekeying:
                ev.values["transforms"] = st.rare_transform
        elif kind == "ts_unacceptable" and ev.weak and ev.values.get("guess") and (
                ev.exchange == "QUICK_MODE" or st.remote_access):
            # pluto's "No acceptable response to our first Quick Mode message: perhaps peer likes no proposal"
            _set(ev, _quick_mode_guess(ev, st), "weak")
        elif kind == "ts_unacceptable" and ev.values.get("abandoned"):
            # An exchange dropped while still waiting for its answer, with nothing in the offer or a rekey to say
            # why: no cause to name from it alone.
            _set(ev, None)
        elif kind == "ts_unacceptable" and not ev.weak and not st.rekeying and _child_replaced(ev, st):
            # IKEv2: the Child SA is up over an IKE SA that is up, and the refusal comes in a later exchange (a
            # CREATE_CHILD_SA, or a line that names none: the IKE_AUTH that carried the Child SA is over). Unless the
            # exchange says it adds a Child SA, it replaces the one that is up (RFC 7296 section 2.8), which the
            # peer accepted with these selectors before: the rekey fails.
            _set(ev, "rekey_issue")
        elif kind == "ts_unacceptable" and (st.rekeying or ev.values.get("rekey_refused")) and not ev.weak:
            # The peer refuses the selectors of an exchange that replaces a Child SA it accepted with those
            # selectors before (RFC 7296 section 2.8: a rekey carries the SA's traffic selectors again):
            # the rekey fails, typically because one side narrowed the selectors when the SA was created.
            _set(ev, "rekey_issue")
        elif (kind == "auth_failed" and ev.kind == "notify" and ev.direction == "received" and not st.ike_up and (
                # (or pluto's state waits for the answer to Aggressive Mode's first message: AGGR_I1)
                st.am_unanswered or ev.values.get("pluto_state") == "AGGR_I1")):
            # RFC 2409 section 5.4: Aggressive Mode's first message carries SA, KE, nonce and ID, no HASH. A peer that
            # answers it with AUTHENTICATION_FAILED has checked no pre-shared key: it refuses Aggressive Mode itself
            # (a Main Mode-only peer: AWS accepts Main Mode only; strongSwan refuses Aggressive Mode with PSK unless
            # told otherwise) or the identity in it.
            ev.values["am_first_refused"] = True
            _set(ev, "ike_mode_mismatch")
        elif kind == "auth_failed" and ev.direction != "received" and _serial_of(ev.text) in st.crossed:
            # pluto refuses the peer's IKE_AUTH that crossed its own (both sides initiated at once, ikev2_auth.c
            # check_simultaneous_ike_auth): one IKE SA is kept, the refusal is how the other is dropped.
            _set(ev, None)
        elif (kind == "auth_failed" and ev.values.get("guess") and st.cert_sent and st.v1_encrypted
              and not st.ike_up and not st.answered_phase1_with_info):
            # pluto's "Possible authentication failure: no acceptable response to our first encrypted message"
            # when that message (MI3) carried this side's certificate and the peer said nothing at all. A peer that
            # cannot verify a certificate or an identity answers MI3 with a notification (INVALID_ID_INFORMATION,
            # INVALID_KEY_INFORMATION: libreswan's test suite, every certificate refusal); a certificate makes MI3
            # larger than one IP packet, and silence after the small messages were answered is lost fragments.
            ev.values["cert_sent"] = True
            _set(ev, "nat_t_or_fragmentation", "weak")
        elif kind == "auth_failed" and (ev.weak or ev.values.get("guess")) and st.child_refused:
            # A daemon's guess ("possible authentication failure") after the peer already refused the Child
            # SA in the same IKE_AUTH: the IKE SA authenticated, the refusal is the cause and this its echo.
            _set(ev, "auth_failure", "context")
        elif kind == "ike_mode_mismatch" and ev.pattern == "swan-none-allows-mode" and ev.values.get("exchange") == "Main":
            # charon's phase1.c skips a connection whose authentication method or whose Aggressive Mode setting differs
            # from the request. The peer asked in Main Mode, which a connection refuses only when it is set to
            # Aggressive Mode (not the default): the authentication method is the likelier difference (a pre-shared
            # key against certificates or XAuth). The reading names both.
            _set(ev, "auth_failure")
        elif kind in KIND_CATEGORY:
            if kind in ("rekey_failed", "rekey_collision"):
                st.rekey_trouble = True
            if kind == "auth_failed" and ev.kind == "notify" and ev.direction == "received":
                _note_refusal(ev, st)
            elif kind == "auth_failed" and ev.fmt == "libreswan":
                ev.values["own_complaint"] = True
                # pluto's own complaint about the peer's credentials: when the same state is established after it
                # (the IKE SA of IKEv2's IKE_AUTH too), a policy let it pass ("connection allows unmatched IKE ID").
                _note_refusal(ev, st, ("MAIN_MODE", "AGGRESSIVE_MODE", "IKE_SA_INIT", "IKE_AUTH"))
            if kind in ("ts_unacceptable", "ipsec_mode_mismatch") and not st.rekeying:
                st.child_refused = True
            _set(ev, KIND_CATEGORY[kind])
        else:
            _set(ev, None)
        if ev.exchange and kind not in ("initiate",) and ev.exchange not in INFO_EXCHANGES:
            st.exchange = ev.exchange
    for loop in (loop for st in states.values() for loop in st.bgp_collision_loops):
        for e in loop:
            e.values["bgp_collisions"] = len(loop)
    _version_answers(events)
    _rekey_gave_up(events)
    _transform_refusals_settled(events)
    _first_replies_unanswered(events)
    _gave_up_while_established(events)
    _transforms_all_refused(events)
    _child_deletes_not_replaced(events)
    _refusals_beside_a_lost_rekey(events)
    _rekey_still_unanswered(events)
    _quick_mode_still_unanswered(events)
    _bgp_notification_named_next(events)
    _fortigate_no_gateway_echo(events)
    _mode_refusal_echo(events)
    _missing_key_refusal_echo(events)
    _child_refusal_without_identity(events)
    _no_connection_refusal_echo(events)
    _complaint_then_switched(events)
    _revival_of_an_sa_that_was_up(events)
    _revival_refused_after_the_peers_delete(events)
    _reauthentication_deletes(events)
    _deletes_of_the_other_logs_reauthentication(events)
    _modes_differ_across_sides(events)
    _impaired_timeouts_echoed(events)
    _ikev1_expiries_of_unknown_sas(events)
    _deleted_right_after_authentication(events)
    _main_mode_answer_refused(events)
    _charon_state_change_echoes(events)


_IKE_SA_NAME = re.compile(r"\bIKE_SA (\S+\[\d+\])")


def _charon_state_change_echoes(events: list[Event]) -> None:
    """charon at log level 2 logs the IKE SA's state change ("IKE_SA gw[1] state change: ESTABLISHED => DELETING")
    between the lines of a Delete: after "received DELETE for IKE_SA gw[1]" when the peer deletes it, before "sending
    DELETE for IKE_SA gw[1]" when this side does. It is the same Delete, read as the line that says who sent it was
    (the peer ending the tunnel, this side's own, or a reauthentication's or rekey's step)."""
    for i, ev in enumerate(events):
        if ev.pattern != "swan-ike-deleting" or not (name := _IKE_SA_NAME.search(ev.text)):
            continue
        near = [e for e in events[max(0, i - 4):i + 5] if e is not ev and e.stream == ev.stream
                and e.kind == "delete" and e.sa != "child" and e.direction in ("received", "sent")
                and (m := _IKE_SA_NAME.search(e.text)) and m.group(1) == name.group(1)]
        if near:
            said = min(near, key=lambda e: abs(e.order - ev.order))
            ev.category, ev.weight = said.category, said.weight


def _ikev1_from(events: list[Event]) -> dict[int, int]:
    """Per log (stream), the index of its first event that shows IKEv1 (an IKEv1 exchange or pattern)."""
    first: dict[int, int] = {}
    for i, ev in enumerate(events):
        if ev.stream not in first and (ev.ike == 1 or ev.exchange in IKEV1_EXCHANGES):
            first[ev.stream] = i
    return first


def _ikev1_expiries_of_unknown_sas(events: list[Event]) -> None:
    """charon's IKEv1 keeps the CHILD_SA a Quick Mode rekey replaced until it expires ("closing expired CHILD_SA
    net{7}" in a healthy log): when the log shows neither that SA's establishment nor any of its name (the paste
    starts after them), its expiry is the routine end of a replaced SA as likely as a missed rekey, so it is no
    reading on its own. (Known the newest of its name, or followed by charon's recreate, it stays a rekey problem.)"""
    v1_streams = _ikev1_from(events)
    if not v1_streams:
        return
    for ev in events:
        if (ev.pattern == "swan-child-sa-hard-expired" and ev.stream in v1_streams and ev.category == "rekey_issue"
                and ev.weight == "weak" and not ev.values.get("expired_unreplaced")):
            _set(ev, None)


def _impaired_timeouts_echoed(events: list[Event]) -> None:
    """pluto's test impairment "IMPAIR: #N: retransmit so timing out SA" stands for the state's timeout; when the
    state's own deletion follows ("#N: deleting state (STATE_MAIN_I1)"), both lines are the one give-up, read by the
    deletion: the impairment's line is shown as context so that one give-up is not counted twice."""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or ev.weight != "decisive" or not _IMPAIRED_TIMEOUT.search(ev.text):
            continue
        serial = _serial_of(ev.text)
        for nxt in events[i + 1 : i + 6]:
            if nxt.stream == ev.stream and nxt.kind == "give_up" and nxt.values.get("abandoned") and (
                    _serial_of(nxt.text) == serial):
                ev.weight = "context"
                break


_SWITCH_EVENTS = 4


def _complaint_then_switched(events: list[Event]) -> None:
    """pluto checks the peer's identity or certificate against the connection it picked first; when that one does not
    fit it says so ("X509: CERT payload does not match connection ID") and then switches the state to a connection
    that does ("switched from "a" to "b"", libreswan's ikev1.c / ikev2.c; 5.x: "switched to "b""). The complaint was
    about the first pick, not the peer: context."""
    for i, ev in enumerate(events):
        if ev.kind != "conn_switched" or (serial := _serial_of(ev.text)) is None:
            continue
        for prev in reversed(events[max(0, i - _SWITCH_EVENTS):i]):
            if prev.stream == ev.stream and prev.category == "auth_failure" and prev.fmt == "libreswan" and (
                    _serial_of(prev.text) == serial and prev.values.get("own_complaint")):
                prev.weight = "context"


# This side ending an SA itself: the operator, an expiry, a peer declared dead, a negotiation given up, a redirect.
_ENDS_OF_OUR_OWN = frozenset({"operator_down", "rekey_failed", "dpd_dead", "give_up", "redirect"})
# Lines that only an SA that is up logs (an established SA, liveness checks and their answers) or that end one.
_SA_WAS_UP = frozenset({"established", "dpd_probe", "dpd_answer", "delete"})


# pluto's IPsec SA up, with its mode and SPIs: IKEv1 "IPsec SA established tunnel mode {ESP=>0x1 <0x2", IKEv2
# "established Child SA using #1; IPsec transport [..] {ESP/ESN=>0x1 <0x2" (test suites mask the SPIs: not read).
_PLUTO_SA_MODE = re.compile(
    r"(?:established (?P<m1>tunnel|transport) mode|IPsec (?P<m2>tunnel|transport) \[[^\]]*\]) \{(?:ESP|AH)\w*(?:/ESN)?"
    r"=>0x(?P<out>[0-9a-fA-F]{8}) <0x(?P<inb>[0-9a-fA-F]{8})")


def _modes_differ_across_sides(events: list[Event]) -> None:
    """Both peers' logs pasted: the same IPsec SA (this side's outbound SPI is the other side's inbound one) up in
    tunnel mode on one side and in transport mode on the other. IKEv1 does not refuse it (RFC 2407 section 4.5: the
    encapsulation mode is an attribute the responder may accept as it is configured), so neither log complains;
    traffic then fails (one side sends tunnel-mode ESP the other cannot unwrap)."""
    if len({ev.stream for ev in events}) < 2:
        return
    seen: dict[tuple[str, str], tuple[str, Event]] = {}
    for ev in events:
        if ev.kind != "established" or ev.fmt != "libreswan" or not (m := _PLUTO_SA_MODE.search(ev.text)):
            continue
        mode = m.group("m1") or m.group("m2")
        out, inb = m.group("out").lower(), m.group("inb").lower()
        other = seen.get((inb, out))
        if other is not None and other[1].stream != ev.stream and other[0] != mode:
            ev.values["modes"] = f"{other[0]} / {mode}"
            _set(ev, "ipsec_mode_mismatch")
        seen[(out, inb)] = (mode, ev)


# pluto's revival lines, printed for any revival whoever ended the SAs: libreswan 4/5's "connection is supposed to
# remain up; revival attempt N scheduled", libreswan 3/4's fixed "initiating connection which received a Delete/Notify
# but must remain up" (revival.c) and libreswan 5's "reviving connection which received Delete/Notify but must remain
# up" (routing.c; 5.x logs no line of its own for the peer's Delete).
_REVIVALS = frozenset({"lib-revival-scheduled", "lib-revive-v3-v4", "lib-revive-after-delete"})
_OWN_END_REVIVALS = frozenset({"lib-revival-scheduled", "lib-revive-after-delete"})


_DELETED_QUIETLY = "lib-established-ike-deleted-quietly"
_AGED = re.compile(r"\baged ([\d.]+)s\b")
# pluto: this side answered the peer's IKE_AUTH and its IKE SA came up (4.x/5.x wording, 3.x's state name)
_RESPONDER_UP = re.compile(r"\bresponder established IKE SA\b|\bSTATE_PARENT_R2: received v2I2, PARENT SA established\b")


# charon: the peer starts the negotiation (this side responds)
_CHARON_RESPONDS = re.compile(r"\bis initiating (?:an IKE_SA|IKE_SA \S+\[\d+\]|a (?:Main|Aggressive) Mode IKE_SA)"
                              # (this side answers the messages that set an IKE SA up: also in a paste that starts after
                              # the peer's first request)
                              r"|\bgenerating (?:ID_PROT|AGGRESSIVE|IKE_SA_INIT|IKE_AUTH) response\b")


def _deleted_right_after_authentication(events: list[Event]) -> None:
    """The peer deletes an IKE SA that this side set up as the responder less than two seconds earlier (pluto: deleting
    it without a notification; charon: "received DELETE for IKE_SA gw[1]" within the second of "IKE_SA gw[1]
    established"): the initiator deleted it as soon as it read this side's last answer. An initiator that cannot
    accept the responder's authentication (its identity or certificate) ends the IKE SA (IKEv2: RFC 7296 section
    2.21.2); pluto, and charon in IKEv1, say why only in their own log, so the responder's log shows the SA up and
    gone at once. A guess (weak): the initiator's log names the refusal."""
    if not any(ev.pattern == _DELETED_QUIETLY or (ev.kind == "delete" and ev.fmt == "strongswan" and ev.sa != "child"
                                                  and ev.direction == "received") for ev in events):
        return  # most logs: no such line
    def refused(ev: Event, up: Event) -> None:
        _set(ev, "auth_failure", "weak")
        ev.values["guess"] = True
        ev.values["deleted_at_once"] = up.line

    answered: dict[tuple[int, int], Event] = {}  # (stream, serial) -> the line of the IKE SA up as the responder
    responding: dict[int, bool] = {}  # charon, per log: the last negotiation seen was started by the peer
    charon_up: dict[tuple[int, str, str], Event] = {}  # (stream, name, id) -> the line of that IKE SA up as responder
    for ev in events:
        if ev.fmt == "strongswan":
            ike_sa = _CHARON_IKE_SA.search(ev.text)
            if _CHARON_RESPONDS.search(ev.text):
                responding[ev.stream] = True
            elif ev.kind == "initiate" and ev.sa != "child":
                responding[ev.stream] = False
            elif (ev.kind == "established" and ike_sa and " established between " in ev.text
                  and responding.get(ev.stream)):
                charon_up[(ev.stream, *ike_sa.group("name", "id"))] = ev
            elif ev.kind == "delete" and ev.direction == "received" and ev.category and ike_sa:
                up = charon_up.get((ev.stream, *ike_sa.group("name", "id")))
                if up is not None and up.stamp is not None and ev.stamp is not None and 0 <= ev.stamp - up.stamp <= 1:
                    refused(ev, up)
            continue
        if ev.kind == "established" and ev.fmt == "libreswan" and _RESPONDER_UP.search(ev.text):
            serial = _serial_of(ev.text)
            if serial is not None:
                answered[(ev.stream, serial)] = ev
        elif ev.pattern == _DELETED_QUIETLY and ev.category:
            serial = _serial_of(ev.text)
            up = answered.get((ev.stream, serial)) if serial is not None else None
            if up is not None and (aged := _AGED.search(ev.text)) and float(aged.group(1)) < 2:
                refused(ev, up)


_MR3_REPEATS = "lib-v1-duplicate-after-main-mode"


# A pluto state that answers Main Mode: "sent Main Mode R1" (4.x/5.x), "STATE_MAIN_R1: sent MR1" (3.x), "already
# STATE_MAIN_R3" (a repeated message): R states are the responder's (RFC 2409 section 5: the responder sends MR1-MR3).
_V1_RESPONDER_STATE = re.compile(r"\bsent Main Mode R[1-3]\b|\bSTATE_MAIN_R[0-3]\b")


def _main_mode_answer_refused(events: list[Event]) -> None:
    """IKEv1, pluto the responder: right after this side's last Main Mode answer set the ISAKMP SA up, the peer sends
    an encrypted message this side cannot read (pluto: "malformed payload") and its last Main Mode message again.
    This side decrypted that message of the peer's, so the keys agree; the peer got this side's answer (it answered
    it) and did not go on: it did not accept this side's identity or authentication (the message this side cannot
    read is most likely its notification of that). A guess (weak): the initiator's log names the refusal."""
    if not any(ev.pattern == "lib-v1-malformed" and ev.category is None for ev in events):
        return  # most logs: no such line
    responder: set[tuple[int, int]] = set()
    up_at: dict[tuple[int, int], float | None] = {}  # the responder's ISAKMP SA up, and when
    unreadable: dict[tuple[int, int], Event] = {}
    repeated: set[tuple[int, int]] = set()
    keyed = [(ev, (ev.stream, serial)) for ev in events
             if ev.fmt == "libreswan" and (serial := _serial_of(ev.text)) is not None]
    # (this side answers the peer's Main Mode, wherever the state's lines say so: also in a paste that starts after
    # its first answer, where only a later "already STATE_MAIN_R3" shows the role)
    responder.update(key for ev, key in keyed if _RESPONDING.search(ev.text) or _V1_RESPONDER_STATE.search(ev.text))
    for ev, key in keyed:
        if ev.kind == "established" and key in responder:
            up_at.setdefault(key, ev.stamp)
        elif ev.pattern == "lib-v1-malformed" and ev.category is None and key in up_at:
            unreadable.setdefault(key, ev)  # (read as nothing: over an ISAKMP SA that is up)
        elif ev.pattern == _MR3_REPEATS and key in responder:
            repeated.add(key)
    for key, ev in unreadable.items():
        up = up_at[key]
        # the peer's last Main Mode message repeated, or (a peer that gives up at once repeats nothing) its unreadable
        # message within two seconds of the SA coming up
        if key in repeated or (up is not None and ev.stamp is not None and 0 <= ev.stamp - up < 2):
            _set(ev, "auth_failure", "weak")
            ev.values["guess"] = True
            ev.values["main_mode_answer_refused"] = True


def _revival_of_an_sa_that_was_up(events: list[Event]) -> None:
    """pluto schedules a revival ("connection is supposed to remain up") whenever a state of a connection that must
    stay up is deleted, whoever deleted it: also this side's own delete (an operator's `ipsec down`, an expiry) and a
    negotiation that never came up (refused, unanswered, a Child SA it could not install). The line is read as the
    peer's delete (a guess) only when nothing in the paste says otherwise: no end of this side's own before it
    (`_ENDS_OF_OUR_OWN`, a Delete it sent) and no negotiation in vain: the line's state (or, before any sign of an SA
    that was up, the connection) seen negotiating and never up."""
    revivals = [i for i, ev in enumerate(events)
                if ev.pattern in _REVIVALS and ev.category and not ev.values.get("rekey_pending")]
    if not revivals:
        return  # most logs: no line to check, no state serials to read
    negotiating: set[tuple[int, int | None]] = set()
    up: set[tuple[int, int | None]] = set()
    own_ends: set[int] = set()  # the logs (streams: both peers' may be pasted) where this side ended SAs itself
    kept: list[int] = []  # revivals still read as the peer's Delete, with no Delete received before them
    received: set[int] = set()  # the logs where a Delete from the peer was received (its own line)
    unproven: set[int] = set()  # the logs where the same revival text follows a state that never came up
    first: dict[int, int] = {}  # each log's first event (both peers' logs may be pasted)
    for i, ev in enumerate(events[: revivals[-1] + 1]):
        first.setdefault(ev.stream, i)
        key = (ev.stream, _serial_of(ev.text))
        if ev.pattern in _REVIVALS and ev.category and not ev.values.get("rekey_pending"):
            # (libreswan 3/4's fixed text follows pluto's own deletion lines for the peer's Delete too: only a
            # connection never seen up tells it apart)
            own = ev.stream in own_ends and ev.pattern in _OWN_END_REVIVALS
            if own or any(k in negotiating and k not in up for k in (key, (ev.stream, None))):
                _set(ev, None)
                if key[1] is not None and key in negotiating and key not in up:
                    unproven.add(ev.stream)  # (printed for a state of this log that never came up)
            elif ev.stream not in received:
                kept.append(i)
            continue
        if ev.kind == "delete" and ev.direction == "received":
            received.add(ev.stream)
        # (an exchange this side dropped while still waiting for its answer, pluto's "deleting IPsec SA (QUICK_I1)",
        # is an end of its own too)
        if ev.kind in _ENDS_OF_OUR_OWN or (ev.kind == "delete" and ev.direction == "sent") or ev.values.get("abandoned"):
            own_ends.add(ev.stream)
        elif ev.pattern == "lib-orphan-response":
            # (the peer answered this side's Delete of an SA this side already dropped: the end was this side's)
            own_ends.add(ev.stream)
        for k in (key, (ev.stream, None)):
            (up if ev.kind in _SA_WAS_UP else negotiating).add(k)
    for i in kept:
        ev = events[i]
        # The same log prints the same revival text for a state of its own that never came up (a negotiation that
        # timed out), or the negotiation the revival starts gets no answer at all: the text says nothing about who
        # ended the SA, and no line of the peer's Delete is in view before it - a paste that starts at the revival.
        # (A peer that deleted the SA on purpose answers the next IKE_SA_INIT, if only to refuse it.) It stays a
        # guess, which firmer lines outweigh.
        if ev.category != "ike_sa_deleted_by_peer":
            continue
        unanswered = _revival_unanswered(events, i)
        # A paste that starts at the revival line, whose attempt then fails the way a negotiation that never came up
        # fails (the peer's answers unreadable or refused): nothing before it tells a Delete from this side's own
        # failed attempt, which the next one repeats.
        # (libreswan 3/4's fixed text only: libreswan 5 says "received Delete/Notify" only after a Delete)
        unproven_start = ev.pattern == "lib-revive-v3-v4" and first[ev.stream] == i and _revival_fails(events, i)
        if ev.stream in unproven and unanswered:
            # Both: the log prints this text after its own attempts that never came up, and the attempt it starts
            # goes unanswered like them - one more round of the same unanswered negotiation, no sign of a Delete.
            _set(ev, None)
        elif ev.stream in unproven or unanswered or unproven_start:
            _set(ev, ev.category, "weak")


def _revival_fails(events: list[Event], i: int) -> bool:
    """The negotiation after the revival line events[i] fails before anything comes up: its first finding is an
    authentication failure or a refusal."""
    revival = events[i]
    for nxt in events[i + 1 :]:
        if nxt.stream != revival.stream:
            continue
        if nxt.kind == "established":
            return False
        if nxt.category in ("auth_failure", "phase1_proposal_mismatch", "phase2_proposal_mismatch"):
            return True
        if nxt.category and nxt.weight == "decisive":
            return False
    return False


def _revival_unanswered(events: list[Event], i: int) -> bool:
    """The negotiation after the revival line events[i] got no answer: its requests were sent again or given up, read
    as the peer's silence, before anything from the peer came in."""
    revival = events[i]
    for nxt in events[i + 1 :]:
        if nxt.stream != revival.stream:
            continue
        if nxt.kind in ("established", "notify", "no_proposal", "auth_failed") or nxt.direction == "received":
            return False
        if nxt.category == "peer_unreachable" and nxt.kind in ("retransmit", "give_up"):
            return True
    return False


_PEERS_DELETE = re.compile(r"received (?:a )?Delete/Notify")


def _revival_refused_after_the_peers_delete(events: list[Event]) -> None:
    """pluto revives a connection that must stay up after the peer's Delete ("reviving connection which received
    Delete/Notify"); when the peer answers that revival's IKE_SA_INIT with NO_PROPOSAL_CHOSEN, the proposals it
    accepted until then are not what changed: the peer no longer has a connection for this side (it was removed or
    changed there, which is why it sent the Delete). The Delete is the cause; the refusal, and the retries and
    timeout after it, are what it leads to."""
    for i, ev in enumerate(events):
        if (ev.pattern not in _REVIVALS or ev.category != "ike_sa_deleted_by_peer" or ev.weight != "decisive"
                or not _PEERS_DELETE.search(ev.text)):
            continue
        refusal: Event | None = None
        after: list[Event] = []
        for nxt in events[i + 1 :]:
            if nxt.stream != ev.stream:
                continue
            if nxt.kind in ("established", "delete", "operator_down"):
                break
            if (nxt.category == "phase1_proposal_mismatch" and nxt.kind in ("notify", "no_proposal")
                    and nxt.direction != "sent" and nxt.notify == "NO_PROPOSAL_CHOSEN"):
                refusal = refusal or nxt
                after.append(nxt)
            elif nxt.category == "peer_unreachable" and nxt.kind in ("retransmit", "give_up"):
                after.append(nxt)
            elif nxt.category:
                break  # another finding: not only the revival's refusal
        if refusal is not None:
            for e in after:
                e.weight = "context"
            ev.values["revival_refused"] = refusal.line


_NO_PSK = "Can't authenticate: no preshared key found"
_NO_PSK_ECHO_EVENTS = 8


def _missing_key_refusal_echo(events: list[Event]) -> None:
    """pluto refuses each Oakley transform whose authentication method it has no key for ("Can't authenticate: no
    preshared key found for ... Attribute OAKLEY_AUTHENTICATION_METHOD", ikev1_spdb_struct.c), then says "no acceptable
    Oakley Transform" and sends NO_PROPOSAL_CHOSEN: a missing pre-shared key, not a proposal mismatch."""
    for i, ev in enumerate(events):
        if ev.category != "auth_failure" or ev.fmt != "libreswan" or _NO_PSK not in ev.text:
            continue
        serial = _serial_of(ev.text)
        for nxt in events[i + 1:i + 1 + _NO_PSK_ECHO_EVENTS]:
            if nxt.stream != ev.stream or _serial_of(nxt.text) not in (serial, None):
                break
            if nxt.category == "phase1_proposal_mismatch" and nxt.weight == "decisive":
                nxt.weight = "context"


def _mode_refusal_echo(events: list[Event]) -> None:
    """charon answers a Main or Aggressive Mode its matching connection does not allow ("found 1 matching config,
    but none allows pre-shared key authentication using Main Mode") with an AUTHENTICATION_FAILED notify: the notify
    it sends is the echo of that refusal (strongSwan's ikev1/phase1.c), not a second cause."""
    for i, ev in enumerate(events):
        if ev.kind != "ike_mode_mismatch" or ev.category not in ("ike_mode_mismatch", "auth_failure"):
            continue
        for nxt in events[i + 1:i + 4]:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction == "sent"
                    and nxt.category == "auth_failure"):
                nxt.weight = "context"
                break


_NO_CONNECTION_ECHO_EVENTS = 3


def _no_connection_refusal_echo(events: list[Event]) -> None:
    """pluto answers an IKE_SA_INIT no connection accepts for this IKE version ("no suitable connection found with
    IKEv2 policy", libreswan 3.x to 5.x) with NO_PROPOSAL_CHOSEN: no proposal was compared, the notify is the echo of
    the refusal, not a phase 1 proposal mismatch. In a paste of both peers' logs, the initiator's "received
    NO_PROPOSAL_CHOSEN" in IKE_SA_INIT is the same echo, seen from the other side."""
    refusals = [i for i, ev in enumerate(events)
                if ev.pattern == "lib-no-connection-for-ike-version" and ev.category == "ike_version_mismatch"]
    for i in refusals:
        ev = events[i]
        # (next to it on either side: a copy without time stamps may keep the lines in the wrong order)
        near = events[i + 1:i + 1 + _NO_CONNECTION_ECHO_EVENTS] + events[max(0, i - _NO_CONNECTION_ECHO_EVENTS):i][::-1]
        for nxt in near:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction != "received"
                    and nxt.notify == "NO_PROPOSAL_CHOSEN" and nxt.exchange == "IKE_SA_INIT"):
                nxt.weight = "context"
    if refusals:
        logs = {(events[i].stream, events[i].fmt) for i in refusals}
        answered: set[tuple[int, str]] = set()
        for other in events:
            log = (other.stream, other.fmt)
            if log in logs:
                continue
            if (other.kind == "notify" and other.direction == "received" and other.notify == "NO_PROPOSAL_CHOSEN"
                    and other.category == "phase1_proposal_mismatch" and other.weight == "decisive"):
                other.weight = "context"
                answered.add(log)
            elif (log in answered and other.category == "peer_unreachable" and other.exchange == "IKE_SA_INIT"
                  and other.kind in ("retransmit", "give_up")):
                # (libreswan 3.x drops the unauthenticated answer and retransmits: the peer did answer)
                other.weight = "context"


_IDR_ECHO_EVENTS = 4


def _child_refusal_without_identity(events: list[Event]) -> None:
    """Some responders (libreswan 3.x) answer an IKE_AUTH whose Child SA they refuse with the error notify alone, no
    identity and no AUTH payload ("parsed IKE_AUTH response 1 [ N(NO_PROP) ]"). charon then cannot authenticate the
    peer: it says "IDr payload missing" and sends AUTHENTICATION_FAILED (strongSwan's ike_auth.c). Both are the echo of
    the refusal the response carried, which names the cause (the ESP proposal, the traffic selectors)."""
    for i, ev in enumerate(events):
        if ev.pattern != "swan-idr-missing" or ev.category != "auth_failure":
            continue
        refusal = next((prev for prev in reversed(events[max(0, i - _IDR_ECHO_EVENTS):i])
                        if prev.stream == ev.stream and prev.direction == "received" and prev.exchange == "IKE_AUTH"
                        and prev.category and prev.category != "auth_failure"), None)
        if refusal is None:
            continue
        ev.weight = "context"
        for nxt in events[i + 1:i + 1 + _IDR_ECHO_EVENTS]:
            if (nxt.stream == ev.stream and nxt.kind == "notify" and nxt.direction == "sent"
                    and nxt.category == "auth_failure"):
                nxt.weight = "context"
                break


# FortiOS ignores a request no phase 1 accepts (the peer's address or, in Aggressive Mode, its peer ID), and then ends
# the negotiation with its generic "negotiation failure" / "no SA proposal chosen" (FortiGate-Handbook's peer-ID
# example): that line is the echo of the refusal, not a proposal mismatch.
_FGT_NO_GATEWAY = frozenset({"fgt-incorrect-id", "fgt-no-gateway"})
_FGT_NO_PROPOSAL = frozenset({"fgt-peer-sa-proposal", "fgt-child-no-proposal"})
_FGT_ECHO_EVENTS = 6


def _fortigate_no_gateway_echo(events: list[Event]) -> None:
    """FortiOS's "no SA proposal chosen" right after it ignored the request for its address or peer ID is context."""
    for i, ev in enumerate(events):
        if ev.pattern not in _FGT_NO_GATEWAY or ev.category != "auth_failure":
            continue
        for nxt in events[i + 1:i + 1 + _FGT_ECHO_EVENTS]:
            if nxt.stream == ev.stream and nxt.pattern in _FGT_NO_PROPOSAL and nxt.weight == "decisive":
                nxt.weight = "context"


# Lines for a Delete the peer sent for an IPsec SA, and the state they delete. pluto (IKEv1: always the peer's own
# request, an informational exchange has no answer): "#2: received Delete SA payload via #1" (libreswan 5: logged on
# the IPsec SA), "#1: received Delete SA payload: replace IPsec State #2 now" (3 and 4: logged on the IKE SA; 4 also
# prints "replace CHILD SA #2 now" when it revives the connection). charon
# logs "received DELETE for ESP CHILD_SA with SPI x" for the peer's request and for the answer to its own Delete alike:
# only one right after a parsed INFORMATIONAL request (the peer's) counts.
_PEER_CHILD_DELETES = frozenset({
    "lib-delete-received", "lib-delete-received-ipsec", "lib-revival-replace-child", "swan-received-delete-child",
})
_NAMES_DELETED_STATE = frozenset({"lib-delete-received", "lib-revival-replace-child"})  # "... State #N" / "CHILD SA #N"
_DELETED_STATE = re.compile(r"(?:State|SA) #(\d+)")
_DELETED_SPI = re.compile(r"with SPI ([0-9a-fA-F]{8})\b")
_CHILD_SPIS = re.compile(r"with SPIs ([0-9a-fA-F]{8})_i ([0-9a-fA-F]{8})_o")
_INFO_REQUEST = re.compile(r"\bparsed INFORMATIONAL(?:_V1)? request\b")


def _peer_request_before(events: list[Event], i: int, v1_from: dict[int, int]) -> bool:
    """Whether charon's Delete line at events[i] comes right after it parsed an INFORMATIONAL request (the peer's).
    v1_from: `_ikev1_from(events)`."""
    ev = events[i]
    for prev in reversed(events[max(0, i - 2):i]):
        if prev.stream != ev.stream:
            break
        if prev.kind == "exchange":
            return bool(_INFO_REQUEST.search(prev.text))
    # Without the [ENC] lines: this side answers the peer's Delete with its own for the same Child SA, in the same
    # thread right after it ("received DELETE ... SPI 5af06c82", "closing CHILD_SA", "sending DELETE ... SPI
    # a66dccde"); when this side deletes first, its own Delete comes before the peer's.
    if (thread := _CHARON_THREAD.search(ev.text)) is None:
        return False

    def own_delete(other: Event) -> bool:
        t = _CHARON_THREAD.search(other.text)
        return (other.stream == ev.stream and other.kind == "delete" and other.direction == "sent"
                and t is not None and t.group(1) == thread.group(1))

    if any(own_delete(prev) for prev in events[max(0, i - 3):i]):
        return False
    if v1_from.get(ev.stream, i) < i:
        # IKEv1: a Delete travels in a one-way Informational exchange, no response (RFC 2408 section 4.8): the
        # peer's own request
        return True
    return any(own_delete(nxt) for nxt in events[i + 1:i + 3])


REAUTH_SECONDS = 5.0  # a peer that deletes its IKE SA and at once sets up a new one reauthenticates
REAUTH_EVENTS = 12  # ... or, without time stamps, within this many of the log's next events (IKE_SA_INIT to IKE_AUTH and up)


def _reauthentication_deletes(events: list[Event]) -> None:
    """The peer deletes the IKE SA and, within seconds, starts a new one itself that comes up: it reauthenticates
    (charon's reauth_time, break-before-make: it deletes the old IKE SA first, then sets up a new one from
    IKE_SA_INIT or Main Mode; RFC 7296 section 2.8.3). The Delete is part of that, not the peer ending the tunnel.
    A new IKE SA that this side starts, or one that does not come up, leaves the Delete as it was read. Without time
    stamps (a console copy) the new IKE SA must follow within the next REAUTH_EVENTS events of the log."""
    for i, ev in enumerate(events):
        if not (ev.kind == "delete" and ev.direction == "received" and ev.sa != "child"
                and ev.category == "ike_sa_deleted_by_peer" and ev.weight == "decisive"):
            continue
        peer_started = False
        seen = 0
        for nxt in events[i + 1:]:
            if nxt.stream != ev.stream or nxt.pattern == "swan-ike-deleting":
                continue  # (charon's level-2 state change of the SA being deleted: the same Delete)
            seen += 1
            if ev.stamp is None and (nxt.stamp is not None or seen > REAUTH_EVENTS):
                break
            if ev.stamp is not None and (nxt.stamp is None or nxt.stamp - ev.stamp > REAUTH_SECONDS):
                break
            if nxt.weight == "decisive":
                break
            if nxt.kind == "initiate" and nxt.sa != "child":
                break  # this side sets the new IKE SA up: not the peer's reauthentication
            if (nxt.kind == "exchange" and nxt.direction == "received"
                    and (" request" in nxt.text or nxt.pattern in ("swan-peer-initiating", "swan-peer-initiating-v1"))
                    and nxt.exchange in ("IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE")):
                peer_started = True
            elif nxt.kind == "established" and nxt.sa != "child" and peer_started:
                ev.weight = "context"
                break


def _deletes_of_the_other_logs_reauthentication(events: list[Event]) -> None:
    """Both peers' logs in one paste: the Delete one log receives for an IKE SA is the one the other log sends at the
    same moment as it reauthenticates or replaces that SA (charon's reauth_time, break-before-make: "reauthenticating
    IKE_SA gw[1]", then "sending DELETE for IKE_SA gw[1]"; or a new IKE SA initiated seconds before the Delete). The
    Delete is the reauthentication's first step, not the peer ending the tunnel; what the reauthentication runs into
    (its new IKE SA unanswered, refused) is read on its own."""
    if len({ev.stream for ev in events}) < 2:
        return
    reauth_deletes = []
    for i, ev in enumerate(events):
        if ev.kind == "delete" and ev.direction == "sent" and ev.sa != "child" and ev.stamp is not None:
            before = [e for e in events[max(0, i - REAUTH_EVENTS):i] if e.stream == ev.stream]
            # ("reauthenticating IKE_SA gw[1]" just before, or a new IKE SA initiated seconds before: charon
            # replaces an IKEv1 ISAKMP SA by a new Main Mode, "initiating Main Mode IKE_SA gw[2]", then deletes gw[1])
            if any(e.kind == "initiate" and e.sa == "ike" and _rekey_word(e) == "rekey" for e in before[-3:]) or any(
                    e.kind == "initiate" and e.sa == "ike" and e.stamp is not None
                    and 0 <= ev.stamp - e.stamp <= REAUTH_SECONDS for e in before):
                reauth_deletes.append(ev)
    if not reauth_deletes:
        return
    for ev in events:
        if not (ev.kind == "delete" and ev.direction == "received" and ev.sa != "child"
                and ev.category == "ike_sa_deleted_by_peer" and ev.weight == "decisive" and ev.stamp is not None):
            continue
        if any(sent.stream != ev.stream and stamp_kind(sent.stamp) == stamp_kind(ev.stamp)
               and abs(sent.stamp - ev.stamp) <= REAUTH_SECONDS for sent in reauth_deletes):
            ev.weight = "context"


# How many times a rekey request must have been sent again, unanswered up to the end of the log, to be read as a
# rekey the peer does not answer (the waits double: the third retransmission comes seconds after the request).
STILL_UNANSWERED = 3


# What ends a run of retransmissions still unanswered: an answer, a refusal or the end of the SA.
_RUN_ENDS = frozenset({"established", "notify", "no_proposal", "ts_unacceptable", "auth_failed", "give_up", "delete",
                       "operator_down"})


def _unanswered_at_end(events: list[Event], member: Callable[[Event], bool],
                       ends: frozenset[str] = _RUN_ENDS) -> list[list[Event]]:
    """Per log (stream), the retransmissions `member` picks that nothing answered up to the end of the log: the last
    run of them after the last answer (an event of a kind in `ends`, or a message received)."""
    run: dict[int, list[Event]] = {}
    for ev in events:
        if ev.kind == "retransmit" and member(ev):
            run.setdefault(ev.stream, []).append(ev)
        elif ev.kind in ends or (ev.kind == "exchange" and ev.direction == "received"):
            run.pop(ev.stream, None)
    return list(run.values())


def _rekey_still_unanswered(events: list[Event]) -> None:
    """A rekey this side sent over an SA that was up, retransmitted again and again with no answer up to the end of
    the log (the paste ends before the daemon gives up): the peer does not answer the rekey. A weak reading, the last
    retransmission carries it; anything firmer wins. (Each retransmission on its own is context: one answered
    later was only packet loss.) A DPD answer ends the run too: the peer answers over that SA."""
    for retransmits in _unanswered_at_end(
            events, lambda ev: ev.category == "rekey_issue" and ev.weight == "context", _RUN_ENDS | {"dpd_answer"}):
        if len(retransmits) >= STILL_UNANSWERED:
            last = retransmits[-1]
            _set(last, "rekey_issue", "weak")
            last.values["still_unanswered"] = len(retransmits)


_WILL_WAIT = re.compile(r"\bwill wait (\d+(?:\.\d+)?) ?s(?:econds?)?\b")
QUICK_SILENCE_SECONDS = 16  # pluto waits 0.5 s, then twice as long each time: 16 s is its sixth retransmission


def _quick_mode_still_unanswered(events: list[Event]) -> None:
    """The first Quick Mode over an ISAKMP SA the peer set up moments ago, sent again and again with no answer up to
    the end of the log (the paste ends before the daemon gives up): read as its timeout is (see classify's give_up,
    a guess). It counts once the silence is long, the last retransmission waiting QUICK_SILENCE_SECONDS or more
    (pluto's "will wait 20s for response") or STILL_UNANSWERED + 1 retransmissions; a shorter silence is packet loss
    as much as a refusal."""
    for retransmits in _unanswered_at_end(
            events, lambda ev: bool(ev.values.get("quick_guess")) and ev.weight == "context"):
        last = retransmits[-1]
        waited = max((float(m.group(1)) for e in retransmits if (m := _WILL_WAIT.search(e.text))), default=0.0)
        if waited >= QUICK_SILENCE_SECONDS or len(retransmits) > STILL_UNANSWERED:
            last.values["guess"] = True
            last.values["still_unanswered"] = len(retransmits)
            last.direction = None  # (this side's request, sent again: no refusal either side sent)
            _set(last, last.values["quick_guess"], "weak")


def _bgp_notification_named_next(events: list[Event]) -> None:
    """A NOTIFICATION line that names no error ("sent notification", GoBGP's warning) followed by the neighbor's
    down line that names it (GoBGP's Peer Down "Reason": "notification-sent code 6(cease) subcode 3(peer
    deconfigured)") within the same few lines: both are one NOTIFICATION, and when the named one was sent or received
    on purpose (an operator's reset, shutdown, a neighbor removed from the configuration) the first is no fault of its
    own either."""
    for i, ev in enumerate(events):
        if ev.kind != "bgp_down" or ev.weight != "decisive" or bgp.read(ev.text).get("bgp_reason") != "notification":
            continue
        for nxt in events[i + 1 : i + 4]:
            if nxt.stream != ev.stream or nxt.kind != "bgp_down":
                continue
            if bgp_peer(nxt) and bgp_peer(ev) and bgp_peer(nxt) != bgp_peer(ev):
                continue
            if bgp.read(nxt.text).get("bgp_reason") in bgp.ON_PURPOSE:
                _set(ev, "bgp_down", "weak")
            break


_LOST_REKEY = "swan-rekey-job-sa-gone"


def _refusals_beside_a_lost_rekey(events: list[Event]) -> None:
    """charon: a Child SA's pending rekey found the SA gone ("CHILD_SA ESP/0x.../... not found for rekey"): its rekey
    was still being retried (charon retries a refused rekey after some seconds) when the SA reached its hard lifetime
    and was deleted. A CREATE_CHILD_SA of the same log refused with NO_PROPOSAL_CHOSEN is then the Child SA set up
    again after it expired, refused like its rekeys: the first Child SA came up in IKE_AUTH, which carries no KE
    payload, a CREATE_CHILD_SA carries the PFS group (RFC 7296 sections 1.2, 1.3.1), so what is refused applies to
    rekeys - also when the paste starts after the rekey's own refusal and the SA's expiry. On its own the line is
    context (a pending rekey can also find an SA the peer deleted)."""
    lost: dict[int, Event] = {}
    for ev in events:
        if ev.pattern == _LOST_REKEY:
            _set(ev, "rekey_issue", "context")
            lost.setdefault(ev.stream, ev)
    if not lost:
        return
    refusals = [ev for ev in events if ev.stream in lost and ev.fmt == "strongswan" and ev.weight == "decisive"
                and ev.category == "phase2_proposal_mismatch" and ev.notify == "NO_PROPOSAL_CHOSEN"]
    for stream, first in lost.items():
        mine = [ev for ev in refusals if ev.stream == stream]
        if not any(ev.exchange == "CREATE_CHILD_SA" for ev in mine):
            continue
        if any(ev.stream == stream and ev.category == "rekey_issue" and ev.weight == "decisive" for ev in events):
            continue  # a rekey reading of its own (the rekey's refusal) is in the paste: the refusals stay as they are
        # (an IKE SA negotiated before the refusal: the Child SA is that IKE SA's first own one, not the expired one's
        # replacement; the rekey pending for the old IKE SA's Child SA says nothing of it)
        start = min(ev.order for ev in mine)
        if any(ev.stream == stream and ev.order < start and ev.exchange in ("IKE_SA_INIT", "IKE_AUTH") for ev in events):
            continue
        for ev in mine:
            _set(ev, "rekey_issue")
            ev.values["rekey_lost_line"] = first.line


def _child_deletes_not_replaced(events: list[Event]) -> None:
    """A Delete for an IPsec SA from the peer is routine after a rekey (the old SA goes once the new one is up),
    so it is context. When no newer IPsec SA of the connection is up before it and none comes up after it, the peer
    took the tunnel's traffic down: the peer ended the SA (a guess, the weakest reading; anything firmer wins)."""
    deletes = [i for i, ev in enumerate(events)
               if ev.pattern in _PEER_CHILD_DELETES and ev.sa == "child" and ev.category == "rekey_issue"]
    if not deletes:
        return
    # (order, connection, pluto serial, charon SPIs) of every IPsec SA established
    ups = [(up.order, conn_of(up), _serial_of(up.text), set(m.groups()) if (m := _CHILD_SPIS.search(up.text)) else None)
           for up in events if up.kind == "established" and up.sa == "child"]
    ended = [(e.order, e.stream) for e in events if e.kind == "session_end"]
    v1_from = _ikev1_from(events)
    for i in deletes:
        ev = events[i]
        conn = conn_of(ev)
        if ev.values.get("rekey_unanswered"):
            # The peer ends the Child SA while this side's rekey of it is still unanswered: the peer never answered
            # the exchange that was to replace it (IKEv1 negotiates the lifetime, so the peer's copy expires with
            # ours), as for an IKE SA (classify): the rekey failed, and the Delete is how the traffic stopped.
            ev.weight = "decisive"
            continue
        if any(order < ev.order and stream == ev.stream for order, stream in ended):
            continue  # the L2TP/PPP session inside ended first: the client disconnected on purpose (see classify)
        if ev.fmt == "strongswan":
            if not _peer_request_before(events, i, v1_from) or not (m := _DELETED_SPI.search(ev.text)):
                continue
            spi = m.group(1).lower()
            # replaced: an SA of the connection up after the Delete, or one up before it that holds other SPIs
            replaced = any(order > ev.order or spis is None or spi not in {s.lower() for s in spis}
                           for order, up_conn, _, spis in ups if not conn or up_conn == conn)
        else:
            m = _DELETED_STATE.search(ev.text) if ev.pattern in _NAMES_DELETED_STATE else None
            deleted = int(m.group(1)) if m else _serial_of(ev.text)
            replaced = any(order > ev.order or deleted is None or (serial is not None and serial > deleted)
                           for order, up_conn, serial, _ in ups if not conn or up_conn == conn)
        if not replaced:
            ev.category, ev.weight = "ike_sa_deleted_by_peer", "weak"
            ev.values["guess"] = True


# pluto's "Oakley Transform [...] refused" / "ESP IPsec Transform [...] refused" (what follows it on the line, such as
# an arrow an article adds to mark the line, does not matter)
_TRANSFORM_REFUSED = re.compile(r"Transform \[[^\]\n]+\] refused\b")


def _transforms_all_refused(events: list[Event]) -> None:
    """pluto lists each phase 1 transform of the peer's offer it refuses ("Oakley Transform [AES_CBC (256),
    HMAC_SHA1, MODP1024] refused"), racoon and RouterOS each attribute that differs ("rejected hashtype:
    DB(prop#1:trns#1):Peer(prop#1:trns#1) = MD5:SHA"); when one is acceptable it goes on (MR1). A refusal (two for
    Quick Mode's transforms) and nothing further from that state (a paste that ends there) read as the offer
    refused, as the daemon's final "no acceptable Oakley Transform" would say: a weak reading, dropped when anything
    firmer is seen or an SA comes up. "Nothing further" is looked up, not searched for in every later line: a log of
    many such states stays linear."""
    refused: dict[tuple[int, int], list[Event]] = {}
    for ev in events:
        if ev.kind == "proposals" and ev.fmt == "libreswan" and _TRANSFORM_REFUSED.search(ev.text) and (
            serial := _serial_of(ev.text)
        ) is not None:
            refused.setdefault((ev.stream, serial), []).append(ev)
        elif ev.pattern == "rac-phase1-rejected":
            # racoon and RouterOS name no state: a stream's rejections count as one negotiation's
            refused.setdefault((ev.stream, -1), []).append(ev)
    # One refusal is enough for phase 1 (the paste ends on the transform the peer offered); the Quick Mode
    # transforms of one proposal are refused one by one as a matter of course, so those need two.
    groups = [(key, evs) for key, evs in refused.items()
              if len(evs) >= 2 or "Oakley" in evs[-1].text or evs[-1].pattern == "rac-phase1-rejected"]
    if not groups:
        return
    # The state's first line may come later in a reversed paste: "responding to Main Mode" lines never count.
    counted = [e for e in events if not _RESPONDING.search(e.text)]
    refusal = {id(e) for evs in refused.values() for e in evs}
    state_line: dict[tuple[int, int], int] = {}  # the latest other line of each state
    for e in counted:
        serial = _serial_of(e.text)
        if serial is not None and id(e) not in refusal:
            state_line[(e.stream, serial)] = max(state_line.get((e.stream, serial), -1), e.order)
    firmer: dict[int, list[int]] = {}  # per stream, in order: SAs up and lines with a reading
    for e in counted:
        if e.kind == "established" or e.category:
            firmer.setdefault(e.stream, []).append(e.order)
    for (stream, serial), evs in groups:
        first = evs[0].order
        if state_line.get((stream, serial), -1) > first:
            continue
        orders = firmer.get(stream, [])
        own = sum(1 for e in evs if e.order > first and (e.kind == "established" or e.category))
        if len(orders) - bisect.bisect_right(orders, first) > own:
            continue
        last = evs[-1]
        if not last.category:
            bisect.insort(orders, last.order)
            firmer[stream] = orders
        phase1 = "Oakley" in last.text or "OAKLEY" in last.text or last.pattern == "rac-phase1-rejected"
        _set(last, "phase1_proposal_mismatch" if phase1 else "phase2_proposal_mismatch", "weak")
        last.direction = "sent"  # this side refuses the offer it received
        last.values.setdefault("transforms_refused", len(evs))


_UP_DESTROYED = re.compile(r"IKE_SA \S+ state change: ESTABLISHED => DESTROYING")


def _gave_up_while_established(events: list[Event]) -> None:
    """charon's "giving up after N retransmits" followed by the IKE SA going from ESTABLISHED straight to
    DESTROYING: the request that went unanswered was sent on an established IKE SA (a liveness check, or another
    request on it), so the peer stopped answering an SA that worked: a DPD timeout, also in a paste that starts
    after the SA was set up."""
    for i, ev in enumerate(events):
        if ev.kind != "give_up" or ev.category != "peer_unreachable" or ev.fmt != "strongswan":
            continue
        for nxt in events[i + 1 : i + 3]:
            if nxt.stream == ev.stream and _UP_DESTROYED.search(nxt.text):
                _set(ev, "dpd_timeout")
                break


# Responder: pluto answered the peer's first message, IKEv1 Main or Aggressive Mode (MR1 / AR1) or IKEv2 IKE_SA_INIT
# (libreswan 3.x "STATE_PARENT_R1: received v2I1, sent v2R1", 4.x "sent IKE_SA_INIT reply", 5.x "... response").
_FIRST_REPLY = re.compile(r"\bSTATE_(?:MAIN|AGGR)_R1\b|\bsent (?:MR1|AR1)\b|\bsent (?:Main|Aggressive) Mode R1\b"
                          r"|\bSTATE_PARENT_R1: received v2I1, sent v2R1\b|\bsent IKE_SA_INIT (?:reply|response)\b")
_FIRST_REPLY_V2 = re.compile(r"\bv2R1\b|\bIKE_SA_INIT\b")
# This many new attempts from one peer, each left after this side's first reply, are a pattern, not a hiccup. An IKEv2
# initiator starts a new IKE_SA_INIT only after its whole retransmission schedule for IKE_AUTH ran out (RFC 7296
# section 2.1), so two such starts already are.
FIRST_REPLY_RESTARTS = 3
FIRST_REPLY_RESTARTS_V2 = 2


def _first_reply_v2(ev: Event) -> bool:
    """Whether a first reply of `_FIRST_REPLY` answers IKEv2's IKE_SA_INIT (not IKEv1's Main or Aggressive Mode)."""
    return _FIRST_REPLY_V2.search(ev.text) is not None


def _first_replies_unanswered(events: list[Event]) -> None:
    """The peer starts Main (or Aggressive) Mode again and again, a new pluto state each time; this side answers
    each with its first reply and the peer's next message never comes. The first reply carries no keys yet (RFC
    2409 section 5): it means this side accepted the peer's proposal, so no configuration mismatch is in play;
    the replies do not reach the peer, or its next messages do not reach this side (a firewall, NAT or provider
    filter that passes one direction only). Read per peer (a public server also gets single probes from many
    addresses), and only when nothing else about that peer names a cause or an SA."""
    firsts: dict[tuple[int, str, str], list[Event]] = {}
    deleted = []
    for i, ev in enumerate(events):
        if ev.fmt != "libreswan":
            continue
        if _FIRST_REPLY.search(ev.text) and _serial_of(ev.text) is not None:
            firsts.setdefault((ev.stream, *_conn_peer(ev)), []).append(ev)
        if _R1_DELETED.search(ev.text):
            deleted.append(i)
    restarts = [(key, replies) for key, replies in firsts.items()
                if len({_serial_of(ev.text) for ev in replies}) >= (
                    FIRST_REPLY_RESTARTS_V2 if _first_reply_v2(replies[-1]) else FIRST_REPLY_RESTARTS)]
    if not restarts and not deleted:
        return
    about = [(e, (e.stream, *_conn_peer(e))) for e in events]
    # A cause is named, or the negotiation got further than the first reply at least once.
    further = _LatestAbout(about, lambda e: bool(
        e.category or e.kind != "exchange" or not (_FIRST_REPLY.search(e.text) or _RESPONDING.search(e.text))))
    for key, replies in restarts:
        if further.since(key, replies[0].order):
            continue
        last = replies[-1]
        last.values["first_replies_unanswered"] = len({_serial_of(ev.text) for ev in replies})
        last.values["_first_reply_orders"] = tuple(ev.order for ev in replies[:-1])  # shown with the finding
        if _first_reply_v2(last):
            last.ike = last.ike or 2
        if key[2]:
            last.values.setdefault("peer", key[2])
        _set(last, "peer_unreachable")
        further.add(last, key)
    # The same with one attempt: pluto waited its whole timeout after the first reply ("deleting incomplete state
    # after 60 seconds" next to the deletion of a state still in MAIN_R1 / AGGR_R1).
    settled = _LatestAbout(about, lambda e: bool(e.category or e.kind == "established"))
    for i in deleted:
        ev = events[i]
        if ev.category:
            continue
        near = [e for e in events[max(0, i - 1) : i + 2] if e is not ev and e.stream == ev.stream]
        timeout = next((m for e in near if (m := _INCOMPLETE.search(e.text))), None)
        if timeout is None:
            continue
        key = (ev.stream, *_conn_peer(ev))
        if settled.since(key, 0):
            continue  # another cause, or the peer got an SA up after all
        ev.values["first_reply_timeout"] = timeout.group(1)
        if key[2]:
            ev.values.setdefault("peer", key[2])
        _set(ev, "peer_unreachable")
        settled.add(ev, key)


def _conn_peer(ev: Event) -> tuple[str, str]:
    """pluto's connection name and, for an instance (`"conn"[2] 198.51.100.7 #21:`), the peer's address."""
    m = _INSTANCE_PEER.search(ev.text)
    return conn_of(ev), (m.group(1) if m else "")


class _LatestAbout:
    """The latest order of the events a test picks, per connection and peer of a stream, kept up to date as readings
    are added: "is there such an event about this peer from `since` on" is a lookup, not a pass over every event.
    A line that names no peer counts for every peer of its connection, and a peer of none asks about them all."""

    def __init__(self, about: list[tuple[Event, tuple[int, str, str]]], test: Any) -> None:
        self.exact: dict[tuple[int, str, str], int] = {}
        self.no_peer: dict[tuple[int, str], int] = {}
        self.any: dict[tuple[int, str], int] = {}
        for ev, key in about:
            if test(ev):
                self.add(ev, key)

    def add(self, ev: Event, key: tuple[int, str, str]) -> None:
        stream, conn, peer = key
        table, where = (self.exact, key) if peer else (self.no_peer, (stream, conn))
        table[where] = max(table.get(where, -1), ev.order)  # type: ignore[index]
        self.any[(stream, conn)] = max(self.any.get((stream, conn), -1), ev.order)

    def since(self, key: tuple[int, str, str], order: int) -> bool:
        stream, conn, peer = key
        if not peer:
            return self.any.get((stream, conn), -1) >= order
        return max(self.exact.get(key, -1), self.no_peer.get((stream, conn), -1)) >= order


# pluto's instance prefix names the peer: `"l2tp-psk"[2] 198.51.100.7 #21:`.
_INSTANCE_PEER = re.compile(r'"[^"]+"\[\d+\] ([0-9a-fA-F.:]{3,}) #\d+:')
_R1_DELETED = re.compile(r"deleting (?:state|ISAKMP SA) \((?:STATE_)?(?:MAIN|AGGR)_R1\)")
_INCOMPLETE = re.compile(r"deleting incomplete state after ([\d.]+) seconds")
_RESPONDING = re.compile(r"\bresponding to (?:Main|Aggressive) Mode\b|\bprocessing IKE_SA_INIT request\b")


_PER_TRANSFORM = re.compile(r"no acceptable [A-Z_]+ found")


def _transform_refusals_settled(events: list[Event]) -> None:
    """charon compares the peer's proposals one by one and says for each that fails which transform type had no
    match ("  no acceptable ENCRYPTION_ALGORITHM found", proposal.c); when a later proposal matches ("proposal
    matches", "selected proposal: ...") those refusals were steps of a selection that succeeded: context."""
    pending: dict[int, list[Event]] = {}
    for ev in events:
        if ev.kind == "no_proposal" and ev.pattern == "swan-no-proposal" and _PER_TRANSFORM.search(ev.text):
            pending.setdefault(ev.stream, []).append(ev)
        elif ev.pattern == "swan-proposal-selected":
            for refusal in pending.pop(ev.stream, ()):
                refusal.weight = "context"
        elif ev.kind == "no_proposal":
            pending.pop(ev.stream, None)  # the selection ended in a refusal: the steps stand


_REAUTH_GAVE_UP_EVENTS = 6  # retransmits, "giving up", "establishing IKE_SA failed", then "reauthentication failed"


def _rekey_gave_up(events: list[Event]) -> None:
    """charon logs "giving up after N retransmits" and only then which task gave up ("rekeying IKE_SA failed, peer
    not responding"; for a reauthentication, the new IKE SA's "establishing IKE_SA failed, peer not responding" and then
    "reauthentication failed, trying to reestablish IKE_SA"): the timeout before it is that rekey's, not a liveness
    check's or a first contact's."""
    for i, ev in enumerate(events):
        reauth = ev.pattern == "swan-reauth-failed" and ev.category == "rekey_issue"
        if not reauth and (ev.kind != "give_up" or ev.category != "rekey_issue" or _rekey_word(ev) != "rekey"):
            continue
        # (the other peer's lines merged in by time, a central syslog, are skipped: the walk counts this log's own)
        own = (prev for prev in reversed(events[:i]) if prev.stream == ev.stream)
        for _, prev in zip(range(_REAUTH_GAVE_UP_EVENTS if reauth else 3), own, strict=False):
            if prev.kind not in ("give_up", "retransmit"):
                break
            if prev.category in ("dpd_timeout", "peer_unreachable"):
                prev.category, prev.weight = "rekey_issue", "context"


# ---- IKE major version: an answer in the other version ------------------------------------------

IKEV2_EXCHANGES = {"IKE_SA_INIT", "IKE_AUTH", "CREATE_CHILD_SA", "INFORMATIONAL"}
_FIRST_EXCHANGES = {"IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE"}
# The connection a line belongs to: pluto's `"name"` (before its instance number), charon's `<name|N>` / `name[N]`.
_CONN = re.compile(r'"([^"]+)"|<([\w.-]+)\|\d+>|(?<![\w"-])([A-Za-z][\w.-]*)\[\d+\](?!:)')


def version_of(ev: Event) -> int | None:
    """The IKE major version of the message a line is about: what the pattern says, else its exchange."""
    if ev.ike:
        return ev.ike
    if ev.exchange in IKEV1_EXCHANGES:
        return 1
    if ev.exchange in IKEV2_EXCHANGES:
        return 2
    return None


def conn_of(ev: Event) -> str:
    """The connection a line names (pluto's "conn", charon's <conn|N> or conn[N]), "" when none; pluto's instance
    suffix ("/1x0") is dropped."""
    m = _CONN.search(ev.text)
    if not m:
        return ""
    name = m.group(1) or m.group(2) or m.group(3) or ""
    return "" if name in _CHARON_GROUPS else name.split("/")[0]


_FIRST_I1 = re.compile(r"\b(?:STATE_)?(?:MAIN|AGGR|PARENT)_I1\b|\bsent v2I1\b")


def _first_request(ev: Event) -> int | None:
    """The IKE version of a first-exchange request this side starts (IKE_SA_INIT, Main or Aggressive Mode)."""
    if ev.kind == "initiate" and ev.sa != "child" and ev.exchange not in CHILD_EXCHANGES:
        return version_of(ev) or (1 if ev.exchange in ("MAIN_MODE", "AGGRESSIVE_MODE") else None)
    if ev.kind == "exchange" and ev.direction == "sent" and ev.exchange in _FIRST_EXCHANGES and (
        " request" in ev.text or _FIRST_I1.search(ev.text)
    ):
        return version_of(ev)
    return None


_V1_UP = re.compile(r"\bSTATE_(?:MAIN|AGGR)_[IR]\d\b|\bISAKMP SA\b|\bMain Mode IKE_SA\b")
_V2_UP = re.compile(r"\bSTATE_PARENT_[IR]\d\b|\bPARENT SA\b|\b(?:initiator|responder) established IKE SA\b")


def _established_version(ev: Event) -> int | None:
    """The IKE version of an IKE SA an established line names (pluto's IKEv1 STATE_MAIN_I4 / "ISAKMP SA" against
    IKEv2's PARENT SA / "IKE SA"), when it says."""
    if (version := version_of(ev)) is not None:
        return version
    return 1 if _V1_UP.search(ev.text) else 2 if _V2_UP.search(ev.text) else None


def _version_answers(events: list[Event]) -> None:
    """Two readings that only the order of one stream's events gives, both meaning that the peer speaks the other
    IKE major version (RFC 7296 section 2.5; RFC 2408 section 3.1):
    - a first-exchange request of one version answered with a message of the other (an IKEv1 notify such as
      NO_PROPOSAL_CHOSEN in answer to IKE_SA_INIT: an IKEv1-only peer; an IKEv2 INFORMATIONAL to Main Mode);
    - a first exchange of one version refused by the peer, then the same connection falls back to the other
      version (libreswan 3.x ikev2=permit: "next attempt will be IKEv1") and the peer answers that one: the
      refusal was the peer not accepting the first version, not its proposals.
    Silence is neither: a peer that drops the other version says nothing, which is also what an unreachable peer
    does."""
    pending: dict[int, tuple[int, str]] = {}  # stream -> (version of this side's first request, its connection)
    failed: dict[int, tuple[int, str, list[Event]]] = {}  # stream -> (version refused or ignored, connection, events)
    fallbacks: list[tuple[Event, int, str]] = []  # (the answer in the other version, the version that failed, conn)
    up: list[tuple[int, int, int]] = []  # (stream, order, version) of the IKE SAs established
    for ev in events:
        if (version := _first_request(ev)) is not None:
            pending[ev.stream] = (version, conn_of(ev))
            continue
        mine = pending.get(ev.stream)
        if mine is None:
            continue  # nothing asked yet
        conn = conn_of(ev)
        if conn and mine[1] and conn != mine[1]:
            continue  # another connection of the same daemon
        if ev.kind == "established" and ev.sa != "child":
            pending.pop(ev.stream, None)
            mine = (_established_version(ev) or mine[0], mine[1])
            up.append((ev.stream, ev.order, mine[0]))
        answered = ev.direction == "received" and ev.kind in ("exchange", "notify", "no_proposal", "proposals")
        explicit = version_of(ev)
        if explicit is not None and explicit != mine[0]:
            # Only an error notify answers a first exchange in the other version: a whole exchange, a liveness
            # check or a message protected by an SA (IKEv1 HASH) belongs to another negotiation of the daemon.
            if answered and ev.kind in ("notify", "no_proposal") and ev.notify not in ("R_U_THERE", "R_U_THERE_ACK") and (
                "HASH" not in str(ev.values.get("notify") or "") and "[ HASH" not in ev.text
            ):
                ev.category, ev.weight = "ike_version_mismatch", "decisive"
                ev.values["ike_sent"] = f"IKEv{mine[0]}"
                ev.values["ike_answered"] = f"IKEv{explicit}"
            continue
        if ev.weight == "decisive" and ev.category in ("phase1_proposal_mismatch", "ike_version_mismatch", "peer_unreachable") and (
            ev.kind in ("notify", "no_proposal", "retransmit", "give_up")
        ):
            # The first exchange refused by the peer, or left without an answer.
            same = ev.stream in failed and failed[ev.stream][0] == mine[0] and failed[ev.stream][1] == mine[1]
            failed[ev.stream] = (mine[0], mine[1], (failed[ev.stream][2] if same else []) + [ev])
            continue
        earlier = failed.get(ev.stream)
        if earlier is not None and earlier[0] != mine[0] and (answered or ev.kind == "established") and (
            not (earlier[1] and mine[1]) or earlier[1] == mine[1]
        ):
            fallbacks.append((ev, earlier[0], earlier[1]))
            del failed[ev.stream]
    for ev, version, conn in fallbacks:
        if any(stream == ev.stream and order > ev.order and v == version for stream, order, v in up):
            continue  # the first version came up later after all: the peer speaks it
        failures = [e for e in events if e.stream == ev.stream and e.order < ev.order and e.weight == "decisive"
                    and e.category in ("phase1_proposal_mismatch", "ike_version_mismatch", "peer_unreachable")
                    and conn_of(e) in ("", conn)]
        for e in failures:
            e.category, e.weight = "ike_version_mismatch", "context"
        # The peer refused or ignored the first version and answers the other one: it speaks only the other one
        # (it is reachable, and its proposals were never compared).
        ev.category, ev.weight = "ike_version_mismatch", "decisive"
        ev.values["ike_refused"] = f"IKEv{version}"
        ev.values["ike_answered"] = f"IKEv{3 - version}"


# Each starts where a run of its characters starts (the lookbehind): a search would otherwise try every position
# of a long run, each time to its end (a 3,000-character token in a proposal took half a second a line).
_MASKED = re.compile(r"(?<!\d)(\d+\.\d+\.\d+\.\d+)/(\d+\.\d+\.\d+\.\d+)")
_CIDR = re.compile(r"(?<![0-9a-fA-F:.])[0-9a-fA-F]*[:.][0-9a-fA-F:.]+/\d{1,3}(?![\d.])|(?<!\d)\d+\.\d+\.\d+\.\d+")


# A side's label glued to its network ("local:192.168.81.0/24 remote:192.168.82.0/28", WatchGuard): not part of an
# IPv6 address.
_SIDE_LABEL = re.compile(r"\b(local|remote|src|dst):(?=\d)")


def cidrs_in(text: str) -> list[str]:
    """CIDR strings in a selector text; "10.1.0.0/255.255.0.0" (Cisco) becomes "10.1.0.0/16"."""

    def prefix(m: re.Match[str]) -> str:
        bits = "".join(f"{int(o):08b}" for o in m.group(2).split(".") if o.isdigit() and int(o) < 256)
        return f"{m.group(1)}/{bits.count('1')}" if len(bits) == 32 else m.group(0)

    text = _MASKED.sub(prefix, _SIDE_LABEL.sub(r"\1 ", text))
    return list(dict.fromkeys(_CIDR.findall(text)))


# A request the peer starts (charon "parsed INFORMATIONAL request 5", pluto "responding to Main Mode"): not an answer.
_PEER_REQUEST = re.compile(r"\bparsed \S+ request\b|\bresponding to (?:Main|Aggressive|Quick) Mode\b")


def _is_answer(ev: Event) -> bool:
    """The peer answered: a message received from it, an SA established, a DPD answer."""
    return ev.kind in ("established", "dpd_answer") or (
        ev.kind in ("exchange", "notify", "proposals") and ev.direction == "received"
    )


# What each fact key of `facts_of` (and of a BGP line's reading) means, for a reader of the page or the report:
# the keys themselves stay the `--json` contract.
FACT_LABELS: dict[str, Msg] = {
    "peer": M("Peer address"),
    "conn": M("Connection name"),
    "id_sent": M("ID the peer sent"),
    "id_expected": M("ID expected"),
    "id_local": M("This side's own ID or certificate"),
    "local_asn": M("Local AS number"),
    "remote_asn": M("Remote AS number"),
    "expected_asn": M("AS number expected"),
    "peer_open_asn": M("AS number in the neighbor's OPEN"),
    "configured_peer_asn": M("AS number configured for the neighbor"),
    "own_open_asn": M("AS number this side's OPEN carried (echoed by the neighbor's refusal)"),
    "peer_alive_after_dpd": M("Peer reachable after the DPD timeout"),
    "mismatch": M("Attributes of the offer that did not match a policy here"),
    "ts_offered": M("Traffic selectors offered"),
    "ts_expected": M("This side's own traffic selectors"),
    "proposals_received": M("Proposals received"),
    "proposals_configured": M("Proposals configured here"),
    "proposals_lines": M("Proposals read from lines"),
    "algorithms": M("Algorithms named"),
    "host_to_host": M("Between the two gateways only (no subnets)"),
    "invalid_key_length": M("Key length the algorithm does not have"),
    "transforms": M("Transforms asked for (AH, IPComp)"),
    "ike_sent": M("IKE version sent"),
    "ike_answered": M("IKE version the peer answers"),
    "ike_refused": M("IKE version refused"),
    "ike_requested": M("IKE version the peer asked for"),
    "conn_versions": M("IKE versions of this side's connections"),
    "peer_conn_version": M("IKE version of the peer's connection (its log pasted too)"),
    "packet_bytes": M("Size of the unanswered IKE message (bytes)"),
    "mode_asked": M("IPsec mode asked for"),
    "mode_granted": M("IPsec mode granted"),
    "modes": M("IPsec mode of the same SA on each side"),
    "first_replies_unanswered": M("First replies never followed up"),
    "first_reply_timeout": M("Seconds waited after the first reply"),
    "transforms_refused": M("Phase 1 transforms refused"),
    "bgp_reason": M("Why the BGP session went down"),
    "bgp_reason_up": M("Why routes are not exchanged"),
    "peer_name": M("Peer (its name in the configuration)"),  # (the label of a peer named, not addressed)  # (the label of a bgp_reason where the session stays up)
    "bgp_error": M("BGP error"),
    "md5_set_error": M("Why the BGP password (TCP MD5) could not be set"),
    "bgp_notification": M("BGP NOTIFICATION code/subcode"),
    "bgp_state": M("BGP state"),
    "bgp_collisions": M("Connection collisions of a neighbor never up"),
    "notify": M("Notify message"),
    "exchange": M("Exchange"),
    "direction": M("Direction (sent or received)"),
    "sa": M("SA (IKE or Child)"),
}


# A peer fact that is an address (IPv4, IPv6, or one masked with x or *), not a name.
_ADDRESS_LIKE = re.compile(r"(?=[^.:]*[.:])[0-9a-fA-FxX*.:]+(?:%\w+)?")
_FACT_WORDS: dict[object, Msg] = {True: M("yes"), False: M("no"), "sent": M("sent"), "received": M("received")}


def fact_rows(facts: dict[str, Any], lang: str | None = None) -> list[tuple[str, str]]:
    """The facts as (what it is, its value) in words, in `lang` (default: the current language), for the page, the
    text output and the report alike: a key without a label (FACT_LABELS) is shown as it is in `--json`. The values
    are the log's own, unmasked: the caller masks and escapes them for where they go."""
    rows = []
    for key, value in facts.items():
        if key == "bgp_reason" and value in bgp.NO_ROUTES:
            label = FACT_LABELS["bgp_reason_up"]
        elif key == "peer" and isinstance(value, str) and not _ADDRESS_LIKE.fullmatch(value):
            label = FACT_LABELS["peer_name"]  # BIRD and others name a neighbor by its protocol name ("BGP1")
        else:
            label = FACT_LABELS.get(key)
        if isinstance(value, bool) or value in ("sent", "received"):
            text = _FACT_WORDS[value].render(lang)
        elif value in ("ike", "child") and key == "sa":
            text = "IKE" if value == "ike" else "Child"
        elif key == "exchange" and isinstance(value, str):
            text = render(exchange_words(value), lang)
        elif key == "bgp_reason" and value in bgp.REASON_WORDS:
            text = bgp.REASON_WORDS[value].render(lang)
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append((label.render(lang) if label is not None else key, text))
    return rows


def name_value(value: object) -> str:
    """An address, an identity or a name as a line captured it, without the quotes and brackets around it."""
    return str(value).strip("'\"[] ")


def facts_of(ev: Event) -> dict[str, Any]:
    """The facts one event carries, under the keys the triage fixes use."""
    out: dict[str, Any] = {}
    v = ev.values
    for key in ("peer", "id_sent", "id_expected", "id_local", "conn"):
        if v.get(key):
            out[key] = name_value(v[key])
    for key in ("local_asn", "remote_asn", "expected_asn", "peer_open_asn", "configured_peer_asn"):
        if v.get(key):
            digits = re.sub(r"\D", "", str(v[key]))
            if digits:
                out[key] = int(digits)
    for key in ("ts_offered", "ts_expected"):
        if v.get(key):
            cidrs = cidrs_in(str(v[key]))
            if cidrs:
                out[key] = cidrs
    algos: list[str] = []
    for key, fact in (("received", "proposals_received"), ("configured", "proposals_configured")):
        if v.get(key):
            out[fact] = proposal_list(str(v[key]))
            algos += algorithms_in(str(v[key]))
    if v.get("algorithms"):
        algos += algorithms_in(str(v["algorithms"]))
    if v.get("bgp_collisions"):  # connection collisions of one BGP neighbor that never came up
        out["bgp_collisions"] = int(v["bgp_collisions"])
    if v.get("host_to_host"):  # the Child SA's selectors are the two gateways: transport mode is possible
        out["host_to_host"] = True
    if v.get("invalid_key_length"):  # an offered algorithm with a key length it does not have
        out["invalid_key_length"] = str(v["invalid_key_length"])
    if v.get("transforms"):  # AH or IPComp asked for in the offer
        out["transforms"] = str(v["transforms"])
    for key in ("ike_sent", "ike_answered", "ike_refused", "ike_requested", "conn_versions"):
        if v.get(key):
            out[key] = str(v[key])
    if v.get("packet_bytes"):  # the unanswered message needed IP fragments
        out["packet_bytes"] = int(v["packet_bytes"])
    if v.get("mismatch"):  # a list, so that every policy's differing attribute is kept when lines are merged
        out["mismatch"] = [str(v["mismatch"])]
    for key in ("mode_asked", "mode_granted", "modes"):
        if v.get(key):
            out[key] = str(v[key])
    for key in ("first_replies_unanswered", "first_reply_timeout", "transforms_refused"):
        if v.get(key):  # how many starts went unanswered / seconds waited / transforms refused
            out[key] = v[key]
    if algos:
        out["algorithms"] = list(dict.fromkeys(algos))
    if ev.kind == "bgp_down":
        for key, value in bgp.read(ev.text).items():
            out.setdefault(key, value)
    if ev.notify and ev.notify not in ("R_U_THERE", "R_U_THERE_ACK"):
        out["notify"] = ev.notify
    if ev.exchange:
        out["exchange"] = ev.exchange
    if ev.direction:
        out["direction"] = ev.direction
    if ev.sa:
        out["sa"] = ev.sa
    return out
