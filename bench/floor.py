"""The floor: Figura 1 to 9 shot by a bare Playwright script, with no pytest and no Gherkin.

One browser, one embedded mock, the tutorial world's customer made through the same control API
client, the same screens reached through the same page objects (``steps/screens/``) and shot with
the same context, launch arguments and ``Camera.picture`` as the figure step (the marks, crop and
mask its feature declares, the same settling, shots until two agree). What it leaves out is what
the floor is for: pytest and pytest-bdd, the scenarios' assertions and the comparison with the
committed figures, which ``make medir`` makes afterwards (the PNGs must equal the committed ones).

    python -m bench.floor --out /tmp/floor     # figura-01.png ... figura-09.png there, timings as JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from faker import Faker
from playwright.sync_api import Page, sync_playwright

from steps.screens import AnyScreen, figure_targets, subscriptions
from steps.screens.account import Home, LoginScreen, signed_in
from steps.screens.desktop import AspelAL, Desktop
from steps.screens.downloads import DownloadCentre
from steps.screens.mail import Mailbox
from steps.screens.subscriptions import SubscriptionsGrid, upgrade, upgraded
from tutorial.documento.feature_reader import figure_steps
from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import Camera
from tutorial.figuras.comparison import Tolerance, figure_name
from tutorial.figuras.report import FigureReport
from tutorial.sitio.customer import Customer, tutorial_customer
from tutorial.sitio.mock_client import MockControl
from tutorial.sitio.server import running_mock

FEATURES = Path(__file__).resolve().parent.parent / "features"

# conftest.py's browser_context_args (figure scale 1); tests/test_bench.py keeps the two equal.
VIEWPORT = {"width": 1280, "height": 800}
CONTEXT_OPTIONS = {
    "viewport": VIEWPORT,
    "device_scale_factor": 1,
    "locale": "es-MX",
    "timezone_id": "America/Mexico_City",
    "reduced_motion": "reduce",
    "accept_downloads": True,
}
# The scenarios live in features/test_tutorial.py and run parametrized by --browser chromium.
TEST_MODULE = "features/test_tutorial.py"
BROWSER_PARAM = "chromium"


def test_name(scenario: str) -> str:
    """pytest-bdd's test function name for a scenario (pytest_bdd.scenario.make_python_name)."""
    name = re.sub(r"\W", "", scenario.replace(" ", "_"))
    return "test_" + re.sub(r"^\d+_*", "", name).lower()


def node_id(scenario: str) -> str:
    return f"{TEST_MODULE}::{test_name(scenario)}[{BROWSER_PARAM}]"


def scenario_seed(scenario: str) -> int:
    """conftest.py's faker_seed: crc32 of the scenario's node id (the figures show this person)."""
    return zlib.crc32(node_id(scenario).encode())


@dataclass
class Screen:
    number: int
    scenario: str  # the @figura scenario that shoots this figure
    account: bool  # its Given makes an account (any, or NOI 9.0 monthly): the tutorial world's customer
    reach: Callable[[Page, Customer | None, MockControl], None]


# --- reaching each screen: the scenario's steps through the same page objects, without checks ---


def figure_1(page: Page, customer: Customer | None, control: MockControl) -> None:
    Home(page).open()


def figure_2(page: Page, customer: Customer, control: MockControl) -> None:
    LoginScreen(page).open()


def figure_3(page: Page, customer: Customer, control: MockControl) -> None:
    signed_in(page, customer.usuario, customer.password, control).open_services_menu()


def figure_4(page: Page, customer: Customer, control: MockControl) -> None:
    signed_in(page, customer.usuario, customer.password, control)
    SubscriptionsGrid(page).open_from_menu()
    AnyScreen(page).hover_over(SubscriptionsGrid.UPGRADE_ICON)


def on_grid(page: Page, customer: Customer, control: MockControl) -> SubscriptionsGrid:
    """«que estoy en Mis servicios > Suscripciones», as its Given reaches it."""
    return subscriptions.on_grid(page, customer.usuario, customer.password, control)


def figure_5(page: Page, customer: Customer, control: MockControl) -> None:
    on_grid(page, customer, control).open_terms(customer.serie)


