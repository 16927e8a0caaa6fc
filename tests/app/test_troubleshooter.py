"""AppTest: the Troubleshooter page - tree walk, back/restart, deep links, log analysis, bad input, hand-off."""

from __future__ import annotations

from datetime import UTC, datetime

from lab import DATASETS_DIR
from lab.model import Event, Snapshot, Tunnel, TunnelOptions, VpnConnection

PAGE = "ui/pages/troubleshooter.py"
DPD_LOG = (DATASETS_DIR / "samples" / "aws-dpd-timeout.jsonl").read_text()
DELETE_LOG = (DATASETS_DIR / "samples" / "aws-ike-sa-deleted.jsonl").read_text()
UNREACHABLE_LOG = (DATASETS_DIR / "samples" / "strongswan-dpd-unreachable.log").read_text()
# charon refuses an IKEv1 request ("no IKE config found"); its connection listing, pasted after, says IKEv2
VERSION_REFUSAL = (
    "Nov 30 15:04:26 15[ENC] <1> parsed ID_PROT request 0 [ SA V V V V V ]\n"
    "Nov 30 15:04:26 15[IKE] <1> no IKE config found for 192.0.2.2...192.0.2.1, sending NO_PROPOSAL_CHOSEN\n"
    "Connections:\n          gw:  192.0.2.2...192.0.2.1  IKEv2, dpddelay=30s\n"
)


def _node(at) -> str:
    return f"{at.query_params['tree']}/{at.query_params['node']}"


def _analyzed(at, text: str):
    """Paste `text`, analyze it, and return the table of every matched line (line, time, category, message)."""
    at.text_area(key="ts_log_text").set_value(text)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    return next(df.value for df in at.table if "category" in df.value.columns)


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_page_opens_at_the_start_of_the_tunnel_down_tree(open_page) -> None:
    at = open_page(PAGE)
    assert not at.exception
    assert at.title[0].value == "Troubleshooter"
    assert _node(at) == "tunnel-down/scope"


def test_deep_link_opens_the_node(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="dpd-action")
    assert not at.exception
    assert "What is the tunnel's DPD timeout action?" in _texts(at)
    assert _node(at) == "tunnel-down/dpd-action"


def test_deep_link_to_a_diagnosis_shows_cause_fix_and_lesson(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="d-dpd-clear-add")
    assert not at.exception
    assert any("Diagnosis:" in s.value for s in at.success)
    assert "**Cause.**" in _texts(at) and "**Prevention.**" in _texts(at)


def test_unknown_tree_shows_a_message_and_the_start(open_page) -> None:
    at = open_page(PAGE, tree="nope", node="x")
    assert not at.exception
    assert any("node `x` in tree `nope`" in e.value and "does not exist" in e.value for e in at.error)
    assert _node(at) == "tunnel-down/scope"


def test_unknown_node_shows_a_message_and_the_tree_start(open_page) -> None:
    at = open_page(PAGE, tree="no-traffic", node="nope")
    assert not at.exception
    message = next(e.value for e in at.error if "nope" in e.value)
    assert "d-" not in message, "the message names the trees, not every node id"
    assert _node(at) == "no-traffic/start"


def test_answer_back_and_restart(open_page) -> None:
    at = open_page(PAGE)
    at.button(key="ts_answer_0").click().run()
    assert _node(at) == "tunnel-down/ike-traffic"
    at.button(key="ts_answer_1").click().run()
    assert _node(at) == "tunnel-down/who-initiates"
    at.button(key="ts_back").click().run()
    assert _node(at) == "tunnel-down/ike-traffic"
    at.button(key="ts_restart").click().run()
    assert _node(at) == "tunnel-down/scope"
    assert not at.exception


def test_tree_picker_switches_tree(open_page) -> None:
    at = open_page(PAGE)
    at.selectbox(key="ts_tree").select("no-traffic").run()
    assert _node(at) == "no-traffic/start"


