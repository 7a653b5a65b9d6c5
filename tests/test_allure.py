"""Allure results through allure-pytest-bdd: two scenarios in a pytest subprocess, the written
result JSON files read back (no Allure CLI). One scenario proves term 1; the other shoots Figura 1
against a committed figure painted over, so it fails with its images attached."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

# Each test here starts a whole run, a server or another browser: make pruebas-completas.
pytestmark = pytest.mark.completo

pytest.importorskip(
    "allure_pytest_bdd", reason="el extra opcional allure no está instalado (pip install -e '.[allure]')"
)

ROOT = Path(__file__).resolve().parent.parent
FIGURE_SCENARIO = "Localizo Mi cuenta Aspel en aspel.com.mx"
RULE_SCENARIO = "Cancelar no cambia nada"


@pytest.fixture(scope="module")
def allure_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    tmp = tmp_path_factory.mktemp("allure")
    figures = tmp / "screenshots"
    shutil.copytree(ROOT / "screenshots", figures)
    with Image.open(figures / "figura-01.png") as image:
        painted = image.convert("RGB")
    ImageDraw.Draw(painted).rectangle((0, 0, 60, 40), fill=(0, 200, 0))
    painted.save(figures / "figura-01.png")
    results = tmp / "allure"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "features",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            "-q",
            "-k",
            "localizo_mi_cuenta_aspel or cancelar_no_cambia_nada",
            "--carpeta-figuras",
            str(figures),
            "--reportes",
            str(tmp / "reports"),
            "--output",
            str(tmp / "playwright"),
            "--screenshot",
            "only-on-failure",
            "--tracing",
            "retain-on-failure",
            "--alluredir",
            str(results),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert "1 failed, 1 passed" in done.stdout, done.stdout[-3000:] + done.stderr[-2000:]
    found = {}
    for path in results.glob("*-result.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["_dir"] = results
        found[data["name"]] = data
    return found


def test_each_scenario_is_a_result_with_its_spanish_steps(allure_results):
    assert set(allure_results) == {FIGURE_SCENARIO, RULE_SCENARIO}
    steps = [step["name"] for step in allure_results[RULE_SCENARIO]["steps"]]
    assert steps[0] == "Dado que tengo Aspel NOI 9.0 en suscripción mensual"
    assert "Cuando cancelo" in steps
    assert allure_results[RULE_SCENARIO]["status"] == "passed"


def test_tags_are_labels(allure_results):
    tags = {label["value"] for label in allure_results[RULE_SCENARIO]["labels"] if label["name"] == "tag"}
    assert "regla-1" in tags
    figure_tags = {label["value"] for label in allure_results[FIGURE_SCENARIO]["labels"] if label["name"] == "tag"}
    assert "figura" in figure_tags


def test_a_figure_mismatch_attaches_expected_actual_and_diff_and_the_failure_screenshot_and_trace(allure_results):
    result = allure_results[FIGURE_SCENARIO]
    assert result["status"] == "failed"
    attachments = {a["name"]: a for a in result.get("attachments", [])}
    for name in ("figura-01 esperada", "figura-01 actual", "figura-01 diferencias"):
        assert name in attachments, sorted(attachments)
        assert attachments[name]["type"] == "image/png"
        assert (result["_dir"] / attachments[name]["source"]).stat().st_size > 0
    assert any(name.startswith("captura del fallo") for name in attachments), sorted(attachments)
    assert any(name.startswith("traza de Playwright") for name in attachments), sorted(attachments)


def test_a_passing_scenario_has_no_failure_attachments(allure_results):
    names = [a["name"] for a in allure_results[RULE_SCENARIO].get("attachments", [])]
    assert not [n for n in names if n.startswith(("figura-", "captura del fallo", "traza"))]
