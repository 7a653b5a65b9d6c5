"""Every setting a make target reads is checked before anything runs
(tutorial/ci/settings.py, ``make ajustes``): a bad value gives one Spanish line naming the value
and the form it takes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.processes import outside_make
from tutorial.ci import settings
from tutorial.figuras import accept
from tutorial.figuras import renderer as chromium

ROOT = Path(__file__).resolve().parent.parent

# (setting, bad value, the whole line it gives)
BAD = [
    ("SHARD", "3/2", "SHARD=3/2 no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"),
    ("SHARD", "0/2", "SHARD=0/2 no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"),
    ("SHARD", "a", "SHARD=a no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"),
    ("SHARD", "2", "SHARD=2 no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"),
    ("SHARD", "-1/2", "SHARD=-1/2 no vale: se espera n/N, el fragmento n de N con 1 ≤ n ≤ N (p. ej. SHARD=2/4)"),
    ("WORKERS", "dos", "WORKERS=dos no vale: se espera auto, logical o un número de procesos (p. ej. WORKERS=2; 0 = sin xdist)"),
    ("WORKERS", "-2", "WORKERS=-2 no vale: se espera auto, logical o un número de procesos (p. ej. WORKERS=2; 0 = sin xdist)"),
    ("FIGURA", "figura-99", "FIGURA=figura-99 no es una figura del tutorial: se espera figura-NN o NN, una de figura-01 … figura-09 (p. ej. FIGURA=figura-04)"),
    ("FIGURA", "portada", "FIGURA=portada no es una figura del tutorial: se espera figura-NN o NN, una de figura-01 … figura-09 (p. ej. FIGURA=figura-04)"),
    ("RENDERIZADOR", "nuevo", "RENDERIZADOR=nuevo no vale: se espera fijado, sistema, playwright (o nada: el fijado; CHROMIUM_PATH=/ruta para otro ejecutable)"),
    ("CHROMIUM_PATH", "/nope", "CHROMIUM_PATH=/nope no existe: se espera la ruta de un ejecutable de Chromium (p. ej. /usr/bin/chromium)"),
    ("CHROMIUM_PATH", "README.md", "CHROMIUM_PATH=README.md no es ejecutable: se espera la ruta de un ejecutable de Chromium (p. ej. /usr/bin/chromium)"),
    ("PORT", "0", "PORT=0 no vale: se espera un número de puerto de 1 a 65535 (p. ej. PORT=8000)"),
    ("PORT", "70000", "PORT=70000 no vale: se espera un número de puerto de 1 a 65535 (p. ej. PORT=8000)"),
    ("PORT", "http", "PORT=http no vale: se espera un número de puerto de 1 a 65535 (p. ej. PORT=8000)"),
    ("PYTEST_ARGS", "tests/test_nope.py", "PYTEST_ARGS nombra tests/test_nope.py, que no existe: se espera un archivo o carpeta de pruebas (p. ej. PYTEST_ARGS=tests/test_domain.py)"),
    ("PYTEST_ARGS", "-k x features/nope.feature", "PYTEST_ARGS nombra features/nope.feature, que no existe: se espera un archivo o carpeta de pruebas (p. ej. PYTEST_ARGS=tests/test_domain.py)"),
    ("PYTEST_ARGS", "tests/test_domain.py::test_x tests/no/", "PYTEST_ARGS nombra tests/no/, que no existe: se espera un archivo o carpeta de pruebas (p. ej. PYTEST_ARGS=tests/test_domain.py)"),
]  # fmt: skip

GOOD = {
    "SHARD": ["1/1", "2/4", "4/4"],
    "WORKERS": ["auto", "logical", "0", "2"],
    "FIGURA": ["figura-04", "figura-4", "4", "04", "figura-09.png"],
    "RENDERIZADOR": ["fijado", "sistema", "playwright", "Sistema"],
    "CHROMIUM_PATH": ["/bin/sh"],
    "PORT": ["1", "5000", "65535"],
    "PYTEST_ARGS": [
        "-k una_prueba",
        "-m 'not completo' tests/test_domain.py",
        "tests/test_domain.py::test_x features",
        "--base-url http://127.0.0.1:5000/x.py --reportes reports/otra",
    ],
}


@pytest.mark.parametrize(("name", "value", "line"), BAD, ids=[f"{name}={value}" for name, value, _ in BAD])
def test_a_bad_setting_gives_one_spanish_line_naming_the_value_and_the_form(name: str, value: str, line: str):
    assert settings.problems({name: value}) == [line]


@pytest.mark.parametrize(
    ("name", "value"), [(name, value) for name, values in GOOD.items() for value in values], ids=str
)
def test_a_good_setting_or_none_passes(name: str, value: str):
    assert settings.problems({name: value}) == []
    assert settings.problems({name: ""}) == []


def test_every_bad_setting_is_named_at_once_in_the_order_they_are_read():
    found = settings.problems({"PORT": "x", "SHARD": "0/2", "OTRA": "y"})
    assert [line.split("=")[0] for line in found] == ["SHARD", "PORT"]


def test_the_checked_names_are_the_tools_own():
    """The renderer names and the figure forms repeat the tools' (the check runs without .venv)."""
    assert settings.RENDERER_CHOICES == chromium.CHOICES
    for value in GOOD["FIGURA"]:
        assert (ROOT / "screenshots" / f"{accept.normalise_name(value)}.png").is_file()
    with pytest.raises(accept.AcceptRefused):
        accept.normalise_name("portada")


