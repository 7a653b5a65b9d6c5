"""The server of ``make sitio`` and of a mock started apart: waitress (a production WSGI server
from PyPI, pinned in pyproject.toml), not Werkzeug's development server.

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
from typing import Any

from flask import Flask
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server
from waitress.task import WSGITask

from .errors import MALFORMED_ENVIRON

THREADS = 8


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
    task_class = SiteTask
    error_task_class = SiteErrorTask


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
    )
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = SiteChannel
    return server
