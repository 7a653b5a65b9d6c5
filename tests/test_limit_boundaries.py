"""Every documented number of the mock's limits (docs/guia/seguridad.md), tested on
both sides of its boundary with the number written here, not read from the code's constant: a
``<`` turned into ``<=``, or a constant changed, fails the test named for that rule.

Time is a counter (the limits' clock) or time-machine (the site's clock); never a sleep.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from werkzeug.exceptions import TooManyRequests

from mock_site import create_app, limits
from mock_site.auth import LOCKED, WRONG_CREDENTIALS
from mock_site.control_token import TOO_SHORT, control_token_problem
from mock_site.domain.lockout import locked
from mock_site.domain.rate_limit import RateLimit
from mock_site.domain.sessions import session_expired
from mock_site.domain.world import TUTORIAL_WORLD
from tests.flask_site import CHEAP_HASH, CONTROL_TOKEN, PASSWORD, csrf_token
from tests.test_mock_control import Clock

MINUTE = 60
NOW = datetime(2022, 3, 15, 10, 0)
# (name, requests allowed, window in seconds): the table of docs/guia/seguridad.md.
DOCUMENTED_LIMITS = [
    ("comentario_sesion", 5, 10 * MINUTE),
    ("comentario_cliente", 20, 10 * MINUTE),
    ("activacion_sesion", 10, 10 * MINUTE),
    ("activacion_cliente", 30, 10 * MINUTE),
    ("validacion_serie", 30, MINUTE),
    ("validacion_cliente", 120, MINUTE),
    ("inicio_sesion_cliente", 100, 10 * MINUTE),
    ("recuperacion_cliente", 30, 15 * MINUTE),
    ("token_control_cliente", 10, 15 * MINUTE),
]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def limited_app(tmp_path, clock):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "bordes.sqlite"),
            "CONTROL_TOKEN": CONTROL_TOKEN,
            "PASSWORD_HASH": CHEAP_HASH,
            "RATE_LIMIT_CLOCK": clock,
        }
    )


# --- the control token: 16 characters or more -------------------------------------------------


def test_control_token_of_15_characters_is_refused_and_of_16_accepted(tmp_path):
    assert control_token_problem("a" * 15) == TOO_SHORT
    assert control_token_problem("a" * 16) is None
    with pytest.raises(ValueError, match="al menos 16 caracteres"):
        create_app({"DATABASE": str(tmp_path / "x.sqlite"), "CONTROL_TOKEN": "b" * 15})
    app = create_app({"DATABASE": str(tmp_path / "y.sqlite"), "CONTROL_TOKEN": "b" * 16})
    assert app.test_client().get("/_control/mundo", headers={"X-Control-Token": "b" * 16}).status_code == 200


# --- each rate limit: the last allowed and the first refused -----------------------------------


@pytest.mark.parametrize(("name", "allowed", "seconds"), DOCUMENTED_LIMITS, ids=[n for n, _, _ in DOCUMENTED_LIMITS])
def test_rate_limit_allows_its_last_request_and_refuses_the_next_until_its_window_ends(
    limited_app, clock, name, allowed, seconds
):
    """Through limits.py as the views call it (``limit`` for the forms and APIs, the failure
    count for the control token)."""
    area, kind = name.rsplit("_", 1)

    def attempt() -> None:
        if name == "token_control_cliente":
            limits.refuse_locked_client(name)
            limits.count_failure(name)
        else:
            limits.limit(area, **{kind: "clave"})

    with limited_app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        for _ in range(allowed):  # the allowed-th is the last let through
            attempt()
        with pytest.raises(TooManyRequests) as refused:  # the first refused
            attempt()
        assert refused.value.retry_after == seconds
        clock.now += seconds - 1  # one second before the first request leaves the window
        with pytest.raises(TooManyRequests):
            attempt()
        clock.now += 1  # the first request has left it: one more is let through
        attempt()


def test_every_limit_of_the_site_is_documented_here():
    assert {name for name, _, _ in DOCUMENTED_LIMITS} == set(limits.DEFAULT_LIMITS)


def test_control_token_lock_lets_the_tenth_wrong_token_be_checked_and_refuses_the_eleventh(limited_app):
    client = limited_app.test_client()
    for n in range(10):
        assert client.get("/_control/mundo", headers={"X-Control-Token": f"mal-{n:02}-token-largo"}).status_code == 403
    assert client.get("/_control/mundo", headers={"X-Control-Token": "mal-11-token-largo"}).status_code == 429


# --- password recovery mails per account: 3 in 15 minutes ---------------------------------------


def test_recovery_mails_per_account_allow_the_third_and_refuse_the_fourth():
    rate = RateLimit(3, timedelta(minutes=15))
    assert rate.allows(2)  # two sent: the third goes
    assert not rate.allows(3)  # three sent: the fourth is held back
    assert rate.counted_since(NOW) == NOW - timedelta(minutes=15)


def test_recovery_mails_per_account_over_http(client, make_account):
    account = make_account()
    path = "/mi-cuenta/recuperar-contrasena/"
    for _ in range(4):
        client.post(path, data={"usuario": account["usuario"], "csrf_token": csrf_token(client, path)})
    outbox = client.get(
        "/_control/correos", query_string={"para": account["correo"]}, headers={"X-Control-Token": CONTROL_TOKEN}
    ).get_json()
    assert len(outbox) == 3


# --- log-in lock-out: after the 5th failure, for 15 minutes --------------------------------------


def test_log_in_lock_out_comes_with_the_fifth_wrong_password_not_the_fourth(client, make_account, login):
    account = make_account()
    for n in range(4):
        assert WRONG_CREDENTIALS in login(account["usuario"], "mala").get_data(as_text=True), n
    assert login(account["usuario"], PASSWORD).status_code == 302  # four failures: not locked
    client.post("/mi-cuenta/cerrar-sesion", data={"csrf_token": csrf_token(client, "/")})
    for _ in range(5):
        answer = login(account["usuario"], "mala").get_data(as_text=True)
    assert LOCKED in answer  # the fifth failure locks
    assert LOCKED in login(account["usuario"], PASSWORD).get_data(as_text=True)


def test_log_in_lock_lasts_15_minutes():
    until = NOW + timedelta(minutes=15)
    assert locked(until, NOW + timedelta(minutes=15) - timedelta(microseconds=1))
    assert not locked(until, NOW + timedelta(minutes=15))


# --- a recovery link: 30 minutes ----------------------------------------------------------------


def test_recovery_link_opens_at_30_minutes_and_expires_one_second_later(client, make_account):
    account = make_account(reloj=None)  # on the site's clock, frozen by mock control below
    control = {"X-Control-Token": CONTROL_TOKEN}

    def at(minutes: float) -> None:
        moment = TUTORIAL_WORLD.moment + timedelta(minutes=minutes)
        client.put("/_control/reloj", headers=control, json={"ahora": moment.isoformat()})

    at(0)
    path = "/mi-cuenta/recuperar-contrasena/"
    client.post(path, data={"usuario": account["usuario"], "csrf_token": csrf_token(client, path)})
    text = client.get("/_control/correos", query_string={"para": account["correo"]}, headers=control).get_json()
    link = text[-1]["texto"]
    link = link[link.index("/mi-cuenta/recuperar-contrasena/") :].split()[0]
    at(30)
    assert client.get(link).status_code == 200
    at(30 + 1 / 60)
    assert client.get(link).status_code == 410


# --- a session: 30 idle minutes, 12 hours in all ------------------------------------------------


def test_session_lives_until_30_idle_minutes():
    assert not session_expired(NOW, NOW, NOW + timedelta(minutes=30) - timedelta(microseconds=1))
    assert session_expired(NOW, NOW, NOW + timedelta(minutes=30))


def test_session_lives_until_12_hours_after_the_log_in_however_busy():
    end = NOW + timedelta(hours=12)
    assert not session_expired(NOW, end - timedelta(minutes=1), end - timedelta(microseconds=1))
    assert session_expired(NOW, end - timedelta(minutes=1), end)


# --- the server: bodies up to 64 KiB; headers due in 10 s; 500 connections ----------------------


def test_server_numbers_are_the_documented_ones():
    from mock_site import DEFAULTS
    from mock_site.wsgi_server import CHANNEL_TIMEOUT, CONNECTION_LIMIT, HEADER_TIMEOUT

    assert DEFAULTS["MAX_CONTENT_LENGTH"] == 64 * 1024
    assert (HEADER_TIMEOUT, CHANNEL_TIMEOUT, CONNECTION_LIMIT) == (10, 30, 500)


def test_a_body_of_64_kib_reaches_the_app_and_one_byte_more_is_413(client):
    path = "/precios/noi"
    assert client.post(path, data=b"a" * (64 * 1024), content_type="application/octet-stream").status_code == 405
    refused = client.post(
        "/tutoriales/solicita-tu-numero-de-serie-desde-aspel-com/comentarios",
        data=b"a" * (64 * 1024 + 1),
        content_type="application/x-www-form-urlencoded",
    )
    assert refused.status_code == 413


def test_the_running_clock_of_make_sitio_is_real_time(app):
    """The running clock's speed: one real minute is one site minute (see test_security_running_clock)."""
    from mock_site import __main__ as serve
    from mock_site.db import now

    with time_machine.travel(datetime(2026, 12, 8, 18, 0).astimezone(), tick=False) as traveller:
        serve.create_demo_account(app, TUTORIAL_WORLD.moment)
        traveller.shift(timedelta(minutes=1))
        with app.app_context():
            assert now() == TUTORIAL_WORLD.moment + timedelta(minutes=1)
