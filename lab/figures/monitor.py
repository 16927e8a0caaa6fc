"""Plotly figures of the monitor, built from a Snapshot (any source): per-tunnel TunnelState read
correctly for static vs BGP routing, per-tunnel TunnelDataIn/Out with the warning that data is not
liveness, and the connection's events on the same time axis.

Pure: returns `plotly.graph_objects.Figure` objects; the page only displays them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from lab import facts
from lab.i18n import D, M, Msg, data_text, render, using
from lab.model import (
    METRIC_DATA_IN,
    METRIC_DATA_OUT,
    METRIC_TUNNEL_STATE,
    Event,
    Snapshot,
    TunnelSeries,
    VpnConnection,
)

TUNNEL_COLOURS = ("#1f5fa8", "#d9822b", "#2e8540", "#8e44ad")
# Event kinds grouped into the timeline's rows (a row per meaning, not per kind).
EVENT_ROWS: dict[str, str] = {
    "tunnel-down": "Tunnel state",
    "tunnel-up": "Tunnel state",
    "dpd-timeout": "IKE / DPD",
    "ike-sa-deleted": "IKE / DPD",
    "ike-negotiation": "IKE / DPD",
    "ipsec-negotiation": "IKE / DPD",
    "auth-failure": "IKE / DPD",
    "proposal-mismatch": "IKE / DPD",
    "bgp-up": "BGP / routes",
    "bgp-down": "BGP / routes",
    "route-withdrawn": "BGP / routes",
    "route-advertised": "BGP / routes",
    "traffic-shift": "BGP / routes",
    "endpoint-replacement": "AWS maintenance / Health",
    "maintenance-pending": "AWS maintenance / Health",
    "health-notice": "AWS maintenance / Health",
    "failure-injected": "Changes",
    "failure-cleared": "Changes",
    "manual-action": "Changes",
}
# The rows' labels in the reader's language (the keys above stay English: they are ids).
ROW_LABELS: dict[str, Msg] = {
    "Tunnel state": M("Tunnel state"),
    "IKE / DPD": M("IKE / DPD"),
    "BGP / routes": M("BGP / routes"),
    "AWS maintenance / Health": M("AWS maintenance / Health"),
    "Changes": M("Changes"),
}
ROW_ORDER = ("Changes", "AWS maintenance / Health", "BGP / routes", "IKE / DPD", "Tunnel state")
_BAD = {"tunnel-down", "dpd-timeout", "ike-sa-deleted", "auth-failure", "proposal-mismatch", "bgp-down", "route-withdrawn", "failure-injected"}
_GOOD = {"tunnel-up", "bgp-up", "route-advertised", "failure-cleared"}


# Log-analyzer categories as timeline event kinds (the live view puts tunnel-log findings on the chart).
FINDING_KINDS = {
    "dpd_timeout": "dpd-timeout",
    "ike_sa_deleted_by_peer": "ike-sa-deleted",
    "phase1_proposal_mismatch": "proposal-mismatch",
    "phase2_proposal_mismatch": "proposal-mismatch",
    "auth_failure": "auth-failure",
    "traffic_selector_mismatch": "ipsec-negotiation",
    "peer_unreachable": "ike-negotiation",
    "bgp_down": "bgp-down",
    "rekey_issue": "ipsec-negotiation",
    "kernel_sa_install": "ipsec-negotiation",
}
MAX_LOG_EVENTS = 50


def log_finding_events(findings: Iterable[Any], vpn_id: str) -> list[Event]:
    """Timed, decisive log-analyzer findings as Events of `vpn_id` (at most MAX_LOG_EVENTS, the latest)."""
    events = [
        Event(f.time, FINDING_KINDS.get(f.category, "ike-negotiation"), M("Tunnel log line {line}: {text}", line=f.line, text=f.text[:160]), vpn_id)
        for f in findings
        if getattr(f, "time", None) is not None and getattr(f, "decisive", True)
    ]
    return sorted(events, key=lambda e: e.time)[-MAX_LOG_EVENTS:]


def tunnel_names(connection: VpnConnection) -> dict[str, str]:
    """Outside IP → 'Tunnel 1 (ip)' in AWS's order."""
    return {t.outside_ip: _r(M("Tunnel {number} ({ip})", number=i, ip=t.outside_ip))
            for i, t in enumerate(connection.tunnels, start=1)}


def state_meaning(connection: VpnConnection) -> str:
    """What TunnelState = 1 means for this connection's routing (static: tunnel UP; BGP: established)."""
    key = "tunnelstate_bgp" if connection.routing == "bgp" else "tunnelstate_static"
    return _r(M("TunnelState is {meaning}.", meaning=D("fact.text", facts.fact(key).text)))


