"""The mock holds under abuse (issue 8), through the Flask test client.

Each test names the protection it proves; every one of them was seen failing with its
protection removed (see the commit message of this file for the list of what was broken).
Routes are taken from ``app.url_map`` wherever the rule is "every route", so routes added later
are covered, or, where a route needs a decision (whose is it?), the test says which to classify.
"""

from __future__ import annotations

import re
import threading
from datetime import date

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from mock_site import create_app, store
from mock_site.auth import LOCKED, WRONG_CREDENTIALS, safe_next
from mock_site.csrf_protection import csrf
from mock_site.db import connect
from mock_site.domain.serials import random_serial
from mock_site.domain.text import CONTROL_CHARACTERS
from mock_site.errors import CSRF_MESSAGE
from tests.flask_site import CONTROL_TOKEN, PASSWORD, csrf_token, mailbox_key

LOGIN = "/mi-cuenta/iniciar-sesion"
ACCOUNT_HOME = "/mi-cuenta/"
GRID = "/mi-cuenta/mis-servicios/suscripciones"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Blueprints a program (not a browser form) calls with JSON: the only ones without CSRF.
CSRF_EXEMPT_ALLOWED = {"control", "validation"}
HTML_PROBE = '<script>alert("sondeo")</script>"><img src=x onerror=alert(1)>'
LOCK_MOMENT = "2022-03-15T10:00:00-06:00"  # make_account's frozen clock


# --- helpers -----------------------------------------------------------------------------------


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


@pytest.fixture
def owner(app, client, make_account):
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


# --- log-in: the lock after 5 wrong passwords ------------------------------------------------


def test_five_wrong_passwords_lock_the_account_with_a_spanish_message(client, make_account):
    account = make_account()
    answers = [log_in(client, account["usuario"], f"equivocada-{n}") for n in range(5)]
    assert [r.status_code for r in answers] == [401] * 5
    assert all(WRONG_CREDENTIALS in text(r) for r in answers[:4])
    assert "Tu cuenta está bloqueada temporalmente por demasiados intentos fallidos" in text(answers[4])
    assert "15 minutos" in text(answers[4])


def test_the_right_password_is_refused_while_locked(client, make_account):
    account = make_account()
    for n in range(5):
        log_in(client, account["usuario"], f"equivocada-{n}")
    response = log_in(client, account["usuario"])
    assert response.status_code == 401 and LOCKED in text(response)
    assert client.get(ACCOUNT_HOME).status_code == 302  # nobody inside


def test_the_lock_ends_by_itself_after_fifteen_minutes(client, make_account):
    account = make_account()
    for n in range(5):
        log_in(client, account["usuario"], f"equivocada-{n}")
    move_account_clock(client, account["usuario"], "2022-03-15T10:14:59-06:00")
    assert LOCKED in text(log_in(client, account["usuario"]))
    move_account_clock(client, account["usuario"], "2022-03-15T10:15:00-06:00")
    response = log_in(client, account["usuario"])
    assert response.status_code == 302 and response.headers["Location"] == ACCOUNT_HOME


def test_a_right_password_clears_the_count_of_failures(client, make_account):
    account = make_account()
    for n in range(4):
        log_in(client, account["usuario"], f"equivocada-{n}")
    assert log_in(client, account["usuario"]).status_code == 302
    log_out(client)
    assert WRONG_CREDENTIALS in text(log_in(client, account["usuario"], "equivocada-5"))


def test_twenty_concurrent_wrong_passwords_are_all_counted(app, make_account):
    """Separate clients (own cookies, own CSRF token, own DB connection) hit the app at once:
    the 5th failure locks, whatever the interleaving, and no failure is lost."""
    account = make_account()
    barrier = threading.Barrier(20)
    answers: list[tuple[int, str]] = []

    def attempt(number: int) -> None:
        own = app.test_client()
        token = csrf_token(own, LOGIN)
        barrier.wait()
        response = own.post(
            LOGIN, data={"usuario": account["usuario"], "contrasena": f"equivocada-{number}", "csrf_token": token}
        )
        answers.append((response.status_code, text(response)))

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [status for status, _ in answers] == [401] * 20
    wrong = sum(WRONG_CREDENTIALS in body for _, body in answers)
    locked = sum(LOCKED in body for _, body in answers)
    assert (wrong, locked) == (4, 16)
    assert LOCKED in text(log_in(app.test_client(), account["usuario"]))


