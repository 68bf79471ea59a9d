"""Translated outputs read back: Spanish, Arabic (right-to-left) and Simplified Chinese."""

from __future__ import annotations

import re

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from conftest import BUNDLED
from readback import (characters_without_glyphs, exact, font_cmaps, in_order,
                      markdown_safety_texts, pdf_text, pdfium_text, po_safety_texts,
                      poppler_text, squeezed)

TOPIC = yaml.safe_load((BUNDLED / "topic.yaml").read_text(encoding="utf-8"))
LOCALES = BUNDLED / "locales"
ENGLISH = markdown_safety_texts(BUNDLED / "backwards-walking.md")
PATIENT = ["backwards-walking-patient.pdf", "backwards-walking-patient-a4.pdf",
           "backwards-walking-patient-large.pdf", "backwards-walking-patient-large-a4.pdf"]
REQUIRED = {a: TOPIC["audiences"][a]["required_safety"] for a in TOPIC["audiences"]}
UNREVIEWED = {"es": "Traducción aún no revisada por un traductor médico cualificado",
              "zh-Hans": "译文尚未经合格的医学翻译人员审校"}


@pytest.fixture(scope="module")
def cmaps():
    return font_cmaps()


def out(built, language):
    return built.parent / language


def test_the_first_command_builds_every_listed_language(built):
    web = ["backwards-walking-patient.html"]
    expected = {"es": PATIENT + web + ["backwards-walking-clinician.pdf",
                                       "backwards-walking-clinician-a4.pdf",
                                       "backwards-walking-slides.pptx",
                                       "backwards-walking-clinician.html"],
                "ar": PATIENT + web, "zh-Hans": PATIENT + web}
    for language, names in expected.items():
        assert sorted(p.name for p in out(built, language).iterdir()) == sorted(names)


@pytest.mark.parametrize("language", ["es", "zh-Hans"])
@pytest.mark.parametrize("name", PATIENT)
def test_patient_safety_statements_are_translated_not_english(built, language, name):
    text = squeezed(pdf_text(out(built, language) / name))
    translated = po_safety_texts(LOCALES / f"{language}.po")
    for safety_id in REQUIRED["patient"]:
        assert in_order(text, translated[safety_id]), safety_id
        assert squeezed(ENGLISH[safety_id]) not in text, safety_id


BRIEF = ["backwards-walking-clinician.pdf", "backwards-walking-clinician-a4.pdf"]
EVERY_PDF = [(language, name, "patient") for language in ("es", "ar", "zh-Hans")
             for name in PATIENT] + [("es", name, "clinician") for name in BRIEF]


def found_in_order(text: str, parts: list[str]) -> bool:
    """Each part of a statement (the stretches between its citations), exactly, in order.

    A raised citation number may come out anywhere inside a part (on a right-to-left
    line it is painted at the left end); only digits and commas are let through there.
    """
    position = 0
    for part in parts:
        pattern = r"(?:[0-9,]+)?".join(re.escape(c) for c in exact(part))
        match = re.compile(pattern).search(text, position)
        if match is None:
            return False
        position = match.end()
    return True


def reading_order(text: str, language: str) -> str:
    """pdftotext writes a right-to-left line's sections left to right on a page where
    left-to-right text dominates ("." then the Arabic in an RLE embedding); a
    right-to-left paragraph reads its top-level sections from the right."""
    if language != "ar":
        return text
    lines = []
    for line in text.split("\n"):
        sections, depth, rtl = [""], 0, False
        for char in line:
            if char in "\u202a\u202b":
                if depth == 0:
                    sections.append("")
                    rtl = rtl or char == "\u202b"
                depth += 1
            elif char == "\u202c" and depth:
                depth -= 1
                if depth == 0:
                    sections.append("")
            else:
                sections[-1] += char
        sections = [s for s in sections if s]
        lines.append("".join(reversed(sections)) if rtl and len(sections) > 1 else
                     "".join(sections))
    return "\n".join(lines)


@pytest.mark.parametrize("reader", [poppler_text, pdfium_text], ids=["poppler", "PDFium"])
@pytest.mark.parametrize("language,name,audience", EVERY_PDF)
def test_every_translated_safety_statement_reads_back_word_for_word(built, reader, language,
                                                                    name, audience):
    """Exactly, in every script, with two independent extractors: no letter skeletons, no
    similarity threshold (a dropped "لا" fails)."""
    text = exact(reading_order(reader(out(built, language) / name), language))
    text = re.sub("[-\u00ad\u2010\u2011]", "", text)  # line-end hyphens
    translated = po_safety_texts(LOCALES / f"{language}.po")
    for safety_id in REQUIRED[audience]:
        parts = [re.sub("[-\u00ad\u2010\u2011]", "", p) for p in translated[safety_id]]
        assert found_in_order(text, parts), (safety_id, parts)
        assert exact(ENGLISH[safety_id]) not in text, safety_id


