"""One lesson on screen: objectives, contents, body blocks, key takeaways, quiz, references, navigation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import plotly.graph_objects as go
import streamlit as st

from lab.classes.progress import QuestionState, answer_question
from lab.errors import LabError
from lab.i18n import N_
from lab.lessons import Block, Catalog, Lesson, QuizQuestion
from lab.lessons.glossary import annotate_html
from lab.store import LearnerRow, Store
from lab.ui import exercise_view, identity
from lab.ui.catalog import localized_glossary
from lab.ui.lang import _, current, d

CALLOUTS = {
    "tip": (st.success, ":material/lightbulb:", N_("Tip")),
    "note": (st.info, ":material/info:", N_("Note")),
    "warning": (st.warning, ":material/warning:", N_("Warning")),
    "important": (st.error, ":material/priority_high:", N_("Important")),
}


@st.cache_resource(show_spinner=False)
def _figure(name: str, lang: str) -> go.Figure:
    from lab.figures import FIGURES
    from lab.i18n.figures import localize_figure

    return localize_figure(FIGURES[name](), lang)


@st.cache_resource(ttl=60, max_entries=64, show_spinner=False)
def _bodies(lesson_id: str, lesson_lang: str, glossary_lang: str, version: int,
            _blocks: tuple[Block, ...]) -> tuple[str, ...]:
    """The HTML of a lesson's Markdown blocks with the glossary hovers added (the same for every reader of
    the lesson in a language, so it is worked out once, not on every page run). `version` is the hash of
    the blocks' HTML: an edited lesson file (the catalog reloads every minute) gets its own entry."""
    explained: set[str] = set()  # glossary terms already given a hover in this lesson
    try:
        g = localized_glossary(glossary_lang)
    except LabError:  # a broken glossary file is reported on the Glossary page; lessons still read
        return tuple(block.html for block in _blocks)
    return tuple(annotate_html(block.html, g, explained) if block.kind == "markdown" else "" for block in _blocks)


@dataclass(frozen=True)
class Reader:
    """Who reads the lesson, read once per page run: the store (None when it cannot be used: the quiz is
    shown but cannot be answered), the learner (None: not signed in yet), the lessons they have done and
    their quiz answers by (lesson id, question)."""

    store: Store | None
    learner: LearnerRow | None
    done: set[str] = field(default_factory=set)
    answers: Mapping[tuple[str, int], QuestionState] = field(default_factory=dict)


def _block(lesson: Lesson, index: int, block: Block, html: str) -> None:
    if block.kind == "heading":
        (st.header if block.level == 2 else st.subheader)(block.title, anchor=block.anchor)
    elif block.kind == "markdown":
        # The HTML comes from our renderer with raw HTML disabled in the source, so it is safe to show;
        # the glossary only adds <abbr title> hovers (escaped) around the first use of each term.
        st.markdown(html, unsafe_allow_html=True)
    elif block.kind == "callout":
        show, icon, label = CALLOUTS.get(block.callout, CALLOUTS["note"])
        heading = f"{_(label)}: {block.title}" if block.title else _(label)
        # Alerts render Markdown (never raw HTML), so the callout keeps its source form.
        show(f"**{heading}**\n\n{block.markdown}", icon=icon)
    else:
        st.plotly_chart(_figure(block.figure, current()), key=f"figure-{lesson.id}-{index}", config={"displaylogo": False})


def _record(lesson: Lesson, i: int, q: QuizQuestion, key: str) -> None:
    """Widget callback: store the answer just given (the first one counts; later ones are retries)."""
    choice = st.session_state.get(key)
    s = identity.store()
    if choice is None or s is None:
        return
    try:
        learner = identity.ensure_learner(s)
        answer_question(s, learner.id, lesson.id, i, int(choice), q.is_correct(int(choice)), identity.now())
    except LabError as err:
        st.session_state["quiz_error"] = str(err)
    st.session_state.pop(f"retry-{lesson.id}-{i}", None)


