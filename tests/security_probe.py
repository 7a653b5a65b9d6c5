"""What the security tests share (tests/test_security.py, tests/test_security_pages.py): the routes
of the app, a snapshot of every table, log-in and log-out through the site's forms, and the
account whose every route argument is its own (the ``owner`` fixture of tests/conftest.py)."""

from __future__ import annotations

import re
from datetime import date

from flask import Flask

from mock_site import store
from mock_site.db import connect
from tests.flask_site import CONTROL_TOKEN, PASSWORD, csrf_token, mailbox_key

LOGIN = "/mi-cuenta/iniciar-sesion"
ACCOUNT_HOME = "/mi-cuenta/"
GRID = "/mi-cuenta/mis-servicios/suscripciones"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Blueprints a program (not a browser form) calls with JSON: the only ones without CSRF.
CSRF_EXEMPT_ALLOWED = {"control", "validation"}
HTML_PROBE = '<script>alert("sondeo")</script>"><img src=x onerror=alert(1)>'
LOCK_MOMENT = "2022-03-15T10:00:00-06:00"  # make_account's frozen clock


def text(response) -> str:
    return response.get_data(as_text=True)


def snapshot(app: Flask) -> dict[str, list[tuple]]:
    """Every row of every table: "changes nothing" means this is equal before and after."""
    db = connect(app.config["DATABASE"])
    try:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: [tuple(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")] for table in tables}
    finally:
        db.close()


def session_data(app: Flask, client) -> dict:
    cookie = client.get_cookie("session")
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def log_in(client, usuario: str, password: str = PASSWORD, **extra):
    token = csrf_token(client, LOGIN)
    return client.post(LOGIN, data={"usuario": usuario, "contrasena": password, "csrf_token": token, **extra})


def log_out(client):
    return client.post("/mi-cuenta/cerrar-sesion", data={"csrf_token": csrf_token(client, ACCOUNT_HOME)})


def move_account_clock(client, usuario: str, moment: str):
    response = client.put(
        f"/_control/cuentas/{usuario}/reloj", json={"ahora": moment}, headers={"X-Control-Token": CONTROL_TOKEN}
    )
    assert response.status_code == 200, text(response)


def rules(app: Flask, blueprint: str | None = None):
    for rule in app.url_map.iter_rules():
        if blueprint is None or rule.endpoint.split(".")[0] == blueprint:
            yield rule


def blueprint_of(rule) -> str:
    return rule.endpoint.split(".")[0] if "." in rule.endpoint else ""


def build(app: Flask, rule, values: dict) -> str:
    """The path of ``rule`` with ``values`` for its arguments (only those it has)."""
    adapter = app.url_map.bind("localhost")
    args = {name: values[name] for name in rule.arguments}
    return adapter.build(rule.endpoint, args, method=next(iter(rule.methods - {"HEAD", "OPTIONS"}), None))


def add_mail(app: Flask, account: dict, subject: str = "Correo de prueba") -> int:
    db = connect(app.config["DATABASE"])
    try:
        cursor = db.execute(
            "INSERT INTO correo (cuenta_id, para, asunto, texto, html, fecha, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (account["id"], account["correo"], subject, "texto", "<p>html</p>", LOCK_MOMENT, "<x@aspel.com.mx>"),
        )
        return cursor.lastrowid
    finally:
        db.close()


def recovery_token(app: Flask, client, account: dict) -> str | None:
    """A real recovery link's token (asked for through the site), or None without that route."""
    reset_rules = [r for r in rules(app) if r.endpoint == "recovery.reset"]
    request_rules = [r for r in rules(app) if r.endpoint == "recovery.request_reset"]
    if not reset_rules or not request_rules:
        return None
    path = request_rules[0].rule
    client.post(path, data={"usuario": account["usuario"], "csrf_token": csrf_token(client, path)})
    db = connect(app.config["DATABASE"])
    try:
        bodies = [row[0] for row in db.execute("SELECT texto FROM correo WHERE para = ?", (account["correo"],))]
    finally:
        db.close()
    prefix = re.escape(reset_rules[0].rule.split("<")[0])
    for body in bodies:
        match = re.search(prefix + r"([A-Za-z0-9_.\-]+)", body)
        if match:
            return match.group(1)
    return None


def owner_account(app: Flask, client, make_account) -> dict:
    """A logged-in customer holding a NOI 9.0 serial (upgradable) and a 10.0 one, a mail and a
    recovery link; ``values`` fills every route argument with what is this customer's own."""
    account = make_account(
        series=[
            store.SerieSpec(proximo_pago=date(2022, 4, 1)),
            store.SerieSpec(version="10.0", proximo_pago=date(2022, 4, 1)),
        ]
    )
    token = recovery_token(app, app.test_client(), account)
    log_in(client, account["usuario"])
    message_id = add_mail(app, account)
    account["values"] = {
        "numero": account["series"][0],
        "key": mailbox_key(app, account["id"]),
        "message_id": message_id,
        "token": token or "sin-enlace",
        "archivo": "AspelNOI10.0.exe",
        "filename": "css/site.css",
        "usuario": account["usuario"],
        "slug": "solicita-tu-numero-de-serie-desde-aspel-com",  # the tutorial's page
    }
    account["form"] = {
        "usuario": account["usuario"],
        "contrasena": PASSWORD,
        "confirmacion": PASSWORD,
        "siguiente": ACCOUNT_HOME,
        "serie": account["series"][1],
        "razon_social": account["razon_social"],
        "razon_social_reportes": "Otra Razón Social SA de CV",
    }
    return account
