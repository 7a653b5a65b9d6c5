"""The customer's PC: Inicio menu, Aspel-AL and Otros sistemas, Aspel NOI and its activation (term 6)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from playwright.sync_api import Locator, Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import NEW_VERSION, AspelAL, Desktop, download
from steps.support.sitio.customer import Customer
from steps.support.sitio.downloads import SavedDownload

WIZARD = "/escritorio/noi/activacion"
WIZARD_TITLE = "Asistente de activación"
# In the format of Aspel serials (INL, nine characters, a check character) and never issued:
# the site's serials are keyed digests, and this one is written by hand.
UNKNOWN_SERIAL = "INLXYZ234567G"


def start_menu(page: Page) -> Locator:
    return Desktop(page).start_menu


def window(page: Page, title: str) -> Locator:
    return Desktop(page).window(title)


# --- the desktop and its Inicio menu ----------------------------------------------------------


@given("que estoy en el escritorio de mi equipo con Aspel NOI 9.0 instalado")
def on_my_desktop(page: Page, customer: Customer):
    """My PC: Aspel NOI 9.0 installed with my serial (the desktop's address carries it)."""
    expect(Desktop(page).open(customer.serie).start_button).to_be_visible()


@when("abro Inicio > Todos los programas > Aspel")
def open_aspel_folder(page: Page):
    expect(Desktop(page).open_aspel_folder()).to_be_visible()


@when(parsers.parse('busco "{text}" desde el botón Inicio'))
def search_from_start(page: Page, text: str):
    Desktop(page).start_button.click()
    start_menu(page).get_by_label("Buscar programas y archivos").fill(text)


@then(parsers.parse('el menú Inicio encuentra sólo "{name}"'))
def start_menu_finds(page: Page, name: str):
    found = start_menu(page).get_by_role("link")
    expect(found).to_have_count(1)
    expect(found).to_have_accessible_name(name)


# --- Aspel-AL ---------------------------------------------------------------------------------


def start_program(page: Page, customer: Customer, program: str) -> None:
    """On the customer's desktop, the program opened from Inicio; its window is on screen."""
    Desktop(page).open(customer.serie).start(program)
    expect(window(page, program)).to_be_visible()


@given("que abrí Aspel-AL en mi equipo")
def open_aspel_al(page: Page, customer: Customer):
    start_program(page, customer, "Aspel-AL")


@when("entro a la sección Otros sistemas")
def open_other_systems(page: Page):
    AspelAL(page).open_section("Otros sistemas")
    expect(window(page, "Otros sistemas")).to_be_visible()


@then("Otros sistemas ofrece Aspel NOI 10.0 para descargar")
def offers_new_version(page: Page):
    offer = page.get_by_role("region", name=NEW_VERSION, exact=True)
    expect(offer).to_be_visible()
    expect(offer.get_by_role("link", name=f"Descargar {NEW_VERSION}", exact=True)).to_be_visible()


@then("Otros sistemas no ofrece ningún sistema para descargar")
def offers_nothing(page: Page):
    expect(page.get_by_role("link", name="Descargar", exact=False)).to_have_count(0)


@when("descargo Aspel NOI 10.0 desde Otros sistemas", target_fixture="downloaded")
def download_from_aspel_al(page: Page, tmp_path: Path) -> SavedDownload:
    return download(page.get_by_role("link", name=f"Descargar {NEW_VERSION}", exact=True), tmp_path)


# --- Aspel NOI on the PC ----------------------------------------------------------------------


@when("abro Aspel NOI 9.0 en mi equipo")
def open_noi_9(page: Page, customer: Customer):
    start_program(page, customer, "Aspel NOI 9.0")


@then("Aspel NOI 9.0 se abre en modo consulta")
def opens_read_only(page: Page):
    expect(page.get_by_role("alert").filter(has_text="Inactiva")).to_be_visible()
    expect(page.get_by_text("Modo consulta", exact=True)).to_be_visible()


@then("Aspel NOI 9.0 se abre con su serie activa")
def opens_active(page: Page):
    expect(page.get_by_role("status").filter(has_text="validó")).to_be_visible()
    expect(page.get_by_text("Sistema activo", exact=True)).to_be_visible()


# --- the Asistente de activación of Aspel NOI 10.0 (term 6) -----------------------------------


@when("abro el Asistente de activación de Aspel NOI 10.0")
def open_wizard(page: Page):
    """As after installing NOI 10.0: the wizard opens on its own."""
    page.goto(WIZARD)
    expect(window(page, WIZARD_TITLE)).to_be_visible()


@when("escribo mi nuevo número de serie")
def type_new_serial(page: Page, nueva_serie: str):
    page.get_by_label("Número de serie").fill(nueva_serie)


@when("escribo mi número de serie de Aspel NOI 9.0")
def type_old_serial(page: Page, customer: Customer):
    page.get_by_label("Número de serie").fill(customer.serie)


@when("escribo un número de serie que no existe")
def type_unknown_serial(page: Page):
    page.get_by_label("Número de serie").fill(UNKNOWN_SERIAL)


@when("escribo como razón social la que registré en aspel.com")
def type_registered_name(page: Page, customer: Customer):
    page.get_by_label("Razón social").fill(customer.razon_social)


@when("escribo como razón social la que registré en aspel.com en mayúsculas, sin acentos y con espacios de más")
def type_registered_name_loosely(page: Page, customer: Customer):
    without_accents = "".join(
        c for c in unicodedata.normalize("NFD", customer.razon_social) if not unicodedata.combining(c)
    )
    loose = "  " + "   ".join(without_accents.upper().split()) + " "
    page.get_by_label("Razón social").fill(loose)


@when(parsers.parse('escribo como razón social "{name}"'))
def type_other_name(page: Page, name: str):
    page.get_by_label("Razón social").fill(name)


@then("Aspel NOI 10.0 queda activado")
def activated(page: Page):
    expect(window(page, "Aspel NOI 10.0")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Aspel NOI 10.0 se activó")).to_be_visible()


@then("Aspel NOI 10.0 no se activa")
def not_activated(page: Page):
    expect(window(page, WIZARD_TITLE)).to_be_visible()
    expect(window(page, "Aspel NOI 10.0")).to_have_count(0)


@given("que activé Aspel NOI 10.0 con la razón social que registré en aspel.com")
def activate(page: Page, customer: Customer, nueva_serie: str):
    open_wizard(page)
    type_new_serial(page, nueva_serie)
    type_registered_name(page, customer)
    page.get_by_role("button", name="Activar", exact=True).click()
    activated(page)


@when(parsers.parse('cambio en la configuración del sistema la razón social de mis reportes y recibos a "{name}"'))
def change_printed_name(page: Page, name: str):
    page.get_by_role("navigation", name="Menú de Aspel NOI 10.0").get_by_role(
        "link", name="Configuración", exact=True
    ).click()
    expect(window(page, "Configuración")).to_be_visible()
    page.get_by_label("Razón social en reportes y recibos").fill(name)
    page.get_by_role("button", name="Guardar", exact=True).click()


def _printouts(page: Page) -> list[Locator]:
    return [page.get_by_role("article", name=title, exact=True) for title in ("Recibo de nómina", "Reporte de nómina")]


@then(parsers.parse('mis reportes y recibos se imprimen con la razón social "{name}"'))
def printed_with(page: Page, name: str):
    for printout in _printouts(page):
        expect(printout.get_by_text(name, exact=True)).to_be_visible()


@then("mis reportes y recibos se imprimen con la razón social que registré en aspel.com")
def printed_with_registered(page: Page, customer: Customer):
    printed_with(page, customer.razon_social)


@then("mi razón social registrada en aspel.com sigue siendo la misma")
def registered_name_unchanged(page: Page, customer: Customer):
    page.goto("/mi-cuenta/")
    expect(page.get_by_role("main")).to_contain_text(customer.razon_social)
