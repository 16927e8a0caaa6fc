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
`split_run_together` splits the lines of a log that a page or a chat ran together on one line (its line breaks lost)
at their timestamps. `unwrap_records` reads lines exported as JSON records (one per line or pretty-printed) or as
quoted CSV rows as the daemon's lines inside them, one line for one.
"""

from __future__ import annotations

from lab.analyzer.paste.prefixes import (
    PREFIX_KINDS,
    join_record_fields,
    join_table_cells,
    strip_line_prefixes,
    unquote_mail,
)
from lab.analyzer.paste.records import unwrap_csv_row, unwrap_record, unwrap_records
from lab.analyzer.paste.runs import split_run_together
from lab.analyzer.paste.wrapped import LOOSE_LIMIT, MAX_WIDTH, MIN_WIDTH, rejoin_wrapped

__all__ = [
    "LOOSE_LIMIT",
    "MAX_WIDTH",
    "MIN_WIDTH",
    "PREFIX_KINDS",
    "join_record_fields",
    "join_table_cells",
    "rejoin_wrapped",
    "split_run_together",
    "strip_line_prefixes",
    "unquote_mail",
    "unwrap_csv_row",
    "unwrap_record",
    "unwrap_records",
]
