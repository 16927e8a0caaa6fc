"""Proposal listings that a device prints one item a line, read together into the proposals received and configured.

FortiGate's IKE debug lists both sides' proposals, one transform a line; Cisco IOS's `debug crypto isakmp` lists the
peer's offer one attribute a line as the router checks it against its own ISAKMP policies (Main Mode) or transform
sets (Quick Mode). Neither line says anything alone: read together, the lines before a refusal say what the peer
offered (and, for FortiGate, what this side accepts), in the notation of charon's proposal listings, so the fix can
name the algorithms instead of saying "align the proposals".
"""

from __future__ import annotations

import dataclasses
import re

from lab.analyzer.diagnosis import chain_scope
from lab.analyzer.diagnosis.config import QUICK_MODE_SELECTORS_TOO
from lab.analyzer.diagnosis.readings import is_line_meaning
from lab.analyzer.model import Primary
from lab.analyzer.protocol import DH_NAMES, Event
from lab.i18n import M, Msg

_PROPOSAL_CATEGORIES = ("phase1_proposal_mismatch", "phase2_proposal_mismatch", "rekey_issue")


def with_proposals(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the proposals received and configured among its facts when it names a proposal mismatch (or a
    refused rekey) whose refused offer the device listed one item a line before refusing it."""
    if primary is None or primary.category not in _PROPOSAL_CATEGORIES or primary.facts.get("proposals_received"):
        return primary
    chain, _streams, _names = chain_scope(primary, events)
    for reader in (_fortigate, _cisco_ios):
        received, configured, read = reader(chain, events)
        if received and read:
            facts = {**primary.facts, "proposals_received": received}
            if configured:
                facts["proposals_configured"] = configured
            # which lines the listing was read from: they are not among the chain's lines (a FortiGate's run to
            # dozens), so the page and the report say where to look
            first, last = min(e.line for e in read), max(e.line for e in read)
            facts["proposals_lines"] = f"{first}-{last}" if last > first else str(first)
            return dataclasses.replace(primary, facts=facts)
    return primary


# FortiGate's debug output lists proposals one item a line (the "proposal_dump" lines): the block a header opens, the
# proposal a "proposal id" line starts, its protocol, one transform a line. The exchange serial is the number before
# the message ("ike 0:to-FG2:267:eveS2S:85: ..." -> 85).
_FGT_SERIAL = re.compile(r"\bike \S*?:(\d+): ")
_FGT_TRANSFORM = re.compile(r"type=(?P<type>[A-Z_]+), val=(?P<val>[^\n]*?)\.?\s*$")
_FGT_KEY_LEN = re.compile(r"^(?P<name>\S+?)(?: \(key_len = (?P<bits>\d+)\)|, key-len=(?P<bits2>\d+))$")
_FGT_PROTOCOL = re.compile(r"protocol(?: id)? = (?P<proto>[\w/-]+):")


def _fgt_transform(kind: str, value: str) -> str:
    """One FortiGate transform in the notation of charon's proposal listings ("AES_CBC (key_len = 128)" ->
    AES_CBC_128, AUTH_HMAC_SHA2_256_128 -> HMAC_SHA2_256_128, MODP2048 -> MODP_2048, ESN NO -> NO_EXT_SEQ)."""
    m = _FGT_KEY_LEN.match(value)
    if m and (bits := m.group("bits") or m.group("bits2")):
        value = f"{m.group('name')}_{bits}"
    if kind == "INTEGR" and value.startswith("AUTH_"):
        value = value[len("AUTH_"):]
    if kind in ("DH_GROUP", "OAKLEY_GROUP"):
        value = re.sub(r"^(MODP|ECP)(\d+)$", r"\1_\2", value)
    if kind == "ESN":
        value = {"NO": "NO_EXT_SEQ", "YES": "EXT_SEQ"}.get(value, value)
    return value


def _fgt_proposals(lines: list[str]) -> tuple[list[str], list[str]]:
    """(the peer's proposals, this side's) from one exchange's proposal listing lines, in order: the last block of
    each side before the refusal."""
    blocks: dict[str, list[list[str]]] = {}
    side, protocol = "", "IKE"
    current: list[str] | None = None
    for text in lines:
        if " proposal" in text and text.rstrip().endswith(":") and "proposal id" not in text:
            side = ("received" if re.search(r"\b(?:incoming|peer) (?:child SA )?proposal", text)
                    else "configured" if "my proposal" in text else "")
            if side:
                blocks[side] = []
            current = None
        elif not side:
            continue
        elif "proposal id = " in text:
            current = []
            blocks[side].append(current)
        elif m := _FGT_PROTOCOL.search(text):
            proto = m.group("proto").upper()
            protocol = "IKE" if proto in ("IKEV2", "ISAKMP") else proto
            if current is not None and not current:
                current.append(protocol + ":")
        elif current is not None and (t := _FGT_TRANSFORM.search(text)):
            current.append(_fgt_transform(t.group("type"), t.group("val").strip()))
        elif current is not None and "PFS is disabled" in text:
            current.append("no PFS")

    def listing(proposals: list[list[str]]) -> list[str]:
        out = []
        for items in proposals:
            head = items[0] if items and items[0].endswith(":") else "IKE:"
            body = [i for i in items if not i.endswith(":")]
            if body:
                out.append(head + "/".join(body))
        return out[:16]

    return listing(blocks.get("received", [])), listing(blocks.get("configured", []))


def _fortigate(chain: list[Event], events: list[Event]) -> tuple[list[str], list[str], list[Event]]:
    """FortiGate: the listing lines of the refused exchange (the same exchange serial, before the refusal, in the
    same log)."""
    refusal = next((e for e in chain if e.fmt == "fortigate" and e.kind == "no_proposal"), None)
    serial = _FGT_SERIAL.search(refusal.text) if refusal else None
    if refusal is None or serial is None:
        return [], [], []
    read = [e for e in events if e.kind == "proposal_dump" and e.stream == refusal.stream and e.order < refusal.order
            and (m := _FGT_SERIAL.search(e.text)) and m.group(1) == serial.group(1)]
    received, configured = _fgt_proposals([e.text for e in read])
    return received, configured, read


# Cisco IOS, debug crypto isakmp. As a responder the router prints the peer's offer while it checks it: in Main Mode
# "Checking ISAKMP transform 1 against priority 10 policy" and one attribute a line ("encryption AES-CBC", "keylength
# of 256", "hash SHA", "default group 14", "auth pre-share"), the same transform again for each of its policies; in
# Quick Mode "Checking IPSec proposal 1", "transform 1, ESP_AES" and the transform's attributes ("key length is 256",
# "authenticator is HMAC-SHA", "group is 2" for PFS). Then "atts are acceptable", or why not and, when no policy
# matched, "no offers accepted!" / "phase 2 SA not acceptable!". Lines as in Cisco's own IPsec debug documentation
# (https://docstore.mik.ua/univercd/cc/td/doc/product/vpn/solution/aswan15/omt/omt_apb.htm) and IOS-XE 16 / 17 output.
_IOS_LISTING = frozenset({"ios-proposal-dump", "ios-checking-ipsec-proposal", "ios-offer-does-not-match-policy",
                          "asa-sa-proposals-unacceptable", "ios-transform-not-supported"})
_IOS_ISAKMP = re.compile(r"Checking ISAKMP transform (\d+) against priority \d+ policy")
_IOS_IPSEC = re.compile(r"Checking IPSec proposal (\d+)")
_IOS_TRANSFORM = re.compile(r"\btransform (\d+), (ESP|AH)_([A-Z0-9_]+)")
_IOS_ATTRIBUTE = re.compile(
    r"(?:^|[:\s])(?:\.\s+)?(encryption|keylength of|key length is|hash|default group|group is|authenticator is)\s+"
    r"([\w-]+)\s*$")
_IOS_ENCRYPTION = {"DES": "DES_CBC", "3DES": "3DES_CBC", "AES": "AES_CBC_{bits}", "GCM": "AES_GCM_16_{bits}",
                   "NULL": "NULL", "SEAL": "SEAL", "GMAC": "AES_GMAC_{bits}"}
_IOS_INTEGRITY = {"MD5": "HMAC_MD5_96", "SHA": "HMAC_SHA1_96", "SHA1": "HMAC_SHA1_96", "SHA256": "HMAC_SHA2_256_128",
                  "SHA384": "HMAC_SHA2_384_192", "SHA512": "HMAC_SHA2_512_256"}


def _ios_block(protocol: str, attributes: dict[str, str]) -> str:
    """One checked offer in charon's notation: encryption, integrity, DH group ("IKE:AES_CBC_256/HMAC_SHA1_96/
    MODP_1536", "ESP:3DES_CBC/HMAC_SHA1_96/MODP_1024")."""
    items = []
    if enc := attributes.get("encryption"):
        up = enc.upper()  # DES-CBC, 3DES-CBC, AES-CBC (its size on a line of its own), ESP_AES, ESP_3DES, ESP_GCM
        bits = attributes.get("bits") or (m.group(1) if (m := re.search(r"(\d{3})$", up)) else "")
        cipher = re.sub(r"[-_]?CBC.*$|[-_]?\d{3}$", "", re.sub(r"^(?:ESP|AH)_", "", up)).replace("-", "")
        # without its key length (an excerpt that left the line out) AES is named without one: a guessed size would
        # be held against AWS's list
        name = _IOS_ENCRYPTION.get(cipher, enc)
        items.append(name.format(bits=bits) if bits or "{bits}" not in name else name.replace("_{bits}", ""))
    if integ := attributes.get("integrity"):
        name = re.sub(r"^HMAC-?|_HMAC$", "", integ.upper()).replace("-", "")
        items.append(_IOS_INTEGRITY.get(name, integ))
    if group := attributes.get("group"):
        items.append(DH_NAMES.get(group, f"DH{group}"))
    return f"{protocol}:" + "/".join(items) if items else ""


