"""Pages that break well: blocks kept whole, no heading last, no page a third empty.

The check (verify/pages.py) reads the printed pages; here it is tried on pages
drawn by hand (each rule, and what it must not flag), on the bundled topic as
built (every language, paper and print size passes), and on the bundled
topic laid out with a stylesheet that breaks a rule (the build fails, naming
the output and the block).
"""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from conftest import BUNDLED, run_build
from handouts.assets.locations import PACKAGE_TEMPLATES
from handouts.recheck import recheck
from handouts.verify.pages import page_break_results
from handouts.verify.visibility import Fill, Glyph, PageInk

LETTER = (612.0, 792.0)
TOP, BOTTOM = 758.0, 45.0  # the body's edges on Letter (12 mm and 16 mm margins)
SAFETY = (1.0, 0.97, 0.88, 1.0)  # the safety box's background
INK = (0.1, 0.1, 0.1, 1.0)


def text(page: int, y: float, words: str, size: float = 12.0, x: float = 50.0,
         layer: int = 10) -> list[Glyph]:
    """A line of glyphs whose baseline is at y."""
    glyphs = []
    for char in words:
        if char != " ":
            glyphs.append(Glyph(page, char, (x, y, x + size * 0.5, y + size * 0.7), size,
                                INK, layer, True))
        x += size * 0.55
    return glyphs


def box(top: float, bottom: float, colour=SAFETY, left=42.5, right=569.5) -> Fill:
    outline = ((left, bottom), (right, bottom), (right, top), (left, top))
    return Fill(1, (left, bottom, right, top), colour, (outline,), False)


def page(number: int, lines: list[tuple] | None = None, fills=(), pages: int = 2) -> PageInk:
    """A Letter page: body lines (y, text[, size]) top to bottom, fills, and the footer."""
    glyphs = []
    for y, words, *size in lines or []:
        glyphs += text(number, y, words, *size)
    glyphs += text(number, 20.0, "Clinic Team · Version 1.0", 8.5, layer=90)
    glyphs += text(number, 20.0, f"Page {number} of {pages}", 8.5, x=500, layer=91)
    return PageInk(number, LETTER, glyphs, list(fills))


def full(number: int, start: float = TOP - 12, end: float = BOTTOM + 10) -> list[tuple]:
    """Lines of body text filling a page from `start` down to `end`."""
    lines, y = [], start
    while y >= end:
        lines.append((y, "Body text of the handout, line after line."))
        y -= 16
    return lines


VIEW = SimpleNamespace(audience="clinician", language="en", topic=SimpleNamespace(plan=None),
                       safety_statements=lambda: [])


def check(*pages: PageInk):
    [result] = page_break_results(list(pages), VIEW)
    return result


def test_pages_that_break_well_pass():
    result = check(page(1, full(1)), page(2, full(2, end=400)))
    assert result.name == "page-breaks"
    assert result.ok, result.detail


def test_one_page_has_nothing_to_break():
    assert check(page(1, [(700, "Short.")], pages=1)).ok


def test_a_box_split_across_pages_is_named_with_its_first_words():
    first = page(1, full(1, end=300) + [(250, "SAFETY"), (230, "Use a treadmill and hold"),
                                        (214, "the rails.")],
                 fills=[box(270, BOTTOM)])
    second = page(2, [(TOP - 14, "Keep hold of the rails."), (600, "More text.")],
                  fills=[box(TOP, 700)])
    result = check(first, second)
    assert not result.ok
    assert result.detail == ("pages 1–2: the box 'SAFETY Use a treadmill and hold the rai…' "
                             "is split across pages (a block that does not fit moves whole to "
                             "the next page, and goes on from there only if it is taller than "
                             "a page)")


def test_a_box_taller_than_a_page_may_continue():
    first = page(1, [(TOP - 14, "SAFETY")] + full(1, start=TOP - 30), fills=[box(TOP, BOTTOM)])
    second = page(2, [(TOP - 14, "The rest of the box.")], fills=[box(TOP, 600)])
    assert check(first, second).ok


def test_two_boxes_of_other_colours_across_a_break_are_not_one_box():
    stop, call = (0.99, 0.93, 0.93, 1.0), (0.92, 0.95, 0.98, 1.0)
    first = page(1, full(1, end=300) + [(250, "STOP NOW")], fills=[box(270, BOTTOM, stop)])
    second = page(2, [(TOP - 14, "CALL"), (500, "Text.")], fills=[box(TOP, 700, call)])
    assert check(first, second).ok


