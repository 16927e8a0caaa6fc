"""Fakes for the AWS tests: a moto server on a free loopback port, pointed at with AWS_ENDPOINT_URL.

The app and the CLI take the same code path as in production: only the endpoint differs. What moto's
API cannot set (VgwTelemetry, TunnelOptions) the seed writes onto moto's own model objects, which
moto then returns in DescribeVpnConnections like AWS does.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import boto3
import pytest
from moto.server import ThreadedMotoServer

from lab.aws import forget_clients

ACCOUNT = "123456789012"
REGION = "us-east-1"


# A busy machine (two suites at once on 2 cores) can take far longer than AWS to answer a week of
# metrics: the clients wait as long as it takes instead of failing on the machine's speed.
SLOW_MACHINE_ENV = {"VPNLAB_AWS_READ_TIMEOUT": "600", "AWS_MAX_ATTEMPTS": "1"}


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """One moto server per test process (each xdist worker has its own), on a port the OS picks."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def moto(moto_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty moto server, with AWS_ENDPOINT_URL pointing at it for this test."""
    request = urllib.request.Request(f"{moto_url}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=600) as r:
        assert json.loads(r.read())["status"] == "ok"
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_url)
    # Unsupported APIs answer HTTP 500 in server mode; one attempt keeps those tests fast.
    for name, value in SLOW_MACHINE_ENV.items():
        monkeypatch.setenv(name, value)
    forget_clients()
    yield moto_url
    forget_clients()


def _telemetry(ip: str, status: str, message: str, routes: int, changed: datetime) -> dict:
    return {
        "OutsideIpAddress": ip,
        "Status": status,
        "StatusMessage": message,
        "AcceptedRouteCount": routes,
        "LastStatusChange": changed,
    }


LOG_GROUP = "/aws/vendedlogs/vpn-lab-test"
LOG_LINE = '{"event_timestamp": 0, "details": "AWS tunnel DPD timed out after 3 retransmits", "ike_phase1_state": "Down", "ike_phase2_state": "Down"}'


def seed_two_connections(
    url: str, now: datetime | None = None, days: int = 1, tunnel_log: bool = False, step_minutes: int = 60
) -> dict[str, list[str]]:
    """Two connections (one static with a tunnel down, one BGP and healthy) and `days` of metrics, one point
    per `step_minutes`.

    With `tunnel_log`, the static connection publishes its tunnel log to CloudWatch Logs and the
    down tunnel's stream holds a DPD timeout. Returns {vpn_id: [tunnel ips]}.
    """
    now = (now or datetime.now(UTC)).replace(second=0, microsecond=0)
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=url)
    cw = boto3.client("cloudwatch", region_name=REGION, endpoint_url=url)
    vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    made: dict[str, list[str]] = {}
    specs = [
        ("branch-a", "198.51.100.10", True, ("203.0.113.10", "203.0.113.138"), ("UP", "DOWN")),
        ("dc-b", "198.51.100.20", False, ("203.0.113.20", "203.0.113.148"), ("UP", "UP")),
    ]
    from moto.backends import get_backend

    backend = get_backend("ec2")[ACCOUNT][REGION]
    for name, cgw_ip, static, ips, statuses in specs:
        cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=cgw_ip, BgpAsn=65000)["CustomerGateway"]
        vpn = ec2.create_vpn_connection(
            Type="ipsec.1",
            CustomerGatewayId=cgw["CustomerGatewayId"],
            VpnGatewayId=vgw,
            Options={"StaticRoutesOnly": static},
            TagSpecifications=[{"ResourceType": "vpn-connection", "Tags": [{"Key": "Name", "Value": name}]}],
        )["VpnConnection"]
        vpn_id = vpn["VpnConnectionId"]
        model = backend.vpn_connections[vpn_id]
        model.options = {
            "StaticRoutesOnly": static,
            "TunnelOptions": [
                {
                    "OutsideIpAddress": ip,
                    "DpdTimeoutSeconds": 30,
                    "IkeVersions": [{"Value": "ikev2"}],
                    "StartupAction": "start" if not static else "add",
                    "LogOptions": {"CloudWatchLogOptions": _log_options(static and tunnel_log)},
                }
                for ip in ips
            ],
        }
        model.vgw_telemetry = [
            _telemetry(ip, st, "" if st == "UP" else "IPSEC IS DOWN", 0 if static else 3, now - timedelta(hours=5))
            for ip, st in zip(ips, statuses, strict=True)
        ]
        model.category = "VPN"
        made[vpn_id] = list(ips)
        _put_week(cw, vpn_id, ips, statuses, now, days, step_minutes)
        if static and tunnel_log:
            _put_tunnel_log(url, vpn_id, ips[1], now)
    return made


def _log_options(enabled: bool) -> dict:
    if not enabled:
        return {"LogEnabled": False}
    arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{LOG_GROUP}:*"
    return {"LogEnabled": True, "LogGroupArn": arn, "LogOutputFormat": "json"}


def _put_tunnel_log(url: str, vpn_id: str, ip: str, now: datetime) -> None:
    logs = boto3.client("logs", region_name=REGION, endpoint_url=url)
    logs.create_log_group(logGroupName=LOG_GROUP)
    stream = f"{vpn_id}-{ip}"
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
    when = int((now - timedelta(minutes=20)).timestamp() * 1000)
    line = LOG_LINE.replace('"event_timestamp": 0', f'"event_timestamp": {when}')
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=stream, logEvents=[{"timestamp": when, "message": line}])


def _put_week(cw: object, vpn_id: str, ips: tuple[str, ...], statuses: tuple[str, ...], now: datetime, days: int, step_minutes: int
) -> None:
    start = now - timedelta(days=days)
    step = timedelta(minutes=step_minutes)
    data = []
    for ip, status in zip(ips, statuses, strict=True):
        t = start
        while t < now:
            down = status == "DOWN" and t > now - timedelta(hours=5)
            dims = [{"Name": "VpnId", "Value": vpn_id}, {"Name": "TunnelIpAddress", "Value": ip}]
            data += [
                {"MetricName": "TunnelState", "Dimensions": dims, "Timestamp": t, "Value": 0.0 if down else 1.0},
                {"MetricName": "TunnelDataIn", "Dimensions": dims, "Timestamp": t, "Value": 200.0 if down else 5.0e6, "Unit": "Bytes"},
                {"MetricName": "TunnelDataOut", "Dimensions": dims, "Timestamp": t, "Value": 150.0 if down else 2.0e6, "Unit": "Bytes"},
            ]
            t += step
    for i in range(0, len(data), 1000):
        cw.put_metric_data(Namespace="AWS/VPN", MetricData=data[i : i + 1000])  # type: ignore[attr-defined]
