"""Evidence: facts that can answer troubleshooting questions automatically, with the reason shown.

Keys (the trees' `evidence:` fields use them):
    connection.tunnels_down     both | one | none            (VgwTelemetry of the connection)
    connection.routing          bgp | static
    tunnel.status               UP | DOWN                     (the affected tunnel: the first one DOWN)
    tunnel.maintenance_pending  yes | no
    tunnel.phase1_state         Established | Rekeying | Negotiating | Down   (AWS tunnel log)
    tunnel.phase2_state         same values
    options.startup_action      add | start
    options.dpd_timeout_action  clear | none | restart
    options.ike_versions        ikev1 | ikev2 | both
    log.ike_activity            yes                           (the logs show IKE at all)
    log.primary                 a category id | none
    log.category:<category>     yes | no
    log.pattern:<pattern id>    yes
    log.peer_alive_after_dpd    yes | no
    log.bgp_cause               asn | hold_timer
Sources: `from_analysis` (analyzed logs) and `from_snapshot` (a simulation, replay or live Snapshot,
including its log records). Values are strings so a tree can list them in `when:`.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.analyzer import CATEGORIES, Analysis, Finding, analyze
from lab.errors import InputError
from lab.model import Snapshot, Tunnel, VpnConnection

_SOURCE_NAMES = {"simulation": "Scenario lab", "replay": "Replay", "aws": "Live AWS"}
_BGP_CAUSES = {
    "aws-bgp-bad-open-asn": "asn",
    "aws-bgp-hold-timer-expired": "hold_timer",
    "aws-bgp-session-down": "hold_timer",
    "ios-bgp-neighbor-down": "hold_timer",
}


@dataclass(frozen=True)
class Evidence:
    """One fact: its value, why we believe it (shown to the user), and the log line when there is one."""

    key: str
    value: str
    reason: str
    line: int | None = None
    source: str = "log"


def _put(out: dict[str, Evidence], ev: Evidence) -> None:
    out[ev.key] = ev


def from_analysis(analysis: Analysis) -> dict[str, Evidence]:
    """Evidence from analyzed logs."""
    out: dict[str, Evidence] = {}
    firsts: dict[str, Finding] = {}
    for f in analysis.findings:
        if f.decisive and f.category not in firsts:
            firsts[f.category] = f
        key = f"log.pattern:{f.pattern}"
        if key not in out:
            _put(out, Evidence(key, "yes", f"Line {f.line}: {f.text}", f.line))
    for cat in CATEGORIES:
        f = firsts.get(cat)
        if f is not None:
            _put(out, Evidence(f"log.category:{cat}", "yes", f"Line {f.line}: {f.text}", f.line))
        else:
            _put(out, Evidence(f"log.category:{cat}", "no", f"Not in the {analysis.lines:,} analyzed log lines."))
    p = analysis.primary
    if p:
        line = p.evidence_lines[0] if p.evidence_lines else None
        _put(out, Evidence("log.primary", p.category, f"Log analysis: {p.summary}", line))
        for key, value in p.facts.items():
            text = ", ".join(map(str, value)) if isinstance(value, list | tuple) else str(value)  # values are strings
            _put(out, Evidence(f"log.{key}", text, f"Log analysis: {p.reasoning[-1] if p.reasoning else p.summary}", line))
    else:
        _put(out, Evidence("log.primary", "none", f"No known failure in the {analysis.lines:,} analyzed log lines."))
    if analysis.findings or analysis.signals or analysis.last_states:
        first = analysis.findings[0] if analysis.findings else None
        reason = f"Line {first.line}: {first.text}" if first else "The log shows IKE negotiation messages."
        _put(out, Evidence("log.ike_activity", "yes", reason, first.line if first else None))
    for key in ("ike_phase1_state", "ike_phase2_state"):
        if key in analysis.last_states:
            name = "tunnel.phase1_state" if key == "ike_phase1_state" else "tunnel.phase2_state"
            value = analysis.last_states[key]
            _put(out, Evidence(name, value, f"Last AWS tunnel log line: {key} = {value}."))
    for f in analysis.findings:
        cause = _BGP_CAUSES.get(f.pattern)
        if cause and ("log.bgp_cause" not in out or cause == "asn"):
            _put(out, Evidence("log.bgp_cause", cause, f"Line {f.line}: {f.text}", f.line))
    return out


def _went_down(snapshot: Snapshot, conn: VpnConnection) -> list[str]:
    """Outside IPs of this connection's tunnels that went down during the snapshot's window."""
    ips = {t.outside_ip for t in conn.tunnels}
    seen: list[str] = []
    for e in snapshot.events:
        if e.kind in ("tunnel-down", "dpd-timeout", "ike-sa-deleted") and e.tunnel_ip in ips and e.tunnel_ip not in seen:
            seen.append(e.tunnel_ip)
    return seen


def _affected(snapshot: Snapshot) -> tuple[VpnConnection, list[Tunnel], list[str]]:
    """The connection with the most trouble, its tunnels DOWN now, and those that went down in the window."""

    def trouble(c: VpnConnection) -> tuple[int, int]:
        return (sum(1 for t in c.tunnels if t.status == "DOWN"), len(_went_down(snapshot, c)))

    conn = max(snapshot.connections, key=trouble)
    return conn, [t for t in conn.tunnels if t.status == "DOWN"], _went_down(snapshot, conn)


def from_snapshot(snapshot: Snapshot) -> dict[str, Evidence]:
    """Evidence from a Snapshot (the connection with the most trouble), plus whatever its log records show.

    A replay or simulation may end after the tunnels recovered; then the tunnels that went down during
    the window count, because the incident is what the troubleshooter is asked about.
    """
    out: dict[str, Evidence] = {}
    src = f"{_SOURCE_NAMES.get(snapshot.source, snapshot.source)} '{snapshot.label}'"
    if snapshot.logs:
        try:
            out.update(from_analysis(analyze(r.text for r in snapshot.logs)))
        except InputError:
            out = {}  # only blank log records: no log evidence, the snapshot's own facts still count
    if not snapshot.connections:
        return out
    conn, down_now, went_down = _affected(snapshot)
    kind = "snapshot"
    states = ", ".join(f"{t.outside_ip} {t.status}" for t in conn.tunnels)
    n = len(down_now) or len(went_down)
    value = "none" if n == 0 else ("both" if n >= len(conn.tunnels) else "one")
    if down_now or not went_down:
        reason = f"{src}: {conn.id} tunnels {states}."
    else:
        reason = f"{src}: {conn.id} tunnels are {states} now, but {', '.join(went_down)} went down during the window."
    _put(out, Evidence("connection.tunnels_down", value, reason, source=kind))
    _put(out, Evidence("connection.routing", conn.routing, f"{src}: {conn.id} uses {conn.routing} routing.", source=kind))
    tunnel = down_now[0] if down_now else (conn.tunnel(went_down[0]) if went_down else None) or (conn.tunnels[0] if conn.tunnels else None)
    if tunnel is None:
        return out
    opts = tunnel.options
    where = f"{src}: tunnel {tunnel.outside_ip}"
    _put(out, Evidence("tunnel.status", tunnel.status, f"{where} is {tunnel.status}.", source=kind))
    _put(out, Evidence("options.startup_action", opts.startup_action, f"{where} has startup action {opts.startup_action}.", source=kind))
    _put(
        out,
        Evidence("options.dpd_timeout_action", opts.dpd_timeout_action, f"{where} has DPD timeout action {opts.dpd_timeout_action}.", source=kind),
    )
    versions = set(opts.ike_versions)
    ike = "both" if versions >= {"ikev1", "ikev2"} else (next(iter(versions)) if versions else "both")
    _put(out, Evidence("options.ike_versions", ike, f"{where} allows {', '.join(sorted(versions)) or 'both IKE versions'}.", source=kind))
    dpd = next((e for e in snapshot.events if e.kind == "dpd-timeout" and e.tunnel_ip == tunnel.outside_ip), None)
    back_up = dpd and next(
        (e for e in snapshot.events if e.kind == "tunnel-up" and e.tunnel_ip == tunnel.outside_ip and e.time > dpd.time), None
    )
    if back_up and "log.peer_alive_after_dpd" not in out:
        _put(out, Evidence("log.peer_alive_after_dpd", "yes", f"{where} came up again at {back_up.time:%H:%M:%S} after the DPD timeout.", source=kind))
    replaced = [
        e for e in snapshot.events
        if e.kind in ("endpoint-replacement", "maintenance-pending") and e.tunnel_ip in ("", tunnel.outside_ip)
    ]
    pending = tunnel.maintenance is not None and bool(tunnel.maintenance.pending)
    if replaced or pending:
        what = replaced[0].detail or replaced[0].kind if replaced else f"pending maintenance: {tunnel.maintenance.pending}"  # type: ignore[union-attr]
        _put(out, Evidence("tunnel.maintenance_pending", "yes", f"{where}: {what}.", source=kind))
    else:
        _put(out, Evidence("tunnel.maintenance_pending", "no", f"{where}: no endpoint replacement or pending maintenance.", source=kind))
    return out


def merge(*sources: dict[str, Evidence]) -> dict[str, Evidence]:
    """Later sources fill keys the earlier ones lack (the first source wins on conflicts)."""
    out: dict[str, Evidence] = {}
    for src in sources:
        for key, ev in src.items():
            out.setdefault(key, ev)
    return out
