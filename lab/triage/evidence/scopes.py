"""Evidence scopes: one connection and one tunnel (or the pasted log), the log lines split by tunnel, the state
AWS reports for each tunnel, and the facts derived from or merged across sources of one scope."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from lab.analyzer import Analysis, analyze
from lab.errors import InputError
from lab.i18n import N_, t
from lab.model import LogRecord, Snapshot, Tunnel, VpnConnection
from lab.triage.evidence.logs import from_analysis
from lab.triage.evidence.model import Evidence, _put

_IP = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
_SWAN_NAME = re.compile(r"<([^|>\s]+)\|\d+>")
_AWS_IP_FIELDS = ("tunnel_outside_ip", "TunnelOutsideIPAddress")
_SOURCE_NAMES = {"simulation": N_("Scenario lab"), "replay": N_("Replay"), "aws": N_("Live AWS")}

_REESTABLISHED = ("cgw", "aws", "yes")


def derive(evidence: Mapping[str, Evidence]) -> dict[str, Evidence]:
    """Add the keys that combine other facts of the same scope (recomputed, so merging twice is safe).

    `tunnel.after_delete` (the Delete IKE_SA question): "reestablished" when an SA was set up again after
    the Delete (a line says so, or the tunnel is UP at the end although its lines end at the Delete);
    otherwise the startup action, which decides who has to set it up. Conflicting pieces stay conflicting.
    """
    out = {k: v for k, v in evidence.items() if k != "tunnel.after_delete"}
    back = out.get("tunnel.reestablished_after_delete")
    status = out.get("tunnel.status")
    startup = out.get("options.startup_action")
    key = "tunnel.after_delete"
    if back is not None and back.conflicts:
        # "no" only says that some lines do not show it; a line that does show it settles the question,
        # unless two lines name different initiators.
        shown = {p.value for p in back.conflicts if p.value != "no"}
        if len(shown) == 1:
            back = next(p for p in back.conflicts if p.value in shown)
    if back is not None and not back.value:
        out[key] = replace(back, key=key)
    elif back is not None and back.value in _REESTABLISHED:
        out[key] = replace(back, key=key, value="reestablished")
    elif back is not None and back.value == "no" and status is not None and status.value == "UP":
        out[key] = replace(
            status, key=key, value="reestablished",
            reason=t("{status} - after the Delete IKE_SA ({line}): someone set the tunnel up again, although no "
                     "line shows it.", status=status.reason, line=back.source_text))
    elif startup is not None:
        out[key] = replace(startup, key=key)
    return out


# --- splitting lines by tunnel ------------------------------------------------------------------


def _aws_ip(record: LogRecord) -> str:
    for k in _AWS_IP_FIELDS:
        if record.fields.get(k):
            return record.fields[k]
    rid = record.fields.get("resource_id", "")
    return rid.split("_", 1)[1] if "_" in rid else ""


def split_by_tunnel(records: Iterable[LogRecord], tunnel_ips: Sequence[str]) -> dict[str, list[LogRecord]]:
    """Tunnel outside IP -> its records; "" holds the records that name no known tunnel.

    A record belongs to a tunnel when it says so (its tunnel IP or an AWS log field), when it
    names exactly one tunnel outside IP, or when its strongSwan connection name was seen on a
    line that names one.
    """
    known = set(tunnel_ips)
    names: dict[str, str] = {}
    out: dict[str, list[LogRecord]] = {ip: [] for ip in tunnel_ips}
    out[""] = []
    pending: list[tuple[LogRecord, str]] = []
    for r in records:
        ip = r.tunnel_ip or _aws_ip(r)
        name_m = _SWAN_NAME.search(r.text)
        if not ip or ip not in known:
            named = {m for m in _IP.findall(r.text) if m in known}
            ip = next(iter(named)) if len(named) == 1 else ""
        if ip and name_m:
            names.setdefault(name_m.group(1), ip)
        if not ip and name_m:
            pending.append((r, name_m.group(1)))
            continue
        out[ip if ip in known else ""].append(r)
    for r, name in pending:  # a name learned later in the file still attributes the line
        out[names.get(name, "")].append(r)
    for ip in out:
        out[ip].sort(key=lambda r: (r.time.timestamp() if r.time else float("-inf"), r.line_no))
    return out


def _records_from_text(text: str) -> list[LogRecord]:
    import json

    recs = []
    for n, line in enumerate(text.splitlines(), 1):
        fields: dict[str, str] = {}
        s = line.strip()
        if s.startswith("{"):
            try:
                data = json.loads(s)
            except ValueError:
                data = None
            if isinstance(data, dict):
                fields = {k: str(v) for k, v in data.items() if not isinstance(v, dict)}
        recs.append(LogRecord(text=line, format="", line_no=n, fields=fields))
    return recs


def _analyze_records(records: Sequence[LogRecord]) -> Analysis | None:
    texts = [r.text for r in records if r.text.strip()]
    if not texts:
        return None
    try:
        return analyze(texts)
    except InputError:
        return None


# --- scopes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The evidence about one tunnel of one connection (or one pasted log)."""

    connection: str
    tunnel: str
    label: str
    evidence: dict[str, Evidence]
    analysis: Analysis | None = None
    lines: int = 0
    options: object | None = None  # the tunnel's TunnelOptions, when known
    connection_obj: VpnConnection | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        return f"{self.connection}/{self.tunnel}" if self.connection or self.tunnel else "log"


