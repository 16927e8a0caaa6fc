"""The sample VPN logs shipped in `datasets/samples/`, described by that folder's README table.

Trainers and new engineers load them into the troubleshooter to walk a case without a real incident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lab import DATASETS_DIR
from lab.errors import DataError, NotFoundError

SAMPLES_DIR = DATASETS_DIR / "samples"
# A README table row: | file | what happened | expected primary category |
_ROW = re.compile(r"^\|\s*([\w.-]+\.(?:log|jsonl|txt))\s*\|\s*(.+?)\s*\|\s*(\w+)\s*\|\s*$")


@dataclass(frozen=True)
class SampleLog:
    name: str
    description: str
    expected_category: str
    path: Path

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def sample_logs(folder: Path = SAMPLES_DIR) -> tuple[SampleLog, ...]:
    """Every sample the README describes; DataError when a described file is missing."""
    readme = folder / "README.md"
    try:
        lines = readme.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(readme, [f"cannot read: {exc}"]) from exc
    samples = [
        SampleLog(m[1], m[2], m[3], folder / m[1]) for m in (_ROW.match(line) for line in lines) if m
    ]
    missing = [f"{s.name}: described but not present" for s in samples if not s.path.is_file()]
    if missing:
        raise DataError(readme, missing)
    return tuple(samples)


def sample_log(name: str) -> SampleLog:
    samples = {s.name: s for s in sample_logs()}
    if name not in samples:
        raise NotFoundError("sample log", name, sorted(samples))
    return samples[name]
