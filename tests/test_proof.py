"""make constancia: the tutorial with each term's proof from the last run, written to reports/ only."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.processes import project_make
from tutorial.ci.failure_record import FAILURES_FILE, read_failures
from tutorial.documento import proof
from tutorial.figuras.comparison import CHANGED, SAME, Comparison
from tutorial.figuras.report import FigureReport

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
TERMS_FEATURE = "features/terminos_de_la_actualizacion.feature"


def cucumber(results: dict[tuple[str, int, str], str]) -> list[dict]:
    """A cucumber JSON like ours: one element per scenario or example (uri, line, name); its
    first step carries the status, a failed one with its message and a skipped step after it."""
    by_uri: dict[str, list[dict]] = {}
    for (uri, line, name), status in results.items():
        steps = [{"keyword": "Dado", "name": "algo", "line": line + 1, "result": {"status": status, "duration": 1}}]
        if status == "failed":
            steps[0]["result"]["error_message"] = f"no se vio lo esperado en {name}"
            steps.append({"keyword": "Entonces", "name": "más", "line": line + 2, "result": {"status": "skipped"}})
        by_uri.setdefault(uri, []).append(
            {"keyword": "Escenario", "name": name, "line": line, "tags": [], "type": "scenario", "steps": steps}
        )
    return [{"uri": uri, "name": uri, "elements": elements} for uri, elements in by_uri.items()]


def every_case() -> dict[int, list[tuple[str, int, str]]]:
    """term → every (uri, line, name) the run records: a scenario, or each example of an outline."""
    return {
        term: [
            (tagged.feature, tagged.line, proof._filled(tagged.name, example))
            for tagged in listed
            for example in (tagged.examples or [{}])
        ]
        for term, (_rule, listed) in proof.scenarios_by_term(FEATURES).items()
    }


def rule_4() -> list[tuple[str, int, str]]:
    """Term 4's Regla: its outline's three examples (the mail's come before them)."""
    return [case for case in every_case()[4] if "conserva la renta" in case[2]]


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def write_run(reports: Path, results: dict, commit: str = "abc1234def5678", failures: list[dict] = ()) -> None:
    (reports / "cucumber.json").write_text(json.dumps(cucumber(results)), encoding="utf-8")
    (reports / proof.RUN_FILE).write_text(
        json.dumps({"fecha": "2026-11-28T16:37:00+00:00", "commit": commit, "cambios_sin_commit": False}),
        encoding="utf-8",
    )
    (reports / FAILURES_FILE).write_text(json.dumps(list(failures)), encoding="utf-8")


def all_passed_except(failed: set = frozenset(), missing: set = frozenset()) -> dict:
    """Every case of every term passed, except ``failed`` ones and the cases in ``missing`` (not
    run): each a term number or a case (uri, line, name)."""
    results = {}
    for term, cases in every_case().items():
        for case in cases:
            if term in missing or case in missing:
                continue
            results[case] = "failed" if case in failed else "passed"
    return results


def page_text(html_path: Path) -> str:
    """The page as a reader sees it: tags out, entities resolved."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_path.read_text(encoding="utf-8")))


def test_every_term_is_proven_by_some_tagged_scenario_of_the_features():
    by_term = every_case()
    assert sorted(by_term) == [1, 2, 3, 4, 5, 6]
    assert all(by_term.values()), {term: found for term, found in by_term.items() if not found}
    # The Regla's tag reaches its scenarios (the cucumber JSON does not carry it).
    assert any(name == "Cancelar no cambia nada" for _uri, _line, name in by_term[1])
    # An outline counts by example: term 4 is the mail's three (its periodicity)
    # and the Regla's three, in file order.
    periods = ("mensual", "semestral", "anual")
    assert [name for _uri, _line, name in by_term[4]] == [
        *(
            f"La notificación nombra las series, la periodicidad {period} y hasta cuándo sirve la versión 9.0"
            for period in periods
        ),
        *(f"La serie de Aspel NOI 10.0 conserva la renta {period} y los usuarios" for period in periods),
    ]


def test_all_passing_proves_every_term_and_the_view_says_when_and_which_commit(tmp_path, reports):
    write_run(reports, all_passed_except())
    md, html_path = proof.write_proof(FEATURES, ROOT / "screenshots", reports)
    text = md.read_text(encoding="utf-8")
    for term, cases in every_case().items():
        assert (
            f'**Prueba del término {term}:** <span class="prueba-paso">probado: {len(cases)} de {len(cases)} ' in text
        )
    assert "probado: 6 de 6 escenarios pasaron" in text
    assert "Última corrida: 28/11/2026 16:37 UTC, commit abc1234def." in text
    page = page_text(html_path)
    assert "Término 6 (la razón social registrada): probado" in page and "abc1234def" in page
    assert "falló" not in page.split("Prueba de los términos")[1].split("Figuras:")[0]


def semestral_failure(semestral: tuple) -> dict:
    """The failure record of term 4's semestral example, as the failure summary writes it."""
    return {
        "nodeid": "features/test_tutorial.py::test_x[chromium-semestral-3-01/10/2022]",
        "feature": semestral[0],
        "line": semestral[1],
        "scenario": semestral[2],
        "tags": ["regla-4", "mock"],
        "example": {"periodicidad": "semestral"},
        "step": "Entonces la nueva serie conserva la renta semestral con próximo pago el 01/10/2022 y 3 usuarios",
        "step_line": 119,
        "expectation": {
            "kind": "texto",
            "expected": "que contenga el texto «renta semestral»",
            "actual": "«… con renta mensual.»",
            "details": [["elemento", 'get_by_role("status")']],
        },
        "evidence": {"screenshot": "playwright/semestral/test-failed-1.png", "trace": "playwright/semestral/trace.zip"},
        "traceback": "",
    }


def test_a_failed_example_fails_its_term_in_red_with_the_step_the_message_and_the_evidence(reports):
    """Term 4 fails 2 of its 3 examples, term 3 did not run at all."""
    semestral, anual = rule_4()[1], rule_4()[2]
    failure = semestral_failure(semestral)
    write_run(reports, all_passed_except(failed={semestral, anual}, missing={3}), failures=[failure])
    proofs = {p.number: p for p in proof.term_proofs(FEATURES, reports / "cucumber.json", read_failures(reports))}
    assert (
        proofs[4].result == proof.FAILED
        and proofs[4].summary() == "Término 4 (la misma periodicidad): falló 2 de 6 escenarios"
    )
    assert proofs[3].result == proof.NOT_RUN and proofs[3].summary().startswith(
        "Término 3 (la versión anterior hasta su validación): no se ejecutó (0 de "
    )
    assert proofs[2].result == proof.PASSED
    md, html_path = proof.write_proof(FEATURES, ROOT / "screenshots", reports)
    text = md.read_text(encoding="utf-8")
    # The summary at the top, each term in its colour and words.
    top = text.split("## Prueba de los términos")[1].split("Figuras:")[0]
    assert '<span class="prueba-fallo">Término 4 (la misma periodicidad): falló 2 de 6 escenarios</span>' in top
    assert '<span class="prueba-no-corrio">Término 3 (la versión anterior hasta su validación): no se ejecutó' in top
    assert '<span class="prueba-paso">Término 2 (nueva serie al aceptar): probado' in top
    # Issue 36, point 8: words, not glyphs the pinned Chromium's fonts lack; each term by its
    # short title; one counting unit.
    assert not set(text) & set("✔✘✓✗–"), "la vista de prueba usa un glifo en vez de palabras"
    for number, title in proof.TERM_TITLES.items():
        assert f"Término {number} ({title}):" in top
    assert "escenarios" in top and not re.search(r"\b(casos?|ejemplos?)\b", top)
    # Each example apart; the failing one with its step, the expected and seen, and its evidence.
    block = text.split("**Prueba del término 4:**")[1].split("**Prueba del término 5:**")[0]
    assert block.count('<span class="prueba-paso">pasó</span>') == 4  # the mail's three and mensual
    assert block.count('<span class="prueba-fallo">falló</span>') == 2
    assert "ejemplo: periodicidad = semestral, usuarios = 3" in block
    assert (
        "<code>Entonces la nueva serie conserva la renta semestral con próximo pago el 01/10/2022 y 3 usuarios</code>"
        in block
    )
    assert "se esperaba: que contenga el texto «renta semestral»" in block and "se vio: «… con renta mensual.»" in block
    assert '<a href="playwright/semestral/test-failed-1.png">captura de la falla</a>' in block
    assert '<a href="playwright/semestral/trace.zip">traza de Playwright</a>' in block
    # The other failed example has no record: its cucumber message stands in.
    assert "mensaje: no se vio lo esperado en La serie de Aspel NOI 10.0 conserva la renta anual" in block
    # The page styles the three results apart.
    page = html_path.read_text(encoding="utf-8")
    for css_class, colour in (("prueba-paso", "#1a7f37"), ("prueba-fallo", "#b3001b"), ("prueba-no-corrio", "#666")):
        assert f".{css_class} {{ color: {colour};" in page


def test_a_term_whose_scenarios_did_not_run_is_grey_and_says_so(reports):
    write_run(reports, all_passed_except(missing={3}))
    text = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8")
    assert '**Prueba del término 3:** <span class="prueba-no-corrio">no se ejecutó (0 de ' in text
    assert '<span class="prueba-no-corrio">no se ejecutó</span>:' in text
    assert '**Prueba del término 2:** <span class="prueba-paso">probado' in text


def test_an_example_the_run_did_not_record_was_not_run(reports):
    write_run(reports, all_passed_except(missing={rule_4()[2]}))
    proofs = {p.number: p for p in proof.term_proofs(FEATURES, reports / "cucumber.json")}
    assert [case.result for case in proofs[4].scenarios] == [proof.PASSED] * 5 + [proof.NOT_RUN]
    assert (
        proofs[4].summary() == "Término 4 (la misma periodicidad): probado: 5 de 6 escenarios pasaron; 1 no se ejecutó"
    )


def test_each_proof_sits_next_to_its_term_in_the_dialog_quote(reports):
    write_run(reports, all_passed_except())
    lines = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8").splitlines()
    for term in range(1, 7):
        start = next(i for i, line in enumerate(lines) if line.startswith(f"> {term}.- "))
        following = [line for line in lines[start + 1 :] if line.startswith("> **Prueba del término")]
        assert following and following[0].startswith(f"> **Prueba del término {term}:"), term


def test_the_figures_verdicts_come_from_the_report_sidecars(reports):
    write_run(reports, all_passed_except())
    figures = reports / "figures"
    figures.mkdir()
    for name, status in {"figura-04": CHANGED, "figura-05": SAME}.items():
        FigureReport(figures).record(Comparison(name, status, 0.0, (8, 8), (8, 8)), b"", None, None)
    text = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8")
    changed = '<span class="prueba-fallo">cambió</span> (<a href="figures/index.html#figura-04">informe</a>)'
    assert f'Figuras: figura-04 {changed}, figura-05 <span class="prueba-paso">igual</span>.' in text
    caption = text.index("*Figura 4 ")
    assert text[caption:].split("\n\n")[1] == f"Estado de la figura en la última corrida: {changed}."
    caption = text.index("*Figura 1 ")
    assert "sin comparar" in text[caption:].split("\n\n")[1]


def test_without_a_run_every_term_is_not_run_and_the_build_does_not_fail(reports):
    assert proof.main(["--reportes", str(reports), "--features", str(FEATURES)]) == 0
    text = (reports / "tutorial.md").read_text(encoding="utf-8")
    assert "No hay una corrida registrada" in text
    assert text.count('<span class="prueba-no-corrio">no se ejecutó (0 de ') == 6


@pytest.mark.completo
def test_make_doc_writes_reports_only_and_leaves_docs_alone(tmp_path):
    """`make constancia` through make itself, against a copy of the project's inputs."""
    for folder in ("features", "screenshots", "docs"):
        (tmp_path / folder).symlink_to(ROOT / folder) if folder != "docs" else (tmp_path / folder).mkdir()
    (tmp_path / "reports").mkdir()
    write_run(tmp_path / "reports", all_passed_except())
    done = project_make("doc", tmp_path, timeout=120, env={"PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "reports" / "tutorial.html").exists()
    assert list((tmp_path / "docs").iterdir()) == []


@pytest.mark.completo
def test_record_run_writes_the_commit_checked_out(reports):
    path = proof.record_run(reports, ROOT)
    data = json.loads(path.read_text(encoding="utf-8"))
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert data["commit"] == (head or None)  # None outside a git checkout (make medir's copy)
