"""The download centre: every installer published with a size and SHA-256 that the download matches."""

from __future__ import annotations

import hashlib
import re

import pytest

from mock_site.downloads import INSTALLERS, human_size, installer_for


def published(page: str, installer) -> dict:
    """The facts the centre shows for one installer, read from its card."""
    card = re.search(
        rf'<section class="installer[^"]*" aria-labelledby="installer-{installer.codigo}">(.*?)</section>', page, re.S
    )
    assert card, f"no card for {installer.nombre}"
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td[^>]*>([^<]+)</td>', card.group(1)))
    link = re.search(r'<a class="btn" href="([^"]+)" download>', card.group(1)).group(1)
    return {**rows, "link": link}


def test_the_centre_lists_noi_10_first_with_name_version_size_and_sha256(client):
    page = client.get("/descargas/").get_data(as_text=True)
    assert "<h1>Centro de descargas</h1>" in page
    assert page.index("Aspel NOI 10.0") < page.index("Aspel COI 11.0")
    facts = published(page, installer_for("NOI", "10.0"))
    assert facts["Versión"] == "10.0" and facts["Archivo"] == "AspelNOI10.0.exe"
    assert re.fullmatch(r"[0-9a-f]{64}", facts["SHA-256"])
    assert re.fullmatch(r"[\d.]+ KB \([\d,]+ bytes\)", facts["Tamaño"])


@pytest.mark.parametrize("installer", INSTALLERS, ids=lambda i: i.archivo)
def test_each_download_is_the_file_whose_size_and_sha256_are_published(client, installer):
    facts = published(client.get("/descargas/").get_data(as_text=True), installer)
    response = client.get(facts["link"])
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{facts["Archivo"]}"'
    assert response.mimetype == "application/octet-stream"
    body = response.get_data()
    assert hashlib.sha256(body).hexdigest() == facts["SHA-256"]
    assert f"({len(body):,} bytes)" in facts["Tamaño"]


def test_installers_are_the_same_bytes_on_every_run_and_differ_between_systems():
    noi, coi = installer_for("NOI", "10.0"), installer_for("COI", "11.0")
    assert noi.sha256 == hashlib.sha256(noi.content).hexdigest()
    assert noi.content.startswith(b"MZ") and noi.sha256 != coi.sha256
    assert noi.sha256 == "2cc2a03c368d24f50f39857656590d3fee28972324622b9be1ebbd2b712d07fc"


@pytest.mark.parametrize("name", ["NoExiste.exe", "..%2F..%2Fschema.sql", "AspelNOI9.0.exe", "x" * 300])
def test_an_unknown_file_is_404(client, name):
    assert client.get(f"/descargas/{name}").status_code == 404


def test_sizes_are_written_the_mexican_way():
    assert human_size(65538) == "64.0 KB (65,538 bytes)"
    assert human_size(1536000) == "1,500.0 KB (1,536,000 bytes)"


def test_installer_lookup():
    assert installer_for("NOI", "10.0").archivo == "AspelNOI10.0.exe"
    assert installer_for("NOI", "9.0") is None
