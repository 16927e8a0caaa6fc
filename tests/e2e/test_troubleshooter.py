"""Browser test: from a pasted log to a diagnosis and a downloaded report, for the DPD and the IKE_SA cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from lab import DATASETS_DIR
from tests.e2e.conftest import (
    ANALYSIS_MS,
    analyze_paste,
    choose,
    click_and_wait,
    open_log_form,
    shoot_sizes,
    wait_idle,
)

pytestmark = pytest.mark.e2e

SAMPLES = DATASETS_DIR / "samples"


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _click(page, name: str, then: str) -> None:
    """Click a button, then wait until the page shows `then` (the script may not have started yet). A click that
    lands while the page is still redrawing after the previous answer can be lost on a loaded machine (seen in a
    full parallel run, never alone): when the button is still there, click it again once, as a user would."""
    button = page.get_by_role("button", name=name, exact=True).first
    button.click()
    shown = page.get_by_text(then).first
    try:
        shown.wait_for(timeout=ANALYSIS_MS)
    except PlaywrightTimeout:
        if button.is_visible():
            button.click()
        shown.wait_for()
    wait_idle(page)


def _download_report(page, tmp_path: Path, name: str) -> str:
    wait_idle(page)
    button = page.get_by_test_id("stDownloadButton").get_by_role("button")
    button.scroll_into_view_if_needed()
    with page.expect_download() as info:
        button.click()
    target = tmp_path / name
    info.value.save_as(target)
    return target.read_text(encoding="utf-8")


def test_dpd_case_from_pasted_log_to_report(app_url: str, page, shoot, tmp_path: Path) -> None:
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    page.get_by_role("heading", name="Troubleshooter").first.wait_for()  # pictured by test_screens.py

    analyze_paste(page, (SAMPLES / "aws-dpd-timeout.jsonl").read_text())
    page.get_by_text("Primary diagnosis: Dead peer detection timed out").first.wait_for()
    _no_exception(page)
    shoot("troubleshooter-dpd-analysis")

    _click(page, "Go to this node in the troubleshooter", "Is the customer gateway up and reachable now?")
    page.wait_for_url(re.compile(r"tree=tunnel-down&node=dpd-peer-alive"))
    _click(page, "Yes - it is up and reachable", "What is the tunnel's DPD timeout action?")
    _click(page, "clear (the default)", "After DPD cleared the tunnel, which side starts IKE again")
    _click(page, "add - the customer gateway must initiate", "Diagnosis: DPD cleared the tunnel and nobody brings it back")
    page.wait_for_url(re.compile(r"node=d-dpd-clear-add"))
    _no_exception(page)
    shoot("troubleshooter-dpd-diagnosis")

    report = _download_report(page, tmp_path, "dpd.md")
    assert report.startswith("# VPN incident report")
    assert "DPD cleared the tunnel and nobody brings it back" in report
    assert "Is the customer gateway up and reachable now? **Yes - it is up and reachable** - answered by the person" in report
    assert "AWS tunnel DPD timed out after 3 retransmits" in report


def test_ike_sa_case_from_pasted_log_to_report(app_url: str, page, shoot, tmp_path: Path) -> None:
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    analyze_paste(page, (SAMPLES / "aws-ike-sa-deleted.jsonl").read_text())
    page.get_by_text("Primary diagnosis: The peer deleted the IKE SA").first.wait_for()
    # Walk from the start: the log's evidence pre-answers the questions it can, the user answers the rest.
    _click(page, "Both tunnels are down", "Is there any IKE traffic at all")
    page.get_by_text("Evidence suggests").first.wait_for()
    shoot("troubleshooter-evidence-suggestion")
    _click(page, "Follow the evidence", "Was the tunnel set up again after the Delete")
    _click(page, "add - the customer gateway must initiate", "Diagnosis: Delete IKE_SA from the customer gateway, nobody re-initiates")
    _no_exception(page)
    shoot("troubleshooter-ike-sa-diagnosis")

    report = _download_report(page, tmp_path, "ike-sa.md")
    assert "Delete IKE_SA from the customer gateway, nobody re-initiates" in report
    assert "ike_sa_deleted_by_peer" in report
    assert "AWS tunnel received DELETE for IKE_SA from CGW" in report
    assert "answered automatically by evidence" in report


def test_bad_upload_and_unknown_link_get_clear_messages(app_url: str, page, shoot) -> None:
    page.goto(f"{app_url}/troubleshooter?tree=nope&node=x")
    wait_idle(page)
    page.get_by_text("node x in tree nope", exact=False).first.wait_for()
    page.get_by_text("How many tunnels of the VPN connection are DOWN right now?").first.wait_for()
    open_log_form(page)
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "capture.pcap", "mimeType": "application/vnd.tcpdump.pcap",
                "buffer": b"\xd4\xc3\xb2\xa1\x02\x00\x04\x00" + bytes(16) + b"binary data"}]
    )
    # the uploader sends the file in the background: Analyze reads it once its name shows (on a busy machine the
    # click could otherwise come first and find no file)
    page.get_by_text("capture.pcap").first.wait_for()
    wait_idle(page)
    open_log_form(page)
    # A click that lands while the upload's own rerun redraws the form is lost (as a user's would be, who clicks
    # again): click until the message is there, at most three times.
    for _ in range(3):
        click_and_wait(page, page.get_by_role("button", name="Analyze", exact=True).first)
        if page.get_by_text("looks binary").count():
            break
    # the message is written in the log form's expander: the rerun may have drawn it closed
    open_log_form(page)
    page.get_by_text("looks binary").first.wait_for()
    _no_exception(page)
    shoot("troubleshooter-bad-input")


SIZES = {"1920x1080": (1920, 1080), "1400x900": (1400, 900), "390x844": (390, 844)}


def test_not_sure_candidates_and_a_diagnosis_with_device_commands(app_url: str, page, tmp_path: Path) -> None:
    """The question comes first (at every size); 'Not sure' lists what is still possible; a replay's link
    reaches a fix with the device's commands."""
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    question = page.get_by_text("How many tunnels of the VPN connection are DOWN right now?").first
    question.wait_for()
    for size, (width, height) in sorted(SIZES.items(), key=lambda item: item[0] == "1400x900"):  # (ends as it goes on)
        page.set_viewport_size({"width": width, "height": height})
        question.wait_for()
        box = question.bounding_box()
        assert box is not None and box["y"] < height, f"the question is on the first screen at {size}"
    page.set_viewport_size({"width": 1400, "height": 900})  # the pictures of this page: test_screens.py

    # "Diagnoses still possible" is on the page before the click too: wait for the link that carries the answer.
    page.get_by_role("button", name="Not sure - keep every branch open and ask what tells them apart",
                     exact=True).first.click()
    page.locator('[data-testid="stCode"]', has_text="answers=").last.wait_for()
    wait_idle(page)
    link = page.locator('[data-testid="stCode"]', has_text="answers=").last.inner_text()
    assert link.startswith("http") and "answers=tunnel-down/scope" in link
    _no_exception(page)
    shoot_sizes(page, tmp_path, "troubleshooter-not-sure")

    # The CLI's link for a replay reaches the same position on the page; then the person answers.
    page.goto(f"{app_url}/troubleshooter?tree=tunnel-down&node=path-open&answers="
              "tunnel-down/scope:1e,tunnel-down/ike-traffic:1e,tunnel-down/phase1-state:2e,"
              "tunnel-down/phase1-cause:3e,tunnel-down/dpd-peer-alive:1e")
    wait_idle(page)
    page.get_by_text("Do UDP 500, UDP 4500 and ESP").first.wait_for()
    assert page.get_by_text("(automatic)").count() > 0
    _click(page, "Everything passes and addresses are right, still no answer", "Diagnosis: The customer gateway does not answer")
    page.get_by_text("Your customer gateway").first.wait_for()
    wait_idle(page)
    picker = page.get_by_test_id("stSelectbox").filter(has_text="Your customer gateway").first
    choose(page, picker, "Cisco ASA")
    page.get_by_text("show crypto ikev2 sa").first.wait_for()
    _no_exception(page)
    shoot_sizes(page, tmp_path, "troubleshooter-diagnosis-commands")
    page.get_by_text("Preview the report").first.click()
    page.get_by_role("heading", name="VPN incident report").first.wait_for()
    shoot_sizes(page, tmp_path, "troubleshooter-report-preview")