def data_note() -> str:
    """The warning printed under every data chart."""
    return _r(M("Not a liveness signal: {text}.", text=D("fact.text", facts.fact("data_metrics_not_liveness").text)))


def events_for(snapshot: Snapshot, connection: VpnConnection) -> list[Event]:
    """The connection's events plus region-wide ones (AWS Health events name no connection)."""
    return [e for e in snapshot.events if e.vpn_id in {connection.id, ""}]


def _series(snapshot: Snapshot, vpn_id: str, metric: str) -> list[TunnelSeries]:
    return snapshot.series_for(vpn_id, metric)


def _event_text(e: Event, names: dict[str, str]) -> str:
    where = names.get(e.tunnel_ip, e.tunnel_ip or _r(M("connection")))
    return f"{e.time:%Y-%m-%d %H:%M:%S} UTC<br>{e.kind} · {where}<br>{event_text(e.detail)}"


def _add_state(fig: go.Figure, snapshot: Snapshot, c: VpnConnection, names: dict[str, str], first_row: int) -> None:
    """One row per tunnel: two tunnels at 1 on one axis would hide each other."""
    series = {s.tunnel_ip: s for s in _series(snapshot, c.id, METRIC_TUNNEL_STATE)}
    label = _r(M("1 = BGP up")) if c.routing == "bgp" else _r(M("1 = UP"))
    for i, t in enumerate(c.tunnels):
        row = first_row + i
        s = series.get(t.outside_ip)
        if s is not None:
            fig.add_trace(
                go.Scatter(
                    x=list(s.timestamps),
                    y=list(s.values),
                    name=_r(M("{tunnel} TunnelState", tunnel=names[t.outside_ip])),
                    legendgroup=t.outside_ip,
                    mode="lines",
                    fill="tozeroy",
                    line={"shape": "hv", "width": 2, "color": TUNNEL_COLOURS[i % len(TUNNEL_COLOURS)]},
                    hovertemplate="%{x|%Y-%m-%d %H:%M} UTC: %{y:.2f}<extra>%{fullData.name}</extra>",
                ),
                row=row,
                col=1,
            )
        fig.update_yaxes(
            range=[-0.1, 1.15], tickvals=[0, 1], title_text=_r(M("Tunnel {number}<br>({meaning})", number=i + 1, meaning=label)), row=row, col=1
        )


def _add_data(fig: go.Figure, snapshot: Snapshot, c: VpnConnection, names: dict[str, str], row: int) -> None:
    ins = {s.tunnel_ip: s for s in _series(snapshot, c.id, METRIC_DATA_IN)}
    outs = {s.tunnel_ip: s for s in _series(snapshot, c.id, METRIC_DATA_OUT)}
    for i, t in enumerate(c.tunnels):
        colour = TUNNEL_COLOURS[i % len(TUNNEL_COLOURS)]
        for series, direction, dash in ((ins.get(t.outside_ip), "in", "solid"), (outs.get(t.outside_ip), "out", "dot")):
            if series is None:
                continue
            fig.add_trace(
                go.Scatter(
                    x=list(series.timestamps),
                    y=list(series.values),
                    name=_r(M("{tunnel} DataIn", tunnel=names[t.outside_ip]) if direction == "in"
                            else M("{tunnel} DataOut", tunnel=names[t.outside_ip])),
                    legendgroup=t.outside_ip,
                    mode="lines",
                    line={"width": 1.5, "color": colour, "dash": dash},
                    hovertemplate="%{x|%Y-%m-%d %H:%M} UTC: %{y:,.0f} bytes<extra>%{fullData.name}</extra>",
                ),
                row=row,
                col=1,
            )
    fig.update_yaxes(title_text=_r(M("Bytes per period<br>(in solid, out dotted)")), rangemode="tozero", row=row, col=1)


NO_EVENTS = M("(no events in this window)")