def figure_6(page: Page, customer: Customer, control: MockControl) -> None:
    on_grid(page, customer, control)
    upgrade(page, customer.serie)
    mailbox = Mailbox(page).open(control, customer.correo)
    mailbox.open_newest("Actualización de número de serie de Aspel NOI 9.0 a 10.0")


def figure_7(page: Page, customer: Customer, control: MockControl) -> None:
    """Signed in, the serial upgraded (the scenario's Givens): the centre shows the customer's header."""
    upgraded(page, customer.usuario, customer.password, customer.serie, control)
    DownloadCentre(page).open()


def figure_8(page: Page, customer: Customer, control: MockControl) -> None:
    Desktop(page).open(customer.serie).open_aspel_folder()


def figure_9(page: Page, customer: Customer, control: MockControl) -> None:
    on_grid(page, customer, control)
    upgrade(page, customer.serie)
    aspel_al = AspelAL(page)
    aspel_al.open(customer.serie).start("Aspel-AL")
    aspel_al.open_section("Otros sistemas")


SCREENS = [
    Screen(1, "Localizo Mi cuenta Aspel en aspel.com.mx", False, figure_1),
    Screen(2, "Inicio sesión con mi usuario y contraseña", True, figure_2),
    Screen(3, "Localizo Suscripciones en Mis servicios", True, figure_3),
    Screen(4, "Ubico la serie de Aspel NOI 9.0 y su icono Actualiza la serie", True, figure_4),
    Screen(5, "Leo los términos y condiciones y acepto", True, figure_5),
    Screen(6, "Recibo en mi correo la notificación de la actualización", True, figure_6),
    Screen(7, "Descargo la nueva versión desde aspel.com/descargas", True, figure_7),
    Screen(8, "Abro Aspel-AL desde Inicio > Todos los programas > Aspel", True, figure_8),
    Screen(9, "Entro a la sección Otros sistemas de Aspel-AL", True, figure_9),
]


# --- shooting -----------------------------------------------------------------------------------


def make_customer(control: MockControl, screen: Screen) -> Customer | None:
    if not screen.account:
        return None
    faker = Faker(locale=["es_MX"])  # as Faker's pytest plugin builds the `faker` fixture
    faker.seed_instance(scenario_seed(screen.scenario))
    return tutorial_customer(control, faker)


def launch_options() -> dict:
    """conftest.py's browser_type_launch_args for a local Chromium, from tutorial.figuras.renderer."""
    executable = chromium.launch_executable()
    launch = {
        "headless": True,
        "args": chromium.launch_args(executable),
        "ignore_default_args": chromium.ignored_default_args(),
    }
    return launch | ({"executable_path": str(executable)} if executable else {})


def run(out_dir: Path) -> dict:
    """Shoot the figures into ``out_dir``; return timings (seconds) and the browser's version."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict = {"figures": {}}
    launch, tails = launch_options(), {step.number: step.tail for step in figure_steps(FEATURES)}
    camera = Camera(screenshots_dir=out_dir, report=FigureReport(out_dir), tolerance=Tolerance(), update=False)
    with running_mock() as (base_url, token), sync_playwright() as playwright:
        control = MockControl(base_url, token)
        moment = datetime.fromisoformat(control.tutorial_world()["moment"])
        browser = playwright.chromium.launch(**launch)
        timings |= {"browser_version": browser.version, "setup": time.perf_counter() - started}
        for screen in SCREENS:
            begun = time.perf_counter()
            customer = make_customer(control, screen)
            context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
            try:
                page = context.new_page()
                page.clock.set_fixed_time(moment)
                screen.reach(page, customer, control)
                targets = figure_targets(page, tails[screen.number])  # what the figure step declares
                png, _ignored = camera.picture(page, **targets)
            finally:
                context.close()
            (out_dir / f"{figure_name(screen.number)}.png").write_bytes(png)
            timings["figures"][screen.number] = time.perf_counter() - begun
        browser.close()
    timings["total"] = time.perf_counter() - started
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.floor",
        description="El piso del bench: las nueve figuras con Playwright solo (sin pytest ni Gherkin); "
        "imprime sus tiempos en segundos como JSON.",
    )
    parser.add_argument("--out", type=Path, required=True, help="carpeta donde escribir figura-NN.png")
    print(json.dumps(run(parser.parse_args(argv).out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
