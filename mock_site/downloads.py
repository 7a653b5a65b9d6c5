"""The download centre (aspel.com/descargas): installers with size and SHA-256."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from flask import Blueprint, Response, abort, render_template

bp = Blueprint("downloads", __name__, url_prefix="/descargas")


@dataclass(frozen=True)
class Installer:
    sistema: str
    version: str
    archivo: str

    @property
    def content(self) -> bytes:
        return installer_bytes(self.archivo)

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


INSTALLERS = (
    Installer("Aspel NOI", "10.0", "AspelNOI10.0.exe"),
    Installer("Aspel COI", "11.0", "AspelCOI11.0.exe"),
    Installer("Aspel SAE", "9.0", "AspelSAE9.0.exe"),
)


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
        headers={"Content-Disposition": f'attachment; filename="{installer.archivo}"'},
    )
