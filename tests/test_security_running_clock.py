"""On ``make sitio`` the site's clock starts on the tutorial's moment and runs, so
every time limit counted on it ends; the figures' and scenarios' clocks stay frozen.

The probe: 15.3 real minutes after five wrong passwords the right one still got LOCKED (the lock
ends at 10:15 on a clock fixed at 10:00), a 31-minute-old recovery link still opened, an idle
session never ended, and the recovery quota never refilled. Real time is moved with time-machine.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from mock_site import __main__ as serve
from mock_site import store
from mock_site.auth import LOCKED
from mock_site.db import connect, get_db, now, set_clock
from mock_site.domain.clock import running_moment
from mock_site.domain.lockout import LOCK_DURATION, MAX_FAILED_LOGINS
from mock_site.domain.sessions import IDLE_LIMIT
from mock_site.domain.world import TUTORIAL_WORLD
from tests.flask_site import CONTROL_TOKEN, csrf_token

CONTROL = {"X-Control-Token": CONTROL_TOKEN}
LOGIN = "/mi-cuenta/iniciar-sesion"
RECOVERY = "/mi-cuenta/recuperar-contrasena/"
ACCOUNT_HOME = "/mi-cuenta/mis-servicios/suscripciones"
SECOND = timedelta(seconds=1)


@pytest.fixture
def real_time():
    """Python's clock stopped on a real-looking instant; ``real_time.shift(delta)`` moves it."""
    with time_machine.travel(datetime(2026, 12, 8, 18, 0, tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def demo(app, real_time) -> dict:
    """``make sitio``'s start: the demo customer on the tutorial's moment, the site's clock running."""
    usuario, password = serve.create_demo_account(app, TUTORIAL_WORLD.moment)
    return {"usuario": usuario, "password": password}


def log_in(client, usuario: str, password: str):
    return client.post(
        LOGIN, data={"usuario": usuario, "contrasena": password, "csrf_token": csrf_token(client, LOGIN)}
    )


def site_now(app) -> datetime:
    with app.app_context():
        return now()


def mails(client, usuario_correo: str) -> list[dict]:
    return client.get("/_control/correos", query_string={"para": usuario_correo}, headers=CONTROL).get_json()


def demo_address(app) -> str:
    db = connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT correo FROM cuenta WHERE usuario = 'demo'").fetchone()["correo"]
    finally:
        db.close()


def recovery_link(client, correo: str) -> str:
    text = mails(client, correo)[-1]["texto"]
    url = text[text.index("http") :].split()[0]
    return url[url.index("/mi-cuenta") :]


def test_make_sitio_starts_on_the_tutorials_moment_and_its_clock_runs(app, demo, real_time):
    assert site_now(app) == TUTORIAL_WORLD.moment
    real_time.shift(timedelta(minutes=7))
    assert site_now(app) == TUTORIAL_WORLD.moment + timedelta(minutes=7)
    assert site_now(app).date() == TUTORIAL_WORLD.moment.date()  # still the tutorial's day


def test_a_frozen_clock_stays_where_mock_control_put_it(app, client, real_time):
    """The figures and the scenarios: /_control/reloj and /_control/mundo freeze their moment."""
    assert client.put("/_control/reloj", headers=CONTROL, json={"ahora": "2022-03-15T10:00:00"}).status_code == 200
    world = client.post("/_control/mundo", headers=CONTROL, json={"usuario": "w", "password": "x" * 12}).get_json()
    real_time.shift(timedelta(hours=5))
    assert site_now(app) == TUTORIAL_WORLD.moment
    with app.app_context():
        assert now(store.account(get_db(), world["id"])) == TUTORIAL_WORLD.moment


def test_the_log_in_lock_ends_fifteen_real_minutes_later(app, client, demo, real_time):
    for _ in range(MAX_FAILED_LOGINS):
        log_in(client, demo["usuario"], "no-es-la-contrasena")
    assert LOCKED in log_in(client, demo["usuario"], demo["password"]).get_data(as_text=True)
    real_time.shift(LOCK_DURATION - SECOND)
    assert LOCKED in log_in(client, demo["usuario"], demo["password"]).get_data(as_text=True)
    real_time.shift(SECOND)
    assert log_in(client, demo["usuario"], demo["password"]).status_code == 302


def test_a_recovery_link_expires_thirty_real_minutes_later(app, client, demo, real_time):
    client.post(RECOVERY, data={"usuario": demo["usuario"], "csrf_token": csrf_token(client, RECOVERY)})
    link = recovery_link(client, demo_address(app))
    real_time.shift(timedelta(seconds=app.config["RESET_TOKEN_MAX_AGE"]))
    assert client.get(link).status_code == 200
    real_time.shift(SECOND)
    expired = client.get(link)
    assert expired.status_code == 410
    assert "venció" in expired.get_data(as_text=True)


def test_an_idle_session_ends_after_thirty_real_minutes(app, client, demo, real_time):
    assert log_in(client, demo["usuario"], demo["password"]).status_code == 302
    assert client.get(ACCOUNT_HOME).status_code == 200
    real_time.shift(IDLE_LIMIT + SECOND)
    assert client.get(ACCOUNT_HOME).status_code == 302


def test_the_recovery_quota_refills_when_its_window_passes(app, client, demo, real_time):
    limit, window = app.config["RESET_RATE_LIMIT"], timedelta(seconds=app.config["RESET_RATE_WINDOW"])
    address = demo_address(app)
    for _ in range(limit + 1):
        client.post(RECOVERY, data={"usuario": demo["usuario"], "csrf_token": csrf_token(client, RECOVERY)})
    assert len(mails(client, address)) == limit
    real_time.shift(window)
    client.post(RECOVERY, data={"usuario": demo["usuario"], "csrf_token": csrf_token(client, RECOVERY)})
    assert len(mails(client, address)) == limit + 1


def test_unknown_name_recovery_rows_are_pruned_by_age(app, client, demo, real_time):
    """400 requests for names without an account left 400 rows on the frozen clock."""
    for number in range(5):
        client.post(RECOVERY, data={"usuario": f"nadie{number}", "csrf_token": csrf_token(client, RECOVERY)})
    real_time.shift(timedelta(seconds=app.config["RESET_RATE_WINDOW"]) + SECOND)
    client.post(RECOVERY, data={"usuario": "nadie-mas", "csrf_token": csrf_token(client, RECOVERY)})
    db = connect(app.config["DATABASE"])
    try:
        assert db.execute("SELECT count(*) FROM recuperacion_desconocida").fetchone()[0] == 1
    finally:
        db.close()


def test_a_frozen_clock_ages_nothing_but_the_unknown_rows_are_capped(app, client, monkeypatch):
    monkeypatch.setattr(store, "MAX_UNKNOWN_RECOVERIES", 3)
    with app.app_context():
        set_clock(TUTORIAL_WORLD.moment)
    for number in range(6):
        client.post(RECOVERY, data={"usuario": f"nadie{number}", "csrf_token": csrf_token(client, RECOVERY)})
    db = connect(app.config["DATABASE"])
    try:
        kept = [row["quien"] for row in db.execute("SELECT quien FROM recuperacion_desconocida ORDER BY rowid")]
    finally:
        db.close()
    assert kept == ["nadie3", "nadie4", "nadie5"]


def test_a_running_clock_never_goes_below_where_it_was_set():
    set_to, set_at = TUTORIAL_WORLD.moment, datetime(2026, 12, 8, 18, 0, tzinfo=UTC)
    assert running_moment(set_to, set_at, set_at + timedelta(minutes=3)) == set_to + timedelta(minutes=3)
    assert running_moment(set_to, set_at, set_at - timedelta(hours=1)) == set_to
