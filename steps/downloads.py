"""The download centre (aspel.com/descargas) and what a download really delivers (term 5)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from pytest_bdd import given, then, when

from steps.screens import NEW_VERSION, DownloadCentre, download
from steps.support.sitio.downloads import SavedDownload


@pytest.fixture
def downloaded() -> SavedDownload:
    """Replaced by the file a «descargo …» step saved (its ``target_fixture``)."""
    pytest.fail("El escenario no descargó ningún archivo.")


def installer_card(page: Page, name: str = NEW_VERSION) -> Locator:
    return DownloadCentre(page).card(name)


def published(card: Locator, field: str) -> Locator:
    """The value the centre publishes for ``field`` (Versión, Archivo, Tamaño, SHA-256)."""
    return (
        card.get_by_role("row")
        .filter(has=card.page.get_by_role("rowheader", name=field, exact=True))
        .get_by_role("cell")
    )


@given("que ingreso a la página aspel.com/descargas")
def open_download_centre(page: Page):
    DownloadCentre(page).open()


@then("veo Aspel NOI 10.0 con su instalador, su tamaño y su SHA-256")
def see_new_version(page: Page):
    card = installer_card(page)
    expect(card).to_be_visible()
    expect(published(card, "Versión")).to_have_text("10.0")
    expect(published(card, "Archivo")).to_have_text(re.compile(r"\.exe$"))
    expect(published(card, "Tamaño")).to_have_text(re.compile(r"\([\d,]+ bytes\)$"))
    expect(published(card, "SHA-256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(DownloadCentre(page).download_link(NEW_VERSION)).to_be_visible()


@when("descargo el instalador de Aspel NOI 10.0", target_fixture="downloaded")
def download_from_centre(page: Page, tmp_path: Path) -> SavedDownload:
    return download(DownloadCentre(page).download_link(NEW_VERSION), tmp_path)


@then("el archivo descargado es el instalador de Aspel NOI 10.0 con el tamaño y el SHA-256 publicados")
def download_matches_centre(page: Page, downloaded: SavedDownload):
    """Compare with what the centre publishes, read in a tab of its own (the page stays put)."""
    last = downloaded
    centre = page.context.new_page()
    try:
        DownloadCentre(centre).open()
        card = installer_card(centre)
        name = published(card, "Archivo").inner_text().strip()
        size = int(re.search(r"\(([\d,]+) bytes\)", published(card, "Tamaño").inner_text())[1].replace(",", ""))
        sha256 = published(card, "SHA-256").inner_text().strip()
    finally:
        centre.close()
    content = last.content
    assert last.name == name, f"Se descargó {last.name}, el centro publica {name}"
    assert len(content) == size, f"El archivo mide {len(content)} bytes, el centro publica {size}"
    assert hashlib.sha256(content).hexdigest() == sha256, (
        "El SHA-256 del archivo no es el que publica el centro de descargas"
    )
