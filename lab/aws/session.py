"""Clients for the standard credential chain, cached per (profile, region, service), read-only by construction.

Two guards keep VPN Lab read-only:
- code in `lab.aws` calls AWS only through `Aws.call(service, "Operation", ...)` and
  `Aws.pages(...)`, which refuse any operation not in `READ_ONLY_OPERATIONS`;
- every client this module builds carries a botocore `before-call` hook that refuses the same,
  so even a client method called directly cannot change anything.

Three more keep a bad network from lying or hanging: every call (with its retries) has an overall
deadline (`CALL_DEADLINE_S`, stated in the message), a response body is read up to
`MAX_RESPONSE_BYTES` and no further, and a response that is a web page (a captive portal, a proxy
login) instead of the AWS API is an error, not an empty answer.

Credentials are never read, stored or printed here: boto3's standard chain (environment,
shared profiles, SSO, roles) resolves them inside botocore.
"""

from __future__ import annotations

import functools
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from threading import get_ident
from typing import Any

import boto3
import botocore.session
from botocore.client import BaseClient
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, ProfileNotFound
from botocore.parsers import ResponseParserError

from lab.aws.failures import REPLAYS, translate
from lab.errors import AwsError, CredentialsError, EndpointError

# Every exception botocore raises for a failed call (ResponseParserError is not a BotoCoreError).
BOTO_ERRORS = (BotoCoreError, ClientError, ResponseParserError)

# service -> the operations VPN Lab performs. Only Describe*/Get*/List*, FilterLogEvents and
# GetCallerIdentity may ever be added (tests/aws/test_read_only.py checks it and the README's policy).
READ_ONLY_OPERATIONS: Mapping[str, frozenset[str]] = {
    "sts": frozenset({"GetCallerIdentity"}),
    "ec2": frozenset(
        {"DescribeVpnConnections", "DescribeCustomerGateways", "GetVpnTunnelReplacementStatus"}
    ),
    "cloudwatch": frozenset({"GetMetricData"}),
    "logs": frozenset({"FilterLogEvents"}),
    "health": frozenset({"DescribeAffectedEntities", "DescribeEvents"}),
}

# IAM action prefix per service (the README's minimal policy is exactly these actions).
_IAM_PREFIX = {"sts": "sts", "ec2": "ec2", "cloudwatch": "cloudwatch", "logs": "logs", "health": "health"}
IAM_ACTIONS: tuple[str, ...] = tuple(
    sorted(f"{_IAM_PREFIX[s]}:{op}" for s, ops in READ_ONLY_OPERATIONS.items() for op in ops)
)

# The AWS Health API is global: its endpoint lives in us-east-1 for the aws partition.
HEALTH_REGION = "us-east-1"

READ_TIMEOUT_ENV = "VPNLAB_AWS_READ_TIMEOUT"
DEFAULT_READ_TIMEOUT_S = 20.0


def client_config() -> Config:
    """Standard retries and bounded waits; VPNLAB_AWS_READ_TIMEOUT (seconds) raises the read wait.

    The tests' local AWS endpoint on a busy machine can take longer than AWS ever does to answer a
    week of metrics; they raise the wait rather than fail on the machine's speed.
    """
    raw = os.environ.get(READ_TIMEOUT_ENV, "").strip()
    read_timeout = DEFAULT_READ_TIMEOUT_S
    if raw:
        try:
            read_timeout = float(raw)
        except ValueError:
            read_timeout = -1.0
        if not 0 < read_timeout < float("inf"):
            raise AwsError(f"{READ_TIMEOUT_ENV} must be a positive number of seconds; it is '{raw}'.")
    return Config(
        retries={"mode": "standard"},  # 3 attempts unless AWS_MAX_ATTEMPTS or the profile says otherwise
        connect_timeout=5,
        read_timeout=read_timeout,
    )


# Overall time for one API call including botocore's retries (a per-read timeout alone lets an endpoint
# that trickles a byte every few seconds hang forever). VPN_LAB_AWS_DEADLINE_S overrides it (tests).
CALL_DEADLINE_S = 60.0
# No AWS answer VPN Lab reads comes near this (FilterLogEvents pages are at most 1 MB).
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
_CHUNK = 64 * 1024


def call_deadline_s() -> float:
    try:
        value = float(os.environ.get("VPN_LAB_AWS_DEADLINE_S", "") or CALL_DEADLINE_S)
    except ValueError:
        return CALL_DEADLINE_S
    return value if 0 < value <= 3600 else CALL_DEADLINE_S


