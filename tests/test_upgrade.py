"""The upgrade over HTTP: once, only one's own serials, never 500."""

from __future__ import annotations

import re
import threading
from datetime import date

from mock_site import store
from mock_site.db import connect
from mock_site.domain.serials import is_valid_serial, random_serial
from tests.flask_site import CONTROL_TOKEN, csrf_token

GRID = "/mi-cuenta/mis-servicios/suscripciones"


def accept_path(serial: str) -> str:
    return f"{GRID}/{serial}/actualizar"


def rows(app) -> list:
    return connect(app.config["DATABASE"]).execute("SELECT * FROM serie ORDER BY id").fetchall()


def mails(app) -> list:
    return connect(app.config["DATABASE"]).execute("SELECT * FROM correo").fetchall()


def test_accept_issues_one_new_serial_for_noi_10(app, client, make_account, login):
    account = make_account()
    login(account["usuario"])
    old = account["series"][0]
    response = client.post(accept_path(old), data={"csrf_token": csrf_token(client, accept_path(old))})
    assert response.status_code == 303
    new = [row for row in rows(app) if row["reemplaza"] == old]
    assert len(new) == 1 and new[0]["version"] == "10.0" and is_valid_serial(new[0]["numero"])
    assert new[0]["numero"] != old
    assert len(mails(app)) == 1


def test_the_dialog_alone_changes_nothing(app, client, make_account, login):
    account = make_account()
    login(account["usuario"])
    page = client.get(accept_path(account["series"][0])).get_data(as_text=True)
    assert "Actualiza la versión de tu sistema" in page
    assert len(rows(app)) == 1 and mails(app) == []


