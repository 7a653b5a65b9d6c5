"""The one rule every text field of the site follows: no control characters and no invisible
format characters (bidi overrides and isolates, zero-width spaces, the byte-order mark).

Such characters are never typed on purpose: NUL and ESC reach a terminal or a log as commands,
a right-to-left override makes ``SA de CV`` read backwards on a receipt, a zero-width space makes
two names that look the same differ. A multi-line field (a comment) may hold line breaks and tabs.
"""

from __future__ import annotations

import unicodedata

# Cc: C0/C1 controls (NUL, ESC, DEL...); Cf: format (U+202E RLO, U+2066 LRI, U+200B ZWSP,
# U+FEFF BOM, U+200E LRM...); Cs: lone surrogates; Co: private use; Zl/Zp: U+2028/U+2029.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
LINE_BREAKS = frozenset("\n\r\t")
CONTROL_CHARACTERS = (
    "El texto contiene caracteres de control o invisibles (como NUL, ESC, marcas de dirección del "
    "texto o espacios de ancho cero) que no se admiten. Escríbelo de nuevo sin ellos."
)


def refused_character(value: str, multiline: bool = False) -> str | None:
    """The first character of ``value`` the rule refuses, or None when the text is clean."""
    for character in value:
        if multiline and character in LINE_BREAKS:
            continue
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            return character
    return None


def is_clean_text(value: str, multiline: bool = False) -> bool:
    return refused_character(value, multiline) is None
