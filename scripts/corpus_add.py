"""Add a batch of collected excerpts to the real-log corpus (datasets/real-logs) by its fixed rules.

A batch is a folder with `manifest.yaml` (a list of entries with the corpus fields except `file` and `split`) and one
`<id>.log` per entry, collected by people who did not run the analyzer. The rules (datasets/real-logs/README.md):
- the part is fixed by the id, decided before anyone reads the lines: held-out when sha256(id) % 3 == 0, else dev;
- an excerpt whose long lines (digits set aside) mostly repeat one excerpt of the other part is left out unread
  (similar tests of a test suite print near-identical lines), as is one already in the corpus word for word, or from
  a source the corpus (or an earlier excerpt of the batch, in the manifest's order) already quotes;
- a batch keeps at most one healthy (`none`) excerpt per four failures in each part, chosen by a salted hash of the
  id, never by its reading.
Nothing of a held-out excerpt is printed: only its id, its part and what the rules decided.

    .venv/bin/python scripts/corpus_add.py BATCH            what the rules decide
    .venv/bin/python scripts/corpus_add.py BATCH --apply    copy the files, add the entries, recount the README
    .venv/bin/python scripts/corpus_add.py --counts         only recount the README's Contents from the manifest
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parents[1] / "datasets" / "real-logs"
FIELDS = ("id", "source", "vendor", "format", "ike", "expected", "why", "order", "two_sided", "prefix")
ORDER = ("id", "file", "source", "vendor", "format", "ike", "expected", "why", "order", "two_sided", "prefix", "split",
         "note")
HEALTHY_SALT = "corpus-batch"  # the salted hash that picks which healthy excerpts a batch keeps
MIN_LONG_LINE = 30  # characters: shorter lines (a bare "initdone", a prompt) say nothing about a duplicate


def part_of(entry_id: str) -> str:
    """The corpus part the fixed rule gives an id."""
    return "heldout" if int(hashlib.sha256(entry_id.encode()).hexdigest(), 16) % 3 == 0 else "dev"


def _long_lines(text: str) -> set[str]:
    return {re.sub(r"\d+", "#", line).strip() for line in text.splitlines() if len(line.strip()) >= MIN_LONG_LINE}


def _source_key(url: str) -> str:
    return url.split("#", 1)[0].rstrip("/")


def decide(batch: list[dict], texts: dict[str, str], corpus: list[dict], corpus_texts: dict[str, str]
           ) -> tuple[list[dict], list[tuple[str, str, str]]]:
    """The entries to add (with their part) and, for every entry, (id, part, decision)."""
    known_ids = {e["id"] for e in corpus}
    known_sources = {_source_key(e["source"]) for e in corpus}
    whole = {t.strip() for t in corpus_texts.values()}
    lines_of = {e["id"]: _long_lines(corpus_texts[e["id"]]) for e in corpus}
    keep: list[dict] = []
    decisions: list[tuple[str, str, str]] = []
    for entry in batch:
        part = part_of(entry["id"])
        mine = _long_lines(texts[entry["id"]])
        other = "heldout" if part == "dev" else "dev"
        reason = ""
        if entry["id"] in known_ids:
            reason = "left out: the id is taken"
        elif _source_key(entry["source"]) in known_sources:
            reason = "left out: the corpus already quotes this source"
        elif any(_source_key(e["source"]) == _source_key(entry["source"]) for e in keep):
            reason = "left out: an earlier excerpt of the batch quotes this source"
        elif texts[entry["id"]].strip() in whole:
            reason = "left out: the same lines are in the corpus"
        elif mine and any(len(mine & lines_of[e["id"]]) * 2 > len(mine) for e in corpus if e["split"] == other):
            reason = f"left out unread: its lines mostly repeat an excerpt of {other}/"
        if reason:
            decisions.append((entry["id"], part, reason))
            continue
        keep.append({**entry, "split": part})
    for part in ("dev", "heldout"):
        failures = sum(1 for e in keep if e["split"] == part and e["expected"] != "none")
        healthy = sorted((e for e in keep if e["split"] == part and e["expected"] == "none"),
                         key=lambda e: hashlib.sha256((HEALTHY_SALT + e["id"]).encode()).hexdigest())
        for entry in healthy[failures // 4:]:
            keep.remove(entry)
            decisions.append((entry["id"], part, "left out: over the one healthy excerpt per four failures"))
    decisions += [(e["id"], e["split"], "added") for e in keep]
    return keep, decisions


def _table(entries: list[dict], key: str) -> str:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for e in entries:
        counts[e[key]][e["split"]] += 1
    rows = [f"| {key} | dev | heldout |", "| --- | --- | --- |"]
    rows += [f"| `{k}` | {c['dev']} | {c['heldout']} |" for k, c in sorted(counts.items())]
    return "\n".join(rows)


def contents(entries: list[dict]) -> str:
    """The README's Contents section (its counts and three tables), from the manifest."""
    parts = Counter(e["split"] for e in entries)
    ike = Counter(e["ike"] for e in entries)
    prefixes = Counter(e["prefix"] for e in entries)
    newest = sum(1 for e in entries if e["order"] == "newest-first")
    two = sum(1 for e in entries if e["two_sided"])
    return (f"## Contents\n\n{len(entries)} excerpts: {parts['dev']} in `dev/`, {parts['heldout']} in `heldout/`; "
            f"IKEv1 {ike['v1']},\nIKEv2 {ike['v2']}, BGP-only or version not stated {ike['unknown']}; {newest} "
            f"newest-first, {two} two-sided;\nprefixes: " + ", ".join(f"{k} {v}" for k, v in sorted(prefixes.items()))
            + ".\n\n" + "\n\n".join(_table(entries, k) for k in ("expected", "format", "vendor")) + "\n\n")


