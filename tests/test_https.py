"""Published at an HTTPS public URL the site says so itself, whatever a proxy says: the session
cookie is ``Secure`` and every answer carries HSTS. Desktop screens (the registered razón social,
the serials) are never stored by the browser. The clock route takes a date-time or an explicit
null, nothing else."""

from __future__ import annotations

import pytest

from mock_site import create_app
from mock_site.db import connect
from mock_site.headers import STRICT_TRANSPORT_SECURITY
from tests.flask_site import CHEAP_HASH

LOGIN = "/mi-cuenta/iniciar-sesion"
CONTROL = {"X-Control-Token": "token-de-pruebas"}


def site(tmp_path, public_url: str | None, proxies: int = 0):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "https.sqlite"),
            "PUBLIC_URL": public_url,
            "TRUSTED_PROXIES": proxies,
            "PASSWORD_HASH": CHEAP_HASH,
        }
    )


def session_cookie(response) -> str:
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


@pytest.mark.parametrize(
    "proxies, headers",
    [
        (0, {}),  # TLS ends at a proxy the site does not trust: nothing says https
        (0, {"X-Forwarded-Proto": "http"}),
        (1, {"X-Forwarded-Proto": "http"}),  # a trusted proxy that says http (TLS ended before it)
    ],
)
def test_an_https_public_url_makes_the_session_cookie_secure_whatever_the_proxy_says(tmp_path, proxies, headers):
    app = site(tmp_path, "https://aspel.example.com", proxies)
    client = app.test_client()
    base = "http://aspel.example.com"
    page = client.get(LOGIN, base_url=base, headers=headers)
    assert "Secure" in session_cookie(page)


def test_an_http_public_url_keeps_the_cookie_plain_and_sends_no_hsts(tmp_path):
    client = site(tmp_path, "http://aspel.example.com").test_client()
    page = client.get(LOGIN, base_url="http://aspel.example.com")
    assert "Secure" not in session_cookie(page)
    assert "Strict-Transport-Security" not in page.headers


@pytest.mark.parametrize("path", ["/", LOGIN, "/no-existe", "/static/css/site.css", "/escritorio/"])
def test_every_answer_of_an_https_site_carries_hsts(tmp_path, path):
    client = site(tmp_path, "https://aspel.example.com").test_client()
    response = client.get(path, base_url="http://aspel.example.com")
    assert response.headers["Strict-Transport-Security"] == STRICT_TRANSPORT_SECURITY


def test_without_a_public_url_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_desktop_screens_are_not_stored(app, client, make_account):
    account = make_account()
    serie = account["series"][0]
    for path in (
        "/escritorio/",
        f"/escritorio/?serie={serie}",
        f"/escritorio/aspel-al/?serie={serie}",
        f"/escritorio/aspel-al/otros-sistemas?serie={serie}",
        f"/escritorio/noi/?serie={serie}",
        f"/escritorio/noi/activacion?serie={serie}",
    ):
        response = client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", path
    assert "Cache-Control" not in client.get("/precios/noi").headers  # public pages stay cacheable


# --- the clock route ------------------------------------------------------------------------------


def clocks(app, usuario: str) -> tuple[str | None, str | None]:
    """(the site's clock, the account's clock) as stored."""
    db = connect(app.config["DATABASE"])
    try:
        site_clock = db.execute("SELECT ahora FROM reloj").fetchone()[0]
        return site_clock, db.execute("SELECT reloj FROM cuenta WHERE usuario = ?", (usuario,)).fetchone()[0]
    finally:
        db.close()


MOMENT = "2022-03-15T10:00:00-06:00"


@pytest.mark.parametrize("ahora", [0, "", False, {}, [], 1.5, True, "mañana", "2022-13-01T10:00:00"])
@pytest.mark.parametrize("route", ["/_control/reloj", "/_control/cuentas/{usuario}/reloj"])
def test_the_clock_refuses_anything_but_a_date_time_or_null(app, client, make_account, ahora, route):
    account = make_account()  # its clock: MOMENT
    path = route.format(usuario=account["usuario"])
    assert client.put("/_control/reloj", json={"ahora": MOMENT}, headers=CONTROL).status_code == 200
    response = client.put(path, json={"ahora": ahora}, headers=CONTROL)
    assert response.status_code == 400 and "ahora" in response.get_json()["error"]
    assert clocks(app, account["usuario"]) == (MOMENT, MOMENT)  # neither clock went back to real time


@pytest.mark.parametrize("route", ["/_control/reloj", "/_control/cuentas/{usuario}/reloj"])
def test_an_explicit_null_gives_the_real_clock_back(app, client, make_account, route):
    account = make_account()
    path = route.format(usuario=account["usuario"])
    assert client.put(path, json={"ahora": None}, headers=CONTROL).get_json() == {"ahora": None}
