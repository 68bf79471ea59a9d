"""The PDF text layer is exact in every script: what is typeset is what two extractors read.

Pages are rendered with WeasyPrint inside `exact_text_layer()` (what the
build does) and read back with poppler's pdftotext and with PDFium, neither
of them code under test. Arabic is the hard case: shared glyphs (dots,
lam-alef parts), ligatures of two letters, hamza forms, alef maksura and
marks drawn apart from their letters.
"""

from __future__ import annotations

import inspect
import io
import os
import re
import subprocess
from dataclasses import replace

import pytest

from conftest import BUNDLED
from readback import exact, pdfium_text, poppler_text

weasyprint = pytest.importorskip("weasyprint")

from handouts.render.pdf import text_layer  # noqa: E402
from handouts.render.pdf.text_layer import exact_text_layer  # noqa: E402

# Every lam-alef form, isolated and joined; every hamza form; alef maksura; ta marbuta;
# every vowel mark (tashkeel): fatha, damma, kasra, shadda, sukun and the three tanwin.
ARABIC = [
    "لا تمارسه وحدك",  # lam-alef at a word's start: "not"
    "كلا ولا",  # lam-alef joined to the letter before it
    "لأن سلأ",  # lam-alef with hamza above, isolated and joined
    "لإصابة ملإ",  # lam-alef with hamza below
    "لآن سلآم",  # lam-alef with madda
    "أمل إلى سؤال مسائل شيء قرآن ء",  # hamza on alef above and below, waw, ya, alone, madda
    "إلى على مستشفى",  # alef maksura
    "مدرسة حالة خطيرة",  # ta marbuta
    "بَ بُ بِ بّ بْ بً بٌ بٍ",  # each mark alone on a letter
    "مُدَرِّسَةٌ كِتَابًا مِنْ",  # marks inside words, shadda with kasra
    "توقّف فورًا إذا شعرت بدوار.",  # a safety sentence as translators write it
]
LATIN_AND_CHINESE = ["Hold the rails the whole time. FIve ﬂights.", "Sostenga las barandillas; ¡no!",
                     "全程握住扶手。不要独自练习。"]


def html(paragraphs: list[str], language: str, direction: str = "ltr",
         style: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f'<html lang="{language}" dir="{direction}"><body style="font-family: '
            f"'Noto Sans Arabic', 'Atkinson Hyperlegible', 'Noto Sans CJK SC'; "
            f'font-size: 13pt; {style}">{body}<h2 style="letter-spacing: 0.03em">'
            f"{paragraphs[-1]}</h2><p><b>{paragraphs[0]}</b></p></body></html>")


def render(page: str, exact_layer: bool = True) -> bytes:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = "1764028800"  # for this PDF only: later builds in
    try:                                            # the session must not see it
        document = weasyprint.HTML(string=page).render()
        if not exact_layer:
            return document.write_pdf(pdf_variant="pdf/ua-1")
        with exact_text_layer():
            return document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


@pytest.fixture(scope="module")
def arabic_pdf() -> bytes:
    return render(html(ARABIC, "ar", "rtl"))


def rendered_text(paragraphs: list[str]) -> str:
    """What html() typesets, in reading order: the paragraphs, the heading, the bold line."""
    return exact("".join(paragraphs) + paragraphs[-1] + paragraphs[0])


@pytest.mark.parametrize("reader", [poppler_text, pdfium_text], ids=["poppler", "PDFium"])
def test_arabic_text_reads_back_exactly_with_both_extractors(arabic_pdf, reader):
    assert exact(reader(arabic_pdf)) == rendered_text(ARABIC)


@pytest.mark.parametrize("reader", [poppler_text, pdfium_text], ids=["poppler", "PDFium"])
@pytest.mark.parametrize("sample", ARABIC)
def test_each_arabic_form_reads_back_in_place(arabic_pdf, reader, sample):
    """The same, one sample at a time, so a failure names the form that broke."""
    assert exact(sample) in exact(reader(arabic_pdf))


