"""The incident report: a Markdown document an on-call engineer can paste into a ticket.

Built from the log analysis, the path walked through the troubleshooting tree (with the answers and
whether evidence chose them) and the node reached. Every line that came from a log is masked first:
pre-shared keys, passwords and anything that looks like a secret never reach the report. Log text
is put in fenced code blocks so it is shown, never interpreted, by a Markdown viewer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime

from lab.analyzer import Analysis
from lab.analyzer.diagnosis import categories
from lab.masking import MASK, mask_secrets
from lab.triage.evidence import Evidence
from lab.triage.fixes import Fix, fix_markdown
from lab.triage.tree import Node, Session, resolve
from lab.triage.tree import candidates as tree_candidates

__all__ = ["MASK", "build_report", "mask"]

mask = mask_secrets  # the one masking function (lab.masking); kept under its old name

def _fence(lines: list[str]) -> str:
    body = "\n".join(lines)
    ticks = "```"
    while ticks in body:
        ticks += "`"
    return f"{ticks}text\n{body}\n{ticks}"


def _md(text: str) -> str:
    """Plain text for Markdown prose: escape characters that would start formatting or HTML."""
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


def _node_block(node: Node) -> list[str]:
    out = [f"### {node.title}", "", f"**Cause.** {node.cause}", "", f"**Fix.** {node.fix}", ""]
    out += [f"**Prevention.** {node.prevention}", "", f"**Lesson to read:** `{node.lesson}`", ""]
    return out


def _in_english(fix: Fix) -> Fix:
    """The report is written in English: the fix as built for a Korean page is built again in English."""
    from lab.i18n import reset_language, set_language
    from lab.triage.fixes import build_fix

    token = set_language("en")
    try:
        return build_fix(fix.diagnosis, fix.values, fix.family)
    finally:
        reset_language(token)


def build_report(
    analysis: Analysis | None = None,
    session: Session | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    now: datetime | None = None,
    title: str = "VPN incident report",
    *,
    scope: str = "",
    fix: Fix | None = None,
) -> str:
    """The Markdown report; every input is optional (a report from the tree alone, or logs alone)."""
    now = now or datetime.now(UTC)
    out = [f"# {title}", "", f"Generated {now.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC by VPN Lab.", ""]
    node = session.current if session else (resolve(analysis.primary.tree_node) if analysis and analysis.primary else None)
    primary = analysis.primary if analysis else None
    # At a shortlist the current node is one of several diagnoses still possible: not a diagnosis yet.
    at_diagnosis = bool(node and node.is_diagnosis and (session is None or session.is_diagnosis))

    out += ["## Summary", ""]
    if node and at_diagnosis:
        out.append(f"Diagnosis: **{node.title}**. {node.cause}")
    elif primary:
        out.append(primary.summary)
    else:
        out.append("No diagnosis yet: the log showed no known failure and the tree was not walked to a diagnosis.")
    out.append("")

    if analysis:
        out += ["## Primary diagnosis from the logs", ""]
        if primary:
            cat = categories()[primary.category]
            out += [f"**{cat.title}** (`{primary.category}`), troubleshooter node `{primary.tree_node}`.", ""]
            out += [f"- {r}" for r in primary.reasoning]
            out.append("")
            by_line = {f.line: f for f in analysis.findings}
            shown = [f"line {n}: {mask(by_line[n].text)}" for n in primary.evidence_lines if n in by_line]
            if shown:
                out += ["Evidence lines:", "", _fence(shown), ""]
        else:
            out += ["No known failure pattern matched.", ""]
        fmt = analysis.format + (f" (also {', '.join(analysis.detected_formats[1:])})" if len(analysis.detected_formats) > 1 else "")
        out += [f"Log: {analysis.lines:,} lines, format {fmt}, {len(analysis.findings)} findings.", ""]
        out += [f"- {n}" for n in analysis.notes]
        if analysis.notes:
            out.append("")

    candidates = tree_candidates(session, evidence) if session else []
    if session:
        out += ["## Path through the troubleshooting tree", ""]
        if scope:
            out += [f"Evidence scope: {_md(mask(scope))} (facts of other tunnels were not used).", ""]
        answered = session.answered()
        if not answered:
            out.append(f"Opened at `{session.steps[0].ref}`; no question answered yet.")
        for i, (n, step) in enumerate(answered, 1):
            question = n.text or f"Which diagnosis matches? ({n.title})"
            if step.by_evidence:
                how = f" - answered automatically by evidence ({_md(mask(step.source))})"
                ev = evidence.get(n.evidence) if evidence and n.evidence else None
                if ev is not None and ev.rule is not None:
                    how += f"; proves: {_md(ev.rule.proves)} Does not prove: {_md(ev.rule.does_not_prove)}"
            else:
                how = " - answered by the person"
            out.append(f"{i}. {_md(question)} **{_md(step.label)}**{how}")
        out += ["", f"Current node: `{session.current.ref}` ({session.current.title}).", ""]
        if not session.is_diagnosis and candidates:
            out += ["Diagnoses still possible, most likely first:", ""]
            out += [f"- {c.title} (`{c.ref}`)" + (f" - if: {_md(c.via)}" if c.via else "") for c in candidates]
            out.append("")

    if node and at_diagnosis:
        out += ["## Recommended fix and prevention", ""] + _node_block(node)
        if fix is not None:
            out += fix_markdown(_in_english(fix))
    elif node and node.is_diagnosis:
        out += ["## Next step", "", "Several diagnoses remain; pick the one that matches (see the list above).", ""]
    elif node:
        out += ["## Next step", "", f"Continue at `{node.ref}`: {node.text}", ""]

    if analysis and analysis.findings:
        out += ["## Findings", ""]
        rows = [
            f"line {f.line}{' ' + f.time.strftime('%Y-%m-%d %H:%M:%S') if f.time else ''} [{f.category}/{f.phase}] "
            f"{f.pattern}: {mask(f.text)}"
            for f in analysis.findings[:500]
        ]
        out += [_fence(rows), ""]
        if len(analysis.findings) > 500:
            out += [f"({len(analysis.findings) - 500} more findings not listed.)", ""]

    refs = list(node.references) if node and at_diagnosis else []
    out += ["## References", ""]
    out += [f"- [{r.title}]({r.url})" for r in refs]
    out += [
        "- [Troubleshooting your customer gateway device (AWS)](https://docs.aws.amazon.com/vpn/latest/s2svpn/Troubleshooting.html)",
        "- [Contents of Site-to-Site VPN tunnel logs (AWS)](https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html)",
        "",
    ]
    return "\n".join(out)
