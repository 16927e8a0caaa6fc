"""The failure catalogue and failure scripts: what can break, where, and when.

A failure has a kind from `FAILURE_KINDS`, a target (a customer gateway key such as `cgw-a`, a
tunnel id such as `tunnel-1`, or `all`), a start second and an optional duration (None: until
the end of the run). The CLI writes one as `KIND[:TARGET]@SECONDS[+DURATION]`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from lab.errors import InputError, NotFoundError
from lab.i18n import D, M, Msg, Seq
from lab.sim.scenarios import ScenarioSpec


@dataclass(frozen=True)
class FailureKind:
    id: str
    title: str
    description: str
    targets: str  # "cgw", "tunnel" or "all"
    bgp_only: bool = False
    # Happens at one moment (a message sent, an endpoint swapped): it has a start and no duration; what
    # follows is the design's own recovery.
    instant: bool = False


FAILURE_KINDS: tuple[FailureKind, ...] = (
    FailureKind(
        "cgw-down",
        "Customer gateway device down",
        "The customer gateway device stops (power, crash, reboot). With a duration it comes back "
        "with no IPsec or BGP state and has to negotiate again.",
        "cgw",
    ),
    FailureKind(
        "cgw-link-down",
        "Customer gateway internet link down",
        "The device keeps running but its internet link fails: nothing reaches the AWS endpoints "
        "and the device still believes its tunnels are up until its own DPD gives up.",
        "cgw",
    ),
    FailureKind(
        "endpoint-replacement",
        "AWS tunnel endpoint replacement",
        "AWS replaces the endpoint of one tunnel (maintenance). The tunnel goes down at once; the "
        "new endpoint keeps the outside IP but has no IKE state, so someone must initiate IKE.",
        "tunnel",
        instant=True,
    ),
    FailureKind(
        "ike-delete",
        "Customer gateway sends Delete IKE_SA",
        "The customer gateway deletes the IKE SA of one tunnel (an operator command, a config "
        "reload). AWS receives the Delete and takes the tunnel down; IKE must be negotiated again.",
        "tunnel",
        instant=True,
    ),
    FailureKind(
        "idle",
        "No traffic for a while (idle)",
        "Nobody sends anything in either direction. A customer gateway that drops idle SAs lets "
        "them lapse; keepalive pings prevent it.",
        "all",
    ),
    FailureKind(
        "psk-mismatch",
        "Pre-shared key changed on one side",
        "The pre-shared key of one tunnel is changed on the AWS side only. Changing tunnel "
        "options replaces that tunnel's endpoint; when the new endpoint is in service, whoever changed "
        "the key tests the tunnel from the customer gateway, and every attempt fails authentication "
        "until the keys match again (end of the failure).",
        "tunnel",
    ),
    FailureKind(
        "proposal-mismatch",
        "Proposal changed on one side",
        "The allowed encryption/integrity/DH values of one tunnel are changed on the AWS side so "
        "they no longer include what the customer gateway proposes. When the new endpoint is in "
        "service, whoever changed it tests the tunnel from the customer gateway, and every attempt "
        "fails with 'No Proposal Match Found by AWS' until the failure ends.",
        "tunnel",
    ),
    FailureKind(
        "bgp-reset",
        "BGP session reset",
        "The BGP session on one tunnel is reset (Cease / Administrative Reset). IPsec stays up; "
        "routes learned over the session are withdrawn until it is re-established.",
        "tunnel",
        bgp_only=True,
        instant=True,
    ),
)

_KINDS = {k.id: k for k in FAILURE_KINDS}


@dataclass(frozen=True)
class Failure:
    kind: str
    target: str = ""
    at_s: int = 0
    duration_s: int | None = None

    @property
    def end_s(self) -> int | None:
        return None if self.duration_s is None else self.at_s + self.duration_s

    def label(self) -> str:
        text = f"{self.kind}:{self.target}@{self.at_s}"
        return text + (f"+{self.duration_s}" if self.duration_s is not None else "")


def failure_kind(kind_id: str) -> FailureKind:
    if kind_id not in _KINDS:
        raise NotFoundError("failure kind", kind_id, list(_KINDS))
    return _KINDS[kind_id]


def valid_targets(spec: ScenarioSpec, kind_id: str) -> list[str]:
    """Targets a failure kind can have in a scenario (bgp-reset: only BGP tunnels)."""
    kind = failure_kind(kind_id)
    if kind.targets == "cgw":
        return spec.cgw_keys()
    if kind.targets == "all":
        return ["all"]
    rows = spec.tunnel_rows()
    return [tid for tid, conn, _t, _c in rows if not kind.bgp_only or conn.routing == "bgp"]


def target_words(spec: ScenarioSpec | None, target: str) -> Msg | str:
    """A target as a participant reads it: "cgw-a (Customer gateway A)", "tunnel-1 (Customer gateway A,
    us-east-1a)", "all traffic"; a part the design does not have (or no design) is its id."""
    if target == "all":
        return M("all traffic")
    if spec is None:
        return target
    gateway = next((g for g in spec.customer_gateways if g.key == target), None)
    if gateway is not None:
        return M("{key} ({name})", key=target, name=D("scenario.gateway", gateway.name))
    row = next((r for r in spec.tunnel_rows() if r[0] == target), None)
    if row is None:
        return target
    return M("{key} ({gateway}, {zone})", key=target, gateway=D("scenario.gateway", row[3].name), zone=row[2].az)


