"""Installing the pinned renderer: the bytes are checked, the layout is complete, nothing half-done.

A package shaped like ``@sparticuz/chromium`` is built here (a shell script as the "browser"),
and the pins are pointed at its hashes, so the installer's own code runs end to end offline.
"""

from __future__ import annotations

import io
import json
import subprocess
import tarfile
from pathlib import Path

import brotli
import pytest

from tutorial.figuras import pinned_chromium

FAKE_BROWSER = b'#!/bin/sh\necho "Chromium 153.0.8010.0"\n'


def _tar(files: dict[str, bytes], compression: str = "") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=f"w:{compression}") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _package() -> bytes:
    libraries = _tar({"lib/libnss3.so": b"nss", "lib/libnspr4.so": b"nspr", "../fuera": b"x"})
    fonts = _tar({"fonts.conf": b"<fontconfig/>", "fonts/Open_Sans/OpenSans-Regular.ttf": b"ttf"})
    return _tar(
        {
            "package/bin/chromium.br": brotli.compress(FAKE_BROWSER),
            "package/bin/al2023.tar.br": brotli.compress(libraries),
            "package/bin/fonts.tar.br": brotli.compress(fonts),
            "package/LICENSE": b"MIT",
        },
        compression="gz",
    )


@pytest.fixture
def package(monkeypatch: pytest.MonkeyPatch) -> bytes:
    tarball = _package()
    monkeypatch.setattr(pinned_chromium, "TARBALL_SHA256", pinned_chromium.sha256(tarball))
    monkeypatch.setattr(pinned_chromium, "BINARY_SHA256", pinned_chromium.sha256(FAKE_BROWSER))
    return tarball


@pytest.mark.completo
def test_unpacking_lays_out_a_runnable_build_with_its_own_libraries_and_fonts(tmp_path, package):
    folder = tmp_path / "chromium-153.0.0"
    pinned_chromium.unpack(package, folder)
    where = pinned_chromium.pinned(folder)
    assert where.installed()
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "LICENSE",
        "chromium",
        "chromium-bin",
        "fonts.conf",
        "fonts/fonts/Open_Sans/OpenSans-Regular.ttf",
        "instalado.json",
        "lib/libnspr4.so",
        "lib/libnss3.so",
    ]
    assert not (tmp_path / "fuera").exists()  # a member outside lib/ is not extracted
    conf = (folder / "fonts.conf").read_text()
    assert f"<dir>{folder / 'fonts' / 'fonts'}</dir>" in conf
    # The wrapper gives the build its libraries and fonts, and answers for it.
    done = subprocess.run([str(where.executable), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Chromium 153.0.8010.0"
    wrapper = where.executable.read_text()
    assert 'LD_LIBRARY_PATH="$here/lib' in wrapper and 'FONTCONFIG_FILE="$here/fonts.conf"' in wrapper
    stamp = json.loads((folder / "instalado.json").read_text())
    assert stamp["paquete"] == "@sparticuz/chromium" and stamp["sha256"] == pinned_chromium.sha256(FAKE_BROWSER)


def test_a_tarball_that_is_not_the_pinned_one_installs_nothing(tmp_path, package):
    folder = tmp_path / "chromium-153.0.0"
    tampered = package[:-1] + bytes([package[-1] ^ 1])
    with pytest.raises(pinned_chromium.InstallError, match="no es el fijado: SHA-256"):
        pinned_chromium.unpack(tampered, folder)
    assert not folder.exists() and list(tmp_path.iterdir()) == []


def test_a_build_that_is_not_the_pinned_one_installs_nothing(tmp_path, package, monkeypatch):
    monkeypatch.setattr(pinned_chromium, "BINARY_SHA256", "0" * 64)
    with pytest.raises(
        pinned_chromium.InstallError, match="El Chromium de @sparticuz/chromium@153.0.0 no es el fijado"
    ):
        pinned_chromium.unpack(package, tmp_path / "chromium-153.0.0")
    assert list(tmp_path.iterdir()) == []


def test_another_pin_is_not_installed_until_the_set_up_runs_again(tmp_path, package, monkeypatch):
    folder = tmp_path / "chromium-153.0.0"
    pinned_chromium.unpack(package, folder)
    monkeypatch.setattr(pinned_chromium, "TARBALL_SHA256", "1" * 64)  # the repository moved the pin
    assert not pinned_chromium.pinned(folder).installed()


def test_an_installed_build_is_not_fetched_again(tmp_path, package, monkeypatch):
    folder = tmp_path / "chromium-153.0.0"
    pinned_chromium.unpack(package, folder)
    monkeypatch.setattr(pinned_chromium, "fetch_tarball", lambda into: pytest.fail("no debía descargar"))
    assert pinned_chromium.install(folder) == folder / "chromium"


def test_another_platform_is_told_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(pinned_chromium.platform, "machine", lambda: "arm64")
    monkeypatch.setattr(pinned_chromium.platform, "system", lambda: "Darwin")
    with pytest.raises(pinned_chromium.InstallError) as refused:
        pinned_chromium.install(tmp_path / "nada")
    message = str(refused.value)
    assert "sólo existe para linux-x86_64; este equipo es darwin-arm64" in message
    assert "make figuras-contenedor" in message and "RENDERIZADOR=sistema" in message


def test_without_npm_the_message_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setattr(pinned_chromium.shutil, "which", lambda name: None)
    with pytest.raises(pinned_chromium.InstallError, match="Hace falta npm"):
        pinned_chromium.fetch_tarball(tmp_path)


def test_the_folder_can_be_moved_with_an_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("ASPEL_RENDERER_DIR", str(tmp_path))
    assert pinned_chromium.default_folder() == tmp_path / f"chromium-{pinned_chromium.VERSION}"
    monkeypatch.delenv("ASPEL_RENDERER_DIR")
    assert (
        pinned_chromium.default_folder() == Path(pinned_chromium.ROOT) / ".venv" / "renderizador" / "chromium-153.0.0"
    )
