"""The mock holds under abuse, through the Flask test client: the log-in lock, sessions and cookies,
log-in and redirects on our own site only, CSRF, and nobody reaching another account's data.
(The control API, headers, error pages and bad input: tests/test_security_pages.py.)

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

from mock_site import create_app, store
from mock_site.auth import LOCKED, WRONG_CREDENTIALS, safe_next
from mock_site.csrf_protection import csrf
from mock_site.db import connect
from mock_site.errors import CSRF_MESSAGE
from tests.flask_site import CONTROL_TOKEN, PASSWORD, csrf_token, mailbox_key
from tests.security_probe import (
    ACCOUNT_HOME,
    CSRF_EXEMPT_ALLOWED,
    GRID,
    LOGIN,
    UNSAFE_METHODS,
    add_mail,
    blueprint_of,
    build,
    log_in,
    log_out,
    move_account_clock,
    rules,
    session_data,
    snapshot,
    text,
)

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
