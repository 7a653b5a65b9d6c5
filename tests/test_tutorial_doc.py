"""The tutorial document built from feature files (no browser)."""

import pytest
from PIL import Image

from tutorial.documento.tutorial_doc import (
    GENERATED_NOTE,
    MISSING_FIGURE_NOTE,
    build_html,
    build_markdown,
    main,
    write_tutorial,
)

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
    Figura 1 muestra la página de inicio con el botón Mi cuenta Aspel arriba a la derecha.
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
        GENERATED_NOTE,
        "# Solicita tu número de serie desde aspel.com",
        "¿Deseas actualizar el número de serie de Aspel NOI 9.0?",
        "Visita [aspel.com](https://www.aspel.com).",
        "## 1 Ingresa a la cuenta Aspel",
        "Sigue estos pasos.",
        "a) Ingresa a la página aspel.com.mx y localiza **Mi cuenta Aspel**.",
        "![La página de inicio con el botón Mi cuenta Aspel arriba a la derecha. "
        "Un recuadro señala «Mi cuenta Aspel».](../screenshots/figura-01.png)",
        "*Figura 1 Página aspel.com.mx*",
        "b) Captura usuario y contraseña.",
        "![Inicio de sesión Mi cuenta Aspel.](../screenshots/figura-02.png)",
        "*Figura 2 Inicio de sesión Mi cuenta Aspel*",
        "## 2 Actualiza la serie",
        "Si no estás listo, no continúes.",
        "*Figura 3 Términos y condiciones*",
    ]
    assert text.split("\n\n") == [*expected_order[:-1], f"**{MISSING_FIGURE_NOTE}**", expected_order[-1] + "\n"]


def test_no_doc_scenarios_and_repeated_figures_are_left_out(tutorial):
    text = build_markdown(*tutorial)
    assert "Oculta" not in text and "no va en el tutorial" not in text
    assert text.count("Figura 1 ") == 1  # its caption, once (the alt text says what it shows)


def test_missing_figure_is_noted(tutorial):
    text = build_markdown(*tutorial)
    assert "(figura pendiente: ejecuta make figuras)" in text
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
    text = markdown_path.read_text(encoding="utf-8")
    assert text.startswith(GENERATED_NOTE + "\n\n# Solicita tu número de serie")
    page = html_path.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and GENERATED_NOTE in page


def test_the_figures_are_files_beside_the_page_unless_one_file_is_asked(tutorial):
    features, screenshots, docs = tutorial
    (docs / "figuras").mkdir(parents=True)
    (docs / "figuras" / "figura-07.png").write_bytes(b"ya no se muestra")
    markdown_path, html_path = write_tutorial(features, screenshots, docs)
    shown = sorted(path.name for path in (docs / "figuras").iterdir())
    assert shown == ["figura-01.png", "figura-02.png"]
    assert (docs / "figuras" / "figura-01.png").read_bytes() == (screenshots / "figura-01.png").read_bytes()
    assert "](figuras/figura-01.png)" in markdown_path.read_text(encoding="utf-8")
    page = html_path.read_text(encoding="utf-8")
    assert 'src="figuras/figura-01.png"' in page and "base64" not in page
    _markdown, html_path = write_tutorial(features, screenshots, tmp := docs.parent / "uno", single_file=True)
    assert html_path.read_text(encoding="utf-8").count('src="data:image/png;base64,') == 2
    assert not (tmp / "figuras").exists()


def test_command_line_writes_from_the_repo_root(tutorial, monkeypatch, capsys):
    features, screenshots, docs = tutorial
    monkeypatch.chdir(features.parent)
    main([])
    assert (docs / "tutorial.html").exists()
    assert "docs/tutorial.md" in capsys.readouterr().out


