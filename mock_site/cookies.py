"""The session cookie's flags."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface

from .hosts import served_over_https


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed cookie session, whose cookie is ``Secure`` whenever the site is published at
    an HTTPS public URL (whatever the proxy headers say) or the request came over HTTPS
    (``SESSION_COOKIE_SECURE`` forces it everywhere). Over plain HTTP (``make sitio`` on
    127.0.0.1, the scenarios' embedded server) a ``Secure`` cookie would never come back."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or served_over_https(app) or request.is_secure
