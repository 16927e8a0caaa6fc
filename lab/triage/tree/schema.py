"""A tree file's schema, its checks (every reference resolves, every diagnosis is reachable) and loading the
trees; a node reference resolved."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.errors import DataError, NotFoundError
from lab.schema import load_yaml_model

TREES_DIR = DATA_DIR / "trees"
CGW_KINDS = ("strongswan", "cisco", "fortigate", "paloalto")
CGW_LABELS = {"strongswan": "strongSwan", "cisco": "Cisco", "fortigate": "FortiGate", "paloalto": "Palo Alto"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Checks(_Strict):
    console: str = Field(min_length=5)
    cli: str = Field(min_length=5)
    cgw: dict[Literal[CGW_KINDS], str] = Field(min_length=2)  # type: ignore[valid-type]


class _Answer(_Strict):
    label: str = Field(min_length=1)
    next: str = Field(min_length=1)
    when: list[str] = []


class _Reference(_Strict):
    title: str
    url: str = Field(pattern=r"^https://")


class _Node(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    type: Literal["question", "diagnosis"]
    title: str = Field(min_length=2)  # short, for breadcrumbs and links
    # question
    text: str = ""
    why: str = ""
    checks: _Checks | None = None
    evidence: str = ""
    answers: list[_Answer] = []
    # diagnosis
    cause: str = ""
    fix: str = ""
    prevention: str = ""
    lesson: str = ""
    references: list[_Reference] = []
    category: str = ""


class _Tree(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str
    summary: str
    start: str
    nodes: list[_Node] = Field(min_length=1)


@dataclass(frozen=True)
class Checks:
    console: str
    cli: str
    cgw: dict[str, str]


@dataclass(frozen=True)
class Answer:
    label: str
    next: str  # a full reference "<tree>/<node>"
    when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reference:
    title: str
    url: str


@dataclass(frozen=True)
class Node:
    tree: str
    id: str
    type: str
    title: str
    text: str = ""
    why: str = ""
    checks: Checks | None = None
    evidence: str = ""
    answers: tuple[Answer, ...] = ()
    cause: str = ""
    fix: str = ""
    prevention: str = ""
    lesson: str = ""
    references: tuple[Reference, ...] = ()
    category: str = ""

    @property
    def ref(self) -> str:
        return f"{self.tree}/{self.id}"

    @property
    def is_diagnosis(self) -> bool:
        return self.type == "diagnosis"


@dataclass(frozen=True)
class Tree:
    id: str
    title: str
    summary: str
    start: str
    nodes: dict[str, Node]
    path: str = ""

    def node(self, node_id: str) -> Node:
        if node_id not in self.nodes:
            raise NotFoundError(f"node in tree '{self.id}'", node_id, list(self.nodes))
        return self.nodes[node_id]


def _full(ref: str, tree_id: str) -> str:
    return ref if "/" in ref else f"{tree_id}/{ref}"


def check_tree(raw: _Tree) -> list[str]:
    """Every problem inside one tree (links to other trees are checked by `load_trees`)."""
    problems: list[str] = []
    ids = [n.id for n in raw.nodes]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    problems += [f"node id '{d}' is used twice" for d in dupes]
    known = set(ids)
    if raw.start not in known:
        problems.append(f"start node '{raw.start}' does not exist")
    for n in raw.nodes:
        where = f"node '{n.id}'"
        if n.type == "question":
            for name in ("text", "why"):
                if not getattr(n, name).strip():
                    problems.append(f"{where}: a question needs '{name}'")
            if n.checks is None:
                problems.append(f"{where}: a question needs 'checks' (console, cli, cgw)")
            elif not {"strongswan", "cisco"} <= set(n.checks.cgw):
                problems.append(f"{where}: checks.cgw needs at least strongswan and cisco")
            if len(n.answers) < 2:
                problems.append(f"{where}: a question needs at least two answers")
            if any(a.when for a in n.answers) and not n.evidence:
                problems.append(f"{where}: answers have 'when' values but the node has no evidence key")
            for a in n.answers:
                if "/" not in a.next and a.next not in known:
                    problems.append(f"{where}: answer '{a.label}' leads to unknown node '{a.next}'")
        else:
            for name in ("cause", "fix", "prevention", "lesson"):
                if not getattr(n, name).strip():
                    problems.append(f"{where}: a diagnosis needs '{name}'")
            if not n.references:
                problems.append(f"{where}: a diagnosis needs at least one reference")
            if n.answers or n.checks:
                problems.append(f"{where}: a diagnosis has no answers or checks")
    # Reachability from the start, inside this tree.
    seen: set[str] = set()
    todo = [raw.start] if raw.start in known else []
    by_id = {n.id: n for n in raw.nodes}
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        todo += [a.next for a in by_id[cur].answers if "/" not in a.next and a.next in known]
    problems += [f"node '{i}' cannot be reached from the start" for i in ids if i not in seen]
    return problems


def _convert(raw: _Tree, path: Path) -> Tree:
    nodes = {}
    for n in raw.nodes:
        nodes[n.id] = Node(
            tree=raw.id,
            id=n.id,
            type=n.type,
            title=n.title.strip(),
            text=n.text.strip(),
            why=n.why.strip(),
            checks=Checks(n.checks.console.strip(), n.checks.cli.strip(), dict(n.checks.cgw)) if n.checks else None,
            evidence=n.evidence,
            answers=tuple(Answer(a.label, _full(a.next, raw.id), tuple(a.when)) for a in n.answers),
            cause=n.cause.strip(),
            fix=n.fix.strip(),
            prevention=n.prevention.strip(),
            lesson=n.lesson,
            references=tuple(Reference(r.title, r.url) for r in n.references),
            category=n.category,
        )
    return Tree(raw.id, raw.title.strip(), raw.summary.strip(), raw.start, nodes, str(path))


def load_tree_file(path: Path) -> Tree:
    raw = load_yaml_model(_Tree, path)
    problems = check_tree(raw)
    if raw.id != path.stem:
        problems.append(f"tree id '{raw.id}' must equal the file name '{path.stem}'")
    if problems:
        raise DataError(path, problems)
    return _convert(raw, path)


@lru_cache(maxsize=4)
def load_trees(directory: Path = TREES_DIR) -> dict[str, Tree]:
    """All trees by id; DataError when a file is invalid or a cross-tree link does not resolve."""
    trees = {}
    for path in sorted(directory.glob("*.yaml")):
        tree = load_tree_file(path)
        trees[tree.id] = tree
    problems = []
    for tree in trees.values():
        for node in tree.nodes.values():
            for a in node.answers:
                t, _, n = a.next.partition("/")
                if t not in trees or n not in trees[t].nodes:
                    problems.append(f"{tree.id}/{node.id}: answer '{a.label}' leads to unknown node '{a.next}'")
    if problems:
        raise DataError(directory, problems)
    return trees


def resolve(ref: str) -> Node:
    """The node for "<tree id>/<node id>"; NotFoundError (with choices) when it does not exist."""
    trees = load_trees()
    tree_id, sep, node_id = ref.partition("/")
    if not sep or not node_id:
        raise NotFoundError("tree node reference (expected '<tree id>/<node id>')", ref)
    if tree_id not in trees:
        raise NotFoundError("tree", tree_id, list(trees))
    return trees[tree_id].node(node_id)
