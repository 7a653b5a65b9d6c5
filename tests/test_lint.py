"""make revisar (ruff, mypy and vulture, configured in pyproject.toml) and its place in make pruebas."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.processes import outside_make, project_make

# Each test here starts a whole run, a server or another browser: make pruebas-completas.
pytestmark = pytest.mark.completo

ROOT = Path(__file__).resolve().parents[1]
# Every name used: vulture reads it too.
CLEAN = 'def saludo(nombre: str) -> str:\n    return f"Hola, {nombre}"\n\n\nprint(saludo("Ana"))\n'


def make_lint(folder: Path) -> subprocess.CompletedProcess:
    """``make revisar`` with the project's Makefile, venv, ruff and mypy settings, over ``folder`` alone."""
    settings = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    checked = re.search(r"^files = \[.*\]$", settings, re.M)
    assert checked, "[tool.mypy] ya no nombra sus carpetas con files = [...]"
    scanned = re.search(r"^paths = \[.*\]$", settings, re.M)
    assert scanned, "[tool.vulture] ya no nombra sus carpetas con paths = [...]"
    settings = settings.replace(checked[0], 'files = ["."]').replace(scanned[0], 'paths = ["."]')
    (folder / "pyproject.toml").write_text(settings, encoding="utf-8")
    return project_make("lint", folder)


def test_make_lint_passes_clean_code(tmp_path):
    (tmp_path / "modulo.py").write_text(CLEAN)
    done = make_lint(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "lint: ruff sin observaciones" in done.stdout and "lint: mypy sin observaciones" in done.stdout
    assert "lint: vulture sin código muerto" in done.stdout


def test_make_lint_fails_on_an_unused_import_and_names_it(tmp_path):
    (tmp_path / "modulo.py").write_text("import os\n\n\n" + CLEAN)
    done = make_lint(tmp_path)
    assert done.returncode != 0
    assert "F401" in done.stdout + done.stderr and "modulo.py" in done.stdout + done.stderr
    assert "make formato" in done.stdout


def test_make_lint_fails_on_unformatted_code(tmp_path):
    (tmp_path / "modulo.py").write_text(CLEAN.replace('f"Hola, {nombre}"', "f'Hola, {nombre}'"))
    done = make_lint(tmp_path)
    assert done.returncode != 0
    assert "modulo.py" in done.stdout + done.stderr


def test_make_lint_fails_on_a_type_error_and_names_it(tmp_path):
    (tmp_path / "modulo.py").write_text(CLEAN + '\n\nSALUDO: int = saludo("Ana")\n')
    done = make_lint(tmp_path)
    assert done.returncode != 0
    assert "lint: ruff sin observaciones" in done.stdout, "ruff no debía quejarse"
    assert "modulo.py:" in done.stdout and "[assignment]" in done.stdout, done.stdout
    assert "lint: mypy encontró" in done.stdout


def test_make_lint_fails_on_dead_code_and_names_it(tmp_path):
    (tmp_path / "modulo.py").write_text(CLEAN + "\n\ndef nadie_me_llama() -> None:\n    pass\n")
    done = make_lint(tmp_path)
    assert done.returncode != 0
    assert "lint: ruff sin observaciones" in done.stdout and "lint: mypy sin observaciones" in done.stdout
    assert "modulo.py:" in done.stdout and "nadie_me_llama" in done.stdout, done.stdout
    assert "lint: vulture encontró" in done.stdout


def test_make_test_runs_lint_beside_the_suite_prints_it_and_fails_on_either():
    recipe = subprocess.run(
        ["make", "-n", "--no-print-directory", "-o", ".venv/.installed", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=outside_make(),
    ).stdout
    lint, suite, waited = recipe.index("ruff check"), recipe.index("/pytest "), recipe.index("wait $lint_pid")
    assert lint < suite < waited, "lint starts in the background before pytest and is awaited after it"
    assert re.search(r"lint\.txt 2>&1 & lint_pid=\$!", recipe) and "cat reports/lint.txt" in recipe
    assert "exit $lint" in recipe and "exit $status" in recipe