# --- sessions and cookies ------------------------------------------------------------------------


def test_the_session_id_changes_at_log_in(app, client, make_account):
    account = make_account()
    client.get(LOGIN)
    assert "sid" not in session_data(app, client)
    log_in(client, account["usuario"])
    first = session_data(app, client)["sid"]
    log_in(client, account["usuario"])  # again, from the same browser
    second = session_data(app, client)["sid"]
    assert second != first
    db = connect(app.config["DATABASE"])
    assert [row[0] for row in db.execute("SELECT id FROM sesion")] == [second]  # the first one ended


def test_a_cookie_planted_before_log_in_opens_nothing_after_it(app, make_account):
    """Session fixation: the attacker's own (anonymous) cookie, planted in the victim's browser."""
    account = make_account()
    attacker, victim = app.test_client(), app.test_client()
    attacker.get(LOGIN)
    planted = attacker.get_cookie("session").value
    victim.set_cookie("session", planted)
    assert log_in(victim, account["usuario"]).status_code == 302
    assert victim.get_cookie("session").value != planted
    attacker.set_cookie("session", planted)
    assert attacker.get(ACCOUNT_HOME).status_code == 302


def test_log_out_ends_the_session_on_the_server(app, client, make_account):
    account = make_account()
    log_in(client, account["usuario"])
    stolen = client.get_cookie("session").value
    log_out(client)
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM sesion WHERE cuenta_id = ?", (account["id"],)).fetchone()[0] == 0
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    response = thief.get(GRID)
    assert response.status_code == 302 and response.headers["Location"].startswith(LOGIN)


def test_pages_of_a_logged_in_customer_are_not_stored_by_the_browser(client, make_account):
    """So that the Back button after Cerrar sesión asks the server, which asks for log-in."""
    account = make_account()
    log_in(client, account["usuario"])
    for path in (ACCOUNT_HOME, GRID):
        assert "no-store" in client.get(path).headers.get("Cache-Control", ""), path


def _cookie_attributes(set_cookie: str) -> set[str]:
    return {part.strip().split("=")[0].lower() for part in set_cookie.split(";")[1:]} | {
        part.strip().lower() for part in set_cookie.split(";")[1:]
    }


def test_session_cookie_is_httponly_lax_and_not_secure_over_plain_http(client, make_account):
    account = make_account()
    anonymous = client.get(LOGIN).headers["Set-Cookie"]
    logged_in = log_in(client, account["usuario"]).headers["Set-Cookie"]
    for cookie in (anonymous, logged_in):
        attributes = _cookie_attributes(cookie)
        assert "httponly" in attributes and "samesite=lax" in attributes, cookie
        assert "secure" not in attributes, cookie  # over http it would never come back


