"""The visibility read-back: contrast, size, page bounds, covering shapes, invisible text."""

from __future__ import annotations

import pytest

from handouts.verify.visibility import (Fill, Glyph, GlyphStream, PageInk, _glyph_problem,
                                        contrast)

BLACK, WHITE = (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)


def glyph(x=100.0, y=100.0, colour=(0.1, 0.1, 0.1, 1.0), layer=5, painted=True, size=12.0,
          char="a") -> Glyph:
    return Glyph(1, char, (x, y, x + 6, y + 10), size, colour, layer, painted)


def square(layer, colour, left=50.0, bottom=50.0, right=200.0, top=200.0, hole=None,
           even_odd=False) -> Fill:
    outline = ((left, bottom), (right, bottom), (right, top), (left, top))
    subpaths = (outline,) if hole is None else (outline, hole)
    return Fill(layer, (left, bottom, right, top), colour, subpaths, even_odd)


def page(*fills) -> PageInk:
    return PageInk(1, (612.0, 792.0), fills=list(fills))


def test_contrast_ratios_follow_wcag():
    assert contrast(BLACK, WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast((0.0, 0.0, 1.0), WHITE) == pytest.approx(8.59, abs=0.01)  # pure blue
    assert contrast((0x77 / 255,) * 3, WHITE) == pytest.approx(4.48, abs=0.01)
    assert contrast((0x76 / 255,) * 3, WHITE) == pytest.approx(4.54, abs=0.01)  # the AA edge


def test_dark_text_on_white_is_fine_and_pale_text_is_not():
    assert _glyph_problem(page(), glyph()) is None
    pale = _glyph_problem(page(), glyph(colour=(0.95, 0.95, 0.95, 1.0)))
    assert pale == "is #f2f2f2 on #ffffff: contrast 1.1:1, below 4.5:1"


def test_the_background_is_every_fill_below_blended_in_paint_order():
    dark = square(1, (0.1, 0.1, 0.1, 1.0))
    veil = square(2, (1.0, 1.0, 1.0, 0.5))
    assert page(dark, veil).background(glyph()) == pytest.approx((0.55, 0.55, 0.55))
    assert "contrast" in _glyph_problem(page(dark), glyph())


def test_a_fill_painted_after_the_text_covers_it():
    problem = _glyph_problem(page(square(9, (0.2, 0.2, 0.2, 1.0))), glyph(layer=5))
    assert problem == "is painted over by a #333333 shape"
    assert _glyph_problem(page(square(9, (0.2, 0.2, 0.2, 0.0))), glyph(layer=5)) is None


def test_a_frame_drawn_with_a_hole_is_not_the_background_of_what_is_inside():
    hole = ((60.0, 60.0), (190.0, 60.0), (190.0, 190.0), (60.0, 190.0))
    frame = square(1, (0.1, 0.1, 0.1, 1.0), hole=hole, even_odd=True)
    assert page(frame).background(glyph()) == WHITE  # inside the hole
    assert page(frame).background(glyph(x=52, y=52)) != WHITE  # on the frame itself


def test_nonzero_winding_fills_a_hole_drawn_the_same_way_round():
    hole = ((60.0, 60.0), (190.0, 60.0), (190.0, 190.0), (60.0, 190.0))
    frame = square(1, (0.1, 0.1, 0.1, 1.0), hole=hole, even_odd=False)
    assert page(frame).background(glyph()) != WHITE


def test_text_outside_the_page_and_invisible_text_are_reported():
    assert _glyph_problem(page(), glyph(x=700)) == "lies outside the page"
    assert _glyph_problem(page(), glyph(painted=False)) == \
        "is drawn invisibly (text render mode 3)"


def test_right_to_left_statements_are_located_by_their_exact_text_only():
    from handouts.errors import Location
    from handouts.model import Unit

    def stream(text: str) -> GlyphStream:
        return GlyphStream([glyph(x=10 + i, char=ch) for i, ch in enumerate(text)])

    statement = [Unit("u", "لا تمارسه وحدك.", Location("ar.po", 1))]
    found = stream("قبل " + "لا تمارسه وحدك." + " بعد").locate(statement)
    assert "".join(g.char for g in found) == "لاتمارسهوحدك."
    assert stream("قبل " + "تمارسه وحدك." + " بعد").locate(statement) is None  # "not" dropped
    assert stream("قبل " + "ال تمارسه وحدك." + " بعد").locate(statement) is None  # reversed
    assert stream("كدحو هسرامت ال.").locate(statement) is None  # visual order is not text

# -- a text object judged at once gives what judging each glyph gives ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from handouts.verify.visibility import _page_problems  # noqa: E402

coordinate = st.floats(min_value=-20.0, max_value=640.0, allow_nan=False)
shade = st.sampled_from([(0.1, 0.1, 0.1, 1.0), (1.0, 1.0, 1.0, 1.0), (0.9, 0.9, 0.2, 1.0),
                         (0.0, 0.0, 0.0, 0.5), (0.2, 0.2, 0.8, 0.0)])


@st.composite
def fills(draw, layer):
    left, bottom = draw(coordinate), draw(coordinate)
    right = left + draw(st.floats(min_value=1.0, max_value=400.0))
    top = bottom + draw(st.floats(min_value=1.0, max_value=400.0))
    hole = None
    if draw(st.booleans()):  # a ring, or a box with a notch cut by a second outline
        inset = draw(st.floats(min_value=0.5, max_value=30.0))
        hole = ((left + inset, bottom + inset), (right - inset, bottom + inset),
                (right - inset, top - inset), (left + inset, top - inset))
    return square(layer, draw(shade), left, bottom, right, top, hole, draw(st.booleans()))


@st.composite
def pages(draw):
    layers = draw(st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=6,
                           unique=True))
    shapes = [draw(fills(layer)) for layer in layers]
    glyphs = []
    for layer in draw(st.lists(st.integers(min_value=0, max_value=30), max_size=4)):
        x, y = draw(coordinate), draw(coordinate)
        colour = draw(shade)
        for step in range(draw(st.integers(min_value=1, max_value=12))):  # a line of text
            glyphs.append(Glyph(1, "a", (x + 7 * step, y, x + 7 * step + 6, y + 10), 12.0,
                                colour, layer, True))
    return PageInk(1, (612.0, 792.0), glyphs=glyphs, fills=sorted(shapes, key=lambda f: f.layer))


@settings(max_examples=400, deadline=None)
@given(pages())
def test_glyphs_judged_by_text_object_match_glyphs_judged_one_by_one(ink):
    one_by_one = {id(g): p for g in ink.glyphs if (p := _glyph_problem(ink, g))}
    assert _page_problems(ink) == one_by_one
