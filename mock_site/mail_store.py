"""The queries of the site's mail: the mailbox keys that open a customer's mailbox page, and the
messages the site sends (upgrade notices, password recovery), kept for the mailbox and the
control API's outbox. Split from :mod:`.store` (the accounts and serials), which gives each new
account its key and replaces it at a password change."""

from __future__ import annotations

import secrets
import sqlite3
from datetime import UTC, datetime

from .domain.clock import utc

MAILBOX_KEY_BYTES = 24  # 192 random bits, 32 characters in the URL
MAX_MAILBOX_KEY = 64


def new_mailbox_key(db: sqlite3.Connection, cuenta_id: int) -> str:
    """A new random key for the account's mailbox; the key it had before opens nothing any more."""
    key = secrets.token_urlsafe(MAILBOX_KEY_BYTES)
    db.execute(
        "INSERT INTO buzon (clave, cuenta_id, creado) VALUES (?, ?, ?)"
        " ON CONFLICT (cuenta_id) DO UPDATE SET clave = excluded.clave, creado = excluded.creado",
        (key, cuenta_id, utc(datetime.now(UTC))),
    )
    return key


def mailbox_key(db: sqlite3.Connection, cuenta_id: int) -> str:
    """The account's mailbox key (a new one when it had none: revoked, or an account made before)."""
    row = db.execute("SELECT clave FROM buzon WHERE cuenta_id = ?", (cuenta_id,)).fetchone()
    return row["clave"] if row else new_mailbox_key(db, cuenta_id)


def revoke_mailbox(db: sqlite3.Connection, cuenta_id: int) -> None:
    """The account's mailbox key opens nothing any more (the next one handed out is new)."""
    db.execute("DELETE FROM buzon WHERE cuenta_id = ?", (cuenta_id,))


def mailbox_owner(db: sqlite3.Connection, key: str) -> sqlite3.Row | None:
    """The account whose mailbox ``key`` opens, or None."""
    if not key or len(key) > MAX_MAILBOX_KEY:
        return None
    return db.execute(
        "SELECT cuenta.* FROM buzon JOIN cuenta ON cuenta.id = buzon.cuenta_id WHERE buzon.clave = ?", (key,)
    ).fetchone()


def add_mail(
    db: sqlite3.Connection,
    *,
    cuenta_id: int | None,
    para: str,
    asunto: str,
    texto: str,
    html: str,
    fecha: datetime,
    message_id: str,
) -> sqlite3.Row:
    """Store a sent message; the stored row."""
    cursor = db.execute(
        "INSERT INTO correo (cuenta_id, para, asunto, texto, html, fecha, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (cuenta_id, para, asunto, texto, html, fecha.isoformat(), message_id),
    )
    return db.execute("SELECT * FROM correo WHERE id = ?", (cursor.lastrowid,)).fetchone()


def mail_of(db: sqlite3.Connection, cuenta_id: int, message_id: int) -> sqlite3.Row | None:
    """A message of the account's mailbox (None for another mailbox's)."""
    return db.execute("SELECT * FROM correo WHERE id = ? AND cuenta_id = ?", (message_id, cuenta_id)).fetchone()


def mailbox(db: sqlite3.Connection, cuenta_id: int) -> list[sqlite3.Row]:
    """The account's messages, newest first: those sent for it, not those that name its address."""
    return db.execute("SELECT * FROM correo WHERE cuenta_id = ? ORDER BY id DESC", (cuenta_id,)).fetchall()


def outbox(db: sqlite3.Connection, para: str | None = None) -> list[sqlite3.Row]:
    """Every message sent (to ``para`` only, when given), oldest first."""
    query = "SELECT * FROM correo" + (" WHERE para = ?" if para else "") + " ORDER BY id"
    return db.execute(query, (para,) if para else ()).fetchall()
