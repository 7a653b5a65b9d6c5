"""In-process: what the Spanish failure block says for each kind of error a
step raises (the real runs are in tests/test_failing_run.py)."""

from __future__ import annotations

import pytest

from tutorial.ci.failure_summary import Expectation, ScenarioFailure, describe_exception


def test_a_negated_playwright_assertion_reads_as_a_negation():
    error = AssertionError(
        "Locator expected not to contain text 'Inactiva'\nActual value: Inactiva desde el 01/04/2022 \n"
        'Call log:\n  - Expect "not_to_contain_text" with timeout 5000ms\n  - waiting for get_by_role("row")'
    )
    found = describe_exception(error)
    assert (found.expected, found.actual) == ("no que contenga el texto «Inactiva»", "«Inactiva desde el 01/04/2022»")
    assert found.details == [("elemento", 'get_by_role("row")')]


def test_an_element_that_is_not_there_says_so_instead_of_none():
    error = AssertionError(
        "Locator expected to be visible\nActual value: None\nError: element(s) not found \n"
        'Call log:\n  - waiting for get_by_role("dialog", name="Centro de descargas")'
    )
    found = describe_exception(error)
    assert (found.expected, found.actual) == (
        "que sea visible",
        'no se encontró en la página get_by_role("dialog", name="Centro de descargas")',
    )


def test_a_custom_expect_message_keeps_the_steps_words():
    error = AssertionError(
        "la serie no cambió\nExpected value: 'Plan actualizado'\nActual value: Vigente \nCall log:\n"
    )
    found = describe_exception(error)
    assert found.expected == "«Plan actualizado» (la serie no cambió)" and found.actual == "«Vigente»"


def test_any_other_error_names_its_type():
    found = describe_exception(ConnectionError("se cerró la conexión"))
    assert (found.kind, found.actual) == ("error", "ConnectionError: se cerró la conexión")


def test_a_value_of_several_lines_stays_aligned_under_its_label():
    failure = ScenarioFailure(
        "n", "features/a.feature", 3, "Uno", ["regla-1"], {}, "Entonces veo", 4,
        Expectation("texto", "el texto «a»", "«b\nc»"),
    )  # fmt: skip
    assert failure.lines()[-2:] == ["  se vio:      «b", "               c»"]


# --- the failing step, in a real pytest-bdd run in this process -----------------------------------

FEATURE = """# language: es
Característica: Un escenario que falla a la mitad

  Escenario: Falla el segundo paso
    Dado que la cuenta existe
    Cuando reviso el total
    Entonces el total cuadra
    Y el correo llegó
"""

STEPS = """
from pytest_bdd import given, scenarios, then, when

scenarios("falla.feature")


@given("que la cuenta existe")
def _():
    pass


@when("reviso el total")
def _():
    assert 2 + 2 == 5, "el total no cuadró"


@then("el total cuadra")
def _():
    pass


@then("el correo llegó")
def _():
    pass
"""


def test_the_block_names_the_step_that_failed_not_the_ones_after_it(pytester: pytest.Pytester):
    """pytest-bdd reports every step after the failing one as failed too
    (``ScenarioReport.fail``): the block must still name the step that raised, with its line."""
    pytester.makefile(".feature", falla=FEATURE)
    pytester.makepyfile(test_falla=STEPS)
    result = pytester.runpytest_inprocess(
        "-p", "tutorial.ci.failure_summary", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly",
        "-p", "no:xdist",
    )  # fmt: skip
    result.assert_outcomes(failed=1)
    output = result.stdout.str()
    assert "Falló el escenario «Falla el segundo paso»" in output
    assert "  paso (línea 6): Cuando reviso el total" in output, output
    assert "Entonces el total cuadra" not in output and "el correo llegó" not in output
    assert "el total no cuadró" in output


TERMS_FEATURE = """# language: es
Característica: Los términos

  @regla-4
  Regla: 4.- La nueva serie tiene la misma periodicidad

    Esquema del escenario: Conserva la renta <periodicidad>
      Dado que la renta es <periodicidad>
      Entonces la nueva serie es mensual

      Ejemplos:
        | periodicidad |
        | mensual      |
        | semestral    |
        | anual        |

  @regla-1 @regla-2 @regla-3 @regla-5 @regla-6
  Regla: Los demás términos

    Escenario: Los demás se cumplen
      Dado que la renta es mensual
      Entonces la nueva serie es mensual
"""

TERMS_STEPS = """
from pytest_bdd import given, parsers, scenarios, then

scenarios("terminos.feature")


@given(parsers.parse("que la renta es {periodicidad}"), target_fixture="renta")
def _(periodicidad):
    return periodicidad


@then("la nueva serie es mensual")
def _(renta):
    assert renta == "mensual", f"la serie quedó {renta}"
"""


def test_the_run_closes_with_a_line_per_term(pytester: pytest.Pytester):
    """The last line says which terms failed, in how many of their cases, and
    which were proven; the Regla's tags reach its scenarios."""
    pytester.makefile(".feature", terminos=TERMS_FEATURE)
    pytester.makepyfile(test_terminos=TERMS_STEPS)
    result = pytester.runpytest_inprocess(
        "-p", "tutorial.ci.failure_summary", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly",
        "-p", "no:xdist",
    )  # fmt: skip
    result.assert_outcomes(failed=2, passed=2)
    lines = result.stdout.str().splitlines()
    closing = lines.index("Término 4: falló (2 de 3 ejemplos) · Términos 1-3, 5, 6: probados")
    assert lines[closing - 1].startswith("Resumen: corrieron 4 (2 pasaron, 2 fallaron)")
