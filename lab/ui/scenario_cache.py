"""Cached simulation results and figures for the Scenario lab page (keyed by the run's inputs).

The simulator and the figure builders are pure; caching lives here, in the UI layer, so the page
reruns cheaply when a widget changes and the run itself did not. Resources, not data: results and
figures are never modified after they are built, so every rerun shares one object instead of
unpickling a copy (Streamlit copies a figure into its own JSON when it draws it).
"""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st

from lab.figures.simulation import timeline_figure, topology_figure
from lab.i18n import DEFAULT_LANG
from lab.i18n.figures import localize_dict
from lab.sim import Failure, Overrides, SimResult, simulate
from lab.sim.compare import Row, compare
from lab.sim.export import log_files, log_text
from lab.ui.frozen_figure import freeze


@dataclass(frozen=True)
class RunKey:
    """Everything a run depends on; hashable, so it keys the caches."""

    scenario: str
    duration_s: int
    failures: tuple[tuple[str, str, int, int | None], ...]
    overrides: tuple[tuple[str, object], ...]
    seed: int = 0

    def failure_list(self) -> list[Failure]:
        return [Failure(k, t, a, d) for k, t, a, d in self.failures]

    def override_obj(self) -> Overrides:
        return Overrides(**dict(self.overrides))


@st.cache_resource(max_entries=48, show_spinner=False)
def run(key: RunKey) -> SimResult:
    return simulate(key.scenario, key.failure_list(), duration_s=key.duration_s, overrides=key.override_obj(),
                    seed=key.seed)


def _in(lang: str, fig: go.Figure) -> go.Figure:
    """The frozen figure drawn with its labels in `lang` (its dict is relabelled once, not re-validated)."""
    frozen = freeze(fig)
    if lang != DEFAULT_LANG:
        frozen._frozen_dict = localize_dict(frozen.to_dict(), lang)
    return frozen


@st.cache_resource(max_entries=24, show_spinner=False)
def timeline(key: RunKey, lang: str = DEFAULT_LANG) -> go.Figure:
    return _in(lang, timeline_figure(run(key), lang=lang))


@st.cache_resource(max_entries=24, show_spinner=False)
def topology(key: RunKey, lang: str = DEFAULT_LANG, vertical: bool = False) -> go.Figure:
    """The diagram left to right, or top to bottom (`vertical`) for a phone."""
    return _in(lang, topology_figure(run(key), vertical=vertical, lang=lang))


@st.cache_resource(max_entries=24, show_spinner=False)
def comparison(key: RunKey) -> list[Row]:
    return compare(key.failure_list(), key.override_obj(), key.duration_s, key.seed)


@st.cache_resource(max_entries=24, show_spinner=False)
def logs(key: RunKey) -> tuple[dict[str, str], str]:
    result = run(key)
    return log_files(result), log_text(result)
