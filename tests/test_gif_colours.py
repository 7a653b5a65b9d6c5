"""The walkthrough's GIF in true colours: every frame, decoded, within the measured error of its
picture, and no pixel that is not a callout shown in a callout's colour (issue 36, point 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tutorial.documento import gif_encoding as g
from tutorial.documento import walkthrough as w
from tutorial.documento.walkthrough import Frame

ROOT = Path(__file__).resolve().parents[1]
FOLDER_YELLOW = (250, 178, 44)  # Aspel-AL's folders: a shared palette made them the callouts' orange
INICIO_GREEN = (47, 116, 57)  # the desktop's Inicio button: a shared palette made it grey


@pytest.fixture(scope="module")
def figure_pictures() -> list[tuple[Image.Image, int]]:
    """The nine committed figures as the walkthrough shows them (over a white screen, the caption
    band under it): the site's reds and greys, the desktop's gradients, the callouts. Drawn once for
    the module: its tests only read them."""
    pictures = []
    previous = Image.new("RGB", w.SIZE, (255, 255, 255))
    for path in sorted((ROOT / "screenshots").glob("figura-*.png")):
        frame = Frame(int(path.stem.split("-")[1]), 1, False, "a) Una frase del tutorial.", "", figure_image=path.name)
        base = w.frame_base(frame, ROOT / "screenshots", ROOT / "screenshots", previous)
        pictures.append((w._with(base, frame, None, None), w.FIGURE_MS))
    return pictures


def _near_callouts() -> Image.Image:
    """Colours a palette would merge into the callouts': a yellow folder beside an orange box,
    a green button, a red gradient like Aspel-AL's header."""
    image = Image.new("RGB", (w.SIZE[0], w.SIZE[1] + w.BAND_HEIGHT), (246, 246, 246))
    draw = ImageDraw.Draw(image)
    for x in range(1280):
        draw.line((x, 0, x, 60), fill=(150 + x * 80 // 1280, 10 + x * 30 // 1280, 30))
    draw.rectangle((100, 100, 300, 180), fill=FOLDER_YELLOW)
    draw.rectangle((320, 100, 520, 180), outline=g.CALLOUT_COLOURS[0], width=3)
    draw.rectangle((600, 100, 700, 140), fill=INICIO_GREEN)
    draw.ellipse((720, 100, 746, 126), fill=g.CALLOUT_COLOURS[1])
    return image


def _assert_true_colours(pictures: list[tuple[Image.Image, int]]) -> None:
    decoded = g.decoded_frames(g.encode_gif(pictures))
    assert len(decoded) == len(pictures)
    for position, ((picture, _ms), (shown, _shown_ms)) in enumerate(zip(pictures, decoded, strict=True)):
        error = g.colour_error(picture, shown)
        assert error.off_share <= g.MAX_OFF_SHARE, f"cuadro {position}: {error.off_share:.2%} de píxeles fuera de color"
        assert error.false_callouts == 0, f"cuadro {position}: {error.false_callouts} píxeles con color de marca"


def test_every_frame_of_the_figures_keeps_its_colours(figure_pictures: list[tuple[Image.Image, int]]) -> None:
    _assert_true_colours(figure_pictures)


def test_colours_near_the_callouts_keep_their_own(figure_pictures: list[tuple[Image.Image, int]]) -> None:
    picture = _near_callouts()
    pictures = [(picture, w.STEP_MS), *figure_pictures[7:]]  # with the desktop's figures: one palette may not do
    _assert_true_colours(pictures)
    shown = g.decoded_frames(g.encode_gif(pictures))[0][0]
    assert shown.getpixel((200, 140)) not in g.CALLOUT_COLOURS
    assert shown.getpixel((321, 140)) == g.CALLOUT_COLOURS[0] and shown.getpixel((733, 113)) == g.CALLOUT_COLOURS[1]
    assert max(abs(a - b) for a, b in zip(shown.getpixel((650, 120)), INICIO_GREEN, strict=True)) <= g.CHANNEL_TOLERANCE


def test_the_measure_sees_a_shared_palette_s_mistakes() -> None:
    """The guard can fail: a palette without the yellow maps the folder onto the orange."""
    picture = _near_callouts()
    wrong = picture.quantize(palette=_palette([g.CALLOUT_COLOURS[0], (246, 246, 246), (200, 20, 30)]), dither=0)
    error = g.colour_error(picture, wrong.convert("RGB"))
    assert error.false_callouts >= 200 * 80 and error.off_share > g.MAX_OFF_SHARE


def _palette(colours: list[tuple[int, int, int]]) -> Image.Image:
    palette = Image.new("P", (1, 1))
    entries = colours + [colours[0]] * (256 - len(colours))
    palette.putpalette([value for colour in entries for value in colour])
    return palette


def test_a_scene_shares_one_palette_and_a_new_scene_gets_its_own(
    figure_pictures: list[tuple[Image.Image, int]],
) -> None:
    """Frames that the palette before shows well keep it (a smaller GIF); a desktop after the site does not."""
    pictures = figure_pictures
    indexed = g.indexed_frames([pictures[0], pictures[0], pictures[8]])
    assert indexed[0].getpalette() == indexed[1].getpalette() != indexed[2].getpalette()


def test_the_committed_walkthrough_is_reasonably_small() -> None:
    assert (ROOT / "docs" / w.GIF_NAME).stat().st_size < 2 * 1024 * 1024


def test_a_pixel_is_off_when_one_channel_is_past_the_tolerance() -> None:
    """Off on red, on green or on blue alone counts; every channel at the tolerance does not."""
    picture = Image.new("RGB", (10, 10), (100, 100, 100))
    shown = picture.copy()
    past, at = 100 + g.CHANNEL_TOLERANCE + 1, 100 + g.CHANNEL_TOLERANCE
    for x, colour in enumerate([(past, 100, 100), (100, 200 - past, 100), (100, 100, past), (at, 200 - at, at)]):
        shown.putpixel((x, 0), colour)
    assert g.off_share(picture, shown) == g.colour_error(picture, shown).off_share == 3 / 100


def test_a_colour_mask_takes_exactly_its_colour_even_where_colours_share_a_channel() -> None:
    """The masks that give callouts their entries and count false ones: every pixel of the colour,
    none of a colour one level off or made of two colours' channels."""
    colours = [(245, 166, 35), (245, 32, 35), (179, 166, 27), (0, 0, 0)]  # reds, greens and blues shared
    candidates = [*colours, (244, 166, 35), (245, 166, 27), (179, 32, 35), (245, 32, 36), (0, 0, 1), (255, 255, 255)]
    image = Image.new("RGB", (len(candidates), 3))
    image.putdata([candidates[(x + y) % len(candidates)] for y in range(3) for x in range(len(candidates))])
    masks = g._exact_masks(image, colours)
    for colour, mask in zip(colours, masks, strict=True):
        expected = [255 if pixel == colour else 0 for pixel in image.get_flattened_data()]
        assert list(mask.get_flattened_data()) == expected, colour
    with pytest.raises(ValueError, match="a lo sumo 4 colores"):
        g._exact_masks(image, [*colours, (1, 2, 3)])
