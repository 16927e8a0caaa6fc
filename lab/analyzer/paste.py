"""Repairs of what copying a log through a mail, a mailing-list archive, a fixed-width page or a log platform's export
does to its lines.

A mail client wraps lines at 72 to 80 columns, an archive keeps the wrap, and a fixed-width page or terminal cuts
at its width, inside words: one pluto or charon line becomes two or three, and the part after the break no longer
starts like a log line, so neither part reads as the message the daemon wrote. `rejoin_wrapped` finds such breaks
from the paste's own shape (most lines start like log lines, and the word that starts a line that does not would not
have fit on the line before) and joins the parts back. The line after a join is left empty, so every line keeps its
number in the paste; `rejoin_wrapped(text, strict=False)` joins by the width alone, for a paste whose lines say
nothing about where one starts (the analyzer keeps that reading only where it makes a line readable).
`unquote_mail` leaves out the quote marks a mail reply puts before the lines it quotes, and `strip_line_prefixes` what
a viewer or a collector puts before every line (line numbers, list marks, a container runtime's or kubectl's prefix).
`unwrap_records` reads lines exported as JSON records (one per line or pretty-printed) or as quoted CSV rows as the
daemon's lines inside them, one line for one.
"""

from __future__ import annotations

import csv
import json
import re
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache

from lab.analyzer.formats import AWS_RECORD_KEYS
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
    re.compile(r'(\d{3} |\dv\d )?"[^"\s]{1,80}"'),  # pluto console: "conn" #1: / 002 "conn" #1: / 1v2 "conn" #1:
    re.compile(r"\d\d\[[A-Z]{2,4}\] "),  # charon thread and group
    re.compile(r"(packet from|\| |\d{3} #\d+: )"),  # pluto (and its status listing)
    re.compile(r"[A-Za-z][\w.-]*\[\d+\]: "),  # a syslog tag: daemon[pid]:
    re.compile(r"(ISAKMP|IKEv[12]|IPSEC|CRYPTO|IKE)[\w-]*: ?[(\w]"),  # Cisco debug: ISAKMP:(1003): / IKEv2-PROTO-4:
    re.compile(r"(charon|charon-systemd|pluto|racoon|ipsec|swanctl|iked|ikemgr|kmd|bgpd|bird6?|zebra)(\[\d+\])?: "),
    re.compile(r"%[A-Z][A-Z0-9_]*-\d"),  # Cisco %FACILITY-N-
    re.compile(r"(date=\d|logver=|itime=)"),  # FortiGate key=value (the rest of a wrapped line starts with another key)
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
    lines = text.split("\n")
    ends = ["\r" if line.endswith("\r") else "" for line in lines]
    body = [line[:-1] if end else line for line, end in zip(lines, ends, strict=True)]
    widths = [len(line.rstrip()) for line in body]
    # The wrap width: the longest line the wrapper could have broken (one word longer than the width stays whole).
    width = max((w for w, line in zip(widths, body, strict=True) if " " in line.strip()), default=0)
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
    if head.endswith(" ") and not head.endswith("  ") and not line[:1].isspace():
        return True  # a soft break of a format=flowed mail (RFC 3676 section 4.2: a line that ends in one space)
    if previous < width - _NEAR and len(first) < _NEAR:
        return False  # a short line was not broken, unless the word after it was too long to fit at all
    return previous + 1 + len(first) > width  # the word did not fit on the line before


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


# --- Log records exported as JSON ------------------------------------------------------------------------------------
# A log platform's export (Elasticsearch / OpenSearch, Loki, Graylog, Splunk, CloudWatch Logs Insights) and
# `journalctl -o json` write one JSON object per line, the daemon's line in one field and its time, host and program in
# others; the JSON escapes the daemon's quotes (`"conn" #1:` becomes `\"conn\" #1:`). `unwrap_records` reads such a
# line as the line the daemon wrote, with the record's time, host and program before it when the message has none.
# AWS's own VPN log records (tunnel and BGP logs) are JSON by design and are left as they are.

