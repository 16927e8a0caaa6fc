"""Browser test: from a pasted log to a diagnosis and a downloaded report, for the DPD and the IKE_SA cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab import DATASETS_DIR
from tests.e2e.conftest import wait_idle

pytestmark = pytest.mark.e2e

SAMPLES = DATASETS_DIR / "samples"


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0


def _analyze(page, text: str) -> None:
    box = page.locator("textarea").first
    box.fill(text)
    box.press("Control+Enter")
    wait_idle(page)
    page.get_by_role("button", name="Analyze", exact=True).click()
    page.get_by_text("Primary diagnosis:").first.wait_for()
    wait_idle(page)


def _click(page, name: str, then: str) -> None:
    """Click a button, then wait until the page shows `then` (the script may not have started yet)."""
    page.get_by_role("button", name=name, exact=True).first.click()
    page.get_by_text(then).first.wait_for()
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
    page.get_by_role("heading", name="Troubleshooter").first.wait_for()
    shoot("troubleshooter-start")

    _analyze(page, (SAMPLES / "aws-dpd-timeout.jsonl").read_text())
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
    assert "Is the customer gateway up and reachable now? - **Yes - it is up and reachable**" in report
    assert "AWS tunnel DPD timed out after 3 retransmits" in report


def test_ike_sa_case_from_pasted_log_to_report(app_url: str, page, shoot, tmp_path: Path) -> None:
    page.goto(f"{app_url}/troubleshooter")
    wait_idle(page)
    _analyze(page, (SAMPLES / "aws-ike-sa-deleted.jsonl").read_text())
    page.get_by_text("Primary diagnosis: The customer gateway deleted the IKE SA").first.wait_for()
    # Walk from the start: the log's evidence pre-answers the questions it can, the user answers the rest.
    _click(page, "Both tunnels are down", "Is there any IKE traffic at all")
    page.get_by_text("Evidence suggests").first.wait_for()
    shoot("troubleshooter-evidence-suggestion")
    _click(page, "Follow the evidence", "Which side is configured to set it up again")
    _click(page, "add - the customer gateway must initiate", "Diagnosis: Delete IKE_SA from the customer gateway, nobody re-initiates")
    _no_exception(page)
    shoot("troubleshooter-ike-sa-diagnosis")

    report = _download_report(page, tmp_path, "ike-sa.md")
    assert "Delete IKE_SA from the customer gateway, nobody re-initiates" in report
    assert "ike_sa_deleted_by_peer" in report
    assert "AWS tunnel received DELETE for IKE_SA from CGW" in report
    assert "pre-answered by evidence `log.primary`" in report


def test_bad_upload_and_unknown_link_get_clear_messages(app_url: str, page, shoot) -> None:
    page.goto(f"{app_url}/troubleshooter?tree=nope&node=x")
    wait_idle(page)
    page.get_by_text("node x in tree nope", exact=False).first.wait_for()
    page.get_by_text("How many tunnels of the VPN connection are DOWN right now?").first.wait_for()
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "capture.gz", "mimeType": "application/gzip", "buffer": b"\x1f\x8b\x08\x00binary data"}]
    )
    wait_idle(page)
    _click(page, "Analyze", "looks binary")
    _no_exception(page)
    shoot("troubleshooter-bad-input")
