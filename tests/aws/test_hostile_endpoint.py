"""`vpn-lab status` against endpoints that are not AWS: a login page, a flood, a trickle, a hang-up, garbage.

A local HTTP server plays each (only loopback traffic). Every case is exit 2 with a message that says
what happened, never "No VPN connections found" with exit 0, never a traceback.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lab import aws
from lab.aws import session as aws_session
from lab.cli import main
from tests.aws.fakes import moto, moto_url  # noqa: F401 - pytest fixtures

LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Guest Wi-Fi</title></head><body><form>Sign in</form></body></html>"


class _Handler(BaseHTTPRequestHandler):
    mode = "html"
    sent = 0

    def log_message(self, *args: object) -> None:
        return

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", "0") or 0))
        mode = type(self).mode
        if mode == "close":
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if mode == "html" else "text/xml")
        if mode == "html":
            self.send_header("Content-Length", str(len(LOGIN_PAGE)))
            self.end_headers()
            self.wfile.write(LOGIN_PAGE)
            return
        if mode == "flood":
            self.send_header("Content-Length", str(64 * 1024 * 1024))
            self.end_headers()
            block = b"<a>" + b"x" * 65533
            try:
                for _ in range(1024):
                    self.wfile.write(block)
                    type(self).sent += len(block)
            except OSError:
                return
            return
        # trickle: a valid-looking start, then one byte at a time, forever (until the client leaves)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            self.wfile.write(b"<?xml version='1.0'?>")
            for _ in range(10_000):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.3)
        except OSError:
            return


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Handler]]:
    handler = type("Handler", (_Handler,), {"sent": 0})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    aws.forget_clients()
    try:
        yield handler
    finally:
        server.shutdown()
        server.server_close()
        aws.forget_clients()


def _status(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["status", "--region", "us-east-1"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_a_login_page_is_not_an_empty_account(endpoint, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.mode = "html"
    code, out, err = _status(capsys)
    assert code == 2 and "No VPN connections" not in out
    assert "web page" in err and "captive portal" in err


def test_a_huge_answer_is_not_read_past_the_bound(endpoint, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.mode = "flood"
    monkeypatch.setattr(aws_session, "MAX_RESPONSE_BYTES", 2 * 1024 * 1024)
    code, _, err = _status(capsys)
    assert code == 2 and "more than 2 MB" in err
    time.sleep(0.5)
    assert endpoint.sent < 32 * 1024 * 1024, "the client stopped reading instead of taking the whole flood"


def test_a_trickling_endpoint_hits_the_overall_deadline(endpoint, monkeypatch, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.mode = "trickle"
    monkeypatch.setenv("VPN_LAB_AWS_DEADLINE_S", "2")
    start = time.monotonic()
    code, _, err = _status(capsys)
    assert code == 2 and "did not finish within 2 s" in err
    assert time.monotonic() - start < 30


def test_a_closed_connection_is_named_as_such(endpoint, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint.mode = "close"
    code, _, err = _status(capsys)
    assert code == 2 and "closed the connection" in err and "in time" not in err


def test_a_garbage_endpoint_url_is_exit_2(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "garbage")
    aws.forget_clients()
    code, _, err = _status(capsys)
    assert code == 2 and "AWS_ENDPOINT_URL" in err
    aws.forget_clients()


def test_zero_connections_names_the_region_and_account(moto: str, capsys: pytest.CaptureFixture[str]) -> None:  # noqa: F811
    code, out, _ = _status(capsys)
    assert "No VPN connections found in region us-east-1 of account 123456789012" in out
    assert code == 0, "no connection is not a tunnel down (the documented exit codes)"
