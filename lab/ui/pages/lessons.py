"""Lessons: the list (with progress in this browser session) and one lesson with its quiz.

`?lesson=<id>` opens a lesson directly; an unknown id shows a clear message and the list.
"""

from __future__ import annotations

import streamlit as st

from lab.lessons import Catalog, Lesson
from lab.ui import curriculum_map, lesson_view
from lab.ui.catalog import catalog as _catalog
from lab.ui.catalog import lesson_language
from lab.ui.echo import literal
from lab.ui.lang import _, _n, current

DONE_KEY = "lessons_done"


def _done() -> set[str]:
    return st.session_state.setdefault(DONE_KEY, set())


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
    done = _done()
    total = len(catalog.lessons)
    finished = sum(1 for lesson in catalog.lessons if lesson.id in done)
    st.markdown(
        _("Short lessons that build on each other, each with a quiz. Progress is kept for this browser "
          "session only.")
    )
    if total:
        st.progress(finished / total, text=_("{finished} of {total} lessons done in this session",
                                                      finished=finished, total=total))
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
    lesson_view.show(lesson, catalog, done=_done(), open_lesson=_open)


main()
