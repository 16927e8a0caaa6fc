"""What a finding adds from the lines around it: the peer, the identities, the traffic selectors and what a certificate
check found."""

from __future__ import annotations

import dataclasses
import re

from lab.analyzer.diagnosis.readings import is_line_meaning
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    cidrs_in,
    name_value,
    pluto_peer,
    tunnel_name,
)
from lab.analyzer.protocol.names import CHARON_IKE_SA_REKEYED
from lab.analyzer.protocol.ordering import _CHARON_IKE_SA
from lab.i18n import M, Msg

# Lines whose address is not always the peer's: the kernel's expiry of an SA names the SA's destination, which is
# this side's own address for an inbound SA.
_NOT_THE_PEER = frozenset({"swan-kernel-rekey-job"})


# pluto names an instance of a connection (a responder's, or one an opportunistic or road-warrior template made for
# one peer) by the peer's address after its number: "east"[1] 192.1.3.209 #1: ...
_PLUTO_INSTANCE = re.compile(r'"[^"]+"\[\d+\] (?:\.\.\.)?(\d{1,3}(?:\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F]+)(?= #\d|:)')


# Cisco ASA names the IKE peer of a tunnel's messages after the message id: "%ASA-5-713119: Group = 77.88.99.100,
# IP = 77.88.99.100, PHASE 1 COMPLETED" (the tunnel group, the user for remote access, then the peer's address).
_ASA_PEER = re.compile(r"%(?:ASA|FTD)-(?:[a-z]+-)?\d-\d+: (?:Group = [^,]+, )?(?:Username = [^,]+, )?IP = ([0-9a-fA-FxX*.:]+),")


# What a chain shows around the failing exchange rather than of it: the proposals and SAs that came up, connections
# loaded, identities read (in a log whose lines do not name their tunnel, as much another tunnel's)
_SURROUNDINGS = frozenset({"proposals", "established", "conn_added", "conn_switched", "remote_access", "identity"})


def _pluto_instance_peer(ev: Event) -> str:
    m = _PLUTO_INSTANCE.search(ev.text) if ev.fmt == "libreswan" else None
    return m.group(1) if m else ""


def chain_scope(primary: Primary, events: list[Event]) -> tuple[list[Event], set[int], set[str]]:
    """The events the primary's chain rests on, the logs (streams) they are in and the tunnels they name (`tunnel_name`:
    pluto's connection, FortiOS's phase 1, the connection in charon's tag): where the steps below look for a fact the
    chain's own lines do not say."""
    orders = {f.order for f in primary.chain}
    chain = [e for e in events if e.order in orders]
    return chain, {e.stream for e in chain}, {name for e in chain if (name := tunnel_name(e))}


