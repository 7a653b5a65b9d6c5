"""A new user walks the whole tutorial on ``make sitio`` with the printed account, on today's date.

``make sitio`` is started as a user starts it (its own start-up path, printed banner included);
the browser keeps the real clock. The walk: log in, Mis servicios > Suscripciones, *Actualiza la
serie*, the six terms, *Aceptar*, the notice in the printed mailbox naming both serials, the
download centre it links to, and Aspel-AL > *Otros sistemas* on the printed desktop. A second
start gives a fresh demo that is not upgraded yet.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from steps.desktop import offers_new_version, open_aspel_folder, open_other_systems
from steps.screens.subscriptions import open_subscriptions
from steps.subscriptions import accept, dialog_shows_terms, open_upgrade_dialog, see_my_serial, see_new_serial
from tests.processes import free_port, started
from tutorial.figuras import renderer as chromium
from tutorial.sitio.customer import Customer

# Each test here starts a whole run, a server or another browser: make pruebas-completas.
pytestmark = pytest.mark.completo

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def make_serve(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """``make sitio`` on a free port (its database in ``tmp_path``): the base URL and the banner."""
    port = free_port()
    command = ["make", "-s", "serve", f"PORT={port}", f"SERVE_ARGS=--database {tmp_path / 'demo.sqlite'}"]
    with started(command, port, cwd=ROOT) as server:
        banner = dict(line.partition(": ")[::2] for line in server.lines() if ": " in line)
        yield f"http://127.0.0.1:{port}", banner


def link(banner: dict[str, str], label: str) -> str:
    return next(value for key, value in banner.items() if key.startswith(label))


def in_a_browser_of_its_own(walk: Callable[[Page], None], base_url: str) -> None:
    """Run ``walk`` on a page of a Playwright of its own, in a thread of its own, on the real
    clock (the user's day). Borrowing pytest-playwright's session browser here broke every later
    test of the worker that starts its own Playwright (and the other way round)."""

    def run() -> None:
        executable = chromium.launch_executable()
        launch = {"args": chromium.launch_args(executable)}
        if executable:
            launch["executable_path"] = str(executable)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch)
            try:
                context = browser.new_context(base_url=base_url, locale="es-MX", accept_downloads=True)
                walk(context.new_page())
            finally:
                browser.close()

    chromium.in_a_thread_of_its_own(run)


def walk_the_tutorial(page: Page, banner: dict[str, str]) -> None:
    demo = Customer(usuario=banner["Usuario"], password=banner["Contraseña"])
    open_subscriptions(page, demo.usuario, demo.password)  # logs in with the printed account
    demo.series = [page.get_by_role("row").filter(has_text="9.0").get_by_role("cell").nth(3).inner_text()]
    see_my_serial(page, demo)
    open_upgrade_dialog(page, demo)
    dialog_shows_terms(page, demo)
    accept(page)
    nueva_serie = see_new_serial(page)

    page.goto(link(banner, "Correo"))
    page.get_by_role("link", name="Actualización de número de serie de Aspel NOI 9.0 a 10.0").click()
    for serial in (demo.serie, nueva_serie):
        expect(page.get_by_role("main").get_by_text(serial, exact=True)).to_be_visible()
    page.get_by_role("link", name="Ir al centro de descarga").click()
    expect(page.get_by_role("heading", name="Centro de descargas")).to_be_visible()
    expect(page.get_by_role("link", name="Descargar Aspel NOI 10.0", exact=True)).to_be_visible()

    page.goto(link(banner, "Escritorio"))
    open_aspel_folder(page)
    page.get_by_role("link", name="Aspel-AL", exact=True).click()
    open_other_systems(page)
    offers_new_version(page)


def test_a_new_user_walks_the_tutorial_on_make_serve_twice_in_a_row(tmp_path):
    for _start in range(2):  # the second start is a fresh demo: not upgraded, no mail
        with make_serve(tmp_path) as (base_url, banner):
            assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d .*", banner["Fecha del sitio"])
            in_a_browser_of_its_own(partial(walk_the_tutorial, banner=banner), base_url)
