"""Algorithms and proposals as daemons print them: names, key lengths, DH groups, and transforms a
peer seldom accepts."""

from __future__ import annotations

import re

from lab.analyzer.protocol.events import Event

DH_NAMES = {
    "1": "MODP_768", "2": "MODP_1024", "5": "MODP_1536", "14": "MODP_2048", "15": "MODP_3072",
    "16": "MODP_4096", "17": "MODP_6144", "18": "MODP_8192", "19": "ECP_256", "20": "ECP_384",
    "21": "ECP_521", "22": "MODP_1024_160", "23": "MODP_2048_224", "24": "MODP_2048_256",
    "31": "CURVE_25519", "32": "CURVE_448",
}  # IANA IKEv2 Transform Type 4 numbers (RFC 7296, RFC 5903, RFC 8031)
_ALGO_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rx, re.I), name)
    for rx, name in (
        (r"^(?:3des|des3|3des_cbc|des3_cbc|3des-cbc|tripledes|des-ede3(?:-cbc)?)(?:[_-]?\d{3})?$", "3DES"),
        (r"^(?:des|des_cbc|des-cbc)$", "DES"),
        (r"^aes(?:_cbc|-cbc|cbc)?[_-]?(128|192|256)$", "AES_CBC_{0}"),
        (r"^aes(?:_cbc|-cbc)?$", "AES_CBC_128"),
        (r"^aes[_-]?gcm(?:[_-]?(?:16|128|c16|-?16))?[_-]?(128|192|256)$", "AES_GCM_16_{0}"),
        (r"^aes(128|192|256)[_-]?gcm(?:16|128)?$", "AES_GCM_16_{0}"),
        (r"^aes[_-]?gcm(?:16)?$", "AES_GCM_16_128"),
        (r"^(?:hmac[_-]?)?md5(?:[_-]96)?$", "MD5"),
        (r"^(?:hmac[_-]?|auth_hmac_)?sha1?(?:[_-]96|[_-]160)?$", "SHA1"),
        (r"^(?:hmac[_-]?)?sha2?[_-]?(256|384|512)(?:[_-]\d+)?$", "SHA2_{0}"),
        (r"^prf[_-]?(?:hmac[_-]?)?sha1$", "PRF_SHA1"),
        (r"^prf[_-]?(?:hmac[_-]?)?sha2?[_-]?(256|384|512)$", "PRF_SHA2_{0}"),
        (r"^prf[_-]?(?:hmac[_-]?)?md5$", "PRF_MD5"),
        (r"^modp[_-]?(768|1024|1536|2048|3072|4096|6144|8192)$", "MODP_{0}"),
        (r"^ecp[_-]?(256|384|521)$", "ECP_{0}"),
        (r"^(?:dh|group|dh[_-]?group|pfs)[_ -]?(\d{1,2})$", "DH{0}"),
        (r"^curve[_-]?25519$|^x25519$", "CURVE_25519"),
    )
)
_ALGO_SPLIT = re.compile(r"[\s/,;:+|]+")
_ALGO_TOKEN = re.compile(r"\b(?:[A-Za-z0-9]+(?:[_-][A-Za-z0-9]+)*)\b")
_IGNORE = {"ike", "esp", "ah", "no_ext_seq", "ext_seq", "noesn", "esn", "none", "proposal", "transform"}


def algorithm(token: str) -> str | None:
    """One normalised algorithm name (3DES, AES_CBC_128, SHA1, SHA2_256, MODP_1024, ECP_256), or None."""
    t = token.strip().strip("[]()").replace(" ", "")
    if not t or t.lower() in _IGNORE:
        return None
    for rx, name in _ALGO_RULES:
        m = rx.match(t)
        if m:
            out = name.format(*m.groups())
            if out.startswith("DH"):
                return DH_NAMES.get(out[2:])
            return out
    return None


# From the start of a run of letters and digits only (see _MASKED): the same matches in linear time.
_PAREN_BITS = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9]+)[_ ]?(?:CBC)?\s*\((\d{3})\)")  # libreswan "AES_CBC (256)"
_GROUP_WORDS = re.compile(r"\b(?:DH|dh|[Gg]roup|GROUP|MODP|modp)[ _-]?(\d{1,4})\b")


def algorithms_in(text: str) -> list[str]:
    """Every algorithm named in a proposal text, normalised, in order, without repeats."""
    out: list[str] = []
    text = _PAREN_BITS.sub(lambda m: f"{m.group(1)}_{m.group(2)}", text)
    for m in _GROUP_WORDS.finditer(text):
        n = m.group(1)
        name = f"MODP_{n}" if len(n) >= 3 else DH_NAMES.get(n)
        if name and name not in out:
            out.append(name)
    for token in _ALGO_SPLIT.split(text):
        for part in _ALGO_TOKEN.findall(token) or [token]:
            for name in _names(part):
                if name not in out:
                    out.append(name)
    return out


