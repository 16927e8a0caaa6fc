"""Log lines exported as JSON records (one per line or pretty-printed) or quoted CSV rows are read by their message
(`lab.analyzer.paste.unwrap_records`).

A log platform's export (Elasticsearch / OpenSearch with Filebeat's ECS fields, Loki, Graylog, Splunk, CloudWatch
Logs Insights), `journalctl -o json` and Docker's json-file driver write one JSON object per line with the daemon's line
in one field; JSON escapes the daemon's quotes. The record shapes are the documented ones: systemd.journal-fields(7)
(MESSAGE, __REALTIME_TIMESTAMP, _HOSTNAME, SYSLOG_IDENTIFIER, _PID), Docker's json-file log driver ({"log", "stream",
"time"}), Elastic Common Schema (@timestamp, message, host.name) and CloudWatch Logs Insights (@timestamp, @message).
The lines inside are development excerpts of the real-log corpus (`datasets/real-logs/dev/`, sources in
`corpus.yaml`); AWS's own VPN log records are JSON by design and stay as they are.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from lab.analyzer import analyze_text
from lab.analyzer.paste import rejoin_wrapped, unwrap_csv_row, unwrap_record, unwrap_records
from tests.timing import best_pair

CORPUS = Path(__file__).resolve().parents[2] / "datasets" / "real-logs"
_DEV = sorted(
    (e for e in yaml.load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)["entries"]
     if e["split"] == "dev"),
    key=lambda e: e["id"],
)
FILES = {e["id"]: CORPUS / e["file"] for e in _DEV}
# A CLI command's output pasted from a terminal ("juniper@R1> show bgp summary", its table; a status table such as
# `calicoctl node status` prints, starting with its frame): no log collector exports it as records.
_COMMAND_OUTPUT = re.compile(r"^\S+(?:[>#]|\$) ?(?:show|display|get|diagnose|ipsec|swanctl|gobgp|birdc|vtysh)\b"
                             r"|^[+|]-")


def _is_command_output(entry: dict[str, object]) -> bool:
    first = next((line for line in FILES[str(entry["id"])].read_text(encoding="utf-8").splitlines() if line.strip()), "")
    return bool(_COMMAND_OUTPUT.match(first.strip()))


# Every twelfth development excerpt (about forty, of every format), so the check runs in seconds. One host's export
# holds one host's log: a two-sided paste (two peers' logs) is not one export, so it is not taken.
SAMPLE = [e["id"] for e in [e for e in _DEV if not e["two_sided"] and not _is_command_output(e)][::12]]

_MICROS = 1_733_130_000_000_000  # 2024-12-02 09:00:00 UTC, in microseconds


def _journald(i: int, line: str) -> dict[str, object]:
    return {"__REALTIME_TIMESTAMP": str(_MICROS + i * 1_000_000), "_HOSTNAME": "gw01", "SYSLOG_IDENTIFIER": "charon",
            "_PID": "2211", "PRIORITY": "6", "MESSAGE": line}


def _docker(i: int, line: str) -> dict[str, object]:
    return {"log": line + "\n", "stream": "stderr", "time": f"2024-12-02T09:{i // 60 % 60:02d}:{i % 60:02d}.5Z"}


def _ecs(i: int, line: str) -> dict[str, object]:
    return {"@timestamp": f"2024-12-02T09:{i // 60 % 60:02d}:{i % 60:02d}.000Z", "host": {"name": "gw01"},
            "log": {"file": {"path": "/var/log/syslog"}}, "message": line}


WRAPPERS: dict[str, Callable[[int, str], dict[str, object]]] = {"journald": _journald, "docker": _docker, "ecs": _ecs}


def _csv(i: int, line: str) -> str:
    """A row of Splunk's CSV export (`_time`, `host`, `_raw`): every field quoted, quotes inside doubled."""
    quoted = line.replace('"', '""')
    return f'"2024-12-02T09:{i // 60 % 60:02d}:{i % 60:02d}.000+0000","gw01","{quoted}"'


def _logged_lines(name: str) -> list[str]:
    """The excerpt's lines as the daemon logged them, which is what a collector exports: a line a mail or an archive
    wrapped (the excerpt as its page quotes it) is one line again."""
    joined, _count = rejoin_wrapped(FILES[name].read_text(encoding="utf-8"))
    return [line for line in joined.splitlines() if line.strip()]


