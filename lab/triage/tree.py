"""The troubleshooting trees and the pure engine that walks them.

A tree (`lab/data/trees/<id>.yaml`) is a list of nodes. A **question** asks one thing, says why, how
to check it three ways (AWS console, read-only AWS CLI, customer-gateway commands) and which
evidence key can answer it; each answer leads to a node (`node-id`, or `tree-id/node-id` in another
tree) and lists the evidence values that pre-select it. A **diagnosis** gives the cause, the fix,
how to prevent it, the lesson to read and official references.

Node references are written "<tree id>/<node id>" everywhere outside a tree file (lessons, patterns,
URLs: `?tree=<tree id>&node=<node id>&answers=<node>:<answer>,...`). The engine is a state machine
over immutable `Session`s: start, answer (an answer index, or `NOT_SURE`), back, goto; `walk` replays
a person's answers and the evidence from a tree's start, the same way for the page and the CLI.

"Not sure" keeps every branch of the question open. The engine then asks the open question that
still separates the most remaining diagnoses; when only diagnoses are left and there is more than
one, the session is at a *shortlist*: the person picks the one that matches (or stays unsure), and
the page shows them most likely first with the answer that leads to each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.errors import DataError, InputError, NotFoundError
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


# --- engine -------------------------------------------------------------------------------------

NOT_SURE = -1
JUMP = -2  # the logs' diagnosis skipped ahead to the node where it continues
NOT_SURE_LABEL = "Not sure"
SHORTLIST = "diagnosis"  # the answer key for choosing among the diagnoses left at a shortlist
# A skip's label on the path (English, as `--json` gives it); `jump_title` reads the node's title back for a page or
# an output in another language.
JUMP_LABEL = "Skipped: the logs point to '{title}'"


def jump_title(step: Step) -> str:
    """The title of the node a skip went to, from the skip's label ("" for another step)."""
    prefix, _, suffix = JUMP_LABEL.partition("{title}")
    label = step.label
    return label[len(prefix):len(label) - len(suffix)] if label.startswith(prefix) and label.endswith(suffix) else ""


class EvidenceLike(Protocol):
    value: str
    reason: str


@dataclass(frozen=True)
class Step:
    """A node on the path and, once answered, the answer taken, who gave it and from what."""

    ref: str
    answer: int | None = None  # an index into the node's answers, NOT_SURE, or None (not answered yet)
    label: str = ""
    by_evidence: bool = False
    source: str = ""  # for an evidence answer: connection, tunnel and the line, metric or field
    open: tuple[str, ...] = ()  # other branches left open by "not sure" when this node became current

    @property
    def by(self) -> str:
        return "evidence" if self.by_evidence else "person"


@dataclass(frozen=True)
class Candidate:
    """A diagnosis still possible, and the answer that would single it out."""

    ref: str
    title: str
    via: str  # "<question> → <answer>" that leads to it from the open questions, or "" when reached


@dataclass(frozen=True)
class Session:
    """Where a user is: the path from the start (or the deep-linked node) to the current node."""

    tree: str
    steps: tuple[Step, ...] = field(default_factory=tuple)

    @property
    def current(self) -> Node:
        return resolve(self.steps[-1].ref)

    @property
    def path(self) -> tuple[Step, ...]:
        return self.steps

    @property
    def open(self) -> tuple[str, ...]:
        """Branches a "not sure" left open besides the current node."""
        return self.steps[-1].open

    @property
    def origin(self) -> str:
        """The tree the path began in (Restart goes back there, even after an automatic switch)."""
        return resolve(self.steps[0].ref).tree

    @property
    def is_shortlist(self) -> bool:
        """Only diagnoses are left, more than one: the person picks the one that matches."""
        return self.current.is_diagnosis and any(resolve(r).is_diagnosis for r in self.open) and all(
            resolve(r).is_diagnosis for r in self.open
        )

    @property
    def is_diagnosis(self) -> bool:
        return self.current.is_diagnosis and not self.open

    def answered(self) -> list[tuple[Node, Step]]:
        """The answered steps with their nodes (for breadcrumbs and the report)."""
        return [(resolve(s.ref), s) for s in self.steps if s.answer is not None]


