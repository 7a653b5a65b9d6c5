"""Mock control only when asked for: by the server's ``--control-token-file`` option (never from the
environment), with a token of 16 characters or more, said in words by the banner; wrong tokens
lock the client that sends them. Time for the lock is a counter the test moves, never a sleep."""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_site import __main__ as serve
from mock_site import create_app
from mock_site.control_token import MIN_LENGTH, TOO_SHORT, control_token_problem
from mock_site.limits import DEFAULT_LIMITS
from tests.flask_site import CHEAP_HASH
from tests.flask_site import CONTROL_TOKEN as TOKEN

FAILURES = DEFAULT_LIMITS["token_control_cliente"]


class Clock:
    """The limits' time source, moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def control_app(tmp_path, clock):
    return create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "control.sqlite"),
            "CONTROL_TOKEN": TOKEN,
            "PASSWORD_HASH": CHEAP_HASH,
            "RATE_LIMIT_CLOCK": clock,
        }
    )


def call(client, token: str | None, client_address: str = "198.51.100.7"):
    headers = {"X-Control-Token": token} if token is not None else {}
    return client.get("/_control/mundo", headers=headers, environ_base={"REMOTE_ADDR": client_address})


# --- on only by the server's option ----------------------------------------------------------


def token_file(folder: Path, token: str) -> str:
    path = folder / "token"
    path.write_text(token + "\n", encoding="utf-8")
    return str(path)


def test_the_environment_does_not_switch_mock_control_on(monkeypatch, tmp_path):
    monkeypatch.setenv("ASPEL_CONTROL_TOKEN", "un-token-de-entorno-largo")
    assert serve.parse_args([]).control_token is None
    given = ["--control-token-file", token_file(tmp_path, "un-token-explicito-largo")]
    assert serve.parse_args(given).control_token == "un-token-explicito-largo"


@pytest.mark.parametrize("token", ["T", "corto", "x" * (MIN_LENGTH - 1), "dieciseis con espacio", "ñ" * 20, ""])
def test_a_short_or_odd_token_stops_the_server_in_spanish(token, capsys, tmp_path):
    with pytest.raises(SystemExit):
        serve.parse_args(["--control-token-file", token_file(tmp_path, token)])
    assert TOO_SHORT in capsys.readouterr().err
    with pytest.raises(ValueError, match="al menos 16 caracteres"):
        create_app({"DATABASE": str(tmp_path / "x.sqlite"), "CONTROL_TOKEN": token})


def test_token_rules():
    assert control_token_problem(None) is None  # unset: control is off
    assert control_token_problem("a" * MIN_LENGTH) is None
    assert control_token_problem("a" * (MIN_LENGTH - 1)) == TOO_SHORT


class NoServer:
    """make_server's stand-in: the banner is printed, nothing listens."""

    def __init__(self, *args) -> None:
        pass

    def run(self) -> None:
        pass

    def close(self) -> None:
        pass


@pytest.mark.parametrize("token", [None, "un-token-explicito-largo"])
def test_the_banner_says_when_mock_control_is_on(token, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(serve, "make_server", NoServer)
    monkeypatch.setenv("ASPEL_CONTROL_TOKEN", "un-token-de-entorno-largo")
    given = ["--control-token-file", token_file(tmp_path, token)] if token else []
    serve.main(["--database", str(tmp_path / "demo.sqlite"), *given])
    banner = capsys.readouterr().out.splitlines()
    assert banner[1] == "Usuario: demo"  # the first lines stay where scripts read them
    assert (serve.CONTROL_ON in banner) is (token is not None)
    assert "Control del simulador: ACTIVADO" in serve.CONTROL_ON


# --- wrong tokens lock the client -------------------------------------------------------------


def test_ten_wrong_tokens_lock_the_client_even_for_the_right_one(control_app, clock):
    client = control_app.test_client()
    for attempt in range(FAILURES.limit):
        assert call(client, "token-adivinado-" + str(attempt)).status_code == 403, attempt
    locked = call(client, TOKEN)
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) == FAILURES.seconds
    assert "Demasiadas solicitudes" in locked.get_data(as_text=True)
    assert "Espera 15 minutos" in locked.get_data(as_text=True)
    assert call(client, None).status_code == 403  # no token at all: refused as ever, not counted
    assert call(client, TOKEN, client_address="198.51.100.8").status_code == 200  # another client is not
    clock.now += FAILURES.seconds - 1
    assert call(client, TOKEN).status_code == 429
    assert call(client, TOKEN).headers["Retry-After"] == "1"
    clock.now += 1
    assert call(client, TOKEN).status_code == 200


def test_requests_without_a_token_never_lock_the_tokens_holder_out(control_app):
    """Issue 37's repro: ten GETs with no token header (what a web page's <img> tags make a browser
    send), then the right token got 429 for 15 minutes, /_control/reset too."""
    client = control_app.test_client()
    for _ in range(FAILURES.limit * 3):
        assert call(client, None).status_code == 403
        assert call(client, "").status_code == 403
    assert call(client, TOKEN).status_code == 200
    reset = client.post(
        "/_control/reset", headers={"X-Control-Token": TOKEN}, environ_base={"REMOTE_ADDR": "198.51.100.7"}
    )
    assert reset.status_code == 200


def test_another_clients_wrong_tokens_never_refuse_the_right_token(control_app):
    client = control_app.test_client()
    for attempt in range(FAILURES.limit * 2):
        call(client, f"token-adivinado-{attempt}", client_address="203.0.113.66")
    assert call(client, "token-adivinado-x", client_address="203.0.113.66").status_code == 429
    assert call(client, TOKEN).status_code == 200


def test_right_tokens_never_lock(control_app):
    client = control_app.test_client()
    for _ in range(FAILURES.limit * 3):
        assert call(client, TOKEN).status_code == 200


def test_with_control_off_nothing_is_counted_and_everything_is_404(tmp_path, clock):
    app = create_app({"TESTING": True, "DATABASE": str(tmp_path / "off.sqlite"), "RATE_LIMIT_CLOCK": clock})
    client = app.test_client()
    for _ in range(FAILURES.limit + 5):
        assert call(client, "cualquier-token-largo").status_code == 404
