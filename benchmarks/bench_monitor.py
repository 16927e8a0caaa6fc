"""Monitor: AWS calls and time for a region of many connections, next to one call per series.

Usage: .venv/bin/python benchmarks/bench_monitor.py [--connections 50] [--hours 24]
Target: the whole region's metrics in one GetMetricData request per 500 series (a naive monitor
makes one GetMetricStatistics call per tunnel and metric: 6 per connection), and a replay rendered
(loaded + figure built) in well under a second.
moto's connections have one tunnel each (its device configuration repeats one outside IP).
Runs against a local moto server (a test dependency) on a free loopback port; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.net import free_port


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--hours", type=int, default=24)
    args = parser.parse_args()

    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1")
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    url = f"http://127.0.0.1:{port}"
    os.environ["AWS_ENDPOINT_URL"] = url
    try:
        ec2 = boto3.client("ec2", endpoint_url=url)
        cw = boto3.client("cloudwatch", endpoint_url=url)
        vgw = ec2.create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        for i in range(args.connections):
            cgw = ec2.create_customer_gateway(Type="ipsec.1", PublicIp=f"198.51.100.{i % 250}", BgpAsn=65000)
            ec2.create_vpn_connection(
                Type="ipsec.1", CustomerGatewayId=cgw["CustomerGateway"]["CustomerGatewayId"], VpnGatewayId=vgw
            )
        from lab import aws

        session = aws.Aws(region="us-east-1")
        connections = aws.list_connections(session)
        data = []
        for c in connections:
            for t in c.tunnels:
                dims = [{"Name": "VpnId", "Value": c.id}, {"Name": "TunnelIpAddress", "Value": t.outside_ip}]
                for h in range(args.hours):
                    data.append({"MetricName": "TunnelState", "Dimensions": dims, "Timestamp": now - timedelta(hours=h), "Value": 1.0})
        for i in range(0, len(data), 1000):
            cw.put_metric_data(Namespace="AWS/VPN", MetricData=data[i : i + 1000])
        started = time.perf_counter()
        result = aws.fetch_details(session, connections, window="1 day", health=False, logs=False)
        elapsed = time.perf_counter() - started
        series = len(result.snapshot.series)
        print(f"connections: {len(connections)}, series: {series}")
        print(f"monitor:  {session.calls['GetMetricData']} GetMetricData call(s), {elapsed:.2f} s (the local emulator's time, not AWS's)")
        print(f"baseline: {series} GetMetricStatistics calls (one per tunnel, metric and statistic)")
    finally:
        server.stop()

    from lab import replay
    from lab.figures.monitor import connection_figure

    replay.incident.cache_clear()
    started = time.perf_counter()
    inc = replay.incident("single-tunnel-notice")
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    connection_figure(inc.snapshot, inc.snapshot.connections[0].id)
    built = time.perf_counter() - started
    points = sum(len(s.values) for s in inc.snapshot.series)
    print(f"replay (3 days, {points} points): load {loaded * 1000:.0f} ms, figure {built * 1000:.0f} ms (target < 1000 ms together)")


if __name__ == "__main__":
    main()
