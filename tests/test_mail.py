"""The one mailer (stored, and relayed over a real SMTP server on loopback), the upgrade notice
and the webmail page, through the Flask test client."""

from __future__ import annotations

import email
import logging
import re
import secrets
import socket
import threading
from datetime import datetime
from email import policy
from email.utils import parsedate_to_datetime

import pytest
from aiosmtpd.controller import Controller

from mock_site import mail
from tests.flask_site import csrf_token

CONTROL = {"X-Control-Token": "token-de-pruebas"}
NOTICE_SUBJECT = "Actualización de número de serie de Aspel NOI 9.0 a 10.0"


# --- a real SMTP server on loopback ---------------------------------------------------------


class _Inbox:
    """aiosmtpd handler keeping every message it accepted (raw bytes, as received)."""

    def __init__(self) -> None:
        self.received: list[tuple[str, list[str], bytes]] = []
        self.arrived = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        self.arrived.set()
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(raw, policy=policy.default) for _, _, raw in self.received]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp(app):
    """An SMTP server on 127.0.0.1, and the app configured to relay through it."""
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port)
    try:
        yield inbox
    finally:
        controller.stop()


def _lines(text: str) -> str:
    """SMTP carries CRLF line ends; compare text regardless."""
    return text.replace("\r\n", "\n").rstrip("\n")


def _outbox(client, to: str | None = None) -> list[dict]:
    return client.get("/_control/correos" + (f"?para={to}" if to else ""), headers=CONTROL).get_json()


def _accept(client, numero: str):
    path = f"/mi-cuenta/mis-servicios/suscripciones/{numero}/actualizar"
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


@pytest.fixture
def upgraded(client, make_account, login):
    """An account (NOI 9.0, mensual, next payment 01/04/2022) that accepted the upgrade."""
    account = make_account()
    login(account["usuario"])
    response = _accept(client, account["series"][0])
    assert response.status_code == 303
    return account


# --- SMTP -----------------------------------------------------------------------------------


def test_notice_goes_over_smtp_as_multipart_alternative_utf8(app, client, smtp, upgraded):
    assert len(smtp.received) == 1
    mail_from, rcpt_tos, _raw = smtp.received[0]
    assert mail_from == "notificaciones@aspel.com.mx"
    assert rcpt_tos == [upgraded["correo"]]
    message = smtp.messages()[0]
    stored = _outbox(client, upgraded["correo"])[0]

    assert message["From"] == "Aspel <notificaciones@aspel.com.mx>"
    assert message["To"] == upgraded["correo"]
    assert message["Subject"] == NOTICE_SUBJECT  # accents survive the encoded-word round trip
    assert parsedate_to_datetime(message["Date"]) == datetime.fromisoformat("2022-03-15T10:00:00-06:00")
    assert message["Message-ID"] == stored["message_id"]
    assert re.fullmatch(r"<[^<>@\s]+@aspel\.com\.mx>", message["Message-ID"])

    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert text.get_content_type() == "text/plain" and html.get_content_type() == "text/html"
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    assert "número de serie" in text.get_content() and "versión 9.0" in text.get_content()
    assert "número de serie" in html.get_content() and "Periodicidad de renta" in html.get_content()
    assert _lines(text.get_content()) == _lines(stored["texto"])
    assert _lines(stored["html"]) in _lines(html.get_content())  # the fragment, inside a whole HTML document


def test_recovery_mail_goes_over_smtp_with_its_accents(client, smtp, make_account):
    account = make_account()
    path = "/mi-cuenta/recuperar-contrasena/"
    client.post(path, data={"usuario": account["usuario"], "csrf_token": csrf_token(client, path)})
    message = smtp.messages()[0]
    assert message["Subject"] == "Recupera tu contraseña de Mi cuenta Aspel"
    assert message["To"] == account["correo"]
    assert message["Message-ID"] and message["Date"]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    assert "la contraseña del usuario" in text and "sólo se puede usar una vez" in text
    assert re.search(r"http://localhost/mi-cuenta/recuperar-contrasena/\S+", text)
    assert "Cambia tu contraseña" in message.get_body(("html",)).get_content()


