"""After the upgrade, on the customer's PC: validation (Regla 3), Aspel-AL's offer, activation (Regla 6).

Plain Python: the desktop programs' rules, fed with a ``Serie`` and "today" by the blueprints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .razon_social import same_razon_social
from .serials import system_name
from .upgrades import NEXT_VERSION, Serie, next_version
from .validation import format_date, replaced_until, validation_open

MAX_RAZON_SOCIAL = 120
# The versions an upgrade leads to: a serial of one of them is already on the newest version.
NEWEST = {(system, version) for (system, _old), version in NEXT_VERSION.items()}


@dataclass(frozen=True)
class Validation:
    """What a desktop program hears when it validates its serial."""

    active: bool
    message: str
    valid_until: date | None  # the last day it validates; None for a licence (no end)


def validate(serie: Serie, today: date) -> Validation:
    """Regla 3: a serial validates until the day before its next validation, then it is *Inactiva*.

    An upgraded serial keeps its own next validation as the end of its use; from that date only
    the new one validates. A subscription whose validation lapsed is *Inactiva* as well.
    """
    name = f"{system_name(serie.sistema)} {serie.version}"
    last_day = serie.proximo_pago - timedelta(days=1) if serie.proximo_pago else None
    if validation_open(serie.proximo_pago, today):
        if serie.reemplazada_por:
            assert serie.proximo_pago is not None  # a licence, the one serial without it, is never replaced
            message = (
                f"{name} validó. Esta versión fue reemplazada por la nueva versión; podrás utilizarla "
                f"{replaced_until(serie.proximo_pago)}."
            )
        else:
            message = f"{name} validó: la serie está activa."
        return Validation(True, message, last_day)
    if serie.reemplazada_por:
        message = (
            f"La serie de {name} está Inactiva desde el {format_date(serie.proximo_pago)}, cuando venció su "
            "última validación. Utiliza la nueva versión de tu sistema."
        )
    else:
        message = (
            f"La serie de {name} está Inactiva: su validación venció el "
            f"{format_date(serie.proximo_pago)}. El sistema se abre en modo consulta."
        )
    return Validation(False, message, last_day)


def offered_versions(serie: Serie) -> list[str]:
    """Aspel-AL's *Otros sistemas*: the new version, once the serial was upgraded to it.

    An upgraded serial is offered the version that replaced it; a serial of the newest version
    is offered its own installer; anyone else (not upgraded yet, licence) is offered nothing.
    """
    if serie.reemplazada_por:
        target = next_version(serie)
        return [target] if target else []
    if (serie.sistema, serie.version) in NEWEST:
        return [serie.version]
    return []


class ActivationRefused(Exception):
    """Why the *Asistente de activación* refuses, in Spanish; ``field`` names the field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


WRONG_RAZON_SOCIAL = (
    "La razón social no coincide con la que registraste en aspel.com. Indica como razón social "
    "aquella que registraste en aspel.com; después de activar el sistema podrás cambiar la razón "
    "social de tus reportes y recibos."
)


def check_activation(serie: Serie, version: str, registered: str, typed: str, today: date) -> None:
    """Regla 6: the wizard of ``version`` activates an active serial of that version with the
    razón social registered at aspel.com (case, accents and extra spaces do not matter).
    Raises ActivationRefused otherwise."""
    name = system_name(serie.sistema)
    if serie.version != version:
        raise ActivationRefused(
            f"El número de serie corresponde a {name} {serie.version}. Indica el número de serie de {name} {version}.",
            "serie",
        )
    if not validation_open(serie.proximo_pago, today):
        raise ActivationRefused(
            f"La serie {serie.numero} está Inactiva y no puede activarse: su validación venció el "
            f"{format_date(serie.proximo_pago)}.",
            "serie",
        )
    if not typed.strip():
        raise ActivationRefused("Escribe la razón social que registraste en aspel.com.", "razon_social")
    if not same_razon_social(registered, typed):
        raise ActivationRefused(WRONG_RAZON_SOCIAL, "razon_social")


def clean_razon_social(typed: str) -> str:
    """The razón social for reports and receipts as it will be printed: trimmed, single spaces.

    Raises ValueError with the reason when it is empty or too long.
    """
    name = " ".join(typed.split())
    if not name:
        raise ValueError("Escribe la razón social para tus reportes y recibos.")
    if len(name) > MAX_RAZON_SOCIAL:
        raise ValueError(f"La razón social admite hasta {MAX_RAZON_SOCIAL} caracteres.")
    return name
