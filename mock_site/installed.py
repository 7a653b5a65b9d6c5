"""The serial installed on the customer's PC, as the desktop programs send it (the validation
API, Aspel-AL, NOI and its Asistente de activación): the one lookup, with the one set of refusals
for an empty, malformed or unknown serial."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from . import desktop_store
from .db import get_db
from .domain import serials
from .domain.upgrades import Serie
from .refusal import Refusal

MALFORMED = "El número de serie no tiene el formato de las series Aspel (13 caracteres, por ejemplo INL seguido de 10 letras y números)."
UNKNOWN = "El número de serie no está registrado en aspel.com."
INVALID_TITLE = "Número de serie no válido"
UNKNOWN_TITLE = "Número de serie desconocido"


@dataclass(frozen=True)
class Installed:
    """The serial installed on the PC, and the account that holds it (its clock is the PC's)."""

    serie: Serie
    account: sqlite3.Row

    @property
    def nombre(self) -> str:
        return f"{serials.system_name(self.serie.sistema)} {self.serie.version}"


def typed_serial(value: object) -> str:
    """What the caller sent as a serial, trimmed and upper-cased; "" when it is not text."""
    return value.strip().upper()[:64] if isinstance(value, str) else ""


def find_installed(numero: str, missing: str) -> Installed:
    """The serial ``numero`` (as :func:`typed_serial` gives it) and its account.

    Refusal 400 with ``missing`` when it is empty, 400 when it is not in the format of Aspel
    serials, 404 when aspel.com does not know it.
    """
    if not numero:
        raise Refusal(400, INVALID_TITLE, missing)
    if not serials.is_valid_serial(numero):
        raise Refusal(400, INVALID_TITLE, MALFORMED)
    found = desktop_store.find_serial(get_db(), numero)
    if found is None:
        raise Refusal(404, UNKNOWN_TITLE, UNKNOWN)
    return Installed(*found)


def known_installed(numero: str) -> Installed | None:
    """The serial when aspel.com knows it, else None (whatever was typed)."""
    found = desktop_store.find_serial(get_db(), numero) if numero else None
    return Installed(*found) if found else None
