"""`scripts/paste_robustness.py` runs on the development excerpts and reports, per change of the paste and per way of
pasting a gateway's other tunnel, how many excerpts read otherwise (here on a few excerpts: the whole run takes
minutes)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "paste_robustness.py"


def test_the_script_counts_the_excerpts_each_change_turns() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "all", "--limit", "40"], capture_output=True, text=True,
                         check=True, timeout=600).stdout
    assert re.search(r"^\d+ of 40 development excerpts read right as collected$", out, re.M)
    for check in ("paste texturized", "paste run-together", "tunnels after", "tunnels before", "tunnels interleaved"):
        assert re.search(rf"^{check} +\d+ of \d+ read otherwise", out, re.M), check
    # the pasted texts this analyzer reads as collected: a blog engine's characters change nothing
    assert re.search(r"^paste texturized +0 of \d+ read otherwise", out, re.M)
