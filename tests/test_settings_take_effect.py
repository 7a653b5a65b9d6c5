"""Every setting a user can write takes effect, and none is left without a test that shows it.

The settings are read from where they are declared, not from a list kept by hand: the ini keys
(``parser.addini``) and command-line options (``addoption``) in ``conftest.py`` and the plugins
under ``steps/``, and the Makefile variables the README tells a user to set (``NAME=value``).
``PROOFS`` maps each one to a test that sets it to a value that changes the outcome and observes
the change; ``test_every_declared_setting_has_a_proof`` checks the map against the declarations
both ways, so a new setting without a proof (or a proof for a setting that is gone) fails.

The figure settings are proven in-process: pytest parses a ``pyproject.toml`` / command line the
way a user's run does (the figures' plugin, ``tutorial/figuras/plugin.py``, declares them),
and the camera its ``FigureSettings`` build judges a known pair of images (``tests/figure_pairs/``).
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
from pathlib import Path

import pytest

from tests.source_tree import nodes
from tests.test_renderer import _Page, _pair, _renderer
from tutorial.figuras import plugin as figures_plugin
from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import record_path
from tutorial.figuras.verdict import FigureMismatch

ROOT = Path(__file__).resolve().parent.parent

# --- the declarations ---------------------------------------------------------------------------


def declared_pytest_settings() -> set[str]:
    """``ini:<key>`` for every ``addini`` and ``--option`` for every ``addoption`` of the project
    (conftest.py, the step modules and the plugins under tutorial/)."""
    found: set[str] = set()
    for source in [
        ROOT / "conftest.py",
        *sorted((ROOT / "steps").rglob("*.py")),
        *sorted((ROOT / "tutorial").rglob("*.py")),
    ]:
        for node in nodes(source):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                continue
            if node.func.attr == "addini":
                found.add(f"ini:{first.value}")
            elif node.func.attr == "addoption":
                found.add(first.value)  # its Spanish name; an English alias after it is the same setting
    return found


def declared_make_variables() -> set[str]:
    """``make:<NAME>`` for every variable the Makefile reads that the README or its guide
    (``docs/guia/``) tells a user to set (written ``NAME=…`` there)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    in_makefile = set(re.findall(r"\$\(([A-Z][A-Z0-9_]*)\)", makefile))
    for line in re.findall(r"^export ([A-Z][A-Z0-9_ ]*)$", makefile, re.MULTILINE):
        in_makefile |= set(line.split())
    pages = [ROOT / "README.md", *sorted((ROOT / "docs" / "guia").glob("*.md"))]
    documented = set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", "".join(page.read_text(encoding="utf-8") for page in pages)))
    return {f"make:{name}" for name in in_makefile & documented}


# --- the figure settings, in-process ------------------------------------------------------------


