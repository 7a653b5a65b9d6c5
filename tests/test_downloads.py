"""The download centre: every installer published with a size and SHA-256 that the download matches."""

from __future__ import annotations

import hashlib
import re

import pytest

from mock_site import downloads
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
    assert re.fullmatch(r"[\d.]+ MB \([\d,]+ bytes\)", facts["Tamaño"])


@pytest.mark.parametrize("installer", INSTALLERS, ids=lambda i: i.archivo)
def test_an_installer_weighs_what_a_reader_believes(installer):
    """Hundreds of MB, as a system's installer does (a 64 KB one was a stand-in nobody believes)."""
    assert 100 * 1024 * 1024 <= installer.size <= 900 * 1024 * 1024


@pytest.mark.parametrize("installer", INSTALLERS, ids=lambda i: i.archivo)
def test_each_download_is_the_file_whose_size_and_sha256_are_published(client, installer):
    """Every byte the link serves, streamed through SHA-256 (nothing kept): the page's claims."""
    facts = published(client.get("/descargas/").get_data(as_text=True), installer)
    response = client.get(facts["link"], buffered=False)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{facts["Archivo"]}"'
    assert response.mimetype == "application/octet-stream"
    assert response.headers["Content-Length"] == str(installer.size)
    digest, size = hashlib.sha256(), 0
    for chunk in response.response:
        digest.update(chunk)
        size += len(chunk)
    response.close()
    assert digest.hexdigest() == facts["SHA-256"]
    assert f"({size:,} bytes)" in facts["Tamaño"]


def test_the_recorded_sha256_is_checked_against_the_bytes(monkeypatch):
    """The guard can fail: one byte of the pattern changed, the recorded SHA-256 no longer holds."""
    noi = installer_for("NOI", "10.0")
    assert downloads.content_sha256(noi) == noi.sha256
    original = downloads._block(noi.archivo)
    monkeypatch.setattr(downloads, "_block", lambda name: original[:-1] + b"\x00")
    assert downloads.content_sha256(noi) != noi.sha256


def test_a_range_is_the_same_bytes_as_the_whole_file_there(client):
    """Download managers resume with a range; the scenarios read a range instead of 200 MB."""
    noi = installer_for("NOI", "10.0")
    middle = downloads.BLOCK - 5  # across the first block's end
    response = client.get(f"/descargas/{noi.archivo}", headers={"Range": f"bytes={middle}-{middle + 15}"})
    assert response.status_code == 206
    assert response.headers["Content-Range"] == f"bytes {middle}-{middle + 15}/{noi.size}"
    assert response.get_data() == b"".join(noi.chunks(middle, middle + 16))
    assert response.get_data()[5:13] == (1).to_bytes(8, "big")  # the second block begins with its number
    head = client.get(f"/descargas/{noi.archivo}", headers={"Range": "bytes=0-1"})
    assert head.get_data() == b"MZ" and head.headers["Content-Length"] == "2"
    tail = client.get(f"/descargas/{noi.archivo}", headers={"Range": "bytes=-3"})
    assert tail.headers["Content-Range"] == f"bytes {noi.size - 3}-{noi.size - 1}/{noi.size}"
    beyond = client.get(f"/descargas/{noi.archivo}", headers={"Range": f"bytes={noi.size}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{noi.size}"
    assert client.head(f"/descargas/{noi.archivo}").headers["Content-Length"] == str(noi.size)


def test_installers_are_the_same_bytes_on_every_run_and_differ_between_systems():
    noi, coi = installer_for("NOI", "10.0"), installer_for("COI", "11.0")
    first = b"".join(noi.chunks(0, 4096))
    assert first.startswith(b"MZ") and first == b"".join(noi.chunks(0, 4096))
    assert first != b"".join(coi.chunks(0, 4096)) and noi.sha256 != coi.sha256
    assert noi.sha256 == "5732e183112cb97cfdc138e528749b3df50f36b24fdff69bf34cf3631c4bae40"


@pytest.mark.parametrize("name", ["NoExiste.exe", "..%2F..%2Fschema.sql", "AspelNOI9.0.exe", "x" * 300])
def test_an_unknown_file_is_404(client, name):
    assert client.get(f"/descargas/{name}").status_code == 404


def test_sizes_are_written_the_mexican_way():
    assert human_size(65538) == "64.0 KB (65,538 bytes)"
    assert human_size(225_017_856) == "214.6 MB (225,017,856 bytes)"
    assert human_size(1_536_000_000) == "1,464.8 MB (1,536,000,000 bytes)"


def test_installer_lookup():
    assert installer_for("NOI", "10.0").archivo == "AspelNOI10.0.exe"
    assert installer_for("NOI", "9.0") is None
