"""The organisation's logo and name on the deck's title and closing slides.

A PNG logo is placed as a picture with its alt text; an SVG logo (PowerPoint
needs a raster) leaves the name alone on the slide.
"""

from __future__ import annotations

from ...model import View

ORGANISATION_SHAPE = "Organisation"
LOGO_SHAPE = "Organisation logo"


def add_organisation(presentation, planned: list, view: View) -> None:
    org = view.topic.organisation
    if org is None:
        return
    for slide, plan in zip(presentation.slides, planned):
        if plan.kind in ("title", "closing"):
            _add(slide, presentation, org, view.language)


def _add(slide, presentation, org, language: str) -> None:
    from pptx.util import Inches, Pt

    left, top, height = Inches(0.4), Inches(0.3), Inches(0.7)
    if org.logo and org.logo.path.suffix.lower() == ".png":
        picture = slide.shapes.add_picture(str(org.logo.path), left, top, height=height)
        picture.name = LOGO_SHAPE
        picture._element.nvPicPr.cNvPr.set("descr", org.logo.alt)
        left = left + picture.width + Inches(0.2)
    box = slide.shapes.add_textbox(left, top, presentation.slide_width - left - Inches(0.4),
                                   height)
    box.name = ORGANISATION_SHAPE
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = org.name
    run.font.size, run.font.bold = Pt(20), True
    run._r.get_or_add_rPr().set("lang", language)
