"""Evidence: facts that can answer troubleshooting questions automatically, each with its provenance.

Every fact belongs to one *scope*: one connection and one tunnel (or "the pasted log" when nothing
says which tunnel it is). Facts are never combined across tunnels: log lines are split by tunnel
first (the tunnel IP in an AWS log line, a tunnel outside IP named in a customer-gateway line, or a
strongSwan connection name seen next to one) and each tunnel's lines are analyzed on their own.
Lines that belong to no known tunnel answer nothing. When two sources disagree about one key of one
scope, the key is kept with both pieces and no value: the question is left to the person.

Keys (the trees' `evidence:` fields use them; `lab/data/evidence.yaml` says for each what it proves
and what it does not):
    connection.tunnels_down     both | one | none            (VgwTelemetry of the connection)
    connection.routing          bgp | static
    tunnel.status               UP | DOWN
    tunnel.maintenance_pending  yes | no
    tunnel.phase1_state         Established | Rekeying | Negotiating | Down   (AWS tunnel log)
    tunnel.phase2_state         same values
    options.startup_action      add | start
    options.dpd_timeout_action  clear | none | restart
    options.ike_versions        ikev1 | ikev2 | both
    log.ike_activity            yes | one-way
    log.primary                 a category id | none
    log.primary_node            "<tree>/<node>" where the logs' diagnosis continues
    log.category:<category>     yes | no
    log.pattern:<pattern id>    yes
    log.peer_alive_after_dpd    yes | no
    log.bgp_cause               asn | hold_timer | max_prefix | shutdown
    log.rekey_kind              collision | failed
    tunnel.reestablished_after_delete  cgw | aws | yes | no   (an SA established after the last Delete IKE_SA)
    tunnel.after_delete         reestablished | add | start   (derived: set up again after the Delete, else
                                                         the startup action that decides who must)
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR
from lab.analyzer import CATEGORIES, Analysis, Finding, analyze
from lab.analyzer.bgp import PRIORITY as BGP_PRIORITY
from lab.analyzer.model import GUESS_NOTE
from lab.errors import InputError
from lab.i18n import N_, render, t
from lab.model import LogRecord, Snapshot, Tunnel, VpnConnection
from lab.schema import load_yaml_model

RULES_FILE = DATA_DIR / "evidence.yaml"
_SOURCE_NAMES = {"simulation": N_("Scenario lab"), "replay": N_("Replay"), "aws": N_("Live AWS")}
# The answers of "Why BGP is down" that a finding's reason (lab.analyzer.bgp, the `bgp_reason` fact) gives: an
# OPEN with another AS; the hold timer, or TCP 179 not answered; more prefixes than the limit; a Cease sent on
# purpose (shutdown, reset, configuration change). Any other reason (a NOTIFICATION without its code, a neighbor
# down without a reason, an UPDATE error) answers none of them: the question stays with the person.
_BGP_CAUSES = {"bad_peer_as": "asn", "hold_timer_expired": "hold_timer", "send_hold_timer_expired": "hold_timer",
               "connect_failed": "hold_timer", "max_prefix": "max_prefix", "admin_shutdown": "shutdown",
               "admin_reset": "shutdown", "config_change": "shutdown"}
# AWS's BGP log says a session is stuck before Established by its state change alone.
_AWS_BGP_STUCK = re.compile(r"AWS-side peer BGP session state has changed from (?:Connect to Active|Active to Connect)\b")
# A category that needs an answer from the peer: seeing it proves the peer answered.
_ANSWERED = {"phase1_proposal_mismatch", "auth_failure", "traffic_selector_mismatch", "phase2_proposal_mismatch",
             "ike_sa_deleted_by_peer", "rekey_issue"}
# The categories that are themselves requests nobody answered (retransmits, give-ups, DPD timeouts).
_UNANSWERED = {"peer_unreachable", "dpd_timeout"}
_IP = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])")
_SWAN_NAME = re.compile(r"<([^|>\s]+)\|\d+>")
_AWS_IP_FIELDS = ("tunnel_outside_ip", "TunnelOutsideIPAddress")
# A Delete of the IKE SA: AWS's tunnel log line, or strongSwan sending / receiving one.
# libreswan (pluto): "received Delete SA payload: self-deleting ISAKMP State #1", "reviving connection which received
# Delete/Notify but must remain up per local policy".
_DELETE_IKE = re.compile(r"AWS tunnel received DELETE for IKE_SA|sending DELETE for IKE_SA|received DELETE for IKE_SA"
                         r"|received Delete SA(?:\(0x[0-9a-f]+\))? payload: (?:self-)?deleting ISAKMP"
                         r"|reviving connection which received Delete/Notify")
# An SA set up again: strongSwan's "IKE_SA name[n] established between", an AWS line whose phase 1 is Established,
# or the AWS BGP log's "... to Established" (BGP runs inside the tunnel, so IPsec is up).
_CHARON_ESTABLISHED = re.compile(r"\bIKE_SA \S+\[\d+\] established between\b")
# pluto, the customer gateway's own log: "initiator established IKE SA" (this side initiated), "responder ..." (the
# peer did); IKEv1 "STATE_MAIN_I4: ISAKMP SA established" (this side initiated Main Mode) or "STATE_MAIN_R3: sent MR3,
# ISAKMP SA established" (the peer did); libreswan 4.x "established IKE SA" does not say which ("deleting IKE SA
# (established IKE SA)" names the state of the SA it deletes).
_PLUTO_ESTABLISHED = re.compile(r"\b(?:(?P<role>initiator|responder) )?(?<!\()established IKE SA\b"
                                r"|(?:STATE_MAIN_(?P<state>[IR])\d:[^\n]*?)?\bISAKMP SA established\b")
_BGP_ESTABLISHED = re.compile(r"BGP session state has changed from \w+ to Established")
# Who initiated it, as the customer gateway's charon writes it: "initiating IKE_SA x[n] to <AWS>" (the customer
# gateway) or "<AWS ip> is initiating an IKE_SA" (AWS).
# (IKEv1: "initiating Main Mode IKE_SA ... to", "<ip> is initiating a Main Mode IKE_SA"; strongSwan 6.0.6 and later:
# "<ip> is initiating IKE_SA name[n]".)
_CHARON_CGW_INITIATES = re.compile(r"\binitiating (?:(?:Main|Aggressive) Mode )?IKE_SA \S+\[\d+\] to\b")
_CHARON_PEER_INITIATES = re.compile(r"\bis initiating (?:an? )?(?:(?:Main|Aggressive) Mode )?IKE_SA\b")


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(min_length=3)
    source: str = Field(min_length=5)
    proves: str = Field(min_length=5)
    does_not_prove: str = Field(min_length=5)


class _Rules(BaseModel):
    model_config = ConfigDict(extra="forbid")
    rules: list[_Rule] = Field(min_length=1)


@dataclass(frozen=True)
class Rule:
    key: str
    source: str
    proves: str
    does_not_prove: str


@lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Evidence rules by key (a key ending in ':' covers a family)."""
    data = load_yaml_model(_Rules, RULES_FILE)
    return {r.key: Rule(r.key, r.source.strip(), r.proves.strip(), r.does_not_prove.strip()) for r in data.rules}