@pytest.fixture
def parse(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """A run's configuration from a ``pyproject.toml`` (its ``[tool.pytest.ini_options]``) and a
    command line, with the figures' plugin, which declares the settings."""
    for variable in (chromium.CHOICE_VARIABLE, "CHROMIUM_PATH", "RENDERER", figures_plugin.NEW_RENDERER_VARIABLE):
        monkeypatch.delenv(variable, raising=False)
    pytester.plugins.append(figures_plugin)

    def parsed(*args: str, **ini: str) -> pytest.Config:
        lines = "".join(f'{key} = "{value}"\n' for key, value in ini.items())
        pytester.makepyprojecttoml(f"[tool.pytest.ini_options]\n{lines}")
        reports = pytester.path / "reports"
        return pytester.parseconfig("--reportes", str(reports), *args)

    return parsed


def committed(folder: Path, png: bytes, scale: int = 1) -> Path:
    """``png`` as the committed figura-04 in ``folder`` (its 2x/ set for scale 2)."""
    target = record_path(folder, scale).parent
    target.mkdir(parents=True, exist_ok=True)
    (target / "figura-04.png").write_bytes(png)
    return target / "figura-04.png"


def same_renderer(folder: Path) -> chromium.RendererCheck:
    return chromium.RendererCheck(_renderer(), _renderer(), record_path(folder, 1))


def another_renderer(folder: Path) -> chromium.RendererCheck:
    return chromium.RendererCheck(_renderer(), _renderer(version="157.0.0.0"), record_path(folder, 1))


def verdict(config: pytest.Config, check: chromium.RendererCheck, actual: bytes) -> str:
    """What the run's camera (built from its FigureSettings) says of ``actual`` as Figura 4: its line, or
    «falló» with the message."""
    try:
        return figures_plugin.FigureSettings.from_config(config).camera(check).shoot(_Page(actual), 4)
    except FigureMismatch as failure:
        return f"falló: {failure}"


# Each figure setting: the pair it judges, the renderer (strict or across renderers), a value, and
# the verdict that value gives where the shipped value gives the other one.
TOLERANCE_CASES = {
    "figure_threshold": ("cabecera.subpixel", same_renderer, "1.0", "pasa"),
    "figure_max_diff_ratio": ("cabecera.subpixel", same_renderer, "1.0", "pasa"),
    "figure_cross_radius": ("cabecera.subpixel", another_renderer, "0", "falla"),
    "figure_cross_channel_tolerance": ("cabecera.color", another_renderer, "27", "pasa"),
    "figure_cross_max_diff_pixels": ("cabecera.cliente", another_renderer, "1000000", "pasa"),
}


@pytest.mark.parametrize("key", TOLERANCE_CASES)
def test_a_figure_tolerance_written_in_pyproject_changes_the_verdict(key: str, parse, tmp_path: Path):
    pair, renderer, value, turns = TOLERANCE_CASES[key]
    expected, actual = _pair(pair)
    committed(tmp_path, expected)
    shipped = verdict(parse("--carpeta-figuras", str(tmp_path)), renderer(tmp_path), actual)
    overridden = verdict(parse("--carpeta-figuras", str(tmp_path), **{key: value}), renderer(tmp_path), actual)
    failed = {"pasa": False, "falla": True}[turns]
    assert shipped.startswith("falló") is not failed, f"con el valor de fábrica: {shipped}"
    assert overridden.startswith("falló") is failed, f"con {key} = {value}: {overridden}"


def test_update_figures_rewrites_the_committed_figure_and_without_it_the_run_fails(parse, tmp_path: Path):
    expected, actual = _pair("cabecera.cliente")
    figure = committed(tmp_path, expected)
    assert verdict(parse("--carpeta-figuras", str(tmp_path)), same_renderer(tmp_path), actual).startswith("falló")
    assert figure.read_bytes() == expected
    updated = verdict(
        parse("--carpeta-figuras", str(tmp_path), "--actualizar-figuras"), same_renderer(tmp_path), actual
    )
    assert updated.startswith("figura-04: cambió") and figure.read_bytes() == actual


def test_figures_dir_is_where_the_committed_figure_is_read(parse, tmp_path: Path):
    expected, actual = _pair("cabecera.cliente")
    committed(tmp_path / "a", actual)
    committed(tmp_path / "b", expected)
    assert (
        verdict(parse("--carpeta-figuras", str(tmp_path / "a")), same_renderer(tmp_path), actual) == "figura-04: igual"
    )
    assert verdict(parse("--carpeta-figuras", str(tmp_path / "b")), same_renderer(tmp_path), actual).startswith("falló")


def test_reports_is_where_the_figure_report_goes(parse, tmp_path: Path):
    expected, _actual = _pair("cabecera.cliente")
    committed(tmp_path, expected)
    config = parse("--carpeta-figuras", str(tmp_path), "--reportes", str(tmp_path / "otros"))
    verdict(config, same_renderer(tmp_path), expected)
    assert (tmp_path / "otros" / "figures" / "figura-04.json").is_file()
    assert not (tmp_path / "reports").exists()


def test_figure_scale_2_writes_the_2x_set(parse, tmp_path: Path):
    expected, _actual = _pair("cabecera.cliente")
    verdict(parse("--carpeta-figuras", str(tmp_path), "--actualizar-figuras"), same_renderer(tmp_path), expected)
    verdict(
        parse("--carpeta-figuras", str(tmp_path), "--actualizar-figuras", "--escala-figuras", "2"),
        same_renderer(tmp_path),
        expected,
    )
    assert (tmp_path / "figura-04.png").is_file() and (tmp_path / "2x" / "figura-04.png").is_file()
    config = parse("--carpeta-figuras", str(tmp_path), "--escala-figuras", "2")
    assert figures_plugin.FigureSettings.from_config(config).record.parent == tmp_path / "2x"


@pytest.mark.parametrize("how", ["--renderizador-nuevo", "RENDERIZADOR_NUEVO=1", "RENDERER=nuevo"])
def test_a_new_renderer_rewrites_a_figure_it_would_keep_otherwise(how: str, parse, tmp_path: Path, monkeypatch):
    expected, actual = _pair("cabecera.subpixel")
    figure = committed(tmp_path, expected)
    kept = verdict(
        parse("--carpeta-figuras", str(tmp_path), "--actualizar-figuras"), another_renderer(tmp_path), actual
    )
    assert kept.startswith("figura-04: igual") and figure.read_bytes() == expected
    args = ["--carpeta-figuras", str(tmp_path), "--actualizar-figuras"]
    if how.startswith("--"):
        args.append(how)
    else:
        monkeypatch.setenv(*how.split("="))
    handed_over = verdict(parse(*args), another_renderer(tmp_path), actual)
    assert handed_over.startswith("figura-04: cambió") and figure.read_bytes() == actual


# --- the Makefile variables: each reaches the command it is for ---------------------------------

# A documented variable, the target it is for, a value, and what that value makes of the command
# (never in the command without it).
MAKE_CASES = {
    "WORKERS": ("test", "1", "-n 1 "),
    "PYTEST_ARGS": ("test", "-k una_prueba", "-k una_prueba"),
    "SHARD": ("test", "2/4", "--splits 4 --group 2"),
    "ALLURE": ("test", "1", "--alluredir=reports/allure"),
    "TRAZAS": ("test", "1", "--output reports/playwright --tracing retain-on-failure"),
    "FIGURA": ("aceptar", "figura-04", "--figura figura-04"),
    "MUTACION_HIJOS": ("mutacion", "1", "--max-children 1 "),
    "PORT": ("serve", "8123", "PORT=8123 "),
    "SERVE_ARGS": ("serve", "--hoy 2026-11-28", "mock_site --hoy 2026-11-28"),
    "PYTHON": ("-B .venv/.installed", "/ruta/a/python3.12", "/ruta/a/python3.12 -m venv"),
    "BENCH_ARGS": ("medir", "--quick", "-m bench --quick"),
}


def dry_run(target: str, *assignments: str) -> str:
    command = ["make", "-n", "--no-print-directory", *target.split(), *assignments]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=120).stdout


