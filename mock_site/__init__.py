"""A Flask imitation of the aspel.com screens the tutorial walks through."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g, make_response, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf import csrf as flask_wtf_csrf
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, MethodNotAllowed


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
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app factory: defaults, then ``config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.session_interface = SessionInterface()
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config or {})
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if not app.config["SERIAL_KEY"]:
        app.config["SERIAL_KEY"] = secrets.token_hex(32)
    if not app.config["DATABASE"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE"] = os.path.join(app.instance_path, "aspel.sqlite")

    from . import auth, control, db, downloads, home, mail, recovery, services
    from . import desktop, info, validation

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