_CONTENTS = re.compile(r"## Contents\n.*?\| vendor \| dev \| heldout \|\n(?:\|[^\n]*\n)+\n", re.S)


def recount(readme: Path, entries: list[dict]) -> None:
    text = readme.read_text(encoding="utf-8")
    if not _CONTENTS.search(text):
        raise SystemExit(f"{readme}: no Contents section with its three tables to recount")
    readme.write_text(_CONTENTS.sub(lambda _m: contents(entries), text, count=1), encoding="utf-8")


def _load_batch(folder: Path) -> tuple[list[dict], dict[str, str]]:
    batch = yaml.safe_load((folder / "manifest.yaml").read_text(encoding="utf-8")) or []
    problems = []
    texts = {}
    for i, entry in enumerate(batch):
        missing = [f for f in FIELDS if f not in entry]
        if missing:
            problems.append(f"entry {i} ({entry.get('id', '?')}): missing {', '.join(missing)}")
            continue
        path = folder / f"{entry['id']}.log"
        if not path.is_file():
            problems.append(f"{entry['id']}: no {path.name}")
            continue
        texts[entry["id"]] = path.read_text(encoding="utf-8")
    if problems:
        raise SystemExit("the batch is not valid:\n  " + "\n  ".join(problems))
    return batch, texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("batch", nargs="?", type=Path, help="folder with manifest.yaml and <id>.log files")
    parser.add_argument("--apply", action="store_true", help="add what the rules keep")
    parser.add_argument("--counts", action="store_true", help="only recount the README's Contents")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)
    manifest = args.corpus / "corpus.yaml"
    corpus = yaml.safe_load(manifest.read_text(encoding="utf-8"))["entries"]
    if args.counts:
        recount(args.corpus / "README.md", corpus)
        return 0
    if args.batch is None:
        parser.error("give a batch folder, or --counts")
    batch, texts = _load_batch(args.batch)
    corpus_texts = {e["id"]: (args.corpus / e["file"]).read_text(encoding="utf-8") for e in corpus}
    keep, decisions = decide(batch, texts, corpus, corpus_texts)
    for entry_id, part, what in decisions:
        print(f"{part:8} {what:70} {entry_id}")
    if not args.apply:
        return 0
    text = manifest.read_text(encoding="utf-8").rstrip("\n") + "\n"
    for entry in keep:
        entry["file"] = f"{entry['split']}/{entry['id']}.log"
        shutil.copyfile(args.batch / f"{entry['id']}.log", args.corpus / entry["file"])
        ordered = {k: entry[k] for k in ORDER if entry.get(k) not in (None, "")}
        text += yaml.safe_dump([ordered], sort_keys=False, allow_unicode=True, width=120)
    manifest.write_text(text, encoding="utf-8")
    recount(args.corpus / "README.md", yaml.safe_load(text)["entries"])
    print(f"added {len(keep)}; write what the batch was and what was done with it under Contents in the README")
    return 0


if __name__ == "__main__":
    sys.exit(main())
