"""Notify and exchange names as daemons print them, mapped to the RFC names the reading works with."""

from __future__ import annotations

from lab.i18n import M

# Notify names as daemons print them -> RFC name. strongSwan's short names come from
# src/libcharon/encoding/payloads/notify_payload.c (notify_type_short_names); libreswan prefixes v2N_.
NOTIFY_ALIASES = {
    "NO_PROP": "NO_PROPOSAL_CHOSEN",
    "AUTH_FAILED": "AUTHENTICATION_FAILED",
    "TS_UNACCEPT": "TS_UNACCEPTABLE",
    "INVAL_ID": "INVALID_ID_INFORMATION",
    "INVAL_KE": "INVALID_KE_PAYLOAD",
    "INVAL_SPI": "INVALID_SPI",
    "INVAL_IKE_SPI": "INVALID_IKE_SPI",
    "INVAL_MAJOR": "INVALID_MAJOR_VERSION",
    "INVAL_SYN": "INVALID_SYNTAX",
    "INVAL_MID": "INVALID_MESSAGE_ID",
    "INVAL_HASH": "INVALID_HASH_INFORMATION",
    "INVAL_CERT": "INVALID_CERTIFICATE",
    "INVAL_CA": "INVALID_CERT_AUTHORITY",
    "INVAL_SEL": "INVALID_SELECTORS",
    "PLD_MAL": "PAYLOAD_MALFORMED",
    "SINGLE_PAIR": "SINGLE_PAIR_REQUIRED",
    "NO_ADD_SAS": "NO_ADDITIONAL_SAS",
    "TEMP_FAIL": "TEMPORARY_FAILURE",
    "NO_CHILD_SA": "CHILD_SA_NOT_FOUND",
    "UNEXPECT_NAT": "UNEXPECTED_NAT_DETECTED",
    "INT_ADDR_FAIL": "INTERNAL_ADDRESS_FAILURE",  # charon's short names (notify_payload.c)
    "FAIL_CP_REQ": "FAILED_CP_REQUIRED",
    "DPD": "R_U_THERE",
    "DPD_R_U_THERE": "R_U_THERE",
    "DPD_ACK": "R_U_THERE_ACK",
    "DPD_R_U_THERE_ACK": "R_U_THERE_ACK",
    "ISAKMP_N_NO_PROPOSAL_CHOSEN": "NO_PROPOSAL_CHOSEN",
    "INVALID_ID_INFO": "INVALID_ID_INFORMATION",
    "INVALID_HASH_INFO": "INVALID_HASH_INFORMATION",
    "INVALID-ID-INFORMATION": "INVALID_ID_INFORMATION",
    "NO-PROPOSAL-CHOSEN": "NO_PROPOSAL_CHOSEN",
    "PROPOSAL_NOT_CHOSEN": "NO_PROPOSAL_CHOSEN",  # Cisco IOS debug crypto isakmp
    "AUTHENTICATION-FAILED": "AUTHENTICATION_FAILED",
    "TS-UNACCEPTABLE": "TS_UNACCEPTABLE",
    "TRAFFIC_SELECTORS_UNACCEPTABLE": "TS_UNACCEPTABLE",
    "TS_UNACCEPTABLE_": "TS_UNACCEPTABLE",
    "INVALID_ID": "INVALID_ID_INFORMATION",
    "NO_PROPOSAL": "NO_PROPOSAL_CHOSEN",
    "DPD/R_U_THERE": "R_U_THERE",
    "DPD/R_U_THERE_ACK": "R_U_THERE_ACK",
    "R-U-THERE": "R_U_THERE",
    "R-U-THERE-ACK": "R_U_THERE_ACK",
    # RFC 2408 3.14.1 type 29 (IKEv2 leaves 29 unassigned): charon has no name for it and prints the number
    "UNSUPPORTED-EXCHANGE-TYPE": "UNSUPPORTED_EXCHANGE_TYPE",
    "(29)": "UNSUPPORTED_EXCHANGE_TYPE",
    "(29": "UNSUPPORTED_EXCHANGE_TYPE",
}
# Exchange names as daemons print them -> one name (IKEv1 Main Mode is ISAKMP's Identity Protection).
EXCHANGE_ALIASES = {
    "ID_PROT": "MAIN_MODE",
    "MAIN": "MAIN_MODE",
    "MAIN MODE": "MAIN_MODE",
    "MM": "MAIN_MODE",
    "AGGRESSIVE": "AGGRESSIVE_MODE",
    "AGGRESSIVE MODE": "AGGRESSIVE_MODE",
    "AM": "AGGRESSIVE_MODE",
    "QUICK_MODE": "QUICK_MODE",
    "QUICK MODE": "QUICK_MODE",
    "QUICK": "QUICK_MODE",
    "QM": "QUICK_MODE",
    "INFORMATIONAL_V1": "INFORMATIONAL_V1",
    "TRANSACTION": "INFORMATIONAL_V1",
    "INFORMATIONAL": "INFORMATIONAL",
    "IKE_SA_INIT": "IKE_SA_INIT",
    "SA_INIT": "IKE_SA_INIT",
    "IKE_AUTH": "IKE_AUTH",
    "V2 PARENT SA": "IKE_SA_INIT",  # libreswan 3.x / Openswan "initiating v2 parent SA"
    "IKEV2 IKE SA": "IKE_SA_INIT",  # libreswan 3.x "initiating IKEv2 IKE SA to replace #1"
    "IKEV2 CONNECTION": "IKE_SA_INIT",  # libreswan 4.x and later "initiating IKEv2 connection": its IKE_SA_INIT
    "AUTH": "IKE_AUTH",
    "AUTH EXCHANGE": "IKE_AUTH",  # Check Point SmartLog "Auth exchange: ..."
    "CREATE_CHILD_SA": "CREATE_CHILD_SA",
    "CREATE_CHILD": "CREATE_CHILD_SA",
    # libreswan 5.3+ names the request it retransmits ("retransmitting liveness probe informational request")
    "LIVENESS PROBE": "INFORMATIONAL",
    "MOBIKE": "INFORMATIONAL",
    "ACTIVE REDIRECT": "INFORMATIONAL",
    "DELETE": "INFORMATIONAL",
    "INTERMEDIATE": "IKE_INTERMEDIATE",
    "FOLLOWUP": "IKE_FOLLOWUP_KE",
}
IKE_EXCHANGES = {"IKE_SA_INIT", "MAIN_MODE", "AGGRESSIVE_MODE"}
# The exchanges that set up an IKE SA (an ISAKMP SA in IKEv1), IKE_AUTH included
IKE_SETUP_EXCHANGES = frozenset({"IKE_SA_INIT", "IKE_AUTH", "MAIN_MODE", "AGGRESSIVE_MODE"})
# charon's line for an IKE SA a rekey set up (ike_rekey.c): "IKE_SA gw[4] rekeyed between 192.0.2.1[...]...192.0.2.2[...]"
CHARON_IKE_SA_REKEYED = "] rekeyed between "
CHILD_EXCHANGES = {"CREATE_CHILD_SA", "QUICK_MODE"}
IKEV1_EXCHANGES = {"MAIN_MODE", "AGGRESSIVE_MODE", "QUICK_MODE", "INFORMATIONAL_V1"}


