"""Log lines the simulator writes: AWS tunnel and BGP logs (JSON) and strongSwan charon syslog lines.

AWS lines use only message texts from the AWS Site-to-Site VPN log documentation
(https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html and monitoring-logs.html) and the
documented JSON keys (event_timestamp, timestamp, details, dpd_enabled, nat_t_detected,
ike_phase1_state, ike_phase2_state). AWS puts the connection id and the tunnel outside IP in
the log stream name; the lab adds them as `vpn_connection_id` and `tunnel_outside_ip` so that
one file can hold several tunnels. charon lines follow strongSwan's syslog layout
(`<date> <host> charon: NN[GRP] message`).
"""

from __future__ import annotations

import json
from datetime import datetime

# AWS tunnel activity log messages (log-contents.html), verbatim with their placeholders.
AWS_DPD_IKEV1 = "Peer is not responsive - Declaring peer dead"
AWS_DPD_IKEV2 = "AWS tunnel DPD timed out after {retries} retransmits"
AWS_DELETE_IKE_SA = "AWS tunnel received DELETE for IKE_SA from CGW"
AWS_DELETE_PHASE2 = "AWS tunnel received DELETE for Phase 2 SA with SPI: {spi}"
AWS_PSK_IKEV1 = "AWS tunnel payload decryption was unsuccessful due to invalid Pre-shared Key"
AWS_PSK_IKEV2 = "AWS tunnel detected a pre-shared key mismatch with cgw: {cgw}"
AWS_AUTH_FAILED = "AWS tunnel is sending AUTHENTICATION_FAILED as the response"
AWS_NO_PROPOSAL = "No Proposal Match Found by AWS"
AWS_HALF_OPEN = "AWS tunnel Timeout: deleting un-established Phase 1 IKE_SA with cgw: {cgw}"
AWS_REKEY_REQUEST = "AWS tunnel is sending request (id={id}) for CREATE_CHILD_SA"
AWS_REKEY_RESPONSE = "AWS tunnel processed response (id={id}) for CREATE_CHILD_SA"

# AWS BGP log messages (monitoring-logs.html). The message table writes the neighbor as "{ip: xxx}", a
# placeholder: AWS's example record on the same page shows the bare address ("... with neighbor 169.254.50.85").
# A notification the AWS side receives reads "received notification", one it sends "sent a notification".
BGP_STATE = "AWS-side peer BGP session state has changed from {old} to {new} with neighbor {ip}"
BGP_HOLD_EXPIRED = "AWS-side peer sent a Hold Timer Expired notification to neighbor {ip}"
BGP_RESET_RECEIVED = "AWS-side peer received notification 6/4 (Cease/Administrative Reset) from neighbor {ip}"
BGP_END_OF_RIB = "AWS-side peer sent an End-of-RIB message to neighbor {ip}"


def _readable(ts: datetime) -> str:
    return ts.strftime("%Y-%m-%d %H:%M:%S.") + f"{ts.microsecond // 1000:03d}Z"


def aws_tunnel_line(
    ts: datetime,
    vpn_id: str,
    tunnel_ip: str,
    details: str,
    phase1: str,
    phase2: str,
    *,
    dpd_enabled: bool = True,
    nat_t: bool = False,
) -> str:
    """One tunnel activity log entry as AWS writes it in JSON format."""
    return json.dumps(
        {
            "event_timestamp": int(ts.timestamp() * 1000),
            "timestamp": _readable(ts),
            "vpn_connection_id": vpn_id,
            "tunnel_outside_ip": tunnel_ip,
            "details": details,
            "dpd_enabled": dpd_enabled,
            "nat_t_detected": nat_t,
            "ike_phase1_state": phase1,
            "ike_phase2_state": phase2,
        },
        separators=(",", ":"),
    )


def aws_bgp_line(ts: datetime, vpn_id: str, tunnel_ip: str, status: str, details: str) -> str:
    """One BGP log entry (type BGPStatus, status UP or DOWN)."""
    return json.dumps(
        {
            "resource_id": f"{vpn_id}_{tunnel_ip}",
            "event_timestamp": int(ts.timestamp() * 1000),
            "timestamp": _readable(ts),
            "type": "BGPStatus",
            "status": status,
            "message": {"details": details},
        },
        separators=(",", ":"),
    )


def charon_line(ts: datetime, host: str, thread: int, group: str, message: str) -> str:
    """A strongSwan charon line as syslog writes it: `Jan 15 09:01:40 cgw-a charon: 09[IKE] ...`."""
    return f"{ts:%b} {ts.day:2d} {ts:%H:%M:%S} {host} charon: {thread:02d}[{group}] {message}"
