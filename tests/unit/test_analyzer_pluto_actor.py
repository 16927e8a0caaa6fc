"""Whole pluto logs from libreswan's test suite whose lines look like a failure but name no cause: who acted,
and which SA an exchange touched, decide.

- A Delete this side sends is its own teardown, never "the peer deleted the IKE SA".
- A CREATE_CHILD_SA that adds a new Child SA replaces nothing: when it goes unanswered, no rekey failed.
- An IKE SA that expires right after a REDIRECT (RFC 5685) was dropped on purpose: no rekey failed.

Each log is the test's console output at a fixed commit (URL in the comment), pluto's own lines only.
"""

from __future__ import annotations

from lab.analyzer import analyze_text

# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/host-to-host-transport-linux/west.console.txt
TRANSPORT_TEARDOWN = """\
"west-east" #1: initiating IKEv2 connection to 192.1.2.23 using UDP
"west-east" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"west-east" #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH
"west-east" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN '@west'; Child SA #2 {ESP <0xESPESP} [192.1.2.45/32===192.1.2.23/32]
"west-east" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,SA,TSi,TSr,N(USE_TRANSPORT_MODE)}
"west-east" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west-east" #2: initiator established Child SA using #1; IPsec transport [192.1.2.45/32===192.1.2.23/32] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
"west-east" #1: sent INFORMATIONAL request to delete IKE SA
"west-east" #2: ESP traffic information: in=64B out=64B
"west-east" #1: deleting IKE SA (established IKE SA)
"""

# https://github.com/libreswan/libreswan/blob/f36ab1b1dfec296b96985c52f8b6729463b7435e/testing/pluto/ikev2-child-ipsec-retransmit/west.console.txt
# (libreswan 4.5: east drops the CREATE_CHILD_SA that adds "westnet-eastnet-ikev2b" over the IKE SA #1)
NEW_CHILD_UNANSWERED = """\
1v2 "westnet-eastnet-ikev2a" #1: initiating IKEv2 connection
1v2 "westnet-eastnet-ikev2a" #1: sent IKE_SA_INIT request
1v2 "westnet-eastnet-ikev2a" #1: sent IKE_AUTH request {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
003 "westnet-eastnet-ikev2a" #1: established IKE SA; authenticated using authby=secret and peer ID_FQDN '@east'
004 "westnet-eastnet-ikev2a" #2: established Child SA; IPsec tunnel [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0] {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}
002 "westnet-eastnet-ikev2b" #3: initiating Child SA using IKE SA #1
1v2 "westnet-eastnet-ikev2b" #3: sent CREATE_CHILD_SA request for new IPsec SA
010 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response
010 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 1 seconds for response
010 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 2 seconds for response
010 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 4 seconds for response
010 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 8 seconds for response
031 "westnet-eastnet-ikev2a" #1: STATE_V2_ESTABLISHED_IKE_SA: 10 second timeout exceeded after 5 retransmits.  No response (or no acceptable response) to our IKEv2 message
002 "westnet-eastnet-ikev2a" #1: liveness action - putting connection into hold
002 "westnet-eastnet-ikev2a" #1: deleting state (STATE_V2_ESTABLISHED_IKE_SA) and sending notification
002 "westnet-eastnet-ikev2a" #1: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
"""

# https://github.com/libreswan/libreswan/blob/273ab05494d1a08c81bc4f84c38dfa7128fa239a/testing/pluto/ikev2-redirect-03-auth-loop/west.console.txt
# (libreswan 4.12: east and the other gateway redirect west to each other until west assumes a loop)
_C = '"westnet-eastnet-ipv4-psk-ikev2"'
REDIRECT_LOOP = f"""\
1v2 {_C} #1: initiating IKEv2 connection
1v2 {_C} #1: sent IKE_SA_INIT request to 192.1.2.23:500
1v2 {_C} #1: sent IKE_AUTH request {{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}}
003 {_C} #1: initiator established IKE SA; authenticated peer using authby=secret and ID_FQDN '@east'
002 {_C} #1: initiating IKE_AUTH redirect to new gateway (address: 192.1.3.33)
1v2 {_C} #3: initiating IKEv2 connection
002 {_C} #1: IKE SA expired (LATEST!)
002 {_C} #1: deleting state (STATE_V2_ESTABLISHED_IKE_SA) and sending notification
002 {_C} #1: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
1v2 {_C} #3: sent IKE_SA_INIT request to 192.1.3.33:500
1v2 {_C} #3: sent IKE_AUTH request {{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}}
003 {_C} #3: initiator established IKE SA; authenticated peer using authby=secret and ID_FQDN '@east'
002 {_C} #3: initiating IKE_AUTH redirect to new gateway (address: 192.1.2.23)
1v2 {_C} #5: initiating IKEv2 connection
002 {_C} #3: IKE SA expired (LATEST!)
002 {_C} #3: deleting state (STATE_V2_ESTABLISHED_IKE_SA) and sending notification
002 {_C} #3: deleting IKE SA but connection is supposed to remain up; schedule EVENT_REVIVE_CONNS
1v2 {_C} #5: sent IKE_SA_INIT request to 192.1.2.23:500
1v2 {_C} #5: sent IKE_AUTH request {{cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}}
003 {_C} #5: initiator established IKE SA; authenticated peer using authby=secret and ID_FQDN '@east'
003 {_C} #5: redirect loop, stop initiating IKEv2 exchanges
002 {_C} #5: IKE SA expired (LATEST!)
002 {_C} #5: deleting state (STATE_V2_ESTABLISHED_IKE_SA) and sending notification
"""


