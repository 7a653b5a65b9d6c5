"""The site's screens, one small page object each, found by role, label and visible text only.

The steps (steps/*.py) and the benchmark's floor (bench/floor.py) reach every screen through
these, so a screen changes in one place. Page objects wait for what a screen shows (``wait_for``)
and leave the checks to the steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import APIResponse, Locator, Page

from steps.support.figuras.annotations import CROP, MASK, parse_tail
from steps.support.sitio.downloads import SavedDownload, save_download
from steps.support.sitio.mock_client import MockControl

NEW_VERSION = "Aspel NOI 10.0"  # what the upgrade offers: the download centre and Otros sistemas name it
RECOVERY_SUBJECT = "Recupera tu contraseña de Mi cuenta Aspel"  # the mail's subject, as the mailbox lists it

# The roles of what the tutorial names in bold, in the order a name is looked up: a dialog's own
# heading repeats the dialog's name, and the dialog comes first.
VISIBLE_NAME_ROLES = ("link", "button", "dialog", "heading", "group", "navigation", "columnheader")


def by_visible_name(page: Page, name: str) -> Locator:
    """What the tutorial names in bold (a link, a button, a dialog, a heading…), by its Spanish
    text: the first role above that names it on the screen now. When none does yet, any of them
    (Playwright waits for it on use); either way more than one match fails in strict mode."""
    candidates = [page.get_by_role(role, name=name, exact=True) for role in VISIBLE_NAME_ROLES]
    for candidate in candidates:
        if candidate.count():
            return candidate
    anyone = candidates[0]
    for candidate in candidates[1:]:
        anyone = anyone.or_(candidate)
    return anyone


@dataclass
class Screen:
    page: Page


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

    @property
    def title(self) -> Locator:
        return self.page.get_by_role("heading", name=self.TITLE, exact=True)

    def open(self) -> LoginScreen:
        """From the home page, as the tutorial does: *Mi cuenta Aspel*."""
        Home(self.page).open().account_link.click()
        self.title.wait_for()
        return self

    def fill(self, usuario: str, password: str) -> None:
        self.page.get_by_label("Usuario").fill(usuario)
        self.page.get_by_label("Contraseña").fill(password)

    def submit(self) -> None:
        self.page.get_by_role("button", name="Iniciar sesión").click()

    def send(self, usuario: str, password: str) -> None:
        """The window's form filled and sent; what the site answers is for the caller to check."""
        self.fill(usuario, password)
        self.submit()

    def log_in(self, usuario: str, password: str) -> MyAccount:
        """From the home page through this window to inside Mi cuenta Aspel."""
        self.open().send(usuario, password)
        account = MyAccount(self.page)
        account.services_menu.wait_for()
        return account


class MyAccount(Screen):
    """Inside Mi cuenta Aspel: the banner with the customer's name and the menu."""

    PATH = "/mi-cuenta/"

    def enter(self, session_cookie: dict) -> MyAccount:
        """Inside with the cookie *Iniciar sesión* would have set (the mock control API's log-in,
        ``MockControl.session_cookie``), without the log-in window."""
        self.page.context.add_cookies([session_cookie])
        self.page.goto(self.PATH)
        self.services_menu.wait_for()
        return self

    @property
    def services_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Mi cuenta").get_by_text("Mis servicios", exact=True)

    @property
    def subscriptions_link(self) -> Locator:
        return self.page.get_by_role("link", name="Suscripciones", exact=True)

    def banner_name(self, nombre: str) -> Locator:
        return self.page.get_by_role("banner").get_by_text(nombre)

    def open_services_menu(self) -> None:
        self.services_menu.click()
        self.subscriptions_link.wait_for()


def signed_in(page: Page, usuario: str, password: str, control: MockControl | None) -> MyAccount:
    """Where «que inicié sesión» puts the customer. With mock control, the browser gets the cookie
    the log-in window would give (a Given states where the customer is; the window has scenarios
    of its own); a site without mock control (``control`` None) is entered through the window."""
    if control is None:
        return LoginScreen(page).log_in(usuario, password)
    return MyAccount(page).enter(control.session_cookie(usuario))


