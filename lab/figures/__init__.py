"""Every plotly figure of the lab, built by pure functions: the figures lessons embed with `{{figure:name}}`
(this module), a simulation's topology and timeline (`simulation`), the Monitor's charts (`monitor`) and the
facilitator's class charts (`classes`).

`FIGURES` maps a figure name to a function with no arguments; the lesson engine validates names against
it and the page calls `FIGURES[name]()`. Every state or role shown by colour is also written as text, so
a figure reads without colour. Numbers and defaults shown come from lab/data/facts.yaml.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from lab.figures.basics import vpn_over_internet, vpn_types
from lab.figures.charts import (
    cidr_overlap,
    elastic_capacity,
    route_selection_ladder,
    tunnelstate_aggregates,
    tunnelstate_static_vs_bgp,
)
from lab.figures.ha import tgw_ecmp, topology_s1, topology_s2, topology_s3, topology_s4
from lab.figures.protocol import ike_exchanges, packet_encapsulation
from lab.figures.timelines import dpd_timeline, startup_action_timeline
from lab.figures.topology import (
    aws_azure_bgp,
    aws_azure_static,
    aws_vpn_anatomy,
    hq_branch_vs_remote_worker,
    hybrid_cloud,
    reachability_path,
)

FIGURES: dict[str, Callable[[], go.Figure]] = {
    "vpn-over-internet": vpn_over_internet,
    "vpn-types": vpn_types,
    "packet-encapsulation": packet_encapsulation,
    "ike-exchanges": ike_exchanges,
    "hq-branch-vs-remote-worker": hq_branch_vs_remote_worker,
    "hybrid-cloud": hybrid_cloud,
    "elastic-capacity": elastic_capacity,
    "aws-vpn-anatomy": aws_vpn_anatomy,
    "route-selection-ladder": route_selection_ladder,
    "cidr-overlap": cidr_overlap,
    "topology-s1": topology_s1,
    "topology-s2": topology_s2,
    "topology-s3": topology_s3,
    "topology-s4": topology_s4,
    "tgw-ecmp": tgw_ecmp,
    "dpd-timeline": dpd_timeline,
    "startup-action-timeline": startup_action_timeline,
    "tunnelstate-static-vs-bgp": tunnelstate_static_vs_bgp,
    "tunnelstate-aggregates": tunnelstate_aggregates,
    "aws-azure-static": aws_azure_static,
    "aws-azure-bgp": aws_azure_bgp,
    "reachability-path": reachability_path,
}
