"""Limits on the public forms and APIs, in the site's own words: per session and per client on
*Dudas, comentarios y sugerencias* and the *Asistente de activación*, per client and per serial on
``/api/validacion``; a 429 in Spanish with ``Retry-After``. Time is a counter the test moves."""

from __future__ import annotations

from datetime import date

import pytest

from mock_site import create_app, store
from mock_site.db import connect
from mock_site.domain.throttle import Throttle, Window
from mock_site.limits import DEFAULT_LIMITS, wait_in_words
from tests.flask_site import CHEAP_HASH, csrf_token
from tests.test_mock_control import Clock

FEEDBACK = "/tutoriales/solicita-tu-numero-de-serie-desde-aspel-com/comentarios"
WIZARD = "/escritorio/noi/activacion"
VALIDATION = "/api/validacion"
CONTROL = {"X-Control-Token": "token-de-pruebas"}


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "limites.sqlite"),
            "SERIAL_KEY": "pruebas",
            "CONTROL_TOKEN": "token-de-pruebas",
            "PASSWORD_HASH": CHEAP_HASH,
            "RATE_LIMIT_CLOCK": clock,
        }
    )


def rows(app, query: str) -> list[tuple]:
    db = connect(app.config["DATABASE"])
    try:
        return [tuple(row) for row in db.execute(query)]
    finally:
        db.close()


def send_feedback(client, text: str = "Un comentario.", address: str = "203.0.113.5"):
    token = csrf_token(client, FEEDBACK)
    return client.post(FEEDBACK, data={"comentario": text, "csrf_token": token}, environ_base={"REMOTE_ADDR": address})


def assert_spanish_429(response, seconds: int) -> None:
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(seconds)
    page = response.get_data(as_text=True)
    assert "Demasiadas solicitudes" in page and f"Espera {wait_in_words(seconds)}" in page
    assert response.headers["Content-Security-Policy"]  # the site's own page, with its headers


# --- feedback -------------------------------------------------------------------------------------


def test_one_session_sends_five_comments_in_ten_minutes(app, clock):
    client = app.test_client()
    limit = DEFAULT_LIMITS["comentario_sesion"]
    for n in range(limit.limit):
        assert send_feedback(client, f"Comentario {n}").status_code == 303, n
    assert_spanish_429(send_feedback(client, "Uno más"), limit.seconds)
    assert len(rows(app, "SELECT * FROM comentario")) == limit.limit
    clock.now += limit.seconds
    assert send_feedback(client, "Diez minutos después").status_code == 303


def test_one_client_sends_twenty_comments_in_ten_minutes_whatever_its_sessions(app, clock):
    limit = DEFAULT_LIMITS["comentario_cliente"]
    sent = 0
    while sent < limit.limit:
        client = app.test_client()  # a new session: cookies dropped
        assert send_feedback(client).status_code == 303
        sent += 1
    assert_spanish_429(send_feedback(app.test_client()), limit.seconds)
    assert send_feedback(app.test_client(), address="203.0.113.6").status_code == 303  # another client
    assert len(rows(app, "SELECT * FROM comentario")) == limit.limit + 1


def test_reset_deletes_the_comments_and_forgets_the_counts(app):
    client = app.test_client()
    for _ in range(DEFAULT_LIMITS["comentario_sesion"].limit):
        send_feedback(client)
    assert send_feedback(client).status_code == 429
    assert client.post("/_control/reset", headers=CONTROL).status_code == 200
    assert rows(app, "SELECT * FROM comentario") == []
    assert rows(app, "SELECT * FROM intento_desconocido") == []
    assert send_feedback(client).status_code == 303


# --- the activation wizard ----------------------------------------------------------------------


@pytest.fixture
def noi10(app) -> dict:
    db = connect(app.config["DATABASE"])
    try:
        return store.create_account(
            db,
            usuario="cliente",
            password="clave",
            seed=7,
            key=b"pruebas",
            reloj="2022-03-15T10:00:00-06:00",
            password_hash=CHEAP_HASH,
            series=[store.SerieSpec(version="10.0", proximo_pago=date(2022, 4, 1))],
        )
    finally:
        db.close()


