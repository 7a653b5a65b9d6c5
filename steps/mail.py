"""The customer's mailbox: the mock's webmail page, read as the customer would read it."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import parsers, then, when

from steps.screens.mail import Mailbox, MailMessage
from tutorial.sitio.customer import Customer
from tutorial.sitio.mock_client import MockControl


@when(parsers.parse('abro el correo "{asunto}"'))
def open_message(page: Page, mock_control: MockControl, customer: Customer, asunto: str):
    """The newest message with that subject (the list shows the newest first)."""
    expect(Mailbox(page).open(mock_control, customer.correo).open_newest(asunto).body).to_be_visible()


@then(parsers.parse('en mi correo hay {count:d} correos "{asunto}"'))
@then(parsers.parse('en mi correo hay {count:d} correo "{asunto}"'))
def count_messages(page: Page, mock_control: MockControl, customer: Customer, count: int, asunto: str):
    expect(Mailbox(page).open(mock_control, customer.correo).messages(asunto)).to_have_count(count)


@then("el correo llegó a mi correo electrónico registrado en Mi cuenta Aspel")
def sent_to_registered_address(page: Page, customer: Customer):
    expect(MailMessage(page).recipient(customer.correo)).to_have_text(customer.correo)


@then(parsers.parse('el correo dice "{text}"'))
def message_says(page: Page, text: str):
    expect(MailMessage(page).body).to_contain_text(text)


@then("el correo nombra mi número de serie anterior y el nuevo")
def message_names_serials(page: Page, customer: Customer, nueva_serie: str):
    message = MailMessage(page)
    expect(message.row(f"Número de serie anterior (9.0) {customer.serie}")).to_be_visible()
    expect(message.row(f"Nuevo número de serie (10.0) {nueva_serie}")).to_be_visible()


@then(parsers.parse('el correo indica {campo} "{valor}"'))
def message_field(page: Page, campo: str, valor: str):
    expect(MailMessage(page).value(campo, valor)).to_be_visible()
