"""Rendering pieces of the Troubleshooter page: a question, a diagnosis, the log analysis.

Everything that came from a log is shown with st.code / st.dataframe (text), never as Markdown or HTML.
Text from the lab's own data files (trees, categories) is trusted and may use Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from lab.analyzer import Analysis
from lab.analyzer.formats import aws_fields
from lab.triage.evidence import Evidence
from lab.triage.tree import CGW_LABELS, Node, suggest
from lab.ui.catalog import catalog

LAB_DIR = Path(__file__).resolve().parents[1]
LESSONS_PAGE = str(LAB_DIR / "ui" / "pages" / "lessons.py")


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


def question(
    node: Node, evidence: Mapping[str, Evidence], on_answer: Callable[[int, bool], None]
) -> None:
    st.markdown(f"### {node.text}")
    st.markdown(f"**Why we ask this:** {node.why}")
    hit = suggest(node, evidence)
    if hit is not None:
        index, ev = hit
        st.info(f"Evidence suggests: **{node.answers[index].label}**. You can choose another answer.", icon=":material/fact_check:")
        st.caption(f"Evidence `{node.evidence}` = `{ev.value}`, because:")
        st.code(ev.reason, language=None, wrap_lines=True)
    elif node.evidence:
        st.caption(
            f"Evidence key `{node.evidence}` can answer this automatically when logs or a scenario, replay or "
            "live snapshot provide it."
        )
    for i, a in enumerate(node.answers):
        chosen = hit is not None and hit[0] == i
        st.button(
            a.label + (" (suggested by evidence)" if chosen else ""),
            key=f"ts_answer_{i}",
            type="primary" if chosen else "secondary",
            on_click=on_answer,
            args=(i, chosen),
            width="stretch",
        )
    checks(node)


def diagnosis(node: Node) -> None:
    st.success(f"Diagnosis: {node.title}", icon=":material/task_alt:")
    st.markdown(f"**Cause.** {node.cause}")
    st.markdown(f"**Fix.** {node.fix}")
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
    """The primary diagnosis, its reasoning and the findings table."""
    formats = ", ".join(result.detected_formats) or result.format
    st.caption(
        f"Format: {result.format} (seen: {formats}) · {_count(result.lines, 'line')} · "
        f"{_count(len(result.findings), 'finding')}"
    )
    for note in result.notes:
        st.caption(f"Note: {note}")
    p = result.primary
    if p is None:
        st.info("No known failure message was found. Walk the tree below, starting with the tunnel state.", icon=":material/search_off:")
    else:
        st.warning(f"Primary diagnosis: **{p.title}**", icon=":material/troubleshoot:")
        st.markdown(p.summary)
        for r in p.reasoning:
            st.markdown(f"- {r}")
        st.button(
            "Go to this node in the troubleshooter",
            key="ts_goto_primary",
            type="primary",
            on_click=on_goto,
            args=(p.tree_node,),
            icon=":material/arrow_downward:",
        )
    if result.findings:
        frame = pd.DataFrame(
            [
                {
                    "line": f.line,
                    "time": f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "",
                    "category": f.category,
                    "phase": f.phase,
                    "pattern": f.pattern,
                    "message": _message(f.text),
                    "text": f.text,
                    "explanation": f.explanation,
                    "tree node": f.tree_node,
                }
                for f in result.findings
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch", key="ts_findings")