def guess(client, serie: str, razon_social: str, address: str = "203.0.113.5"):
    token = csrf_token(client, f"{WIZARD}?serie={serie}")
    return client.post(
        WIZARD,
        data={"serie": serie, "razon_social": razon_social, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def test_the_wizard_takes_ten_guesses_per_session_then_not_even_the_right_one(app, clock, noi10):
    client = app.test_client()
    serie, limit = noi10["series"][0], DEFAULT_LIMITS["activacion_sesion"]
    for n in range(limit.limit):
        assert guess(client, serie, f"Empresa Adivinada {n}").status_code == 400, n
    assert_spanish_429(guess(client, serie, noi10["razon_social"]), limit.seconds)
    assert rows(app, "SELECT * FROM activacion") == []
    clock.now += limit.seconds
    assert guess(client, serie, noi10["razon_social"]).status_code == 303
    assert len(rows(app, "SELECT * FROM activacion")) == 1


def test_the_wizard_takes_thirty_guesses_per_client(app, noi10):
    serie, limit = noi10["series"][0], DEFAULT_LIMITS["activacion_cliente"]
    for n in range(limit.limit):
        assert guess(app.test_client(), serie, f"Empresa {n}").status_code == 400, n
    assert guess(app.test_client(), serie, noi10["razon_social"]).status_code == 429
    assert guess(app.test_client(), serie, noi10["razon_social"], address="203.0.113.9").status_code == 303


# --- /api/validacion ------------------------------------------------------------------------------


def validate(client, serie: str, address: str = "203.0.113.5"):
    return client.post(VALIDATION, json={"serie": serie}, environ_base={"REMOTE_ADDR": address})


def test_validation_is_limited_per_client_with_a_json_429(app, clock, noi10, make_account):
    client, limit = app.test_client(), DEFAULT_LIMITS["validacion_cliente"]
    serials = [noi10["series"][0]] + [make_account()["series"][0] for _ in range(limit.limit // 25)]
    for n in range(limit.limit):
        assert validate(client, serials[n % len(serials)]).status_code == 200, n
    refused = validate(client, serials[0])
    assert refused.status_code == 429 and refused.headers["Retry-After"] == str(limit.seconds)
    assert refused.get_json() == {"estado": "limitada", "mensaje": refused.get_json()["mensaje"]}
    assert "Espera 1 minuto" in refused.get_json()["mensaje"]
    assert validate(client, serials[1], address="203.0.113.7").status_code == 200
    clock.now += limit.seconds
    assert validate(client, serials[0]).status_code == 200


def test_validation_is_limited_per_serial_and_client(app, noi10):
    client, limit = app.test_client(), DEFAULT_LIMITS["validacion_serie"]
    serie = noi10["series"][0]
    for n in range(limit.limit):
        assert validate(client, serie).status_code == 200, n
    assert validate(client, serie).status_code == 429


def test_nobody_spends_another_clients_budget_for_a_serial(app, noi10):
    """Issue 37, point 9: 30 validations of a known serial from one address, and the owner's first
    request from another address got 429."""
    client, limit = app.test_client(), DEFAULT_LIMITS["validacion_serie"]
    serie = noi10["series"][0]
    for _ in range(limit.limit + 5):
        validate(client, serie, address="203.0.113.66")
    assert validate(client, serie, address="198.51.100.1").status_code == 200


@pytest.fixture
def make_account(app):
    counter = iter(range(100, 10_000))

    def make() -> dict:
        db = connect(app.config["DATABASE"])
        try:
            return store.create_account(
                db,
                usuario=f"c{next(counter)}",
                password="clave",
                seed=1,
                key=b"pruebas",
                password_hash=CHEAP_HASH,
                reloj="2022-03-15T10:00:00-06:00",
                series=[store.SerieSpec(proximo_pago=date(2022, 4, 1))],
            )
        finally:
            db.close()

    return make


# --- the rules ------------------------------------------------------------------------------------


def test_throttle_rules():
    throttle = Throttle(Window(2, 60))
    assert throttle.hit("a", 0) is None and throttle.hit("a", 10) is None
    assert throttle.hit("a", 20) == 40  # the oldest leaves the window at 60
    assert throttle.hit("b", 20) is None  # keys apart
    assert throttle.hit("a", 59.5) == 1  # never 0: a client told to wait 0 s asks at once
    assert throttle.hit("a", 60) is None  # the first one left
    assert throttle.retry_after("a", 60) == 10
    throttle.clear()
    assert throttle.retry_after("a", 60) is None


def test_throttle_remembers_a_bounded_number_of_keys():
    throttle = Throttle(Window(1, 60), max_keys=3)
    for key in "abcd":
        throttle.record(key, 0)
    assert throttle.retry_after("b", 1) == 59 and throttle.retry_after("d", 1) == 59  # kept: three keys
    assert throttle.retry_after("a", 1) is None  # forgotten: the least recently used went first


def test_wait_in_words():
    assert [wait_in_words(s) for s in (1, 45, 60, 61, 600)] == [
        "1 segundo",
        "45 segundos",
        "1 minuto",
        "2 minutos",
        "10 minutos",
    ]


def test_an_unknown_limit_name_stops_the_site(tmp_path):
    with pytest.raises(ValueError, match="no existen"):
        create_app({"DATABASE": str(tmp_path / "x.sqlite"), "RATE_LIMITS": {"comentarios": None}})
