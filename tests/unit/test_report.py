"""The incident report: content, masking of secrets, log text kept inert."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from lab.analyzer import analyze_text
from lab.triage.evidence import from_analysis
from lab.triage.report import build_report, mask
from lab.triage.tree import answer, goto, session_with_evidence, start

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("conn aws: psk = Abc123secretKEY", "Abc123secretKEY"),
        ('198.51.100.10 203.0.113.10 : PSK "hunter2_secret"', "hunter2_secret"),
        ("crypto isakmp key s3cr3tKey address 203.0.113.10", "s3cr3tKey"),
        ("set psksecret ENC v+YyXtHgEQffwKAvfQiIKkUkGxC1kmkE9BdDeqvUx9VS7SlYYRkO9", "v+YyXtHgEQffwKAvfQ"),
        ("pre-shared-key local MyKey123", "MyKey123"),
        ('"tunnel1_preshared_key": "abcd1234_XYZ.efg"', "abcd1234_XYZ.efg"),
        ("password: Winter2026!", "Winter2026!"),
        ("token A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6 appears", "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6"),
        ("key id AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"),
    ],
)
def test_secrets_are_masked(text: str, secret: str) -> None:
    masked = mask(text)
    assert secret not in masked and "****" in masked


@pytest.mark.parametrize(
    "text",
    [
        "vpn-0123456789abcdef0 AWS tunnel DPD timed out after 3 retransmits",
        "charon: 12[CFG] selected proposal: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048",
    ],
)
def test_ordinary_log_text_is_kept(text: str) -> None:
    assert mask(text) == text


def test_report_has_every_section() -> None:
    log = (
        'psk = Abc123secretKEY\n{"details":"AWS tunnel received DELETE for IKE_SA from CGW","ike_phase1_state":"Down"}'
    )
    analysis = analyze_text(log)
    evidence = from_analysis(analysis)
    session = session_with_evidence(goto(analysis.primary.tree_node), evidence)
    session = answer(session, 0)  # startup action add
    text = build_report(analysis, session, evidence, NOW)
    for heading in ("# VPN incident report", "## Summary", "## Primary diagnosis from the logs",
                    "## Path through the troubleshooting tree", "## Recommended fix and prevention",
                    "## Findings", "## References"):
        assert heading in text
    assert "2026-11-29 03:00:00 UTC" in text
    assert "line 2" in text
    assert "Abc123secretKEY" not in text
    assert "startup action" in text.lower()


def test_report_from_the_tree_alone() -> None:
    text = build_report(None, answer(start("tunnel-down"), 0), None, NOW)
    assert "Both tunnels are down" in text and "## Next step" in text


def test_log_text_cannot_break_out_of_its_code_block() -> None:
    log = "```\n<script>alert(1)</script> AWS tunnel DPD timed out after 3 retransmits ```"
    text = build_report(analyze_text(log), None, None, NOW)
    fence = next(line for line in text.splitlines() if line.startswith("````"))
    assert fence.startswith("````")  # a longer fence than any backtick run in the log


def test_notes_that_quote_the_paste_are_escaped() -> None:
    # A pasted `aws ec2 describe-vpn-connections` is named in a note that quotes its status messages: one written to
    # start formatting, an image tag and a link reads as those characters in the report, never as Markdown or HTML.
    status = ('{"VpnConnections": [{"VgwTelemetry": [{"OutsideIpAddress": "203.0.113.10", "Status": "DOWN", '
              '"StatusMessage": "**IPSEC** <img src=x onerror=alert(1)> [x](javascript:1)"}]}]}\n')
    text = build_report(analyze_text(status), None, None, NOW)
    note = next(line for line in text.splitlines() if "describe-vpn-connections" in line)
    assert "203.0.113.10" in note
    assert "\\*\\*IPSEC\\*\\*" in note and "\\<img" in note and "\\[x\\]" in note  # (each character escaped)


def test_the_report_says_what_the_lines_say_with_the_log_s_values_escaped() -> None:
    # pluto (IKEv1) read the peer's ID, then refused it: an ID written to start formatting, an image tag and a link
    # reads as those characters in the report's facts, never as Markdown or HTML
    ident = "**east** <img src=x onerror=alert(1)> [x](javascript:1)"
    log = "\n".join([  # (tests/data/strongswan-lab/pp-v1-id/L.log, its ID replaced)
        'Dec  3 22:14:58.307379: "gw" #1: sent Main Mode I3',
        f"Dec  3 22:14:58.307807: \"gw\" #1: Peer ID is FQDN: '{ident}'",
        'Dec  3 22:14:58.307939: "gw" #1: sending encrypted notification INVALID_ID_INFORMATION to 192.0.2.2:500',
    ])
    analysis = analyze_text(log)
    assert analysis.primary is not None and analysis.primary.facts.get("id_sent") == ident
    text = build_report(analysis, None, None, NOW)
    facts = text.split("What the lines say:")[1].split("\n\n")[1].splitlines()
    assert "- Notify message: INVALID\\_ID\\_INFORMATION" in facts
    line = next(line for line in facts if line.startswith("- ID the peer sent:"))
    assert "\\*\\*east\\*\\*" in line and "\\<img" in line and "\\[x\\]" in line


def test_the_reasoning_that_quotes_the_log_is_escaped() -> None:
    # the kernel's error is quoted in the primary's reasoning (charon's netlink line, its text written to start
    # formatting, an image tag and a link): the report's reasoning reads those characters, never Markdown or HTML
    log = ("05[KNL] received netlink error: **x** <img src=x onerror=alert(1)> [x](javascript:1) (2)\n"
           "05[IKE] unable to install inbound and outbound IPsec SA (SAD) in kernel\n")
    analysis = analyze_text(log)
    assert analysis.primary is not None and analysis.primary.category == "kernel_sa_install"
    text = build_report(analysis, None, None, NOW)
    line = next(line for line in text.splitlines() if line.startswith("- Line 2:"))
    assert "\\*\\*x\\*\\*" in line and "\\<img" in line and "\\[x\\]" in line and "<img" not in line.replace("\\<img", "")


def test_the_report_reads_the_same_through_the_masking_the_page_applies_again() -> None:
    # The troubleshooter page shows the report through mask_secrets once more: the lab's own parts of it (category
    # and pattern ids, the references' link texts and addresses) must come out whole, as the log lines already masked.
    import yaml

    from lab.masking import mask_secrets

    root = Path(__file__).resolve().parents[2] / "datasets" / "real-logs"
    entries = [e for e in yaml.safe_load((root / "corpus.yaml").read_text())["entries"] if e["split"] == "dev"]
    changed = []
    for entry in entries[::8]:
        report = build_report(analyze_text((root / entry["file"]).read_text(errors="replace")), None, None)
        if mask_secrets(report) != report:
            changed.append(entry["id"])
    assert changed == []


def test_the_report_counts_lines_and_findings_in_the_right_number() -> None:
    from lab.analyzer import analyze_text
    from lab.triage.report import build_report

    one = "AWS tunnel DPD timed out after 3 retransmits\n"
    text = build_report(analysis=analyze_text(one))
    assert "Log: 1 line, format" in text and ", 1 finding." in text
