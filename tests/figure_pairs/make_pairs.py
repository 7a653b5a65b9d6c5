"""Shoot the image pairs that tune and prove the cross-renderer tolerance.

    .venv/bin/python -m tests.figure_pairs.make_pairs            # measure, print a table
    .venv/bin/python -m tests.figure_pairs.make_pairs --write    # and rewrite the crops here

The same mock screen (the subscriptions grid of Figuras 3/4, and the log-in window) is shot
with the recorded Chromium and its deterministic flags (``base``), then:

- as *another renderer* would draw it: without ``--font-render-hinting=none`` (Chromium's
  default hinting, what a build with other font settings gives), and at device scale factor 2
  scaled back down to 1x (what a HiDPI laptop's renderer gives);
- with the same renderer and a *real change* of the tutorial: another serial, another
  customer, the highlight box on another element, the brand red a shade darker.

The measurement is made on whole 1280x800 screens (the counts are printed); the files kept in
this folder are crops around the changed area, so the fixtures stay a few KB each. Nothing here
touches ``screenshots/``.
"""

from __future__ import annotations

import argparse
import io
import json
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from PIL import Image
from playwright.sync_api import Page, sync_playwright

from tutorial.figuras import renderer as chromium
from tutorial.figuras.camera import _DRAW_BOXES, _SETTLED
from tutorial.figuras.comparison import CrossRendererTolerance, Tolerance, compare_across_renderers, compare_png
from tutorial.sitio.mock_client import MockControl
from tutorial.sitio.server import running_mock

HERE = Path(__file__).parent
VIEWPORT = {"width": 1280, "height": 800}
SERIAL, OTHER_SERIAL = "INL5ASTRS6G8S", "INL5ASTRS6G9Q"  # two characters apart
# The tutorial's moment and grid row, fixed here so the pairs do not follow the figures' data.
FIGURE_MOMENT = datetime(2022, 3, 15, 10, 0, tzinfo=ZoneInfo("America/Mexico_City"))
TUTORIAL_SERIE = {"version": "9.0", "usuarios": 1, "fecha_activacion": "2022-02-01", "proximo_pago": "2022-04-01"}


def _context_args(scale: int) -> dict:
    return {
        "viewport": VIEWPORT,
        "device_scale_factor": scale,
        "locale": "es-MX",
        "timezone_id": "America/Mexico_City",
        "reduced_motion": "reduce",
    }


def _account(control: MockControl, seed: int, serial: str) -> tuple[str, str]:
    usuario, password = f"pares.{uuid.uuid4().hex[:8]}", "Contrasena-de-pares-1"
    control._call("POST", "/reset")  # serials are unique per server; every shot starts afresh
    control.create_account(
        usuario=usuario,
        password=password,
        seed=seed,
        modalidad="suscripcion",
        periodicidad="mensual",
        series=[{**TUTORIAL_SERIE, "numero": serial}],
        reloj=FIGURE_MOMENT.isoformat(),
    )
    return usuario, password


def _log_in(page: Page, usuario: str, password: str) -> None:
    page.goto("/mi-cuenta/iniciar-sesion")
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_load_state("load")


def _shot(page: Page, highlight: str | None = None) -> bytes:
    page.wait_for_load_state("load")
    page.evaluate(_SETTLED)
    if highlight:
        box = page.get_by_text(highlight, exact=True).first.bounding_box()
        page.evaluate(_DRAW_BOXES, [box])
    return page.screenshot(animations="disabled", caret="hide", scale="device")


def _darker_brand(route) -> None:
    response = route.fetch()
    route.fulfill(response=response, body=response.text().replace("#d3202f", "#b81c29"))


Screen = Callable[[Page, MockControl], bytes]


def grid(seed: int = 7, serial: str = SERIAL, highlight: str = "Suscripciones", brand: bool = False) -> Screen:
    def shoot(page: Page, control: MockControl) -> bytes:
        if brand:
            page.route("**/static/css/site.css*", _darker_brand)
        _log_in(page, *_account(control, seed, serial))
        page.goto("/mi-cuenta/mis-servicios/suscripciones")
        return _shot(page, highlight)

    return shoot


def login_window(page: Page, control: MockControl) -> bytes:
    page.goto("/mi-cuenta/iniciar-sesion")
    return _shot(page)


# name → (extra Chromium flags, device scale factor); "base" is the recorded renderer's set-up.
# Of the flags tried on Chromium 156 (hinting, LCD text, colour profile, Fontations, GPU
# rasterisation, Skia options, text contrast), only turning font sub-pixel positioning off
# changed the pixels of these screens: glyphs land on whole pixels, as on builds or platforms
# without sub-pixel text. The second renderer is the same page at device scale factor 2.
RENDERERS = {"base": ([], 1), "subpixel": (["--disable-font-subpixel-positioning"], 1), "escala2": ([], 2)}
CHANGES = {
    "serie": grid(serial=OTHER_SERIAL),
    "cliente": grid(seed=8),
    "resaltado": grid(highlight="Mis servicios"),
    "color": grid(brand=True),
}