def test_the_walkthrough_comes_after_the_steps_with_its_caption_and_its_video_with_captions(tutorial):
    """Issue 36, points 7 and 10: the animation replays what the figures show, so it comes after
    the step-by-step with a caption of its own; the video under it, with its WebVTT track."""
    features, screenshots, docs = tutorial
    docs.mkdir()
    (docs / "recorrido.gif").write_bytes(b"GIF89a")
    without = build_markdown(features, screenshots, docs)
    assert "](recorrido.gif)" in without and "recorrido.mp4" not in without
    (docs / "recorrido.mp4").write_bytes(b"mp4")
    blocks = build_markdown(features, screenshots, docs).split("\n\n")
    gif = next(index for index, block in enumerate(blocks) if block.endswith("](recorrido.gif)"))
    figures = [index for index, block in enumerate(blocks) if "](../screenshots/" in block or "figura-" in block]
    assert all(index < gif for index in figures)  # after every figure of the steps
    assert blocks[gif + 1] == WALKTHROUGH_CAPTION
    assert blocks[gif + 2].startswith("<video ") and 'src="recorrido.vtt"' in blocks[gif + 2]
    assert paragraphs("\n\n".join(blocks)) == paragraphs(without)  # not a paragraph of the original
    page = build_html("\n\n".join(blocks), docs, "Tutorial", single_file=False)
    assert '<track kind="captions" src="recorrido.vtt" srclang="es" label="Español" default>' in page
    assert '<source src="recorrido.mp4" type="video/mp4">' in page


def test_only_a_numbered_feature_opens_a_section(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "01_a.feature").write_text(
        "# language: es\nCaracterística: 1 Ingresa a la cuenta Aspel\n  Prosa de la sección.\n", encoding="utf-8"
    )
    (features / "02_b.feature").write_text(
        "# language: es\nCaracterística: Notificación de la actualización\n  Sigue la sección.\n", encoding="utf-8"
    )
    text = build_markdown(features, tmp_path / "screenshots", tmp_path / "docs")
    assert "## 1 Ingresa a la cuenta Aspel" in text
    assert "Notificación de la actualización" not in text
    assert text.index("Prosa de la sección.") < text.index("Sigue la sección.")


# --- the whole tutorial: the original, its links ----------------------------------------------

import html as html_module  # noqa: E402
import re  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlsplit  # noqa: E402

from mock_site.domain.world import TUTORIAL_WORLD  # noqa: E402
from tutorial.documento.feature_reader import parse_text, walk  # noqa: E402
from tutorial.documento.fidelity import first_difference, paragraphs  # noqa: E402
from tutorial.documento.tutorial_doc import (  # noqa: E402
    LOCAL,
    SCREEN_VALUES,
    SITE_URL,
    WALKTHROUGH_CAPTION,
    WALKTHROUGH_VIDEO,
    UnknownPublicLink,
    mock_page,
    quoted_screen_text,
    resolve_site_links,
)

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL = ROOT / "docs" / "original.md"
LINKS_FEATURE = ROOT / "features" / "informacion_del_tutorial.feature"
MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def rebuilt() -> str:
    """The tutorial as make figuras rebuilds it, from the features and the committed figures."""
    return build_markdown(ROOT / "features", ROOT / "screenshots", ROOT / "docs")


def test_the_rebuilt_document_holds_every_paragraph_of_the_original(rebuilt):
    difference = first_difference(rebuilt, ORIGINAL.read_text(encoding="utf-8"))
    assert difference is None, difference


def test_the_committed_document_holds_every_paragraph_of_the_original():
    committed = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    difference = first_difference(committed, ORIGINAL.read_text(encoding="utf-8"))
    assert difference is None, f"{difference} (regenera con: tutorial documento)"


def test_the_committed_html_links_where_the_markdown_does():
    committed = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    page = (ROOT / "docs" / "tutorial.html").read_text(encoding="utf-8")
    for label, address in MARKDOWN_LINK.findall(committed):
        assert f'<a href="{html_module.escape(address)}">{html_module.escape(label, quote=False)}</a>' in page, label


def _guide_link_table() -> dict[str, str]:
    """docs/guia/documento.md, «Each link of the document, its source and why»: each link's words → its address
    (or ``plain text``)."""
    guide = (ROOT / "docs" / "guia" / "documento.md").read_text(encoding="utf-8")
    table = guide.split("#### Each link of the document", 1)[1].split("\n\n", 2)[1]
    rows = [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in table.splitlines()[2:]]
    return {row[0]: row[1] for row in rows}


