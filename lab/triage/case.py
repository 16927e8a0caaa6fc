"""One triage case: the evidence scopes from a snapshot and/or logs, the chosen scope, the walk, the result.

The Troubleshooter page and `vpn-lab triage` both build their position here, so a link from one
and the command line reach the same node with the same answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from lab.errors import NotFoundError
from lab.i18n import t
from lab.model import Snapshot
from lab.triage import fixes as fixes_mod
from lab.triage import tree
from lab.triage.evidence import Evidence, Scope, derive, merge, scopes, scopes_from_text

DEFAULT_TREE = "tunnel-down"


def build_scopes(snapshot: Snapshot | None = None, log_text: str = "") -> list[Scope]:
    """Scopes of a snapshot (one per tunnel, most troubled first), with a pasted log's evidence added
    to the scope of the same tunnel (or, when the log names no tunnel, to the most troubled one)."""
    snap_scopes = scopes(snapshot) if snapshot is not None else []
    log_scopes = scopes_from_text(log_text) if log_text.strip() else []
    if not snap_scopes:
        return log_scopes
    out = list(snap_scopes)
    for ls in log_scopes:
        target = next((i for i, s in enumerate(out) if ls.tunnel and s.tunnel == ls.tunnel), None)
        if target is None and not ls.tunnel:
            target = 0
        if target is None:
            out.append(ls)
            continue
        s = out[target]
        # The pasted lines speak for the same tunnel: give them its provenance before combining.
        relabelled = {k: _rescope(e, s) for k, e in ls.evidence.items()}
        out[target] = Scope(s.connection, s.tunnel, s.label, derive(merge(s.evidence, relabelled)), ls.analysis or s.analysis,
                            s.lines + ls.lines, s.options, s.connection_obj, s.notes + ls.notes)
    return out


def _rescope(ev: Evidence, scope: Scope) -> Evidence:
    from dataclasses import replace

    from lab.i18n import t

    return replace(ev, connection=scope.connection, tunnel=scope.tunnel, origin=t("pasted log, {origin}", origin=ev.origin))


def tunnel_names(snapshot: Snapshot | None) -> dict[str, str]:
    """The snapshot's tunnels by the simulator's names: `tunnel-1`, `tunnel-2`, ... in connection order (the
    scenario lab's and a failure script's names; a live connection's Tunnel 1 and Tunnel 2) -> outside IP."""
    if snapshot is None:
        return {}
    ips = [t.outside_ip for c in snapshot.connections for t in c.tunnels]
    return {f"tunnel-{i}": ip for i, ip in enumerate(ips, 1)}


def pick_scope(found: Sequence[Scope], tunnel: str = "", names: Mapping[str, str] | None = None) -> Scope | None:
    """The scope of `tunnel` (outside IP, `<vpn id>/<ip>`, or a name of `names` such as `tunnel-3`), else the most
    troubled one. An unknown tunnel raises NotFoundError listing every name and address there is."""
    names = names or {}
    if not tunnel:
        return found[0] if found else None
    wanted = names.get(tunnel.strip().lower(), tunnel.strip())
    for s in found:
        if wanted in (s.tunnel, s.key):
            return s
    by_ip = {ip: name for name, ip in names.items()}
    order = {ip: i for i, ip in enumerate(names.values())}
    listed = sorted(found, key=lambda s: order.get(s.tunnel, len(order)))
    raise NotFoundError("tunnel in the evidence", tunnel,
                        [f"{by_ip[s.tunnel]} ({s.tunnel})" if s.tunnel in by_ip else s.tunnel or s.key for s in listed])


def follow(tree_id: str, answers: Mapping[str, str | int], evidence: Mapping[str, Evidence]) -> tree.Session:
    """From the tree's start: the person's answers first, the evidence where the person said nothing."""
    return tree.walk(tree.start(tree_id), answers, evidence)


@dataclass(frozen=True)
class Result:
    session: tree.Session
    evidence: dict[str, Evidence]
    scope: Scope | None
    fix: fixes_mod.Fix | None
    family_from_log: bool = False  # the fix's commands are for the family the pasted log was written by

    @property
    def exit_code(self) -> int:
        return 0 if self.session.is_diagnosis else 3


REKEY_FAILED = "tunnel-down/d-rekey-failed"


def fix_for(session: tree.Session, scope: Scope | None, family: str = "") -> fixes_mod.Fix | None:
    if not session.is_diagnosis:
        return None
    node = session.current
    # the algorithms a fix names: phase 2's for a phase 2 proposal; for a failed rekey, those of the SA it rekeyed
    rekeyed = _rekeyed_sa(scope) if node.ref == REKEY_FAILED else ""
    phase = 2 if node.category == "phase2_proposal_mismatch" or rekeyed == "child" else 1
    vals = fixes_mod.values(
        tunnel=scope.tunnel if scope else "",
        connection=scope.connection_obj if scope else None,
        options=scope.options if scope else None,
        analysis=scope.analysis if scope else None,
        phase=phase,
    )
    if node.ref == REKEY_FAILED:
        if rekeyed:
            vals["rekey_phase"] = t("phase 1, the IKE SA") if rekeyed == "ike" else t("phase 2, the Child SA")
        else:  # which SA failed to rekey is not known: no algorithm list of one phase or the other
            vals = {k: v for k, v in vals.items() if not k.startswith("allowed_")}
    return fixes_mod.build_fix(node.ref, vals, family)


def _rekeyed_sa(scope: Scope | None) -> str:
    """"ike" or "child": the SA whose rekey failed, from the line that answered the rekey question ("" unknown)."""
    ev = scope.evidence.get("log.rekey_kind") if scope else None
    if ev is None or ev.line is None or scope is None or scope.analysis is None:
        return ""
    found = next((f for f in scope.analysis.findings if f.line == ev.line), None)
    sa = str((found.facts or {}).get("sa", "")) if found else ""
    return sa if sa in ("ike", "child") else ""


def run(
    *,
    tree_id: str = DEFAULT_TREE,
    answers: Mapping[str, str | int] | None = None,
    snapshot: Snapshot | None = None,
    log_text: str = "",
    tunnel: str = "",
    family: str = "",
) -> Result:
    found = build_scopes(snapshot, log_text)
    scope = pick_scope(found, tunnel, tunnel_names(snapshot))
    evidence = dict(scope.evidence) if scope else {}
    session = follow(tree_id, answers or {}, evidence)
    inferred = "" if family else log_family(scope)
    return Result(session, evidence, scope, fix_for(session, scope, family or inferred), bool(inferred))


def log_family(scope: Scope | None) -> str:
    """The customer-gateway family the scope's log was written by (a device's own log), "" when it does not say."""
    return fixes_mod.family_of_log(scope.analysis) if scope is not None else ""


def question_json(session: tree.Session) -> dict[str, Any] | None:
    if session.is_diagnosis:
        return None
    node = session.current
    if session.is_shortlist:
        refs = [node.ref, *session.open]
        choices = [{"answer": r, "label": tree.resolve(r).title} for r in refs]
        return {"node": tree.SHORTLIST, "text": "Several diagnoses remain. Which one matches what you see?",
                "choices": [*choices, {"answer": "not-sure", "label": tree.NOT_SURE_LABEL}]}
    choices = [{"answer": str(i + 1), "label": a.label} for i, a in enumerate(node.answers)]
    return {"node": node.ref, "text": node.text, "choices": [*choices, {"answer": "not-sure", "label": tree.NOT_SURE_LABEL}]}


def result_json(result: Result) -> dict[str, Any]:
    """The `vpn-lab triage --json` object (see the command's docstring for the contract)."""
    s = result.session
    node = s.current
    diagnosis = None
    if s.is_diagnosis:
        fix = result.fix
        diagnosis = {
            "id": node.ref,
            "title": node.title,
            "fix": node.fix + ("\n" + "\n".join(fix.lines) if fix and fix.lines else ""),
            "commands": fix.to_json()["commands"] if fix else [],
        }
    path = []
    for n, step in tree.path(s):
        if step.answer is None:
            continue
        path.append({"node": n.ref if not (n.is_diagnosis) else tree.SHORTLIST, "answer": step.label,
                     "by": step.by, "source": step.source if step.by_evidence else ""})
    cands = [] if s.is_diagnosis else [{"id": c.ref, "title": c.title} for c in tree.candidates(s, result.evidence)]
    return {
        "tree": s.origin,
        "node": node.ref,
        "is_diagnosis": s.is_diagnosis,
        "diagnosis": diagnosis,
        "path": path,
        "candidates": cands,
        "question": question_json(s),
        "scope": result.scope.label if result.scope else "",
        "link": link(s),
    }


def link(session: tree.Session) -> str:
    """The query string that reproduces this position on the Troubleshooter page."""
    from urllib.parse import urlencode

    node = session.current
    params = {"tree": session.origin, "node": node.id if node.tree == session.origin else node.ref}
    token = tree.answers_token(session)
    if token:
        params["answers"] = token
    return "?" + urlencode(params, safe="/:,>")
