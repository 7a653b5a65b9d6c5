"""Recording the walkthrough (a pytest plugin, loaded from ``conftest.py``): while ``make figuras``
runs the ``@figura`` scenarios with ``--actualizar-figuras``, every step leaves one frame in
``reports/recorrido/`` (see :mod:`.walkthrough`, which assembles them). The page objects tell the
recorder what they click, hover and fill (:mod:`tutorial.actions`); nothing of Playwright is patched.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Locator, Page

from tutorial.actions import Action, listen, stop_listening
from tutorial.documento.feature_reader import FIGURE_STEP
from tutorial.documento.walkthrough import (
    BLURRED_LABEL,
    EXAMPLE_USER,
    FRAMES_FOLDER,
    PASSWORD_DOT,
    Frame,
    Typed,
    step_text,
    tutorial_title,
    write_frame,
)
from tutorial.figuras.comparison import figure_name
from tutorial.figuras.plugin import figure_settings_of


@dataclass
class _Recording:
    """The @figura scenario being recorded on this worker. It hears the page objects' clicks,
    hovers and fills (:mod:`tutorial.actions`) while it is started."""

    folder: Path
    figure: int
    title: str
    step: int = 0
    text: str = ""
    page: Page | None = None
    pointer: tuple[int, int] | None = None
    setup: bool = False  # a Given step: its clicks prepare the scene, the tutorial does not show them
    moments: int = 0  # clicks and typings recorded in this step so far
    last_shot: bytes | None = None  # the page as the last frame saw it, before any pixelation

    def heard(self, action: Action) -> None:
        if action.kind == "fill":
            self._filled(action.locator, action.value)
        else:
            self._pointed(action.locator, click=action.kind == "click")

    def _pointed(self, locator: Locator, click: bool) -> None:
        """Just before a click or a hover: where the pointer goes; a click (not a set-up's) leaves
        a frame of the page as the pointer finds it."""
        locator.scroll_into_view_if_needed()
        pointer = _centre(locator)
        self.page = locator.page
        self.pointer = None if self.setup else pointer
        if click and pointer is not None and not self.setup:
            self.moments += 1
            frame = Frame(self.figure, self.step, True, self.title, self.text, pointer, part=self.moments)
            write_frame(self.folder, frame, _grab(self, locator.page))

    def _filled(self, locator: Locator, value: str) -> None:
        """Just after a fill (not a set-up's, not an emptied field): a frame with what was typed where."""
        if self.setup or not value:
            return
        typed = _typed(locator, value)
        if typed is None:
            return
        self.page = locator.page
        self.moments += 1
        frame = Frame(self.figure, self.step, False, self.title, self.text, part=self.moments, typed=typed)
        write_frame(self.folder, frame, _grab(self, locator.page))


_ACTIVE: list[_Recording] = []


def start_recording(recording: _Recording) -> None:
    _ACTIVE.append(recording)
    listen(recording.heard)


def stop_recording() -> None:
    while _ACTIVE:
        stop_listening(_ACTIVE.pop().heard)


# Frames are JPEG: the GIF keeps 160 colours of them anyway, and Chromium encodes a JPEG of the
# desktop's gradients in a tenth of the time of a PNG (about 40 ms against 400 ms a shot).
FRAME_QUALITY = 95


def _secrets(page: Page) -> list[Locator]:
    """The log-in's user name (a suffix of its own per run) and password: painted over."""
    return [page.get_by_label("Contraseña", exact=True), page.get_by_role("textbox", name="Usuario", exact=True)]


def _filled_secrets(page: Page) -> list[Locator]:
    """The secrets that hold something: an empty field is shown as the page draws it (as Figura 2
    does), so the frames before typing do not flicker from painted to white and back."""
    return [field for field in _secrets(page) if field.count() and field.first.input_value()]


def _grab(recording: _Recording, page: Page) -> bytes:
    """The viewport once two shots agree (the last frame's shot counts as the first, so a page
    that did not change costs one shot), the customer's RFC pixelated as in Figura 3, the log-in's
    fields painted over (user name and password change per run)."""
    from tutorial.figuras import annotations
    from tutorial.figuras.camera import LABELLED_VALUE, check_publishable, wait_until_stable

    check_publishable(page)
    secrets = _filled_secrets(page)
    shot = wait_until_stable(
        lambda: page.screenshot(
            type="jpeg",
            quality=FRAME_QUALITY,
            animations="disabled",
            caret="hide",
            scale="css",
            mask=secrets,
            mask_color="#eeeeee",
        ),
        previous=recording.last_shot,
    )
    recording.last_shot = shot
    box = page.evaluate(LABELLED_VALUE, BLURRED_LABEL)
    if not box:
        return shot
    scroll = page.evaluate("() => [window.scrollX, window.scrollY]")
    region = annotations.to_image_region(annotations.Rect.of(box), (scroll[0], scroll[1]), 1, pad=3)
    image = annotations.pixelate(Image.open(io.BytesIO(shot)).convert("RGB"), region, annotations.PIXEL_BLOCK)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)  # lossless, quickly: the assembly reads it once
    return buffer.getvalue()


def _centre(locator: Locator) -> tuple[int, int] | None:
    box = locator.bounding_box()
    if not box:
        return None
    return round(box["x"] + box["width"] / 2), round(box["y"] + box["height"] / 2)


_FIELD = """field => {
    const style = getComputedStyle(field);
    return [field.type === "password", parseFloat(style.fontSize),
            parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth)];
}"""


def _typed(locator: Locator, value: str) -> Typed | None:
    """What the walkthrough shows typed in the field ``locator`` was filled with, where."""
    box = locator.bounding_box()
    if not box:
        return None
    handle = locator.element_handle()
    masked = any(
        secret.evaluate_all("(fields, field) => fields.includes(field)", handle) for secret in _secrets(locator.page)
    )
    password, font_size, indent = locator.evaluate(_FIELD)
    text = PASSWORD_DOT * len(value) if password else EXAMPLE_USER if masked else value
    return Typed(
        (round(box["x"]), round(box["y"]), round(box["width"]), round(box["height"])),
        text,
        bool(password),
        masked,
        round(font_size),
        round(indent),
    )


def _figure_of(scenario: Any) -> int | None:
    for step in scenario.steps:
        match = FIGURE_STEP.search(step.name)
        if match:
            return int(match["number"])
    return None


def pytest_configure(config: pytest.Config) -> None:
    if not config.getoption("--actualizar-figuras", default=False):
        return
    folder = figure_settings_of(config).reports_dir / FRAMES_FOLDER
    if not hasattr(config, "workerinput"):
        shutil.rmtree(folder, ignore_errors=True)


def pytest_bdd_before_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    config = request.config
    if not config.getoption("--actualizar-figuras", default=False) or "figura" not in scenario.tags:
        return
    if config.getoption("--escala-figuras", default=1) != 1:
        return
    number = _figure_of(scenario)
    if number is None:
        return
    folder = figure_settings_of(config).reports_dir / FRAMES_FOLDER
    start_recording(_Recording(folder, number, tutorial_title(scenario.description)))


def pytest_bdd_after_scenario(request: pytest.FixtureRequest, feature: Any, scenario: Any) -> None:
    stop_recording()


def pytest_bdd_before_step(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any) -> None:
    if _ACTIVE:
        recording = _ACTIVE[-1]
        recording.step += 1
        recording.text = step_text(step.keyword, step.name)
        recording.pointer = None
        recording.moments = 0
        recording.setup = step.type == "given"


def pytest_bdd_after_step(
    request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, step_func_args: dict[str, Any]
) -> None:
    if not _ACTIVE:
        return
    recording = _ACTIVE[-1]
    page = step_func_args.get("page")
    if isinstance(page, Page):
        recording.page = page
    match = FIGURE_STEP.search(step.name)
    if match and int(match["number"]) == recording.figure:
        name = f"{figure_name(recording.figure)}.png"
        write_frame(
            recording.folder,
            Frame(recording.figure, recording.step, False, recording.title, recording.text, None, figure_image=name),
            None,
        )
        return
    if recording.page is None or recording.page.url in ("", "about:blank"):
        return
    write_frame(
        recording.folder,
        Frame(
            recording.figure,
            recording.step,
            False,
            recording.title,
            recording.text,
            recording.pointer,
            setup=recording.setup,
        ),
        _grab(recording, recording.page),
    )
