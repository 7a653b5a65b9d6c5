"""Mis servicios > Suscripciones: the grid *Sistemas en Suscripción* and the dialog *Actualiza la
versión de tu sistema* with the six terms."""

from __future__ import annotations

import re

from playwright.sync_api import APIResponse, Locator, Page, expect

from steps.screens import Screen
from steps.screens.account import LoginScreen, MyAccount, holding_session, signed_in
from tutorial.actions import click
from tutorial.sitio.mock_client import MockControl

GROUP_PANEL_HINT = "Arrastra una columna aquí para agrupar por ella"


class SubscriptionsGrid(Screen):
    """Mis servicios > Suscripciones: *Sistemas en Suscripción*."""

    PATH = "/mi-cuenta/mis-servicios/suscripciones"
    TITLE = "Sistemas en Suscripción"
    UPGRADE_ICON = "Actualiza la serie"

    @property
    def table(self) -> Locator:
        return self.page.get_by_role("table")

    @property
    def any_grid(self) -> Locator:
        """A grid of serials of any kind (a table or an ARIA grid)."""
        return self.page.get_by_role("grid").or_(self.table)

    @property
    def status(self) -> Locator:
        """The page's status notice (what the upgrade issued, and on what terms)."""
        return self.page.get_by_role("status")

    def open_from_menu(self) -> SubscriptionsGrid:
        account = MyAccount(self.page)
        account.open_services_menu()
        click(account.subscriptions_link)
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

    def rows_of_system(self, system: str, version: str) -> Locator:
        return self.rows_of_version(version).filter(has=self.page.get_by_role("cell", name=system, exact=True))

    def cell(self, serial: str, text: str) -> Locator:
        """The cell of ``serial``'s row that reads ``text``."""
        return self.row(serial).get_by_role("cell", name=text, exact=True)

    def row_button(self, serial: str, name: str) -> Locator:
        return self.row(serial).get_by_role("button", name=name)

    def upgrade_icon(self, serial: str) -> Locator:
        return self.row_button(serial, self.UPGRADE_ICON)

    def open_terms(self, serial: str) -> TermsDialog:
        click(self.upgrade_icon(serial))
        dialog = TermsDialog(self.page)
        dialog.box.wait_for()
        return dialog

    def column_header(self, column: str) -> Locator:
        return self.page.get_by_role("columnheader", name=column)

    def header_reading(self, column: str) -> Locator:
        """The header whose text reads ``column`` (whatever its accessible name adds)."""
        return self.page.get_by_role("columnheader").filter(has_text=column)

    def text_in_column(self, row: Locator, column: str) -> str:
        """What ``row`` shows under ``column``: the cell at the column's place among the headers."""
        headers = [text.strip() for text in self.page.get_by_role("columnheader").all_inner_texts()]
        return row.get_by_role("cell").nth(headers.index(column)).inner_text().strip()

    def ready_table(self) -> Locator:
        """The grid once grid.js has bound it (it clears ``aria-busy``): a click before would be lost."""
        expect(self.table).to_have_attribute("aria-busy", "false")
        return self.table

    def ready_header(self, column: str, exact: bool = False) -> Locator:
        return self.ready_table().get_by_role("columnheader", name=column, exact=exact)

    @property
    def group_panel(self) -> Locator:
        """Where a column is dropped to group by it: the panel's hint (the drop reaches the panel)."""
        return self.page.get_by_text(GROUP_PANEL_HINT)

    def group_by(self, column: str) -> None:
        self.ready_header(column).drag_to(self.group_panel)

    def ungroup(self, column: str) -> None:
        """The grouping's button dragged out of the panel, back onto the grid."""
        self.page.get_by_role("button", name=column, exact=True).drag_to(self.table)

    def sort_by(self, column: str) -> None:
        click(self.ready_header(column))

    def group_rows(self, column: str) -> Locator:
        """The grid's group rows read "<column>: <value>", as DevExtreme's do."""
        return self.page.get_by_role("row").filter(has_text=re.compile(rf"^{re.escape(column)}: "))

    def rows_read(self) -> list[list[str]]:
        """Every row under the headers, top to bottom, as a reader sees it: a group row's one cell
        (``Versión: 9.0``), or a serial's cells."""
        rows = self.table.get_by_role("row")
        return [cells for cells in (row.get_by_role("cell").all_inner_texts() for row in rows.all()) if cells]

    def column_values(self, column: str) -> list[str]:
        """The column's value in each serial's row, top to bottom."""
        index = self.column_header(column).evaluate("header => header.cellIndex")
        return [cells[index] for cells in self.rows_read() if len(cells) > index]

    def groups(self, column: str) -> list[tuple[str | None, list[str]]]:
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

    @property
    def serial_label(self) -> Locator:
        return self.box.get_by_text("Numero de Serie:")

    @property
    def terms(self) -> Locator:
        return self.box.get_by_role("listitem")

    @property
    def download_centre_link(self) -> Locator:
        return self.box.get_by_role("link", name="centro de descarga")

    def text(self, text: str) -> Locator:
        """``text`` exactly, somewhere in the dialog."""
        return self.box.get_by_text(text, exact=True)

    def notice(self) -> Locator:
        """The grid's notice once the upgrade issued the new serial."""
        return self.page.get_by_role("status").filter(has_text=self.NOTICE)

    def accept(self) -> None:
        click(self.accept_button)

    def double_click_accept(self) -> None:
        self.accept_button.dblclick()

    def cancel(self) -> None:
        click(self.box.get_by_role("link", name="Cancelar"))

    def close(self) -> None:
        """The dialog's ×."""
        click(self.box.get_by_role("link", name="Cerrar"))

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


def upgraded(page: Page, usuario: str, password: str, serial: str, control: MockControl | None) -> str:
    """Where «que acepté la actualización…» leaves the customer: on Mis servicios > Suscripciones
    with ``serial`` upgraded; returns the new serial. With mock control the upgrade goes through
    the control API, which takes the path of the dialog's *Aceptar* without the dialog (a Given
    states what happened; the dialog has scenarios of its own); a site without it, the dialog."""
    if control is None:
        signed_in(page, usuario, password, None)
        SubscriptionsGrid(page).open()
        upgrade(page, serial)
        return TermsDialog(page).new_serial()
    new_serial = control.accept_upgrade(usuario, serial)["numero"]
    on_grid(page, usuario, password, control)
    return new_serial


def on_grid(page: Page, usuario: str, password: str, control: MockControl | None) -> SubscriptionsGrid:
    """Where «que estoy en Mis servicios > Suscripciones» puts the customer: signed in, at the
    grid's address, once the grid is on screen."""
    holding_session(page, usuario, password, control)
    return SubscriptionsGrid(page).open()
