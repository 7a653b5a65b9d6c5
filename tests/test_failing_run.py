"""What QA reads after a run with real regressions, planted in the mock of a pytest run
this test starts (``-p tests.regresiones``, never in the mock's code), on two xdist workers as
``make pruebas`` runs:

- term 4 broken in the domain: every new serial is *mensual* (2 of the outline's 3 examples fail);
- the dialog's «Cancelar» renamed: «Cancelar no cambia nada» waits for a link that is not there;
- Figura 1's committed image painted over in a copy of screenshots/: the figure changed.

Read back: the terminal, reports/cucumber.json against the format's schema,
reports/tutorial.html opened in Chromium. A smaller run without a browser pins what
``-v`` and ``--tb=long`` add.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from PIL import Image, ImageDraw

from tutorial.ci.failure_record import read_failures
from tutorial.documento import proof

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
TERMS_FEATURE = "features/terminos_de_la_actualizacion.feature"
SCHEMA = json.loads((Path(__file__).parent / "cucumber_json.schema.json").read_text(encoding="utf-8"))
REGRESSIONS = {"periodicidad": "mensual", "textos": {">Cancelar<": ">Cerrar<"}, "espera_ms": 3000}
SELECTED = "conserva_la_renta or cancelar_no_cambia_nada or localizo_mi_cuenta_aspel"

pytestmark = pytest.mark.completo


def _gherkin_line(text: str, feature: str = TERMS_FEATURE) -> int:
    """The line of a step or scenario in the feature file (the features change; the test reads them)."""
    lines = (ROOT / feature).read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if line.strip().endswith(text))


def _failures(output: str) -> str:
    """The failures as the run prints them: from its first «FALLOS» heading to the line that counts
    the run (issue 38, point 2: pytest's own FAILURES section and FAILED lines no longer repeat them)."""
    section = re.split(r"^=+ FALLOS: .*$", output, maxsplit=1, flags=re.M)[1]
    return re.split(r"^Resumen: corrieron ", section, flags=re.M)[0]


def _block(output: str, first_line: str) -> list[str]:
    """The lines of one failure, from its first line to the blank line or heading after it."""
    lines = output.splitlines()
    start = lines.index(first_line)
    end = next(
        i for i in range(start + 1, len(lines)) if not lines[i].strip() or re.match(r"^(=+ |Resumen: )", lines[i])
    )
    return lines[start:end]


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    tmp = tmp_path_factory.mktemp("corrida-que-falla")
    figures = tmp / "screenshots"
    shutil.copytree(ROOT / "screenshots", figures)
    with Image.open(figures / "figura-01.png") as image:
        painted = image.convert("RGB")
    ImageDraw.Draw(painted).rectangle((0, 0, 60, 40), fill=(0, 200, 0))
    painted.save(figures / "figura-01.png")
    reports = tmp / "reports"
    command = [
        sys.executable, "-m", "pytest", "features", "-p", "tests.regresiones", "-p", "no:cacheprovider",
        "-n", "2", "-k", SELECTED, "--carpeta-figuras", str(figures), "--reportes", str(reports),
        "--junitxml", str(reports / "junit.xml"), "--cucumberjson", str(reports / "cucumber.json"),
        "--tracing", "retain-on-failure", "--screenshot", "only-on-failure", "--output", str(reports / "playwright"),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASPEL_REGRESIONES": json.dumps(REGRESSIONS)}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert "4 failed, 1 passed" in done.stdout, done.stdout[-4000:] + done.stderr[-2000:]
    proof.main(["--reportes", str(reports), "--features", str(FEATURES), "--screenshots", str(figures)])
    return done, reports


def test_a_text_failure_is_one_spanish_block_with_both_strings(failing_run):
    done, reports = failing_run
    outline = _gherkin_line(
        "Esquema del escenario: La serie de Aspel NOI 10.0 conserva la renta <periodicidad> y los usuarios"
    )
    step = _gherkin_line(
        "Entonces la nueva serie conserva la renta <periodicidad> con próximo pago el <próximo pago> y <usuarios> usuarios"
    )
    block = _block(
        done.stdout, "Falló el escenario «La serie de Aspel NOI 10.0 conserva la renta semestral y los usuarios»"
    )
    evidence = f"{reports}/playwright/features-test-tutorial-py-test-la-serie-de-aspel-noi-100-conserva-la-renta-periodicidad-y-los-usuarios-chromium-semestral-3-01-10-2022"
    assert block[:6] == [
        "Falló el escenario «La serie de Aspel NOI 10.0 conserva la renta semestral y los usuarios»",
        f"  archivo: {TERMS_FEATURE}:{outline}",
        "  etiquetas: @regla-4 @mock",
        "  ejemplo: periodicidad = semestral, usuarios = 3, próximo pago = 01/10/2022",
        f"  paso (línea {step}): Entonces la nueva serie conserva la renta semestral con próximo pago el 01/10/2022 y 3 usuarios",
        "  se esperaba: que contenga el texto «renta semestral»",
    ]
    assert re.fullmatch(
        r"  se vio:      «Se generó el número de serie \w+ de Aspel NOI 10\.0 con renta mensual\. "
        r"Te enviamos la notificación a \S+@example\.\w+\.»",
        block[6],
    ), block[6]
    assert block[7:] == [
        '  elemento:    get_by_role("status")',
        f"  captura:     {evidence}/test-failed-1.png",
        f"  traza:       {evidence}/trace.zip",
    ]
    assert Path(f"{evidence}/test-failed-1.png").is_file() and Path(f"{evidence}/trace.zip").is_file()


def test_a_missing_element_says_which_and_how_long_it_was_awaited(failing_run):
    done, reports = failing_run
    block = _block(done.stdout, "Falló el escenario «Cancelar no cambia nada»")
    assert block[1:4] == [
        f"  archivo: {TERMS_FEATURE}:{_gherkin_line('Escenario: Cancelar no cambia nada')}",
        "  etiquetas: @regla-1",
        f"  paso (línea {_gherkin_line('Cuando cancelo')}): Cuando cancelo",
    ]
    assert block[4] == (
        '  se esperaba: encontrar get_by_role("dialog", name="Actualiza la versión de tu sistema")'
        '.get_by_role("link", name="Cancelar") (Locator.click)'
    )
    assert block[5] == "  se vio:      no apareció en 3 s"
    assert block[6].startswith("  captura:     ") and block[7].startswith("  traza:       ")


def test_a_figure_failure_gives_pixels_region_cause_and_report(failing_run):
    done, reports = failing_run
    feature = "features/01_ingresa_a_la_cuenta_aspel.feature"
    block = _block(done.stdout, "Falló el escenario «Localizo Mi cuenta Aspel en aspel.com.mx»")
    assert (
        block[1]
        == f"  archivo: {feature}:{_gherkin_line('Escenario: Localizo Mi cuenta Aspel en aspel.com.mx', feature)}"
    )
    assert block[2] == "  etiquetas: @figura"
    assert block[3].startswith("  paso (línea ") and 'se captura la Figura 1 "' in block[3]
    shown = "\n".join(block)
    rows = {}
    for line in block[4:]:
        row = re.match(r"  ([^:]+):\s+(.*)", line)
        assert row, shown
        rows[row[1]] = row[2]
    assert rows["se esperaba"].startswith("la figura comprometida ") and rows["se esperaba"].endswith(
        "screenshots/figura-01.png"
    )
    assert re.match(
        r"cambió: [\d,]+ píxeles \([\d.]+ %\) en la región x=0, y=0, \d+×\d+ \(tolerancia: ", rows["se vio"]
    )
    assert rows["causa probable"].startswith("cambió la página, no el renderizador")
    assert rows["informe"].endswith("figures/index.html") and rows["para aceptarla"] == "make aceptar FIGURA=figura-01"
    assert rows["captura"].endswith("test-failed-1.png") and rows["traza"].endswith("trace.zip")


def test_pytest_internals_stay_out_of_the_default_report(failing_run):
    done, _reports = failing_run
    failures = _failures(done.stdout)
    for internal in ("call_fixture_func", "fixturefunc", "Traceback", "_pytest", "site-packages"):
        assert internal not in failures, internal
    assert len(failures.splitlines()) < 60  # four failures, about ten lines each


def test_the_cucumber_file_follows_the_format(failing_run):
    _done, reports = failing_run
    features = json.loads((reports / "cucumber.json").read_text(encoding="utf-8"))
    jsonschema.validate(features, SCHEMA)
    cancel = next(e for f in features for e in f["elements"] if e["name"] == "Cancelar no cambia nada")
    statuses = [step["result"]["status"] for step in cancel["steps"]]
    failed = statuses.index("failed")
    assert statuses[failed + 1 :] and set(statuses[failed + 1 :]) == {"skipped"}
    assert set(statuses[:failed]) == {"passed"}
    message = cancel["steps"][failed]["result"]["error_message"]
    assert message.startswith("Falló el escenario «Cancelar no cambia nada»") and "no apareció en 3 s" in message


def test_the_failures_record_links_the_evidence_inside_the_reports_folder(failing_run):
    _done, reports = failing_run
    failures = read_failures(reports)
    assert len(failures) == 4
    for failure in failures:
        assert set(failure.evidence) == {"screenshot", "trace"}
        for path in failure.evidence.values():
            assert not Path(path).is_absolute() and (reports / path).is_file(), path


def test_the_proof_view_in_chromium_reads_the_rule_the_step_and_the_evidence(failing_run, browser):
    """Rendered as QA opens it: the summary at the top turns red for terms 1 and 4; the failing
    examples show their step and strings; the evidence links resolve next to the page."""
    _done, reports = failing_run
    page = browser.new_page()
    try:
        page.goto((reports / "tutorial.html").as_uri())
        summary = (
            page.get_by_role("listitem")
            .filter(has_text="Término 4 (la misma periodicidad): falló 2 de 6 escenarios")
            .first
        )
        assert summary.evaluate("e => getComputedStyle(e.querySelector('span')).color") == "rgb(179, 0, 27)"
        term_2 = (
            page.get_by_role("listitem")
            .filter(has_text=re.compile(r"^Término 2 \(nueva serie al aceptar\): no se ejecutó"))
            .first
        )
        assert term_2.evaluate("e => getComputedStyle(e.querySelector('span')).color") == "rgb(102, 102, 102)"
        text = page.locator("body").inner_text()
        assert "se esperaba: que contenga el texto «renta semestral»" in text
        assert "ejemplo: periodicidad = semestral, usuarios = 3, próximo pago = 01/10/2022" in text
        assert re.search(r"pasó: La serie de Aspel NOI 10\.0 conserva la renta mensual y los usuarios", text)
        links = page.get_by_role("link", name="traza de Playwright")
        assert links.count() == 3  # the failing examples of term 4 and «Cancelar»; Figura 1 proves no term
        for index in range(links.count()):
            assert (reports / links.nth(index).get_attribute("href")).is_file()
        figure = page.get_by_text("Estado de la figura en la última corrida:").first
        assert "cambió" in figure.inner_text()
    finally:
        page.close()


# --- make pruebas' own way: no traces, scenarios sharing the worker's page ------------------------


def test_a_failure_on_the_shared_page_keeps_its_picture_and_the_next_scenario_a_clean_page(tmp_path):
    """make pruebas records no traces, so its scenarios share a page per worker (tutorial/sitio/pages.py):
    the failed one still names its picture, and the one after it on the same worker passes."""
    reports = tmp_path / "reports"
    command = [
        sys.executable, "-m", "pytest", "features", "-p", "tests.regresiones", "-p", "no:cacheprovider", "-n", "0",
        "-k", "cancelar_no_cambia_nada or la_nueva_serie_es_nueva", "--reportes", str(reports),
        "--screenshot", "only-on-failure", "--output", str(reports / "playwright"),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASPEL_REGRESIONES": json.dumps(REGRESSIONS)}
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert "1 failed, 1 passed" in done.stdout, done.stdout[-4000:] + done.stderr[-2000:]
    block = _block(done.stdout, "Falló el escenario «Cancelar no cambia nada»")
    assert block[-1].startswith("  captura:     ") and block[-1].endswith("/test-failed-1.png"), block
    picture = Path(block[-1].removeprefix("  captura:     "))
    assert (picture if picture.is_absolute() else ROOT / picture).read_bytes().startswith(b"\x89PNG")


# --- what -v and --tb=long add (a run without a browser) -------------------------------------------

FEATURE = """# language: es
Característica: Una cuenta
  @regla-2
  Escenario: Cuenta tres
    Dado que hay dos
    Entonces hay tres
"""
STEPS = """
from pytest_bdd import given, scenarios, then

scenarios("demo.feature")


@given("que hay dos", target_fixture="cuenta")
def _dos():
    return 2


@then("hay tres")
def _tres(cuenta):
    assert cuenta == 3, f"se contaron {cuenta}"
"""


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sin-navegador")
    (folder / "demo.feature").write_text(FEATURE, encoding="utf-8")
    (folder / "test_demo.py").write_text(STEPS, encoding="utf-8")
    (folder / "conftest.py").write_text(
        'pytest_plugins = ["tutorial.ci.failure_summary", "tutorial.ci.cucumber_xdist"]\n', encoding="utf-8"
    )
    (folder / "pytest.ini").write_text("[pytest]\nmarkers =\n    regla-2: término 2\n", encoding="utf-8")
    return folder


def _tiny_run(folder: Path, *options: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:xdist",
        "-p",
        "no:playwright",
        *options,
    ]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120, env=env)
    assert "1 failed" in done.stdout, done.stdout + done.stderr
    return _failures(done.stdout)


SPANISH = [
    "Falló el escenario «Cuenta tres»",
    "  archivo: demo.feature:4",
    "  etiquetas: @regla-2",
    "  paso (línea 6): Entonces hay tres",
    "  se esperaba:  que se cumpliera la comprobación del paso",
    "  se vio:       se contaron 2",
    "  comprobación: assert 2 == 3",
]


def test_by_default_only_the_spanish_block(tiny_project):
    report = _tiny_run(tiny_project)
    lines = [line for line in report.splitlines() if line.strip()]
    assert lines == SPANISH


@pytest.mark.parametrize("option", ["-v", "--tb=long"])
def test_verbose_or_a_long_traceback_keep_pytests_own_after_the_block(tiny_project, option):
    report = _tiny_run(tiny_project, option)
    lines = report.strip().splitlines()
    assert lines[: len(SPANISH)] == SPANISH
    rest = "\n".join(lines[len(SPANISH) :])
    assert "def _tres(cuenta):" in rest and "AssertionError: se contaron 2" in rest
