"""The monitor's three views over one Snapshot: inventory, one connection, audit.

Source-agnostic: a live region, a replay and a simulation render through the same functions.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lab.errors import LabError
from lab.facts import audit
from lab.figures.monitor import (
    connection_figure,
    data_note,
    event_text,
    has_metrics,
    period_of,
    period_text,
    state_meaning,
)
from lab.i18n import N_, render, using
from lab.i18n.audit import localize_finding
from lab.masking import mask_secrets
from lab.model import Event, Snapshot, Tunnel, VpnConnection
from lab.ui.echo import literal, plain
from lab.ui.frozen_figure import freeze
from lab.ui.lang import _, _n, current, d
from lab.ui.registry import PAGES

LAB_DIR = Path(__file__).resolve().parents[1]
SEVERITY_LABEL = {"high": N_("High"), "medium": N_("Medium"), "low": N_("Low")}
SEVERITY_ICON = {"high": ":material/error:", "medium": ":material/warning:", "low": ":material/info:"}


def _when(ts: datetime | None) -> str:
    return f"{ts:%Y-%m-%d %H:%M:%S} UTC" if ts else "-"


def connection_label(c: VpnConnection) -> str:
    return f"{c.id} ({c.name})" if c.name else c.id


def inventory_rows(snapshot: Snapshot) -> pd.DataFrame:
    rows = []
    for c in snapshot.connections:
        rows.append(
            {
                # What on-call reads first comes first: a narrow window cuts the last columns, not these.
                _("Connection"): c.id,
                _("Name"): c.name,
                _("Tunnels up"): f"{c.tunnels_up}/{len(c.tunnels)}",
                _("State"): c.state,
                _("Routing"): "BGP" if c.routing == "bgp" else _("static"),
                # The id says the kind (vgw-, tgw-); without the "VGW " prefix the table fits a laptop.
                _("Gateway"): c.gateway_id or c.gateway_type.upper(),
                _("Customer gateway"): f"{c.customer_gateway_id} {c.customer_gateway_ip}".strip(),
                _("Category"): c.category,
            }
        )
    return pd.DataFrame(rows)


def inventory_card(row: dict[str, object]) -> str:
    """One inventory row as a card's Markdown: the connection and its name as the heading, then every other
    column as "label: value" on its own line (values are AWS data: shown as plain text)."""
    (_c, connection), (_n_, name), *rest = row.items()
    head = f"**{plain(connection)}**" + (f" · {plain(name)}" if name else "")
    return "  \n".join([head, *(f"{plain(label)}: **{plain(value)}**" for label, value in rest if value != "")])


def render_inventory(snapshot: Snapshot) -> None:
    st.subheader(_("Inventory"))
    if not snapshot.connections:
        st.info(_("No Site-to-Site VPN connections in this region for this account. Try another region."))
        return
    text = st.text_input(
        _("Filter connections"),
        key="monitor_filter",
        placeholder=_("id, name, state, gateway, routing…"),
        help=_("Shows the rows that contain this text in any column (case-insensitive)."),
    )
    table = inventory_rows(snapshot)
    if text.strip():
        needle = text.strip().lower()
        mask = table.apply(lambda row: any(needle in str(v).lower() for v in row.values), axis=1)
        table = table[mask]
    if table.empty:
        st.warning(_("No connection matches {text}. Clear the filter to see all {count}.", text=literal(text),
                     count=len(snapshot.connections)))
        return
    # A phone shows each connection as a card (every column readable without sideways scrolling); a wider
    # screen the table. Both are on the page; the style rules show the one that fits (lab/ui/style.py).
    with st.container(key="monitor_inventory_table"):
        st.dataframe(table, hide_index=True, width="stretch")
    with st.container(key="monitor_inventory_cards"):
        for row in table.to_dict("records"):
            with st.container(border=True):
                st.markdown(inventory_card(row))
    st.caption(
        _("{shown} of {total} connection(s). Tunnels up counts tunnels whose VgwTelemetry status is UP.",
          shown=len(table), total=len(snapshot.connections))
    )


def telemetry_rows(c: VpnConnection) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                _("Tunnel"): _("Tunnel {number}", number=i),
                _("Outside IP"): t.outside_ip,
                _("Status"): t.status,
                _("Status message"): t.status_message or "-",
                _("Last status change"): _when(t.last_status_change),
                _("Accepted routes"): t.accepted_route_count,
            }
            for i, t in enumerate(c.tunnels, start=1)
        ]
    )


def _algos(values: tuple[object, ...]) -> str:
    return ", ".join(str(v) for v in values)


OPTION_ROWS: tuple[tuple[str, Callable[[Tunnel], str]], ...] = (
    (N_("DPD timeout"), lambda t: f"{t.options.dpd_timeout_s} s"),
    (N_("DPD timeout action"), lambda t: t.options.dpd_timeout_action),
    (N_("Startup action"), lambda t: t.options.startup_action),
    (N_("IKE versions"), lambda t: _algos(t.options.ike_versions)),
    (N_("Phase 1 lifetime"), lambda t: f"{t.options.phase1_lifetime_s} s"),
    (N_("Phase 2 lifetime"), lambda t: f"{t.options.phase2_lifetime_s} s"),
    (N_("Rekey margin / fuzz"), lambda t: f"{t.options.rekey_margin_s} s / {t.options.rekey_fuzz_pct} %"),
    (N_("Replay window"), lambda t: _("{n} packets", n=t.options.replay_window_size)),
    (N_("Phase 1 encryption"), lambda t: _algos(t.options.phase1_encryption)),
    (N_("Phase 1 integrity"), lambda t: _algos(t.options.phase1_integrity)),
    (N_("Phase 1 DH groups"), lambda t: _algos(t.options.phase1_dh_groups)),
    (N_("Phase 2 encryption"), lambda t: _algos(t.options.phase2_encryption)),
    (N_("Phase 2 integrity"), lambda t: _algos(t.options.phase2_integrity)),
    (N_("Phase 2 DH groups"), lambda t: _algos(t.options.phase2_dh_groups)),
    (N_("Inside CIDR"), lambda t: t.options.inside_cidr or "-"),
    (N_("Tunnel logging"), lambda t: _("on") if t.options.log_enabled else _("off")),
    (N_("Lifecycle control"), lambda t: _("on") if t.options.lifecycle_control else _("off")),
)


# The connection's options that apply to both tunnels: the one traffic selector pair AWS negotiates.
CONNECTION_ROWS: tuple[tuple[str, Callable[[VpnConnection], str]], ...] = (
    (N_("Local IPv4 network CIDR (customer gateway side)"), lambda c: c.local_ipv4_cidr or "-"),
    (N_("Remote IPv4 network CIDR (AWS side)"), lambda c: c.remote_ipv4_cidr or "-"),
)


def options_rows(c: VpnConnection) -> pd.DataFrame:
    data = {_("Option"): [_(name) for name, _get in (*OPTION_ROWS, *CONNECTION_ROWS)]}
    for i, t in enumerate(c.tunnels, start=1):
        data[_("Tunnel {number}", number=i)] = ([get(t) for _name, get in OPTION_ROWS]
                                                + [get(c) for _name, get in CONNECTION_ROWS])
    return pd.DataFrame(data)


def maintenance_lines(c: VpnConnection) -> list[str]:
    lines = []
    for i, t in enumerate(c.tunnels, start=1):
        m = t.maintenance
        if m is None:
            why = _("lifecycle control is off") if not t.options.lifecycle_control else _("not read")
            lines.append(_("Tunnel {number}: no maintenance details ({why}).", number=i, why=why))
            continue
        lines.append(
            _("Tunnel {number}: pending maintenance: {pending}; auto-applied after: {after}; last maintenance "
              "applied: {last}.", number=i, pending=m.pending or _("none"), after=_when(m.auto_applied_after),
              last=_when(m.last_applied))
        )
    return lines


# Keyed by the snapshot object itself (id), not its contents: hashing a week of series on every rerun
# would cost what the cache saves. Safe because each entry keeps its snapshot alive, so no other
# object can get the same id while the entry exists. Replays and simulations reuse one snapshot
# object across reruns; a live refresh brings a new one (and a new figure). The language is part of
# the key, so a figure is never shown in the language of another session.
@st.cache_resource(max_entries=16, show_spinner=False, hash_funcs={Snapshot: id})
def _figure(snapshot: Snapshot, vpn_id: str, lang: str) -> tuple[Snapshot, go.Figure]:
    return snapshot, freeze(connection_figure(snapshot, vpn_id, lang))


def chart_figure(snapshot: Snapshot, vpn_id: str) -> go.Figure:
    held, fig = _figure(snapshot, vpn_id, current())
    return fig if held is snapshot else connection_figure(snapshot, vpn_id, current())


def render_in(func: Callable[..., str], *args: object) -> str:
    """A text the chart module writes, in the page language."""
    with using(current()):
        return func(*args)


def render_chart(snapshot: Snapshot, c: VpnConnection) -> None:
    """The per-tunnel chart (TunnelState, data, events) with its reading notes."""
    if not has_metrics(snapshot, c.id):
        st.info(
            _("CloudWatch returned no AWS/VPN data points for this connection in this window. "
              "Try a longer time range: AWS sends VPN metrics to CloudWatch as they become available, so a new "
              "connection may have none yet (AWS Classic VPN connections publish none).")
        )
    st.plotly_chart(chart_figure(snapshot, c.id), width="stretch", key=f"monitor_chart_{c.id}")
    period = period_of(snapshot, c.id)
    per = " " + _("One point per {period} (CloudWatch period).", period=render_in(period_text, period)) if period else ""
    st.caption(
        _("How to read it: {meaning} Between 0 and 1: the tunnel was up for that share of the period. Times in UTC.",
          meaning=render_in(state_meaning, c)) + per
    )
    st.caption(render_in(data_note))


def render_events(snapshot: Snapshot, c: VpnConnection) -> None:
    events = [e for e in snapshot.events if e.vpn_id in {c.id, ""}]
    if not events:
        st.caption(_("No events for this connection in this window."))
        return
    names = {t.outside_ip: _("Tunnel {number}", number=i) for i, t in enumerate(c.tunnels, start=1)}
    st.dataframe(
        pd.DataFrame(
            [
                {
                    _("Time (UTC)"): f"{e.time:%Y-%m-%d %H:%M:%S}",
                    _("Kind"): e.kind,
                    _("Where"): names.get(e.tunnel_ip, e.tunnel_ip or (_("region") if not e.vpn_id else _("connection"))),
                    _("Detail"): render_in(event_text, e.detail),
                }
                for e in events
            ]
        ),
        hide_index=True,
        width="stretch",
    )


def region_health_rows(events: tuple[Event, ...]) -> pd.DataFrame:
    return pd.DataFrame([{_("Time (UTC)"): f"{e.time:%Y-%m-%d %H:%M:%S}", _("Event"): render_in(event_text, e.detail)}
                         for e in events])


def render_region_health(events: tuple[Event, ...]) -> None:
    """AWS Health VPN events that affect none of the region's connections, listed once (on no timeline)."""
    if not events:
        return
    st.markdown("**" + _("Region-wide AWS Health events") + "**")
    st.caption(
        _("VPN events AWS Health reports for this region that name none of the region's connections "
          "(a notice for everyone, or a connection that no longer exists). They are on no connection's timeline.")
    )
    st.dataframe(region_health_rows(events), hide_index=True, width="stretch", key="monitor_region_health")


