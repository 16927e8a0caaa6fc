"""`vpn-lab simulate SCENARIO`: run a failover scenario under a failure script from a terminal.

    vpn-lab simulate s4 --fail cgw-down:cgw-a@60
    vpn-lab simulate s3 --fail cgw-down:cgw-a@60 --health-check 10 --json
    vpn-lab simulate s1 --fail endpoint-replacement:tunnel-1@120 --ike v2 --startup-action start
    vpn-lab simulate --list-failures [SCENARIO]

Exit 0 on success, 2 on bad input (unknown scenario, failure, target or option) with the choices.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from lab.errors import InputError
from lab.i18n import M, data_text, render, t
from lab.sim import (
    ASSUMPTIONS,
    FAILURE_KINDS,
    Overrides,
    list_scenarios,
    load_scenario,
    parse_failure,
    simulate,
)
from lab.sim.export import log_files, result_json
from lab.sim.failures import valid_targets
from lab.sim.options import CGW_INITIATES, DPD_ACTIONS, STARTUP_ACTIONS
from lab.sim.result import SimResult


def _seconds(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of seconds") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} is negative")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "simulate",
        help=t("simulate a failover scenario (S1-S5) under a failure script"),
        description=t("Simulate an AWS Site-to-Site VPN high-availability scenario second by second under a "
        "failure script, and print the outage in each direction, the time to detect and recover, whether a "
        "person had to act, and why. AWS tunnel options default to the lab's AWS facts; customer gateway and "
        "on-premises settings to the scenario's values."),
        epilog=t("Failures: KIND[:TARGET]@SECONDS[+DURATION], e.g. cgw-down:cgw-a@60, idle@60+300, "
        "endpoint-replacement:tunnel-1@120. See --list-failures."),
    )
    p.add_argument("scenario", nargs="?", metavar="SCENARIO", help=t("scenario id: {ids}", ids=", ".join(
        s.id for s in list_scenarios())))
    p.add_argument("--list-failures", action="store_true", help=t("print the failure catalogue and exit"))
    p.add_argument("--duration", type=_seconds, default=600, metavar="S", help=t("run length in seconds (default 600)"))
    p.add_argument("--fail", action="append", default=[], metavar="KIND[:TARGET]@SECONDS",
                   help=t("inject a failure; repeat for a script"))
    p.add_argument("--dpd-timeout", type=_seconds, metavar="S", help=t("AWS DPD timeout in seconds"))
    p.add_argument("--dpd-action", choices=DPD_ACTIONS, help=t("AWS DPD timeout action"))
    p.add_argument("--startup-action", choices=STARTUP_ACTIONS, help=t("AWS startup action"))
    p.add_argument("--ike", choices=("v1", "v2"), help=t("IKE version of the customer gateways (AWS allows only it)"))
    p.add_argument("--cgw-initiates", choices=CGW_INITIATES, help=t("when the customer gateways initiate IKE"))
    p.add_argument("--keepalive", type=_seconds, metavar="S", help=t("keepalive ping interval (0 = off)"))
    p.add_argument("--health-check", type=_seconds, metavar="S", help=t("on-premises health check interval (0 = off)"))
    p.add_argument("--bgp-hold", type=_seconds, metavar="S", help=t("BGP hold time"))
    p.add_argument("--cgw-tunnels", type=int, choices=(1, 2), help=t("tunnels of each connection configured on the "
                   "customer gateways (default 2)"))
    p.add_argument("--seed", type=int, default=0, help=t("random seed (traffic jitter, rekey fuzz)"))
    p.add_argument("--resolution", type=int, choices=(1, 60), default=1, help=t("metric period in seconds"))
    p.add_argument("--emit-logs", type=Path, metavar="DIR", help=t("write the AWS and customer gateway logs to DIR"))
    p.add_argument("--json", action="store_true", help=t("print one JSON object"))
    p.set_defaults(func=_simulate)


def _list_failures(args: argparse.Namespace) -> int:
    spec = load_scenario(args.scenario) if args.scenario else None
    rows = []
    for k in FAILURE_KINDS:
        if spec:
            targets = valid_targets(spec, k.id)
        else:
            targets = {"cgw": ["cgw-a", "cgw-b"], "tunnel": ["tunnel-1", "tunnel-2", "tunnel-3", "tunnel-4"],
                       "all": ["all"]}[k.targets]
        rows.append({"id": k.id, "title": k.title, "description": k.description, "targets": targets,
                     "bgp_only": k.bgp_only})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if spec:
        print(t("Failure kinds in {scenario}. Write one as KIND[:TARGET]@SECONDS[+DURATION].", scenario=spec.id))
    else:
        print(t("Failure kinds (targets depend on the scenario; S1 has only cgw-a, tunnel-1, tunnel-2). Write one "
                "as KIND[:TARGET]@SECONDS[+DURATION]."))
    for r in rows:
        print(f"\n{r['id']}: {data_text('failure.title', r['title'])}"
              + ("  " + t("[BGP connections only]") if r["bgp_only"] else ""))
        print(f"    {data_text('failure.description', r['description'])}")
        print("    " + t("targets: {targets}", targets=", ".join(r["targets"]) or t("(none in this scenario)")))
    return 0


def _simulate(args: argparse.Namespace) -> int:
    if args.list_failures:
        return _list_failures(args)
    if not args.scenario:
        raise InputError(M("Name a scenario. Valid choices: {choices}", choices=", ".join(s.id for s in list_scenarios())))
    failures = [parse_failure(text) for text in args.fail]
    overrides = Overrides(
        dpd_timeout_s=args.dpd_timeout,
        dpd_timeout_action=args.dpd_action,
        startup_action=args.startup_action,
        ike_version=f"ike{args.ike}" if args.ike else None,
        cgw_initiates=args.cgw_initiates,
        keepalive_s=args.keepalive,
        health_check_s=args.health_check,
        bgp_hold_s=args.bgp_hold,
        cgw_tunnels=args.cgw_tunnels,
    )
    result = simulate(args.scenario, failures, duration_s=args.duration, overrides=overrides, seed=args.seed,
                      resolution_s=args.resolution)
    if args.emit_logs:
        try:
            args.emit_logs.mkdir(parents=True, exist_ok=True)
            for name, content in log_files(result).items():
                (args.emit_logs / name).write_text(content, encoding="utf-8")
        except OSError as exc:
            raise InputError(M("Cannot write logs to {path}: {error}", path=str(args.emit_logs),
                               error=exc.strerror or exc)) from exc
    if args.json:
        print(json.dumps(result_json(result), indent=2))
        return 0
    _print_text(result, args)
    return 0


def _fmt(value: int | None, none: str) -> str:
    return none if value is None else t("{seconds} s", seconds=value)


def _on_off(seconds: int | None) -> str:
    return t("{seconds} s", seconds=seconds) if seconds else t("off")


def _print_text(result: SimResult, args: argparse.Namespace) -> None:
    o, spec, s = result.outcome, result.scenario, result.settings
    print(f"{data_text('scenario.title', spec.title)} ({t('{seconds} s', seconds=result.duration_s)})")
    print(f"  {data_text('scenario.summary', spec.summary)}")
    print("  " + t("options: DPD timeout {dpd} s, action {action}, startup action {startup}, BGP hold {hold} s, "
                   "health check {health}, keepalive {keepalive}", dpd=s.dpd_timeout_s, action=s.dpd_timeout_action,
                   startup=s.startup_action, hold=s.bgp_hold_s, health=_on_off(s.health_check_s),
                   keepalive=_on_off(s.keepalive_s)))
    print("  " + t("failures: {list}", list=", ".join(f.label() for f in result.failures) or t("none")))
    print()
    print(t("Outage VPC -> on-premises:  {seconds} s ({pct} % of traffic lost)", seconds=o.outage_s["to_onprem"],
            pct=o.lost_pct["to_onprem"]))
    print(t("Outage on-premises -> VPC:  {seconds} s ({pct} % of traffic lost)", seconds=o.outage_s["to_aws"],
            pct=o.lost_pct["to_aws"]))
    print(t("Time to detect:             {value}", value=_fmt(o.detect_s, t("nothing noticed"))))
    print(t("Time to recover:            {value}", value=_fmt(o.recover_s, t("not recovered in the run"))))
    print(t("A person had to act:        {value}", value=t("yes") if o.manual_action_required else t("no")))
    print(t("Tunnels down:               {list}", list=", ".join(f"{k} {_fmt(v, '')}" for k, v in o.down_s.items())))
    print(f"\n{o.verdict_text()}\n\n" + t("What happened:"))
    for at, text in o.explanation:
        print(f"  t={at:>4} s  {render(text)}")
    if args.emit_logs:
        print("\n" + t("Logs written to {path}/", path=args.emit_logs))
    print("\n" + t("Assumptions (not documented by AWS):"))
    for a in ASSUMPTIONS.values():
        print(f"  - {data_text('assumption.text', a.text)}")
