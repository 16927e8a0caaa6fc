"""Rendering pieces of the Troubleshooter page: a question, a diagnosis, the log analysis.

Everything that came from a log is shown with st.code / st.dataframe (text), never as Markdown or HTML.
Text from the lab's own data files (trees, categories) is trusted and may use Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import streamlit as st

from lab.analyzer import Analysis, Primary
from lab.analyzer.formats import aws_fields
from lab.evidence import Evidence
from lab.masking import mask_secrets
from lab.tree import CGW_LABELS, Node, suggest
from lab.ui.catalog import catalog
from lab.ui.echo import literal, plain
from lab.ui.lang import _, _n, current, d

LAB_DIR = Path(__file__).resolve().parents[1]
LESSONS_PAGE = str(LAB_DIR / "ui" / "pages" / "lessons.py")


def lesson_titles() -> dict[str, str]:
    """Lesson id -> title of the lessons that exist."""
    return {lesson.id: lesson.title for lesson in catalog(current()).lessons}


def checks(node: Node) -> None:
    """The three ways to check a question."""
    if node.checks is None:
        return
    st.markdown("**" + _("How to check") + "**")
    console, cli, cgw = st.tabs([_("AWS console"), _("AWS CLI (read-only)"), _("Customer gateway")])
    with console:
        st.markdown(d("tree.console", node.checks.console))
    with cli:
        st.code(node.checks.cli, language="bash", wrap_lines=True)
    with cgw:
        for kind, command in node.checks.cgw.items():
            st.caption(CGW_LABELS.get(kind, kind))
            st.code(command, language="bash", wrap_lines=True)


def question(
    node: Node, evidence: Mapping[str, Evidence], on_answer: Callable[[int, bool], None]
) -> None:
    st.markdown(f"### {d('tree.text', node.text)}")
    st.markdown(_("**Why we ask this:** {why}", why=d("tree.why", node.why)))
    hit = suggest(node, evidence)
    if hit is not None:
        index, ev = hit
        st.info(_("Evidence suggests: **{answer}**. You can choose another answer.",
                  answer=d("tree.answer", node.answers[index].label)), icon=":material/fact_check:")
        st.caption(_("Evidence {key} = {value}, because:", key=f"`{node.evidence}`", value=literal(ev.value)))
        st.code(mask_secrets(ev.reason), language=None, wrap_lines=True)
    elif node.evidence:
        st.caption(
            _("Evidence key {key} can answer this automatically when logs or a scenario, replay or "
              "live snapshot provide it.", key=f"`{node.evidence}`")
        )
    for i, a in enumerate(node.answers):
        chosen = hit is not None and hit[0] == i
        st.button(
            d("tree.answer", a.label) + (" " + _("(suggested by evidence)") if chosen else ""),
            key=f"ts_answer_{i}",
            type="primary" if chosen else "secondary",
            on_click=on_answer,
            args=(i, chosen),
            width="stretch",
        )
    checks(node)


def diagnosis(node: Node) -> None:
    st.success(_("Diagnosis: {title}", title=d("tree.title", node.title)), icon=":material/task_alt:")
    st.markdown(_("**Cause.** {text}", text=d("tree.cause", node.cause)))
    st.markdown(_("**Fix.** {text}", text=d("tree.fix", node.fix)))
    st.markdown(_("**Prevention.** {text}", text=d("tree.prevention", node.prevention)))
    titles = lesson_titles()
    if node.lesson in titles:
        st.page_link(
            LESSONS_PAGE,
            label=_("Read the lesson: {title}", title=titles[node.lesson]),
            icon=":material/school:",
            query_params={"lesson": node.lesson},
        )
    else:
        st.caption(_("Lesson to read: {lesson}", lesson=node.lesson))
    st.markdown("**" + _("Official references") + "**")
    for ref in node.references:
        st.markdown(f"- [{ref.title}]({ref.url})")




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
        _("Format: {format} (seen: {seen})", format=result.format, seen=formats) + " · "
        + _n("{n} line", "{n} lines", result.lines) + " · "
        + _n("{n} finding", "{n} findings", len(result.findings))
    )
    for note in result.notes:
        st.caption(_("Note: {note}", note=note))
    p = result.primary
    if p is None:
        st.info(_("No known failure message was found. Walk the tree below, starting with the tunnel state."),
                icon=":material/search_off:")
    else:
        st.warning(_("Primary diagnosis: **{title}**", title=d("category.title", p.title)), icon=":material/troubleshoot:")
        st.markdown(p.summary)
        for r in p.reasoning:
            st.markdown(f"- {plain(mask_secrets(r))}")  # reasoning quotes values read from the log
        _evidence_chain(p)
        st.button(
            _("Go to this node in the troubleshooter"),
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
                    _("line"): f.line,
                    _("time"): f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "",
                    _("category"): f.category,
                    _("phase"): f.phase,
                    _("pattern"): f.pattern,
                    _("message"): mask_secrets(_message(f.text)),
                    _("text"): mask_secrets(f.text),
                    _("explanation"): d("pattern.explanation", f.explanation),
                    _("tree node"): f.tree_node,
                }
                for f in result.findings
            ]
        )
        st.dataframe(frame, hide_index=True, width="stretch", key="ts_findings")


def _fact_text(value: object) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)


def _evidence_chain(p: Primary) -> None:
    """The lines that led to the diagnosis in the order they happened, and the facts they carry (as text)."""
    if p.chain:
        st.markdown("**" + _("Lines that led to the diagnosis, in order") + "**")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        _("line"): f.line,
                        _("time"): f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "",
                        _("event"): f.event,
                        _("message"): mask_secrets(_message(f.text)),
                    }
                    for f in p.chain
                ]
            ),
            hide_index=True,
            width="stretch",
            key="ts_chain",
        )
    if p.facts:
        st.markdown("**" + _("What the lines say") + "**")
        st.dataframe(
            pd.DataFrame(
                [{_("fact"): key, _("value"): mask_secrets(_fact_text(value))} for key, value in p.facts.items()]
            ),
            hide_index=True,
            width="stretch",
            key="ts_facts",
        )