def failure_sentence(failure: Failure, spec: ScenarioSpec | None = None) -> Msg:
    """One failure of a script in plain words, as the scenario lab lists it and a drill shows it: "Customer gateway
    device down on cgw-a (Customer gateway A) at 60 s, for 120 s" (or "until the end"). An instant failure (a
    Delete IKE_SA, an endpoint replacement, a BGP reset) has no duration: "... at 60 s"."""
    kind = _KINDS.get(failure.kind)
    title: Msg | str = D("failure.title", kind.title) if kind else failure.kind
    # "All traffic" is what an idle period is about, not a place: the title says it.
    what = (M("{failure} on {target}", failure=title, target=target_words(spec, failure.target))
            if failure.target and failure.target != "all" else title)
    if kind is not None and kind.instant:
        return M("{what} at {at} s", what=what, at=failure.at_s)
    if failure.duration_s:
        return M("{what} at {at} s, for {seconds} s", what=what, at=failure.at_s, seconds=failure.duration_s)
    return M("{what} at {at} s, until the end", what=what, at=failure.at_s)


_SYNTAX = re.compile(r"^(?P<kind>[a-z-]+)(?::(?P<target>[a-z0-9-]+))?@(?P<at>\d+)(?:\+(?P<dur>\d+))?$")


def parse_failure(text: str) -> Failure:
    """Parse `KIND[:TARGET]@SECONDS[+DURATION]` (the target is checked later, per scenario)."""
    m = _SYNTAX.match(text.strip())
    if not m:
        raise InputError(M(
            "Cannot read failure '{text}': write KIND[:TARGET]@SECONDS[+DURATION], "
            "e.g. cgw-down:cgw-a@60 or idle@60+300. Kinds: {kinds}", text=text, kinds=", ".join(_KINDS)
        ))
    failure_kind(m["kind"])
    return Failure(m["kind"], m["target"] or "", int(m["at"]), int(m["dur"]) if m["dur"] else None)


def resolve_failures(spec: ScenarioSpec, failures: Sequence[Failure], duration_s: int) -> list[Failure]:
    """Check every failure against the scenario and the run; fill default targets.

    Raises InputError naming every problem at once (NotFoundError with choices when there is
    exactly one unknown kind or target, so the CLI can print the valid choices).
    """
    out: list[Failure] = []
    problems: list[Msg] = []
    for f in failures:
        kind = failure_kind(f.kind)
        targets = valid_targets(spec, f.kind)
        if not targets:
            problems.append(M("{kind}: {scenario} has no valid target ({title} needs a BGP tunnel)", kind=f.kind,
                              scenario=spec.id, title=D("failure.title", kind.title)))
            continue
        target = f.target or targets[0]
        if target not in targets:
            if len(failures) == 1:
                raise NotFoundError(M("{kind} target in {scenario}", kind=f.kind, scenario=spec.id), target, targets)
            problems.append(M("{kind}: unknown target '{target}' in {scenario} (valid: {valid})", kind=f.kind,
                              target=target, scenario=spec.id, valid=", ".join(targets)))
            continue
        if not 0 <= f.at_s < duration_s:
            problems.append(M(
                "{kind}:{target}: starts at {at} s, outside the run (0 to {last} s); lengthen the run or move the "
                "failure", kind=f.kind, target=target, at=f.at_s, last=duration_s - 1
            ))
            continue
        if f.duration_s is not None and f.duration_s < 1:
            problems.append(M("{kind}:{target}: the duration must be at least 1 s", kind=f.kind, target=target))
            continue
        out.append(Failure(f.kind, target, f.at_s, f.duration_s))
    if problems:
        raise InputError(M("Invalid failure script: {problems}", problems=Seq(problems, "; ")))
    return sorted(out, key=lambda f: (f.at_s, f.kind, f.target))
