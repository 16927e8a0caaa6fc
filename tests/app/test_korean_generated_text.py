"""No English sentence on a Korean page: every page opened with `?lang=ko`, and the pages after a typical
interaction (a scenario run with a failure and each of its result tabs, a sample log analyzed with its report,
a replay's connection and audit in the Monitor), show no sentence in English - neither a catalogue message nor
text the lab generates (the simulator's verdict and steps, the analyzer's diagnosis, the report, chart labels).

What may stay English is listed, not guessed: text inside code blocks (commands, log excerpts), lines of the log
the person gave, identifiers (ids, addresses, file names: no plain word in them), names kept as written on
purpose (catalogue entries flagged `same-as-english`) and AWS's own literal values."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from lab import i18n
from lab.analyzer.samples import sample_logs
from lab.i18n.catalogue import SAME_FLAG, _read
from lab.lessons.glossary import glossary
from lab.ui.registry import PAGES, PageSpec
from tests.app.conftest import OpenPage, show_tab

HANGUL = re.compile(r"[\uac00-\ud7a3]")
WORD = re.compile(r"^[A-Za-z]{2,}[.,:;!?)]*$")  # a plain English word (not an id like tunnel-1 or cgw-a)
TIMESTAMP = re.compile(r"\d{2}:\d{2}:\d{2}|\d{4}-\d{2}-\d{2}T")
# AWS's own literal values, shown as AWS writes them (a tunnel's statusMessage).
AWS_LITERALS = {"IPSEC IS DOWN"}
TEXT_FIELDS = {"body", "label", "help", "options", "value", "caption", "placeholder", "default_value"}
PLOT_FIELDS = {"text", "hovertext", "name", "ticktext", "label", "hovertemplate", "prefix", "suffix"}


@pytest.fixture(autouse=True)
def _korean_in_the_test_process() -> Iterator[None]:
    # AppTest formats a selectbox's options in the test process, outside a page run: same language as the page.
    token = i18n.set_language("ko")
    yield
    i18n.reset_language(token)


@functools.cache
def _same_on_purpose() -> frozenset[str]:  # read once per test process
    same = set()
    for domain in ("messages", "data"):
        for entry in _read("ko", domain):
            if entry.id and SAME_FLAG in entry.flags:
                same.add(entry.id if isinstance(entry.id, str) else entry.id[0])
    return frozenset(same)


def _plot_texts(node: object, out: list[str], key: str = "") -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            _plot_texts(v, out, k)
    elif isinstance(node, list):
        for v in node:
            _plot_texts(v, out, key)
    elif isinstance(node, str) and key in PLOT_FIELDS:
        out.append(node)


def _proto_texts(msg: object, out: list[str]) -> None:
    for field, value in msg.ListFields():  # type: ignore[attr-defined]
        values = list(value) if hasattr(value, "__len__") and not isinstance(value, (str, bytes)) \
            and not hasattr(value, "ListFields") else [value]
        for v in values:
            if hasattr(v, "ListFields"):
                _proto_texts(v, out)
            elif isinstance(v, str) and field.name == "spec":
                _plot_texts(json.loads(v), out)
            elif isinstance(v, str) and field.name in TEXT_FIELDS:
                out.append(v)
            elif isinstance(v, bytes) and field.name == "data":  # a table: its header and cells
                import pyarrow as pa

                frame = pa.ipc.open_stream(v).read_all().to_pandas()
                out += [str(c) for c in frame.columns]
                out += [str(x) for col in frame.columns for x in frame[col].tolist()]


def visible_texts(at: AppTest) -> list[str]:
    """The text of every element on screen except code blocks (commands and log excerpts stay as written)."""
    out: list[str] = []

    def walk(node: object) -> None:
        if getattr(node, "type", "") in ("code", "html"):
            return
        proto = getattr(node, "proto", None)
        if proto is not None and not str(getattr(proto, "body", "")).lstrip().startswith("<style"):
            _proto_texts(proto, out)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return out


QUOTES = re.compile("'[^']*'|\"[^\"]*\"")
PHRASE = re.compile(r"(?<![-\w/.])[a-z]{2,}(?: [A-Za-z]{2,}){2,}(?![-\w/.])")


def english_phrase(line: str) -> str:
    """Three or more English words in a row, starting with a lower-case word, in a Korean line (glosses in
    parentheses, code, quotations and links left out: "데드 피어 감지(Dead Peer Detection)" is Korean)."""
    prose = re.sub(r"""\([^()]*\)|`[^`]*`|'[^']*'|"[^"]*"|\[[^\]]*\]\([^)]*\)|https?://\S+""", " ", line)
    m = PHRASE.search(prose)
    return m.group(0) if m else ""


def english_sentences(at: AppTest, given: str = "") -> list[str]:
    """Lines on screen written in English: three or more plain English words and no Korean, less what may stay."""
    same = _same_on_purpose()
    # The glossary lists each entry under its English term (what people search for and what AWS's console and
    # logs print); its expansion and definition are Korean.
    terms = {t.term for t in glossary().terms} | {a for t in glossary().terms for a in getattr(t, "aliases", ())}
    given_lines = {line.strip() for line in given.splitlines() if line.strip()}
    found = []
    for text in visible_texts(at):
        # A Korean sentence may hold an English term, not an English phrase (quotations across lines left out).
        for line in QUOTES.sub(" ", text.replace("**", "")).splitlines():
            run = english_phrase(line) if HANGUL.search(line) else ""
            # A listing row numbers a log line in Korean ("9번째 줄 [...] <the line as given>"): the log is not prose.
            if run and run not in same and run not in terms and not any(g in line for g in given_lines if len(g) > 20):
                found.append(f"{run!r} in {line.strip()!r}")
        for line in re.split(r"\n+|<br>", text.replace("**", "")):
            line = line.strip().strip("-*#>` ").strip()
            if not line:
                continue
            if HANGUL.search(line):
                continue
            # "term - expansion" (the glossary): a part kept as written on purpose is not English prose.
            line = " - ".join(p for p in line.split(" - ") if p.strip() not in same and p.strip() not in terms)
            if not line or line in same or line in terms or line in AWS_LITERALS:
                continue
            if "{" in line and "}" in line:  # the page's own CSS
                continue
            if TIMESTAMP.search(line) or any(g in line for g in given_lines if len(g) > 20) or (
                    len(line) > 15 and any(line in g for g in given_lines)):
                continue  # a log line (or part of one) the person gave or the lab generated as a log
            words = [w for w in line.split() if WORD.match(w)]
            if len(words) >= 3:
                found.append(line)
    return sorted(set(found))


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_every_page_opened_in_korean_has_no_english_sentence(open_page: OpenPage, spec: PageSpec) -> None:
    at = open_page(spec.script, lang="ko")
    assert not at.exception, [e.value for e in at.exception]
    assert english_sentences(at) == []


