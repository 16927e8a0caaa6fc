"""This host's kernel refused an IPsec SA the negotiation agreed on: what its error number says, and when a Child SA
set up after it makes it history."""

from __future__ import annotations

from collections.abc import Callable

from lab.analyzer.diagnosis.causes import _primary
from lab.analyzer.diagnosis.readings import _also
from lab.analyzer.diagnosis.recovery import _later, same_tunnel
from lab.analyzer.model import Primary
from lab.analyzer.protocol import Event
from lab.analyzer.protocol.kernel import kernel_errno, kernel_error_text
from lab.i18n import M, Msg

# The kernel lacks what the SA needs: the crypto algorithm or its template cannot be found (ENOENT; OpenWrt's
# strongSwan without kmod-crypto-gcm, openwrt/packages#14360), the algorithm is not known (ENOSYS, strongSwan
# discussion #2275), the IPsec protocol or address family is not built in (EPROTONOSUPPORT, EAFNOSUPPORT).
_MISSING = frozenset({2, 38, 93, 97})
# The kernel rejected a parameter of the SA: hardware offload the NIC does not have (libreswan#1515, nic-offload=yes),
# a replay window of 0 with extended sequence numbers (libreswan#529), an option not supported.
_REJECTED = frozenset({22, 95})


def _advice(errno: int | None, error: str, wfp: bool) -> Msg:
    if wfp and "not supported by WFP" in error:
        return M("Windows' IPsec (the Windows Filtering Platform) does not have the negotiated algorithm: negotiate "
                 "one it supports, on both sides.")
    if wfp:
        return M("Windows' IPsec (the Windows Filtering Platform) refused the SA with the error code the line names: "
                 "look the code up among Windows' WFP error codes, fix it on this host, then set the Child SA up "
                 "again.")
    if errno in _MISSING:
        return M("This error usually means the kernel does not have what the SA needs: the negotiated algorithm, or "
                 "an IPsec module (ESP, the XFRM user interface, the crypto algorithm such as AES-GCM). Install or load "
                 "the kernel's IPsec and crypto modules (strongSwan lists the ones it needs), or negotiate an "
                 "algorithm this kernel has, on both sides.")
    if errno in _REJECTED:
        return M("The kernel rejected a parameter of the SA: an option this host adds to it (hardware offload to a "
                 "NIC that cannot do it, a replay window of 0) or an algorithm or key length it does not take. Set "
                 "the SA up without the option, or with another algorithm.")
    if errno == 12:
        return M("The kernel had no memory for the SA: check the host's free memory and how many SAs it holds.")
    return M("The kernel's error names the reason: fix it on this host, then set the Child SA up again.")


def kernel_primary(cats: dict[str, list[Event]], context: dict[str, list[Event]], events: list[Event],
                   peers: Callable[[], dict[int, str]]) -> tuple[bool, Primary | None]:
    """The primary diagnosis when the kernel refused an SA, and whether it is decided: an IPsec SA of the same
    tunnel established after the last refusal means the host was fixed (or the SA retried with something the kernel
    has): nothing left to do about it, and the other causes are read as if it had not happened."""
    evs = cats["kernel_sa_install"]
    last = evs[-1]
    if any(e.kind == "established" and e.sa == "child" and _later(e, last) and same_tunnel(e, last, peers())
           for e in events):
        del cats["kernel_sa_install"]
        return False, None
    first = evs[0]
    errno, error = kernel_errno(first), kernel_error_text(first)
    wfp = bool(first.values.get("wfp"))
    if wfp and error.startswith("0x"):
        error = f"WFP {error}"
    if first.values.get("kernel_interface"):
        # (swan-kernel-interface-unavailable) charon could not reach the kernel's IPsec at all, as it started
        said = f"{error} (errno {errno})" if error and errno is not None else error or f"errno {errno}"
        reasoning = [
            M("Line {line}: the IKE daemon could not open its interface to the kernel's IPsec (netlink, XFRM): {error}. "
              "It can install no IPsec SA and no policy on this host, whatever the peer agrees to; the lines about "
              "bypass policies and UDP decapsulation that fail after it follow from it.", line=first.line, error=said),
            M("\"Protocol not supported\": the kernel has no IPsec user interface (load the xfrm_user and esp4 modules, "
              "or use a kernel built with them; some Raspberry Pi and cloud kernels ship without them). \"Operation not "
              "permitted\": the daemon runs without the right to use it (a container needs NET_ADMIN and the host's "
              "IPsec modules). Restart the daemon once the kernel offers it."),
        ]
        summary = M("This host's kernel offers the IKE daemon no IPsec interface: {error}. No tunnel can carry "
                    "traffic until that is fixed on this host.", error=said)
        extra = {"kernel_error": said}
    elif not error and errno is None:
        # (pluto's own line for it names no error: "installing IPsec SA failed - check logs or dmesg")
        reasoning = [
            M("Line {line}: the negotiation with the peer agreed on the IPsec SA, then this host could not install it "
              "in its kernel. The line does not name the kernel's error: the daemon's lines just above it or the "
              "kernel's own log (dmesg) do. The peer is not the cause: the tunnel carries no traffic until this "
              "host's kernel accepts the SA.", line=first.line),
            M("The usual reasons: the kernel lacks the negotiated algorithm or an IPsec module (ESP, the XFRM user "
              "interface, the crypto algorithm such as AES-GCM), it rejects an option of the SA (hardware offload to "
              "a NIC that cannot do it, a replay window of 0), or it has no memory left. Its error says which; fix "
              "that on this host, then set the Child SA up again."),
        ]
        summary = M("This host could not install the IPsec SA the two sides agreed on in its kernel. The fix is on "
                    "this host, not on the peer.")
        extra: dict[str, str] = {}
    else:
        said = f"{error} (errno {errno})" if error and errno is not None else error or f"errno {errno}"
        reasoning = [
            M("Line {line}: the negotiation with the peer agreed on the IPsec SA, then this host's kernel refused to "
              "install it: {error}. The peer is not the cause: the tunnel carries no traffic until this host's kernel "
              "accepts the SA.", line=first.line, error=said),
            _advice(errno, error, wfp),
        ]
        summary = M("This host's kernel refused the IPsec SA the two sides agreed on: {error}. The fix is on this "
                    "host, not on the peer.", error=said)
        extra = {"kernel_error": said}
    reasoning += _also(cats, "kernel_sa_install")
    return True, _primary("kernel_sa_install", summary, reasoning, context["kernel_sa_install"], extra)
