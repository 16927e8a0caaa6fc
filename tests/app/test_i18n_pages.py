"""Every page in Korean: `?lang=ko` shows the Korean heading and no English UI string from the catalogue;
the sidebar picker and `?lang=` switch the language and the choice is kept for the session."""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from lab import DATASETS_DIR, i18n
from lab.i18n.catalogue import scan
from lab.ui.registry import PAGES, PageSpec
from tests.app.conftest import APP, OpenPage


def _protos(at: AppTest) -> list[str]:
    """The text form of every element's protobuf on screen (labels, bodies, help, options, table cells)."""
    found: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            found.append(str(proto))
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return found


@functools.cache
def _content_text() -> str:
    """English content (lessons shown in English until Korean ones exist, data text not yet translated):
    a UI message that also occurs in it may rightly be on screen as part of that content."""
    from lab.i18n.data import data_messages
    from lab.lessons import load_catalog

    parts = [m.msgid for m in data_messages().values()]
    for lesson in load_catalog().lessons:
        parts += [lesson.title, lesson.summary, *lesson.objectives, *lesson.keypoints]
        parts += [getattr(b, "markdown", "") or getattr(b, "html", "") or getattr(b, "title", "") or ""
                  for b in lesson.blocks]
    return "\n".join(parts)


@functools.cache
def _ui_messages() -> dict:
    """The package's UI messages (read from its sources once per test run)."""
    return scan()[0]


def _english_leftovers(at: AppTest, *, skip_report: bool = False) -> list[str]:
    """Catalogue messages whose English text is on screen although they have a different Korean text
    (`skip_report`: leave out the incident report's preview, which is written in English)."""
    messages = _ui_messages()
    shown = "\n".join(p for p in _protos(at) if not (skip_report and "# VPN incident report" in p))
    content = _content_text()
    left = []
    for m in messages.values():
        if m.msgid in content:
            continue
        if m.plural or any(name for _, name, _, _ in string.Formatter().parse(m.msgid) if name is not None):
            continue  # a message with placeholders never appears verbatim
        if i18n.t(m.msgid, "ko") == m.msgid or "'" in m.msgid or "\"" in m.msgid:
            continue
        # Short messages ("Format") must not be a whole label; longer ones must not appear anywhere.
        needle = m.msgid if len(m.msgid.split()) >= 3 else f'"{m.msgid}"'
        if needle in shown:
            left.append(m.msgid)
    return left


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.url_path or "home")
def test_every_page_in_korean(open_page: OpenPage, spec: PageSpec) -> None:
    at = open_page(spec.script, lang="ko")
    assert not at.exception, [e.value for e in at.exception]
    headings = [t.value for t in at.title]
    assert i18n.t(spec.heading, "ko") in headings, headings
    if spec.heading != i18n.t(spec.heading, "ko"):
        assert spec.heading not in headings
    assert not _english_leftovers(at)


def test_english_is_the_default_and_stays_english(open_page: OpenPage) -> None:
    at = open_page("ui/pages/glossary.py")
    assert "Glossary" in [t.value for t in at.title]
    assert not any("용어" in t.value for t in at.title)


def test_picker_switches_the_language_and_the_session_keeps_it() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    picker = at.sidebar.selectbox(key="lang_picker")
    assert picker.value == "en"
    picker.set_value("ko").run()
    assert "VPN Lab" in [t.value for t in at.title]
    assert at.sidebar.selectbox(key="lang_picker").label == "언어"
    at.switch_page("ui/pages/lessons.py").run()  # another page, same session: still Korean
    assert "레슨" in [t.value for t in at.title]
    at.sidebar.selectbox(key="lang_picker").set_value("en").run()
    assert "Lessons" in [t.value for t in at.title]


def test_lang_parameter_wins_over_the_session_once(open_page: OpenPage) -> None:
    # (A page whose selectboxes format their options in the page language cannot be switched in AppTest,
    # which replays the old option label; the browser test switches the troubleshooter.)
    at = open_page("ui/pages/glossary.py", lang="ko")
    assert "용어집" in [t.value for t in at.title]
    at.sidebar.selectbox(key="lang_picker").set_value("en").run()  # the learner picks English afterwards
    assert "Glossary" in [t.value for t in at.title]  # ... and ?lang=ko in the URL does not undo it
    assert at.query_params["lang"] in ("en", ["en"])


def test_unknown_lang_parameter_is_named_and_the_page_works(open_page: OpenPage) -> None:
    at = open_page("ui/pages/glossary.py", lang="<b>xx</b>")
    assert not at.exception
    assert "Glossary" in [t.value for t in at.title]
    warnings = [w.value for w in at.sidebar.warning]
    assert any("does not have" in w for w in warnings), warnings
    assert not any("<b>" in w for w in warnings)  # the URL's value is not echoed into Markdown


