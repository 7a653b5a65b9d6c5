"""make doc: the tutorial with each term's proof from the last run, written to reports/ only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from steps.support import proof
from tests.processes import project_make

ROOT = Path(__file__).resolve().parent.parent
FEATURES = ROOT / "features"
TERMS_FEATURE = "features/terminos_de_la_actualizacion.feature"


def cucumber(results: dict[tuple[str, int], str]) -> list[dict]:
    """A cucumber JSON like pytest-bdd's: one element per scenario (uri, line), one step each."""
    by_uri: dict[str, list[dict]] = {}
    for (uri, line), status in results.items():
        by_uri.setdefault(uri, []).append(
            {
                "keyword": "Escenario",
                "name": f"escenario {line}",
                "line": line,
                "tags": [],
                "type": "scenario",
                "steps": [{"keyword": "Dado", "name": "algo", "line": line + 1, "result": {"status": status}}],
            }
        )
    return [{"uri": uri, "name": uri, "elements": elements} for uri, elements in by_uri.items()]


def every_tagged_scenario() -> dict[int, list[tuple[str, int, str]]]:
    return {term: listed for term, (_rule, listed) in proof.scenarios_by_term(FEATURES).items()}


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    return folder


def write_run(reports: Path, results: dict[tuple[str, int], str], commit: str = "abc1234def5678") -> None:
    (reports / "cucumber.json").write_text(json.dumps(cucumber(results)), encoding="utf-8")
    (reports / proof.RUN_FILE).write_text(
        json.dumps({"fecha": "2026-11-28T16:37:00+00:00", "commit": commit, "cambios_sin_commit": False}),
        encoding="utf-8",
    )


def all_passed_except(failed: set[tuple[str, int]] = frozenset(), missing: set[int] = frozenset()) -> dict:
    results = {}
    for term, listed in every_tagged_scenario().items():
        if term in missing:
            continue
        for uri, line, _name in listed:
            results[(uri, line)] = "failed" if (uri, line) in failed else "passed"
    return results


def test_every_term_is_proven_by_some_tagged_scenario_of_the_features():
    by_term = every_tagged_scenario()
    assert sorted(by_term) == [1, 2, 3, 4, 5, 6]
    assert all(by_term.values()), {term: found for term, found in by_term.items() if not found}
    # The Regla's tag reaches its scenarios (the cucumber JSON does not carry it).
    assert any(name == "Cancelar no cambia nada" for _uri, _line, name in by_term[1])


def test_all_passing_proves_every_term_and_the_view_says_when_and_which_commit(tmp_path, reports):
    write_run(reports, all_passed_except())
    md, html_path = proof.write_proof(FEATURES, ROOT / "screenshots", reports)
    text = md.read_text(encoding="utf-8")
    for term in range(1, 7):
        assert f"**Prueba del término {term}: probado**" in text
    assert "Última corrida: 28/11/2026 16:37 UTC, commit abc1234def." in text
    page = html_path.read_text(encoding="utf-8")
    assert "Prueba del término 6: probado" in page and "abc1234def" in page


def test_a_failed_scenario_leaves_its_term_not_proven(reports):
    term_4, term_1 = every_tagged_scenario()[4], every_tagged_scenario()[1]
    failing = {(term_4[0][0], term_4[0][1]), (term_1[1][0], term_1[1][1])}  # term 1: one of three fails
    write_run(reports, all_passed_except(failed=failing))
    proofs = {p.number: p for p in proof.term_proofs(FEATURES, reports / "cucumber.json")}
    assert proofs[4].status == proof.NOT_PROVEN
    assert proofs[1].status == proof.NOT_PROVEN
    total = len(term_1)  # three or more scenarios prove term 1; one of them failed
    assert proofs[1].counts() == f"{total - 1} pasaron, 1 falló ({total} escenarios)"
    assert proofs[2].status == proof.PROVEN
    text = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8")
    assert "**Prueba del término 4: no probado**" in text
    assert "✘ falló: La serie de Aspel NOI 10.0 conserva la renta &lt;periodicidad&gt;" in text


def test_a_term_whose_scenarios_did_not_run_is_not_proven(reports):
    write_run(reports, all_passed_except(missing={3}))
    text = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8")
    assert "**Prueba del término 3: no probado**" in text
    assert "– no se ejecutó:" in text
    assert "**Prueba del término 2: probado**" in text


def test_an_outline_is_failed_when_one_example_failed(reports):
    line = every_tagged_scenario()[4][0][1]
    data = cucumber({(TERMS_FEATURE, line): "passed"})
    failed = json.loads(json.dumps(data[0]["elements"][0]))
    failed["steps"][0]["result"]["status"] = "failed"
    data[0]["elements"].append(failed)
    (reports / "cucumber.json").write_text(json.dumps(data), encoding="utf-8")
    assert proof.scenario_results(reports / "cucumber.json") == {(TERMS_FEATURE, line): proof.FAILED}


def test_each_proof_sits_next_to_its_term_in_the_dialog_quote(reports):
    write_run(reports, all_passed_except())
    lines = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8").splitlines()
    for term in range(1, 7):
        start = next(i for i, line in enumerate(lines) if line.startswith(f"> {term}.- "))
        following = [line for line in lines[start + 1 :] if line.startswith("> **Prueba del término")]
        assert following and following[0].startswith(f"> **Prueba del término {term}:"), term


def test_the_figures_status_comes_from_the_report_sidecars(reports):
    write_run(reports, all_passed_except())
    figures = reports / "figures"
    figures.mkdir()
    for name, status in {"figura-04": "changed", "figura-05": "same"}.items():
        (figures / f"{name}.json").write_text(json.dumps({"comparison": {"name": name, "status": status}}))
    text = proof.write_proof(FEATURES, ROOT / "screenshots", reports)[0].read_text(encoding="utf-8")
    assert "Figuras: figura-04 cambió, figura-05 igual." in text
    caption = text.index("*Figura 4 ")
    assert text[caption:].split("\n\n")[1] == "Estado de la figura en la última corrida: **cambió**."


def test_without_a_run_every_term_is_not_proven_and_the_build_does_not_fail(reports):
    assert proof.main(["--reportes", str(reports), "--features", str(FEATURES)]) == 0
    text = (reports / "tutorial.md").read_text(encoding="utf-8")
    assert "No hay una corrida registrada" in text
    assert text.count(": no probado**") == 6


@pytest.mark.completo
def test_make_doc_writes_reports_only_and_leaves_docs_alone(tmp_path):
    """`make doc` through make itself, against a copy of the project's inputs."""
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
    assert data["commit"] == (head or None)  # None outside a git checkout (make bench's copy)
