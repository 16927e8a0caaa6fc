"""My progress: a display name and a personal resume link (or single sign-on), and what was done so far.

Progress lives in the database: lessons read, every quiz answer (first try and retries), scenario
exercises and drills. The resume link brings it to another browser or device; the browser keeps it
in a cookie so a reload or a restart finds it again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lab.classes.identity import clean_name
from lab.classes.progress import learner_progress, new_learner, resume_learner
from lab.errors import LabError
from lab.ui import identity, lang
from lab.ui.catalog import catalog
from lab.ui.lang import _, current

st.title(_("My progress"))
identity.write_cookie()
s = identity.store()
if s is None:
    st.stop()

provider = identity.sso_provider()
if provider is not None and not getattr(st.user, "is_logged_in", False):
    st.markdown(_("This server signs learners in with the organisation's single sign-on; your progress is "
                  "kept under that account."))
    if st.button(_("Log in"), key="sso-login", type="primary", icon=":material/login:"):
        if provider:
            st.login(provider)
        else:
            st.login()
    st.stop()

learner = identity.current_learner(s)


def _start(name_key: str) -> None:
    try:
        row, token = new_learner(s, st.session_state.get(name_key, ""), identity.now(), lang=current())
    except LabError as err:
        st.session_state["progress_error"] = str(err)
        return
    identity.remember(token)


def _resume(link_key: str) -> None:
    text = str(st.session_state.get(link_key, "")).strip()
    token = text.split("resume=", 1)[1].split("&", 1)[0] if "resume=" in text else text
    found = resume_learner(s, token)
    if found is None:
        st.session_state["progress_error"] = _("That is not a resume link of this server. Paste the whole "
                                               "link (it ends with ?resume=...).")
        return
    identity.remember(token)
    st.session_state.pop("forgot_cookie", None)
    lang.adopt(found.lang)  # their progress comes back in the language they chose


def _rename(name_key: str) -> None:
    try:
        s.rename_learner(learner.id, clean_name(st.session_state.get(name_key, "")))  # type: ignore[union-attr]
    except LabError as err:
        st.session_state["progress_error"] = str(err)


error = st.session_state.pop("progress_error", None)
if error:
    st.error(error)

if learner is None:
    st.markdown(_("Pick a display name and VPN Lab saves what you do: lessons read, every quiz answer, scenario "
                  "exercises and class drills. No password needed: you get a personal resume link instead."))
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader(_("Start"))
        st.text_input(_("Display name"), key="new-name", max_chars=40, placeholder=_("e.g. Mina (network team)"),
                      help=_("Plain text, up to 40 characters. Others in a class see it."))
        st.button(_("Save my progress"), key="start", type="primary", on_click=_start, args=("new-name",))
    with right, st.container(border=True):
        st.subheader(_("Continue on this device"))
        st.text_input(_("Your resume link"), key="resume-link", placeholder="https://.../progress?resume=...")
        st.button(_("Continue"), key="resume", on_click=_resume, args=("resume-link",))
    st.stop()

st.markdown(_("Signed in as **{name}**.", name=identity.plain(learner.name)))
token = identity.token()
if provider is None and token:
    with st.container(border=True):
        st.markdown(_("**Your resume link.** Open it on another browser or device to continue there. Keep it "
                      "private: anyone with it can continue as you."))
        st.code(identity.resume_link(token), language=None, wrap_lines=True)

sizes = {lesson.id: len(lesson.quiz) for lesson in catalog(current()).lessons}
try:
    p = learner_progress(s, learner.id, sizes)
except LabError as err:
    st.error(_("Your progress cannot be read right now: {error}", error=str(err)))
    st.stop()
m = st.columns(4)
m[0].metric(_("Lessons done"), _("{done} of {total}", done=len(p.lessons_done), total=len(sizes)))
m[1].metric(_("Quiz: right at the first try"), _("{done} of {total}", done=p.first_try_correct, total=p.answered),
            help=_("The first answer to each question is the one that counts."))
m[2].metric(_("Quiz: right in the end"), _("{done} of {total}", done=p.eventually_correct, total=p.answered),
            help=_("Including questions answered again after the explanation."))
m[3].metric(_("Scenario exercises"), str(len(p.exercises)))

rows = []
for lesson in catalog(current()).lessons:
    states = [p.per_question.get((lesson.id, q)) for q in range(len(lesson.quiz))]
    answered = [x for x in states if x is not None]
    rows.append({
        _("Lesson"): f"{lesson.number}. {lesson.title}",
        _("Read"): _("yes") if lesson.id in p.lessons_read else "",
        _("Quiz answered"): _("{done} of {total}", done=len(answered), total=len(lesson.quiz)),
        _("First try"): sum(1 for x in answered if x.first_try_correct),
        _("In the end"): sum(1 for x in answered if x.eventually_correct),
        _("Done"): _("done") if lesson.id in p.lessons_done else "",
    })
st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")

with st.expander(_("Change your display name or sign out")):
    st.text_input(_("New display name"), key="rename", max_chars=40, value=learner.name)
    st.button(_("Save name"), key="save-name", on_click=_rename, args=("rename",))
    if provider is None:
        st.caption(_("Signing out only forgets the link on this browser; your progress stays saved."))
        if st.button(_("Sign out on this browser"), key="sign-out"):
            identity.forget()
            st.rerun()
    elif st.button(_("Log out"), key="sso-logout"):
        st.logout()
