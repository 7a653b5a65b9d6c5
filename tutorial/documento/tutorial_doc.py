"""Build the tutorial document (``docs/tutorial.md`` and ``docs/tutorial.html``) from the features.

The features are the tutorial: read in file-name order, each Característica adds its
description as prose, each Escenario or Regla adds its description, and each step
``se captura la Figura N "Pie"`` places ``screenshots/figura-NN.png`` with the caption
``Figura N Pie``. Only a Característica named with the tutorial's section number ("1 Ingresa a
la cuenta Aspel") opens a heading; the others keep a name for reports and continue the section,
as the tutorial's text does. Anything tagged ``@no-doc`` is left out.

Description lines that start with ``>`` are the words the original shows inside a figure (the
grid of Figura 4, the dialog of Figura 5). The scenario checks them on the screen and its figure
shows them, so the document prints the figure alone (it says each thing once); a description
without a figure prints them as a quote, a paragraph per line.

Links: a description writes a link as the published tutorial carries it, to the real site's
public address (``[aspel.com](https://www.aspel.com)``, the original's own); :data:`PUBLIC_PAGES`
declares which page of the mock stands for each public address. The published document
(``docs/``) keeps the public addresses; ``--enlaces locales`` (the QA proof view in ``reports/``,
a ``make sitio`` session) turns them into the mock's pages on ``--direccion-del-sitio``,
``http://127.0.0.1:5000`` by default (where ``make sitio`` listens). A link to a page of the mock
written by its path, ``[x](/ruta)``, resolves against the same address.

``tutorial/documento/fidelity.py`` compares the document with the original tutorial kept in
``docs/original.md``, paragraph by paragraph.
"""

from __future__ import annotations

import argparse
import base64
import html
import os
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from PIL import Image

from mock_site.domain.world import TUTORIAL_WORLD
from tutorial.documento import video
from tutorial.documento.feature_reader import FIGURE_STEP, read_features
from tutorial.documento.walkthrough import GIF_NAME
from tutorial.figuras.annotations import ARROW, BADGE, BLUR, BOX, NOTE, AnnotationError, parse_tail
from tutorial.figuras.comparison import figure_name

DOCUMENT_TITLE = "Solicita tu número de serie desde aspel.com"
WALKTHROUGH = GIF_NAME  # written by tutorial/documento/walkthrough.py (make figuras)
WALKTHROUGH_ALT = (
    "Recorrido animado del tutorial: de aspel.com.mx a Mi cuenta Aspel, Mis servicios > Suscripciones, "
    "Actualiza la serie y los términos, el nuevo número de serie, el correo de la actualización, "
    "el centro de descargas y Aspel-AL > Otros sistemas; el puntero marca cada clic"
)
WALKTHROUGH_VIDEO = video.NAME  # beside the GIF where ffmpeg is installed (walkthrough.py, video.py)
WALKTHROUGH_CAPTIONS = "recorrido.vtt"  # the video's captions, beside it (captions.py)
# After the step-by-step, the walkthrough with its own caption (it replays what the figures
# showed, so it comes after them); neither is a paragraph of the original.
WALKTHROUGH_CAPTION = "*Recorrido completo: los pasos de este tutorial, de aspel.com.mx a Otros sistemas de Aspel-AL.*"
WALKTHROUGH_VIDEO_BLOCK = (
    f'<video controls preload="none" width="{{width}}" height="{{height}}">'
    f'<source src="{WALKTHROUGH_VIDEO}" type="video/mp4">'
    f'<track kind="captions" src="{WALKTHROUGH_CAPTIONS}" srclang="es" label="Español" default>'
    f'El mismo recorrido en video: <a href="{WALKTHROUGH_VIDEO}">{WALKTHROUGH_VIDEO}</a>.</video>'
)
# Every picture at one scale: the document's column is 960 CSS px and the figures are shot at
# 1280, so each figure gets 3/4 of its pixels (width and height), whatever its own width.
FIGURE_SCALE = 0.75
WALKTHROUGH_SIZE = (1280, 884)  # the GIF's and the video's pictures (walkthrough.SIZE and its band)
MISSING_FIGURE_NOTE = "(figura pendiente: ejecuta make figuras)"
NO_DOC_TAG = "@no-doc"
GENERATED_NOTE = "<!-- generado desde features/ — no edites este archivo (tutorial documento) -->"
FIGURES_FOLDER = "figuras"  # beside tutorial.html, the figures it shows (unless --un-solo-archivo)
FIGURE_SHOWS = re.compile(r"^Figura (?P<number>\d+) muestra (?P<text>.+)$")  # a figure's alt text

