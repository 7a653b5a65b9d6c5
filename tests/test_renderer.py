"""The renderer behind the figures: pinned, recorded, chosen explicitly, noticed, tolerated honestly.

The image pairs in tests/figure_pairs/ were shot by ``python -m tests.figure_pairs.make_pairs``
from the mock: the same screen by another renderer (font sub-pixel positioning off), and the
same renderer with a real change of the tutorial.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from tutorial.figuras import pinned_chromium
from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import Camera, record_path
from tutorial.figuras.comparison import (
    CHANGED,
    CROSS_RENDERER_MARK,
    SAME,
    Comparison,
    CrossRendererTolerance,
    Tolerance,
    compare_across_renderers,
    compare_png,
)
from tutorial.figuras.plugin import browser_type_launch_args
from tutorial.figuras.report import FigureReport
from tutorial.figuras.verdict import FigureMismatch, FigureOverwriteRefused, check_figure

PAIRS = Path(__file__).parent / "figure_pairs"
ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def pinned_executable() -> Path:
    """The pinned build the set-up installs (`make preparar`); these tests need no other Chromium."""
    where = pinned_chromium.pinned()
    assert where.installed(), f"falta el renderizador fijado en {where.folder}: corre `make preparar`"
    return where.executable


SHIPPED = CrossRendererTolerance()  # the tolerances the suite ships (overridable in pyproject.toml)
STRICT = Tolerance()
RENDERER_PAIRS = ["cabecera.subpixel", "menu.subpixel", "fila.subpixel", "acceso.subpixel"]
REAL_CHANGES = {
    "fila.serie": "otro número de serie (dos caracteres)",
    "cabecera.cliente": "otro cliente",
    "menu.resaltado": "el recuadro sobre otro elemento",
    "cabecera.color": "el rojo de la marca 27/255 más oscuro",
}


def _pair(name: str) -> tuple[bytes, bytes]:
    crop = name.split(".")[0]
    return (PAIRS / f"{crop}.base.png").read_bytes(), (PAIRS / f"{name}.png").read_bytes()


def test_fixtures_stay_small():
    sizes = {path.name: path.stat().st_size for path in PAIRS.glob("*.png")}
    assert len(sizes) == 12
    assert max(sizes.values()) < 20_000


@pytest.mark.parametrize("name", RENDERER_PAIRS)
def test_another_renderer_fails_the_strict_comparison(name):
    """Why a separate tolerance exists: the same screen from another renderer is 'changed'."""
    assert compare_png(*_pair(name), STRICT).changed_pixels > 500


@pytest.mark.parametrize("name", RENDERER_PAIRS)
def test_cross_renderer_tolerance_passes_another_renderer(name):
    found = compare_across_renderers(*_pair(name), SHIPPED)
    assert found.changed_pixels <= SHIPPED.max_diff_pixels


@pytest.mark.parametrize("name", REAL_CHANGES)
def test_cross_renderer_tolerance_fails_real_changes(name):
    found = compare_across_renderers(*_pair(name), SHIPPED)
    assert found.changed_pixels > 5 * max(SHIPPED.max_diff_pixels, 1), REAL_CHANGES[name]
    assert found.region is not None


def _whole_page_measure(expected: bytes, actual: bytes, tolerance: CrossRendererTolerance) -> tuple[int, tuple]:
    """The cross-renderer measure taken over the whole page: the count and the changed box."""
    from tutorial.figuras.comparison import _out_of_range

    old, new = (Image.open(io.BytesIO(data)).convert("RGB") for data in (expected, actual))
    radius, channel = tolerance.radius, tolerance.channel_tolerance
    mask = ImageChops.lighter(_out_of_range(new, old, radius, channel), _out_of_range(old, new, radius, channel))
    left, top, right, bottom = mask.getbbox() or (0, 0, 0, 0)
    return mask.histogram()[255], (left, top, right - left, bottom - top)


def _edited_at(image: Image.Image, spots: list[tuple[int, int]]) -> bytes:
    edited = image.copy()
    for spot in spots:
        edited.putpixel(spot, (0, 0, 0))
    buffer = io.BytesIO()
    edited.save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_cross_renderer_measure_over_the_changed_box_is_the_whole_pages():
    """Measured only around the pixels that differ, grown by the radius (2 here): the same count
    and box as over the whole page, for pairs and for changes at the corners and edges; the diff
    shows as many red pixels."""
    tolerance = replace(SHIPPED, radius=2)
    cases = [_pair("cabecera.color"), _pair("menu.resaltado")]
    button = Image.open(PAIRS / "cabecera.base.png").convert("RGB").crop((220, 10, 400, 50))  # «Cerrar sesión»
    width, height = button.size
    for spots in ([(0, 0)], [(width - 1, height - 1)], [(0, height - 1), (1, height - 2)], [(width - 1, 20)]):
        cases.append((_edited_at(button, []), _edited_at(button, spots)))
    # A black pixel drawn two to the left of one both images have: within range only through it.
    white = Image.new("RGB", (30, 20), "white")
    cases.append((_edited_at(white, [(12, 10)]), _edited_at(white, [(12, 10), (10, 10)])))
    for expected, actual in cases:
        found = compare_across_renderers(expected, actual, tolerance)
        count, box = _whole_page_measure(expected, actual, tolerance)
        assert (found.changed_pixels, found.region) == (count, box if count else None)
        if count:
            diff = Image.open(io.BytesIO(found.diff)).convert("RGB")
            assert {colour: n for n, colour in diff.getcolors(1 << 16)}.get((255, 0, 0)) == count


def test_the_brand_colour_is_why_the_channel_tolerance_stays_under_27():
    expected, actual = _pair("cabecera.color")
    looser = replace(SHIPPED, channel_tolerance=27)
    assert compare_across_renderers(expected, actual, looser).changed_pixels == 0
    assert compare_across_renderers(expected, actual, SHIPPED).changed_pixels > 2000


def test_another_scale_factor_is_reduced_before_comparing():
    expected, _ = _pair("cabecera.subpixel")
    image = Image.open(io.BytesIO(expected))
    double = io.BytesIO()
    image.resize((image.width * 2, image.height * 2), Image.NEAREST).save(double, format="PNG")
    found = compare_across_renderers(expected, double.getvalue(), SHIPPED)
    assert found.changed_pixels <= SHIPPED.max_diff_pixels


# --- the record -------------------------------------------------------------------------------


def _renderer(**changes) -> chromium.Renderer:
    base = chromium.Renderer(
        browser="chromium",
        version="156.0.8078.108",
        flavour=chromium.SYSTEM,
        platform="linux-x86_64",
        os="Debian GNU/Linux 12 (bookworm)",
        scale=1,
        fonts={"a.woff2": "1" * 64},
        version_text="Chromium 156.0.8078.108 built on Debian GNU/Linux 12 (bookworm)",
        executable="/usr/bin/chromium",
    )
    return replace(base, **changes)


def test_record_round_trips_and_names_what_differs(tmp_path):
    path = tmp_path / "figuras.json"
    chromium.write_record(_renderer(), path)
    assert chromium.read_record(path) == _renderer()
    other = _renderer(version="157.0.0.0", fonts={"a.woff2": "2" * 64}, executable="/opt/chrome")
    assert _renderer().differences(other) == [
        "versión: 156.0.8078.108 → 157.0.0.0",
        "fuentes del sitio: distintas (a.woff2)",
    ]
    assert _renderer().differences(_renderer(executable="/usr/bin/chromium-browser")) == []


def test_committed_record_names_the_shipped_fonts():
    record = chromium.read_record(ROOT / "screenshots" / "figuras.json")
    assert record is not None, "screenshots/figuras.json falta"
    assert record.fonts == chromium.font_hashes()
    assert record.fonts, "el sitio debe traer sus fuentes"


DEBIAN_157 = "Chromium 157.0.7000.1 built on Debian GNU/Linux 12 (bookworm)"


def _wrapper(target: Path, folder: Path, name: str = "otro-chromium", version: str = DEBIAN_157) -> Path:
    """A 'different renderer': execs ``target`` (the same pixels) but reports another version."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi\nexec {target} "$@"\n')
    script.chmod(0o755)
    return script


