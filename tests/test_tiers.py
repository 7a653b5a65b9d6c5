"""The two tiers: QA's make pruebas and make pruebas-completas run every test between them, and a test
that starts a process cannot stay in QA's tier without the mark (tutorial/ci/tiers.py)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.processes import collected_node_ids

ROOT = Path(__file__).resolve().parents[1]

# Each test here starts pytest (in this process with pytester, or a collection in a subprocess).
pytestmark = pytest.mark.completo


def _collected(*marks: str) -> set[str]:
    return set(collected_node_ids(*marks))


def _makefile_marks(target: str) -> str:
    """The ``-m`` expression the Makefile gives pytest in a target's recipe."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    if target == "test":
        found = re.search(r'^QA_TIER := -m "(.+)"$', makefile, re.M)
    else:
        rule = re.search(rf"^(?:[\w-]+ )*{re.escape(target)}(?: [\w-]+)*:(?!=)(?! export).*$", makefile, re.M)
        assert rule, f"el Makefile no tiene el objetivo {target}"
        recipe = makefile[rule.end() :].split("\n\n", 1)[0]
        found = re.search(r'pytest -m "([^"]+)"', recipe)
    assert found, f"el Makefile no da -m a pytest en make {target}"
    return found.group(1)


def test_the_two_tiers_run_every_test_of_the_suite_and_qa_none_of_the_marked():
    everything = _collected()
    qa = _collected("-m", _makefile_marks("test"))
    extra = _collected("-m", _makefile_marks("test-extra"))
    marked = _collected("-m", "completo")
    assert qa | extra == everything, sorted(everything - qa - extra)[:10]
    assert not qa & marked
    assert marked <= extra
    # The scenarios, every figure among them, are QA's: none waits for make pruebas-completas.
    assert {test for test in everything if test.startswith("features/")} <= qa
    assert len(qa) > len(everything) * 0.9  # the quick tier is nearly the whole suite, not a sample


GUARDED = """
import subprocess, sys
import pytest

@pytest.fixture
def started_in_set_up():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_unmarked_starts_one():
    subprocess.run([sys.executable, "-c", "pass"], check=True)

def test_unmarked_fixture_starts_one(started_in_set_up):
    pass

def test_unmarked_quiet():
    assert True

def test_unmarked_asks_a_version():
    assert subprocess.run([sys.executable, "--version"], capture_output=True).returncode == 0

def test_unmarked_version_with_more():
    subprocess.run([sys.executable, "--version", "-c", "pass"], capture_output=True)

@pytest.mark.completo
def test_marked_starts_one():
    subprocess.run([sys.executable, "-c", "pass"], check=True)
"""


def test_a_test_that_starts_a_process_without_the_mark_fails_naming_the_command(pytester: pytest.Pytester):
    pytester.makeini("[pytest]\nmarkers =\n    completo: arranca una corrida\n")
    pytester.makepyfile(test_guarded=GUARDED)
    result = pytester.runpytest_inprocess(
        "-p", "tutorial.ci.tiers", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly", "-rfE"
    )
    result.assert_outcomes(passed=3, failed=2, errors=1)
    output = result.stdout.str()
    assert "FAILED test_guarded.py::test_unmarked_starts_one" in output
    # Asking an executable its --version (the renderer's identity) is no run; anything more is.
    assert "test_unmarked_asks_a_version" not in output
    assert "FAILED test_guarded.py::test_unmarked_version_with_more" in output
    assert "ERROR test_guarded.py::test_unmarked_fixture_starts_one" in output
    message = f"Esta prueba arranca un proceso ({sys.executable} -c pass) y no lleva @pytest.mark.completo"
    assert sum(line.startswith(message) for line in output.splitlines()) == 2  # one per test, whatever the width
