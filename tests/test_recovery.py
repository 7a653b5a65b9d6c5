"""¿Olvidaste tu contraseña?: neutral answer, one-time expiring link, new password, rate limit."""

from __future__ import annotations

import re
import sqlite3

from itsdangerous import URLSafeTimedSerializer

from mock_site import recovery
from mock_site.domain.text import CONTROL_CHARACTERS
from mock_site.refusal import Refusal
from tests.flask_site import PASSWORD, csrf_token

CONTROL = {"X-Control-Token": "token-de-pruebas"}
REQUEST = "/mi-cuenta/recuperar-contrasena/"
NEW_PASSWORD = "otra-contraseña-nueva"
LINK = re.compile(r"http://localhost(/mi-cuenta/recuperar-contrasena/[^\s\"<]+)")


def _ask(client, who: str):
    return client.post(REQUEST, data={"usuario": who, "csrf_token": csrf_token(client, REQUEST)})


def _outbox(client, to: str) -> list[dict]:
    return client.get(f"/_control/correos?para={to}", headers=CONTROL).get_json()


def _link(client, account: dict) -> str:
    """The path of the newest recovery link in the account's mailbox."""
    mails = [m for m in _outbox(client, account["correo"]) if m["asunto"] == recovery.SUBJECT]
    assert mails, "no llegó el correo de recuperación"
    return LINK.search(mails[-1]["texto"])[1]


def _choose(client, link: str, password: str = NEW_PASSWORD, confirmation: str | None = None):
    token = csrf_token(client, link)
    return client.post(
        link,
        data={
            "contrasena": password,
            "confirmacion": password if confirmation is None else confirmation,
            "csrf_token": token,
        },
    )


def _post_without_form(client, link: str, password: str = NEW_PASSWORD):
    """POST to a link whose page does not show the form (used, expired): CSRF from another form."""
    token = csrf_token(client, REQUEST)
    return client.post(link, data={"contrasena": password, "confirmacion": password, "csrf_token": token})


def _move_clock(client, usuario: str, moment: str) -> None:
    response = client.put(f"/_control/cuentas/{usuario}/reloj", headers=CONTROL, json={"ahora": moment})
    assert response.status_code == 200


def _logs_in(login, usuario: str, password: str) -> bool:
    return login(usuario, password).status_code == 302


# --- the request ------------------------------------------------------------------------------


def test_same_neutral_answer_for_existing_user_email_and_unknown(client, make_account):
    account = make_account()
    existing = _ask(client, account["usuario"])
    by_email = _ask(client, account["correo"].upper())
    unknown = _ask(client, "nadie-con-ese-usuario")
    unknown_email = _ask(client, "nadie@example.com")
    assert existing.status_code == by_email.status_code == unknown.status_code == unknown_email.status_code == 200
    assert recovery.NEUTRAL in existing.get_data(as_text=True)
    assert existing.data == by_email.data == unknown.data == unknown_email.data
    assert len(_outbox(client, account["correo"])) == 2


def test_only_the_registered_address_gets_the_link(client, make_account):
    account = make_account()
    other = make_account()
    _ask(client, account["usuario"])
    mails = client.get("/_control/correos", headers=CONTROL).get_json()
    assert [(m["para"], m["asunto"]) for m in mails] == [(account["correo"], recovery.SUBJECT)]
    assert other["correo"] != account["correo"]
    assert account["usuario"] in mails[0]["texto"] and account["nombre"] in mails[0]["html"]


def test_empty_request_asks_for_the_user_and_sends_nothing(client):
    response = _ask(client, "   ")
    assert response.status_code == 400
    assert "Escribe tu usuario o tu correo electrónico." in response.get_data(as_text=True)
    assert client.get("/_control/correos", headers=CONTROL).get_json() == []


def test_request_without_csrf_is_refused_and_sends_nothing(client, make_account):
    account = make_account()
    response = client.post(REQUEST, data={"usuario": account["usuario"]})
    assert response.status_code == 400
    assert _outbox(client, account["correo"]) == []


