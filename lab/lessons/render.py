"""Lesson bodies: markdown-it-py parsing (raw HTML disabled), callouts, figure and fact directives."""

from __future__ import annotations

import re
from collections.abc import Iterable

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from lab.facts import Fact
from lab.lessons.model import Block

CALLOUT_KINDS = ("tip", "note", "warning", "important")
FIGURE_RE = re.compile(r"^\s*\{\{figure:(?P<name>[^}\s]*)\}\}\s*$")
FACT_RE = re.compile(r"\{\{fact:(?P<key>[^}\s]*)\}\}")
DIRECTIVE_RE = re.compile(r"\{\{(?!fact:|figure:)[^}]*\}\}")
SLUG_STRIP = re.compile(r"[^\w\- ]+")


def slugify(text: str) -> str:
    """Heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return SLUG_STRIP.sub("", text.strip().lower()).replace(" ", "-")


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(front_matter_plugin)
    for kind in CALLOUT_KINDS:
        md.use(container_plugin, kind)
    return md


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)


PARSER = _parser()
RENDERER = _renderer()


def render_markdown(source: str) -> str:
    """Markdown to HTML with raw HTML escaped and unsafe links dropped (markdown-it's validateLink)."""
    return RENDERER.render(source)


def figure_names() -> set[str]:
    from lab.figures import FIGURES  # plotly is only imported when figures are needed

    return set(FIGURES)


def split_body(lines: list[str], start: int, tokens: Iterable) -> list[tuple[str, int, int, str]]:
    """Split body lines into ("markdown"|"callout", first, end, info) ranges using top-level tokens."""
    ranges: list[tuple[str, int, int, str]] = []
    cursor = start
    for tok in tokens:
        if tok.level != 0 or not tok.map or not tok.type.startswith("container_") or tok.nesting != 1:
            continue
        first, end = tok.map
        if first > cursor:
            ranges.append(("markdown", cursor, first, ""))
        ranges.append(("callout", first, end, tok.info.strip()))
        cursor = end + 1  # skip the closing ":::" line
    if cursor < len(lines):
        ranges.append(("markdown", cursor, len(lines), ""))
    return ranges


HEADING_RE = re.compile(r"^(?P<hashes>#{2,3})\s+(?P<text>.+?)\s*#*\s*$")
FENCE_RE = re.compile(r"^\s*(```|~~~)")


def markdown_blocks(text: str, figure_names: set[str], problems: list[str], where: int) -> list[Block]:
    """Turn a Markdown chunk into heading, markdown and figure blocks.

    Section headings become blocks of their own so the page can give them the exact anchors the
    table of contents links to (a heading inside rendered Markdown gets an id of the browser's choosing).
    """
    blocks: list[Block] = []
    pending: list[str] = []
    in_fence = False

    def flush() -> None:
        chunk = "\n".join(pending).strip()
        if chunk:
            blocks.append(Block(kind="markdown", html=render_markdown(chunk)))
        pending.clear()

    for offset, line in enumerate(text.split("\n")):
        if FENCE_RE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else HEADING_RE.match(line)
        if heading:
            flush()
            title = heading["text"]
            blocks.append(Block(kind="heading", title=title, level=len(heading["hashes"]), anchor=slugify(title)))
            continue
        m = None if in_fence else FIGURE_RE.match(line)
        if not m:
            pending.append(line)
            continue
        flush()
        name = m["name"]
        if name not in figure_names:
            problems.append(f"line {where + offset + 1}: unknown figure '{name}'")
        else:
            blocks.append(Block(kind="figure", figure=name))
    flush()
    return blocks


def substitute_facts(
    body: str, table: dict[str, Fact], problems: list[str], lang: str = "en"
) -> tuple[str, list[Fact]]:
    """Replace every `{{fact:key}}` with the fact's text in the lesson's language (the data catalogue's
    `fact.text` entry; English where no translation exists yet)."""
    from lab.i18n import data_text

    used: list[Fact] = []

    def repl(m: re.Match[str]) -> str:
        key = m["key"]
        f = table.get(key)
        if f is None:
            problems.append(f"unknown fact '{key}'")
            return m.group(0)
        if f not in used:
            used.append(f)
        return data_text("fact.text", f.text, lang)

    return FACT_RE.sub(repl, body), used
