"""The AWS boundary: the only package that imports boto3/botocore.

It reads (never writes) what AWS knows about the user's Site-to-Site VPN connections and returns
the app's own domain model (`lab.model`). Every operation goes through `Aws.call`/`Aws.pages`,
which allow only the read-only operations in `READ_ONLY_OPERATIONS` and count each API call;
every botocore error becomes a `lab.errors.AwsError` subclass with a message and what to do.

    aws = Aws(profile=None, region="eu-west-1")      # standard credential chain
    arn = identity(aws)                              # "Connected as <ARN>"
    connections = list_connections(aws)              # DescribeVpnConnections once per region
    result = fetch_details(aws, connections, window="1 day")
    result.snapshot, result.notes, aws.calls        # snapshot.events: Health events on the connections they affect
    result.region_events                             # Health events that affect none of the region's connections

Caching with a TTL belongs to the UI layer; here only the clients are cached, per
(profile, region, service).
"""

from lab.aws.fetch import (
    HealthEvents,
    LiveResult,
    fetch_affected_entities,
    fetch_details,
    fetch_health,
    fetch_logs,
    fetch_maintenance,
    fetch_metrics,
    identity,
    list_connections,
)
from lab.aws.metrics import WINDOWS, choose_period, window_bounds
from lab.aws.session import (
    IAM_ACTIONS,
    READ_ONLY_OPERATIONS,
    Aws,
    ReadOnlyViolation,
    available_profiles,
    available_regions,
    default_region,
    forget_clients,
)

__all__ = [
    "IAM_ACTIONS",
    "READ_ONLY_OPERATIONS",
    "WINDOWS",
    "Aws",
    "HealthEvents",
    "LiveResult",
    "ReadOnlyViolation",
    "available_profiles",
    "available_regions",
    "choose_period",
    "default_region",
    "fetch_affected_entities",
    "fetch_details",
    "fetch_health",
    "fetch_logs",
    "fetch_maintenance",
    "fetch_metrics",
    "forget_clients",
    "identity",
    "list_connections",
    "window_bounds",
]
