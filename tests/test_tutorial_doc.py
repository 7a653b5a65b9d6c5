"""The tutorial document built from feature files (no browser)."""

import io

import pytest
from PIL import Image

from steps.support.tutorial_doc import MISSING_FIGURE_NOTE, build_html, build_markdown, main, write_tutorial

INTRO = """\
# language: es
Característica:
  ¿Deseas actualizar el número de serie de Aspel NOI 9.0?
  Visita [aspel.com](https://www.aspel.com).
"""

LOGIN = """\
# language: es
@figura
Característica: 1 Ingresa a la cuenta Aspel
  Sigue estos pasos.

  Escenario: Localizo Mi cuenta Aspel
    a) Ingresa a la página aspel.com.mx y localiza **Mi cuenta Aspel**.
    Dado que ingreso a aspel.com.mx
    Y se captura la Figura 1 "Página aspel.com.mx" resaltando "Mi cuenta Aspel"

  @no-doc
  Escenario: Bloqueo tras intentos fallidos
    Esto no va en el tutorial.
    Dado que ingreso a aspel.com.mx
    Y se captura la Figura 7 "Oculta"

  Escenario: Inicio sesión
    b) Captura usuario y contraseña.
    Cuando inicio sesión
    Y se captura la Figura 2 "Inicio de sesión Mi cuenta Aspel"
    Y se captura la Figura 1 "Página aspel.com.mx"

  Escenario: Sin nada que contar
    Dado que ingreso a aspel.com.mx
"""

TERMS = """\
# language: es
Característica: 2 Actualiza la serie

  Regla: 1.- Al aceptar se entrega el nuevo número de serie
    Si no estás listo, no continúes.

    Escenario: Cancelo la actualización
      Cuando cancelo
      Entonces se captura la Figura 3 "Términos y condiciones"
"""


@pytest.fixture
def tutorial(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    # Written out of order: the file names decide the order.
    (features / "02_actualiza.feature").write_text(TERMS, encoding="utf-8")
    (features / "00_intro.feature").write_text(INTRO, encoding="utf-8")
    (features / "01_ingresa.feature").write_text(LOGIN, encoding="utf-8")
    screenshots = tmp_path / "screenshots"
    screenshots.mkdir()
    for number in (1, 2):
        Image.new("RGB", (4, 3), "blue").save(screenshots / f"figura-0{number}.png")
    return features, screenshots, tmp_path / "docs"


def test_markdown_follows_the_features_in_order(tutorial):
    text = build_markdown(*tutorial)
    expected_order = [
        "# Solicita tu número de serie desde aspel.com",
        "¿Deseas actualizar el número de serie de Aspel NOI 9.0?",
        "Visita [aspel.com](https://www.aspel.com).",
        "## 1 Ingresa a la cuenta Aspel",
        "Sigue estos pasos.",
        "a) Ingresa a la página aspel.com.mx y localiza **Mi cuenta Aspel**.",
        "![Figura 1 Página aspel.com.mx](../screenshots/figura-01.png)",
        "*Figura 1 Página aspel.com.mx*",
        "b) Captura usuario y contraseña.",
        "![Figura 2 Inicio de sesión Mi cuenta Aspel](../screenshots/figura-02.png)",
        "*Figura 2 Inicio de sesión Mi cuenta Aspel*",
        "## 2 Actualiza la serie",
        "Si no estás listo, no continúes.",
        "*Figura 3 Términos y condiciones*",
    ]
    assert text.split("\n\n") == [
        *expected_order[:-1],
        f"**{MISSING_FIGURE_NOTE}**",
        expected_order[-1] + "\n",
    ]


def test_no_doc_scenarios_and_repeated_figures_are_left_out(tutorial):
    text = build_markdown(*tutorial)
    assert "Oculta" not in text and "no va en el tutorial" not in text
    assert text.count("Figura 1 ") == 2  # the image's alt text and its caption, once


def test_missing_figure_is_noted(tutorial):
    text = build_markdown(*tutorial)
    assert "(figura pendiente: ejecuta make figures)" in text
    assert "figura-03.png" not in text


def test_html_embeds_the_figures(tutorial):
    features, screenshots, docs = tutorial
    page = build_html(build_markdown(features, screenshots, docs), docs, "Tutorial")
    assert "<title>Tutorial</title>" in page
    assert "<h2>1 Ingresa a la cuenta Aspel</h2>" in page
    assert "<strong>Mi cuenta Aspel</strong>" in page
    assert "../screenshots" not in page
    assert page.count('src="data:image/png;base64,') == 2


def test_write_tutorial_writes_both_files(tutorial):
    features, screenshots, docs = tutorial
    markdown_path, html_path = write_tutorial(features, screenshots, docs)
    assert markdown_path == docs / "tutorial.md" and html_path == docs / "tutorial.html"
    assert markdown_path.read_text(encoding="utf-8").startswith("# Solicita tu número de serie")
    assert html_path.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_command_line_writes_from_the_repo_root(tutorial, monkeypatch, capsys):
    features, screenshots, docs = tutorial
    monkeypatch.chdir(features.parent)
    main([])
    assert (docs / "tutorial.html").exists()
    assert "docs/tutorial.md" in capsys.readouterr().out


def test_only_a_numbered_feature_opens_a_section(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "01_a.feature").write_text(
        "# language: es\nCaracterística: 1 Ingresa a la cuenta Aspel\n  Prosa de la sección.\n",
        encoding="utf-8",
    )
    (features / "02_b.feature").write_text(
        "# language: es\nCaracterística: Notificación de la actualización\n  Sigue la sección.\n",
        encoding="utf-8",
    )
    text = build_markdown(features, tmp_path / "screenshots", tmp_path / "docs")
    assert "## 1 Ingresa a la cuenta Aspel" in text
    assert "Notificación de la actualización" not in text
    assert text.index("Prosa de la sección.") < text.index("Sigue la sección.")
