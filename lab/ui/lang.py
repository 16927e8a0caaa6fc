"""The page language: chosen from `?lang=`, the browser's language on the first visit, or the sidebar picker,
and kept in the session. `_()` / `_n()` translate a UI string into it (`lab.i18n` holds the catalogue).

A learner profile can keep the choice: `use_profile(load, save)` registers two callables; `load()` gives the
stored language (or None) on the first run of a session, `save(lang)` is called whenever the learner picks one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import streamlit as st

from lab import i18n

KEY = "lang"
PICKER_KEY = "lang_picker"
_SEEN_PARAM = "lang_param_seen"

_KEEP_ALL_CSS = (
    ".stApp p, .stApp li, .stApp label, .stApp h1, .stApp h2, .stApp h3, .stApp button, .stApp summary, "
    ".stApp [data-testid='stCaptionContainer'], .stApp [data-testid='stMetricLabel'] "
    "{ word-break: keep-all; overflow-wrap: break-word; }"
)

_profile_load: Callable[[], str | None] | None = None
_profile_save: Callable[[str], None] | None = None


def use_profile(load: Callable[[], str | None] | None, save: Callable[[str], None] | None) -> None:
    """Let the learner profile remember the language (pass None, None to stop)."""
    global _profile_load, _profile_save
    _profile_load, _profile_save = load, save


def profile_registered() -> bool:
    return _profile_load is not None or _profile_save is not None


def current() -> str:
    lang = st.session_state.get(KEY, i18n.DEFAULT_LANG)
    return lang if lang in i18n.LANGS else i18n.DEFAULT_LANG


def _session_language() -> str | None:
    """The page language of the session whose script (or widget callback) is running, if any."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return current()


# Messages of the core (lab.classes, lab.store, ...) follow the page language of the session being served.
i18n.use_language_source(_session_language)


def _(message: str, **values: Any) -> str:
    return i18n.t(message, current(), **values)


def _n(singular: str, plural: str, n: int, **values: Any) -> str:
    return i18n.tn(singular, plural, n, current(), **values)


def d(context: str, english: str) -> str:
    """Text from a data file in the page language."""
    return i18n.data_text(context, english, current())


def _browser_language() -> str | None:
    ctx = getattr(st, "context", None)
    if ctx is None:
        return None
    locale = getattr(ctx, "locale", None)
    lang = i18n.normalize(locale) if isinstance(locale, str) else None
    if lang:
        return lang
    try:
        header = ctx.headers.get("Accept-Language")
    except Exception:
        header = None
    return i18n.from_accept_language(header)


def _profile_language() -> str | None:
    if _profile_load is None:
        return None
    try:
        return i18n.normalize(_profile_load())
    except Exception:
        return None


def adopt(code: str | None) -> None:
    """Use a language kept elsewhere (the learner's profile, when they resume on this browser)."""
    lang = i18n.normalize(code) if code else None
    if lang:
        st.session_state[KEY] = lang


def _on_pick() -> None:
    lang = st.session_state.get(PICKER_KEY, i18n.DEFAULT_LANG)
    st.session_state[KEY] = lang
    if "lang" in st.query_params:
        st.query_params["lang"] = lang
        st.session_state[_SEEN_PARAM] = lang
    if _profile_save is not None:
        with contextlib.suppress(Exception):  # the session keeps the choice even if the profile cannot
            _profile_save(lang)


def choose() -> str:
    """Settle this run's language and draw the picker in the sidebar; call once per run, before the page."""
    param = st.query_params.get("lang")
    unknown = param is not None and i18n.normalize(param) is None
    if param is not None and param != st.session_state.get(_SEEN_PARAM):
        # A ?lang= counts once: a language picked afterwards is not undone by the same URL.
        st.session_state[_SEEN_PARAM] = param
        if not unknown:
            st.session_state[KEY] = i18n.normalize(param)
    if KEY not in st.session_state:
        st.session_state[KEY] = _profile_language() or _browser_language() or i18n.DEFAULT_LANG
    st.session_state[PICKER_KEY] = current()
    st.sidebar.selectbox(
        _("Language"),
        i18n.LANGS,
        key=PICKER_KEY,
        format_func=lambda code: i18n.LANGUAGE_NAMES[code],
        on_change=_on_pick,
        help=_("The language of every page. A link can choose it too: ?lang=ko or ?lang=en."),
    )
    if current() == "ko":
        # Korean lines break between words (eojeol), as Korean text is set, not inside a word.
        st.html(f"<style>{_KEEP_ALL_CSS}</style>")
    if unknown:
        # The value itself is not repeated: it came from the URL.
        st.sidebar.warning(_("The link asks for a language VPN Lab does not have; choose English or Korean."))
    return current()
