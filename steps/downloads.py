"""The download centre (aspel.com/descargas) and what a download really delivers (term 5)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, then, when

from steps.screens.downloads import DownloadCentre, StartedDownload, download, published_installer


@pytest.fixture
def downloaded() -> StartedDownload:
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
def download_from_centre(page: Page) -> StartedDownload:
    return download(DownloadCentre(page).download_link())


@then("la descarga es el instalador de Aspel NOI 10.0 con el nombre y el tamaño publicados")
def download_matches_centre(page: Page, downloaded: StartedDownload):
    """Compare with what the centre publishes, read in a tab of its own (the page stays put)."""
    published = published_installer(page)
    assert downloaded.name == published.name, f"Se descarga {downloaded.name}, el centro publica {published.name}"
    assert downloaded.size == published.size, (
        f"El archivo mide {downloaded.size} bytes, el centro publica {published.size}"
    )
    assert downloaded.first_bytes.startswith(b"MZ"), f"{downloaded.name} no empieza como un programa de Windows"
