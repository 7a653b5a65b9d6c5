"""The customer's mailbox: the mock's webmail page, read as the customer would read it."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect
from pytest_bdd import parsers, then, when

from steps.screens import Mailbox
from steps.support.sitio.customer import Customer
from steps.support.sitio.mock_client import MockControl


def opened_message(page: Page) -> Locator:
    return page.get_by_role("article")


@when(parsers.parse('abro el correo "{asunto}"'))
def open_message(page: Page, mock_control: MockControl, customer: Customer, asunto: str):
    """The newest message with that subject (the list shows the newest first)."""
    expect(Mailbox(page).open(mock_control, customer.correo).open_newest(asunto)).to_be_visible()


@then(parsers.parse('en mi correo hay {count:d} correos "{asunto}"'))
@then(parsers.parse('en mi correo hay {count:d} correo "{asunto}"'))
def count_messages(page: Page, mock_control: MockControl, customer: Customer, count: int, asunto: str):
    expect(Mailbox(page).open(mock_control, customer.correo).messages(asunto)).to_have_count(count)


@then("el correo llegó a mi correo electrónico registrado en Mi cuenta Aspel")
def sent_to_registered_address(page: Page, customer: Customer):
    expect(opened_message(page).get_by_role("definition").filter(has_text=customer.correo)).to_have_text(
        customer.correo
    )


@then(parsers.parse('el correo dice "{text}"'))
def message_says(page: Page, text: str):
    expect(opened_message(page)).to_contain_text(text)


@then("el correo nombra mi número de serie anterior y el nuevo")
def message_names_serials(page: Page, customer: Customer, nueva_serie: str):
    body = opened_message(page)
    expect(body.get_by_role("row", name=f"Número de serie anterior (9.0) {customer.serie}")).to_be_visible()
    expect(body.get_by_role("row", name=f"Nuevo número de serie (10.0) {nueva_serie}")).to_be_visible()


@then(parsers.parse('el correo indica {campo} "{valor}"'))
def message_field(page: Page, campo: str, valor: str):
    row = opened_message(page).get_by_role("row").filter(has=page.get_by_role("rowheader", name=campo, exact=True))
    expect(row.get_by_role("cell", name=valor, exact=True)).to_be_visible()
