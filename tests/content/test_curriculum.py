"""The curriculum as a whole: every topic of the source article is taught, every lesson meets the bar
(quiz, references, figure), every directive resolves, and every cross reference points at real data."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from lab import DATA_DIR, PROJECT_DIR
from lab.lessons import Lesson, load_catalog
from lab.lessons.curriculum import outline, uncovered, unknown_covers
from lab.lessons.glossary import glossary

CATALOG = load_catalog("en")
LESSONS = CATALOG.lessons
IDS = [lesson.id for lesson in LESSONS]
# The original outline lives next to the checkout when it is available; the shipped copy is lab/data/outline.yaml.
SHARED_OUTLINE = PROJECT_DIR.parent / "shared" / "source" / "article-outline.md"


def _yaml_ids(folder: Path, list_key: str | None = None) -> set[str]:
    ids: set[str] = set()
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if list_key is None:
            ids.add(data["id"])
        else:
            ids.update(item["id"] for item in data.get(list_key, []))
    return ids


def _tree_nodes() -> set[str]:
    refs: set[str] = set()
    for path in sorted((DATA_DIR / "trees").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        refs.update(f"{data['id']}/{node['id']}" for node in data.get("nodes", []))
    return refs


def test_every_lesson_file_loads() -> None:
    assert not CATALOG.errors, [f"{e.path}: {e.problems}" for e in CATALOG.errors]
    assert len(LESSONS) >= 12


def test_every_outline_topic_is_covered_by_a_lesson() -> None:
    assert uncovered(outline(), LESSONS) == []


def test_lessons_cover_only_topics_that_exist() -> None:
    assert unknown_covers(outline(), LESSONS) == []


def test_outline_copy_lists_the_same_topics_as_the_source_outline() -> None:
    """lab/data/outline.yaml is a shipped copy of the article outline; when the original is at hand, they agree."""
    if not SHARED_OUTLINE.exists():
        pytest.skip("the original article outline is not part of the shipped project")
    import re

    numbers = re.findall(r"^(\d+\.\d+) ", SHARED_OUTLINE.read_text(encoding="utf-8"), flags=re.M)
    assert list(outline().topic_numbers) == numbers


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_at_least_four_quiz_questions(lesson: Lesson) -> None:
    assert len(lesson.quiz) >= 4


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_quiz_question_explains_its_answer(lesson: Lesson) -> None:
    for q in lesson.quiz:
        assert len(q.explanation) >= 80, q.question
        assert len(q.choices) >= 3, q.question


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_cites_official_https_references(lesson: Lesson) -> None:
    assert lesson.references
    assert all(r.url.startswith("https://") for r in lesson.references)


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_lesson_has_a_figure_and_covers_a_topic(lesson: Lesson) -> None:
    assert lesson.figures, "every lesson embeds at least one figure"
    assert lesson.covers, "every lesson names the outline topics it teaches"


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_every_figure_in_a_lesson_builds(lesson: Lesson) -> None:
    from lab.figures import FIGURES

    for name in lesson.figures:
        assert FIGURES[name]().layout.title.text


def test_lessons_about_aws_defaults_use_fact_references() -> None:
    """The lessons that teach AWS defaults state them through the facts file, not by hand."""
    used = {f.key for lesson in LESSONS for f in lesson.facts_used}
    for key in ("dpd_timeout_default", "dpd_timeout_min", "dpd_timeout_action_default", "startup_action_default",
                "aws_initiation_after_replacement", "tunnelstate_bgp", "tunnelstate_fraction",
                "data_metrics_not_liveness", "metric_retention", "single_tunnel_notice_threshold",
                "tunnel_bandwidth_standard", "cgw_dynamic_routes_max", "vgw_route_preference", "ecmp_requirement",
                "ike_udp_port", "esp_ip_protocol", "natt_udp_port", "ikev1_phase1_mode", "client_vpn_protocol",
                "azure_apipa_range"):
        assert key in used, key


def test_related_scenarios_exist() -> None:
    folder = DATA_DIR / "scenarios"
    if not folder.is_dir():
        pytest.skip("no scenarios yet")
    known = _yaml_ids(folder)
    wrong = [(x.id, x.related.scenario) for x in LESSONS if x.related.scenario and x.related.scenario not in known]
    assert not wrong


def test_related_tree_nodes_exist() -> None:
    if not (DATA_DIR / "trees").is_dir():
        pytest.skip("no troubleshooting trees yet")
    known = _tree_nodes()
    wrong = [(x.id, ref) for x in LESSONS for ref in x.related.tree_nodes if ref not in known]
    assert not wrong


def test_related_log_patterns_exist() -> None:
    folder = DATA_DIR / "patterns"
    if not folder.is_dir():
        pytest.skip("no log patterns yet")
    known = _yaml_ids(folder, "patterns")
    wrong = [(x.id, pid) for x in LESSONS for pid in x.related.patterns if pid not in known]
    assert not wrong


def test_glossary_terms_point_at_existing_lessons() -> None:
    wrong = [(t.term, t.lesson) for t in glossary().terms if t.lesson not in IDS]
    assert not wrong


def _mentions(body: str, name: str) -> bool:
    words = [re.escape(w) for w in re.split(r"[\s-]+", name)]
    return re.search(r"(?<![A-Za-z0-9])" + r"[\s*_-]+".join(words) + r"(?![A-Za-z0-9])", body, re.I) is not None


def test_glossary_terms_point_at_a_lesson_that_uses_them() -> None:
    """A term's "taught in" link opens a lesson where the term (or one of its aliases) actually appears."""
    bodies = {x.id: x.path.read_text(encoding="utf-8").split("\n---\n", 1)[-1] for x in LESSONS}
    wrong = [(t.term, t.lesson) for t in glossary().terms
             if t.lesson in bodies and not any(_mentions(bodies[t.lesson], n) for n in (t.term, *t.aliases))]
    assert not wrong


