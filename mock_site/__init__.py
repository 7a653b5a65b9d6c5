"""A Flask imitation of the aspel.com screens the tutorial walks through: :func:`create_app`.

The pieces it wires live in their own modules: hosts.py (which Host is answered, where absolute
links start), csrf_protection.py, cookies.py (the session cookie), headers.py (CSP and the other
security headers), errors.py (the error pages), db.py and store.py (the data), one blueprint per
area, and the rules in domain/.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from types import CodeType
from typing import Any, ClassVar

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from werkzeug.routing import Rule

from . import store
from .control_token import check_control_token
from .cookies import SessionInterface
from .csrf_protection import SiteRequest, csrf
from .domain.json_body import parse_json
from .domain.public_url import absolute
from .domain.sessions import ABSOLUTE_LIMIT
from .errors import answer_malformed, register_errors
from .headers import security_headers
from .hosts import pin_public_url, public_origin, refuse_unknown_host
from .text_fields import refuse_control_characters


class StrictJSONProvider(DefaultJSONProvider):
    """What ``request.get_json`` parses with: :func:`~mock_site.domain.json_body.parse_json`,
    whose refusals are ``ValueError`` (a 400, or None when ``silent``). Flask's own provider
    lets ``RecursionError`` through: ``[`` × 1000 was a 500 wherever a view called get_json."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return parse_json(s)


class CompiledTemplates(BytecodeCache):
    """The site's templates compiled once per process, for every app made in it. Each app has
    its own Jinja environment, which compiled every template anew: ~15 ms of each test's first
    pages, hundreds of apps in a run. Every app's environment is configured alike (create_app),
    so the code of one fits all; a template whose source changed is compiled again (Jinja's
    checksum of the source, kept with the code)."""

    def __init__(self) -> None:
        self.compiled: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        checksum, code = self.compiled.get(bucket.key, (None, None))
        if checksum == bucket.checksum:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self.compiled[bucket.key] = (bucket.checksum, bucket.code)


class SharedBuilderRule(Rule):
    """A URL rule whose builders (the code ``url_for`` runs) are compiled once per process, for
    every app made in it. Werkzeug compiles two builders per rule as each app registers its
    blueprints: ~15 ms of every ``create_app``, three quarters of it, and the tests make hundreds
    of apps. A builder is a plain function of the rule's text, its parsed parts, its defaults and
    whether unknown values become a query string; it reads the rule's converters through the rule
    it is bound to, so one function serves the same rule in every app (Werkzeug binds it)."""

    compiled_builders: ClassVar[dict[tuple[str, str, str, bool], Callable[..., tuple[str, str]]]] = {}

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        key = (self.rule, repr(self._trace), repr(sorted((self.defaults or {}).items())), append_unknown)
        if key not in self.compiled_builders:
            self.compiled_builders[key] = super()._compile_builder(append_unknown)
        return self.compiled_builders[key]


class AspelFlask(Flask):
    """Flask, whose absolute URLs (``url_for(..., _external=True)``, as the mails' links are
    built) start at :func:`~mock_site.hosts.public_origin`, never at the request's ``Host``, and
    whose requests drop form parts without a name (see csrf_protection.py)."""

    json_provider_class = StrictJSONProvider
    url_rule_class = SharedBuilderRule
    request_class = SiteRequest
    jinja_options = {"bytecode_cache": CompiledTemplates()}  # one for all the process's apps

    def url_for(
        self,
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        origin = public_origin(self) if _external else None
        if origin is not None:
            return absolute(origin, super().url_for(endpoint, _anchor=_anchor, _method=_method, **values))
        return super().url_for(
            endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme, _external=_external, **values
        )


DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,  # random per process unless given
    "DATABASE": None,  # a file in the instance folder unless given
    "SERIAL_KEY": None,  # key that derives new serials; random unless given
    "CONTROL_TOKEN": None,  # the mock control API is off unless a token (16 characters or more) is set
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
    # A cookie only when the session changed. Refreshed on every answer, a stylesheet the page
    # before asked for, answered after a redirect, set the older cookie again and took away the
    # flashed notice the redirect carried (the idle and absolute limits live on the server).
    "SESSION_REFRESH_EACH_REQUEST": False,
    # How new passwords are hashed (a Werkzeug method): scrypt, slow on purpose, for make sitio and
    # anything else. The tests' own apps set a cheap one ("pbkdf2:sha256:1"): hundreds of accounts
    # and log-ins would otherwise spend most of the suite's time in scrypt.
    "PASSWORD_HASH": store.PASSWORD_HASH,
    # How often the public forms and APIs may be used (limits.py): overrides by name, None = no limit;
    # and the limits' time source in seconds (monotonic unless a test gives its own counter).
    "RATE_LIMITS": None,
    "RATE_LIMIT_CLOCK": None,
    # Stylesheets, scripts and fonts may be kept by the browser for an hour, as a published site
    # lets them be: without it every page asked again for each one (a 304 each time).
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
}


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """The app factory: defaults, then ``config``."""
    app = AspelFlask(__name__, instance_relative_config=True)
    app.session_interface = SessionInterface()
    app.config.from_mapping(DEFAULTS)
    app.config.from_mapping(config or {})
    check_control_token(app.config["CONTROL_TOKEN"])
    pin_public_url(app)
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = secrets.token_hex(32)
    if not app.config["SERIAL_KEY"]:
        app.config["SERIAL_KEY"] = secrets.token_hex(32)
    if not app.config["DATABASE"]:
        os.makedirs(app.instance_path, exist_ok=True)
        app.config["DATABASE"] = os.path.join(app.instance_path, "aspel.sqlite")

    from . import auth, control, db, desktop, downloads, home, info, limits, mail, recovery, services, validation

    app.before_request(answer_malformed)  # a request the server could not parse: its error page only
    app.before_request(refuse_unknown_host)  # first of all hooks after it: blueprints' come after
    db.init_app(app)
    limits.init_app(app)
    csrf.init_app(app)
    app.before_request(refuse_control_characters)
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
    register_errors(app)
    app.after_request(security_headers)
    return app
