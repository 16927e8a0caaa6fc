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
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lab import LESSONS_DIR, PROJECT_DIR
from lab.errors import DataError
from lab.exercises.check import reference_problems
from lab.exercises.model import Choice, Claim, Exercise, Target
from lab.facts import facts
from lab.lessons.model import Block, Catalog, Heading, Lesson, QuizQuestion, Reference, Related
from lab.lessons.render import (
    CALLOUT_KINDS,
    DIRECTIVE_RE,
    FIGURE_RE,
    PARSER,
    figure_names,
    markdown_blocks,
    render_markdown,
    slugify,
    split_body,
    substitute_facts,
)
from lab.lessons.schema import FrontMatterSchema
from lab.schema import parse_yaml, validation_problems

__all__ = [
    "CALLOUT_KINDS",
    "DEFAULT_LANG",
    "Block",
    "Catalog",
    "Heading",
    "Lesson",
    "QuizQuestion",
    "Reference",
    "Related",
    "display_path",
    "languages",
    "load_catalog",
    "load_lesson",
    "render_markdown",
    "slugify",
]

DEFAULT_LANG = "en"
FILE_RE = re.compile(r"^(?P<number>\d{2})-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


def display_path(path: Path) -> str:
    """A path as people see it in messages: relative to the project when it lies inside it."""
    try:
        return str(path.resolve().relative_to(PROJECT_DIR))
    except ValueError:
        return str(path)


# The last lesson parsed from each (file, language), with the text it was parsed from: the pages open the
# catalogue again every minute (and every test opens it afresh), which re-reads every file but parses only
# one whose text changed. The facts and figures a lesson refers to are fixed for the process's lifetime.
_PARSED: dict[tuple[Path, str], tuple[str, Lesson]] = {}


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
    parsed_before = _PARSED.get((path, lang))
    if m and parsed_before is not None and parsed_before[0] == source:
        return parsed_before[1]

    tokens = PARSER.parse(source)
    fm = next((t for t in tokens if t.type == "front_matter"), None)
    if fm is None or not fm.map or fm.map[0] != 0:
        raise DataError(path, [*problems, "missing YAML front matter (--- ... --- at the top)"])
    try:
        meta = parse_yaml(fm.content, path, "front matter")
    except DataError as exc:
        raise DataError(path, [*problems, *exc.problems]) from None
    if not isinstance(meta, dict):
        raise DataError(path, [*problems, "front matter must be a mapping of keys"])

    parsed: FrontMatterSchema | None = None
    try:
        parsed = FrontMatterSchema.model_validate(meta)
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
    body, used = substitute_facts("\n".join(lines[body_start:]), facts(), problems, lang)
    for leftover in DIRECTIVE_RE.findall(body):
        problems.append(f"unknown directive {leftover}")
    body_lines = body.split("\n")
    body_tokens = PARSER.parse(body)
    known_figures = figure_names()

    blocks: list[Block] = []
    for kind, first, end, info in split_body(body_lines, 0, body_tokens):
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
            blocks.extend(markdown_blocks("\n".join(chunk_lines), known_figures, problems, body_start + first))

    toc = tuple(
        Heading(level=int(t.tag[1]), text=body_tokens[i + 1].content, anchor=slugify(body_tokens[i + 1].content))
        for i, t in enumerate(body_tokens)
        if t.type == "heading_open" and t.level == 0 and t.tag in ("h2", "h3")
    )
    if not any(b.kind != "figure" for b in blocks):
        problems.append("the lesson has no body text")

    exercises: list[Exercise] = []
    for i, ex in enumerate(parsed.exercises if parsed else []):
        exercise = _exercise(parsed.id if parsed else "", ex)
        problems.extend(f"exercises.{i} ({ex.id}): {p}" for p in
                        reference_problems(exercise.target, tuple(c.measure for c in exercise.claims)))
        exercises.append(exercise)

    if problems or parsed is None or m is None:
        raise DataError(path, problems)

    lesson = Lesson(
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
        exercises=tuple(exercises),
    )
    _PARSED[(path, lang)] = (source, lesson)
    return lesson


def _exercise(lesson_id: str, ex: Any) -> Exercise:
    """The exercise model from its validated front-matter entry."""
    target = Target(
        lab=ex.lab,
        measure=ex.measure,
        scenario=ex.scenario,
        failures=tuple(ex.fail),
        options=tuple(ex.options.items()),
        duration_s=ex.duration_s,
        tree=ex.tree,
        node=ex.node,
        sample=ex.sample,
    )
    return Exercise(
        id=ex.id,
        lesson=lesson_id,
        title=ex.title,
        situation=ex.situation,
        question=ex.question,
        kind=ex.kind,
        answer=ex.answer,
        target=target,
        explanation=ex.explanation,
        choices=tuple(Choice(c.text, c.value) for c in ex.choices),
        unit=ex.unit,
        tolerance=ex.tolerance,
        claims=tuple(Claim(c.measure, c.equals) for c in ex.claims),
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
