"""Mis servicios > Suscripciones: the grid and the dialog *Actualiza la versión de tu sistema*."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import AnyScreen
from steps.screens.account import LoginScreen, MyAccount
from steps.screens.subscriptions import SubscriptionsGrid, TermsDialog, on_grid, upgraded
from tutorial.sitio.customer import Customer, new_customer
from tutorial.sitio.mock_client import MockControl

# The tutorial's «INLXXXXXXXXXX»: NOI's three letters, then ten letters or digits.
ASPEL_SERIAL = re.compile(r"^INL[0-9A-Z]{10}$")


@pytest.fixture
def nueva_serie() -> str:
    """Replaced by the serial «veo el nuevo número de serie…» read (its ``target_fixture``)."""
    pytest.fail("El escenario no leyó la nueva serie (falta aceptar la actualización).")


@given('que abrí el menú "Mis servicios"')  # where Figura 3 left the story: the walkthrough shows it once
@when('abro el menú "Mis servicios"')
def open_services_menu(page: Page):
    account = MyAccount(page)
    account.open_services_menu()
    expect(account.subscriptions_link).to_be_visible()


@when("entro a Mis servicios > Suscripciones")
def enter_subscriptions(page: Page, customer: Customer):
    """Logged in through the window, with my name in the banner, then Mis servicios > Suscripciones."""
    account = LoginScreen(page).log_in(customer.usuario, customer.password)
    if customer.nombre:
        expect(account.banner_name(customer.nombre)).to_be_visible()
    expect(SubscriptionsGrid(page).open_from_menu().title).to_be_visible()


@given("que estoy en Mis servicios > Suscripciones")
def on_subscriptions(page: Page, customer: Customer, site_control: MockControl | None):
    expect(on_grid(page, customer.usuario, customer.password, site_control).title).to_be_visible()


@given("que acepté la actualización de mi serie de Aspel NOI 9.0", target_fixture="nueva_serie")
def upgraded_serial(page: Page, customer: Customer, site_control: MockControl | None) -> str:
    return upgraded(page, customer.usuario, customer.password, customer.serie, site_control)


@then("veo mi serie de Aspel NOI 9.0 en Sistemas en Suscripción")
def see_my_serial(page: Page, customer: Customer):
    grid = SubscriptionsGrid(page)
    expect(grid.row(customer.serie)).to_be_visible()
    expect(grid.cell(customer.serie, "Aspel NOI")).to_be_visible()
    expect(grid.cell(customer.serie, "9.0")).to_be_visible()


@when(parsers.parse('paso el cursor sobre "{name}"'))
def hover(page: Page, name: str):
    AnyScreen(page).hover_over(name)


@when("doy clic en el icono Actualiza la serie de mi serie")
def open_upgrade_dialog(page: Page, customer: Customer):
    expect(SubscriptionsGrid(page).open_terms(customer.serie).box).to_be_visible()


@then("la ventana muestra mi número de serie y los seis términos")
def dialog_shows_terms(page: Page, customer: Customer):
    terms = TermsDialog(page)
    expect(terms.serial_label).to_be_visible()
    expect(terms.text(customer.serie)).to_be_visible()
    expect(terms.terms).to_have_count(6)
    for number in range(1, 7):
        expect(terms.terms.nth(number - 1)).to_contain_text(f"{number}.- ")
    expect(terms.download_centre_link).to_be_visible()


@when("acepto los términos", target_fixture="nueva_serie")
def accept(page: Page) -> str:
    """The new serial, as the notice that follows *Aceptar* names it."""
    dialog = TermsDialog(page)
    dialog.accept()
    return dialog.new_serial()


@when('doy doble clic en "Aceptar"')
def double_click_accept(page: Page):
    terms = TermsDialog(page)
    terms.double_click_accept()
    expect(terms.notice()).to_be_visible()


@when("cancelo")
def cancel(page: Page):
    TermsDialog(page).cancel()


@when("cierro la ventana con la ×")
def close_dialog(page: Page):
    TermsDialog(page).close()


@then("veo el nuevo número de serie de Aspel NOI 10.0", target_fixture="nueva_serie")
def see_new_serial(page: Page) -> str:
    """The new serial as the notice names it, in its grid row; later steps get it as ``nueva_serie``."""
    terms = TermsDialog(page)
    expect(terms.notice()).to_be_visible()
    serial = terms.new_serial()
    expect(SubscriptionsGrid(page).cell(serial, "10.0")).to_be_visible()
    return serial


@then("el nuevo número de serie es distinto del anterior y tiene el formato de las series Aspel")
def new_serial_is_new(customer: Customer, nueva_serie: str):
    assert nueva_serie != customer.serie
    assert ASPEL_SERIAL.match(nueva_serie), f"{nueva_serie} no tiene el formato de serie Aspel"


@then(parsers.parse('mi serie de Aspel NOI 9.0 muestra "{status}"'))
def old_serial_status(page: Page, customer: Customer, status: str):
    expect(SubscriptionsGrid(page).row(customer.serie)).to_contain_text(status)


@then(parsers.parse('mi serie de Aspel NOI 9.0 ya no ofrece "{name}"'))
def old_serial_not_offered(page: Page, customer: Customer, name: str):
    expect(SubscriptionsGrid(page).row_button(customer.serie, name)).to_have_count(0)


@then(parsers.parse('mi serie de Aspel NOI 9.0 ofrece "{name}"'))
def old_serial_offered(page: Page, customer: Customer, name: str):
    expect(SubscriptionsGrid(page).row_button(customer.serie, name)).to_be_visible()


@then(parsers.re(r'la rejilla tiene las columnas (?P<names>".+")$'))
def grid_columns(page: Page, names: str):
    for name in re.findall(r'"([^"]+)"', names):
        expect(SubscriptionsGrid(page).ready_header(name, exact=True)).to_be_visible()


@then(
    parsers.parse("la nueva serie conserva la renta {periodicidad} con próximo pago el {fecha} y {usuarios:d} usuarios")
)
def new_serial_keeps_terms(page: Page, nueva_serie: str, periodicidad: str, fecha: str, usuarios: int):
    grid = SubscriptionsGrid(page)
    expect(grid.status).to_contain_text(f"renta {periodicidad}")
    expect(grid.cell(nueva_serie, fecha)).to_be_visible()
    expect(grid.cell(nueva_serie, str(usuarios))).to_be_visible()


@then("mi serie sigue igual y no hay una serie nueva")
def nothing_changed(page: Page, customer: Customer):
    grid = SubscriptionsGrid(page)
    expect(TermsDialog(page).box).to_have_count(0)
    expect(grid.row(customer.serie)).to_contain_text("Plan actualizado")
    expect(grid.rows_of_version("10.0")).to_have_count(0)


@then("hay exactamente una serie de Aspel NOI 10.0")
def exactly_one_new_serial(page: Page):
    expect(SubscriptionsGrid(page).rows_of_version("10.0")).to_have_count(1)


@then(parsers.parse("no se envió ningún correo"))
def no_mail(mock_control, customer: Customer):
    assert mock_control.outbox(customer.correo) == []


@then(parsers.parse("se envió {count:d} correo de actualización"))
def mails_sent(mock_control, customer: Customer, count: int):
    assert len(mock_control.outbox(customer.correo)) == count


@when("vuelvo a pedir la actualización de mi serie de Aspel NOI 9.0")
def ask_again(page: Page, customer: Customer):
    grid = SubscriptionsGrid(page)
    grid.goto(grid.upgrade_address(customer.serie))


@then("no se ofrece la ventana de actualización sin costo")
def no_free_dialog(page: Page, customer: Customer):
    expect(SubscriptionsGrid(page).upgrade_icon(customer.serie)).to_have_count(0)
    expect(TermsDialog(page).box).to_have_count(0)


# --- the grid: grouping and sorting ------------------------------------------------------------


@when(parsers.parse('arrastro la columna "{column}" al panel de agrupación'))
def group_by(page: Page, column: str):
    SubscriptionsGrid(page).group_by(column)


@when(parsers.parse('arrastro la agrupación "{column}" fuera del panel'))
def ungroup(page: Page, column: str):
    SubscriptionsGrid(page).ungroup(column)


@then(parsers.parse('las series quedan agrupadas por "{column}" en "{first}" y "{second}"'))
def grouped(page: Page, column: str, first: str, second: str):
    grid = SubscriptionsGrid(page)
    expect(grid.group_rows(column)).to_have_text([f"{column}: {first}", f"{column}: {second}"])
    expect(grid.group_panel).to_be_hidden()


@then(parsers.parse('las series ya no están agrupadas por "{column}"'))
def not_grouped(page: Page, column: str):
    grid = SubscriptionsGrid(page)
    expect(grid.group_rows(column)).to_have_count(0)
    expect(grid.group_panel).to_be_visible()


@when(parsers.parse('doy clic en el encabezado "{column}"'))
def sort_by(page: Page, column: str):
    SubscriptionsGrid(page).sort_by(column)


DAY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def reading_order(values: list[str]) -> Callable[[str], Any]:
    """How a reader orders a column: dates (dd/mm/aaaa) by day, numbers by value, text letter by
    letter, as the grid promises (grid.js ``compare``)."""
    if values and all(DAY.match(value) for value in values):
        return lambda value: tuple(reversed(value.split("/")))  # DAY: dd/mm/aaaa
    if values and all(NUMBER.match(value) for value in values):
        return float
    return str


@then(parsers.parse('las series quedan ordenadas por "{column}" de {direction}'))
def sorted_by(page: Page, column: str, direction: str):
    grid = SubscriptionsGrid(page)
    expect(grid.column_header(column)).to_have_attribute(
        "aria-sort", "ascending" if direction == "menor a mayor" else "descending"
    )
    values = grid.column_values(column)
    expected = sorted(values, key=reading_order(values), reverse=direction == "mayor a menor")
    assert values == expected, f"«{column}» de {direction}: se lee {values}, se esperaba {expected}"


@given(parsers.parse("que tengo estas series de Aspel NOI en suscripción {periodicidad}:"), target_fixture="customer")
def accounts_series(
    mock_control: MockControl, tutorial_world: dict, faker, faker_seed: int, periodicidad: str, datatable
) -> Customer:
    """A fresh account holding one serial per row of the table (its columns named as the grid's)."""
    header, *rows = datatable
    series = []
    for row in rows:
        given_row = dict(zip(header, row, strict=True))
        series.append(
            {
                "version": given_row["Versión"],
                "usuarios": int(given_row["USUARIOS"]),
                "fecha_activacion": iso_day(given_row["Fecha Activación"]),
                "proximo_pago": iso_day(given_row["Próximo Pago"]),
            }
        )
    return new_customer(
        mock_control, faker, faker_seed, tutorial_world["moment"], periodicidad=periodicidad, series=series
    )


def iso_day(day: str) -> str:
    """dd/mm/aaaa, as the grid shows a date, to the control API's aaaa-mm-dd."""
    match = DAY.match(day)
    assert match, f"{day!r} no es una fecha dd/mm/aaaa"
    return "-".join(reversed(match.groups()))


@then(parsers.parse('cada serie queda en el grupo de su "{column}"'))
def grouped_by_every_value(page: Page, customer: Customer, column: str):
    grid = SubscriptionsGrid(page)
    expect(grid.group_rows(column).first).to_be_visible()
    expect(grid.group_panel).to_be_hidden()
    groups = grid.groups(column)
    assert groups and groups[0][0] is not None, f"hay series antes del primer grupo: {groups}"
    for value, members in groups:
        assert members and all(member == value for member in members), f"el grupo «{column}: {value}» tiene {members}"
    values = [member for _value, members in groups for member in members]
    assert len(values) == len(customer.series), f"se ven {len(values)} series de {len(customer.series)}"
    expected = sorted(set(values), key=reading_order(values))
    assert [value for value, _members in groups] == expected, f"grupos {groups}, se esperaban {expected}"
