"""Rule 1: a configuration failure proves the peer answers, so the earliest failing stage of the negotiation
wins over any timeout or retransmit."""

from __future__ import annotations

import re

from lab.analyzer.diagnosis.causes import CONFIG_STAGES, _primary, categories
from lab.analyzer.diagnosis.readings import (
    _FATAL_STATE,
    _NOTIFY_READINGS,
    _also,
    _echo,
    _notify_reading,
    _quick_mode_silence,
    _title,
    _version_reading,
    _who,
    line_meaning,
)
from lab.analyzer.diagnosis.recovery import _CHILD_GUESSES, same_tunnel
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    INFO_EXCHANGES,
    NOTIFY_MEANING,
    Event,
    exchange_words,
    name_value,
    version_of,
)
from lab.analyzer.protocol.names import CHILD_EXCHANGES
from lab.i18n import D, M, Mn, Msg

# pluto's line of a state ("conn" #3: ...), not of a connection being loaded
_STATE_SERIAL = re.compile(r'"[^"]*"(?:\[\d+\])?(?: [^\s#]+)? #\d+:')


# pluto's words for its own private key missing (ikev1_main.c, ikev2_auth.c, secrets.c across releases)
_OWN_KEY = re.compile(r"unable to locate my private key|Can't find the certificate or private key|can't find the "
                      r"private key|private key matching \S+ \"[^\"]*\" not found")


# charon's responder found no peer config for the peer's identity (and addresses, authentication method); Tencent's
# gateway in its own words.
_NO_PEER_CONFIG = re.compile(r"no matching peer config found|no peer config found")
# charon's authenticators (pubkey_authenticator.c): "no private key found for '<this side's identity>'"
_NO_PRIVATE_KEY = re.compile(r"no private key found for '([^']*)'")
# charon's authenticators (pubkey_authenticator.c): "no trusted RSA public key found for '<the peer's identity>'"
_NO_TRUSTED_KEY = re.compile(r"no trusted (?:\w+ )?public key found for '([^']*)'")
# charon's "no IKE config found for 198.51.100.10...203.0.113.9, sending NO_PROPOSAL_CHOSEN": this side's and the
# peer's addresses of the packet
_IKE_CONFIG_PAIR = re.compile(r"no IKE config found for (\S+?\.\.\.\S+?),")
# A pre-shared key that does not verify: the peer's AUTH payload (IKEv2) or HASH (IKEv1 Aggressive Mode) computed with
# another key than this side's.
_PSK_DIFFERS = re.compile(r"shared keys? for '[^']*' - '[^']*', but MAC mismatched|computed hash does not match hash "
                          r"received from peer|AUTH mismatch: Received AUTH != computed AUTH|\bHASH mismatch|"
                          # AWS's tunnel log; Cisco ASA 713902
                          r"detected a pre-shared key mismatch|decryption was unsuccessful due to invalid Pre-shared Key|"
                          r"probably due to mismatched pre-shared key")
# IKEv1 Main Mode messages 5 and 6 that do not decrypt: with a pre-shared key, most likely another key.
_V1_UNDECRYPTABLE = re.compile(r"invalid HASH_V1 payload length, decryption failed|could not decrypt payloads|"
                               # Cisco ASA 713902
                               r"Received encrypted (?:Oakley )?Main Mode packet with invalid payloads|"
                               r"mismatch of preshared secrets|length of ISAKMP (?:Hash|Identification) Payload is "
                               r"larger than can fit")


def _first_match(evs: list[Event], rx: re.Pattern[str]) -> tuple[Event, re.Match[str]] | None:
    """The first event whose line `rx` finds something in, with what it found."""
    return next(((e, m) for e in evs if (m := rx.search(e.text))), None)


# In IKEv1 a refused Quick Mode may be a selector mismatch too (Cisco IOS answers one with NO_PROPOSAL_CHOSEN): said
# after such a refusal, and left out where the proposals received and configured show what differs.
QUICK_MODE_SELECTORS_TOO = M(
    "In IKEv1 Quick Mode some gateways (Cisco IOS among them) answer an encryption-domain (crypto ACL, proxy ID) "
    "mismatch with the same NO_PROPOSAL_CHOSEN: if the transform sets and the PFS group match, compare the local and "
    "remote subnets both sides configured.")


def _id_sent(ev: Event, events: list[Event]) -> str:
    """The identity the peer sent, as `ev` names it or, failing that, as the last line of the same log before it that
    read the peer's identity does (pluto's "Peer ID is ...", charon's "looking for peer configs matching ...")."""
    if ev.values.get("id_sent"):
        return name_value(ev.values["id_sent"])
    read = [e for e in events if e.kind == "identity" and e.stream == ev.stream and e.order < ev.order
            and e.values.get("id_sent")]
    return name_value(read[-1].values["id_sent"]) if read else ""


def _own_key_missing(ev: Event) -> bool:
    """pluto could not find this side's own certificate or private key."""
    return ev.pattern == "lib-own-cert-missing" or (ev.fmt == "libreswan" and _OWN_KEY.search(ev.text) is not None)


def _no_own_key(ev: Event) -> bool:
    """charon found no pre-shared key of its own for the pair of identities ("no shared key found for A - B")."""
    return ev.pattern == "swan-psk-mac-mismatch" and "no shared key found" in ev.text