def test_session_cookie_is_secure_when_served_over_https(app, make_account):
    account = make_account()
    client = app.test_client()
    https = "https://localhost"
    page = client.get(LOGIN, base_url=https)
    token = re.search(r'name="csrf_token" value="([^"]+)"', text(page)).group(1)
    response = client.post(
        LOGIN,
        base_url=https,
        headers={"Referer": https + LOGIN},
        data={"usuario": account["usuario"], "contrasena": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    for cookie in (page.headers["Set-Cookie"], response.headers["Set-Cookie"]):
        attributes = _cookie_attributes(cookie)
        assert {"secure", "httponly", "samesite=lax"} <= attributes, cookie


def test_passwords_are_hashed_with_werkzeug(app, make_account):
    account = make_account()
    stored = (
        connect(app.config["DATABASE"])
        .execute("SELECT password_hash FROM cuenta WHERE id = ?", (account["id"],))
        .fetchone()[0]
    )
    assert PASSWORD not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_the_site_hashes_with_scrypt_unless_a_test_asks_for_a_cheap_hash(tmp_path):
    """The tests' apps hash cheaply (tests/conftest.py's CHEAP_HASH); the site itself (make sitio,
    the demo, a mock started apart) keeps Werkzeug's scrypt: for accounts made through the control
    API, for the demo's account, for a password changed by a recovery link, and for the hash an
    unknown user's password is checked against."""
    from mock_site import __main__ as serve
    from mock_site import auth, recovery
    from mock_site.domain.world import TUTORIAL_WORLD

    app = create_app({"DATABASE": str(tmp_path / "sitio.sqlite"), "CONTROL_TOKEN": CONTROL_TOKEN})
    assert app.config["PASSWORD_HASH"] == "scrypt"
    client = app.test_client()
    made = client.post(
        "/_control/cuentas",
        json={"usuario": "fuerte", "password": PASSWORD},
        headers={"X-Control-Token": CONTROL_TOKEN},
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    serve.create_demo_account(app, TUTORIAL_WORLD.moment)
    db = connect(app.config["DATABASE"])
    try:
        hashes = dict(db.execute("SELECT usuario, password_hash FROM cuenta").fetchall())
        assert {usuario: stored.split("$")[0] for usuario, stored in hashes.items()} == {
            "fuerte": "scrypt:32768:8:1",
            serve.DEMO_USER: "scrypt:32768:8:1",
        }
        with app.test_request_context("/"):
            db.execute(
                "INSERT INTO recuperacion (cuenta_id, nonce, creado) VALUES ("
                "(SELECT id FROM cuenta WHERE usuario = 'fuerte'), 'n', '2022-03-15T16:00:00+00:00')"
            )
            row = db.execute("SELECT * FROM cuenta WHERE usuario = 'fuerte'").fetchone()
            recovery._change_password(row, "n", "otra-contraseña-larga")
            assert auth._dummy_hash(db).startswith("scrypt:32768:8:1$")
        changed = db.execute("SELECT password_hash FROM cuenta WHERE usuario = 'fuerte'").fetchone()[0]
        assert changed.startswith("scrypt:32768:8:1$") and changed != hashes["fuerte"]
    finally:
        db.close()
    empty = create_app({"DATABASE": str(tmp_path / "vacio.sqlite")})
    with empty.test_request_context("/"):
        auth._DUMMY_HASHES.pop("scrypt", None)
        assert auth._dummy_hash(connect(empty.config["DATABASE"])).startswith("scrypt:32768:8:1$")


# --- Mi cuenta Aspel needs a log-in; back to the page asked for, only on our own site -----------


def account_pages(app: Flask):
    """Every GET page of Mi cuenta Aspel (under /mi-cuenta/), but the log-in and its recovery."""
    return [
        rule
        for rule in rules(app)
        if rule.rule.startswith("/mi-cuenta/")
        and "GET" in rule.methods
        and blueprint_of(rule) not in ("auth", "recovery")
    ]


def test_every_page_of_my_account_asks_for_log_in_and_comes_back(app, make_account):
    account = make_account()
    values = {"numero": account["series"][0]}
    pages = account_pages(app)
    assert {rule.endpoint for rule in pages} >= {"services.account_home", "services.subscriptions"}
    for rule in pages:
        path = build(app, rule, values) + "?origen=prueba"
        client = app.test_client()
        asked = client.get(path)
        assert asked.status_code == 302, path
        location = asked.headers["Location"]
        assert location.startswith(LOGIN + "?"), path
        siguiente = re.search(r"siguiente=([^&]+)", location).group(1)
        from urllib.parse import unquote

        assert unquote(siguiente) == path, path
        login_page = text(client.get(location))
        assert f'name="siguiente" value="{path}"' in login_page.replace("&amp;", "&"), path
        back = log_in(client, account["usuario"], siguiente=unquote(siguiente))
        assert back.status_code == 302 and back.headers["Location"] == path, path


OFF_SITE_TARGETS = (
    "https://evil.example/",
    "http://evil.example",
    "//evil.example/",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "/\r\nSet-Cookie: robado=1",
    "/" + "a" * 5000,
    "",
    "mi-cuenta/",
)


@pytest.mark.parametrize("target", OFF_SITE_TARGETS)
def test_next_page_is_only_our_own_path(app, target):
    with app.test_request_context():
        assert safe_next(target) == ACCOUNT_HOME


def test_open_redirect_is_refused_at_log_in(client, make_account):
    account = make_account()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "/\r\nSet-Cookie: robado=1"):
        response = log_in(client, account["usuario"], siguiente=target)
        assert response.status_code == 302, repr(target)
        assert response.headers["Location"] == ACCOUNT_HOME, repr(target)
        assert "robado" not in response.headers.get("Set-Cookie", "")
    own = log_in(client, account["usuario"], siguiente=GRID + "?a=1")
    assert own.headers["Location"] == GRID + "?a=1"


# --- CSRF ------------------------------------------------------------------------------------------


def state_changing_rules(app: Flask):
    exempt = {bp.name for bp in csrf._exempt_blueprints}
    return [rule for rule in rules(app) if rule.methods & UNSAFE_METHODS and blueprint_of(rule) not in exempt]


def test_only_the_json_apis_go_without_csrf(app):
    """(The exemptions are made by create_app: hence ``app``.)"""
    exempt = {bp.name for bp in csrf._exempt_blueprints}
    assert exempt <= CSRF_EXEMPT_ALLOWED, exempt - CSRF_EXEMPT_ALLOWED
    assert not csrf._exempt_views


def test_the_json_apis_without_csrf_change_nothing_but_through_the_control_token(app, client, owner):
    """A blueprint without CSRF must not be a way around it: the desktop's JSON API only reads."""
    exempt = {bp.name for bp in csrf._exempt_blueprints} - {"control"}
    for rule in rules(app):
        if blueprint_of(rule) not in exempt:
            continue
        path = build(app, rule, owner["values"])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for body in ({"json": {"serie": owner["series"][0]}}, {"data": owner["form"]}):
                before = snapshot(app)
                response = client.open(path, method=method, **body)
                assert response.status_code < 500, (method, path)
                assert snapshot(app) == before, (method, path, body)


def _activate_if_possible(app, client, owner) -> None:
    """The desktop's settings change something only for an activated serial: activate it."""
    if any(rule.endpoint == "desktop.activation" for rule in rules(app)):
        path = build(app, next(r for r in rules(app) if r.endpoint == "desktop.activation"), {})
        client.post(path, data={**owner["form"], "csrf_token": csrf_token(client, ACCOUNT_HOME)})


@pytest.mark.parametrize("how", ["sin token", "token inventado", "token de otra sesión", "token en la cabecera"])
def test_every_state_changing_route_refuses_a_missing_or_wrong_csrf_token(app, client, owner, how):
    _activate_if_possible(app, client, owner)
    other = app.test_client()
    other_token = csrf_token(other, LOGIN)
    targets = state_changing_rules(app)
    assert {rule.endpoint for rule in targets} >= {"auth.login", "auth.logout", "services.accept_upgrade"}
    for rule in targets:
        path = build(app, rule, owner["values"])
        for method in sorted(rule.methods & UNSAFE_METHODS):
            data, headers = dict(owner["form"]), {}
            if how == "token inventado":
                data["csrf_token"] = "IjAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAi.ZZZZZZ.AAAA"
            elif how == "token de otra sesión":
                data["csrf_token"] = other_token
            elif how == "token en la cabecera":
                headers["X-CSRFToken"] = other_token
            before = snapshot(app)
            response = client.open(path, method=method, data=data, headers=headers)
            assert response.status_code == 400, (method, path, response.status_code)
            assert CSRF_MESSAGE in text(response), (method, path)
            assert snapshot(app) == before, (method, path)
    assert client.get(ACCOUNT_HOME).status_code == 200  # still logged in: log-out did not happen


def test_the_same_requests_with_their_token_do_act(app, client, owner):
    """The counter-proof: the refused requests above were real ones."""
    serial = owner["series"][0]
    path = f"{GRID}/{serial}/actualizar"
    before = snapshot(app)
    assert client.post(path, data={"csrf_token": csrf_token(client, GRID)}).status_code == 303
    assert snapshot(app) != before
    assert log_out(client).status_code == 302
    assert client.get(ACCOUNT_HOME).status_code == 302


def test_pages_read_with_get_change_nothing(app, client, owner):
    """State changes only through the CSRF-guarded methods: no GET route writes."""
    before = snapshot(app)
    for rule in rules(app):
        if "GET" in rule.methods and blueprint_of(rule) != "control":
            client.get(build(app, rule, owner["values"]))
    assert snapshot(app) == before


# --- nobody sees or acts on another account's serials, mails or downloads ------------------------


# Routes with arguments that name nothing of an account (whoever knows the value may use it).
NOT_ACCOUNT_OWNED = {
    "static": "the site's own files",
    "downloads.download": "installers are public, the same for everyone",
    "recovery.reset": "the signed one-time token is the authorisation",
    "mail.mailbox": "the signed mailbox key is the authorisation (one address)",
    "control.move_account_clock": "mock control, guarded by its token",
    "control.start_account_session": "mock control, guarded by its token",
    "control.accept_account_upgrade": "mock control, guarded by its token",
    "info.tutorial": "a public page of the tutorials (the slug names a document, not an account)",
    "info.feedback": "a public page of the tutorials (the slug names a document, not an account)",
    "info.feedback_thanks": "a public page of the tutorials (the slug names a document, not an account)",
}


def test_another_accounts_serials_and_mails_answer_404_route_by_route(app, client, make_account):
    theirs = make_account(series=[store.SerieSpec(proximo_pago=date(2022, 4, 1)), store.SerieSpec(version="10.0")])
    their_mail = add_mail(app, theirs)
    mine = make_account()
    add_mail(app, mine)
    log_in(client, mine["usuario"])
    token = csrf_token(client, ACCOUNT_HOME)
    # Their things, reached from my session (and, for mail, from my own mailbox's key).
    values = {"numero": theirs["series"][0], "key": mailbox_key(app, mine["id"]), "message_id": their_mail}
    checked = set()
    unclassified = []
    for rule in rules(app):
        if not rule.arguments or rule.endpoint in NOT_ACCOUNT_OWNED:
            continue
        if not set(rule.arguments) <= set(values):
            unclassified.append(rule.rule)
            continue
        for numero in (theirs["series"][0], theirs["series"][1]):
            path = build(app, rule, {**values, "numero": numero})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                before = snapshot(app)
                response = client.open(path, method=method, data={"csrf_token": token})
                assert response.status_code == 404, (method, path, response.status_code)
                assert "Página no encontrada" in text(response)
                assert snapshot(app) == before, (method, path)
                checked.add(rule.endpoint)
    assert not unclassified, f"clasifica estas rutas (¿de quién es lo que nombran?): {unclassified}"
    assert {"services.upgrade_dialog", "services.accept_upgrade", "services.paid_upgrade"} <= checked
    grid = text(client.get(GRID))
    assert theirs["series"][0] not in grid and theirs["razon_social"] not in text(client.get(ACCOUNT_HOME))


# --- the mock control API ------------------------------------------------------------------------


def control_calls(app: Flask):
    for rule in rules(app, "control"):
        path = build(app, rule, {"usuario": "nadie", "numero": "INL0000000000"})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_control_api_is_off_by_default(tmp_path):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "sin-control.sqlite")})
    client = app.test_client()
    calls = list(control_calls(app))
    assert len(calls) >= 5
    before = snapshot(app)
    for method, path in calls:
        for headers in ({}, {"X-Control-Token": ""}, {"X-Control-Token": CONTROL_TOKEN}, {"X-Control-Token": "None"}):
            response = client.open(path, method=method, json={"usuario": "x", "password": "y"}, headers=headers)
            assert response.status_code == 404, (method, path, headers, response.status_code)
    assert snapshot(app) == before


