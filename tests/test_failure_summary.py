"""In-process: what the Spanish failure block says for each kind of error a
step raises (the real runs are in tests/test_failing_run.py)."""

from __future__ import annotations

import json

import pytest

from tutorial.ci.failure_record import Expectation, ScenarioFailure
from tutorial.ci.failure_summary import describe_exception


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


UNIT_TEST = """
def test_la_suma():
    total = 2 + 2
    assert total == 5, "la suma no dio cinco"
"""


def _one_screen_run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makefile(".feature", terminos=TERMS_FEATURE)
    pytester.makepyfile(test_terminos=TERMS_STEPS, test_unidad=UNIT_TEST)
    return pytester.runpytest_inprocess(
        "-p", "tutorial.ci.failure_summary", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly",
        "-p", "no:xdist", "-W", "ignore::pytest.PytestUnknownMarkWarning", *args,
    )  # fmt: skip


def test_one_screen_spanish_blocks_first_then_a_line_per_other_test(pytester: pytest.Pytester):
    """Issue 38, point 2: each failing scenario's block once, before anything else of the summary;
    a failing test that is not a scenario in one line (test, file:line, message), its traceback
    only under -v; pytest's FAILURES section and FAILED lines do not repeat them."""
    result = _one_screen_run(pytester, "-p", "no:randomly", "-r", "fE", "--junitxml", "junit.xml")
    result.assert_outcomes(failed=3, passed=2)
    output = result.stdout.str()
    lines = output.splitlines()
    first_block = lines.index("Falló el escenario «Conserva la renta semestral»")
    unit = lines.index("Falló test_unidad.py::test_la_suma (test_unidad.py:3): la suma no dio cinco")
    assert lines[first_block - 1].startswith("=") and "FALLOS: 2 escenarios" in lines[first_block - 1]
    assert first_block < lines.index("Falló el escenario «Conserva la renta anual»") < unit
    assert output.count("Conserva la renta semestral»") == 1, output
    assert "Traceback" not in output and "def test_la_suma" not in output and "FAILURES" not in output
    assert "FAILED" not in output, output
    assert lines[-3:-1] == [
        "Resumen: corrieron 5 (2 pasaron, 3 fallaron); se omitieron 0",
        "Término 4: falló (2 de 3 ejemplos) · Términos 1-3, 5, 6: probados",
    ], lines[-4:]


def test_under_verbose_the_other_tests_keep_their_traceback_after_the_blocks(pytester: pytest.Pytester):
    output = _one_screen_run(pytester, "-v").stdout.str()
    assert output.index("Falló el escenario «Conserva la renta anual»") < output.index("def test_la_suma")
    assert output.count("def test_la_suma") == 1


def test_junit_gets_one_spanish_line_as_message_and_the_whole_block_as_body(pytester: pytest.Pytester):
    """Issue 38, point 4: pytest cut the message attribute before «se vio» with an English
    «[+2 more lines; full report in element text]»."""
    import xml.etree.ElementTree as ET

    _one_screen_run(pytester, "--junitxml", "junit.xml")
    failures = {
        case.get("name"): case.find("failure") for case in ET.parse(pytester.path / "junit.xml").iter("testcase")
    }
    semestral = next(failure for name, failure in failures.items() if "semestral" in name)
    message = semestral.get("message")
    assert message == (
        "Conserva la renta semestral: Entonces la nueva serie es mensual: se esperaba que se cumpliera la "
        "comprobación del paso; se vio la serie quedó semestral"
    ), message
    assert semestral.text.startswith("Falló el escenario «Conserva la renta semestral»\n  archivo: terminos.feature:7")
    assert "comprobación: assert 'semestral' == 'mensual'" in semestral.text
    assert failures["test_la_suma"].get("message").startswith("AssertionError: la suma no dio cinco")


def test_the_trace_rerun_says_only_where_each_trace_is(pytester: pytest.Pytester):
    """The re-run of make pruebas (--trazas-de): no block a second time, no closing lines; one
    line per failure with its trace, and the trace added to the first run's fallos.json."""
    pytester.path.joinpath("reportes").mkdir()
    nodeid = "test_terminos.py::test_conserva_la_renta_periodicidad[semestral]"
    pytester.path.joinpath("reportes", "fallos.json").write_text(
        json.dumps([{"nodeid": nodeid, "evidence": {"screenshot": "playwright/x/captura.png"}}])
    )
    pytester.makeconftest(
        """
import pytest

@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "teardown" and "semestral" in item.nodeid:
        report.user_properties.append(("playwright_trace", "reportes/trazas/playwright/semestral/trace.zip"))
"""
    )
    result = _one_screen_run(pytester, "--trazas-de", "reportes")
    output = result.stdout.str()
    assert "Falló el escenario" not in output and "Resumen:" not in output and "Término 4" not in output, output
    assert f"  traza: reportes/trazas/playwright/semestral/trace.zip  ({nodeid})" in output.splitlines()
    assert "  sin traza: test_unidad.py::test_la_suma" in output.splitlines()
    record = json.loads(pytester.path.joinpath("reportes", "fallos.json").read_text())[0]
    assert record["evidence"] == {
        "screenshot": "playwright/x/captura.png",
        "trace": "trazas/playwright/semestral/trace.zip",
    }


LIST_TEST = """
def test_las_rutas():
    bad = ["a.py:3: la ruta docs/x.md no existe"]
    assert not bad, "Referencias que no llevan a ningún lado:\\n" + "\\n".join(bad)
"""


def test_a_message_that_announces_a_list_keeps_its_first_item_on_the_line(pytester: pytest.Pytester):
    """A failure message that ends in «:» on its first line names nothing: its line carries the
    first item too, so the rule that failed is on screen without -v."""
    pytester.makepyfile(test_lista=LIST_TEST)
    result = pytester.runpytest_inprocess(
        "-p", "tutorial.ci.failure_summary", "-p", "no:cacheprovider", "-p", "no:playwright", "-p", "no:randomly",
        "-p", "no:xdist",
    )  # fmt: skip
    assert (
        "Falló test_lista.py::test_las_rutas (test_lista.py:3): Referencias que no llevan a ningún lado: "
        "a.py:3: la ruta docs/x.md no existe"
    ) in result.stdout.str().splitlines()
