"""MI CUENTA ASPEL: log-in, log-out and the server-side session."""
from __future__ import annotations

import functools
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint, flash, g, redirect, render_template, request, session, url_for,
)
from werkzeug.security import check_password_hash

from .db import get_db, now
from .domain.lockout import lock_after_failure, locked

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
    sid = session.get("sid")
    g.user = None
    if sid:
        g.user = get_db().execute(
            "SELECT cuenta.* FROM sesion JOIN cuenta ON cuenta.id = sesion.cuenta_id WHERE sesion.id = ?",
            (sid,),
        ).fetchone()


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


def _check_credentials(usuario: str, password: str) -> tuple[int | None, str | None]:
    """The account id on success, else the error message. Counts failures and locks."""
    db = get_db()
    db.execute("BEGIN IMMEDIATE")
    try:
        account = db.execute("SELECT * FROM cuenta WHERE usuario = ?", (usuario,)).fetchone()
        if account is None:
            db.execute("COMMIT")
            return None, WRONG_CREDENTIALS
        moment = now(account)
        until = datetime.fromisoformat(account["bloqueada_hasta"]) if account["bloqueada_hasta"] else None
        if locked(until, moment):
            db.execute("COMMIT")
            return None, LOCKED
        if check_password_hash(account["password_hash"], password):
            db.execute(
                "UPDATE cuenta SET intentos_fallidos = 0, bloqueada_hasta = NULL WHERE id = ?",
                (account["id"],),
            )
            db.execute("COMMIT")
            return account["id"], None
        failures = (0 if until else account["intentos_fallidos"]) + 1
        lock_end = lock_after_failure(failures, moment)
        db.execute(
            "UPDATE cuenta SET intentos_fallidos = ?, bloqueada_hasta = ? WHERE id = ?",
            (0 if lock_end else failures, lock_end.isoformat() if lock_end else None, account["id"]),
        )
        db.execute("COMMIT")
        return None, LOCKED if lock_end else WRONG_CREDENTIALS
    except BaseException:
        db.execute("ROLLBACK")
        raise


def start_session(cuenta_id: int) -> None:
    """A new session id at every log-in (no fixation), stored on the server; the session this
    browser had before ends."""
    previous = session.get("sid")
    if previous:
        get_db().execute("DELETE FROM sesion WHERE id = ?", (previous,))
    session.clear()
    sid = secrets.token_urlsafe(32)
    get_db().execute("INSERT INTO sesion (id, cuenta_id) VALUES (?, ?)", (sid, cuenta_id))
    session["sid"] = sid


@bp.route("/iniciar-sesion", methods=("GET", "POST"))
def login():
    target = request.values.get("siguiente", "")
    errors: dict[str, str] = {}
    error = None
    usuario = ""
    if request.method == "POST":
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
    return render_template(
        "auth/login.html", errors=errors, error=error, usuario=usuario, siguiente=target
    ), status


@bp.post("/cerrar-sesion")
def logout():
    sid = session.pop("sid", None)
    if sid:
        get_db().execute("DELETE FROM sesion WHERE id = ?", (sid,))
    session.clear()
    flash("Cerraste tu sesión.")
    return redirect(url_for("home.index"))
