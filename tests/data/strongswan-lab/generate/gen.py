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
    "dpd_delay": None, "child_rekey": None, "child_life": None, "remote_ts": None, "local_ts": None,
    "auth": "psk", "cacert": "ca.crt", "fragmentation": None, "rekey_time": None, "dpd_action": None,
    "start": "none", "net2": None, "cert": None, "dpd_timeout": None,
}
PKI = HERE / "pki"
NAMES = {"192.0.2.1": "L", "192.0.2.2": "R"}


def _net2(o: dict[str, Any]) -> str:
    """A second Child SA "net2" (local and remote subnets given as a pair), same proposals as "net"."""
    if not o["net2"]:
        return ""
    lts, rts = o["net2"]
    return (f"      net2 {{\n        local_ts = {lts}\n        remote_ts = {rts}\n        esp_proposals = {o['esp']}\n"
            f"        mode = {o['mode']}\n        start_action = {o['start']}\n      }}\n")


def conf(me: str, peer: str, lts: str, rts: str, **changes: Any) -> str:
    o = DEFAULTS | changes
    conn = [f"version = {o['version']}", f"local_addrs = {me}", f"remote_addrs = {peer}",
            f"proposals = {o['proposals']}", f"aggressive = {o['aggressive']}", f"encap = {o['encap']}", "mobike = yes"]
    if o["dpd_delay"]:
        conn.append(f"dpd_delay = {o['dpd_delay']}")
    if o["dpd_timeout"]:
        conn.append(f"dpd_timeout = {o['dpd_timeout']}")  # IKEv1 only
    if o["fragmentation"]:
        conn.append(f"fragmentation = {o['fragmentation']}")
    if o["rekey_time"] is not None:
        conn.append(f"rekey_time = {o['rekey_time']}")
    child = [f"local_ts = {o['local_ts'] or lts}", f"remote_ts = {o['remote_ts'] or rts}",
             f"esp_proposals = {o['esp']}", f"mode = {o['mode']}", f"start_action = {o['start']}"]
    if o["dpd_action"]:
        child.append(f"dpd_action = {o['dpd_action']}")
    if o["child_rekey"] is not None:
        child.append(f"rekey_time = {o['child_rekey']}")
    if o["child_life"] is not None:
        child.append(f"life_time = {o['child_life']}")
    if o["auth"] == "pubkey":
        me_n, peer_n = NAMES[me], NAMES[peer]
        return (
            "connections {\n  gw {\n" + "".join(f"    {line}\n" for line in conn)
            + f"    local {{\n      auth = pubkey\n      certs = {PKI / (o['cert'] or me_n + '.crt')}\n"
            + f"      id = gw-{me_n}.example.net\n    }}\n"
            + f"    remote {{\n      auth = pubkey\n      id = {o['peerid'] or f'gw-{peer_n}.example.net'}\n"
            + f"      cacerts = {PKI / o['cacert']}\n    }}\n"
            + "    children {\n      net {\n" + "".join(f"        {line}\n" for line in child)
            + "      }\n    }\n  }\n}\n"
        )
    peerid = o["peerid"] or peer
    return (
        "connections {\n  gw {\n" + "".join(f"    {line}\n" for line in conn)
        + f"    local {{\n      auth = psk\n      id = {me}\n    }}\n"
        + f"    remote {{\n      auth = psk\n      id = {peerid}\n    }}\n"
        + "    children {\n      net {\n" + "".join(f"        {line}\n" for line in child) + "      }\n"
        + _net2(o) + "    }\n  }\n}\n"
        + f'secrets {{\n  ike-1 {{\n    id-1 = {me}\n    id-2 = {peerid}\n    secret = "{o["psk"]}"\n  }}\n}}\n'
    )


def scenario(name: str, L: dict[str, Any] | None = None, R: dict[str, Any] | bool | None = None,
             actions: str = "swanctl --initiate --child net --uri $L >/dev/null 2>&1 &\n",
             R2: dict[str, Any] | None = None) -> None:
    """R2: R's configuration that actions.sh loads later ($SC/R2.conf), as an operator changing it."""
    d = HERE / name
    d.mkdir(exist_ok=True)
    (d / "L.conf").write_text(conf("192.0.2.1", "192.0.2.2", "10.1.0.0/16", "10.2.0.0/16", **(L or {})))
    if R is not False:
        (d / "R.conf").write_text(conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16",
                                       **(R if isinstance(R, dict) else {})))
    if R2 is not None:
        (d / "R2.conf").write_text(conf("192.0.2.2", "192.0.2.1", "10.2.0.0/16", "10.1.0.0/16", **R2))
    (d / "actions.sh").write_text(actions)


def pluto_conf(me: str, peer: str, lsub: str, rsub: str, **changes: Any) -> str:
    """libreswan's ipsec.conf for one side: one PSK connection "gw" (IKEv2 unless ikev2="no"; no subnets, the two
    gateways only, with host_to_host=True)."""
    o = {"ikev2": "insist", "ike": "aes128-sha2_256;modp2048", "esp": "aes128-sha2_256", "peerid": None,
         "type": "tunnel", "aggressive": "no", "host_to_host": False, "pfs": None, "extra": ""} | changes
    setup = "config setup\n    logtime=yes\n" + ("    ikev1-policy=accept\n" if o["ikev2"] == "no" else "")
    left = "" if o["host_to_host"] else f"    leftsubnet={lsub}\n"
    right = "" if o["host_to_host"] else f"    rightsubnet={rsub}\n"
    return (setup + f"\nconn gw\n    ikev2={o['ikev2']}\n    left={me}\n    leftid={me}\n" + left
            + f"    right={peer}\n    rightid={o['peerid'] or peer}\n" + right
            + "    authby=secret\n    retransmit-timeout=15s\n"
            f"    ike={o['ike']}\n    esp={o['esp']}\n    type={o['type']}\n    aggressive={o['aggressive']}\n"
            + (f"    pfs={o['pfs']}\n" if o["pfs"] else "") + "".join(f"    {line.strip()}\n" for line in o["extra"].splitlines()
                                                               if line.strip()) + "    auto=add\n")


def pluto_side(name: str, side: str, psk: str = "correct horse battery", **changes: Any) -> None:
    """Make `side` of scenario `name` a pluto daemon (L initiates with whack when actions.sh says so)."""
    me, peer = ("192.0.2.1", "192.0.2.2") if side == "L" else ("192.0.2.2", "192.0.2.1")
    lsub, rsub = ("10.1.0.0/16", "10.2.0.0/16") if side == "L" else ("10.2.0.0/16", "10.1.0.0/16")
    d = HERE / name
    (d / f"{side}.conf").unlink(missing_ok=True)
    (d / f"{side}.ipsec.conf").write_text(pluto_conf(me, peer, lsub, rsub, **changes))
    (d / f"{side}.secrets").write_text(f'{me} {peer} : PSK "{psk}"\n')
