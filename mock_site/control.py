"""Mock control over HTTP: create accounts, move the clock, read the outbox, reset.

Off unless ``CONTROL_TOKEN`` is configured; every call must carry it in ``X-Control-Token``.
Scenarios prepare their data only through this API, so they run the same against a server in
the test process, one started apart, or one shared by parallel workers.
"""
from __future__ import annotations

import hmac
from datetime import date, datetime

from flask import Blueprint, abort, current_app, jsonify, request

from . import mail, store
from .db import MEXICO_CITY, get_db, set_clock
from .domain.calendar import PERIODICITIES

bp = Blueprint("control", __name__, url_prefix="/_control")

MODALITIES = ("suscripcion", "licenciamiento")


@bp.before_request
def require_token() -> None:
    token = current_app.config["CONTROL_TOKEN"]
    if not token:
        abort(404)
    given = request.headers.get("X-Control-Token", "")
    if not hmac.compare_digest(given.encode(), token.encode()):
        abort(403)


def _bad(message: str):
    return jsonify(error=message), 400


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _moment(value: str | None) -> str | None:
    """An ISO 8601 moment, in Mexico City when it names no zone (raises ValueError)."""
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MEXICO_CITY)
    return moment.isoformat()


@bp.post("/cuentas")
def create_account():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad("Se esperaba un objeto JSON.")
    modalidad = body.get("modalidad", "suscripcion")
    periodicidad = body.get("periodicidad", "mensual")
    if modalidad not in MODALITIES:
        return _bad(f"modalidad debe ser una de {', '.join(MODALITIES)}.")
    if modalidad == "suscripcion" and periodicidad not in PERIODICITIES:
        return _bad(f"periodicidad debe ser una de {', '.join(PERIODICITIES)}.")
    usuario, password = body.get("usuario"), body.get("password")
    if not usuario or not password:
        return _bad("usuario y password son obligatorios.")
    try:
        _moment(body.get("reloj"))
        specs = [
            store.SerieSpec(
                version=str(item.get("version", "9.0")),
                usuarios=int(item.get("usuarios", 1)),
                fecha_activacion=_date(item.get("fecha_activacion")) or date(2022, 2, 1),
                proximo_pago=_date(item.get("proximo_pago")),
                numero=item.get("numero"),
            )
            for item in body.get("series") or [{}]
        ]
    except (TypeError, ValueError, AttributeError) as error:
        return _bad(f"series no es válida: {error}")
    db = get_db()
    if db.execute("SELECT 1 FROM cuenta WHERE usuario = ?", (usuario,)).fetchone():
        return jsonify(error=f"El usuario {usuario} ya existe."), 409
    account = store.create_account(
        db,
        usuario=usuario,
        password=password,
        seed=int(body.get("seed", 0)),
        modalidad=modalidad,
        periodicidad=periodicidad,
        series=specs,
        razon_social=body.get("razon_social"),
        reloj=_moment(body.get("reloj")),
    )
    account["buzon"] = mail.mailbox_path(account["correo"])
    return jsonify(account), 201


@bp.put("/reloj")
def move_site_clock():
    """The site's clock, for every account without a clock of its own."""
    body = request.get_json(silent=True) or {}
    try:
        moment = _moment(body.get("ahora"))
    except (TypeError, ValueError):
        return _bad("ahora debe ser una fecha ISO 8601 o null.")
    set_clock(datetime.fromisoformat(moment) if moment else None)
    return jsonify(ahora=moment)


@bp.put("/cuentas/<usuario>/reloj")
def move_account_clock(usuario: str):
    """One account's clock: parallel scenarios on one server move time without meeting."""
    body = request.get_json(silent=True) or {}
    try:
        moment = _moment(body.get("ahora"))
    except (TypeError, ValueError):
        return _bad("ahora debe ser una fecha ISO 8601 o null.")
    cursor = get_db().execute("UPDATE cuenta SET reloj = ? WHERE usuario = ?", (moment, usuario))
    if cursor.rowcount == 0:
        abort(404)
    return jsonify(ahora=moment)


@bp.get("/correos")
def outbox():
    para = request.args.get("para")
    query = "SELECT * FROM correo" + (" WHERE para = ?" if para else "") + " ORDER BY id"
    rows = get_db().execute(query, (para,) if para else ()).fetchall()
    return jsonify([{**dict(row), "buzon": mail.mailbox_path(row["para"])} for row in rows])


@bp.post("/reset")
def reset():
    db = get_db()
    db.execute("BEGIN IMMEDIATE")
    for table in ("sesion", "correo", "serie", "cuenta"):
        db.execute(f"DELETE FROM {table}")
    db.execute("UPDATE reloj SET ahora = NULL")
    db.execute("COMMIT")
    return jsonify(ok=True)
