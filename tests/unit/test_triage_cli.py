"""`vpn-lab triage`: the JSON contract, exit codes 0 / 3 / 2, and the consistency matrix."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lab import DATASETS_DIR
from lab.cli import main
from lab.triage import matrix, tree

DPD = str(DATASETS_DIR / "samples" / "aws-dpd-timeout.jsonl")
AUTH = str(DATASETS_DIR / "samples" / "strongswan-auth-failure.log")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main(["triage", *args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_an_open_question_exits_3_with_its_choices_and_not_sure(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys)
    assert code == 3
    assert set(data) >= {"tree", "node", "is_diagnosis", "diagnosis", "path", "candidates", "question"}
    assert data["node"] == "tunnel-down/scope" and data["is_diagnosis"] is False and data["diagnosis"] is None
    assert data["question"]["choices"][-1] == {"answer": "not-sure", "label": "Not sure"}
    assert {"id", "title"} == set(data["candidates"][0])


def test_a_diagnosis_exits_0_with_fix_commands_and_the_path_marked(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, "--log", AUTH, "--device", "strongswan")
    assert code == 0
    assert data["diagnosis"]["id"] == "tunnel-down/d-auth"
    cmd = data["diagnosis"]["commands"][0]
    assert cmd["family"] == "strongswan" and cmd["source"].startswith("https://")
    assert all(step["by"] in ("person", "evidence") for step in data["path"])
    assert any(step["by"] == "evidence" and step["source"] for step in data["path"])
    assert data["question"] is None and data["candidates"] == []


def test_person_answers_are_marked_person(capsys: pytest.CaptureFixture[str]) -> None:
    code, data = _json(capsys, "--answer", "scope=1", "--answer", "tunnel-down/ike-traffic=not-sure")
    assert code == 3
    assert [s["by"] for s in data["path"]] == ["person", "person"]
    assert data["path"][1]["answer"] == "Not sure"


def test_the_cli_and_the_page_link_reach_the_same_position(capsys: pytest.CaptureFixture[str]) -> None:
    _code, data = _json(capsys, "--replay", "bgp-failover-s4")
    from urllib.parse import parse_qs, urlsplit

    query = parse_qs(urlsplit(data["link"]).query)
    again = tree.walk(tree.start(query["tree"][0]), tree.parse_answers_token(query["answers"][0]), {})
    assert again.current.ref == data["node"]
    assert [s.by for s in again.steps if s.answer is not None] == [s["by"] for s in data["path"]]


def test_text_output_names_the_scope_the_path_and_the_question(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["triage", "--replay", "bgp-failover-s4"])
    out = capsys.readouterr().out
    assert code == 3
    assert "Evidence from: hq-cgw-a" in out and "[evidence - connection vpn-" in out
    assert "Diagnoses still possible" in out and "not-sure" in out


@pytest.mark.parametrize("args, message", [
    (["--answer", "scope"], "NODE=ANSWER"),
    (["--answer", "nope=1"], "no tree has a node 'nope'"),
    (["--answer", "scope=9"], "Unknown answer to 'tunnel-down/scope'"),
    (["--replay", "nope"], "nope"),
    (["--log", "/nonexistent/file.log"], "Cannot read"),
    (["--device", "toaster"], "Unknown --device"),
    (["--replay", "bgp-failover-s4", "--tunnel", "192.0.2.99"], "192.0.2.99"),
    # every name and address there is, in the simulator's order
    (["--replay", "bgp-failover-s4", "--tunnel", "tunnel-9"],
     "Valid choices: tunnel-1 (203.0.113.21), tunnel-2 (203.0.113.149), tunnel-3 (203.0.113.33), tunnel-4"),
    (["--tunnel", "tunnel-1"], "no evidence to pick a tunnel from"),
    (["--profile", "x"], "--profile and --region go with --vpn-id"),
])
def test_bad_input_exits_2_with_a_clear_message(capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["triage", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_tunnel_takes_the_simulators_name_or_the_outside_ip(capsys: pytest.CaptureFixture[str]) -> None:
    """`tunnel-3` is the third tunnel in connection order, as the scenario lab and a failure script name it."""
    _code, by_name = _json(capsys, "--replay", "bgp-failover-s4", "--tunnel", "tunnel-3")
    _code, by_ip = _json(capsys, "--replay", "bgp-failover-s4", "--tunnel", "203.0.113.33")
    assert "203.0.113.33" in by_name["scope"] and "hq-cgw-b" in by_name["scope"]
    assert by_name == by_ip


def test_a_binary_log_is_refused(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "capture.pcap"
    f.write_bytes(b"\x00\x01binary")
    assert main(["triage", "--log", str(f)]) == 2
    assert "looks binary" in capsys.readouterr().err


def test_secrets_in_a_log_never_reach_the_output(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "cgw.log"
    f.write_text((DATASETS_DIR / "samples" / "strongswan-auth-failure.log").read_text()
                 + 'Jan 15 09:00:00 cgw charon: 01[CFG] secret = "Sup3rS3cretPSKvalue1234567"\n')
    main(["triage", "--log", str(f), "--json"])
    assert "Sup3rS3cretPSKvalue1234567" not in capsys.readouterr().out


def test_consistency_matrix_never_picks_a_wrong_diagnosis() -> None:
    """Every scenario x failure kind, and every replay: the expected diagnosis, or the engine asks."""
    cells = matrix.run_matrix()
    wrong = [c.to_json() for c in cells if c.wrong]
    assert not wrong, wrong
    kinds = {c.column for c in cells if c.row != "replay" and " + " not in c.column}
    assert kinds == {k.split("/")[0] for k in matrix.EXPECTED}
    pairs = {(c.row, c.column) for c in cells if " + " in c.column}
    assert len(pairs) >= 5 * 6  # every scenario meets two failures at once, S2-S5 with both gateways
    assert {row for row, _ in pairs} == {"s1", "s2", "s3", "s4", "s5"}
    assert sum(c.outcome == "right" for c in cells) >= len(cells) // 3
    table = matrix.render(cells)
    assert "wrong" in table.splitlines()[-1] and "asks at" in table


def test_two_failures_in_s4_triage_each_tunnel_by_its_own_failure() -> None:
    """The walkthrough: S4, gateway A off at 60 s and a Delete IKE_SA on tunnel-3 at 60 s that gateway B
    re-initiates: tunnel-3 was set up again (not "nobody re-initiates"), gateway A's tunnel never reaches a
    Delete diagnosis."""
    cells = {c.target: c for c in matrix.pair_cells("s4") if c.column == "cgw-down:cgw-a@60 + ike-delete:tunnel-3@60"}
    assert cells["tunnel-3"].reached == "tunnel-down/d-ike-sa-deleted-recovered"
    assert cells["tunnel-3"].outcome == "right"
    assert not cells["tunnel-1"].wrong and "ike-sa" not in cells["tunnel-1"].reached
    # A Delete on the dead device's other tunnel finds no SA: it causes nothing, so nothing about a Delete is right.
    dead = {c.target: c for c in matrix.pair_cells("s4") if c.column == "cgw-down:cgw-a@60 + ike-delete:tunnel-2@60"}
    assert all("ike-sa" not in e for e in dead["tunnel-2"].expected)


def test_matrix_json_lists_the_two_failure_cells(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--matrix", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    pair = [r for r in rows if r["row"] == "s4" and r["column"] == "cgw-down:cgw-a@60 + ike-delete:tunnel-3@60"]
    assert {r["target"] for r in pair} == {"tunnel-1", "tunnel-3"}
    assert all(r["outcome"] in ("right", "asks") for r in rows)


def test_matrix_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--matrix"]) == 0
    assert "0 wrong" in capsys.readouterr().out


def test_triage_speaks_korean_with_lang_ko_and_keeps_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["triage", "--replay", "psk-mismatch-after-rotation", "--device", "azure", "--lang", "ko"])
    out = capsys.readouterr().out
    assert code == 0
    assert "경로:" in out and "진단: 인증 실패" in out and "[증거 - 연결 vpn-" in out
    assert "사전 공유 키를 설정하세요" in out and "디바이스에 이 터널의 사전 공유 키 설정" in out
    assert "Set-AzVirtualNetworkGatewayConnectionSharedKey" in out  # commands stay as the vendor writes them
    assert "Path:" not in out and "With the values from the evidence" not in out and "Cause:" not in out


def test_a_question_in_korean_offers_not_sure_in_korean(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["triage", "--lang", "ko"])
    out = capsys.readouterr().out
    assert code == 3
    assert "질문 (tunnel-down/scope): " in out and "not-sure  잘 모르겠음" in out
    assert "아직 가능한 진단(가능성 높은 순):" in out and "답하는 방법: --answer tunnel-down/scope=<선택>" in out
    assert "Answer with" not in out and "Question (" not in out


def test_commands_say_when_their_syntax_was_not_checked_against_the_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["triage", "--replay", "psk-mismatch-after-rotation", "--device", "cisco-asa"]) == 0
    assert "(the command was not checked against this page)" in capsys.readouterr().out
    assert main(["triage", "--replay", "psk-mismatch-after-rotation", "--device", "strongswan", "--json"]) == 0
    cmds = json.loads(capsys.readouterr().out)["diagnosis"]["commands"]
    assert cmds and all(c["verified"] is True for c in cmds)  # strongSwan's were checked against swanctl.opt


def test_a_device_s_own_log_gives_its_family_s_commands_unless_another_is_chosen(
        capsys: pytest.CaptureFixture[str]) -> None:
    """A Cisco IOS debug says which device wrote it: the fix's commands are IOS's without --device, and the text
    says so; --device picks another; charon's lines (strongSwan, pfSense, OPNsense, VyOS alike) and AWS's own log
    name no family."""
    from lab.analyzer import analyze_text
    from lab.triage.fixes import family_of_log

    ios = str(DATASETS_DIR / "real-logs" / "dev" / "cisco-ios-v1-no-shared-encryption.log")
    code, data = _json(capsys, "--log", ios)
    assert code == 0 and {c["family"] for c in data["diagnosis"]["commands"]} == {"cisco-ios"}
    main(["triage", "--log", ios])
    assert "Commands for Cisco IOS / IOS-XE, the device that wrote the log" in capsys.readouterr().out
    _code, data = _json(capsys, "--log", ios, "--device", "fortigate")
    assert {c["family"] for c in data["diagnosis"]["commands"]} == {"fortigate"}
    assert family_of_log(analyze_text(Path(AUTH).read_text(encoding="utf-8"))) == ""
    assert family_of_log(analyze_text(Path(DPD).read_text(encoding="utf-8"))) == ""
