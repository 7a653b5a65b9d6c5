"""Build the tutorial document (``docs/tutorial.md`` and ``docs/tutorial.html``) from the features.

The features are the tutorial: read in file-name order, each Característica adds its
description as prose, each Escenario or Regla adds its description, and each step
``se captura la Figura N "Pie"`` places ``screenshots/figura-NN.png`` with the caption
``Figura N Pie``. Only a Característica named with the tutorial's section number ("1 Ingresa a
la cuenta Aspel") opens a heading; the others keep a name for reports and continue the section,
as the tutorial's text does. Anything tagged ``@no-doc`` is left out.

Description lines that start with ``>`` are the words the original shows inside a figure (the
grid of Figura 4, the dialog of Figura 5): consecutive ones make one quote, a paragraph per line.

Links: a description writes a link to a page of the mock by its path, ``[Tutoriales](/tutoriales/)``;
the document resolves it against the mock's address, ``http://127.0.0.1:5000`` by default (where
``make serve`` listens), or ``--site-url``. Links to other sites are left as written.

:func:`first_difference` compares the document with the original tutorial kept in
``docs/original.md``, paragraph by paragraph (see :func:`paragraphs`).
"""

from __future__ import annotations

import argparse
import base64
import difflib
import html
import os
import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from steps.support.annotations import ARROW, BADGE, BLUR, BOX, NOTE, AnnotationError, parse_tail
from steps.support.feature_reader import FIGURE_STEP, read_features
from steps.support.figures import figure_name

DOCUMENT_TITLE = "Solicita tu número de serie desde aspel.com"
WALKTHROUGH = "recorrido.gif"  # written by steps/support/walkthrough.py (make figures)
WALKTHROUGH_ALT = (
    "Recorrido animado del tutorial: de aspel.com.mx a Mi cuenta Aspel, Mis servicios > Suscripciones, "
    "Actualiza la serie y los términos, el nuevo número de serie, el correo de la actualización, "
    "el centro de descargas y Aspel-AL > Otros sistemas; el puntero marca cada clic"
)
MISSING_FIGURE_NOTE = "(figura pendiente: ejecuta make figures)"
NO_DOC_TAG = "@no-doc"
SECTION_NAME = re.compile(r"\d+ \S")  # "1 Ingresa a la cuenta Aspel"
SITE_URL = "http://127.0.0.1:5000"  # make serve's address
SITE_LINK = re.compile(r"\]\((/[^)\s]*)\)")  # ](/path): a link to a page of the mock


def _paragraphs(description: str) -> list[str]:
    """Each non-blank description line is a paragraph of its own; consecutive ``>`` lines (the
    text inside a figure) are one quote with a paragraph per line."""
    blocks: list[str] = []
    quote: list[str] = []
    for line in textwrap.dedent(description).splitlines():
        line = line.strip()
        if line.startswith(">"):
            quote.append("> " + line[1:].strip())
            continue
        if quote and line:
            blocks.append("\n>\n".join(quote))
            quote = []
        if line:
            blocks.append(line)
    if quote:
        blocks.append("\n>\n".join(quote))
    return blocks


def resolve_site_links(text: str, site_url: str = SITE_URL) -> str:
    """``[x](/path)`` → ``[x](http://127.0.0.1:5000/path)``; other links stay as written."""
    return SITE_LINK.sub(lambda match: f"]({site_url.rstrip('/')}{match[1]})", text)


class _Document:
    """Markdown blocks accumulated while walking the features in order."""

    def __init__(self, screenshots_dir: Path, doc_dir: Path) -> None:
        self.screenshots_dir = screenshots_dir
        self.doc_dir = doc_dir
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
        self.blocks += _paragraphs(scenario["description"])
        done: list[str] = []
        for step in scenario["steps"]:
            match = FIGURE_STEP.match(step["text"])
            if match:
                number, caption = int(match["number"]), match["caption"]
                self.add_figure(number, caption, figure_alt(number, caption, match["tail"], done))
            else:
                done.append(step["text"])

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


