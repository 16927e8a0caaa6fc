"""Who is using this browser: the learner (resume link, cookie, or single sign-on) and the store.

Nothing about a learner is kept in process memory: the browser holds its resume token (a cookie
and, during one visit, the session), and every page reads the learner's rows from the database on
each run. Where the operator configures `[auth]` in `.streamlit/secrets.toml`, Streamlit's OIDC
login (`st.login`, `st.user`) identifies the learner instead of the resume link.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import streamlit as st

from lab.classes.progress import GUEST_NAME, new_learner, resume_learner, sso_learner
from lab.errors import LabError
from lab.store import LearnerRow, Store, StoreError, open_store
from lab.ui.lang import _, current

COOKIE = "vpnlab_learner"
TOKEN_KEY = "learner_token"
_TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
_COOKIE_JS = ('<script>document.cookie = "{name}={value}; path=/; max-age={age}; SameSite=Lax";'
              " /* {nonce} */</script>")


def now() -> datetime:
    return datetime.now(UTC)


# --- single sign-on -------------------------------------------------------------------------------------
def _provider_ok(section: Any) -> bool:
    return isinstance(section, Mapping) and all(
        isinstance(section.get(k), str) and section.get(k) for k in ("client_id", "client_secret",
                                                                      "server_metadata_url"))


def auth_provider(secrets: Mapping[str, Any]) -> str | None:
    """None when single sign-on is not configured; "" for the one default provider; else a provider name.

    Streamlit's `[auth]` needs `redirect_uri` and `cookie_secret`, plus client settings either in
    `[auth]` itself or in named providers (`[auth.google]`, `[auth.microsoft]`, ...).
    """
    auth = secrets.get("auth")
    if not isinstance(auth, Mapping) or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return None
    if _provider_ok(auth):
        return ""
    named = sorted(k for k, v in auth.items() if _provider_ok(v))
    return named[0] if named else None


def sso_provider() -> str | None:
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        return auth_provider(st.secrets.to_dict())
    except (FileNotFoundError, OSError, ValueError):
        return None


# --- the store ------------------------------------------------------------------------------------------
def store() -> Store | None:
    """The store, or None after showing why it cannot be used (the rest of the page keeps working)."""
    try:
        return open_store()
    except StoreError as err:
        st.error(_("Progress cannot be saved right now: {error}", error=str(err)), icon=":material/database:")
        return None


# --- the learner ----------------------------------------------------------------------------------------
def _valid(token: object) -> str | None:
    return token if isinstance(token, str) and _TOKEN_RE.match(token) else None


def remember(token: str) -> None:
    """Keep the token for this visit and ask the browser to keep it (a cookie) for the next one."""
    st.session_state[TOKEN_KEY] = token
    st.session_state["learner_cookie_pending"] = token


def write_cookie() -> None:
    """Emit a pending cookie change (the token is checked to be URL-safe base64 before it is written)."""
    pending = st.session_state.pop("learner_cookie_pending", None)
    if pending is None:
        return
    value, age = (pending, 365 * 24 * 3600) if _valid(pending) else ("", 0)
    st.html(_COOKIE_JS.format(name=COOKIE, value=value, age=age, nonce=now().timestamp()),
            unsafe_allow_javascript=True, width="content")


def forget() -> None:
    st.session_state.pop(TOKEN_KEY, None)
    st.session_state["forgot_cookie"] = True
    st.session_state["learner_cookie_pending"] = ""


def token() -> str | None:
    """The resume token of this browser: a `?resume=` link, this visit, or the cookie."""
    linked = _valid(st.query_params.get("resume"))
    if linked:
        if st.session_state.get(TOKEN_KEY) != linked:
            remember(linked)
            st.session_state.pop("forgot_cookie", None)
        st.query_params.pop("resume", None)  # keep the token out of the address bar once read
        return linked
    if st.session_state.get(TOKEN_KEY):
        return st.session_state[TOKEN_KEY]
    if st.session_state.get("forgot_cookie"):
        return None
    return _valid(st.context.cookies.get(COOKIE))


def current_learner(s: Store | None, *, quiet: bool = False) -> LearnerRow | None:
    """The learner using this browser, read from the database (None: not signed in yet). A store error is
    shown on the page, unless `quiet` (then it is just None)."""
    if s is None:
        return None
    try:
        provider = sso_provider()
        if provider is not None:
            if not getattr(st.user, "is_logged_in", False):
                return None
            subject = f"{st.user.get('iss', '')}#{st.user.get('sub', '')}"[:300]
            return sso_learner(s, subject, str(st.user.get("name") or st.user.get("email") or GUEST_NAME), now())
        t = token()
        return resume_learner(s, t) if t else None
    except LabError as err:
        if not quiet:
            st.error(_("Progress cannot be read right now: {error}", error=str(err)))
        return None


def _signed_in_quietly() -> tuple[Store, LearnerRow] | None:
    """The store and the learner of this browser, without a word on the page; None when nobody is signed in
    (checked before the database is touched) or the store cannot be used."""
    if sso_provider() is None and token() is None:
        return None
    try:
        s = open_store()
        learner = current_learner(s, quiet=True)
    except LabError:
        return None
    return (s, learner) if learner is not None else None


def profile_language() -> str | None:
    """The page language kept in the signed-in learner's profile (`lab.ui.lang.use_profile`'s load)."""
    found = _signed_in_quietly()
    return found[1].lang if found else None


def keep_language(code: str) -> None:
    """Keep the language a signed-in learner just picked (`lab.ui.lang.use_profile`'s save)."""
    found = _signed_in_quietly()
    if found is None:
        return
    s, learner = found
    try:
        s.set_learner_lang(learner.id, code)
    except LabError:
        return  # the session keeps the choice; the profile catches up the next time they pick


def ensure_learner(s: Store) -> LearnerRow:
    """The current learner, or a new guest whose token this browser keeps (first quiz answer)."""
    found = current_learner(s)
    if found is not None:
        return found
    row, t = new_learner(s, GUEST_NAME, now(), lang=current())
    remember(t)
    return row


def resume_link(t: str) -> str:
    """The personal link that brings a learner's progress to another browser or device."""
    base = str(st.context.url or "").split("?")[0].rstrip("/")
    if base.endswith("/progress"):
        base = base[: -len("/progress")]
    return f"{base}/progress?resume={t}"


def record_exercise(exercise_id: str) -> None:
    """Mark an exercise done for a signed-in learner; silent when nobody is signed in or the store is down
    (the page that calls this works the same without it)."""
    try:
        s = open_store()
        learner = current_learner(s)
        if learner is not None:
            s.mark_exercise(learner.id, exercise_id[:120], now())
    except LabError:
        return


_MD_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:&=\"'")


def plain(text: str) -> str:
    """User text (a display name, a class title) made inert for st.markdown: every Markdown, directive
    and HTML character backslash-escaped, so it shows exactly as typed."""
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text)
