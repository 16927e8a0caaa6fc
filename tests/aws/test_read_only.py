"""VPN Lab only reads from AWS: every operation is read-only, nothing else can be sent, and the
README's IAM policy is exactly the actions used."""

from __future__ import annotations

import ast
import json
import re

import pytest

from lab import PACKAGE_DIR, PROJECT_DIR, aws
from lab.aws.session import cached_client

AWS_DIR = PACKAGE_DIR / "aws"
READ_ONLY = re.compile(r"^(Describe|Get|List)[A-Za-z]+$|^FilterLogEvents$")


def _operations_in_source() -> set[tuple[str, str]]:
    """Every (service, operation) literal passed to Aws.call / Aws.pages in lab/aws."""
    found = set()
    for path in AWS_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"call", "pages"}
                and len(node.args) >= 2
            ):
                service, operation = node.args[0], node.args[1]
                assert isinstance(service, ast.Constant) and isinstance(operation, ast.Constant), (
                    f"{path.name}:{node.lineno}: AWS operations must be literal strings so this test can read them"
                )
                found.add((service.value, operation.value))
    return found


def test_allowed_operations_are_all_read_only() -> None:
    for service, operations in aws.READ_ONLY_OPERATIONS.items():
        for op in operations:
            assert READ_ONLY.match(op), f"{service}:{op} is not a read-only operation"


def test_every_operation_in_the_code_is_allowed() -> None:
    used = _operations_in_source()
    assert used, "no AWS operation found: the scan is broken"
    allowed = {(s, op) for s, ops in aws.READ_ONLY_OPERATIONS.items() for op in ops}
    assert used <= allowed, f"not allowed: {sorted(used - allowed)}"


def test_every_allowed_operation_is_used() -> None:
    allowed = {(s, op) for s, ops in aws.READ_ONLY_OPERATIONS.items() for op in ops}
    assert allowed == _operations_in_source()


def test_no_client_method_is_called_directly() -> None:
    """Nothing in lab/aws calls a boto3 client method except through Aws.call/Aws.pages (the botocore
    session's own methods that build a client are not AWS calls)."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in AWS_DIR.glob("*.py"))
    not_calls = r"get_paginator\(|get_available_regions\(|get_component\(|create_client\("
    pattern = rf"\.(?!{not_calls})(describe|get|list|create|delete|modify|replace|put|update)_[a-z_]+\("
    assert not re.search(pattern, text)


def test_a_write_operation_is_refused_before_sending() -> None:
    with pytest.raises(aws.ReadOnlyViolation):
        aws.Aws(region="us-east-1").call("ec2", "DeleteVpnConnection", VpnConnectionId="vpn-0123456789abcdef0")


def test_a_write_through_a_raw_client_is_refused_by_the_hook() -> None:
    aws.forget_clients()
    client = cached_client(None, "us-east-1", "ec2")
    with pytest.raises(aws.ReadOnlyViolation):
        client.modify_vpn_tunnel_options(
            VpnConnectionId="vpn-0123456789abcdef0", VpnTunnelOutsideIpAddress="203.0.113.10", TunnelOptions={}
        )


def test_only_lab_aws_imports_boto3() -> None:
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        if AWS_DIR in path.parents:
            continue
        if re.search(r"^\s*(import|from)\s+(boto3|botocore)\b", path.read_text(encoding="utf-8"), re.M):
            offenders.append(str(path.relative_to(PROJECT_DIR)))
    assert offenders == []


def _policy_document() -> dict:
    for name in ("README.md", "docs/iam-policy.md"):
        path = PROJECT_DIR / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        if "Live AWS: minimal IAM policy" not in text:
            continue
        section = text.split("Live AWS: minimal IAM policy", 1)[1]
        block = re.search(r"```json\n(.*?)```", section, re.S)
        assert block, f"{name}: the IAM policy section has no ```json block"
        return json.loads(block.group(1))
    raise AssertionError("no 'Live AWS: minimal IAM policy' section in README.md or docs/iam-policy.md")


def test_documented_iam_policy_is_exactly_the_actions_used() -> None:
    doc = _policy_document()
    actions = sorted(a for st in doc["Statement"] for a in st["Action"])
    assert actions == sorted(aws.IAM_ACTIONS)
    assert all(st["Effect"] == "Allow" for st in doc["Statement"])
