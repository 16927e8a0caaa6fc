"""The kernel's refusal of an IPsec SA the negotiation agreed on: charon's netlink or PF_KEY error read together with
its "unable to install ... IPsec SA (SAD) in kernel" line, and pluto's "netlink response for Add SA ...: <error>
(errno N)". The peer and the proposals played their part; this host cannot use the SA."""

from __future__ import annotations

from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.meaning import _set

# An SA with that SPI is in the kernel already (EEXIST), or the SA to update is gone (ESRCH): conflicts with SAs this
# host holds, which come with rekeys and replacements. The rekey readings keep those lines.
STATE_CONFLICT_ERRNOS = frozenset({3, 17})
# charon prints the kernel's error, "unable to add SAD entry with SPI ... (FAILED)" and, for the other direction, both
# again, then its own line about the SA: the error is at most this many lines above it.
KERNEL_ERROR_LINES = 6
# Lines after the refusal that this side prints or sends because of it (charon's N(NO_PROP) to the peer, pluto's
# "CHILD SA encountered fatal error: INVALID_SYNTAX"): the refusal's consequences, not a second cause.
CONSEQUENCE_LINES = 8
# (events looked at on each side of a refusal: lines of another stream may come between)
_NEIGHBOURS = 24
_CONSEQUENCES = frozenset({"phase2_proposal_mismatch", "ipsec_mode_mismatch", "traffic_selector_mismatch",
                           "rekey_issue"})


def kernel_errno(ev: Event) -> int | None:
    """The error number a kernel line names (netlink, PF_KEY, pluto 3.x's "included errno N"), or None."""
    for key in ("errno", "errno_alt"):
        if (value := ev.values.get(key)) is not None and str(value).isdigit():
            return int(value)
    return None


def kernel_error_text(ev: Event) -> str:
    """The kernel's error as the line words it ("No such file or directory")."""
    for key in ("kernel_error", "kernel_error_alt"):
        if value := ev.values.get(key):
            return str(value).strip()
    return ""


# strongSwan on Windows: WFP refused the SA, which it takes with the policy (charon then fails the policies, SPD)
_WFP = "swan-wfp-sa-error"


def _installs_sa(ev: Event) -> bool:
    """charon's "unable to install inbound and outbound IPsec SA (SAD) in kernel" or, after WFP's refusal of the SA,
    "unable to install IPsec policies (SPD) in kernel"."""
    return ev.pattern == "swan-install-failed"


def _refused_sa(error: Event, install: Event) -> bool:
    """Whether the kernel's error line is about the SA the install line failed: an error number other than an SA
    conflict before an SA (SAD) failure, or WFP's refusal of an SA before either."""
    if error.pattern == _WFP:
        return True
    errno = kernel_errno(error)
    return "(SAD)" in install.text and errno is not None and errno not in STATE_CONFLICT_ERRNOS


def kernel_refusals(events: list[Event]) -> None:
    """Before the reading: charon's SA install failure with the kernel's error above it becomes the kernel's refusal
    (kind kernel_refused), with the error and its line; a refusal that is a conflict with SAs already installed
    (STATE_CONFLICT_ERRNOS) stays what it was, and pluto's line for one is read as no cause."""
    for i, ev in enumerate(events):
        if ev.kind == "kernel_refused":
            errno = kernel_errno(ev)
            ev.values["errno"], ev.values["kernel_error"] = errno, kernel_error_text(ev)
            if errno in STATE_CONFLICT_ERRNOS:
                ev.kind = "kernel_error"
            continue
        if not _installs_sa(ev):
            continue
        error = next((e for e in reversed(events[max(0, i - KERNEL_ERROR_LINES):i])
                      if e.stream == ev.stream and e.kind == "kernel_error" and ev.line - e.line <= KERNEL_ERROR_LINES
                      and (kernel_errno(e) is not None or e.pattern == _WFP)), None)
        if error is None or not _refused_sa(error, ev):
            continue
        ev.kind = "kernel_refused"
        ev.weak = False  # (the pattern's guess of a rekey is the weak part; the kernel's own error is named)
        ev.values.update({"errno": kernel_errno(error), "kernel_error": kernel_error_text(error),
                          "kernel_error_line": error.line})
        if error.pattern == _WFP:
            ev.values["wfp"] = True


def kernel_refusal_consequences(events: list[Event]) -> None:
    """After the reading: the kernel's error lines a refusal was read with are its evidence, and what this side sent
    or printed right after it because of it (a NO_PROPOSAL_CHOSEN to the peer, a fatal error of the Child SA) is its
    consequence, not a mismatch of its own. (Only the events within a few lines of each refusal are looked at.)"""
    for i, refusal in enumerate(events):
        if refusal.kind != "kernel_refused" or refusal.category != "kernel_sa_install":
            continue
        before = events[max(0, i - _NEIGHBOURS):i]
        after = events[i + 1:i + 1 + _NEIGHBOURS]
        for ev in before:
            if (ev.stream == refusal.stream and ev.kind == "kernel_error"
                    and (kernel_errno(ev) is not None or ev.pattern == _WFP)
                    and 0 < refusal.line - ev.line <= KERNEL_ERROR_LINES):
                _set(ev, "kernel_sa_install", "context")
        for ev in after:
            if (ev.stream == refusal.stream and 0 < ev.line - refusal.line <= CONSEQUENCE_LINES
                    and ev.category in _CONSEQUENCES and ev.direction != "received"):
                _set(ev, "kernel_sa_install", "context")