# (Not "msg": the daemons that log JSON themselves, GoBGP and MetalLB, put their message there beside fields of their
# own, the peer and the NOTIFICATION code, which their patterns read from the record as it is.)
_MESSAGE_KEYS = ("message", "MESSAGE", "log", "@message", "_raw", "Message", "rawMessage")
_TIME_KEYS = ("@timestamp", "timestamp", "time", "_time", "ts", "date", "eventTime", "@t")
_HOST_KEYS = ("host", "hostname", "_HOSTNAME", "HOSTNAME", "source_host", "logsource")
_PROGRAM_KEYS = ("SYSLOG_IDENTIFIER", "program", "appname", "app_name", "ident", "_COMM", "process_name")
_PID_KEYS = ("SYSLOG_PID", "_PID", "pid", "procid")
_AWS_RECORD = re.compile(AWS_RECORD_KEYS)


def _text(value: object) -> str:
    """A field's value as one line of text ("" for what is no text: a list; a number stays a number). The daemon's
    spacing is kept; only line ends inside the value become spaces (and those at its end go)."""
    if isinstance(value, dict):  # ECS: "host": {"name": ...}, "event": {"original": ...}
        value = value.get("name") or value.get("original") or value.get("hostname") or ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return str(value).rstrip("\r\n").replace("\r", " ").replace("\n", " ").strip("\t ")


def _first(record: dict[str, object], keys: tuple[str, ...]) -> str:
    """The text of the first of `keys` the record has a value for ("" when none)."""
    return next((text for key in keys if (text := _text(record.get(key)))), "")


def _timed(message: str) -> bool:
    """Whether a message starts with its own time (the daemon's, which wins over the record's)."""
    return any(start.match(message) for start in _TIMESTAMP_STARTS)


def _record_time(record: dict[str, object]) -> str:
    micros = record.get("__REALTIME_TIMESTAMP")  # journald: microseconds since the epoch, as a string
    if isinstance(micros, str) and micros.isdigit():
        return datetime.fromtimestamp(int(micros) / 1_000_000, tz=UTC).isoformat(timespec="microseconds")
    return _first(record, _TIME_KEYS)


def unwrap_record(line: str) -> str | None:
    """The daemon's line inside one exported JSON record, or None when the line is no such record."""
    stripped = line.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")) or _AWS_RECORD.search(stripped):
        return None
    try:
        record = json.loads(stripped)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    message = _first(record, _MESSAGE_KEYS) or (_text(record["event"]) if isinstance(record.get("event"), dict) else "")
    if not message:
        return None
    if _AWS_RECORD.search(message) or _timed(message):
        return message  # (AWS's record inside an export, or a line that carries its own time: the daemon's time)
    head = [_record_time(record), _first(record, _HOST_KEYS)]
    program, pid = _first(record, _PROGRAM_KEYS), _first(record, _PID_KEYS)
    if program:
        head.append(f"{program}[{pid}]:" if pid else f"{program}:")
    return " ".join([*filter(None, head), message])


# The lines that may be such a record: a JSON object alone on its line, and not AWS's (found in one pass of the block,
# so a log of AWS records costs no line-by-line work).
_CANDIDATE = re.compile(r"^[ \t]*\{(?!.*" + AWS_RECORD_KEYS + r").*\}[ \t\r]*$", re.MULTILINE)


_HEAD = 1 << 16  # characters

# A CSV export (Splunk's `_time,host,_raw`, a SIEM's or a firewall GUI's "Export to CSV") quotes each field and doubles
# the quotes inside it (`"conn" #1:` becomes `""conn"" #1:`): such a row reads as its message field (the longest),
# after the short fields before it (time, host) unless the message carries its own time.
_CSV_ROW = re.compile(r'^[ \t]*"[^\n]*"[ \t\r]*$', re.MULTILINE)


_TIME_REST = re.compile(r"[\d:.,+\-TZ ]*(?:[A-Z]{2,5})?\s*")  # seconds, fractions, a zone after a time's start


def _bare_time(field: str) -> bool:
    """Whether a field holds a time and nothing else."""
    text = field.strip()
    return any((m := start.match(text)) is not None and _TIME_REST.fullmatch(text, m.end()) is not None
               for start in _TIMESTAMP_STARTS)


def unwrap_csv_row(line: str) -> str | None:
    """The daemon's line inside one quoted CSV row, or None when the line is no such row."""
    try:
        fields = next(csv.reader([line.strip()]))
    except (csv.Error, StopIteration):
        return None
    if len(fields) < 2:
        return None
    # (a short message may be shorter than the row's time field: the time is never the message)
    at = max([i for i in range(len(fields)) if not _bare_time(fields[i])] or range(len(fields)),
             key=lambda i: len(fields[i]))
    message = _text(fields[at])
    if not message:
        return None
    if _timed(message):
        return message
    head = [_text(f) for f in fields[:at] if 0 < len(f) <= 40]
    return " ".join([*head, message])


