"""¿Olvidaste tu contraseña?: the request, the mail with a one-time link, the new password.

- The request answers :data:`NEUTRAL` whether or not the user (or e-mail) exists.
- The link carries a token signed with itsdangerous (``URLSafeTimedSerializer``) holding the
  account and a nonce; its timestamp is taken from, and checked against, the account's clock
  (:func:`mock_site.db.now`), so scenarios move past the expiry through the control API.
- One time: the nonce is stored in ``recuperacion`` and marked used by the change (which also
  retires every other link of the account); the same rows bound how many mails an account gets.
"""
from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from importlib import resources

from flask import (
    Blueprint, current_app, flash, redirect, render_template, request, url_for,
)
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from werkzeug.security import generate_password_hash

from . import mail
from .db import connect, get_db, now

bp = Blueprint("recovery", __name__, url_prefix="/mi-cuenta/recuperar-contrasena")

NEUTRAL = (
    "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado "
    "las instrucciones para recuperar tu contraseña."
)
SUBJECT = "Recupera tu contraseña de Mi cuenta Aspel"
CHANGED = "Tu contraseña se cambió. Inicia sesión con tu nueva contraseña."
MIN_LENGTH = 10
MAX_LENGTH = 128  # the log-in form refuses longer passwords
MAX_WHO = 254  # the longest e-mail address
MAX_TOKEN = 512
ACCOUNTS_PER_ADDRESS = 5  # one e-mail may be registered for a few accounts: a link for each
SALT = "recuperar-contrasena"


class LinkRefused(Exception):
    """Why a recovery link does not open: the page's title, message and HTTP status."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


INVALID = LinkRefused(
    400, "Enlace no válido",
    "El enlace para cambiar tu contraseña no es válido. Revisa que lo abriste completo desde el "
    "correo o solicita uno nuevo.",
)
EXPIRED = LinkRefused(
    410, "Enlace vencido",
    "El enlace para cambiar tu contraseña venció. Solicita uno nuevo desde ¿Olvidaste tu contraseña?",
)
USED = LinkRefused(
    410, "Enlace utilizado",
    "Este enlace para cambiar tu contraseña ya se utilizó. Si necesitas cambiarla otra vez, "
    "solicita uno nuevo.",
)


# --- the table, in databases made before it --------------------------------------------------


@bp.record_once
def _add_missing_tables(state) -> None:
    """``init_db`` runs schema.sql only on a new database: add its newer tables to older ones."""
    schema = resources.files("mock_site").joinpath("schema.sql").read_text(encoding="utf-8")
    connection = connect(state.app.config["DATABASE"])
    try:
        for statement in re.findall(r"CREATE TABLE IF NOT EXISTS .*?\);", schema, re.S):
            connection.execute(statement)
    finally:
        connection.close()


# --- tokens ----------------------------------------------------------------------------------


class _ClockSigner(TimestampSigner):
    """itsdangerous' timestamp signer, reading the account's clock instead of the machine's."""

    def __init__(self, *args, clock: Callable[[], datetime], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock

    def get_timestamp(self) -> int:
        return int(self._clock().timestamp())


def _serializer(clock: Callable[[], datetime]) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=SALT,
        signer=_ClockSigner, signer_kwargs={"clock": clock},
    )


def make_token(account, nonce: str, moment: datetime) -> str:
    return _serializer(lambda: moment).dumps({"c": account["id"], "n": nonce})


def check_token(token: str):
    """(account row, nonce) of a link that may still be used; LinkRefused otherwise."""
    if not token or len(token) > MAX_TOKEN:
        raise INVALID
    try:
        # Signature only: the expiry needs the account's clock, known once the payload is read.
        payload = _serializer(lambda: datetime.now(timezone.utc)).loads(token)
    except BadSignature:
        raise INVALID from None
    if not (isinstance(payload, dict) and isinstance(payload.get("c"), int)
            and isinstance(payload.get("n"), str)):
        raise INVALID
    db = get_db()
    account = db.execute("SELECT * FROM cuenta WHERE id = ?", (payload["c"],)).fetchone()
    link = db.execute(
        "SELECT * FROM recuperacion WHERE nonce = ? AND cuenta_id = ?", (payload["n"], payload["c"])
    ).fetchone()
    if account is None or link is None:
        raise INVALID
    if link["usado"]:
        raise USED
    try:
        _serializer(lambda: now(account)).loads(token, max_age=current_app.config["RESET_TOKEN_MAX_AGE"])
    except SignatureExpired:
        raise EXPIRED from None
    except BadSignature:
        raise INVALID from None
    return account, payload["n"]