def test_the_guide_lists_each_link_of_the_document_and_the_words_left_plain(rebuilt):
    """Every link of the published document is a row of the guide's table, with its address; a row
    that says ``plain text`` names words the document prints without a link; and each word the
    original links anywhere is in the table."""
    table = _guide_link_table()
    links = dict(MARKDOWN_LINK.findall(rebuilt))
    assert {label: address for label, address in table.items() if address != "plain text"} == links
    for label in (label for label, address in table.items() if address == "plain text"):
        assert re.search(rf"(?<!\[){re.escape(label)}(?!\])", rebuilt), label
    original_labels = {label for label, _ in MARKDOWN_LINK.findall(ORIGINAL.read_text(encoding="utf-8"))}
    words = " ".join(paragraphs(rebuilt))  # a figure's quoted screen (its link too) is the figure's
    assert {label for label in original_labels if re.search(rf"\b{re.escape(label)}\b", words)} <= set(table)


ORIGINAL_SAMPLE = """\
<!-- notas para quien edita: no cuentan -->

## Título

- a) Ingresa a [aspel.com](https://www.aspel.com) y da clic en el icono ![Actualiza la serie](icono).

> Numero de Serie:
> NXXXXXXXXXXXX
>
> - 1.- Un término.

Después de la ventana.

Figura 1 Página
"""

DOCUMENT_SAMPLE = """\
# Título

a) Ingresa a [aspel.com](http://127.0.0.1:5000/) y da clic en el icono **Actualiza la serie**.

> Numero de Serie: NXXXXXXXXXXXX
>
> 1.- Un término.

Después de la ventana.

![Figura 1 Página](../screenshots/figura-01.png)

*Figura 1 Página*
"""


def test_paragraphs_are_the_words_a_reader_reads():
    assert paragraphs(ORIGINAL_SAMPLE) == [
        "Título",
        "a) Ingresa a [aspel.com] y da clic en el icono **Actualiza la serie**.",
        "Numero de Serie: NXXXXXXXXXXXX",
        "1.- Un término.",
        "Después de la ventana.",
        "Figura 1 Página",
    ]
    assert first_difference(DOCUMENT_SAMPLE, ORIGINAL_SAMPLE) is None


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (DOCUMENT_SAMPLE.replace("> 1.- Un término.\n", ""), "Falta el párrafo 4 del original: «1.- Un término.»"),
        (
            DOCUMENT_SAMPLE.replace("[aspel.com](http://127.0.0.1:5000/)", "aspel.com"),
            "Cambió el párrafo 2 del original: «a) Ingresa a [aspel.com] y da clic en el icono **Actualiza la serie**.»; "
            "el documento dice: «a) Ingresa a aspel.com y da clic en el icono **Actualiza la serie**.»",
        ),
        (
            DOCUMENT_SAMPLE.replace("Numero de Serie", "Número de serie"),
            "Cambió el párrafo 3 del original: «Numero de Serie: INL7K4M2QX9R5»; "
            "el documento dice: «Número de serie: INL7K4M2QX9R5»",
        ),
        (
            DOCUMENT_SAMPLE.replace("# Título\n", "# Título\n\nUn párrafo de más.\n"),
            "El documento agrega un párrafo que el original no tiene, antes del párrafo 2: «Un párrafo de más.»",
        ),
    ],
)
def test_the_first_missing_or_changed_paragraph_is_named(document, expected):
    assert first_difference(document, ORIGINAL_SAMPLE) == expected


def test_the_real_original_fails_when_a_paragraph_goes(rebuilt):
    """The check is not vacuous: without the closing paragraph, it names it."""
    cut = rebuilt.rstrip("\n").rsplit("\n\n", 1)[0]
    assert "Dudas, comentarios" not in cut
    assert first_difference(cut, ORIGINAL.read_text(encoding="utf-8")).startswith(
        "Falta el párrafo 30 del original: «Dudas, comentarios y sugerencias sobre este documento aquí.»"
    )


def test_words_the_original_links_to_nothing_may_be_linked_or_plain():
    """The original links *Tutoriales* to "#": the document may link it to a page it can name or
    leave it plain; words the original gives an address to stay a link (the cases above)."""
    original = "Consulta [Tutoriales](#) y [aspel.com](https://www.aspel.com).\n"
    for document in (
        "Consulta Tutoriales y [aspel.com](https://www.aspel.com).\n",
        "Consulta [Tutoriales](https://www.aspel.com.mx) y [aspel.com](https://www.aspel.com).\n",
    ):
        assert first_difference(document, original) is None
    assert first_difference("Consulta Tutoriales y aspel.com.\n", original) == (
        "Cambió el párrafo 1 del original: «Consulta Tutoriales y [aspel.com].»; "
        "el documento dice: «Consulta Tutoriales y aspel.com.»"
    )


