"""Every query of the site: the views and hooks hold no SQL, they call these functions with the
connection of :func:`mock_site.db.get_db` (as flaskr keeps the connection behind ``get_db``, the
queries are kept here). Writes that must be atomic run inside :func:`transaction`."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from faker import Faker
from werkzeug.security import generate_password_hash

from .domain import serials
from .domain.clock import utc
from .domain.lockout import MAX_UNKNOWN_USERS, Attempts
from .domain.rate_limit import RateLimit
from .domain.upgrades import Serie, upgraded
from .domain.validation import first_payment
from .domain.world import TUTORIAL_WORLD, TutorialWorld
from .mail_store import new_mailbox_key

# How passwords are hashed unless the app says otherwise (create_app's PASSWORD_HASH, whose default
# this is): Werkzeug's scrypt, deliberately slow. Only tests configure a cheap method.
PASSWORD_HASH = "scrypt"


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
    rows = db.execute("SELECT * FROM serie WHERE cuenta_id = ? ORDER BY fecha_activacion, id", (cuenta_id,)).fetchall()
    return [serie_from_row(row) for row in rows]


def serie_of(db: sqlite3.Connection, cuenta_id: int, numero: str) -> Serie | None:
    """The account's serial, or None for a malformed, unknown or someone else's serial."""
    if not serials.is_valid_serial(numero):
        return None
    row = db.execute("SELECT * FROM serie WHERE numero = ? AND cuenta_id = ?", (numero, cuenta_id)).fetchone()
    return serie_from_row(row) if row else None


def insert_serie(
    db: sqlite3.Connection, cuenta_id: int, serie: Serie, reemplaza: str | None = None, sucesora: str | None = None
) -> None:
    """``sucesora``: the serial its upgrade will issue, when pinned (the tutorial world's)."""
    db.execute(
        "INSERT INTO serie (numero, cuenta_id, sistema, version, modalidad, periodicidad, usuarios,"
        " fecha_activacion, proximo_pago, reemplaza, sucesora) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            serie.numero,
            cuenta_id,
            serie.sistema,
            serie.version,
            serie.modalidad,
            serie.periodicidad,
            serie.usuarios,
            serie.fecha_activacion.isoformat(),
            serie.proximo_pago.isoformat() if serie.proximo_pago else None,
            reemplaza,
            sucesora,
        ),
    )


def unused_serial(db: sqlite3.Connection, system: str, key: bytes, origin: str) -> str:
    """The first serial derived from ``origin`` under ``key`` that no serial holds yet."""
    for attempt in range(100):
        candidate = serials.derived_serial(system, key, origin, attempt)
        if not db.execute("SELECT 1 FROM serie WHERE numero = ?", (candidate,)).fetchone():
            return candidate
    raise RuntimeError("no free serial after 100 attempts")  # 30**9 values: never in practice


def _no_pause(numero: str) -> None:
    """Production's pause between the upgrade's read and its write: none."""


# A test seam and nothing else: upgrade() calls it with the serial's number after reading the serial
# and before writing the new one. tests/test_upgrade_interleaving.py replaces it to hold two requests
# there, which proves the read is inside the write lock without depending on a race.
between_upgrade_read_and_write: Callable[[str], None] = _no_pause