# The original's placeholders for what its figures show, and the tutorial world's values the
# figures show instead (mock_site/domain/world.py): the scenario that shoots the figure checks the
# quoted words on its screen through this table (:func:`quoted_screen_text`), and
# ``fidelity.first_difference`` reads both texts through it.
SCREEN_VALUES: tuple[tuple[str, str], ...] = (
    ("INLXXXXXXXXXX", TUTORIAL_WORLD.serie),
    ("NXXXXXXXXXXXX", TUTORIAL_WORLD.serie),
)
SECTION_NAME = re.compile(r"\d+ \S")  # "1 Ingresa a la cuenta Aspel"
SITE_URL = "http://127.0.0.1:5000"  # make sitio's address
SITE_LINK = re.compile(r"\]\((/[^)\s]*)\)")  # ](/path): a link to a page of the mock
PUBLIC_LINK = re.compile(r"\]\((https?://[^)\s]+)\)")  # ](https://…): a link to a public address
PUBLISHED, LOCAL = "publicos", "locales"  # the two ways the document links (--enlaces)

# The public address of each link of the tutorial → the page of the mock that stands for it. The
# original gives three addresses (www.aspel.com, www.aspel.com.mx, aspel.com/descargas) and links
# four more words to "#". Of those, two get a page we can name with confidence: *centro de
# descarga* the download centre the original names in section 4, *Consulta precios de Aspel NOI*
# the site's home; *Tutoriales*, *YouTube* and *aquí* stay plain words (docs/guia/documento.md).
PUBLIC_PAGES: dict[str, str] = {
    "https://www.aspel.com": "/",
    "https://www.aspel.com.mx": "/",
    "https://aspel.com/descargas": "/descargas/",
}


class UnknownPublicLink(KeyError):
    """A public address the document links to that no page of the mock stands for."""


def mock_page(address: str) -> str:
    """The path of the mock's page for a public address of the document (:data:`PUBLIC_PAGES`)."""
    if address not in PUBLIC_PAGES:
        raise UnknownPublicLink(
            f"El enlace {address} no tiene página en el sitio de prueba: decláralo en PUBLIC_PAGES "
            "(tutorial/documento/tutorial_doc.py)."
        )
    return PUBLIC_PAGES[address]


def _paragraphs(description: str, figure_shows_quote: bool = False) -> list[str]:
    """Each non-blank description line is a paragraph of its own; consecutive ``>`` lines (the
    text inside a figure) are one quote with a paragraph per line. ``figure_shows_quote``: the
    scenario's figure shows that text in full (its steps check it on the screen), so the document
    prints the figure, not the quote."""
    blocks: list[str] = []
    quote: list[str] = []
    for line in textwrap.dedent(description).splitlines():
        line = line.strip()
        if FIGURE_SHOWS.match(line):
            continue
        if line.startswith(">"):
            if not figure_shows_quote:
                quote.append("> " + line[1:].strip())
            continue
        if quote and line:
            blocks.append(_join_quote(quote))
            quote = []
        if line:
            blocks.append(line)
    if quote:
        blocks.append(_join_quote(quote))
    return blocks


def _join_quote(lines: list[str]) -> str:
    """A paragraph per quoted line, except the rows of a table (``> | a | b |``), which stay together."""
    text = lines[0]
    for before, line in zip(lines, lines[1:], strict=False):
        table = before.startswith("> |") and line.startswith("> |")
        text += ("\n" if table else "\n>\n") + line
    return text


def figures_shown(description: str) -> dict[int, str]:
    """``Figura N muestra …`` lines of a description: what each figure shows, for its alt text."""
    found = {}
    for line in textwrap.dedent(description).splitlines():
        match = FIGURE_SHOWS.match(line.strip())
        if match:
            found[int(match["number"])] = match["text"]
    return found


def quoted_screen_text(description: str) -> list[str]:
    """The ``>`` lines of a description as the screen shows them: no Markdown (bold, links' targets,
    a table row's bars; its separator row left out), the tutorial world's values for the original's
    placeholders (:func:`screen_values`)."""
    lines = []
    for line in textwrap.dedent(description).splitlines():
        line = line.strip()
        if not line.startswith(">"):
            continue
        line = line[1:].strip()
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if all(re.fullmatch(r":?-+:?", cell) for cell in cells if cell):
                continue
            line = " ".join(cell for cell in cells if cell)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("**", "")
        lines.append(screen_values(" ".join(line.split())))
    return lines