def test_quoted_lines_are_one_quote_and_site_links_resolve(tmp_path):
    features = tmp_path / "features"
    features.mkdir()
    (features / "00_a.feature").write_text(
        "# language: es\nCaracterística:\n  Antes [Precios](/precios/noi) y [fuera](https://example.org/).\n"
        "  > Primera línea de la figura\n  > Segunda con [centro](/descargas/)\n  Después.\n",
        encoding="utf-8",
    )
    text = build_markdown(features, tmp_path / "screenshots", tmp_path / "docs", site_url="http://sitio:8000/")
    assert text.split("\n\n")[2:] == [
        "Antes [Precios](http://sitio:8000/precios/noi) y [fuera](https://example.org/).",
        "> Primera línea de la figura\n>\n> Segunda con [centro](http://sitio:8000/descargas/)",
        "Después.\n",
    ]
    assert resolve_site_links("[x](/a) ![y](../b.png)") == f"[x]({SITE_URL}/a) ![y](../b.png)"


def test_command_line_takes_the_site_address(tutorial, monkeypatch):
    features, _screenshots, docs = tutorial
    (features / "03_enlace.feature").write_text(
        "# language: es\nCaracterística:\n  Ve [Tutoriales](/tutoriales/).\n", encoding="utf-8"
    )
    monkeypatch.chdir(features.parent)
    main(["--direccion-del-sitio", "https://demo.example:8443"])
    assert "[Tutoriales](https://demo.example:8443/tutoriales/)" in (docs / "tutorial.md").read_text(encoding="utf-8")


def _link_examples() -> dict[str, tuple[str, str]]:
    """enlace → (dirección pública, página), from the Ejemplos of the @enlaces scenario."""
    for node in walk(parse_text(LINKS_FEATURE.read_text(encoding="utf-8")), LINKS_FEATURE):
        scenario = node.scenario
        if "@enlaces" in node.tags:
            texts = [step["text"] for step in scenario["steps"]]
            assert 'que el tutorial publicado enlaza "<enlace>" a "<dirección>"' in texts
            assert 'abro el enlace "<enlace>" del tutorial' in texts and "veo la ventana <página>" in texts
            rows = [[cell["value"] for cell in row["cells"]] for row in scenario["examples"][0]["tableBody"]]
            return {label: (address, page) for label, address, page in rows}
    raise AssertionError(f"{LINKS_FEATURE.name} no tiene el escenario @enlaces")


def test_each_link_of_the_document_is_public_and_a_scenario_visits_its_page(rebuilt, client):
    # The walkthrough's video is a file beside the page (make figuras writes it), not a page of the site.
    links = [(label, address) for label, address in MARKDOWN_LINK.findall(rebuilt) if address != WALKTHROUGH_VIDEO]
    visited = _link_examples()
    assert sorted({label for label, _ in links}) == sorted(visited), (
        "Cada enlace del documento debe estar en los Ejemplos del escenario @enlaces, y sólo ellos"
    )
    for label, address in links:
        assert address == visited[label][0], f"«{label}» lleva a {address}; el escenario dice {visited[label][0]}"
        assert urlsplit(address).scheme == "https" and urlsplit(address).hostname not in ("127.0.0.1", "localhost")
        answer = client.get(mock_page(address))
        assert answer.status_code == 200, f"«{label}» ({mock_page(address)}) responde {answer.status_code}"
        headings = [
            html_module.unescape(h) for h in re.findall(r"<h1[^>]*>(.*?)</h1>", answer.get_data(as_text=True), re.S)
        ]
        assert visited[label][1] in headings, f"«{label}» abre {headings}, el escenario espera «{visited[label][1]}»"


