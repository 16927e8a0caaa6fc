"""Fixes with the values filled in, and the device commands for one customer-gateway family.

`values()` gathers what the evidence knows about one tunnel: its outside IP and inside addresses,
the connection and customer gateway, the algorithms the tunnel accepts (its options, else AWS's
allowed lists from `lab/data/facts.yaml`), and the analyzer's extracted facts (`proposals_received`,
`remote_asn`, `expected_asn`, `ts_offered`, ... on the primary diagnosis or a finding). `build_fix()`
turns a diagnosis into sentences that name those values (a sentence whose values are unknown is
left out, so the tree's generic fix stands alone) and the commands of the chosen family, each with
its documentation source. Where a family has no command for an action the data says so (`none`: what the
device does instead, and where that is documented), and a diagnosis whose fix is on the AWS side says
that nothing changes on the device. Loading checks that every action has an entry for every family and
every diagnosis of the trees has a fix. The sentences, titles and notes are shown in the page language
(data.po, by context `fix.*`); commands stay as the vendor writes them. Secrets are never filled in.
"""

from __future__ import annotations

import ipaddress
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from lab import DATA_DIR, facts
from lab.analyzer import Analysis
from lab.errors import DataError, NotFoundError
from lab.i18n import data_text, t
from lab.replay import AWS_LOG_FORMATS
from lab.schema import load_yaml_model

COMMANDS_FILE = DATA_DIR / "cgw-commands.yaml"
FIXES_FILE = DATA_DIR / "fixes.yaml"
PLACEHOLDERS = ("aws_ip", "cgw_ip", "vpn_id", "inside_cidr", "aws_inside", "cgw_inside", "offending", "allowed_enc",
                "allowed_integ", "allowed_dh", "proposals_received", "remote_asn", "expected_asn", "amazon_asn",
                "ts_offered", "ts_expected", "aws_ts_local", "aws_ts_remote", "id_sent", "id_expected", "id_expected_here",
                "id_local", "cgw_asn", "proposals_configured", "rekey_phase", "mismatch", "peer_open_asn",
                "own_open_asn", "psk")
_UNKNOWN = {
    "aws_ip": "<AWS tunnel outside IP>", "cgw_ip": "<customer gateway public IP>", "aws_inside": "<AWS inside IP>",
    "cgw_inside": "<customer gateway inside IP>", "cgw_asn": "<customer gateway ASN>",
    "amazon_asn": "<Amazon side ASN>", "psk": "<the tunnel's pre-shared key>",
}