_ALT_MARKS = {
    BOX: "se resalta «{target}»",
    BADGE: "el número {number} señala «{target}»",
    ARROW: "una flecha apunta a «{target}»",
    NOTE: "la nota «{text}» acompaña a «{target}»",
    BLUR: "el dato «{target}» aparece difuminado",
}


def figure_alt(number: int, caption: str, tail: str, steps_before: list[str]) -> str:
    """What a figure shows, for its alt text: the caption, the screen the scenario reached (its
    last step before the capture) and what the marks point at, from the figure step itself."""
    try:
        marks = parse_tail(tail)
    except AnnotationError:
        marks = []
    said = [_ALT_MARKS[m.kind].format(**vars(m)) for m in marks if m.kind in _ALT_MARKS]
    text = f"Figura {number} {caption}: captura de pantalla"
    if steps_before:
        text += f" después de «{steps_before[-1]}»"
    if said:
        text += "; " + "; ".join(said)
    return text.replace("[", "(").replace("]", ")") + "."


def _is_no_doc(node: dict) -> bool:
    return any(tag["name"] == NO_DOC_TAG for tag in node["tags"])


def build_markdown(
    features_dir: Path, screenshots_dir: Path, doc_dir: Path, title: str = DOCUMENT_TITLE, site_url: str = SITE_URL
) -> str:
    """The tutorial in Markdown; image paths are relative to ``doc_dir``, links to the mock's
    pages absolute on ``site_url``."""
    document = _Document(screenshots_dir, doc_dir)
    for index, (_path, feature) in enumerate(read_features(features_dir)):
        document.add_feature(feature)
        if index == 0 and (doc_dir / WALKTHROUGH).is_file():  # after the introduction
            document.blocks.append(f"![{WALKTHROUGH_ALT}]({WALKTHROUGH})")
    return resolve_site_links("\n\n".join([f"# {title}", *document.blocks]) + "\n", site_url)


# --- the document against the original ----------------------------------------------------------

_FIGURE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_ICON = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def paragraphs(markdown_text: str) -> list[str]:
    """The paragraphs a reader reads, in order, as compared with the original.

    Blank lines part paragraphs (inside a quote too); a heading's ``#``, a list item's ``-`` and a
    quote's ``>`` are layout, not words; runs of spaces and tabs are one space. A figure's image
    alone in its paragraph is the figure, not text (its caption is a paragraph, its italics are
    layout too); an HTML comment is a note to editors. An icon inside
    a sentence, ``![Actualiza la serie](icono)`` in the original, reads as its name in bold, as
    the document says it. A link keeps its text in brackets, ``[Tutoriales]``: its target differs
    (the original's site, the mock) but whether the words are a link does not.
    """
    found: list[str] = []
    lines = []
    for line in re.sub(r"<!--.*?-->", "", markdown_text, flags=re.S).splitlines():
        line = re.sub(r"^\s*>\s?", "", line)
        lines.append(line)
    for block in re.split(r"\n\s*\n", "\n".join(lines)):
        block = block.strip()
        if not block or _FIGURE_IMAGE.fullmatch(block):
            continue
        block = re.sub(r"^#+\s+", "", block)
        block = re.sub(r"^\*([^*\s].*[^*\s])\*$", r"\1", block, flags=re.S)  # a caption's italics
        block = re.sub(r"^[-*]\s+", "", block)
        block = _ICON.sub(r"**\1**", block)
        block = _LINK.sub(r"[\1]", block)
        found.append(" ".join(block.split()))
    return found