def _category(text: str) -> str | None:
    primary = analyze_text(text).primary
    return primary.category if primary else None


@pytest.mark.parametrize("wrapper", sorted(WRAPPERS))
@pytest.mark.parametrize("name", SAMPLE)
def test_an_excerpt_exported_as_json_records_reads_as_the_original(name: str, wrapper: str) -> None:
    lines = _logged_lines(name)
    exported = "".join(json.dumps(WRAPPERS[wrapper](i, line)) + "\n" for i, line in enumerate(lines))
    assert _category(exported) == _category("\n".join(lines) + "\n")


@pytest.mark.parametrize("name", SAMPLE)
def test_an_excerpt_exported_as_csv_rows_reads_as_the_original(name: str) -> None:
    lines = _logged_lines(name)
    exported = '"_time","host","_raw"\n' + "".join(_csv(i, line) + "\n" for i, line in enumerate(lines))
    original = _category("\n".join(lines) + "\n")
    # (the header row is one more line: the same reading, one line further down)
    assert _category(exported) == original


@pytest.mark.parametrize("name", SAMPLE)
def test_an_excerpt_exported_as_a_pretty_printed_json_array_reads_as_the_original(name: str) -> None:
    # A log platform's document view or JSON export: one field per line, the daemon's line in "message".
    lines = _logged_lines(name)
    exported = json.dumps([_ecs(i, line) for i, line in enumerate(lines)], indent=2) + "\n"
    assert _category(exported) == _category("\n".join(lines) + "\n")


def test_a_large_export_read_from_a_file_in_blocks_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from lab.analyzer import analyze_path
    from lab.analyzer import files as files_module  # the file reader and the limit it reads

    lines = FILES[SAMPLE[0]].read_text(encoding="utf-8").splitlines()
    original = _category("\n".join(lines) + "\n")
    monkeypatch.setattr(files_module, "MAX_BYTES", 100)  # past the whole-file limit: read in blocks, as bytes
    for name, text in (
        ("export.csv", "".join(_csv(i, line) + "\n" for i, line in enumerate(lines))),
        ("export.json", json.dumps([_ecs(i, line) for i, line in enumerate(lines)], indent=2) + "\n"),
        ("journal.json", "".join(json.dumps(_journald(i, line)) + "\n" for i, line in enumerate(lines))),
    ):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        analysis = analyze_path(path)
        assert (analysis.primary.category if analysis.primary else None) == original, name


def test_a_csv_row_reads_as_its_message() -> None:
    line = '"aws-tunnel-1" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response'
    assert unwrap_csv_row(_csv(0, line)) == f"2024-12-02T09:00:00.000+0000 gw01 {line}"
    block = "\n".join([_csv(0, line), '"plain","row","without doubled quotes"', "Dec  2 09:00:00 gw01 charon: x"])
    unwrapped, count = unwrap_records(block)
    assert count == 1 and unwrapped.split("\n")[1:] == block.split("\n")[1:]


def test_a_hostile_csv_like_line_costs_in_proportion_to_its_length() -> None:
    def row(n: int) -> str:
        return '"' + '","' * n + '""' + '"\n'

    small, large = row(2_000) * 5, row(20_000) * 5
    t_small, t_large = best_pair(unwrap_records, small, large)
    assert t_large < t_small * 30  # ten times the text: about ten times the time, never its square


def test_a_record_reads_as_the_daemons_line_with_its_time_host_and_program() -> None:
    line = '"aws-tunnel-1" #1: STATE_MAIN_I1: retransmission; will wait 0.5 seconds for response'
    record = json.dumps(_journald(0, line))
    assert '\\"aws-tunnel-1\\"' in record  # (JSON escapes the daemon's quotes)
    assert unwrap_record(record) == f"2024-12-02T09:00:00.000000+00:00 gw01 charon[2211]: {line}"
    # A message that carries its own time (a syslog line shipped whole) is the daemon's line as it stands.
    syslog = "Dec  2 09:00:00 gw01 charon[2211]: 09[IKE] giving up after 5 retransmits"
    assert unwrap_record(json.dumps(_ecs(0, syslog))) == syslog


