"""The embedded mock: a real threaded WSGI server on a free port, in a daemon thread."""

from __future__ import annotations

import logging
import secrets
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

from mock_site import create_app

# The embedded mock's accounts are hashed with one PBKDF2 round: scrypt, the site's default (which
# make sitio and a mock started apart keep), cost 0.13 s per account a scenario makes and 0.15 s per
# log-in. No scenario depends on the cost of a hash.
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"


@contextmanager
def running_mock(control_token: str | None = None) -> Iterator[tuple[str, str]]:
    """Yield (base URL, control token) of a mock with its own temporary SQLite file."""
    token = control_token or secrets.token_urlsafe(24)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in test output
    with tempfile.TemporaryDirectory(prefix="aspel-mock-") as folder:
        app = create_app(
            {
                "DATABASE": str(Path(folder) / "aspel.sqlite"),
                "CONTROL_TOKEN": token,
                "PASSWORD_HASH": CHEAP_PASSWORD_HASH,
            }
        )
        server = make_server("127.0.0.1", 0, app, threaded=True)
        # shutdown() waits for the loop's next look (0.5 s by default): 0.05 s ends every pytest
        # process (each worker, each run a test starts) a quarter of a second sooner on average.
        thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="aspel-mock", daemon=True
        )
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", token
        finally:
            server.shutdown()
            thread.join(timeout=5)