# --- the request -----------------------------------------------------------------------------


def _utc(moment: datetime) -> str:
    """Stored instants in UTC, so that they compare as text whatever the offset of the day."""
    return moment.astimezone(timezone.utc).isoformat()


def _accounts_for(who: str) -> list:
    db = get_db()
    found = db.execute("SELECT * FROM cuenta WHERE usuario = ?", (who,)).fetchall()
    if not found and "@" in who:
        found = db.execute(
            "SELECT * FROM cuenta WHERE lower(correo) = lower(?) ORDER BY id LIMIT ?",
            (who, ACCOUNTS_PER_ADDRESS),
        ).fetchall()
    return found


def _new_link(account) -> tuple[str, datetime] | None:
    """A new nonce for the account, or None when it already got its share of mails."""
    db = get_db()
    moment = now(account)
    window = timedelta(seconds=current_app.config["RESET_RATE_WINDOW"])
    db.execute("BEGIN IMMEDIATE")
    try:
        recent = db.execute(
            "SELECT count(*) FROM recuperacion WHERE cuenta_id = ? AND creado > ?",
            (account["id"], _utc(moment - window)),
        ).fetchone()[0]
        if recent >= current_app.config["RESET_RATE_LIMIT"]:
            db.execute("COMMIT")
            return None
        nonce = secrets.token_urlsafe(16)
        db.execute(
            "INSERT INTO recuperacion (nonce, cuenta_id, creado) VALUES (?, ?, ?)",
            (nonce, account["id"], _utc(moment)),
        )
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return nonce, moment


def _mail_bodies(account, nonce: str, moment: datetime) -> tuple[str, str]:
    """The recovery mail's text and HTML for ``account`` (a row, or the decoy's dict)."""
    context = {
        "nombre": account["nombre"],
        "usuario": account["usuario"],
        # Absolute, from the site's pinned public URL (mock_site.public_origin), never the Host.
        "enlace": url_for("recovery.reset", token=make_token(account, nonce, moment), _external=True),
        "minutos": current_app.config["RESET_TOKEN_MAX_AGE"] // 60,
    }
    return render_template("mail/recovery.txt", **context), render_template("mail/recovery.html", **context)


def send_link(account) -> bool:
    """Mail the account a one-time link; False when the rate limit held it back."""
    issued = _new_link(account)
    if issued is None:
        current_app.logger.info("Recuperación limitada para la cuenta %s", account["id"])
        return False
    nonce, moment = issued
    text, html = _mail_bodies(account, nonce, moment)
    mail.send(account["correo"], SUBJECT, text, html, cuenta_id=account["id"])
    return True


DECOY_ACCOUNT = {"id": 0, "nombre": "Cliente", "correo": "nadie@example.invalid"}


def _decoy_link(who: str) -> None:
    """For a name that has no account, what :func:`send_link` does, without a mail: the same
    transaction, count and rate limit (rows of ``recuperacion_desconocida``, kept for the limit's
    window), a token, both bodies, the whole message, and a second write where the mail would be
    stored. The page then takes as long, and says the same, whether the account exists or not."""
    db = get_db()
    moment = now()
    since = _utc(moment - timedelta(seconds=current_app.config["RESET_RATE_WINDOW"]))
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("DELETE FROM recuperacion_desconocida WHERE creado <= ?", (since,))
        recent = db.execute(
            "SELECT count(*) FROM recuperacion_desconocida WHERE quien = ? AND creado > ?", (who, since)
        ).fetchone()[0]
        if recent >= current_app.config["RESET_RATE_LIMIT"]:
            db.execute("COMMIT")
            return
        row = db.execute(
            "INSERT INTO recuperacion_desconocida (quien, creado) VALUES (?, ?)", (who, _utc(moment))
        ).lastrowid
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    account = {**DECOY_ACCOUNT, "usuario": who}
    text, html = _mail_bodies(account, secrets.token_urlsafe(16), moment)
    mail.build_message({
        "para": account["correo"], "asunto": SUBJECT, "texto": text, "html": html,
        "fecha": moment.isoformat(), "message_id": f"<{secrets.token_hex(8)}@{mail.MESSAGE_ID_DOMAIN}>",
    })
    db.execute("UPDATE recuperacion_desconocida SET redactado = ? WHERE rowid = ?", (_utc(moment), row))