def test_glossary_covers_the_core_terms() -> None:
    g = glossary()
    for name in ("IKE", "ESP", "SA", "IKE_SA", "CHILD_SA", "DPD", "NAT-T", "PSK", "CGW", "VGW", "TGW", "BGP", "ASN",
                 "MED", "ECMP", "CIDR", "APIPA", "AS_PATH", "MTU", "MSS", "PFS", "DH group", "R-U-THERE",
                 "traffic selector", "route propagation", "TunnelState", "VgwTelemetry"):
        assert g.get(name) is not None, name


def _scenario_links() -> list[tuple[str, str, list[str]]]:
    import re
    from urllib.parse import parse_qs, urlparse

    links = []
    for lesson in LESSONS:
        text = lesson.path.read_text(encoding="utf-8")
        for url in re.findall(r"\]\((/scenario-lab\?[^)\s]+)\)", text):
            query = parse_qs(urlparse(url).query)
            links.append((lesson.id, query.get("scenario", [""])[0], query.get("fail", [])))
    return links


def test_scenario_lab_links_in_lessons_name_real_scenarios_and_failures() -> None:
    """A lesson's 'try it' link must open a scenario that exists with failures the simulator accepts."""
    links = _scenario_links()
    assert links, "the HA, DPD and IKE_SA lessons link to the scenario lab"
    from lab.sim import load_scenario
    from lab.sim.failures import parse_failure, resolve_failures

    for lesson_id, scenario, fails in links:
        spec = load_scenario(scenario)
        resolve_failures(spec, [parse_failure(f) for f in fails], 600)
        assert fails, lesson_id


def test_troubleshooter_links_in_lessons_point_at_real_nodes() -> None:
    import re
    from urllib.parse import parse_qs, urlparse

    known = _tree_nodes()
    found = 0
    for lesson in LESSONS:
        for url in re.findall(r"\]\((/troubleshooter\?[^)\s]+)\)", lesson.path.read_text(encoding="utf-8")):
            query = parse_qs(urlparse(url).query)
            ref = f"{query['tree'][0]}/{query['node'][0]}"
            assert ref in known, (lesson.id, ref)
            found += 1
    assert found >= 4


@pytest.mark.parametrize("lesson", LESSONS, ids=IDS)
def test_right_answers_are_not_always_in_the_same_place(lesson: Lesson) -> None:
    """A quiz whose answer is always the second choice teaches guessing, not understanding."""
    assert len({q.answer for q in lesson.quiz}) >= 2


def test_right_answer_is_not_usually_the_longest_choice() -> None:
    """If the right choice is usually the longest one, the quiz can be passed without reading it."""
    questions = [q for lesson in LESSONS for q in lesson.quiz]
    longest = [
        q for q in questions
        if all(len(q.choices[q.answer]) > len(c) for i, c in enumerate(q.choices) if i != q.answer)
    ]
    assert len(longest) <= 0.4 * len(questions), [q.question for q in longest]
