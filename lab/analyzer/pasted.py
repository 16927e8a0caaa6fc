"""Pasted text: what a mail, a terminal, a table, a container runtime or a page did to the lines (quote marks, line
prefixes, wrapped lines, long cells carried onto the next row, lines run together) undone before the lines are read,
with a note saying so."""

from __future__ import annotations

from lab.analyzer import formats as fmts
from lab.analyzer.model import Analysis, Primary
from lab.analyzer.paste import (
    join_record_fields,
    join_table_cells,
    rejoin_wrapped,
    split_run_together,
    strip_line_prefixes,
    unquote_mail,
)
from lab.analyzer.patterns import by_id, listing_rows
from lab.analyzer.result import _finish
from lab.analyzer.scan import Scanner, blocks_from_text, plain_chars
from lab.errors import InputError
from lab.i18n import M, Mn, Msg, Seq

LOOSE_JOINS_TO_OVERRIDE = 3  # a paste's loose joins that make a cause read from broken parts give way to whole lines


def analyze_text(text: str, fmt: str = "auto") -> Analysis:
    """Analyze pasted text."""
    if not text.strip():
        raise InputError(M("The log is empty: paste or upload at least one log line."))
    if cr_lines := cr_line_ends(text):
        text = text.replace("\r", "\n")
    # (typographic quotes and wide spaces first: telling a wrapped line needs the spaces and quotes the daemon wrote)
    plain, quoted = unquote_mail(plain_chars(text))  # (a log quoted in a mail reply: its lines after the "> ")
    plain, runs = split_run_together(plain)  # (a page or a chat that lost the line breaks: lines run together)
    plain, prefix = strip_line_prefixes(plain)  # (line numbers, list marks, a container runtime's prefix)
    plain, cells = join_table_cells(plain)  # (a status table's long cells wrapped onto the next row)
    plain, fields = join_record_fields(plain)  # (PAN-OS routed.log: a record's fields on lines of their own)
    notes = ([CR_NOTE] if cr_lines else []) + ([_QUOTED_NOTE] if quoted else []) + (
        [_PREFIX_NOTES[prefix]] if prefix else [])
    if runs:
        notes.append(Mn("{n} line of the paste held several log lines run together (its line breaks were lost in the "
                        "copy): it was split before each line's timestamp, and each log line is read and numbered as "
                        "a line of its own.", "{n} lines of the paste held several log lines run together (their line "
                        "breaks were lost in the copy): they were split before each line's timestamp, and each log "
                        "line is read and numbered as a line of its own.", runs))
    if fields:
        notes.append(Mn("{n} field line of a PAN-OS routing record (\"Name = value\") was read with the record's message "
                        "line: the record is read whole.", "{n} field lines of PAN-OS routing records (\"Name = value\") "
                        "were read with their record's message line: each record is read whole.", fields))
    if cells:
        notes.append(Mn("{n} row of a table that carried on a long cell from the row above was joined to that row: "
                        "each row is read whole.", "{n} rows of a table that carried on a long cell from the row above "
                        "were joined to that row: each row is read whole.", cells))
    joined, rejoined = rejoin_wrapped(plain)
    read: set[int] = set()
    analysis = _analyze_pasted(joined, fmt, rejoined, read, notes)
    if rejoined:
        return analysis
    # Nothing said where a line starts (a daemon's output without prefixes, a line or two quoted in a mail), so a
    # wrap was not told from the paste's shape: the lines as a wrap would have broken them are read too. That reading
    # is kept when it finds a cause and made a line readable, or when the cause found rests on broken parts only.
    loose, count = rejoin_wrapped(plain, strict=False)
    if not count:
        return analysis
    if analysis.primary is None:
        loose_read: set[int] = set()
        other = _analyze_pasted(loose, fmt, count, loose_read, notes)
        return other if other.primary is not None and _made_readable(read, loose_read, plain, loose) else analysis
    # (A join or two may glue whole lines of about the same length: in a short paste nothing tells them apart.)
    if count >= LOOSE_JOINS_TO_OVERRIDE and _rests_on_parts(analysis.primary, plain, loose):
        return _analyze_pasted(loose, fmt, count, notes=notes)
    return analysis


