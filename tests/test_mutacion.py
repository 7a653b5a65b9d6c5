"""``make mutacion`` without running mutmut: its selection, its survivors' reasons, its score line."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests import mutacion

ROOT = Path(__file__).resolve().parent.parent
SLOW_MARKER = "lento_para_mutacion"
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]


def test_the_selection_names_existing_test_files():
    selection = CONFIG["pytest_add_cli_args_test_selection"]
    assert selection
    for name in selection:
        assert (ROOT / name).is_file(), f"{name} no existe"


def test_slow_tests_are_left_out_by_their_marker_not_by_name():
    """A list of names (-k) silently stops working when a test is renamed; the marker travels with it."""
    args = CONFIG["pytest_add_cli_args"]
    assert "-k" not in args, "la selección de make mutacion va por marca (-m), no por nombres"
    assert args[args.index("-m") + 1] == f"not {SLOW_MARKER}"
    markers = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert any(line.startswith(f"{SLOW_MARKER}:") for line in markers["markers"]), f"{SLOW_MARKER} sin declarar"
    marked = [
        name
        for name in CONFIG["pytest_add_cli_args_test_selection"]
        if f"@pytest.mark.{SLOW_MARKER}\n" in (ROOT / name).read_text(encoding="utf-8")
    ]
    assert marked, f"ninguna prueba de la selección lleva @pytest.mark.{SLOW_MARKER}: la -m no deja nada fuera"


def test_every_listed_survivor_has_a_reason_and_names_mutated_code():
    text = mutacion.SURVIVORS_FILE.read_text(encoding="utf-8")
    listed = mutacion.listed_survivors(text)
    bullets = [line for line in text.splitlines() if line.startswith("- `") and "__mutmut_" in line]
    assert len(bullets) == len(listed), "una viñeta de sobreviviente no sigue la forma - `nombre`: razón"
    for name, reason in listed.items():
        assert len(reason.split()) >= 3, f"{name}: falta la razón"
        module, function = re.match(r"(.+)\.x_?(?:ǁ\w+ǁ)?(\w+?)__mutmut_\d+$", name).groups()
        source = ROOT / (module.replace(".", "/") + ".py")
        assert source.is_file(), f"{name}: {source} no existe"
        assert f"def {function}(" in source.read_text(encoding="utf-8"), f"{name}: {function} ya no existe"


def test_results_are_read_and_scored_counting_untested_mutants_against():
    statuses = mutacion.parse_results(
        "    tutorial.figuras.comparison.x__size__mutmut_1: killed\n"
        "    tutorial.figuras.comparison.x__size__mutmut_2: survived\n"
        "    mock_site.domain.world.xǁTutorialWorldǁas_json__mutmut_3: no tests\n"
        "    mock_site.domain.serials.x_random_serial__mutmut_4: timeout\n"
    )
    assert statuses["mock_site.domain.world.xǁTutorialWorldǁas_json__mutmut_3"] == "no tests"
    line, score = mutacion.score_line(statuses, 512)
    assert (line, score) == ("Puntaje de mutación: 2 / 4 = 50.0 % (512 s)", 50.0)


def test_thousands_are_spaced():
    assert mutacion.thousands(1624) == "1 624" and mutacion.thousands(90) == "90"


@pytest.mark.parametrize(
    ("results", "code"),
    [
        (
            "".join(f"    a.x_f__mutmut_{n}: killed\n" for n in range(9)) + "    a.x_f__mutmut_9: survived\n",
            1,
        ),  # 90 %, unexplained
        ("    a.x_f__mutmut_1: killed\n", 0),
        ("    a.x_f__mutmut_1: killed\n    a.x_f__mutmut_2: no tests\n", 1),  # 50 %
        ("", 1),
    ],
)
def test_make_mutacion_fails_under_the_goal_or_on_an_unexplained_survivor(monkeypatch, capsys, results, code):
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(results))
    assert mutacion.main(["3"]) == code


def test_a_listed_survivor_at_the_goal_passes(monkeypatch, tmp_path, capsys):
    listing = tmp_path / "sobrevivientes.md"
    listing.write_text("- `a.x_f__mutmut_9`: equivalente, el texto no cambia\n", encoding="utf-8")
    monkeypatch.setattr(mutacion, "SURVIVORS_FILE", listing)
    results = "".join(f"    a.x_f__mutmut_{n}: killed\n" for n in range(9)) + "    a.x_f__mutmut_9: survived\n"
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(results))
    assert mutacion.main(["7"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Puntaje de mutación: 9 / 10 = 90.0 % (7 s)"
