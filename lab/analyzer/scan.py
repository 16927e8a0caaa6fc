"""The streaming scan: one pass, memory flat in the size of the input.

Text is processed in blocks of whole lines. Each block goes once through the multi-pattern prefilter
(`lab.analyzer.prefilter`: every pattern keyword in one Hyperscan database), so only lines that
contain a keyword ever meet a regex; each candidate line is tried against the patterns of the
keywords it contains, in pattern order, and the first that matches turns it into a protocol event.
What is kept per file is bounded: the first and the last MAX_EVENTS events, and every failure in between
(up to MAX_FINDINGS) with the context line before it.

A long log is mostly lines that can change none of that, so after the first MAX_EVENTS events a block is
scanned only for the keywords of failure patterns, and a line is read (located, decoded, matched) only
when it may be a failure, is the context line before one (found by scanning a small window before it
for all keywords), or is among the last MAX_EVENTS events - found by scanning and reading backwards from
the newest line once PENDING_BYTES of input wait. A file on disk is looked at that way only at its end:
its waiting blocks leave memory and are read again from the file where a line is needed. The result is
exactly that of reading every candidate line in order (`Scanner(lazy=False)`;
tests/unit/test_analyzer_lazy.py compares the two).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache

from lab.analyzer import formats as fmts
from lab.analyzer import protocol as proto
from lab.analyzer.paste import unwrap_records
from lab.analyzer.patterns import FORMATS, Pattern, patterns_for
from lab.analyzer.prefilter import Prefilter
from lab.errors import InputError
from lab.i18n import M, Msg
from lab.masking import mask_secrets

MAX_FINDINGS = 5000
MAX_EVENTS = 5000  # events kept from the start of the log, and again from its end
# Event kinds that can name a cause on their own (kept from the middle of a long log), and the context
# a failure is read against (the exchange in progress, proposals, SA state).
FAILURE_EVENTS = frozenset(
    {"notify", "no_proposal", "auth_failed", "ts_unacceptable", "give_up", "dpd_dead", "delete", "rekey_collision",
     "rekey_failed", "bgp_down", "ike_mode_mismatch", "ike_version_mismatch", "ipsec_mode_mismatch",
     "nat_t_or_fragmentation", "cgw_not_initiating", "ike_ignored"}
)
CONTEXT_EVENTS = frozenset(
    {"exchange", "initiate", "established", "proposals", "dpd_probe", "nat_or_fragments", "peer_repeats", "conn_added",
     "conn_switched", "remote_access"}
)
# (line number, the pattern that matched, the line, its match when the line is kept whole) - parsed when kept
Raw = tuple[int, Pattern, str, "re.Match[str] | None"]
MAX_TEXT = 2000  # characters of a line kept in a finding
LONG_LINE = 65536
CHUNK = 1 << 22  # characters read at a time in stream mode
SMALL_BLOCK = 1 << 20  # blocks up to this size are format-checked line by line
SAMPLE_CHARS = 2000  # characters of a line the format detection looks at
SPREAD_LATER = 100  # lines sampled from each later block to notice a second source
# Input read between two looks for the last MAX_EVENTS events (lazy mode): each look reads MAX_EVENTS
# events backwards, so a larger window reads fewer lines but holds more of the input.
PENDING_BYTES = 24 << 20
# A file on disk is read again where it is needed instead (`Scanner.back_with`): its waiting blocks leave memory
# once this much of it waits, and only the end of the log is looked at, once (a stream - a pipe, a gzip
# file, pasted text - has nothing to read again: it is looked at every PENDING_BYTES).
BACKED_IN_MEMORY = 8 << 20
# What waits for that one look is bounded too: the failure keywords' hits (eight bytes each) and the blocks.
BACKED_HITS = 1 << 21
BACKED_BLOCKS = 4096
_CHECK = 32  # bytes at each end of a block compared when it is read again
# Order signals (pluto state serials, charon SA ids and message ids) are read from every line of the start of
# the input, not only from the lines patterns turn into events: "#4: initiating Child SA using IKE SA #1" or
# "sent CREATE_CHILD_SA request" match no pattern yet tell which way a paste runs. Pastes are short; the start
# of a long log is enough (its timestamps decide anyway).
ORDER_CHARS = 1 << 18
ORDER_LINE = re.compile(
    r"^[^\n]*?(?:#\d+: |\[\d+\](?!:)|\{\d+\}|\|\d+>|(?:generating|parsed) [A-Z]|(?:adding|deleting|deleted) SAD entry "
    # a BGP neighbor's state change (see protocol._BGP_CHANGE)
    r"|state change [A-Z]\w+ ?->|changed state from [A-Z]|went from [A-Z]\w+ to|old state [A-Z]\w+ event|PrevState=)[^\n]*",
    re.M,
)
_PAYLOAD_NOTIFY = re.compile(r"N\((\w+)\)")
_SENT = {
    "sent", "send", "sending", "sends", "to", "generating", "outbound", "out", "initiator", "tx", "local",
    "is sending", "sent to",
}
_RECEIVED = {
    "received", "receive", "receiving", "recv", "from", "parsed", "inbound", "in", "rx", "remote", "peer",
    "processed", "processing", "processing decrypted", "rcv'd", "rcvd", "received from",
}
_IKE_WORDS = ("ike", "isakmp", "phase1", "phase 1", "phase-1", "p1", "parent", "main", "aggressive", "ike_sa")
_CHILD_WORDS = ("child", "ipsec", "esp", "phase2", "phase 2", "phase-2", "p2", "quick", "ah")


@dataclass
class ScanResult:
    format: str
    formats: tuple[str, ...]
    lines: int
    events: list[proto.Event]
    notes: list[Msg]
    truncated: bool
    last_state_line: str = ""
    extra: dict[str, str] = field(default_factory=dict)
    # (line number, line) of the input's start that carry a protocol order signal, in input order, and the
    # number of lines they were collected from (events after that line add their own text).
    order_texts: list[tuple[int, str]] = field(default_factory=list)
    order_lines: int = 0


def _direction(raw: str) -> str | None:
    word = raw.strip().lower()
    if word in _SENT:
        return "sent"
    if word in _RECEIVED:
        return "received"
    return None


def _sa(raw: str) -> str | None:
    word = raw.strip().lower().replace("_", " ").replace("-", " ")
    if word.startswith(("child", "ipsec", "esp", "quick", "ah", "phase 2", "phase2", "p2", "established child", "2", "3")):  # ISAKMP protocol ids: 2 AH, 3 ESP
        return "child"
    if word.startswith(
        ("ike", "isakmp", "oakley", "phase 1", "phase1", "p1", "parent", "main", "aggressive", "established ike", "1")
    ):
        return "ike"
    return None


_MERGED_KEPT = 4096


class _Ranking:
    """The patterns a candidate line tries, in order, for the lines read while it applies (format detection
    may reorder them for later lines; lines read earlier keep the order they were read under)."""

    __slots__ = ("by_keyword", "failure", "merged", "rank")

    def __init__(self, by_keyword: list[list[Pattern]], rank: dict[str, tuple[int, int]]) -> None:
        self.by_keyword = by_keyword
        self.rank = rank
        self.merged: dict[frozenset[int], list[Pattern]] = {}
        # Keywords whose lines may be a failure event: the middle of a long log is scanned for these only.
        self.failure = frozenset(k for k, group in enumerate(by_keyword) if any(p.event in FAILURE_EVENTS for p in group))

    def candidates(self, ids: set[int]) -> list[Pattern]:
        if len(ids) == 1:
            return self.by_keyword[next(iter(ids))]  # already in preference order
        key = frozenset(ids)
        found = self.merged.get(key)
        if found is None:
            if len(self.merged) >= _MERGED_KEPT:  # shared by every log read in this process: bounded
                self.merged.clear()
            rank = self.rank
            merged = {id(p): p for k in ids for p in self.by_keyword[k]}.values()
            found = self.merged[key] = sorted(merged, key=(lambda p: rank[p.id]) if rank else _order)
        return found


_MISSING = object()  # a candidate line not read yet


class _Segment:
    """The part of one block after the first events, waiting to be read: the block's bytes, where the part
    begins (a line start), the hits of failure keywords in it (packed integers, see `Prefilter.packed`),
    what reading a line gave (by its start offset: a Raw, or None for no event) and a cursor for line
    numbers. Other candidate lines are found when needed, by scanning a window of the block again. A block
    read from a file may let its bytes go while it waits (`data` is None until `load` reads them again).
    Once every line that matters has been read, only the events are kept (`events_only`, `res` a list of
    Raw in order)."""

    __slots__ = ("begin", "check", "data", "events_only", "fails", "nl", "pos", "prefilter", "ranking", "res",
                 "size", "source", "start_line", "total")

    def __init__(self, data: bytes | None, begin: int = 0, fails: array[int] | None = None,
                 prefilter: Prefilter | None = None, ranking: _Ranking | None = None, start_line: int = 0,
                 total: int = 0, events: list[Raw] | None = None,
                 source: tuple[Callable[[int, int], bytes], int] | None = None) -> None:
        self.data = data
        self.events_only = events is not None
        # Where the block is in the file it was read from (a reader and the offset), when it can be read again
        # there: its bytes then leave memory while it waits (`evict`) and come back when needed (`load`).
        self.source = source
        self.size = len(data) if data is not None else 0
        self.check = data[:_CHECK] + data[-_CHECK:] if data is not None and source is not None else b""
        self.begin = begin
        self.fails = fails if fails is not None else array("q")
        self.prefilter = prefilter
        self.ranking = ranking
        self.res: dict[int, Raw | None] | list[Raw] = events if events is not None else {}
        self.start_line = start_line  # the line number of data[0]
        self.pos = self.nl = 0  # line ends in data[:pos]
        self.total = total  # line ends in data

    def line_no(self, start: int) -> int:
        """The line number at byte `start`, counting line ends from the nearest known point."""
        data, pos = self.data, self.pos
        assert data is not None
        if start >= pos:
            if len(data) - start < start - pos:
                nl = self.total - data.count(b"\n", start)
            else:
                nl = self.nl + data.count(b"\n", pos, start)
        elif start < pos - start:
            nl = data.count(b"\n", 0, start)
        else:
            nl = self.nl - data.count(b"\n", start, pos)
        self.pos, self.nl = start, nl
        return self.start_line + nl

    def end(self) -> int:
        return len(self.res) if self.events_only else self.size

    def evict(self) -> None:
        """Let the block's bytes go (they are read again from the file when needed)."""
        if self.source is not None:
            self.data = None

    def load(self) -> bool:
        """Bring the block's bytes back if they were let go; whether they were."""
        if self.data is not None or self.events_only or self.source is None:
            return False
        read, offset = self.source
        data = read(offset, self.size)
        if len(data) != self.size or data[:_CHECK] + data[-_CHECK:] != self.check:
            raise InputError(M("The log file changed while it was read (it was rotated or written over). "
                               "Read a copy of it, for example `cp` it to another file first."))
        self.data = data
        return True

    def events(self, lo: int) -> list[Raw]:
        """The events of the lines from offset lo on (from index lo when events only), in order."""
        if self.events_only:
            return self.res[lo:]  # type: ignore[return-value, index]
        res: dict[int, Raw | None] = self.res  # type: ignore[assignment]
        return [raw for start, raw in sorted(res.items()) if start >= lo and raw is not None]

    def lines_back(self, lo: int, hi: int, width: int = 512) -> Iterator[tuple[int, int, set[int]]]:
        """(start, stop, keyword ids) of the candidate lines starting in lo..hi-1, newest first; lo and hi
        are line starts (or the block's end). Windows grow from `width` bytes, each scanned once."""
        data, lines = self.data, self.prefilter.lines  # type: ignore[union-attr]
        assert data is not None
        end = hi
        while end > lo:
            ws = end - width
            if ws <= lo:
                ws = lo
            else:
                nl = data.rfind(b"\n", lo, ws)
                ws = nl + 1 if nl >= 0 else lo
            for start, stop, ids in reversed(lines(data[ws:end])):
                yield ws + start, ws + stop, ids
            end, width = ws, min(width * 4, 1 << 20)

    def lines_forward(self, lo: int, hi: int) -> Iterator[tuple[int, int, set[int]]]:
        """(start, stop, keyword ids) of the candidate lines starting in lo..hi-1, oldest first."""
        data, lines = self.data, self.prefilter.lines  # type: ignore[union-attr]
        assert data is not None
        start_at, width = lo, 4096
        while start_at < hi:
            if start_at + width >= hi:
                end = hi
            else:
                nl = data.find(b"\n", start_at + width - 1, hi)
                end = nl + 1 if nl >= 0 else hi
            for start, stop, ids in lines(data[start_at:end]):
                yield start_at + start, start_at + stop, ids
            start_at, width = end, min(width * 4, 1 << 20)