def test_the_original_s_own_addresses_are_kept():
    """The three links the original gives an address keep it, letter for letter."""
    original = dict(MARKDOWN_LINK.findall(ORIGINAL.read_text(encoding="utf-8")))
    ours = dict(MARKDOWN_LINK.findall((ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")))
    own = {label: address for label, address in original.items() if address != "#"}
    assert own == {
        "aspel.com": "https://www.aspel.com",
        "aspel.com.mx": "https://www.aspel.com.mx",
        "aspel.com/descargas": "https://aspel.com/descargas",
    }
    assert {label: ours[label] for label in own} == own


def test_the_published_document_has_no_local_link():
    for name in ("tutorial.md", "tutorial.html"):
        text = (ROOT / "docs" / name).read_text(encoding="utf-8")
        assert "127.0.0.1" not in text and "localhost" not in text, f"docs/{name} enlaza al sitio de prueba"


def test_local_links_are_the_mock_s_pages(tmp_path):
    """The QA proof view and make sitio: every public address becomes its page of the mock."""
    features = tmp_path / "features"
    features.mkdir()
    (features / "00_a.feature").write_text(
        "# language: es\nCaracterística:\n  Ve [aspel.com](https://www.aspel.com) y [precios](/precios/noi).\n",
        encoding="utf-8",
    )
    text = build_markdown(features, tmp_path / "s", tmp_path / "d", site_url="http://sitio:8000", links=LOCAL)
    assert "Ve [aspel.com](http://sitio:8000/) y [precios](http://sitio:8000/precios/noi)." in text
    (features / "00_a.feature").write_text(
        "# language: es\nCaracterística:\n  Ve [otro](https://otro.example/).\n", encoding="utf-8"
    )
    with pytest.raises(UnknownPublicLink, match="https://otro.example/"):
        build_markdown(features, tmp_path / "s", tmp_path / "d", links=LOCAL)


def test_a_quote_right_before_a_figure_is_that_figure_s_text():
    """The original quotes what Figuras 4 and 5 show, then shows them: the figure stands for the
    quote, so a document that shows the figure alone holds every paragraph; a quote that no figure
    follows is still compared."""
    original = "Da clic.\n\n> Ventana\n>\n> - 1.- Un término.\n\nFigura 1 Página\n"
    alone = "Da clic.\n\n![Figura 1 Página](figura-01.png)\n\n*Figura 1 Página*\n"
    assert first_difference(alone, original) is None
    assert first_difference(alone, original.replace("\n\nFigura 1", "\n\nOtra cosa.\n\nFigura 1")) == (
        "Falta el párrafo 2 del original: «Ventana»"
    )


def test_the_document_shows_a_figure_instead_of_quoting_its_screen(rebuilt):
    """Each thing once: no quote right before a figure (the scenario checks the quoted words on the
    screen it shoots, ``la ventana muestra el texto que el tutorial cita``)."""
    assert not re.search(r"^>.*\n\n!\[", rebuilt, flags=re.M), "el documento cita el texto de una figura y la muestra"
    for placeholder, _value in SCREEN_VALUES:
        assert placeholder not in rebuilt


def test_the_quoted_screen_text_reads_as_the_screen_shows_it():
    """What the step compares with the page: the world's values, no Markdown, a grid row's cells."""
    description = (ROOT / "features" / "02_mis_servicios.feature").read_text(encoding="utf-8")
    lines = quoted_screen_text(description)
    assert f"Aspel NOI 9.0 1 {TUTORIAL_WORLD.serie} 01/02/2022 01/04/2022 Plan actualizado" in lines
    assert f"Numero de Serie: {TUTORIAL_WORLD.serie}" in lines
    assert any(line.endswith("en nuestro centro de descarga.") for line in lines)
    assert not [line for line in lines if re.search(r"\*\*|\]\(|XXXX|^\||---", line)], lines


def test_every_figure_has_an_alt_text_for_readers(rebuilt):
    """Issue 36, point 7: the alt text says what the picture shows and where its marks point; it
    does not repeat the caption (read right after it), and no two figures share one."""
    alts = dict((number, alt) for alt, number in re.findall(r"!\[([^\]]*)\]\([^)]*figura-0(\d)\.png\)", rebuilt))
    assert sorted(alts) == [str(n) for n in range(1, 10)]
    captions = dict(re.findall(r"^\*Figura (\d) ([^*]+)\*$", rebuilt, re.M))
    assert len(set(alts.values())) == len(alts)
    for number, alt in alts.items():
        assert "captura de pantalla después de" not in alt and "«que " not in alt, alt
        assert f"Figura {number}" not in alt and captions[number] not in alt, f"la Figura {number} repite su pie: {alt}"
        assert len(alt) > 60, f"el texto alternativo de la Figura {number} no dice qué muestra"
    assert "Un recuadro señala «Mi cuenta Aspel»" in alts["1"]
