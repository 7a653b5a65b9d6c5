"""Which ``Host`` the site answers, and where its absolute links start (see domain/public_url.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import Flask, has_request_context, request
from werkzeug.exceptions import BadRequest
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

from .domain.public_url import PublicURL, parse_public_url, server_origin, split_hosts, trusted_hosts

UNKNOWN_HOST_ENVIRON = "aspel.host_refused"
UNKNOWN_HOST_MESSAGE = "Esta dirección no pertenece a aspel.com.mx. Revisa la dirección e inténtalo otra vez."


class HostGuard:
    """WSGI middleware: a request whose ``Host`` is not one of the site's names is refused
    (see :class:`UnknownHost`) before any view, hook or link sees that name. The refused
    request goes on under the site's own first name, so that its error page can be drawn."""

    def __init__(self, wsgi_app: Callable, hosts: list[str]) -> None:
        self.wsgi_app, self.hosts = wsgi_app, hosts

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        host = environ.get("HTTP_HOST")
        if host is None:  # HTTP/1.0 without Host: the server's own address
            host = environ.get("SERVER_NAME", "")
        if not host_is_trusted(host, self.hosts):
            environ = {**environ, "HTTP_HOST": self.hosts[0], UNKNOWN_HOST_ENVIRON: host[:200]}
        return self.wsgi_app(environ, start_response)


class UnknownHost(BadRequest):
    """A ``Host`` header that names another site (``Host: evil.example``)."""


def refuse_unknown_host() -> None:
    """The first hook of every request (see HostGuard)."""
    if UNKNOWN_HOST_ENVIRON in request.environ:
        raise UnknownHost()


def public_origin(app: Flask) -> str | None:
    """Where absolute links start: ``PUBLIC_URL``, else the address this server listens on
    (WSGI ``SERVER_NAME``/``SERVER_PORT``, which the server sets, not the request); None
    outside a request without ``PUBLIC_URL``."""
    pinned: PublicURL | None = app.extensions.get("aspel.public_url")
    if pinned is not None:
        return pinned.origin
    if has_request_context():
        environ = request.environ
        return server_origin(request.scheme, environ.get("SERVER_NAME", ""), environ.get("SERVER_PORT"))
    return None


def served_over_https(app: Flask) -> bool:
    """The site is published at an ``https://`` public URL: whatever a request or a proxy says,
    its browsers reach it over TLS (cookies are ``Secure``, answers carry HSTS)."""
    pinned: PublicURL | None = app.extensions.get("aspel.public_url")
    return pinned is not None and pinned.scheme == "https"


def pin_public_url(app: Flask) -> None:
    """PUBLIC_URL, TRUSTED_HOSTS and TRUSTED_PROXIES into the WSGI chain: ProxyFix (when
    proxies are trusted), then HostGuard. Flask checks TRUSTED_HOSTS too, on the same list."""
    public_url = app.config["PUBLIC_URL"]
    pinned = parse_public_url(public_url) if public_url else None
    if pinned is not None:
        app.extensions["aspel.public_url"] = pinned
        app.config["PREFERRED_URL_SCHEME"] = pinned.scheme
    hosts = trusted_hosts(pinned, split_hosts(app.config["TRUSTED_HOSTS"]))
    app.config["TRUSTED_HOSTS"] = hosts
    app.wsgi_app = HostGuard(app.wsgi_app, hosts)  # type: ignore[method-assign]  # Flask's way to wrap it
    proxies = int(app.config["TRUSTED_PROXIES"] or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
