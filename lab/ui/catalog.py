"""The lesson catalog and the glossary as every page sees them: parsed once per language and kept for a minute."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from lab import i18n
from lab.lessons import DEFAULT_LANG, Catalog, languages, load_catalog
from lab.lessons.glossary import Glossary, glossary


def lesson_language(lang: str) -> str:
    """The language the lessons are shown in: the page language when lessons exist in it, else English."""
    return lang if lang in languages() else DEFAULT_LANG


@st.cache_resource(ttl=60, show_spinner=False)
def catalog(lang: str = DEFAULT_LANG) -> Catalog:
    # cache_resource, not cache_data: a Catalog holds DataErrors, which do not round-trip through pickle.
    return load_catalog(lesson_language(lang))


@st.cache_resource(ttl=60, show_spinner=False)
def localized_glossary(lang: str = DEFAULT_LANG) -> Glossary:
    """The glossary with its expansions and definitions in `lang` (English where no translation exists)."""
    g = glossary()
    if lang == i18n.DEFAULT_LANG:
        return g
    terms = {
        term.term: replace(
            term,
            expansion=i18n.data_text("glossary.expansion", term.expansion, lang),
            definition=i18n.data_text("glossary.definition", term.definition, lang),
        )
        for term in g.terms
    }
    return replace(
        g,
        terms=tuple(terms[t.term] for t in g.terms),
        by_name={key: terms[t.term] for key, t in g.by_name.items()},
    )
