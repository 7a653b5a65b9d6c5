"""The document against the original (``docs/original.md``): the paragraphs a reader reads, in
order and word for word (:func:`first_difference`). The tests hold the rebuilt and the committed
document to it."""

from __future__ import annotations

import difflib
import re

from tutorial.documento.tutorial_doc import WALKTHROUGH_CAPTION, screen_values


def _walkthrough_block(block: str) -> bool:
    """The caption and the video under the walkthrough: the document's, not the original's."""
    return block == WALKTHROUGH_CAPTION or block.startswith("<video ")


_FIGURE_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_ICON = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_CAPTION = re.compile(r"\*?Figura \d+ ")  # "Figura 4 Actualización…" (italic in the document)
_LINK_TARGET = re.compile(r"(?<!!)\[([^\]]*)\]\(([^)]*)\)")


def paragraphs(markdown_text: str) -> list[str]:
    """The paragraphs a reader reads, in order, as compared with the original.

    Blank lines part paragraphs (inside a quote too); a heading's ``#``, a list item's ``-`` and a
    quote's ``>`` are layout, not words; runs of spaces and tabs are one space. A figure's image
    alone in its paragraph is the figure, not text (its caption is a paragraph, its italics are
    layout too); neither is the line under the walkthrough that links its video, nor an HTML
    comment (a note to editors). An icon inside
    a sentence, ``![Actualiza la serie](icono)`` in the original, reads as its name in bold, as
    the document says it. A link keeps its text in brackets, ``[aspel.com]``: its target differs
    (the original's site, the mock) but whether the words are a link does not (except the words the
    original links to ``#``, see :func:`first_difference`). A table is a
    paragraph per row (its cells' words), as the original writes a grid: a line per row. A quote
    right before a figure (its caption or its image) is the text that figure shows: the figure
    stands for it, so it is not a paragraph (the document shows the figure alone).
    """
    found: list[str] = []
    blocks = _blocks(markdown_text)
    for index, (block, quoted) in enumerate(blocks):
        if not block or _FIGURE_IMAGE.fullmatch(block) or _walkthrough_block(block):
            continue
        if quoted and _figure_follows(blocks[index + 1 :]):
            continue
        rows = block.splitlines()
        if all(row.strip().startswith("|") for row in rows):  # a table: a paragraph per row, its cells' words
            for row in rows:
                cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
                if not all(re.fullmatch(r":?-+:?", cell) for cell in cells):
                    found.append(" ".join(" ".join(cells).split()))
            continue
        block = re.sub(r"^#+\s+", "", block)
        block = re.sub(r"^\*([^*\s].*[^*\s])\*$", r"\1", block, flags=re.S)  # a caption's italics
        block = re.sub(r"^[-*]\s+", "", block)
        block = _ICON.sub(r"**\1**", block)
        block = _LINK.sub(r"[\1]", block)
        found.append(" ".join(block.split()))
    return found


def _blocks(markdown_text: str) -> list[tuple[str, bool]]:
    """The text's blocks (parted by blank lines, inside a quote too), each with whether it is quoted."""
    blocks: list[tuple[str, bool]] = []
    lines: list[str] = []
    quoted = True
    for line in [*re.sub(r"<!--.*?-->", "", markdown_text, flags=re.S).splitlines(), ""]:
        text = re.sub(r"^\s*>\s?", "", line)
        if text.strip():
            lines.append(text)
            quoted = quoted and line.lstrip().startswith(">")
        elif lines:
            blocks.append(("\n".join(lines).strip(), quoted))
            lines, quoted = [], True
    return blocks


def _figure_follows(rest: list[tuple[str, bool]]) -> bool:
    """Whether the quote ends right before a figure: its image or its caption, past the quote's
    other paragraphs."""
    for block, quoted in rest:
        if quoted:
            continue
        return bool(_FIGURE_IMAGE.fullmatch(block) or _CAPTION.match(block))
    return False


def _links_to_nothing(original: str) -> set[str]:
    """The words the original links to ``#``: it gives them no address, so the document may link
    them to a page it can name or leave them plain (docs/guia/documento.md)."""
    return {label for label, target in _LINK_TARGET.findall(original) if target == "#"}


def _unbracket(paragraph: str, labels: set[str]) -> str:
    for label in labels:
        paragraph = paragraph.replace(f"[{label}]", label)
    return paragraph


def first_difference(document: str, original: str) -> str | None:
    """``None`` when the document holds the original's paragraphs, in order and word for word;
    otherwise a sentence naming the first paragraph of the original that is missing or changed
    (or the first paragraph the document adds)."""
    unlinked = _links_to_nothing(original)
    ours = [_unbracket(screen_values(p), unlinked) for p in paragraphs(document)]
    theirs = [_unbracket(screen_values(p), unlinked) for p in paragraphs(original)]
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