def _config_primary(
    cats: dict[str, list[Event]], context: dict[str, list[Event]], established: list[Event],
    events: list[Event], first_hand: set[str],
) -> tuple[bool, Primary | None]:
    """Rule 1: the earliest stage of the negotiation whose configuration failed (IKE version or mode,
    proposals, authentication, traffic selectors, IPsec mode), read with what came before and after it. Whether
    it decided, and the primary (None: the lines show no fault)."""
    ike_up: dict[int, int] = {}  # each log's first IKE SA set up (its order): the keys worked from then on
    for up in established:
        if up.sa == "ike":
            ike_up[up.stream] = min(up.order, ike_up.get(up.stream, up.order))
    for stage in CONFIG_STAGES:
        if stage not in cats or (first_hand and stage not in first_hand):
            continue
        evs = cats[stage]
        first = evs[0]
        if _echo(first) and (own := next((e for e in evs if _no_own_key(e) or _own_key_missing(e)), None)):
            # (both peers' logs: the side that has no key of its own for the other says so, the notifies both sides
            # print about the refusal are its echo, whichever comes first in the paste)
            first = own
        # (an IKEv1 notification travels in an informational exchange of its own: name the exchange it answers)
        # (not a Child SA exchange for a line about the IKE SA: that exchange was another tunnel's, running beside it)
        # (the exchange from the first line that names one: a side's own reading may not, its notify does)
        said = first if first.exchange or first.refers_to else evs[0]
        named = said.exchange if not (said.sa == "ike" and said.exchange in CHILD_EXCHANGES) else None
        where: Msg | str = (M(" in answer to {exchange}", exchange=exchange_words(said.refers_to))
                            if said.refers_to else M(" in {exchange}", exchange=exchange_words(named))
                            if named and named not in INFO_EXCHANGES else "")
        # IKEv1 Main Mode messages 5 and 6 that did not decrypt (see _V1_UNDECRYPTABLE): the peer answered, this side
        # could not read it (not after an ISAKMP SA came up: the keys worked then)
        undecryptable = next((e for e in context.get(stage, evs) if _V1_UNDECRYPTABLE.search(e.text)
                              and not e.values.get("ikev2_answer_unreadable")
                              and e.order < ike_up.get(e.stream, e.order + 1)), None) if stage == "auth_failure" else None
        # transport mode asked for and the SA granted in tunnel mode (protocol.sa_state._mode_mismatch): not a refusal
        granted_tunnel = stage == "ipsec_mode_mismatch" and first.values.get("mode_granted") == "tunnel"
        # (a missing own key or secret, or a mode granted otherwise: nobody refused anything the other side sent)
        who = "" if granted_tunnel or _no_own_key(first) or _own_key_missing(first) else _who(evs)
        generic_at = -1  # the length of the reasoning when it says nothing but the category (see below)
        reasoning = [M("Line {line}: {title}{where} ({lines}).{who}", line=first.line, title=_title(stage), where=where,
                       lines=Mn("{n} line", "{n} lines", len(evs)), who=who)]
        if stage == "auth_failure" and first.values.get("v1_info_answer"):
            # protocol.classify: an IKEv1 phase 1 that timed out after the peer sent an Informational instead of
            # the next phase 1 message
            reasoning.append(M(
                "Line {line}: the peer answered this side's phase 1 message with an Informational this side did not "
                "read, instead of the next phase 1 message, then phase 1 timed out. The peer is reachable and "
                "refused what this side sent, most likely because it could not verify this side's hash: with "
                "pre-shared keys the keys differ. Check the identity the peer expects as well.",
                line=first.values["v1_info_answer"]))
        elif stage == "auth_failure" and first.values.get("host_pair_remotes"):
            # protocol.outcomes: pluto's debug names the connections' peer addresses, and the request came from another
            reasoning.append(M(
                "Line {line}: no connection here is for the address the peer's {version} request came from: pluto "
                "compared it with its connections' peer addresses ({remotes}) and none is that address, so it found no "
                "connection, whatever the IKE version. Set right= of the connection for this peer to the address its "
                "packets come from (a public address that changed, the NAT device's address), then reload it.",
                line=first.line, version=first.values["ike_requested"], remotes=first.values["host_pair_remotes"]))
        elif stage == "auth_failure" and first.values.get("conn_for_version"):
            # protocol.classify: pluto found no connection for the peer's request, and every connection it added
            # allows that IKE version
            reasoning.append(M(
                "Line {line}: no connection here matches the peer's {version} request, although every connection "
                "this side added ({conns}) allows {version}: the versions agree. pluto picks the connection for the "
                "peer's first message by the two addresses, so none is for this peer's address. Check that the "
                "connection for the peer has the address its packets come from as right= (behind NAT, the NAT "
                "device's public address) and this side's own as left=, and that it is loaded (ipsec status).",
                line=first.line, version=first.values["ike_requested"], conns=first.values.get("conn_versions", "")))
        elif stage == "auth_failure" and first.values.get("ike_requested"):
            # protocol.classify: charon's "no IKE config found" for a request of this IKE version
            reasoning.append(M(
                "Line {line}: no connection here matches the peer's {version} request. charon matches a connection by "
                "both addresses and the IKE version: check that local_addrs/remote_addrs (left/right) are the "
                "addresses the packets use, and that this side's connection for the peer allows {version} (the other "
                "side may run the other version).", line=first.line, version=first.values["ike_requested"]))
        elif stage == "auth_failure" and first.values.get("ikev2_answer_unreadable"):
            # protocol.outcomes: charon cannot read the peer's answer to IKE_AUTH
            reasoning.append(M(
                "Line {line}: this side could not read the peer's answer to its IKE_AUTH request. In IKEv2 the IKE SA's "
                "encryption keys come from the DH exchange, not from the pre-shared key, so this is no key that "
                "differs: the peer answered in the clear (\"payload type NOTIFY was not encrypted\"), with an error "
                "notification it sends when it cannot process the request under the IKE SA. Either the IKE_AUTH "
                "request, sent to UDP 4500 and often in fragments, reached a host or process that has no IKE SA for it "
                "(a NAT or port forward that treats UDP 4500 apart from UDP 500), or the peer could not reassemble or "
                "decrypt it. The peer's log for that exchange names its error.", line=first.line))
        elif stage == "auth_failure" and first.values.get("repeats_to_end"):
            # protocol.unanswered._v1_repeats_to_the_end
            reasoning.append(M(
                "Line {line}: the peer sent its previous phase 1 answer again instead of the next one ({times}, also "
                "right after this side sent its message again, up to the end of the log): it gets this side's first "
                "encrypted message but cannot decrypt or verify it. With pre-shared keys the encryption keys derive "
                "from the key, so the two sides hold different keys.", line=first.values["v1_repeat"],
                times=Mn("{n} time", "{n} times", first.values["repeats_to_end"])))
        elif stage == "auth_failure" and first.values.get("v1_repeat"):
            reasoning.append(M(
                "Line {line}: the peer sent its previous phase 1 answer again instead of the next one: it got this "
                "side's first encrypted message but could not decrypt or verify it, then phase 1 timed out. With "
                "pre-shared keys the encryption keys derive from the key, so the two sides hold different keys.",
                line=first.values["v1_repeat"]))
        elif undecryptable is not None:
            # charon "invalid HASH_V1 payload length, decryption failed?" / "could not decrypt payloads", pluto
            # "probable authentication failure (mismatch of preshared secrets?)", "... Hash Payload is larger than can
            # fit"
            reasoning.append(M(
                "Line {line}: this side could not decrypt the peer's encrypted IKEv1 message (Main Mode's fifth or "
                "sixth): with pre-shared keys the encryption keys are derived from the key, so most likely the two "
                "sides hold different pre-shared keys. Set the same key on both sides; on AWS each tunnel has its own "
                "pre-shared key, so use this tunnel's.", line=undecryptable.line))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "MAIN_MODE":
            reasoning.append(M("The peer answered Main Mode's first exchanges, so it is reachable on UDP 500."))
        elif stage == "auth_failure" and first.values.get("auth_answered"):
            # protocol.classify: the responder answered the peer's IKE_AUTH, then its negotiation timed out
            reasoning.append(M(
                "Line {answer}: this side answered the peer's IKE_AUTH, then heard nothing more from it until the "
                "negotiation timed out (line {line}). The peer is reachable (its IKE_AUTH arrived) and did not go on: "
                "most likely it could not verify this side's authentication (a pre-shared key or certificate it does "
                "not accept) and gave up without saying so. Compare the keys and identities on both sides; if this "
                "side's answer is large (certificates), dropped IP fragments end the same way.",
                answer=first.values["auth_answered"], line=first.line))
        elif stage == "auth_failure" and first.values.get("deleted_at_once") and first.stamp is None:
            # protocol.refusals._deleted_right_after_authentication, a paste without time stamps: the initiator's first
            # message after this side's last answer deleted the IKE SA
            reasoning.append(M(
                "Line {up}: this side answered the peer's authentication (IKE_AUTH, or Main Mode's last message) and "
                "the IKE SA came up; line {line}: the peer deleted it in the first request it sent after that (the lines "
                "have no time stamps to say how soon). An initiator that cannot accept the responder's "
                "authentication ends the IKE SA this way (IKEv2: RFC 7296 section 2.21.2): most likely it expects another "
                "identity or does not trust this side's certificate. Its own log names the refusal; compare the "
                "identity it expects (rightid / remote id) with the one this side sends.",
                up=first.values["deleted_at_once"], line=first.line))
        elif stage == "auth_failure" and first.values.get("deleted_at_once"):
            # protocol.refusals._deleted_right_after_authentication: the initiator deleted the IKE SA this side had just set up
            reasoning.append(M(
                "Line {up}: this side answered the peer's authentication (IKE_AUTH, or Main Mode's last message) and "
                "the IKE SA came up; line {line}: the peer "
                "deleted it less than two seconds later. An initiator that cannot accept the responder's "
                "authentication ends the IKE SA this way (IKEv2: RFC 7296 section 2.21.2): most likely it expects another "
                "identity or does not trust this side's certificate. Its own log names the refusal; compare the "
                "identity it expects (rightid / remote id) with the one this side sends.",
                up=first.values["deleted_at_once"], line=first.line))
        elif stage == "auth_failure" and first.values.get("main_mode_answer_refused"):
            # protocol.refusals._main_mode_answer_refused: IKEv1, the initiator did not accept this side's last Main Mode answer
            reasoning.append(M(
                "Line {line}: right after this side's last Main Mode answer set the ISAKMP SA up, the peer sent a "
                "message this side cannot read instead of going on to Quick Mode. This side could decrypt the "
                "peer's messages, so the pre-shared keys (or certificates) agree; the peer did not accept this "
                "side's answer: most likely it expects another identity from this side. Its own log names the "
                "refusal; compare the identity it expects (rightid / remote id) with the one this side sends.",
                line=first.line))
        elif stage == "auth_failure" and first.pattern == "swan-credential-load-failed":
            reasoning.append(M(
                "Line {line}: charon could not load a certificate or private key it was configured with, before any "
                "negotiation: certificates issued by a CA that did not load cannot be verified, and without its own "
                "certificate or key this side cannot authenticate. Fix the file (its format, a critical extension "
                "charon does not support, the key's passphrase) and load the credentials again.", line=first.line))
        elif first.values.get("transforms") or first.values.get("invalid_key_length") or _quick_mode_silence(
            stage, first
        ):
            # a guess from a Quick Mode the peer left unanswered (protocol.classify): phase 1 did complete
            reasoning.append(M("Phase 1 completed with this peer, so the path works: the silence in phase 2 points at "
                               "configuration."))
        elif stage == "phase1_proposal_mismatch" and first.notify == "INVALID_KE_PAYLOAD" and first.values.get("guess"):
            reasoning.append(M(
                "Line {line}: this side asked the peer to start again with another DH group (INVALID_KE_PAYLOAD, RFC "
                "7296 section 1.2). That is the normal first round when the two sides' first choices differ: it is a "
                "mismatch only if the peer never comes back with that group (no new IKE_SA_INIT from it, or the same "
                "refusal again). Compare the DH groups both sides allow.", line=first.line))
        elif stage == "auth_failure" and first.values.get("xauth_unanswered"):
            # protocol.negotiation._xauth_unanswered
            reasoning.append(M(
                "Line {line}: this side, the XAUTH server, sent its user name and password request and the peer never "
                "answered it. pluto sends that request only after Main Mode authenticated both sides, so the peer is "
                "reachable and the pre-shared key matched: the client is not set up for XAUTH (an IKEv1 profile "
                "without it, or L2TP/IPsec where the server expects \"IPsec Xauth PSK\"), or its user never entered "
                "the credentials. Check the client's VPN type and its XAUTH user name and password.", line=first.line))
        elif stage == "auth_failure" and all(e.pattern == "lib-xauth-failed" for e in evs):
            # ikev1_xauth.c: XAUTH runs after phase 1 authenticated both gateways; its failure is the user's
            pam = next((e for e in evs if "PAM:" in e.text), None)
            reasoning.append(M(
                "Line {line}: XAUTH, the user authentication that runs after phase 1 has authenticated both sides, "
                "failed: the user name and password, or the server's user database (PAM, RADIUS), are what to check, "
                "not the pre-shared key or the certificates.", line=first.line))
            if pam is not None and "ABORTED" in pam.text:
                reasoning.append(M(
                    "Line {line}: the server's PAM check did not finish in time (ABORTED): the user database behind "
                    "it (a RADIUS or LDAP server) answered too slowly or not at all.", line=pam.line))
        elif stage == "auth_failure" and _own_key_missing(first) and _STATE_SERIAL.search(first.text):
            # (a state's line: pluto looked for its own key while negotiating, the connection was loaded)
            reasoning.append(M(
                "Line {line}: while negotiating, this side could not find its own private key (the one its "
                "certificate or RSA key names) in its NSS database, so it cannot authenticate itself: the peer is not "
                "the cause. Import the key into this side's NSS database, or correct the connection's certificate or "
                "key setting (leftcert, leftrsasigkey / CKAID).", line=first.line))
        elif stage == "auth_failure" and ("failed to add connection" in first.text or (
                first.pattern == "lib-own-cert-missing" and "private key not found" not in first.text)):
            # (pluto names the connection's own certificate missing when it loads it: no negotiation took place)
            reasoning.append(M(
                "Line {line}: pluto could not load the connection, so nothing was negotiated with the peer: fix what "
                "the line names on this side (a certificate that expired or is missing, a key of another type than "
                "the connection needs) and load the connection again.",
                line=first.line))
        elif first.pattern in ("lib-conn-ike-alg-unsupported", "lib-conn-child-alg-unsupported"):
            reasoning.append(M(
                "Line {line}: pluto refused the connection's own proposal when it loaded it, before any negotiation: "
                "with no usable proposal this side cannot answer (or start) the negotiation, so the peer sees "
                "silence or a refusal.", line=first.line))
        elif stage == "auth_failure" and (timeout := next(
                (e for e in evs if e.values.get("reason") == "FNBAM_TIMEOUT"
                 or e.pattern == "fgt-fnbamd-server-timeout"), None)) is not None:
            # fgt-xauth-failed / fgt-eap-failed: FortiOS's authentication daemon timed out on the remote server
            if timeout.pattern == "fgt-fnbamd-server-timeout":
                # fnbamd's own debug line ("__rad_conn_timeout-Connction with ... timed out"), before any result
                reasoning.append(M(
                    "Line {line}: the FortiGate's authentication daemon (fnbamd) got no answer from the RADIUS server "
                    "it asked to check the user: the user's XAuth or EAP credentials were not checked, so as far as "
                    "these lines show this is not a wrong password. Check that the RADIUS server is reachable from the "
                    "FortiGate (the source address it uses, firewalls on the way), that it answers within the "
                    "FortiGate's remote authentication timeout, and that it knows the FortiGate as a client (RFC 2865 "
                    "section 2: a RADIUS server silently discards requests from a client it shares no secret with).",
                    line=timeout.line))
            else:
                reasoning.append(M(
                    "Line {line}: the FortiGate's authentication daemon (fnbamd) got no answer from the authentication "
                    "server (FNBAM_TIMEOUT): the user's XAuth or EAP credentials were never checked, so this is not a "
                    "wrong password. Check that the RADIUS or LDAP server is reachable from the FortiGate (the source "
                    "address it uses, firewalls on the way), that it answers within the FortiGate's remote "
                    "authentication timeout, and that it knows the FortiGate as a client (RFC 2865 section 2: a RADIUS "
                    "server silently discards requests from a client it shares no secret with).", line=timeout.line))
        elif stage == "auth_failure" and (fnbam := next(
                (e for e in evs if e.values.get("reason") in ("FNBAM_DENIED", "FNBAM_ERROR")), None)) is not None:
            # fgt-xauth-failed / fgt-eap-failed: the authentication daemon's verdict on the user
            if fnbam.values["reason"] == "FNBAM_DENIED":
                reasoning.append(M(
                    "Line {line}: the FortiGate's authentication daemon (fnbamd) refused the user (FNBAM_DENIED): the "
                    "user name or password is wrong for the local user, LDAP or RADIUS server, or the user is not in "
                    "the user group the phase 1 allows. Phase 1 itself authenticated; check the user's credentials "
                    "and group.", line=fnbam.line))
            else:
                reasoning.append(M(
                    "Line {line}: the FortiGate's authentication daemon (fnbamd) could not complete the user check "
                    "(FNBAM_ERROR): no usable authentication server or user for this phase 1's group, or the LDAP or "
                    "RADIUS server's name did not resolve or it could not be reached. Check the user group, the server "
                    "settings, and DNS and reachability from the FortiGate.", line=fnbam.line))
        elif first.pattern == "fgt-event-progress-p2-failure":
            reasoning.append(M(
                "Line {line}: FortiOS logged a step of the phase 2 negotiation as failed (message 37130, "
                "result=ERROR) without saying why. Phase 2 proposals that differ (encryption, integrity, PFS group) are "
                "the most common cause, then phase 2 selectors (subnets) that differ: the 37125 \"IPsec phase 2 "
                "error\" line next to it, or the output of \"diagnose debug application ike -1\", names the reason.", line=first.line))
        elif stage == "auth_failure" and _no_own_key(first):
            # charon's "no shared key found for A - B" (psk_authenticator.c / IKEv1 PSK): this side's own lookup found
            # no secret for the pair; nothing the peer sent was refused
            reasoning.append(M(
                "Line {line}: this side has no pre-shared key for this pair of identities, so it cannot go on whatever "
                "the peer sends: its secrets (ipsec.secrets, or the secrets of swanctl.conf) have none for them, or "
                "were not read. Add the key for these identities, or correct the identities, and load the secrets "
                "again.", line=first.line))
        elif stage == "auth_failure" and (ids := next(
                ((e, sent) for e in evs if e.values.get("id_expected") and (sent := _id_sent(e, events))), None)):
            # charon "received IDr X, but require Y", pluto "peer ID ... does not match expected 'Y'" (the identity it
            # sent as pluto's "Peer ID is ..." line before it writes it)
            reasoning.append(M(
                "Line {line}: the peer identified itself as {sent}, but this side expects {expected} for it. Set the "
                "peer ID this side expects (rightid, the remote ID) to the one the peer sends, or have the peer send "
                "{expected} (its leftid or local ID; with certificates, the subject or a subjectAltName of its "
                "certificate).", line=ids[0].line, sent=ids[1], expected=name_value(ids[0].values["id_expected"])))
        elif stage == "auth_failure" and (no_config := _first_match(evs, _NO_PEER_CONFIG)) is not None:
            unmatched = no_config[0]
            # charon's responder found no connection (peer config) for the peer's IKE_AUTH or Main Mode ID; Tencent's
            # gateway says the same ("no peer config found by ID payload")
            if sent := _id_sent(unmatched, events):
                reasoning.append(M(
                    "Line {line}: this side has no connection for the identity the peer sent ({sent}) together with "
                    "its addresses and its authentication method. Set this side's remote ID for the peer (rightid, "
                    "remote id; strongSwan takes the peer's IP address when none is set) to {sent}, or have the peer "
                    "send the identity this side expects; both sides must also use the same authentication method "
                    "(pre-shared key or certificates).", line=unmatched.line, sent=sent))
            else:
                reasoning.append(M(
                    "Line {line}: this side has no connection for the identity the peer sent together with its "
                    "addresses and its authentication method. Compare the identity the peer sends (its leftid, local "
                    "ID) with the remote ID this side expects for it (rightid, remote id; strongSwan takes the peer's "
                    "IP address when none is set); both sides must also use the same authentication method "
                    "(pre-shared key or certificates).", line=unmatched.line))
        elif stage == "auth_failure" and (no_key := _first_match(evs, _NO_PRIVATE_KEY)) is not None:
            # charon's pubkey authenticator: no private key for this side's own identity, so it cannot sign its AUTH
            reasoning.append(M(
                "Line {line}: this side has no private key for its own identity ({identity}), so it cannot sign its "
                "authentication and stops whatever the peer sends. Load the private key that belongs to this side's "
                "certificate (strongSwan: swanctl/private, or an RSA or ECDSA line in ipsec.secrets), or set this "
                "side's identity (leftid, local id) to the one its certificate and key are for.", line=no_key[0].line,
                identity=no_key[1].group(1)))
        elif stage == "auth_failure" and (untrusted := _first_match(evs, _NO_TRUSTED_KEY)) is not None:
            # charon's pubkey authenticator: no public key it trusts for the identity the peer claims
            reasoning.append(M(
                "Line {line}: this side found no trusted public key for the peer's identity ({identity}): no "
                "certificate it trusts carries that identity. Check that this side holds the CA certificate that "
                "issued the peer's certificate, that the peer sends its certificate, and that the identity this side "
                "expects for the peer (rightid, remote id) is in that certificate, as its subject or a subjectAltName.",
                line=untrusted[0].line, identity=untrusted[1].group(1)))
        elif stage == "auth_failure" and (no_ike := next((e for e in evs if e.pattern == "swan-no-ike-config"), None)):
            # charon's responder: no connection names the address pair the peer's first message came from and went to
            # (ike_cfg lookup by addresses and IKE version), answered NO_PROPOSAL_CHOSEN before any algorithm was read
            pair = _IKE_CONFIG_PAIR.search(no_ike.text)
            reasoning.append(M(
                "Line {line}: no connection on this side is configured for the addresses the peer's first IKE message "
                "came from and went to ({pair}), so this side answered NO_PROPOSAL_CHOSEN without comparing any "
                "algorithm: the peer sees a proposal mismatch. Check this side's local and remote addresses (left and "
                "right; local_addrs and remote_addrs) against where the peer's packets really come from and go to (a "
                "peer behind NAT sends from the NAT's public address; a wrong public IP; another interface), and that "
                "the connection for the peer allows the IKE version it uses.", line=no_ike.line,
                pair=pair.group(1) if pair else "?"))
        elif stage == "auth_failure" and (differs := _first_match(evs, _PSK_DIFFERS)) is not None:
            psk = differs[0]
            # charon "tried 1 shared key for A - B, but MAC mismatched" (IKEv2), pluto "computed hash does not match
            # hash received from peer" (IKEv2), pluto 3.x "AUTH mismatch", racoon "HASH mismatch"
            reasoning.append(M(
                "Line {line}: the peer's authentication does not verify with this side's pre-shared key, so the two "
                "sides hold different pre-shared keys for this tunnel, or this side picked the key of another peer (check "
                "the IDs the key is configured for). Set the same key on both sides; on AWS each tunnel has its own "
                "pre-shared key, so use this tunnel's.", line=psk.line))
        elif granted_tunnel:
            reasoning.append(M(
                "Line {line}: this side asked for transport mode (USE_TRANSPORT_MODE in its request) and the peer's "
                "answer does not carry it, so the Child SA is a tunnel-mode SA (RFC 7296 section 1.3.1) and it came "
                "up in tunnel mode. Nothing was refused: the two sides are configured for different modes (transport "
                "here, tunnel on the peer). Set the same type (tunnel or transport) on both sides.", line=first.line))
        elif stage == "auth_failure" and first.direction == "received" and all(map(_echo, evs)):
            # only the peer's refusal (AUTHENTICATION_FAILED, INVALID_ID_INFORMATION ...): its reason is in its log.
            # AWS's tunnel log names a pre-shared key mismatch ("AWS tunnel detected a pre-shared key mismatch with
            # cgw", "... payload decryption was unsuccessful due to invalid Pre-shared Key": the fact sheet, log contents)
            reasoning.append(M(
                "Line {line}: the peer refused this side's authentication, and its notification does not say why: a "
                "pre-shared key that differs, an identity it does not expect from this side, or a certificate it "
                "cannot verify. The peer's own log names it; when the peer is AWS, the tunnel's log in CloudWatch "
                "Logs (with tunnel logging on) says which, a pre-shared key mismatch among them.", line=first.line))
        elif stage in ("phase1_proposal_mismatch", "phase2_proposal_mismatch") and first.direction == "received" and (
                all(map(_echo, evs))):
            # only the peer's refusal (NO_PROPOSAL_CHOSEN): which part differs is in its log; AWS's tunnel log says "No
            # Proposal Match Found" (the fact sheet, log contents), its tunnel options list what it accepts
            reasoning.append(M(
                "Line {line}: the peer refused this side's proposals, and its notification does not say which part "
                "differs: compare the encryption, integrity and PRF algorithms and the DH group both sides allow (for "
                "phase 2 also the PFS group). The peer's own log names it; when the peer is AWS, the tunnel's log in "
                "CloudWatch Logs says that no proposal matched, and the tunnel options list the algorithms and groups "
                "AWS accepts.", line=first.line))
        elif stage == "traffic_selector_mismatch":
            # AWS: the VPN connection's local and remote IPv4 network CIDRs default to 0.0.0.0/0; a policy-based device
            # is limited to one SA pair per tunnel (the fact sheet, VpnConnectionOptionsSpecification and the customer
            # gateway requirements)
            reasoning.append(M(
                "A negotiation failure means the peer answered, so the path works: the traffic selectors (leftsubnet / "
                "rightsubnet, proxy IDs, the encryption domain) of the two sides must mirror each other, this side's "
                "local subnets being the peer's remote ones and the reverse. An AWS VPN connection uses 0.0.0.0/0 on "
                "both sides unless its local and remote IPv4 network CIDRs are set; a policy-based device must match "
                "them, with one pair of SAs per tunnel."))
        elif first.pattern == "swan-ike-version-unsupported" or (
                first.pattern == "swan-ke-unsupported" and "configured " in first.text):
            # charon's own build lacks the IKE version (ike_sa.c: for its own connection or a peer's message) or the
            # DH group its configuration names (before it sends anything): the peer's answer says nothing here
            reasoning.append(M("This side's own software lacks what the negotiation needs (charon built without that "
                               "IKE version, or without a plugin for the configured DH group). Fix it on this side: "
                               "its build, plugins or configuration, or have both sides use what it supports."))
        else:
            reasoning.append(M("A negotiation failure means the peer answered, so the path works: this is configuration."))
            generic_at = len(reasoning)  # (nothing more specific said yet)
        if stage == "ike_mode_mismatch" and first.notify == "UNSUPPORTED_EXCHANGE_TYPE":
            reasoning.append(M(
                "The peer answered this side's Aggressive Mode with UNSUPPORTED-EXCHANGE-TYPE (RFC 2408): it does not "
                "accept Aggressive Mode. Use Main Mode on both sides (AWS accepts Main Mode only with IKEv1)."))
        if stage in ("ike_mode_mismatch", "auth_failure") and first.pattern == "swan-none-allows-mode":
            reasoning.append(M(
                "charon found a connection for this peer, but none that allows {method} authentication in {mode} Mode: "
                "either the peer uses the other IKEv1 mode (Aggressive against Main), or another authentication method "
                "than the connection (certificates against a pre-shared key). Compare both settings on the two sides.",
                method=first.values.get("reason", ""), mode=first.values.get("exchange", "")))
        if stage == "ike_mode_mismatch" and first.values.get("am_first_refused"):
            reasoning.append(M(
                "The peer refused this side's first Aggressive Mode message with AUTHENTICATION_FAILED. That message "
                "carries no hash, so no pre-shared key was compared yet: the peer does not accept Aggressive Mode "
                "(AWS accepts Main Mode only with IKEv1), or it knows no connection for the identity sent in it. "
                "Use Main Mode on both sides."))
        version = _version_reading(first) if stage == "ike_version_mismatch" else None
        if version is not None:
            reasoning.append(version)
        if first.values.get("notify_protocol"):
            # protocol: the Protocol-ID of the notification in pluto's debug dump (exchanges._pluto_notify_protocols)
            reasoning.append(M(
                "Line {line}: the notification's Protocol-ID is {protocol}: it is about an IPsec SA, phase 2 (RFC "
                "2408 section 3.14), also where the paste does not show the Quick Mode it answers.",
                line=first.values.get("notify_protocol_line", first.line), protocol=first.values["notify_protocol"]))
        if (stage == "phase2_proposal_mismatch" and first.direction == "received" and version_of(first) == 1
                and NOTIFY_MEANING.get(first.notify or "") == "no_proposal"):
            # Cisco IOS refuses a Quick Mode whose proxy IDs match no crypto ACL with "phase 2 SA policy not
            # acceptable" and sends the initiator the same NO_PROPOSAL_CHOSEN as for a transform mismatch
            # (corpus excerpts cisco-ios-v1-hub-phase2-policy-not-acceptable-crypto-acl and its spoke's side).
            reasoning.append(QUICK_MODE_SELECTORS_TOO)
        if stage == "auth_failure" and first.pattern in ("lib-auth-exchange-fatal", "lib-v1-state-fatal") and (
                state := _FATAL_STATE.search(first.text)):
            # protocol: pluto's fatal error in an authentication step, no reason on the line (a guess)
            reasoning.append(M(
                "Line {line}: pluto ended the negotiation for good in {state}, an authentication step, and this line "
                "gives no reason. In the full log the lines just before it name it: the peer's AUTHENTICATION_FAILED, "
                "a certificate or identity this side could not verify, a missing or different pre-shared key, or "
                "(XAUTH) a user name and password the server refused. Paste the lines "
                "above it to confirm; a refusal there that names something else (a proposal, the traffic selectors) "
                "outweighs this reading.", line=first.line, state=state.group(1)))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "MAIN_MODE" and (
                undecryptable is None):
            # pluto's "Possible authentication failure: no acceptable response to our first encrypted message" is a
            # guess from silence. RFC 3947 section 4: with NAT-T the initiator moves to UDP 4500 from Main Mode's
            # message 5 on, the first encrypted one; with certificates it is also the largest.
            reasoning.append(M(
                "pluto only guesses here: the peer never answered this side's first encrypted Main Mode message. "
                "Differing pre-shared keys are the usual cause, but the same silence follows when UDP 4500 is blocked "
                "(with NAT traversal this is the first message sent to port 4500) or when the message carries "
                "certificates and its IP fragments are dropped: check those too if the keys match."))
        elif stage == "auth_failure" and first.values.get("guess") and first.exchange == "IKE_AUTH":
            # libreswan 3.x prints the same guess for IKEv2's IKE_AUTH (protocol: lib-timeout-auth, weak there)
            reasoning.append(M(
                "pluto only guesses here: its IKE_AUTH request got no answer it could use. In IKEv2 a peer that "
                "cannot verify this side's authentication answers with AUTHENTICATION_FAILED, so silence points as "
                "much at the path: IKE_AUTH is the largest message (certificates), sent as IP fragments, and with NAT "
                "traversal the first one to UDP 4500. Check that fragments and UDP 4500 pass (or turn on IKE "
                "fragmentation), then the pre-shared key or certificate."))
        if _quick_mode_silence(stage, first) and first.values.get("remote_access"):
            # A remote-access client (XAUTH / ModeCFG before the Quick Mode) proposes the address it got or brings.
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. This side is a remote-access client (XAUTH / "
                "ModeCFG): its Quick Mode proposes the address it was given, or brings, as its subnet, and a server "
                "refuses an address it did not lease or one already in use with a notification this log does not "
                "show. Check the server's address pool and this client's subnet settings; if they are right, compare "
                "the phase 2 proposals and the PFS group of both sides."))
        elif _quick_mode_silence(stage, first) and (first.fmt != "libreswan" or first.values.get("still_unanswered")):
            if first.values.get("still_unanswered"):  # protocol.unanswered._quick_mode_still_unanswered
                reasoning.append(M("Line {line}: this side's Quick Mode was sent again {times} and got no answer up to "
                                   "the end of the log.", line=first.line,
                                   times=Mn("{n} time", "{n} times", first.values["still_unanswered"])))
            # (RFC 2409 section 5.5 leaves the refusal notify optional; charon gives up without a guess of its own)
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. A responder refuses a Quick Mode it cannot accept "
                "with a notification (NO_PROPOSAL_CHOSEN for the transforms or the PFS group, INVALID_ID_INFORMATION "
                "for the subnets) that this log does not show, or with none at all: compare the phase 2 transforms "
                "and the PFS group of both sides; if they match, compare the subnets (proxy IDs) both sides "
                "configured."))
        elif _quick_mode_silence(stage, first):
            # RFC 2409 section 5.5 leaves the refusal notify optional; libreswan sends it encrypted (ikev1.c)
            reasoning.append(M(
                "The peer never answered this side's Quick Mode. A responder refuses a Quick Mode it cannot accept "
                "with a notification (NO_PROPOSAL_CHOSEN for the transforms or the PFS group, INVALID_ID_INFORMATION "
                "for the subnets) that this log does not show, or with none at all. pluto's own line guesses the "
                "proposals (\"perhaps peer likes no proposal\"): compare the phase 2 transforms and the PFS group of "
                "both sides; if they match, compare the subnets (proxy IDs) both sides configured."))
        if first.notify in _NOTIFY_READINGS:
            reasoning.append(_notify_reading(first))
        if stage == "ipsec_mode_mismatch" and first.values.get("modes"):
            # protocol.refusals._modes_differ_across_sides: both peers' logs, the same SA up in two modes
            reasoning.append(M(
                "Line {line}: the two logs show the same IPsec SA (one side's outbound SPI is the other's inbound) "
                "up in a different mode on each side ({modes}): IKEv1 lets each side keep its own configured mode, so neither complains, but "
                "the traffic is encapsulated one way and expected the other. Set the same type (tunnel or transport) "
                "on both sides.", line=first.line, modes=first.values["modes"]))
        if stage == "ipsec_mode_mismatch" and first.values.get("mode_requested") == "transport":
            # protocol.classify: the peer's request carried N(USE_TRANSPORT_MODE), the SA came up in tunnel mode
            reasoning.append(M(
                "Line {line}: the peer asked for transport mode (USE_TRANSPORT_MODE in its request) and this side set "
                "the SA up in tunnel mode, as its connection says (type=tunnel); libreswan 5 does that without a "
                "word. A peer that requires transport mode deletes such an SA and tries again. Set the same type "
                "(tunnel or transport) on both sides.", line=first.line))
        if stage == "phase2_proposal_mismatch" and first.values.get("transforms"):
            # libreswan's compress= (configs/d.ipsec.conf/conn/compress.xml): "For IKEv1, compress settings on both
            # peers must match." The initiator's log reads the same when the responder has no connection for the
            # offered subnets (libreswan test linux-audit-03-ipsec-fail-ikev1, with compress=yes).
            reasoning.append(M(
                "The peer never answered this side's Quick Mode, and the offer asks for {transforms}: in IKEv1 both "
                "sides must be configured for it (libreswan: the compress settings of both peers must match). If the "
                "peer is, compare the subnets (proxy IDs) both sides configured: a responder with no connection for "
                "the offered subnets stays silent too.", transforms=first.values["transforms"]))
        if (stage == "phase1_proposal_mismatch" and first.direction != "sent" and first.exchange == "IKE_SA_INIT"
                and NOTIFY_MEANING.get(first.notify or "") == "no_proposal"):
            # A responder answers an IKE_SA_INIT with NO_PROPOSAL_CHOSEN also when it has no IKEv2 connection for
            # this peer at all, before comparing any proposal: libreswan 3.x (connections.c,
            # ikev2_find_host_connection) and strongSwan ("no IKE config found for ..., sending NO_PROPOSAL_CHOSEN").
            reasoning.append(M(
                "A responder also answers IKE_SA_INIT with NO_PROPOSAL_CHOSEN when it has no IKEv2 connection for this "
                "peer's address at all (libreswan 3.x, strongSwan): if the proposals match, check that the peer has a "
                "connection for this address and accepts IKEv2 on it."
            ))
        if len(reasoning) == generic_at and (meaning := line_meaning(first)) is not None:
            reasoning.append(meaning)  # (no reading of its own: what the line means, in its pattern's words)
        later = [e for e in events if e.order > first.order and e.category in ("peer_unreachable", "dpd_timeout")]
        if later:
            reasoning.append(M(
                "The retransmits and timeouts after it are a consequence: once a peer rejects the "
                "negotiation it stops answering, so they do not point at reachability."
            ))
        # a Child SA stage is answered by a Child SA established after it; an IKE SA set up again is not the fix
        up_again = [e for e in established
                    if e.order > evs[-1].order and (stage not in _CHILD_GUESSES or e.sa == "child")
                    and same_tunnel(e, evs[-1])]  # (another tunnel's SA coming up says nothing about this one)
        if up_again and not first.values.get("ike_refused") and not granted_tunnel:
            reasoning.append(M("An SA was established again at line {line}: the fix may already be in.",
                               line=up_again[-1].line))
        reasoning += _also(cats, stage)
        summary = M("{title}: the tunnel cannot be negotiated until both sides agree.",
                    title=D("category.title", categories()[stage].title))
        if granted_tunnel:
            summary = M("IPsec mode mismatch: this side asked for transport mode and the SA came up in tunnel mode.")
        if stage == "ike_version_mismatch" and first.values.get("ike_refused"):
            summary = M("{title}: the peer answers only {answered}; this side's {refused} attempts failed first.",
                        title=D("category.title", categories()[stage].title),
                        answered=first.values.get("ike_answered", ""), refused=first.values["ike_refused"])
        return True, _primary(stage, summary, reasoning, context[stage], reading=first)
    return False, None
