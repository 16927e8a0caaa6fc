"""Lines a mail, an archive, a fixed-width page or a terminal wrapped, joined back from the paste's own shape
(`rejoin_wrapped`)."""

from __future__ import annotations

import os
import re
from functools import lru_cache

from lab.analyzer.patterns import load_patterns

# How a log line starts: timestamps first (a line of another kind may follow them), then daemon prefixes.
_TIMESTAMP_STARTS = (
    re.compile(r"\w{3} +\d{1,2} \d\d:\d\d:\d\d"),  # syslog
    re.compile(r"\d{4}[-/.]\d\d[-/.]\d\d[T ]?\d\d:\d\d"),  # ISO 8601, journalctl -o short-iso, 2024/03/05 10:00
    re.compile(r"\d\d[-/.]\d\d[-/.]\d{2,4}[ ,]+\d\d:\d\d"),  # 05/03/2024 10:00
    re.compile(r"\[?\d\d:\d\d:\d\d"),  # time only
    re.compile(r"<\d{1,3}>"),  # syslog priority (RFC 3164/5424)
    re.compile(r"\[\d{4}-\d\d-\d\d|\[\w{3} \w{3} +\d"),  # bracketed date
    re.compile(r"\*?\w{3} +\d{1,2} (\d{4} )?\d\d:\d\d:\d\d"),  # Cisco "*Mar  1 00:01:02"
    re.compile(r'time="?\d{4}-\d\d-\d\d'),  # Go's logrus and slog text lines (GoBGP, MetalLB, kube-router, Cilium)
)
_DAEMON_STARTS = (
    # pluto console: "conn" #1: / 002 "conn" #1: / 1v2 "conn" #1: / "conn"[2] 192.0.2.7 #3: / "conn":, and a quoted CSV
    # row: "2024-12-02T09:00:00.000+0000","gw01",... (not a quoted value a terminal's cut put first: "outbound" role=)
    re.compile(r'(\d{3} |\dv\d )?"[^"\s]{1,80}"(?:\[\d+\]|:| #\d|/|,)'),
    re.compile(r"\d\d\[[A-Z]{2,4}\] "),  # charon thread and group
    re.compile(r"(packet from|\| |\d{3} #\d+: )"),  # pluto (and its status listing)
    re.compile(r"[A-Za-z][\w.-]*\[\d+\]: "),  # a syslog tag: daemon[pid]:
    re.compile(r"(ISAKMP|IKEv[12]|IPSEC|CRYPTO|IKE)[\w-]*: ?[(\w]"),  # Cisco debug: ISAKMP:(1003): / IKEv2-PROTO-4:
    re.compile(r"(charon|charon-systemd|pluto|racoon|ipsec|swanctl|iked|ikemgr|kmd|bgpd|bird6?|zebra)(\[\d+\])?: "),
    re.compile(r"%[A-Z][A-Z0-9_]*-\d"),  # Cisco %FACILITY-N-
    re.compile(r"(date=\d|logver=|itime=)"),  # FortiGate key=value (the rest of a wrapped line starts with another key)
    re.compile(r"ike (?:V=[\w-]+:)?\d*:"),  # FortiOS `diagnose debug application ike`: ike V=root:0:gw:12: / ike 0:gw:
)
_STARTS = _TIMESTAMP_STARTS + _DAEMON_STARTS
# A Markdown code fence around a pasted log (a GitHub issue, a forum post): no line of the log, and no line a wrap
# could have broken, so it counts as an empty line does.
_FENCE = re.compile(r"\s*(?:```|~~~)[\w+-]*\s*$")
# Widths a mail, an archive or a terminal wraps at lie between these. A log whose longest line is wider was not wrapped.
MIN_WIDTH, MAX_WIDTH = 60, 160
# A long line ends within this many columns of the width (a wrapper breaks at the last space that fits).
_NEAR = 25
_LIMIT = 2_000_000  # characters: a paste that size was not typed into a mail
LOOSE_LIMIT = 200_000  # characters: a paste read a second time with loose joins (a mail's excerpt is far smaller)


def _start(line: str) -> int | None:
    """Which kind of start the line has (an index into _STARTS), or None."""
    stripped = line.lstrip("> \t")  # a quoted mail keeps its log lines after "> "
    for i, pattern in enumerate(_STARTS):
        if pattern.match(stripped):
            return i
    return None


