"""Translated outputs read back: Spanish, Arabic (right-to-left) and Simplified Chinese."""

from __future__ import annotations

import pdfplumber
import pytest
import yaml
from pptx import Presentation
from pypdf import PdfReader

from conftest import BUNDLED
from readback import (arabic_letters, characters_without_glyphs, font_cmaps, in_order,
                      markdown_safety_texts, pdf_text, po_safety_texts, share_found, squeezed)

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


@pytest.mark.parametrize("name", PATIENT)
def test_arabic_safety_statements_are_present(built, name):
    """Compared as letter skeletons: PDF extraction loses some hamza and vowel marks."""
    text = arabic_letters(pdf_text(out(built, "ar") / name))
    translated = po_safety_texts(LOCALES / "ar.po")
    for safety_id in REQUIRED["patient"]:
        statement = arabic_letters("".join(translated[safety_id]))
        assert share_found(text, statement) >= 0.9, safety_id
        assert squeezed(ENGLISH[safety_id]) not in squeezed(pdf_text(out(built, "ar") / name))


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
    assert share_found(arabic_letters(pdf_text(path)), arabic_letters("المشي إلى الخلف كتمرين")) \
        >= 0.9


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