def upgrade(db: sqlite3.Connection, cuenta_id: int, numero: str, today: date, key: bytes) -> Serie:
    """Replace the serial with a new one for the next version, exactly once.

    ``BEGIN IMMEDIATE`` takes SQLite's write lock before reading, so concurrent requests for the
    same serial run one after the other and all but the first see it already replaced.
    Raises LookupError for a serial the account does not hold, UpgradeRefused otherwise.
    """
    with transaction(db):
        old = serie_of(db, cuenta_id, numero)
        if old is None:
            raise LookupError(numero)
        pinned = db.execute("SELECT sucesora FROM serie WHERE numero = ?", (numero,)).fetchone()["sucesora"]
        new = upgraded(old, pinned or unused_serial(db, old.sistema, key, old.numero), today)
        between_upgrade_read_and_write(numero)
        insert_serie(db, cuenta_id, new, reemplaza=old.numero)
        db.execute("UPDATE serie SET reemplazada_por = ? WHERE numero = ?", (new.numero, old.numero))
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
    password_hash: str = PASSWORD_HASH,
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
    correo = free_address(db, fake.user_name())
    rfc = company_rfc(fake)
    return _insert_account(
        db,
        usuario=usuario,
        password=password,
        correo=correo,
        nombre=nombre,
        razon_social=company,
        rfc=rfc,
        reloj=reloj,
        modalidad=modalidad,
        periodicidad=periodicidad,
        password_hash=password_hash,
        series=[
            spec if spec.numero else replace(spec, numero=unused_serial(db, "NOI", key, f"{seed}:{index}"))
            for index, spec in enumerate(series or [SerieSpec()])
        ],
    )


MAIL_DOMAIN = "example.com"  # RFC 2606: nothing the mock makes points at a real mailbox
RESERVED_ADDRESSES = frozenset({TUTORIAL_WORLD.correo})  # the world's customer keeps hers


def free_address(db: sqlite3.Connection, local_part: str) -> str:
    """``local_part@example.com``, or ``local_part.2@…``, ``.3``… when an account (or the tutorial
    world) holds it: with the ``cuenta.correo`` UNIQUE constraint and the caller's transaction, two
    accounts never get one address, whatever their seeds."""
    base = local_part.lower()
    for number in itertools.count(1):
        candidate = f"{base}{'' if number == 1 else f'.{number}'}@{MAIL_DOMAIN}"
        if (
            candidate not in RESERVED_ADDRESSES
            and not db.execute("SELECT 1 FROM cuenta WHERE correo = ?", (candidate,)).fetchone()
        ):
            return candidate
    raise AssertionError("unreachable")


def _insert_account(
    db: sqlite3.Connection,
    *,
    usuario: str,
    password: str,
    correo: str,
    nombre: str,
    razon_social: str,
    rfc: str,
    reloj: str | None,
    modalidad: str,
    periodicidad: str | None,
    series: list[SerieSpec],
    password_hash: str = PASSWORD_HASH,
) -> dict:
    """Insert the account and its serials (each spec names its ``numero``)."""
    cursor = db.execute(
        "INSERT INTO cuenta (usuario, password_hash, correo, nombre, razon_social, rfc, reloj)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (usuario, generate_password_hash(password, method=password_hash), correo, nombre, razon_social, rfc, reloj),
    )
    cuenta_id = cursor.lastrowid
    assert cuenta_id is not None  # set by every INSERT
    new_mailbox_key(db, cuenta_id)
    if modalidad == "licenciamiento":
        periodicidad = None
    for spec in series:
        proximo = spec.proximo_pago or first_payment(spec.fecha_activacion, periodicidad)
        assert spec.numero is not None  # numbered above
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
        "id": cuenta_id,
        "usuario": usuario,
        "password": password,
        "correo": correo,
        "nombre": nombre,
        "razon_social": razon_social,
        "rfc": rfc,
        "series": [s.numero for s in series_of(db, cuenta_id)],
    }