# libreswan's `ipsec whack --globalstatus` lists a counter for every notify type and event
# ("total.ikev2.recv.notifies.error.TS_UNACCEPTABLE=0"): statistics, not events.
_COUNTER_START = ("total.", "current.")
_COUNTER = re.compile(r"(?:total|current)\.[\w.-]+=\d+\s*$")
# Statistics and settings in a listing count or describe events of a kind, they are none of them:
# - a table row of words and counts in aligned columns (Cisco's "show crypto ikev2 stats exchange":
#   "TS_UNACCEPTABLE   0   1   0   0"; ASA's "show asp drop": "Invalid SPI (np-sp-invalid-spi)      71490");
# - fields whose value is a count or "never" ("PPK Authentication Failure - ALL:      0", "DOT11r pre-authentication
#   failure   : 474", IOS-XR's OSPF "Adjacency hold timer expired last : Never").
# A log line has a time, an address or punctuation beside its words.
_STAT_GAP = re.compile(r"\S {3,}\d")
_STAT_WORD = re.compile(r"\(?[A-Za-z][\w()/-]*:?|-+")  # (a counter's id in parentheses: ASA's "(np-sp-invalid-spi)")
_STAT_FIELDS = re.compile(r"\s*(?:[A-Za-z0-9][\w ()/.-]{0,80}?\s*:\s+(?:\d+|[Nn]ever|[Nn]one|n/a)(?:\s+|$))+")
_NOT_A_COUNT = re.compile(r"\d\.\d+\.\d|\d:\d\d")  # an address or a time


