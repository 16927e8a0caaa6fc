"""The monitor's sources (Live AWS, replays, the scenario simulator when present) and their caching.

Streamlit caching lives here, not in lab.aws: clients are cached by lab.aws per (profile, region);
data is cached for `TTL_S` keyed by profile, region, account, connection and time window. Nothing
in session state or in a cache key is a credential: only profile names and regions.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from lab import aws, i18n, replay
from lab.errors import LabError
from lab.i18n import N_
from lab.model import Snapshot, VpnConnection
from lab.ui.lang import _, current

TTL_S = 60
DEFAULT_CHAIN = N_("(default credential chain)")
LIVE = "aws"


def _simulator() -> Any | None:
    """lab.sim when it exists and offers simulate() and list_scenarios()."""
    if importlib.util.find_spec("lab.sim") is None:
        return None
    module = importlib.import_module("lab.sim")
    if hasattr(module, "simulate") and hasattr(module, "list_scenarios"):
        return module
    return None


def _scenario_id_title(item: Any) -> tuple[str, str]:
    if isinstance(item, str):
        return item, item
    ident = str(getattr(item, "id", item))
    return ident, str(getattr(item, "title", ident))


def source_options() -> tuple[dict[str, str], list[str]]:
    """(option id → label, problems): "aws", "replay:<slug>", "sim:<scenario>".

    An invalid incident or scenario file is left out and reported; the other sources stay usable.
    """
    options = {LIVE: _("Live AWS")}
    problems: list[str] = []
    for slug in replay.slugs():
        try:
            inc = replay.incident(slug)
        except LabError as err:
            problems.append(_("Replay '{slug}' cannot be loaded: {error}", slug=slug, error=err))
            continue
        options[f"replay:{inc.slug}"] = _("Replay: {title}", title=i18n.data_text("replay.title", inc.title, current()))
    sim = _simulator()
    if sim is not None:
        try:
            scenarios = list(sim.list_scenarios())
        except LabError as err:
            problems.append(_("The scenario simulator's scenarios cannot be loaded: {error}", error=err))
            scenarios = []
        for item in scenarios:
            ident, title = _scenario_id_title(item)
            # Healthy until the page's failure script breaks something.
            options[f"sim:{ident}"] = _("Simulation: {title}", title=i18n.data_text("scenario.title", title, current()))
    return options, problems


# A resource, not data: the same (frozen) snapshot object on every rerun, so the views' figure cache
# (keyed by the snapshot object) hits and nothing is unpickled.
@st.cache_resource(max_entries=16, show_spinner=False)
def simulation_snapshot(scenario_id: str, failures: tuple[tuple[str, str, int, int | None], ...] = (),
                        duration_s: int = 600) -> Snapshot:
    """The simulated design under a failure script ((kind, target, at, duration) each), for `duration_s`.

    The simulator checks the script (every problem at once) and raises InputError, which the page shows.
    """
    sim = _simulator()
    if sim is None:
        raise LabError(_("The scenario simulator is not available in this installation."))
    script = [sim.Failure(kind, target, at, dur) for kind, target, at, dur in failures]
    return sim.simulate(scenario_id, script, duration_s=duration_s).snapshot


@dataclass(frozen=True)
class Inventory:
    """What the inventory fetch returned, and when."""

    arn: str
    connections: tuple[VpnConnection, ...]
    calls: tuple[tuple[str, int], ...]
    fetched_at: datetime


def inventory(profile: str | None, region: str) -> Inventory:
    """Caller identity and every VPN connection of the region (cached for TTL_S)."""
    with st.spinner(_("Reading the region's VPN connections…")):
        return _inventory(profile, region)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _inventory(profile: str | None, region: str) -> Inventory:
    """Caller identity and every VPN connection of the region (cached for TTL_S)."""
    session = aws.Aws(profile, region)
    arn = aws.identity(session)
    connections = aws.list_connections(session)
    return Inventory(arn, connections, tuple(sorted(session.calls.items())), datetime.now(UTC))


@dataclass(frozen=True)
class Details:
    result: aws.LiveResult
    fetched_at: datetime


def details(
    profile: str | None,
    region: str,
    account_arn: str,
    vpn_id: str,
    window: str,
    health: bool,
    connection: VpnConnection,
    region_connections: tuple[VpnConnection, ...] = (),
) -> Details:
    """The selected connection's live snapshot, read or taken from the cache (see _details)."""
    with st.spinner(_("Reading metrics, maintenance, Health and logs…")):
        return _details(profile, region, account_arn, vpn_id, window, health, connection, region_connections)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _details(
    profile: str | None,
    region: str,
    account_arn: str,
    vpn_id: str,
    window: str,
    health: bool,
    _connection: VpnConnection,
    _region: tuple[VpnConnection, ...] = (),
) -> Details:
    """The selected connection's live snapshot (cached per account, region, connection and window).

    `_region` (the region's connections) is what AWS Health events are matched against, so an
    event of another connection is not mistaken for a region-wide one.
    """
    del account_arn, vpn_id  # cache key only: a new identity or connection never reuses old data
    session = aws.Aws(profile, region)
    result = aws.fetch_details(
        session, (_connection,), window=window, health=health, label=f"Live AWS {region}", region_connections=_region
    )
    return Details(result, datetime.now(UTC))


def live_snapshot(inv: Inventory, det: Details | None, region: str) -> Snapshot:
    """One Snapshot of the region: every connection, with the selected one's live details."""
    if det is None:
        return Snapshot(source="aws", label=f"Live AWS {region}", connections=inv.connections)
    detailed = {c.id: c for c in det.result.snapshot.connections}
    connections = tuple(detailed.get(c.id, c) for c in inv.connections)
    return replace(det.result.snapshot, connections=connections)


def calls_line(inv: Inventory, det: Details | None, run_started: datetime) -> str:
    """The small line that says how many AWS calls this view made."""
    parts: dict[str, int] = {}
    fresh = 0
    for fetched, calls in ((inv.fetched_at, inv.calls), *(((det.fetched_at, det.result.calls),) if det else ())):
        for name, n in calls:
            parts[name] = parts.get(name, 0) + n
        if fetched >= run_started:
            fresh += sum(n for _, n in calls)
    total = sum(parts.values())
    detail = ", ".join(f"{name} {n}" for name, n in sorted(parts.items()))
    oldest = min([inv.fetched_at] + ([det.fetched_at] if det else []))
    reuse = (_("results fetched {time} UTC are reused for {ttl} s", time=f"{oldest:%H:%M:%S}", ttl=TTL_S)
             if fresh < total else "")
    line = _("AWS calls for this view: {total} ({detail}); {fresh} made in this refresh", total=total, detail=detail,
             fresh=fresh)
    return line + (f"; {reuse}." if reuse else ".")


def profiles() -> list[str]:
    return [DEFAULT_CHAIN, *aws.available_profiles()]


def regions() -> list[str]:
    return aws.available_regions()


def default_region(profile: str | None) -> str:
    return aws.default_region(profile)