def test_scenario_lab_run_with_a_failure_is_korean_in_every_tab(open_page: OpenPage) -> None:
    at = open_page("ui/pages/scenario_lab.py", lang="ko")
    at.session_state["sl_scenario"] = "s4"
    at.run()
    at.session_state["sl_new_kind"] = "cgw-down"
    at.run()
    at.session_state["sl_new_target"] = "cgw-a"
    at.run()
    at.button(key="sl_add").click().run()
    at.button(key="sl_run").click().run()
    assert not at.exception, [e.value for e in at.exception]
    verdict = [e.value for e in at.error]
    assert any("사람 개입 필요" in v for v in verdict), verdict  # the simulator's verdict, in Korean
    assert english_sentences(at) == []
    for tab in ("What happened, step by step", "Same failure, S1 to S4 side by side", "Generated logs"):
        show_tab(at, "sl_results", i18n.t(tab, "ko"))
        assert not at.exception, [e.value for e in at.exception]
        assert english_sentences(at) == [], tab
    show_tab(at, "sl_results", i18n.t("What happened, step by step", "ko"))
    steps = "\n".join(m.value for m in at.markdown)
    assert "고객 게이트웨이 A" in steps and "Customer gateway A" not in steps


@pytest.mark.parametrize("sample", [s.name for s in sample_logs()])
def test_analyzed_sample_log_and_its_report_are_korean(open_page: OpenPage, sample: str) -> None:
    log = next(s for s in sample_logs() if s.name == sample).text()
    at = open_page("ui/pages/troubleshooter.py", lang="ko")
    at.text_area(key="ts_log_text").set_value(log)
    at.button(key="ts_analyze").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(m.value for m in at.markdown)
    assert "## 요약" in shown and "# VPN 장애 보고서" in shown  # the report preview
    assert english_sentences(at, given=log) == []


def test_monitor_replay_connection_and_audit_are_korean(open_page: OpenPage) -> None:
    at = open_page("ui/pages/monitor.py", lang="ko", replay="psk-mismatch-after-rotation")
    assert english_sentences(at) == []
    for tab in ("Connection", "Audit"):
        show_tab(at, "monitor_tab", i18n.t(tab, "ko"))
        assert not at.exception, [e.value for e in at.exception]
        assert english_sentences(at) == [], tab
    show_tab(at, "monitor_tab", i18n.t("Connection", "ko"))
    charts = "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))
    assert "터널별 TunnelState" in charts and "TunnelState per tunnel" not in charts


def test_the_checker_finds_an_english_sentence(open_page: OpenPage) -> None:
    """The check itself: an English page is full of English sentences."""
    at = open_page("ui/pages/scenario_lab.py")
    assert len(english_sentences(at)) > 5