def analyzer_available() -> bool:
    return importlib.util.find_spec("lab.analyzer") is not None


def analyze(log_text: str) -> tuple[object | None, str]:
    """(the log analyzer's Analysis or None, a problem to show) for the connection's log lines."""
    return _analyze(log_text, current())


@st.cache_resource(max_entries=16, show_spinner=False)  # frozen results, shared read-only
def _analyze(log_text: str, lang: str) -> tuple[object | None, str]:
    if not log_text.strip() or not analyzer_available():
        return None, ""
    from lab.analyzer import analyze_text

    try:
        return analyze_text(log_text), ""
    except LabError as err:
        return None, _("The log analyzer could not read these lines: {error}", error=render(err, lang))


def render_logs(c: VpnConnection, log_text: str, analysis: object | None, problem: str) -> None:
    """The latest log lines of the connection and, when the analyzer exists, its reading of them."""
    if not log_text.strip():
        if any(t.options.log_enabled for t in c.tunnels):
            st.caption(_("Tunnel logging is on, but the log has no lines for this connection in this window."))
        else:
            st.caption(_("Tunnel logging is off on both tunnels, so there are no tunnel log lines to read."))
        return
    if problem:
        st.warning(problem)
    elif analysis is not None:
        primary = getattr(analysis, "primary", None)
        refused = getattr(analysis, "refused_unnamed", False)
        stopped = getattr(analysis, "daemon_stopped", False)
        if primary:
            st.markdown(_("**Log analyzer:** {summary}", summary=plain(primary.summary_in(current()))))
            st.caption(
                _("Category {category} · troubleshooter node {node}", category=f"`{primary.category}`",
                  node=f"`{primary.tree_node}`") + " · "
                + _n("{n} finding", "{n} findings", len(getattr(analysis, "findings", ())))
            )
        elif refused or stopped or getattr(analysis, "recovered", False):
            # a refusal that names no setting, a failure that recovered (a BGP reset) or one the protocol resolved, an
            # IKE daemon stopped with nothing failed before: the notes say which
            if refused:
                st.markdown(_("**Log analyzer:** the peer refused a request without naming a setting."))
            elif stopped:
                st.markdown(_("**Log analyzer:** no failure before the IKE daemon was stopped."))
            else:
                st.markdown(_("**Log analyzer:** no failure that needs fixing in these lines."))
            for note in getattr(analysis, "notes", ()):
                st.caption(_("Note: {note}", note=plain(mask_secrets(render(note, current())), limit=2_000)))
        else:
            st.caption(_("The log analyzer found no known failure pattern in these lines."))
    lines = log_text.splitlines()
    st.code(mask_secrets("\n".join(lines[-200:])), language=None)
    if len(lines) > 200:
        st.caption(_("Showing the last 200 of {total} lines.", total=len(lines)))


