"""Rendering pieces of the Troubleshooter page: the path, a question, a shortlist, a diagnosis, the log analysis.

Everything that came from a log, a snapshot or a URL is shown as text: st.code / st.table / st.text, or
Markdown with every special character escaped (`esc`). Text from the lab's own data files (trees,
categories, fixes) is trusted and may use Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from lab.analyzer import Analysis
from lab.analyzer.formats import aws_fields
from lab.masking import mask_secrets
from lab.triage import tree as engine
from lab.triage.evidence import Evidence
from lab.triage.fixes import Fix, families
from lab.triage.tree import CGW_LABELS, Node, suggest
from lab.ui.catalog import catalog

LAB_DIR = Path(__file__).resolve().parents[1]
LESSONS_PAGE = str(LAB_DIR / "ui" / "pages" / "lessons.py")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~$])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+[.)])")


def esc(text: str) -> str:
    """Masked, Markdown-escaped text: shows exactly as written, never as formatting, links or HTML."""
    out = _MD_SPECIAL.sub(r"\\\1", mask_secrets(str(text))).replace("\n", " ")
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)


def lesson_titles() -> dict[str, str]:
    """Lesson id -> title of the lessons that exist."""
    return {lesson.id: lesson.title for lesson in catalog().lessons}


def checks(node: Node) -> None:
    """The three ways to check a question."""
    if node.checks is None:
        return
    st.markdown("**How to check**")
    console, cli, cgw = st.tabs(["AWS console", "AWS CLI (read-only)", "Customer gateway"])
    with console:
        st.markdown(node.checks.console)
    with cli:
        st.code(node.checks.cli, language="bash", wrap_lines=True)
    with cgw:
        for kind, command in node.checks.cgw.items():
            st.caption(CGW_LABELS.get(kind, kind))
            st.code(command, language="bash", wrap_lines=True)


def path(session: engine.Session) -> None:
    """Breadcrumbs: each answered question, its answer, and whether the person or the evidence gave it."""
    parts = []
    for n, step in engine.path(session):
        if step.answer is None:
            parts.append(f"**{esc(n.title)}**")
            continue
        who = "automatic" if step.by_evidence else "you"
        parts.append(f"{esc(n.title)} → {esc(step.label)} ({who})")
    st.caption("Path: " + "  ›  ".join(parts))
    auto = [(n, s) for n, s in engine.path(session) if s.answer is not None and s.by_evidence]
    if auto:
        with st.expander(f"{len(auto)} answer{'s' if len(auto) != 1 else ''} given automatically by the evidence"):
            for n, s in auto:
                st.markdown(f"**{esc(n.title)}** → {esc(s.label)}")
                st.caption("From: " + esc(s.source))


def _evidence_note(node: Node, ev: Evidence, chosen: str) -> None:
    st.info(f"Evidence suggests: **{esc(chosen)}**. You can choose another answer.", icon=":material/fact_check:")
    st.caption(f"Automatic answer from {esc(ev.source_text)}; evidence `{esc(node.evidence)}` = `{esc(ev.value)}` because:")
    st.code(mask_secrets(ev.reason), language=None, wrap_lines=True)
    if ev.rule is not None:
        st.caption(f"Proves: {esc(ev.rule.proves)} Does not prove: {esc(ev.rule.does_not_prove)}")


def question(node: Node, evidence: Mapping[str, Evidence], on_answer: Callable[..., None]) -> None:
    st.markdown(f"### {node.text}")
    st.markdown(f"**Why we ask this:** {node.why}")
    hit = suggest(node, evidence)
    ev = evidence.get(node.evidence) if node.evidence else None
    if hit is not None:
        index, used = hit
        _evidence_note(node, used, node.answers[index].label)
    elif ev is not None and ev.conflicts:
        st.warning("The evidence disagrees, so you decide. Both pieces:", icon=":material/call_split:")
        for piece in ev.conflicts:
            st.code(mask_secrets(f"{piece.value} - {piece.source_text}: {piece.reason}"), language=None, wrap_lines=True)
    elif ev is not None:
        st.caption(f"Evidence `{esc(node.evidence)}` = `{esc(ev.value)}` ({esc(ev.source_text)}) does not pick an answer here.")
    elif node.evidence:
        st.caption(
            f"Evidence key `{node.evidence}` can answer this automatically when logs or a scenario, replay or "
            "live snapshot provide it."
        )
    for i, a in enumerate(node.answers):
        chosen = hit is not None and hit[0] == i
        source = hit[1].source_text if chosen and hit is not None else ""
        st.button(
            a.label + (" (suggested by evidence)" if chosen else ""),
            key=f"ts_answer_{i}",
            type="primary" if chosen else "secondary",
            on_click=on_answer,
            args=(i, chosen, source),
            width="stretch",
        )
    st.button(
        "Not sure - keep every branch open and ask what tells them apart",
        key="ts_not_sure",
        on_click=on_answer,
        args=(engine.NOT_SURE, False, ""),
        width="stretch",
        icon=":material/help:",
    )
    checks(node)


def shortlist(session: engine.Session, evidence: Mapping[str, Evidence], on_answer: Callable[..., None]) -> None:
    """Only diagnoses are left and more than one: the person picks the one that matches."""
    refs = [session.current.ref, *session.open]
    st.markdown("### Several diagnoses remain. Which one matches what you see?")
    st.caption("Your 'not sure' answers left these open; each shows the answer that leads to it.")
    ranked = {c.ref: c for c in engine.candidates(session, evidence)}
    for i, ref in enumerate(refs):
        node = engine.resolve(ref)
        st.button(node.title, key=f"ts_pick_{i}", on_click=on_answer, args=(i, False, ""), width="stretch")
        cand = ranked.get(ref)
        st.caption(esc(node.cause[:220]) + (f" - if: {esc(cand.via)}" if cand and cand.via else ""))


def candidates(session: engine.Session, evidence: Mapping[str, Evidence]) -> None:
    found = engine.candidates(session, evidence)
    if not found:
        return
    with st.expander(f"Diagnoses still possible ({len(found)}), most likely first", expanded=bool(session.open)):
        rows = [{"diagnosis": c.title, "what tells it apart": c.via or "(reached)"} for c in found]
        st.table(pd.DataFrame(rows))


def diagnosis(node: Node, fix: Fix | None = None) -> None:
    st.success(f"Diagnosis: {node.title}", icon=":material/task_alt:")
    st.markdown(f"**Cause.** {node.cause}")
    st.markdown(f"**Fix.** {node.fix}")
    if fix is not None and fix.lines:
        st.markdown("**With the values from the evidence:**")
        for line in fix.lines:
            st.markdown(f"- {esc(line)}")
    fams = families()
    st.selectbox(
        "Your customer gateway (chosen once for this session)",
        list(fams),
        index=None,
        key="ts_family",
        format_func=lambda f: fams[f],
        placeholder="Choose the device family for the commands",
    )
    if fix is not None and fix.commands:
        for c in fix.commands:
            st.markdown(f"**{c.title}** ({c.family_label})")
            if c.command:
                st.code(c.command, language=None, wrap_lines=True)
                st.caption(f"Source: {c.source}")
            else:
                st.caption(f"No documented command for {c.family_label} in the lab's data; see the device's documentation.")
    st.markdown(f"**Prevention.** {node.prevention}")
    titles = lesson_titles()
    if node.lesson in titles:
        st.page_link(
            LESSONS_PAGE,
            label=f"Read the lesson: {titles[node.lesson]}",
            icon=":material/school:",
            query_params={"lesson": node.lesson},
        )
    else:
        st.caption(f"Lesson to read: {node.lesson}")
    st.markdown("**Official references**")
    for ref in node.references:
        st.markdown(f"- [{ref.title}]({ref.url})")


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _message(line: str) -> str:
    """The message of an AWS JSON log line (its details field); other lines as they are."""
    fields = aws_fields(line) if line.lstrip().startswith("{") else None
    if not fields:
        return line
    detail = fields.get("details") or fields.get("VpnLogDetail")
    if detail is None and isinstance(fields.get("message"), dict):
        detail = fields["message"].get("details")
    return str(detail) if detail else line


def analysis(result: Analysis, on_goto: Callable[[str], None]) -> None:
    """The primary diagnosis, its reasoning and the findings table (messages shown whole)."""
    formats = ", ".join(result.detected_formats) or result.format
    st.caption(
        f"Format: {esc(result.format)} (seen: {esc(formats)}) · {_count(result.lines, 'line')} · "
        f"{_count(len(result.findings), 'finding')}"
    )
    for note in result.notes:
        st.caption(f"Note: {esc(note)}")
    p = result.primary
    if p is None:
        st.info("No known failure message was found. Walk the tree above, starting with the tunnel state.", icon=":material/search_off:")
    else:
        st.warning(f"Primary diagnosis: **{esc(p.title)}**", icon=":material/troubleshoot:")
        st.markdown(esc(p.summary))
        for r in p.reasoning:
            st.markdown(f"- {esc(r)}")
        st.button(
            "Go to this node in the troubleshooter",
            key="ts_goto_primary",
            on_click=on_goto,
            args=(p.tree_node,),
            icon=":material/arrow_upward:",
        )
    if result.findings:
        shown = result.findings[:200]
        rows = [
            {
                "line": f.line,
                "time": f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "",
                "category": f.category,
                "message": mask_secrets(_message(f.text)),
            }
            for f in shown
        ]
        # st.table wraps long messages instead of cutting them off.
        st.table(pd.DataFrame(rows).set_index("line"))
        if len(result.findings) > len(shown):
            st.caption(f"{len(result.findings) - len(shown):,} more findings are in the full table below.")
        with st.expander("All findings with their pattern, explanation and tree node"):
            frame = pd.DataFrame(
                [
                    {
                        "line": f.line,
                        "category": f.category,
                        "phase": f.phase,
                        "pattern": f.pattern,
                        "text": mask_secrets(f.text),
                        "explanation": f.explanation,
                        "tree node": f.tree_node,
                    }
                    for f in result.findings
                ]
            )
            st.dataframe(frame, hide_index=True, width="stretch", key="ts_findings")