def rejoin_wrapped(text: str, strict: bool = True) -> tuple[str, int]:
    """The text with wrapped lines joined back, and how many breaks were joined (0: the text is returned as is).

    `strict=False` joins every line that the width says a wrap broke, also where nothing tells where a log line starts
    (a daemon's output without time stamps or prefixes, a line or two of a mail): such a reading is only worth
    keeping where it reads a cause the text as pasted does not show (see `lab.analyzer.analyze_text`)."""
    if len(text) > (_LIMIT if strict else LOOSE_LIMIT) or "\n" not in text:
        return text, 0
    if (records := _rejoin_json_records(text))[1]:
        return records
    lines = text.split("\n")
    ends = ["\r" if line.endswith("\r") else "" for line in lines]
    body = [line[:-1] if end else line for line, end in zip(lines, ends, strict=True)]
    widths = [len(line.rstrip()) for line in body]
    # The wrap width: the longest line the wrapper could have broken (one word longer than the width stays whole).
    width = max((w for w, line in zip(widths, body, strict=True) if " " in line.strip()), default=0)
    if not strict and _NEAR < width < MIN_WIDTH:
        # Every line ends before the narrowest width a mail wraps at: the line a wrap broke may be the longest one,
        # and the width at least that narrowest one (a line of 58 columns whose next word has 21 was broken at 76)
        width = MIN_WIDTH
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return text, 0
    kinds = [-1 if not line.strip() or _FENCE.match(line) else _start(line) for line in body]
    candidates = [i for i in range(1, len(body)) if _continues(body, widths, kinds, i, width)
                  and (strict or _shape(body[i]) != _shape(body[i - 1]))]
    if not candidates:
        return text, 0
    unshaped = sum(1 for k in kinds if k is None)  # non-empty lines that do not start like a log line
    lines_proper = sum(1 for k in kinds if k != -1) - len(candidates)
    if strict and (unshaped - len(candidates) > 0.5 * lines_proper or len(candidates) < 0.6 * unshaped):
        # Most lines do not start like log lines (nothing says where one starts), or most lines that do not are no
        # rest of a full line before them: the paste was not wrapped.
        return text, 0
    if len(candidates) == 1 and strict:
        # One break only: a remark after a full line looks the same, unless the break cuts a word or an address.
        i = candidates[0]
        head, rest = body[i - 1], body[i]
        if _glued(head, rest, hard=len(head) == width) != head + rest.lstrip():
            return text, 0
    joined = set(candidates)
    # A terminal or a fixed-width page cuts every long line at exactly its width, wherever the cut falls; a mail breaks
    # at the last space that fits, so its broken lines end at different columns.
    # Lines of one shape (the same daemon's prefix) can also all end at the width after a mail's wrap: a terminal's
    # cuts show themselves where one falls on a space (kept at the start of the rest, or at the end of the line) or
    # inside a word, an address or a number.
    terminal = (
        len(candidates) >= 2
        and all(len(body[i - 1]) == width for i in candidates)
        and _any_cut_shows(body, candidates)
    )
    out = list(body)  # out[i] is line i: a joined line's text moves to the line it continues, and it stays empty
    head = 0
    for i in range(len(body)):
        if i in joined:
            out[head] = _glued(out[head], body[i], hard=len(body[i - 1]) == width, terminal=terminal)
            out[i] = "" if i < len(body) - 1 else " "  # (a last line left empty would not count as a line)
        else:
            head = i
    return "\n".join(line + end for line, end in zip(out, ends, strict=True)), len(joined)


_SHAPE_CHARS = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "A" * 26 + "a" * 26 + "9" * 10)
_SHAPE_RUNS = re.compile(r"([Aa9])\1+")


def _shape(line: str) -> str:
    """The shape of a line's first word ("10.0.255.1" and "172.20.33.99" are both "9.9.9.9", "received" and
    "configured" both "a"): the rows of a table or a list start alike, the rest of a broken line seldom like the line
    it belongs to. Used where nothing else tells where a line starts."""
    words = line.lstrip("> \t").split(None, 1)
    if not words:
        return ""
    first = words[0].translate(_SHAPE_CHARS)
    return _SHAPE_RUNS.sub(r"\1", first)


