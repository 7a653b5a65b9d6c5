"""Mock control over HTTP: create accounts, move the clock, read the outbox, reset.

Off unless ``CONTROL_TOKEN`` is configured; every call must carry it in ``X-Control-Token``.
Scenarios prepare their data only through this API, so they run the same against a server in
the test process, one started apart, or one shared by parallel workers.

- Off (no ``CONTROL_TOKEN``): every path under ``/_control`` answers 404, as if the API did not
  exist: a site without it gives away nothing about it.
- On: a missing or wrong token answers 403 (compared in constant time) and changes nothing. Only a
  wrong token counts: after 10 of them within 15 minutes the client that sent them gets 429 for
  every call that carries a token, the right one included, until that window frees (limits.py
  ``token_control_cliente``). A request without the header is not counted: a web page can make a
  browser send those (``<img src=…/_control/x>``) but cannot make it send ``X-Control-Token`` (a
  header of its own needs a CORS preflight this site never grants), so no page locks the
  token's holder out. Clients are told apart by address (hosts.py).
- Bad bodies answer 400 with the reason, a taken user or serial 409; never 500.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from datetime import date, datetime
from typing import Any

from flask import Blueprint, abort, current_app, jsonify, request

from . import auth, limits, mail, mail_store, services, store
from .db import MEXICO_CITY, get_db, set_clock
from .domain import serials
from .domain.json_body import JSONBodyError, parse_json, parse_json_object
from .domain.upgrades import NEXT_VERSION, UpgradeRefused
from .domain.validation import PERIODICITIES
from .domain.world import TUTORIAL_WORLD

bp = Blueprint("control", __name__, url_prefix="/_control")

MODALITIES = ("suscripcion", "licenciamiento")
MAX_SEED = 2**63 - 1
MAX_TEXT = 200
VERSIONS = tuple(sorted({v for (_s, old), new in NEXT_VERSION.items() for v in (old, new)}))
TOKEN_FAILURES = "token_control_cliente"
YEARS = range(1990, 2200)  # clocks and dates far from datetime's limits: no overflow later


@bp.before_app_request
def require_token() -> None:
    """Before routing's own 404 and 405, so that nothing under the prefix tells the API apart."""
    if request.path != bp.url_prefix and not request.path.startswith(f"{bp.url_prefix}/"):
        return
    token = current_app.config["CONTROL_TOKEN"]
    if not token:
        abort(404)
    given = request.headers.get("X-Control-Token", "")
    if not given:
        abort(403)  # not a guess: not counted (see the module's docstring)
    limits.refuse_locked_client(TOKEN_FAILURES)
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), token.encode()):
        limits.count_failure(TOKEN_FAILURES)
        abort(403)


def _bad(message: str):
    return jsonify(error=message), 400


def _user_taken(usuario: str):
    return jsonify(error=f"El usuario {usuario} ya existe."), 409


def _json() -> Any:
    """The body as JSON, whatever its Content-Type; JSONBodyError (a 400) for anything else:
    not JSON, nested deeper than the site reads, NaN, invalid UTF-8..."""
    return parse_json(request.get_data(cache=True))


def _body() -> dict:
    """The body as a JSON object; JSONBodyError (a 400) for anything else, an empty body too."""
    return parse_json_object(request.get_data(cache=True))


@bp.errorhandler(JSONBodyError)
def _bad_json(error: JSONBodyError):
    return _bad(str(error))


def _date(value: str | None) -> date | None:
    if not value:
        return None
    day = date.fromisoformat(value)  # TypeError for what is not text
    if day.year not in YEARS:
        raise ValueError(f"fecha fuera de rango: {value}")
    return day