def shoot_all() -> dict[str, dict[str, bytes]]:
    """{screen: {variant: png}} for both screens under every renderer, and the grid's changes."""
    executable = chromium.launch_executable()
    shots: dict[str, dict[str, bytes]] = {"rejilla": {}, "acceso": {}}
    with running_mock() as (base_url, token), sync_playwright() as playwright:
        control = MockControl(base_url, token)
        for name, (extra, scale) in RENDERERS.items():
            args = chromium.launch_args(executable) + extra
            browser = playwright.chromium.launch(executable_path=executable, args=args)
            jobs = {"rejilla": grid(), "acceso": login_window}
            if name == "base":
                jobs.update({f"rejilla:{change}": screen for change, screen in CHANGES.items()})
            for job, screen in jobs.items():
                context = browser.new_context(base_url=base_url, **_context_args(scale))
                page = context.new_page()
                page.clock.set_fixed_time(FIGURE_MOMENT)
                png = screen(page, control)
                context.close()
                target, variant = (job.split(":") + [name])[:2]
                shots[target][variant] = png
            browser.close()
    return shots


RADII, CHANNEL_TOLERANCES = (1, 2), (8, 16, 24, 32, 48)


def measure(shots: dict[str, dict[str, bytes]]) -> list[dict]:
    """Changed pixels of every pair: pixelmatch as for the same renderer (threshold 0.01, size
    changes aside), and the cross-renderer count for each radius and channel tolerance."""
    rows = []
    for screen, variants in shots.items():
        for variant, png in variants.items():
            if variant == "base":
                continue
            row = {
                "pantalla": screen,
                "variante": variant,
                "tipo": "renderizador" if variant in RENDERERS else "cambio real",
            }
            if variant != "escala2":
                row["pixelmatch 0.01"] = compare_png(variants["base"], png, Tolerance(threshold=0.01)).changed_pixels
            for radius in RADII:
                for tolerance in CHANNEL_TOLERANCES:
                    found = compare_across_renderers(variants["base"], png, CrossRendererTolerance(radius, tolerance))
                    row[f"r{radius} t{tolerance}"] = found.changed_pixels
            rows.append(row)
    return rows


def _load_or_shoot(full: Path | None) -> dict[str, dict[str, bytes]]:
    """Whole screens, kept in ``full`` between runs (shooting is the slow part)."""
    if full and full.is_dir() and any(full.glob("*.png")):
        shots: dict[str, dict[str, bytes]] = {}
        for path in sorted(full.glob("*.png")):
            screen, variant = path.stem.split(".")
            shots.setdefault(screen, {})[variant] = path.read_bytes()
        return shots
    shots = shoot_all()
    if full:
        full.mkdir(parents=True, exist_ok=True)
        for screen, variants in shots.items():
            for variant, png in variants.items():
                (full / f"{screen}.{variant}.png").write_bytes(png)
    return shots


def _crop(png: bytes, box: tuple[int, int, int, int]) -> bytes:
    """``box`` in 1x coordinates; a 2x shot is cropped at twice the box, so it stays 2x."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = image.width // VIEWPORT["width"]
    out = io.BytesIO()
    image.crop(tuple(v * scale for v in box)).save(out, format="PNG", optimize=True)
    return out.getvalue()


# Crops kept as fixtures, a few KB each: name → (screen, (left, top, right, bottom) at 1x,
# the variants kept). Each real change is kept in the crop where it shows; every crop also
# keeps the other renderer's version of it.
CROPS = {
    "cabecera": ("rejilla", (860, 0, 1280, 72), ("base", "subpixel", "cliente", "color")),
    "menu": ("rejilla", (0, 72, 460, 200), ("base", "subpixel", "resaltado")),
    "fila": ("rejilla", (252, 238, 1248, 334), ("base", "subpixel", "serie")),
    "acceso": ("acceso", (440, 120, 840, 480), ("base", "subpixel")),
}


def write_crops(shots: dict[str, dict[str, bytes]]) -> list[str]:
    written = []
    for crop, (screen, box, variants) in CROPS.items():
        for variant in variants:
            path = HERE / f"{crop}.{variant}.png"
            path.write_bytes(_crop(shots[screen][variant], box))
            written.append(f"{path.name} ({path.stat().st_size / 1024:.1f} KB)")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="reescribe los recortes de tests/figure_pairs/")
    parser.add_argument("--full", type=Path, help="carpeta donde guardar (o de donde leer) las pantallas completas")
    parser.add_argument("--sin-medir", action="store_true", help="no mide; sólo escribe los recortes")
    options = parser.parse_args()
    shots = _load_or_shoot(options.full)
    if not options.sin_medir:
        for row in measure(shots):
            print(json.dumps(row, ensure_ascii=False))
    if options.write:
        print("\n".join(write_crops(shots)))


if __name__ == "__main__":
    main()
