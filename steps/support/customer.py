"""The customer a scenario logs in as: made through the mock control API, or given by env."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from faker import Faker

from .mock_client import MockControl

# Every scenario's account lives on this date unless a scenario moves its clock: it fits the
# tutorial's grid (01/02/2022 → 01/04/2022), so the figures show the tutorial's dates.
FIGURE_MOMENT = datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))

# The tutorial's grid row: Aspel NOI 9.0, 1 usuario, activated 01/02/2022, next payment 01/04/2022.
TUTORIAL_SERIE = {"version": "9.0", "usuarios": 1, "fecha_activacion": "2022-02-01", "proximo_pago": "2022-04-01"}


@dataclass
class Customer:
    usuario: str
    password: str
    correo: str = ""
    nombre: str = ""
    razon_social: str = ""
    series: list[str] = field(default_factory=list)
    nueva_serie: str | None = None  # the serial the upgrade issued, once a step read it

    @property
    def serie(self) -> str:
        """The scenario's serial: the first one the account held."""
        return self.series[0]


def new_customer(control: MockControl, faker: Faker, seed: int, moment: str, **spec: Any) -> Customer:
    """A fresh account for one scenario: a unique user, the rest seeded (same figures every run)."""
    usuario = f"{faker.user_name()}.{uuid.uuid4().hex[:8]}"
    password = faker.password(length=14)
    series = spec.pop("series", None) or [TUTORIAL_SERIE]
    account = control.create_account(
        usuario=usuario, password=password, seed=seed, series=series, reloj=moment, **spec
    )
    return Customer(
        usuario=usuario, password=password, correo=account["correo"], nombre=account["nombre"],
        razon_social=account["razon_social"], series=account["series"],
    )


def customer_from_env() -> Customer | None:
    """An existing account on a site without mock control (ASPEL_USUARIO, ASPEL_CONTRASENA)."""
    usuario, password = os.environ.get("ASPEL_USUARIO"), os.environ.get("ASPEL_CONTRASENA")
    if not (usuario and password):
        return None
    return Customer(usuario=usuario, password=password, nombre=os.environ.get("ASPEL_NOMBRE", ""))
