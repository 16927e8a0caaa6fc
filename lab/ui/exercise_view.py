"""A lesson's exercises on screen: predict first, open the lab on the same situation, then check.

The answer is computed by `lab.exercises` (the simulator, the tree engine or the log analyzer); this
module only asks for the prediction, hands the situation to the lab page and shows the check.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab import exercises
from lab.errors import LabError
from lab.exercises import Exercise
from lab.i18n import N_, render
from lab.lessons import Lesson
from lab.ui.lang import _, current
from lab.ui.registry import PAGES

LAB_DIR = Path(__file__).resolve().parents[1]
_LAB_NAMES = {
    "scenario": N_("the scenario lab"),
    "troubleshooter": N_("the troubleshooter"),
    "analyzer": N_("the log analyzer"),
}


def _key(ex: Exercise, part: str) -> str:
    return f"ex-{ex.lesson}-{ex.id}-{part}"


def _lab_name(ex: Exercise) -> str:
    return _(_LAB_NAMES[ex.target.lab])


def _open_lab(ex: Exercise) -> None:
    """Hand the situation to the lab page and go there."""
    try:
        h = exercises.handoff(ex)
    except LabError as err:
        st.session_state[_key(ex, "error")] = render(err, current())
        return
    if h.page == "scenario-lab":
        # The scenario lab reads a link only on a fresh start: forget its previous design, failures and options.
        for k in [k for k in st.session_state if isinstance(k, str) and (k.startswith("sl_opt_") or k in (
                "sl_scenario", "sl_failures", "sl_opt_scenario"))]:
            del st.session_state[k]
    else:
        st.session_state["shared_log_text"] = h.log_text or ""
        if h.snapshot is not None:
            st.session_state["shared_snapshot"] = h.snapshot
        else:
            st.session_state.pop("shared_snapshot", None)
    spec = next((p for p in PAGES if p.url_path == h.page), None)
    if spec is None:  # the page is not registered in this build: stay, and say so
        st.session_state[_key(ex, "error")] = _("The page for {lab} is not available.", lab=_lab_name(ex))
        return
    st.switch_page(str(LAB_DIR / spec.script), query_params=h.query)


def _prediction(ex: Exercise) -> int | float | None:
    label = _("Your prediction")
    if ex.kind == "choice":
        picked: int | None = st.radio(label, range(len(ex.choices)), index=None, key=_key(ex, "pick"),
                                      format_func=lambda i: ex.choices[i].text)
        return picked
    unit = f" ({ex.unit})" if ex.unit else ""
    value: float | None = st.number_input(label + unit, value=None, step=1.0, key=_key(ex, "number"))
    return value


def _exercise(ex: Exercise, number: int) -> None:
    locked_key = _key(ex, "locked")
    with st.container(border=True):
        st.subheader(_("Exercise {n}: {title}", n=number, title=ex.title), anchor=False)
        st.markdown(ex.situation)
        st.markdown(f"**{ex.question}**")
        prediction = _prediction(ex)
        locked = st.session_state.get(locked_key)
        if locked is None:
            if st.button(_("Lock in my prediction"), key=_key(ex, "lock"), disabled=prediction is None,
                         help=_("Answer first; then the lab opens on the same situation.")):
                st.session_state[locked_key] = prediction
                st.rerun()
            return
        shown = ex.choices[int(locked)].text if ex.kind == "choice" else f"{locked:g} {ex.unit}".strip()
        st.caption(_("Your locked-in prediction: {prediction}", prediction=shown))
        left, right = st.columns(2)
        with left:
            # switch_page works in the script body, not in a widget callback (pages are known only then).
            if st.button(_("Open {lab} with this situation", lab=_lab_name(ex)), key=_key(ex, "open"),
                         icon=":material/science:"):
                _open_lab(ex)
        with right:
            show = st.toggle(_("Check my prediction against the lab"), key=_key(ex, "show"))
        error = st.session_state.pop(_key(ex, "error"), None)
        if error:
            st.error(error)
        if show:
            try:
                verdict = exercises.check(ex, locked)
            except (LabError, ValueError) as err:
                st.error(_("The lab could not compute this exercise: {error}", error=render(err, current())))
                return
            if verdict.correct:
                st.success(_("Right. The lab shows: {expected}", expected=verdict.expected), icon=":material/check:")
            else:
                st.error(_("Not quite. The lab shows: {expected}", expected=verdict.expected), icon=":material/close:")
            st.markdown(verdict.explanation)
        if st.button(_("Try again"), key=_key(ex, "again")):
            for part in ("locked", "pick", "number", "show"):
                st.session_state.pop(_key(ex, part), None)
            st.rerun()


def show(lesson: Lesson) -> None:
    """The exercises section of a lesson (nothing when the lesson has none)."""
    if not lesson.exercises:
        return
    st.header(_("Exercises"), anchor="exercises")
    st.caption(_("Predict what happens first. Then open the lab on the same situation, and check your "
                 "prediction against what it shows."))
    for n, ex in enumerate(lesson.exercises, start=1):
        _exercise(ex, n)
