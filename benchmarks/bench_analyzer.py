"""Log analyzer speed and memory on a 1,000,000-line log, next to `grep -E -c` with the same patterns.

Usage: .venv/bin/python benchmarks/bench_analyzer.py [--lines 1000000] [--runs 3]
Target: within 3x of grep. The log (in a temporary directory) mixes AWS tunnel-log JSON and strongSwan
lines; 1 line in 100 is a known failure message. grep gets every pattern regex, converted to POSIX
ERE, as one alternation - the same work the analyzer's regexes do, without its classification.
Memory: the analyzer's peak (tracemalloc) for the full log and for a quarter of it should be close.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

from lab.analyzer import analyze_path, load_patterns

NOISE = [
    "Nov 29 10:01:{s:02d} cgw-a charon: 09[NET] sending packet: from 198.51.100.10[4500] to 203.0.113.{h}[4500] (80 bytes)",
    "Nov 29 10:01:{s:02d} cgw-a charon: 10[NET] received packet: from 203.0.113.{h}[4500] to 198.51.100.10[4500] (80 bytes)",
    "Nov 29 10:01:{s:02d} cgw-a charon: 11[ENC] parsed INFORMATIONAL response {h} [ ]",
    "Nov 29 10:01:{s:02d} cgw-a charon: 06[KNL] querying policy 10.0.{h}.0/24 === 172.16.0.0/16 in",
    '{{"event_timestamp":17644044{h:05d},"details":"AWS tunnel processed response (id={h}) for CREATE_CHILD_SA",'
    '"dpd_enabled":true,"nat_t_detected":false,"ike_phase1_state":"Established","ike_phase2_state":"Established"}}',
]
HITS = [
    "Nov 29 10:01:{s:02d} cgw-a charon: 09[IKE] sending DPD request",
    "Nov 29 10:01:{s:02d} cgw-a charon: 05[IKE] retransmit 3 of request with message ID {h}",
    "Nov 29 10:01:{s:02d} cgw-a charon: 13[IKE] giving up after 5 retransmits",
    '{{"event_timestamp":17644044{h:05d},"details":"AWS tunnel DPD timed out after 3 retransmits",'
    '"ike_phase1_state":"Down","ike_phase2_state":"Down"}}',
    '{{"event_timestamp":17644044{h:05d},"details":"AWS tunnel received DELETE for IKE_SA from CGW",'
    '"ike_phase1_state":"Down","ike_phase2_state":"Down"}}',
]


def generate(path: Path, lines: int) -> None:
    rnd = random.Random(7)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            template = rnd.choice(HITS) if i % 100 == 0 else rnd.choice(NOISE)
            fh.write(template.format(s=i % 60, h=i % 250) + "\n")


def ere(pattern: str) -> str:
    """Python regex -> POSIX ERE for the constructs the pattern files use."""
    out = pattern.replace("(?:", "(").replace(r"\d", "[0-9]").replace(r"\S", "[^[:space:]]").replace(r"\s", "[[:space:]]")
    return re.sub(r"\(\?P<\w+>", "(", out)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    alternation = "|".join(ere(p.regex.pattern) for p in load_patterns())
    with tempfile.TemporaryDirectory() as tmp:
        log, quarter = Path(tmp) / "big.log", Path(tmp) / "quarter.log"
        generate(log, args.lines)
        generate(quarter, args.lines // 4)
        size_mb = log.stat().st_size / 1e6
        print(f"log: {args.lines:,} lines, {size_mb:.1f} MB, {len(load_patterns())} patterns")

        result = analyze_path(log)
        print(f"analyzer: {len(result.findings):,} findings kept, primary = {result.primary.category if result.primary else None}")
        t_analyzer = median_time(lambda: analyze_path(log), args.runs)

        grep = shutil.which("grep")
        t_grep = None
        if grep:
            count = subprocess.run([grep, "-E", "-c", alternation, str(log)], capture_output=True, text=True, check=False)
            print(f"grep -E -c: {count.stdout.strip()} matching lines")
            t_grep = median_time(
                lambda: subprocess.run([grep, "-E", "-c", alternation, str(log)], capture_output=True, check=False),
                args.runs,
            )

        peaks = []
        for path in (quarter, log):
            tracemalloc.start()
            analyze_path(path)
            peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
            tracemalloc.stop()

    print(f"\nanalyzer      {t_analyzer:6.2f} s  ({args.lines / t_analyzer / 1e6:.2f} M lines/s)")
    if t_grep is not None:
        print(f"grep -E -c    {t_grep:6.2f} s")
        print(f"ratio         {t_analyzer / t_grep:6.1f}x grep (target: within 3x)")
    else:
        print("grep not found: no baseline")
    print(f"peak memory   {peaks[0]:6.1f} MB for {args.lines // 4:,} lines, {peaks[1]:6.1f} MB for {args.lines:,} lines")


if __name__ == "__main__":
    main()
