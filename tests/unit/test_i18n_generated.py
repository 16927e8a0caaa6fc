"""Text the lab generates, in Korean: the analyzer's diagnosis, notes and input errors, the simulator's verdict and
steps, the scenario diagrams' and the Monitor chart's labels, the incident report and the CLI's help and errors.
The plain packages stay plain: they return messages (`lab.i18n.Msg`, English as strings) or take a language,
and never import streamlit."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from lab import i18n
from lab.analyzer import analyze_bytes, analyze_text
from lab.analyzer.samples import sample_logs
from lab.errors import InputError
from lab.i18n import render

HANGUL = re.compile(r"[\uac00-\ud7a3]")
QUOTED = re.compile(r"'[^']*'")


def english_run(text: str) -> str:
    """The first run of four or more English words in a row (a quotation from AWS's documentation excepted)."""
    m = re.search(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){3,}\b", QUOTED.sub("", text))
    return m.group(0) if m else ""


def korean(text: str) -> bool:
    return bool(HANGUL.search(text)) and not english_run(text)


@pytest.mark.parametrize("sample", sample_logs(), ids=lambda s: s.name)
def test_diagnosis_summary_and_reasoning_in_korean_json_stays_english(sample) -> None:
    analysis = analyze_text(sample.text())
    p = analysis.primary
    assert p is not None
    assert korean(p.summary_in("ko")), p.summary_in("ko")
    assert all(korean(r) for r in p.reasoning_in("ko")), p.reasoning_in("ko")
    assert p.summary_in("en") == p.summary and not HANGUL.search(json.dumps(analysis.to_json()))


def test_analyzer_notes_and_input_errors_in_korean() -> None:
    analysis = analyze_text(sample_logs()[2].text().replace("\n", "\r\n"))
    assert analysis.notes and all(korean(render(n, "ko")) for n in analysis.notes)
    for bad in (b"", b"\x00\x01binary", b"caf\xe9 line\n"):
        with pytest.raises(InputError) as info:
            analyze_bytes(bad, name=i18n.M("The file {name}", name="cgw.log"))
        assert korean(render(info.value, "ko")) and "cgw.log" in render(info.value, "ko")
        assert not HANGUL.search(str(info.value))  # English where no language is asked for


@pytest.mark.parametrize(("scenario", "failure"), [
    ("s1", "cgw-down:cgw-a@60+120"), ("s2", "cgw-down:cgw-a@60"), ("s3", "cgw-link-down:cgw-a@60"),
    ("s4", "cgw-down:cgw-a@60"), ("s1", "endpoint-replacement:tunnel-1@60"), ("s1", "ike-delete:tunnel-1@60"),
    ("s1", "idle@60+300"), ("s1", "psk-mismatch:tunnel-1@60+200"), ("s4", "bgp-reset:tunnel-1@60"),
])
def test_simulator_verdict_and_steps_in_korean(scenario: str, failure: str) -> None:
    from lab.sim import simulate
    from lab.sim.failures import parse_failure

    outcome = simulate(scenario, [parse_failure(failure)], duration_s=600).outcome
    assert korean(outcome.verdict_text("ko")), outcome.verdict_text("ko")
    assert outcome.explanation
    for _t, step in outcome.explanation:
        assert korean(render(step, "ko")), render(step, "ko")
        assert not HANGUL.search(step)


def _figure_texts(figure: object) -> list[str]:
    from lab.i18n.figures import FIELDS, localize_dict

    out: list[str] = []

    def walk(node: object, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, "title" if k == "title" and isinstance(v, str) else k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and (key in FIELDS or key == "title"):
            out.append(node)

    walk(localize_dict(figure.to_dict(), "ko"))  # type: ignore[attr-defined]
    return out


def test_scenario_diagrams_and_monitor_chart_labels_in_korean() -> None:
    from lab import replay
    from lab.figures.monitor import connection_figure
    from lab.figures.simulation import timeline_figure, topology_figure
    from lab.sim import simulate
    from lab.sim.failures import parse_failure

    result = simulate("s2", [parse_failure("cgw-down:cgw-a@60")], duration_s=300)
    snapshot = replay.snapshot("psk-mismatch-after-rotation")
    figures = [topology_figure(result, lang="ko"), timeline_figure(result, lang="ko"),
               connection_figure(snapshot, snapshot.connections[0].id, "ko")]
    for figure in figures:
        left = [t for t in _figure_texts(figure) if english_run(re.sub(r"<[^>]+>", " ", t))]
        assert left == []
    english = connection_figure(snapshot, snapshot.connections[0].id, "en").to_json()
    assert "TunnelState per tunnel" in english and not HANGUL.search(english)


def test_incident_report_in_the_language_asked_for() -> None:
    from lab.triage.report import build_report
    from lab.triage.tree import goto

    analysis = analyze_text(sample_logs()[3].text())
    session = goto(analysis.primary.tree_node)  # type: ignore[union-attr]
    ko = build_report(analysis, session, lang="ko")
    en = build_report(analysis, session, lang="en")
    assert ko.startswith("# VPN 장애 보고서") and "## 요약" in ko and "## 참고 자료" in ko
    assert en.startswith("# VPN incident report") and not HANGUL.search(en)
    log_lines = set(sample_logs()[3].text().splitlines())
    # Log lines stay as written; links keep the title of the document they open.
    prose = [line for line in ko.splitlines() if line and not line.startswith(("line ", "```", "{", "- ["))
             and not any(line.endswith(x) for x in log_lines)]
    assert [line for line in prose if english_run(line)] == []
    # The evidence and findings listings number their lines in Korean too.
    assert not any(line.startswith("line ") for line in ko.splitlines()) and "번째 줄" in ko


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    environment = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "lab.cli", *args], capture_output=True, text=True, env=environment,
                          timeout=120, check=False)


