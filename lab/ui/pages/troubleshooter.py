"""Troubleshooter: walk a decision tree to the cause of a VPN incident, with evidence from logs.

`?tree=<tree id>&node=<node id>` opens a node directly (the URL always shows the current node, so it
can be pasted into an incident channel); an unknown tree or node shows a clear message and the start.
Logs can be pasted, uploaded, or handed over by the Scenario lab / Monitor through
`st.session_state["shared_log_text"]` and `st.session_state["shared_snapshot"]`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from lab import analyzer
from lab import tree as engine
from lab.errors import LabError
from lab.evidence import Evidence, from_analysis, from_snapshot, merge
from lab.model import Snapshot
from lab.report import build_report
from lab.samples import sample_log, sample_logs
from lab.ui import troubleshooter_views as views
from lab.ui.echo import literal, plain
from lab.ui.lang import _, d

S_SESSION, S_ANALYSIS, S_SNAP_EV, S_URL = "ts_session", "ts_analysis", "ts_snapshot_evidence", "ts_url_ref"
S_ERROR, S_SOURCE = "ts_error", "ts_source"
DEFAULT_TREE = "tunnel-down"


def _trees() -> dict[str, engine.Tree]:
    return engine.load_trees()


def _session() -> engine.Session:
    return st.session_state[S_SESSION]


def _set(session: engine.Session) -> None:
    st.session_state[S_SESSION] = session


def _evidence() -> dict[str, Evidence]:
    analysis = st.session_state.get(S_ANALYSIS)
    logs = from_analysis(analysis) if analysis else {}
    return merge(st.session_state.get(S_SNAP_EV, {}), logs)


# --- callbacks (run before the page renders, so the page always shows the new state) -----------


def _on_answer(index: int, by_evidence: bool) -> None:
    _set(engine.answer(_session(), index, by_evidence=by_evidence))


def _on_back() -> None:
    _set(engine.back(_session()))


def _on_restart() -> None:
    _set(engine.start(_session().tree))


def _on_tree() -> None:
    _set(engine.start(st.session_state["ts_tree"]))


def _on_goto(ref: str) -> None:
    _set(engine.goto(ref))


def _on_follow() -> None:
    before = _session()
    after = engine.session_with_evidence(before, _evidence())
    _set(after)
    if after.current.ref == before.current.ref:
        st.session_state["ts_follow_note"] = _(
            "The evidence does not answer this question: check it with the commands below and choose an answer."
        )


def _analyze(text: str | None, data: bytes | None, name: str, source: str) -> None:
    fmt = st.session_state.get("ts_format", "auto")
    try:
        result = analyzer.analyze_bytes(data, fmt, name) if data is not None else analyzer.analyze_text(text or "", fmt)
    except LabError as err:
        st.session_state[S_ERROR] = str(err)
        return
    st.session_state[S_ERROR] = ""
    st.session_state[S_ANALYSIS] = result
    st.session_state[S_SOURCE] = source


def _upload_limit_mb() -> int:
    try:
        return int(st.get_option("server.maxUploadSize"))
    except (RuntimeError, TypeError, ValueError):
        return 200


def _on_analyze() -> None:
    upload = st.session_state.get("ts_upload")
    text = st.session_state.get("ts_log_text", "")
    if upload is not None and not text.strip():
        _analyze(None, upload.getvalue(), f"The file {upload.name}", _("uploaded file {name}", name=upload.name))
    elif upload is None and not text.strip():
        # The upload box refuses a file over its limit before the page sees it: say so instead of "empty".
        st.session_state[S_ERROR] = _(
            "Nothing to analyze: paste log lines or upload a file. A file over {limit} MB is refused by the upload "
            "box (it says so under the box); analyze a bigger log with the command vpn-lab logs FILE, or upload its last part.",
            limit=_upload_limit_mb())
    else:
        _analyze(text, None, "", _("pasted log"))


def _on_sample() -> None:
    name = st.session_state.get("ts_sample")
    if not name:
        return
    try:
        st.session_state["ts_log_text"] = sample_log(name).text()
    except (LabError, OSError) as err:
        st.session_state[S_ERROR] = _("The sample log cannot be loaded: {error}", error=err)
        return
    _analyze(st.session_state["ts_log_text"], None, "", _("sample log {name}", name=name))


def _on_shared() -> None:
    text = st.session_state.get("shared_log_text")
    snapshot = st.session_state.get("shared_snapshot")
    if not isinstance(snapshot, Snapshot):
        snapshot = None  # only a lab.model.Snapshot carries evidence
    if snapshot is not None:
        st.session_state[S_SNAP_EV] = from_snapshot(snapshot)
    if isinstance(text, str) and text.strip():
        _analyze(text, None, "", _("logs from the scenario lab / replay"))
    elif snapshot is not None:
        st.session_state[S_SOURCE] = _("snapshot '{label}'", label=snapshot.label)
        st.session_state[S_ERROR] = ""


def _on_clear() -> None:
    for key in (S_ANALYSIS, S_SNAP_EV, S_ERROR, S_SOURCE):
        st.session_state.pop(key, None)


# --- position from the URL ----------------------------------------------------------------------


def _sync_from_url() -> None:
    q_tree, q_node = st.query_params.get("tree"), st.query_params.get("node")
    wanted = f"{q_tree}/{q_node}" if q_tree and q_node else (q_tree or "")
    if S_SESSION not in st.session_state:
        _set(engine.start(DEFAULT_TREE))
    if not wanted or wanted == st.session_state.get(S_URL):
        return
    try:
        _set(engine.goto(wanted) if q_node else engine.start(wanted))
    except LabError:
        fallback = q_tree if q_tree in _trees() else DEFAULT_TREE
        known = ", ".join(f"'{t}'" for t in _trees())
        where = (_("node {node} in tree {tree}", node=literal(q_node), tree=literal(q_tree)) if q_node
                 else _("tree {tree}", tree=literal(q_tree)))
        st.error(
            _("The link points to a troubleshooter step that does not exist ({where}; the trees are {known}). "
              "Showing the start of the tree '{fallback}'.", where=where, known=known, fallback=fallback)
        )
        _set(engine.start(fallback))


def _sync_to_url() -> None:
    node = _session().current
    st.query_params["tree"] = node.tree
    st.query_params["node"] = node.id
    st.session_state[S_URL] = node.ref


# --- page ---------------------------------------------------------------------------------------

st.title(_("Troubleshooter"))
st.caption(
    _("Find the cause of a VPN incident: analyze the logs, walk the decision tree (AWS's order: IKE, IPsec, "
      "tunnel, BGP or static routes), and download an incident report.")
)

try:
    _trees()
except LabError as err:  # shipped data is broken: say which file and why, keep the app alive
    st.error(_("The troubleshooting trees cannot be loaded: {error}", error=plain(err)))
    st.stop()

_sync_from_url()

if st.session_state.get("shared_log_text") or st.session_state.get("shared_snapshot") is not None:
    with st.container(border=True):
        st.markdown(_("**Logs from the scenario lab / replay are available - analyze them** to pre-answer questions."))
        st.button(_("Use them as evidence"), key="ts_use_shared", on_click=_on_shared, icon=":material/input:")

with st.expander(_("1 · Analyze logs"), expanded=True, icon=":material/description:"):
    st.text_area(
        _("Paste log lines (AWS tunnel log JSON or text, strongSwan, libreswan, Cisco ASA/IOS, FortiGate, Palo Alto)"),
        key="ts_log_text",
        height=160,
        placeholder='{"event_timestamp":1764404400000,"details":"AWS tunnel DPD timed out after 3 retransmits",...}',
    )
    st.file_uploader(_("…or upload a log file (text, up to 20 MB)"), key="ts_upload")
    try:
        samples = {sample.name: d("sample.description", sample.description) for sample in sample_logs()}
    except LabError:
        samples = {}  # a broken samples folder only hides this option; pasting and uploading still work
    if samples:
        pick = st.columns([3, 1], vertical_alignment="bottom")
        pick[0].selectbox(
            _("…or practise on a sample log"),
            list(samples),
            index=None,
            key="ts_sample",
            format_func=lambda name: f"{samples[name]} ({name})",
            placeholder=_("Choose a recorded case"),
        )
        pick[1].button(
            _("Load and analyze"),
            key="ts_load_sample",
            on_click=_on_sample,
            icon=":material/science:",
            disabled=st.session_state.get("ts_sample") is None,
        )
    cols = st.columns([2, 1, 1], vertical_alignment="bottom")
    cols[0].selectbox(_("Format"), ["auto", *analyzer.FORMATS], key="ts_format",
                  help=_("auto detects the format from the first lines"))
    cols[1].button(_("Analyze"), key="ts_analyze", type="primary", on_click=_on_analyze, icon=":material/search:")
    cols[2].button(_("Clear evidence"), key="ts_clear", on_click=_on_clear)
    if st.session_state.get(S_ERROR):
        st.error(plain(st.session_state[S_ERROR]), icon=":material/error:")

result = st.session_state.get(S_ANALYSIS)
if result is not None:
    with st.container(border=True):
        st.markdown(_("**Log analysis** of the {source}", source=plain(st.session_state.get(S_SOURCE, _("log")), 120)))
        views.analysis(result, _on_goto)
elif st.session_state.get(S_SNAP_EV):
    st.caption(_("Evidence from the {source}: {count} facts.", source=plain(st.session_state.get(S_SOURCE, _("snapshot")), 120),
                 count=len(st.session_state[S_SNAP_EV])))

st.subheader(_("2 · Decision tree"))
trees = _trees()
session = _session()
ids = list(trees)
st.session_state["ts_tree"] = session.tree
top = st.columns([3, 1, 1, 1.4])
top[0].selectbox(_("Tree"), ids, key="ts_tree", format_func=lambda t: d("tree.title", trees[t].title), on_change=_on_tree, label_visibility="collapsed")
top[1].button(_("Back"), key="ts_back", on_click=_on_back, disabled=len(session.steps) <= 1, icon=":material/arrow_back:")
top[2].button(_("Restart"), key="ts_restart", on_click=_on_restart, icon=":material/restart_alt:")
evidence = _evidence()
top[3].button(_("Follow the evidence"), key="ts_follow", on_click=_on_follow, disabled=not evidence, icon=":material/fact_check:")

note = st.session_state.pop("ts_follow_note", "")
if note:
    st.info(note, icon=":material/info:")
crumbs = [d("tree.title", engine.resolve(s.ref).title) + (f" → {d('tree.answer', s.label)}" if s.label else "")
          for s in session.steps]
st.caption(_("Path: {path}", path="  ›  ".join(crumbs)))
node = session.current
with st.container(border=True):
    if node.is_diagnosis:
        views.diagnosis(node)
    else:
        views.question(node, evidence, _on_answer)
_sync_to_url()
st.caption(_("Link to this step: {link}", link=f"`?tree={node.tree}&node={node.id}`"))

st.subheader(_("3 · Incident report"))
report = build_report(st.session_state.get(S_ANALYSIS), session, evidence)
st.download_button(
    _("Download incident report (Markdown)"),
    data=report,
    file_name=f"vpn-incident-{datetime.now(UTC):%Y%m%d-%H%M}.md",
    mime="text/markdown",
    key="ts_download",
    icon=":material/download:",
)
with st.expander(_("Preview the report")):
    st.code(report, language="markdown", wrap_lines=True)