def screen_values(text: str) -> str:
    """The original's placeholders in what a figure shows → the tutorial world's values
    (:data:`SCREEN_VALUES`); the document and the fidelity check both read through it."""
    for placeholder, value in SCREEN_VALUES:
        text = text.replace(placeholder, value)
    return text


def resolve_site_links(text: str, site_url: str = SITE_URL) -> str:
    """``[x](/path)`` → ``[x](http://127.0.0.1:5000/path)``; other links stay as written."""
    return SITE_LINK.sub(lambda match: f"]({site_url.rstrip('/')}{match[1]})", text)


def localise_links(text: str, site_url: str = SITE_URL) -> str:
    """Every public address of :data:`PUBLIC_PAGES` → its page of the mock on ``site_url`` (the QA
    proof view, ``make sitio``); :class:`UnknownPublicLink` for a public address it does not declare."""
    text = PUBLIC_LINK.sub(lambda match: f"]({mock_page(match[1])})", text)
    return resolve_site_links(text, site_url)


class _Document:
    """Markdown blocks accumulated while walking the features in order."""

    def __init__(self, screenshots_dir: Path, doc_dir: Path, quote_screens: bool) -> None:
        self.screenshots_dir = screenshots_dir
        self.doc_dir = doc_dir
        self.quote_screens = quote_screens
        self.blocks: list[str] = []
        self.figures_seen: set[int] = set()

    def add_feature(self, feature: dict) -> None:
        if _is_no_doc(feature):
            return
        if SECTION_NAME.match(feature["name"].strip()):
            self.blocks.append(f"## {feature['name'].strip()}")
        self.blocks += _paragraphs(feature["description"])
        for child in feature["children"]:
            if "rule" in child:
                self.add_rule(child["rule"])
            elif "scenario" in child:
                self.add_scenario(child["scenario"])

    def add_rule(self, rule: dict) -> None:
        if _is_no_doc(rule):
            return
        self.blocks += _paragraphs(rule["description"])
        for child in rule["children"]:
            if "scenario" in child:
                self.add_scenario(child["scenario"])

    def add_scenario(self, scenario: dict) -> None:
        if _is_no_doc(scenario):
            return
        shoots = any(FIGURE_STEP.match(step["text"]) for step in scenario["steps"])
        self.blocks += _paragraphs(scenario["description"], figure_shows_quote=shoots and not self.quote_screens)
        shown = figures_shown(scenario["description"])
        for step in scenario["steps"]:
            match = FIGURE_STEP.match(step["text"])
            if match:
                number, caption = int(match["number"]), match["caption"]
                self.add_figure(number, caption, figure_alt(number, caption, match["tail"], shown.get(number, "")))

    def add_figure(self, number: int, caption: str, alt: str | None = None) -> None:
        if number in self.figures_seen:
            return
        self.figures_seen.add(number)
        image = self.screenshots_dir / f"{figure_name(number)}.png"
        label = f"Figura {number} {caption}"
        if image.exists():
            self.blocks.append(f"![{alt or label}]({Path(os.path.relpath(image, self.doc_dir)).as_posix()})")
        else:
            self.blocks.append(f"**{MISSING_FIGURE_NOTE}**")
        self.blocks.append(f"*{label}*")


_ALT_MARKS = {BOX: "un recuadro", BADGE: "el número {number}", ARROW: "una flecha", NOTE: "la nota «{text}»"}


def figure_alt(number: int, caption: str, tail: str, shows: str = "") -> str:
    """A figure's alt text, for a reader who does not see it: what it shows (the scenario's
    ``Figura N muestra …`` line, in the tutorial's words) and where its marks point, one per
    target («un recuadro señala «Mi cuenta Aspel»»). Not the caption, which the reader hears right
    after it (only a figure that says nothing else falls back to it)."""
    try:
        marks = parse_tail(tail)
    except AnnotationError:
        marks = []
    said = [
        f"{_ALT_MARKS[mark.kind].format(**vars(mark))} señala «{mark.target}»"
        for mark in marks
        if mark.kind in _ALT_MARKS
    ]
    said += [f"el dato «{mark.target}» aparece difuminado" for mark in marks if mark.kind == BLUR]
    text = (shows or caption).rstrip(".")
    text = text[:1].upper() + text[1:]
    if said:
        sentence = "; ".join(said)
        text += ". " + sentence[:1].upper() + sentence[1:]
    return text.replace("[", "(").replace("]", ")") + "."