def test_no_smtp_configured_sends_nothing_over_the_network_but_stores(app, client, upgraded):
    assert app.config["SMTP_HOST"] is None
    assert len(_outbox(client, upgraded["correo"])) == 1


def test_smtp_down_keeps_the_message_and_the_page_answers(app, client, make_account, login, caplog):
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(), SMTP_TIMEOUT=2)  # nobody listens
    account = make_account()
    login(account["usuario"])
    with caplog.at_level(logging.WARNING):
        response = _accept(client, account["series"][0])
    assert response.status_code == 303
    assert "Se generó el número de serie" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert [m["asunto"] for m in _outbox(client, account["correo"])] == [NOTICE_SUBJECT]
    assert "No se pudo entregar por SMTP" in caplog.text

    path = "/mi-cuenta/recuperar-contrasena/"
    with caplog.at_level(logging.WARNING):
        answer = client.post(path, data={"usuario": account["usuario"], "csrf_token": csrf_token(client, path)})
    assert answer.status_code == 200
    assert len(_outbox(client, account["correo"])) == 2


def test_one_builder_for_smtp_and_the_original(app, client, smtp, upgraded):
    """Ver original serves the very message the SMTP server received."""
    stored = _outbox(client, upgraded["correo"])[0]
    original = client.get(stored["buzon"] + f"{stored['id']}/original")
    assert original.status_code == 200
    parsed = email.message_from_bytes(original.data, policy=policy.default)
    received = smtp.messages()[0]
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        assert parsed[header] == received[header]
    assert _lines(parsed.get_body(("plain",)).get_content()) == _lines(received.get_body(("plain",)).get_content())


# --- the upgrade notice ---------------------------------------------------------------------


def test_notice_is_sent_once_to_the_registered_address(client, upgraded):
    sent = _outbox(client)
    assert [(m["para"], m["asunto"]) for m in sent] == [(upgraded["correo"], NOTICE_SUBJECT)]
    assert sent[0]["cuenta_id"] == upgraded["id"]


def test_notice_names_system_serials_versions_periodicity_date_and_download_centre(client, upgraded):
    old = upgraded["series"][0]
    grid = client.get("/mi-cuenta/mis-servicios/suscripciones").get_data(as_text=True)
    new = next(n for n in re.findall(r"<td>(IN\w{11})</td>", grid) if n != old)
    stored = _outbox(client, upgraded["correo"])[0]
    for part in (stored["texto"], stored["html"]):
        assert "Aspel NOI" in part
        assert "de la versión 9.0 a la 10.0" in part
        assert old in part and new in part
        assert "Mensual" in part
        assert "01/04/2022" in part
        assert upgraded["nombre"] in part
    assert "http://localhost/descargas/" in stored["texto"]
    assert 'href="http://localhost/descargas/"' in stored["html"]


def test_opening_and_leaving_the_dialog_sends_nothing(client, make_account, login):
    account = make_account()
    login(account["usuario"])
    dialog = client.get(f"/mi-cuenta/mis-servicios/suscripciones/{account['series'][0]}/actualizar")
    assert dialog.status_code == 200
    client.get("/mi-cuenta/mis-servicios/suscripciones")  # Cancelar is a link back to the grid
    assert _outbox(client) == []


def test_two_accepts_send_one_notice(client, make_account, login):
    account = make_account()
    login(account["usuario"])
    path = f"/mi-cuenta/mis-servicios/suscripciones/{account['series'][0]}/actualizar"
    token = csrf_token(client, path)
    first = client.post(path, data={"csrf_token": token})
    second = client.post(path, data={"csrf_token": token})
    assert first.status_code == second.status_code == 303
    assert len(_outbox(client, account["correo"])) == 1


def test_notice_mail_has_no_inline_styles_or_scripts(client, upgraded):
    """The webmail shows the HTML part inside a page whose CSP forbids inline styles and scripts."""
    html = _outbox(client, upgraded["correo"])[0]["html"]
    assert not re.search(r"\sstyle\s*=|<style|<script|\son\w+\s*=", html, re.I)