def _rests_on_parts(primary: Primary, before: str, after: str) -> bool:
    """Whether every line a diagnosis rests on is the rest of a line a wrap broke (joined to the line before it). A
    status listing's row read whole (a pattern with a `snapshot`: a neighbor's or an SA's state) is a row of its own,
    not the rest of the line above it, which a table's header or its previous row only looks like."""
    if primary.chain and all(f.pattern in listing_rows() for f in primary.chain):
        return False
    old, new = before.split("\n"), after.split("\n")
    # A line that is one whole message of a daemon (its pattern matches all of it: "Aggressive Mode PSK disabled for
    # security reasons", as `ipsec up` prints charon's messages) is a line of its own, whatever its length or the
    # line above it.
    patterns = by_id()
    if any(f.line in primary.evidence_lines and f.line <= len(old) and (p := patterns.get(f.pattern)) is not None
           and p.regex.fullmatch(old[f.line - 1].strip()) for f in primary.chain):
        return False
    return bool(primary.evidence_lines) and all(
        no <= len(new) and not new[no - 1].strip() and old[no - 1].strip() for no in primary.evidence_lines)


def _made_readable(read: set[int], loose_read: set[int], before: str, after: str) -> bool:
    """Whether joining a line's parts made it readable: the whole line is read as an event (`loose_read`) and no part
    was as pasted (`read`). Where a part was, the join glued whole lines together rather than mending a broken one."""
    old, new = before.split("\n"), after.split("\n")
    for no in sorted(loose_read):
        if no > len(new) or new[no - 1] == old[no - 1]:
            continue
        parts = [no]  # the line and the lines joined to it (left empty)
        while (nxt := no + len(parts)) <= len(new) and not new[nxt - 1].strip() and old[nxt - 1].strip():
            parts.append(nxt)
        if len(parts) > 1 and not read.intersection(parts):
            return True
    return False


def cr_line_ends(head: str | bytes) -> bool:
    """Whether a text's lines end in a carriage return alone (classic Mac OS, some export tools), from the text or its
    first block: a carriage return and no line feed. Each is then a line, as an editor shows it; a text with any line
    feed keeps its lines (a stray carriage return in a line is part of that line)."""
    if isinstance(head, str):
        return "\r" in head and "\n" not in head
    return b"\r" in head and b"\n" not in head


CR_NOTE = M("The lines end in a carriage return alone (as classic Mac OS and some export tools write them): each is "
             "read and numbered as a line, as an editor shows it.")
_QUOTED_NOTE = M("The quote marks (>) a mail reply puts before the lines it quotes were left out: each line is read as "
                 "the daemon wrote it.")
_PREFIX_NOTES = {
    "cri": M("The container runtime's prefix before every line (time, stream, F or P) was left out, its time kept: "
             "each line is read as the daemon wrote it, and a long line's parts (P) are joined."),
    "kubectl": M("The pod name that kubectl logs --prefix puts before every line was left out: each line is read as "
                 "the daemon wrote it."),
    "compose": M("The service name that docker compose puts before every line was left out: each line is read as the "
                 "daemon wrote it."),
    "numbers": M("The line numbers before every line were left out: each line is read as the daemon wrote it."),
    "bullets": M("The list marks (-, *) before every line were left out: each line is read as the daemon wrote it."),
}


def _analyze_pasted(text: str, fmt: str, rejoined: int, event_lines: set[int] | None = None,
                    notes: list[Msg] | None = None) -> Analysis:
    scanner = Scanner(fmt)
    scanner.notes.extend(notes or ())
    if rejoined:
        scanner.notes.append(M(
            "{count} line breaks that a mail, an archive or a terminal put inside log lines were joined back: each "
            "line is read whole, and shown at the number of its first part.", count=rejoined))
    for block in blocks_from_text(text):
        scanner.feed(block)
    if tunnels := fmts.vpn_tunnel_statuses(text):
        _say_what_it_is(scanner, _status_note(tunnels))
    if isakmp := fmts.isakmp_sa_rows(text):
        _say_what_it_is(scanner, _isakmp_note(isakmp))
    elif asa := fmts.asa_isakmp_sas(text):
        _say_what_it_is(scanner, _asa_isakmp_note(asa))
    return _finish(scanner, event_lines)


def _say_what_it_is(scanner: Scanner, note: Msg) -> None:
    """A note on pasted command output, said instead of "the format was not recognised": it was, as no log."""
    scanner.notes[:] = [n for n in scanner.notes if n is not scanner.unknown_format_note]
    scanner.notes.append(note)


