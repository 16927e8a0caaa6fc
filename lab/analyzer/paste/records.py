"""Lines exported as JSON records (one per line or pretty-printed) or as quoted CSV rows, read as the daemon's lines
inside them, one line for one (`unwrap_records`)."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime

from lab.analyzer.formats import AWS_RECORD_KEYS
from lab.analyzer.paste.wrapped import _TIMESTAMP_STARTS

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