def test_line_numbers_stay_and_other_lines_are_left_alone() -> None:
    block = "\n".join([
        "Dec  2 09:00:00 gw01 charon[2211]: 09[IKE] initiating IKE_SA aws[1] to 203.0.113.5",
        json.dumps(_docker(1, "09[IKE] giving up after 5 retransmits")),
        "{not json}",
        "",
    ])
    unwrapped, count = unwrap_records(block)
    assert count == 1
    assert unwrapped.split("\n")[1] == "2024-12-02T09:00:01.5Z 09[IKE] giving up after 5 retransmits"
    assert unwrapped.split("\n")[0] == block.split("\n")[0] and unwrapped.split("\n")[2:] == ["{not json}", ""]


def test_aws_vpn_log_records_stay_json_also_inside_an_insights_export() -> None:
    aws = ('{"event_timestamp":1764404400000,"details":"AWS tunnel DPD timed out after 3 retransmits",'
           '"dpd_enabled":true,"nat_t_detected":false,"ike_phase1_state":"Down","ike_phase2_state":"Down"}')
    assert unwrap_record(aws) is None
    insights = json.dumps({"@timestamp": "2025-11-29 08:20:00.000", "@message": aws})
    assert unwrap_record(insights) == aws
    analysis = analyze_text(insights + "\n")
    assert analysis.format == "aws-json"
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"


def test_aws_records_as_the_aws_cli_prints_them_read_as_aws_records() -> None:
    # `aws logs filter-log-events` (the CloudWatch Logs API's FilterLogEvents response, pretty-printed): each AWS VPN
    # record is a JSON string in "message".
    records = [
        {"event_timestamp": 1764404400000 + i * 10000, "details": details, "dpd_enabled": True,
         "nat_t_detected": False, "ike_phase1_state": state, "ike_phase2_state": state}
        for i, (details, state) in enumerate([("AWS tunnel is sending DPD request", "Established"),
                                              ("AWS tunnel DPD timed out after 3 retransmits", "Down")])
    ]
    response = {"events": [{"logStreamName": "vpn-0123456789abcdef0-203.0.113.10", "timestamp": r["event_timestamp"],
                            "message": json.dumps(r, separators=(",", ":")), "eventId": f"3795{i}"}
                           for i, r in enumerate(records)], "searchedLogStreams": []}
    analysis = analyze_text(json.dumps(response, indent=4) + "\n")
    assert analysis.format == "aws-json"
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"


def test_aws_records_as_aws_logs_tail_prints_them_read_as_aws_records() -> None:
    # `aws logs tail`: the event's time and log stream name (the VPN connection and the tunnel's outside IP), then the
    # record.
    record = ('{"event_timestamp":1764404420000,"details":"AWS tunnel DPD timed out after 3 retransmits",'
              '"dpd_enabled":true,"nat_t_detected":false,"ike_phase1_state":"Down","ike_phase2_state":"Down"}')
    analysis = analyze_text(f"2025-11-29T08:20:20.123000+00:00 vpn-0123456789abcdef0-203.0.113.10 {record}\n")
    assert analysis.format == "aws-json"
    assert analysis.primary is not None and analysis.primary.category == "dpd_timeout"


def test_daemons_that_log_json_themselves_keep_their_fields() -> None:
    # GoBGP (logrus) and MetalLB put their message in "msg" beside fields of their own (the peer, the NOTIFICATION
    # code): such a record is read as it is.
    gobgp = ('{"Code":2,"Data":"/ek=","Key":"169.254.21.1","Subcode":2,"Topic":"Peer","level":"warning",'
             '"msg":"received notification","time":"2023-05-01T10:00:01Z"}')
    assert unwrap_record(gobgp) is None
    assert _category(gobgp + "\n") == "bgp_down"


def test_the_analysis_says_the_records_were_unwrapped() -> None:
    lines = FILES[SAMPLE[0]].read_text(encoding="utf-8").splitlines()
    exported = "".join(json.dumps(_journald(i, line)) + "\n" for i, line in enumerate(lines))
    assert any("JSON records" in str(note) for note in analyze_text(exported).notes)


