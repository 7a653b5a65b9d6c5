"""``make sitio`` and a mock started apart run on waitress (mock_site/wsgi_server.py): no version
banner, and a request waitress cannot parse gets the site's own error page with the site's headers,
never waitress's English text or a body without headers (HTTP/0.9).

The in-process tests serve from a thread of this process; the last one starts ``make sitio`` as a
user does (marked completo)."""

from __future__ import annotations

import http.cookiejar
import re
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask import Flask

from mock_site import create_app, store
from mock_site.db import connect
from mock_site.wsgi_server import make_server
from tests.flask_site import CHEAP_HASH
from tests.processes import free_port, started

ROOT = Path(__file__).resolve().parent.parent
RECOVERY = "/mi-cuenta/recuperar-contrasena/"


@pytest.fixture(scope="module")
def served_app(tmp_path_factory) -> Iterator[tuple[Flask, int]]:
    """The site on waitress, as __main__ serves it, in a thread; the app and its port."""
    app = create_app({"DATABASE": str(tmp_path_factory.mktemp("waitress") / "w.sqlite"), "PASSWORD_HASH": CHEAP_HASH})
    server = make_server(app, "127.0.0.1", 0)
    stop = threading.Event()

    def serve() -> None:
        # waitress's run() loops until its sockets are gone; closed from another thread they go
        # mid-select (EBADF in this thread). So the loop turns in short rounds and stops between them.
        while not stop.is_set():
            server.asyncore.loop(timeout=0.05, map=server._map, count=1)

    thread = threading.Thread(target=serve, name="waitress-de-prueba", daemon=True)
    thread.start()
    try:
        yield app, server.effective_port
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.fixture(scope="module")
def served(served_app) -> int:
    return served_app[1]


def raw(port: int, request: bytes) -> tuple[str, dict[str, str], str]:
    """Send bytes as they are; (status line, headers, body) of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        try:
            connection.sendall(request)
        except OSError:  # the server may stop reading an oversized request and answer at once
            pass
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except ConnectionResetError:  # after its answer, for a request it stopped reading
            pass
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value for name, _, value in (line.partition(": ") for line in lines)}
    return status, headers, body.decode("utf-8", "replace")


def assert_site_page(answer: tuple[str, dict[str, str], str], status: int, title: str) -> None:
    line, headers, body = answer
    assert re.match(rf"HTTP/1\.[01] {status} ", line), line
    assert f"<title>{title} | aspel.com.mx</title>" in body, body[:300]
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert "content-security-policy" in headers and headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "server" not in headers and "via" not in headers


MALFORMED = [
    ("HTTP/2.0 en texto", b"GET / HTTP/2.0\r\nHost: 127.0.0.1\r\n\r\n", 505, "Versión de HTTP no admitida"),
    ("HTTP/0.9", b"GET /\r\n\r\n", 505, "Versión de HTTP no admitida"),
    ("línea que no es HTTP", b"\x16\x03\x01 saludo TLS\r\n\r\n", 400, "Solicitud no válida"),
    ("método en minúsculas", b"get / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", 400, "Solicitud no válida"),
    (
        "encabezados de 300 KB",
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Relleno: " + b"a" * 300_000 + b"\r\n\r\n",
        431,
        "Encabezados demasiado grandes",
    ),
    (
        "Transfer-Encoding que no se atiende",
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        501,
        "No implementado",
    ),
]


@pytest.mark.parametrize("request_bytes, status, title", [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_a_request_waitress_cannot_parse_gets_the_sites_page(served, request_bytes, status, title):
    assert_site_page(raw(served, request_bytes), status, title)


def test_many_headers_and_a_long_query_are_answered_by_the_site(served):
    """Werkzeug's server answered these with English http.server pages; here they reach the site."""
    headers = b"".join(b"X-Cabecera-%d: a\r\n" % n for n in range(150))
    assert_site_page(
        raw(served, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"Connection: close\r\n\r\n"),
        200,
        "Software administrativo para tu empresa",
    )
    query = b"/no-existe?" + b"a" * 80_000
    assert_site_page(
        raw(served, b"GET " + query + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        404,
        "Página no encontrada",
    )


def test_no_answer_names_the_server(served):
    for path in ("/", "/static/css/site.css", "/no-existe"):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{served}{path}", timeout=10) as response:
                headers = response.headers
        except urllib.error.HTTPError as error:
            headers = error.headers
        assert headers.get("Server") is None and headers.get("Via") is None, path


def test_links_in_mails_start_at_the_address_it_listens_on(served_app):
    """Without a public URL a mail's link leads back to this server (waitress's own SERVER_NAME
    would make it http://waitress.invalid:…/)."""
    app, port = served_app
    db = connect(app.config["DATABASE"])
    try:
        account = store.create_account(
            db, usuario="enlaces", password="clave", seed=5, key=b"k", password_hash=CHEAP_HASH
        )
    finally:
        db.close()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    form = browser.open(f"http://127.0.0.1:{port}{RECOVERY}").read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    browser.open(
        f"http://127.0.0.1:{port}{RECOVERY}", data=urlencode({"usuario": "enlaces", "csrf_token": token}).encode()
    )
    db = connect(app.config["DATABASE"])
    try:
        (text,) = db.execute("SELECT texto FROM correo WHERE cuenta_id = ?", (account["id"],)).fetchone()
    finally:
        db.close()
    assert f"http://127.0.0.1:{port}{RECOVERY}" in text


@pytest.mark.completo
def test_make_serve_ignores_the_control_token_of_the_environment(tmp_path):
    """``ASPEL_CONTROL_TOKEN`` is what pytest reads as the client of a site; in the environment of
    ``make sitio`` it switches nothing on, and the banner says nothing of mock control."""
    port = free_port()
    command = ["make", "-s", "serve", f"PORT={port}", f"SERVE_ARGS=--database {tmp_path / 'demo.sqlite'}"]
    with started(command, port, cwd=ROOT, env={"ASPEL_CONTROL_TOKEN": "un-token-de-entorno-largo"}) as server:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/_control/mundo", headers={"X-Control-Token": "un-token-de-entorno-largo"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)
        banner = server.lines()
    assert refused.value.code == 404
    assert refused.value.headers.get("Server") is None
    assert not [line for line in banner if "Control del simulador" in line], banner
