"""The message catalogue: language choice, translation with named placeholders, and the catalogue in step
with the code (no message missing, unused, untranslated or with placeholders the code does not pass)."""

from __future__ import annotations

import functools
import re

import pytest

from lab import i18n
from lab.i18n.catalogue import check, scan
from lab.i18n.data import data_messages as _read_data_messages


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("ko", "ko"), ("ko-KR", "ko"), ("ko_KR.UTF-8", "ko"), ("KO", "ko"), ("en-US", "en"), ("en_GB.utf8", "en"),
     ("fr", None), ("", None), (None, None), ("ko;q=0.9", None), ("<script>", None)],
)
def test_normalize(tag: str | None, lang: str | None) -> None:
    assert i18n.normalize(tag) == lang


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7", "ko"),  # a Korean Chrome
        ("en-US,en;q=0.9,ko;q=0.8", "en"),
        ("fr-FR,fr;q=0.9,ko;q=0.5", "ko"),  # the first language we have, by weight
        ("en;q=0.2,ko;q=0.8", "ko"),
        ("fr-FR,de;q=0.8", None),
        ("ko;q=0", None),  # q=0 means "not this one"
        ("", None),
        (None, None),
    ],
)
def test_accept_language(header: str | None, lang: str | None) -> None:
    assert i18n.from_accept_language(header) == lang


