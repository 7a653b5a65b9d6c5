"""Seguridad: the log-in lock, pages that need a log-in, log-out, escaped input, others' serials."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect
from pytest_bdd import given, parsers, then, when

from steps.screens import PROBE, AnyScreen
from steps.screens.account import LoginScreen
from steps.screens.mail import RECOVERY_SUBJECT
from steps.screens.subscriptions import SubscriptionsGrid
from tutorial.sitio.customer import TUTORIAL_SERIE, Customer, new_customer

LOCK_LIMIT = 5


def _try_log_in(page: Page, usuario: str, password: str) -> None:
    """One refused log-in: the window answers with its one alert."""
    login = LoginScreen(page)
    login.send(usuario, password)
    expect(login.alert).to_be_visible()


def _wrong_passwords(page: Page, customer: Customer, times: int) -> None:
    for attempt in range(times):
        _try_log_in(page, customer.usuario, f"{customer.password}-no-{attempt}")


@when(
    parsers.re(r"intento (?P<times>\d+) (?:veces|vez más) iniciar sesión con una contraseña equivocada"),
    converters={"times": int},
)
def wrong_passwords(page: Page, customer: Customer, times: int):
    _wrong_passwords(page, customer, times)


@given(parsers.parse("que mi cuenta se bloqueó por {times:d} contraseñas equivocadas"))
def locked_account(page: Page, customer: Customer, times: int):
    assert times >= LOCK_LIMIT
    login = LoginScreen(page).open()
    _wrong_passwords(page, customer, times)
    expect(login.alert.filter(has_text="bloqueada temporalmente")).to_be_visible()


@when(parsers.parse("han pasado {minutes:d} minutos desde el bloqueo"))
def minutes_since_the_lock(mock_control, customer: Customer, tutorial_moment, minutes: int):
    """The customer's clock stands still at the tutorial's moment, when the lock began."""
    mock_control.move_account_clock(customer.usuario, (tutorial_moment + timedelta(minutes=minutes)).isoformat())


@when("abro la dirección de Mis servicios > Suscripciones sin haber iniciado sesión")
@when("abro otra vez la dirección de Mis servicios > Suscripciones")
def open_subscriptions_address(page: Page):
    SubscriptionsGrid(page).goto()


@when("regreso con el botón Atrás del navegador")
def go_back(page: Page):
    AnyScreen(page).go_back()


@then("no veo Sistemas en Suscripción")
def no_subscriptions(page: Page):
    grid = SubscriptionsGrid(page)
    expect(grid.title).to_have_count(0)
    expect(grid.any_grid).to_have_count(0)


@then(parsers.parse("no veo la ventana {title}"))
def no_window(page: Page, title: str):
    screen = AnyScreen(page)
    expect(screen.window(title)).to_have_count(0)
    expect(screen.dialog(title)).to_have_count(0)


@when("intento iniciar sesión con un código HTML con un script como usuario")
def log_in_as_html(page: Page):
    LoginScreen(page).send(PROBE, "una-contraseña")


@then("el campo Usuario muestra el código tal como lo escribí")
def user_field_shows_the_code(page: Page):
    expect(LoginScreen(page).user_field).to_have_value(PROBE)


@then("el código no se ejecutó")
def code_did_not_run(page: Page):
    """Neither the script nor the image's handler ran, and the page holds no element made from the
    code (``AnyScreen.probe_traces`` says why both halves)."""
    found = AnyScreen(page).probe_traces()
    assert found == {"ran": None, "injected": 0}, found


@when("abro la dirección de Actualiza la serie con la serie de otra cuenta")
def open_someone_elses_serial(page: Page, mock_control, tutorial_moment, faker, faker_seed):
    other = new_customer(mock_control, faker, faker_seed + 1, tutorial_moment.isoformat(), series=[TUTORIAL_SERIE])
    grid = SubscriptionsGrid(page)
    grid.goto(grid.upgrade_address(other.serie))


@when("abro una dirección de aspel.com.mx que no existe")
def open_unknown_address(page: Page):
    AnyScreen(page).go_to(f"/no-existe-{uuid.uuid4().hex[:8]}")


@then(parsers.parse('veo el enlace "{name}"'))
def see_link(page: Page, name: str):
    expect(AnyScreen(page).link(name)).to_be_visible()


# --- issue 17: sessions that end, unknown users locked like accounts, a forged Host -------------


@pytest.fixture
def account_clock(tutorial_moment) -> datetime:
    """The customer's clock: the tutorial's moment, when the customer logged in; the steps that
    let time pass replace it (their ``target_fixture``)."""
    return tutorial_moment


def _pass_time(mock_control, customer: Customer, account_clock: datetime, minutes: int) -> datetime:
    now = account_clock + timedelta(minutes=minutes)
    mock_control.move_account_clock(customer.usuario, now.isoformat())
    return now


@when(parsers.parse("pasan {minutes:d} minutos sin que haga nada en la página"), target_fixture="account_clock")
def idle_minutes(mock_control, customer: Customer, account_clock: datetime, minutes: int) -> datetime:
    return _pass_time(mock_control, customer, account_clock, minutes)


@when(
    parsers.parse("uso la página cada {every:d} minutos durante {hours:d} horas y {minutes:d} minutos"),
    target_fixture="account_clock",
)
def busy_hours(
    page: Page, mock_control, customer: Customer, account_clock: datetime, every: int, hours: int, minutes: int
) -> datetime:
    total = hours * 60 + minutes
    used = 0
    grid = SubscriptionsGrid(page)
    while used < total:
        step = min(every, total - used)
        account_clock = _pass_time(mock_control, customer, account_clock, step)
        used += step
        answer = grid.fetch()  # the site counts requests, not paint: 29 of them need not be drawn
        assert answer.ok and urlsplit(answer.url).path == grid.PATH, (
            f"a los {used} minutos la sesión terminó: {answer.url}"
        )
        assert grid.TITLE in answer.text(), f"a los {used} minutos no se vio {grid.TITLE}"
    grid.goto()  # the page the next step looks at, at the same moment
    return account_clock


@pytest.fixture
def unknown_user() -> str:
    """Replaced by the user «intento … con un usuario que no existe» made up (its ``target_fixture``)."""
    pytest.fail("El escenario no intentó antes con un usuario que no existe.")


@when(
    parsers.parse("intento {times:d} veces iniciar sesión con un usuario que no existe"), target_fixture="unknown_user"
)
def unknown_user_attempts(page: Page, times: int) -> str:
    usuario = f"nadie-{uuid.uuid4().hex[:10]}"
    for attempt in range(times):
        _try_log_in(page, usuario, f"contraseña-{attempt}")
    return usuario


@when(parsers.parse("intento {times:d} vez más iniciar sesión con ese usuario"))
def one_more_unknown_attempt(page: Page, unknown_user: str, times: int):
    for attempt in range(times):
        _try_log_in(page, unknown_user, f"contraseña-{100 + attempt}")


@pytest.fixture
def forged_answer() -> dict:
    """Replaced by the site's answer to the forged request (its step's ``target_fixture``)."""
    pytest.fail("El escenario no envió la solicitud con el nombre de otro sitio.")


@when(
    "alguien pide recuperar mi contraseña con el nombre de otro sitio en la solicitud", target_fixture="forged_answer"
)
def recovery_with_forged_host(base_url: str, customer: Customer) -> dict:
    """What an attacker sends (a browser cannot): the site's address, another site's name in
    ``Host``, so that a careless site would mail a link to that other site."""
    request = urllib.request.Request(
        base_url.rstrip("/") + "/mi-cuenta/recuperar-contrasena/",
        method="POST",
        data=urlencode({"usuario": customer.usuario}).encode(),
        headers={"Host": "sitio-ajeno.example", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return {"status": response.status, "html": response.read().decode()}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "html": error.read().decode()}


@then(parsers.parse('la respuesta es la página "{title}"'))
def answer_is_page(page: Page, forged_answer: dict, title: str):
    assert forged_answer["status"] == 400, forged_answer["status"]
    screen = AnyScreen(page)
    screen.show(forged_answer["html"])
    expect(screen.heading(title)).to_be_visible()
    assert "sitio-ajeno.example" not in forged_answer["html"]


@then("no recibo ningún correo para recuperar mi contraseña")
def no_recovery_mail(mock_control, customer: Customer):
    subjects = [message["asunto"] for message in mock_control.outbox(customer.correo)]
    assert not [s for s in subjects if RECOVERY_SUBJECT in s], subjects
