"""Seguridad: the log-in lock, pages that need a log-in, log-out, escaped input, others' serials."""
from __future__ import annotations

import uuid
from datetime import timedelta

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.login import open_login_window
from steps.support.customer import FIGURE_MOMENT, TUTORIAL_SERIE, Customer, new_customer

LOCK_LIMIT = 5
SUBSCRIPTIONS_PATH = "/mi-cuenta/mis-servicios/suscripciones"
# Script a careless page would run: it leaves a mark on window, and an <img> that would exist.
HTML_USER = '<script>window.sondeo=1</script><img id="sondeo" src="x" onerror="window.sondeo=2">'


def _try_wrong_password(page: Page, customer: Customer, attempt: int) -> None:
    page.get_by_label("Usuario").fill(customer.usuario)
    page.get_by_label("Contraseña").fill(f"{customer.password}-no-{attempt}")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert").first).to_be_visible()


@when(parsers.parse("intento {times:d} veces iniciar sesión con una contraseña equivocada"))
def wrong_passwords(page: Page, customer: Customer, times: int):
    for attempt in range(times):
        _try_wrong_password(page, customer, attempt)


@given(parsers.parse("que mi cuenta se bloqueó por {times:d} contraseñas equivocadas"))
def locked_account(page: Page, customer: Customer, times: int):
    assert times >= LOCK_LIMIT
    open_login_window(page)
    wrong_passwords(page, customer, times)
    expect(page.get_by_role("alert").filter(has_text="bloqueada temporalmente")).to_be_visible()


@when(parsers.parse("han pasado {minutes:d} minutos desde el bloqueo"))
def minutes_since_the_lock(mock_control, customer: Customer, minutes: int):
    """The customer's clock stands still at FIGURE_MOMENT, the moment the lock began."""
    mock_control.move_account_clock(customer.usuario, (FIGURE_MOMENT + timedelta(minutes=minutes)).isoformat())


@when("abro la dirección de Mis servicios > Suscripciones sin haber iniciado sesión")
@when("abro otra vez la dirección de Mis servicios > Suscripciones")
def open_subscriptions_address(page: Page):
    page.goto(SUBSCRIPTIONS_PATH)


@when("regreso con el botón Atrás del navegador")
def go_back(page: Page):
    page.go_back()


@then("no veo Sistemas en Suscripción")
def no_subscriptions(page: Page):
    expect(page.get_by_role("heading", name="Sistemas en Suscripción")).to_have_count(0)
    expect(page.get_by_role("grid").or_(page.get_by_role("table"))).to_have_count(0)


@then(parsers.parse("no veo la ventana {title}"))
def no_window(page: Page, title: str):
    expect(page.get_by_role("heading", name=title, exact=True)).to_have_count(0)
    expect(page.get_by_role("dialog", name=title, exact=True)).to_have_count(0)


@when("escribo en Usuario un código HTML con un script, y una contraseña")
def type_html_user(page: Page):
    page.get_by_label("Usuario").fill(HTML_USER)
    page.get_by_label("Contraseña").fill("una-contraseña")


@then("el campo Usuario muestra el código tal como lo escribí")
def user_field_shows_the_code(page: Page):
    expect(page.get_by_label("Usuario")).to_have_value(HTML_USER)


@then("el código no se ejecutó")
def code_did_not_run(page: Page):
    assert page.evaluate("() => window.sondeo") is None
    expect(page.locator("#sondeo")).to_have_count(0)
    expect(page.locator("main script")).to_have_count(0)


@when("abro la dirección de Actualiza la serie con la serie de otra cuenta")
def open_someone_elses_serial(page: Page, mock_control, faker, faker_seed):
    other = new_customer(
        mock_control, faker, faker_seed + 1, FIGURE_MOMENT.isoformat(), series=[TUTORIAL_SERIE],
    )
    page.goto(f"{SUBSCRIPTIONS_PATH}/{other.serie}/actualizar")


@when("abro una dirección de aspel.com.mx que no existe")
def open_unknown_address(page: Page):
    page.goto(f"/no-existe-{uuid.uuid4().hex[:8]}")


@then(parsers.parse('veo el enlace "{name}"'))
def see_link(page: Page, name: str):
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