def test_spanish_brief_and_deck_carry_their_translated_safety_wording(built):
    translated = po_safety_texts(LOCALES / "es.po")
    brief = squeezed(pdf_text(out(built, "es") / "backwards-walking-clinician.pdf"))
    for safety_id in REQUIRED["clinician"]:
        assert in_order(brief, translated[safety_id])
        assert squeezed(ENGLISH[safety_id]) not in brief
    deck = Presentation(out(built, "es") / "backwards-walking-slides.pptx")
    text = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes
                     if shape.has_text_frame)
    import re
    text = squeezed(re.sub(r"\s*\[\d+(, \d+)*\]", "", text))
    for safety_id in REQUIRED["trainer"]:
        assert in_order(text, translated[safety_id])
        assert squeezed(ENGLISH[safety_id]) not in text
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert "Objetivos de aprendizaje" in titles and "Compruebe lo aprendido" in titles


@pytest.mark.parametrize("language", ["en", "es", "ar", "zh-Hans"])
def test_no_missing_glyphs_in_any_language(built, cmaps, language):
    for name in PATIENT[:1] + PATIENT[2:3]:
        assert characters_without_glyphs(out(built, language) / name, cmaps) == []


def test_no_missing_glyphs_in_the_spanish_brief(built, cmaps):
    path = out(built, "es") / "backwards-walking-clinician.pdf"
    assert characters_without_glyphs(path, cmaps) == []


def test_arabic_handout_is_right_to_left(built):
    path = out(built, "ar") / PATIENT[0]
    reader = PdfReader(path)
    assert reader.trailer["/Root"]["/Lang"] == "ar"
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        title_size = max(c["size"] for c in page.chars)
        title = [c for c in page.chars if c["size"] == title_size]
        body = [c for c in page.chars if abs(c["size"] - 12) < 0.5]
        assert page.width - max(c["x1"] for c in title) < 50  # set against the right margin
        assert min(c["x0"] for c in title) > page.width / 3  # and far from the left one
        right_edges = sorted(round(c["x1"]) for c in body)
        assert right_edges[-1] > page.width - 50
    assert exact("المشي إلى الخلف كتمرين") in exact(pdfium_text(path))
    assert exact("المشي إلى الخلف كتمرين") in exact(poppler_text(path))


def test_arabic_page_numbers_use_arabic_digits_and_references_stay_latin(built):
    text = pdf_text(out(built, "ar") / PATIENT[0])
    assert "١" in text and "٢" in text
    assert "doi:10.1080/09593985.2025.2550532" in squeezed(text)


@pytest.mark.parametrize("language,label,date", [
    ("es", "Página 1 de", "25 de noviembre de 2026"),
    ("zh-Hans", "第 1 页，共 2 页", "2026年11月25日"),
])
def test_page_labels_and_dates_are_localized(built, language, label, date):
    text = pdf_text(out(built, language) / PATIENT[0])
    assert squeezed(label) in squeezed(text)
    assert squeezed(date) in squeezed(text)


@pytest.mark.parametrize("language", ["es", "zh-Hans"])
def test_unreviewed_translations_say_so_on_every_page(built, language):
    for page in PdfReader(out(built, language) / PATIENT[0]).pages:
        assert squeezed(UNREVIEWED[language]) in squeezed(page.extract_text())


def test_english_outputs_carry_no_translation_notice(built):
    text = pdf_text(built / PATIENT[0])
    assert "reviewed by a qualified medical translator" not in text


def test_unreviewed_spanish_deck_says_so_on_every_slide(built):
    deck = Presentation(out(built, "es") / "backwards-walking-slides.pptx")
    for slide in deck.slides:
        notices = [s.text_frame.text for s in slide.shapes if s.name == "Translation notice"]
        assert notices == [UNREVIEWED["es"]]


@pytest.mark.parametrize("language", ["es", "ar", "zh-Hans"])
def test_standard_translated_handouts_fit_one_sheet(built, language):
    """Longer translations are laid out tighter (same type size) rather than spill a page."""
    for name in PATIENT[:2]:
        assert len(PdfReader(out(built, language) / name).pages) == 2, name


def test_spanish_brief_stays_within_two_pages(built):
    for name in ("backwards-walking-clinician.pdf", "backwards-walking-clinician-a4.pdf"):
        assert len(PdfReader(out(built, "es") / name).pages) <= 2
