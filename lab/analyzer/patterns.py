"""Log patterns (the vendor layer): loaded once from `lab/data/patterns/*.yaml`, validated, compiled once.

A pattern turns one vendor's line into a protocol **event** (see `lab.analyzer.protocol`): its `event`
kind (notify, retransmit, give_up, dpd_probe, delete, established, bgp_down, ...) and, fixed in the
file or captured by named groups of the regex, the exchange, notify type, direction (sent/received),
SA kind (ike/child) and values (peer address, proposals, ASNs, selectors, identities). Which root
cause an event points at is decided by the protocol layer from the event and what came before it,
not by the pattern. Each pattern has a literal `keyword` (or a list) that every matching line contains (lower-case
keywords in any case, others exactly): all
keywords go into one multi-pattern prefilter (`lab.analyzer.prefilter`), and only lines with a
keyword meet a regex. Every pattern carries `match` / `no_match` sample lines and a public `source`.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lab import DATA_DIR
from lab.analyzer.prefilter import keyword_in
from lab.errors import DataError
from lab.i18n import M, Msg
from lab.schema import load_yaml_model

PATTERNS_DIR = DATA_DIR / "patterns"
FORMATS = (
    "aws-json",
    "aws-text",
    "strongswan",
    "libreswan",
    "racoon",
    "cisco-asa",
    "cisco-ios",
    "fortigate",
    "paloalto",
    "juniper",
    "mikrotik",
    "azure",
    "checkpoint",
    "sonicwall",
    "f5",
    "huawei",
    "watchguard",
    "bgp-generic",
)
# What each format is, for `vpn-lab logs --help`, in the reader's language (a `Msg`: its English text where a
# plain string is wanted).
FORMAT_NAMES: dict[str, Msg] = {
    "aws-json": M("AWS Site-to-Site VPN tunnel and BGP logs (CloudWatch JSON)"),
    "aws-text": M("AWS Site-to-Site VPN tunnel and BGP logs (text)"),
    "strongswan": M("strongSwan charon (also pfSense, OPNsense, VyOS, Android I/charon, ipsec.log)"),
    "libreswan": M("Libreswan / Openswan pluto (IKEv1 Main/Quick Mode and IKEv2)"),
    "racoon": M("ipsec-tools racoon (IKEv1; pfSense before 2.2, older Linux/BSD gateways)"),
    "cisco-asa": M("Cisco ASA / FTD syslog (%ASA-n-NNNNNN) and debug crypto"),
    "cisco-ios": M("Cisco IOS / IOS-XE (%CRYPTO, %IKEV2, %BGP, debug crypto isakmp/ikev2)"),
    "fortigate": M("FortiGate event log (logid=...) and diagnose debug application ike"),
    "paloalto": M("Palo Alto PAN-OS system log and ikemgr.log"),
    "juniper": M("Juniper SRX / JunOS kmd (KMD_*) and rpd BGP messages"),
    "mikrotik": M("MikroTik RouterOS ipsec and bgp log topics"),
    "azure": M("Azure VPN gateway IKE diagnostic log (IKELogs), and a Windows Server's own IKE (RRAS events, IKEEXT trace)"),
    "checkpoint": M("Check Point vpnd / ike.elg and SmartLog VPN messages"),
    "sonicwall": M("SonicWall SonicOS VPN log messages"),
    "f5": M("F5 BIG-IP IPsec: IKEv2 lines of tmm's ipsec.log (its IKEv1 racoon.log: see racoon)"),
    "huawei": M("Huawei VRP / USG (AR routers, USG firewalls): IPsec negotiation failures and tunnel teardowns with their reason"),
    "watchguard": M("WatchGuard Firebox (Fireware) VPN log messages (msg_id=\"0203-...\", IKE phase-1/phase-2, IKEv2)"),
    "bgp-generic": M(
        "BGP daemons: FRRouting/Quagga bgpd (VyOS, pfSense, SONiC), BIRD (also in Calico), OpenBGPD, GoBGP (also in "
        "Cilium, kube-vip, kube-router), ExaBGP, MetalLB, libbgp, FlapAlerted; H3C Comware and Huawei VRP BGP state "
        "changes; Nokia SR OS and SR Linux, D-Link DxS, Juniper ScreenOS and JunosE BGP events; "
        "FortiGate's BGP debug; "
        "'show bgp summary' listings"
    ),
}
EVENTS = (
    "exchange",  # an IKE message of an exchange was sent or received (may carry notify payloads)
    "initiate",  # a negotiation started (IKE_SA or CHILD_SA, Main/Aggressive/Quick Mode)
    "established",  # an SA is up
    "notify",  # a notify (RFC 7296 / RFC 2408 type) sent or received; the protocol layer reads its meaning
    "no_proposal",  # no proposal acceptable (sa: ike -> phase 1, child -> phase 2, else from the exchange)
    "auth_failed",  # authentication failed: PSK/MAC mismatch, identity not accepted, certificate
    "ts_unacceptable",  # traffic selectors / proxy IDs / encryption domain not acceptable
    "proposals",  # the proposals received or configured, listed (values only)
    "retransmit",  # a request was sent again without an answer
    "give_up",  # retransmits ended, negotiation abandoned or timed out without an answer
    "dpd_probe",  # a DPD / liveness check was sent
    "dpd_answer",  # a DPD / liveness check was answered
    "dpd_dead",  # the peer was declared dead by DPD / liveness
    "delete",  # a Delete for an IKE or Child SA was sent or received
    "out_of_step",  # the peer repeats a message of an exchange this side completed: it missed this side's last message
    "operator_down",  # the operator took the connection down (ipsec down, whack --delete): its Deletes are no cause
    "operator_rekey",  # the operator asked for a rekey now (whack --rekey-child): a new SA is to replace the one up
    "redirect",  # the gateway redirected this side to another gateway (RFC 5685): the old IKE SA is dropped on purpose
    "rekey_collision",  # both sides rekeyed the same SA at once
    "rekey_failed",  # a rekey failed or SAs went out of step (invalid SPI, lifetimes)
    "bgp_down",  # a BGP session went down (hold timer, notification, neighbor down, bad OPEN)
    "bgp_up",  # a BGP session came up
    "bgp_neighbor",  # a status listing's block header names the BGP neighbor its state lines are about
    "ike_mode_mismatch",  # IKEv1 Main vs Aggressive Mode differ
    "ike_version_mismatch",  # IKEv1 against IKEv2
    "ipsec_mode_mismatch",  # tunnel vs transport mode, ESP vs AH
    "nat_t_or_fragmentation",  # NAT-T or IKE/IP fragmentation problem
    "cgw_not_initiating",  # this side declines to start IKE itself (passive mode, no policy that uses the tunnel)
    "ike_ignored",  # this side drops the peer's IKE request because of its own configuration (no policy uses the tunnel)
    "kernel_error",  # the kernel's error for a request to add an SA (charon's netlink / PF_KEY line): read for the next line
    "kernel_refused",  # the kernel refused to install an IPsec SA the negotiation agreed on
    "nat_or_fragments",  # NAT on the path, or IKE messages fragmented (context for lost messages)
    "conn_added",  # pluto added a connection, naming its IKE version ("added IKEv1 connection"): context for refusals
    "conn_switched",  # pluto moved a negotiation to a connection that fits the peer better ("switched from ... to ...")
    "peer_repeats",  # the peer sent its previous answer again after this side's next request (it did not accept that)
    "session_end",  # the session carried inside the SA (L2TP/PPP) ended on this side: a user's disconnect
    "remote_access",  # this side is a remote-access client: XAUTH / ModeCFG after Main Mode (IKEv1), the server picks its address
    "identity",  # the identity the peer sent, as this side read it (pluto "Peer ID is", charon "peer configs matching")
    "proposal_dump",  # one line of a proposal listing printed an item a line (FortiGate's debug): read together
    "endpoint",  # the address a tunnel's IKE SA talks to, named when a connection is set up (FortiGate's debug)
    "bgp_path",  # a route to a BGP neighbor's address found (FRR's next-hop tracking): the session can be opened
    "unmatched_esp",  # ESP with an unknown SPI that matched no tunnel at all: stray ESP from the Internet, no tunnel's fault
    "packet_in",  # a message came in from the peer (charon's "received packet"): read for retransmits, then dropped
    "notify_protocol",  # a dumped IKEv1 notification's Protocol-ID (pluto's debug): read for its notify, then dropped
    "delete_ignored",  # the peer's Delete named an SA this side no longer has (charon: "CHILD_SA not found, ignored")
    "daemon_start",  # the IKE daemon started (again): what a stop of it began ends here
    "daemon_failed",  # the IKE daemon could not start (charon's "initialization failed - aborting charon")
    "cert_check",  # a detail of a certificate check (its validity period, its issuer): read for an authentication failure
)
# What each event kind means, for a reader of the page (the kinds themselves stay the `--json` contract).
EVENT_LABELS: dict[str, Msg] = {
    "exchange": M("IKE message"),
    "initiate": M("Negotiation started"),
    "established": M("SA established"),
    "notify": M("Notify message"),
    "no_proposal": M("No acceptable proposal"),
    "auth_failed": M("Authentication failed"),
    "ts_unacceptable": M("Traffic selectors refused"),
    "proposals": M("Proposals listed"),
    "retransmit": M("Request sent again"),
    "give_up": M("Negotiation given up"),
    "dpd_probe": M("Liveness check sent"),
    "dpd_answer": M("Liveness check answered"),
    "dpd_dead": M("Peer declared dead"),
    "delete": M("Delete"),
    "out_of_step": M("Peer repeats a finished exchange"),
    "operator_down": M("Taken down by the operator"),
    "operator_rekey": M("Rekey asked for by the operator"),
    "redirect": M("Redirected to another gateway"),
    "rekey_collision": M("Rekey collision"),
    "rekey_failed": M("Rekey failed"),
    "bgp_down": M("BGP session down"),
    "bgp_no_routes": M("BGP up, routes not exchanged"),  # a bgp_down line whose reason keeps the session up
    "bgp_up": M("BGP session up"),
    "ike_mode_mismatch": M("Main vs Aggressive Mode"),
    "ike_version_mismatch": M("IKE version refused"),
    "ipsec_mode_mismatch": M("Tunnel vs transport mode"),
    "nat_t_or_fragmentation": M("NAT-T or fragmentation problem"),
    "cgw_not_initiating": M("Declined to start IKE"),
    "ike_ignored": M("Peer's IKE request ignored"),
    "kernel_error": M("Kernel error"),
    "kernel_refused": M("Kernel refused the IPsec SA"),
    "nat_or_fragments": M("NAT or fragmented messages"),
    "peer_repeats": M("The peer repeats its last answer"),
    "conn_added": M("Connection added"),
    "conn_switched": M("Switched to another connection"),
    "session_end": M("L2TP/PPP session ended"),
    "remote_access": M("Remote-access client (XAUTH / ModeCFG)"),
    "identity": M("Identity the peer sent"),
    "cert_check": M("Certificate check"),
    "proposal_dump": M("Line of a proposal listing"),
    "endpoint": M("Peer address named"),
    "bgp_path": M("Route to the BGP neighbor found"),
    "packet_in": M("Message received from the peer"),
    "notify_protocol": M("Protocol a notification is about"),
    # (a status listing's row of a request still waiting, read as a retransmission: see `listing_rows`)
    "listing_waiting": M("Status listing: a request still waiting for its answer"),
    "unmatched_esp": M("ESP that matched no tunnel"),
    "delete_ignored": M("Delete for an SA already gone"),
    "daemon_start": M("IKE daemon started"),
    "daemon_failed": M("IKE daemon failed to start"),
    "bgp_neighbor": M("BGP neighbor listed"),
}


EXCHANGES = (
    "IKE_SA_INIT",
    "IKE_AUTH",
    "CREATE_CHILD_SA",
    "INFORMATIONAL",
    "MAIN_MODE",
    "AGGRESSIVE_MODE",
    "QUICK_MODE",
    "INFORMATIONAL_V1",
)


# Named groups a regex may use (a trailing digit allows alternatives: peer2 is read as peer).
GROUPS = (
    "peer",
    "notify",
    "exchange",
    "direction",
    "sa",
    "received",
    "configured",
    "algorithms",
    "local_asn",
    "remote_asn",
    "expected_asn",
    "peer_open_asn",  # a BGP daemon's own log: the AS number the neighbor's OPEN carried
    "configured_peer_asn",  # a BGP daemon's own log: the AS number configured here for the neighbor
    "ts_offered",
    "ts_expected",
    "id_sent",
    "id_expected",
    "id_local",  # this side's own identity or certificate (its key is missing, of the wrong type, or it expired)
    "conn",
    "count",
    "flaps",  # a BGP status listing's count of the times the session left Established (Junos "show bgp summary")
    "reason",
    "guess",  # the daemon says its reading is a guess ("Possible authentication failure"): an echo after a firmer refusal
    "policy",  # pluto's policy words of a Quick Mode offer ("PSK+ENCRYPT+AUTHENTICATE+TUNNEL"): AH or IPComp asked for
    "rekey",  # the words that say whether a CREATE_CHILD_SA / Quick Mode rekeys an SA ("rekey", "replace") or adds one ("new")
    "step",  # IKEv1: the number of the Main/Aggressive/Quick Mode message a state sent ("STATE_MAIN_I3", "sent Main Mode I3")
    "abandoned",  # the daemon dropped an exchange it started, still waiting for the answer (pluto: an SA deleted in QUICK_I1)
    "secured",  # IKEv1: "secured" when the informational message carrying a notify was encrypted (sent after the keys were agreed)
    "snapshot",  # a status listing's line (ipsec status): the state at one moment, not an event as it happened
    "host_to_host",  # the connection (pluto's listing) has no client subnet on either side: the two gateways only
    "up",  # BIRD's state trace says "up" (the session established) rather than "start" (lost, trying again)
    "version",  # the IKE version a line names: of a connection added, of a request no connection accepts
    "bytes",  # the size of an IKE message sent (charon's "sending packet ... (N bytes)"), when it needs IP fragments
    "simultaneous",  # pluto: the serial of this side's own IKE SA whose IKE_AUTH crossed the peer's (simultaneous initiation)
    "policy_ok",  # Cisco IOS: the offer checked against a local ISAKMP policy or transform set matched it ("atts are acceptable")
    "cert_sent",  # IKEv1: this side puts its certificate in the Main Mode message it sends next (pluto: "I am sending my cert")
    "msgid",  # the message ID of the request a line is about (IKEv2: 0 is IKE_SA_INIT, 1 IKE_AUTH)
    "mismatch",  # Cisco IOS: the attribute of the peer's offer that did not match a local policy ("Hash algorithm")
    "protocol_id",  # the Protocol-ID of a dumped IKEv1 notification (pluto's debug; RFC 2407: 1 ISAKMP, 2 AH, 3 ESP, 4 IPCOMP)
    "errno", "kernel_error",  # the kernel's error number and its wording for a request to add an SA
    "errno_alt", "kernel_error_alt",  # the same, in a second wording of the line (PF_KEY, pluto 3.x's "included errno N")
    "kernel_sa",  # the SA the kernel refused, as pluto names it ("esp.4c04c7e6@192.168.44.17")
    "kernel_interface",  # the daemon's interface to the kernel's IPsec it could not open at all (charon's "netlink")
    "cert_role", "valid_from", "valid_to",  # a certificate outside its validity period: which one (subject, issuer), when
    "cert_issuer",  # the CA that issued a certificate this side could not verify (charon's "  issuer is ...")
)


class _Samples(BaseModel):
    model_config = ConfigDict(extra="forbid")
    match: list[str] = Field(min_length=1)
    no_match: list[str] = Field(min_length=1)


class _PatternSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    formats: list[Literal[FORMATS]] = Field(min_length=1)  # type: ignore[valid-type]
    keyword: str | list[str]  # one literal, or several when the regex has alternatives
    regex: str = Field(min_length=3)
    event: Literal[EVENTS]  # type: ignore[valid-type]
    exchange: Literal[EXCHANGES] | None = None  # type: ignore[valid-type]
    notify: str | None = Field(default=None, pattern=r"^[A-Z][A-Z0-9_]+$")
    direction: Literal["sent", "received"] | None = None
    sa: Literal["ike", "child"] | None = None
    ike: Literal[1, 2] | None = None  # IKE version when the line says it
    weak: bool = False  # the daemon's own guess: counts only when no firmer event names a cause
    explanation: str = Field(min_length=10)
    tree_node: str = ""  # overrides the category's node for this line (e.g. BGP ASN -> d-bgp-asn)
    source: str = Field(pattern=r"^https?://")
    samples: _Samples

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str) -> str:
        # re.error inside a validator is not turned into a ValidationError, so re-raise as ValueError. What Python
        # warns about in a regex ("Possible nested set": a '[' inside a set that a later Python reads otherwise) is
        # refused the same way: the pattern would change its meaning with the interpreter.
        with warnings.catch_warnings():
            warnings.simplefilter("error", FutureWarning)
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"regex does not compile: {exc}") from None
            except FutureWarning as exc:
                raise ValueError(f"regex is ambiguous: {exc}") from None
        return value


class _FileSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = ""
    patterns: list[_PatternSchema] = Field(min_length=1)


@dataclass(frozen=True)
class Pattern:
    id: str
    formats: tuple[str, ...]
    keywords: tuple[str, ...]
    regex: re.Pattern[str]
    event: str
    exchange: str | None
    notify: str | None
    direction: str | None
    sa: str | None
    ike: int | None
    weak: bool
    explanation: str
    tree_node: str
    source: str
    match_samples: tuple[str, ...]
    no_match_samples: tuple[str, ...]
    file: str

    @property
    def keyword(self) -> str:
        return self.keywords[0]


def _keywords(p: _PatternSchema) -> tuple[str, ...]:
    return (p.keyword,) if isinstance(p.keyword, str) else tuple(p.keyword)


def unguarded_starts(regex: str) -> list[str]:
    """The alternatives of `regex` that start with a repeat of a character class (`\\S+ SA expired`,
    `[0-9.]{7,} bad OPEN`), or with one character of a class and then such a repeat (`[A-Za-z][\\w.-]*:`), with
    nothing before it that pins where a match may start. A search tries such a
    repeat at every position of a long run of those characters, each time to the run's end: a line of 20,000
    such characters took a second per pattern, 100,000 half a minute. A lookbehind in front (`(?<!\\S)\\S+`)
    lets only the run's first character start a match (the same leftmost match). An empty list when `regex`
    has none (or cannot be inspected)."""
    try:
        from re import _constants as c
        from re import _parser
    except ImportError:  # a Python without them: nothing to say
        return []
    found: list[str] = []

    def first(items: list, path: str) -> None:
        if not items:
            return
        op, arg = items[0]
        if op is c.BRANCH:
            for i, branch in enumerate(arg[1]):
                first(list(branch), f"{path}alternative {i + 1} ")
        elif op is c.SUBPATTERN:
            first(list(arg[-1]), path)
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[1] > 16:
            body = list(arg[2])
            if body and body[0][0] in (c.IN, c.ANY, c.NOT_LITERAL, c.CATEGORY):
                found.append(path.strip() or "the pattern")
        elif op in (c.IN, c.ANY, c.NOT_LITERAL, c.CATEGORY) and len(items) > 1:
            # One character of a class, then an unbounded repeat (`[A-Za-z][\w.-]*`): the same search from every
            # position of a run.
            nop, narg = items[1]
            if nop in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and narg[1] > 16:
                body = list(narg[2])
                if body and body[0][0] in (c.IN, c.ANY, c.NOT_LITERAL, c.CATEGORY):
                    found.append(path.strip() or "the pattern")

    try:
        first(list(_parser.parse(regex)), "")
    except Exception:  # the private parser changed: nothing to say
        return []
    return found


def _check(p: _PatternSchema) -> list[str]:
    problems: list[str] = []
    for where in unguarded_starts(p.regex):
        problems.append(f"pattern {p.id}: {where} starts with a repeated character class: a search costs time "
                        "quadratic in a long line's length; put a lookbehind in front, e.g. (?<!\\S)\\S+")
    if p.event == "notify" and not p.notify and "(?P<notify>" not in p.regex:
        problems.append(f"pattern {p.id}: a notify event needs `notify:` or a (?P<notify>...) group")
    rx = re.compile(p.regex)
    unknown = {g.rstrip("0123456789") for g in rx.groupindex} - set(GROUPS)
    if unknown:
        problems.append(f"pattern {p.id}: unknown named groups {sorted(unknown)} (known: {', '.join(GROUPS)})")
    keywords = _keywords(p)
    if not keywords or any(len(k) < 3 for k in keywords):
        problems.append(f"pattern {p.id}: every keyword needs at least 3 characters")
    for line in p.samples.match:
        if not any(keyword_in(k, line) for k in keywords):
            problems.append(f"pattern {p.id}: no keyword of {list(keywords)} is in match sample {line[:60]!r}")
        if not rx.search(line):
            problems.append(f"pattern {p.id}: match sample does not match: {line[:80]!r}")
    for line in p.samples.no_match:
        if rx.search(line):
            problems.append(f"pattern {p.id}: no_match sample matches: {line[:80]!r}")
    return problems


def load_file(path: Path) -> list[Pattern]:
    """Validate one pattern file; raises DataError naming the file and every problem."""
    data = load_yaml_model(_FileSchema, path)
    problems: list[str] = []
    for p in data.patterns:
        problems.extend(_check(p))
    if problems:
        raise DataError(path, problems)
    return [
        Pattern(
            id=p.id,
            formats=tuple(p.formats),
            keywords=_keywords(p),
            regex=re.compile(p.regex),
            event=p.event,
            exchange=p.exchange,
            notify=p.notify,
            direction=p.direction,
            sa=p.sa,
            ike=p.ike,
            weak=p.weak,
            explanation=p.explanation.strip(),
            tree_node=p.tree_node,
            source=p.source,
            match_samples=tuple(p.samples.match),
            no_match_samples=tuple(p.samples.no_match),
            file=path.name,
        )
        for p in data.patterns
    ]


@lru_cache(maxsize=4)
def load_patterns(directory: Path = PATTERNS_DIR) -> tuple[Pattern, ...]:
    """All patterns, in file-name order then file order (earlier wins when a line matches several)."""
    patterns: list[Pattern] = []
    seen: dict[str, str] = {}
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        for p in load_file(path):
            if p.id in seen:
                problems.append(f"pattern id {p.id} is defined in {seen[p.id]} and {path.name}")
            seen[p.id] = path.name
            patterns.append(p)
    if problems:
        raise DataError(directory, problems)
    return tuple(patterns)


@lru_cache(maxsize=1)
def listing_rows() -> frozenset[str]:
    """The patterns that read a status listing's row (their regex names the state it shows: `snapshot`): one moment
    of a state, not an event as it happened."""
    return frozenset(p.id for p in load_patterns() if "snapshot" in p.regex.groupindex)


@lru_cache(maxsize=1)
def by_id() -> dict[str, Pattern]:
    """Every pattern by its id."""
    return {p.id: p for p in load_patterns()}


def patterns_for(formats: tuple[str, ...] | None) -> tuple[Pattern, ...]:
    """The patterns that apply to these formats (all patterns when `formats` is None)."""
    every = load_patterns()
    if formats is None:
        return every
    wanted = set(formats)
    return tuple(p for p in every if wanted.intersection(p.formats))