def scopes_from_text(text: str) -> list[Scope]:
    """Scopes for a pasted log: one per AWS tunnel IP its lines name, or one for the whole log."""
    records = _records_from_text(text)
    ips = list(dict.fromkeys(ip for ip in (_aws_ip(r) for r in records) if _valid_ip(ip)))
    if len(ips) <= 1:
        analysis = _analyze_records(records)
        if analysis is None:
            return []
        tunnel = ips[0] if ips else ""
        ev = derive(from_analysis(analysis, tunnel=tunnel, records=records))
        label = t("tunnel {ip} (pasted log)", ip=tunnel) if tunnel else t("the pasted log")
        return [Scope("", tunnel, label, ev, analysis, analysis.lines)]
    parts = split_by_tunnel(records, ips)
    out = []
    for ip in ips:
        analysis = _analyze_records(parts[ip])
        if analysis is None:
            continue
        out.append(Scope("", ip, t("tunnel {ip} (pasted log)", ip=ip),
                         derive(from_analysis(analysis, tunnel=ip, records=parts[ip])),
                         analysis, len(parts[ip])))
    note = t("{n} line(s) name no tunnel and answer no question.", n=len(parts[""])) if parts[""] else ""
    out.sort(key=_log_trouble, reverse=True)
    return [replace(s, notes=(note,)) if note else s for s in out]


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _log_trouble(scope: Scope) -> int:
    p = scope.evidence.get("log.primary")
    return 0 if p is None or p.value in ("none", "") else 1


def _went_down(snapshot: Snapshot, conn: VpnConnection) -> list[str]:
    """Outside IPs of this connection's tunnels that went down during the snapshot's window."""
    ips = {t.outside_ip for t in conn.tunnels}
    seen: list[str] = []
    for e in snapshot.events:
        if e.kind in ("tunnel-down", "dpd-timeout", "ike-sa-deleted") and e.tunnel_ip in ips and e.tunnel_ip not in seen:
            seen.append(e.tunnel_ip)
    return seen


def _state_evidence(snapshot: Snapshot, conn: VpnConnection, tunnel: Tunnel) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    name = _SOURCE_NAMES.get(snapshot.source)
    src = f"{t(name) if name else snapshot.source} '{snapshot.label}'"
    scope = {"connection": conn.id, "tunnel": tunnel.outside_ip}

    def ev(key: str, value: str, reason: str, kind: str, origin: str) -> None:
        _put(out, Evidence(key, value, reason, None, kind, origin=origin, **scope))

    down_now = [t for t in conn.tunnels if t.status == "DOWN"]
    went_down = _went_down(snapshot, conn)
    states = ", ".join(f"{t.outside_ip} {t.status}" for t in conn.tunnels)
    n = len(down_now) or len(went_down)
    value = "none" if n == 0 else ("both" if n >= len(conn.tunnels) else "one")
    if down_now or not went_down:
        reason = t("{src}: {conn} tunnels {states}.", src=src, conn=conn.id, states=states)
    else:
        reason = t("{src}: {conn} tunnels are {states} now, but {down} went down during the window.", src=src,
                   conn=conn.id, states=states, down=", ".join(went_down))
    ev("connection.tunnels_down", value, reason, "state", t("VgwTelemetry Status of both tunnels"))
    ev("connection.routing", conn.routing, t("{src}: {conn} uses {routing} routing.", src=src, conn=conn.id,
                                              routing=conn.routing), "options", "Options StaticRoutesOnly")
    where = t("{src}: tunnel {ip}", src=src, ip=tunnel.outside_ip)
    opts = tunnel.options
    ev("tunnel.status", tunnel.status, t("{where} is {status}.", where=where, status=tunnel.status), "state",
       "VgwTelemetry Status")
    ev("options.startup_action", opts.startup_action,
       t("{where} has startup action {action}.", where=where, action=opts.startup_action), "options",
       "TunnelOptions StartupAction")
    ev("options.dpd_timeout_action", opts.dpd_timeout_action,
       t("{where} has DPD timeout action {action}.", where=where, action=opts.dpd_timeout_action),
       "options", "TunnelOptions DpdTimeoutAction")
    versions = set(opts.ike_versions)
    ike = "both" if versions >= {"ikev1", "ikev2"} else (next(iter(versions)) if versions else "both")
    ev("options.ike_versions", ike,
       t("{where} allows {versions}.", where=where, versions=", ".join(sorted(versions)) or t("both IKE versions")),
       "options", "TunnelOptions IkeVersions")
    mine = [e for e in snapshot.events if e.tunnel_ip == tunnel.outside_ip]
    dpd = next((e for e in mine if e.kind == "dpd-timeout"), None)
    back_up = dpd and next((e for e in mine if e.kind == "tunnel-up" and e.time > dpd.time), None)
    if dpd and back_up:
        at = f"{back_up.time:%H:%M:%S}"
        ev("log.peer_alive_after_dpd", "yes", t("{where} came up again at {time} after the DPD timeout.", where=where,
                                                time=at), "event", t("tunnel-up event at {time}", time=at))
    # AWS documents that DPD timeout action restart restarts IKE; startup action start is documented for new or
    # modified tunnels and endpoint replacements only, not after a DPD timeout with action clear.
    if dpd and not back_up and tunnel.status == "DOWN" and opts.dpd_timeout_action == "restart":
        how = t("DPD timeout action restart")
        at = f"{dpd.time:%H:%M:%S}"
        ev("log.peer_alive_after_dpd", "no",
           t("{where}: AWS initiates IKE again itself ({how}), yet the tunnel stayed DOWN from the DPD timeout at "
             "{time} to the end of the window: the peer did not answer.", where=where, how=how, time=at),
           "event", t("dpd-timeout event at {time}, no tunnel-up after it", time=at))
    replaced = [e for e in mine if e.kind in ("endpoint-replacement", "maintenance-pending")]
    pending = tunnel.maintenance is not None and bool(tunnel.maintenance.pending)
    if replaced:
        e = replaced[0]
        ev("tunnel.maintenance_pending", "yes", f"{where}: {e.detail or e.kind}.", "event",
           t("{kind} event at {time}", kind=e.kind, time=f"{e.time:%H:%M:%S}"))
    elif pending:
        ev("tunnel.maintenance_pending", "yes",
           t("{where}: pending maintenance: {what}.", where=where, what=tunnel.maintenance.pending),  # type: ignore[union-attr]
           "state", "MaintenanceDetails PendingMaintenance")
    else:
        ev("tunnel.maintenance_pending", "no", t("{where}: no endpoint replacement or pending maintenance.", where=where),
           "state", t("events and MaintenanceDetails"))
    return out


