"""Domain objects for the fast tests."""

from __future__ import annotations

from datetime import date

from mock_site.domain import serials
from mock_site.domain.upgrades import Serie

TODAY = date(2022, 3, 15)  # the tutorial's date: between 01/02/2022 and 01/04/2022


def noi(**changes) -> Serie:
    """The tutorial's row (NOI 9.0, monthly, 1 user, 01/02/2022 → 01/04/2022) with ``changes``."""
    fields = dict(
        numero=serials.random_serial(),
        sistema="NOI",
        version="9.0",
        modalidad="suscripcion",
        periodicidad="mensual",
        usuarios=1,
        fecha_activacion=date(2022, 2, 1),
        proximo_pago=date(2022, 4, 1),
    )
    return Serie(**{**fields, **changes})
