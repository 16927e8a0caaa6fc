"""Class figures for the facilitator: progress matrix, first-try success per question, a drill's answers.

Names are user input: they reach plotly only through `html.escape`, because plotly reads a subset of
HTML (<b>, <a href>, ...) in labels and hover text. Every state shown by colour is also written as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import plotly.graph_objects as go

from lab.figures._draw import FONT

NOT_READ, READ, DONE = 0, 1, 2
_STATE_TEXT = {NOT_READ: "", READ: "read", DONE: "done"}
_GRID = "#e5e8ec"


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title={"text": title, "x": 0.01, "font": {"size": 16}}, height=height, font=FONT,
                      plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 50, "b": 40})
    return fig


def progress_matrix(names: Sequence[str], lessons: Sequence[str], states: Sequence[Sequence[int]]) -> go.Figure:
    """Participants (rows) x lessons (columns): not read, read, done, written in each cell."""
    rows = [escape(n) for n in names]
    text = [[_STATE_TEXT[v] for v in row] for row in states]
    fig = go.Figure(go.Heatmap(
        z=[list(r) for r in states], x=list(lessons), y=rows, text=text, texttemplate="%{text}",
        zmin=0, zmax=2, showscale=False, xgap=2, ygap=2,
        colorscale=[[0, "#f1f3f5"], [0.5, "#a8c8f0"], [1, "#2e8540"]],
        hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title="lesson", type="category", automargin=True, tickangle=0)
    return _layout(fig, "Progress: lessons read and done (done: every quiz question answered right)",
                   max(220, 120 + 36 * len(rows)))


def question_success(labels: Sequence[str], rates: Sequence[float], answered: Sequence[int]) -> go.Figure:
    """First-try success per question across the class, lowest first: what the team misses."""
    order = sorted(range(len(labels)), key=lambda i: (rates[i], labels[i]))
    ys = [escape(labels[i]) for i in order]
    xs = [round(100 * rates[i]) for i in order]
    fig = go.Figure(go.Bar(
        x=xs, y=ys, orientation="h", marker_color=["#c0392b" if x < 50 else "#e0a800" if x < 80 else "#2e8540"
                                                   for x in xs],
        text=[f"{x} % of {answered[i]}" for x, i in zip(xs, order, strict=True)], textposition="auto",
        hovertemplate="%{y}: %{x} % right at the first try<extra></extra>",
    ))
    fig.update_xaxes(range=[0, 100], title="right at the first try (%)", gridcolor=_GRID)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, "Quiz questions by first-try success (lowest first)", max(220, 90 + 26 * len(ys)))


def drill_distribution(labels: Sequence[str], counts: Sequence[int], right: Sequence[bool] | None) -> go.Figure:
    """How the room answered; `right` marks the right answer(s) once revealed (None: not revealed)."""
    ys = [escape(label if len(label) <= 60 else label[:57] + "...") for label in labels]
    if right is None:
        colours = ["#5b7db1"] * len(ys)
        text = [str(c) for c in counts]
    else:
        colours = ["#2e8540" if r else "#9aa5b1" for r in right]
        text = [f"{c} (right answer)" if r else str(c) for c, r in zip(counts, right, strict=True)]
    fig = go.Figure(go.Bar(x=list(counts), y=ys, orientation="h", marker_color=colours, text=text,
                           textposition="auto", hovertemplate="%{y}: %{x}<extra></extra>"))
    fig.update_xaxes(title="answers", dtick=1, rangemode="tozero", gridcolor=_GRID)
    fig.update_yaxes(autorange="reversed", automargin=True)
    return _layout(fig, "Answers so far" if right is None else "Answers (right answer marked)",
                   max(200, 90 + 40 * len(ys)))
