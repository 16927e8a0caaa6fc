"""The one page registry: `lab/app.py` builds the navigation from it and the tests open every page from it.

Plain data (no streamlit import) so the CLI and the tests can read it cheaply. Only pages that work
are listed here; a page is added in the same change that makes it work.
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.i18n import N_

SECTIONS = (N_("Start"), N_("Learn"), N_("Practise"), N_("Triage"))


@dataclass(frozen=True)
class PageSpec:
    script: str  # relative to lab/ (where app.py lives), e.g. "ui/pages/home.py"
    title: str  # navigation label (English; pages show it translated, like heading and summary)
    url_path: str  # "" for the default page
    icon: str  # a Material icon name; decoration only, the title carries the meaning
    section: str  # one of SECTIONS
    heading: str  # the page's first heading (the tests look for it)
    summary: str  # one line for the home page


PAGES: tuple[PageSpec, ...] = (
    PageSpec(
        script="ui/pages/home.py",
        title=N_("Home"),
        url_path="",
        icon=":material/home:",
        section="Start",
        heading=N_("VPN Lab"),
        summary=N_("What VPN Lab is and where to start."),
    ),
    PageSpec(
        script="ui/pages/lessons.py",
        title=N_("Lessons"),
        url_path="lessons",
        icon=":material/school:",
        section="Learn",
        heading=N_("Lessons"),
        summary=N_("Short lessons with quizzes: from what a VPN is to AWS Site-to-Site VPN in production."),
    ),
    PageSpec(
        script="ui/pages/glossary.py",
        title=N_("Glossary"),
        url_path="glossary",
        icon=":material/dictionary:",
        section="Learn",
        heading=N_("Glossary"),
        summary=N_("Every term of the lessons (IKE, ESP, DPD, TunnelState, ...) with its definition and source."),
    ),
    PageSpec(
        script="ui/pages/scenario_lab.py",
        title=N_("Scenario lab"),
        url_path="scenario-lab",
        icon=":material/science:",
        section="Practise",
        heading=N_("Scenario lab"),
        summary=N_("Break a high-availability design (S1-S5) on purpose: topology, outage timeline, step-by-step "
        "explanation, side-by-side comparison and the logs it would write."),
    ),
    PageSpec(
        script="ui/pages/troubleshooter.py",
        title=N_("Troubleshooter"),
        url_path="troubleshooter",
        icon=":material/troubleshoot:",
        section="Triage",
        heading=N_("Troubleshooter"),
        summary=N_("Walk the decision tree for a tunnel that is down or traffic that does not pass, paste logs "
        "for an automatic diagnosis, and download an incident report."),
    ),
    PageSpec(
        script="ui/pages/monitor.py",
        title=N_("Monitor"),
        url_path="monitor",
        icon=":material/monitor_heart:",
        section="Triage",
        heading=N_("Monitor"),
        summary=N_("Your own tunnels live from AWS (read-only), or recorded incidents replayed: telemetry, charts, audit."),
    ),
)


def pages_in(section: str) -> list[PageSpec]:
    return [p for p in PAGES if p.section == section]


def page(url_path: str) -> PageSpec:
    return next(p for p in PAGES if p.url_path == url_path)
