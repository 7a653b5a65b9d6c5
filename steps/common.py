"""Steps every screen shares: who the customer is, clicking by visible text, figures, messages."""
from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.support.annotations import CROP, FIGURE_STEP_PATTERN, MASK, parse_tail
from steps.support.customer import (
    ENV_PASSWORD,
    ENV_SERIAL,
    ENV_USER,
    TUTORIAL_SERIE,
    Customer,
    customer_from_env,
    new_customer,
    tutorial_customer,
)

FIGURE_STEP = parsers.re(FIGURE_STEP_PATTERN)


def by_visible_name(page: Page, name: str) -> Locator:
    """What the tutorial names in bold: a link, a button, a heading, a dialog, by its Spanish text."""
    return (
        page.get_by_role("link", name=name, exact=True)
        .or_(page.get_by_role("button", name=name, exact=True))
        .or_(page.get_by_role("dialog", name=name, exact=True))
        .or_(page.get_by_role("heading", name=name, exact=True))
        .or_(page.get_by_role("group", name=name, exact=True))
        .or_(page.get_by_role("navigation", name=name, exact=True))
        .or_(page.get_by_role("columnheader", name=name, exact=True))
    ).first


@pytest.fixture
def customer_holder() -> dict:
    """Filled by a Given step; a dict so that later steps see the same customer."""
    return {}


@pytest.fixture
def customer(customer_holder: dict) -> Customer:
    if "customer" not in customer_holder:
        pytest.fail("El escenario no dijo quién es el cliente (falta un paso «Dado que tengo…»).")
    return customer_holder["customer"]


def _shows_figures(request: pytest.FixtureRequest) -> bool:
    """A @figura scenario shows the tutorial's world: its customer, its serial, its moment."""
    return request.node.get_closest_marker("figura") is not None


# Without mock control the scenarios log in as the test account the env names; it must hold what
# the tutorial's customer holds (README, «Running the scenarios elsewhere»).
TEST_ACCOUNT_HOLDS = ("suscripcion", "mensual", 1)
GRID = "/mi-cuenta/mis-servicios/suscripciones"


def _env_customer(control_unavailable: str) -> Customer:
    found = customer_from_env()
    if found is None:
        pytest.skip(f"sin API de control ({control_unavailable}) ni cuenta de prueba: define {ENV_USER} y {ENV_PASSWORD}")
    return found


def read_noi_9_serial(browser: Browser, base_url: str, customer: Customer) -> str:
    """The account's Aspel NOI 9.0 serial as its grid shows it, read in a browser context of its
    own (the scenario's page stays where it was, logged out)."""
    context = browser.new_context(base_url=base_url, locale="es-MX")
    try:
        page = context.new_page()
        page.goto("/mi-cuenta/iniciar-sesion")
        page.get_by_label("Usuario").fill(customer.usuario)
        page.get_by_label("Contraseña").fill(customer.password)
        page.get_by_role("button", name="Iniciar sesión").click()
        page.wait_for_url(lambda url: "iniciar-sesion" not in url)
        page.goto(GRID)
        headers = page.get_by_role("columnheader")
        expect(headers.first).to_be_visible()
        serial_column = [text.strip() for text in headers.all_inner_texts()].index("No. serie")
        rows = (page.get_by_role("row")
                .filter(has=page.get_by_role("cell", name="Aspel NOI", exact=True))
                .filter(has=page.get_by_role("cell", name="9.0", exact=True)))
        if rows.count() != 1:
            pytest.fail(f"La cuenta de prueba {customer.usuario} debe tener una serie de Aspel NOI 9.0 en "
                        f"{GRID}; tiene {rows.count()} (o defina {ENV_SERIAL}).")
        return rows.get_by_role("cell").nth(serial_column).inner_text().strip()
    finally:
        context.close()


@given("que tengo una cuenta Aspel")
def any_account(request, customer_holder, mock_control, control_unavailable, tutorial_moment, faker, faker_seed):
    if control_unavailable:
        customer_holder["customer"] = _env_customer(control_unavailable)
    elif _shows_figures(request):
        customer_holder["customer"] = tutorial_customer(mock_control, faker)
    else:
        customer_holder["customer"] = new_customer(mock_control, faker, faker_seed, tutorial_moment.isoformat())


@given(parsers.re(
    r"que tengo Aspel NOI 9\.0 en (?P<modalidad>suscripción|licenciamiento)"
    r"(?: (?P<periodicidad>mensual|semestral|anual))?(?: con (?P<usuarios>\d+) usuarios)?$"
))
def noi_account(request, customer_holder, mock_control, control_unavailable, tutorial_world, faker, faker_seed,
                modalidad, periodicidad, usuarios):
    """The tutorial's row (9.0, 01/02/2022 → 01/04/2022) in the modality the step names; without
    mock control, the test account's (which holds it in monthly subscription, 1 user)."""
    modalidad = "suscripcion" if modalidad == "suscripción" else "licenciamiento"
    periodicidad, usuarios = periodicidad or "mensual", int(usuarios or 1)
    if control_unavailable:
        if (modalidad, periodicidad, usuarios) != TEST_ACCOUNT_HOLDS:
            pytest.skip("sin API de control: la cuenta de prueba tiene Aspel NOI 9.0 en suscripción mensual "
                        "con 1 usuario, y este escenario pide otra modalidad")
        customer = _env_customer(control_unavailable)
        if not customer.series:
            customer.series = [read_noi_9_serial(
                request.getfixturevalue("browser"), request.getfixturevalue("base_url"), customer,
            )]
        customer_holder["customer"] = customer
        return
    if _shows_figures(request):
        shown = (tutorial_world["modalidad"], tutorial_world["periodicidad"], tutorial_world["usuarios"])
        assert (modalidad, periodicidad, usuarios) == shown, (
            f"Una figura muestra el mundo del tutorial ({shown}); este escenario pide {(modalidad, periodicidad, usuarios)}."
        )
        customer_holder["customer"] = tutorial_customer(mock_control, faker)
        return
    customer_holder["customer"] = new_customer(
        mock_control, faker, faker_seed, tutorial_world["moment"],
        modalidad=modalidad, periodicidad=periodicidad, series=[{**TUTORIAL_SERIE, "usuarios": usuarios}],
    )


@when(parsers.parse('doy clic en "{name}"'))
def click(page: Page, name: str):
    by_visible_name(page, name).click()


@then(parsers.parse('veo el mensaje "{text}"'))
def see_message(page: Page, text: str):
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).filter(has_text=text).first).to_be_visible()


@given(FIGURE_STEP)
@when(FIGURE_STEP)
@then(FIGURE_STEP)
def capture_figure(page: Page, camera, number: str, caption: str, tail: str):
    """The figure as the step declares it: boxes, numbered badges, arrows, notes, blur, regions left
    out of the comparison, a crop, a mask (steps/support/annotations.py reads the tail)."""
    declared = parse_tail(tail)
    crops = [a.target for a in declared if a.kind == CROP]
    camera.shoot(
        page,
        int(number),
        crop=by_visible_name(page, crops[0]) if crops else None,
        mask=[page.get_by_text(a.target, exact=True) for a in declared if a.kind == MASK],
        marks=[a for a in declared if a.kind not in (CROP, MASK)],
        locate=lambda name: by_visible_name(page, name),
        caption=f"Figura {number} {caption}",
    )


@then(parsers.parse("veo la ventana {title}"))
def see_window(page: Page, title: str):
    expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
