"""The one rule every text field of the site follows: no control characters, no invisible
characters (format characters such as bidi overrides and zero-width spaces, Unicode's default-
ignorable code points such as variation selectors and the Hangul fillers, the blank Braille
pattern), and no code point that is unassigned or a noncharacter.

Such characters are never typed on purpose: NUL and ESC reach a terminal or a log as commands,
a right-to-left override makes ``SA de CV`` read backwards on a receipt, a zero-width space makes
two names that look the same differ. A multi-line field (a comment) may hold line breaks and tabs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Cc: C0/C1 controls (NUL, ESC, DEL...); Cf: format (U+202E RLO, U+2066 LRI, U+200B ZWSP,
# U+FEFF BOM, U+200E LRM...); Cs: lone surrogates; Co: private use; Zl/Zp: U+2028/U+2029;
# Cn: unassigned code points and the 66 noncharacters (U+FFFF, U+FDD0...).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Cn"})
# Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt) outside the categories above:
# shown as nothing, yet stored (U+034F, U+115F, U+17B4, U+180B, U+3164, U+FE0F were, by the probe).
DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
BLANK_LOOKALIKES = frozenset("\u2800")  # BRAILLE PATTERN BLANK: a letter that prints as a space
LINE_BREAKS = frozenset("\n\r\t")
CONTROL_CHARACTERS = (
    "El texto contiene caracteres de control o invisibles (como NUL, ESC, marcas de dirección del "
    "texto o espacios de ancho cero) que no se admiten. Escríbelo de nuevo sin ellos."
)


# In ASCII the rule refuses only the C0 controls and DEL (Cc); a multi-line field keeps \t \n \r.
_ASCII_REFUSED = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_REFUSED_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refused_character(value: str, multiline: bool = False) -> str | None:
    """The first character of ``value`` the rule refuses, or None when the text is clean.

    Every request's every field passes here: ASCII text is read by one regular expression, other
    text by its distinct characters (each judged once, :func:`is_refused` remembers), not one
    Unicode look-up per character typed."""
    if value.isascii():
        found = (_ASCII_REFUSED_MULTILINE if multiline else _ASCII_REFUSED).search(value)
        return found.group() if found else None
    refused = {c for c in set(value) if not (multiline and c in LINE_BREAKS) and is_refused(c)}
    return next((character for character in value if character in refused), None) if refused else None


@lru_cache(maxsize=4096)
def is_refused(character: str) -> bool:
    """Whether the rule refuses ``character`` wherever it is typed."""
    if unicodedata.category(character) in REFUSED_CATEGORIES or character in BLANK_LOOKALIKES:
        return True
    point = ord(character)
    return any(low <= point <= high for low, high in DEFAULT_IGNORABLE)


def is_clean_text(value: str, multiline: bool = False) -> bool:
    return refused_character(value, multiline) is None
