"""Where the marks of a figure go, measured: the placement rule (tutorial/figuras/annotations.py)
on every committed figure, against the boxes of its page's texts and controls as the DOM gave
them when the figure was shot (``screenshots/figura-NN.marcas.json``), and on made-up scenes
that break it one way at a time."""

import json
from pathlib import Path

import pytest
from PIL import Image

from tutorial.documento.feature_reader import figure_steps
from tutorial.figuras import annotations as an
from tutorial.figuras.annotations import Annotation, AnnotationError, Rect, Scene, Shape, check_placement, layout_in
from tutorial.figuras.camera import placement_path
from tutorial.figuras.comparison import figure_name

ROOT = Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
DRAWN_FIGURES = sorted(
    {
        step.number
        for step in figure_steps(ROOT / "features")
        if any(a.kind in an.DRAWN for a in an.parse_tail(step.tail))
    }
)


def _record(number: int) -> dict:
    path = placement_path(SCREENSHOTS / f"{figure_name(number)}.png")
    assert path.is_file(), f"{path.name} falta: `make figuras` lo escribe junto a la figura"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("number", DRAWN_FIGURES)
def test_every_mark_of_every_committed_figure_keeps_the_rule(number):
    scene, shapes = an.read_record(_record(number))
    assert shapes, f"la Figura {number} declara marcas y su registro no tiene ninguna"
    broken = check_placement(scene, shapes)
    assert not broken, f"Figura {number}: " + "; ".join(broken)


@pytest.mark.parametrize("number", DRAWN_FIGURES)
def test_the_record_is_the_committed_figure(number):
    """The record's frame is the PNG's size: record and figure come from the same shot."""
    frame = Rect(*_record(number)["encuadre"])
    with Image.open(SCREENSHOTS / f"{figure_name(number)}.png") as image:
        assert (round(frame.width), round(frame.height)) == image.size


def test_each_target_of_a_figure_has_one_mark():
    """One callout per target: a box, a number, an arrow or a note, never two on one control
    (Figura 4 had a box and a number on *Actualiza la serie*)."""
    for number in DRAWN_FIGURES:
        targets = [m["objetivo"] for m in _record(number)["marcas"] if m["tipo"] in an.DRAWN]
        assert len(targets) == len(set(targets)), f"Figura {number}: dos marcas en un control: {targets}"


# --- the rule on made-up scenes ----------------------------------------------------------------

FRAME = Rect(0, 0, 800, 400)
BUTTON = Rect(400, 200, 100, 40)


def _scene(content=(), frame=FRAME, windows=None, clickable=("Aceptar",), targets=None) -> Scene:
    return Scene(frame, targets or {"Aceptar": BUTTON}, tuple(content), windows or {}, frozenset(clickable))


def _badge(side: str, target: Rect = BUTTON, name: str = "Aceptar") -> Shape:
    return Shape(an.BADGE, an.badge_rect(target, side), target, "1", name=name)


def _box(target: Rect = BUTTON, name: str = "Aceptar") -> Shape:
    return Shape(an.BOX, an.box_rect(target, FRAME), target, name=name)


def test_a_free_left_side_is_where_the_badge_goes():
    scene = _scene()
    shapes = layout_in([Annotation(an.BADGE, "Aceptar", 1)], scene)
    assert shapes[0].rect == an.badge_rect(BUTTON, "izquierda")
    assert check_placement(scene, shapes) == []


def test_a_badge_on_another_control_breaks_the_rule():
    """Figura 5 as it was: badge 1 on Cancelar's corner, left of Aceptar."""
    cancel = Rect(BUTTON.x - 120, BUTTON.y, 110, 40)
    scene = _scene([cancel])
    broken = check_placement(scene, [_badge("izquierda")])
    assert any("toca otro control" in b for b in broken), broken
    shapes = layout_in([Annotation(an.BADGE, "Aceptar", 1)], scene)
    assert shapes[0].rect != an.badge_rect(BUTTON, "izquierda") and check_placement(scene, shapes) == []


def test_a_badge_on_another_side_than_a_free_left_breaks_the_rule():
    """Figura 2 as it was: one badge at its target's top-right, the other at its top-left."""
    broken = check_placement(_scene(), [_badge("derecha")])
    assert any("va a la derecha de «Aceptar» pudiendo ir a la izquierda" in b for b in broken), broken


def test_a_badge_on_its_own_target_breaks_the_rule():
    on_top = Shape(an.BADGE, Rect(BUTTON.x + 10, BUTTON.y + 5, 26, 26), BUTTON, "1", name="Aceptar")
    broken = check_placement(_scene(), [on_top])
    assert any("tapa su propio elemento" in b for b in broken), broken


