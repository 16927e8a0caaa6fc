"""The lesson engine: lessons are Markdown files with validated YAML front matter.

Layout: `lessons/<lang>/NN-slug.md` (a new language is a new folder, no code change). The front
matter is checked against a schema that rejects unknown keys; every problem in a file is reported
at once, naming the file. The body is CommonMark (+ tables) parsed by markdown-it-py with raw HTML
disabled, plus three directives:

- callouts: `::: tip Title` ... `:::` (kinds in CALLOUT_KINDS), via mdit-py-plugins' container;
- figures: `{{figure:name}}` on a line of its own, resolved against `lab.figures.FIGURES`;
- facts: `{{fact:key}}` inline, replaced by the fact's text from `lab/data/facts.yaml`.

Nothing here imports streamlit: the page renders the Blocks this module produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lab import LESSONS_DIR, PROJECT_DIR
from lab.errors import DataError
from lab.facts import Fact, facts
from lab.schema import validation_problems

CALLOUT_KINDS = ("tip", "note", "warning", "important")
DEFAULT_LANG = "en"
FILE_RE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
FIGURE_RE = re.compile(r"^\s*\{\{figure:(?P<name>[^}\s]*)\}\}\s*$")
FACT_RE = re.compile(r"\{\{fact:(?P<key>[^}\s]*)\}\}")
DIRECTIVE_RE = re.compile(r"\{\{(?!fact:|figure:)[^}]*\}\}")
SLUG_STRIP = re.compile(r"[^\w\- ]+")


def slugify(text: str) -> str:
    """Heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return SLUG_STRIP.sub("", text.strip().lower()).replace(" ", "-")


# --- schema -----------------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _QuestionSchema(_Strict):
    question: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2)
    answer: int = Field(ge=0)
    explanation: str = Field(min_length=1)

    @field_validator("choices")
    @classmethod
    def _distinct(cls, v: list[str]) -> list[str]:
        if len(set(v)) != len(v):
            raise ValueError("choices must be distinct")
        if any(not c.strip() for c in v):
            raise ValueError("choices must not be empty")
        return v


class _ReferenceSchema(_Strict):
    title: str = Field(min_length=1)
    url: str

    @field_validator("url")
    @classmethod
    def _https(cls, v: str) -> str:
        if not re.match(r"^https://[^\s/]+\.[^\s]+$", v):
            raise ValueError(f"not an https URL: {v!r}")
        return v


class _RelatedSchema(_Strict):
    scenario: str | None = None
    tree_nodes: list[str] = []
    patterns: list[str] = []


class _FrontMatterSchema(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    summary: str = Field(min_length=1)
    minutes: int = Field(ge=1, le=120)
    objectives: list[str] = Field(min_length=1)
    keypoints: list[str] = Field(min_length=1)
    covers: list[str] = []
    related: _RelatedSchema = _RelatedSchema()
    references: list[_ReferenceSchema] = Field(min_length=1)
    quiz: list[_QuestionSchema] = Field(min_length=1)


# --- the model the page renders ------------------------------------------------------------------


@dataclass(frozen=True)
class QuizQuestion:
    question: str
    choices: tuple[str, ...]
    answer: int
    explanation: str

    def is_correct(self, choice: int | None) -> bool:
        return choice == self.answer


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Related:
    scenario: str | None = None
    tree_nodes: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Block:
    """One piece of a lesson body: rendered Markdown, a callout, or a figure."""

    kind: Literal["markdown", "callout", "figure"]
    html: str = ""  # markdown and callout bodies, rendered with raw HTML disabled
    markdown: str = ""  # the callout body's Markdown source (shown inside an alert box)
    callout: str = ""  # tip | note | warning | important
    title: str = ""  # callout title
    figure: str = ""  # figure name in lab.figures.FIGURES


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class Lesson:
    id: str
    lang: str
    number: int
    path: Path
    title: str
    summary: str
    minutes: int
    objectives: tuple[str, ...]
    keypoints: tuple[str, ...]
    covers: tuple[str, ...]
    related: Related
    references: tuple[Reference, ...]
    quiz: tuple[QuizQuestion, ...]
    blocks: tuple[Block, ...]
    toc: tuple[Heading, ...]
    facts_used: tuple[Fact, ...] = ()

    @property
    def figures(self) -> tuple[str, ...]:
        return tuple(b.figure for b in self.blocks if b.kind == "figure")

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "summary": self.summary,
            "minutes": self.minutes,
            "lang": self.lang,
            "number": self.number,
            "objectives": list(self.objectives),
            "keypoints": list(self.keypoints),
            "covers": list(self.covers),
            "quiz_questions": len(self.quiz),
            "figures": list(self.figures),
            "references": [r.url for r in self.references],
            "path": str(self.path),
        }