def start(tree_id: str) -> Session:
    trees = load_trees()
    if tree_id not in trees:
        raise NotFoundError("tree", tree_id, list(trees))
    return Session(tree_id, (Step(f"{tree_id}/{trees[tree_id].start}"),))


def goto(ref: str) -> Session:
    """A session positioned on any node (deep link); the path starts there."""
    node = resolve(ref)
    return Session(node.tree, (Step(node.ref),))


def reachable_diagnoses(ref: str) -> list[str]:
    """Every diagnosis reachable from a node (itself when it is one), in the trees' order."""
    out: list[str] = []
    seen: set[str] = set()
    todo = [ref]
    while todo:
        cur = todo.pop(0)
        if cur in seen:
            continue
        seen.add(cur)
        node = resolve(cur)
        if node.is_diagnosis:
            out.append(cur)
        else:
            todo += [a.next for a in node.answers]
    return out


def _pick(frontier: list[str]) -> tuple[str, tuple[str, ...]]:
    """The node to show next from the open branches, and the branches that stay open.

    A question before a diagnosis; among questions, the one whose answers separate the most
    remaining diagnoses (it splits them into the most groups, then reaches the most of them).
    """
    uniq = list(dict.fromkeys(frontier))
    questions = [r for r in uniq if not resolve(r).is_diagnosis]
    if questions:
        def score(ref: str) -> tuple[int, int]:
            node = resolve(ref)
            groups = [set(reachable_diagnoses(a.next)) for a in node.answers]
            return (len({frozenset(g) for g in groups if g}), len(set().union(*groups)))

        best = max(questions, key=score)  # max keeps the first of equals: the frontier order
    else:
        best = uniq[0]
    return best, tuple(r for r in uniq if r != best)


def answer(session: Session, index: int, by_evidence: bool = False, source: str = "") -> Session:
    """Answer the current question (index, or NOT_SURE); at a shortlist, pick diagnosis `index` of `candidates`."""
    node = session.current
    if session.is_shortlist:
        refs = [node.ref, *session.open]
        if index == NOT_SURE:
            return session
        if not 0 <= index < len(refs):
            raise ValueError(f"there is no diagnosis {index} on the shortlist")
        chosen = refs[index]
        done = replace(session.steps[-1], answer=index, label=resolve(chosen).title, by_evidence=by_evidence, source=source)
        return Session(resolve(chosen).tree, (*session.steps[:-1], done, Step(chosen)))
    if node.is_diagnosis:
        raise ValueError(f"{node.ref} is a diagnosis; there is nothing to answer")
    if index == NOT_SURE:
        label = NOT_SURE_LABEL
        frontier = [*session.open, *[a.next for a in node.answers]]
    elif 0 <= index < len(node.answers):
        label = node.answers[index].label
        frontier = [*session.open, node.answers[index].next]
    else:
        raise ValueError(f"{node.ref} has no answer {index}")
    done = replace(session.steps[-1], answer=index, label=label, by_evidence=by_evidence, source=source)
    nxt, rest = _pick(frontier)
    return Session(resolve(nxt).tree, (*session.steps[:-1], done, Step(nxt, open=rest)))


def back(session: Session) -> Session:
    """One step back (the previous question, unanswered); at the first node nothing changes."""
    if len(session.steps) <= 1:
        return session
    prev = replace(session.steps[-2], answer=None, label="", by_evidence=False, source="")
    return Session(resolve(prev.ref).tree, (*session.steps[:-2], prev))


def jump(session: Session, ref: str, by_evidence: bool = True, source: str = "") -> Session:
    """Skip from the current question to `ref` (where the logs' diagnosis continues), recorded on the path."""
    target = resolve(ref)
    done = replace(session.steps[-1], answer=JUMP, label=JUMP_LABEL.format(title=target.title),
                   by_evidence=by_evidence, source=source)
    return Session(target.tree, (*session.steps[:-1], done, Step(target.ref, open=session.open)))