def test_a_heading_last_on_a_page_is_found():
    first = page(1, full(1, end=80) + [(60, "How to do it safely", 15.6)])
    second = page(2, full(2, end=500))
    result = check(first, second)
    assert not result.ok
    assert result.detail == ("page 1: the heading 'How to do it safely' is the last line on "
                             "the page, its text on the next")


def test_a_larger_line_followed_by_a_larger_one_is_not_a_lone_heading():
    first = page(1, full(1, end=80) + [(60, "A larger line", 13.2)])
    second = page(2, [(TOP - 20, "A heading larger still", 15.6)] + full(2, start=TOP - 50))
    assert check(first, second).ok  # like a note set large before a section's heading


def test_a_page_more_than_a_third_empty_is_found():
    result = check(page(1, full(1, end=400)), page(2, full(2)), page(3, [(700, "End.")],
                                                                      pages=3))
    assert not result.ok
    assert result.detail.startswith("page 1 is 5")  # about 50 % empty
    assert "empty (at most 33% but on the last page)" in result.detail


def test_the_last_page_may_be_empty():
    assert check(page(1, full(1)), page(2, [(700, "End.")])).ok


def test_space_left_by_a_whole_box_moved_to_the_next_page_is_allowed():
    first = page(1, full(1, end=400))
    second = page(2, [(TOP - 14, "SAFETY")] + full(2, start=TOP - 30, end=250),
                  fills=[box(TOP, 240)])
    assert check(first, second).ok
    short = page(2, [(TOP - 14, "SAFETY"), (TOP - 30, "One line.")] + full(2, start=600),
                 fills=[box(TOP, 700)])
    assert not check(first, short).ok  # a short box would have fitted


def test_the_footer_is_not_body_text():
    """Every page prints the footer at the same height: it is not the lowest body line."""
    lines = full(1, end=80)
    assert check(page(1, lines), page(2, lines)).ok


# -- the bundled topic --------------------------------------------------------------

def test_every_bundled_pdf_passes_the_page_break_check(built):
    out = built.parent.parent
    results = [r for r in recheck((BUNDLED,), out, PACKAGE_TEMPLATES)
               if r.relpath.endswith(".pdf")]
    assert len(results) == 20  # 4 languages x 4 handouts, English and Spanish x 2 briefs
    for result in results:
        [breaks] = [c for c in result.checks if c.name == "page-breaks"]
        assert breaks.ok, f"{result.relpath}: {breaks.detail}"


# -- a stylesheet that breaks the rules fails the build -----------------------------

@pytest.fixture
def templates(tmp_path):
    """A copy of the templates whose patient stylesheet can be given a bad rule."""
    copy = tmp_path / "templates"
    shutil.copytree(PACKAGE_TEMPLATES, copy)

    def with_rule(css: str):
        with (copy / "css" / "patient.css").open("a", encoding="utf-8") as sheet:
            sheet.write("\n" + css + "\n")
        return copy
    return with_rule


def failed_build(runner, topic, templates) -> str:
    result = run_build(runner, str(topic.folder), "--out", "out", "--templates", str(templates),
                       "--audience", "patient", "--lang", "en", "--paper", "letter")
    assert result.exit_code != 0, result.output
    assert "nothing was written" in result.output
    return result.output


def test_a_split_safety_box_fails_the_build_naming_output_and_box(runner, topic, templates):
    output = failed_build(runner, topic, templates(
        ".safety-box { break-inside: auto; }"
        ".safety-list li:nth-child(2) { break-before: page; }"))
    assert ("backwards-walking/en/backwards-walking-patient.pdf: page-breaks: pages 1–2: the "
            "box 'SAFETY") in output
    assert "is split across pages (a block that does not fit moves whole" in output


def test_a_split_stop_and_call_pair_fails_the_build(runner, topic, templates):
    output = failed_build(runner, topic, templates(".tier-call { break-before: page; }"))
    assert "backwards-walking-patient.pdf: page-breaks: " in output
    assert 'the "stop" and "call" statements (patient-stop-now, ' in output
    assert "are split across pages (a block that does not fit moves whole" in output


def test_a_heading_left_at_the_foot_of_a_page_fails_the_build(runner, topic, templates):
    output = failed_build(runner, topic, templates("#how-to > h2 + * { break-before: page; }"))
    assert "the heading 'How to do it safely' is the last line on the page" in output


def test_a_page_left_mostly_empty_fails_the_build(runner, topic, templates):
    output = failed_build(runner, topic, templates("#why { break-before: page; }"))
    assert "backwards-walking-patient.pdf: page-breaks: page 1 is " in output
    assert "empty (at most 33% but on the last page)" in output
