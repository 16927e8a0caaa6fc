"""Every scenario file validates; the schema rejects unknown keys and bad references, naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lab.errors import DataError
from lab.sim.scenarios import SCENARIO_DIR, list_scenarios, load_scenario_file

FILES = sorted(SCENARIO_DIR.glob("*.yaml"))


def test_the_five_scenarios_ship() -> None:
    assert [p.stem for p in FILES] == ["s1", "s2", "s3", "s4", "s5"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_file_validates(path: Path) -> None:
    spec = load_scenario_file(path)
    assert spec.id == path.stem
    assert all(len(c.tunnels) == 2 for c in spec.connections)


def test_scenarios_follow_the_article() -> None:
    by_id = {s.id: s for s in list_scenarios()}
    assert len(by_id["s1"].customer_gateways) == 1
    assert by_id["s2"].onprem.routing == "cluster"
    assert by_id["s3"].onprem.routing == "static" and {c.routing for c in by_id["s3"].connections} == {"static"}
    assert {c.routing for c in by_id["s4"].connections} == {"bgp"} and by_id["s4"].gateway.type == "vgw"
    assert by_id["s5"].gateway.type == "tgw" and by_id["s5"].gateway.ecmp


def _write(tmp_path: Path, name: str, data: dict) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_unknown_key_is_rejected_with_file_and_key(tmp_path: Path) -> None:
    data = yaml.safe_load((SCENARIO_DIR / "s3.yaml").read_text())
    data["colour"] = "blue"
    data["onprem"]["healthcheck"] = 5
    path = _write(tmp_path, "s3", data)
    with pytest.raises(DataError) as exc:
        load_scenario_file(path)
    assert exc.value.path == str(path)
    assert any("colour" in p for p in exc.value.problems)
    assert any("healthcheck" in p for p in exc.value.problems)


def test_cross_reference_problems_are_all_named(tmp_path: Path) -> None:
    data = yaml.safe_load((SCENARIO_DIR / "s4.yaml").read_text())
    data["connections"][0]["customer_gateway"] = "cgw-z"
    data["connections"][1]["tunnels"][1]["az"] = data["connections"][1]["tunnels"][0]["az"]
    data["onprem"]["health_check_s"] = 10
    path = _write(tmp_path, "s4", data)
    with pytest.raises(DataError) as exc:
        load_scenario_file(path)
    text = "; ".join(exc.value.problems)
    assert "cgw-z" in text and "different Availability Zones" in text and "health check" in text


def test_id_must_match_the_file_name(tmp_path: Path) -> None:
    data = yaml.safe_load((SCENARIO_DIR / "s1.yaml").read_text())
    path = _write(tmp_path, "s7", data)
    with pytest.raises(DataError, match="must match the file name"):
        load_scenario_file(path)
