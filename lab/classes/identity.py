"""Display names, join codes, resume tokens and facilitator keys (kept only as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from lab.errors import InputError
from lab.i18n import N_, t

NAME_MAX = 40
TITLE_MAX = 120
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LEN = 6


# Each kind of text has its own sentences (a translation needs whole sentences, not a noun put into one).
_MESSAGES = {
    "display name": (
        N_("The display name contains control or invisible characters; use plain text."),
        N_("Enter a display name."),
        N_("The display name is {n} characters long; use at most {limit}."),
    ),
    "class title": (
        N_("The class title contains control or invisible characters; use plain text."),
        N_("Enter a class title."),
        N_("The class title is {n} characters long; use at most {limit}."),
    ),
}


def _clean(text: str, what: str, limit: int) -> str:
    invisible, empty, too_long = _MESSAGES[what]
    text = " ".join((text or "").split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise InputError(t(invisible))
    if not text:
        raise InputError(t(empty))
    if len(text) > limit:
        raise InputError(t(too_long, n=len(text), limit=limit))
    return text


def clean_name(name: str) -> str:
    """A display name: plain text, spaces collapsed, 1 to 40 characters (shown escaped everywhere)."""
    return _clean(name, "display name", NAME_MAX)


def clean_title(title: str) -> str:
    return _clean(title, "class title", TITLE_MAX)


def new_secret() -> str:
    """A resume token or a facilitator key: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def hash_secret(secret: str) -> str:
    """What the store keeps instead of a token or key. The secrets are random, so SHA-256 suffices."""
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def secret_matches(secret: str, digest: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), digest)


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LEN))


def normalize_code(code: str) -> str:
    """Codes are read aloud and typed: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())
