"""Log formats: detection from a sample of lines, timestamps, and the AWS tunnel-log JSON fields.

Detection scores the first lines of the input against one signature per format; every format that
scores is kept (a lab export often mixes the AWS tunnel log with the customer gateway's log), the
best one names the analysis. AWS JSON keys follow the current log page (event_timestamp, timestamp,
details, dpd_enabled, nat_t_detected, ike_phase1_state, ike_phase2_state) and the older names
(VpnLogCreationTimestamp, VpnLogDetail, TunnelIKEPhase1State, ...):
https://docs.aws.amazon.com/vpn/latest/s2svpn/monitoring-logs.html and .../log-contents.html
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from lab.analyzer.patterns import FORMATS
from lab.analyzer.prefilter import _hs
from lab.analyzer.protocol import MONTHS as _MONTHS

# The keys that make a JSON record one of AWS's VPN log records (tunnel and BGP logs, current and older names).
AWS_RECORD_KEYS = r'"(?:details|VpnLogDetail|ike_phase1_state|TunnelIKEPhase1State|resource_id|event_timestamp)"'

SIGNATURES: dict[str, re.Pattern[str]] = {
    # (a record alone on its line, or after the time and log stream name `aws logs tail` prints before it)
    "aws-json": re.compile(r'^(?:\s*|\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)? \S+ )\{.*' + AWS_RECORD_KEYS),
    "aws-text": re.compile(
        r"\bAWS(?: tunnel|-side peer|: Traffic Selector)\b|No Proposal Match Found|Peer is not responsive - Declaring"
    ),
    "strongswan": re.compile(
        r"\bcharon(?:-systemd)?\b|(?:\b\d{2}|^)\[(?:IKE|NET|ENC|CFG|KNL|MGR|JOB|CHD|LIB|DMN|ASN)\] "
        # charon's own wording when a paste keeps only the message (no thread, no [IKE] group)
        r"|\b(?:parsed|generating) (?:IKE_SA_INIT|IKE_AUTH|CREATE_CHILD_SA|INFORMATIONAL|ID_PROT|QUICK_MODE|AGGRESSIVE"
        r"|INFORMATIONAL_V1|TRANSACTION) (?:request|response) \d+ \["
        r"|\bsending retransmit \d+ of (?:request|response) message ID \d+|\b(?:IKE_SA \S+\[\d+\]|CHILD_SA \S+\{\d+\}) established"
        # its status listings: ipsec statusall (stroke_list.c) and swanctl --list-sas (list_sas.c)
        r"|^Security Associations \(\d+ up, \d+ connecting\):|\[\d+\]: IKEv[12] SPIs: [0-9a-fA-F]{16}_i"
        r"|: #\d+, [A-Z_]+, IKEv[12], [0-9a-fA-F]{16}_i"
    ),
    "libreswan": re.compile(
        r'\bpluto\[\d+\]|"[^"]+"(?:\[\d+\])?(?: \S+)? #\d+: |STATE_(?:MAIN|QUICK|PARENT|V2)_'
        r"|(?:^|: )packet from \[?[0-9a-fA-FxX*.:]+\]?:\d+: "  # pluto's lines about a packet no connection took
        r'|(?:^|\s)#\d+: "[^"]+"(?:\[\d+\])?(?: \S+)?:\d+ '  # its state listing (ipsec showstates, ipsec status)
        r'|"[^"]+": (?:failed to add connection|added (?:oriented )?IKEv[12] connection)\b'  # loading a connection
        r'|\bERROR: "[^"]+"(?:\[\d+\])?: '  # its error about a connection (IKE over TCP refused: iface_tcp.c)
        r"|: no routed template covers this pair\b"  # no connection for a pair it was asked to initiate (acquire.c)
        # its own log file (logfile=, no syslog tag): starting, loading connections (libreswan 4/5: the name after
        # the words), queuing Child SAs on an IKE SA, a packet from a host name or masked address
        r'|\bStarting Pluto \(|\badded (?:oriented )?IKEv[12] connection "|: queuing pending IPsec SA negotiating with '
        r"|(?:^|: )packet from [A-Za-z][\w.-]*:\d+: "
    ),
    # racoon via syslog ("racoon: ERROR: ..."), or its own log file (racoon -l; F5 BIG-IP's racoon.log):
    # "2018-03-20 09:38:16: INFO: ..."
    "racoon": re.compile(
        r"\bracoon(?:\[\d+\])?: (?:\[[^\]]*\]: )?(?:ERROR|INFO|WARNING|NOTIFY|DEBUG)?"
        r"|^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d: (?:ERROR|INFO|WARNING|NOTIFY|DEBUG2?): "
    ),
    # (some FTD builds put the message class after the product: "%FTD-vpn-4-752010", "%FTD-session-4-106023"; the
    # ASA's "debug crypto ikev1" writes "[IKEv1 DEBUG]IP = 192.0.2.1, ..." and "[IKEv1]Group = ..., IP = ...")
    "cisco-asa": re.compile(r"%(?:ASA|PIX|FTD)-(?:[a-z]+-)?\d-\d{6}|\bIKEv2-(?:PROTO|PLAT)-\d+:"
                            r"|\[IKEv1(?: DEBUG| DECODE)?\](?:Group|IP) = "),
    # (IOS 15+ "debug crypto ikev2" writes "IKEv2:(SESSION ID = 1,SA ID = 1):" and "IKEv2:%"; the ASA writes
    # "IKEv2-PROTO-n:" instead; IOS-XE's errors read "IKEv2-ERROR:(SESSION ID = 1,SA ID = 1):", the lines of an SA
    # not yet bound to a session "IKEv2:(SA ID = 1):"; "debug ip bgp" writes "*Sep  6 12:03:11.223: BGP: 2.2.2.2 ...",
    # FRR "2021/12/02 11:46:04.743 BGP: ..." without the colon after the time)
    "cisco-ios": re.compile(
        r"%(?:CRYPTO|IKEV2|BGP|BGP_SESSION|ISAKMP)-\d-[A-Z_]+|\bISAKMP(?: \(\d+:\d+\))?:|IPSEC\(|\bIKEv2(?:-ERROR|-INTERNAL)?:(?:\((?:SESSION ID|SA ID) = \d|%|SA )|\bIKEv2-INTERNAL:[A-Z]"
        r"|\d\d:\d\d:\d\d\.\d{3}(?: [A-Z]{2,5})?: BGP(?:\(\d+\))?: "
    ),
    # (FortiOS's routing debug prints its event log lines as 'id=20300 msg="BGP: %BGP-5-ADJCHANGE: ..."')
    "fortigate": re.compile(r'\blog_?id=["\']?\d{10}|subtype=["\']?(?:vpn|ipsec)\b|\bike (?:V=[^:\s]+:)?\d+:|\bid=\d{5} (?:logdesc|msg)="|\bid=\d{5} trace_id=\d+ func=\w+ line=\d+ msg="'
                            # `diagnose vpn tunnel list`: a tunnel's block and its DPD line
                            r'|^name=\S+ ver=[12] serial=\d+|^dpd: mode=(?:on-idle|on-demand|off) on=[01] '),
    # (ikemgr.log names the source of a message, "[INFO]: ike_sa.c:275:ikev2_abort(): ", and its debug lines
    # "pan_ikev2_debug(protocols/ikev2/ikev2.c:6946)"; routed.log's BGP exceptions "qbnmsnd2.c 167 :at 10:53:51, ...")
    "paloalto": re.compile(r"IKE(?:v2)? phase-[12]|ikemgr|IKEv2 (?:IKE|child) SA|\[(?:PERR|PWRN|PNTF|INFO)\]: \\?\{ +\d+:|,SYSTEM,(?:vpn|routing),|IKE protocol notification message"
                           r"|\[(?:PERR|PWRN|PNTF|INFO)\]: \w+\.c:\d+:\w+\(\): |\bpan_ikev2_\w+\(|\bqbnm\w+\.c \d+ :at \d"),
    # (kmd's trace file, without a syslog prefix: "ike_st_i_n: Start, doi = 1, ...", "Received IKE DPD R_U_THERE_ACK
    # from IKE peer: ...")
    "juniper": re.compile(r"\b(?:kmd|iked)\[\d+\]|\b(?:kmd|iked) \d+ (?:- |KMD_)|KMD_[A-Z_]+|\brpd\[\d+\]|RPD_BGP_|IKE negotiation failed with error|bgp_\w+:\d+: NOTIFICATION"
                          r"|\bike_st_i_\w+: Start, doi = \d|\bReceived IKE DPD R_U_THERE(?:_ACK)? from IKE peer: "
                          # rpd's trace without a line number, the "show bgp summary" header, and the Junos kernel's
                          # TCP-MD5 check ("/kernel: tcp_auth_ok: Packet from ... wrong MD5 digest")
                          r"|\bbgp_\w+: NOTIFICATION (?:received|sent) (?:from|to)\b|^Groups: \d+ Peers: \d+ Down peers: \d+"
                          r"|/kernel: tcp_auth_ok: "),
    "mikrotik": re.compile(r"\bipsec,(?:error|info|debug|warning)|\b\d\d:\d\d:\d\d ipsec \S|\broute,bgp\b|\bbgp,(?:info|error|debug)"),
    # (Network Watcher's VPN troubleshoot writes Windows' IKEEXT trace: "[0]0368.03A4::02/02/2017-17:36:01.496 [ikeext] 3038|...")
    "azure": re.compile(r"SESSION_ID :\{|Remote \S+:\d+: Local \S+:\d+:|\[Remote\] \S+ \[Local\]|\[IkeEvent\]|IKEDiagnosticLog|TunnelDiagnosticLog"
                        r"|\[ikeext\] \d+\|"
                        # a Windows Server's own IKE: its IKEEXT trace ("[ikeext] IkeValidateIkeV2Address() - 110|..."),
                        # a Routing and Remote Access event about a demand-dial interface (Get-EventLog's listing)
                        r"|\[ikeext\] Ike\w*\(\) - |\bA demand dial connection to the remote\b|^Source\s*: RemoteAccess\s*$"),
    "checkpoint": re.compile(r"\bvpnd\b|ike\.elg|\bCheckPoint \d+ - \[|(?:Main|Quick|Aggressive) Mode (?:Failed to match|Received Notification|Sent Notification|completion)|(?:Auth|Create Child SA|IKE_SA_INIT) exchange: |Informational Exchange (?:Received|Sent) Delete|\bvpn_ipsec_decrypt Reason:|Unknown SPI for IPsec packet"),
    "sonicwall": re.compile(r"IKE (?:Initiator|Responder): |IKEv2 (?:Initiator|Responder|Received notify)|\(Phase [12]\)|Failed payload verification after decryption"),
    # F5 BIG-IP's IKEv2 (tmm, /var/log/ipsec.log): "info tmm[20647]: 017c0000  [0.0] [IKE] v2 192.0.2.1%0-198.51.100.1%0 ..."
    "f5": re.compile(r"\btmm\d*\[\d+\]: 017c\d{4}\b|\[IKE\] v[12] [0-9a-fA-F.:]+%\d+-[0-9a-fA-F.:]+%\d+"),
    # Huawei VRP / USG IPsec messages: "%%01IPSEC/4/IPSECNEGOFAIL(l)[3]:...", the alarm form "IPSEC/4/IPSECNEGOFAIL:OID ..."
    "huawei": re.compile(r"(?:%%\d\d|^|[^A-Za-z0-9])(?:IPSEC(?:-VPN)?/\d/[A-Z_]{6,}|IKE/\d/[A-Z_]{6,})"),
    # WatchGuard Fireware: its VPN messages carry their catalogue ID ('msg_id="0203-0004" IKE phase-1 negotiation ...')
    "watchguard": re.compile(r'\bmsg_id="02(?:0[0-9]|1A)-[0-9A-F]{4}"'),
    # (Huawei VRP: "%%01BGP/2/bgpBackwardTransNotification(t):", its debug "BGP(VPN 0): changes state from ...")
    "bgp-generic": re.compile(r"\bbgpd\[\d+\]|%ADJCHANGE|%NOTIFICATION|%ROUTING-BGP-\d-|\bbird\b|Topic=Peer|\"Topic\":\"Peer\"|BGP_FSM_|\bexabgp\b|peerASN|\bgobgpd?\b|%%\d\dBGP/\d/|\bBGP\(VPN \d+\): "
                              # Nokia SR Linux's BGP manager and SR OS's BGP events ("MINOR: BGP #2038 Base ..."; as
                              # remote syslog: "TMNX: 67158 Base BGP-WARNING-bgpPeerNotFound-2012 [PEER 1: ...]:")
                              r"|\bsr_bgp_mgr: |: BGP #20\d\d\b|moved from higher state [A-Z]+ to lower state "
                              r"|\bBGP-(?:CRITICAL|MAJOR|MINOR|WARNING|INFO|CLEARED|INDETERMINATE)-\w+-20\d\d \["
                              # FortiGate's and Quagga's BGP debug ("BGP: 10.0.0.1-Outgoing [FSM] State: ..."), and the
                              # header of a "show (ip) bgp summary" / "get router info bgp summary" listing
                              r"|\bBGP: [0-9a-fA-F.:]{3,}-(?:Outgoing|Incoming) \[[A-Z]+\]|\bNeighbh?or +V +AS +MsgRcvd +MsgSent\b"
                              # the Linux kernel's TCP-MD5 check on a BGP segment (net/ipv4/tcp.c, include/net/tcp_ao.h):
                              # "TCP: MD5 Hash failed for (192.0.2.1, 179)->(192.0.2.2, 40123)"
                              r"|\bMD5 Hash (?:failed|mismatch|not found) for [^\n]*?\b179\b|\bUnexpected MD5 Hash found for [^\n]*?\b179\b"
                              # BIRD's own log file ("log \"file\" all"): time, then the message class in brackets
                              # (sysdep/unix/log.c: "2026-12-04 08:46:56.043 <RMT> aws: Received: ...")
                              r"|\d\d:\d\d:\d\d(?:\.\d+)? <(?:TRACE|RMT|INFO|WARN|ERR|AUTH|FATAL|BUG|DBG)> "
                              # a row of BIRD's "birdc show protocols" for a BGP protocol: name, protocol, table, state
                              # (nest/proto.c proto_cmd_show: up, start, stop, down, flush), since
                              r"|^\S+\s+BGP\s+\S+\s+(?:up|start|stop|down|flush)\s+\d"
                              # ExaBGP's own log: time, pid, source (4.2 lib/exabgp/logger.py "%s | %-6d | %-15s | %s",
                              # with the level after the time when it writes to a terminal; 5.0
                              # src/exabgp/logger/format.py without the bars; its short form starts with the source)
                              r"|\d\d:\d\d:\d\d(?: \| [A-Z]+ *)? \| \d+ +\| (?:reactor|network|(?:peer|outgoing|incoming)-\d+|process|configuration) *\| "
                              r"|^\d\d:\d\d:\d\d \d+ +(?:reactor|network|(?:peer|outgoing|incoming)-\d+) +\S"
                              r"|^(?:outgoing|incoming)-\d+ {3,}\S"
                              # OpenBGPD's own lines without a syslog prefix (bgpd -d): usr.sbin/bgpd/logmsg.c
                              r"|\bneighbor \S+(?: \([^)\n]*\))?: state change \w+ -> \w+, reason: "
                              r"|\bfatal in (?:SE|RDE|RTR): |^route decision engine ready$"
                              # FRR's JSON listings (show bgp summary json, show bgp neighbors json)
                              r'|"(?:bgpState|peerUptime|pfxRcd|remoteAs)":'
                              # the header of a neighbor's block in "show (ip) bgp neighbors" (Cisco, FRR, FortiOS)
                              r"|^\s*BGP neighbor is \S+,? +remote AS \d"
                              # FRR's and Quagga's own log file (lib/log.c: "2019/06/02 19:22:48 BGP: ...", with
                              # milliseconds under `log timestamp precision 3`), and a neighbor block's reset line
                              r"|^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d(?:\.\d+)? BGP: "
                              r"|^\s*Last reset \S+, +(?:due to |Notification (?:sent|received) \()"
                              # ExaBGP 3.x's own log (the date before time, pid and source), Brocade NetIron's peer
                              # state lines, and D-Link DxS's log entries ("[BGP(3):] BGP connection is closed ...")
                              r"|^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \d+ +(?:reactor|network|configuration|processes|daemon) +\S"
                              r"|\bBGP: Peer (?:\(VRF: [^)]*\) )?\S+ (?:DOWN|UP) \(|\[BGP\(\d+\):\] "),
}
# A JSON line that is AWS's is also matched by the aws-text signature; prefer the JSON reading.
_PRIORITY = {name: i for i, name in enumerate(FORMATS)}
DETECT_LINES = 400

# ISO 8601, and FRR's own log file ("2026/12/05 14:50:09.838": lib/zlog.c, `log timestamp precision 3`)
_ISO = re.compile(r"(\d{4})([-/])(\d{2})\2(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")
_TIME_FIELD = re.compile(r'(?:"time"|\btime)\s*[:=]\s*"?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})')
_FORTI = re.compile(r"date=(\d{4})-(\d{2})-(\d{2}) time=(\d{2}):(\d{2}):(\d{2})")
# A month name with the year: Cisco ASA and IOS with `service timestamps log datetime year` ("Jun 10 2024 14:22:01",
# "*Mar  1 2024 00:12:54.311"), Huawei VRP ("Sep 22 2026 14:16:07"), Cisco NX-OS ("2020 May 20 11:54:18").
_MONTH_DATE = re.compile(
    r"(?<![\w:])(?:(?P<mon>" + "|".join(_MONTHS) + r") {1,2}(?P<day>\d{1,2}) (?P<year>\d{4})|(?P<year2>\d{4}) "
    r"(?P<mon2>" + "|".join(_MONTHS) + r") {1,2}(?P<day2>\d{1,2})) (?P<h>\d{2}):(?P<mi>\d{2}):(?P<s>\d{2})"
    r"(?:\.(?P<frac>\d{1,6}))?(?![\d])"
)


class _Signatures:
    """Which signatures a line matches. The signatures Hyperscan compiles are matched in one scan per line
    (fourteen Python regexes cost several microseconds each on a long line); the others, and lines where
    Python's and Hyperscan's character classes could differ (non-ASCII text, the \\x1c-\\x1f separators
    Python counts as spaces), use the Python regexes. The answer is the same either way."""

    def __init__(self) -> None:
        self.names = tuple(SIGNATURES)
        self.python = self.names
        self.db = self.scratch = None
        if _hs is None:  # pragma: no cover - depends on the platform's wheels
            return
        ok: list[int] = []
        for i, name in enumerate(self.names):
            try:  # one at a time: a signature Hyperscan cannot compile stays with Python
                probe = _hs.Database(mode=_hs.HS_MODE_BLOCK)
                probe.compile(expressions=[SIGNATURES[name].pattern.encode()], ids=[i], elements=1,
                              flags=[_hs.HS_FLAG_SINGLEMATCH])
                ok.append(i)
            except _hs.error:
                pass
        if not ok:  # pragma: no cover
            return
        db = _hs.Database(mode=_hs.HS_MODE_BLOCK)
        db.compile(expressions=[SIGNATURES[self.names[i]].pattern.encode() for i in ok], ids=ok, elements=len(ok),
                   flags=[_hs.HS_FLAG_SINGLEMATCH] * len(ok))
        self.db, self.scratch = db, _hs.Scratch(db)
        self.python = tuple(n for i, n in enumerate(self.names) if i not in ok)

    def matched(self, line: str) -> list[str]:
        if self.db is None or not line.isascii() or _PY_SPACE.search(line):
            return [name for name, rx in SIGNATURES.items() if rx.search(line)]
        found: list[int] = []
        self.db.scan(line.encode(), match_event_handler=lambda i, *_: found.append(i), scratch=self.scratch)
        names = self.names
        return [names[i] for i in found] + [n for n in self.python if SIGNATURES[n].search(line)]


_PY_SPACE = re.compile("[\x1c-\x1f]")
_PLUTO_STATE_LINE = re.compile(r'"[^"]+"(?:\[\d+\])?(?: \S+)? #\d+: ')


@lru_cache(maxsize=1)
def _signatures() -> _Signatures:
    return _Signatures()


def detect(sample: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """(best format, every format seen) for sample lines; ("unknown", ()) when none is recognised."""
    scores = dict.fromkeys(FORMATS, 0)
    matched = _signatures().matched
    for line in sample:
        names = matched(line)
        if "fortigate" in names and len(names) > 1:
            # a FortiGate event log quotes its routing daemon's messages in msg="..." ("BGP: %BGP-5-ADJCHANGE: ..."):
            # the line is FortiGate's, not Cisco's
            names = ["fortigate"]
        elif "libreswan" in names and len(names) > 1 and _PLUTO_STATE_LINE.search(line):
            # pluto's "conn" #N: line says "initiating IKEv2 IKE SA", words PAN-OS's ikemgr uses too ("IKEv2 IKE SA
            # negotiation is started"): the connection and state serial make the line pluto's
            names = ["libreswan"]
        elif "watchguard" in names and len(names) > 1:
            # a WatchGuard message says "IKE phase-1 negotiation ... failed", words PAN-OS's system log uses too:
            # its msg_id makes the line WatchGuard's
            names = ["watchguard"]
        for name in names:
            scores[name] += 1
    if scores["aws-json"]:
        # JSON lines also carry AWS message text; do not count them twice as aws-text.
        scores["aws-text"] = max(0, scores["aws-text"] - scores["aws-json"])
    seen = tuple(sorted((f for f, s in scores.items() if s), key=lambda f: (-scores[f], _PRIORITY[f])))
    if not seen:
        return "unknown", ()
    return seen[0], seen


def aws_fields(line: str) -> dict[str, Any] | None:
    """The fields of one AWS JSON log line (tunnel or BGP log), or None when it is not JSON."""
    start = line.find("{")
    if start < 0:
        return None
    try:
        data = json.loads(line[start:])
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def aws_state(fields: dict[str, Any], key: str) -> str:
    old = {"ike_phase1_state": "TunnelIKEPhase1State", "ike_phase2_state": "TunnelIKEPhase2State"}[key]
    value = fields.get(key, fields.get(old, ""))
    return str(value) if value else ""


def line_time(line: str, fmt: str) -> datetime | None:
    """The timestamp of a line when it has a full date; syslog lines without a year give None."""
    if fmt == "aws-json":
        fields = aws_fields(line)
        if fields:
            ms = fields.get("event_timestamp")
            if isinstance(ms, int | float) and ms > 0:
                return datetime.fromtimestamp(ms / 1000, tz=UTC)
            for key in ("timestamp", "VpnLogCreationTimestamp"):
                if isinstance(fields.get(key), str):
                    return _iso(fields[key])
    if fmt == "fortigate":
        m = _FORTI.search(line)
        if m:
            return datetime(*map(int, m.groups()), tzinfo=UTC)  # type: ignore[misc]
    stamp = _iso(line[:80])
    if stamp is None and (m := _MONTH_DATE.search(line[:80])):
        try:
            stamp = datetime(int(m["year"] or m["year2"]), _MONTHS[m["mon"] or m["mon2"]], int(m["day"] or m["day2"]),
                             int(m["h"]), int(m["mi"]), int(m["s"]), int((m["frac"] or "0").ljust(6, "0")), tzinfo=UTC)
        except ValueError:
            stamp = None
    if stamp is None and (field := _TIME_FIELD.search(line)):
        # a JSON record or key=value line whose time field comes late (GoBGP's logrus JSON: {"Key":...,"time":"..."})
        stamp = _iso(field.group(1))
    return stamp


def _iso(text: str) -> datetime | None:
    m = _ISO.search(text)
    if not m:
        return None
    y, _, mo, d, h, mi, s, frac = m.groups()
    try:
        return datetime(
            int(y), int(mo), int(d), int(h), int(mi), int(s), int((frac or "0").ljust(6, "0")), tzinfo=UTC
        )
    except ValueError:
        return None


# `aws ec2 describe-vpn-connections` (the EC2 API's DescribeVpnConnections response): each tunnel's status
# (VgwTelemetry: OutsideIpAddress, Status UP/DOWN, StatusMessage such as "IPSEC IS DOWN" or "0 BGP ROUTES").
_TELEMETRY_FIELD = re.compile(r'"(OutsideIpAddress|Status|StatusMessage)"\s*:\s*"([^"\n]{0,200})"')
MAX_TUNNELS_LISTED = 8


def vpn_tunnel_statuses(text: str) -> list[tuple[str, str, str]]:
    """(outside IP, status, status message) of each tunnel in pasted `aws ec2 describe-vpn-connections` output, in
    its order; [] for anything else. A whole response is read as JSON; a part of one, field by field."""
    if '"VgwTelemetry"' not in text:
        return []
    tunnels: list[tuple[str, str, str]] = []
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("VpnConnections"), list):
        for conn in data["VpnConnections"]:
            for t in (conn.get("VgwTelemetry") or []) if isinstance(conn, dict) else []:
                if isinstance(t, dict) and isinstance(t.get("OutsideIpAddress"), str):
                    tunnels.append(_tunnel(t))
        return tunnels
    current: dict[str, str] = {}
    for m in _TELEMETRY_FIELD.finditer(text):
        key, value = m.groups()
        if key == "OutsideIpAddress" and current.get("OutsideIpAddress"):
            tunnels.append(_tunnel(current))
            current = {}
        current[key] = value
    if current.get("OutsideIpAddress"):
        tunnels.append(_tunnel(current))
    return tunnels


# Cisco IOS `show crypto isakmp sa`: a header "dst src state conn-id [slot] status" and a row per IKE SA, such as
# "174.78.144.73   205.251.233.121 QM_IDLE           2001    0 ACTIVE" (AWS's troubleshooting guide for Cisco IOS customer
# gateways, Cisco_Troubleshooting_NoBGP.md: "The state should be QM_IDLE and status should be ACTIVE. The absence of
# an entry, or any entry in another state, indicates that IKE is not configured properly.").
_ISAKMP_SA_HEADER = re.compile(r"^[ \t]*dst[ \t]+src[ \t]+state[ \t]+conn-id[ \t]+(?:slot[ \t]+)?status[ \t\r]*$", re.M)
# A row of an SA being deleted carries its current status after the status: "MM_NO_STATE 1063 ACTIVE (deleted)"
# (Cisco's genieparser, iosxe/show_crypto.py, ShowCryptoIsakmpSa: "stats_now").
_ISAKMP_SA_ROW = re.compile(
    r"^[ \t]*(?P<dst>[0-9A-Fa-f.:]{3,45})[ \t]+(?P<src>[0-9A-Fa-f.:]{3,45})[ \t]+(?P<state>[A-Z][A-Z0-9_]{1,30})[ \t]+\d+"
    r"(?:[ \t]+\d+)?[ \t]+(?P<status>[A-Z][A-Z-]{1,20}(?:[ \t]+\([a-z]{1,20}\))?)[ \t\r]*$", re.M)


def isakmp_sa_rows(text: str) -> list[tuple[str, str, str, str]]:
    """(dst, src, state, status) of each IKE SA in pasted Cisco IOS `show crypto isakmp sa` output, in its order;
    [] for anything else (no header, or no row after it)."""
    if "conn-id" not in text:
        return []
    header = _ISAKMP_SA_HEADER.search(text)
    if header is None:
        return []
    return [(m["dst"], m["src"], m["state"], m["status"]) for m in _ISAKMP_SA_ROW.finditer(text, header.end())]


# Cisco ASA `show crypto isakmp sa`: an entry per IKE SA, "1   IKE Peer: 203.0.113.9" and, a line or two below it,
# "Rekey   : no              State   : MM_ACTIVE" (AWS's troubleshooting guide for Cisco ASA customer gateways,
# Cisco_ASA_Troubleshooting.md: "The state value should be MM_ACTIVE ... any entry in another state indicates that IKE
# is not configured properly"; AM_ACTIVE is the same for Aggressive Mode).
_ASA_IKE_PEER = re.compile(r"^[ \t]*\d+[ \t]+IKE Peer:[ \t]*(?P<peer>[0-9A-Za-z_.:-]{1,64})[ \t\r]*$", re.M)
_ASA_IKE_STATE = re.compile(r"\bState[ \t]*:[ \t]*(?P<state>[A-Z][A-Z0-9_]{1,30})\b")
ASA_UP_STATES = frozenset({"MM_ACTIVE", "AM_ACTIVE"})
_ASA_ENTRY_CHARS = 4096  # an entry's three lines after the peer's are within this many characters of it


def asa_isakmp_sas(text: str) -> list[tuple[str, str]]:
    """(peer, state) of each IKE SA in pasted Cisco ASA `show crypto isakmp sa` output, in its order; [] for anything
    else. The state is the first one named in the three lines after the peer's."""
    if "IKE Peer:" not in text:
        return []
    found: list[tuple[str, str]] = []
    for m in _ASA_IKE_PEER.finditer(text):
        following = text[m.end():m.end() + _ASA_ENTRY_CHARS].split("\n", 4)[1:4]  # (not a copy of the rest of the paste)
        state = next((s["state"] for line in following if (s := _ASA_IKE_STATE.search(line))), None)
        if state is not None:
            found.append((m["peer"], state))
    return found


def isakmp_sa_up(state: str, status: str) -> bool:
    """An IKE SA row of `show crypto isakmp sa` whose phase 1 is up."""
    return state == "QM_IDLE" and status == "ACTIVE"


def _tunnel(fields: dict[str, Any]) -> tuple[str, str, str]:
    """(outside IP, status, status message) of one tunnel's telemetry."""
    return str(fields["OutsideIpAddress"]), str(fields.get("Status") or ""), str(fields.get("StatusMessage") or "")
