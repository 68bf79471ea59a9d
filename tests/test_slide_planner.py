"""The slide planner: packing bullets onto slides, continuation titles, balancing, shrinking.

Planning happens before any slide XML is written, so these tests need no deck:
the default template gives the placeholder sizes, the bundled font the widths.
"""

from __future__ import annotations

import pytest

from conftest import BUNDLED
from handouts.assets.locations import default_templates
from handouts.load.folder import load_document
from handouts.model.inline import Run
from handouts.model.markers import MAX_BULLETS
from handouts.plan.selection import select
from handouts.render.pptx.deck import deck_strings
from handouts.render.pptx.fit import Box, fits, text_height
from handouts.render.pptx.planner import (BODY_FLOOR, BODY_SIZE, REFERENCE_FLOOR, SPACE_BEFORE,
                                          Paragraph, Planner, _balanced)
from handouts.render.pptx.template import open_template

SHORT = "A short point."
LONG = ("Backward walking is taught on a treadmill with the safety rails held, starting at a "
        "slow speed for a few minutes and adding time and speed little by little")


@pytest.fixture(scope="module")
def view():
    return select(load_document(BUNDLED).document, "trainer")


@pytest.fixture(scope="module")
def planner(view):
    templates = default_templates()
    _, layouts = open_template(view, templates, None)
    return Planner(view, deck_strings(view, templates), layouts)


def paragraphs(*texts: str) -> list[Paragraph]:
    return [Paragraph([Run(text)]) for text in texts]


def numbered(count: int, text: str = SHORT) -> list[Paragraph]:
    return paragraphs(*(f"{i}. {text}" for i in range(1, count + 1)))


def texts(slide) -> list[str]:
    return [p.text for p in slide.body]


def test_one_slide_when_everything_fits(planner):
    (slide,) = planner.fit("section", "Mechanism", numbered(4), "Say it.")
    assert slide.title == "Mechanism" and slide.size == BODY_SIZE and slide.notes == "Say it."
    assert len(slide.body) == 4


def test_no_slide_holds_more_than_max_bullets(planner):
    slides = planner.fit("section", "Mechanism", numbered(2 * MAX_BULLETS + 1), "")
    assert len(slides) == 3
    assert all(len(slide.body) <= MAX_BULLETS for slide in slides)
    assert [t for slide in slides for t in texts(slide)] == \
        [p.text for p in numbered(2 * MAX_BULLETS + 1)]  # every bullet, in order


def test_continuation_slides_say_cont_and_keep_the_notes(planner):
    slides = planner.fit("section", "Mechanism", numbered(MAX_BULLETS + 1), "Say it.")
    assert [s.title for s in slides] == ["Mechanism", "Mechanism (cont.)"]
    assert all(s.notes == "Say it." and s.kind == "section" for s in slides)


def test_a_smaller_limit_packs_fewer_bullets(planner):
    slides = planner.fit("safety", "Safety", numbered(7), "", box=planner.column, limit=3)
    assert [len(s.body) for s in slides] == [3, 2, 2]  # balanced, not 3, 3 and 1
    slides = planner.fit("safety", "Safety", numbered(4), "", box=planner.column, limit=3)
    assert [len(s.body) for s in slides] == [2, 2]  # balanced, not 3 and 1


def test_bullets_are_spread_evenly_over_the_slides(planner):
    slides = planner.fit("section", "Mechanism", numbered(MAX_BULLETS + 1), "")
    assert [len(s.body) for s in slides] == [4, 3]  # not 6 and 1


def test_balanced_splits_evenly_when_the_even_split_fits(planner):
    chunks = [numbered(MAX_BULLETS), numbered(2)]
    assert [len(c) for c in _balanced(chunks, planner.body, BODY_SIZE)] == [4, 4]
    chunks = [numbered(3), numbered(3), numbered(1)]  # no slide two bullets short of another
    assert [len(c) for c in _balanced(chunks, planner.body, BODY_SIZE)] == [3, 2, 2]


def test_balanced_keeps_the_packing_when_the_even_split_would_not_fit():
    chunks = [paragraphs(LONG), paragraphs(SHORT, SHORT, SHORT)]  # 4 paragraphs: 2 + 2 evenly
    roomy = Box(width=400, height=text_height([LONG, SHORT], 400, BODY_SIZE, SPACE_BEFORE))
    assert [[p.text for p in c] for c in _balanced(chunks, roomy, BODY_SIZE)] == \
        [[LONG, SHORT], [SHORT, SHORT]]
    tight = Box(width=400, height=text_height([LONG], 400, BODY_SIZE))  # LONG alone fills it
    assert not fits([LONG, SHORT], tight, BODY_SIZE, SPACE_BEFORE)
    assert _balanced(chunks, tight, BODY_SIZE) == chunks


def test_text_too_long_for_the_box_shrinks_only_as_far_as_needed(planner):
    box = planner.body
    words = LONG.split()
    text = LONG
    while fits([text], box, BODY_SIZE):
        text += " " + " ".join(words[:6])
    (slide,) = planner.fit("section", "Mechanism", paragraphs(text), "")
    assert BODY_FLOOR <= slide.size < BODY_SIZE
    assert fits([text], box, slide.size)
    assert not fits([text], box, slide.size + 1)


def test_text_never_shrinks_below_the_floor(planner):
    text = " ".join([LONG] * 20)
    assert not fits([text], planner.body, REFERENCE_FLOOR)
    (slide,) = planner.fit("section", "Mechanism", paragraphs(text), "")
    assert slide.size == BODY_FLOOR
    references = planner.fit("references", "References", paragraphs(text), "",
                             size=16, floor=REFERENCE_FLOOR)
    assert references[0].size == REFERENCE_FLOOR


def test_an_empty_section_still_gets_one_slide(planner):
    (slide,) = planner.fit("section", "Empty", [], "")
    assert slide.body == [] and slide.title == "Empty"


def test_the_bundled_deck_plan_keeps_every_rule(planner, view):
    slides = planner.plan()
    assert slides[0].kind == "title" and slides[-1].kind == "closing"
    for slide in slides:
        assert len(slide.body) <= MAX_BULLETS or slide.kind == "references", slide.title
        assert len(slide.second) <= MAX_BULLETS, slide.title
        if slide.kind not in ("references", "evidence"):
            assert slide.size >= BODY_FLOOR, slide.title
    sections = [s for s in slides if s.kind in ("section", "safety")]
    shown = {s.title.removesuffix(" (cont.)") for s in sections}
    assert shown == {planner.plain(section.title) for section in view.sections}


def test_no_continuation_slide_holds_a_lone_bullet_when_smaller_type_avoids_it(planner):
    """Five bullets in a box that holds two at 24 pt and three at 20 pt: 24 pt would pack
    2 + 2 + 1; a size the floor allows packs them without a slide that holds one bullet."""
    sentence = "Backward walking on a treadmill with the rails held and a spotter beside."
    bullets = [Paragraph([Run(sentence)]) for _ in range(5)]
    box = Box(width=300, height=text_height([sentence] * 3, 300, 20, SPACE_BEFORE))
    assert not fits([sentence] * 3, box, BODY_SIZE, SPACE_BEFORE)
    slides = planner.fit("section", "Long", bullets, "notes", box=box)
    assert len(slides) > 1
    assert min(len(slide.body) for slide in slides) > 1
    assert all(slide.size >= BODY_FLOOR for slide in slides)
