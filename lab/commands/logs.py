"""`vpn-lab logs FILE|- [--format F] [--json] [--report OUT.md]`: analyze a VPN log.

Exit 0 when the input was analyzed (whatever was found), 2 when it could not be read. `--json` prints
{"format", "lines", "primary": {"category", "tree_node", "summary"} | null, "findings": [...]}.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import sys
from pathlib import Path

from lab.analyzer import FORMATS, Analysis, analyze_path, analyze_stream
from lab.errors import InputError
from lab.masking import mask_data, mask_secrets
from lab.triage.evidence import from_analysis
from lab.triage.report import build_report
from lab.triage.tree import goto, session_with_evidence

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "logs",
        help="analyze a VPN log (AWS tunnel log, strongSwan, libreswan, Cisco, FortiGate, Palo Alto)",
        description="Find known failure messages in a VPN log and name the most likely root cause.",
    )
    p.add_argument("file", metavar="FILE", help="log file to analyze, or - for standard input")
    p.add_argument("--format", default="auto", choices=["auto", *FORMATS], help="log format (default: detect)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--report", metavar="OUT.md", help="also write a Markdown incident report to OUT.md")
    p.set_defaults(func=_logs)


def _read(args: argparse.Namespace) -> Analysis:
    if args.file != "-":
        return analyze_path(args.file, args.format)
    raw = sys.stdin.buffer
    head = raw.peek(8192)[:8192] if hasattr(raw, "peek") else b""
    if b"\x00" in head:
        raise InputError("Standard input looks binary, not a text log.")
    stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    return analyze_stream(stream, args.format, "Standard input")


def _plain(text: str) -> str:
    return _CONTROL.sub("?", text)


def _logs(args: argparse.Namespace) -> int:
    analysis = _read(args)
    if args.report:
        session = None
        evidence = from_analysis(analysis)
        if analysis.primary:
            session = session_with_evidence(goto(analysis.primary.tree_node), evidence)
        try:
            Path(args.report).write_text(build_report(analysis, session, evidence), encoding="utf-8")
        except OSError as exc:
            raise InputError(f"Cannot write the report to {args.report}: {exc.strerror or exc}.") from None
    if args.json:
        print(json.dumps(mask_data(analysis.to_json()), indent=2))
        return 0
    fmt = analysis.format
    if len(analysis.detected_formats) > 1:
        fmt += f" (also {', '.join(analysis.detected_formats[1:])})"
    print(f"Format: {fmt}    Lines: {analysis.lines:,}    Findings: {len(analysis.findings)}")
    for note in analysis.notes:
        print(f"Note: {note}")
    p = analysis.primary
    if p:
        print(f"\nPrimary diagnosis: {p.title} [{p.category}]")
        print(f"  {p.summary}")
        for r in p.reasoning:
            print(f"  - {r}")
        print(f"  Troubleshooter: {p.tree_node}  (vpn-lab: Troubleshooter page ?tree={p.tree_node.replace('/', '&node=')})")
    else:
        print("\nPrimary diagnosis: none - no known failure message was found.")
    if analysis.findings:
        print("\nFindings:")
        for f in analysis.findings[:200]:
            text = _plain(mask_secrets(f.text))
            print(f"  {f.line:>7}  {f.category:<26} {f.phase:<6} {text[:160]}")
        if len(analysis.findings) > 200:
            print(f"  ... {len(analysis.findings) - 200} more (use --json for all)")
    if args.report:
        print(f"\nReport written to {args.report}")
    return 0
