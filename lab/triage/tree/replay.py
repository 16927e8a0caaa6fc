"""Replaying a person's answers and the evidence from a tree's start, the same way for the page and the CLI, and
the answers as a link's token."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from lab.errors import InputError, NotFoundError
from lab.triage.tree.schema import Node, load_trees, resolve
from lab.triage.tree.session import (
    JUMP,
    NOT_SURE,
    SHORTLIST,
    EvidenceLike,
    Session,
    _source,
    answer,
    goto,
    jump,
    start,
    suggest,
)


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
