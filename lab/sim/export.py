"""Turn a simulation result into files and plain data: log files, one log text, and JSON.

Used by `vpn-lab simulate` (`--json`, `--emit-logs`) and by the Scenario lab page (downloads and
the hand-off to the troubleshooter), so both say the same thing.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from lab.sim.assumptions import ASSUMPTIONS
from lab.sim.result import SimResult


def _is_bgp(fields: dict[str, str]) -> bool:
    return "status" in fields


def log_files(result: SimResult) -> dict[str, str]:
    """File name -> content: the AWS tunnel log, the AWS BGP log and one charon log per device."""
    tunnel = [r.text for r in result.snapshot.logs if r.format == "aws-json" and not _is_bgp(r.fields)]
    bgp = [r.text for r in result.snapshot.logs if r.format == "aws-json" and _is_bgp(r.fields)]
    files = {"aws-tunnel.log": tunnel}
    if any(c.routing == "bgp" for c in result.scenario.connections):
        files["aws-bgp.log"] = bgp
    for cgw in result.scenario.customer_gateways:
        host = f" {cgw.hostname} charon: "
        files[f"{cgw.key}-charon.log"] = [r.text for r in result.snapshot.logs
                                          if r.format == "strongswan" and host in r.text]
    return {name: "\n".join(lines) + ("\n" if lines else "") for name, lines in files.items()}


def log_text(result: SimResult) -> str:
    """All generated logs as one text: each file under a `# name` header line."""
    parts = []
    for name, content in log_files(result).items():
        parts.append(f"# {name}\n" + (content or "(no lines)\n"))
    return "\n".join(parts)


def result_json(result: SimResult) -> dict[str, Any]:
    """The `vpn-lab simulate --json` object."""
    o = result.outcome
    snap = result.snapshot
    start = snap.start
    if start is None:  # every simulated Snapshot has a start; keep the type checker honest
        raise ValueError("simulation snapshot without a start time")
    tunnels = []
    for conn in snap.connections:
        for tun in conn.tunnels:
            tid = next(r[0] for r in result.scenario.tunnel_rows() if r[2].outside_ip == tun.outside_ip)
            tunnels.append({"id": tid, "vpn_id": conn.id, "outside_ip": tun.outside_ip,
                            "availability_zone": tun.availability_zone, "routing": conn.routing,
                            "status": tun.status, "down_s": o.down_s[tid]})
    return {
        "scenario": result.scenario.id,
        "title": result.scenario.title,
        "duration_s": result.duration_s,
        "seed": result.seed,
        "failures": [{"kind": f.kind, "target": f.target, "at_s": f.at_s, "duration_s": f.duration_s}
                     for f in result.failures],
        "options": asdict(result.settings),
        "outage_s": dict(o.outage_s),
        "lost_pct": dict(o.lost_pct),
        "detect_s": o.detect_s,
        "recover_s": o.recover_s,
        "manual_action_required": o.manual_action_required,
        "verdict": o.verdict,
        "tunnels": tunnels,
        "events": [{"t": int((ev.time - start).total_seconds()), "kind": ev.kind, "target": ev.target,
                    "detail": ev.detail, "vpn_id": ev.vpn_id, "tunnel_ip": ev.tunnel_ip} for ev in snap.events],
        "explanation": [{"t": t, "text": text} for t, text in o.explanation],
        "logs": [{"t": int((r.time - start).total_seconds()) if r.time else 0, "format": r.format, "line": r.text}
                 for r in snap.logs],
        "assumptions": {a.key: a.text for a in ASSUMPTIONS.values()},
    }
