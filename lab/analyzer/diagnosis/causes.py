"""The categories of cause (from categories.yaml), the findings the scan's events become, and the primary
diagnosis they make."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict

from lab import DATA_DIR
from lab.analyzer import bgp
from lab.analyzer import formats as fmts
from lab.analyzer.model import CATEGORIES, Finding, Primary
from lab.analyzer.protocol import (
    Event,
    bgp_peer,
    facts_of,
    tunnel_name,
)
from lab.analyzer.protocol.events import stamp_kind
from lab.analyzer.scan import shown
from lab.errors import DataError
from lab.i18n import Msg
from lab.schema import load_yaml_model

CATEGORIES_FILE = DATA_DIR / "categories.yaml"
_STALE_SPI = re.compile(r"invalid spi|no matching SA|INVALID_SPI", re.IGNORECASE)
CONFIG_STAGES = (
    "ike_version_mismatch",
    "ike_mode_mismatch",
    "phase1_proposal_mismatch",
    "auth_failure",
    "traffic_selector_mismatch",
    "ipsec_mode_mismatch",
    "phase2_proposal_mismatch",
)


class _Category(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    phase: str
    tree_node: str
    no_routes_title: str | None = None  # bgp_down: the session is up but routes are not exchanged (bgp.NO_ROUTES)


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


def category_title(category: str, facts: dict[str, Any] | None = None) -> str:
    """The English title of a category (the data catalogue translates it, domain "category.title"), for a finding or
    a primary diagnosis with these facts: a BGP reason where the session stays up has a title of its own."""
    cat = categories()[category]
    if cat.no_routes_title and (facts or {}).get("bgp_reason") in bgp.NO_ROUTES:
        return cat.no_routes_title
    return cat.title


def _finding(ev: Event) -> Finding:
    cat = categories()[ev.category] if ev.category else None
    return Finding(
        line=ev.line,
        time=fmts.line_time(ev.text, ev.fmt),
        category=ev.category or "",
        phase=cat.phase if cat else "",
        pattern=ev.pattern,
        text=shown(ev.text),
        explanation=ev.explanation,
        tree_node=ev.tree_node or (cat.tree_node if cat else ""),
        decisive=ev.weight == "decisive",
        facts=facts_of(ev),
        event=ev.kind,
        order=ev.order,
    )


def findings_of(events: list[Event], confirmed: set[str], chain: set[int] | None = None) -> list[Finding]:
    """Decisive events, and context lines of the confirmed categories, as findings in line order; not the context
    lines of a tunnel other than the ones the primary's chain (`chain`: its lines' orders) names, or without one, the
    ones the category's decisive lines name (see `_own_tunnels`)."""
    if chain:
        named = _tunnels_named(e for e in events if e.order in chain)
    else:
        named = _decisive_tunnels(e for e in events if e.category in confirmed)
    out = [
        _finding(ev)
        for ev in events
        if ev.category and (ev.weight == "decisive" or ev.category in confirmed and _of_tunnels(ev, named))
    ]
    out.sort(key=lambda f: f.line)
    return out


