"""Reading and writing accounts and serials; the upgrade as one atomic step."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta

from faker import Faker
from werkzeug.security import generate_password_hash

from .domain import serials
from .domain.calendar import PERIOD_MONTHS, add_months
from .domain.upgrades import Serie, upgraded
from .domain.world import TutorialWorld


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on any error: SQLite's write lock is
    taken before the first read, so concurrent writers run one after the other."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


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


def insert_serie(
    db: sqlite3.Connection, cuenta_id: int, serie: Serie, reemplaza: str | None = None, sucesora: str | None = None
) -> None:
    """``sucesora``: the serial its upgrade will issue, when pinned (the tutorial world's)."""
    db.execute(
        "INSERT INTO serie (numero, cuenta_id, sistema, version, modalidad, periodicidad, usuarios,"
        " fecha_activacion, proximo_pago, reemplaza, sucesora) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            serie.numero, cuenta_id, serie.sistema, serie.version, serie.modalidad,
            serie.periodicidad, serie.usuarios, serie.fecha_activacion.isoformat(),
            serie.proximo_pago.isoformat() if serie.proximo_pago else None, reemplaza, sucesora,
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
        pinned = db.execute("SELECT sucesora FROM serie WHERE numero = ?", (numero,)).fetchone()["sucesora"]
        new = upgraded(old, pinned or unused_serial(db, old.sistema, key, old.numero), today)
        insert_serie(db, cuenta_id, new, reemplaza=old.numero)
        db.execute("UPDATE serie SET reemplazada_por = ? WHERE numero = ?", (new.numero, old.numero))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return new


RFC_CHARACTERS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Companies' RFCs carry their founding date; drawn between these, never counted from today.
FOUNDED_FROM, FOUNDED_DAYS = date(1980, 1, 1), 40 * 365


def company_rfc(fake: Faker) -> str:
    """A company RFC (12 characters) from the seeded instance only.

    Faker's es_MX ``rfc()`` takes its date from ``date_of_birth()``, which counts back from
    today, and its homoclave from the global ``random`` module: the same seed gave another RFC
    the next day. Here every part comes from the instance's own generator and a fixed date.
    """
    letters = "".join(fake.random_uppercase_letter() for _ in range(3))
    founded = FOUNDED_FROM + timedelta(days=fake.random_int(0, FOUNDED_DAYS))
    homoclave = "".join(fake.random_element(RFC_CHARACTERS) for _ in range(3))
    return f"{letters}{founded:%y%m%d}{homoclave}"


@dataclass(frozen=True)
class SerieSpec:
    """What a caller asks for when it creates a serial (demo account, mock control)."""

    version: str = "9.0"
    usuarios: int = 1
    fecha_activacion: date = date(2022, 2, 1)
    proximo_pago: date | None = None
    numero: str | None = None
    sucesora: str | None = None  # the serial its upgrade will issue (else derived from the key)


def create_account(
    db: sqlite3.Connection,
    *,
    usuario: str,
    password: str,
    seed: int,
    key: bytes,
    modalidad: str = "suscripcion",
    periodicidad: str | None = "mensual",
    series: list[SerieSpec] | None = None,
    razon_social: str | None = None,
    reloj: str | None = None,
) -> dict:
    """An account with Faker-made customer data (es_MX) and its NOI serials.

    Everything but ``usuario`` follows from ``seed``, and the serials from ``seed`` under the
    site's ``key`` (secret, so nobody computes a customer's serial from the source). The e-mail
    is on ``example.com``: nothing the mock makes points at a real mailbox.
    """
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    nombre = fake.name()
    company = razon_social or fake.company()
    correo = f"{fake.user_name()}@example.com".lower()
    rfc = company_rfc(fake)
    return _insert_account(
        db, usuario=usuario, password=password, correo=correo, nombre=nombre, razon_social=company, rfc=rfc,
        reloj=reloj, modalidad=modalidad, periodicidad=periodicidad,
        series=[
            spec if spec.numero else replace(spec, numero=unused_serial(db, "NOI", key, f"{seed}:{index}"))
            for index, spec in enumerate(series or [SerieSpec()])
        ],
    )


def _insert_account(
    db: sqlite3.Connection, *, usuario: str, password: str, correo: str, nombre: str, razon_social: str,
    rfc: str, reloj: str | None, modalidad: str, periodicidad: str | None, series: list[SerieSpec],
) -> dict:
    """Insert the account and its serials (each spec names its ``numero``)."""
    cursor = db.execute(
        "INSERT INTO cuenta (usuario, password_hash, correo, nombre, razon_social, rfc, reloj)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (usuario, generate_password_hash(password), correo, nombre, razon_social, rfc, reloj),
    )
    cuenta_id = cursor.lastrowid
    if modalidad == "licenciamiento":
        periodicidad = None
    for spec in series:
        proximo = spec.proximo_pago
        if proximo is None and periodicidad:
            proximo = add_months(spec.fecha_activacion, PERIOD_MONTHS[periodicidad])
        serie = Serie(
            numero=spec.numero,
            sistema="NOI",
            version=spec.version,
            modalidad=modalidad,
            periodicidad=periodicidad,
            usuarios=spec.usuarios,
            fecha_activacion=spec.fecha_activacion,
            proximo_pago=proximo,
        )
        insert_serie(db, cuenta_id, serie, sucesora=spec.sucesora)
    return {
        "id": cuenta_id, "usuario": usuario, "password": password, "correo": correo,
        "nombre": nombre, "razon_social": razon_social, "rfc": rfc,
        "series": [s.numero for s in series_of(db, cuenta_id)],
    }


def create_world_account(
    db: sqlite3.Connection, *, usuario: str, password: str, world: TutorialWorld, reloj: str | None = None
) -> dict:
    """The tutorial world's customer under ``usuario``, its clock on the world's moment (or ``reloj``).

    The world's serials are unique like any serial, so one account at a time holds them: the
    account that held them before (an earlier figure scenario, or the demo) is deleted first.
    Call inside a transaction.
    """
    holders = db.execute(
        f"SELECT DISTINCT cuenta_id FROM serie WHERE numero IN ({', '.join('?' * len(world.serials))})",
        world.serials,
    ).fetchall()
    for holder in holders:
        delete_account(db, holder["cuenta_id"])
    spec = SerieSpec(
        version=world.version, usuarios=world.usuarios, fecha_activacion=world.fecha_activacion,
        proximo_pago=world.proximo_pago, numero=world.serie, sucesora=world.nueva_serie,
    )
    return _insert_account(
        db, usuario=usuario, password=password, correo=world.correo, nombre=world.nombre,
        razon_social=world.razon_social, rfc=world.rfc, reloj=reloj or world.moment.isoformat(),
        modalidad=world.modalidad, periodicidad=world.periodicidad, series=[spec],
    )


def delete_account(db: sqlite3.Connection, cuenta_id: int) -> None:
    """An account and every row that refers to it or to its serials (found through the schema's
    foreign keys, so a table added later is not forgotten)."""
    numeros = [row["numero"] for row in db.execute("SELECT numero FROM serie WHERE cuenta_id = ?", (cuenta_id,))]
    for table, column in _references(db, "serie", "numero"):
        db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(numero,) for numero in numeros])
    for table, column in _references(db, "cuenta", "id"):
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", (cuenta_id,))
    db.execute("DELETE FROM cuenta WHERE id = ?", (cuenta_id,))


def _references(db: sqlite3.Connection, parent: str, key: str) -> list[tuple[str, str]]:
    """(table, column) pairs whose foreign key points at ``parent.key``."""
    tables = [row["name"] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [
        (table, reference["from"])
        for table in tables
        for reference in db.execute(f"PRAGMA foreign_key_list({table})")
        if reference["table"] == parent and (reference["to"] or "id") == key
    ]
