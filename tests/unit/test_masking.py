"""One masking function for every output: vendor secret syntax masked, log prose kept."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from lab.masking import MASK, is_secret_key, mask_data, mask_secrets

CORPUS = yaml.safe_load(
    (Path(__file__).parents[1] / "data" / "secrets_corpus.yaml").read_text(encoding="utf-8")
)


def test_every_case_cites_a_source() -> None:
    for case in CORPUS["cases"] + CORPUS["keep_verbatim"]:
        assert str(case["source"]).startswith("https://"), case


@pytest.mark.parametrize("case", CORPUS["cases"], ids=[c["name"] for c in CORPUS["cases"]])
def test_vendor_secret_formats_are_masked(case: dict) -> None:
    masked = mask_secrets(case["text"])
    for secret in case["secrets"]:
        assert secret not in masked, f"{secret!r} survived in {masked!r}"
    for word in case["keep"]:
        assert word in masked, f"{word!r} lost from {masked!r}"
    if case["secrets"]:
        assert MASK in masked
    assert mask_secrets(masked) == masked, "masking twice changes nothing"


@pytest.mark.parametrize("case", CORPUS["keep_verbatim"], ids=lambda c: c["text"][:40])
def test_ordinary_log_lines_are_unchanged(case: dict) -> None:
    assert mask_secrets(case["text"]) == case["text"]


def test_mask_data_masks_secret_fields_whole_and_strings_inside() -> None:
    data = {
        "VpnConnectionId": "vpn-0123456789abcdef0",
        "Options": {
            "TunnelOptions": [{"OutsideIpAddress": "203.0.113.10", "PreSharedKey": "any value at all"}]
        },
        "findings": [{"line": 3, "text": "conn aws: psk = Abc123secretKEY"}],
        "count": 2,
    }
    out = mask_data(data)
    assert out["Options"]["TunnelOptions"][0]["PreSharedKey"] == MASK
    assert out["Options"]["TunnelOptions"][0]["OutsideIpAddress"] == "203.0.113.10"
    assert "Abc123secretKEY" not in out["findings"][0]["text"]
    assert out["VpnConnectionId"] == "vpn-0123456789abcdef0" and out["count"] == 2
    assert data["findings"][0]["text"].endswith("Abc123secretKEY"), "the input is not modified"


@pytest.mark.parametrize(
    "name",
    ["PreSharedKey", "aws_secret_access_key", "password", "tunnel1_preshared_key", "psk", "SessionToken"],
)
def test_secret_field_names(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize(
    "name", ["VpnConnectionId", "aws_access_key_id", "SecretArn", "passwordPolicy", "authby"]
)
def test_ordinary_field_names(name: str) -> None:
    assert not is_secret_key(name)


def test_linear_on_hostile_input() -> None:
    import time

    start = time.perf_counter()
    for text in (
        "psk " * 20000,
        "a" * 200000,
        "password=" * 20000,
        "-----BEGIN PRIVATE KEY-----" + "A" * 100000,
        ": PSK " * 20000,
    ):
        mask_secrets(text)
    assert time.perf_counter() - start < 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("psk mysecret here", "psk **** here"),
        ("psk abc:def", "psk ****"),
        ("pre-shared key 203.0.113.10 rejected", "pre-shared key 203.0.113.10 rejected"),
        ("password expired for user bob", "password expired for user bob"),
        ("PSK mismatch", "PSK mismatch"),
    ],
)
def test_psk_value_without_equals(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected


@pytest.mark.parametrize(
    "line",
    [
        # libreswan 3.32 ikev2_parent.c and Openswan 2.6 ikev2_parent.c: protocol names are the evidence.
        '"westnet-eastnet-ikev2-major" #1: STATE_PARENT_I1: received unauthenticated v2N_INVALID_MAJOR_VERSION - ignored',
        '"aws-vpn-1" #1: sending encrypted notification ISAKMP_v2_CREATE_CHILD_SA/v2N_NO_PROPOSAL_CHOSEN to 198.51.100.7:500',
        '"aws-vpn-1" #1: STATE_V2_ESTABLISHED_IKE_SA: retransmission; will wait 0.5 seconds for response',
    ],
)
def test_protocol_identifiers_are_not_masked(line: str) -> None:
    assert mask_secrets(line) == line


def test_aws_tunnel_option_names_are_not_masked() -> None:
    """The EC2 API's names of a tunnel's phase options, as the fixes name them (the phase 1 proposal fix)."""
    text = "Compare the tunnel's Phase1EncryptionAlgorithms, Phase2IntegrityAlgorithms and Phase1DHGroupNumbers"
    assert mask_secrets(text) == text
    assert mask_secrets("Phase1EncryptionAlgorithms wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY") == (
        "Phase1EncryptionAlgorithms ****")


def test_random_tokens_with_underscores_are_still_masked() -> None:
    assert mask_secrets("token Ab9_xK2m_Qr7t_Zz8yWv4u3s2r1q") == "token ****"


@pytest.mark.parametrize(
    "token",
    [
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",  # AWS's example secret key: its parts are of mixed case
        "Secret-Password-2024-Admin",  # capitalised words and a number, no protocol code among them
        "VS=aB3dE5fG7hJ9kL1mN3pQ5rS7tU9-CID=0x1",  # a random value between protocol words
    ],
)
def test_random_tokens_joined_by_separators_are_still_masked(token: str) -> None:
    assert mask_secrets(f"value {token} seen") == "value **** seen"