def test_twenty_concurrent_accepts_give_exactly_one_serial_and_one_notice(app, client, make_account, login):
    account = make_account()
    login(account["usuario"])
    old = account["series"][0]
    token = csrf_token(client, accept_path(old))
    cookie = client.get_cookie("session").value
    barrier = threading.Barrier(20)
    statuses: list[int] = []

    def accept() -> None:
        own = app.test_client()
        own.set_cookie("session", cookie)
        barrier.wait()
        statuses.append(own.post(accept_path(old), data={"csrf_token": token}).status_code)

    threads = [threading.Thread(target=accept) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * 20
    assert len([row for row in rows(app) if row["reemplaza"] == old]) == 1
    assert len(mails(app)) == 1


def test_a_second_accept_says_it_was_already_upgraded(app, client, make_account, login):
    account = make_account()
    login(account["usuario"])
    old = account["series"][0]
    token = csrf_token(client, accept_path(old))
    client.post(accept_path(old), data={"csrf_token": token})
    again = client.post(accept_path(old), data={"csrf_token": token}, follow_redirects=True)
    assert "ya se actualizó" in again.get_data(as_text=True)
    assert len(rows(app)) == 2


def test_another_accounts_or_unknown_or_malformed_serial_is_404(app, client, make_account, login):
    mine, theirs = make_account(), make_account()
    login(mine["usuario"])
    token = csrf_token(client, GRID)
    for serial in (theirs["series"][0], random_serial(), "NO-ES-SERIE", "INL" + "Z" * 200):
        assert client.get(accept_path(serial)).status_code == 404, serial
        assert client.post(accept_path(serial), data={"csrf_token": token}).status_code == 404, serial
    assert len(rows(app)) == 2 and mails(app) == []


def test_licence_gets_the_paid_path_not_the_dialog(app, client, make_account, login):
    account = make_account(modalidad="licenciamiento", series=[store.SerieSpec()])
    login(account["usuario"])
    serial = account["series"][0]
    grid = client.get(GRID).get_data(as_text=True)
    assert "Actualiza la serie" not in grid and "Compra la actualización" in grid
    assert (
        client.post(
            accept_path(serial), data={"csrf_token": csrf_token(client, GRID)}, follow_redirects=True
        ).status_code
        == 200
    )
    assert len(rows(app)) == 1


def test_inactive_subscription_cannot_be_upgraded(app, client, make_account, login):
    account = make_account(series=[store.SerieSpec(proximo_pago=date(2022, 3, 1))])
    login(account["usuario"])
    serial = account["series"][0]
    grid = client.get(GRID).get_data(as_text=True)
    assert "Inactiva" in grid and "Actualiza la serie" not in grid
    response = client.post(accept_path(serial), data={"csrf_token": csrf_token(client, GRID)}, follow_redirects=True)
    assert "Inactiva y no puede actualizarse" in response.get_data(as_text=True)
    assert len(rows(app)) == 1


def test_an_inactive_row_shows_no_next_payment(client, make_account, login):
    """Continuity (issue 36, point 5): a serial that is Inactiva that day is paid no more, so its
    row shows no «Próximo Pago»; an active row beside it keeps its date."""
    account = make_account(
        series=[store.SerieSpec(proximo_pago=date(2022, 3, 1)), store.SerieSpec(proximo_pago=date(2022, 4, 1))]
    )
    login(account["usuario"])
    grid = client.get(GRID).get_data(as_text=True)
    cells = {
        estado: pago
        for pago, estado in re.findall(r'<td data-sort="[^"]*">([^<]*)</td>\s*<td class="[^"]*">([^<]+)</td>', grid)
    }
    assert cells["Inactiva"] == ""
    assert "01/04/2022" in cells.values()


def test_a_late_answer_for_the_dialog_page_does_not_take_the_new_serials_notice_away(client, make_account, login):
    """The notice travels in the session cookie of the 303 that answers *Aceptar*. The dialog
    page's stylesheets, scripts and fonts were asked for with the cookie from before; one answered
    after the 303 must not set that older cookie again, or the grid the browser is redirected to
    shows no notice (seen once in a few hundred runs of the scenarios). So an answer that changes
    nothing in the session sets no cookie."""
    account = make_account()
    login(account["usuario"])
    old = account["series"][0]
    token = csrf_token(client, accept_path(old))
    before = client.get_cookie("session").value
    assert client.post(accept_path(old), data={"csrf_token": token}).status_code == 303
    with_notice = client.get_cookie("session").value
    client.set_cookie("session", before)
    for late in ("/static/css/site.css", "/static/js/dialog.js", "/static/css/fonts.css", "/favicon.ico"):
        response = client.get(late)
        assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")], late
    client.set_cookie("session", with_notice)
    assert "Se generó el número de serie" in client.get(GRID).get_data(as_text=True)


# --- the same upgrade through the control API (the Given «que acepté la actualización…») ---------

CONTROL = {"X-Control-Token": CONTROL_TOKEN}


def control_accept(client, usuario: str, serial: str, headers: dict | None = None):
    return client.post(
        f"/_control/cuentas/{usuario}/series/{serial}/actualizacion", headers=CONTROL if headers is None else headers
    )


def test_the_control_api_upgrades_as_aceptar_does_and_mails_the_same_notice(app, client, make_account, login):
    by_api, by_dialog = make_account(), make_account()
    answer = control_accept(client, by_api["usuario"], by_api["series"][0])
    assert answer.status_code == 201
    new = [row for row in rows(app) if row["reemplaza"] == by_api["series"][0]]
    assert len(new) == 1 and answer.get_json() == {
        "numero": new[0]["numero"],
        "version": "10.0",
        "periodicidad": "mensual",
    }
    login(by_dialog["usuario"])
    old = by_dialog["series"][0]
    client.post(accept_path(old), data={"csrf_token": csrf_token(client, accept_path(old))})
    notices = {mail["cuenta_id"]: mail for mail in mails(app)}
    assert notices.keys() == {by_api["id"], by_dialog["id"]}
    api_notice, dialog_notice = notices[by_api["id"]], notices[by_dialog["id"]]
    assert api_notice["para"] == by_api["correo"] and api_notice["asunto"] == dialog_notice["asunto"]
    assert new[0]["numero"] in api_notice["texto"] and by_api["series"][0] in api_notice["texto"]


def test_the_control_api_upgrades_once_and_says_why_not_the_second_time(app, client, make_account):
    account = make_account()
    assert control_accept(client, account["usuario"], account["series"][0]).status_code == 201
    again = control_accept(client, account["usuario"], account["series"][0])
    assert again.status_code == 409 and "ya se actualizó" in again.get_json()["error"]
    assert len(rows(app)) == 2 and len(mails(app)) == 1


def test_the_control_api_refuses_an_unknown_account_or_serial_and_a_wrong_token(app, client, make_account):
    account, other = make_account(), make_account()
    assert control_accept(client, "nadie", account["series"][0]).status_code == 404
    assert control_accept(client, account["usuario"], other["series"][0]).status_code == 404
    assert control_accept(client, account["usuario"], random_serial()).status_code == 404
    assert control_accept(client, account["usuario"], account["series"][0], headers={}).status_code == 403
    assert len(rows(app)) == 2 and mails(app) == []
