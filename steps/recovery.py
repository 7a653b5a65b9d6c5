"""¿Olvidaste tu contraseña?: the request, the link that arrives by mail, the new password."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import AnyScreen
from steps.screens.account import LoginScreen, PasswordReset, RecoveryRequest
from steps.screens.mail import RECOVERY_SUBJECT, Mailbox, MailMessage
from tutorial.sitio.customer import Customer
from tutorial.sitio.mock_client import MockControl

SENT = "las instrucciones para recuperar tu contraseña"  # the site's answer to any request says this
LINK = "Cambia tu contraseña"
UNKNOWN_USER = "nadie.registrado.con.este.usuario"


@dataclasses.dataclass(frozen=True)
class Passwords:
    """The passwords a recovery scenario knows: the account's before, and the one it chose."""

    anterior: str
    nueva: str


@pytest.fixture
def passwords() -> Passwords:
    """Replaced by «cambio mi contraseña por una nueva» (its ``target_fixture``)."""
    pytest.fail("El escenario no cambió la contraseña (falta «cambio mi contraseña por una nueva»).")


@when(
    parsers.re(
        r"indico (?P<dato>mi usuario|mi correo electrónico|un usuario que no existe) como opción de recuperación$"
    )
)
def send_recovery_option(page: Page, request: pytest.FixtureRequest, dato: str):
    """The tutorial: «deberás indicar la opción de recuperación» (the user or the registered e-mail)."""
    if dato == "un usuario que no existe":
        RecoveryRequest(page).send(UNKNOWN_USER)
        return
    customer: Customer = request.getfixturevalue("customer")
    RecoveryRequest(page).send(customer.usuario if dato == "mi usuario" else customer.correo)


def _request_recovery(page: Page, customer: Customer) -> None:
    """From the log-in window, *¿Olvidaste tu contraseña?* with the customer's user name; the site
    answers that the instructions were sent."""
    recovery = LoginScreen(page).open().forgot_password()
    recovery.send(customer.usuario)
    expect(recovery.answer).to_contain_text(SENT)


@given("que solicité recuperar mi contraseña")
def request_recovery(page: Page, customer: Customer):
    """A Given states what happened: the request sent from the window's address (the way there,
    home > Mi cuenta Aspel > ¿Olvidaste tu contraseña?, has scenarios of its own)."""
    recovery = RecoveryRequest(page).open()
    recovery.send(customer.usuario)
    expect(recovery.answer).to_contain_text(SENT)


@when(parsers.parse("solicito recuperar mi contraseña {times:d} veces"))
def request_recovery_times(page: Page, customer: Customer, times: int):
    for _ in range(times):
        _request_recovery(page, customer)


def _recovery_message(page: Page, mock_control: MockControl, customer: Customer) -> MailMessage:
    """The newest recovery mail, opened in the customer's mailbox."""
    message = Mailbox(page).open(mock_control, customer.correo).open_newest(RECOVERY_SUBJECT)
    expect(message.body).to_be_visible()
    return message


@when("abro el enlace del correo para cambiar mi contraseña")
def open_recovery_link(page: Page, mock_control: MockControl, customer: Customer):
    _recovery_message(page, mock_control, customer).follow(LINK)


@when("abro el enlace del correo alterado")
def open_tampered_link(page: Page, mock_control: MockControl, customer: Customer):
    href = _recovery_message(page, mock_control, customer).address_of(LINK)
    # One character in the middle of the signature changed, as a link mangled by copy and paste
    # would be (not the last one: its low bits are base64 padding, so A and B may decode alike).
    position = len(href) - 10
    AnyScreen(page).go_to(href[:position] + ("A" if href[position] != "A" else "B") + href[position + 1 :])


@when(parsers.parse("pasan {minutes:d} minutos"))
def time_passes(mock_control, customer: Customer, tutorial_moment, minutes: int):
    mock_control.move_account_clock(customer.usuario, (tutorial_moment + timedelta(minutes=minutes)).isoformat())


@when("cambio mi contraseña por una nueva", target_fixture="passwords")
def change_password(page: Page, customer: Customer, faker) -> Passwords:
    chosen = Passwords(anterior=customer.password, nueva=faker.password(length=16))
    PasswordReset(page).change(chosen.nueva, chosen.nueva)
    return chosen


@when(parsers.parse("intento cambiar mi contraseña por una de {length:d} caracteres"))
def change_to_short_password(page: Page, length: int):
    password = "abcdefghijklmnopqrstuvwxyz"[:length]
    PasswordReset(page).change(password, password)


@when("intento cambiar mi contraseña confirmándola con otra distinta")
def change_with_mismatched_confirmation(page: Page):
    PasswordReset(page).change("una-contraseña-larga", "otra-contraseña-larga")


@when(parsers.re(r"inicio sesión con mi contraseña (?P<cual>anterior|nueva)$"), target_fixture="customer")
def log_in_with(page: Page, customer: Customer, passwords: Passwords, cual: str) -> Customer:
    """Later steps see the customer with the password it has now."""
    password = passwords.anterior if cual == "anterior" else passwords.nueva
    LoginScreen(page).open().send(customer.usuario, password)
    return dataclasses.replace(customer, password=passwords.nueva)


@then("veo la ventana para cambiar mi contraseña")
def see_reset_form(page: Page):
    reset = PasswordReset(page)
    expect(reset.title).to_be_visible()
    expect(reset.new_password_field).to_be_visible()
