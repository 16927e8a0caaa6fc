"""Secret masking: the one function every output of VPN Lab passes text through before showing it.

`mask_secrets(text)` replaces pre-shared keys, passwords, AWS keys and other credentials with
`****`, keeping the words around them so a masked line still reads as the line it was. It knows the
vendors' own syntax (Cisco ASA/IOS `pre-shared-key`, `crypto isakmp key`, FortiGate `set psksecret
ENC`, Palo Alto `pre-shared-key key` and `<key>`, Juniper `pre-shared-key ascii-text "$9$..."`,
strongSwan/libreswan `: PSK "..."` and swanctl `secret = ...`, AWS credentials files and JSON,
`user:pass@` in URLs), quoted values with spaces, `key value` without `=`, PEM private keys and
long random-looking tokens (a link keeps its host and path unless a segment of it is such a token); `mask_data(obj)` does the same through a JSON-like structure, masking
the whole value of any secret-named key. Every page, table, download, report and CLI output (text
and `--json`) goes through it; the corpus it is tested against, with the vendor documentation each
format comes from, is `tests/data/secrets_corpus.yaml`. Masking is idempotent and linear in the
input (no backtracking-prone patterns), so it is safe on a whole uploaded log.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["MASK", "is_secret_key", "mask_data", "mask_secrets"]

MASK = "****"

# Names of settings whose value is a secret (matched case-insensitively, `-`, `_` or nothing between
# the words). Longest first, so `aws_secret_access_key` wins over `secret`.
_KEYWORD = (
    r"(?:aws[-_]?secret[-_]?access[-_]?key|aws[-_]?session[-_]?token|aws[-_]?security[-_]?token"
    r"|secret[-_]?access[-_]?key|session[-_]?token|security[-_]?token|x-amz-security-token"
    r"|client[-_]?secret|api[-_]?key|access[-_]?token|auth[-_]?token|bearer[-_]?token|refresh[-_]?token"
    r"|tunnel\d?[-_]?pre[-_]?shared[-_]?key|pre[-_ ]?shared[-_ ]?(?:key|secret)|ppk[-_]?secret"
    r"|psk[-_]?secret|psksecret|psk|shared[-_]?secret|secret|passphrase|password|passwd|pwd"
    r"|key[-_]string|authentication[-_]key|isakmp[ \t]+key)"
)
# Keywords are whole words: not inside a longer identifier ("pre-shared-keys", "secrets", "authby=secret").
_KW = rf"(?<![A-Za-z0-9])(?P<kw>{_KEYWORD})(?![A-Za-z0-9])"

_IP = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}(?:/\d{1,2})?|(?:[0-9a-fA-F]{0,4}:){2,7}[0-9a-fA-F]{0,4}")
_QUOTED = r"\"[^\"\n]*\"|'[^'\n]*'"

# 1. key = value, key: value, key => value (config files, env files, JSON, YAML, MikroTik `secret=`).
_ASSIGN = re.compile(rf"(?i){_KW}(?P<pre>[\"']?[ \t]*(?:=>|=|:)[ \t]*)(?P<val>{_QUOTED}|[^\s,;}}\]\"'<>]+)")

# 2. key [modifiers] value, without `=` (vendor CLIs, ipsec.secrets, iked.conf, VyOS).
_MODIFIERS = (
    r"(?P<mods>(?:(?:ENC|ascii-text|hexadecimal|local|remote|key|unencrypted|encrypted|[0-9])[ \t]+"
    r"|(?:address|hostname|ipv6)[ \t]+[^\s]+[ \t]+(?:(?!key\b)[0-9.]+[ \t]+)?)*)"
)
_SPACED = re.compile(rf"(?i)(?<![=\w-]){_KW}(?P<pre>[ \t]+){_MODIFIERS}(?P<val>{_QUOTED}|[^\s;]+)")

# Words that follow "pre-shared key", "psk", "password" in ordinary log prose; never masked when they
# come without a modifier ("authentication of 'x' with pre-shared key successful").
_PROSE = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "authentication",
        "auth",
        "authenticated",
        "based",
        "be",
        "been",
        "but",
        "by",
        "can",
        "cannot",
        "check",
        "checks",
        "configured",
        "could",
        "data",
        "did",
        "does",
        "do",
        "empty",
        "enabled",
        "disabled",
        "error",
        "expired",
        "fail",
        "failed",
        "fails",
        "failure",
        "for",
        "found",
        "from",
        "has",
        "have",
        "in",
        "incorrect",
        "invalid",
        "is",
        "length",
        "lookup",
        "match",
        "matched",
        "matches",
        "method",
        "mismatch",
        "mismatched",
        "missing",
        "mode",
        "must",
        "no",
        "none",
        "not",
        "of",
        "ok",
        "on",
        "or",
        "payload",
        "policy",
        "required",
        "rejected",
        "set",
        "should",
        "success",
        "successful",
        "succeeded",
        "the",
        "to",
        "too",
        "type",
        "unknown",
        "used",
        "using",
        "verification",
        "verified",
        "was",
        "were",
        "wrong",
        "with",
        "without",
    ]
)

# 3. strongSwan / libreswan ipsec.secrets: `ids : TYPE secret` and key files with a passphrase.
_SECRETS_FILE = re.compile(
    rf"(?i)(?P<pre>(?:^|[\s])(?::[ \t]*)(?:PSK|EAP|XAUTH|NTLM)[ \t]+)(?P<val>{_QUOTED}|[^\s]+)"
)
_KEYFILE = re.compile(
    rf"(?i)(?P<pre>(?:^|[\s]):[ \t]*(?:RSA|ECDSA|BLISS|PKCS8|PKCS12|P12|PIN|PRIVATE)[ \t]+[^\s]+[ \t]+)(?P<val>{_QUOTED}|[^\s#]+)"
)

# 4. XML (Palo Alto config, EC2 API / CustomerGatewayConfiguration, also HTML-escaped).
_XML = re.compile(
    r"(?i)(?P<pre>(?:<|&lt;)(?P<tag>pre[-_]?shared[-_]?key|preSharedKey|password|phash|psk|secret|"
    r"secretAccessKey|sessionToken)(?:>|&gt;)[ \t]*)(?P<val>[^<&\s][^<&]*)(?=(?:<|&lt;)/)"
)
_XML_PAN_KEY = re.compile(
    r"(?i)(?P<pre>(?:<|&lt;)pre-shared-key(?:>|&gt;)\s*(?:<|&lt;)key(?:>|&gt;))(?P<val>[^<&]+)"
)

# 5. URLs with credentials: scheme://user:password@host
_URL = re.compile(r"(?i)(?P<pre>\b[a-z][a-z0-9+.-]{0,20}://[^\s/:@]{1,256}:)(?P<val>[^\s/@]{1,256})(?=@)")

# 6. PEM private keys (bounded: a key body is a few KB).
_PEM = re.compile(
    r"(?P<pre>-----BEGIN (?P<kind>[A-Z0-9 ]{0,40})PRIVATE KEY-----)(?P<val>[\s\S]{1,16384}?)(?=-----END (?P=kind)PRIVATE KEY-----)"
)

# 7. Shapes: AWS access key ids, 40-character AWS secret keys, long random tokens.
_ACCESS_KEY_ID = re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])")
_AWS_SECRET = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")
_TOKEN = re.compile(r"(?<![\w/.+=-])[A-Za-z0-9+/_.=-]{24,}(?![\w/.+=-])")
_NOT_SECRET_PREFIX = ("vpn-", "cgw-", "vgw-", "tgw-", "vpc-", "subnet-", "eni-", "arn:", "sha256:")
# The EC2 API's names of a VPN tunnel's phase options (VpnTunnelOptionsSpecification: Phase1EncryptionAlgorithms,
# Phase2IntegrityAlgorithms, Phase1DHGroupNumbers, ...): long, mixed case and with a digit, but names, not secrets.
_AWS_PHASE_OPTION = re.compile(r"Phase[12](?:[A-Z][a-z]+|DH)+")


# "<the tunnel's pre-shared key>": a placeholder of several words in angle brackets, which the fixes' commands write
# where the key goes; devices write a key as one token.
_PLACEHOLDER = re.compile(r"<[^<>\s]+(?:[ \t][^<>\s]+)+>")


def _quoted_mask(val: str) -> str:
    if len(val) >= 2 and val[0] == val[-1] and val[0] in "\"'":
        return val[0] + MASK + val[0]
    return MASK


def _placeholder_at(m: re.Match[str]) -> bool:
    """The value starts a placeholder, bare or in quotes (a quoted "<the tunnel's pre-shared key>" in single quotes
    ends, for the value pattern, at the apostrophe), or lies inside one ("pre-shared-key address <AWS tunnel
    outside IP> key ...": the keyword's modifier took the placeholder's first word)."""
    if _inside_placeholder(m.string, m.start("val")):
        return True
    quote = m.group("val")[:1] if m.group("val")[:1] in "\"'" else ""
    ph = _PLACEHOLDER.match(m.string, m.start("val") + len(quote))
    if ph is None:
        return False
    after = m.string[ph.end():ph.end() + 1]
    return after == quote if quote else after in ("", " ", "\t", "\n", "\r", ";", ",", ".", ")")


def _inside_placeholder(text: str, pos: int) -> bool:
    """`pos` is within a placeholder of several words in angle brackets (looked for on the same line, nearby)."""
    lt = text.rfind("<", max(0, pos - 200), pos + 1)
    if lt == -1 or lt == pos or ">" in text[lt:pos] or "\n" in text[lt:pos]:
        return False
    ph = _PLACEHOLDER.match(text, lt)
    return ph is not None and ph.end() > pos


def _assign(m: re.Match[str]) -> str:
    val = m.group("val")
    if val.strip("\"'") in ("", MASK) or _placeholder_at(m):
        return m.group(0)
    return m.group("kw") + m.group("pre") + _quoted_mask(val)


# The name of a pre-shared key spelled out with a space ("pre-shared key", "pre shared secret"), as prose writes it.
_SPELLED_OUT = re.compile(r"(?i)pre[-_ ]?shared (?:key|secret)|pre shared[-_ ]?(?:key|secret)")


def _spaced(m: re.Match[str]) -> str:
    val, mods = m.group("val"), m.group("mods")
    bare = val.strip("\"'")
    if bare in ("", MASK):
        return m.group(0)
    quoted = val != bare
    if _placeholder_at(m):
        return m.group(0)  # the start of a placeholder ("<the tunnel's pre-shared key>", also in quotes)
    if not mods and not quoted:
        # A Markdown link's text ends at "](": what follows is the link, not part of the word ("(pre-shared key
        # rules)](https://docs.aws.amazon.com/...)" in the incident report).
        bare = bare.split("](", 1)[0]
        # Prose after a keyword, a `name=value` pair, or punctuation: not a secret.
        if (
            bare.lower().rstrip(".,:;!?)]") in _PROSE
            # a parenthetical ("pre-shared key (13870)", "PSK (or ...") or a word in another script ("PSK 불일치"):
            # devices take pre-shared keys in printable ASCII and write them as one token
            or bare.startswith("(")
            or not bare.isascii()
            or re.match(r"[A-Za-z_][\w.-]*=", bare)
            or not re.search(r"\w", bare)
            or _IP.fullmatch(bare.rstrip(".,:"))
        ):
            return m.group(0)
        if (
            m.group("kw").lower() in ("secret", "password", "passwd", "passphrase", "pwd")
            and re.fullmatch(r"[A-Za-z]+[.,:]?", bare)
            and bare[0].islower()
        ):
            # "password expired", "secret rotated": an English word, kept; a value has digits or symbols.
            return m.group(0)
        if _SPELLED_OUT.fullmatch(m.group("kw")) and re.fullmatch(r"[A-Za-z]+[.,:;!?)]*", bare):
            # "pre-shared key changed on one side", "(pre-shared key mismatch)", "pre-shared key (or ...": the
            # spelled-out name is prose (configurations write `pre-shared-key`, `psk`, `secret`), and so is an
            # English word after it; a key set in prose has digits or symbols, or quotes.
            return m.group(0)
    return m.group("kw") + m.group("pre") + mods + _quoted_mask(val)


def _pre_val(m: re.Match[str]) -> str:
    val = m.group("val")
    if val.strip("\"'") == MASK or _placeholder_at(m):
        return m.group(0)
    return m.group("pre") + _quoted_mask(val)


# A protocol identifier as daemons print them (`v2N_INVALID_MAJOR_VERSION`, `ISAKMP_v2_CREATE_CHILD_SA`,
# `STATE_V2_REKEY_CHILD_I1`): upper-case words joined by underscores, with at most a version tag such as
# `v2` or `v2N`. It carries the diagnosis and is no secret.
_IDENTIFIER = re.compile(r"(?:[A-Z0-9]+|[a-z]?\d[A-Z]?)(?:_(?:[A-Z0-9]+|[a-z]?\d[A-Z]?)){2,}")


# The words a daemon joins into one long token: libreswan's `xfrm=AES_CBC_128-HMAC_SHA1_96` and policy
# `IKEv1+PSK+ENCRYPT+TUNNEL+PFS`, `InitSPI=0x48a0d49e589d838c`, Huawei's `01BGP/2/bgpBackwardTransNotification` and
# `VS=Admin-VS-CID=0x801304e0`, `TSi=192.0.1.0/24/UDP/1234`: numbers, hex, upper-case codes, lower-case words,
# capitalised and camel-case words. A random key cut at the same separators leaves parts of mixed case such as
# `wJalrXUtnFEMI`, which none of these shapes fits.
_WORD_SEPARATORS = re.compile(r"[/=+.:-]")
# The lab's own identifiers in its outputs: a category and a phase ("phase2_proposal_mismatch/IPsec").
_SNAKE_ID = r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+"
_PROTOCOL_WORD = re.compile(
    r"|\d+|0x[0-9a-fA-F]+|[A-Z0-9_]+|[a-z]+\d*|[A-Z][a-z]+|[a-z]+(?:[A-Z][a-z]+)+|[A-Z][a-z]+(?:[A-Z][a-z]+)+"
    r"|[A-Z][a-z]+[A-Z]{2,}|[A-Z]{2,}[a-z]{1,3}|[A-Z]+v\d[A-Z0-9]*|" + _SNAKE_ID
)
_CODE = re.compile(r"0x[0-9a-fA-F]+|[A-Z0-9_]*[A-Z][A-Z0-9_]*[A-Z][A-Z0-9_]*|" + _SNAKE_ID)


def _protocol_words(token: str) -> bool:
    """True when `token` is protocol words joined by separators, at least one of them a code or hex number (a
    passphrase of capitalised words such as `Secret-Password-2024` has none, and stays masked)."""
    parts = _WORD_SEPARATORS.split(token)
    return (
        len(parts) > 1
        and all(_PROTOCOL_WORD.fullmatch(part) for part in parts)
        and any(_CODE.fullmatch(part) for part in parts)
    )


def _looks_random(token: str) -> bool:
    return (
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
        and not token.lower().startswith(_NOT_SECRET_PREFIX)
        and not _AWS_PHASE_OPTION.fullmatch(token)
        and not all(_IDENTIFIER.fullmatch(part) for part in token.split("/"))
        and not _protocol_words(token)
    )


_LINK_START = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{0,20}://[^\s()<>\"']*$")


def _aws_secret(m: re.Match[str]) -> str:
    tok = m.group(0)
    # Forty characters of a link's path ("help.mikrotik.com/docs/spaces/ROS/pages/11993097/IPsec"): folders, words
    # and codes, kept unless one segment is a random-looking token, as for any other link (`_token`). A secret key
    # has a slash or two at most, so one with fewer than three is still read as a key.
    if (tok.count("/") >= 3 and _LINK_START.search(m.string, max(0, m.start() - 300), m.start())
            and not _key_in_path(tok)):
        return tok
    has_case = any(c.isupper() for c in tok) and any(c.islower() for c in tok)
    return MASK if has_case and any(c.isdigit() or c in "/+" for c in tok) else tok


def mask_secrets(text: str) -> str:
    """`text` with every secret it contains replaced by `****` (the words around it are kept)."""
    if not text:
        return text
    text = _PEM.sub(lambda m: m.group("pre") + "\n" + MASK + "\n", text)
    for rx in (_XML_PAN_KEY, _XML, _URL, _SECRETS_FILE, _KEYFILE):
        text = rx.sub(_pre_val, text)
    text = _ASSIGN.sub(_assign, text)
    text = _SPACED.sub(_spaced, text)
    text = _ACCESS_KEY_ID.sub(MASK, text)
    text = _AWS_SECRET.sub(_aws_secret, text)
    return _TOKEN.sub(_token, text)


# A link's host and path ("https://docs.aws.amazon.com/vpn/latest/s2svpn/VPNTunnels.html"): words and codes, masked
# only where one segment of it is itself a random-looking token (a key put in a path). Its query string, after "?",
# is a token of its own and is read as any other.
_SCHEME_BEFORE = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+.-]{1,20}:$")
_PATH_SEGMENTS = re.compile(r"[/.;,_-]")
_RANDOM_SEGMENT = 16  # characters: shorter segments ("s2svpn", "VPNTunnels") are names