def _cisco_ios(chain: list[Event], events: list[Event]) -> tuple[list[str], list[str], list[Event]]:
    """Cisco IOS: the peer's offers the router listed while checking them, from the lines just before its refusal
    (the run of policy checks that ends in it), each transform once."""
    refusals = [e for e in chain if e.fmt == "cisco-ios" and e.pattern in _IOS_LISTING and e.kind != "proposal_dump"]
    if not refusals:
        return [], [], []
    last = max(refusals, key=lambda e: e.order)
    run: list[Event] = []
    for e in sorted((e for e in events if e.stream == last.stream and e.order < last.order), key=lambda e: -e.order):
        if e.pattern not in _IOS_LISTING:
            break
        run.append(e)
    offers: dict[tuple[str, str], dict[str, str]] = {}
    current: dict[str, str] | None = None
    for e in reversed(run):
        if m := _IOS_ISAKMP.search(e.text):
            current = offers[("IKE", m.group(1))] = {}
        elif _IOS_IPSEC.search(e.text):
            current = None
        elif m := _IOS_TRANSFORM.search(e.text):
            current = offers[(m.group(2), m.group(1))] = (
                {"encryption": m.group(3)} if m.group(2) == "ESP" else {"integrity": m.group(3)})
        elif current is not None and (a := _IOS_ATTRIBUTE.search(e.text)):
            key, value = a.group(1), a.group(2)
            if key in ("keylength of", "key length is"):
                current["bits"] = value
            elif key in ("hash", "authenticator is"):
                current["integrity"] = value
            elif key in ("default group", "group is"):
                current["group"] = value
            else:
                current[key] = value
    received = [text for (proto, _n), attributes in offers.items() if (text := _ios_block(proto, attributes))]
    return received[:16], [], [e for e in run if e.pattern in ("ios-proposal-dump", "ios-checking-ipsec-proposal")]