def test_pasted_log_gives_a_diagnosis_and_a_link_to_its_node(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(DPD_LOG)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any("Dead peer detection timed out" in w.value for w in at.warning)
    assert len(at.table) >= 2  # the lines that led to the diagnosis, and every line that matched (wrapped tables)
    # each table under a heading of its own; the format once when only that format was seen
    assert "**Lines that led to the diagnosis, in order**" in _texts(at)
    assert "**Every line that matched a known message**" in _texts(at)
    assert any(c.value.startswith("Format: aws-json · ") for c in at.caption)
    at.button(key="ts_goto_primary").click().run()
    assert _node(at) == "tunnel-down/dpd-peer-alive"


def test_pasted_vpn_status_is_named_and_its_values_shown_as_text(open_page) -> None:
    # `aws ec2 describe-vpn-connections` output, its status message replaced by a hostile one: it reads as text.
    status = (
        '{"VpnConnections": [{"VpnConnectionId": "vpn-0123456789abcdef0", "VgwTelemetry": [{"OutsideIpAddress": '
        '"203.0.113.10", "Status": "DOWN", "StatusMessage": "**IPSEC** <img src=x onerror=alert(1)> [x](javascript:1)"}]}]}'
    )
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(status)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    note = next(c.value for c in at.caption if "describe-vpn-connections" in c.value)
    # (Markdown-escaped: the page shows the characters, never bold text, an image tag or a link)
    assert "203.0.113.10" in note and "\\*\\*IPSEC\\*\\*" in note and "\\<img" in note and "\\[x\\]" in note


def test_log_evidence_preselects_an_answer(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="phase1-cause")
    at.text_area(key="ts_log_text").set_value(DELETE_LOG)
    at.button(key="ts_analyze").click().run()
    assert any("Evidence suggests" in i.value for i in at.info)
    assert any("DELETE for IKE_SA" in c.value for c in at.code)
    assert "suggested by evidence" in at.button(key="ts_answer_3").label


def test_user_can_override_the_evidence(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="phase1-cause")
    at.text_area(key="ts_log_text").set_value(DELETE_LOG)
    at.button(key="ts_analyze").click().run()
    at.button(key="ts_answer_1").click().run()
    assert _node(at) == "tunnel-down/d-auth"


def test_empty_paste_gets_a_message(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value("   ")
    at.button(key="ts_analyze").click().run()
    assert any("Nothing to analyze" in e.value and " MB is refused" in e.value for e in at.error)


def test_binary_upload_gets_a_specific_message(open_page) -> None:
    at = open_page(PAGE)
    pcap = b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16) + b"binary"
    at.file_uploader(key="ts_upload").set_value(("capture.pcap", pcap, "application/vnd.tcpdump.pcap"))
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any("looks binary" in e.value for e in at.error)


def test_a_damaged_gzip_upload_gets_a_specific_message(open_page) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("charon.log.1.gz", b"\x1f\x8b\x08\x00\x00binary", "application/gzip"))
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any("damaged gzip file" in e.value for e in at.error)


def test_non_utf8_upload_names_the_line(open_page) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("cgw.log", b"ok\ncaf\xe9 DPD\n", "text/plain"))
    at.button(key="ts_analyze").click().run()
    assert any("not UTF-8" in e.value and "line 2" in e.value for e in at.error)


def test_a_utf16_upload_from_windows_is_read(open_page) -> None:
    # Windows PowerShell 5's `>` and Out-File write UTF-16 with a byte order mark.
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("tunnel.log", DELETE_LOG.encode("utf-16"), "text/plain"))
    at.button(key="ts_analyze").click().run()
    assert not at.exception and not at.error
    assert any("deleted the IKE SA" in w.value for w in at.warning)


def test_a_rotated_gzip_upload_is_read(open_page) -> None:
    import gzip

    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("tunnel.log.1.gz", gzip.compress(DELETE_LOG.encode()), "application/gzip"))
    at.button(key="ts_analyze").click().run()
    assert not at.exception and not at.error
    assert any("deleted the IKE SA" in w.value for w in at.warning)


def test_good_upload_is_analyzed(open_page) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("tunnel.jsonl", DELETE_LOG.encode(), "application/json"))
    at.button(key="ts_analyze").click().run()
    assert any("deleted the IKE SA" in w.value for w in at.warning)


