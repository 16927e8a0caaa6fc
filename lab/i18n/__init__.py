"""Languages: the one message catalogue (English and Korean) and the choice of language.

Every user-facing string of the app and the CLI is a gettext message whose id is its English text, in
`locale/<lang>/LC_MESSAGES/messages.po`; text that comes from the data files (glossary, facts, trees,
scenarios, audit rules, analyzer categories, figure labels) is translated through a second domain,
`data.po`, whose entries carry a context naming the kind of field (`glossary.definition`) and whose id is
the English text, so a changed English sentence is never shown with an outdated translation (it falls
back to English until the Korean is updated; `python -m lab.i18n update` marks it). The `.po` sources
are compiled with Babel when first used (no compiled file to keep in step). `t()` and `tn()` translate
with named placeholders (`t("{n} terms", "ko", n=3)`); the language is chosen from `?lang=`, the
browser's language or a picker in the app, and from `--lang` or `LANG`/`LC_ALL` in the CLI.
"""

from __future__ import annotations

import gettext
import io
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from pathlib import Path

LANGS: tuple[str, ...] = ("en", "ko")
DEFAULT_LANG = "en"
LANGUAGE_NAMES: dict[str, str] = {"en": "English", "ko": "한국어"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAINS = ("messages", "data")

_current: ContextVar[str | None] = ContextVar("vpn_lab_lang", default=None)
_source: Callable[[], str | None] | None = None
_TAG_RE = re.compile(r"^\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*(?:\.[A-Za-z0-9-]+)?(?:@\w+)?\s*$")


class CatalogueError(ValueError):
    """A .po file that cannot be read or compiled (syntax error, fuzzy header, ...)."""


def N_(message: str) -> str:
    """Mark a string for the catalogue where it is defined (plain data); translate it where it is shown."""
    return message


def normalize(tag: str | None) -> str | None:
    """"ko", "ko-KR", "ko_KR.UTF-8", "KO" -> "ko"; an unsupported or malformed tag -> None."""
    if not tag:
        return None
    m = _TAG_RE.match(tag)
    if not m:
        return None
    lang = m.group(1).lower()
    return lang if lang in LANGS else None


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an Accept-Language header, by its q weights."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        for p in params.split(";"):
            key, _, value = p.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        ranked.append((-q, i, tag))
    for neg_q, _i, tag in sorted(ranked):
        lang = normalize(tag)
        if lang and neg_q < 0:
            return lang
    return None


def from_environment(env: Mapping[str, str] | None = None) -> str | None:
    """The language of the POSIX locale variables (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE's first)."""
    env = os.environ if env is None else env
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return normalize(value)
    language = env.get("LANGUAGE")
    return normalize(language.split(":")[0]) if language else None


def set_language(lang: str) -> Token[str]:
    """Set the language of `t()` calls without an explicit language (the CLI does this once per command)."""
    if lang not in LANGS:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGS)}")
    return _current.set(lang)


def reset_language(token: Token[str]) -> None:
    """Undo a `set_language` (the language before it applies again)."""
    _current.reset(token)


def use_language_source(source: Callable[[], str | None] | None) -> None:
    """Where `language()` looks when no `set_language` is in effect: the app registers the page language of
    the session being served, so messages of the core (a store or class error) come in the reader's language."""
    global _source
    _source = source


def explicit_language() -> str | None:
    """The language set with `set_language` (or `using`), if any; no other source is asked."""
    return _current.get()


def language() -> str:
    lang = _current.get()
    if lang is None and _source is not None:
        try:
            lang = _source()
        except Exception:  # no session to ask (a thread outside a page run): the default language
            lang = None
    return lang if lang in LANGS else DEFAULT_LANG


def po_path(lang: str, domain: str = "messages") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"


def compile_po(path: Path, lang: str) -> bytes:
    """The .mo bytes of one .po file (Babel); fuzzy entries are left out, as msgfmt does."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po

    try:
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=lang, abort_invalid=True)
    except (PoFileError, OSError, ValueError) as err:
        raise CatalogueError(f"{path}: {err}") from err
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


@cache
def _translations(lang: str, domain: str, stamp: float) -> gettext.NullTranslations:
    del stamp  # cache key only: an edited .po (newer mtime) is compiled again
    path = po_path(lang, domain)
    if not path.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compile_po(path, lang)))


# When each catalogue file was last looked at and its modification time then: {(lang, domain): (seen, mtime)}.
_STAMPS: dict[tuple[str, str], tuple[float, float]] = {}
RECHECK_S = 1.0  # an edited .po is picked up within this many seconds (each message no longer stats the file)


def translations(lang: str, domain: str = "messages") -> gettext.NullTranslations:
    lang = lang if lang in LANGS else DEFAULT_LANG
    now = time.monotonic()
    seen = _STAMPS.get((lang, domain))
    if seen is None or now - seen[0] > RECHECK_S:
        try:
            stamp = po_path(lang, domain).stat().st_mtime
        except OSError:  # no catalogue for this language and domain
            stamp = 0.0
        _STAMPS[(lang, domain)] = seen = (now, stamp)
    return _translations(lang, domain, seen[1])


def _format(text: str, values: Mapping[str, object]) -> str:
    return text.format(**values) if values else text


def t(message: str, lang: str | None = None, /, **values: object) -> str:
    """`message` (its English text) in `lang` (default: the current language), placeholders filled."""
    return _format(translations(lang or language()).gettext(message), values)


def tn(singular: str, plural: str, n: int, lang: str | None = None, /, **values: object) -> str:
    """The singular or plural form for `n`; `{n}` is available as a placeholder."""
    text = translations(lang or language()).ngettext(singular, plural, n)
    return _format(text, {"n": n, **values})


def data_text(context: str, english: str, lang: str | None = None) -> str:
    """A data file's English text in `lang`, looked up by its field context and English text."""
    lang = lang or language()
    if lang == DEFAULT_LANG or not english:
        return english
    return translations(lang, "data").pgettext(context, english)


