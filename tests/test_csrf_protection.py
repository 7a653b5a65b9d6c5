"""A multipart part without a name (Werkzeug keys it None) is dropped before Flask-WTF reads the
form: Flask-WTF 1.3's token lookup calls ``key.endswith`` on every key (mock_site/csrf_protection.py)."""

from __future__ import annotations

import io

from mock_site.csrf_protection import NamedPartsParser

BOUNDARY = "limite"


def _multipart(*parts: bytes) -> bytes:
    body = b"".join(b"--" + BOUNDARY.encode() + b"\r\n" + part + b"\r\n" for part in parts)
    return body + b"--" + BOUNDARY.encode() + b"--\r\n"


NAMELESS = b"Content-Disposition: form-data\r\n\r\nsin nombre"
NAMED = b'Content-Disposition: form-data; name="usuario"\r\n\r\nmariana'


def test_the_parser_drops_a_part_without_a_name_and_keeps_the_others():
    body = _multipart(NAMELESS, NAMED)
    _stream, form, files = NamedPartsParser().parse(
        io.BytesIO(body), "multipart/form-data", len(body), {"boundary": BOUNDARY}
    )
    assert list(form.items(multi=True)) == [("usuario", "mariana")] and not files


def test_a_form_with_a_nameless_part_is_refused_as_a_bad_form_not_a_500(app):
    body = _multipart(NAMELESS, NAMED)
    response = app.test_client().post(
        "/mi-cuenta/iniciar-sesion", data=body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )
    assert response.status_code == 400
    assert "La sesión del formulario expiró o no es válida." in response.get_data(as_text=True)
