"""No published picture says the site is a demo (issue 36, point 4): the camera and the walkthrough's
recorder read the page's visible text before every shot and refuse «demostración», «pruebas» and
«no es aspel.com»; the templates the figures show say none of them (the console of make sitio says
the site is simulated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutorial.figuras import camera

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "mock_site" / "templates"
# Pages no figure or frame shows, which tell the visitor what is not real on purpose.
NOT_PUBLISHED = {"info/prices.html", "info/external.html"}


class _Page:
    url = "http://127.0.0.1/"

    def __init__(self, text: str) -> None:
        self.text = text

    def evaluate(self, _script: str) -> str:
        return self.text


def test_a_page_that_says_it_is_a_demo_is_not_shot() -> None:
    for text in (
        "Aspel de México. Sitio de demostración para pruebas del tutorial; no es aspel.com.",
        "Equipo de demostración",
        "NO ES ASPEL.COM",
    ):
        with pytest.raises(camera.UnpublishableText, match="make sitio"):
            camera.check_publishable(_Page(text))
    camera.check_publishable(_Page("Aspel de México. Mi cuenta Aspel"))


def test_the_templates_the_figures_show_say_nothing_of_a_demo() -> None:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_PUBLISHED:
            continue
        shown = re.sub(r"<title>.*?</title>|\{#.*?#\}|<!--.*?-->", "", path.read_text(encoding="utf-8"), flags=re.S)
        found += [f"{name}: {match}" for match in camera.UNPUBLISHABLE.findall(shown)]
    assert found == []


def test_the_console_of_make_sitio_still_says_the_site_is_simulated() -> None:
    assert "Sitio simulado de aspel.com" in (ROOT / "mock_site" / "__main__.py").read_text(encoding="utf-8")