def _question(lesson: Lesson, i: int, q: QuizQuestion, state: QuestionState | None, enabled: bool) -> None:
    """One question. Unanswered: choices. Answered: the first answer (locked), whether it was right, the
    explanation, and a way to try again that never changes the first-try result."""
    label = f"**{i + 1}. {q.question}**"
    options = list(range(len(q.choices)))
    if state is None:
        key = f"quiz-{lesson.id}-{i}-0"
        st.radio(label, options=options, format_func=lambda j: q.choices[j], index=None, key=key,
                 on_change=_record, args=(lesson, i, q, key), disabled=not enabled)
        return
    first = state.first
    st.radio(label, options=options, format_func=lambda j: q.choices[j], index=first.choice,
             key=f"quiz-{lesson.id}-{i}-first", disabled=True)
    if first.correct:
        st.success(_("Correct at the first try."), icon=":material/check_circle:")
    else:
        st.error(_("Not quite: this first answer is the one that counts."), icon=":material/cancel:")
    st.markdown(_("*Why:* {explanation}", explanation=q.explanation))
    if first.correct:
        return
    retries = state.attempts[1:]
    if state.eventually_correct:
        n = next(a.attempt for a in state.attempts if a.correct)
        st.info(_("You found the right answer on attempt {n}: {answer}", n=n, answer=q.choices[q.answer]),
                icon=":material/replay:")
        return
    if retries:
        last = retries[-1]
        st.caption(_("Attempt {n}: “{choice}” is not right either.", n=last.attempt, choice=q.choices[last.choice]))
    retry_flag = f"retry-{lesson.id}-{i}"
    if not st.session_state.get(retry_flag):
        st.button(_("Try again"), key=f"try-{lesson.id}-{i}", icon=":material/replay:", disabled=not enabled,
                  on_click=lambda: st.session_state.__setitem__(retry_flag, True))
        return
    key = f"quiz-{lesson.id}-{i}-{len(state.attempts)}"
    st.radio(_("Attempt {n}: pick again", n=len(state.attempts) + 1), options=options,
             format_func=lambda j: q.choices[j], index=None, key=key, on_change=_record, args=(lesson, i, q, key),
             disabled=not enabled)


def _quiz(lesson: Lesson, reader: Reader) -> None:
    st.header(_("Quiz"), anchor="quiz")
    s, learner = reader.store, reader.learner
    states = {q: state for (lesson_id, q), state in reader.answers.items() if lesson_id == lesson.id}
    if learner is None and s is not None:
        st.caption(_("Your first answer starts your saved progress on this browser; pick a display name and get "
                     "your resume link on **My progress**."))
    error = st.session_state.pop("quiz_error", None)
    if error:
        st.error(_("That answer was not saved: {error}", error=error))
    for i, q in enumerate(lesson.quiz):
        with st.container(border=True):
            _question(lesson, i, q, states.get(i), enabled=s is not None)
    total = len(lesson.quiz)
    answered = [states[i] for i in range(total) if i in states]
    first_ok = sum(1 for x in answered if x.first_try_correct)
    eventual = sum(1 for x in answered if x.eventually_correct)
    if len(answered) == total and eventual == total:
        st.success(_("Quiz done: {first} of {total} right at the first try, all {total} right in the end. "
                     "This lesson is marked as done.", first=first_ok, total=total), icon=":material/task_alt:")
    elif answered:
        st.info(_("First try: {first} of {answered} right · in the end: {eventual} of {answered} right "
                  "({left} not answered yet).", first=first_ok, answered=len(answered), eventual=eventual,
                  left=total - len(answered)))


def _has_related(lesson: Lesson) -> bool:
    r = lesson.related
    return bool(r.scenario or r.tree_nodes or r.patterns)


def _related(lesson: Lesson) -> None:
    """Where the lesson leads: its scenario, the troubleshooter steps and log lines it prepares for."""
    if not _has_related(lesson):
        return
    from lab.ui.registry import PAGES

    pages = {spec.url_path: spec for spec in PAGES}
    here = Path(__file__).resolve().parents[1]
    st.header(_("Practise it"), anchor="practise-it")
    r = lesson.related
    if r.scenario and "scenario-lab" in pages:
        from lab.sim import load_scenario

        try:
            title = d("scenario.title", load_scenario(r.scenario).title)
        except LabError:
            title = r.scenario
        st.page_link(
            str(here / pages["scenario-lab"].script),
            label=_("Scenario lab: {title}", title=title),
            icon=":material/science:",
            query_params={"scenario": r.scenario},
        )
    if r.tree_nodes and "troubleshooter" in pages:
        from lab.triage.tree import resolve

        st.markdown("**" + _("Troubleshooter steps this lesson prepares you for") + "**")
        for ref in r.tree_nodes:
            try:
                node = resolve(ref)
            except LabError:
                continue  # a stale reference is reported by the content tests, not to the reader
            tree_id, _sep, node_id = ref.partition("/")
            st.page_link(
                str(here / pages["troubleshooter"].script),
                label=d("tree.title", node.title),
                icon=":material/troubleshoot:",
                query_params={"tree": tree_id, "node": node_id},
            )
    if r.patterns:
        from lab.analyzer.patterns import load_patterns

        known = {p.id: p for p in load_patterns()}
        found = [known[pid] for pid in r.patterns if pid in known]
        if found:
            st.markdown("**" + _("Log lines you will now recognise") + "**")
            for pattern in found:
                sample = pattern.match_samples[0] if pattern.match_samples else ""
                st.markdown(f"- {d('pattern.explanation', pattern.explanation)}")
                if sample:
                    st.code(sample, language=None, wrap_lines=True)