def _is_no_doc(node: dict) -> bool:
    return any(tag["name"] == NO_DOC_TAG for tag in node["tags"])


def build_markdown(
    features_dir: Path,
    screenshots_dir: Path,
    doc_dir: Path,
    title: str = DOCUMENT_TITLE,
    site_url: str = SITE_URL,
    links: str = PUBLISHED,
    quote_screens: bool = False,
) -> str:
    """The tutorial in Markdown; image paths are relative to ``doc_dir``. ``links``: the public
    addresses as written (:data:`PUBLISHED`), or the mock's pages on ``site_url`` (:data:`LOCAL`).
    ``quote_screens``: keep the quoted screen text a figure shows (the QA proof view sets each
    term's proof under its quoted term); the published document shows the figure alone."""
    document = _Document(screenshots_dir, doc_dir, quote_screens)
    after_steps = 0  # the end of the last section that shows a figure: the step-by-step's end
    for _path, feature in read_features(features_dir):
        seen = len(document.figures_seen)
        document.add_feature(feature)
        if len(document.figures_seen) > seen:
            after_steps = len(document.blocks)
    if (doc_dir / WALKTHROUGH).is_file():
        document.blocks[after_steps:after_steps] = walkthrough_blocks(doc_dir)
    text = screen_values("\n\n".join([GENERATED_NOTE, f"# {title}", *document.blocks]) + "\n")
    return localise_links(text, site_url) if links == LOCAL else resolve_site_links(text, site_url)


def walkthrough_blocks(doc_dir: Path) -> list[str]:
    """The animation, its caption and, where the file is there, the video with its captions track."""
    blocks = [f"![{WALKTHROUGH_ALT}]({WALKTHROUGH})", WALKTHROUGH_CAPTION]
    if (doc_dir / WALKTHROUGH_VIDEO).is_file():
        width, height = (round(side * FIGURE_SCALE) for side in WALKTHROUGH_SIZE)
        blocks.append(WALKTHROUGH_VIDEO_BLOCK.format(width=width, height=height))
    return blocks


class _LocalImages(Treeprocessor):
    """A pass over the document's images whose files lie beside it (``src`` relative to ``doc_dir``)."""

    def __init__(self, md: markdown.Markdown, doc_dir: Path) -> None:
        super().__init__(md)
        self.doc_dir = doc_dir

    def local_images(self, root: Any) -> Iterator[tuple[Any, Path]]:
        for image in root.iter("img"):
            # normpath: "docs/../screenshots" must resolve even before docs/ exists.
            path = Path(os.path.normpath(self.doc_dir / image.get("src", "")))
            if path.is_file():
                yield image, path


class _EmbedImages(_LocalImages):
    """Replace local image paths by ``data:`` URIs so the HTML opens from anywhere."""

    def run(self, root):
        for image, path in self.local_images(root):
            mime = "image/gif" if path.suffix == ".gif" else "image/png"
            image.set("src", f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii"))


class _SizeImages(_LocalImages):
    """Give every local image its width and height at :data:`FIGURE_SCALE` of its pixels, so the
    page reserves its place and the interface text is the same size in every figure."""

    def run(self, root):
        for image, path in self.local_images(root):
            try:
                with Image.open(path) as picture:
                    width, height = picture.size
            except OSError:  # not a picture Pillow reads: left to the browser
                continue
            image.set("width", str(round(width * FIGURE_SCALE)))
            image.set("height", str(round(height * FIGURE_SCALE)))


class _SizeImagesExtension(Extension):
    def __init__(self, doc_dir: Path) -> None:
        super().__init__()
        self.doc_dir = doc_dir

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_SizeImages(md, self.doc_dir), "size_images", 1)


