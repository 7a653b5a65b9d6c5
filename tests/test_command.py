"""The ``tutorial`` command: one subcommand per job the Makefile runs, and ``tutorial figuras`` runs
the docs writer's job in order, stopping where make would."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tutorial import cli
from tutorial.documento import proof, tutorial_doc, walkthrough


def test_the_help_lists_every_subcommand_one_per_line(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    for name, (_run, summary) in cli.SUBCOMMANDS.items():
        assert f"  {name:<14} {summary}" in out.splitlines()
    assert {"figuras", "aceptar", "documento", "recorrido", "navegador", "unir-reportes"} <= cli.SUBCOMMANDS.keys()


@pytest.fixture
def job(monkeypatch):
    """``tutorial figuras`` with every stage replaced by a recorder; ``failing`` names the stage that fails."""
    calls: list[tuple[str, list[str]]] = []
    failing: set[str] = set()

    def stage(name: str):
        def run(argv):
            calls.append((name, list(argv)))
            return 1 if name in failing else 0

        return run

    monkeypatch.setattr(cli.subprocess, "call", stage("pytest"))
    monkeypatch.setattr(walkthrough, "main", stage("recorrido"))
    monkeypatch.setattr(tutorial_doc, "main", stage("documento"))
    monkeypatch.setattr(proof, "main", stage("constancia"))
    return calls, failing


def test_figuras_reshoots_then_rebuilds_the_walkthrough_the_document_and_the_proof(job):
    calls, _failing = job
    assert cli.main(["figuras", "-n", "2", "--reportes", "rep", "--", "-k", "figura_4"]) == 0
    assert [name for name, _argv in calls] == ["pytest", "recorrido", "documento", "constancia"]
    pytest_argv = calls[0][1]
    assert pytest_argv[:3] == [sys.executable, "-m", "pytest"]
    assert pytest_argv[3:] == [
        "features",
        "-m",
        "figura",
        "--actualizar-figuras",
        "-n",
        "2",
        "--reportes",
        "rep",
        "-q",
        "-k",
        "figura_4",
    ]
    assert calls[1][1] == ["--reportes", str(Path("rep"))]


@pytest.mark.parametrize("stage", ["pytest", "recorrido"])
def test_figuras_stops_at_a_failing_stage_and_says_so_in_its_status(job, stage):
    calls, failing = job
    failing.add(stage)
    assert cli.main(["figuras"]) == 1
    assert calls[-1][0] == stage, "nothing runs after the stage that failed"


def test_a_failing_proof_view_does_not_fail_the_docs_writers_job(job):
    calls, failing = job
    failing.add("constancia")
    assert cli.main(["figuras"]) == 0
    assert calls[-1][0] == "constancia"


def test_the_command_loads_a_subcommands_modules_only_when_it_runs():
    """Every make target starts with ``tutorial navegador``: at its top, the command imports the
    standard library and the reports' folder option only, never a room's program (Flask,
    Playwright, the document...), which would load for every subcommand."""
    tree = ast.parse(Path(cli.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    project = {name for name in imported if name and name.split(".")[0] in {"tutorial", "mock_site", "steps"}}
    assert project == {"tutorial.figuras.files"}, project