def test_shared_logs_and_snapshot_are_offered_and_used(open_page) -> None:
    at = open_page(PAGE)
    options = TunnelOptions(dpd_timeout_action="clear", startup_action="add")
    conn = VpnConnection("vpn-0123456789abcdef0", (Tunnel("203.0.113.10", options, "DOWN"), Tunnel("203.0.113.20", options, "DOWN")))
    at.session_state["shared_snapshot"] = Snapshot("replay", "dpd case", (conn,))
    at.session_state["shared_log_text"] = DPD_LOG
    at.run()
    assert "Logs from the scenario lab / replay are available" in _texts(at)
    at.button(key="ts_use_shared").click().run()
    at.button(key="ts_follow").click().run()
    assert not at.exception
    # Evidence ends at the question it cannot answer: is the peer alive after DPD?
    assert _node(at) == "tunnel-down/dpd-peer-alive"
    at.button(key="ts_answer_1").click().run()
    at.button(key="ts_follow").click().run()
    assert _node(at) == "tunnel-down/d-dpd-clear-add"


def test_report_download_is_offered_with_the_path(open_page) -> None:
    at = open_page(PAGE)
    at.button(key="ts_answer_0").click().run()
    assert at.get("download_button")
    preview = _texts(at)
    assert "# VPN incident report" in preview and "Both tunnels are down" in preview
    assert not any("# VPN incident report" in c.value for c in at.code), "the preview is rendered, not shown as source"


def test_oversize_upload_names_the_limit(open_page) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("huge.log", b"a" * (21 * 1024 * 1024), "text/plain"))
    at.button(key="ts_analyze").click().run()
    assert any("limit is 20 MB" in e.value for e in at.error)


def test_crlf_upload_is_analyzed_with_a_note(open_page) -> None:
    at = open_page(PAGE)
    at.file_uploader(key="ts_upload").set_value(("win.log", DELETE_LOG.replace("\n", "\r\n").encode(), "text/plain"))
    at.button(key="ts_analyze").click().run()
    assert any("deleted the IKE SA" in w.value for w in at.warning)
    assert any("CRLF" in c.value for c in at.caption)


def test_diagnosis_links_to_its_lesson(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="d-ike-sa-deleted-add")
    links = [el for el in at.get("page_link") if "Read the lesson" in el.proto.label]
    assert links, "the diagnosis should link to its lesson"
    assert "lessons" in links[0].proto.page
    assert "lesson=ike-sa-and-startup-action" in str(links[0].proto)


def test_a_sample_log_loads_into_the_text_box_and_is_analyzed(open_page) -> None:
    at = open_page("ui/pages/troubleshooter.py")
    at.selectbox(key="ts_sample").select("aws-dpd-timeout.jsonl").run()
    at.button(key="ts_load_sample").click().run()
    assert not at.exception
    assert "AWS tunnel DPD timed out" in at.text_area(key="ts_log_text").value
    assert any("sample log aws-dpd-timeout.jsonl" in m.value for m in at.markdown)


def test_load_is_disabled_until_a_sample_is_chosen(open_page) -> None:
    at = open_page("ui/pages/troubleshooter.py")
    assert at.button(key="ts_load_sample").disabled
    at.selectbox(key="ts_sample").select("aws-dpd-timeout.jsonl").run()
    assert not at.button(key="ts_load_sample").disabled


def test_follow_the_evidence_says_when_it_cannot_answer(open_page) -> None:
    at = open_page("ui/pages/troubleshooter.py")
    at.text_area(key="ts_log_text").input('{"details":"No Proposal Match Found by AWS","ike_phase1_state":"Down"}').run()
    at.button(key="ts_analyze").click().run()
    for _ in range(3):  # follow as far as the evidence goes, then once more
        at.button(key="ts_follow").click().run()
    assert not at.exception
    assert any("does not answer this question" in i.value for i in at.info)


def test_not_sure_keeps_the_branches_open_and_lists_what_is_still_possible(open_page) -> None:
    at = open_page(PAGE)
    at.button(key="ts_not_sure").click().run()
    assert not at.exception
    assert "answers=tunnel-down/scope:%3F" in at.code[-1].value or "answers=tunnel-down/scope:?" in at.code[-1].value
    table = "\n".join(str(t.value) for t in at.table)
    assert "The customer gateway does not answer" in table and "BGP ASN mismatch" in table
    assert "Any IKE traffic → " in table


def test_every_question_offers_not_sure(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="maintenance")
    assert at.button(key="ts_not_sure").label.startswith("Not sure")