class Msg(str):
    """A sentence a plain package produces, to be shown later in any language. It *is* its English text (a `str`:
    JSON, logs and English pages use it as is) and keeps the English template (a catalogue message id; with
    `context`, a data text) and its values, so `render(lang)` gives it in another language. A value may itself be a
    `Msg` (rendered in the same language). `plural`/`n` choose a plural form like `tn()`; `lower` lower-cases a data
    text in English (a title used inside a sentence), never in a language without case."""

    text: str
    values: tuple[tuple[str, object], ...]
    plural: str
    n: int
    context: str
    lower: bool
    sep: object

    def __new__(cls, text: str, values: tuple[tuple[str, object], ...] = (), plural: str = "", n: int = 0,
                context: str = "", lower: bool = False, sep: object = None) -> Msg:
        fields = {"text": text, "values": tuple(values), "plural": plural, "n": n, "context": context,
                  "lower": lower, "sep": sep}
        obj = str.__new__(cls, _render_fields(fields, DEFAULT_LANG))
        obj.__dict__.update(fields)
        return obj

    def __reduce__(self):  # type: ignore[override]
        return (Msg, (self.text, self.values, self.plural, self.n, self.context, self.lower, self.sep))

    def render(self, lang: str | None = None) -> str:
        lang = lang or language()
        return str(self) if lang == DEFAULT_LANG else _render_fields(self.__dict__, lang)


# A capitalised word ("Phase", "Dead"); words with more capitals (IKE, IKEv1, IPsec, BGP, ESP) are names and acronyms.
_CAPITALISED = re.compile(r"\b[A-Z][a-z]*\b")


def _lower_words(text: str) -> str:
    """A title inside an English sentence: its capitalised words lower-cased, acronyms and names kept as written
    ("IKE version mismatch (IKEv1 vs IKEv2)" -> "IKE version mismatch (IKEv1 vs IKEv2)", "Dead peer detection timed
    out" -> "dead peer detection timed out")."""
    return _CAPITALISED.sub(lambda m: m.group(0).lower(), text)


def _render_fields(f: Mapping[str, object], lang: str) -> str:
    values = {k: _render_value(v, lang) for k, v in f["values"]}  # type: ignore[attr-defined]
    text = str(f["text"])
    if f["sep"] is not None:  # a sequence: the values joined
        return str(_render_value(f["sep"], lang)).join(str(v) for v in values.values())
    if f["context"]:
        english = text
        text = data_text(str(f["context"]), english, lang)
        return _lower_words(text) if f["lower"] and lang == DEFAULT_LANG else text
    if f["plural"]:
        return tn(text, str(f["plural"]), int(f["n"]), lang, **values)  # type: ignore[call-overload]
    return t(text, lang, **values)


def _render_value(value: object, lang: str) -> object:
    return value.render(lang) if isinstance(value, Msg) else value


def Seq(parts: Iterable[object], sep: object = ", ") -> Msg:
    """Parts (messages or plain values) joined by `sep` (itself a message or a plain string), each rendered in the
    language of the whole."""
    return Msg("", tuple((str(i), p) for i, p in enumerate(parts)), sep=sep)


def M(message: str, /, **values: object) -> Msg:
    """A catalogue message with its values, rendered later (`msg.render(lang)`); `M` marks it for extraction."""
    return Msg(message, tuple(values.items()))


def Mn(singular: str, plural: str, n: int, /, **values: object) -> Msg:
    """A plural message (`{n}` available), rendered later."""
    return Msg(singular, tuple({"n": n, **values}.items()), plural=plural, n=n)


def D(context: str, english: str, *, lower: bool = False) -> Msg:
    """A data text (looked up by context and English), rendered later."""
    return Msg(english, context=context, lower=lower)


def render(value: object, lang: str | None = None) -> str:
    """A `Msg`, an error carrying one (`LabError.msg`) or anything else as text in `lang`."""
    lang = lang or language()
    if isinstance(value, Msg):
        return value.render(lang)
    msg = getattr(value, "msg", None)
    if isinstance(value, BaseException) and isinstance(msg, Msg):
        return msg.render(lang)
    return str(value)


@contextmanager
def using(lang: str | None) -> Iterator[None]:
    """`with using(lang):` messages rendered without a language inside are in `lang` (None: leave it as it is).
    A plain package that draws a figure with labels in the reader's language uses this around the drawing."""
    token = set_language(lang) if lang else None
    try:
        yield
    finally:
        if token is not None:
            reset_language(token)
