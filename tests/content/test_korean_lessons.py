"""The Korean curriculum mirrors the English one: same lessons, same quizzes and answers, same facts and topics."""

from __future__ import annotations

import re

import pytest

from lab import PROJECT_DIR
from lab.i18n import data_text, po_path
from lab.lessons import load_catalog
from lab.lessons.render import render_markdown

EN = load_catalog("en")
KO = load_catalog("ko")
IDS = [lesson.id for lesson in EN.lessons]


def test_every_korean_lesson_loads_without_problems() -> None:
    assert not KO.errors, KO.errors


def test_every_english_lesson_has_a_korean_one_with_the_same_id_and_number() -> None:
    assert [(lesson.number, lesson.id) for lesson in KO.lessons] == [(lesson.number, lesson.id) for lesson in EN.lessons]


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_quiz_has_the_same_questions_and_answers(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert len(ko.quiz) == len(en.quiz)
    for q_en, q_ko in zip(en.quiz, ko.quiz, strict=True):
        assert q_ko.answer == q_en.answer
        assert len(q_ko.choices) == len(q_en.choices)
        assert q_ko.question != q_en.question, "the question is still in English"


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_lesson_teaches_the_same_topics_with_the_same_facts(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert ko.covers == en.covers
    assert ko.minutes == en.minutes
    assert [f.key for f in ko.facts_used] == [f.key for f in en.facts_used]
    assert [r.url for r in ko.references] == [r.url for r in en.references]
    assert ko.related == en.related
    assert len(ko.objectives) == len(en.objectives)
    assert len(ko.keypoints) == len(en.keypoints)


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_lesson_shows_the_same_figures_and_sections(lesson_id: str) -> None:
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert [b.figure for b in ko.blocks if b.kind == "figure"] == [b.figure for b in en.blocks if b.kind == "figure"]
    assert len(ko.toc) == len(en.toc)


def test_facts_inside_korean_lessons_are_in_korean() -> None:
    """A fact inserted into a Korean sentence reads in Korean (the data catalogue's `fact.text`)."""
    untranslated = sorted(
        {f.key for lesson in KO.lessons for f in lesson.facts_used
         if any(ch.isalpha() and ch.isascii() for ch in f.text)
         and data_text("fact.text", f.text, "ko") == f.text
         and " " in f.text}
    )
    assert not untranslated, untranslated


@pytest.mark.parametrize("lesson_id", IDS)
def test_korean_exercises_are_the_english_ones_in_korean(lesson_id: str) -> None:
    """Same exercises, same lab situation, same measured answer; only the words are Korean."""
    en, ko = EN.get(lesson_id), KO.get(lesson_id)
    assert [e.id for e in ko.exercises] == [e.id for e in en.exercises]
    for e_en, e_ko in zip(en.exercises, ko.exercises, strict=True):
        assert (e_ko.kind, e_ko.answer, e_ko.target, e_ko.claims) == (e_en.kind, e_en.answer, e_en.target, e_en.claims)
        assert [c.value for c in e_ko.choices] == [c.value for c in e_en.choices]
        assert e_ko.question != e_en.question, "the question is still in English"


def _stray_emphasis(html: str) -> list[str]:
    """Asterisks that reached the page as text: an emphasis that did not open or close."""
    text = re.sub(r"<(code|pre)\b[^>]*>.*?</\1>", "", html, flags=re.S)
    pattern = r"\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"
    return [text[max(0, m.start() - 30):m.end() + 10] for m in re.finditer(pattern, text)]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_lesson_text_shows_no_stray_emphasis_markers(lang: str) -> None:
    """Bold and italic close where they should. CommonMark does not close `)**` before a letter, so
    `**보안 연결(SA)**은` shows its asterisks; Korean text writes `**보안 연결**(SA)은`."""
    stray = {}
    for lesson in (EN if lang == "en" else KO).lessons:
        texts = [b.html for b in lesson.blocks if b.kind in ("markdown", "callout")]
        texts += [render_markdown(s) for s in (*lesson.objectives, *lesson.keypoints,
                                               *(q.question for q in lesson.quiz), *(q.explanation for q in lesson.quiz),
                                               *(c for q in lesson.quiz for c in q.choices))]
        found = [s for t in texts for s in _stray_emphasis(t)]
        if found:
            stray[lesson.id] = found
    assert not stray, stray


# One Korean word per concept in lessons, the data catalogue and the UI catalogue, as AWS's Korean documentation
# and console write them (고객 게이트웨이 디바이스, 장애 조치, 라우팅 전파, 1단계/2단계 with "(Phase 1)" on first use).
NOT_THESE = {
    "장비": "디바이스",
    "페일오버": "장애 조치",
    "활성 신호": "생존 신호",
    "활성 확인": "생존 확인",
    "활성 감지": "생존 감지",
    "경로 전파": "라우팅 전파",
    "가상 사설 게이트웨이": "가상 프라이빗 게이트웨이",
    "트랜짓 게이트웨이": "전송 게이트웨이",
    "공인 IP": "퍼블릭 IP",
    "활성 상태 확인": "생존 확인",
    "단편화": "조각화",
    "IP 단편": "IP 조각",
    "트래픽 선택기": "트래픽 셀렉터",
    "프로포절": "제안",
    "프리픽스": "접두사",
    "헬스 체크": "상태 확인",
    "클래스": "수업",
    "AWS 측": "AWS 쪽",
    "프로파일": "프로필",
    "도달성": "도달 가능성",
    "십시오": "세요",
}


def _korean_texts() -> list[tuple[str, str]]:
    from babel.messages.pofile import read_po

    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((PROJECT_DIR / "lessons" / "ko").glob("*.md"))]
    for domain in ("data", "messages"):
        with po_path("ko", domain).open("rb") as fh:
            catalog = read_po(fh, locale="ko", domain=domain)
        for m in catalog:
            strings = m.string if isinstance(m.string, tuple | list) else (m.string,)
            texts += [(f"{domain}.po: {m.id if isinstance(m.id, str) else m.id[0]}", s) for s in strings if m.id and s]
    return texts


def test_korean_text_uses_one_term_per_concept() -> None:
    wrong = []
    for where, text in _korean_texts():
        # Log lines and commands quoted in the text keep their English ("DELETE for Phase 2").
        prose = re.sub(r'`[^`]*`|"[^"\n]*"', "", text)
        wrong += [f"{where}: {bad} -> {good}" for bad, good in NOT_THESE.items() if bad in prose]
        if re.search(r"(?<!\()Phase [12]", prose):
            wrong.append(f"{where}: Phase 1/2 -> 1단계/2단계 (Phase 1/2 only as the gloss on first use)")
        if re.search(r"(?<![(\w])(Main|Quick|Aggressive) Mode", prose):
            wrong.append(f"{where}: Main/Quick/Aggressive Mode -> 메인 모드/퀵 모드/어그레시브 모드 (the English only as "
                         "the gloss on first use)")
        if re.search(r"DPD\s+제한\s+시간\s+작업", prose):
            wrong.append(f"{where}: DPD 제한 시간 작업 -> DPD 제한 시간 초과 작업")
    assert not wrong, "\n".join(wrong)