def _continues(body: list[str], widths: list[int], kinds: list[int | None], i: int, width: int) -> bool:
    """Whether line i is the rest of line i - 1, broken by a wrap."""
    line = body[i]
    if kinds[i] is not None or not line.strip() or not body[i - 1].strip():
        return False
    previous = widths[i - 1]
    words = (line.lstrip("> \t") if line.lstrip().startswith(">") else line).split(None, 1)  # (a quoted mail's "> ")
    if not words:
        return False
    first = words[0]
    head = body[i - 1]
    if first.startswith("{") and head.rstrip().endswith("}"):
        return False  # a JSON record after a whole one (a record's text has too few spaces for its width to tell)
    if len(words) == 1 and len(head.split()) == 1 and _rows_alike(head.strip(), first):
        # Two rows of one word each that start alike: a listing one item a line (pluto's `whack --globalstatus`
        # counters "total.ikev2.sent.notifies.error.TS_UNACCEPTABLE=0", a list of addresses), not a word that did
        # not fit after the one before
        return False
    if head.endswith(" ") and not head.endswith("  ") and not line[:1].isspace():
        return True  # a soft break of a format=flowed mail (RFC 3676 section 4.2: a line that ends in one space)
    if previous < width - _NEAR and len(first) < _NEAR:
        return False  # a short line was not broken, unless the word after it was too long to fit at all
    return previous + 1 + len(first) > width  # the word did not fit on the line before


_SEPARATOR = re.compile(r"[._=:/-]")
_ROW_KEY_MIN = 8  # characters: a shorter common start ("10.", "net-") is no listing's key


def _rows_alike(head: str, line: str) -> bool:
    """Whether two one-word lines are rows of one listing: the same shape ("10.0.255.1", "172.20.33.99"), or the same
    key up to a separator ("total.ikev2.sent.notifies.error." in "...error.INVALID_SPI=0" and
    "...error.NO_PROPOSAL_CHOSEN=0"). The parts a wrap breaks a long word into share neither."""
    if _shape(head) == _shape(line):
        return True
    common = os.path.commonprefix([head, line])
    cut = max((m.end() for m in _SEPARATOR.finditer(common)), default=0)
    return cut >= _ROW_KEY_MIN


_INSIDE = re.compile(r"(?:\d\.|[/_])$")  # a line that ends inside an address, a path or a NAME_LIKE_THIS
_WORD = re.compile(r"[A-Za-z]{3,}")
_LETTERS_END = re.compile(r"[A-Za-z]+$")
_LETTERS_START = re.compile(r"[A-Za-z]+")


_CUTS_LOOKED_AT = 200  # breaks enough to tell a terminal's cuts from a mail's; a long paste is not read more often


def _any_cut_shows(body: list[str], candidates: list[int]) -> bool:
    """Whether one of the first breaks is a terminal's cut (see `_cut_shows`). The paste's own words are collected
    once, and only when a break needs them."""
    vocabulary: set[str] | None = None
    for i in candidates[:_CUTS_LOOKED_AT]:
        head, rest = body[i - 1], body[i]
        shown = _cut_shows(head, rest)
        if shown is None:  # two parts of letters: is their whole a word the paste holds elsewhere?
            if vocabulary is None:
                vocabulary = {w.lower() for line in body for w in _WORD.findall(line)}
            a, b = _LETTERS_END.search(head), _LETTERS_START.match(rest.lstrip())
            whole = (a.group(0) + b.group(0)).lower() if a and b else ""
            shown = len(whole) > 4 and whole in vocabulary
        if shown:
            return True
    return False


def _cut_shows(head: str, rest: str) -> bool | None:
    """Whether this break is a terminal's cut, not a mail's: it falls on a space (kept at the start of the rest or the
    end of the line), or inside an address, a number or a word the daemons write. None: it parts two runs of letters,
    which only a word the paste holds whole can tell (`_any_cut_shows`)."""
    if rest[:1].isspace() or head != head.rstrip():
        return True
    nxt = rest.lstrip()
    if (_INSIDE.search(head) and nxt[:1].isalnum()) or (head[-1:].isalnum() and nxt[:1] in ("_", ".", ":", "/")):
        return True
    if _glued(head, rest, hard=True) == head + nxt:
        return True
    if _LETTERS_END.search(head) and _LETTERS_START.match(nxt):
        return None
    return False