class _BoundedRaw:
    """What botocore reads a response body from, once the body has been read within the bounds."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, *_: Any, **__: Any) -> Iterator[bytes]:
        yield self._body

    def read(self, *_: Any, **__: Any) -> bytes:
        body, self._body = self._body, b""
        return body

    def close(self) -> None:
        self._body = b""


_HTML_START = (b"<!doctype html", b"<html", b"<head", b"<body", b"<!--")


def _bounded_sender(client: BaseClient, service: str) -> Callable[..., Any]:
    """A before-send hook that sends the request itself and reads the answer within the bounds."""

    def _send(request: Any, **_: Any) -> Any:
        from botocore.awsrequest import AWSResponse

        if getattr(request, "stream_output", False):
            return None  # streaming bodies (none in VPN Lab) keep botocore's own handling
        http = client._endpoint.http_session
        request.stream_output = True  # botocore then leaves the body to us
        try:
            response = http.send(request)
        finally:
            request.stream_output = False
        raw = response.raw
        host = request.url.split("/")[2] if "://" in request.url else request.url
        chunks: list[bytes] = []
        size = 0
        try:
            reader = getattr(raw, "read1", None) or raw.read
            while True:
                if get_ident() in _CANCELLED:
                    raise EndpointError(f"The AWS endpoint {host} did not finish answering in time.")
                chunk = reader(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise EndpointError(
                        f"The AWS endpoint {host} sent more than {MAX_RESPONSE_BYTES // (1024 * 1024)} MB for "
                        f"{service}; no AWS answer VPN Lab reads is that large, so it was not read further.",
                        f"Check AWS_ENDPOINT_URL and any proxy between you and AWS. {REPLAYS}",
                    )
                chunks.append(chunk)
        except BaseException:
            raw.close()  # drop the connection: the rest of this body is never read
            raise
        body = b"".join(chunks)
        ctype = str(response.headers.get("Content-Type", "")).lower()
        # A 2xx web page parses as an empty answer ("no connections"); errors keep botocore's handling.
        # The body decides, not the Content-Type (some AWS-compatible endpoints label JSON as text/html).
        html = body.lstrip()[:16].lower().startswith(_HTML_START)
        if html and 200 <= response.status_code < 300:
            raise EndpointError(
                f"The endpoint {host} answered {service} with a web page (HTTP {response.status_code}, "
                f"{ctype or 'no content type'}), not the AWS API: a captive portal, a proxy login page or a "
                "wrong AWS_ENDPOINT_URL.",
                f"Sign in to the network or fix the proxy / AWS_ENDPOINT_URL, then try again. {REPLAYS}",
            )
        return AWSResponse(response.url, response.status_code, response.headers, _BoundedRaw(body))

    return _send


# Threads whose call ran past its deadline: their reads stop at the next chunk.
_CANCELLED: set[int] = set()


def within_deadline(fn: Callable[[], Any], what: str, region: str | None) -> Any:
    """fn() run with the overall deadline; past it, an EndpointError that states the deadline."""
    limit = call_deadline_s()
    box: dict[str, Any] = {}

    def _target() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller's thread as is
            box["error"] = exc
        finally:
            _CANCELLED.discard(get_ident())

    worker = threading.Thread(target=_target, name="vpn-lab-aws-call", daemon=True)
    worker.start()
    worker.join(limit)
    if worker.is_alive():
        if worker.ident is not None:
            _CANCELLED.add(worker.ident)
        raise EndpointError(
            f"{what} in {region or 'the default region'} did not finish within {limit:g} s (the overall deadline "
            "for one AWS call, retries included); the endpoint is unreachable, very slow or not AWS.",
            f"Check the network, proxy or AWS_ENDPOINT_URL, then try again. {REPLAYS}",
        )
    if "error" in box:
        raise box["error"]
    return box.get("value")


class ReadOnlyViolation(RuntimeError):
    """A programming error: something tried an AWS operation that VPN Lab does not allow."""


def _check_read_only(service: str, operation: str) -> None:
    if operation not in READ_ONLY_OPERATIONS.get(service, frozenset()):
        raise ReadOnlyViolation(
            f"{service}:{operation} is not one of VPN Lab's read-only operations; it was not sent."
        )


def _guard_hook(service: str) -> Callable[..., None]:
    def _before_call(model: Any, **_: Any) -> None:
        _check_read_only(service, model.name)

    return _before_call


_CLIENTS: dict[tuple[str | None, str, str, str], BaseClient] = {}
_LOCK = threading.Lock()


@functools.cache
def _data_loader() -> Any:
    """botocore's reader of its bundled service descriptions, shared by every session VPN Lab makes.

    A new botocore session reads and parses a service's description (several MB of JSON for EC2) and
    the endpoint list again; shared, each is read once per process, as boto3's default session does.
    """
    return botocore.session.Session().get_component("data_loader")


def _session(profile: str | None = None) -> botocore.session.Session:
    session = botocore.session.Session(profile=profile)
    session.register_component("data_loader", _data_loader())
    return session


def _build_client(profile: str | None, region: str, service: str) -> BaseClient:
    # A fresh session per client: sessions are not thread-safe, clients are.
    client = _session(profile).create_client(service, region_name=region, config=client_config())
    # Each client has its own copy of the event emitter, so the hook applies to this client only.
    client.meta.events.register("before-call", _guard_hook(service))
    client.meta.events.register("before-send", _bounded_sender(client, service))
    return client


def cached_client(profile: str | None, region: str, service: str) -> BaseClient:
    """The read-only-guarded client for (profile, region, service), built once and reused."""
    # The endpoint override (AWS_ENDPOINT_URL, used by the tests' local server) is part of the key.
    key = (profile, region, service, os.environ.get("AWS_ENDPOINT_URL", ""))
    with _LOCK:
        client = _CLIENTS.get(key)
    if client is not None:
        return client
    try:
        client = _build_client(profile, region, service)
    except BotoCoreError as exc:
        raise translate(exc, service=service, operation="", profile=profile, region=region) from exc
    except ValueError as exc:  # botocore: "Invalid endpoint: ..." for a malformed AWS_ENDPOINT_URL
        raise EndpointError(
            f"Cannot use the AWS endpoint for {service}: {exc}.",
            f"Fix or unset AWS_ENDPOINT_URL (it must be a URL such as https://ec2.{region}.amazonaws.com). {REPLAYS}",
        ) from None
    with _LOCK:
        return _CLIENTS.setdefault(key, client)


def forget_clients(profile: str | None = None, region: str | None = None) -> None:
    """Drop cached clients (all, or one profile/region) so new credentials are picked up."""
    with _LOCK:
        for key in list(_CLIENTS):
            if (profile is None or key[0] == profile) and (region is None or key[1] == region):
                del _CLIENTS[key]


class Aws:
    """One view's access to AWS: a profile and a region, cached clients, and a count of API calls.

    `clients` injects ready clients per service (tests use botocore's Stubber on them); otherwise
    clients come from the standard credential chain and are cached per (profile, region, service).
    """

    def __init__(
        self,
        profile: str | None = None,
        region: str | None = None,
        *,
        clients: Mapping[str, BaseClient] | None = None,
    ) -> None:
        self.profile = profile or None
        self.region = region or default_region(self.profile)
        self._injected = dict(clients or {})
        self.calls: Counter[str] = Counter()

    @property
    def call_count(self) -> int:
        return sum(self.calls.values())

    def _client(self, service: str) -> BaseClient:
        if service in self._injected:
            return self._injected[service]
        region = HEALTH_REGION if service == "health" else self.region
        return cached_client(self.profile, region, service)

    def _method(self, service: str, operation: str) -> Callable[..., Any]:
        _check_read_only(service, operation)
        client = self._client(service)
        return getattr(client, botocore.xform_name(operation))

    def call(self, service: str, operation: str, **params: Any) -> dict[str, Any]:
        """One read-only API call; botocore errors come back as lab.errors.AwsError subclasses."""
        method = self._method(service, operation)
        self.calls[operation] += 1
        try:
            return within_deadline(lambda: method(**params), f"{service}:{operation}", self.region)
        except BOTO_ERRORS as exc:
            raise self._translated(exc, service, operation) from exc

    def pages(self, service: str, operation: str, *, max_pages: int = 50, **params: Any) -> Iterator[dict[str, Any]]:
        """Pages of a read-only paginated operation, one counted API call per page."""
        _check_read_only(service, operation)
        client = self._client(service)
        paginator = client.get_paginator(botocore.xform_name(operation))
        iterator = iter(paginator.paginate(**params))
        for _ in range(max_pages):
            self.calls[operation] += 1
            try:
                page = within_deadline(lambda: next(iterator, None), f"{service}:{operation}", self.region)
                if page is None:
                    raise StopIteration
            except StopIteration:
                self.calls[operation] -= 1  # the paginator made no request for the missing page
                return
            except BOTO_ERRORS as exc:
                raise self._translated(exc, service, operation) from exc
            yield page

    def _translated(self, exc: Exception, service: str, operation: str) -> AwsError:
        error = translate(exc, service=service, operation=operation, profile=self.profile, region=self.region)
        if isinstance(error, CredentialsError):
            # A client built without (or with expired) credentials keeps failing; rebuild next time.
            forget_clients(self.profile)
        return error


def available_profiles() -> list[str]:
    """Profile names from the user's AWS config and credentials files (no credentials read)."""
    try:
        return sorted(botocore.session.Session().available_profiles)
    except BotoCoreError as exc:  # a malformed config file
        raise translate(exc, service="config", operation="", profile=None, region=None) from exc


def default_region(profile: str | None = None) -> str:
    """The profile's (or environment's) default region, else us-east-1."""
    try:
        region = boto3.Session(profile_name=profile).region_name
    except ProfileNotFound:  # the first call reports the unknown profile with what to do
        region = None
    except BotoCoreError as exc:
        raise translate(exc, service="config", operation="", profile=profile, region=None) from exc
    return region or "us-east-1"


def available_regions() -> list[str]:
    """Regions where EC2 (and so Site-to-Site VPN) exists, from botocore's bundled endpoint data."""
    return list(_ec2_regions())


@functools.cache
def _ec2_regions() -> tuple[str, ...]:
    # The bundled endpoint data does not change while the process runs.
    return tuple(sorted(_session().get_available_regions("ec2")))
