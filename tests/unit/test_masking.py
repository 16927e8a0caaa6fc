"""One masking function for every output: vendor secret syntax masked, log prose kept."""

from __future__ import annotations

import re
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


def test_the_labs_own_texts_read_the_same_after_masking() -> None:
    # Every page, report and CLI output goes through mask_secrets, the lab's own sentences included: a sentence
    # such as "pre-shared key changed on one side" or Korean "PSK 불일치" must not come out as "pre-shared key ****".
    # (A database URL written as an example, postgresql://user:password@host, may: it reads as a placeholder.)
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2] / "lab" / "i18n" / "locale"
    changed = []
    for path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        with path.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            for text in (message.id, message.string):
                for one in (text if isinstance(text, tuple | list) else (text,)):
                    if one and "://user:password@" not in one and mask_secrets(one) != one:
                        changed.append(f"{path.parent.parent.name}/{path.name}: {one[:100]}")
    assert not changed, "\n".join(changed)


def test_the_device_commands_of_every_fix_read_the_same_after_masking() -> None:
    # The fixes write "<the tunnel's pre-shared key>" where the key goes and other placeholders in angle brackets;
    # masking the output (CLI, page, report) must not turn them into "**** tunnel's pre-shared key>".
    from lab.triage.fixes import build_fix, families, fixes

    changed = []
    for ref in fixes():
        for family in families():
            for c in build_fix(ref, {}, family).commands:
                for text in (c.command, c.note):
                    if text and mask_secrets(text) != text:
                        changed.append(f"{ref} {family} {c.action}: {mask_secrets(text)[:120]}")
    assert not changed, "\n".join(changed)


def test_a_placeholder_of_several_words_after_a_key_keyword_is_kept_and_a_one_word_value_masked() -> None:
    assert mask_secrets("pre-shared-key <the tunnel's pre-shared key>") == "pre-shared-key <the tunnel's pre-shared key>"
    assert mask_secrets("set psksecret <AWS tunnel outside IP>") == "set psksecret <AWS tunnel outside IP>"
    assert mask_secrets("pre-shared-key <MyS3cret>") == "pre-shared-key ****"
    assert mask_secrets("pre-shared-key <abc def") == "pre-shared-key **** def"
    assert mask_secrets("pre-shared-secret '<the tunnel's pre-shared key>'") == (
        "pre-shared-secret '<the tunnel's pre-shared key>'")
    assert mask_secrets('secret = "<the key> x"') == 'secret = "****"'  # more than the placeholder in the quotes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # prose about keys: the spelled-out name with an English word, a parenthetical, a word in another script
        ("Pre-shared key changed on one side", "Pre-shared key changed on one side"),
        ("authentication failed (pre-shared key mismatch)", "authentication failed (pre-shared key mismatch)"),
        ("the hash that proves the pre-shared key (13870) did not verify",
         "the hash that proves the pre-shared key (13870) did not verify"),
        ("이쪽에서 인증이 실패했습니다: PSK 불일치, 피어 ID에 대한 PSK 없음", "이쪽에서 인증이 실패했습니다: PSK 불일치, 피어 ID에 대한 PSK 없음"),
        # keys stay masked: a value with digits, a quoted one, a CLI keyword's value
        ("pre-shared key cisco123", "pre-shared key ****"),
        ('pre-shared key "my secret"', 'pre-shared key "****"'),
        ("crypto isakmp key cisco address 192.0.2.1", "crypto isakmp key **** address 192.0.2.1"),
        ("tunnel-group 192.0.2.1 ipsec-attributes pre-shared-key cisco", "tunnel-group 192.0.2.1 ipsec-attributes pre-shared-key ****"),
    ],
)
def test_prose_about_keys_is_kept_and_keys_are_masked(text: str, expected: str) -> None:
    assert mask_secrets(text) == expected


def test_links_are_kept_and_keys_in_them_masked() -> None:
    # The incident report and the pages cite AWS's documentation: its links read the same after masking ...
    root = Path(__file__).resolve().parents[2] / "lab" / "data"
    urls = {u for path in root.rglob("*.yaml") for u in re.findall(r"https?://[^\s'\"<>)\]]+", path.read_text())}
    assert len(urls) > 50
    assert [u for u in urls if mask_secrets(f"- [doc]({u})") != f"- [doc]({u})"] == []
    # ... while a key in a query string or put in a path is masked
    presigned = ("https://bucket.s3.amazonaws.com/obj?X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524"
                 "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    assert "AKIAIOSFODNN7EXAMPLE" not in mask_secrets(presigned)
    assert "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404" not in mask_secrets(presigned)
    assert "wJalrXUtnFEMIK7MDENG" not in mask_secrets("https://example.com/hook/wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY9x")
