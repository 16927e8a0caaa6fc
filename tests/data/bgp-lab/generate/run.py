"""Run one BGP scenario: FRR bgpd or BIRD in each of the network namespaces L and R; keep their logs.

Usage (as root): python3 run.py NAME SECONDS. Reads ../NAME/{L,R}.frr.conf or .bird.conf (LOGFILE stands for
the log's path), .gobgp.toml, .exabgp.conf or .openbgpd.conf (these three log to their standard output or error) and ../NAME/actions.sh ($RUN: the run folder, with R/bird.pid); writes ../NAME/{L,R}.log.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
ADDR = {"L": "192.0.2.1", "R": "192.0.2.2"}


def main(name: str, seconds: float) -> None:
    scenario = HERE / name
    run = Path(tempfile.mkdtemp(prefix="bgp-lab-"))
    run.chmod(0o777)  # bgpd drops to the frr user
    procs: list[subprocess.Popen[bytes]] = []
    for side in "LR":
        out: Path | None = None
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
        elif (scenario / f"{side}.gobgp.toml").exists():
            # GoBGP writes its log to standard error: plain text (logrus) at info level
            conf = d / "gobgpd.toml"
            conf.write_text((scenario / f"{side}.gobgp.toml").read_text())
            # {side}.gobgp.log-format holding "json": GoBGP's default JSON lines (as agents embedding it log them)
            fmt = scenario / f"{side}.gobgp.log-format"
            plain = [] if fmt.exists() and fmt.read_text().strip() == "json" else ["-p"]
            cmd = ["/usr/bin/gobgpd", "-f", str(conf), "-l", "info", *plain, "--pprof-disable"]
            out = log
        elif (scenario / f"{side}.exabgp.conf").exists():
            # ExaBGP writes its own log to standard output ("time | pid | source | message" when it is no terminal)
            conf = d / "exabgp.conf"
            conf.write_text((scenario / f"{side}.exabgp.conf").read_text())
            env = scenario / f"{side}.exabgp.env"  # more exabgp_* settings, one per line (exabgp_log_level=DEBUG)
            extra = env.read_text().split() if env.exists() else []
            cmd = ["env", "exabgp_daemon_user=root", "exabgp_log_destination=stdout", f"exabgp_tcp_bind={ADDR[side]}",
                   *extra, "/usr/sbin/exabgp", str(conf)]
            out = log
        elif (scenario / f"{side}.openbgpd.conf").exists():
            # OpenBGPD in the foreground (-d) logs to standard error; -v adds its informational messages
            conf = d / "bgpd.conf"
            conf.write_text((scenario / f"{side}.openbgpd.conf").read_text())
            conf.chmod(0o600)
            cmd = ["/usr/sbin/bgpd", "-d", "-v", "-f", str(conf)]
            out = log
        else:
            continue
        sink = open(out, "ab") if out else subprocess.DEVNULL  # noqa: SIM115 (closed when the run ends)
        procs.append(subprocess.Popen(["ip", "netns", "exec", side, *cmd], stdout=sink, stderr=sink))
    if (scenario / "actions.sh").exists():
        subprocess.Popen(["bash", str(scenario / "actions.sh")], env=dict(os.environ, RUN=str(run)))
    time.sleep(seconds)
    # Both sides stop sending first, so what a daemon sends as it stops (FRR's Cease 6/3 and 6/2 on "Terminating on
    # signal") does not reach the other one: each log ends with its own stop, not with the other's. (Not by taking the
    # link down: BIRD would log the interface going away.)
    subprocess.run("ip netns exec L iptables -I OUTPUT -j DROP; ip netns exec R iptables -I OUTPUT -j DROP", shell=True,
                   check=False)
    for proc in procs:
        proc.terminate()
    # a daemon an action started again (actions.sh of the *-restarts-* scenarios) stops by the pid file it wrote
    for pid_file in run.glob("*/bgpd.pid"):
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pid_file.read_text().split()[0]), 15)
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    subprocess.run("ip netns exec L iptables -F; ip netns exec R iptables -F", shell=True, check=False)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
