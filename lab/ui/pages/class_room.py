"""Join a class: a participant joins with the room's code and a display name, then answers live drills.

Everything is read from the database on every run (the drill area every two seconds), so the
facilitator can run the room from another replica. Participants see only their own answer until the
facilitator reveals the drill; the reveal shows the right answer, the explanation, how the room
answered, and opens the simulation in the scenario lab.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab.classes import find_class, join_class
from lab.classes.drills import answer_label, explanation_in, failures_in, seconds_left, steps_in
from lab.classes.live import participant_drill_status, submit_answer
from lab.errors import LabError
from lab.figures.classes import drill_distribution
from lab.store import ClassRow, LearnerRow, Store
from lab.ui import identity
from lab.ui.lang import _
from lab.ui.lang import current as current_lang
from lab.ui.lang import d as d_
from lab.ui.registry import page

LAB_DIR = Path(__file__).resolve().parents[2]
POLL_S = 2

title = st.empty()  # the page's title: "Join a class", or the class once joined (settled below)
identity.write_cookie()
s = identity.store()
if s is None:
    title.title(_("Join a class"))
    st.stop()
linked = st.query_params.get("code", "").strip()


def _join(code_key: str, name_key: str) -> None:
    store: Store = s  # type: ignore[assignment]
    try:
        current = identity.current_learner(store)
        row, _me, token = join_class(store, st.session_state.get(code_key, ""), identity.now(),
                                     name=st.session_state.get(name_key), learner=current, lang=current_lang())
    except LabError as err:
        st.session_state["join_error"] = str(err)
        return
    if token:
        identity.remember(token)
    st.query_params["code"] = row.code


def _join_form(prefill: str, me: LearnerRow | None) -> None:
    error = st.session_state.pop("join_error", None)
    if error:
        st.error(error)
    st.markdown(_("Your facilitator gives the room a join code. Join with it and a display name; the drills "
                  "the facilitator starts then appear on this page."))
    with st.container(border=True):
        st.text_input(_("Join code"), key="join-code", value=prefill, max_chars=12, placeholder=_("e.g. K7M2QX"))
        if me is None:
            st.text_input(_("Display name"), key="join-name", max_chars=40, placeholder=_("e.g. Mina"),
                          help=_("Plain text, up to 40 characters. The facilitator sees it; other participants "
                                 "do not see your answers."))
        else:
            st.markdown(_("You join as **{name}** (change it on My progress).", name=identity.plain(me.name)))
        st.button(_("Join"), key="join", type="primary", on_click=_join, args=("join-code", "join-name"))


cls: ClassRow | None = None
learner: LearnerRow | None = None
try:
    with s.reading():  # the learner and their class in one transaction
        learner = identity.current_learner(s)
        if learner is not None:
            mine = s.classes_of(learner.id)
            if linked:
                wanted = find_class(s, linked)
                cls = wanted if any(c.id == wanted.id for c in mine) else None
            elif mine:
                cls = mine[0]
except LabError as err:
    st.error(str(err))
if cls is None or learner is None:
    title.title(_("Join a class"))
    _join_form(linked, learner)
    st.stop()

# In the class, the page is the class: its title, then the drill area.
title.title(identity.plain(cls.title), anchor=False)
st.caption(_("Class {code} · you are in as {name}", code=cls.code, name=identity.plain(learner.name)))


def _answer(drill_id: str, key: str) -> None:
    store: Store = s  # type: ignore[assignment]
    drill = store.drill(drill_id)
    raw = st.session_state.get(key)
    if drill is None or raw is None:
        st.session_state["drill_error"] = _("Pick or type an answer first.")
        return
    try:
        submit_answer(store, drill, learner.id, str(raw), identity.now())  # type: ignore[union-attr]
    except LabError as err:
        st.session_state["drill_error"] = str(err)


def _choice(spec: dict, i: int) -> str:
    """A drill choice in the page language (the person-needed answers are catalogue messages)."""
    text = str(spec["choices"][i])
    return _(text) if spec.get("question") == "person_needed" else text


def _label(spec: dict, answer: str | None) -> str:
    if spec.get("format") == "choice" and answer is not None and str(answer).isdigit():
        return _choice(spec, int(answer))
    return answer_label(spec, answer)


@st.fragment(run_every=POLL_S)
def live_drill() -> None:
    store: Store = s  # type: ignore[assignment]
    me: LearnerRow = learner  # type: ignore[assignment]
    try:
        status = participant_drill_status(store, cls, me.id, identity.now())  # type: ignore[arg-type]
    except LabError as err:
        st.error(_("The drill cannot be read right now: {error}", error=str(err)))
        return
    with st.container(border=True):
        if status is None:
            st.info(_("No drill yet. When the facilitator starts one, it appears here."), icon=":material/timer:")
            return
        d, spec = status.drill, status.drill.spec
        st.markdown(_("**Drill: {title}**", title=identity.plain(d_("drill.title", d.title))))
        st.markdown(_("{scenario} · failure script: {failures}", scenario=d_("scenario.title", spec["scenario_title"]),
                      failures="; ".join(identity.plain(f) for f in failures_in(spec, current_lang()))))
        st.subheader(_(spec["prompt"]), anchor=False)
        mine = status.mine(me.id)
        error = st.session_state.pop("drill_error", None)
        if error:
            st.error(error)
        if status.phase == "open" and mine is None:
            st.caption(_("{n} s left · only the facilitator sees your answer until the reveal",
                         n=seconds_left(d, identity.now())))
            key = f"drill-{d.id}"
            if spec["format"] == "choice":
                st.radio(_("Your answer"), options=[str(i) for i in range(len(spec["choices"]))],
                         format_func=lambda i: _choice(spec, int(i)), index=None, key=key)
            else:
                st.number_input(_("Your answer (seconds)"), min_value=0, max_value=86_400, step=1, value=None,
                                key=key)
            st.button(_("Send answer"), key=f"send-{d.id}", type="primary", on_click=_answer, args=(d.id, key))
            return
        if mine is not None:
            st.markdown(_("Your answer: **{answer}**", answer=identity.plain(_label(spec, mine.answer))))
        if status.phase == "open":
            st.success(_("Your answer is in. {n} s left for the others; the facilitator reveals the right answer "
                         "after that.", n=seconds_left(d, identity.now())), icon=":material/how_to_reg:")
            return
        if status.phase == "closed":
            st.info(_("Time is up. Waiting for the facilitator to reveal the answer."), icon=":material/hourglass_top:")
            return
        right = _label(spec, spec["answer"])
        if mine is None:
            st.warning(_("You did not answer in time. The right answer: **{answer}**", answer=identity.plain(right)))
        elif mine.correct:
            st.success(_("Right! The simulator says: **{answer}**", answer=identity.plain(right)), icon=":material/check_circle:")
        else:
            st.error(_("Not this time. The simulator says: **{answer}**", answer=identity.plain(right)), icon=":material/cancel:")
        st.markdown(_("*Why:* {explanation}", explanation=identity.plain(explanation_in(spec, current_lang()))))
        if steps := steps_in(spec, current_lang()):
            st.markdown("\n".join(f"- {identity.plain(step)}" for step in steps))
        dist = status.distribution()
        if dist:
            st.plotly_chart(drill_distribution([x[0] for x in dist], [x[1] for x in dist], [x[2] for x in dist],
                                               current_lang()),
                            key=f"dist-{d.id}", config={"displayModeBar": False})
        lab = page("scenario-lab")
        st.page_link(str(LAB_DIR / lab.script), label=_("Open this simulation in the scenario lab"),
                     icon=":material/science:",
                     query_params={"scenario": spec["scenario"], "fail": list(spec["failures"])})


live_drill()