class SubscriptionsGrid(Screen):
    """Mis servicios > Suscripciones: *Sistemas en Suscripción*."""

    PATH = "/mi-cuenta/mis-servicios/suscripciones"
    TITLE = "Sistemas en Suscripción"
    UPGRADE_ICON = "Actualiza la serie"

    @property
    def title(self) -> Locator:
        return self.page.get_by_role("heading", name=self.TITLE)

    def open_from_menu(self) -> SubscriptionsGrid:
        account = MyAccount(self.page)
        account.open_services_menu()
        account.subscriptions_link.click()
        self.title.wait_for()
        return self

    def goto(self, suffix: str = "") -> None:
        """The grid's address (or one under it), typed in the browser."""
        self.page.goto(self.PATH + suffix)

    def open(self) -> SubscriptionsGrid:
        """The grid's address typed in the browser, once the grid is on screen."""
        self.goto()
        self.title.wait_for()
        return self

    def fetch(self) -> APIResponse:
        """The grid's address asked for with the browser's session (its cookies, which the answer
        may renew) without drawing the page: what the site sees of a customer at work on it."""
        return self.page.request.get(self.PATH)

    def upgrade_address(self, serial: str) -> str:
        return f"/{serial}/actualizar"

    def row(self, serial: str) -> Locator:
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("cell", name=serial, exact=True))

    def rows_of_version(self, version: str) -> Locator:
        return self.page.get_by_role("row").filter(has=self.page.get_by_role("cell", name=version, exact=True))

    def upgrade_icon(self, serial: str) -> Locator:
        return self.row(serial).get_by_role("button", name=self.UPGRADE_ICON)

    def open_terms(self, serial: str) -> TermsDialog:
        self.upgrade_icon(serial).click()
        dialog = TermsDialog(self.page)
        dialog.box.wait_for()
        return dialog

    def column_header(self, column: str) -> Locator:
        return self.page.get_by_role("columnheader", name=column)

    def rows_read(self) -> list[list[str]]:
        """Every row under the headers, top to bottom, as a reader sees it: a group row's one cell
        (``Versión: 9.0``), or a serial's cells."""
        rows = self.page.get_by_role("table").get_by_role("row")
        return [cells for cells in (row.get_by_role("cell").all_inner_texts() for row in rows.all()) if cells]

    def column_values(self, column: str) -> list[str]:
        """The column's value in each serial's row, top to bottom."""
        index = self.column_header(column).evaluate("header => header.cellIndex")
        return [cells[index] for cells in self.rows_read() if len(cells) > index]

    def groups(self, column: str) -> list[tuple[str, list[str]]]:
        """Each group row's value, top to bottom, with the column's values of the rows under it
        (rows above the first group row are listed under the value None)."""
        index = self.column_header(column).evaluate("header => header.cellIndex")
        prefix = f"{column}: "
        groups: list[tuple[str | None, list[str]]] = [(None, [])]
        for cells in self.rows_read():
            if len(cells) == 1 and cells[0].startswith(prefix):
                groups.append((cells[0].removeprefix(prefix), []))
            else:
                groups[-1][1].append(cells[index])
        return groups if groups[0][1] else groups[1:]


def open_subscriptions(page: Page, usuario: str, password: str) -> SubscriptionsGrid:
    """Log in and go to Mis servicios > Suscripciones, as the tutorial does."""
    LoginScreen(page).log_in(usuario, password)
    return SubscriptionsGrid(page).open_from_menu()


class TermsDialog(Screen):
    """The dialog *Actualiza la versión de tu sistema* with the six terms."""

    NAME = "Actualiza la versión de tu sistema"
    NOTICE = "Se generó el número de serie"
    NEW_SERIAL = re.compile(r"número de serie (\w+) de Aspel NOI 10\.0")

    @property
    def box(self) -> Locator:
        return self.page.get_by_role("dialog", name=self.NAME)

    @property
    def accept_button(self) -> Locator:
        return self.box.get_by_role("button", name="Aceptar")

    def notice(self) -> Locator:
        """The grid's notice once the upgrade issued the new serial."""
        return self.page.get_by_role("status").filter(has_text=self.NOTICE)

    def accept(self) -> None:
        self.accept_button.click()

    def new_serial(self) -> str:
        """The new serial as the notice on screen names it."""
        text = self.notice().inner_text()
        match = self.NEW_SERIAL.search(text)
        assert match, f"el aviso no nombra la nueva serie: {text!r}"
        return match.group(1)


def upgrade(page: Page, serial: str) -> Locator:
    """Accept the upgrade of ``serial`` from the grid on screen; the notice naming the new serial."""
    dialog = SubscriptionsGrid(page).open_terms(serial)
    dialog.accept()
    notice = dialog.notice()
    notice.wait_for()
    return notice