def show(lesson: Lesson, catalog: Catalog, *, reader: Reader, open_lesson: Callable[[str | None], None]) -> None:
    identity.write_cookie()
    done = reader.done
    st.button(_("All lessons"), key="back-to-list", icon=":material/arrow_back:", on_click=open_lesson, args=(None,))
    st.title(lesson.title)
    status = _("Done") if lesson.id in done else _("Not done yet")
    st.caption(_("Lesson {number} · {minutes} min · {questions} quiz questions · {status}", number=lesson.number,
                 minutes=lesson.minutes, questions=len(lesson.quiz), status=status))

    main, aside = st.columns([3, 1], gap="large")
    with aside:
        st.markdown("**" + _("On this page") + "**")
        links = [f"- [{h.text}](#{h.anchor})" if h.level == 2 else f"    - [{h.text}](#{h.anchor})" for h in lesson.toc]
        links.append(f"- [{_('Key takeaways')}](#key-takeaways)")
        if _has_related(lesson):
            links.append(f"- [{_('Practise it')}](#practise-it)")
        links.append(f"- [{_('Quiz')}](#quiz)")
        if lesson.exercises:
            links.append(f"- [{_('Exercises')}](#exercises)")
        links.append(f"- [{_('References')}](#references)")
        st.markdown("\n".join(links))
        if lesson.facts_used:
            st.markdown("**" + _("AWS facts in this lesson") + "**")
            for f in lesson.facts_used:
                st.markdown(f"- {d('fact.summary', f.summary)} [{_('Source')}]({f.sources[0]})")
                for alt in f.disputed:
                    st.caption(_("Sources disagree: {note}", note=d("fact.disputed", alt.note)))

    with main:
        with st.container(border=True, key="lesson-objectives"):
            st.markdown("**" + _("In this lesson you will learn to") + "**")
            st.markdown("\n".join(f"- {o}" for o in lesson.objectives))
        blocks = tuple(lesson.blocks)
        bodies = _bodies(lesson.id, lesson.lang, current(), hash(tuple(b.html for b in blocks)), blocks)
        for index, block in enumerate(blocks):
            _block(lesson, index, block, bodies[index])

        st.header(_("Key takeaways"), anchor="key-takeaways")
        st.markdown("\n".join(f"- {k}" for k in lesson.keypoints))

        _related(lesson)

        _quiz(lesson, reader)

        exercise_view.show(lesson)

        st.header(_("References"), anchor="references")
        st.markdown("\n".join(f"- [{r.title}]({r.url})" for r in lesson.references))

    # The rule and the Previous/Next buttons close the lesson's column, as wide as the text above them (the
    # right-hand column's width stays empty; on a phone the columns stack and both are the screen's width).
    footer, _aside = st.columns([3, 1], gap="large")
    with footer, st.container(key="lesson-footer"):
        st.divider()
        prev_lesson, next_lesson = catalog.neighbours(lesson.id)
        buttons = (
            (prev_lesson, N_("Previous: {title}"), "prev-lesson", ":material/arrow_back:"),
            (next_lesson, N_("Next: {title}"), "next-lesson", ":material/arrow_forward:"),
        )
        for column, (neighbour, label, key, icon) in zip(st.columns(2), buttons, strict=True):
            if neighbour is not None:
                column.button(_(label, title=neighbour.title), key=key, icon=icon, on_click=open_lesson,
                              args=(neighbour.id,))
