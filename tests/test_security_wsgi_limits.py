"""waitress's limits are the site's (mock_site/wsgi_server.py), proven with
real sockets against the server ``make sitio`` runs, served from a thread of this process.

Every wait is bounded by a socket timeout (:data:`BOUND`), never a sleep: a guard that is gone
shows as a timeout (the server waiting for a body, or not accepting) instead of an answer.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine

from mock_site import create_app
from mock_site.wsgi_server import CONNECTION_LIMIT, HEADER_TIMEOUT, headers_overdue, make_server
from tests.flask_site import CHEAP_HASH

BOUND = 10  # seconds any socket of these tests waits at most
IDLE_CONNECTIONS = 110  # the probe's count: waitress's default limit was 100


@pytest.fixture
def server(tmp_path) -> Iterator:
    """The site on waitress in a thread, polled as ``server.run()`` polls (poll, not select)."""
    app = create_app({"DATABASE": str(tmp_path / "w.sqlite"), "PASSWORD_HASH": CHEAP_HASH})
    served = make_server(app, "127.0.0.1", 0)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            served.asyncore.loop(timeout=0.05, map=served._map, use_poll=served.adj.asyncore_use_poll, count=1)

    thread = threading.Thread(target=serve, name="waitress-limites", daemon=True)
    thread.start()
    try:
        yield served
    finally:
        stop.set()
        thread.join(timeout=BOUND)
        served.close()


def connect(server) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.effective_port), timeout=BOUND)


def read_all(connection: socket.socket) -> bytes:
    """Everything until the server closes the connection (a timeout fails the test)."""
    answer = b""
    try:
        while chunk := connection.recv(65536):
            answer += chunk
    except ConnectionResetError:
        pass
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def head(path: str = "/", method: str = "GET", extra: str = "") -> bytes:
    return f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{extra}\r\n".encode("latin-1")


# --- bodies -----------------------------------------------------------------------------------


def test_a_declared_gigabyte_is_refused_from_its_headers_before_any_byte_of_it(server):
    """The probe: Content-Length 1,000,000,000 was read to disk before the 64 KiB 413."""
    with connect(server) as connection:
        connection.sendall(head("/mi-cuenta/iniciar-sesion", "POST", "Content-Length: 1000000000\r\n"))
        answer = read_all(connection)
    assert status_of(answer) == 413
    assert "Solicitud demasiado grande" in answer.decode("utf-8")


def test_the_largest_form_the_app_accepts_is_read_and_one_byte_more_is_refused_unread(server):
    largest = server.application.config["MAX_CONTENT_LENGTH"]
    with connect(server) as connection:  # one byte over: refused from the headers alone
        connection.sendall(head("/precios/noi", "POST", f"Content-Length: {largest + 1}\r\nConnection: close\r\n"))
        assert status_of(read_all(connection)) == 413
    with connect(server) as connection:  # the largest: read whole and answered by the app (405 here)
        connection.sendall(head("/precios/noi", "POST", f"Content-Length: {largest}\r\nConnection: close\r\n"))
        connection.sendall(b"a" * largest)
        assert status_of(read_all(connection)) == 405


def test_expect_100_continue_is_refused_before_the_body_and_the_connection_closed(server):
    for length in (10, 900_000_000):
        with connect(server) as connection:
            connection.sendall(head("/precios/noi", "POST", f"Content-Length: {length}\r\nExpect: 100-continue\r\n"))
            answer = read_all(connection)
        assert not answer.startswith(b"HTTP/1.1 100")
        assert status_of(answer) == (417 if length == 10 else 413)
        assert answer.count(b"HTTP/1.1 ") == 1


def test_expect_100_continue_gets_the_sites_spanish_page(server):
    with connect(server) as connection:
        connection.sendall(head("/precios/noi", "POST", "Content-Length: 10\r\nExpect: 100-continue\r\n"))
        answer = read_all(connection).decode("utf-8")
    assert "Expectativa no admitida" in answer and "sin el encabezado Expect" in answer


def test_content_length_with_transfer_encoding_is_refused_and_the_connection_closed(server):
    """Point 7: with both, a smuggled second request got its own answer on the same connection."""
    smuggled = head("/no-existe")
    body = b"0\r\n\r\n" + smuggled
    request = head("/precios/noi", "POST", f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n") + body
    with connect(server) as connection:
        connection.sendall(request)
        answer = read_all(connection)  # returns only because the server closed the connection
    assert status_of(answer) == 400
    assert answer.count(b"HTTP/1.1 ") == 1  # nothing answered the smuggled request


# --- connections ------------------------------------------------------------------------------


def test_a_hundred_and_ten_idle_connections_leave_a_normal_request_answered(server):
    """The probe: 110 connections that each sent half a header line stopped the site (waitress's
    connection_limit of 100); a normal GET / then waited for the 120 s channel timeout."""
    assert CONNECTION_LIMIT > IDLE_CONNECTIONS
    idle = [connect(server) for _ in range(IDLE_CONNECTIONS)]
    try:
        for connection in idle:
            connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lento: ")
        with connect(server) as connection:
            connection.sendall(head("/", extra="Connection: close\r\n"))
            assert status_of(read_all(connection)) == 200
    finally:
        for connection in idle:
            connection.close()


def test_a_connection_whose_headers_never_end_is_closed_after_the_header_timeout(server):
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        with connect(server) as slow:
            slow.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lento: ")
            with connect(server) as other:  # by its answer, the server has read the slow one's bytes
                other.sendall(head("/", extra="Connection: close\r\n"))
                assert status_of(read_all(other)) == 200
            assert any(channel.request is not None for channel in list(server.active_channels.values()))
            traveller.shift(timedelta(seconds=HEADER_TIMEOUT))
            assert read_all(slow) == b""  # closed by the server, no answer


def _channel(request) -> SimpleNamespace:
    return SimpleNamespace(request=request)


def test_headers_are_overdue_from_the_header_timeout_on():
    started = 1000.0
    arriving = SimpleNamespace(headers_finished=False, started=started)
    assert not headers_overdue(_channel(arriving), started + HEADER_TIMEOUT - 0.001)
    assert headers_overdue(_channel(arriving), started + HEADER_TIMEOUT)
    done = SimpleNamespace(headers_finished=True, started=started)
    assert not headers_overdue(_channel(done), started + 10 * HEADER_TIMEOUT)  # its body or the app: not this rule
    assert not headers_overdue(_channel(None), started + 10 * HEADER_TIMEOUT)  # idle between requests
