"""The animated walkthrough: assembled from recorded frames, the same bytes every time, in the
order of figure and step whatever order the workers wrote them, captions and clicks drawn."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.walkthrough_frames import (
    CLICK_AT,
    DOCS,
    FRAME_SIZE,
    ROOT,
    gif_durations,
    jpeg,
    near,
    png,
    record,
    sample_frames,
    screen,
)
from tutorial.documento import walkthrough as w
from tutorial.documento.walkthrough import Frame


def test_the_same_frames_give_the_same_bytes_whatever_order_they_were_written(tmp_path: Path) -> None:
    record(tmp_path / "a", tmp_path / "shots")
    order = list(range(len(sample_frames())))
    random.Random(3).shuffle(order)
    record(tmp_path / "b", tmp_path / "shots", order)
    first = w.assemble(tmp_path / "a", tmp_path / "shots", tmp_path / "out1", mp4=False)
    again = w.assemble(tmp_path / "a", tmp_path / "shots", tmp_path / "out2", mp4=False)
    shuffled = w.assemble(tmp_path / "b", tmp_path / "shots", tmp_path / "out3", mp4=False)
    assert first.gif is not None, first.message
    data = first.gif.read_bytes()
    assert data == again.gif.read_bytes() == shuffled.gif.read_bytes()
    assert data[:6] == b"GIF89a" and len(data) <= w.MAX_BYTES


def test_one_picture_per_step_and_figure_a_click_is_pointer_then_ripple(tmp_path: Path) -> None:
    """A step's result that a figure of the same screen follows is not shown: the figure is the
    moment's one picture (bare, annotated, bare again would flicker), laid over that screen."""
    record(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    assert result.frames == 7
    assert gif_durations(result.gif) == [
        w.STEP_MS,
        w.CLICK_MS,
        *[w.RIPPLE_MS] * len(w.RIPPLE_RADII),
        w.FIGURE_MS,
        w.FIGURE_MS,
    ]
    with Image.open(result.gif) as gif:
        assert gif.size == FRAME_SIZE
        gif.seek(gif.n_frames - 1)  # Figura 2, cut 600x300 from the «términos» screen, laid over it
        assert near(gif.convert("RGB").getpixel((50, 50)), (0, 150, 60), 24)
        gif.seek(1)
        pointer = gif.convert("RGB")
        gif.seek(3)  # ripple of radius 20
        ripple = gif.convert("RGB")
    x, y = CLICK_AT
    assert near(pointer.getpixel((x + 3, y + 10)), (255, 255, 255), 8)  # inside the arrow, tip on the click
    assert near(pointer.getpixel((x + 2, y - 3)), (250, 250, 250), 8)  # nothing above the tip
    assert not near(pointer.getpixel((x - 20, y)), w.RIPPLE_COLOUR)
    assert near(ripple.getpixel((x - 20, y)), w.RIPPLE_COLOUR)


def test_captions_are_the_tutorials_words_under_the_screen(tmp_path: Path) -> None:
    record(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    with Image.open(result.gif) as gif:
        first = gif.convert("RGB")
    screen = first.crop((0, 0, *w.SIZE))
    bottom = screen.crop((0, w.SIZE[1] - w.BAND_HEIGHT, *w.SIZE))
    assert all(near(c, (250, 250, 250), 4) for _n, c in bottom.getcolors(1 << 16))  # no bar over the page
    band = first.crop((0, w.SIZE[1], *FRAME_SIZE))
    colours = dict((colour, count) for count, colour in band.getcolors(1 << 16))
    assert max(colours, key=colours.get) == w.BAND_COLOUR
    white = sum(n for c, n in colours.items() if min(c) > 200)
    orange = sum(n for c, n in colours.items() if near(c, w.STEP_COLOUR))
    assert white > 500 and orange == 0  # the tutorial's sentence, and no Gherkin step under it
    # The Gherkin step is not drawn: frames that differ only in it give the same bytes.
    gherkin = tmp_path / "gherkin"
    shutil.copytree(tmp_path / "frames", gherkin)
    frame, png = sample_frames()[0]
    w.write_frame(gherkin, Frame(**{**frame.__dict__, "text": "Dado que otra cosa"}), png)
    same = w.assemble(gherkin, tmp_path / "shots", tmp_path / "out3", mp4=False)
    assert same.gif.read_bytes() == result.gif.read_bytes()
    # Another caption, other pixels: the text is really there.
    other = tmp_path / "other"
    shutil.copytree(tmp_path / "frames", other)
    frame, png = sample_frames()[0]
    w.write_frame(other, Frame(**{**frame.__dict__, "title": "b) Otra frase del tutorial"}), png)
    changed = w.assemble(other, tmp_path / "shots", tmp_path / "out2", mp4=False)
    assert changed.gif.read_bytes() != result.gif.read_bytes()


def test_a_missing_figure_writes_nothing(tmp_path: Path) -> None:
    record(tmp_path / "frames", tmp_path / "shots")
    (tmp_path / "frames" / "02-02.json").unlink()
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    assert result.gif is None and result.missing == [2]
    assert "la Figura 2" in result.message
    assert not (tmp_path / "out").exists()


def test_tutorial_title_is_the_scenarios_first_line_without_markdown() -> None:
    description = (
        "b) Se mostrara la ventana para ingresar los datos de **MI CUENTA ASPEL** y da clic en **Iniciar sesión**.\n"
        "Sino recuerdas la contraseña da clic en la opción **¿Olvidaste tu contraseña?**.\n"
    )
    assert w.tutorial_title(description) == (
        "b) Se mostrara la ventana para ingresar los datos de MI CUENTA ASPEL y da clic en Iniciar sesión."
    )
    assert w.tutorial_title("a) Ingresando a la página de [aspel.com/descargas](/descargas/)") == (
        "a) Ingresando a la página de aspel.com/descargas"
    )
    assert w.step_text("Entonces ", 'se captura la Figura 4 "Actualización de número de serie" resaltando "X"') == (
        "Figura 4 Actualización de número de serie"
    )


def test_the_committed_walkthrough() -> None:
    gif = DOCS / w.GIF_NAME
    assert gif.stat().st_size <= w.MAX_BYTES
    durations = gif_durations(gif)
    with Image.open(gif) as image:
        assert image.size == FRAME_SIZE and image.info.get("loop") == 0
    assert durations.count(w.FIGURE_MS) == len(list((ROOT / "screenshots").glob("figura-*.png")))
    clicks = durations.count(w.CLICK_MS)
    assert clicks >= 12 and durations.count(w.RIPPLE_MS) == clicks * len(w.RIPPLE_RADII)
    for index, duration in enumerate(durations):
        if duration == w.CLICK_MS:
            assert durations[index + 1 : index + 4] == [w.RIPPLE_MS] * 3


def test_the_tutorial_embeds_and_links_the_walkthrough() -> None:
    """After the step-by-step (it replays what the figures show), with its caption and its video."""
    markdown = (DOCS / "tutorial.md").read_text(encoding="utf-8")
    page = (DOCS / "tutorial.html").read_text(encoding="utf-8")
    assert f"]({w.GIF_NAME})" in markdown
    last_figure = markdown.rindex("figura-09.png")
    assert last_figure < markdown.index(f"]({w.GIF_NAME})") < markdown.index(f'src="{w.video.NAME}"')
    assert f'src="{w.GIF_NAME}"' in page  # a file beside the page, as the figures are
    assert f'<a href="{w.video.NAME}">' in page


def test_a_recording_hears_the_page_objects_only_while_started(tmp_path: Path) -> None:
    """Started, a recording listens to tutorial.actions (once); stopped, nothing does."""
    from tutorial import actions
    from tutorial.documento import recorder

    heard: list[actions.Action] = []
    recording = recorder._Recording(tmp_path, 1, "a) Una frase.")
    recording.heard = heard.append  # the recording's own ear, without a browser
    recorder.start_recording(recording)
    recorder.start_recording(recording)
    try:
        assert actions._LISTENERS == [heard.append]
        action = actions.Action("hover", None)  # type: ignore[arg-type]
        actions._tell(action)
        assert heard == [action]
    finally:
        recorder.stop_recording()
    assert actions._LISTENERS == [] and recorder._ACTIVE == []


def test_a_frame_keeps_its_picture_under_the_name_of_its_format(tmp_path):
    """JPEG frames (what the recording grabs) and PNG ones (a pixelated RFC) side by side."""
    record(tmp_path / "frames", tmp_path / "screenshots")
    images = {frame.stem: frame.image for frame in w.read_frames(tmp_path / "frames")}
    assert images == {
        "01-01": "01-01.png",
        "01-02-clic00": "01-02-clic00.png",
        "01-02": "01-02.jpg",
        "01-03": None,
        "02-01": "02-01.png",
        "02-02": None,
    }
    assert (tmp_path / "frames" / "01-02.jpg").read_bytes().startswith(b"\xff\xd8")


# --- one story, the brand's colours, whole captions ------------------------------------------


def test_set_up_frames_are_left_out_after_the_first_scenario() -> None:
    title = "x) Una frase."
    frames = [
        Frame(1, 1, False, title, "Dado que ingreso", setup=True),
        Frame(1, 2, False, title, "Cuando doy clic"),
        Frame(2, 1, False, title, "Dado que inicié sesión", setup=True),
        Frame(2, 2, True, title, "Cuando abro", (1, 1), part=1),
        Frame(2, 2, True, title, "Cuando abro", (2, 2), part=2),
        Frame(2, 2, False, title, "Cuando abro"),
    ]
    kept = w.story(frames)
    assert [(f.figure, f.step, f.part) for f in kept] == [(1, 1, 0), (1, 2, 0), (2, 2, 1), (2, 2, 2), (2, 2, 0)]
    assert sorted(frames, key=lambda f: f.key)[3:5] == [frames[3], frames[4]]  # clicks of one step, in order


def _orange_box_screen() -> Image.Image:
    """A desktop-like gradient (the colours that crowd a palette) with an orange box and a red badge."""
    image = Image.new("RGB", w.SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(w.SIZE[1]):
        draw.line((0, y, w.SIZE[0], y), fill=(20 + y // 8, 60 + y // 6, 120 + y // 8))
    draw.rectangle((100, 100, 400, 160), outline=(245, 166, 35), width=3)
    draw.ellipse((420, 100, 446, 126), fill=(211, 32, 47))
    return image


def test_the_palette_keeps_the_brand_colours_exactly() -> None:
    """Measured: every pixel of the orange box and the red badge keeps its colour in the GIF."""
    screen = _orange_box_screen()
    frame = Frame(1, 1, False, "a) Una frase.", "")
    pictures = [(w._with(screen, frame, None, None), w.STEP_MS)]
    (indexed,) = w.indexed_frames(pictures)
    shown = indexed.convert("RGB")
    for point, colour in (((100, 130), (245, 166, 35)), ((433, 113), (211, 32, 47))):
        assert shown.getpixel(point) == colour, f"{colour} se volvió {shown.getpixel(point)}"


def test_the_committed_walkthrough_keeps_the_brand_colours() -> None:
    with Image.open(DOCS / w.GIF_NAME) as gif:
        entries = gif.getpalette()
    palette = {tuple(entries[i : i + 3]) for i in range(0, len(entries), 3)}
    assert {(245, 166, 35), (211, 32, 47)} <= palette


def test_every_caption_fits_whole() -> None:
    from tutorial.documento.feature_reader import figure_steps

    for step in figure_steps(ROOT / "features"):
        title = w.tutorial_title(step.scenario.scenario["description"])
        assert " ".join(w.caption_lines(title)) == title
    with pytest.raises(ValueError, match="no cabe"):
        w.caption_lines("palabra " * 200)


# --- typing: the characters appear a group at a time -------------------------------------------

USER_BOX = (500, 300, 280, 40)
PASSWORD_BOX = (500, 370, 280, 40)


def _login_screen(button: tuple[int, int, int] = (211, 32, 47)) -> Image.Image:
    """The log-in window as the recording grabs it: both fields painted over, the button."""
    image = Image.new("RGB", w.SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for x, y, width, height in (USER_BOX, PASSWORD_BOX):
        draw.rectangle((x, y, x + width - 1, y + height - 1), fill=w.MASK_COLOUR)
    draw.rectangle((500, 440, 780, 480), fill=button)
    return image


def _typing_frames(folder: Path, screenshots: Path) -> None:
    title = "b) Se mostrara la ventana para ingresar los datos de MI CUENTA ASPEL."
    step = "Cuando escribo mi usuario y mi contraseña"
    login = jpeg(_login_screen())
    user = w.Typed(USER_BOX, w.EXAMPLE_USER, False, True, 16, 13)
    password = w.Typed(PASSWORD_BOX, w.PASSWORD_DOT * 14, True, True, 16, 13)
    w.write_frame(folder, Frame(1, 1, False, title, "Cuando abro la ventana"), login)
    w.write_frame(folder, Frame(1, 2, False, title, step, part=1, typed=user), login)
    w.write_frame(folder, Frame(1, 2, False, title, step, part=2, typed=password), login)
    w.write_frame(folder, Frame(1, 2, False, title, step), jpeg(_login_screen((179, 0, 27))))
    # The next scenario's figure (a figure right after the log-in's result would take its place).
    w.write_frame(folder, Frame(2, 1, False, "c) Otra frase.", "Figura 2", figure_image="figura-02.png"), None)
    screenshots.mkdir(parents=True, exist_ok=True)
    screen((240, 160, 30), "figura 2").save(screenshots / "figura-02.png")


def _dark_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    x, y, width, height = box
    field = image.crop((x + 2, y + 2, x + width - 2, y + height - 2)).convert("L")
    return sum(count for count, level in field.getcolors(1 << 16) if level < 160)


def test_typing_shows_the_characters_appearing_a_group_at_a_time(tmp_path: Path) -> None:
    _typing_frames(tmp_path / "frames", tmp_path / "shots")
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    assert result.gif is not None, result.message
    groups = len(w.typing_counts(len(w.EXAMPLE_USER))), len(w.typing_counts(14))
    assert groups == (4, 4)
    assert gif_durations(result.gif) == [
        w.STEP_MS,
        *[w.TYPING_MS] * (groups[0] - 1),
        w.TYPED_MS,
        *[w.TYPING_MS] * (groups[1] - 1),
        w.TYPED_MS,
        w.STEP_MS,
        w.FIGURE_MS,
    ]
    pictures = []
    with Image.open(result.gif) as gif:
        for index in range(gif.n_frames):
            gif.seek(index)
            pictures.append(gif.convert("RGB"))
    user = [_dark_pixels(picture, USER_BOX) for picture in pictures]
    password = [_dark_pixels(picture, PASSWORD_BOX) for picture in pictures]
    assert user[0] == 0 and password[0] == 0  # the empty window
    typing_user, typing_password = slice(1, 1 + groups[0]), slice(1 + groups[0], 1 + sum(groups))
    assert 0 < user[1] and user[typing_user] == sorted(set(user[typing_user]))  # more at each picture
    assert password[typing_user] == [0] * groups[0]
    assert 0 < password[typing_password.start] and password[typing_password] == sorted(set(password[typing_password]))
    assert user[typing_password] == [user[groups[0]]] * groups[1]  # the user name stays typed
    # The step's result, still the log-in window: both fields keep what was typed.
    assert user[-2] == user[groups[0]] and password[-2] == password[sum(groups)]
    # Bullets for the password: round dots in a row, never the text; the same bytes every time.
    again = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out2", mp4=False)
    assert again.gif.read_bytes() == result.gif.read_bytes()


def test_the_same_picture_twice_in_a_row_is_one_frame_shown_for_both() -> None:
    red, blue = Image.new("RGB", (4, 4), (200, 0, 30)), Image.new("RGB", (4, 4), (0, 90, 200))
    merged = w.merge_repeats([(red, 100), (red.copy(), 200), (blue, 300), (red, 400), (red, 500)])
    assert [(image.getpixel((0, 0)), ms) for image, ms in merged] == [
        ((200, 0, 30), 300),
        ((0, 90, 200), 300),
        ((200, 0, 30), 900),
    ]


def test_the_log_in_typed_whole_and_its_result_are_one_frame(tmp_path: Path) -> None:
    """The step's result is the log-in window as the password left it: one picture, not two."""
    _typing_frames(tmp_path / "frames", tmp_path / "shots")
    title = "b) Se mostrara la ventana para ingresar los datos de MI CUENTA ASPEL."
    step = "Cuando escribo mi usuario y mi contraseña"
    w.write_frame(tmp_path / "frames", Frame(1, 2, False, title, step), jpeg(_login_screen()))
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    durations = gif_durations(result.gif)
    assert durations[-2:] == [w.TYPED_MS + w.STEP_MS, w.FIGURE_MS]
    assert result.frames == len(durations)


def test_a_typed_field_is_no_longer_drawn_once_the_page_moved_on(tmp_path: Path) -> None:
    _typing_frames(tmp_path / "frames", tmp_path / "shots")
    inside = Image.new("RGB", w.SIZE, (250, 250, 250))
    w.write_frame(tmp_path / "frames", Frame(1, 2, False, "b) Una frase.", "Cuando inicio sesión"), jpeg(inside))
    result = w.assemble(tmp_path / "frames", tmp_path / "shots", tmp_path / "out", mp4=False)
    with Image.open(result.gif) as gif:
        gif.seek(gif.n_frames - 2)
        after = gif.convert("RGB")
    assert _dark_pixels(after, USER_BOX) == _dark_pixels(after, PASSWORD_BOX) == 0


def test_typing_groups_never_repeat_a_picture() -> None:
    assert w.typing_counts(1) == [1]
    assert w.typing_counts(2) == [1, 2]
    assert w.typing_counts(14) == [4, 7, 11, 14]
    assert w.typing_counts(0) == []


def test_a_typing_frame_keeps_what_was_typed_where(tmp_path: Path) -> None:
    typed = w.Typed((1, 2, 3, 4), "•••", True, True, 16, 13)
    frame = Frame(2, 3, False, "x) Una frase.", "Cuando escribo", part=2, typed=typed)
    w.write_frame(tmp_path, frame, None)
    assert w.read_frames(tmp_path) == [frame]
    assert frame.stem == "02-03-escribe02"
    assert sorted([Frame(2, 3, False, "", ""), frame], key=lambda f: f.key)[0] is frame  # before the result


LOGIN_FORM = """
<label for="u">Usuario</label><input id="u" style="font-size: 15px; padding-left: 10px; border: 1px solid">
<label for="p">Contraseña</label><input id="p" type="password">
<label for="s">Número de serie</label><input id="s">
"""


@pytest.mark.completo
def test_the_recorder_keeps_what_was_typed_never_the_secret(tmp_path: Path) -> None:
    """A real page: the user name becomes the example, the password bullets, another field its text."""
    from playwright.sync_api import sync_playwright

    from tutorial.actions import fill
    from tutorial.documento import recorder
    from tutorial.figuras import renderer as chromium

    executable = chromium.launch_executable()
    launch: dict = {"args": chromium.launch_args(executable)}
    if executable:
        launch["executable_path"] = str(executable)

    def record() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(**launch)
            try:
                page = browser.new_page(viewport={"width": w.SIZE[0], "height": w.SIZE[1]})
                page.set_content(LOGIN_FORM)
                recorder.start_recording(
                    recorder._Recording(tmp_path, 2, "b) Una frase.", step=4, text="Cuando escribo")
                )
                try:
                    fill(page.get_by_label("Usuario"), "juan.perez.1234abcd")
                    fill(page.get_by_label("Contraseña"), "secreto-de-14c")
                    fill(page.get_by_label("Número de serie"), "ABC123")
                finally:
                    recorder.stop_recording()
            finally:
                browser.close()

    chromium.in_a_thread_of_its_own(record)
    frames = w.read_frames(tmp_path)
    assert [frame.stem for frame in frames] == ["02-04-escribe01", "02-04-escribe02", "02-04-escribe03"]
    user, password, serial = (frame.typed for frame in frames)
    assert (user.text, user.password, user.masked, user.font_size, user.indent) == (w.EXAMPLE_USER, False, True, 15, 11)
    assert (password.text, password.password, password.masked) == (w.PASSWORD_DOT * 14, True, True)
    assert (serial.text, serial.password, serial.masked) == ("ABC123", False, False)
    assert user.box[0] < password.box[0] < serial.box[0] and all(frame.image for frame in frames)
    recorded = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.json"))
    assert "juan.perez" not in recorded and "secreto" not in recorded


def test_a_plain_field_is_emptied_then_typed_in_over_its_own_background(tmp_path: Path) -> None:
    """A field the frames do not paint over: the page's own text shows last, drawn text before."""
    box = (500, 300, 280, 40)
    screen = Image.new("RGB", w.SIZE, (255, 255, 255))
    draw = ImageDraw.Draw(screen)
    draw.rectangle((500, 300, 779, 339), fill=(250, 250, 240), outline=(120, 120, 120))
    draw.text((512, 320), "ABC123XYZ", font=w._font(400, 15), fill=(0, 0, 0), anchor="lm")
    typed = w.Typed(box, "ABC123XYZ", False, False, 15, 12)
    frame = Frame(1, 2, False, "b) Una frase.", "Cuando escribo", part=1, typed=typed)
    w.write_frame(tmp_path / "frames", frame, png(screen))
    frames = w.read_frames(tmp_path / "frames")
    pictures = [image for image, _ms in w.render(frames, tmp_path / "frames", tmp_path)]
    assert len(pictures) == len(w.typing_counts(9))
    dark = [_dark_pixels(picture, box) for picture in pictures]
    assert 0 < dark[0] < dark[1] < dark[2] < dark[3]
    assert pictures[0].getpixel((box[0] + box[2] - 10, box[1] + 20)) == (250, 250, 240)  # its background
