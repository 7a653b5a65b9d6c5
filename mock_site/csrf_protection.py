"""Flask-WTF's CSRF protection, fed only form fields that have a name.

A multipart part without a usable name is keyed ``None`` by Werkzeug; Flask-WTF 1.3 looks for
the token with ``key.endswith(...)`` over every form key, so such a request was a 500 (found by
tests/test_fuzz.py). Rather than override Flask-WTF's private token lookup, the site's requests
parse forms with :class:`NamedPartsParser` (Werkzeug's public ``Request.form_data_parser_class``):
a part without a name is dropped before any view, or Flask-WTF, reads the form.
"""

from __future__ import annotations

from typing import IO, Any

from flask import Request
from flask_wtf.csrf import CSRFProtect
from werkzeug.datastructures import MultiDict
from werkzeug.formparser import FormDataParser

csrf = CSRFProtect()


def _named(data: MultiDict) -> MultiDict:
    return data.__class__((key, value) for key, value in data.items(multi=True) if isinstance(key, str))


class NamedPartsParser(FormDataParser):
    """Werkzeug's form parser, without the fields and files whose part has no name."""

    def parse(
        self, stream: IO[bytes], mimetype: str, content_length: int | None, options: dict[str, str] | None = None
    ) -> tuple[IO[bytes], MultiDict[str, Any], MultiDict[str, Any]]:
        stream, form, files = super().parse(stream, mimetype, content_length, options)
        return stream, _named(form), _named(files)


class SiteRequest(Request):
    form_data_parser_class = NamedPartsParser
