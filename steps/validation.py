"""Regla 3 (@regla-3): the old version is usable only until its next validation, then *Inactiva*.

Time passes for the customer (its account clock) and the desktop validates its serials; the rule
itself is ``mock_site/domain/validation.py`` ("Regla 3").
"""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens.account import LoginScreen
from steps.screens.desktop import Desktop
from steps.screens.subscriptions import SubscriptionsGrid
from tutorial.sitio.customer import Customer
from tutorial.sitio.mock_client import MockControl


@given(parsers.parse("que llegó el {fecha}"))
@when(parsers.parse("llega el {fecha}"))
def time_passes(mock_control: MockControl, customer: Customer, fecha: str):
    """The customer's clock (aspel.com and the PC read it) moves to 10:00 of ``dd/mm/yyyy``."""
    day = datetime.strptime(fecha, "%d/%m/%Y")
    mock_control.move_account_clock(customer.usuario, day.replace(hour=10).isoformat())


def validation(page: Page, serial: str) -> dict:
    """What Aspel NOI hears when it validates ``serial`` from the PC."""
    response = Desktop(page).validate(serial)
    assert response.ok, f"La validación respondió {response.status}: {response.text()}"
    return response.json()


@then(
    parsers.re(
        r"la validación de mi (?P<which>serie de Aspel NOI 9\.0|nueva serie de Aspel NOI 10\.0) "
        r'responde "(?P<estado>activa|inactiva)"$'
    )
)
def validation_answers(page: Page, request: pytest.FixtureRequest, customer: Customer, which: str, estado: str):
    """The new serial is asked for only when the step names it (``nueva_serie`` fails a scenario
    that did not read one)."""
    serial = customer.serie if which.startswith("serie") else request.getfixturevalue("nueva_serie")
    answer = validation(page, serial)
    assert answer["estado"] == estado, f"{serial}: {answer['estado']} ({answer['mensaje']})"


@when("vuelvo a abrir Mis servicios > Suscripciones")
def reopen_subscriptions(page: Page, customer: Customer):
    """A day or more later the session has ended (30 minutes idle): the site asks for the log-in
    first, then shows the page that was asked for."""
    grid, login = SubscriptionsGrid(page), LoginScreen(page)
    grid.goto()
    expect(login.title).to_be_visible()
    login.send(customer.usuario, customer.password)
    expect(grid.title).to_be_visible()


@then(parsers.parse('mi nueva serie de Aspel NOI 10.0 muestra "{status}"'))
def new_serial_status(page: Page, nueva_serie: str, status: str):
    expect(SubscriptionsGrid(page).row(nueva_serie)).to_contain_text(status)
