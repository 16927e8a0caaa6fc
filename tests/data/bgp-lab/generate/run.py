"""Run one BGP scenario: FRR bgpd or BIRD in each of the network namespaces L and R; keep their logs.

Usage (as root): python3 run.py NAME SECONDS. Reads ../NAME/{L,R}.frr.conf or .bird.conf (LOGFILE stands for
the log's path) and ../NAME/actions.sh ($RUN: the run folder, with R/bird.pid); writes ../NAME/{L,R}.log.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def main(name: str, seconds: float) -> None:
    scenario = HERE / name
    run = Path(tempfile.mkdtemp(prefix="bgp-lab-"))
    run.chmod(0o777)  # bgpd drops to the frr user
    procs: list[subprocess.Popen[bytes]] = []
    for side in "LR":
        d = run / side
        d.mkdir()
        d.chmod(0o777)
        log = scenario / f"{side}.log"
        log.write_text("")
        log.chmod(0o666)
        if (scenario / f"{side}.frr.conf").exists():
            conf = d / "bgpd.conf"
            conf.write_text((scenario / f"{side}.frr.conf").read_text().replace("LOGFILE", str(log)))
            cmd = ["/usr/lib/frr/bgpd", "-Z", "-n", "-f", str(conf), "-i", str(d / "bgpd.pid"), "--vty_socket", str(d),
                   "-u", "frr", "-g", "frr"]
        elif (scenario / f"{side}.bird.conf").exists():
            conf = d / "bird.conf"
            conf.write_text((scenario / f"{side}.bird.conf").read_text().replace("LOGFILE", str(log)))
            cmd = ["/usr/sbin/bird", "-f", "-c", str(conf), "-s", str(d / "bird.ctl"), "-P", str(d / "bird.pid")]
        else:
            continue
        procs.append(subprocess.Popen(["ip", "netns", "exec", side, *cmd], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL))
    if (scenario / "actions.sh").exists():
        subprocess.Popen(["bash", str(scenario / "actions.sh")], env=dict(os.environ, RUN=str(run)))
    time.sleep(seconds)
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    subprocess.run("ip netns exec L iptables -F; ip netns exec R iptables -F", shell=True, check=False)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
