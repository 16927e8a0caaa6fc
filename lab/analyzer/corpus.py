"""Accuracy on a corpus of real logs: `vpn-lab logs --eval DIR`.

A corpus directory holds `corpus.yaml` (entries with id, file, vendor, format, expected category or
"none", split dev|heldout) and the excerpts. Every excerpt is analyzed as an engineer would paste it
(format detected, not given) and the primary category is compared with the expected one. Results are
kept per split: misses are listed for the development split only, the held-out split is reported as
numbers, so nobody tunes patterns on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lab.analyzer import analyze_path
from lab.errors import DataError, InputError, LabError
from lab.i18n import t
from lab.schema import read_yaml

NONE = "none"  # a healthy excerpt: no primary cause expected


@dataclass(frozen=True)
class Case:
    id: str
    file: Path
    vendor: str
    format: str
    expected: str
    split: str


@dataclass(frozen=True)
class Outcome:
    case: Case
    got: str
    error: str = ""

    @property
    def right(self) -> bool:
        return self.got == self.case.expected


@dataclass
class Score:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.right += int(ok)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def text(self) -> str:
        return f"{self.right}/{self.total} ({self.accuracy:.0%})"


@dataclass
class SplitReport:
    split: str
    overall: Score = field(default_factory=Score)
    by_category: dict[str, Score] = field(default_factory=dict)
    by_vendor: dict[str, Score] = field(default_factory=dict)
    by_format: dict[str, Score] = field(default_factory=dict)
    misses: list[Outcome] = field(default_factory=list)
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (expected, got) -> misses, every split

    def add(self, outcome: Outcome) -> None:
        ok = outcome.right
        self.overall.add(ok)
        self.by_category.setdefault(outcome.case.expected, Score()).add(ok)
        self.by_vendor.setdefault(outcome.case.vendor, Score()).add(ok)
        self.by_format.setdefault(outcome.case.format, Score()).add(ok)
        if not ok:
            key = (outcome.case.expected, outcome.got)
            self.confusion[key] = self.confusion.get(key, 0) + 1
            if self.split != "heldout":
                self.misses.append(outcome)

    def confusion_rows(self) -> list[tuple[str, str, int]]:
        """(expected, named, count) of the misses, the most frequent first."""
        return [(e, g, n) for (e, g), n in sorted(self.confusion.items(), key=lambda kv: (-kv[1], kv[0]))]

    def to_json(self) -> dict[str, object]:
        def table(scores: dict[str, Score]) -> dict[str, dict[str, float | int]]:
            return {k: {"right": s.right, "total": s.total, "accuracy": round(s.accuracy, 4)} for k, s in sorted(scores.items())}

        return {
            "split": self.split,
            "right": self.overall.right,
            "total": self.overall.total,
            "accuracy": round(self.overall.accuracy, 4),
            "by_category": table(self.by_category),
            "by_vendor": table(self.by_vendor),
            "by_format": table(self.by_format),
            "confusion": [{"expected": e, "got": g, "count": n} for e, g, n in self.confusion_rows()],
            "misses": [
                {"id": m.case.id, "file": str(m.case.file), "expected": m.case.expected, "got": m.got, "error": m.error}
                for m in self.misses
            ],
        }


def load_cases(directory: Path | str) -> list[Case]:
    """The corpus entries, or InputError naming what is missing."""
    root = Path(directory)
    manifest = root / "corpus.yaml"
    if not manifest.is_file():
        raise InputError(f"{root} has no corpus.yaml: give the folder of a real-log corpus (datasets/real-logs).")
    try:
        data = read_yaml(manifest)
    except DataError as exc:
        raise InputError(f"Cannot read {exc}") from None
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InputError(f"{manifest} has no `entries` list.")
    cases: list[Case] = []
    problems: list[str] = []
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not all(k in e for k in ("id", "file", "expected", "split")):
            problems.append(f"entry {i} lacks id, file, expected or split")
            continue
        cases.append(
            Case(
                id=str(e["id"]),
                file=root / str(e["file"]),
                vendor=str(e.get("vendor", "unknown")),
                format=str(e.get("format", "unknown")),
                expected=str(e["expected"]),
                split=str(e["split"]),
            )
        )
    if problems:
        raise InputError(f"{manifest}: " + "; ".join(problems[:10]))
    return cases


def run(cases: Iterable[Case]) -> dict[str, SplitReport]:
    """Analyze every case; one report per split (dev, heldout, ...)."""
    reports: dict[str, SplitReport] = {}
    for case in cases:
        try:
            analysis = analyze_path(case.file)
            got, error = (analysis.primary.category if analysis.primary else NONE), ""
        except DataError:
            raise  # the pattern catalogue itself is broken: no case can be scored, say so instead of 0 %
        except LabError as exc:
            got, error = "error", str(exc)
        reports.setdefault(case.split, SplitReport(case.split)).add(Outcome(case, got, error))
    return dict(sorted(reports.items(), key=lambda kv: (kv[0] != "dev", kv[0])))


def evaluate(directory: Path | str) -> dict[str, SplitReport]:
    return run(load_cases(directory))


def render(reports: dict[str, SplitReport]) -> list[str]:
    """The human-readable report, in the current language: per split, overall, per category, per vendor, per format;
    dev misses. Category, vendor and format names and the excerpts' ids stay as in the corpus."""
    out: list[str] = []
    for split, rep in reports.items():
        out.append(t("== {split}: {score} right", split=split, score=rep.overall.text()))
        for title, scores in ((t("by category:"), rep.by_category), (t("by vendor:"), rep.by_vendor),
                              (t("by format:"), rep.by_format)):
            out.append(f"  {title}")
            for key, score in sorted(scores.items()):
                out.append(f"    {key:<28} {score.text()}")
        if rep.confusion:
            out.append("  " + t("misses by expected and named cause (counts):"))
            for expected, got, n in rep.confusion_rows():
                out.append(f"    {expected} -> {got}: {n}")
        if split == "heldout":
            out.append("  " + t("(held-out misses are not listed: the held-out part is not used to write patterns)"))
        elif rep.misses:
            out.append("  " + t("misses ({n}):", n=len(rep.misses)))
            for m in rep.misses:
                extra = f"  [{m.error}]" if m.error else ""
                out.append("    " + t("expected {expected}, got {got}: {case}", expected=m.case.expected, got=m.got,
                                      case=m.case.id) + extra)
        out.append("")
    return out