def test_control_api_on_refuses_a_missing_or_wrong_token_with_403(app, client, make_account):
    make_account()
    before = snapshot(app)
    calls = list(control_calls(app))
    # Each call from an address of its own: ten failures lock one client (tests/test_mock_control.py).
    clients = (f"10.0.{n // 250}.{n % 250 + 1}" for n in range(10_000))
    for method, path in calls:
        for headers in (
            {},
            {"X-Control-Token": ""},
            {"X-Control-Token": "token-de-prueba"},
            {"X-Control-Token": CONTROL_TOKEN + "x"},
            {"X-Control-Token": CONTROL_TOKEN.upper()},
            {"Authorization": f"Bearer {CONTROL_TOKEN}"},
        ):
            response = client.open(
                path,
                method=method,
                json={"usuario": "x", "password": "y"},
                headers=headers,
                environ_base={"REMOTE_ADDR": next(clients)},
            )
            assert response.status_code == 403, (method, path, headers, response.status_code)
            assert "Acceso denegado" in text(response)
    assert snapshot(app) == before
    good = client.get("/_control/correos", headers={"X-Control-Token": CONTROL_TOKEN})
    assert good.status_code == 200


def test_control_api_answers_bad_bodies_with_400_not_500(app, client):
    headers = {"X-Control-Token": CONTROL_TOKEN}
    bodies = [
        {"usuario": "a", "password": "b", "seed": "no-es-número"},
        {"usuario": ["a"], "password": "b"},
        {"usuario": "a", "password": "b", "razon_social": {"x": 1}},
        {"usuario": "a", "password": "b", "series": [{"numero": "INL-MAL"}]},
        {"usuario": "a", "password": "b", "series": "no-es-lista"},
        {"usuario": "a", "password": "b", "reloj": "9999-12-31T23:59:59"},
        {"usuario": "a\x00", "password": "b"},
        {"usuario": "a", "password": "b", "periodicidad": {}},
    ]
    for body in bodies:
        response = client.post("/_control/cuentas", json=body, headers=headers)
        assert response.status_code == 400, (body, response.status_code)
    serial = random_serial()
    first = {"usuario": "c1", "password": "p", "series": [{"numero": serial}]}
    assert client.post("/_control/cuentas", json=first, headers=headers).status_code == 201
    again = {"usuario": "c2", "password": "p", "series": [{"numero": serial}]}
    assert client.post("/_control/cuentas", json=again, headers=headers).status_code == 409
    for body in ([], "texto", {"ahora": "9999-12-31T23:59:59"}, {"ahora": 5}):
        assert client.put("/_control/reloj", json=body, headers=headers).status_code in (200, 400), body


