"""Lessons page parts owned by the curriculum: figure directives rendered as plotly charts, glossary hovers,
and the curriculum map with the learner's done lessons marked."""

from __future__ import annotations

from lab import LESSONS_DIR
from lab.lessons import load_lesson
from tests.app.conftest import OpenPage

PAGE = "ui/pages/lessons.py"
HA = load_lesson(LESSONS_DIR / "en" / "06-high-availability.md")
DPD = load_lesson(LESSONS_DIR / "en" / "07-dead-peer-detection.md")


def test_every_figure_directive_renders_a_plotly_chart(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson=HA.id)
    assert not at.exception
    charts = at.get("plotly_chart")
    assert len(charts) == len(HA.figures) == 6
    specs = " ".join(c.proto.spec for c in charts)
    assert "S1 - one VPN connection" in specs and "Route selection" in specs


def test_lesson_explains_glossary_terms_on_hover(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson=DPD.id)
    assert not at.exception
    body = "\n".join(m.value for m in at.markdown)
    assert '<abbr class="vpnlab-term" title="Dead Peer Detection:' in body
    assert body.count('title="Dead Peer Detection:') == 1, "a term is explained once per lesson"


def test_lesson_states_the_disputed_dpd_default(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson=DPD.id)
    body = "\n".join(m.value for m in at.markdown) + "\n".join(w.value for w in at.warning)
    assert ("40 seconds per ModifyVpnTunnelOptionsSpecification and the current user guide; "
            "30 per the create-time API shape") in body


def _map_links(at) -> list[tuple[str, str]]:
    expander = next(e for e in at.expander if e.label.startswith("Curriculum map"))
    return [(b.label, b.key) for b in expander.button]


def _map_text(at) -> str:
    expander = next(e for e in at.expander if e.label.startswith("Curriculum map"))
    return "\n".join(m.value for m in expander.markdown)


def test_curriculum_map_lists_every_section_and_marks_done_lessons(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    assert not at.exception
    expander = next(e for e in at.expander if e.label.startswith("Curriculum map"))
    assert "27 topics (27 covered by a lesson)" in expander.label
    text = _map_text(at)
    assert "**5. Case study: support cases** - 0 of 3 lessons done" in text
    labels = [label for label, _page in _map_links(at)]
    assert "7. Case 1: the tunnel that keeps going down (dead peer detection)" in labels
    assert not any("(done)" in label for label in labels)


def test_finishing_a_quiz_marks_the_lesson_done_on_the_map(open_page: OpenPage) -> None:
    at = open_page(PAGE, lesson=DPD.id)
    for i, q in enumerate(DPD.quiz):
        at.radio(key=f"quiz-{DPD.id}-{i}-0").set_value(q.answer)
    at.run()
    assert any("marked as done" in s.value for s in at.success)
    at.button(key="back-to-list").click().run()
    labels = [label for label, _page in _map_links(at)]
    assert "7. Case 1: the tunnel that keeps going down (dead peer detection) (done)" in labels
    assert "**5. Case study: support cases** - 1 of 3 lessons done" in _map_text(at)


def test_map_button_opens_the_lesson(open_page: OpenPage) -> None:
    at = open_page(PAGE)
    at.button(key="map-5.2-ike-sa-and-startup-action").click().run()
    assert not at.exception
    assert at.title[0].value == "Case 2: Delete IKE_SA and who starts the tunnel"