def path(session: Session) -> list[tuple[Node, Step]]:
    """Every node on the path with its step (answer label, whether evidence chose it)."""
    return [(resolve(s.ref), s) for s in session.steps]


def candidates(session: Session, evidence: Mapping[str, EvidenceLike] | None = None) -> list[Candidate]:
    """The diagnoses still possible, most likely first, each with the answer that singles it out.

    Likelihood: a diagnosis whose category the logs name as their primary cause first, then one whose
    category the logs show at all, then the ones fewer questions away.
    """
    evidence = evidence or {}
    branches = [session.current.ref, *session.open]
    found: dict[str, tuple[str, int]] = {}
    for b in branches:
        node = resolve(b)
        if node.is_diagnosis:
            found.setdefault(b, ("", 0))
            continue
        for a in node.answers:
            for depth, d in enumerate(reachable_diagnoses(a.next)):
                found.setdefault(d, (f"{node.title} → {a.label}", depth + 1))
    primary = evidence.get("log.primary")

    def rank(item: tuple[str, tuple[str, int]]) -> tuple[int, int]:
        ref, (_via, depth) = item
        cat = resolve(ref).category
        seen = evidence.get(f"log.category:{cat}") if cat else None
        score = 0 if primary is not None and cat and primary.value == cat else (1 if seen is not None and seen.value == "yes" else 2)
        return (score, depth)

    ordered = sorted(found.items(), key=rank)
    return [Candidate(ref, resolve(ref).title, via) for ref, (via, _d) in ordered]


def suggest(node: Node, evidence: Mapping[str, EvidenceLike]) -> tuple[int, Any] | None:
    """(answer index, evidence) when the node's evidence key has a value that one answer lists."""
    if node.is_diagnosis or not node.evidence or node.evidence not in evidence:
        return None
    ev = evidence[node.evidence]
    if not ev.value:  # conflicting evidence: the person decides
        return None
    for i, a in enumerate(node.answers):
        if ev.value in a.when:
            return i, ev
    return None


def _source(ev: Any) -> str:
    return str(getattr(ev, "source_text", "") or ev.reason)


@dataclass(frozen=True)
class WalkStep:
    ref: str
    answer: str
    key: str
    value: str
    reason: str


@dataclass(frozen=True)
class Walk:
    steps: tuple[WalkStep, ...]
    final: str  # the node where evidence ran out (a diagnosis when evidence answered every question)

    @property
    def diagnosis(self) -> str | None:
        return self.final if resolve(self.final).is_diagnosis else None


def auto_walk(tree_id: str, evidence: Mapping[str, EvidenceLike], start_ref: str | None = None) -> Walk:
    """Follow evidence-answered questions from the start (or `start_ref`) as far as evidence allows."""
    session = session_with_evidence(goto(start_ref) if start_ref else start(tree_id), evidence)
    steps = tuple(
        WalkStep(s.ref, s.label, resolve(s.ref).evidence, evidence[resolve(s.ref).evidence].value, evidence[resolve(s.ref).evidence].reason)
        for s in session.steps
        if s.answer is not None and s.by_evidence
    )
    return Walk(steps, session.current.ref)


def session_with_evidence(session: Session, evidence: Mapping[str, EvidenceLike]) -> Session:
    """Answer from evidence starting at the current node, as far as evidence allows."""
    return walk(session, {}, evidence)


def parse_answer(node: Node, text: str) -> int:
    """An answer token for `node`: a 1-based number, the exact label, or "not-sure" / "?"."""
    t = text.strip()
    if t.lower() in ("not-sure", "not sure", "?", "unsure", "0"):
        return NOT_SURE
    if t.isdigit() and 1 <= int(t) <= len(node.answers):
        return int(t) - 1
    for i, a in enumerate(node.answers):
        if a.label.lower() == t.lower():
            return i
    choices = ", ".join(f"{i + 1} ({a.label})" for i, a in enumerate(node.answers))
    raise NotFoundError(f"answer to '{node.ref}'", t, [*choices.split(", "), "not-sure"])