def _statistics_row(line: str) -> bool:
    if _NOT_A_COUNT.search(line) is not None:
        return False
    if _STAT_FIELDS.fullmatch(line) is not None:
        return True
    if _STAT_GAP.search(line) is None:
        return False
    words = line.split()
    # (a count last: a listing's row whose last column is a state, as a BGP summary's "Active", is an event)
    return words[-1].isdigit() and all(w.isdigit() or _STAT_WORD.fullmatch(w) is not None for w in words)


# Someone logging in to the device itself (SSH, sudo, su, the console, a desktop: any PAM service but the ones a VPN
# daemon asks, "login" for charon's XAUTH, "pluto", "ppp", also in old PAM's "su(pam_unix)[pid]:" form; Cisco's exec
# and login messages; Check Point's audit of an administrator's login), or a client authenticating on a switch port
# (802.1X, MAC authentication bypass, the session manager: "%DOT1X-5-FAIL: Authentication failed for client"), not
# IKE: its "authentication failure" is no tunnel's. (PAM under charon's XAUTH, "charon: pam_unix(login:auth)", is the
# tunnel's.)
_LOGIN_DAEMONS = r"(?:sshd|sudo|su|klogind|kshd|systemd-logind|polkitd)(?:\(pam_\w+\))?(?:\[\d+\])?: "
_DEVICE_LOGIN = re.compile(
    r"\b(?:login(?:\(pam_\w+\))?(?:\[\d+\])?: |" + _LOGIN_DAEMONS + ")"
    r"|(?<![\w-])(?!charon|pluto|ipsec|racoon|pppd|xl2tpd)[\w-]*\(pam_\w+\)(?:\[\d+\])?:? "
    r"|pam_\w+\((?!login:|ppp:|pluto:|ipsec:|charon:|strongswan:)[\w.-]+:(?:auth|account|session|password)\)"
    r"|Failed password for |LOGIN_AUTHEN\b|%SEC_LOGIN-|\bLOGIN_FAILED\b|Login Authentication failed"
    r"|Administrator failed to log in|\boperation:\"Log In\""
    # login(1), sshd's PAM, Cyrus's SASL, Apache's basic authentication, pure-ftpd (syslog-ng's pattern database)
    r"|FAILED LOGIN \(\d+\) on |\bPAM: Authentication failure for |\bSASL\(-?\d+\): authentication failure"
    r"|\[client [^\]]+\] user \S+: authentication failure for |Authentication failed for user \["
    r"|%(?:DOT1X|MAB|AUTHMGR|SESSION_MGR)-\d-")
# A line that one of those login daemons wrote (its syslog program name) is none of the tunnel's or BGP's events at
# all: sshd's "Local disconnected: Connection closed." is no BGP neighbor closing the session. Nor is a Cisco ASA's
# SSL VPN message (722001-722056, AnyConnect "SVC" and WebVPN sessions of remote users: "SVC closing connection: DPD
# failure." is a laptop gone, not a site-to-site tunnel's peer).
_NOT_A_TUNNEL = re.compile(r"(?:^|\s)" + _LOGIN_DAEMONS + r"|%(?:ASA|FTD)-(?:[a-z]+-)?\d-722\d{3}:")


# A command the user typed, pasted with its output: a shell prompt ("$ ", "root@gw:~# ", "[root@gw ~]# "), or a
# command that reads or drives logs, with its arguments ("grep NO_PROPOSAL_CHOSEN /var/log/secure", libreswan's test
# consoles indent them). Its search words are no event.
_COMMAND = re.compile(
    r"\s*(?:(?:\[[^\]\n]{1,80}\]|[\w.-]{1,40}@[\w.-]{1,80}(?::\S*)?)\s?[#$]\s*|[#$]\s+)"
    r"|\s*(?:sudo\s+)?(?:[efz]?grep|rg|[zx]?cat|tail|head|less|more|journalctl|awk|sed|swanctl|tcpdump|vpn-lab"
    r"|ipsec\s+(?:auto|whack|status|statusall|up|down|restart|start|stop|trafficstatus|showstates|look|verify|stroke"
    r"|listall|leases))\s+\S"
)
# The same search further along a command line: after a pipe or a shell keyword (`hostname | grep east && grep
# "PSK Authentication failed" /tmp/pluto.log`, libreswan's final.sh `if [ -f ... ]; then grep " verifying encrypted
# payload integrity failed" /tmp/charon.log ; fi`), whose search words are no event either (a daemon line never
# pipes into grep).
_COMMAND_FURTHER = re.compile(r"(?:[|;&]|\b(?:then|do|if|!))\s*(?:sudo\s+)?(?:[efz]?grep|rg|awk|sed)\s+\S")


# Events that are the operator's command itself (the command line is the event, not a search for its words).
_COMMAND_EVENTS = frozenset({"operator_rekey", "operator_down"})


def _typed_command(line: str, at: int) -> bool:
    """Whether the words a pattern found at `at` are a command's arguments: the line is a command (`_COMMAND`), or
    a search command comes before them further along it (`_COMMAND_FURTHER`; looked for only on lines that name
    one, a bare "sed " being in every "refused " and "closed ")."""
    return _COMMAND.match(line) is not None or (
        ("grep" in line or "awk" in line or " sed " in line or "|sed" in line or " rg " in line)
        and _COMMAND_FURTHER.search(line, 0, at) is not None)


