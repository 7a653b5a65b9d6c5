"""`python -m mock_site` (or `make sitio`): the mock on 127.0.0.1 with a demo account, served by
waitress (wsgi_server.py). Mock control is on only with ``--control-token-file`` (a file that
holds the token: another local user reads a command line in ``ps``, not a 0600 file); never from
the command line (``--control-token T`` is refused, naming the file option) nor from the
environment (``ASPEL_CONTROL_TOKEN`` is what pytest reads as the client of a site, not an option
of the server), and the banner says when it is on."""

from __future__ import annotations

import argparse
import os
import secrets
from datetime import date, datetime
from pathlib import Path

from flask import Flask

from . import create_app, mail, store
from .control_token import control_token_problem
from .db import MEXICO_CITY, get_db, set_clock
from .domain.world import TUTORIAL_WORLD
from .wsgi_server import make_server

DEMO_USER = "demo"
CONTROL_ON = (
    "Control del simulador: ACTIVADO. Con el token dado, /_control/ crea cuentas, "
    "abre sesiones, mueve relojes y lee correos; no lo uses en un sitio que vean otras personas."
)


def fresh_database(path: str | None) -> str:
    """Every start is a fresh demo (the tutorial's customer, not yet upgraded, no mail): the
    database file, ``instance/aspel.sqlite`` unless given, is removed and made anew."""
    if path is None:
        path = os.path.join(Flask("mock_site").instance_path, "aspel.sqlite")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(path + suffix).unlink(missing_ok=True)
    return path


def create_demo_account(app, moment: datetime) -> tuple[str, str]:
    """The tutorial world's customer as ``demo`` (a new password printed at every start), on the
    site's clock, which starts at ``moment`` and runs: the demo is the tutorial's day, and every
    time limit (the log-in lock, a recovery link's 30 minutes, an idle session, the recovery
    mails' quota) ends as on a real site. On a frozen clock each would last forever."""
    password = secrets.token_urlsafe(9)
    with app.app_context():
        db = get_db()
        with store.transaction(db):
            store.create_world_account(
                db,
                usuario=DEMO_USER,
                password=password,
                world=TUTORIAL_WORLD,
                password_hash=app.config["PASSWORD_HASH"],
            )
            store.set_account_clock(db, DEMO_USER, None)  # the site's running clock, not a frozen one
        set_clock(moment, running=True)
    return DEMO_USER, password


def demo_links(app, base: str) -> dict[str, str]:
    """Where a new user walks the tutorial by hand: the site, the mailbox, the desktop."""
    with app.app_context():
        demo = store.account_named(get_db(), DEMO_USER)
        assert demo is not None  # made at start-up
        mailbox = mail.mailbox_path(demo["id"])
    return {
        "Correo (la notificación de la actualización)": f"{base}{mailbox}",
        "Escritorio (Inicio > Aspel > Aspel-AL, NOI)": f"{base}/escritorio/?serie={TUTORIAL_WORLD.serie}",
    }


TOKEN_ON_COMMAND_LINE = (
    "--control-token ya no se acepta: cualquier usuario de este equipo ve la línea de órdenes con ps. "
    "Guarda el token en un archivo que solo tú puedas leer (chmod 600) y usa --control-token-file ARCHIVO."
)


def _control_token(value: str) -> str:
    problem = control_token_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _control_token_file(path: str) -> str:
    """The token held by the file at ``path`` (its last line break is not part of it)."""
    try:
        with open(path, encoding="utf-8") as file:
            value = file.read().removesuffix("\n").removesuffix("\r")
    except (OSError, UnicodeDecodeError) as error:
        raise argparse.ArgumentTypeError(f"no se pudo leer el archivo del token de control {path}: {error}") from None
    return _control_token(value)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; a control token shorter than 16 characters stops here, in Spanish."""
    parser = argparse.ArgumentParser(
        prog="aspel-mock",
        description="Sitio simulado de aspel.com para el tutorial. Cada arranque empieza con una base "
        "nueva: la cuenta demo es el cliente del tutorial, con su serie de Aspel NOI 9.0 sin actualizar.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 5000)))
    parser.add_argument(
        "--database", help="archivo SQLite (por omisión, instance/aspel.sqlite); se crea de nuevo al arrancar"
    )
    parser.add_argument(
        "--hoy",
        type=date.fromisoformat,
        help="fecha del reloj del sitio (AAAA-MM-DD); por omisión, la del tutorial: "
        f"{TUTORIAL_WORLD.moment:%d/%m/%Y %H:%M}",
    )
    parser.add_argument(
        "--serial-key",
        default=os.environ.get("ASPEL_SERIAL_KEY"),
        help="clave secreta que deriva las series nuevas (al azar si no se da)",
    )
    parser.add_argument(
        "--control-token-file",
        type=_control_token_file,
        dest="control_token_from_file",
        metavar="ARCHIVO",
        help="activa la API de control /_control con el token que guarda ARCHIVO (16 caracteres o más); "
        "sin esta opción está apagada, se defina lo que se defina en el entorno",
    )
    parser.add_argument("--control-token", metavar="TOKEN", help=argparse.SUPPRESS)  # refused below, in Spanish
    parser.add_argument(
        "--public-url",
        default=os.environ.get("ASPEL_PUBLIC_URL"),
        help="dirección pública del sitio (p. ej. https://aspel.example.com): el único Host que "
        "atiende y donde empiezan los enlaces de los correos",
    )
    parser.add_argument(
        "--trusted-host",
        action="append",
        default=[],
        help="otro nombre de host que el sitio atiende (se puede repetir)",
    )
    parser.add_argument(
        "--trusted-proxies",
        type=int,
        default=int(os.environ.get("ASPEL_TRUSTED_PROXIES", 0)),
        help="proxies inversos delante del sitio cuyo X-Forwarded-Proto/-For se cree (0: ninguno); solo "
        "detrás de proxies que añaden la dirección del cliente al X-Forwarded-For que reciben y por los "
        "que pasa todo acceso: quien llega directo al sitio elige la dirección que el sitio cree",
    )
    args = parser.parse_args(argv)
    if args.control_token is not None:
        parser.error(TOKEN_ON_COMMAND_LINE)
    args.control_token = args.control_token_from_file
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    app = create_app(
        {
            "CONTROL_TOKEN": args.control_token,
            "SERIAL_KEY": args.serial_key,
            "DATABASE": fresh_database(args.database),
            "PUBLIC_URL": args.public_url,
            "TRUSTED_HOSTS": [*args.trusted_host, args.host],
            "TRUSTED_PROXIES": args.trusted_proxies,
        }
    )
    moment = TUTORIAL_WORLD.moment
    if args.hoy:
        moment = datetime(args.hoy.year, args.hoy.month, args.hoy.day, 10, tzinfo=MEXICO_CITY)
    user, password = create_demo_account(app, moment)
    base = f"http://{args.host}:{args.port}"
    print(f"Sitio simulado de aspel.com en {base}/", flush=True)
    print(f"Usuario: {user}", flush=True)
    print(f"Contraseña: {password}", flush=True)
    print(f"Fecha del sitio: {moment:%d/%m/%Y %H:%M} (hora de la Ciudad de México)", flush=True)
    for label, url in demo_links(app, base).items():
        print(f"{label}: {url}", flush=True)
    if args.control_token:
        print(CONTROL_ON, flush=True)
    server = make_server(app, args.host, args.port)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()


if __name__ == "__main__":
    main()