@dataclass
class Catalog:
    """The lessons of one language, in order, plus the files that failed validation."""

    lang: str
    lessons: list[Lesson] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        ids = [lesson.id for lesson in self.lessons]
        if lesson_id not in ids:
            return None, None
        i = ids.index(lesson_id)
        return (self.lessons[i - 1] if i > 0 else None, self.lessons[i + 1] if i + 1 < len(ids) else None)


# --- parsing and rendering ----------------------------------------------------------------------


def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(front_matter_plugin)
    for kind in CALLOUT_KINDS:
        md.use(container_plugin, kind)
    return md


def _renderer() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    return md.use(anchors_plugin, min_level=2, max_level=3, slug_func=slugify)


_PARSER = _parser()
_RENDERER = _renderer()


def render_markdown(source: str) -> str:
    """Markdown to HTML with raw HTML escaped and unsafe links dropped (markdown-it's validateLink)."""
    return _RENDERER.render(source)


def _figure_names() -> set[str]:
    from lab.figures import FIGURES  # plotly is only imported when figures are needed

    return set(FIGURES)


def _split_body(lines: list[str], start: int, tokens: Iterable) -> list[tuple[str, int, int, str]]:
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


def _markdown_blocks(text: str, figure_names: set[str], problems: list[str], where: int) -> list[Block]:
    """Turn a Markdown chunk into markdown and figure blocks (a figure stands on its own line)."""
    blocks: list[Block] = []
    pending: list[str] = []

    def flush() -> None:
        chunk = "\n".join(pending).strip()
        if chunk:
            blocks.append(Block(kind="markdown", html=render_markdown(chunk)))
        pending.clear()

    for offset, line in enumerate(text.split("\n")):
        m = FIGURE_RE.match(line)
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


def _substitute_facts(body: str, table: dict[str, Fact], problems: list[str]) -> tuple[str, list[Fact]]:
    used: list[Fact] = []

    def repl(m: re.Match[str]) -> str:
        key = m["key"]
        f = table.get(key)
        if f is None:
            problems.append(f"unknown fact '{key}'")
            return m.group(0)
        if f not in used:
            used.append(f)
        return f.text

    return FACT_RE.sub(repl, body), used