def test_korean_lessons_fall_back_to_english_with_a_note(open_page: OpenPage) -> None:
    from lab.lessons import languages

    at = open_page("ui/pages/lessons.py", lang="ko")
    assert "레슨" in [t.value for t in at.title]
    if "ko" not in languages():
        assert any("영어로 표시" in i.value for i in at.info)


def test_profile_hook_restores_and_stores_the_language() -> None:
    from lab.ui import lang

    stored: list[str] = []
    lang.use_profile(lambda: "ko", stored.append)
    try:
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        assert at.sidebar.selectbox(key="lang_picker").value == "ko"
        at.sidebar.selectbox(key="lang_picker").set_value("en").run()
        assert stored == ["en"]
    finally:
        lang.use_profile(None, None)


def test_lesson_figures_and_scenario_diagrams_speak_korean(open_page: OpenPage) -> None:
    import json

    def chart_texts(at: AppTest) -> str:
        return "\n".join(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart"))

    at = open_page("ui/pages/lessons.py", lang="ko", lesson="what-is-a-vpn")
    assert not at.exception
    texts = chart_texts(at)
    assert "암호화된 터널" in texts and "encrypted tunnel" not in texts
    at = open_page("ui/pages/scenario_lab.py", lang="ko")
    assert not at.exception
    texts = chart_texts(at)
    assert "터널 상태와 이벤트" in texts and "▶ 재생" in texts


def _fragments(english: str) -> list[str]:
    """The stretches of a data template between its placeholders that are long enough to be unmistakable."""
    parts = [literal for literal, _name, _spec, _conv in string.Formatter().parse(english)]
    return [p.strip(" .,:;()") for p in parts if len(p.split()) >= 4]


def _page_text(at: AppTest) -> str:
    """The page's text without the incident report's preview (the report is written in English)."""
    return "\n".join(p for p in _protos(at) if "# VPN incident report" not in p)


@pytest.fixture
def korean_outside_the_run() -> Iterator[None]:
    """AppTest formats a selectbox's value outside the script run, where the session's language is unknown:
    there `current()` falls back to the language set with `set_language`. (Replacing `lab.ui.lang.current`
    itself would leave the replacement in every module that imports it by name while it is in place, and so
    in later tests of the same process.)"""
    token = i18n.set_language("ko")
    yield
    i18n.reset_language(token)


def test_troubleshooter_fix_commands_and_evidence_speak_korean(open_page: OpenPage, korean_outside_the_run) -> None:
    """A replay's evidence followed to a diagnosis on the Korean page: the fix sentences with the values, the
    device actions (or where a setting lives), the automatic answers' sources and what the evidence proves
    are Korean; no English sentence of the fixes or the evidence rules is on screen."""
    from lab import replay
    from lab.triage.evidence import rules
    from lab.triage.fixes import fix_texts

    english = [f for _ctx, text in fix_texts() for f in _fragments(text)]
    english += [f for r in rules().values() for text in (r.source, r.proves, r.does_not_prove) for f in _fragments(text)]

    at = open_page("ui/pages/troubleshooter.py", lang="ko")
    at.session_state["shared_snapshot"] = replay.incident("psk-mismatch-after-rotation").snapshot
    at.run()
    at.button(key="ts_use_shared").click().run()
    at.button(key="ts_follow").click().run()
    assert not at.exception
    assert at.query_params["node"] == "d-auth"
    at.selectbox(key="ts_family").set_value("azure").run()
    shown = _page_text(at)
    assert "사전 공유 키를 설정하세요" in shown  # the fix sentence with the tunnel and the connection filled in
    assert "디바이스에 이 터널의 사전 공유 키 설정" in shown and "Set-AzVirtualNetworkGatewayConnectionSharedKey" in shown
    assert "연결 vpn-" in shown and "터널 203.0.113." in shown  # where each automatic answer came from
    left = [f for f in english if f in shown]
    assert not left, left
    assert not _english_leftovers(at, skip_report=True)

    # A device with no command for an action says where the setting lives, in Korean.
    at = open_page("ui/pages/troubleshooter.py", lang="ko", tree="no-traffic", node="d-mtu")
    at.selectbox(key="ts_family").set_value("azure").run()
    shown = _page_text(at)
    assert "Azure VPN 게이트웨이에는 터널 MTU나 MSS 설정이 없습니다" in shown and "has no tunnel MTU" not in shown

    # An automatic answer at a question: what the evidence proves and does not prove, in Korean.
    at = open_page("ui/pages/troubleshooter.py", lang="ko", tree="tunnel-down", node="phase1-cause")
    at.text_area(key="ts_log_text").set_value((DATASETS_DIR / "samples" / "aws-ike-sa-deleted.jsonl").read_text())
    at.button(key="ts_analyze").click().run()
    shown = _page_text(at)
    assert "증명하는 것: 분석기 규칙에 따라 이 터널의 로그 줄이 보여 주는 가장 이른 실패 단계" in shown
    assert "증거 출처: 붙여 넣은 로그" in shown
    left = [f for f in english if f in shown]
    assert not left, left
