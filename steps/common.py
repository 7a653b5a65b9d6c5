"""Steps every screen shares: who the customer is, clicking by visible text, figures, messages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_bdd import given, parsers, then, when
from pytest_bdd.reporting import scenario_reports_registry

from steps.screens import AnyScreen, figure_targets
from steps.screens.account import LoginScreen
from steps.screens.subscriptions import SubscriptionsGrid
from tutorial.documento.tutorial_doc import quoted_screen_text
from tutorial.figuras.annotations import FIGURE_STEP_PATTERN
from tutorial.sitio.customer import (
    ENV_PASSWORD,
    ENV_SERIAL,
    ENV_USER,
    TUTORIAL_SERIE,
    Customer,
    customer_from_env,
    new_customer,
    tutorial_customer,
)
from tutorial.sitio.mock_client import MockControl

FIGURE_STEP = parsers.re(FIGURE_STEP_PATTERN)


@pytest.fixture
def site_control(mock_control: MockControl, control_unavailable: str | None) -> MockControl | None:
    """The mock's control API, or None on a site without it (``screens.signed_in`` then logs in
    through the window)."""
    return None if control_unavailable else mock_control


@pytest.fixture
def customer() -> Customer:
    """Replaced by the customer a «Dado que tengo…» step makes (its ``target_fixture``)."""
    pytest.fail("El escenario no dijo quién es el cliente (falta un paso «Dado que tengo…»).")


def _shows_figures(request: pytest.FixtureRequest) -> bool:
    """A @figura scenario shows the tutorial's world: its customer, its serial, its moment."""
    return request.node.get_closest_marker("figura") is not None


# Without mock control the scenarios log in as the test account the env names; it must hold what
# the tutorial's customer holds (docs/guia/otros-sitios.md, «Running the scenarios elsewhere»).
TEST_ACCOUNT_HOLDS = ("suscripcion", "mensual", 1)


def _env_customer(control_unavailable: str) -> Customer:
    found = customer_from_env()
    if found is None:
        pytest.skip(
            f"sin API de control ({control_unavailable}) ni cuenta de prueba: define {ENV_USER} y {ENV_PASSWORD}"
        )
    return found


def read_noi_9_serial(browser: Browser, base_url: str, customer: Customer) -> str:
    """The account's Aspel NOI 9.0 serial as its grid shows it, read in a browser context of its
    own (the scenario's page stays where it was, logged out)."""
    context = browser.new_context(base_url=base_url, locale="es-MX")
    try:
        page = context.new_page()
        LoginScreen(page).log_in(customer.usuario, customer.password)
        grid = SubscriptionsGrid(page)
        grid.goto()
        expect(grid.header_reading("No. serie")).to_be_visible()
        rows = grid.rows_of_system("Aspel NOI", "9.0")
        if rows.count() != 1:
            pytest.fail(
                f"La cuenta de prueba {customer.usuario} debe tener una serie de Aspel NOI 9.0 en "
                f"{grid.PATH}; tiene {rows.count()} (o defina {ENV_SERIAL})."
            )
        return grid.text_in_column(rows, "No. serie")
    finally:
        context.close()


@given("que tengo una cuenta Aspel", target_fixture="customer")
def any_account(request, mock_control, control_unavailable, tutorial_moment, faker, faker_seed) -> Customer:
    if control_unavailable:
        return _env_customer(control_unavailable)
    if _shows_figures(request):
        return tutorial_customer(mock_control, faker)
    return new_customer(mock_control, faker, faker_seed, tutorial_moment.isoformat())


@given(
    parsers.re(
        r"que tengo Aspel NOI 9\.0 en (?P<modalidad>suscripción|licenciamiento)"
        r"(?: (?P<periodicidad>mensual|semestral|anual))?(?: con (?P<usuarios>\d+) usuarios)?$"
    ),
    target_fixture="customer",
)
def noi_account(
    request, mock_control, control_unavailable, tutorial_world, faker, faker_seed, modalidad, periodicidad, usuarios
) -> Customer:
    """The tutorial's row (9.0, 01/02/2022 → 01/04/2022) in the modality the step names; without
    mock control, the test account's (which holds it in monthly subscription, 1 user)."""
    modalidad = "suscripcion" if modalidad == "suscripción" else "licenciamiento"
    periodicidad, usuarios = periodicidad or "mensual", int(usuarios or 1)
    if control_unavailable:
        if (modalidad, periodicidad, usuarios) != TEST_ACCOUNT_HOLDS:
            pytest.skip(
                "sin API de control: la cuenta de prueba tiene Aspel NOI 9.0 en suscripción mensual "
                "con 1 usuario, y este escenario pide otra modalidad"
            )
        customer = _env_customer(control_unavailable)
        if not customer.series:
            customer.series = [
                read_noi_9_serial(request.getfixturevalue("browser"), request.getfixturevalue("base_url"), customer)
            ]
        return customer
    if _shows_figures(request):
        shown = (tutorial_world["modalidad"], tutorial_world["periodicidad"], tutorial_world["usuarios"])
        assert (modalidad, periodicidad, usuarios) == shown, (
            f"Una figura muestra el mundo del tutorial ({shown}); este escenario pide {(modalidad, periodicidad, usuarios)}."
        )
        return tutorial_customer(mock_control, faker)
    return new_customer(
        mock_control,
        faker,
        faker_seed,
        tutorial_world["moment"],
        modalidad=modalidad,
        periodicidad=periodicidad,
        series=[{**TUTORIAL_SERIE, "usuarios": usuarios}],
    )


@when(parsers.parse('doy clic en "{name}"'))
def click(page: Page, name: str):
    AnyScreen(page).click_on(name)


@then("la ventana muestra el texto que el tutorial cita")
def shows_quoted_text(page: Page, request: pytest.FixtureRequest):
    """The ``>`` lines of the scenario's description are what its figure shows: the document prints
    the figure instead of the quote, so each line must be on the screen, word for word."""
    lines = quoted_screen_text(scenario_reports_registry[request.node].scenario.description)
    assert lines, "El escenario no cita ningún texto de la ventana (líneas «>» en su descripción)"
    for line in lines:
        expect(AnyScreen(page).body, f"la ventana no muestra «{line}»").to_contain_text(line, use_inner_text=True)


@then(parsers.parse('veo el mensaje "{text}"'))
def see_message(page: Page, text: str):
    expect(AnyScreen(page).message(text)).to_be_visible()


@then(FIGURE_STEP)
def capture_figure(page: Page, camera, number: str, caption: str, tail: str):
    """The figure as the step declares it: boxes, numbered badges, arrows, notes, blur, regions left
    out of the comparison, a crop, a mask (tutorial/figuras/annotations.py reads the tail)."""
    camera.shoot(page, int(number), caption=f"Figura {number} {caption}", **figure_targets(page, tail))


@then(parsers.parse("veo la ventana {title}"))
def see_window(page: Page, title: str):
    expect(AnyScreen(page).window(title)).to_be_visible()