DESCRIBE_VPN_CONNECTIONS = {  # `aws ec2 describe-vpn-connections` (the DescribeVpnConnections response), abridged
    "VpnConnections": [{
        "CustomerGatewayId": "cgw-0e11f167abc123456", "State": "available", "Type": "ipsec.1",
        "VpnConnectionId": "vpn-0123456789abcdef0",
        "VgwTelemetry": [
            {"AcceptedRouteCount": 0, "LastStatusChange": "2025-11-29T08:20:27+00:00", "OutsideIpAddress": "203.0.113.10",
             "Status": "DOWN", "StatusMessage": "IPSEC IS DOWN"},
            {"AcceptedRouteCount": 0, "LastStatusChange": "2025-11-29T08:21:05+00:00", "OutsideIpAddress": "203.0.113.11",
             "Status": "UP", "StatusMessage": "0 BGP ROUTES"},
        ],
    }],
}


def test_pasted_vpn_connection_status_is_named_and_sent_to_the_logs_that_tell_why() -> None:
    for text in (json.dumps(DESCRIBE_VPN_CONNECTIONS, indent=4),
                 # a part of it, as copied from a terminal: read field by field
                 "\n".join(json.dumps(DESCRIBE_VPN_CONNECTIONS, indent=4).splitlines()[5:21])):
        analysis = analyze_text(text + "\n")
        assert analysis.primary is None
        notes = [str(n) for n in analysis.notes]
        assert not any("format was not recognised" in n for n in notes)
        status = next(n for n in notes if "describe-vpn-connections" in n)
        assert "tunnel 203.0.113.10 DOWN (IPSEC IS DOWN)" in status
        if "203.0.113.11" in text:
            assert "tunnel 203.0.113.11 UP (0 BGP ROUTES)" in status
    assert not any("describe-vpn-connections" in str(n) for n in analyze_text("Dec  2 gw charon: x\n").notes)


# Cisco IOS `show crypto isakmp sa` as AWS's troubleshooting guide for Cisco IOS customer gateways prints it
# (awsdocs/aws-site-to-site-vpn-user-guide, doc_source/Cisco_Troubleshooting_NoBGP.md): both tunnels' IKE SAs up.
SHOW_ISAKMP_SA = """\
router# show crypto isakmp sa
IPv4 Crypto ISAKMP SA
dst             src             state          conn-id slot status
174.78.144.73 205.251.233.121 QM_IDLE           2001    0 ACTIVE
174.78.144.73 205.251.233.122 QM_IDLE           2002    0 ACTIVE
"""


def _isakmp_note(text: str, lang: str = "en") -> str | None:
    return next((n.render(lang) for n in analyze_text(text).notes if "show crypto isakmp sa" in n.render("en")), None)


def test_pasted_ike_sa_list_says_which_phase_1_is_up_and_where_the_cause_of_one_that_is_not_is() -> None:
    up = analyze_text(SHOW_ISAKMP_SA)
    assert up.primary is None
    assert not any("format was not recognised" in str(n) for n in up.notes)
    note = _isakmp_note(SHOW_ISAKMP_SA)
    assert note is not None and "dst 174.78.144.73 src 205.251.233.122 QM_IDLE ACTIVE" in note
    assert "Every IKE SA listed is up" in note and "show crypto ipsec sa" in note
    # one tunnel's phase 1 stuck before its first exchange completed (the guide: any other state is IKE not configured
    # properly); newer IOS releases print no slot column
    stuck = SHOW_ISAKMP_SA.replace("QM_IDLE           2002    0 ACTIVE", "MM_NO_STATE       2002    0 ACTIVE")
    # also copied from a Windows terminal (CRLF)
    for text in (stuck, stuck.replace(" slot status", " status").replace("    0 ", " "), stuck.replace("\n", "\r\n")):
        note = _isakmp_note(text)
        assert note is not None and "MM_NO_STATE" in note
        assert "1 listed here is not: its phase 1 is not up" in note and "debug crypto isakmp" in note
        assert analyze_text(text).primary is None  # the state alone does not tell why
    assert "목록 중 1개는" in (_isakmp_note(stuck, "ko") or "")
    both = stuck.replace("QM_IDLE           2001    0 ACTIVE", "MM_NO_STATE       2001    0 DELETED")
    assert "2 listed here are not: their phase 1 is not up" in (_isakmp_note(both) or "")
    # the list pasted with debug lines: the debug lines are read as ever
    debug = 'ISAKMP:(0):deleting SA reason "Death by retransmission P1" state (I) MM_NO_STATE (peer 205.251.233.122)\n'
    with_debug = analyze_text(stuck + debug)
    assert with_debug.primary is not None and with_debug.primary.category == "peer_unreachable"
    assert _isakmp_note(stuck + debug) is not None
    # rows without the list's header, or a header without rows, are no list
    assert _isakmp_note("\n".join(SHOW_ISAKMP_SA.splitlines()[3:]) + "\n") is None
    assert _isakmp_note("dst             src             state          conn-id slot status\n") is None



