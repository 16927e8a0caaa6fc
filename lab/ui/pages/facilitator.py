"""Facilitator: create or open a class, follow the room's progress, run live drills, export, delete.

Every action checks the facilitator key against the hash in the database, and every view re-reads the
database (the dashboard every few seconds), so the facilitator may be on another replica than the room.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from lab.classes import class_report, create_class, delete_class, export_csv, verify_facilitator
from lab.classes.drills import (
    QUESTIONS,
    RUN_S,
    DrillSpec,
    answer_label,
    catalogue,
    exercise_drills,
    explanation_in,
    failures_in,
    prepare,
    seconds_left,
)
from lab.classes.live import drill_status, start_drill
from lab.errors import LabError
from lab.figures.classes import (
    DONE,
    NOT_READ,
    READ,
    drill_distribution,
    progress_matrix,
    progress_matrix_width,
    question_success,
)
from lab.i18n import N_
from lab.sim import FAILURE_KINDS, list_scenarios, load_scenario, valid_targets
from lab.store import ClassRow
from lab.ui import identity, style
from lab.ui.catalog import catalog
from lab.ui.lang import _, _n, current
from lab.ui.lang import d as d_

DASHBOARD_POLL_S = 5
DRILL_POLL_S = 2
KINDS = {k.id: k for k in FAILURE_KINDS}
SCENARIOS = {s.id: s for s in list_scenarios()}

st.title(_("Facilitator"))
s = identity.store()
if s is None:
    st.stop()
lessons = catalog(current()).lessons
sizes = {lesson.id: len(lesson.quiz) for lesson in lessons}


def _signed_in() -> ClassRow | None:
    code, key = st.session_state.get("fac_code"), st.session_state.get("fac_key")
    if not code or not key:
        return None
    try:
        return verify_facilitator(s, code, key)  # type: ignore[arg-type]
    except LabError:
        st.session_state.pop("fac_key", None)
        return None


def _create() -> None:
    try:
        row, key = create_class(s, st.session_state.get("fac_new_title", ""), identity.now())  # type: ignore[arg-type]
    except LabError as err:
        st.session_state["fac_error"] = str(err)
        return
    st.session_state.update(fac_code=row.code, fac_key=key, fac_key_shown=key)


def _open() -> None:
    code, key = st.session_state.get("fac_open_code", ""), st.session_state.get("fac_open_key", "")
    try:
        row = verify_facilitator(s, code, key)  # type: ignore[arg-type]
    except LabError as err:
        st.session_state["fac_error"] = str(err)
        return
    st.session_state.update(fac_code=row.code, fac_key=key.strip())


def _join_url(code: str) -> str:
    base = str(st.context.url or "").split("?")[0].rstrip("/")
    if base.endswith("/facilitator"):
        base = base[: -len("/facilitator")]
    return f"{base}/class?code={code}"


error = st.session_state.pop("fac_error", None)
if error:
    st.error(error)
cls = _signed_in()
if cls is None:
    st.markdown(_("Run a training session: create a class, give the room its join code, follow everyone's "
                  "progress and run live drills on the scenario lab."))
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader(_("Create a class"))
        st.text_input(_("Class title"), key="fac_new_title", max_chars=120, placeholder=_("e.g. Network team, week 1"))
        st.button(_("Create class"), key="fac_create", type="primary", on_click=_create)
    with right, st.container(border=True):
        st.subheader(_("Open your class"))
        st.text_input(_("Join code"), key="fac_open_code", max_chars=12, value=st.query_params.get("code", ""))
        st.text_input(_("Facilitator key"), key="fac_open_key", type="password")
        st.button(_("Open"), key="fac_open", on_click=_open)
    st.stop()

st.markdown(f"### {identity.plain(cls.title)}")
c1, c2 = st.columns([1, 2], vertical_alignment="center")
c1.metric(_("Join code"), cls.code)
with c2:
    st.caption(_("Participants open this link (or the Join a class page and type the code):"))
    st.code(_join_url(cls.code), language=None)
shown = st.session_state.pop("fac_key_shown", None)
if shown:
    st.warning(_("Your facilitator key, shown only now: copy it to open this class later or from another "
                 "browser."), icon=":material/key:")
    st.code(shown, language=None)

VIEWS = {"Dashboard": N_("Dashboard"), "Live drill": N_("Live drill"), "Results and settings": N_("Results and settings")}
view = st.segmented_control(_("View"), list(VIEWS), default="Dashboard", format_func=lambda v: _(VIEWS[v]),
                            key="fac_view", label_visibility="collapsed") or "Dashboard"


# --- dashboard -------------------------------------------------------------------------------------------
@st.fragment(run_every=DASHBOARD_POLL_S)
def dashboard() -> None:
    if _signed_in() is None:
        st.warning(_("The class is gone or the key no longer matches."))
        return
    try:
        report = class_report(s, cls.code, sizes)  # type: ignore[arg-type,union-attr]
    except LabError as err:
        st.error(_("The class cannot be read right now: {error}", error=str(err)))
        return
    people = report.participants
    answered = sum(p.progress.answered for p in people)
    first = sum(p.progress.first_try_correct for p in people)
    m = st.columns(4)
    m[0].metric(_("Participants"), len(people))
    m[1].metric(_("Lessons done (all)"), sum(len(p.progress.lessons_done) for p in people))
    m[2].metric(_("Quiz right at the first try"), f"{round(100 * first / answered)} %" if answered else "—",
                help=_n("{done} of {n} answer", "{done} of {n} answers", answered, done=first))
    m[3].metric(_("Drills run"), len(report.drills))
    if not people:
        st.info(_("Nobody has joined yet. Share the join code; participants appear here as they join."))
        return
    st.markdown(_("**Roster**"))
    st.dataframe(pd.DataFrame([{
        _("Name"): p.learner.name,
        _("Lessons read"): len(p.progress.lessons_read),
        _("Lessons done"): len(p.progress.lessons_done),
        _("Quiz answered"): p.progress.answered,
        _("Right at the first try"): p.progress.first_try_correct,
        _("Right in the end"): p.progress.eventually_correct,
        _("Drills answered"): len(p.drills),
    } for p in people]), hide_index=True, width="stretch")
    labels = [f"{lesson.number}" for lesson in lessons]
    states = [[DONE if lesson.id in p.progress.lessons_done else READ if lesson.id in p.progress.lessons_read
               else NOT_READ for lesson in lessons] for p in people]
    names = [p.learner.name for p in people]
    # A phone's column is too narrow for a readable column per lesson: there the matrix keeps a width that fits
    # every lesson number and scrolls sideways (lab/ui/style.py).
    style.scroll_on_phone("fac_matrix", progress_matrix_width(names, len(labels)))
    with st.container(key="fac_matrix_hint"):  # shown on a phone only (lab/ui/style.py)
        st.caption(_("Swipe the progress matrix sideways to see every lesson."))
    with st.container(key="fac_matrix_scroll"):
        st.plotly_chart(progress_matrix(names, labels, states, [lesson.title for lesson in lessons], current()),
                        key="fac_matrix", config={"displayModeBar": False})
    success = report.question_success()
    if success:
        by_id = {lesson.id: lesson for lesson in lessons}
        qlabels = []
        for lesson_id, q, _count, _ok in success:
            lesson = by_id.get(lesson_id)
            text = lesson.quiz[q].question if lesson and q < len(lesson.quiz) else ""
            text = text if len(text) <= 60 else text[:57] + "..."
            qlabels.append(f"L{lesson.number if lesson else '?'} Q{q + 1}: {text}")
        st.plotly_chart(question_success(qlabels, [ok / n for _l, _q, n, ok in success], [n for *_x, n, _ok in success],
                                         current()),
                        key="fac_questions", config={"displayModeBar": False})
    else:
        st.caption(_("No quiz answers yet: the per-question chart appears with the first one."))


# --- live drill ------------------------------------------------------------------------------------------
def _drill_choices() -> list[tuple[str, str, dict]]:
    saved = []
    try:
        for row in s.saved_drills():  # type: ignore[union-attr]
            saved.append((f"saved:{row.id}", _("Saved: {title}", title=row.title), row.spec))
    except LabError as err:
        st.error(_("Saved drills cannot be read: {error}", error=str(err)))
    ready = [(f"ready:{spec.id}", _("Ready-made: {title}", title=d_("drill.title", spec.title)), prepared)
             for _src, spec, prepared in catalogue()]
    lessons = [(f"exercise:{p['drill_id']}", _("Lesson exercise: {title}", title=p["title"]), p)
               for p in exercise_drills(current())]
    return ready + lessons + saved


def _start(prepared: dict, limit: int) -> None:
    row = _signed_in()
    if row is None:
        st.session_state["fac_error"] = _("The facilitator key no longer matches this class.")
        return
    try:
        start_drill(s, row, prepared, identity.now(), limit)  # type: ignore[arg-type]
    except LabError as err:
        st.session_state["fac_error"] = str(err)


def _reveal(drill_id: str) -> None:
    if _signed_in() is not None:
        s.reveal_drill(drill_id, identity.now())  # type: ignore[union-attr]


def _close(drill_id: str) -> None:
    if _signed_in() is not None:
        s.close_drill(drill_id, identity.now())  # type: ignore[union-attr]


@st.fragment(run_every=DRILL_POLL_S)
def drill_monitor() -> None:
    try:
        status = drill_status(s, cls, identity.now())  # type: ignore[arg-type]
    except LabError as err:
        st.error(_("The drill cannot be read right now: {error}", error=str(err)))
        return
    if status is None:
        st.info(_("No drill has run in this class yet. Start one below."))
        return
    d, spec = status.drill, status.drill.spec
    with st.container(border=True):
        phase_text = {"open": _("open · {n} s left", n=seconds_left(d, identity.now())),
                      "closed": _("answers closed"), "revealed": _("revealed to the room")}[status.phase]
        st.markdown(f"**{identity.plain(d_('drill.title', d.title))}** · {phase_text}")
        st.markdown(f"{_(spec['prompt'])}  \n{d_('scenario.title', spec['scenario_title'])} · {_failure_words(spec)}")
        st.metric(_("Answers"), _("{done} of {total}", done=len(status.answers), total=status.participants))
        dist = status.distribution()
        if dist and any(n for _l, n, _r in dist):
            right = [r for *_x, r in dist] if status.phase == "revealed" else None
            st.plotly_chart(drill_distribution([x[0] for x in dist], [x[1] for x in dist], right, current()),
                            key=f"fac_dist_{d.id}", config={"displayModeBar": False})
        else:
            st.caption(_("No answers yet: they appear here as they arrive."))
        with st.expander(_("Right answer and explanation (only you see this until you reveal)"),
                         expanded=status.phase == "revealed"):
            st.markdown(f"**{identity.plain(answer_label(spec, spec['answer']))}**"
                        + (_(" (within ±{n} s)", n=spec["tolerance_s"]) if spec.get("tolerance_s") else ""))
            st.markdown(identity.plain(explanation_in(spec, current())))
        b1, b2 = st.columns(2)
        b1.button(_("Close answers now"), key=f"fac_close_{d.id}", disabled=status.phase != "open",
                  on_click=_close, args=(d.id,))
        b2.button(_("Reveal to the room"), key=f"fac_reveal_{d.id}", type="primary",
                  disabled=status.phase == "revealed", on_click=_reveal, args=(d.id,))


def _failure_words(spec: dict) -> str:
    """The drill's failures as participants read them, each followed by its script form (the CLI's and the
    scenario lab link's), which a facilitator may reuse."""
    words = failures_in(spec, current())
    return "; ".join(f"{identity.plain(w)} (`{f}`)" for w, f in zip(words, spec["failures"], strict=True))


