"""Images on slides: what PowerPoint cannot hold is converted, or refused at its line."""

from __future__ import annotations

import io
import zipfile

from PIL import Image

from conftest import run_build

DECK = ("--audience", "trainer", "--lang", "en")
MD = "backwards-walking.md"
ANCHOR = "## Mechanism {#mechanism .clinician .trainer}\n"


def test_a_webp_figure_reaches_the_deck_as_a_png(runner, topic):
    (topic.root / "handouts.yaml").unlink()  # no organisation logo: the figure alone
    (topic.folder / "images").mkdir()
    Image.new("RGB", (40, 30), (20, 90, 100)).save(topic.folder / "images" / "gait.webp", "WEBP")
    topic.edit(MD, ANCHOR, ANCHOR + "\n![A person walking backward](images/gait.webp)\n")
    result = run_build(runner, "backwards-walking", "--out", "out", *DECK)
    assert result.exit_code == 0, result.output
    deck = topic.root / "out/backwards-walking/en/backwards-walking-slides.pptx"
    with zipfile.ZipFile(deck) as package:
        media = [n for n in package.namelist() if n.startswith("ppt/media/")]
        assert [n.rsplit(".", 1)[1] for n in media] == ["png"]
        with Image.open(io.BytesIO(package.read(media[0]))) as picture:
            assert picture.size == (40, 30)


def test_an_svg_figure_on_a_trainer_slide_is_refused_at_its_line(runner, topic):
    (topic.folder / "images").mkdir()
    (topic.folder / "images" / "gait.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">'
        '<rect width="40" height="30" fill="#145a64"/></svg>', "utf-8")
    topic.edit(MD, ANCHOR, ANCHOR + "\n![A person walking backward](images/gait.svg)\n")
    line = topic.line_of(MD, "images/gait.svg")
    result = run_build(runner, "backwards-walking", "--out", "out", *DECK)
    assert result.exit_code == 1
    assert (f"backwards-walking/{MD}:{line}: an SVG image cannot be placed on a slide"
            in result.output)
    assert "Traceback" not in result.output
