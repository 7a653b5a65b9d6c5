"""The download centre (aspel.com/descargas) and what a download really delivers (term 5)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, then, when

from steps.screens.downloads import DownloadCentre, download, published_installer
from tutorial.sitio.downloads import SavedDownload


@pytest.fixture
def downloaded() -> SavedDownload:
    """Replaced by the file a «descargo …» step saved (its ``target_fixture``)."""
    pytest.fail("El escenario no descargó ningún archivo.")


@given("que ingreso a la página aspel.com/descargas")
def open_download_centre(page: Page):
    DownloadCentre(page).open()


@then("veo Aspel NOI 10.0 con su instalador, su tamaño y su SHA-256")
def see_new_version(page: Page):
    centre = DownloadCentre(page)
    expect(centre.card()).to_be_visible()
    expect(centre.published("Versión")).to_have_text("10.0")
    expect(centre.published("Archivo")).to_have_text(re.compile(r"\.exe$"))
    expect(centre.published("Tamaño")).to_have_text(re.compile(r"\([\d,]+ bytes\)$"))
    expect(centre.published("SHA-256")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(centre.download_link()).to_be_visible()


@when("descargo el instalador de Aspel NOI 10.0", target_fixture="downloaded")
def download_from_centre(page: Page, tmp_path: Path) -> SavedDownload:
    return download(DownloadCentre(page).download_link(), tmp_path)


@then("el archivo descargado es el instalador de Aspel NOI 10.0 con el tamaño y el SHA-256 publicados")
def download_matches_centre(page: Page, downloaded: SavedDownload):
    """Compare with what the centre publishes, read in a tab of its own (the page stays put)."""
    published = published_installer(page)
    content = downloaded.content
    assert downloaded.name == published.name, f"Se descargó {downloaded.name}, el centro publica {published.name}"
    assert len(content) == published.size, f"El archivo mide {len(content)} bytes, el centro publica {published.size}"
    assert hashlib.sha256(content).hexdigest() == published.sha256, (
        "El SHA-256 del archivo no es el que publica el centro de descargas"
    )
