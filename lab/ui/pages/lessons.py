"""Lessons: the list (with progress in this browser session) and one lesson with its quiz.

`?lesson=<id>` opens a lesson directly; an unknown id shows a clear message and the list.
"""

from __future__ import annotations

import streamlit as st

from lab.lessons import Catalog, Lesson, languages
from lab.ui import curriculum_map, lesson_view
from lab.ui.catalog import catalog as _catalog
from lab.ui.echo import literal

DONE_KEY = "lessons_done"


def _done() -> set[str]:
    return st.session_state.setdefault(DONE_KEY, set())


def _open(lesson_id: str | None) -> None:
    if lesson_id is None:
        st.query_params.pop("lesson", None)
    else:
        st.query_params["lesson"] = lesson_id


def _language() -> str:
    langs = languages() or ["en"]
    requested = st.query_params.get("lang", langs[0])
    if requested not in langs:
        st.warning(f"No lessons in language {literal(requested)}. Showing {langs[0]} instead.")
        requested = langs[0]
    if len(langs) > 1:
        requested = st.sidebar.selectbox("Language", langs, index=langs.index(requested), key="lesson-lang")
    return requested


def _show_errors(catalog: Catalog) -> None:
    if not catalog.errors:
        return
    with st.container(border=True):
        st.error(
            f"{len(catalog.errors)} lesson file(s) could not be loaded and are not listed. "
            "The other lessons work as usual."
        )
        for err in catalog.errors:
            st.markdown(f"**{literal(err.path, 200)}**")
            for problem in err.problems:
                st.text(f"- {problem}")


def _show_list(catalog: Catalog) -> None:
    st.title("Lessons")
    done = _done()
    total = len(catalog.lessons)
    finished = sum(1 for lesson in catalog.lessons if lesson.id in done)
    st.markdown(
        "Short lessons that build on each other, each with a quiz. Progress is kept for this browser "
        "session only."
    )
    if total:
        st.progress(finished / total, text=f"{finished} of {total} lessons done in this session")
    else:
        st.info("No lessons are available.")
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
                st.markdown(f"{lesson.minutes} min")
                if lesson.id in done:
                    st.markdown(":green[:material/check_circle: Done]")
                else:
                    st.markdown(":gray[Not done yet]")
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
        st.error(f"There is no lesson with the id {literal(requested)}. Pick one from the list below.")
        _show_list(catalog)
        return
    lesson_view.show(lesson, catalog, done=_done(), open_lesson=_open)


main()
