"""Regressions a test plants in the mock of a pytest run it starts, never in the mock's code.

Loaded into that run with ``-p tests.regresiones``; the environment variable
``ASPEL_REGRESIONES`` (JSON) says which:

- ``"periodicidad": "mensual"``: the upgrade gives every new serial that periodicity (term 4
  broken as a real regression would break it, in the domain);
- ``"textos": {"antes": "después"}``: every HTML page of the embedded mock with those texts
  replaced (a label renamed, a date format changed);
- ``"espera_ms": 3000``: Playwright's default wait for each page, so a missing element fails
  in seconds instead of thirty.

Without the variable the plugin does nothing.
"""

from __future__ import annotations

import dataclasses
import json
import os

import pytest

VARIABLE = "ASPEL_REGRESIONES"


def _wanted() -> dict:
    return json.loads(os.environ.get(VARIABLE) or "{}")


def pytest_configure(config: pytest.Config) -> None:
    wanted = _wanted()
    if "periodicidad" in wanted:
        from mock_site import store

        original = store.upgraded

        def upgraded(serie, new_number, today):
            return dataclasses.replace(original(serie, new_number, today), periodicidad=wanted["periodicidad"])

        store.upgraded = upgraded
    if wanted.get("textos"):
        from tutorial.sitio import server

        create_app = server.create_app

        def rewriting_app(settings: dict):
            app = create_app(settings)

            @app.after_request
            def rewrite(response):
                if response.mimetype == "text/html" and not response.direct_passthrough:
                    page = response.get_data(as_text=True)
                    for before, after in wanted["textos"].items():
                        page = page.replace(before, after)
                    response.set_data(page)
                return response

            return app

        server.create_app = rewriting_app


@pytest.fixture(autouse=True)
def _regression_wait(request: pytest.FixtureRequest) -> None:
    wait = _wanted().get("espera_ms")
    if wait and "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(wait)
