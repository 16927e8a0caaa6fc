"""Write the synthesized parts of the bundled incident replays (datasets/incidents/<slug>/).

incident.yaml is written by hand. This script writes, from it and from the tables below:
- metrics.csv: TunnelState (Average: share of each period up; for BGP connections, up = tunnel up
  and BGP established) derived from the incident's tunnel-up/-down and bgp-up/-down events, and
  TunnelDataIn/Out (Sum) from a traffic profile per tunnel, with traffic moving to the partner
  tunnel while a tunnel is down and a trickle of bytes on a down tunnel (data is not liveness);
- aws-tunnel.log and cgw.log from the log lines below (AWS messages verbatim from
  https://docs.aws.amazon.com/vpn/latest/s2svpn/log-contents.html and monitoring-logs.html).

Deterministic (seeded), so running it again rewrites identical files:
    .venv/bin/python scripts/build_incidents.py
"""

from __future__ import annotations

import csv
import json
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import yaml

from lab.sim.assumptions import strongswan_giveup_s, strongswan_retransmit_offsets
from lab.sim.loglines import aws_tunnel_line

ROOT = Path(__file__).resolve().parents[1] / "datasets" / "incidents"


@dataclass
class Profile:
    period: int
    # tunnel ip -> (bytes in, bytes out) per minute at the daily peak while the tunnel carries traffic
    rates: dict[str, tuple[float, float]]
    # tunnel ip -> the tunnel that takes over its traffic while it is down
    partner: dict[str, str] = field(default_factory=dict)
    # local hour of the daily peak (traffic follows a day curve)
    peak_hour: int = 14


PROFILES: dict[str, Profile] = {
    "dpd-idle-tunnel": Profile(
        60,
        {"203.0.113.10": (3.2e6, 1.1e6), "203.0.113.138": (0.0, 0.0)},
        {"203.0.113.10": "203.0.113.138"},
    ),
    "cgw-deleted-ike-sa": Profile(
        60,
        {"203.0.113.52": (5.5e7, 2.1e7), "203.0.113.180": (5.0e7, 1.9e7)},
        {"203.0.113.52": "203.0.113.180", "203.0.113.180": "203.0.113.52"},
    ),
    "endpoint-replacement-ikev1-add": Profile(
        60,
        {"203.0.113.70": (8.0e6, 4.5e6), "203.0.113.198": (1.5e5, 9.0e4)},
        {"203.0.113.70": "203.0.113.198"},
    ),
    "single-tunnel-notice": Profile(
        300,
        {"203.0.113.90": (2.4e6, 1.6e6), "203.0.113.218": (0.0, 0.0)},
        {"203.0.113.218": "203.0.113.90"},
        peak_hour=12,
    ),
    "bgp-failover-s4": Profile(
        60,
        {
            "203.0.113.21": (4.0e7, 2.6e7),
            "203.0.113.149": (3.6e7, 2.2e7),
            "203.0.113.33": (3.0e7, 1.8e7),
            "203.0.113.161": (2.8e7, 1.7e7),
        },
        {"203.0.113.21": "203.0.113.33", "203.0.113.149": "203.0.113.161"},
    ),
    "psk-mismatch-after-rotation": Profile(
        60,
        {"203.0.113.100": (1.2e7, 6.0e6), "203.0.113.228": (1.1e7, 5.5e6)},
        {"203.0.113.100": "203.0.113.228", "203.0.113.228": "203.0.113.100"},
    ),
}


