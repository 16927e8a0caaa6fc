"""Keeping the catalogue in step with the code: find every message in the source, compare with the .po files,
and update them (new messages added untranslated, vanished ones dropped, changed data text marked fuzzy)."""

from __future__ import annotations

import ast
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lab.i18n import DEFAULT_LANG, LANGS, po_path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SINGULAR_FUNCS = {"_", "N_", "t", "M"}
PLURAL_FUNCS = {"_n", "tn", "Mn"}
# A translation identical to the English on purpose (a name, an address, a protocol keyword) carries this flag;
# without it `check` reports an identical translation as untranslated.
SAME_FLAG = "same-as-english"


@dataclass(frozen=True)
class Message:
    """One catalogue entry: id (English), plural id (or ""), context (data only), where it was found."""

    msgid: str
    plural: str = ""
    context: str = ""
    where: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.context, self.msgid)


@dataclass(frozen=True)
class Problem:
    where: str
    text: str


def _func_name(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "i18n":
        return f.attr
    return ""


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def scan_file(path: Path) -> tuple[list[Message], list[Problem]]:
    """Messages in one Python file, and calls that cannot be extracted (an f-string as message id)."""
    rel = path.relative_to(PACKAGE_DIR.parent).as_posix()  # no line numbers: they would churn the .po files
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[Message] = []
    problems: list[Problem] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = _func_name(node)
        where = rel
        if name in SINGULAR_FUNCS:
            text = _literal(node.args[0])
            if text is not None:
                found.append(Message(text, where=where))
            elif isinstance(node.args[0], ast.JoinedStr):
                problems.append(Problem(where, f"{name}() with an f-string: use named placeholders instead"))
        elif name in PLURAL_FUNCS and len(node.args) >= 2:
            one, many = _literal(node.args[0]), _literal(node.args[1])
            if one is not None and many is not None:
                found.append(Message(one, plural=many, where=where))
            elif isinstance(node.args[0], ast.JoinedStr) or isinstance(node.args[1], ast.JoinedStr):
                problems.append(Problem(where, f"{name}() with an f-string: use named placeholders instead"))
    return found, problems


def source_files() -> Iterator[Path]:
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if path.relative_to(PACKAGE_DIR).as_posix() != "i18n/catalogue.py":  # its own function names
            yield path


def scan(paths: Iterable[Path] | None = None) -> tuple[dict[tuple[str, str], Message], list[Problem]]:
    """Every UI/CLI message of the package (first place it is used), and the extraction problems."""
    messages: dict[tuple[str, str], Message] = {}
    problems: list[Problem] = []
    for path in paths if paths is not None else source_files():
        found, bad = scan_file(path)
        problems += bad
        for m in found:
            messages.setdefault(m.key, m)
    return messages, problems


def _read(lang: str, domain: str):  # -> babel Catalog
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    path = po_path(lang, domain)
    if not path.exists():
        return Catalog(locale=lang, domain=domain, project="VPN Lab")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def _write(catalog, lang: str, domain: str) -> None:
    from babel.messages.pofile import write_po

    path = po_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    catalog.project = "VPN Lab"
    catalog.version = ""
    out = io.BytesIO()
    write_po(out, catalog, width=0, omit_header=False, sort_output=False, include_previous=False,
             ignore_obsolete=True, include_lineno=False)
    # Dates in the header would change on every update and make every merge conflict.
    text = b"".join(line for line in out.getvalue().splitlines(keepends=True)
                    if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:')))
    path.write_bytes(text)


def update(messages: dict[tuple[str, str], Message], domain: str = "messages") -> dict[str, int]:
    """Rewrite every language's .po of `domain` to hold exactly `messages` (in the code's order).

    Existing translations are kept. English entries are their own text. A message whose English changed
    gets the translation of the nearest old one, marked fuzzy (shown in English until someone reviews it);
    translations of messages that no longer exist are dropped. Returns the untranslated count per language.
    """
    from babel.messages.catalog import Catalog

    counts: dict[str, int] = {}
    for lang in _langs(domain):
        template = Catalog(domain=domain, project="VPN Lab")  # one per language: update() adopts its entries
        for m in messages.values():
            msgid = (m.msgid, m.plural) if m.plural else m.msgid
            template.add(msgid, context=m.context or None,
                         auto_comments=[m.where] if m.where and domain == "messages" else [])
        catalog = _read(lang, domain)
        catalog.update(template, no_fuzzy_matching=lang == DEFAULT_LANG, update_header_comment=False)
        catalog.obsolete.clear()
        catalog.fuzzy = False
        untranslated = 0
        for entry in catalog:
            if not entry.id:
                continue
            # Messages are filled with str.format ({name}); babel marks a text with "% of" python-format too, and
            # `msgfmt -c` would then check the translation as a %-format and refuse it.
            entry.flags.discard("python-format")
            if lang == DEFAULT_LANG:
                entry.string = entry.id
                entry.flags.discard("fuzzy")
            elif not _translated(entry.string) or "fuzzy" in entry.flags:
                untranslated += 1
        _write(catalog, lang, domain)
        counts[lang] = untranslated
    return counts


def translate(entries: dict[tuple[str, str], str], lang: str, domain: str = "messages") -> list[tuple[str, str]]:
    """Fill translations of existing entries, keyed by (context, English); a translation equal to the English is
    flagged as deliberate (`SAME_FLAG`), and review flags (fuzzy) are dropped. Returns the keys not found."""
    catalog = _read(lang, domain)
    found: set[tuple[str, str]] = set()
    for entry in catalog:
        if not entry.id:
            continue
        key = (entry.context or "", entry.id if isinstance(entry.id, str) else entry.id[0])
        if key not in entries:
            continue
        found.add(key)
        text = entries[key]
        entry.string = text if isinstance(entry.id, str) else tuple(text for _ in entry.id)
        entry.flags.discard("fuzzy")
        if text == key[1]:
            entry.flags.add(SAME_FLAG)
        else:
            entry.flags.discard(SAME_FLAG)
    _write(catalog, lang, domain)
    return [key for key in entries if key not in found]


def _langs(domain: str) -> tuple[str, ...]:
    """The languages with a .po file for `domain`: data text is English in the data files themselves."""
    return LANGS if domain == "messages" else tuple(lang for lang in LANGS if lang != DEFAULT_LANG)


def _translated(string: object) -> bool:
    if isinstance(string, (tuple, list)):
        return all(bool(s) for s in string)
    return bool(string)


@dataclass
class Report:
    missing: list[str]  # in the code, not in a .po
    unused: list[str]  # in a .po, not in the code
    untranslated: list[str]  # no (or a fuzzy) Korean translation
    placeholders: list[str]  # translation whose {placeholders} differ from the English
    problems: list[str]


def _names(text: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check(messages: dict[tuple[str, str], Message], domain: str = "messages") -> Report:
    """Compare the code's messages with every language's .po file."""
    report = Report([], [], [], [], [])
    for lang in _langs(domain):
        catalog = _read(lang, domain)
        have = {(e.context or "", e.id if isinstance(e.id, str) else e.id[0]): e for e in catalog if e.id}
        for key, m in messages.items():
            entry = have.get(key)
            label = f"{lang}: {m.context + ' | ' if m.context else ''}{m.msgid!r} ({m.where})"
            if entry is None:
                report.missing.append(label)
                continue
            if lang == DEFAULT_LANG:
                continue
            strings = list(entry.string) if isinstance(entry.string, (tuple, list)) else [entry.string]
            if not _translated(entry.string) or "fuzzy" in entry.flags:
                report.untranslated.append(label)
                continue
            if strings == [m.msgid] and SAME_FLAG not in entry.flags:
                report.untranslated.append(f"{label}: identical to the English (flag it {SAME_FLAG} if it is meant to be)")
                continue
            if domain == "messages":
                wanted = _names(m.msgid) | _names(m.plural)
                for s in strings:
                    if _names(s) - wanted or (not m.plural and _names(s) != wanted):
                        report.placeholders.append(f"{label}: {s!r}")
        for key in have.keys() - messages.keys():
            report.unused.append(f"{lang}: {key[0] + ' | ' if key[0] else ''}{key[1]!r}")
    return report