def test_odd_input_gets_the_neutral_answer_not_an_error(client):
    for who in ("x" * 10_000, "' OR 1=1 --", "ñandú@ejemplo.mx"):
        response = _ask(client, who)
        assert response.status_code == 200, who
        assert recovery.NEUTRAL in response.get_data(as_text=True)
    # A control character is refused by the one rule of every form (whoever it names).
    refused = _ask(client, "a\x00b")
    assert refused.status_code == 400 and CONTROL_CHARACTERS in refused.get_data(as_text=True)


def test_at_most_three_mails_per_account_in_fifteen_minutes(client, make_account):
    account = make_account()  # its clock: 2022-03-15 10:00
    answers = [_ask(client, account["usuario"]) for _ in range(5)]
    assert {a.data for a in answers} == {answers[0].data}  # the limit is not revealed either
    assert len(_outbox(client, account["correo"])) == 3
    _move_clock(client, account["usuario"], "2022-03-15T10:14:00-06:00")
    _ask(client, account["usuario"])
    assert len(_outbox(client, account["correo"])) == 3
    _move_clock(client, account["usuario"], "2022-03-15T10:16:00-06:00")
    _ask(client, account["usuario"])
    assert len(_outbox(client, account["correo"])) == 4


# --- the link ---------------------------------------------------------------------------------


def test_link_changes_the_password_once(client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    form = client.get(link)
    assert form.status_code == 200
    assert "Nueva contraseña" in form.get_data(as_text=True)
    assert form.headers["Cache-Control"] == "no-store"

    changed = _choose(client, link)
    assert changed.status_code == 303 and changed.headers["Location"] == "/mi-cuenta/iniciar-sesion"
    assert recovery.CHANGED in client.get(changed.headers["Location"]).get_data(as_text=True)
    assert not _logs_in(login, account["usuario"], PASSWORD)
    assert _logs_in(login, account["usuario"], NEW_PASSWORD)

    again = client.get(link)
    assert again.status_code == 410
    assert "ya se utilizó" in again.get_data(as_text=True)
    reused = _post_without_form(client, link, "tercera-contraseña-x")
    assert reused.status_code == 410
    assert _logs_in(login, account["usuario"], NEW_PASSWORD)
    assert not _logs_in(login, account["usuario"], "tercera-contraseña-x")


def test_a_change_retires_the_other_links_and_the_sessions(client, make_account, login, app):
    account = make_account()
    login(account["usuario"])
    assert client.get("/mi-cuenta/").status_code == 200
    _ask(client, account["usuario"])
    first = _link(client, account)
    _ask(client, account["usuario"])
    second = _link(client, account)
    assert first != second
    other_browser = app.test_client()
    assert _choose(other_browser, second).status_code == 303
    assert client.get("/mi-cuenta/").status_code == 302  # the old session ended
    assert client.get(first).status_code == 410


def test_expired_link_fails_and_changes_nothing(client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])  # sent at 10:00 by the account's clock
    link = _link(client, account)
    _move_clock(client, account["usuario"], "2022-03-15T10:31:00-06:00")
    expired = client.get(link)
    assert expired.status_code == 410
    assert "venció" in expired.get_data(as_text=True)
    assert _post_without_form(client, link).status_code == 410
    assert _logs_in(login, account["usuario"], PASSWORD)
    assert not _logs_in(login, account["usuario"], NEW_PASSWORD)