# What a proposal's transforms are, by their names in charon's notation ("AES_CBC_128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/
# MODP_2048") or pluto's ("ENCR=AES_CBC_256;INTEG=HMAC_SHA2_512_256;PRF=HMAC_SHA2_512;DH=MODP4096").
_PLUTO_KINDS = {"ENCR": "encryption", "INTEG": "integrity", "PRF": "prf", "DH": "dh", "ESN": "esn"}
_DH = re.compile(r"^(?:MODP|ECP|CURVE|X25519|X448|BRAINPOOL|ML_KEM|KE)", re.I)
_INTEGRITY = re.compile(r"^(?:HMAC|AES_XCBC|AES_CMAC|AES_\d+_GMAC|NULL_AUTH|AUTH_)", re.I)
_ESN = re.compile(r"^(?:NO_)?EXT_SEQ$|^ESN", re.I)
_KIND_WORDS: dict[str, Msg] = {
    "encryption": M("encryption algorithm"),
    "integrity": M("integrity algorithm"),
    "prf": M("PRF"),
    "dh": M("Diffie-Hellman group"),
    "pfs": M("PFS (Diffie-Hellman group of the Child SA)"),
    "esn": M("extended sequence numbers (ESN)"),
}


def _transforms(proposal: str) -> tuple[str, dict[str, set[str]]]:
    """A proposal's protocol (IKE, ESP, AH) and its transforms by kind, each as written."""
    text = re.sub(r"^\s*\d+:", "", proposal.strip())
    protocol, _, body = text.partition(":") if re.match(r"(?:IKE|ESP|AH):", text) else ("", "", text)
    kinds: dict[str, set[str]] = {}
    if "=" in body:
        for item in body.split(";"):
            key, _, value = item.partition("=")
            if (kind := _PLUTO_KINDS.get(key.strip().upper())) and value.strip():
                kinds.setdefault(kind, set()).add(value.strip())
        return protocol, kinds
    for item in (i.strip() for i in body.split("/") if i.strip()):
        kind = ("dh" if _DH.match(item) else "prf" if item.upper().startswith("PRF_") else "esn" if _ESN.match(item)
                else "integrity" if _INTEGRITY.match(item) else "encryption")
        kinds.setdefault(kind, set()).add(item)
    return protocol, kinds


