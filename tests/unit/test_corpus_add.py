"""The corpus batch tool applies the corpus' fixed rules: the part by the id, near-duplicates of the other part left
out unread, at most one healthy excerpt per four failures of a batch in each part."""

from __future__ import annotations

from scripts import corpus_add as tool

LINE = "Jun  2 10:01:02 gw charon: 09[IKE] received NO_PROPOSAL_CHOSEN notify error for peer {n}"


def _entry(entry_id: str, expected: str = "auth_failure", source: str = "") -> dict:
    return {"id": entry_id, "source": source or f"https://example.org/{entry_id}", "vendor": "strongswan",
            "format": "strongswan", "ike": "v2", "expected": expected, "why": "w", "order": "oldest-first",
            "two_sided": False, "prefix": "syslog"}


def _ids(part: str, n: int, prefix: str) -> list[str]:
    out, i = [], 0
    while len(out) < n:
        if tool.part_of(f"{prefix}-{i}") == part:
            out.append(f"{prefix}-{i}")
        i += 1
    return out


def test_the_part_follows_the_id_alone() -> None:
    assert {tool.part_of(i) for i in (f"x-{n}" for n in range(30))} == {"dev", "heldout"}
    assert tool.part_of("same-id") == tool.part_of("same-id")


def test_a_near_copy_of_the_other_part_and_a_known_source_are_left_out() -> None:
    held = {**_entry("old-held"), "split": "heldout", "file": "heldout/old-held.log"}
    corpus_texts = {"old-held": "\n".join(LINE.format(n=n) for n in range(5))}
    (dev_id,) = _ids("dev", 1, "copy")
    (other,) = _ids("dev", 1, "fresh")
    batch = [_entry(dev_id), _entry(other), _entry("known", source="https://example.org/old-held/")]
    texts = {dev_id: "\n".join(LINE.format(n=n + 7) for n in range(5)),  # the same lines, other numbers
             other: "Jun  2 10:01:02 gw charon: 09[IKE] peer not responding, giving up after 5 retransmits",
             "known": "Jun  2 10:01:02 gw charon: 09[IKE] something else entirely, long enough to count"}
    keep, decisions = tool.decide(batch, texts, [held], corpus_texts)
    assert [e["id"] for e in keep] == [other]
    said = {i: what for i, _part, what in decisions}
    assert said[dev_id].startswith("left out unread") and "quotes this source" in said["known"]


def test_a_batch_keeps_one_healthy_excerpt_per_four_failures_in_each_part() -> None:
    fails = _ids("dev", 5, "fail")
    healthy = _ids("dev", 3, "ok")
    batch = [_entry(i) for i in fails] + [_entry(i, "none") for i in healthy]
    texts = {e["id"]: f"Jun  2 10:01:02 gw charon: 09[IKE] line of its own for {e['id']}" for e in batch}
    keep, _ = tool.decide(batch, texts, [], {})
    assert sum(e["expected"] == "none" for e in keep) == 1 and sum(e["expected"] != "none" for e in keep) == 5


def test_two_excerpts_of_one_source_in_a_batch_keep_the_first() -> None:
    """Two tests of one results page: the one listed first stays, whatever part either falls in (the same source in
    both parts would let its lines leak into the held-out part)."""
    first, second = _entry("first-of-page", source="https://example.org/page#b1"), _entry(
        "second-of-page", source="https://example.org/page/#b2")
    texts = {"first-of-page": "Jun  2 10:01:02 r1 %BGP-3-NOTIFICATION: sent to neighbor 10.0.0.2 4/0",
             "second-of-page": "Jun  2 10:05:02 r1 %BGP-5-ADJCHANGE: neighbor 10.0.0.9 Down BGP Notification sent"}
    keep, decisions = tool.decide([first, second], texts, [], {})
    assert [e["id"] for e in keep] == ["first-of-page"]
    assert dict((i, what) for i, _part, what in decisions)["second-of-page"] == (
        "left out: an earlier excerpt of the batch quotes this source")
