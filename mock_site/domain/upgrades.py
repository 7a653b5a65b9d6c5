"""Which serial may be upgraded, and what the upgrade makes of it (Regla 1, Regla 2, Regla 3, Regla 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .validation import one_period_after, replaced_until, validation_open

NEXT_VERSION = {("NOI", "9.0"): "10.0"}


@dataclass(frozen=True)
class Serie:
    """A serial as the rules see it (the store maps its rows onto this)."""

    numero: str
    sistema: str
    version: str
    modalidad: str  # "suscripcion" | "licenciamiento"
    periodicidad: str | None  # mensual | semestral | anual, or None for a licence
    usuarios: int
    fecha_activacion: date
    proximo_pago: date | None
    reemplazada_por: str | None = None


class UpgradeRefused(Exception):
    """The reason, in Spanish, why a serial cannot be upgraded."""


def status(serie: Serie, today: date) -> str:
    """The plan's status as the grid shows it."""
    if not validation_open(serie.proximo_pago, today):
        return "Inactiva"
    if serie.reemplazada_por:
        assert serie.proximo_pago is not None  # a licence, the one serial without it, is never replaced
        return "Se utiliza " + replaced_until(serie.proximo_pago)
    return "Plan actualizado"


def next_version(serie: Serie) -> str | None:
    return NEXT_VERSION.get((serie.sistema, serie.version))


def offers_free_upgrade(serie: Serie, today: date) -> bool:
    """The dialog is offered to a subscription that has a newer version and can still be upgraded."""
    try:
        check_upgradable(serie, today)
    except UpgradeRefused:
        return False
    return True


def check_upgradable(serie: Serie, today: date) -> str:
    """Regla 1: the version that accepting upgrades to, or UpgradeRefused with the reason why
    this serial cannot be upgraded (already upgraded, Inactiva, a licence, no newer version)."""
    if serie.reemplazada_por:
        raise UpgradeRefused(f"La serie {serie.numero} ya se actualizó; su nueva serie es {serie.reemplazada_por}.")
    if not validation_open(serie.proximo_pago, today):
        raise UpgradeRefused(f"La serie {serie.numero} está Inactiva y no puede actualizarse.")
    if serie.modalidad != "suscripcion":
        raise UpgradeRefused(
            "La actualización sin costo es para sistemas en suscripción; "
            "para licenciamiento adquiere la actualización de versión."
        )
    target = next_version(serie)
    if target is None:
        raise UpgradeRefused(f"No hay una versión más nueva para la serie {serie.numero}.")
    return target


def upgraded(serie: Serie, new_number: str, today: date) -> Serie:
    """Regla 2: the new serial (its number made by serials.py): same system, periodicity
    (Regla 4) and users.

    The old serial keeps its next validation date as the end of its use (Regla 3); the rent moves
    to the new serial, whose next validation is one period after that date.
    """
    target = check_upgradable(serie, today)
    assert serie.proximo_pago is not None and serie.periodicidad is not None  # a subscription: checked above
    return Serie(
        numero=new_number,
        sistema=serie.sistema,
        version=target,
        modalidad=serie.modalidad,
        periodicidad=serie.periodicidad,
        usuarios=serie.usuarios,
        fecha_activacion=today,
        proximo_pago=one_period_after(serie.proximo_pago, serie.periodicidad),
    )