def _builder() -> tuple[dict | None, str]:
    """A facilitator's own drill from the scenario lab's scenarios and failure catalogue."""
    sid = st.selectbox(_("Scenario"), list(SCENARIOS), key="fac_b_scenario",
                       format_func=lambda x: d_("scenario.title", SCENARIOS[x].title))
    spec = load_scenario(sid)
    k1, k2, k3 = st.columns([2, 1.4, 1])
    kind = k1.selectbox(_("Failure"), list(KINDS), key="fac_b_kind", format_func=lambda k: _(KINDS[k].title))
    targets = valid_targets(spec, kind)
    target = k2.selectbox(_("Target"), targets or [_("(none in this design)")], key="fac_b_target",
                          disabled=not targets)
    at = int(k3.number_input(_("At (s)"), min_value=0, max_value=RUN_S - 1, value=60, step=5, key="fac_b_at"))
    question = st.selectbox(_("Question"), list(QUESTIONS), key="fac_b_question",
                            format_func=lambda q: _(QUESTIONS[q][0]))
    title = st.text_input(_("Title"), key="fac_b_title", max_chars=120,
                          value=f"{spec.title.split(':')[0]}: {KINDS[kind].title.lower()}")
    if not targets:
        return None, _("This design has no target for that failure.")
    try:
        drill = DrillSpec(id="custom", title=title or "Drill", scenario=sid, failures=[f"{kind}:{target}@{at}"],
                          question=question)  # type: ignore[arg-type]
        return prepare(drill), ""
    except (LabError, ValueError) as err:
        return None, str(err)