# --- security headers, on every page -----------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response, where: str) -> None:
    csp = response.headers.get("Content-Security-Policy")
    assert csp, f"sin Content-Security-Policy: {where}"
    directives = csp_directives(csp)
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts is not None, f"CSP sin script-src ni default-src: {where}"
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts and "*" not in scripts, where
    assert "'none'" in directives.get("object-src", directives.get("default-src", [])) or "object-src" not in directives
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    framing_refused = directives.get("frame-ancestors") in (["'none'"], ["'self'"]) or (
        response.headers.get("X-Frame-Options", "").upper() in ("DENY", "SAMEORIGIN")
    )
    assert framing_refused, f"se puede enmarcar: {where}"


def test_security_headers_on_every_page_and_error(app, client, owner):
    anonymous = app.test_client()
    seen = 0
    for rule in rules(app):
        if "GET" not in rule.methods:
            continue
        path = build(app, rule, owner["values"])
        for who, browser in (("con sesión", client), ("anónimo", anonymous)):
            assert_security_headers(browser.get(path), f"{who} GET {path}")
            seen += 1
    assert seen >= 20
    assert_security_headers(client.get("/no-existe"), "404")
    assert_security_headers(client.delete(LOGIN), "405")
    assert_security_headers(client.post(LOGIN, data={}), "400 CSRF")
    assert_security_headers(client.post("/_control/reset"), "403 control")
    assert_security_headers(client.post(LOGIN, data={"x": "y" * 70_000}), "413")