def _unwrap_csv(row: str) -> str | None:
    return unwrap_csv_row(row) if '","' in row and '""' in row else None


def _replaced(block: str, lines: re.Pattern[str], unwrap: Callable[[str], str | None]) -> tuple[str, int]:
    """The block with each line `lines` finds replaced by what `unwrap` makes of it (None: left as it is)."""
    parts, done, count = [], 0, 0
    for m in lines.finditer(block):
        if (inner := unwrap(m.group())) is not None:
            parts += [block[done:m.start()], inner]
            done, count = m.end(), count + 1
    return ("".join(parts) + block[done:], count) if count else (block, 0)


# A record shown pretty-printed (a log platform's document view, a JSON array export): one field per line, the
# daemon's line in `"message": "..."`.
_PRETTY_FIELD = re.compile(
    r'^[ \t]*"(?:' + "|".join(re.escape(k) for k in _MESSAGE_KEYS) + r')"[ \t]*:[ \t]*("(?:[^"\\\n]|\\.)*")[ \t]*,?[ \t\r]*$',
    re.MULTILINE,
)


def _pretty_field(line: str) -> str | None:
    m = _PRETTY_FIELD.match(line)
    if m is None:
        return None
    try:
        value = json.loads(m.group(1))
    except ValueError:
        return None
    return _text(value) or None  # (AWS's own record inside, as `aws logs filter-log-events` prints it: that record)


# Mail quote marks at the start of a line ("> ", "> > ", ">>"): a log quoted in a reply on a mailing list.
_QUOTE_MARKS = re.compile(r"^[ \t]*>(?:[ \t]?>)*[ \t]?", re.MULTILINE)


def unquote_mail(block: str) -> tuple[str, int]:
    """The block without the quote marks a mail reply puts before each line it quotes, and on how many lines there
    were some. A log line does not start with ">", so a line that does is a quoted one."""
    if not (block.lstrip(" \t").startswith(">") or "\n>" in block or "\n >" in block or "\n\t>" in block):
        return block, 0  # (">" inside lines, "=>" and "->", is common: only a line starting with one is looked at)
    out, quoted = _QUOTE_MARKS.subn("", block)
    return (out, quoted) if quoted else (block, 0)


# What a viewer or a collector puts before every line of a log, no part of it (tried in order, on every line):
# - a container runtime's CRI prefix (/var/log/pods/..., `crictl logs` of a file): time, stream, F for a full line or
#   P for the part of a long one the next line goes on with; the time is kept, as a timestamp before the line;
# - `kubectl logs --prefix` and `docker compose logs`: the pod or service (one only: two would be two logs);
# - numbers an editor, `cat -n` or a forum's code view puts before each line (counted up one by one: pluto's whack
#   codes, "002 ", repeat, and a table's rows that start with an address do not count up);
# - list marks ("- ", "* ", "• ") a post puts before each line.
_CRI = re.compile(r"(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (?:stdout|stderr) "
                  r"(?P<tag>[FP]) ?")
_KUBECTL = re.compile(r"\[(?P<who>(?:pod|deployment|daemonset|statefulset|job)/[^\]\s]+)\] ")
_COMPOSE = re.compile(r"(?P<who>[A-Za-z][\w.-]{0,62}) +\| ")
_NUMBER = re.compile(r"[ \t]*(?P<no>\d{1,6})(?:[ \t]*[:|)][ \t]?|\.?[ \t]+|\.?$)")
_BULLET = re.compile(r"[ \t]*[-*\u2022][ \t]+")
PREFIX_KINDS = ("cri", "kubectl", "compose", "numbers", "bullets")
# A row of a text table drawn with "|" (calicoctl node status, a pasted Markdown table): "| a | b | c |".
_TABLE_ROW = re.compile(r"^[ \t]*\|(?:[^|\n]*\|){2,}[ \t\r]*$")


def _cells(row: str) -> list[str]:
    return row.strip().strip("|").split("|")


