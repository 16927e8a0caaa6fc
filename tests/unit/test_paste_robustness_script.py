"""`scripts/paste_robustness.py` runs on the development excerpts and reports, per change of the paste and per way of
pasting a gateway's other tunnel, how many excerpts read otherwise, and on the lab's daemon logs per shape they reach
an engineer in (here on a few excerpts and sides: the whole run takes minutes)."""

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
    for check in ("paste texturized", "paste run-together", "paste mail-wrap-76", "paste terminal-cut-80",
                  "tunnels after", "tunnels before", "tunnels interleaved"):
        assert re.search(rf"^{check} +\d+ of \d+ read otherwise", out, re.M), check
    # the pasted texts this analyzer reads as collected: a blog engine's characters change nothing
    assert re.search(r"^paste texturized +0 of \d+ read otherwise", out, re.M)
    assert re.search(r"^40 lab sides and 40 two-sided lab pastes$", out, re.M)
    for check in ("syslog", "gui-newest-first", "charon-systemd", "bare", "untagged", "no-enc-net", "no-stamps",
                  "newest-first", "both no-stamps", "both responder-first", "both gui-first", "both gui-last",
                  "both syslog-hosts"):
        assert re.search(rf"^lab {check} +\d+ of 40 read otherwise", out, re.M), check
    # (the first 40 sides and pastes read alike in every shape today)
    assert re.search(r"^lab both gui-first +0 of 40 read otherwise", out, re.M)