def test_html_pages_carry_no_inline_script(app, client, owner):
    """What the CSP forbids must not be needed: no inline <script>, no on*= handlers."""
    for rule in rules(app):
        if "GET" not in rule.methods or blueprint_of(rule) in ("static", "control"):
            continue
        response = client.get(build(app, rule, owner["values"]))
        if response.mimetype != "text/html":
            continue
        page = text(response)
        for tag in re.findall(r"<script\b[^>]*>", page, re.I):
            assert "src=" in tag, (rule.rule, tag)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", page, re.I), rule.rule
        assert "javascript:" not in page.lower(), rule.rule


# --- errors: styled 404, 405, malformed serials, never the framework's page ---------------------


def assert_site_page(response, title: str) -> None:
    page = text(response)
    assert response.mimetype == "text/html"
    assert '<html lang="es-MX">' in page and "css/site.css" in page and 'class="topbar"' in page
    assert f"<h1>{title}</h1>" in page
    assert "Regresar a aspel.com.mx" in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()


@pytest.mark.parametrize(
    "path",
    [
        "/no-existe",
        "/mi-cuenta/no-existe",
        "/mi-cuenta/mis-servicios/otra-cosa",
        "/static/no-existe.css",
        "/%ff%fe",
        "/<script>alert(1)</script>",
        "/correo/",
        "/descargas/NoExiste.exe",
    ],
)
def test_unknown_paths_get_the_styled_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert_site_page(response, "Página no encontrada")
    assert "<script>alert(1)</script>" not in text(response)


