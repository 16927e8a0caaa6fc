"""A long token in a log line (a pasted blob, a corrupted line) costs time in proportion to its length.

The facts readers search proposal and selector texts with regexes that once began with a repeat of a character
class: a search tries such a repeat at every position of a long run, each time to the run's end, so a 3,000-character
token took half a second a line. Measured against the same reader on ordinary text of the same length, in the
same run, so the check does not depend on the machine's speed.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lab.analyzer.protocol import algorithms_in, cidrs_in
from tests.timing import best_seconds

N = 40_000


@pytest.mark.parametrize(("reader", "run"), [
    (algorithms_in, "A1" * (N // 2)),
    (algorithms_in, "7" * N),
    (cidrs_in, "1" * N),
    (cidrs_in, "ab" * (N // 2)),
    (cidrs_in, "1." * (N // 2)),
], ids=["algorithms-alnum", "algorithms-digits", "cidrs-digits", "cidrs-hex", "cidrs-dots"])
def test_a_long_run_costs_what_ordinary_text_of_its_length_costs(reader: Callable[[str], object], run: str) -> None:
    ordinary = ("proposal AES CBC 256 HMAC 10.1.0.0/16 " * (N // 38 + 1))[:N]
    long_run = best_seconds(reader, run)
    plain = best_seconds(reader, ordinary)
    # Linear: about the same (a quadratic search took over 100x as long here).
    assert long_run <= 20 * plain + 0.02, (long_run, plain)


def test_the_readers_still_read_what_follows_a_long_token() -> None:
    blob = "A1" * 5_000
    assert "AES_CBC_256" in algorithms_in(f"{blob} AES_CBC (256)/HMAC_SHA2_256_128/MODP_2048")
    assert cidrs_in(f"{'1' * 5_000} 10.1.0.0/255.255.0.0 === 192.168.1.0/24 fd00::/64") == [
        "10.1.0.0/16", "192.168.1.0/24", "fd00::/64"]