def test_without_the_exact_layer_arabic_reads_back_wrong():
    """WeasyPrint's own text layer is still wrong for Arabic: the patch is still needed.
    (When this fails, WeasyPrint has fixed Kozea/WeasyPrint#2841: drop text_layer.py.)"""
    text = exact(poppler_text(render(html(ARABIC, "ar", "rtl"), exact_layer=False)))
    assert exact("إلى") not in text or exact("لا تمارسه") not in text


@pytest.mark.parametrize("reader", [poppler_text, pdfium_text], ids=["poppler", "PDFium"])
def test_latin_and_chinese_read_back_exactly(reader):
    assert exact(reader(render(html(LATIN_AND_CHINESE, "en")))) == \
        rendered_text(LATIN_AND_CHINESE).replace("ﬁ", "fi").replace("ﬂ", "fl")


def test_latin_and_chinese_bytes_are_what_weasyprint_writes():
    page = html(LATIN_AND_CHINESE, "en")
    assert render(page) == render(page, exact_layer=False)


def test_the_exact_layer_is_reproducible(arabic_pdf):
    assert render(html(ARABIC, "ar", "rtl")) == arabic_pdf


def test_pages_paint_the_same_with_and_without_the_exact_layer(arabic_pdf):
    plain = render(html(ARABIC, "ar", "rtl"), exact_layer=False)
    assert rasters(plain, "poppler") == rasters(arabic_pdf, "poppler")


def test_pdfium_paints_body_text_the_same():
    """PDFium (unlike poppler) draws some marks moved after their run a fraction of a point
    from where it drew them in place when the type is large (a heading): its own text API
    and poppler put them exactly where they were. Body text it paints pixel for pixel."""
    page = re.sub(r"<h2.*?</p>", "", html(ARABIC, "ar", "rtl"))
    assert rasters(render(page, exact_layer=False), "PDFium") == rasters(render(page), "PDFium")


def rasters(pdf: bytes, renderer: str) -> list[bytes]:
    """Each page as 150 dpi grey pixels."""
    if renderer == "poppler":
        out = subprocess.run(["pdftoppm", "-r", "150", "-gray", "-"], input=pdf,
                             capture_output=True, check=True).stdout  # every page, to stdout
        assert len(out) > 100_000
        return [out]
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf)
    return [document[i].render(scale=150 / 72).to_pil().convert("L").tobytes()
            for i in range(len(document))]


def test_the_pdf_is_tagged_and_its_fonts_are_whole():
    """Still PDF/UA-1 (tagged, language set), every font embedded, pdfminer reads the text."""
    from pypdf import PdfReader
    import pdfplumber
    data = render(html(ARABIC, "ar", "rtl"))
    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "ar"
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True,
                           check=True).stdout.decode()
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # emb
    with pdfplumber.open(io.BytesIO(data)) as pdf:  # its CMap is one pdfminer can read
        text = "".join(c["text"] for c in pdf.pages[0].chars)
        assert all(letter in text for letter in "إىةًلا")


def test_the_weasyprint_functions_it_wraps_are_the_ones_it_was_written_for():
    """A new WeasyPrint must be checked against text_layer.py before the pin moves."""
    from weasyprint.draw import text as draw_text
    from weasyprint.pdf import fonts as pdf_fonts
    assert weasyprint.__version__ == text_layer.WEASYPRINT_VERSION
    assert list(inspect.signature(draw_text.draw_first_line).parameters) == \
        ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]
    assert list(inspect.signature(pdf_fonts._build_vector_font_dictionary).parameters) == \
        ["font_dictionary", "pdf", "font", "widths", "compress", "reference", "pdf_version"]
    assert list(inspect.signature(pdf_fonts.Font.clean).parameters) == \
        ["self", "to_unicode", "hinting"]
    source = inspect.getsource(draw_text.draw_first_line)
    # the arithmetic text_layer._advance repeats, and the mapping it pre-empts
    for line in ("offset = glyph_info.geometry.x_offset / font_size",
                 "kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size",
                 "string += f'>{int(kerning)}<'", "if glyph_id not in font.to_unicode:",
                 "string += f'>{-width / font_size}<'"):
        assert line in source, line


