"""Rule 3: a rekey that went wrong (refused, unanswered, colliding, SAs out of step) and what it led to."""

from __future__ import annotations

import re

from lab.analyzer.diagnosis.causes import _STALE_SPI, _primary
from lab.analyzer.diagnosis.readings import _NOTIFY_READINGS, _also, _notify_reading, _rekey_lead
from lab.analyzer.diagnosis.recovery import _is_refusal, _later, _silence_guess
from lab.analyzer.model import Primary
from lab.analyzer.protocol import (
    Event,
    pfs_groups,
)
from lab.i18n import M

_CROSSED = re.compile(r"CREATE_CHILD_SA message response with Message ID \d+ has no matching SA")
# charon's kernel interface (kernel_netlink_ipsec.c add_policy): a policy with the same selectors is installed for
# another reqid, so this Child SA's policy is refused
_SAME_POLICY = re.compile(r"unable to install policy (?P<ts>\S+ === \S+) (?:in|out|fwd) for reqid (?P<mine>\d+), the "
                          r"same policy for reqid (?P<other>\d+) exists")


def _rekey_primary(
    again: list[Event], cats: dict[str, list[Event]], context: dict[str, list[Event]], events: list[Event],
    liveness: dict[str, list[Event]], rekey_failure: Event | None, rekey_first: bool, trouble: Event | None,
) -> tuple[bool, Primary | None]:
    """Rule 3: a rekey that went wrong (refused, unanswered, colliding, SAs out of step) and what it led to.
    Whether it decided, and the primary (None: no fault)."""
    if "rekey_issue" in cats:
        evs = cats["rekey_issue"]
        reasoning = [
            M("Line {line}: rekeying went wrong ({count}×): a collision, a failed rekey or SAs out of step.",
              line=evs[0].line, count=len(evs)),
        ]
        conflict = next((m for e in evs if e.pattern == "swan-install-failed" and (m := _SAME_POLICY.search(e.text))),
                        None)
        if conflict is not None:
            line = next(e.line for e in evs if conflict.string is e.text)
            reasoning.append(M(
                "Line {line}: the kernel already holds a policy for these subnets ({selectors}) under another Child "
                "SA (reqid {other}), so the new Child SA's policy (reqid {mine}) could not be installed and the new "
                "Child SA carries no traffic. Two Child SAs with different reqids carry the same traffic selectors: two "
                "connections (or a duplicate IKE SA) with identical subnets, or, when it happens on a rekey, a rekeyed "
                "Child SA that got a reqid of its own instead of its predecessor's (strongswan/strongswan#1150, "
                "against a Cisco ASA). Give each connection its own subnets, close the duplicate, or check the "
                "strongSwan release for that issue.", line=line, selectors=conflict.group("ts"),
                mine=conflict.group("mine"), other=conflict.group("other")))
        if any(e.kind == "rekey_collision" for e in evs):
            reasoning.append(M("Collisions are resolved by the protocol, but repeated ones point at matching lifetimes "
                               "and rekey margins on both sides, or a side that rekeys too eagerly."))
        # pluto: the answer to a CREATE_CHILD_SA arrived for an SA that no longer waits for it ("message response ...
        # has no matching SA"), then the request timed out: two exchanges on one IKE SA crossed
        crossed = next((e for e in evs if e.pattern == "lib-no-matching-sa" and _CROSSED.search(e.text)), None)
        timed_out = None if crossed is None else next(
            (e for e in evs if e.kind == "give_up" and e.order > crossed.order), None)
        stale = None if timed_out is not None else next(
            (e for e in evs if e.notify in ("INVALID_SPI", "CHILD_SA_NOT_FOUND") or _STALE_SPI.search(e.text)), None)
        if timed_out is not None:
            reasoning.append(M(
                "Line {line}: the peer's answer to a CREATE_CHILD_SA came, but no SA here was waiting for it any more: "
                "the exchange crossed another one on the same IKE SA (a rekey of the IKE SA from one side while the "
                "other added or rekeyed a Child SA). The request was left without a usable answer and timed out (line "
                "{timeout}). Let one side start the rekeys (a shorter lifetime on one side) and compare the lifetimes "
                "of both sides.", line=crossed.line, timeout=timed_out.line))
        if stale is not None:
            reasoning.append(M(
                "Line {line}: one side used an SA the other had already replaced or deleted (an unknown SPI): the two "
                "sides' SAs are out of step, typically after a rekey or a Delete one side did not get. Compare the "
                "lifetimes of both sides and check that Deletes and rekeys reach the peer.", line=stale.line,
            ))
        gone = next((e for e in evs if e.pattern == "pan-syslog-sa-out-of-step"), None)
        if gone is not None and stale is None:
            reasoning.append(M(
                "Line {line}: the peer asked for a phase 2 negotiation over a phase 1 SA the firewall no longer has, or "
                "the firewall deletes an SA it takes for stale: the two sides' SAs are out of step, typically after one "
                "side let an SA expire or deleted it without the other noticing. Compare the phase 1 and phase 2 "
                "lifetimes of both sides, and check that Deletes reach the peer.", line=gone.line))
        garbled = next((e for e in evs if e.values.get("rekeyed_line")), None)
        if garbled is not None:  # protocol.outcomes: decryption failures right after charon's IKE SA rekey
            reasoning.append(M(
                "Line {line}: right after the IKE SA was rekeyed (line {rekeyed}), charon cannot verify or decrypt the "
                "peer's messages over the new IKE SA. Its keys come from the rekey's own key exchange (RFC 7296 "
                "section 2.18), so the two sides derived different keys: every request over it fails until the peer "
                "gives up and the tunnel goes down. Compare the IKE proposals of both sides (a DH group or additional "
                "key exchange used only at rekeys) and the software versions; a fresh IKE SA, not a rekeyed one, "
                "works around it.", line=garbled.line, rekeyed=garbled.values["rekeyed_line"]))
        dup = next((e for e in evs if e.values.get("duplicate_kept")), None)
        if dup is not None:  # protocol: the peer deleted one of two IKE SAs of the connection that were up at once
            kept = dup.values["duplicate_kept"]
            reasoning.append(M(
                "Line {line}: the peer deleted IKE SA {name}[{deleted}] while IKE SA {name}[{kept}] of the same "
                "connection (up since line {kept_line}) stays up: both sides set up an IKE SA at the same time (a "
                "reauthentication or a rekey that crossed the peer's own), and the peer removed the duplicate. The "
                "Child SAs of the deleted IKE SA go with it: if traffic stops after this, the two sides did not keep the "
                "same Child SA. Let only one side reauthenticate or rekey first (a shorter lifetime on one side, or "
                "rekeying started by one side only), and compare the lifetimes of both sides.",
                line=dup.line, name=kept["name"], deleted=kept["deleted"], kept=kept["kept"],
                kept_line=kept["kept_line"]))
        # pluto's Quick Mode that times out or is dropped unanswered is read as a refusal (event ts_unacceptable), but
        # the line names no notify: no refusal is shown, only silence (the peer's answer is encrypted if it sent one).
        refusal = next((e for e in evs if _is_refusal(e) and not _silence_guess(e)), None)
        unanswered = next((e for e in evs if e.kind == "give_up"), None)
        silent = next((e for e in evs if _silence_guess(e)), None) if refusal is None else None
        if silent is not None and unanswered is None:
            reasoning.append(M(
                "Line {line}: the exchange that replaces an SA that was up got no acceptable answer (a refusal in IKEv1 "
                "Quick Mode is encrypted and may not show in this log), although the peer accepted the SA with the "
                "same configuration before. Look at what applies to rekeys only: the DH (PFS) group a rekey carries, "
                "the lifetimes, or selectors narrowed when the SA was set up; the peer's log names its refusal.",
                line=silent.line,
            ))
        if refusal is not None:
            notify = refusal.notify or ("TS_UNACCEPTABLE" if refusal.kind == "ts_unacceptable" else "NO_PROPOSAL_CHOSEN")
            if refusal.values.get("rekey_lost_line"):  # protocol: charon's pending rekey found its Child SA gone
                reasoning.append(M(
                    "Line {lost}: the rekey charon still had pending for a Child SA found the SA gone (it expired while "
                    "its rekey was being retried), and the CREATE_CHILD_SA that sets one up again was refused with "
                    "{notify} (line {line}). The first Child SA comes up in IKE_AUTH, which carries no DH (PFS) group; a "
                    "CREATE_CHILD_SA carries one whenever PFS is configured (AWS: the phase 2 DH groups), rekeys "
                    "included. Look at what applies to rekeys only: the PFS "
                    "group, the lifetimes, or selectors narrowed when the SA was set up.",
                    lost=refusal.values["rekey_lost_line"], line=refusal.line, notify=notify,
                ))
            elif refusal.values.get("set_up_again"):  # protocol: a CREATE_CHILD_SA after a Child SA was deleted
                reasoning.append(M(
                    "Line {line}: a Child SA of this IKE SA was deleted, and the CREATE_CHILD_SA that sets one up again "
                    "was refused with {notify}. The first Child SA comes up in IKE_AUTH, which carries no DH (PFS) "
                    "group; a CREATE_CHILD_SA carries one whenever PFS is configured (AWS: the phase 2 DH groups), rekeys "
                    "included. Look at what applies to rekeys only: the "
                    "PFS group, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            elif refusal.pattern == "fgt-event-progress-p2-failure":
                reasoning.append(M(
                    "Line {line}: FortiOS logged the phase 2 negotiation that replaces the SA as failed (message "
                    "37130, result=ERROR) without saying why. The SA came up with the same configuration before, so "
                    "look at what applies to rekeys only: the DH (PFS) group a rekey carries, the lifetimes, or selectors "
                    "narrowed when the SA was set up; the 37125 \"IPsec phase 2 error\" line, or the ike debug, names "
                    "the reason.",
                    line=refusal.line,
                ))
            elif refusal.direction == "sent":
                reasoning.append(M(
                    "Line {line}: this side refused the peer's exchange that replaces the SA ({notify}). It accepted "
                    "the SA with the same configuration before, so look at what applies to rekeys only: the DH (PFS) "
                    "group a rekey carries, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            else:
                reasoning.append(M(
                    "Line {line}: the peer refused the exchange that replaces the SA with {notify}. It accepted the "
                    "SA with the same configuration before, so look at what applies to rekeys only: the DH (PFS) "
                    "group a rekey carries, the lifetimes, or selectors narrowed when the SA was set up.",
                    line=refusal.line, notify=notify,
                ))
            pfs = pfs_groups(events, refusal)
            if pfs is not None:
                reasoning.append(M(
                    "The proposals listed before it differ in the DH group only: received {received}, configured "
                    "{configured}. The Child SA set up with the IKE SA carries no DH group, its rekey does: set the "
                    "same PFS group (AWS: the phase 2 DH group numbers) on both sides.",
                    received=pfs[0] or M("none"), configured=pfs[1] or M("none"),
                ))
        told = next((e for e in evs if e.notify in _NOTIFY_READINGS), None)
        if told is not None:
            reasoning.append(_notify_reading(told))  # (NO_ADDITIONAL_SAS: not about the rekey's settings)
        still = next((e for e in evs if e.values.get("still_unanswered")), None)
        if still is not None and unanswered is None and refusal is None:  # protocol.unanswered._rekey_still_unanswered
            reasoning.append(M(
                "Line {line}: this side's rekey request was sent again {count} times and got no answer up to the end "
                "of the log: the peer does not answer the exchange that replaces the SA (if it goes on, the daemon gives "
                "up and the SA expires). The peer answered when the SA was set up: read its log for that exchange, and "
                "compare the lifetimes and rekey settings of both sides.",
                line=still.line, count=still.values["still_unanswered"]))
        ended = next((e for e in evs if e.values.get("no_rekey_line")), None)
        if ended is not None:  # protocol: lib-quick-state-ended after oci-no-rekey
            reasoning.append(M(
                "Line {line}: the IPsec SA was deleted {age} seconds after it came up, and no newer SA replaced it; on "
                "line {said} this side said it would not rekey the connection itself. The SA reached its lifetime "
                "before the peer rekeyed it, so traffic stopped until the tunnel was set up again. Each side rekeys on its "
                "own lifetime, so the side whose lifetime ends first has to start the rekey: let this side rekey, or "
                "give the peer a shorter lifetime than this side's.",
                line=ended.line, age=ended.values.get("count", "?"), said=ended.values["no_rekey_line"]))
        not_done = next((e for e in evs if e.values.get("rekey_not_done")), None)
        if not_done is not None:  # protocol.rekeys._operator_rekey_unfinished
            reasoning.append(M(
                "Line {line}: the state listing still shows only SA #{serial} of connection {conn}, the one that was up "
                "before the rekey asked for on line {asked}, and no line names a newer SA of that connection: the rekey "
                "did not replace it. Read both sides' logs for that exchange (CREATE_CHILD_SA, or Quick Mode in IKEv1): a "
                "peer that does not answer it, or answers with something this side does not accept (selectors narrower "
                "or wider than the SA's, another PFS group), ends this way.",
                line=not_done.line, serial=not_done.values["rekey_serial"], conn=not_done.values["rekey_conn"],
                asked=not_done.values["rekey_not_done"]))
        if again:
            reasoning.append(M(
                "Line {line}: setting the SA up again after it expired met the same refusal, so the tunnel stays "
                "down until the rekey's difference is fixed.", line=again[0].line,
            ))
        restarted = next((e for e in evs if e.values.get("rekey_again")), None)
        if restarted is not None:  # protocol.rekeys._rekey_started_again
            reasoning.append(M(
                "Line {line}: a rekey started again before the one started on line {first} had set up its SA: that "
                "rekey got no usable answer, and the state it created reached its own lifetime while still being "
                "rekeyed. Read the peer's log for the CREATE_CHILD_SA it was sent; compare the lifetimes and rekey "
                "settings of both sides.", line=restarted.line, first=restarted.values["rekey_again"],
            ))
        dropped = next((e for e in evs if e.kind == "delete" and e.values.get("rekey_unanswered")), None)
        if dropped is not None and unanswered is None and refusal is None:
            # the first retransmission of the rekey the Delete cut short, in the same log
            waiting = next((e for e in events if e.kind == "retransmit" and e.category == "rekey_issue"
                            and e.stream == dropped.stream and e.order < dropped.order), None)
            reasoning.append(M(
                "Line {line}: the peer deleted the SA while this side's exchange to replace it was still unanswered "
                "(sent again since line {waiting}): the peer never answered the rekey, and its copy of the SA ended. "
                "Compare the lifetimes and rekey "
                "settings of both sides (AWS: phase 1 and phase 2 lifetimes, rekey margin time); a peer that answers "
                "liveness checks but not rekeys may expect to rekey itself.",
                line=dropped.line, waiting=waiting.line if waiting else dropped.line))
        cut = next((e for e in evs if e.values.get("larval_line")), None)
        if cut is not None and dropped is None and unanswered is None and refusal is None:  # protocol: pluto 5 larval
            reasoning.append(M(
                "Line {line}: the IKE SA ended while the Child SA this side was negotiating to replace the one that was "
                "up had no answer (pluto deleted it unfinished, \"larval\", at line {larval}): the rekey never "
                "completed. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and phase 2 lifetimes, "
                "rekey margin time); a peer that answers liveness checks but not rekeys may expect to rekey itself.",
                line=cut.line, larval=cut.values["larval_line"]))
        outlived = next((e for e in evs if e.values.get("expired_unanswered")), None)
        if outlived is not None and unanswered is None and refusal is None:  # protocol: lib-sa-expired
            reasoning.append(M(
                "Line {line}: the SA expired while it was still the newest of its connection, so nothing had replaced "
                "it, and its own request had been sent again unanswered since line {first}: the rekey that starts "
                "before the lifetime ends got no answer. Compare the lifetimes and rekey settings of both sides (AWS: "
                "phase 1 and phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not "
                "rekeys may expect to rekey itself.", line=outlived.line, first=outlived.values["expired_unanswered"]))
        expired = next((e for e in evs if e.values.get("expired_unreplaced")), None)
        if expired is not None and refusal is None and unanswered is None:  # protocol: swan-child-sa-hard-expired
            reasoning.append(M(
                "Line {line}: the Child SA reached its hard lifetime without being replaced, so it was closed and "
                "traffic stopped until an SA was set up again. Neither side rekeyed it in time: rekeying is off on this side "
                "(rekey_time = 0 in swanctl.conf, rekey=no in ipsec.conf), or an earlier rekey was refused or "
                "unanswered. Keep rekeying on, with this side's phase 2 lifetime no longer than the peer's (AWS: "
                "3,600 s by default), so that a rekey comes before either side's SA expires.", line=expired.line,
            ))
        if unanswered is not None and refusal is None and unanswered.values.get("replaced_ended"):
            reasoning.append(M(
                "Line {line}: the SA that the rekey on line {rekey} was to replace ended while that rekey was still "
                "being sent again, unanswered: the SA reached the end of its lifetime (or the peer dropped it) before "
                "its replacement came up. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and "
                "phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not rekeys may expect "
                "to rekey itself.", line=unanswered.line, rekey=unanswered.values["replaced_ended"],
            ))
        elif unanswered is not None and refusal is None and timed_out is None:
            reasoning.append(M(
                "Line {line}: the exchange that replaces an SA that was up got no answer, although the peer answered "
                "when the SA was set up. Compare the lifetimes and rekey settings of both sides (AWS: phase 1 and "
                "phase 2 lifetimes, rekey margin time); a peer that answers liveness checks but not rekeys may expect "
                "to rekey itself.", line=unanswered.line,
            ))
        if rekey_first:
            consequence = min((e for v in liveness.values() for e in v), key=lambda e: e.order)
            if trouble is not None and consequence.order < rekey_failure.order and _later(consequence, trouble):
                # (the peer's log pasted first: its Delete or DPD comes before the failure line in the paste)
                reasoning.append(M(
                    "The timeouts, DPD or Deletes in the peer's log (line {line}) bear a time after this rekey was "
                    "first sent again unanswered (line {start}): they are its consequence, the SA that failed to rekey "
                    "expired, so the tunnel went down.", line=consequence.line, start=trouble.line))
            else:
                reasoning.append(M(
                    "The timeouts, DPD or Deletes after it (line {line}) are its consequence: the SA that failed to "
                    "rekey expired, so the tunnel went down.", line=consequence.line
                ))
        lead = _rekey_lead(events, evs[0])
        if dup is not None:  # the two IKE SAs that came up at once, shown before the Delete of one
            lead = [e for e in events if e.line in (kept["kept_line"], kept["deleted_line"]) and e.kind == "established"]
        elif lead:
            reasoning.insert(1, M("Line {line}: an SA was established before it, so what went wrong concerns an SA that "
                                  "worked, not a first negotiation.", line=lead[0].line))
        reasoning += _also(cats, "rekey_issue")
        return True, _primary("rekey_issue", M("Rekeying problem: collisions, failed rekeys or SAs out of step."), reasoning,
                        context["rekey_issue"], lead=lead + again)
    return False, None
