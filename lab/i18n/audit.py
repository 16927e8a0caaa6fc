"""Audit findings in another language: a finding's message was filled from its rule's template
(`{tunnel} ({ip}) is DOWN{detail}.`); the values are read back out of it and put into the translated
template, with the tunnel label and the "for N hours" detail in the same language."""

from __future__ import annotations

import re

from lab.i18n import DEFAULT_LANG, N_, data_text, t

CONTEXT = "audit.message"
_FIELD = re.compile(r"\{(tunnel|ip|detail)\}")
_AMOUNT = r"(?P<amount>[\d.]+) (?P<unit>days|hours|minutes)"
# The tunnel-down rule's detail: AWS's status message (kept as AWS wrote it) and how long the tunnel has been down,
# ": IPSEC IS DOWN (for 18 minutes)" or " (for 18 minutes)".
_DOWN_FOR = re.compile(rf"(?P<status>: .*?)? \(for {_AMOUNT}\)", re.S)
_LAST_DAY = re.compile(rf"for {_AMOUNT} in the last 24 hours")
_UNKNOWN = "since an unknown time (more than the threshold is assumed)"
_NOW = re.compile(r"; (Tunnel \d+) \(([^()]*)\) is DOWN now$")
_UNITS = {"days": N_("{n} days"), "hours": N_("{n} hours"), "minutes": N_("{n} minutes")}
# The weak-crypto rule's detail, part by part: "integrity SHA1; phase 1 DH group 2; phase 2 DH group 2, 5".
_WEAK_PARTS = (
    (re.compile(r"integrity (?P<list>[\w, -]+)"), N_("integrity {list}")),
    (re.compile(r"phase 1 DH group (?P<list>[\d, ]+)"), N_("phase 1 DH group {list}")),
    (re.compile(r"phase 2 DH group (?P<list>[\d, ]+)"), N_("phase 2 DH group {list}")),
)


def _pattern(template: str) -> re.Pattern[str]:
    parts, last = [], 0
    for m in _FIELD.finditer(template):
        parts.append(re.escape(template[last:m.start()]))
        parts.append(f"(?P<{m.group(1)}>.*?)" if m.group(1) == "detail" else f"(?P<{m.group(1)}>[^()]*?)")
        last = m.end()
    parts.append(re.escape(template[last:]))
    return re.compile("^" + "".join(parts) + "$", re.S)


def _tunnel(label: str, lang: str) -> str:
    m = re.fullmatch(r"Tunnel (\d+)", label)
    return t("Tunnel {number}", lang, number=m.group(1)) if m else t("Tunnel", lang) if label == "Tunnel" else label


def _amount(m: re.Match[str], lang: str) -> str:
    return t(_UNITS[m["unit"]], lang, n=m["amount"])


def _weak_parts(detail: str, lang: str) -> str | None:
    """The weak-crypto detail in `lang`, or None when `detail` is not one."""
    parts = []
    for part in detail.split("; "):
        for pattern, message in _WEAK_PARTS:
            m = pattern.fullmatch(part)
            if m:
                parts.append(t(message, lang, list=m.group("list")))
                break
        else:
            return None
    return "; ".join(parts)


def _detail(detail: str, lang: str) -> str:
    m = _DOWN_FOR.fullmatch(detail)
    if m:
        return (m["status"] or "") + " " + t("(for {duration})", lang, duration=_amount(m, lang))
    weak = _weak_parts(detail, lang)
    if weak is not None:
        return weak
    # The single-tunnel rule: "for 3.0 hours in the last 24 hours; Tunnel 2 (ip) is DOWN now".
    now = _NOW.search(detail)
    head = detail[: now.start()] if now else detail
    m = _LAST_DAY.fullmatch(head)
    if m:
        head = t("for {duration} in the last 24 hours", lang, duration=_amount(m, lang))
    elif head == _UNKNOWN:
        head = t("since an unknown time (more than the threshold is assumed)", lang)
    else:
        return detail
    if now:
        head += t("; {tunnel} ({ip}) is DOWN now", lang, tunnel=_tunnel(now.group(1), lang), ip=now.group(2))
    return head


def localize_finding(rule: str, message: str, lang: str) -> str:
    """An audit finding's message (filled from the template of its `rule` id) in `lang`: the Monitor page and
    `vpn-lab status` alike."""
    from lab.facts import audit

    template = audit.rules().get(rule)
    return localize_message(template.message, message, lang) if template else message


def localize_message(template: str, message: str, lang: str) -> str:
    """The finding's message in `lang`; the English message when the template has no translation or the
    message does not fit its template."""
    if lang == DEFAULT_LANG:
        return message
    translated = data_text(CONTEXT, template, lang)
    if translated == template:
        return message
    m = _pattern(template).match(message)
    if m is None:
        return message
    values = m.groupdict()
    if "tunnel" in values:
        values["tunnel"] = _tunnel(values["tunnel"], lang)
    if "detail" in values:
        values["detail"] = _detail(values["detail"], lang)
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return message