def with_peer(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the peer's address among its facts when the lines it rests on do not name it, from the other
    lines of the same log about the same connection that name the address an IKE SA is set up with (charon's
    "initiating IKE_SA gw[1] to 203.0.113.10", "203.0.113.10 is initiating an IKE_SA", "IKE_SA gw[1] established
    between ...", pluto's "initiating IKEv2 connection to", "sent IKE_SA_INIT request to"). Only when those lines
    name exactly one address: a gateway's log holds its other tunnels too, and a two-sided paste the other peer's
    log (each side's lines are read apart)."""
    if primary is None or primary.category == "bgp_down" or primary.facts.get("peer"):
        return primary
    chain, streams, names = chain_scope(primary, events)
    # charon gave up setting up an IKE SA (protocol.exchanges._charon_connecting_give_ups), and its lines do not name
    # their tunnel: an IKE SA established in the log is not that one (in a gateway's log, likely another tunnel's, whose
    # SAs stay up); only the lines that start setting up an IKE SA can name its peer
    setup_fails = min((e.order for e in chain if e.values.get("ike_connecting")), default=None) if not names else None
    connecting = setup_fails is not None
    # (lines that do not name their tunnel: a line after the chain's first may be another tunnel's negotiation as much
    # as a later step or attempt of this one, such as tunnel 1's rekeys between tunnel 2's retransmissions and its
    # giving up; the peer a negotiation is set up with is named before it fails: before the chain's first line that is
    # part of the failing exchange, not what surrounds it, such as the proposal another tunnel selected. Of an IKE SA
    # set up again within the chain, whose setup the chain shows failing, the line that starts it counts. Where the
    # chain shows an IKE SA's setup failing, no line that starts a rekey counts, nor one whose IKE SA came up before
    # the setup gave up: that is another IKE SA.)
    first = min((order for e in chain if e.kind not in _SURROUNDINGS  # (a give-up: from its first retransmission)
                 for order in (e.order, e.values.get("retransmitted_from", e.order))), default=None) if not names else None
    # (charon names an IKE SA with its unique id in "initiating IKE_SA gw[3] to ...", "IKE_SA gw[3] established
    # between ..." and "IKE_SA gw[3] rekeyed between ...")
    others = {m.group(0) for e in events if e.kind == "established" and (
        CHARON_IKE_SA_REKEYED in e.text or e.order < setup_fails) and (m := _CHARON_IKE_SA.search(e.text))} \
        if setup_fails is not None else set()
    if first is not None and not connecting and (
            # charon's give-up whose retransmissions are not in the paste: tied to no negotiation of the lines around it
            any(e.order == first and e.kind == "give_up" and e.fmt == "strongswan"
                and "retransmitted_from" not in e.values for e in chain)
            # charon's lines from a gateway with several connections: a line before the failure is any tunnel's
            or len(_charon_connections(events, streams)) > 1):
        return primary
    found: set[str] = set()
    for e in events:  # (a long log has many: the cheap tests first)
        if e.stream not in streams or e.pattern in _NOT_THE_PEER or (connecting and e.kind != "initiate"):
            continue
        if connecting and (m := _CHARON_IKE_SA.search(e.text)) and m.group(0) in others:
            continue  # (an initiate line: see `connecting` above)
        if first is not None and e.order > first and not (setup_fails is not None and e.order < setup_fails):
            continue
        peer = name_value(e.values["peer"]) if e.values.get("peer") else ""
        if not peer and e.fmt == "libreswan":
            peer = (state := pluto_peer(e)) and state[1] or _pluto_instance_peer(e)
        elif not peer and ("%ASA-" in e.text or "%FTD-" in e.text) and (asa := _ASA_PEER.search(e.text)):
            peer = asa.group(1)
        if peer and not (names and (name := tunnel_name(e)) and name not in names):
            found.add(peer)
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "peer": found.pop()})


def _charon_connections(events: list[Event], streams: set[int]) -> set[str]:
    """The connections charon's lines of these logs name in their IKE SAs ("IKE_SA tunnel1[3] established ...")."""
    return {m.group("name") for e in events if e.stream in streams and e.fmt == "strongswan"
            and (m := _CHARON_IKE_SA.search(e.text))}


def with_identity(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the identity the peer sent among its facts when it names an authentication failure and its own
    lines do not say it, from the line where this side read that identity (pluto's "Peer ID is FQDN: '@east'",
    charon's "looking for peer configs matching ...192.0.2.1[@east]") about the same connection in the same log;
    only when those lines name one identity."""
    if primary is None or primary.category != "auth_failure" or primary.facts.get("id_sent"):
        return primary
    _chain, streams, names = chain_scope(primary, events)
    found = {name_value(e.values["id_sent"]) for e in events
             if e.kind == "identity" and e.stream in streams and e.values.get("id_sent")
             and not (names and (name := tunnel_name(e)) and name not in names)}
    if len(found) != 1:
        return primary
    return dataclasses.replace(primary, facts={**primary.facts, "id_sent": found.pop()})


_PLUTO_SERIALS = re.compile(r"#(\d+)\b")


def with_selectors(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary` with the traffic selectors this side offered among its facts when it names a refusal of them and
    its own lines do not say them, from pluto's request that offered them ("sent IKE_AUTH request ... Child SA #2
    {ESP ...} [192.0.1.0/24===192.0.2.0/24]", "sent CREATE_CHILD_SA request to create Child SA ... [...]"): the one
    request whose state numbers (the IKE SA's, the Child SA's) the refusal's lines name, in the same log."""
    if primary is None or primary.category != "traffic_selector_mismatch" or primary.facts.get("ts_offered"):
        return primary
    chain, streams, _names = chain_scope(primary, events)
    serials = {n for e in chain if e.fmt == "libreswan" for n in _PLUTO_SERIALS.findall(e.text)}
    found = {str(e.values["ts_offered"]) for e in events
             if e.fmt == "libreswan" and e.stream in streams and e.values.get("ts_offered") and e.direction == "sent"
             and serials & set(_PLUTO_SERIALS.findall(e.text))}
    offered = cidrs_in(found.pop()) if len(found) == 1 else []
    return dataclasses.replace(primary, facts={**primary.facts, "ts_offered": offered}) if offered else primary


# What a certificate check found, in the words of the daemons (charon, pluto with NSS, Cisco's PKI, Azure's gateway), in
# the order they are tried on a line. A line about this side's own certificate as it is loaded ("failed to add
# connection: left certificate ... is expired") is no check of the peer's.
_CERT_PROBLEMS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ca_expired", re.compile(r"\bissuer certificate invalid \(valid from|SEC_ERROR_EXPIRED_ISSUER_CERTIFICATE")),
    ("expired", re.compile(r"\b(?:subject|peer) certificate invalid \(valid from|Peer's [Cc]ertificate has expired|"
                           r"SEC_ERROR_EXPIRED_CERTIFICATE|\bcertificate (?:has )?expired\b")),
    ("revoked", re.compile(r"certificate was revoked on|has been revoked|\bcertificate revoked!|"
                           r"SEC_ERROR_REVOKED_(?:CERTIFICATE|KEY)|Certificate Revocation Check failed")),
    # (NSS, as pluto prints its verdict: /usr/include/nss3/secerr.h; an invalid signature is a certificate its issuer's
    # key here does not verify, a CA certificate that is no valid CA cannot vouch for the peer's)
    ("untrusted", re.compile(r"no issuer certificate found for|issuer is not recognized|"
                             r"SEC_ERROR_(?:UNKNOWN_ISSUER|UNTRUSTED_ISSUER|UNTRUSTED_CERT|CA_CERT_INVALID|BAD_SIGNATURE)|"
                             r"unable to verify peer certificate|No trust point for cert issuer|"
                             # Cisco ASA 717009, 717031: no trustpoint holds the CA of the peer's certificate
                             r"No suitable trustpoints? found to validate|Failed to find a suitable trustpoint for the "
                             r"issuer")),
    ("no_ca", re.compile(r"[Nn]o Certificate Authority in NSS")),
    ("key_usage", re.compile(r"without digitalSignature or nonRepudiation keyUsage|Invalid certificate key usage|"
                             r"SEC_ERROR_INADEQUATE_(?:KEY_USAGE|CERT_TYPE)")),
    ("identity", re.compile(r"certificate does not confirm identity|subjectAlt[Nn]ame extension does not match|"
                            r"subjectAltname does not match|contains no subjectAltName|"
                            r"not specified on the certificate SubjectAltName|SubjectAltName does not match peer ID")),
)
_OWN_CERT_LOADED = re.compile(r"failed to add connection|\b(?:left|right|local) certificate '")


def _cert_problem(ev: Event) -> str:
    if _OWN_CERT_LOADED.search(ev.text):
        return ""
    return next((kind for kind, words in _CERT_PROBLEMS if words.search(ev.text)), "")


def _cert_reading(kind: str, line: int, period: str, issuer: str) -> Msg:
    if kind == "ca_expired" and not period:
        return M("Line {line}: a CA certificate of the peer's certificate chain is outside its validity period: renew "
                 "that CA certificate (and the certificates it issued, where needed), or set the clock right (NTP) on "
                 "the side whose time is wrong.", line=line)
    if kind == "ca_expired":
        return M("Line {line}: a CA certificate of the peer's certificate chain is outside its validity period ({period}): "
                 "renew that CA certificate (and the certificates it issued, where needed), or set the clock right "
                 "(NTP) on the side whose time is wrong.", line=line, period=period)
    if kind == "expired" and period:
        return M("Line {line}: the peer's certificate is outside its validity period ({period}): it has expired or is "
                 "not valid yet. Renew it, or set the clock right (NTP) on the side whose time is wrong.",
                 line=line, period=period)
    if kind == "expired":
        return M("Line {line}: the peer's certificate is outside its validity period: it has expired or is not valid "
                 "yet. Renew it, or set the clock right (NTP) on the side whose time is wrong.", line=line)
    if kind == "revoked":
        return M("Line {line}: the peer's certificate was revoked by its CA (a CRL or an OCSP answer says so): the peer "
                 "needs a new certificate.", line=line)
    if kind == "untrusted" and issuer:
        return M("Line {line}: this side cannot verify the peer's certificate: it has no trusted certificate of the CA "
                 "that issued it ({issuer}). Install that CA's certificate here (strongSwan: swanctl/x509ca or "
                 "ipsec.d/cacerts; libreswan: its NSS database), with any intermediate CA between them, or have the "
                 "peer use a certificate from a CA this side trusts.", line=line, issuer=issuer)
    if kind == "untrusted":
        return M("Line {line}: this side cannot verify the peer's certificate: it has no trusted certificate of the CA "
                 "that issued it. Install that CA's certificate here (strongSwan: swanctl/x509ca or ipsec.d/cacerts; "
                 "libreswan: its NSS database), with any intermediate CA between them, or have the peer use a "
                 "certificate from a CA this side trusts.", line=line)
    if kind == "no_ca":
        # (pluto discards the peer's certificates when its NSS database holds no CA at all: also what a side set up
        # for a pre-shared key prints when the peer authenticates with a certificate)
        return M("Line {line}: this side holds no CA certificate at all, so it discarded the certificates the peer "
                 "sent and cannot verify them. If both sides are meant to use certificates, import the CA that issued "
                 "the peer's certificate into this side's NSS database; if this side uses a pre-shared key, the two "
                 "sides use different authentication methods (authby): set the same on both.", line=line)
    if kind == "key_usage":
        return M("Line {line}: the peer's certificate lacks the key usage this side requires for IKE (digitalSignature "
                 "or nonRepudiation; an extended key usage, if it has one, that allows IKE or server and client "
                 "authentication): issue it again with that key usage.", line=line)
    return M("Line {line}: an identity and a certificate do not match: the identity the peer sent, or the one this "
             "side expects, is neither the certificate's subject nor one of its subjectAltNames. Compare the identities "
             "each side sends and expects (leftid / rightid, the local and remote ID) with the names in the "
             "certificates.", line=line)


def with_certificate(primary: Primary | None, events: list[Event]) -> Primary | None:
    """`primary`, when it names an authentication failure, with what a certificate check before it found, read from
    the first line of the same log about the same connection that tells it (see _CERT_PROBLEMS), up to the last line
    of its chain: a sentence after the first of its reasoning, and the certificate's validity period and the CA that
    issued it (facts) where charon's lines name them."""
    if primary is None or primary.category != "auth_failure":
        return primary
    chain, streams, names = chain_scope(primary, events)
    if not chain:
        return primary
    last = max(e.order for e in chain)
    scope = [e for e in events if e.stream in streams and e.order <= last
             and not (names and (name := tunnel_name(e)) and name not in names)]
    found = next(((e, kind) for e in scope if (kind := _cert_problem(e))), None)
    if found is None:
        return primary
    ev, kind = found
    after = [e for e in scope if e.stream == ev.stream and e.order >= ev.order and e.kind == "cert_check"][:3]
    validity = next((e for e in after if e.values.get("valid_from")), None)
    period = f"{validity.values['valid_from']} - {validity.values['valid_to']}" if validity is not None else ""
    issuer = next((str(e.values["cert_issuer"]) for e in after if e.values.get("cert_issuer")), "")
    facts = dict(primary.facts)
    if period:
        facts["cert_validity"] = period
    if issuer:
        facts["cert_issuer"] = issuer
    # (the certificate reading says what the line means: the pattern's general explanation goes)
    rest = [r for r in primary.reasoning[1:] if not is_line_meaning(r)]
    reasoning = (*primary.reasoning[:1], _cert_reading(kind, ev.line, period, issuer), *rest)
    return dataclasses.replace(primary, reasoning=reasoning, facts=facts)
