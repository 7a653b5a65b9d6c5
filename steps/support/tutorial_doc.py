"""Build the tutorial document (``docs/tutorial.md`` and ``docs/tutorial.html``) from the features.

The features are the tutorial: read in file-name order, each Característica adds its
description as prose, each Escenario or Regla adds its description, and each step
``se captura la Figura N "Pie"`` places ``screenshots/figura-NN.png`` with the caption
``Figura N Pie``. Only a Característica named with the tutorial's section number ("1 Ingresa a
la cuenta Aspel") opens a heading; the others keep a name for reports and continue the section,
as the tutorial's text does. Anything tagged ``@no-doc`` is left out.
"""

from __future__ import annotations

import argparse
import base64
import html
import os
import re
import textwrap
from pathlib import Path

import markdown
from gherkin.parser import Parser
from gherkin.token_scanner import TokenScanner
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from steps.support.figures import figure_name

DOCUMENT_TITLE = "Solicita tu número de serie desde aspel.com"
FIGURE_STEP = re.compile(r'se captura la Figura (\d+) "([^"]+)"')
MISSING_FIGURE_NOTE = "(figura pendiente: ejecuta make figures)"
NO_DOC_TAG = "@no-doc"
SECTION_NAME = re.compile(r"\d+ \S")  # "1 Ingresa a la cuenta Aspel"


def _paragraphs(description: str) -> list[str]:
    """Each non-blank description line is a paragraph of its own."""
    return [line.strip() for line in textwrap.dedent(description).splitlines() if line.strip()]


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
        for step in scenario["steps"]:
            match = FIGURE_STEP.match(step["text"])
            if match:
                self.add_figure(int(match[1]), match[2])

    def add_figure(self, number: int, caption: str) -> None:
        if number in self.figures_seen:
            return
        self.figures_seen.add(number)
        image = self.screenshots_dir / f"{figure_name(number)}.png"
        label = f"Figura {number} {caption}"
        if image.exists():
            self.blocks.append(f"![{label}]({Path(os.path.relpath(image, self.doc_dir)).as_posix()})")
        else:
            self.blocks.append(f"**{MISSING_FIGURE_NOTE}**")
        self.blocks.append(f"*{label}*")


def _is_no_doc(node: dict) -> bool:
    return any(tag["name"] == NO_DOC_TAG for tag in node["tags"])


def build_markdown(features_dir: Path, screenshots_dir: Path, doc_dir: Path, title: str = DOCUMENT_TITLE) -> str:
    """The tutorial in Markdown; image paths are relative to ``doc_dir``."""
    document = _Document(screenshots_dir, doc_dir)
    parser = Parser()
    for path in sorted(features_dir.glob("*.feature")):
        document.add_feature(parser.parse(TokenScanner(path.read_text(encoding="utf-8")))["feature"])
    return "\n\n".join([f"# {title}", *document.blocks]) + "\n"


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
                image.set("src", "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii"))


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
"""


def build_html(markdown_text: str, doc_dir: Path, title: str) -> str:
    """A self-contained page: figures embedded as data URIs, inline CSS."""
    body = markdown.markdown(markdown_text, extensions=[_EmbedImagesExtension(doc_dir)])
    return (
        f'<!doctype html>\n<html lang="es">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def write_tutorial(features_dir: Path, screenshots_dir: Path, doc_dir: Path) -> tuple[Path, Path]:
    """Write ``doc_dir/tutorial.md`` and ``doc_dir/tutorial.html``; return both paths."""
    doc_dir.mkdir(parents=True, exist_ok=True)
    text = build_markdown(features_dir, screenshots_dir, doc_dir)
    markdown_path, html_path = doc_dir / "tutorial.md", doc_dir / "tutorial.html"
    markdown_path.write_text(text, encoding="utf-8")
    html_path.write_text(build_html(text, doc_dir, DOCUMENT_TITLE), encoding="utf-8")
    return markdown_path, html_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m steps.support.tutorial_doc",
        description="Reconstruye el tutorial (Markdown y HTML) a partir de las características y las figuras.",
    )
    parser.add_argument("--features", type=Path, default=Path("features"), help="carpeta de los .feature (por omisión: features)")
    parser.add_argument("--screenshots", type=Path, default=Path("screenshots"), help="carpeta de las figuras (por omisión: screenshots)")
    parser.add_argument("--docs", type=Path, default=Path("docs"), help="carpeta de salida (por omisión: docs)")
    args = parser.parse_args(argv)
    for path in write_tutorial(args.features, args.screenshots, args.docs):
        print(f"Escrito {path}")


if __name__ == "__main__":
    main()