def test_two_marks_on_one_target_break_the_rule():
    """Figura 5 as it was: a box and the number 1 on Aceptar."""
    broken = check_placement(_scene(), [_box(), _badge("izquierda")])
    assert any("«Aceptar» lleva 2 marcas (recuadro, número): una sola por control" in b for b in broken), broken


def test_an_arrow_across_text_breaks_the_rule():
    """Figura 8 as it was: the arrow ran over «Documentos»."""
    text = Rect(520, 210, 90, 18)
    arrow = Shape(an.ARROW, Rect(510, 215, 80, 10), BUTTON, "", ((590, 220), (512, 220)), "Aceptar")
    broken = check_placement(_scene([text]), [arrow])
    assert any("cruza un texto" in b for b in broken), broken
    shapes = layout_in([Annotation(an.ARROW, "Aceptar")], _scene([text]))
    assert check_placement(_scene([text]), shapes) == []


def test_a_box_pulled_inside_its_window_and_marks_kept_in_it():
    """Figura 9 as it was: the box on «Otros sistemas» stuck out of the window's left edge."""
    window = Rect(BUTTON.x, 100, 300, 250)
    scene = _scene(windows={"Aceptar": window})
    for kind, number in ((an.BOX, None), (an.BADGE, 1)):
        shapes = layout_in([Annotation(kind, "Aceptar", number)], scene)
        assert shapes[0].rect.inside(window) and check_placement(scene, shapes) == []
    outside = Shape(an.BOX, BUTTON.grown(an.BOX_PADDING), BUTTON, name="Aceptar")
    assert any("sale de la ventana" in b for b in check_placement(scene, [outside]))


def test_a_mark_out_of_the_frame_breaks_the_rule():
    """Figura 3 as it was: the box on «Suscripciones» cut at the image's edge."""
    at_edge = Rect(0, 100, 200, 30)
    scene = _scene(targets={"Suscripciones": at_edge}, clickable=())
    (box,) = layout_in([Annotation(an.BOX, "Suscripciones")], scene)
    assert box.rect.inside(FRAME) and check_placement(scene, [box]) == []
    cut = Shape(an.BOX, at_edge.grown(an.BOX_PADDING), at_edge, name="Suscripciones")
    assert any("sale del encuadre" in b for b in check_placement(scene, [cut]))


def test_no_place_left_says_so():
    """Text all around the button: no side is free, and the figure fails naming why."""
    crowded = [Rect(0, 0, 800, BUTTON.y - 2), Rect(0, BUTTON.bottom + 2, 800, 200), Rect(0, 0, BUTTON.x - 2, 400)]
    crowded.append(Rect(BUTTON.right + 2, 0, 300, 400))
    with pytest.raises(AnnotationError, match="No hay lugar para la marca de «Aceptar»"):
        layout_in([Annotation(an.BADGE, "Aceptar", 1)], _scene(crowded))


def test_the_record_reads_back_to_the_same_scene():
    targets = {"Aceptar": BUTTON, "Cancelar": Rect(BUTTON.x - 150, BUTTON.y, 110, 40)}
    scene = _scene([Rect(10, 10, 50, 20)], windows={"Aceptar": Rect(200, 150, 500, 200)}, targets=targets)
    shapes = layout_in([Annotation(an.BOX, "Aceptar"), Annotation(an.BADGE, "Cancelar", 1)], scene)
    again, shapes_again = an.read_record(json.loads(json.dumps(an.scene_record(scene, shapes))))
    assert check_placement(again, shapes_again) == []
    assert [s.rect for s in shapes_again] == [Rect(*[round(v, 1) for v in vars(s.rect).values()]) for s in shapes]


@pytest.mark.parametrize("number", DRAWN_FIGURES)
def test_nothing_is_drawn_past_an_arrow_s_tip(number):
    """The shaft stops inside the head: its round cap once stuck out past Figura 7's tip as a
    stray red ring. Past the tip, along the arrow, the picture is the page's own."""
    record = _record(number)
    arrows = [m for m in record["marcas"] if m["tipo"] == an.ARROW]
    with Image.open(SCREENSHOTS / f"{figure_name(number)}.png") as image:
        picture = image.convert("RGB")
        for arrow in arrows:
            (x1, y1), (x2, y2) = arrow["puntos"]
            length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
            ux, uy = (x2 - x1) / length, (y2 - y1) / length
            frame_x, frame_y = record["encuadre"][:2]
            for step in (1, 2, 3):
                x, y = round(x2 + ux * step - frame_x), round(y2 + uy * step - frame_y)
                red, green, blue = picture.getpixel((x, y))
                assert not (red > 150 and green < 120 and blue < 120), (
                    f"Figura {number}: la flecha hacia «{arrow['objetivo']}» pinta de rojo {step} px más allá de su punta"
                )
