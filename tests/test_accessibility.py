"""docs/tutorial.html passes axe-core with no serious or critical violation (issue 36, point 10).

axe-core comes from the npm registry at a pinned version (``npm pack``: nothing of the package
runs), its tarball checked by SHA-256, and only its ``axe.min.js`` is kept, in ``.venv/axe-core/``
(fetched once, as the pinned Chromium is). The page is opened from its file by the pinned Chromium.
"""

from __future__ import annotations

import hashlib
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from tutorial.figuras import renderer as chromium

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "tutorial.html"
AXE_VERSION = "4.14.1"
AXE_TARBALL_SHA256 = "e6b0ce02b84d892e2e33e403485e7f3d6c29e2be6df65daf44d89ba564139745"
AXE_FILE = ROOT / ".venv" / "axe-core" / AXE_VERSION / "axe.min.js"
BLOCKING = ("serious", "critical")

pytestmark = pytest.mark.completo  # it starts a browser: make pruebas-completas


def axe_script() -> str:
    """axe-core's ``axe.min.js`` at the pinned version, fetched with ``npm pack`` the first time."""
    if not AXE_FILE.is_file():
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["npm", "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", folder],
                check=True,
                capture_output=True,
                timeout=300,
            )
            tarball = next(Path(folder).glob("axe-core-*.tgz"))
            digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
            assert digest == AXE_TARBALL_SHA256, f"axe-core@{AXE_VERSION} no es el fijado: SHA-256 {digest}"
            with tarfile.open(tarball) as archive:
                member = archive.extractfile("package/axe.min.js")
                assert member is not None
                script = member.read()
        AXE_FILE.parent.mkdir(parents=True, exist_ok=True)
        AXE_FILE.write_bytes(script)
    return AXE_FILE.read_text(encoding="utf-8")


def violations(html_file: Path) -> list[dict]:
    """axe-core's serious and critical violations of the page in ``html_file``."""
    from playwright.sync_api import sync_playwright

    script = axe_script()
    executable = chromium.launch_executable()
    launch: dict = {"args": chromium.launch_args(executable)}
    if executable:
        launch["executable_path"] = str(executable)

    def run() -> list[dict]:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(html_file.as_uri())
                page.add_script_tag(content=script)
                found = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")["violations"]
            finally:
                browser.close()
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in found
            if v["impact"] in BLOCKING
        ]

    return chromium.in_a_thread_of_its_own(run)


def test_the_published_tutorial_has_no_serious_or_critical_violation() -> None:
    assert violations(PAGE) == []


def test_a_picture_without_its_alt_text_is_caught(tmp_path: Path) -> None:
    """The guard can fail: the page with one figure's alt text taken away is a critical violation."""
    page = tmp_path / "tutorial.html"
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("<img alt=")
    end = text.index('"', text.index('"', start) + 1)
    page.write_text(text[:start] + "<img" + text[end + 1 :], encoding="utf-8")
    assert [v["id"] for v in violations(page)] == ["image-alt"]