def _primary(text: str) -> tuple[str | None, str]:
    primary = analyze_text(text).primary
    return (primary.category, str(primary.summary)) if primary else (None, "")


# --- 1. our own Delete is not the peer's --------------------------------------------------------------------


def test_a_delete_this_side_sends_names_no_peer() -> None:
    category, summary = _primary(TRANSPORT_TEARDOWN)
    assert category is None, summary
    analysis = analyze_text(TRANSPORT_TEARDOWN)
    assert not any(f.decisive for f in analysis.findings)


def test_the_same_delete_received_from_the_peer_is_the_peers() -> None:
    # The direction alone changes: the peer's Delete arrives (pluto's wording for a received IKE SA Delete,
    # https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/addresspool-4in4-exhausted-ikev2-ikev1/road.console.txt
    # line 24).
    received = TRANSPORT_TEARDOWN.replace(
        '"west-east" #1: sent INFORMATIONAL request to delete IKE SA',
        '"west-east" #1: received Delete SA payload: self-deleting ISAKMP State #1',
    )
    assert received != TRANSPORT_TEARDOWN
    assert _primary(received)[0] == "ike_sa_deleted_by_peer"


# --- 2. a new Child SA is no rekey ---------------------------------------------------------------------------


def test_a_new_child_sa_left_unanswered_is_no_rekey() -> None:
    analysis = analyze_text(NEW_CHILD_UNANSWERED)
    assert analysis.primary is not None
    assert analysis.primary.category != "rekey_issue"
    # pluto's liveness action after the IKE SA's request timed out: the peer stopped answering
    assert analysis.primary.category == "dpd_timeout"
    assert not any(f.category == "rekey_issue" for f in analysis.findings)


def test_the_same_timeout_over_a_rekey_is_a_rekey() -> None:
    # Only the request's purpose changes: an exchange that replaces the Child SA makes the timeout a rekey's.
    rekey = NEW_CHILD_UNANSWERED.replace("request for new IPsec SA", "request to rekey IPsec SA")
    assert rekey != NEW_CHILD_UNANSWERED
    assert _primary(rekey)[0] == "rekey_issue"


# --- 3. an IKE SA expired after a REDIRECT -------------------------------------------------------------------


def test_an_ike_sa_expiring_after_a_redirect_is_no_rekey_failure() -> None:
    analysis = analyze_text(REDIRECT_LOOP)
    assert analysis.primary is None or analysis.primary.category != "rekey_issue"
    assert not any(f.category == "rekey_issue" for f in analysis.findings)


def test_older_redirect_wording_reads_the_same() -> None:
    # https://github.com/libreswan/libreswan/blob/f36ab1b1dfec296b96985c52f8b6729463b7435e/testing/pluto/ikev2-redirect-03-auth-loop/west.console.txt
    old = REDIRECT_LOOP.replace("initiating IKE_AUTH redirect to new gateway", "initiating a redirect to new gateway")
    assert old != REDIRECT_LOOP
    assert _primary(old)[0] != "rekey_issue"


def test_an_ike_sa_expiring_without_a_redirect_is_still_read_as_a_rekey_problem() -> None:
    lines = [line for line in REDIRECT_LOOP.splitlines() if "redirect" not in line]
    assert _primary("\n".join(lines) + "\n")[0] == "rekey_issue"


# --- 4. both peers' logs of one connection that both sides initiated -----------------------------------------

# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/crossing-streams-01-ikev2-github-1211/west.console.txt
# and east.console.txt: west and east initiate "east-west" at the same time; each is initiator of its #1 and
# responder of its #2, so the roles of the serials alone cannot tell the two logs apart.
CROSSING_WEST = """\
"east-west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP
"east-west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"east-west" #2: sent IKE_SA_INIT response to 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, expecting IKE_AUTH, IKE_INTERMEDIATE, or IKE_AUTH (EAP)
"east-west" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN '@west'; Child SA #3 {ESP <0xESPESP} [192.0.1.0/24===192.0.2.0/24]
"east-west" #3: initiator established Child SA using #1; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
"east-west" #4: responder established Child SA using #2; IPsec tunnel [192.0.1.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
"""
CROSSING_EAST = """\
"east-west" #1: initiating IKEv2 connection to 192.1.2.45 using UDP
"east-west" #4: ESP traffic information: in=0B out=0B
"east-west" #2: deleting IKE SA (established IKE SA)
"east-west" #1: sent INFORMATIONAL request to delete IKE SA
"east-west" #3: ESP traffic information: in=0B out=0B
"east-west" #1: deleting IKE SA (established IKE SA)
"""


def test_each_side_of_the_crossing_streams_alone_names_no_cause() -> None:
    assert analyze_text(CROSSING_WEST).streams == 1
    assert analyze_text(CROSSING_EAST).streams == 1
    assert _primary(CROSSING_WEST)[0] is None
    assert _primary(CROSSING_EAST)[0] is None  # east's own Delete (item 1)


def test_both_sides_of_the_crossing_streams_are_two_logs_in_either_order() -> None:
    # The same serial #1 talks to 192.1.2.23 in one log and to 192.1.2.45 in the other: two daemons.
    assert analyze_text(CROSSING_WEST + CROSSING_EAST).streams == 2
    assert analyze_text(CROSSING_EAST + CROSSING_WEST).streams == 2


def test_a_redirect_to_another_gateway_stays_one_log() -> None:
    # After a REDIRECT the next IKE SA (a new serial) talks to another address: still the same daemon.
    assert "sent IKE_SA_INIT request to 192.1.3.33:500" in REDIRECT_LOOP
    assert analyze_text(REDIRECT_LOOP).streams == 1


# https://github.com/libreswan/libreswan/blob/a0d37f5f94d2a3e94a2dd11660ea0c4e10f7ce01/testing/pluto/ikev2-child-ipsec-retransmit/west.console.txt
# (libreswan 3.32: the same test; the new Child SA's own state STATE_V2_CREATE_I retransmits, no liveness line)
NEW_CHILD_UNANSWERED_V3 = """\
1v2 "westnet-eastnet-ikev2a" #1: initiating IKEv2 IKE SA
1v2 "westnet-eastnet-ikev2a" #1: STATE_PARENT_I1: sent v2I1, expected v2R1
1v2 "westnet-eastnet-ikev2a" #2: STATE_PARENT_I2: sent v2I2, expected v2R2 {auth=IKEv2 cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 group=MODP2048}
002 "westnet-eastnet-ikev2a" #2: IKEv2 mode peer ID is ID_FQDN: '@east'
003 "westnet-eastnet-ikev2a" #2: Authenticated using authby=secret
002 "westnet-eastnet-ikev2a" #2: negotiated connection [192.0.1.0-192.0.1.255:0-65535 0] -> [192.0.2.0-192.0.2.255:0-65535 0]
004 "westnet-eastnet-ikev2a" #2: STATE_V2_IPSEC_I: IPsec SA established tunnel mode {ESP=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256-NONE NATOA=none NATD=none DPD=passive}
1v2 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: sent IPsec Child req wait response
010 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: retransmission; will wait 0.5 seconds for response
010 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: retransmission; will wait 1 seconds for response
010 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: retransmission; will wait 2 seconds for response
010 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: retransmission; will wait 4 seconds for response
010 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: retransmission; will wait 8 seconds for response
031 "westnet-eastnet-ikev2b" #3: STATE_V2_CREATE_I: 10 second timeout exceeded after 5 retransmits.  No response (or no acceptable response) to our IKEv2 message
002 "westnet-eastnet-ikev2b" #3: deleting state (STATE_V2_CREATE_I) and NOT sending notification
"""


