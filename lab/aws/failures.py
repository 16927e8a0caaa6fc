"""Turn botocore's exceptions into the app's AwsError subclasses: one clear message and what to do.

The messages never contain credentials: botocore's own messages name profiles, operations and
ARNs, never keys. Every hint ends by pointing at the replays, which work without an account.
"""

from __future__ import annotations

import re

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConfigParseError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ProxyConnectionError,
    ReadTimeoutError,
    SSOError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.parsers import ResponseParserError

from lab.errors import (
    AccessDeniedError,
    AwsError,
    CredentialsError,
    EndpointError,
    ResourceNotFoundError,
    ServiceUnavailableError,
    ThrottledError,
)

REPLAYS = (
    "Meanwhile, the bundled incident replays work without an account "
    "(Monitor page: Source, or `vpn-lab status --replay SLUG`)."
)

_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"}
_INVALID = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "AuthFailure",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "IncompleteSignature",
    "MissingAuthenticationToken",
}
_DENIED = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedAccess",
    "Blocked",
}
_THROTTLED = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "SlowDown",
    "LimitExceededException",
}
_NOT_FOUND = {
    "InvalidVpnConnectionID.NotFound",
    "InvalidVpnConnectionID.Malformed",
    "InvalidVpnConnectionId.NotFound",
    "InvalidCustomerGatewayID.NotFound",
    "ResourceNotFoundException",
}
_PERMISSION = re.compile(r"perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)")
_VPN_ID = re.compile(r"vpn-[0-9a-f]+")
_IAM_SERVICE = {"sts": "sts", "ec2": "ec2", "cloudwatch": "cloudwatch", "logs": "logs", "health": "health"}


def _profile_text(profile: str | None) -> str:
    return f"profile '{profile}'" if profile else "the default credential chain"


def _profile_arg(profile: str | None) -> str:
    return f" --profile {profile}" if profile else ""


def translate(
    exc: BaseException,
    *,
    service: str,
    operation: str,
    profile: str | None,
    region: str | None,
) -> AwsError:
    """The AwsError for a botocore exception raised by `service:operation`."""
    what = f"{service}:{operation}" if operation else service
    if isinstance(exc, ProfileNotFound):
        return CredentialsError(
            f"The AWS profile '{profile}' is not in your AWS config.",
            "Choose another profile, or add it with `aws configure --profile NAME` "
            f"(or `aws configure sso`). {REPLAYS}",
        )
    if isinstance(exc, ConfigParseError):
        return CredentialsError(
            f"Your AWS config file could not be read: {exc}",
            "Fix the file it names (or point AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at a valid "
            f"one), then refresh. {REPLAYS}",
        )
    if isinstance(exc, UnauthorizedSSOTokenError | SSOError | TokenRetrievalError):
        return CredentialsError(
            f"The AWS SSO session for {_profile_text(profile)} has expired or was never started.",
            f"Sign in again with `aws sso login{_profile_arg(profile)}`, then refresh. {REPLAYS}",
        )
    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return CredentialsError(
            f"No AWS credentials found for {_profile_text(profile)}.",
            "Set up credentials the standard way (`aws configure`, `aws configure sso` then "
            "`aws sso login`, environment variables, or an instance/role profile), then choose the "
            f"profile. Never paste keys into VPN Lab. {REPLAYS}",
        )
    if isinstance(exc, NoRegionError):
        return AwsError("No AWS region chosen.", f"Choose a region, or set one in your AWS config. {REPLAYS}")
    if isinstance(exc, EndpointConnectionError | ConnectTimeoutError | ProxyConnectionError):
        return EndpointError(
            f"Could not reach the AWS endpoint for {service} in {region}: {exc}",
            "Check the network, proxy settings (HTTPS_PROXY) or VPC endpoint, and the region; if "
            f"AWS_ENDPOINT_URL is set, check that the endpoint it names is running. {REPLAYS}",
        )
    if isinstance(exc, ConnectionClosedError):
        return EndpointError(
            f"The AWS endpoint for {service} in {region} closed the connection without answering.",
            f"Try again in a moment; a proxy, firewall or AWS_ENDPOINT_URL that is not AWS can cause this. {REPLAYS}",
        )
    if isinstance(exc, ReadTimeoutError):
        return EndpointError(
            f"The AWS endpoint for {service} in {region} did not answer in time.",
            f"Try again in a moment; check the network or proxy if it persists. {REPLAYS}",
        )
    if isinstance(exc, ResponseParserError):
        return AwsError(
            f"{what} failed in {region}: the endpoint answered with something that is not an AWS response.",
            "Check AWS_ENDPOINT_URL, proxies or the VPC endpoint between you and AWS, then refresh. "
            f"{REPLAYS}",
        )
    if isinstance(exc, ClientError):
        return _client_error(exc, service=service, operation=operation, profile=profile, region=region)
    if isinstance(exc, BotoCoreError):
        return AwsError(
            f"{what} failed: {exc}",
            f"Check the profile, region and endpoint, then refresh. {REPLAYS}",
        )
    raise TypeError(f"not a botocore error: {type(exc).__name__}") from exc


