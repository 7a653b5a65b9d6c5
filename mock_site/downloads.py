"""The download centre (aspel.com/descargas): installers with their size and SHA-256 (Regla 5).

An installer is hundreds of MB, as a reader expects of a payroll system's installer. The site
neither stores nor builds those bytes: each installer is a cheap pattern (:func:`installer_chunks`:
a 1 MiB block drawn once from the file's name, each block numbered), the same bytes on every run,
sent as a stream with its ``Content-Length`` and byte ranges. The SHA-256 the page shows is
recorded here (``Installer.sha256``) and ``tests/test_downloads.py`` hashes the served bytes
against it, so what the page says stays true of what the link delivers.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from flask import Blueprint, Response, abort, render_template, request

bp = Blueprint("downloads", __name__, url_prefix="/descargas")

BLOCK = 1024 * 1024  # the pattern's block: drawn once per installer, numbered at each repetition
SIGNATURE = b"MZ"  # a Windows executable begins so


@dataclass(frozen=True)
class Installer:
    codigo: str  # the system's code, as serials name it: NOI
    sistema: str
    version: str
    archivo: str
    descripcion: str
    size: int  # bytes
    sha256: str  # of the bytes installer_chunks gives: recorded, checked by tests/test_downloads.py

    @property
    def nombre(self) -> str:
        return f"{self.sistema} {self.version}"

    @property
    def size_text(self) -> str:
        return human_size(self.size)

    def chunks(self, start: int = 0, end: int | None = None) -> Iterator[bytes]:
        """The installer's bytes from ``start`` up to ``end`` (excluded; the end by default)."""
        return installer_chunks(self.archivo, start, self.size if end is None else end)


INSTALLERS = (
    Installer(
        "NOI",
        "Aspel NOI",
        "10.0",
        "AspelNOI10.0.exe",
        "Nómina: cálculo, timbrado de recibos CFDI y obligaciones del IMSS e INFONAVIT.",
        225_017_856,
        "5732e183112cb97cfdc138e528749b3df50f36b24fdff69bf34cf3631c4bae40",
    ),
    Installer(
        "COI",
        "Aspel COI",
        "11.0",
        "AspelCOI11.0.exe",
        "Contabilidad integral: pólizas, contabilidad electrónica y estados financieros.",
        196_395_008,
        "18a23e83f887cde8c4c6d4137b64c3720c41fd81cd3c1fd12bdf80e8b1e6dedb",
    ),
    Installer(
        "SAE",
        "Aspel SAE",
        "9.0",
        "AspelSAE9.0.exe",
        "Administración comercial: inventarios, ventas, compras y facturación.",
        170_917_888,
        "4c1e922c5ec5664445914fe84d01bca52cd2a9a25e4ba330f6c2641a54e4d6e1",
    ),
)


def human_size(size: int) -> str:
    """``214_643_712`` → ``"204.7 MB (214,643,712 bytes)"``: how es-MX writes it (KB below a MB)."""
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB ({size:,} bytes)"
    return f"{size / 1024 / 1024:,.1f} MB ({size:,} bytes)"


def installer_for(codigo: str, version: str) -> Installer | None:
    return next((i for i in INSTALLERS if i.codigo == codigo and i.version == version), None)


@cache
def _block(name: str) -> bytes:
    """The 1 MiB the installer ``name`` repeats, drawn from its name (SHAKE-256), the same every run."""
    return hashlib.shake_256(name.encode()).digest(BLOCK)


def installer_chunks(name: str, start: int, end: int) -> Iterator[bytes]:
    """The bytes ``start`` to ``end`` (excluded) of the installer ``name``: block ``n`` is its 1 MiB
    with ``n`` in its first eight bytes, the first block begins with :data:`SIGNATURE`."""
    base = _block(name)
    position = start
    while position < end:
        number, offset = divmod(position, BLOCK)
        block = number.to_bytes(8, "big") + base[8:]
        if number == 0:
            block = SIGNATURE + block[len(SIGNATURE) :]
        piece = block[offset : min(BLOCK, offset + end - position)]
        yield piece
        position += len(piece)


def content_sha256(installer: Installer) -> str:
    """The SHA-256 of every byte the installer's link serves, computed (a second or more)."""
    digest = hashlib.sha256()
    for chunk in installer.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@bp.route("/")
def index():
    return render_template("downloads/index.html", installers=INSTALLERS)


_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def _requested_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one byte range ``header`` asks for, as ``(start, end)`` with ``end`` excluded; ``None``
    for the whole file (no header, several ranges, or one this server does not read)."""
    match = _RANGE.fullmatch((header or "").strip())
    if not match or match[1] == match[2] == "":
        return None
    if match[1] == "":  # the last N bytes
        return max(0, size - int(match[2])), size
    start = int(match[1])
    end = min(size, int(match[2]) + 1) if match[2] else size
    return (start, end) if start < end else (size, size)


@bp.route("/<archivo>")
def download(archivo: str):
    """The installer as a stream: ``Content-Length`` first, so a browser shows the size and the
    progress; one byte range on request (206), as download managers resume."""
    installer = next((i for i in INSTALLERS if i.archivo == archivo), None)
    if installer is None:
        abort(404)
    headers = {
        "Content-Disposition": f'attachment; filename="{installer.archivo}"',
        "Cache-Control": "no-store",
        "Accept-Ranges": "bytes",
    }
    wanted = _requested_range(request.headers.get("Range"), installer.size)
    if wanted is not None and wanted[0] >= installer.size:
        return Response(status=416, headers={**headers, "Content-Range": f"bytes */{installer.size}"})
    start, end = wanted or (0, installer.size)
    headers["Content-Length"] = str(end - start)
    if wanted is not None:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{installer.size}"
    body = installer.chunks(start, end) if request.method != "HEAD" else iter(())
    return Response(body, status=206 if wanted else 200, mimetype="application/octet-stream", headers=headers)
