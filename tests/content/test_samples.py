"""The shipped sample logs: every file is described, and each analyzes to its expected diagnosis."""

from __future__ import annotations

import pytest

from lab import analyzer
from lab.analyzer.samples import SAMPLES_DIR, sample_logs


def test_every_sample_file_is_described() -> None:
    described = {s.name for s in sample_logs()}
    present = {p.name for p in SAMPLES_DIR.iterdir() if p.name != "README.md"}
    assert described == present


@pytest.mark.parametrize("sample", sample_logs(), ids=lambda s: s.name)
def test_sample_analyzes_to_its_expected_category(sample) -> None:
    result = analyzer.analyze_text(sample.text())
    assert result.primary is not None and result.primary.category == sample.expected_category
