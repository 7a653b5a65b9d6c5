"""The validation that Aspel NOI 9.0 / 10.0 call from the customer's PC (Regla 3).

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

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import TooManyRequests

from . import limits
from .db import today
from .domain.activation import validate
from .domain.json_body import JSONBodyError, parse_json
from .domain.serials import system_name
from .errors import retry_after, too_many_message
from .installed import find_installed, typed_serial
from .refusal import Refusal

bp = Blueprint("validation", __name__, url_prefix="/api")

MISSING = "Indica el número de serie que quieres validar."


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


@bp.errorhandler(TooManyRequests)
def _too_many(error: TooManyRequests):
    """The limit's refusal in the API's own shape: JSON a desktop program reads, and Retry-After."""
    response = jsonify(estado="limitada", mensaje=too_many_message(error))
    response.headers["Retry-After"] = str(retry_after(error) or 1)
    return response, 429


@bp.post("/validacion")
def validate_serial():
    limits.limit("validacion", cliente=limits.client_key())
    numero = _requested_serial()
    # Per serial and client: a serial is printed on receipts and screens, and a budget of its own
    # that anyone could spend would refuse its owner (issue 37, point 9).
    limits.limit("validacion", serie=f"{numero}|{limits.client_key()}" if numero else None)
    try:
        installed = find_installed(numero, MISSING)
    except Refusal as refusal:
        estado = "desconocida" if refusal.status == 404 else "invalida"
        return jsonify(estado=estado, mensaje=refusal.message, **({"serie": numero} if numero else {})), refusal.status
    serie = installed.serie
    day = today(installed.account)
    result = validate(serie, day)
    return jsonify(
        estado="activa" if result.active else "inactiva",
        modo="completo" if result.active else "consulta",
        serie=serie.numero,
        sistema=system_name(serie.sistema),
        version=serie.version,
        fecha=day.isoformat(),
        vigente_hasta=result.valid_until.isoformat() if result.valid_until else None,
        reemplazada=bool(serie.reemplazada_por),
        mensaje=result.message,
    )