def test_wrong_methods_get_405_with_allow(app, client):
    """(Under /_control the token is checked first: without it, 403 or 404, see control.py.)"""
    adapter = app.url_map.bind("localhost")
    checked = 0
    for rule in rules(app):
        if blueprint_of(rule) == "control":
            continue
        path = build(
            app,
            rule,
            {
                "numero": random_serial(),
                "key": "k",
                "message_id": 1,
                "token": "t",
                "archivo": "a",
                "filename": "css/site.css",
                "usuario": "u",
                "slug": "solicita-tu-numero-de-serie-desde-aspel-com",
            },
        )
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            try:
                adapter.match(path, method=method)
            except MethodNotAllowed:
                response = client.open(path, method=method)
                assert response.status_code == 405, (method, path)
                assert response.headers.get("Allow"), (method, path)
                assert_site_page(response, "Método no permitido")
                checked += 1
            except (NotFound, RequestRedirect):
                pass
    assert checked >= 20


MALFORMED_SERIALS = [
    "inl2345678923",
    "INL234567892",
    "INL23456789234",
    "INL-2345-6789",
    "XYZ2345678923",
    "INL 234567892",
    "INL%00",
    "<script>alert(1)</script>",
    "INL" + "2" * 500,
    "ÑOÑO",
    "..",
]


def test_malformed_serials_get_404(app, client, owner):
    token = csrf_token(client, ACCOUNT_HOME)
    good = owner["series"][0]
    wrong_check = good[:-1] + ("2" if good[-1] != "2" else "3")
    routes = [rule for rule in rules(app) if "numero" in rule.arguments]
    assert routes
    for rule in routes:
        for serial in MALFORMED_SERIALS + [wrong_check, good.lower()]:
            path = build(app, rule, {"numero": serial, "usuario": owner["usuario"]})
            headers = {"X-Control-Token": CONTROL_TOKEN} if blueprint_of(rule) == "control" else {}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(path, method=method, data={"csrf_token": token}, headers=headers)
                assert response.status_code == 404, (method, path, response.status_code)
                assert "<script>alert(1)</script>" not in text(response)


def test_an_unexpected_error_gets_the_styled_500_without_details(tmp_path):
    app = create_app({"DATABASE": str(tmp_path / "boom.sqlite")})

    @app.route("/_falla")
    def boom():
        raise RuntimeError("detalle interno que nadie debe ver")

    response = app.test_client().get("/_falla")
    assert response.status_code == 500
    assert_site_page(response, "Error del sitio")
    assert "detalle interno" not in text(response)
    assert_security_headers(response, "500")


# --- bad input: rejected with a message, or stored and shown escaped -----------------------------


def test_html_typed_as_user_is_shown_escaped(client):
    response = client.post(
        LOGIN, data={"usuario": HTML_PROBE, "contrasena": "x", "csrf_token": csrf_token(client, LOGIN)}
    )
    page = text(response)
    assert response.status_code == 401
    assert HTML_PROBE not in page and "<img src=x" not in page and '<script>alert("sondeo")' not in page
    assert "&lt;script&gt;alert(&#34;sondeo&#34;)&lt;/script&gt;&#34;&gt;&lt;img src=x" in page