def _names(token: str) -> list[str]:
    """Algorithms in one token: itself, or its dash-separated pieces ("aes256-sha256-modp2048")."""
    name = algorithm(token)
    if name:
        return [name]
    parts, found, i = token.split("-"), [], 0
    while i < len(parts):
        for width in (3, 2, 1):
            piece = "-".join(parts[i : i + width])
            name = algorithm(piece) if i + width <= len(parts) else None
            if name:
                found.append(name)
                i += width
                break
        else:
            i += 1
    return found


def proposal_list(text: str) -> list[str]:
    """A proposal listing ("IKE:AES_CBC_128/HMAC_SHA1_96/PRF_HMAC_SHA1/MODP_1024, IKE:...") as a list. pluto numbers
    its proposals and joins a proposal's transforms with ";" ("1:ESP:ENCR=AES_CBC_128;INTEG=HMAC_SHA2_256_128 2:ESP:...").
    """
    if re.match(r"\s*\d+:(?:IKE|ESP|AH):", text):
        return [p.strip() for p in re.split(r"\s+(?=\d+:(?:IKE|ESP|AH):)", text.strip()) if p.strip()][:16]
    parts = [p.strip().strip(",;") for p in re.split(r",\s*(?=[A-Za-z]+:)|\s{2,}|;\s*", text) if p.strip()]
    return [p for p in parts if p][:16]


# A key length an algorithm does not have ("3DES_CBC_333", "AES_CBC_100"): the peer must refuse such a
# proposal whatever its configuration (RFC 2409 appendix A, RFC 3602: AES keys are 128, 192 or 256 bits).
_KEY_LENGTH = re.compile(
    r"\b(?P<algo>3DES|DES3|TRIPLEDES|DES)(?:_CBC)?[_-](?P<bits>\d{2,4})\b"
    r"|\b(?P<algo2>AES)(?:_(?:CBC|CTR|GCM_(?:8|12|16|C)|CCM_(?:8|12|16|C)|GCM|CCM))?[_-](?P<bits2>\d{2,4})\b",
    re.I,
)
_VALID_BITS = {"3DES": {"192", "168"}, "DES3": {"192", "168"}, "TRIPLEDES": {"192", "168"}, "DES": {"64", "56"},
               "AES": {"128", "192", "256"}}


def key_length_flaw(text: str) -> str:
    """The first algorithm in a proposal text with a key length it does not have, e.g. "3DES_CBC_333", or ""."""
    for m in _KEY_LENGTH.finditer(text):
        algo = (m.group("algo") or m.group("algo2") or "").upper()
        bits = m.group("bits") or m.group("bits2") or ""
        if algo in _VALID_BITS and bits not in _VALID_BITS[algo]:
            return m.group(0)
    return ""


_DH_GROUP = re.compile(r"\b(?:MODP_?\d{3,4}|ECP_?\d{3}(?:_BP)?|CURVE_?(?:25519|448)|DH\d{1,2}|MLKEM\d+)\b", re.IGNORECASE)


def pfs_groups(events: list[Event], refusal: Event) -> tuple[str, str] | None:
    """(received, configured) DH groups when the Child SA proposals listed just before a refused rekey differ in
    their DH group only (RFC 7296 section 1.3.1: a CREATE_CHILD_SA may carry a KE for PFS; the Child SA created
    with IKE_AUTH never does, so a PFS mismatch shows at the first rekey)."""
    near = [e for e in events if e.stream == refusal.stream and refusal.order - 6 <= e.order < refusal.order
            and e.kind == "proposals"]
    received = next((str(e.values["received"]) for e in reversed(near) if e.values.get("received")), "")
    configured = next((str(e.values["configured"]) for e in reversed(near) if e.values.get("configured")), "")
    if not received or not configured:
        return None
    groups_r = sorted({g.upper() for g in _DH_GROUP.findall(received)})
    groups_c = sorted({g.upper() for g in _DH_GROUP.findall(configured)})
    if groups_r == groups_c:
        return None
    if _DH_GROUP.sub("", received).replace("//", "/") != _DH_GROUP.sub("", configured).replace("//", "/"):
        return None  # other algorithms differ too: not the PFS group alone
    return ", ".join(groups_r), ", ".join(groups_c)


_RARE_TRANSFORMS = (("AUTHENTICATE", "AH"), ("COMPRESS", "IPComp"))


def _policy_words(policy: str) -> set[str]:
    return set(policy.upper().split("+"))


def rare_transform(policy: str) -> str:
    """The transforms beyond ESP a Quick Mode offer asks for, from pluto's policy words
    ("RSASIG+AUTHENTICATE+TUNNEL+PFS": AH; "+COMPRESS+": IPComp): a peer without them cannot accept it."""
    words = _policy_words(policy)
    return "+".join(name for word, name in _RARE_TRANSFORMS if word in words)
