"""The customer a scenario logs in as: the tutorial's own (figures), a fresh seeded one, or given by env."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from faker import Faker

from tutorial.sitio.mock_client import MockControl

# The tutorial's grid row (Aspel NOI 9.0, 1 usuario, 01/02/2022 → 01/04/2022), for the seeded
# customers of scenarios that show no figure; their clock is the tutorial world's moment.
TUTORIAL_SERIE = {"version": "9.0", "usuarios": 1, "fecha_activacion": "2022-02-01", "proximo_pago": "2022-04-01"}


@dataclass
class Customer:
    usuario: str
    password: str
    correo: str = ""
    nombre: str = ""
    razon_social: str = ""
    series: list[str] = field(default_factory=list)

    @property
    def serie(self) -> str:
        """The scenario's serial: the first one the account held."""
        return self.series[0]


def _new_login(faker: Faker) -> tuple[str, str]:
    """A unique user (parallel scenarios on one server never meet) and a seeded password."""
    return f"{faker.user_name()}.{uuid.uuid4().hex[:8]}", faker.password(length=14)


def _customer(usuario: str, password: str, account: dict) -> Customer:
    return Customer(
        usuario=usuario,
        password=password,
        correo=account["correo"],
        nombre=account["nombre"],
        razon_social=account["razon_social"],
        series=account["series"],
    )


def new_customer(control: MockControl, faker: Faker, seed: int, moment: str, **spec: Any) -> Customer:
    """A fresh account for one scenario: a unique user, the rest seeded (same data every run)."""
    usuario, password = _new_login(faker)
    series = spec.pop("series", None) or [TUTORIAL_SERIE]
    account = control.create_account(usuario=usuario, password=password, seed=seed, series=series, reloj=moment, **spec)
    return _customer(usuario, password, account)


def tutorial_customer(control: MockControl, faker: Faker) -> Customer:
    """The tutorial world's customer (``GET /_control/mundo``) under a fresh user: what every
    figure shows. The mock gives the world to one account at a time."""
    usuario, password = _new_login(faker)
    return _customer(usuario, password, control.claim_tutorial_world(usuario, password))


# What a site without mock control must give the suite: an account, by env.
ENV_USER, ENV_PASSWORD = "ASPEL_USUARIO", "ASPEL_CONTRASENA"
ENV_SERIAL, ENV_NAME, ENV_EMAIL, ENV_COMPANY = "ASPEL_SERIE", "ASPEL_NOMBRE", "ASPEL_CORREO", "ASPEL_RAZON_SOCIAL"


def customer_from_env() -> Customer | None:
    """An existing account on a site without mock control: ASPEL_USUARIO and ASPEL_CONTRASENA;
    optionally ASPEL_SERIE (its Aspel NOI 9.0 serial; else read from its grid), ASPEL_NOMBRE (the
    name the banner shows), ASPEL_CORREO and ASPEL_RAZON_SOCIAL (the company registered in aspel.com,
    for the activation scenarios)."""
    usuario, password = os.environ.get(ENV_USER), os.environ.get(ENV_PASSWORD)
    if not (usuario and password):
        return None
    serial = os.environ.get(ENV_SERIAL, "").strip()
    return Customer(
        usuario=usuario,
        password=password,
        nombre=os.environ.get(ENV_NAME, ""),
        correo=os.environ.get(ENV_EMAIL, ""),
        razon_social=os.environ.get(ENV_COMPANY, ""),
        series=[serial] if serial else [],
    )
