"""What a mail reply, a viewer or a collector puts before or around every line of a log: quote marks
(`unquote_mail`), line numbers, list marks, a container runtime's, kubectl's or docker compose's prefix
(`strip_line_prefixes`), and a status table's long cells carried onto the next row (`join_table_cells`)."""

from __future__ import annotations

import re
import textwrap

from lab.analyzer.paste.wrapped import _start

# Mail quote marks at the start of a line ("> ", "> > ", ">>"): a log quoted in a reply on a mailing list.
# (with a space or a tab after them, or alone on their line; or glued to the line's text, as some clients write them)
_QUOTE_MARKS = re.compile(r"^[ \t]*>(?:[ \t]?>)*(?:[ \t]|(?=\r?$)|(?P<glued>(?=[^\s>])))", re.MULTILINE)


def unquote_mail(block: str) -> tuple[str, int]:
    """The block without the quote marks a mail reply puts before each line it quotes, and on how many lines there
    were some. A log line does not start with ">", so a line that does is a quoted one, unless the ">" is glued to
    what is no log line's start: the rest of a line a terminal cut right after the "=" of charon's or pluto's "=>"
    ("{ESPinUDP=" / ">0xaca6680e <0xc2f360be ...")."""
    if not (block.lstrip(" \t").startswith(">") or "\n>" in block or "\n >" in block or "\n\t>" in block):
        return block, 0  # (">" inside lines, "=>" and "->", is common: only a line starting with one is looked at)
    quoted = 0

    def unquoted(m: re.Match[str]) -> str:
        nonlocal quoted
        if m.group("glued") is not None:
            end = block.find("\n", m.end())
            if _start(block[m.end():end if end >= 0 else None]) is None:
                return m.group()  # (">" glued to the rest of a cut line)
        quoted += 1
        return ""

    out = _QUOTE_MARKS.sub(unquoted, block)
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


# PAN-OS routed.log (the legacy routing engine): a record starts with its source file, line and time ("qbnmmsg.c 1466
# :at 18:04:41, 17 February 2022 (1392686 ms)"), then its message ("A NOTIFICATION message has been received from a
# neighbor."), then a field a line ("Remote address = 10.249.246.49", "Error code = Cease (6)").
_RECORD_HEADER = re.compile(r"\s*qbnm\w*\.c \d+ :at \d")
_RECORD_FIELD = re.compile(r"\s*[A-Za-z][A-Za-z0-9 /()_-]{0,40}? = \S")


def join_record_fields(text: str) -> tuple[str, int]:
    """The text with each field line of a PAN-OS routed.log record joined to the record's message line ("; " between
    them), and how many field lines were joined (0: the text is returned as is). The field lines are left empty, so
    every line keeps its number."""
    if "qbnm" not in text:
        return text, 0
    lines = text.split("\n")
    joined = 0
    i = 0
    while i < len(lines):
        if not _RECORD_HEADER.match(lines[i]) or i + 1 >= len(lines) or not lines[i + 1].strip():
            i += 1
            continue
        message = i + 1
        j = message + 1
        while j < len(lines) and _RECORD_FIELD.match(lines[j]) and not _RECORD_HEADER.match(lines[j]):
            lines[message] = f"{lines[message].rstrip()}; {lines[j].strip()}"
            lines[j] = ""
            joined += 1
            j += 1
        i = j
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
