"""The primary diagnosis: the most likely root cause, reasoned from order and causality.

Rules, in the order an engineer would apply them (AWS's own order is IKE -> IPsec -> tunnel -> BGP):
1. A configuration failure proves the peer answers, so it wins over any timeout or retransmit: the
   earliest failing stage of the negotiation (phase 1 proposal, authentication, traffic selectors,
   phase 2 proposal). Retransmits after an authentication failure are its consequence.
2. Otherwise the earliest liveness event decides: the customer gateway's Delete for the IKE_SA
   (did anyone set the tunnel up again afterwards?), or a DPD timeout (a reachability problem until
   the log shows the peer alive again), or unanswered negotiation (reachability).
3. Then rekey collisions; BGP only when IKE and IPsec show no failure (BGP rides on the tunnel).
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from lab import DATA_DIR
from lab.analyzer.model import CATEGORIES, Primary
from lab.analyzer.scan import ScanResult, Stat
from lab.errors import DataError
from lab.schema import load_yaml_model

CATEGORIES_FILE = DATA_DIR / "categories.yaml"
CONFIG_STAGES = ("phase1_proposal_mismatch", "auth_failure", "traffic_selector_mismatch", "phase2_proposal_mismatch")


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    phase: str
    tree_node: str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    categories: dict[str, _Category]


@lru_cache(maxsize=1)
def categories() -> dict[str, _Category]:
    """Category id -> title, phase and the tree node to continue with."""
    data = load_yaml_model(_File, CATEGORIES_FILE)
    problems = [f"missing category {c}" for c in CATEGORIES if c not in data.categories]
    problems += [f"unknown category {c}" for c in data.categories if c not in CATEGORIES]
    if problems:
        raise DataError(CATEGORIES_FILE, problems)
    return data.categories


def _primary(
    category: str, summary: str, reasoning: list[str], lines: list[int], facts: dict[str, str] | None = None
) -> Primary:
    cat = categories()[category]
    return Primary(
        category=category,
        tree_node=cat.tree_node,
        summary=summary,
        reasoning=tuple(reasoning),
        evidence_lines=tuple(sorted({n for n in lines if n})),
        title=cat.title,
        facts=facts or {},
    )


def _also(cats: dict[str, Stat], chosen: str) -> list[str]:
    others = [f"{categories()[c].title.lower()} (line {s.first}, {s.count}×)" for c, s in cats.items() if c != chosen]
    return [f"Also seen, read as consequences or side issues: {'; '.join(others)}."] if others else []


def diagnose(scan: ScanResult) -> Primary | None:
    cats = scan.categories
    if not cats:
        return None
    established = scan.signals.get("established", Stat())
    retransmits = scan.patterns

    for stage in CONFIG_STAGES:
        if stage not in cats:
            continue
        s = cats[stage]
        title = categories()[stage].title
        reasoning = [f"Line {s.first}: {title.lower()} ({s.count} line{'s' if s.count > 1 else ''})."]
        reasoning.append("A negotiation failure means the peer answered, so the path works: this is configuration.")
        unreach = cats.get("peer_unreachable")
        resent = sum(st.count for pid, st in retransmits.items() if "retrans" in pid and st.last > s.first)
        if (unreach and unreach.last > s.first) or resent:
            reasoning.append(
                "The retransmits and timeouts after it are a consequence: once a peer rejects the "
                "negotiation it stops answering, so they do not point at reachability."
            )
        if established.last > s.last:
            reasoning.append(f"An SA was established again at line {established.last}: the fix may already be in.")
        reasoning += _also(cats, stage)
        return _primary(stage, f"{title}: the tunnel cannot be negotiated until both sides agree.", reasoning, [s.first, s.last])

    liveness = {c: cats[c] for c in ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable") if c in cats}
    dpd_ctx = scan.context.get("dpd_timeout")
    if "dpd_timeout" not in liveness and dpd_ctx and "peer_unreachable" in liveness:
        # The customer gateway's own DPD exchange went unanswered (strongSwan: DPD request, retransmits, give up).
        first_req = dpd_ctx[0].line
        if first_req < liveness["peer_unreachable"].first:
            stat = Stat()
            stat.add(liveness["peer_unreachable"].first)
            liveness["dpd_timeout"] = stat
    if liveness:
        order = ("ike_sa_deleted_by_peer", "dpd_timeout", "peer_unreachable")
        first = min(liveness, key=lambda c: (liveness[c].first, order.index(c)))
        s = liveness[first]
        if first == "ike_sa_deleted_by_peer":
            reasoning = [f"Line {s.first}: the customer gateway sent a Delete for the IKE_SA; the tunnel went down from its side."]
            if established.last > s.last:
                reasoning.append(f"An IKE_SA was established again at line {established.last}, so someone re-initiated.")
                summary = "The customer gateway deleted the IKE SA; the tunnel came back later."
            else:
                reasoning.append(
                    "No IKE_SA was established after it. With startup action add (the default) AWS does not "
                    "start IKE itself: the customer gateway must start IKE again, so the tunnel stays down."
                )
                summary = "The customer gateway deleted the IKE SA and nobody set the tunnel up again."
            if "dpd_timeout" in cats and cats["dpd_timeout"].first > s.first:
                reasoning.append("The DPD timeouts after the Delete are a consequence of the missing IKE_SA.")
            reasoning += _also(cats, first)
            return _primary(first, summary, reasoning, [s.first, s.last])
        if first == "dpd_timeout":
            reasoning = [f"Line {s.first}: dead peer detection declared the peer dead after it stopped answering."]
            unreach = cats.get("peer_unreachable")
            later_unanswered = unreach and unreach.last > s.first and unreach.last != s.first
            if later_unanswered and established.last < unreach.last:
                reasoning.append(
                    f"The attempts to set the tunnel up again also got no answer (line {unreach.last}): "
                    "the peer is unreachable. Check that the customer gateway is up and that UDP 500/4500 "
                    "and ESP pass before touching DPD settings."
                )
                reasoning += _also(cats, "peer_unreachable")
                return _primary(
                    "peer_unreachable",
                    "DPD timed out because the peer stopped answering, and it still does not answer: reachability.",
                    reasoning,
                    [s.first, unreach.last],
                    {"peer_alive_after_dpd": "no"},
                )
            if established.last > s.first:
                reasoning.append(
                    f"The tunnel was established again at line {established.last}, so the peer is reachable: "
                    "look at DPD itself (idle tunnel, customer gateway DPD off, timeout action)."
                )
                summary = "DPD timed out and cleared the tunnel although the peer was reachable."
                facts = {"peer_alive_after_dpd": "yes"}
            else:
                reasoning.append(
                    "Nothing after it shows the peer alive: treat it as a reachability problem until shown "
                    "otherwise, then check who brings the tunnel back (DPD timeout action, startup action)."
                )
                summary = "DPD timed out: the peer stopped answering and the tunnel was not set up again."
                facts = {}
            reasoning += _also(cats, "dpd_timeout")
            return _primary("dpd_timeout", summary, reasoning, [s.first, s.last], facts)
        reasoning = [
            f"Line {s.first}: negotiation got no answer from the peer ({s.count} time{'s' if s.count > 1 else ''}).",
            "No configuration error was seen, which needs an answer from the peer: check reachability "
            "(peer IP, UDP 500/4500 and ESP through firewalls, NAT-T, the customer gateway itself).",
        ]
        reasoning += _also(cats, first)
        return _primary(first, "The peer does not answer IKE: a reachability problem.", reasoning, [s.first, s.last])

    if "rekey_issue" in cats:
        s = cats["rekey_issue"]
        reasoning = [
            f"Line {s.first}: both sides rekeyed at the same time ({s.count}×).",
            "Collisions are resolved by the protocol, but repeated ones point at matching lifetimes and "
            "rekey margins on both sides, or a side that rekeys too eagerly.",
        ]
        reasoning += _also(cats, "rekey_issue")
        return _primary("rekey_issue", "Rekey collisions: both sides rekey the same SA at once.", reasoning, [s.first, s.last])

    s = cats["bgp_down"]
    reasoning = [
        f"Line {s.first}: the BGP session went down ({s.count}×).",
        "No IKE or IPsec failure was seen, so the tunnel itself is likely up: look at BGP (ASN, neighbor "
        "addresses on the inside CIDR, hold timer, TCP 179 through the customer gateway's firewall).",
    ]
    return _primary("bgp_down", "BGP is down while IPsec shows no failure.", reasoning, [s.first, s.last])