@bp.route("/", methods=("GET", "POST"))
def request_reset():
    sent = False
    error = None
    if request.method == "POST":
        who = request.form.get("usuario", "").strip()
        if not who:
            error = "Escribe tu usuario o tu correo electrónico."
        else:
            # Whatever was typed, the same answer: nothing tells whether an account exists.
            if len(who) <= MAX_WHO and who.isprintable():
                accounts = _accounts_for(who)
                for account in accounts:
                    send_link(account)
                if not accounts:
                    _decoy_link(who)
            sent = True
    return render_template(
        "auth/recovery_request.html", sent=sent, error=error, message=NEUTRAL
    ), 400 if error else 200


# --- the link ---------------------------------------------------------------------------------


def _password_errors(password: str, confirmation: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not password:
        errors["contrasena"] = "Escribe tu nueva contraseña."
    elif len(password) < MIN_LENGTH:
        errors["contrasena"] = f"La contraseña debe tener al menos {MIN_LENGTH} caracteres."
    elif len(password) > MAX_LENGTH:
        errors["contrasena"] = f"La contraseña debe tener como máximo {MAX_LENGTH} caracteres."
    if not confirmation:
        errors["confirmacion"] = "Escribe otra vez tu nueva contraseña."
    elif "contrasena" not in errors and confirmation != password:
        errors["confirmacion"] = "Las contraseñas no coinciden."
    return errors


def _change_password(account, nonce: str, password: str) -> None:
    """Use the link (once: a second request finds it used) and set the new password."""
    db = get_db()
    moment = _utc(now(account))
    db.execute("BEGIN IMMEDIATE")
    try:
        used = db.execute(
            "UPDATE recuperacion SET usado = ? WHERE nonce = ? AND usado IS NULL", (moment, nonce)
        )
        if used.rowcount != 1:
            raise USED
        db.execute(
            "UPDATE cuenta SET password_hash = ?, intentos_fallidos = 0, bloqueada_hasta = NULL"
            " WHERE id = ?",
            (generate_password_hash(password), account["id"]),
        )
        # Every other link of the account dies with this change, and so do its sessions.
        db.execute(
            "UPDATE recuperacion SET usado = ? WHERE cuenta_id = ? AND usado IS NULL",
            (moment, account["id"]),
        )
        db.execute("DELETE FROM sesion WHERE cuenta_id = ?", (account["id"],))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _refused(refusal: LinkRefused):
    return render_template(
        "auth/recovery_link_error.html", title=refusal.title, message=refusal.message
    ), refusal.status


@bp.route("/<token>", methods=("GET", "POST"))
def reset(token: str):
    try:
        account, nonce = check_token(token)
    except LinkRefused as refusal:
        return _refused(refusal)
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("contrasena", "")
        errors = _password_errors(password, request.form.get("confirmacion", ""))
        if not errors:
            try:
                _change_password(account, nonce, password)
            except LinkRefused as refusal:
                return _refused(refusal)
            flash(CHANGED, "ok")
            return redirect(url_for("auth.login"), code=303)
    return render_template(
        "auth/recovery_reset.html", usuario=account["usuario"], errors=errors,
        min_length=MIN_LENGTH, max_length=MAX_LENGTH,
    ), 400 if errors else 200


@bp.after_request
def _not_cached(response):
    """The pages of a recovery link hold a secret in their address: keep them out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response