def test_follow_the_evidence_moves_after_a_log_analysis(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(DPD_LOG)
    at.button(key="ts_analyze").click().run()
    at.button(key="ts_follow").click().run()
    assert not at.exception
    assert _node(at) != "tunnel-down/scope"
    assert "(automatic)" in "\n".join(c.value for c in at.caption)


def test_restart_after_an_automatic_switch_restarts_the_tree_the_path_began_in(open_page) -> None:
    at = open_page(PAGE)
    at.button(key="ts_answer_2").click().run()  # both tunnels UP -> the no-traffic tree
    assert _node(at) == "no-traffic/start"
    at.button(key="ts_restart").click().run()
    assert _node(at) == "tunnel-down/scope"


def test_a_link_with_answers_reproduces_the_position(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="who-initiates", answers="tunnel-down/scope:1,tunnel-down/ike-traffic:2")
    assert not at.exception
    assert _node(at) == "tunnel-down/who-initiates"
    assert "Which tunnels are down → Both tunnels are down (you)" in "\n".join(c.value for c in at.caption)


def test_a_link_with_a_bad_answer_is_named(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="scope", answers="tunnel-down/scope:9")
    assert not at.exception
    assert any("cannot be replayed" in e.value for e in at.error)


def test_conflicting_evidence_shows_both_pieces_and_picks_nothing(open_page) -> None:
    """The snapshot says the tunnel came back after DPD; the customer gateway's log says nothing answered."""
    t0 = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)
    conn = VpnConnection("vpn-0123456789abcdef0", (Tunnel("203.0.113.10", TunnelOptions(), "DOWN"), Tunnel("203.0.113.20", TunnelOptions(), "UP")))
    events = (Event(t0, "dpd-timeout", "DPD", tunnel_ip="203.0.113.10"), Event(t0.replace(minute=5), "tunnel-up", "", tunnel_ip="203.0.113.10"))
    at = open_page(PAGE, tree="tunnel-down", node="dpd-peer-alive")
    at.session_state["shared_snapshot"] = Snapshot("replay", "conflict", (conn,), events=events)
    at.session_state["shared_log_text"] = UNREACHABLE_LOG
    at.run()
    at.button(key="ts_use_shared").click().run()
    assert not at.exception
    assert any("evidence disagrees" in w.value for w in at.warning)
    pieces = "\n".join(c.value for c in at.code)
    assert "yes - connection vpn-0123456789abcdef0" in pieces and "no - connection vpn-0123456789abcdef0" in pieces
    assert not any("suggested by evidence" in b.label for b in at.button)


def test_analysis_lists_the_lines_that_led_to_the_diagnosis_in_order_with_facts(open_page) -> None:
    """A newest-first paste: the chain is shown oldest first, and the facts the lines carry as text."""
    lines = [
        "Nov 29 10:00:02 cgw charon: 09[CFG] configured proposals: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
        "Nov 29 10:00:01 cgw charon: 09[CFG] received proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024",
        "Nov 29 10:00:00 cgw charon: 09[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) ]",
    ]
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value("Nov 29 10:00:03 cgw charon: 09[IKE] no acceptable proposal found\n" + "\n".join(lines))
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    frames = [df.value for df in at.table]
    # Syslog lines carry no year, so no line has a time here: the empty time column is left out.
    chain = next(f for f in frames if list(f.columns) == ["line", "event", "message"])
    assert list(chain["line"]) == [3, 2, 1]  # oldest first: received, configured proposals, the refusal
    assert "Proposals listed" in list(chain["event"])  # the event kinds in words too
    facts = next(f for f in frames if list(f.columns) == ["fact", "value"])
    values = dict(zip(facts["fact"], facts["value"], strict=True))
    # Each fact is named in words (the `--json` keys stay the contract of the command line).
    assert "3DES" in values["Algorithms named"] and "MODP_1024" in values["Algorithms named"]
    assert "MODP_1024" in values["Proposals received"]
    assert not any("_" in name for name in values)


def test_a_line_read_as_another_cause_than_its_words_says_so_in_the_chain(open_page) -> None:
    """charon refuses an IKEv1 request with "no IKE config found" (words of an address/identity refusal); with its
    connection listing saying IKEv2 the diagnosis is a version mismatch, and the chain says how the line was read
    instead of naming only an authentication failure under a version-mismatch diagnosis."""
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(VERSION_REFUSAL)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    chain = next(df.value for df in at.table if list(df.value.columns) == ["line", "event", "message"])
    refusal = chain[chain["line"] == 2]["event"].iloc[0]
    assert refusal == "Authentication failed (read here as: IKE version mismatch (IKEv1 vs IKEv2))"
    # A line read as what its words name keeps its plain label.
    at.text_area(key="ts_log_text").set_value(DPD_LOG)
    at.button(key="ts_analyze").click().run()
    chain = next(df.value for df in at.table if "event" in df.value.columns)
    assert not any("read here as" in e for e in chain["event"])


