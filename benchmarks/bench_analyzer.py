"""Log analyzer speed and memory on 1,000,000-line logs, next to `grep -E -c` in the same run.

Usage: .venv/bin/python benchmarks/bench_analyzer.py [--lines 1000000] [--runs 3] [--logs sparse,dense]
Target: within 3x of grep on both logs, memory flat in the file size. grep runs in the C locale and in
the user's locale (with -i, a UTF-8 locale slows it down a lot); the ratio is to the faster of the two,
in wall time and in CPU time (on a shared machine wall time mostly measures waiting for a core).

Two logs (in a temporary directory):
- sparse: AWS tunnel-log JSON and strongSwan lines, 1 line in 100 a known failure message (a fifth of
  the lines are ordinary IKE exchanges the analyzer reads as context events; it prints the share);
- dense: every line taken from the real failure excerpts of the corpus' development part
  (datasets/real-logs/dev, the same lines an engineer pastes), repeated to the size; about half of them
  are lines the analyzer reads as events (printed).
grep gets a comparable phrase list: every pattern keyword (the literal each pattern's lines contain)
as one case-insensitive ERE alternation - it finds the same candidate lines the analyzer's prefilter
finds, without reading them as protocol events.
Memory: the analyzer's peak (tracemalloc) on a tenth, a quarter and the whole of each log. It is bounded, not
proportional: a small log is read whole, a long one keeps at most PENDING_BYTES of waiting input and the bounded
events of lab.analyzer.scan, so where a log ends relative to those windows moves the peak up or down by a few tens
of MB at any size. Flat means the whole log's peak is no higher than the smaller logs' highest peak (printed).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from pathlib import Path

from lab import DATASETS_DIR
from lab.analyzer import analyze_path, load_patterns
from lab.analyzer.prefilter import ENGINE
from lab.analyzer.scan import Scanner

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


def excerpt_lines() -> list[str]:
    """Every line of the development excerpts of the real-log corpus (the held-out part is never read)."""
    lines: list[str] = []
    for path in sorted((DATASETS_DIR / "real-logs" / "dev").glob("*.log")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def generate_dense(path: Path, lines: int) -> float:
    """Write the excerpt lines over and over; return the share of lines the analyzer reads as events."""
    source = excerpt_lines()
    scanner = Scanner()
    scanner.feed("\n".join(source))
    share = len(scanner.result().events) / len(source)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            fh.write(source[i % len(source)] + "\n")
    return share


def event_share(path: Path) -> float:
    """The share of lines the analyzer reads as events, over the first 100,000 lines (read in pieces of
    2,000 lines, so every event is kept and counted)."""
    with path.open(encoding="utf-8") as fh:
        lines = [line.rstrip("\n") for _, line in zip(range(100_000), fh, strict=False)]
    count = 0
    for start in range(0, len(lines), 2000):
        scanner = Scanner(lazy=False)
        scanner.feed("\n".join(lines[start : start + 2000]))
        count += len(scanner.result().events)
    return count / len(lines)


def phrase_list() -> str:
    """Every pattern keyword, escaped, as one POSIX ERE alternation (matched with -i like the prefilter)."""
    keywords = sorted({k for p in load_patterns() for k in p.keywords})
    return "|".join(re.sub(r"([][.^$*+?(){}|\\])", r"\\\1", k) for k in keywords)


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cpu_time(fn, runs: int, child: bool = False) -> float:
    """Median CPU seconds (user + system) of fn: this process's, or its child processes' (grep). On a
    shared machine wall time mostly measures waiting for a core; CPU time is the work done."""
    times = []
    for _ in range(runs):
        if child:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            fn()
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            times.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        else:
            start = time.process_time()
            fn()
            times.append(time.process_time() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--logs", default="sparse,dense", help="which logs to time, comma-separated (default: both)")
    args = parser.parse_args()
    names = [n.strip() for n in args.logs.split(",") if n.strip()]
    if not names or any(n not in ("sparse", "dense") for n in names):
        parser.error(f"--logs takes sparse, dense or both (comma-separated), not {args.logs!r}")
    alternation = phrase_list()
    grep = shutil.which("grep")
    print(f"{len(load_patterns())} patterns, {alternation.count('|') + 1} keywords, prefilter engine: {ENGINE}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            log = Path(tmp) / f"{name}.log"
            smaller = {args.lines // 10: Path(tmp) / f"{name}-tenth.log", args.lines // 4: Path(tmp) / f"{name}-quarter.log"}
            if name == "sparse":
                generate(log, args.lines)
                for count, path in smaller.items():
                    generate(path, count)
                what = f"1 line in 100 is a failure message, {event_share(log):.0%} of lines are events"
            else:
                share = generate_dense(log, args.lines)
                for count, path in smaller.items():
                    generate_dense(path, count)
                what = f"real failure excerpts, {share:.0%} of lines are events"
            size_mb = log.stat().st_size / 1e6
            print(f"\n== {name} log: {args.lines:,} lines, {size_mb:.1f} MB ({what})")

            result = analyze_path(log)
            primary = result.primary.category if result.primary else None
            print(f"analyzer: {len(result.findings):,} findings kept, primary = {primary}")
            t_analyzer = median_time(lambda log=log: analyze_path(log), args.runs)
            c_analyzer = cpu_time(lambda log=log: analyze_path(log), args.runs)

            t_grep = c_grep = None
            greps: dict[str, float] = {}
            cpus: dict[str, float] = {}
            if grep:
                cmd = [grep, "-E", "-i", "-c", alternation, str(log)]
                count = subprocess.run(cmd, capture_output=True, text=True, check=False)
                print(f"grep -E -i -c (keyword phrase list): {count.stdout.strip()} matching lines")
                # grep is much faster in the C locale than in a UTF-8 one with -i: time both, compare
                # with the faster, so the target is never met against a slowed-down baseline.
                for label, env in (("C locale", {**os.environ, "LC_ALL": "C"}), ("user locale", None)):
                    run = lambda cmd=cmd, env=env: subprocess.run(cmd, capture_output=True, check=False, env=env)  # noqa: E731
                    greps[label] = median_time(run, args.runs)
                    cpus[label] = cpu_time(run, args.runs, child=True)
                t_grep, c_grep = min(greps.values()), min(cpus.values())

            peaks = []
            for path in (*smaller.values(), log):
                tracemalloc.start()
                analyze_path(path)
                peaks.append(tracemalloc.get_traced_memory()[1] / 1e6)
                tracemalloc.stop()

            print(f"analyzer      {t_analyzer:6.2f} s wall, {c_analyzer:6.2f} s CPU  ({args.lines / t_analyzer / 1e6:.2f} M lines/s)")
            if t_grep is not None and c_grep is not None:
                for label, t in greps.items():
                    print(f"grep -E -i -c {t:6.2f} s wall, {cpus[label]:6.2f} s CPU  ({label})")
                print(
                    f"ratio         {t_analyzer / t_grep:6.1f}x the faster grep (wall), "
                    f"{c_analyzer / max(c_grep, 1e-3):.1f}x (CPU)  (target: within 3x)"
                )
            else:
                print("grep not found: no baseline")
            sizes = [*smaller, args.lines]
            print("peak memory   " + ", ".join(f"{peak:.1f} MB for {n:,} lines" for n, peak in zip(sizes, peaks, strict=True)))
            verdict = "flat" if peaks[-1] <= max(peaks[:-1]) * 1.1 else "NOT flat"
            print(f"              {verdict}: {peaks[-1]:.1f} MB for the whole log, the smaller logs' highest "
                  f"{max(peaks[:-1]):.1f} MB (target: no higher, within 10%)")


if __name__ == "__main__":
    main()