def display_path(path: Path) -> str:
    """A path as people see it in messages: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


def load_lesson(path: Path, lang: str = DEFAULT_LANG) -> Lesson:
    """Parse and validate one lesson file; raise DataError listing every problem."""
    try:
        return _load_lesson(path, lang)
    except DataError as err:
        raise DataError(display_path(path), err.problems) from err


def _load_lesson(path: Path, lang: str) -> Lesson:
    problems: list[str] = []
    m = FILE_RE.match(path.name)
    if not m:
        problems.append("file name must be NN-slug.md (two digits, a hyphen, lower-case words joined by hyphens)")
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(path, [f"cannot read: {exc}"]) from exc

    tokens = _PARSER.parse(source)
    fm = next((t for t in tokens if t.type == "front_matter"), None)
    if fm is None or not fm.map or fm.map[0] != 0:
        raise DataError(path, [*problems, "missing YAML front matter (--- ... --- at the top)"])
    try:
        meta = yaml.safe_load(fm.content)
    except yaml.YAMLError as exc:
        raise DataError(path, [*problems, f"front matter is not valid YAML: {exc}"]) from exc
    if not isinstance(meta, dict):
        raise DataError(path, [*problems, "front matter must be a mapping of keys"])

    parsed: _FrontMatterSchema | None = None
    try:
        parsed = _FrontMatterSchema.model_validate(meta)
    except ValidationError as exc:
        problems.extend(validation_problems(exc))

    # Cross-field checks run on the raw mapping, so they are reported even when the schema failed.
    if m and isinstance(meta.get("id"), str) and meta["id"] != m["slug"]:
        problems.append(f"id: '{meta['id']}' must equal the file's slug '{m['slug']}'")
    quiz = meta.get("quiz")
    for i, q in enumerate(quiz if isinstance(quiz, list) else []):
        if (
            isinstance(q, dict)
            and isinstance(q.get("answer"), int)
            and isinstance(q.get("choices"), list)
            and not 0 <= q["answer"] < len(q["choices"])
        ):
            problems.append(f"quiz.{i}.answer: {q['answer']} is not an index of its {len(q['choices'])} choices")
    covers = meta.get("covers")
    for cover in covers if isinstance(covers, list) else []:
        if not re.fullmatch(r"\d+\.\d+", str(cover)):
            problems.append(f"covers: '{cover}' is not an outline number like '5.1'")

    lines = source.split("\n")
    body_start = fm.map[1]
    body, used = _substitute_facts("\n".join(lines[body_start:]), facts(), problems)
    for leftover in DIRECTIVE_RE.findall(body):
        problems.append(f"unknown directive {leftover}")
    body_lines = body.split("\n")
    body_tokens = _PARSER.parse(body)
    figure_names = _figure_names()

    blocks: list[Block] = []
    for kind, first, end, info in _split_body(body_lines, 0, body_tokens):
        if kind == "callout":
            callout, _, title = info.partition(" ")
            inner = "\n".join(body_lines[first + 1 : end])
            if FIGURE_RE.search(inner) or any(FIGURE_RE.match(x) for x in inner.split("\n")):
                problems.append(f"line {body_start + first + 1}: a figure cannot stand inside a callout")
            blocks.append(
                Block(
                    kind="callout",
                    callout=callout,
                    title=title.strip(),
                    html=render_markdown(inner),
                    markdown=inner.strip(),
                )
            )
        else:
            chunk_lines = body_lines[first:end]
            for offset, line in enumerate(chunk_lines):
                if line.startswith(":::"):
                    word = line[3:].strip().split(" ")[0]
                    if word and word not in CALLOUT_KINDS:
                        problems.append(
                            f"line {body_start + first + offset + 1}: unknown callout kind '{word}' "
                            f"(use {', '.join(CALLOUT_KINDS)})"
                        )
                if re.match(r"^#\s", line):
                    problems.append(
                        f"line {body_start + first + offset + 1}: use '## ' headings; the page shows the title as the top heading"
                    )
            blocks.extend(_markdown_blocks("\n".join(chunk_lines), figure_names, problems, body_start + first))

    toc = tuple(
        Heading(level=int(t.tag[1]), text=body_tokens[i + 1].content, anchor=slugify(body_tokens[i + 1].content))
        for i, t in enumerate(body_tokens)
        if t.type == "heading_open" and t.level == 0 and t.tag in ("h2", "h3")
    )
    if not any(b.kind != "figure" for b in blocks):
        problems.append("the lesson has no body text")

    if problems or parsed is None or m is None:
        raise DataError(path, problems)

    return Lesson(
        id=parsed.id,
        lang=lang,
        number=int(m["number"]),
        path=path,
        title=parsed.title,
        summary=parsed.summary,
        minutes=parsed.minutes,
        objectives=tuple(parsed.objectives),
        keypoints=tuple(parsed.keypoints),
        covers=tuple(parsed.covers),
        related=Related(
            scenario=parsed.related.scenario,
            tree_nodes=tuple(parsed.related.tree_nodes),
            patterns=tuple(parsed.related.patterns),
        ),
        references=tuple(Reference(r.title, r.url) for r in parsed.references),
        quiz=tuple(QuizQuestion(q.question, tuple(q.choices), q.answer, q.explanation) for q in parsed.quiz),
        blocks=tuple(blocks),
        toc=toc,
        facts_used=tuple(used),
    )


def languages(root: Path | None = None) -> list[str]:
    """Language folders that hold at least one lesson file, the default first."""
    root = LESSONS_DIR if root is None else root
    found = sorted(p.name for p in root.iterdir() if p.is_dir() and any(p.glob("*.md"))) if root.is_dir() else []
    return sorted(found, key=lambda lang: (lang != DEFAULT_LANG, lang))


def load_catalog(lang: str = DEFAULT_LANG, root: Path | None = None) -> Catalog:
    """Every lesson of one language; a broken file becomes an error in the catalog, not an exception."""
    root = LESSONS_DIR if root is None else root
    catalog = Catalog(lang=lang)
    folder = root / lang
    if not folder.is_dir():
        return catalog
    for path in sorted(folder.glob("*.md")):
        try:
            lesson = load_lesson(path, lang)
        except DataError as err:
            catalog.errors.append(err)
            continue
        if catalog.get(lesson.id) is not None:
            catalog.errors.append(DataError(display_path(path), [f"id: '{lesson.id}' is already used by another lesson"]))
            continue
        catalog.lessons.append(lesson)
    catalog.lessons.sort(key=lambda lesson: (lesson.number, lesson.id))
    return catalog
