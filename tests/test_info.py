"""The pages the tutorial's links lead to (mock_site/info.py), without a browser."""

from __future__ import annotations

import re

import pytest

from mock_site import info
from mock_site.db import connect
from tests.flask_site import csrf_token

SLUG = info.TUTORIALS[0].slug
FEEDBACK = f"/tutoriales/{SLUG}/comentarios"
THANKS = f"{FEEDBACK}/gracias"


def _stored(app) -> list[tuple[str, str]]:
    db = connect(app.config["DATABASE"])
    try:
        return [tuple(row) for row in db.execute("SELECT tutorial, comentario FROM comentario ORDER BY id")]
    finally:
        db.close()


def test_noi_prices_show_both_modalities_and_the_three_periodicities(client):
    page = client.get("/precios/noi").get_data(as_text=True)
    assert "<h1>Precios de Aspel NOI</h1>" in page
    assert 'id="modalidad-suscripcion">Suscripción</h2>' in page
    assert 'id="modalidad-licenciamiento">Licenciamiento (pago único)</h2>' in page
    rows = re.findall(r'<th scope="row">([^<]+)</th>', page)
    assert rows == ["Mensual", "Semestral", "Anual", "Pago único"]


def test_tutorials_list_this_tutorial_and_soporte_leads_there(client):
    page = client.get("/tutoriales/").get_data(as_text=True)
    assert f'<a href="/tutoriales/{SLUG}/">Solicita tu número de serie desde aspel.com</a>' in page
    assert '<a href="/tutoriales/">Soporte</a>' in client.get("/").get_data(as_text=True)
    assert client.get(f"/tutoriales/{SLUG}/").status_code == 200
    assert client.get("/tutoriales/no-existe/").status_code == 404
    assert client.get("/tutoriales/no-existe/comentarios").status_code == 404


def test_feedback_is_stored_and_the_reader_thanked_with_it_escaped(app, client):
    token = csrf_token(client, FEEDBACK)
    answer = client.post(FEEDBACK, data={"csrf_token": token, "comentario": "  <b>¿Y para COI?</b>\r\nGracias.  "})
    assert answer.status_code == 303 and answer.headers["Location"].endswith(THANKS)
    assert _stored(app) == [(SLUG, "<b>¿Y para COI?</b>\nGracias.")]
    page = client.get(THANKS).get_data(as_text=True)
    assert info.THANKS in page
    assert "&lt;b&gt;¿Y para COI?&lt;/b&gt;" in page and "<b>¿Y para COI?" not in page


def test_the_thanks_page_shows_only_the_readers_own_feedback(app, client):
    token = csrf_token(client, FEEDBACK)
    client.post(FEEDBACK, data={"csrf_token": token, "comentario": "Sólo mío"})
    other = app.test_client()
    answer = other.get(THANKS)
    assert answer.status_code == 302 and answer.headers["Location"].endswith(FEEDBACK)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", info.EMPTY_FEEDBACK),
        ("   \r\n\t", info.EMPTY_FEEDBACK),
        ("x" * (info.MAX_FEEDBACK + 1), info.LONG_FEEDBACK),
    ],
)
def test_an_empty_or_too_long_feedback_says_why_and_stores_nothing(app, client, text, message):
    token = csrf_token(client, FEEDBACK)
    answer = client.post(FEEDBACK, data={"csrf_token": token, "comentario": text})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 400
    assert f'<p class="alert error" role="alert">{message}</p>' in page
    assert f'<p class="field-error" id="comentario-error">{message}</p>' in page
    assert _stored(app) == []


def test_feedback_without_its_csrf_token_is_refused(app, client):
    answer = client.post(FEEDBACK, data={"comentario": "Hola"})
    assert answer.status_code == 400
    assert "La sesión del formulario expiró o no es válida" in answer.get_data(as_text=True)
    assert _stored(app) == []


def test_youtube_is_a_placeholder_that_says_it_is_external(client):
    page = client.get("/externo/youtube").get_data(as_text=True)
    assert "<h1>YouTube (sitio externo)</h1>" in page
    assert "un sitio externo a aspel.com" in page
