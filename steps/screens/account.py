"""aspel.com.mx's home, the MI CUENTA ASPEL window, inside Mi cuenta Aspel, and the password
recovery pages (RECUPERA TU CONTRASEÑA, CAMBIA TU CONTRASEÑA)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playwright.sync_api import Locator, Page

from steps.screens import Screen, by_visible_name
from tutorial.actions import click, fill
from tutorial.sitio.mock_client import MockControl

if TYPE_CHECKING:
    from playwright._impl._api_structures import SetCookieParam


class Home(Screen):
    """aspel.com.mx's home page."""

    PATH = "/"

    def open(self) -> Home:
        self.page.goto(self.PATH)
        return self

    @property
    def account_link(self) -> Locator:
        return self.page.get_by_role("link", name="Mi cuenta Aspel", exact=True)


class LoginScreen(Screen):
    """The MI CUENTA ASPEL window."""

    TITLE = "MI CUENTA ASPEL"
    PATH = "/mi-cuenta/iniciar-sesion"
    FORGOTTEN = "¿Olvidaste tu contraseña?"

    @property
    def user_field(self) -> Locator:
        return self.page.get_by_label("Usuario")

    @property
    def alert(self) -> Locator:
        """The window's one alert (a refused log-in, a locked account)."""
        return self.page.get_by_role("alert")

    def open(self) -> LoginScreen:
        """From the home page, as the tutorial does: *Mi cuenta Aspel*."""
        click(Home(self.page).open().account_link)
        self.title.wait_for()
        return self

    def fill_in(self, usuario: str, password: str) -> None:
        fill(self.user_field, usuario)
        fill(self.page.get_by_label("Contraseña"), password)

    def submit(self) -> None:
        click(self.page.get_by_role("button", name="Iniciar sesión"))

    def send(self, usuario: str, password: str) -> None:
        """The window's form filled and sent; what the site answers is for the caller to check."""
        self.fill_in(usuario, password)
        self.submit()

    def log_in(self, usuario: str, password: str) -> MyAccount:
        """From the home page through this window to inside Mi cuenta Aspel."""
        self.open().send(usuario, password)
        account = MyAccount(self.page)
        account.services_menu.wait_for()
        return account

    def forgot_password(self) -> RecoveryRequest:
        """*¿Olvidaste tu contraseña?*: the window that asks whose password to recover."""
        click(by_visible_name(self.page, self.FORGOTTEN))
        return RecoveryRequest(self.page)


class MyAccount(Screen):
    """Inside Mi cuenta Aspel: the banner with the customer's name, the menu, the account's data."""

    PATH = "/mi-cuenta/"

    def open(self) -> MyAccount:
        """The account's address typed in the browser."""
        self.page.goto(self.PATH)
        return self

    def enter(self, session_cookie: SetCookieParam) -> MyAccount:
        """Inside with the cookie *Iniciar sesión* would have set (the mock control API's log-in,
        ``MockControl.session_cookie``), without the log-in window."""
        self.page.context.add_cookies([session_cookie])
        self.open().services_menu.wait_for()
        return self

    @property
    def services_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Mi cuenta").get_by_text("Mis servicios", exact=True)

    @property
    def subscriptions_link(self) -> Locator:
        return self.page.get_by_role("link", name="Suscripciones", exact=True)

    @property
    def main(self) -> Locator:
        """The page's content: the account's data (razón social, RFC…)."""
        return self.page.get_by_role("main")

    def banner_name(self, nombre: str) -> Locator:
        return self.page.get_by_role("banner").get_by_text(nombre)

    def open_services_menu(self) -> None:
        click(self.services_menu)
        self.subscriptions_link.wait_for()


def signed_in(page: Page, usuario: str, password: str, control: MockControl | None) -> MyAccount:
    """Where «que inicié sesión» puts the customer. With mock control, the browser gets the cookie
    the log-in window would give (a Given states where the customer is; the window has scenarios
    of its own); a site without mock control (``control`` None) is entered through the window."""
    if control is None:
        return LoginScreen(page).log_in(usuario, password)
    return MyAccount(page).enter(control.session_cookie(usuario))


def holding_session(page: Page, usuario: str, password: str, control: MockControl | None) -> None:
    """The browser holds the customer's session, for a Given that goes on to another page of the
    account by its address: with mock control only the cookie (no page drawn before the one the
    Given names); without it, through the log-in window."""
    if control is None:
        LoginScreen(page).log_in(usuario, password)
    else:
        page.context.add_cookies([control.session_cookie(usuario)])


class RecoveryRequest(Screen):
    """RECUPERA TU CONTRASEÑA: whose password, by user name or registered e-mail."""

    FIELD = "Usuario o correo electrónico"
    PATH = "/mi-cuenta/recuperar-contrasena/"

    def open(self) -> RecoveryRequest:
        """The window's address typed in the browser (``LoginScreen.forgot_password`` is the way
        the tutorial reaches it)."""
        self.page.goto(self.PATH)
        self.page.get_by_label(self.FIELD).wait_for()
        return self

    @property
    def answer(self) -> Locator:
        """What the site answers a request (the same words whoever asked)."""
        return self.page.get_by_role("status")

    def send(self, who: str) -> None:
        fill(self.page.get_by_label(self.FIELD), who)
        click(self.page.get_by_role("button", name="Enviar"))


class PasswordReset(Screen):
    """CAMBIA TU CONTRASEÑA: the window the mailed link opens."""

    TITLE = "CAMBIA TU CONTRASEÑA"
    NEW_PASSWORD = "Nueva contraseña"
    CONFIRMATION = "Confirma la contraseña"

    @property
    def new_password_field(self) -> Locator:
        return self.page.get_by_label(self.NEW_PASSWORD, exact=True)

    def change(self, password: str, confirmation: str) -> None:
        fill(self.new_password_field, password)
        fill(self.page.get_by_label(self.CONFIRMATION, exact=True), confirmation)
        click(self.page.get_by_role("button", name="Cambiar contraseña"))