def _merge_facts(events: list[Event]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    for ev in events:
        for key, value in facts_of(ev).items():
            if isinstance(value, list):
                merged = facts.setdefault(key, [])
                if isinstance(merged, list):
                    merged.extend(v for v in value if v not in merged)
            elif key not in facts or key in ("exchange", "direction", "notify", "sa") and ev.weight == "decisive":
                facts[key] = value
    return facts


def _in_time(chain: list[Event]) -> list[Event]:
    """The chain in the order its lines happened: in one log the order of its lines; lines of two logs pasted one after
    the other (both peers) by their time stamps, when every line has one of the same kind (the second log's lines all
    come after the first's in the paste, whenever they happened)."""
    if len({e.stream for e in chain}) < 2 or any(e.stamp is None for e in chain):
        return chain
    if len({stamp_kind(e.stamp) for e in chain if e.stamp is not None}) != 1:
        return chain
    return sorted(chain, key=lambda e: (e.stamp or 0.0, e.order))


def _primary(
    category: str,
    summary: Msg,
    reasoning: list[Msg],
    chain: list[Event],
    extra: dict[str, Any] | None = None,
    lead: list[Event] | None = None,
    reading: Event | None = None,
    first: Event | None = None,
) -> Primary:
    """`lead`: lines without a category of their own that the reasoning relied on (the SA that was up before its
    rekey failed): shown in the chain, not read for facts. `reading`: the line the reasoning leads with; when the chain
    holds lines of two logs (both peers'), a notify's direction is the one its log states, as the reasoning says it.
    `first`: where no line of the chain is decisive, the line the reading rests on: its facts come before the other
    lines', and the lines of another tunnel are left out of the chain as if it were decisive."""
    cat = categories()[category]
    chain = _own_tunnels(sorted({id(e): e for e in chain}.values(), key=lambda e: e.order), first)
    if len(chain) > 40:
        chain = chain[:20] + chain[-20:]
    decisive = [e for e in chain if e.weight == "decisive"]
    leading = [first] if first is not None and not decisive and any(e is first for e in chain) else []
    facts = _merge_facts(decisive + leading + [e for e in chain if e.weight != "decisive" and e is not first])
    if reading is not None and len({e.stream for e in chain}) > 1:
        # (each side says "sent" and "received" of the same notify: the direction is the one the reading's log says)
        own = [e for e in chain if e.stream == reading.stream]
        direction = _merge_facts([e for e in own if e.weight == "decisive"]
                                 + [e for e in own if e.weight != "decisive"]).get("direction")
        facts.pop("direction", None)
        if direction is not None:
            facts["direction"] = direction
    facts.update(extra or {})
    if lead:
        chain = sorted({id(e): e for e in chain + lead}.values(), key=lambda e: e.order)
    chain = _in_time(chain)
    return Primary(
        category=category,
        tree_node=cat.tree_node,
        summary=summary,
        reasoning=tuple(reasoning),
        evidence_lines=tuple(sorted({e.line for e in chain if e.weight != "context"} or {e.line for e in chain})),
        title=cat.title,
        facts=facts,
        chain=tuple(_finding(e) for e in chain),
        certainty=_certainty(chain),
    )


def _own_tunnels(chain: list[Event], first: Event | None = None) -> list[Event]:
    """The chain without the lines of a log that name a tunnel other than the ones its decisive lines name (or, with
    none decisive, `first`): the category's other lines in a gateway's log (another tunnel's DPD probes, its
    retransmits, its BGP neighbor's state changes) are no part of this tunnel's reasoning. A log whose decisive lines
    name no tunnel keeps all its lines."""
    named = _decisive_tunnels(chain)
    if not named and first is not None and (name := _tunnel_of(first)):
        named = {first.stream: {name}}
    return [e for e in chain if _of_tunnels(e, named)] if named else chain


_ADDRESS = re.compile(r"[0-9a-fA-F]*[.:][0-9a-fA-F.:]*")


def _tunnel_of(ev: Event) -> str:
    """The tunnel a line names: its `tunnel_name` ("tunnel NAME"), or for a BGP line its neighbor (an AWS VPN runs one
    BGP session per tunnel), by address ("bgp-address 192.0.2.3") or by the name the configuration gives it ("bgp-name
    tunnel2", BIRD's protocol); "" when it names none."""
    if name := tunnel_name(ev):
        return f"tunnel {name}"
    if ev.kind.startswith("bgp") and (peer := bgp_peer(ev)):
        return f"bgp-address {peer}" if _ADDRESS.fullmatch(peer) else f"bgp-name {peer}"
    return ""


def _tunnels_named(events: Iterable[Event]) -> dict[int, set[str]]:
    """The tunnels (`_tunnel_of`) `events` name, per log (stream)."""
    named: dict[int, set[str]] = {}
    for e in events:
        if name := _tunnel_of(e):
            named.setdefault(e.stream, set()).add(name)
    return named


def _decisive_tunnels(events: Iterable[Event]) -> dict[int, set[str]]:
    """The tunnels the decisive lines among `events` name, per log (stream)."""
    return _tunnels_named(e for e in events if e.weight == "decisive")


def _of_tunnels(ev: Event, named: dict[int, set[str]]) -> bool:
    """Whether a line can be about one of the tunnels `named` names in its log: it names none of another the same way
    (a BGP neighbor named by its address may be the one BIRD names by its protocol)."""
    if not (own := named.get(ev.stream)) or not (name := _tunnel_of(ev)) or name in own:
        return True
    return not any(known.split(" ", 1)[0] == name.split(" ", 1)[0] for known in own)


def _certainty(chain: list[Event]) -> str:
    """"guess" when no line of the chain names the cause and one of them is a guess (values["guess"]): the protocol
    layer's reading of silence, or a daemon's own guess (pluto's "Possible authentication failure", "perhaps peer
    likes no proposal"); else "firm"."""
    if any(e.weight == "decisive" for e in chain):
        return "firm"
    return "guess" if any(e.values.get("guess") for e in chain) else "firm"
