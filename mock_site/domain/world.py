"""The tutorial's world, defined once: its moment, its customer, its serials.

Every figure of the tutorial and the ``make sitio`` demo show this world, so Figura 1 to 9 tell
one story (the serial the reader finds in Figura 4 is the one in the dialog of Figura 5, the old
serial of the notice in Figura 6 and the equipment's serial in Aspel-AL) and nothing in them
depends on the day, the machine's zone or locale, or the order the scenarios ran in.

Nothing here is drawn at random or counted from today: the values are written out. The e-mail is
on ``example.com`` (RFC 2606), the RFC is made up in the shape of a company RFC.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

MEXICO_CITY = ZoneInfo("America/Mexico_City")


@dataclass(frozen=True)
class TutorialWorld:
    """The tutorial's moment and customer, and the NOI row its grid shows (01/02/2022 → 01/04/2022)."""

    moment: datetime
    nombre: str
    correo: str
    razon_social: str
    rfc: str
    serie: str  # Aspel NOI 9.0, the serial the reader upgrades
    nueva_serie: str  # Aspel NOI 10.0, the serial the upgrade issues
    version: str = "9.0"
    modalidad: str = "suscripcion"
    periodicidad: str = "mensual"
    usuarios: int = 1
    fecha_activacion: date = date(2022, 2, 1)
    proximo_pago: date = date(2022, 4, 1)
    serials: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "serials", (self.serie, self.nueva_serie))

    def as_json(self) -> dict:
        """What the mock control API answers at ``GET /_control/mundo``."""
        data = asdict(self)
        data.pop("serials")
        data["moment"] = self.moment.isoformat()
        data["fecha_activacion"] = self.fecha_activacion.isoformat()
        data["proximo_pago"] = self.proximo_pago.isoformat()
        return data


TUTORIAL_WORLD = TutorialWorld(
    moment=datetime(2022, 3, 15, 10, 0, tzinfo=MEXICO_CITY),
    nombre="Mariana López Herrera",
    correo="mariana.lopez@example.com",
    razon_social="Servicios Contables del Bajío, S.A. de C.V.",
    rfc="SCB150312QK4",
    serie="INL7K4M2QX9R5",
    nueva_serie="INLB8T3W6N5PW",
)
