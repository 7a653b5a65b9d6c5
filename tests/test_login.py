"""Log-in rules through the Flask test client."""

from __future__ import annotations

from tests.flask_site import csrf_token


def test_right_password_enters_the_account(client, make_account, login):
    account = make_account()
    response = login(account["usuario"])
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert account["nombre"] in page
    assert "Mis servicios" in page


def test_wrong_password_and_unknown_user_get_the_same_message(client, make_account, login):
    account = make_account()
    wrong_password = login(account["usuario"], "otra-cosa")
    unknown_user = login("nadie-con-ese-nombre", "otra-cosa")
    assert wrong_password.status_code == unknown_user.status_code == 401
    message = "El usuario o la contraseña no son correctos."
    assert message in wrong_password.get_data(as_text=True)
    assert message in unknown_user.get_data(as_text=True)


def test_empty_fields_get_field_messages(client):
    token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
    response = client.post("/mi-cuenta/iniciar-sesion", data={"csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Escribe tu usuario." in page and "Escribe tu contraseña." in page


def test_form_without_csrf_token_is_refused_and_logs_nobody_in(client, make_account):
    account = make_account()
    response = client.post(
        "/mi-cuenta/iniciar-sesion", data={"usuario": account["usuario"], "contrasena": "contraseña-segura-1"}
    )
    assert response.status_code == 400
    assert "no es válida" in response.get_data(as_text=True)
    assert client.get("/mi-cuenta/").status_code == 302


def test_password_is_stored_hashed(app, make_account):
    from mock_site.db import connect

    account = make_account()
    stored = (
        connect(app.config["DATABASE"])
        .execute("SELECT password_hash FROM cuenta WHERE usuario = ?", (account["usuario"],))
        .fetchone()[0]
    )
    assert "contraseña-segura-1" not in stored and stored.startswith(("scrypt:", "pbkdf2:"))


def test_session_cookie_is_httponly_and_samesite(client, make_account, login):
    account = make_account()
    cookie = login(account["usuario"]).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_ends_the_session_on_the_server(client, make_account, login):
    account = make_account()
    login(account["usuario"])
    stolen_cookie = client.get_cookie("session").value
    token = csrf_token(client, "/mi-cuenta/")
    client.post("/mi-cuenta/cerrar-sesion", data={"csrf_token": token})
    client.set_cookie("session", stolen_cookie)
    assert client.get("/mi-cuenta/").status_code == 302


def test_a_page_of_the_account_asks_for_login_and_comes_back(client, make_account, login):
    account = make_account()
    response = client.get("/mi-cuenta/mis-servicios/suscripciones")
    assert response.status_code == 302
    assert "siguiente=/mi-cuenta/mis-servicios/suscripciones" in response.headers["Location"]
    token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
    back = client.post(
        "/mi-cuenta/iniciar-sesion",
        data={
            "usuario": account["usuario"],
            "contrasena": "contraseña-segura-1",
            "csrf_token": token,
            "siguiente": "/mi-cuenta/mis-servicios/suscripciones",
        },
    )
    assert back.headers["Location"] == "/mi-cuenta/mis-servicios/suscripciones"


def test_next_page_never_leaves_the_site(client, make_account):
    account = make_account()
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        token = csrf_token(client, "/mi-cuenta/iniciar-sesion")
        response = client.post(
            "/mi-cuenta/iniciar-sesion",
            data={
                "usuario": account["usuario"],
                "contrasena": "contraseña-segura-1",
                "csrf_token": token,
                "siguiente": target,
            },
        )
        assert response.headers["Location"] == "/mi-cuenta/", target
