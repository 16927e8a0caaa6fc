"""The glossary: terms of the curriculum with expansion, definition, teaching lesson and official source.

`lab/data/glossary.yaml` is validated at load (unknown keys, duplicate terms or aliases, non-https sources
are all reported at once). Definitions may cite facts as `{{fact:key}}` (lab/data/facts.yaml), like lessons. The same data drives the Glossary page (`search`) and the hover explanations in
lessons (`annotate_html` wraps the first use of each term in an `<abbr title=...>`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.errors import DataError
from lab.facts import facts
from lab.schema import load_yaml_model

FACT_RE = re.compile(r"\{\{fact:(?P<key>[^}\s]*)\}\}")

GLOSSARY_FILE = DATA_DIR / "glossary.yaml"

# Elements whose text must never get a hover: code, links, headings, and an <abbr> we already inserted.
_SKIP_TAGS = {"code", "pre", "a", "abbr", "h1", "h2", "h3", "h4", "h5", "h6"}
_ABBR_STYLE = "text-decoration: underline dotted; cursor: help;"
_TAG_RE = re.compile(r"(<[^>]+>)")
_TAG_NAME_RE = re.compile(r"^<\s*(/?)\s*([a-zA-Z0-9]+)")


class _TermSchema(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    term: str = Field(min_length=1)
    expansion: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    lesson: str = Field(min_length=1)
    source: str | None = None
    aliases: list[str] = []


class _FileSchema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    terms: list[_TermSchema] = Field(min_length=1)


@dataclass(frozen=True)
class Term:
    term: str
    expansion: str
    definition: str
    lesson: str  # id of the lesson that teaches the term
    source: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)

    @property
    def hover(self) -> str:
        """The tooltip text: expansion (when it says more than the term) and definition."""
        head = self.expansion if self.expansion.lower() != self.term.lower() else self.term
        return f"{head}: {self.definition}"

    def matches(self, query: str) -> bool:
        """Case-insensitive search over the term, its aliases, expansion and definition."""
        q = query.strip().lower()
        if not q:
            return True
        haystack = " ".join((*self.names, self.expansion, self.definition)).lower()
        return all(word in haystack for word in q.split())


@dataclass(frozen=True)
class Glossary:
    terms: tuple[Term, ...]
    pattern: re.Pattern[str]  # every name, longest first, compiled once at load
    by_name: dict[str, Term]  # lookup key (see _key) -> term

    def get(self, name: str) -> Term | None:
        return self.by_name.get(_key(name))

    def search(self, query: str) -> list[Term]:
        return [t for t in self.terms if t.matches(query)]


def _key(name: str) -> str:
    # Acronyms (any capital after the first letter, digits or underscores) match case-sensitively;
    # ordinary words ("route propagation") match in any case.
    return name if _is_acronym(name) else name.lower()


def _is_acronym(name: str) -> bool:
    return any(c.isupper() for c in name[1:]) or "_" in name


def _name_regex(name: str) -> str:
    body = re.escape(name).replace(r"\ ", r"\s+")
    plural = "s?" if name[-1].isalnum() else ""
    inner = f"{body}{plural}" if _is_acronym(name) else f"(?i:{body}{plural})"
    # Word boundaries that also treat "-" and "_" as part of a word, so "IKE" never matches in "IKE_SA".
    return rf"(?<![\w-]){inner}(?![\w-])"


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    """Load and validate the glossary file; raise DataError naming every problem."""
    parsed = load_yaml_model(_FileSchema, path)
    problems: list[str] = []
    seen: dict[str, str] = {}
    table = facts()

    def fact_text(i: int, m: re.Match[str]) -> str:
        f = table.get(m["key"])
        if f is None:
            problems.append(f"terms.{i}.definition: unknown fact '{m['key']}'")
            return m.group(0)
        return f.text

    definitions = [FACT_RE.sub(lambda m, i=i: fact_text(i, m), t.definition) for i, t in enumerate(parsed.terms)]
    for i, t in enumerate(parsed.terms):
        if t.source is not None and not re.match(r"^https://[^\s/]+\.[^\s]+$", t.source):
            problems.append(f"terms.{i}.source: not an https URL: {t.source!r}")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", t.lesson):
            problems.append(f"terms.{i}.lesson: not a lesson id: {t.lesson!r}")
        for name in (t.term, *t.aliases):
            k = _key(name)
            if k in seen and seen[k] != t.term:
                problems.append(f"terms.{i}: '{name}' is already used by '{seen[k]}'")
            seen[k] = t.term
    if problems:
        raise DataError(path, problems)
    terms = tuple(
        Term(t.term, t.expansion, d, t.lesson, t.source, tuple(t.aliases)) for t, d in zip(parsed.terms, definitions, strict=True)
    )
    by_name = {_key(name): term for term in terms for name in term.names}
    names = sorted({n for term in terms for n in term.names}, key=len, reverse=True)
    pattern = re.compile("|".join(_name_regex(n) for n in names))
    return Glossary(terms=terms, pattern=pattern, by_name=by_name)


@lru_cache(maxsize=1)
def glossary() -> Glossary:
    """The shipped glossary, loaded once per process."""
    return load_glossary()


def _lookup(g: Glossary, text: str) -> Term | None:
    """The term a matched piece of text stands for (tolerating a plural 's' and extra spaces)."""
    candidates = [text, text[:-1] if text.endswith("s") else text]
    for c in candidates:
        c = re.sub(r"\s+", " ", c)
        term = g.by_name.get(c) or g.by_name.get(c.lower())
        if term is not None:
            return term
    return None


def annotate_html(fragment: str, g: Glossary, seen: set[str]) -> str:
    """Wrap the first use of each glossary term in `fragment` in an <abbr> with its definition.

    `fragment` is HTML produced by the lesson renderer (raw HTML in lessons is escaped, so tags here are
    our own). Text inside code, links, headings and existing <abbr> is left alone. `seen` carries the terms
    already explained earlier in the same lesson, so a term gets a hover only once per lesson.
    """
    out: list[str] = []
    skip_depth = 0
    for piece in _TAG_RE.split(fragment):
        if not piece:
            continue
        if piece.startswith("<"):
            m = _TAG_NAME_RE.match(piece)
            if m and m[2].lower() in _SKIP_TAGS and not piece.endswith("/>"):
                skip_depth += -1 if m[1] else 1
                skip_depth = max(skip_depth, 0)
            out.append(piece)
            continue
        if skip_depth:
            out.append(piece)
            continue

        def repl(match: re.Match[str]) -> str:
            term = _lookup(g, match.group(0))
            if term is None or term.term in seen:
                return match.group(0)
            seen.add(term.term)
            title = html.escape(term.hover, quote=True)
            return f'<abbr class="vpnlab-term" title="{title}" style="{_ABBR_STYLE}">{match.group(0)}</abbr>'

        out.append(g.pattern.sub(repl, piece))
    return "".join(out)