def live() -> None:
    drill_monitor()
    st.subheader(_("Start a drill"))
    sources = {"ready": N_("Ready-made or saved"), "build": N_("Build your own")}
    source = st.radio(_("Drill"), list(sources), key="fac_source", horizontal=True, label_visibility="collapsed",
                      format_func=lambda x: _(sources[x]))
    prepared: dict | None
    problem = ""
    if source == "ready":
        try:
            options = _drill_choices()
        except LabError as err:
            st.error(_("The ready-made drills cannot be loaded: {error}", error=str(err)))
            return
        ids = [o[0] for o in options]
        labels = {o[0]: o[1] for o in options}
        picked = st.selectbox(_("Drill"), ids, key="fac_pick", format_func=lambda i: labels[i])
        prepared = next(o[2] for o in options if o[0] == picked)
    else:
        prepared, problem = _builder()
    if prepared is None:
        st.error(_("This drill cannot run: {problem}", problem=problem))
        return
    st.markdown(f"**{_(prepared['prompt'])}**  \n{d_('scenario.title', prepared['scenario_title'])} · "
                + _failure_words(prepared) + " · "
                + (_("choices: {choices}", choices="; ".join(identity.plain(c) for c in prepared["choices"]))
                   if prepared["choices"] else _("a number of seconds")))
    limit = int(st.number_input(_("Time limit (s)"), min_value=10, max_value=900, step=5,
                                value=int(prepared.get("time_limit_s", 60)), key="fac_limit"))
    a, b = st.columns(2)
    a.button(_("Start this drill"), key="fac_start", type="primary", on_click=_start, args=(prepared, limit))
    if source == "build" and b.button(_("Save for reuse"), key="fac_save"):
        try:
            s.save_drill(str(prepared["title"])[:120], {**prepared, "time_limit_s": limit}, identity.now())  # type: ignore[union-attr]
            st.success(_("Saved: it is listed under Ready-made or saved."))
        except LabError as err:
            st.error(str(err))


