"""The facilitator's progress matrix says in words what each colour means: a legend and each cell's hover."""

from __future__ import annotations

from lab.figures.classes import DONE, NOT_READ, READ, STATE_COLOUR, progress_matrix, progress_matrix_width


def _matrix(lang: str = "en"):
    return progress_matrix(["Mina", "<b>Eve</b>"], ["1", "2", "3"], [[DONE, READ, NOT_READ], [NOT_READ, NOT_READ, READ]],
                           ["Why VPN", "IPsec", "AWS VPN"], lang)


def test_the_legend_names_every_colour_in_words() -> None:
    fig = _matrix()
    legend = {tr.name: tr.marker.color for tr in fig.data if tr.type == "scatter"}
    assert legend == {
        "– = not read yet": STATE_COLOUR[NOT_READ],
        "read (quiz not all right yet)": STATE_COLOUR[READ],
        "done: read, every quiz question answered right": STATE_COLOUR[DONE],
    }
    assert fig.layout.showlegend


def test_every_cell_is_marked_and_its_hover_says_the_lesson_and_the_state() -> None:
    heat = _matrix().data[0]
    assert [list(r) for r in heat.text] == [["done", "read", "–"], ["–", "–", "read"]]
    assert heat.customdata[0][2] == ["AWS VPN", "not read yet"]
    assert "%{customdata[1]}" in heat.hovertemplate
    assert list(heat.y) == ["Mina", "&lt;b&gt;Eve&lt;/b&gt;"], "names are text, not plotly HTML"


def test_the_legend_and_marks_are_in_korean_for_a_korean_facilitator() -> None:
    fig = _matrix("ko")
    names = [tr.name for tr in fig.data if tr.type == "scatter"]
    assert names == ["– = 아직 읽지 않음", "읽음 (퀴즈를 아직 모두 맞히지 못함)", "완료: 읽고 퀴즈를 모두 맞힘"]
    assert [list(r) for r in fig.data[0].text][0] == ["완료", "읽음", "–"]
    assert fig.layout.title.text == "진도: 읽은 레슨과 완료한 레슨"


def test_the_question_and_drill_charts_speak_the_readers_language() -> None:
    from lab.figures.classes import drill_distribution, question_success

    for lang, title, axis, share in (("en", "Quiz questions by first-try success (lowest first)",
                                      "right at the first try (%)", "50 % of 2"),
                                     ("ko", "퀴즈 문항별 첫 시도 정답률 (낮은 순)", "첫 시도 정답률 (%)", "2명 중 50%")):
        fig = question_success(["L1 Q1: <i>What</i>"], [0.5], [2], lang)
        assert fig.layout.title.text == title
        assert fig.layout.xaxis.title.text == axis
        assert list(fig.data[0].text) == [share]
        assert list(fig.data[0].y) == ["L1 Q1: &lt;i&gt;What&lt;/i&gt;"], "question text is shown as text"
    open_ = drill_distribution(["30 s", "90 s"], [3, 1], None, "ko")
    assert open_.layout.title.text == "지금까지의 답" and open_.layout.xaxis.title.text == "답 수"
    revealed = drill_distribution(["30 s", "90 s"], [3, 1], [False, True], "ko")
    assert revealed.layout.title.text == "답 (정답 표시)"
    assert list(revealed.data[0].text) == ["3", "1 (정답)"]
    assert drill_distribution(["30 s"], [3], [True], "en").data[0].text == ("3 (right answer)",)


def test_the_matrix_width_for_a_phone_grows_with_lessons_and_names_but_not_with_a_very_long_name() -> None:
    """A phone scrolls the matrix sideways at this width: each lesson column keeps room for its number."""
    base = progress_matrix_width(["Mina"], 12)
    assert progress_matrix_width(["Mina"], 13) - base == 40
    assert progress_matrix_width(["Mina Park"], 12) > base
    assert progress_matrix_width(["x" * 200], 12) == progress_matrix_width(["x" * 30], 12)
    assert progress_matrix_width([], 12) >= 40 * 12
