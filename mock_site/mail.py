"""The one mailer: every message is stored in the outbox (read at the webmail page)."""
from __future__ import annotations

import secrets

from flask import Blueprint, g

from .db import get_db, now

bp = Blueprint("mail", __name__, url_prefix="/correo")


def send(to: str, subject: str, text: str, html: str, cuenta_id: int | None = None) -> int:
    moment = now(g.get('user'))
    message_id = f"<{moment:%Y%m%d%H%M%S}.{secrets.token_hex(8)}@aspel.com.mx>"
    cursor = get_db().execute(
        "INSERT INTO correo (cuenta_id, para, asunto, texto, html, fecha, message_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cuenta_id, to, subject, text, html, moment.isoformat(), message_id),
    )
    return cursor.lastrowid
