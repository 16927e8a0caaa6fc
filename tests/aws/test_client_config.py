"""AWS client settings: standard retries, bounded waits, and a read wait an operator can raise."""

from __future__ import annotations

import pytest

from lab.aws.session import DEFAULT_READ_TIMEOUT_S, READ_TIMEOUT_ENV, client_config
from lab.errors import AwsError


def test_clients_wait_20_seconds_for_an_answer_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(READ_TIMEOUT_ENV, raising=False)
    config = client_config()
    assert config.read_timeout == DEFAULT_READ_TIMEOUT_S == 20
    assert config.retries == {"mode": "standard"}


def test_the_read_wait_can_be_raised_for_a_slow_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(READ_TIMEOUT_ENV, "600")
    assert client_config().read_timeout == 600


@pytest.mark.parametrize("raw", ["soon", "0", "-5", "nan", "inf"])
def test_a_read_wait_that_is_not_a_positive_number_is_refused_by_name(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(READ_TIMEOUT_ENV, raw)
    with pytest.raises(AwsError, match=f"{READ_TIMEOUT_ENV} must be a positive number of seconds; it is '{raw}'"):
        client_config()
