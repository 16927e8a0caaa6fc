"""Scenario lab: break a high-availability design (S1-S5) on purpose and watch, second by second,
what fails, what notices, what recovers and why. A thin shell over `lab.sim`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from lab.errors import LabError
from lab.figures.simulation import element_failure
from lab.i18n import render
from lab.sim import (
    ASSUMPTIONS,
    FAILURE_KINDS,
    list_scenarios,
    load_scenario,
    option_catalogue,
)
from lab.sim.failures import failure_sentence
from lab.ui import failure_script, identity
from lab.ui import scenario_cache as cache
from lab.ui.echo import literal, plain
from lab.ui.lang import _, current, d
from lab.ui.registry import PAGES

LAB_DIR = Path(__file__).resolve().parents[2]
KINDS = {k.id: k for k in FAILURE_KINDS}
SPECS = {s.id: s for s in list_scenarios()}
MAX_LOG_LINES = 1500

st.title(_("Scenario lab"))
st.caption(
    _("Pick a high-availability design from the case study, break something on purpose and watch what "
      "AWS, the customer gateways and the office routers do about it, second by second. Nothing here "
      "touches AWS: the simulator follows the documented mechanics and names every assumption it makes.")
)


# --- scenario ----------------------------------------------------------------------------------------
def _failures() -> list[dict]:
    return st.session_state.setdefault("sl_failures", [])


def _link_options(spec_id: str) -> None:
    """Options named in the link (?startup_action=start&keepalive_s=30): set them, or say why not."""
    for opt in option_catalogue(SPECS[spec_id]):
        raw = st.query_params.get(opt.key)
        if raw is None:
            continue
        if opt.choices:
            if raw not in opt.choices:
                # The link's value is not echoed: it came from a URL.
                st.warning(_("The link's value for option {option} was ignored: it is not one of {valid}.",
                             option=d("option.label", opt.label), valid=", ".join(opt.choices)))
                continue
            st.session_state[f"sl_opt_{opt.key}"] = raw
        elif raw.isdigit():
            st.session_state[f"sl_opt_{opt.key}"] = int(raw)
        else:
            st.warning(_("The link's value for option {option} was ignored: it is not a whole number.",
                         option=d("option.label", opt.label)))


# A lesson, an exercise or a drill's reveal can link here with ?scenario=s3&fail=cgw-down:cgw-a@60 (plus
# options such as &dpd_timeout_action=restart, and &duration=3600 for the run length): preselect, set and run once per link (a new link replaces
# the script, so a drill revealed later opens its own simulation).
_linked = st.query_params.get("scenario", "").lower()
_link_sig = (_linked, tuple(st.query_params.get_all("fail")))
_new_link = bool(_linked) and st.session_state.get("sl_link_applied") != _link_sig
if _new_link:
    st.session_state["sl_link_applied"] = _link_sig
if _new_link and _linked not in SPECS:
    st.warning(_("The link names an unknown scenario {name}; the valid ones are {valid}.", name=literal(_linked),
                 valid=", ".join(SPECS)))
if _new_link and _linked in SPECS:
    st.session_state["sl_scenario"] = st.query_params["scenario"].lower()
    st.session_state["sl_failures"] = failure_script.from_link(SPECS[st.session_state["sl_scenario"]],
                                                               st.query_params.get_all("fail"))
    _link_options(st.session_state["sl_scenario"])
    _link_duration = st.query_params.get("duration")
    if _link_duration is not None:
        if _link_duration.isdigit() and 10 <= int(_link_duration) <= 14400:
            st.session_state["sl_duration"] = int(_link_duration)
        else:  # not echoed: it came from a URL
            st.warning(_("The link's run length was ignored: it must be a whole number of seconds from 10 to 14400."))
    st.session_state["sl_opt_scenario"] = st.session_state["sl_scenario"]
    st.session_state["sl_autorun"] = True


left, right = st.columns([1, 2])
with left:
    sid = st.selectbox(_("Scenario"), list(SPECS), key="sl_scenario", format_func=lambda s: d("scenario.title", SPECS[s].title))
spec = load_scenario(sid)
failure_script.drop_stale(spec, "sl_failures")
with right:
    st.markdown(f"**{d('scenario.summary', spec.summary)}**  \n*"
                + _("Article section {section}.", section=spec.article) + f"* {d('scenario.lesson', spec.lesson)}")
with st.expander(_("About this design"), expanded=False):
    st.markdown(d("scenario.description", spec.description))
    cgws = ", ".join(f"{d('scenario.gateway', c.name)} ({c.ip}, {c.device})" for c in spec.customer_gateways)
    gateway = f"{spec.gateway.type.upper()} `{spec.gateway.id}`" + (" " + _("with ECMP") if spec.gateway.ecmp else "")
    vpcs = _("{cidr}, route table {table}, route propagation {state}", cidr=f"`{spec.vpc.cidr}`",
             table=f"`{spec.vpc.route_table_id}`", state=_("on") if spec.vpc.propagation else _("off"))
    vpns = ", ".join(_("{id} ({routing}, tunnels in {zones})", id=f"`{c.id}`", routing=c.routing,
                       zones=" / ".join(t.az for t in c.tunnels)) for c in spec.connections)
    st.markdown("\n".join([
        "- " + _("**Gateway:** {text}", text=gateway),
        "- " + _("**VPC:** {text}", text=vpcs),
        "- " + _("**Customer gateways:** {text}", text=cgws),
        "- " + _("**VPN connections:** {text}", text=vpns),
        "- " + _("**On premises:** {cidr}, routing: {routing}", cidr=f"`{spec.onprem.cidr}`", routing=spec.onprem.routing),
    ]))

# --- options -----------------------------------------------------------------------------------------
catalogue = option_catalogue(spec)
# Switching scenario: options still at the previous design's default take this design's default (S3 has a
# health check, S1 has none); options the learner changed keep their value.
_prev = st.session_state.get("sl_opt_scenario")
if _prev != sid:
    _old = {o.key: o.default for o in option_catalogue(SPECS[_prev])} if _prev in SPECS else {}
    for _opt in catalogue:
        _wkey = f"sl_opt_{_opt.key}"
        if _wkey in st.session_state and st.session_state[_wkey] == _old.get(_opt.key):
            st.session_state[_wkey] = _opt.default
    st.session_state["sl_opt_scenario"] = sid
with st.expander(_("Tunnel options and timers (AWS defaults from the lab's AWS facts)"), expanded=False):
    if st.button(_("Reset to defaults"), key="sl_reset"):
        for opt in catalogue:
            st.session_state[f"sl_opt_{opt.key}"] = opt.default
    # BGP timers only matter where a connection runs BGP: a static design neither shows nor checks them.
    uses_bgp = any(c.routing == "bgp" for c in spec.connections)
    shown = [opt for opt in catalogue if uses_bgp or not opt.key.startswith("bgp_")]
    cols = st.columns(3)
    values: dict[str, object] = {}
    for n, opt in enumerate(shown):
        wkey = f"sl_opt_{opt.key}"
        with cols[n % 3]:
            disabled = opt.key == "health_check_s" and spec.onprem.routing != "static"
            help_text = d("option.help", opt.help) + (
                " " + _("(Not used here: this design does not route statically on premises.)") if disabled else "")
            if opt.choices:
                if st.session_state.get(wkey) not in opt.choices:
                    st.session_state[wkey] = opt.default
                values[opt.key] = st.selectbox(d("option.label", opt.label), opt.choices, key=wkey, help=help_text)
            else:
                if wkey not in st.session_state:
                    st.session_state[wkey] = int(opt.default)  # type: ignore[call-overload]
                values[opt.key] = st.number_input(d("option.label", opt.label), min_value=0, step=1, key=wkey, help=help_text,
                                                  disabled=disabled)
            # Only changed options become overrides, so the Snapshot shows AWS's defaults as AWS would.
            if disabled or values[opt.key] == opt.default:
                values[opt.key] = None
    st.caption(_("Every tunnel of the design gets these options. Out-of-range values are refused when you run: with "
                 "AWS's limit where AWS documents one, otherwise with the lab's own range."))
    if not uses_bgp:
        st.caption(_("No BGP timers here: this design routes statically between AWS and the customer gateways."))

# --- failure script ----------------------------------------------------------------------------------
st.subheader(_("Failure script"))
failure_script.editor(
    spec, "sl_failures", "sl",
    _("No failure yet: add one above (or select a component on the diagram after a run). A run without "
      "failures shows the design working normally."))

r1, r2, r3, _r4 = st.columns([1.2, 1, 1.3, 3], vertical_alignment="bottom")
st.session_state.setdefault("sl_duration", 600)  # a link may set it (&duration=), so no value= here
duration = r1.number_input(_("Run length (s)"), min_value=10, max_value=14400, step=60, key="sl_duration",
                           help=_("Up to 4 hours in the page (the CLI allows 24 hours)."))
seed = r2.number_input(_("Seed"), min_value=0, value=0, step=1, key="sl_seed",
                       help=_("Changes only the traffic jitter and rekey timing; same seed, same result."))
run_clicked = r3.button(_("Run simulation"), key="sl_run", type="primary", width="stretch")


def _key() -> cache.RunKey:
    ov = tuple(sorted((k, v) for k, v in values.items() if v is not None))
    fails = failure_script.as_tuple(_failures())
    return cache.RunKey(sid, int(duration), fails, ov, int(seed))


# With an empty failure script, show the healthy design at once (first visit or another scenario):
# the topology is what a learner looks at first; a failure script still waits for "Run simulation".
_last = st.session_state.get("sl_last_run")
if not _failures() and (_last is None or _last.scenario != sid):
    st.session_state["sl_autorun"] = True

if run_clicked or st.session_state.pop("sl_autorun", False):
    st.session_state["sl_last_run"] = _key()


def _add_from_diagram(element_id: str, when: int) -> None:
    pick = element_failure(element_id)
    if pick is None:
        st.session_state["sl_notice"] = ("warning", _(
            "{element}: AWS-managed parts (gateway, route table, VPC) cannot be failed here; select a customer "
            "gateway, a tunnel or an endpoint.", element=element_id))
        return
    fkind, ftarget = pick
    _failures().append({"kind": fkind, "target": ftarget, "at": when, "dur": None})
    st.session_state["sl_last_run"] = _key()
    st.session_state["sl_notice"] = ("success", _("Added “{failure}” on {target} at {at} s and ran again.",
                                                  failure=d("failure.title", KINDS[fkind].title), target=ftarget, at=when))


key: cache.RunKey | None = st.session_state.get("sl_last_run")
if key is not None and key.scenario != sid:
    key = None  # the scenario changed since the last run
if key is None:
    st.caption(_("Press **Run simulation** to see what happens to {design} under this script.",
                 design=spec.title.split(":")[0]))
    st.stop()
if key != _key():
    st.caption(_("Inputs changed since this run: press **Run simulation** to update the results."))
try:
    result = cache.run(key)
except LabError as err:
    st.error(_("Cannot run: {error}", error=plain(render(err, current()))))
    if err.hint:
        st.caption(err.hint)
    st.stop()
if key.failures:  # a learner who broke a design on purpose did this scenario's exercise
    identity.record_exercise(f"scenario-lab:{key.scenario}")


# --- results -----------------------------------------------------------------------------------------
def _sec(seconds: object) -> str:
    return _("{seconds} s", seconds=seconds)


o = result.outcome
st.subheader(_("Result: {title}", title=d("scenario.title", result.scenario.title)))
m = st.columns(5)
m[0].metric(_("VPC → on-prem outage"), _sec(o.outage_s['to_onprem']),
            help=_("{pct} % of the traffic in this direction was lost.", pct=o.lost_pct["to_onprem"]))
m[1].metric(_("On-prem → VPC outage"), _sec(o.outage_s['to_aws']),
            help=_("{pct} % of the traffic in this direction was lost.", pct=o.lost_pct["to_aws"]))
m[2].metric(_("Time to detect"), "—" if o.detect_s is None else _sec(o.detect_s),
            help=_("From the first failure to the first reaction anywhere: AWS (DPD, BGP hold timer), a customer "
                   "gateway, or the office routers (cluster, internal routing, health check) moving traffic."))
m[3].metric(_("Time to recover"), _("none") if o.recover_s is None else _sec(o.recover_s),
            help=_("From the first failure to the end of the last second with lost traffic; none: traffic was still "
                   "lost at the end of the run."))
m[4].metric(_("Person needed"), _("YES") if o.manual_action_required else _("no"),
            help=_("YES when traffic is still lost at the end, or when a tunnel that was up stays down and nothing "
                   "automatic brings it back (a person must restore the device or the tunnel), even if traffic "
                   "recovered through the other tunnels."))
(st.error if o.manual_action_required else st.success)(o.verdict_text(current()))

notice = st.session_state.pop("sl_notice", None)
if notice:
    getattr(st, notice[0])(notice[1])
st.markdown(_("**Topology** · move the slider or press Play to see each moment; select a customer gateway, a tunnel "
              "(diamond) or an endpoint to add a failure there at the time below."))
# Two drawings of the same run: left to right for a laptop or a projector, top to bottom for a phone. The
# browser shows the one that fits its width (style.py), so a phone never gets a diagram it cannot read.
points: list = []
for _vertical, _where in ((False, "sl_topo_wide"), (True, "sl_topo_tall")):
    with st.container(key=_where):
        _event = st.plotly_chart(cache.topology(key, current(), _vertical), key=f"sl_topology{'_tall' * _vertical}",
                                 on_select="rerun", selection_mode=("points",), width="stretch",
                                 config={"displayModeBar": False})
    points += list(getattr(getattr(_event, "selection", None), "points", None) or [])
picked = [p.get("customdata") for p in points if isinstance(p, dict) and p.get("customdata")]
signature = tuple(str(x) for x in picked)
f1, f2, f3 = st.columns([2, 1, 1], vertical_alignment="bottom")
options = ["onprem", *spec.cgw_keys(), *spec.tunnel_ids(), *(f"endpoint:{t}" for t in spec.tunnel_ids())]


def _element_label(e: str) -> str:
    if e == "onprem":
        return _("On-premises network (traffic stops: idle)")
    if e.startswith("endpoint:"):
        return _("AWS endpoint of {tunnel} (replacement)", tunnel=e.removeprefix("endpoint:"))
    if e.startswith("cgw-"):
        return _("{element} (device down)", element=e)
    if e.startswith("tunnel-"):
        return _("{element} (Delete IKE_SA)", element=e)
    return e


element = f1.selectbox(_("Or pick a component to fail"), options, key="sl_fail_element", format_func=_element_label)
when = int(f2.number_input(_("at (s)"), min_value=0, value=60, step=5, key="sl_fail_at"))
if signature and signature != st.session_state.get("sl_sel_seen"):
    st.session_state["sl_sel_seen"] = signature
    _add_from_diagram(str(picked[0]), when)
    st.rerun()
if not signature:
    st.session_state["sl_sel_seen"] = ()
if f3.button(_("Fail it"), key="sl_fail_btn", width="stretch"):
    _add_from_diagram(element, when)
    st.rerun()

# Only the open tab is built (on_change="rerun"): a click does not rebuild every view of the run.
tab_timeline, tab_steps, tab_compare, tab_logs = st.tabs(
    [_("Timeline"), _("What happened, step by step"), _("Same failure, S1 to S4 side by side"), _("Generated logs")],
    key="sl_results", on_change="rerun",
)
if tab_timeline.open:
    with tab_timeline:
        st.markdown(_("**Timeline** · per tunnel: state, traffic and events"))
        st.plotly_chart(cache.timeline(key, current()), key="sl_timeline", width="stretch")
        if result.failures:
            # The chart tags each failure with its number only (names would overlap on a long script).
            st.caption(_("Numbered tags above the chart: where each failure starts (red dashed line) and ends "
                         "(green dashed line)."))
            # Sentences, not a table: a phone reads them without scrolling sideways or a toolbar on top.
            st.markdown("\n".join(f"{n}. {plain(render(failure_sentence(f, spec), current()))}"
                                   for n, f in enumerate(result.failures, 1)))

if tab_steps.open:
    with tab_steps:
        if o.explanation:
            st.markdown("\n".join(f"{n}. **t = {_sec(t)}**: {render(text, current())}"
                                  for n, (t, text) in enumerate(o.explanation, 1)))
        else:
            st.write(_("Nothing happened: both directions delivered everything."))
        st.caption(_("Tunnels down: {list}", list=", ".join(f"{k} {_sec(v)}" for k, v in o.down_s.items())))

if tab_compare.open:
    with tab_compare:
        rows = cache.comparison(key)
        table = pd.DataFrame([{
            _("Design"): d("scenario.title", r.title),
            _("VPC → on-prem outage"): _("n/a") if r.to_onprem_s is None else _sec(r.to_onprem_s),
            _("On-prem → VPC outage"): _("n/a") if r.to_aws_s is None else _sec(r.to_aws_s),
            _("Detect"): "—" if r.detect_s is None else _sec(r.detect_s),
            _("Recover"): _("not recovered") if r.recover_s is None and r.manual is not None else
                          (_("n/a") if r.manual is None else _sec(r.recover_s)),
            _("Person needed"): _("n/a") if r.manual is None else (_("YES") if r.manual else _("no")),
            _("Verdict"): r.verdict_text(current()) + (f" ({r.note})" if r.note else ""),
        } for r in rows])
        st.table(table, hide_index=True)

if tab_logs.open:
    with tab_logs:
        files, all_text = cache.logs(key)
        st.caption(_("What the AWS tunnel log (JSON, with the documented fields and messages) and each strongSwan "
                     "customer gateway would have written during this run."))
        written = {name: content for name, content in files.items() if content.strip()}
        if not written:
            st.info(_("No log lines in this run: nothing failed or changed state. Add a failure and run again to "
                      "see what each side writes."))
        else:
            silent = [name for name in files if name not in written]
            if silent:
                st.caption(_("No lines in this run: {names}.", names=", ".join(silent)))
            for tab, (name, content) in zip(st.tabs(list(written)), written.items(), strict=True):
                with tab:
                    lines = content.splitlines()
                    if len(lines) > MAX_LOG_LINES:
                        st.caption(_("Showing the first {shown:,} of {total:,} lines; the download has them all.",
                                     shown=MAX_LOG_LINES, total=len(lines)))
                        content_shown = "\n".join(lines[:MAX_LOG_LINES])
                    else:
                        content_shown = content
                    # As tall as the lines need, up to 300 px: a short log is not a large empty box.
                    st.code(content_shown, language=None, height=min(300, 40 + 21 * len(lines)), wrap_lines=True)
                    st.download_button(_("Download {name}", name=name), content, file_name=name, key=f"sl_dl_{name}")
            d1, d2 = st.columns([1, 2], vertical_alignment="center")
            d1.download_button(_("Download all logs"), all_text, file_name=f"{key.scenario}-simulated-logs.txt",
                               key="sl_dl_all")
            troubleshooter = next((p for p in PAGES if p.url_path == "troubleshooter"), None)
            if troubleshooter is not None:
                if d2.button(_("Open in troubleshooter"), key="sl_to_troubleshooter"):
                    st.session_state["shared_log_text"] = all_text
                    st.session_state["shared_snapshot"] = result.snapshot
                    st.switch_page(str(LAB_DIR / troubleshooter.script))
            else:
                d2.caption(_("The troubleshooter page is not part of this build yet: download the logs to analyse "
                             "them elsewhere."))

with st.expander(_("Assumptions: what AWS does not document and the lab had to choose")):
    for a in ASSUMPTIONS.values():
        st.markdown(f"- {d('assumption.text', a.text)}")