def test_older_wording_of_the_unanswered_new_child_sa_reads_the_same() -> None:
    # The IKE SA carried a Child SA, so the path worked: not a reachability problem from the start, no rekey.
    analysis = analyze_text(NEW_CHILD_UNANSWERED_V3)
    assert analysis.primary is not None
    assert analysis.primary.category == "dpd_timeout"
    assert "timed out without an answer" in str(analysis.primary.reasoning[0])
    assert not any(f.category in ("rekey_issue", "peer_unreachable") for f in analysis.findings)


def test_the_same_child_request_with_no_sa_up_is_a_reachability_problem() -> None:
    lines = [line for line in NEW_CHILD_UNANSWERED_V3.splitlines() if "established" not in line]
    assert analyze_text("\n".join(lines) + "\n").primary.category == "peer_unreachable"  # type: ignore[union-attr]


# https://github.com/libreswan/libreswan/blob/0c4e3eccfbb2cdfa1e21c154ee847a141a611a4f/testing/pluto/whack-up-02-config/west.console.txt
# The operator brings the connection up and down, deletes it and adds it again, twice: one pluto throughout.
READDED = """\
"west": added oriented IKEv2 connection
west #
 ipsec --config $PWD/ipsec.conf up west
"west" #1: initiating IKEv2 connection to 192.1.2.23 using UDP
"west" #1: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"west" #1: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH
"west" #1: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN '@west'; Child SA #2 {ESP <0xESPESP} [198.18.66.0/24===192.0.2.0/24]
"west" #1: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,SA,TSi,TSr}
"west" #1: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west" #2: initiator established Child SA using #1; IPsec tunnel [198.18.66.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
west #
 ipsec --config $PWD/ipsec.conf down west
"west": initiating delete of connection's IKE SA #1 (and Child SA #2)
"west" #1: sent INFORMATIONAL request to delete IKE SA
"west" #2: ESP traffic information: in=0B out=0B
"west" #1: deleting IKE SA (established IKE SA)
west #
 ipsec --config $PWD/ipsec.conf delete west
west #
 ipsec add --config $PWD/ipsec.conf west
"west": added oriented IKEv2 connection
west #
 ipsec up --config $PWD/ipsec.conf west
"west" #3: initiating IKEv2 connection to 192.1.2.23 using UDP
"west" #3: sent IKE_SA_INIT request to 192.1.2.23:UDP/500
"west" #3: processed IKE_SA_INIT response from 192.1.2.23:UDP/500 {cipher=AES_GCM_16_256 integ=n/a prf=HMAC_SHA2_512 ke=DH19}, initiating IKE_AUTH
"west" #3: sent IKE_AUTH request to 192.1.2.23:UDP/500 with shared-key-mac and FQDN '@west'; Child SA #4 {ESP <0xESPESP} [198.18.66.0/24===192.0.2.0/24]
"west" #3: processing IKE_AUTH response from 192.1.2.23:UDP/500 containing SK{IDr,AUTH,SA,TSi,TSr}
"west" #3: initiator established IKE SA; authenticated peer using authby=secret and FQDN '@east'
"west" #4: initiator established Child SA using #3; IPsec tunnel [198.18.66.0/24===192.0.2.0/24] {ESP/ESN=>0xESPESP <0xESPESP xfrm=AES_GCM_16_256 DPD=passive}
west #
 ipsec down --config $PWD/ipsec.conf west
"west": initiating delete of connection's IKE SA #3 (and Child SA #4)
"west" #3: sent INFORMATIONAL request to delete IKE SA
"west" #4: ESP traffic information: in=0B out=0B
"west" #3: deleting IKE SA (established IKE SA)
"""


def test_a_connection_added_again_with_the_state_serials_going_on_is_the_same_pluto() -> None:
    # pluto numbers its states in one sequence while it runs (#3 after #1 and #2): adding the connection again is
    # the operator's doing, not the other peer's log, so this side's own Delete stays its own teardown.
    analysis = analyze_text(READDED)
    assert analysis.primary is None
    assert analysis.streams == 1


def test_a_connection_added_again_with_the_serials_starting_over_is_another_log() -> None:
    # The same lines with the second half's serials starting again at #1: another pluto (or a restart).
    second = READDED.index(' ipsec add --config')
    text = READDED[:second] + READDED[second:].replace("#3", "#1").replace("#4", "#2")
    assert analyze_text(text).streams == 2


def test_each_of_two_such_logs_is_one_pluto() -> None:
    # The same transcript twice: the second starts over at #1 (another pluto), and inside each the connection is
    # added again with the serials going on: two logs, not four.
    assert analyze_text(READDED + READDED).streams == 2
