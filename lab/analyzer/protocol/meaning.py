"""What a notify, a reason or an event kind means, which phase a line is about, which BGP neighbor a listing
line belongs to, and the state kept per stream while the events are read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.names import CHILD_EXCHANGES, IKE_EXCHANGES

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
    "kernel_refused": "kernel_sa_install",
}


# A BGP session's line that its pattern reads no neighbor from still names one after "peer" or "neighbor" (Arista's
# "%BGP-5-ADJCHANGE: peer 192.0.2.2 (VRF default AS 12345) old state OpenConfirm event Established new state
# Established", BIRD's and FRR's own wordings): the address right after the word.
_NAMED_NEIGHBOR = re.compile(r"\b(?:[Pp]eer|[Nn]eighbor)\s+"
                             r"(\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?![\w.:])")


def bgp_peer(ev: Event) -> str:
    """The BGP neighbor a line names ("" when it names none)."""
    if peer := ev.values.get("peer"):
        return str(peer)
    if ev.kind.startswith("bgp") and (m := _NAMED_NEIGHBOR.search(ev.text)):
        return m.group(1)
    return ""


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
    # pluto's debug: the peer addresses of the connections it compared a first message's addresses with
    host_pair_remotes: set[str] = field(default_factory=set)
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
    up_tunnels: set[str] = field(default_factory=set)  # the tunnels (pluto connections) seen with an SA established
    up_serials: set[int] = field(default_factory=set)  # pluto state serials seen established
    child_ids: dict[str, int] = field(default_factory=dict)  # charon: the newest CHILD_SA name{id} established
    ike_ids: dict[str, int] = field(default_factory=dict)  # charon: the newest IKE_SA name[id] established
    duplicate_requests: int = 0  # IKEv2: the peer's CREATE_CHILD_SA requests this side answered and received again
    # (pluto serial, exchange): IKE_SA_INIT or IKE_AUTH requests answered, received again
    answered_repeats: dict[tuple[int, str | None], int] = field(default_factory=dict)
    pluto_ike: dict[str, int] = field(default_factory=dict)  # pluto: the newest IKE / ISAKMP SA serial established per conn
    failed_serials: set[int] = field(default_factory=set)  # pluto state serials seen retransmitting or giving up
    seen_serials: set[int] = field(default_factory=set)  # pluto state serials seen at all
    # pluto Quick Modes that replace no SA that was up: a first one, and each next attempt after it ("to replace #2")
    first_quick_serials: set[int] = field(default_factory=set)
    # pluto state serials started to replace an SA that was up ("to replace #N"): an IKEv1 Quick Mode is established
    # on this side before its last message (the responder's commit-bit CONNECTED, RFC 2408 3.1) is processed
    replacing_serials: set[int] = field(default_factory=set)
    reauth_pending: bool = False  # charon reauthenticates: the IKE SA it initiates next replaces the one that was up
    # charon reauthenticates, from its "reauthenticating IKE_SA gw[1]" until an IKE SA comes up: the new IKE SA it sets
    # up meanwhile replaces the one that was up
    reauth_running: bool = False
    # An SA came up after the last exchange that sets one up or replaces one (see classify): a request that later goes
    # unanswered is not that exchange's
    exchange_done: bool = False
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
    # the peer each of them was sent to (by `id`): the stream's peer when it was read ("" when none was named yet)
    retransmit_peers: dict[int, str] = field(default_factory=dict)
    up_ike_tags: set[str] = field(default_factory=set)  # charon's "<gw|1>" of the IKE SAs established
    ike_rekeyed_line: int | None = None  # the line of charon's "IKE_SA gw[2] rekeyed": the IKE SA up came from a rekey
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
# An IKEv2 exchange named by its own name decides over those words (a line may carry an IKE SA label throughout,
# pyikev2's "IKE_SA: <SPI>."), unless the line says the exchange rekeys the IKE SA.
_NAMES_V2_EXCHANGE = re.compile(r"\b(?:IKE_SA_INIT|CREATE_CHILD_SA)\b")
_REKEYS_IKE_SA = re.compile(r"(?i)\b(?:rekey(?:ing)?|replac(?:e|ing)) (?:the )?IKE[ _]SA\b")


def _named_phase(text: str) -> str | None:
    """The phase a line names in words, when it names only one."""
    exchanges = set(_NAMES_V2_EXCHANGE.findall(text))
    if len(exchanges) == 1 and not _REKEYS_IKE_SA.search(text):
        return "ike" if exchanges == {"IKE_SA_INIT"} else "child"
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
# (FRR), "Last Reset: 4d14h38m, due to ..." (FortiOS); ScreenOS "get vr trust-vr prot bgp neigh 169.254.255.1":
# "connection state: ESTABLISH, connection id: 18 ..." and "last reset 00:05:33 ago, due to BGP send Notification(...)".
_BGP_STATE = re.compile(r"BGP state = \w+|^\s*Type: (?:Internal|External)\s+State: \w+"
                        r'|^\s*"(?:bgpState|state)":\s*"'  # FRR's JSON listings, under the neighbor's key
                        r"|^connection state: \w+,"
                        r"|^\s*BGP state:\s+\w+"  # BIRD's show protocols all
                        r"|^\S+\s+BGP\s+\S+\s+(?:up|down|start)\s+\S+\s+\w+")  # BIRD's show protocols summary row
# (FRR's show bgp neighbors json gives the last reset's NOTIFICATION, when it was one, on a line of its own:
# "lastNotificationReason" is that reset's reason, not an older NOTIFICATION)
_LAST_RESET = re.compile(r"\s*Last [Rr]eset:? (?:by (?:us|peer) )?\S+, +(?:due to )?\S|last reset \S+ ago, due to \S"
                         r'|\s*"(?:lastResetDueTo|lastNotificationReason)":\s*"')
# IOS-XR's "Error Code: hold time expired" under "Time since last notification sent to neighbor: 2w3d", FortiOS's
# "Notification Error Message: (Hold Timer Expired/...)" under "Last Reset: 4d14h38m, due to BGP Notification sent":
# the last NOTIFICATION, which may be older than the last reset (the "Last reset" line says why the session last went
# down). Junos's "show bgp neighbor": "Last Error: Hold Timer Expired Error" and its counts per error ("Error: 'Hold
# Timer Expired Error' Sent: 156 Recv: 17"), whatever the neighbor's state now.
_LAST_NOTIFICATION = re.compile(r"\s*(?:(?:Error Code|Notification Error Message|Last [Ee]rror):\s+"
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
