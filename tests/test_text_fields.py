"""One rule for every text field of every form: control characters (NUL, ESC...) and invisible
format characters (bidi overrides and isolates, zero-width spaces, BOM) are refused with a Spanish
message, and nothing is stored. A comment may hold line breaks and tabs."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from mock_site import desktop_store, store
from mock_site.db import connect
from mock_site.domain.text import CONTROL_CHARACTERS, is_clean_text, refused_character
from tests.flask_site import CHEAP_HASH, csrf_token

FEEDBACK = "/tutoriales/solicita-tu-numero-de-serie-desde-aspel-com/comentarios"
SETTINGS = "/escritorio/noi/configuracion"
REFUSED = {
    "NUL": "\x00",
    "ESC": "\x1b[31m",
    "DEL": "\x7f",
    "C1": "\x85",
    "RLO": "\u202e",
    "LRI": "\u2066",
    "LRM": "\u200e",
    "ZWSP": "\u200b",
    "ZWJ": "\u200d",
    "BOM": "\ufeff",
    "LS": "\u2028",
    "privado": "\ue000",
}


def rows(app, query: str, *args) -> list[tuple]:
    db = connect(app.config["DATABASE"])
    try:
        return [tuple(row) for row in db.execute(query, args)]
    finally:
        db.close()


def refused(response) -> bool:
    return response.status_code == 400 and CONTROL_CHARACTERS in response.get_data(as_text=True)


def form_routes(app) -> list:
    """Every route a form can post to (the JSON-only mock control aside)."""
    return [
        rule
        for rule in app.url_map.iter_rules()
        if rule.methods & {"POST", "PUT", "PATCH"} and not rule.endpoint.startswith(("control.", "static"))
    ]


def test_every_form_of_the_site_refuses_them_before_its_view(app, client):
    routes = form_routes(app)
    assert len(routes) >= 8  # log-in, recovery (2), upgrade, feedback, Aspel-AL, wizard, settings, API...
    token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
    for rule in routes:
        path = re.sub(r"<[^>]+>", "x", rule.rule)
        for name, character in REFUSED.items():
            response = client.post(path, data={"campo": f"a{character}b", "csrf_token": token})
            assert refused(response), (rule.rule, name, response.status_code)


@pytest.fixture
def activated(app) -> dict:
    db = connect(app.config["DATABASE"])
    try:
        account = store.create_account(
            db,
            usuario="cliente",
            password="clave",
            seed=3,
            key=b"pruebas",
            reloj="2022-03-15T10:00:00-06:00",
            password_hash=CHEAP_HASH,
            series=[store.SerieSpec(version="10.0", proximo_pago=date(2022, 4, 1))],
        )
        desktop_store.activate(db, account["series"][0], account["razon_social"], datetime(2022, 3, 15))
        return account
    finally:
        db.close()


@pytest.mark.parametrize("name", ["NUL", "ESC", "RLO", "ZWSP"])
def test_the_noi_settings_store_no_control_character_in_the_razon_social(app, client, activated, name):
    serie = activated["series"][0]
    token = csrf_token(client, f"{SETTINGS}?serie={serie}")
    typed = f"Mi Empresa{REFUSED[name]} SA de CV"
    response = client.post(SETTINGS, data={"serie": serie, "razon_social_reportes": typed, "csrf_token": token})
    assert refused(response)
    assert rows(app, "SELECT razon_social_reportes FROM activacion") == [(activated["razon_social"],)]


@pytest.mark.parametrize("name", ["NUL", "ESC", "RLO", "ZWSP"])
def test_feedback_stores_no_control_character(app, client, name):
    token = csrf_token(client, FEEDBACK)
    response = client.post(FEEDBACK, data={"comentario": f"Hola{REFUSED[name]}", "csrf_token": token})
    assert refused(response)
    assert rows(app, "SELECT * FROM comentario") == []


def test_a_comment_keeps_its_line_breaks_and_tabs(app, client):
    token = csrf_token(client, FEEDBACK)
    text = "Primera línea\r\nSegunda línea\tcon tabulador"
    assert client.post(FEEDBACK, data={"comentario": text, "csrf_token": token}).status_code == 303
    assert rows(app, "SELECT comentario FROM comentario") == [("Primera línea\nSegunda línea\tcon tabulador",)]


def test_a_line_break_in_a_one_line_field_is_refused(client):
    token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
    response = client.post(
        "/mi-cuenta/iniciar-sesion", data={"usuario": "ana\nlópez", "contrasena": "x", "csrf_token": token}
    )
    assert refused(response)


def test_text_rule():
    for name, character in REFUSED.items():
        assert refused_character(f"Empresa {character}", multiline=True) == character[0], name
        assert not is_clean_text(character), name
    for clean in ("Servicios Contables del Bajío, S.A. de C.V.", "ñandú Ü €", "José\u0301", "日本語", "😀", ""):
        assert is_clean_text(clean), clean
    assert is_clean_text("a\nb\tc\r\n", multiline=True)
    assert not is_clean_text("a\nb")