def _moment(value: str | None) -> str | None:
    """An ISO 8601 moment, in Mexico City when it names no zone; None only for an explicit null.
    ValueError or TypeError for anything else: ``0``, ``""``, ``false``, ``{}``, ``[]`` are not a
    moment, and taking them for "no clock" reset clocks by mistake."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"se esperaba una fecha ISO 8601, no {type(value).__name__}")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MEXICO_CITY)
    if moment.year not in YEARS:
        raise ValueError(f"fecha fuera de rango: {value}")
    return moment.isoformat()


def _text(value, name: str, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT or not value.isprintable():
        raise ValueError(f"{name} debe ser texto imprimible de 1 a {MAX_TEXT} caracteres")
    return value


def _choice(value, name: str, allowed) -> str:
    if value not in allowed:
        raise ValueError(f"{name} debe ser una de {', '.join(allowed)}")
    return value


def _integer(value, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise ValueError(f"{name} debe ser un número entero")
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"{name} debe estar entre {low} y {high}")
    return number


def _serie_spec(item) -> store.SerieSpec:
    if not isinstance(item, dict):
        raise ValueError("cada serie es un objeto JSON")
    numero = item.get("numero")
    if numero is not None and not serials.is_valid_serial(numero):
        raise ValueError(f"numero no tiene el formato de las series Aspel: {numero!r}")
    return store.SerieSpec(
        version=_choice(str(item.get("version", "9.0")), "version", VERSIONS),
        usuarios=_integer(item.get("usuarios", 1), "usuarios", 1, 10_000),
        fecha_activacion=_date(item.get("fecha_activacion")) or date(2022, 2, 1),
        proximo_pago=_date(item.get("proximo_pago")),
        numero=numero,
    )


@bp.post("/cuentas")
def create_account():
    body = _json()
    if not isinstance(body, dict):
        return _bad("Se esperaba un objeto JSON.")
    modalidad = body.get("modalidad", "suscripcion")
    periodicidad = body.get("periodicidad", "mensual")
    if modalidad not in MODALITIES:
        return _bad(f"modalidad debe ser una de {', '.join(MODALITIES)}.")
    if modalidad == "suscripcion" and periodicidad not in PERIODICITIES:
        return _bad(f"periodicidad debe ser una de {', '.join(PERIODICITIES)}.")
    if modalidad == "licenciamiento":
        periodicidad = None
    try:
        usuario = _text(body.get("usuario"), "usuario", required=True)
        password = _text(body.get("password"), "password", required=True)
        seed = _integer(body["seed"], "seed", 0, MAX_SEED) if "seed" in body else secrets.randbelow(MAX_SEED + 1)
        razon_social = _text(body.get("razon_social"), "razon_social")
        reloj = _moment(body.get("reloj"))
        items = body.get("series") or [{}]
        if not isinstance(items, list) or len(items) > 50:
            raise ValueError("series es una lista de hasta 50 objetos")
        specs = [_serie_spec(item) for item in items]
    except (TypeError, ValueError) as error:
        return _bad(f"La cuenta no es válida: {error}")
    db = get_db()
    if store.account_named(db, usuario) is not None:
        return _user_taken(usuario)
    try:
        with store.transaction(db):
            account = store.create_account(
                db,
                usuario=usuario,
                password=password,
                seed=seed,
                modalidad=modalidad,
                periodicidad=periodicidad,
                series=specs,
                razon_social=razon_social,
                reloj=reloj,
                key=current_app.config["SERIAL_KEY"].encode(),
                password_hash=current_app.config["PASSWORD_HASH"],
            )
    except sqlite3.IntegrityError:
        return jsonify(error="El usuario o uno de los números de serie ya existe."), 409
    account["seed"] = seed
    account["buzon"] = mail.mailbox_path(account["id"])
    return jsonify(account), 201


@bp.get("/mundo")
def tutorial_world():
    """The tutorial's world (moment, customer, serials): what the figures must show."""
    return jsonify(TUTORIAL_WORLD.as_json())


