"""Evidence: facts that can answer troubleshooting questions automatically, each with its provenance.

Every fact belongs to one *scope*: one connection and one tunnel (or "the pasted log" when nothing
says which tunnel it is). Facts are never combined across tunnels: log lines are split by tunnel
first (the tunnel IP in an AWS log line, a tunnel outside IP named in a customer-gateway line, or a
strongSwan connection name seen next to one) and each tunnel's lines are analyzed on their own.
Lines that belong to no known tunnel answer nothing. When two sources disagree about one key of one
scope, the key is kept with both pieces and no value: the question is left to the person.

Keys (the trees' `evidence:` fields use them; `lab/data/evidence.yaml` says for each what it proves
and what it does not):
    connection.tunnels_down     both | one | none            (VgwTelemetry of the connection)
    connection.routing          bgp | static
    tunnel.status               UP | DOWN
    tunnel.maintenance_pending  yes | no
    tunnel.phase1_state         Established | Rekeying | Negotiating | Down   (AWS tunnel log)
    tunnel.phase2_state         same values
    options.startup_action      add | start
    options.dpd_timeout_action  clear | none | restart
    options.ike_versions        ikev1 | ikev2 | both
    log.ike_activity            yes | one-way
    log.primary                 a category id | none
    log.primary_node            "<tree>/<node>" where the logs' diagnosis continues
    log.category:<category>     yes | no
    log.pattern:<pattern id>    yes
    log.peer_alive_after_dpd    yes | no
    log.bgp_cause               asn | hold_timer | max_prefix | shutdown
    log.bgp_session             down | no_routes   (no_routes: up, but routes dropped or held back by a policy)
    log.rekey_kind              collision | failed
    tunnel.reestablished_after_delete  cgw | aws | yes | no   (an SA established after the last Delete IKE_SA)
    tunnel.after_delete         reestablished | add | start   (derived: set up again after the Delete, else
                                                         the startup action that decides who must)
"""

from lab.triage.evidence.logs import (
    _BGP_CAUSES,
    _CHARON_CGW_INITIATES,
    _CHARON_PEER_INITIATES,
    _PLUTO_ESTABLISHED,
    from_analysis,
)
from lab.triage.evidence.model import RULES_FILE, Evidence, Rule, rule, rules
from lab.triage.evidence.scopes import (
    Scope,
    combine,
    derive,
    from_snapshot,
    merge,
    scopes,
    scopes_from_text,
    split_by_tunnel,
)

__all__ = [
    "RULES_FILE",
    "Evidence",
    "Rule",
    "Scope",
    "_BGP_CAUSES",
    "_CHARON_CGW_INITIATES",
    "_CHARON_PEER_INITIATES",
    "_PLUTO_ESTABLISHED",
    "combine",
    "derive",
    "from_analysis",
    "from_snapshot",
    "merge",
    "rule",
    "rules",
    "scopes",
    "scopes_from_text",
    "split_by_tunnel",
]
