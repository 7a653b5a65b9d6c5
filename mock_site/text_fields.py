"""Every form field of every form, checked by one rule (domain/text.py) before any view reads it."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import BadRequest

from .domain.text import CONTROL_CHARACTERS, is_clean_text

MULTILINE_FIELDS = frozenset({"comentario"})  # textareas: line breaks and tabs are text there
# Fields the site fills in itself, never typed, each checked by its own rule: the CSRF token (Flask-WTF)
# and the page to return to after log-in (auth.safe_next, which already ignores anything odd).
SITE_FIELDS = frozenset({"csrf_token", "siguiente"})


class ControlCharacters(BadRequest):
    """A form field with a control or invisible format character (a 400 in the site's words)."""

    description = CONTROL_CHARACTERS


def refuse_control_characters() -> None:
    """A ``before_request`` hook: a submitted form with such a character changes nothing."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    for name, values in request.form.lists():
        if name in SITE_FIELDS:
            continue
        multiline = name in MULTILINE_FIELDS
        if not all(is_clean_text(value, multiline) for value in values):
            raise ControlCharacters()
