"""The facts a finding carries (proposals, addresses, traffic selectors, identities) and their labels for
a reader."""

from __future__ import annotations

import re
from typing import Any

from lab.analyzer import bgp
from lab.analyzer.protocol.algorithms import algorithms_in, proposal_list
from lab.analyzer.protocol.events import Event
from lab.analyzer.protocol.names import exchange_words
from lab.i18n import M, Msg, render

# Each starts where a run of its characters starts (the lookbehind): a search would otherwise try every position
# of a long run, each time to its end (a 3,000-character token in a proposal took half a second a line).
_MASKED = re.compile(r"(?<!\d)(\d+\.\d+\.\d+\.\d+)/(\d+\.\d+\.\d+\.\d+)")
_CIDR = re.compile(r"(?<![0-9a-fA-F:.])[0-9a-fA-F]*[:.][0-9a-fA-F:.]+/\d{1,3}(?![\d.])|(?<!\d)\d+\.\d+\.\d+\.\d+")


# A side's label glued to its network ("local:192.168.81.0/24 remote:192.168.82.0/28", WatchGuard): not part of an
# IPv6 address.
_SIDE_LABEL = re.compile(r"\b(local|remote|src|dst):(?=\d)")


def cidrs_in(text: str) -> list[str]:
    """CIDR strings in a selector text; "10.1.0.0/255.255.0.0" (Cisco) becomes "10.1.0.0/16"."""

    def prefix(m: re.Match[str]) -> str:
        bits = "".join(f"{int(o):08b}" for o in m.group(2).split(".") if o.isdigit() and int(o) < 256)
        return f"{m.group(1)}/{bits.count('1')}" if len(bits) == 32 else m.group(0)

    text = _MASKED.sub(prefix, _SIDE_LABEL.sub(r"\1 ", text))
    return list(dict.fromkeys(_CIDR.findall(text)))


# What each fact key of `facts_of` (and of a BGP line's reading) means, for a reader of the page or the report:
# the keys themselves stay the `--json` contract.
FACT_LABELS: dict[str, Msg] = {
    "peer": M("Peer address"),
    "conn": M("Connection name"),
    "id_sent": M("ID the peer sent"),
    "id_expected": M("ID expected"),
    "id_local": M("This side's own ID or certificate"),
    "cert_validity": M("Validity period of the certificate"),
    "cert_issuer": M("Issuer (CA) of the certificate"),
    "local_asn": M("Local AS number"),
    "remote_asn": M("Remote AS number"),
    "expected_asn": M("AS number expected"),
    "peer_open_asn": M("AS number in the neighbor's OPEN"),
    "configured_peer_asn": M("AS number configured for the neighbor"),
    "own_open_asn": M("AS number this side's OPEN carried (echoed by the neighbor's refusal)"),
    "peer_alive_after_dpd": M("Peer reachable after the DPD timeout"),
    "kernel_error": M("The kernel's error"),
    "send_error": M("Why this host could not send"),
    "mismatch": M("Attributes of the offer that did not match a policy here"),
    "ts_offered": M("Traffic selectors offered"),
    "ts_expected": M("This side's own traffic selectors"),
    "proposals_received": M("Proposals received"),
    "proposals_configured": M("Proposals configured here"),
    "proposals_lines": M("Proposals read from lines"),
    "algorithms": M("Algorithms named"),
    "host_to_host": M("Between the two gateways only (no subnets)"),
    "invalid_key_length": M("Key length the algorithm does not have"),
    "transforms": M("Transforms asked for (AH, IPComp)"),
    "ike_sent": M("IKE version sent"),
    "ike_answered": M("IKE version the peer answers"),
    "ike_refused": M("IKE version refused"),
    "ike_requested": M("IKE version the peer asked for"),
    "conn_versions": M("IKE versions of this side's connections"),
    "peer_conn_version": M("IKE version of the peer's connection (its log pasted too)"),
    "packet_bytes": M("Size of the unanswered IKE message (bytes)"),
    "mode_asked": M("IPsec mode asked for"),
    "mode_granted": M("IPsec mode granted"),
    "modes": M("IPsec mode of the same SA on each side"),
    "first_replies_unanswered": M("First replies never followed up"),
    "first_reply_timeout": M("Seconds waited after the first reply"),
    "transforms_refused": M("Phase 1 transforms refused"),
    "bgp_reason": M("Why the BGP session went down"),
    "bgp_reason_up": M("Why routes are not exchanged"),
    "peer_name": M("Peer (its name in the configuration)"),  # (the label of a peer named, not addressed)  # (the label of a bgp_reason where the session stays up)
    "bgp_error": M("BGP error"),
    "md5_set_error": M("Why the BGP password (TCP MD5) could not be set"),
    "bgp_notification": M("BGP NOTIFICATION code/subcode"),
    "bgp_state": M("BGP state"),
    "bgp_collisions": M("Connection collisions of a neighbor never up"),
    "notify": M("Notify message"),
    "exchange": M("Exchange"),
    "direction": M("Direction (sent or received)"),
    "sa": M("SA (IKE or Child)"),
}


