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

from lab.triage.tree.replay import (
    Walk,
    WalkStep,
    answers_token,
    auto_walk,
    parse_answer,
    parse_answers_token,
    session_with_evidence,
    walk,
)
from lab.triage.tree.schema import (
    CGW_KINDS,
    CGW_LABELS,
    TREES_DIR,
    Answer,
    Checks,
    Node,
    Reference,
    Tree,
    check_tree,
    load_tree_file,
    load_trees,
    resolve,
)
from lab.triage.tree.session import (
    JUMP,
    JUMP_LABEL,
    NOT_SURE,
    NOT_SURE_LABEL,
    SHORTLIST,
    Candidate,
    EvidenceLike,
    Session,
    Step,
    answer,
    back,
    candidates,
    goto,
    jump,
    jump_title,
    path,
    reachable_diagnoses,
    start,
    suggest,
)

__all__ = [
    "Answer",
    "CGW_KINDS",
    "CGW_LABELS",
    "Candidate",
    "Checks",
    "EvidenceLike",
    "JUMP",
    "JUMP_LABEL",
    "NOT_SURE",
    "NOT_SURE_LABEL",
    "Node",
    "Reference",
    "SHORTLIST",
    "Session",
    "Step",
    "TREES_DIR",
    "Tree",
    "Walk",
    "WalkStep",
    "answer",
    "answers_token",
    "auto_walk",
    "back",
    "candidates",
    "check_tree",
    "goto",
    "jump",
    "jump_title",
    "load_tree_file",
    "load_trees",
    "parse_answer",
    "parse_answers_token",
    "path",
    "reachable_diagnoses",
    "resolve",
    "session_with_evidence",
    "start",
    "suggest",
    "walk",
]
