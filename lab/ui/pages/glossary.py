"""Glossary: every term of the curriculum with its expansion, definition, the lesson that teaches it and an
official source. A search box filters as you type; `?term=<name>` opens the page filtered to one term.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab.errors import LabError
from lab.glossary import Term, glossary
from lab.lessons import Catalog
from lab.ui.catalog import catalog as lesson_catalog
from lab.ui.echo import literal, plain

SEARCH_KEY = "glossary-search"
LESSONS_PAGE = str(Path(__file__).resolve().parent / "lessons.py")


def _entry(term: Term, catalog: Catalog) -> None:
    with st.container(border=True):
        title = f"**{term.term}**"
        if term.expansion.lower() != term.term.lower():
            title += f" - {term.expansion}"
        st.markdown(title)
        st.markdown(term.definition)
        lesson = catalog.get(term.lesson)
        if lesson is not None:
            # An in-app link keeps this browser session (and its lesson progress).
            st.page_link(LESSONS_PAGE, label=f"Taught in lesson {lesson.number}: {lesson.title}",
                         icon=":material/school:", query_params={"lesson": lesson.id})
        notes = []
        if term.source:
            notes.append(f"[Official source]({term.source})")
        others = [a for a in term.aliases if a.lower() != term.term.lower()]  # not mere case variants
        if others:
            notes.append("Also written: " + ", ".join(others))
        if notes:
            st.caption(" · ".join(notes))


def main() -> None:
    st.title("Glossary")
    st.markdown(
        "The words this lab uses, each with the lesson that explains it. In lessons, the first use of a "
        "term is underlined with dots: hover over it to see the definition."
    )
    try:
        g = glossary()
    except LabError as err:
        st.error(plain(err))
        return
    if SEARCH_KEY not in st.session_state and st.query_params.get("term"):
        st.session_state[SEARCH_KEY] = st.query_params["term"]
    query = st.text_input(
        "Search the glossary",
        key=SEARCH_KEY,
        placeholder="e.g. DPD, startup action, 169.254",
        help="Matches the term, its other spellings, the expansion and the definition.",
    )
    found = g.search(query or "")
    st.caption(f"{len(found)} of {len(g.terms)} terms")
    if not found:
        st.info(f"No term matches {literal(query)}. Try a shorter word or an acronym such as IKE or BGP.")
        return
    catalog = lesson_catalog()
    for term in sorted(found, key=lambda t: t.term.lower()):
        _entry(term, catalog)


main()