# A placeholder someone put in a pasted log for an address they hide ("<SERVER IP>", "<client public ip>",
# "[redacted]", "PUBLIC_IP"): a pattern that expects an address reads it as a masked one (x.x.x.x), so the line is
# still read; it is shown as pasted.
_MASK_WORDS = (r"(?:IPs?|IPv[46]|addr(?:ess)?|host(?:name)?|peer|gw|gateway|server|client|public|private|remote|local"
               r"|redacted|removed|masked|hidden|wan|cgw)")
# "<...>" or "[...]" around one of those words (a bracket is the first thing looked for: most lines have none)
_BRACKETED_MASK = re.compile(rf"[<\[](?i:[^<>\[\]\n]{{0,30}}?\b{_MASK_WORDS}\b)[^<>\[\]\n]{{0,30}}?[>\]]")
_BARE_MASK = re.compile(r"\b[A-Z]+(?:_[A-Z]+)*_IP\b")  # PUBLIC_IP, MY_SERVER_IP
MASKED_ADDRESS = "x.x.x.x"


def unmasked(line: str) -> str | None:
    """The line with its address placeholders read as masked addresses, or None when it has none."""
    bracketed = ("<" in line or "[" in line) and _BRACKETED_MASK.search(line) is not None
    bare = "_IP" in line and _BARE_MASK.search(line) is not None
    if not (bracketed or bare):
        return None
    if bracketed:
        line = _BRACKETED_MASK.sub(MASKED_ADDRESS, line)
    return _BARE_MASK.sub(MASKED_ADDRESS, line) if bare else line


