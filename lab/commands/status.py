"""`vpn-lab status`: connections, tunnel states and audit findings, from live AWS or a replay.

    vpn-lab status [--profile P] [--region R] [--vpn-id ID ...] [--replay SLUG] [--json]

Exit 0 when every tunnel is UP and no finding is high severity, 1 otherwise (usable from cron),
2 on bad input or an AWS error (message on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from lab import replay
from lab.errors import AwsError, CredentialsError, EndpointError, NotFoundError, ThrottledError
from lab.facts import audit
from lab.i18n import M, language, t
from lab.i18n.audit import localize_finding
from lab.masking import mask_data, mask_secrets
from lab.model import VpnConnection


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "status",
        help=t("tunnel states and audit findings of your VPN connections (read-only) or of a replay"),
        description=t("Print each VPN connection's tunnels and audit findings. Live AWS uses the standard "
        "credential chain; --replay reads a bundled incident instead. Exit 0 when every tunnel is UP and "
        "there is no high-severity finding, 1 otherwise, 2 on bad input or an AWS error."),
    )
    p.add_argument("--profile", help=t("AWS profile from your AWS config (default: the standard chain)"))
    p.add_argument("--region", help=t("AWS region (default: the profile's region)"))
    p.add_argument("--vpn-id", action="append", default=[], metavar="ID", help=t("only this connection (repeatable)"))
    p.add_argument("--replay", metavar="SLUG", help=t("read a bundled incident replay instead of AWS (see `vpn-lab replays`)"))
    p.add_argument("--json", action="store_true", help=t("print JSON"))
    p.set_defaults(func=_status)


def _live(args: argparse.Namespace) -> tuple[tuple[VpnConnection, ...], datetime, dict[str, str]]:
    from lab import aws  # imported here: `--replay` and `--help` need no boto3

    session = aws.Aws(args.profile, args.region)
    now = datetime.now(UTC)
    # Who and where was read: zero connections in the wrong region or account is not "all clear".
    arn = aws.identity(session)
    if not arn.startswith("arn:"):
        raise AwsError(
            f"The AWS endpoint for {session.region} answered GetCallerIdentity without an identity: it is not AWS.",
            "Check AWS_ENDPOINT_URL and any proxy between you and AWS.",
        )
    where = {"region": session.region, "account": arn.split(":")[4] if arn.count(":") >= 5 else "", "identity": arn}
    connections = aws.list_connections(session, tuple(args.vpn_id))
    try:
        connections, _ = aws.fetch_maintenance(session, connections, now)
    except (CredentialsError, EndpointError, ThrottledError):
        raise
    except AwsError as err:
        # Maintenance only adds a finding; the tunnel states are still worth printing.
        print("vpn-lab: " + t("warning: endpoint maintenance could not be read: {error}", error=err), file=sys.stderr)
    return connections, now, where


def _from_replay(args: argparse.Namespace) -> tuple[tuple[VpnConnection, ...], datetime]:
    if args.profile or args.region:
        from lab.errors import InputError

        raise InputError(M("--replay reads a bundled incident: do not combine it with --profile or --region."))
    inc = replay.incident(args.replay)
    snap = inc.snapshot
    connections = snap.connections
    if args.vpn_id:
        known = {c.id for c in connections}
        for ident in args.vpn_id:
            if ident not in known:
                raise NotFoundError("VPN connection", ident, sorted(known))
        connections = tuple(c for c in connections if c.id in args.vpn_id)
    return connections, snap.end or datetime.now(UTC)


def report(
    source: str, connections: tuple[VpnConnection, ...], now: datetime, where: dict[str, str] | None = None
) -> dict[str, Any]:
    """The --json document (the CLI contract; live AWS adds "region", "account" and "identity")."""
    return {
        "source": source,
        **(where or {}),
        "connections": [
            {
                "id": c.id,
                "routing": c.routing,
                "tunnels": [
                    {"outside_ip": t.outside_ip, "status": t.status, "status_message": t.status_message}
                    for t in c.tunnels
                ],
                "findings": [f.to_json() for f in audit.audit(c, now)],
            }
            for c in connections
        ],
    }


def exit_code(doc: dict[str, Any]) -> int:
    """0 when every tunnel is UP and no finding is high severity, else 1."""
    for c in doc["connections"]:
        if any(t["status"] != "UP" for t in c["tunnels"]) or not c["tunnels"]:
            return 1
        if any(f["severity"] == "high" for f in c["findings"]):
            return 1
    return 0


def _print_text(doc: dict[str, Any], connections: tuple[VpnConnection, ...]) -> None:
    names = {c.id: c.name for c in connections}
    out: list[str] = []
    emit = out.append  # every line goes through the masking below
    if not doc["connections"] and doc.get("region"):
        emit(t("No VPN connections found in region {region} of account {account} (read as {identity}). "
                "If you expected some, check --region and --profile.", region=doc["region"],
                account=doc.get("account") or "?", identity=doc.get("identity") or "?"))
    elif not doc["connections"]:
        emit(t("No VPN connections found."))
    for c in doc["connections"]:
        up = sum(1 for t in c["tunnels"] if t["status"] == "UP")
        name = f" ({names[c['id']]})" if names.get(c["id"]) else ""
        emit(f"{c['id']}{name}  " + t("routing {routing}  tunnels up {up}/{total}", routing=c["routing"], up=up,
                                         total=len(c["tunnels"])))
        for i, tunnel in enumerate(c["tunnels"], start=1):
            msg = f"  {tunnel['status_message']}" if tunnel["status_message"] else ""
            emit("  " + t("tunnel {number}", number=i) + f" {tunnel['outside_ip']:<15} {tunnel['status']}{msg}")
        for f in c["findings"]:
            # The message in the reader's language (the rule id and severity stay the `--json` tokens scripts match).
            emit(f"  [{f['severity']}] {f['rule']}: {localize_finding(f['rule'], f['message'], language())}")
    emit(t("source: {name}", name=doc["source"]))
    sys.stdout.write(mask_secrets("\n".join(out)) + "\n")


def _status(args: argparse.Namespace) -> int:
    where: dict[str, str] = {}
    if args.replay is not None:
        connections, now = _from_replay(args)
        source = "replay"
    else:
        connections, now, where = _live(args)
        source = "aws"
    doc = mask_data(report(source, connections, now, where))
    if args.json:
        print(json.dumps(doc, indent=2))
    else:
        _print_text(doc, connections)
    return exit_code(doc)
