"""Monitor: a read-only per-tunnel view of Site-to-Site VPN connections from live AWS, a recorded
incident replay or the scenario simulator, with inventory, per-connection telemetry and charts, and
the audit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import streamlit as st

from lab import aws, replay
from lab.errors import LabError
from lab.figures.monitor import log_finding_events
from lab.i18n import N_
from lab.model import Snapshot
from lab.ui import monitor_sources as sources
from lab.ui import monitor_views as views
from lab.ui.echo import literal, plain
from lab.ui.lang import _, d
from lab.ui.serving import serving

REFRESH_CHOICES = {"30 s": 30, "1 min": 60, "5 min": 300}  # labels are units, the same in every language
# The names of lab.aws.WINDOWS, for the catalogue (shown translated in the time-range picker).
WINDOW_NAMES = (N_("1 hour"), N_("3 hours"), N_("12 hours"), N_("1 day"), N_("3 days"), N_("1 week"), N_("2 weeks"),
                N_("1 month"), N_("3 months"), N_("6 months"), N_("15 months"))

run_started = datetime.now(UTC)
st.title(_("Monitor"))
st.caption(
    _("Per-tunnel status of Site-to-Site VPN connections, read correctly: telemetry, tunnel options, "
      "CloudWatch TunnelState and data, maintenance, AWS Health and tunnel logs, and an audit. Read-only. "
      "Recorded incidents replay through the same views without an AWS account.")
)

options, source_problems = sources.source_options()
srv = serving()
if not srv.live_aws:
    options.pop(sources.LIVE, None)  # a shared server: live AWS only when the operator enabled it
for problem in source_problems:
    st.error(plain(problem))
first_replay = next((k for k in options if k.startswith("replay:")), sources.LIVE)
params = st.query_params
if "monitor_source" not in st.session_state:
    wanted = params.get("source", "")
    if params.get("replay"):
        wanted = f"replay:{params.get('replay')}"
    if wanted == sources.LIVE and not srv.live_aws:
        st.info(_("Live AWS is off on this shared server; its operator can enable it with "
                  "`vpn-lab run --team --live-aws`. Showing a replay instead."), icon=":material/cloud_off:")
    elif wanted and wanted not in options:
        st.warning(_("The link names an unknown source {source}; showing {instead} instead.", source=literal(wanted),
                     instead=options[first_replay]))
    st.session_state["monitor_source"] = wanted if wanted in options else first_replay
if st.session_state.get("monitor_fallback"):
    st.session_state["monitor_source"] = first_replay
    st.session_state["monitor_fallback"] = False

source = st.selectbox(
    _("Source"),
    list(options),
    format_func=lambda k: options[k],
    key="monitor_source",
    help=_("Live AWS reads your own account (read-only). Replays and simulations need no account."),
)
if source == sources.LIVE:
    st.query_params["source"] = "aws"
    st.query_params.pop("replay", None)
elif source.startswith("replay:"):
    st.query_params["replay"] = source.split(":", 1)[1]
    st.query_params.pop("source", None)
    st.query_params.pop("fail", None)  # a simulation's failure script belongs to that simulation
else:  # a simulation: its key is the link (e.g. ?source=sim:s4), and no stale replay stays in the URL
    st.query_params["source"] = source
    st.query_params.pop("replay", None)


def _offer_replays(err: LabError) -> None:
    st.error(plain(err), icon=":material/cloud_off:")
    if err.hint:
        st.info(err.hint)
    if st.button(_("Open a replay instead"), key="monitor_open_replay", icon=":material/replay:"):
        st.session_state["monitor_fallback"] = True
        st.rerun()


def _live() -> tuple[Snapshot, bool] | None:
    """The live region's snapshot, or None after showing the error (the page keeps working)."""
    cols = st.columns([2, 2, 2, 2])
    if srv.choose_profile:
        st.markdown(
            _("Uses the standard AWS credential chain (environment, shared profiles, SSO, roles): choose a "
              "profile from your AWS config and a region. VPN Lab never asks for keys. To connect, run "
              "`aws configure sso` / `aws sso login --profile NAME` (or `aws configure`) in a terminal first. "
              "The minimal read-only IAM policy is in the README.")
        )
        try:
            profiles = sources.profiles()
        except LabError as err:
            _offer_replays(err)
            return None
        profile_choice = cols[0].selectbox(_("AWS profile"), profiles, key="monitor_profile",
                                          format_func=lambda p: _(p) if p == sources.DEFAULT_CHAIN else p)
        profile = None if profile_choice == sources.DEFAULT_CHAIN else profile_choice
    else:
        # A shared server: visitors read with the one identity the operator chose and never see the
        # server's profile list; the "Connected as" line below says which identity that is.
        st.markdown(_("This shared server reads live AWS **read-only with its operator's identity**, shown below "
                      "once connected. Visitors cannot choose another profile."))
        profile = srv.profile
        cols[0].caption(_("AWS identity: the server operator's"))
    regions = sources.regions()
    try:
        default = sources.default_region(profile)
    except LabError as err:
        _offer_replays(err)
        return None
    if st.session_state.get("monitor_region") not in regions:
        st.session_state["monitor_region"] = default if default in regions else regions[0]
    region = cols[1].selectbox(_("Region"), regions, key="monitor_region")
    window = cols[2].selectbox(_("Time range"), list(aws.WINDOWS), index=list(aws.WINDOWS).index("1 day"), key="monitor_window",
                               format_func=_)
    health = cols[3].toggle(
        _("AWS Health events"),
        value=True,
        key="monitor_health",
        help=_("Needs a Business, Enterprise On-Ramp or Enterprise support plan; without one the rest still works."),
    )
    try:
        inv = sources.inventory(profile, region)
    except LabError as err:
        _offer_replays(err)
        return None
    st.success(_("Connected as {arn} · region {region}", arn=literal(inv.arn, 200), region=literal(region)), icon=":material/cloud_done:")
    det = None
    if inv.connections:
        ids = [c.id for c in inv.connections]
        if st.session_state.get("monitor_vpn") not in ids:
            st.session_state["monitor_vpn"] = ids[0]
        chosen = next(c for c in inv.connections if c.id == st.session_state["monitor_vpn"])
        try:
            det = sources.details(profile, region, inv.arn, chosen.id, window, health, chosen, inv.connections)
        except LabError as err:
            _offer_replays(err)
            return None
        for note in det.result.notes:
            st.warning(note, icon=":material/warning:")
        views.render_region_health(det.result.region_events)
    st.caption(sources.calls_line(inv, det, run_started))
    return sources.live_snapshot(inv, det, region), True