def troubleshooter_spec() -> object | None:
    return next((p for p in PAGES if p.url_path == "troubleshooter"), None)


def render_handoff(snapshot: Snapshot, log_text: str, key: str) -> None:
    """Hand this snapshot and its logs to the troubleshooter page, when the app has one."""
    spec = troubleshooter_spec()
    if spec is None:
        return
    if st.button(_("Open in the troubleshooter"), key=key, icon=":material/account_tree:"):
        st.session_state["shared_log_text"] = log_text
        st.session_state["shared_snapshot"] = snapshot
        st.switch_page(str(LAB_DIR / spec.script))  # type: ignore[attr-defined]


def render_audit(snapshot: Snapshot, now: datetime) -> None:
    st.subheader(_("Audit"))
    if not snapshot.connections:
        st.info(_("No connections to audit."))
        return
    findings = audit.audit_all(snapshot.connections, now, snapshot.series)
    if not findings:
        st.success(_("No findings: both tunnels up and the options follow the recommendations."))
        return
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("high", "medium", "low")}
    st.markdown(
        " · ".join(f"**{n} {_(SEVERITY_LABEL[s]).lower()}**" for s, n in counts.items() if n)
        + " " + _("across {count} connection(s)", count=len(snapshot.connections))
    )
    for f in findings:
        tunnel = f" · {f.tunnel_ip}" if f.tunnel_ip else ""
        title = d("audit.title", f.title)
        with st.expander(f"{_(SEVERITY_LABEL[f.severity])}: {title} — {f.vpn_id}{tunnel}", icon=SEVERITY_ICON[f.severity]):
            message = localize_finding(f.rule, f.message, current())
            st.markdown(f"**{plain(message)}**")  # AWS values (its status message) are shown as text
            st.markdown(_("**Why it matters.** {text}", text=d("audit.explanation", f.explanation)))
            st.markdown(_("**Fix.** {text}", text=d("audit.fix", f.fix)))
            st.markdown(f"[{_('AWS documentation')}]({f.doc})")
