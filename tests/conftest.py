"""Fixtures for the fast tests: the Flask app on a temporary database, no browser."""

from __future__ import annotations

from datetime import date

import pytest

from mock_site import create_app, store
from mock_site.db import connect
from tests.flask_site import CHEAP_HASH, CONTROL_TOKEN, PASSWORD, csrf_token
from tests.security_probe import owner_account


@pytest.fixture
def app(tmp_path):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "aspel.sqlite"),
            "SERIAL_KEY": "pruebas",
            "CONTROL_TOKEN": CONTROL_TOKEN,
            "PASSWORD_HASH": CHEAP_HASH,
        }
    )


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_account(app):
    """Create an account straight in the store; returns its description (usuario, series...)."""
    counter = iter(range(1, 10_000))

    def make(**kwargs) -> dict:
        number = next(counter)
        kwargs.setdefault("series", [store.SerieSpec(proximo_pago=date(2022, 4, 1))])
        kwargs.setdefault("reloj", "2022-03-15T10:00:00-06:00")
        db = connect(app.config["DATABASE"])
        try:
            return store.create_account(
                db,
                usuario=kwargs.pop("usuario", f"cliente{number}"),
                password=PASSWORD,
                seed=number,
                key=app.config["SERIAL_KEY"].encode(),
                password_hash=app.config["PASSWORD_HASH"],
                **kwargs,
            )
        finally:
            db.close()

    return make


@pytest.fixture
def login(client):
    def log_in(usuario: str, password: str = PASSWORD):
        token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
        return client.post(
            "/mi-cuenta/iniciar-sesion", data={"usuario": usuario, "contrasena": password, "csrf_token": token}
        )

    return log_in


@pytest.fixture
def owner(app, client, make_account):
    """A logged-in customer holding a NOI 9.0 serial (upgradable) and a 10.0 one, a mail and a
    recovery link; ``values`` fills every route argument with what is this customer's own."""
    return owner_account(app, client, make_account)
