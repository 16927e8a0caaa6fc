"""Every translatable text of the data files, as (context, English) pairs for the `data` domain.

The context names the kind of field (`tree.why`, `glossary.definition`); pages and commands look the text up
with `lab.i18n.data_text(context, english, lang)`. The list here and those look-ups use the same contexts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lab.i18n.catalogue import Message

_HANGUL = re.compile("[\uac00-\ud7a3]")


def _pairs() -> Iterator[tuple[str, str]]:
    from lab import replay
    from lab.analyzer import categories
    from lab.analyzer.patterns import load_patterns
    from lab.analyzer.samples import sample_logs
    from lab.facts import audit, facts
    from lab.lessons.curriculum import outline
    from lab.lessons.glossary import glossary
    from lab.sim import ASSUMPTIONS, FAILURE_KINDS, list_scenarios, option_catalogue
    from lab.triage import tree as trees

    for term in glossary().terms:
        if term.expansion.lower() != term.term.lower():
            yield "glossary.expansion", term.expansion
        yield "glossary.definition", term.definition
    for fact in facts().values():
        yield "fact.text", fact.text
        yield "fact.summary", fact.summary
        for alt in fact.disputed:
            yield "fact.disputed", alt.note
    for tree in trees.load_trees().values():
        yield "tree.title", tree.title
        yield "tree.summary", tree.summary
        for node in tree.nodes.values():
            yield "tree.title", node.title
            for field in ("text", "why", "cause", "fix", "prevention"):
                yield f"tree.{field}", getattr(node, field)
            if node.checks is not None:
                yield "tree.console", node.checks.console
            for answer in node.answers:
                yield "tree.answer", answer.label
    for spec in list_scenarios():
        yield "scenario.title", spec.title
        yield "scenario.summary", spec.summary
        yield "scenario.description", spec.description
        yield "scenario.lesson", spec.lesson
        for gw in spec.customer_gateways:
            yield "scenario.gateway", gw.name
        for opt in option_catalogue(spec):
            yield "option.label", opt.label
            yield "option.help", opt.help
    from lab.classes.drills import ready_made

    # The shipped drills' titles and notes (a facilitator's own drill keeps the words typed).
    for spec, _prepared in ready_made():
        yield "drill.title", spec.title
        if spec.note:
            yield "drill.note", spec.note
    for kind in FAILURE_KINDS:
        yield "failure.title", kind.title
        yield "failure.description", kind.description
    for assumption in ASSUMPTIONS.values():
        yield "assumption.text", assumption.text
    for rule in audit.rules().values():
        yield "audit.title", rule.title
        yield "audit.message", rule.message
        yield "audit.explanation", rule.explanation
        yield "audit.fix", rule.fix
    for category in categories().values():
        yield "category.title", category.title
        if category.no_routes_title:
            yield "category.title", category.no_routes_title
    for pattern in load_patterns():
        yield "pattern.explanation", pattern.explanation
    for sample in sample_logs():
        yield "sample.description", sample.description
    for inc in replay.incidents():
        yield "replay.title", inc.title
        yield "replay.summary", inc.summary
        yield "replay.description", inc.description
        yield "replay.expected_explanation", inc.expected_explanation
        for event in inc.snapshot.events:
            yield "replay.event", event.detail
    from lab.triage.evidence import rules as evidence_rules
    from lab.triage.fixes import fix_texts

    for ev_rule in evidence_rules().values():
        yield "evidence.source", ev_rule.source
        yield "evidence.proves", ev_rule.proves
        yield "evidence.does_not_prove", ev_rule.does_not_prove
    yield from fix_texts()
    out = outline()
    yield "outline.source", out.source
    for section in out.sections:
        yield "outline.section", section.title
        for topic in section.topics:
            yield "outline.topic", topic.text
    yield from _figure_pairs()


def _figure_pairs() -> Iterator[tuple[str, str]]:
    """Labels of the lessons' figures, and the fixed labels (no digits) of the scenario lab's diagrams."""
    from lab.figures import FIGURES
    from lab.figures.simulation import timeline_figure, topology_figure
    from lab.i18n.figures import CONTEXT, figure_strings
    from lab.sim import list_scenarios, simulate

    for build in FIGURES.values():
        for text in figure_strings(build()):
            yield CONTEXT, text
    # The labels the lab writes itself are messages of the code's catalogue: drawn in Korean here, they are
    # left out; what stays English is a fixed label of the figure (a data text).
    for spec in list_scenarios():
        result = simulate(spec.id, [], duration_s=120)
        for figure in (topology_figure(result, lang="ko"), timeline_figure(result, lang="ko")):
            for text in figure_strings(figure):
                if not any(c.isdigit() for c in text) and not _HANGUL.search(text):
                    yield CONTEXT, text


def data_messages() -> dict[tuple[str, str], Message]:
    """Every distinct (context, English text) of the shipped data, in file order."""
    found: dict[tuple[str, str], Message] = {}
    for context, text in _pairs():
        if text and text.strip():
            found.setdefault((context, text), Message(text, context=context))
    return found
