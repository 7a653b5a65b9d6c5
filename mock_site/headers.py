"""The security headers every answer carries."""

from __future__ import annotations

from flask import Response, g, request

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'"
)


def security_headers(response: Response) -> Response:
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
