"""Glossary: every term of the curriculum with its expansion, definition, the lesson that teaches it and an
official source. A search box filters as you type; `?term=<name>` opens the page filtered to one term.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from lab.errors import LabError
from lab.lessons import Catalog
from lab.lessons.glossary import Term
from lab.ui.catalog import catalog as lesson_catalog
from lab.ui.catalog import localized_glossary
from lab.ui.echo import literal, plain
from lab.ui.lang import _, current

SEARCH_KEY = "glossary-search"
LESSONS_PAGE = str(Path(__file__).resolve().parent / "lessons.py")


LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _letter(term: Term) -> str:
    """The index letter of a term: its first letter A-Z, or # for a number or another script."""
    first = term.term[:1].upper()
    return first if first in LETTERS else "#"


def _anchor(letter: str) -> str:
    return "letter-" + ("other" if letter == "#" else letter.lower())


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
            st.page_link(LESSONS_PAGE, label=_("Taught in lesson {number}: {title}", number=lesson.number,
                                               title=lesson.title),
                         icon=":material/school:", query_params={"lesson": lesson.id})
        notes = []
        if term.source:
            notes.append(f"[{_('Official source')}]({term.source})")
        others = [a for a in term.aliases if a.lower() != term.term.lower()]  # not mere case variants
        if others:
            notes.append(_("Also written: {names}", names=", ".join(others)))
        if notes:
            st.caption(" · ".join(notes))


def main() -> None:
    st.title(_("Glossary"))
    st.markdown(
        _("The words this lab uses, each with the lesson that explains it. In lessons, the first use of a "
          "term is underlined with dots: hover over it to see the definition.")
    )
    try:
        g = localized_glossary(current())
    except LabError as err:
        st.error(plain(err))
        return
    if SEARCH_KEY not in st.session_state and st.query_params.get("term"):
        st.session_state[SEARCH_KEY] = st.query_params["term"]
    query = st.text_input(
        _("Search the glossary"),
        key=SEARCH_KEY,
        placeholder=_("e.g. DPD, startup action, 169.254"),
        help=_("Matches the term, its other spellings, the expansion and the definition."),
    )
    found = g.search(query or "")
    st.caption(_("{found} of {total} terms", found=len(found), total=len(g.terms)))
    if not found:
        st.info(_("No term matches {query}. Try a shorter word or an acronym such as IKE or BGP.", query=literal(query)))
        return
    catalog = lesson_catalog(current())
    groups: dict[str, list[Term]] = {}
    for term in sorted(found, key=lambda t: t.term.lower()):
        groups.setdefault(_letter(term), []).append(term)
    # An A-Z index: each letter with terms jumps to its group; letters without terms are grey.
    index = [f"[{c}](#{_anchor(c)})" if c in groups else f":gray[{c}]" for c in LETTERS]
    index += [f"[#](#{_anchor('#')})"] if "#" in groups else []
    st.markdown(_("Jump to a letter:") + " " + " · ".join(index))
    for letter in sorted(groups, key=lambda c: (c == "#", c)):
        st.subheader(letter, anchor=_anchor(letter), divider="gray")
        for term in groups[letter]:
            _entry(term, catalog)


main()