def _t(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _iso(ts: datetime) -> str:
    """A charon line's time as `swan` takes it (journalctl -o short-iso, without the zone)."""
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def _state_changes(incident: dict, vpn_id: str, ip: str, routing: str, final: str) -> tuple[bool, list[tuple[datetime, bool]]]:
    """(initially up, [(time, up)]) for a tunnel, from its events."""
    tunnel_up, bgp_up = True, True
    changes: list[tuple[datetime, str, bool]] = []
    for e in incident["events"]:
        if e.get("vpn_id") != vpn_id or e.get("tunnel_ip") != ip:
            continue
        kind = e["kind"]
        if kind in {"tunnel-up", "tunnel-down"}:
            changes.append((_t(str(e["time"])), "tunnel", kind == "tunnel-up"))
        elif routing == "bgp" and kind in {"bgp-up", "bgp-down"}:
            changes.append((_t(str(e["time"])), "bgp", kind == "bgp-up"))
    changes.sort(key=lambda c: c[0])
    if changes:
        first = changes[0]
        tunnel_up = bgp_up = not first[2] if first[1] == "tunnel" else True
        if first[1] == "bgp":
            bgp_up = not first[2]
    else:
        tunnel_up = bgp_up = final == "UP"
    initial = tunnel_up and bgp_up
    timeline = []
    for when, what, up in changes:
        if what == "tunnel":
            tunnel_up = up
        else:
            bgp_up = up
        timeline.append((when, tunnel_up and bgp_up))
    return initial, timeline


def _up_fraction(initial: bool, timeline: list[tuple[datetime, bool]], a: datetime, b: datetime) -> float:
    state, up_s, cursor = initial, 0.0, a
    for when, new in timeline:
        if when <= a:
            state = new
            continue
        if when >= b:
            break
        if state:
            up_s += (when - cursor).total_seconds()
        cursor, state = when, new
    if state:
        up_s += (b - cursor).total_seconds()
    return up_s / (b - a).total_seconds()


def build_metrics(slug: str, incident: dict) -> None:
    prof = PROFILES[slug]
    rng = random.Random(slug)
    start, end = _t(str(incident["start"])), _t(str(incident["end"]))
    step = timedelta(seconds=prof.period)
    tunnels = []
    for c in incident["connections"]:
        for t in c["tunnels"]:
            initial, timeline = _state_changes(incident, c["id"], t["outside_ip"], c["routing"], t["status"])
            tunnels.append((c["id"], t["outside_ip"], initial, timeline))
    rows = []
    when = start
    while when < end:
        nxt = when + step
        frac = {ip: _up_fraction(i, tl, when, nxt) for _, ip, i, tl in tunnels}
        hour = when.hour + when.minute / 60
        day = 0.35 + 0.65 * max(0.0, math.cos((hour - prof.peak_hour) / 24 * 2 * math.pi))
        minutes = prof.period / 60
        carried = {ip: [r[0] * frac[ip], r[1] * frac[ip]] for ip, r in prof.rates.items()}
        for ip, other in prof.partner.items():
            lost = 1 - frac[ip]
            carried[other][0] += prof.rates[ip][0] * lost * frac[other]
            carried[other][1] += prof.rates[ip][1] * lost * frac[other]
        for vpn_id, ip, _, _ in tunnels:
            noise = 1 + rng.uniform(-0.12, 0.12)
            # A down or idle tunnel still counts a few bytes (status checks, ARP/BGP attempts).
            trickle = rng.uniform(40, 160) * minutes
            data_in = carried[ip][0] * day * noise * minutes + trickle
            data_out = carried[ip][1] * day * noise * minutes + trickle * 0.8
            stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
            for metric, stat, value in (
                ("TunnelState", "Average", round(frac[ip], 4)),
                ("TunnelDataIn", "Sum", round(data_in)),
                ("TunnelDataOut", "Sum", round(data_out)),
            ):
                rows.append([stamp, "AWS/VPN", metric, vpn_id, ip, stat, prof.period, value])
        when = nxt
    with (ROOT / slug / "metrics.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["Timestamp", "Namespace", "MetricName", "VpnId", "TunnelIpAddress", "Statistic", "Period", "Value"])
        writer.writerows(rows)


# --- logs -----------------------------------------------------------------------------------------

def aws_line(vpn: str, ip: str, when: str, p1: str, p2: str, detail: str, natt: bool = False) -> str:
    """One AWS tunnel-log entry in the documented JSON keys (monitoring-logs.html: event_timestamp, timestamp,
    details, dpd_enabled, nat_t_detected, ike_phase1_state, ike_phase2_state), written by the simulator's own
    function; AWS puts the connection id and outside IP in the log stream name, the lab adds them to the record."""
    return aws_tunnel_line(_t(when), vpn, ip, detail, p1, p2, dpd_enabled=True, nat_t=natt)


def bgp_line(vpn: str, ip: str, when: str, status: str, details: str) -> str:
    """One AWS BGP-log entry (monitoring-logs.html)."""
    ts = _t(when)
    return json.dumps(
        {
            "resource_id": f"{vpn}_{ip}",
            "event_timestamp": int(ts.timestamp() * 1000),
            "timestamp": ts.strftime("%Y-%m-%d %H:%M:%S.000Z"),
            "type": "BGPStatus",
            "status": status,
            "message": {"details": details},
        }
    )


def swan(host: str, pid: int, when: str, thread: int, group: str, text: str) -> str:
    """One strongSwan charon line as `journalctl -o short-iso` prints it."""
    return f"{when}+00:00 {host} charon[{pid}]: {thread:02d}[{group}] {text}"


def logs_dpd_idle() -> tuple[list[str], list[str]]:
    v, t2, me = "vpn-0a3f9c21d4e5b6a70", "203.0.113.138", "198.51.100.20"
    # Only documented messages carry a diagnosis; the state-only entries show the tunnel's phases.
    aws = [
        aws_line(v, t2, "2026-03-02T01:14:09Z", "Down", "Down", "Peer is not responsive - Declaring peer dead"),
        aws_line(v, t2, "2026-03-02T04:31:40Z", "Down", "Down", "Peer is not responsive - Declaring peer dead"),
    ]
    h, p = "oslo-cgw", 912
    sent = _t("2026-03-02T01:58:44Z")  # the Quick Mode rekey request nobody answers
    gave_up = sent + timedelta(seconds=strongswan_giveup_s(5))
    n = f"{me}[{me}]...{t2}[{t2}]"
    cgw = [
        swan(h, p, "2026-03-02T00:58:41", 7, "IKE", "<aws-t2|3> CHILD_SA aws-t2{7} established with SPIs c1f07a22_i 5e0d9b34_o and TS 10.40.0.0/16 === 0.0.0.0/0"),
        swan(h, p, "2026-03-02T01:58:44", 12, "KNL", "creating rekey job for CHILD_SA ESP/0xc1f07a22/198.51.100.20"),
        swan(h, p, "2026-03-02T01:58:44", 9, "ENC", "<aws-t2|3> generating QUICK_MODE request 2906611270 [ HASH SA No KE ID ID ]"),
        swan(h, p, "2026-03-02T01:58:44", 9, "NET", f"<aws-t2|3> sending packet: from {me}[500] to {t2}[500] (316 bytes)"),
        # IKEv1 (task_manager_v1.c): "sending retransmit N of request message ID X, seq Y" on strongSwan's default
        # schedule (the simulator's own offsets), giving up after the last timeout.
        *(swan(h, p, _iso(sent + timedelta(seconds=dt)), thread, "IKE",
               f"<aws-t2|3> sending retransmit {n} of request message ID 2906611270, seq 3")
          for n, (dt, thread) in enumerate(zip(strongswan_retransmit_offsets(5), (5, 14, 6, 11, 8), strict=True), start=1)),
        swan(h, p, _iso(gave_up), 13, "IKE", "<aws-t2|3> giving up after 5 retransmits"),
        swan(h, p, _iso(gave_up), 13, "IKE", f"<aws-t2|4> initiating Main Mode IKE_SA aws-t2[4] to {t2}"),
        swan(h, p, _iso(gave_up), 13, "ENC", "<aws-t2|4> generating ID_PROT request 0 [ SA V V V V V ]"),
        swan(h, p, _iso(gave_up), 4, "IKE", f"<aws-t2|4> IKE_SA aws-t2[4] established between {n}"),
        swan(h, p, "2026-03-02T02:01:30", 15, "IKE", "<aws-t2|4> CHILD_SA aws-t2{8} established with SPIs c9b2d6e1_i 2a7f0c53_o and TS 10.40.0.0/16 === 0.0.0.0/0"),
    ]
    return aws, cgw


def logs_cgw_deleted() -> tuple[list[str], list[str]]:
    v, t1, me = "vpn-07c4e1b2a9d8f6e35", "203.0.113.52", "198.51.100.44"
    aws = [
        aws_line(v, t1, "2026-04-14T09:12:40Z", "Down", "Down", "AWS tunnel received DELETE for IKE_SA from CGW"),
        bgp_line(v, t1, "2026-04-14T09:12:40Z", "DOWN", "AWS-side peer BGP session state has changed from Established to Idle with neighbor 169.254.10.2"),
    ]
    h, p = "fra-cgw", 2231
    cgw = [
        swan(h, p, "2026-04-14T09:12:38", 1, "CFG", "loaded IKE shared key with id 'psk-aws-t1' for: '198.51.100.44', '203.0.113.52'"),
        # charon's own lines for a vici reload (vici_config.c); swanctl prints "loaded connection ..." on its stdout
        swan(h, p, "2026-04-14T09:12:38", 1, "CFG", "added vici connection: aws-fra-t1"),
        swan(h, p, "2026-04-14T09:12:38", 1, "CFG", "removed vici connection: aws-t1"),
        swan(h, p, "2026-04-14T09:12:38", 1, "CFG", "vici closing IKE_SA 'aws-t1' #17"),
        swan(h, p, "2026-04-14T09:12:40", 6, "IKE", f"<aws-t1|17> deleting IKE_SA aws-t1[17] between {me}[{me}]...{t1}[{t1}]"),
        swan(h, p, "2026-04-14T09:12:40", 6, "IKE", "<aws-t1|17> sending DELETE for IKE_SA aws-t1[17]"),
        swan(h, p, "2026-04-14T09:12:40", 6, "ENC", "<aws-t1|17> generating INFORMATIONAL request 912 [ D ]"),
        swan(h, p, "2026-04-14T09:12:40", 6, "NET", f"<aws-t1|17> sending packet: from {me}[4500] to {t1}[4500] (80 bytes)"),
        swan(h, p, "2026-04-14T09:12:40", 9, "NET", f"<aws-t1|17> received packet: from {t1}[4500] to {me}[4500] (80 bytes)"),
        swan(h, p, "2026-04-14T09:12:40", 9, "ENC", "<aws-t1|17> parsed INFORMATIONAL response 912 [ ]"),
        swan(h, p, "2026-04-14T09:12:40", 9, "IKE", "<aws-t1|17> IKE_SA deleted"),
    ]
    return aws, cgw


def pluto(host: str, pid: int, when: str, conn: str, text: str) -> str:
    """One Libreswan pluto line as `journalctl -o short-iso` prints it."""
    return f"{when}+00:00 {host} pluto[{pid}]: \"{conn}\" {text}"


def logs_replacement() -> tuple[list[str], list[str]]:
    t1 = "203.0.113.70"
    h, p = "lyon-cgw", 1408
    cgw = [
        # libreswan 4.x wording (programs/pluto: ikev1_main.c, ikev1_dpd.c)
        pluto(h, p, "2026-05-20T01:47:09", "aws-t1", "#21: initiating IKEv1 Main Mode connection"),
        pluto(h, p, "2026-05-20T01:47:10", "aws-t1", f"#21: Peer ID is ID_IPV4_ADDR: '{t1}'"),
        pluto(h, p, "2026-05-20T01:47:10", "aws-t1", "#21: ISAKMP SA established {auth=PRESHARED_KEY cipher=AES_CBC_128 integ=HMAC_SHA1 group=MODP2048}"),
        pluto(h, p, "2026-05-20T01:47:10", "aws-t1", "#22: initiating Quick Mode PSK+ENCRYPT+TUNNEL+PFS+UP+IKEV1_ALLOW+ESN_NO"),
        pluto(h, p, "2026-05-20T01:47:10", "aws-t1", "#22: IPsec SA established tunnel mode {ESP=>0x7b90a2f1 <0xc4d18e27 xfrm=AES_CBC_128-HMAC_SHA1_96 DPD=active}"),
        pluto(h, p, "2026-05-20T02:04:52", "aws-t1", "#21: DPD action - clearing connection kind CK_PERMANENT"),
        pluto(h, p, "2026-05-20T02:04:52", "aws-t1", "#22: deleting state (STATE_QUICK_I2) and sending notification"),
        pluto(h, p, "2026-05-20T02:04:52", "aws-t1", "#21: deleting state (STATE_MAIN_I4) and sending notification"),
    ]
    # The AWS tunnel log stays empty: the new endpoint never sees a negotiation, because the
    # customer gateway does not initiate and AWS does not (IKEv1, startup action add).
    aws: list[str] = []
    return aws, cgw


def logs_single_tunnel() -> tuple[list[str], list[str]]:
    v, t1, t2, me = "vpn-0b8a7c6d5e4f3a2b1", "203.0.113.90", "203.0.113.218", "198.51.100.77"
    aws = []
    base = _t("2026-06-08T01:00:00Z")
    ids = [4411, 4412, 4413]
    for day in range(3):
        when = (base + timedelta(days=day, hours=7, minutes=13)).strftime("%Y-%m-%dT%H:%M:%SZ")
        i = ids[day]
        aws.append(aws_line(v, t1, when, "Established", "Rekeying", f"AWS tunnel processed request (id={i}) for CREATE_CHILD_SA"))
        aws.append(aws_line(v, t1, when, "Established", "Established", f"AWS tunnel is sending response (id={i}) for CREATE_CHILD_SA"))
    h, p = "store0412-cgw", 733
    cgw = []
    attempt = 310
    for day in range(3):
        start = base + timedelta(days=day, hours=9)
        attempt += 1

        def s(dt: int, start: datetime = start) -> str:
            return (start + timedelta(seconds=dt)).strftime("%Y-%m-%dT%H:%M:%S")

        cgw += [
            swan(h, p, s(0), 5, "IKE", f"<aws-t2|{attempt}> initiating IKE_SA aws-t2[{attempt}] to {t2}"),
            swan(h, p, s(0), 5, "ENC", f"<aws-t2|{attempt}> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]"),
            swan(h, p, s(0), 5, "NET", f"<aws-t2|{attempt}> sending packet: from {me}[500] to {t2}[500] (464 bytes)"),
            swan(h, p, s(4), 8, "IKE", f"<aws-t2|{attempt}> retransmit 1 of request with message ID 0"),
            swan(h, p, s(11), 12, "IKE", f"<aws-t2|{attempt}> retransmit 2 of request with message ID 0"),
            swan(h, p, s(24), 3, "IKE", f"<aws-t2|{attempt}> retransmit 3 of request with message ID 0"),
            swan(h, p, s(48), 9, "IKE", f"<aws-t2|{attempt}> retransmit 4 of request with message ID 0"),
            swan(h, p, s(90), 15, "IKE", f"<aws-t2|{attempt}> retransmit 5 of request with message ID 0"),
            swan(h, p, s(165), 6, "IKE", f"<aws-t2|{attempt}> giving up after 5 retransmits"),
            swan(h, p, s(165), 6, "IKE", f"<aws-t2|{attempt}> establishing IKE_SA failed, peer not responding"),
        ]
    return aws, cgw


def logs_s4() -> tuple[list[str], list[str]]:
    v = "vpn-03a1b2c3d4e5f6a7b"
    t1, t2, me = "203.0.113.21", "203.0.113.149", "198.51.100.101"
    aws = [
        bgp_line(v, t1, "2026-07-03T13:40:30Z", "DOWN", "AWS-side peer sent a Hold Timer Expired notification to neighbor 169.254.21.2"),
        bgp_line(v, t1, "2026-07-03T13:40:30Z", "DOWN", "AWS-side peer BGP session state has changed from Established to Idle with neighbor 169.254.21.2"),
        bgp_line(v, t2, "2026-07-03T13:40:31Z", "DOWN", "AWS-side peer sent a Hold Timer Expired notification to neighbor 169.254.21.6"),
        bgp_line(v, t2, "2026-07-03T13:40:31Z", "DOWN", "AWS-side peer BGP session state has changed from Established to Idle with neighbor 169.254.21.6"),
        aws_line(v, t1, "2026-07-03T13:40:40Z", "Down", "Down", "AWS tunnel DPD timed out after 3 retransmits"),
        aws_line(v, t2, "2026-07-03T13:40:41Z", "Down", "Down", "AWS tunnel DPD timed out after 3 retransmits"),
    ]
    # Gateway A's own log ends when it loses power.
    h, p = "hq-cgw-a", 1777
    cgw = [
        swan(h, p, "2026-07-03T13:21:05", 10, "IKE", f"<aws-a-t1|5> IKE_SA aws-a-t1[5] established between {me}[{me}]...{t1}[{t1}]"),
        swan(h, p, "2026-07-03T13:21:05", 10, "IKE", "<aws-a-t1|5> CHILD_SA aws-a-t1{9} established with SPIs c2e8a4d0_i 6f1b3c97_o and TS 0.0.0.0/0 === 0.0.0.0/0"),
        swan(h, p, "2026-07-03T13:38:51", 4, "IKE", "<aws-a-t2|6> sending DPD request"),
        swan(h, p, "2026-07-03T13:38:51", 4, "ENC", "<aws-a-t2|6> generating INFORMATIONAL request 318 [ ]"),
        swan(h, p, "2026-07-03T13:38:51", 7, "ENC", "<aws-a-t2|6> parsed INFORMATIONAL response 318 [ ]"),
    ]
    return aws, cgw


def logs_psk() -> tuple[list[str], list[str]]:
    v, t1, me = "vpn-0c2d4e6f8a0b1c3d5", "203.0.113.100", "198.51.100.133"
    aws, cgw = [], []
    h, p = "mad-cgw", 3120
    base = _t("2026-08-18T10:07:03Z")
    for n in range(4):
        when = base + timedelta(minutes=n * 11, seconds=n * 7)
        w = when.strftime("%Y-%m-%dT%H:%M:%SZ")
        aws += [
            aws_line(v, t1, w, "Negotiating", "Down", f"AWS tunnel detected a pre-shared key mismatch with cgw: {me}"),
            aws_line(v, t1, w, "Down", "Down", "AWS tunnel is sending AUTHENTICATION_FAILED as the response"),
        ]
        s = when.strftime("%Y-%m-%dT%H:%M:%S")
        i = 40 + n
        cgw += [
            swan(h, p, s, 8, "IKE", f"<aws-t1|{i}> initiating IKE_SA aws-t1[{i}] to {t1}"),
            swan(h, p, s, 8, "ENC", f"<aws-t1|{i}> generating IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) N(REDIR_SUP) ]"),
            swan(h, p, s, 10, "ENC", f"<aws-t1|{i}> parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) ]"),
            swan(h, p, s, 10, "IKE", f"<aws-t1|{i}> authentication of '{me}' (myself) with pre-shared key"),
            swan(h, p, s, 10, "IKE", f"<aws-t1|{i}> establishing CHILD_SA aws-t1{{{i + 60}}}"),
            swan(h, p, s, 10, "ENC", f"<aws-t1|{i}> generating IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr AUTH SA TSi TSr N(MOBIKE_SUP) N(NO_ADD_ADDR) N(MULT_AUTH) N(EAP_ONLY) N(MSG_ID_SYN_SUP) ]"),
            swan(h, p, s, 13, "ENC", f"<aws-t1|{i}> parsed IKE_AUTH response 1 [ N(AUTH_FAILED) ]"),
            swan(h, p, s, 13, "IKE", f"<aws-t1|{i}> received AUTHENTICATION_FAILED notify error"),
        ]
    return aws, cgw


LOGS = {
    "dpd-idle-tunnel": logs_dpd_idle,
    "cgw-deleted-ike-sa": logs_cgw_deleted,
    "endpoint-replacement-ikev1-add": logs_replacement,
    "single-tunnel-notice": logs_single_tunnel,
    "bgp-failover-s4": logs_s4,
    "psk-mismatch-after-rotation": logs_psk,
}


def main() -> None:
    for slug, make_logs in LOGS.items():
        folder = ROOT / slug
        incident = yaml.safe_load((folder / "incident.yaml").read_text(encoding="utf-8"))
        build_metrics(slug, incident)
        aws, cgw = make_logs()
        (folder / incident["logs"]["aws"]["file"]).write_text("".join(f"{line}\n" for line in aws), encoding="utf-8")
        (folder / incident["logs"]["cgw"]["file"]).write_text("".join(f"{line}\n" for line in cgw), encoding="utf-8")
        print(f"{slug}: written")


if __name__ == "__main__":
    main()
