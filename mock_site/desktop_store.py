"""The queries of the desktop: a serial installed on a PC (found with its account), its
activation by razón social (rule 6) and the name printed on reports. Split from :mod:`.store`."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from .domain import serials
from .domain.upgrades import Serie
from .store import account, serie_from_row


def find_serial(db: sqlite3.Connection, numero: str) -> tuple[Serie, sqlite3.Row] | None:
    """The serial and the account that holds it, or None for a malformed or unknown serial."""
    if not serials.is_valid_serial(numero):
        return None
    row = db.execute("SELECT * FROM serie WHERE numero = ?", (numero,)).fetchone()
    if row is None:
        return None
    holder = account(db, row["cuenta_id"])
    assert holder is not None  # a serial's account is a foreign key
    return serie_from_row(row), holder


def activation(db: sqlite3.Connection, numero: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM activacion WHERE numero = ?", (numero,)).fetchone()


def activate(db: sqlite3.Connection, numero: str, razon_social: str, moment: datetime) -> None:
    """Record the activation; activating again (another PC, a reinstall) keeps the razón social
    chosen for reports."""
    db.execute(
        "INSERT INTO activacion (numero, razon_social_reportes, activada) VALUES (?, ?, ?)"
        " ON CONFLICT (numero) DO NOTHING",
        (numero, razon_social, moment.isoformat()),
    )


def set_report_name(db: sqlite3.Connection, numero: str, razon_social: str) -> None:
    db.execute("UPDATE activacion SET razon_social_reportes = ? WHERE numero = ?", (razon_social, numero))
