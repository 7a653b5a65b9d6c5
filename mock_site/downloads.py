"""The download centre (aspel.com/descargas): installers with their size and SHA-256 (Regla 5).

The installers are small generated files, the same bytes on every run, so the SHA-256 the page
shows is the checksum of what the download really delivers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from flask import Blueprint, Response, abort, render_template

bp = Blueprint("downloads", __name__, url_prefix="/descargas")


@dataclass(frozen=True)
class Installer:
    codigo: str  # the system's code, as serials name it: NOI
    sistema: str
    version: str
    archivo: str
    descripcion: str

    @property
    def nombre(self) -> str:
        return f"{self.sistema} {self.version}"

    @property
    def content(self) -> bytes:
        return installer_bytes(self.archivo)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size_text(self) -> str:
        return human_size(self.size)


INSTALLERS = (
    Installer(
        "NOI",
        "Aspel NOI",
        "10.0",
        "AspelNOI10.0.exe",
        "Nómina: cálculo, timbrado de recibos CFDI y obligaciones del IMSS e INFONAVIT.",
    ),
    Installer(
        "COI",
        "Aspel COI",
        "11.0",
        "AspelCOI11.0.exe",
        "Contabilidad integral: pólizas, contabilidad electrónica y estados financieros.",
    ),
    Installer(
        "SAE",
        "Aspel SAE",
        "9.0",
        "AspelSAE9.0.exe",
        "Administración comercial: inventarios, ventas, compras y facturación.",
    ),
)


def human_size(size: int) -> str:
    """``65538`` → ``"64.0 KB (65,538 bytes)"``: how es-MX writes it."""
    return f"{size / 1024:,.1f} KB ({size:,} bytes)"


def installer_for(codigo: str, version: str) -> Installer | None:
    return next((i for i in INSTALLERS if i.codigo == codigo and i.version == version), None)


@cache
def installer_bytes(name: str) -> bytes:
    """A small, reproducible stand-in for the installer: the same bytes on every run."""
    block = hashlib.sha256(name.encode()).digest()
    return b"MZ" + (block * 2048)[: 64 * 1024]


@bp.route("/")
def index():
    return render_template("downloads/index.html", installers=INSTALLERS)


@bp.route("/<archivo>")
def download(archivo: str):
    installer = next((i for i in INSTALLERS if i.archivo == archivo), None)
    if installer is None:
        abort(404)
    return Response(
        installer.content,
        mimetype="application/octet-stream",
        headers={"Content-Disposition": f'attachment; filename="{installer.archivo}"', "Cache-Control": "no-store"},
    )
