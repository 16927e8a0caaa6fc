"""The curriculum map on the Lessons page: the source article's sections and topics, and which lesson
covers each; lessons the learner has done are marked (in words, not only by colour). Lessons open
in the same tab, so the session and its progress are kept."""

from __future__ import annotations

import streamlit as st

from lab.errors import LabError
from lab.lessons import Catalog
from lab.lessons.curriculum import LessonRef, SectionCoverage, coverage, outline
from lab.ui.echo import plain
from lab.ui.lang import _, _n, d


def _open(lesson_id: str) -> None:
    st.query_params["lesson"] = lesson_id


def _lesson_link(ref: LessonRef, done: set[str], key: str) -> None:
    # A button, not a link: it opens the lesson in this tab and keeps ?lesson= in the address bar.
    status = " " + _("(done)") if ref.id in done else ""
    st.button(
        f"{ref.number}. {ref.title}{status}",
        key=key,
        icon=":material/task_alt:" if ref.id in done else ":material/menu_book:",
        type="tertiary",
        on_click=_open,
        args=(ref.id,),
        help=_("Done: every quiz question answered right") if ref.id in done else None,
    )


def _section(sc: SectionCoverage, done: set[str]) -> None:
    refs = sc.lessons
    finished = sum(1 for r in refs if r.id in done)
    st.markdown(f"**{sc.section.number}. {d('outline.section', sc.section.title)}** - "
                + _n("{finished} of {n} lesson done", "{finished} of {n} lessons done", len(refs), finished=finished))
    for tc in sc.topics:
        number, text, by = st.columns([0.6, 6, 4], vertical_alignment="center")
        number.markdown(f"**{tc.topic.number}**")
        text.markdown(d("outline.topic", tc.topic.text))
        with by:
            if not tc.covered:
                st.markdown(":red[" + _("not covered yet") + "]")
            for ref in tc.lessons:
                _lesson_link(ref, done, f"map-{tc.topic.number}-{ref.id}")
    st.divider()


def show(catalog: Catalog, done: set[str]) -> None:
    """Render the map for the catalog's lessons inside an expander."""
    try:
        out = outline()
    except LabError as err:
        st.error(plain(err))
        return
    sections = coverage(out, catalog.lessons)
    topics = [tc for sc in sections for tc in sc.topics]
    covered = sum(1 for tc in topics if tc.covered)
    with st.expander(
        _("Curriculum map: the source article's {sections} sections and {topics} topics ({covered} covered by "
          "a lesson)", sections=len(sections), topics=len(topics), covered=covered),
        icon=":material/map:",
    ):
        st.caption(
            _("Source: {source}. A lesson marked (done) has every quiz question answered right (at the first try "
              "or later).", source=d("outline.source", out.source))
        )
        for sc in sections:
            _section(sc, done)
