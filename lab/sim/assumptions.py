"""The simulator's named assumptions: every number it uses that AWS does not document.

Each assumption has a value and a plain sentence that the page and the CLI show next to the
results, so that a learner can tell a documented mechanic from a modelling choice.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Assumption:
    key: str
    value: float
    unit: str
    text: str


_ITEMS = (
    Assumption(
        "aws_dpd_probe_interval_s",
        10,
        "s",
        "AWS does not document how often its endpoint sends DPD probes, and its two examples "
        "disagree: the API reference says a DPD timeout of 40 seconds declares the peer dead 30 "
        "seconds after the first failed keep-alive, the current user guide says a timeout of 30 "
        "seconds does so 30 seconds after it. The lab follows the API reference with one probe every "
        "10 seconds of silence: the peer is declared dead DPD-timeout seconds after it was last heard "
        "from (the user guide's reading adds up to one probe interval), and the log counts "
        "(timeout - 10) / 10 retransmits.",
    ),
    Assumption(
        "negotiation_s",
        0,
        "s",
        "An IKE negotiation (IKEv2 IKE_SA_INIT + IKE_AUTH, or IKEv1 Main Mode + Quick Mode) takes "
        "a few round trips, well under a second, so a tunnel whose peer answers comes up within "
        "the same second it is initiated.",
    ),
    Assumption(
        "retry_s",
        10,
        "s",
        "A side that tries to initiate IKE and gets no answer (or a refusal) tries again every "
        "10 seconds. AWS does not document its retries. For the customer gateways this is a "
        "simplification: strongSwan retransmits for 165 seconds (4 s x 1.8^n) and then stops, "
        "unless keyingtries, a trap policy or a restart action starts it again.",
    ),
    Assumption(
        "aws_initiates_without_sa",
        1,
        "",
        "With startup action 'start' (IKEv2 only), AWS documents that it initiates IKE for a new "
        "or modified tunnel and after an endpoint replacement. The lab assumes it does the same "
        "whenever its tunnel has no IKE SA (after a Delete from the customer gateway, after an idle "
        "drop), because the AWS guide says an idle tunnel goes down only when AWS-side initiation "
        "is not configured.",
    ),
    Assumption(
        "dpd_restart_any_version",
        1,
        "",
        "AWS documents that DPD timeout action 'restart' makes AWS restart the IKE session, with no IKE "
        "version condition (only the startup action 'start' is documented as IKEv2-only). The lab "
        "applies 'restart' to IKEv1 and IKEv2 tunnels alike; how AWS behaves with IKEv1 is not documented.",
    ),
    Assumption(
        "idle_drop",
        1,
        "",
        "AWS documents that without AWS-side IKE initiation an idle tunnel (usually after 10 "
        "seconds, depending on the configuration) might go down, but not how. The lab models the "
        "usual way it shows: during a period without traffic, the customer gateway lets the idle "
        "SA lapse without telling AWS; AWS's DPD then gets no answer, times out, and the DPD "
        "timeout action decides what happens. Keepalive pings to each tunnel's inside address "
        "count as traffic.",
    ),
    Assumption(
        "replacement_s",
        60,
        "s",
        "AWS does not document how long a tunnel endpoint replacement takes. The lab assumes the "
        "new endpoint can negotiate 60 seconds after the old one stopped.",
    ),
    Assumption(
        "bgp_timers",
        1,
        "",
        "AWS does not document the BGP timers of its own side. Two BGP peers use the smaller of their "
        "hold times, and AWS's sample customer gateway configurations set keepalive 10 s and hold time "
        "30 s, so the lab's sessions run with those values unless you change them.",
    ),
    Assumption(
        "bgp_connect_s",
        2,
        "s",
        "Once a tunnel carries traffic again, the BGP session over it takes about 2 seconds to "
        "reach Established (TCP connect, OPEN, KEEPALIVE).",
    ),
    Assumption(
        "bgp_reconnect_s",
        5,
        "s",
        "After a BGP session reset (Cease notification), the peers reconnect after about 5 seconds.",
    ),
    Assumption(
        "traffic",
        1,
        "",
        "Both networks exchange a steady flow in each direction (the scenario sets the rate; a "
        "seeded jitter of +/-10 % makes the charts look real). An outage second is a second in "
        "which some or all of the offered traffic in that direction was lost.",
    ),
    Assumption(
        "strongswan_dpd",
        1,
        "",
        "The customer gateways are strongSwan (charon). Their DPD sends a request after "
        "'DPD delay' seconds without a sign of life and gives up after the configured number of "
        "retransmits, spaced as strongSwan's defaults do (4 s x 1.8^n: 5 retransmits = 165 s). That "
        "is IKEv2; with IKEv1 charon sends one R_U_THERE and declares the peer dead after "
        "dpd_timeout (by default the same 165 s, less the DPD delay), which the lab does not model "
        "separately.",
    ),
)

ASSUMPTIONS: dict[str, Assumption] = {a.key: a for a in _ITEMS}


def assumption_value(key: str) -> int:
    return int(ASSUMPTIONS[key].value)


def strongswan_giveup_s(retransmit_tries: int) -> int:
    """Seconds from the first DPD request until charon gives up (timeout 4 s, base 1.8)."""
    return round(sum(4.0 * 1.8**n for n in range(retransmit_tries + 1)))


def strongswan_retransmit_offsets(retransmit_tries: int) -> list[int]:
    """Seconds after the first request at which charon retransmits (4, 11, 24, 47, 89 for 5 tries)."""
    total, offsets = 0.0, []
    for n in range(retransmit_tries):
        total += 4.0 * 1.8**n
        offsets.append(round(total))
    return offsets