@bp.post("/mundo")
def claim_tutorial_world():
    """A new account that is the tutorial's customer, with its NOI 9.0 row, on the tutorial's
    moment; the account that held the world before is deleted (see store.create_world_account)."""
    body = _body()
    try:
        usuario = _text(body.get("usuario"), "usuario", required=True)
        password = _text(body.get("password"), "password", required=True)
    except ValueError as error:
        return _bad(f"La cuenta no es válida: {error}")
    db = get_db()
    if store.account_named(db, usuario) is not None:
        return _user_taken(usuario)
    with store.transaction(db):
        account = store.create_world_account(
            db,
            usuario=usuario,
            password=password,
            world=TUTORIAL_WORLD,
            password_hash=current_app.config["PASSWORD_HASH"],
        )
    account["buzon"] = mail.mailbox_path(account["id"])
    account["nueva_serie"] = TUTORIAL_WORLD.nueva_serie
    return jsonify(account), 201


class _BadClock(ValueError):
    """A clock body without a usable ``ahora``."""


CLOCK_BODY = 'Se esperaba {"ahora": una fecha ISO 8601, o null para volver al reloj real}.'


@bp.errorhandler(_BadClock)
def _bad_clock(error: _BadClock):
    return _bad(CLOCK_BODY)


def _clock_moment() -> str | None:
    """``ahora`` of the body (None: back to the real clock). A body that is not a JSON object
    with ``ahora`` is refused: nothing resets a clock by mistake."""
    body = _body()
    if "ahora" not in body:
        raise _BadClock()
    try:
        return _moment(body["ahora"])
    except (TypeError, ValueError):
        raise _BadClock() from None


@bp.put("/reloj")
def move_site_clock():
    """The site's clock, for every account without a clock of its own."""
    moment = _clock_moment()
    set_clock(datetime.fromisoformat(moment) if moment else None)
    return jsonify(ahora=moment)


@bp.put("/cuentas/<usuario>/reloj")
def move_account_clock(usuario: str):
    """One account's clock: parallel scenarios on one server move time without meeting."""
    moment = _clock_moment()
    if not store.set_account_clock(get_db(), usuario, moment):
        abort(404)
    return jsonify(ahora=moment)


@bp.post("/cuentas/<usuario>/sesion")
def start_account_session(usuario: str):
    """A log-in without the log-in window, for a scenario whose Given is «que inicié sesión»: the
    answer sets the very cookie *Iniciar sesión* sets (``auth.start_session``: a new server-side
    session, the same limits). The window itself is proven by the scenarios that use it."""
    account = store.account_named(get_db(), usuario)
    if account is None:
        abort(404)
    auth.start_session(account["id"])
    return jsonify(usuario=usuario)


@bp.post("/cuentas/<usuario>/series/<numero>/actualizacion")
def accept_account_upgrade(usuario: str, numero: str):
    """The upgrade a Given states («que acepté la actualización…»), without the dialog: the very
    path of its *Aceptar* (``services.upgrade_and_notify``: the new serial exactly once, the notice
    mailed). The dialog itself is proven by the scenarios that click it. 404 for an unknown account
    or serial, 409 with the site's reason for one that cannot be upgraded."""
    account = store.account_named(get_db(), usuario)
    if account is None:
        abort(404)
    try:
        new = services.upgrade_and_notify(account, numero)
    except LookupError:
        abort(404)
    except UpgradeRefused as refusal:
        return jsonify(error=str(refusal)), 409
    return jsonify(numero=new.numero, version=new.version, periodicidad=new.periodicidad), 201


@bp.get("/correos")
def outbox():
    rows = mail_store.outbox(get_db(), request.args.get("para"))
    return jsonify([{**dict(row), "buzon": mail.mailbox_path(row["cuenta_id"])} for row in rows])


@bp.post("/reset")
def reset():
    """Every account, serial, session, mail and comment gone, the clock real again, and the rate
    limits' counts forgotten."""
    store.reset(get_db())
    limits.reset()
    return jsonify(ok=True)
