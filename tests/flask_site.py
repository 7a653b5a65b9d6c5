"""What the fast tests share besides fixtures: the test app's password and its cheap hash, and the
CSRF token of a served form. A plain module (``tests/conftest.py`` is pytest's, not for import)."""

from __future__ import annotations

import re

PASSWORD = "contraseña-segura-1"
# The apps of the tests hash passwords with one round of PBKDF2: scrypt (the site's default,
# tests/test_security.py proves it) cost 0.13 s per account and 0.15 s per log-in, most of the
# time of these tests. What a test checks about hashing does not depend on the cost.
CHEAP_HASH = "pbkdf2:sha256:1"
CONTROL_TOKEN = "token-de-pruebas"  # exactly 16 characters, the control API's minimum


def csrf_token(client, path: str) -> str:
    """The CSRF token of the form served at ``path``."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, f"no CSRF token in {path}"
    return match.group(1)


def mailbox_key(app, cuenta_id: int) -> str:
    """The account's mailbox key as it stands now (random and stored: mock_site/mail.py)."""
    from mock_site import mail_store
    from mock_site.db import connect

    db = connect(app.config["DATABASE"])
    try:
        return mail_store.mailbox_key(db, cuenta_id)
    finally:
        db.close()
