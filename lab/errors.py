"""The one error hierarchy of VPN Lab.

    LabError                      base: every error the app expects and explains to the user
    ├── DataError                 a shipped or user-supplied data file is invalid (names file and problems)
    ├── InputError                a user input cannot be used (unknown id, unreadable log, bad option)
    │   └── NotFoundError         an id that does not exist (lesson, tree node, scenario, replay)
    └── AwsError                  a call to AWS failed; `hint` says what to do
        ├── CredentialsError      no credentials, or an expired token / SSO session
        ├── AccessDeniedError     the identity lacks a permission (`permission` names it)
        ├── ThrottledError        still throttled after the SDK's retries
        ├── EndpointError         the endpoint could not be reached
        ├── ResourceNotFoundError an unknown VPN connection id
        └── ServiceUnavailableError  an API not available to the account (AWS Health without a support plan)

Pages catch LabError and show `str(error)` (plus `hint` when present); nothing catches bare
Exception to hide it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class LabError(Exception):
    """Base of every error that VPN Lab reports to its user."""

    hint: str = ""


class DataError(LabError):
    """A data file (lesson, tree, pattern, scenario, dataset) failed validation."""

    def __init__(self, path: Path | str, problems: Sequence[str]) -> None:
        self.path = str(path)
        self.problems = list(problems) or ["invalid"]
        super().__init__(f"{self.path}: " + "; ".join(self.problems))

    def lines(self) -> list[str]:
        """One `path: problem` line per problem, as printed by `--check` commands."""
        return [f"{self.path}: {p}" for p in self.problems]


class InputError(LabError):
    """A user input that cannot be used as given."""


class NotFoundError(InputError):
    """An id (lesson, tree, node, scenario, replay) that does not exist."""

    def __init__(self, kind: str, ident: str, choices: Sequence[str] = (), *, message: str = "") -> None:
        self.kind, self.ident, self.choices = kind, ident, list(choices)
        msg = message or f"Unknown {kind} '{ident}'."
        if self.choices:
            msg += " Valid choices: " + ", ".join(self.choices)
        super().__init__(msg)


class AwsError(LabError):
    """A call to AWS failed. The message says what happened, `hint` what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class CredentialsError(AwsError):
    """No usable credentials (none found, or an expired token or SSO session)."""


class AccessDeniedError(AwsError):
    """The caller lacks a permission."""

    def __init__(self, message: str, hint: str = "", permission: str = "") -> None:
        super().__init__(message, hint)
        self.permission = permission


class ThrottledError(AwsError):
    """AWS kept throttling after the SDK's standard retries."""


class EndpointError(AwsError):
    """The AWS endpoint could not be reached."""


class ResourceNotFoundError(AwsError):
    """An AWS resource id that does not exist in this account and region."""


class ServiceUnavailableError(AwsError):
    """An API that this account cannot use (e.g. AWS Health without Business/Enterprise support)."""
