"""MI CUENTA ASPEL: log-in, log-out and the server-side session."""

from __future__ import annotations

import functools
import secrets
import sqlite3
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from . import limits, store
from .db import get_db, now
from .domain.lockout import after_attempt, locked
from .domain.sessions import session_expired

bp = Blueprint("auth", __name__, url_prefix="/mi-cuenta")

WRONG_CREDENTIALS = "El usuario o la contraseña no son correctos."
LOCKED = (
    "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos. "
    "Intenta de nuevo en 15 minutos o recupera tu contraseña."
)
MAX_FIELD = 128
MAX_NEXT = 2048


@bp.before_app_request
def load_logged_in_user() -> None:
    """The customer of this browser's session, while the session lasts (see
    domain/sessions.py): measured on the account's clock, so scenarios move past its end."""
    sid = session.get("sid")
    g.user = None
    if not sid:
        return
    db = get_db()
    row = store.session_account(db, sid)
    if row is None:
        return
    moment = now(row)
    if row["sesion_iniciada"] is None or session_expired(
        datetime.fromisoformat(row["sesion_iniciada"]), datetime.fromisoformat(row["sesion_ultima"]), moment
    ):
        store.end_session(db, sid)
        session.pop("sid", None)
        return
    if row["sesion_ultima"] != moment.isoformat():  # a frozen clock writes nothing
        store.touch_session(db, sid, moment)
    g.user = row


def login_required(view):
    """Send a visitor to the log-in window, and back to the page asked for afterwards."""

    @functools.wraps(view)
    def wrapped(**kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", siguiente=request.full_path.rstrip("?")))
        return view(**kwargs)

    return wrapped


def safe_next(target: str | None) -> str:
    """Only our own paths: no scheme, no host, no protocol-relative tricks, and nothing a
    browser would strip or a header cannot carry (tabs, line breaks, other control characters).
    Anything else leads to the account's home."""
    if (
        target
        and len(target) <= MAX_NEXT
        and target.isprintable()
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("services.account_home")


def _dummy_hash(db: sqlite3.Connection) -> str:
    """A hash of a random password, made with the method of the newest account's hash (what
    ``generate_password_hash`` gives accounts here): checking an unknown user's password against
    it costs what checking an account's does. One per method, kept for the process."""
    newest = store.newest_password_hash(db)
    method = newest.split("$", 1)[0] if newest else current_app.config["PASSWORD_HASH"]
    if method not in _DUMMY_HASHES:
        try:
            _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
        except ValueError:  # a hash this Werkzeug cannot make: its default then
            _DUMMY_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16))
    return _DUMMY_HASHES[method]


_DUMMY_HASHES: dict[str, str] = {}


def _check_credentials(usuario: str, password: str) -> tuple[int | None, str | None]:
    """The account id on success, else the error message. Counts failures and locks.

    A user name without an account goes the same way (see domain/lockout.py): its password is
    checked against a hash of the same cost, its failures are counted and locked in
    ``intento_desconocido``, and it gets the same messages, so neither the answer nor its time
    tells whether the account exists."""
    db = get_db()
    with store.transaction(db):
        account = store.account_named(db, usuario)
        moment = now(account)
        state = store.attempts_of(db, usuario, account)
        if locked(state.locked_until, moment):
            return None, LOCKED
        stored_hash = account["password_hash"] if account is not None else _dummy_hash(db)
        succeeded = check_password_hash(stored_hash, password) and account is not None
        after = after_attempt(state, succeeded, moment)
        store.save_attempts(db, usuario, account, after, moment)
    if succeeded and account is not None:
        return account["id"], None
    return None, LOCKED if after.locked_until else WRONG_CREDENTIALS


def start_session(cuenta_id: int) -> None:
    """A new session id at every log-in (no fixation), stored on the server with the moment it
    began on the account's clock; the session this browser had before ends. The cookie lasts
    as long as the longest session (its Max-Age); the server ends it earlier when idle."""
    db = get_db()
    previous = session.get("sid")
    if previous:
        store.end_session(db, previous)
    session.clear()
    sid = secrets.token_urlsafe(32)
    store.start_session(db, sid, cuenta_id, now(store.account(db, cuenta_id)))
    session["sid"] = sid
    session.permanent = True


@bp.route("/iniciar-sesion", methods=("GET", "POST"))
def login():
    target = request.values.get("siguiente", "")
    errors: dict[str, str] = {}
    error = None
    usuario = ""
    if request.method == "POST":
        limits.limit("inicio_sesion", cliente=limits.client_key())  # before any password is hashed
        usuario = request.form.get("usuario", "").strip()
        password = request.form.get("contrasena", "")
        if not usuario:
            errors["usuario"] = "Escribe tu usuario."
        elif len(usuario) > MAX_FIELD or not usuario.isprintable():
            errors["usuario"] = "El usuario no es válido."
        if not password:
            errors["contrasena"] = "Escribe tu contraseña."
        elif len(password) > MAX_FIELD:
            errors["contrasena"] = "La contraseña no es válida."
        if not errors:
            cuenta_id, error = _check_credentials(usuario, password)
            if cuenta_id is not None:
                start_session(cuenta_id)
                return redirect(safe_next(target))
    status = 400 if errors else 401 if error else 200
    return render_template("auth/login.html", errors=errors, error=error, usuario=usuario, siguiente=target), status


@bp.post("/cerrar-sesion")
def logout():
    sid = session.pop("sid", None)
    if sid:
        store.end_session(get_db(), sid)
    session.clear()
    flash("Cerraste tu sesión.")
    return redirect(url_for("home.index"))
