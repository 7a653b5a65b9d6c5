"""¿Olvidaste tu contraseña?: the request, the link that arrives by mail, the new password."""
from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from mock_site.recovery import NEUTRAL, SUBJECT
from steps.common import by_visible_name
from steps.login import open_login_window
from steps.mail import open_message
from steps.support.customer import Customer

RECOVERY_FIELD = "Usuario o correo electrónico"
LINK = "Cambia tu contraseña"
NEW_PASSWORD = "Nueva contraseña"
CONFIRMATION = "Confirma la contraseña"
UNKNOWN_USER = "nadie.registrado.con.este.usuario"


@pytest.fixture
def passwords() -> dict:
    """The passwords a recovery scenario typed: "anterior" (the account's) and "nueva"."""
    return {}


def _who(customer: Customer | None, dato: str) -> str:
    if dato == "un usuario que no existe":
        return UNKNOWN_USER
    assert customer is not None
    return customer.usuario if dato == "mi usuario" else customer.correo


@when(parsers.re(
    r"escribo (?P<dato>mi usuario|mi correo electrónico|un usuario que no existe)"
    r" para recuperar mi contraseña$"
))
def type_who(page: Page, customer_holder: dict, dato: str):
    page.get_by_label(RECOVERY_FIELD).fill(_who(customer_holder.get("customer"), dato))


@given("que solicité recuperar mi contraseña")
@when("solicito recuperar mi contraseña")
def request_recovery(page: Page, customer: Customer):
    open_login_window(page)
    by_visible_name(page, "¿Olvidaste tu contraseña?").click()
    page.get_by_label(RECOVERY_FIELD).fill(customer.usuario)
    page.get_by_role("button", name="Enviar").click()
    expect(page.get_by_role("status")).to_have_text(NEUTRAL)


@when(parsers.parse("solicito recuperar mi contraseña {times:d} veces"))
def request_recovery_times(page: Page, customer: Customer, times: int):
    for _ in range(times):
        request_recovery(page, customer)


@then("veo el mensaje de que se enviaron las instrucciones a mi correo, si la cuenta existe")
def see_neutral_message(page: Page):
    expect(page.get_by_role("status")).to_have_text(NEUTRAL)


@when("abro el enlace del correo para cambiar mi contraseña")
def open_recovery_link(page: Page, mock_control, customer: Customer):
    open_message(page, mock_control, customer, SUBJECT)
    page.get_by_role("article").get_by_role("link", name=LINK, exact=True).click()


@when("abro el enlace del correo alterado")
def open_tampered_link(page: Page, mock_control, customer: Customer):
    open_message(page, mock_control, customer, SUBJECT)
    href = page.get_by_role("article").get_by_role("link", name=LINK, exact=True).get_attribute("href")
    # One character in the middle of the signature changed, as a link mangled by copy and paste
    # would be (not the last one: its low bits are base64 padding, so A and B may decode alike).
    position = len(href) - 10
    page.goto(href[:position] + ("A" if href[position] != "A" else "B") + href[position + 1:])


@when(parsers.parse("pasan {minutes:d} minutos"))
def time_passes(mock_control, customer: Customer, tutorial_moment, minutes: int):
    mock_control.move_account_clock(customer.usuario, (tutorial_moment + timedelta(minutes=minutes)).isoformat())


@when("escribo dos veces mi nueva contraseña")
def type_new_password(page: Page, customer: Customer, passwords: dict, faker):
    passwords["anterior"] = customer.password
    passwords["nueva"] = faker.password(length=16)
    page.get_by_label(NEW_PASSWORD, exact=True).fill(passwords["nueva"])
    page.get_by_label(CONFIRMATION, exact=True).fill(passwords["nueva"])


@when(parsers.parse("escribo dos veces una nueva contraseña de {length:d} caracteres"))
def type_short_password(page: Page, length: int):
    password = "abcdefghijklmnopqrstuvwxyz"[:length]
    page.get_by_label(NEW_PASSWORD, exact=True).fill(password)
    page.get_by_label(CONFIRMATION, exact=True).fill(password)


@when("escribo una nueva contraseña y otra distinta para confirmarla")
def type_mismatched_passwords(page: Page):
    page.get_by_label(NEW_PASSWORD, exact=True).fill("una-contraseña-larga")
    page.get_by_label(CONFIRMATION, exact=True).fill("otra-contraseña-larga")


@when(parsers.re(r"inicio sesión con mi contraseña (?P<cual>anterior|nueva)$"))
def log_in_with(page: Page, customer: Customer, passwords: dict, cual: str):
    open_login_window(page)
    page.get_by_label("Usuario").fill(customer.usuario)
    page.get_by_label("Contraseña").fill(passwords["anterior" if cual == "anterior" else "nueva"])
    page.get_by_role("button", name="Iniciar sesión").click()
    if cual == "nueva":
        customer.password = passwords["nueva"]  # later steps log in with the password it has now


@then("veo la ventana para cambiar mi contraseña")
def see_reset_form(page: Page):
    expect(page.get_by_role("heading", name="CAMBIA TU CONTRASEÑA", exact=True)).to_be_visible()
    expect(page.get_by_label(NEW_PASSWORD, exact=True)).to_be_visible()
