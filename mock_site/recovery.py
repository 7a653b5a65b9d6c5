"""¿Olvidaste tu contraseña?: the request, the mail with a one-time link, the new password.

- The request answers :data:`NEUTRAL` whether or not the user (or e-mail) exists.
- The link carries a token signed with itsdangerous (``URLSafeTimedSerializer``) holding the
  account and a nonce; its timestamp is taken from, and checked against, the account's clock
  (:func:`mock_site.db.now`), so scenarios move past the expiry through the control API.
- One time: the nonce is stored in ``recuperacion`` and marked used by the change (which also
  retires every other link of the account); the same rows bound how many mails an account gets.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from . import limits, mail, store
from .db import get_db, now
from .domain.passwords import MAX_LENGTH, MIN_LENGTH, password_errors
from .domain.rate_limit import RateLimit
from .refusal import Refusal

bp = Blueprint("recovery", __name__, url_prefix="/mi-cuenta/recuperar-contrasena")

NEUTRAL = (
    "Si los datos corresponden a una cuenta, enviamos a su correo electrónico registrado "
    "las instrucciones para recuperar tu contraseña."
)
SUBJECT = "Recupera tu contraseña de Mi cuenta Aspel"
CHANGED = "Tu contraseña se cambió. Inicia sesión con tu nueva contraseña."
MAX_WHO = 254  # the longest e-mail address
MAX_TOKEN = 512
ACCOUNTS_PER_ADDRESS = 5  # one e-mail may be registered for a few accounts: a link for each
SALT = "recuperar-contrasena"


# Why a recovery link does not open.
INVALID = Refusal(
    400,
    "Enlace no válido",
    "El enlace para cambiar tu contraseña no es válido. Revisa que lo abriste completo desde el "
    "correo o solicita uno nuevo.",
)
EXPIRED = Refusal(
    410,
    "Enlace vencido",
    "El enlace para cambiar tu contraseña venció. Solicita uno nuevo desde ¿Olvidaste tu contraseña?",
)
USED = Refusal(
    410,
    "Enlace utilizado",
    "Este enlace para cambiar tu contraseña ya se utilizó. Si necesitas cambiarla otra vez, solicita uno nuevo.",
)


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
        current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner, signer_kwargs={"clock": clock}
    )


def make_token(account, nonce: str, moment: datetime) -> str:
    return _serializer(lambda: moment).dumps({"c": account["id"], "n": nonce})


def check_token(token: str):
    """(account row, nonce) of a link that may still be used; Refusal otherwise."""
    if not token or len(token) > MAX_TOKEN:
        raise INVALID
    try:
        # Signature only: the expiry needs the account's clock, known once the payload is read.
        payload = _serializer(lambda: datetime.now(UTC)).loads(token)
    except BadSignature:
        raise INVALID from None
    if not (isinstance(payload, dict) and isinstance(payload.get("c"), int) and isinstance(payload.get("n"), str)):
        raise INVALID
    db = get_db()
    account = store.account(db, payload["c"])
    link = store.recovery_link(db, payload["n"], payload["c"])
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


def _rate_limit() -> RateLimit:
    """``RESET_RATE_LIMIT`` mails per account within ``RESET_RATE_WINDOW`` seconds."""
    config = current_app.config
    return RateLimit(config["RESET_RATE_LIMIT"], timedelta(seconds=config["RESET_RATE_WINDOW"]))


def _new_link(account) -> tuple[str, datetime] | None:
    """A new nonce for the account, or None when it already got its share of mails."""
    moment = now(account)
    nonce = secrets.token_urlsafe(16)
    if not store.add_recovery_link(get_db(), account["id"], nonce, moment, _rate_limit()):
        return None
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
    row = store.add_unknown_recovery(db, who, moment, _rate_limit())
    if row is None:
        return
    account = {**DECOY_ACCOUNT, "usuario": who}
    text, html = _mail_bodies(account, secrets.token_urlsafe(16), moment)
    mail.build_message(
        {
            "para": account["correo"],
            "asunto": SUBJECT,
            "texto": text,
            "html": html,
            "fecha": moment.isoformat(),
            "message_id": f"<{secrets.token_hex(8)}@{mail.MESSAGE_ID_DOMAIN}>",
        }
    )
    store.mark_unknown_recovery_drafted(db, row, moment)


@bp.route("/", methods=("GET", "POST"))
def request_reset():
    sent = False
    error = None
    if request.method == "POST":
        limits.limit("recuperacion", cliente=limits.client_key())
        who = request.form.get("usuario", "").strip()
        if not who:
            error = "Escribe tu usuario o tu correo electrónico."
        else:
            # Whatever was typed, the same answer: nothing tells whether an account exists.
            if len(who) <= MAX_WHO and who.isprintable():
                accounts = store.accounts_for(get_db(), who, ACCOUNTS_PER_ADDRESS)
                for account in accounts:
                    send_link(account)
                if not accounts:
                    _decoy_link(who)
            sent = True
    return render_template("auth/recovery_request.html", sent=sent, error=error, message=NEUTRAL), 400 if error else 200


# --- the link ---------------------------------------------------------------------------------


def _change_password(account, nonce: str, password: str) -> None:
    """Use the link (once: a second request finds it used, USED) and set the new password."""
    if not store.change_password(
        get_db(), account["id"], nonce, password, now(account), password_hash=current_app.config["PASSWORD_HASH"]
    ):
        raise USED


def _refused(refusal: Refusal):
    return render_template(
        "auth/recovery_link_error.html", title=refusal.title, message=refusal.message
    ), refusal.status


@bp.route("/<token>", methods=("GET", "POST"))
def reset(token: str):
    try:
        account, nonce = check_token(token)
    except Refusal as refusal:
        return _refused(refusal)
    errors: dict[str, str] = {}
    if request.method == "POST":
        password = request.form.get("contrasena", "")
        errors = password_errors(password, request.form.get("confirmacion", ""))
        if not errors:
            try:
                _change_password(account, nonce, password)
            except Refusal as refusal:
                return _refused(refusal)
            flash(CHANGED, "ok")
            return redirect(url_for("auth.login"), code=303)
    return render_template(
        "auth/recovery_reset.html",
        usuario=account["usuario"],
        errors=errors,
        min_length=MIN_LENGTH,
        max_length=MAX_LENGTH,
    ), 400 if errors else 200


@bp.after_request
def _not_cached(response):
    """The pages of a recovery link hold a secret in their address: keep them out of caches."""
    response.headers["Cache-Control"] = "no-store"
    return response