class Mailbox(Screen):
    """The customer's mailbox (the mock's webmail page; the control API hands out its address)."""

    TITLE = "Recibidos"

    def open(self, control: MockControl, correo: str) -> Mailbox:
        """The mailbox of ``correo``, at the address the control API hands out with its messages."""
        messages = control.outbox(correo)
        assert messages, f"No llegó ningún correo a {correo}."
        self.page.goto(messages[-1]["buzon"])
        self.page.get_by_role("heading", name=self.TITLE, exact=True).wait_for()
        return self

    def messages(self, subject: str) -> Locator:
        return self.page.get_by_role("link", name=subject, exact=True)

    def open_newest(self, subject: str) -> Locator:
        """The newest message with that subject: the list shows the newest first, so the first
        link is the one (this ``first`` is about order)."""
        self.messages(subject).first.click()
        self.page.get_by_role("heading", name=subject, exact=True).wait_for()
        return self.page.get_by_role("article")


class DownloadCentre(Screen):
    """aspel.com/descargas."""

    PATH = "/descargas/"
    TITLE = "Centro de descargas"

    def open(self) -> DownloadCentre:
        self.page.goto(self.PATH)
        self.page.get_by_role("heading", name=self.TITLE, exact=True).wait_for()
        return self

    def card(self, name: str) -> Locator:
        return self.page.get_by_role("region", name=name, exact=True)

    def download_link(self, name: str) -> Locator:
        return self.card(name).get_by_role("link", name=f"Descargar {name}", exact=True)


def download(link: Locator, tmp_path: Path) -> SavedDownload:
    """Click ``link``, wait for the download to finish and keep what arrived in the scenario's
    temporary folder (save_as: any browser, local or remote)."""
    with link.page.expect_download() as info:
        link.click()
    return save_download(info.value, tmp_path / "descargas")


class Desktop(Screen):
    """The customer's PC: the desktop with Aspel NOI 9.0 installed and its Inicio menu."""

    PATH = "/escritorio/"

    @property
    def start_button(self) -> Locator:
        return self.page.get_by_role("button", name="Inicio", exact=True)

    @property
    def start_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Menú Inicio")

    def open(self, serial: str) -> Desktop:
        """My PC: Aspel NOI 9.0 installed with my serial (the desktop's address carries it)."""
        self.page.goto(f"{self.PATH}?serie={serial}")
        self.start_button.wait_for()
        return self

    def program(self, name: str) -> Locator:
        return self.start_menu.get_by_role("link", name=name, exact=True)

    def open_aspel_folder(self) -> Locator:
        """Inicio > Todos los programas > Aspel; the Aspel-AL entry it shows."""
        self.start_button.click()
        self.start_menu.get_by_role("button", name="Todos los programas", exact=True).click()
        self.start_menu.get_by_role("button", name="Aspel", exact=True).click()
        entry = self.program("Aspel-AL")
        entry.wait_for()
        return entry

    def window(self, title: str) -> Locator:
        return self.page.get_by_role("heading", name=title, exact=True)

    def start(self, program: str) -> None:
        """Open ``program`` from the Aspel folder of the Inicio menu."""
        self.open_aspel_folder()
        self.program(program).click()
        self.window(program).wait_for()


class AspelAL(Desktop):
    """Aspel-AL on the PC, with its sections."""

    @property
    def sections(self) -> Locator:
        return self.page.get_by_role("navigation", name="Secciones de Aspel-AL")

    def section_link(self, name: str) -> Locator:
        return self.sections.get_by_role("link", name=name, exact=True)

    def open_section(self, name: str) -> None:
        self.section_link(name).click()
        self.window(name).wait_for()


def figure_targets(page: Page, tail: str) -> dict:
    """What a figure step's tail declares (boxes, badges, arrows, notes, blur, a crop, a mask) as
    :meth:`Camera.picture`'s arguments, the targets found by visible name. The figure step and
    the floor both shoot with these."""
    declared = parse_tail(tail)
    crops = [a.target for a in declared if a.kind == CROP]
    return {
        "crop": by_visible_name(page, crops[0]) if crops else None,
        "mask": [page.get_by_text(a.target, exact=True) for a in declared if a.kind == MASK],
        "marks": [a for a in declared if a.kind not in (CROP, MASK)],
        "locate": lambda name: by_visible_name(page, name),
    }
