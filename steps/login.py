"""The MI CUENTA ASPEL log-in window."""

from __future__ import annotations

from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import AnyScreen
from steps.screens.account import LoginScreen, MyAccount, signed_in
from tutorial.sitio.customer import Customer
from tutorial.sitio.mock_client import MockControl


def _inside_my_account(account: MyAccount, customer: Customer) -> None:
    """The banner names the customer (when the account has a name) and the menu is there."""
    if customer.nombre:
        expect(account.banner_name(customer.nombre)).to_be_visible()
    expect(account.services_menu).to_be_visible()


@when("abro la ventana MI CUENTA ASPEL")
def open_login_window(page: Page):
    expect(LoginScreen(page).open().title).to_be_visible()


@when("escribo mi usuario y mi contraseña")
def type_credentials(page: Page, customer: Customer):
    LoginScreen(page).fill_in(customer.usuario, customer.password)


@when("escribo mi usuario y una contraseña equivocada")
def type_wrong_password(page: Page, customer: Customer):
    LoginScreen(page).fill_in(customer.usuario, customer.password + "-no")


@when("intento iniciar sesión con mi usuario y mi contraseña")
def try_to_log_in(page: Page, customer: Customer):
    """The form sent with the right credentials; the next step says what the site answered."""
    LoginScreen(page).send(customer.usuario, customer.password)


@when("inicio sesión en Mi cuenta Aspel")
def log_in(page: Page, customer: Customer):
    _inside_my_account(LoginScreen(page).log_in(customer.usuario, customer.password), customer)


@given("que inicié sesión en Mi cuenta Aspel")
def logged_in(page: Page, customer: Customer, site_control: MockControl | None):
    _inside_my_account(signed_in(page, customer.usuario, customer.password, site_control), customer)


@then("estoy dentro de mi cuenta Aspel con mi nombre y el menú Mis servicios")
def see_my_account(page: Page, customer: Customer):
    _inside_my_account(MyAccount(page), customer)


@then("sigo en la ventana MI CUENTA ASPEL")
def still_on_login(page: Page):
    expect(LoginScreen(page).title).to_be_visible()
    expect(MyAccount(page).services_menu).to_have_count(0)


@then(parsers.parse('veo junto al campo {field} el aviso "{text}"'))
def see_field_message(page: Page, field: str, text: str):
    expect(AnyScreen(page).field(field)).to_have_accessible_description(text)
