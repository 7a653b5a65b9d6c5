"""The MI CUENTA ASPEL log-in window."""
from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.common import by_visible_name
from steps.support.customer import Customer


@given("que abro la ventana MI CUENTA ASPEL")
@when("abro la ventana MI CUENTA ASPEL")
def open_login_window(page: Page):
    page.goto("/")
    by_visible_name(page, "Mi cuenta Aspel").click()
    expect(page.get_by_role("heading", name="MI CUENTA ASPEL")).to_be_visible()


@when("escribo mi usuario y mi contraseña")
def type_credentials(page: Page, customer: Customer):
    page.get_by_label("Usuario").fill(customer.usuario)
    page.get_by_label("Contraseña").fill(customer.password)


@when("escribo mi usuario y una contraseña equivocada")
def type_wrong_password(page: Page, customer: Customer):
    page.get_by_label("Usuario").fill(customer.usuario)
    page.get_by_label("Contraseña").fill(customer.password + "-no")


@given("que inicié sesión en Mi cuenta Aspel")
@when("inicio sesión en Mi cuenta Aspel")
def log_in(page: Page, customer: Customer):
    open_login_window(page)
    type_credentials(page, customer)
    page.get_by_role("button", name="Iniciar sesión").click()
    see_my_account(page, customer)


@then("estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios")
def see_my_account(page: Page, customer: Customer):
    if customer.nombre:
        expect(page.get_by_role("banner").get_by_text(customer.nombre)).to_be_visible()
    expect(_services_menu(page)).to_be_visible()


@then("sigo en la ventana MI CUENTA ASPEL")
def still_on_login(page: Page):
    expect(page.get_by_role("heading", name="MI CUENTA ASPEL")).to_be_visible()
    expect(_services_menu(page)).to_have_count(0)


@then(parsers.parse('veo junto al campo {field} el aviso "{text}"'))
def see_field_message(page: Page, field: str, text: str):
    expect(page.get_by_label(field)).to_have_accessible_description(text)


def _services_menu(page: Page):
    return page.get_by_role("navigation", name="Mi cuenta").get_by_text("Mis servicios", exact=True)
