"""The engine: immutable sessions over a tree (start, answer, back, goto, jump), the candidates still open, and
the question that separates them best."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from lab.errors import NotFoundError
from lab.triage.tree.schema import Node, load_trees, resolve

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
