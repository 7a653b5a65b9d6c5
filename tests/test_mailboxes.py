"""One mailbox per account: every account gets its own customer and address, with or without a
seed, and a mail is delivered to the account it was sent for, never looked up by address alone.

The probe that found it: two accounts created without a seed both got seed 0, hence one address,
and the attacker's mailbox showed the victim's working recovery link.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

from mock_site import recovery, store
from mock_site.db import connect
from mock_site.domain.world import TUTORIAL_WORLD
from tests.flask_site import csrf_token

CONTROL = {"X-Control-Token": "token-de-pruebas"}
RECOVERY = "/mi-cuenta/recuperar-contrasena/"
ACCOUNTS = 200


def shows_address(page: str, address: str) -> bool:
    """Whether ``page`` shows ``address`` as a whole address (``borrego@example.com`` is not shown
    by a page that shows ``iborrego@example.com``: Faker's names make such pairs now and then)."""
    return re.search(rf"(?<![\w.+-]){re.escape(address)}(?![\w.-])", page) is not None


def create(app, usuario: str, **spec) -> dict:
    """An account through the control API, as a scenario (or anyone) makes one."""
    response = app.test_client().post(
        "/_control/cuentas", headers=CONTROL, json={"usuario": usuario, "password": "clave-de-prueba", **spec}
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def test_two_hundred_accounts_made_in_parallel_without_a_seed_have_two_hundred_mailboxes(app):
    with ThreadPoolExecutor(max_workers=8) as pool:
        accounts = list(pool.map(lambda n: create(app, f"cliente{n}"), range(ACCOUNTS)))
    assert len({a["correo"] for a in accounts}) == ACCOUNTS
    assert len({a["buzon"] for a in accounts}) == ACCOUNTS
    assert len({(a["nombre"], a["razon_social"], a["rfc"]) for a in accounts}) > 1  # not all seed 0
    client = app.test_client()
    for account in accounts[:20]:  # each mailbox opens, and shows its own address only
        page = client.get(account["buzon"]).get_data(as_text=True)
        assert shows_address(page, account["correo"])
        assert not [o["correo"] for o in accounts if o is not account and shows_address(page, o["correo"])]


def test_an_address_inside_another_is_not_shown_by_it():
    page = "<p>Para: iborrego@example.com</p>"
    assert shows_address(page, "iborrego@example.com")
    assert not shows_address(page, "borrego@example.com")
    assert not shows_address(page, "iborrego@example.co")


def test_the_same_seed_twice_gives_the_customer_again_but_another_address(app):
    first, second = create(app, "victima", seed=0), create(app, "atacante", seed=0)
    assert (first["nombre"], first["rfc"]) == (second["nombre"], second["rfc"])  # the seed still decides
    assert first["correo"] != second["correo"]
    assert second["correo"] == first["correo"].replace("@", ".2@")


def test_the_attackers_mailbox_never_shows_the_victims_recovery_link(app, client):
    victim, attacker = create(app, "victima"), create(app, "atacante")
    client.post(RECOVERY, data={"usuario": "victima", "csrf_token": csrf_token(client, RECOVERY)})
    assert recovery.SUBJECT in client.get(victim["buzon"]).get_data(as_text=True)
    theirs = client.get(attacker["buzon"]).get_data(as_text=True)
    assert recovery.SUBJECT not in theirs and victim["correo"] not in theirs


def test_a_mail_is_read_from_the_account_it_was_sent_for_not_from_its_address(app, client):
    """The mailbox's own guard: a stored mail that names the victim's address but was sent for
    another account does not appear in the victim's mailbox (nor the other way round)."""
    victim, other = create(app, "victima"), create(app, "otra")
    db = connect(app.config["DATABASE"])
    try:
        db.execute(
            "INSERT INTO correo (cuenta_id, para, asunto, texto, html, fecha, message_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                other["id"],
                victim["correo"],
                "Dirigido a otra cuenta",
                "t",
                "<p>h</p>",
                "2022-03-15T10:00:00-06:00",
                "<x@y>",
            ),
        )
    finally:
        db.close()
    assert "Dirigido a otra cuenta" not in client.get(victim["buzon"]).get_data(as_text=True)
    assert "Dirigido a otra cuenta" in client.get(other["buzon"]).get_data(as_text=True)


def test_a_mailbox_of_a_deleted_account_is_404(app, client):
    account = create(app, "pasajera")
    assert client.post("/_control/reset", headers=CONTROL).status_code == 200
    assert client.get(account["buzon"]).status_code == 404


def test_free_address_rules(app):
    db = connect(app.config["DATABASE"])
    try:
        assert store.free_address(db, "Nancy38") == "nancy38@example.com"
        db.execute(
            "INSERT INTO cuenta (usuario, password_hash, correo, nombre, razon_social, rfc)"
            " VALUES ('a', 'x', 'nancy38@example.com', 'n', 'r', 'f')"
        )
        assert store.free_address(db, "nancy38") == "nancy38.2@example.com"
        world_local = TUTORIAL_WORLD.correo.split("@")[0]
        assert store.free_address(db, world_local) == f"{world_local}.2@example.com"  # the world's is kept
    finally:
        db.close()