def test_environment_language_follows_posix_precedence() -> None:
    assert i18n.from_environment({"LANG": "ko_KR.UTF-8"}) == "ko"
    assert i18n.from_environment({"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}) == "en"
    assert i18n.from_environment({"LANGUAGE": "ko:en"}) == "ko"
    assert i18n.from_environment({"LANG": "C.UTF-8"}) is None
    assert i18n.from_environment({}) is None


def test_translation_with_named_placeholders() -> None:
    assert i18n.t("{found} of {total} terms", "en", found=3, total=40) == "3 of 40 terms"
    assert i18n.t("{found} of {total} terms", "ko", found=3, total=40) == "용어 40개 중 3개"
    assert i18n.t("Glossary", "ko") == "용어집"
    assert i18n.t("A sentence nobody wrote", "ko") == "A sentence nobody wrote"  # falls back to English


def test_plural_forms() -> None:
    assert i18n.tn("{n} line", "{n} lines", 1, "en") == "1 line"
    assert i18n.tn("{n} line", "{n} lines", 2, "en") == "2 lines"
    assert i18n.tn("{n} line", "{n} lines", 2, "ko") == "2줄"


def test_current_language_is_used_when_none_is_given() -> None:
    token = i18n._current.set("ko")
    try:
        assert i18n.t("Lessons") == "레슨"
    finally:
        i18n._current.reset(token)
    assert i18n.t("Lessons") == "Lessons"


def test_unsupported_language_is_refused_by_set_language() -> None:
    with pytest.raises(ValueError, match="unsupported language 'xx'"):
        i18n.set_language("xx")


def test_every_po_file_compiles() -> None:
    for lang in i18n.LANGS:
        for domain in i18n.DOMAINS:
            path = i18n.po_path(lang, domain)
            if path.exists() or lang != i18n.DEFAULT_LANG:
                assert i18n.compile_po(path, lang)


def _fail_message(report, names: tuple[str, ...]) -> str:
    lines = []
    for name in names:
        items = getattr(report, name)
        if items:
            lines.append(f"{len(items)} {name}:")
            lines += [f"  {item}" for item in items[:30]]
    return "\n".join(lines + ["Run `python -m lab.i18n update`, then translate the new entries in "
                              "lab/i18n/locale/ko/LC_MESSAGES/*.po (English msgid, Korean msgstr)."])


def test_ui_catalogue_matches_the_code() -> None:
    """Every `_()`/`t()`/`N_()` string in the code is in the catalogue, translated into Korean, with the same
    placeholders; nothing in the catalogue is unused."""
    messages, problems = scan()
    assert not problems, [f"{p.where}: {p.text}" for p in problems]
    assert len(messages) > 300
    report = check(messages, "messages")
    names = ("missing", "unused", "untranslated", "placeholders")
    assert not any(getattr(report, n) for n in names), _fail_message(report, names)


# The data's messages are read from every lesson, tree, pattern and scenario: once for this module.
data_messages = functools.cache(_read_data_messages)


def test_data_catalogue_lists_the_data_it_translates() -> None:
    """The Korean data catalogue is read without error and most of its entries still match the English data.

    Data text is translated by (field, English text): when the English changes, the page shows the English
    until `python -m lab.i18n update` has marked the old translation fuzzy and someone has reviewed it. So an
    outdated entry is not an error here, but a catalogue that has drifted far from the data is."""
    report = check(data_messages(), "data")
    assert not report.placeholders
    total = len(data_messages())
    assert len(report.missing) < 0.25 * total, _fail_message(report, ("missing",))


_URL = re.compile(r"https?://[^\s)\]]+")
_CODE = re.compile(r"`[^`]+`")


def test_data_translations_keep_links_and_code() -> None:
    """A translation keeps every link and every `code` span of the English (commands, ids, values)."""
    catalog = i18n.translations("ko", "data")
    bad = []
    for (context, english), _m in data_messages().items():
        korean = catalog.pgettext(context, english)
        if korean == english:
            continue
        for pattern in (_URL, _CODE):
            missing = set(pattern.findall(english)) - set(pattern.findall(korean))
            if missing:
                bad.append(f"{context}: {english[:60]!r} lacks {sorted(missing)}")
    assert not bad, "\n".join(bad)


def test_audit_messages_in_korean_keep_their_values() -> None:
    from lab.facts import audit
    from lab.i18n.audit import localize_message
    from lab.replay import incidents

    checked = 0
    for inc in incidents():
        now = inc.snapshot.end
        for finding in audit.audit_all(inc.snapshot.connections, now):
            template = audit.rules()[finding.rule].message
            korean = localize_message(template, finding.message, "ko")
            assert korean != finding.message, finding.message
            if finding.tunnel_ip:
                assert finding.tunnel_ip in korean
            checked += 1
    assert checked >= 5
    assert localize_message("{tunnel} ({ip}) is DOWN{detail}.", "Tunnel 2 (1.2.3.4) is DOWN.", "ko") == \
        "터널 2(1.2.3.4)이(가) DOWN입니다."
    # AWS's status message stays as AWS wrote it; how long the tunnel has been down is in Korean.
    down = audit.rules()["tunnel-down"].message
    assert localize_message(down, "Tunnel 2 (1.2.3.4) is DOWN: IPSEC IS DOWN (for 18 minutes).", "ko") == \
        "터널 2(1.2.3.4)이(가) DOWN입니다: IPSEC IS DOWN (18분째)."
    assert localize_message(down, "Tunnel 2 (1.2.3.4) is DOWN (for 2.5 hours).", "ko") == \
        "터널 2(1.2.3.4)이(가) DOWN입니다 (2.5시간째)."
    weak = audit.rules()["weak-crypto"].message
    assert localize_message(weak, "Tunnel 1 (1.2.3.4) accepts integrity SHA1; phase 1 DH group 2; phase 2 DH group 2, 5.",
                            "ko") == "터널 1(1.2.3.4)이(가) 다음을 허용합니다: 무결성 SHA1; 1단계 DH 그룹 2; 2단계 DH 그룹 2, 5."
    template = audit.rules()["single-tunnel"].message
    msg = template.format(detail="for 3.5 hours in the last 24 hours; Tunnel 2 (1.2.3.4) is DOWN now")
    assert localize_message(template, msg, "ko") == (
        "연결이 터널 하나로 동작했습니다(한 터널은 UP, 다른 터널은 DOWN) 지난 24시간 중 3.5시간; "
        "터널 2(1.2.3.4)이(가) 지금 DOWN입니다.")
    assert localize_message(template, "something else", "ko") == "something else"  # no fit: English kept


def test_identical_translation_must_be_flagged(tmp_path, monkeypatch) -> None:
    """A Korean text equal to the English counts as untranslated unless it is flagged as deliberate (a name, an
    address); `translate` sets that flag by itself when it writes an identical text."""
    from lab.i18n import catalogue
    from lab.i18n.catalogue import SAME_FLAG, Message, translate

    po = tmp_path / "ko" / "LC_MESSAGES" / "data.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgctxt "figure.label"\nmsgid "VPC 1"\nmsgstr "VPC 1"\n\n'
                  'msgctxt "figure.label"\nmsgid "tunnel"\nmsgstr "터널"\n', encoding="utf-8")
    monkeypatch.setattr(catalogue, "po_path", lambda lang, domain="messages": tmp_path / lang / "LC_MESSAGES" / f"{domain}.po")
    found = {("figure.label", s): Message(s, context="figure.label") for s in ("VPC 1", "tunnel")}
    report = catalogue.check(found, "data")
    assert [u for u in report.untranslated if "VPC 1" in u and "identical" in u]
    assert translate({("figure.label", "VPC 1"): "VPC 1"}, "ko", "data") == []
    assert SAME_FLAG in po.read_text(encoding="utf-8")
    assert not catalogue.check(found, "data").untranslated


def test_a_title_inside_an_english_sentence_keeps_its_acronyms() -> None:
    """A category title lower-cased for use inside a sentence: capitalised words only, so acronyms and names
    (IKE, IKEv1, IPsec, BGP, ESP) stay as they are written; Korean has no case and is left alone."""
    from lab.analyzer.diagnosis import categories

    titles = {k: i18n.D("category.title", c.title, lower=True) for k, c in categories().items()}
    assert titles["ike_version_mismatch"].render("en") == "IKE version mismatch (IKEv1 vs IKEv2)"
    assert titles["phase1_proposal_mismatch"].render("en") == "phase 1 (IKE) proposal mismatch"
    assert titles["ipsec_mode_mismatch"].render("en") == "IPsec mode mismatch (tunnel vs transport, ESP vs AH)"
    assert titles["dpd_timeout"].render("en") == "dead peer detection timed out"
    assert titles["bgp_down"].render("en") == "BGP session down"
    assert titles["ike_version_mismatch"].render("ko") == i18n.D("category.title", categories()[
        "ike_version_mismatch"].title).render("ko")


def test_no_catalogue_entry_is_flagged_as_a_percent_format() -> None:
    """Messages are filled with str.format; a "%" in the text ("{pct} % of traffic") must not make an entry a
    python-format one, which `msgfmt -c` would check as a %-format and refuse."""
    from lab.i18n.catalogue import po_path

    for lang in ("en", "ko"):
        for domain in ("messages", "data"):
            path = po_path(lang, domain)
            if path.exists():
                flagged = re.findall(r"^#,.*(?<!brace-)\bpython-format\b.*$", path.read_text(encoding="utf-8"), re.M)
                assert not flagged, (path.name, flagged[:3])
