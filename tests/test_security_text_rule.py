"""The text rule (mock_site/domain/text.py) also refuses Unicode's default-
ignorable code points, unassigned code points and noncharacters, and the blank Braille pattern:
the probe stored each of these in ``razon_social_reportes`` and saw nothing printed."""

from __future__ import annotations

import pytest

from mock_site.domain.text import CONTROL_CHARACTERS, is_clean_text, is_refused, refused_character
from tests.flask_site import csrf_token

FEEDBACK = "/tutoriales/solicita-tu-numero-de-serie-desde-aspel-com/comentarios"
PROBED = {
    "CGJ U+034F": "\u034f",
    "relleno hangul U+3164": "\u3164",
    "relleno choseong U+115F": "\u115f",
    "braille en blanco U+2800": "\u2800",
    "selector de variante U+FE0F": "\ufe0f",
    "selector mongol U+180B": "\u180b",
    "vocal jemer U+17B4": "\u17b4",
    "sin asignar U+0378": "\u0378",
    "no carácter U+FFFF": "\uffff",
    "no carácter U+FDD0": "\ufdd0",
    "etiqueta U+E0041": "\U000e0041",
    "relleno de media anchura U+FFA0": "\uffa0",
}


@pytest.mark.parametrize("character", PROBED.values(), ids=PROBED.keys())
def test_invisible_unassigned_and_noncharacters_are_refused(character):
    text = f"Razón Social{character} SA de CV"
    assert refused_character(text) == character
    assert refused_character(text, multiline=True) == character


@pytest.mark.parametrize(
    "text",
    [
        "Ñandú Distribuidora, S.A. de C.V.",
        "Comercializadora «La Güera» & Hijos — 2022",
        "Café 😀 ☕ ü ç ß Ω 漢字 한국",  # letters of any script and emoji without a selector
    ],
)
def test_what_people_type_passes(text):
    assert is_clean_text(text)


def test_the_comment_box_keeps_its_line_breaks_and_tabs():
    assert is_clean_text("Primera línea\r\nsegunda\tcon tabulador\n", multiline=True)
    assert not is_clean_text("una\nlínea", multiline=False)


@pytest.mark.parametrize("character", PROBED.values(), ids=PROBED.keys())
def test_a_form_with_one_is_refused_in_spanish_and_nothing_is_stored(client, character):
    sent = client.post(FEEDBACK, data={"comentario": f"Hola{character}", "csrf_token": csrf_token(client, FEEDBACK)})
    assert sent.status_code == 400
    assert CONTROL_CHARACTERS in sent.get_data(as_text=True)
    assert client.get(FEEDBACK + "/gracias").status_code == 302  # nothing was sent


def _one_by_one(value: str, multiline: bool) -> str | None:
    """The rule as it reads: each character in turn, judged on its own."""
    return next((c for c in value if not (multiline and c in "\n\r\t") and is_refused(c)), None)


SAMPLES = [
    "".join(map(chr, range(128))),
    "Servicios Contables del Bajío, S.A. de C.V.\t\n",
    "SA de CV\u202e",
    "ñandú\u200bpájaro\u0000",
    "\u2800 vacío",
    "line\r\nbreak\u2028end",
    "emoji 🙂 y \ufe0f selector",
    "\U000e0001 etiqueta",
    "",
]


@pytest.mark.parametrize("multiline", [False, True])
def test_the_quick_reading_finds_what_the_rule_finds_character_by_character(multiline):
    """ASCII by one expression and other text by its distinct characters: the same first refused
    character as judging each in turn, for every ASCII character and the cases the rule names."""
    for value in SAMPLES + [chr(point) for point in range(0x300)] + [f"a{chr(point)}b" for point in range(0x300)]:
        assert refused_character(value, multiline) == _one_by_one(value, multiline), repr(value)
