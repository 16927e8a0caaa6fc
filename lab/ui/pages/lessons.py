"""Lessons: the list (with the learner's saved progress) and one lesson with its quiz.

`?lesson=<id>` opens a lesson directly; an unknown id shows a clear message and the list.
"""

from __future__ import annotations

import streamlit as st

from lab.classes.progress import learner_progress
from lab.errors import LabError
from lab.lessons import Catalog, Lesson
from lab.ui import curriculum_map, identity, lesson_view
from lab.ui.catalog import catalog as _catalog
from lab.ui.catalog import lesson_language
from lab.ui.echo import literal
from lab.ui.lang import _, _n, current


def _reader(catalog: Catalog, read_lesson: str | None = None) -> lesson_view.Reader:
    """This browser's learner and their progress, read from the database once for the page run (one
    transaction). Opening a lesson records it as read, once per visit of the lesson, not on every quiz click."""
    s = identity.store()
    if s is None:
        return lesson_view.Reader(None, None)
    try:
        with s.reading():
            learner = identity.current_learner(s)
            if learner is None:
                return lesson_view.Reader(s, None)
            sizes = {lesson.id: len(lesson.quiz) for lesson in catalog.lessons}
            progress = learner_progress(s, learner.id, sizes)
        if read_lesson is not None and read_lesson not in progress.lessons_read:
            s.record_lesson_read(learner.id, read_lesson, identity.now())
        return lesson_view.Reader(s, learner, set(progress.lessons_done), progress.per_question)
    except LabError as err:
        st.error(_("Your progress cannot be read right now: {error}", error=str(err)))
        return lesson_view.Reader(None, None)


def _open(lesson_id: str | None) -> None:
    if lesson_id is None:
        st.query_params.pop("lesson", None)
    else:
        st.query_params["lesson"] = lesson_id


def _language() -> str:
    """The lessons' language: the page language (sidebar picker, ?lang=), or English where none exist yet."""
    lang = lesson_language(current())
    if lang != current():
        st.info(_("The lessons are not available in your language yet; they are shown in English."),
                icon=":material/translate:")
    return lang


def _show_errors(catalog: Catalog) -> None:
    if not catalog.errors:
        return
    with st.container(border=True):
        st.error(
            _n("{n} lesson file could not be loaded and is not listed. The other lessons work as usual.",
               "{n} lesson files could not be loaded and are not listed. The other lessons work as usual.",
               len(catalog.errors))
        )
        for err in catalog.errors:
            st.markdown(f"**{literal(err.path, 200)}**")
            for problem in err.problems:
                st.text(f"- {problem}")


def _show_list(catalog: Catalog) -> None:
    st.title(_("Lessons"))
    reader = _reader(catalog)
    done, signed_in = reader.done, reader.learner is not None
    total = len(catalog.lessons)
    finished = sum(1 for lesson in catalog.lessons if lesson.id in done)
    if signed_in:
        st.markdown(_("Short lessons that build on each other, each with a quiz. Your progress is saved: "
                      "**My progress** has your resume link for another browser or device."))
    else:
        st.markdown(_("Short lessons that build on each other, each with a quiz. Your first quiz answer starts "
                      "your saved progress; **My progress** gives it a name and a resume link."))
    if total:
        st.progress(finished / total, text=_("{finished} of {total} lessons done", finished=finished, total=total))
    else:
        st.info(_("No lessons are available."))
    curriculum_map.show(catalog, done)
    for lesson in catalog.lessons:
        with st.container(border=True):
            left, right = st.columns([5, 1], vertical_alignment="center")
            with left:
                st.button(
                    f"**{lesson.number}. {lesson.title}**",
                    icon=":material/menu_book:",
                    key=f"open-{lesson.id}",
                    on_click=_open,
                    args=(lesson.id,),
                    type="tertiary",
                )
                st.caption(lesson.summary)
            with right:
                st.markdown(_("{minutes} min", minutes=lesson.minutes))
                if lesson.id in done:
                    st.markdown(":green[:material/check_circle: " + _("Done") + "]")
                else:
                    st.markdown(":gray[" + _("Not done yet") + "]")
    _show_errors(catalog)


# Static script (no user input): a lesson opened from another lesson starts at its top, not at the
# scroll position of the previous one (Streamlit keeps the scroll position across reruns).
_SCROLL_TOP = (
    "<script>for (const el of document.querySelectorAll("
    "'[data-testid=\"stMain\"], [data-testid=\"stAppViewContainer\"], section.main')) {{ el.scrollTop = 0; }}"
    "window.scrollTo(0, 0); /* {nonce} */</script>"
)


def _scroll_to_top_on_change(lesson_id: str | None) -> None:
    previous = st.session_state.get("lesson_shown")
    st.session_state["lesson_shown"] = lesson_id
    if previous is not None and previous != lesson_id:
        # The nonce only makes each script element new; it is a counter, never a value from the URL.
        count = st.session_state["lesson_scrolls"] = st.session_state.get("lesson_scrolls", 0) + 1
        st.html(_SCROLL_TOP.format(nonce=int(count)), unsafe_allow_javascript=True, width="content")


def main() -> None:
    identity.write_cookie()
    lang = _language()
    catalog = _catalog(lang)
    requested = st.query_params.get("lesson")
    _scroll_to_top_on_change(requested)
    if requested is None:
        _show_list(catalog)
        return
    lesson: Lesson | None = catalog.get(requested)
    if lesson is None:
        st.error(_("There is no lesson with the id {id}. Pick one from the list below.", id=literal(requested)))
        _show_list(catalog)
        return
    lesson_view.show(lesson, catalog, reader=_reader(catalog, read_lesson=lesson.id), open_lesson=_open)


main()