def test_the_line_read_as_another_cause_says_so_in_korean(open_page) -> None:
    from lab.i18n import reset_language, set_language, t

    token = set_language("ko")  # AppTest formats the tree picker's options in the test process: same language
    try:
        at = open_page(PAGE, lang="ko")
        at.text_area(key="ts_log_text").set_value(VERSION_REFUSAL)
        at.button(key="ts_analyze").click().run()
        assert not at.exception
        event = t("event", "ko")
        chain = next(df.value for df in at.table if event in df.value.columns)
        assert "인증 실패 (이 진단에서 읽은 원인: IKE 버전 불일치" in " ".join(chain[event])
    finally:
        reset_language(token)


def test_the_time_column_shows_when_the_lines_have_times(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(DPD_LOG)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    chain = next(df.value for df in at.table if "event" in df.value.columns)
    assert list(chain.columns) == ["line", "time", "event", "message"]
    assert all(chain["time"])
    findings = next(tb.value for tb in at.table if "category" in tb.value.columns)
    assert "time" in findings.columns


def test_the_facts_are_named_in_the_page_language(open_page) -> None:
    from lab.i18n import reset_language, set_language

    token = set_language("ko")  # AppTest formats the tree picker's options in the test process: same language
    try:
        _facts_in_korean(open_page)
    finally:
        reset_language(token)


def _facts_in_korean(open_page) -> None:
    from lab.i18n import t

    at = open_page(PAGE, lang="ko")
    at.text_area(key="ts_log_text").set_value(
        "Nov 29 10:00:01 cgw charon: 09[CFG] received proposals: IKE:3DES_CBC/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024\n"
        "Nov 29 10:00:03 cgw charon: 09[IKE] no acceptable proposal found")
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    columns = [t("fact", "ko"), t("value", "ko")]
    facts = next(df.value for df in at.table if list(df.value.columns) == columns)
    names = list(facts[columns[0]])
    assert "언급된 알고리즘" in names and "받은 제안" in names
    chain = next(df.value for df in at.table if t("event", "ko") in df.value.columns)
    assert "제안 목록" in list(chain[t("event", "ko")])
    findings = next(tb.value for tb in at.table if t("category", "ko") in tb.value.columns)
    assert all("_" not in title for title in findings[t("category", "ko")])


def test_s4_scenario_lab_handoff_follows_each_tunnel_to_its_own_failure(open_page) -> None:
    """Scenario lab -> S4, cgw-down on cgw-a at 60 and Delete IKE_SA on tunnel-3 at 60 -> Run -> Open in
    troubleshooter -> Follow the evidence: gateway A's tunnel is never a Delete diagnosis; tunnel-3, which
    gateway B set up again 10 s after its Delete, ends at "the tunnel was set up again"."""
    from lab.sim import Failure, simulate
    from lab.sim.export import log_text

    res = simulate("s4", [Failure("cgw-down", "cgw-a", 60), Failure("ike-delete", "tunnel-3", 60)])
    at = open_page(PAGE)
    at.session_state["shared_snapshot"] = res.snapshot
    at.session_state["shared_log_text"] = log_text(res)
    at.run()
    at.button(key="ts_use_shared").click().run()
    at.button(key="ts_follow").click().run()
    assert not at.exception
    assert "d-ike-sa-deleted" not in _node(at)
    b = res.scenario.connections[1]
    at.selectbox(key="ts_scope").set_value(f"{b.id}/{b.tunnels[0].outside_ip}").run()
    at.button(key="ts_restart").click().run()
    at.button(key="ts_follow").click().run()
    assert not at.exception
    assert _node(at) == "tunnel-down/d-ike-sa-deleted-recovered"
    captions = "\n".join(c.value for c in at.caption)
    assert "It was set up again after the Delete (by either side)" in captions and "(automatic)" in captions


QUICK_MODE_SILENCE = (
    # Openswan 2.5 (testing/pluto/basic-pluto-09/north-console.txt at xelerance/Openswan 175df9e)
    '004 "northnet--eastnet-nat" #1: STATE_MAIN_I4: ISAKMP SA established {auth=OAKLEY_RSA_SIG '
    "cipher=oakley_3des_cbc_192 prf=oakley_md5 group=modp1536}\n"
    '117 "northnet--eastnet-nat" #2: STATE_QUICK_I1: initiate\n'
    '031 "northnet--eastnet-nat" #2: max number of retransmissions (2) reached STATE_QUICK_I1.  No acceptable '
    "response to our first Quick Mode message: perhaps peer likes no proposal\n"
)


def test_a_diagnosis_from_silence_says_it_is_a_reading_of_what_the_log_does_not_show(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(QUICK_MODE_SILENCE)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "what the log does not show" in captions
    # A refusal the peer sent is named by a line: no such note.
    at.text_area(key="ts_log_text").set_value("Nov 29 10:00:03 cgw charon: 09[IKE] received NO_PROPOSAL_CHOSEN notify error\n")
    at.button(key="ts_analyze").click().run()
    assert "what the log does not show" not in " ".join(c.value for c in at.caption)


def test_a_supporting_line_read_as_another_cause_says_so_in_the_chain(open_page) -> None:
    """pluto's unanswered Quick Mode is a guess between the subnets and the proposals (an event of refused traffic
    selectors) that the reasoning reads as the phase 2 proposals: its row in the chain says so, instead of naming a
    traffic selector refusal under a proposal diagnosis."""
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(QUICK_MODE_SILENCE)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    chain = next(df.value for df in at.table if list(df.value.columns) == ["line", "event", "message"])
    assert list(chain["event"]) == ["Traffic selectors refused (read here as: Phase 2 (IPsec) proposal or PFS mismatch)"]


def test_a_failure_that_recovered_says_nothing_needs_fixing_and_points_at_the_notes(open_page) -> None:
    from lab.sim import Failure, simulate
    from lab.sim.export import log_text

    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(log_text(simulate("s4", [Failure("bgp-reset", "tunnel-1", 60)])))
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any(i.value.startswith("No failure that needs fixing was found") for i in at.info)
    assert any("came up again at line" in c.value for c in at.caption)


def test_a_log_nothing_was_recognised_in_says_no_known_failure_message(open_page) -> None:
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value("tunnel to the office is down again\nrebooted the router, no change\n")
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any(i.value.startswith("No known failure message was found") for i in at.info)
    assert not any("needs fixing" in i.value for i in at.info)


def test_a_refusal_that_names_no_setting_is_said_and_not_called_no_failure(open_page) -> None:
    # charon asks libreswan 3.29 for an IKE SA without a Child SA; 3.29 answers INVALID_SYNTAX (the lab's own log)
    from pathlib import Path

    log = Path(__file__).resolve().parents[1] / "data" / "strongswan-lab" / "cl-v2-ike-rekey-healthy" / "libreswan-3.29"
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value((log / "L.log").read_text(encoding="utf-8"))
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert any(i.value.startswith("The peer refused a request without naming a setting") for i in at.info)
    assert not any(i.value.startswith(("No known failure message", "No failure that needs fixing")) for i in at.info)
    assert any("answered IKE_AUTH with INVALID_SYNTAX" in c.value for c in at.caption)


def test_a_bgp_session_up_without_routes_is_not_called_down(open_page) -> None:
    """FRR's "show bgp summary" under its RFC 8212 check (doc/user/bgp.rst): the session is Established and
    "(Policy)" stands for the prefix counts. The page names it as such everywhere, and its node is the no-traffic
    tree's policy diagnosis."""
    at = open_page(PAGE)
    at.text_area(key="ts_log_text").set_value(
        "Neighbor        V         AS   MsgRcvd   MsgSent   TblVer  InQ OutQ  Up/Down State/PfxRcd   PfxSnt Desc\n"
        "169.254.10.1    4      64512         8        10        0    0    0 00:03:09     (Policy) (Policy) N/A\n")
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert "Primary diagnosis: **BGP up, but routes are not exchanged**" in [w.value for w in at.warning]
    frames = [df.value for df in at.table]
    chain = next(f for f in frames if list(f.columns) == ["line", "event", "message"])
    assert list(chain["event"]) == ["BGP up, routes not exchanged"]
    facts = next(f for f in frames if list(f.columns) == ["fact", "value"])
    assert "Why routes are not exchanged" in list(facts["fact"])
    assert "Why the BGP session went down" not in list(facts["fact"])
    findings = next(f for f in frames if "category" in f.columns)
    assert set(findings["category"]) == {"BGP up, but routes are not exchanged"}
    at.button(key="ts_goto_primary").click().run()
    assert _node(at) == "no-traffic/d-bgp-policy"
    assert "RFC 8212" in _texts(at)


def test_stray_esp_is_listed_as_no_cause_with_the_note_that_says_why(open_page) -> None:
    """https://pastebin.com/f2b1tc77: the same unknown SPI from two Internet addresses (a scan) is no rekey problem."""
    at = open_page(PAGE)
    findings = _analyzed(at,
        "Nov 9 21:10:13: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for "
        "destaddr=x.x.x.x, prot=50, spi=0x77B40000(2008285184), srcaddr=125.240.132.86, input interface=...\n"
        "Nov 9 21:10:16: %CRYPTO-4-RECVD_PKT_INV_SPI: decaps: rec'd IPSEC packet has invalid spi for "
        "destaddr=x.x.x.x, prot=50, spi=0x77B40000(2008285184), srcaddr=111.253.25.1, input interface=...\n")
    assert not any("Primary diagnosis" in w.value for w in at.warning)
    assert any("stray ESP from the Internet" in c.value for c in at.caption)
    assert list(findings["category"]) == ["no cause (see the notes)"] * 2


def test_a_line_that_says_the_session_came_up_is_listed_as_such(open_page) -> None:
    """BIRD's hold-timer expiry (tests/data/bgp-lab/bgp-frr-bird-hold-expired-bird-events): the session's Up lines
    belong to the "BGP session down" reading, but the matched-lines table says what they say."""
    at = open_page(PAGE)
    findings = _analyzed(at,
        "2026-12-05 15:00:42.054 <TRACE> aws: BGP session established\n"
        "2026-12-05 15:00:42.054 <TRACE> aws: State changed to up\n"
        "2026-12-05 15:00:52.232 <TRACE> aws: Hold timer expired\n"
        "2026-12-05 15:00:52.232 <TRACE> aws: Neighbor graceful restart detected\n"
        "2026-12-05 15:00:52.232 <TRACE> aws: State changed to start\n")
    assert list(findings["category"])[:2] == ["BGP session up"] * 2
    assert "BGP session down" in list(findings["category"])[2:]


def test_the_log_box_says_how_much_of_the_paste_the_app_received(open_page) -> None:
    at = open_page(PAGE)
    assert not [c for c in at.caption if "characters received" in c.value], "nothing pasted: no count"
    at.text_area(key="ts_log_text").set_value(DPD_LOG).run()
    lines = len(DPD_LOG.splitlines())
    assert any(c.value == f"{lines} lines, {len(DPD_LOG):,} characters received" for c in at.caption)
    at.text_area(key="ts_log_text").set_value("one line").run()
    assert any(c.value == "1 line, 8 characters received" for c in at.caption)
    at.query_params["lang"] = "ko"
    at.run()
    assert any(c.value == "1줄, 8자 받음" for c in at.caption)


def test_a_status_listing_row_is_named_as_a_listing_in_the_chain(open_page) -> None:
    """A listing shows a request still waiting at one moment: the chain says so, not "Request sent again" (pluto's
    `ipsec status` row as libreswan's show.c prints it, and charon's statusall row with the responder SPI still zero)."""
    at = open_page(PAGE)
    for row in ('000 #1: "AWSVPN":500 STATE_MAIN_I1 (sent MI1, expecting MR1); EVENT_RETRANSMIT in 8s; nodpd; idle',
                "peer-192.168.100.6-tunnel-1[1]: IKEv1 SPIs: cbbafc95affa94fc_i* 0000000000000000_r"):
        at.text_area(key="ts_log_text").set_value(row)
        at.button(key="ts_analyze").click().run()
        assert not at.exception
        chain = next(df.value for df in at.table if list(df.value.columns) == ["line", "event", "message"])
        assert list(chain["event"]) == ["Status listing: a request still waiting for its answer"]