def test_a_rekey_diagnosis_shows_the_lines_that_led_to_it(app_url: str, page, shoot) -> None:
    # libreswan/libreswan#515 (a development excerpt of the real-log corpus): the Child SA comes up, its rekey is
    # refused. The page names the rekey and shows its chain of lines (the SA that was up, the rekey, the refusal).
    log = (DATASETS_DIR / "real-logs" / "dev" / "libreswan-v2-vsrx-child-rekey-no-proposal.log").read_text()
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    analyze_paste(page, log)
    page.get_by_text("Primary diagnosis: Rekey problem (a collision, a failed rekey or lifetimes out of step)").first.wait_for()
    page.get_by_text("Line 6: an SA was established before it").first.wait_for()
    chain = page.get_by_text("Lines that led to the diagnosis, in order").first
    chain.scroll_into_view_if_needed()
    _no_exception(page)
    shoot("troubleshooter-rekey-chain")


# Every word of the given cells on one line: a word that wraps inside itself spans two lines of boxes.
_WORDS_SPLIT_JS = """(sel) => {
  const split = [];
  let cells = 0;
  for (const td of document.querySelectorAll(sel)) {
    cells += 1;
    const walker = document.createTreeWalker(td, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      for (const m of n.data.matchAll(/\\S+/g)) {
        const r = document.createRange();
        r.setStart(n, m.index);
        r.setEnd(n, m.index + m[0].length);
        if (new Set([...r.getClientRects()].map((b) => Math.round(b.top))).size > 1) split.push(m[0]);
      }
    }
  }
  return {cells, split};
}"""