def join_table_cells(text: str) -> tuple[str, int]:
    """The text with the rows of a "|" table that wrap a long cell onto the next row joined back, and how many
    continuation rows were joined (0: the text is returned as is). calicoctl node status prints
    "| 10.2.7.202 | node-to-node mesh | start | 02:04:22 | Active Socket: Connection |" and, below it, a row whose
    other cells are empty: "|            |                   |       |          | closed                      |".
    The continuation row is left empty, so every other line keeps its number."""
    if "|" not in text:
        return text, 0
    lines = text.split("\n")
    joined = 0
    head: int | None = None
    for i, line in enumerate(lines):
        if not _TABLE_ROW.match(line):
            head = None
            continue
        cells = _cells(line)
        if head is not None and not cells[0].strip() and any(c.strip() for c in cells) and len(cells) == len(
                head_cells := _cells(lines[head])):
            merged = [f"{h.rstrip()} {c.strip()}" if c.strip() else h for h, c in zip(head_cells, cells, strict=True)]
            indent = lines[head][: len(lines[head]) - len(lines[head].lstrip())]
            lines[head] = indent + "|" + "|".join(merged) + "|"
            lines[i] = ""
            joined += 1
        elif cells[0].strip():
            head = i
    return ("\n".join(lines), joined) if joined else (text, 0)


_MIN_PREFIXED = 2  # lines: one line with a mark before it is a line, not a list


def strip_line_prefixes(block: str) -> tuple[str, str | None]:
    """The block without the prefix a viewer or a collector put before every line (see `PREFIX_KINDS`), and which
    kind it was (None when the lines carry none). Every line that is not empty must carry it; the lines keep their
    numbers (a CRI line's parts are joined, the line after a join left empty)."""
    lines = block.split("\n")
    full = [i for i, line in enumerate(lines) if line.strip()]
    if len(full) < _MIN_PREFIXED:
        return block, None
    if all(lines[i][:1] in (" ", "\t") for i in full):  # a post's code block indents every line: no log does
        block = textwrap.dedent(block)
        lines = block.split("\n")
    first = lines[full[0]]
    if _CRI.match(first) and all(_CRI.match(lines[i]) for i in full):
        return _strip_cri(lines, full), "cri"
    for rx, kind in ((_KUBECTL, "kubectl"), (_COMPOSE, "compose")):
        if (m := rx.match(first)) and all((o := rx.match(lines[i])) and o["who"] == m["who"] for i in full):
            return "\n".join(rx.sub("", line, count=1) for line in lines), kind
    if (m := _NUMBER.match(first)) and len(full) > _MIN_PREFIXED:
        numbered = [_NUMBER.match(line) for line in lines]
        start = int(m["no"]) - full[0]
        if all(n is not None and int(n["no"]) == start + i for i, n in enumerate(numbered) if n or lines[i].strip()):
            return "\n".join(line[n.end():] if n else line for line, n in zip(lines, numbered, strict=True)), "numbers"
    if _BULLET.match(first) and all(_BULLET.match(lines[i]) for i in full):
        return "\n".join(_BULLET.sub("", line, count=1) for line in lines), "bullets"
    return block, None


def _strip_cri(lines: list[str], full: list[int]) -> str:
    out = list(lines)
    going_on: int | None = None  # the line a P part began
    for i in full:
        m = _CRI.match(lines[i])
        assert m is not None
        rest = lines[i][m.end():]
        if going_on is None:
            out[i] = f"{m['time']} {rest}"
        else:
            out[going_on] += rest
            out[i] = ""
        going_on = (going_on if going_on is not None else i) if m["tag"] == "P" else None
    return "\n".join(out)


def unwrap_records(block: str) -> tuple[str, int]:
    """The block with every exported JSON record or quoted CSV row read as the daemon's line (one line for one, so
    line numbers stay), and how many were."""
    # (An export holds records of one shape: its first lines tell whether any carries a message field.)
    head = block[:_HEAD]
    if '""' in head and '","' in head and (csv_rows := _replaced(block, _CSV_ROW, _unwrap_csv))[1]:
        return csv_rows
    if not any(f'"{key}"' in head for key in _MESSAGE_KEYS):
        return block, 0
    if ('{"' in head or "{ \"" in head) and (records := _replaced(block, _CANDIDATE, unwrap_record))[1]:
        return records
    return _replaced(block, _PRETTY_FIELD, _pretty_field)
