"""Display names, join codes, resume tokens and facilitator keys (kept only as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from lab.errors import InputError

NAME_MAX = 40
TITLE_MAX = 120
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a room
CODE_LEN = 6


def _clean(text: str, what: str, limit: int) -> str:
    text = " ".join((text or "").split())
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text):
        raise InputError(f"The {what} contains control or invisible characters; use plain text.")
    if not text:
        raise InputError(f"Enter a {what}.")
    if len(text) > limit:
        raise InputError(f"The {what} is {len(text)} characters long; use at most {limit}.")
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
