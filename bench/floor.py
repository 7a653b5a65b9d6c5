"""The floor: Figura 1 to 9 shot by a bare Playwright script, with no pytest and no Gherkin.

One browser, one embedded mock (``steps.support.server.running_mock``), the data each figure
needs made through the same control API client (``MockControl`` + ``tutorial_customer``: the
tutorial world's customer, as every figure scenario shows it), then the same screens reached the same
way and shot with the same context, launch arguments, settling script and highlight boxes as
``steps.support.camera``. What it leaves out is what the floor is for: the pytest and
pytest-bdd machinery, the assertions the scenarios make along the way, and the camera's extra
waits (``networkidle``, a second shot to prove the screen stable) and comparisons.

    python -m bench.floor --out /tmp/floor     # writes figura-01.png ... figura-09.png there

The PNGs are meant to be byte-identical to the committed ones: ``make bench`` checks that, so the
floor provably shoots the same pictures.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from faker import Faker
from playwright.sync_api import Locator, Page, sync_playwright

from steps.support import browser as chromium
from steps.support.camera import _DRAW_BOXES, _SETTLED, CROP_PADDING, _page_box
from steps.support.customer import Customer, tutorial_customer
from steps.support.figures import figure_name
from steps.support.mock_client import MockControl
from steps.support.server import running_mock

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
class Shot:
    """What the camera is told: highlight these, crop to that."""

    highlight: list[Locator] = field(default_factory=list)
    crop: Locator | None = None


@dataclass
class Screen:
    number: int
    scenario: str  # the @figura scenario that shoots this figure
    account: bool  # its Given steps make the tutorial's customer
    reach: Callable[[Page, Customer | None, MockControl], Shot]


# --- reaching each screen: the same clicks the steps make, without their checks ---------------


def _account_link(page: Page) -> Locator:
    return page.get_by_role("link", name="Mi cuenta Aspel", exact=True)


def _log_in(page: Page, customer: Customer) -> None:
    page.goto("/")
    _account_link(page).click()
    page.get_by_label("Usuario").fill(customer.usuario)
    page.get_by_label("Contraseña").fill(customer.password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.get_by_role("banner").get_by_text(customer.nombre).wait_for()


def _services_menu(page: Page) -> None:
    page.get_by_role("navigation", name="Mi cuenta").get_by_text("Mis servicios", exact=True).click()
    page.get_by_role("link", name="Suscripciones").wait_for()


def _subscriptions(page: Page, customer: Customer) -> None:
    _log_in(page, customer)
    _services_menu(page)
    page.get_by_role("link", name="Suscripciones").click()
    page.get_by_role("heading", name="Sistemas en Suscripción").wait_for()


def _upgrade_icon(page: Page, customer: Customer) -> Locator:
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=customer.serie, exact=True))
    return row.get_by_role("button", name="Actualiza la serie")


def _dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Actualiza la versión de tu sistema")


def _open_dialog(page: Page, customer: Customer) -> None:
    _subscriptions(page, customer)
    _upgrade_icon(page, customer).click()
    _dialog(page).wait_for()


def _upgrade(page: Page, customer: Customer) -> None:
    _open_dialog(page, customer)
    _dialog(page).get_by_role("button", name="Aceptar").click()
    page.get_by_role("status").filter(has_text="Se generó el número de serie").wait_for()


def _aspel_folder(page: Page, customer: Customer) -> Locator:
    page.goto(f"/escritorio/?serie={customer.serie}")
    page.get_by_role("button", name="Inicio", exact=True).click()
    menu = page.get_by_role("navigation", name="Menú Inicio")
    menu.get_by_role("button", name="Todos los programas", exact=True).click()
    menu.get_by_role("button", name="Aspel", exact=True).click()
    link = menu.get_by_role("link", name="Aspel-AL", exact=True)
    link.wait_for()
    return link


def figure_1(page, customer, control) -> Shot:
    page.goto("/")
    return Shot(highlight=[_account_link(page)])


def figure_2(page, customer, control) -> Shot:
    page.goto("/")
    _account_link(page).click()
    page.get_by_role("heading", name="MI CUENTA ASPEL").wait_for()
    return Shot()


def figure_3(page, customer, control) -> Shot:
    _log_in(page, customer)
    _services_menu(page)
    return Shot(highlight=[page.get_by_role("link", name="Suscripciones", exact=True)])


def figure_4(page, customer, control) -> Shot:
    _subscriptions(page, customer)
    icon = _upgrade_icon(page, customer)
    icon.hover()
    return Shot(highlight=[icon])


def figure_5(page, customer, control) -> Shot:
    _open_dialog(page, customer)
    return Shot(crop=_dialog(page))


def figure_6(page, customer, control) -> Shot:
    _upgrade(page, customer)
    subject = "Actualización de número de serie de Aspel NOI 9.0 a 10.0"
    page.goto(control.outbox(customer.correo)[-1]["buzon"])
    page.get_by_role("link", name=subject, exact=True).first.click()
    page.get_by_role("heading", name=subject, exact=True).wait_for()
    return Shot()


def figure_7(page, customer, control) -> Shot:
    page.goto("/descargas/")
    return Shot(highlight=[page.get_by_role("link", name="Descargar Aspel NOI 10.0", exact=True)])


def figure_8(page, customer, control) -> Shot:
    return Shot(highlight=[_aspel_folder(page, customer)])


def figure_9(page, customer, control) -> Shot:
    _upgrade(page, customer)
    _aspel_folder(page, customer).click()
    sections = page.get_by_role("navigation", name="Secciones de Aspel-AL")
    sections.get_by_role("link", name="Otros sistemas", exact=True).click()
    page.get_by_role("heading", name="Otros sistemas", exact=True).wait_for()
    return Shot(highlight=[sections.get_by_role("link", name="Otros sistemas", exact=True)])


# `Dado que tengo una cuenta Aspel` / `… Aspel NOI 9.0 en suscripción mensual`: in a @figura
# scenario both give the tutorial world's customer.
ANY_ACCOUNT = NOI_MONTHLY = True

SCREENS = [
    Screen(1, "Localizo Mi cuenta Aspel en aspel.com.mx", False, figure_1),
    Screen(2, "Inicio sesión con mi usuario y contraseña", ANY_ACCOUNT, figure_2),
    Screen(3, "Localizo Suscripciones en Mis servicios", NOI_MONTHLY, figure_3),
    Screen(4, "Ubico la serie de Aspel NOI 9.0 y su icono Actualiza la serie", NOI_MONTHLY, figure_4),
    Screen(5, "Leo los términos y condiciones y acepto", NOI_MONTHLY, figure_5),
    Screen(6, "Recibo en mi correo la notificación de la actualización", NOI_MONTHLY, figure_6),
    Screen(7, "Descargo la nueva versión desde aspel.com/descargas", False, figure_7),
    Screen(8, "Abro Aspel-AL desde Inicio > Todos los programas > Aspel", NOI_MONTHLY, figure_8),
    Screen(9, "Entro a la sección Otros sistemas de Aspel-AL", NOI_MONTHLY, figure_9),
]


# --- shooting -----------------------------------------------------------------------------------


def shoot(page: Page, shot: Shot) -> bytes:
    """The camera's picture, taken once: fonts and images settled, boxes drawn, crop padded."""
    page.evaluate(_SETTLED)
    boxes = [box for box in (locator.bounding_box() for locator in shot.highlight) if box]
    page.evaluate(_DRAW_BOXES, [_page_box(page, box) for box in boxes])
    clip = None
    if shot.crop is not None:
        box = shot.crop.bounding_box()
        clip = {
            "x": max(box["x"] - CROP_PADDING, 0), "y": max(box["y"] - CROP_PADDING, 0),
            "width": box["width"] + 2 * CROP_PADDING, "height": box["height"] + 2 * CROP_PADDING,
        }
    return page.screenshot(clip=clip, animations="disabled", caret="hide", scale="device")


