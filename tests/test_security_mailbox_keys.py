"""A mailbox address belongs to one account and one moment, and no id that a URL
or a session names is ever handed to another row.

The probe's repro: ``/_control/mundo`` deleted the world's previous holder and SQLite gave the new
account the same id; the mailbox key was only a signature of that id, so the old holder's mailbox
URL opened the new account's mailbox, with its recovery link inside.
"""

from __future__ import annotations

from datetime import datetime

from mock_site import mail_store, recovery, store
from mock_site.db import connect
from tests.flask_site import CONTROL_TOKEN, csrf_token

CONTROL = {"X-Control-Token": CONTROL_TOKEN}
RECOVERY = "/mi-cuenta/recuperar-contrasena/"
FEEDBACK = "/tutoriales/solicita-tu-numero-de-serie-desde-aspel-com/comentarios"


def claim_world(client, usuario: str) -> dict:
    response = client.post("/_control/mundo", headers=CONTROL, json={"usuario": usuario, "password": "x" * 12})
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def ask_recovery(client, usuario: str) -> None:
    client.post(RECOVERY, data={"usuario": usuario, "csrf_token": csrf_token(client, RECOVERY)})


def current_mailbox(client, correo: str) -> str:
    """The mailbox address the control API hands out now, with the account's newest message."""
    messages = client.get("/_control/correos", query_string={"para": correo}, headers=CONTROL).get_json()
    return messages[-1]["buzon"]


def test_the_old_holders_mailbox_never_opens_the_next_world_account(client):
    """The repro: w1, then w2 by /_control/mundo (w1 deleted), w2's recovery asked on the public
    page; w1's old mailbox URL is 404 and w2 got an id of its own."""
    first = claim_world(client, "w1")
    second = claim_world(client, "w2")
    assert second["id"] > first["id"]
    assert second["buzon"] != first["buzon"]
    ask_recovery(client, "w2")
    old = client.get(first["buzon"])
    assert old.status_code == 404
    assert recovery.SUBJECT not in old.get_data(as_text=True)
    assert recovery.SUBJECT in client.get(second["buzon"]).get_data(as_text=True)


def test_after_a_reset_an_old_mailbox_opens_nothing_even_once_new_accounts_exist(client):
    before = claim_world(client, "demo")
    assert client.post("/_control/reset", headers=CONTROL).status_code == 200
    after = [claim_world(client, f"nueva{n}") for n in range(3)]
    assert all(account["id"] > before["id"] for account in after)
    assert client.get(before["buzon"]).status_code == 404


def test_a_password_change_replaces_the_mailbox_key(client):
    account = claim_world(client, "ana")
    ask_recovery(client, "ana")
    old_box = account["buzon"]
    assert client.get(old_box).status_code == 200
    page = client.get(old_box).get_data(as_text=True)
    message_id = current_message_id(client, account["correo"])
    assert recovery.SUBJECT in page
    link = recovery_link(client, account["correo"])
    form = {"contrasena": "nueva-clave-segura", "confirmacion": "nueva-clave-segura"}
    changed = client.post(link, data={**form, "csrf_token": csrf_token(client, link)})
    assert changed.status_code == 303
    assert client.get(old_box).status_code == 404
    assert client.get(f"{old_box}{message_id}").status_code == 404
    new_box = current_mailbox(client, account["correo"])
    assert new_box != old_box
    assert client.get(new_box).status_code == 200


def current_message_id(client, correo: str) -> int:
    messages = client.get("/_control/correos", query_string={"para": correo}, headers=CONTROL).get_json()
    return messages[-1]["id"]


def recovery_link(client, correo: str) -> str:
    messages = client.get("/_control/correos", query_string={"para": correo}, headers=CONTROL).get_json()
    text = messages[-1]["texto"]
    start = text.index("http")
    url = text[start:].split()[0]
    return url[url.index("/mi-cuenta") :]


def test_a_revoked_mailbox_key_opens_nothing_and_the_next_one_is_new(app, client, make_account):
    account = make_account()
    db = connect(app.config["DATABASE"])
    try:
        key = mail_store.mailbox_key(db, account["id"])
        assert client.get(f"/correo/{key}/").status_code == 200
        mail_store.revoke_mailbox(db, account["id"])
        assert client.get(f"/correo/{key}/").status_code == 404
        assert mail_store.mailbox_key(db, account["id"]) != key
    finally:
        db.close()


def _last_id_after_deleting_the_newest(app, table: str, insert) -> tuple[int, int]:
    """(the id of a row that was the newest and got deleted, the id of the next row inserted)."""
    db = connect(app.config["DATABASE"])
    try:
        gone = insert(db)
        if table == "cuenta":
            store.delete_account(db, gone)  # with its serials and mailbox key
        else:
            db.execute(f"DELETE FROM {table} WHERE id = ?", (gone,))
        return gone, insert(db)
    finally:
        db.close()


def test_account_mail_and_comment_ids_are_never_handed_out_again(app, make_account):
    """SQLite without AUTOINCREMENT gives the next row max(id) + 1: the deleted newest id again."""
    moment = datetime(2022, 3, 15, 10, 0)
    counter = iter(range(100))

    def account(db):
        return make_account(usuario=f"c{next(counter)}")["id"]

    def mail(db):
        return mail_store.add_mail(
            db, cuenta_id=None, para="a@example.com", asunto="a", texto="t", html="h", fecha=moment, message_id="<x>"
        )["id"]

    def comment(db):
        return store.add_feedback(db, "tutorial", "hola", moment)

    for table, insert in (("cuenta", account), ("correo", mail), ("comentario", comment)):
        gone, new = _last_id_after_deleting_the_newest(app, table, insert)
        assert new > gone, table


def test_an_old_sessions_thanks_page_never_shows_a_comment_sent_after_a_reset(app, client):
    """The probe: after /_control/reset the next comment got the id an older session remembered,
    and that session's …/comentarios/gracias showed another person's comment."""
    client.post(FEEDBACK, data={"comentario": "Mi comentario", "csrf_token": csrf_token(client, FEEDBACK)})
    assert "Mi comentario" in client.get(FEEDBACK + "/gracias", follow_redirects=True).get_data(as_text=True)
    client.post("/_control/reset", headers=CONTROL)
    other = app.test_client()
    other.post(FEEDBACK, data={"comentario": "El de otra persona", "csrf_token": csrf_token(other, FEEDBACK)})
    page = client.get(FEEDBACK + "/gracias", follow_redirects=True).get_data(as_text=True)
    assert "El de otra persona" not in page
