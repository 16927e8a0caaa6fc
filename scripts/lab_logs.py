"""The strongSwan and libreswan lab's logs (tests/data/strongswan-lab) as an engineer copies them, and the sides whose
cause scenarios.yaml names: for the analyzer's tests and for scripts/paste_robustness.py's `lab` checks."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml

LAB = Path(__file__).resolve().parents[1] / "tests" / "data" / "strongswan-lab"
SCENARIOS = yaml.load((LAB / "scenarios.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["scenarios"]
_START_UP = re.compile(r"\d\d\[(?:DMN|LIB)\] |\[JOB\] spawning|loaded IKE shared key|loaded ANY private key|added vici connection")


@cache  # the logs do not change: each is read once per worker, however many tests and tables read it
def excerpt(name: str, side: str, variant: str = "") -> str:
    """One daemon's log as an engineer copies it: after start-up, before the daemon is stopped."""
    text = (LAB / name / variant / f"{side}.log").read_text(encoding="utf-8")
    if "Starting Pluto" in text:  # pluto: from its first line about one of its connections to its shutdown
        lines = text.split("Pluto is shutting down")[0].splitlines(keepends=True)[:-1]
        if "Pluto is shutting down" not in text:  # libreswan 3.x: its shutdown starts with these lines
            end = next((i for i, line in enumerate(lines) if "shutting down interface" in line), len(lines))
            marks = [max((i for i in range(end) if word in lines[i]), default=end)
                     for word in ("crypto helpers shutdown", "forgetting secrets")]
            lines = lines[:min(marks)]
        conns = _pluto_conns(name, side, variant)
        first = next(i for i, line in enumerate(lines) if any(f'"{conn}"' in line for conn in conns))
        return "".join(lines[first:])
    text = text.split(" SIGTERM received")[0]
    return "".join(line for line in text.splitlines(keepends=True)[:-1] if not _START_UP.search(line))


def _pluto_conns(name: str, side: str, variant: str) -> list[str]:
    """The connections a pluto side's ipsec.conf defines (the release's own file where it has one)."""
    conf = LAB / name / variant / f"{side}.ipsec.conf"
    conf = conf if conf.is_file() else LAB / name / f"{side}.ipsec.conf"
    return re.findall(r"^conn (\S+)", conf.read_text(encoding="utf-8"), re.M)


# charon's encoding and network subsystems' lines ([ENC], [NET]): what a log level that leaves them out does not print
ENC_NET_LINE = re.compile(r"^.*\d\d\[(?:ENC|NET)\] .*\n?", re.M)


def without_enc_net(text: str) -> str:
    """charon's log as a daemon logging [IKE], [CFG] and the other subsystems prints it (charondebug / filelog levels
    that leave out encoding and network, or a paste filtered to the rest)."""
    return ENC_NET_LINE.sub("", text)


def paste(name: str, side: str, variant: str = "") -> str:
    return excerpt(name, "L", variant) + excerpt(name, "R", variant) if side == "B" else excerpt(name, side, variant)


CASES = [(s["name"], side, s["expected"]) for s in SCENARIOS for side in s["sides"]
         if side not in (s.get("not_read") or {})]

# The libreswan scenarios run again with other releases (libreswan 3.29 and 3.32 as Ubuntu 20.04 and 22.04 ship them,
# 5.2 as Debian 13 does, 5.4 built from its release tag; 5.4-at-once and 4.10-at-once: that release with every pluto
# made to give up at the first retransmission, as libreswan's test suite does): their logs in NAME/<variant>/. A variant's entry in scenarios.yaml says where that release behaves otherwise
# (expected with why, not_read, or not_applicable: the release refuses the setup, so the scenario does not happen);
# without one the scenario's own expected and not_read apply.
VARIANTS = ("libreswan-3.29", "libreswan-3.32", "libreswan-5.2", "libreswan-5.4", "libreswan-5.4-at-once",
            "libreswan-4.10-at-once")


def _variant(s: dict, variant: str) -> dict:
    return {**s, **((s.get("variants") or {}).get(variant) or {})}


VARIANT_SIDES = [(s["name"], variant, side, v["expected"]) for s in SCENARIOS for variant in VARIANTS
                 if (LAB / s["name"] / variant / "L.log").is_file()
                 for v in [_variant(s, variant)] if not v.get("not_applicable") for side in v["sides"]]
VARIANT_CASES = [(name, variant, side, expected) for name, variant, side, expected in VARIANT_SIDES
                 if side not in (_variant(next(s for s in SCENARIOS if s["name"] == name), variant).get("not_read") or {})]


# The charon-only scenarios run again with strongSwan 6.0.6, 5.8.2, 5.7.2 and 5.6.2 (built from their release tags;
# Debian 13 ships the 6.0 series, Ubuntu 20.04 5.8.2, Debian 10 5.7.2, Ubuntu 18.04 5.6.2), their logs in
# NAME/strongswan-RELEASE/: each side must be read as its 5.9.8 log is (a scenario's `variants: {strongswan-5.6.2: ...}`
# entry says where it is not, and why: expected, where the run itself went otherwise, or not_read).
CHARON_RELEASES = ("strongswan-6.0.6", "strongswan-5.8.2", "strongswan-5.7.2", "strongswan-5.6.2")
CHARON_RELEASE_CASES = [(s["name"], release, side, v["expected"]) for s in SCENARIOS for release in CHARON_RELEASES
                        if (LAB / s["name"] / release / "L.log").is_file() for v in [_variant(s, release)]
                        if not v.get("not_applicable")
                        for side in v["sides"] if side not in (v.get("not_read") or {})]


# The lab logs' own time stamps: charon's "Dec  1 06:05:34 14[IKE] ...", pluto's "Dec  1 06:05:34.123456: ..."
CHARON_LINE = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) (\d\d\[\w+\] )", re.M)
PLUTO_LINE = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d)\.\d+: ", re.M)
# charon's frame around its message: the time, the thread and subsystem, the IKE SA tag (the time in group 1)
CHARON_FRAME = re.compile(r"^(\w{3} [ \d]\d \d\d:\d\d:\d\d) \d\d\[\w+\] (?:<[^>]*> )?", re.M)


def gui_newest_first(text: str) -> str:
    """One daemon's log as pfSense's log table shows it and a browser copies it: newest first, whole seconds, the
    process and its id in tab columns ("Dec  1 19:21:32<TAB>charon<TAB>4242<TAB>12[IKE] ...")."""
    if PLUTO_LINE.search(text):
        text = PLUTO_LINE.sub("\\1\tpluto\t4242\t", text)
    else:
        text = CHARON_LINE.sub("\\1\tcharon\t4242\t\\2", text)
    return "".join(reversed(text.splitlines(keepends=True)))