def test_on_a_korean_phone_the_tables_keep_their_label_words_whole(app_url: str, page, shoot) -> None:
    # Huawei VRP's PEER_STATE_CHG, down then up (tests/unit/test_analyzer_bgp.py): the label column reads
    # "BGP 세션 다운" / "BGP 세션 업"; on a phone it had broken inside the words ("세/션 다/운") while the message
    # column beside it may still break its long tokens anywhere
    # (after 120 lines of other output: the line numbers have three digits, which must not break either)
    log = "".join(f"Sep 22 2026 14:15:{n % 60:02d} BGP-RT.02 %%01SHELL/5/CMDRECORD(s):CID=0x1;Recorded command "
                  f"information. (Task=VT0, Ip=192.0.2.9, User=admin, Command=\"display bgp peer {n}\")\n"
                  for n in range(120)) + "".join(
        f"Sep 22 2026 14:16:{s} BGP-RT.02 %%01BGP/6/PEER_STATE_CHG(l):CID=0x801304ef;The state of the peer changed "
        f"after receiving an event. (PrevState={a}, CurrState={b}, InputEvent={e}, Peer=45.68.79.254, "
        "SourceInterface=-, VpnInstance=_public_)\n"
        for s, a, b, e in (("07", "ESTABLISHED", "IDLE", "RECV_ERROR"), ("41", "OPENCONFIRM", "ESTABLISHED", "RECV_KA")))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{app_url}/troubleshooter?lang=ko")
    wait_idle(page)
    analyze_paste(page, log, expander="로그 분석", button="분석", verdict="주요 진단")
    for table in ("ts_chain_table", "ts_lines_table"):
        found = page.evaluate(_WORDS_SPLIT_JS, f".st-key-{table} [data-testid='stTable'] td:nth-last-child(2)")
        assert found["cells"] == 2 and found["split"] == [], (table, found)
        numbers = page.evaluate(_WORDS_SPLIT_JS, f".st-key-{table} [data-testid='stTable'] td:nth-last-child(3)")
        assert numbers["cells"] == 2 and numbers["split"] == [], (table, numbers)
    # the table still fits the phone's width
    assert page.evaluate("document.querySelector('.st-key-ts_chain_table [data-testid=stTable]').scrollWidth") <= 390
    page.locator(".st-key-ts_chain_table").scroll_into_view_if_needed()
    _no_exception(page)
    shoot("troubleshooter-korean-phone-line-tables")
