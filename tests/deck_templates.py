"""Slide templates as organisations have them, made with python-pptx (nothing fetched).

- plain 4:3: python-pptx's own blank presentation, Calibri, 10 x 7.5 in;
- renamed layouts: the default template with its three layouts under other names;
- organisation style: 16:9, Arial theme fonts, a logo on the master, and a
  content placeholder narrower than usual.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Inches

REPOSITORY = Path(__file__).resolve().parents[1]
DEFAULT = REPOSITORY / "templates" / "slides" / "default.pptx"
RENAMED = {"title": "Opening", "content": "Body text", "two_content": "Side by side"}
ENGLISH_NAMES = {"title": "Title Slide", "content": "Title and Content",
                 "two_content": "Two Content"}


def plain_4_3(path: Path) -> Path:
    Presentation().save(path)
    return path


def renamed_layouts(path: Path) -> Path:
    deck = Presentation(DEFAULT)
    by_name = {layout.name: layout for layout in deck.slide_layouts}
    for role, name in RENAMED.items():
        by_name[ENGLISH_NAMES[role]]._element.cSld.set("name", name)
    deck.save(path)
    return path


def set_theme_fonts(deck, family: str) -> None:
    theme = deck.slide_master.part.part_related_by(RT.THEME)
    root = etree.fromstring(theme.blob)
    for latin in root.iterfind(".//{*}fontScheme/*/{*}latin"):
        latin.set("typeface", family)
    theme._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def logo_png() -> io.BytesIO:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (240, 80), (20, 60, 120))
    ImageDraw.Draw(image).rectangle((10, 10, 70, 70), fill=(240, 180, 0))
    data = io.BytesIO()
    image.save(data, format="PNG")
    data.seek(0)
    return data


def add_master_logo(master, left: int, top: int, width: int, height: int) -> None:
    """A picture on the slide master, so every slide shows it (python-pptx has no call for it)."""
    from pptx.oxml.shapes.picture import CT_Picture

    _, rel_id = master.part.get_or_add_image_part(logo_png())
    picture = CT_Picture.new_pic(900, "Organisation logo", "Organisation logo", rel_id,
                                 left, top, width, height)
    master.shapes._spTree.append(picture)


def organisation_style(path: Path, family: str = "Arial") -> Path:
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    set_theme_fonts(deck, family)
    master = deck.slide_master
    add_master_logo(master, Inches(11.4), Inches(6.75), Inches(1.5), Inches(0.5))
    for layout in master.slide_layouts:
        for placeholder in layout.placeholders:
            if placeholder.placeholder_format.idx == 0:
                placeholder.left, placeholder.top = Inches(0.6), Inches(0.3)
                placeholder.width, placeholder.height = Inches(12.1), Inches(1.2)
    content = next(l for l in master.slide_layouts if l.name == "Title and Content")
    body = next(p for p in content.placeholders if p.placeholder_format.idx == 1)
    body.left, body.top, body.width, body.height = (Inches(0.6), Inches(1.7), Inches(7.6),
                                                    Inches(4.8))  # narrow: a sidebar beside it
    two = next(l for l in master.slide_layouts if l.name == "Two Content")
    for placeholder in two.placeholders:
        if placeholder.placeholder_format.idx in (1, 2):
            placeholder.top, placeholder.height = Inches(1.7), Inches(4.8)
            placeholder.width = Inches(5.9)
            placeholder.left = Inches(0.6 if placeholder.placeholder_format.idx == 1 else 6.8)
    deck.save(path)
    return path
