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
from lab.analyzer.model import GUESS_NOTE
from lab.analyzer.protocol import fact_rows
from lab.i18n import data_text, render, t, tn, using
from lab.masking import MASK, mask_secrets
from lab.triage.evidence import Evidence
from lab.triage.fixes import Fix, fix_markdown
from lab.triage.tree import JUMP, Node, Session, jump_title, resolve
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


_PASTED_TUNNEL = re.compile(r"^tunnel (\S+) \(pasted log\)$")
_CONNECTION_TUNNEL = re.compile(r"^(.*) · tunnel (\S+) \(([^()]*)\)$")


def scope_text(label: str, lang: str | None = None) -> str:
    """An evidence scope's label (`lab.triage.evidence.Scope.label`) in `lang` (default: the current language)."""
    with using(lang):
        if label == "the pasted log":
            return t("the pasted log")
        m = _PASTED_TUNNEL.match(label)
        if m:
            return t("tunnel {tunnel} (pasted log)", tunnel=m.group(1))
        m = _CONNECTION_TUNNEL.match(label)
        if m:
            return t("{connection} · tunnel {ip} ({status})", connection=m.group(1), ip=m.group(2), status=m.group(3))
        return label


def _via(via: str) -> str:
    """"<question title> → <answer>" in the current language."""
    title, sep, answer = via.partition(" → ")
    return f"{data_text('tree.title', title)} → {data_text('tree.answer', answer)}" if sep else via


def _node_block(node: Node) -> list[str]:
    out = [f"### {data_text('tree.title', node.title)}", "", t("**Cause.** {text}", text=data_text("tree.cause", node.cause)),
           "", t("**Fix.** {text}", text=data_text("tree.fix", node.fix)), ""]
    out += [t("**Prevention.** {text}", text=data_text("tree.prevention", node.prevention)), "",
            t("**Lesson to read:** {lesson}", lesson=f"`{node.lesson}`"), ""]
    return out


def _in_report_language(fix: Fix) -> Fix:
    """The fix built again in the report's language (the page may have built it in another)."""
    from lab.triage.fixes import build_fix

    return build_fix(fix.diagnosis, fix.values, fix.family)


def build_report(
    analysis: Analysis | None = None,
    session: Session | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    now: datetime | None = None,
    title: str = "",
    *,
    scope: str = "",
    fix: Fix | None = None,
    lang: str | None = None,
) -> str:
    """The Markdown report; every input is optional (a report from the tree alone, or logs alone). Headings and
    sentences are in `lang` (default: the current language); log lines stay as they were written."""
    with using(lang):
        return _build(analysis, session, evidence, now, title, scope, fix)