def _version_only(folder: Path, name: str = "otro-chromium", version: str = DEBIAN_157) -> Path:
    """Another renderer as far as the choice can tell: it answers ``--version`` and refuses to
    draw anything, so a test that launched it as a browser would fail (QA's tier, no browser)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    script.write_text(
        f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "{version}"; exit 0; fi\n'
        'echo "sólo responde --version" >&2; exit 3\n'
    )
    script.chmod(0o755)
    return script


@pytest.fixture
def no_choice(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """A run with no renderer chosen (what a fresh clone's `make pruebas` sees)."""
    for name in (chromium.CHOICE_VARIABLE, "CHROMIUM_PATH", "RENDERER"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_a_wrapper_reporting_another_version_is_another_renderer(tmp_path, pinned_executable, no_choice):
    record = tmp_path / "figuras.json"
    chromium.write_record(chromium.local_renderer(pinned_executable, 1), record)
    wrapper = _version_only(tmp_path)
    no_choice.setenv("CHROMIUM_PATH", str(wrapper))
    executable = chromium.launch_executable()
    assert executable == wrapper  # CHROMIUM_PATH is the explicit choice of an executable
    check = chromium.check_renderer(record, chromium.local_renderer(executable, 1))
    assert check.cross
    notice = check.notice()
    assert notice.startswith("AVISO: este equipo no usa el renderizador que hizo las figuras comprometidas.")
    assert f"versión: {pinned_chromium.BUILD} → 157.0.7000.1" in notice
    assert "compilación: fijado → sistema" in notice
    assert f"sin {chromium.CHOICE_VARIABLE} ni CHROMIUM_PATH" in notice


def test_the_pinned_build_is_used_whatever_chromium_the_system_has(tmp_path, pinned_executable, no_choice):
    """A newer Debian Chromium first on PATH changes nothing: the committed figures' renderer is used."""
    system = tmp_path / "bin"
    _version_only(system, name="chromium")
    no_choice.setenv("PATH", f"{system}{os.pathsep}{os.environ['PATH']}")
    assert chromium.system_chromium() == system / "chromium"
    assert chromium.launch_executable() == pinned_executable
    committed = ROOT / "screenshots" / "figuras.json"
    check = chromium.check_renderer(committed, chromium.local_renderer(pinned_executable, 1))
    assert check.recorded.flavour == chromium.PINNED
    assert check.recorded.package == f"{pinned_chromium.PACKAGE}@{pinned_chromium.VERSION}"
    assert check.recorded.sha256 == pinned_chromium.BINARY_SHA256
    assert not check.cross, check.differences
    assert check.notice() is None


def test_renderizador_chooses_another_renderer_explicitly(tmp_path, pinned_executable, no_choice):
    system = tmp_path / "bin"
    wrapper = _wrapper(pinned_executable, system, name="chromium")
    no_choice.setenv("PATH", f"{system}{os.pathsep}/usr/bin/nonexistent")
    no_choice.setenv(chromium.CHOICE_VARIABLE, "sistema")
    assert chromium.launch_executable() == wrapper
    no_choice.setenv(chromium.CHOICE_VARIABLE, "otro")
    with pytest.raises(chromium.RendererUnavailable, match="RENDERIZADOR=otro no es un renderizador conocido"):
        chromium.launch_executable()
    no_choice.setenv("CHROMIUM_PATH", str(tmp_path / "no-existe"))
    with pytest.raises(chromium.RendererUnavailable, match="no existe"):
        chromium.launch_executable()


# Each way of choosing the renderer, from the environment to the identity the
# run compares its figures under, in QA's tier (the wrapper only answers --version).
@pytest.mark.parametrize(
    ("setting", "flavour", "version", "cross"),
    [
        ({}, chromium.PINNED, pinned_chromium.BUILD, False),
        ({"RENDERIZADOR": "fijado"}, chromium.PINNED, pinned_chromium.BUILD, False),
        ({"RENDERIZADOR": "sistema"}, chromium.SYSTEM, "157.0.7000.1", True),
        ({"CHROMIUM_PATH": "{wrapper}"}, chromium.SYSTEM, "157.0.7000.1", True),
        ({"RENDERIZADOR": "fijado", "CHROMIUM_PATH": "{wrapper}"}, chromium.SYSTEM, "157.0.7000.1", True),
    ],
    ids=["nada", "fijado", "sistema", "ruta", "la ruta gana"],
)
def test_each_renderer_choice_reaches_the_launch_and_the_comparison(
    tmp_path, pinned_executable, no_choice, setting, flavour, version, cross
):
    system = tmp_path / "bin"
    wrapper = _version_only(system, name="chromium")
    no_choice.setenv("PATH", f"{system}{os.pathsep}{os.environ['PATH']}")
    for name, value in setting.items():
        no_choice.setenv(name, value.format(wrapper=wrapper))
    executable = chromium.launch_executable()
    assert executable == (pinned_executable if flavour == chromium.PINNED else wrapper)
    assert chromium.launch_args(executable)[0] == "--no-sandbox"
    current = chromium.local_renderer(executable, 1)
    assert (current.flavour, current.version) == (flavour, version)
    check = chromium.check_renderer(ROOT / "screenshots" / "figuras.json", current)
    assert check.cross is cross
    notice = check.notice() or ""
    assert (f"versión: {pinned_chromium.BUILD} → 157.0.7000.1" in notice) is cross, notice


def test_the_pinned_builds_identity_is_its_bytes_not_the_operating_system():
    pinned = _renderer(flavour=chromium.PINNED, package="@sparticuz/chromium@153.0.0", sha256="a" * 64)
    assert pinned.differences(replace(pinned, os="Ubuntu 26.04 LTS", executable="/otro/chromium")) == []
    assert pinned.differences(replace(pinned, sha256="b" * 64)) == [f"SHA-256 del ejecutable: {'a' * 64} → {'b' * 64}"]
    # A system build stays tied to its operating system.
    assert _renderer().differences(_renderer(os="Ubuntu 26.04 LTS")) == [
        "sistema operativo: Debian GNU/Linux 12 (bookworm) → Ubuntu 26.04 LTS"
    ]


# --- the camera on another renderer -------------------------------------------------------


class _Page:
    """Just what Camera.shoot calls on a page, returning a fixed screenshot."""

    viewport_size = {"width": 1280, "height": 800}

    def __init__(self, png: bytes) -> None:
        self.png = png

    def wait_for_load_state(self, state: str) -> None:
        pass

    def evaluate(self, script: str, *args):
        from tutorial.figuras import camera

        return [] if script in (camera._CONTENT, camera._PANELS) else {"x": 0, "y": 0}  # no text, no panel

    def screenshot(self, **options) -> bytes:
        return self.png


def _camera(tmp_path: Path, committed: bytes, *, update: bool = False, new_renderer: bool = False) -> Camera:
    folder = tmp_path / "screenshots"
    folder.mkdir(exist_ok=True)
    (folder / "figura-04.png").write_bytes(committed)
    check = chromium.RendererCheck(_renderer(), _renderer(version="157.0.0.0"), record_path(folder, 1))
    return Camera(
        screenshots_dir=folder,
        report=FigureReport(tmp_path / "reports"),
        tolerance=STRICT,
        update=update,
        renderer=check,
        cross_tolerance=SHIPPED,
        new_renderer=new_renderer,
    )


def test_another_renderer_passes_marked_as_compared_across_renderers(tmp_path):
    expected, actual = _pair("fila.subpixel")
    camera = _camera(tmp_path, expected)
    described = camera.shoot(_Page(actual), 4)
    assert described == f"figura-04: igual [{CROSS_RENDERER_MARK}]"
    sidecar = json.loads((tmp_path / "reports" / "figura-04.json").read_text())
    assert sidecar["comparison"]["cross_renderer"] is True and sidecar["comparison"]["status"] == SAME


def test_a_change_on_another_renderer_names_the_renderer_first_not_the_page(tmp_path):
    """Issue 38 point 7 (was issue 29 point 5): another renderer is in use and the difference is
    more than the cross measure forgives; another build can move that much (Debian 156 against the
    pinned 153), so the renderer comes first and only the recorded one can clear it."""
    expected, actual = _pair("fila.serie")
    camera = _camera(tmp_path, expected)
    with pytest.raises(FigureMismatch) as failure:
        camera.shoot(_Page(actual), 4)
    lines = str(failure.value).splitlines()
    assert lines[0].startswith("La figura figura-04, tomada con otro renderizador que el registrado, cambió:")
    assert lines[1].startswith("  renderizador: las figuras comprometidas las hizo Chromium 156.0.8078.108")
    assert "versión: 156.0.8078.108 → 157.0.0.0" in lines[1]
    assert lines[2].startswith("  causa probable: el renderizador, distinto del registrado, o la página")
    assert "no el renderizador" not in str(failure.value)
    page = (tmp_path / "reports" / "index.html").read_text(encoding="utf-8")
    assert CROSS_RENDERER_MARK in page


def test_updating_on_another_renderer_keeps_a_figure_within_the_cross_tolerance(tmp_path):
    expected, actual = _pair("fila.subpixel")
    camera = _camera(tmp_path, expected, update=True)
    assert camera.shoot(_Page(actual), 4) == f"figura-04: igual [{CROSS_RENDERER_MARK}]"
    assert (tmp_path / "screenshots" / "figura-04.png").read_bytes() == expected


def test_updating_on_another_renderer_refuses_a_real_change_naming_the_figure(tmp_path):
    expected, actual = _pair("fila.serie")
    camera = _camera(tmp_path, expected, update=True)
    with pytest.raises(FigureOverwriteRefused) as refused:
        camera.shoot(_Page(actual), 4)
    message = str(refused.value)
    assert message.startswith("No se reescribe figura-04: cambió más de lo que cambia otro renderizador")
    assert "RENDERIZADOR_NUEVO=1" in message and "La figura figura-04, tomada con otro renderizador" in message
    assert (tmp_path / "screenshots" / "figura-04.png").read_bytes() == expected


def test_a_new_renderer_told_so_rewrites_even_a_figure_within_tolerance(tmp_path):
    expected, actual = _pair("cabecera.subpixel")
    camera = _camera(tmp_path, expected, update=True, new_renderer=True)
    assert camera.shoot(_Page(actual), 4).startswith("figura-04: cambió")
    assert (tmp_path / "screenshots" / "figura-04.png").read_bytes() == actual


# --- the figure scenarios end to end, whatever the machine's Chromium ------------------------


def _figure_run(tmp_path: Path, env: dict[str, str], *, update: bool) -> tuple[subprocess.CompletedProcess, dict]:
    """The nine figure scenarios on two workers against a copy of the committed figures."""
    figures = tmp_path / "screenshots"
    shutil.copytree(ROOT / "screenshots", figures)
    clean = {k: v for k, v in os.environ.items() if k not in (chromium.CHOICE_VARIABLE, "CHROMIUM_PATH", "RENDERER")}
    command = [sys.executable, "-m", "pytest", "features", "-m", "figura", "-n", "2", "-q", "-p", "no:cacheprovider"]
    command += [
        "--carpeta-figuras",
        str(figures),
        "--reportes",
        str(tmp_path / "reports"),
        "--output",
        str(tmp_path / "pw"),
    ]
    done = subprocess.run(
        command + (["--actualizar-figuras"] if update else []),
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=600,
    )
    return done, {path.name: path.read_bytes() for path in figures.iterdir()}


def _committed() -> dict:
    return {path.name: path.read_bytes() for path in (ROOT / "screenshots").iterdir() if path.is_file()}


@pytest.mark.completo
@pytest.mark.lento_para_mutacion
def test_another_debian_chromium_first_on_path_gives_the_same_exact_verdict(tmp_path, pinned_executable):
    """What a fresh machine with a newer Debian build sees: the nine figures compared exactly, all
    nine in the report although two workers shot them."""
    system = tmp_path / "bin"
    _wrapper(
        pinned_executable,
        system,
        name="chromium",
        version="Chromium 158.0.1234.5 built on Debian GNU/Linux 12 (bookworm)",
    )
    done, after = _figure_run(tmp_path, {"PATH": f"{system}{os.pathsep}{os.environ['PATH']}"}, update=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert "AVISO" not in output and CROSS_RENDERER_MARK not in output
    assert [f"figura-0{n}: igual" for n in range(1, 10)] == [
        line for line in output.splitlines() if line.startswith("figura-0")
    ]
    assert len(list((tmp_path / "reports" / "figures").glob("figura-0*.json"))) == 9
    assert after == _committed()


@pytest.mark.completo
@pytest.mark.lento_para_mutacion
def test_make_figures_on_another_renderer_keeps_the_figures_it_confirms(tmp_path, pinned_executable):
    """CHROMIUM_PATH to another build: every figure within the cross tolerance is kept as committed."""
    wrapper = _wrapper(pinned_executable, tmp_path / "otro")
    done, after = _figure_run(tmp_path, {"CHROMIUM_PATH": str(wrapper)}, update=True)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-3000:]
    assert output.count("AVISO: este equipo no usa el renderizador") == 1
    assert [f"figura-0{n}: igual [{CROSS_RENDERER_MARK}]" for n in range(1, 10)] == [
        line for line in output.splitlines() if line.startswith("figura-0")
    ]
    assert after == _committed()  # the record too: the figures stay the pinned build's


# --- another scale factor and the renderer notice in the report (mutation survivors) -----------


def _scaled(png: bytes, width_factor: int, height_factor: int) -> bytes:
    image = Image.open(io.BytesIO(png))
    out = io.BytesIO()
    image.resize((image.width * width_factor, image.height * height_factor), Image.NEAREST).save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("factors", "status"),
    [((1, 1), SAME), ((2, 2), SAME), ((3, 3), SAME), ((4, 4), CHANGED), ((2, 3), CHANGED), ((2, 1), CHANGED)],
)
def test_only_twice_or_three_times_the_size_is_another_scale_factor(tmp_path, factors, status):
    expected, _ = _pair("cabecera.subpixel")
    committed = tmp_path / "figura-04.png"
    committed.write_bytes(expected)
    report = FigureReport(tmp_path / "reports")
    actual = _scaled(expected, *factors)
    if status == SAME:
        assert check_figure(actual, committed, SHIPPED, report, renderer_note="otro").status == SAME
    else:
        with pytest.raises(FigureMismatch):
            check_figure(actual, committed, SHIPPED, report, renderer_note="otro")


def test_the_renderer_notice_heads_the_report_escaped(tmp_path):
    report = FigureReport(tmp_path)
    report.note_renderer("Otro renderizador: <Chromium 157> & fuentes")
    assert (tmp_path / "renderizador.txt").read_text(encoding="utf-8") == "Otro renderizador: <Chromium 157> & fuentes"
    expected, _ = _pair("cabecera.subpixel")
    report.record(Comparison("figura-01", SAME, 0.0, (1, 1), (1, 1)), expected, expected, None)
    page = report.write_html().read_text(encoding="utf-8")
    assert (
        '<h1>Figuras</h1><p class="renderer">Otro renderizador: &lt;Chromium 157&gt; &amp; fuentes</p><table>' in page
    )


def test_an_unchanged_screen_across_renderers_still_counts_its_pixels():
    expected, actual = _pair("fila.subpixel")
    found = compare_across_renderers(expected, actual, SHIPPED)
    width, height = Image.open(io.BytesIO(expected)).size
    assert (found.changed_pixels, found.total_pixels, found.region, found.diff) == (0, width * height, None, None)


@pytest.mark.parametrize(("free", "ignored"), [(64 << 20, False), (2 << 30, True)])
def test_chromium_keeps_its_shared_memory_in_dev_shm_only_where_it_has_room(monkeypatch, free, ignored):
    """Docker's 64 MB /dev/shm keeps Playwright's --disable-dev-shm-usage (files in /tmp); a
    roomy one is Chromium's own default, and the scenarios' browser is launched so."""
    usage = shutil.disk_usage(ROOT)
    monkeypatch.setattr(chromium.shutil, "disk_usage", lambda _path: usage._replace(free=free))
    assert ("--disable-dev-shm-usage" in chromium.ignored_default_args()) is ignored


def test_the_scenarios_browser_leaves_out_the_flags_the_renderer_module_says(pytestconfig):
    launch = browser_type_launch_args.__wrapped__({}, "chromium", pytestconfig)
    assert launch.get("ignore_default_args", []) == chromium.ignored_default_args()
