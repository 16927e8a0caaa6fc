"""Echo outside values (a link's query parameters, an upload's name, an error message that quotes
them) inside the app's own Markdown as literal text, never as formatting, links, images or HTML.

    literal(value)   a value as an inline code span, one line, shortened: "tree `**Urgent:** [x](…)`"
    plain(text)      a whole sentence with every Markdown/HTML character escaped (for error messages)

Every page that writes a query parameter, a file name or an error's text into st.error / st.warning /
st.info / st.markdown goes through one of these.
"""

from __future__ import annotations

import re

__all__ = ["LIMIT", "literal", "plain", "shorten"]

LIMIT = 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# Characters that start Markdown/HTML constructs: emphasis, code, links and images ([ ]), HTML (< >),
# strikethrough, math ($), tables (|) and the escape itself. Underscores only at a word edge (intraword
# underscores do not emphasise, so `ts_log_text` stays readable in the page source).
_MD = re.compile(r"([\\`*\[\]<>~$|])|(?<!\w)_|_(?!\w)")
# GitHub-style autolinks (http://, www., e-mail) are found in the text after escapes are resolved, so a
# backslash cannot stop them: an invisible WORD JOINER inside the trigger does. Streamlit's
# :directives:/:icons:/:emoji: are broken by escaping the colon that opens them.
_WJ = "\u2060"
_AUTOLINK = (
    (re.compile(r"://"), f":{_WJ}//"),
    (re.compile(r"(?i)\b(www)\."), rf"\1{_WJ}."),
    (re.compile(r"@"), f"@{_WJ}"),
)
_DIRECTIVE = re.compile(r"(?<!\w):(?=[A-Za-z])")
_LINE_START = re.compile(r"^([#>+-]|\d+(?=[.)]))")


def shorten(value: object, limit: int = LIMIT) -> str:
    """`value` as one line of at most `limit` characters (control characters become spaces)."""
    text = _CONTROL.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[: max(1, limit - 1)].rstrip() + "…"


def literal(value: object, limit: int = LIMIT) -> str:
    """Markdown that shows `value` verbatim (shortened) as inline code: no link, image, emphasis or HTML."""
    text = shorten(value, limit)
    if not text:
        return "`(empty)`"
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def plain(text: object, limit: int = 600) -> str:
    """Markdown that shows `text` as plain prose: no formatting, link, image, HTML, autolink or directive."""
    out = _MD.sub(lambda m: "\\" + m.group(0), shorten(text, limit))
    for rx, repl in _AUTOLINK:
        out = rx.sub(repl, out)
    out = _DIRECTIVE.sub(r"\\:", out)
    return _LINE_START.sub(lambda m: m.group(0) + "\\" if m.group(0)[0].isdigit() else "\\" + m.group(0), out)