def walk(
    session: Session,
    answers: Mapping[str, str | int],
    evidence: Mapping[str, EvidenceLike] | None = None,
    limit: int = 200,
) -> Session:
    """From the current node, take the person's answers (node ref -> answer) or else the evidence's.

    A person's answer always wins over the evidence for the same node. Stops at the first node that
    neither answers, at a diagnosis, or at a shortlist nobody chose from (answer key `diagnosis`).
    """
    evidence = evidence or {}
    for _ in range(limit):
        node = session.current
        if session.is_diagnosis:
            return session
        if session.is_shortlist:
            pick = answers.get(SHORTLIST)
            if pick is None:
                return session
            refs = [node.ref, *session.open]
            want = str(pick)
            match = [i for i, r in enumerate(refs) if want in (r, r.split("/", 1)[1])]
            if not match:
                raise NotFoundError("diagnosis on the shortlist", want, refs)
            return answer(session, match[0])
        given = answers.get(node.ref, answers.get(node.id))
        if isinstance(given, str) and given.startswith(">"):
            nxt = jump(session, given[1:], by_evidence=True, source="the link")
        elif isinstance(given, str) and re.fullmatch(r"\d+e", given.strip()):
            # an evidence answer carried by a link: the page that opens it has no evidence of its own
            nxt = answer(session, parse_answer(node, given.strip()[:-1]), by_evidence=True, source="the link")
        elif given is not None:
            index = given if isinstance(given, int) else parse_answer(node, given)
            nxt = answer(session, index)
        else:
            hit = suggest(node, evidence)
            target = evidence.get("log.primary_node")
            if hit is not None:
                nxt = answer(session, hit[0], by_evidence=True, source=_source(hit[1]))
            elif (target is not None and target.value and len(session.steps) == 1 and not session.open
                  and node.id == load_trees()[node.tree].start and node.evidence not in evidence
                  and target.value != node.ref):
                # Only logs, stuck at the very first question (it needs the tunnel state): continue where
                # the logs' diagnosis does, and say so on the path.
                nxt = jump(session, target.value, source=_source(target))
            else:
                return session
        if nxt.steps[-1].ref in {s.ref for s in nxt.steps[:-1]} and nxt.current.ref == node.ref:
            return session  # a loop would be a tree bug; never spin
        session = nxt
    return session


def answers_token(session: Session) -> str:
    """Every answer on the path as `node:answer,...` for links: 1-based, `?` for not sure, `Ne` for an
    evidence answer, `>node` for a skip the logs made, `diagnosis:<ref>` for a shortlist choice."""
    parts = []
    for i, s in enumerate(session.steps):
        if s.answer is None:
            continue
        node = resolve(s.ref)
        if s.answer == JUMP:
            parts.append(f"{node.ref}:>{session.steps[i + 1].ref}")
        elif node.is_diagnosis:  # a choice at a shortlist: the next step is the chosen diagnosis
            parts.append(f"{SHORTLIST}:{session.steps[i + 1].ref}")
        else:
            token = "?" if s.answer == NOT_SURE else str(s.answer + 1)
            parts.append(f"{node.ref}:{token}{'e' if s.by_evidence and s.answer != NOT_SURE else ''}")
    return ",".join(parts)


def parse_answers_token(text: str) -> dict[str, str]:
    """`node:answer,...` (from a link) -> {node: answer}; InputError naming a malformed part."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        key, sep, value = part.rpartition(":")
        if not sep or not key or not value:
            raise InputError(f"Cannot read the answer '{part}': write <node>:<answer>, e.g. tunnel-down/scope:1.")
        out[key] = value
    return out
