"""The curriculum map on the Lessons page: the source article's sections and topics, and which lesson
covers each; lessons done in this browser session are marked (in words, not only by colour)."""

from __future__ import annotations

import streamlit as st

from lab.curriculum import SectionCoverage, coverage, outline
from lab.errors import LabError
from lab.lessons import Catalog


def _lesson_link(ref_id: str, number: int, title: str, done: set[str]) -> str:
    status = " :green[(done)]" if ref_id in done else ""
    return f"[{number}. {title}](/lessons?lesson={ref_id}){status}"


def _section(sc: SectionCoverage, done: set[str]) -> None:
    refs = sc.lessons
    finished = sum(1 for r in refs if r.id in done)
    noun = "lesson" if len(refs) == 1 else "lessons"
    st.markdown(f"**{sc.section.number}. {sc.section.title}** - {finished} of {len(refs)} {noun} done")
    rows = ["| Topic | What the article says | Covered by |", "| --- | --- | --- |"]
    for tc in sc.topics:
        text = tc.topic.text.replace("|", "\\|")
        if tc.covered:
            by = "<br>".join(_lesson_link(r.id, r.number, r.title, done) for r in tc.lessons)
        else:
            by = ":red[not covered yet]"
        rows.append(f"| {tc.topic.number} | {text} | {by} |")
    st.markdown("\n".join(rows), unsafe_allow_html=True)


def show(catalog: Catalog, done: set[str]) -> None:
    """Render the map for the catalog's lessons inside an expander."""
    try:
        out = outline()
    except LabError as err:
        st.error(str(err))
        return
    sections = coverage(out, catalog.lessons)
    topics = [tc for sc in sections for tc in sc.topics]
    covered = sum(1 for tc in topics if tc.covered)
    with st.expander(
        f"Curriculum map: the source article's {len(sections)} sections and {len(topics)} topics "
        f"({covered} covered by a lesson)",
        icon=":material/map:",
    ):
        st.caption(
            f"Source: {out.source}. A lesson marked (done) had every quiz answer right in this browser session."
        )
        for sc in sections:
            _section(sc, done)