def test_html_in_razon_social_is_stored_and_shown_escaped(client, make_account):
    account = make_account(razon_social=HTML_PROBE)
    log_in(client, account["usuario"])
    page = text(client.get(ACCOUNT_HOME))
    assert HTML_PROBE not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    "usuario, message",
    [
        ("ana\x00lópez", CONTROL_CHARACTERS),
        ("ana\nlópez", CONTROL_CHARACTERS),
        ("ana\u202elópez", CONTROL_CHARACTERS),
        ("a" * 129, "El usuario no es válido."),
    ],
)
def test_odd_users_are_refused_with_a_message(client, usuario, message):
    response = client.post(LOGIN, data={"usuario": usuario, "contrasena": "x", "csrf_token": csrf_token(client, LOGIN)})
    assert response.status_code == 400 and message in text(response)


def test_over_long_password_is_refused_with_a_message(client):
    response = client.post(
        LOGIN, data={"usuario": "ana", "contrasena": "x" * 129, "csrf_token": csrf_token(client, LOGIN)}
    )
    assert response.status_code == 400 and "La contraseña no es válida." in text(response)


def test_invalid_utf8_is_an_answer_not_an_error(client, make_account):
    account = make_account()
    token = csrf_token(client, LOGIN)
    body = b"usuario=" + account["usuario"].encode() + b"%FF%FE&contrasena=\xff\xfe\xc3&csrf_token=" + token.encode()
    response = client.post(LOGIN, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code in (400, 401)
    response = client.get(LOGIN, environ_overrides={"QUERY_STRING": "siguiente=%FF%FE%3Cscript%3E"})
    assert response.status_code == 200 and "<script>" not in text(response)
    raw_path = b"/mi-cuenta/mis-servicios/suscripciones/\xff\xfe/actualizar".decode("latin-1")
    assert client.get("/", environ_overrides={"PATH_INFO": raw_path}).status_code in (302, 404)


def test_a_multipart_part_without_a_name_is_a_400_not_a_500(app):
    """Werkzeug keys such a part None, and Flask-WTF 1.3 then crashed looking for the token."""
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = app.test_client()
    body = b"--x\r\nContent-Disposition: form-data\r\n\r\nvalor\r\n--x--\r\n"
    response = client.post(LOGIN, data=body, content_type="multipart/form-data; boundary=x")
    assert response.status_code == 400 and CSRF_MESSAGE in text(response)


def test_a_body_over_the_limit_gets_413_in_spanish(client):
    response = client.post(LOGIN, data={"usuario": "a" * 70_000})
    assert response.status_code == 413
    assert_site_page(response, "Solicitud demasiado grande")


def test_stored_database_is_never_reached_with_sql(app, client, make_account):
    """Parameters, not string building: SQL typed anywhere is data."""
    account = make_account()
    for usuario in (f"{account['usuario']}' --", "' OR '1'='1", f'{account["usuario"]}" OR 1=1 --'):
        response = client.post(
            LOGIN, data={"usuario": usuario, "contrasena": "x' OR '1'='1", "csrf_token": csrf_token(client, LOGIN)}
        )
        assert response.status_code == 401
    db = connect(app.config["DATABASE"])
    assert db.execute("SELECT count(*) FROM cuenta").fetchone()[0] == 1


def test_the_control_api_log_in_gives_the_cookie_of_the_log_in_window_with_its_limits(app, client, make_account):
    """POST /_control/cuentas/<usuario>/sesion: the Given «que inicié sesión» without the window.
    Its cookie opens the account in another browser, like the window's, and the session it
    starts ends 30 minutes idle like any other; an unknown user is a 404 that sets no cookie."""
    account = make_account()
    headers = {"X-Control-Token": CONTROL_TOKEN}
    answer = client.post(f"/_control/cuentas/{account['usuario']}/sesion", headers=headers)
    assert answer.status_code == 200, text(answer)
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    browser = app.test_client()
    browser.set_cookie(cookie.key, cookie.value)
    grid = browser.get(GRID)
    assert grid.status_code == 200 and "Sistemas en Suscripción" in text(grid)
    move_account_clock(client, account["usuario"], "2022-03-15T10:31:00-06:00")
    assert browser.get(GRID).status_code == 302
    stranger = app.test_client()
    missing = stranger.post("/_control/cuentas/nadie-asi/sesion", headers=headers)
    assert missing.status_code == 404 and stranger.get_cookie(app.config["SESSION_COOKIE_NAME"]) is None
