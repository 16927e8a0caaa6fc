"""The app's errors survive pickling (a worker process, a cache) with their message and their fields."""

from __future__ import annotations

import pickle

import pytest

from lab.errors import AccessDeniedError, DataError, InputError, LabError, NotFoundError
from lab.i18n import M, render


def _again(error: LabError) -> LabError:
    return pickle.loads(pickle.dumps(error))


def test_not_found_keeps_its_message_kind_ident_and_choices() -> None:
    error = NotFoundError("scenario", "s9", ["s1", "s2"])
    back = _again(error)
    assert type(back) is NotFoundError and isinstance(back, InputError)
    assert str(back) == str(error) == "Unknown scenario 's9'. Valid choices: s1, s2"
    assert (back.kind, back.ident, back.choices) == ("scenario", "s9", ["s1", "s2"])
    assert render(back, "ko") == render(error, "ko") != str(error)  # still renders in Korean


def test_not_found_with_its_own_sentence_keeps_it() -> None:
    back = _again(NotFoundError("lesson", "x", message="There is no lesson with the id x."))
    assert str(back) == "There is no lesson with the id x." and back.ident == "x"


def test_data_error_keeps_its_path_and_every_problem() -> None:
    error = DataError("lab/data/trees/tunnel-down.yaml", ["nodes.a: unknown key 'b'", "start: missing"])
    back = _again(error)
    assert type(back) is DataError
    assert str(back) == str(error)
    assert back.lines() == ["lab/data/trees/tunnel-down.yaml: nodes.a: unknown key 'b'",
                            "lab/data/trees/tunnel-down.yaml: start: missing"]


def test_an_aws_error_keeps_its_hint_and_permission() -> None:
    back = _again(AccessDeniedError("Access denied", "Add the permission.", permission="ec2:DescribeVpnConnections"))
    assert (str(back), back.hint, back.permission) == ("Access denied", "Add the permission.",
                                                       "ec2:DescribeVpnConnections")


def test_a_plain_input_error_with_a_message_object_keeps_it() -> None:
    back = _again(InputError(M("The log files are empty.")))
    assert str(back) == "The log files are empty." and back.msg == "The log files are empty."
    with pytest.raises(InputError, match="empty"):
        raise back