@pytest.mark.completo
@pytest.mark.parametrize("name", MAKE_CASES)
def test_a_makefile_variable_reaches_its_command(name: str):
    target, value, effect = MAKE_CASES[name]
    assert effect not in dry_run(target)
    assert effect in dry_run(target, f"{name}={value}")


# --- the map, checked against the declarations both ways ----------------------------------------

HERE = "tests/test_settings_take_effect.py"
PROOFS: dict[str, str] = {
    **{
        f"ini:{key}": f"{HERE}::test_a_figure_tolerance_written_in_pyproject_changes_the_verdict"
        for key in TOLERANCE_CASES
    },
    "--actualizar-figuras": f"{HERE}::test_update_figures_rewrites_the_committed_figure_and_without_it_the_run_fails",
    "--carpeta-figuras": f"{HERE}::test_figures_dir_is_where_the_committed_figure_is_read",
    "--reportes": f"{HERE}::test_reports_is_where_the_figure_report_goes",
    "--escala-figuras": f"{HERE}::test_figure_scale_2_writes_the_2x_set",
    "--renderizador-nuevo": f"{HERE}::test_a_new_renderer_rewrites_a_figure_it_would_keep_otherwise",
    "--trazas-de": "tests/test_failure_summary.py::test_the_trace_rerun_says_only_where_each_trace_is",
    "--primero-los-largos": "tests/test_longest_first.py::test_the_longest_come_first_and_an_unknown_test_counts_as_a_median_one",
    "--destructivo": "tests/test_run_anywhere.py::test_without_mock_control_the_read_only_scenarios_run_with_the_env_account",
    "--servidor-navegador": "tests/test_run_anywhere.py::test_scenarios_and_their_downloads_drive_a_remote_playwright_browser_server",
    **{f"make:{name}": f"{HERE}::test_a_makefile_variable_reaches_its_command" for name in MAKE_CASES},
    # Exported to pytest by the Makefile (export RENDERIZADOR CHROMIUM_PATH RENDERIZADOR_NUEVO): their effect is pytest's.
    "make:RENDERIZADOR": "tests/test_renderer.py::test_renderizador_chooses_another_renderer_explicitly",
    "make:CHROMIUM_PATH": "tests/test_renderer.py::test_each_renderer_choice_reaches_the_launch_and_the_comparison",
    "make:RENDERIZADOR_NUEVO": f"{HERE}::test_a_new_renderer_rewrites_a_figure_it_would_keep_otherwise",
}


def test_every_declared_setting_has_a_proof():
    declared = declared_pytest_settings() | declared_make_variables()
    missing, stale = sorted(declared - PROOFS.keys()), sorted(PROOFS.keys() - declared)
    assert not missing, f"ajustes sin una prueba que los vea surtir efecto (añádela y regístrala en PROOFS): {missing}"
    assert not stale, f"PROOFS nombra ajustes que ya no se declaran: {stale}"


def test_every_proof_is_a_test_that_exists():
    for setting, proof in PROOFS.items():
        path, name = proof.split("::")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert callable(getattr(module, name, None)), f"{setting}: no existe la prueba {proof}"