# A peer fact that is an address (IPv4, IPv6, or one masked with x or *), not a name.
_ADDRESS_LIKE = re.compile(r"(?=[^.:]*[.:])[0-9a-fA-FxX*.:]+(?:%\w+)?")
_FACT_WORDS: dict[object, Msg] = {True: M("yes"), False: M("no"), "sent": M("sent"), "received": M("received")}


def fact_rows(facts: dict[str, Any], lang: str | None = None) -> list[tuple[str, str]]:
    """The facts as (what it is, its value) in words, in `lang` (default: the current language), for the page, the
    text output and the report alike: a key without a label (FACT_LABELS) is shown as it is in `--json`. The values
    are the log's own, unmasked: the caller masks and escapes them for where they go."""
    rows = []
    for key, value in facts.items():
        if key == "bgp_reason" and value in bgp.NO_ROUTES:
            label = FACT_LABELS["bgp_reason_up"]
        elif key == "peer" and isinstance(value, str) and not _ADDRESS_LIKE.fullmatch(value):
            label = FACT_LABELS["peer_name"]  # BIRD and others name a neighbor by its protocol name ("BGP1")
        else:
            label = FACT_LABELS.get(key)
        if isinstance(value, bool) or value in ("sent", "received"):
            text = _FACT_WORDS[value].render(lang)
        elif value in ("ike", "child") and key == "sa":
            text = "IKE" if value == "ike" else "Child"
        elif key == "exchange" and isinstance(value, str):
            text = render(exchange_words(value), lang)
        elif key == "bgp_reason" and value in bgp.REASON_WORDS:
            text = bgp.REASON_WORDS[value].render(lang)
        elif isinstance(value, list | tuple):
            text = ", ".join(str(v) for v in value)
        else:
            text = str(value)
        rows.append((label.render(lang) if label is not None else key, text))
    return rows


def name_value(value: object) -> str:
    """An address, an identity or a name as a line captured it, without the quotes and brackets around it."""
    return str(value).strip("'\"[] ")


def facts_of(ev: Event) -> dict[str, Any]:
    """The facts one event carries, under the keys the triage fixes use."""
    out: dict[str, Any] = {}
    v = ev.values
    for key in ("peer", "id_sent", "id_expected", "id_local", "conn"):
        if v.get(key):
            out[key] = name_value(v[key])
    for key in ("local_asn", "remote_asn", "expected_asn", "peer_open_asn", "configured_peer_asn"):
        if v.get(key):
            digits = re.sub(r"\D", "", str(v[key]))
            if digits:
                out[key] = int(digits)
    for key in ("ts_offered", "ts_expected"):
        if v.get(key):
            cidrs = cidrs_in(str(v[key]))
            if cidrs:
                out[key] = cidrs
    algos: list[str] = []
    for key, fact in (("received", "proposals_received"), ("configured", "proposals_configured")):
        if v.get(key):
            out[fact] = proposal_list(str(v[key]))
            algos += algorithms_in(str(v[key]))
    if v.get("algorithms"):
        algos += algorithms_in(str(v["algorithms"]))
    if v.get("bgp_collisions"):  # connection collisions of one BGP neighbor that never came up
        out["bgp_collisions"] = int(v["bgp_collisions"])
    if v.get("host_to_host"):  # the Child SA's selectors are the two gateways: transport mode is possible
        out["host_to_host"] = True
    if v.get("invalid_key_length"):  # an offered algorithm with a key length it does not have
        out["invalid_key_length"] = str(v["invalid_key_length"])
    if v.get("transforms"):  # AH or IPComp asked for in the offer
        out["transforms"] = str(v["transforms"])
    for key in ("ike_sent", "ike_answered", "ike_refused", "ike_requested", "conn_versions"):
        if v.get(key):
            out[key] = str(v[key])
    if v.get("packet_bytes"):  # the unanswered message needed IP fragments
        out["packet_bytes"] = int(v["packet_bytes"])
    if v.get("mismatch"):  # a list, so that every policy's differing attribute is kept when lines are merged
        out["mismatch"] = [str(v["mismatch"])]
    for key in ("mode_asked", "mode_granted", "modes"):
        if v.get(key):
            out[key] = str(v[key])
    for key in ("first_replies_unanswered", "first_reply_timeout", "transforms_refused"):
        if v.get(key):  # how many starts went unanswered / seconds waited / transforms refused
            out[key] = v[key]
    if algos:
        out["algorithms"] = list(dict.fromkeys(algos))
    if ev.kind == "bgp_down":
        for key, value in bgp.read(ev.text).items():
            out.setdefault(key, value)
    if ev.notify and ev.notify not in ("R_U_THERE", "R_U_THERE_ACK"):
        out["notify"] = ev.notify
    if ev.exchange:
        out["exchange"] = ev.exchange
    if ev.direction:
        out["direction"] = ev.direction
    if ev.sa:
        out["sa"] = ev.sa
    return out
