"""A Flask imitation of the aspel.com screens the tutorial walks through."""
from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, g, has_request_context, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import csrf as flask_wtf_csrf
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, MethodNotAllowed
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.sansio.utils import host_is_trusted

from .domain.json_body import parse_json
from .domain.public_url import (
    PublicURL, absolute, parse_public_url, server_origin, split_hosts, trusted_hosts,
)
from .domain.sessions import ABSOLUTE_LIMIT


class CSRFProtect(flask_wtf_csrf.CSRFProtect):
    """Flask-WTF's protection, where a multipart part without a usable name is no crash.

    Werkzeug keys such a part ``None``; Flask-WTF 1.3 looks for the token with
    ``key.endswith(...)`` over every key, so that request was a 500 (found by tests/test_fuzz.py).
    Same search otherwise: the form field, a prefixed form field, then the headers.
    """

    def _get_csrf_token(self):
        field_name = current_app.config["WTF_CSRF_FIELD_NAME"]
        token = request.form.get(field_name)
        if token:
            return token
        for key, value in request.form.items(multi=True):
            if isinstance(key, str) and key.endswith(field_name) and value:
                return value
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return None


csrf = CSRFProtect()


class StrictJSONProvider(DefaultJSONProvider):
    """What ``request.get_json`` parses with: :func:`~mock_site.domain.json_body.parse_json`,
    whose refusals are ``ValueError`` (a 400, or None when ``silent``). Flask's own provider
    lets ``RecursionError`` through: ``[`` × 1000 was a 500 wherever a view called get_json."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)


UNKNOWN_HOST_ENVIRON = "aspel.host_refused"


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


UNKNOWN_HOST_MESSAGE = "Esta dirección no pertenece a aspel.com.mx. Revisa la dirección e inténtalo otra vez."


def _refuse_unknown_host() -> None:
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


class AspelFlask(Flask):
    """Flask, whose absolute URLs (``url_for(..., _external=True)``, as the mails' links are
    built) start at :func:`public_origin`, never at the request's ``Host``."""

    json_provider_class = StrictJSONProvider

    def url_for(self, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values: Any) -> str:
        origin = public_origin(self) if _external else None
        if origin is not None:
            return absolute(origin, super().url_for(endpoint, _anchor=_anchor, _method=_method, **values))
        return super().url_for(
            endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
        )


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, whose cookie is ``Secure`` whenever the site is served over
    HTTPS (``SESSION_COOKIE_SECURE`` forces it everywhere). Over plain HTTP (``make serve`` on
    127.0.0.1, the scenarios' embedded server) a ``Secure`` cookie would never come back."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # random per process unless given
    "DATABASE": None,  # a file in the instance folder unless given
    "SERIAL_KEY": None,  # key that derives new serials; random unless given
    "CONTROL_TOKEN": None,  # the mock control API is off unless a token is set
    "SMTP_HOST": None,
    "SMTP_PORT": None,
    "SMTP_TIMEOUT": 10,  # seconds; a failed delivery is logged, the message stays stored
    "MAIL_FROM": "Aspel <notificaciones@aspel.com.mx>",
    "RESET_TOKEN_MAX_AGE": 30 * 60,  # seconds a password recovery link stays valid
    "RESET_RATE_LIMIT": 3,  # recovery mails per account ...
    "RESET_RATE_WINDOW": 15 * 60,  # ... within this many seconds
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 64 * 1024,
    # Where the site is published, e.g. "https://www.aspel.com.mx": the only Host it answers
    # (with TRUSTED_HOSTS) and where every absolute link in a mail starts. Unset: localhost and
    # 127.0.0.1 only, links at the address the server listens on.
    "PUBLIC_URL": None,
    "TRUSTED_HOSTS": None,  # more host names to answer (a list, or "a.example,b.example")
    # Reverse proxies in front (TLS ends there): X-Forwarded-For/-Proto are believed from this
    # many hops only, so Secure cookies work behind them; 0 (default) believes nobody.
    "TRUSTED_PROXIES": 0,
    "PERMANENT_SESSION_LIFETIME": ABSOLUTE_LIMIT,  # the cookie's Max-Age; the server also checks
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app factory: defaults, then ``config``."""
    app = AspelFlask(__name__, instance_relative_config=True)
    app.session_interface = SessionInterface()
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config or {})
    _pin_public_url(app)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if not app.config["SERIAL_KEY"]:
        app.config["SERIAL_KEY"] = secrets.token_hex(32)
    if not app.config["DATABASE"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE"] = os.path.join(app.instance_path, "aspel.sqlite")

    from . import auth, control, db, downloads, home, mail, recovery, services
    from . import desktop, info, validation

    app.before_request(_refuse_unknown_host)  # first of all hooks: blueprints' come after
    db.init_app(app)
    csrf.init_app(app)
    app.register_blueprint(home.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(recovery.bp)
    app.register_blueprint(services.bp)
    app.register_blueprint(mail.bp)
    app.register_blueprint(downloads.bp)
    app.register_blueprint(desktop.bp)
    app.register_blueprint(validation.bp)
    app.register_blueprint(info.bp)
    csrf.exempt(validation.bp)  # called by desktop programs, not by a browser form
    app.register_blueprint(control.bp)
    csrf.exempt(control.bp)
    _register_errors(app)
    app.after_request(_security_headers)
    return app


def _pin_public_url(app: Flask) -> None:
    """PUBLIC_URL, TRUSTED_HOSTS and TRUSTED_PROXIES into the WSGI chain: ProxyFix (when
    proxies are trusted), then HostGuard. Flask checks TRUSTED_HOSTS too, on the same list."""
    public_url = app.config["PUBLIC_URL"]
    pinned = parse_public_url(public_url) if public_url else None
    if pinned is not None:
        app.extensions["aspel.public_url"] = pinned
        app.config["PREFERRED_URL_SCHEME"] = pinned.scheme
    hosts = trusted_hosts(pinned, split_hosts(app.config["TRUSTED_HOSTS"]))
    app.config["TRUSTED_HOSTS"] = hosts
    app.wsgi_app = HostGuard(app.wsgi_app, hosts)
    proxies = int(app.config["TRUSTED_PROXIES"] or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def _security_headers(response):
    """On every answer, error pages and static files included: no inline script (CSP), no
    content sniffing, no framing. A page shown to a logged-in customer is never stored by the
    browser or a proxy, so after *Cerrar sesión* the Back button asks the server again."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if g.get("user") is not None and request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


CSRF_MESSAGE = "La sesión del formulario expiró o no es válida. Vuelve a intentarlo."

ERROR_PAGES = {
    400: ("Solicitud no válida", "La solicitud no es válida."),
    403: ("Acceso denegado", "No tienes permiso para ver esta página."),
    404: ("Página no encontrada", "La página que buscas no existe."),
    405: ("Método no permitido", "Esta página no acepta esa acción."),
    413: ("Solicitud demasiado grande", "Los datos enviados son demasiado grandes."),
    500: ("Error del sitio", "Ocurrió un error inesperado. Intenta más tarde."),
}


def _error_page(code: int, title: str, message: str, error: BaseException | None = None):
    response = make_response(render_template("error.html", title=title, message=message), code)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _register_errors(app: Flask) -> None:
    """Every error answers the site's own page, in Spanish, with the site's layout."""

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return _error_page(400, "Solicitud no válida", CSRF_MESSAGE, error)

    @app.errorhandler(UnknownHost)
    def unknown_host(error: UnknownHost):
        return _error_page(400, "Sitio no reconocido", UNKNOWN_HOST_MESSAGE, error)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """Also the statuses without a page of their own (410, 414, 416, 431...): never Werkzeug's
        English page."""
        title, message = ERROR_PAGES.get(
            error.code, (f"Error {error.code}", "No se pudo atender la solicitud.")
        )
        return _error_page(error.code, title, message, error)

    @app.errorhandler(500)
    def server_error(error):
        return _error_page(500, *ERROR_PAGES[500], error)
