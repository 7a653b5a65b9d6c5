"""Log-in and password recovery are limited per client, checked before any
password is hashed. The probe: twelve threads posting random user names (each check a scrypt) took
``/precios/noi`` from 3 ms to a 3.4 s median. Time is a counter the test moves."""

from __future__ import annotations

import pytest

from mock_site import auth, create_app
from mock_site.limits import DEFAULT_LIMITS
from tests.flask_site import CHEAP_HASH, csrf_token
from tests.test_mock_control import Clock
from tests.test_rate_limits import assert_spanish_429

LOGIN = "/mi-cuenta/iniciar-sesion"
RECOVERY = "/mi-cuenta/recuperar-contrasena/"
ATTACKER, OWNER = "203.0.113.66", "198.51.100.1"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(tmp_path, clock):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "inicio.sqlite"),
            "PASSWORD_HASH": CHEAP_HASH,
            "RATE_LIMIT_CLOCK": clock,
        }
    )


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """Every password check the log-in makes (what costs a scrypt on make sitio)."""
    checked: list[str] = []
    real = auth.check_password_hash

    def counted(stored: str, password: str) -> bool:
        checked.append(password)
        return real(stored, password)

    monkeypatch.setattr(auth, "check_password_hash", counted)
    return checked


def post(client, path: str, data: dict, address: str):
    token = csrf_token(client, path)
    return client.post(path, data={**data, "csrf_token": token}, environ_base={"REMOTE_ADDR": address})


def log_in(client, n: int, address: str = ATTACKER):
    return post(client, LOGIN, {"usuario": f"nadie{n}", "contrasena": "adivinada"}, address)


def test_log_in_is_limited_per_client_before_any_password_is_hashed(app, clock, hashes):
    client, limit = app.test_client(), DEFAULT_LIMITS["inicio_sesion_cliente"]
    for n in range(limit.limit):  # the last allowed: the limit-th
        assert log_in(client, n).status_code == 401, n
    assert len(hashes) == limit.limit
    assert_spanish_429(log_in(client, limit.limit), limit.seconds)  # the first refused
    assert len(hashes) == limit.limit  # refused before its password was checked
    assert log_in(app.test_client(), 0, address=OWNER).status_code == 401  # another client is not limited
    clock.now += limit.seconds
    assert log_in(client, 0).status_code == 401


def test_recovery_is_limited_per_client(app, clock):
    client, limit = app.test_client(), DEFAULT_LIMITS["recuperacion_cliente"]
    for n in range(limit.limit):
        assert post(client, RECOVERY, {"usuario": f"nadie{n}"}, ATTACKER).status_code == 200, n
    assert_spanish_429(post(client, RECOVERY, {"usuario": "nadie"}, ATTACKER), limit.seconds)
    assert post(app.test_client(), RECOVERY, {"usuario": "nadie"}, OWNER).status_code == 200
    clock.now += limit.seconds
    assert post(client, RECOVERY, {"usuario": "nadie"}, ATTACKER).status_code == 200
