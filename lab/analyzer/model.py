"""What the log analyzer returns: findings, the primary diagnosis and the analysis as a whole.

Plain frozen dataclasses so the CLI, the report, the evidence builder and the page share one shape;
`Analysis.to_json()` is the `vpn-lab logs --json` contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lab.i18n import M, Msg

# The category ids are a contract with other parts of the lab (replays, lessons, evidence keys).
CATEGORIES = (
    "dpd_timeout",
    "ike_sa_deleted_by_peer",
    "phase1_proposal_mismatch",
    "phase2_proposal_mismatch",
    "auth_failure",
    "traffic_selector_mismatch",
    "peer_unreachable",
    "bgp_down",
    "rekey_issue",
    # Causes none of the names above covers (issue: IKE or IPsec mode mismatch, NAT-T/fragmentation).
    "ike_mode_mismatch",
    "ike_version_mismatch",
    "ipsec_mode_mismatch",
    "nat_t_or_fragmentation",
    # The customer gateway declines to start IKE itself (passive mode, no policy that uses the tunnel): with AWS's
    # default startup action (add) nobody starts it.
    "cgw_not_initiating",
    # This host's kernel refused to install an IPsec SA the negotiation agreed on (an algorithm or IPsec module it
    # lacks, parameters it rejects): the peer is not the cause.
    "kernel_sa_install",
)
PHASES = ("IKE", "IPsec", "DPD", "BGP", "routing")


@dataclass(frozen=True)
class Finding:
    """One log line that a pattern classified."""

    line: int  # 1-based line number in the input
    time: datetime | None
    category: str
    phase: str
    pattern: str  # pattern id
    text: str  # the line as read (shortened when very long), shown as text only
    explanation: str
    tree_node: str  # "<tree id>/<node id>"
    decisive: bool = True  # False: context such as a DPD request, shown only when its category is confirmed
    facts: dict[str, Any] = field(default_factory=dict)  # what the line says: peer, notify, exchange, proposals...
    event: str = ""  # the protocol event the line was read as (notify, retransmit, delete, ...)
    order: int = 0  # position in the event order (newest-first input reversed), 0 when unknown

    def to_json(self) -> dict[str, Any]:
        return {
            "line": self.line,
            "time": self.time.isoformat() if self.time else None,
            "category": self.category,
            "phase": self.phase,
            "pattern": self.pattern,
            "text": self.text,
            "tree_node": self.tree_node,
            "event": self.event,
            "facts": self.facts,
        }


# Shown under a primary diagnosis whose certainty is "guess" (the CLI, the troubleshooter page, the incident report).
GUESS_NOTE: Msg = M(
    "A reading of what the log does not show: no line names this cause, the peer's silence or the daemon's own "
    "guess points at it. Check the other suspects the reasoning names."
)


@dataclass(frozen=True)
class Primary:
    """The most likely root cause, with the reasoning and the lines it rests on."""

    category: str
    tree_node: str
    summary: str
    reasoning: tuple[str, ...]
    evidence_lines: tuple[int, ...]
    title: str = ""
    # What the reasoning established (peer_alive_after_dpd: yes|no) and what the lines say (peer,
    # proposals_received, proposals_configured, algorithms, ASNs, selectors, identities, notify, ...).
    facts: dict[str, Any] = field(default_factory=dict)
    chain: tuple[Finding, ...] = ()  # the lines that led to the diagnosis, in event order
    # "firm": a line names the cause; "guess": only silence or a daemon's own guess points at it (RFC 2409 and RFC
    # 7296 leave some refusals unsaid), so the reasoning names what else looks the same
    certainty: str = "firm"
    # `summary` and `reasoning` are lab.i18n.Msg when the analyzer wrote them: English as strings, any language
    # through these two methods.

    def summary_in(self, lang: str | None = None) -> str:
        """The summary in `lang` (default: the current language)."""
        from lab.i18n import render

        return render(self.summary, lang)

    def reasoning_in(self, lang: str | None = None) -> list[str]:
        """The reasoning in `lang` (default: the current language)."""
        from lab.i18n import render

        return [render(r, lang) for r in self.reasoning]

    def to_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "tree_node": self.tree_node,
            "summary": self.summary,
            "facts": self.facts,
            "reasoning": list(self.reasoning),
            "evidence_lines": list(self.evidence_lines),
            "chain": [f.line for f in self.chain],
            "certainty": self.certainty,
        }


@dataclass(frozen=True)
class Analysis:
    """The result of one pass over a log."""

    format: str  # the format used (detected or chosen); "unknown" when nothing was recognised
    lines: int
    findings: tuple[Finding, ...]
    primary: Primary | None
    detected_formats: tuple[str, ...] = ()
    notes: tuple[Any, ...] = ()  # what the analyzer did to the input (CRLF, ...): lab.i18n.Msg, str() is English
    # a failure was seen but nothing needs fixing: it recovered (a BGP reset that came back, a retried bring-up) or
    # the protocol resolved it (a rekey collision); a note says which. False when nothing was seen at all.
    recovered: bool = False
    # no cause is named, but the peer refused a request with an error notify that names no setting (INVALID_SYNTAX
    # outside a rekey, UNSUPPORTED_CRITICAL_PAYLOAD); a note names the line. Not "no known failure message".
    refused_unnamed: bool = False
    # no cause is named, and the log's IKE daemon was stopped and does not run again in these lines: its tunnels are
    # down because it is not running (a note names the line). Not "no known failure message".
    daemon_stopped: bool = False
    signals: dict[str, int] = field(default_factory=dict)  # signal id -> count (established, initiating)
    truncated: bool = False  # more findings than the analyzer keeps
    last_states: dict[str, str] = field(default_factory=dict)  # AWS ike_phase1_state etc. from the last line
    # how the input was read: oldest-first, or newest-first (then reversed; of two logs pasted one after the other in
    # different formats and orders, the one that was newest first)
    order: str = "oldest-first"
    streams: int = 1  # separate logs found in the input (two-sided pastes, several hosts)

    @property
    def categories(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for f in self.findings:
            if f.decisive:
                counts[f.category] = counts.get(f.category, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "lines": self.lines,
            "order": self.order,
            "primary": (
                {
                    "category": self.primary.category,
                    "tree_node": self.primary.tree_node,
                    "summary": self.primary.summary,
                    "facts": self.primary.facts,
                    "evidence_lines": [f.line for f in self.primary.chain] or list(self.primary.evidence_lines),
                    "certainty": self.primary.certainty,
                }
                if self.primary
                else None
            ),
            "recovered": self.recovered,
            "daemon_stopped": self.daemon_stopped,
            "notes": [str(n) for n in self.notes],
            "findings": [
                {
                    "line": f.line,
                    "category": f.category,
                    "phase": f.phase,
                    "pattern": f.pattern,
                    "text": f.text,
                    "tree_node": f.tree_node,
                    "event": f.event,
                    "facts": f.facts,
                }
                for f in self.findings
            ],
        }
