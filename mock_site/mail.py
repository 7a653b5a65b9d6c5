"""The one mailer, and the webmail page where a customer reads what the site sent.

Every message goes through :func:`send`: it is stored in the ``correo`` table (the outbox the
webmail page and the mock control API read) and, when ``SMTP_HOST`` and ``SMTP_PORT`` are
configured, also delivered over SMTP. Both the delivery and the webmail's *Ver original* use
:func:`build_message`, so what a test parses is what a mail server receives.

The webmail is not part of Mi cuenta Aspel (a customer who forgot the password must reach it):
each mailbox is the mailbox of one account, addressed by a random key stored with it
(``buzon``), ``/correo/<key>/``. The key is replaced when the password changes and goes with the
account: an old address opens nothing, never the account that came after (ids are never reused
either). The control API hands out the current key with every message it lists. A message is delivered to the account it was sent for (``correo.cuenta_id``),
never looked up by its address alone: two accounts never share a mailbox, even were their
addresses the same.
"""

from __future__ import annotations

import secrets
import smtplib
import sqlite3
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from flask import Blueprint, Response, abort, current_app, render_template

from . import mail_store, store
from .db import MEXICO_CITY, get_db, now

# A larger id cannot reach SQLite (OverflowError, a 500): the route does not match it (404).
SQLITE_MAX_INTEGER = 2**63 - 1

bp = Blueprint("mail", __name__, url_prefix="/correo")

MESSAGE_ID_DOMAIN = "aspel.com.mx"


# --- sending --------------------------------------------------------------------------------


def send(to: str, subject: str, text: str, html: str, cuenta_id: int | None = None) -> int:
    """Store the message (always) and relay it over SMTP (when configured); its id.

    ``html`` is the body fragment our own templates render (autoescaped); the SMTP copy wraps
    it in a whole HTML document. An SMTP failure is logged, never raised: the stored message
    stays and the page that sent it answers as usual.
    """
    db = get_db()
    moment = now(store.account(db, cuenta_id) if cuenta_id is not None else None)
    message_id = f"<{moment:%Y%m%d%H%M%S}.{secrets.token_hex(8)}@{MESSAGE_ID_DOMAIN}>"
    row = mail_store.add_mail(
        db, cuenta_id=cuenta_id, para=to, asunto=subject, texto=text, html=html, fecha=moment, message_id=message_id
    )
    _deliver(build_message(row))
    return row["id"]


def build_message(row: sqlite3.Row | dict) -> EmailMessage:
    """The stored message as an e-mail: multipart/alternative (text, then HTML), UTF-8."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = row["para"]
    message["Subject"] = row["asunto"]
    message["Date"] = format_datetime(datetime.fromisoformat(row["fecha"]))
    message["Message-ID"] = row["message_id"]
    message.set_content(row["texto"], subtype="plain", charset="utf-8", cte="quoted-printable")
    document = render_template("mail/_document.html", subject=row["asunto"], body=row["html"], styles=_mail_styles())
    message.add_alternative(document, subtype="html", charset="utf-8", cte="quoted-printable")
    return message


def _mail_styles() -> str:
    """The mail's own stylesheet: linked by the webmail page, embedded in the SMTP copy."""
    with current_app.open_resource("static/css/mail.css", "rb") as stylesheet:
        return stylesheet.read().decode("utf-8")  # type: ignore[attr-defined]  # Flask types it IO[AnyStr]


def _deliver(message: EmailMessage) -> None:
    host, port = current_app.config.get("SMTP_HOST"), current_app.config.get("SMTP_PORT")
    if not host or not port:
        return
    try:
        with smtplib.SMTP(host, int(port), timeout=current_app.config.get("SMTP_TIMEOUT", 10)) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        current_app.logger.warning(
            "No se pudo entregar por SMTP (%s:%s) el correo %s a %s: %s",
            host,
            port,
            message["Message-ID"],
            message["To"],
            error,
        )


# --- the webmail ----------------------------------------------------------------------------


def mailbox_key(cuenta_id: int) -> str:
    """The unguessable key of one account's mailbox as it stands now (mail_store.mailbox_key)."""
    return mail_store.mailbox_key(get_db(), cuenta_id)


def mailbox_path(cuenta_id: int | None) -> str | None:
    """``/correo/<key>/``: what the control API and ``make sitio`` hand out (None for no account)."""
    if cuenta_id is None:
        return None
    return f"{bp.url_prefix}/{mailbox_key(cuenta_id)}/"


def _mailbox_or_404(key: str) -> tuple[int, str]:
    """The account's id and address of the mailbox ``key`` opens; 404 for a key that opens none
    (made up, replaced by a password change, revoked, or of an account that no longer exists)."""
    account = mail_store.mailbox_owner(get_db(), key)
    if account is None:
        abort(404)
    return account["id"], account["correo"]


def _shown_date(value: str) -> str:
    """dd/mm/yyyy HH:MM in Mexico City, as the webmail lists dates."""
    return datetime.fromisoformat(value).astimezone(MEXICO_CITY).strftime("%d/%m/%Y %H:%M")


def _sender() -> dict:
    name, address = parseaddr(current_app.config["MAIL_FROM"])
    return {"nombre": name or address, "correo": address, "completo": current_app.config["MAIL_FROM"]}


def _message_or_404(cuenta_id: int, message_id: int) -> sqlite3.Row:
    row = mail_store.mail_of(get_db(), cuenta_id, message_id)
    if row is None:
        abort(404)
    return row


def _private(response: Response) -> Response:
    """A mailbox page is nobody else's: not cached, not indexed."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.route("/<key>/")
def mailbox(key: str):
    cuenta_id, address = _mailbox_or_404(key)
    rows = mail_store.mailbox(get_db(), cuenta_id)
    messages = [{"id": row["id"], "asunto": row["asunto"], "fecha": _shown_date(row["fecha"])} for row in rows]
    html = render_template("mail/mailbox.html", key=key, address=address, messages=messages, sender=_sender())
    return _private(Response(html))


@bp.route(f"/<key>/<int(max={SQLITE_MAX_INTEGER}):message_id>")
def message(key: str, message_id: int):
    cuenta_id, address = _mailbox_or_404(key)
    row = _message_or_404(cuenta_id, message_id)
    count = len(mail_store.mailbox(get_db(), cuenta_id))
    html = render_template(
        "mail/message.html",
        key=key,
        address=address,
        message=row,
        sender=_sender(),
        fecha=_shown_date(row["fecha"]),
        count=count,
    )
    return _private(Response(html))


@bp.route(f"/<key>/<int(max={SQLITE_MAX_INTEGER}):message_id>/original")
def original(key: str, message_id: int):
    """The message as it travels (headers and MIME parts), like a mail client's *Ver original*."""
    cuenta_id, _address = _mailbox_or_404(key)
    row = _message_or_404(cuenta_id, message_id)
    raw = build_message(row).as_bytes()
    return _private(Response(raw, mimetype="text/plain", headers={"Content-Type": "text/plain; charset=utf-8"}))