class Scanner:
    """Feed blocks of complete lines (joined with "\\n"), then call result().

    Every line with a pattern keyword is a candidate; reading one (its patterns' regexes) is the cost. The
    first MAX_EVENTS events are read as they come. After that a candidate line is read only when it can
    matter: when it may be a failure (its keywords belong to a failure pattern), when it is the context line
    before a failure, or when it ends up among the last MAX_EVENTS events (found by reading backwards from
    the newest line, every PENDING_BYTES of input). The result is the same as reading every candidate in
    order (`lazy=False`, the reference the tests compare with); only the work differs.
    """

    def __init__(self, fmt: str = "auto", lazy: bool = True) -> None:
        if fmt != "auto" and fmt not in FORMATS:
            raise InputError(M("Unknown log format '{format}'. Valid formats: {formats}", format=fmt,
                               formats="auto, " + ", ".join(FORMATS)))
        self.requested = fmt
        self.lazy = lazy
        self.format = fmt if fmt != "auto" else ""
        self.formats: tuple[str, ...] = (fmt,) if fmt != "auto" else ()
        self.prefilter = self._failures = Prefilter(())
        self.ranking = _Ranking([], {})
        self.lines = 0
        self.head: list[Raw] = []
        self.middle: list[Raw] = []
        self.tail: deque[Raw] = deque(maxlen=MAX_EVENTS)
        self._pending: list[_Segment] = []
        self._pending_bytes = 0  # of the waiting blocks' bytes held in memory
        self._pending_hits = 0  # failure keyword hits of the waiting blocks
        self._reader: Callable[[int, int], bytes] | None = None  # reads the file again (`back_with`)
        self._file_pos = 0  # where the next block fed as bytes starts in that file
        self._context: Raw | None = None
        self.notes: list[Msg] = []
        self.truncated = False
        self._result: ScanResult | None = None  # what result() gave, until the next block
        self.last_state_line = ""
        self._crlf_noted = False
        self._entities_noted = False
        self._records_noted = False
        self.unknown_format_note: Msg | None = None  # the note that the first block matched no format, if it did not
        self._long_noted = False
        self.order_texts: list[tuple[int, str]] = []
        self.order_lines = 0
        self._order_chars = 0

    def back_with(self, read: Callable[[int, int], bytes], offset: int = 0) -> None:
        """The blocks fed as bytes from now on are the bytes of a file from `offset` on, in order, and
        `read(offset, size)` reads them again: waiting blocks leave memory and are read again when needed."""
        self._reader, self._file_pos = read, offset

    def _activate(self, formats: tuple[str, ...] | None) -> None:
        self.prefilter, self.ranking, self._failures = _activation(formats)

    def _detect(self, block: str) -> None:
        """Detect formats in this block; a log that mixes sources gains patterns as new formats appear."""
        first = not self.format
        if first and len(block) <= SMALL_BLOCK:
            sample = block.split("\n")
        else:  # the first lines (first block only) plus lines spread over the whole block
            sample = block.split("\n", fmts.DETECT_LINES)[: fmts.DETECT_LINES] if first else []
            spots = fmts.DETECT_LINES if first else SPREAD_LATER
            step, last = max(1, len(block) // spots), -1
            for pos in range(step, len(block), step):
                start = block.rfind("\n", 0, pos) + 1
                if start != last:  # one sample per line, however long the line
                    last = start
                    end = block.find("\n", start, start + SAMPLE_CHARS)
                    sample.append(block[start : end if end >= 0 else start + SAMPLE_CHARS])
        best, seen = fmts.detect(line[:SAMPLE_CHARS] for line in sample)
        if not self.format:  # first block
            self.format, self.formats = best, seen
            if best == "unknown":
                self.unknown_format_note = M(
                    "The format was not recognised; every pattern was tried. Choose the format if you know it."
                )
                self.notes.append(self.unknown_format_note)
            # Every pattern stays active: excerpts mix devices, and a line of a format the first
            # lines did not show must still be read. The prefilter makes this cost nothing extra.
            # The detected formats' own patterns are tried first on each line.
            self._activate(None)
            self._prefer(seen)
            return
        if self.format == "unknown":
            if seen:
                self.format, self.formats = best, seen
            return
        new = tuple(f for f in seen if f not in self.formats)
        if new:
            self.formats += new
            self.notes.append(M("{formats} lines appear from line {line:,} on.", formats=", ".join(new),
                                 line=self.lines + 1))
            self._prefer(self.formats)

    def _prefer(self, formats: tuple[str, ...]) -> None:
        """Order each keyword's patterns: those of the detected formats first, then file order."""
        self.ranking = _preferred(frozenset(formats))

    def feed(self, block: str) -> None:
        """Scan a block of whole lines (no trailing newline needed)."""
        if block:
            block = plain_chars(block)
            if "&" in block and _ENTITY.search(block):
                block = self._decoded(block)
            block = self._unwrapped(block)
            self._feed(block, block.encode("utf-8", "surrogatepass"))

    def feed_bytes(self, data: bytes) -> None:
        """Scan a block of whole lines read as bytes; invalid UTF-8 raises UnicodeDecodeError."""
        if data:
            as_read, offset = data, self._file_pos
            self._file_pos += len(data)
            if not data.isascii():  # (isascii is far cheaper than a search per wide space)
                for wide, plain in _TYPOGRAPHIC_BYTES:
                    if wide in data:
                        data = data.replace(wide, plain)
            text = data.decode("utf-8")
            block = self._decoded(text) if b"&" in data and _ENTITY_BYTES.search(data) else text
            block = self._unwrapped(block)
            # (the bytes as read when nothing was changed: no encoding again, and the file can give them again)
            if block is text:
                self._feed(block, data, offset if data is as_read and self._reader is not None else None)
            else:
                self._feed(block, block.encode("utf-8", "surrogatepass"))

    def _unwrapped(self, block: str) -> str:
        """The block with exported JSON records or CSV rows read as the daemon's lines (see lab.analyzer.paste)."""
        block, count = unwrap_records(block)
        if count and not self._records_noted:
            self._records_noted = True
            self.notes.append(M("Lines exported as JSON records or CSV rows (from a log platform, a firewall's export "
                                "or journalctl -o json) were read by their message field, with the record's time, "
                                "host and program."))
        return block

    def _decoded(self, block: str) -> str:
        if not self._entities_noted:
            self._entities_noted = True
            self.notes.append(M("HTML character references such as &quot; were read as the characters they stand for "
                                "(the lines were copied from a web page's source)."))
        return _ENTITY.sub(_entity_char, block)

    def _feed(self, block: str, data: bytes, offset: int | None = None) -> None:
        """Scan a block; `offset`: where its bytes are in the file `back_with` reads, when they are the file's."""
        self._result = None
        if self.requested == "auto":
            self._detect(block)
        elif not self.ranking.by_keyword:
            self._activate(self.formats)
        if not self._crlf_noted and "\r\n" in block[:100000]:
            self._crlf_noted = True
            self.notes.append(M("Windows line endings (CRLF) were read as plain line ends."))
        base = self.lines
        last_line = 0 if block.endswith("\n") else 1  # a block may end without its line end
        self._remember_state(block)
        if self._order_chars < ORDER_CHARS:
            self._collect_order(block)
        total = data.count(b"\n")
        if self.lazy:
            self._feed_lazy(data, base + 1, total, offset)
        else:  # the reference: every candidate line read in order
            for _stop, raw in self._candidates(data, base + 1):
                self._add(raw)
        self.lines = base + total + last_line

    def _candidates(self, data: bytes, line_no: int) -> Iterator[tuple[int, Raw]]:
        """The block's candidate lines read in order, as (end offset, event) for those that are events;
        `line_no` is the block's first line number."""
        counted_to, ranking = 0, self.ranking
        for start, stop, ids in self.prefilter.lines(data):
            line_no += data.count(b"\n", counted_to, start)
            counted_to = start
            line = _with_event_header(data, start, data[start:stop].decode("utf-8", "replace").rstrip("\r"))
            raw = self._read(line_no, line, ids, ranking)
            if raw is not None:
                yield stop, raw

    def _feed_lazy(self, data: bytes, start_line: int, total: int, offset: int | None = None) -> None:
        begin, head = 0, self.head
        if len(head) < MAX_EVENTS:  # the first events, read in order
            for stop, raw in self._candidates(data, start_line):
                head.append(raw)
                if len(head) == MAX_EVENTS:
                    begin = stop + 1
                    break
            else:
                return
            if begin >= len(data):
                return
        fails = self._failures.packed(data)
        if begin:
            fails = fails[bisect.bisect_left(fails, begin << self._failures.shift) :]
        source = (self._reader, offset) if offset is not None and self._reader is not None else None
        seg = _Segment(data, begin, fails, self.prefilter, self.ranking, start_line, total, source=source)
        if not self._long_noted:
            # The note names the first long event line: read long lines now, in order.
            for start, stop in _long_lines(data):
                if start >= begin:
                    self._read_at(seg, start, stop)
                    if self._long_noted:
                        break
        self._pending.append(seg)
        self._pending_bytes += len(data) - begin
        self._pending_hits += len(fails)
        if seg.source is not None and self._pending_bytes > BACKED_IN_MEMORY:
            # Blocks of a file wait on disk: the older ones leave memory, and nothing is looked at yet (a look reads
            # the last MAX_EVENTS events, which the next blocks would replace).
            # (newest first, up to one already let go: every block before it was let go with it)
            for older in reversed(self._pending[:-1]):
                if older.source is None:
                    continue  # bytes changed on reading (or events only): they stay
                if older.data is None:
                    break
                older.evict()
                self._pending_bytes -= older.size - older.begin
        if (self._pending_bytes > PENDING_BYTES or self._pending_hits > BACKED_HITS
                or len(self._pending) > BACKED_BLOCKS):
            self._settle()

    def _collect_order(self, block: str) -> None:
        """Keep the lines of the input's first ORDER_CHARS characters that carry an order signal."""
        room = ORDER_CHARS - self._order_chars
        part = block
        if len(block) > room:
            cut = block.rfind("\n", 0, room)
            part = block[:cut] if cut > 0 else ""
            self._order_chars = ORDER_CHARS
        else:
            self._order_chars += len(block) + 1
        if part:
            line, at = self.lines + 1, 0
            for m in ORDER_LINE.finditer(part):
                line += part.count("\n", at, m.start())
                at = m.start()
                self.order_texts.append((line, m.group(0).rstrip("\r")))
            self.order_lines = self.lines + part.count("\n") + 1

    def _remember_state(self, block: str) -> None:
        pos = max(block.rfind('"ike_phase1_state"'), block.rfind('"TunnelIKEPhase1State"'))
        if pos >= 0:
            start = block.rfind("\n", 0, pos) + 1
            end = block.find("\n", pos)
            self.last_state_line = block[start : end if end >= 0 else len(block)]

    def _read(self, line_no: int | _Segment, line: str, ids: set[int], ranking: _Ranking, start: int = 0) -> Raw | None:
        """The event a candidate line is (the first of its patterns that matches), or None. `line_no` may be
        the line's segment, asked for the number only when the line is an event."""
        if line.startswith(_COUNTER_START) and _COUNTER.match(line):
            return None  # a statistics counter names an event type, it is no event
        readable: str | None | bool = False  # the line with address placeholders read (once, when needed)
        for p in ranking.candidates(ids):
            m = p.regex.search(line)
            if m is None:
                if readable is False:
                    readable = unmasked(line)
                if readable is None or (m := p.regex.search(readable)) is None:  # type: ignore[arg-type]
                    continue
            if p.event not in _COMMAND_EVENTS and _typed_command(m.string, m.start()):
                return None  # a command and its arguments, not what the daemon wrote
            if _statistics_row(line):
                return None  # a counter of events of a kind, not one of them
            if (p.event == "auth_failed" and _DEVICE_LOGIN.search(line)) or _NOT_A_TUNNEL.search(line):
                return None  # a login to the device itself, or a remote user's SSL VPN session: not the tunnel's
            if isinstance(line_no, _Segment):
                line_no = line_no.line_no(start)
            if len(line) > LONG_LINE and not self._long_noted:
                self._long_noted = True
                self.notes.append(M("Line {line} is {length:,} characters long; findings show it shortened.",
                                     line=line_no, length=len(line)))
            if len(line) > MAX_TEXT + 256:  # keep what shows, and the part the pattern matched
                keep = MAX_TEXT + 256
                line = line[:keep] if m.end() <= keep else "… " + line[max(0, m.start() - 200) : m.end() + 200]
                return (line_no, p, line, None)
            return (line_no, p, line, m)
        return None

    def _read_at(self, seg: _Segment, start: int, stop: int, ids: set[int] | None = None) -> Raw | None:
        """The line data[start:stop] of a segment, read once (its keyword ids are found if not given)."""
        res: dict[int, Raw | None] = seg.res  # type: ignore[assignment]
        raw = res.get(start, _MISSING)
        if raw is _MISSING:
            data = seg.data
            assert data is not None and seg.ranking is not None and seg.prefilter is not None
            if ids is None:
                found = seg.prefilter.lines(data[start:stop])
                ids = found[0][2] if found else set()
            line = _with_event_header(data, start, data[start:stop].decode("utf-8", "replace").rstrip("\r"))
            raw = res[start] = self._read(seg, line, ids, seg.ranking, start) if ids else None
        return raw  # type: ignore[return-value]

    def _add(self, raw: Raw) -> None:
        """Keep the first MAX_EVENTS lines, the last MAX_EVENTS, and every failure line in between (up to
        MAX_FINDINGS) with the context line just before it (the exchange, proposals or SA state it refers
        to). Lines are parsed into events only when kept, so a long log costs a regex search per line."""
        if len(self.head) < MAX_EVENTS:
            self.head.append(raw)
            return
        if len(self.tail) == MAX_EVENTS:
            dropped = self.tail[0]
            self.truncated = True
            if dropped[1].event in FAILURE_EVENTS and len(self.middle) < MAX_FINDINGS:
                ctx = self._context
                if ctx is not None and ctx[0] < dropped[0] and (not self.middle or self.middle[-1][0] < ctx[0]):
                    self.middle.append(ctx)
                self.middle.append(dropped)
            elif dropped[1].event in CONTEXT_EVENTS:
                self._context = dropped
        self.tail.append(raw)

    def _settle(self) -> None:
        """Find the last MAX_EVENTS events of the pending lines, reading backwards from the newest line;
        everything before them leaves the window in order (as `_add` drops it from the tail), and what
        stays is kept as events only."""
        need = MAX_EVENTS
        cut: tuple[int, int] | None = None
        pending = self._pending
        for k in range(len(pending) - 1, -1, -1):
            seg = pending[k]
            if seg.events_only:
                if len(seg.res) >= need:
                    cut = (k, len(seg.res) - need)
                    break
                need -= len(seg.res)
                continue
            loaded = seg.load()
            for start, stop, ids in seg.lines_back(seg.begin, seg.size, 1 << 16):
                if self._read_at(seg, start, stop, ids) is not None:
                    need -= 1
                    if need == 0:
                        cut = (k, start)
                        break
            if loaded:  # (what reading its lines gave stays: the events after the cut come from it)
                seg.evict()
            if cut is not None:
                break
        first_k, first_at = cut if cut is not None else (0, pending[0].begin)
        for k in range(first_k):
            self._drop(pending[k], pending[k].begin, pending[k].end())
        self._drop(pending[first_k], pending[first_k].begin, first_at)
        kept: list[Raw] = []
        for k in range(first_k, len(pending)):
            kept += pending[k].events(first_at if k == first_k else 0)
        self._pending = [_Segment(None, events=kept)] if kept else []
        self._pending_bytes = self._pending_hits = 0

    def _drop(self, seg: _Segment, lo: int, hi: int) -> None:
        """The lines lo..hi-1 of a segment (offsets of line starts; indexes when events only) leave the
        window of the last events, in order: the same as `_add` dropping each of their events from the tail,
        reading only the lines that can matter - a possible failure, and the last context event before it."""
        if lo >= hi or (self.truncated and len(self.middle) >= MAX_FINDINGS):
            return  # (nothing to read)
        loaded = seg.load()
        try:
            self._drop_loaded(seg, lo, hi)
        finally:
            if loaded:
                seg.evict()

    def _drop_loaded(self, seg: _Segment, lo: int, hi: int) -> None:
        events = seg.events_only
        if not self.truncated:
            if events:
                self.truncated = True
            else:
                for start, stop, ids in seg.lines_forward(lo, hi):
                    if self._read_at(seg, start, stop, ids) is not None:
                        self.truncated = True
                        break
        if len(self.middle) >= MAX_FINDINGS:
            return
        context_from = lo
        if events:
            found: Iterable[tuple[int, Raw | None, int]] = ((i, r, i + 1) for i, r in enumerate(seg.res[lo:hi], lo))  # type: ignore[index]
        else:
            found = self._failure_lines(seg, lo, hi)
        for at, raw, after in found:
            if raw is None or raw[1].event not in FAILURE_EVENTS:
                continue
            if len(self.middle) >= MAX_FINDINGS:
                return
            self._find_context(seg, context_from, at)
            context_from = after
            ctx = self._context
            if ctx is not None and ctx[0] < raw[0] and (not self.middle or self.middle[-1][0] < ctx[0]):
                self.middle.append(ctx)
            self.middle.append(raw)
        if len(self.middle) < MAX_FINDINGS:
            self._find_context(seg, context_from, hi)

    def _failure_lines(self, seg: _Segment, lo: int, hi: int) -> Iterator[tuple[int, Raw | None, int]]:
        """(start, what reading it gave, next line start) of each line in lo..hi-1 with a failure keyword."""
        data, fails, shift = seg.data, seg.fails, self._failures.shift
        assert data is not None
        last_stop = -1
        for v in fails[bisect.bisect_left(fails, (lo + 1) << shift) : bisect.bisect_left(fails, (hi + 1) << shift)]:
            end = v >> shift
            if end <= last_stop:  # another keyword of the same line
                continue
            start = data.rfind(b"\n", 0, end) + 1
            stop = data.find(b"\n", end)
            if stop < 0:
                stop = len(data)
            last_stop = stop
            yield start, self._read_at(seg, start, stop), stop + 1

    def _find_context(self, seg: _Segment, lo: int, hi: int) -> None:
        """The last context event among the lines lo..hi-1, if any, becomes the context."""
        if seg.events_only:
            for i in range(hi - 1, lo - 1, -1):
                raw: Raw = seg.res[i]  # type: ignore[index,assignment]
                if raw[1].event in CONTEXT_EVENTS:
                    self._context = raw
                    return
            return
        for start, stop, ids in seg.lines_back(lo, hi):
            found = self._read_at(seg, start, stop, ids)
            if found is not None and found[1].event in CONTEXT_EVENTS:
                self._context = found
                return

    def result(self) -> ScanResult:
        """What the blocks fed so far hold; asked again before the next block, the same result."""
        if self._result is None:
            self._result = self._compute_result()
        return self._result

    def _compute_result(self) -> ScanResult:
        if self._pending:
            self._settle()
        tail = self._pending[0].events(0) if self._pending else list(self.tail)
        if self.truncated:
            self.notes.append(M(
                "More than {total:,} log events: the first and the last {kept:,} and every failure "
                "in between were read in detail.", total=2 * MAX_EVENTS, kept=MAX_EVENTS
            ))
        return ScanResult(
            format=self.format or "unknown",
            formats=self.formats,
            lines=self.lines,
            events=[_event(p, line_no, line, m) for line_no, p, line, m in (*self.head, *self.middle, *tail)],  # type: ignore[misc]
            notes=self.notes,
            truncated=self.truncated,
            last_state_line=self.last_state_line,
            order_texts=self.order_texts,
            order_lines=self.order_lines,
        )


# pluto's debug trace (plutodebug): "| " at the start, or after a timestamp or syslog prefix.
_DEBUG_LINE = re.compile(r"(?:[^|\n]{0,80}?: )?\| ")


# Nokia SR OS writes an event of its memory or file log on two lines: a header with the sequence number, time,
# severity, application, event id and subject, then the message in quotes ("10644 2018/06/22 10:27:15.844 UTC MINOR:
# BGP #2038 vprn109 Peer 11: 10.158.60.200" / '"VR 11: ... moved into established state"'), and `show log` lists them
# newest first. The message is read with its header before it, so it carries its time (the order of the events).
_EVENT_HEADER = re.compile(r"^\s*\d+ \d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ [A-Z]+: [A-Z_]+ #\d+ [^\n\"]*$")


def _with_event_header(data: bytes, start: int, line: str) -> str:
    """`line` with the SR OS event header on the line before it, when it is such an event's quoted message."""
    if not line.lstrip().startswith('"') or start < 2:
        return line
    before = data.rfind(b"\n", 0, start - 1) + 1
    if not data[before : before + 1].isdigit():  # (pluto's lines start with a quote too: most stop here)
        return line
    header = data[before : start - 1].decode("utf-8", "replace").rstrip("\r")
    return f"{header.rstrip()} {line.lstrip()}" if _EVENT_HEADER.match(header) else line


@cache
def _reads_trace(p: Pattern) -> bool:
    return any(_DEBUG_LINE.match(sample) for sample in p.match_samples)


# A pattern written for several dialects (the protocol's own words: an RFC notify name) reads a pluto line as pluto's,
# so pluto's own reasoning (its state serials) applies to it. (Every such pattern names strongswan first: a charon
# line needs no check.)
_PLUTO_LINE = re.compile(r'"[^"\n]{1,200}"(?:\[\d+\])?(?: [^#"\s]{1,60})? #\d+: ')


def _line_format(p: Pattern, line: str) -> str:
    """The dialect of a line a pattern matched: the pattern's first, or pluto's on a pluto line."""
    # (the plain substring check keeps the search off lines that cannot match: JSON)
    if len(p.formats) > 1 and "libreswan" in p.formats and " #" in line and _PLUTO_LINE.search(line):
        return "libreswan"
    return p.formats[0]


@cache
def _group_names(regex: re.Pattern[str]) -> tuple[tuple[int, str], ...]:
    """A pattern's named groups in order, as (index in `groups()`, the name without its numbering): a value may be
    captured by one of several alternatives ("notify", "notify2"), the first that captured it counts."""
    return tuple((index - 1, name.rstrip("0123456789")) for name, index in sorted(regex.groupindex.items(),
                                                                                  key=lambda item: item[1]))


def _event(p: Pattern, line_no: int, line: str, m: re.Match[str] | None = None) -> proto.Event:
    """The event of a kept line; `m` is the pattern's match from reading it (searched again when the line was
    shortened)."""
    m = m or p.regex.search(line) or p.regex.search(unmasked(line) or "")
    assert m is not None  # the line was kept because this pattern matched it
    values: dict[str, str] = {}
    groups = m.groups()
    for index, name in _group_names(m.re):
        value = groups[index]
        if value and name not in values:
            values[name] = value
    kind = p.event
    notify = p.notify or (proto.notify_name(values["notify"]) if "notify" in values and kind != "exchange" else None)
    exchange = p.exchange or (proto.exchange_name(values["exchange"]) if "exchange" in values else None)
    direction = p.direction or (_direction(values["direction"]) if "direction" in values else None)
    sa = p.sa or (_sa(values["sa"]) if "sa" in values else None)
    if kind == "exchange" and "notify" in values:
        # A payload list such as "[ N(AUTH_FAILED) ]", or the notify's name alone (Cisco's "Payload contents:
        # NOTIFY(NO_PROPOSAL_CHOSEN)" captures the name): the first notify that means something decides.
        for raw in _PAYLOAD_NOTIFY.findall(values["notify"]) or [values["notify"].strip()]:
            name = proto.notify_name(raw)
            if name in proto.NOTIFY_MEANING:
                kind, notify = "notify", name
                break
    text = line  # masked and shortened when shown (lab.analyzer.diagnosis)
    return proto.Event(
        line=line_no,
        text=text,
        pattern=p.id,
        kind=kind,
        explanation=p.explanation,
        fmt=_line_format(p, line),
        exchange=exchange,
        notify=notify,
        direction=direction,
        sa=sa,
        ike=p.ike or (1 if exchange in proto.IKEV1_EXCHANGES else None),
        values=values,
        tree_node=p.tree_node,
        # pluto's debug trace (plutodebug) repeats what pluto logs on lines of its own, with no exchange or
        # direction: a reading of a trace line is a guess, unless the pattern is written for the trace (one of its
        # samples is a trace line).
        weak=p.weak or ("| " in line and _DEBUG_LINE.match(line) is not None and not _reads_trace(p)),
        stamp=proto.stamp_of(line),
        host=proto.host_of(line),
    )


# Built once per process for each pattern set (a reload of the patterns makes new ones): every short paste read
# would otherwise spend milliseconds grouping and sorting a thousand patterns before its first line.
_ACTIVATIONS: dict[tuple[str, ...] | None, tuple[tuple[Pattern, ...], Prefilter, _Ranking, Prefilter]] = {}
_PREFERRED: dict[frozenset[str], tuple[_Ranking, _Ranking]] = {}


def _activation(formats: tuple[str, ...] | None) -> tuple[Prefilter, _Ranking, Prefilter]:
    """The prefilter, the patterns per keyword in file order and the failure-only prefilter for these formats
    (all patterns when None)."""
    every = patterns_for(None)
    hit = _ACTIVATIONS.get(formats)
    if hit is not None and hit[0] is every:
        return hit[1:]
    groups: dict[str, list[Pattern]] = {}
    for p in patterns_for(formats):
        for k in p.keywords:
            groups.setdefault(k, []).append(p)
    ranking = _Ranking(list(groups.values()), {})
    built = (_prefilter(tuple(groups)), ranking, _prefilter(tuple(groups), ranking.failure))
    _ACTIVATIONS[formats] = (every, *built)
    return built


def _preferred(wanted: frozenset[str]) -> _Ranking:
    """Every pattern per keyword (format detection reads with all of them, see Scanner._detect), those of the
    `wanted` formats first, then file order."""
    base = _activation(None)[1]
    hit = _PREFERRED.get(wanted)
    if hit is not None and hit[0] is base:
        return hit[1]
    groups = base.by_keyword
    rank = {p.id: (0 if wanted.intersection(p.formats) else 1, _order(p)) for group in groups for p in group}
    preferred = _PREFERRED[wanted] = (base, _Ranking([sorted(group, key=lambda p: rank[p.id]) for group in groups], rank))
    return preferred[1]


_PREFILTERS: dict[tuple[tuple[str, ...], frozenset[int] | None], Prefilter] = {}


def _prefilter(keywords: tuple[str, ...], only: frozenset[int] | None = None) -> Prefilter:
    """One compiled prefilter per keyword set (or subset of it), built once per process."""
    pf = _PREFILTERS.get((keywords, only))
    if pf is None:
        pf = _PREFILTERS[keywords, only] = Prefilter(keywords, only)
    return pf


_ORDER: dict[str, int] = {}


def _order(p: Pattern) -> int:
    if not _ORDER:
        for i, q in enumerate(patterns_for(None)):
            _ORDER[q.id] = i
    return _ORDER[p.id]


def _long_lines(data: bytes) -> list[tuple[int, int]]:
    """(start, stop) of the lines longer than LONG_LINE bytes: such a line holds a whole aligned window of
    LONG_LINE // 2 bytes without a line end, so only windows are looked at."""
    out: list[tuple[int, int]] = []
    step, n, pos = LONG_LINE // 2, len(data), 0
    while pos + step <= n:
        if data.find(b"\n", pos, pos + step) < 0:
            start = data.rfind(b"\n", 0, pos) + 1
            stop = data.find(b"\n", pos + step)
            stop = n if stop < 0 else stop
            if stop - start > LONG_LINE:
                out.append((start, stop))
            pos = stop + 1
        else:
            pos += step
    return out


def _line_at(block: str, start: int) -> str:
    end = block.find("\n", start)
    return block[start : end if end >= 0 else len(block)].rstrip("\r")


def blocks_from_lines(lines: Iterable[str], size: int = 8192) -> Iterator[str]:
    """Group an iterable of lines (with or without line ends) into blocks of whole lines."""
    batch: list[str] = []
    for line in lines:
        batch.append(line[:-1] if line.endswith("\n") else line)
        if len(batch) >= size:
            yield "\n".join(batch)
            batch = []
    if batch:
        yield "\n".join(batch)


def blocks_from_text(text: str, size: int = CHUNK) -> Iterator[str]:
    """Cut a text into blocks that end on a line end, without copying the whole text line by line."""
    start = 0
    n = len(text)
    while start < n:
        end = min(start + size, n)
        if end < n:
            cut = text.rfind("\n", start, end)
            while cut > start + 1 and text[cut - 1] == "\n":
                cut -= 1  # cut before a run of empty lines: a block ending in an empty line would not count it
            end = cut if cut > start else text.find("\n", end)
            end = n if end < 0 else end
        yield text[start:end]
        start = end + 1


# Lines copied from a web page often carry no-break spaces (&nbsp;) or, from CJK pages, ideographic spaces where the
# daemon wrote plain ones, and a blog or forum engine turns the daemon's straight quotes into typographic ones
# (`"conn" #1:` becomes `“conn” #1:`): read them as the plain characters the daemon wrote.
_TYPOGRAPHIC = {"\u00a0": " ", "\u202f": " ", "\u3000": " ", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                "\u2033": '"', "\u2018": "'", "\u2019": "'"}
_TYPOGRAPHIC_BYTES = tuple((wide.encode(), plain.encode()) for wide, plain in _TYPOGRAPHIC.items())


def plain_chars(text: str) -> str:
    """The text with typographic quotes and wide spaces read as the plain characters the daemon wrote."""
    if text.isascii():
        return text
    for wide, plain in _TYPOGRAPHIC.items():
        if wide in text:
            text = text.replace(wide, plain)
    return text


# Lines copied from a web page's source (an archive's HTML, a ticket export) carry character references where the
# daemon wrote quotes and angle brackets: `"conn" #1:` becomes `&quot;conn&quot; #1:`. Only the references that stand
# for printable ASCII are read, never one for a line end, so the line numbers stay those of the paste.
_ENTITY_CHARS = {"quot": '"', "amp": "&", "lt": "<", "gt": ">", "apos": "'", "nbsp": " "}
_ENTITY = re.compile(r"&(?:(quot|amp|lt|gt|apos|nbsp)|#(\d{2,3})|#[xX]([0-9a-fA-F]{2}));")
_ENTITY_BYTES = re.compile(_ENTITY.pattern.encode())


def _entity_char(m: re.Match[str]) -> str:
    if m.group(1):
        return _ENTITY_CHARS[m.group(1)]
    code = int(m.group(2)) if m.group(2) else int(m.group(3), 16)
    return chr(code) if 32 <= code < 127 else m.group(0)


@lru_cache(maxsize=8192)
def shown(line: str) -> str:
    """The line as findings show it: secrets masked (before shortening, so a cut key is still seen), at most
    MAX_TEXT. Only lines that become findings pay for masking; repeated lines are masked once."""
    text = mask_secrets(line)
    return text if len(line) <= MAX_TEXT and len(text) <= MAX_TEXT else text[:MAX_TEXT] + " …"
