"""A Flask imitation of the aspel.com screens the tutorial walks through."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from typing import Any

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

csrf = CSRFProtect()

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
    from . import desktop, validation

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
    csrf.exempt(validation.bp)  # called by desktop programs, not by a browser form
    app.register_blueprint(control.bp)
    csrf.exempt(control.bp)
    _register_errors(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    return response


def _register_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError):
        message = "La sesión del formulario expiró o no es válida. Vuelve a intentarlo."
        return render_template("error.html", title="Solicitud no válida", message=message), 400

    for code, title, message in (
        (400, "Solicitud no válida", "La solicitud no es válida."),
        (403, "Acceso denegado", "No tienes permiso para ver esta página."),
        (404, "Página no encontrada", "La página que buscas no existe."),
        (405, "Método no permitido", "Esta página no acepta esa acción."),
        (413, "Solicitud demasiado grande", "Los datos enviados son demasiado grandes."),
        (500, "Error del sitio", "Ocurrió un error inesperado. Intenta más tarde."),
    ):
        app.register_error_handler(
            code,
            lambda _e, code=code, title=title, message=message: (
                render_template("error.html", title=title, message=message),
                code,
            ),
        )