def first_difference(document: str, original: str) -> str | None:
    """``None`` when the document holds the original's paragraphs, in order and word for word;
    otherwise a sentence naming the first paragraph of the original that is missing or changed
    (or the first paragraph the document adds)."""
    ours, theirs = paragraphs(document), paragraphs(original)
    matcher = difflib.SequenceMatcher(a=theirs, b=ours, autojunk=False)
    for tag, i1, _i2, j1, _j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            return f"Falta el párrafo {i1 + 1} del original: «{theirs[i1]}»"
        if tag == "replace":
            return f"Cambió el párrafo {i1 + 1} del original: «{theirs[i1]}»; el documento dice: «{ours[j1]}»"
        return f"El documento agrega un párrafo que el original no tiene, antes del párrafo {i1 + 1}: «{ours[j1]}»"
    return None


class _EmbedImages(Treeprocessor):
    """Replace local image paths by ``data:`` URIs so the HTML opens from anywhere."""

    def __init__(self, md: markdown.Markdown, doc_dir: Path) -> None:
        super().__init__(md)
        self.doc_dir = doc_dir

    def run(self, root):
        for image in root.iter("img"):
            # normpath: "docs/../screenshots" must resolve even before docs/ exists.
            path = Path(os.path.normpath(self.doc_dir / image.get("src", "")))
            if path.is_file():
                mime = "image/gif" if path.suffix == ".gif" else "image/png"
                image.set("src", f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii"))


class _EmbedImagesExtension(Extension):
    def __init__(self, doc_dir: Path) -> None:
        super().__init__()
        self.doc_dir = doc_dir

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_EmbedImages(md, self.doc_dir), "embed_images", 0)


_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.5; color: #222; }
h1, h2 { color: #b3001b; }
img { display: block; max-width: 100%; margin: 1rem auto .3rem; border: 1px solid #ccc; }
p:has(> img) + p > em:only-child { display: block; text-align: center; font-size: .9rem; color: #555; }
blockquote { margin: 1rem 0; padding: .2rem 1rem; border-left: 4px solid #ccc; background: #f7f7f7; color: #444; }
"""


def build_html(markdown_text: str, doc_dir: Path, title: str) -> str:
    """A self-contained page: figures embedded as data URIs, inline CSS."""
    body = markdown.markdown(markdown_text, extensions=[_EmbedImagesExtension(doc_dir)])
    return (
        f'<!doctype html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write_tutorial(
    features_dir: Path, screenshots_dir: Path, doc_dir: Path, site_url: str = SITE_URL
) -> tuple[Path, Path]:
    """Write ``doc_dir/tutorial.md`` and ``doc_dir/tutorial.html``; return both paths."""
    doc_dir.mkdir(parents=True, exist_ok=True)
    text = build_markdown(features_dir, screenshots_dir, doc_dir, site_url=site_url)
    markdown_path, html_path = doc_dir / "tutorial.md", doc_dir / "tutorial.html"
    markdown_path.write_text(text, encoding="utf-8")
    html_path.write_text(build_html(text, doc_dir, DOCUMENT_TITLE), encoding="utf-8")
    return markdown_path, html_path


def write_proof_view(
    features_dir: Path, screenshots_dir: Path, out_dir: Path, transform: Callable[[str], str], site_url: str = SITE_URL
) -> tuple[Path, Path]:
    """The tutorial with ``transform`` applied to its Markdown (the terms' proof, see
    ``steps.support.proof``), written to ``out_dir`` (``reports/``), never to ``docs/``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    text = transform(build_markdown(features_dir, screenshots_dir, out_dir, site_url=site_url))
    markdown_path, html_path = out_dir / "tutorial.md", out_dir / "tutorial.html"
    markdown_path.write_text(text, encoding="utf-8")
    html_path.write_text(build_html(text, out_dir, f"{DOCUMENT_TITLE}: prueba de los términos"), encoding="utf-8")
    return markdown_path, html_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m steps.support.tutorial_doc",
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
        "--site-url",
        default=SITE_URL,
        help=f"dirección del mock a la que llevan los enlaces del documento (por omisión: {SITE_URL}, la de make serve)",
    )
    args = parser.parse_args(argv)
    for path in write_tutorial(args.features, args.screenshots, args.docs, args.site_url):
        print(f"Escrito {path}")


if __name__ == "__main__":
    main()