# --- results ---------------------------------------------------------------------------------------------
def results() -> None:
    try:
        report = class_report(s, cls.code, sizes)  # type: ignore[arg-type,union-attr]
    except LabError as err:
        st.error(str(err))
        return
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
    st.download_button(_("Download results (CSV)"), export_csv(report), file_name=f"class-{cls.code}-{stamp}.csv",  # type: ignore[union-attr]
                       mime="text/csv", key="fac_csv", icon=":material/download:")
    st.caption(_("One row per participant: lessons read and done, quiz scores (first try and in the end), and "
                 "each drill's answer."))
    with st.container(border=True):
        st.markdown(_("**Delete this class**"))
        st.caption(_("Deletes the class, its drills and answers, and every participant who is in no other "
                     "class, with all their progress. This cannot be undone."))
        typed = st.text_input(_("Type the join code to confirm"), key="fac_delete_code", max_chars=12)
        if st.button(_("Delete class"), key="fac_delete", disabled=typed.strip().upper() != cls.code):  # type: ignore[union-attr]
            if _signed_in() is None:
                st.error(_("The facilitator key no longer matches this class."))
                return
            gone = delete_class(s, cls.code)  # type: ignore[arg-type,union-attr]
            for k in ("fac_code", "fac_key"):
                st.session_state.pop(k, None)
            st.session_state["fac_error"] = None
            st.success(_n("Deleted the class and {n} participant with their progress.",
                          "Deleted the class and {n} participants with their progress.", gone, n=gone))
            st.button(_("Done"), key="fac_deleted_ok")


if view == "Dashboard":
    dashboard()
elif view == "Live drill":
    live()
else:
    results()
st.divider()
if st.button(_("Leave this class (forget the key in this browser)"), key="fac_leave", type="tertiary"):
    for k in ("fac_code", "fac_key"):
        st.session_state.pop(k, None)
    st.rerun()