_TOKEN_END = re.compile(r"[\w.:/=(\[{-]+$")
_TOKEN_START = re.compile(r"^[\w.:,;)\]}/=-]+")
_JOINS_TOKENS = re.compile(r"^[.:,;)\]}=]|[(\[{=]$")


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    """Words the daemons write (from the pattern catalogue's regexes, keywords and explanations), to tell a word cut
    in two."""
    text = " ".join(f"{p.regex.pattern} {' '.join(p.keywords)} {p.explanation}" for p in load_patterns())
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z]{3,}", text))


def _glued(head: str, rest: str, hard: bool, terminal: bool = False) -> str:
    """`head` and its continuation `rest` as one line. A mail breaks at a space and drops it: put one back. A
    terminal or a fixed-width page cuts at its exact width, inside a word or an address (`mes` / `sage`, `4` / `500`,
    `209.97` / `.151.23`): join those parts without a space. When every break of the paste is such a cut (`terminal`),
    a space is put back only where the cut fell on one (the rest starts with it, or the line before ends with it)."""
    if terminal and hard and not head.lstrip().startswith(">"):
        if rest[:1].isspace() or head != head.rstrip():
            return head.rstrip() + " " + rest.lstrip()
        return head + rest
    # A quoted mail ("> ") quotes the rest of a wrapped line too: the quote marks are no part of the line.
    rest = rest.lstrip("> \t") if head.lstrip().startswith(">") else rest.lstrip()
    if hard and head == head.rstrip():
        end, start = _TOKEN_END.search(head), _TOKEN_START.match(rest)
        if end and start:
            a, b = end.group(0), start.group(0)
            if _JOINS_TOKENS.search(b[:1] + a[-1:]) or (a[-1:].isdigit() and b[:1].isdigit()):
                return head + rest
            if a.isalpha() and b.isalpha():
                words = _words()
                if (a + b).lower() in words and not (a.lower() in words and b.lower() in words):
                    return head + rest
    return head.rstrip() + " " + rest


# A JSON record a wrap broke: a line that opens one ({"level":"info","msg":"Peer 192.0.2.1 is) and leaves it open, and the
# lines after it that close it (added","time":"..."}). Its braces tell where it ends, also where the record's long
# tokens (no spaces to break at) leave nothing for the width to tell.
_JSON_OPEN = re.compile(r'[ \t]*(?:> ?)*\{"')
_RECORD_LINES = 12  # lines one record may be broken into


def _json_open(text: str, depth: int = 0, in_string: bool = False) -> tuple[int, bool]:
    """The brackets a JSON text leaves open after `text` (from `depth` and `in_string` before it)."""
    escaped = False
    for ch in text:
        if escaped:
            escaped = False
        elif in_string:
            if ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
    return depth, in_string


def _rejoin_json_records(text: str) -> tuple[str, int]:
    """The text with each JSON record a wrap broke joined back on its first line (the lines it took left empty), and
    how many breaks were joined."""
    if '{"' not in text:
        return text, 0
    lines = text.split("\n")
    body = [line[:-1] if line.endswith("\r") else line for line in lines]
    width = max(len(line.rstrip()) for line in body)
    records: list[tuple[int, list[int]]] = []  # (a record's first line, the lines its rest was broken into)
    i = 0
    while i < len(body):
        line = body[i].rstrip()
        if not _JSON_OPEN.match(line) or line.endswith("}"):
            i += 1
            continue
        depth, in_string = _json_open(line)
        parts: list[int] = []
        j = i + 1
        while depth > 0 and j < len(body) and len(parts) < _RECORD_LINES:
            nxt = body[j]
            if not nxt.strip() or _JSON_OPEN.match(nxt) or _start(nxt) is not None:
                break
            depth, in_string = _json_open(nxt, depth, in_string)
            parts.append(j)
            j += 1
        if depth != 0 or in_string or not parts:
            i += 1
            continue
        records.append((i, parts))
        i = j
    # A terminal cuts every broken line at its width, a mail at a space it drops (see rejoin_wrapped).
    cuts = [k for _, parts in records for k in parts]
    terminal = len(cuts) >= 2 and all(len(body[k - 1]) == width for k in cuts)
    for i, parts in records:
        whole = body[i]
        for k in parts:
            whole = _glued(whole, body[k], hard=len(body[k - 1]) == width, terminal=terminal)
            # (a last line left empty would not count as a line)
            lines[k] = ("\r" if lines[k].endswith("\r") else "") if k < len(lines) - 1 else " "
        lines[i] = whole + ("\r" if lines[i].endswith("\r") else "")
    return ("\n".join(lines), len(cuts)) if cuts else (text, 0)