def _replay(slug: str) -> tuple[Snapshot, bool]:
    inc = replay.incident(slug)
    st.markdown(f"**{d('replay.title', inc.title)}.** {d('replay.summary', inc.summary)}")
    with st.expander(_("What happened (the incident's description)")):
        st.markdown(d("replay.description", inc.description))
        if inc.scenario:
            st.caption(_("Design: {scenario}", scenario=inc.scenario))
    with st.expander(_("Expected diagnosis (open after you have tried)")):
        st.markdown(_("Category: {category}", category=f"`{inc.expected_category}`")
                    + (" · " + _("node {node}", node=f"`{inc.expected_tree_node}`") if inc.expected_tree_node else ""))
        st.markdown(d("replay.expected_explanation", inc.expected_explanation))
    if srv.choose_profile:
        st.caption(
            _("This is a recorded incident. To look at your own tunnels, choose Live AWS in Source after "
              "setting up credentials with `aws configure sso` / `aws sso login` or `aws configure`.")
        )
    elif not srv.live_aws:
        st.caption(_("This is a recorded incident. Live AWS is off on this shared server: run VPN Lab on your "
                     "own computer (`vpn-lab run`) to look at your own tunnels."))
    return inc.snapshot, False


def _simulation(scenario_id: str) -> tuple[Snapshot, bool]:
    """The simulated design, healthy or under the failure script entered here (or named in the link as
    `&fail=cgw-down:cgw-a@60+240`, as the scenario lab's links do). A script the simulator refuses is shown
    with its message and kept as entered."""
    from lab.sim import load_scenario  # the simulator is optional for the monitor (see monitor_sources)
    from lab.ui import failure_script

    spec = load_scenario(scenario_id)
    linked = params.get_all("fail")
    signature = tuple(linked)  # applied once per link: switching designs afterwards keeps the user's script
    if linked and st.session_state.get("monitor_fail_link") != signature:
        st.session_state["monitor_fail_link"] = signature
        st.session_state["monitor_failures"] = failure_script.from_link(spec, linked)
    entries = failure_script.script("monitor_failures")
    with st.expander(_("Failure script: break this design as in the Scenario lab"), expanded=bool(entries)):
        failure_script.drop_stale(spec, "monitor_failures")
        entries = failure_script.editor(
            spec, "monitor_failures", "monitor_fail",
            _("No failure: the design runs healthy. Add one to see it in the charts, the events and the logs."))
        st.session_state.setdefault("monitor_sim_duration", 600)
        length, note = st.columns([1, 3], vertical_alignment="bottom")
        duration = length.number_input(_("Run length (s)"), min_value=10, max_value=14400, step=60,
                                       key="monitor_sim_duration", help=_("Up to 4 hours."))
        note.caption(_("The inventory and the telemetry show the design at the end of the run; the Connection "
                       "tab's chart and events show the whole run."))
    return sources.simulation_snapshot(scenario_id, failure_script.as_tuple(entries), int(duration)), False


