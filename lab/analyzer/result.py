"""An analysis out of what the scanner read: the events put in order and read in their exchanges, the primary cause
diagnosed, and the findings with the facts their lines carry."""

from __future__ import annotations

import dataclasses

from lab.analyzer import bgp
from lab.analyzer import formats as fmts
from lab.analyzer.diagnosis import (
    answered_retransmission,
    bgp_connection_collision,
    bgp_graceful_restart,
    bgp_recovered,
    diagnose,
    established_after,
    findings_of,
    recovered_first_attempt,
    refused_then_timed_out,
    refused_unprocessed,
    resolved_collision,
    stray_esp,
    stray_probes,
    unmatched_esp,
    with_certificate,
    with_identity,
    with_peer,
    with_selectors,
)
from lab.analyzer.listings import with_proposal_difference, with_proposals
from lab.analyzer.model import Analysis
from lab.analyzer.protocol import (
    classify,
    daemon_crashes,
    daemon_stops,
    exchange_words,
    facts_of,
    put_in_order,
)
from lab.analyzer.scan import Scanner
from lab.analyzer.scan import scanner as _scanner
from lab.errors import InputError
from lab.i18n import M, Mn


def _finish(scanner: Scanner, event_lines: set[int] | None = None) -> Analysis:
    """The analysis of what the scanner read; `event_lines` (when given) gets the numbers of the lines read as
    events."""
    result = scanner.result()
    if result.lines == 0:
        raise InputError(M("The log is empty: paste or upload at least one log line."))
    states: dict[str, str] = {}
    if result.last_state_line:
        fields = fmts.aws_fields(result.last_state_line)
        if fields:
            for key in ("ike_phase1_state", "ike_phase2_state"):
                if value := fmts.aws_state(fields, key):
                    states[key] = value
    events, newest_first, streams = put_in_order(result.events, result.order_texts, result.order_lines)
    if event_lines is not None:
        event_lines.update(e.line for e in events)
    classify(events)
    primary = diagnose(events)
    for step in (with_peer, with_selectors, with_identity, with_proposals, with_proposal_difference, with_certificate):  # facts from the lines around its own
        primary = step(primary, events)
    confirmed = {primary.category} if primary else set()
    if primary and "peer_alive_after_dpd" in primary.facts:  # the reasoning rests on the DPD exchange: show it
        confirmed.add("dpd_timeout")
    findings = findings_of(events, confirmed, {f.order for f in primary.chain} if primary else None)
    stray = stray_esp(events)  # (a note below says what they are: no cause of theirs)
    probes = stray_probes(events)  # (the same: a scan's probes, no tunnel's peer)
    if stray_lines := {e.line for e in (*stray, *probes)}:
        findings = [dataclasses.replace(f, category="", phase="", tree_node="") if f.line in stray_lines else f for f in findings]
    notes = list(result.notes)
    if primary is None and (recovered := recovered_first_attempt(events)) is not None:
        notes.append(M("Line {line}: the first attempt got no answer from the peer; a later attempt established the "
                       "tunnel at line {up}. It recovered: nothing to fix now. If every bring-up starts this way, "
                       "check that the peer is ready when this side starts and that UDP 500/4500 pass.",
                       line=recovered[0].line, up=recovered[1].line))
    elif primary is None and (again := answered_retransmission(events)) is not None:
        notes.append(M("Line {line}: this side sent a request again, and a message from the peer came in at line "
                       "{answer}: the peer answers, one message was lost on the way. Nothing to fix unless it keeps "
                       "happening.", line=again.line, answer=again.values["answered_by"]))
    if primary is None and (collision := resolved_collision(events)) is not None:
        if established_after(events, collision):
            notes.append(M("Line {line}: both sides rekeyed the same SA at once; the protocol kept one and an SA was "
                           "established after it. That is normal, nothing to fix.", line=collision.line))
        else:
            notes.append(M("Line {line}: both sides rekeyed the same SA at once and the protocol kept one (the log "
                           "says which). That is normal, nothing to fix unless it repeats.", line=collision.line))
    if primary is None and (bgp_collision := bgp_connection_collision(events)) is not None:
        notes.append(M("Line {line}: both sides opened a BGP connection at once and the protocol closed one of the "
                       "two (Cease 6/7, connection collision resolution); the session goes on over the other. "
                       "Normal while a session starts, nothing to fix unless it repeats.", line=bgp_collision.line))
    if primary is None and (restart := bgp_graceful_restart(events)) is not None:
        notes.append(M("Line {line}: the BGP neighbor closed the session to restart with graceful restart (RFC 4724): "
                       "its routes are kept, marked stale, while it comes back, so traffic keeps flowing. Nothing is "
                       "down yet; if the neighbor does not return within its restart time, the routes are withdrawn "
                       "and the log says the restart timed out.", line=restart.line))
    bgp_noted = primary is None and (bgp_collision is not None or restart is not None)
    if primary is None and not bgp_noted and (back := bgp_recovered(events)) is not None:
        reason = bgp.read(back[0].text).get("bgp_reason") or ""
        notes.append(M("Line {line}: the BGP session went down and came up again at line {up}: it recovered, "
                       "nothing to fix now. Why it went down: {reason}. While it was down, the routes learned over it "
                       "were withdrawn (traffic moved to another tunnel, or stopped if there was none). If it keeps "
                       "happening, find out why it goes down.",
                       line=back[0].line, up=back[1].line,
                       reason=bgp.REASON_WORDS.get(reason, M("no reason given"))))
    if primary is None and (refused := refused_then_timed_out(events)) is not None:
        notes.append(M("Line {line}: the peer answered {exchange} with {notify}: it could not process this side's "
                       "request, and the negotiation timed out at line {timeout}. The peer is reachable, so this is no "
                       "path problem: compare the two sides' software versions and the options that change the request "
                       "(fragmentation, unusual proposals or payloads).",
                       line=refused[0].line, exchange=exchange_words(refused[0].exchange or "IKE"), notify=refused[0].notify or "",
                       timeout=refused[1].line))
    any_recovered = len(notes) > len(result.notes)  # the notes above: a failure seen that recovered or was resolved
    unprocessed = refused_unprocessed(events) if primary is None and not any_recovered else None
    if unprocessed is not None:
        # (not "no known failure message": the peer refused something, and its notify does not say what)
        notes.append(M("Line {line}: the peer answered {exchange} with {notify}: it did not take this side's "
                       "request. RFC 7296 sends this for a message with a value out of range, a payload the peer does "
                       "not support, or a request its policy refuses, and the notify names no setting, so no cause is "
                       "named. The peer is reachable: compare the two sides' software versions and what the request "
                       "asks for (an IKE SA without a Child SA, RFC 6023, which older peers refuse; an additional "
                       "Child SA; unusual proposals or payloads; fragmentation).",
                       line=unprocessed[0].line, exchange=exchange_words(unprocessed[1]),
                       notify=unprocessed[0].notify or ""))
    if stray:
        notes.append(M("Lines {lines}: ESP with an SPI this side has no SA for came from {n} different addresses, none "
                       "of them a peer named in these lines: stray ESP from the Internet (a scan), not a tunnel's SAs "
                       "out of step, and not read as a cause.", lines=", ".join(str(e.line) for e in stray[:10]),
                       n=len({facts_of(e)["peer"] for e in stray})))
    if probes:
        notes.append(Mn("Line {lines}: a single packet to UDP port 500 or 4500 from {peers}, an address no other line "
                        "names, was refused or dropped: a scan from the Internet, not this log's peer, and not read as a "
                        "cause.",
                        "Lines {lines}: single packets to UDP port 500 or 4500 from {peers}, addresses no other line "
                        "names, were refused or dropped: scans from the Internet, not this log's peers, and not read as "
                        "a cause.", len(probes), lines=", ".join(str(e.line) for e in sorted(probes, key=lambda e: e.line)[:10]),
                        peers=", ".join(sorted({str(facts_of(e)["peer"]) for e in probes})[:10])))
    if unmatched := unmatched_esp(events):
        notes.append(Mn("Line {lines}: ESP with an unknown SPI matched no tunnel at all: stray ESP from the Internet, "
                        "dropped by this side, not a failure of a tunnel and not read as a cause.",
                        "Lines {lines}: ESP with an unknown SPI matched no tunnel at all: stray ESP from the Internet, "
                        "dropped by this side, not a failure of a tunnel and not read as a cause.",
                        len(unmatched), lines=", ".join(str(e.line) for e in unmatched[:10])))
    if failed := [e for e in events if e.kind == "daemon_failed"]:
        notes.append(M("Line {line}: the IKE daemon did not start (it gave up while loading), so no tunnel can come up "
                       "until it does. It and the lines around it name what failed: a plugin that could not load (its package "
                       "missing, or left out of the plugin list), a configuration file that does not parse, the kernel "
                       "interface.", line=failed[0].line))
    if crashes := daemon_crashes(events):
        notes.append(Mn(
            "Line {lines}: the IKE daemon started again as a new process with no stop logged before it: it crashed or "
            "was killed, unless the paste left out the lines of its stop (line {last}: its last line before). What it "
            "was negotiating then was cut off, not refused.",
            "Lines {lines}: the IKE daemon started again as a new process {n} times with no stop logged before: it "
            "crashed or was killed each time, unless the paste left out the lines of its stops (the first time after "
            "line {last}). What it was negotiating then was cut off, not refused: a daemon that dies on the peer's "
            "requests needs a fixed release (look for a core dump or a segfault in the system log).",
            len(crashes), n=len(crashes),
            lines=", ".join(str(again.line) for _, again in crashes[:10]), last=crashes[0][0].line))
    stops = daemon_stops(events)
    for stop, start in stops:
        if start is None and primary is not None:
            notes.append(M("Line {line}: the IKE daemon that wrote this log was stopped there; what it logged after "
                           "that line is the stop, not read as a cause.", line=stop.line))
        elif start is None:
            notes.append(M("Line {line}: the IKE daemon that wrote this log was stopped (an operator, a service restart, "
                           "an upgrade or a reboot): it deletes its SAs on the way out, so what it logged after this line "
                           "is the stop, not read as a cause. Unless it was started again after these lines, its tunnels "
                           "are down: start it, and find out what stopped it.", line=stop.line))
        else:
            notes.append(M("Line {line}: the IKE daemon that wrote this log was stopped, and it ran again from line "
                           "{start}: what it logged in between is the stop, not read as a cause.",
                           line=stop.line, start=start.line))
    if newest_first and any(a.line < b.line for a, b in zip(events, events[1:], strict=False)):
        # (two logs pasted one after the other, one of them newest first: see ordering._two_blocks)
        notes.append(M("One of the two logs is newest first (as a web GUI shows them); its lines were read oldest "
                       "first, the other log's as they are."))
    elif newest_first:
        notes.append(M("The lines are newest first (as a web GUI shows them); they were read oldest first."))
    if streams > 1:
        notes.append(M("{streams} separate logs were found (two sides, several hosts, or a daemon that restarted); "
                       "each was read on its own.",
                       streams=streams))
    truncated = result.truncated
    cap = _scanner.MAX_FINDINGS
    if len(findings) > cap:
        findings, truncated = findings[:cap], True
        notes.append(M("More than {cap:,} findings: the first {cap:,} are listed.", cap=cap))
    signals: dict[str, int] = {}
    for ev in events:
        if ev.kind in ("established", "initiate", "exchange", "bgp_up"):
            signals[ev.kind] = signals.get(ev.kind, 0) + 1
    return Analysis(
        format=result.format,
        lines=result.lines,
        findings=tuple(findings),
        primary=primary,
        detected_formats=result.formats,
        notes=tuple(notes),
        recovered=any_recovered,
        refused_unnamed=unprocessed is not None,
        daemon_stopped=primary is None and not any_recovered and unprocessed is None
        and any(start is None for _, start in stops),
        signals=signals,
        truncated=truncated,
        last_states=states,
        order="newest-first" if newest_first else "oldest-first",
        streams=max(streams, 1),
    )
