"""Class figures for the facilitator: progress matrix, first-try success per question, a drill's answers.

Names are user input: they reach plotly only through `html.escape`, because plotly reads a subset of
HTML (<b>, <a href>, ...) in labels and hover text. Every state shown by colour is also written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import plotly.graph_objects as go

from lab.figures._draw import FONT
from lab.i18n import N_, t

NOT_READ, READ, DONE = 0, 1, 2
# Each state's colour, the mark written in its cells and its meaning (the legend and the hover say it in words).
STATE_COLOUR = {NOT_READ: "#e9ecef", READ: "#a8c8f0", DONE: "#2e8540"}
_STATE_MARK = {NOT_READ: "–", READ: N_("read"), DONE: N_("done")}
STATE_MEANING = {
    NOT_READ: N_("not read yet"),
    READ: N_("read (quiz not all right yet)"),
    DONE: N_("done: read, every quiz question answered right"),
}
_GRID = "#e5e8ec"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.01, "font": {"size": 16}}, height=height, font=FONT,
                      plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig


def progress_matrix(names: Sequence[str], lessons: Sequence[str], states: Sequence[Sequence[int]],
                    titles: Sequence[str] | None = None, lang: str | None = None) -> go.Figure:
    """Participants (rows) x lessons (columns, `lessons` are their short labels and `titles` their titles for the
    hover): each cell is coloured and marked by its state ("–", "read", "done"); a legend under the grid and
    each cell's hover say what the state means, in `lang`."""
    rows = [escape(n) for n in names]
    titles = list(titles) if titles is not None else list(lessons)
    mark = {k: t(v, lang) if k != NOT_READ else v for k, v in _STATE_MARK.items()}
    meaning = {k: t(v, lang) for k, v in STATE_MEANING.items()}
    fig = go.Figure(go.Heatmap(
        z=[list(r) for r in states], x=list(lessons), y=rows, text=[[mark[v] for v in row] for row in states],
        texttemplate="%{text}", zmin=0, zmax=2, showscale=False, xgap=2, ygap=2,
        colorscale=[[0, STATE_COLOUR[NOT_READ]], [0.5, STATE_COLOUR[READ]], [1, STATE_COLOUR[DONE]]],
        customdata=[[[escape(title), meaning[v]] for title, v in zip(titles, row, strict=True)] for row in states],
        hovertemplate="%{y} · %{x}. %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
    ))
    # The legend: one square per state with its meaning (a heatmap has no legend entries of its own).
    for state in (NOT_READ, READ, DONE):
        label = f"{_STATE_MARK[state]} = {meaning[state]}" if state == NOT_READ else meaning[state]
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, hoverinfo="skip",
                                 marker={"symbol": "square", "size": 14, "color": STATE_COLOUR[state],
                                         "line": {"color": "#9aa5b1", "width": 1}}))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title=t("lesson", lang), type="category", automargin=True, tickangle=0)
    # The legend sits at the figure's bottom edge, under the lesson axis, from the figure's left edge (on a phone
    # it wraps onto three lines and stays in view while the matrix scrolls sideways).
    fig.update_layout(showlegend=True, legend={"orientation": "h", "x": 0, "xanchor": "left", "xref": "container",
                                               "y": 0, "yanchor": "bottom", "yref": "container", "itemclick": False,
                                               "itemdoubleclick": False})
    fig = _layout(fig, t("Progress: lessons read and done", lang), max(300, 210 + 36 * len(rows)))
    fig.update_layout(margin={"l": 10, "r": 10, "t": 50, "b": 130})
    return fig


# The narrowest readable matrix: a lesson column fits a two-digit number with room on each side, and the
# names' column a name at the figure's font size (about 8 px a character, long names cut at 30).
_LESSON_COLUMN_PX = 40
_NAME_CHAR_PX = 8


def progress_matrix_width(names: Sequence[str], lessons: int) -> int:
    """The width in pixels under which the progress matrix's lesson columns would crowd their numbers together."""
    longest = max((len(n) for n in names), default=0)
    return 40 + _NAME_CHAR_PX * min(longest, 30) + _LESSON_COLUMN_PX * lessons


def question_success(labels: Sequence[str], rates: Sequence[float], answered: Sequence[int],
                     lang: str | None = None) -> go.Figure:
    """First-try success per question across the class, lowest first: what the team misses (words in `lang`)."""
    order = sorted(range(len(labels)), key=lambda i: (rates[i], labels[i]))
    ys = [escape(labels[i]) for i in order]
    xs = [round(100 * rates[i]) for i in order]
    fig = go.Figure(go.Bar(
        x=xs, y=ys, orientation="h", marker_color=["#c0392b" if x < 50 else "#e0a800" if x < 80 else "#2e8540"
                                                   for x in xs],
        text=[t("{pct} % of {n}", lang, pct=x, n=answered[i]) for x, i in zip(xs, order, strict=True)],
        textposition="auto",
        # Plotly's own %{…} placeholders stay outside the translated text.
        hovertemplate="%{y}: %{x} % · " + escape(t("right at the first try", lang)) + "<extra></extra>",
    ))
    fig.update_xaxes(range=[0, 100], title=t("right at the first try (%)", lang), gridcolor=_GRID)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, t("Quiz questions by first-try success (lowest first)", lang), max(220, 90 + 26 * len(ys)))


def drill_distribution(labels: Sequence[str], counts: Sequence[int], right: Sequence[bool] | None,
                       lang: str | None = None) -> go.Figure:
    """How the room answered; `right` marks the right answer(s) once revealed (None: not revealed); words in
    `lang`."""
    ys = [escape(label if len(label) <= 60 else label[:57] + "...") for label in labels]
    if right is None:
        colours = ["#5b7db1"] * len(ys)
        text = [str(c) for c in counts]
    else:
        colours = ["#2e8540" if r else "#9aa5b1" for r in right]
        text = [t("{n} (right answer)", lang, n=c) if r else str(c) for c, r in zip(counts, right, strict=True)]
    fig = go.Figure(go.Bar(x=list(counts), y=ys, orientation="h", marker_color=colours, text=text,
                           textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_xaxes(title=t("answers", lang), dtick=1, rangemode="tozero", gridcolor=_GRID)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, t("Answers so far", lang) if right is None else t("Answers (right answer marked)", lang),
                   max(200, 90 + 40 * len(ys)))
