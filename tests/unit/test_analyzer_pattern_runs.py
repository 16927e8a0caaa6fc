"""Every pattern costs time in proportion to the line it searches, whatever the line holds.

A regex that starts with a repeated character class (an address `[0-9a-fA-FxX*.:]{7,}`, a state name
`[A-Z][A-Z0-9_]*`) behind a look-behind that lets the search start again inside a run of those characters, or that
has an unbounded `.*` after a word the line may repeat, tries each position to the run's end: a pasted blob of 80,000
`x` took a minute and a half in one line. Each pattern is
measured on runs of the characters such classes take, against the same pattern on ordinary log text of the same
length, in the same run (a ratio, so the check does not depend on the machine's speed).
"""

from __future__ import annotations

from lab.analyzer.patterns import load_patterns
from tests.timing import best_pair, best_seconds

N = 6_000
RUNS = ("x", "X", "0", "a", ".", ":", "*", "1.", "A1", " ", "-", "/", "_", "x.", "A_", "IKE ", "[PERR]: ", "\"a\" ")


def test_no_pattern_is_quadratic_on_a_long_run_of_one_character_class() -> None:
    ordinary = ("Nov 29 10:01:02 cgw charon: 09[IKE] sending DPD request to 203.0.113.7 " * (N // 70 + 1))[:N]
    slow = []
    for pattern in load_patterns():
        plain = best_seconds(pattern.regex.search, ordinary, 2)
        for run in RUNS:
            text = (run * N)[:N]
            if best_seconds(pattern.regex.search, text, 2) <= 40 * plain + 0.01:
                continue  # about what ordinary text costs
            # Slower than ordinary text: a bounded repeat (`.{0,500}?` tried at each of the run's words) is, and stays
            # linear. Told apart by growth, which a busy machine does not change: four times the run costs about four
            # times as much when linear, sixteen times when quadratic.
            longer = (run * (4 * N))[: 4 * N]
            # Measured in turn (best_pair): a busy spell slows both sizes alike, not only the longer one (measured
            # apart, a linear pattern once read 9.8x under a loaded machine).
            short, long = best_pair(pattern.regex.search, text, longer, 3)
            if long > 9 * short and long > 0.5:  # the quadratic ones took 3-30 s at 4N; linear ones 0.02-0.2 s
                # Measured again before it counts: a quadratic pattern grows the same way every time, while one
                # busy spell (a linear pattern once read 0.017 s -> 0.159 s on a loaded CI machine) does not recur.
                short, long = best_pair(pattern.regex.search, text, longer, 3)
                if long > 9 * short and long > 0.5:
                    slow.append((pattern.id, run, round(short, 3), round(long, 3)))
    assert not slow, slow


def test_the_address_and_state_patterns_still_read_their_lines() -> None:
    by_id = {p.id: p for p in load_patterns()}
    assert by_id["bgp-bad-open"].regex.search("%BGP-3-NOTIFICATION: 10.0.x.x bad OPEN, remote AS is 65001, expected 65000")
    assert by_id["lib-timeout-exceeded"].regex.search(
        '"aws" #1: STATE_MAIN_I1: 60 second timeout exceeded after 7 retransmits.  No response')
    assert by_id["frr-bgp-fsm-down"].regex.search("*.*.*.* went from Established to Clearing")
