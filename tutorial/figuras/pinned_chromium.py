"""The pinned renderer: one Chromium build, installed by version from the npm registry.

Debian's ``chromium`` package moves with every security release and never ships the old build
again, so figures made with "the system Chromium" only hold on the machine that made them. The
figures are drawn instead by one exact build that a package registry keeps by version: the npm
package ``@sparticuz/chromium`` (MIT), which carries a Linux x86-64 headless Chromium
(``bin/chromium.br``, brotli), the libraries it needs (``bin/al2023.tar.br``: NSS, NSPR, expat)
and Open Sans (``bin/fonts.tar.br``). Its JavaScript helper is not used (it wants Node 22 and
unpacks into /tmp): ``npm pack`` fetches the tarball without running anything, its SHA-256 is
checked against the one pinned here, and Python unpacks it into a project-local folder:

    .venv/renderizador/chromium-153.0.0/
        chromium        the executable Playwright is given: sets LD_LIBRARY_PATH and
                        FONTCONFIG_FILE, then runs chromium-bin
        chromium-bin    the build (its SHA-256 is checked too)
        lib/            the package's own libraries, so the system's versions do not matter
        fonts/          the package's fonts; fonts.conf names only them, so a glyph the site's
                        own font lacks falls back to the same font on every machine
        instalado.json  what was installed (package, version, both hashes)

Only glibc comes from the machine. ``ASPEL_RENDERER_DIR`` puts the folder elsewhere (the
container recipe does).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The repository's root, two folders up (tutorial/figuras/); the container recipe copies this
# file alone to /opt/aspel/ and sets ASPEL_RENDERER_DIR, so there the root is never used.
_HERE = Path(__file__).resolve()
ROOT = _HERE.parents[2] if len(_HERE.parents) > 2 else _HERE.parent

PACKAGE = "@sparticuz/chromium"
VERSION = "153.0.0"
# sha256 of the tarball `npm pack @sparticuz/chromium@153.0.0` fetches, and of the unpacked build.
TARBALL_SHA256 = "20e5656fcdcf4118ede85edfb9d6bb9cc1bbb7ffb8b75622fffbcf36a835c3c0"
BINARY_SHA256 = "53a15d6c3a3d27dfb54c4ba60278b1683136f70cf1e67e989da7dfbd3d451ef0"
# What the build answers to --version.
BUILD = "153.0.8010.0"
PLATFORM = "linux-x86_64"
STAMP = "instalado.json"

WRAPPER = """#!/bin/sh
# The pinned Chromium ({package}@{version}) with its own libraries and fonts.
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/lib${{LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}}"
FONTCONFIG_FILE="$here/fonts.conf"
export LD_LIBRARY_PATH FONTCONFIG_FILE
exec "$here/chromium-bin" "$@"
"""

FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<!-- Only the fonts of {package}@{version}: the same fallback on every machine. -->
<fontconfig>
  <dir>{fonts}</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


class InstallError(RuntimeError):
    """The pinned build could not be installed; the message says why and what to do, in Spanish."""


@dataclass(frozen=True)
class Pinned:
    """Where the pinned build lives (or would live) on this machine."""

    folder: Path

    @property
    def executable(self) -> Path:
        return self.folder / "chromium"

    @property
    def stamp(self) -> Path:
        return self.folder / STAMP

    def installed(self) -> bool:
        """The stamp names this pin and the executable is there (the bytes were checked on install)."""
        if not (self.executable.exists() and self.stamp.exists()):
            return False
        try:
            recorded = json.loads(self.stamp.read_bytes())
        except ValueError:
            return False
        return recorded == stamp_data()


def stamp_data() -> dict:
    return {"paquete": PACKAGE, "version": VERSION, "tarball_sha256": TARBALL_SHA256, "sha256": BINARY_SHA256}


def default_folder() -> Path:
    base = os.environ.get("ASPEL_RENDERER_DIR")
    return (Path(base) if base else ROOT / ".venv" / "renderizador") / f"chromium-{VERSION}"


def pinned(folder: Path | None = None) -> Pinned:
    return Pinned(folder or default_folder())


def supported_here() -> str | None:
    """None where the build runs; otherwise why not, in Spanish."""
    here = f"{platform.system().lower()}-{platform.machine()}"
    if here != PLATFORM:
        return (
            f"El renderizador fijado ({PACKAGE}@{VERSION}) sólo existe para {PLATFORM}; este equipo es {here}. "
            "Usa el contenedor (make figuras-contenedor) o RENDERIZADOR=sistema (las figuras se comparan "
            "entonces con la tolerancia entre renderizadores)."
        )
    return None


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_tarball(into: Path) -> Path:
    """``npm pack`` the pinned version into ``into`` (nothing of the package runs)."""
    npm = shutil.which("npm")
    if npm is None and os.geteuid() == 0 and shutil.which("apt-get"):
        print("Instalando npm de Debian (apt-get) para traer el renderizador fijado...", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "npm"], check=False)
        npm = shutil.which("npm")
    if npm is None:
        raise InstallError(
            f"Hace falta npm para traer {PACKAGE}@{VERSION} del registro de npm. Instálalo "
            "(Debian/Ubuntu: sudo apt-get install -y npm) y repite `make preparar`."
        )
    command = [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(into), "--silent", "--ignore-scripts"]
    print("$ npm", " ".join(command[1:]), flush=True)
    done = subprocess.run(command, capture_output=True, text=True, timeout=900)
    tarballs = sorted(into.glob("*.tgz"))
    if done.returncode != 0 or not tarballs:
        raise InstallError(f"npm no pudo traer {PACKAGE}@{VERSION}:\n{done.stderr.strip() or done.stdout.strip()}")
    return tarballs[0]


def _member(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    """A file's bytes from the package's tarball (``extractfile`` gives None for what is not a file)."""
    extracted = archive.extractfile(member)
    assert extracted is not None, f"{member} no es un archivo en el paquete"
    return extracted.read()


def _brotli(data: bytes) -> bytes:
    import brotli

    return brotli.decompress(data)


def unpack(tarball: bytes, folder: Path) -> None:
    """Check ``tarball`` against the pin and lay the build out in ``folder`` (replaced whole)."""
    if sha256(tarball) != TARBALL_SHA256:
        raise InstallError(
            f"El paquete {PACKAGE}@{VERSION} no es el fijado: SHA-256 {sha256(tarball)}, "
            f"se esperaba {TARBALL_SHA256}. No se instaló nada."
        )
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        members = {name: _member(archive, name) for name in _MEMBERS}
    binary = _brotli(members["package/bin/chromium.br"])
    if sha256(binary) != BINARY_SHA256:
        raise InstallError(f"El Chromium de {PACKAGE}@{VERSION} no es el fijado (SHA-256 {sha256(binary)}).")
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    building.chmod(0o755)
    try:
        (building / "chromium-bin").write_bytes(binary)
        (building / "chromium-bin").chmod(0o755)
        _extract(_brotli(members["package/bin/al2023.tar.br"]), building, keep="lib/")
        _extract(_brotli(members["package/bin/fonts.tar.br"]), building / "fonts", keep="fonts/")
        (building / "LICENSE").write_bytes(members["package/LICENSE"])
        (building / "fonts.conf").write_text(
            FONTS_CONF.format(
                package=PACKAGE, version=VERSION, fonts=folder / "fonts" / "fonts", cache=folder / "cache"
            ),
            encoding="utf-8",
        )
        (building / "chromium").write_text(WRAPPER.format(package=PACKAGE, version=VERSION), encoding="utf-8")
        (building / "chromium").chmod(0o755)
        (building / STAMP).write_text(json.dumps(stamp_data(), indent=2) + "\n", encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)


_MEMBERS = ("package/bin/chromium.br", "package/bin/al2023.tar.br", "package/bin/fonts.tar.br", "package/LICENSE")


def _extract(tar_bytes: bytes, into: Path, keep: str) -> None:
    """The regular files under ``keep`` of an uncompressed tar (no links, nothing outside ``into``)."""
    with tarfile.open(fileobj=io.BytesIO(tar_bytes), mode="r:") as archive:
        for member in archive.getmembers():
            if member.isfile() and member.name.startswith(keep) and ".." not in Path(member.name).parts:
                target = into / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_member(archive, member))


def install(folder: Path | None = None) -> Path:
    """The pinned build's executable, installed first when missing. Raises :class:`InstallError`."""
    where = pinned(folder)
    if where.installed():
        return where.executable
    reason = supported_here()
    if reason:
        raise InstallError(reason)
    print(f"Instalando el renderizador fijado {PACKAGE}@{VERSION} en {where.folder} ...", flush=True)
    with tempfile.TemporaryDirectory() as download:
        tarball = fetch_tarball(Path(download))
        unpack(tarball.read_bytes(), where.folder)
    print(f"Renderizador fijado listo: Chromium {BUILD} ({where.executable})", flush=True)
    return where.executable


if __name__ == "__main__":  # python -m tutorial.figuras.pinned_chromium: install it alone
    try:
        print(install())
    except InstallError as error:
        print(error, file=sys.stderr)
        sys.exit(1)
