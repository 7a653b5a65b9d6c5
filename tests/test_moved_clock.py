"""The figures and the tutorial world do not depend on the day, the machine's zone or its locale.

The figure scenarios run in a pytest of their own with Python's clock 1,200 days ahead, a time
zone 20 hours away from Mexico City's and the C locale, and must
find every committed figure unchanged. A Faker provider that counts from today (``rfc()``'s
``date_of_birth()``), a ``date.today()`` on the path or the zone's date would change one.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.moved_clock import DAYS_VARIABLE
from tests.processes import run_to_end

# Each test here starts a whole run, a server or another browser: make pruebas-completas.
pytestmark = pytest.mark.completo

ROOT = Path(__file__).resolve().parent.parent
FIGURES = sorted(path.stem for path in (ROOT / "screenshots").glob("figura-*.png"))


def run_figures(tmp_path: Path, days: int, zone: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ASPEL_", "PYTEST_", "LC_"))}
    env.update({DAYS_VARIABLE: str(days), "TZ": zone, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"})
    return run_to_end(
        [
            sys.executable,
            "-m",
            "pytest",
            "features",
            "-m",
            "figura",
            "-q",
            "-n",
            "0",
            "-p",
            "tests.moved_clock",
            "--reportes",
            str(tmp_path / "reports"),
            "--output",
            str(tmp_path / "pw"),
        ],
        cwd=ROOT,
        timeout=900,
        env=env,
    )


def test_the_figures_are_the_same_years_ahead_in_another_zone(tmp_path):
    result = run_figures(tmp_path, days=1200, zone="Pacific/Kiritimati")  # UTC+14: another date too
    verdicts = dict(re.findall(r"^(figura-\d\d): (\S+)", result.stdout, re.M))
    assert verdicts == {name: "igual" for name in FIGURES}, result.stdout[-4000:]
    assert result.returncode == 0, result.stdout[-4000:]
