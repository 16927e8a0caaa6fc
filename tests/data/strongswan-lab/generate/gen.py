"""Write a scenario's swanctl.conf files for L (initiator, 192.0.2.1) and R (responder, 192.0.2.2).

scenario("v2-psk", L={"psk": "wrong secret"}) writes ../v2-psk/{L,R}.conf from one template with L's
setting changed; run.py then runs the scenario. R=False leaves R without a daemon.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent.parent
DEFAULTS: dict[str, Any] = {
    "version": 2, "proposals": "aes128-sha256-modp2048", "esp": "aes128-sha256-modp2048",
    "psk": "correct horse battery", "peerid": None, "mode": "tunnel", "aggressive": "no", "encap": "no",
    "dpd_delay": None, "child_rekey": None, "child_life": None, "remote_ts": None,
}


def conf(me: str, peer: str, lts: str, rts: str, **changes: Any) -> str:
    o = DEFAULTS | changes
    conn = [f"version = {o['version']}", f"local_addrs = {me}", f"remote_addrs = {peer}",
            f"proposals = {o['proposals']}", f"aggressive = {o['aggressive']}", f"encap = {o['encap']}", "mobike = yes"]
    if o["dpd_delay"]:
        conn.append(f"dpd_delay = {o['dpd_delay']}")
    child = [f"local_ts = {lts}", f"remote_ts = {o['remote_ts'] or rts}", f"esp_proposals = {o['esp']}",
             f"mode = {o['mode']}", "start_action = none"]
    if o["child_rekey"] is not None:
        child.append(f"rekey_time = {o['child_rekey']}")
    if o["child_life"] is not None:
        child.append(f"life_time = {o['child_life']}")
    peerid = o["peerid"] or peer
    return (
        "connections {\n  gw {\n" + "".join(f"    {line}\n" for line in conn)
        + f"    local {{\n      auth = psk\n      id = {me}\n    }}\n"
        + f"    remote {{\n      auth = psk\n      id = {peerid}\n    }}\n"
        + "    children {\n      net {\n" + "".join(f"        {line}\n" for line in child) + "      }\n    }\n  }\n}\n"
        + f'secrets {{\n  ike-1 {{\n    id-1 = {me}\n    id-2 = {peerid}\n    secret = "{o["psk"]}"\n  }}\n}}\n'
    )


def scenario(name: str, L: dict[str, Any] | None = None, R: dict[str, Any] | bool | None = None,
             actions: str = "swanctl --initiate --child net --uri $L >/dev/null 2>&1 &\n") -> None:
    d = HERE / name
    d.mkdir(exist_ok=True)
    (d / "L.conf").write_text(conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", **(L or {})))
    if R is not False:
        (d / "R.conf").write_text(conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16",
                                       **(R if isinstance(R, dict) else {})))
    (d / "actions.sh").write_text(actions)
