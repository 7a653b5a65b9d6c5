"""Reading and writing accounts and serials; the upgrade as one atomic step."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from faker import Faker
from werkzeug.security import generate_password_hash

from .domain import serials
from .domain.calendar import PERIOD_MONTHS, add_months
from .domain.upgrades import Serie, upgraded


def serie_from_row(row: sqlite3.Row) -> Serie:
    return Serie(
        numero=row["numero"],
        sistema=row["sistema"],
        version=row["version"],
        modalidad=row["modalidad"],
        periodicidad=row["periodicidad"],
        usuarios=row["usuarios"],
        fecha_activacion=date.fromisoformat(row["fecha_activacion"]),
        proximo_pago=date.fromisoformat(row["proximo_pago"]) if row["proximo_pago"] else None,
        reemplazada_por=row["reemplazada_por"],
    )


def series_of(db: sqlite3.Connection, cuenta_id: int) -> list[Serie]:
    rows = db.execute(
        "SELECT * FROM serie WHERE cuenta_id = ? ORDER BY fecha_activacion, id", (cuenta_id,)
    ).fetchall()
    return [serie_from_row(row) for row in rows]


def serie_of(db: sqlite3.Connection, cuenta_id: int, numero: str) -> Serie | None:
    """The account's serial, or None for a malformed, unknown or someone else's serial."""
    if not serials.is_valid_serial(numero):
        return None
    row = db.execute(
        "SELECT * FROM serie WHERE numero = ? AND cuenta_id = ?", (numero, cuenta_id)
    ).fetchone()
    return serie_from_row(row) if row else None


def insert_serie(db: sqlite3.Connection, cuenta_id: int, serie: Serie, reemplaza: str | None = None) -> None:
    db.execute(
        "INSERT INTO serie (numero, cuenta_id, sistema, version, modalidad, periodicidad, usuarios,"
        " fecha_activacion, proximo_pago, reemplaza) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            serie.numero, cuenta_id, serie.sistema, serie.version, serie.modalidad,
            serie.periodicidad, serie.usuarios, serie.fecha_activacion.isoformat(),
            serie.proximo_pago.isoformat() if serie.proximo_pago else None, reemplaza,
        ),
    )


def unused_serial(db: sqlite3.Connection, system: str, key: bytes, origin: str) -> str:
    """The first serial derived from ``origin`` under ``key`` that no serial holds yet."""
    for attempt in range(100):
        candidate = serials.derived_serial(system, key, origin, attempt)
        if not db.execute("SELECT 1 FROM serie WHERE numero = ?", (candidate,)).fetchone():
            return candidate
    raise RuntimeError("no free serial after 100 attempts")  # 30**9 values: never in practice


def upgrade(db: sqlite3.Connection, cuenta_id: int, numero: str, today: date, key: bytes) -> Serie:
    """Replace the serial with a new one for the next version, exactly once.

    ``BEGIN IMMEDIATE`` takes SQLite's write lock before reading, so concurrent requests for the
    same serial run one after the other and all but the first see it already replaced.
    Raises LookupError for a serial the account does not hold, UpgradeRefused otherwise.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        old = serie_of(db, cuenta_id, numero)
        if old is None:
            raise LookupError(numero)
        new = upgraded(old, unused_serial(db, old.sistema, key, old.numero), today)
        insert_serie(db, cuenta_id, new, reemplaza=old.numero)
        db.execute("UPDATE serie SET reemplazada_por = ? WHERE numero = ?", (new.numero, old.numero))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new


def company_rfc(fake: Faker) -> str:
    """A company RFC from the seeded instance only.

    Faker's es_MX ``rfc()`` draws its last three characters (the homoclave) from the global
    ``random`` module, so a seeded instance still gives a different RFC each run.
    """
    homoclave = "".join(fake.random_element("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
    return fake.rfc(natural=False)[:-3] + homoclave


@dataclass(frozen=True)
class SerieSpec:
    """What a caller asks for when it creates a serial (demo account, mock control)."""

    version: str = "9.0"
    usuarios: int = 1
    fecha_activacion: date = date(2022, 2, 1)
    proximo_pago: date | None = None
    numero: str | None = None


def create_account(
    db: sqlite3.Connection,
    *,
    usuario: str,
    password: str,
    seed: int,
    modalidad: str = "suscripcion",
    periodicidad: str | None = "mensual",
    series: list[SerieSpec] | None = None,
    razon_social: str | None = None,
    reloj: str | None = None,
) -> dict:
    """An account with Faker-made customer data (es_MX) and its NOI serials.

    Everything but ``usuario`` follows from ``seed`` (serials included, unless taken), so a
    scenario that passes the same seed shows the same person in its figures on every run.
    """
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    nombre = fake.name()
    company = razon_social or fake.company()
    correo = f"{fake.user_name()}@{fake.free_email_domain()}".lower()
    rfc = company_rfc(fake)
    cursor = db.execute(
        "INSERT INTO cuenta (usuario, password_hash, correo, nombre, razon_social, rfc, reloj)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (usuario, generate_password_hash(password), correo, nombre, company,
         rfc, reloj),
    )
    cuenta_id = cursor.lastrowid
    if modalidad == "licenciamiento":
        periodicidad = None
    for index, spec in enumerate(series or [SerieSpec()]):
        proximo = spec.proximo_pago
        if proximo is None and periodicidad:
            proximo = add_months(spec.fecha_activacion, PERIOD_MONTHS[periodicidad])
        serie = Serie(
            numero=spec.numero or unused_serial(db, "NOI", b"seed", f"{seed}:{index}"),
            sistema="NOI",
            version=spec.version,
            modalidad=modalidad,
            periodicidad=periodicidad,
            usuarios=spec.usuarios,
            fecha_activacion=spec.fecha_activacion,
            proximo_pago=proximo,
        )
        insert_serie(db, cuenta_id, serie)
    return {
        "id": cuenta_id, "usuario": usuario, "password": password, "correo": correo,
        "nombre": nombre, "razon_social": company, "rfc": rfc,
        "series": [s.numero for s in series_of(db, cuenta_id)],
    }
