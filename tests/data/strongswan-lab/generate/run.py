"""Run one scenario: two strongSwan charon daemons in network namespaces L and R; keep their logs.

Usage (as root, namespaces set up as README.md says): python3 run.py NAME SECONDS
Reads ../NAME/{L,R}.conf and ../NAME/actions.sh; writes ../NAME/{L,R}.log.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent

CONF = """charon {{
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl pem pkcs1 x509 pubkey kdf gcm kernel-libipsec kernel-netlink socket-default vici
  install_routes = no
  retransmit_tries = 3
  retransmit_timeout = 1.0
  retransmit_base = 1.5
  filelog {{
    f {{
      path = {log}
      time_format = %b %e %T
      ike_name = yes
      append = no
      default = 1
      flush_line = yes
    }}
  }}
  plugins {{
    vici {{
      socket = unix://{sock}
    }}
  }}
}}
"""


def main(name: str, seconds: float) -> None:
    scenario = HERE / name
    run = Path(tempfile.mkdtemp(prefix="swan-lab-"))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    socks = {side: run / side / "charon.vici" for side in "LR"}
    for side in "LR":
        if not (scenario / f"{side}.conf").exists():
            continue
        (run / side).mkdir()
        conf = run / side / "strongswan.conf"
        conf.write_text(CONF.format(log=scenario / f"{side}.log", sock=socks[side]))
        env = dict(os.environ, STRONGSWAN_CONF=str(conf))
        # a private /run per daemon: charon keeps its pid file there
        cmd = "mount -t tmpfs none /run && exec /usr/lib/ipsec/charon"
        procs[side] = subprocess.Popen(["ip", "netns", "exec", side, "unshare", "-m", "--propagation", "private",
                                        "sh", "-c", cmd], env=env)
    for side in procs:
        # swanctl loads private keys from private/ beside the swanctl.conf it reads: one folder per side
        swanctl = run / side / "swanctl"
        (swanctl / "private").mkdir(parents=True)
        shutil.copy(scenario / f"{side}.conf", swanctl / "swanctl.conf")
        if (HERE / "pki" / f"{side}.key").exists():
            shutil.copy(HERE / "pki" / f"{side}.key", swanctl / "private" / f"{side}.key")
        for _ in range(50):
            loaded = subprocess.run(["swanctl", "--load-all", "--noprompt", "--uri", f"unix://{socks[side]}",
                                     "--file", str(swanctl / "swanctl.conf")], capture_output=True)
            if loaded.returncode == 0:
                break
            time.sleep(0.2)
    actions = scenario / "actions.sh"
    subprocess.Popen(["bash", str(actions)], env=dict(os.environ, L=f"unix://{socks['L']}", R=f"unix://{socks['R']}", SC=str(scenario)))
    time.sleep(seconds)
    for proc in procs.values():
        proc.terminate()
    for proc in procs.values():
        proc.wait(10)
    subprocess.run("ip netns exec L iptables -F; ip netns exec R iptables -F; ip netns exec R nft delete table ip fragdrop",
                   shell=True, check=False, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
