"""lab.ui.echo: outside values are shown as literal text inside the app's Markdown."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from lab.ui.echo import LIMIT, literal, plain, shorten

HOSTILE = [
    "**Urgent:** [re-enter your AWS keys](https://evil.example/login)",
    "![x](https://evil.example/track.png)",
    "<img src=x onerror=alert(1)><script>alert(2)</script>",
    "*/alert(document.cookie);/*",
    "`` code `` and ```fence```",
    ":red[alert] :material/warning: $x^2$ ~~gone~~ | a | b |",
    "# heading",
    "1. list",
]


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)


@pytest.mark.parametrize("value", HOSTILE)
def test_literal_renders_as_one_code_span(value: str) -> None:
    html = _html(f"Unknown tree {literal(value, 200)}.")
    assert "<a " not in html and "<img" not in html and "<script" not in html and "<strong>" not in html
    assert html.count("<code>") == 1


@pytest.mark.parametrize("value", HOSTILE)
def test_plain_renders_without_markup(value: str) -> None:
    html = _html(plain(f"Cannot read failure '{value}'"))
    for tag in ("<a ", "<img", "<script", "<strong>", "<em>", "<code>", "<h1>", "<ol>", "<table>", "<s>", "<del>"):
        assert tag not in html, (tag, html)


def test_autolink_triggers_are_broken_but_read_the_same() -> None:
    out = plain("see https://evil.example/x, www.evil.example or a@b.example")
    assert "https://" not in out and "www." not in out and "a@b" not in out
    assert out.replace("\u2060", "") == "see https://evil.example/x, www.evil.example or a@b.example"


def test_values_are_shortened_to_one_line() -> None:
    assert len(shorten("x" * 500)) == LIMIT and shorten("x" * 500).endswith("…")
    assert shorten("a\nb\r\x00c") == "a b c"
    assert literal("") == "`(empty)`"
    assert literal("a`b") == "`` a`b ``"


def test_ordinary_messages_stay_readable() -> None:
    msg = "Access denied: the identity lacks ec2:DescribeVpnConnections (ts_log_text)."
    assert plain(msg) == msg