def test_cli_help_and_errors_in_korean_with_lang_or_locale() -> None:
    out = _cli("simulate", "--help", "--lang", "ko")
    assert out.returncode == 0 and "사용법:" in out.stdout and "옵션:" in out.stdout and "장애 목록" in out.stdout
    out = _cli("logs", "--help", env={"LANG": "ko_KR.UTF-8"})
    assert out.returncode == 0 and "사용법:" in out.stdout and "로그 형식(기본값: 자동 감지)" in out.stdout
    # The list of supported formats is in Korean too: its heading and what each format is.
    assert "지원하는 형식" in out.stdout and "supported formats" not in out.stdout
    assert "AWS Site-to-Site VPN 터널 로그와 BGP 로그(CloudWatch JSON)" in out.stdout
    out = _cli("simulate", "s9", "--lang", "ko")
    assert out.returncode == 2 and "알 수 없는 시나리오 's9'" in out.stderr and "Traceback" not in out.stderr
    out = _cli("simulate", "--bogus", env={"LANG": "ko_KR.UTF-8"})
    assert out.returncode == 2 and "알 수 없는 인수: --bogus" in out.stderr
    out = _cli("simulate", "--help")
    assert out.returncode == 0 and "usage:" in out.stdout and not HANGUL.search(out.stdout)


def test_cli_simulation_in_korean() -> None:
    out = _cli("simulate", "s2", "--fail", "cgw-down:cgw-a@60", "--lang", "ko")
    assert out.returncode == 0
    verdict_and_steps = out.stdout.split("무슨 일이 있었나:")[1].split("\n\n")[0]
    assert "고객 게이트웨이 A" in verdict_and_steps and "Customer gateway A" not in verdict_and_steps
    assert "사람 개입 필요" in out.stdout


def test_plain_packages_do_not_import_streamlit() -> None:
    code = ("import sys; import lab.analyzer, lab.sim, lab.figures.simulation, lab.triage.report, lab.figures.monitor, "
            "lab.i18n, lab.cli; print('streamlit' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    assert out.stdout.strip() == "False"
