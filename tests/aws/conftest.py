"""Fixtures of the AWS tests (see fakes.py): `moto_url` (session server) and `moto` (reset, env set)."""

from tests.aws.fakes import moto, moto_url  # noqa: F401 - pytest fixtures
