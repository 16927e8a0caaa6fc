"""Loopback helpers shared by the tests and the benchmarks."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now (another process may take it before you bind it:
    start servers on port 0 when they can report the port they got, or retry on "address in use")."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def closed_port() -> Iterator[int]:
    """A port on 127.0.0.1 where connections are refused for as long as the block runs.

    The port stays bound (without listening) meanwhile, so no other test process can start a server there.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield s.getsockname()[1]
