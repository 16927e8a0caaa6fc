"""Audit findings in another language: a finding's message was filled from its rule's template
(`{tunnel} ({ip}) is DOWN{detail}.`); the values are read back out of it and put into the translated
template, with the tunnel label and the "for N hours" detail in the same language."""

from __future__ import annotations

import re

from lab.i18n import DEFAULT_LANG, N_, data_text, t

CONTEXT = "audit.message"
_FIELD = re.compile(r"\{(tunnel|ip|detail)\}")
_FOR = re.compile(r"^ for ([\d.]+) (days|hours|minutes)$")
_UNITS = {"days": N_("{n} days"), "hours": N_("{n} hours"), "minutes": N_("{n} minutes")}


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


def _detail(detail: str, lang: str) -> str:
    m = _FOR.match(detail)
    if m:
        return " " + t("(for {duration})", lang, duration=t(_UNITS[m.group(2)], lang, n=m.group(1)))
    if detail == " (since an unknown time)":
        return " " + t("(since an unknown time)", lang)
    return detail


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