def _key_in_path(path: str) -> bool:
    """Whether one segment of a link's host and path is a random-looking token (a key put in the path)."""
    return any(len(seg) >= _RANDOM_SEGMENT and _looks_random(seg) for seg in _PATH_SEGMENTS.split(path))


def _token(m: re.Match[str]) -> str:
    tok = m.group(0)
    if tok.startswith("//") and _SCHEME_BEFORE.search(m.string, max(0, m.start() - 24), m.start()):
        return MASK if _key_in_path(tok) else tok
    return MASK if _looks_random(tok) else tok


_SECRET_NAME = re.compile(rf"(?i)^[\"']?(?:[\w.-]*[-_.])?{_KEYWORD}[\"']?$")


def is_secret_key(name: str) -> bool:
    """True for a field name whose value is a secret (`PreSharedKey`, `aws_secret_access_key`, `password`)."""
    return bool(_SECRET_NAME.match(name.strip()))


def mask_data(obj: Any) -> Any:
    """A copy of a JSON-like structure with every string masked and secret-named fields replaced whole."""
    if isinstance(obj, str):
        return mask_secrets(obj)
    if isinstance(obj, Mapping):
        out: dict[Any, Any] = {}
        for k, v in obj.items():
            if (
                isinstance(k, str)
                and is_secret_key(k)
                and isinstance(v, str | int | float | bytes)
                and v not in ("", None)
            ):
                out[k] = MASK
            else:
                out[k] = mask_data(v)
        return out
    if isinstance(obj, list | tuple):
        return [mask_data(v) for v in obj]
    return obj
