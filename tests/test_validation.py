"""POST /api/validacion: what Aspel NOI hears from aspel.com when it validates its serial (term 3)."""

from __future__ import annotations

from datetime import date

import pytest

from mock_site import store
from mock_site.db import connect
from mock_site.domain.serials import random_serial

API = "/api/validacion"


def upgrade(app, account: dict) -> str:
    """Upgrade the account's serial on its own date (15/03/2022); the new serial."""
    db = connect(app.config["DATABASE"])
    try:
        cuenta_id = db.execute("SELECT id FROM cuenta WHERE usuario = ?", (account["usuario"],)).fetchone()[0]
        return store.upgrade(db, cuenta_id, account["series"][0], date(2022, 3, 15), b"pruebas").numero
    finally:
        db.close()


def move_clock(client, usuario: str, day: str) -> None:
    response = client.put(
        f"/_control/cuentas/{usuario}/reloj",
        json={"ahora": f"{day}T10:00:00"},
        headers={"X-Control-Token": "token-de-pruebas"},
    )
    assert response.status_code == 200


def validate(client, serial) -> tuple[int, dict]:
    response = client.post(API, json={"serie": serial})
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    ("day", "old_state"), [("2022-03-31", "activa"), ("2022-04-01", "inactiva"), ("2022-04-02", "inactiva")]
)
def test_the_old_serial_validates_until_its_next_validation_and_the_new_one_after(
    app, client, make_account, day, old_state
):
    account = make_account()
    old, new = account["series"][0], upgrade(app, account)
    move_clock(client, account["usuario"], day)
    code, answer = validate(client, old)
    assert code == 200 and answer["estado"] == old_state and answer["fecha"] == day
    assert answer["modo"] == ("completo" if old_state == "activa" else "consulta")
    assert answer["reemplazada"] is True and answer["vigente_hasta"] == "2022-03-31"
    code, answer = validate(client, new)
    assert code == 200 and answer["estado"] == "activa" and answer["version"] == "10.0"


def test_the_answer_names_no_customer_data_nor_the_new_serial(app, client, make_account):
    account = make_account()
    new = upgrade(app, account)
    _code, answer = validate(client, account["series"][0])
    text = str(answer)
    for private in (new, account["razon_social"], account["correo"], account["nombre"], account["usuario"]):
        assert private not in text


def test_each_serial_is_validated_on_its_own_accounts_clock(app, client, make_account):
    late = make_account(reloj="2022-04-10T10:00:00-05:00")
    early = make_account()
    assert validate(client, late["series"][0])[1]["estado"] == "inactiva"
    assert validate(client, early["series"][0])[1]["estado"] == "activa"


def test_a_lapsed_subscription_is_inactive(client, make_account):
    account = make_account(series=[store.SerieSpec(proximo_pago=date(2022, 3, 1))])
    code, answer = validate(client, account["series"][0])
    assert code == 200 and answer["estado"] == "inactiva" and "modo consulta" in answer["mensaje"]


def test_a_licence_validates_with_no_end(client, make_account):
    account = make_account(modalidad="licenciamiento", series=[store.SerieSpec()])
    code, answer = validate(client, account["series"][0])
    assert code == 200 and answer["estado"] == "activa" and answer["vigente_hasta"] is None


def test_a_lower_case_serial_with_spaces_is_read_as_typed(client, make_account):
    account = make_account()
    assert validate(client, f"  {account['series'][0].lower()} ")[1]["estado"] == "activa"


def test_a_form_post_works_too_and_needs_no_csrf(client, make_account):
    account = make_account()
    response = client.post(API, data={"serie": account["series"][0]})
    assert response.status_code == 200 and response.get_json()["estado"] == "activa"


def test_an_unknown_serial_is_404_desconocida(client):
    code, answer = validate(client, random_serial())
    assert code == 404 and answer["estado"] == "desconocida"
    assert answer["mensaje"] == "El número de serie no está registrado en aspel.com."


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "NO-ES-SERIE",
        "INL" + "Z" * 200,
        "INL5ASTRS6G8",
        12345,
        None,
        ["INL5ASTRS6G8S"],
        {"a": 1},
        "ñ" * 30,
        "INL5ASTRS6G8J",  # one wrong check character
    ],
)
def test_a_missing_or_malformed_serial_is_400_invalida_never_500(client, bad):
    code, answer = validate(client, bad)
    assert code == 400 and answer["estado"] == "invalida" and answer["mensaje"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{no es json", "application/json"),
        (b"", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"serie", "text/plain"),
    ],
)
def test_a_body_that_is_no_json_object_is_400(client, body, content_type):
    response = client.post(API, data=body, content_type=content_type)
    assert response.status_code == 400 and response.get_json()["estado"] == "invalida"


def test_get_is_not_allowed(client):
    assert client.get(API).status_code == 405