def rule(key: str) -> Rule | None:
    table = rules()
    if key in table:
        return table[key]
    family = key.split(":", 1)[0] + ":" if ":" in key else ""
    return table.get(family)


@dataclass(frozen=True)
class Evidence:
    """One fact of one scope: its value, why we believe it, and exactly where it came from.

    `value` is "" when sources conflict; `conflicts` then holds the disagreeing pieces.
    """

    key: str
    value: str
    reason: str
    line: int | None = None
    source: str = "log"  # log | state | options | event | metric
    connection: str = ""
    tunnel: str = ""
    origin: str = ""  # "line 12", "VgwTelemetry Status", "TunnelOptions StartupAction", ...
    conflicts: tuple[Evidence, ...] = ()

    @property
    def source_text(self) -> str:
        """Connection, tunnel and the line, metric or field: the provenance shown beside an automatic answer."""
        parts = [t("connection {id}", id=self.connection) if self.connection else "",
                 t("tunnel {ip}", ip=self.tunnel) if self.tunnel else "",
                 self.origin or (t("line {n}", n=self.line) if self.line else self.source)]
        return ", ".join(p for p in parts if p)

    @property
    def rule(self) -> Rule | None:
        return rule(self.key)


def _conflict(a: Evidence, b: Evidence) -> Evidence:
    pieces = (*(a.conflicts or (a,)), *(b.conflicts or (b,)))
    reason = t("The sources disagree: {pieces}",
               pieces="; ".join(f"{p.value} ({p.source_text}: {p.reason})" for p in pieces))
    return Evidence(a.key, "", reason, source="conflict", connection=a.connection or b.connection,
                    tunnel=a.tunnel or b.tunnel, origin=t("conflicting sources"), conflicts=pieces)


def _put(out: dict[str, Evidence], ev: Evidence) -> None:
    """Add a fact; a different value for the same key becomes a conflict for the person to settle."""
    old = out.get(ev.key)
    if old is None:
        out[ev.key] = ev
    elif old.value != ev.value or old.conflicts:
        if old.value == ev.value:
            return
        out[ev.key] = _conflict(old, ev)