def _client_error(
    exc: ClientError, *, service: str, operation: str, profile: str | None, region: str | None
) -> AwsError:
    error = exc.response.get("Error", {})
    code = str(error.get("Code", ""))
    message = str(error.get("Message", "")) or str(exc)
    if message.lstrip().startswith("<"):
        # An HTML error page (a proxy, or an emulator without this API) says nothing useful.
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "?")
        message = f"the endpoint answered HTTP {status} with an HTML page instead of an AWS response"
    if code in _EXPIRED:
        return CredentialsError(
            f"The AWS session token for {_profile_text(profile)} has expired.",
            f"Refresh your credentials (`aws sso login{_profile_arg(profile)}`, or assume the role "
            f"again), then refresh this view. {REPLAYS}",
        )
    if code in _INVALID:
        return CredentialsError(
            f"AWS rejected the credentials of {_profile_text(profile)} ({code}).",
            "Check that the keys or role in your AWS config are current and belong to this "
            f"partition, or choose another profile. {REPLAYS}",
        )
    if code in _DENIED:
        found = _PERMISSION.search(message)
        permission = found.group(1) if found else f"{_IAM_SERVICE.get(service, service)}:{operation}"
        return AccessDeniedError(
            f"Access denied: the identity used by {_profile_text(profile)} lacks {permission}.",
            f"Allow {permission} in the identity's IAM policy (the README section 'Live AWS: minimal "
            f"IAM policy' lists every read-only action VPN Lab uses). {REPLAYS}",
            permission=permission,
        )
    if code in _THROTTLED:
        return ThrottledError(
            f"AWS kept throttling {service}:{operation} in {region} after the SDK's retries.",
            "Wait a minute and refresh, turn auto-refresh off or slow it down, and look at fewer "
            f"connections at once. {REPLAYS}",
        )
    if code in _NOT_FOUND:
        ids = _VPN_ID.findall(message)
        ident = ids[0] if ids else "that id"
        return ResourceNotFoundError(
            f"The VPN connection {ident} does not exist in {region} for this account.",
            f"Check the id (vpn-...), the region and the profile. {REPLAYS}",
        )
    if code == "SubscriptionRequiredException":
        return ServiceUnavailableError(
            "The AWS Health API is not available on this account's support plan.",
            "The AWS Health API needs a Business, Enterprise On-Ramp or Enterprise support plan. "
            "Health notices still reach the AWS Health Dashboard and the account's email; the rest "
            "of this view works without them.",
        )
    if code == "OptInRequired":
        return AccessDeniedError(
            f"The account is not subscribed to {service} in {region}.",
            f"Choose another region or enable it for the account. {REPLAYS}",
            permission=f"{service}:{operation}",
        )
    return AwsError(
        f"{service}:{operation} failed in {region}: {code or 'error'}: {message}",
        f"Check the profile, region and inputs, then refresh. {REPLAYS}",
    )