def test_an_ike_sa_being_deleted_is_listed_and_counted_as_not_up() -> None:
    # an SA being deleted carries "(deleted)" after its status (Cisco's genieparser, iosxe/show_crypto.py: "9.45.9.8
    # 9.45.9.7 MM_NO_STATE 1063 ACTIVE (deleted)"); the row was left out before, and the note said every SA was up
    deleted = SHOW_ISAKMP_SA.replace("QM_IDLE           2002    0 ACTIVE", "MM_NO_STATE       2002    0 ACTIVE (deleted)")
    note = _isakmp_note(deleted)
    assert note is not None and "src 205.251.233.122 MM_NO_STATE ACTIVE (deleted)" in note
    assert "Every IKE SA listed is up" not in note and "1 listed here is not: its phase 1 is not up" in note

# Cisco ASA `show crypto isakmp sa` in the layout of AWS's troubleshooting guide for Cisco ASA customer gateways
# (doc_source/Cisco_ASA_Troubleshooting.md, whose example names the peers AWS_ENDPOINT_1/2: here two addresses).
SHOW_ASA_ISAKMP_SA = """\
ciscoasa# show crypto isakmp sa
   Active SA: 2
   Rekey SA: 0 (A tunnel will report 1 Active and 1 Rekey SA during rekey)
Total IKE SA: 2

1   IKE Peer: 52.95.117.12
    Type    : L2L             Role    : initiator
    Rekey   : no              State   : MM_ACTIVE
2   IKE Peer: 52.95.117.13
    Type    : L2L             Role    : initiator
    Rekey   : no              State   : MM_ACTIVE
"""


def test_pasted_asa_ike_sa_list_says_which_phase_1_is_up() -> None:
    up = analyze_text(SHOW_ASA_ISAKMP_SA)
    assert up.primary is None and not any("format was not recognised" in str(n) for n in up.notes)
    note = _isakmp_note(SHOW_ASA_ISAKMP_SA)
    assert note is not None and "ASA's IKE SA list" in note and "peer 52.95.117.13 MM_ACTIVE" in note
    assert "Every IKE SA listed is up" in note
    waiting = SHOW_ASA_ISAKMP_SA.replace("State   : MM_ACTIVE\n2", "State   : MM_WAIT_MSG2\n2")
    note = _isakmp_note(waiting)
    assert note is not None and "peer 52.95.117.12 MM_WAIT_MSG2" in note
    assert "1 listed here is not: its phase 1 is not up" in note and "debug crypto isakmp" in note
    assert analyze_text(waiting).primary is None  # a state in a list is no cause
    assert "피어 52.95.117.12 MM_WAIT_MSG2" in (_isakmp_note(waiting, "ko") or "")
    # older releases' single-space layout, an Aggressive Mode peer (remote access), and Windows line ends
    flat = "1 IKE Peer: 68.187.94.184\nType : user Role : responder\nRekey : no State : AM_ACTIVE\n"
    for text in (flat, flat.replace("\n", "\r\n")):
        assert "peer 68.187.94.184 AM_ACTIVE" in (_isakmp_note(text) or "")
    assert _isakmp_note("1   IKE Peer: 52.95.117.12\n") is None  # a peer without its state is no list


def test_a_csv_row_whose_message_is_shorter_than_its_time_is_read_by_the_message() -> None:
    # The message is the row's longest field, except a field that is only a time: pluto's "sent Main Mode I2" (28
    # characters with its connection) is as long as an ISO 8601 time with milliseconds and a zone.
    row = '"2024-12-02T09:00:02.000+0000","gw01","""x509"" #1: sent Main Mode I2"'
    assert unwrap_csv_row(row) == '2024-12-02T09:00:02.000+0000 gw01 "x509" #1: sent Main Mode I2'
    assert unwrap_csv_row('"Dec  2 10:00:01","gw01","""c"" #1: ok"') == 'Dec  2 10:00:01 gw01 "c" #1: ok'