# IKEv1's exchanges by the names RFC 2409 gives them, for a reader (the page, the text output, the report), in the
# reader's language (Korean writes 메인 모드, 퀵 모드); the one-word keys above stay those of `--json`. IKEv2's exchange
# names are RFC 7296's own and are shown as they are in every language.
_EXCHANGE_WORDS = {
    "MAIN_MODE": M("Main Mode"),
    "AGGRESSIVE_MODE": M("Aggressive Mode"),
    "QUICK_MODE": M("Quick Mode"),
    "INFORMATIONAL_V1": M("Informational (IKEv1)"),
}


def exchange_words(name: str) -> str:
    """An exchange key (`exchange_name`) as a reader knows it: "Main Mode", "Quick Mode", "IKE_SA_INIT" (IKEv1's
    names are a `Msg`, shown in the reader's language where the text is rendered)."""
    return _EXCHANGE_WORDS.get(name, name)


def notify_name(raw: str) -> str:
    name = raw.strip().upper().removeprefix("V2N_").removeprefix("V1N_").removeprefix("N(").rstrip(")")
    name = name.replace(" ", "_")
    return NOTIFY_ALIASES.get(name, name.replace("-", "_"))


def exchange_name(raw: str) -> str:
    key = raw.strip().upper().replace("-", "_")
    found = EXCHANGE_ALIASES.get(key, EXCHANGE_ALIASES.get(key.replace("_", " ")))
    if found:
        return found
    # Daemon states and wordings: libreswan STATE_MAIN_I1, IKE_SA_INIT_I, STATE_PARENT_I2; "phase 1" ...
    for needle, name in (
        ("REKEY", "CREATE_CHILD_SA"),  # libreswan 3.x STATE_V2_REKEY_CHILD_I / STATE_V2_REKEY_IKE_I
        ("V2_CREATE", "CREATE_CHILD_SA"),  # libreswan 3.x STATE_V2_CREATE_I0 / _I / _R (a new Child SA)
        ("SA_INIT", "IKE_SA_INIT"),
        ("IDENT", "MAIN_MODE"),  # racoon "identity exchange", ISAKMP "Identity Protection"
        ("PHASE2", "QUICK_MODE"),  # racoon "phase2 exchange"
        ("PARENT_I1", "IKE_SA_INIT"),
        ("PARENT_R1", "IKE_SA_INIT"),
        ("IKE_AUTH", "IKE_AUTH"),
        ("PARENT_I2", "IKE_AUTH"),
        ("PARENT_R2", "IKE_AUTH"),
        ("V2_AUTH", "IKE_AUTH"),  # Openswan's exchange names: ISAKMP_v2_SA_INIT, ISAKMP_v2_AUTH, ISAKMP_v2_CHILD_SA
        ("CHILD", "CREATE_CHILD_SA"),
        ("MAIN", "MAIN_MODE"),
        ("AGGR", "AGGRESSIVE_MODE"),
        ("AGG_", "AGGRESSIVE_MODE"),  # FortiOS "sent IKE msg (agg_r1send)"
        ("QUICK", "QUICK_MODE"),
        ("ESTABLISHED", "INFORMATIONAL"),
        ("INFO", "INFORMATIONAL"),
    ):
        if needle in key:
            return name
    return key


# The pattern id of charon's [ENC] line of an IKE message sent or received ("parsed IKE_AUTH response 1 [ ... ]").
CHARON_MESSAGE = "swan-exchange"
