"""`vpn-lab db upgrade` and `vpn-lab class ...`: the CLI contract, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from lab.classes import answer_question, join_class
from lab.cli import main
from lab.store import open_store
from lab.store.db import database_url, dispose_all
from tests.net import closed_port


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_upgrade_creates_then_reports_up_to_date(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and out.startswith("Created database") and "schema 0002" in out
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and "is up to date (schema 0002)" in out
    if db_url.startswith("sqlite"):
        assert db_url.removeprefix("sqlite:///") in out  # the file's location is printed


def test_default_database_is_a_file_in_the_user_data_directory(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("VPNLAB_DATABASE_URL")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert database_url() == f"sqlite:///{tmp_path}/xdg/vpn-lab/vpn-lab.sqlite3"
    code, out, _ = _run(capsys, "db", "upgrade")
    assert code == 0 and str(tmp_path / "xdg" / "vpn-lab" / "vpn-lab.sqlite3") in out


def test_create_show_export_delete(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VPNLAB_PUBLIC_URL", "https://lab.example.org/")
    code, out, _ = _run(capsys, "class", "create", "Network team", "--json")
    assert code == 0
    created = json.loads(out)
    assert set(created) == {"code", "facilitator_key", "url"}
    assert created["url"] == f"https://lab.example.org/class?code={created['code']}"
    store = open_store()
    now = datetime.now(UTC)
    _, mina, _ = join_class(store, created["code"], now, name="Mina")
    answer_question(store, mina.id, "what-is-a-vpn", 0, 0, False, now)
    code, out, _ = _run(capsys, "class", "show", created["code"], "--json")
    shown = json.loads(out)
    assert code == 0 and shown["code"] == created["code"] and shown["title"] == "Network team"
    participant = shown["participants"][0]
    assert participant["name"] == "Mina" and participant["lessons_done"] == []
    assert participant["quiz"]["answered"] == 1 and participant["quiz"]["first_try_correct"] == 0
    assert participant["drills"] == [] and shown["drills"] == []
    code, out, _ = _run(capsys, "class", "show", created["code"])
    assert code == 0 and "Mina: 0 lesson(s) done" in out
    target = tmp_path / "results.csv"
    code, out, _ = _run(capsys, "class", "export", created["code"], "--csv", str(target))
    assert code == 0 and list(csv.reader(target.open()))[1][0] == "Mina"
    code, out, _ = _run(capsys, "class", "delete", created["code"])
    assert code == 0 and "1 participant(s)" in out
    code, _, err = _run(capsys, "class", "show", created["code"])
    assert code == 2 and err.strip().count("\n") == 0 and "Unknown class code" in err


def test_unknown_code_exits_2_with_one_line(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["class", "show", "NOPE42"], ["class", "export", "NOPE42", "--csv", "-"],
                 ["class", "delete", "NOPE42"]):
        code, out, err = _run(capsys, *args)
        assert code == 2 and out == ""
        assert err == "vpn-lab: Unknown class code 'NOPE42'. Check the code your facilitator gave the room.\n"


def test_unreachable_database_exits_2_with_one_line(monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    with closed_port() as port:
        monkeypatch.setenv("VPNLAB_DATABASE_URL", f"postgresql://lab:s3cret@127.0.0.1:{port}/lab")
        for args in (["db", "upgrade"], ["class", "show", "ABCDEF"], ["class", "create", "T"]):
            code, out, err = _run(capsys, *args)
            assert code == 2 and out == ""
            assert err.count("\n") == 1 and err.startswith("vpn-lab: Cannot reach the database")
            assert "s3cret" not in err, "the password is never printed"


def test_newer_schema_exits_2_with_one_line(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    store = open_store()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    dispose_all()
    for args in (["db", "upgrade"], ["class", "show", "ABCDEF"]):
        code, out, err = _run(capsys, *args)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and "schema revision 9999, newer than this version" in err


def test_bad_title_exits_2(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys, "class", "create", "x" * 121)
    assert code == 2 and "at most 120" in err


def test_errors_speak_korean_with_lang_ko(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """The class and store messages come from the catalogue: one Korean line, exit 2."""
    code, out, err = _run(capsys, "class", "show", "NOPE42", "--lang", "ko")
    assert code == 2 and out == ""
    assert err == "vpn-lab: 수업 코드 'NOPE42'이(가) 없습니다. 진행자가 알려 준 코드를 확인하세요.\n"
    code, _, err = _run(capsys, "class", "create", "x" * 121, "--lang", "ko")
    assert code == 2 and err == "vpn-lab: 수업 제목이 121자입니다. 120자 이하로 입력하세요.\n"
    store = open_store()
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    dispose_all()
    code, _, err = _run(capsys, "db", "upgrade", "--lang", "ko")
    assert code == 2 and err.count("\n") == 1
    assert "스키마 리비전 9999은(는) 이 VPN Lab 버전이 아는 것" in err and "업그레이드하세요" in err


def test_unreachable_database_in_korean(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with closed_port() as port:
        monkeypatch.setenv("VPNLAB_DATABASE_URL", f"postgresql://lab:s3cret@127.0.0.1:{port}/lab")
        monkeypatch.setenv("LANG", "ko_KR.UTF-8")
        for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
            monkeypatch.delenv(var, raising=False)
        code, out, err = _run(capsys, "class", "show", "ABCDEF")
        assert code == 2 and out == "" and err.count("\n") == 1
        assert err.startswith("vpn-lab: 데이터베이스 ") and "연결할 수 없습니다" in err and "s3cret" not in err