class _Command(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command: str | None = Field(default=None, min_length=3)
    none: str | None = Field(default=None, min_length=10)  # no command for this family: what to do instead
    source: str = Field(pattern=r"^https?://")
    # Whether the command's syntax was checked against `source` (or the project's own source the page is built
    # from); `checked` says what was seen there. False: the page is the vendor's reference for the command,
    # but its text was not opened to confirm the syntax.
    verified: bool
    checked: str | None = Field(default=None, min_length=10)


class _Action(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=3)
    commands: dict[str, _Command] = Field(min_length=1)


class _Commands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    families: dict[str, str] = Field(min_length=1)
    actions: dict[str, _Action] = Field(min_length=1)


class _Fix(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actions: list[str] = []
    lines: list[str] = []
    device: str = ""  # why nothing changes on the customer gateway (a fix on the AWS side)


class _Fixes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    fixes: dict[str, _Fix]


def _fields(text: str) -> set[str]:
    """Placeholder names in a template; a malformed template names itself as the unknown placeholder."""
    try:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}
    except ValueError:
        return {f"malformed template: {text[:40]}"}


@lru_cache(maxsize=1)
def commands() -> _Commands:
    data = load_yaml_model(_Commands, COMMANDS_FILE)
    problems = []
    for aid, action in data.actions.items():
        for fam in data.families:
            if fam not in action.commands:
                problems.append(f"actions.{aid}: no entry for family '{fam}' (a command, or none: where it is set)")
        for fam, cmd in action.commands.items():
            if fam not in data.families:
                problems.append(f"actions.{aid}: unknown family '{fam}'")
            if (cmd.command is None) == (cmd.none is None):
                problems.append(f"actions.{aid}.{fam}: give exactly one of command or none")
            if cmd.verified and not cmd.checked:
                problems.append(f"actions.{aid}.{fam}: verified: true needs checked: what the source showed")
            if cmd.checked and not cmd.verified:
                problems.append(f"actions.{aid}.{fam}: checked is only for a verified entry")
            for text in (cmd.command, cmd.none):
                for f in _fields(text or "") - set(PLACEHOLDERS):
                    problems.append(f"actions.{aid}.{fam}: unknown placeholder '{{{f}}}'")
    if problems:
        raise DataError(COMMANDS_FILE, problems)
    return data


@lru_cache(maxsize=1)
def fixes() -> dict[str, _Fix]:
    data = load_yaml_model(_Fixes, FIXES_FILE)
    acts = commands().actions
    from lab.triage import tree

    diagnoses = {n.ref for t in tree.load_trees().values() for n in t.nodes.values() if n.is_diagnosis}
    problems = [f"fixes: no entry for the diagnosis '{ref}'" for ref in sorted(diagnoses - set(data.fixes))]
    problems += [f"fixes.{ref}: not a diagnosis of the trees" for ref in sorted(set(data.fixes) - diagnoses)]
    for ref, fix in data.fixes.items():
        problems += [f"fixes.{ref}: unknown action '{a}'" for a in fix.actions if a not in acts]
        if not fix.actions and not fix.device:
            problems.append(f"fixes.{ref}: no actions, so say why nothing changes on the device (device: ...)")
        if fix.actions and fix.device:
            problems.append(f"fixes.{ref}: give actions or device, not both")
        for line in fix.lines:
            problems += [f"fixes.{ref}: unknown placeholder '{{{f}}}'" for f in _fields(line) - set(PLACEHOLDERS)]
    if problems:
        raise DataError(FIXES_FILE, problems)
    return data.fixes


def families() -> dict[str, str]:
    """Family id -> label (Cisco ASA, Cisco IOS / IOS-XE, ...)."""
    return dict(commands().families)


# The family whose own log a format is. charon's lines (`strongswan`) are printed alike by strongSwan, pfSense, OPNsense
# and VyOS, whose commands differ, so that format names none; AWS's own logs say nothing of the device.
_FORMAT_FAMILY = {"cisco-asa": "cisco-asa", "cisco-ios": "cisco-ios", "fortigate": "fortigate", "paloalto": "paloalto",
                  "juniper": "juniper-srx", "mikrotik": "mikrotik", "azure": "azure", "libreswan": "libreswan"}


def family_of_log(analysis: Analysis | None) -> str:
    """The customer-gateway family a log was written by, when its lines are one device family's alone (a Cisco IOS
    debug, a FortiGate's ike debug), else ""."""
    if analysis is None:
        return ""
    device = {f for f in (analysis.detected_formats or (analysis.format,)) if f and not f.startswith("aws")}
    found = {_FORMAT_FAMILY.get(f, "") for f in device}
    family = found.pop() if len(found) == 1 else ""
    return family if family in families() else ""


# --- values -------------------------------------------------------------------------------------

_ENC = [(r"3DES", "3DES"), (r"\bDES\b|DES_CBC|DES-CBC", "DES"), (r"AES_GCM_16_256|AES256GCM16|AES256-GCM", "AES256-GCM-16"),
        (r"AES_GCM_16_128|AES128GCM16|AES128-GCM", "AES128-GCM-16"), (r"AES_CBC_256|AES256|AES-256", "AES256"),
        (r"AES_CBC_128|AES128|AES-128", "AES128"), (r"AES_CBC_192|AES192", "AES192")]
_INTEG = [(r"MD5", "MD5"), (r"SHA2_512|SHA512|SHA2-512", "SHA2-512"), (r"SHA2_384|SHA384|SHA2-384", "SHA2-384"),
          (r"SHA2_256|SHA256|SHA2-256", "SHA2-256"), (r"SHA1|HMAC_SHA1|\bSHA\b", "SHA1")]
_DH = {"MODP_768": 1, "MODP_1024_160": 22, "MODP_2048_224": 23, "MODP_2048_256": 24, "MODP_1024": 2, "MODP_1536": 5,
       "MODP_2048": 14, "MODP_3072": 15, "MODP_4096": 16, "MODP_6144": 17, "MODP_8192": 18, "ECP_256": 19, "ECP_384": 20,
       "ECP_521": 21, "CURVE_25519": 31}


def offered_algorithms(text: str) -> tuple[set[str], set[str], set[int]]:
    """Encryption, integrity and DH groups named in a proposal text (IKE notation or vendor spelling)."""
    up = text.upper()
    enc = {name for rx, name in _ENC if re.search(rx, up)}
    if "AES256-GCM-16" in enc or "AES128-GCM-16" in enc:
        enc -= {"AES256", "AES128"} if not re.search(r"AES_CBC", up) else set()
    integ = {name for rx, name in _INTEG if re.search(rx, up)}
    dh = {group for token, group in _DH.items() if re.search(rf"{token}(?![_\d])", up)}
    for m in re.finditer(r"(?:GROUP|DH)\s*(\d{1,2})\b", up):
        dh.add(int(m.group(1)))
    return enc, integ, dh


def _hosts(cidr: str) -> tuple[str, str]:
    try:
        hosts = list(ipaddress.ip_network(cidr).hosts())
    except ValueError:
        return "", ""
    return (str(hosts[0]), str(hosts[1])) if len(hosts) >= 2 else ("", "")


def _inside_pair(address: str, aws_side: bool) -> tuple[str, str] | None:
    """(AWS's, the customer gateway's) inside address from one of them, when it is where an AWS tunnel's /30 puts it."""
    try:
        net = ipaddress.IPv4Network(f"{address}/30", strict=False)
    except ValueError:
        return None
    aws, cgw = _hosts(str(net))
    if not net.subnet_of(ipaddress.IPv4Network("169.254.0.0/16")) or address != (aws if aws_side else cgw):
        return None
    return aws, cgw


def _analysis_facts(analysis: Analysis | None) -> dict[str, str]:
    """The analyzer's extracted facts: the primary's first, then the findings' (first wins)."""
    out: dict[str, str] = {}
    if analysis is None:
        return out
    sources: list[Mapping[str, Any]] = []
    if analysis.primary is not None:
        sources.append(analysis.primary.facts)
    sources += [getattr(f, "facts", None) or {} for f in analysis.findings]
    for src in sources:
        for k, v in src.items():
            if isinstance(v, list | tuple):
                v = ", ".join(str(x) for x in v)
            if v not in (None, "") and k not in out:
                out[k] = str(v)
    return out


def values(
    *,
    tunnel: str = "",
    connection: Any = None,
    options: Any = None,
    analysis: Analysis | None = None,
    phase: int = 1,
) -> dict[str, str]:
    """Everything known about one tunnel that a fix can name."""
    got = _analysis_facts(analysis)
    out: dict[str, str] = {}
    # The peer a log names is the other end of the tunnel as the logging side sees it: a customer gateway's log
    # names the AWS endpoint, AWS's own tunnel log the customer gateway (its outside or, for BGP, inside address).
    aws_log = analysis is not None and analysis.format in AWS_LOG_FORMATS
    # A BGP diagnosis's peer is the BGP neighbor, an inside address: AWS's (a device's log) or the customer
    # gateway's (AWS's BGP log), not the tunnel's outside IP.
    bgp = analysis is not None and analysis.primary is not None and analysis.primary.category == "bgp_down"
    out["aws_ip"] = tunnel or ("" if aws_log or bgp else got.get("peer", ""))
    if connection is not None:
        out["vpn_id"] = getattr(connection, "id", "")
        out["cgw_ip"] = getattr(connection, "customer_gateway_ip", "")
        # The one selector pair AWS negotiates: known only from AWS (DescribeVpnConnections) or a replay.
        out["aws_ts_local"] = getattr(connection, "local_ipv4_cidr", "")
        out["aws_ts_remote"] = getattr(connection, "remote_ipv4_cidr", "")
    inside = getattr(options, "inside_cidr", "") if options is not None else ""
    if inside:
        out["inside_cidr"] = inside
        out["aws_inside"], out["cgw_inside"] = _hosts(inside)
    elif bgp and got.get("peer"):
        out["cgw_inside" if aws_log else "aws_inside"] = got["peer"]
        # An AWS tunnel's inside CIDR is a /30 from 169.254.0.0/16: AWS has its first usable address, the customer
        # gateway the second, so one gives the other.
        pair = _inside_pair(got["peer"], aws_side=not aws_log)
        if pair:
            out["aws_inside"], out["cgw_inside"] = pair
    p = "phase1" if phase == 1 else "phase2"
    if options is not None:
        enc = list(getattr(options, f"{p}_encryption"))
        integ = list(getattr(options, f"{p}_integrity"))
        dh = [int(x) for x in getattr(options, f"{p}_dh_groups")]
    else:
        enc = list(facts.value("encryption_algorithms"))
        integ = list(facts.value("integrity_algorithms"))
        dh = [int(x) for x in facts.value(f"{p}_dh_groups")]
    out["allowed_enc"], out["allowed_integ"] = ", ".join(enc), ", ".join(integ)
    out["allowed_dh"] = ", ".join(str(x) for x in dh)
    for key in ("proposals_received", "proposals_configured"):
        if got.get(key):
            out[key] = got[key]
    # What the customer gateway itself offers: the proposals AWS's log received (or the algorithms it names), or
    # those a device's log lists as its own. A device's log receives the peer's (AWS's) proposals, and the
    # algorithms it names may be either side's, so neither is held against AWS's lists.
    offered = (got.get("proposals_received") or got.get("algorithms") or "") if aws_log else got.get(
        "proposals_configured", "")
    if offered:
        o_enc, o_integ, o_dh = offered_algorithms(offered)
        bad = sorted(o_enc - set(enc)) + sorted(o_integ - set(integ)) + [f"DH group {g}" for g in sorted(o_dh - set(dh))]
        if bad:
            out["offending"] = ", ".join(bad)
    for key in ("remote_asn", "expected_asn", "ts_offered", "ts_expected", "id_sent", "id_local", "mismatch"):
        if got.get(key):
            out[key] = got[key]
    if not aws_log:
        # A device's own BGP log: the AS the neighbor's OPEN carried (this device refused it), or the AS this
        # device's OPEN carried (the neighbor refused it).
        for key in ("peer_open_asn", "own_open_asn"):
            if got.get(key):
                out[key] = got[key]
        if out.get("own_open_asn") and out.get("own_open_asn") == out.get("peer_open_asn"):
            del out["own_open_asn"]  # a two-sided paste: the same refused OPEN, seen from both devices
    if got.get("id_expected"):
        # AWS's log: what AWS expects of the customer gateway; a device's log: what the device expects of its peer.
        out["id_expected" if aws_log else "id_expected_here"] = got["id_expected"]
    if out.get("expected_asn"):
        out["cgw_asn"] = out["expected_asn"]
    # Only a value the evidence shows: a guessed default inside a command would be pasted into the device
    # as it stands (an unknown one stays the "<Amazon side ASN>" placeholder).
    if got.get("local_asn"):
        out["amazon_asn"] = got["local_asn"]
    return {k: v for k, v in out.items() if v}


# --- the fix ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Command:
    action: str
    title: str
    family: str
    family_label: str
    command: str  # "" when the family has no command for this action (then `note` says what instead)
    source: str
    note: str = ""
    verified: bool = False  # the syntax was checked against the source


@dataclass(frozen=True)
class Fix:
    diagnosis: str
    lines: tuple[str, ...]  # sentences naming the values
    commands: tuple[Command, ...]
    family: str
    values: dict[str, str]
    device: str = ""  # why nothing changes on the device (the fix is on the AWS side)

    def to_json(self) -> dict[str, Any]:
        return {
            "lines": list(self.lines),
            "family": self.family,
            "device": self.device,
            "commands": [
                {"action": c.action, "title": c.title, "family": c.family, "command": c.command, "source": c.source,
                 "note": c.note, "verified": c.verified}
                for c in self.commands
            ],
        }


class _Keep(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return _UNKNOWN.get(key, f"<{key.replace('_', ' ')}>")


def build_fix(diagnosis_ref: str, vals: Mapping[str, str], family: str = "") -> Fix:
    """The fix for a diagnosis in the current language: sentences whose values are all known, and the
    family's commands (or, where it has none, what to do instead)."""
    fams = families()
    if family and family not in fams:
        raise NotFoundError("customer gateway family", family, list(fams))
    spec = fixes().get(diagnosis_ref)
    lines: list[str] = []
    cmds: list[Command] = []
    device = ""
    if spec is not None:
        device = data_text("fix.device", spec.device) if spec.device else ""
        for line in spec.lines:
            if _fields(line) <= set(vals):
                lines.append(data_text("fix.line", line).format(**vals))
        if family:
            safe = _Keep({k: v for k, v in vals.items() if k != "psk"})
            for aid in spec.actions:
                action = commands().actions[aid]
                cmd = action.commands[family]
                title = data_text("fix.action", action.title)
                if cmd.command is not None:
                    cmds.append(Command(aid, title, family, fams[family], cmd.command.format_map(safe), cmd.source,
                                        verified=cmd.verified))
                else:
                    note = data_text("fix.none", cmd.none or "").format_map(safe)
                    cmds.append(Command(aid, title, family, fams[family], "", cmd.source, note, cmd.verified))
    return Fix(diagnosis_ref, tuple(lines), tuple(cmds), family, dict(vals), device)


def fix_texts() -> list[tuple[str, str]]:
    """Every translatable text of the fixes: (context, English) for the data catalogue."""
    out: list[tuple[str, str]] = []
    for fix in fixes().values():
        out += [("fix.line", line) for line in fix.lines]
        if fix.device:
            out.append(("fix.device", fix.device))
    for action in commands().actions.values():
        out.append(("fix.action", action.title))
        out += [("fix.none", c.none) for c in action.commands.values() if c.none]
    return out


def fix_markdown(fix: Fix) -> list[str]:
    """Markdown lines for the report (values and commands in code spans and fences, never as markup)."""
    out: list[str] = []
    if fix.lines:
        out += ["**" + t("With the values from the evidence:") + "**", ""]
        out += [f"- {_md(line)}" for line in fix.lines]
        out.append("")
    if fix.device:
        out += [t("**On the customer gateway:** {text}", text=_md(fix.device)), ""]
    for c in fix.commands:
        out.append(f"**{_md(c.title)}** ({c.family_label})")
        out.append("")
        if c.command:
            source = (t("Source: {url}", url=f"<{c.source}>") if c.verified else
                      t("Source: {url} (the command was not checked against this page)", url=f"<{c.source}>"))
            out += ["```text", c.command.replace("```", "'''"), "```", source, ""]
        else:
            out += [t("No command on {family}: {note}", family=c.family_label, note=_md(c.note)), "",
                    t("Where it is documented: {url}", url=f"<{c.source}>"), ""]
    return out


def _md(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)
