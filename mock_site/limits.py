"""How often one session, one client or one serial may use the public forms and APIs, and how
many wrong mock-control tokens one client may try (the rules: domain/throttle.py).

A refused request is a 429 in the site's words with ``Retry-After`` (errors.py draws the page,
validation.py answers its JSON). The limits are generous for a person and for the scenarios, which
send a handful of comments, activations and validations per run from one address, and stop a
script: 200 comments in two seconds, 50 razón social guesses, 300 validations a second, a dozen
threads posting log-ins (each a scrypt) that slowed every page from 3 ms to 3.4 s.

``RATE_LIMITS`` (config) overrides a limit by name with a :class:`~mock_site.domain.throttle.Window`
or None (no limit); ``RATE_LIMIT_CLOCK`` is the time source (seconds, monotonic by default).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

from flask import Flask, current_app, request, session
from werkzeug.exceptions import TooManyRequests

from .domain.throttle import Throttle, Window

EXTENSION = "aspel.limites"
DEFAULT_LIMITS: dict[str, Window] = {
    # Dudas, comentarios y sugerencias: every POST of the form counts.
    "comentario_sesion": Window(5, 10 * 60),
    "comentario_cliente": Window(20, 10 * 60),
    # The Asistente de activación: every attempt (a razón social guess) counts.
    "activacion_sesion": Window(10, 10 * 60),
    "activacion_cliente": Window(30, 10 * 60),
    # /api/validacion: a desktop program carries no session; one installed system is its serial
    # (counted per serial and client: nobody spends another address's budget for a serial).
    "validacion_serie": Window(30, 60),
    "validacion_cliente": Window(120, 60),
    # Iniciar sesión and ¿Olvidaste tu contraseña?: every POST counts, checked before any password
    # is hashed (each check costs a scrypt): a script from one address cannot keep the CPU busy.
    "inicio_sesion_cliente": Window(100, 10 * 60),
    "recuperacion_cliente": Window(30, 15 * 60),
    # Wrong X-Control-Token (a missing one is not counted): the client is refused every control
    # call that carries a token until the window frees, the right token included (control.py).
    "token_control_cliente": Window(10, 15 * 60),
}


def init_app(app: Flask) -> None:
    """One :class:`Throttle` per limit, kept with the app (``/_control/reset`` empties them)."""
    overrides: Mapping[str, Window | None] = app.config.get("RATE_LIMITS") or {}
    unknown = set(overrides) - set(DEFAULT_LIMITS)
    if unknown:
        raise ValueError(f"RATE_LIMITS nombra límites que no existen: {', '.join(sorted(unknown))}")
    windows = {**DEFAULT_LIMITS, **overrides}
    app.extensions[EXTENSION] = {name: Throttle(window) for name, window in windows.items() if window is not None}


def _now() -> float:
    clock: Callable[[], float] = current_app.config.get("RATE_LIMIT_CLOCK") or time.monotonic
    return clock()


def _throttle(name: str) -> Throttle | None:
    return current_app.extensions[EXTENSION].get(name)


def client_key() -> str:
    """The client's address (the proxy's word for it only from trusted proxies: hosts.py)."""
    return request.remote_addr or "desconocido"


def session_key() -> str | None:
    """The browser session: the secret its CSRF token is made from (Flask-WTF keeps it in the
    session), so every form of one session counts together. None before any form was served."""
    value = session.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    return value if isinstance(value, str) else None


def limit(area: str, **keys: str | None) -> None:
    """Count one request of ``area`` for each key (``sesion=…``, ``cliente=…``, ``serie=…``);
    TooManyRequests with the longest wait when any of them is over its limit (nothing counted)."""
    now = _now()
    counted = [(throttle, key) for kind, key in keys.items() if key and (throttle := _throttle(f"{area}_{kind}"))]
    waits = [wait for throttle, key in counted if (wait := throttle.retry_after(key, now)) is not None]
    if waits:
        raise TooManyRequests(retry_after=max(waits))
    for throttle, key in counted:
        throttle.record(key, now)


def refuse_locked_client(name: str) -> None:
    """TooManyRequests while this client is over the ``name`` limit of failures."""
    throttle = _throttle(name)
    wait = throttle.retry_after(client_key(), _now()) if throttle else None
    if wait is not None:
        raise TooManyRequests(retry_after=wait)


def count_failure(name: str) -> None:
    throttle = _throttle(name)
    if throttle:
        throttle.record(client_key(), _now())


def reset() -> None:
    for throttle in current_app.extensions[EXTENSION].values():
        throttle.clear()


def wait_in_words(seconds: int) -> str:
    """``Retry-After`` as a person reads it: 45 segundos, 1 minuto, 10 minutos."""
    if seconds < 60:
        return f"{seconds} segundo{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    return f"{minutes} minuto{'s' if minutes != 1 else ''}"
