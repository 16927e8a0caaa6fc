"""Figures that lessons embed with `{{figure:name}}`: pure functions returning plotly figures.

`FIGURES` maps a figure name to a function with no arguments; the lesson engine validates names against
it and the page calls `FIGURES[name]()`. Every state or role shown by colour is also written as text, so
a figure reads without colour. Numbers and defaults shown come from lab/data/facts.yaml.
"""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go

from lab.figures.basics import vpn_over_internet, vpn_types
from lab.figures.charts import cidr_overlap, elastic_capacity, route_selection_ladder
from lab.figures.protocol import ike_exchanges, packet_encapsulation
from lab.figures.topology import aws_vpn_anatomy, hq_branch_vs_remote_worker, hybrid_cloud

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
}