def create_world_account(
    db: sqlite3.Connection,
    *,
    usuario: str,
    password: str,
    world: TutorialWorld,
    reloj: str | None = None,
    password_hash: str = PASSWORD_HASH,
) -> dict:
    """The tutorial world's customer under ``usuario``, its clock on the world's moment (or ``reloj``).

    The world's serials are unique like any serial, so one account at a time holds them: the
    account that held them before (an earlier figure scenario, or the demo) is deleted first.
    Call inside a transaction.
    """
    holders = db.execute(
        f"SELECT DISTINCT cuenta_id FROM serie WHERE numero IN ({', '.join('?' * len(world.serials))})", world.serials
    ).fetchall()
    for holder in holders:
        delete_account(db, holder["cuenta_id"])
    spec = SerieSpec(
        version=world.version,
        usuarios=world.usuarios,
        fecha_activacion=world.fecha_activacion,
        proximo_pago=world.proximo_pago,
        numero=world.serie,
        sucesora=world.nueva_serie,
    )
    return _insert_account(
        db,
        usuario=usuario,
        password=password,
        correo=world.correo,
        nombre=world.nombre,
        razon_social=world.razon_social,
        rfc=world.rfc,
        reloj=reloj or world.moment.isoformat(),
        modalidad=world.modalidad,
        periodicidad=world.periodicidad,
        series=[spec],
        password_hash=password_hash,
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


def reset(db: sqlite3.Connection) -> None:
    """Every row of every table gone (accounts, serials, sessions, mails, comments, recovery and
    log-in bookkeeping: a table added later too), the site's clock real again: the mock control's
    ``/reset``. Children first, so that foreign keys hold at every step."""
    with transaction(db):
        for table in _tables_children_first(db):
            if table not in KEPT_BY_RESET:
                db.execute(f"DELETE FROM {table}")
        db.execute("UPDATE reloj SET ahora = NULL, desde = NULL")


# The clock's one row is set back, not deleted; sqlite_sequence (AUTOINCREMENT's counters) is kept so
# that no id named by an old URL or session is handed out again after a reset.
KEPT_BY_RESET = frozenset({"reloj", "sqlite_sequence"})


def _tables_children_first(db: sqlite3.Connection) -> list[str]:
    """Every table, each after every table whose foreign keys point at it."""
    tables = [row["name"] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    parents = {table: {ref["table"] for ref in db.execute(f"PRAGMA foreign_key_list({table})")} for table in tables}
    ordered: list[str] = []
    while len(ordered) < len(tables):
        ready = [
            table
            for table in tables
            if table not in ordered
            and all(child in ordered for child in tables if child != table and table in parents[child])
        ]
        ordered += ready or [table for table in tables if table not in ordered]  # a cycle: as they come
    return ordered


# --- the clocks ---------------------------------------------------------------------------------


def site_clock(db: sqlite3.Connection) -> tuple[str | None, str | None]:
    """The site's moment (ISO 8601; None while it follows the real time) and, for a clock that
    runs from it, the real UTC instant it was set (None: frozen there)."""
    row = db.execute("SELECT ahora, desde FROM reloj WHERE id = 1").fetchone()
    return row["ahora"], row["desde"]


def set_site_clock(db: sqlite3.Connection, moment: str | None, since: str | None = None) -> None:
    db.execute("UPDATE reloj SET ahora = ?, desde = ? WHERE id = 1", (moment, since))


def set_account_clock(db: sqlite3.Connection, usuario: str, moment: str | None) -> bool:
    """One account's frozen moment (None: the site's clock again); False when there is no such user."""
    return db.execute("UPDATE cuenta SET reloj = ? WHERE usuario = ?", (moment, usuario)).rowcount > 0


# --- accounts, log-in attempts and sessions -----------------------------------------------------


def account(db: sqlite3.Connection, cuenta_id: int) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM cuenta WHERE id = ?", (cuenta_id,)).fetchone()


def account_named(db: sqlite3.Connection, usuario: str) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM cuenta WHERE usuario = ?", (usuario,)).fetchone()


def accounts_for(db: sqlite3.Connection, who: str, limit: int) -> list[sqlite3.Row]:
    """The account named ``who``, else (for an e-mail address) up to ``limit`` accounts registered
    with it, oldest first."""
    found = db.execute("SELECT * FROM cuenta WHERE usuario = ?", (who,)).fetchall()
    if not found and "@" in who:
        found = db.execute(
            "SELECT * FROM cuenta WHERE lower(correo) = lower(?) ORDER BY id LIMIT ?", (who, limit)
        ).fetchall()
    return found


def newest_password_hash(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT password_hash FROM cuenta ORDER BY id DESC LIMIT 1").fetchone()
    return row["password_hash"] if row else None


def _attempts(row: sqlite3.Row | None) -> Attempts:
    if row is None:
        return Attempts()
    until = datetime.fromisoformat(row["bloqueada_hasta"]) if row["bloqueada_hasta"] else None
    return Attempts(row["intentos_fallidos"], until)


def attempts_of(db: sqlite3.Connection, usuario: str, cuenta: sqlite3.Row | None) -> Attempts:
    """The failed log-ins of an account, or of a user name without one (``intento_desconocido``)."""
    if cuenta is not None:
        return _attempts(cuenta)
    return _attempts(db.execute("SELECT * FROM intento_desconocido WHERE usuario = ?", (usuario,)).fetchone())


def save_attempts(
    db: sqlite3.Connection, usuario: str, cuenta: sqlite3.Row | None, state: Attempts, moment: datetime
) -> None:
    """Store :func:`attempts_of`'s state after an attempt. Unknown names are kept up to
    ``MAX_UNKNOWN_USERS`` (domain/lockout.py): the oldest go first."""
    until = state.locked_until.isoformat() if state.locked_until else None
    if cuenta is not None:
        db.execute(
            "UPDATE cuenta SET intentos_fallidos = ?, bloqueada_hasta = ? WHERE id = ?",
            (state.failures, until, cuenta["id"]),
        )
        return
    db.execute(
        "INSERT INTO intento_desconocido (usuario, intentos_fallidos, bloqueada_hasta, ultimo)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (usuario) DO UPDATE SET"
        " intentos_fallidos = excluded.intentos_fallidos, bloqueada_hasta = excluded.bloqueada_hasta,"
        " ultimo = excluded.ultimo",
        (usuario, state.failures, until, moment.isoformat()),
    )
    db.execute(
        "DELETE FROM intento_desconocido WHERE rowid IN (SELECT rowid FROM intento_desconocido"
        " ORDER BY ultimo LIMIT max(0, (SELECT count(*) FROM intento_desconocido) - ?))",
        (MAX_UNKNOWN_USERS,),
    )


def session_account(db: sqlite3.Connection, sid: str) -> sqlite3.Row | None:
    """The account of a session, with ``sesion_iniciada`` and ``sesion_ultima`` (None when the
    session has no vigencia row: it has ended)."""
    return db.execute(
        "SELECT cuenta.*, sesion_vigencia.iniciada AS sesion_iniciada,"
        " sesion_vigencia.ultima AS sesion_ultima FROM sesion"
        " JOIN cuenta ON cuenta.id = sesion.cuenta_id"
        " LEFT JOIN sesion_vigencia ON sesion_vigencia.sesion_id = sesion.id WHERE sesion.id = ?",
        (sid,),
    ).fetchone()


def start_session(db: sqlite3.Connection, sid: str, cuenta_id: int, moment: datetime) -> None:
    db.execute("INSERT INTO sesion (id, cuenta_id) VALUES (?, ?)", (sid, cuenta_id))
    db.execute(
        "INSERT INTO sesion_vigencia (sesion_id, iniciada, ultima) VALUES (?, ?, ?)",
        (sid, moment.isoformat(), moment.isoformat()),
    )


def touch_session(db: sqlite3.Connection, sid: str, moment: datetime) -> None:
    db.execute("UPDATE sesion_vigencia SET ultima = ? WHERE sesion_id = ?", (moment.isoformat(), sid))


def end_session(db: sqlite3.Connection, sid: str) -> None:
    db.execute("DELETE FROM sesion WHERE id = ?", (sid,))


# --- password recovery --------------------------------------------------------------------------


def recovery_link(db: sqlite3.Connection, nonce: str, cuenta_id: int) -> sqlite3.Row | None:
    return db.execute("SELECT * FROM recuperacion WHERE nonce = ? AND cuenta_id = ?", (nonce, cuenta_id)).fetchone()


def add_recovery_link(db: sqlite3.Connection, cuenta_id: int, nonce: str, moment: datetime, rate: RateLimit) -> bool:
    """Store a new link of the account, unless ``rate`` holds it back (False)."""
    with transaction(db):
        recent = db.execute(
            "SELECT count(*) FROM recuperacion WHERE cuenta_id = ? AND creado > ?",
            (cuenta_id, utc(rate.counted_since(moment))),
        ).fetchone()[0]
        if not rate.allows(recent):
            return False
        db.execute(
            "INSERT INTO recuperacion (nonce, cuenta_id, creado) VALUES (?, ?, ?)", (nonce, cuenta_id, utc(moment))
        )
    return True


MAX_UNKNOWN_RECOVERIES = 10_000  # rows of recuperacion_desconocida kept at most


def add_unknown_recovery(db: sqlite3.Connection, who: str, moment: datetime, rate: RateLimit) -> int | None:
    """:func:`add_recovery_link` for a name without an account (``recuperacion_desconocida``,
    whose rows older than the window go): the new row's id, or None when ``rate`` holds it back."""
    since = utc(rate.counted_since(moment))
    with transaction(db):
        db.execute("DELETE FROM recuperacion_desconocida WHERE creado <= ?", (since,))
        db.execute(  # a frozen clock never ages a row: a cap as well, the oldest rows first
            "DELETE FROM recuperacion_desconocida WHERE rowid <= (SELECT max(rowid) FROM recuperacion_desconocida) - ?",
            (MAX_UNKNOWN_RECOVERIES - 1,),
        )
        recent = db.execute(
            "SELECT count(*) FROM recuperacion_desconocida WHERE quien = ? AND creado > ?", (who, since)
        ).fetchone()[0]
        if not rate.allows(recent):
            return None
        return db.execute(
            "INSERT INTO recuperacion_desconocida (quien, creado) VALUES (?, ?)", (who, utc(moment))
        ).lastrowid


def mark_unknown_recovery_drafted(db: sqlite3.Connection, row_id: int, moment: datetime) -> None:
    db.execute("UPDATE recuperacion_desconocida SET redactado = ? WHERE rowid = ?", (utc(moment), row_id))


def change_password(
    db: sqlite3.Connection,
    cuenta_id: int,
    nonce: str,
    password: str,
    moment: datetime,
    password_hash: str = PASSWORD_HASH,
) -> bool:
    """Use the link ``nonce`` and set the new password, once: False when the link was used
    already (a second request). Every other link of the account dies with this change, and so
    do its sessions and its failed log-ins."""
    with transaction(db):
        used = db.execute("UPDATE recuperacion SET usado = ? WHERE nonce = ? AND usado IS NULL", (utc(moment), nonce))
        if used.rowcount != 1:
            return False
        db.execute(
            "UPDATE cuenta SET password_hash = ?, intentos_fallidos = 0, bloqueada_hasta = NULL WHERE id = ?",
            (generate_password_hash(password, method=password_hash), cuenta_id),
        )
        db.execute("UPDATE recuperacion SET usado = ? WHERE cuenta_id = ? AND usado IS NULL", (utc(moment), cuenta_id))
        db.execute("DELETE FROM sesion WHERE cuenta_id = ?", (cuenta_id,))
        new_mailbox_key(db, cuenta_id)
    return True


# --- feedback on a tutorial ---------------------------------------------------------------------


def add_feedback(db: sqlite3.Connection, tutorial: str, text: str, moment: datetime) -> int:
    comentario_id = db.execute(
        "INSERT INTO comentario (tutorial, comentario, recibido) VALUES (?, ?, ?)", (tutorial, text, moment.isoformat())
    ).lastrowid
    assert comentario_id is not None  # set by every INSERT
    return comentario_id


def feedback_text(db: sqlite3.Connection, comentario_id: int, tutorial: str) -> str | None:
    row = db.execute(
        "SELECT comentario FROM comentario WHERE id = ? AND tutorial = ?", (comentario_id, tutorial)
    ).fetchone()
    return row["comentario"] if row else None