def test_link_still_works_before_thirty_minutes(client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    _move_clock(client, account["usuario"], "2022-03-15T10:29:00-06:00")
    assert client.get(link).status_code == 200
    assert _choose(client, link).status_code == 303
    assert _logs_in(login, account["usuario"], NEW_PASSWORD)


def test_expiry_follows_the_configured_max_age(app, client, make_account):
    app.config["RESET_TOKEN_MAX_AGE"] = 5 * 60
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    assert "5 minutos" in _outbox(client, account["correo"])[-1]["texto"]
    _move_clock(client, account["usuario"], "2022-03-15T10:06:00-06:00")
    assert client.get(link).status_code == 410


def test_tampered_links_fail_and_change_nothing(app, client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    prefix, token = link.rsplit("/", 1)
    # Not the last character: its low bits are base64 padding, so A and B may decode alike.
    flipped = token[:-10] + ("A" if token[-10] != "A" else "B") + token[-9:]
    payload, stamp, signature = token.split(".")
    with app.app_context():
        resigned = URLSafeTimedSerializer("otra-llave", salt=recovery.SALT).dumps({"c": account["id"], "n": "x"})
    for bad in (flipped, f"{payload}.{stamp}", "basura", "x" * 2000, resigned, f"{payload}x.{stamp}.{signature}"):
        response = client.get(f"{prefix}/{bad}")
        assert response.status_code == 400, bad
        assert "no es válido" in response.get_data(as_text=True)
        assert _post_without_form(client, f"{prefix}/{bad}").status_code == 400
    assert _logs_in(login, account["usuario"], PASSWORD)
    assert client.get(link).status_code == 200  # the real one still works


def test_a_nonce_opens_only_the_account_it_was_issued_for(app, client, make_account):
    mine, theirs = make_account(), make_account()
    _ask(client, mine["usuario"])
    nonce = recovery_nonce(app, mine["id"])
    with app.test_request_context():
        from datetime import datetime

        forged = recovery.make_token({"id": theirs["id"]}, nonce, datetime.fromisoformat("2022-03-15T10:00:00-06:00"))
    assert client.get(f"{REQUEST}{forged}").status_code == 400


def recovery_nonce(app, cuenta_id: int) -> str:
    db = sqlite3.connect(app.config["DATABASE"])
    try:
        return db.execute("SELECT nonce FROM recuperacion WHERE cuenta_id = ?", (cuenta_id,)).fetchone()[0]
    finally:
        db.close()


def test_passwords_must_match_and_have_ten_characters(client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    cases = [
        ("corta-123", None, "al menos 10 caracteres"),
        ("", None, "Escribe tu nueva contraseña."),
        ("una-contraseña-larga", "otra-contraseña-larga", "Las contraseñas no coinciden."),
        ("una-contraseña-larga", "", "Escribe otra vez tu nueva contraseña."),
        ("x" * 129, None, "como máximo 128 caracteres"),
    ]
    for password, confirmation, message in cases:
        response = _choose(client, link, password, confirmation)
        assert response.status_code == 400, message
        assert message in response.get_data(as_text=True)
    assert _logs_in(login, account["usuario"], PASSWORD)  # nothing changed, the link still works
    assert _choose(client, link, "diez-chars").status_code == 303
    assert _logs_in(login, account["usuario"], "diez-chars")


def test_reset_form_needs_csrf(client, make_account, login):
    account = make_account()
    _ask(client, account["usuario"])
    link = _link(client, account)
    response = client.post(link, data={"contrasena": NEW_PASSWORD, "confirmacion": NEW_PASSWORD})
    assert response.status_code == 400
    assert _logs_in(login, account["usuario"], PASSWORD)


def test_reset_lifts_a_lockout(client, make_account, login):
    account = make_account()
    for _ in range(5):
        login(account["usuario"], "equivocada")
    assert not _logs_in(login, account["usuario"], PASSWORD)  # locked
    _ask(client, account["usuario"])
    assert _choose(client, _link(client, account)).status_code == 303
    assert _logs_in(login, account["usuario"], NEW_PASSWORD)


def test_two_changes_racing_on_one_link_use_it_once(app, client, make_account):
    """Both requests passed the link check before either wrote: the write itself refuses one."""
    account = make_account()
    _ask(client, account["usuario"])
    nonce = recovery_nonce(app, account["id"])
    with app.test_request_context():
        from mock_site.db import get_db

        row = get_db().execute("SELECT * FROM cuenta WHERE id = ?", (account["id"],)).fetchone()
        recovery._change_password(row, nonce, "primera-contraseña")
        try:
            recovery._change_password(row, nonce, "segunda-contraseña")
        except Refusal as refusal:
            assert refusal is recovery.USED
        else:
            raise AssertionError("el mismo enlace cambió la contraseña dos veces")