try:
    if source == sources.LIVE:
        loaded = _live()
    elif source.startswith("replay:"):
        loaded = _replay(source.split(":", 1)[1])
    else:
        loaded = _simulation(source.split(":", 1)[1])
except LabError as err:
    st.error(plain(err))
    if err.hint:
        st.info(err.hint)
    loaded = None

if loaded is None:
    st.stop()

snapshot, is_live = loaded
now = snapshot.end or datetime.now(UTC)

# Only the open tab runs (on_change="rerun"): a click elsewhere does not rebuild the charts or the audit.
# A widget in a closed tab is not drawn, and Streamlit forgets the state of widgets it did not draw:
# writing the value back keeps the chosen connection and the filter while another tab is open.
for _kept in ("monitor_vpn", "monitor_filter"):
    if _kept in st.session_state:
        st.session_state[_kept] = st.session_state[_kept]
tab_inventory, tab_connection, tab_audit = st.tabs([_("Inventory"), _("Connection"), _("Audit")], key="monitor_tab",
                                                   on_change="rerun")
if tab_inventory.open:
    with tab_inventory:
        views.render_inventory(snapshot)

if tab_connection.open:
    with tab_connection:
        if not snapshot.connections:
            st.info(_("No connection to show."))
        else:
            ids = [c.id for c in snapshot.connections]
            if st.session_state.get("monitor_vpn") not in ids:
                st.session_state["monitor_vpn"] = ids[0]
            labels = {c.id: views.connection_label(c) for c in snapshot.connections}
            vpn_id = st.selectbox(_("Connection"), ids, format_func=lambda i: labels[i], key="monitor_vpn")
            connection = snapshot.connection(vpn_id)
            if connection is None:  # the ids come from the snapshot itself; kept for the type checker
                st.stop()
            m = st.columns(4)
            m[0].metric(_("Tunnels up"), f"{connection.tunnels_up}/{len(connection.tunnels)}")
            m[1].metric(_("Routing"), "BGP" if connection.routing == "bgp" else _("static"))
            m[2].metric(_("Gateway"), connection.gateway_type.upper())
            m[3].metric(_("State"), connection.state)
            st.markdown("**" + _("Telemetry (VgwTelemetry)") + "**")
            st.dataframe(views.telemetry_rows(connection), hide_index=True, width="stretch")

            def _with_logs(snap: Snapshot) -> tuple[Snapshot, str, object | None, str]:
                """The snapshot (live: plus its tunnel-log findings as events), its log text and analysis."""
                if snap.source == "replay":
                    text = replay.incident(source.split(":", 1)[1]).log_text
                else:
                    text = replay.merged_log_text([r for r in snap.logs if r.vpn_id in {vpn_id, ""}])
                result, problem = views.analyze(text)
                if snap.source == "aws" and result is not None:
                    # Live tunnel-log findings join maintenance and Health events on the chart's timeline.
                    found = log_finding_events(getattr(result, "findings", ()), vpn_id)
                    snap = replace(snap, events=tuple(sorted((*snap.events, *found), key=lambda e: e.time)))
                return snap, text, result, problem

            snapshot, log_text, analysis, analysis_problem = _with_logs(snapshot)

            interval: int | None = None
            every = ""
            if is_live:
                refresh = st.columns([1, 1, 3], vertical_alignment="bottom")
                auto = refresh[0].toggle(
                    _("Auto-refresh charts"),
                    value=False,
                    key="monitor_autorefresh",
                    help=_("Re-reads the charts' data (cached for 60 s) without reloading the page."),
                )
                every = refresh[1].selectbox(
                    _("Every"), list(REFRESH_CHOICES), index=1, key="monitor_refresh_every", disabled=not auto
                )
                interval = REFRESH_CHOICES[every] if auto else None

            @st.fragment(run_every=interval)
            def _charts() -> None:
                shown = snapshot
                if is_live and interval:
                    # Only the charts refresh: the fragment re-reads the cached live details.
                    live = _live_refresh()
                    if live is not None:
                        shown = _with_logs(live)[0]
                current = shown.connection(vpn_id) or connection
                views.render_chart(shown, current)
                st.caption(_("Charts as of {time} UTC", time=f"{datetime.now(UTC):%H:%M:%S}")
                           + (" · " + _("refreshing every {every}", every=every) if interval else ""))

            def _live_refresh() -> Snapshot | None:
                profile_choice = st.session_state.get("monitor_profile", sources.DEFAULT_CHAIN)
                profile = None if profile_choice == sources.DEFAULT_CHAIN else profile_choice
                if not srv.choose_profile:
                    profile = srv.profile
                region = st.session_state.get("monitor_region", "")
                try:
                    inv = sources.inventory(profile, region)
                    chosen = next((c for c in inv.connections if c.id == vpn_id), None)
                    if chosen is None:
                        return None
                    det = sources.details(
                        profile, region, inv.arn, vpn_id, st.session_state.get("monitor_window", "1 day"),
                        st.session_state.get("monitor_health", True), chosen, inv.connections,
                    )
                except LabError as err:
                    st.warning(_("Refresh failed: {error} {hint}", error=plain(err), hint=err.hint))
                    return None
                return sources.live_snapshot(inv, det, region)

            _charts()

            with st.expander(_("Tunnel options"), expanded=False):
                st.dataframe(views.options_rows(connection), hide_index=True, width="stretch")
            st.markdown("**" + _("Endpoint maintenance (GetVpnTunnelReplacementStatus)") + "**")
            for line in views.maintenance_lines(connection):
                st.caption(line)
            st.markdown(_("**Events** (maintenance, AWS Health, tunnel and BGP changes)"))
            views.render_events(snapshot, connection)
            st.markdown(_("**Latest log lines** (AWS tunnel log and customer gateway log, in time order)"))
            views.render_logs(connection, log_text, analysis, analysis_problem)
            views.render_handoff(snapshot, log_text, key="monitor_handoff")

if tab_audit.open:
    with tab_audit:
        views.render_audit(snapshot, now)
