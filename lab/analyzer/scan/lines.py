"""One line: its format and the event it makes, a login or a command rather than a tunnel's message, masked
addresses, typographic characters and entities, and the text shown of it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache

from lab.analyzer import protocol as proto
from lab.analyzer.patterns import Pattern, patterns_for
from lab.analyzer.prefilter import Prefilter
from lab.masking import mask_secrets

# Event kinds that can name a cause on their own (kept from the middle of a long log), and the context
# a failure is read against (the exchange in progress, proposals, SA state).
FAILURE_EVENTS = frozenset(
    {"notify", "no_proposal", "auth_failed", "ts_unacceptable", "give_up", "dpd_dead", "delete", "rekey_collision",
     "rekey_failed", "bgp_down", "ike_mode_mismatch", "ike_version_mismatch", "ipsec_mode_mismatch",
     "nat_t_or_fragmentation", "cgw_not_initiating", "ike_ignored",
     "kernel_error", "kernel_refused"}
)
# (line number, the pattern that matched, the line, its match when the line is kept whole) - parsed when kept
Raw = tuple[int, Pattern, str, "re.Match[str] | None"]
MAX_TEXT = 2000  # characters of a line kept in a finding
LONG_LINE = 65536
CHUNK = 1 << 22  # characters read at a time in stream mode
_CHECK = 32  # bytes at each end of a block compared when it is read again
_PAYLOAD_NOTIFY = re.compile(r"N\((\w+)\)")
_SENT = {
    "sent", "send", "sending", "sends", "to", "generating", "outbound", "out", "initiator", "tx", "local",
    "is sending", "sent to",
}
_RECEIVED = {
    "received", "receive", "receiving", "recv", "from", "parsed", "inbound", "in", "rx", "remote", "peer",
    "processed", "processing", "processing decrypted", "rcv'd", "rcvd", "received from",
}


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
    if notify == "INVALID_KE_PAYLOAD" and exchange in proto.IKEV1_EXCHANGES:
        # notify type 17 is IKEv2's INVALID_KE_PAYLOAD and IKEv1's INVALID-KEY-INFORMATION (RFC 2408 section
        # 3.14.1); charon prints the short name INVAL_KE for both (notify_payload.c)
        notify = "INVALID_KEY_INFORMATION"
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
# (`"conn" #1:` becomes `“conn” #1:`): read them as the plain characters the daemon wrote. WordPress's wptexturize
# (wp-includes/formatting.php) also makes a closing quote after a digit a prime (`'192.0.2.1'` becomes
# `‘192.0.2.1′`) and hyphens dashes: a lone ` - ` an en dash, `--` an en dash (`ipsec auto --up` becomes
# `ipsec auto –up`), ` -- ` and `---` an em dash, and `...` an ellipsis (`192.0.2.1…198.51.100.1`). (Replaced in this
# order: a spaced en dash before a bare one.)
# A page's zero-width spaces and joiners (U+200B-U+200D, U+2060, U+FEFF) are invisible in the copy.
_TYPOGRAPHIC = {"\u00a0": " ", "\u202f": " ", "\u3000": " ", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                "\u2033": '"', "\u2018": "'", "\u2019": "'", "\u2032": "'", " \u2013 ": " - ", "\u2013": "--",
                "\u2014": "--", "\u2026": "...",
                "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": ""}
_TYPOGRAPHIC_BYTES = tuple((wide.encode(), plain.encode()) for wide, plain in _TYPOGRAPHIC.items())


# A log saved from a terminal or a container (`docker logs` of a container run with a TTY, `script`, a daemon that
# colours its levels when it writes to a terminal, as logrus and zap do) keeps the terminal's escape sequences
# (ECMA-48): colours and cursor moves (CSI, `ESC [ 32 m`), window titles and links (OSC, ended by BEL or `ESC \`),
# character-set choices (`ESC ( B`, which `tput sgr0` writes) and two-character escapes (`ESC 7`, `ESC M`). They are
# not part of what the daemon said.
_ESCAPE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b\n]*(?:\x07|\x1b\\)?|[ -/]+[0-~]|[0-~])")
_ESCAPE_BYTES = re.compile(_ESCAPE.pattern.encode())


def plain_chars(text: str) -> str:
    """The text with typographic quotes and wide spaces read as the plain characters the daemon wrote, and without
    a terminal's escape sequences."""
    if "\x1b" in text:
        text = _ESCAPE.sub("", text)
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
