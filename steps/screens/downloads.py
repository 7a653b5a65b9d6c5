"""aspel.com/descargas, the download centre, and what a download delivers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from steps.screens import NEW_VERSION, Screen
from tutorial.actions import click

PROBE_BYTES = 64 * 1024  # what a scenario reads of an installer of hundreds of MB


@dataclass(frozen=True)
class StartedDownload:
    """A download the browser started: the file name it suggests, the size the server gives for
    the file (``Content-Range``'s total) and the file's first bytes, read by a byte range."""

    name: str
    size: int
    first_bytes: bytes


@dataclass(frozen=True)
class PublishedInstaller:
    """What the centre publishes of an installer: its file's name, its size in bytes, its SHA-256."""

    name: str
    size: int
    sha256: str


class DownloadCentre(Screen):
    """aspel.com/descargas."""

    PATH = "/descargas/"
    TITLE = "Centro de descargas"

    def open(self) -> DownloadCentre:
        self.page.goto(self.PATH)
        self.page.get_by_role("heading", name=self.TITLE, exact=True).wait_for()
        return self

    def card(self, name: str = NEW_VERSION) -> Locator:
        return self.page.get_by_role("region", name=name, exact=True)

    def published(self, field: str, name: str = NEW_VERSION) -> Locator:
        """The value the centre publishes for ``field`` (Versión, Archivo, Tamaño, SHA-256)."""
        card = self.card(name)
        return (
            card.get_by_role("row")
            .filter(has=self.page.get_by_role("rowheader", name=field, exact=True))
            .get_by_role("cell")
        )

    def download_link(self, name: str = NEW_VERSION) -> Locator:
        return self.card(name).get_by_role("link", name=f"Descargar {name}", exact=True)

    def installer(self, name: str = NEW_VERSION) -> PublishedInstaller:
        """What the centre on screen publishes of ``name``'s installer, read as a person reads it."""
        size = re.search(r"\(([\d,]+) bytes\)", self.published("Tamaño", name).inner_text())
        assert size, f"el centro no publica el tamaño de {name} en bytes"
        return PublishedInstaller(
            self.published("Archivo", name).inner_text().strip(),
            int(size[1].replace(",", "")),
            self.published("SHA-256", name).inner_text().strip(),
        )


def published_installer(page: Page, name: str = NEW_VERSION) -> PublishedInstaller:
    """What the centre publishes of ``name``'s installer, read in a tab of its own (``page`` stays put)."""
    tab = page.context.new_page()
    try:
        return DownloadCentre(tab).open().installer(name)
    finally:
        tab.close()


def download(link: Locator) -> StartedDownload:
    """Click ``link`` and, once the browser starts the download, stop it: an installer is hundreds
    of MB, and every run would move them. What arrives is read as a download manager resumes it:
    a byte range of the same address, whose ``Content-Range`` says the whole file's size.
    (``tests/test_downloads.py`` streams every byte through SHA-256 against the published one.)"""
    with link.page.expect_download() as info:
        click(link)
    started = info.value
    started.cancel()
    probe = link.page.request.get(started.url, headers={"Range": f"bytes=0-{PROBE_BYTES - 1}"})
    whole = re.fullmatch(r"bytes 0-\d+/(\d+)", probe.headers.get("content-range", ""))
    assert probe.status == 206 and whole, (
        f"El servidor no dice el tamaño de {started.suggested_filename} (respondió {probe.status})"
    )
    return StartedDownload(started.suggested_filename, int(whole[1]), probe.body())
