"""The security headers every answer carries."""

from __future__ import annotations

from flask import Response, current_app, g, request

from .hosts import served_over_https

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)
# A year, as HSTS preload lists ask; only for a site published at an https:// public URL.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"
PRIVATE_BLUEPRINTS = ("desktop",)  # the customer's PC: the registered razón social, the serials


def security_headers(response: Response) -> Response:
    """On every answer, error pages and static files included: no inline script (CSP), no
    content sniffing, no framing. A page shown to a logged-in customer is never stored by the
    browser or a proxy, so after *Cerrar sesión* the Back button asks the server again; neither are
    the desktop screens, which show the customer's serials and registered razón social without a
    log-in. Published over HTTPS, every answer asks the browser to come back only over HTTPS."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static" and (g.get("user") is not None or request.blueprint in PRIVATE_BLUEPRINTS):
        response.headers["Cache-Control"] = "no-store"
    if served_over_https(current_app):
        response.headers["Strict-Transport-Security"] = STRICT_TRANSPORT_SECURITY
    return response
