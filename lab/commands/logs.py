"""`vpn-lab logs FILE|- [--format F] [--json] [--report OUT.md]`: analyze a VPN log.
`vpn-lab logs --eval DIR [--json]`: accuracy on a real-log corpus (datasets/real-logs).

Exit 0 when the input was analyzed (whatever was found), 2 when it could not be read. `--json` prints
{"format", "lines", "order", "primary": {"category", "tree_node", "summary", "facts", "evidence_lines",
"certainty": "firm"|"guess"} | null, "recovered", "daemon_stopped", "notes", "findings": [{..., "facts"}]}; every value
masked. "guess":
no line names the cause, only silence or the daemon's own guess points at it (the reasoning says what else looks the
same). "recovered": true when primary is null because a failure was seen that recovered or that the protocol resolved
(the notes, in English, say which); false with a null primary means no failure message that names a cause was found
(a note names a refusal whose notify names no setting, such as INVALID_SYNTAX outside a rekey). "daemon_stopped": true
when primary is null and the log's IKE daemon was stopped and does not run again in it (a note names the line; what
it logged after its stop is not read as a cause). A finding's
"category", "phase" and "tree_node" are empty for a line recognised but read as no cause (ESP with unknown SPIs from
several addresses that are no peer: stray ESP, which a note names).
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import re
import sys
from pathlib import Path

from lab.analyzer import FORMAT_NAMES, FORMATS, Analysis, analyze_path, analyze_stream
from lab.analyzer import corpus as corpus_eval
from lab.analyzer.model import GUESS_NOTE
from lab.analyzer.pasted import cr_line_ends
from lab.analyzer.protocol import fact_rows
from lab.errors import InputError
from lab.i18n import M, data_text, render, t
from lab.masking import mask_data, mask_secrets
from lab.triage.evidence import from_analysis
from lab.triage.report import build_report
from lab.triage.tree import goto, session_with_evidence

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def register(sub: argparse._SubParsersAction) -> None:
    formats = "\n".join(f"  {name:<12} {render(FORMAT_NAMES[name])}" for name in FORMATS)
    p = sub.add_parser(
        "logs",
        help=t("analyze a VPN log (AWS, strongSwan, libreswan, Cisco, Juniper, FortiGate, Palo Alto, ...)"),
        description=(
            t("Read a VPN log as protocol events (exchange, notify, retransmits, DPD, deletes, BGP) and name the "
            "most likely root cause with the lines that led to it. Lines may be newest first, two peers' logs "
            "pasted one after the other, with or without timestamps or syslog prefixes, or exported as JSON records "
            "or CSV rows (journalctl -o json, a log platform's or a firewall's export).")
        ),
        epilog=t("supported formats (detected automatically; mixed logs are fine):") + "\n" + formats,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE", nargs="?", help=t("log file to analyze, or - for standard input"))
    p.add_argument("--format", default="auto", choices=["auto", *FORMATS], help=t("log format (default: detect)"))
    p.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    p.add_argument("--report", metavar="OUT.md", help=t("also write a Markdown incident report to OUT.md"))
    p.add_argument(
        "--eval",
        metavar="DIR",
        help=t("instead of one log: accuracy per category, vendor and format on a real-log corpus "
        "(a folder with corpus.yaml, such as datasets/real-logs), dev and held-out parts separately"),
    )
    p.set_defaults(func=_logs)


def _eval(args: argparse.Namespace) -> int:
    if args.file or args.report:
        raise InputError(M("--eval DIR analyzes a corpus; give it without FILE or --report."))
    reports = corpus_eval.evaluate(args.eval)
    if args.json:
        print(json.dumps(mask_data({k: r.to_json() for k, r in reports.items()}), indent=2))
    else:
        print("\n".join(_plain(mask_secrets(line)) for line in corpus_eval.render(reports)))
    return 0


def _read(args: argparse.Namespace) -> Analysis:
    if args.file != "-":
        return analyze_path(args.file, args.format)
    raw = sys.stdin.buffer
    head = raw.peek(8192)[:8192] if hasattr(raw, "peek") else b""
    if b"\x00" in head:
        raise InputError(M("Standard input looks binary, not a text log."))
    return analyze_stream(_Utf8Lines(raw), args.format, "Standard input", cr=cr_line_ends(head))


class _Utf8Lines(io.TextIOBase):
    """Standard input decoded as UTF-8 block by block; a bad byte is reported with its real line number."""

    def __init__(self, raw: io.BufferedIOBase) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self._lines_before = 0  # newlines in the bytes already decoded

    def read(self, size: int | None = -1) -> str:
        data = self._raw.read(size if size and size > 0 else -1)
        try:
            text = self._decoder.decode(data or b"", final=not data)
        except UnicodeDecodeError as exc:
            line = self._lines_before + exc.object[: exc.start].count(b"\n") + 1
            raise InputError(
                f"Standard input is not UTF-8 text (invalid byte 0x{exc.object[exc.start]:02x} on line {line:,}). "
                "Convert it to UTF-8, for example with `iconv -f latin1 -t utf-8`."
            ) from None
        self._lines_before += (data or b"").count(b"\n")
        return text


def _plain(text: str) -> str:
    return _CONTROL.sub("?", text)


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (Path(b).exists() and Path(a).samefile(b))
    except OSError:
        return False


def _logs(args: argparse.Namespace) -> int:
    if args.eval:
        return _eval(args)
    if not args.file:
        raise InputError(M("Give a log FILE (or - for standard input), or --eval DIR for a corpus."))
    if args.report and args.file != "-" and _same_file(args.file, args.report):
        raise InputError(M("--report {path} is the log being analyzed; it would be overwritten. Name another file.",
                           path=args.report))
    analysis = _read(args)
    if args.report:
        session = None
        evidence = from_analysis(analysis)
        if analysis.primary:
            session = session_with_evidence(goto(analysis.primary.tree_node), evidence)
        try:
            Path(args.report).write_text(build_report(analysis, session, evidence), encoding="utf-8")
        except OSError as exc:
            raise InputError(M("Cannot write the report to {path}: {error}.", path=args.report,
                               error=exc.strerror or exc)) from None
    if args.json:
        print(json.dumps(mask_data(analysis.to_json()), indent=2))
        return 0
    fmt = analysis.format
    if len(analysis.detected_formats) > 1:
        fmt += " " + t("(also {formats})", formats=", ".join(analysis.detected_formats[1:]))
    print(t("Format: {format}    Lines: {lines:,}    Findings: {findings}", format=fmt, lines=analysis.lines,
            findings=len(analysis.findings)))
    for note in analysis.notes:
        print(t("Note: {note}", note=render(note)))
    p = analysis.primary
    if p:
        print("\n" + t("Primary diagnosis: {title} [{category}]", title=data_text("category.title", p.title),
                       category=p.category))
        print(f"  {p.summary_in()}")
        if p.certainty == "guess":
            print("  " + render(GUESS_NOTE))
        for r in p.reasoning_in():
            print(f"  - {r}")
        if p.facts:
            print("  " + t("What the lines say:"))
            for label, value in fact_rows(p.facts):
                print(f"    {label}: {_plain(mask_secrets(value))}")
        print("  " + t("Troubleshooter: {node}  (vpn-lab: Troubleshooter page {link})", node=p.tree_node,
                       link="?tree=" + p.tree_node.replace("/", "&node=")))
    elif analysis.recovered:  # a failure that recovered, or one the protocol resolved: the notes above say which
        print("\n" + t("Primary diagnosis: none - no failure that needs fixing (see the notes above)."))
    elif analysis.daemon_stopped:  # the IKE daemon was stopped and nothing failed before it: a note names the line
        print("\n" + t("Primary diagnosis: none - no failure before the IKE daemon was stopped (see the notes above)."))
    elif analysis.refused_unnamed:  # the peer refused a request, and its notify does not say what: a note says which
        print("\n" + t("Primary diagnosis: none named - the peer refused a request without naming a setting (see the "
                       "notes above)."))
    else:
        print("\n" + t("Primary diagnosis: none - no known failure message was found."))
    if analysis.findings:
        print("\n" + t("Findings:"))
        for f in analysis.findings[:200]:
            text = _plain(mask_secrets(f.text))
            print(f"  {f.line:>7}  {f.category:<26} {f.phase:<6} {text[:160]}")
        if len(analysis.findings) > 200:
            print("  " + t("... {count} more (use --json for all)", count=len(analysis.findings) - 200))
    if args.report:
        print("\n" + t("Report written to {path}", path=args.report))
    return 0