def _build(analysis: Analysis | None, session: Session | None, evidence: Mapping[str, Evidence] | None,
           now: datetime | None, title: str, scope: str, fix: Fix | None) -> str:
    now = now or datetime.now(UTC)
    out = [f"# {title or t('VPN incident report')}", "",
           t("Generated {time} UTC by VPN Lab.", time=f"{now.astimezone(UTC):%Y-%m-%d %H:%M:%S}"), ""]
    node = session.current if session else (resolve(analysis.primary.tree_node) if analysis and analysis.primary else None)
    primary = analysis.primary if analysis else None
    # At a shortlist the current node is one of several diagnoses still possible: not a diagnosis yet.
    at_diagnosis = bool(node and node.is_diagnosis and (session is None or session.is_diagnosis))

    out += ["## " + t("Summary"), ""]
    if node and at_diagnosis:
        out.append(t("Diagnosis: **{title}**. {cause}", title=data_text("tree.title", node.title),
                     cause=data_text("tree.cause", node.cause)))
    elif primary:
        out.append(_md(mask(render(primary.summary))))
    else:
        out.append(t("No diagnosis yet: the log showed no known failure and the tree was not walked to a diagnosis."))
    out.append("")

    if analysis:
        out += ["## " + t("Primary diagnosis from the logs"), ""]
        if primary:
            out += [t("**{title}** ({category}), troubleshooter node {node}.", title=data_text("category.title", primary.title),
                      category=f"`{primary.category}`", node=f"`{primary.tree_node}`"), ""]
            if primary.certainty == "guess":
                out += [render(GUESS_NOTE), ""]
            out += [f"- {_md(mask(render(r)))}" for r in primary.reasoning]  # (reasoning quotes the paste's values)
            out.append("")
            by_line = {f.line: f for f in analysis.findings}
            shown = [f"{t('line {n}', n=n)}: {mask(by_line[n].text)}" for n in primary.evidence_lines if n in by_line]
            if shown:
                out += [t("Evidence lines:"), "", _fence(shown), ""]
            if primary.facts:
                out += [t("What the lines say:"), ""]
                out += [f"- {_md(label)}: {_md(mask(value))}" for label, value in fact_rows(primary.facts)]
                out.append("")
        elif analysis.recovered:  # a failure that recovered, or one the protocol resolved: the notes below say which
            out += [t("No failure that needs fixing was found: the notes below say what the lines show."), ""]
        elif analysis.daemon_stopped:  # the IKE daemon was stopped, nothing failed before it: a note names the line
            out += [t("No failure was found before the IKE daemon was stopped: the notes below name the line."), ""]
        elif analysis.refused_unnamed:  # the peer refused a request without naming a setting: a note says which
            out += [t("The peer refused a request without naming a setting, so no cause is named: the notes below say "
                      "which line."), ""]
        else:
            out += [t("No known failure pattern matched."), ""]
        fmt = analysis.format + (" " + t("(also {formats})", formats=", ".join(analysis.detected_formats[1:]))
                                 if len(analysis.detected_formats) > 1 else "")
        out += [t("Log: {lines}, format {format}, {findings}.",
                  lines=tn("{n:,} line", "{n:,} lines", analysis.lines), format=fmt,
                  findings=tn("{n} finding", "{n} findings", len(analysis.findings))), ""]
        out += [f"- {_md(mask(render(n)))}" for n in analysis.notes]  # (a note may quote the paste's values)
        if analysis.notes:
            out.append("")

    candidates = tree_candidates(session, evidence) if session else []
    if session:
        out += ["## " + t("Path through the troubleshooting tree"), ""]
        if scope:
            out += [t("Evidence scope: {scope} (facts of other tunnels were not used).", scope=_md(mask(scope_text(scope)))), ""]
        answered = session.answered()
        if not answered:
            out.append(t("Opened at {ref}; no question answered yet.", ref=f"`{session.steps[0].ref}`"))
        for i, (n, step) in enumerate(answered, 1):
            question = (data_text("tree.text", n.text) if n.text else
                        t("Which diagnosis matches? ({title})", title=data_text("tree.title", n.title)))
            if step.by_evidence:
                how = " - " + t("answered automatically by evidence ({source})", source=_md(mask(step.source)))
                ev = evidence.get(n.evidence) if evidence and n.evidence else None
                if ev is not None and ev.rule is not None:
                    how += "; " + t("proves: {proves} Does not prove: {not_proves}",
                                    proves=_md(data_text("evidence.proves", ev.rule.proves)),
                                    not_proves=_md(data_text("evidence.does_not_prove", ev.rule.does_not_prove)))
            else:
                how = " - " + t("answered by the person")
            label = (t("Skipped: the logs point to '{title}'", title=data_text("tree.title", jump_title(step)))
                     if step.answer == JUMP else data_text("tree.answer", step.label))
            out.append(f"{i}. {_md(question)} **{_md(label)}**{how}")
        out += ["", t("Current node: {ref} ({title}).", ref=f"`{session.current.ref}`",
                      title=data_text("tree.title", session.current.title)), ""]
        if not session.is_diagnosis and candidates:
            out += [t("Diagnoses still possible, most likely first:"), ""]
            out += [f"- {data_text('tree.title', c.title)} (`{c.ref}`)" + (" - " + t("if: {via}", via=_md(_via(c.via)))
                                                                           if c.via else "") for c in candidates]
            out.append("")

    if node and at_diagnosis:
        out += ["## " + t("Recommended fix and prevention"), ""] + _node_block(node)
        if fix is not None:
            out += fix_markdown(_in_report_language(fix))
    elif node and node.is_diagnosis:
        out += ["## " + t("Next step"), "", t("Several diagnoses remain; pick the one that matches (see the list above)."), ""]
    elif node:
        out += ["## " + t("Next step"), "", t("Continue at {ref}: {text}", ref=f"`{node.ref}`",
                                              text=data_text("tree.text", node.text)), ""]

    if analysis and analysis.findings:
        out += ["## " + t("Findings"), ""]
        rows = [
            f"{t('line {n}', n=f.line)}{' ' + f.time.strftime('%Y-%m-%d %H:%M:%S') if f.time else ''} [{f.category}/{f.phase}] "
            f"({f.pattern}) {mask(f.text)}"  # (a pattern id such as "mt-wrong-password" before ":" would read as a key)
            for f in analysis.findings[:500]
        ]
        out += [_fence(rows), ""]
        if len(analysis.findings) > 500:
            out += [t("({count} more findings not listed.)", count=len(analysis.findings) - 500), ""]

    refs = list(node.references) if node and at_diagnosis else []
    out += ["## " + t("References"), ""]
    out += [f"- [{r.title}]({r.url})" for r in refs]
    out += [
        "- [" + t("Troubleshooting your customer gateway device (AWS)")
        + "](https://docs.aws.amazon.com/vpn/latest/s2svpn/Troubleshooting.html)",
        "- [" + t("Contents of Site-to-Site VPN tunnel logs (AWS)")
        + "](https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html)",
        "",
    ]
    return "\n".join(out)
