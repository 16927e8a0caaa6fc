"""Rendering pieces of the Troubleshooter page: the path, a question, a shortlist, a diagnosis, the log analysis.

Everything that came from a log, a snapshot or a URL is shown as text: st.code / st.dataframe / st.text, or
Markdown with every special character escaped (`esc`); st.table renders Markdown in its cells, so they are escaped
too. Text from the lab's own data files (trees, categories, fixes) is trusted and may use Markdown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from lab.analyzer import Analysis, Primary, bgp
from lab.analyzer.diagnosis import categories, category_title
from lab.analyzer.formats import aws_fields
from lab.analyzer.model import GUESS_NOTE, Finding
from lab.analyzer.patterns import EVENT_LABELS, listing_rows
from lab.analyzer.protocol import KIND_CATEGORY, fact_rows
from lab.i18n import Msg, render
from lab.masking import mask_secrets
from lab.triage import tree as engine
from lab.triage.evidence import Evidence
from lab.triage.fixes import Fix, families
from lab.triage.tree import CGW_LABELS, Node, suggest
from lab.ui.catalog import catalog
from lab.ui.echo import plain
from lab.ui.lang import _, _n, current, d

LAB_DIR = Path(__file__).resolve().parents[1]
LESSONS_PAGE = str(LAB_DIR / "ui" / "pages" / "lessons.py")


def esc(text: str) -> str:
    """Masked, Markdown-escaped text: shows exactly as written, never as formatting, links (autolinks included),
    emoji or directives, or HTML. One line, never shortened."""
    return plain(mask_secrets(str(text)), limit=len(str(text)) + 1_000)


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


def path(session: engine.Session) -> None:
    """Breadcrumbs: each answered question, its answer, and whether the person or the evidence gave it."""
    parts = []
    for n, step in engine.path(session):
        if step.answer is None:
            parts.append(f"**{esc(d('tree.title', n.title))}**")
            continue
        who = _("automatic") if step.by_evidence else _("you")
        parts.append(f"{esc(d('tree.title', n.title))} → {esc(_label(step))} ({who})")
    st.caption(_("Path: {path}", path="  ›  ".join(parts)))
    auto = [(n, s) for n, s in engine.path(session) if s.answer is not None and s.by_evidence]
    if auto:
        with st.expander(_n("{n} answer given automatically by the evidence",
                            "{n} answers given automatically by the evidence", len(auto))):
            for n, s in auto:
                st.markdown(f"**{esc(d('tree.title', n.title))}** → {esc(_label(s))}")
                st.caption(_("From: {source}", source=esc(s.source)))


def _label(step: engine.Step) -> str:
    """An answer label in the page language (answers come from the trees; "not sure" and skips from the engine)."""
    if step.answer == engine.NOT_SURE:
        return _("Not sure")
    if step.answer == engine.JUMP:
        return _("Skipped: the logs point further")
    return d("tree.answer", step.label) if not engine.resolve(step.ref).is_diagnosis else d("tree.title", step.label)


def _evidence_note(node: Node, ev: Evidence, chosen: str) -> None:
    st.info(_("Evidence suggests: **{answer}**. You can choose another answer.", answer=esc(chosen)),
            icon=":material/fact_check:")
    st.caption(_("Automatic answer from {source}; evidence {key} = {value} because:", source=esc(ev.source_text),
                 key=f"`{node.evidence}`", value=f"`{esc(ev.value)}`"))
    st.code(mask_secrets(ev.reason), language=None, wrap_lines=True)
    if ev.rule is not None:
        st.caption(_("Proves: {proves} Does not prove: {not_proves}", proves=esc(d("evidence.proves", ev.rule.proves)),
                     not_proves=esc(d("evidence.does_not_prove", ev.rule.does_not_prove))))


def question(node: Node, evidence: Mapping[str, Evidence], on_answer: Callable[..., None]) -> None:
    st.markdown(f"### {d('tree.text', node.text)}")
    st.markdown(_("**Why we ask this:** {why}", why=d("tree.why", node.why)))
    hit = suggest(node, evidence)
    ev = evidence.get(node.evidence) if node.evidence else None
    if hit is not None:
        index, used = hit
        _evidence_note(node, used, d("tree.answer", node.answers[index].label))
    elif ev is not None and ev.conflicts:
        st.warning(_("The evidence disagrees, so you decide. Both pieces:"), icon=":material/call_split:")
        for piece in ev.conflicts:
            st.code(mask_secrets(f"{piece.value} - {piece.source_text}: {piece.reason}"), language=None, wrap_lines=True)
    elif ev is not None:
        st.caption(_("Evidence {key} = {value} ({source}) does not pick an answer here.", key=f"`{node.evidence}`",
                     value=f"`{esc(ev.value)}`", source=esc(ev.source_text)))
    elif node.evidence:
        st.caption(
            _("Evidence key {key} can answer this automatically when logs or a scenario, replay or "
              "live snapshot provide it.", key=f"`{node.evidence}`")
        )
    for i, a in enumerate(node.answers):
        chosen = hit is not None and hit[0] == i
        source = hit[1].source_text if chosen and hit is not None else ""
        st.button(
            d("tree.answer", a.label) + (" " + _("(suggested by evidence)") if chosen else ""),
            key=f"ts_answer_{i}",
            type="primary" if chosen else "secondary",
            on_click=on_answer,
            args=(i, chosen, source),
            width="stretch",
        )
    st.button(
        _("Not sure - keep every branch open and ask what tells them apart"),
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
    st.markdown("### " + _("Several diagnoses remain. Which one matches what you see?"))
    st.caption(_("Your 'not sure' answers left these open; each shows the answer that leads to it."))
    ranked = {c.ref: c for c in engine.candidates(session, evidence)}
    for i, ref in enumerate(refs):
        node = engine.resolve(ref)
        st.button(d("tree.title", node.title), key=f"ts_pick_{i}", on_click=on_answer, args=(i, False, ""), width="stretch")
        cand = ranked.get(ref)
        st.caption(esc(d("tree.cause", node.cause)[:220]) + (" - " + _("if: {via}", via=esc(_via(cand.via))) if cand and cand.via else ""))


def candidates(session: engine.Session, evidence: Mapping[str, Evidence]) -> None:
    found = engine.candidates(session, evidence)
    if not found:
        return
    with st.expander(_("Diagnoses still possible ({n}), most likely first", n=len(found)), expanded=bool(session.open)):
        # st.table renders Markdown in its cells: what tells a diagnosis apart can quote evidence read from a log.
        rows = [{_("diagnosis"): d("tree.title", c.title), _("what tells it apart"): esc(_via(c.via)) if c.via
                 else _("(reached)")} for c in found]
        st.table(pd.DataFrame(rows), hide_index=True)


def _via(via: str) -> str:
    """"<question title> → <answer>" in the page language."""
    title, sep, answer = via.partition(" → ")
    return f"{d('tree.title', title)} → {d('tree.answer', answer)}" if sep else via


def diagnosis(node: Node, fix: Fix | None = None, from_log: bool = False) -> None:
    """The diagnosis with its fix; `from_log`: the commands are for the family that wrote the pasted log, not one the
    person chose."""
    st.success(_("Diagnosis: {title}", title=d("tree.title", node.title)), icon=":material/task_alt:")
    st.markdown(_("**Cause.** {text}", text=d("tree.cause", node.cause)))
    st.markdown(_("**Fix.** {text}", text=d("tree.fix", node.fix)))
    if fix is not None and fix.lines:
        st.markdown("**" + _("With the values from the evidence:") + "**")
        for line in fix.lines:
            st.markdown(f"- {esc(line)}")
    fams = families()
    st.selectbox(
        _("Your customer gateway (chosen once for this session)"),
        list(fams),
        index=None,
        key="ts_family",
        format_func=lambda f: fams[f],
        placeholder=_("Choose the device family for the commands"),
    )
    if fix is not None and fix.device:
        st.info(_("On the customer gateway: {text}", text=esc(fix.device)), icon=":material/router:")
    if fix is not None and fix.commands and from_log:
        st.caption(_("Commands for {family}, the device that wrote the log: choose your family above for another.",
                     family=fams[fix.family]))
    if fix is not None and fix.commands:
        for c in fix.commands:
            st.markdown(f"**{esc(c.title)}** ({c.family_label})")
            if c.command:
                st.code(c.command, language=None, wrap_lines=True)
                st.caption(_("Source: {url}", url=c.source) if c.verified else
                           _("Source: {url} (the command was not checked against this page)", url=c.source))
            else:
                st.markdown(_("No command on {family}: {note}", family=c.family_label, note=esc(c.note)))
                st.caption(_("Where it is documented: {url}", url=c.source))
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
    """The primary diagnosis, its reasoning and the findings table (messages shown whole)."""
    formats = ", ".join(result.detected_formats) or result.format
    # (the formats seen only when they are not just the one the log was read as)
    read_as = (_("Format: {format}", format=esc(result.format)) if formats == result.format
               else _("Format: {format} (seen: {seen})", format=esc(result.format), seen=esc(formats)))
    st.caption(
        read_as + " · "
        + _n("{n} line", "{n} lines", result.lines) + " · "
        + _n("{n} finding", "{n} findings", len(result.findings))
    )
    for note in result.notes:
        st.caption(_("Note: {note}", note=esc(render(note, current()))))
    p = result.primary
    if p is None and result.recovered:  # a failure that recovered, or one the protocol resolved: the notes say which
        st.info(_("No failure that needs fixing was found: the notes above say what the lines show. If the tunnel is "
                  "still down, walk the tree above, starting with the tunnel state."), icon=":material/search_off:")
    elif p is None and result.daemon_stopped:  # the IKE daemon was stopped, nothing failed before: a note names the line
        st.info(_("No failure was found before the IKE daemon was stopped: the note above names the line. Its tunnels "
                  "are down while it is not running: start it, and if a tunnel still does not come up, walk the tree "
                  "above."), icon=":material/search_off:")
    elif p is None and result.refused_unnamed:  # the peer refused a request without naming a setting: a note says which
        st.info(_("The peer refused a request without naming a setting, so no cause can be named from these lines: "
                  "the note above names the line. Walk the tree above, starting with the tunnel state."),
                icon=":material/search_off:")
    elif p is None:
        st.info(_("No known failure message was found. Walk the tree above, starting with the tunnel state."),
                icon=":material/search_off:")
    else:
        st.warning(_("Primary diagnosis: **{title}**", title=esc(d("category.title", p.title))), icon=":material/troubleshoot:")
        st.markdown(esc(p.summary_in(current())))
        if p.certainty == "guess":  # only the peer's silence or a daemon's own guess points at the cause
            st.caption(esc(GUESS_NOTE.render(current())))
        for r in p.reasoning_in(current()):
            st.markdown(f"- {esc(r)}")  # reasoning quotes values read from the log
        _evidence_chain(p)
        st.button(
            _("Go to this node in the troubleshooter"),
            key="ts_goto_primary",
            on_click=on_goto,
            args=(p.tree_node,),
            icon=":material/arrow_upward:",
        )
    if result.findings:
        shown = result.findings[:200]
        # (a heading of its own: beside the chain above, the same lines would otherwise read as a repeated table)
        st.markdown("**" + _("Every line that matched a known message") + "**")
        _line_table("ts_lines_table", shown, _("category"), _line_cause)
        if len(result.findings) > len(shown):
            st.caption(_n("{n} more finding is in the full table below.", "{n} more findings are in the full table below.",
                          len(result.findings) - len(shown)))
        with st.expander(_("All findings with their pattern, explanation and tree node")):
            frame = pd.DataFrame(
                [
                    {
                        _("line"): f.line,
                        _("category"): f.category,
                        _("phase"): f.phase,
                        _("pattern"): f.pattern,
                        _("text"): mask_secrets(f.text),
                        _("explanation"): d("pattern.explanation", f.explanation),
                        _("tree node"): f.tree_node,
                    }
                    for f in result.findings
                ]
            )
            st.dataframe(frame, hide_index=True, width="stretch", key="ts_findings")


def _line_table(key: str, findings: Sequence[Finding], label: str, label_of: Callable[[Finding], str]) -> None:
    """Log lines as a table: line, time (when any line has one), `label` (what the line is read as) and the message.
    st.table wraps long messages instead of cutting them off, and renders Markdown in its cells: the message is
    escaped (and masked). The keyed container lets the label column, second to last, keep its words whole on a
    phone (style.py)."""
    rows = [
        {
            _("line"): f.line,
            _("time"): f.time.strftime("%Y-%m-%d %H:%M:%S") if f.time else "",
            label: label_of(f),
            _("message"): esc(_message(f.text)),
        }
        for f in findings
    ]
    with st.container(key=key):
        st.table(_without_empty_time(pd.DataFrame(rows)), hide_index=True)


def _without_empty_time(frame: pd.DataFrame) -> pd.DataFrame:
    """The table without its time column when no line had a time (a pluto console, a pasted debug)."""
    column = _("time")
    return frame.drop(columns=column) if column in frame and not frame[column].astype(bool).any() else frame


def _category_title(category: str | None, facts: Mapping[str, Any] | None = None) -> str:
    """A finding's category in words, in the page language (the id as it is when it has no title); its facts tell a
    BGP session that stays up without routes from one that went down."""
    if not category:  # a line recognised but read as no cause (stray ESP): a note says why
        return _("no cause (see the notes)")
    if category not in categories():
        return str(category)
    return d("category.title", category_title(category, dict(facts or {})))


# Lines that say something came up: shown as what they say, not as the cause whose context they are (a BGP session
# established again belongs to the "BGP session down" reading, but does not say the session went down).
_SUCCESS_EVENTS = frozenset({"bgp_up", "established"})


def _line_cause(f: Finding) -> str:
    """The category column of a matched line: its cause in words, or what it says when it is a success line."""
    if f.event in _SUCCESS_EVENTS and f.category:
        return _meaning(EVENT_LABELS, f.event)
    return _category_title(f.category, f.facts)


def _meaning(labels: Mapping[str, Msg], key: str) -> str:
    """What an event kind means, in the page language; a kind without a label is shown as it is in `--json`."""
    label = labels.get(key)
    return label.render(current()) if label is not None else key


def _event_text(f: Finding) -> str:
    """What a line of the chain says; when the reasoning reads it as another cause than its words name (charon's
    "no IKE config found" refusing a request of an IKE version this side does not run is read as a version mismatch,
    not as the authentication failure the words alone suggest; pluto's unanswered Quick Mode, a guess between the
    subnets and the proposals, read as the proposals), the cause it is read as too - for a line that decides the
    diagnosis and for one that only supports it alike, so no line of the chain names another cause than the
    diagnosis without saying how it was read."""
    no_routes = f.event == "bgp_down" and (f.facts or {}).get("bgp_reason") in bgp.NO_ROUTES
    waiting = f.event == "retransmit" and f.pattern in listing_rows()  # (a listing shows it waiting: nothing was resent)
    label = _meaning(EVENT_LABELS, "bgp_no_routes" if no_routes else "listing_waiting" if waiting else f.event)
    named = KIND_CATEGORY.get(f.event)
    if named and f.category and f.category != named:
        return _("{event} (read here as: {cause})", event=label, cause=_category_title(f.category, f.facts))
    return label


def _evidence_chain(p: Primary) -> None:
    """The lines that led to the diagnosis in the order they happened, and the facts they carry (as text)."""
    # st.table wraps long messages and values at every screen size (a phone included) instead of cutting them off;
    # it renders Markdown in its cells, so what the log says is escaped (and masked).
    if p.chain:
        st.markdown("**" + _("Lines that led to the diagnosis, in order") + "**")
        _line_table("ts_chain_table", p.chain, _("event"), lambda f: esc(_event_text(f)))
    if p.facts:
        st.markdown("**" + _("What the lines say") + "**")
        st.table(
            pd.DataFrame(
                [{_("fact"): esc(label), _("value"): esc(value)} for label, value in fact_rows(p.facts, current())]
            ),
            hide_index=True,
        )