# --- the webmail ----------------------------------------------------------------------------


def test_control_api_hands_out_the_mailbox(client):
    created = client.post("/_control/cuentas", headers=CONTROL, json={"usuario": "ana", "password": "x" * 12})
    account = created.get_json()
    assert account["buzon"] == f"/correo/{_key(client, account['id'])}/"
    assert client.get(account["buzon"]).status_code == 200


def _key(client, cuenta_id: int) -> str:
    with client.application.app_context():
        return mail.mailbox_key(cuenta_id)


def test_mailbox_lists_newest_first_with_sender_subject_and_date(app, client, upgraded):
    with app.test_request_context():
        mail.send(upgraded["correo"], "Segundo aviso", "texto", "<p>html</p>", cuenta_id=upgraded["id"])
    box = client.get(f"/correo/{_key(client, upgraded['id'])}/")
    page = box.get_data(as_text=True)
    assert box.status_code == 200
    assert box.headers["Cache-Control"] == "no-store"
    assert page.index("Segundo aviso") < page.index(NOTICE_SUBJECT)
    assert page.count("<td>Aspel</td>") == 2
    assert "15/03/2022 10:00" in page
    assert upgraded["correo"] in page


def test_message_page_shows_headers_and_the_html_part(client, upgraded):
    stored = _outbox(client, upgraded["correo"])[0]
    page = client.get(stored["buzon"] + str(stored["id"])).get_data(as_text=True)
    assert "Aspel &lt;notificaciones@aspel.com.mx&gt;" in page
    assert f"<dd>{upgraded['correo']}</dd>" in page
    assert f"<dd>{NOTICE_SUBJECT}</dd>" in page
    assert "<dd>15/03/2022 10:00</dd>" in page
    assert stored["html"] in page  # rendered, not escaped
    assert stored["message_id"] not in page  # random: kept off the page (Figura 6 is stable)
    assert not re.search(r"\sstyle\s*=|<style|<script", page, re.I)


def test_wrong_or_tampered_mailbox_key_is_404(client, upgraded):
    key = _key(client, upgraded["id"])
    assert client.get("/correo/cualquier-cosa/").status_code == 404
    # A character inside the signature, whose six bits all count (the last one's low bits are
    # base64 padding: A and B may decode alike, which made this flaky with a random SECRET_KEY).
    middle = len(key) - 10
    assert (
        client.get(f"/correo/{key[:middle]}{'A' if key[middle] != 'A' else 'B'}{key[middle + 1 :]}/").status_code == 404
    )
    made_up = secrets.token_urlsafe(24)  # a key of the right shape that no account holds
    assert client.get(f"/correo/{made_up}/").status_code == 404
    stored = _outbox(client, upgraded["correo"])[0]
    assert client.get(f"/correo/{made_up}/{stored['id']}").status_code == 404
    assert client.get(f"/correo/{'a' * 65}/").status_code == 404


def test_another_mailbox_cannot_open_my_message(client, upgraded, make_account):
    stored = _outbox(client, upgraded["correo"])[0]
    other = make_account()
    assert other["correo"] != upgraded["correo"]
    other_box = f"/correo/{_key(client, other['id'])}/"
    assert client.get(other_box).status_code == 200
    assert NOTICE_SUBJECT not in client.get(other_box).get_data(as_text=True)
    assert client.get(f"{other_box}{stored['id']}").status_code == 404
    assert client.get(f"{other_box}{stored['id']}/original").status_code == 404
    assert client.get(f"{other_box}999999").status_code == 404


def test_a_message_id_beyond_sqlite_integers_is_404_not_500(app, client, make_account):
    account = make_account()
    mailbox = f"/correo/{_key(client, account['id'])}/"
    for tail in ("99999999999999999999999", "99999999999999999999999/original", str(2**63)):
        assert client.get(mailbox + tail).status_code == 404, tail