def _status_note(tunnels: list[tuple[str, str, str]]) -> Msg:
    """What pasted `aws ec2 describe-vpn-connections` output says, and where the cause is to be found instead."""
    parts = [
        M("tunnel {ip} {status} ({message})", ip=ip, status=status, message=message) if message
        else M("tunnel {ip} {status}", ip=ip, status=status)
        for ip, status, message in tunnels[:fmts.MAX_TUNNELS_LISTED]
    ]
    return M("This is the VPN connection's status as `aws ec2 describe-vpn-connections` prints it, not log lines: "
             "{tunnels}. It tells which tunnel is down, not why. For the cause, paste the tunnel's log (CloudWatch "
             "Logs) or the customer gateway's log here, or walk the troubleshooter (`vpn-lab triage --vpn-id` with "
             "the connection's id reads the same status live).", tunnels=Seq(parts, "; "))


def _isakmp_note(rows: list[tuple[str, str, str, str]]) -> Msg:
    """What pasted Cisco IOS `show crypto isakmp sa` output says: which IKE SAs are up, and where the cause of one that
    is not is to be found."""
    parts = [M("dst {dst} src {src} {state} {status}", dst=dst, src=src, state=state, status=status)
             for dst, src, state, status in rows[:fmts.MAX_TUNNELS_LISTED]]
    listed = Seq(parts, "; ")
    down = sum(not fmts.isakmp_sa_up(state, status) for _, _, state, status in rows)
    if not down:
        return M("This is the router's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. Every "
                 "IKE SA listed is up (QM_IDLE, ACTIVE), so phase 1 works with these peers. A tunnel whose AWS "
                 "endpoint is not listed has no phase 1 up. If a tunnel is still down, check phase 2 (`show crypto "
                 "ipsec sa`) and routing, or paste the tunnel's log here.", sas=listed)
    return Mn("This is the router's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. An IKE SA "
              "that is up is QM_IDLE and ACTIVE; {n} listed here is not: its phase 1 is not up. The list tells which "
              "phase 1 is not up, not why. For the cause, paste the output of `debug crypto isakmp` here, or the "
              "tunnel's log (CloudWatch Logs).",
              "This is the router's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. An IKE SA "
              "that is up is QM_IDLE and ACTIVE; {n} listed here are not: their phase 1 is not up. The list tells "
              "which phase 1 is not up, not why. For the cause, paste the output of `debug crypto isakmp` here, or "
              "the tunnel's log (CloudWatch Logs).", down, sas=listed)


def _asa_isakmp_note(sas: list[tuple[str, str]]) -> Msg:
    """What pasted Cisco ASA `show crypto isakmp sa` output says, as `_isakmp_note` does for Cisco IOS."""
    listed = Seq([M("peer {peer} {state}", peer=peer, state=state) for peer, state in sas[:fmts.MAX_TUNNELS_LISTED]],
                 "; ")
    down = sum(state not in fmts.ASA_UP_STATES for _, state in sas)
    if not down:
        return M("This is the ASA's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. Every IKE "
                 "SA listed is up (MM_ACTIVE, or AM_ACTIVE in Aggressive Mode), so phase 1 works with these peers. A "
                 "tunnel whose AWS endpoint is not listed has no phase 1 up. If a tunnel is still down, check phase 2 "
                 "(`show crypto ipsec sa`) and routing, or paste the tunnel's log here.", sas=listed)
    return Mn("This is the ASA's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. An IKE SA "
              "that is up is MM_ACTIVE (AM_ACTIVE in Aggressive Mode); {n} listed here is not: its phase 1 is not up. "
              "The list tells which phase 1 is not up, not why. For the cause, paste the output of `debug crypto "
              "isakmp` here, or the tunnel's log (CloudWatch Logs).",
              "This is the ASA's IKE SA list as `show crypto isakmp sa` prints it, not log lines: {sas}. An IKE SA "
              "that is up is MM_ACTIVE (AM_ACTIVE in Aggressive Mode); {n} listed here are not: their phase 1 is not "
              "up. The list tells which phase 1 is not up, not why. For the cause, paste the output of `debug crypto "
              "isakmp` here, or the tunnel's log (CloudWatch Logs).", down, sas=listed)
