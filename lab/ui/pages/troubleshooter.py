"""Troubleshooter: walk a decision tree to the cause of a VPN incident, with evidence from logs and snapshots.

The question comes first; logs are analyzed below it. `?tree=<tree>&node=<node>&answers=<node>:<answer>,...`
reproduces a position (the same token `vpn-lab triage` prints); without `answers` the link opens the node
itself. An unknown tree or node shows a clear message and the start. Logs can be pasted, uploaded, or
handed over by the Scenario lab / Monitor through `st.session_state["shared_log_text"]` and
`st.session_state["shared_snapshot"]`. Evidence is used per tunnel (the person picks which one when there
are several); automatic answers are marked on the path with their source.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st
import streamlit.components.v1 as components

from lab import analyzer
from lab.analyzer.samples import sample_log, sample_logs
from lab.errors import LabError
from lab.i18n import M, Msg, render
from lab.masking import mask_secrets
from lab.model import Snapshot
from lab.triage import case
from lab.triage import tree as engine
from lab.triage.evidence import Evidence, Scope
from lab.triage.fixes import families
from lab.triage.report import build_report, scope_text
from lab.ui import troubleshooter_views as views
from lab.ui.echo import literal, plain
from lab.ui.lang import _, _n, current, d

S_SESSION, S_ANALYSIS, S_URL = "ts_session", "ts_analysis", "ts_url_ref"
S_ERROR, S_SOURCE, S_SCOPES, S_SCOPE = "ts_error", "ts_source", "ts_scopes", "ts_scope"
S_SNAPSHOT, S_TEXT, S_SCROLL = "ts_snapshot", "ts_text", "ts_scroll"
DEFAULT_TREE = case.DEFAULT_TREE


def _trees() -> dict[str, engine.Tree]:
    return engine.load_trees()


def _session() -> engine.Session:
    return st.session_state[S_SESSION]


def _set(session: engine.Session, scroll: bool = True) -> None:
    st.session_state[S_SESSION] = session
    if scroll:
        st.session_state[S_SCROLL] = True


def _scopes() -> list[Scope]:
    return st.session_state.get(S_SCOPES, [])


def _scope() -> Scope | None:
    found = _scopes()
    if not found:
        return None
    want = st.session_state.get(S_SCOPE)
    return next((s for s in found if s.key == want), found[0])


def _evidence() -> dict[str, Evidence]:
    scope = _scope()
    return dict(scope.evidence) if scope else {}


def _rebuild_scopes() -> None:
    snapshot = st.session_state.get(S_SNAPSHOT)
    text = st.session_state.get(S_TEXT, "")
    try:
        st.session_state[S_SCOPES] = case.build_scopes(snapshot, text)
    except LabError as err:
        st.session_state[S_SCOPES] = []
        st.session_state[S_ERROR] = str(err)
    found = st.session_state[S_SCOPES]
    st.session_state[S_SCOPE] = found[0].key if found else None


# --- callbacks (run before the page renders, so the page always shows the new state) -----------


def _on_answer(index: int, by_evidence: bool, source: str = "") -> None:
    _set(engine.answer(_session(), index, by_evidence=by_evidence, source=source))


def _on_back() -> None:
    _set(engine.back(_session()))


def _on_restart() -> None:
    # The tree the path began in: after an automatic switch to another tree, Restart goes back there.
    _set(engine.start(_session().origin))


def _on_tree() -> None:
    _set(engine.start(st.session_state["ts_tree"]))


def _on_goto(ref: str) -> None:
    _set(engine.goto(ref))


def _on_follow() -> None:
    before = _session()
    after = engine.walk(before, {}, _evidence())
    _set(after)
    if after.steps == before.steps:
        st.session_state["ts_follow_note"] = _(
            "The evidence does not answer this question: check it with the commands below and choose an answer."
        )


def _analyze(text: str | None, data: bytes | None, name: str | Msg, source: str) -> None:
    fmt = st.session_state.get("ts_format", "auto")
    try:
        result = analyzer.analyze_bytes(data, fmt, name) if data is not None else analyzer.analyze_text(text or "", fmt)
    except LabError as err:
        st.session_state[S_ERROR] = render(err, current())
        return
    st.session_state[S_ERROR] = ""
    st.session_state[S_ANALYSIS] = result
    st.session_state[S_SOURCE] = source
    if data is not None:
        text = data.decode("utf-8-sig", errors="replace")
    st.session_state[S_TEXT] = text or ""
    _rebuild_scopes()


def _upload_limit_mb() -> int:
    try:
        return int(st.get_option("server.maxUploadSize"))
    except (RuntimeError, TypeError, ValueError):
        return 200


def _on_analyze() -> None:
    upload = st.session_state.get("ts_upload")
    text = st.session_state.get("ts_log_text", "")
    if upload is not None and not text.strip():
        _analyze(None, upload.getvalue(), M("The file {name}", name=upload.name), _("uploaded file {name}", name=upload.name))
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
        st.session_state[S_ERROR] = _("The sample log cannot be loaded: {error}", error=render(err, current()))
        return
    _analyze(st.session_state["ts_log_text"], None, "", _("sample log {name}", name=name))


def _on_shared() -> None:
    text = st.session_state.get("shared_log_text")
    snapshot = st.session_state.get("shared_snapshot")
    if not isinstance(snapshot, Snapshot):
        snapshot = None  # only a lab.model.Snapshot carries evidence
    st.session_state[S_SNAPSHOT] = snapshot
    if snapshot is not None:
        # The snapshot's own log records are split by tunnel (the shared text is the same lines, shown as an
        # analysis only); a snapshot without records takes the text as its log.
        has_logs = bool(snapshot.logs)
        st.session_state[S_TEXT] = "" if has_logs or not isinstance(text, str) else text
        _rebuild_scopes()
        if isinstance(text, str) and text.strip():
            try:
                st.session_state[S_ANALYSIS] = analyzer.analyze_text(text)
            except LabError as err:
                st.session_state[S_ERROR] = render(err, current())
        st.session_state[S_SOURCE] = _("snapshot '{label}'", label=snapshot.label)
        st.session_state[S_ERROR] = st.session_state.get(S_ERROR, "")
    elif isinstance(text, str) and text.strip():
        _analyze(text, None, "", _("logs from the scenario lab / replay"))


def _on_clear() -> None:
    for key in (S_ANALYSIS, S_ERROR, S_SOURCE, S_SCOPES, S_SCOPE, S_SNAPSHOT, S_TEXT):
        st.session_state.pop(key, None)


# --- position from the URL ----------------------------------------------------------------------


def _bad_link(message: str, fallback: str) -> None:
    st.error(message)
    _set(engine.start(fallback), scroll=False)


def _sync_from_url() -> None:
    q_tree, q_node, q_answers = st.query_params.get("tree"), st.query_params.get("node"), st.query_params.get("answers")
    wanted = (q_node if q_node and "/" in q_node else f"{q_tree}/{q_node}") if q_node else (q_tree or "")
    stamp = f"{wanted}|{q_answers or ''}"
    if S_SESSION not in st.session_state:
        _set(engine.start(DEFAULT_TREE), scroll=False)
    if not wanted or stamp == st.session_state.get(S_URL):
        return
    st.session_state[S_URL] = stamp
    known = ", ".join(f"'{t}'" for t in _trees())
    fallback = q_tree if q_tree in _trees() else DEFAULT_TREE
    if q_answers:
        try:
            answers = engine.parse_answers_token(q_answers)
            first = next((k for k in answers if "/" in k), "")
            origin = first.split("/", 1)[0] if first else (q_tree or DEFAULT_TREE)
            _set(engine.walk(engine.start(origin), answers, {}), scroll=False)
        except LabError as err:
            _bad_link(_("The link's answers cannot be replayed ({error}). Showing the start of the tree '{fallback}'.",
                        error=err, fallback=fallback), fallback)
        return
    try:
        _set(engine.goto(wanted) if q_node else engine.start(wanted), scroll=False)
    except LabError:
        where = (_("node {node} in tree {tree}", node=literal(q_node), tree=literal(q_tree)) if q_node
                 else _("tree {tree}", tree=literal(q_tree)))
        _bad_link(
            _("The link points to a troubleshooter step that does not exist ({where}; the trees are {known}). "
              "Showing the start of the tree '{fallback}'.", where=where, known=known, fallback=fallback),
            fallback,
        )


def _sync_to_url() -> None:
    session = _session()
    node = session.current
    st.query_params["tree"] = node.tree
    st.query_params["node"] = node.id
    token = engine.answers_token(session)
    if token:
        st.query_params["answers"] = token
    elif "answers" in st.query_params:
        del st.query_params["answers"]
    st.session_state[S_URL] = f"{node.ref}|{token}"


def _full_link() -> str:
    session = _session()
    query = case.link(session)
    base = ""
    try:
        base = str(st.context.url or "").split("?", 1)[0]
    except (AttributeError, RuntimeError):
        base = ""
    return (base or "/troubleshooter") + query


# --- page ---------------------------------------------------------------------------------------

st.title(_("Troubleshooter"))
st.caption(
    _("Find the cause of a VPN incident: walk the decision tree (AWS's order: IKE, IPsec, tunnel, BGP or static "
      "routes), and download an incident report. Have a log? Paste it under Analyze logs, below the question: what "
      "its lines show answers the questions for you.")
)

try:
    _trees()
    families()
except LabError as err:  # shipped data is broken: say which file and why, keep the app alive
    st.error(_("The troubleshooting trees cannot be loaded: {error}", error=plain(err)))
    st.stop()

# Everything whose presence varies (messages, the scope picker, the path, the question) lives in one
# container, so the log expander below keeps its place in the page and stays open across reruns.
with st.container():
    _sync_from_url()
    if st.session_state.get("shared_log_text") or st.session_state.get("shared_snapshot") is not None:
        with st.container(border=True):
            st.markdown(_("**Logs from the scenario lab / replay are available - analyze them** to pre-answer questions."))
            st.button(_("Use them as evidence"), key="ts_use_shared", on_click=_on_shared, icon=":material/input:")

    trees = _trees()
    session = _session()
    evidence = _evidence()
    scope = _scope()

    # 1 · The question --------------------------------------------------------------------------------
    st.session_state["ts_tree"] = session.tree
    top = st.columns([3, 3.5], vertical_alignment="bottom")
    top[0].selectbox(_("Tree"), list(trees), key="ts_tree", format_func=lambda t: d("tree.title", trees[t].title),
                     on_change=_on_tree, label_visibility="collapsed")
    # One row of buttons, evenly spaced; on a phone it wraps instead of taking a line per button above the question.
    with top[1].container(horizontal=True, gap="small"):
        st.button(_("Back"), key="ts_back", on_click=_on_back, disabled=len(session.steps) <= 1,
                  icon=":material/arrow_back:")
        st.button(_("Restart"), key="ts_restart", on_click=_on_restart, icon=":material/restart_alt:")
        st.button(_("Follow the evidence"), key="ts_follow", on_click=_on_follow, disabled=not evidence,
                  icon=":material/fact_check:")

    found = _scopes()
    if len(found) > 1:
        labels = {s.key: scope_text(s.label, current()) for s in found}
        st.selectbox(
            _("Evidence from (facts of different tunnels are never combined)"),
            list(labels),
            key=S_SCOPE,
            format_func=lambda k: labels[k],
        )
    elif scope is not None:
        st.caption(_("Evidence from: {scope}", scope=views.esc(scope_text(scope.label, current()))))
    for note in scope.notes if scope else ():
        st.caption(views.esc(note))

    note = st.session_state.pop("ts_follow_note", "")
    if note:
        st.info(note, icon=":material/info:")
    views.path(session)
    node = session.current
    st.markdown('<div id="ts-question"></div>', unsafe_allow_html=True)  # the scroll target: our own markup only
    with st.container(border=True):
        if session.is_shortlist:
            views.shortlist(session, evidence, _on_answer)
        elif node.is_diagnosis:
            chosen = st.session_state.get("ts_family") or ""
            fix = case.fix_for(session, scope, chosen or case.log_family(scope))
            views.diagnosis(node, fix, from_log=not chosen and bool(fix and fix.family))
        else:
            views.question(node, evidence, _on_answer)
    if not session.is_diagnosis:
        views.candidates(session, evidence)
    _sync_to_url()
    st.markdown(_("**Link to this step** (paste it into the incident channel; it reproduces this position and the answers)"))
    st.code(_full_link(), language=None, wrap_lines=True)
    if st.session_state.pop(S_SCROLL, False):
        # Bring the new question into view after an answer (a fixed script; no user value goes into it).
        components.html(
            "<script>const el = window.parent.document.getElementById('ts-question');"
            "if (el) { el.scrollIntoView({behavior: 'smooth', block: 'start'}); }</script>",
            height=0,
        )


# 2 · Logs ----------------------------------------------------------------------------------------
result = st.session_state.get(S_ANALYSIS)
with st.expander(_("Analyze logs (analyzed)") if result is not None else _("Analyze logs"), expanded=False,
                 icon=":material/description:"):
    st.text_area(
        _("Paste log lines: AWS tunnel or BGP logs, or the customer gateway's (strongSwan, libreswan, Cisco, Juniper, "
          "FortiGate, Palo Alto, MikroTik, BGP daemons and more; see Format)"),
        key="ts_log_text",
        height=160,
        placeholder='{"event_timestamp":1764404400000,"details":"AWS tunnel DPD timed out after 3 retransmits",...}',
    )
    if pasted := st.session_state.get("ts_log_text") or "":
        # What the app has of the paste (a text area hands it over on Ctrl+Enter or when it loses focus): a long
        # paste that a browser or a chat cut short shows here before it is analyzed.
        with st.container(key="ts_received"):
            lines = pasted.count("\n") + (not pasted.endswith("\n"))  # (no list of lines for a 20 MB paste)
            st.caption(_n("{n} line, {chars} characters received", "{n} lines, {chars} characters received",
                          lines, chars=f"{len(pasted):,}"))
    st.file_uploader(_("…or upload a log file (text, or gzip as logs are rotated; up to 20 MB)"), key="ts_upload")
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

if result is not None:
    with st.container(border=True):
        st.markdown(_("**Log analysis** of the {source}", source=views.esc(st.session_state.get(S_SOURCE, _("log")))))
        views.analysis(result, _on_goto)
elif found:
    st.caption(_("Evidence from the {source}: {count} facts.", source=views.esc(st.session_state.get(S_SOURCE, _("snapshot"))),
                 count=len(evidence)))

# 3 · Report --------------------------------------------------------------------------------------
st.subheader(_("Incident report"))
fix = (case.fix_for(session, scope, st.session_state.get("ts_family") or case.log_family(scope))
       if session.is_diagnosis else None)
report = build_report(result, session, evidence, scope=scope.label if scope else "", fix=fix, lang=current())
st.download_button(
    _("Download incident report (Markdown)"),
    data=report,
    file_name=f"vpn-incident-{datetime.now(UTC):%Y%m%d-%H%M}.md",
    mime="text/markdown",
    key="ts_download",
    icon=":material/download:",
)
with st.expander(_("Preview the report")):
    # Rendered Markdown; every log value in it is masked and fenced or escaped by build_report, and
    # Streamlit does not render raw HTML here.
    st.markdown(mask_secrets(report))
