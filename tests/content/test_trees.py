"""The troubleshooting trees validate: reachable nodes, resolving links, complete questions and diagnoses."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.errors import DataError
from lab.triage.tree import CGW_KINDS, load_tree_file, load_trees, resolve

TREES = load_trees()
NODES = [n for t in TREES.values() for n in t.nodes.values()]
QUESTIONS = [n for n in NODES if not n.is_diagnosis]
DIAGNOSES = [n for n in NODES if n.is_diagnosis]
EVIDENCE_PREFIXES = ("connection.", "tunnel.", "options.", "log.")


def test_both_trees_exist() -> None:
    assert {"tunnel-down", "no-traffic"} <= set(TREES)


@pytest.mark.parametrize("tree", TREES.values(), ids=lambda t: t.id)
def test_every_node_is_reachable_from_the_start(tree) -> None:
    seen, todo = set(), [f"{tree.id}/{tree.start}"]
    while todo:
        ref = todo.pop()
        if ref in seen or not ref.startswith(f"{tree.id}/"):
            continue
        seen.add(ref)
        todo += [a.next for a in resolve(ref).answers]
    assert seen == {n.ref for n in tree.nodes.values()}


@pytest.mark.parametrize("node", QUESTIONS, ids=lambda n: n.ref)
def test_question_is_complete(node) -> None:
    assert node.text and node.why and len(node.answers) >= 2
    assert node.checks is not None
    assert node.checks.console and node.checks.cli.startswith("aws ")
    assert {"strongswan", "cisco"} <= set(node.checks.cgw) <= set(CGW_KINDS)
    for a in node.answers:
        assert resolve(a.next)


@pytest.mark.parametrize("node", [n for n in QUESTIONS if n.evidence], ids=lambda n: n.ref)
def test_evidence_keys_are_known(node) -> None:
    assert node.evidence.startswith(EVIDENCE_PREFIXES)


@pytest.mark.parametrize("node", DIAGNOSES, ids=lambda n: n.ref)
def test_diagnosis_is_complete(node) -> None:
    assert node.cause and node.fix and node.prevention and node.lesson
    assert node.references and all(r.url.startswith("https://") for r in node.references)


def test_cli_checks_are_read_only() -> None:
    writes = ("modify-", "create-", "delete-", "replace-", "put-", "update-", "reset-")
    for node in QUESTIONS:
        assert not any(w in node.checks.cli for w in writes), node.ref


def test_diagnosis_lessons_exist() -> None:
    lessons = pytest.importorskip("lab.lessons")
    catalog = lessons.load_catalog()
    if not catalog.lessons:
        pytest.skip("no lessons in this checkout yet")
    ids = {lesson.id for lesson in catalog.lessons}
    missing = sorted({f"{n.ref}: {n.lesson}" for n in DIAGNOSES if n.lesson not in ids})
    assert not missing


def test_invalid_tree_reports_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        """
id: broken
title: Broken
summary: A tree with problems
start: first
nodes:
  - id: first
    type: question
    title: First
    text: Is it?
    answers:
      - label: It is
        next: nowhere
  - id: orphan
    type: diagnosis
    title: Orphan
    cause: c
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        load_tree_file(bad)
    text = str(err.value)
    for expected in ("'why'", "'checks'", "at least two answers", "unknown node 'nowhere'", "cannot be reached", "'fix'"):
        assert expected in text