@pytest.mark.completo
@pytest.mark.parametrize(("name", "value", "line"), [BAD[0], BAD[7], BAD[10]], ids=["SHARD", "FIGURA", "CHROMIUM_PATH"])
def test_make_stops_before_anything_with_that_line(name: str, value: str, line: str):
    """make -n runs the check (its recipe starts with +) and nothing after it: no .venv set-up,
    no mkdir, no pytest, the same as the real run would not."""
    target = "aceptar" if name == "FIGURA" else "pruebas"
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", target, f"{name}={value}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, env=outside_make(),
    )  # fmt: skip
    assert done.returncode == 2
    assert line in done.stderr.splitlines()
    assert done.stdout.rstrip().endswith("-m tutorial.ci.settings"), done.stdout  # and nothing after it


def test_tutorial_navegador_names_a_chromium_path_that_does_not_exist(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    monkeypatch.setenv("CHROMIUM_PATH", "/nope")
    assert chromium.ensure() == 1
    assert capsys.readouterr().err.startswith("CHROMIUM_PATH=/nope no existe")


@pytest.mark.parametrize("chosen", ["sistema", "fijado"])
def test_tutorial_navegador_installs_the_pinned_build_whatever_is_chosen(
    chosen: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    """The committed figures are the pinned build's: a run on the system's Chromium shoots a failing
    figure again with it to tell a page change from a renderer change, so the set-up installs it too
    (a fresh clone with RENDERIZADOR=sistema had none, and could not say which changed)."""
    installed: list[str] = []
    monkeypatch.setenv("RENDERIZADOR", chosen)
    monkeypatch.delenv("CHROMIUM_PATH", raising=False)
    monkeypatch.setattr(
        chromium.pinned_chromium, "install", lambda: installed.append("fijado") or tmp_path / "chromium"
    )
    monkeypatch.setattr(chromium, "system_chromium", lambda: Path("/usr/bin/chromium"))
    assert chromium.ensure() == 0
    assert installed == ["fijado"]
    out = capsys.readouterr().out
    assert ("el registrado: se usa para reconfirmar" in out) == (chosen == "sistema"), out
    assert ("/usr/bin/chromium" in out) == (chosen == "sistema"), out


def test_the_trace_rerun_never_runs_the_whole_suite():
    """make pruebas' re-run with traces (pytest --lf) runs nothing when no failure is on record: a
    figure reconfirmation's passes once cleared the record and the re-run ran all 1,248 tests again."""
    rerun = next(
        line for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines() if line.startswith("RETRACE =")
    )
    assert " --lf --last-failed-no-failures none " in rerun, rerun
