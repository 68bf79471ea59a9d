"""Slides for presenting: about forty words a slide, never a bullet split, few lone bullets."""

from __future__ import annotations

import pytest

from conftest import BUNDLED
from handouts.assets.locations import default_templates
from handouts.load.folder import load_document
from handouts.model.inline import Run
from handouts.model.markers import MAX_WORDS, WORD_CEILING
from handouts.plan.selection import select
from handouts.render.pptx.deck import deck_strings
from handouts.render.pptx.planner import Paragraph, Planner
from handouts.render.pptx.template import open_template

FIFTEEN = "Walk backward on the treadmill with both hands on the rails and a spotter near you."


@pytest.fixture(scope="module")
def planner():
    view = select(load_document(BUNDLED).document, "trainer")
    templates = default_templates()
    _, layouts = open_template(view, templates, None)
    return Planner(view, deck_strings(view, templates), layouts)


def bullets(count: int, text: str = FIFTEEN) -> list[Paragraph]:
    return [Paragraph([Run(text)]) for _ in range(count)]


def words(slide) -> int:
    return sum(len(p.text.split()) for p in slide.body)


def test_a_slide_holds_about_forty_words():
    assert len(FIFTEEN.split()) == 16


def test_sections_continue_when_they_pass_forty_words(planner):
    slides = planner.fit("section", "Guarding", bullets(6), "notes")
    assert [len(s.body) for s in slides] == [2, 2, 2]
    assert all(words(s) <= MAX_WORDS for s in slides)


def test_a_slide_may_stretch_to_the_ceiling_rather_than_leave_a_lone_bullet(planner):
    slides = planner.fit("section", "Guarding", bullets(3), "notes")
    assert [len(s.body) for s in slides] == [3]  # 48 words, not 2 + a lone bullet
    assert MAX_WORDS < words(slides[0]) <= WORD_CEILING


def test_a_long_bullet_is_never_split(planner):
    long = " ".join([FIFTEEN] * 5)
    slides = planner.fit("section", "Guarding", [Paragraph([Run(long)])], "notes")
    assert len(slides) == 1 and slides[0].body[0].text == long


def test_the_safety_protocol_keeps_every_statement_on_one_slide(planner):
    view = planner.view
    section = next(s for s in view.sections if s.id == "guarding")
    slides = planner.section_slides(section)
    assert len(slides) == 1 and slides[0].second


def test_references_fill_each_slide_before_the_next():
    from handouts.render.pptx.fit import Box
    from handouts.render.pptx.planner import Packing
    packing = Packing(Box(width=600, height=120), limit=7, words=None)
    chunks = packing.filled(bullets(7), 14)
    assert len(chunks) > 1
    for chunk, following in zip(chunks, chunks[1:]):
        assert not packing.fits(chunk + following[:1], 14)  # the next one did not fit


def test_the_bundled_references_are_at_least_14_pt_on_as_few_slides_as_fit(planner):
    slides = planner.reference_slides()
    assert all(slide.size >= 14 for slide in slides)
    assert len(slides) == 1


def test_a_title_too_long_for_its_placeholder_is_set_smaller(planner):
    from handouts.render.pptx.planner import TITLE_FLOOR, PlannedSlide
    short = PlannedSlide("section", "Mechanism")
    long = PlannedSlide("section", "Protocolo de seguridad y protección para la marcha hacia "
                                   "atrás en cinta rodante con arnés (cont.)")
    assert planner.title_size(short) is None
    assert TITLE_FLOOR <= planner.title_size(long) < 36