def _add_events(
    fig: go.Figure, events: list[Event], names: dict[str, str], row: int, window: list[datetime] | None
) -> None:
    if not events:
        # An empty row would also lose its time axis; a transparent line keeps both and says why.
        if window:
            fig.add_trace(
                go.Scatter(
                    x=window, y=[_r(NO_EVENTS), _r(NO_EVENTS)], mode="lines", line={"color": "rgba(0,0,0,0)"},
                    showlegend=False, hoverinfo="skip",
                ),
                row=row,
                col=1,
            )
        return
    rows_used = [r for r in ROW_ORDER if any(EVENT_ROWS.get(e.kind, "Changes") == r for e in events)]
    for group, colour, symbol in (
        (_BAD, "#c0392b", "x"),
        (_GOOD, "#2e8540", "circle"),
        (None, "#5d6d7e", "diamond"),
    ):
        chosen = [e for e in events if (e.kind in group if group is not None else e.kind not in _BAD | _GOOD)]
        if not chosen:
            continue
        fig.add_trace(
            go.Scatter(
                x=[e.time for e in chosen],
                y=[_r(ROW_LABELS[EVENT_ROWS.get(e.kind, "Changes")]) for e in chosen],
                mode="markers",
                name=_r({"#c0392b": M("Events: failures"), "#2e8540": M("Events: recoveries"),
                         "#5d6d7e": M("Events: other")}[colour]),
                marker={"size": 11, "color": colour, "symbol": symbol, "line": {"width": 1, "color": "white"}},
                text=[_event_text(e, names) for e in chosen],
                hovertemplate="%{text}<extra></extra>",
            ),
            row=row,
            col=1,
        )
    fig.update_yaxes(categoryorder="array", categoryarray=[_r(ROW_LABELS[r]) for r in ROW_ORDER], type="category",
                     row=row, col=1)
    if rows_used:
        fig.update_yaxes(categoryarray=[_r(ROW_LABELS[r]) for r in rows_used], row=row, col=1)


def connection_figure(snapshot: Snapshot, vpn_id: str, lang: str | None = None) -> go.Figure:
    """TunnelState per tunnel, TunnelDataIn/Out per tunnel and the events, on one shared time axis; the labels
    in `lang` (default: the current language)."""
    with using(lang):
        return _connection_figure(snapshot, vpn_id)


def _connection_figure(snapshot: Snapshot, vpn_id: str) -> go.Figure:
    c = snapshot.connection(vpn_id)
    if c is None:
        from lab.errors import NotFoundError

        raise NotFoundError("VPN connection", vpn_id, [x.id for x in snapshot.connections])
    names = tunnel_names(c)
    events = events_for(snapshot, c)
    n = max(len(c.tunnels), 1)
    # Short, left-aligned panel titles that fit a phone: each tunnel's axis says what 1 means, and the
    # caption under the chart spells it out (state_meaning).
    state_title = _r(M("TunnelState per tunnel"))
    fig = make_subplots(
        rows=n + 2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.065,  # room for the data panel's two-line title
        row_heights=[0.3 / n] * n + [0.42, 0.28],
        subplot_titles=(
            state_title,
            *([""] * (n - 1)),
            _r(M("TunnelDataIn / TunnelDataOut per tunnel<br>data is not liveness")),
            _r(M("Events")),
        ),
    )
    x_range: list[datetime] | None = [snapshot.start, snapshot.end] if snapshot.start and snapshot.end else None
    _add_state(fig, snapshot, c, names, 1)
    _add_data(fig, snapshot, c, names, n + 1)
    _add_events(fig, events, names, n + 2, x_range)
    # Failures as faint vertical lines across all rows so cause and effect line up.
    for e in events:
        if e.kind in {"tunnel-down", "endpoint-replacement", "failure-injected", "ike-sa-deleted"}:
            fig.add_vline(x=e.time, line_width=1, line_dash="dot", line_color="#c0392b", opacity=0.45)
    fig.update_xaxes(range=x_range, showgrid=True)
    fig.update_layout(
        height=840,
        margin={"l": 80, "r": 20, "t": 40, "b": 110},
        legend={"orientation": "h", "yanchor": "top", "y": -0.1, "x": 0},
        hovermode="closest",
        template="plotly_white",
    )
    for annotation in fig.layout.annotations:
        if annotation.text and annotation.xref == "paper":  # the panel titles (not the failure lines' notes)
            annotation.update(font={"size": 13}, x=0, xanchor="left", align="left")
    return fig


def _r(message: str) -> str:
    return render(message)


def event_text(detail: str) -> str:
    """An event's detail in the current language: a message the simulator wrote, or a replay's recorded text."""
    return render(detail) if isinstance(detail, Msg) else data_text("replay.event", detail)


def period_of(snapshot: Snapshot, vpn_id: str) -> int:
    """The series' period in seconds (0 when the snapshot has none)."""
    return next((s.period_s for s in snapshot.series if s.vpn_id == vpn_id), 0)


def period_text(seconds: int) -> str:
    """60 → '1 min', 3600 → '1 h' (in the current language)."""
    if seconds % 86400 == 0:
        return _r(M("{n} d", n=seconds // 86400))
    if seconds % 3600 == 0:
        return _r(M("{n} h", n=seconds // 3600))
    if seconds % 60 == 0:
        return _r(M("{n} min", n=seconds // 60))
    return _r(M("{n} s", n=seconds))


def has_metrics(snapshot: Snapshot, vpn_id: str) -> bool:
    """True when the snapshot holds at least one data point for the connection."""
    return any(s.values for s in snapshot.series if s.vpn_id == vpn_id)