def _line_text(f: Finding) -> str:
    return t("Line {n}: {text}", n=f.line, text=f.text)


def from_analysis(
    analysis: Analysis,
    *,
    connection: str = "",
    tunnel: str = "",
    records: Sequence[LogRecord] = (),
) -> dict[str, Evidence]:
    """Evidence from the analyzed lines of one scope (one tunnel, or one pasted log).

    `records` (when the lines came as LogRecords) add what a line's AWS fields say, e.g. that an
    SA was Established at some point.
    """
    out: dict[str, Evidence] = {}
    scope = {"connection": connection, "tunnel": tunnel}

    def ev(key: str, value: str, reason: str, line: int | None = None, origin: str = "") -> None:
        _put(out, Evidence(key, value, reason, line, "log", origin=origin or (t("line {n}", n=line) if line else t("log")), **scope))

    firsts: dict[str, Finding] = {}
    for f in analysis.findings:
        if f.decisive and f.category not in firsts:
            firsts[f.category] = f
        key = f"log.pattern:{f.pattern}"
        if key not in out:
            ev(key, "yes", _line_text(f), f.line)
    # a collision line, or the TEMPORARY_FAILURE a responder answers a colliding rekey with (RFC 7296 section 2.25)
    collision = next((f for f in analysis.findings
                      if f.event == "rekey_collision" or (f.facts or {}).get("notify") == "TEMPORARY_FAILURE"), None)
    failed = firsts.get("rekey_issue")
    if failed is None and analysis.primary is not None and analysis.primary.category == "rekey_issue":
        # a primary the analyzer built from lines that alone are not decisive (a rekey that did not happen in time)
        lines = set(analysis.primary.evidence_lines)
        failed = next((f for f in analysis.findings if f.category == "rekey_issue" and f.line in lines), None)
    if collision is not None:
        ev("log.rekey_kind", "collision", _line_text(collision), collision.line)
    elif failed is not None:
        ev("log.rekey_kind", "failed", _line_text(failed), failed.line)
    for cat in CATEGORIES:
        f = firsts.get(cat)
        if f is not None:
            ev(f"log.category:{cat}", "yes", _line_text(f), f.line)
        else:
            ev(f"log.category:{cat}", "no", t("Not in the {n} analyzed log lines.", n=f"{analysis.lines:,}"),
               origin=t("all analyzed lines"))
    p = analysis.primary
    if p:
        line = p.evidence_lines[0] if p.evidence_lines else None
        why = p.reasoning[-1] if p.reasoning else p.summary
        shown = next((f for f in analysis.findings if f.line == line), None)
        why_line = f"{_line_text(shown)} - " if shown else ""
        said = why_line + t("log analysis: {summary}", summary=p.summary)
        if p.certainty == "guess":  # an answer preselected from a guess says so where it is shown
            said += " " + render(GUESS_NOTE)
        ev("log.primary", p.category, said, line)
        ev("log.primary_node", p.tree_node, said, line)
        for key, value in p.facts.items():
            if isinstance(value, str) and key in ("peer_alive_after_dpd",):
                ev(f"log.{key}", value, t("Log analysis: {why}", why=why), line)
    else:
        ev("log.primary", "none", t("No known failure in the {n} analyzed log lines.", n=f"{analysis.lines:,}"),
           origin=t("all analyzed lines"))

    # Did the peer ever answer? An unanswered retransmit proves only that its sender sends.
    established_line = next((r.line_no for r in records if r.fields.get("ike_phase1_state") == "Established"), None)
    answered = [firsts[c] for c in _ANSWERED if c in firsts]
    # A message the log writer received from its peer (the analyzer's extracted direction) is an answer too.
    answered += [f for f in analysis.findings if (getattr(f, "facts", None) or {}).get("direction") == "received"][:1]
    if analysis.signals.get("established") or established_line or answered:
        if answered:
            f = min(answered, key=lambda x: x.line)
            ev("log.ike_activity", "yes", t("{line} (an answer from the peer)", line=_line_text(f)), f.line)
        elif established_line:
            ev("log.ike_activity", "yes", t("Line {n}: AWS reports phase 1 Established.", n=established_line),
               established_line)
        else:
            ev("log.ike_activity", "yes", t("The log shows an SA established with the peer."),
               origin=t("an 'established' line"))
    elif analysis.findings and analysis.findings[0].category in _UNANSWERED:
        # Only a finding that is itself an unanswered request says so; a BGP notification, a version or mode
        # refusal and the like may well have come back from the peer, so they answer nothing here.
        f = analysis.findings[0]
        ev("log.ike_activity", "one-way",
           t("{line} - only requests, retransmits or timeouts: one side sends, nothing comes back.", line=_line_text(f)),
           f.line)
    for key in ("ike_phase1_state", "ike_phase2_state"):
        if key in analysis.last_states:
            name = "tunnel.phase1_state" if key == "ike_phase1_state" else "tunnel.phase2_state"
            value = analysis.last_states[key]
            last = next((r.line_no for r in reversed(records) if key in r.fields), None)
            ev(name, value, t("Last AWS tunnel log line: {field} = {value}.", field=key, value=value), last,
               origin=t("{field} of the last AWS line", field=key))
    _reestablished(records, ev)
    bgp_cause = _bgp_cause(analysis)
    if bgp_cause is not None:
        cause, f = bgp_cause
        out["log.bgp_cause"] = Evidence("log.bgp_cause", cause, _line_text(f), f.line, "log",
                                        origin=t("line {n}", n=f.line), **scope)
    return out


