"""The tutorial world: defined once, shown by one account at a time, never counted from today."""

from __future__ import annotations

import re
from datetime import date, timedelta

import time_machine
from faker import Faker

from mock_site import create_app, store
from mock_site.db import connect
from mock_site.domain.serials import is_valid_serial
from mock_site.domain.world import TUTORIAL_WORLD
from tests.flask_site import csrf_token

CONTROL = {"X-Control-Token": "token-de-pruebas"}
COMPANY_RFC = re.compile(r"^[A-ZÑ&]{3}\d{6}[A-Z0-9]{3}$")


def claim(client, usuario: str, password: str = "contraseña-del-mundo"):
    return client.post("/_control/mundo", json={"usuario": usuario, "password": password}, headers=CONTROL)


def log_in(client, usuario: str, password: str = "contraseña-del-mundo"):
    token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
    return client.post(
        "/mi-cuenta/iniciar-sesion", data={"usuario": usuario, "contrasena": password, "csrf_token": token}
    )


def upgrade(client, serial: str):
    path = f"/mi-cuenta/mis-servicios/suscripciones/{serial}/actualizar"
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def test_the_world_is_the_tutorials_row_with_example_data_only():
    world = TUTORIAL_WORLD
    assert (world.moment.isoformat(), str(world.moment.tzinfo)) == ("2022-03-15T10:00:00-06:00", "America/Mexico_City")
    assert (world.version, world.usuarios, world.periodicidad) == ("9.0", 1, "mensual")
    assert (world.fecha_activacion, world.proximo_pago) == (date(2022, 2, 1), date(2022, 4, 1))
    assert is_valid_serial(world.serie) and is_valid_serial(world.nueva_serie)
    assert world.serie != world.nueva_serie
    assert world.correo.endswith("@example.com")
    assert COMPANY_RFC.match(world.rfc)


def test_the_control_api_tells_the_world(client):
    answer = client.get("/_control/mundo", headers=CONTROL).get_json()
    assert answer["moment"] == TUTORIAL_WORLD.moment.isoformat()
    assert (answer["serie"], answer["nueva_serie"], answer["correo"]) == (
        TUTORIAL_WORLD.serie,
        TUTORIAL_WORLD.nueva_serie,
        TUTORIAL_WORLD.correo,
    )


def test_one_account_at_a_time_holds_the_world(app, client):
    first = claim(client, "primera").get_json()
    second = claim(client, "segunda").get_json()
    assert first["series"] == second["series"] == [TUTORIAL_WORLD.serie]
    assert (second["nombre"], second["correo"], second["rfc"]) == (
        TUTORIAL_WORLD.nombre,
        TUTORIAL_WORLD.correo,
        TUTORIAL_WORLD.rfc,
    )
    db = connect(app.config["DATABASE"])
    assert [row["usuario"] for row in db.execute("SELECT usuario FROM cuenta")] == ["segunda"]
    assert log_in(client, "primera").status_code == 401  # that account is gone
    assert claim(client, "segunda").status_code == 409


def test_the_world_is_claimed_again_after_its_upgrade_and_mail(app, client):
    claim(client, "antes")
    log_in(client, "antes")
    assert upgrade(client, TUTORIAL_WORLD.serie).status_code == 303
    claim(client, "despues")  # the old holder, its new serial, its mail and session all go
    db = connect(app.config["DATABASE"])
    assert [row["numero"] for row in db.execute("SELECT numero FROM serie")] == [TUTORIAL_WORLD.serie]
    assert db.execute("SELECT COUNT(*) FROM correo").fetchone()[0] == 0


def test_the_upgrade_issues_the_worlds_new_serial_whatever_the_sites_key(tmp_path):
    for key in ("una-clave", "otra-clave"):
        app = create_app(
            {
                "TESTING": True,
                "DATABASE": str(tmp_path / f"{key}.sqlite"),
                "SERIAL_KEY": key,
                "CONTROL_TOKEN": "token-de-pruebas",
            }
        )
        client = app.test_client()
        claim(client, "cliente")
        log_in(client, "cliente")
        upgrade(client, TUTORIAL_WORLD.serie)
        db = connect(app.config["DATABASE"])
        row = db.execute("SELECT numero, reemplaza FROM serie WHERE version = '10.0'").fetchone()
        assert tuple(row) == (TUTORIAL_WORLD.nueva_serie, TUTORIAL_WORLD.serie)
        mail = db.execute("SELECT para, texto FROM correo").fetchone()
        assert mail["para"] == TUTORIAL_WORLD.correo
        assert TUTORIAL_WORLD.serie in mail["texto"] and TUTORIAL_WORLD.nueva_serie in mail["texto"]


def seeded_person(seed: int) -> tuple[str, str, str]:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    return fake.name(), store.company_rfc(fake), fake.user_name()


def test_a_seeded_customer_is_the_same_on_any_day():
    """Faker's own es_MX rfc() counts from today: the same seed gave another RFC two days later."""
    people_now = [seeded_person(seed) for seed in range(20)]
    with time_machine.travel(date.today() + timedelta(days=2 * 365 + 3), tick=False):
        assert [seeded_person(seed) for seed in range(20)] == people_now
    assert all(COMPANY_RFC.match(rfc) for _name, rfc, _user in people_now)


def test_seeded_customers_have_example_addresses(make_account):
    """Faker's free_email() would give gmail.com or hotmail.com: real mailboxes in a figure."""
    assert {make_account()["correo"].rpartition("@")[2] for _ in range(4)} == {"example.com"}


def seeded_serial(path: str, key: bytes) -> str:
    app = create_app({"TESTING": True, "DATABASE": path})
    db = connect(app.config["DATABASE"])
    with store.transaction(db):
        account = store.create_account(db, usuario="cliente", password="x" * 12, seed=7, key=key)
    return account["series"][0]


def test_seeded_serials_follow_from_the_sites_secret_key(tmp_path):
    """Nobody computes a customer's serial from the source: another key, another serial."""
    first = seeded_serial(str(tmp_path / "a.sqlite"), b"clave-uno")
    assert seeded_serial(str(tmp_path / "b.sqlite"), b"clave-uno") == first
    assert seeded_serial(str(tmp_path / "c.sqlite"), b"clave-dos") != first


def test_the_control_api_answers_the_world_in_json_with_iso_dates():
    assert TUTORIAL_WORLD.as_json() == {
        "moment": "2022-03-15T10:00:00-06:00",
        "nombre": "Mariana López Herrera",
        "correo": "mariana.lopez@example.com",
        "razon_social": "Servicios Contables del Bajío, S.A. de C.V.",
        "rfc": "SCB150312QK4",
        "serie": "INL7K4M2QX9R5",
        "nueva_serie": "INLB8T3W6N5PW",
        "version": "9.0",
        "modalidad": "suscripcion",
        "periodicidad": "mensual",
        "usuarios": 1,
        "fecha_activacion": "2022-02-01",
        "proximo_pago": "2022-04-01",
    }


def test_the_worlds_serials_are_the_old_one_then_the_new_one():
    assert TUTORIAL_WORLD.serials == ("INL7K4M2QX9R5", "INLB8T3W6N5PW")


def test_a_world_built_anew_lists_its_own_serials():
    from dataclasses import replace

    world = replace(TUTORIAL_WORLD, serie="INLVIEJA", nueva_serie="INLNUEVA")
    assert world.serials == ("INLVIEJA", "INLNUEVA")
