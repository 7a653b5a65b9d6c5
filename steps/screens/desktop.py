"""The customer's PC: the desktop and its Inicio menu, Aspel-AL with its sections, Aspel NOI's
window, and NOI 10.0's *Asistente de activación* and *Configuración* (term 6)."""

from __future__ import annotations

from playwright.sync_api import APIResponse, Locator

from steps.screens import NEW_VERSION, Screen
from tutorial.actions import click, fill


class Desktop(Screen):
    """The customer's PC: the desktop with Aspel NOI 9.0 installed and its Inicio menu."""

    PATH = "/escritorio/"
    VALIDATION = "/api/validacion"

    @property
    def start_button(self) -> Locator:
        return self.page.get_by_role("button", name="Inicio", exact=True)

    @property
    def start_menu(self) -> Locator:
        return self.page.get_by_role("navigation", name="Menú Inicio")

    @property
    def programs_found(self) -> Locator:
        """The programs the Inicio menu lists now (a search's results, say)."""
        return self.start_menu.get_by_role("link")

    def open(self, serial: str) -> Desktop:
        """My PC: Aspel NOI 9.0 installed with my serial (the desktop's address carries it)."""
        self.page.goto(f"{self.PATH}?serie={serial}")
        self.start_button.wait_for()
        return self

    def program(self, name: str) -> Locator:
        return self.start_menu.get_by_role("link", name=name, exact=True)

    def open_aspel_folder(self) -> Locator:
        """Inicio > Todos los programas > Aspel; the Aspel-AL entry it shows."""
        click(self.start_button)
        click(self.start_menu.get_by_role("button", name="Todos los programas", exact=True))
        click(self.start_menu.get_by_role("button", name="Aspel", exact=True))
        entry = self.program("Aspel-AL")
        entry.wait_for()
        return entry

    def search(self, text: str) -> None:
        """``text`` typed in the search box of the Inicio menu."""
        click(self.start_button)
        fill(self.start_menu.get_by_label("Buscar programas y archivos"), text)

    def window(self, title: str) -> Locator:
        return self.page.get_by_role("heading", name=title, exact=True)

    def start(self, program: str) -> None:
        """Open ``program`` from the Aspel folder of the Inicio menu."""
        self.open_aspel_folder()
        click(self.program(program))
        self.window(program).wait_for()

    def validate(self, serial: str) -> APIResponse:
        """What Aspel NOI on this PC hears when it validates ``serial`` with aspel.com."""
        return self.page.request.post(self.VALIDATION, data={"serie": serial})


class AspelAL(Desktop):
    """Aspel-AL on the PC, with its sections (*Otros sistemas* offers the new versions)."""

    @property
    def sections(self) -> Locator:
        return self.page.get_by_role("navigation", name="Secciones de Aspel-AL")

    @property
    def download_links(self) -> Locator:
        """Every *Descargar …* link the section offers."""
        return self.page.get_by_role("link", name="Descargar", exact=False)

    def section_link(self, name: str) -> Locator:
        return self.sections.get_by_role("link", name=name, exact=True)

    def open_section(self, name: str) -> None:
        click(self.section_link(name))
        self.window(name).wait_for()

    def offer(self, name: str = NEW_VERSION) -> Locator:
        return self.page.get_by_role("region", name=name, exact=True)

    def download_link(self, name: str = NEW_VERSION) -> Locator:
        return self.page.get_by_role("link", name=f"Descargar {name}", exact=True)

    def offered_download(self, name: str = NEW_VERSION) -> Locator:
        """The *Descargar* link inside ``name``'s offer."""
        return self.offer(name).get_by_role("link", name=f"Descargar {name}", exact=True)


class AspelNoi(Desktop):
    """Aspel NOI's window on the PC: what its validation said, and once NOI 10.0 is activated its
    menu and the payroll receipt and report it prints."""

    PRINTOUTS = ("Recibo de nómina", "Reporte de nómina")

    @property
    def inactive_alert(self) -> Locator:
        return self.page.get_by_role("alert").filter(has_text="Inactiva")

    @property
    def read_only_mode(self) -> Locator:
        return self.page.get_by_text("Modo consulta", exact=True)

    @property
    def validated_notice(self) -> Locator:
        return self.page.get_by_role("status").filter(has_text="validó")

    @property
    def active_mode(self) -> Locator:
        return self.page.get_by_text("Sistema activo", exact=True)

    @property
    def activated_notice(self) -> Locator:
        return self.page.get_by_role("status").filter(has_text=f"{NEW_VERSION} se activó")

    def open_settings(self) -> NoiSettings:
        """*Configuración* from the menu of NOI 10.0's window."""
        menu = self.page.get_by_role("navigation", name=f"Menú de {NEW_VERSION}")
        click(menu.get_by_role("link", name=NoiSettings.TITLE, exact=True))
        settings = NoiSettings(self.page)
        settings.title.wait_for()
        return settings

    def printed(self, text: str) -> list[Locator]:
        """``text`` exactly as each printout (receipt, report) prints it."""
        return [
            self.page.get_by_role("article", name=title, exact=True).get_by_text(text, exact=True)
            for title in self.PRINTOUTS
        ]


class ActivationWizard(Screen):
    """NOI 10.0's *Asistente de activación*: the serial and the razón social registered at aspel.com."""

    PATH = "/escritorio/noi/activacion"
    TITLE = "Asistente de activación"

    def open(self) -> ActivationWizard:
        """As after installing NOI 10.0: the wizard opens on its own."""
        self.page.goto(self.PATH)
        self.title.wait_for()
        return self

    def type_serial(self, serial: str) -> None:
        fill(self.page.get_by_label("Número de serie"), serial)

    def type_razon_social(self, name: str) -> None:
        fill(self.page.get_by_label("Razón social"), name)

    def activate(self) -> None:
        click(self.page.get_by_role("button", name="Activar", exact=True))


class NoiSettings(Screen):
    """NOI 10.0's *Configuración*: the razón social its reports and receipts print."""

    TITLE = "Configuración"

    def save_printed_name(self, name: str) -> None:
        fill(self.page.get_by_label("Razón social en reportes y recibos"), name)
        click(self.page.get_by_role("button", name="Guardar", exact=True))
