"""Run one scenario: a daemon in each of the network namespaces L and R; keep their logs.

Usage (as root, namespaces set up as README.md says): python3 run.py NAME SECONDS
A side with ../NAME/{side}.conf runs strongSwan's charon (swanctl.conf); one with ../NAME/{side}.ipsec.conf and
{side}.secrets runs libreswan's pluto (from PLUTO_ROOT, default /, e.g. a libreswan .deb unpacked with dpkg -x).
../NAME/actions.sh runs once both are loaded ($L/$R: charon's vici URIs, $LW/$RW: pluto's control sockets, $WHACK,
$SC: the scenario folder). Writes ../NAME/{L,R}.log.
VARIANT=libreswan-3.32 (any folder name): the same scenario with another libreswan release; pluto reads
../NAME/VARIANT/{side}.ipsec.conf when that file is there (a keyword the release spells differently), and both logs
are written to ../NAME/VARIANT/{L,R}.log (VARIANT=charon-level2 LEVEL=2: charon logs at level 2; VARIANT=strongswan-6.0.6
STRONGSWAN_ROOT=/opt/strongswan-6.0.6: charon and swanctl of another strongSwan release, see ../README.md). IMPAIR=timeout-on-retransmit (with VARIANT=libreswan-4.10-at-once): each
pluto is told `whack --impair` that before actions.sh runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
PLUTO = Path(os.environ.get("PLUTO_ROOT", "/")) / "usr/libexec/ipsec"
# STRONGSWAN_ROOT=/opt/strongswan-6.0.6 (with VARIANT=strongswan-6.0.6): charon and swanctl of a strongSwan built with
# that prefix (`./configure --prefix=$ROOT/usr --with-ipsecdir=$ROOT/usr/lib/ipsec ...`, see ../README.md)
SWAN = Path(os.environ.get("STRONGSWAN_ROOT", "/"))
CHARON = SWAN / "usr/lib/ipsec/charon"
SWANCTL = str(SWAN / "usr/sbin/swanctl") if os.environ.get("STRONGSWAN_ROOT") else "swanctl"
VARIANT = os.environ.get("VARIANT", "")


def _out(scenario: Path) -> Path:
    """Where a run's logs go (and a variant's own ipsec.conf files are)."""
    out = scenario / VARIANT if VARIANT else scenario
    out.mkdir(exist_ok=True)
    return out


CONF = """charon {{
  load_modular = no
  load = random nonce aes sha1 sha2 md5 hmac gmp openssl pem pkcs1 x509 pubkey kdf gcm kernel-libipsec kernel-netlink socket-default vici
  install_routes = no
  retransmit_tries = 3
  retransmit_timeout = 1.0
  retransmit_base = 1.5
{extra}  filelog {{
    f {{
      path = {log}
      time_format = %b %e %T
      ike_name = yes
      append = no
      default = {level}
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


OLD_SWANCTL = """#!/bin/sh
args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --file) cp "$2" {swan}/etc/swanctl/swanctl.conf; shift 2;;
    *) args="$args $1"; shift;;
  esac
done
exec {swan}/usr/sbin/swanctl $args
"""


@cache  # (one charon for the whole run)
def _release() -> tuple[int, int]:
    """The strongSwan release of CHARON, as (major, minor)."""
    out = subprocess.run([str(CHARON), "--version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"strongSwan (\d+)\.(\d+)", out)
    return (int(found[1]), int(found[2])) if found else (0, 0)


def _charon(side: str, scenario: Path, run: Path) -> subprocess.Popen[bytes]:
    sock = run / side / "charon.vici"
    conf = run / side / "strongswan.conf"
    # {side}.strongswan.conf beside the scenario's swanctl.conf: more charon { } settings for that side
    extra = scenario / f"{side}.strongswan.conf"
    # LEVEL=2 (with VARIANT=charon-level2): charon's log level 2, as `charondebug` or pfSense's "Diag" asks for
    log = _out(scenario) / f"{side}.log"
    text = CONF.format(log=log, sock=sock, level=os.environ.get("LEVEL", "1"),
                       extra=extra.read_text() if extra.exists() else "")
    if _release() < (5, 7):  # strongSwan before 5.7 names a file log's section after its path; 5.7 added `path =`
        text = text.replace(f"    f {{\n      path = {log}\n", f"    {log} {{\n")
    conf.write_text(text)
    # a private /run per daemon: charon keeps its pid file there
    proc = subprocess.Popen(["ip", "netns", "exec", side, "unshare", "-m", "--propagation", "private", "sh", "-c",
                             f"mount -t tmpfs none /run && exec {CHARON}"],
                            env=dict(os.environ, STRONGSWAN_CONF=str(conf)))
    # swanctl loads private keys from private/ beside the swanctl.conf it reads: one folder per side
    swanctl = run / side / "swanctl"
    (swanctl / "private").mkdir(parents=True)
    shutil.copy(scenario / f"{side}.conf", swanctl / "swanctl.conf")
    if (HERE / "pki" / f"{side}.key").exists():
        shutil.copy(HERE / "pki" / f"{side}.key", swanctl / "private" / f"{side}.key")
    command = [SWANCTL, "--load-all", "--noprompt", "--uri", f"unix://{sock}", "--file", str(swanctl / "swanctl.conf")]
    if _release() < (5, 7):  # swanctl before 5.7 has no --file: it reads its own folder (one side at a time, here)
        shutil.rmtree(SWAN / "etc/swanctl", ignore_errors=True)
        shutil.copytree(swanctl, SWAN / "etc/swanctl")
        command = command[:-2]
    for _ in range(50):
        loaded = subprocess.run(command, capture_output=True)
        if loaded.returncode == 0:
            break
        time.sleep(0.2)
    return proc


def _nss_certificates(side: str, scenario: Path, conf: str, nss: Path) -> None:
    """A certificate scenario's pluto side (`leftcert=NAME` in its ipsec.conf): the CAs it trusts (../pki/ca.crt, or
    the files NAME/{side}.trust lists, one per line) and its own certificate ../pki/NAME.crt with ../pki/{side}.key,
    in the NSS database pluto reads, as `ipsec import` puts them there."""
    cert = next((line.split("=", 1)[1].strip() for line in conf.splitlines() if line.strip().startswith("leftcert=")),
                None)
    if cert is None:
        return
    pki = HERE / "pki"
    trust = scenario / f"{side}.trust"
    for ca in trust.read_text().split() if trust.exists() else ["ca.crt"]:
        subprocess.run(["certutil", "-A", "-d", f"sql:{nss}", "-n", Path(ca).stem, "-t", "CT,,", "-a", "-i",
                        str(pki / ca)], check=True, capture_output=True)
    p12 = nss.parent / f"{side}.p12"
    subprocess.run(["openssl", "pkcs12", "-export", "-inkey", str(pki / f"{side}.key"), "-in", str(pki / f"{cert}.crt"),
                    "-name", cert, "-passout", "pass:", "-out", str(p12)], check=True, capture_output=True)
    subprocess.run(["pk12util", "-i", str(p12), "-d", f"sql:{nss}", "-W", ""], check=True, capture_output=True)


def _pluto(side: str, scenario: Path, run: Path) -> subprocess.Popen[bytes]:
    d = run / side
    nss = d / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    own = _out(scenario) / f"{side}.ipsec.conf"
    shutil.copy(own if own.exists() else scenario / f"{side}.ipsec.conf", d / "ipsec.conf")
    _nss_certificates(side, scenario, (d / "ipsec.conf").read_text(), nss)
    shutil.copy(scenario / f"{side}.secrets", d / "ipsec.secrets")
    if (scenario / f"{side}.passwd").exists():  # an XAUTH server's users (xauthby=file reads IPSECDIR/passwd)
        shutil.copy(scenario / f"{side}.passwd", d / "passwd")
    (d / "run").mkdir()
    log = _out(scenario) / f"{side}.log"
    log.write_text("")
    # PLUTO_PRELOAD: a kernel without ESP (CONFIG_INET_ESP unset) refuses pluto's IPsec SAs; fakexfrm.so (built from
    # fakexfrm.c beside this file) answers pluto's XFRM SA and policy requests instead, so Child SAs come up and rekey.
    env = dict(os.environ, LD_PRELOAD=os.environ["PLUTO_PRELOAD"]) if os.environ.get("PLUTO_PRELOAD") else None
    proc = subprocess.Popen(["ip", "netns", "exec", side, str(PLUTO / "pluto"), "--config", str(d / "ipsec.conf"),
                             "--nofork", "--logfile", str(log), "--rundir", str(d / "run"), "--nssdir", str(nss),
                             "--secretsfile", str(d / "ipsec.secrets"), "--ipsecdir", str(d)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    ctl = d / "run" / "pluto.ctl"
    for _ in range(50):
        if ctl.exists():
            break
        time.sleep(0.1)
    subprocess.run(["ip", "netns", "exec", side, str(PLUTO / "addconn"), "--config", str(d / "ipsec.conf"),
                    "--ctlsocket", str(ctl), "--autoall"], capture_output=True)
    return proc


def main(name: str, seconds: float) -> None:
    scenario = HERE / name
    run = Path(tempfile.mkdtemp(prefix="swan-lab-"))
    procs: dict[str, subprocess.Popen[bytes]] = {}
    for side in "LR":
        (run / side).mkdir()
        if (scenario / f"{side}.ipsec.conf").exists():
            procs[side] = _pluto(side, scenario, run)
        elif (scenario / f"{side}.conf").exists():
            procs[side] = _charon(side, scenario, run)
    env = dict(os.environ, SC=str(scenario), WHACK=str(PLUTO / "whack"))
    if os.environ.get("STRONGSWAN_ROOT"):  # actions.sh runs that release's swanctl
        env["PATH"] = f"{SWAN / 'usr/sbin'}:{env.get('PATH', '')}"
        if _release() < (5, 7):  # no --file before 5.7: the file it names becomes swanctl's own swanctl.conf
            wrapper = run / "bin" / "swanctl"
            wrapper.parent.mkdir()
            wrapper.write_text(OLD_SWANCTL.format(swan=SWAN))
            wrapper.chmod(0o755)
            env["PATH"] = f"{wrapper.parent}:{env['PATH']}"
    for side in "LR":
        env[side] = f"unix://{run / side / 'charon.vici'}"
        env[f"{side}W"] = str(run / side / "run" / "pluto.ctl")
    # IMPAIR=timeout-on-retransmit (5.x: timeout_on_retransmit): every pluto gives up at its first retransmission, as
    # libreswan's test suite makes it (the `-at-once` variants)
    for side in "LR" if os.environ.get("IMPAIR") else "":
        if (scenario / f"{side}.ipsec.conf").exists():
            subprocess.run([env["WHACK"], "--ctlsocket", env[f"{side}W"], "--impair", os.environ["IMPAIR"]],
                           capture_output=True, check=False)
    subprocess.Popen(["bash", str(scenario / "actions.sh")], env=env)
    time.sleep(seconds)
    # The veth pair goes down first: what a daemon sends as it shuts down (a Delete for its SAs) must not reach the
    # other, whose log would otherwise end with its peer deleting the SAs, depending on which daemon stopped first.
    subprocess.run(["ip", "-n", "L", "link", "set", "vl", "down"], check=False)
    for proc in procs.values():
        proc.terminate()
    for proc in procs.values():
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    # What the daemons sent while the link was down waits in the neighbour (ARP) queue, up to three packets, and would
    # reach the next scenario's daemons when the link comes up: flushing the neighbour entries drops them.
    for side in "LR":
        subprocess.run(["ip", "-n", side, "neigh", "flush", "all"], check=False)
    subprocess.run(["ip", "-n", "L", "link", "set", "vl", "up"], check=False)
    subprocess.run("ip netns exec L iptables -F; ip netns exec R iptables -F; ip netns exec R nft delete table ip fragdrop",
                   shell=True, check=False, stderr=subprocess.DEVNULL)


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]))
