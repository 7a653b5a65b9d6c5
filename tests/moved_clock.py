"""A pytest plugin that runs the whole session with Python's clock moved: ``-p tests.moved_clock``
with ``ASPEL_DIAS_ADELANTE=1200`` (days; negative goes back). Everything in the process moves —
``datetime.now()``, ``date.today()``, ``time.time()``, Faker's date providers and the embedded
mock's thread — while the browser keeps its own clock (pinned by the scenarios on the tutorial's
moment). Used by tests/test_moved_clock.py to prove the figures never read today's date."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import time_machine

DAYS_VARIABLE = "ASPEL_DIAS_ADELANTE"


def pytest_configure(config: pytest.Config) -> None:
    days = int(os.environ[DAYS_VARIABLE])
    traveller = time_machine.travel(timedelta(days=days), tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)
