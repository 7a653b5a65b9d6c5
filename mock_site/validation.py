"""The validation that Aspel NOI 9.0 / 10.0 call from the customer's PC (term 3).

``POST /api/validacion`` with ``{"serie": "INL..."}`` (JSON, or a form field) answers JSON:

- 200 ``{"estado": "activa", ...}`` while the serial validates, ``{"estado": "inactiva", ...}``
  from its next validation date on (an upgraded serial, or a subscription whose validation
  lapsed);
- 400 ``{"estado": "invalida"}`` for a missing or malformed serial, 404 ``{"estado":
  "desconocida"}`` for one that aspel.com does not know.

"Today" is the clock of the account that holds the serial (``db.today``), so a scenario that moves
its customer's clock moves its desktop too. A desktop program is no browser: no session, no CSRF.
The answer names no customer data, and not the serial that replaced an upgraded one.
"""
from __future__ import annotations

import sqlite3

from flask import Blueprint, jsonify, request

from . import store
from .db import get_db, today
from .domain import serials
from .domain.activation import SYSTEM_NAMES, validate
from .domain.json_body import JSONBodyError, parse_json
from .domain.upgrades import Serie

bp = Blueprint("validation", __name__, url_prefix="/api")

MALFORMED = "El número de serie no tiene el formato de las series Aspel (13 caracteres, por ejemplo INL seguido de 10 letras y números)."
MISSING = "Indica el número de serie que quieres validar."
UNKNOWN = "El número de serie no está registrado en aspel.com."


def find_serial(numero: str) -> tuple[Serie, sqlite3.Row] | None:
    """The serial and the account that holds it, or None for a malformed or unknown serial."""
    if not serials.is_valid_serial(numero):
        return None
    db = get_db()
    row = db.execute("SELECT * FROM serie WHERE numero = ?", (numero,)).fetchone()
    if row is None:
        return None
    account = db.execute("SELECT * FROM cuenta WHERE id = ?", (row["cuenta_id"],)).fetchone()
    return store.serie_from_row(row), account


def typed_serial(value: object) -> str:
    """What the caller sent as a serial, trimmed and upper-cased; "" when it is not text."""
    return value.strip().upper()[:64] if isinstance(value, str) else ""


def _requested_serial() -> str:
    """The serial of a JSON body (``Content-Type: application/json``), else of the form.
    A JSON body that cannot be read raises JSONBodyError: a 400 that says why."""
    if request.is_json:
        body = parse_json(request.get_data(cache=True))
        return typed_serial(body.get("serie")) if isinstance(body, dict) else ""
    return typed_serial(request.form.get("serie"))


@bp.errorhandler(JSONBodyError)
def _bad_json(error: JSONBodyError):
    return jsonify(estado="invalida", mensaje=str(error)), 400


@bp.post("/validacion")
def validate_serial():
    numero = _requested_serial()
    if not numero:
        return jsonify(estado="invalida", mensaje=MISSING), 400
    if not serials.is_valid_serial(numero):
        return jsonify(estado="invalida", serie=numero, mensaje=MALFORMED), 400
    found = find_serial(numero)
    if found is None:
        return jsonify(estado="desconocida", serie=numero, mensaje=UNKNOWN), 404
    serie, account = found
    day = today(account)
    result = validate(serie, day)
    return jsonify(
        estado="activa" if result.active else "inactiva",
        modo="completo" if result.active else "consulta",
        serie=serie.numero,
        sistema=SYSTEM_NAMES.get(serie.sistema, serie.sistema),
        version=serie.version,
        fecha=day.isoformat(),
        vigente_hasta=result.valid_until.isoformat() if result.valid_until else None,
        reemplazada=bool(serie.reemplazada_por),
        mensaje=result.message,
    )
