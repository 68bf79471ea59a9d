"""Writing planned slides with python-pptx, with fixed metadata and zip dates (same bytes)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ...model import View
from ...model.dates import source_date
from ...model.markers import REFERENCE_LIST_SHAPE
from .fit import EMU_PER_POINT
from .planner import SPACE_BEFORE, Paragraph, PlannedSlide
from .table import CELL_MARGIN, CELL_PADDING


def write_slides(presentation, layouts: dict, slides: list[PlannedSlide], language: str,
                 notices: list[str]) -> None:
    for planned in slides:
        layout = layouts["title"] if planned.kind in ("title", "closing") else \
            layouts["two_content"] if planned.second or planned.image else layouts["content"]
        slide = presentation.slides.add_slide(layout)
        slide.shapes.title.text_frame.text = planned.title
        if planned.title_size:
            from pptx.util import Pt
            for run in slide.shapes.title.text_frame.paragraphs[0].runs:
                run.font.size = Pt(planned.title_size)
        _language(slide.shapes.title.text_frame, language)
        placeholders = {p.placeholder_format.idx: p for p in slide.placeholders}
        if planned.kind in ("title", "closing"):
            _fill_plain(placeholders[1].text_frame, planned.subtitle, language)
        elif planned.table:
            _add_table(slide, placeholders[1], planned, language)
        else:
            _fill(placeholders[1].text_frame, planned.body, planned.size, language)
            if planned.kind == "references":
                placeholders[1].name = REFERENCE_LIST_SHAPE
            if planned.second:
                _fill(placeholders[2].text_frame, planned.second, planned.size, language)
            elif planned.image:
                _add_picture(slide, placeholders[2], *planned.image)
        if planned.notes:
            slide.notes_slide.notes_text_frame.text = planned.notes
        if notices:
            _add_notice(slide, presentation, " · ".join(notices), language)


def _add_notice(slide, presentation, text: str, language: str) -> None:
    """DRAFT and not-yet-reviewed marks, in red along the bottom of every slide."""
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(0.3), presentation.slide_height - Inches(0.55),
                                   presentation.slide_width - Inches(0.6), Inches(0.4))
    box.name = "Translation notice"
    paragraph = box.text_frame.paragraphs[0]
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(14), True
    run.font.color.rgb = RGBColor(0xB3, 0x14, 0x1C)
    _language(box.text_frame, language)


def _fill(frame, paragraphs: list[Paragraph], size: float, language: str) -> None:
    from pptx.util import Pt

    frame.word_wrap = True
    _no_autofit(frame)
    for i, paragraph in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if i:
            p.space_before = Pt(SPACE_BEFORE)
        if not paragraph.bullet:
            p_pr = p._p.get_or_add_pPr()
            p_pr.set("marL", "0")
            p_pr.set("indent", "0")
            p_pr.insert(0, p_pr.makeelement(
                "{http://schemas.openxmlformats.org/drawingml/2006/main}buNone", {}))
        for run in paragraph.runs:
            r = p.add_run()
            r.text = run.text
            r.font.size = Pt(size)
            r.font.bold = run.bold or None
            r.font.italic = run.italic or None
            if run.link:
                r.hyperlink.address = run.link
    _language(frame, language)


def _fill_plain(frame, text: str, language: str) -> None:
    frame.text = text
    _language(frame, language)


def _no_autofit(frame) -> None:
    from pptx.enum.text import MSO_AUTO_SIZE
    frame.auto_size = MSO_AUTO_SIZE.NONE


def _language(frame, language: str) -> None:
    """Tag every run with the language, so viewers pick the right fonts and spelling."""
    for paragraph in frame.paragraphs:
        for run in paragraph.runs:
            run._r.get_or_add_rPr().set("lang", language)


def _add_table(slide, placeholder, planned: PlannedSlide, language: str) -> None:
    """The table where the body placeholder was, with the planner's column widths and rows."""
    from pptx.util import Emu, Pt

    left, top, width = placeholder.left, placeholder.top, placeholder.width
    placeholder._element.getparent().remove(placeholder._element)
    rows, heights = planned.table, [_emu(h) for h in planned.row_heights]
    shape = slide.shapes.add_table(len(rows), len(rows[0]), left, top, width, Emu(sum(heights)))
    table = shape.table
    edges = [round(width * sum(planned.column_widths[:i]) / sum(planned.column_widths))
             for i in range(len(planned.column_widths) + 1)]
    for column, (start, end) in zip(table.columns, zip(edges, edges[1:])):
        column.width = Emu(end - start)
    for r, row in enumerate(rows):
        table.rows[r].height = Emu(heights[r])
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.margin_left = cell.margin_right = Emu(_emu(CELL_MARGIN))
            cell.margin_top = cell.margin_bottom = Emu(_emu(CELL_PADDING))
            cell.text = text
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(planned.size)
                    run.font.bold = True if r == 0 or c == 0 else None
            _language(cell.text_frame, language)


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_POINT))


def _add_picture(slide, placeholder, path: Path, alt: str) -> None:
    left, top, width, height = (placeholder.left, placeholder.top, placeholder.width,
                                placeholder.height)
    placeholder._element.getparent().remove(placeholder._element)
    picture = slide.shapes.add_picture(_picture_file(path), left, top)
    ratio = min(width / picture.width, height / picture.height)
    picture.width, picture.height = int(picture.width * ratio), int(picture.height * ratio)
    picture._element.nvPicPr.cNvPr.set("descr", alt)


def _picture_file(path: Path):
    """The image as PowerPoint can hold it: WebP is converted to PNG (same pixels)."""
    from PIL import Image

    with Image.open(path) as image:
        if image.format != "WEBP":
            return str(path)
        png = io.BytesIO()
        image.save(png, format="PNG")
        png.seek(0)
        return png


def set_core_properties(presentation, view: View) -> None:
    """Fixed metadata from the topic (the template's own would leak otherwise)."""
    props = presentation.core_properties
    reviewed = source_date(view.topic.review_date)
    props.author = props.last_modified_by = view.topic.owner
    props.title = view.settings.title.text
    props.subject = view.settings.subtitle.text if view.settings.subtitle else ""
    props.keywords = props.comments = props.category = ""
    props.language = view.language
    props.revision = 1
    props.created = props.modified = reviewed
    props.last_printed = reviewed


def fixed_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry dates: same inputs, same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
