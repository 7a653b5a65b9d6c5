"""The customer's PC: Inicio menu, Aspel-AL and Otros sistemas, Aspel NOI and its activation (term 6)."""

from __future__ import annotations

import unicodedata

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import NEW_VERSION
from steps.screens.account import MyAccount
from steps.screens.desktop import ActivationWizard, AspelAL, AspelNoi, Desktop
from steps.screens.downloads import StartedDownload, download
from tutorial.sitio.customer import Customer

# In the format of Aspel serials (INL, nine characters, a check character) and never issued:
# the site's serials are keyed digests, and this one is written by hand.
UNKNOWN_SERIAL = "INLXYZ234567G"


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
    Desktop(page).search(text)


@then(parsers.parse('el menú Inicio encuentra sólo "{name}"'))
def start_menu_finds(page: Page, name: str):
    found = Desktop(page).programs_found
    expect(found).to_have_count(1)
    expect(found).to_have_accessible_name(name)


# --- Aspel-AL ---------------------------------------------------------------------------------


def _start_program(page: Page, customer: Customer, program: str) -> None:
    """On the customer's desktop, the program opened from Inicio; its window is on screen."""
    desktop = Desktop(page).open(customer.serie)
    desktop.start(program)
    expect(desktop.window(program)).to_be_visible()


@given("que abrí Aspel-AL en mi equipo")
def open_aspel_al(page: Page, customer: Customer):
    _start_program(page, customer, "Aspel-AL")


@when("entro a la sección Otros sistemas")
def open_other_systems(page: Page):
    aspel_al = AspelAL(page)
    aspel_al.open_section("Otros sistemas")
    expect(aspel_al.window("Otros sistemas")).to_be_visible()


@then("Otros sistemas ofrece Aspel NOI 10.0 para descargar")
def offers_new_version(page: Page):
    aspel_al = AspelAL(page)
    expect(aspel_al.offer()).to_be_visible()
    expect(aspel_al.offered_download()).to_be_visible()


@then("Otros sistemas no ofrece ningún sistema para descargar")
def offers_nothing(page: Page):
    expect(AspelAL(page).download_links).to_have_count(0)


@when("descargo Aspel NOI 10.0 desde Otros sistemas", target_fixture="downloaded")
def download_from_aspel_al(page: Page) -> StartedDownload:
    return download(AspelAL(page).download_link())


# --- Aspel NOI on the PC ----------------------------------------------------------------------


@when("abro Aspel NOI 9.0 en mi equipo")
def open_noi_9(page: Page, customer: Customer):
    _start_program(page, customer, "Aspel NOI 9.0")


@then("Aspel NOI 9.0 se abre en modo consulta")
def opens_read_only(page: Page):
    noi = AspelNoi(page)
    expect(noi.inactive_alert).to_be_visible()
    expect(noi.read_only_mode).to_be_visible()


@then("Aspel NOI 9.0 se abre con su serie activa")
def opens_active(page: Page):
    noi = AspelNoi(page)
    expect(noi.validated_notice).to_be_visible()
    expect(noi.active_mode).to_be_visible()


# --- the Asistente de activación of Aspel NOI 10.0 (term 6) -----------------------------------


def _open_wizard(page: Page) -> ActivationWizard:
    wizard = ActivationWizard(page).open()
    expect(wizard.title).to_be_visible()
    return wizard


def _activated(page: Page) -> None:
    noi = AspelNoi(page)
    expect(noi.window(NEW_VERSION)).to_be_visible()
    expect(noi.activated_notice).to_be_visible()


def _printed_with(page: Page, name: str) -> None:
    for printed in AspelNoi(page).printed(name):
        expect(printed).to_be_visible()


@when("abro el Asistente de activación de Aspel NOI 10.0")
def open_wizard(page: Page):
    """As after installing NOI 10.0: the wizard opens on its own."""
    _open_wizard(page)


@when("escribo mi nuevo número de serie")
def type_new_serial(page: Page, nueva_serie: str):
    ActivationWizard(page).type_serial(nueva_serie)


@when("escribo mi número de serie de Aspel NOI 9.0")
def type_old_serial(page: Page, customer: Customer):
    ActivationWizard(page).type_serial(customer.serie)


@when("escribo un número de serie que no existe")
def type_unknown_serial(page: Page):
    ActivationWizard(page).type_serial(UNKNOWN_SERIAL)


@when("escribo como razón social la que registré en aspel.com")
def type_registered_name(page: Page, customer: Customer):
    ActivationWizard(page).type_razon_social(customer.razon_social)


@when("escribo como razón social la que registré en aspel.com en mayúsculas, sin acentos y con espacios de más")
def type_registered_name_loosely(page: Page, customer: Customer):
    without_accents = "".join(
        c for c in unicodedata.normalize("NFD", customer.razon_social) if not unicodedata.combining(c)
    )
    loose = "  " + "   ".join(without_accents.upper().split()) + " "
    ActivationWizard(page).type_razon_social(loose)


@when(parsers.parse('escribo como razón social "{name}"'))
def type_other_name(page: Page, name: str):
    ActivationWizard(page).type_razon_social(name)


@then("Aspel NOI 10.0 queda activado")
def activated(page: Page):
    _activated(page)


@then("Aspel NOI 10.0 no se activa")
def not_activated(page: Page):
    expect(ActivationWizard(page).title).to_be_visible()
    expect(AspelNoi(page).window(NEW_VERSION)).to_have_count(0)


@given("que activé Aspel NOI 10.0 con la razón social que registré en aspel.com")
def activate(page: Page, customer: Customer, nueva_serie: str):
    wizard = _open_wizard(page)
    wizard.type_serial(nueva_serie)
    wizard.type_razon_social(customer.razon_social)
    wizard.activate()
    _activated(page)


@when(parsers.parse('cambio en la configuración del sistema la razón social de mis reportes y recibos a "{name}"'))
def change_printed_name(page: Page, name: str):
    settings = AspelNoi(page).open_settings()
    expect(settings.title).to_be_visible()
    settings.save_printed_name(name)


@then(parsers.parse('mis reportes y recibos se imprimen con la razón social "{name}"'))
def printed_with(page: Page, name: str):
    _printed_with(page, name)


@then("mis reportes y recibos se imprimen con la razón social que registré en aspel.com")
def printed_with_registered(page: Page, customer: Customer):
    _printed_with(page, customer.razon_social)


@then("mi razón social registrada en aspel.com sigue siendo la misma")
def registered_name_unchanged(page: Page, customer: Customer):
    expect(MyAccount(page).open().main).to_contain_text(customer.razon_social)
