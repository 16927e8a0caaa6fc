"""The real-world log corpus (datasets/real-logs): the manifest is valid and matches the files.

The corpus is the yardstick for the log analyzer: excerpts quoted from public sources, each with
its source URL and the root cause the source itself gives. These tests check the data only; the
analyzer's accuracy on it is measured elsewhere.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

CORPUS = Path(__file__).resolve().parents[2] / "datasets" / "real-logs"
MANIFEST = CORPUS / "corpus.yaml"

FIELDS = ("id", "file", "source", "vendor", "format", "ike", "expected", "why", "order",
          "two_sided", "prefix", "split")
OPTIONAL_FIELDS = ("note",)
# every format described in README.md; each one must have excerpts
FORMATS = {
    "strongswan", "libreswan", "cisco-asa", "cisco-ios", "juniper", "fortigate", "fortigate-event",
    "paloalto", "mikrotik", "racoon", "checkpoint", "bgp-generic", "mixed", "forticlient", "f5", "tencent",
    "azure",
}
CATEGORIES = {
    "dpd_timeout", "ike_sa_deleted_by_peer", "phase1_proposal_mismatch", "phase2_proposal_mismatch",
    "auth_failure", "traffic_selector_mismatch", "peer_unreachable", "bgp_down", "rekey_issue",
    "ike_mode_mismatch", "ipsec_mode_mismatch", "ike_version_mismatch", "nat_t_or_fragmentation", "cgw_not_initiating",
    "none",
}
PREFIXES = {"none", "syslog", "timestamp", "whack-code", "android"}
MIN_ENTRIES = 150
REQUIRED_CATEGORIES = {
    "dpd_timeout", "ike_sa_deleted_by_peer", "phase1_proposal_mismatch", "phase2_proposal_mismatch",
    "auth_failure", "traffic_selector_mismatch", "peer_unreachable", "bgp_down", "rekey_issue", "none",
}
REQUIRED_FORMATS = FORMATS


def _entries() -> list[dict]:
    data = yaml.load(MANIFEST.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict) and isinstance(data.get("entries"), list), "corpus.yaml: needs an 'entries' list"
    return data["entries"]


ENTRIES = _entries()


def test_manifest_has_enough_entries() -> None:
    assert len(ENTRIES) >= MIN_ENTRIES


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: str(e.get("id")))
def test_entry_is_valid(entry: dict) -> None:
    problems = []
    missing = [f for f in FIELDS if f not in entry]
    extra = [f for f in entry if f not in FIELDS + OPTIONAL_FIELDS]
    if missing:
        problems.append(f"missing fields {missing}")
    if extra:
        problems.append(f"unknown fields {extra}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", str(entry.get("id", ""))):
        problems.append("id must be lowercase letters, digits and dashes")
    url = urlparse(str(entry.get("source", "")))
    if url.scheme != "https" or not url.netloc:
        problems.append(f"source is not an https URL: {entry.get('source')!r}")
    checks = {
        "format": FORMATS, "expected": CATEGORIES, "ike": {"v1", "v2", "unknown"},
        "order": {"oldest-first", "newest-first"}, "prefix": PREFIXES, "split": {"dev", "heldout"},
    }
    for field, allowed in checks.items():
        if entry.get(field) not in allowed:
            problems.append(f"{field} {entry.get(field)!r} not one of {sorted(allowed)}")
    if not isinstance(entry.get("two_sided"), bool):
        problems.append("two_sided must be true or false")
    if not str(entry.get("vendor", "")).strip():
        problems.append("vendor is empty")
    if len(str(entry.get("why", "")).strip()) < 20:
        problems.append("why must be a sentence")
    if entry.get("file") != f"{entry.get('split')}/{entry.get('id')}.log":
        problems.append(f"file must be <split>/<id>.log, got {entry.get('file')!r}")
    assert not problems, f"{entry.get('id')}: " + "; ".join(problems)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: str(e.get("id")))
def test_excerpt_file_is_a_real_excerpt(entry: dict) -> None:
    path = CORPUS / entry["file"]
    assert path.is_file(), f"{entry['id']}: {entry['file']} does not exist"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert 1 <= len(lines) <= 80, f"{entry['id']}: {len(lines)} lines (expected 1..80)"
    assert any(line.strip() for line in lines), f"{entry['id']}: the excerpt is blank"
    # documentation placeholders are not log lines
    assert "{ip:" not in text and "{asn:" not in text, f"{entry['id']}: documentation placeholder"


def test_ids_are_unique_and_every_file_is_listed() -> None:
    ids = Counter(e["id"] for e in ENTRIES)
    assert [i for i, n in ids.items() if n > 1] == []
    listed = {e["file"] for e in ENTRIES}
    on_disk = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*") if p.is_file()}
    assert on_disk == listed


def test_no_excerpt_is_listed_twice() -> None:
    # the same lines under two ids would count one source twice (and could sit in both parts)
    seen: dict[str, str] = {}
    twice = []
    for entry in ENTRIES:
        text = (CORPUS / entry["file"]).read_text(encoding="utf-8").strip()
        if text in seen:
            twice.append((seen[text], entry["id"]))
        seen.setdefault(text, entry["id"])
    assert twice == []


def test_heldout_part_is_about_a_third_and_spread_out() -> None:
    splits = Counter(e["split"] for e in ENTRIES)
    share = splits["heldout"] / len(ENTRIES)
    assert 0.25 <= share <= 0.40, f"held-out share {share:.2f}"
    # every category with at least three excerpts has some in each part
    by_cat: dict[str, Counter] = {}
    for e in ENTRIES:
        by_cat.setdefault(e["expected"], Counter())[e["split"]] += 1
    lopsided = {c: dict(n) for c, n in by_cat.items() if sum(n.values()) >= 3 and (not n["dev"] or not n["heldout"])}
    assert lopsided == {}


def test_coverage_of_categories_formats_and_shapes() -> None:
    cats = {e["expected"] for e in ENTRIES}
    formats = {e["format"] for e in ENTRIES}
    assert cats >= REQUIRED_CATEGORIES, f"missing categories {sorted(REQUIRED_CATEGORIES - cats)}"
    assert formats >= REQUIRED_FORMATS, f"missing formats {sorted(REQUIRED_FORMATS - formats)}"
    assert {"v1", "v2"} <= {e["ike"] for e in ENTRIES}
    assert any(e["order"] == "newest-first" for e in ENTRIES)
    assert any(e["two_sided"] for e in ENTRIES)
    assert {"none", "syslog"} <= {e["prefix"] for e in ENTRIES}


def test_the_readme_counts_are_the_manifest_s() -> None:
    # `scripts/corpus_add.py --counts` writes them; a hand edit or a forgotten recount shows here
    from scripts.corpus_add import contents

    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert contents(ENTRIES) in readme


def test_the_fixed_rule_puts_every_later_excerpt_in_its_part() -> None:
    # the first 271 excerpts were split by hand; every later one by sha256(id) % 3 (README.md)
    from scripts.corpus_add import part_of

    later = ENTRIES[271:]
    assert later and [e["id"] for e in later if e["split"] != part_of(e["id"])] == []
