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

Pages catch LabError and show it in the page language with `lab.i18n.render(error)` (plus `hint` when
present); nothing catches bare Exception to hide it. An error raised with a `lab.i18n.Msg` keeps it as `msg`:
`str(error)` is the English, `render(error, "ko")` the Korean.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lab.i18n import N_, M


class LabError(Exception):
    """Base of every error that VPN Lab reports to its user."""

    hint: str = ""
    msg: object = None  # the message as a lab.i18n.Msg, when it was raised with one

    def __init__(self, *args: object) -> None:
        if args and hasattr(args[0], "render"):
            self.msg = args[0]
        super().__init__(*args)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickle (a worker process, a cache) rebuilds an exception by calling its class with `args`, which are the
        # message, not the constructor's parameters of DataError or NotFoundError: restore message and fields as
        # they are instead of calling __init__ again.
        return (_restore, (type(self), self.args, dict(self.__dict__)))


def _restore(cls: type[LabError], args: tuple[object, ...], fields: dict[str, object]) -> LabError:
    """An unpickled LabError: its message (`args`) and its fields, without running its __init__ again."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(fields)
    return error


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
        label = M(kind) if kind in _KINDS else kind
        msg: str
        if message:  # the caller's own sentence (already in the reader's language, or a Msg)
            msg = M("{message} Valid choices: {choices}", message=message, choices=", ".join(self.choices)) \
                if self.choices else message
        elif self.choices:
            msg = M("Unknown {kind} '{ident}'. Valid choices: {choices}", kind=label, ident=ident,
                    choices=", ".join(self.choices))
        else:
            msg = M("Unknown {kind} '{ident}'.", kind=label, ident=ident)
        super().__init__(msg)


# The kinds of id NotFoundError names (translated in the message; others are shown as given).
_KINDS = frozenset({
    N_('VPN connection'),
    N_('class code'),
    N_('customer gateway family'),
    N_('diagnosis on the shortlist'),
    N_('fact'),
    N_('failure kind'),
    N_('replay'),
    N_('sample log'),
    N_('scenario'),
    N_('time window'),
    N_('tree'),
    N_("tree node reference (expected '<tree id>/<node id>')"),
    N_('tunnel in the evidence'),
})


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
