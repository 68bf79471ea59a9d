"""The deck in every kind of template an organisation brings, in English and Spanish.

Each deck is built by the command line, then read back: LibreOffice lays out
every slide and no text leaves its box or the slide, breaks a word or
overlaps (skipped where LibreOffice is absent); tables are at least 14 pt
with the header row on every slide; slides hold at most six bullets and
about forty words; references are at least 14 pt.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from pptx import Presentation

from conftest import BUNDLED
from deck_templates import RENAMED, organisation_style, plain_4_3, renamed_layouts
from handouts.cli import cli
from handouts.model.markers import MAX_BULLETS, WORD_CEILING
from handouts.verify.deck import read_pptx
from handouts.verify.deck_render import libreoffice, rendered_problems

TEMPLATES = ("default", "plain-4-3", "renamed-layouts", "organisation")
LANGUAGES = ("en", "es")
SECTION_KINDS_EXEMPT = ("Learning objectives", "Objetivos", "Check your understanding",
                        "Compruebe", "References", "Referencias")


def _build(root, name: str):
    """The bundled topic built with one template, both languages; the output folder."""
    folder = root / "backwards-walking"
    shutil.copytree(BUNDLED, folder)
    args = ["build", str(folder), "--out", str(root / "out"), "--audience", "trainer"]
    if name == "plain-4-3":
        args += ["--template", str(plain_4_3(root / "plain.pptx"))]
    elif name == "organisation":
        args += ["--template", str(organisation_style(root / "organisation.pptx"))]
    elif name == "renamed-layouts":
        renamed_layouts(folder / "brand.pptx")
        topic = folder / "topic.yaml"
        layouts = "".join(f"    {role}: {layout}\n" for role, layout in RENAMED.items())
        topic.write_text(topic.read_text("utf-8").replace(
            "training:\n", f"training:\n  template: brand.pptx\n  layouts:\n{layouts}", 1),
            "utf-8")
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "out" / "backwards-walking"


@pytest.fixture(scope="module", params=TEMPLATES)
def built_with(request, tmp_path_factory):
    return request.param, _build(tmp_path_factory.mktemp(request.param), request.param)


def _decks(built_with):
    name, out = built_with
    for language in LANGUAGES:
        path = out / language / "backwards-walking-slides.pptx"
        yield language, path, Presentation(path)


@pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not installed here; "
                    "`make test` installs libreoffice-impress-nogui")
def test_libreoffice_lays_out_every_slide_inside_its_boxes(built_with):
    for language, path, _ in _decks(built_with):
        assert rendered_problems(path.read_bytes(), libreoffice()) == [], (built_with[0],
                                                                           language)


def test_the_build_time_measurement_finds_nothing_outside_its_box(built_with):
    for language, path, _ in _decks(built_with):
        assert read_pptx(path.read_bytes()).overflows == (), (built_with[0], language)


def test_evidence_tables_are_large_and_repeat_their_header(built_with):
    for language, _, deck in _decks(built_with):
        tables = [shape.table for slide in deck.slides for shape in slide.shapes
                  if shape.has_table]
        assert tables, language
        headers = {tuple(cell.text for cell in table.rows[0].cells) for table in tables}
        assert len(headers) == 1, headers
        numbers = [row.cells[0].text for table in tables for row in list(table.rows)[1:]]
        assert numbers == sorted(numbers, key=int) and len(set(numbers)) == len(numbers)
        sizes = {run.font.size.pt for table in tables for row in table.rows
                 for cell in row.cells for p in cell.text_frame.paragraphs for run in p.runs}
        assert min(sizes) >= 14, (built_with[0], language, sizes)
        if len(tables) > 1:  # balanced: no continuation holds a lone row beside a full one
            rows = [len(table.rows) - 1 for table in tables]
            assert max(rows) - min(rows) <= 1, rows


def test_slides_hold_six_bullets_and_about_forty_words(built_with):
    """Words per text box: the safety protocol's two columns keep only the bullet limit."""
    for language, _, deck in _decks(built_with):
        for number, slide in enumerate(deck.slides, start=1):
            title = slide.shapes.title.text_frame.text
            bodies = [s for s in slide.placeholders if s.placeholder_format.idx in (1, 2)]
            bullets = [p for s in bodies for p in s.text_frame.paragraphs
                       if p.text.strip() and p._p.find(".//{*}buNone") is None]
            assert len(bullets) <= MAX_BULLETS, (language, number)
            if title.startswith(SECTION_KINDS_EXEMPT) or len(bodies) > 1:
                continue
            for body in bodies:
                paragraphs = [p for p in body.text_frame.paragraphs if p.text.strip()]
                if len(paragraphs) < 2:  # one sentence or statement alone may be longer
                    continue
                words = sum(len(p.text.split()) for p in paragraphs)
                assert words <= WORD_CEILING, (built_with[0], language, number, title, words)


def test_references_are_at_least_14_pt_and_fill_each_slide_first(built_with):
    for language, _, deck in _decks(built_with):
        boxes = [shape for slide in deck.slides for shape in slide.shapes
                 if shape.name == "Reference list"]
        assert boxes
        sizes = [run.font.size.pt for box in boxes for p in box.text_frame.paragraphs
                 for run in p.runs]
        assert min(sizes) >= 14, sizes
        counts = [sum(1 for p in box.text_frame.paragraphs if p.text.strip()) for box in boxes]
        assert counts == sorted(counts, reverse=True), counts  # never a fuller slide after


def test_the_theme_font_is_one_the_presenters_pc_has(built_with):
    from handouts.render.pptx.template import theme_fonts
    expected = "Arial" if built_with[0] == "organisation" else "Calibri"
    for _, _, deck in _decks(built_with):
        assert set(theme_fonts(deck)) == {expected}
