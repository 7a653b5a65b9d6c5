"""The server of ``make sitio`` and of a mock started apart: waitress (a production WSGI server
from PyPI, pinned in pyproject.toml), not Werkzeug's development server.

Its limits are the site's (issue 37): a body is refused (413) from its declared length when it is
larger than the app's largest form (``MAX_CONTENT_LENGTH``), before any of it is read; ``Expect:
100-continue`` is answered 417 and the connection closed, never ``100 Continue``; a request that
declares both ``Content-Length`` and ``Transfer-Encoding`` is a 400 and the connection is closed
(RFC 9112 §6.3: one of the two lengths may be a smuggled second request); a connection whose
headers have not all arrived after :data:`HEADER_TIMEOUT` seconds, or that sits idle for
:data:`CHANNEL_TIMEOUT`, is closed; and :data:`CONNECTION_LIMIT` connections are served (with
``poll``, not ``select``'s 1,024 descriptors), so a hundred idle sockets do not stop the site.

Two things waitress does its own way are made the site's:

- no ``Server`` header (``ident=""``): the site does not announce what runs it, nor its version;
- a request waitress cannot parse (a start line that is not HTTP, headers over its limit, a body
  it cannot read) is not answered with waitress's English text: :class:`SiteErrorTask` asks the
  app for the page of that status (errors.py), so it carries the site's layout, Spanish text and
  security headers like every other answer.

The scenarios' embedded server stays Werkzeug's (tutorial/sitio/server.py): measured, it answers the
same pages as fast or faster in-process and starts in a thread (docs/guia/seguridad.md, «Security»).
"""

from __future__ import annotations

import io
import sys
import time
import types
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask
from waitress.utilities import Error

from .errors import MALFORMED_ENVIRON

THREADS = 8
CONNECTION_LIMIT = 500  # open connections served at once (waitress's default: 100)
HEADER_TIMEOUT = 10  # seconds from a request's first byte to its last header line
CHANNEL_TIMEOUT = 30  # seconds a connection may sit idle (waitress's default: 120)
CLEANUP_INTERVAL = 1  # seconds between the checks of both (waitress's default: 30)


class ExpectationFailed(Error):
    code = 417
    reason = "Expectation Failed"


class SiteParser(HTTPRequestParser):
    """waitress's parser, with the time a request's first byte arrived (for :data:`HEADER_TIMEOUT`),
    refusing ``Content-Length`` with ``Transfer-Encoding`` (400) and ``Expect: 100-continue`` (417)
    as soon as the headers are read: nothing of the body is asked for or read."""

    # waitress sets these (it ships no type information): declared so the checker knows them
    expect_continue: bool
    error: Error | None

    def __init__(self, adj: Any) -> None:
        super().__init__(adj)
        self.started = time.time()

    def parse_header(self, header_plus: bytes) -> None:
        super().parse_header(header_plus)
        # waitress takes Transfer-Encoding out of the headers once it reads the body as chunked
        if (self.chunked or "TRANSFER_ENCODING" in self.headers) and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("Content-Length and Transfer-Encoding together")

    def received(self, data: bytes) -> int:
        consumed = super().received(data)
        if self.headers_finished and self.expect_continue:
            self.expect_continue = False  # the channel sends 100 Continue for what keeps it
            if not self.error:  # one already found (a body too large) is answered as it is
                self.error = ExpectationFailed("Expect: 100-continue is not answered")
                self.completed = True
        return consumed


HTTP_VERSIONS = ("1.0", "1.1")


class SiteTask(WSGITask):
    """A parsed request. One whose start line names another HTTP version (``HTTP/2.0`` in text,
    or none at all: HTTP/0.9) gets the site's 505 page, with headers: waitress would answer it as
    HTTP/1.0."""

    def get_environment(self) -> dict[str, Any]:
        environ = super().get_environment()
        if self.request.version not in HTTP_VERSIONS:
            environ[MALFORMED_ENVIRON] = 505
            self.set_close_on_finish()
        return environ


class SiteErrorTask(WSGITask):
    """A request waitress refused (``request.error``), answered by the app's own error page."""

    def get_environment(self) -> dict[str, Any]:
        server, app = self.channel.server, self.channel.server.application
        hosts = app.config.get("TRUSTED_HOSTS") or ["localhost"]
        self.environ = {
            "REQUEST_METHOD": "GET",
            "SCRIPT_NAME": "",
            "PATH_INFO": "/",
            "QUERY_STRING": "",
            "SERVER_NAME": server.server_name,
            "SERVER_PORT": str(server.effective_port),
            "SERVER_PROTOCOL": f"HTTP/{self.version}",
            "SERVER_SOFTWARE": "",
            "HTTP_HOST": hosts[0],
            "REMOTE_ADDR": str(self.channel.addr[0]) if self.channel.addr else "",
            "wsgi.url_scheme": server.adj.url_scheme,
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": sys.stderr,
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            MALFORMED_ENVIRON: self.request.error.code,
        }
        return self.environ

    def execute(self) -> None:
        self.set_close_on_finish()  # what follows a malformed request cannot be trusted either
        super().execute()


class SiteChannel(HTTPChannel):
    parser_class = SiteParser
    task_class = SiteTask
    error_task_class = SiteErrorTask


def headers_overdue(channel: HTTPChannel, now: float, timeout: float = HEADER_TIMEOUT) -> bool:
    """Whether ``channel`` holds a request whose headers are still arriving ``timeout`` seconds
    after its first byte (a client that sends a header line now and then is never idle)."""
    request = channel.request
    return request is not None and not request.headers_finished and now - getattr(request, "started", now) >= timeout


def _maintenance(server: BaseWSGIServer, now: float) -> None:
    """waitress's own (idle connections), then the channels whose headers are overdue."""
    BaseWSGIServer.maintenance(server, now)
    for channel in list(server.active_channels.values()):
        if headers_overdue(channel, now):
            channel.will_close = True


def make_server(app: Flask, host: str, port: int) -> Any:
    """A waitress server for ``app`` on ``host``:``port`` (``server.run()`` serves until stopped)."""
    server = create_server(
        app,
        host=host,
        port=port,
        ident="",
        # SERVER_NAME is where links start without a PUBLIC_URL (hosts.public_origin): the address it
        # listens on, not waitress's own "waitress.invalid".
        server_name=host,
        threads=THREADS,
        # X-Forwarded-* are the app's to believe or not (TRUSTED_PROXIES, ProxyFix), not waitress's.
        clear_untrusted_proxy_headers=False,
        # The largest body the app reads (Flask refuses more than MAX_CONTENT_LENGTH; waitress
        # refuses from this size on): refused from Content-Length, nothing read, no temporary file.
        max_request_body_size=app.config["MAX_CONTENT_LENGTH"] + 1,
        connection_limit=CONNECTION_LIMIT,
        asyncore_use_poll=True,
        channel_timeout=CHANNEL_TIMEOUT,
        cleanup_interval=CLEANUP_INTERVAL,
    )
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = SiteChannel
            listener.maintenance = types.MethodType(_maintenance, listener)
    return server
