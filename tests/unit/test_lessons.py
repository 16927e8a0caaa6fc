"""The lesson engine: valid lessons load; each kind of invalid lesson is reported with file and problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.errors import DataError
from lab.lessons import languages, load_catalog, load_lesson, render_markdown

VALID = """---
id: sample-lesson
title: Sample
summary: A sample lesson.
minutes: 5
objectives: [Learn a thing]
keypoints: [A thing]
covers: ["1.1"]
references:
  - title: AWS tunnel options
    url: https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html
quiz:
  - question: Which?
    choices: [A, B]
    answer: 1
    explanation: B because.
---
## First part

The default DPD timeout is {{fact:dpd_timeout_default}}.

::: warning Careful
Body of the callout.
:::

{{figure:vpn-over-internet}}

### Detail

More text.
"""


def write(tmp_path: Path, name: str, text: str, lang: str = "en") -> Path:
    folder = tmp_path / lang
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        load_lesson(path)
    return info.value.problems


def test_valid_lesson_loads_with_blocks_toc_and_facts(tmp_path: Path) -> None:
    lesson = load_lesson(write(tmp_path, "01-sample-lesson.md", VALID))
    assert lesson.id == "sample-lesson" and lesson.number == 1
    assert [b.kind for b in lesson.blocks] == ["heading", "markdown", "callout", "figure", "heading", "markdown"]
    assert lesson.blocks[2].callout == "warning" and lesson.blocks[2].title == "Careful"
    assert lesson.blocks[3].figure == "vpn-over-internet"
    assert [(b.level, b.anchor) for b in lesson.blocks if b.kind == "heading"] == [(2, "first-part"), (3, "detail")]
    assert [(h.level, h.anchor) for h in lesson.toc] == [(2, "first-part"), (3, "detail")]
    assert "40 seconds" in lesson.blocks[1].html
    assert [f.key for f in lesson.facts_used] == ["dpd_timeout_default"]


def test_unknown_front_matter_key_is_named(tmp_path: Path) -> None:
    path = write(tmp_path, "01-sample-lesson.md", VALID.replace("minutes: 5", "minutes: 5\ndifficulty: hard"))
    assert "difficulty: unknown key" in problems_of(path)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = VALID.replace("minutes: 5", "minutes: 0").replace("answer: 1", "answer: 7").replace("id: sample-lesson", "id: other")
    problems = problems_of(write(tmp_path, "01-sample-lesson.md", text))
    joined = "\n".join(problems)
    assert "minutes" in joined and "answer: 7" in joined and "must equal the file's slug" in joined


def test_missing_required_keys_are_named(tmp_path: Path) -> None:
    text = VALID.replace("keypoints: [A thing]\n", "")
    assert any(p.startswith("keypoints") for p in problems_of(write(tmp_path, "01-sample-lesson.md", text)))


def test_unknown_figure_and_fact_are_errors(tmp_path: Path) -> None:
    text = VALID.replace("vpn-over-internet", "no-such-figure").replace("dpd_timeout_default", "no_such_fact")
    problems = problems_of(write(tmp_path, "01-sample-lesson.md", text))
    assert any("unknown figure 'no-such-figure'" in p for p in problems)
    assert any("unknown fact 'no_such_fact'" in p for p in problems)


def test_unknown_callout_kind_is_an_error(tmp_path: Path) -> None:
    text = VALID.replace("::: warning Careful", "::: danger Careful")
    assert any("unknown callout kind 'danger'" in p for p in problems_of(write(tmp_path, "01-sample-lesson.md", text)))


def test_bad_file_name_is_an_error(tmp_path: Path) -> None:
    assert any("NN-slug.md" in p for p in problems_of(write(tmp_path, "sample.md", VALID)))


def test_missing_or_broken_front_matter(tmp_path: Path) -> None:
    assert any("front matter" in p for p in problems_of(write(tmp_path, "01-sample-lesson.md", "## Just a body\n")))
    broken = VALID.replace("title: Sample", "title: [unclosed")
    assert any("not valid YAML" in p for p in problems_of(write(tmp_path, "01-sample-lesson.md", broken)))


def test_non_https_reference_is_rejected(tmp_path: Path) -> None:
    text = VALID.replace("https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html", "http://example.com")
    assert any("not an https URL" in p for p in problems_of(write(tmp_path, "01-sample-lesson.md", text)))


def test_raw_html_and_script_links_are_not_rendered() -> None:
    html = render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=y>")
    assert "<script>" not in html and "<img" not in html and 'href="javascript' not in html


def test_catalog_keeps_good_lessons_and_reports_broken_ones(tmp_path: Path) -> None:
    write(tmp_path, "01-sample-lesson.md", VALID)
    write(tmp_path, "02-broken.md", VALID.replace("id: sample-lesson", "id: broken").replace("minutes: 5", "minutes: 5\nextra: 1"))
    catalog = load_catalog("en", root=tmp_path)
    assert [lesson.id for lesson in catalog.lessons] == ["sample-lesson"]
    assert len(catalog.errors) == 1 and "02-broken.md" in catalog.errors[0].path
    assert catalog.errors[0].lines() == [f"{catalog.errors[0].path}: extra: unknown key"]


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    write(tmp_path, "01-sample-lesson.md", VALID)
    write(tmp_path, "02-sample-lesson.md", VALID)
    catalog = load_catalog("en", root=tmp_path)
    assert len(catalog.lessons) == 1 and "already used" in catalog.errors[0].problems[0]


def test_a_second_language_is_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "01-sample-lesson.md", VALID)
    write(tmp_path, "01-sample-lesson.md", VALID, lang="ko")
    assert languages(tmp_path) == ["en", "ko"]
    assert load_catalog("ko", root=tmp_path).lessons[0].lang == "ko"


def test_neighbours_give_previous_and_next(tmp_path: Path) -> None:
    write(tmp_path, "01-sample-lesson.md", VALID)
    write(tmp_path, "02-second.md", VALID.replace("id: sample-lesson", "id: second"))
    catalog = load_catalog("en", root=tmp_path)
    prev, nxt = catalog.neighbours("second")
    assert prev is not None and prev.id == "sample-lesson" and nxt is None


def test_headings_inside_code_fences_are_not_sections(tmp_path: Path) -> None:
    text = VALID.replace("More text.", "```\n## not a heading\n```")
    lesson = load_lesson(write(tmp_path, "01-sample-lesson.md", text))
    assert [b.anchor for b in lesson.blocks if b.kind == "heading"] == ["first-part", "detail"]
