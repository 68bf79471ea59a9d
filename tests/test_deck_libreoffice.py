"""The independent fit check: LibreOffice lays the deck out, and what leaves a box is found.

Each failure is made on purpose in a copy of the built deck (text too long for
its box, a table column too narrow for 'Ref.', a picture over the text), and
both the LibreOffice check and the build-time measurement must see it.
"""

from __future__ import annotations

import io

import pytest
from pptx import Presentation
from pptx.util import Emu, Pt

from deck_templates import logo_png
from handouts.cli import cli
from handouts.verify import deck_render
from handouts.verify.deck import read_pptx
from handouts.verify.deck_render import libreoffice, rendered_fit_results, rendered_problems

DECK = "backwards-walking-slides.pptx"
needs_libreoffice = pytest.mark.skipif(libreoffice() is None, reason="LibreOffice is not "
                                       "installed here; `make test` installs it")


def _edited(built, edit) -> bytes:
    deck = Presentation(built / DECK)
    edit(deck)
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def _slide(deck, title: str):
    return next(s for s in deck.slides if s.shapes.title.text_frame.text == title)


def _too_much_text(deck) -> None:
    body = next(p for p in _slide(deck, "Background").placeholders
                if p.placeholder_format.idx == 1)
    paragraph = body.text_frame.paragraphs[0]
    paragraph.runs[0].text = paragraph.runs[0].text + " More words." * 120


def _narrow_reference_column(deck) -> None:
    table = next(s.table for s in _slide(deck, "Summary of the evidence").shapes if s.has_table)
    spare = table.columns[0].width - Pt(22)
    table.columns[0].width = Emu(Pt(22))
    table.columns[1].width = Emu(table.columns[1].width + spare)


def _picture_over_text(deck) -> None:
    slide = _slide(deck, "Background")
    body = next(p for p in slide.placeholders if p.placeholder_format.idx == 1)
    slide.shapes.add_picture(logo_png(), body.left, body.top, height=Pt(60))


@needs_libreoffice
def test_the_built_deck_passes(built):
    assert rendered_problems((built / DECK).read_bytes(), libreoffice()) == []


@needs_libreoffice
def test_text_too_long_for_its_box_is_found_by_both_checks(built):
    data = _edited(built, _too_much_text)
    problems = rendered_problems(data, libreoffice())
    assert any("'Content Placeholder 2' run outside" in p for p in problems), problems
    assert any("Content Placeholder 2" in o for o in read_pptx(data).overflows)


@needs_libreoffice
def test_a_word_broken_across_lines_in_a_table_is_found_by_both_checks(built):
    data = _edited(built, _narrow_reference_column)
    problems = rendered_problems(data, libreoffice())
    assert any("row 1 column 1' breaks a word" in p for p in problems), problems
    assert any("'Ref.' is wider than its column" in o for o in read_pptx(data).overflows)


@needs_libreoffice
def test_a_picture_over_text_is_found(built):
    problems = rendered_problems(_edited(built, _picture_over_text), libreoffice())
    assert any("overlaps 'Picture" in p for p in problems), problems


@needs_libreoffice
def test_check_thorough_runs_the_libreoffice_check(built, runner):
    out = built.parent.parent
    result = runner.invoke(cli, ["check", "content/backwards-walking", "--out", str(out),
                                 "--audience", "trainer", "--lang", "en", "--thorough"])
    assert result.exit_code == 0, result.output
    plain = runner.invoke(cli, ["check", "content/backwards-walking", "--out", str(out),
                                "--audience", "trainer", "--lang", "en"])
    assert _checks(result.output) == _checks(plain.output) + 1


def _checks(output: str) -> int:
    line = next(line for line in output.splitlines() if "slides.pptx" in line)
    return int(line.split()[-2].split("/")[1])


def test_without_libreoffice_the_check_is_skipped_with_a_message(built, monkeypatch):
    monkeypatch.setattr(deck_render, "libreoffice", lambda: None)
    [result] = rendered_fit_results((built / DECK).read_bytes())
    assert not result.ok and not result.fatal
    assert "skipped: LibreOffice is not installed" in result.detail
    assert "libreoffice-impress-nogui" in result.detail
