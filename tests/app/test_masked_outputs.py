"""Secrets on a matched log line never reach the page: findings table, evidence box, report preview."""

from __future__ import annotations

PAGE = "ui/pages/troubleshooter.py"
SECRET = "Abc123secretKEY"
# An AWS tunnel log line (https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html) carrying an
# extra field with a pasted Cisco ASA key line, as happens when a config dump and a log are pasted together.
LOG = (
    '{"event_timestamp":1764404400000,"details":"AWS tunnel received DELETE for IKE_SA from CGW",'
    f'"ike_phase1_state":"Down","ike_phase2_state":"Down","note":"ikev1 pre-shared-key {SECRET}"}}\n'
)


def test_findings_evidence_and_report_are_masked(open_page) -> None:
    at = open_page(PAGE, tree="tunnel-down", node="phase1-cause")
    at.text_area(key="ts_log_text").set_value(LOG)
    at.button(key="ts_analyze").click().run()
    assert not at.exception
    assert len(at.dataframe) == 1
    table = at.dataframe[0].value
    assert table.shape[0] >= 1
    assert not table.astype(str).apply(lambda col: col.str.contains(SECRET)).any().any()
    assert table["text"].str.contains("pre-shared-key \\*\\*\\*\\*", regex=True).any()
    shown = "\n".join(c.value for c in at.code)
    assert "DELETE for IKE_SA" in shown, "the evidence box and the report show the line"
    assert SECRET not in shown
    assert at.text_area(key="ts_log_text").value == LOG, "the pasted log itself is kept as entered"
