"""Tunnel options and timers of a simulation run: defaults from `lab.facts`, user overrides, checks.

`Overrides` is what a user changes (every field None = keep the default); `Settings` is the
resolved, validated set the engine runs with. AWS limits (DPD timeout >= 30 s, lifetimes, rekey
margin) come from the facts file, so the lab never states a limit twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Literal

from lab import facts
from lab.errors import InputError
from lab.sim.scenarios import ScenarioSpec

IkeVersion = Literal["ikev1", "ikev2"]
CgwInitiates = Literal["always", "on-traffic", "never"]
DPD_ACTIONS = ("clear", "none", "restart")
STARTUP_ACTIONS = ("add", "start")
IKE_VERSIONS = ("ikev1", "ikev2")
CGW_INITIATES = ("always", "on-traffic", "never")


@dataclass(frozen=True)
class Overrides:
    """Options a user changes for one run; None keeps the scenario's or the fact's default."""

    dpd_timeout_s: int | None = None
    dpd_timeout_action: str | None = None
    startup_action: str | None = None
    ike_version: str | None = None  # the version the customer gateways use; AWS then allows only it
    cgw_initiates: str | None = None
    keepalive_s: int | None = None  # 0 = no keepalive pings
    health_check_s: int | None = None  # 0 = no health check
    phase1_lifetime_s: int | None = None
    phase2_lifetime_s: int | None = None
    rekey_margin_s: int | None = None
    rekey_fuzz_pct: int | None = None
    bgp_keepalive_s: int | None = None
    bgp_hold_s: int | None = None
    cgw_dpd_delay_s: int | None = None
    cgw_retransmit_tries: int | None = None
    onprem_failover_s: int | None = None
    idle_timeout_s: int | None = None
    cgw_tunnels: int | None = None  # tunnels of each connection configured on the customer gateway (1 or 2)

    def changed(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


@dataclass(frozen=True)
class Settings:
    dpd_timeout_s: int
    dpd_timeout_action: str
    startup_action: str
    ike_version: str | None  # None: each customer gateway uses its own (scenario)
    cgw_initiates: str | None  # None: each customer gateway's own
    keepalive_s: int
    health_check_s: int
    phase1_lifetime_s: int
    phase2_lifetime_s: int
    rekey_margin_s: int
    rekey_fuzz_pct: int
    bgp_keepalive_s: int
    bgp_hold_s: int
    cgw_dpd_delay_s: int | None
    cgw_retransmit_tries: int | None
    onprem_failover_s: int
    idle_timeout_s: int
    cgw_tunnels: int


@dataclass(frozen=True)
class OptionInfo:
    """What the page and the CLI say about an option: label, help, default, bounds."""

    key: str
    label: str
    help: str
    default: object
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()


def _rekey_margin_min() -> int:
    # The fact's value reads "60 s .. phase2_lifetime/2"; the number is its first token.
    m = re.match(r"\s*(\d+)", str(facts.value("rekey_margin_range")))
    return int(m.group(1)) if m else 60


def option_catalogue(spec: ScenarioSpec | None = None) -> list[OptionInfo]:
    """Every option a run can change, with its default (facts, or the scenario for on-prem)."""
    p2_min, p2_max = facts.value("phase2_lifetime_range")
    onprem = spec.onprem if spec else None
    cgw = spec.customer_gateways[0] if spec else None
    return [
        OptionInfo("dpd_timeout_s", "DPD timeout (s)", f"AWS declares the peer dead about this long after it was last heard from (the lab's reading of "
                   f"AWS's two examples; see the assumptions). "
                   f"Minimum {facts.fact('dpd_timeout_min').text}; default {facts.fact('dpd_timeout_default').text}.",
                   facts.value("dpd_timeout_default"), int(facts.value("dpd_timeout_min")), 3600),
        OptionInfo("dpd_timeout_action", "DPD timeout action", "What AWS does when DPD times out: "
                   + facts.fact("dpd_timeout_action_values").summary.split(": ", 1)[-1],
                   facts.value("dpd_timeout_action_default"), choices=DPD_ACTIONS),
        OptionInfo("startup_action", "Startup action", facts.fact("startup_action_values").summary
                   + " " + facts.fact("aws_initiation_ike_version").summary,
                   facts.value("startup_action_default"), choices=STARTUP_ACTIONS),
        OptionInfo("ike_version", "IKE version", "The IKE version the customer gateways use; AWS is restricted to it. "
                   f"AWS allows {facts.fact('ike_versions_default').text} by default.",
                   cgw.ike_version if cgw else "ikev2", choices=IKE_VERSIONS),
        OptionInfo("cgw_initiates", "Customer gateway initiates", "When the customer gateway starts IKE: always "
                   "(keeps its tunnels up), on-traffic (when traffic or its BGP speaker needs the tunnel), never "
                   "(responder only).", cgw.initiates if cgw else "on-traffic", choices=CGW_INITIATES),
        OptionInfo("keepalive_s", "Keepalive ping interval (s, 0 = off)", "An on-premises monitor pings each "
                   "tunnel's AWS inside address this often, so the tunnels never sit idle.",
                   onprem.keepalive_s if onprem else 0, 0, 3600),
        OptionInfo("health_check_s", "Health check interval (s, 0 = off)", "Static routing on premises only: a "
                   "ping across the tunnel this often; one failed ping moves the static route to the other "
                   "customer gateway.", onprem.health_check_s if onprem else 0, 0, 3600),
        OptionInfo("phase1_lifetime_s", "Phase 1 lifetime (s)", facts.fact("phase1_lifetime_default").summary,
                   facts.value("phase1_lifetime_default"), int(facts.value("phase1_lifetime_min")),
                   int(facts.value("phase1_lifetime_default"))),
        OptionInfo("phase2_lifetime_s", "Phase 2 lifetime (s)", facts.fact("phase2_lifetime_default").summary,
                   facts.value("phase2_lifetime_default"), int(p2_min), int(p2_max)),
        OptionInfo("rekey_margin_s", "Rekey margin (s)", facts.fact("rekey_margin_default").summary
                   + f" Default {facts.fact('rekey_margin_default').text}; the lab starts from the first.",
                   facts.value("rekey_margin_default"), _rekey_margin_min(), int(p2_max) // 2),
        OptionInfo("rekey_fuzz_pct", "Rekey fuzz (%)", facts.fact("rekey_fuzz_default").summary,
                   facts.value("rekey_fuzz_default"), 0, 100),
        OptionInfo("bgp_keepalive_s", "BGP keepalive (s)", facts.fact("bgp_keepalive").summary,
                   facts.value("bgp_keepalive"), 1, 3600),
        OptionInfo("bgp_hold_s", "BGP hold time (s)", facts.fact("bgp_hold_time").summary
                   + " A session is dropped when nothing arrives for this long.",
                   facts.value("bgp_hold_time"), 3, 3600),
        OptionInfo("cgw_dpd_delay_s", "Customer gateway DPD delay (s)", "strongSwan sends a DPD request after "
                   "this long without a sign of life from AWS (customer gateway configuration).",
                   cgw.dpd_delay_s if cgw else 10, 5, 3600),
        OptionInfo("cgw_retransmit_tries", "Customer gateway DPD retransmits", "strongSwan (IKEv2) gives up "
                   "after this many retransmits (4 s x 1.8^n apart; 5 = 165 s, strongSwan's default).",
                   cgw.retransmit_tries if cgw else 5, 1, 10),
        OptionInfo("onprem_failover_s", "On-premises failover (s)", "How long the office routers (cluster or "
                   "internal routing) take to stop using a customer gateway that failed or lost its routes.",
                   onprem.failover_s if onprem else 3, 0, 600),
        OptionInfo("idle_timeout_s", "Idle time before an SA lapses (s)", facts.fact("idle_timeout_typical").summary,
                   facts.value("idle_timeout_typical"), 1, 3600),
        OptionInfo("cgw_tunnels", "Tunnels configured on each customer gateway", "AWS always creates two tunnels "
                   "per connection; 1 means the customer gateway has only the first one in its configuration, a "
                   f"common mistake ({facts.fact('tunnels_per_connection').summary})", 2, 1, 2),
    ]


def resolve_settings(spec: ScenarioSpec, overrides: Overrides | None) -> Settings:
    """Merge defaults (facts, scenario) with overrides; InputError lists every problem."""
    o = overrides or Overrides()
    info = {i.key: i for i in option_catalogue(spec)}

    def pick(key: str, scenario_default: object = None) -> object:
        value = getattr(o, key)
        if value is not None:
            return value
        return info[key].default if scenario_default is None else scenario_default

    s = Settings(
        dpd_timeout_s=int(pick("dpd_timeout_s")),  # type: ignore[arg-type]
        dpd_timeout_action=str(pick("dpd_timeout_action")),
        startup_action=str(pick("startup_action")),
        ike_version=o.ike_version,
        cgw_initiates=o.cgw_initiates,
        keepalive_s=int(pick("keepalive_s", spec.onprem.keepalive_s)),  # type: ignore[arg-type]
        health_check_s=int(pick("health_check_s", spec.onprem.health_check_s)),  # type: ignore[arg-type]
        phase1_lifetime_s=int(pick("phase1_lifetime_s")),  # type: ignore[arg-type]
        phase2_lifetime_s=int(pick("phase2_lifetime_s")),  # type: ignore[arg-type]
        rekey_margin_s=int(pick("rekey_margin_s")),  # type: ignore[arg-type]
        rekey_fuzz_pct=int(pick("rekey_fuzz_pct")),  # type: ignore[arg-type]
        bgp_keepalive_s=int(pick("bgp_keepalive_s")),  # type: ignore[arg-type]
        bgp_hold_s=int(pick("bgp_hold_s")),  # type: ignore[arg-type]
        cgw_dpd_delay_s=o.cgw_dpd_delay_s,
        cgw_retransmit_tries=o.cgw_retransmit_tries,
        onprem_failover_s=int(pick("onprem_failover_s", spec.onprem.failover_s)),  # type: ignore[arg-type]
        idle_timeout_s=int(pick("idle_timeout_s")),  # type: ignore[arg-type]
        cgw_tunnels=int(pick("cgw_tunnels")),  # type: ignore[arg-type]
    )
    problems: list[str] = []
    for key, opt in info.items():
        value = getattr(s, key)
        if value is None:
            continue
        if opt.choices and value not in opt.choices:
            problems.append(f"{opt.label}: '{value}' is not one of {', '.join(opt.choices)}")
        elif not opt.choices:
            if opt.minimum is not None and value < opt.minimum:
                problems.append(f"{opt.label}: {value} is below the minimum {opt.minimum}")
            if opt.maximum is not None and value > opt.maximum:
                problems.append(f"{opt.label}: {value} is above the maximum {opt.maximum}")
    if s.phase2_lifetime_s >= s.phase1_lifetime_s:
        problems.append("Phase 2 lifetime must be less than the phase 1 lifetime")
    if s.rekey_margin_s > s.phase2_lifetime_s // 2:
        problems.append(f"Rekey margin ({s.rekey_margin_s} s) may be at most half the phase 2 lifetime "
                        f"({s.phase2_lifetime_s // 2} s)")
    if s.bgp_keepalive_s >= s.bgp_hold_s:
        problems.append("BGP keepalive must be shorter than the hold time")
    if s.health_check_s and spec.onprem.routing != "static":
        problems.append(f"Health check: {spec.id} does not use static routes on premises "
                        f"({spec.onprem.routing}), so there is no route for a health check to move")
    if problems:
        raise InputError("Invalid options: " + "; ".join(problems))
    return s


def applicable(spec: ScenarioSpec, overrides: Overrides) -> Overrides:
    """Drop overrides that do not apply to a scenario (used when comparing S1-S4 side by side)."""
    if spec.onprem.routing != "static" and overrides.health_check_s:
        return replace(overrides, health_check_s=None)
    return overrides