class _EmbedImagesExtension(Extension):
    def __init__(self, doc_dir: Path) -> None:
        super().__init__()
        self.doc_dir = doc_dir

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_EmbedImages(md, self.doc_dir), "embed_images", 0)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 62rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
h1, h2 { color: #b3001b; }
img, video { display: block; max-width: 100%; height: auto; margin: 1rem auto .3rem; border: 1px solid #ccc; }
p:has(> img) + p > em:only-child { display: block; text-align: center; font-size: .9rem; color: #555; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid #ccc; background: #f7f7f7; color: #444; }
"""


def build_html(markdown_text: str, doc_dir: Path, title: str, single_file: bool = True) -> str:
    """The page, with inline CSS; ``single_file``: figures embedded as data URIs, else linked as
    the Markdown links them (files beside the page)."""
    extensions: list = ["tables", _SizeImagesExtension(doc_dir)] + (
        [_EmbedImagesExtension(doc_dir)] if single_file else []
    )
    body = markdown.markdown(markdown_text, extensions=extensions)
    return (
        f'<!doctype html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


_LOCAL_FIGURE = re.compile(r"(!\[[^\]]*\]\()([^)\s:]+\.png)\)")


def figures_beside(text: str, doc_dir: Path) -> str:
    """Copy every figure the Markdown shows into ``doc_dir/figuras/`` (the folder a publisher ships
    with the page) and link it there; figures no longer shown leave the folder."""
    folder = doc_dir / FIGURES_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    kept: set[str] = set()

    def move(match: re.Match) -> str:
        source = Path(os.path.normpath(doc_dir / match[2]))
        if not source.is_file():
            return match[0]
        target = folder / source.name
        if not target.is_file() or target.read_bytes() != source.read_bytes():
            shutil.copyfile(source, target)
        kept.add(source.name)
        return f"{match[1]}{FIGURES_FOLDER}/{source.name})"

    text = _LOCAL_FIGURE.sub(move, text)
    for stale in folder.glob("*.png"):
        if stale.name not in kept:
            stale.unlink()
    return text


def write_tutorial(
    features_dir: Path,
    screenshots_dir: Path,
    doc_dir: Path,
    site_url: str = SITE_URL,
    single_file: bool = False,
    links: str = PUBLISHED,
) -> tuple[Path, Path]:
    """Write ``doc_dir/tutorial.md`` and ``doc_dir/tutorial.html`` (its figures in
    ``doc_dir/figuras/``, or inside the page with ``single_file``); return both paths."""
    doc_dir.mkdir(parents=True, exist_ok=True)
    text = build_markdown(features_dir, screenshots_dir, doc_dir, site_url=site_url, links=links)
    if not single_file:
        text = figures_beside(text, doc_dir)
    markdown_path, html_path = doc_dir / "tutorial.md", doc_dir / "tutorial.html"
    markdown_path.write_text(text, encoding="utf-8")
    html_path.write_text(build_html(text, doc_dir, DOCUMENT_TITLE, single_file=single_file), encoding="utf-8")
    return markdown_path, html_path


def write_proof_view(
    features_dir: Path, screenshots_dir: Path, out_dir: Path, transform: Callable[[str], str], site_url: str = SITE_URL
) -> tuple[Path, Path]:
    """The tutorial with ``transform`` applied to its Markdown (the terms' proof, see
    ``tutorial.documento.proof``), written to ``out_dir`` (``reports/``), never to ``docs/``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = transform(
        build_markdown(features_dir, screenshots_dir, out_dir, site_url=site_url, links=LOCAL, quote_screens=True)
    )
    markdown_path, html_path = out_dir / "tutorial.md", out_dir / "tutorial.html"
    markdown_path.write_text(text, encoding="utf-8")
    html_path.write_text(build_html(text, out_dir, f"{DOCUMENT_TITLE}: prueba de los términos"), encoding="utf-8")
    return markdown_path, html_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="tutorial documento",
        description="Reconstruye el tutorial (Markdown y HTML) a partir de las características y las figuras.",
    )
    parser.add_argument(
        "--features", type=Path, default=Path("features"), help="carpeta de los .feature (por omisión: features)"
    )
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=Path("screenshots"),
        help="carpeta de las figuras (por omisión: screenshots)",
    )
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="carpeta de salida (por omisión: docs)")
    parser.add_argument(
        "--direccion-del-sitio",
        default=SITE_URL,
        help=f"dirección del mock para los enlaces de la vista local (por omisión: {SITE_URL}, la de make sitio)",
    )
    parser.add_argument(
        "--enlaces",
        choices=(PUBLISHED, LOCAL),
        default=PUBLISHED,
        help="publicos: las direcciones del sitio real, como se publica (por omisión); "
        "locales: las páginas del sitio de prueba en --direccion-del-sitio",
    )
    parser.add_argument(
        "--un-solo-archivo",
        action="store_true",
        help=f"las figuras dentro de tutorial.html (por omisión: archivos en {FIGURES_FOLDER}/, junto a la página)",
    )
    args = parser.parse_args(argv)
    written = write_tutorial(
        args.features, args.screenshots, args.docs, args.direccion_del_sitio, args.un_solo_archivo, args.enlaces
    )
    for path in written:
        print(f"Escrito {path}")


if __name__ == "__main__":
    main()