def make_customer(control: MockControl, screen: Screen) -> Customer | None:
    if not screen.account:
        return None
    faker = Faker(locale=["es_MX"])  # as Faker's pytest plugin builds the `faker` fixture
    faker.seed_instance(scenario_seed(screen.scenario))
    return tutorial_customer(control, faker)


def launch_options() -> dict:
    """conftest.py's browser_type_launch_args for a local Chromium, from steps.support.browser."""
    executable = chromium.launch_executable()
    launch = {"headless": True, "args": chromium.launch_args(executable)}
    if executable:
        launch["executable_path"] = str(executable)
    return launch


def run(out_dir: Path, numbers: set[int] | None = None) -> dict:
    """Shoot the figures into ``out_dir``; return timings (seconds) and the browser's version."""
    started = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    timings: dict = {"figures": {}}
    launch = launch_options()
    with running_mock() as (base_url, token), sync_playwright() as playwright:
        control = MockControl(base_url, token)
        moment = datetime.fromisoformat(control.tutorial_world()["moment"])
        browser = playwright.chromium.launch(**launch)
        timings["browser_version"] = browser.version
        timings["setup"] = time.perf_counter() - started
        for screen in SCREENS:
            if numbers and screen.number not in numbers:
                continue
            begun = time.perf_counter()
            customer = make_customer(control, screen)
            context = browser.new_context(base_url=base_url, **CONTEXT_OPTIONS)
            try:
                page = context.new_page()
                page.clock.set_fixed_time(moment)
                png = shoot(page, screen.reach(page, customer, control))
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
        description="The benchmark floor: the nine figures with bare Playwright (no pytest, no Gherkin).",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write figura-NN.png into")
    parser.add_argument("--figure", type=int, action="append", dest="numbers",
                        help="only this figure (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the timings as JSON")
    args = parser.parse_args(argv)
    timings = run(args.out, set(args.numbers or ()))
    if args.json:
        print(json.dumps(timings))
    else:
        for number, seconds in timings["figures"].items():
            print(f"{figure_name(number)}: {seconds * 1000:.0f} ms")
        print(f"set-up: {timings['setup']:.2f} s, total: {timings['total']:.2f} s ({timings['browser_version']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
