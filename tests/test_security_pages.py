"""The mock holds under abuse, through the Flask test client: the control API's token, the
security headers on every page, the site's own error pages (never the framework's), and bad
input refused with a message or stored and shown escaped. (Log-in, sessions, redirects, CSRF and
ownership: tests/test_security.py.)
"""

from __future__ import annotations

import re

import pytest
from flask import Flask
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import RequestRedirect

from mock_site import create_app
from mock_site.db import connect
from mock_site.domain.serials import random_serial
from mock_site.domain.text import CONTROL_CHARACTERS
from mock_site.errors import CSRF_MESSAGE
from tests.flask_site import CONTROL_TOKEN, csrf_token
from tests.security_probe import (
    ACCOUNT_HOME,
    GRID,
    HTML_PROBE,
    LOGIN,
    blueprint_of,
    build,
    log_in,
    move_account_clock,
    rules,
    snapshot,
    text,
)

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