def combine(*sources: Mapping[str, Evidence]) -> dict[str, Evidence]:
    """Facts of one scope from several sources; a key on which they disagree becomes a conflict."""
    out: dict[str, Evidence] = {}
    for src in sources:
        for ev in src.values():
            _put(out, ev)
    return out


def scopes(snapshot: Snapshot) -> list[Scope]:
    """One scope per tunnel of the snapshot, the most troubled first.

    Trouble: tunnels of the connection with the most tunnels DOWN (then gone down in the window)
    first; inside it, a tunnel DOWN now, then one that went down, then the others.
    """
    all_ips = [t.outside_ip for c in snapshot.connections for t in c.tunnels]
    parts = split_by_tunnel(snapshot.logs, all_ips) if snapshot.logs else {ip: [] for ip in all_ips} | {"": []}
    ranked: list[tuple[tuple[int, ...], Scope]] = []
    for ci, conn in enumerate(snapshot.connections):
        went = _went_down(snapshot, conn)
        conn_rank = (sum(1 for t in conn.tunnels if t.status == "DOWN"), len(went))
        for ti, tun in enumerate(conn.tunnels):
            recs = parts.get(tun.outside_ip, [])
            analysis = _analyze_records(recs)
            logs = from_analysis(analysis, connection=conn.id, tunnel=tun.outside_ip, records=recs) if analysis else {}
            state = _state_evidence(snapshot, conn, tun)
            ev = derive(combine(state, logs))
            status = tun.status if tun.status == "DOWN" or tun.outside_ip not in went else t("went down")
            label = t("{conn} · tunnel {ip} ({status})", conn=conn.name or conn.id, ip=tun.outside_ip, status=status)
            own = (int(tun.status == "DOWN"), int(tun.outside_ip in went))
            ranked.append(((*conn_rank, *own, -ci, -ti), Scope(conn.id, tun.outside_ip, label, ev, analysis, len(recs),
                                                             tun.options, conn)))
    ranked.sort(key=lambda x: x[0], reverse=True)
    out = [s for _, s in ranked]
    if parts.get("") and out:
        note = t("{n} log line(s) name no tunnel of this snapshot and answer no question.", n=len(parts[""]))
        out = [replace(s, notes=(note,)) for s in out]
    return out


def from_snapshot(snapshot: Snapshot) -> dict[str, Evidence]:
    """Evidence of the snapshot's most troubled tunnel (see `scopes` for all of them)."""
    found = scopes(snapshot)
    return found[0].evidence if found else {}


def merge(*sources: Mapping[str, Evidence]) -> dict[str, Evidence]:
    """Facts from several sources about the same scope.

    A source about another tunnel is left out (facts of two tunnels are never combined); where the
    sources disagree, the key keeps both pieces and no value, so the question goes to the person.
    """
    tunnel = next((ev.tunnel for src in sources for ev in src.values() if ev.tunnel), "")
    out: dict[str, Evidence] = {}
    for src in sources:
        other = {ev.tunnel for ev in src.values() if ev.tunnel} - {tunnel}
        if other:
            continue
        for ev in src.values():
            _put(out, ev)
    return out