def test_the_patch_is_undone_after_writing():
    from weasyprint.draw import text as draw_text
    before = draw_text.draw_first_line
    with exact_text_layer():
        assert draw_text.draw_first_line is not before
    assert draw_text.draw_first_line is before


# -- the build's read-back: the old tolerance is gone ----------------------------------

def arabic_view(statement_text: str):
    from handouts.errors import Location
    from handouts.load.folder import load_document
    from handouts.model import Block, SafetyStatement, Section, Unit
    from handouts.plan.selection import select

    where, patient = Location("ar.po", 3), frozenset({"patient"})
    unit = Unit("safety.alone.p1", statement_text, where, patient, "alone")
    safety = SafetyStatement("alone", patient, (Block("paragraph", (unit,), patient, where),),
                             where)
    base = select(load_document(BUNDLED).document, "patient")
    section = Section("safety", Unit("safety.title", "تنبيه", where, patient), patient, (),
                      (safety,), (), where)
    settings = replace(base.settings, required_safety={"alone": where})
    return replace(base, sections=(section,), settings=settings)


def test_a_text_layer_that_loses_not_fails_the_read_back():
    """WeasyPrint's own Arabic text layer reads 'لا' back wrong; the build's check, which
    used to accept 90% of the letters, now refuses it."""
    from handouts.verify.pdf import extracted_texts
    from handouts.verify.pdf_reader import read
    from handouts.verify.results import safety_results

    statement = "لا تمارس المشي إلى الخلف وحدك."
    view = arabic_view(statement)
    page = html([statement], "ar", "rtl")
    [wrong] = safety_results(extracted_texts(read(render(page, exact_layer=False)), "ar"), view)
    [right] = safety_results(extracted_texts(read(render(page)), "ar"), view)
    assert not wrong.ok and wrong.detail.endswith("the statement's text is not in the output")
    assert right.ok, right.detail


def test_a_dropped_not_is_not_near_enough():
    from handouts.verify.results import safety_results
    view = arabic_view("لا تمارس المشي إلى الخلف وحدك.")
    right, dropped, turned = ("لا تمارس المشي إلى الخلف وحدك.", "تمارس المشي إلى الخلف وحدك.",
                              "ال تمارس المشي إلى الخلف وحدك.")
    [kept] = safety_results({"PDFium": right, "poppler": right}, view)
    [lost] = safety_results({"PDFium": right, "poppler": dropped}, view)
    [reversed_] = safety_results({"PDFium": turned, "poppler": right}, view)
    assert kept.ok and not lost.ok and not reversed_.ok
    assert lost.detail.endswith("is not in the output as poppler reads it")
    assert reversed_.detail.endswith("is not in the output as PDFium reads it")


def test_a_run_of_one_glyph_a_character_is_read_as_its_characters():
    """The shortcut for most text gives the clusters the general reading would, or none."""
    from handouts.render.pdf.text_layer import _one_glyph_per_character

    assert _one_glyph_per_character(b"walk", [0, 1, 2, 3]) == "walk"
    assert _one_glyph_per_character(b"fine", [0, 2, 3]) is None  # the "fi" ligature
    assert _one_glyph_per_character("año".encode(), [0, 1, 3]) == "año"
    assert _one_glyph_per_character("año".encode(), [0, 1, 2]) is None  # inside "ñ"
    assert _one_glyph_per_character("行走".encode(), [0, 3]) == "行走"
    assert _one_glyph_per_character("e\u0301".encode(), [0, 1]) is None  # a mark joins
