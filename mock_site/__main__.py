"""`python -m mock_site` (or `make serve`): the mock on 127.0.0.1 with a demo account."""
from __future__ import annotations

import argparse
import os
import secrets
from datetime import date, datetime

from werkzeug.security import generate_password_hash

from . import create_app, mail, store
from .db import MEXICO_CITY, connect, set_clock

DEMO_USER = "demo"


def ensure_demo_account(database: str) -> tuple[str, str]:
    """The tutorial's account: NOI 9.0 in subscription, 1 user, 01/02/2022 → 01/04/2022.

    Its password is printed at every start; a new one is set each time so nothing is stored in
    plain text.
    """
    password = secrets.token_urlsafe(9)
    db = connect(database)
    try:
        if db.execute("SELECT 1 FROM cuenta WHERE usuario = ?", (DEMO_USER,)).fetchone():
            db.execute(
                "UPDATE cuenta SET password_hash = ?, intentos_fallidos = 0, bloqueada_hasta = NULL"
                " WHERE usuario = ?",
                (generate_password_hash(password), DEMO_USER),
            )
        else:
            store.create_account(
                db, usuario=DEMO_USER, password=password, seed=2022,
                series=[store.SerieSpec(proximo_pago=date(2022, 4, 1))],
            )
    finally:
        db.close()
    return DEMO_USER, password


def _demo_paths(app) -> tuple[str, str]:
    """The demo's webmail page (its key changes with SECRET_KEY) and its desktop, on its first serial."""
    db = connect(app.config["DATABASE"])
    try:
        cuenta = db.execute("SELECT id, correo FROM cuenta WHERE usuario = ?", (DEMO_USER,)).fetchone()
        serie = db.execute(
            "SELECT numero FROM serie WHERE cuenta_id = ? ORDER BY id LIMIT 1", (cuenta["id"],)
        ).fetchone()["numero"]
    finally:
        db.close()
    return mail.mailbox_path(cuenta["correo"], app.config["SECRET_KEY"]), f"/escritorio/?serie={serie}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="aspel-mock", description="Sitio simulado de aspel.com para el tutorial.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument("--database", help="archivo SQLite (por omisión, instance/aspel.sqlite)")
    parser.add_argument("--hoy", type=date.fromisoformat, help="congela el reloj del sitio en esta fecha (AAAA-MM-DD)")
    parser.add_argument("--serial-key", default=os.environ.get("ASPEL_SERIAL_KEY"),
                        help="clave que deriva las series nuevas (fíjala para figuras reproducibles)")
    parser.add_argument("--control-token", default=os.environ.get("ASPEL_CONTROL_TOKEN"),
                        help="activa la API de control /_control con este token")
    args = parser.parse_args(argv)

    config = {"CONTROL_TOKEN": args.control_token, "SERIAL_KEY": args.serial_key}
    if args.database:
        config["DATABASE"] = args.database
    app = create_app(config)
    user, password = ensure_demo_account(app.config["DATABASE"])
    if args.hoy:
        with app.app_context():
            set_clock(datetime(args.hoy.year, args.hoy.month, args.hoy.day, 10, tzinfo=MEXICO_CITY))
    print(f"Sitio simulado de aspel.com en http://{args.host}:{args.port}/", flush=True)
    print(f"Usuario: {user}", flush=True)
    print(f"Contraseña: {password}", flush=True)
    mailbox, desktop = _demo_paths(app)
    print(f"Correo: http://{args.host}:{args.port}{mailbox}", flush=True)
    print(f"Escritorio (Aspel-AL, NOI): http://{args.host}:{args.port}{desktop}", flush=True)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False)


if __name__ == "__main__":
    main()
