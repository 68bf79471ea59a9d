"""Regenerate templates/slides/default.pptx, the clean default brand template of the deck.

    .venv/bin/python scripts/make-slide-template.py

It starts from python-pptx's own template and makes it 16:9, sets the theme
fonts to Calibri (which presenting PCs have; measured with the metric-compatible
Carlito, see docs/slide-fonts.md) and the colours to the handouts
palette, sizes the text for a room, and adds a thin accent band. Run it only
to change the design; the result is committed so builds never depend on it.
"""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from handouts.render.pptx.writer import fixed_zip

OUT = Path(__file__).resolve().parents[1] / "templates" / "slides" / "default.pptx"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}
WIDE, OLD = 12192000, 9144000
FONT = "Calibri"
TEAL, DARK = "0B5563", "0B3D47"


def widen(root) -> None:
    """Scale every shape horizontally from 4:3 to 16:9."""
    for xfrm in root.iter(f"{{{NS['a']}}}xfrm"):
        for tag, attribute in (("off", "x"), ("ext", "cx")):
            node = xfrm.find(f"a:{tag}", NS)
            if node is not None:
                node.set(attribute, str(int(node.get(attribute)) * WIDE // OLD))


def theme(xml: bytes) -> bytes:
    root = etree.fromstring(xml)
    for which in ("majorFont", "minorFont"):
        root.find(f".//a:{which}/a:latin", NS).set("typeface", FONT)
    colours = {"dk2": DARK, "accent1": TEAL, "accent2": "B3141C", "hlink": TEAL}
    for name, value in colours.items():
        slot = root.find(f".//a:clrScheme/a:{name}", NS)
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{NS['a']}}}srgbClr", val=value)
    root.find(".//a:clrScheme", NS).set("name", "handouts")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def text_styles(master) -> None:
    styles = master.find("p:txStyles", NS)
    title = styles.find("p:titleStyle/a:lvl1pPr", NS)
    title.set("algn", "l")
    run = title.find("a:defRPr", NS)
    run.set("sz", "3600")
    run.set("b", "1")
    fill = run.find("a:solidFill", NS)
    if fill is not None:
        run.remove(fill)
    colour = etree.Element(f"{{{NS['a']}}}solidFill")
    etree.SubElement(colour, f"{{{NS['a']}}}srgbClr", val=DARK)
    run.insert(0, colour)
    for level, size in (("lvl1pPr", "2400"), ("lvl2pPr", "2000"), ("lvl3pPr", "1800")):
        styles.find(f"p:bodyStyle/a:{level}/a:defRPr", NS).set("sz", size)


def accent_band(master) -> None:
    """A teal band across the top of every slide."""
    tree = master.find("p:cSld/p:spTree", NS)
    band = etree.fromstring(f"""
<p:sp xmlns:p="{NS['p']}" xmlns:a="{NS['a']}">
  <p:nvSpPr><p:cNvPr id="90" name="Accent band"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>
  <p:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{WIDE}" cy="137160"/></a:xfrm>
    <a:prstGeom prst="rect"><a:avLst/></a:prstGeom>
    <a:solidFill><a:srgbClr val="{TEAL}"/></a:solidFill><a:ln><a:noFill/></a:ln></p:spPr>
</p:sp>""")
    tree.insert(2, band)


def centre_title_slide(layout) -> None:
    """The title slide keeps PowerPoint's centred title; content slides align left."""
    for shape in layout.iter(f"{{{NS['p']}}}sp"):
        placeholder = shape.find(".//p:ph", NS)
        if placeholder is not None and placeholder.get("type") == "ctrTitle":
            styles = shape.find("p:txBody/a:lstStyle", NS)
            etree.SubElement(styles, f"{{{NS['a']}}}lvl1pPr", algn="ctr")


def main() -> None:
    prs = Presentation()
    prs.slide_width = WIDE
    master = prs.slide_master
    widen(master._element)
    for layout in master.slide_layouts:
        widen(layout._element)
    text_styles(master._element)
    accent_band(master._element)
    centre_title_slide(master.slide_layouts[0]._element)
    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = theme(theme_part.blob)
    props = prs.core_properties
    props.author = props.last_modified_by = "handouts"
    props.title = "handouts default slide template"
    props.revision = 1
    import datetime as dt
    props.created = props.modified = dt.datetime(2026, 1, 1)
    buffer = io.BytesIO()
    prs.save(buffer)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(fixed_zip(buffer.getvalue()))
    print(f"wrote {OUT} ({OUT.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
