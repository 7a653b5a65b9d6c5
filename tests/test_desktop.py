"""The desktop mock over HTTP: Aspel-AL and Otros sistemas, Aspel NOI, its activation and settings."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from mock_site import store
from mock_site.db import connect
from mock_site.domain.serials import random_serial
from tests.flask_site import csrf_token

ASPEL_AL = "/escritorio/aspel-al/"
OTHER_SYSTEMS = "/escritorio/aspel-al/otros-sistemas"
WIZARD = "/escritorio/noi/activacion"
NOI = "/escritorio/noi/"
SETTINGS = "/escritorio/noi/configuracion"
TEMPLATES = Path(__file__).parent.parent / "mock_site" / "templates" / "desktop"


def db(app) -> sqlite3.Connection:
    return connect(app.config["DATABASE"])


def upgrade(app, account: dict) -> str:
    connection = db(app)
    try:
        cuenta_id = connection.execute("SELECT id FROM cuenta WHERE usuario = ?", (account["usuario"],)).fetchone()[0]
        return store.upgrade(connection, cuenta_id, account["series"][0], date(2022, 3, 15), b"pruebas").numero
    finally:
        connection.close()


def registered_name(app, account: dict) -> str:
    connection = db(app)
    try:
        return connection.execute(
            "SELECT razon_social FROM cuenta WHERE usuario = ?", (account["usuario"],)
        ).fetchone()[0]
    finally:
        connection.close()


def activations(app) -> dict[str, str]:
    connection = db(app)
    try:
        return dict(connection.execute("SELECT numero, razon_social_reportes FROM activacion").fetchall())
    finally:
        connection.close()


def activate(client, serial: str, razon_social: str, **extra):
    data = {"serie": serial, "razon_social": razon_social, "csrf_token": csrf_token(client, WIZARD), **extra}
    return client.post(WIZARD, data=data)


def text(response) -> str:
    return response.get_data(as_text=True)


# --- the desktop and its Inicio menu ----------------------------------------------------------


def test_the_desktop_shows_the_start_menu_with_aspel_al_under_aspel_and_the_accounts_clock(client, make_account):
    account = make_account()
    serial = account["series"][0]
    page = text(client.get(f"/escritorio/?serie={serial}"))
    assert 'aria-label="Menú Inicio"' in page and "Todos los programas" in page
    assert 'placeholder="Buscar programas y archivos"' in page
    aspel = re.search(r">Aspel</button>\s*<ul[^>]*>(.*?)</ul>", page, re.S).group(1)
    assert f'href="/escritorio/aspel-al/?serie={serial}"' in aspel and "Aspel NOI 9.0" in aspel
    assert "<span>10:00</span><span>15/03/2022</span>" in page


def test_the_desktop_without_a_serial_still_opens_aspel_al(client):
    page = text(client.get("/escritorio/"))
    assert 'href="/escritorio/aspel-al/"' in page


@pytest.mark.parametrize(
    ("path", "code", "message"),
    [
        ("/escritorio/?serie=NO-ES-SERIE", 400, "no tiene el formato de las series Aspel"),
        (f"{ASPEL_AL}?serie=INL123", 400, "no tiene el formato de las series Aspel"),
        (f"{OTHER_SYSTEMS}?serie={'Z' * 500}", 400, "no tiene el formato de las series Aspel"),
        (f"{NOI}?serie=%00%ff", 400, "no tiene el formato de las series Aspel"),
        (f"{ASPEL_AL}?serie=INL5ASTRS6G8S", 404, "no está registrado en aspel.com"),
        (f"{NOI}", 400, "Indica el número de serie"),
        (f"{SETTINGS}", 400, "Indica el número de serie"),
    ],
)
def test_a_malformed_or_unknown_serial_gets_a_spanish_message_never_500(client, path, code, message):
    response = client.get(path)
    assert response.status_code == code
    assert message in text(response) and 'role="alert"' in text(response)


# --- Aspel-AL ---------------------------------------------------------------------------------


def test_aspel_al_shows_the_installed_system_and_its_state(client, make_account):
    serial = make_account()["series"][0]
    page = text(client.get(f"{ASPEL_AL}?serie={serial}"))
    assert "Servicio de actualización en línea" in page and "Aspel NOI 9.0" in page
    assert serial in page and ">Activa<" in page


def test_other_systems_offers_nothing_to_a_customer_who_did_not_upgrade(client, make_account):
    serial = make_account()["series"][0]
    page = text(client.get(f"{OTHER_SYSTEMS}?serie={serial}"))
    assert "No hay nuevas versiones disponibles para tus sistemas." in page
    assert "AspelNOI10.0.exe" not in page and "Descargar" not in page


def test_other_systems_offers_noi_10_to_the_upgraded_serial_and_to_the_new_one(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    for serial in (account["series"][0], new):
        page = text(client.get(f"{OTHER_SYSTEMS}?serie={serial}"))
        assert "<h3" in page and "Aspel NOI 10.0</h3>" in page
        assert 'href="/descargas/AspelNOI10.0.exe"' in page
        assert 'Descargar<span class="visually-hidden"> Aspel NOI 10.0</span>' in page


def test_a_licence_is_offered_nothing(client, make_account):
    serial = make_account(modalidad="licenciamiento", series=[store.SerieSpec()])["series"][0]
    assert "No hay nuevas versiones" in text(client.get(f"{OTHER_SYSTEMS}?serie={serial}"))


def test_aspel_al_without_a_serial_asks_for_it_and_remembers_it_in_the_address(client, make_account):
    serial = make_account()["series"][0]
    page = text(client.get(ASPEL_AL))
    assert '<label for="serie">Número de serie</label>' in page
    response = client.post(ASPEL_AL, data={"serie": f" {serial.lower()} ", "csrf_token": csrf_token(client, ASPEL_AL)})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{ASPEL_AL}?serie={serial}")
    assert client.get(OTHER_SYSTEMS).status_code == 302  # Otros sistemas without a serial: back to the question


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Escribe el número de serie de tu sistema Aspel."),
        ("NO-ES-SERIE", "no tiene el formato de las series Aspel"),
        (None, "no está registrado en aspel.com"),
    ],
)
def test_aspel_al_refuses_a_missing_malformed_or_unknown_serial(client, typed, message):
    typed = random_serial() if typed is None else typed
    response = client.post(ASPEL_AL, data={"serie": typed, "csrf_token": csrf_token(client, ASPEL_AL)})
    assert response.status_code == 400 and message in text(response)
    assert 'aria-invalid="true"' in text(response)


def test_aspel_al_serial_form_needs_csrf(client, make_account):
    serial = make_account()["series"][0]
    assert client.post(ASPEL_AL, data={"serie": serial}).status_code == 400


# --- the Asistente de activación (term 6) -----------------------------------------------------


def test_the_wizard_asks_for_the_serial_and_the_razon_social_and_prefills_the_serial(client):
    serial = random_serial()
    page = text(client.get(f"{WIZARD}?serie={serial}"))
    assert "Asistente de activación" in page and "Aspel NOI 10.0" in page
    assert (
        '<label for="serie">Número de serie</label>' in page
        and '<label for="razon_social">Razón social</label>' in page
    )
    assert f'value="{serial}"' in page and 'name="csrf_token"' in page


def test_activation_accepts_the_registered_razon_social_loosely_typed(app, client, make_account):
    account = make_account(razon_social="Nóminas del Pacífico, S.A. de C.V.")
    new = upgrade(app, account)
    response = activate(client, new, "  NOMINAS   DEL PACIFICO, s.a. de c.v. ")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{NOI}?serie={new}")
    assert activations(app) == {new: "Nóminas del Pacífico, S.A. de C.V."}
    page = text(client.get(f"{NOI}?serie={new}"))
    assert "Aspel NOI 10.0 se activó" in page and "Recibo de nómina" in page
    assert page.count("Nóminas del Pacífico, S.A. de C.V.</p>") == 2  # receipt and report


@pytest.mark.parametrize(
    ("serial", "name", "message"),
    [
        ("new", "Otra Empresa, S.A. de C.V.", "Indica como razón social aquella que registraste en aspel.com"),
        ("new", "", "Escribe la razón social que registraste en aspel.com."),
        ("old", "registered", "Indica el número de serie de Aspel NOI 10.0."),
        ("unknown", "registered", "El número de serie no está registrado en aspel.com."),
        ("NO-ES-SERIE", "registered", "no tiene el formato de las series Aspel"),
        ("", "registered", "Escribe el número de serie electrónico de tu sistema."),
    ],
)
def test_activation_refuses_with_a_message_and_activates_nothing(app, client, make_account, serial, name, message):
    account = make_account()
    new = upgrade(app, account)
    serial = {"new": new, "old": account["series"][0], "unknown": random_serial()}.get(serial, serial)
    name = account["razon_social"] if name == "registered" else name
    response = activate(client, serial, name)
    assert response.status_code == 400 and message in text(response)
    assert 'role="alert"' in text(response) and 'aria-invalid="true"' in text(response)
    assert activations(app) == {}


def test_activation_refuses_an_inactive_serial(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    client.put(
        f"/_control/cuentas/{account['usuario']}/reloj",
        json={"ahora": "2022-05-01T10:00:00"},
        headers={"X-Control-Token": "token-de-pruebas"},
    )
    response = activate(client, new, account["razon_social"])
    assert response.status_code == 400 and "está Inactiva y no puede activarse" in text(response)
    assert activations(app) == {}


def test_activation_needs_csrf(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    assert client.post(WIZARD, data={"serie": new, "razon_social": account["razon_social"]}).status_code == 400
    assert activations(app) == {}


def test_a_huge_razon_social_is_refused_not_an_error(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    assert activate(client, new, "x" * 10_000).status_code == 400


# --- Aspel NOI's window and its settings ------------------------------------------------------


def test_noi_10_opens_the_wizard_until_it_is_activated(app, client, make_account):
    new = upgrade(app, make_account())
    response = client.get(f"{NOI}?serie={new}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{WIZARD}?serie={new}")


def test_noi_9_opens_active_before_its_next_validation_and_read_only_from_it(app, client, make_account):
    account = make_account()
    old = account["series"][0]
    upgrade(app, account)
    page = text(client.get(f"{NOI}?serie={old}"))
    assert "hasta el 31/03/2022" in page and "Sistema activo" in page
    client.put(
        f"/_control/cuentas/{account['usuario']}/reloj",
        json={"ahora": "2022-04-01T10:00:00"},
        headers={"X-Control-Token": "token-de-pruebas"},
    )
    page = text(client.get(f"{NOI}?serie={old}"))
    assert "Inactiva" in page and "Modo consulta" in page


def test_after_activation_the_printed_razon_social_changes_and_the_registered_one_does_not(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    registered = registered_name(app, account)
    activate(client, new, registered)
    form = f"{SETTINGS}?serie={new}"
    assert f'value="{registered}"' in text(client.get(form))
    response = client.post(
        SETTINGS,
        data={
            "serie": new,
            "razon_social_reportes": "  Nóminas   Integrales del Bajío ",
            "csrf_token": csrf_token(client, form),
        },
    )
    assert response.status_code == 303
    assert activations(app) == {new: "Nóminas Integrales del Bajío"}
    assert registered_name(app, account) == registered
    page = text(client.get(f"{NOI}?serie={new}"))
    assert "Se guardó la razón social de tus reportes y recibos." in page
    assert page.count("Nóminas Integrales del Bajío</p>") == 2
    # Activating again (a reinstall) keeps the name chosen for reports.
    assert activate(client, new, registered).status_code == 303
    assert activations(app) == {new: "Nóminas Integrales del Bajío"}


def test_settings_refuse_an_empty_name_and_need_csrf(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    activate(client, new, account["razon_social"])
    form = f"{SETTINGS}?serie={new}"
    empty = client.post(
        SETTINGS, data={"serie": new, "razon_social_reportes": "  ", "csrf_token": csrf_token(client, form)}
    )
    assert empty.status_code == 400 and "Escribe la razón social para tus reportes y recibos." in text(empty)
    assert client.post(SETTINGS, data={"serie": new, "razon_social_reportes": "X"}).status_code == 400
    assert activations(app) == {new: registered_name(app, account)}


def test_settings_before_activation_send_to_the_wizard(app, client, make_account):
    new = upgrade(app, make_account())
    response = client.get(f"{SETTINGS}?serie={new}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"{WIZARD}?serie={new}")


# --- plumbing ---------------------------------------------------------------------------------


def test_the_control_reset_clears_activations_too(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    activate(client, new, account["razon_social"])
    response = client.post("/_control/reset", headers={"X-Control-Token": "token-de-pruebas"})
    assert response.status_code == 200 and activations(app) == {}


def test_desktop_pages_keep_the_csp_no_inline_script_or_style(client):
    response = client.get("/escritorio/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for template in [*TEMPLATES.glob("*.html"), TEMPLATES.parent / "downloads" / "index.html"]:
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template.name
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", source), template.name


def test_every_desktop_form_that_posts_carries_a_csrf_token():
    for template in TEMPLATES.glob("*.html"):
        source = template.read_text(encoding="utf-8")
        for form in re.findall(r'<form[^>]*method="post".*?</form>', source, re.S):
            assert 'name="csrf_token" value="{{ csrf_token() }}"' in form, template.name