def _bgp_cause(analysis: Analysis) -> tuple[str, Finding] | None:
    """The answer to "Why BGP is down" and the line that gives it. The reason that names the cause is the
    analyzer's: the primary's when the primary is BGP, else the first by the analyzer's order of reasons
    (lab.analyzer.bgp.PRIORITY). A session that stops after this side refused an UPDATE is the UPDATE error, not the
    stop that follows it."""
    found: list[tuple[str, Finding]] = []
    for f in analysis.findings:
        if f.category != "bgp_down":
            continue
        reason = str((f.facts or {}).get("bgp_reason", ""))
        if not reason and f.pattern == "aws-bgp-session-down" and _AWS_BGP_STUCK.search(f.text):
            reason = "connect_failed"  # AWS's log: stuck in Connect/Active
        if reason:
            found.append((reason, f))
    if not found:
        return None
    primary = analysis.primary
    if primary is not None and primary.category == "bgp_down" and primary.facts.get("bgp_reason"):
        chosen = next(((r, f) for r, f in found if r == primary.facts["bgp_reason"]), None)
    else:
        order = {r: i for i, r in enumerate(BGP_PRIORITY)}
        chosen = min(found, key=lambda rf: (order.get(rf[0], len(order)), rf[1].line))
    if chosen is None or chosen[0] not in _BGP_CAUSES:
        return None
    return _BGP_CAUSES[chosen[0]], chosen[1]


def _is_delete(record: LogRecord) -> bool:
    return bool(_DELETE_IKE.search(record.text) or _DELETE_IKE.search(record.fields.get("details", "")))


def _reestablished(records: Sequence[LogRecord], ev: Callable[..., None]) -> None:
    """`tunnel.reestablished_after_delete`: was an SA set up again after the last Delete IKE_SA, and by whom.

    Read from the lines after the last Delete: the first SA established (strongSwan's "IKE_SA ...
    established between", an AWS line with phase 1 Established, or the AWS BGP log reaching Established),
    and who initiated it (the customer gateway's "initiating IKE_SA ... to" or "<AWS> is initiating an
    IKE_SA"). "no" only says that no line after the Delete shows it.
    """
    last = next((i for i in range(len(records) - 1, -1, -1) if _is_delete(records[i])), None)
    if last is None:
        return
    who = ""
    for r in records[last + 1:]:
        if _CHARON_CGW_INITIATES.search(r.text):
            who = "cgw"
        elif _CHARON_PEER_INITIATES.search(r.text):
            who = "aws"
        pluto = _PLUTO_ESTABLISHED.search(r.text)
        if pluto and (pluto.group("role") or pluto.group("state")):
            who = "cgw" if pluto.group("role") == "initiator" or pluto.group("state") == "I" else "aws"
        if (_CHARON_ESTABLISHED.search(r.text) or _BGP_ESTABLISHED.search(r.text) or pluto
                or r.fields.get("ike_phase1_state") == "Established"):
            by = {"cgw": t("initiated by the customer gateway"), "aws": t("initiated by AWS")}.get(
                who, t("the lines do not say which side initiated"))
            ev("tunnel.reestablished_after_delete", who or "yes",
               t("Line {n}: the SA was set up again after the Delete IKE_SA of line {d} ({by}): {text}",
                 n=r.line_no, d=records[last].line_no, by=by, text=r.text.strip()), r.line_no)
            return
    ev("tunnel.reestablished_after_delete", "no",
       t("Line {d}: Delete IKE_SA; no line after it shows an SA set up again.", d=records[last].line_no),
       records[last].line_no)


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