def _same(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", name.upper()).replace("PRFHMAC", "HMAC")


def proposal_difference(received: list[str], configured: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """What keeps the offer received from matching the proposals configured: each kind of transform in which no value
    offered is one configured here, with the values of both sides ((kind, offered, configured)); nothing when a
    proposal offered matches one configured, or when the sides share a value of every kind (then only the combination
    differs). A Child SA proposal without a DH group is one without PFS."""
    offered = [_transforms(p) for p in received]
    accepted = [_transforms(p) for p in configured]
    if not offered or not accepted:
        return []
    child = any(proto in ("ESP", "AH") for proto, _ in offered + accepted)

    def values(side: list[tuple[str, dict[str, set[str]]]], kind: str) -> set[str] | None:
        out: set[str] = set()
        for _proto, kinds in side:
            if kind in kinds:
                out |= kinds[kind]
            elif kind == "dh" and child:
                out.add("none")
            else:
                return None  # (a kind one proposal does not name, an AEAD cipher's integrity: not compared)
        return out

    def matches(a: dict[str, set[str]], b: dict[str, set[str]]) -> bool:
        return all({_same(v) for v in a.get(k, {"none"} if k == "dh" and child else set())}
                   & {_same(v) for v in b.get(k, {"none"} if k == "dh" and child else set())}
                   for k in set(a) | set(b) if k != "esn" or (k in a and k in b))

    if any(matches(a, b) for _p, a in offered for _q, b in accepted):
        return []
    out = []
    for kind in ("encryption", "integrity", "prf", "dh", "esn"):
        mine, theirs = values(offered, kind), values(accepted, kind)
        if mine is None or theirs is None or {_same(v) for v in mine} & {_same(v) for v in theirs}:
            continue
        out.append(("pfs" if kind == "dh" and child else kind, sorted(mine), sorted(theirs)))
    return out


def with_proposal_difference(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary`, when it names a proposal mismatch and its facts hold the proposals received and configured, with a
    sentence after the first of its reasoning for each kind of transform the two share no value of (see
    `proposal_difference`): the values offered and those this side accepts."""
    if (primary is None or primary.category not in ("phase1_proposal_mismatch", "phase2_proposal_mismatch")
            or not primary.facts.get("proposals_received") or not primary.facts.get("proposals_configured")):
        return primary
    differences = proposal_difference(list(primary.facts["proposals_received"]),
                                      list(primary.facts["proposals_configured"]))
    if not differences:
        return primary
    chain, _streams, _names = chain_scope(primary, events)
    line = next((e.line for e in chain if e.values.get("received")), min(primary.evidence_lines or (0,)))
    said = [M("Line {line}: no {kind} in common: the peer offered {offered}, this side accepts {accepted}. Set one "
              "that both accept on both sides.", line=line, kind=_KIND_WORDS[kind], offered=_values(offered),
              accepted=_values(accepted)) for kind, offered, accepted in differences[:3]]
    # (what differs is known: no need to suggest the selectors may be what a Quick Mode refusal is about)
    rest = [m for m in primary.reasoning[1:] if m is not QUICK_MODE_SELECTORS_TOO and not is_line_meaning(m)]
    return dataclasses.replace(primary, reasoning=(*primary.reasoning[:1], *said, *rest))


def _values(values: list[str]) -> str | Msg:
    """Transforms as a list; a Child SA proposal's missing DH group in words."""
    return M("no DH group (no PFS)") if values == ["none"] else ", ".join(values)
