"""The clinician evidence brief, read back from the PDF."""

from __future__ import annotations

import json
import re
from collections import Counter

import pdfplumber
import pytest
import yaml
from pypdf import PdfReader

from conftest import BUNDLED
from readback import markdown_safety_texts, pdf_text, squeezed, structure_elements

BRIEF = "backwards-walking-clinician.pdf"
TOPIC = yaml.safe_load((BUNDLED / "topic.yaml").read_text(encoding="utf-8"))
REFERENCES = json.loads((BUNDLED / "references.json").read_text(encoding="utf-8"))
DOIS = [r["DOI"] for r in REFERENCES]


@pytest.fixture(scope="module")
def text(built):
    return pdf_text(built / BRIEF)


def reference_list(text: str) -> str:
    return text[text.rindex("References"):]


def test_brief_is_built_on_each_paper_in_one_or_two_pages(built):
    for name in (BRIEF, "backwards-walking-clinician-a4.pdf"):
        assert 1 <= len(PdfReader(built / name).pages) <= 2


def test_every_doi_is_listed_exactly_once(text):
    references = squeezed(reference_list(text))
    for doi in DOIS:
        assert references.count(f"doi:{doi}") == 1, doi


def test_every_doi_is_a_link_annotation(built):
    uris = []
    for page in PdfReader(built / BRIEF).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    for doi in DOIS:
        assert f"https://doi.org/{doi}" in uris, doi


def _superscript_numbers(path) -> list[int]:
    """In-text citation numbers: small digits, in reading order (page, line, x).

    Small means under three quarters of the page's body text size, taken as the
    size most of the page's characters are set in.
    """
    numbers = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            sizes = Counter(round(c["size"], 1) for c in page.chars if not c["text"].isspace())
            assert sizes, f"page {page.page_number} has no text"
            body = sizes.most_common(1)[0][0]
            small = [c for c in page.chars if c["text"].isdigit() and c["size"] < 0.75 * body
                     and c["top"] < page.height - 40]
            small.sort(key=lambda c: (round(c["top"]), c["x0"]))
            groups, last = [], None
            for char in small:
                if last and abs(char["top"] - last["top"]) < 2 and char["x0"] - last["x1"] < 1.5:
                    groups[-1] += char["text"]
                else:
                    groups.append(char["text"])
                last = char
            numbers += [int(g) for g in groups]
    return numbers


def test_references_are_numbered_in_order_of_first_citation(built, text):
    cited = _superscript_numbers(built / BRIEF)
    assert cited, "no in-text citation numbers found"
    first_seen = list(dict.fromkeys(cited))
    assert first_seen == sorted(first_seen) == list(range(1, len(first_seen) + 1))
    numbered = re.findall(r"^(\d+)\. ", reference_list(text), re.MULTILINE)
    assert numbered == [str(n) for n in range(1, len(REFERENCES) + 1)]


def test_every_in_text_number_resolves_to_a_reference(built):
    assert set(_superscript_numbers(built / BRIEF)) <= set(range(1, len(REFERENCES) + 1))


def test_in_text_numbers_link_to_the_reference_list(built):
    reader = PdfReader(built / BRIEF)
    internal = [a for page in reader.pages for a in (page.get("/Annots") or [])
                if "/Dest" in a.get_object() or "/GoTo" in str(a.get_object().get("/A", {}))]
    assert len(internal) >= len(REFERENCES)


@pytest.mark.parametrize("safety_id", TOPIC["audiences"]["clinician"]["required_safety"])
def test_clinician_safety_statements_are_on_page_one(built, safety_id):
    statement = markdown_safety_texts(BUNDLED / "backwards-walking.md")[safety_id]
    first_page = PdfReader(built / BRIEF).pages[0].extract_text()
    assert "Precautions" in first_page
    assert squeezed(statement) in squeezed(first_page)


def test_bottom_line_comes_first_with_citations(text):
    assert text.index("Bottom line") < text.index("Precautions") < text.index("Mechanism")


def test_evidence_table_has_one_row_per_study(built, text):
    studies = TOPIC["evidence"]["studies"]
    for study in studies:
        for column in ("design", "finding", "limitation"):
            assert squeezed(study[column]) in squeezed(text), study[column]
    rows = structure_elements(built / BRIEF, "TR", inside="TBody")
    assert len(structure_elements(built / BRIEF, "Table")) == 1
    assert len(rows) == len(studies)


def test_discrepancy_is_a_footnote_of_the_table(text):
    table = text[text.index("Evidence table"):text.rindex("References")]
    assert squeezed("No 2019 knee osteoarthritis meta-analysis is listed") in squeezed(table)
    assert squeezed("the 2019 review in its reference list is this review of gait impairments") \
        in squeezed(table)


def test_level_of_evidence_column_and_how_levels_were_assigned(text):
    assert "Oxford" in text and "CEBM 2011" in text
    assert squeezed("they are not an appraisal of study quality") in squeezed(text)


def test_marked_for_professionals_with_owner_version_review_date_and_pages(built, text):
    pages = len(PdfReader(built / BRIEF).pages)
    assert "FOR HEALTH PROFESSIONALS" in text
    assert "For health professionals · Clinical Education Team · Version 1.0 · Content reviewed " \
           "November 25, 2026" in text
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text


def test_online_first_articles_take_amas_published_online_form(text):
    """AMA 11th: "Published online <date>." before the doi, no e-locator page range; an
    article with a volume is cited as published (no appended status)."""
    references = squeezed(reference_list(text))
    assert squeezed("Physiother Theory Pract. Published online 2025. "
                    "doi:10.1080/09593985.2025.2550532") in references
    assert squeezed("Gait Posture. 2025;124:110048. doi:10.1016/j.gaitpost.2025.110048") \
        in references
    assert squeezed("Advance online publication") not in references


def test_brief_uses_the_bundled_fonts_and_is_tagged(built):
    reader = PdfReader(built / BRIEF)
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    fonts = {str(f.get_object()["/BaseFont"]).split("+")[-1]
             for page in reader.pages for f in page["/Resources"]["/Font"].values()}
    assert fonts and all(f.startswith("Atkinson-Hyperlegible") for f in fonts)


def test_patient_safety_wording_is_not_in_the_brief(text):
    statements = markdown_safety_texts(BUNDLED / "backwards-walking.md")
    assert squeezed(statements["patient-rails"]) not in squeezed(text)
